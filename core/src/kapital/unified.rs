//! Kapital in the unified API: what each [`unified`] verb sends to Kapital's JSON API and how
//! its answers read there (see `GatewayAdapter` in `unified/adapter.rs`).

use crate::unified::{
    self, ActionOutcome, ApiError, CreatePayment, CreatedPayment, GatewayAdapter, GatewayKind,
    GetStatus, PaymentRef, PaymentState, PaymentStatus, Return, StatusKey, Verb, Verification,
};
use crate::{kapital, Amount, BuildError};

/// The fields of [`PaymentRef::Kapital`] the verbs use.
pub(crate) struct Payment {
    order_id: u64,
    amount: Amount,
    preauth: bool,
}

/// A refund, clearing or void as the unified API reports it: the transaction's own `state`
/// (a `PmoDecline` is [`crate::State::Declined`], not an error), its `pmoResultCode`, and the
/// decline's description when there is one.
fn outcome(result: kapital::TranResult) -> ActionOutcome {
    ActionOutcome {
        gateway: GatewayKind::Kapital,
        state: result.state,
        code: result.pmo_result_code.map(|c| c.as_str().to_owned()),
        message: result.decline.and_then(|d| d.description),
    }
}

impl GatewayAdapter for kapital::Kapital {
    const KIND: GatewayKind = GatewayKind::Kapital;

    type Payment = Payment;
    fn payment(payment: &PaymentRef) -> Option<Payment> {
        match payment {
            PaymentRef::Kapital {
                order_id,
                amount,
                preauth,
                ..
            } => Some(Payment {
                order_id: *order_id,
                amount: *amount,
                preauth: *preauth,
            }),
            _ => None,
        }
    }

    fn config(config: &unified::Config) -> Result<&kapital::Config, BuildError> {
        config.kapital_config()
    }
    fn api_error(error: kapital::ApiError) -> ApiError {
        ApiError::Kapital(error)
    }
    fn supports(_: Verb) -> bool {
        true
    }

    type Create = kapital::CreateOrder;
    fn create(request: &CreatePayment) -> Result<kapital::CreateOrder, BuildError> {
        let mut op = if request.preauth {
            kapital::CreateOrder::preauth(request.amount)
        } else {
            kapital::CreateOrder::purchase(request.amount)
        }
        .description(request.description_or_order_id());
        if let Some(l) = request.language {
            op = op.language(l);
        }
        if let Some(u) = &request.return_url {
            op = op.hpp_redirect_url(u.as_str());
        }
        Ok(op)
    }
    fn created(request: &CreatePayment, output: kapital::CreatedOrder) -> CreatedPayment {
        CreatedPayment {
            // Orders paid on the hosted page always carry `hppUrl` (the parse requires it).
            redirect_url: output.payment_url().unwrap_or_default(),
            payment: PaymentRef::Kapital {
                order_id: output.id,
                password: output.password,
                amount: request.amount,
                preauth: request.preauth,
            },
        }
    }

    type Return = kapital::UnverifiedRedirect;
    fn return_of(ret: &Return) -> Option<&kapital::UnverifiedRedirect> {
        match ret {
            Return::Kapital(redirect) => Some(redirect),
            _ => None,
        }
    }
    fn verify_return(redirect: &kapital::UnverifiedRedirect) -> Result<Verification, BuildError> {
        // The browser's redirect is forgeable: only the order id is taken from it.
        Ok(Verification::Query(GetStatus::kapital(redirect.order_id())))
    }

    type Status = kapital::GetOrder;
    fn status_key(payment: &Payment) -> StatusKey {
        kapital_key(payment.order_id)
    }
    fn status(key: &StatusKey) -> Result<kapital::GetOrder, BuildError> {
        let order_id = key
            .id
            .parse::<u64>()
            .map_err(|_| BuildError::invalid("order_id", "is not a Kapital order id"))?;
        // Detailed, to tell a partial refund (`clearedRefundAmount`).
        Ok(kapital::GetOrder::new(order_id).detailed())
    }
    fn state(output: kapital::Order) -> PaymentState {
        PaymentState::new(
            GatewayKind::Kapital,
            PaymentStatus::from_kapital_order(&output),
            output.status.as_str().to_owned(),
            output.amount,
        )
    }

    type Refund = kapital::ExecTran;
    fn refund(payment: &Payment, amount: Option<Amount>) -> Result<kapital::ExecTran, BuildError> {
        // Kapital names the amount: a full refund is the payment's.
        Ok(kapital::ExecTran::refund(
            payment.order_id,
            amount.unwrap_or(payment.amount),
        ))
    }
    fn refunded(output: kapital::TranResult) -> ActionOutcome {
        outcome(output)
    }

    type Capture = kapital::ExecTran;
    fn capture(payment: &Payment, amount: Option<Amount>) -> Result<kapital::ExecTran, BuildError> {
        let op = kapital::ExecTran::clearing(payment.order_id);
        Ok(match amount {
            Some(a) => op.amount(a),
            None => op,
        })
    }
    fn captured(output: kapital::TranResult) -> ActionOutcome {
        outcome(output)
    }

    type Cancel = kapital::ExecTran;
    fn cancel(payment: &Payment) -> Result<kapital::ExecTran, BuildError> {
        let state = if payment.preauth {
            kapital::OrderState::Held
        } else {
            kapital::OrderState::Purchased
        };
        Ok(kapital::ExecTran::void(payment.order_id, state))
    }
    fn cancelled(output: kapital::TranResult) -> ActionOutcome {
        outcome(output)
    }
}

fn kapital_key(order_id: u64) -> StatusKey {
    StatusKey {
        gateway: GatewayKind::Kapital,
        id: order_id.to_string(),
        session: None,
    }
}

impl GetStatus {
    /// The status of a Kapital order.
    pub fn kapital(order_id: u64) -> Self {
        GetStatus::from_key(kapital_key(order_id))
    }
}

impl Return {
    /// Reads Kapital's redirect (a URL or query string); see [`kapital::parse_redirect`].
    pub fn kapital_redirect(query_or_url: &str) -> Result<Self, kapital::RedirectError> {
        kapital::parse_redirect(query_or_url).map(Return::Kapital)
    }
}

impl PaymentStatus {
    /// Kapital: an order read with [`kapital::GetOrder`] (the detailed form tells a partial
    /// refund through `clearedRefundAmount`).
    ///
    /// ```
    /// use azpay_core::{kapital::OrderStatus, unified::PaymentStatus};
    /// assert_eq!(PaymentStatus::from_kapital(&OrderStatus::FullyPaid, false), PaymentStatus::Paid);
    /// assert_eq!(PaymentStatus::from_kapital(&OrderStatus::FullyPaid, true), PaymentStatus::PartiallyRefunded);
    /// assert_eq!(PaymentStatus::from_kapital(&OrderStatus::Authorized, false), PaymentStatus::Authorized);
    /// // `Refused`: refunded in full on the platform.
    /// assert_eq!(PaymentStatus::from_kapital(&OrderStatus::Refused, false), PaymentStatus::Refunded);
    /// assert_eq!(PaymentStatus::from_kapital(&OrderStatus::PartPaid, false), PaymentStatus::Paid);
    /// ```
    pub fn from_kapital(status: &kapital::OrderStatus, partly_refunded: bool) -> Self {
        use kapital::OrderStatus as K;
        match status {
            K::Preparing => PaymentStatus::Pending,
            K::Authorized => PaymentStatus::Authorized,
            K::FullyPaid | K::PartiallyPaid | K::PartPaid | K::Funded if partly_refunded => {
                PaymentStatus::PartiallyRefunded
            }
            K::FullyPaid | K::PartiallyPaid | K::PartPaid | K::Funded => PaymentStatus::Paid,
            K::Refunded | K::Refused => PaymentStatus::Refunded,
            K::Voided => PaymentStatus::Voided,
            K::Declined | K::Rejected | K::Cancelled => PaymentStatus::Declined,
            K::Expired => PaymentStatus::Expired,
            _ => PaymentStatus::Unknown,
        }
    }

    /// Kapital: the status of an order read with [`kapital::GetOrder`].
    pub fn from_kapital_order(order: &kapital::Order) -> Self {
        let partly_refunded = order.cleared_refund_amount.is_some_and(|a| !a.is_zero());
        Self::from_kapital(&order.status, partly_refunded)
    }
}
