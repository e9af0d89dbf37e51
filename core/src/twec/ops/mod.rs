//! The TWEC operations, one struct each (their outcomes are in `outcome.rs`).
//!
//! Every request is `POST {base_url}` with `Content-Type: application/xml; charset=utf-8`
//! ([`CONTENT_TYPE`]) and a compact TKKPG document whose elements follow the order of the
//! gateway's documentation. Every text node is escaped; characters XML 1.0 forbids are
//! refused with a [`BuildError`] naming the element. Identifiers (`Merchant`, `OrderID`,
//! `SessionID`, `TerminalID`, `TranId`) must not be empty or only whitespace, must not hold
//! control characters (newlines included) or Unicode direction controls (U+202A–U+202E,
//! U+2066–U+2069), and are at most 255 characters long (TranzWare documents no length).
//!
//! | file | operations |
//! |---|---|
//! | `create.rs` | [`CreateOrder`] ([`OrderType`]) |
//! | `queries.rs` | [`GetOrderStatus`], [`GetOrderInformation`] |
//! | `follow_up.rs` | [`Completion`], [`Reverse`], [`Refund`]: money moved on an existing order |
//!
//! This file keeps what they share: the request, the identifier and amount checks, the
//! opening of `<Order>`.

mod create;
mod follow_up;
mod queries;

pub use create::{CreateOrder, OrderType};
pub use follow_up::{Completion, Refund, Reverse};
pub use queries::{GetOrderInformation, GetOrderStatus};

use crate::twec::config::{Config, RequestForm};
use crate::twec::xmlwrite::{check_text, RequestWriter};
use crate::{Amount, BuildError, HttpRequest};

/// The `Content-Type` of every TWEC request. The gateway is known not to care (clients send
/// `text/xml`, `application/xml`, even `text/plain`); this is the accurate one.
pub const CONTENT_TYPE: &str = "application/xml; charset=utf-8";

fn post(config: &Config, body: Vec<u8>) -> Result<HttpRequest, BuildError> {
    // The base URL was checked when it was set (`Config::base_url`).
    Ok(http::Request::post(config.base_url.as_str())
        .header(http::header::CONTENT_TYPE, CONTENT_TYPE)
        .body(body)?)
}

/// The most characters of an identifier (`Merchant`, `OrderID`, `SessionID`, `TerminalID`,
/// `TranId`): TranzWare documents no length, so this is a generous cap.
const ID_MAX_CHARS: usize = crate::input::DEFAULT_ID_MAX;

/// An identifier: not empty or only whitespace, no control characters (newlines included)
/// or Unicode direction controls, at most [`ID_MAX_CHARS`] characters.
fn require_id(field: &'static str, value: &str) -> Result<(), BuildError> {
    crate::input::check_id(field, value, ID_MAX_CHARS)?;
    check_text(field, value)
}

fn require(field: &'static str, value: &str) -> Result<(), BuildError> {
    if value.trim().is_empty() {
        return Err(BuildError::invalid(field, "must not be empty"));
    }
    check_text(field, value)
}

/// The one currency Kapital's form accepts: `944` (AZN). Kapital's TKKPG document: "the
/// `<Currency>` parameter cannot be left empty and may take only the value 944".
pub(crate) const KAPITAL_CURRENCY: u16 = 944;

/// Checks an amount against the form's and the merchant's currency and returns its wire form
/// (minor units). Kapital's form takes 944 only (refused as `Currency` before anything is
/// sent); the generic form takes any currency.
fn minor_units(
    field: &'static str,
    amount: &Amount,
    config: &Config,
) -> Result<String, BuildError> {
    if config.form == RequestForm::Kapital && amount.currency().numeric() != KAPITAL_CURRENCY {
        return Err(BuildError::invalid(
            "Currency",
            format!(
                "Kapital's gateway accepts only 944 (AZN), not {} ({}); for another bank's \
                 gateway use the generic form",
                amount.currency(),
                amount.currency().numeric_string()
            ),
        ));
    }
    if amount.currency().numeric() != config.currency.numeric() {
        return Err(BuildError::invalid(
            field,
            format!(
                "amount is in {} ({}) but the merchant's currency is {} ({})",
                amount.currency(),
                amount.currency().numeric_string(),
                config.currency,
                config.currency.numeric_string()
            ),
        ));
    }
    if amount.is_zero() {
        return Err(BuildError::invalid(field, "must be greater than zero"));
    }
    Ok(amount.minor().to_string())
}

/// `<Order><Merchant>…</Merchant><OrderID>…</OrderID>` (left open for Kapital's `Positions`).
fn open_order(w: &mut RequestWriter, config: &Config, order_id: &str) -> Result<(), BuildError> {
    require_id("Merchant", &config.merchant_id)?;
    require_id("OrderID", order_id)?;
    w.start("Order")?;
    w.element("Merchant", "Merchant", &config.merchant_id)?;
    w.element("OrderID", "OrderID", order_id)
}
