//! The TWEC / TranzWare e-commerce gateway (Compass Plus "TWEC PG"): `TKKPG` XML documents
//! POSTed over mutual TLS, as run by Kapital Bank and, with small differences, by other banks
//! (UBRR, ForteBank, Mutual Trust Bank, Nabil Bank, Liberty Bank, ...).
//!
//! - Operations ([`ops`]): [`CreateOrder`] (purchase or pre-authorisation), [`GetOrderStatus`],
//!   [`GetOrderInformation`], [`Completion`], [`Reverse`], [`Refund`].
//! - The browser-delivered result (`xmlmsg`): [`parse_xmlout`] gives an [`UnverifiedXmlOut`]
//!   whose only road to a trusted status is [`UnverifiedXmlOut::verify`].
//! - Codes ([`codes`]): [`StatusCode`], [`OrderStatus`], [`ResponseCode`].
//!
//! Requests are `POST {base_url}` with `Content-Type: application/xml; charset=utf-8` and a
//! compact UTF-8 document `<?xml version="1.0" encoding="UTF-8"?><TKKPG><Request>…</Request></TKKPG>`.
//! The gateway authenticates the merchant by its TLS client certificate only: give the
//! transport a [`crate::ClientIdentity`]; this configuration holds no secret.
//!
//! Amounts are integer minor units on this wire (30 AZN is `3000`), written from [`Amount`].

pub mod codes;
pub mod ops;
pub(crate) mod reconcile;
mod unified;
mod wire;
mod xmldoc;
pub mod xmlout;
mod xmlwrite;

use std::fmt;

pub use codes::{OrderStatus, ResponseCode, StatusCode, RESPONSE_CODES};
pub use ops::{
    Completion, CreateOrder, CreatedOrder, GetOrderInformation, GetOrderStatus, OperationOutcome,
    OrderInformation, OrderStatusOutcome, OrderType, Refund, Reverse,
};
pub use xmlout::{parse_xmlout, parse_xmlout_with, UnverifiedXmlOut};

use crate::{Currency, Gateway, Language};

#[allow(unused_imports)] // for rustdoc links
use crate::Amount;

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

/// The gateway refused the request: `Response/Status` was not `00`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[error("TWEC {operation} refused: Status {status}{}", describe(.status))]
pub struct ApiError {
    /// The request-level status code received.
    pub status: StatusCode,
    /// The operation that was refused (its wire name, e.g. `CreateOrder`).
    pub operation: String,
}

fn describe(status: &StatusCode) -> String {
    status
        .description()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default()
}

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
/// assert_eq!(kapital.base_url, "https://tstpg.kapitalbank.az:5443/Exec");
/// assert_eq!(kapital.form, RequestForm::Kapital);
///
/// let ubrr = Config::generic("https://twpg.ubrr.ru:8443/Exec", "M1", Currency::RUB)
///     .language(Language::Ru)
///     .language_case(LanguageCase::Lower);
/// assert_eq!(ubrr.form, RequestForm::Generic);
/// assert_eq!(ubrr.currency.numeric(), 643);
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// The URL requests are POSTed to, as given.
    pub base_url: String,
    /// The merchant id (`Merchant`).
    pub merchant_id: String,
    /// The merchant's currency; every amount sent must be in it.
    pub currency: Currency,
    /// The default `Language`.
    pub language: Language,
    /// `EN` or `en`.
    pub language_case: LanguageCase,
    /// The Refund/Reverse dialect.
    pub form: RequestForm,
    /// How `xmlmsg` arrives.
    pub xmlmsg_encoding: XmlMsgEncoding,
    /// `ApproveURL`.
    pub approve_url: Option<String>,
    /// `CancelURL`.
    pub cancel_url: Option<String>,
    /// `DeclineURL`.
    pub decline_url: Option<String>,
}

impl Config {
    /// Kapital's test gateway ([`KAPITAL_TEST_URL`]) for this merchant: AZN (944), `EN`,
    /// Kapital form. Same as [`Config::kapital_test`].
    pub fn new(merchant_id: impl Into<String>) -> Self {
        Config::kapital_test(merchant_id)
    }

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
        Config::kapital_test(merchant_id).base_url(KAPITAL_PRODUCTION_URL)
    }

    /// Another bank's TranzWare gateway: its `/Exec` URL, merchant id and currency; `EN`,
    /// generic form, `xmlmsg` detected automatically.
    pub fn generic(
        base_url: impl Into<String>,
        merchant_id: impl Into<String>,
        currency: Currency,
    ) -> Self {
        Config {
            base_url: base_url.into(),
            currency,
            form: RequestForm::Generic,
            ..Config::kapital_test(merchant_id)
        }
    }

    /// The URL requests are POSTed to, as given (no path is appended).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
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
    /// Shorthand: `true` is [`RequestForm::Kapital`], `false` [`RequestForm::Generic`].
    pub fn kapital_extensions(self, on: bool) -> Self {
        self.form(if on {
            RequestForm::Kapital
        } else {
            RequestForm::Generic
        })
    }
    /// How `xmlmsg` is encoded (for [`parse_xmlout_with`]).
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
