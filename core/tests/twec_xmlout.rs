//! XMLOut (`xmlmsg`): plain, base64 and form-encoded; unverified until GetOrderStatus.

use azpay_core::twec::{
    self, parse_xmlout, parse_xmlout_with, Config, GetOrderStatus, OrderStatus, XmlMsgEncoding,
};
use azpay_core::{Amount, Currency, Operation, ResponseError};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/twec/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn tdb_signed_sample() {
    let msg = parse_xmlout(&fixture("xmlout_tdb_signed.xml")).unwrap();
    assert_eq!(msg.date(), Some("08/09/2016 06:47:20"));
    assert_eq!(msg.version(), Some("1.0"));
    assert_eq!(msg.order_id(), Some("ABCD:123456"));
    assert_eq!(msg.session_id(), None);
    assert_eq!(msg.transaction_type(), Some("Purchase"));
    assert_eq!(msg.pan(), Some("949612XXXX4486"));
    assert_eq!(msg.purchase_amount_minor(), Some(100));
    assert_eq!(
        msg.purchase_amount(),
        Some(Amount::from_minor(100, Currency::USD))
    );
    assert_eq!(msg.currency(), Some("840"));
    assert_eq!(msg.tran_date_time(), Some("08/09/2016 06:47:20"));
    assert_eq!(msg.brand(), Some("VISA"));
    assert_eq!(msg.acq_fee(), Some("0"));
    assert_eq!(
        msg.merchant_tran_id(),
        Some("3134373332383438323939363430303030303030")
    );
    assert_eq!(msg.order_description(), Some("TEST12 (ABCD:123456)"));
    assert_eq!(msg.unverified_order_status(), Some(&OrderStatus::Approved));
    assert_eq!(
        msg.unverified_response_code().map(|c| c.as_str()),
        Some("001")
    );
    assert_eq!(msg.unverified_approval_code(), Some("539152 A"));
    assert!(msg.has_signature());
    let names: Vec<&str> = msg.other().iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "ApprovalCodeScr",
            "PurchaseAmountScr",
            "CurrencyScr",
            "OrderStatusScr",
            "ShopOrderId",
            "ThreeDSVerificaion",
            "ThreeDSStatus"
        ]
    );
    // No SessionId: it cannot be verified, and says so.
    let e = msg.verify().unwrap_err();
    assert_eq!(e.field(), Some("SessionID"));
}

#[test]
fn base64_form_is_the_same_message() {
    let plain = parse_xmlout(&fixture("xmlout_tdb_signed.xml")).unwrap();
    let b64 = fixture("xmlout_tdb_signed.b64");
    assert!(!b64.starts_with(b"<"));
    assert_eq!(parse_xmlout(&b64).unwrap(), plain);
    // Also inside a form body, with a trailing newline.
    let mut form = b"xmlmsg=".to_vec();
    form.extend(form_urlencoded::byte_serialize(&b64).flat_map(|s| s.bytes().collect::<Vec<_>>()));
    form.push(b'\n');
    assert_eq!(parse_xmlout(&form).unwrap(), plain);
    // A sender that did not percent-encode base64's `+` (form-decoding turns it into a space).
    let mut careless = b"xmlmsg=".to_vec();
    careless.extend(&b64);
    assert!(b64.contains(&b'+'));
    assert_eq!(parse_xmlout(&careless).unwrap(), plain);
}

#[test]
fn kapital_message_plain_form_and_form_base64() {
    let plain = parse_xmlout(&fixture("xmlout_kapital_constructed.xml")).unwrap();
    assert_eq!(plain.order_id(), Some("15859914"));
    assert_eq!(plain.session_id(), Some("02447E3150B781C426638A03706030A5"));
    assert_eq!(plain.two_id(), Some("2292054"));
    assert_eq!(plain.rrn(), Some("105310123456"));
    assert_eq!(plain.total_amount_minor(), Some(328));
    assert_eq!(
        plain.purchase_amount(),
        Some(Amount::from_minor(328, Currency::AZN))
    );
    assert_eq!(plain.name(), Some("TEST CARDHOLDER"));
    assert_eq!(plain.language(), Some("EN"));
    assert_eq!(plain.order_description(), Some("xxxxx & ödəniş"));
    assert_eq!(
        plain.unverified_response_description(),
        Some("Approved, no balances available")
    );
    assert!(!plain.has_signature());
    for name in [
        "xmlout_kapital_constructed.form",
        "xmlout_kapital_constructed.form_b64",
    ] {
        assert_eq!(parse_xmlout(&fixture(name)).unwrap(), plain, "{name}");
    }
    // Among other form fields.
    let mut body = b"foo=bar&".to_vec();
    body.extend(fixture("xmlout_kapital_constructed.form"));
    body.extend(b"&x=1");
    assert_eq!(parse_xmlout(&body).unwrap(), plain);
}

#[test]
fn verify_hands_back_get_order_status() {
    let msg = parse_xmlout(&fixture("xmlout_kapital_constructed.form")).unwrap();
    let check = msg.verify().unwrap();
    assert_eq!(
        check,
        GetOrderStatus::new("15859914", "02447E3150B781C426638A03706030A5")
    );
    let config = Config::kapital_test("E1000010");
    let req = check.build_request(&config).unwrap();
    assert!(std::str::from_utf8(req.body())
        .unwrap()
        .contains("<OrderID>15859914</OrderID></Order><SessionID>02447E3150B781C426638A03706030A5</SessionID>"));
    // Missing OrderID.
    let msg = parse_xmlout(b"<Message><SessionId>S</SessionId></Message>").unwrap();
    assert_eq!(msg.verify().unwrap_err().field(), Some("OrderID"));
}

#[test]
fn printed_form_says_it_is_unverified() {
    let msg = parse_xmlout(&fixture("xmlout_kapital_constructed.xml")).unwrap();
    let json = serde_json::to_value(&msg).unwrap();
    assert_eq!(json["verified"], false);
    assert_eq!(json["unverified_order_status"], "APPROVED");
    assert!(json.get("order_status").is_none());
}

#[test]
fn encoding_hint() {
    let b64 = fixture("xmlout_tdb_signed.b64");
    let plain_only = Config::kapital_test("E1").xmlmsg_encoding(XmlMsgEncoding::Plain);
    assert!(matches!(
        parse_xmlout_with(&plain_only, &b64),
        Err(ResponseError::Malformed { .. })
    ));
    assert!(parse_xmlout_with(&plain_only, &fixture("xmlout_tdb_signed.xml")).is_ok());
    // UBRR: base64, but the cancel message arrives unencoded.
    let ubrr = Config::generic("https://twpg.ubrr.ru:8443/Exec", "M", Currency::RUB)
        .unwrap()
        .xmlmsg_encoding(XmlMsgEncoding::Base64);
    assert!(parse_xmlout_with(&ubrr, &b64).is_ok());
    assert!(parse_xmlout_with(&ubrr, &fixture("xmlout_kapital_constructed.xml")).is_ok());
}

#[test]
fn hostile_or_broken_input_is_refused() {
    let doctype = b"<!DOCTYPE Message [<!ENTITY a \"APPROVED\">]><Message><OrderStatus>&a;</OrderStatus></Message>";
    assert!(
        matches!(parse_xmlout(doctype), Err(ResponseError::Malformed { reason, .. }) if reason.contains("DOCTYPE"))
    );
    let mut form = b"xmlmsg=".to_vec();
    form.extend(
        form_urlencoded::byte_serialize(doctype).flat_map(|s| s.bytes().collect::<Vec<_>>()),
    );
    assert!(parse_xmlout(&form).is_err());
    for bad in [
        &b""[..],
        b"not base64 at all!",
        b"xmlmsg=",
        b"xmlmsg=%%%",
        b"aGVsbG8=", // base64 of "hello": not XML
        b"<Other/>",
        b"<Message><PurchaseAmount>1.00</PurchaseAmount></Message>",
        b"\xff\xfe",
    ] {
        assert!(
            parse_xmlout(bad).is_err(),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
    let big = vec![b'A'; azpay_core::MAX_BODY_BYTES + 1];
    assert!(matches!(
        parse_xmlout(&big),
        Err(ResponseError::TooLarge { .. })
    ));
}

#[test]
fn message_nested_in_a_tkkpg_answer_and_case_insensitive_names() {
    let body =
        b"<TKKPG><Response><XMLOut><Message date='d'><orderid>1</orderid><SESSIONID>S</SESSIONID>\
                 <orderstatus>declined</orderstatus></Message></XMLOut></Response></TKKPG>";
    let msg = parse_xmlout(body).unwrap();
    assert_eq!(msg.order_id(), Some("1"));
    assert_eq!(msg.session_id(), Some("S"));
    assert_eq!(
        msg.unverified_order_status(),
        Some(&twec::OrderStatus::Declined)
    );
}
