//! Every EPoint answer shape (`docs/wire.md`, "EPoint"), from fixtures, through a closure
//! transport.

use azpay_core::epoint::{self, ApiError, BankCode, CardStatus, Config, OperationCode, Status};
use azpay_core::{
    execute, Amount, Currency, Error, HttpRequest, HttpResponse, Operation, ResponseError,
    TransportError,
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

fn answer(status: u16, body: &[u8]) -> HttpResponse {
    http::Response::builder()
        .status(status)
        .body(body.to_vec())
        .unwrap()
}

/// Runs `op` against a transport that checks the URL and answers `body` with HTTP 200.
fn run<O: Operation<Gateway = epoint::EPoint>>(
    op: &O,
    url: &str,
    body: &[u8],
) -> Result<O::Output, Error<ApiError>> {
    let url = url.to_owned();
    let body = body.to_vec();
    let transport = move |r: HttpRequest| -> Result<HttpResponse, TransportError> {
        assert_eq!(r.uri(), url.as_str());
        Ok(answer(200, &body))
    };
    execute(op, &config(), &transport)
}

fn api_error<T: std::fmt::Debug>(r: Result<T, Error<ApiError>>) -> ApiError {
    match r {
        Err(Error::Response(ResponseError::Api(a))) => a,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// The reason of a malformed answer. Every operation these tests send it to (`Pay`,
/// `PayWithSavedCard`) changes money, so since issue 12 the malformed answer comes wrapped as
/// [`Error::OutcomeUnknown`] (it may have taken effect): that is asserted too.
fn malformed<T: std::fmt::Debug>(r: Result<T, Error<ApiError>>) -> String {
    match r {
        Err(Error::OutcomeUnknown {
            source: ResponseError::Malformed { reason, .. },
            ..
        }) => reason,
        other => panic!("expected OutcomeUnknown(Malformed), got {other:?}"),
    }
}

const REQUEST: &str = "https://epoint.az/api/1/request";

#[test]
fn request_success() {
    let out = run(
        &epoint::Pay::new(azn("1"), "1"),
        REQUEST,
        &fixture("request_success.json"),
    )
    .unwrap();
    assert_eq!(out.transaction, "te000000001");
    assert_eq!(out.redirect_url, "https://epoint.az/...");
    assert_eq!(out.message, None);
    // Same shape for split-request and pre-auth-request.
    let out = run(
        &epoint::SplitPay::new(azn("10"), "s", "i2", azn("1")),
        "https://epoint.az/api/1/split-request",
        &fixture("request_success.json"),
    )
    .unwrap();
    assert_eq!(out.transaction, "te000000001");
    let out = run(
        &epoint::PreAuth::new(azn("10"), "h"),
        "https://epoint.az/api/1/pre-auth-request",
        &fixture("request_success.json"),
    )
    .unwrap();
    assert_eq!(out.redirect_url, "https://epoint.az/...");
}

#[test]
fn error_and_server_error_are_api_errors() {
    let e = api_error(run(
        &epoint::Pay::new(azn("1"), "1"),
        REQUEST,
        &fixture("error.json"),
    ));
    assert_eq!(e.status, Status::Error);
    assert_eq!(e.message.as_deref(), Some("..."));
    let e = api_error(run(
        &epoint::Pay::new(azn("1"), "1"),
        REQUEST,
        &fixture("server_error.json"),
    ));
    assert_eq!(e.status, Status::ServerError);
    assert_eq!(e.message.as_deref(), Some("Signature did not match"));
    assert_eq!(
        e.to_string(),
        "EPoint pay refused: `server_error`: Signature did not match"
    );
    // Every signed operation refuses the same way.
    let url = "https://epoint.az/api/1/execute-pay";
    let op = epoint::PayWithSavedCard::new("ce1", azn("1"), "o");
    assert_eq!(
        api_error(run(&op, url, &fixture("server_error.json"))).status,
        Status::ServerError
    );
    let op = epoint::Refund::new("te1", Currency::AZN);
    assert_eq!(
        api_error(run(
            &op,
            "https://epoint.az/api/1/reverse",
            &fixture("error.json")
        ))
        .status,
        Status::Error
    );
    let op = epoint::SaveCard::new();
    assert_eq!(
        api_error(run(
            &op,
            "https://epoint.az/api/1/card-registration",
            br#"{"status":"error"}"#
        ))
        .message,
        None
    );
    let op = epoint::TokenPayment::new(azn("1"), "o", "d");
    assert_eq!(
        api_error(run(
            &op,
            "https://epoint.az/api/1/token/payment",
            &fixture("error.json")
        ))
        .status,
        Status::Error
    );
    let op = epoint::AppleSession::new("https://s");
    assert_eq!(
        api_error(run(
            &op,
            "https://epoint.az/api/1/token/apple/session",
            &fixture("server_error.json")
        ))
        .status,
        Status::ServerError
    );
}

#[test]
fn card_registration_shapes() {
    let out = run(
        &epoint::SaveCard::new(),
        "https://epoint.az/api/1/card-registration",
        &fixture("card_registration.json"),
    )
    .unwrap();
    assert_eq!(out.card_id, "ce0000000001");
    assert_eq!(out.redirect_url, "https://epoint.az/...");
    assert_eq!(out.transaction, None);
    let out = run(
        &epoint::PayAndSaveCard::new(azn("1"), "o"),
        "https://epoint.az/api/1/card-registration-with-pay",
        &fixture("card_registration_with_pay.json"),
    )
    .unwrap();
    assert_eq!(out.transaction.as_deref(), Some("te000000001"));
    assert_eq!(out.card_id, "ce0000000001");
    let out = run(
        &epoint::SplitPayAndSaveCard::new(azn("2"), "o", "i2", azn("1")),
        "https://epoint.az/api/1/split-card-registration-with-pay",
        &fixture("card_registration_with_pay.json"),
    )
    .unwrap();
    assert_eq!(out.card_id, "ce0000000001");
}

#[test]
fn execute_pay_result() {
    let out = run(
        &epoint::PayWithSavedCard::new("ce1", azn("1"), "o"),
        "https://epoint.az/api/1/execute-pay",
        &fixture("execute_pay.json"),
    )
    .unwrap();
    assert!(out.is_success());
    assert!(!out.is_declined());
    assert_eq!(out.status, Status::Success);
    assert_eq!(out.message.as_deref(), Some("Approved"));
    assert_eq!(out.transaction.as_deref(), Some("te..."));
    assert_eq!(out.bank_transaction.as_deref(), Some("..."));
    assert_eq!(out.bank_response.as_deref(), Some("..."));
    assert_eq!(out.operation_code, Some(OperationCode::UserPayment));
    assert_eq!(out.rrn.as_deref(), Some("..."));
    assert_eq!(out.card_mask.as_deref(), Some("416973******5869"));
    assert_eq!(out.card_name.as_deref(), Some("NAME SURNAME"));
    // `"amount":1.0` read exactly, never through a float.
    assert_eq!(out.amount, Some(Amount::from_minor(100, Currency::AZN)));
    assert_eq!(out.split_amount, None);
    assert_eq!(out.code, None);
    // Payout has the same shape.
    let out = run(
        &epoint::Payout::new("ce2", azn("1"), "po"),
        "https://epoint.az/api/1/refund-request",
        &fixture("execute_pay.json"),
    )
    .unwrap();
    assert!(out.is_success());
    let out = run(
        &epoint::SplitPayWithSavedCard::new("ce1", azn("1"), "o", "i2", azn("0.25")),
        "https://epoint.az/api/1/split-execute-pay",
        &fixture("split_execute_pay.json"),
    )
    .unwrap();
    assert_eq!(
        out.split_amount,
        Some(Amount::from_minor(25, Currency::AZN))
    );
}

#[test]
fn synchronous_decline_is_an_outcome() {
    let body = br#"{"status":"failed","message":"Declined","code":"116","transaction":"te9","operation_code":"100"}"#;
    let out = run(
        &epoint::PayWithSavedCard::new("ce1", azn("1"), "o"),
        "https://epoint.az/api/1/execute-pay",
        body,
    )
    .unwrap();
    assert!(out.is_declined());
    assert!(!out.is_success());
    assert_eq!(out.status, Status::Failed);
    let code = out.code.unwrap();
    assert_eq!(code.as_str(), "116");
    assert_eq!(code.description(), Some("Declined, insufficient funds"));
}

#[test]
fn unknown_status_and_codes_are_other() {
    let body = br#"{"status":"pending_review","code":"0Y1","operation_code":"999"}"#;
    let out = run(
        &epoint::PayWithSavedCard::new("ce1", azn("1"), "o"),
        "https://epoint.az/api/1/execute-pay",
        body,
    )
    .unwrap();
    assert_eq!(out.status, Status::Other("pending_review".into()));
    assert!(!out.is_success() && !out.is_declined());
    assert_eq!(out.operation_code, Some(OperationCode::Other("999".into())));
    // 0Y1 with the digit zero is in the table; OY1 with the letter O is not.
    assert_eq!(
        out.code.unwrap().description(),
        Some("Confirmed, offline ICC")
    );
    assert_eq!(BankCode::parse("OY1"), BankCode::Other("OY1".into()));
    let body = br#"{"status":"success","code":"ZZ9","transaction":"te1"}"#;
    let out = run(
        &epoint::GetStatus::by_transaction("te1"),
        "https://epoint.az/api/1/get-status",
        body,
    )
    .unwrap();
    assert_eq!(out.code, Some(BankCode::Other("ZZ9".into())));
    let out = run(
        &epoint::GetCardStatus::new("ce1"),
        "https://epoint.az/api/1/get-status-card",
        br#"{"status":"frozen"}"#,
    )
    .unwrap();
    assert_eq!(out.status, CardStatus::Other("frozen".into()));
}

#[test]
fn get_status_full_and_states() {
    let out = run(
        &epoint::GetStatus::by_transaction("te1"),
        "https://epoint.az/api/1/get-status",
        &fixture("get_status.json"),
    )
    .unwrap();
    assert!(out.is_paid());
    assert_eq!(out.code.as_ref().map(BankCode::as_str), Some("000"));
    assert_eq!(
        out.code.as_ref().and_then(BankCode::description),
        Some("Confirmed")
    );
    assert_eq!(out.amount, Some(Amount::from_minor(100, Currency::AZN)));
    assert_eq!(out.order_id.as_deref(), Some("1"));
    assert_eq!(out.other_attr, None); // `null`
    assert_eq!(out.operation_code, Some(OperationCode::UserPayment));
    for (status, expected) in [("new", Status::New), ("returned", Status::Returned)] {
        let body = format!(r#"{{"status":"{status}","transaction":"te1"}}"#);
        let out = run(
            &epoint::GetStatus::by_order_id("1"),
            "https://epoint.az/api/1/get-status",
            body.as_bytes(),
        )
        .unwrap();
        assert_eq!(out.status, expected);
        assert!(!out.is_paid());
    }
    // A failed payment (`error` with the payment's fields) is a state, not a refusal …
    let out = run(
        &epoint::GetStatus::by_transaction("te1"),
        "https://epoint.az/api/1/get-status",
        br#"{"status":"error","code":"116","transaction":"te1","message":"Declined"}"#,
    )
    .unwrap();
    assert_eq!(out.status, Status::Error);
    // … but `error` without a payment, and `server_error`, are refusals.
    let e = api_error(run(
        &epoint::GetStatus::by_transaction("te1"),
        "https://epoint.az/api/1/get-status",
        br#"{"status":"error","message":"Transaction not found"}"#,
    ));
    assert_eq!(e.message.as_deref(), Some("Transaction not found"));
    api_error(run(
        &epoint::GetStatus::by_transaction("te1"),
        "https://epoint.az/api/1/get-status",
        &fixture("server_error.json"),
    ));
}

#[test]
fn missing_optional_fields_never_fail() {
    let out = run(
        &epoint::PayWithSavedCard::new("ce1", azn("1"), "o"),
        "https://epoint.az/api/1/execute-pay",
        br#"{"status":"success"}"#,
    )
    .unwrap();
    assert!(out.is_success());
    assert_eq!(out.transaction, None);
    assert_eq!(out.amount, None);
    let out = run(
        &epoint::GetStatus::by_transaction("te1"),
        "https://epoint.az/api/1/get-status",
        br#"{"status":"new","trace_id":"abc","amount":null}"#,
    )
    .unwrap();
    assert_eq!(out.status, Status::New);
    assert_eq!(out.amount, None);
    // An amount as a string is read exactly too.
    let out = run(
        &epoint::PayWithSavedCard::new("ce1", azn("1"), "o"),
        "https://epoint.az/api/1/execute-pay",
        br#"{"status":"success","amount":"30.75"}"#,
    )
    .unwrap();
    assert_eq!(out.amount.map(|a| a.minor()), Some(3075));
}

#[test]
fn missing_required_fields_are_malformed() {
    let reason = malformed(run(
        &epoint::Pay::new(azn("1"), "1"),
        REQUEST,
        br#"{"status":"success","transaction":"te1"}"#,
    ));
    assert!(reason.contains("redirect_url"), "{reason}");
    let reason = malformed(run(
        &epoint::PayWithSavedCard::new("ce1", azn("1"), "o"),
        "https://epoint.az/api/1/execute-pay",
        br#"{"message":"no status"}"#,
    ));
    assert!(reason.contains("status"), "{reason}");
    let reason = malformed(run(
        &epoint::PayWithSavedCard::new("ce1", azn("1"), "o"),
        "https://epoint.az/api/1/execute-pay",
        br#"{"status":"success","amount":1.005}"#,
    ));
    assert!(reason.contains("amount"), "{reason}");
}

#[test]
fn non_json_and_non_200() {
    malformed(run(
        &epoint::Pay::new(azn("1"), "1"),
        REQUEST,
        b"<html>oops</html>",
    ));
    malformed(run(&epoint::Pay::new(azn("1"), "1"), REQUEST, b""));
    malformed(run(&epoint::Pay::new(azn("1"), "1"), REQUEST, b"[1,2]"));
    let op = epoint::Pay::new(azn("1"), "1");
    let r = op.parse_response(&config(), answer(502, b"Bad gateway"));
    match r {
        Err(ResponseError::Status { status, body }) => {
            assert_eq!(status, 502);
            assert_eq!(body.as_bytes(), b"Bad gateway");
        }
        other => panic!("{other:?}"),
    }
    // Even a JSON error body under a non-200 status is a Status error.
    let r = op.parse_response(&config(), answer(500, &fixture("error.json")));
    assert!(matches!(r, Err(ResponseError::Status { .. })), "{r:?}");
    let big = vec![b' '; azpay_core::MAX_BODY_BYTES + 1];
    let r = op.parse_response(&config(), answer(200, &big));
    assert!(matches!(r, Err(ResponseError::TooLarge { .. })), "{r:?}");
}

#[test]
fn reverse_and_pre_auth_complete() {
    let out = run(
        &epoint::Refund::new("te1", Currency::AZN),
        "https://epoint.az/api/1/reverse",
        &fixture("reverse.json"),
    )
    .unwrap();
    assert_eq!(out.status, Status::Success);
    assert_eq!(out.message.as_deref(), Some("..."));
    let out = run(
        &epoint::PreAuthComplete::new(azn("1"), "te1"),
        "https://epoint.az/api/1/pre-auth-complete",
        br#"{"status":"success","message":"ok","transaction":"te000000101"}"#,
    )
    .unwrap();
    assert_eq!(out.transaction.as_deref(), Some("te000000101"));
    // A failed refund is a refusal, not a decline outcome.
    let e = api_error(run(
        &epoint::Refund::new("te1", Currency::AZN),
        "https://epoint.az/api/1/reverse",
        br#"{"status":"failed","message":"Too late"}"#,
    ));
    assert_eq!(e.status, Status::Failed);
}

#[test]
fn token_widget_and_token_payment_without_status() {
    let out = run(
        &epoint::TokenWidget::new(azn("2.5"), "w", "d"),
        "https://epoint.az/api/1/token/widget",
        &fixture("token_widget.json"),
    )
    .unwrap();
    assert_eq!(
        out.widget_url,
        "https://epoint.az/api/1/token/widget/000001"
    );
    let out = run(
        &epoint::TokenPayment::new(azn("2.36"), "111222333", "test description"),
        "https://epoint.az/api/1/token/payment",
        &fixture("token_payment.json"),
    )
    .unwrap();
    assert_eq!(out.id, "9998887");
    assert_eq!(out.transaction.as_deref(), Some("12345"));
    assert_eq!(out.total, Some(Amount::from_minor(236, Currency::AZN)));
    assert_eq!(out.short_link.as_deref(), Some("a1b2"));
    assert_eq!(out.bank_order_id.as_deref(), Some("aaa111"));
    assert_eq!(out.card_mask.as_deref(), Some("4000********1234"));
    assert_eq!(out.merchant_order_id.as_deref(), Some("111222333"));
    assert_eq!(out.other_attr, Some(serde_json::json!("other attributes")));
    assert_eq!(out.created_at.as_deref(), Some("2024-10-16 12:09:10"));
    assert_eq!(out.updated_at.as_deref(), Some("2024-10-16 15:00:48"));
}

#[test]
fn apple_google_pay_and_session() {
    for (op_url, google) in [
        ("https://epoint.az/api/1/token/apple/pay", false),
        ("https://epoint.az/api/1/token/google/pay", true),
    ] {
        let token = serde_json::json!({});
        let out = if google {
            run(
                &epoint::GooglePay::new("1", token, serde_json::json!({})),
                op_url,
                &fixture("token_pay.json"),
            )
            .unwrap()
        } else {
            run(
                &epoint::ApplePay::new("1", token, serde_json::json!({})),
                op_url,
                &fixture("token_pay.json"),
            )
            .unwrap()
        };
        assert_eq!(out.status, Status::Success);
        assert_eq!(
            out.message.as_deref(),
            Some("Payment is finished successfully")
        );
        assert_eq!(out.result, Some(serde_json::json!({})));
        assert_eq!(out.redirect_url, None); // "" means none
    }
    let session = br#"{"epochTimestamp":1,"merchantSessionIdentifier":"S","signature":"x"}"#;
    let out = run(
        &epoint::AppleSession::new("https://shop.example"),
        "https://epoint.az/api/1/token/apple/session",
        session,
    )
    .unwrap();
    assert_eq!(
        out,
        serde_json::from_slice::<serde_json::Value>(session).unwrap()
    );
}

#[test]
fn card_status_wallets_heartbeat_checkout() {
    let out = run(
        &epoint::GetCardStatus::new("ce1"),
        "https://epoint.az/api/1/get-status-card",
        br#"{"id":"ce1","name":"NAME","mask":"416973******5869","status":"active","expired_date":"05/27","description":"d"}"#,
    )
    .unwrap();
    assert_eq!(out.status, CardStatus::Active);
    assert_eq!(out.mask.as_deref(), Some("416973******5869"));
    assert_eq!(out.expired_date.as_deref(), Some("05/27"));
    let out = run(
        &epoint::WalletStatus,
        "https://epoint.az/api/1/wallet/status",
        br#"{"status":"success","wallets":[{"id":1}]}"#,
    )
    .unwrap();
    assert_eq!(out["wallets"][0]["id"], 1);
    let out = run(
        &epoint::WalletPayment::new("w1", azn("5"), "o"),
        "https://epoint.az/api/1/wallet/payment",
        br#"{"status":"success","transaction":"te5","redirect_url":"https://w","message":"ok"}"#,
    )
    .unwrap();
    assert_eq!(out.message.as_deref(), Some("ok"));
    let out = run(
        &epoint::Heartbeat,
        "https://epoint.az/api/heartbeat",
        &fixture("heartbeat.json"),
    )
    .unwrap();
    assert!(out.is_ok());
    let out = run(
        &epoint::Heartbeat,
        "https://epoint.az/api/heartbeat",
        br#"{"status":"down"}"#,
    )
    .unwrap();
    assert!(!out.is_ok());
    // Checkout answers with a page or a redirect.
    let op = epoint::Checkout::new(azn("1"), "o");
    let redirect = http::Response::builder()
        .status(302)
        .header("location", "https://epoint.az/pay/abc")
        .body(Vec::new())
        .unwrap();
    let out = op.parse_response(&config(), redirect).unwrap();
    assert_eq!(out.status, 302);
    assert_eq!(out.location.as_deref(), Some("https://epoint.az/pay/abc"));
    let out = op
        .parse_response(&config(), answer(200, b"<html>pay</html>"))
        .unwrap();
    assert_eq!(out.status, 200);
    let r = op.parse_response(&config(), answer(200, &fixture("error.json")));
    assert!(matches!(r, Err(ResponseError::Api(_))), "{r:?}");
}

#[test]
fn bank_code_table() {
    assert_eq!(BankCode::table().len(), 102);
    assert_eq!(
        BankCode::parse("129").description(),
        Some("Rejected, suspected fake card")
    );
    assert_eq!(
        BankCode::parse("0Y3").description(),
        Some("Confirmed, offline ICC")
    );
    assert_eq!(
        BankCode::parse("1Z3").description(),
        Some("Rejected due to ICC offline mode")
    );
    assert!(BankCode::parse("000").is_approved());
    assert!(!BankCode::parse("116").is_approved());
    assert_eq!(
        serde_json::to_string(&BankCode::parse("116")).unwrap(),
        r#""116""#
    );
    assert_eq!(
        serde_json::to_string(&Status::ServerError).unwrap(),
        r#""server_error""#
    );
}
