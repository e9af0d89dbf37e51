//! Apple Pay and Google Pay: the hosted [`TokenWidget`], or your own buttons with
//! [`TokenPayment`], [`AppleSession`] and then [`ApplePay`] or [`GooglePay`].

use serde_json::Value;

use super::{
    amount_text, check_description, check_id, check_order_id, language, non_empty, Data,
    SignedOperation,
};
use crate::epoint::outcome::{self, TokenPayResult, TokenPaymentCreated, WidgetUrl};
use crate::epoint::wire::Payload;
use crate::epoint::{ApiError, Config};
use crate::{Amount, BuildError, HttpResponse, Language, ResponseError};

// ---------------------------------------------------------------------------------------
// TokenWidget

/// The Apple/Google Pay widget URL (`POST /api/1/token/widget`). No currency or language.
///
/// Executes to a [`WidgetUrl`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::TokenWidget::new(Amount::parse_major("2.5", Currency::AZN)?, "w-1", "Test payment");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","widget_url":"https://epoint.az/api/1/token/widget/000001"}"#.to_vec()));
/// assert!(execute(&op, &config, &t)?.widget_url.ends_with("000001"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TokenWidget {
    amount: Amount,
    order_id: String,
    description: String,
}

impl TokenWidget {
    /// The `amount`, your `order_id` and a `description`.
    pub fn new(
        amount: Amount,
        order_id: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        TokenWidget {
            amount,
            order_id: order_id.into(),
            description: description.into(),
        }
    }
}

impl SignedOperation for TokenWidget {
    type Output = WidgetUrl;
    const NAME: &'static str = "token_widget";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "token/widget";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        let amount = amount_text("amount", &self.amount)?;
        check_order_id(&self.order_id)?;
        check_description(Some(&self.description))?;
        Ok(Data(Payload {
            public_key: config.public_key(),
            amount: Some(amount),
            order_id: Some(&self.order_id),
            description: Some(non_empty("description", &self.description)?),
            ..Payload::default()
        }))
    }

    fn parse(&self, response: HttpResponse) -> Result<WidgetUrl, ResponseError<ApiError>> {
        WidgetUrl::parse(response)
    }
}

// ---------------------------------------------------------------------------------------
// TokenPayment

/// Create a tokenized payment for the Apple/Google Pay JS buttons (`POST /api/1/token/payment`).
/// Its success answer has no `status` field.
///
/// Executes to a [`TokenPaymentCreated`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::TokenPayment::new(Amount::parse_major("2.36", Currency::AZN)?, "111222333", "test description");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"id":9998887,"transaction":"12345","total":2.36}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?.id, "9998887");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TokenPayment {
    amount: Amount,
    order_id: String,
    description: String,
    language: Option<Language>,
}

impl TokenPayment {
    /// The `amount`, your `order_id` and a `description`.
    pub fn new(
        amount: Amount,
        order_id: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        TokenPayment {
            amount,
            order_id: order_id.into(),
            description: description.into(),
            language: None,
        }
    }

    /// The `language` (default: the configuration's).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
}

impl SignedOperation for TokenPayment {
    type Output = TokenPaymentCreated;
    const NAME: &'static str = "token_payment";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "token/payment";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        let amount = amount_text("amount", &self.amount)?;
        check_order_id(&self.order_id)?;
        check_description(Some(&self.description))?;
        Ok(Data(Payload {
            public_key: config.public_key(),
            amount: Some(amount),
            currency: Some(self.amount.currency()),
            language: language(self.language, config),
            order_id: Some(&self.order_id),
            description: Some(non_empty("description", &self.description)?),
            ..Payload::default()
        }))
    }

    fn parse(
        &self,
        response: HttpResponse,
    ) -> Result<TokenPaymentCreated, ResponseError<ApiError>> {
        TokenPaymentCreated::parse(response, self.amount.currency())
    }
}

// ---------------------------------------------------------------------------------------
// AppleSession

/// An Apple Pay merchant session (`POST /api/1/token/apple/session`); the answer is passed
/// through as JSON for Apple's JS.
///
/// Executes to a JSON [`Value`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::AppleSession::new("https://shop.example");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"merchantSessionIdentifier":"abc"}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?["merchantSessionIdentifier"], "abc");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppleSession {
    origin: String,
}

impl AppleSession {
    /// The `origin` of the page showing the Apple Pay button.
    pub fn new(origin: impl Into<String>) -> Self {
        AppleSession {
            origin: origin.into(),
        }
    }
}

impl SignedOperation for AppleSession {
    type Output = Value;
    const NAME: &'static str = "apple_session";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "token/apple/session";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        Ok(Data(Payload {
            public_key: config.public_key(),
            origin: Some(non_empty("origin", &self.origin)?),
            ..Payload::default()
        }))
    }

    fn parse(&self, response: HttpResponse) -> Result<Value, ResponseError<ApiError>> {
        outcome::parse_value(response)
    }
}

// ---------------------------------------------------------------------------------------
// ApplePay and GooglePay

/// The payload of [`ApplePay`] and [`GooglePay`]: a non-null `token` (checked first), a
/// non-empty `id` and the `billingContact`.
fn wallet_token_payload<'a>(
    config: &'a Config,
    id: &'a str,
    token: &'a Value,
    billing_contact: &'a Value,
) -> Result<Data<'a>, BuildError> {
    if token.is_null() {
        return Err(BuildError::invalid("token", "must not be null"));
    }
    Ok(Data(Payload {
        public_key: config.public_key(),
        id: Some(check_id("id", id)?),
        token: Some(token),
        billing_contact: Some(billing_contact),
        ..Payload::default()
    }))
}

/// Complete an Apple Pay payment (`POST /api/1/token/apple/pay`).
///
/// Executes to a [`TokenPayResult`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::ApplePay::new("9998887", serde_json::json!({"paymentData":{}}), serde_json::json!({}));
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","message":"Payment is finished successfully","result":{},"redirect_url":""}"#.to_vec()));
/// assert!(execute(&op, &config, &t)?.status.is_success());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ApplePay {
    id: String,
    token: Value,
    billing_contact: Value,
}

impl ApplePay {
    /// The payment `id` from [`TokenPayment`], the wallet's `token` JSON and its
    /// `billingContact` JSON (sent in camelCase).
    pub fn new(id: impl Into<String>, token: Value, billing_contact: Value) -> Self {
        ApplePay {
            id: id.into(),
            token,
            billing_contact,
        }
    }
}

impl SignedOperation for ApplePay {
    type Output = TokenPayResult;
    const NAME: &'static str = "apple_pay";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "token/apple/pay";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        wallet_token_payload(config, &self.id, &self.token, &self.billing_contact)
    }

    fn parse(&self, response: HttpResponse) -> Result<TokenPayResult, ResponseError<ApiError>> {
        TokenPayResult::parse(response)
    }
}

/// Complete a Google Pay payment (`POST /api/1/token/google/pay`).
///
/// Executes to a [`TokenPayResult`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::GooglePay::new("9998887", serde_json::json!({"signature":"x"}), serde_json::json!({}));
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","message":"Payment is finished successfully","result":{},"redirect_url":""}"#.to_vec()));
/// assert!(execute(&op, &config, &t)?.redirect_url.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GooglePay {
    id: String,
    token: Value,
    billing_contact: Value,
}

impl GooglePay {
    /// The payment `id` from [`TokenPayment`], the wallet's `token` JSON and its
    /// `billingContact` JSON (sent in camelCase).
    pub fn new(id: impl Into<String>, token: Value, billing_contact: Value) -> Self {
        GooglePay {
            id: id.into(),
            token,
            billing_contact,
        }
    }
}

impl SignedOperation for GooglePay {
    type Output = TokenPayResult;
    const NAME: &'static str = "google_pay";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "token/google/pay";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        wallet_token_payload(config, &self.id, &self.token, &self.billing_contact)
    }

    fn parse(&self, response: HttpResponse) -> Result<TokenPayResult, ResponseError<ApiError>> {
        TokenPayResult::parse(response)
    }
}
