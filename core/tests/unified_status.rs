//! The unified verbs parse each gateway's answers (fixtures of the gateways' documents and the
//! seeds) into the normalised outputs: PaymentStatus per gateway status, PaymentRef from
//! create, approvals and refusals of refund/capture/cancel.

use azpay_core::unified::{self, GatewayKind, PaymentRef, PaymentStatus};
use azpay_core::{
    epoint, execute, kapital, twec, Amount, Currency, HttpRequest, HttpResponse, TransportError,
};

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("tests/fixtures/{path}")).unwrap()
}

fn azn(text: &str) -> Amount {
    Amount::parse_major(text, Currency::AZN).unwrap()
}

fn config() -> unified::Config {
    unified::Config::new()
        .epoint(epoint::Config::new("i000000001", "key"))
        .kapital(kapital::Config::new("TerminalSys/kapital", "kapital123"))
        .twec(twec::Config::kapital_test("E1000010"))
}

/// A transport that answers `body` with `status`.
fn answer(
    status: u16,
    body: Vec<u8>,
) -> impl Fn(HttpRequest) -> Result<HttpResponse, TransportError> {
    move |_| {
        let mut r = http::Response::new(body.clone());
        *r.status_mut() = http::StatusCode::from_u16(status).unwrap();
        Ok(r)
    }
}

fn epoint_status(json: &str) -> unified::PaymentState {
    execute(
        &unified::GetStatus::epoint("te000000001"),
        &config(),
        &answer(200, json.as_bytes().to_vec()),
    )
    .unwrap()
}

fn kapital_status(json: &str) -> unified::PaymentState {
    execute(
        &unified::GetStatus::kapital(5531),
        &config(),
        &answer(200, json.as_bytes().to_vec()),
    )
    .unwrap()
}

fn twec_status(order_status: &str) -> unified::PaymentState {
    let xml = format!(
        "<TKKPG><Response><Operation>GetOrderStatus</Operation><Status>00</Status>\
         <Order><OrderID>86166</OrderID><OrderStatus>{order_status}</OrderStatus></Order>\
         </Response></TKKPG>"
    );
    execute(
        &unified::GetStatus::twec("86166", "S"),
        &config(),
        &answer(200, xml.into_bytes()),
    )
    .unwrap()
}

#[test]
fn create_returns_the_payment_ref_and_the_page() {
    let c = execute(
        &unified::CreatePayment::new(GatewayKind::EPoint, azn("30.75"), "1"),
        &config(),
        &answer(200, fixture("epoint/request_success.json")),
    )
    .unwrap();
    assert_eq!(c.redirect_url, "https://epoint.az/...");
    assert_eq!(
        c.payment,
        PaymentRef::EPoint {
            transaction: "te000000001".into(),
            order_id: "1".into(),
            amount: azn("30.75"),
            preauth: false
        }
    );

    let c = execute(
        &unified::CreatePayment::new(GatewayKind::Kapital, azn("1"), "o").preauth(),
        &config(),
        &answer(200, fixture("kapital/create_order_response.json")),
    )
    .unwrap();
    assert_eq!(
        c.redirect_url,
        "https://txpgtst.kapitalbank.az/flex?id=4595&password=8xjpd1ejxdma"
    );
    assert_eq!(
        c.payment,
        PaymentRef::Kapital {
            order_id: 4595,
            password: "8xjpd1ejxdma".into(),
            amount: azn("1"),
            preauth: true
        }
    );
    assert!(c.payment.is_preauth());

    let c = execute(
        &unified::CreatePayment::new(GatewayKind::Twec, azn("1234.56"), "o")
            .return_url("https://shop.example/back"),
        &config(),
        &answer(200, fixture("twec/resp_create_order_rcb.xml")),
    )
    .unwrap();
    assert_eq!(
        c.redirect_url,
        "https://mpi.rcbcy.com/index.jsp?ORDERID=86166&SESSIONID=4195BE06C8BC8BBDA9CF1B55FD403E24"
    );
    assert_eq!(c.payment.gateway(), GatewayKind::Twec);
    assert_eq!(c.payment.amount(), azn("1234.56"));
    let json = serde_json::to_value(&c.payment).unwrap();
    assert_eq!(json["gateway"], "twec");
    assert_eq!(json["session_id"], "4195BE06C8BC8BBDA9CF1B55FD403E24");
}

#[test]
fn epoint_statuses() {
    let s = epoint_status(std::str::from_utf8(&fixture("epoint/get_status.json")).unwrap());
    assert_eq!(s.status, PaymentStatus::Paid);
    assert_eq!(s.gateway_status, "success");
    assert_eq!(s.amount, Some(azn("1")));
    for (wire, expected) in [
        (
            r#"{"status":"new","transaction":"te1"}"#,
            PaymentStatus::Pending,
        ),
        (
            r#"{"status":"returned","transaction":"te1"}"#,
            PaymentStatus::Refunded,
        ),
        (
            r#"{"status":"failed","transaction":"te1"}"#,
            PaymentStatus::Declined,
        ),
        (
            r#"{"status":"error","code":"116","transaction":"te1"}"#,
            PaymentStatus::Declined,
        ),
        (
            r#"{"status":"error","transaction":"te1"}"#,
            PaymentStatus::Failed,
        ),
        (
            r#"{"status":"frozen","transaction":"te1"}"#,
            PaymentStatus::Unknown,
        ),
    ] {
        let s = epoint_status(wire);
        assert_eq!(s.status, expected, "{wire}");
        assert!(!s.status.is_paid(), "{wire}");
    }
}

#[test]
fn epoint_refusal_is_the_gateways_error() {
    let err = execute(
        &unified::GetStatus::epoint("te1"),
        &config(),
        &answer(200, fixture("epoint/server_error.json")),
    )
    .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.gateway(), GatewayKind::EPoint);
    assert!(matches!(api, unified::ApiError::EPoint(_)));
}

#[test]
fn kapital_statuses() {
    let s = kapital_status(std::str::from_utf8(&fixture("kapital/order_detailed.json")).unwrap());
    assert_eq!(s.status, PaymentStatus::Refunded);
    assert_eq!(s.gateway_status, "Refunded");
    assert_eq!(s.amount, Some(azn("1")));
    for (wire, expected) in [
        ("Preparing", PaymentStatus::Pending),
        ("Authorized", PaymentStatus::Authorized),
        ("FullyPaid", PaymentStatus::Paid),
        ("PartiallyPaid", PaymentStatus::Paid),
        ("Voided", PaymentStatus::Voided),
        ("Declined", PaymentStatus::Declined),
        ("Rejected", PaymentStatus::Declined),
        // `Refused`: the platform's word for an order refunded in full (issue 12).
        ("Refused", PaymentStatus::Refunded),
        ("Cancelled", PaymentStatus::Declined),
        ("Expired", PaymentStatus::Expired),
        ("Refunded", PaymentStatus::Refunded),
        ("Closed", PaymentStatus::Unknown),
        ("SomethingNew", PaymentStatus::Unknown),
    ] {
        let s = kapital_status(&format!(r#"{{"order":{{"id":5531,"status":"{wire}"}}}}"#));
        assert_eq!(s.status, expected, "{wire}");
        assert_eq!(s.gateway_status, wire);
    }
    // Paid with part of it refunded (detailed form).
    let s = kapital_status(
        r#"{"order":{"id":5531,"status":"FullyPaid","amount":5,"currency":"AZN","clearedRefundAmount":2}}"#,
    );
    assert_eq!(s.status, PaymentStatus::PartiallyRefunded);
}

#[test]
fn kapital_missing_order_is_the_gateways_error() {
    let err = execute(
        &unified::GetStatus::kapital(1),
        &config(),
        &answer(404, fixture("kapital/error_no_order_404.json")),
    )
    .unwrap_err();
    assert!(matches!(err.api(), Some(unified::ApiError::Kapital(_))));
}

#[test]
fn twec_statuses() {
    let s = execute(
        &unified::GetStatus::twec("86166", "S"),
        &config(),
        &answer(200, fixture("twec/resp_get_order_status.xml")),
    )
    .unwrap();
    assert_eq!(s.status, PaymentStatus::Paid);
    for (wire, expected) in [
        ("CREATED", PaymentStatus::Pending),
        ("ON-PAYMENT", PaymentStatus::Pending),
        ("ON-LOCK", PaymentStatus::Pending),
        ("PREAUTH-APPROVED", PaymentStatus::Authorized),
        ("CANCELED", PaymentStatus::Declined),
        ("DECLINED", PaymentStatus::Declined),
        // Under way: REFUNDED next, or back to the former status if it fails (the vendor's
        // status list): not yet returned.
        ("ON-REFUND", PaymentStatus::Unknown),
        ("REFUNDED", PaymentStatus::Refunded),
        ("EXPIRED", PaymentStatus::Expired),
        ("ERROR", PaymentStatus::Failed),
        ("REVERSED", PaymentStatus::Voided),
    ] {
        let s = twec_status(wire);
        assert_eq!(s.status, expected, "{wire}");
        // The unified state is the TWEC outcome's own.
        assert_eq!(s.state, twec::OrderStatus::parse(wire).state(), "{wire}");
    }
    let err = execute(
        &unified::GetStatus::twec("86166", "S"),
        &config(),
        &answer(
            200,
            b"<TKKPG><Response><Operation>GetOrderStatus</Operation><Status>30</Status></Response></TKKPG>"
                .to_vec(),
        ),
    )
    .unwrap_err();
    assert!(matches!(err.api(), Some(unified::ApiError::Twec(_))));
}

fn kapital_ref() -> PaymentRef {
    PaymentRef::Kapital {
        order_id: 4595,
        password: "p".into(),
        amount: azn("1"),
        preauth: true,
    }
}

#[test]
fn actions_report_approval() {
    let epoint_ref = PaymentRef::EPoint {
        transaction: "te1".into(),
        order_id: "o".into(),
        amount: azn("1"),
        preauth: true,
    };
    let o = execute(
        &unified::Refund::full(&epoint_ref),
        &config(),
        &answer(200, fixture("epoint/reverse.json")),
    )
    .unwrap();
    assert!(o.approved());
    assert_eq!(o.gateway, GatewayKind::EPoint);

    let o = execute(
        &unified::Capture::new(&kapital_ref()),
        &config(),
        &answer(200, fixture("kapital/exec_tran_ok.json")),
    )
    .unwrap();
    assert!(o.approved());
    assert_eq!(o.code.as_deref(), Some("1"));

    let o = execute(
        &unified::Cancel::new(&kapital_ref()),
        &config(),
        &answer(200, fixture("kapital/exec_tran_unknown_pmo.json")),
    )
    .unwrap();
    assert!(!o.approved(), "an unknown pmoResultCode is no approval");

    let twec_ref = PaymentRef::Twec {
        order_id: "123".into(),
        session_id: "S1".into(),
        amount: azn("10"),
        preauth: true,
        tran_id: None,
    };
    let o = execute(
        &unified::Capture::new(&twec_ref),
        &config(),
        &answer(200, fixture("twec/resp_completion_sky.xml")),
    )
    .unwrap();
    assert!(o.approved());
    assert_eq!(o.code.as_deref(), Some("001"));
    let declined = br#"<TKKPG><Response><Operation>Completion</Operation><Status>00</Status>
        <POSResponse><l name="ResponseCode" value="076"/></POSResponse></Response></TKKPG>"#;
    let o = execute(
        &unified::Capture::new(&twec_ref),
        &config(),
        &answer(200, declined.to_vec()),
    )
    .unwrap();
    assert!(!o.approved());
}

#[test]
fn a_kapital_decline_is_a_declined_outcome() {
    // Issue 12: a decline is an outcome on every gateway, Kapital's `PmoDecline` included.
    let o = execute(
        &unified::Refund::full(&kapital_ref()),
        &config(),
        &answer(400, fixture("kapital/error_pmo_decline.json")),
    )
    .unwrap();
    assert_eq!(o.state, azpay_core::State::Declined);
    assert!(!o.approved());
    assert_eq!(o.code.as_deref(), Some("52"));
}

#[test]
fn verified_epoint_callbacks_map_to_a_status() {
    let config = epoint::Config::new("i000000001", "key");
    for (status, code, expected) in [
        ("success", "000", PaymentStatus::Paid),
        ("failed", "116", PaymentStatus::Declined),
    ] {
        let body = epoint::sign_callback(
            &config,
            &serde_json::json!({"order_id":"1","status":status,"code":code,"transaction":"te1","amount":"30.75"}),
        );
        let ret = unified::Return::epoint_callback(&config, &body).unwrap();
        let unified::Verification::Verified(state) = ret.verify().unwrap() else {
            panic!("a verified EPoint callback needs no query")
        };
        assert_eq!(state.status, expected);
        assert_eq!(state.amount, Some(azn("30.75")));
    }
    // No status at all: not paid.
    let body = epoint::sign_callback(&config, &serde_json::json!({"order_id":"1"}));
    let ret = unified::Return::epoint_callback(&config, &body).unwrap();
    let unified::Verification::Verified(state) = ret.verify().unwrap() else {
        panic!()
    };
    assert_eq!(state.status, PaymentStatus::Unknown);
}

#[test]
fn payment_ref_json_is_stable() {
    // Users store these; their JSON must not change shape.
    let epoint = PaymentRef::EPoint {
        transaction: "te1".into(),
        order_id: "o-1".into(),
        amount: azn("30.75"),
        preauth: false,
    };
    let kapital = PaymentRef::Kapital {
        order_id: 4595,
        password: "p".into(),
        amount: azn("1"),
        preauth: true,
    };
    let twec = PaymentRef::Twec {
        order_id: "86166".into(),
        session_id: "S".into(),
        amount: azn("2.5"),
        preauth: false,
        tran_id: None,
    };
    assert_eq!(
        serde_json::to_string(&epoint).unwrap(),
        r#"{"gateway":"epoint","transaction":"te1","order_id":"o-1","amount":{"value":"30.75","currency":"AZN"},"preauth":false}"#
    );
    assert_eq!(
        serde_json::to_string(&kapital).unwrap(),
        r#"{"gateway":"kapital","order_id":4595,"password":"p","amount":{"value":"1.00","currency":"AZN"},"preauth":true}"#
    );
    assert_eq!(
        serde_json::to_string(&twec).unwrap(),
        r#"{"gateway":"twec","order_id":"86166","session_id":"S","amount":{"value":"2.50","currency":"AZN"},"preauth":false}"#
    );
}
