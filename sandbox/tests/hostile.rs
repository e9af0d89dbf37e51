//! Hostile input never panics the handler and is answered the way each gateway answers
//! malformed requests.

mod common;

use common::*;

/// A small deterministic byte generator (no randomness in tests).
struct Lcg(u64);

impl Lcg {
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| {
                self.0 = self
                    .0
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (self.0 >> 33) as u8
            })
            .collect()
    }
}

fn post(path: &str, body: Vec<u8>) -> Request {
    http::Request::post(format!("{BASE}{path}"))
        .header(
            "authorization",
            basic("TerminalSys/kapital", "kapital123").as_str(),
        )
        .body(body)
        .unwrap()
}

#[test]
fn garbage_bodies_are_refused_without_panicking() {
    let mut sb = sandbox();
    let mut gen = Lcg(7);
    for round in 0..150 {
        let len = round * 7 % 300;
        let body = gen.bytes(len);
        // EPoint: always HTTP 200 with an error status.
        let reply = json(&sb.handle(&post("/api/1/request", body.clone())));
        assert_ne!(reply["status"], "success");
        // Kapital: an error body, never an order.
        let response = sb.handle(&post("/api/order", body.clone()));
        assert_eq!(response.status(), 400);
        assert!(json(&response)["errorCode"].is_string());
        // TWEC: Status 30.
        let xml = text(&sb.handle(&post("/Exec", body.clone())));
        assert_eq!(xml_text(&xml, "Status").as_deref(), Some("30"), "{xml}");
        // Hosted pages.
        for path in [
            "/epoint/pay/te000000001",
            "/flex?id=1&password=x",
            "/twec/index.jsp",
        ] {
            let status = sb.handle(&post(path, body.clone())).status();
            assert!(status == 404 || status == 403, "{path}: {status}");
        }
    }
}

#[test]
fn structurally_odd_but_valid_documents() {
    let mut sb = sandbox();
    for body in [
        r#"{"order":null}"#,
        r#"{"order":{"typeRid":"Order_SMS","amount":1e400,"currency":"AZN"}}"#,
        r#"{"order":{"typeRid":"Order_SMS","amount":"99999999999999999999","currency":"AZN"}}"#,
        r#"{"order":{"typeRid":["x"]}}"#,
        r#"[1,2,3]"#,
    ] {
        let response = sb.handle(&post("/api/order", body.as_bytes().to_vec()));
        assert_eq!(response.status(), 400, "{body}");
    }
    for xml in [
        "<TKKPG/>",
        "<TKKPG><Request/></TKKPG>",
        "<TKKPG><Request><Operation/></Request></TKKPG>",
        "<Other><Request><Operation>CreateOrder</Operation></Request></Other>",
        "<TKKPG><Request><Operation>CreateOrder</Operation></Request></TKKPG><TKKPG/>",
        "<TKKPG><Request><Operation>Create&#0;Order</Operation></Request></TKKPG>",
        "<TKKPG><Request><Operation><![CDATA[CreateOrder]]></Operation><Language>EN</Language></Request></TKKPG>",
    ] {
        let body = text(&sb.handle(&post("/Exec", xml.as_bytes().to_vec())));
        assert_eq!(xml_text(&body, "Status").as_deref(), Some("30"), "{xml}\n{body}");
    }
    // EPoint data that is valid base64 but not a JSON object.
    for data in ["W10=", "bnVsbA==", "e30="] {
        let reply = json(&sb.handle(&epoint_raw(data)));
        assert_eq!(reply["status"], "error", "{data}");
    }
}

fn epoint_raw(data: &str) -> Request {
    let signature = sign(azpay_sandbox::credentials::EPOINT_PRIVATE_KEY, data);
    post_form(
        "/api/1/get-status",
        &[("data", data), ("signature", &signature)],
    )
}
