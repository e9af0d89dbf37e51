//! EPoint's signed server-to-server callback to the merchant's `result_url`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use subtle::ConstantTimeEq;

use super::codes::{ApiError, BankCode, OperationCode, Status};
use super::config::Config;
use super::envelope;
use super::sign::{decode_data, encode_data, signature};
use super::wire::{self, lenient};
use crate::error::from_json_slice;
use crate::{Amount, Currency, JsonDecimal, ResponseError, SignatureError, State};

/// A verified callback. Which fields are present depends on the flow (payment, card
/// registration, split) and on success; all are optional. Amounts are in the callback's
/// `currency` when it carries one; EPoint's documented callback has no `currency` field and
/// AZN is the only currency EPoint documents, so without it they are read as AZN.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Callback {
    /// What the callback reports ([`Status::state`]): `success` [`State::Done`], `returned`
    /// [`State::Returned`] (refunded), `failed`/`error` [`State::Declined`], `new`, an unknown
    /// word or no `status` at all [`State::Pending`].
    pub state: State,
    /// Your order id.
    pub order_id: Option<String>,
    /// `success` or `failed`.
    pub status: Option<Status>,
    /// The bank response code.
    pub code: Option<BankCode>,
    /// EPoint's message.
    pub message: Option<String>,
    /// EPoint's transaction id.
    pub transaction: Option<String>,
    /// The bank's transaction id.
    pub bank_transaction: Option<String>,
    /// The bank's answer.
    pub bank_response: Option<String>,
    /// What kind of operation this is about.
    pub operation_code: Option<OperationCode>,
    /// Retrieval reference number (successful operations only).
    pub rrn: Option<String>,
    /// The name given on the payment page.
    pub card_name: Option<String>,
    /// The card mask, `123456******1234`.
    pub card_mask: Option<String>,
    /// The amount, in the callback's `currency` (AZN when it names none).
    pub amount: Option<Amount>,
    /// The `other_attr` sent with the payment, as echoed.
    pub other_attr: Option<Value>,
    /// The saved card's id (card registration flows).
    pub card_id: Option<String>,
    /// The split partner's part (split flows).
    pub split_amount: Option<Amount>,
}

impl Callback {
    /// Whether the callback reports success.
    pub fn is_success(&self) -> bool {
        matches!(self.status, Some(Status::Success))
    }

    /// Whether this callback is about your order `order_id` for exactly `amount`: check it
    /// before fulfilling, as [`crate::kapital::UnverifiedRedirect::claim_matches`] does for
    /// Kapital. A valid signature proves EPoint sent the callback, not that it is about the
    /// order and the sum you expect (a callback for another of your orders, or a smaller
    /// payment, verifies just as well). A callback without `order_id` or `amount` never
    /// matches.
    ///
    /// Callbacks are also sent more than once: see [`crate::dedupe`] to handle each only once.
    ///
    /// ```
    /// use azpay_core::{epoint, serde_json::json, Amount, Currency};
    ///
    /// let config = epoint::Config::new("i000000001", "private-key");
    /// let body = epoint::sign_callback(&config, &json!({
    ///     "order_id": "order-1", "status": "success", "amount": "30.75", "transaction": "te1",
    /// }));
    /// let callback = epoint::verify_callback(&config, &body)?;
    /// let expected = Amount::parse_major("30.75", Currency::AZN)?;
    /// assert!(callback.matches("order-1", expected));
    /// assert!(!callback.matches("order-2", expected));
    /// assert!(!callback.matches("order-1", Amount::parse_major("30.70", Currency::AZN)?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matches(&self, order_id: &str, amount: Amount) -> bool {
        self.order_id.as_deref() == Some(order_id) && self.amount == Some(amount)
    }
}

#[derive(Debug, Default, Deserialize)]
struct CallbackWire {
    #[serde(default, deserialize_with = "lenient")]
    order_id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    code: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    message: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    transaction: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    bank_transaction: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    bank_response: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    operation_code: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    rrn: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    card_name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    card_mask: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    currency: Option<String>,
    #[serde(default)]
    amount: Option<JsonDecimal>,
    #[serde(default)]
    other_attr: Option<Value>,
    #[serde(default, deserialize_with = "lenient")]
    card_id: Option<String>,
    #[serde(default)]
    split_amount: Option<JsonDecimal>,
}

/// The `data` and `signature` fields of a form body, decoded with `+` as a space (standard
/// form decoding) or, when `plus_literal`, with `+` kept as itself (a sender that did not
/// percent-encode the base64 `+`). Duplicates are refused.
fn split_form(body: &[u8], plus_literal: bool) -> Result<(String, String), SignatureError> {
    let mut data = None;
    let mut sig = None;
    for pair in body.split(|b| *b == b'&') {
        if pair.is_empty() {
            continue;
        }
        let (k, v) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &pair[pair.len()..]),
        };
        let key = form_decode(k, false);
        let (field, slot) = match key.as_str() {
            "data" => ("data", &mut data),
            "signature" => ("signature", &mut sig),
            _ => continue,
        };
        if slot.is_some() {
            return Err(SignatureError::Duplicated { field });
        }
        *slot = Some(form_decode(v, plus_literal));
    }
    checked_fields(data, sig, body.is_empty())
}

/// Percent-decodes one form component; `+` is a space unless `plus_literal`.
fn form_decode(bytes: &[u8], plus_literal: bool) -> String {
    if plus_literal {
        let escaped: Vec<u8> = bytes
            .iter()
            .flat_map(|b| {
                if *b == b'+' {
                    b"%2B".to_vec()
                } else {
                    vec![*b]
                }
            })
            .collect();
        form_urlencoded::parse(&[b"x=".as_slice(), &escaped].concat())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    } else {
        form_urlencoded::parse(&[b"x=".as_slice(), bytes].concat())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    }
}

/// The `data` and `signature` fields, checked the same way in every encoding.
pub(super) fn checked_fields(
    data: Option<String>,
    sig: Option<String>,
    empty_body: bool,
) -> Result<(String, String), SignatureError> {
    if empty_body {
        return Err(SignatureError::EmptyBody);
    }
    let data = data.ok_or(SignatureError::Missing { field: "data" })?;
    let sig = sig.ok_or(SignatureError::Missing { field: "signature" })?;
    if data.is_empty() {
        return Err(SignatureError::Empty { field: "data" });
    }
    if sig.is_empty() {
        return Err(SignatureError::Empty { field: "signature" });
    }
    Ok((data, sig))
}

fn signature_matches(config: &Config, data: &str, sig: &str) -> bool {
    let expected = signature(config.private_key(), data);
    // Constant time over the bytes; only the (public) length may short-cut.
    expected.as_bytes().ct_eq(sig.as_bytes()).into()
}

/// Verifies a callback body as posted to your `result_url` and only then decodes it. The
/// encoding is recognised by the body's shape (use [`verify_callback_request`] when you have
/// the request and its `Content-Type`):
///
/// | body starts with | encoding |
/// |---|---|
/// | `{` (after whitespace) | `application/json`: `{"data":"…","signature":"…"}` |
/// | `--` | `multipart/form-data`, the boundary being the rest of the first line |
/// | anything else | `application/x-www-form-urlencoded`: `data=…&signature=…` |
///
/// The signature is recomputed over the received `data` text and compared in constant time.
/// A missing, empty or repeated field (in any encoding, across multipart parts too), a wrong
/// signature or an unreadable envelope is [`ResponseError::Signature`] with its
/// [`SignatureError`], and nothing of the body is decoded. A verified body whose `data` is
/// not base64 JSON is [`ResponseError::Malformed`]. If a form sender left base64 `+` signs
/// unescaped (which form decoding reads as spaces), the body is also tried with `+` kept
/// literally; the signature must still verify.
///
/// ```
/// use azpay_core::{epoint, State};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let body = epoint::sign_callback(&config, &serde_json::json!({
///     "order_id": "1", "status": "success", "code": "000", "amount": 30.75
/// }));
/// let cb = epoint::verify_callback(&config, &body)?;
/// assert!(cb.is_success());
/// assert_eq!(cb.state, State::Done);
/// assert_eq!(cb.amount.map(|a| a.minor()), Some(3075));
/// let mut forged = body.clone();
/// forged[7] ^= 1;
/// assert!(epoint::verify_callback(&config, &forged).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_callback(config: &Config, body: &[u8]) -> Result<Callback, ResponseError<ApiError>> {
    ResponseError::check_size(body)?;
    check_key(config)?;
    let envelope = envelope::by_shape(body);
    verify_envelope(config, body, envelope)
}

/// Verifies a callback request as your web framework received it, choosing the encoding by
/// its `Content-Type`: `application/x-www-form-urlencoded`, `application/json` (or any
/// `…+json`), or `multipart/form-data` with its `boundary`. Without a `Content-Type` the
/// body's shape decides, as in [`verify_callback`]; any other `Content-Type` is
/// [`SignatureError::UnsupportedEncoding`], whose message lists the accepted ones. The rest
/// (the signature over the received `data`, nothing decoded before it verifies) is exactly
/// [`verify_callback`].
///
/// ```
/// use azpay_core::{epoint, State};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let form = epoint::sign_callback(&config, &serde_json::json!({"status": "returned"}));
/// let request = http::Request::post("/epoint/result")
///     .header("content-type", "application/x-www-form-urlencoded")
///     .body(form)?;
/// assert_eq!(epoint::verify_callback_request(&config, &request)?.state, State::Returned);
///
/// let text = http::Request::post("/epoint/result")
///     .header("content-type", "text/plain")
///     .body(Vec::new())?;
/// let e = epoint::verify_callback_request(&config, &text).unwrap_err();
/// assert!(e.to_string().contains("multipart/form-data"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_callback_request<B: AsRef<[u8]>>(
    config: &Config,
    request: &http::Request<B>,
) -> Result<Callback, ResponseError<ApiError>> {
    let body = request.body().as_ref();
    ResponseError::check_size(body)?;
    check_key(config)?;
    let content_type = request.headers().get(http::header::CONTENT_TYPE);
    let envelope =
        envelope::by_content_type(content_type, body).map_err(ResponseError::Signature)?;
    verify_envelope(config, body, envelope)
}

/// With a blank key the "signature" is a plain SHA-1 of the data, which anyone computes.
fn check_key(config: &Config) -> Result<(), ResponseError<ApiError>> {
    if config.private_key().trim().is_empty() {
        return Err(ResponseError::Signature(SignatureError::UnusableKey {
            field: "private_key",
        }));
    }
    Ok(())
}

fn verify_envelope(
    config: &Config,
    body: &[u8],
    envelope: envelope::Envelope<'_>,
) -> Result<Callback, ResponseError<ApiError>> {
    let data = match envelope {
        envelope::Envelope::Form => {
            let (data, sig) = split_form(body, false).map_err(ResponseError::Signature)?;
            if signature_matches(config, &data, &sig) {
                data
            } else {
                match split_form(body, true) {
                    Ok((d, s)) if body.contains(&b'+') && signature_matches(config, &d, &s) => d,
                    _ => return Err(ResponseError::Signature(SignatureError::Mismatch)),
                }
            }
        }
        other => {
            let (data, sig) = envelope::fields(body, &other).map_err(ResponseError::Signature)?;
            if !signature_matches(config, &data, &sig) {
                return Err(ResponseError::Signature(SignatureError::Mismatch));
            }
            data
        }
    };
    decode_verified(body, &data)
}

/// Verified: from here on, decoding errors are malformed data, not forgeries.
fn decode_verified(body: &[u8], data: &str) -> Result<Callback, ResponseError<ApiError>> {
    let json = decode_data(data).map_err(|e| {
        ResponseError::malformed_by(
            format!("callback `data` is not base64: {e}"),
            e,
            body.to_vec(),
        )
    })?;
    let w: CallbackWire = from_json_slice(&json).map_err(|e| {
        ResponseError::malformed_json(format!("callback `data` is not JSON: {e}"), e, json.clone())
    })?;
    let status = w.status.as_deref().map(Status::parse);
    let currency = wire::currency(w.currency.as_deref(), Currency::AZN, &json)?;
    Ok(Callback {
        state: status.as_ref().map_or(State::Pending, Status::state),
        order_id: w.order_id,
        status,
        code: w.code.as_deref().map(BankCode::parse),
        message: w.message,
        transaction: w.transaction,
        bank_transaction: w.bank_transaction,
        bank_response: w.bank_response,
        operation_code: w.operation_code.as_deref().map(OperationCode::parse),
        rrn: w.rrn,
        card_name: w.card_name,
        card_mask: w.card_mask,
        amount: wire::amount(w.amount, currency, "amount", &json)?,
        other_attr: w.other_attr.filter(|v| !v.is_null()),
        card_id: w.card_id,
        split_amount: wire::amount(w.split_amount, currency, "split_amount", &json)?,
    })
}

/// Signs a callback payload the way EPoint does and returns the form body
/// (`data=…&signature=…`, properly percent-encoded). For tests and the sandbox.
pub fn sign_callback(config: &Config, payload: &Value) -> Vec<u8> {
    let data = encode_data(payload.to_string().as_bytes());
    let sig = signature(config.private_key(), &data);
    form_urlencoded::Serializer::new(String::new())
        .append_pair("data", &data)
        .append_pair("signature", &sig)
        .finish()
        .into_bytes()
}
