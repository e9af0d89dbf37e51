//! Kapital Bank JSON API: Basic auth, orders of every `typeRid`, exec-tran per phase, stored
//! tokens, set-src-token / set-dst-token, and the `/flex` hosted page.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::util::{self, json_array, JsonObj};
use crate::{
    page, CardAction, CardDecision, Gateway, HostedOutcome, Redirect, Sandbox, SandboxError,
};

mod exec_tran;
mod flex;
mod orders;
mod settings;
mod tokens;

pub use settings::KapitalSettings;

/// The magic amounts of [`crate::cards`], in minor units.
const AMOUNT_HTML_500: u64 = 504;
const AMOUNT_UNKNOWN_STATUS: u64 = 505;
const AMOUNT_PART_PAID: u64 = 506;
const AMOUNT_REFUSED: u64 = 507;

/// The status of a paid single-message order (`FullyPaid`, or the magic amounts' words).
fn paid_status(amount: u64) -> &'static str {
    match amount {
        AMOUNT_UNKNOWN_STATUS => "Processing",
        AMOUNT_PART_PAID => "PartPaid",
        _ => "FullyPaid",
    }
}

/// Most transactions kept per order (refunds can repeat).
const MAX_TRANS: usize = 100;

#[derive(Debug, Default)]
pub(crate) struct State {
    orders: BTreeMap<u64, Order>,
    tokens: BTreeMap<u64, Token>,
    next_order: u64,
    next_token: u64,
    next_tran: u64,
}

impl State {
    /// An empty state whose ids continue after `offset` (see `SandboxConfig::id_offset`).
    pub(crate) fn with_id_offset(offset: u64) -> Self {
        State {
            next_order: offset,
            next_token: offset,
            next_tran: offset,
            ..State::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TypeRid {
    Sms,
    Dms,
    Rec,
    Dmsn3d,
    Oct,
}

impl TypeRid {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "Order_SMS" => TypeRid::Sms,
            "Order_DMS" => TypeRid::Dms,
            "Order_REC" => TypeRid::Rec,
            "DMSN3D" => TypeRid::Dmsn3d,
            "OCT" => TypeRid::Oct,
            _ => return None,
        })
    }
    fn rid(self) -> &'static str {
        match self {
            TypeRid::Sms => "Order_SMS",
            TypeRid::Dms => "Order_DMS",
            TypeRid::Rec => "Order_REC",
            TypeRid::Dmsn3d => "DMSN3D",
            TypeRid::Oct => "OCT",
        }
    }
    fn title(self) -> &'static str {
        match self {
            TypeRid::Sms => "Single message",
            TypeRid::Dms => "Dual message",
            TypeRid::Rec => "Recurring",
            TypeRid::Dmsn3d => "Dual message, no 3DS",
            TypeRid::Oct => "Credit to card",
        }
    }
    fn dual(self) -> bool {
        matches!(self, TypeRid::Dms | TypeRid::Dmsn3d)
    }
}

#[derive(Debug, Clone)]
struct Order {
    id: u64,
    type_rid: TypeRid,
    amount: u64,
    currency: String,
    language: String,
    title: Option<String>,
    description: Option<String>,
    hpp_redirect_url: Option<String>,
    password: String,
    secret: String,
    status: &'static str,
    prev_status: Option<&'static str>,
    create_time: String,
    finish_time: Option<String>,
    add_card: bool,
    cof_purposes: Vec<String>,
    initiation_env_kind: Option<String>,
    src_token: Option<u64>,
    dst_token: Option<u64>,
    stored_tokens: Vec<u64>,
    trans: Vec<Tran>,
    authorized: u64,
    charged: u64,
    refunded: u64,
    partial_voided: bool,
    cvv2: &'static str,
    /// Paid on the hosted page with 3-D Secure (`tdsV2AuthStatus` `Verified`).
    tds_verified: bool,
}

#[derive(Debug, Clone)]
struct Token {
    id: u64,
    pan: String,
    expiry: String,
    role: &'static str,
    stored: bool,
    reg_time: String,
    /// Entered by the cardholder on the hosted page (so 3-D Secure ran): the detailed order
    /// shows `card.authentication`.
    browser: bool,
}

#[derive(Debug, Clone)]
struct Tran {
    approval_code: String,
    action_id: String,
    rid: String,
    reg_time: String,
    amount: u64,
    /// Signed clearing amount: negative for refunds, zero for holds and voids.
    clear_amount: i128,
    phase: &'static str,
    kind: &'static str,
    description: &'static str,
    is_reversal: bool,
}

/// An error as Kapital sends it: `{"errorCode":"…","errorDescription":"…"}`, not enveloped.
struct ApiError {
    http: u16,
    body: String,
}

impl ApiError {
    fn new(http: u16, code: &str, description: &str) -> Self {
        ApiError {
            http,
            body: JsonObj::new()
                .str("errorCode", code)
                .str("errorDescription", description)
                .finish(),
        }
    }
    fn request(description: &str) -> Self {
        ApiError::new(400, "InvalidRequest", description)
    }
    fn amount(description: &str) -> Self {
        ApiError::new(400, "InvalidAmt", description)
    }
    fn state(status: &str) -> Self {
        ApiError::new(
            400,
            "InvalidOrderState",
            &format!("Operation is not allowed in order state {status}"),
        )
    }
    fn not_found() -> Self {
        ApiError::new(404, "ServiceError", "no order found")
    }
    /// The answer; with [`KapitalSettings::errors_with_http_200`] every error comes with 200.
    fn response(self, with_200: bool) -> http::Response<Vec<u8>> {
        crate::respond::json_response(if with_200 { 200 } else { self.http }, self.body)
    }
}

#[derive(Deserialize)]
struct CreateBody {
    order: Option<CreateOrder>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateOrder {
    type_rid: Option<String>,
    amount: Option<Box<RawValue>>,
    currency: Option<String>,
    language: Option<String>,
    title: Option<String>,
    description: Option<String>,
    hpp_redirect_url: Option<String>,
    hpp_cof_capture_purposes: Option<Vec<String>>,
    aut: Option<Aut>,
    src_token: Option<TokenRef>,
    initiation_env_kind: Option<String>,
}

#[derive(Deserialize)]
struct Aut {
    purpose: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenRef {
    stored_id: Option<Box<RawValue>>,
}

#[derive(Deserialize)]
struct TranBody {
    tran: Option<TranIn>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TranIn {
    phase: Option<String>,
    amount: Option<Box<RawValue>>,
    #[serde(rename = "type")]
    kind: Option<String>,
    void_kind: Option<String>,
}

#[derive(Deserialize)]
struct TokenBody {
    token: Option<TokenIn>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenIn {
    stored_id: Option<Box<RawValue>>,
    card: Option<CardIn>,
    google_pay_block: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CardIn {
    pan_block: Option<PanBlock>,
}

#[derive(Deserialize)]
struct PanBlock {
    data: Option<String>,
}

fn raw_text(raw: &Option<Box<RawValue>>) -> Option<&str> {
    raw.as_ref().map(|r| r.get()).filter(|t| *t != "null")
}

fn parse_amount(raw: &Option<Box<RawValue>>) -> Result<Option<u64>, ApiError> {
    match raw_text(raw) {
        None => Ok(None),
        Some(t) => match util::parse_decimal_minor(t) {
            Some(v) if v > 0 => Ok(Some(v)),
            _ => Err(ApiError::amount("Invalid amount")),
        },
    }
}

fn parse_id(raw: &Option<Box<RawValue>>) -> Option<u64> {
    raw_text(raw).and_then(|t| t.trim_matches('"').parse().ok())
}

fn major(minor: u64) -> String {
    util::major_short(minor)
}

fn signed_major(v: i128) -> String {
    if v < 0 {
        format!("-{}", major(v.unsigned_abs() as u64))
    } else {
        major(v as u64)
    }
}

fn json_body<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|_| ApiError::request("Malformed JSON body"))
}

impl Sandbox {
    pub(crate) fn kapital_handle(
        &mut self,
        request: &http::Request<Vec<u8>>,
    ) -> http::Response<Vec<u8>> {
        match self.kapital_route(request) {
            Ok(r) => r,
            Err(e) => e.response(self.config.kapital.errors_with_http_200),
        }
    }

    fn kapital_auth(&self, request: &http::Request<Vec<u8>>) -> bool {
        let Some(value) = request
            .headers()
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        else {
            return false;
        };
        let Some(encoded) = value
            .strip_prefix("Basic ")
            .or_else(|| value.strip_prefix("basic "))
        else {
            return false;
        };
        let Some(decoded) = util::b64_decode(encoded).and_then(|b| String::from_utf8(b).ok())
        else {
            return false;
        };
        let expected = format!(
            "{}:{}",
            self.config.kapital_username, self.config.kapital_password
        );
        util::constant_time_eq(decoded.as_bytes(), expected.as_bytes())
    }

    fn kapital_route(
        &mut self,
        request: &http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, ApiError> {
        if !self.kapital_auth(request) {
            return Err(ApiError::new(
                401,
                "InvalidLogin",
                "Invalid login or password",
            ));
        }
        let path = request.uri().path();
        let rest = path.strip_prefix("/api/order").unwrap_or("");
        let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        let method = request.method().clone();
        let query = util::query_pairs(request.uri());
        let body = request.body();
        match (method.as_str(), segments.as_slice()) {
            ("POST", []) => {
                self.count(Gateway::Kapital, "create-order");
                self.kapital_create(body)
            }
            ("GET", [id]) => {
                self.count(Gateway::Kapital, "get-order");
                let detailed = ["tranDetailLevel", "tokenDetailLevel", "orderDetailLevel"]
                    .iter()
                    .any(|k| util::form_get(&query, k).is_some_and(|v| v != "0"));
                let order = self.kapital_order(id)?;
                let text = if detailed {
                    self.kapital_detailed(order)
                } else {
                    self.kapital_summary(order)
                };
                Ok(crate::respond::json_response(200, text))
            }
            ("POST", [id, "exec-tran"]) => {
                self.count(Gateway::Kapital, "exec-tran");
                let id = self.kapital_order(id)?.id;
                self.kapital_exec(id, body)
            }
            ("POST", [id, op @ ("set-src-token" | "set-dst-token")]) => {
                let src = *op == "set-src-token";
                self.count(
                    Gateway::Kapital,
                    if src {
                        "set-src-token"
                    } else {
                        "set-dst-token"
                    },
                );
                let order = self.kapital_order(id)?;
                let password = util::form_get(&query, "password").unwrap_or("");
                if !util::constant_time_eq(password.as_bytes(), order.password.as_bytes()) {
                    return Err(ApiError::request("Invalid order password"));
                }
                let id = order.id;
                self.kapital_set_token(id, src, body)
            }
            (_, [] | [_] | [_, "exec-tran" | "set-src-token" | "set-dst-token"]) => {
                Err(ApiError::new(405, "InvalidRequest", "Method not allowed"))
            }
            _ => Err(ApiError::new(404, "ServiceError", "unknown endpoint")),
        }
    }
}
