//! State stays bounded: a full sandbox refuses new orders the way each gateway reports
//! trouble, and the callback outbox keeps only the newest callbacks.

mod common;

use azpay_sandbox::{cards, Card, CardAction, Gateway, Sandbox, SandboxConfig};
use common::*;

fn small() -> Sandbox {
    let mut config = SandboxConfig::default().with_base_url(BASE);
    config.max_orders = 2;
    Sandbox::new(config)
}

#[test]
fn a_full_sandbox_refuses_new_orders() {
    let mut sb = small();
    for i in 0..3 {
        let reply = json(&sb.handle(&epoint(
            "request",
            &format!(r#"{{"public_key":"i000000001","amount":1,"currency":"AZN","language":"az","order_id":"o{i}"}}"#),
        )));
        assert_eq!(
            reply["status"],
            if i < 2 { "success" } else { "error" },
            "{reply}"
        );
    }
    for i in 0..3 {
        let response = sb.handle(&kapital(
            "POST",
            "/api/order",
            r#"{"order":{"typeRid":"Order_SMS","amount":"1","currency":"AZN","language":"az"}}"#,
        ));
        assert_eq!(response.status(), if i < 2 { 200 } else { 503 });
    }
    let xml = "<TKKPG><Request><Operation>CreateOrder</Operation><Language>EN</Language><Order>\
<OrderType>Purchase</OrderType><Merchant>E1000010</Merchant><Amount>100</Amount><Currency>944</Currency>\
<ApproveURL>/ok</ApproveURL></Order></Request></TKKPG>";
    for i in 0..3 {
        let body = text(&sb.handle(&twec(xml)));
        let expected = if i < 2 { "00" } else { "96" };
        assert_eq!(
            xml_text(&body, "Status").as_deref(),
            Some(expected),
            "{body}"
        );
    }
}

#[test]
fn oversized_fields_and_bodies_are_refused() {
    let mut sb = small();
    let long = "x".repeat(2001);
    let reply = json(&sb.handle(&epoint(
        "request",
        &format!(r#"{{"public_key":"i000000001","amount":1,"currency":"AZN","language":"az","order_id":"o","success_redirect_url":"{long}"}}"#),
    )));
    assert_eq!(reply["status"], "error");
    let big = http::Request::post(format!("{BASE}/api/1/request"))
        .body(vec![b'a'; (1 << 20) + 1])
        .unwrap();
    assert_eq!(sb.handle(&big).status(), 413);
}

#[test]
fn the_callback_outbox_is_bounded() {
    let mut config = SandboxConfig::default().with_base_url(BASE);
    config.max_orders = 2000;
    let mut sb = Sandbox::new(config);
    for i in 0..1005 {
        let reply = json(&sb.handle(&epoint(
            "request",
            &format!(r#"{{"public_key":"i000000001","amount":1,"currency":"AZN","language":"az","order_id":"o{i}"}}"#),
        )));
        let tx = reply["transaction"].as_str().unwrap().to_owned();
        sb.complete_payment(
            Gateway::EPoint,
            &tx,
            &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
        )
        .unwrap();
    }
    let callbacks = sb.take_callbacks();
    assert_eq!(callbacks.len(), 1000);
    // The oldest were dropped: the first kept one is for order o5.
    assert!(callbacks[0].json().unwrap().contains(r#""order_id":"o5""#));
}
