//! The result Azericard posts to `BACKREF`: [`verify_callback`] checks `P_SIGN` with
//! Azericard's public key and yields an [`UnverifiedCallback`], still only a claim about the
//! order until a status query ([`UnverifiedCallback::status_query`]) confirms it.

use std::fmt;

use subtle::ConstantTimeEq;

use super::codes::{Action, Rc, TrType};
use super::config::Config;
use super::ops::GetStatus;
use super::outcome::TransactionStatus;
use super::sign::{hex_decode, hmac_sha1, legacy_key_bytes, mac_source};
use super::wire;

/// The most bytes [`verify_callback`] reads.
pub const MAX_CALLBACK_BYTES: usize = 64 * 1024;

/// Why a callback was refused. Nothing of its content is shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// The body is longer than [`MAX_CALLBACK_BYTES`].
    #[error("the callback is longer than {MAX_CALLBACK_BYTES} bytes")]
    TooLarge,
    /// The body is empty.
    #[error("the callback body is empty")]
    Empty,
    /// A field appears more than once.
    #[error("the callback's `{0}` field appears more than once")]
    Duplicated(String),
    /// A field the check needs is missing (`P_SIGN`, `ORDER`, `TRTYPE`).
    #[error("the callback has no `{0}` field")]
    Missing(&'static str),
    /// `P_SIGN` is not hex.
    #[error("the callback's `P_SIGN` is not hex")]
    MalformedSignature,
    /// No gateway key is configured (`Config::gateway_key`), so nothing can be verified.
    #[error(
        "no Azericard public key is configured (`azericard::Config::gateway_key`, \
         AZERICARD_GATEWAY_PUBLIC_KEY_PATH): the callback cannot be verified"
    )]
    NoGatewayKey,
    /// The signature does not match the received fields.
    #[error("the callback's P_SIGN does not verify: forged or altered")]
    Mismatch,
    /// A signed field does not have its documented format (which the MAC's one reading
    /// depends on).
    #[error("the callback's `{0}` does not have its documented format")]
    Malformed(&'static str),
    /// The callback names another terminal than the configured one.
    #[error("the callback is for another TERMINAL than the configured one")]
    OtherTerminal,
}

/// The fields of the verified MAC: `AMOUNT, TERMINAL, APPROVAL, RRN, INT_REF` (PROVIDERS.md
/// §2.4, §2.6).
pub const CALLBACK_MAC_FIELDS: [&str; 5] = ["AMOUNT", "TERMINAL", "APPROVAL", "RRN", "INT_REF"];

/// The legacy scheme's callback MAC fields (HMAC-SHA1 terminals).
pub const LEGACY_CALLBACK_MAC_FIELDS: [&str; 12] = [
    "TERMINAL",
    "TRTYPE",
    "ORDER",
    "AMOUNT",
    "CURRENCY",
    "ACTION",
    "RC",
    "APPROVAL",
    "RRN",
    "INT_REF",
    "TIMESTAMP",
    "NONCE",
];

/// Whether `s` is `min..=max` ASCII digits.
fn digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks a `BACKREF` post (the form body as received) with Azericard's public key: the MAC
/// source is rebuilt from the received strings of `AMOUNT, TERMINAL, APPROVAL, RRN, INT_REF`
/// (`-` for an empty or absent one), `P_SIGN` is hex-decoded and the RSA-SHA256 signature
/// verified. Nothing of the body is interpreted before that (the legacy scheme compares its
/// HMAC in constant time).
///
/// What that signature covers is only the amount and the bank's references: not `ORDER`,
/// `ACTION`, `RC` or `TRTYPE`. The result is therefore an [`UnverifiedCallback`], with no
/// accessor for "paid"; the status query it hands out decides.
///
/// After the signature, the signed values must have their documented formats (AMOUNT a
/// decimal of at most 12 characters, TERMINAL the configured one, APPROVAL at most 6 letters
/// or digits, RRN empty or 12 digits, INT_REF letters and digits): the MAC format alone is
/// ambiguous for arbitrary values, these formats leave it one reading.
///
/// # Errors
///
/// [`CallbackError`]: too large, empty, a duplicated field, no or non-hex `P_SIGN`, no
/// gateway key configured, a signature that does not verify, a signed value out of format,
/// another terminal.
pub fn verify_callback(config: &Config, body: &[u8]) -> Result<UnverifiedCallback, CallbackError> {
    if body.len() > MAX_CALLBACK_BYTES {
        return Err(CallbackError::TooLarge);
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(CallbackError::Empty);
    }
    let pairs = wire::unique_form(body).map_err(CallbackError::Duplicated)?;
    let get = |name: &str| -> &str {
        pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map_or("", |(_, v)| v.as_str())
    };
    let p_sign = get("P_SIGN").trim();
    if p_sign.is_empty() {
        return Err(CallbackError::Missing("P_SIGN"));
    }
    let signature = hex_decode(p_sign).ok_or(CallbackError::MalformedSignature)?;
    let verified = match config.legacy_key() {
        Some(key) => {
            let source = mac_source(LEGACY_CALLBACK_MAC_FIELDS.iter().map(|f| get(f)));
            let key = legacy_key_bytes(key);
            let mac = hmac_sha1(&key, source.as_bytes());
            !key.is_empty() && bool::from(mac[..].ct_eq(&signature[..]))
        }
        None => {
            let verifier = config.verifier().ok_or(CallbackError::NoGatewayKey)?;
            let source = mac_source(CALLBACK_MAC_FIELDS.iter().map(|f| get(f)));
            verifier.verify(source.as_bytes(), &signature)
        }
    };
    if !verified {
        return Err(CallbackError::Mismatch);
    }
    // The MAC format alone is ambiguous for arbitrary values (a value may start with digits
    // that read as a length): the signed values must have their documented formats, which
    // leave exactly one reading (tests/prop_azericard.rs).
    let amount = get("AMOUNT");
    let amount_ok = amount.len() <= 12
        && match amount.split_once('.') {
            Some((i, d)) => digits(i, 1, 12) && digits(d, 1, 2),
            None => digits(amount, 1, 12),
        };
    if !amount_ok {
        return Err(CallbackError::Malformed("AMOUNT"));
    }
    if get("TERMINAL") != config.terminal() {
        return Err(CallbackError::OtherTerminal);
    }
    let approval = get("APPROVAL");
    if approval.len() > 6 || !approval.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(CallbackError::Malformed("APPROVAL"));
    }
    let rrn = get("RRN");
    if !(rrn.is_empty() || digits(rrn, 12, 12)) {
        return Err(CallbackError::Malformed("RRN"));
    }
    let int_ref = get("INT_REF");
    if int_ref.len() > 128 || !int_ref.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(CallbackError::Malformed("INT_REF"));
    }
    let field = |name: &str| get(name).to_owned();
    let order = field("ORDER");
    if order.is_empty() {
        return Err(CallbackError::Missing("ORDER"));
    }
    if get("TRTYPE").is_empty() {
        return Err(CallbackError::Missing("TRTYPE"));
    }
    Ok(UnverifiedCallback {
        terminal: field("TERMINAL"),
        trtype: TrType::parse(get("TRTYPE")),
        order,
        amount: field("AMOUNT"),
        currency: field("CURRENCY"),
        action: Action::parse(get("ACTION")),
        rc: Rc::parse(get("RC")),
        approval: field("APPROVAL"),
        rrn: field("RRN"),
        int_ref: field("INT_REF"),
        timestamp: field("TIMESTAMP"),
        nonce: field("NONCE"),
    })
}

/// A `BACKREF` post whose signature verified: the amount and bank references are
/// Azericard's, but the order it names and the outcome it claims (`ACTION`, `RC`) are not
/// covered by the signature. It has no "paid" accessor; the only way to a trusted status is
/// [`UnverifiedCallback::status_query`] (TRTYPE 90), whose answer
/// [`UnverifiedCallback::claim_matches`] compares with the claim.
///
/// ```compile_fail
/// fn paid(c: &azpay_core::azericard::UnverifiedCallback) -> bool { c.is_paid() }
/// ```
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnverifiedCallback {
    terminal: String,
    trtype: TrType,
    order: String,
    amount: String,
    currency: String,
    action: Action,
    rc: Rc,
    approval: String,
    rrn: String,
    int_ref: String,
    timestamp: String,
    nonce: String,
}

impl UnverifiedCallback {
    /// `ORDER` as posted (not covered by the signature).
    pub fn order(&self) -> &str {
        &self.order
    }
    /// `TRTYPE` as posted (not covered by the signature).
    pub fn trtype(&self) -> &TrType {
        &self.trtype
    }
    /// `ACTION` as posted: a claim (not covered by the signature).
    pub fn claimed_action(&self) -> &Action {
        &self.action
    }
    /// `RC` as posted: a claim (not covered by the signature).
    pub fn claimed_rc(&self) -> &Rc {
        &self.rc
    }
    /// `AMOUNT` as posted and signed (may include the acquirer's fee).
    pub fn amount_text(&self) -> &str {
        &self.amount
    }
    /// `CURRENCY` as posted.
    pub fn currency(&self) -> &str {
        &self.currency
    }
    /// `TERMINAL` (signed).
    pub fn terminal(&self) -> &str {
        &self.terminal
    }
    /// `APPROVAL` (signed; empty on a decline).
    pub fn approval(&self) -> &str {
        &self.approval
    }
    /// `RRN` (signed; empty on a decline).
    pub fn rrn(&self) -> &str {
        &self.rrn
    }
    /// `INT_REF` (signed; empty on a decline).
    pub fn int_ref(&self) -> &str {
        &self.int_ref
    }
    /// `TIMESTAMP` as posted.
    pub fn timestamp(&self) -> &str {
        &self.timestamp
    }
    /// `NONCE` as posted (deduplicate callbacks on it with [`crate::dedupe`]).
    pub fn nonce(&self) -> &str {
        &self.nonce
    }

    /// The query that decides: TRTYPE 90 for this `ORDER` and `TRTYPE`.
    pub fn status_query(&self) -> GetStatus {
        GetStatus::new(self.order.clone()).tran_trtype(self.trtype.clone())
    }

    /// Whether the status (from [`UnverifiedCallback::status_query`]) confirms this callback:
    /// the same order (when the reply names one), the same `RRN` and `INT_REF` (when it names
    /// them), and the same `ACTION`.
    pub fn claim_matches(&self, status: &TransactionStatus) -> bool {
        let same = |reply: &Option<String>, ours: &str| reply.as_deref().is_none_or(|r| r == ours);
        same(&status.order, &self.order)
            && same(&status.rrn, &self.rrn)
            && same(&status.int_ref, &self.int_ref)
            && status.action == self.action
    }
}

impl fmt::Debug for UnverifiedCallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnverifiedCallback")
            .field("order", &self.order)
            .field("trtype", &self.trtype)
            .field("claimed_action", &self.action)
            .field("claimed_rc", &self.rc)
            .field("amount", &self.amount)
            .field("rrn", &self.rrn)
            .field("int_ref", &self.int_ref)
            .finish_non_exhaustive()
    }
}
