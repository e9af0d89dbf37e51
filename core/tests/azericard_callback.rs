//! Azericard's BACKREF callback: verified with Azericard's public key over AMOUNT, TERMINAL,
//! APPROVAL, RRN, INT_REF as received; forged, tampered, truncated and wrong-key posts never
//! verify; a verified callback is still only a claim until TRTYPE 90 confirms it.

mod azericard_support;

use azericard_support::{keys, openssl_sign, recording};
use azpay_core::azericard::{
    self, verify_callback, Action, CallbackError, Config, Rc, RsaPublicKey, Stamp, TrType,
};
use azpay_core::unified::{self, Verification};
use azpay_core::{execute, HttpRequest, HttpResponse, State, TransportError};

fn config_with(public: &[u8]) -> Config {
    let (signer, _) = recording();
    Config::new("17202191", signer).gateway_key(RsaPublicKey::from_pem(public).unwrap())
}

const SOURCE: &str = "510.50817202191616897512306276834930164A29E93C607E33DC";

fn body(sig: &str) -> String {
    format!(
        "TERMINAL=17202191&TRTYPE=1&ORDER=20250123000001&AMOUNT=10.50&CURRENCY=944&ACTION=0&RC=00\
         &APPROVAL=168975&RRN=306276834930&INT_REF=4A29E93C607E33DC&TIMESTAMP=20250123044700\
         &NONCE=a1b2c3d4e5f60718&P_SIGN={sig}"
    )
}

#[test]
fn a_signed_callback_verifies_and_is_still_a_claim() {
    let Some(k) = keys() else { return };
    let config = config_with(&k.public);
    let sig = openssl_sign(k, "key8.pem", SOURCE);
    let cb = verify_callback(&config, body(&sig).as_bytes()).unwrap();
    assert_eq!(cb.order(), "20250123000001");
    assert_eq!(cb.claimed_action(), &Action::Success);
    assert_eq!(cb.claimed_rc(), &Rc::Approved);
    assert_eq!(
        (cb.rrn(), cb.int_ref(), cb.amount_text()),
        ("306276834930", "4A29E93C607E33DC", "10.50")
    );
    // Upper-case hex is accepted too.
    assert!(verify_callback(&config, body(&sig.to_ascii_uppercase()).as_bytes()).is_ok());
    // The only road to "paid": the status query.
    let query = cb.status_query();
    assert_eq!(query.order(), "20250123000001");
    assert_eq!(query.trtype(), &TrType::Purchase);
    let config = config.stamps(|| Stamp::new("20250123050000", "7cfb4c2512eeec72").unwrap());
    let t = |r: HttpRequest| -> Result<HttpResponse, TransportError> {
        let b = String::from_utf8(r.body().clone()).unwrap();
        assert!(b.starts_with("TRAN_TRTYPE=1&ORDER=20250123000001&"), "{b}");
        Ok(http::Response::new(
            br#"{"ACTION":"2","RC":"05","ORDER":"20250123000001","RRN":"306276834930","INT_REF":"4A29E93C607E33DC"}"#.to_vec(),
        ))
    };
    let status = execute(&query, &config, &t).unwrap();
    assert_eq!(status.state, State::Declined);
    assert!(
        !cb.claim_matches(&status),
        "the gateway's answer decides, not the claim"
    );
}

#[test]
fn a_decline_signs_dashes_for_empty_fields() {
    let Some(k) = keys() else { return };
    let config = config_with(&k.public);
    let sig = openssl_sign(k, "key8.pem", "41.00817202191---");
    let b = format!(
        "TERMINAL=17202191&TRTYPE=0&ORDER=000002&AMOUNT=1.00&CURRENCY=AZN&ACTION=2&RC=05&APPROVAL=&RRN=&INT_REF=&P_SIGN={sig}"
    );
    let cb = verify_callback(&config, b.as_bytes()).unwrap();
    assert_eq!(cb.claimed_action(), &Action::Declined);
    assert_eq!(cb.status_query().trtype(), &TrType::PreAuth);
}

#[test]
fn tampered_forged_and_wrong_key_callbacks_never_verify() {
    let Some(k) = keys() else { return };
    let config = config_with(&k.public);
    let sig = openssl_sign(k, "key8.pem", SOURCE);
    let good = body(&sig);
    for (from, to) in [
        ("AMOUNT=10.50", "AMOUNT=10.51"),
        ("AMOUNT=10.50", "AMOUNT=10.5"),
        ("TERMINAL=17202191", "TERMINAL=17202192"),
        ("APPROVAL=168975", "APPROVAL=168976"),
        ("RRN=306276834930", "RRN=306276834931"),
        ("INT_REF=4A29E93C607E33DC", "INT_REF=4a29e93c607e33dc"),
        ("&APPROVAL=168975", ""),
    ] {
        let b = good.replacen(from, to, 1);
        assert_eq!(
            verify_callback(&config, b.as_bytes()).unwrap_err(),
            CallbackError::Mismatch,
            "{from} -> {to}"
        );
    }
    // Signed by someone else's key.
    std::fs::write(k.dir.join("cb-other.txt"), SOURCE).unwrap();
    let other = openssl_sign(k, "other8.pem", SOURCE);
    assert_eq!(
        verify_callback(&config, body(&other).as_bytes()).unwrap_err(),
        CallbackError::Mismatch
    );
    // Checked against the wrong public key.
    let wrong = config_with(&k.other_public);
    assert_eq!(
        verify_callback(&wrong, good.as_bytes()).unwrap_err(),
        CallbackError::Mismatch
    );
    // Truncated signature, odd hex, no signature, duplicated field, no key configured.
    assert_eq!(
        verify_callback(&config, body(&sig[..510]).as_bytes()).unwrap_err(),
        CallbackError::Mismatch
    );
    assert_eq!(
        verify_callback(&config, body(&sig[..511]).as_bytes()).unwrap_err(),
        CallbackError::MalformedSignature
    );
    assert_eq!(
        verify_callback(&config, body("").as_bytes()).unwrap_err(),
        CallbackError::Missing("P_SIGN")
    );
    let dup = format!("{good}&AMOUNT=10.50");
    assert!(matches!(
        verify_callback(&config, dup.as_bytes()).unwrap_err(),
        CallbackError::Duplicated(_)
    ));
    let (signer, _) = recording();
    let keyless = Config::new("17202191", signer);
    assert_eq!(
        verify_callback(&keyless, good.as_bytes()).unwrap_err(),
        CallbackError::NoGatewayKey
    );
    assert_eq!(
        verify_callback(&config, b"  ").unwrap_err(),
        CallbackError::Empty
    );
    let huge = vec![b'a'; azericard::MAX_CALLBACK_BYTES + 1];
    assert_eq!(
        verify_callback(&config, &huge).unwrap_err(),
        CallbackError::TooLarge
    );
}

#[test]
fn unified_return_is_a_status_query() {
    let Some(k) = keys() else { return };
    let config = config_with(&k.public);
    let sig = openssl_sign(k, "key8.pem", SOURCE);
    let ret = unified::Return::azericard_callback(&config, body(&sig).as_bytes()).unwrap();
    assert_eq!(ret.gateway(), unified::GatewayKind::Azericard);
    let Verification::Query(q) = ret.verify().unwrap() else {
        panic!("an Azericard callback is never trusted on its own")
    };
    assert_eq!(
        q,
        unified::GetStatus::azericard("20250123000001", &TrType::Purchase)
    );
    assert!(unified::Return::azericard_callback(&config, body("00").as_bytes()).is_err());
}

#[test]
fn legacy_callback_hmac() {
    let key = "00112233445566778899AABBCCDDEEFF";
    let config = Config::legacy_hmac("17202191", key);
    let fields = [
        "17202191",
        "1",
        "20250123000001",
        "10.50",
        "944",
        "0",
        "00",
        "168975",
        "306276834930",
        "4A29E93C607E33DC",
        "20250123044700",
        "a1b2c3d4e5f60718",
    ];
    let mac = azericard::legacy_mac(key, &azericard::mac_source(fields));
    let b = body(&mac.to_ascii_uppercase());
    assert!(verify_callback(&config, b.as_bytes()).is_ok());
    let tampered = b.replace("ACTION=0", "ACTION=2");
    assert_eq!(
        verify_callback(&config, tampered.as_bytes()).unwrap_err(),
        CallbackError::Mismatch
    );
}
