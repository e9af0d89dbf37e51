//! The Payriff callback extractor: a claim (never a verified status), refusals without
//! echoing the body, and the size limit.

use axum::body::Body;
use axum::extract::FromRequest;
use axum::http::{Request, StatusCode};
use azpay_axum::{PayriffCallback, ReturnRejection, MAX_RETURN_BODY_BYTES};

fn post(body: impl Into<Body>) -> Request<Body> {
    Request::builder()
        .method("POST")
        .uri("/payriff/callback")
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap()
}

#[tokio::test]
async fn extracts_the_claim() {
    let body = r#"{"payload":{"orderId":"ORD-1","paymentStatus":"APPROVED","amount":10.5,"currencyType":"AZN"},"code":"00000","message":"Operation performed successfully","route":"/dashboard","responseId":"http-nio-1"}"#;
    let PayriffCallback(claim) = PayriffCallback::from_request(post(body), &())
        .await
        .unwrap();
    assert_eq!(claim.order_id(), "ORD-1");
    assert_eq!(claim.claimed_status(), Some("APPROVED"));
    assert_eq!(
        claim.verify(),
        azpay_core::payriff::GetOrder::new("ORD-1"),
        "the only way to a trusted status"
    );
}

#[tokio::test]
async fn refuses_what_is_no_callback() {
    for body in [
        "",
        "not json",
        "{}",
        r#"{"payload":{"amount":1}}"#,
        r#"{"payload":{"orderId":""}}"#,
    ] {
        let err = PayriffCallback::from_request(post(body), &())
            .await
            .unwrap_err();
        assert!(matches!(err, ReturnRejection::Malformed(_)), "{body}");
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
    }
    let big = vec![b' '; MAX_RETURN_BODY_BYTES + 1];
    let err = PayriffCallback::from_request(post(big), &())
        .await
        .unwrap_err();
    assert_eq!(err, ReturnRejection::TooLarge);
}
