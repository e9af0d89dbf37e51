//! TWEC in the unified API: what each [`unified`] verb sends to a TWEC / TranzWare gateway
//! and how its answers read there (see `GatewayAdapter` in `unified/adapter.rs`).

use crate::unified::{
    self, ActionOutcome, ApiError, CreatePayment, CreatedPayment, GatewayAdapter, GatewayKind,
    GetStatus, PaymentRef, PaymentState, PaymentStatus, Return, StatusKey, Verb, Verification,
};
use crate::{twec, Amount, BuildError, ResponseError};

/// The fields of [`PaymentRef::Twec`] the verbs use.
pub(crate) struct Payment {
    order_id: String,
    session_id: String,
    amount: Amount,
    tran_id: Option<String>,
}

fn outcome(outcome: twec::OperationOutcome) -> ActionOutcome {
    ActionOutcome {
        gateway: GatewayKind::Twec,
        state: outcome.state,
        code: outcome.response_code.map(|c| c.as_str().to_owned()),
        message: None,
    }
}

impl GatewayAdapter for twec::Twec {
    const KIND: GatewayKind = GatewayKind::Twec;

    type Payment = Payment;
    fn payment(payment: &PaymentRef) -> Option<Payment> {
        match payment {
            PaymentRef::Twec {
                order_id,
                session_id,
                amount,
                tran_id,
                ..
            } => Some(Payment {
                order_id: order_id.clone(),
                session_id: session_id.clone(),
                amount: *amount,
                tran_id: tran_id.clone(),
            }),
            _ => None,
        }
    }

    fn config(config: &unified::Config) -> Result<&twec::Config, BuildError> {
        config.twec_config()
    }
    fn api_error(error: twec::ApiError) -> ApiError {
        ApiError::Twec(error)
    }
    fn supports(_: Verb) -> bool {
        true
    }

    type Create = twec::CreateOrder;
    fn create(request: &CreatePayment) -> Result<twec::CreateOrder, BuildError> {
        let d = request.description_or_order_id();
        let mut op = if request.preauth {
            twec::CreateOrder::preauth(request.amount, d)
        } else {
            twec::CreateOrder::purchase(request.amount, d)
        };
        if let Some(l) = request.language {
            op = op.language(l);
        }
        if let Some(u) = &request.return_url {
            op = op
                .approve_url(u.as_str())
                .cancel_url(u.as_str())
                .decline_url(u.as_str());
        }
        Ok(op)
    }
    fn created(request: &CreatePayment, output: twec::CreatedOrder) -> CreatedPayment {
        CreatedPayment {
            redirect_url: output.payment_url(),
            payment: PaymentRef::Twec {
                order_id: output.order_id,
                session_id: output.session_id,
                amount: request.amount,
                preauth: request.preauth,
                tran_id: None,
            },
        }
    }

    type Return = twec::UnverifiedXmlOut;
    fn return_of(ret: &Return) -> Option<&twec::UnverifiedXmlOut> {
        match ret {
            Return::Twec(message) => Some(message),
            _ => None,
        }
    }
    fn verify_return(message: &twec::UnverifiedXmlOut) -> Result<Verification, BuildError> {
        // The `xmlmsg` passes through the browser: only its ids are used, to ask.
        let query = message.verify()?;
        Ok(Verification::Query(GetStatus::twec(
            query.order_id(),
            query.session_id(),
        )))
    }

    type Status = twec::GetOrderStatus;
    fn status_key(payment: &Payment) -> StatusKey {
        twec_key(payment.order_id.clone(), payment.session_id.clone())
    }
    fn status(key: &StatusKey) -> Result<twec::GetOrderStatus, BuildError> {
        let session_id = key
            .session
            .as_deref()
            .ok_or_else(|| BuildError::invalid("session_id", "is missing"))?;
        Ok(twec::GetOrderStatus::new(key.id.as_str(), session_id))
    }
    fn state(output: twec::OrderStatusOutcome) -> PaymentState {
        PaymentState::new(
            GatewayKind::Twec,
            PaymentStatus::from_twec(&output.order_status),
            output.order_status.as_str().to_owned(),
            None,
        )
    }

    type Refund = twec::Refund;
    fn refund(payment: &Payment, amount: Option<Amount>) -> Result<twec::Refund, BuildError> {
        // TWEC names the amount: a full refund is the payment's. The TwoId goes in
        // `<TranId>` when known; without it Kapital's form refuses to build (naming
        // `TranId`): the unified Refund should drive `twec::RefundPayment`, which fetches it.
        let mut op = twec::Refund::new(
            payment.order_id.as_str(),
            payment.session_id.as_str(),
            amount.unwrap_or(payment.amount),
        );
        if let Some(t) = &payment.tran_id {
            op = op.tran_id(t.as_str());
        }
        Ok(op)
    }
    fn refunded(output: twec::OperationOutcome) -> ActionOutcome {
        outcome(output)
    }

    type Capture = twec::Completion;
    fn capture(payment: &Payment, amount: Option<Amount>) -> Result<twec::Completion, BuildError> {
        Ok(twec::Completion::new(
            payment.order_id.as_str(),
            payment.session_id.as_str(),
            amount.unwrap_or(payment.amount),
        ))
    }
    fn captured(output: twec::OperationOutcome) -> ActionOutcome {
        outcome(output)
    }

    type Cancel = twec::Reverse;
    fn cancel(payment: &Payment) -> Result<twec::Reverse, BuildError> {
        Ok(twec::Reverse::new(
            payment.order_id.as_str(),
            payment.session_id.as_str(),
        ))
    }
    fn cancelled(output: twec::OperationOutcome) -> ActionOutcome {
        outcome(output)
    }
}

fn twec_key(order_id: String, session_id: String) -> StatusKey {
    StatusKey {
        gateway: GatewayKind::Twec,
        id: order_id,
        session: Some(session_id),
    }
}

impl GetStatus {
    /// The status of a TWEC order.
    pub fn twec(order_id: impl Into<String>, session_id: impl Into<String>) -> Self {
        GetStatus::from_key(twec_key(order_id.into(), session_id.into()))
    }
}

impl Return {
    /// Reads TWEC's `xmlmsg` (the form body or the message); see [`twec::parse_xmlout`].
    pub fn twec_xmlout(input: &[u8]) -> Result<Self, ResponseError<ApiError>> {
        twec::parse_xmlout(input)
            .map(Return::Twec)
            .map_err(|e| e.map_api(<twec::Twec as GatewayAdapter>::api_error))
    }
}

impl PaymentStatus {
    /// TWEC: the `OrderStatus` of [`twec::GetOrderStatus`].
    ///
    /// ```
    /// use azpay_core::{twec::OrderStatus, unified::PaymentStatus};
    /// assert_eq!(PaymentStatus::from_twec(&OrderStatus::Approved), PaymentStatus::Paid);
    /// assert_eq!(PaymentStatus::from_twec(&OrderStatus::PreauthApproved), PaymentStatus::Authorized);
    /// assert_eq!(PaymentStatus::from_twec(&OrderStatus::parse("ON-HOLD")), PaymentStatus::Unknown);
    /// ```
    pub fn from_twec(status: &twec::OrderStatus) -> Self {
        use twec::OrderStatus as T;
        match status {
            T::Created | T::OnPayment | T::OnLock => PaymentStatus::Pending,
            T::Approved => PaymentStatus::Paid,
            T::PreauthApproved => PaymentStatus::Authorized,
            T::Refunded => PaymentStatus::Refunded,
            T::Reversed => PaymentStatus::Voided,
            // Under way: REFUNDED next, or back to the former status if it fails.
            T::OnRefund => PaymentStatus::Unknown,
            T::Declined | T::Canceled => PaymentStatus::Declined,
            T::Expired => PaymentStatus::Expired,
            T::Error => PaymentStatus::Failed,
            _ => PaymentStatus::Unknown,
        }
    }
}

impl twec::RefundPayment {
    /// The refund flow for a stored [`PaymentRef::Twec`]: `amount` or, when `None`, the whole
    /// payment; its `tran_id` (the TwoId) when known, otherwise the flow fetches it with
    /// `GetOrderInformation` first. `None` for a payment of another gateway.
    ///
    /// ```
    /// use azpay_core::{twec, unified::PaymentRef, Amount, Currency};
    /// let payment = PaymentRef::Twec {
    ///     order_id: "1".into(),
    ///     session_id: "S".into(),
    ///     amount: Amount::from_minor(500, Currency::AZN),
    ///     preauth: false,
    ///     tran_id: Some("2292054".into()),
    /// };
    /// let flow = twec::RefundPayment::for_payment(&payment, None).unwrap();
    /// assert_eq!(flow.two_id(), Some("2292054"));
    /// ```
    pub fn for_payment(payment: &PaymentRef, amount: Option<Amount>) -> Option<Self> {
        let p = <twec::Twec as GatewayAdapter>::payment(payment)?;
        Some(
            twec::RefundPayment::new(p.order_id, p.session_id, amount.unwrap_or(p.amount))
                .tran_id_opt(p.tran_id),
        )
    }
}
