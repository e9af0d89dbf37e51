//! Issue 12 for EPoint: every answer and callback carries the uniform `state`, computed from
//! EPoint's word ignoring case; unknown words are pending; amounts carry the currency the
//! answer names; the base URL is accepted as people write it.
//!
//! The answers are the published shapes in `fixtures/epoint/` (PROTOCOLS.md 1.6, from EPoint's
//! API document v1.0.3 and the clients named there) and, for the refusals of a saved-card charge
//! and a payout, the shapes another EPoint client's tests use (public code #65738123960 and
//! #68309858732: `{"status":"failed","code":"116","message":…}`).

use azpay_core::epoint::{self, Config, Status};
use azpay_core::{
    execute, Amount, Currency, Error, HttpRequest, HttpResponse, Operation, State, TransportError,
};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/epoint/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn config() -> Config {
    Config::new("i000000001", "d3hjsl38sd8kdfhbcea0be04eafde9e8e2bad2fb092d")
}

fn azn(text: &str) -> Amount {
    Amount::parse_major(text, Currency::AZN).unwrap()
}

fn usd(text: &str) -> Amount {
    Amount::parse_major(text, Currency::USD).unwrap()
}

fn run<O: Operation<Gateway = epoint::EPoint>>(
    op: &O,
    body: &[u8],
) -> Result<O::Output, Error<epoint::ApiError>> {
    let body = body.to_vec();
    let t = move |_: HttpRequest| -> Result<HttpResponse, TransportError> {
        Ok(http::Response::new(body.clone()))
    };
    execute(op, &config(), &t)
}

fn charge() -> epoint::PayWithSavedCard {
    epoint::PayWithSavedCard::new("ce1", azn("40"), "o-1")
}

fn payout() -> epoint::Payout {
    epoint::Payout::new("ce2", azn("25"), "po-1")
}

#[test]
fn published_answers_map_to_their_state() {
    let pay = epoint::Pay::new(azn("30.75"), "1");
    let out = run(&pay, &fixture("request_success.json")).unwrap();
    assert_eq!(
        (out.state, out.status.as_deref()),
        (State::Done, Some("success"))
    );

    let out = run(&epoint::SaveCard::new(), &fixture("card_registration.json")).unwrap();
    assert_eq!(out.state, State::Done);
    let out = run(
        &epoint::PayAndSaveCard::new(azn("1"), "o-3"),
        &fixture("card_registration_with_pay.json"),
    )
    .unwrap();
    assert_eq!(out.state, State::Done);

    let out = run(&charge(), &fixture("execute_pay.json")).unwrap();
    assert_eq!(
        (out.state, out.status.clone()),
        (State::Done, Status::Success)
    );
    assert_eq!(out.amount, Some(azn("1")));
    let split = epoint::SplitPayWithSavedCard::new("ce1", azn("1"), "o", "i2", azn("0.25"));
    assert_eq!(
        run(&split, &fixture("split_execute_pay.json"))
            .unwrap()
            .state,
        State::Done
    );

    let status = epoint::GetStatus::by_transaction("te1");
    let out = run(&status, &fixture("get_status.json")).unwrap();
    assert_eq!(out.state, State::Done);
    assert_eq!(out.amount, Some(azn("1")));

    let refund = epoint::Refund::new("te1", Currency::AZN);
    assert_eq!(
        run(&refund, &fixture("reverse.json")).unwrap().state,
        State::Done
    );

    let widget = epoint::TokenWidget::new(azn("2.5"), "w-1", "Test payment");
    assert_eq!(
        run(&widget, &fixture("token_widget.json")).unwrap().state,
        State::Done
    );
    let token = epoint::TokenPayment::new(azn("2.36"), "111222333", "test description");
    assert_eq!(
        run(&token, &fixture("token_payment.json")).unwrap().state,
        State::Done
    );
    let apple = epoint::ApplePay::new("9998887", serde_json::json!({}), serde_json::json!({}));
    assert_eq!(
        run(&apple, &fixture("token_pay.json")).unwrap().state,
        State::Done
    );
}

#[test]
fn a_refused_saved_card_charge_or_payout_is_a_declined_outcome() {
    // Public code #65738123960 (an EPoint client's tests): the charge refused for funds.
    let body =
        br#"{"status":"failed","code":"116","message":"imtina","transaction":"te001111112"}"#;
    let out = run(&charge(), body).unwrap();
    assert_eq!(out.state, State::Declined);
    assert_eq!(out.code.as_ref().map(|c| c.as_str()), Some("116"));
    assert_eq!(out.transaction.as_deref(), Some("te001111112"));
    // Public code #68309858732: the payout refused the same way, without a transaction.
    let body = br#"{"status":"failed","code":"116","message":"Insufficient funds"}"#;
    assert_eq!(run(&payout(), body).unwrap().state, State::Declined);
}

#[test]
fn undecided_and_unknown_words_are_pending_never_done() {
    for word in [
        "in_progress_maybe",
        "new",
        "processing",
        "NEW",
        "server_error",
    ] {
        let body = format!(r#"{{"status":"{word}"}}"#);
        let out = run(&charge(), body.as_bytes());
        match word {
            // server_error is EPoint refusing the request: an error, not an outcome.
            "server_error" => assert!(out.is_err()),
            _ => assert_eq!(out.unwrap().state, State::Pending, "{word}"),
        }
        if word != "server_error" {
            assert_eq!(
                run(&payout(), body.as_bytes()).unwrap().state,
                State::Pending,
                "{word}"
            );
        }
    }
    // The saved-card charge of the issue, and the undecided payout.
    let out = run(&charge(), br#"{"status":"in_progress_maybe"}"#).unwrap();
    assert_eq!(out.status, Status::Other("in_progress_maybe".into()));
    assert_eq!(out.state, State::Pending);
    assert_eq!(
        run(&payout(), br#"{"status":"new"}"#).unwrap().state,
        State::Pending
    );
    // A page answer with an unknown word is not done either.
    let pay = epoint::Pay::new(azn("1"), "o");
    let out = run(
        &pay,
        br#"{"status":"queued","transaction":"te1","redirect_url":"https://epoint.az/p"}"#,
    )
    .unwrap();
    assert_eq!(out.state, State::Pending);
    let refund = epoint::Refund::new("te1", Currency::AZN);
    assert_eq!(
        run(&refund, br#"{"status":"accepted"}"#).unwrap().state,
        State::Pending
    );
}

#[test]
fn status_words_ignore_case() {
    let out = run(&charge(), br#"{"status":"Success","code":"000"}"#).unwrap();
    assert_eq!((out.state, out.status), (State::Done, Status::Success));
    let out = run(&charge(), br#"{"status":"FAILED","code":"116"}"#).unwrap();
    assert_eq!(out.state, State::Declined);
    let q = epoint::GetStatus::by_transaction("te1");
    let out = run(
        &q,
        br#"{"status":"Returned","code":"000","transaction":"te1"}"#,
    )
    .unwrap();
    assert_eq!(out.state, State::Returned);
    // `Error` is EPoint's refusal whatever its case.
    assert!(run(
        &epoint::Pay::new(azn("1"), "o"),
        br#"{"status":"Error","message":"x"}"#
    )
    .is_err());
}

#[test]
fn get_status_words() {
    let q = epoint::GetStatus::by_order_id("1");
    for (body, state) in [
        (r#"{"status":"new","transaction":"te1"}"#, State::Pending),
        (
            r#"{"status":"success","code":"000","transaction":"te1"}"#,
            State::Done,
        ),
        (
            r#"{"status":"returned","code":"000","transaction":"te1"}"#,
            State::Returned,
        ),
        (
            r#"{"status":"error","code":"116","transaction":"te1"}"#,
            State::Declined,
        ),
        (
            r#"{"status":"failed","code":"101","transaction":"te1"}"#,
            State::Declined,
        ),
        (
            r#"{"status":"on_hold","transaction":"te1"}"#,
            State::Pending,
        ),
    ] {
        assert_eq!(run(&q, body.as_bytes()).unwrap().state, state, "{body}");
    }
}

#[test]
fn card_status_words() {
    let q = epoint::GetCardStatus::new("ce1");
    for (word, state) in [
        ("active", State::Done),
        ("Active", State::Done),
        ("new", State::Pending),
        ("pending", State::Pending),
        ("rejected", State::Declined),
        ("expired", State::Declined),
        ("session_expired", State::Declined),
        ("blocked_maybe", State::Pending),
    ] {
        let body = format!(r#"{{"id":"ce1","status":"{word}"}}"#);
        assert_eq!(run(&q, body.as_bytes()).unwrap().state, state, "{word}");
    }
}

#[test]
fn a_3ds_page_after_google_or_apple_pay_is_pending() {
    let g = epoint::GooglePay::new("1", serde_json::json!({}), serde_json::json!({}));
    let body = br#"{"status":"success","message":"3ds","result":{},"redirect_url":"https://epoint.az/3ds"}"#;
    assert_eq!(run(&g, body).unwrap().state, State::Pending);
    let body = br#"{"status":"failed","message":"no"}"#;
    assert_eq!(run(&g, body).unwrap().state, State::Declined);
}

#[test]
fn amounts_carry_the_currency_the_answer_names() {
    let q = epoint::GetStatus::by_transaction("te1");
    let out = run(
        &q,
        br#"{"status":"success","code":"000","transaction":"te1","amount":100,"currency":"USD"}"#,
    )
    .unwrap();
    assert_eq!(out.amount, Some(usd("100")));
    // Numeric codes too.
    let out = run(
        &q,
        br#"{"status":"success","transaction":"te1","amount":"5.5","currency":"840"}"#,
    )
    .unwrap();
    assert_eq!(out.amount, Some(usd("5.50")));
    // Without `currency`, AZN (the only currency EPoint documents) is assumed.
    let out = run(
        &q,
        br#"{"status":"success","transaction":"te1","amount":100}"#,
    )
    .unwrap();
    assert_eq!(out.amount, Some(azn("100")));
    // An unknown code: the amount cannot be read.
    let e = run(
        &q,
        br#"{"status":"success","transaction":"te1","amount":1,"currency":"ZZZ"}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("currency"), "{e}");
    // A USD charge reads back in USD, from the request when the answer names none.
    let op = epoint::PayWithSavedCard::new("ce1", usd("10"), "o-u");
    let out = run(&op, br#"{"status":"success","amount":10}"#).unwrap();
    assert_eq!(out.amount, Some(usd("10")));
}

#[test]
fn callbacks_carry_state_and_currency() {
    let c = config();
    let cb =
        |v: serde_json::Value| epoint::verify_callback(&c, &epoint::sign_callback(&c, &v)).unwrap();
    assert_eq!(
        cb(serde_json::json!({"status": "success", "amount": 1})).state,
        State::Done
    );
    assert_eq!(
        cb(serde_json::json!({"status": "failed", "code": "116"})).state,
        State::Declined
    );
    assert_eq!(
        cb(serde_json::json!({"status": "returned"})).state,
        State::Returned
    );
    assert_eq!(
        cb(serde_json::json!({"status": "Weird"})).state,
        State::Pending
    );
    assert_eq!(
        cb(serde_json::json!({"order_id": "1"})).state,
        State::Pending
    );
    let usd_cb = cb(serde_json::json!({"status": "success", "amount": "100", "currency": "USD"}));
    assert_eq!(usd_cb.amount, Some(usd("100")));
    assert!(usd_cb.matches_amount_only(usd("100")));
}

trait AmountOnly {
    fn matches_amount_only(&self, a: Amount) -> bool;
}
impl AmountOnly for epoint::Callback {
    fn matches_amount_only(&self, a: Amount) -> bool {
        self.amount == Some(a)
    }
}

/// The base URL as people write it, checked by the exact request URI.
#[test]
fn base_url_with_or_without_api_1() {
    let pay = epoint::Pay::new(azn("1"), "o");
    for base in [
        "https://epoint.az",
        "https://epoint.az/",
        "https://epoint.az/api/1",
        "https://epoint.az/api/1/",
    ] {
        let c = config().base_url(base).unwrap();
        assert_eq!(
            pay.build_request(&c).unwrap().uri(),
            "https://epoint.az/api/1/request",
            "{base}"
        );
        assert_eq!(
            epoint::Heartbeat.build_request(&c).unwrap().uri(),
            "https://epoint.az/api/heartbeat",
            "{base}"
        );
    }
    // A proxy path of its own stays.
    let c = config()
        .base_url("http://127.0.0.1:8080/epoint/api/1/")
        .unwrap();
    assert_eq!(
        pay.build_request(&c).unwrap().uri(),
        "http://127.0.0.1:8080/epoint/api/1/request"
    );
    for odd in [
        "https://epoint.az/api",
        "https://epoint.az/api/",
        "https://epoint.az/api/2",
        "https://epoint.az/api/1/request",
        "https://epoint.az/api/1/api/1",
    ] {
        let e = config().base_url(odd).unwrap_err();
        assert_eq!(e.field(), Some("base_url"), "{odd}");
        assert!(e.to_string().contains("/api/1"), "{odd}: {e}");
    }
    // From the environment, the error names the variable.
    let e = Config::from_lookup(|name| match name {
        "EPOINT_PUBLIC_KEY" => Some("i1".into()),
        "EPOINT_PRIVATE_KEY" => Some("k".into()),
        "EPOINT_BASE_URL" => Some("https://epoint.az/api".into()),
        _ => None,
    })
    .unwrap_err();
    assert_eq!(e.field(), Some("EPOINT_BASE_URL"));
    let ok = Config::from_lookup(|name| match name {
        "EPOINT_PUBLIC_KEY" => Some("i1".into()),
        "EPOINT_PRIVATE_KEY" => Some("k".into()),
        "EPOINT_BASE_URL" => Some("https://epoint.az/api/1/".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(
        ok.endpoint("get-status"),
        "https://epoint.az/api/1/get-status"
    );
}
