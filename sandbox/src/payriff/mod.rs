//! Payriff v3 (`/api/v3/…`): the raw secret key in `Authorization`, JSON bodies, and every
//! answer in the envelope `{code, message, route, responseId, payload}`. Errors keep HTTP 200
//! (the envelope's `code` says it: `14010` bad key, `15400` invalid parameters, `01000` a
//! rejected action), except an unknown order, card or RRN: HTTP 404 with code `15000`.
//! Amounts are read from the JSON number text, never through a float.

use std::collections::{BTreeMap, VecDeque};

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::util::{self, json_array, JsonObj};
use crate::{Gateway, Sandbox};

mod cards;
mod hosted;
mod orders;
pub(crate) mod settings;

/// Most transactions kept per order.
const MAX_TRANS: usize = 100;
/// Most callbacks kept waiting.
const MAX_OUTBOX: usize = 1000;

#[derive(Debug, Default)]
pub(crate) struct State {
    orders: BTreeMap<String, Order>,
    /// `X-REQUEST-RRN` → order id.
    by_rrn: BTreeMap<String, String>,
    saves: BTreeMap<String, CardSave>,
    cards: BTreeMap<String, SavedCard>,
    next: u64,
    outbox: VecDeque<PayriffCallback>,
}

impl State {
    pub(crate) fn with_id_offset(offset: u64) -> Self {
        State {
            next: offset,
            ..State::default()
        }
    }
}

/// A callback waiting for delivery: the JSON Payriff POSTs to an order's `callbackUrl`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PayriffCallback {
    /// The order's `callbackUrl`.
    pub url: String,
    /// The JSON body (unsigned, as Payriff sends it).
    pub body: String,
}

#[derive(Debug, Clone)]
struct Order {
    id: String,
    amount: u64,
    currency: String,
    language: String,
    preauth: bool,
    description: Option<String>,
    callback_url: Option<String>,
    redirect_url: Option<String>,
    card_save: bool,
    metadata: Option<String>,
    status: &'static str,
    auto: bool,
    created: String,
    /// Held (pre-authorisation) and paid (captured or purchased) amounts, minor units.
    held: u64,
    paid: u64,
    refunded: u64,
    trans: Vec<Tran>,
    /// The card save this verification order belongs to.
    card_save_id: Option<String>,
    session: String,
}

#[derive(Debug, Clone)]
struct Tran {
    uuid: String,
    status: &'static str,
    created: String,
    request_rrn: Option<String>,
    masked_pan: Option<String>,
    brand: Option<String>,
    card_uuid: Option<String>,
}

#[derive(Debug, Clone)]
struct CardSave {
    id: String,
    order_id: String,
    customer_ref: String,
    status: &'static str,
    card_uuid: Option<String>,
}

#[derive(Debug, Clone)]
struct SavedCard {
    uuid: String,
    customer_ref: Option<String>,
    masked_pan: String,
    brand: String,
    created: String,
}

/// An answer in Payriff's envelope.
struct Reply {
    http: u16,
    code: &'static str,
    message: String,
    payload: String,
}

impl Reply {
    fn ok(payload: String) -> Self {
        Reply {
            http: 200,
            code: "00000",
            message: "Operation performed successfully".into(),
            payload,
        }
    }
    fn error(http: u16, code: &'static str, message: &str) -> Self {
        Reply {
            http,
            code,
            message: message.into(),
            payload: "null".into(),
        }
    }
    fn invalid(message: &str) -> Self {
        Reply::error(200, "15400", message)
    }
    fn rejected(message: &str) -> Self {
        Reply::error(200, "01000", message)
    }
    fn not_found(what: &str) -> Self {
        Reply::error(404, "15000", &format!("{what} not found"))
    }
}

fn raw(v: &Option<Box<RawValue>>) -> Option<&str> {
    v.as_ref().map(|r| r.get()).filter(|t| *t != "null")
}

/// An amount from its JSON number text (a string is refused: Payriff wants a number).
fn amount(v: &Option<Box<RawValue>>) -> Result<Option<u64>, Reply> {
    match raw(v) {
        None => Ok(None),
        Some(t) if t.starts_with('"') => Err(Reply::invalid("amount must be a number")),
        Some(t) => match util::parse_decimal_minor(t) {
            Some(m) if m > 0 => Ok(Some(m)),
            _ => Err(Reply::invalid(
                "amount must be a positive number with at most two decimals",
            )),
        },
    }
}

fn json<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, Reply> {
    serde_json::from_slice(body).map_err(|_| Reply::invalid("malformed JSON body"))
}

fn header<'a>(request: &'a http::Request<Vec<u8>>, name: &str) -> Option<&'a str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

fn url_ok(u: &str) -> bool {
    (u.starts_with("http://") || u.starts_with("https://")) && !u.contains(char::is_whitespace)
}

/// Percent-decodes a path segment.
fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let hex = |b: u8| (b as char).to_digit(16);
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Sandbox {
    pub(crate) fn payriff_handle(
        &mut self,
        request: &http::Request<Vec<u8>>,
    ) -> http::Response<Vec<u8>> {
        let route = request.uri().path().to_owned();
        let reply = self.payriff_route(request).unwrap_or_else(|e| e);
        self.handled_payriff += 1;
        let body = JsonObj::new()
            .str("code", reply.code)
            .str("message", &reply.message)
            .str("route", &route)
            .str("responseId", &format!("sandbox-{}", self.handled_payriff))
            .raw("payload", &reply.payload)
            .finish();
        crate::respond::json_response(reply.http, body)
    }

    fn payriff_route(&mut self, request: &http::Request<Vec<u8>>) -> Result<Reply, Reply> {
        let key = header(request, "authorization").unwrap_or("");
        if key.is_empty() {
            return Err(Reply::error(200, "14013", "Token is not present"));
        }
        if !util::constant_time_eq(key.as_bytes(), self.config.payriff.secret_key.as_bytes()) {
            return Err(Reply::error(200, "14010", "Unauthorized"));
        }
        let path = request.uri().path();
        let rest = path.strip_prefix("/api/v3").unwrap_or("");
        let segments: Vec<String> = rest
            .split('/')
            .filter(|s| !s.is_empty())
            .map(decode)
            .collect();
        let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
        let query = util::query_pairs(request.uri());
        let rrn = header(request, "x-request-rrn").map(str::to_owned);
        let body = request.body();
        let method = request.method().as_str();
        let (op, reply): (&'static str, Result<Reply, Reply>) = match (method, segs.as_slice()) {
            ("POST", ["orders"]) => ("create-order", self.payriff_create(body, rrn)),
            ("GET", ["orders", id]) => ("order", self.payriff_order_reply(id)),
            ("GET", ["orders", id, "status"]) => ("order-status", self.payriff_order_reply(id)),
            ("GET", ["orders", rrn, "rrn"]) => ("order-by-rrn", self.payriff_by_rrn(rrn)),
            ("PATCH", ["expire-status"]) => (
                "expire",
                self.payriff_expire(util::form_get(&query, "orderId").unwrap_or("")),
            ),
            ("POST", ["refund"]) => ("refund", self.payriff_refund(body, rrn)),
            ("POST", ["complete"]) => ("complete", self.payriff_complete(body, rrn)),
            ("POST", ["autoPay"]) => ("autoPay", self.payriff_auto_pay(body, rrn)),
            ("POST", ["cards", "save"]) => ("card-save", self.payriff_card_save(body)),
            ("GET", ["cards", "save", id]) => ("card-save-get", self.payriff_card_save_get(id)),
            ("GET", ["cards", "save"]) => (
                "cards-list",
                Ok(self.payriff_cards_list(util::form_get(&query, "customerRef").unwrap_or(""))),
            ),
            ("DELETE", ["cards", uuid]) => ("card-delete", self.payriff_card_delete(uuid)),
            ("GET", ["transactions"]) => ("transactions", self.payriff_transactions(&query)),
            _ => return Err(Reply::error(404, "15000", "unknown endpoint")),
        };
        self.count(Gateway::Payriff, op);
        reply
    }

    fn payriff_id(&mut self, prefix: &str) -> String {
        self.payriff.next += 1;
        format!("{prefix}{:010}", self.payriff.next)
    }

    fn payriff_uuid(&mut self) -> String {
        let hex = self.rng.string(b"0123456789abcdef", 32);
        format!(
            "{}-{}-4{}-a{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[13..16],
            &hex[17..20],
            &hex[20..32]
        )
    }

    fn payriff_order_json(&self, order: &Order) -> String {
        let trans = json_array(order.trans.iter().map(|t| {
            let mut obj = JsonObj::new()
                .str("uuid", &t.uuid)
                .str("createdDate", &t.created)
                .str("status", t.status)
                .str("channel", "SANDBOX")
                .opt_str("requestRrn", t.request_rrn.as_deref());
            if let (Some(pan), Some(brand)) = (&t.masked_pan, &t.brand) {
                obj = obj.obj(
                    "cardDetails",
                    JsonObj::new().str("maskedPan", pan).str("brand", brand),
                );
            }
            obj.opt_str("cardUuid", t.card_uuid.as_deref()).finish()
        }));
        JsonObj::new()
            .str("orderId", &order.id)
            .raw("amount", &util::major_short(order.amount))
            .str("currencyType", &order.currency)
            .str("merchantName", "azpay sandbox")
            .str(
                "operationType",
                if order.preauth {
                    "PRE_AUTH"
                } else {
                    "PURCHASE"
                },
            )
            .str("paymentStatus", order.status)
            .raw("paidAmount", &util::major_short(order.paid))
            .bool("auto", order.auto)
            .str("createdDate", &order.created)
            .opt_str("description", order.description.as_deref())
            .opt_str("metadata", order.metadata.as_deref())
            .raw("transactions", &trans)
            .finish()
    }

    fn payriff_order_reply(&self, id: &str) -> Result<Reply, Reply> {
        let order = self
            .payriff
            .orders
            .get(id)
            .ok_or_else(|| Reply::not_found("Order"))?;
        Ok(Reply::ok(self.payriff_order_json(order)))
    }

    fn payriff_by_rrn(&self, rrn: &str) -> Result<Reply, Reply> {
        let id = self
            .payriff
            .by_rrn
            .get(rrn)
            .ok_or_else(|| Reply::not_found("Order"))?;
        self.payriff_order_reply(id)
    }

    /// Queues the callback of `order` when it has a `callbackUrl`.
    fn payriff_queue_callback(&mut self, order_id: &str) {
        let Some(order) = self.payriff.orders.get(order_id) else {
            return;
        };
        let Some(url) = order.callback_url.clone() else {
            return;
        };
        self.handled_payriff += 1;
        let body = JsonObj::new()
            .raw("payload", &self.payriff_order_json(order))
            .str("code", "00000")
            .str("message", "Operation performed successfully")
            .str("route", "/api/v3/orders")
            .str("responseId", &format!("sandbox-{}", self.handled_payriff))
            .finish();
        if self.payriff.outbox.len() >= MAX_OUTBOX {
            self.payriff.outbox.pop_front();
        }
        self.payriff.outbox.push_back(PayriffCallback { url, body });
    }

    /// Drains the Payriff callbacks produced since the last call, oldest first.
    pub fn take_payriff_callbacks(&mut self) -> Vec<PayriffCallback> {
        self.payriff.outbox.drain(..).collect()
    }

    fn payriff_transactions(&self, query: &[(String, String)]) -> Result<Reply, Reply> {
        let page: usize = util::form_get(query, "page")
            .unwrap_or("0")
            .parse()
            .map_err(|_| Reply::invalid("page must be a number"))?;
        let size: usize = util::form_get(query, "offset")
            .unwrap_or("10")
            .parse()
            .map_err(|_| Reply::invalid("offset must be a number"))?;
        if !(1..=20).contains(&size) {
            return Err(Reply::invalid("offset must be 1 to 20"));
        }
        let status = util::form_get(query, "status");
        let order_id = util::form_get(query, "orderId");
        let rows: Vec<&Order> = self
            .payriff
            .orders
            .values()
            .filter(|o| status.is_none_or(|s| s == o.status))
            .filter(|o| order_id.is_none_or(|id| id == o.id))
            .collect();
        let total = rows.len();
        let content = json_array(
            rows.iter()
                .skip(page.saturating_mul(size))
                .take(size)
                .map(|o| {
                    JsonObj::new()
                        .str("orderId", &o.id)
                        .str("sessionId", &o.session)
                        .raw("amount", &util::major_short(o.amount))
                        .raw("refundAmount", &util::major_short(o.refunded))
                        .str("currencyType", &o.currency)
                        .str("paymentStatus", o.status)
                        .opt_str("description", o.description.as_deref())
                        .str("orderLanguage", &o.language)
                        .str("createdDate", &o.created)
                        .finish()
                }),
        );
        let pages = total.div_ceil(size);
        Ok(Reply::ok(
            JsonObj::new()
                .raw("content", &content)
                .num("totalElements", total as u64)
                .num("totalPages", pages as u64)
                .num("number", page as u64)
                .num("size", size as u64)
                .bool("first", page == 0)
                .bool("last", page + 1 >= pages)
                .finish(),
        ))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(super::decode("rrn%201%2F2"), "rrn 1/2");
        assert_eq!(super::decode("a%2"), "a%2");
        assert_eq!(super::decode("%zz"), "%zz");
        assert_eq!(super::decode("%é%"), "%é%");
    }
}
