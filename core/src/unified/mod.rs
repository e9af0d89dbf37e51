//! One API over the three gateways: create a payment, verify the customer's return, get the
//! status, refund, capture a pre-authorisation, cancel (void).
//!
//! Still sans-IO: every verb is an [`Operation`](crate::Operation) of the [`Unified`] gateway
//! that builds exactly the request the gateway-specific operation builds, and whose
//! [`Operation::meta`](crate::Operation::meta) is that operation's
//! [`RequestMeta`](crate::RequestMeta) (so TWEC's client certificate and the retry rules still
//! apply once [`execute`](crate::execute) attaches it). Run them with
//! [`execute`](crate::execute) or [`execute_async`](crate::execute_async) like any other
//! operation.
//!
//! ## Adding a gateway
//!
//! Each gateway's part of this API lives in its own folder, `<gateway>/unified.rs`: an
//! implementation of the crate-private `GatewayAdapter` trait (in `unified/adapter.rs`) that
//! names, for every verb, the gateway operation it stands for and how that operation's
//! answer reads here (including the mapping of its statuses onto [`PaymentStatus`]), and
//! says which [`Verb`]s it supports. Its reconciliations live in `<gateway>/reconcile.rs`,
//! re-exported under [`crate::reconcile`]. Besides that, a gateway is registered by one
//! variant in [`GatewayKind`], [`PaymentRef`], [`Return`] and [`ApiError`] (with their
//! `gateway()` arms), its slot in [`Config`], and one arm in the adapter dispatch. The
//! step-by-step checklist is `docs/adding-a-gateway.md`.
//!
//! | verb | EPoint | Kapital | TWEC | Payriff |
//! |---|---|---|---|---|
//! | [`CreatePayment`] | [`epoint::Pay`] / [`epoint::PreAuth`] | [`kapital::CreateOrder`] (`Order_SMS` / `Order_DMS`) | [`twec::CreateOrder`] (`Purchase` / `PreAuth`) | [`payriff::CreateOrder`] (`PURCHASE` / `PRE_AUTH`; RRN = your order id) |
//! | verify the return: [`Return::verify`] | [`epoint::verify_callback`] (signed; no request) | [`kapital::UnverifiedRedirect`] → [`GetStatus`] | [`twec::UnverifiedXmlOut`] → [`GetStatus`] | [`payriff::UnverifiedCallback`] (unsigned) → [`GetStatus`] |
//! | [`GetStatus`] | [`epoint::GetStatus`] | [`kapital::GetOrder`] (detailed) | [`twec::GetOrderStatus`] | [`payriff::GetOrder`] |
//! | [`Refund`] full / partial | [`epoint::Refund`] (`/reverse`) | [`kapital::ExecTran::refund`] | [`twec::Refund`] | [`payriff::Refund`] |
//! | [`Capture`] | [`epoint::PreAuthComplete`] | [`kapital::ExecTran::clearing`] | [`twec::Completion`] | [`payriff::Capture`] |
//! | [`Cancel`] (void) | unsupported: [`BuildError::Unsupported`] (use [`Refund`]) | [`kapital::ExecTran::void`] (`Auth` for a hold, `Single` for a purchase) | [`twec::Reverse`] | unsupported (use [`Refund`]; an unpaid order: [`payriff::ExpireOrder`]) |
//!
//! Azericard: [`CreatePayment::form`] ([`azericard::Pay`], a form the browser posts);
//! [`Return::azericard_callback`] (signature checked) → [`GetStatus`] ([`azericard::GetStatus`]);
//! refund (full only) and cancel [`azericard::Reverse`]; capture [`azericard::Complete`].
//!
//! A verb a gateway cannot do answers [`BuildError::Unsupported`] before anything is sent;
//! [`supports`] tells in advance.
//!
//! The statuses of the three gateways map onto one [`PaymentStatus`]; its documentation has
//! the table.
//!
//! ```
//! use azpay_core::{execute, unified, Amount, Currency, HttpRequest, HttpResponse, TransportError};
//!
//! let config = unified::Config::new()
//!     .kapital(azpay_core::kapital::Config::new("TerminalSys/kapital", "kapital123")
//!         .redirect_url("https://shop.example/return"));
//! let create = unified::CreatePayment::new(
//!     unified::GatewayKind::Kapital,
//!     Amount::parse_major("10", Currency::AZN)?,
//!     "order-1",
//! );
//! let transport = |_: HttpRequest| -> Result<HttpResponse, TransportError> {
//!     Ok(http::Response::new(
//!         br#"{"order":{"id":4595,"hppUrl":"https://txpgtst.kapitalbank.az/flex","password":"8xjpd1ejxdma","status":"Preparing"}}"#.to_vec(),
//!     ))
//! };
//! let created = execute(&create, &config, &transport)?;
//! assert_eq!(created.redirect_url, "https://txpgtst.kapitalbank.az/flex?id=4595&password=8xjpd1ejxdma");
//! // Keep `created.payment` (a PaymentRef): every later verb takes it.
//! let status = unified::GetStatus::new(&created.payment);
//! let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
//!     assert!(request.uri().path().ends_with("/api/order/4595"));
//!     Ok(http::Response::new(br#"{"order":{"id":4595,"status":"FullyPaid"}}"#.to_vec()))
//! };
//! assert!(execute(&status, &config, &transport)?.status.is_paid());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod adapter;
mod ops;
mod status;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{azericard, epoint, kapital, payriff, twec, Amount, BuildError, Gateway};

pub(crate) use adapter::{GatewayAdapter, NotSupported, StatusKey};

pub use ops::{
    ActionOutcome, Cancel, Capture, CreatePayment, CreatedForm, CreatedPayment, GetStatus,
    PaymentState, Refund, RefundFlow, Return, Verification,
};
pub use status::PaymentStatus;

/// The unified gateway: its configuration holds one configuration per real gateway.
#[derive(Debug, Clone, Copy)]
pub struct Unified;

impl Gateway for Unified {
    const NAME: &'static str = "unified";
    type Config = Config;
    type ApiError = ApiError;
}

/// Which gateway a payment goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GatewayKind {
    /// EPoint.
    EPoint,
    /// Kapital Bank's JSON API.
    Kapital,
    /// TWEC / TranzWare XML.
    Twec,
    /// Payriff.
    Payriff,
    /// Azericard MPI.
    Azericard,
}

impl GatewayKind {
    /// `"epoint"`, `"kapital"` or `"twec"` (the gateways' [`Gateway::NAME`]).
    pub fn name(&self) -> &'static str {
        struct Name;
        impl adapter::WithAdapter for Name {
            type Output = &'static str;
            fn run<A: GatewayAdapter>(self) -> &'static str {
                A::NAME
            }
        }
        adapter::dispatch(*self, Name)
    }
}

impl fmt::Display for GatewayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A verb of the unified API, for [`supports`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Verb {
    /// [`CreatePayment`].
    Create,
    /// [`CreatePayment::preauth`].
    CreatePreAuth,
    /// [`Return::verify`].
    VerifyReturn,
    /// [`GetStatus`].
    Status,
    /// [`Refund::full`].
    RefundFull,
    /// [`Refund::partial`].
    RefundPartial,
    /// [`Capture`].
    Capture,
    /// [`Cancel`].
    Cancel,
}

impl Verb {
    /// The name used in [`BuildError::Unsupported`].
    pub fn name(&self) -> &'static str {
        match self {
            Verb::Create => "create",
            Verb::CreatePreAuth => "create_preauth",
            Verb::VerifyReturn => "verify_return",
            Verb::Status => "status",
            Verb::RefundFull => "refund",
            Verb::RefundPartial => "partial_refund",
            Verb::Capture => "capture",
            Verb::Cancel => "cancel",
        }
    }
}

/// Whether `gateway` can do `verb` through the unified API. What it cannot do is answered
/// with [`BuildError::Unsupported`] when the request is built.
///
/// ```
/// use azpay_core::unified::{supports, GatewayKind, Verb};
/// assert!(supports(GatewayKind::Kapital, Verb::Cancel));
/// assert!(!supports(GatewayKind::EPoint, Verb::Cancel));
/// ```
pub fn supports(gateway: GatewayKind, verb: Verb) -> bool {
    struct Supports(Verb);
    impl adapter::WithAdapter for Supports {
        type Output = bool;
        fn run<A: GatewayAdapter>(self) -> bool {
            A::supports(self.0)
        }
    }
    adapter::dispatch(gateway, Supports(verb))
}

pub(crate) fn unsupported(gateway: GatewayKind, verb: Verb) -> BuildError {
    BuildError::Unsupported {
        gateway: gateway.name(),
        operation: verb.name(),
    }
}

/// How each gateway names a payment: what [`CreatePayment`] returns and every later verb takes.
///
/// Besides the gateway's ids it keeps the amount and whether the payment is a hold: EPoint's
/// refund needs the currency, captures and full refunds on Kapital and TWEC need the amount,
/// and Kapital's void needs to know whether it voids a hold or a purchase. Store it with your
/// order (it serialises to JSON). The Kapital order password and the TWEC session id are not
/// credentials, but treat them like session ids: do not show them to other customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "gateway", rename_all = "lowercase")]
#[non_exhaustive]
pub enum PaymentRef {
    /// An EPoint payment.
    EPoint {
        /// EPoint's `transaction` (`te…`).
        transaction: String,
        /// Your `order_id`.
        order_id: String,
        /// The amount asked (held, for a pre-authorisation).
        amount: Amount,
        /// Whether this is a hold ([`epoint::PreAuth`]).
        preauth: bool,
    },
    /// A Kapital order.
    Kapital {
        /// `order.id`.
        order_id: u64,
        /// `order.password` (for the hosted page and the token calls).
        password: String,
        /// The amount of the order.
        amount: Amount,
        /// Whether this is an `Order_DMS` hold.
        preauth: bool,
    },
    /// A TWEC order.
    Twec {
        /// `OrderID`.
        order_id: String,
        /// `SessionID`: every later operation needs it with the order id.
        session_id: String,
        /// The amount of the order.
        amount: Amount,
        /// Whether this is a `PreAuth` order.
        preauth: bool,
        /// The payment's `TwoId` (TWEC's transaction id), when known: a Kapital refund must
        /// carry it in `<TranId>`. When absent, [`crate::unified::Refund`] fetches it with
        /// `GetOrderInformation` first. Absent from the JSON when unknown.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tran_id: Option<String>,
    },
    /// A Payriff order.
    Payriff {
        /// `orderId`.
        order_id: String,
        /// The amount of the order.
        amount: Amount,
        /// Whether this is a `PRE_AUTH` hold.
        preauth: bool,
    },
    /// An Azericard payment.
    Azericard {
        /// `ORDER` (6–32 digits).
        order: String,
        /// The amount of the payment.
        amount: Amount,
        /// Whether this is a TRTYPE 0 hold.
        preauth: bool,
        /// `RRN` from the callback or status: capture, cancel and refund need it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rrn: Option<String>,
        /// `INT_REF` from the callback or status: capture, cancel and refund need it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        int_ref: Option<String>,
    },
}

impl PaymentRef {
    /// The gateway of this payment.
    pub fn gateway(&self) -> GatewayKind {
        match self {
            PaymentRef::EPoint { .. } => GatewayKind::EPoint,
            PaymentRef::Kapital { .. } => GatewayKind::Kapital,
            PaymentRef::Twec { .. } => GatewayKind::Twec,
            PaymentRef::Payriff { .. } => GatewayKind::Payriff,
            PaymentRef::Azericard { .. } => GatewayKind::Azericard,
        }
    }

    /// The amount of the payment.
    pub fn amount(&self) -> Amount {
        match self {
            PaymentRef::EPoint { amount, .. }
            | PaymentRef::Kapital { amount, .. }
            | PaymentRef::Twec { amount, .. }
            | PaymentRef::Payriff { amount, .. } => *amount,
            PaymentRef::Azericard { amount, .. } => *amount,
        }
    }

    /// Whether the payment is a pre-authorisation (a hold to capture or cancel).
    pub fn is_preauth(&self) -> bool {
        match self {
            PaymentRef::EPoint { preauth, .. }
            | PaymentRef::Kapital { preauth, .. }
            | PaymentRef::Twec { preauth, .. }
            | PaymentRef::Payriff { preauth, .. } => *preauth,
            PaymentRef::Azericard { preauth, .. } => *preauth,
        }
    }
}

/// The configurations of the gateways in use; set the ones you use.
///
/// ```
/// use azpay_core::{epoint, unified};
/// let config = unified::Config::new().epoint(epoint::Config::new("i000000001", "secret"));
/// assert!(config.epoint_config().is_ok());
/// assert!(config.twec_config().is_err());
/// assert!(!format!("{config:?}").contains("secret"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Config {
    epoint: Option<epoint::Config>,
    kapital: Option<kapital::Config>,
    twec: Option<twec::Config>,
    payriff: Option<payriff::Config>,
    azericard: Option<azericard::Config>,
}

impl Config {
    /// No gateway configured.
    pub fn new() -> Self {
        Config::default()
    }
    /// Sets the EPoint configuration.
    pub fn epoint(mut self, config: epoint::Config) -> Self {
        self.epoint = Some(config);
        self
    }
    /// Sets the Kapital configuration.
    pub fn kapital(mut self, config: kapital::Config) -> Self {
        self.kapital = Some(config);
        self
    }
    /// Sets the TWEC configuration.
    pub fn twec(mut self, config: twec::Config) -> Self {
        self.twec = Some(config);
        self
    }
    /// Sets the Payriff configuration.
    pub fn payriff(mut self, config: payriff::Config) -> Self {
        self.payriff = Some(config);
        self
    }
    /// The Payriff configuration, or [`BuildError::InvalidInput`] naming `payriff`.
    pub fn payriff_config(&self) -> Result<&payriff::Config, BuildError> {
        self.payriff.as_ref().ok_or_else(|| missing("payriff"))
    }
    /// Sets the Azericard configuration.
    pub fn azericard(mut self, config: azericard::Config) -> Self {
        self.azericard = Some(config);
        self
    }
    /// The Azericard configuration, or [`BuildError::InvalidInput`] naming `azericard`.
    pub fn azericard_config(&self) -> Result<&azericard::Config, BuildError> {
        self.azericard.as_ref().ok_or_else(|| missing("azericard"))
    }
    /// The EPoint configuration, or [`BuildError::InvalidInput`] naming `epoint`.
    pub fn epoint_config(&self) -> Result<&epoint::Config, BuildError> {
        self.epoint.as_ref().ok_or_else(|| missing("epoint"))
    }
    /// The Kapital configuration, or [`BuildError::InvalidInput`] naming `kapital`.
    pub fn kapital_config(&self) -> Result<&kapital::Config, BuildError> {
        self.kapital.as_ref().ok_or_else(|| missing("kapital"))
    }
    /// The TWEC configuration, or [`BuildError::InvalidInput`] naming `twec`.
    pub fn twec_config(&self) -> Result<&twec::Config, BuildError> {
        self.twec.as_ref().ok_or_else(|| missing("twec"))
    }
}

fn missing(gateway: &'static str) -> BuildError {
    BuildError::invalid(
        gateway,
        format!("no {gateway} configuration: set it with unified::Config::{gateway}"),
    )
}

/// The error body of whichever gateway answered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// EPoint's.
    #[error(transparent)]
    EPoint(epoint::ApiError),
    /// Kapital's.
    #[error(transparent)]
    Kapital(kapital::ApiError),
    /// TWEC's.
    #[error(transparent)]
    Twec(twec::ApiError),
    /// Payriff's.
    #[error(transparent)]
    Payriff(payriff::ApiError),
    /// Azericard's.
    #[error(transparent)]
    Azericard(azericard::ApiError),
}

impl ApiError {
    /// The gateway that answered.
    pub fn gateway(&self) -> GatewayKind {
        match self {
            ApiError::EPoint(_) => GatewayKind::EPoint,
            ApiError::Kapital(_) => GatewayKind::Kapital,
            ApiError::Twec(_) => GatewayKind::Twec,
            ApiError::Payriff(_) => GatewayKind::Payriff,
            ApiError::Azericard(_) => GatewayKind::Azericard,
        }
    }
}
