//! The verbs of the unified API: each one dispatches to the gateway's own operation.

use serde::Serialize;

use super::{unsupported, ApiError, Config, GatewayKind, PaymentRef, PaymentStatus, Unified, Verb};
use crate::{
    epoint, kapital, twec, Amount, BuildError, HttpRequest, HttpResponse, Language, Operation,
    RequestMeta, ResponseError,
};

type RErr = ResponseError<ApiError>;

// ---------------------------------------------------------------------------------------
// Dispatch plumbing

/// The gateway operation a unified verb stands for.
enum Inner<E, K, T> {
    EPoint(E),
    Kapital(K),
    Twec(T),
}

/// What that operation answered.
enum Parsed<E, K, T> {
    EPoint(E),
    Kapital(K),
    Twec(T),
}

impl<E, K, T> Inner<E, K, T>
where
    E: Operation<Gateway = epoint::EPoint>,
    K: Operation<Gateway = kapital::Kapital>,
    T: Operation<Gateway = twec::Twec>,
{
    fn build(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        let (mut request, meta) = match self {
            Inner::EPoint(op) => (op.build_request(config.epoint_config()?)?, op.meta()),
            Inner::Kapital(op) => (op.build_request(config.kapital_config()?)?, op.meta()),
            Inner::Twec(op) => (op.build_request(config.twec_config()?)?, op.meta()),
        };
        // The gateway operation's meta: the transport sees "twec"/"get_order_status", needs
        // the client certificate for TWEC, and retries only what is idempotent.
        request.extensions_mut().insert(meta);
        Ok(request)
    }

    fn meta(&self) -> RequestMeta {
        match self {
            Inner::EPoint(op) => op.meta(),
            Inner::Kapital(op) => op.meta(),
            Inner::Twec(op) => op.meta(),
        }
    }

    #[allow(clippy::type_complexity)]
    fn parse(
        &self,
        config: &Config,
        response: HttpResponse,
    ) -> Result<Parsed<E::Output, K::Output, T::Output>, RErr> {
        let no_config = |e: BuildError| ResponseError::malformed(e.to_string(), Vec::new());
        Ok(match self {
            Inner::EPoint(op) => {
                let c = config.epoint_config().map_err(no_config)?;
                Parsed::EPoint(
                    op.parse_response(c, response)
                        .map_err(|e| e.map_api(ApiError::EPoint))?,
                )
            }
            Inner::Kapital(op) => {
                let c = config.kapital_config().map_err(no_config)?;
                Parsed::Kapital(
                    op.parse_response(c, response)
                        .map_err(|e| e.map_api(ApiError::Kapital))?,
                )
            }
            Inner::Twec(op) => {
                let c = config.twec_config().map_err(no_config)?;
                Parsed::Twec(
                    op.parse_response(c, response)
                        .map_err(|e| e.map_api(ApiError::Twec))?,
                )
            }
        })
    }
}

fn fallback_meta(operation: &'static str, idempotent: bool) -> RequestMeta {
    RequestMeta {
        gateway: "unified",
        operation,
        idempotent,
        requires_client_identity: false,
    }
}

/// Implements [`Operation`] for a verb with `fn inner(&self)` and `fn output(&self, parsed)`.
macro_rules! unified_operation {
    ($ty:ident, $out:ty, $name:literal, $idempotent:literal) => {
        impl Operation for $ty {
            type Gateway = Unified;
            type Output = $out;
            const NAME: &'static str = $name;
            const IDEMPOTENT: bool = $idempotent;

            fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
                self.inner()?.build(config)
            }

            fn parse_response(
                &self,
                config: &Config,
                response: HttpResponse,
            ) -> Result<$out, RErr> {
                let inner = self
                    .inner()
                    .map_err(|e| ResponseError::malformed(e.to_string(), Vec::new()))?;
                let parsed = inner.parse(config, response)?;
                Ok(self.output(parsed))
            }

            fn meta(&self) -> RequestMeta {
                self.inner()
                    .map(|i| i.meta())
                    .unwrap_or_else(|_| fallback_meta($name, $idempotent))
            }
        }
    };
}

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

/// The state of a payment, as the gateway reported it over an authenticated channel (a
/// status query, or EPoint's signed callback).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PaymentState {
    /// The gateway.
    pub gateway: GatewayKind,
    /// The normalised status.
    pub status: PaymentStatus,
    /// The gateway's own status word (`success`, `FullyPaid`, `APPROVED`, …).
    pub gateway_status: String,
    /// The amount, when the gateway reports it.
    pub amount: Option<Amount>,
}

/// The answer to [`Refund`], [`Capture`] or [`Cancel`]. A refusal with the gateway's error body
/// is an [`crate::Error`] instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ActionOutcome {
    /// The gateway.
    pub gateway: GatewayKind,
    /// Whether the gateway approved it: EPoint `status` `success`, Kapital `pmoResultCode`
    /// `1`, TWEC `Status` `00` with no declining `ResponseCode`.
    pub approved: bool,
    /// The processing code when the gateway gives one (Kapital `pmoResultCode`, TWEC
    /// `ResponseCode`).
    pub code: Option<String>,
    /// The gateway's message (EPoint).
    pub message: Option<String>,
}

fn action_outcome(
    parsed: Parsed<epoint::Acknowledgement, kapital::TranResult, twec::OperationOutcome>,
) -> ActionOutcome {
    match parsed {
        Parsed::EPoint(a) => ActionOutcome {
            gateway: GatewayKind::EPoint,
            approved: a.status.is_success(),
            code: None,
            message: a.message,
        },
        Parsed::Kapital(r) => ActionOutcome {
            gateway: GatewayKind::Kapital,
            approved: r.is_approved(),
            code: r.pmo_result_code.map(|c| c.as_str().to_owned()),
            message: None,
        },
        Parsed::Twec(o) => ActionOutcome {
            gateway: GatewayKind::Twec,
            approved: !o.is_declined(),
            code: o.response_code.map(|c| c.as_str().to_owned()),
            message: None,
        },
    }
}

// ---------------------------------------------------------------------------------------
// CreatePayment

/// EPoint's two ways to create a payment, as one operation.
enum EPointCreate {
    Pay(epoint::Pay),
    PreAuth(epoint::PreAuth),
}

impl Operation for EPointCreate {
    type Gateway = epoint::EPoint;
    type Output = epoint::PaymentRedirect;
    const NAME: &'static str = "pay";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &epoint::Config) -> Result<HttpRequest, BuildError> {
        match self {
            EPointCreate::Pay(op) => op.build_request(config),
            EPointCreate::PreAuth(op) => op.build_request(config),
        }
    }

    fn parse_response(
        &self,
        config: &epoint::Config,
        response: HttpResponse,
    ) -> Result<epoint::PaymentRedirect, ResponseError<epoint::ApiError>> {
        match self {
            EPointCreate::Pay(op) => op.parse_response(config, response),
            EPointCreate::PreAuth(op) => op.parse_response(config, response),
        }
    }

    fn meta(&self) -> RequestMeta {
        match self {
            EPointCreate::Pay(op) => op.meta(),
            EPointCreate::PreAuth(op) => op.meta(),
        }
    }
}

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
    gateway: GatewayKind,
    amount: Amount,
    order_id: String,
    description: Option<String>,
    language: Option<Language>,
    return_url: Option<String>,
    preauth: bool,
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

    fn description_or_order_id(&self) -> &str {
        self.description.as_deref().unwrap_or(&self.order_id)
    }

    #[allow(clippy::type_complexity)]
    fn inner(
        &self,
    ) -> Result<Inner<EPointCreate, kapital::CreateOrder, twec::CreateOrder>, BuildError> {
        Ok(match self.gateway {
            GatewayKind::EPoint => {
                macro_rules! fill {
                    ($op:expr) => {{
                        let mut op = $op;
                        if let Some(d) = &self.description {
                            op = op.description(d.as_str());
                        }
                        if let Some(l) = self.language {
                            op = op.language(l);
                        }
                        if let Some(u) = &self.return_url {
                            op = op
                                .success_redirect_url(u.as_str())
                                .error_redirect_url(u.as_str());
                        }
                        op
                    }};
                }
                Inner::EPoint(if self.preauth {
                    EPointCreate::PreAuth(fill!(epoint::PreAuth::new(
                        self.amount,
                        self.order_id.as_str()
                    )))
                } else {
                    EPointCreate::Pay(fill!(epoint::Pay::new(self.amount, self.order_id.as_str())))
                })
            }
            GatewayKind::Kapital => {
                let mut op = if self.preauth {
                    kapital::CreateOrder::preauth(self.amount)
                } else {
                    kapital::CreateOrder::purchase(self.amount)
                }
                .description(self.description_or_order_id());
                if let Some(l) = self.language {
                    op = op.language(l);
                }
                if let Some(u) = &self.return_url {
                    op = op.hpp_redirect_url(u.as_str());
                }
                Inner::Kapital(op)
            }
            GatewayKind::Twec => {
                let d = self.description_or_order_id();
                let mut op = if self.preauth {
                    twec::CreateOrder::preauth(self.amount, d)
                } else {
                    twec::CreateOrder::purchase(self.amount, d)
                };
                if let Some(l) = self.language {
                    op = op.language(l);
                }
                if let Some(u) = &self.return_url {
                    op = op
                        .approve_url(u.as_str())
                        .cancel_url(u.as_str())
                        .decline_url(u.as_str());
                }
                Inner::Twec(op)
            }
        })
    }

    fn output(
        &self,
        parsed: Parsed<epoint::PaymentRedirect, kapital::CreatedOrder, twec::CreatedOrder>,
    ) -> CreatedPayment {
        match parsed {
            Parsed::EPoint(r) => CreatedPayment {
                payment: PaymentRef::EPoint {
                    transaction: r.transaction,
                    order_id: self.order_id.clone(),
                    amount: self.amount,
                    preauth: self.preauth,
                },
                redirect_url: r.redirect_url,
            },
            Parsed::Kapital(c) => CreatedPayment {
                redirect_url: c.payment_url(),
                payment: PaymentRef::Kapital {
                    order_id: c.id,
                    password: c.password,
                    amount: self.amount,
                    preauth: self.preauth,
                },
            },
            Parsed::Twec(c) => CreatedPayment {
                redirect_url: c.payment_url(),
                payment: PaymentRef::Twec {
                    order_id: c.order_id,
                    session_id: c.session_id,
                    amount: self.amount,
                    preauth: self.preauth,
                },
            },
        }
    }
}
unified_operation!(CreatePayment, CreatedPayment, "create_payment", false);

// ---------------------------------------------------------------------------------------
// GetStatus

#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    EPoint(String),
    Kapital(u64),
    Twec {
        order_id: String,
        session_id: String,
    },
}

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
    key: Key,
}

impl GetStatus {
    /// The status of `payment`.
    pub fn new(payment: &PaymentRef) -> Self {
        let key = match payment {
            PaymentRef::EPoint { transaction, .. } => Key::EPoint(transaction.clone()),
            PaymentRef::Kapital { order_id, .. } => Key::Kapital(*order_id),
            PaymentRef::Twec {
                order_id,
                session_id,
                ..
            } => Key::Twec {
                order_id: order_id.clone(),
                session_id: session_id.clone(),
            },
        };
        GetStatus { key }
    }
    /// The status of an EPoint transaction.
    pub fn epoint(transaction: impl Into<String>) -> Self {
        GetStatus {
            key: Key::EPoint(transaction.into()),
        }
    }
    /// The status of a Kapital order.
    pub fn kapital(order_id: u64) -> Self {
        GetStatus {
            key: Key::Kapital(order_id),
        }
    }
    /// The status of a TWEC order.
    pub fn twec(order_id: impl Into<String>, session_id: impl Into<String>) -> Self {
        GetStatus {
            key: Key::Twec {
                order_id: order_id.into(),
                session_id: session_id.into(),
            },
        }
    }
    /// The gateway asked.
    pub fn gateway(&self) -> GatewayKind {
        match self.key {
            Key::EPoint(_) => GatewayKind::EPoint,
            Key::Kapital(_) => GatewayKind::Kapital,
            Key::Twec { .. } => GatewayKind::Twec,
        }
    }

    #[allow(clippy::type_complexity)]
    fn inner(
        &self,
    ) -> Result<Inner<epoint::GetStatus, kapital::GetOrder, twec::GetOrderStatus>, BuildError> {
        Ok(match &self.key {
            Key::EPoint(t) => Inner::EPoint(epoint::GetStatus::by_transaction(t.as_str())),
            Key::Kapital(id) => Inner::Kapital(kapital::GetOrder::new(*id).detailed()),
            Key::Twec {
                order_id,
                session_id,
            } => Inner::Twec(twec::GetOrderStatus::new(
                order_id.as_str(),
                session_id.as_str(),
            )),
        })
    }

    fn output(
        &self,
        parsed: Parsed<epoint::PaymentStatus, kapital::Order, twec::OrderStatusOutcome>,
    ) -> PaymentState {
        match parsed {
            Parsed::EPoint(s) => PaymentState {
                gateway: GatewayKind::EPoint,
                status: PaymentStatus::from_epoint(&s.status, s.code.as_ref()),
                gateway_status: s.status.as_str().to_owned(),
                amount: s.amount,
            },
            Parsed::Kapital(o) => PaymentState {
                gateway: GatewayKind::Kapital,
                status: PaymentStatus::from_kapital_order(&o),
                gateway_status: o.status.as_str().to_owned(),
                amount: o.amount,
            },
            Parsed::Twec(o) => PaymentState {
                gateway: GatewayKind::Twec,
                status: PaymentStatus::from_twec(&o.order_status),
                gateway_status: o.order_status.as_str().to_owned(),
                amount: None,
            },
        }
    }
}
unified_operation!(GetStatus, PaymentState, "get_status", true);

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
/// assert!(execute(&op, &config, &transport)?.approved);
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

    #[allow(clippy::type_complexity)]
    fn inner(&self) -> Result<Inner<epoint::Refund, kapital::ExecTran, twec::Refund>, BuildError> {
        let amount = self.amount.unwrap_or(self.payment.amount());
        Ok(match &self.payment {
            PaymentRef::EPoint {
                transaction,
                amount: paid,
                ..
            } => {
                let op = epoint::Refund::new(transaction.as_str(), paid.currency());
                Inner::EPoint(match self.amount {
                    Some(a) => op.amount(a),
                    None => op,
                })
            }
            PaymentRef::Kapital { order_id, .. } => {
                Inner::Kapital(kapital::ExecTran::refund(*order_id, amount))
            }
            PaymentRef::Twec {
                order_id,
                session_id,
                ..
            } => Inner::Twec(twec::Refund::new(
                order_id.as_str(),
                session_id.as_str(),
                amount,
            )),
        })
    }

    fn output(
        &self,
        parsed: Parsed<epoint::Acknowledgement, kapital::TranResult, twec::OperationOutcome>,
    ) -> ActionOutcome {
        action_outcome(parsed)
    }
}
unified_operation!(Refund, ActionOutcome, "refund", false);

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
/// assert!(execute(&unified::Capture::new(&hold), &config, &transport)?.approved);
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

    #[allow(clippy::type_complexity)]
    fn inner(
        &self,
    ) -> Result<Inner<epoint::PreAuthComplete, kapital::ExecTran, twec::Completion>, BuildError>
    {
        if !self.payment.is_preauth() {
            return Err(BuildError::invalid(
                "payment",
                "is not a pre-authorisation; only a hold can be captured",
            ));
        }
        let amount = self.amount.unwrap_or(self.payment.amount());
        Ok(match &self.payment {
            PaymentRef::EPoint { transaction, .. } => {
                Inner::EPoint(epoint::PreAuthComplete::new(amount, transaction.as_str()))
            }
            PaymentRef::Kapital { order_id, .. } => {
                let op = kapital::ExecTran::clearing(*order_id);
                Inner::Kapital(match self.amount {
                    Some(a) => op.amount(a),
                    None => op,
                })
            }
            PaymentRef::Twec {
                order_id,
                session_id,
                ..
            } => Inner::Twec(twec::Completion::new(
                order_id.as_str(),
                session_id.as_str(),
                amount,
            )),
        })
    }

    fn output(
        &self,
        parsed: Parsed<epoint::Acknowledgement, kapital::TranResult, twec::OperationOutcome>,
    ) -> ActionOutcome {
        action_outcome(parsed)
    }
}
unified_operation!(Capture, ActionOutcome, "capture", false);

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

    #[allow(clippy::type_complexity)]
    fn inner(&self) -> Result<Inner<epoint::Refund, kapital::ExecTran, twec::Reverse>, BuildError> {
        Ok(match &self.payment {
            PaymentRef::EPoint { .. } => {
                return Err(unsupported(GatewayKind::EPoint, Verb::Cancel))
            }
            PaymentRef::Kapital {
                order_id, preauth, ..
            } => {
                let state = if *preauth {
                    kapital::OrderState::Held
                } else {
                    kapital::OrderState::Purchased
                };
                Inner::Kapital(kapital::ExecTran::void(*order_id, state))
            }
            PaymentRef::Twec {
                order_id,
                session_id,
                ..
            } => Inner::Twec(twec::Reverse::new(order_id.as_str(), session_id.as_str())),
        })
    }

    fn output(
        &self,
        parsed: Parsed<epoint::Acknowledgement, kapital::TranResult, twec::OperationOutcome>,
    ) -> ActionOutcome {
        action_outcome(parsed)
    }
}
unified_operation!(Cancel, ActionOutcome, "cancel", false);

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
    /// Verifies an EPoint callback body (`data=…&signature=…`); see
    /// [`epoint::verify_callback`].
    pub fn epoint_callback(
        config: &epoint::Config,
        body: &[u8],
    ) -> Result<Self, ResponseError<ApiError>> {
        epoint::verify_callback(config, body)
            .map(Return::EPoint)
            .map_err(|e| e.map_api(ApiError::EPoint))
    }
    /// Reads Kapital's redirect (a URL or query string); see [`kapital::parse_redirect`].
    pub fn kapital_redirect(query_or_url: &str) -> Result<Self, kapital::RedirectError> {
        kapital::parse_redirect(query_or_url).map(Return::Kapital)
    }
    /// Reads TWEC's `xmlmsg` (the form body or the message); see [`twec::parse_xmlout`].
    pub fn twec_xmlout(input: &[u8]) -> Result<Self, ResponseError<ApiError>> {
        twec::parse_xmlout(input)
            .map(Return::Twec)
            .map_err(|e| e.map_api(ApiError::Twec))
    }

    /// The gateway the return comes from.
    pub fn gateway(&self) -> GatewayKind {
        match self {
            Return::EPoint(_) => GatewayKind::EPoint,
            Return::Kapital(_) => GatewayKind::Kapital,
            Return::Twec(_) => GatewayKind::Twec,
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
        Ok(match self {
            Return::EPoint(cb) => Verification::Verified(PaymentState {
                gateway: GatewayKind::EPoint,
                status: match &cb.status {
                    Some(s) => PaymentStatus::from_epoint(s, cb.code.as_ref()),
                    None => PaymentStatus::Unknown,
                },
                gateway_status: cb
                    .status
                    .as_ref()
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
                amount: cb.amount,
            }),
            Return::Kapital(r) => Verification::Query(GetStatus::kapital(r.order_id())),
            Return::Twec(x) => {
                let q = x.verify()?;
                Verification::Query(GetStatus::twec(q.order_id(), q.session_id()))
            }
        })
    }
}
