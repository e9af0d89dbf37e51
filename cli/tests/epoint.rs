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
    // With a trailing newline, as `echo` would add: it verifies and is printed; since issue
    // 12 the exit says what it reports (`failed`: declined, 3).
    let mut body = signed_callback(serde_json::json!({"status":"failed"}), PRIVATE);
    body.push(b'\n');
    let out = azpay()
        .args(["epoint", "verify-callback"])
        .write_stdin(body)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["status"].as_str(), v["state"].as_str()),
        (Some("failed"), Some("declined"))
    );
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

// ---------------------------------------------------------------------------------------
// The exit-code table (issue 12) for every EPoint command, against the sandbox served on
// 127.0.0.1: 0 done, 1 gateway error, 2 bad input, 3 declined, 4 outcome unknown, 5 pending,
// 6 money returned.

mod table {
    use assert_cmd::Command;
    use azpay_sandbox::epoint_settings::CallbackEncoding;
    use azpay_sandbox::fault::FaultKind;
    use azpay_sandbox::serve::{serve, ServeOptions, ServerHandle};
    use azpay_sandbox::{cards, credentials, Card, CardAction, Gateway, SandboxConfig};

    fn gateway() -> ServerHandle {
        serve(
            SandboxConfig::default(),
            ServeOptions::new("127.0.0.1:0".parse().unwrap()),
        )
        .unwrap()
    }

    fn azpay(gw: &ServerHandle) -> Command {
        let mut c = Command::cargo_bin("azpay").unwrap();
        c.env_clear()
            .env("EPOINT_PUBLIC_KEY", credentials::EPOINT_PUBLIC_KEY)
            .env("EPOINT_PRIVATE_KEY", credentials::EPOINT_PRIVATE_KEY)
            .env("EPOINT_BASE_URL", gw.base_url());
        c
    }

    /// Runs `line`, checks the exit code, and returns the `--json` output (or `Null`).
    fn run(gw: &ServerHandle, line: &str, code: i32) -> serde_json::Value {
        let out = azpay(gw).args(line.split_whitespace()).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "`{line}`: {out:?}");
        serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null)
    }

    fn stderr_of(gw: &ServerHandle, line: &str) -> String {
        let out = azpay(gw).args(line.split_whitespace()).output().unwrap();
        String::from_utf8(out.stderr).unwrap()
    }

    fn pay_on_page(gw: &ServerHandle, id: &str, pan: &str) {
        gw.with_sandbox(|sb| {
            sb.complete_payment(Gateway::EPoint, id, &CardAction::Pay(Card::new(pan)))
        })
        .unwrap();
    }

    /// A paid payment's transaction.
    fn paid(gw: &ServerHandle, order: &str) -> String {
        let v = run(
            gw,
            &format!("--json epoint pay --amount 10 --currency AZN --order-id {order}"),
            0,
        );
        assert_eq!(
            (v["state"].as_str(), v["status"].as_str()),
            (Some("done"), Some("success"))
        );
        let tx = v["transaction"].as_str().unwrap().to_owned();
        pay_on_page(gw, &tx, cards::KAPITAL_VISA);
        tx
    }

    /// A saved card, registered and confirmed on the page (`payout`: a payout card).
    fn saved_card(gw: &ServerHandle, payout: bool) -> String {
        let line = if payout {
            "--json epoint save-card --payout-card"
        } else {
            "--json epoint save-card"
        };
        let v = run(gw, line, 0);
        let card = v["card_id"].as_str().unwrap().to_owned();
        pay_on_page(gw, &card, cards::KAPITAL_VISA);
        card
    }

    #[test]
    fn status_exits_by_the_payment_state() {
        let gw = gateway();
        let tx = paid(&gw, "st-1");
        let v = run(&gw, &format!("--json epoint status --transaction {tx}"), 0);
        assert_eq!(
            (v["state"].as_str(), v["status"].as_str()),
            (Some("done"), Some("success"))
        );
        // Not paid yet: pending, 5.
        let v = run(
            &gw,
            "--json epoint pay --amount 1 --currency AZN --order-id st-2",
            0,
        );
        let new = v["transaction"].as_str().unwrap().to_owned();
        let v = run(&gw, &format!("--json epoint status --transaction {new}"), 5);
        assert_eq!(
            (v["state"].as_str(), v["status"].as_str()),
            (Some("pending"), Some("new"))
        );
        // Declined on the page: 3.
        let v = run(
            &gw,
            "--json epoint pay --amount 1 --currency AZN --order-id st-3",
            0,
        );
        let declined = v["transaction"].as_str().unwrap().to_owned();
        pay_on_page(&gw, &declined, cards::DECLINE);
        let v = run(&gw, "--json epoint status --order-id st-3", 3);
        assert_eq!(v["state"], "declined");
        // Refunded in full: 6.
        run(
            &gw,
            &format!("--json epoint refund --transaction {tx} --currency AZN"),
            0,
        );
        let v = run(&gw, &format!("--json epoint status --transaction {tx}"), 6);
        assert_eq!(
            (v["state"].as_str(), v["status"].as_str()),
            (Some("returned"), Some("returned"))
        );
        let err = stderr_of(&gw, &format!("epoint status --transaction {tx}"));
        assert!(err.contains("returned"), "{err}");
        // An unknown transaction: EPoint's `error` refusal, 1.
        run(&gw, "epoint status --transaction te999999999", 1);
    }

    #[test]
    fn saved_card_charges_exit_by_the_bank_answer() {
        let gw = gateway();
        let card = saved_card(&gw, false);
        let charge = |order: &str, amount: &str| {
            format!("--json epoint pay-with-saved-card --amount {amount} --currency AZN --order-id {order} --card-id {card}")
        };
        let v = run(&gw, &charge("c-1", "5"), 0);
        assert_eq!(
            (v["state"].as_str(), v["status"].as_str()),
            (Some("done"), Some("success"))
        );
        // Refused for funds: {"status":"failed","code":"116"}: 3.
        let v = run(&gw, &charge("c-2", cards::EPOINT_INSUFFICIENT_FUNDS), 3);
        assert_eq!(
            (v["state"].as_str(), v["code"].as_str()),
            (Some("declined"), Some("116"))
        );
        // An unrecognised word: pending, never done: 5.
        let v = run(&gw, &charge("c-3", cards::EPOINT_UNKNOWN_WORD), 5);
        assert_eq!(v["status"], "in_progress_maybe");
        assert_eq!(v["state"], "pending");
        // Left undecided: 5.
        let v = run(&gw, &charge("c-4", cards::EPOINT_UNDECIDED), 5);
        assert_eq!(v["status"], "new");
        // The charge went through but the answer is an empty 500: 4.
        gw.with_sandbox(|sb| sb.epoint_settings().empty_500_next = 1);
        let err = stderr_of(&gw, &charge("c-5", "5"));
        assert!(
            err.contains("check the status before trying again"),
            "{err}"
        );
        // … and the status query shows it happened.
        run(&gw, "--json epoint status --order-id c-5", 0);
        // Dropped connection after the charge: 4.
        gw.fault_next(FaultKind::Reset, 1);
        run(&gw, &charge("c-6", "5"), 4);
        // A refusal of the request (a repeated order id): 1.
        run(&gw, &charge("c-1", "5"), 1);
        // Bad input, nothing sent: 2.
        run(&gw, &charge("c-7", "abc"), 2);
        // The split charge: 0 and 3.
        let split = |order: &str, amount: &str| {
            format!("--json epoint split-pay-with-saved-card --amount {amount} --currency AZN --order-id {order} --card-id {card} --split-user i000000002 --split-amount 0.50")
        };
        run(&gw, &split("c-8", "10"), 0);
        run(&gw, &split("c-9", cards::EPOINT_INSUFFICIENT_FUNDS), 3);
        // The card's own state: active 0; a registration never completed: new, 5.
        run(
            &gw,
            &format!("--json epoint card-status --card-id {card}"),
            0,
        );
        let v = run(&gw, "--json epoint save-card", 0);
        let fresh = v["card_id"].as_str().unwrap().to_owned();
        let v = run(
            &gw,
            &format!("--json epoint card-status --card-id {fresh}"),
            5,
        );
        assert_eq!(v["state"], "pending");
        // Rejected on the page: 3.
        let v = run(&gw, "--json epoint save-card", 0);
        let rejected = v["card_id"].as_str().unwrap().to_owned();
        gw.with_sandbox(|sb| {
            sb.complete_payment(
                Gateway::EPoint,
                &rejected,
                &CardAction::Pay(Card::new(cards::DECLINE)),
            )
        })
        .unwrap();
        run(
            &gw,
            &format!("--json epoint card-status --card-id {rejected}"),
            3,
        );
    }

    #[test]
    fn payouts_exit_by_the_answer() {
        let gw = gateway();
        let card = saved_card(&gw, true);
        let payout = |order: &str, amount: &str| {
            format!("--json epoint payout --amount {amount} --currency AZN --order-id {order} --card-id {card}")
        };
        run(&gw, &payout("p-1", "3"), 0);
        let v = run(&gw, &payout("p-2", cards::EPOINT_UNDECIDED), 5);
        assert_eq!(
            (v["state"].as_str(), v["status"].as_str()),
            (Some("pending"), Some("new"))
        );
        run(&gw, &payout("p-3", cards::EPOINT_UNKNOWN_WORD), 5);
        let v = run(&gw, &payout("p-4", cards::EPOINT_INSUFFICIENT_FUNDS), 3);
        assert_eq!(v["code"], "116");
        gw.fault_next(FaultKind::DropBeforeProcessing, 1);
        run(&gw, &payout("p-5", "3"), 4);
        gw.with_sandbox(|sb| sb.epoint_settings().empty_500_next = 1);
        run(&gw, &payout("p-6", "3"), 4);
    }

    #[test]
    fn refunds_and_pages_exit_by_the_answer() {
        let gw = gateway();
        let tx = paid(&gw, "r-1");
        // Partial refund: done, 0; then the payment is still paid (partly refunded): 0.
        run(
            &gw,
            &format!("--json epoint refund --transaction {tx} --currency AZN --amount 2"),
            0,
        );
        run(&gw, &format!("--json epoint status --transaction {tx}"), 0);
        // The rest is refunded but the answer is an HTML 500: 4, and the status says 6.
        gw.with_sandbox(|sb| sb.epoint_settings().html_500_on_refund = true);
        let err = stderr_of(
            &gw,
            &format!("epoint refund --transaction {tx} --currency AZN"),
        );
        assert!(
            err.contains("check the status before trying again"),
            "{err}"
        );
        gw.with_sandbox(|sb| sb.epoint_settings().html_500_on_refund = false);
        run(&gw, &format!("--json epoint status --transaction {tx}"), 6);
        // Refunding it again: EPoint refuses, 1.
        run(
            &gw,
            &format!("epoint refund --transaction {tx} --currency AZN"),
            1,
        );
        run(&gw, "epoint refund --transaction te1 --currency XXX", 2);

        // Every page-creating command: 0, and 1 for a repeated order id, 4 on a reset.
        for (line, order) in [
            ("epoint pay --amount 5 --currency AZN", "g-1"),
            ("epoint pay-and-save-card --amount 5 --currency AZN", "g-2"),
            ("epoint split-pay --amount 5 --currency AZN --split-user i000000002 --split-amount 1", "g-3"),
            ("epoint split-pay-and-save-card --amount 5 --currency AZN --split-user i000000002 --split-amount 1", "g-4"),
            ("epoint pre-auth --amount 5 --currency AZN", "g-5"),
        ] {
            let v = run(&gw, &format!("--json {line} --order-id {order}"), 0);
            assert_eq!((v["state"].as_str(), v["status"].as_str()), (Some("done"), Some("success")), "{line}");
            run(&gw, &format!("{line} --order-id {order}"), 1);
            gw.fault_next(FaultKind::Reset, 1);
            run(&gw, &format!("{line} --order-id {order}-x"), 4);
        }
        run(&gw, "epoint save-card", 0);
        // Capture a hold: 0; capturing again is refused: 1.
        let v = run(
            &gw,
            "--json epoint pre-auth --amount 50 --currency AZN --order-id h-1",
            0,
        );
        let hold = v["transaction"].as_str().unwrap().to_owned();
        pay_on_page(&gw, &hold, cards::KAPITAL_VISA);
        let v = run(
            &gw,
            &format!(
                "--json epoint pre-auth-complete --amount 40 --currency AZN --transaction {hold}"
            ),
            0,
        );
        assert_eq!(v["state"], "done");
        run(
            &gw,
            &format!("epoint pre-auth-complete --amount 40 --currency AZN --transaction {hold}"),
            1,
        );
    }

    #[test]
    fn verify_callback_reads_every_encoding_and_exits_by_state() {
        let gw = gateway();
        let tx = paid(&gw, "v-1");
        let v = run(
            &gw,
            "--json epoint pay --amount 1 --currency AZN --order-id v-2",
            0,
        );
        pay_on_page(&gw, v["transaction"].as_str().unwrap(), cards::DECLINE);
        run(
            &gw,
            &format!("epoint refund --transaction {tx} --currency AZN"),
            0,
        );
        let callbacks = gw.take_callbacks();
        assert_eq!(callbacks.len(), 3, "paid, declined, returned");
        for (callback, code, state) in [
            (&callbacks[0], 0, "done"),
            (&callbacks[1], 3, "declined"),
            (&callbacks[2], 6, "returned"),
        ] {
            for encoding in [
                CallbackEncoding::Form,
                CallbackEncoding::Json,
                CallbackEncoding::Multipart,
            ] {
                let (_, body) = callback.encoded(encoding);
                let out = azpay(&gw)
                    .args(["epoint", "verify-callback"])
                    .write_stdin(body)
                    .output()
                    .unwrap();
                assert_eq!(out.status.code(), Some(code), "{encoding:?}: {out:?}");
                let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                assert_eq!(v["state"], state, "{encoding:?}");
            }
        }
    }
}
