//! Kapital Bank's JSON e-commerce API (`/api/order…`, HTTP Basic auth, hosted payment page).
//!
//! Wire truth: PROTOCOLS.md §2. Every request carries `Authorization: Basic
//! base64(username:password)` (marked sensitive); bodies are JSON wrapped in an envelope key
//! (`{"order":{…}}`, `{"tran":{…}}`, `{"token":{…}}`); error bodies are *not* wrapped and may
//! come with any HTTP status ([`ApiError`]).
//!
//! | operation | request |
//! |---|---|
//! | [`CreateOrder`] | `POST /api/order` |
//! | [`GetOrder`] | `GET /api/order/{id}` (summary or detailed) |
//! | [`ExecTran`] | `POST /api/order/{id}/exec-tran` (clearing, refund, void, saved card, credit, Google Pay) |
//! | [`SetSrcToken`] | `POST /api/order/{id}/set-src-token?password=…` |
//! | [`SetDstToken`] | `POST /api/order/{id}/set-dst-token?password=…` |
//!
//! Flows of several requests: [`PayWithSavedCard`], [`Payout`], [`SavedCardPreAuth`]. The
//! browser's return `?ID=…&STATUS=…` is parsed by [`parse_redirect`] into an
//! [`UnverifiedRedirect`] that only leads to a [`GetOrder`] query.
//!
//! ```
//! use azpay_core::{execute, kapital, Amount, Currency, HttpRequest, HttpResponse, TransportError};
//!
//! let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
//! let order = kapital::CreateOrder::purchase(Amount::parse_major("1", Currency::AZN)?)
//!     .description("Testdesc");
//! let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
//!     assert_eq!(request.uri(), "https://txpgtst.kapitalbank.az/api/order");
//!     Ok(http::Response::new(
//!         br#"{"order":{"id":4595,"hppUrl":"https://txpgtst.kapitalbank.az/flex","password":"8xjpd1ejxdma","status":"Preparing","cvv2AuthStatus":"Required","secret":"312866"}}"#.to_vec(),
//!     ))
//! };
//! let created = execute(&order, &config, &transport)?;
//! assert_eq!(created.payment_url(), "https://txpgtst.kapitalbank.az/flex?id=4595&password=8xjpd1ejxdma");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use base64::Engine as _;
use secrecy::{ExposeSecret, SecretString};

use crate::{BuildError, Gateway, Language};

mod codes;
mod error;
mod flows;
mod ops;
mod outcome;
pub(crate) mod reconcile;
mod redirect;
mod unified;
pub(crate) mod wire;

pub use codes::{
    AuthStatus, CofPurpose, ErrorCode, InitiationEnvKind, OrderStatus, OrderType, PmoResultCode,
    TranPhase, TranType,
};
pub use error::{ApiError, Decline, ErrorDetails};
pub use flows::{FlowOutcome, FlowStep, PayWithSavedCard, Payout, SavedCardPreAuth};
pub use ops::{
    CreateOrder, ExecTran, GetOrder, OrderState, SetDstToken, SetSrcToken, Tran, INSTALLMENT_MONTHS,
};
pub use outcome::{
    CreatedOrder, Merchant, Order, OrderTypeInfo, Terminal, Token, TokenAttached, TranResult,
    Transaction,
};
pub use redirect::{parse_redirect, RedirectError, UnverifiedRedirect, MAX_REDIRECT_BYTES};

/// Kapital Bank's JSON e-commerce API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kapital;

impl Gateway for Kapital {
    const NAME: &'static str = "kapital";
    type Config = Config;
    type ApiError = ApiError;
}

/// The test environment (`https://txpgtst.kapitalbank.az`), the default base URL.
pub const TEST_BASE_URL: &str = "https://txpgtst.kapitalbank.az";
/// The production environment (`https://e-commerce.kapitalbank.az`).
pub const PROD_BASE_URL: &str = "https://e-commerce.kapitalbank.az";

/// Credentials and defaults for Kapital's JSON API.
///
/// The password is a [`SecretString`]: `Debug` shows `<redacted>`.
///
/// ```
/// use azpay_core::kapital::Config;
/// let config = Config::new("TerminalSys/kapital", "kapital123")
///     .redirect_url("https://shop.example/return");
/// assert!(!format!("{config:?}").contains("kapital123"));
/// assert_eq!(config.base(), "https://txpgtst.kapitalbank.az");
/// ```
#[derive(Clone)]
pub struct Config {
    base_url: String,
    username: String,
    password: SecretString,
    language: Language,
    redirect_url: Option<String>,
}

impl Config {
    /// The merchant's Basic-auth credentials; base URL [`TEST_BASE_URL`], language `az`,
    /// no default redirect URL.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Config {
            base_url: TEST_BASE_URL.to_owned(),
            username: username.into(),
            password: SecretString::from(password.into()),
            language: Language::Az,
            redirect_url: None,
        }
    }

    /// Overrides the base URL (scheme and host, e.g. [`PROD_BASE_URL`] or a local sandbox),
    /// written without the `/api` suffix that PROTOCOLS.md's URLs carry (the same convention
    /// as integrify's `KAPITAL_BASE_URL`); endpoints are `{base}/api/…`. A trailing `/` is
    /// ignored.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        let mut b = base_url.into();
        while b.ends_with('/') {
            b.pop();
        }
        self.base_url = b;
        self
    }

    /// The default interface language of the hosted page (`KAPITAL_INTERFACE_LANG`).
    pub fn language(mut self, language: Language) -> Self {
        self.language = language;
        self
    }

    /// The default `hppRedirectUrl` for orders paid on the hosted page
    /// (`KAPITAL_REDIRECT_URL`).
    pub fn redirect_url(mut self, url: impl Into<String>) -> Self {
        self.redirect_url = Some(url.into());
        self
    }

    /// The base URL in use, without a trailing `/`.
    pub fn base(&self) -> &str {
        &self.base_url
    }

    /// The username.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The default language.
    pub fn default_language(&self) -> Language {
        self.language
    }

    /// The default redirect URL, if any.
    pub fn default_redirect_url(&self) -> Option<&str> {
        self.redirect_url.as_deref()
    }

    /// The `Authorization` header value, `Basic base64(username:password)`, marked sensitive
    /// so that HTTP libraries keep it out of their logs.
    pub fn authorization(&self) -> Result<http::HeaderValue, BuildError> {
        if self.username.is_empty() {
            return Err(BuildError::invalid("username", "must not be empty"));
        }
        if self.username.contains(':') {
            return Err(BuildError::invalid(
                "username",
                "must not contain `:` (HTTP Basic auth separates user and password with it)",
            ));
        }
        if self.password.expose_secret().is_empty() {
            return Err(BuildError::invalid("password", "must not be empty"));
        }
        let raw = format!("{}:{}", self.username, self.password.expose_secret());
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw.as_bytes());
        let mut value = http::HeaderValue::from_str(&format!("Basic {encoded}"))
            .map_err(|e| BuildError::Encoding(e.to_string()))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("language", &self.language)
            .field("redirect_url", &self.redirect_url)
            .finish()
    }
}
