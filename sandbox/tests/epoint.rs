//! EPoint through `Sandbox::handle`, no sockets.

mod common;

use azpay_sandbox::{cards, Card, CardAction, Gateway};
use common::*;

fn pay_json(order_id: &str, amount: &str) -> String {
    format!(
        r#"{{"public_key":"i000000001","amount":{amount},"currency":"AZN","language":"az","order_id":"{order_id}","description":"Test <b>&</b>","success_redirect_url":"https://shop.test/ok","error_redirect_url":"https://shop.test/fail","other_attr":{{"customer":"42"}}}}"#
    )
}

/// Verifies a callback the way a merchant does and returns its decoded JSON.
fn verified(callback: &azpay_sandbox::Callback) -> serde_json::Value {
    assert_eq!(
        sign(
            azpay_sandbox::credentials::EPOINT_PRIVATE_KEY,
            &callback.data
        ),
        callback.signature,
        "callback signature must verify with the merchant's private key"
    );
    let body = callback.form_body();
    let fields = form_fields(body.as_bytes());
    assert_eq!(fields[0], ("data".to_owned(), callback.data.clone()));
    assert_eq!(
        fields[1],
        ("signature".to_owned(), callback.signature.clone())
    );
    serde_json::from_slice(&base64_decode(&callback.data)).unwrap()
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

#[test]
fn heartbeat() {
    let mut sb = sandbox();
    let response = sb.handle(&get("/api/heartbeat"));
    assert_eq!(response.status(), 200);
    assert_eq!(json(&response), serde_json::json!({"status":"ok"}));
}

#[test]
fn payment_lifecycle_through_the_hosted_page() {
    let mut sb = sandbox();
    let response = sb.handle(&epoint("request", &pay_json("order-1", "\"10.50\"")));
    assert_eq!(response.status(), 200);
    let reply = json(&response);
    assert_eq!(reply["status"], "success");
    let tx = reply["transaction"].as_str().unwrap().to_owned();
    assert!(tx.starts_with("te"), "{tx}");
    let redirect = reply["redirect_url"].as_str().unwrap();
    assert_eq!(redirect, format!("{BASE}/epoint/pay/{tx}"));

    // Before paying: status "new".
    let status = json(&sb.handle(&epoint(
        "get-status",
        &format!(r#"{{"public_key":"i000000001","transaction":"{tx}"}}"#),
    )));
    assert_eq!(status["status"], "new");

    // The hosted page shows the amount, escaped description, and a card form.
    let path = redirect.strip_prefix(BASE).unwrap();
    let page = sb.handle(&get(path));
    assert_eq!(page.status(), 200);
    let html = text(&page);
    assert!(html.contains("10.50 AZN"), "{html}");
    assert!(html.contains("Test &lt;b&gt;&amp;&lt;/b&gt;"), "{html}");
    assert!(html.contains("name=\"pan\""));

    // Pay with a card: 302 to the success URL, a signed callback queued.
    let response = sb.handle(&post_form(
        path,
        &[
            ("pan", cards::KAPITAL_VISA),
            ("expiry", "11/26"),
            ("cvv", "119"),
            ("holder", "ALI VELIYEV"),
            ("action", "pay"),
        ],
    ));
    assert_eq!(location(&response), "https://shop.test/ok");
    let callbacks = sb.take_callbacks();
    assert_eq!(callbacks.len(), 1);
    assert_eq!(
        callbacks[0].url.as_deref(),
        Some("http://shop.test/epoint/result")
    );
    let cb = verified(&callbacks[0]);
    assert_eq!(cb["status"], "success");
    assert_eq!(cb["order_id"], "order-1");
    assert_eq!(cb["transaction"], tx.as_str());
    assert_eq!(cb["code"], "000");
    assert_eq!(cb["operation_code"], "100");
    assert_eq!(cb["card_mask"], "416974******1778");
    assert_eq!(cb["card_name"], "ALI VELIYEV");
    assert_eq!(cb["other_attr"], serde_json::json!({"customer":"42"}));
    assert!(cb.get("card_id").is_none());
    // The amount is an exact decimal number text.
    let json_text = callbacks[0].json().unwrap();
    assert!(json_text.contains(r#""amount":10.50"#), "{json_text}");
    assert!(sb.take_callbacks().is_empty(), "the outbox drains");

    // Paying twice is refused.
    let again = sb.handle(&post_form(
        path,
        &[("pan", cards::KAPITAL_VISA), ("action", "pay")],
    ));
    assert_eq!(again.status(), 409);

    // Status by transaction and by order_id.
    let status = json(&sb.handle(&epoint(
        "get-status",
        &format!(r#"{{"public_key":"i000000001","transaction":"{tx}"}}"#),
    )));
    assert_eq!(status["status"], "success");
    assert_eq!(status["code"], "000");
    assert_eq!(status["order_id"], "order-1");
    assert_eq!(status["card_mask"], "416974******1778");
    let by_order = json(&sb.handle(&epoint(
        "get-status",
        r#"{"public_key":"i000000001","order_id":"order-1"}"#,
    )));
    assert_eq!(by_order["transaction"], tx.as_str());

    // Partial refund (reverse), never more than paid, then the rest.
    let reverse = |amount: Option<&str>| {
        let amount = amount
            .map(|a| format!(r#","amount":{a}"#))
            .unwrap_or_default();
        epoint(
            "reverse",
            &format!(
                r#"{{"public_key":"i000000001","language":"az","transaction":"{tx}","currency":"AZN"{amount}}}"#
            ),
        )
    };
    let partial = json(&sb.handle(&reverse(Some("4.00"))));
    assert_eq!(partial["status"], "success", "{partial}");
    let too_much = json(&sb.handle(&reverse(Some("6.51"))));
    assert_eq!(too_much["status"], "error");
    let rest = json(&sb.handle(&reverse(None)));
    assert_eq!(rest["status"], "success");
    let status = json(&sb.handle(&epoint(
        "get-status",
        &format!(r#"{{"public_key":"i000000001","transaction":"{tx}"}}"#),
    )));
    assert_eq!(status["status"], "returned");
    let nothing_left = json(&sb.handle(&reverse(None)));
    assert_eq!(nothing_left["status"], "error");

    assert_eq!(sb.executed(Gateway::EPoint, "request"), 1);
    assert_eq!(sb.executed(Gateway::EPoint, "reverse"), 4);
    assert_eq!(sb.executed(Gateway::EPoint, "get-status"), 4);
    assert_eq!(sb.executed(Gateway::EPoint, "hosted-page"), 1);
}

#[test]
fn the_decline_card_declines_and_redirects_to_the_error_url() {
    let mut sb = sandbox();
    let reply = json(&sb.handle(&epoint("request", &pay_json("o-d", "5"))));
    let tx = reply["transaction"].as_str().unwrap().to_owned();
    let response = sb.handle(&post_form(
        &format!("/epoint/pay/{tx}"),
        &[
            ("pan", cards::DECLINE),
            ("expiry", "12/30"),
            ("cvv", "123"),
            ("action", "pay"),
        ],
    ));
    assert_eq!(location(&response), "https://shop.test/fail");
    let cb = verified(&sb.take_callbacks()[0]);
    assert_eq!(cb["status"], "failed");
    assert_eq!(cb["transaction"], tx.as_str());
    assert!(cb.get("rrn").is_none());
    let status = json(&sb.handle(&epoint(
        "get-status",
        &format!(r#"{{"public_key":"i000000001","transaction":"{tx}"}}"#),
    )));
    assert_eq!(status["status"], "error");
    // A declined payment cannot be refunded.
    let reverse = json(&sb.handle(&epoint(
        "reverse",
        &format!(
            r#"{{"public_key":"i000000001","language":"az","transaction":"{tx}","currency":"AZN"}}"#
        ),
    )));
    assert_eq!(reverse["status"], "error");
}

#[test]
fn cancel_on_the_hosted_page_fails_the_payment() {
    let mut sb = sandbox();
    let reply = json(&sb.handle(&epoint("request", &pay_json("o-c", "5"))));
    let tx = reply["transaction"].as_str().unwrap();
    let outcome = sb
        .complete_payment(Gateway::EPoint, tx, &CardAction::Cancel)
        .unwrap();
    assert!(!outcome.approved);
    assert_eq!(outcome.status, "failed");
    assert_eq!(
        outcome.redirect,
        azpay_sandbox::Redirect::Get("https://shop.test/fail".into())
    );
    assert_eq!(verified(&sb.take_callbacks()[0])["code"], "180");
}

#[test]
fn bad_signature_and_unknown_merchant_are_refused_like_the_real_gateway() {
    let mut sb = sandbox();
    let response = sb.handle(&epoint_with_key(
        "request",
        &pay_json("o-s", "5"),
        "not-the-key",
    ));
    assert_eq!(
        response.status(),
        200,
        "EPoint answers errors with HTTP 200"
    );
    assert_eq!(
        json(&response),
        serde_json::json!({"status":"server_error","message":"Signature did not match"})
    );
    // Nothing was created or counted.
    assert_eq!(sb.executed(Gateway::EPoint, "request"), 0);
    let by_order = json(&sb.handle(&epoint(
        "get-status",
        r#"{"public_key":"i000000001","order_id":"o-s"}"#,
    )));
    assert_eq!(by_order["status"], "error");

    let other = json(&sb.handle(&epoint(
        "request",
        &pay_json("o-s", "5").replace("i000000001", "i999999999"),
    )));
    assert_eq!(other["status"], "error");

    let missing = sb.handle(&post_form("/api/1/request", &[("data", "e30=")]));
    assert_eq!(json(&missing)["status"], "error");

    // A JSON body {"data","signature"} (as integrify sends) is accepted too.
    let data = b64(pay_json("o-j", "5").as_bytes());
    let body = serde_json::json!({"data": data, "signature": sign(azpay_sandbox::credentials::EPOINT_PRIVATE_KEY, &data)});
    let request = http::Request::post(format!("{BASE}/api/1/request"))
        .header("content-type", "application/json")
        .body(body.to_string().into_bytes())
        .unwrap();
    assert_eq!(json(&sb.handle(&request))["status"], "success");
}

#[test]
fn invalid_input_is_refused() {
    let mut sb = sandbox();
    for (json_text, why) in [
        (pay_json("o-1", "\"1.234\""), "three decimals"),
        (pay_json("o-1", "-1"), "negative"),
        (pay_json("o-1", "\"abc\""), "not a number"),
        (pay_json("o-1", "5").replace("AZN", "USD"), "currency"),
        (pay_json("o-1", "5").replace("\"az\"", "\"de\""), "language"),
        (
            r#"{"public_key":"i000000001","amount":5,"currency":"AZN","language":"az"}"#.into(),
            "no order_id",
        ),
    ] {
        let reply = json(&sb.handle(&epoint("request", &json_text)));
        assert_eq!(reply["status"], "error", "{why}: {reply}");
    }
    assert_eq!(
        json(&sb.handle(&epoint("request", &pay_json("dup", "5"))))["status"],
        "success"
    );
    assert_eq!(
        json(&sb.handle(&epoint("request", &pay_json("dup", "5"))))["status"],
        "error",
        "order_id is unique per merchant"
    );
    let unknown = sb.handle(&epoint("no-such-endpoint", "{}"));
    assert_eq!(unknown.status(), 404);
}

fn register_card(sb: &mut azpay_sandbox::Sandbox, refund: u8, pan: &str) -> String {
    let reply = json(&sb.handle(&epoint(
        "card-registration",
        &format!(r#"{{"public_key":"i000000001","language":"en","refund":{refund},"description":"save"}}"#),
    )));
    assert_eq!(reply["status"], "success", "{reply}");
    let card_id = reply["card_id"].as_str().unwrap().to_owned();
    assert!(card_id.starts_with("ce"));
    assert_eq!(
        reply["redirect_url"],
        format!("{BASE}/epoint/pay/{card_id}").as_str()
    );
    let outcome = sb
        .complete_payment(Gateway::EPoint, &card_id, &CardAction::Pay(Card::new(pan)))
        .unwrap();
    assert_eq!(outcome.approved, pan != cards::DECLINE);
    card_id
}

#[test]
fn saved_cards_execute_pay_and_payouts() {
    let mut sb = sandbox();
    let debit = register_card(&mut sb, 0, cards::KAPITAL_MASTERCARD);
    let payout = register_card(&mut sb, 1, cards::KAPITAL_VISA);
    let cbs = sb.take_callbacks();
    assert_eq!(cbs.len(), 2);
    let cb = verified(&cbs[0]);
    assert_eq!(cb["card_id"], debit.as_str());
    assert_eq!(cb["operation_code"], "001");
    assert!(cb.get("order_id").is_none() && cb.get("amount").is_none());

    let card_status = json(&sb.handle(&epoint(
        "get-status-card",
        &format!(r#"{{"public_key":"i000000001","card_id":"{debit}"}}"#),
    )));
    assert_eq!(card_status["status"], "active");
    assert_eq!(card_status["mask"], "523915******3468");

    let charge = |card: &str, order: &str, endpoint: &str, extra: &str| {
        epoint(
            endpoint,
            &format!(
                r#"{{"public_key":"i000000001","language":"az","card_id":"{card}","order_id":"{order}","amount":10.5,"currency":"AZN"{extra}}}"#
            ),
        )
    };
    let paid = json(&sb.handle(&charge(&debit, "s-1", "execute-pay", "")));
    assert_eq!(paid["status"], "success", "{paid}");
    assert_eq!(paid["card_mask"], "523915******3468");
    assert_eq!(paid["amount"].to_string(), "10.5");
    let split = json(&sb.handle(&charge(
        &debit,
        "s-2",
        "split-execute-pay",
        r#","split_user":"i000000002","split_amount":"3""#,
    )));
    assert_eq!(split["status"], "success", "{split}");
    assert_eq!(split["split_amount"].to_string(), "3.0");

    // Payouts only to a card registered with refund=1, and such a card cannot be charged.
    let refused = json(&sb.handle(&charge(&debit, "p-1", "refund-request", "")));
    assert_eq!(refused["status"], "error");
    let payout_ok = json(&sb.handle(&charge(&payout, "p-2", "refund-request", "")));
    assert_eq!(payout_ok["status"], "success", "{payout_ok}");
    let charge_payout_card = json(&sb.handle(&charge(&payout, "s-3", "execute-pay", "")));
    assert_eq!(charge_payout_card["status"], "error");

    // A declined registration leaves a rejected card that cannot be used.
    let rejected = register_card(&mut sb, 0, cards::DECLINE);
    let reply = json(&sb.handle(&charge(&rejected, "s-4", "execute-pay", "")));
    assert_eq!(reply["status"], "error");
    let unknown = json(&sb.handle(&charge("ce9999999999", "s-5", "execute-pay", "")));
    assert_eq!(unknown["status"], "error");
}

#[test]
fn pay_and_save_card_gives_a_card_id_usable_afterwards() {
    let mut sb = sandbox();
    let reply = json(&sb.handle(&epoint(
        "card-registration-with-pay",
        r#"{"public_key":"i000000001","language":"az","order_id":"ps-1","amount":"2","currency":"AZN","description":"first"}"#,
    )));
    let tx = reply["transaction"].as_str().unwrap().to_owned();
    let card_id = reply["card_id"].as_str().unwrap().to_owned();
    sb.complete_payment(
        Gateway::EPoint,
        &tx,
        &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
    )
    .unwrap();
    let cb = verified(&sb.take_callbacks()[0]);
    assert_eq!(cb["card_id"], card_id.as_str());
    assert_eq!(cb["operation_code"], "200");
    assert!(cb.get("message").is_none());
    let paid = json(&sb.handle(&epoint(
        "execute-pay",
        &format!(r#"{{"public_key":"i000000001","language":"az","card_id":"{card_id}","order_id":"ps-2","amount":1,"currency":"AZN"}}"#),
    )));
    assert_eq!(paid["status"], "success");
}

#[test]
fn pre_auth_hold_and_completion() {
    let mut sb = sandbox();
    let reply = json(&sb.handle(&epoint(
        "pre-auth-request",
        r#"{"public_key":"i000000001","amount":"100.00","currency":"AZN","language":"az","order_id":"h-1"}"#,
    )));
    let tx = reply["transaction"].as_str().unwrap().to_owned();
    let complete = |amount: &str| {
        epoint(
            "pre-auth-complete",
            &format!(r#"{{"public_key":"i000000001","amount":{amount},"transaction":"{tx}"}}"#),
        )
    };
    // Not held yet.
    assert_eq!(json(&sb.handle(&complete("80")))["status"], "error");
    sb.complete_payment(
        Gateway::EPoint,
        &tx,
        &CardAction::Pay(Card::new(cards::TWEC)),
    )
    .unwrap();
    assert_eq!(json(&sb.handle(&complete("100.01")))["status"], "error");
    let done = json(&sb.handle(&complete("80")));
    assert_eq!(done["status"], "success", "{done}");
    assert_eq!(done["transaction"], tx.as_str());
    assert_eq!(
        json(&sb.handle(&complete("80")))["status"],
        "error",
        "only once"
    );
    let status = json(&sb.handle(&epoint(
        "get-status",
        &format!(r#"{{"public_key":"i000000001","transaction":"{tx}"}}"#),
    )));
    assert_eq!(status["amount"].to_string(), "80.0");
    // A refund of the captured amount, not the hold.
    let reverse = json(&sb.handle(&epoint(
        "reverse",
        &format!(r#"{{"public_key":"i000000001","language":"az","transaction":"{tx}","currency":"AZN","amount":"80.01"}}"#),
    )));
    assert_eq!(reverse["status"], "error");
}

#[test]
fn split_payment_widget_wallets_and_checkout() {
    let mut sb = sandbox();
    let split = json(&sb.handle(&epoint(
        "split-request",
        r#"{"public_key":"i000000001","amount":10,"split_user":"i000000002","split_amount":11,"currency":"AZN","language":"az","order_id":"sp-1"}"#,
    )));
    assert_eq!(split["status"], "error", "split_amount above amount");
    let split = json(&sb.handle(&epoint(
        "split-request",
        r#"{"public_key":"i000000001","amount":10,"split_user":"i000000002","split_amount":4,"currency":"AZN","language":"az","order_id":"sp-1"}"#,
    )));
    let tx = split["transaction"].as_str().unwrap().to_owned();
    sb.complete_payment(
        Gateway::EPoint,
        &tx,
        &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
    )
    .unwrap();
    let cb = verified(&sb.take_callbacks()[0]);
    assert_eq!(cb["split_amount"].to_string(), "4.0");

    let widget = json(&sb.handle(&epoint(
        "token/widget",
        r#"{"public_key":"i000000001","amount":2.50,"order_id":"w-1","description":"Test payment"}"#,
    )));
    assert_eq!(widget["status"], "success");
    let url = widget["widget_url"].as_str().unwrap();
    assert_eq!(
        sb.handle(&get(url.strip_prefix(BASE).unwrap())).status(),
        200
    );

    let wallets = sb.handle(&post_form(
        "/api/1/wallet/status",
        &[("public_key", "i000000001")],
    ));
    assert_eq!(json(&wallets)["status"], "success");

    let checkout = sb.handle(&epoint("checkout", &pay_json("co-1", "1")));
    assert!(location(&checkout).starts_with(&format!("{BASE}/epoint/pay/te")));
}

// ---------------------------------------------------------------------------------------
// Issue 17: answers beyond the happy path.

fn charge(card: &str, order: &str, amount: &str) -> Request {
    epoint(
        "execute-pay",
        &format!(
            r#"{{"public_key":"i000000001","language":"az","card_id":"{card}","order_id":"{order}","amount":"{amount}","currency":"AZN"}}"#
        ),
    )
}

fn status_of(sb: &mut azpay_sandbox::Sandbox, order: &str) -> serde_json::Value {
    json(&sb.handle(&epoint(
        "get-status",
        &format!(r#"{{"public_key":"i000000001","order_id":"{order}"}}"#),
    )))
}

#[test]
fn a_refused_saved_card_charge_answers_failed_116() {
    let mut sb = sandbox();
    let card = register_card(&mut sb, 0, cards::KAPITAL_VISA);
    let response = sb.handle(&charge(&card, "f-1", cards::EPOINT_INSUFFICIENT_FUNDS));
    assert_eq!(response.status(), 200);
    let text = String::from_utf8(response.into_body()).unwrap();
    let tx = json_text_field(&text, "transaction");
    assert_eq!(
        text,
        format!(
            r#"{{"status":"failed","code":"116","message":"Declined, insufficient funds","transaction":"{tx}"}}"#
        )
    );
    let status = status_of(&mut sb, "f-1");
    assert_eq!(
        (status["status"].as_str(), status["code"].as_str()),
        (Some("error"), Some("116"))
    );
}

fn json_text_field(text: &str, key: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    v[key].as_str().unwrap().to_owned()
}

#[test]
fn charges_and_payouts_can_be_left_undecided_or_answer_an_unknown_word() {
    let mut sb = sandbox();
    let card = register_card(&mut sb, 0, cards::KAPITAL_VISA);
    let payout_card = register_card(&mut sb, 1, cards::KAPITAL_VISA);
    let text = String::from_utf8(
        sb.handle(&charge(&card, "u-1", cards::EPOINT_UNDECIDED))
            .into_body(),
    )
    .unwrap();
    let tx = json_text_field(&text, "transaction");
    assert_eq!(
        text,
        format!(r#"{{"status":"new","message":"Processing","transaction":"{tx}"}}"#)
    );
    assert_eq!(status_of(&mut sb, "u-1")["status"], "new");
    let text = String::from_utf8(
        sb.handle(&charge(&card, "u-2", cards::EPOINT_UNKNOWN_WORD))
            .into_body(),
    )
    .unwrap();
    let tx = json_text_field(&text, "transaction");
    assert_eq!(
        text,
        format!(r#"{{"status":"in_progress_maybe","message":"Processing","transaction":"{tx}"}}"#)
    );
    // The word and its amount are settings.
    *sb.epoint_settings() = azpay_sandbox::epoint_settings::EPointSettings::default()
        .unknown_word_at(700, "SOMETHING_ELSE");
    let payout = epoint(
        "refund-request",
        &format!(
            r#"{{"public_key":"i000000001","language":"az","card_id":"{payout_card}","order_id":"u-3","amount":"7.00","currency":"AZN"}}"#
        ),
    );
    assert_eq!(json(&sb.handle(&payout))["status"], "SOMETHING_ELSE");
    let payout = epoint(
        "refund-request",
        &format!(
            r#"{{"public_key":"i000000001","language":"az","card_id":"{payout_card}","order_id":"u-4","amount":"{}","currency":"AZN"}}"#,
            cards::EPOINT_UNDECIDED
        ),
    );
    assert_eq!(json(&sb.handle(&payout))["status"], "new");
}

#[test]
fn forced_server_errors_come_after_the_request_took_effect() {
    let mut sb = sandbox();
    let card = register_card(&mut sb, 0, cards::KAPITAL_VISA);
    sb.epoint_settings().empty_500_next = 1;
    let response = sb.handle(&charge(&card, "e-1", "5.00"));
    assert_eq!(response.status(), 500);
    assert!(response.body().is_empty(), "EPoint's 500 has an empty body");
    assert_eq!(status_of(&mut sb, "e-1")["status"], "success");
    // Only once.
    assert_eq!(sb.handle(&charge(&card, "e-2", "5.00")).status(), 200);

    sb.epoint_settings().html_500_on_refund = true;
    let tx = status_of(&mut sb, "e-1")["transaction"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = sb.handle(&epoint(
        "reverse",
        &format!(
            r#"{{"public_key":"i000000001","language":"az","transaction":"{tx}","currency":"AZN"}}"#
        ),
    ));
    assert_eq!(response.status(), 500);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(String::from_utf8_lossy(response.body()).contains("<html>"));
    assert_eq!(status_of(&mut sb, "e-1")["status"], "returned");
}

#[test]
fn a_full_refund_sends_the_signed_returned_callback() {
    let mut sb = sandbox();
    let reply = json(&sb.handle(&epoint("request", &pay_json("rt-1", "\"10.50\""))));
    let tx = reply["transaction"].as_str().unwrap().to_owned();
    sb.complete_payment(
        Gateway::EPoint,
        &tx,
        &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
    )
    .unwrap();
    sb.take_callbacks();
    let reverse = |amount: &str| {
        epoint(
            "reverse",
            &format!(
                r#"{{"public_key":"i000000001","language":"az","transaction":"{tx}","currency":"AZN"{amount}}}"#
            ),
        )
    };
    // A partial refund sends nothing; the rest does.
    assert_eq!(
        json(&sb.handle(&reverse(r#","amount":"4.00""#)))["status"],
        "success"
    );
    assert!(sb.take_callbacks().is_empty());
    assert_eq!(json(&sb.handle(&reverse("")))["status"], "success");
    let callbacks = sb.take_callbacks();
    assert_eq!(callbacks.len(), 1);
    let cb = verified(&callbacks[0]);
    assert_eq!(cb["status"], "returned");
    assert_eq!(cb["order_id"], "rt-1");
    assert_eq!(cb["transaction"], tx.as_str());
    assert_eq!(cb["amount"].to_string(), "10.5");
}

#[test]
fn callbacks_in_the_three_encodings_have_the_exact_bytes() {
    use azpay_sandbox::epoint_settings::{CallbackEncoding, MULTIPART_BOUNDARY};
    let mut sb = sandbox();
    let reply = json(&sb.handle(&epoint("request", &pay_json("enc-1", "\"1.00\""))));
    let tx = reply["transaction"].as_str().unwrap().to_owned();
    sb.complete_payment(
        Gateway::EPoint,
        &tx,
        &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
    )
    .unwrap();
    let callback = sb.take_callbacks().remove(0);
    let (d, s) = (callback.data.clone(), callback.signature.clone());
    let pct = |v: &str| {
        v.replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    };
    let (ct, body) = callback.encoded(CallbackEncoding::Form);
    assert_eq!(ct, "application/x-www-form-urlencoded");
    assert_eq!(
        String::from_utf8(body).unwrap(),
        format!("data={}&signature={}", pct(&d), pct(&s))
    );
    let (ct, body) = callback.encoded(CallbackEncoding::Json);
    assert_eq!(ct, "application/json");
    assert_eq!(
        String::from_utf8(body).unwrap(),
        format!(r#"{{"data":"{d}","signature":"{s}"}}"#)
    );
    let (ct, body) = callback.encoded(CallbackEncoding::Multipart);
    assert_eq!(
        ct,
        format!("multipart/form-data; boundary={MULTIPART_BOUNDARY}")
    );
    assert_eq!(
        String::from_utf8(body).unwrap(),
        format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{d}\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"signature\"\r\n\r\n{s}\r\n\
             --{b}--\r\n",
            b = MULTIPART_BOUNDARY
        )
    );
    assert_eq!(
        CallbackEncoding::parse("Multipart"),
        Some(CallbackEncoding::Multipart)
    );
    assert_eq!(CallbackEncoding::parse("xml"), None);
}

/// Serve mode posts callbacks in the configured encoding.
#[cfg(feature = "serve")]
#[test]
fn served_callbacks_are_posted_in_the_configured_encoding() {
    use azpay_sandbox::epoint_settings::{CallbackEncoding, EPointSettings};
    use azpay_sandbox::serve::{serve, ServeOptions};
    use std::io::Read;
    for (encoding, content_type) in [
        (CallbackEncoding::Json, "application/json"),
        (
            CallbackEncoding::Multipart,
            "multipart/form-data; boundary=",
        ),
    ] {
        let merchant = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/epoint/result", merchant.local_addr().unwrap());
        let server = serve(
            azpay_sandbox::SandboxConfig::default()
                .with_epoint_result_url(url)
                .with_epoint(EPointSettings::default().callback_encoding(encoding)),
            ServeOptions::new("127.0.0.1:0".parse().unwrap()),
        )
        .unwrap();
        let tx = server.with_sandbox(|sb| {
            let reply = json(&sb.handle(&epoint("request", &pay_json("sv-1", "\"1.00\""))));
            let tx = reply["transaction"].as_str().unwrap().to_owned();
            sb.complete_payment(
                Gateway::EPoint,
                &tx,
                &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
            )
            .unwrap();
            tx
        });
        // `with_sandbox` delivers what it queued.
        let (mut conn, _) = merchant.accept().unwrap();
        conn.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let mut raw = Vec::new();
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&raw).contains(&tx) {
            let n = conn.read(&mut buf).unwrap();
            assert!(n > 0, "closed early");
            raw.extend_from_slice(&buf[..n]);
            if String::from_utf8_lossy(&raw).contains("\"signature\"")
                || String::from_utf8_lossy(&raw).contains("name=\"signature\"\r\n\r\n")
            {
                break;
            }
        }
        let text = String::from_utf8_lossy(&raw).to_lowercase();
        assert!(
            text.contains(&format!("content-type: {content_type}")),
            "{text}"
        );
        drop(conn);
        server.shutdown();
    }
}
