//! Payriff answers: the published shapes (fixtures, see `fixtures/payriff/README.md`) with the
//! `state` each maps to; failures with HTTP 200; `01000`; unknown words; missing fields;
//! exact amounts.

use azpay_core::payriff::{
    ApiError, AutoPay, Capture, CardSaveStatus, Config, CreateOrder, DeleteCard, ExpireOrder,
    GetCardSave, GetOrder, GetOrderByRrn, GetOrderStatus, ListSavedCards, ListTransactions,
    OrderOperation, PaymentStatus, Refund, ResultCode, SaveCard,
};
use azpay_core::{
    parse_after_sending, Amount, Currency, Error, HttpResponse, Operation, ResponseError, State,
};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/payriff/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn resp(status: u16, body: &[u8]) -> HttpResponse {
    http::Response::builder()
        .status(status)
        .body(body.to_vec())
        .unwrap()
}

fn ok(body: &[u8]) -> HttpResponse {
    resp(200, body)
}

fn azn(t: &str) -> Amount {
    Amount::parse_major(t, Currency::AZN).unwrap()
}

fn api<T: std::fmt::Debug>(r: Result<T, ResponseError<ApiError>>) -> ApiError {
    match r {
        Err(ResponseError::Api(e)) => e,
        other => panic!("expected an ApiError, got {other:?}"),
    }
}

#[test]
fn create_order_published_shape() {
    let c = Config::new("k");
    let op = CreateOrder::purchase(azn("10"), "rrn-1");
    let out = op
        .parse_response(&c, ok(&fixture("create_order.json")))
        .unwrap();
    assert_eq!(out.state, State::Done);
    assert_eq!(out.code, ResultCode::Success);
    assert_eq!(out.order_id, "ORD-1");
    assert_eq!(out.payment_url, "https://pay.payriff.com/ORD-1");
    assert_eq!(out.transaction_id.as_deref(), Some("77"));
    assert_eq!(out.amount, Some(azn("10")));
    assert_eq!(out.fee, Some(azn("0.25")));
    assert_eq!(out.total_amount, Some(azn("10.25")));
    assert_eq!(out.commission_rate.as_deref(), Some("2.5"));
}

#[test]
fn create_order_refuses_a_bad_page_url_or_missing_fields() {
    let c = Config::new("k");
    let op = CreateOrder::purchase(azn("10"), "rrn-1");
    for body in [
        r#"{"code":"00000","payload":{"orderId":"O","paymentUrl":"javascript:alert(1)"}}"#,
        r#"{"code":"00000","payload":{"orderId":"O","paymentUrl":"http://evil.example/"}}"#,
        r#"{"code":"00000","payload":{"orderId":"O"}}"#,
        r#"{"code":"00000","payload":{"paymentUrl":"https://pay.payriff.com/x"}}"#,
        r#"{"code":"00000","payload":null}"#,
        r#"{"code":"00000"}"#,
    ] {
        assert!(
            matches!(
                op.parse_response(&c, ok(body.as_bytes())),
                Err(ResponseError::Malformed { .. })
            ),
            "{body}"
        );
    }
}

#[test]
fn a_failure_with_http_200_is_the_typed_error_never_success() {
    let c = Config::new("k");
    let body = fixture("error_invalid_parameters.json");
    for status in [200, 400] {
        let e = api(CreateOrder::purchase(azn("1"), "r").parse_response(&c, resp(status, &body)));
        assert_eq!(e.code, ResultCode::InvalidParameters);
        assert_eq!(e.http_status, status);
        assert_eq!(e.message.as_deref(), Some("Invalid parameters"));
        assert_eq!(
            e.internal_message.as_deref(),
            Some("amount must be positive")
        );
        assert_eq!(e.response_id.as_deref(), Some("http-nio-7"));
        // The same for every operation, actions included.
        let e = api(Refund::full("O", "r").parse_response(&c, resp(status, &body)));
        assert_eq!(e.operation, "refund");
        let e = api(GetOrder::new("O").parse_response(&c, resp(status, &body)));
        assert_eq!(e.operation, "get_order");
    }
    // An unknown code is an error too, kept verbatim.
    let e = api(GetOrder::new("O").parse_response(&c, ok(br#"{"code":"99999","message":"new"}"#)));
    assert_eq!(e.code, ResultCode::Other("99999".into()));
    let e = api(GetOrder::new("O").parse_response(&c, ok(br#"{"code":14010,"message":"no"}"#)));
    assert!(e.code.is_authentication());
    assert_eq!(
        e.to_string(),
        "Payriff get_order refused: code 14010: no [HTTP 200]"
    );
}

#[test]
fn rejection_01000_is_declined_for_actions_and_an_error_elsewhere() {
    let c = Config::new("k");
    let body = fixture("rejected.json");
    for out in [
        Refund::full("O", "r")
            .parse_response(&c, ok(&body))
            .unwrap(),
        Capture::full("O", "r")
            .parse_response(&c, ok(&body))
            .unwrap(),
        ExpireOrder::new("O").parse_response(&c, ok(&body)).unwrap(),
        DeleteCard::new("c").parse_response(&c, ok(&body)).unwrap(),
    ] {
        assert_eq!(out.state, State::Declined);
        assert_eq!(out.code, ResultCode::Rejected);
        assert_eq!(out.message.as_deref(), Some("Request rejected"));
    }
    let charge = AutoPay::new("c", azn("1"), "d", "r")
        .parse_response(&c, ok(&body))
        .unwrap();
    assert_eq!(charge.state, State::Declined);
    // Even when the rejection comes with HTTP 400.
    let out = Refund::full("O", "r")
        .parse_response(&c, resp(400, &body))
        .unwrap();
    assert_eq!(out.state, State::Declined);
    let e = api(CreateOrder::purchase(azn("1"), "r").parse_response(&c, ok(&body)));
    assert!(e.is_rejection());
    let e = api(GetOrder::new("O").parse_response(&c, ok(&body)));
    assert!(e.is_rejection());
}

#[test]
fn actions_done_on_00000() {
    let c = Config::new("k");
    let body = fixture("action_ok.json");
    for out in [
        Refund::partial("O", azn("5"), "r")
            .parse_response(&c, ok(&body))
            .unwrap(),
        Capture::partial("O", azn("7"), "r")
            .parse_response(&c, ok(&body))
            .unwrap(),
        ExpireOrder::new("O").parse_response(&c, ok(&body)).unwrap(),
        DeleteCard::new("card-1")
            .parse_response(&c, ok(br#"{"code":"00000","payload":true}"#))
            .unwrap(),
    ] {
        assert_eq!(out.state, State::Done);
        assert_eq!(out.code, ResultCode::Success);
    }
}

#[test]
fn order_info_published_shape_for_every_lookup() {
    let c = Config::new("k");
    let body = fixture("order_info.json");
    let outs = [
        GetOrder::new("ORD-1")
            .parse_response(&c, ok(&body))
            .unwrap(),
        GetOrderStatus::new("ORD-1")
            .parse_response(&c, ok(&body))
            .unwrap(),
        GetOrderByRrn::new("rrn 1/2")
            .parse_response(&c, ok(&body))
            .unwrap(),
    ];
    for o in outs {
        assert_eq!(o.state, State::Done);
        assert_eq!(o.payment_status, PaymentStatus::Approved);
        assert!(o.is_paid());
        assert_eq!(o.order_id, "ORD-1");
        assert_eq!(o.amount, Some(azn("10.5")));
        assert_eq!(o.currency.as_deref(), Some("AZN"));
        assert_eq!(o.operation_type, Some(OrderOperation::Purchase));
        assert_eq!(o.auto, Some(false));
        assert_eq!(o.metadata.as_deref(), Some(r#"{"k":"v"}"#));
        assert_eq!(o.transactions.len(), 1);
        let t = &o.transactions[0];
        assert_eq!(t.status, Some(PaymentStatus::Approved));
        assert_eq!(t.masked_pan.as_deref(), Some("416974******1979"));
        assert_eq!(t.card_brand.as_deref(), Some("VISA"));
        assert_eq!(t.channel.as_deref(), Some("KAPITAL_BANK"));
    }
}

#[test]
fn every_payment_status_maps_to_its_state_ignoring_case() {
    let c = Config::new("k");
    let table = [
        ("CREATED", State::Pending),
        ("APPROVED", State::Done),
        ("CANCELED", State::Declined),
        ("DECLINED", State::Declined),
        ("REFUNDED", State::Returned),
        ("PREAUTH_APPROVED", State::Done),
        ("EXPIRED", State::Declined),
        ("REVERSE", State::Returned),
        ("PARTIAL_REFUND", State::Done),
        ("PARTIAL", State::Pending),
        ("ACCEPTED", State::Done),
        ("REFUND_IN_PROGRESS", State::Pending),
        ("CASH", State::Pending),
        ("PENDING", State::Pending),
        ("PREAUTH_EXPIRED", State::Declined),
        ("IN_REVIEW", State::Pending),
        ("PAID", State::Pending),
        ("COMPLETED", State::Pending),
        ("SOMETHING_NEW", State::Pending),
        ("", State::Pending),
    ];
    for (word, state) in table {
        for w in [word.to_owned(), word.to_lowercase(), format!(" {word} ")] {
            let body = format!(
                r#"{{"code":"00000","payload":{{"orderId":"ORD-1","paymentStatus":"{w}"}}}}"#
            );
            let o = GetOrder::new("ORD-1")
                .parse_response(&c, ok(body.as_bytes()))
                .unwrap();
            assert_eq!(o.state, state, "{w:?}");
        }
    }
    // Unknown words are kept verbatim.
    let o = GetOrder::new("O")
        .parse_response(
            &c,
            ok(br#"{"code":"00000","payload":{"orderId":"O","paymentStatus":"SOMETHING_NEW"}}"#),
        )
        .unwrap();
    assert_eq!(o.payment_status.as_str(), "SOMETHING_NEW");
    // No status at all: pending; an order /status answer without orderId takes the asked id.
    let o = GetOrderStatus::new("O-9")
        .parse_response(
            &c,
            ok(br#"{"code":"00000","payload":{"paymentStatus":"PENDING"}}"#),
        )
        .unwrap();
    assert_eq!((o.order_id.as_str(), o.state), ("O-9", State::Pending));
}

#[test]
fn amounts_read_back_exactly() {
    let c = Config::new("k");
    for (text, minor) in [
        ("10.5", Some(1050)),
        ("10.50", Some(1050)),
        ("\"7.10\"", Some(710)),
        ("0.1", Some(10)),
        ("1e2", None),
        ("10.555", None),
    ] {
        let body = format!(
            r#"{{"code":"00000","payload":{{"orderId":"O","amount":{text},"currencyType":"AZN","paymentStatus":"APPROVED"}}}}"#
        );
        let o = GetOrder::new("O")
            .parse_response(&c, ok(body.as_bytes()))
            .unwrap();
        assert_eq!(o.amount.map(|a| a.minor()), minor, "{text}");
    }
    // A currency azpay does not know: no amount rather than a guess.
    let o = GetOrder::new("O")
        .parse_response(
            &c,
            ok(br#"{"code":"00000","payload":{"orderId":"O","amount":5,"currencyType":"XXX"}}"#),
        )
        .unwrap();
    assert_eq!(o.amount, None);
}

#[test]
fn auto_pay_published_shape_and_states() {
    let c = Config::new("k");
    let op = AutoPay::new("card-uuid-1", azn("3"), "Subscription", "rrn-2");
    let out = op
        .parse_response(&c, ok(&fixture("auto_pay.json")))
        .unwrap();
    assert_eq!(out.state, State::Done);
    let order = out.order.unwrap();
    assert_eq!(order.order_id, "ORD-2");
    assert_eq!(order.auto, Some(true));
    for (status, state) in [
        ("DECLINED", State::Declined),
        ("CREATED", State::Pending),
        ("PREAUTH_APPROVED", State::Done),
        ("NEW_WORD", State::Pending),
        ("REFUNDED", State::Pending),
    ] {
        let body =
            format!(r#"{{"code":"00000","payload":{{"orderId":"O","paymentStatus":"{status}"}}}}"#);
        assert_eq!(
            op.parse_response(&c, ok(body.as_bytes())).unwrap().state,
            state,
            "{status}"
        );
    }
    let out = op
        .parse_response(&c, ok(br#"{"code":"00000","payload":null}"#))
        .unwrap();
    assert_eq!(out.state, State::Pending);
}

#[test]
fn card_saves_and_lists() {
    let c = Config::new("k");
    let save = SaveCard::new("cust-1", "idem-1").callback_url("https://shop.az/cb");
    let out = save
        .parse_response(&c, ok(&fixture("card_save.json")))
        .unwrap();
    assert_eq!(out.state, State::Done);
    assert_eq!(out.status, Some(CardSaveStatus::Created));
    assert_eq!(
        out.payment_url.as_deref(),
        Some("https://pay.payriff.com/ORD-CS")
    );
    assert_eq!(out.amount, Some(azn("0.10")));
    let got = GetCardSave::new("cs-1")
        .parse_response(&c, ok(&fixture("card_save_verified.json")))
        .unwrap();
    assert_eq!(got.state, State::Done);
    assert_eq!(got.card_uuid.as_deref(), Some("card-1"));
    for (status, state) in [
        ("CREATED", State::Pending),
        ("DECLINED", State::Declined),
        ("EXPIRED", State::Declined),
        ("REVERSED", State::Pending),
        ("REVERSE_FAILED", State::Pending),
        ("verified", State::Done),
        ("NEW", State::Pending),
    ] {
        let body =
            format!(r#"{{"code":"00000","payload":{{"cardSaveId":"cs","status":"{status}"}}}}"#);
        let got = GetCardSave::new("cs")
            .parse_response(&c, ok(body.as_bytes()))
            .unwrap();
        assert_eq!(got.state, state, "{status}");
    }
    let list = ListSavedCards::new("cust 1")
        .parse_response(&c, ok(&fixture("saved_cards.json")))
        .unwrap();
    assert_eq!(list.state, State::Done);
    let ids: Vec<&str> = list.cards.iter().map(|c| c.card_uuid.as_str()).collect();
    assert_eq!(ids, ["card-1", "card-2"]);
    let empty = ListSavedCards::new("c")
        .parse_response(&c, ok(br#"{"code":"00000","payload":null}"#))
        .unwrap();
    assert!(empty.cards.is_empty());
}

#[test]
fn transactions_page_published_shape() {
    let c = Config::new("k");
    let page = ListTransactions::new()
        .parse_response(&c, ok(&fixture("transactions.json")))
        .unwrap();
    assert_eq!(page.state, State::Done);
    assert_eq!(page.total_elements, Some(41));
    assert_eq!(page.total_pages, Some(3));
    assert_eq!(page.page, Some(1));
    assert_eq!(page.last, Some(false));
    let row = &page.transactions[0];
    assert_eq!(row.state, State::Done);
    assert_eq!(row.order_id.as_deref(), Some("ORD-1"));
    assert_eq!(row.id.as_deref(), Some("5"));
    assert_eq!(row.amount, Some(azn("10")));
}

#[test]
fn unreadable_answers() {
    let c = Config::new("k");
    // HTML from a proxy with a 502, and a 200 that is not an envelope.
    assert!(matches!(
        GetOrder::new("O").parse_response(&c, resp(502, b"<html>bad gateway</html>")),
        Err(ResponseError::Status { .. })
    ));
    for body in [
        &b""[..],
        b"[]",
        b"{}",
        b"null",
        b"{\"payload\":{}}",
        b"not json",
    ] {
        assert!(
            matches!(
                GetOrder::new("O").parse_response(&c, ok(body)),
                Err(ResponseError::Malformed { .. })
            ),
            "{body:?}"
        );
    }
    // `00000` with a non-2xx status is no success.
    assert!(matches!(
        GetOrder::new("O").parse_response(&c, resp(500, &fixture("order_info.json"))),
        Err(ResponseError::Status { .. })
    ));
    // A payload of the wrong shape.
    assert!(matches!(
        GetOrder::new("O")
            .parse_response(&c, ok(br#"{"code":"00000","payload":{"transactions":7}}"#)),
        Err(ResponseError::Malformed { .. })
    ));
    // Too large.
    let big = vec![b' '; azpay_core::MAX_BODY_BYTES + 1];
    assert!(matches!(
        GetOrder::new("O").parse_response(&c, ok(&big)),
        Err(ResponseError::TooLarge { .. })
    ));
}

#[test]
fn payment_changing_requests_with_unreadable_answers_are_outcome_unknown() {
    let c = Config::new("k");
    let html = resp(502, b"<html>bad gateway</html>");
    let e: Error<ApiError> = parse_after_sending(&Refund::full("O", "r"), &c, html).unwrap_err();
    assert!(e.may_have_happened());
    let e: Error<ApiError> =
        parse_after_sending(&CreateOrder::purchase(azn("1"), "r"), &c, ok(b"{}")).unwrap_err();
    assert!(e.may_have_happened());
    // A typed refusal is not unknown: nothing happened.
    let e: Error<ApiError> = parse_after_sending(
        &Refund::full("O", "r"),
        &c,
        ok(&fixture("error_invalid_parameters.json")),
    )
    .unwrap_err();
    assert!(!e.may_have_happened());
    // A query is never "unknown".
    let e: Error<ApiError> =
        parse_after_sending(&GetOrder::new("O"), &c, resp(502, b"<html/>")).unwrap_err();
    assert!(!e.may_have_happened());
}

#[test]
fn outputs_serialise_with_state_and_the_gateway_word() {
    let c = Config::new("k");
    let o = GetOrder::new("ORD-1")
        .parse_response(&c, ok(&fixture("order_info.json")))
        .unwrap();
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(json["state"], "done");
    assert_eq!(json["payment_status"], "APPROVED");
    let r = Refund::full("O", "r")
        .parse_response(&c, ok(&fixture("rejected.json")))
        .unwrap();
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["state"], "declined");
    assert_eq!(json["code"], "01000");
}
