//! TWEC's [`Config`], its dialect settings and the [`Twec`] gateway marker.

use std::fmt;

use super::codes::ApiError;
use crate::input::{self, Schemes};
use crate::{BuildError, Currency, Gateway, Language};

/// The TWEC / TranzWare XML gateway.
#[derive(Debug, Clone, Copy)]
pub struct Twec;

impl Gateway for Twec {
    const NAME: &'static str = "twec";
    const REQUIRES_CLIENT_IDENTITY: bool = true;
    type Config = Config;
    type ApiError = ApiError;
}

/// Kapital's test endpoint, the default base URL.
pub const KAPITAL_TEST_URL: &str = "https://tstpg.kapitalbank.az:5443/Exec";
/// Kapital's production endpoint.
pub const KAPITAL_PRODUCTION_URL: &str = "https://3dsrv.kapitalbank.az:5443/Exec";

/// Which shape Refund and Reverse take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestForm {
    /// Kapital's: `Order/Positions`, `TranId`, `Source` (and `Refund/WithFee`), exactly as its
    /// TKKPG document shows.
    Kapital,
    /// The plain TranzWare form other banks take: `Order/Merchant`, `Order/OrderID`,
    /// `SessionID`, and `Refund/Amount` + `Refund/Currency` or an optional `Amount`.
    Generic,
}

/// How the `xmlmsg` form field arrives at the approve/cancel/decline URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum XmlMsgEncoding {
    /// Plain XML only (Kapital as observed); base64 input is refused.
    Plain,
    /// Base64 of the XML (UBRR); plain XML is still accepted, because UBRR sends the
    /// cancel message unencoded.
    Base64,
    /// Either: if it starts with `<` it is XML, otherwise it is base64-decoded.
    #[default]
    Auto,
}

/// Upper or lower case for `Language` (`EN` or `en`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LanguageCase {
    /// `EN` (Kapital; the default).
    #[default]
    Upper,
    /// `en` (banks that want it).
    Lower,
}

/// One merchant at one TWEC bank: endpoint, merchant id, currency, language and the bank's
/// dialect. Holds no secret (the client key lives in the transport's
/// [`crate::ClientIdentity`]).
///
/// ```
/// use azpay_core::twec::{Config, RequestForm, LanguageCase};
/// use azpay_core::{Currency, Language};
///
/// let kapital = Config::kapital_test("E1000010").approve_url("https://shop.example/ok");
/// assert_eq!(kapital.base(), "https://tstpg.kapitalbank.az:5443/Exec");
/// assert_eq!(kapital.form_in_use(), RequestForm::Kapital);
/// assert_eq!(kapital.default_approve_url(), Some("https://shop.example/ok"));
///
/// let ubrr = Config::generic("https://twpg.ubrr.ru:8443/Exec", "M1", Currency::RUB)?
///     .language(Language::Ru)
///     .language_case(LanguageCase::Lower);
/// assert_eq!(ubrr.form_in_use(), RequestForm::Generic);
/// assert_eq!(ubrr.currency_in_use().numeric(), 643);
///
/// // https only, even on a loopback host.
/// assert!(Config::kapital_test("E1").base_url("http://127.0.0.1:5443/Exec").is_err());
/// # Ok::<(), azpay_core::BuildError>(())
/// ```
///
/// The constructors with Kapital's built-in URLs cannot fail; [`Config::generic`] and
/// [`Config::base_url`] check the URL they are given. The merchant id is checked when a
/// request is built (`Merchant`).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// The URL requests are POSTed to, as given.
    pub(super) base_url: String,
    /// The merchant id (`Merchant`).
    pub(super) merchant_id: String,
    /// The merchant's currency; every amount sent must be in it.
    pub(super) currency: Currency,
    /// The default `Language`.
    pub(super) language: Language,
    /// `EN` or `en`.
    pub(super) language_case: LanguageCase,
    /// The Refund/Reverse dialect.
    pub(super) form: RequestForm,
    /// How `xmlmsg` arrives.
    pub(super) xmlmsg_encoding: XmlMsgEncoding,
    /// `ApproveURL`.
    pub(super) approve_url: Option<String>,
    /// `CancelURL`.
    pub(super) cancel_url: Option<String>,
    /// `DeclineURL`.
    pub(super) decline_url: Option<String>,
}

impl Config {
    /// Kapital's test gateway: [`KAPITAL_TEST_URL`], AZN (944), `EN`, Kapital form, `xmlmsg`
    /// detected automatically.
    pub fn kapital_test(merchant_id: impl Into<String>) -> Self {
        Config {
            base_url: KAPITAL_TEST_URL.to_owned(),
            merchant_id: merchant_id.into(),
            currency: Currency::AZN,
            language: Language::En,
            language_case: LanguageCase::Upper,
            form: RequestForm::Kapital,
            xmlmsg_encoding: XmlMsgEncoding::Auto,
            approve_url: None,
            cancel_url: None,
            decline_url: None,
        }
    }

    /// Kapital's production gateway ([`KAPITAL_PRODUCTION_URL`]), otherwise as
    /// [`Config::kapital_test`].
    pub fn kapital_production(merchant_id: impl Into<String>) -> Self {
        Config {
            base_url: KAPITAL_PRODUCTION_URL.to_owned(),
            ..Config::kapital_test(merchant_id)
        }
    }

    /// Another bank's TranzWare gateway: its `/Exec` URL, merchant id and currency; `EN`,
    /// generic form, `xmlmsg` detected automatically.
    ///
    /// # Errors
    ///
    /// The URL is checked as by [`Config::base_url`].
    pub fn generic(
        base_url: impl AsRef<str>,
        merchant_id: impl Into<String>,
        currency: Currency,
    ) -> Result<Self, BuildError> {
        Config {
            currency,
            form: RequestForm::Generic,
            ..Config::kapital_test(merchant_id)
        }
        .base_url(base_url)
    }

    /// The URL requests are POSTed to (no path is appended; trailing `/` are dropped).
    ///
    /// The URL is checked here, once: it must be `https://` (always: TWEC runs over mutual
    /// TLS, so there is no plain-`http` exception, not even for a loopback host), with a
    /// valid host and a port from 1 to 65535, and without a user name or password
    /// (`user:pw@`), a query (`?`) or a fragment (`#`).
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidInput`] with `field` `base_url` and the reason in plain words.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Result<Self, BuildError> {
        self.base_url = input::base_url(url.as_ref(), Schemes::HttpsOnly)?;
        Ok(self)
    }
    /// The merchant's currency: every amount sent must be in it (`Currency` element).
    pub fn currency(mut self, currency: Currency) -> Self {
        self.currency = currency;
        self
    }
    /// The default `Language` of requests (operations may override it).
    pub fn language(mut self, language: Language) -> Self {
        self.language = language;
        self
    }
    /// Upper (`EN`, default) or lower (`en`) case for `Language`.
    pub fn language_case(mut self, case: LanguageCase) -> Self {
        self.language_case = case;
        self
    }
    /// The Refund/Reverse dialect.
    pub fn form(mut self, form: RequestForm) -> Self {
        self.form = form;
        self
    }
    /// How `xmlmsg` is encoded (for [`parse_xmlout_with`](super::parse_xmlout_with)).
    pub fn xmlmsg_encoding(mut self, encoding: XmlMsgEncoding) -> Self {
        self.xmlmsg_encoding = encoding;
        self
    }
    /// Where the customer goes after an approved payment (`ApproveURL`).
    pub fn approve_url(mut self, url: impl Into<String>) -> Self {
        self.approve_url = Some(url.into());
        self
    }
    /// Where the customer goes after cancelling (`CancelURL`).
    pub fn cancel_url(mut self, url: impl Into<String>) -> Self {
        self.cancel_url = Some(url.into());
        self
    }
    /// Where the customer goes after a decline (`DeclineURL`).
    pub fn decline_url(mut self, url: impl Into<String>) -> Self {
        self.decline_url = Some(url.into());
        self
    }
}

/// Reading the settings back (see the crate documentation for the naming scheme).
impl Config {
    /// The URL requests are POSTed to, without trailing `/`.
    pub fn base(&self) -> &str {
        &self.base_url
    }
    /// The merchant id (`Merchant`).
    pub fn merchant_id(&self) -> &str {
        &self.merchant_id
    }
    /// The merchant's currency; every amount sent must be in it.
    pub fn currency_in_use(&self) -> Currency {
        self.currency
    }
    /// The `Language` of requests that set none.
    pub fn default_language(&self) -> Language {
        self.language
    }
    /// `EN` or `en`.
    pub fn language_case_in_use(&self) -> LanguageCase {
        self.language_case
    }
    /// The Refund/Reverse dialect.
    pub fn form_in_use(&self) -> RequestForm {
        self.form
    }
    /// How `xmlmsg` arrives.
    pub fn xmlmsg_encoding_in_use(&self) -> XmlMsgEncoding {
        self.xmlmsg_encoding
    }
    /// `ApproveURL` of orders that set none.
    pub fn default_approve_url(&self) -> Option<&str> {
        self.approve_url.as_deref()
    }
    /// `CancelURL` of orders that set none.
    pub fn default_cancel_url(&self) -> Option<&str> {
        self.cancel_url.as_deref()
    }
    /// `DeclineURL` of orders that set none.
    pub fn default_decline_url(&self) -> Option<&str> {
        self.decline_url.as_deref()
    }
}

impl Config {
    pub(crate) fn language_text(&self, language: Option<Language>) -> &'static str {
        let l = language.unwrap_or(self.language);
        match self.language_case {
            LanguageCase::Upper => l.as_upper(),
            LanguageCase::Lower => l.as_lower(),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("twec::Config")
            .field("base_url", &self.base_url)
            .field("merchant_id", &self.merchant_id)
            .field("currency", &self.currency)
            .field("language", &self.language)
            .field("language_case", &self.language_case)
            .field("form", &self.form)
            .field("xmlmsg_encoding", &self.xmlmsg_encoding)
            .field("approve_url", &self.approve_url)
            .field("cancel_url", &self.cancel_url)
            .field("decline_url", &self.decline_url)
            .finish()
    }
}
