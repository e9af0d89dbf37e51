//! Saved cards: registering one ([`SaveCard`], [`PayAndSaveCard`], [`SplitPayAndSaveCard`]),
//! charging one ([`PayWithSavedCard`], [`SplitPayWithSavedCard`]) and asking for its state
//! ([`GetCardStatus`]). Payouts to a saved card are [`Payout`](super::Payout).

use super::{check_description, check_id, language, Data, Order, Redirects, SignedOperation};
use crate::epoint::outcome::{CardInfo, PaymentResult, SavedCardRedirect};
use crate::epoint::wire::Payload;
use crate::epoint::{ApiError, Config};
use crate::{Amount, BuildError, HttpResponse, Language, ResponseError};

// ---------------------------------------------------------------------------------------
// SaveCard

/// Save a card without paying (`POST /api/1/card-registration`).
///
/// Executes to a [`SavedCardRedirect`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::SaveCard::new().refund(true).description("payout card");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","redirect_url":"https://epoint.az/c/1","card_id":"ce0000000001"}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?.card_id, "ce0000000001");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SaveCard {
    refund: Option<bool>,
    description: Option<String>,
    language: Option<Language>,
    success_redirect_url: Option<String>,
    error_redirect_url: Option<String>,
}

impl SaveCard {
    /// A card registration with no optional field set.
    pub fn new() -> Self {
        SaveCard::default()
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

    /// `refund`: `true` registers a payout card (`1`, for [`Payout`](super::Payout)), `false`
    /// a debit card (`0`). Unset, the field is not sent.
    pub fn refund(mut self, refund: impl Into<bool>) -> Self {
        self.refund = Some(refund.into());
        self
    }
}

impl SignedOperation for SaveCard {
    type Output = SavedCardRedirect;
    const NAME: &'static str = "save_card";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "card-registration";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        check_description(self.description.as_deref())?;
        let registration = Payload {
            public_key: config.public_key(),
            language: language(self.language, config),
            refund: self.refund.map(u8::from),
            description: self.description.as_deref(),
            ..Payload::default()
        };
        let redirects = Redirects {
            success: self.success_redirect_url.as_deref(),
            error: self.error_redirect_url.as_deref(),
        };
        redirects.apply(config, registration).map(Data)
    }

    fn parse(&self, response: HttpResponse) -> Result<SavedCardRedirect, ResponseError<ApiError>> {
        SavedCardRedirect::parse(response)
    }
}

// ---------------------------------------------------------------------------------------
// PayAndSaveCard

/// Pay and save the card (`POST /api/1/card-registration-with-pay`).
///
/// Executes to a [`SavedCardRedirect`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::PayAndSaveCard::new(Amount::parse_major("1", Currency::AZN)?, "o-3");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","transaction":"te3","redirect_url":"https://epoint.az/c/3","card_id":"ce3"}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?.transaction.as_deref(), Some("te3"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PayAndSaveCard {
    amount: Amount,
    order_id: String,
    description: Option<String>,
    language: Option<Language>,
    success_redirect_url: Option<String>,
    error_redirect_url: Option<String>,
}

impl PayAndSaveCard {
    /// The `amount` and your `order_id`.
    pub fn new(amount: Amount, order_id: impl Into<String>) -> Self {
        PayAndSaveCard {
            amount,
            order_id: order_id.into(),
            description: None,
            language: None,
            success_redirect_url: None,
            error_redirect_url: None,
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
}

impl SignedOperation for PayAndSaveCard {
    type Output = SavedCardRedirect;
    const NAME: &'static str = "pay_and_save_card";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "card-registration-with-pay";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        let order = Order {
            amount: &self.amount,
            split_amount: None,
            order_id: &self.order_id,
            description: self.description.as_deref(),
            language: self.language,
        }
        .payload(config)?;
        let redirects = Redirects {
            success: self.success_redirect_url.as_deref(),
            error: self.error_redirect_url.as_deref(),
        };
        redirects.apply(config, order).map(Data)
    }

    fn parse(&self, response: HttpResponse) -> Result<SavedCardRedirect, ResponseError<ApiError>> {
        SavedCardRedirect::parse(response)
    }
}

// ---------------------------------------------------------------------------------------
// SplitPayAndSaveCard

/// Split pay and save the card (`POST /api/1/split-card-registration-with-pay`).
///
/// Executes to a [`SavedCardRedirect`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::SplitPayAndSaveCard::new(
///     Amount::parse_major("10", Currency::AZN)?, "s-3", "i000000002",
///     Amount::parse_major("4", Currency::AZN)?);
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","transaction":"te4","redirect_url":"https://epoint.az/c/4","card_id":"ce4"}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?.card_id, "ce4");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SplitPayAndSaveCard {
    amount: Amount,
    order_id: String,
    split_user: String,
    split_amount: Amount,
    description: Option<String>,
    language: Option<Language>,
    success_redirect_url: Option<String>,
    error_redirect_url: Option<String>,
}

impl SplitPayAndSaveCard {
    /// The total `amount`, your `order_id`, the partner `split_user` and its `split_amount`.
    pub fn new(
        amount: Amount,
        order_id: impl Into<String>,
        split_user: impl Into<String>,
        split_amount: Amount,
    ) -> Self {
        SplitPayAndSaveCard {
            amount,
            order_id: order_id.into(),
            split_user: split_user.into(),
            split_amount,
            description: None,
            language: None,
            success_redirect_url: None,
            error_redirect_url: None,
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
}

impl SignedOperation for SplitPayAndSaveCard {
    type Output = SavedCardRedirect;
    const NAME: &'static str = "split_pay_and_save_card";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "split-card-registration-with-pay";

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
            ..order
        };
        let redirects = Redirects {
            success: self.success_redirect_url.as_deref(),
            error: self.error_redirect_url.as_deref(),
        };
        redirects.apply(config, split).map(Data)
    }

    fn parse(&self, response: HttpResponse) -> Result<SavedCardRedirect, ResponseError<ApiError>> {
        SavedCardRedirect::parse(response)
    }
}

// ---------------------------------------------------------------------------------------
// PayWithSavedCard

/// Charge a saved card, synchronously, without 3-D Secure (`POST /api/1/execute-pay`).
/// A decline is a [`PaymentResult`] with `status` `failed`.
///
/// Executes to a [`PaymentResult`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::PayWithSavedCard::new("ce0000000001", Amount::parse_major("10.5", Currency::AZN)?, "o-2");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"failed","message":"Declined","code":"116"}"#.to_vec()));
/// let result = execute(&op, &config, &t)?;
/// assert!(result.is_declined());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PayWithSavedCard {
    card_id: String,
    amount: Amount,
    order_id: String,
    description: Option<String>,
    language: Option<Language>,
}

impl PayWithSavedCard {
    /// The saved `card_id`, the `amount` and your `order_id`.
    pub fn new(card_id: impl Into<String>, amount: Amount, order_id: impl Into<String>) -> Self {
        PayWithSavedCard {
            card_id: card_id.into(),
            amount,
            order_id: order_id.into(),
            description: None,
            language: None,
        }
    }

    /// `description`, at most 1000 characters.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The `language` (default: the configuration's).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
}

impl SignedOperation for PayWithSavedCard {
    type Output = PaymentResult;
    const NAME: &'static str = "pay_with_saved_card";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "execute-pay";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        let order = Order {
            amount: &self.amount,
            split_amount: None,
            order_id: &self.order_id,
            description: self.description.as_deref(),
            language: self.language,
        }
        .payload(config)?;
        Ok(Data(Payload {
            card_id: Some(check_id("card_id", &self.card_id)?),
            ..order
        }))
    }

    fn parse(&self, response: HttpResponse) -> Result<PaymentResult, ResponseError<ApiError>> {
        PaymentResult::parse(response, self.amount.currency())
    }
}

// ---------------------------------------------------------------------------------------
// SplitPayWithSavedCard

/// Split charge on a saved card (`POST /api/1/split-execute-pay`).
///
/// Executes to a [`PaymentResult`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::SplitPayWithSavedCard::new("ce1", Amount::parse_major("10", Currency::AZN)?, "s-2",
///     "i000000002", Amount::parse_major("2.5", Currency::AZN)?);
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","amount":10,"split_amount":2.5}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?.split_amount.map(|a| a.minor()), Some(250));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SplitPayWithSavedCard {
    card_id: String,
    amount: Amount,
    order_id: String,
    split_user: String,
    split_amount: Amount,
    description: Option<String>,
    language: Option<Language>,
}

impl SplitPayWithSavedCard {
    /// The saved `card_id`, the total `amount`, your `order_id`, the partner `split_user` and
    /// its `split_amount`.
    pub fn new(
        card_id: impl Into<String>,
        amount: Amount,
        order_id: impl Into<String>,
        split_user: impl Into<String>,
        split_amount: Amount,
    ) -> Self {
        SplitPayWithSavedCard {
            card_id: card_id.into(),
            amount,
            order_id: order_id.into(),
            split_user: split_user.into(),
            split_amount,
            description: None,
            language: None,
        }
    }

    /// `description`, at most 1000 characters.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The `language` (default: the configuration's).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
}

impl SignedOperation for SplitPayWithSavedCard {
    type Output = PaymentResult;
    const NAME: &'static str = "split_pay_with_saved_card";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "split-execute-pay";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        let order = Order {
            amount: &self.amount,
            split_amount: Some(&self.split_amount),
            order_id: &self.order_id,
            description: self.description.as_deref(),
            language: self.language,
        }
        .payload(config)?;
        Ok(Data(Payload {
            card_id: Some(check_id("card_id", &self.card_id)?),
            split_user: Some(check_id("split_user", &self.split_user)?),
            ..order
        }))
    }

    fn parse(&self, response: HttpResponse) -> Result<PaymentResult, ResponseError<ApiError>> {
        PaymentResult::parse(response, self.amount.currency())
    }
}

// ---------------------------------------------------------------------------------------
// GetCardStatus

/// The state of a saved card (`POST /api/1/get-status-card`). Idempotent.
///
/// Executes to a [`CardInfo`].
///
/// ```
/// use azpay_core::{epoint, execute, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::GetCardStatus::new("ce1");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"id":"ce1","status":"active","mask":"416973******5869"}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?.status, epoint::CardStatus::Active);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCardStatus {
    card_id: String,
}

impl GetCardStatus {
    /// The saved `card_id`.
    pub fn new(card_id: impl Into<String>) -> Self {
        GetCardStatus {
            card_id: card_id.into(),
        }
    }
}

impl SignedOperation for GetCardStatus {
    type Output = CardInfo;
    const NAME: &'static str = "get_card_status";
    const IDEMPOTENT: bool = true;
    const PATH: &'static str = "get-status-card";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        Ok(Data(Payload {
            public_key: config.public_key(),
            card_id: Some(check_id("card_id", &self.card_id)?),
            ..Payload::default()
        }))
    }

    fn parse(&self, response: HttpResponse) -> Result<CardInfo, ResponseError<ApiError>> {
        CardInfo::parse(response)
    }
}
