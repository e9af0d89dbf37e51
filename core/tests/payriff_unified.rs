//! Payriff through the unified verbs: each builds byte for byte the Payriff operation it stands
//! for (with the RRN the adapter derives), the status maps onto `PaymentStatus` and `State`,
//! the callback becomes a status query, and Cancel is refused before anything is sent.

use azpay_core::unified::{
    self, supports, Cancel, Capture, CreatePayment, GatewayKind, GetStatus, PaymentRef,
    PaymentStatus, Refund, Verb, Verification,
};
use azpay_core::{payriff, Amount, BuildError, Currency, HttpResponse, Operation, State};

fn azn(t: &str) -> Amount {
    Amount::parse_major(t, Currency::AZN).unwrap()
}

fn config() -> (unified::Config, payriff::Config) {
    let p = payriff::Config::new("k").redirect_url("https://shop.example/back");
    (unified::Config::new().payriff(p.clone()), p)
}

fn same(a: &azpay_core::HttpRequest, b: &azpay_core::HttpRequest) {
    assert_eq!(a.method(), b.method());
    assert_eq!(a.uri(), b.uri());
    assert_eq!(a.headers(), b.headers());
    assert_eq!(a.body(), b.body());
}

fn payment() -> PaymentRef {
    PaymentRef::Payriff {
        order_id: "ORD-1".into(),
        amount: azn("10"),
        preauth: true,
    }
}

#[test]
fn verbs_build_the_payriff_requests() {
    let (u, p) = config();
    let create = CreatePayment::new(GatewayKind::Payriff, azn("10"), "shop-order-7")
        .description("d")
        .preauth();
    same(
        &create.build_request(&u).unwrap(),
        &payriff::CreateOrder::preauth(azn("10"), "shop-order-7")
            .description("d")
            .build_request(&p)
            .unwrap(),
    );
    let ret = create
        .parse_response(
            &u,
            http::Response::new(
                br#"{"code":"00000","payload":{"orderId":"ORD-1","paymentUrl":"https://pay.payriff.com/ORD-1"}}"#.to_vec(),
            ),
        )
        .unwrap();
    assert_eq!(ret.redirect_url, "https://pay.payriff.com/ORD-1");
    assert_eq!(ret.payment, payment());
    let json = serde_json::to_string(&ret.payment).unwrap();
    assert_eq!(
        json,
        r#"{"gateway":"payriff","order_id":"ORD-1","amount":{"value":"10.00","currency":"AZN"},"preauth":true}"#
    );
    assert_eq!(
        serde_json::from_str::<PaymentRef>(&json).unwrap(),
        payment()
    );

    same(
        &GetStatus::new(&payment()).build_request(&u).unwrap(),
        &payriff::GetOrder::new("ORD-1").build_request(&p).unwrap(),
    );
    same(
        &Refund::full(&payment()).build_request(&u).unwrap(),
        &payriff::Refund::full("ORD-1", "ORD-1-refund-full")
            .build_request(&p)
            .unwrap(),
    );
    same(
        &Refund::partial(&payment(), azn("4"))
            .build_request(&u)
            .unwrap(),
        &payriff::Refund::partial("ORD-1", azn("4"), "ORD-1-refund-400")
            .build_request(&p)
            .unwrap(),
    );
    same(
        &Capture::new(&payment()).build_request(&u).unwrap(),
        &payriff::Capture::full("ORD-1", "ORD-1-capture")
            .build_request(&p)
            .unwrap(),
    );
    assert!(!supports(GatewayKind::Payriff, Verb::Cancel));
    assert!(supports(GatewayKind::Payriff, Verb::Capture));
    assert!(matches!(
        Cancel::new(&payment()).build_request(&u),
        Err(BuildError::Unsupported {
            gateway: "payriff",
            ..
        })
    ));
    assert_eq!(GatewayKind::Payriff.name(), "payriff");
}

#[test]
fn status_and_actions_map_to_the_uniform_state() {
    let (u, _) = config();
    let ok = |body: &str| -> HttpResponse { http::Response::new(body.as_bytes().to_vec()) };
    for (word, status, state) in [
        ("APPROVED", PaymentStatus::Paid, State::Done),
        ("PREAUTH_APPROVED", PaymentStatus::Authorized, State::Done),
        (
            "PARTIAL_REFUND",
            PaymentStatus::PartiallyRefunded,
            State::Done,
        ),
        ("REFUNDED", PaymentStatus::Refunded, State::Returned),
        ("REVERSE", PaymentStatus::Voided, State::Returned),
        ("CANCELED", PaymentStatus::Declined, State::Declined),
        ("PREAUTH_EXPIRED", PaymentStatus::Expired, State::Declined),
        ("IN_REVIEW", PaymentStatus::Pending, State::Pending),
        ("CASH", PaymentStatus::Unknown, State::Pending),
    ] {
        let s = GetStatus::new(&payment())
            .parse_response(
                &u,
                ok(&format!(
                    r#"{{"code":"00000","payload":{{"orderId":"ORD-1","paymentStatus":"{word}"}}}}"#
                )),
            )
            .unwrap();
        assert_eq!(
            (s.status, s.state, s.gateway_status.as_str()),
            (status, state, word)
        );
    }
    let r = Refund::full(&payment())
        .parse_response(&u, ok(r#"{"code":"01000","message":"rejected"}"#))
        .unwrap();
    assert_eq!(
        (r.state, r.code.as_deref()),
        (State::Declined, Some("01000"))
    );
    let e = Refund::full(&payment())
        .parse_response(&u, ok(r#"{"code":"15400","message":"bad"}"#))
        .unwrap_err();
    assert!(matches!(
        e,
        azpay_core::ResponseError::Api(unified::ApiError::Payriff(_))
    ));
}

#[test]
fn the_callback_is_a_status_query() {
    let ret = unified::Return::payriff_callback(
        br#"{"payload":{"orderId":"ORD-1","paymentStatus":"APPROVED"}}"#,
    )
    .unwrap();
    match ret.verify().unwrap() {
        Verification::Query(q) => assert_eq!(q, GetStatus::payriff("ORD-1")),
        Verification::Verified(_) => panic!("an unsigned callback never verifies itself"),
    }
}
