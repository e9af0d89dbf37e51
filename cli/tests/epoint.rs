//! `azpay epoint …` driven as a real binary: dry-run output, bad input, callbacks, and
//! sending to a tiny HTTP server on 127.0.0.1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;

use assert_cmd::Command;

const PUBLIC: &str = "i000000001";
const PRIVATE: &str = "d3hjsl38sd8kdfhbcea0be04eafde9e8e2bad2fb092d";

fn azpay() -> Command {
    let mut c = Command::cargo_bin("azpay").unwrap();
    c.env_clear()
        .env("EPOINT_PUBLIC_KEY", PUBLIC)
        .env("EPOINT_PRIVATE_KEY", PRIVATE);
    c
}

/// The words of a command line (none of the arguments here has a space in it).
fn words(line: &str) -> std::str::SplitWhitespace<'_> {
    line.split_whitespace()
}

/// Runs `azpay` with `line` against the server at `base` (EPOINT_BASE_URL).
fn send_to(base: &str, line: &str) -> std::process::Output {
    azpay()
        .env("EPOINT_BASE_URL", base)
        .args(words(line))
        .output()
        .unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../core/tests/fixtures/epoint/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Percent-decoding of one form value (`+` is a space).
fn form_value(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// A small standard base64 decoder, independent of the crate under test.
fn base64_decode(s: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = alphabet.iter().position(|a| *a == c).unwrap() as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

/// Splits `data=…&signature=…`, checks the signature, returns the JSON text.
fn decode_body(body: &str) -> String {
    let (d, s) = body.split_once('&').unwrap();
    let data = form_value(d.strip_prefix("data=").unwrap());
    let sig = form_value(s.strip_prefix("signature=").unwrap());
    assert_eq!(sig, azpay_core::epoint::signature(PRIVATE, &data));
    String::from_utf8(base64_decode(&data)).unwrap()
}

#[test]
fn dry_run_pay_prints_the_exact_request() {
    let out = azpay()
        .args([
            "--dry-run",
            "epoint",
            "pay",
            "--amount",
            "30.75",
            "--currency",
            "AZN",
            "--order-id",
            "1",
            "--description",
            "test payment",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["method"], "POST");
    assert_eq!(v["url"], "https://epoint.az/api/1/request");
    assert_eq!(
        v["headers"],
        serde_json::json!({"content-type": "application/x-www-form-urlencoded"})
    );
    assert_eq!(
        decode_body(v["body"].as_str().unwrap()),
        r#"{"public_key":"i000000001","amount":"30.75","currency":"AZN","language":"az","order_id":"1","description":"test payment"}"#
    );
}

#[test]
fn dry_run_uses_environment_defaults_and_flags() {
    let out = azpay()
        .env("EPOINT_INTERFACE_LANG", "ru")
        .env("EPOINT_SUCCESS_REDIRECT_URL", "https://shop.example/ok")
        .env("EPOINT_FAILED_REDIRECT_URL", "https://shop.example/fail")
        .env("EPOINT_BASE_URL", "http://127.0.0.1:1")
        .args(words(
            "--dry-run epoint pay --amount 10.5 --currency AZN --order-id o-1",
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["url"], "http://127.0.0.1:1/api/1/request");
    assert_eq!(
        decode_body(v["body"].as_str().unwrap()),
        r#"{"public_key":"i000000001","amount":"10.50","currency":"AZN","language":"ru","order_id":"o-1","success_redirect_url":"https://shop.example/ok","error_redirect_url":"https://shop.example/fail"}"#
    );
    // --language wins over the environment.
    let out = azpay()
        .env("EPOINT_INTERFACE_LANG", "ru")
        .args(words(
            "--dry-run epoint save-card --payout-card --language en",
        ))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["url"], "https://epoint.az/api/1/card-registration");
    assert_eq!(
        decode_body(v["body"].as_str().unwrap()),
        r#"{"public_key":"i000000001","language":"en","refund":1}"#
    );
}

#[test]
fn dry_run_of_every_command_hits_its_endpoint() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "status --transaction te1",
            "get-status",
            r#"{"public_key":"i000000001","transaction":"te1"}"#,
        ),
        (
            "status --order-id o1",
            "get-status",
            r#"{"public_key":"i000000001","order_id":"o1"}"#,
        ),
        (
            "save-card --description d",
            "card-registration",
            r#"{"public_key":"i000000001","language":"az","description":"d"}"#,
        ),
        (
            "pay-with-saved-card --amount 1 --currency AZN --order-id o --card-id ce1",
            "execute-pay",
            r#"{"public_key":"i000000001","card_id":"ce1","amount":"1.00","currency":"AZN","language":"az","order_id":"o"}"#,
        ),
        (
            "pay-and-save-card --amount 1 --currency AZN --order-id o --description d",
            "card-registration-with-pay",
            r#"{"public_key":"i000000001","amount":"1.00","currency":"AZN","language":"az","order_id":"o","description":"d"}"#,
        ),
        (
            "payout --amount 25 --currency AZN --order-id po --card-id ce2",
            "refund-request",
            r#"{"public_key":"i000000001","card_id":"ce2","amount":"25.00","currency":"AZN","language":"az","order_id":"po"}"#,
        ),
        (
            "refund --transaction te1 --currency AZN",
            "reverse",
            r#"{"public_key":"i000000001","transaction":"te1","currency":"AZN","language":"az"}"#,
        ),
        (
            "refund --transaction te1 --currency AZN --amount 5",
            "reverse",
            r#"{"public_key":"i000000001","transaction":"te1","amount":"5.00","currency":"AZN","language":"az"}"#,
        ),
        (
            "split-pay --amount 10 --currency AZN --order-id s --split-user i2 --split-amount 2.5",
            "split-request",
            r#"{"public_key":"i000000001","amount":"10.00","split_user":"i2","split_amount":"2.50","currency":"AZN","language":"az","order_id":"s"}"#,
        ),
        (
            "split-pay-with-saved-card --amount 10 --currency AZN --order-id s --card-id ce1 --split-user i2 --split-amount 2.5",
            "split-execute-pay",
            r#"{"public_key":"i000000001","card_id":"ce1","amount":"10.00","split_user":"i2","split_amount":"2.50","currency":"AZN","language":"az","order_id":"s"}"#,
        ),
        (
            "split-pay-and-save-card --amount 10 --currency AZN --order-id s --split-user i2 --split-amount 2.5",
            "split-card-registration-with-pay",
            r#"{"public_key":"i000000001","amount":"10.00","split_user":"i2","split_amount":"2.50","currency":"AZN","language":"az","order_id":"s"}"#,
        ),
        (
            "pre-auth --amount 50 --currency AZN --order-id h-1",
            "pre-auth-request",
            r#"{"public_key":"i000000001","amount":"50.00","currency":"AZN","language":"az","order_id":"h-1"}"#,
        ),
        (
            "pre-auth-complete --amount 40 --currency AZN --transaction te101",
            "pre-auth-complete",
            r#"{"public_key":"i000000001","transaction":"te101","amount":"40.00"}"#,
        ),
        (
            "card-status --card-id ce1",
            "get-status-card",
            r#"{"public_key":"i000000001","card_id":"ce1"}"#,
        ),
        (
            "checkout-form --amount 1 --currency AZN --order-id c",
            "checkout",
            r#"{"public_key":"i000000001","amount":"1.00","currency":"AZN","language":"az","order_id":"c"}"#,
        ),
    ];
    for (args, endpoint, json) in cases {
        let out = azpay()
            .arg("--dry-run")
            .arg("epoint")
            .args(words(args))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            v["url"],
            format!("https://epoint.az/api/1/{endpoint}"),
            "{args:?}"
        );
        assert_eq!(decode_body(v["body"].as_str().unwrap()), *json, "{args:?}");
    }
}

fn assert_usage(cmd: &mut Command, named: &str) {
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(named), "{named} not in {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_input_exits_2_naming_the_flag_or_variable() {
    for bad in ["abc", "-1", "1.234", ""] {
        assert_usage(
            azpay().args([
                "--dry-run",
                "epoint",
                "pay",
                "--currency",
                "AZN",
                "--order-id",
                "o",
                &format!("--amount={bad}"),
            ]),
            "--amount",
        );
    }
    assert_usage(
        azpay().args(words(
            "--dry-run epoint refund --transaction t --currency AZN --amount abc",
        )),
        "--amount",
    );
    assert_usage(
        azpay().args(words("--dry-run epoint split-pay --amount 10 --currency AZN --order-id o --split-user u --split-amount 1.001")),
        "--split-amount",
    );
    assert_usage(
        azpay().args(words(
            "--dry-run epoint pay --amount 1 --currency XYZ --order-id o",
        )),
        "--currency",
    );
    assert_usage(
        azpay().args(words(
            "--dry-run epoint pay --amount 1 --currency AZN --order-id o --language xx",
        )),
        "--language",
    );
    assert_usage(
        azpay()
            .env_remove("EPOINT_PRIVATE_KEY")
            .args(words("--dry-run epoint status --transaction t")),
        "EPOINT_PRIVATE_KEY",
    );
    assert_usage(
        azpay()
            .env_remove("EPOINT_PUBLIC_KEY")
            .args(["epoint", "status", "--transaction", "t"]),
        "EPOINT_PUBLIC_KEY",
    );
    assert_usage(
        azpay()
            .env("EPOINT_INTERFACE_LANG", "de")
            .args(words("--dry-run epoint status --transaction t")),
        "EPOINT_INTERFACE_LANG",
    );
    // Validation in the library names the wire field.
    assert_usage(
        azpay().args(words("--dry-run epoint split-pay --amount 10 --currency AZN --order-id o --split-user u --split-amount 10")),
        "split_amount",
    );
    assert_usage(
        azpay().args(words(
            "--dry-run epoint pay --amount 0 --currency AZN --order-id o",
        )),
        "amount",
    );
}

fn signed_callback(json: serde_json::Value, key: &str) -> Vec<u8> {
    let config = azpay_core::epoint::Config::new(PUBLIC, key);
    azpay_core::epoint::sign_callback(&config, &json)
}

#[test]
fn verify_callback_valid() {
    let body = signed_callback(
        serde_json::json!({"order_id":"1","status":"success","code":"000","transaction":"te1","amount":30.75}),
        PRIVATE,
    );
    let out = azpay()
        .args(["epoint", "verify-callback"])
        .write_stdin(body)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "success");
    assert_eq!(v["order_id"], "1");
    assert_eq!(v["code"], "000");
    assert_eq!(
        v["amount"],
        serde_json::json!({"value":"30.75","currency":"AZN"})
    );
    // With a trailing newline, as `echo` would add.
    let mut body = signed_callback(serde_json::json!({"status":"failed"}), PRIVATE);
    body.push(b'\n');
    let out = azpay()
        .args(["epoint", "verify-callback"])
        .write_stdin(body)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn verify_callback_invalid_prints_nothing_unverified() {
    let marker = "MARKER-ORDER-42";
    let forged = signed_callback(
        serde_json::json!({"order_id": marker, "status":"success"}),
        "wrong-key",
    );
    let mut tampered = signed_callback(
        serde_json::json!({"order_id": marker, "status":"success"}),
        PRIVATE,
    );
    tampered[8] = if tampered[8] == b'A' { b'B' } else { b'A' };
    for body in [forged, tampered, b"".to_vec(), b"data=abc".to_vec()] {
        let out = azpay()
            .args(["epoint", "verify-callback"])
            .write_stdin(body)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        assert!(out.stdout.is_empty(), "{out:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(!err.contains(marker), "{err}");
    }
    let out = azpay()
        .env_remove("EPOINT_PRIVATE_KEY")
        .args(["epoint", "verify-callback"])
        .write_stdin("data=a&signature=b")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Serves one HTTP/1.1 exchange: reads the request, answers `response` (or, with `None`,
/// closes without answering), and returns the request's head and body.
fn serve_once(response: Option<Vec<u8>>) -> (String, JoinHandle<(String, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            head.push_str(&line);
        }
        let len = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().unwrap())
            })
            .unwrap_or(0);
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        if let Some(r) = response {
            let mut out = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                r.len()
            )
            .into_bytes();
            out.extend_from_slice(&r);
            stream.write_all(&out).unwrap();
        }
        drop(stream);
        (head, String::from_utf8(body).unwrap())
    });
    (base, handle)
}

#[test]
fn pay_is_sent_and_succeeds() {
    let (base, server) = serve_once(Some(fixture("request_success.json")));
    let out = send_to(
        &base,
        "--json epoint pay --amount 30.75 --currency AZN --order-id 1",
    );
    let (head, body) = server.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["transaction"], "te000000001");
    assert_eq!(v["redirect_url"], "https://epoint.az/...");
    assert!(
        head.starts_with("POST /api/1/request HTTP/1.1\r\n"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/x-www-form-urlencoded"),
        "{head}"
    );
    assert_eq!(
        decode_body(&body),
        r#"{"public_key":"i000000001","amount":"30.75","currency":"AZN","language":"az","order_id":"1"}"#
    );
}

#[test]
fn declined_saved_card_payment_exits_3_after_printing_it() {
    let declined = br#"{"status":"failed","message":"Declined","code":"116","transaction":"te9","operation_code":"100"}"#;
    let (base, server) = serve_once(Some(declined.to_vec()));
    let out = send_to(
        &base,
        "--json epoint pay-with-saved-card --amount 10 --currency AZN --order-id o-2 --card-id ce1",
    );
    let (head, _) = server.join().unwrap();
    assert!(head.starts_with("POST /api/1/execute-pay "), "{head}");
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "failed");
    assert_eq!(v["code"], "116");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("declined"), "{err}");
}

#[test]
fn gateway_error_exits_1() {
    let (base, server) = serve_once(Some(fixture("server_error.json")));
    let out = send_to(&base, "epoint status --transaction te1");
    server.join().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Signature did not match"), "{err}");
}

#[test]
fn connection_closed_without_answer_exits_4_unknown() {
    let (base, server) = serve_once(None);
    let out = send_to(
        &base,
        "epoint payout --amount 25 --currency AZN --order-id po-1 --card-id ce2",
    );
    server.join().unwrap();
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("unknown"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn checkout_form_prints_an_html_form() {
    let out = azpay()
        .args(words(
            "epoint checkout-form --amount 1 --currency AZN --order-id c",
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(
        html.contains(r#"action="https://epoint.az/api/1/checkout" accept-charset="utf-8""#),
        "{html}"
    );
    let data = html.split(r#"name="data" value=""#).nth(1).unwrap();
    let data = &data[..data.find('"').unwrap()];
    assert_eq!(
        String::from_utf8(base64_decode(data)).unwrap(),
        r#"{"public_key":"i000000001","amount":"1.00","currency":"AZN","language":"az","order_id":"c"}"#
    );
}

#[test]
fn heartbeat_get() {
    let (base, server) = serve_once(Some(fixture("heartbeat.json")));
    let out = send_to(&base, "epoint heartbeat");
    let (head, _) = server.join().unwrap();
    assert!(
        head.starts_with("GET /api/heartbeat HTTP/1.1\r\n"),
        "{head}"
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "status: ok\n");
}
