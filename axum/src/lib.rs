//! # azpay-axum
//!
//! [axum](https://docs.rs/axum) extractors for the legs that come back from the gateways. They
//! use no HTTP client: pair them with any transport (the example `axum_shop` uses
//! `azpay-transport-hyper`).
//!
//!
//! | extractor | route | what it gives | on failure |
//! |---|---|---|---|
//! | [`VerifiedEPointCallback`] | EPoint's `result_url` (server-to-server `POST`) | a callback whose signature verified against the [`epoint::Config`] taken from the state with [`FromRef`] | `400`, logged with `tracing` (never the body) |
//! | [`KapitalRedirect`] | Kapital's `hppRedirectUrl` (`GET ?ID=&STATUS=`) | a [`kapital::UnverifiedRedirect`]: a claim to check with its status query | `400` |
//! | [`TwecXmlOut`] | TWEC's approve/decline/cancel URLs (`POST xmlmsg=`) | a [`twec::UnverifiedXmlOut`]: a claim to check with its status query | `400` |
//! | [`PayriffCallback`] | Payriff's `callbackUrl` (server-to-server `POST`, JSON, unsigned) | a [`payriff::UnverifiedCallback`]: a claim to check with its order query | `400` |
//!
//! Bodies are read up to [`MAX_RETURN_BODY_BYTES`]; more is refused with `413` before
//! anything is parsed. Only the EPoint callback is trustworthy once extracted; a Kapital
//! redirect or a TWEC `xmlmsg` comes through the customer's browser and anyone can forge it, so
//! ship nothing until the status query ([`kapital::UnverifiedRedirect::verify`],
//! [`twec::UnverifiedXmlOut::verify`], or [`unified::Return::verify`]) says paid.
//!
//! ```no_run
//! use axum::{extract::FromRef, routing::{get, post}, Router};
//! use azpay_core::epoint;
//! use azpay_axum::{KapitalRedirect, TwecXmlOut, VerifiedEPointCallback};
//!
//! #[derive(Clone)]
//! struct Shop {
//!     epoint: epoint::Config,
//! }
//!
//! impl FromRef<Shop> for epoint::Config {
//!     fn from_ref(shop: &Shop) -> Self {
//!         shop.epoint.clone()
//!     }
//! }
//!
//! async fn epoint_result(VerifiedEPointCallback(callback): VerifiedEPointCallback) -> &'static str {
//!     // Signed by EPoint: safe to act on `callback.status` for `callback.order_id`.
//!     "OK"
//! }
//! async fn kapital_return(KapitalRedirect(claim): KapitalRedirect) -> String {
//!     // A claim: execute `claim.verify()` and trust only its answer.
//!     format!("checking order {}", claim.order_id())
//! }
//! async fn twec_return(TwecXmlOut(message): TwecXmlOut) -> String {
//!     format!("checking order {:?}", message.order_id())
//! }
//!
//! let app: Router = Router::new()
//!     .route("/epoint/result", post(epoint_result))
//!     .route("/kapital/return", get(kapital_return))
//!     .route("/twec/approve", post(twec_return))
//!     .with_state(Shop { epoint: epoint::Config::new("i000000001", "private-key") });
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use axum::body::Body;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use azpay_core::{epoint, kapital, payriff, twec, ResponseError};

#[cfg(doc)]
use azpay_core::unified;

/// The most bytes an extractor reads from a body (64 KiB): a callback or an `xmlmsg` is a
/// few kilobytes.
pub const MAX_RETURN_BODY_BYTES: usize = 64 * 1024;

/// Why an extractor refused the request. Its response is a short plain-text status; the
/// details go to `tracing`, never to the sender.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReturnRejection {
    /// The body is larger than [`MAX_RETURN_BODY_BYTES`] (`413`).
    TooLarge,
    /// The body could not be read (`400`).
    Unreadable,
    /// An EPoint callback whose signature did not verify (`400`).
    BadSignature,
    /// A message that does not parse (`400`), with the reason.
    Malformed(String),
}

impl ReturnRejection {
    /// The HTTP status answered.
    pub fn status(&self) -> StatusCode {
        match self {
            ReturnRejection::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

impl std::fmt::Display for ReturnRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReturnRejection::TooLarge => {
                write!(f, "body larger than {MAX_RETURN_BODY_BYTES} bytes")
            }
            ReturnRejection::Unreadable => f.write_str("body could not be read"),
            ReturnRejection::BadSignature => f.write_str("signature did not verify"),
            ReturnRejection::Malformed(reason) => write!(f, "malformed: {reason}"),
        }
    }
}

impl std::error::Error for ReturnRejection {}

impl IntoResponse for ReturnRejection {
    fn into_response(self) -> Response {
        let text = match &self {
            ReturnRejection::TooLarge => "payload too large",
            ReturnRejection::Unreadable => "unreadable body",
            ReturnRejection::BadSignature => "invalid signature",
            ReturnRejection::Malformed(_) => "malformed request",
        };
        (self.status(), text).into_response()
    }
}

async fn read_body(body: Body, what: &'static str) -> Result<Vec<u8>, ReturnRejection> {
    match axum::body::to_bytes(body, MAX_RETURN_BODY_BYTES).await {
        Ok(bytes) => Ok(bytes.to_vec()),
        Err(e) => {
            // `to_bytes` fails with a length-limit error somewhere in the source chain when the
            // body is too large.
            if is_length_limit(&e) {
                tracing::warn!(target: "azpay::axum", what, limit = MAX_RETURN_BODY_BYTES, "body too large; refused");
                Err(ReturnRejection::TooLarge)
            } else {
                tracing::warn!(target: "azpay::axum", what, error = %e, "body could not be read");
                Err(ReturnRejection::Unreadable)
            }
        }
    }
}

/// Whether a [`http_body_util::LengthLimitError`] is anywhere in `e`'s source chain.
fn is_length_limit(e: &axum::Error) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(err) = current {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        current = err.source();
    }
    false
}

/// A verified EPoint callback, as EPoint POSTs it to your `result_url`: a form
/// (`data=…&signature=…`), a JSON object (`{"data":…,"signature":…}`) or `multipart/form-data`,
/// chosen by the request's `Content-Type` (by the body's shape when there is none).
///
/// The [`epoint::Config`] comes from the router's state through [`FromRef`]. The signature is
/// checked with [`epoint::verify_callback_request`] (constant time) before anything is
/// decoded; a wrong signature, an unreadable envelope or an unsupported `Content-Type` is
/// refused with `400` and logged (`tracing` warn, target `azpay::axum`) without the body.
/// Reply `200` quickly and act idempotently: EPoint may send it again.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedEPointCallback(pub epoint::Callback);

impl<S> FromRequest<S> for VerifiedEPointCallback
where
    S: Send + Sync,
    epoint::Config: FromRef<S>,
{
    type Rejection = ReturnRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let config = epoint::Config::from_ref(state);
        let (parts, body) = req.into_parts();
        let body = read_body(body, "epoint callback").await?;
        let request = Request::from_parts(parts, body);
        let body = request.body();
        match epoint::verify_callback_request(&config, &request) {
            Ok(callback) => Ok(VerifiedEPointCallback(callback)),
            Err(ResponseError::Malformed { reason, .. }) => {
                tracing::warn!(target: "azpay::axum", %reason, "EPoint callback verified but malformed; refused");
                Err(ReturnRejection::Malformed(reason))
            }
            Err(ResponseError::TooLarge { .. }) => Err(ReturnRejection::TooLarge),
            Err(ResponseError::Signature(
                e @ (azpay_core::SignatureError::UnsupportedEncoding
                | azpay_core::SignatureError::Unreadable { .. }),
            )) => {
                // Not a forgery: an encoding EPoint callbacks do not use, or an envelope that
                // could not be read. Nothing was decoded.
                let reason = e.to_string();
                tracing::warn!(target: "azpay::axum", %reason, "EPoint callback refused");
                Err(ReturnRejection::Malformed(reason))
            }
            Err(e @ ResponseError::Signature(_)) => {
                tracing::warn!(
                    target: "azpay::axum",
                    error = %e,
                    bytes = body.len(),
                    "EPoint callback refused: signature did not verify"
                );
                Err(ReturnRejection::BadSignature)
            }
            Err(other) => {
                // No other failure is documented for `verify_callback`; refuse it as malformed.
                let reason = other.to_string();
                tracing::warn!(target: "azpay::axum", %reason, "EPoint callback refused");
                Err(ReturnRejection::Malformed(reason))
            }
        }
    }
}

/// Kapital's browser redirect, read from the query string (`?ID=…&STATUS=…`): an
/// **unverified** claim. Execute [`kapital::UnverifiedRedirect::verify`] and trust only its
/// answer. A query without a valid `ID` and `STATUS` is refused with `400`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KapitalRedirect(pub kapital::UnverifiedRedirect);

impl<S: Send + Sync> FromRequestParts<S> for KapitalRedirect {
    type Rejection = ReturnRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        kapital::parse_redirect(query)
            .map(KapitalRedirect)
            .map_err(|e| {
                tracing::warn!(target: "azpay::axum", error = %e, "Kapital redirect refused");
                ReturnRejection::Malformed(e.to_string())
            })
    }
}

/// TWEC's XMLOut message, posted by the customer's browser as the form field `xmlmsg` to the
/// approve, decline or cancel URL: an **unverified** claim. Execute
/// [`twec::UnverifiedXmlOut::verify`] and trust only its answer. A body that is no XMLOut
/// message is refused with `400`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwecXmlOut(pub twec::UnverifiedXmlOut);

impl<S: Send + Sync> FromRequest<S> for TwecXmlOut {
    type Rejection = ReturnRejection;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let body = read_body(req.into_body(), "twec xmlmsg").await?;
        twec::parse_xmlout(&body).map(TwecXmlOut).map_err(|e| {
            let reason = match e {
                ResponseError::Malformed { reason, .. } => reason,
                other => other.to_string(),
            };
            tracing::warn!(target: "azpay::axum", %reason, "TWEC xmlmsg refused");
            ReturnRejection::Malformed(reason)
        })
    }
}

/// Payriff's callback, posted as JSON to the order's `callbackUrl`: an **unverified** claim
/// (Payriff signs nothing, so anyone who knows the URL can post one). Execute
/// [`payriff::UnverifiedCallback::verify`] (`GET /api/v3/orders/{orderId}`) and trust only its
/// answer. A body that is no Payriff callback is refused with `400`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayriffCallback(pub payriff::UnverifiedCallback);

impl<S: Send + Sync> FromRequest<S> for PayriffCallback {
    type Rejection = ReturnRejection;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let body = read_body(req.into_body(), "payriff callback").await?;
        payriff::parse_callback(&body)
            .map(PayriffCallback)
            .map_err(|e| {
                tracing::warn!(target: "azpay::axum", error = %e, "Payriff callback refused");
                ReturnRejection::Malformed(e.to_string())
            })
    }
}
