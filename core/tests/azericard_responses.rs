//! Azericard replies: the bare codes of 21/22/24, the status (TRTYPE 90) in JSON, form and
//! XML shapes with keys in any case, open codes, and the `state` each maps to; plus the
//! validation of every documented length before anything is signed or sent.

mod azericard_support;

use azericard_support::recording;
use azpay_core::azericard::{
    Action, ApiError, Complete, Config, GetStatus, Pay, Rc, ReplyCode, Reverse, Stamp, TrType,
};
use azpay_core::unified::PaymentStatus;
use azpay_core::{Amount, Currency, Operation, ResponseError, State};

fn config() -> Config {
    let (signer, _) = recording();
    Config::new("17202191", signer)
        .merchant_name("Shop")
        .merchant_url("https://shop.example.az")
        .callback_url("https://shop.example.az/back")
        .stamps(|| Stamp::new("20250123050000", "7cfb4c2512eeec72").unwrap())
}

fn azn(s: &str) -> Amount {
    Amount::parse_major(s, Currency::AZN).unwrap()
}

fn reply(status: u16, body: &str) -> azpay_core::HttpResponse {
    http::Response::builder()
        .status(status)
        .body(body.as_bytes().to_vec())
        .unwrap()
}

#[test]
fn bare_codes_of_completion_and_reversal() {
    let c = Complete::new("000001", azn("1"), "306276834930", "4A29E93C607E33DC");
    for (body, code, state) in [
        ("0", ReplyCode::Accepted, State::Done),
        ("0\r\n", ReplyCode::Accepted, State::Done),
        ("1", ReplyCode::Duplicate, State::Pending),
        ("2", ReplyCode::WrongParameter, State::Declined),
        ("3", ReplyCode::WrongSignature, State::Declined),
        ("9", ReplyCode::Other("9".into()), State::Pending),
    ] {
        let r = c.parse_response(&config(), reply(200, body)).unwrap();
        assert_eq!((r.code.clone(), r.state), (code, state), "{body:?}");
        assert_eq!(r.trtype, TrType::Completion);
    }
    let r = Reverse::new("000001", azn("1"), "306276834930", "4A29E93C607E33DC").offline();
    assert_eq!(
        r.parse_response(&config(), reply(200, "0")).unwrap().trtype,
        TrType::OfflineReversal
    );
    assert!(matches!(
        c.parse_response(&config(), reply(200, "<html>error</html>")),
        Err(ResponseError::Malformed { .. })
    ));
    assert!(matches!(
        c.parse_response(&config(), reply(500, "0")),
        Err(ResponseError::Status { .. })
    ));
    assert!(matches!(
        c.parse_response(&config(), reply(200, "")),
        Err(ResponseError::Malformed { .. })
    ));
}

#[test]
fn status_in_every_shape() {
    let q = GetStatus::new("20250123000001");
    let cases: &[(&str, State)] = &[
        // The document's labels as JSON keys (as integrify reads them).
        (r#"{"ACTION":"0","Response code":"00","Transaction Status message":"Approved","TERMINAL":"17202191","Card number":"412720******2601","Transaction amount":"10.50","Transaction currency":"944","Transaction date":"20250123044700","Transaction state":"Completed","Merchant order id":"20250123000001","Banks approval code":"168975","Transaction RRN":"306276834930","INT_REF":"4A29E93C607E33DC","Original transaction TRTYPE":"1","Timestamp":"20250123050001","Nonce":"aa","P_SIGN":"00"}"#, State::Done),
        // The S2S XML shape (note `intref`).
        ("<response><desc>ok</desc><terminal>17202191</terminal><trtype>90</trtype><order>20250123000001</order><amount>10.50</amount><currency>944</currency><action>0</action><rc>00</rc><approval>168975</approval><rrn>306276834930</rrn><intref>4A29E93C607E33DC</intref></response>", State::Done),
        // A query string (as OMNI parses it).
        ("action=0&rc=00&amount=10.50&currency=AZN&order=20250123000001&rrn=306276834930&int_ref=4A29E93C607E33DC", State::Done),
        (r#"{"action":2,"rc":"05"}"#, State::Declined),
        ("ACTION=3&RC=96", State::Declined),
        ("ACTION=6&RC=05", State::Declined),
        ("ACTION=7&RC=-19", State::Declined),
        ("ACTION=8", State::Declined),
        ("ACTION=1&RC=00", State::Pending),
        ("ACTION=0&RC=05", State::Pending),
        ("ACTION=0", State::Pending),
        ("ACTION=42&RC=00", State::Pending),
    ];
    for (body, state) in cases {
        let s = q.parse_response(&config(), reply(200, body)).unwrap();
        assert_eq!(s.state, *state, "{body}");
        assert_eq!(PaymentStatus::from_azericard(&s).state(), *state, "{body}");
    }
    let s = q.parse_response(&config(), reply(200, cases[0].0)).unwrap();
    assert_eq!(s.amount, Some(azn("10.50")));
    assert_eq!(s.rc, Some(Rc::Approved));
    assert_eq!(s.rrn.as_deref(), Some("306276834930"));
    assert_eq!(s.int_ref.as_deref(), Some("4A29E93C607E33DC"));
    assert_eq!(s.order.as_deref(), Some("20250123000001"));
    assert_eq!(s.card.as_deref(), Some("412720******2601"));
    assert_eq!(s.transaction_state.as_deref(), Some("Completed"));
    assert!(s.is_approved());
    let xml = q.parse_response(&config(), reply(200, cases[1].0)).unwrap();
    assert_eq!(xml.int_ref.as_deref(), Some("4A29E93C607E33DC"));
    assert_eq!(xml.amount, Some(azn("10.50")));
    let unknown = q
        .parse_response(&config(), reply(200, "ACTION=42&RC=Q1"))
        .unwrap();
    assert_eq!(unknown.action, Action::Other("42".into()));
    assert_eq!(unknown.rc, Some(Rc::Other("Q1".into())));
    assert_eq!(
        PaymentStatus::from_azericard(&unknown),
        PaymentStatus::Unknown
    );
}

#[test]
fn status_per_transaction_type() {
    for (tr, status, state) in [
        (TrType::PreAuth, PaymentStatus::Authorized, State::Done),
        (TrType::Purchase, PaymentStatus::Paid, State::Done),
        (TrType::Completion, PaymentStatus::Paid, State::Done),
        (TrType::Reversal, PaymentStatus::Voided, State::Returned),
        (
            TrType::OfflineReversal,
            PaymentStatus::Refunded,
            State::Returned,
        ),
    ] {
        let q = GetStatus::new("000001").tran_trtype(tr.clone());
        let s = q
            .parse_response(&config(), reply(200, "ACTION=0&RC=00"))
            .unwrap();
        assert_eq!(
            (PaymentStatus::from_azericard(&s), s.state),
            (status, state),
            "{tr}"
        );
    }
}

#[test]
fn status_refusals_and_malformed() {
    let q = GetStatus::new("000001");
    match q.parse_response(&config(), reply(200, "3")) {
        Err(ResponseError::Api(ApiError { code, .. })) => {
            assert_eq!(code, ReplyCode::WrongSignature)
        }
        other => panic!("{other:?}"),
    }
    for body in [
        "",
        "{}",
        "{\"RC\":\"00\"}",
        "<!DOCTYPE a><a/>",
        "not a reply",
        "{\"a\":",
        "<a><b>1</b>",
    ] {
        assert!(
            matches!(
                q.parse_response(&config(), reply(200, body)),
                Err(ResponseError::Malformed { .. })
            ),
            "{body:?}"
        );
    }
    let big = "A".repeat(azpay_core::MAX_BODY_BYTES + 1);
    assert!(matches!(
        q.parse_response(&config(), reply(200, &big)),
        Err(ResponseError::TooLarge { .. })
    ));
}

fn field<T: std::fmt::Debug>(r: Result<T, azpay_core::BuildError>) -> Option<&'static str> {
    r.unwrap_err().field()
}

#[test]
fn every_documented_length_is_checked_before_signing() {
    let (signer, seen) = recording();
    let base = Config::new("17202191", signer)
        .merchant_name("Shop")
        .merchant_url("https://shop.example.az")
        .callback_url("https://shop.example.az/back");
    let stamp = Stamp::new("20250123050000", "7cfb4c2512eeec72").unwrap();
    let pay = |order: &str, desc: &str| Pay::purchase(azn("1"), order, desc).stamp(stamp.clone());
    assert_eq!(field(pay("12345", "d").form(&base)), Some("order"));
    assert_eq!(field(pay(&"1".repeat(33), "d").form(&base)), Some("order"));
    assert_eq!(field(pay("12345a", "d").form(&base)), Some("order"));
    assert_eq!(field(pay("123456", "").form(&base)), Some("description"));
    assert_eq!(
        field(pay("123456", &"d".repeat(51)).form(&base)),
        Some("description")
    );
    assert_eq!(
        field(
            Pay::purchase(azn("0"), "123456", "d")
                .stamp(stamp.clone())
                .form(&base)
        ),
        Some("amount")
    );
    assert_eq!(
        field(
            Pay::purchase(
                Amount::from_minor(10u64.pow(12), Currency::AZN),
                "123456",
                "d"
            )
            .stamp(stamp.clone())
            .form(&base)
        ),
        Some("amount")
    );
    assert_eq!(
        field(pay("123456", "d").form(&base.clone().merchant_name("x".repeat(51)))),
        Some("merchant_name")
    );
    assert_eq!(
        field(pay("123456", "d").form(&base.clone().merchant_url("https://ş.az"))),
        Some("merchant_url")
    );
    assert_eq!(
        field(pay("123456", "d").form(&base.clone().email("e".repeat(81)))),
        Some("email")
    );
    assert_eq!(
        field(pay("123456", "d").form(&base.clone().country("AZE"))),
        Some("country")
    );
    assert_eq!(
        field(pay("123456", "d").form(&base.clone().merchant_gmt("+04:00"))),
        Some("merchant_gmt")
    );
    assert_eq!(
        field(
            pay("123456", "d")
                .callback_url("javascript:alert(1)")
                .form(&base)
        ),
        Some("callback_url")
    );
    assert_eq!(
        field(pay("123456", "d").cardholder_name("A").form(&base)),
        Some("cardholder_name")
    );
    let (s2, _) = recording();
    assert_eq!(
        field(
            pay("123456", "d").form(
                &Config::new("1720219", s2)
                    .merchant_name("S")
                    .merchant_url("u")
                    .callback_url("https://a.az")
            )
        ),
        Some("terminal")
    );
    let c = |rrn: &str, int_ref: &str| {
        Complete::new("123456", azn("1"), rrn, int_ref)
            .stamp(stamp.clone())
            .build_request(&base)
    };
    assert_eq!(field(c("12345678901", "AB")), Some("rrn"));
    assert_eq!(field(c("306276834930", "")), Some("int_ref"));
    assert_eq!(field(c("306276834930", &"A".repeat(33))), Some("int_ref"));
    assert_eq!(field(c("306276834930", "AB\r\nX")), Some("int_ref"));
    assert_eq!(
        field(
            GetStatus::new("123456")
                .tran_trtype(TrType::Status)
                .stamp(stamp.clone())
                .build_request(&base)
        ),
        Some("tran_trtype")
    );
    assert_eq!(
        Stamp::new("20251323000000", "7cfb4c2512eeec72")
            .unwrap_err()
            .field(),
        Some("timestamp")
    );
    assert_eq!(
        Stamp::new("20250123050000", "7cfb4c2512eeec7")
            .unwrap_err()
            .field(),
        Some("nonce")
    );
    assert_eq!(
        Stamp::new("20250123050000", "a".repeat(66))
            .unwrap_err()
            .field(),
        Some("nonce")
    );
    assert!(seen.lock().unwrap().is_empty(), "nothing was signed");
}

#[test]
fn secrets_stay_out_of_debug() {
    let c = Config::legacy_hmac("17202191", "00112233445566778899AABBCCDDEEFF");
    let d = format!("{c:?}");
    assert!(!d.contains("0011223344") && d.contains("redacted"), "{d}");
}
