//! Payments on EPoint's payment page: [`Pay`], its browser variant [`Checkout`], the hold
//! [`PreAuth`] and the split payment [`SplitPay`]. Each answers with the page to send the
//! customer to.

use serde_json::{Map, Value};

use super::{check_id, Data, Order, Redirects, SignedOperation};
use crate::epoint::outcome::{CheckoutPage, PaymentRedirect};
use crate::epoint::wire::{self, Payload};
use crate::epoint::{ApiError, Config};
use crate::{Amount, BuildError, HttpResponse, Language, ResponseError};

// ---------------------------------------------------------------------------------------
// Pay

/// Create a payment and get the payment page URL (`POST /api/1/request`).
///
/// Executes to a [`PaymentRedirect`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let pay = epoint::Pay::new(Amount::parse_major("30.75", Currency::AZN)?, "1")
///     .description("test payment");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","transaction":"te000000001","redirect_url":"https://epoint.az/r/1"}"#.to_vec()));
/// assert_eq!(execute(&pay, &config, &t)?.transaction, "te000000001");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Pay {
    amount: Amount,
    order_id: String,
    description: Option<String>,
    language: Option<Language>,
    is_installment: Option<bool>,
    success_redirect_url: Option<String>,
    error_redirect_url: Option<String>,
    other_attr: Option<Map<String, Value>>,
}

impl Pay {
    /// The `amount` and your unique `order_id` (1 to 255 characters).
    pub fn new(amount: Amount, order_id: impl Into<String>) -> Self {
        Pay {
            amount,
            order_id: order_id.into(),
            description: None,
            language: None,
            is_installment: None,
            success_redirect_url: None,
            error_redirect_url: None,
            other_attr: None,
        }
    }

    /// `description`, at most 1000 characters.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The payment page `language` (default: the configuration's).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// `success_redirect_url` (default: the configuration's).
    pub fn success_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.success_redirect_url = Some(url.into());
        self
    }

    /// `error_redirect_url` (default: the configuration's).
    pub fn error_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.error_redirect_url = Some(url.into());
        self
    }

    /// `is_installment`: `true` sends `1` (installment), `false` sends `0` (standard).
    pub fn is_installment(mut self, is_installment: impl Into<bool>) -> Self {
        self.is_installment = Some(is_installment.into());
        self
    }

    /// `other_attr`: extra attributes, echoed back in the callback and in `get-status`.
    pub fn other_attr(mut self, other_attr: impl Into<Map<String, Value>>) -> Self {
        self.other_attr = Some(other_attr.into());
        self
    }
}

impl SignedOperation for Pay {
    type Output = PaymentRedirect;
    const NAME: &'static str = "pay";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "request";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        let order = Order {
            amount: &self.amount,
            split_amount: None,
            order_id: &self.order_id,
            description: self.description.as_deref(),
            language: self.language,
        }
        .payload(config)?;
        let page = Payload {
            is_installment: self.is_installment.map(u8::from),
            other_attr: self.other_attr.as_ref(),
            ..order
        };
        let redirects = Redirects {
            success: self.success_redirect_url.as_deref(),
            error: self.error_redirect_url.as_deref(),
        };
        redirects.apply(config, page).map(Data)
    }

    fn parse(&self, response: HttpResponse) -> Result<PaymentRedirect, ResponseError<ApiError>> {
        PaymentRedirect::parse(response)
    }
}

// ---------------------------------------------------------------------------------------
// Checkout

/// The browser variant of [`Pay`] (`POST /api/1/checkout`): the same payload, posted by the
/// customer's browser through [`Checkout::html_form`]; EPoint answers with its payment page.
///
/// Executes to a [`CheckoutPage`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, Amount, Currency};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let checkout = epoint::Checkout::new(Amount::parse_major("10", Currency::AZN)?, "o-1");
/// let html = checkout.html_form(&config)?;
/// assert!(html.contains(r#"action="https://epoint.az/api/1/checkout""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Checkout {
    amount: Amount,
    order_id: String,
    description: Option<String>,
    language: Option<Language>,
    is_installment: Option<bool>,
    success_redirect_url: Option<String>,
    error_redirect_url: Option<String>,
    other_attr: Option<Map<String, Value>>,
}

impl Checkout {
    /// The `amount` and your unique `order_id` (1 to 255 characters).
    pub fn new(amount: Amount, order_id: impl Into<String>) -> Self {
        Checkout {
            amount,
            order_id: order_id.into(),
            description: None,
            language: None,
            is_installment: None,
            success_redirect_url: None,
            error_redirect_url: None,
            other_attr: None,
        }
    }

    /// `description`, at most 1000 characters.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The payment page `language` (default: the configuration's).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// `success_redirect_url` (default: the configuration's).
    pub fn success_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.success_redirect_url = Some(url.into());
        self
    }

    /// `error_redirect_url` (default: the configuration's).
    pub fn error_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.error_redirect_url = Some(url.into());
        self
    }

    /// `is_installment`: `true` sends `1` (installment), `false` sends `0` (standard).
    pub fn is_installment(mut self, is_installment: impl Into<bool>) -> Self {
        self.is_installment = Some(is_installment.into());
        self
    }

    /// `other_attr`: extra attributes, echoed back in the callback and in `get-status`.
    pub fn other_attr(mut self, other_attr: impl Into<Map<String, Value>>) -> Self {
        self.other_attr = Some(other_attr.into());
        self
    }

    /// An auto-submitting HTML page whose form posts the signed `data` and `signature` to
    /// `/api/1/checkout` (`accept-charset="utf-8"`; every attribute value HTML-escaped).
    pub fn html_form(&self, config: &Config) -> Result<String, BuildError> {
        super::check_keys(config)?;
        let json = wire::payload_json(&self.payload(config)?.0)?;
        let (data, signature, _) = crate::epoint::sign::form_body(config.private_key(), &json);
        let action = config.endpoint(<Self as SignedOperation>::PATH);
        // The base URL was checked when it was set; the form's action goes to a browser.
        crate::input::browser_url(&action).map_err(|why| BuildError::invalid("base_url", why))?;
        Ok(format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>EPoint</title></head>\
             <body onload=\"document.forms[0].submit()\">\
             <form method=\"POST\" action=\"{}\" accept-charset=\"utf-8\">\
             <input type=\"hidden\" name=\"data\" value=\"{}\">\
             <input type=\"hidden\" name=\"signature\" value=\"{}\">\
             <noscript><input type=\"submit\" value=\"Pay\"></noscript>\
             </form></body></html>\n",
            html_escape(&action),
            html_escape(&data),
            html_escape(&signature)
        ))
    }
}

/// Escapes text for an HTML attribute value in double quotes.
fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl SignedOperation for Checkout {
    type Output = CheckoutPage;
    const NAME: &'static str = "checkout";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "checkout";

    /// The same payload as [`Pay`]'s.
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        let order = Order {
            amount: &self.amount,
            split_amount: None,
            order_id: &self.order_id,
            description: self.description.as_deref(),
            language: self.language,
        }
        .payload(config)?;
        let page = Payload {
            is_installment: self.is_installment.map(u8::from),
            other_attr: self.other_attr.as_ref(),
            ..order
        };
        let redirects = Redirects {
            success: self.success_redirect_url.as_deref(),
            error: self.error_redirect_url.as_deref(),
        };
        redirects.apply(config, page).map(Data)
    }

    fn parse(&self, response: HttpResponse) -> Result<CheckoutPage, ResponseError<ApiError>> {
        CheckoutPage::parse(response)
    }
}

// ---------------------------------------------------------------------------------------
// PreAuth

/// Hold funds, the first step of a two-step payment (`POST /api/1/pre-auth-request`);
/// capture with [`PreAuthComplete`](super::PreAuthComplete).
///
/// Executes to a [`PaymentRedirect`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let hold = epoint::PreAuth::new(Amount::parse_major("50", Currency::AZN)?, "h-1");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","transaction":"te000000101","redirect_url":"https://epoint.az/r/2"}"#.to_vec()));
/// assert_eq!(execute(&hold, &config, &t)?.transaction, "te000000101");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PreAuth {
    amount: Amount,
    order_id: String,
    description: Option<String>,
    language: Option<Language>,
    success_redirect_url: Option<String>,
    error_redirect_url: Option<String>,
    other_attr: Option<Map<String, Value>>,
}

impl PreAuth {
    /// The `amount` to hold and your unique `order_id`.
    pub fn new(amount: Amount, order_id: impl Into<String>) -> Self {
        PreAuth {
            amount,
            order_id: order_id.into(),
            description: None,
            language: None,
            success_redirect_url: None,
            error_redirect_url: None,
            other_attr: None,
        }
    }

    /// `description`, at most 1000 characters.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The payment page `language` (default: the configuration's).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// `success_redirect_url` (default: the configuration's).
    pub fn success_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.success_redirect_url = Some(url.into());
        self
    }

    /// `error_redirect_url` (default: the configuration's).
    pub fn error_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.error_redirect_url = Some(url.into());
        self
    }

    /// `other_attr`: extra attributes, echoed back.
    pub fn other_attr(mut self, other_attr: impl Into<Map<String, Value>>) -> Self {
        self.other_attr = Some(other_attr.into());
        self
    }
}

impl SignedOperation for PreAuth {
    type Output = PaymentRedirect;
    const NAME: &'static str = "pre_auth";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "pre-auth-request";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        let order = Order {
            amount: &self.amount,
            split_amount: None,
            order_id: &self.order_id,
            description: self.description.as_deref(),
            language: self.language,
        }
        .payload(config)?;
        let hold = Payload {
            other_attr: self.other_attr.as_ref(),
            ..order
        };
        let redirects = Redirects {
            success: self.success_redirect_url.as_deref(),
            error: self.error_redirect_url.as_deref(),
        };
        redirects.apply(config, hold).map(Data)
    }

    fn parse(&self, response: HttpResponse) -> Result<PaymentRedirect, ResponseError<ApiError>> {
        PaymentRedirect::parse(response)
    }
}

// ---------------------------------------------------------------------------------------
// SplitPay

/// Split a payment with another EPoint merchant (`POST /api/1/split-request`).
///
/// Executes to a [`PaymentRedirect`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::SplitPay::new(
///     Amount::parse_major("10", Currency::AZN)?, "s-1", "i000000002",
///     Amount::parse_major("3", Currency::AZN)?);
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","transaction":"te1","redirect_url":"https://epoint.az/r/3"}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?.redirect_url, "https://epoint.az/r/3");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SplitPay {
    amount: Amount,
    order_id: String,
    split_user: String,
    split_amount: Amount,
    description: Option<String>,
    language: Option<Language>,
    success_redirect_url: Option<String>,
    error_redirect_url: Option<String>,
    other_attr: Option<Map<String, Value>>,
}

impl SplitPay {
    /// The total `amount`, your `order_id`, the partner merchant (`split_user`, its public key)
    /// and its part (`split_amount`, less than `amount`).
    pub fn new(
        amount: Amount,
        order_id: impl Into<String>,
        split_user: impl Into<String>,
        split_amount: Amount,
    ) -> Self {
        SplitPay {
            amount,
            order_id: order_id.into(),
            split_user: split_user.into(),
            split_amount,
            description: None,
            language: None,
            success_redirect_url: None,
            error_redirect_url: None,
            other_attr: None,
        }
    }

    /// `description`, at most 1000 characters.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The payment page `language` (default: the configuration's).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// `success_redirect_url` (default: the configuration's).
    pub fn success_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.success_redirect_url = Some(url.into());
        self
    }

    /// `error_redirect_url` (default: the configuration's).
    pub fn error_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.error_redirect_url = Some(url.into());
        self
    }

    /// `other_attr`: extra attributes, echoed back.
    pub fn other_attr(mut self, other_attr: impl Into<Map<String, Value>>) -> Self {
        self.other_attr = Some(other_attr.into());
        self
    }
}

impl SignedOperation for SplitPay {
    type Output = PaymentRedirect;
    const NAME: &'static str = "split_pay";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "split-request";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        let order = Order {
            amount: &self.amount,
            split_amount: Some(&self.split_amount),
            order_id: &self.order_id,
            description: self.description.as_deref(),
            language: self.language,
        }
        .payload(config)?;
        let split = Payload {
            split_user: Some(check_id("split_user", &self.split_user)?),
            other_attr: self.other_attr.as_ref(),
            ..order
        };
        let redirects = Redirects {
            success: self.success_redirect_url.as_deref(),
            error: self.error_redirect_url.as_deref(),
        };
        redirects.apply(config, split).map(Data)
    }

    fn parse(&self, response: HttpResponse) -> Result<PaymentRedirect, ResponseError<ApiError>> {
        PaymentRedirect::parse(response)
    }
}
