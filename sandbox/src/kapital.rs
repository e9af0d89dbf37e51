//! Kapital Bank JSON API: Basic auth, orders of every `typeRid`, exec-tran per phase, stored
//! tokens, set-src-token / set-dst-token, and the `/flex` hosted page.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::util::{self, json_array, JsonObj};
use crate::{
    page, CardAction, CardDecision, Gateway, HostedOutcome, Redirect, Sandbox, SandboxError,
};

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
}

#[derive(Debug, Clone)]
struct Token {
    id: u64,
    pan: String,
    expiry: String,
    role: &'static str,
    stored: bool,
    reg_time: String,
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
    fn response(self) -> http::Response<Vec<u8>> {
        crate::json_response(self.http, self.body)
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
            Err(e) => e.response(),
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
                Ok(crate::json_response(200, text))
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

    fn kapital_order(&self, id: &str) -> Result<&Order, ApiError> {
        id.parse::<u64>()
            .ok()
            .and_then(|id| self.kapital.orders.get(&id))
            .ok_or_else(ApiError::not_found)
    }

    fn kapital_create(&mut self, body: &[u8]) -> Result<http::Response<Vec<u8>>, ApiError> {
        let body: CreateBody = json_body(body)?;
        let order = body
            .order
            .ok_or_else(|| ApiError::request("Missing order"))?;
        let type_rid = order
            .type_rid
            .as_deref()
            .ok_or_else(|| ApiError::request("Missing typeRid"))?;
        let type_rid = TypeRid::parse(type_rid)
            .ok_or_else(|| ApiError::request(&format!("Unknown order type {type_rid}")))?;
        let amount =
            parse_amount(&order.amount)?.ok_or_else(|| ApiError::amount("Missing amount"))?;
        let currency = order
            .currency
            .ok_or_else(|| ApiError::request("Missing currency"))?;
        if currency != "AZN" {
            return Err(ApiError::request(
                "Currency is not allowed for the terminal",
            ));
        }
        let language = order.language.unwrap_or_else(|| String::from("az"));
        if !matches!(language.as_str(), "az" | "en" | "ru") {
            return Err(ApiError::request("Invalid language"));
        }
        if order.description.as_ref().is_some_and(|d| d.len() > 1000)
            || order.title.as_ref().is_some_and(|d| d.len() > 1000)
            || order
                .hpp_redirect_url
                .as_ref()
                .is_some_and(|d| d.len() > 2000)
        {
            return Err(ApiError::request("Field too long"));
        }
        let purposes = order.hpp_cof_capture_purposes.unwrap_or_default();
        if purposes.len() > 10 {
            return Err(ApiError::request("Too many hppCofCapturePurposes"));
        }
        let add_card = order
            .aut
            .and_then(|a| a.purpose)
            .is_some_and(|p| p == "AddCard");
        let src_token = match order.src_token {
            Some(t) => {
                let id = parse_id(&t.stored_id)
                    .ok_or_else(|| ApiError::request("Invalid srcToken.storedId"))?;
                if !self.kapital.tokens.get(&id).is_some_and(|t| t.stored) {
                    return Err(ApiError::new(400, "InvalidToken", "Stored token not found"));
                }
                Some(id)
            }
            None => None,
        };
        if self.kapital.orders.len() >= self.config.max_orders {
            return Err(ApiError::new(503, "ServiceError", "sandbox is full"));
        }
        self.kapital.next_order += 1;
        let id = 4600 + self.kapital.next_order;
        let password = self.rng.string(b"abcdefghijklmnopqrstuvwxyz0123456789", 12);
        let secret = self.rng.string(b"0123456789", 6);
        let now = self.now().iso_space();
        let order = Order {
            id,
            type_rid,
            amount,
            currency,
            language,
            title: order.title,
            description: order.description,
            hpp_redirect_url: order.hpp_redirect_url,
            password,
            secret,
            status: "Preparing",
            prev_status: None,
            create_time: now,
            finish_time: None,
            add_card,
            cof_purposes: purposes,
            initiation_env_kind: order.initiation_env_kind,
            src_token,
            dst_token: None,
            stored_tokens: Vec::new(),
            trans: Vec::new(),
            authorized: 0,
            charged: 0,
            refunded: 0,
            partial_voided: false,
            cvv2: if type_rid == TypeRid::Oct {
                "IneligibleOrder"
            } else {
                "Required"
            },
        };
        let text = JsonObj::new()
            .obj(
                "order",
                JsonObj::new()
                    .num("id", id)
                    .str("hppUrl", &format!("{}/flex", self.config.base_url))
                    .str("password", &order.password)
                    .str("status", order.status)
                    .str("cvv2AuthStatus", order.cvv2)
                    .str("secret", &order.secret),
            )
            .finish();
        self.kapital.orders.insert(id, order);
        Ok(crate::json_response(200, text))
    }

    fn kapital_summary(&self, o: &Order) -> String {
        JsonObj::new()
            .obj(
                "order",
                JsonObj::new()
                    .num("id", o.id)
                    .str("typeRid", o.type_rid.rid())
                    .str("status", o.status)
                    .opt_str("prevStatus", o.prev_status)
                    .str("lastStatusLogin", &self.config.kapital_username)
                    .raw("amount", &major(o.amount))
                    .str("currency", &o.currency)
                    .str("createTime", &o.create_time)
                    .opt_str("finishTime", o.finish_time.as_deref())
                    .opt_str("title", o.title.as_deref())
                    .obj("type", JsonObj::new().str("title", o.type_rid.title())),
            )
            .finish()
    }

    fn token_json(&self, id: u64) -> Option<String> {
        let t = self.kapital.tokens.get(&id)?;
        Some(
            JsonObj::new()
                .num("id", t.id)
                .str("paymentMethod", "Card")
                .str("role", t.role)
                .str("status", "Active")
                .str("regTime", &t.reg_time)
                .str("entryMode", "ECommerce")
                .str("displayName", &util::mask_pan(&t.pan, '*'))
                .obj(
                    "card",
                    JsonObj::new()
                        .str("expiration", &t.expiry)
                        .str("brand", util::brand(&t.pan)),
                )
                .finish(),
        )
    }

    fn kapital_detailed(&self, o: &Order) -> String {
        let trans = json_array(o.trans.iter().map(|t| {
            JsonObj::new()
                .str("approvalCode", &t.approval_code)
                .str("actionId", &t.action_id)
                .num("orderId", o.id)
                .num("terminalId", 41)
                .num("merchantId", 101)
                .str("billingStatus", "Normal")
                .bool("isReversal", t.is_reversal)
                .str("ridByAcquirer", &t.rid)
                .str("ridByPmo", &t.rid)
                .str("regTime", &t.reg_time)
                .raw("clearAmount", &signed_major(t.clear_amount))
                .str("clearCcy", &o.currency)
                .raw("amount", &major(t.amount))
                .str("currency", &o.currency)
                .str("description", t.description)
                .str("phase", t.phase)
                .str("type", t.kind)
                .str("pmoResultCode", "1")
                .finish()
        }));
        let (allow_phases, hpp_phase) = if o.type_rid.dual() {
            (r#"["Auth","Clearing"]"#, "Auth")
        } else {
            (r#"["Single","Prepare"]"#, "Single")
        };
        let mut obj = JsonObj::new()
            .num("id", o.id)
            .str("hppUrl", &format!("{}/flex", self.config.base_url))
            .opt_str("hppRedirectUrl", o.hpp_redirect_url.as_deref())
            .str("password", &o.password)
            .str("status", o.status)
            .opt_str("prevStatus", o.prev_status)
            .str("lastStatusLogin", &self.config.kapital_username)
            .raw("amount", &major(o.amount))
            .str("currency", &o.currency)
            .obj(
                "terminal",
                JsonObj::new()
                    .num("id", 41)
                    .str("rid", "E1000010")
                    .str("title", "E1000010")
                    .num("mcc", 3011)
                    .str("status", "Active"),
            )
            .raw("srcAmount", &major(o.amount))
            .raw("srcAmountFull", &major(o.amount))
            .str("srcCurrency", &o.currency)
            .raw("dstAmount", &major(o.amount))
            .str("dstCurrency", &o.currency)
            .str("createTime", &o.create_time)
            .opt_str("finishTime", o.finish_time.as_deref())
            .raw("trans", &trans)
            .str("cvv2AuthStatus", o.cvv2)
            .str("tdsV1AuthStatus", "IneligibleOrder")
            .str("tdsV2AuthStatus", "IneligibleOrder")
            .raw(
                "authorizedChargeAmount",
                &major(o.authorized.max(o.charged)),
            )
            .raw("clearedChargeAmount", &major(o.charged))
            .raw("clearedRefundAmount", &major(o.refunded))
            .opt_str("title", o.title.as_deref())
            .opt_str("description", o.description.as_deref())
            .str("language", &o.language);
        if let Some(t) = o.src_token.and_then(|id| self.token_json(id)) {
            obj = obj.raw("srcToken", &t);
        }
        if let Some(t) = o.dst_token.and_then(|id| self.token_json(id)) {
            obj = obj.raw("dstToken", &t);
        }
        if !o.stored_tokens.is_empty() {
            let stored = json_array(o.stored_tokens.iter().filter_map(|id| self.token_json(*id)));
            obj = obj.raw("storedTokens", &stored);
        }
        let purposes = serde_json::to_string(&o.cof_purposes).unwrap_or_else(|_| "[]".into());
        obj = obj
            .obj(
                "merchant",
                JsonObj::new()
                    .num("id", 101)
                    .str("rid", "E1000010")
                    .str("title", "E1000010"),
            )
            .opt_str("initiationEnvKind", o.initiation_env_kind.as_deref())
            .obj(
                "type",
                JsonObj::new()
                    .bool("allowVoid", true)
                    .str("hppTranPhase", hpp_phase)
                    .num("secretLength", 6)
                    .str("title", o.type_rid.title())
                    .str("rid", o.type_rid.rid())
                    .raw("paymentMethods", r#"["Card"]"#)
                    .raw("cardBrands", r#"["Visa","Mastercard"]"#)
                    .raw(
                        "allowTranTypes",
                        r#"["Purchase","Refund","Credit","CheckToken"]"#,
                    )
                    .raw("allowTranPhases", allow_phases),
            )
            .raw("hppCofCapturePurposes", &purposes)
            .raw("custAttrs", "[]")
            .raw("reportPubs", "{}");
        JsonObj::new().obj("order", obj).finish()
    }

    fn new_tran(
        &mut self,
        amount: u64,
        clear_amount: i128,
        phase: &'static str,
        kind: &'static str,
        description: &'static str,
        is_reversal: bool,
    ) -> Tran {
        self.kapital.next_tran += 1;
        let now = self.now();
        let n = self.kapital.next_tran;
        Tran {
            approval_code: format!("{:06}", self.rng.next_u64() % 1_000_000),
            action_id: format!(
                "{}-{:08}-{}=",
                now.yymmdd(),
                n,
                self.rng.string(b"abcdefghijklmnopqrstuvwxyz0123456789", 6)
            ),
            rid: format!("{}", 17_300_000 + n),
            reg_time: now.iso_space(),
            amount,
            clear_amount,
            phase,
            kind,
            description,
            is_reversal,
        }
    }

    fn tran_reply(tran: &Tran) -> http::Response<Vec<u8>> {
        crate::json_response(
            200,
            JsonObj::new()
                .obj(
                    "tran",
                    JsonObj::new()
                        .str("approvalCode", &tran.approval_code)
                        .obj(
                            "match",
                            JsonObj::new()
                                .str("tranActionId", &tran.action_id)
                                .str("ridByPmo", &tran.rid),
                        )
                        .str("pmoResultCode", "1"),
                )
                .finish(),
        )
    }

    fn pmo_decline(&mut self, pan: &str, code: &str, desc: &str, reason: &str) -> ApiError {
        self.kapital.next_tran += 1;
        let rid = format!("{}", 17_900_000 + self.kapital.next_tran);
        let full = format!("{desc}. PAN={}", util::mask_pan(pan, '*'));
        ApiError {
            http: 400,
            body: JsonObj::new()
                .str("errorCode", "PmoDecline")
                .str(
                    "errorDescription",
                    &format!("Transaction declined by PMO: Auth Response: {code} - {full}"),
                )
                .obj(
                    "errorDetails",
                    JsonObj::new()
                        .str("declineReason", reason)
                        .obj("match", JsonObj::new().str("ridByPmo", &rid))
                        .str("pmoResultCode", code)
                        .str("pmoDeclineDesc", &full),
                )
                .finish(),
        }
    }

    fn kapital_exec(&mut self, id: u64, body: &[u8]) -> Result<http::Response<Vec<u8>>, ApiError> {
        let body: TranBody = json_body(body)?;
        let tran = body.tran.ok_or_else(|| ApiError::request("Missing tran"))?;
        let amount = parse_amount(&tran.amount)?;
        let mut order = self
            .kapital
            .orders
            .get(&id)
            .cloned()
            .ok_or_else(ApiError::not_found)?;
        if order.trans.len() >= MAX_TRANS {
            return Err(ApiError::new(
                400,
                "TranProhibited",
                "Too many transactions",
            ));
        }
        let phase = tran.phase.as_deref().unwrap_or("");
        let kind = tran.kind.as_deref();
        let status = order.status;
        let now = self.now().iso_space();
        let new_status: &'static str;
        let record: Tran;
        match (phase, kind, tran.void_kind.as_deref()) {
            (_, _, Some(void)) => {
                let paid = status == "FullyPaid" && order.refunded == 0;
                match (phase, void) {
                    ("Auth", "Full") if order.type_rid.dual() && status == "Authorized" => {
                        record =
                            self.new_tran(order.authorized, 0, "Auth", "Purchase", "Void", true);
                        new_status = "Voided";
                    }
                    ("Single", "Full") if !order.type_rid.dual() && paid => {
                        let charged = order.charged;
                        record = self.new_tran(
                            charged,
                            -(charged as i128),
                            "Single",
                            "Purchase",
                            "Void",
                            true,
                        );
                        order.charged = 0;
                        new_status = "Voided";
                    }
                    ("Clearing", "Full") if order.type_rid.dual() && paid => {
                        let charged = order.charged;
                        record = self.new_tran(
                            charged,
                            -(charged as i128),
                            "Clearing",
                            "Purchase",
                            "Void",
                            true,
                        );
                        order.charged = 0;
                        new_status = "Voided";
                    }
                    ("Single" | "Clearing", "Partial") if paid && !order.partial_voided => {
                        if (phase == "Clearing") != order.type_rid.dual() {
                            return Err(ApiError::request("Phase does not match the order type"));
                        }
                        let amount = amount
                            .ok_or_else(|| ApiError::amount("A partial void needs an amount"))?;
                        if amount >= order.charged {
                            return Err(ApiError::amount(
                                "A partial void must be less than the paid amount",
                            ));
                        }
                        record = self.new_tran(
                            amount,
                            -(amount as i128),
                            if order.type_rid.dual() {
                                "Clearing"
                            } else {
                                "Single"
                            },
                            "Purchase",
                            "Partial void",
                            true,
                        );
                        order.charged -= amount;
                        order.partial_voided = true;
                        new_status = status;
                    }
                    ("Auth" | "Single" | "Clearing", "Full" | "Partial") => {
                        return Err(ApiError::state(status))
                    }
                    _ => return Err(ApiError::request("Invalid phase or voidKind")),
                }
            }
            ("Single", Some("Refund"), None) => {
                if status != "FullyPaid" {
                    return Err(ApiError::state(status));
                }
                let left = order.charged.saturating_sub(order.refunded);
                let amount = amount.unwrap_or(left);
                if amount == 0 || amount > left {
                    return Err(ApiError::amount("Refund amount exceeds the amount paid"));
                }
                record = self.new_tran(
                    amount,
                    -(amount as i128),
                    "Single",
                    "Refund",
                    "Refund",
                    false,
                );
                order.refunded += amount;
                new_status = if order.refunded == order.charged {
                    "Refunded"
                } else {
                    "FullyPaid"
                };
            }
            ("Single", Some("Credit"), None) => {
                if order.type_rid != TypeRid::Oct {
                    return Err(ApiError::request("Credit is only allowed on OCT orders"));
                }
                if status != "Preparing" {
                    return Err(ApiError::state(status));
                }
                let token = order
                    .dst_token
                    .and_then(|t| self.kapital.tokens.get(&t))
                    .cloned()
                    .ok_or_else(|| {
                        ApiError::new(
                            400,
                            "InvalidToken",
                            "No destination token: call set-dst-token first",
                        )
                    })?;
                let amount = amount.unwrap_or(order.amount);
                if amount > order.amount {
                    return Err(ApiError::amount("Amount exceeds the order amount"));
                }
                self.kapital_card_check(&mut order, &token.pan, "DstCardInvalid", &now)?;
                record = self.new_tran(amount, amount as i128, "Single", "Credit", "Credit", false);
                order.charged = amount;
                new_status = "FullyPaid";
            }
            ("Clearing", None, None) => {
                if !order.type_rid.dual() {
                    return Err(ApiError::request(
                        "Clearing is only allowed on dual-message orders",
                    ));
                }
                if status != "Authorized" {
                    return Err(ApiError::state(status));
                }
                let amount = amount.unwrap_or(order.authorized);
                if amount > order.authorized {
                    return Err(ApiError::amount(
                        "Clearing amount exceeds the authorized amount",
                    ));
                }
                record = self.new_tran(
                    amount,
                    amount as i128,
                    "Clearing",
                    "Purchase",
                    "Clearing",
                    false,
                );
                order.charged = amount;
                new_status = "FullyPaid";
            }
            (p @ ("Single" | "Auth"), None | Some("Purchase"), None) => {
                // A charge on the order's source token (saved card, MIT).
                let dual = p == "Auth";
                if dual != order.type_rid.dual() || order.type_rid == TypeRid::Oct {
                    return Err(ApiError::request("Phase does not match the order type"));
                }
                if status != "Preparing" {
                    return Err(ApiError::state(status));
                }
                let token = order
                    .src_token
                    .and_then(|t| self.kapital.tokens.get(&t))
                    .cloned()
                    .ok_or_else(|| {
                        ApiError::new(
                            400,
                            "InvalidToken",
                            "No source token: call set-src-token first",
                        )
                    })?;
                let amount = amount.unwrap_or(order.amount);
                if amount > order.amount {
                    return Err(ApiError::amount("Amount exceeds the order amount"));
                }
                self.kapital_card_check(&mut order, &token.pan, "SrcCardInvalid", &now)?;
                if dual {
                    record = self.new_tran(amount, 0, "Auth", "Purchase", "Purchase", false);
                    order.authorized = amount;
                    new_status = "Authorized";
                } else {
                    record = self.new_tran(
                        amount,
                        amount as i128,
                        "Single",
                        "Purchase",
                        "Purchase",
                        false,
                    );
                    order.charged = amount;
                    new_status = "FullyPaid";
                }
            }
            _ => return Err(ApiError::request("Invalid phase or type")),
        }
        if new_status != order.status {
            order.prev_status = Some(order.status);
            order.status = new_status;
        }
        order.finish_time = Some(now);
        order.trans.push(record.clone());
        self.kapital.orders.insert(id, order);
        Ok(Sandbox::tran_reply(&record))
    }

    /// Declines the always-decline card and unknown cards with a `PmoDecline` body, marking
    /// the order `Declined`.
    fn kapital_card_check(
        &mut self,
        order: &mut Order,
        pan: &str,
        reason: &str,
        now: &str,
    ) -> Result<(), ApiError> {
        let (code, desc) = match Sandbox::card_decision(Gateway::Kapital, pan) {
            CardDecision::Approve => return Ok(()),
            CardDecision::Decline => ("59", "Insufficient funds"),
            CardDecision::Unknown => ("52", "Card not found for MBR calculation"),
        };
        let reason = if code == "59" {
            "InsufficientFunds"
        } else {
            reason
        };
        let error = self.pmo_decline(pan, code, desc, reason);
        order.prev_status = Some(order.status);
        order.status = "Declined";
        order.finish_time = Some(now.to_owned());
        self.kapital.orders.insert(order.id, order.clone());
        Err(error)
    }

    fn kapital_set_token(
        &mut self,
        id: u64,
        src: bool,
        body: &[u8],
    ) -> Result<http::Response<Vec<u8>>, ApiError> {
        let body: TokenBody = json_body(body)?;
        let token = body
            .token
            .ok_or_else(|| ApiError::request("Missing token"))?;
        let order = self
            .kapital
            .orders
            .get(&id)
            .cloned()
            .ok_or_else(ApiError::not_found)?;
        if order.status != "Preparing" {
            return Err(ApiError::state(order.status));
        }
        let token_id = if src {
            if order.type_rid == TypeRid::Oct {
                return Err(ApiError::request("OCT orders take a destination token"));
            }
            if token.google_pay_block.is_some() {
                return Err(ApiError::request(
                    "googlePayBlock is not simulated by the sandbox",
                ));
            }
            let stored = parse_id(&token.stored_id)
                .ok_or_else(|| ApiError::request("Missing token.storedId"))?;
            if !self.kapital.tokens.get(&stored).is_some_and(|t| t.stored) {
                return Err(ApiError::new(400, "InvalidToken", "Stored token not found"));
            }
            stored
        } else {
            if order.type_rid != TypeRid::Oct {
                return Err(ApiError::request(
                    "Only OCT orders take a destination token",
                ));
            }
            let pan = token
                .card
                .and_then(|c| c.pan_block)
                .and_then(|p| p.data)
                .ok_or_else(|| ApiError::request("Missing token.card.panBlock.data"))?;
            if !util::valid_pan(&pan) {
                return Err(ApiError::new(400, "InvalidToken", "Invalid card number"));
            }
            if self.kapital.tokens.len() >= self.config.max_orders {
                return Err(ApiError::new(503, "ServiceError", "sandbox is full"));
            }
            self.new_token(&util::digits(&pan), "", "Dst", false)
        };
        let order = self
            .kapital
            .orders
            .get_mut(&id)
            .ok_or_else(ApiError::not_found)?;
        if src {
            order.src_token = Some(token_id);
        } else {
            order.dst_token = Some(token_id);
        }
        let token_json = self.token_json(token_id).unwrap_or_else(|| "null".into());
        let text = JsonObj::new()
            .obj(
                "order",
                JsonObj::new()
                    .str("status", "Preparing")
                    .str("cvv2AuthStatus", "IneligibleOrder")
                    .str("tdsV1AuthStatus", "IneligibleOrder")
                    .str("tdsV2AuthStatus", "IneligibleOrder")
                    .str("otpAutStatus", "IneligibleOrder")
                    .raw(if src { "srcToken" } else { "dstToken" }, &token_json),
            )
            .finish();
        Ok(crate::json_response(200, text))
    }

    fn new_token(&mut self, pan: &str, expiry: &str, role: &'static str, stored: bool) -> u64 {
        self.kapital.next_token += 1;
        let id = 6000 + self.kapital.next_token;
        let reg_time = self.now().iso_space();
        self.kapital.tokens.insert(
            id,
            Token {
                id,
                pan: pan.to_owned(),
                expiry: expiry.to_owned(),
                role,
                stored,
                reg_time,
            },
        );
        id
    }

    // ---- hosted page -------------------------------------------------------------------------

    pub(crate) fn kapital_page(
        &mut self,
        request: &http::Request<Vec<u8>>,
    ) -> http::Response<Vec<u8>> {
        let mut pairs = util::query_pairs(request.uri());
        let form_pairs = if request.method() == http::Method::POST {
            util::form_pairs(request.body())
        } else {
            Vec::new()
        };
        pairs.extend(form_pairs.iter().cloned());
        let id = util::form_get(&pairs, "id").unwrap_or("").to_owned();
        let password = util::form_get(&pairs, "password").unwrap_or("").to_owned();
        let Some(order) = id
            .parse::<u64>()
            .ok()
            .and_then(|n| self.kapital.orders.get(&n))
        else {
            return crate::html_response(404, page::message("Kapital", "Unknown order."));
        };
        if !util::constant_time_eq(password.as_bytes(), order.password.as_bytes()) {
            return crate::html_response(403, page::message("Kapital", "Wrong order password."));
        }
        if order.status != "Preparing" || order.type_rid == TypeRid::Oct {
            return crate::html_response(
                409,
                page::message(
                    "Kapital",
                    &format!("This order cannot be paid here (status {}).", order.status),
                ),
            );
        }
        let form = page::CardForm {
            gateway: "Kapital",
            amount: Some(format!(
                "{} {}",
                util::major_fixed(order.amount),
                order.currency
            )),
            description: order.description.clone(),
            action: format!(
                "/flex?{}",
                util::form_encode(&[("id", &id), ("password", &password)])
            ),
            hidden: Vec::new(),
            cards: &[
                crate::cards::KAPITAL_VISA,
                crate::cards::KAPITAL_MASTERCARD,
                crate::cards::DECLINE,
            ],
            save_checkbox: (order.add_card || !order.cof_purposes.is_empty())
                .then_some(order.add_card),
            error: None,
        };
        match *request.method() {
            http::Method::GET => crate::html_response(200, page::card_form(&form)),
            http::Method::POST => {
                let action = crate::action_from_form(&form_pairs);
                match self.complete_payment(Gateway::Kapital, &id, &action) {
                    Ok(outcome) => crate::outcome_response(&outcome),
                    Err(e) => page::error_response(&form, &e),
                }
            }
            _ => crate::text_response(405, "GET or POST"),
        }
    }

    pub(crate) fn kapital_complete(
        &mut self,
        id: &str,
        action: &CardAction,
    ) -> Result<HostedOutcome, SandboxError> {
        let not_found = || SandboxError::NotFound(id.to_owned());
        let key = id.trim().parse::<u64>().map_err(|_| not_found())?;
        let mut order = self
            .kapital
            .orders
            .get(&key)
            .cloned()
            .ok_or_else(not_found)?;
        if order.status != "Preparing" || order.type_rid == TypeRid::Oct {
            return Err(SandboxError::NotPayable {
                id: id.to_owned(),
                status: order.status.to_owned(),
            });
        }
        let now = self.now().iso_space();
        let new_status = match action {
            CardAction::Cancel => "Cancelled",
            CardAction::Pay(card) => match Sandbox::card_decision(Gateway::Kapital, &card.pan) {
                CardDecision::Approve => {
                    let pan = util::digits(&card.pan);
                    let expiry = util::expiry_mmyy(&card.expiry).unwrap_or_default();
                    let store = order.add_card || card.save;
                    let token = self.new_token(&pan, &expiry, "Src", store);
                    order.src_token = Some(token);
                    if store {
                        order.stored_tokens.push(token);
                    }
                    order.cvv2 = "Provided";
                    if order.type_rid.dual() {
                        let t =
                            self.new_tran(order.amount, 0, "Auth", "Purchase", "Purchase", false);
                        order.trans.push(t);
                        order.authorized = order.amount;
                        "Authorized"
                    } else {
                        let t = self.new_tran(
                            order.amount,
                            order.amount as i128,
                            "Single",
                            "Purchase",
                            "Purchase",
                            false,
                        );
                        order.trans.push(t);
                        order.charged = order.amount;
                        "FullyPaid"
                    }
                }
                CardDecision::Decline | CardDecision::Unknown => "Declined",
            },
        };
        order.prev_status = Some(order.status);
        order.status = new_status;
        order.finish_time = Some(now);
        let redirect = match &order.hpp_redirect_url {
            Some(url) if !url.is_empty() => Redirect::Get(util::append_query(
                url,
                &[("ID", &order.id.to_string()), ("STATUS", new_status)],
            )),
            _ => Redirect::None,
        };
        self.kapital.orders.insert(key, order);
        Ok(HostedOutcome {
            gateway: Gateway::Kapital,
            id: key.to_string(),
            approved: matches!(new_status, "FullyPaid" | "Authorized"),
            status: new_status.to_owned(),
            redirect,
        })
    }
}
