//! Kapital's answers as the sandbox sends them, held to the published shapes
//! (`tests/shapes/kapital/*.shape`, each naming its source): a new key, a missing key, a
//! changed type or wrapper fails unless the fixture says why (issue 17, "Keep it faithful").

mod common;

use azpay_sandbox::{cards, Card, CardAction, Gateway, Sandbox};
use azpay_test_support::shape::{check, json_shape};
use common::*;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/shapes/kapital/{name}.shape",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Holds the raw answer to the fixture `name`; on failure prints the answer's whole shape.
fn holds(name: &str, response: &Response) {
    let shape = json_shape(response.body()).unwrap_or_else(|e| panic!("{name}: {e}"));
    if let Err(e) = check(name, &fixture(name), &shape) {
        let all: Vec<String> = shape.iter().map(|(p, t)| format!("{p}: {t}")).collect();
        panic!("{e}\nthe answer's shape:\n{}", all.join("\n"));
    }
}

fn create(sb: &mut Sandbox, type_rid: &str, amount: &str, extra: &str) -> (Response, u64, String) {
    let body = format!(
        r#"{{"order":{{"typeRid":"{type_rid}","amount":"{amount}","currency":"AZN","language":"az","title":"Othub","description":"Testdesc","hppRedirectUrl":"https://shop.test/back"{extra}}}}}"#
    );
    let response = sb.handle(&kapital("POST", "/api/order", &body));
    assert_eq!(response.status(), 200, "{}", text(&response));
    let v = json(&response);
    let id = v["order"]["id"].as_u64().unwrap();
    let password = v["order"]["password"].as_str().unwrap().to_owned();
    (response, id, password)
}

fn exec(sb: &mut Sandbox, id: u64, tran: &str) -> Response {
    sb.handle(&kapital(
        "POST",
        &format!("/api/order/{id}/exec-tran"),
        &format!(r#"{{"tran":{tran}}}"#),
    ))
}

fn get(sb: &mut Sandbox, id: u64, detailed: bool) -> Response {
    let q = if detailed {
        "?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2"
    } else {
        ""
    };
    sb.handle(&kapital("GET", &format!("/api/order/{id}{q}"), ""))
}

fn pay(sb: &mut Sandbox, id: u64, save: bool) {
    sb.complete_payment(
        Gateway::Kapital,
        &id.to_string(),
        &CardAction::Pay(Card::new(cards::KAPITAL_VISA).save(save)),
    )
    .unwrap();
}

#[test]
fn create_order() {
    let mut sb = sandbox();
    let (r, _, _) = create(&mut sb, "Order_SMS", "1", "");
    holds("create_order", &r);
    // Server-side orders answer the same way.
    let (r, _, _) = create(&mut sb, "Order_REC", "1", "");
    holds("create_order", &r);
}

#[test]
fn get_order_summary() {
    let mut sb = sandbox();
    let (_, id, _) = create(&mut sb, "Order_SMS", "1", "");
    holds("get_order_summary", &get(&mut sb, id, false));
    pay(&mut sb, id, false);
    assert_eq!(
        exec(
            &mut sb,
            id,
            r#"{"phase":"Single","amount":"1","type":"Refund"}"#
        )
        .status(),
        200
    );
    holds("get_order_summary", &get(&mut sb, id, false));
}

#[test]
fn get_order_detailed() {
    let mut sb = sandbox();
    // KBDOC's first sample: paid with 3-D Secure, then refunded.
    let (_, id, _) = create(&mut sb, "Order_SMS", "1", "");
    pay(&mut sb, id, false);
    assert_eq!(
        exec(
            &mut sb,
            id,
            r#"{"phase":"Single","amount":"1","type":"Refund"}"#
        )
        .status(),
        200
    );
    holds("get_order_detailed", &get(&mut sb, id, true));
    // KBDOC's second sample: paid and the card stored.
    let (_, id, _) = create(
        &mut sb,
        "Order_SMS",
        "5",
        r#","hppCofCapturePurposes":["UnspecifiedMit","Cit","Recurring"],"aut":{"purpose":"AddCard"}"#,
    );
    pay(&mut sb, id, true);
    holds("get_order_detailed", &get(&mut sb, id, true));
}

#[test]
fn exec_tran_and_set_src_token() {
    let mut sb = sandbox();
    let (_, saving, _) = create(&mut sb, "Order_SMS", "5", r#","aut":{"purpose":"AddCard"}"#);
    pay(&mut sb, saving, true);
    let stored = json(&get(&mut sb, saving, true))["order"]["storedTokens"][0]["id"]
        .as_u64()
        .unwrap();
    let (_, rec, password) = create(&mut sb, "Order_REC", "2", "");
    let set = sb.handle(&kapital(
        "POST",
        &format!("/api/order/{rec}/set-src-token?password={password}"),
        &format!(r#"{{"order":{{"initiationEnvKind":"Server"}},"token":{{"storedId":{stored}}}}}"#),
    ));
    assert_eq!(set.status(), 200, "{}", text(&set));
    holds("set_src_token", &set);
    let charge = exec(
        &mut sb,
        rec,
        r#"{"phase":"Single","conditions":{"cofUsage":"Recurring"}}"#,
    );
    assert_eq!(charge.status(), 200);
    holds("exec_tran", &charge);
    let refund = exec(
        &mut sb,
        rec,
        r#"{"phase":"Single","amount":"1","type":"Refund"}"#,
    );
    holds("exec_tran", &refund);
    let void = exec(&mut sb, rec, r#"{"phase":"Single","voidKind":"Full"}"#);
    // A void after a partial refund is refused by the sandbox with an error body.
    holds("error", &void);
}

#[test]
fn set_dst_token_and_decline() {
    let mut sb = sandbox();
    let (_, id, password) = create(&mut sb, "OCT", "3", "");
    let set = sb.handle(&kapital(
        "POST",
        &format!("/api/order/{id}/set-dst-token?password={password}"),
        &format!(
            r#"{{"token":{{"card":{{"panBlock":{{"data":"{}"}},"entryMode":"ECommerce"}}}}}}"#,
            cards::DECLINE
        ),
    ));
    assert_eq!(set.status(), 200, "{}", text(&set));
    holds("set_dst_token", &set);
    let declined = exec(&mut sb, id, r#"{"phase":"Single","type":"Credit"}"#);
    holds("exec_tran_decline", &declined);
}

#[test]
fn errors() {
    let mut sb = sandbox();
    holds("error", &get(&mut sb, 99_999_999, false));
    let bad_login = sb.handle(&kapital_auth(
        "GET",
        "/api/order/1",
        "",
        &basic("TerminalSys/kapital", "nope"),
    ));
    holds("error", &bad_login);
}
