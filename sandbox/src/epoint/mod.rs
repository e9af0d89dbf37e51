//! EPoint: signed `data`+`signature` requests under `/api/1/`, transactions `te…`, saved cards
//! `ce…`, a hosted page, and signed callbacks.

use std::collections::BTreeMap;

use serde_json::value::RawValue;

use crate::util::{self, JsonObj};
use crate::{
    page, CardAction, CardDecision, Gateway, HostedOutcome, Redirect, Sandbox, SandboxError,
};

mod hosted;
mod payments;
mod refunds;
mod saved_cards;
pub(crate) mod settings;
mod status;

/// Longest string field accepted (URLs; `description` has its own limit of 1000).
const MAX_FIELD: usize = 2000;
/// Longest `other_attr` (raw JSON) accepted.
const MAX_OTHER_ATTR: usize = 4096;

/// At most this many partial reversals per transaction.
const MAX_REVERSALS: u32 = 100;

#[derive(Debug, Default)]
pub(crate) struct State {
    txs: BTreeMap<String, Tx>,
    order_ids: BTreeMap<String, String>,
    cards: BTreeMap<String, SavedCard>,
    next_tx: u64,
    next_card: u64,
}

impl State {
    /// An empty state whose ids continue after `offset` (see `SandboxConfig::id_offset`).
    pub(crate) fn with_id_offset(offset: u64) -> Self {
        State {
            next_tx: offset,
            next_card: offset,
            ..State::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `/request`, `/checkout`, `/token/widget`
    Payment,
    PreAuth,
    Split,
    PayAndSave,
    SplitPayAndSave,
    SavedCardPay,
    SplitSavedCardPay,
    Payout,
}

impl Kind {
    fn hosted(self) -> bool {
        matches!(
            self,
            Kind::Payment | Kind::PreAuth | Kind::Split | Kind::PayAndSave | Kind::SplitPayAndSave
        )
    }
    fn saves_card(self) -> bool {
        matches!(self, Kind::PayAndSave | Kind::SplitPayAndSave)
    }
    fn split(self) -> bool {
        matches!(
            self,
            Kind::Split | Kind::SplitPayAndSave | Kind::SplitSavedCardPay
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TxStatus {
    New,
    Success,
    Failed,
}

#[derive(Debug, Clone)]
struct Tx {
    id: String,
    kind: Kind,
    order_id: Option<String>,
    amount: u64,
    currency: String,
    description: Option<String>,
    split_user: Option<String>,
    split_amount: Option<u64>,
    success_url: Option<String>,
    error_url: Option<String>,
    other_attr: Option<String>,
    card_id: Option<String>,
    status: TxStatus,
    /// Pre-auth: the captured amount once `/pre-auth-complete` ran.
    captured: Option<u64>,
    reversed: u64,
    reversals: u32,
    code: String,
    message: String,
    result: Option<Approval>,
}

#[derive(Debug, Clone)]
struct Approval {
    card_mask: String,
    card_name: String,
    rrn: String,
    bank_transaction: String,
    bank_response: String,
}

impl Tx {
    /// What was charged (or is held) before reversals.
    fn base(&self) -> u64 {
        self.captured.unwrap_or(self.amount)
    }
    fn remaining(&self) -> u64 {
        self.base().saturating_sub(self.reversed)
    }
    fn status_word(&self) -> &'static str {
        match self.status {
            TxStatus::New => "new",
            TxStatus::Failed => "error",
            TxStatus::Success if self.remaining() == 0 => "returned",
            TxStatus::Success => "success",
        }
    }
    fn operation_code(&self) -> &'static str {
        if self.kind.saves_card() {
            "200"
        } else {
            "100"
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CardStatus {
    New,
    Active,
    Rejected,
}

#[derive(Debug, Clone)]
struct SavedCard {
    id: String,
    /// Registered for payouts (`refund: 1`).
    refund: bool,
    status: CardStatus,
    /// Registered on its own (`/card-registration`), not with a payment.
    standalone: bool,
    pan: String,
    holder: String,
    expiry: String,
    description: Option<String>,
    success_url: Option<String>,
    error_url: Option<String>,
}

/// The decoded `data` object, values kept as raw JSON.
struct Fields(BTreeMap<String, Box<RawValue>>);

impl Fields {
    fn raw(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(|v| v.get()).filter(|t| *t != "null")
    }

    /// A string field; numbers are accepted as their text. At most 2000 characters.
    fn str(&self, key: &str) -> Result<Option<String>, String> {
        if self.raw(key).is_some_and(|t| t.len() > 4 * MAX_FIELD) {
            return Err(format!("{key} is too long"));
        }
        let value = self.str_unbounded(key)?;
        if value
            .as_ref()
            .is_some_and(|v| v.chars().count() > MAX_FIELD)
        {
            return Err(format!("{key} is too long"));
        }
        Ok(value)
    }

    fn str_unbounded(&self, key: &str) -> Result<Option<String>, String> {
        match self.raw(key) {
            None => Ok(None),
            Some(t) if t.starts_with('"') => serde_json::from_str::<String>(t)
                .map(Some)
                .map_err(|_| format!("Invalid value of {key}")),
            Some(t) if t.starts_with(|c: char| c.is_ascii_digit()) => Ok(Some(t.to_owned())),
            Some(_) => Err(format!("Invalid value of {key}")),
        }
    }

    fn required(&self, key: &str) -> Result<String, String> {
        match self.str(key)? {
            Some(v) if !v.trim().is_empty() => Ok(v),
            _ => Err(format!("Required field missing: {key}")),
        }
    }

    fn amount(&self, key: &str) -> Result<Option<u64>, String> {
        match self.raw(key) {
            None => Ok(None),
            Some(t) => match util::parse_decimal_minor(t) {
                Some(v) if v > 0 => Ok(Some(v)),
                _ => Err(format!("Invalid {key}")),
            },
        }
    }

    fn required_amount(&self, key: &str) -> Result<u64, String> {
        self.amount(key)?
            .ok_or_else(|| format!("Required field missing: {key}"))
    }

    fn flag(&self, key: &str) -> Result<bool, String> {
        match self.raw(key) {
            None | Some("0") | Some("\"0\"") | Some("false") => Ok(false),
            Some("1") | Some("\"1\"") | Some("true") => Ok(true),
            Some(_) => Err(format!("Invalid value of {key}")),
        }
    }
}

fn ok() -> JsonObj {
    JsonObj::new().str("status", "success")
}

fn error(message: &str) -> http::Response<Vec<u8>> {
    reply(
        JsonObj::new()
            .str("status", "error")
            .str("message", message),
    )
}

fn error_text(message: &str) -> String {
    JsonObj::new()
        .str("status", "error")
        .str("message", message)
        .finish()
}

fn reply(obj: JsonObj) -> http::Response<Vec<u8>> {
    crate::respond::json_response(200, obj.finish())
}

fn check_language(fields: &Fields) -> Result<(), String> {
    let language = fields.required("language")?;
    match language.as_str() {
        "az" | "en" | "ru" => Ok(()),
        _ => Err(String::from("Invalid language")),
    }
}

fn check_currency(fields: &Fields) -> Result<String, String> {
    let currency = fields.required("currency")?;
    if currency == "AZN" {
        Ok(currency)
    } else {
        Err(String::from("Invalid currency"))
    }
}

fn check_order_id(fields: &Fields) -> Result<String, String> {
    let order_id = fields.required("order_id")?;
    if order_id.chars().count() > 255 {
        return Err(String::from("order_id is too long"));
    }
    Ok(order_id)
}

fn check_description(fields: &Fields) -> Result<Option<String>, String> {
    let description = fields.str("description")?;
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 1000)
    {
        return Err(String::from("description is too long"));
    }
    Ok(description)
}

/// `(endpoint name as counted, kind)` of the endpoints that create a transaction.
fn creating_kind(endpoint: &str) -> Option<(&'static str, Kind)> {
    Some(match endpoint {
        "request" => ("request", Kind::Payment),
        "checkout" => ("checkout", Kind::Payment),
        "pre-auth-request" => ("pre-auth-request", Kind::PreAuth),
        "split-request" => ("split-request", Kind::Split),
        "card-registration-with-pay" => ("card-registration-with-pay", Kind::PayAndSave),
        "split-card-registration-with-pay" => {
            ("split-card-registration-with-pay", Kind::SplitPayAndSave)
        }
        _ => return None,
    })
}

fn static_name(endpoint: &str) -> Option<&'static str> {
    Some(match endpoint {
        "card-registration" => "card-registration",
        "execute-pay" => "execute-pay",
        "split-execute-pay" => "split-execute-pay",
        "refund-request" => "refund-request",
        "reverse" => "reverse",
        "pre-auth-complete" => "pre-auth-complete",
        "get-status" => "get-status",
        "get-status-card" => "get-status-card",
        "token/widget" => "token/widget",
        _ => return None,
    })
}

impl Sandbox {
    pub(crate) fn epoint_handle(
        &mut self,
        request: &http::Request<Vec<u8>>,
    ) -> http::Response<Vec<u8>> {
        let path = request.uri().path();
        if path == "/api/heartbeat" {
            if request.method() != http::Method::GET {
                return crate::respond::text_response(405, "GET /api/heartbeat");
            }
            self.count(Gateway::EPoint, "heartbeat");
            return reply(JsonObj::new().str("status", "ok"));
        }
        let endpoint = path.strip_prefix("/api/1/").unwrap_or("").to_owned();
        if request.method() != http::Method::POST {
            return crate::respond::json_response(
                405,
                JsonObj::new()
                    .str("status", "error")
                    .str("message", "Method not allowed")
                    .finish(),
            );
        }
        if endpoint == "wallet/status" {
            return self.epoint_wallets(request.body());
        }
        let known = creating_kind(&endpoint)
            .map(|(n, _)| n)
            .or_else(|| static_name(&endpoint));
        let Some(name) = known else {
            return crate::respond::json_response(
                404,
                JsonObj::new()
                    .str("status", "error")
                    .str(
                        "message",
                        &format!("Endpoint /api/1/{endpoint} is not simulated"),
                    )
                    .finish(),
            );
        };
        let fields = match self.epoint_verify(request.body()) {
            Ok(f) => f,
            Err(text) => return crate::respond::json_response(200, text),
        };
        self.count(Gateway::EPoint, name);
        let result = if let Some((_, kind)) = creating_kind(&endpoint) {
            self.epoint_create(kind, &fields).map(|(obj, tx)| {
                if endpoint == "checkout" {
                    crate::respond::redirect_response(&self.epoint_page_url(&tx))
                } else {
                    reply(obj)
                }
            })
        } else {
            match name {
                "card-registration" => self.epoint_card_registration(&fields).map(reply),
                "execute-pay" => self.epoint_saved_card_pay(&fields, false).map(reply),
                "split-execute-pay" => self.epoint_saved_card_pay(&fields, true).map(reply),
                "refund-request" => self.epoint_payout(&fields).map(reply),
                "reverse" => self.epoint_reverse(&fields).map(reply),
                "pre-auth-complete" => self.epoint_preauth_complete(&fields).map(reply),
                "get-status" => self.epoint_status(&fields).map(reply),
                "get-status-card" => self.epoint_card_status(&fields).map(reply),
                "token/widget" => self.epoint_widget(&fields).map(reply),
                _ => Err(String::from("Unknown endpoint")),
            }
        };
        let response = result.unwrap_or_else(|message| error(&message));
        self.epoint_server_errors(name, response)
    }

    /// The settings' forced server errors, after the request took effect: an empty `500`
    /// (`empty_500_next`), or an HTML `500` to `/reverse` (`html_500_on_refund`).
    fn epoint_server_errors(
        &mut self,
        name: &str,
        response: http::Response<Vec<u8>>,
    ) -> http::Response<Vec<u8>> {
        let settings = &mut self.config.epoint;
        if settings.empty_500_next > 0 {
            settings.empty_500_next -= 1;
            let mut empty = http::Response::new(Vec::new());
            *empty.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
            return empty;
        }
        if name == "reverse" && settings.html_500_on_refund {
            return crate::respond::html_response(
                500,
                String::from(
                    "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>\
                     <body><h1>Internal Server Error</h1></body></html>",
                ),
            );
        }
        response
    }

    /// Splits the body (form, or a JSON object as some clients send), checks `public_key` and
    /// the signature, and decodes `data`.
    fn epoint_verify(&self, body: &[u8]) -> Result<Fields, String> {
        let (data, signature) = if body.trim_ascii_start().starts_with(b"{") {
            #[derive(serde::Deserialize)]
            struct Envelope {
                data: Option<String>,
                signature: Option<String>,
            }
            match serde_json::from_slice::<Envelope>(body) {
                Ok(e) => (e.data, e.signature),
                Err(_) => (None, None),
            }
        } else {
            let pairs = util::form_pairs(body);
            (
                util::form_get(&pairs, "data").map(str::to_owned),
                util::form_get(&pairs, "signature").map(str::to_owned),
            )
        };
        let (Some(data), Some(signature)) = (data, signature) else {
            return Err(error_text("Required parameters missing: data, signature"));
        };
        let decoded = util::b64_decode(&data).ok_or_else(|| error_text("Invalid data"))?;
        let map: BTreeMap<String, Box<RawValue>> =
            serde_json::from_slice(&decoded).map_err(|_| error_text("Invalid data"))?;
        let fields = Fields(map);
        match fields.str("public_key") {
            Ok(Some(k)) if k == self.config.epoint_public_key => {}
            Ok(Some(_)) => return Err(error_text("Merchant not found")),
            _ => return Err(error_text("Required field missing: public_key")),
        }
        let expected = util::epoint_signature(&self.config.epoint_private_key, &data);
        if !util::constant_time_eq(expected.as_bytes(), signature.as_bytes()) {
            return Err(JsonObj::new()
                .str("status", "server_error")
                .str("message", "Signature did not match")
                .finish());
        }
        Ok(fields)
    }

    fn epoint_wallets(&mut self, body: &[u8]) -> http::Response<Vec<u8>> {
        let pairs = util::form_pairs(body);
        if util::form_get(&pairs, "public_key") != Some(self.config.epoint_public_key.as_str()) {
            return error("Merchant not found");
        }
        self.count(Gateway::EPoint, "wallet/status");
        let wallet = JsonObj::new()
            .num("id", 1)
            .str("name", "Sandbox wallet")
            .str("status", "active")
            .finish();
        reply(ok().raw("wallets", &util::json_array([wallet])))
    }

    fn epoint_room(&self) -> Result<(), String> {
        if self.epoint.txs.len() + self.epoint.cards.len() >= self.config.max_orders {
            Err(String::from("Sandbox is full: too many transactions"))
        } else {
            Ok(())
        }
    }

    fn new_tx_id(&mut self) -> String {
        self.epoint.next_tx += 1;
        format!("te{:09}", self.epoint.next_tx)
    }

    fn new_card_id(&mut self) -> String {
        self.epoint.next_card += 1;
        format!("ce{:010}", self.epoint.next_card)
    }

    fn epoint_page_url(&self, id: &str) -> String {
        format!("{}/epoint/pay/{id}", self.config.base_url)
    }

    fn unique_order_id(&self, order_id: &str) -> Result<(), String> {
        if self.epoint.order_ids.contains_key(order_id) {
            Err(String::from("Duplicate order_id"))
        } else {
            Ok(())
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn insert_tx(
        &mut self,
        kind: Kind,
        order_id: Option<String>,
        amount: u64,
        currency: String,
        description: Option<String>,
        split: Option<(String, u64)>,
        urls: (Option<String>, Option<String>),
        other_attr: Option<String>,
        card_id: Option<String>,
    ) -> String {
        let id = self.new_tx_id();
        if let Some(o) = &order_id {
            self.epoint.order_ids.insert(o.clone(), id.clone());
        }
        let (split_user, split_amount) = match split {
            Some((u, a)) => (Some(u), Some(a)),
            None => (None, None),
        };
        self.epoint.txs.insert(
            id.clone(),
            Tx {
                id: id.clone(),
                kind,
                order_id,
                amount,
                currency,
                description,
                split_user,
                split_amount,
                success_url: urls.0,
                error_url: urls.1,
                other_attr,
                card_id,
                status: TxStatus::New,
                captured: None,
                reversed: 0,
                reversals: 0,
                code: String::new(),
                message: String::from("Waiting for payment"),
                result: None,
            },
        );
        id
    }

    fn split_fields(&self, fields: &Fields, amount: u64) -> Result<(String, u64), String> {
        let user = fields.required("split_user")?;
        let split_amount = fields.required_amount("split_amount")?;
        if split_amount > amount {
            return Err(String::from("split_amount exceeds amount"));
        }
        if user == self.config.epoint_public_key {
            return Err(String::from("split_user must be another merchant"));
        }
        Ok((user, split_amount))
    }
}
