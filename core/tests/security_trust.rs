//! Trust: EPoint callbacks are compared in constant time and decoded only after the signature
//! matched; forged Kapital redirects and TWEC `xmlmsg` messages never become a verified "paid"
//! without the status query they hand out.

use azpay_core::{
    epoint, execute, kapital, twec, HttpRequest, HttpResponse, ResponseError, TransportError,
};
use base64::Engine as _;

const KEY: &str = "trust-test-private-key";
const MARKER: &str = "FORGED-MARKER-7c1d";

fn config() -> epoint::Config {
    epoint::Config::new("i000000001", KEY)
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn form(data: &str, signature: &str) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("data", data)
        .append_pair("signature", signature)
        .finish()
        .into_bytes()
}

/// Every text an error can show: Display, Debug, alternate Debug.
fn shown(e: &ResponseError<epoint::ApiError>) -> String {
    format!("{e} {e:?} {e:#?}")
}

#[test]
fn wrong_signatures_of_any_length_are_refused() {
    let data = b64(r#"{"order_id":"1","status":"success"}"#);
    let good = epoint::signature(KEY, &data);
    assert!(epoint::verify_callback(&config(), &form(&data, &good)).is_ok());
    assert_eq!(good.len(), 28);
    let other_key = epoint::signature("another-key", &data);
    let mut last_char = good.clone();
    last_char.replace_range(26..27, if &good[26..27] == "A" { "B" } else { "A" });
    for wrong in [
        other_key.as_str(), // same length, unrelated
        last_char.as_str(), // same length, one character off
        &good[..27],        // a prefix
        &good[..1],
        "x",
        &format!("{good}A")[..], // longer
        &format!("{good}{good}")[..],
        &good.to_lowercase()[..],
        &"=".repeat(28)[..],
    ] {
        match epoint::verify_callback(&config(), &form(&data, wrong)) {
            Err(ResponseError::Signature(_)) => {}
            other => panic!("{wrong:?} was not refused as a forgery: {other:?}"),
        }
    }
}

#[test]
fn the_comparison_is_constant_time() {
    // Structural: the verifier compares with `subtle`'s `ct_eq`, not `==`.
    let src = include_str!("../src/epoint/callback.rs");
    let start = src
        .find("fn signature_matches")
        .expect("signature_matches exists");
    let body = &src[start..start + src[start..].find("\n}\n").unwrap()];
    assert!(body.contains(".ct_eq("), "{body}");
    assert!(!body.contains("=="), "{body}");
    assert!(src.contains("use subtle::ConstantTimeEq;"));
}

#[test]
fn forged_data_never_reaches_an_error_or_output() {
    let payload = format!(
        r#"{{"order_id":"{MARKER}","status":"success","message":"{MARKER}","amount":"1.00"}}"#
    );
    let data = b64(&payload);
    let forged_sigs = [
        epoint::signature("guessed-key", &data),
        String::new(),
        "AAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_owned(),
    ];
    for sig in &forged_sigs {
        let e = epoint::verify_callback(&config(), &form(&data, sig)).unwrap_err();
        let text = shown(&e);
        assert!(matches!(e, ResponseError::Signature(_)), "{text}");
        assert!(!text.contains(MARKER), "{text}");
        assert!(
            !text.contains(&data[..40]),
            "the forged data is echoed: {text}"
        );
    }
    // Signed, but the signature over *other* data: still nothing of the forged data shows.
    let honest = b64(r#"{"order_id":"1"}"#);
    let e = epoint::verify_callback(&config(), &form(&data, &epoint::signature(KEY, &honest)))
        .unwrap_err();
    assert!(!shown(&e).contains(MARKER));
    // Forged data that is not even base64 / not JSON: a signature error, not a parse error.
    for data in [format!("{MARKER}!!"), b64(&format!("{MARKER} not json"))] {
        let e = epoint::verify_callback(&config(), &form(&data, "c2lnbmF0dXJl")).unwrap_err();
        assert!(matches!(e, ResponseError::Signature(_)), "{e:?}");
        assert!(!shown(&e).contains(MARKER));
    }
    // Duplicated fields (a second, forged `data`) are refused outright.
    let good = epoint::signature(KEY, &honest);
    let mut body = form(&honest, &good);
    body.extend_from_slice(format!("&data={}", b64(MARKER)).as_bytes());
    let e = epoint::verify_callback(&config(), &body).unwrap_err();
    assert!(matches!(e, ResponseError::Signature(_)));
    assert!(!shown(&e).contains(MARKER));
}

fn answer(body: &'static [u8]) -> impl Fn(HttpRequest) -> Result<HttpResponse, TransportError> {
    move |_| Ok(http::Response::new(body.to_vec()))
}

#[test]
fn a_forged_kapital_redirect_is_only_a_claim() {
    let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
    let redirect =
        kapital::parse_redirect("https://shop.example/back?ID=5531&STATUS=FullyPaid").unwrap();
    assert_eq!(redirect.claimed_status(), "FullyPaid");
    // The only way on is the status query, for the same order.
    let query = redirect.verify();
    assert_eq!(query.id(), 5531);
    let req = azpay_core::Operation::build_request(&query, &config).unwrap();
    assert_eq!(req.method(), http::Method::GET);
    assert!(req.uri().path().ends_with("/api/order/5531"));
    // The gateway says otherwise: the trusted answer wins, and the claim is flagged.
    let declined =
        answer(br#"{"order":{"id":5531,"status":"Declined","amount":1,"currency":"AZN"}}"#);
    let order = execute(&query, &config, &declined).unwrap();
    assert!(!order.status.is_paid());
    assert!(!redirect.claim_matches(&order));
    let paid = answer(br#"{"order":{"id":5531,"status":"FullyPaid","amount":1,"currency":"AZN"}}"#);
    let order = execute(&query, &config, &paid).unwrap();
    assert!(order.status.is_paid() && redirect.claim_matches(&order));
    // An answer about another order never confirms the claim.
    let other = answer(br#"{"order":{"id":1,"status":"FullyPaid","amount":1,"currency":"AZN"}}"#);
    if let Ok(order) = execute(&query, &config, &other) {
        assert!(!redirect.claim_matches(&order));
    }
}

#[test]
fn a_forged_twec_xmlmsg_is_only_a_claim() {
    let config = twec::Config::kapital_test("E1000010");
    let forged = format!(
        "xmlmsg={}",
        form_urlencoded::byte_serialize(
            b"<Message date=\"x\"><OrderID>86166</OrderID><SessionId>SESS</SessionId>\
              <OrderStatus>APPROVED</OrderStatus><ResponseCode>001</ResponseCode>\
              <PurchaseAmount>100000</PurchaseAmount><Currency>944</Currency></Message>"
        )
        .collect::<String>()
    );
    let msg = twec::parse_xmlout(forged.as_bytes()).unwrap();
    // The claim is visible only under its `unverified_` name, and every printout says so.
    assert_eq!(
        msg.unverified_order_status(),
        Some(&twec::OrderStatus::Approved)
    );
    let json = serde_json::to_value(&msg).unwrap();
    assert_eq!(json["verified"], false);
    assert!(json.get("order_status").is_none());
    assert!(format!("{msg:?}").contains("verified: false"));
    // The status query for exactly this order and session is the way to the truth.
    let query = msg.verify().unwrap();
    assert_eq!((query.order_id(), query.session_id()), ("86166", "SESS"));
    let declined = answer(
        b"<TKKPG><Response><Operation>GetOrderStatus</Operation><Status>00</Status><Order>\
          <OrderID>86166</OrderID><OrderStatus>DECLINED</OrderStatus></Order></Response></TKKPG>",
    );
    let outcome = execute(&query, &config, &declined).unwrap();
    assert_eq!(outcome.order_status, twec::OrderStatus::Declined);
    // A message without the ids gives no query at all.
    let bare =
        twec::parse_xmlout(b"<Message><OrderStatus>APPROVED</OrderStatus></Message>").unwrap();
    assert_eq!(bare.verify().unwrap_err().field(), Some("OrderID"));
}
