//! EPoint: signed `data`+`signature` requests under `/api/1/`, transactions `te…`, saved cards
//! `ce…`, a hosted page, and signed callbacks.

use std::collections::BTreeMap;

use serde_json::value::RawValue;

use crate::util::{self, JsonObj};
use crate::{
    page, CardAction, CardDecision, Gateway, HostedOutcome, Redirect, Sandbox, SandboxError,
};

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
    crate::json_response(200, obj.finish())
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
                return crate::text_response(405, "GET /api/heartbeat");
            }
            self.count(Gateway::EPoint, "heartbeat");
            return reply(JsonObj::new().str("status", "ok"));
        }
        let endpoint = path.strip_prefix("/api/1/").unwrap_or("").to_owned();
        if request.method() != http::Method::POST {
            return crate::json_response(
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
            return crate::json_response(
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
            Err(text) => return crate::json_response(200, text),
        };
        self.count(Gateway::EPoint, name);
        let result = if let Some((_, kind)) = creating_kind(&endpoint) {
            self.epoint_create(kind, &fields).map(|(obj, tx)| {
                if endpoint == "checkout" {
                    crate::redirect_response(&self.epoint_page_url(&tx))
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
        result.unwrap_or_else(|message| error(&message))
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

    fn epoint_create(&mut self, kind: Kind, fields: &Fields) -> Result<(JsonObj, String), String> {
        let amount = fields.required_amount("amount")?;
        let currency = check_currency(fields)?;
        check_language(fields)?;
        let order_id = check_order_id(fields)?;
        let description = check_description(fields)?;
        fields.flag("is_installment")?;
        let split = if kind.split() {
            Some(self.split_fields(fields, amount)?)
        } else {
            None
        };
        let urls = (
            fields.str("success_redirect_url")?,
            fields.str("error_redirect_url")?,
        );
        let other_attr = fields.raw("other_attr").map(str::to_owned);
        if other_attr
            .as_ref()
            .is_some_and(|o| o.len() > MAX_OTHER_ATTR)
        {
            return Err(String::from("other_attr is too long"));
        }
        self.unique_order_id(&order_id)?;
        self.epoint_room()?;
        let card_id = if kind.saves_card() {
            let id = self.new_card_id();
            self.epoint.cards.insert(
                id.clone(),
                SavedCard {
                    id: id.clone(),
                    refund: false,
                    status: CardStatus::New,
                    standalone: false,
                    pan: String::new(),
                    holder: String::new(),
                    expiry: String::new(),
                    description: description.clone(),
                    success_url: None,
                    error_url: None,
                },
            );
            Some(id)
        } else {
            None
        };
        let id = self.insert_tx(
            kind,
            Some(order_id),
            amount,
            currency,
            description,
            split,
            urls,
            other_attr,
            card_id.clone(),
        );
        let obj = ok()
            .str("transaction", &id)
            .str("redirect_url", &self.epoint_page_url(&id))
            .opt_str("card_id", card_id.as_deref());
        Ok((obj, id))
    }

    fn epoint_widget(&mut self, fields: &Fields) -> Result<JsonObj, String> {
        let amount = fields.required_amount("amount")?;
        let order_id = check_order_id(fields)?;
        let description = fields.required("description")?;
        self.unique_order_id(&order_id)?;
        self.epoint_room()?;
        let id = self.insert_tx(
            Kind::Payment,
            Some(order_id),
            amount,
            String::from("AZN"),
            Some(description),
            None,
            (None, None),
            None,
            None,
        );
        Ok(ok().str("widget_url", &self.epoint_page_url(&id)))
    }

    fn epoint_card_registration(&mut self, fields: &Fields) -> Result<JsonObj, String> {
        check_language(fields)?;
        let refund = fields.flag("refund")?;
        let description = check_description(fields)?;
        let success_url = fields.str("success_redirect_url")?;
        let error_url = fields.str("error_redirect_url")?;
        self.epoint_room()?;
        let id = self.new_card_id();
        self.epoint.cards.insert(
            id.clone(),
            SavedCard {
                id: id.clone(),
                refund,
                status: CardStatus::New,
                standalone: true,
                pan: String::new(),
                holder: String::new(),
                expiry: String::new(),
                description,
                success_url,
                error_url,
            },
        );
        Ok(ok()
            .str("redirect_url", &self.epoint_page_url(&id))
            .str("card_id", &id))
    }

    fn approval(&mut self, pan: &str, holder: &str) -> Approval {
        let rrn = format!("{:012}", self.rng.next_u64() % 1_000_000_000_000);
        let bank_transaction = self.rng.string(b"0123456789ABCDEF", 16);
        Approval {
            card_mask: util::mask_pan(pan, '*'),
            card_name: holder.to_owned(),
            rrn,
            bank_transaction,
            bank_response: String::from("APPROVED"),
        }
    }

    fn active_card(&self, fields: &Fields) -> Result<SavedCard, String> {
        let card_id = fields.required("card_id")?;
        let card = self
            .epoint
            .cards
            .get(&card_id)
            .ok_or_else(|| String::from("Card not found"))?;
        if card.status != CardStatus::Active {
            return Err(String::from("Card is not active"));
        }
        Ok(card.clone())
    }

    fn payment_object(&self, tx: &Tx) -> JsonObj {
        let approval = tx.result.as_ref();
        let mut obj = JsonObj::new()
            .str(
                "status",
                if tx.status == TxStatus::Success {
                    "success"
                } else {
                    "failed"
                },
            )
            .str("message", &tx.message)
            .str("transaction", &tx.id)
            .opt_str(
                "bank_transaction",
                approval.map(|a| a.bank_transaction.as_str()),
            )
            .opt_str("bank_response", approval.map(|a| a.bank_response.as_str()))
            .str("operation_code", tx.operation_code())
            .opt_str("rrn", approval.map(|a| a.rrn.as_str()))
            .opt_str("card_mask", approval.map(|a| a.card_mask.as_str()))
            .opt_str("card_name", approval.map(|a| a.card_name.as_str()))
            .raw("amount", &util::major_fixed(tx.base()));
        if let Some(split) = tx.split_amount {
            obj = obj.raw("split_amount", &util::major_fixed(split));
        }
        obj
    }

    fn epoint_saved_card_pay(&mut self, fields: &Fields, split: bool) -> Result<JsonObj, String> {
        check_language(fields)?;
        let card = self.active_card(fields)?;
        if card.refund {
            return Err(String::from(
                "Card is registered for payouts and cannot be charged",
            ));
        }
        let order_id = check_order_id(fields)?;
        let amount = fields.required_amount("amount")?;
        let currency = check_currency(fields)?;
        let description = check_description(fields)?;
        let split_fields = if split {
            Some(self.split_fields(fields, amount)?)
        } else {
            None
        };
        self.unique_order_id(&order_id)?;
        self.epoint_room()?;
        let kind = if split {
            Kind::SplitSavedCardPay
        } else {
            Kind::SavedCardPay
        };
        let id = self.insert_tx(
            kind,
            Some(order_id),
            amount,
            currency,
            description,
            split_fields,
            (None, None),
            None,
            Some(card.id.clone()),
        );
        let approval = self.approval(&card.pan, &card.holder);
        let tx = self
            .epoint
            .txs
            .get_mut(&id)
            .ok_or_else(|| String::from("Transaction not found"))?;
        tx.status = TxStatus::Success;
        tx.code = String::from("000");
        tx.message = String::from("Approved");
        tx.result = Some(approval);
        let tx = tx.clone();
        Ok(self.payment_object(&tx))
    }

    fn epoint_payout(&mut self, fields: &Fields) -> Result<JsonObj, String> {
        check_language(fields)?;
        let card = self.active_card(fields)?;
        if !card.refund {
            return Err(String::from(
                "Card is not registered for payouts (register it with refund: 1)",
            ));
        }
        let order_id = check_order_id(fields)?;
        let amount = fields.required_amount("amount")?;
        let currency = check_currency(fields)?;
        let description = check_description(fields)?;
        self.unique_order_id(&order_id)?;
        self.epoint_room()?;
        let id = self.insert_tx(
            Kind::Payout,
            Some(order_id),
            amount,
            currency,
            description,
            None,
            (None, None),
            None,
            Some(card.id.clone()),
        );
        let approval = self.approval(&card.pan, &card.holder);
        let tx = self
            .epoint
            .txs
            .get_mut(&id)
            .ok_or_else(|| String::from("Transaction not found"))?;
        tx.status = TxStatus::Success;
        tx.code = String::from("000");
        tx.message = String::from("Approved");
        tx.result = Some(approval);
        let tx = tx.clone();
        Ok(self.payment_object(&tx))
    }

    fn epoint_reverse(&mut self, fields: &Fields) -> Result<JsonObj, String> {
        check_language(fields)?;
        let id = fields.required("transaction")?;
        let currency = check_currency(fields)?;
        let amount = fields.amount("amount")?;
        let tx = self
            .epoint
            .txs
            .get_mut(&id)
            .ok_or_else(|| String::from("Transaction not found"))?;
        if tx.kind == Kind::Payout {
            return Err(String::from("A payout cannot be reversed"));
        }
        if tx.status != TxStatus::Success {
            return Err(String::from("Transaction is not paid"));
        }
        if tx.currency != currency {
            return Err(String::from("Currency does not match the transaction"));
        }
        let remaining = tx.remaining();
        if remaining == 0 {
            return Err(String::from("Transaction is already fully reversed"));
        }
        let amount = amount.unwrap_or(remaining);
        if amount > remaining {
            return Err(String::from("Amount exceeds the amount left to reverse"));
        }
        if tx.reversals >= MAX_REVERSALS {
            return Err(String::from("Too many partial reversals"));
        }
        tx.reversed += amount;
        tx.reversals += 1;
        let full = tx.remaining() == 0;
        Ok(ok().str(
            "message",
            if full {
                "Transaction reversed"
            } else {
                "Transaction partially reversed"
            },
        ))
    }

    fn epoint_preauth_complete(&mut self, fields: &Fields) -> Result<JsonObj, String> {
        let id = fields.required("transaction")?;
        let amount = fields.required_amount("amount")?;
        let tx = self
            .epoint
            .txs
            .get_mut(&id)
            .ok_or_else(|| String::from("Transaction not found"))?;
        if tx.kind != Kind::PreAuth {
            return Err(String::from("Transaction is not a pre-authorization"));
        }
        if tx.status != TxStatus::Success || tx.captured.is_some() || tx.reversed > 0 {
            return Err(String::from(
                "Pre-authorization is not waiting for completion",
            ));
        }
        if amount > tx.amount {
            return Err(String::from("Amount exceeds the pre-authorized amount"));
        }
        tx.captured = Some(amount);
        tx.message = String::from("Approved");
        Ok(ok()
            .str("message", "Pre-authorization completed")
            .str("transaction", &id))
    }

    fn epoint_status(&mut self, fields: &Fields) -> Result<JsonObj, String> {
        let id = match (fields.str("transaction")?, fields.str("order_id")?) {
            (Some(t), _) => t,
            (None, Some(o)) => self
                .epoint
                .order_ids
                .get(&o)
                .cloned()
                .ok_or_else(|| String::from("Transaction not found"))?,
            (None, None) => return Err(String::from("Required field missing: transaction")),
        };
        let tx = self
            .epoint
            .txs
            .get(&id)
            .ok_or_else(|| String::from("Transaction not found"))?;
        let approval = tx.result.as_ref();
        let mut obj = JsonObj::new()
            .str("status", tx.status_word())
            .opt_str("code", (!tx.code.is_empty()).then_some(tx.code.as_str()))
            .str("message", &tx.message)
            .str("transaction", &tx.id)
            .opt_str(
                "bank_transaction",
                approval.map(|a| a.bank_transaction.as_str()),
            )
            .opt_str("bank_response", approval.map(|a| a.bank_response.as_str()))
            .str("operation_code", tx.operation_code())
            .opt_str("rrn", approval.map(|a| a.rrn.as_str()))
            .opt_str("card_name", approval.map(|a| a.card_name.as_str()))
            .opt_str("card_mask", approval.map(|a| a.card_mask.as_str()))
            .raw("amount", &util::major_fixed(tx.base()))
            .str_or_null("order_id", tx.order_id.as_deref())
            .raw("other_attr", tx.other_attr.as_deref().unwrap_or("null"));
        if tx.reversed > 0 {
            obj = obj.raw("reversed_amount", &util::major_fixed(tx.reversed));
        }
        if let Some(split) = tx.split_amount {
            obj = obj.raw("split_amount", &util::major_fixed(split));
        }
        if let Some(user) = &tx.split_user {
            obj = obj.str("split_user", user);
        }
        if let Some(card) = &tx.card_id {
            obj = obj.str("card_id", card);
        }
        Ok(obj)
    }

    fn epoint_card_status(&mut self, fields: &Fields) -> Result<JsonObj, String> {
        let id = fields.required("card_id")?;
        let card = self
            .epoint
            .cards
            .get(&id)
            .ok_or_else(|| String::from("Card not found"))?;
        let status = match card.status {
            CardStatus::New => "new",
            CardStatus::Active => "active",
            CardStatus::Rejected => "rejected",
        };
        let has_card = !card.pan.is_empty();
        let expired = util::expiry_mmyy(&card.expiry)
            .map(|e| format!("{}/{}", &e[..2], &e[2..]))
            .filter(|_| has_card);
        Ok(JsonObj::new()
            .str("id", &card.id)
            .str_or_null("name", has_card.then_some(card.holder.as_str()))
            .str_or_null(
                "mask",
                has_card.then(|| util::mask_pan(&card.pan, '*')).as_deref(),
            )
            .str("status", status)
            .str_or_null("expired_date", expired.as_deref())
            .str_or_null("description", card.description.as_deref())
            .num("refund", u64::from(card.refund)))
    }

    // ---- hosted page -------------------------------------------------------------------------

    pub(crate) fn epoint_page(
        &mut self,
        request: &http::Request<Vec<u8>>,
    ) -> http::Response<Vec<u8>> {
        let id = request
            .uri()
            .path()
            .strip_prefix("/epoint/pay/")
            .unwrap_or("")
            .to_owned();
        let (amount, description) = if let Some(tx) = self.epoint.txs.get(&id) {
            if tx.status != TxStatus::New || !tx.kind.hosted() {
                return crate::html_response(
                    409,
                    page::message("EPoint", "This payment is already finished."),
                );
            }
            (
                Some(format!("{} {}", util::major_fixed(tx.amount), tx.currency)),
                tx.description.clone(),
            )
        } else if let Some(card) = self.epoint.cards.get(&id).filter(|c| c.standalone) {
            if card.status != CardStatus::New {
                return crate::html_response(
                    409,
                    page::message("EPoint", "This card registration is already finished."),
                );
            }
            (
                None,
                Some(
                    card.description
                        .clone()
                        .unwrap_or_else(|| String::from("Card registration")),
                ),
            )
        } else {
            return crate::html_response(404, page::message("EPoint", "Unknown payment."));
        };
        let form = page::CardForm {
            gateway: "EPoint",
            amount,
            description,
            action: format!("/epoint/pay/{id}"),
            hidden: Vec::new(),
            cards: &[crate::cards::KAPITAL_VISA, crate::cards::DECLINE],
            save_checkbox: None,
            error: None,
        };
        match *request.method() {
            http::Method::GET => crate::html_response(200, page::card_form(&form)),
            http::Method::POST => {
                let action = crate::action_from_form(&util::form_pairs(request.body()));
                match self.complete_payment(Gateway::EPoint, &id, &action) {
                    Ok(outcome) => crate::outcome_response(&outcome),
                    Err(e) => page::error_response(&form, &e),
                }
            }
            _ => crate::text_response(405, "GET or POST"),
        }
    }

    pub(crate) fn epoint_complete(
        &mut self,
        id: &str,
        action: &CardAction,
    ) -> Result<HostedOutcome, SandboxError> {
        if !self.epoint.txs.contains_key(id) {
            return self.epoint_complete_registration(id, action);
        }
        let decision = match action {
            CardAction::Cancel => None,
            CardAction::Pay(card) => Some(Sandbox::card_decision(Gateway::EPoint, &card.pan)),
        };
        let approval = match action {
            CardAction::Pay(card) if decision == Some(CardDecision::Approve) => {
                Some(self.approval(&util::digits(&card.pan), &card.holder))
            }
            _ => None,
        };
        let tx = self
            .epoint
            .txs
            .get_mut(id)
            .ok_or_else(|| SandboxError::NotFound(id.to_owned()))?;
        if tx.status != TxStatus::New || !tx.kind.hosted() {
            return Err(SandboxError::NotPayable {
                id: id.to_owned(),
                status: tx.status_word().to_owned(),
            });
        }
        let approved = approval.is_some();
        match decision {
            Some(CardDecision::Approve) => {
                tx.status = TxStatus::Success;
                tx.code = String::from("000");
                tx.message = String::from(if tx.kind == Kind::PreAuth {
                    "Pre-authorization approved"
                } else {
                    "Approved"
                });
                tx.result = approval;
            }
            None => {
                tx.status = TxStatus::Failed;
                tx.code = String::from("180");
                tx.message = String::from("Rejected at the cardholder's request");
            }
            Some(_) => {
                tx.status = TxStatus::Failed;
                tx.code = String::from("100");
                tx.message = String::from("Declined");
            }
        }
        let tx = tx.clone();
        if let (Some(card_id), CardAction::Pay(card)) = (&tx.card_id, action) {
            if let Some(saved) = self.epoint.cards.get_mut(card_id) {
                if approved {
                    saved.status = CardStatus::Active;
                    saved.pan = util::digits(&card.pan);
                    saved.holder = card.holder.clone();
                    saved.expiry = card.expiry.clone();
                } else {
                    saved.status = CardStatus::Rejected;
                }
            }
        } else if let Some(card_id) = &tx.card_id {
            if let Some(saved) = self.epoint.cards.get_mut(card_id) {
                saved.status = CardStatus::Rejected;
            }
        }
        // The callback.
        let a = tx.result.as_ref();
        let mut obj = JsonObj::new()
            .str_or_null("order_id", tx.order_id.as_deref())
            .str("status", if approved { "success" } else { "failed" })
            .str("code", &tx.code);
        if !tx.kind.saves_card() || !approved {
            obj = obj.str("message", &tx.message);
        }
        obj = obj.str("transaction", &tx.id);
        if let Some(a) = a {
            obj = obj
                .str("bank_transaction", &a.bank_transaction)
                .str("bank_response", &a.bank_response)
                .str("operation_code", tx.operation_code())
                .str("rrn", &a.rrn)
                .str("card_name", &a.card_name)
                .str("card_mask", &a.card_mask)
                .raw("amount", &util::major_fixed(tx.amount))
                .raw("other_attr", tx.other_attr.as_deref().unwrap_or("null"));
            if let Some(split) = tx.split_amount {
                obj = obj.raw("split_amount", &util::major_fixed(split));
            }
        }
        if let Some(card_id) = &tx.card_id {
            obj = obj.str("card_id", card_id);
        }
        self.queue_callback(obj);
        let url = if approved {
            tx.success_url
                .clone()
                .or_else(|| self.config.epoint_success_redirect_url.clone())
        } else {
            tx.error_url
                .clone()
                .or_else(|| self.config.epoint_error_redirect_url.clone())
        };
        Ok(HostedOutcome {
            gateway: Gateway::EPoint,
            id: tx.id.clone(),
            approved,
            status: String::from(if approved { "success" } else { "failed" }),
            redirect: url.map(Redirect::Get).unwrap_or(Redirect::None),
        })
    }

    fn epoint_complete_registration(
        &mut self,
        id: &str,
        action: &CardAction,
    ) -> Result<HostedOutcome, SandboxError> {
        let approval = match action {
            CardAction::Pay(card)
                if Sandbox::card_decision(Gateway::EPoint, &card.pan) == CardDecision::Approve =>
            {
                Some(self.approval(&util::digits(&card.pan), &card.holder))
            }
            _ => None,
        };
        let card = self
            .epoint
            .cards
            .get_mut(id)
            .filter(|c| c.standalone)
            .ok_or_else(|| SandboxError::NotFound(id.to_owned()))?;
        if card.status != CardStatus::New {
            return Err(SandboxError::NotPayable {
                id: id.to_owned(),
                status: format!("{:?}", card.status).to_lowercase(),
            });
        }
        let approved = approval.is_some();
        if let (Some(_), CardAction::Pay(input)) = (&approval, action) {
            card.status = CardStatus::Active;
            card.pan = util::digits(&input.pan);
            card.holder = input.holder.clone();
            card.expiry = input.expiry.clone();
        } else {
            card.status = CardStatus::Rejected;
        }
        let card = card.clone();
        let mut obj = JsonObj::new()
            .str("status", if approved { "success" } else { "failed" })
            .str("code", if approved { "000" } else { "500" })
            .str(
                "message",
                if approved {
                    "Card registered"
                } else {
                    "Card registration failed"
                },
            );
        if let Some(a) = &approval {
            obj = obj
                .str("bank_transaction", &a.bank_transaction)
                .str("bank_response", &a.bank_response)
                .str("operation_code", "001")
                .str("rrn", &a.rrn)
                .str("card_name", &a.card_name)
                .str("card_mask", &a.card_mask);
        }
        obj = obj.str("card_id", &card.id);
        self.queue_callback(obj);
        let url = if approved {
            card.success_url
                .clone()
                .or_else(|| self.config.epoint_success_redirect_url.clone())
        } else {
            card.error_url
                .clone()
                .or_else(|| self.config.epoint_error_redirect_url.clone())
        };
        Ok(HostedOutcome {
            gateway: Gateway::EPoint,
            id: card.id,
            approved,
            status: String::from(if approved { "success" } else { "failed" }),
            redirect: url.map(Redirect::Get).unwrap_or(Redirect::None),
        })
    }

    fn queue_callback(&mut self, obj: JsonObj) {
        let data = util::b64_encode(obj.finish().as_bytes());
        let signature = util::epoint_signature(&self.config.epoint_private_key, &data);
        let callback = crate::Callback {
            url: self.config.epoint_result_url.clone(),
            data,
            signature,
        };
        self.push_callback(callback);
    }
}
