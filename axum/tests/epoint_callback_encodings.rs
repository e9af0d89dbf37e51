//! The EPoint callback extractor picks the encoding by `Content-Type` (issue 12): form, JSON
//! and multipart verify; an unsupported `Content-Type` and a forged body are refused.

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use azpay_axum::{ReturnRejection, VerifiedEPointCallback};
use azpay_core::{epoint, State};

fn config() -> epoint::Config {
    epoint::Config::new("i000000001", "merchant-private-key")
}

/// `data` and `signature` of a signed `{"order_id":"o-1","status":"returned"}`.
fn fields() -> (String, String) {
    let body = epoint::sign_callback(
        &config(),
        &serde_json::json!({"order_id": "o-1", "status": "returned"}),
    );
    let mut data = String::new();
    let mut sig = String::new();
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "data" => data = v.into_owned(),
            _ => sig = v.into_owned(),
        }
    }
    (data, sig)
}

async fn extract(
    content_type: &str,
    body: Vec<u8>,
) -> Result<VerifiedEPointCallback, ReturnRejection> {
    let request: Request = http::Request::post("/epoint/result")
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap();
    VerifiedEPointCallback::from_request(request, &config()).await
}

#[tokio::test]
async fn form_json_and_multipart_verify() {
    let (data, sig) = fields();
    let form = epoint::sign_callback(
        &config(),
        &serde_json::json!({"order_id": "o-1", "status": "returned"}),
    );
    let json = format!(r#"{{"data":"{data}","signature":"{sig}"}}"#).into_bytes();
    let multipart = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{data}\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"signature\"\r\n\r\n{sig}\r\n--XyZ--\r\n"
    )
    .into_bytes();
    for (ct, body) in [
        ("application/x-www-form-urlencoded", form),
        ("application/json", json),
        ("multipart/form-data; boundary=XyZ", multipart),
    ] {
        let VerifiedEPointCallback(cb) = extract(ct, body)
            .await
            .unwrap_or_else(|e| panic!("{ct}: {e:?}"));
        assert_eq!(cb.state, State::Returned, "{ct}");
        assert_eq!(cb.order_id.as_deref(), Some("o-1"));
    }
}

#[tokio::test]
async fn unsupported_encoding_and_forgery_are_refused() {
    let (data, _) = fields();
    let forged = format!(r#"{{"data":"{data}","signature":"AAAAAAAAAAAAAAAAAAAAAAAAAAA="}}"#);
    assert!(matches!(
        extract("application/json", forged.into_bytes()).await,
        Err(ReturnRejection::BadSignature)
    ));
    let form = epoint::sign_callback(&config(), &serde_json::json!({"status": "success"}));
    match extract("text/plain", form).await {
        Err(ReturnRejection::Malformed(reason)) => {
            assert!(reason.contains("multipart/form-data"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
}
