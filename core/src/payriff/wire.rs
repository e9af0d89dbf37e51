//! Private shapes of Payriff's JSON, the request builder, exact amounts, and the envelope
//! `{code, message, internalMessage, route, responseId, payload}` every answer comes in.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::codes::{ApiError, CardSaveStatus, OrderOperation, PaymentStatus, ResultCode};
use super::config::Config;
use crate::{Amount, BuildError, HttpRequest, HttpResponse, JsonDecimal, ResponseError};

pub(crate) type RErr = ResponseError<ApiError>;

/// The header that names a payment-changing request: Payriff's order lookup by request RRN
/// (`GET /api/v3/orders/{rrn}/rrn`) finds it again.
pub(crate) const RRN_HEADER: &str = "x-request-rrn";

/// The currencies Payriff lists.
pub(crate) const CURRENCIES: &[&str] = &["AZN", "USD", "EUR", "PKR", "AED", "SAR"];

// ---------------------------------------------------------------------------------------------
// Requests

/// An amount as a JSON number in major units, written from its exact minor units
/// (`10.50`), never through a float.
pub(crate) fn amount_number(amount: &Amount) -> Result<Box<RawValue>, BuildError> {
    RawValue::from_string(amount.to_major_string()).map_err(|e| BuildError::Encoding(e.to_string()))
}

/// Checks that Payriff takes the amount's currency and that it is not zero.
pub(crate) fn check_amount(field: &'static str, amount: &Amount) -> Result<(), BuildError> {
    if amount.is_zero() {
        return Err(BuildError::invalid(field, "must be greater than zero"));
    }
    let code = amount.currency().alpha().to_owned();
    if !CURRENCIES.contains(&code.as_str()) {
        return Err(BuildError::invalid(
            "currency",
            format!("`{code}` is not one Payriff takes (AZN, USD, EUR, PKR, AED, SAR)"),
        ));
    }
    Ok(())
}

/// A request RRN: 1 to 100 printable ASCII characters (it travels in a header), not only
/// spaces and without surrounding spaces.
pub(crate) fn check_rrn(rrn: &str) -> Result<(), BuildError> {
    if rrn.trim().is_empty() {
        return Err(BuildError::invalid("rrn", "must not be empty"));
    }
    if rrn.len() > 100 {
        return Err(BuildError::invalid("rrn", "at most 100 characters"));
    }
    if !rrn.bytes().all(|b| (0x20..0x7f).contains(&b)) || rrn.trim() != rrn {
        return Err(BuildError::invalid(
            "rrn",
            "printable ASCII only, without surrounding spaces",
        ));
    }
    Ok(())
}

/// An identifier that goes into a path or query: checked, then percent-encoded.
pub(crate) fn id_segment(field: &'static str, id: &str) -> Result<String, BuildError> {
    crate::input::check_id(field, id, crate::input::DEFAULT_ID_MAX)?;
    Ok(encode(id))
}

/// Percent-encodes everything but the unreserved characters (`A-Z a-z 0-9 - . _ ~`).
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A URL the merchant gives (callback, redirect): `http(s)://`, no spaces or controls.
pub(crate) fn check_url(field: &'static str, url: &str) -> Result<(), BuildError> {
    if !(url.starts_with("https://") || url.starts_with("http://"))
        || url.chars().any(|c| c.is_control() || c == ' ')
    {
        return Err(BuildError::invalid(
            field,
            format!("`{}` is not an http(s) URL", url.escape_debug()),
        ));
    }
    Ok(())
}

/// Free text (description, reason): no control or direction characters, at most 1000.
pub(crate) fn check_text(field: &'static str, text: &str) -> Result<(), BuildError> {
    if text.chars().count() > 1000 {
        return Err(BuildError::invalid(field, "at most 1000 characters"));
    }
    if text
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    {
        return Err(BuildError::invalid(
            field,
            "must not contain control characters or Unicode direction controls",
        ));
    }
    Ok(())
}

/// Builds `{base}/api/v3/{path_and_query}` with the secret key; a body means JSON.
pub(crate) fn request(
    config: &Config,
    method: http::Method,
    path_and_query: &str,
    body: Option<Vec<u8>>,
    rrn: Option<&str>,
) -> Result<HttpRequest, BuildError> {
    let auth = config.authorization()?;
    let url = format!("{}/api/v3/{}", config.base(), path_and_query);
    let uri: http::Uri = url
        .parse()
        .map_err(|e| BuildError::invalid("base_url", format!("`{url}` is not a URI: {e}")))?;
    let mut builder = http::Request::builder()
        .method(method)
        .uri(uri)
        .header(http::header::AUTHORIZATION, auth)
        .header(http::header::ACCEPT, "application/json");
    if let Some(rrn) = rrn {
        check_rrn(rrn)?;
        builder = builder.header(RRN_HEADER, rrn);
    }
    let request = match body {
        Some(body) => builder
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(body)?,
        None => builder.body(Vec::new())?,
    };
    Ok(request)
}

/// Serialises a request body.
pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, BuildError> {
    serde_json::to_vec(value).map_err(|e| BuildError::Encoding(e.to_string()))
}

#[derive(Serialize)]
pub(crate) struct Installment<'a> {
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub period: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateOrderBody<'a> {
    pub amount: Box<RawValue>,
    pub currency: &'a str,
    pub language: &'a str,
    pub operation: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub card_save: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installment: Option<Installment<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<&'a std::collections::BTreeMap<String, String>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrderAmountBody<'a> {
    pub order_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Box<RawValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund_reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AutoPayBody<'a> {
    pub card_uuid: &'a str,
    pub amount: Box<RawValue>,
    pub operation: &'a str,
    pub currency: &'a str,
    pub description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CardSaveBody<'a> {
    pub customer_ref: &'a str,
    pub callback_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    pub language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<&'a std::collections::BTreeMap<String, String>>,
}

// ---------------------------------------------------------------------------------------------
// Responses: lenient. Every payload field is optional; strings may come as numbers.

/// A scalar read as text: a JSON string as is, a number or boolean as its literal text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let raw: Box<RawValue> = Deserialize::deserialize(d)?;
        let text = raw.get();
        if text.starts_with('"') {
            let s: String = serde_json::from_str(text).map_err(D::Error::custom)?;
            Ok(Text(s))
        } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit())
            || text == "true"
            || text == "false"
        {
            Ok(Text(text.to_owned()))
        } else {
            Err(D::Error::custom("expected a scalar"))
        }
    }
}

pub(crate) fn text(v: Option<Text>) -> Option<String> {
    v.map(|t| t.0)
}

/// Any JSON value, kept as text (`metadata` comes as an object or as a JSON string).
pub(crate) fn raw_text(v: Option<Box<RawValue>>) -> Option<String> {
    let raw = v?;
    let t = raw.get();
    if t == "null" {
        return None;
    }
    if t.starts_with('"') {
        return serde_json::from_str::<String>(t).ok();
    }
    Some(t.to_owned())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireEnvelope {
    #[serde(default)]
    code: Option<Text>,
    #[serde(default)]
    message: Option<Text>,
    #[serde(default)]
    internal_message: Option<Text>,
    #[serde(default)]
    response_id: Option<Text>,
    #[serde(default)]
    payload: Option<Box<RawValue>>,
}

/// A successful (or, where allowed, rejected) envelope with its payload parsed.
pub(crate) struct Reply<T> {
    pub code: ResultCode,
    pub message: Option<String>,
    pub response_id: Option<String>,
    pub payload: Option<T>,
}

/// The common response path:
///
/// 1. bodies over 1 MiB are refused;
/// 2. a body that is not a JSON object with `code` is [`ResponseError::Status`] (non-2xx) or
///    [`ResponseError::Malformed`];
/// 3. `code` `00000` with a 2xx status is success: the payload (`null` or absent is `None`)
///    is parsed as `T`;
/// 4. `code` `01000` is a [`Reply`] with the rejection when `rejection_is_output`;
/// 5. every other code (whatever the HTTP status, 200 included) is an [`ApiError`].
pub(crate) fn parse<T: DeserializeOwned>(
    operation: &'static str,
    response: HttpResponse,
    rejection_is_output: bool,
) -> Result<Reply<T>, RErr> {
    ResponseError::check_size(response.body())?;
    let status = response.status();
    let body = response.into_body();
    let is_object = body.trim_ascii_start().first() == Some(&b'{');
    let envelope = match serde_json::from_slice::<WireEnvelope>(&body) {
        Ok(e) if is_object && e.code.is_some() => e,
        Ok(_) | Err(_) => {
            if !status.is_success() {
                return Err(ResponseError::Status {
                    status,
                    body: body.into(),
                });
            }
            return Err(ResponseError::malformed(
                "not a Payriff envelope (a JSON object with `code`)",
                body,
            ));
        }
    };
    let code = ResultCode::parse(&envelope.code.map(|c| c.0).unwrap_or_default());
    let message = text(envelope.message);
    let response_id = text(envelope.response_id);
    if code.is_success() && status.is_success() {
        let payload = match envelope.payload {
            Some(raw) if raw.get() != "null" => {
                match crate::error::from_json_slice::<T>(raw.get().as_bytes()) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        return Err(ResponseError::malformed_json(
                            format!("payload: {e}"),
                            e,
                            body,
                        ))
                    }
                }
            }
            _ => None,
        };
        return Ok(Reply {
            code,
            message,
            response_id,
            payload,
        });
    }
    if code.is_success() {
        return Err(ResponseError::Status {
            status,
            body: body.into(),
        });
    }
    if code.is_rejection() && rejection_is_output {
        let payload = envelope
            .payload
            .and_then(|raw| serde_json::from_str::<T>(raw.get()).ok());
        return Ok(Reply {
            code,
            message,
            response_id,
            payload,
        });
    }
    Err(ResponseError::Api(ApiError {
        operation,
        code,
        message,
        internal_message: text(envelope.internal_message),
        response_id,
        http_status: status.as_u16(),
    }))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireCreated {
    pub order_id: Option<Text>,
    pub session_id: Option<Text>,
    pub payment_url: Option<Text>,
    pub preview_url: Option<Text>,
    pub transaction_id: Option<Text>,
    #[serde(alias = "comissionRate")]
    pub commission_rate: Option<Text>,
    pub amount: Option<JsonDecimal>,
    pub fee: Option<JsonDecimal>,
    pub total_amount: Option<JsonDecimal>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireCardDetails {
    pub masked_pan: Option<Text>,
    pub brand: Option<Text>,
    pub uuid: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireOrderTransaction {
    pub uuid: Option<Text>,
    pub created_date: Option<Text>,
    pub status: Option<PaymentStatus>,
    pub channel: Option<Text>,
    pub request_rrn: Option<Text>,
    pub response_rrn: Option<Text>,
    pub card_details: Option<WireCardDetails>,
    pub card_uuid: Option<Text>,
    pub response_description: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireOrder {
    pub order_id: Option<Text>,
    pub invoice_uuid: Option<Text>,
    pub amount: Option<JsonDecimal>,
    pub paid_amount: Option<JsonDecimal>,
    pub currency_type: Option<Text>,
    pub operation_type: Option<OrderOperation>,
    pub payment_status: Option<PaymentStatus>,
    pub auto: Option<bool>,
    pub created_date: Option<Text>,
    pub description: Option<Text>,
    pub merchant_name: Option<Text>,
    pub payment_url: Option<Text>,
    pub metadata: Option<Box<RawValue>>,
    pub custom_fields: Option<Box<RawValue>>,
    pub transactions: Option<Vec<WireOrderTransaction>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireCardSave {
    pub card_save_id: Option<Text>,
    pub order_id: Option<Text>,
    pub payment_url: Option<Text>,
    pub status: Option<CardSaveStatus>,
    pub card_uuid: Option<Text>,
    pub masked_pan: Option<Text>,
    pub card_brand: Option<Text>,
    pub customer_ref: Option<Text>,
    pub amount: Option<JsonDecimal>,
    pub currency: Option<Text>,
    pub created_date: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireSavedCard {
    pub card_uuid: Option<Text>,
    pub masked_pan: Option<Text>,
    pub card_brand: Option<Text>,
    pub created_date: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireTransaction {
    pub id: Option<Text>,
    pub order_id: Option<Text>,
    pub rrn: Option<Text>,
    pub amount: Option<JsonDecimal>,
    pub refund_amount: Option<JsonDecimal>,
    pub currency_type: Option<Text>,
    pub payment_status: Option<PaymentStatus>,
    pub description: Option<Text>,
    pub created_date: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WirePage {
    pub content: Option<Vec<WireTransaction>>,
    pub total_elements: Option<u64>,
    pub total_pages: Option<u64>,
    pub number: Option<u64>,
    pub size: Option<u64>,
    pub last: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_path_segments() {
        assert_eq!(encode("rrn 1/2"), "rrn%201%2F2");
        assert_eq!(encode("ORD-1_a.b~"), "ORD-1_a.b~");
    }

    #[test]
    fn amounts_are_exact_json_numbers() {
        let a = Amount::from_minor(1050, crate::Currency::AZN);
        assert_eq!(amount_number(&a).unwrap().get(), "10.50");
        let big = Amount::from_minor(u64::MAX, crate::Currency::AZN);
        assert_eq!(amount_number(&big).unwrap().get(), "184467440737095516.15");
    }
}
