//! Azericard in the unified API (see `GatewayAdapter` in `unified/adapter.rs`).
//!
//! | verb | Azericard |
//! |---|---|
//! | create | [`unified::CreatePayment::form`]: the signed [`azericard::PaymentForm`] (TRTYPE 1, or 0 for a hold); `execute` of a `CreatePayment` is refused (the browser posts the form, not the server) |
//! | verify the return | [`unified::Return::azericard_callback`] checks `P_SIGN`; [`unified::Return::verify`] then hands out the status query (the signature does not cover `ORDER` or `ACTION`) |
//! | status | [`azericard::GetStatus`] (TRTYPE 90, `TRAN_TRTYPE` 1 or 0) |
//! | capture | [`azericard::Complete`] (21), the whole hold only |
//! | cancel | [`azericard::Reverse`] (22) |
//! | refund | full: [`azericard::Reverse`] (22); partial: unsupported (not documented) |
//!
//! Every verb needs `TIMESTAMP`/`NONCE` from the configuration's
//! [`azericard::StampSource`], and capture, cancel and refund need the payment's `RRN` and
//! `INT_REF` ([`PaymentRef::with_azericard_refs`], from the callback or a status).

use crate::unified::{
    self, ActionOutcome, ApiError, CreatePayment, CreatedForm, CreatedPayment, GatewayAdapter,
    GatewayKind, GetStatus, NotSupported, PaymentRef, PaymentState, PaymentStatus, Return,
    StatusKey, Verb, Verification,
};
use crate::{azericard, Amount, BuildError};

/// The fields of [`PaymentRef::Azericard`] the verbs use.
pub(crate) struct Payment {
    order: String,
    amount: Amount,
    preauth: bool,
    rrn: Option<String>,
    int_ref: Option<String>,
}

impl Payment {
    fn refs(&self) -> Result<(&str, &str), BuildError> {
        let missing = |field| {
            BuildError::invalid(
                field,
                "is unknown for this Azericard payment: take RRN and INT_REF from its callback \
                 or status and set them with PaymentRef::with_azericard_refs",
            )
        };
        Ok((
            self.rrn.as_deref().ok_or_else(|| missing("rrn"))?,
            self.int_ref.as_deref().ok_or_else(|| missing("int_ref"))?,
        ))
    }

    fn reverse(&self) -> Result<azericard::Reverse, BuildError> {
        let (rrn, int_ref) = self.refs()?;
        Ok(azericard::Reverse::new(
            &self.order,
            self.amount,
            rrn,
            int_ref,
        ))
    }
}

fn outcome(reply: azericard::ActionReply) -> ActionOutcome {
    ActionOutcome {
        gateway: GatewayKind::Azericard,
        state: reply.state,
        code: Some(reply.code.as_str().to_owned()),
        message: None,
    }
}

fn trtype(preauth: bool) -> azericard::TrType {
    if preauth {
        azericard::TrType::PreAuth
    } else {
        azericard::TrType::Purchase
    }
}

impl GatewayAdapter for azericard::Azericard {
    const KIND: GatewayKind = GatewayKind::Azericard;

    type Payment = Payment;
    fn payment(payment: &PaymentRef) -> Option<Payment> {
        match payment {
            PaymentRef::Azericard {
                order,
                amount,
                preauth,
                rrn,
                int_ref,
            } => Some(Payment {
                order: order.clone(),
                amount: *amount,
                preauth: *preauth,
                rrn: rrn.clone(),
                int_ref: int_ref.clone(),
            }),
            _ => None,
        }
    }

    fn config(config: &unified::Config) -> Result<&azericard::Config, BuildError> {
        config.azericard_config()
    }
    fn api_error(error: azericard::ApiError) -> ApiError {
        ApiError::Azericard(error)
    }
    fn supports(verb: Verb) -> bool {
        !matches!(verb, Verb::RefundPartial)
    }

    type Create = NotSupported<Self>;
    fn create(_: &CreatePayment) -> Result<NotSupported<Self>, BuildError> {
        Err(BuildError::invalid(
            "gateway",
            "an Azericard payment is a form the customer's browser posts, not a request from \
             your server: build it with unified::CreatePayment::form",
        ))
    }
    fn created(_: &CreatePayment, output: std::convert::Infallible) -> CreatedPayment {
        match output {}
    }
    fn form(
        request: &CreatePayment,
        config: &azericard::Config,
    ) -> Result<CreatedForm, BuildError> {
        let description = request.description_or_order_id();
        let mut pay = if request.preauth {
            azericard::Pay::preauth(request.amount, &request.order_id, description)
        } else {
            azericard::Pay::purchase(request.amount, &request.order_id, description)
        };
        if let Some(l) = request.language {
            pay = pay.language(l);
        }
        if let Some(u) = &request.return_url {
            pay = pay.callback_url(u.as_str());
        }
        Ok(CreatedForm {
            form: pay.form(config)?,
            payment: PaymentRef::Azericard {
                order: request.order_id.clone(),
                amount: request.amount,
                preauth: request.preauth,
                rrn: None,
                int_ref: None,
            },
        })
    }

    type Return = azericard::UnverifiedCallback;
    fn return_of(ret: &Return) -> Option<&azericard::UnverifiedCallback> {
        match ret {
            Return::Azericard(c) => Some(c),
            _ => None,
        }
    }
    fn verify_return(c: &azericard::UnverifiedCallback) -> Result<Verification, BuildError> {
        // Signed, but not over ORDER or ACTION: the status query decides.
        Ok(Verification::Query(GetStatus::from_key(azericard_key(
            c.order(),
            c.trtype(),
        ))))
    }

    type Status = azericard::GetStatus;
    fn status_key(payment: &Payment) -> StatusKey {
        azericard_key(&payment.order, &trtype(payment.preauth))
    }
    fn status(key: &StatusKey) -> Result<azericard::GetStatus, BuildError> {
        let tr = key
            .session
            .as_deref()
            .map_or(azericard::TrType::Purchase, azericard::TrType::parse);
        Ok(azericard::GetStatus::new(key.id.clone()).tran_trtype(tr))
    }
    fn state(output: azericard::TransactionStatus) -> PaymentState {
        let word = format!(
            "ACTION {} RC {}",
            output.action,
            output.rc.as_ref().map_or("-", |r| r.as_str())
        );
        PaymentState::new(
            GatewayKind::Azericard,
            PaymentStatus::from_azericard(&output),
            word,
            output.amount,
        )
    }

    type Refund = azericard::Reverse;
    fn refund(payment: &Payment, amount: Option<Amount>) -> Result<azericard::Reverse, BuildError> {
        if amount.is_some_and(|a| a != payment.amount) {
            return Err(BuildError::invalid(
                "amount",
                "Azericard documents no partial refund: refund the whole payment",
            ));
        }
        payment.reverse()
    }
    fn refunded(output: azericard::ActionReply) -> ActionOutcome {
        outcome(output)
    }

    type Capture = azericard::Complete;
    fn capture(
        payment: &Payment,
        amount: Option<Amount>,
    ) -> Result<azericard::Complete, BuildError> {
        if amount.is_some_and(|a| a != payment.amount) {
            return Err(BuildError::invalid(
                "amount",
                "Azericard documents no partial completion: capture the whole hold",
            ));
        }
        let (rrn, int_ref) = payment.refs()?;
        Ok(azericard::Complete::new(
            &payment.order,
            payment.amount,
            rrn,
            int_ref,
        ))
    }
    fn captured(output: azericard::ActionReply) -> ActionOutcome {
        outcome(output)
    }

    type Cancel = azericard::Reverse;
    fn cancel(payment: &Payment) -> Result<azericard::Reverse, BuildError> {
        payment.reverse()
    }
    fn cancelled(output: azericard::ActionReply) -> ActionOutcome {
        outcome(output)
    }
}

fn azericard_key(order: &str, trtype: &azericard::TrType) -> StatusKey {
    StatusKey {
        gateway: GatewayKind::Azericard,
        id: order.to_owned(),
        session: Some(trtype.as_str().to_owned()),
    }
}

impl GetStatus {
    /// The status of an Azericard transaction: `ORDER` and `TRAN_TRTYPE` (`1` purchase, `0`
    /// hold, …).
    pub fn azericard(order: &str, trtype: &azericard::TrType) -> Self {
        GetStatus::from_key(azericard_key(order, trtype))
    }
}

impl Return {
    /// Checks Azericard's `BACKREF` post (see [`azericard::verify_callback`]); the result's
    /// [`Return::verify`] is the status query.
    pub fn azericard_callback(
        config: &azericard::Config,
        body: &[u8],
    ) -> Result<Self, azericard::CallbackError> {
        azericard::verify_callback(config, body).map(Return::Azericard)
    }
}

impl PaymentRef {
    /// An Azericard payment with its `RRN` and `INT_REF` (from its callback or status), which
    /// capture, cancel and refund need. Other gateways' payments are returned unchanged.
    pub fn with_azericard_refs(self, rrn: impl Into<String>, int_ref: impl Into<String>) -> Self {
        match self {
            PaymentRef::Azericard {
                order,
                amount,
                preauth,
                ..
            } => PaymentRef::Azericard {
                order,
                amount,
                preauth,
                rrn: Some(rrn.into()),
                int_ref: Some(int_ref.into()),
            },
            other => other,
        }
    }
}

impl PaymentStatus {
    /// Azericard: a transaction status (TRTYPE 90).
    ///
    /// | `ACTION` / `RC` | `TRAN_TRTYPE` | status |
    /// |---|---|---|
    /// | `0` / `00` | `0` | `Authorized` |
    /// | `0` / `00` | `1`, `21`, other | `Paid` |
    /// | `0` / `00` | `22` | `Voided` |
    /// | `0` / `00` | `24`; or "Transaction state" `Refunded` | `Refunded` |
    /// | `0` / `00` | "Transaction state" `Reversed` or `Voided` | `Voided` |
    /// | `2`, `6`, `7` | any | `Declined` |
    /// | `3`, `8` | any | `Failed` |
    /// | `1`, `0` without `RC` `00`, other | any | `Unknown` |
    pub fn from_azericard(status: &azericard::TransactionStatus) -> Self {
        use azericard::{Action as A, TrType as T};
        match status.action {
            A::Success if status.is_approved() && status.state == crate::State::Returned => {
                match status.transaction_state.as_deref() {
                    Some(w) if crate::state::word_is(w, "refunded") => PaymentStatus::Refunded,
                    _ if status.tran_trtype == T::OfflineReversal => PaymentStatus::Refunded,
                    _ => PaymentStatus::Voided,
                }
            }
            A::Success if status.is_approved() => match status.tran_trtype {
                T::PreAuth => PaymentStatus::Authorized,
                T::Reversal => PaymentStatus::Voided,
                T::OfflineReversal => PaymentStatus::Refunded,
                _ => PaymentStatus::Paid,
            },
            A::Declined | A::RepeatDeclined | A::RepeatAuthenticationError => {
                PaymentStatus::Declined
            }
            A::ProcessingError | A::RepeatNoResponse => PaymentStatus::Failed,
            _ => PaymentStatus::Unknown,
        }
    }
}
