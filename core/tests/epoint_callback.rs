//! Callback verification (`docs/trust.md`): verify first, decode only then.

use azpay_core::epoint::{self, BankCode, Config, OperationCode, Status};
use azpay_core::{Amount, Currency, ResponseError, SignatureError};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha1::{Digest, Sha1};

const PRIVATE: &str = "d3hjsl38sd8kdfhbcea0be04eafde9e8e2bad2fb092d";

fn config() -> Config {
    Config::new("i000000001", PRIVATE)
}

/// An independent signer producing `data=…&signature=…` with exact control of encoding.
fn sign(data: &str) -> String {
    let mut h = Sha1::new();
    h.update(format!("{PRIVATE}{data}{PRIVATE}").as_bytes());
    STANDARD.encode(h.finalize())
}

fn pct(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn body_for(json: &str) -> (String, String, String) {
    let data = STANDARD.encode(json);
    let sig = sign(&data);
    let body = format!("data={}&signature={}", pct(&data), pct(&sig));
    (data, sig, body)
}

const PAYMENT: &str = r#"{"order_id":"1","status":"success","code":"000","message":"Approved","transaction":"te000000001","bank_transaction":"bt1","bank_response":"ok","operation_code":"100","rrn":"123456789012","card_name":"NAME SURNAME","card_mask":"416973******5869","amount":30.75,"other_attr":{"customer":"42"}}"#;

fn signature_error(r: Result<epoint::Callback, ResponseError<epoint::ApiError>>) -> SignatureError {
    match r {
        Err(ResponseError::Signature(s)) => s,
        other => panic!("expected a signature error, got {other:?}"),
    }
}

#[test]
fn valid_payment_callback() {
    let (_, _, body) = body_for(PAYMENT);
    let cb = epoint::verify_callback(&config(), body.as_bytes()).unwrap();
    assert!(cb.is_success());
    assert_eq!(cb.order_id.as_deref(), Some("1"));
    assert_eq!(cb.status, Some(Status::Success));
    assert_eq!(cb.code.as_ref().map(BankCode::as_str), Some("000"));
    assert_eq!(cb.message.as_deref(), Some("Approved"));
    assert_eq!(cb.transaction.as_deref(), Some("te000000001"));
    assert_eq!(cb.bank_transaction.as_deref(), Some("bt1"));
    assert_eq!(cb.bank_response.as_deref(), Some("ok"));
    assert_eq!(cb.operation_code, Some(OperationCode::UserPayment));
    assert_eq!(cb.rrn.as_deref(), Some("123456789012"));
    assert_eq!(cb.card_name.as_deref(), Some("NAME SURNAME"));
    assert_eq!(cb.card_mask.as_deref(), Some("416973******5869"));
    assert_eq!(cb.amount, Some(Amount::from_minor(3075, Currency::AZN)));
    assert_eq!(cb.other_attr, Some(serde_json::json!({"customer":"42"})));
    assert_eq!(cb.card_id, None);
    assert_eq!(cb.split_amount, None);
}

#[test]
fn card_registration_and_split_callbacks() {
    let (_, _, body) = body_for(
        r#"{"status":"success","code":"000","card_id":"ce0000000001","operation_code":"001","card_mask":"416973******5869"}"#,
    );
    let cb = epoint::verify_callback(&config(), body.as_bytes()).unwrap();
    assert_eq!(cb.card_id.as_deref(), Some("ce0000000001"));
    assert_eq!(cb.operation_code, Some(OperationCode::CardRegistration));
    assert_eq!(cb.order_id, None);
    assert_eq!(cb.amount, None);
    let (_, _, body) =
        body_for(r#"{"status":"failed","code":"116","amount":"10.00","split_amount":"2.50"}"#);
    let cb = epoint::verify_callback(&config(), body.as_bytes()).unwrap();
    assert!(!cb.is_success());
    assert_eq!(cb.status, Some(Status::Failed));
    assert_eq!(
        cb.split_amount,
        Some(Amount::from_minor(250, Currency::AZN))
    );
    assert_eq!(
        cb.code.unwrap().description(),
        Some("Declined, insufficient funds")
    );
}

#[test]
fn sign_callback_round_trips_and_matches_the_independent_signer() {
    let payload: serde_json::Value = serde_json::from_str(PAYMENT).unwrap();
    let body = epoint::sign_callback(&config(), &payload);
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    assert_eq!(fields[0].0, "data");
    assert_eq!(fields[1].0, "signature");
    assert_eq!(fields[1].1, sign(&fields[0].1));
    let cb = epoint::verify_callback(&config(), &body).unwrap();
    assert_eq!(cb.transaction.as_deref(), Some("te000000001"));
}

#[test]
fn tampered_data_is_refused() {
    let (data, sig, _) = body_for(PAYMENT);
    // Change one character of data (keeping it valid base64).
    let mut bytes = data.clone().into_bytes();
    bytes[10] = if bytes[10] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(bytes).unwrap();
    let body = format!("data={}&signature={}", pct(&forged), pct(&sig));
    let e = signature_error(epoint::verify_callback(&config(), body.as_bytes()));
    assert_eq!(e, SignatureError::Mismatch);
    // A forged payload with a signature of someone else's key.
    let (_, _, body) = body_for(PAYMENT);
    let other = Config::new("i000000001", "another-key");
    signature_error(epoint::verify_callback(&other, body.as_bytes()));
    // A changed signature.
    let mut s = sig.into_bytes();
    s[0] = if s[0] == b'a' { b'b' } else { b'a' };
    let body = format!(
        "data={}&signature={}",
        pct(&data),
        pct(std::str::from_utf8(&s).unwrap())
    );
    signature_error(epoint::verify_callback(&config(), body.as_bytes()));
}

#[test]
fn missing_empty_and_duplicate_fields_are_signature_errors() {
    let (data, sig, _) = body_for(PAYMENT);
    let e = signature_error(epoint::verify_callback(&config(), b""));
    assert_eq!(e, SignatureError::EmptyBody);
    let e = signature_error(epoint::verify_callback(
        &config(),
        format!("data={}", pct(&data)).as_bytes(),
    ));
    assert_eq!(e, SignatureError::Missing { field: "signature" });
    let e = signature_error(epoint::verify_callback(
        &config(),
        format!("signature={}", pct(&sig)).as_bytes(),
    ));
    assert_eq!(e, SignatureError::Missing { field: "data" });
    let e = signature_error(epoint::verify_callback(
        &config(),
        format!("data=&signature={}", pct(&sig)).as_bytes(),
    ));
    assert_eq!(e, SignatureError::Empty { field: "data" });
    let dup = format!(
        "data={d}&signature={s}&data={d}",
        d = pct(&data),
        s = pct(&sig)
    );
    let e = signature_error(epoint::verify_callback(&config(), dup.as_bytes()));
    assert_eq!(e, SignatureError::Duplicated { field: "data" });
    let dup = format!(
        "data={d}&signature={s}&signature={s}",
        d = pct(&data),
        s = pct(&sig)
    );
    let e = signature_error(epoint::verify_callback(&config(), dup.as_bytes()));
    assert_eq!(e, SignatureError::Duplicated { field: "signature" });
    // A JSON body is no longer refused (issue 12: EPoint callbacks also arrive as JSON); it
    // verifies by the same rule, and the same field checks apply to it.
    let json = format!(r#"{{"data":"{data}","signature":"{sig}"}}"#);
    assert!(epoint::verify_callback(&config(), json.as_bytes()).is_ok());
    let json = format!(r#"{{"data":"{data}","signature":"{sig}","data":"{data}"}}"#);
    let e = signature_error(epoint::verify_callback(&config(), json.as_bytes()));
    assert_eq!(e, SignatureError::Duplicated { field: "data" });
}

#[test]
fn extra_fields_are_ignored_and_order_does_not_matter() {
    let (data, sig, _) = body_for(PAYMENT);
    let body = format!("foo=bar&signature={}&data={}", pct(&sig), pct(&data));
    assert!(epoint::verify_callback(&config(), body.as_bytes()).is_ok());
}

#[test]
fn verified_but_not_base64_or_not_json_is_malformed() {
    let data = "not base64!";
    let body = format!("data={}&signature={}", pct(data), pct(&sign(data)));
    let r = epoint::verify_callback(&config(), body.as_bytes());
    assert!(
        matches!(r, Err(ResponseError::Malformed { ref reason, ref source, .. })
            if reason.contains("base64")
                && source.as_ref().is_some_and(|e| e.is::<base64::DecodeError>())),
        "{r:?}"
    );
    let data = STANDARD.encode("this is not json");
    let body = format!("data={}&signature={}", pct(&data), pct(&sign(&data)));
    let r = epoint::verify_callback(&config(), body.as_bytes());
    assert!(
        matches!(r, Err(ResponseError::Malformed { ref reason, ref source, .. })
            if reason.contains("JSON")
                && source.as_ref().is_some_and(|e| e.is::<serde_json::Error>())),
        "{r:?}"
    );
    // A field of the wrong type: the path says which.
    let data = STANDARD.encode(r#"{"order_id":"1","other_attr":{},"amount":{"x":1}}"#);
    let body = format!("data={}&signature={}", pct(&data), pct(&sign(&data)));
    let r = epoint::verify_callback(&config(), body.as_bytes());
    assert!(
        matches!(r, Err(ResponseError::Malformed { ref path, .. }) if path.as_deref() == Some("amount")),
        "{r:?}"
    );
    // Unverified garbage is a signature error, never Malformed.
    let body = format!(
        "data={}&signature={}",
        pct("not base64!"),
        pct("AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
    );
    signature_error(epoint::verify_callback(&config(), body.as_bytes()));
}

/// Finds a payload whose base64 and signature both contain `+`, so the encoding matters.
fn with_plus() -> (String, String) {
    for i in 0..10_000 {
        let json = format!(r#"{{"status":"success","order_id":"{i}","message":"??>>"}}"#);
        let data = STANDARD.encode(&json);
        let sig = sign(&data);
        if data.contains('+') && sig.contains('+') {
            return (data, sig);
        }
    }
    panic!("no payload with + found");
}

#[test]
fn plus_signs_percent_encoded_and_raw() {
    let (data, sig) = with_plus();
    // Properly encoded: `+` travels as %2B.
    let proper = format!("data={}&signature={}", pct(&data), pct(&sig));
    assert!(proper.contains("%2B"));
    assert!(epoint::verify_callback(&config(), proper.as_bytes()).is_ok());
    // A sender that did not encode: raw `+` (form decoding reads it as a space). The
    // signature is still checked over the exact base64 text, so this verifies too.
    let raw = format!("data={data}&signature={sig}");
    let cb = epoint::verify_callback(&config(), raw.as_bytes()).unwrap();
    assert_eq!(cb.message.as_deref(), Some("??>>"));
    // But a `+` in place of a %2B that was really a space does not make a forgery pass.
    let tampered = format!(
        "data={}&signature={}",
        data.replacen('+', "%20", 1),
        pct(&sig)
    );
    signature_error(epoint::verify_callback(&config(), tampered.as_bytes()));
}

#[test]
fn oversized_body_is_refused_before_parsing() {
    let big = vec![b'a'; azpay_core::MAX_BODY_BYTES + 1];
    assert!(matches!(
        epoint::verify_callback(&config(), &big),
        Err(ResponseError::TooLarge { .. })
    ));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the payload, a signed callback verifies and returns its text fields, and
        /// any change to one byte of the `data` value is refused as a signature error.
        #[test]
        fn signed_verifies_and_any_change_is_refused(order in ".{0,40}", msg in ".{0,40}", pos in 0usize..1000) {
            let payload = serde_json::json!({"order_id": order, "message": msg, "status": "success"});
            let body = epoint::sign_callback(&config(), &payload);
            let cb = epoint::verify_callback(&config(), &body).unwrap();
            prop_assert_eq!(cb.order_id.as_deref(), Some(order.as_str()));
            prop_assert_eq!(cb.message.as_deref(), Some(msg.as_str()));

            let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
            let data = &fields[0].1;
            let i = pos % data.len();
            let mut bytes = data.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let forged = String::from_utf8(bytes).unwrap();
            let forged_body = format!("data={}&signature={}", pct(&forged), pct(&fields[1].1));
            let r = epoint::verify_callback(&config(), forged_body.as_bytes());
            prop_assert!(matches!(r, Err(ResponseError::Signature(_))), "{:?}", r);
        }
    }
}

#[test]
fn a_blank_private_key_verifies_nothing() {
    // With an empty key the "signature" is base64(sha1(data)), which anyone can compute: a
    // misconfigured merchant must not accept such a callback as signed.
    let data = STANDARD.encode(br#"{"order_id":"1","status":"success","amount":1.0}"#);
    let forged = STANDARD.encode(Sha1::digest(data.as_bytes()));
    let body = format!("data={}&signature={}", pct(&data), pct(&forged));
    for key in ["", "   ", "\t\n"] {
        let blank = Config::new("i000000001", key);
        assert_eq!(
            signature_error(epoint::verify_callback(&blank, body.as_bytes())),
            SignatureError::UnusableKey {
                field: "private_key"
            },
            "key {key:?}"
        );
    }
}
