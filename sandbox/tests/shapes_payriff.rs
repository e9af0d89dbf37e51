//! The simulated Payriff's raw answers held to the published shapes
//! (`tests/shapes/payriff/*.shape`, each naming its source): every path the sandbox sends is
//! one the sources show, with the same type.

mod common;

use azpay_sandbox::{cards, credentials, Card, CardAction, Gateway, Sandbox};
use azpay_test_support::shape::{check, json_shape};
use common::{sandbox, BASE};

fn call(
    s: &mut Sandbox,
    method: &str,
    path: &str,
    rrn: Option<&str>,
    body: Option<&str>,
) -> Vec<u8> {
    let mut b = http::Request::builder()
        .method(method)
        .uri(format!("{BASE}{path}"))
        .header("authorization", credentials::PAYRIFF_SECRET_KEY);
    if let Some(r) = rrn {
        b = b.header("x-request-rrn", r);
    }
    let request = b.body(body.unwrap_or("").as_bytes().to_vec()).unwrap();
    s.handle(&request).into_body()
}

fn hold(name: &str, body: &[u8]) {
    let text = std::fs::read_to_string(format!(
        "{}/tests/shapes/payriff/{name}.shape",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let shape = json_shape(body).unwrap_or_else(|e| panic!("{name}: {e}"));
    if let Err(e) = check(name, &text, &shape) {
        panic!("{name}: {e}\n{}", String::from_utf8_lossy(body));
    }
}

fn payload_field(body: &[u8], key: &str) -> String {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    v["payload"][key].as_str().unwrap().to_owned()
}

#[test]
fn every_payriff_answer_has_a_published_shape() {
    let mut s = sandbox();
    let created = call(
        &mut s,
        "POST",
        "/api/v3/orders",
        Some("shape-1"),
        Some(
            r#"{"amount":10.5,"currency":"AZN","language":"AZ","operation":"PRE_AUTH","description":"d","callbackUrl":"http://shop.test/cb","cardSave":true,"metadata":{"k":"v"}}"#,
        ),
    );
    hold("create_order", &created);
    let id = payload_field(&created, "orderId");
    hold(
        "order_info",
        &call(&mut s, "GET", &format!("/api/v3/orders/{id}"), None, None),
    );
    s.complete_payment(
        Gateway::Payriff,
        &id,
        &CardAction::Pay(Card::new(cards::PAYRIFF)),
    )
    .unwrap();
    let callbacks = s.take_payriff_callbacks();
    hold("callback", callbacks[0].body.as_bytes());
    let order = call(&mut s, "GET", &format!("/api/v3/orders/{id}"), None, None);
    hold("order_info", &order);
    hold(
        "order_info",
        &call(
            &mut s,
            "GET",
            &format!("/api/v3/orders/{id}/status"),
            None,
            None,
        ),
    );
    hold(
        "order_info",
        &call(&mut s, "GET", "/api/v3/orders/shape-1/rrn", None, None),
    );
    hold(
        "action",
        &call(
            &mut s,
            "POST",
            "/api/v3/complete",
            Some("c"),
            Some(&format!(r#"{{"orderId":"{id}","amount":5}}"#)),
        ),
    );
    hold(
        "action",
        &call(
            &mut s,
            "POST",
            "/api/v3/refund",
            Some("r"),
            Some(&format!(r#"{{"orderId":"{id}","amount":1}}"#)),
        ),
    );
    hold(
        "error",
        &call(
            &mut s,
            "POST",
            "/api/v3/refund",
            Some("r2"),
            Some(&format!(r#"{{"orderId":"{id}","amount":100}}"#)),
        ),
    );
    hold(
        "error",
        &call(&mut s, "GET", "/api/v3/orders/NOPE", None, None),
    );
    hold(
        "error",
        &call(&mut s, "POST", "/api/v3/orders", None, Some("{}")),
    );
    let v: serde_json::Value = serde_json::from_slice(&order).unwrap();
    let card = v["payload"]["transactions"][0]["cardUuid"]
        .as_str()
        .unwrap()
        .to_owned();
    hold(
        "auto_pay",
        &call(
            &mut s,
            "POST",
            "/api/v3/autoPay",
            Some("a"),
            Some(&format!(
                r#"{{"cardUuid":"{card}","amount":3,"operation":"PURCHASE","currency":"AZN","description":"x"}}"#
            )),
        ),
    );
    let save = call(
        &mut s,
        "POST",
        "/api/v3/cards/save",
        None,
        Some(r#"{"customerRef":"c-1","callbackUrl":"http://shop.test/cards","language":"AZ"}"#),
    );
    hold("card_save", &save);
    let save_order = payload_field(&save, "orderId");
    let save_id = payload_field(&save, "cardSaveId");
    s.complete_payment(
        Gateway::Payriff,
        &save_order,
        &CardAction::Pay(Card::new(cards::PAYRIFF)),
    )
    .unwrap();
    hold(
        "card_save",
        &call(
            &mut s,
            "GET",
            &format!("/api/v3/cards/save/{save_id}"),
            None,
            None,
        ),
    );
    hold(
        "saved_cards",
        &call(
            &mut s,
            "GET",
            "/api/v3/cards/save?customerRef=c-1",
            None,
            None,
        ),
    );
    hold(
        "transactions",
        &call(
            &mut s,
            "GET",
            "/api/v3/transactions?page=0&offset=5",
            None,
            None,
        ),
    );
    let unpaid = call(
        &mut s,
        "POST",
        "/api/v3/orders",
        Some("shape-2"),
        Some(r#"{"amount":1}"#),
    );
    let unpaid = payload_field(&unpaid, "orderId");
    hold(
        "action",
        &call(
            &mut s,
            "PATCH",
            &format!("/api/v3/expire-status?orderId={unpaid}"),
            None,
            None,
        ),
    );
}
