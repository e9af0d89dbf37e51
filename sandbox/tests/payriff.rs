//! The simulated Payriff, driven by hand-built requests (independent of azpay-core): the
//! envelope, orders, holds, captures, refunds, saved cards, expiry, error codes with HTTP 200,
//! and the hosted page that calls back.

mod common;

use azpay_sandbox::{cards, credentials, Card, CardAction, Gateway, Sandbox};
use common::{sandbox, Request, Response, BASE};
use serde_json::Value;

fn call(
    s: &mut Sandbox,
    method: &str,
    path: &str,
    rrn: Option<&str>,
    body: Option<&str>,
) -> (u16, Value) {
    let mut b = http::Request::builder()
        .method(method)
        .uri(format!("{BASE}{path}"))
        .header("authorization", credentials::PAYRIFF_SECRET_KEY);
    if let Some(r) = rrn {
        b = b.header("x-request-rrn", r);
    }
    if body.is_some() {
        b = b.header("content-type", "application/json");
    }
    let request: Request = b.body(body.unwrap_or("").as_bytes().to_vec()).unwrap();
    let response: Response = s.handle(&request);
    let v: Value = serde_json::from_slice(response.body()).unwrap();
    (response.status().as_u16(), v)
}

fn create(s: &mut Sandbox, body: &str, rrn: &str) -> String {
    let (status, v) = call(s, "POST", "/api/v3/orders", Some(rrn), Some(body));
    assert_eq!((status, v["code"].as_str()), (200, Some("00000")), "{v}");
    v["payload"]["orderId"].as_str().unwrap().to_owned()
}

fn status_of(s: &mut Sandbox, id: &str) -> String {
    let (_, v) = call(s, "GET", &format!("/api/v3/orders/{id}"), None, None);
    v["payload"]["paymentStatus"].as_str().unwrap().to_owned()
}

fn pay(s: &mut Sandbox, id: &str, pan: &str) -> azpay_sandbox::HostedOutcome {
    s.complete_payment(Gateway::Payriff, id, &CardAction::Pay(Card::new(pan)))
        .unwrap()
}

#[test]
fn envelope_and_auth() {
    let mut s = sandbox();
    let request = http::Request::get(format!("{BASE}/api/v3/orders/x"))
        .header("authorization", "wrong")
        .body(Vec::new())
        .unwrap();
    let response = s.handle(&request);
    assert_eq!(response.status(), 200, "errors keep HTTP 200");
    let v: Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(v["code"], "14010");
    assert!(v["payload"].is_null());
    assert!(v["responseId"].is_string());
    let request = http::Request::get(format!("{BASE}/api/v3/orders/x"))
        .body(Vec::new())
        .unwrap();
    let v: Value = serde_json::from_slice(s.handle(&request).body()).unwrap();
    assert_eq!(v["code"], "14013");
    // Invalid parameters: HTTP 200, code 15400.
    for body in [
        r#"{"amount":"10","currency":"AZN"}"#,
        r#"{"amount":-1}"#,
        r#"{"amount":1.234}"#,
        r#"{"amount":1,"currency":"GBP"}"#,
        r#"{"amount":1,"operation":"VOID"}"#,
        r#"{"amount":1,"language":"DE"}"#,
        "not json",
    ] {
        let (status, v) = call(&mut s, "POST", "/api/v3/orders", Some("r"), Some(body));
        assert_eq!((status, v["code"].as_str()), (200, Some("15400")), "{body}");
    }
    // Unknown order: 404 with code 15000.
    let (status, v) = call(&mut s, "GET", "/api/v3/orders/NOPE", None, None);
    assert_eq!((status, v["code"].as_str()), (404, Some("15000")));
}

#[test]
fn purchase_on_the_hosted_page_calls_back_and_redirects() {
    let mut s = sandbox();
    let id = create(
        &mut s,
        r#"{"amount":10.50,"currency":"AZN","language":"AZ","operation":"PURCHASE","description":"Order #1","callbackUrl":"http://shop.test/payriff/cb","redirectUrl":"http://shop.test/back","metadata":{"cartId":"c-9"}}"#,
        "rrn-1",
    );
    let (_, v) = call(&mut s, "GET", &format!("/api/v3/orders/{id}"), None, None);
    assert_eq!(v["payload"]["paymentStatus"], "CREATED");
    assert_eq!(v["payload"]["amount"], serde_json::json!(10.5));
    // The hosted page exists.
    let page = s.handle(
        &http::Request::get(format!("{BASE}/payriff/pay/{id}"))
            .body(Vec::new())
            .unwrap(),
    );
    assert_eq!(page.status(), 200);
    assert!(String::from_utf8_lossy(page.body()).contains("10.50 AZN"));
    let out = pay(&mut s, &id, cards::PAYRIFF);
    assert!(out.approved);
    assert_eq!(out.status, "APPROVED");
    assert_eq!(
        out.redirect,
        azpay_sandbox::Redirect::Get(format!("http://shop.test/back?orderId={id}"))
    );
    let callbacks = s.take_payriff_callbacks();
    assert_eq!(callbacks.len(), 1);
    assert_eq!(callbacks[0].url, "http://shop.test/payriff/cb");
    let cb: Value = serde_json::from_str(&callbacks[0].body).unwrap();
    assert_eq!(cb["code"], "00000");
    assert_eq!(cb["payload"]["orderId"], id.as_str());
    assert_eq!(cb["payload"]["paymentStatus"], "APPROVED");
    // Found again by its RRN.
    let (_, v) = call(&mut s, "GET", "/api/v3/orders/rrn-1/rrn", None, None);
    assert_eq!(v["payload"]["orderId"], id.as_str());
    assert_eq!(v["payload"]["transactions"][0]["requestRrn"], "rrn-1");
    let (status, _) = call(&mut s, "GET", "/api/v3/orders/rrn-unknown/rrn", None, None);
    assert_eq!(status, 404);
    // The same RRN twice is refused.
    let (_, v) = call(
        &mut s,
        "POST",
        "/api/v3/orders",
        Some("rrn-1"),
        Some(r#"{"amount":1}"#),
    );
    assert_eq!(v["code"], "15400");
    assert_eq!(s.executed(Gateway::Payriff, "create-order"), 2);
}

#[test]
fn refunds_full_and_partial_and_rejections() {
    let mut s = sandbox();
    let id = create(&mut s, r#"{"amount":10,"currency":"AZN"}"#, "r1");
    // Nothing paid: a rejection (01000) with HTTP 200.
    let (status, v) = call(
        &mut s,
        "POST",
        "/api/v3/refund",
        Some("rf0"),
        Some(&format!(r#"{{"orderId":"{id}"}}"#)),
    );
    assert_eq!((status, v["code"].as_str()), (200, Some("01000")));
    pay(&mut s, &id, cards::PAYRIFF);
    let (_, v) = call(
        &mut s,
        "POST",
        "/api/v3/refund",
        Some("rf1"),
        Some(&format!(r#"{{"orderId":"{id}","amount":4}}"#)),
    );
    assert_eq!(v["code"], "00000");
    assert!(v["payload"].is_null());
    assert_eq!(status_of(&mut s, &id), "PARTIAL_REFUND");
    let (_, v) = call(
        &mut s,
        "POST",
        "/api/v3/refund",
        Some("rf2"),
        Some(&format!(r#"{{"orderId":"{id}","amount":6.01}}"#)),
    );
    assert_eq!(v["code"], "01000", "more than is left");
    let (_, v) = call(
        &mut s,
        "POST",
        "/api/v3/refund",
        Some("rf3"),
        Some(&format!(r#"{{"orderId":"{id}"}}"#)),
    );
    assert_eq!(v["code"], "00000");
    assert_eq!(status_of(&mut s, &id), "REFUNDED");
    let (_, v) = call(&mut s, "GET", &format!("/api/v3/orders/{id}"), None, None);
    let rrns: Vec<&str> = v["payload"]["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["requestRrn"].as_str())
        .collect();
    assert!(rrns.contains(&"rf1") && rrns.contains(&"rf3"));
}

#[test]
fn holds_capture_less_than_held_and_expiry() {
    let mut s = sandbox();
    let id = create(
        &mut s,
        r#"{"amount":20,"currency":"AZN","operation":"PRE_AUTH"}"#,
        "h1",
    );
    assert_eq!(pay(&mut s, &id, cards::PAYRIFF).status, "PREAUTH_APPROVED");
    let (_, v) = call(
        &mut s,
        "POST",
        "/api/v3/complete",
        Some("c1"),
        Some(&format!(r#"{{"orderId":"{id}","amount":25}}"#)),
    );
    assert_eq!(v["code"], "01000", "more than held");
    let (_, v) = call(
        &mut s,
        "POST",
        "/api/v3/complete",
        Some("c2"),
        Some(&format!(r#"{{"orderId":"{id}","amount":15}}"#)),
    );
    assert_eq!(v["code"], "00000");
    let (_, v) = call(&mut s, "GET", &format!("/api/v3/orders/{id}"), None, None);
    assert_eq!(v["payload"]["paymentStatus"], "APPROVED");
    assert_eq!(v["payload"]["paidAmount"], serde_json::json!(15));
    let (_, v) = call(
        &mut s,
        "POST",
        "/api/v3/complete",
        Some("c3"),
        Some(&format!(r#"{{"orderId":"{id}"}}"#)),
    );
    assert_eq!(v["code"], "01000", "captured once");
    // Expiry of an unpaid order; a paid one cannot expire.
    let unpaid = create(&mut s, r#"{"amount":1}"#, "e1");
    let (_, v) = call(
        &mut s,
        "PATCH",
        &format!("/api/v3/expire-status?orderId={unpaid}"),
        None,
        None,
    );
    assert_eq!(v["code"], "00000");
    assert_eq!(status_of(&mut s, &unpaid), "EXPIRED");
    let (_, v) = call(
        &mut s,
        "PATCH",
        &format!("/api/v3/expire-status?orderId={id}"),
        None,
        None,
    );
    assert_eq!(v["code"], "01000");
    assert!(s
        .complete_payment(
            Gateway::Payriff,
            &unpaid,
            &CardAction::Pay(Card::new(cards::PAYRIFF))
        )
        .is_err());
}

#[test]
fn declines_and_cancels() {
    let mut s = sandbox();
    let id = create(&mut s, r#"{"amount":1}"#, "d1");
    let out = pay(&mut s, &id, cards::DECLINE);
    assert!(!out.approved);
    assert_eq!(status_of(&mut s, &id), "DECLINED");
    let id = create(&mut s, r#"{"amount":1}"#, "d2");
    s.complete_payment(Gateway::Payriff, &id, &CardAction::Cancel)
        .unwrap();
    assert_eq!(status_of(&mut s, &id), "CANCELED");
}

#[test]
fn saved_cards_and_auto_pay() {
    let mut s = sandbox();
    let (_, v) = call(
        &mut s,
        "POST",
        "/api/v3/cards/save",
        None,
        Some(
            r#"{"customerRef":"cust 1","callbackUrl":"http://shop.test/cards/cb","language":"AZ"}"#,
        ),
    );
    assert_eq!(v["code"], "00000");
    let save_id = v["payload"]["cardSaveId"].as_str().unwrap().to_owned();
    let order_id = v["payload"]["orderId"].as_str().unwrap().to_owned();
    assert_eq!(v["payload"]["status"], "CREATED");
    pay(&mut s, &order_id, cards::PAYRIFF);
    let (_, v) = call(
        &mut s,
        "GET",
        &format!("/api/v3/cards/save/{save_id}"),
        None,
        None,
    );
    assert_eq!(v["payload"]["status"], "VERIFIED");
    let uuid = v["payload"]["cardUuid"].as_str().unwrap().to_owned();
    let (_, v) = call(
        &mut s,
        "GET",
        "/api/v3/cards/save?customerRef=cust%201",
        None,
        None,
    );
    assert_eq!(v["payload"][0]["cardUuid"], uuid.as_str());
    // Charge it.
    let body = format!(
        r#"{{"cardUuid":"{uuid}","amount":3,"operation":"PURCHASE","currency":"AZN","description":"Subscription"}}"#
    );
    let (_, v) = call(&mut s, "POST", "/api/v3/autoPay", Some("ap-1"), Some(&body));
    assert_eq!(v["code"], "00000");
    assert_eq!(v["payload"]["paymentStatus"], "APPROVED");
    assert_eq!(v["payload"]["auto"], true);
    // The magic amount declines.
    let body =
        format!(r#"{{"cardUuid":"{uuid}","amount":0.51,"currency":"AZN","description":"x"}}"#);
    let (_, v) = call(&mut s, "POST", "/api/v3/autoPay", Some("ap-2"), Some(&body));
    assert_eq!(v["payload"]["paymentStatus"], "DECLINED");
    // An order with cardSave:true stores the card on its transaction.
    let id = create(&mut s, r#"{"amount":1,"cardSave":true}"#, "cs-order");
    pay(&mut s, &id, cards::PAYRIFF);
    let (_, v) = call(&mut s, "GET", &format!("/api/v3/orders/{id}"), None, None);
    assert!(v["payload"]["transactions"][0]["cardUuid"].is_string());
    // Delete, then it is gone.
    let (_, v) = call(
        &mut s,
        "DELETE",
        &format!("/api/v3/cards/{uuid}"),
        None,
        None,
    );
    assert_eq!(v["payload"], true);
    let (status, _) = call(
        &mut s,
        "DELETE",
        &format!("/api/v3/cards/{uuid}"),
        None,
        None,
    );
    assert_eq!(status, 404);
    let body = format!(r#"{{"cardUuid":"{uuid}","amount":3,"currency":"AZN","description":"x"}}"#);
    let (status, _) = call(&mut s, "POST", "/api/v3/autoPay", Some("ap-3"), Some(&body));
    assert_eq!(status, 404);
}

#[test]
fn transactions_pages() {
    let mut s = sandbox();
    for i in 0..3 {
        create(&mut s, r#"{"amount":1}"#, &format!("t{i}"));
    }
    let (_, v) = call(
        &mut s,
        "GET",
        "/api/v3/transactions?page=0&offset=2",
        None,
        None,
    );
    assert_eq!(v["payload"]["totalElements"], 3);
    assert_eq!(v["payload"]["content"].as_array().unwrap().len(), 2);
    assert_eq!(v["payload"]["last"], false);
    let (_, v) = call(&mut s, "GET", "/api/v3/transactions?offset=21", None, None);
    assert_eq!(v["code"], "15400");
}
