//! The unified verbs build exactly the request of the gateway-specific operation (method,
//! URL, headers, body), report the gateway operation's RequestMeta (which `execute` attaches,
//! so the transport sees it), and answer Unsupported for what a gateway cannot do.

use azpay_core::unified::{self, GatewayKind, PaymentRef, Verb};
use azpay_core::{
    epoint, kapital, twec, Amount, BuildError, Currency, Error, HttpRequest, HttpResponse,
    Language, Operation, RequestMeta, TransportError,
};

fn azn(text: &str) -> Amount {
    Amount::parse_major(text, Currency::AZN).unwrap()
}

fn epoint_config() -> epoint::Config {
    epoint::Config::new("i000000001", "d3hjsl38sd8kdfhbcea0be04eafde9e8e2bad2fb092d")
        .success_redirect_url("https://shop.example/ok")
        .error_redirect_url("https://shop.example/fail")
}
fn kapital_config() -> kapital::Config {
    kapital::Config::new("TerminalSys/kapital", "kapital123")
        .redirect_url("https://shop.example/kapital-return")
}
fn twec_config() -> twec::Config {
    twec::Config::kapital_test("E1000010")
        .approve_url("https://shop.example/approve")
        .cancel_url("https://shop.example/cancel")
        .decline_url("https://shop.example/decline")
}
fn config() -> unified::Config {
    unified::Config::new()
        .epoint(epoint_config())
        .kapital(kapital_config())
        .twec(twec_config())
}

fn epoint_ref(preauth: bool) -> PaymentRef {
    PaymentRef::EPoint {
        transaction: "te000000001".into(),
        order_id: "order-1".into(),
        amount: azn("30.75"),
        preauth,
    }
}
fn kapital_ref(preauth: bool) -> PaymentRef {
    PaymentRef::Kapital {
        order_id: 4595,
        password: "8xjpd1ejxdma".into(),
        amount: azn("30.75"),
        preauth,
    }
}
fn twec_ref(preauth: bool) -> PaymentRef {
    PaymentRef::Twec {
        order_id: "86166".into(),
        session_id: "4195BE06C8BC8BBDA9CF1B55FD403E24".into(),
        amount: azn("30.75"),
        preauth,
        tran_id: None,
    }
}

/// Asserts that two requests are the same to the byte.
fn assert_same(unified: &HttpRequest, specific: &HttpRequest) {
    assert_eq!(unified.method(), specific.method());
    assert_eq!(unified.uri(), specific.uri());
    assert_eq!(unified.headers(), specific.headers());
    assert_eq!(
        String::from_utf8_lossy(unified.body()),
        String::from_utf8_lossy(specific.body())
    );
}

/// The request `execute` hands the transport for `op` (which it then refuses to send).
fn sent_by_execute<U>(op: &U) -> HttpRequest
where
    U: Operation<Gateway = unified::Unified>,
{
    let seen = std::cell::RefCell::new(None);
    let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
        *seen.borrow_mut() = Some(request);
        Err(TransportError::not_sent(
            azpay_core::TransportErrorKind::Connect,
            "test transport sends nothing",
        ))
    };
    let _ = azpay_core::execute(op, &config(), &transport);
    seen.into_inner()
        .expect("execute hands the request to the transport")
}

fn same<U, S>(op: &U, specific: &S, config: &<S::Gateway as azpay_core::Gateway>::Config)
where
    U: Operation<Gateway = unified::Unified>,
    S: Operation,
{
    let u = op.build_request(&self::config()).expect("unified builds");
    let s = specific.build_request(config).expect("specific builds");
    assert_same(&u, &s);
    // `build_request` attaches no meta of its own on either side; `execute` does.
    assert_eq!(RequestMeta::of(&u), RequestMeta::of(&s));
    // The operation's own meta (what OneStep and execute use) is the gateway op's.
    assert_eq!(op.meta(), specific.meta());
    // And that is what the transport sees: same request, the gateway operation's meta.
    let sent = sent_by_execute(op);
    assert_same(&sent, &s);
    assert_eq!(RequestMeta::of(&sent), Some(&specific.meta()));
}

// ---- create --------------------------------------------------------------------------

#[test]
fn create_epoint_is_pay_or_preauth() {
    let op = unified::CreatePayment::new(GatewayKind::EPoint, azn("30.75"), "order-1")
        .description("test payment")
        .language(Language::En);
    let specific = epoint::Pay::new(azn("30.75"), "order-1")
        .description("test payment")
        .language(Language::En);
    same(&op, &specific, &epoint_config());

    let op = unified::CreatePayment::new(GatewayKind::EPoint, azn("50"), "h-1")
        .preauth()
        .return_url("https://shop.example/back");
    let specific = epoint::PreAuth::new(azn("50"), "h-1")
        .success_redirect_url("https://shop.example/back")
        .error_redirect_url("https://shop.example/back");
    same(&op, &specific, &epoint_config());
}

#[test]
fn create_kapital_is_create_order() {
    let op = unified::CreatePayment::new(GatewayKind::Kapital, azn("1"), "order-7")
        .description("Testdesc");
    same(
        &op,
        &kapital::CreateOrder::purchase(azn("1")).description("Testdesc"),
        &kapital_config(),
    );
    // No description: the order id describes it.
    let op = unified::CreatePayment::new(GatewayKind::Kapital, azn("2"), "order-8")
        .preauth()
        .language(Language::Ru)
        .return_url("https://shop.example/r");
    same(
        &op,
        &kapital::CreateOrder::preauth(azn("2"))
            .description("order-8")
            .language(Language::Ru)
            .hpp_redirect_url("https://shop.example/r"),
        &kapital_config(),
    );
}

#[test]
fn create_twec_is_create_order() {
    let op = unified::CreatePayment::new(GatewayKind::Twec, azn("1234.56"), "o-9")
        .description("xxxxxxxx");
    same(
        &op,
        &twec::CreateOrder::purchase(azn("1234.56"), "xxxxxxxx"),
        &twec_config(),
    );
    let op = unified::CreatePayment::new(GatewayKind::Twec, azn("3"), "o-10")
        .preauth()
        .return_url("https://shop.example/t");
    same(
        &op,
        &twec::CreateOrder::preauth(azn("3"), "o-10")
            .approve_url("https://shop.example/t")
            .cancel_url("https://shop.example/t")
            .decline_url("https://shop.example/t"),
        &twec_config(),
    );
    // TWEC's meta asks the transport for the client certificate.
    assert!(op.meta().requires_client_identity);
    assert!(
        RequestMeta::of(&sent_by_execute(&op))
            .unwrap()
            .requires_client_identity
    );
}

#[test]
fn create_validation_is_the_gateways() {
    let op = unified::CreatePayment::new(GatewayKind::EPoint, azn("1"), "");
    let err = op.build_request(&config()).unwrap_err();
    assert_eq!(err.field(), Some("order_id"));
    let zero = Amount::from_minor(0, Currency::AZN);
    let err = unified::CreatePayment::new(GatewayKind::Kapital, zero, "o")
        .build_request(&config())
        .unwrap_err();
    assert_eq!(err.field(), Some("amount"));
}

#[test]
fn a_missing_gateway_configuration_is_named() {
    let only_epoint = unified::Config::new().epoint(epoint_config());
    let op = unified::GetStatus::new(&twec_ref(false));
    let err = op.build_request(&only_epoint).unwrap_err();
    assert_eq!(err.field(), Some("twec"));
}

// ---- status --------------------------------------------------------------------------

#[test]
fn status_per_gateway() {
    same(
        &unified::GetStatus::new(&epoint_ref(false)),
        &epoint::GetStatus::by_transaction("te000000001"),
        &epoint_config(),
    );
    same(
        &unified::GetStatus::new(&kapital_ref(false)),
        &kapital::GetOrder::new(4595).detailed(),
        &kapital_config(),
    );
    same(
        &unified::GetStatus::new(&twec_ref(false)),
        &twec::GetOrderStatus::new("86166", "4195BE06C8BC8BBDA9CF1B55FD403E24"),
        &twec_config(),
    );
    assert!(unified::GetStatus::kapital(1).meta().idempotent);
}

// ---- refund --------------------------------------------------------------------------

#[test]
fn refund_full_and_partial_per_gateway() {
    same(
        &unified::Refund::full(&epoint_ref(false)),
        &epoint::Refund::new("te000000001", Currency::AZN),
        &epoint_config(),
    );
    same(
        &unified::Refund::partial(&epoint_ref(false), azn("10")),
        &epoint::Refund::new("te000000001", Currency::AZN).amount(azn("10")),
        &epoint_config(),
    );
    same(
        &unified::Refund::full(&kapital_ref(false)),
        &kapital::ExecTran::refund(4595, azn("30.75")),
        &kapital_config(),
    );
    same(
        &unified::Refund::partial(&kapital_ref(false), azn("2")),
        &kapital::ExecTran::refund(4595, azn("2")),
        &kapital_config(),
    );
    // TWEC (Kapital form): the TwoId goes in TranId when the PaymentRef knows it; without it
    // the one-request Refund is refused naming TranId (the RefundPayment flow fetches it).
    let mut with_two_id = twec_ref(false);
    if let PaymentRef::Twec { tran_id, .. } = &mut with_two_id {
        *tran_id = Some("2292054".into());
    }
    same(
        &unified::Refund::full(&with_two_id),
        &twec::Refund::new("86166", "4195BE06C8BC8BBDA9CF1B55FD403E24", azn("30.75"))
            .tran_id("2292054"),
        &twec_config(),
    );
    same(
        &unified::Refund::partial(&with_two_id, azn("1")),
        &twec::Refund::new("86166", "4195BE06C8BC8BBDA9CF1B55FD403E24", azn("1"))
            .tran_id("2292054"),
        &twec_config(),
    );
    let e = unified::Refund::full(&twec_ref(false))
        .build_request(&config())
        .unwrap_err();
    assert_eq!(e.field(), Some("TranId"), "{e}");
}

/// Drives `flow` over a transport answering each request with the next of `answers`; returns
/// the outcome and the requests it sent.
fn drive_refund(
    flow: &mut unified::RefundFlow,
    answers: &[&'static [u8]],
) -> (
    Result<unified::ActionOutcome, Error<unified::ApiError>>,
    Vec<HttpRequest>,
) {
    let sent = std::cell::RefCell::new(Vec::new());
    let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
        let n = sent.borrow().len();
        sent.borrow_mut().push(request);
        Ok(http::Response::new(answers[n].to_vec()))
    };
    let outcome = azpay_core::execute_flow(flow, &config(), &transport);
    (outcome, sent.into_inner())
}

#[test]
fn refund_flow_is_the_one_request_where_one_suffices() {
    // Kapital: exactly the request of the operation, with its meta, and its answer's state.
    let (outcome, sent) = drive_refund(
        &mut unified::Refund::partial(&kapital_ref(false), azn("2")).flow(),
        &[br#"{"tran":{"approvalCode":"053703","pmoResultCode":"1"}}"#],
    );
    assert_eq!(sent.len(), 1);
    assert_same(
        &sent[0],
        &kapital::ExecTran::refund(4595, azn("2"))
            .build_request(&kapital_config())
            .unwrap(),
    );
    assert_eq!(
        RequestMeta::of(&sent[0]),
        Some(&kapital::ExecTran::refund(4595, azn("2")).meta())
    );
    assert_eq!(outcome.unwrap().state, azpay_core::State::Done);
    // TWEC with a known TwoId: one Refund, TranId set.
    let mut with_two_id = twec_ref(false);
    if let PaymentRef::Twec { tran_id, .. } = &mut with_two_id {
        *tran_id = Some("2292054".into());
    }
    let (outcome, sent) = drive_refund(
        &mut unified::Refund::full(&with_two_id).flow(),
        &[b"<TKKPG><Response><Operation>Refund</Operation><Status>00</Status></Response></TKKPG>"],
    );
    assert_eq!(sent.len(), 1);
    assert!(String::from_utf8_lossy(sent[0].body()).contains("<TranId>2292054</TranId>"));
    assert_eq!(outcome.unwrap().state, azpay_core::State::Done);
}

#[test]
fn refund_flow_looks_the_two_id_up_or_refuses_before_refunding() {
    // TWEC without a TwoId: GetOrderInformation first, then the Refund with the TwoId found.
    let (outcome, sent) = drive_refund(
        &mut unified::Refund::partial(&twec_ref(false), azn("1")).flow(),
        &[
            b"<Order><row><id>86166</id><Orderstatus>APPROVED</Orderstatus><twoId>2292054</twoId></row></Order>",
            b"<TKKPG><Response><Operation>Refund</Operation><Status>00</Status></Response></TKKPG>",
        ],
    );
    assert_eq!(sent.len(), 2);
    let first = String::from_utf8_lossy(sent[0].body()).into_owned();
    assert!(
        first.contains("<Operation>GetOrderInformation</Operation>"),
        "{first}"
    );
    let second = String::from_utf8_lossy(sent[1].body()).into_owned();
    assert!(second.contains("<TranId>2292054</TranId>"), "{second}");
    assert!(second.contains("<Amount>100</Amount>"), "{second}");
    assert_eq!(outcome.unwrap().state, azpay_core::State::Done);
    // No TwoId in the order: a flow error after the lookup, and no Refund sent.
    let (outcome, sent) = drive_refund(
        &mut unified::Refund::full(&twec_ref(false)).flow(),
        &[b"<Order><row><id>86166</id><Orderstatus>APPROVED</Orderstatus><twoId></twoId></row></Order>"],
    );
    assert_eq!(sent.len(), 1, "nothing refunded");
    let e = outcome.unwrap_err();
    assert!(matches!(&e, Error::Flow(f) if f.step == "refund"), "{e:?}");
    assert!(!e.nothing_sent() && !e.may_have_happened(), "{e}");
    assert!(e.to_string().contains("TranId"), "{e}");
    // An unreadable answer to the Refund itself may have refunded: outcome unknown.
    let (outcome, _) = drive_refund(
        &mut unified::Refund::partial(&twec_ref(false), azn("1")).flow(),
        &[
            b"<Order><row><id>86166</id><Orderstatus>APPROVED</Orderstatus><twoId>2292054</twoId></row></Order>",
            b"<html>502 Bad Gateway</html>",
        ],
    );
    assert!(outcome.unwrap_err().may_have_happened());
}

// ---- capture -------------------------------------------------------------------------

#[test]
fn capture_per_gateway() {
    same(
        &unified::Capture::new(&epoint_ref(true)),
        &epoint::PreAuthComplete::new(azn("30.75"), "te000000001"),
        &epoint_config(),
    );
    same(
        &unified::Capture::new(&epoint_ref(true)).amount(azn("20")),
        &epoint::PreAuthComplete::new(azn("20"), "te000000001"),
        &epoint_config(),
    );
    same(
        &unified::Capture::new(&kapital_ref(true)),
        &kapital::ExecTran::clearing(4595),
        &kapital_config(),
    );
    same(
        &unified::Capture::new(&kapital_ref(true)).amount(azn("1")),
        &kapital::ExecTran::clearing(4595).amount(azn("1")),
        &kapital_config(),
    );
    same(
        &unified::Capture::new(&twec_ref(true)),
        &twec::Completion::new("86166", "4195BE06C8BC8BBDA9CF1B55FD403E24", azn("30.75")),
        &twec_config(),
    );
}

#[test]
fn capture_of_a_purchase_is_refused_before_sending() {
    for payment in [epoint_ref(false), kapital_ref(false), twec_ref(false)] {
        let err = unified::Capture::new(&payment)
            .build_request(&config())
            .unwrap_err();
        assert_eq!(err.field(), Some("payment"), "{payment:?}");
    }
}

// ---- cancel --------------------------------------------------------------------------

#[test]
fn cancel_per_gateway() {
    same(
        &unified::Cancel::new(&kapital_ref(false)),
        &kapital::ExecTran::void(4595, kapital::OrderState::Purchased),
        &kapital_config(),
    );
    same(
        &unified::Cancel::new(&kapital_ref(true)),
        &kapital::ExecTran::void(4595, kapital::OrderState::Held),
        &kapital_config(),
    );
    same(
        &unified::Cancel::new(&twec_ref(false)),
        &twec::Reverse::new("86166", "4195BE06C8BC8BBDA9CF1B55FD403E24"),
        &twec_config(),
    );
}

#[test]
fn cancel_on_epoint_is_unsupported_and_sends_nothing() {
    let op = unified::Cancel::new(&epoint_ref(true));
    assert_eq!(
        op.build_request(&config()).unwrap_err(),
        BuildError::Unsupported {
            gateway: "epoint",
            operation: "cancel"
        }
    );
    let transport = |_: HttpRequest| -> Result<HttpResponse, TransportError> {
        panic!("an unsupported verb must not send")
    };
    let err = azpay_core::execute(&op, &config(), &transport).unwrap_err();
    assert!(matches!(
        err,
        Error::Build(BuildError::Unsupported {
            gateway: "epoint",
            ..
        })
    ));
    assert!(err.to_string().contains("epoint does not support cancel"));
    // `supports` agrees with what the verbs do.
    assert!(!unified::supports(GatewayKind::EPoint, Verb::Cancel));
    for gateway in [GatewayKind::Kapital, GatewayKind::Twec] {
        assert!(unified::supports(gateway, Verb::Cancel));
    }
}

// ---- the return ----------------------------------------------------------------------

#[test]
fn kapital_and_twec_returns_become_the_status_query() {
    let ret = unified::Return::kapital_redirect("https://shop.example/r?ID=4595&STATUS=FullyPaid")
        .unwrap();
    let unified::Verification::Query(q) = ret.verify().unwrap() else {
        panic!("a Kapital redirect is never verified by itself")
    };
    same(
        &q,
        &kapital::GetOrder::new(4595).detailed(),
        &kapital_config(),
    );

    let form = std::fs::read("tests/fixtures/twec/xmlout_kapital_constructed.form").unwrap();
    let ret = unified::Return::twec_xmlout(&form).unwrap();
    let unified::Verification::Query(q) = ret.verify().unwrap() else {
        panic!("an xmlmsg is never verified by itself")
    };
    let msg = twec::parse_xmlout(&form).unwrap();
    same(&q, &msg.verify().unwrap(), &twec_config());
}

#[test]
fn a_forged_epoint_callback_is_refused() {
    let body = epoint::sign_callback(
        &epoint_config(),
        &serde_json::json!({"order_id":"order-1","status":"success","transaction":"te000000001"}),
    );
    let other = epoint::Config::new("i000000001", "another-key");
    let err = unified::Return::epoint_callback(&other, &body).unwrap_err();
    assert!(matches!(err, azpay_core::ResponseError::Signature(_)));
}
