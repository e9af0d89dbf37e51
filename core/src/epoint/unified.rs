//! EPoint in the unified API: what each [`unified`] verb sends to EPoint and how EPoint's
//! answers read there (see `GatewayAdapter` in `unified/adapter.rs`).

use std::convert::Infallible;

use crate::unified::{
    self, unsupported, ActionOutcome, ApiError, CreatePayment, CreatedPayment, GatewayAdapter,
    GatewayKind, GetStatus, NotSupported, PaymentRef, PaymentState, PaymentStatus, Return,
    StatusKey, Verb, Verification,
};
use crate::ResponseError;
use crate::{epoint, Amount, BuildError, HttpRequest, HttpResponse, Operation, RequestMeta};

/// EPoint's two ways to create a payment, as one operation.
pub(crate) enum Create {
    Pay(epoint::Pay),
    PreAuth(epoint::PreAuth),
}

impl Operation for Create {
    type Gateway = epoint::EPoint;
    type Output = epoint::PaymentRedirect;
    const NAME: &'static str = "pay";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &epoint::Config) -> Result<HttpRequest, BuildError> {
        match self {
            Create::Pay(op) => op.build_request(config),
            Create::PreAuth(op) => op.build_request(config),
        }
    }

    fn parse_response(
        &self,
        config: &epoint::Config,
        response: HttpResponse,
    ) -> Result<epoint::PaymentRedirect, ResponseError<epoint::ApiError>> {
        match self {
            Create::Pay(op) => op.parse_response(config, response),
            Create::PreAuth(op) => op.parse_response(config, response),
        }
    }

    fn meta(&self) -> RequestMeta {
        match self {
            Create::Pay(op) => op.meta(),
            Create::PreAuth(op) => op.meta(),
        }
    }
}

/// The fields of [`PaymentRef::EPoint`] the verbs use.
pub(crate) struct Payment {
    transaction: String,
    amount: Amount,
}

fn outcome(ack: epoint::Acknowledgement) -> ActionOutcome {
    ActionOutcome {
        gateway: GatewayKind::EPoint,
        state: ack.state,
        code: None,
        message: ack.message,
    }
}

impl GatewayAdapter for epoint::EPoint {
    const KIND: GatewayKind = GatewayKind::EPoint;

    type Payment = Payment;
    fn payment(payment: &PaymentRef) -> Option<Payment> {
        match payment {
            PaymentRef::EPoint {
                transaction,
                amount,
                ..
            } => Some(Payment {
                transaction: transaction.clone(),
                amount: *amount,
            }),
            _ => None,
        }
    }

    fn config(config: &unified::Config) -> Result<&epoint::Config, BuildError> {
        config.epoint_config()
    }
    fn api_error(error: epoint::ApiError) -> ApiError {
        ApiError::EPoint(error)
    }
    fn supports(verb: Verb) -> bool {
        // `/reverse` is EPoint's refund; it documents no void.
        verb != Verb::Cancel
    }

    type Create = Create;
    fn create(request: &CreatePayment) -> Result<Create, BuildError> {
        macro_rules! fill {
            ($op:expr) => {{
                let mut op = $op;
                if let Some(d) = &request.description {
                    op = op.description(d.as_str());
                }
                if let Some(l) = request.language {
                    op = op.language(l);
                }
                if let Some(u) = &request.return_url {
                    op = op
                        .success_redirect_url(u.as_str())
                        .error_redirect_url(u.as_str());
                }
                op
            }};
        }
        let (amount, order_id) = (request.amount, request.order_id.as_str());
        Ok(if request.preauth {
            Create::PreAuth(fill!(epoint::PreAuth::new(amount, order_id)))
        } else {
            Create::Pay(fill!(epoint::Pay::new(amount, order_id)))
        })
    }
    fn created(request: &CreatePayment, output: epoint::PaymentRedirect) -> CreatedPayment {
        CreatedPayment {
            payment: PaymentRef::EPoint {
                transaction: output.transaction,
                order_id: request.order_id.clone(),
                amount: request.amount,
                preauth: request.preauth,
            },
            redirect_url: output.redirect_url,
        }
    }

    type Return = epoint::Callback;
    fn return_of(ret: &Return) -> Option<&epoint::Callback> {
        match ret {
            Return::EPoint(callback) => Some(callback),
            _ => None,
        }
    }
    fn verify_return(callback: &epoint::Callback) -> Result<Verification, BuildError> {
        // Signed, and checked by `Return::epoint_callback`: trusted as it is.
        Ok(Verification::Verified(PaymentState::new(
            GatewayKind::EPoint,
            match &callback.status {
                Some(s) => PaymentStatus::from_epoint(s, callback.code.as_ref()),
                None => PaymentStatus::Unknown,
            },
            callback
                .status
                .as_ref()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            callback.amount,
        )))
    }

    type Status = epoint::GetStatus;
    fn status_key(payment: &Payment) -> StatusKey {
        StatusKey {
            gateway: GatewayKind::EPoint,
            id: payment.transaction.clone(),
            session: None,
        }
    }
    fn status(key: &StatusKey) -> Result<epoint::GetStatus, BuildError> {
        Ok(epoint::GetStatus::by_transaction(key.id.as_str()))
    }
    fn state(output: epoint::PaymentStatus) -> PaymentState {
        PaymentState::new(
            GatewayKind::EPoint,
            PaymentStatus::from_epoint(&output.status, output.code.as_ref()),
            output.status.as_str().to_owned(),
            output.amount,
        )
    }

    type Refund = epoint::Refund;
    fn refund(payment: &Payment, amount: Option<Amount>) -> Result<epoint::Refund, BuildError> {
        // No amount is a full refund; the currency is the payment's.
        let op = epoint::Refund::new(payment.transaction.as_str(), payment.amount.currency());
        Ok(match amount {
            Some(a) => op.amount(a),
            None => op,
        })
    }
    fn refunded(output: epoint::Acknowledgement) -> ActionOutcome {
        outcome(output)
    }

    type Capture = epoint::PreAuthComplete;
    fn capture(
        payment: &Payment,
        amount: Option<Amount>,
    ) -> Result<epoint::PreAuthComplete, BuildError> {
        Ok(epoint::PreAuthComplete::new(
            amount.unwrap_or(payment.amount),
            payment.transaction.as_str(),
        ))
    }
    fn captured(output: epoint::Acknowledgement) -> ActionOutcome {
        outcome(output)
    }

    type Cancel = NotSupported<epoint::EPoint>;
    fn cancel(_: &Payment) -> Result<NotSupported<epoint::EPoint>, BuildError> {
        Err(unsupported(GatewayKind::EPoint, Verb::Cancel))
    }
    fn cancelled(output: Infallible) -> ActionOutcome {
        match output {}
    }
}

impl GetStatus {
    /// The status of an EPoint transaction.
    pub fn epoint(transaction: impl Into<String>) -> Self {
        GetStatus::from_key(StatusKey {
            gateway: GatewayKind::EPoint,
            id: transaction.into(),
            session: None,
        })
    }
}

impl Return {
    /// Verifies an EPoint callback body (`data=…&signature=…`); see
    /// [`epoint::verify_callback`].
    pub fn epoint_callback(
        config: &epoint::Config,
        body: &[u8],
    ) -> Result<Self, ResponseError<ApiError>> {
        epoint::verify_callback(config, body)
            .map(Return::EPoint)
            .map_err(|e| e.map_api(<epoint::EPoint as GatewayAdapter>::api_error))
    }
}

impl PaymentStatus {
    /// EPoint: the `status` (and bank `code`) of `get-status` or of a verified callback.
    ///
    /// ```
    /// use azpay_core::{epoint, unified::PaymentStatus};
    /// assert_eq!(PaymentStatus::from_epoint(&epoint::Status::Success, None), PaymentStatus::Paid);
    /// assert_eq!(PaymentStatus::from_epoint(&epoint::Status::Returned, None), PaymentStatus::Refunded);
    /// let insufficient = epoint::BankCode::parse("116");
    /// assert_eq!(
    ///     PaymentStatus::from_epoint(&epoint::Status::Error, Some(&insufficient)),
    ///     PaymentStatus::Declined
    /// );
    /// ```
    pub fn from_epoint(status: &epoint::Status, code: Option<&epoint::BankCode>) -> Self {
        match status {
            epoint::Status::New => PaymentStatus::Pending,
            epoint::Status::Success => PaymentStatus::Paid,
            epoint::Status::Returned => PaymentStatus::Refunded,
            epoint::Status::Failed => PaymentStatus::Declined,
            epoint::Status::Error => match code.map(|c| c.as_str()) {
                Some(c) if c != "000" => PaymentStatus::Declined,
                _ => PaymentStatus::Failed,
            },
            epoint::Status::ServerError => PaymentStatus::Failed,
            _ => PaymentStatus::Unknown,
        }
    }
}
