//! Kapital in the one outcome model (issue 12): the `state` of every output, on the real
//! published answers (KBDOC, seed 002) and on the odd ones; declines as outputs; flows that
//! fail after sending; base URLs and payment-page URLs as people and processors write them.

use std::cell::RefCell;

use azpay_core::kapital::{
    ApiError, Config, CreateOrder, ErrorCode, ExecTran, GetOrder, OrderStatus, PayWithSavedCard,
    Payout, PmoResultCode, SetDstToken, SetSrcToken,
};
use azpay_core::{
    execute, execute_flow, Amount, BuildError, Currency, Error, HttpRequest, HttpResponse,
    Operation, ResponseError, State, TransportError,
};

fn fixture(dir: &str, name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{dir}/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn response(status: u16, body: impl Into<Vec<u8>>) -> HttpResponse {
    http::Response::builder()
        .status(status)
        .body(body.into())
        .unwrap()
}

fn config() -> Config {
    Config::new("TerminalSys/kapital", "kapital123")
}

fn azn(text: &str) -> Amount {
    Amount::parse_major(text, Currency::AZN).unwrap()
}

// --- every status word and code -----------------------------------------------------------------

#[test]
fn every_order_status_word_maps_to_a_state() {
    for (word, state) in [
        ("Preparing", State::Pending),
        ("Authorized", State::Done),
        ("FullyPaid", State::Done),
        ("PartiallyPaid", State::Done),
        ("PartPaid", State::Done),
        ("Funded", State::Done),
        ("Refunded", State::Returned),
        ("Refused", State::Returned),
        ("Voided", State::Returned),
        ("Declined", State::Declined),
        ("Rejected", State::Declined),
        ("Cancelled", State::Declined),
        ("Expired", State::Declined),
        ("Closed", State::Pending),
        ("Processing", State::Pending),
        ("", State::Pending),
    ] {
        let body = format!(r#"{{"order":{{"id":5531,"status":"{word}"}}}}"#);
        let order = GetOrder::new(5531)
            .parse_response(&config(), response(200, body))
            .unwrap();
        assert_eq!(order.state, state, "{word}");
        assert_eq!(order.status.as_str(), word);
    }
}

#[test]
fn status_words_are_compared_without_regard_to_case() {
    assert_eq!(OrderStatus::from("fullypaid"), OrderStatus::FullyPaid);
    assert_eq!(OrderStatus::from(" REFUNDED "), OrderStatus::Refunded);
    assert_eq!(OrderStatus::from("partpaid"), OrderStatus::PartPaid);
    assert_eq!(OrderStatus::from("Partpaid").state(), State::Done);
    // An unknown word is kept as received (trimmed) and is never success.
    assert_eq!(
        OrderStatus::from("FullyPaidMaybe"),
        OrderStatus::Other("FullyPaidMaybe".into())
    );
    assert_eq!(OrderStatus::from("FullyPaidMaybe").state(), State::Pending);
}

#[test]
fn every_pmo_result_code_maps_to_a_state() {
    let done = ["1", "96"];
    let pending = [
        "0", "2", "3", "4", "6", "7", "8", "9", "10", "11", "12", "13", "14", "16", "18", "19",
        "90", "91", "92", "5", "777", "x",
    ];
    let declined = [
        "15", "17", "20", "29", "30", "40", "41", "49", "50", "51", "52", "53", "54", "55", "56",
        "57", "58", "59", "60", "61", "62", "63", "64", "65", "66", "67", "68", "69", "71", "72",
        "73", "74", "75", "80", "81", "82", "83", "84", "85", "93", "94", "95", "98",
    ];
    for (codes, state) in [
        (&done[..], State::Done),
        (&pending[..], State::Pending),
        (&declined[..], State::Declined),
    ] {
        for code in codes {
            assert_eq!(PmoResultCode::from(*code).state(), state, "{code}");
            let body = format!(r#"{{"tran":{{"approvalCode":"1","pmoResultCode":"{code}"}}}}"#);
            let out = ExecTran::refund(1, azn("1"))
                .parse_response(&config(), response(200, body))
                .unwrap();
            assert_eq!(out.state, state, "exec-tran with {code}");
        }
    }
}

// --- the real published shapes ------------------------------------------------------------------

#[test]
fn kbdoc_answers_carry_their_state() {
    let created = CreateOrder::purchase(azn("1"))
        .parse_response(
            &config(),
            response(200, fixture("kapital", "create_order_response.json")),
        )
        .unwrap();
    assert_eq!(created.state, State::Done);

    let summary = GetOrder::new(5531)
        .parse_response(
            &config(),
            response(200, fixture("kapital", "order_summary.json")),
        )
        .unwrap();
    assert_eq!(
        (summary.status, summary.state),
        (OrderStatus::Refunded, State::Returned)
    );

    let detailed = GetOrder::new(5531)
        .detailed()
        .parse_response(
            &config(),
            response(200, fixture("kapital", "order_detailed.json")),
        )
        .unwrap();
    assert_eq!(detailed.state, State::Returned);
    assert_eq!(detailed.trans.len(), 2);

    let stored = GetOrder::new(10947)
        .detailed()
        .parse_response(
            &config(),
            response(
                200,
                fixture("kapital_real", "order_detailed_stored_card.json"),
            ),
        )
        .unwrap();
    assert_eq!(
        (stored.status, stored.state),
        (OrderStatus::FullyPaid, State::Done)
    );
    // The card to charge later is storedTokens[].id, not the paying srcToken.id.
    assert_eq!(stored.stored_tokens[0].id, Some(5654));
    assert_eq!(stored.src_token.as_ref().unwrap().id, Some(5652));
    assert_eq!(
        stored.merchant.as_ref().unwrap().rid.as_deref(),
        Some("E1000010")
    );

    let ok = ExecTran::refund(5531, azn("2"))
        .parse_response(
            &config(),
            response(200, fixture("kapital", "exec_tran_ok.json")),
        )
        .unwrap();
    assert_eq!(ok.state, State::Done);
    assert_eq!(ok.decline, None);

    let token = SetSrcToken::stored_card(6300, "pw", 5125)
        .parse_response(
            &config(),
            response(200, fixture("kapital", "set_src_token_response.json")),
        )
        .unwrap();
    assert_eq!(token.state, State::Done);
    assert_eq!(token.src_token.unwrap().id, Some(6298));

    // KBDOC's set-dst-token sample is the same answer (it repeats srcToken).
    let dst = SetDstToken::card(7001, "pw", "4169741330151778")
        .parse_response(
            &config(),
            response(200, fixture("kapital", "set_src_token_response.json")),
        )
        .unwrap();
    assert_eq!(dst.state, State::Done);

    let gpay = SetSrcToken::google_pay(29575, "pw", "7B7D")
        .parse_response(
            &config(),
            response(
                200,
                fixture("kapital_real", "set_src_token_google_pay.json"),
            ),
        )
        .unwrap();
    assert_eq!(gpay.state, State::Done);
    assert_eq!(
        gpay.src_token.unwrap().payment_method.as_deref(),
        Some("GooglePay")
    );
}

#[test]
fn a_decline_is_an_output_even_with_http_200() {
    for status in [200, 400, 402] {
        let out = ExecTran::charge_saved_card(6300)
            .parse_response(
                &config(),
                response(status, fixture("kapital", "error_pmo_decline.json")),
            )
            .unwrap();
        assert_eq!(out.state, State::Declined, "HTTP {status}");
        assert_eq!(out.pmo_result_code, Some(PmoResultCode::InvalidCard));
    }
    // Another error body with HTTP 200 stays the gateway's error, never a success.
    let e = ExecTran::refund(1, azn("1"))
        .parse_response(
            &config(),
            response(
                200,
                br#"{"errorCode":"InvalidOrderState","errorDescription":"Operation is not allowed"}"#
                    .to_vec(),
            ),
        )
        .unwrap_err();
    match e {
        ResponseError::Api(a) => assert_eq!(a.code, ErrorCode::InvalidOrderState),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_answer_without_pmo_result_code() {
    let out = ExecTran::refund(1, azn("1"))
        .parse_response(
            &config(),
            response(200, fixture("kapital_real", "exec_tran_no_pmo.json")),
        )
        .unwrap();
    assert_eq!(out.pmo_result_code, None);
    assert_eq!(
        out.state,
        State::Done,
        "an approval code without a result code"
    );
    let out = ExecTran::refund(1, azn("1"))
        .parse_response(&config(), response(200, br#"{"tran":{}}"#.to_vec()))
        .unwrap();
    assert_eq!(out.state, State::Pending, "nothing to go on: never success");
}

// --- base URLs as people write them --------------------------------------------------------------

#[test]
fn base_url_with_or_without_api_never_doubles_the_path() {
    for base in [
        "https://txpgtst.kapitalbank.az",
        "https://txpgtst.kapitalbank.az/",
        "https://txpgtst.kapitalbank.az/api",
        "https://txpgtst.kapitalbank.az/api/",
        "https://txpgtst.kapitalbank.az/API//",
    ] {
        let c = config().base_url(base).unwrap();
        let create = CreateOrder::purchase(azn("1")).request(&c).unwrap();
        assert_eq!(
            create.uri(),
            "https://txpgtst.kapitalbank.az/api/order",
            "{base}"
        );
        let get = GetOrder::new(5531).detailed().request(&c).unwrap();
        assert_eq!(
            get.uri(),
            "https://txpgtst.kapitalbank.az/api/order/5531?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2",
            "{base}"
        );
        let exec = ExecTran::clearing(5531).request(&c).unwrap();
        assert_eq!(
            exec.uri(),
            "https://txpgtst.kapitalbank.az/api/order/5531/exec-tran"
        );
    }
    // A proxy's prefix is kept, with or without /api.
    for base in [
        "https://proxy.example/kapital",
        "https://proxy.example/kapital/api/",
    ] {
        let c = config().base_url(base).unwrap();
        assert_eq!(
            CreateOrder::purchase(azn("1")).request(&c).unwrap().uri(),
            "https://proxy.example/kapital/api/order"
        );
    }
    // A path naming an endpoint is refused, naming the field; nothing is built.
    for odd in [
        "https://txpgtst.kapitalbank.az/api/order",
        "https://txpgtst.kapitalbank.az/api/api",
        "https://txpgtst.kapitalbank.az/flex",
        "https://txpgtst.kapitalbank.az/api/order/5531/exec-tran",
    ] {
        let e = config().base_url(odd).unwrap_err();
        assert_eq!(e.field(), Some("base_url"), "{odd}");
        assert!(e.to_string().contains("endpoint"), "{odd}: {e}");
    }
}

// --- payment page URL from each form of hppUrl ---------------------------------------------------

fn created_with(
    hpp_url: Option<&str>,
    op: &CreateOrder,
) -> Result<azpay_core::kapital::CreatedOrder, ResponseError<ApiError>> {
    let hpp = hpp_url
        .map(|u| format!(r#""hppUrl":"{u}","#))
        .unwrap_or_default();
    let body =
        format!(r#"{{"order":{{"id":4595,{hpp}"password":"8xjpd1ejxdma","status":"Preparing"}}}}"#);
    op.parse_response(&config(), response(200, body))
}

#[test]
fn payment_url_from_every_form_of_hpp_url() {
    let op = CreateOrder::purchase(azn("1"));
    for (hpp, page) in [
        // The official sample: hppUrl already ends in /flex.
        (
            "https://txpgtst.kapitalbank.az/flex",
            "https://txpgtst.kapitalbank.az/flex?id=4595&password=8xjpd1ejxdma",
        ),
        // Another processor of the platform: a bare host (seed 002's `{hppUrl}/flex?…`).
        (
            "https://e-commerce.kapitalbank.az",
            "https://e-commerce.kapitalbank.az/flex?id=4595&password=8xjpd1ejxdma",
        ),
        // Seed 002's template applied to a host written with a trailing slash.
        (
            "https://txpgtst.kapitalbank.az/",
            "https://txpgtst.kapitalbank.az/flex?id=4595&password=8xjpd1ejxdma",
        ),
        (
            "https://txpgtst.kapitalbank.az/flex/",
            "https://txpgtst.kapitalbank.az/flex?id=4595&password=8xjpd1ejxdma",
        ),
    ] {
        let created = created_with(Some(hpp), &op).unwrap();
        assert_eq!(created.payment_url().as_deref(), Some(page), "{hpp}");
        assert!(!created.payment_url().unwrap().contains("/flex/flex"));
    }
}

#[test]
fn server_side_orders_need_no_hpp_url() {
    for op in [
        CreateOrder::recurring(azn("5")),
        CreateOrder::recurring_preauth(azn("5")),
        CreateOrder::credit(azn("5")),
    ] {
        let created = created_with(None, &op).unwrap();
        assert_eq!(created.hpp_url, None);
        assert_eq!(created.payment_url(), None);
        assert_eq!(created.state, State::Done);
    }
    // An order paid on the hosted page cannot do without one.
    let e = created_with(None, &CreateOrder::purchase(azn("5"))).unwrap_err();
    assert!(e.to_string().contains("hppUrl"), "{e}");
}

// --- flows: every step parsed as after sending -----------------------------------------------------

const CREATED: &[u8] = br#"{"order":{"id":6300,"password":"pw6300","status":"Preparing"}}"#;
const TOKEN: &[u8] = br#"{"order":{"status":"Preparing","srcToken":{"id":6298}}}"#;
const HTML_500: &[u8] =
    b"<!DOCTYPE html><html><body><h1>500 Internal Server Error</h1></body></html>";

/// A transport answering the requests in turn with its answers, recording the paths.
struct Scripted {
    seen: RefCell<Vec<String>>,
    answers: RefCell<std::vec::IntoIter<(u16, &'static [u8])>>,
}

impl Scripted {
    fn new(answers: Vec<(u16, &'static [u8])>) -> Self {
        Scripted {
            seen: RefCell::new(Vec::new()),
            answers: RefCell::new(answers.into_iter()),
        }
    }

    fn send(&self, r: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.seen.borrow_mut().push(r.uri().path().to_owned());
        let (status, body) = self.answers.borrow_mut().next().expect("an answer left");
        Ok(response(status, body.to_vec()))
    }
}

#[test]
fn a_flow_failing_after_sending_is_a_flow_error_never_build() {
    // The server-side order comes without hppUrl: the flow goes on.
    let script = Scripted::new(vec![(200, CREATED), (200, TOKEN), (500, HTML_500)]);
    let transport = |r: HttpRequest| script.send(r);
    let mut flow = PayWithSavedCard::new(azn("5"), 5125);
    let err = execute_flow(&mut flow, &config(), &transport).unwrap_err();
    assert_eq!(
        *script.seen.borrow(),
        [
            "/api/order",
            "/api/order/6300/set-src-token",
            "/api/order/6300/exec-tran"
        ]
    );
    match &err {
        Error::Flow(f) => {
            assert_eq!(f.flow, "pay_with_saved_card");
            assert_eq!(f.step, "exec-tran");
            assert_eq!(f.sent, ["create-order", "set-token", "exec-tran"]);
            assert_eq!(f.reference.as_deref(), Some("order 6300"));
            assert!(
                matches!(*f.source, Error::OutcomeUnknown { .. }),
                "{:?}",
                f.source
            );
        }
        other => panic!("expected a flow error, got {other:?}"),
    }
    assert!(
        err.may_have_happened(),
        "an HTML 500 to a charge: outcome unknown"
    );
    assert!(!err.nothing_sent());
    assert_eq!(flow.failed_step().map(|s| s.as_str()), Some("exec-tran"));
    assert_eq!(flow.order_id(), Some(6300));

    // A 502 page to set-dst-token of a payout: unknown as well, and never "nothing sent".
    let script = Scripted::new(vec![(200, CREATED), (502, HTML_500)]);
    let transport = |r: HttpRequest| script.send(r);
    let mut flow = Payout::new(azn("1"), "4169741330151778");
    let err = execute_flow(&mut flow, &config(), &transport).unwrap_err();
    match &err {
        Error::Flow(f) => {
            assert_eq!((f.flow, f.step), ("payout", "set-token"));
            assert_eq!(f.sent, ["create-order", "set-token"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.may_have_happened());

    // A malformed answer to the first request: it was sent, so a flow error too.
    let script = Scripted::new(vec![(200, b"not json")]);
    let transport = |r: HttpRequest| script.send(r);
    let mut flow = PayWithSavedCard::new(azn("5"), 5125);
    let err = execute_flow(&mut flow, &config(), &transport).unwrap_err();
    match &err {
        Error::Flow(f) => {
            assert_eq!(
                (f.step, f.sent.clone()),
                ("create-order", vec!["create-order"])
            );
            assert_eq!(f.reference, None);
        }
        other => panic!("{other:?}"),
    }
    assert!(!matches!(err, Error::Build(_)));
}

#[test]
fn a_flow_refused_before_sending_is_build() {
    let transport =
        |_: HttpRequest| -> Result<HttpResponse, TransportError> { panic!("nothing may be sent") };
    let mut flow = Payout::new(azn("1"), "4169741330151779");
    let err = execute_flow(&mut flow, &config(), &transport).unwrap_err();
    match &err {
        Error::Build(BuildError::InvalidInput { field, .. }) => assert_eq!(*field, "pan"),
        other => panic!("{other:?}"),
    }
    assert!(err.nothing_sent());
}

#[test]
fn a_declined_flow_is_an_outcome() {
    let script = Scripted::new(vec![
        (200, CREATED),
        (200, br#"{"order":{"status":"Preparing"}}"#),
        (
            400,
            br#"{"errorCode":"PmoDecline","errorDetails":{"pmoResultCode":"59","declineReason":"InsufficientFunds"}}"#,
        ),
    ]);
    let transport = |r: HttpRequest| script.send(r);
    let mut flow = Payout::new(azn("1"), "4169741330151778");
    let out = execute_flow(&mut flow, &config(), &transport).unwrap();
    assert_eq!(out.state, State::Declined);
    assert_eq!(
        out.tran.pmo_result_code,
        Some(PmoResultCode::InsufficientFunds)
    );
}

// --- the verified redirect --------------------------------------------------------------------------

#[test]
fn verified_redirect_reads_the_detailed_order_with_its_transactions() {
    let redirect = azpay_core::kapital::parse_redirect("?ID=5531&STATUS=fullypaid").unwrap();
    let transport = |r: HttpRequest| -> Result<HttpResponse, TransportError> {
        assert_eq!(
            r.uri(),
            "https://txpgtst.kapitalbank.az/api/order/5531?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2"
        );
        Ok(response(200, fixture("kapital", "order_detailed.json")))
    };
    let order = execute(&redirect.verify(), &config(), &transport).unwrap();
    assert_eq!(order.state, State::Returned, "refunded: the claim lied");
    assert_eq!(order.trans.len(), 2);
    assert!(!redirect.claim_matches(&order));
    // Claims are compared without regard to case.
    let honest = azpay_core::kapital::parse_redirect("?ID=5531&STATUS=refunded").unwrap();
    assert!(honest.claim_matches(&order));
}
