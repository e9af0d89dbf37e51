//! The JSON Payriff posts to `callbackUrl`: `{"code", "message", "route", "responseId",
//! "payload": OrderInfo}`. It is **not signed** (Payriff's own SDKs say to confirm it with
//! `GET /api/v3/orders/{orderId}`), so anyone who knows the URL can post one.

use std::fmt;

use serde::Deserialize;

use super::ops::GetOrder;
use super::outcome::OrderInfo;
use super::wire::{text, Text};

/// The most bytes [`parse_callback`] reads (64 KiB).
pub const MAX_CALLBACK_BYTES: usize = 64 * 1024;

/// Why a body is not a Payriff callback.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// Longer than [`MAX_CALLBACK_BYTES`].
    #[error("the callback is longer than {MAX_CALLBACK_BYTES} bytes")]
    TooLong,
    /// Not a JSON object.
    #[error("the callback is not a JSON object")]
    NotJson,
    /// No `payload` object, or no `payload.orderId`.
    #[error("the callback has no `payload.orderId`")]
    MissingOrderId,
    /// `payload.orderId` is empty, too long or holds control characters.
    #[error("the callback's `payload.orderId` is not an order id")]
    InvalidOrderId,
}

#[derive(Deserialize)]
struct WireCallback {
    #[serde(default)]
    code: Option<Text>,
    #[serde(default)]
    payload: Option<Box<serde_json::value::RawValue>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WirePayload {
    order_id: Option<Text>,
    payment_status: Option<Text>,
    amount: Option<Text>,
    currency_type: Option<Text>,
}

/// What a callback claims: an order id and a status. Unverified.
///
/// The callback is unsigned, so this type has no "paid" accessor: the claimed status is only
/// a string. The one way to a trusted status is [`UnverifiedCallback::verify`], the
/// [`GetOrder`] query sent with the merchant's secret key; its
/// [`OrderInfo::state`] is the answer.
///
/// ```
/// use azpay_core::{execute, payriff, HttpRequest, HttpResponse, State, TransportError};
///
/// let config = payriff::Config::new("app-key");
/// let body = br#"{"payload":{"orderId":"ORD-1","paymentStatus":"APPROVED","amount":10.5,"currencyType":"AZN"},"code":"00000","message":"OK"}"#;
/// let callback = payriff::parse_callback(body)?;
/// assert_eq!(callback.claimed_status(), Some("APPROVED")); // a claim, nothing more
/// let gateway = |request: HttpRequest| {
///     assert_eq!(request.uri(), "https://api.payriff.com/api/v3/orders/ORD-1");
///     Ok::<HttpResponse, TransportError>(http::Response::new(
///         br#"{"code":"00000","payload":{"orderId":"ORD-1","paymentStatus":"DECLINED"}}"#.to_vec()))
/// };
/// let order = execute(&callback.verify(), &config, &gateway)?;
/// assert_eq!(order.state, State::Declined); // the gateway's answer decides
/// assert!(!callback.claim_matches(&order));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// There is nothing to ask the callback itself whether it is paid:
///
/// ```compile_fail
/// let cb = azpay_core::payriff::parse_callback(br#"{"payload":{"orderId":"1"}}"#).unwrap();
/// let _ = cb.state;
/// let _ = cb.is_paid();
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct UnverifiedCallback {
    order_id: String,
    claimed_status: Option<String>,
    claimed_amount: Option<String>,
    claimed_currency: Option<String>,
    claimed_code: Option<String>,
}

impl UnverifiedCallback {
    /// The order id the callback names. Querying it is how the claim gets checked.
    pub fn order_id(&self) -> &str {
        &self.order_id
    }
    /// The `paymentStatus` claimed. Unverified: show it at most, never act on it.
    pub fn claimed_status(&self) -> Option<&str> {
        self.claimed_status.as_deref()
    }
    /// The `amount` claimed, as written. Unverified.
    pub fn claimed_amount(&self) -> Option<&str> {
        self.claimed_amount.as_deref()
    }
    /// The `currencyType` claimed. Unverified.
    pub fn claimed_currency(&self) -> Option<&str> {
        self.claimed_currency.as_deref()
    }
    /// The envelope's `code` claimed. Unverified.
    pub fn claimed_code(&self) -> Option<&str> {
        self.claimed_code.as_deref()
    }
    /// The query whose answer is the trusted status: `GET /api/v3/orders/{orderId}`.
    pub fn verify(&self) -> GetOrder {
        GetOrder::new(self.order_id.clone())
    }
    /// Whether the verified order (from [`UnverifiedCallback::verify`]) is the one named and
    /// has the claimed status.
    pub fn claim_matches(&self, verified: &OrderInfo) -> bool {
        verified.order_id == self.order_id
            && self
                .claimed_status
                .as_deref()
                .is_some_and(|s| crate::state::word_is(s, verified.payment_status.as_str()))
    }
}

impl fmt::Debug for UnverifiedCallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnverifiedCallback")
            .field("order_id", &self.order_id)
            .field("claimed_status", &self.claimed_status)
            .field("claimed_amount", &self.claimed_amount)
            .finish()
    }
}

/// Reads a callback body. Only `payload.orderId` is required; everything else is a claim.
/// Hostile input yields an error, never a panic.
pub fn parse_callback(body: &[u8]) -> Result<UnverifiedCallback, CallbackError> {
    if body.len() > MAX_CALLBACK_BYTES {
        return Err(CallbackError::TooLong);
    }
    if body.trim_ascii_start().first() != Some(&b'{') {
        return Err(CallbackError::NotJson);
    }
    let wire: WireCallback = serde_json::from_slice(body).map_err(|_| CallbackError::NotJson)?;
    let payload = match wire.payload {
        Some(raw) if raw.get().starts_with('{') => {
            serde_json::from_str::<WirePayload>(raw.get()).map_err(|_| CallbackError::NotJson)?
        }
        Some(raw) if raw.get() != "null" => return Err(CallbackError::NotJson),
        _ => return Err(CallbackError::MissingOrderId),
    };
    let order_id = text(payload.order_id).ok_or(CallbackError::MissingOrderId)?;
    if crate::input::id_problem(&order_id, crate::input::DEFAULT_ID_MAX).is_some() {
        return Err(CallbackError::InvalidOrderId);
    }
    let short = |v: Option<Text>| text(v).filter(|s| s.chars().count() <= 64);
    Ok(UnverifiedCallback {
        order_id,
        claimed_status: short(payload.payment_status),
        claimed_amount: short(payload.amount),
        claimed_currency: short(payload.currency_type),
        claimed_code: short(wire.code),
    })
}
