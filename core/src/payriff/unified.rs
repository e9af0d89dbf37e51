//! Payriff in the unified API (see `GatewayAdapter` in `unified/adapter.rs`).
//!
//! The unified verbs carry no request RRN, so this adapter derives one, deterministically,
//! from what it has: the merchant's `order_id` for [`CreatePayment`] (so
//! [`crate::reconcile::payriff::OrderByRrn`] finds the order by your own order id),
//! `{orderId}-capture` for a capture and `{orderId}-refund-{minor units|full}` for a refund.
//! The same verb sent again carries the same RRN. Cancel (void) is not offered: Payriff's
//! v3 API publishes no void of a paid order (use a refund; an unpaid order is expired with
//! [`crate::payriff::ExpireOrder`]).

use crate::unified::{
    self, unsupported, ActionOutcome, ApiError, CreatePayment, CreatedPayment, GatewayAdapter,
    GatewayKind, GetStatus, NotSupported, PaymentRef, PaymentState, PaymentStatus, Return,
    StatusKey, Verb, Verification,
};
use crate::{payriff, Amount, BuildError};

/// The fields of [`PaymentRef::Payriff`] the verbs use.
pub(crate) struct Payment {
    order_id: String,
}

fn outcome(result: payriff::ActionResult) -> ActionOutcome {
    ActionOutcome {
        gateway: GatewayKind::Payriff,
        state: result.state,
        code: Some(result.code.as_str().to_owned()),
        message: result.message,
    }
}

impl GatewayAdapter for payriff::Payriff {
    const KIND: GatewayKind = GatewayKind::Payriff;

    type Payment = Payment;
    fn payment(payment: &PaymentRef) -> Option<Payment> {
        match payment {
            PaymentRef::Payriff { order_id, .. } => Some(Payment {
                order_id: order_id.clone(),
            }),
            _ => None,
        }
    }

    fn config(config: &unified::Config) -> Result<&payriff::Config, BuildError> {
        config.payriff_config()
    }
    fn api_error(error: payriff::ApiError) -> ApiError {
        ApiError::Payriff(error)
    }
    fn supports(verb: Verb) -> bool {
        verb != Verb::Cancel
    }

    type Create = payriff::CreateOrder;
    fn create(request: &CreatePayment) -> Result<payriff::CreateOrder, BuildError> {
        let rrn = request.order_id.clone();
        let mut op = if request.preauth {
            payriff::CreateOrder::preauth(request.amount, rrn)
        } else {
            payriff::CreateOrder::purchase(request.amount, rrn)
        }
        .description(request.description_or_order_id());
        if let Some(l) = request.language {
            op = op.language(l);
        }
        if let Some(u) = &request.return_url {
            op = op.redirect_url(u.as_str());
        }
        Ok(op)
    }
    fn created(request: &CreatePayment, output: payriff::CreatedOrder) -> CreatedPayment {
        CreatedPayment {
            redirect_url: output.payment_url,
            payment: PaymentRef::Payriff {
                order_id: output.order_id,
                amount: request.amount,
                preauth: request.preauth,
            },
        }
    }

    type Return = payriff::UnverifiedCallback;
    fn return_of(ret: &Return) -> Option<&payriff::UnverifiedCallback> {
        match ret {
            Return::Payriff(callback) => Some(callback),
            _ => None,
        }
    }
    fn verify_return(callback: &payriff::UnverifiedCallback) -> Result<Verification, BuildError> {
        // Unsigned: only the order id is taken from it.
        Ok(Verification::Query(GetStatus::payriff(callback.order_id())))
    }

    type Status = payriff::GetOrder;
    fn status_key(payment: &Payment) -> StatusKey {
        payriff_key(&payment.order_id)
    }
    fn status(key: &StatusKey) -> Result<payriff::GetOrder, BuildError> {
        Ok(payriff::GetOrder::new(key.id.clone()))
    }
    fn state(output: payriff::OrderInfo) -> PaymentState {
        PaymentState::new(
            GatewayKind::Payriff,
            PaymentStatus::from_payriff(&output.payment_status),
            output.payment_status.as_str().to_owned(),
            output.amount,
        )
    }

    type Refund = payriff::Refund;
    fn refund(payment: &Payment, amount: Option<Amount>) -> Result<payriff::Refund, BuildError> {
        Ok(match amount {
            Some(a) => payriff::Refund::partial(
                payment.order_id.clone(),
                a,
                format!("{}-refund-{}", payment.order_id, a.minor()),
            ),
            None => payriff::Refund::full(
                payment.order_id.clone(),
                format!("{}-refund-full", payment.order_id),
            ),
        })
    }
    fn refunded(output: payriff::ActionResult) -> ActionOutcome {
        outcome(output)
    }

    type Capture = payriff::Capture;
    fn capture(payment: &Payment, amount: Option<Amount>) -> Result<payriff::Capture, BuildError> {
        let rrn = format!("{}-capture", payment.order_id);
        Ok(match amount {
            Some(a) => payriff::Capture::partial(payment.order_id.clone(), a, rrn),
            None => payriff::Capture::full(payment.order_id.clone(), rrn),
        })
    }
    fn captured(output: payriff::ActionResult) -> ActionOutcome {
        outcome(output)
    }

    type Cancel = NotSupported<payriff::Payriff>;
    fn cancel(_: &Payment) -> Result<Self::Cancel, BuildError> {
        Err(unsupported(GatewayKind::Payriff, Verb::Cancel))
    }
    fn cancelled(output: std::convert::Infallible) -> ActionOutcome {
        match output {}
    }
}

fn payriff_key(order_id: &str) -> StatusKey {
    StatusKey {
        gateway: GatewayKind::Payriff,
        id: order_id.to_owned(),
        session: None,
    }
}

impl GetStatus {
    /// The status of a Payriff order (`GET /api/v3/orders/{orderId}`).
    pub fn payriff(order_id: &str) -> Self {
        GetStatus::from_key(payriff_key(order_id))
    }
}

impl Return {
    /// Reads Payriff's (unsigned) callback body; see [`payriff::parse_callback`].
    pub fn payriff_callback(body: &[u8]) -> Result<Self, payriff::CallbackError> {
        payriff::parse_callback(body).map(Return::Payriff)
    }
}

impl PaymentStatus {
    /// Payriff: an order's `paymentStatus` ([`payriff::GetOrder`]).
    ///
    /// ```
    /// use azpay_core::{payriff::PaymentStatus as P, unified::PaymentStatus};
    /// assert_eq!(PaymentStatus::from_payriff(&P::Approved), PaymentStatus::Paid);
    /// assert_eq!(PaymentStatus::from_payriff(&P::PreauthApproved), PaymentStatus::Authorized);
    /// assert_eq!(PaymentStatus::from_payriff(&P::from("NEW_WORD")), PaymentStatus::Unknown);
    /// ```
    pub fn from_payriff(status: &payriff::PaymentStatus) -> Self {
        use payriff::PaymentStatus as P;
        match status {
            P::Created | P::Pending | P::InReview => PaymentStatus::Pending,
            P::PreauthApproved => PaymentStatus::Authorized,
            P::Approved | P::Accepted => PaymentStatus::Paid,
            P::PartialRefund => PaymentStatus::PartiallyRefunded,
            P::Refunded => PaymentStatus::Refunded,
            P::Reverse => PaymentStatus::Voided,
            P::Declined | P::Canceled => PaymentStatus::Declined,
            P::Expired | P::PreauthExpired => PaymentStatus::Expired,
            _ => PaymentStatus::Unknown,
        }
    }
}
