//! The verbs of the unified API. Each one is an [`Operation`] of the [`Unified`] gateway whose
//! methods are the generic [`adapter::build`], [`adapter::parse`] and [`adapter::meta`]: the
//! gateway is picked once, by [`adapter::dispatch`], and each gateway's part lives in its own
//! folder (`<gateway>/unified.rs`).

use serde::Serialize;

use super::adapter::{
    self, check_supported, payment_of, GatewayAdapter, OutputOf, StatusKey, UnifiedVerb,
    WithAdapter,
};
use super::{ApiError, Config, GatewayKind, PaymentRef, PaymentStatus, Unified, Verb};
use crate::State;
use crate::{
    azericard, epoint, kapital, payriff, twec, Amount, BuildError, HttpRequest, HttpResponse,
    Language, Operation, RequestMeta, ResponseError,
};

type RErr = ResponseError<ApiError>;

// ---------------------------------------------------------------------------------------
// Outputs

/// A payment was created: keep [`CreatedPayment::payment`] and send the customer's browser to
/// [`CreatedPayment::redirect_url`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CreatedPayment {
    /// How the gateway names the payment; every later verb takes it.
    pub payment: PaymentRef,
    /// The payment page.
    pub redirect_url: String,
}

/// A payment whose page is a form the customer's browser posts (Azericard), from
/// [`CreatePayment::form`]: keep [`CreatedForm::payment`] and send the browser
/// [`CreatedForm::form`] (e.g. its `to_html()`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CreatedForm {
    /// How the gateway names the payment; every later verb takes it.
    pub payment: PaymentRef,
    /// The signed form.
    pub form: azericard::PaymentForm,
}

/// The state of a payment, as the gateway reported it over an authenticated channel (a
/// status query, or EPoint's signed callback).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PaymentState {
    /// The gateway.
    pub gateway: GatewayKind,
    /// The uniform outcome: done (paid, authorised, partly refunded), declined, pending
    /// (including every status word azpay does not know) or returned (refunded in full,
    /// voided). Always `status.state()`.
    pub state: State,
    /// The normalised status.
    pub status: PaymentStatus,
    /// The gateway's own status word (`success`, `FullyPaid`, `APPROVED`, …).
    pub gateway_status: String,
    /// The amount, when the gateway reports it.
    pub amount: Option<Amount>,
}

impl PaymentState {
    pub(crate) fn new(
        gateway: GatewayKind,
        status: PaymentStatus,
        gateway_status: impl Into<String>,
        amount: Option<Amount>,
    ) -> Self {
        PaymentState {
            gateway,
            state: status.state(),
            status,
            gateway_status: gateway_status.into(),
            amount,
        }
    }
}

/// The answer to [`Refund`], [`Capture`] or [`Cancel`]. A refusal with the gateway's error body
/// is an [`crate::Error`] instead; a decline is this value with [`State::Declined`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ActionOutcome {
    /// The gateway.
    pub gateway: GatewayKind,
    /// The uniform outcome of the action: [`State::Done`] when the gateway approved it (EPoint
    /// `status` `success`, Kapital `pmoResultCode` `1`, TWEC `Status` `00` with no declining
    /// `ResponseCode`), [`State::Declined`] when it refused, [`State::Pending`] when it has
    /// not decided or answered with a word azpay does not know.
    pub state: State,
    /// The processing code when the gateway gives one (Kapital `pmoResultCode`, TWEC
    /// `ResponseCode`).
    pub code: Option<String>,
    /// The gateway's message (EPoint).
    pub message: Option<String>,
}

impl ActionOutcome {
    /// Whether the gateway approved the action (`state` is [`State::Done`]).
    pub fn approved(&self) -> bool {
        self.state.is_done()
    }
}

// ---------------------------------------------------------------------------------------
// CreatePayment

/// Create a payment and get the page to send the customer to.
///
/// | gateway | request | from the unified fields |
/// |---|---|---|
/// | EPoint | [`epoint::Pay`] (or [`epoint::PreAuth`]) | `amount`, `order_id`, `description`, `language`, `success_redirect_url` = `error_redirect_url` = `return_url` |
/// | Kapital | [`kapital::CreateOrder::purchase`] (or `preauth`) | `amount`, `description` (default: the order id), `language`, `hppRedirectUrl` = `return_url` |
/// | TWEC | [`twec::CreateOrder::purchase`] (or `preauth`) | `amount`, `Description` (default: the order id), `Language`, `ApproveURL` = `CancelURL` = `DeclineURL` = `return_url` |
///
/// URLs not set here come from each gateway's configuration, as with the gateway's own
/// operation.
///
/// ```
/// use azpay_core::{epoint, execute, unified, Amount, Currency, HttpRequest, HttpResponse, TransportError};
///
/// let config = unified::Config::new().epoint(epoint::Config::new("i000000001", "private-key"));
/// let op = unified::CreatePayment::new(
///     unified::GatewayKind::EPoint,
///     Amount::parse_major("30.75", Currency::AZN)?,
///     "order-1",
/// )
/// .description("test payment");
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert_eq!(request.uri(), "https://epoint.az/api/1/request");
///     Ok(http::Response::new(
///         br#"{"status":"success","transaction":"te000000001","redirect_url":"https://epoint.az/pay/1"}"#.to_vec(),
///     ))
/// };
/// let created = execute(&op, &config, &transport)?;
/// assert_eq!(created.redirect_url, "https://epoint.az/pay/1");
/// assert!(matches!(created.payment, unified::PaymentRef::EPoint { ref transaction, .. } if transaction == "te000000001"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatePayment {
    pub(crate) gateway: GatewayKind,
    pub(crate) amount: Amount,
    pub(crate) order_id: String,
    pub(crate) description: Option<String>,
    pub(crate) language: Option<Language>,
    pub(crate) return_url: Option<String>,
    pub(crate) preauth: bool,
}

impl CreatePayment {
    /// A purchase of `amount` on `gateway`, for your `order_id` (EPoint's `order_id`; on
    /// Kapital and TWEC, which number orders themselves, the default description).
    pub fn new(gateway: GatewayKind, amount: Amount, order_id: impl Into<String>) -> Self {
        CreatePayment {
            gateway,
            amount,
            order_id: order_id.into(),
            description: None,
            language: None,
            return_url: None,
            preauth: false,
        }
    }
    /// Hold the amount instead (pre-authorisation); [`Capture`] or [`Cancel`] it later.
    pub fn preauth(mut self) -> Self {
        self.preauth = true;
        self
    }
    /// The description shown to the customer.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
    /// The payment page's language (default: the gateway configuration's).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
    /// Where the customer's browser comes back to, whatever the outcome (default: the gateway
    /// configuration's URLs).
    pub fn return_url(mut self, url: impl Into<String>) -> Self {
        self.return_url = Some(url.into());
        self
    }

    /// For a gateway whose payment page is a form the browser posts (Azericard): the signed
    /// form and the [`PaymentRef`] to keep. Nothing is sent. Other gateways refuse it
    /// (execute the `CreatePayment` instead).
    pub fn form(&self, config: &Config) -> Result<CreatedForm, BuildError> {
        struct Form<'a>(&'a CreatePayment, &'a Config);
        impl WithAdapter for Form<'_> {
            type Output = Result<CreatedForm, BuildError>;
            fn run<A: GatewayAdapter>(self) -> Self::Output {
                check_supported::<A>(if self.0.preauth {
                    Verb::CreatePreAuth
                } else {
                    Verb::Create
                })?;
                A::form(self.0, A::config(self.1)?)
            }
        }
        adapter::dispatch(self.gateway, Form(self, config))
    }

    /// The description, or else the order id.
    pub(crate) fn description_or_order_id(&self) -> &str {
        self.description.as_deref().unwrap_or(&self.order_id)
    }
}

impl UnifiedVerb for CreatePayment {
    type Inner<A: GatewayAdapter> = A::Create;
    fn gateway(&self) -> GatewayKind {
        self.gateway
    }
    fn inner<A: GatewayAdapter>(&self) -> Result<A::Create, BuildError> {
        check_supported::<A>(if self.preauth {
            Verb::CreatePreAuth
        } else {
            Verb::Create
        })?;
        A::create(self)
    }
    fn output<A: GatewayAdapter>(&self, output: OutputOf<A::Create>) -> CreatedPayment {
        A::created(self, output)
    }
}

impl Operation for CreatePayment {
    type Gateway = Unified;
    type Output = CreatedPayment;
    const NAME: &'static str = "create_payment";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        adapter::build(self, config)
    }
    fn parse_response(
        &self,
        config: &Config,
        response: HttpResponse,
    ) -> Result<CreatedPayment, RErr> {
        adapter::parse(self, config, response)
    }
    fn meta(&self) -> RequestMeta {
        adapter::meta(self)
    }
}

// ---------------------------------------------------------------------------------------
// GetStatus

/// The trusted status of a payment: [`epoint::GetStatus`] (by transaction),
/// [`kapital::GetOrder`] (detailed, to tell partial refunds) or [`twec::GetOrderStatus`].
/// Idempotent.
///
/// ```
/// use azpay_core::{execute, twec, unified, Amount, Currency, HttpRequest, HttpResponse, TransportError};
///
/// let config = unified::Config::new().twec(twec::Config::kapital_test("E1000010"));
/// let op = unified::GetStatus::twec("86166", "4195BE06C8BC8BBDA9CF1B55FD403E24");
/// let transport = |_: HttpRequest| -> Result<HttpResponse, TransportError> {
///     Ok(http::Response::new(
///         b"<TKKPG><Response><Operation>GetOrderStatus</Operation><Status>00</Status>\
///           <Order><OrderID>86166</OrderID><OrderStatus>APPROVED</OrderStatus></Order>\
///           </Response></TKKPG>".to_vec(),
///     ))
/// };
/// let state = execute(&op, &config, &transport)?;
/// assert_eq!(state.status, unified::PaymentStatus::Paid);
/// assert_eq!(state.gateway_status, "APPROVED");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetStatus {
    key: StatusKey,
}

impl GetStatus {
    /// The status of `payment`.
    pub fn new(payment: &PaymentRef) -> Self {
        struct KeyOf<'a>(&'a PaymentRef);
        impl WithAdapter for KeyOf<'_> {
            type Output = StatusKey;
            fn run<A: GatewayAdapter>(self) -> StatusKey {
                match payment_of::<A>(self.0) {
                    Ok(p) => A::status_key(&p),
                    // Not reached: `dispatch` picks the payment's own gateway. An empty id
                    // would be refused by the gateway operation's validation.
                    Err(_) => StatusKey {
                        gateway: A::KIND,
                        id: String::new(),
                        session: None,
                    },
                }
            }
        }
        GetStatus {
            key: adapter::dispatch(payment.gateway(), KeyOf(payment)),
        }
    }
    /// The query for `key` (the gateways' own constructors, such as [`GetStatus::kapital`],
    /// live in their folders).
    pub(crate) fn from_key(key: StatusKey) -> Self {
        GetStatus { key }
    }
    /// The gateway asked.
    pub fn gateway(&self) -> GatewayKind {
        self.key.gateway
    }
}

impl UnifiedVerb for GetStatus {
    type Inner<A: GatewayAdapter> = A::Status;
    fn gateway(&self) -> GatewayKind {
        self.key.gateway
    }
    fn inner<A: GatewayAdapter>(&self) -> Result<A::Status, BuildError> {
        check_supported::<A>(Verb::Status)?;
        A::status(&self.key)
    }
    fn output<A: GatewayAdapter>(&self, output: OutputOf<A::Status>) -> PaymentState {
        A::state(output)
    }
}

impl Operation for GetStatus {
    type Gateway = Unified;
    type Output = PaymentState;
    const NAME: &'static str = "get_status";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        adapter::build(self, config)
    }
    fn parse_response(
        &self,
        config: &Config,
        response: HttpResponse,
    ) -> Result<PaymentState, RErr> {
        adapter::parse(self, config, response)
    }
    fn meta(&self) -> RequestMeta {
        adapter::meta(self)
    }
}

// ---------------------------------------------------------------------------------------
// Refund

/// Give money back: all of the payment ([`Refund::full`]) or part of it
/// ([`Refund::partial`]).
///
/// EPoint's full refund sends no amount (`/reverse`); Kapital and TWEC name the amount, so a
/// full refund there sends the payment's amount from the [`PaymentRef`] (after a partial
/// refund, refund the rest with [`Refund::partial`]).
///
/// ```
/// use azpay_core::{execute, kapital, unified, Amount, Currency, HttpRequest, HttpResponse, TransportError};
///
/// let config = unified::Config::new().kapital(kapital::Config::new("TerminalSys/kapital", "kapital123"));
/// let payment = unified::PaymentRef::Kapital {
///     order_id: 5531, password: "p".into(),
///     amount: Amount::parse_major("5", Currency::AZN)?, preauth: false,
/// };
/// let op = unified::Refund::partial(&payment, Amount::parse_major("2", Currency::AZN)?);
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert_eq!(request.body(), br#"{"tran":{"phase":"Single","amount":"2.00","type":"Refund"}}"#);
///     Ok(http::Response::new(br#"{"tran":{"approvalCode":"053703","pmoResultCode":"1"}}"#.to_vec()))
/// };
/// assert!(execute(&op, &config, &transport)?.approved());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    payment: PaymentRef,
    amount: Option<Amount>,
}

impl Refund {
    /// Refund all of `payment`.
    pub fn full(payment: &PaymentRef) -> Self {
        Refund {
            payment: payment.clone(),
            amount: None,
        }
    }
    /// Refund `amount` of `payment`.
    pub fn partial(payment: &PaymentRef, amount: Amount) -> Self {
        Refund {
            payment: payment.clone(),
            amount: Some(amount),
        }
    }
}

impl UnifiedVerb for Refund {
    type Inner<A: GatewayAdapter> = A::Refund;
    fn gateway(&self) -> GatewayKind {
        self.payment.gateway()
    }
    fn inner<A: GatewayAdapter>(&self) -> Result<A::Refund, BuildError> {
        check_supported::<A>(match self.amount {
            Some(_) => Verb::RefundPartial,
            None => Verb::RefundFull,
        })?;
        A::refund(&payment_of::<A>(&self.payment)?, self.amount)
    }
    fn output<A: GatewayAdapter>(&self, output: OutputOf<A::Refund>) -> ActionOutcome {
        A::refunded(output)
    }
}

impl Operation for Refund {
    type Gateway = Unified;
    type Output = ActionOutcome;
    const NAME: &'static str = "refund";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        adapter::build(self, config)
    }
    fn parse_response(
        &self,
        config: &Config,
        response: HttpResponse,
    ) -> Result<ActionOutcome, RErr> {
        adapter::parse(self, config, response)
    }
    fn meta(&self) -> RequestMeta {
        adapter::meta(self)
    }
}

/// [`Refund`] as a [`Flow`](crate::Flow): the way to refund through the unified API on every gateway.
///
/// On EPoint and Kapital, and on TWEC when the [`PaymentRef::Twec`] carries its `tran_id`, it
/// sends the one request of [`Refund`]. A TWEC payment whose TwoId is not known (Kapital's form
/// must send it in `<TranId>`) is refunded by [`twec::RefundPayment`]: `GetOrderInformation`
/// first for the TwoId, then the `Refund`; when the TwoId cannot be found it stops before
/// refunding with an [`crate::Error::Flow`] naming `TranId`. Executing the single-request
/// [`Refund`] for such a payment is refused before sending, naming `TranId`.
///
/// ```
/// use azpay_core::{execute_flow, twec, unified, Amount, Currency, HttpRequest, HttpResponse, TransportError};
///
/// let config = unified::Config::new().twec(twec::Config::kapital_test("E1000010"));
/// let payment = unified::PaymentRef::Twec {
///     order_id: "14008766".into(),
///     session_id: "277F3E92".into(),
///     amount: Amount::from_minor(328, Currency::AZN),
///     preauth: false,
///     tran_id: None,
/// };
/// let transport = |r: HttpRequest| -> Result<HttpResponse, TransportError> {
///     let body = String::from_utf8(r.body().clone()).unwrap();
///     Ok(http::Response::new(if body.contains("<Operation>GetOrderInformation</Operation>") {
///         b"<Order><row><id>14008766</id><Orderstatus>APPROVED</Orderstatus><twoId>2292054</twoId></row></Order>".to_vec()
///     } else {
///         assert!(body.contains("<TranId>2292054</TranId>"), "{body}");
///         b"<TKKPG><Response><Operation>Refund</Operation><Status>00</Status></Response></TKKPG>".to_vec()
///     }))
/// };
/// let mut flow = unified::Refund::full(&payment).flow();
/// let outcome = execute_flow(&mut flow, &config, &transport)?;
/// assert_eq!(outcome.state, azpay_core::State::Done);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct RefundFlow {
    refund: Refund,
    drive: RefundDrive,
}

#[derive(Debug, Clone)]
enum RefundDrive {
    Start,
    One,
    Twec(twec::RefundPayment),
    Finished,
}

impl Refund {
    /// This refund as a [`RefundFlow`], which also refunds a TWEC payment whose TwoId is not
    /// known.
    pub fn flow(self) -> RefundFlow {
        RefundFlow {
            refund: self,
            drive: RefundDrive::Start,
        }
    }
}

impl crate::Flow for RefundFlow {
    type Gateway = Unified;
    type Output = ActionOutcome;
    const NAME: &'static str = "refund";

    fn step(
        &mut self,
        config: &Config,
        last: Option<HttpResponse>,
    ) -> Result<crate::Step<ActionOutcome>, crate::Error<ApiError>> {
        use crate::{Error, Step};
        let drive = std::mem::replace(&mut self.drive, RefundDrive::Finished);
        match (drive, last) {
            (RefundDrive::Start, None) => {
                if let PaymentRef::Twec { .. } = &self.refund.payment {
                    check_supported::<twec::Twec>(match self.refund.amount {
                        Some(_) => Verb::RefundPartial,
                        None => Verb::RefundFull,
                    })?;
                    let flow =
                        twec::RefundPayment::for_payment(&self.refund.payment, self.refund.amount)
                            .ok_or_else(|| BuildError::invalid("payment", "not a TWEC payment"))?;
                    self.drive = RefundDrive::Twec(flow);
                    return self.step(config, None);
                }
                let request = self.refund.request(config)?;
                self.drive = RefundDrive::One;
                Ok(Step::Send(request))
            }
            (RefundDrive::One, Some(response)) => Ok(Step::Done(crate::parse_after_sending(
                &self.refund,
                config,
                response,
            )?)),
            (RefundDrive::Twec(mut flow), last) => {
                let twec_config = config.twec_config()?;
                let step = flow
                    .step(twec_config, last)
                    .map_err(|e| e.map_api(ApiError::Twec))?;
                match step {
                    Step::Send(request) => {
                        self.drive = RefundDrive::Twec(flow);
                        Ok(Step::Send(request))
                    }
                    Step::Done(outcome) => Ok(Step::Done(
                        <twec::Twec as GatewayAdapter>::refunded(outcome),
                    )),
                }
            }
            _ => Err(Error::Build(BuildError::Encoding(
                "refund flow driven out of order".to_owned(),
            ))),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Capture

/// Capture a pre-authorisation, all of it or [`Capture::amount`] of it:
/// [`epoint::PreAuthComplete`], [`kapital::ExecTran::clearing`], [`twec::Completion`].
/// A payment that is not a hold is refused before sending.
///
/// ```
/// use azpay_core::{epoint, execute, unified, Amount, Currency, HttpRequest, HttpResponse, TransportError};
///
/// let config = unified::Config::new().epoint(epoint::Config::new("i000000001", "private-key"));
/// let hold = unified::PaymentRef::EPoint {
///     transaction: "te000000101".into(), order_id: "h-1".into(),
///     amount: Amount::parse_major("50", Currency::AZN)?, preauth: true,
/// };
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert_eq!(request.uri(), "https://epoint.az/api/1/pre-auth-complete");
///     Ok(http::Response::new(br#"{"status":"success","message":"ok","transaction":"te000000101"}"#.to_vec()))
/// };
/// assert!(execute(&unified::Capture::new(&hold), &config, &transport)?.approved());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    payment: PaymentRef,
    amount: Option<Amount>,
}

impl Capture {
    /// Capture all of the hold `payment`.
    pub fn new(payment: &PaymentRef) -> Self {
        Capture {
            payment: payment.clone(),
            amount: None,
        }
    }
    /// Capture only `amount` (at most the hold).
    pub fn amount(mut self, amount: Amount) -> Self {
        self.amount = Some(amount);
        self
    }
}

impl UnifiedVerb for Capture {
    type Inner<A: GatewayAdapter> = A::Capture;
    fn gateway(&self) -> GatewayKind {
        self.payment.gateway()
    }
    fn inner<A: GatewayAdapter>(&self) -> Result<A::Capture, BuildError> {
        if !self.payment.is_preauth() {
            return Err(BuildError::invalid(
                "payment",
                "is not a pre-authorisation; only a hold can be captured",
            ));
        }
        check_supported::<A>(Verb::Capture)?;
        A::capture(&payment_of::<A>(&self.payment)?, self.amount)
    }
    fn output<A: GatewayAdapter>(&self, output: OutputOf<A::Capture>) -> ActionOutcome {
        A::captured(output)
    }
}

impl Operation for Capture {
    type Gateway = Unified;
    type Output = ActionOutcome;
    const NAME: &'static str = "capture";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        adapter::build(self, config)
    }
    fn parse_response(
        &self,
        config: &Config,
        response: HttpResponse,
    ) -> Result<ActionOutcome, RErr> {
        adapter::parse(self, config, response)
    }
    fn meta(&self) -> RequestMeta {
        adapter::meta(self)
    }
}

// ---------------------------------------------------------------------------------------
// Cancel

/// Cancel (void) a payment before settlement: a hold that was not captured, or a purchase the
/// same day. After that, [`Refund`].
///
/// Kapital: [`kapital::ExecTran::void`] with phase `Auth` for a hold, `Single` for a
/// purchase. TWEC: [`twec::Reverse`]. EPoint documents no void apart from `/reverse`, which
/// is its refund: [`BuildError::Unsupported`].
///
/// ```
/// use azpay_core::{epoint, execute, unified, Amount, BuildError, Currency, Error, HttpRequest, HttpResponse, TransportError};
///
/// let config = unified::Config::new().epoint(epoint::Config::new("i000000001", "private-key"));
/// let payment = unified::PaymentRef::EPoint {
///     transaction: "te1".into(), order_id: "o-1".into(),
///     amount: Amount::parse_major("5", Currency::AZN)?, preauth: false,
/// };
/// let never = |_: HttpRequest| -> Result<HttpResponse, TransportError> { unreachable!() };
/// let err = execute(&unified::Cancel::new(&payment), &config, &never).unwrap_err();
/// assert!(matches!(err, Error::Build(BuildError::Unsupported { gateway: "epoint", operation: "cancel" })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancel {
    payment: PaymentRef,
}

impl Cancel {
    /// Void `payment`.
    pub fn new(payment: &PaymentRef) -> Self {
        Cancel {
            payment: payment.clone(),
        }
    }
}

impl UnifiedVerb for Cancel {
    type Inner<A: GatewayAdapter> = A::Cancel;
    fn gateway(&self) -> GatewayKind {
        self.payment.gateway()
    }
    fn inner<A: GatewayAdapter>(&self) -> Result<A::Cancel, BuildError> {
        check_supported::<A>(Verb::Cancel)?;
        A::cancel(&payment_of::<A>(&self.payment)?)
    }
    fn output<A: GatewayAdapter>(&self, output: OutputOf<A::Cancel>) -> ActionOutcome {
        A::cancelled(output)
    }
}

impl Operation for Cancel {
    type Gateway = Unified;
    type Output = ActionOutcome;
    const NAME: &'static str = "cancel";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        adapter::build(self, config)
    }
    fn parse_response(
        &self,
        config: &Config,
        response: HttpResponse,
    ) -> Result<ActionOutcome, RErr> {
        adapter::parse(self, config, response)
    }
    fn meta(&self) -> RequestMeta {
        adapter::meta(self)
    }
}

// ---------------------------------------------------------------------------------------
// The customer's return

/// What came back after the payment page, per gateway.
///
/// Only EPoint's server callback is signed; [`Return::epoint_callback`] verifies it, so
/// holding a `Return::EPoint` means the signature was right. Kapital's `?ID=&STATUS=` redirect
/// and TWEC's `xmlmsg` pass through the customer's browser and are forgeable: they become a
/// status query ([`Verification::Query`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Return {
    /// A verified EPoint callback.
    EPoint(epoint::Callback),
    /// Kapital's browser redirect, unverified.
    Kapital(kapital::UnverifiedRedirect),
    /// TWEC's XMLOut message, unverified.
    Twec(twec::UnverifiedXmlOut),
    /// Payriff's callback (unsigned), unverified.
    Payriff(payriff::UnverifiedCallback),
    /// Azericard's callback, signature checked, outcome unconfirmed.
    Azericard(azericard::UnverifiedCallback),
}

/// The result of [`Return::verify`].
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Verification {
    /// Already trustworthy (EPoint's signed callback).
    Verified(PaymentState),
    /// Execute this status query; its [`PaymentState`] is the answer.
    Query(GetStatus),
}

impl Return {
    /// The gateway the return comes from.
    pub fn gateway(&self) -> GatewayKind {
        match self {
            Return::EPoint(_) => GatewayKind::EPoint,
            Return::Kapital(_) => GatewayKind::Kapital,
            Return::Twec(_) => GatewayKind::Twec,
            Return::Payriff(_) => GatewayKind::Payriff,
            Return::Azericard(_) => GatewayKind::Azericard,
        }
    }

    /// The trusted state (EPoint) or the status query that gives it (Kapital, TWEC).
    ///
    /// ```
    /// use azpay_core::{epoint, unified};
    ///
    /// let config = epoint::Config::new("i000000001", "private-key");
    /// let body = epoint::sign_callback(&config, &serde_json::json!({
    ///     "order_id": "1", "status": "success", "code": "000", "transaction": "te1", "amount": 30.75
    /// }));
    /// let ret = unified::Return::epoint_callback(&config, &body)?;
    /// let unified::Verification::Verified(state) = ret.verify()? else { panic!() };
    /// assert!(state.status.is_paid());
    ///
    /// let ret = unified::Return::kapital_redirect("ID=5531&STATUS=FullyPaid")?;
    /// let unified::Verification::Query(query) = ret.verify()? else { panic!() };
    /// assert_eq!(query, unified::GetStatus::kapital(5531)); // execute it: its answer decides
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify(&self) -> Result<Verification, BuildError> {
        struct Verify<'a>(&'a Return);
        impl WithAdapter for Verify<'_> {
            type Output = Result<Verification, BuildError>;
            fn run<A: GatewayAdapter>(self) -> Self::Output {
                check_supported::<A>(Verb::VerifyReturn)?;
                match A::return_of(self.0) {
                    Some(ret) => A::verify_return(ret),
                    // Not reached: `dispatch` picks the return's own gateway.
                    None => Err(BuildError::invalid(
                        "return",
                        format!("is not a {} return", A::NAME),
                    )),
                }
            }
        }
        adapter::dispatch(self.gateway(), Verify(self))
    }
}
