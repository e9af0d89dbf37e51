//! Money after the payment: [`Refund`] a past payment, [`Payout`] to a saved payout card, and
//! capture a hold with [`PreAuthComplete`].

use super::{amount_text, check_currency, check_id, language, Data, Order, SignedOperation};
use crate::epoint::outcome::{Acknowledgement, PaymentResult};
use crate::epoint::wire::Payload;
use crate::epoint::{ApiError, Config};
use crate::{Amount, BuildError, Currency, HttpResponse, Language, ResponseError};

// ---------------------------------------------------------------------------------------
// Refund

/// Refund (cancel) a past payment, fully or partly (`POST /api/1/reverse`).
///
/// Executes to an [`Acknowledgement`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::Refund::new("te000000001", Currency::AZN).amount(Amount::parse_major("5", Currency::AZN)?);
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","message":"Reversed"}"#.to_vec()));
/// assert!(execute(&op, &config, &t)?.status.is_success());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Refund {
    transaction: String,
    currency: Currency,
    amount: Option<Amount>,
    language: Option<Language>,
}

impl Refund {
    /// A full refund of `transaction` in its `currency`.
    pub fn new(transaction: impl Into<String>, currency: Currency) -> Self {
        Refund {
            transaction: transaction.into(),
            currency,
            amount: None,
            language: None,
        }
    }

    /// `amount`: refund only this much (a partial refund).
    pub fn amount(mut self, amount: impl Into<Amount>) -> Self {
        self.amount = Some(amount.into());
        self
    }

    /// The `language` (default: the configuration's).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
}

impl SignedOperation for Refund {
    type Output = Acknowledgement;
    const NAME: &'static str = "refund";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "reverse";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        check_currency(self.currency)?;
        let amount = match &self.amount {
            Some(a) if a.currency() != self.currency => {
                return Err(BuildError::invalid(
                    "amount",
                    format!("is in {}, the refund in {}", a.currency(), self.currency),
                ))
            }
            Some(a) => Some(amount_text("amount", a)?),
            None => None,
        };
        Ok(Data(Payload {
            public_key: config.public_key(),
            transaction: Some(check_id("transaction", &self.transaction)?),
            amount,
            currency: Some(self.currency),
            language: language(self.language, config),
            ..Payload::default()
        }))
    }

    fn parse(&self, response: HttpResponse) -> Result<Acknowledgement, ResponseError<ApiError>> {
        Acknowledgement::parse(response)
    }
}

// ---------------------------------------------------------------------------------------
// Payout

/// Pay out to a card saved with `refund` = 1 (`POST /api/1/refund-request`).
///
/// Executes to a [`PaymentResult`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::Payout::new("ce0000000002", Amount::parse_major("25", Currency::AZN)?, "po-1");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","transaction":"te5","amount":25}"#.to_vec()));
/// assert!(execute(&op, &config, &t)?.is_success());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Payout {
    card_id: String,
    amount: Amount,
    order_id: String,
    description: Option<String>,
    language: Option<Language>,
}

impl Payout {
    /// The saved `card_id`, the `amount` and your `order_id`.
    pub fn new(card_id: impl Into<String>, amount: Amount, order_id: impl Into<String>) -> Self {
        Payout {
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

impl SignedOperation for Payout {
    type Output = PaymentResult;
    const NAME: &'static str = "payout";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "refund-request";

    /// The same payload as [`PayWithSavedCard`](super::PayWithSavedCard)'s.
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
// PreAuthComplete

/// Capture a hold made by [`PreAuth`](super::PreAuth) (`POST /api/1/pre-auth-complete`).
///
/// Executes to an [`Acknowledgement`]; not idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::PreAuthComplete::new(Amount::parse_major("50", Currency::AZN)?, "te000000101");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","message":"ok","transaction":"te000000101"}"#.to_vec()));
/// assert!(execute(&op, &config, &t)?.status.is_success());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PreAuthComplete {
    amount: Amount,
    transaction: String,
}

impl PreAuthComplete {
    /// The `amount` to capture and the hold's `transaction`.
    pub fn new(amount: Amount, transaction: impl Into<String>) -> Self {
        PreAuthComplete {
            amount,
            transaction: transaction.into(),
        }
    }
}

impl SignedOperation for PreAuthComplete {
    type Output = Acknowledgement;
    const NAME: &'static str = "pre_auth_complete";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "pre-auth-complete";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        Ok(Data(Payload {
            public_key: config.public_key(),
            transaction: Some(check_id("transaction", &self.transaction)?),
            amount: Some(amount_text("amount", &self.amount)?),
            ..Payload::default()
        }))
    }

    fn parse(&self, response: HttpResponse) -> Result<Acknowledgement, ResponseError<ApiError>> {
        Acknowledgement::parse(response)
    }
}
