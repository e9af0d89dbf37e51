//! Payriff's callback is unsigned: parsing gives an unverified claim whose only way to a
//! trusted state is the order query. Forged, tampered and truncated bodies never verify.

use azpay_core::payriff::{parse_callback, CallbackError, Config, MAX_CALLBACK_BYTES};
use azpay_core::unified::{self, GatewayKind, GetStatus, Verification};
use azpay_core::{execute, HttpRequest, HttpResponse, Operation, State, TransportError};

fn fixture() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/payriff/callback.json"
    ))
    .unwrap()
}

#[test]
fn published_callback_is_a_claim_confirmed_by_the_order_query() {
    let cb = parse_callback(&fixture()).unwrap();
    assert_eq!(cb.order_id(), "ORD-1");
    assert_eq!(cb.claimed_status(), Some("APPROVED"));
    assert_eq!(cb.claimed_amount(), Some("10.5"));
    assert_eq!(cb.claimed_currency(), Some("AZN"));
    assert_eq!(cb.claimed_code(), Some("00000"));
    let config = Config::new("app-key");
    let request = cb.verify().build_request(&config).unwrap();
    assert_eq!(request.method(), "GET");
    assert_eq!(request.uri(), "https://api.payriff.com/api/v3/orders/ORD-1");
    // The gateway says otherwise: the gateway wins.
    let gateway = |_: HttpRequest| {
        Ok::<HttpResponse, TransportError>(http::Response::new(
            br#"{"code":"00000","payload":{"orderId":"ORD-1","paymentStatus":"CREATED"}}"#.to_vec(),
        ))
    };
    let order = execute(&cb.verify(), &config, &gateway).unwrap();
    assert_eq!(order.state, State::Pending);
    assert!(!cb.claim_matches(&order));
    let gateway = |_: HttpRequest| {
        Ok::<HttpResponse, TransportError>(http::Response::new(
            br#"{"code":"00000","payload":{"orderId":"ORD-1","paymentStatus":"approved"}}"#
                .to_vec(),
        ))
    };
    let order = execute(&cb.verify(), &config, &gateway).unwrap();
    assert!(cb.claim_matches(&order));
}

#[test]
fn the_unified_return_is_a_status_query() {
    let ret = unified::Return::payriff_callback(&fixture()).unwrap();
    assert_eq!(ret.gateway(), GatewayKind::Payriff);
    match ret.verify().unwrap() {
        Verification::Query(q) => assert_eq!(q, GetStatus::payriff("ORD-1")),
        other => panic!("an unsigned callback must never verify by itself: {other:?}"),
    }
}

#[test]
fn hostile_bodies_are_refused_without_panic() {
    let cases: &[(&[u8], CallbackError)] = &[
        (b"", CallbackError::NotJson),
        (b"not json", CallbackError::NotJson),
        (b"[]", CallbackError::NotJson),
        (b"{}", CallbackError::MissingOrderId),
        (br#"{"payload":null}"#, CallbackError::MissingOrderId),
        (
            br#"{"payload":{"amount":1}}"#,
            CallbackError::MissingOrderId,
        ),
        (br#"{"payload":[]}"#, CallbackError::NotJson),
        (
            br#"{"payload":{"orderId":""}}"#,
            CallbackError::InvalidOrderId,
        ),
        (
            br#"{"payload":{"orderId":"a\nb"}}"#,
            CallbackError::InvalidOrderId,
        ),
        (
            br#"{"payload":{"orderId":"a\u202Eb"}}"#,
            CallbackError::InvalidOrderId,
        ),
        (
            br#"{"payload":{"orderId":{"x":1}}}"#,
            CallbackError::NotJson,
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(
            parse_callback(body).unwrap_err(),
            *expected,
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    let truncated = &fixture()[..40];
    assert!(parse_callback(truncated).is_err());
    let long = vec![b' '; MAX_CALLBACK_BYTES + 1];
    assert_eq!(parse_callback(&long).unwrap_err(), CallbackError::TooLong);
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(parse_callback(deep.as_bytes()).is_err());
    // A long claimed status is dropped, not kept.
    let body = format!(
        r#"{{"payload":{{"orderId":"O","paymentStatus":"{}"}}}}"#,
        "A".repeat(65)
    );
    assert_eq!(
        parse_callback(body.as_bytes()).unwrap().claimed_status(),
        None
    );
}
