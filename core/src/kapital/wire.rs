//! Private serde shapes of Kapital's JSON, the request builder and the common response path.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::codes::*;
use super::config::Config;
use super::error::{ApiError, ErrorDetails};
use crate::{BuildError, HttpRequest, HttpResponse, JsonDecimal, ResponseError};

// ---------------------------------------------------------------------------------------------
// Requests. Field order is the order of the official examples (Kapital's document); `None` is omitted.

#[derive(Serialize)]
pub(crate) struct OrderEnvelope<'a> {
    pub order: CreateOrderBody<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateOrderBody<'a> {
    pub type_rid: &'a str,
    pub amount: String,
    pub currency: &'a str,
    pub language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initiation_env_kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hpp_redirect_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hpp_cof_capture_purposes: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aut: Option<Aut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub src_token: Option<StoredId>,
}

#[derive(Serialize)]
pub(crate) struct Aut {
    pub purpose: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StoredId {
    pub stored_id: u64,
}

#[derive(Serialize)]
pub(crate) struct TranEnvelope {
    pub tran: TranBody,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TranBody {
    pub phase: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub tran_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub void_kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Conditions>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Conditions {
    pub cof_usage: &'static str,
}

#[derive(Serialize)]
pub(crate) struct SrcTokenEnvelope<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<InitiationOnly<'a>>,
    pub token: SrcTokenBody<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InitiationOnly<'a> {
    pub initiation_env_kind: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SrcTokenBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stored_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub google_pay_block: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct DstTokenEnvelope<'a> {
    pub token: DstToken<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DstToken<'a> {
    pub card: DstCard<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DstCard<'a> {
    pub pan_block: PanBlock<'a>,
    pub entry_mode: &'static str,
}

#[derive(Serialize)]
pub(crate) struct PanBlock<'a> {
    pub data: &'a str,
}

/// Builds a request to `{base}/api/{path_and_query}` with Basic auth; a body means POST JSON.
pub(crate) fn request(
    config: &Config,
    path_and_query: &str,
    body: Option<Vec<u8>>,
) -> Result<HttpRequest, BuildError> {
    let auth = config.authorization()?;
    let url = format!("{}/api/{}", config.base(), path_and_query);
    let uri: http::Uri = url
        .parse()
        .map_err(|e| BuildError::invalid("base_url", format!("`{url}` is not a URI: {e}")))?;
    let builder = http::Request::builder()
        .uri(uri)
        .header(http::header::AUTHORIZATION, auth)
        .header(http::header::ACCEPT, "application/json");
    let request = match body {
        Some(body) => builder
            .method(http::Method::POST)
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(body)?,
        None => builder.method(http::Method::GET).body(Vec::new())?,
    };
    Ok(request)
}

/// Serialises a request body.
pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, BuildError> {
    serde_json::to_vec(value).map_err(|e| BuildError::Encoding(e.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Responses: lenient. Every field is optional; strings may come as numbers and vice versa.

/// A scalar read as text: a JSON string as is, a number or boolean as its literal text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LStr(pub String);

impl<'de> Deserialize<'de> for LStr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let raw: Box<serde_json::value::RawValue> = Deserialize::deserialize(d)?;
        let text = raw.get();
        if text.starts_with('"') {
            if text.len() >= 2 && !text.contains('\\') {
                // No escapes: the content between the quotes is the string. Reuse the raw
                // value's allocation instead of parsing it a second time.
                let mut s = String::from(Box::<str>::from(raw));
                s.pop();
                s.remove(0);
                return Ok(LStr(s));
            }
            let s: String = serde_json::from_str(text).map_err(D::Error::custom)?;
            Ok(LStr(s))
        } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit())
            || text == "true"
            || text == "false"
        {
            Ok(LStr(String::from(Box::<str>::from(raw))))
        } else {
            Err(D::Error::custom(format!("expected a scalar, found {text}")))
        }
    }
}

pub(crate) fn text(v: Option<LStr>) -> Option<String> {
    v.map(|s| s.0)
}

#[derive(Deserialize)]
pub(crate) struct OrderResponse {
    pub order: Option<WireOrder>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireOrder {
    pub id: Option<LStr>,
    pub type_rid: Option<OrderType>,
    pub hpp_url: Option<LStr>,
    pub hpp_redirect_url: Option<LStr>,
    pub password: Option<LStr>,
    pub secret: Option<LStr>,
    pub status: Option<OrderStatus>,
    pub prev_status: Option<OrderStatus>,
    pub last_status_login: Option<LStr>,
    pub amount: Option<JsonDecimal>,
    pub currency: Option<LStr>,
    pub src_amount: Option<JsonDecimal>,
    pub src_amount_full: Option<JsonDecimal>,
    pub src_currency: Option<LStr>,
    pub dst_amount: Option<JsonDecimal>,
    pub dst_currency: Option<LStr>,
    pub authorized_charge_amount: Option<JsonDecimal>,
    pub cleared_charge_amount: Option<JsonDecimal>,
    pub cleared_refund_amount: Option<JsonDecimal>,
    pub create_time: Option<LStr>,
    pub finish_time: Option<LStr>,
    pub title: Option<LStr>,
    pub description: Option<LStr>,
    pub language: Option<LStr>,
    pub cvv2_auth_status: Option<AuthStatus>,
    pub tds_v1_auth_status: Option<AuthStatus>,
    pub tds_v2_auth_status: Option<AuthStatus>,
    pub otp_aut_status: Option<AuthStatus>,
    pub initiation_env_kind: Option<InitiationEnvKind>,
    pub hpp_cof_capture_purposes: Option<Vec<CofPurpose>>,
    pub terminal: Option<WireTerminal>,
    pub merchant: Option<WireMerchant>,
    #[serde(rename = "type")]
    pub order_type: Option<WireOrderType>,
    pub trans: Option<Vec<WireTran>>,
    pub stored_tokens: Option<Vec<WireToken>>,
    pub src_token: Option<WireToken>,
    pub dst_token: Option<WireToken>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireTerminal {
    pub id: Option<LStr>,
    pub rid: Option<LStr>,
    pub title: Option<LStr>,
    pub mcc: Option<LStr>,
    pub status: Option<LStr>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireMerchant {
    pub id: Option<LStr>,
    pub rid: Option<LStr>,
    pub title: Option<LStr>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireOrderType {
    pub rid: Option<OrderType>,
    pub title: Option<LStr>,
    pub allow_void: Option<bool>,
    pub hpp_tran_phase: Option<TranPhase>,
    pub payment_methods: Option<Vec<LStr>>,
    pub card_brands: Option<Vec<LStr>>,
    pub allow_tran_types: Option<Vec<TranType>>,
    pub allow_tran_phases: Option<Vec<TranPhase>>,
    pub allow_auth_kinds: Option<Vec<LStr>>,
    pub allow_cof_store_usages: Option<Vec<CofPurpose>>,
    pub order_class: Option<LStr>,
    #[serde(rename = "allowCVV2")]
    pub allow_cvv2: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireTran {
    pub approval_code: Option<LStr>,
    pub action_id: Option<LStr>,
    pub order_id: Option<LStr>,
    pub terminal_id: Option<LStr>,
    pub merchant_id: Option<LStr>,
    pub billing_status: Option<LStr>,
    pub is_reversal: Option<bool>,
    pub rid_by_acquirer: Option<LStr>,
    pub rid_by_pmo: Option<LStr>,
    pub reg_time: Option<LStr>,
    pub amount: Option<JsonDecimal>,
    pub currency: Option<LStr>,
    pub clear_amount: Option<JsonDecimal>,
    pub clear_ccy: Option<LStr>,
    pub description: Option<LStr>,
    pub phase: Option<TranPhase>,
    #[serde(rename = "type")]
    pub tran_type: Option<TranType>,
    pub pmo_result_code: Option<PmoResultCode>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireToken {
    pub id: Option<LStr>,
    pub payment_method: Option<LStr>,
    pub role: Option<LStr>,
    pub status: Option<LStr>,
    pub reg_time: Option<LStr>,
    pub entry_mode: Option<LStr>,
    pub display_name: Option<LStr>,
    pub card: Option<WireCard>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireCard {
    pub expiration: Option<LStr>,
    pub brand: Option<LStr>,
    pub issuer_rid: Option<LStr>,
}

#[derive(Deserialize)]
pub(crate) struct TranResponse {
    pub tran: Option<WireTranResult>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireTranResult {
    pub approval_code: Option<LStr>,
    #[serde(rename = "match")]
    pub matched: Option<WireMatch>,
    pub pmo_result_code: Option<PmoResultCode>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WireMatch {
    pub tran_action_id: Option<LStr>,
    pub rid_by_pmo: Option<LStr>,
}

/// Only `errorCode` tells an error body apart; everything else is optional.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireError {
    error_code: Option<LStr>,
    error_description: Option<LStr>,
    error_details: Option<WireErrorDetails>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireErrorDetails {
    decline_reason: Option<LStr>,
    #[serde(rename = "match")]
    matched: Option<WireMatch>,
    pmo_result_code: Option<PmoResultCode>,
    pmo_decline_desc: Option<LStr>,
}

/// Whether `body` may hold the key `errorCode`: literally, or spelled with JSON escapes.
fn may_hold_error_code(body: &[u8]) -> bool {
    // `str::contains` searches short needles with SIMD; a body that is not UTF-8 takes the
    // old path.
    match std::str::from_utf8(body) {
        Ok(text) => text.contains("errorCode") || text.contains("\\u"),
        Err(_) => true,
    }
}

/// The common response path of every operation:
///
/// 1. bodies over 1 MiB are refused;
/// 2. a JSON object with `errorCode` is an [`ApiError`] naming `operation`, whatever the
///    HTTP status;
/// 3. any other non-2xx answer is [`ResponseError::Status`];
/// 4. a 2xx body that is not the expected JSON is [`ResponseError::Malformed`].
pub(crate) fn parse<T: DeserializeOwned>(
    operation: &'static str,
    response: HttpResponse,
) -> Result<(T, Vec<u8>), ResponseError<ApiError>> {
    ResponseError::check_size(response.body())?;
    let status = response.status();
    let body = response.into_body();
    // Only a body that can hold an `errorCode` key is read as an error first (a key spelled
    // with `\u` escapes included); a success body is parsed once.
    if may_hold_error_code(&body) {
        if let Ok(err) = serde_json::from_slice::<WireError>(&body) {
            if let Some(code) = err.error_code {
                let details = err.error_details.unwrap_or_default();
                let matched = details.matched.unwrap_or_default();
                let out = ErrorDetails {
                    pmo_result_code: details.pmo_result_code,
                    decline_reason: text(details.decline_reason),
                    rid_by_pmo: text(matched.rid_by_pmo),
                    pmo_decline_desc: text(details.pmo_decline_desc),
                };
                return Err(ResponseError::Api(ApiError {
                    operation,
                    code: ErrorCode::parse(&code.0),
                    description: text(err.error_description),
                    http_status: status.as_u16(),
                    details: Box::new(out),
                }));
            }
        }
    }
    if !status.is_success() {
        return Err(ResponseError::Status {
            status,
            body: body.into(),
        });
    }
    match crate::error::from_json_slice::<T>(&body) {
        Ok(value) => Ok((value, body)),
        Err(e) => Err(ResponseError::malformed_json(e.to_string(), e, body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_code_precheck_finds_every_spelling() {
        assert!(may_hold_error_code(br#"{"errorCode":"X"}"#));
        assert!(may_hold_error_code(br#"{"error\u0043ode":"X"}"#));
        assert!(!may_hold_error_code(
            br#"{"order":{"id":1,"status":"Preparing"}}"#
        ));
        assert!(!may_hold_error_code(b"Code errorCod ode C"));
        assert!(!may_hold_error_code(b""));
        // An escaped key is still read as an error.
        let response = http::Response::builder()
            .status(400)
            .body(br#"{"error\u0043ode":"InvalidAmt"}"#.to_vec())
            .unwrap();
        match parse::<OrderResponse>("get_order", response) {
            Err(ResponseError::Api(e)) => assert_eq!(e.code.as_str(), "InvalidAmt"),
            Err(other) => panic!("{other:?}"),
            Ok(_) => panic!("parsed as an order"),
        }
    }

    #[test]
    fn lenient_text_keeps_strings_numbers_and_escapes() {
        let v: Vec<LStr> =
            serde_json::from_str(r#"["a b", "", "x\"y\u00e9", 12, -1.50, true]"#).unwrap();
        let v: Vec<&str> = v.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(v, ["a b", "", "x\"y\u{e9}", "12", "-1.50", "true"]);
    }
}
