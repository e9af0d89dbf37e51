//! Property tests of EPoint's signing: a signed callback verifies, any single changed byte of
//! `data` or `signature` is refused as a forgery, and arbitrary Unicode survives
//! payload -> `data` -> decoded payload.
//!
//! 1,000 cases per property; set `PROPTEST_CASES` for more.

use azpay_core::epoint::{self, Config};
use azpay_core::ResponseError;
use proptest::prelude::*;
use serde_json::json;

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1000),
    )
}

fn merchant(key: &str) -> Config {
    Config::new("i000000001", key)
}

/// Percent-encodes every byte but ASCII letters and digits (so a space is `%20`, never `+`).
fn pct(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(*b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `(data, signature)` of a form body, decoded independently.
fn fields(body: &[u8]) -> (String, String) {
    let mut data = None;
    let mut sig = None;
    for (k, v) in form_urlencoded::parse(body) {
        match k.as_ref() {
            "data" => data = Some(v.into_owned()),
            "signature" => sig = Some(v.into_owned()),
            _ => {}
        }
    }
    (data.unwrap(), sig.unwrap())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn signed_callbacks_verify_and_unicode_survives(
        key in "[ -~]{0,39}[!-~]", // never blank: a blank key verifies nothing (epoint_callback.rs)
        order_id in "\\PC{0,30}",
        message in "\\PC{0,60}",
        card_name in any::<String>(),
        minor in 0u64..100_000_000,
    ) {
        let c = merchant(&key);
        let amount = format!("{}.{:02}", minor / 100, minor % 100);
        let body = epoint::sign_callback(&c, &json!({
            "order_id": order_id, "status": "success", "message": message,
            "card_name": card_name, "amount": amount,
        }));
        let cb = epoint::verify_callback(&c, &body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(cb.order_id.as_deref(), Some(order_id.as_str()));
        prop_assert_eq!(cb.message.as_deref(), Some(message.as_str()));
        prop_assert_eq!(cb.card_name.as_deref(), Some(card_name.as_str()));
        prop_assert_eq!(cb.amount.map(|a| a.minor()), Some(minor));
        prop_assert!(cb.is_success());
        // Also when the form is encoded differently (every byte percent-encoded).
        let (data, sig) = fields(&body);
        let alt = format!("signature={}&data={}", pct(sig.as_bytes()), pct(data.as_bytes()));
        prop_assert_eq!(epoint::verify_callback(&c, alt.as_bytes()).ok(), Some(cb));
        // The independent signer agrees.
        prop_assert_eq!(epoint::signature(&key, &data), sig);
    }

    #[test]
    fn any_changed_byte_of_data_or_signature_is_refused(
        message in "\\PC{0,40}",
        in_signature in any::<bool>(),
        pos in any::<prop::sample::Index>(),
        mask in 1u8..=255,
    ) {
        let c = merchant("d3hjsl38sd8kdfhbcea0be04eafde9e8e2bad2fb092d");
        let body = epoint::sign_callback(&c, &json!({"order_id": "1", "status": "success", "message": message}));
        let (data, sig) = fields(&body);
        let (mut d, mut s) = (data.into_bytes(), sig.into_bytes());
        let target = if in_signature { &mut s } else { &mut d };
        let i = pos.index(target.len());
        target[i] ^= mask;
        let forged = format!("data={}&signature={}", pct(&d), pct(&s));
        match epoint::verify_callback(&c, forged.as_bytes()) {
            Err(ResponseError::Signature(_)) => {}
            other => prop_assert!(false, "forgery not refused: {:?}", other),
        }
    }

    #[test]
    fn a_wrong_key_never_verifies(key in "[ -~]{1,20}", other in "[ -~]{1,20}", message in "\\PC{0,20}") {
        prop_assume!(key != other);
        let body = epoint::sign_callback(&merchant(&key), &json!({"status": "success", "message": message}));
        prop_assert!(matches!(epoint::verify_callback(&merchant(&other), &body), Err(ResponseError::Signature(_))));
    }
}
