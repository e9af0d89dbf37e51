//! Private wire structs: the JSON payload written inside `data`, and the JSON answers.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::codes::{ApiError, Status};
use super::config::Config;
use crate::{Amount, BuildError, Currency, HttpRequest, HttpResponse, JsonDecimal, ResponseError};

/// The JSON payload of every signed request. Unset fields are omitted, never `null`.
/// Field order is the order written; `public_key` always comes first.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Payload<'a> {
    pub public_key: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wallet_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split_user: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split_amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_installment: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_redirect_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_redirect_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_attr: Option<&'a Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<&'a Value>,
    #[serde(rename = "billingContact", skip_serializing_if = "Option::is_none")]
    pub billing_contact: Option<&'a Value>,
}

/// The JSON text of a payload.
pub(crate) fn payload_json(payload: &Payload<'_>) -> Result<Vec<u8>, BuildError> {
    serde_json::to_vec(payload).map_err(|e| BuildError::Encoding(e.to_string()))
}

/// A signed `POST {base}/api/1/<endpoint>` with the form body `data=…&signature=…`.
pub(crate) fn signed_request(
    config: &Config,
    endpoint: &str,
    payload: &Payload<'_>,
) -> Result<HttpRequest, BuildError> {
    let json = payload_json(payload)?;
    let (_, _, body) = super::sign::form_body(config.private_key(), &json);
    form_request(config.endpoint(endpoint), body)
}

/// A `POST` with a form-urlencoded body.
pub(crate) fn form_request(url: String, body: Vec<u8>) -> Result<HttpRequest, BuildError> {
    Ok(http::Request::post(url)
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(body)?)
}

/// A string that EPoint may send as a JSON string or number; `null` and absence are `None`.
pub(crate) fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(other) => Err(D::Error::custom(format!(
            "expected a string, found {other}"
        ))),
    }
}

/// Every field of EPoint's common answers; each one optional.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Answer {
    #[serde(default, deserialize_with = "lenient")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub transaction: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub redirect_url: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub card_id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub bank_transaction: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub bank_response: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub operation_code: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub rrn: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub card_mask: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub card_name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub code: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub order_id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub widget_url: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub currency: Option<String>,
    #[serde(default)]
    pub amount: Option<JsonDecimal>,
    #[serde(default)]
    pub split_amount: Option<JsonDecimal>,
    #[serde(default)]
    pub other_attr: Option<Value>,
}

/// The answer of `/token/payment` (no `status` on success).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TokenPaymentAnswer {
    #[serde(default, deserialize_with = "lenient")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub transaction: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub rrn: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub short_link: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub bank_order_id: Option<String>,
    #[serde(default)]
    pub total: Option<JsonDecimal>,
    #[serde(default, deserialize_with = "lenient")]
    pub card_name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub card_mask: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub merchant_order_id: Option<String>,
    #[serde(default)]
    pub other_attr: Option<Value>,
    #[serde(default, deserialize_with = "lenient")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub updated_at: Option<String>,
}

/// The answer of `/get-status-card`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CardAnswer {
    #[serde(default, deserialize_with = "lenient")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub mask: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub expired_date: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub description: Option<String>,
}

/// The answer of `/token/{apple,google}/pay`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TokenPayAnswer {
    #[serde(default, deserialize_with = "lenient")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub message: Option<String>,
    #[serde(default)]
    pub result: Option<Value>,
    #[serde(default, deserialize_with = "lenient")]
    pub redirect_url: Option<String>,
}

/// Size check, HTTP status check, JSON parse. Returns the parsed answer and the raw body.
pub(crate) fn json_answer<T: DeserializeOwned>(
    response: HttpResponse,
) -> Result<(T, Vec<u8>), ResponseError<ApiError>> {
    let status = response.status();
    let body = response.into_body();
    ResponseError::check_size(&body)?;
    if status != http::StatusCode::OK {
        return Err(ResponseError::Status {
            status,
            body: body.into(),
        });
    }
    match crate::error::from_json_slice::<T>(&body) {
        Ok(t) => Ok((t, body)),
        Err(e) => Err(ResponseError::malformed_json(
            format!("not an EPoint JSON answer: {e}"),
            e,
            body,
        )),
    }
}

/// `error` and `server_error` (always) and, where `failed_is_error`, `failed`: EPoint's
/// refusal of the request, as [`ResponseError::Api`].
pub(crate) fn refusal(
    status: Option<&str>,
    message: Option<&str>,
    failed_is_error: bool,
) -> Result<(), ResponseError<ApiError>> {
    let s = match status {
        Some(s) => Status::parse(s),
        None => return Ok(()),
    };
    let refused = match s {
        Status::Error | Status::ServerError => true,
        Status::Failed => failed_is_error,
        _ => false,
    };
    if refused {
        Err(ResponseError::Api(ApiError::new(
            s,
            message.map(str::to_owned),
        )))
    } else {
        Ok(())
    }
}

/// A required field of an answer, or `Malformed` naming it.
pub(crate) fn required(
    value: Option<String>,
    field: &str,
    body: &[u8],
) -> Result<String, ResponseError<ApiError>> {
    match value {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ResponseError::malformed(
            format!("the answer has no `{field}`"),
            body.to_vec(),
        )),
    }
}

/// A required URL of an answer that goes to the customer's browser: it must be `https` (or
/// loopback `http`) with a valid host, else the answer is malformed, naming `field`.
pub(crate) fn browser_url(
    value: Option<String>,
    field: &str,
    body: &[u8],
) -> Result<String, ResponseError<ApiError>> {
    let url = required(value, field, body)?;
    check_browser_url(&url, field, body)?;
    Ok(url)
}

/// [`browser_url`] for a URL already read.
pub(crate) fn check_browser_url(
    url: &str,
    field: &str,
    body: &[u8],
) -> Result<(), ResponseError<ApiError>> {
    crate::input::browser_url(url).map_err(|why| {
        ResponseError::malformed(
            format!("`{field}` is not a URL to send a browser to: {why}"),
            body.to_vec(),
        )
    })
}

/// An amount of an answer, read exactly from its JSON text; an empty string is absent.
pub(crate) fn amount(
    value: Option<JsonDecimal>,
    currency: Currency,
    field: &str,
    body: &[u8],
) -> Result<Option<Amount>, ResponseError<ApiError>> {
    match value {
        None => Ok(None),
        Some(d) if d.as_str().is_empty() => Ok(None),
        Some(d) => d.amount(currency).map(Some).map_err(|e| {
            ResponseError::malformed(format!("`{field}` is not an amount: {e}"), body.to_vec())
        }),
    }
}

/// The currency of an answer's amounts: the answer's own `currency` field when it carries one
/// (an alphabetic code such as `USD`, or a numeric one such as `840`), else `assumed` (the
/// request's currency, or AZN, the only currency EPoint documents, where the request named
/// none). An unknown code is a malformed answer: its amounts cannot be read.
pub(crate) fn currency(
    value: Option<&str>,
    assumed: Currency,
    body: &[u8],
) -> Result<Currency, ResponseError<ApiError>> {
    match value.map(str::trim) {
        None | Some("") => Ok(assumed),
        Some(code) => Currency::parse(code).map_err(|e| {
            ResponseError::malformed(format!("`currency` is not a currency: {e}"), body.to_vec())
        }),
    }
}
