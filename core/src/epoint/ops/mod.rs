//! One struct per EPoint operation (wire facts: `docs/wire.md`, "EPoint"). Required fields go
//! in `new`, optional ones are setters named after the wire field; validation happens in
//! `build_request`.
//!
//! Every signed operation implements the sealed [`SignedOperation`] (its name, endpoint, JSON
//! payload and how it reads the answer); the blanket `impl Operation` below signs and
//! form-encodes the payload for all of them. The unsigned ones ([`WalletStatus`],
//! [`Heartbeat`]) implement [`Operation`] directly. Since rustdoc shows the blanket impl, not
//! each operation's `Output`, every operation's docs name the type it executes to.
//!
//! | file | operations |
//! |---|---|
//! | `pages.rs` | [`Pay`], [`Checkout`], [`PreAuth`], [`SplitPay`] |
//! | `saved_cards.rs` | [`SaveCard`], [`PayAndSaveCard`], [`SplitPayAndSaveCard`], [`PayWithSavedCard`], [`SplitPayWithSavedCard`], [`GetCardStatus`] |
//! | `refunds.rs` | [`Refund`], [`Payout`], [`PreAuthComplete`] |
//! | `tokens.rs` | [`TokenWidget`], [`TokenPayment`], [`AppleSession`], [`ApplePay`], [`GooglePay`] |
//! | `wallets.rs` | [`WalletStatus`] (unsigned), [`WalletPayment`] |
//! | `status.rs` | [`GetStatus`], [`Heartbeat`] (unsigned) |

mod pages;
mod refunds;
mod saved_cards;
mod status;
mod tokens;
mod wallets;

pub use pages::{Checkout, Pay, PreAuth, SplitPay};
pub use refunds::{Payout, PreAuthComplete, Refund};
pub use saved_cards::{
    GetCardStatus, PayAndSaveCard, PayWithSavedCard, SaveCard, SplitPayAndSaveCard,
    SplitPayWithSavedCard,
};
pub use status::{GetStatus, Heartbeat};
pub use tokens::{ApplePay, AppleSession, GooglePay, TokenPayment, TokenWidget};
pub use wallets::{WalletPayment, WalletStatus};

use super::codes::{in_operation, ApiError};
use super::config::{Config, EPoint};
use super::wire::{self, Payload};
use crate::{
    Amount, BuildError, Currency, HttpRequest, HttpResponse, Language, Operation, ResponseError,
};

// ---------------------------------------------------------------------------------------
// The shared behaviour

/// A signed EPoint operation: a `POST {base}/api/1/<PATH>` whose form body carries its JSON
/// payload in base64 (`data`) and signed (`signature`). The blanket `impl Operation` below
/// does the signing and encoding for every implementor.
///
/// Public only in name (the blanket impl must be able to name it): it lives in a private
/// module, so nothing outside the crate can name or implement it.
pub trait SignedOperation {
    /// The typed outcome ([`Operation::Output`]).
    type Output;
    /// The name for logs and tracing ([`Operation::NAME`]).
    const NAME: &'static str;
    /// Whether sending it twice is harmless ([`Operation::IDEMPOTENT`]).
    const IDEMPOTENT: bool;
    /// The endpoint under `/api/1/`, e.g. `request`.
    const PATH: &'static str;

    /// Validates the operation and writes its JSON payload.
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError>;

    /// Reads EPoint's answer.
    fn parse(&self, response: HttpResponse) -> Result<Self::Output, ResponseError<ApiError>>;
}

/// The JSON payload of a [`SignedOperation`], opaque outside this module (the crate-private
/// wire struct stays out of the trait's signature).
pub struct Data<'a>(Payload<'a>);

impl<T: SignedOperation> Operation for T {
    type Gateway = EPoint;
    type Output = <T as SignedOperation>::Output;
    const NAME: &'static str = <T as SignedOperation>::NAME;
    const IDEMPOTENT: bool = <T as SignedOperation>::IDEMPOTENT;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        check_keys(config)?;
        let Data(payload) = self.payload(config)?;
        wire::signed_request(config, T::PATH, &payload)
    }

    fn parse_response(
        &self,
        _config: &Config,
        response: HttpResponse,
    ) -> Result<Self::Output, ResponseError<ApiError>> {
        in_operation(T::NAME, self.parse(response))
    }
}

// ---------------------------------------------------------------------------------------
// Validation

/// The most characters of an identifier whose length EPoint does not document
/// (`transaction`, `card_id`, `split_user`, `wallet_id`, `public_key`).
const ID_MAX: usize = crate::input::DEFAULT_ID_MAX;

/// `order_id`: 1 to 255 characters (EPoint's documented limit), not only whitespace, no control
/// characters and no Unicode direction controls.
fn check_order_id(order_id: &str) -> Result<(), BuildError> {
    crate::input::check_id("order_id", order_id, 255)
}

/// Any other identifier: 1 to [`ID_MAX`] characters, same character rules as `order_id`.
fn check_id<'a>(field: &'static str, value: &'a str) -> Result<&'a str, BuildError> {
    crate::input::check_id(field, value, ID_MAX)?;
    Ok(value)
}

/// The keys, checked on every signed request: the public key as an identifier, the private
/// key not empty and not only whitespace.
pub(super) fn check_keys(config: &Config) -> Result<(), BuildError> {
    check_id("public_key", config.public_key())?;
    crate::input::check_secret("private_key", config.private_key())
}

fn check_description(description: Option<&str>) -> Result<(), BuildError> {
    if let Some(d) = description {
        let n = d.chars().count();
        if n > 1000 {
            return Err(BuildError::invalid(
                "description",
                format!("is {n} characters long; at most 1000 are allowed"),
            ));
        }
    }
    Ok(())
}

fn check_currency(currency: Currency) -> Result<(), BuildError> {
    if currency.exponent() != 2 {
        return Err(BuildError::invalid(
            "currency",
            format!(
                "{currency} has {} decimals; EPoint amounts have two",
                currency.exponent()
            ),
        ));
    }
    Ok(())
}

/// A positive amount in a two-decimal currency, as its wire text (`"30.75"`).
fn amount_text(field: &'static str, amount: &Amount) -> Result<String, BuildError> {
    check_currency(amount.currency())?;
    if amount.is_zero() {
        return Err(BuildError::invalid(field, "must be greater than zero"));
    }
    Ok(amount.to_major_string())
}

fn check_split(amount: &Amount, split_amount: &Amount) -> Result<String, BuildError> {
    if split_amount.currency() != amount.currency() {
        return Err(BuildError::invalid(
            "split_amount",
            "must be in the same currency as amount",
        ));
    }
    let text = amount_text("split_amount", split_amount)?;
    if split_amount.minor() >= amount.minor() {
        return Err(BuildError::invalid(
            "split_amount",
            "must be less than amount",
        ));
    }
    Ok(text)
}

fn non_empty<'a>(field: &'static str, value: &'a str) -> Result<&'a str, BuildError> {
    if value.trim().is_empty() {
        Err(BuildError::invalid(field, "must not be empty"))
    } else {
        Ok(value)
    }
}

fn url<'a>(
    field: &'static str,
    own: Option<&'a str>,
    default: Option<&'a str>,
) -> Result<Option<&'a str>, BuildError> {
    match own.or(default) {
        Some(u) if u.trim().is_empty() => Err(BuildError::invalid(field, "must not be empty")),
        other => Ok(other),
    }
}

/// The operation's own `language`, else the configuration's, as its wire text.
fn language(own: Option<Language>, config: &Config) -> Option<&'static str> {
    Some(own.unwrap_or(config.default_language()).as_lower())
}

// ---------------------------------------------------------------------------------------
// Payload building blocks

/// The fields of an order, borrowed from an operation.
struct Order<'a> {
    amount: &'a Amount,
    /// The partner's part, for the split operations.
    split_amount: Option<&'a Amount>,
    order_id: &'a str,
    description: Option<&'a str>,
    language: Option<Language>,
}

impl<'a> Order<'a> {
    /// The payload of an order, on top of the `public_key`: `amount` (checked first, then
    /// `split_amount` when given), `order_id`, `description` (checked in that order),
    /// `currency` and `language`.
    fn payload(self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        let amount_wire = amount_text("amount", self.amount)?;
        let split_amount = self
            .split_amount
            .map(|split| check_split(self.amount, split))
            .transpose()?;
        check_order_id(self.order_id)?;
        check_description(self.description)?;
        Ok(Payload {
            public_key: config.public_key(),
            amount: Some(amount_wire),
            split_amount,
            currency: Some(self.amount.currency()),
            language: language(self.language, config),
            order_id: Some(self.order_id),
            description: self.description,
            ..Payload::default()
        })
    }
}

/// An operation's own `success_redirect_url` and `error_redirect_url`, borrowed.
struct Redirects<'a> {
    success: Option<&'a str>,
    error: Option<&'a str>,
}

impl<'a> Redirects<'a> {
    /// `payload` with these URLs (each defaulting to the configuration's; an empty one is
    /// refused, success first).
    fn apply(self, config: &'a Config, payload: Payload<'a>) -> Result<Payload<'a>, BuildError> {
        Ok(Payload {
            success_redirect_url: url(
                "success_redirect_url",
                self.success,
                config.default_success_url(),
            )?,
            error_redirect_url: url("error_redirect_url", self.error, config.default_error_url())?,
            ..payload
        })
    }
}
