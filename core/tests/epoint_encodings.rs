//! EPoint callbacks in the three encodings (issue 12): form, JSON and multipart, chosen by the
//! `Content-Type` ([`epoint::verify_callback_request`]) or by the body's shape
//! ([`epoint::verify_callback`]), with the exact bytes written out, and hostile variants.

use azpay_core::epoint::{self, Config};
use azpay_core::{ResponseError, SignatureError, State};

const KEY: &str = "d3hjsl38sd8kdfhbcea0be04eafde9e8e2bad2fb092d";
/// `{"order_id":"1","status":"success","code":"000","amount":"30.75","transaction":"te000000001"}`
const DATA: &str = "eyJvcmRlcl9pZCI6IjEiLCJzdGF0dXMiOiJzdWNjZXNzIiwiY29kZSI6IjAwMCIsImFtb3VudCI6IjMwLjc1IiwidHJhbnNhY3Rpb24iOiJ0ZTAwMDAwMDAwMSJ9";

fn config() -> Config {
    Config::new("i000000001", KEY)
}

fn sig() -> String {
    epoint::signature(KEY, DATA)
}

fn pct(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn form() -> Vec<u8> {
    format!("data={}&signature={}", pct(DATA), pct(&sig())).into_bytes()
}

fn json() -> Vec<u8> {
    format!(r#"{{"data":"{DATA}","signature":"{}"}}"#, sig()).into_bytes()
}

const BOUNDARY: &str = "------------------------a1b2c3d4e5f60718";

fn multipart_with(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut out = String::new();
    for (name, value) in parts {
        out.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    out.push_str(&format!("--{BOUNDARY}--\r\n"));
    out.into_bytes()
}

fn multipart() -> Vec<u8> {
    let s = sig();
    multipart_with(&[("data", DATA), ("signature", &s)])
}

fn request(content_type: Option<&str>, body: Vec<u8>) -> http::Request<Vec<u8>> {
    let mut b = http::Request::post("/epoint/result");
    if let Some(ct) = content_type {
        b = b.header("content-type", ct);
    }
    b.body(body).unwrap()
}

fn signature_error<T: std::fmt::Debug>(
    r: Result<T, ResponseError<epoint::ApiError>>,
) -> SignatureError {
    match r {
        Err(ResponseError::Signature(s)) => s,
        other => panic!("expected a signature error, got {other:?}"),
    }
}

#[test]
fn the_three_encodings_verify_by_content_type_and_by_shape() {
    let multipart_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let signature = sig();
    // The exact bytes of each encoding.
    assert_eq!(
        String::from_utf8(form()).unwrap(),
        format!(
            "data={}&signature={}",
            DATA,
            signature
                .replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D")
        )
    );
    assert_eq!(
        String::from_utf8(multipart()).unwrap(),
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{DATA}\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"signature\"\r\n\r\n{signature}\r\n\
             --{BOUNDARY}--\r\n"
        )
    );
    for (ct, body) in [
        ("application/x-www-form-urlencoded", form()),
        ("application/x-www-form-urlencoded; charset=UTF-8", form()),
        ("application/json", json()),
        ("Application/JSON; charset=utf-8", json()),
        (multipart_type.as_str(), multipart()),
        (
            &format!("multipart/form-data; charset=utf-8; boundary=\"{BOUNDARY}\"") as &str,
            multipart(),
        ),
    ] {
        let cb = epoint::verify_callback_request(&config(), &request(Some(ct), body.clone()))
            .unwrap_or_else(|e| panic!("{ct}: {e}"));
        assert_eq!(cb.state, State::Done);
        assert_eq!(cb.order_id.as_deref(), Some("1"));
        assert_eq!(cb.transaction.as_deref(), Some("te000000001"));
        // The same bytes without a Content-Type: by shape.
        let by_shape = epoint::verify_callback(&config(), &body).unwrap();
        assert_eq!(by_shape, cb);
        let no_type = epoint::verify_callback_request(&config(), &request(None, body)).unwrap();
        assert_eq!(no_type, cb);
    }
}

#[test]
fn an_unsupported_content_type_lists_the_accepted_ones() {
    for ct in [
        "text/plain",
        "application/xml",
        "multipart/mixed; boundary=x",
    ] {
        let e = epoint::verify_callback_request(&config(), &request(Some(ct), form())).unwrap_err();
        assert!(
            matches!(
                e,
                ResponseError::Signature(SignatureError::UnsupportedEncoding)
            ),
            "{ct}: {e:?}"
        );
        let text = e.to_string();
        for accepted in [
            "application/x-www-form-urlencoded",
            "application/json",
            "multipart/form-data",
        ] {
            assert!(text.contains(accepted), "{text}");
        }
    }
}

#[test]
fn the_content_type_decides_over_the_shape() {
    // A JSON body announced as a form is read as a form: it has no `data` field.
    let e = signature_error(epoint::verify_callback_request(
        &config(),
        &request(Some("application/x-www-form-urlencoded"), json()),
    ));
    assert!(matches!(e, SignatureError::Missing { .. }), "{e:?}");
    // A form announced as JSON is not JSON.
    let e = signature_error(epoint::verify_callback_request(
        &config(),
        &request(Some("application/json"), form()),
    ));
    assert!(
        matches!(
            e,
            SignatureError::Unreadable {
                encoding: "application/json",
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn a_forged_signature_is_refused_in_every_encoding_and_nothing_is_decoded() {
    let bad = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    let forged_json = format!(r#"{{"data":"{DATA}","signature":"{bad}"}}"#);
    let forged_multi = multipart_with(&[("data", DATA), ("signature", bad)]);
    for body in [forged_json.into_bytes(), forged_multi] {
        assert_eq!(
            signature_error(epoint::verify_callback(&config(), &body)),
            SignatureError::Mismatch
        );
    }
    // Verified-looking garbage in `data` never reaches the decoder unverified.
    let junk = multipart_with(&[("data", "not base64!"), ("signature", bad)]);
    assert_eq!(
        signature_error(epoint::verify_callback(&config(), &junk)),
        SignatureError::Mismatch
    );
}

#[test]
fn json_envelope_hostile_variants() {
    let s = sig();
    let cases: Vec<(String, SignatureError)> = vec![
        (
            format!(r#"{{"data":"{DATA}","signature":"{s}","signature":"{s}"}}"#),
            SignatureError::Duplicated { field: "signature" },
        ),
        (
            format!(r#"{{"signature":"{s}"}}"#),
            SignatureError::Missing { field: "data" },
        ),
        (
            format!(r#"{{"data":"","signature":"{s}"}}"#),
            SignatureError::Empty { field: "data" },
        ),
    ];
    for (body, want) in cases {
        assert_eq!(
            signature_error(epoint::verify_callback(&config(), body.as_bytes())),
            want,
            "{body}"
        );
    }
    for body in [
        format!(r#"{{"data":5,"signature":"{s}"}}"#),
        String::from("{\"data\":"),
        String::from("{}}"),
        format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000)),
        format!(r#"{{"x":{}1{}}}"#, "[".repeat(100_000), "]".repeat(100_000)),
    ] {
        let e = signature_error(epoint::verify_callback(&config(), body.as_bytes()));
        assert!(
            matches!(
                e,
                SignatureError::Unreadable { .. } | SignatureError::Missing { .. }
            ),
            "{e:?}"
        );
    }
}

#[test]
fn multipart_hostile_variants() {
    let s = sig();
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    // Duplicate fields across parts.
    let dup = multipart_with(&[("data", DATA), ("signature", &s), ("data", DATA)]);
    assert_eq!(
        signature_error(epoint::verify_callback(&config(), &dup)),
        SignatureError::Duplicated { field: "data" }
    );
    let dup = multipart_with(&[("signature", &s), ("data", DATA), ("signature", &s)]);
    assert_eq!(
        signature_error(epoint::verify_callback_request(
            &config(),
            &request(Some(&ct), dup)
        )),
        SignatureError::Duplicated { field: "signature" }
    );
    // Missing boundary in the Content-Type.
    let e = signature_error(epoint::verify_callback_request(
        &config(),
        &request(Some("multipart/form-data"), multipart()),
    ));
    assert!(
        matches!(
            e,
            SignatureError::Unreadable {
                encoding: "multipart/form-data",
                ..
            }
        ),
        "{e:?}"
    );
    // A boundary the body does not use.
    let e = signature_error(epoint::verify_callback_request(
        &config(),
        &request(Some("multipart/form-data; boundary=other"), multipart()),
    ));
    assert!(matches!(e, SignatureError::Unreadable { .. }), "{e:?}");
    // A boundary longer than 70 characters.
    let long = "b".repeat(71);
    let e = signature_error(epoint::verify_callback_request(
        &config(),
        &request(
            Some(&format!("multipart/form-data; boundary={long}")),
            multipart(),
        ),
    ));
    assert!(matches!(e, SignatureError::Unreadable { .. }), "{e:?}");
    // A part that never closes, headers that never end, a missing field, no CRLF.
    let unclosed =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{DATA}");
    let endless = format!("--{BOUNDARY}\r\nX: {}", "a".repeat(20_000));
    let only_data = multipart_with(&[("data", DATA)]);
    let no_crlf = format!("--{BOUNDARY}Content-Disposition: form-data; name=\"data\"");
    for (body, missing_ok) in [
        (unclosed.into_bytes(), false),
        (endless.into_bytes(), false),
        (only_data, true),
        (no_crlf.into_bytes(), false),
    ] {
        let e = signature_error(epoint::verify_callback(&config(), &body));
        if missing_ok {
            assert_eq!(e, SignatureError::Missing { field: "signature" });
        } else {
            assert!(matches!(e, SignatureError::Unreadable { .. }), "{e:?}");
        }
    }
    // Too many parts.
    let many: Vec<(String, String)> = (0..40)
        .map(|i| (format!("f{i}"), String::from("x")))
        .collect();
    let refs: Vec<(&str, &str)> = many.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let e = signature_error(epoint::verify_callback(&config(), &multipart_with(&refs)));
    assert!(matches!(e, SignatureError::Unreadable { .. }), "{e:?}");
    // Oversized: refused before any parsing.
    let mut huge = multipart();
    huge.extend(std::iter::repeat_n(b'x', azpay_core::MAX_BODY_BYTES));
    let r = epoint::verify_callback_request(&config(), &request(Some(&ct), huge));
    assert!(matches!(r, Err(ResponseError::TooLarge { .. })), "{r:?}");
    // A body of boundary-like noise within the limit ends quickly with an error, no panic.
    let noise = format!("--{BOUNDARY}\r\n\r\n").repeat(30_000);
    assert!(epoint::verify_callback(&config(), noise.as_bytes()).is_err());
    let dashes = "-".repeat(900_000);
    assert!(epoint::verify_callback(&config(), dashes.as_bytes()).is_err());
}

#[test]
fn a_preamble_and_part_headers_are_allowed_in_multipart() {
    let s = sig();
    let body = format!(
        "preamble text\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"signature\"\r\nContent-Type: text/plain\r\n\r\n{s}\r\n\
         --{BOUNDARY}\r\ncontent-disposition: form-data; name=data\r\n\r\n{DATA}\r\n--{BOUNDARY}--"
    );
    let r = epoint::verify_callback_request(
        &config(),
        &request(
            Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
            body.into_bytes(),
        ),
    );
    assert_eq!(r.unwrap().state, State::Done);
}
