//! # azpay-sandbox
//!
//! A local simulator of the three gateways azpay speaks — EPoint, Kapital Bank's JSON
//! e-commerce API and the TWEC/TranzWare XML gateway — with real state: orders, statuses,
//! holds, clearings, refunds, saved cards, signed EPoint callbacks, TWEC XMLOut messages and a
//! small hosted payment page per gateway that redirects back to the merchant's URLs.
//!
//! The heart is a pure handler, [`Sandbox::handle`], that turns an `http::Request<Vec<u8>>`
//! into an `http::Response<Vec<u8>>` without sockets. It parses what it receives with its own
//! code (it does not depend on `azpay-core`), so a bug shared by a client and the simulator
//! cannot pass silently. With the `serve` feature, [`serve::serve`] runs it on 127.0.0.1 over
//! HTTP, plus HTTPS with a required client certificate for TWEC.
//!
//! Routing, by path:
//!
//! | path | gateway |
//! |---|---|
//! | `GET /api/heartbeat`, `POST /api/1/...` | EPoint |
//! | `/api/order...` (HTTP Basic auth) | Kapital JSON |
//! | `POST /Exec` (TKKPG XML) | TWEC |
//! | `/api/v3/...` (raw secret key in `Authorization`) | Payriff |
//! | `/epoint/pay/{id}`, `/flex?id=&password=`, `/twec/index.jsp?ORDERID=&SESSIONID=`, `/payriff/pay/{orderId}` | hosted payment pages |
//!
//! Test credentials are in [`credentials`], test cards in [`cards`]: on the hosted pages EPoint
//! accepts any well-formed card, Kapital its two test cards, TWEC its one test card, and
//! [`cards::DECLINE`] (`4000000000000002`) is always declined. Expiry and CVV are only checked
//! for shape.
//!
//! ## What is simulated
//!
//! - **EPoint**: form (or JSON) `data`+`signature` verified with the merchant's private key
//!   (`{"status":"server_error","message":"Signature did not match"}` otherwise, HTTP 200 as
//!   always); `/request`, `/checkout` (302 to the page), `/pre-auth-request`,
//!   `/pre-auth-complete` (capture ≤ hold, once), `/split-request`, `/card-registration`
//!   (`refund` 0/1), `/card-registration-with-pay`, `/split-card-registration-with-pay`,
//!   `/execute-pay`, `/split-execute-pay`, `/refund-request` (payout, only to a card
//!   registered with `refund: 1`; such cards cannot be charged), `/reverse` (full or partial,
//!   never more than paid), `/get-status` (by `transaction` or `order_id`: `new`, `success`,
//!   `returned`, `error`), `/get-status-card`, `/token/widget`, `/wallet/status`,
//!   `GET /api/heartbeat`. `order_id` is unique. The hosted page redirects (302) to the
//!   request's or the configured success/error URL and queues a signed callback
//!   ([`Sandbox::take_callbacks`]; POSTed to the result URL in serve mode).
//! - **Kapital JSON**: Basic auth (`401 InvalidLogin`); `POST /api/order` for `Order_SMS`,
//!   `Order_DMS`, `Order_REC`, `DMSN3D`, `OCT`; `GET /api/order/{id}` (summary, or detailed
//!   with `trans[]`, `srcToken`, `storedTokens[]` when any `…DetailLevel` is given);
//!   `exec-tran` per phase (Clearing after Authorized, Single Refund after FullyPaid, voids per
//!   phase, partial void once, saved-card charge after `set-src-token`, Credit after
//!   `set-dst-token`); `set-src-token`/`set-dst-token` with `?password=`. Errors are
//!   un-enveloped `{"errorCode","errorDescription"}`: 404 `ServiceError` "no order found";
//!   400 `InvalidRequest`, `InvalidAmt`, `InvalidOrderState`, `InvalidToken`, and
//!   `PmoDecline` with `errorDetails` for the decline card. The `/flex` page redirects to
//!   `hppRedirectUrl?ID=…&STATUS=…`; cards are stored when the order asked `aut: AddCard` or the
//!   "save" box is ticked, under an id of their own (`storedTokens[].id`), and `set-src-token`
//!   makes a new paying token from it, as the real platform does. [`KapitalSettings`] sends
//!   errors with HTTP 200 or leaves `pmoResultCode` out; the `KAPITAL_AMOUNT_*` amounts of
//!   [`cards`] give an HTML 500 after executing, an unknown status word, `PartPaid`, `Refused`.
//! - **TWEC**: `POST /Exec` TKKPG XML read case-insensitively, DOCTYPE refused; `CreateOrder`
//!   (`Purchase`/`PreAuth`), `GetOrderStatus`, `GetOrderInformation` (the `<row>` shape),
//!   `Completion`, `Reverse`, `Refund` (Kapital form with `TranId` = TwoId, or the generic
//!   form). `Status` 30 for malformed or missing fields, 10 for an unknown merchant, order or
//!   session, 54 for an unknown operation or one the order's state does not allow, 96 when
//!   the sandbox is full. The `index.jsp` page answers with an auto-posting form carrying
//!   `xmlmsg` (plain XMLOut XML) to the ApproveURL, DeclineURL or CancelURL.
//! - **Payriff**: the raw secret key (`14013` absent, `14010` wrong); every answer in the
//!   envelope `{code, message, route, responseId, payload}`, errors with HTTP 200 (`15400`
//!   invalid parameters, `01000` a rejected refund/capture/expiry) except an unknown order,
//!   card or RRN (HTTP 404, `15000`). `POST /api/v3/orders` (`PURCHASE`/`PRE_AUTH`, `cardSave`,
//!   `X-REQUEST-RRN`, a used RRN refused), `GET /orders/{id}`, `/status`, `/{rrn}/rrn`,
//!   `PATCH /expire-status` (unpaid only), `POST /refund` (full or partial, never more than
//!   paid), `POST /complete` (≤ hold, once; the rest released), `POST /autoPay` (a saved card;
//!   0.51 declines), `cards/save` (a 0.10 verification order, `VERIFIED` once paid), saved-card
//!   list and delete, `GET /transactions` (paged, ≤ 20). The page `/payriff/pay/{orderId}`
//!   takes [`cards::PAYRIFF`], redirects to `redirectUrl?orderId=…` and queues the unsigned
//!   JSON callback for `callbackUrl` ([`Sandbox::take_payriff_callbacks`]; POSTed in serve mode).
//!
//! Not simulated: 3-D Secure steps, Apple/Google Pay (`/token/payment`, `googlePayBlock`),
//! EPoint invoices and wallet payments, installments, expiring orders, XML-DSig on `xmlmsg`,
//! currencies other than AZN/944. Numbers the real gateways leave open (HTTP status of most
//! Kapital errors, TWEC statuses after a reversal) follow the choices written above.
//!
//! ## Example: an EPoint payment without sockets
//!
//! ```
//! use azpay_sandbox::{cards, Card, CardAction, Gateway, Sandbox, SandboxConfig};
//! use base64::Engine as _;
//! use sha1::Digest as _;
//!
//! let config = SandboxConfig::default();
//! let mut sandbox = Sandbox::new(config.clone());
//!
//! // What an EPoint client sends: data = base64(json), signature = base64(sha1(k + data + k)).
//! let json = r#"{"public_key":"i000000001","amount":"10.50","currency":"AZN","language":"az","order_id":"o-1"}"#;
//! let data = base64::engine::general_purpose::STANDARD.encode(json);
//! let key = &config.epoint_private_key;
//! let digest = sha1::Sha1::digest(format!("{key}{data}{key}").as_bytes());
//! let signature = base64::engine::general_purpose::STANDARD.encode(digest);
//! let body = form_urlencoded::Serializer::new(String::new())
//!     .append_pair("data", &data)
//!     .append_pair("signature", &signature)
//!     .finish();
//! let request = http::Request::post("http://127.0.0.1/api/1/request")
//!     .header("content-type", "application/x-www-form-urlencoded")
//!     .body(body.into_bytes())
//!     .unwrap();
//! let response = sandbox.handle(&request);
//! let reply: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
//! assert_eq!(reply["status"], "success");
//! let transaction = reply["transaction"].as_str().unwrap();
//!
//! // Act as the cardholder on the hosted page.
//! let outcome = sandbox
//!     .complete_payment(Gateway::EPoint, transaction, &CardAction::Pay(Card::new(cards::KAPITAL_VISA)))
//!     .unwrap();
//! assert!(outcome.approved);
//! // A signed callback for the merchant's result URL is waiting in the outbox.
//! let callbacks = sandbox.take_callbacks();
//! assert_eq!(callbacks.len(), 1);
//! assert_eq!(sandbox.executed(Gateway::EPoint, "request"), 1);
//! ```
//!
//! ## Example: a Kapital order
//!
//! ```
//! use azpay_sandbox::{cards, Card, CardAction, Gateway, Sandbox};
//! use base64::Engine as _;
//!
//! let mut sandbox = Sandbox::default();
//! let auth = format!(
//!     "Basic {}",
//!     base64::engine::general_purpose::STANDARD.encode("TerminalSys/kapital:kapital123")
//! );
//! let create = http::Request::post("http://127.0.0.1/api/order")
//!     .header("authorization", &auth)
//!     .header("content-type", "application/json")
//!     .body(br#"{"order":{"typeRid":"Order_SMS","amount":"5","currency":"AZN","language":"az","description":"t","hppRedirectUrl":"https://shop.example/back"}}"#.to_vec())
//!     .unwrap();
//! let reply: serde_json::Value = serde_json::from_slice(sandbox.handle(&create).body()).unwrap();
//! let id = reply["order"]["id"].to_string();
//! let outcome = sandbox
//!     .complete_payment(Gateway::Kapital, &id, &CardAction::Pay(Card::new(cards::KAPITAL_VISA)))
//!     .unwrap();
//! assert_eq!(outcome.status, "FullyPaid");
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::collections::{BTreeMap, VecDeque};
use std::fmt;

mod azericard;
mod config;
mod epoint;
mod kapital;
mod page;
mod payriff;
mod respond;
mod routing;
mod twec;
mod util;
mod xml;

pub mod cards;
pub mod credentials;
pub mod fault;
#[cfg(feature = "serve")]
pub mod serve;

pub use azericard::{
    AzericardSettings, TEST_GATEWAY_PRIVATE_KEY_PEM, TEST_GATEWAY_PUBLIC_KEY_PEM,
    TEST_MERCHANT_PRIVATE_KEY_PEM, TEST_MERCHANT_PUBLIC_KEY_PEM,
};
pub use config::SandboxConfig;
pub use kapital::KapitalSettings;
pub use twec::TwecSettings;
/// EPoint's sandbox settings (see [`SandboxConfig::with_epoint`]).
pub mod epoint_settings {
    pub use crate::epoint::settings::{
        AmountForm, CallbackEncoding, EPointSettings, MULTIPART_BOUNDARY,
    };
}
pub use payriff::settings::PayriffSettings;
pub use payriff::PayriffCallback;

/// One of the simulated gateways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gateway {
    /// EPoint (`/api/1/...`).
    EPoint,
    /// Kapital Bank JSON API (`/api/order...`).
    Kapital,
    /// TWEC / TranzWare XML (`/Exec`).
    Twec,
    /// Payriff (`/api/v3/...`).
    Payriff,
    /// Azericard MPI.
    Azericard,
}

impl Gateway {
    /// `"epoint"`, `"kapital"` or `"twec"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Gateway::EPoint => "epoint",
            Gateway::Kapital => "kapital",
            Gateway::Twec => "twec",
            Gateway::Payriff => "payriff",
            Gateway::Azericard => "azericard",
        }
    }
}

impl fmt::Display for Gateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Card details the cardholder types on a hosted page.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Card {
    /// Card number (digits; spaces are ignored).
    pub pan: String,
    /// Expiry, `MM/YY`.
    pub expiry: String,
    /// CVV2/CVC2.
    pub cvv: String,
    /// Name on the card.
    pub holder: String,
    /// Tick "save my card" (Kapital; EPoint saves cards by the request type instead).
    pub save: bool,
}

impl Card {
    /// A card with the given number and a plausible expiry, CVV and holder.
    pub fn new(pan: impl Into<String>) -> Self {
        Card {
            pan: pan.into(),
            expiry: String::from("12/30"),
            cvv: String::from("123"),
            holder: String::from("TEST CARDHOLDER"),
            save: false,
        }
    }

    /// Ticks (or unticks) "save my card".
    pub fn save(mut self, save: bool) -> Self {
        self.save = save;
        self
    }
}

/// What the cardholder does on the hosted page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardAction {
    /// Submit a card.
    Pay(Card),
    /// Press "cancel".
    Cancel,
}

/// Where the hosted page sends the cardholder's browser next.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Redirect {
    /// No merchant URL is known: the page shows the result itself.
    None,
    /// A `302` to this URL (EPoint success/error URL; Kapital `hppRedirectUrl?ID=&STATUS=`).
    Get(String),
    /// An auto-submitted HTML form POST (TWEC: `xmlmsg` to ApproveURL/DeclineURL/CancelURL).
    PostForm {
        /// The form's action URL.
        url: String,
        /// The form fields, in order.
        fields: Vec<(String, String)>,
    },
}

/// The result of a hosted-page payment.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HostedOutcome {
    /// The gateway.
    pub gateway: Gateway,
    /// The order/transaction id as the gateway names it.
    pub id: String,
    /// `true` when the payment (or card registration) was approved.
    pub approved: bool,
    /// The status after the payment, as the gateway writes it (`success`/`failed`,
    /// `FullyPaid`/`Authorized`/`Declined`/`Cancelled`, `APPROVED`/`PREAUTH-APPROVED`/...).
    pub status: String,
    /// The browser's next step.
    pub redirect: Redirect,
}

/// A signed EPoint callback waiting for delivery to the merchant's `result_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Callback {
    /// The `result_url` it is addressed to, if one is configured.
    pub url: Option<String>,
    /// `base64(json)`.
    pub data: String,
    /// `base64(sha1_raw(private_key + data + private_key))`.
    pub signature: String,
}

impl Callback {
    /// The form body EPoint POSTs: `data=…&signature=…` (`application/x-www-form-urlencoded`).
    pub fn form_body(&self) -> String {
        util::form_encode(&[("data", &self.data), ("signature", &self.signature)])
    }

    /// The decoded JSON text of `data`.
    pub fn json(&self) -> Option<String> {
        util::b64_decode(&self.data).and_then(|b| String::from_utf8(b).ok())
    }
}

/// Why [`Sandbox::complete_payment`] could not act.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SandboxError {
    /// No such order/transaction.
    NotFound(String),
    /// The order exists but is not waiting for the cardholder (already paid, cancelled, or a
    /// type that has no hosted page).
    NotPayable {
        /// The order id.
        id: String,
        /// Its current status.
        status: String,
    },
    /// The card form was incomplete or malformed.
    InvalidCard(String),
}

impl fmt::Display for SandboxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SandboxError::NotFound(id) => write!(f, "no order or transaction {id}"),
            SandboxError::NotPayable { id, status } => {
                write!(f, "{id} is not waiting for payment (status {status})")
            }
            SandboxError::InvalidCard(reason) => write!(f, "invalid card: {reason}"),
        }
    }
}

impl std::error::Error for SandboxError {}

/// The most callbacks kept in the outbox; older ones are dropped first.
const MAX_CALLBACKS: usize = 1000;
/// Largest request body accepted.
pub const MAX_BODY: usize = 1 << 20;

/// The simulator. See the [crate docs](crate).
#[derive(Debug)]
pub struct Sandbox {
    config: SandboxConfig,
    epoint: epoint::State,
    kapital: kapital::State,
    twec: twec::State,
    payriff: payriff::State,
    handled_payriff: u64,
    azericard: azericard::State,
    counters: BTreeMap<(Gateway, &'static str), u64>,
    callbacks: VecDeque<Callback>,
    rng: util::Rng,
    handled: u64,
}

impl Default for Sandbox {
    fn default() -> Self {
        Sandbox::new(SandboxConfig::default())
    }
}

/// Result of a card check on a hosted page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CardDecision {
    Approve,
    /// The always-decline card.
    Decline,
    /// A card the gateway's test environment does not know.
    Unknown,
}

impl Sandbox {
    /// A new, empty sandbox.
    pub fn new(config: SandboxConfig) -> Self {
        let rng = util::Rng::new(config.seed);
        let offset = config.id_offset.unwrap_or_else(per_run_id_offset);
        Sandbox {
            config,
            epoint: epoint::State::with_id_offset(offset),
            kapital: kapital::State::with_id_offset(offset),
            twec: twec::State::with_id_offset(offset),
            payriff: payriff::State::with_id_offset(offset),
            handled_payriff: 0,
            azericard: azericard::State::default(),
            counters: BTreeMap::new(),
            callbacks: VecDeque::new(),
            rng,
            handled: 0,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &SandboxConfig {
        &self.config
    }

    /// Changes the public base URL written into new hosted-page URLs.
    pub fn set_base_url(&mut self, base_url: impl Into<String>) {
        let config = std::mem::take(&mut self.config);
        self.config = config.with_base_url(base_url);
    }

    /// Changes where EPoint callbacks are addressed (new callbacks only).
    pub fn set_epoint_result_url(&mut self, url: Option<String>) {
        self.config.epoint_result_url = url;
    }

    /// How many requests this sandbox has answered.
    pub fn handled(&self) -> u64 {
        self.handled
    }

    /// How many times `operation` of `gateway` was executed: authenticated, routed requests,
    /// whatever their business outcome. Operation names: EPoint's endpoint names (`request`,
    /// `get-status`, `reverse`, `token/widget`, ...); Kapital's `create-order`, `get-order`,
    /// `exec-tran`, `set-src-token`, `set-dst-token`; TWEC's operation names (`CreateOrder`,
    /// `GetOrderStatus`, `Refund`, ...); and `hosted-page` for every completed hosted payment.
    pub fn executed(&self, gateway: Gateway, operation: &str) -> u64 {
        self.counters
            .iter()
            .find(|((g, op), _)| *g == gateway && *op == operation)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    }

    /// Drains the EPoint callbacks produced since the last call, oldest first.
    pub fn take_callbacks(&mut self) -> Vec<Callback> {
        self.callbacks.drain(..).collect()
    }

    /// Acts as the cardholder on a hosted page without HTML. `id` is the EPoint transaction
    /// (`te…`) or card id (`ce…`, for `/card-registration`), the Kapital order id, or the TWEC
    /// `OrderID`.
    pub fn complete_payment(
        &mut self,
        gateway: Gateway,
        id: &str,
        action: &CardAction,
    ) -> Result<HostedOutcome, SandboxError> {
        if let CardAction::Pay(card) = action {
            if !util::valid_pan(&card.pan) {
                return Err(SandboxError::InvalidCard(String::from(
                    "the card number must have 12 to 19 digits",
                )));
            }
            if util::expiry_mmyy(&card.expiry).is_none() {
                return Err(SandboxError::InvalidCard(String::from(
                    "the expiry must be MM/YY",
                )));
            }
            let cvv = util::digits(&card.cvv);
            if !(3..=4).contains(&cvv.len()) || cvv.len() != card.cvv.len() {
                return Err(SandboxError::InvalidCard(String::from(
                    "the CVV must have 3 or 4 digits",
                )));
            }
        }
        let outcome = match gateway {
            Gateway::EPoint => self.epoint_complete(id, action),
            Gateway::Kapital => self.kapital_complete(id, action),
            Gateway::Twec => self.twec_complete(id, action),
            Gateway::Payriff => self.payriff_complete_page(id, action),
            Gateway::Azericard => self.azericard_complete(id, action),
        }?;
        self.count(gateway, "hosted-page");
        Ok(outcome)
    }

    pub(crate) fn count(&mut self, gateway: Gateway, operation: &'static str) {
        *self.counters.entry((gateway, operation)).or_insert(0) += 1;
    }

    pub(crate) fn push_callback(&mut self, callback: Callback) {
        if self.callbacks.len() >= MAX_CALLBACKS {
            self.callbacks.pop_front();
        }
        self.callbacks.push_back(callback);
    }

    pub(crate) fn now_unix(&self) -> u64 {
        self.config.fixed_time.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        })
    }

    pub(crate) fn now(&self) -> util::DateTime {
        util::DateTime::from_unix(self.now_unix())
    }

    pub(crate) fn card_decision(gateway: Gateway, pan: &str) -> CardDecision {
        let pan = util::digits(pan);
        if pan == cards::DECLINE {
            return CardDecision::Decline;
        }
        let known: &[&str] = match gateway {
            Gateway::EPoint => return CardDecision::Approve,
            Gateway::Kapital => &[cards::KAPITAL_VISA, cards::KAPITAL_MASTERCARD],
            Gateway::Twec => &[cards::TWEC],
            Gateway::Payriff => &[cards::PAYRIFF],
            Gateway::Azericard => &[
                cards::AZERICARD_VISA,
                cards::AZERICARD_MASTERCARD,
                cards::AZERICARD_VISA_2,
            ],
        };
        if known.contains(&pan.as_str()) {
            CardDecision::Approve
        } else {
            CardDecision::Unknown
        }
    }
}

/// A fresh offset for the ids of one sandbox: random thousands (from the clock and the
/// standard library's randomly keyed hasher) plus the number of sandboxes this process has
/// created, so that two sandboxes made one after another always differ. Below 99 000 000, so
/// every id keeps its width (`te` and nine digits).
fn per_run_id_offset() -> u64 {
    use std::hash::BuildHasher;
    use std::sync::atomic::{AtomicU64, Ordering};
    static CREATED: AtomicU64 = AtomicU64::new(0);
    let created = CREATED.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let random = std::collections::hash_map::RandomState::new().hash_one(nanos);
    (random % 99_000) * 1000 + created % 1000
}
