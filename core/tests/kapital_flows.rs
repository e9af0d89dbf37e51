//! Kapital flows (K7) replayed through a closure transport that checks every request to the
//! byte, failures in the middle step, and every operation through `execute_async` with a tiny
//! hand-written executor (no tokio in core).

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use azpay_core::kapital::{
    ApiError, Config, CreateOrder, ErrorCode, ExecTran, FlowStep, GetOrder, OrderState,
    OrderStatus, PayWithSavedCard, Payout, SavedCardPreAuth, SetDstToken, SetSrcToken,
};
use azpay_core::{
    execute, execute_async, execute_flow, execute_flow_async, Amount, Currency, Error, Flow,
    HttpRequest, HttpResponse, Phase, ResponseError, State, Step, TransportError,
    TransportErrorKind,
};

const AUTH: &str = "Basic VGVybWluYWxTeXMva2FwaXRhbDprYXBpdGFsMTIz";

fn config() -> Config {
    Config::new("TerminalSys/kapital", "kapital123")
}

fn azn(text: &str) -> Amount {
    Amount::parse_major(text, Currency::AZN).unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/kapital/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// One expected exchange: method, URL, body text; then the status and body to answer.
struct Exchange {
    method: &'static str,
    url: String,
    body: String,
    status: u16,
    answer: Vec<u8>,
}

fn ex(method: &'static str, url: &str, body: &str, status: u16, answer: &[u8]) -> Exchange {
    Exchange {
        method,
        url: url.to_owned(),
        body: body.to_owned(),
        status,
        answer: answer.to_vec(),
    }
}

/// A transport that replays a script, asserting each request exactly.
struct Script {
    steps: RefCell<Vec<Exchange>>,
    seen: RefCell<Vec<&'static str>>,
}

impl Script {
    fn new(mut steps: Vec<Exchange>) -> Self {
        steps.reverse();
        Script {
            steps: RefCell::new(steps),
            seen: RefCell::new(Vec::new()),
        }
    }

    fn answer(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        let e = self
            .steps
            .borrow_mut()
            .pop()
            .expect("more requests than scripted");
        assert_eq!(req.method().as_str(), e.method);
        assert_eq!(req.uri().to_string(), e.url);
        assert_eq!(req.headers()["authorization"], AUTH);
        assert!(req.headers()["authorization"].is_sensitive());
        assert_eq!(std::str::from_utf8(req.body()).unwrap(), e.body);
        let meta = azpay_core::RequestMeta::of(&req).expect("meta");
        assert_eq!(meta.gateway, "kapital");
        self.seen.borrow_mut().push(meta.operation);
        Ok(http::Response::builder()
            .status(e.status)
            .body(e.answer)
            .unwrap())
    }

    fn finished(&self) -> bool {
        self.steps.borrow().is_empty()
    }
}

const CREATED_6300: &[u8] = br#"{"order":{"id":6300,"hppUrl":"https://txpgtst.kapitalbank.az/flex","password":"pw6300","status":"Preparing","cvv2AuthStatus":"Required","secret":"312866"}}"#;

fn saved_card_script(exec_status: u16, exec_answer: &[u8]) -> Script {
    Script::new(vec![
        ex(
            "POST",
            "https://txpgtst.kapitalbank.az/api/order",
            r#"{"order":{"typeRid":"Order_REC","amount":"5.00","currency":"AZN","language":"az","description":"Subscription"}}"#,
            200,
            CREATED_6300,
        ),
        ex(
            "POST",
            "https://txpgtst.kapitalbank.az/api/order/6300/set-src-token?password=pw6300",
            r#"{"order":{"initiationEnvKind":"Server"},"token":{"storedId":5125}}"#,
            200,
            &fixture("set_src_token_response.json"),
        ),
        ex(
            "POST",
            "https://txpgtst.kapitalbank.az/api/order/6300/exec-tran",
            r#"{"tran":{"phase":"Single","conditions":{"cofUsage":"Recurring"}}}"#,
            exec_status,
            exec_answer,
        ),
    ])
}

#[test]
fn pay_with_saved_card_full_sequence() {
    let script = saved_card_script(200, &fixture("exec_tran_ok.json"));
    let transport = |r: HttpRequest| script.answer(r);
    let mut flow = PayWithSavedCard::new(azn("5"), 5125).description("Subscription");
    let out = execute_flow(&mut flow, &config(), &transport).unwrap();
    assert!(script.finished());
    assert_eq!(
        *script.seen.borrow(),
        vec!["create_order", "set_src_token", "exec_tran"]
    );
    assert_eq!(out.order_id, 6300);
    assert_eq!(out.token.src_token.as_ref().unwrap().id, Some(6298));
    assert!(out.tran.is_approved());
    assert_eq!(out.tran.approval_code.as_deref(), Some("053703"));
    assert_eq!(flow.order_id(), Some(6300));
    assert_eq!(flow.failed_step(), None);
    assert_eq!(flow.created_order().unwrap().password, "pw6300");
}

/// The failing step's own gateway error inside an [`Error::Flow`], with the flow error.
fn flow_api(err: &Error<ApiError>) -> (&azpay_core::FlowError<ApiError>, &ApiError) {
    match err {
        Error::Flow(f) => (f, f.source.api().expect("the step's gateway error")),
        other => panic!("expected a flow error, got {other:?}"),
    }
}

#[test]
fn pay_with_saved_card_decline_at_the_last_step() {
    // A decline is the flow's outcome (issue 12), not an error.
    let script = saved_card_script(400, &fixture("error_pmo_decline.json"));
    let transport = |r: HttpRequest| script.answer(r);
    let mut flow = PayWithSavedCard::new(azn("5"), 5125).description("Subscription");
    let out = execute_flow(&mut flow, &config(), &transport).unwrap();
    assert!(script.finished());
    assert_eq!(out.state, State::Declined);
    assert_eq!(out.tran.state, State::Declined);
    let d = out.tran.decline.as_ref().expect("the decline's details");
    assert_eq!(d.pmo_result_code.as_ref().unwrap().as_str(), "52");
    assert_eq!(d.decline_reason.as_deref(), Some("SrcCardInvalid"));
    assert_eq!(out.order_id, 6300);
    assert_eq!(flow.failed_step(), None);
    assert_eq!(flow.order_id(), Some(6300));
}

#[test]
fn error_in_the_middle_step_keeps_the_order_id() {
    let script = Script::new(vec![
        ex(
            "POST",
            "https://txpgtst.kapitalbank.az/api/order",
            r#"{"order":{"typeRid":"Order_REC","amount":"5.00","currency":"AZN","language":"az"}}"#,
            200,
            CREATED_6300,
        ),
        ex(
            "POST",
            "https://txpgtst.kapitalbank.az/api/order/6300/set-src-token?password=pw6300",
            r#"{"order":{"initiationEnvKind":"Server"},"token":{"storedId":5125}}"#,
            400,
            br#"{"errorCode":"InvalidToken","errorDescription":"stored token not found"}"#,
        ),
    ]);
    let transport = |r: HttpRequest| script.answer(r);
    let mut flow = PayWithSavedCard::new(azn("5"), 5125);
    let err = execute_flow(&mut flow, &config(), &transport).unwrap_err();
    assert!(script.finished(), "exec-tran must not be sent");
    let (f, api) = flow_api(&err);
    assert_eq!(api.code, ErrorCode::InvalidToken);
    // After sending: a flow error naming the step, what was sent and the order, never Build.
    assert_eq!(f.step, "set-token");
    assert_eq!(f.sent, vec!["create-order", "set-token"]);
    assert_eq!(f.reference.as_deref(), Some("order 6300"));
    assert!(!err.nothing_sent());
    assert!(!err.may_have_happened());
    assert_eq!(flow.failed_step(), Some(FlowStep::SetToken));
    assert_eq!(flow.pending_step(), None);
    assert_eq!(flow.order_id(), Some(6300), "kept for reconciliation");
    // A finished (failed) flow refuses to go on.
    assert!(matches!(flow.step(&config(), None), Err(Error::Build(_))));
}

#[test]
fn transport_failure_in_the_middle_step_is_reported_with_the_step() {
    let calls = RefCell::new(0);
    let transport = |_r: HttpRequest| -> Result<HttpResponse, TransportError> {
        *calls.borrow_mut() += 1;
        if *calls.borrow() == 1 {
            Ok(http::Response::new(CREATED_6300.to_vec()))
        } else {
            Err(TransportError::outcome_unknown(
                TransportErrorKind::Timeout,
                std::io::Error::other("timed out"),
            ))
        }
    };
    let mut flow = Payout::new(azn("1"), "4169741330151778");
    let err = execute_flow(&mut flow, &config(), &transport).unwrap_err();
    assert!(err.is_outcome_unknown());
    // The transport error happens outside `step`: the flow still waits for the token answer,
    // and it knows the order.
    assert_eq!(flow.order_id(), Some(6300));
    assert_eq!(flow.failed_step(), None);
    assert_eq!(flow.pending_step(), Some(FlowStep::SetToken));
}

#[test]
fn payout_full_sequence() {
    let script = Script::new(vec![
        ex(
            "POST",
            "https://txpgtst.kapitalbank.az/api/order",
            r#"{"order":{"typeRid":"OCT","amount":"1.00","currency":"AZN","language":"az","title":"Othub","description":"Testdesc"}}"#,
            200,
            br#"{"order":{"id":7001,"hppUrl":"https://txpgtst.kapitalbank.az/flex","password":"pw7001","status":"Preparing"}}"#,
        ),
        ex(
            "POST",
            "https://txpgtst.kapitalbank.az/api/order/7001/set-dst-token?password=pw7001",
            r#"{"token":{"card":{"panBlock":{"data":"4169741330151778"},"entryMode":"ECommerce"}}}"#,
            200,
            br#"{"order":{"status":"Preparing","dstToken":{"id":6400,"role":"Dst","displayName":"416974******1778"}}}"#,
        ),
        ex(
            "POST",
            "https://txpgtst.kapitalbank.az/api/order/7001/exec-tran",
            r#"{"tran":{"phase":"Single","type":"Credit"}}"#,
            200,
            &fixture("exec_tran_ok.json"),
        ),
    ]);
    let transport = |r: HttpRequest| script.answer(r);
    let mut flow = Payout::new(azn("1"), "4169741330151778")
        .title("Othub")
        .description("Testdesc");
    assert!(!format!("{flow:?}").contains("4169741330151778"));
    let out = execute_flow(&mut flow, &config(), &transport).unwrap();
    assert!(script.finished());
    assert_eq!(out.order_id, 7001);
    assert_eq!(
        out.token.dst_token.unwrap().display_name.as_deref(),
        Some("416974******1778")
    );
    assert!(out.tran.is_approved());
}

#[test]
fn payout_with_a_bad_pan_sends_nothing() {
    let transport =
        |_r: HttpRequest| -> Result<HttpResponse, TransportError> { panic!("nothing may be sent") };
    let mut flow = Payout::new(azn("1"), "4169741330151779");
    let err = execute_flow(&mut flow, &config(), &transport).unwrap_err();
    match err {
        Error::Build(b) => assert_eq!(b.field(), Some("pan")),
        other => panic!("{other:?}"),
    }
    assert_eq!(flow.failed_step(), Some(FlowStep::CreateOrder));
    assert_eq!(flow.order_id(), None);
    let mut flow = PayWithSavedCard::new(azn("1"), 0);
    assert!(execute_flow(&mut flow, &config(), &transport).is_err());
}

#[test]
fn saved_card_preauth_driven_by_hand() {
    let mut flow = SavedCardPreAuth::new(azn("3"), 5125);
    let c = config();
    let Step::Send(r1) = flow.step(&c, None).unwrap() else {
        panic!()
    };
    assert_eq!(r1.uri(), "https://txpgtst.kapitalbank.az/api/order");
    assert_eq!(
        r1.body(),
        br#"{"order":{"typeRid":"DMSN3D","amount":"3.00","currency":"AZN","language":"az"}}"#
    );
    let Step::Send(r2) = flow
        .step(
            &c,
            Some(http::Response::new(
                br#"{"order":{"id":8001,"hppUrl":"https://txpgtst.kapitalbank.az/flex","password":"pw8001"}}"#.to_vec(),
            )),
        )
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(
        r2.uri(),
        "https://txpgtst.kapitalbank.az/api/order/8001/set-src-token?password=pw8001"
    );
    assert_eq!(
        r2.body(),
        br#"{"order":{"initiationEnvKind":"Server"},"token":{"storedId":5125}}"#
    );
    let Step::Send(r3) = flow
        .step(
            &c,
            Some(http::Response::new(fixture("set_src_token_response.json"))),
        )
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(
        r3.uri(),
        "https://txpgtst.kapitalbank.az/api/order/8001/exec-tran"
    );
    assert_eq!(
        r3.body(),
        br#"{"tran":{"phase":"Auth","authorizationKind":"Preliminary","conditions":{"cofUsage":"Recurring"}}}"#
    );
    let Step::Done(out) = flow
        .step(&c, Some(http::Response::new(fixture("exec_tran_ok.json"))))
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(out.order_id, 8001);
    // Driving it further is refused, as is a response on the first step.
    assert!(flow.step(&c, None).is_err());
    let mut fresh = SavedCardPreAuth::new(azn("3"), 5125);
    assert!(fresh
        .step(&c, Some(http::Response::new(Vec::new())))
        .is_err());
}

#[test]
fn create_order_failure_is_reported_at_the_first_step() {
    let transport = |_r: HttpRequest| -> Result<HttpResponse, TransportError> {
        Ok(http::Response::builder()
            .status(401)
            .body(br#"{"errorCode":"InvalidLogin","errorDescription":"bad credentials"}"#.to_vec())
            .unwrap())
    };
    let mut flow = SavedCardPreAuth::new(azn("3"), 5125);
    let err = execute_flow(&mut flow, &config(), &transport).unwrap_err();
    let (f, api) = flow_api(&err);
    assert_eq!(api.code, ErrorCode::InvalidLogin);
    assert_eq!(
        (f.step, f.sent.clone()),
        ("create-order", vec!["create-order"])
    );
    assert_eq!(f.reference, None);
    assert_eq!(flow.failed_step(), Some(FlowStep::CreateOrder));
    assert_eq!(flow.order_id(), None);
}

// --- async ----------------------------------------------------------------------------------------

struct NoopWake;
impl Wake for NoopWake {
    fn wake(self: Arc<Self>) {}
}

/// A minimal executor: polls until ready. Enough for futures that never actually wait.
fn block_on<F: Future>(fut: F) -> F::Output {
    let waker = Waker::from(Arc::new(NoopWake));
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::yield_now();
    }
}

/// A future that is pending once before answering, so the executor really polls twice.
struct YieldOnce(bool);
impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

fn async_answer(
    expected_url: &'static str,
    answer: &'static [u8],
    status: u16,
) -> impl Fn(
    HttpRequest,
) -> std::pin::Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send>> {
    move |req: HttpRequest| {
        Box::pin(async move {
            YieldOnce(false).await;
            assert_eq!(req.uri().to_string(), expected_url);
            assert_eq!(req.headers()["authorization"], AUTH);
            Ok(http::Response::builder()
                .status(status)
                .body(answer.to_vec())
                .unwrap())
        })
    }
}

#[test]
fn operations_through_execute_async() {
    let c = config();
    let created = block_on(execute_async(
        &CreateOrder::purchase(azn("1")),
        &c,
        &async_answer(
            "https://txpgtst.kapitalbank.az/api/order",
            br#"{"order":{"id":4595,"hppUrl":"https://txpgtst.kapitalbank.az/flex","password":"8xjpd1ejxdma","status":"Preparing"}}"#,
            200,
        ),
    ))
    .unwrap();
    assert_eq!(created.id, 4595);

    let order = block_on(execute_async(
        &GetOrder::new(5531).detailed(),
        &c,
        &async_answer(
            "https://txpgtst.kapitalbank.az/api/order/5531?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2",
            br#"{"order":{"id":5531,"status":"Refunded","trans":[{"clearAmount":-1,"clearCcy":"AZN"}]}}"#,
            200,
        ),
    ))
    .unwrap();
    assert_eq!(order.status, OrderStatus::Refunded);
    assert_eq!(order.trans[0].clear_amount_minor, Some(-100));

    let tran = block_on(execute_async(
        &ExecTran::void(5531, OrderState::Held),
        &c,
        &async_answer(
            "https://txpgtst.kapitalbank.az/api/order/5531/exec-tran",
            br#"{"tran":{"approvalCode":"053703","pmoResultCode":"1"}}"#,
            200,
        ),
    ))
    .unwrap();
    assert!(tran.is_approved());

    let token = block_on(execute_async(
        &SetSrcToken::stored_card(6300, "pw", 5125),
        &c,
        &async_answer(
            "https://txpgtst.kapitalbank.az/api/order/6300/set-src-token?password=pw",
            br#"{"order":{"status":"Preparing"}}"#,
            200,
        ),
    ))
    .unwrap();
    assert_eq!(token.status, Some(OrderStatus::Preparing));

    let token = block_on(execute_async(
        &SetDstToken::card(7001, "pw", "4169741330151778"),
        &c,
        &async_answer(
            "https://txpgtst.kapitalbank.az/api/order/7001/set-dst-token?password=pw",
            br#"{"order":{"status":"Preparing"}}"#,
            200,
        ),
    ))
    .unwrap();
    assert_eq!(token.status, Some(OrderStatus::Preparing));

    let err = block_on(execute_async(
        &GetOrder::new(1),
        &c,
        &async_answer(
            "https://txpgtst.kapitalbank.az/api/order/1",
            br#"{"errorCode":"ServiceError","errorDescription":"no order found"}"#,
            404,
        ),
    ))
    .unwrap_err();
    assert!(matches!(
        err,
        Error::Response(ResponseError::Api(ApiError {
            code: ErrorCode::ServiceError,
            http_status: 404,
            ..
        }))
    ));
}

#[test]
fn flow_through_execute_flow_async_matches_the_blocking_run() {
    let script = saved_card_script(200, &fixture("exec_tran_ok.json"));
    let sync_out = {
        let t = |r: HttpRequest| script.answer(r);
        execute_flow(
            &mut PayWithSavedCard::new(azn("5"), 5125).description("Subscription"),
            &config(),
            &t,
        )
        .unwrap()
    };
    let script = saved_card_script(200, &fixture("exec_tran_ok.json"));
    let async_t = |r: HttpRequest| {
        let resp = script.answer(r);
        async move {
            YieldOnce(false).await;
            resp
        }
    };
    let async_out = block_on(execute_flow_async(
        &mut PayWithSavedCard::new(azn("5"), 5125).description("Subscription"),
        &config(),
        &async_t,
    ))
    .unwrap();
    assert!(script.finished());
    assert_eq!(sync_out, async_out);
}

#[test]
fn outcome_unknown_is_not_sent_twice() {
    // `execute` does not retry; the caller decides (`docs/unknown-outcomes.md`).
    let calls = RefCell::new(0);
    let transport = |_r: HttpRequest| -> Result<HttpResponse, TransportError> {
        *calls.borrow_mut() += 1;
        Err(TransportError::outcome_unknown(
            TransportErrorKind::Timeout,
            std::io::Error::other("timed out"),
        ))
    };
    let err = execute(&ExecTran::refund(1, azn("1")), &config(), &transport).unwrap_err();
    assert!(matches!(err, Error::Transport(ref t) if t.phase == Phase::OutcomeUnknown));
    assert_eq!(*calls.borrow(), 1);
}
