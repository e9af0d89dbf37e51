//! Kapital Bank JSON API through `Sandbox::handle`, no sockets.

mod common;

use azpay_sandbox::{cards, Card, CardAction, Gateway, Redirect, Sandbox};
use common::*;

fn create(sb: &mut Sandbox, type_rid: &str, amount: &str, extra: &str) -> (u64, String) {
    let body = format!(
        r#"{{"order":{{"typeRid":"{type_rid}","amount":{amount},"currency":"AZN","language":"az","title":"Othub","description":"Testdesc","hppRedirectUrl":"https://shop.test/back?x=1"{extra}}}}}"#
    );
    let response = sb.handle(&kapital("POST", "/api/order", &body));
    assert_eq!(response.status(), 200, "{}", text(&response));
    let reply = json(&response);
    let order = &reply["order"];
    assert_eq!(order["hppUrl"], format!("{BASE}/flex").as_str());
    assert_eq!(order["status"], "Preparing");
    let expected_cvv2 = if type_rid == "OCT" {
        "IneligibleOrder"
    } else {
        "Required"
    };
    assert_eq!(order["cvv2AuthStatus"], expected_cvv2);
    assert_eq!(order["secret"].as_str().unwrap().len(), 6);
    (
        order["id"].as_u64().unwrap(),
        order["password"].as_str().unwrap().to_owned(),
    )
}

fn exec(sb: &mut Sandbox, id: u64, tran: &str) -> Response {
    sb.handle(&kapital(
        "POST",
        &format!("/api/order/{id}/exec-tran"),
        &format!(r#"{{"tran":{tran}}}"#),
    ))
}

fn order(sb: &mut Sandbox, id: u64) -> serde_json::Value {
    json(&sb.handle(&kapital("GET", &format!("/api/order/{id}"), "")))["order"].clone()
}

fn detailed(sb: &mut Sandbox, id: u64) -> serde_json::Value {
    json(&sb.handle(&kapital(
        "GET",
        &format!("/api/order/{id}?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2"),
        "",
    )))["order"]
        .clone()
}

fn error_code(response: &Response) -> String {
    let body = json(response);
    assert!(body.get("errorDescription").is_some(), "{body}");
    assert!(body.get("order").is_none() && body.get("tran").is_none());
    body["errorCode"].as_str().unwrap().to_owned()
}

fn pay_on_page(sb: &mut Sandbox, id: u64, password: &str, pan: &str, save: bool) -> String {
    let path = format!("/flex?id={id}&password={password}");
    let page = sb.handle(&get(&path));
    assert_eq!(page.status(), 200, "{}", text(&page));
    let html = text(&page);
    let action = form_action(&html).unwrap();
    let mut fields = vec![
        ("pan", pan),
        ("expiry", "11/26"),
        ("cvv", "119"),
        ("action", "pay"),
    ];
    if save {
        fields.push(("save", "1"));
    }
    location(&sb.handle(&post_form(&action, &fields)))
}

#[test]
fn purchase_lifecycle_sms() {
    let mut sb = sandbox();
    let (id, password) = create(&mut sb, "Order_SMS", "\"10.50\"", "");
    let back = pay_on_page(&mut sb, id, &password, cards::KAPITAL_VISA, false);
    assert_eq!(
        back,
        format!("https://shop.test/back?x=1&ID={id}&STATUS=FullyPaid")
    );
    let summary = order(&mut sb, id);
    assert_eq!(summary["status"], "FullyPaid");
    assert_eq!(summary["prevStatus"], "Preparing");
    assert_eq!(summary["typeRid"], "Order_SMS");
    assert_eq!(summary["amount"].to_string(), "10.5");
    assert_eq!(summary["createTime"], "2024-06-12 15:38:23");
    assert!(summary.get("trans").is_none(), "summary has no trans");

    // Refund part, not more than paid, then the rest.
    let ok = exec(
        &mut sb,
        id,
        r#"{"phase":"Single","amount":"2.00","type":"Refund"}"#,
    );
    assert_eq!(ok.status(), 200, "{}", text(&ok));
    let tran = json(&ok);
    assert_eq!(tran["tran"]["pmoResultCode"], "1");
    assert_eq!(tran["tran"]["approvalCode"].as_str().unwrap().len(), 6);
    assert!(tran["tran"]["match"]["tranActionId"].is_string());
    let too_much = exec(
        &mut sb,
        id,
        r#"{"phase":"Single","amount":"8.51","type":"Refund"}"#,
    );
    assert_eq!(too_much.status(), 400);
    assert_eq!(error_code(&too_much), "InvalidAmt");
    // A void after a refund is refused.
    let void = exec(&mut sb, id, r#"{"phase":"Single","voidKind":"Full"}"#);
    assert_eq!(error_code(&void), "InvalidOrderState");
    let rest = exec(
        &mut sb,
        id,
        r#"{"phase":"Single","amount":8.5,"type":"Refund"}"#,
    );
    assert_eq!(rest.status(), 200, "{}", text(&rest));

    let full = detailed(&mut sb, id);
    assert_eq!(full["status"], "Refunded");
    assert_eq!(full["prevStatus"], "FullyPaid");
    assert_eq!(full["password"], password.as_str());
    let trans = full["trans"].as_array().unwrap();
    assert_eq!(trans.len(), 3);
    assert_eq!(trans[0]["type"], "Purchase");
    assert_eq!(trans[0]["clearAmount"].to_string(), "10.5");
    assert_eq!(trans[1]["type"], "Refund");
    assert_eq!(trans[1]["clearAmount"].to_string(), "-2");
    assert_eq!(full["clearedRefundAmount"].to_string(), "10.5");
    assert_eq!(full["srcToken"]["displayName"], "416974******1778");
    assert_eq!(full["srcToken"]["card"]["expiration"], "1126");
    assert!(full.get("storedTokens").is_none());
    assert_eq!(full["type"]["rid"], "Order_SMS");

    // Nothing more to refund.
    let again = exec(&mut sb, id, r#"{"phase":"Single","type":"Refund"}"#);
    assert_eq!(error_code(&again), "InvalidOrderState");
    assert_eq!(sb.executed(Gateway::Kapital, "exec-tran"), 5);
    assert_eq!(sb.executed(Gateway::Kapital, "create-order"), 1);
}

#[test]
fn voids_per_phase() {
    let mut sb = sandbox();
    // Full void after a purchase.
    let (id, _) = create(&mut sb, "Order_SMS", "5", "");
    let pay = CardAction::Pay(Card::new(cards::KAPITAL_MASTERCARD));
    sb.complete_payment(Gateway::Kapital, &id.to_string(), &pay)
        .unwrap();
    let wrong_phase = exec(&mut sb, id, r#"{"phase":"Auth","voidKind":"Full"}"#);
    assert_eq!(error_code(&wrong_phase), "InvalidOrderState");
    let void = exec(&mut sb, id, r#"{"phase":"Single","voidKind":"Full"}"#);
    assert_eq!(void.status(), 200, "{}", text(&void));
    assert_eq!(order(&mut sb, id)["status"], "Voided");

    // Partial void only once, then the order stays paid for the rest.
    let (id, _) = create(&mut sb, "Order_SMS", "5", "");
    sb.complete_payment(Gateway::Kapital, &id.to_string(), &pay)
        .unwrap();
    let partial = exec(
        &mut sb,
        id,
        r#"{"phase":"Single","amount":"1.00","voidKind":"Partial"}"#,
    );
    assert_eq!(partial.status(), 200, "{}", text(&partial));
    let twice = exec(
        &mut sb,
        id,
        r#"{"phase":"Single","amount":"1.00","voidKind":"Partial"}"#,
    );
    assert_eq!(error_code(&twice), "InvalidOrderState");
    let refund_too_much = exec(
        &mut sb,
        id,
        r#"{"phase":"Single","amount":"4.01","type":"Refund"}"#,
    );
    assert_eq!(error_code(&refund_too_much), "InvalidAmt");
    assert_eq!(order(&mut sb, id)["status"], "FullyPaid");

    // Void before payment is refused.
    let (id, _) = create(&mut sb, "Order_SMS", "5", "");
    let early = exec(&mut sb, id, r#"{"phase":"Single","voidKind":"Full"}"#);
    assert_eq!(error_code(&early), "InvalidOrderState");
}

#[test]
fn pre_auth_clearing_and_voids_dms() {
    let mut sb = sandbox();
    let (id, password) = create(&mut sb, "Order_DMS", "\"20\"", "");
    let clear_early = exec(&mut sb, id, r#"{"phase":"Clearing","amount":"20"}"#);
    assert_eq!(error_code(&clear_early), "InvalidOrderState");
    let back = pay_on_page(&mut sb, id, &password, cards::KAPITAL_VISA, false);
    assert!(
        back.ends_with(&format!("ID={id}&STATUS=Authorized")),
        "{back}"
    );
    assert_eq!(order(&mut sb, id)["status"], "Authorized");
    let refund_hold = exec(
        &mut sb,
        id,
        r#"{"phase":"Single","amount":"1","type":"Refund"}"#,
    );
    assert_eq!(error_code(&refund_hold), "InvalidOrderState");
    let over = exec(&mut sb, id, r#"{"phase":"Clearing","amount":"20.01"}"#);
    assert_eq!(error_code(&over), "InvalidAmt");
    let clear = exec(&mut sb, id, r#"{"phase":"Clearing","amount":"15.00"}"#);
    assert_eq!(clear.status(), 200, "{}", text(&clear));
    let o = detailed(&mut sb, id);
    assert_eq!(o["status"], "FullyPaid");
    assert_eq!(o["clearedChargeAmount"].to_string(), "15");
    let void = exec(&mut sb, id, r#"{"phase":"Clearing","voidKind":"Full"}"#);
    assert_eq!(void.status(), 200, "{}", text(&void));
    assert_eq!(order(&mut sb, id)["status"], "Voided");

    // Void of the hold itself.
    let (id, _) = create(&mut sb, "Order_DMS", "3", "");
    sb.complete_payment(
        Gateway::Kapital,
        &id.to_string(),
        &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
    )
    .unwrap();
    let void = exec(&mut sb, id, r#"{"phase":"Auth","voidKind":"Full"}"#);
    assert_eq!(void.status(), 200);
    assert_eq!(order(&mut sb, id)["status"], "Voided");
}

#[test]
fn decline_card_cancel_and_unknown_card() {
    let mut sb = sandbox();
    let (id, password) = create(&mut sb, "Order_SMS", "1", "");
    let back = pay_on_page(&mut sb, id, &password, cards::DECLINE, false);
    assert!(
        back.ends_with(&format!("ID={id}&STATUS=Declined")),
        "{back}"
    );
    assert_eq!(order(&mut sb, id)["status"], "Declined");
    let refund = exec(&mut sb, id, r#"{"phase":"Single","type":"Refund"}"#);
    assert_eq!(error_code(&refund), "InvalidOrderState");

    let (id, _) = create(&mut sb, "Order_SMS", "1", "");
    let outcome = sb
        .complete_payment(Gateway::Kapital, &id.to_string(), &CardAction::Cancel)
        .unwrap();
    assert_eq!(outcome.status, "Cancelled");
    assert!(!outcome.approved);

    // Kapital's test environment knows only its test cards.
    let (id, _) = create(&mut sb, "Order_SMS", "1", "");
    let outcome = sb
        .complete_payment(
            Gateway::Kapital,
            &id.to_string(),
            &CardAction::Pay(Card::new("4111111111111111")),
        )
        .unwrap();
    assert_eq!(outcome.status, "Declined");
}

#[test]
fn auth_errors_unknown_orders_and_bad_requests() {
    let mut sb = sandbox();
    let bad = sb.handle(&kapital_auth(
        "POST",
        "/api/order",
        r#"{"order":{"typeRid":"Order_SMS","amount":"1","currency":"AZN","language":"az"}}"#,
        &basic("TerminalSys/kapital", "wrong"),
    ));
    assert_eq!(bad.status(), 401);
    assert_eq!(error_code(&bad), "InvalidLogin");
    let none = sb.handle(
        &http::Request::get(format!("{BASE}/api/order/1"))
            .body(Vec::new())
            .unwrap(),
    );
    assert_eq!(none.status(), 401);
    assert_eq!(sb.executed(Gateway::Kapital, "create-order"), 0);

    let missing = sb.handle(&kapital("GET", "/api/order/999999", ""));
    assert_eq!(missing.status(), 404);
    assert_eq!(
        json(&missing),
        serde_json::json!({"errorCode":"ServiceError","errorDescription":"no order found"})
    );
    let missing = exec(&mut sb, 999_999, r#"{"phase":"Single","type":"Refund"}"#);
    assert_eq!(missing.status(), 404);

    for body in [
        "not json",
        r#"{"tran":{}}"#,
        r#"{"order":{"typeRid":"Order_XYZ","amount":"1","currency":"AZN"}}"#,
        r#"{"order":{"typeRid":"Order_SMS","amount":"1.234","currency":"AZN"}}"#,
        r#"{"order":{"typeRid":"Order_SMS","amount":"1","currency":"USD"}}"#,
    ] {
        let response = sb.handle(&kapital("POST", "/api/order", body));
        assert_eq!(response.status(), 400, "{body}");
        let code = error_code(&response);
        assert!(code == "InvalidRequest" || code == "InvalidAmt", "{code}");
    }
}

#[test]
fn saved_card_then_recurring_charge() {
    let mut sb = sandbox();
    // Pay and save the card (aut AddCard).
    let (first, password) = create(
        &mut sb,
        "Order_SMS",
        "1",
        r#","hppCofCapturePurposes":["UnspecifiedMit","Cit","Recurring"],"aut":{"purpose":"AddCard"}"#,
    );
    let html = text(&sb.handle(&get(&format!("/flex?id={first}&password={password}"))));
    assert!(html.contains("name=\"save\""), "{html}");
    sb.complete_payment(
        Gateway::Kapital,
        &first.to_string(),
        &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
    )
    .unwrap();
    let saving = detailed(&mut sb, first);
    let stored = saving["storedTokens"].clone();
    let token = stored[0]["id"].as_u64().expect("a stored token");
    // As on the real platform (KBDOC: srcToken.id 5652, storedTokens[].id 5654), the stored
    // card's id is not the paying token's: a client charging the wrong id fails here.
    assert_ne!(saving["srcToken"]["id"].as_u64(), Some(token));
    assert_eq!(
        stored[0].as_object().unwrap().len(),
        1,
        "only the id: {stored}"
    );

    // Recurring order: set-src-token (with the order password), then exec-tran.
    let (rec, rec_password) = create(&mut sb, "Order_REC", "\"7.25\"", "");
    let no_token = exec(
        &mut sb,
        rec,
        r#"{"phase":"Single","conditions":{"cofUsage":"Recurring"}}"#,
    );
    assert_eq!(error_code(&no_token), "InvalidToken");
    let body =
        format!(r#"{{"order":{{"initiationEnvKind":"Server"}},"token":{{"storedId":{token}}}}}"#);
    let wrong = sb.handle(&kapital(
        "POST",
        &format!("/api/order/{rec}/set-src-token?password=nope"),
        &body,
    ));
    assert_eq!(wrong.status(), 400);
    assert_eq!(error_code(&wrong), "InvalidRequest");
    let missing_pw = sb.handle(&kapital(
        "POST",
        &format!("/api/order/{rec}/set-src-token"),
        &body,
    ));
    assert_eq!(error_code(&missing_pw), "InvalidRequest");
    let unknown_token = sb.handle(&kapital(
        "POST",
        &format!("/api/order/{rec}/set-src-token?password={rec_password}"),
        r#"{"token":{"storedId":123}}"#,
    ));
    assert_eq!(error_code(&unknown_token), "InvalidToken");
    let set = sb.handle(&kapital(
        "POST",
        &format!("/api/order/{rec}/set-src-token?password={rec_password}"),
        &body,
    ));
    assert_eq!(set.status(), 200, "{}", text(&set));
    let set = json(&set);
    assert_eq!(set["order"]["status"], "Preparing");
    // The paying token is a new one made from the stored card (KBDOC: storedId 5125 answers
    // srcToken.id 6298).
    let paying = set["order"]["srcToken"]["id"].as_u64().unwrap();
    assert_ne!(paying, token);
    assert_eq!(set["order"]["srcToken"]["role"], "Src");
    assert_eq!(set["order"]["srcToken"]["displayName"], "416974******1778");
    let charge = exec(
        &mut sb,
        rec,
        r#"{"phase":"Single","conditions":{"cofUsage":"Recurring"}}"#,
    );
    assert_eq!(charge.status(), 200, "{}", text(&charge));
    let o = detailed(&mut sb, rec);
    assert_eq!(o["status"], "FullyPaid");
    assert_eq!(o["clearedChargeAmount"].to_string(), "7.25");

    // DMSN3D: a pre-auth on the saved card, then clearing.
    let (dms, dms_password) = create(&mut sb, "DMSN3D", "4", "");
    let set = sb.handle(&kapital(
        "POST",
        &format!("/api/order/{dms}/set-src-token?password={dms_password}"),
        &body,
    ));
    assert_eq!(set.status(), 200);
    let auth = exec(
        &mut sb,
        dms,
        r#"{"phase":"Auth","authorizationKind":"Preliminary","conditions":{"cofUsage":"Recurring"}}"#,
    );
    assert_eq!(auth.status(), 200, "{}", text(&auth));
    assert_eq!(order(&mut sb, dms)["status"], "Authorized");
    assert_eq!(exec(&mut sb, dms, r#"{"phase":"Clearing"}"#).status(), 200);
    assert_eq!(order(&mut sb, dms)["status"], "FullyPaid");
}

#[test]
fn oct_credit_to_card_and_pmo_decline() {
    let mut sb = sandbox();
    let (id, password) = create(&mut sb, "OCT", "3", "");
    // No hosted page for OCT.
    assert!(sb
        .complete_payment(Gateway::Kapital, &id.to_string(), &CardAction::Cancel)
        .is_err());
    let credit = exec(&mut sb, id, r#"{"phase":"Single","type":"Credit"}"#);
    assert_eq!(error_code(&credit), "InvalidToken");
    let set = sb.handle(&kapital(
        "POST",
        &format!("/api/order/{id}/set-dst-token?password={password}"),
        &format!(
            r#"{{"token":{{"card":{{"panBlock":{{"data":"{}"}},"entryMode":"ECommerce"}}}}}}"#,
            cards::KAPITAL_VISA
        ),
    ));
    assert_eq!(set.status(), 200, "{}", text(&set));
    assert_eq!(json(&set)["order"]["dstToken"]["role"], "Dst");
    let credit = exec(&mut sb, id, r#"{"phase":"Single","type":"Credit"}"#);
    assert_eq!(credit.status(), 200, "{}", text(&credit));
    assert_eq!(order(&mut sb, id)["status"], "FullyPaid");

    // To the always-decline card: PmoDecline with errorDetails, order Declined.
    let (id, password) = create(&mut sb, "OCT", "3", "");
    sb.handle(&kapital(
        "POST",
        &format!("/api/order/{id}/set-dst-token?password={password}"),
        &format!(
            r#"{{"token":{{"card":{{"panBlock":{{"data":"{}"}},"entryMode":"ECommerce"}}}}}}"#,
            cards::DECLINE
        ),
    ));
    let declined = exec(&mut sb, id, r#"{"phase":"Single","type":"Credit"}"#);
    assert_eq!(declined.status(), 400);
    let body = json(&declined);
    assert_eq!(body["errorCode"], "PmoDecline");
    assert!(body["errorDescription"]
        .as_str()
        .unwrap()
        .starts_with("Transaction declined by PMO: Auth Response: 59"));
    assert_eq!(body["errorDetails"]["pmoResultCode"], "59");
    assert!(body["errorDetails"]["match"]["ridByPmo"].is_string());
    assert!(body["errorDetails"]["declineReason"].is_string());
    assert_eq!(order(&mut sb, id)["status"], "Declined");
}

#[test]
fn hosted_page_checks_the_order_password() {
    let mut sb = sandbox();
    let (id, password) = create(&mut sb, "Order_SMS", "1", "");
    assert_eq!(
        sb.handle(&get(&format!("/flex?id={id}&password=wrong")))
            .status(),
        403
    );
    assert_eq!(sb.handle(&get("/flex?id=1&password=x")).status(), 404);
    // Without hppRedirectUrl the page shows the result itself.
    let response = sb.handle(&kapital(
        "POST",
        "/api/order",
        r#"{"order":{"typeRid":"Order_SMS","amount":"1","currency":"AZN","language":"en","description":"d"}}"#,
    ));
    let reply = json(&response);
    let id2 = reply["order"]["id"].as_u64().unwrap();
    let outcome = sb
        .complete_payment(
            Gateway::Kapital,
            &id2.to_string(),
            &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
        )
        .unwrap();
    assert_eq!(outcome.redirect, Redirect::None);
    // A malformed card is re-asked with an error, nothing changes.
    let bad = sb.handle(&post_form(
        &format!("/flex?id={id}&password={password}"),
        &[
            ("pan", "12"),
            ("expiry", "11/26"),
            ("cvv", "1"),
            ("action", "pay"),
        ],
    ));
    assert_eq!(bad.status(), 400);
    assert_eq!(order(&mut sb, id)["status"], "Preparing");
}

fn sandbox_with(settings: azpay_sandbox::KapitalSettings) -> Sandbox {
    Sandbox::new(
        azpay_sandbox::SandboxConfig::default()
            .with_base_url(BASE)
            .with_id_offset(0)
            .with_fixed_time(1_718_206_703)
            .with_kapital(settings),
    )
}

#[test]
fn errors_can_arrive_with_http_200() {
    let mut sb = sandbox_with(azpay_sandbox::KapitalSettings::default().errors_with_http_200(true));
    let missing = sb.handle(&kapital("GET", "/api/order/99999", ""));
    assert_eq!(missing.status(), 200);
    assert_eq!(error_code(&missing), "ServiceError");
    // A decline too.
    let (id, password) = create(&mut sb, "OCT", "3", "");
    let set = sb.handle(&kapital(
        "POST",
        &format!("/api/order/{id}/set-dst-token?password={password}"),
        &format!(
            r#"{{"token":{{"card":{{"panBlock":{{"data":"{}"}},"entryMode":"ECommerce"}}}}}}"#,
            cards::DECLINE
        ),
    ));
    assert_eq!(set.status(), 200);
    let declined = exec(&mut sb, id, r#"{"phase":"Single","type":"Credit"}"#);
    assert_eq!(declined.status(), 200);
    assert_eq!(error_code(&declined), "PmoDecline");
    // By default errors keep their 4xx status.
    let mut sb = sandbox();
    assert_eq!(
        sb.handle(&kapital("GET", "/api/order/99999", "")).status(),
        404
    );
}

#[test]
fn answers_without_pmo_result_code() {
    let mut sb = sandbox_with(azpay_sandbox::KapitalSettings::default().omit_pmo_result_code(true));
    let (id, password) = create(&mut sb, "Order_SMS", "10", "");
    pay_on_page(&mut sb, id, &password, cards::KAPITAL_VISA, false);
    let refund = exec(
        &mut sb,
        id,
        r#"{"phase":"Single","amount":"1","type":"Refund"}"#,
    );
    assert_eq!(refund.status(), 200);
    let tran = json(&refund)["tran"].clone();
    assert!(tran.get("pmoResultCode").is_none(), "{tran}");
    assert!(tran["approvalCode"].is_string());
    let o = detailed(&mut sb, id);
    for t in o["trans"].as_array().unwrap() {
        assert!(t.get("pmoResultCode").is_none(), "{t}");
    }
}

#[test]
fn magic_amounts_give_the_platforms_other_answers() {
    let mut sb = sandbox();
    // Unknown status word, PartPaid.
    for (amount, word) in [
        (cards::KAPITAL_AMOUNT_UNKNOWN_STATUS, "Processing"),
        (cards::KAPITAL_AMOUNT_PART_PAID, "PartPaid"),
    ] {
        let (id, password) = create(&mut sb, "Order_SMS", amount, "");
        pay_on_page(&mut sb, id, &password, cards::KAPITAL_VISA, false);
        assert_eq!(order(&mut sb, id)["status"], word);
    }
    // A full refund of a 5.07 order: Refused.
    let refused = cards::KAPITAL_AMOUNT_REFUSED;
    let (id, password) = create(&mut sb, "Order_SMS", refused, "");
    pay_on_page(&mut sb, id, &password, cards::KAPITAL_VISA, false);
    let r = exec(
        &mut sb,
        id,
        &format!(r#"{{"phase":"Single","amount":"{refused}","type":"Refund"}}"#),
    );
    assert_eq!(r.status(), 200);
    assert_eq!(order(&mut sb, id)["status"], "Refused");
    // An HTML 500 after a refund that happened.
    let (id, password) = create(&mut sb, "Order_SMS", "10", "");
    pay_on_page(&mut sb, id, &password, cards::KAPITAL_VISA, false);
    let html = exec(
        &mut sb,
        id,
        &format!(
            r#"{{"phase":"Single","amount":"{}","type":"Refund"}}"#,
            cards::KAPITAL_AMOUNT_HTML_500
        ),
    );
    assert_eq!(html.status(), 500);
    assert!(text(&html).starts_with("<!DOCTYPE html>"));
    let o = detailed(&mut sb, id);
    assert_eq!(o["clearedRefundAmount"].to_string(), "5.04", "executed");
}

#[test]
fn detailed_order_carries_the_real_key_paths() {
    let mut sb = sandbox();
    let (id, password) = create(&mut sb, "Order_SMS", "5", "");
    pay_on_page(&mut sb, id, &password, cards::KAPITAL_VISA, true);
    let o = detailed(&mut sb, id);
    let auth = &o["srcToken"]["card"]["authentication"];
    assert_eq!(auth["cryptType"], "Tds");
    assert!(auth["tdsARes"].is_string(), "JSON inside a string: {auth}");
    assert_eq!(o["srcToken"]["owner"], serde_json::json!({}));
    assert_eq!(o["merchant"]["businessAddress"]["countryA2"], "AZ");
    assert_eq!(o["type"]["orderClass"], "Sale");
    assert_eq!(o["type"]["allowCVV2"], true);
    assert_eq!(o["tdsV2AuthStatus"], "Verified");
}
