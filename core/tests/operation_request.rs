//! `Operation::request` is the one place a request gets its `RequestMeta`.

use azpay_core::{
    epoint, execute, kapital, twec, Amount, BuildError, Currency, Flow, HttpRequest, HttpResponse,
    OneStep, Operation, RequestMeta, Step, TransportError,
};

#[test]
fn request_attaches_the_operations_meta() {
    let config = epoint::Config::new("i000000001", "key");
    let op = epoint::GetStatus::by_transaction("te000000001");
    let request = op.request(&config).unwrap();
    assert_eq!(RequestMeta::of(&request), Some(&op.meta()));
    assert_eq!(op.meta().operation, "get_status");
    assert!(op.meta().idempotent);
    // build_request alone attaches nothing: request is the method a sans-IO caller uses.
    assert!(RequestMeta::of(&op.build_request(&config).unwrap()).is_none());

    let twec_config = twec::Config::kapital_test("E1");
    let status = twec::GetOrderStatus::new("1", "S");
    let meta = *RequestMeta::of(&status.request(&twec_config).unwrap()).unwrap();
    assert!(meta.requires_client_identity);
    assert_eq!(meta.gateway, "twec");
}

#[test]
fn execute_and_one_step_send_what_request_builds() {
    let config = epoint::Config::new("i000000001", "key");
    let op = epoint::GetStatus::by_transaction("te000000001");
    let expected = op.request(&config).unwrap();
    let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
        assert_eq!(RequestMeta::of(&request), RequestMeta::of(&expected));
        assert_eq!(request.body(), expected.body());
        assert_eq!(request.uri(), expected.uri());
        Ok(http::Response::new(
            br#"{"status":"success","code":"000","transaction":"te000000001"}"#.to_vec(),
        ))
    };
    execute(&op, &config, &transport).unwrap();
    let mut flow = OneStep(op.clone());
    match flow.step(&config, None).unwrap() {
        Step::Send(request) => assert_eq!(RequestMeta::of(&request), Some(&op.meta())),
        Step::Done(_) => panic!("a one-step flow sends first"),
    }
}

#[test]
fn kapital_flow_requests_carry_each_operations_meta() {
    let config = kapital::Config::new("TerminalSys/kapital", "pw");
    let mut flow =
        kapital::PayWithSavedCard::new(Amount::parse_major("1.00", Currency::AZN).unwrap(), 42);
    match flow.step(&config, None).unwrap() {
        Step::Send(request) => {
            let meta = RequestMeta::of(&request).unwrap();
            assert_eq!((meta.gateway, meta.operation), ("kapital", "create_order"));
            assert!(!meta.idempotent);
        }
        Step::Done(_) => panic!("the flow sends first"),
    }
}

#[test]
fn a_relative_base_url_is_refused_before_sending() {
    // Refused when the configuration is built, so no request can ever be built with it.
    let err = epoint::Config::new("i000000001", "key")
        .base_url("/local")
        .unwrap_err();
    assert!(
        matches!(
            err,
            BuildError::InvalidInput {
                field: "base_url",
                ..
            }
        ),
        "{err:?}"
    );
}
