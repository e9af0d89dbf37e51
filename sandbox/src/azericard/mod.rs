//! The Azericard simulator (MPI `cgi_link`): the payment form (TRTYPE 0/1) opens a hosted
//! page that posts a signed `BACKREF` through the browser; completions (21), reversals
//! (22/24) and status (90) are answered as the gateway does. Every request's `P_SIGN` is
//! checked with the merchant's public key (RSA-SHA256 over the document's MAC fields),
//! `TIMESTAMP` must be within the skew allowed and `NONCE` never seen before.
//!
//! Its own parsers and signer (ring), never the core's.

mod api;
mod page;
mod settings;

use std::collections::{BTreeMap, HashSet, VecDeque};

use ring::signature::{self, RsaKeyPair};

pub use settings::{
    AzericardSettings, TEST_GATEWAY_PRIVATE_KEY_PEM, TEST_GATEWAY_PUBLIC_KEY_PEM,
    TEST_MERCHANT_PRIVATE_KEY_PEM, TEST_MERCHANT_PUBLIC_KEY_PEM,
};

use crate::respond::text_response;
use crate::{util, Sandbox};

/// How many nonces are remembered (oldest forgotten first).
const MAX_NONCES: usize = 100_000;

/// A payment (TRTYPE 0 or 1) and what happened to it since.
#[derive(Debug, Clone)]
pub(crate) struct Order {
    pub(crate) trtype: String,
    pub(crate) amount: String,
    pub(crate) currency: String,
    pub(crate) description: String,
    pub(crate) backref: String,
    pub(crate) status: Status,
    pub(crate) rrn: String,
    pub(crate) int_ref: String,
    pub(crate) approval: String,
    pub(crate) card: String,
    pub(crate) completed: bool,
    pub(crate) reversed: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Waiting on the hosted page.
    New,
    Approved,
    Declined,
}

/// The simulator's state.
#[derive(Default)]
pub(crate) struct State {
    pub(crate) orders: BTreeMap<String, Order>,
    /// Hosted-page session id → ORDER.
    pub(crate) sessions: BTreeMap<String, String>,
    nonces: HashSet<String>,
    nonce_order: VecDeque<String>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("azericard::State")
            .field("orders", &self.orders.len())
            .finish_non_exhaustive()
    }
}

impl State {
    /// Remembers `nonce`; `false` if it was seen before.
    fn fresh_nonce(&mut self, nonce: &str) -> bool {
        if self.nonces.contains(nonce) {
            return false;
        }
        if self.nonce_order.len() >= MAX_NONCES {
            if let Some(old) = self.nonce_order.pop_front() {
                self.nonces.remove(&old);
            }
        }
        self.nonces.insert(nonce.to_owned());
        self.nonce_order.push_back(nonce.to_owned());
        true
    }
}

/// The MAC source: each value's byte length then the value, `-` for an empty one.
pub(crate) fn mac(values: &[&str]) -> String {
    let mut s = String::new();
    for v in values {
        if v.is_empty() {
            s.push('-');
        } else {
            s.push_str(&format!("{}{v}", v.len()));
        }
    }
    s
}

fn pem_der(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::trim)
        .collect();
    util::b64_decode(&body)
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len() / 2)
        .map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

/// Why a request was refused, and the bare code the gateway answers with.
pub(crate) enum Refusal {
    /// `2`: a missing or wrong parameter (also a stale `TIMESTAMP`).
    Parameter(String),
    /// `3`: `P_SIGN` does not verify.
    Signature,
    /// `1`: a reused `NONCE` (a replay) or a repeated operation.
    Duplicate(String),
}

impl Refusal {
    fn code(&self) -> &'static str {
        match self {
            Refusal::Parameter(_) => "2",
            Refusal::Signature => "3",
            Refusal::Duplicate(_) => "1",
        }
    }

    pub(crate) fn message(&self) -> String {
        match self {
            Refusal::Parameter(m) => format!("wrong parameter: {m}"),
            Refusal::Signature => String::from("wrong P_SIGN"),
            Refusal::Duplicate(m) => format!("duplicate: {m}"),
        }
    }

    pub(crate) fn response(&self) -> http::Response<Vec<u8>> {
        text_response(200, self.code())
    }
}

/// Seconds since the epoch of a `YYYYMMDDHHMMSS` UTC timestamp.
fn unix_of(ts: &str) -> Option<u64> {
    if ts.len() != 14 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| ts[r].parse::<i64>().ok();
    let (y, m, d) = (n(0..4)?, n(4..6)?, n(6..8)?);
    let (hh, mm, ss) = (n(8..10)?, n(10..12)?, n(12..14)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hh * 3600 + mm * 60 + ss).ok()
}

impl Sandbox {
    /// `YYYYMMDDHHMMSS` of the sandbox's clock.
    pub(crate) fn azericard_timestamp(&self) -> String {
        let t = self.now();
        format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}",
            t.year, t.month, t.day, t.hour, t.minute, t.second
        )
    }

    /// Checks `P_SIGN` over `mac_fields` (values taken from `form`), the timestamp's skew
    /// and the nonce's freshness.
    pub(crate) fn azericard_check(
        &mut self,
        form: &[(String, String)],
        mac_fields: &[&str],
    ) -> Result<(), Refusal> {
        let get = |k: &str| util::form_get(form, k).unwrap_or("");
        if get("TERMINAL") != self.config.azericard.terminal {
            return Err(Refusal::Parameter(String::from("unknown TERMINAL")));
        }
        let values: Vec<&str> = mac_fields.iter().map(|f| get(f)).collect();
        let source = mac(&values);
        let sig = unhex(get("P_SIGN")).ok_or(Refusal::Signature)?;
        let key =
            pem_der(&self.config.azericard.merchant_public_key_pem).ok_or(Refusal::Signature)?;
        signature::UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, key)
            .verify(source.as_bytes(), &sig)
            .map_err(|_| Refusal::Signature)?;
        let ts = unix_of(get("TIMESTAMP"))
            .ok_or_else(|| Refusal::Parameter(String::from("TIMESTAMP is not YYYYMMDDHHMMSS")))?;
        if ts.abs_diff(self.now_unix()) > self.config.azericard.max_skew_secs {
            return Err(Refusal::Parameter(String::from(
                "TIMESTAMP is more than an hour from the gateway's clock",
            )));
        }
        let nonce = get("NONCE");
        if nonce.len() < 16 || nonce.len() > 64 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Refusal::Parameter(String::from(
                "NONCE is not 8 to 32 bytes of hex",
            )));
        }
        if !self.azericard.fresh_nonce(nonce) {
            return Err(Refusal::Duplicate(String::from("NONCE was used before")));
        }
        Ok(())
    }

    /// The gateway's `P_SIGN` over `source` (hex), or `None` if the key does not load.
    pub(crate) fn azericard_sign(&self, source: &str) -> Option<String> {
        let der = pem_der(&self.config.azericard.gateway_private_key_pem)?;
        let key = RsaKeyPair::from_pkcs8(&der).ok()?;
        let mut sig = vec![0u8; key.public().modulus_len()];
        key.sign(
            &signature::RSA_PKCS1_SHA256,
            &ring::rand::SystemRandom::new(),
            source.as_bytes(),
            &mut sig,
        )
        .ok()?;
        Some(sig.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// `POST /cgi-bin/cgi_link`: by `TRTYPE`.
    pub(crate) fn azericard_handle(
        &mut self,
        request: &http::Request<Vec<u8>>,
    ) -> http::Response<Vec<u8>> {
        if request.method() != http::Method::POST {
            return text_response(405, "POST a form to /cgi-bin/cgi_link");
        }
        let form = util::form_pairs(request.body());
        match util::form_get(&form, "TRTYPE").unwrap_or("") {
            "0" | "1" => self.azericard_form(&form),
            "21" | "22" | "24" => self.azericard_follow(&form),
            "90" => self.azericard_status(&form),
            _ => text_response(200, "2"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_and_macs() {
        assert_eq!(unix_of("19700101000000"), Some(0));
        assert_eq!(unix_of("20250123044608"), Some(1_737_607_568));
        assert_eq!(unix_of("2025012304460"), None);
        assert_eq!(mac(&["1.00", "17202191", "", "", ""]), "41.00817202191---");
    }

    #[test]
    fn the_test_keys_load_and_sign() {
        let sandbox = Sandbox::default();
        let sig = sandbox.azericard_sign("x").expect("the test key loads");
        assert_eq!(sig.len(), 512);
    }
}
