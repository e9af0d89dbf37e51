//! One struct per Azericard operation (PROVIDERS.md §2.2–2.4). Required fields go in the
//! constructor, optional ones are setters; everything is checked in `build_request` (or
//! [`Pay::form`]) before anything is signed or sent, naming the field.
//!
//! | file | operations |
//! |---|---|
//! | `pages.rs` | [`Pay`] (TRTYPE `1`, or `0` for a hold): the form the browser posts |
//! | `actions.rs` | [`Complete`] (`21`), [`Reverse`] (`22`, or `24` offline) |
//! | `status.rs` | [`GetStatus`] (`90` with `TRAN_TRTYPE`) |

mod actions;
mod pages;
mod status;

pub use actions::{Complete, Reverse};
pub use pages::Pay;
pub use status::GetStatus;

use super::config::Config;
use super::wire;
use crate::{input, Amount, BuildError, HttpRequest};

/// `POST {base}/cgi-bin/cgi_link` with `fields` as a form body.
pub(crate) fn post(config: &Config, fields: &[(&str, &str)]) -> Result<HttpRequest, BuildError> {
    Ok(http::Request::builder()
        .method(http::Method::POST)
        .uri(config.endpoint())
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(wire::form_body(fields))?)
}

/// `ORDER`: 6 to 32 digits.
pub(crate) fn check_order(order: &str) -> Result<(), BuildError> {
    let n = order.len();
    if !(6..=32).contains(&n) || !order.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BuildError::invalid(
            "order",
            "must be 6 to 32 digits (its last 6 digits are unique per terminal per day)",
        ));
    }
    Ok(())
}

/// `AMOUNT`: more than zero, at most 12 characters, as `10.50`.
pub(crate) fn amount_text(amount: &Amount) -> Result<String, BuildError> {
    if amount.is_zero() {
        return Err(BuildError::invalid("amount", "must be more than zero"));
    }
    let text = amount.to_major_string();
    if text.len() > 12 {
        return Err(BuildError::invalid(
            "amount",
            "is longer than 12 characters",
        ));
    }
    Ok(text)
}

/// `CURRENCY`: the alphabetic code, as the document's requests send it (`AZN`).
pub(crate) fn currency_text(amount: &Amount) -> String {
    amount.currency().alpha().to_owned()
}

/// A text field of `min..=max` characters (no control characters); `ascii` when it is in a MAC.
pub(crate) fn check_text(
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
    ascii: bool,
) -> Result<(), BuildError> {
    input::check_id(field, value, max)?;
    if value.chars().count() < min {
        return Err(BuildError::invalid(
            field,
            format!("must be at least {min} characters long"),
        ));
    }
    if ascii && !value.is_ascii() {
        return Err(BuildError::invalid(
            field,
            "must be ASCII: it is in the signature's MAC source, whose lengths count bytes",
        ));
    }
    Ok(())
}

/// `TERMINAL`: 8 ASCII letters or digits.
pub(crate) fn check_terminal(terminal: &str) -> Result<(), BuildError> {
    if terminal.len() != 8 || !terminal.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(BuildError::invalid(
            "terminal",
            "must be 8 ASCII letters or digits",
        ));
    }
    Ok(())
}
