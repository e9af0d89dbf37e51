//! EPoint (`epoint.az`): signed JSON-in-base64 form API with signed callbacks
//! (PROTOCOLS.md §1).
//!
//! Every call is a `POST` to `{base}/api/1/<name>` with a form body
//! `data=<base64 JSON>&signature=<base64 sha1>`; see [`signature`]. One struct per
//! operation ([`Pay`], [`GetStatus`], [`PayWithSavedCard`], …); the server's signed callback
//! is checked by [`verify_callback`].
//!
//! ```
//! use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
//!
//! let config = epoint::Config::new("i000000001", "private-key");
//! let pay = epoint::Pay::new(Amount::parse_major("30.75", Currency::AZN)?, "order-1")
//!     .description("test payment");
//! let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
//!     assert_eq!(request.uri(), "https://epoint.az/api/1/request");
//!     Ok(http::Response::new(
//!         br#"{"status":"success","transaction":"te000000001","redirect_url":"https://epoint.az/pay/1"}"#
//!             .to_vec(),
//!     ))
//! };
//! let redirect = execute(&pay, &config, &transport)?;
//! assert_eq!(redirect.redirect_url, "https://epoint.az/pay/1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod callback;
mod codes;
mod ops;
mod outcome;
pub(crate) mod reconcile;
mod sign;
mod unified;
mod wire;

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

pub use callback::{sign_callback, verify_callback, Callback};
pub use codes::{BankCode, CardStatus, OperationCode, Status};
pub use ops::{
    ApplePay, AppleSession, Checkout, GetCardStatus, GetStatus, GooglePay, Heartbeat, Pay,
    PayAndSaveCard, PayWithSavedCard, Payout, PreAuth, PreAuthComplete, Refund, SaveCard, SplitPay,
    SplitPayAndSaveCard, SplitPayWithSavedCard, TokenPayment, TokenWidget, WalletPayment,
    WalletStatus,
};
pub use outcome::{
    Acknowledgement, CardInfo, CheckoutPage, HeartbeatStatus, PaymentRedirect, PaymentResult,
    PaymentStatus, SavedCardRedirect, TokenPayResult, TokenPaymentCreated, WidgetUrl,
};
pub use sign::signature;

use crate::{Gateway, Language};

/// The EPoint gateway.
#[derive(Debug, Clone, Copy)]
pub struct EPoint;

impl Gateway for EPoint {
    const NAME: &'static str = "epoint";
    type Config = Config;
    type ApiError = ApiError;
}

/// The production base URL.
pub const DEFAULT_BASE_URL: &str = "https://epoint.az";

/// Merchant keys and defaults. Its `Debug` never shows the private key.
///
/// ```
/// use azpay_core::{epoint::Config, Language};
/// let c = Config::new("i000000001", "my-secret")
///     .base_url("http://127.0.0.1:8080/")
///     .language(Language::En)
///     .success_redirect_url("https://shop.example/ok");
/// assert_eq!(c.endpoint("request"), "http://127.0.0.1:8080/api/1/request");
/// assert!(!format!("{c:?}").contains("my-secret"));
/// ```
#[derive(Clone)]
pub struct Config {
    public_key: String,
    private_key: SecretString,
    base_url: String,
    language: Language,
    success_redirect_url: Option<String>,
    error_redirect_url: Option<String>,
}

impl Config {
    /// The merchant's `public_key` (e.g. `i000000001`) and `private_key`.
    pub fn new(public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        Config {
            public_key: public_key.into(),
            private_key: SecretString::from(private_key.into()),
            base_url: DEFAULT_BASE_URL.to_owned(),
            language: Language::Az,
            success_redirect_url: None,
            error_redirect_url: None,
        }
    }

    /// The base URL (default `https://epoint.az`); endpoints are `{base}/api/1/<name>`.
    /// A trailing `/` is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        let mut url = url.into();
        while url.ends_with('/') {
            url.pop();
        }
        self.base_url = url;
        self
    }

    /// The payment page language used when an operation sets none (default `az`).
    pub fn language(mut self, language: Language) -> Self {
        self.language = language;
        self
    }

    /// The `success_redirect_url` used when an operation sets none.
    pub fn success_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.success_redirect_url = Some(url.into());
        self
    }

    /// The `error_redirect_url` used when an operation sets none.
    pub fn error_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.error_redirect_url = Some(url.into());
        self
    }

    /// The merchant's public key.
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// The base URL, without a trailing `/`.
    pub fn base(&self) -> &str {
        &self.base_url
    }

    /// The default language.
    pub fn default_language(&self) -> Language {
        self.language
    }

    /// The full URL of an `/api/1/` endpoint, e.g. `endpoint("request")`.
    pub fn endpoint(&self, name: &str) -> String {
        format!("{}/api/1/{name}", self.base_url)
    }

    pub(crate) fn private_key(&self) -> &str {
        self.private_key.expose_secret()
    }

    pub(crate) fn default_success_url(&self) -> Option<&str> {
        self.success_redirect_url.as_deref()
    }

    pub(crate) fn default_error_url(&self) -> Option<&str> {
        self.error_redirect_url.as_deref()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("public_key", &self.public_key)
            .field("private_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("language", &self.language)
            .field("success_redirect_url", &self.success_redirect_url)
            .field("error_redirect_url", &self.error_redirect_url)
            .finish()
    }
}

/// EPoint's own error answer: HTTP 200 with `status` `error` or `server_error` (or `failed`
/// where no synchronous result is expected) and a `message`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiError {
    /// The `status` received.
    pub status: Status,
    /// The `message` received, if any.
    pub message: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(m) => write!(f, "EPoint answered `{}`: {m}", self.status),
            None => write!(f, "EPoint answered `{}`", self.status),
        }
    }
}

impl std::error::Error for ApiError {}
