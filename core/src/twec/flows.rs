//! TWEC flows of more than one request: [`RefundPayment`], a refund that first fetches the
//! payment's `TwoId` when it is not known.

use super::codes::ApiError;
use super::config::{Config, RequestForm, Twec};
use super::ops::{GetOrderInformation, Refund};
use super::outcome::{OperationOutcome, OrderInformation};
use crate::error::FlowError;
use crate::{
    parse_after_sending, Amount, BuildError, Error, Flow, HttpResponse, Language, Operation, Step,
};

/// What [`RefundPayment`] is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Start,
    AwaitInformation,
    AwaitRefund,
    Finished,
}

/// A refund that works without the `TwoId`: Kapital's `Refund` must carry the `TwoId` of the
/// purchase in `<TranId>` (Kapital's TKKPG document). When it is given
/// ([`RefundPayment::tran_id`]), or the configuration uses the generic form (which does not
/// send it), this is one `Refund` request. Otherwise the flow first sends
/// [`GetOrderInformation`], takes the `TwoId` of the approved payment
/// ([`OrderInformation::payment_two_id`]) and then sends the `Refund` with it.
///
/// When the order information has no such `TwoId` (the order is not paid, or the gateway does
/// not report one) the flow stops before refunding: an [`Error::Flow`] at step `refund` after
/// `get-order-information` was sent, whose source is a [`BuildError`] naming `TranId` and
/// saying the `TwoId` could not be found. Nothing was refunded. Each answer is read with
/// [`parse_after_sending`]: an unreadable answer to the `Refund` is outcome unknown
/// ([`Error::may_have_happened`]); a failure after the first request is always an
/// [`Error::Flow`] naming the step.
///
/// ```
/// use azpay_core::{execute_flow, twec, Amount, Currency, HttpRequest, HttpResponse, TransportError};
///
/// let config = twec::Config::kapital_test("E1000010");
/// let mut flow = twec::RefundPayment::new("14008766", "277F3E92", Amount::from_minor(328, Currency::AZN));
/// let transport = |r: HttpRequest| -> Result<HttpResponse, TransportError> {
///     let body = String::from_utf8(r.body().clone()).unwrap();
///     Ok(http::Response::new(if body.contains("<Operation>GetOrderInformation</Operation>") {
///         b"<Order><row><id>14008766</id><Orderstatus>APPROVED</Orderstatus><twoId>2292054</twoId></row></Order>".to_vec()
///     } else {
///         assert!(body.contains("<TranId>2292054</TranId>"), "{body}");
///         b"<TKKPG><Response><Operation>Refund</Operation><Status>00</Status></Response></TKKPG>".to_vec()
///     }))
/// };
/// let outcome = execute_flow(&mut flow, &config, &transport)?;
/// assert_eq!(outcome.state, azpay_core::State::Done);
/// assert_eq!(flow.two_id(), Some("2292054"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct RefundPayment {
    order_id: String,
    session_id: String,
    amount: Amount,
    description: Option<String>,
    tran_id: Option<String>,
    with_fee: bool,
    language: Option<Language>,
    stage: Stage,
    sent: Vec<&'static str>,
}

/// The step names of [`RefundPayment`], as [`FlowError::step`] and [`FlowError::sent`] say them.
pub const STEP_GET_ORDER_INFORMATION: &str = "get-order-information";
/// See [`STEP_GET_ORDER_INFORMATION`].
pub const STEP_REFUND: &str = "refund";

impl RefundPayment {
    /// Refunds `amount` of this order.
    pub fn new(order_id: impl Into<String>, session_id: impl Into<String>, amount: Amount) -> Self {
        RefundPayment {
            order_id: order_id.into(),
            session_id: session_id.into(),
            amount,
            description: None,
            tran_id: None,
            with_fee: false,
            language: None,
            stage: Stage::Start,
            sent: Vec::new(),
        }
    }
    /// The payment's `TwoId`, when known (e.g. `PaymentRef::Twec.tran_id`, XMLOut's `TwoId`):
    /// the flow then sends the `Refund` at once.
    pub fn tran_id(mut self, id: impl Into<String>) -> Self {
        self.tran_id = Some(id.into());
        self
    }
    /// [`Self::tran_id`] from an `Option` (nothing changes for `None`).
    pub fn tran_id_opt(self, id: Option<impl Into<String>>) -> Self {
        match id {
            Some(id) => self.tran_id(id),
            None => self,
        }
    }
    /// `Description` of the refund.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// `Refund/WithFee` (Kapital form).
    pub fn with_fee(mut self, on: bool) -> Self {
        self.with_fee = on;
        self
    }
    /// `Language` of the requests (overrides the config).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
    /// The `TwoId` used (given, or found by `GetOrderInformation`); `None` before it is known.
    pub fn two_id(&self) -> Option<&str> {
        self.tran_id.as_deref()
    }
    /// The steps whose requests were sent so far (`get-order-information`, `refund`).
    pub fn sent(&self) -> &[&'static str] {
        &self.sent
    }

    fn refund(&self) -> Refund {
        let mut op = Refund::new(
            self.order_id.as_str(),
            self.session_id.as_str(),
            self.amount,
        )
        .with_fee(self.with_fee);
        if let Some(t) = &self.tran_id {
            op = op.tran_id(t.as_str());
        }
        if let Some(d) = &self.description {
            op = op.description(d.as_str());
        }
        if let Some(l) = self.language {
            op = op.language(l);
        }
        op
    }

    fn information(&self) -> GetOrderInformation {
        let mut op = GetOrderInformation::new(self.order_id.as_str(), self.session_id.as_str());
        if let Some(l) = self.language {
            op = op.language(l);
        }
        op
    }

    /// An error after the first request: always [`Error::Flow`].
    fn fail(&mut self, step: &'static str, e: impl Into<Error<ApiError>>) -> Error<ApiError> {
        self.stage = Stage::Finished;
        FlowError::new(<Self as Flow>::NAME, step, self.sent.clone(), e.into())
            .reference(format!("order {}", self.order_id))
            .into()
    }

    fn send_refund(&mut self, config: &Config) -> Result<Step<OperationOutcome>, Error<ApiError>> {
        let request = self.refund().request(config);
        let request = if self.sent.is_empty() {
            // Nothing sent yet: a bad input is a plain build error.
            request?
        } else {
            request.map_err(|e| self.fail(STEP_REFUND, e))?
        };
        self.sent.push(STEP_REFUND);
        self.stage = Stage::AwaitRefund;
        Ok(Step::Send(request))
    }

    /// The `TwoId` to refund with, from the order information, or the error saying it could
    /// not be found.
    fn two_id_of(&self, info: &OrderInformation) -> Result<String, BuildError> {
        info.payment_two_id().map(str::to_owned).ok_or_else(|| {
            let why = match (&info.order_status, info.two_id.as_deref()) {
                (Some(s), _) if *s != super::OrderStatus::Approved => {
                    format!("the order is {s}, not APPROVED")
                }
                _ => "the answer carries no twoId".to_owned(),
            };
            BuildError::invalid(
                "TranId",
                format!(
                    "the TwoId of the approved payment could not be found with \
                     GetOrderInformation ({why}); nothing was refunded. Pass the TwoId \
                     from the purchase's XMLOut as the TranId"
                ),
            )
        })
    }
}

impl Flow for RefundPayment {
    type Gateway = Twec;
    type Output = OperationOutcome;
    const NAME: &'static str = "refund_payment";

    fn step(
        &mut self,
        config: &Config,
        last: Option<HttpResponse>,
    ) -> Result<Step<OperationOutcome>, Error<ApiError>> {
        match (self.stage, last) {
            (Stage::Start, None) => {
                if self.tran_id.is_some() || config.form_in_use() == RequestForm::Generic {
                    return self.send_refund(config);
                }
                // Check the refund's own input before asking anything.
                let probe = self.clone().tran_id("0");
                probe.refund().build_request(config)?;
                let request = self.information().request(config)?;
                self.sent.push(STEP_GET_ORDER_INFORMATION);
                self.stage = Stage::AwaitInformation;
                Ok(Step::Send(request))
            }
            (Stage::AwaitInformation, Some(response)) => {
                let info = parse_after_sending(&self.information(), config, response)
                    .map_err(|e| self.fail(STEP_GET_ORDER_INFORMATION, e))?;
                let two_id = self
                    .two_id_of(&info)
                    .map_err(|e| self.fail(STEP_REFUND, e))?;
                self.tran_id = Some(two_id);
                self.send_refund(config)
            }
            (Stage::AwaitRefund, Some(response)) => {
                let refund = self.refund();
                let outcome = parse_after_sending(&refund, config, response);
                let outcome = if self.sent.len() > 1 {
                    outcome.map_err(|e| self.fail(STEP_REFUND, e))?
                } else {
                    outcome?
                };
                self.stage = Stage::Finished;
                Ok(Step::Done(outcome))
            }
            _ => Err(Error::Build(BuildError::Encoding(
                "RefundPayment was driven out of order".into(),
            ))),
        }
    }
}
