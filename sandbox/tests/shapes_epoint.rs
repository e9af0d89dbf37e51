//! Issue 17, "Keep it faithful", for EPoint: the sandbox's raw answer to every EPoint
//! operation and callback, captured through `Sandbox::handle`, held to the published shape in
//! `tests/shapes/epoint/<operation>.shape` (each names its source on its first line).
//!
//! `AZPAY_PRINT_SHAPES=1` prints the captured shapes (to write a new fixture from facts).

mod common;

use azpay_sandbox::epoint_settings::{AmountForm, EPointSettings};
use azpay_sandbox::{cards, Card, CardAction, Gateway, Sandbox, SandboxConfig};
use azpay_test_support::shape::{check, json_shape};
use common::*;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/shapes/epoint/{name}.shape",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Holds `body` to the fixture `name`; collects every mismatch instead of stopping at one.
fn hold(name: &str, body: &[u8], problems: &mut Vec<String>) {
    let shape = json_shape(body).unwrap_or_else(|e| panic!("{name}: {e}"));
    if std::env::var_os("AZPAY_PRINT_SHAPES").is_some() {
        eprintln!("== {name}");
        for (path, ty) in &shape {
            eprintln!("{path}: {ty}");
        }
    }
    if let Err(e) = check(name, &fixture(name), &shape) {
        problems.push(e);
    }
}

fn data_json(callback: &azpay_sandbox::Callback) -> Vec<u8> {
    callback
        .json()
        .expect("callback data is base64 JSON")
        .into_bytes()
}

fn send(sb: &mut Sandbox, endpoint: &str, json: &str) -> Vec<u8> {
    let response = sb.handle(&epoint(endpoint, json));
    assert_eq!(response.status(), 200, "{endpoint}");
    response.into_body()
}

fn field(body: &[u8], key: &str) -> String {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {v}"))
        .to_owned()
}

fn register(sb: &mut Sandbox, refund: u8) -> (Vec<u8>, String) {
    let body = send(
        sb,
        "card-registration",
        &format!(r#"{{"public_key":"i000000001","language":"en","refund":{refund}}}"#),
    );
    let card = field(&body, "card_id");
    sb.complete_payment(
        Gateway::EPoint,
        &card,
        &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
    )
    .unwrap();
    (body, card)
}

fn charge_json(card: &str, order: &str, amount: &str) -> String {
    format!(
        r#"{{"public_key":"i000000001","language":"az","card_id":"{card}","order_id":"{order}","amount":{amount},"currency":"AZN"}}"#
    )
}

#[test]
fn every_epoint_answer_and_callback_has_the_published_shape() {
    let mut sb = sandbox();
    let mut problems = Vec::new();

    let heartbeat = sb.handle(&get("/api/heartbeat")).into_body();
    hold("heartbeat", &heartbeat, &mut problems);

    // A payment through the hosted page, its callback and its status.
    let pay = r#"{"public_key":"i000000001","amount":"10.50","currency":"AZN","language":"az","order_id":"s-1","other_attr":{"k":"v"}}"#;
    let created = send(&mut sb, "request", pay);
    hold("request", &created, &mut problems);
    let tx = field(&created, "transaction");
    sb.complete_payment(
        Gateway::EPoint,
        &tx,
        &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
    )
    .unwrap();
    let callbacks = sb.take_callbacks();
    hold("callback_payment", &data_json(&callbacks[0]), &mut problems);
    let status_json = format!(r#"{{"public_key":"i000000001","transaction":"{tx}"}}"#);
    hold(
        "get_status",
        &send(&mut sb, "get-status", &status_json),
        &mut problems,
    );

    // Card registration, its callback, the card's status.
    let (registration, debit) = register(&mut sb, 0);
    hold("card_registration", &registration, &mut problems);
    let callbacks = sb.take_callbacks();
    hold(
        "callback_card_registration",
        &data_json(&callbacks[0]),
        &mut problems,
    );
    let card_json = format!(r#"{{"public_key":"i000000001","card_id":"{debit}"}}"#);
    hold(
        "get_status_card",
        &send(&mut sb, "get-status-card", &card_json),
        &mut problems,
    );

    // Charges on the saved card: approved, refused for funds, split.
    let charged = send(
        &mut sb,
        "execute-pay",
        &charge_json(&debit, "s-2", "\"5.00\""),
    );
    hold("execute_pay", &charged, &mut problems);
    let refused = send(
        &mut sb,
        "execute-pay",
        &charge_json(&debit, "s-3", cards::EPOINT_INSUFFICIENT_FUNDS),
    );
    hold("execute_pay_failed", &refused, &mut problems);
    let split = format!(
        r#"{{"public_key":"i000000001","language":"az","card_id":"{debit}","order_id":"s-4","amount":"10.00","currency":"AZN","split_user":"i000000002","split_amount":"2.50"}}"#
    );
    hold(
        "split_execute_pay",
        &send(&mut sb, "split-execute-pay", &split),
        &mut problems,
    );

    // Pay and save.
    let with_pay = r#"{"public_key":"i000000001","amount":"1.00","currency":"AZN","language":"az","order_id":"s-5"}"#;
    hold(
        "card_registration_with_pay",
        &send(&mut sb, "card-registration-with-pay", with_pay),
        &mut problems,
    );

    // A payout.
    let (_, payout_card) = register(&mut sb, 1);
    sb.take_callbacks();
    let paid_out = send(
        &mut sb,
        "refund-request",
        &charge_json(&payout_card, "s-6", "\"3.00\""),
    );
    hold("payout", &paid_out, &mut problems);

    // A full refund of the first payment, and its `returned` callback.
    let reverse = format!(
        r#"{{"public_key":"i000000001","language":"az","transaction":"{tx}","currency":"AZN"}}"#
    );
    hold(
        "reverse",
        &send(&mut sb, "reverse", &reverse),
        &mut problems,
    );
    let callbacks = sb.take_callbacks();
    hold(
        "callback_returned",
        &data_json(&callbacks[0]),
        &mut problems,
    );

    // A hold and its capture.
    let hold_json = r#"{"public_key":"i000000001","amount":"50.00","currency":"AZN","language":"az","order_id":"s-7"}"#;
    let held = send(&mut sb, "pre-auth-request", hold_json);
    let hold_tx = field(&held, "transaction");
    sb.complete_payment(
        Gateway::EPoint,
        &hold_tx,
        &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
    )
    .unwrap();
    let complete =
        format!(r#"{{"public_key":"i000000001","amount":"40.00","transaction":"{hold_tx}"}}"#);
    hold(
        "pre_auth_complete",
        &send(&mut sb, "pre-auth-complete", &complete),
        &mut problems,
    );

    // The widget.
    let widget =
        r#"{"public_key":"i000000001","amount":"2.50","order_id":"s-8","description":"Test"}"#;
    hold(
        "token_widget",
        &send(&mut sb, "token/widget", widget),
        &mut problems,
    );

    // Refusals: a repeated order id, a wrong signature.
    hold("error", &send(&mut sb, "request", pay), &mut problems);
    let forged = sb.handle(&epoint_with_key("get-status", &status_json, "wrong-key"));
    hold("server_error", forged.body(), &mut problems);

    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The amounts as JSON numbers in their shortest form (`10.5`, `100`), a setting.
#[test]
fn amounts_in_the_shortest_number_form() {
    let mut sb = Sandbox::new(
        SandboxConfig::default()
            .with_base_url(BASE)
            .with_id_offset(0)
            .with_epoint(EPointSettings::default().amount_form(AmountForm::Shortest)),
    );
    let (_, card) = register(&mut sb, 0);
    let body = send(&mut sb, "execute-pay", &charge_json(&card, "n-1", "100"));
    let text = String::from_utf8(body).unwrap();
    assert!(
        text.contains(r#""amount":100,"#) || text.ends_with(r#""amount":100}"#),
        "{text}"
    );
    let body = send(&mut sb, "execute-pay", &charge_json(&card, "n-2", "10.5"));
    assert!(String::from_utf8(body)
        .unwrap()
        .contains(r#""amount":10.5"#));
}
