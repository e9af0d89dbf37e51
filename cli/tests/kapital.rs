//! `azpay kapital ...` driven through the real binary: exact dry-runs, credential redaction,
//! bad input (exit 2, nothing sent), and sending against a tiny HTTP/1.1 server on 127.0.0.1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;

use assert_cmd::Command;
use serde_json::{json, Value};

const AUTH: &str = "Basic VGVybWluYWxTeXMva2FwaXRhbDprYXBpdGFsMTIz";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../core/tests/fixtures/kapital/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// `azpay` with the test credentials and nothing else from the environment.
fn azpay() -> Command {
    let mut c = Command::cargo_bin("azpay").unwrap();
    for var in [
        "KAPITAL_BASE_URL",
        "KAPITAL_USERNAME",
        "KAPITAL_PASSWORD",
        "KAPITAL_INTERFACE_LANG",
        "KAPITAL_REDIRECT_URL",
    ] {
        c.env_remove(var);
    }
    c.env("KAPITAL_USERNAME", "TerminalSys/kapital")
        .env("KAPITAL_PASSWORD", "kapital123");
    c
}

/// The words of a command line (none of the arguments here has a space in it).
fn words(line: &str) -> std::str::SplitWhitespace<'_> {
    line.split_whitespace()
}

/// Runs `azpay` with `line` against the server at `base` (KAPITAL_BASE_URL).
fn send_to(base: &str, line: &str) -> std::process::Output {
    azpay()
        .env("KAPITAL_BASE_URL", base)
        .args(words(line))
        .output()
        .unwrap()
}

fn dry_run(args: impl IntoIterator<Item = impl AsRef<std::ffi::OsStr>>) -> Value {
    let out = azpay()
        .arg("--dry-run")
        .arg("kapital")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "one JSON object: {text}");
    assert!(!text.contains("kapital123"));
    assert!(!text.contains("VGVybWluYWxTeXMva2FwaXRhbDprYXBpdGFsMTIz"));
    serde_json::from_str(&text).unwrap()
}

fn post(url: &str, body: &str) -> Value {
    json!({
        "method": "POST",
        "url": url,
        "headers": {
            "accept": "application/json",
            "authorization": "Basic <redacted>",
            "content-type": "application/json"
        },
        "body": body
    })
}

fn get(url: &str) -> Value {
    json!({
        "method": "GET",
        "url": url,
        "headers": {"accept": "application/json", "authorization": "Basic <redacted>"},
        "body": ""
    })
}

// --- dry runs -----------------------------------------------------------------------------------

#[test]
fn dry_run_create_order() {
    assert_eq!(
        dry_run([
            "create-order",
            "--amount",
            "10.5",
            "--currency",
            "AZN",
            "--description",
            "Test order"
        ]),
        post(
            "https://txpgtst.kapitalbank.az/api/order",
            r#"{"order":{"typeRid":"Order_SMS","amount":"10.50","currency":"AZN","language":"az","description":"Test order"}}"#
        )
    );
    assert_eq!(
        dry_run(words("create-order --amount 1 --currency 944 --description D --preauth --title Othub --language EN")),
        post(
            "https://txpgtst.kapitalbank.az/api/order",
            r#"{"order":{"typeRid":"Order_DMS","amount":"1.00","currency":"AZN","language":"en","title":"Othub","description":"D"}}"#
        )
    );
}

#[test]
fn dry_run_installments() {
    assert_eq!(
        dry_run(words(
            "create-order --amount 300 --currency AZN --description ignored --installments 6"
        )),
        post(
            "https://txpgtst.kapitalbank.az/api/order",
            r#"{"order":{"typeRid":"Order_SMS","amount":"300.00","currency":"AZN","language":"az","description":"TAKSIT=6"}}"#
        )
    );
    for bad in ["1", "37", "x", "-3"] {
        assert_usage(
            azpay().args([
                "--dry-run",
                "kapital",
                "create-order",
                "--amount",
                "1",
                "--currency",
                "AZN",
                "--description",
                "D",
                "--installments",
                bad,
            ]),
            "--installments",
        );
    }
}

#[test]
fn dry_run_uses_the_environment() {
    let out = azpay()
        .env("KAPITAL_BASE_URL", "https://e-commerce.kapitalbank.az/")
        .env("KAPITAL_INTERFACE_LANG", "ru")
        .env("KAPITAL_REDIRECT_URL", "https://shop.example/back")
        .args(words(
            "--dry-run kapital create-order --amount 2 --currency AZN --description D",
        ))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        post(
            "https://e-commerce.kapitalbank.az/api/order",
            r#"{"order":{"typeRid":"Order_SMS","amount":"2.00","currency":"AZN","language":"ru","description":"D","hppRedirectUrl":"https://shop.example/back"}}"#
        )
    );
}

#[test]
fn dry_run_order_refund_reverse_clear() {
    assert_eq!(
        dry_run(["order", "--id", "5531"]),
        get("https://txpgtst.kapitalbank.az/api/order/5531")
    );
    assert_eq!(
        dry_run(["order", "--id", "5531", "--detailed"]),
        get("https://txpgtst.kapitalbank.az/api/order/5531?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2")
    );
    let exec = "https://txpgtst.kapitalbank.az/api/order/5531/exec-tran";
    assert_eq!(
        dry_run(["refund", "--id", "5531", "--amount", "2"]),
        post(
            exec,
            r#"{"tran":{"phase":"Single","amount":"2.00","type":"Refund"}}"#
        )
    );
    assert_eq!(
        dry_run(["reverse", "--id", "5531"]),
        post(exec, r#"{"tran":{"phase":"Single","voidKind":"Full"}}"#)
    );
    assert_eq!(
        dry_run(["reverse", "--id", "5531", "--amount", "1"]),
        post(
            exec,
            r#"{"tran":{"phase":"Single","amount":"1.00","voidKind":"Partial"}}"#
        )
    );
    assert_eq!(
        dry_run(["reverse", "--id", "5531", "--after", "hold"]),
        post(exec, r#"{"tran":{"phase":"Auth","voidKind":"Full"}}"#)
    );
    assert_eq!(
        dry_run(["reverse", "--id", "5531", "--after", "clearing"]),
        post(exec, r#"{"tran":{"phase":"Clearing","voidKind":"Full"}}"#)
    );
    assert_eq!(
        dry_run(["clear", "--id", "5531", "--amount", "1"]),
        post(exec, r#"{"tran":{"phase":"Clearing","amount":"1.00"}}"#)
    );
}

#[test]
fn dry_run_save_card_variants_and_saved_card_flow() {
    let save = r#"{"order":{"typeRid":"Order_SMS","amount":"1.00","currency":"AZN","language":"az","description":"Save","initiationEnvKind":"Browser","hppCofCapturePurposes":["UnspecifiedMit","Cit","Recurring"],"aut":{"purpose":"AddCard"}}}"#;
    for cmd in ["save-card", "pay-and-save-card"] {
        assert_eq!(
            dry_run([
                cmd,
                "--amount",
                "1",
                "--currency",
                "AZN",
                "--description",
                "Save"
            ]),
            post("https://txpgtst.kapitalbank.az/api/order", save),
            "{cmd}"
        );
    }
    // A flow prints only its first request.
    assert_eq!(
        dry_run(words(
            "pay-with-saved-card --token 5125 --amount 5 --currency AZN --description Monthly"
        )),
        post(
            "https://txpgtst.kapitalbank.az/api/order",
            r#"{"order":{"typeRid":"Order_REC","amount":"5.00","currency":"AZN","language":"az","description":"Monthly"}}"#
        )
    );
    // Verified with the "Transaction details" query of seed 002's flow: the detailed order.
    assert_eq!(
        dry_run(["verify-redirect", "--id", "5531", "--status", "FullyPaid"]),
        get("https://txpgtst.kapitalbank.az/api/order/5531?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2")
    );
    // The payout flow: the first request (an OCT order) only; the card goes in step 2.
    let v = dry_run(words(
        "payout --amount 1 --currency AZN --card 4169741330151778 --description Salary",
    ));
    assert_eq!(
        v,
        post(
            "https://txpgtst.kapitalbank.az/api/order",
            r#"{"order":{"typeRid":"OCT","amount":"1.00","currency":"AZN","language":"az","description":"Salary"}}"#
        )
    );
}

#[test]
fn show_secrets_prints_the_real_header() {
    let out = azpay()
        .args(words("--dry-run --show-secrets kapital order --id 1"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["headers"]["authorization"], AUTH);
}

// --- bad input ------------------------------------------------------------------------------------

fn assert_usage(cmd: &mut Command, needle: &str) {
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(out.stdout.is_empty(), "nothing printed on stdout: {out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(needle), "{needle:?} not in {err:?}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
}

#[test]
fn bad_input_exits_2_naming_the_flag() {
    for amount in ["abc", "-1", "1.234", "", "0"] {
        assert_usage(
            azpay().args([
                "--dry-run",
                "kapital",
                "create-order",
                "--amount",
                amount,
                "--currency",
                "AZN",
                "--description",
                "D",
            ]),
            "--amount",
        );
    }
    assert_usage(
        azpay().args(words(
            "--dry-run kapital create-order --amount 1 --currency XYZ --description D",
        )),
        "--currency",
    );
    assert_usage(
        azpay().args(words("--dry-run kapital create-order --amount 1 --currency AZN --description D --language de")),
        "--language",
    );
    assert_usage(
        azpay().args(["--dry-run", "kapital", "order", "--id", "abc"]),
        "--id",
    );
    assert_usage(
        azpay().args(["--dry-run", "kapital", "order", "--id", "0"]),
        "--id",
    );
    assert_usage(
        azpay().args(words("--dry-run kapital refund --id -5 --amount 1")),
        "--id",
    );
    assert_usage(
        azpay().args(words("--dry-run kapital reverse --id 5 --after later")),
        "--after",
    );
    assert_usage(
        azpay().args(words(
            "--dry-run kapital reverse --id 5 --after hold --amount 1",
        )),
        "--amount",
    );
    assert_usage(
        azpay().args(words(
            "--dry-run kapital pay-with-saved-card --token card-1 --amount 1 --currency AZN",
        )),
        "--token",
    );
    assert_usage(
        azpay().args(words(
            "--dry-run kapital verify-redirect --id 1x --status FullyPaid",
        )),
        "--id",
    );
    assert_usage(
        azpay().args([
            "--dry-run",
            "kapital",
            "verify-redirect",
            "--id",
            "1",
            "--status",
            "",
        ]),
        "--status",
    );
    assert_usage(
        azpay().args(words("--dry-run kapital create-order --amount 1 --currency AZN --description D --redirect-url javascript:x")),
        "hppRedirectUrl",
    );
}

#[test]
fn bad_environment_exits_2_naming_the_variable() {
    for var in ["KAPITAL_USERNAME", "KAPITAL_PASSWORD"] {
        assert_usage(
            azpay()
                .env_remove(var)
                .args(["kapital", "order", "--id", "1"]),
            var,
        );
        assert_usage(
            azpay()
                .env_remove(var)
                .args(["--dry-run", "kapital", "order", "--id", "1"]),
            var,
        );
    }
    assert_usage(
        azpay()
            .env("KAPITAL_INTERFACE_LANG", "xx")
            .args(words("--dry-run kapital order --id 1")),
        "KAPITAL_INTERFACE_LANG",
    );
    assert_usage(
        azpay()
            .env("KAPITAL_BASE_URL", "txpgtst.kapitalbank.az")
            .args(["--dry-run", "kapital", "order", "--id", "1"]),
        "KAPITAL_BASE_URL",
    );
}

// --- sending ---------------------------------------------------------------------------------------

/// One request as the server saw it.
#[derive(Debug)]
struct Seen {
    request_line: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Serves the given (status, body) answers, one connection each, then stops.
fn serve(answers: Vec<(u16, String)>) -> (String, JoinHandle<Vec<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for (status, body) in answers {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                let (k, v) = line.split_once(':').unwrap();
                headers.push((k.trim().to_owned(), v.trim().to_owned()));
            }
            let len: usize = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .map_or(0, |(_, v)| v.parse().unwrap());
            let mut buf = vec![0; len];
            reader.read_exact(&mut buf).unwrap();
            seen.push(Seen {
                request_line: request_line.trim_end().to_owned(),
                headers,
                body: String::from_utf8(buf).unwrap(),
            });
            let mut stream = stream;
            write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
            stream.flush().unwrap();
        }
        seen
    });
    (base, handle)
}

#[test]
fn create_order_is_sent_and_the_payment_url_printed() {
    let (base, server) = serve(vec![(200, fixture("create_order_response.json"))]);
    let out = send_to(&base, "--json kapital create-order --amount 1 --currency AZN --description Testdesc --title Othub");
    assert!(out.status.success(), "{out:?}");
    let seen = server.join().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].request_line, "POST /api/order HTTP/1.1");
    assert_eq!(seen[0].header("authorization"), Some(AUTH));
    assert_eq!(seen[0].header("content-type"), Some("application/json"));
    assert_eq!(
        seen[0].body,
        r#"{"order":{"typeRid":"Order_SMS","amount":"1.00","currency":"AZN","language":"az","title":"Othub","description":"Testdesc"}}"#
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        json!({
            "state": "done",
            "id": 4595,
            "password": "8xjpd1ejxdma",
            "status": "Preparing",
            "payment_url": "https://txpgtst.kapitalbank.az/flex?id=4595&password=8xjpd1ejxdma",
            "cvv2_auth_status": "Required",
            "secret": "312866"
        })
    );
}

#[test]
fn detailed_order_is_printed() {
    let (base, server) = serve(vec![(200, fixture("order_detailed.json"))]);
    let out = send_to(&base, "--json kapital order --id 5531 --detailed");
    // Printed in full, then exit 6: the order was refunded.
    assert_eq!(out.status.code(), Some(6), "{out:?}");
    let seen = server.join().unwrap();
    assert_eq!(
        seen[0].request_line,
        "GET /api/order/5531?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2 HTTP/1.1"
    );
    assert_eq!(seen[0].header("authorization"), Some(AUTH));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "Refunded");
    assert_eq!(v["state"], "returned");
    assert_eq!(v["amount"], json!({"value": "1.00", "currency": "AZN"}));
    assert_eq!(v["trans"][1]["clear_amount_minor"], -100);
    assert_eq!(v["src_token"]["display_name"], "416974******1778");
}

#[test]
fn verify_redirect_reports_a_forged_status() {
    let (base, server) = serve(vec![(
        200,
        r#"{"order":{"id":5531,"typeRid":"Order_SMS","status":"Preparing","amount":1,"currency":"AZN"}}"#.to_owned(),
    )]);
    let out = send_to(
        &base,
        "kapital verify-redirect --id 5531 --status FullyPaid",
    );
    // Preparing: pending, exit 5, whatever the browser claimed.
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    let seen = server.join().unwrap();
    assert_eq!(
        seen[0].request_line,
        "GET /api/order/5531?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2 HTTP/1.1"
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("verified_status: Preparing"), "{text}");
    assert!(text.contains("state: pending"), "{text}");
    assert!(text.contains("paid: false"), "{text}");
    assert!(
        text.contains(
            "the claimed status `FullyPaid` differs from the verified status `Preparing`"
        ),
        "{text}"
    );
}

#[test]
fn verify_redirect_confirms_an_honest_status() {
    let (base, server) = serve(vec![(
        200,
        r#"{"order":{"id":5531,"status":"FullyPaid"}}"#.to_owned(),
    )]);
    let out = send_to(
        &base,
        "--json kapital verify-redirect --id 5531 --status FullyPaid",
    );
    assert!(out.status.success(), "{out:?}");
    server.join().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["claim_matches"], true);
    assert_eq!(v["paid"], true);
    assert_eq!(v["verified_status"], "FullyPaid");
}

#[test]
fn pay_with_saved_card_runs_the_whole_flow() {
    let (base, server) = serve(vec![
        (
            200,
            r#"{"order":{"id":6300,"hppUrl":"https://txpgtst.kapitalbank.az/flex","password":"pw6300","status":"Preparing"}}"#.to_owned(),
        ),
        (200, fixture("set_src_token_response.json")),
        (200, fixture("exec_tran_ok.json")),
    ]);
    let out = send_to(
        &base,
        "--json kapital pay-with-saved-card --token 5125 --amount 5 --currency AZN",
    );
    assert!(out.status.success(), "{out:?}");
    let seen = server.join().unwrap();
    let lines: Vec<&str> = seen.iter().map(|s| s.request_line.as_str()).collect();
    assert_eq!(
        lines,
        [
            "POST /api/order HTTP/1.1",
            "POST /api/order/6300/set-src-token?password=pw6300 HTTP/1.1",
            "POST /api/order/6300/exec-tran HTTP/1.1"
        ]
    );
    assert_eq!(
        seen[1].body,
        r#"{"order":{"initiationEnvKind":"Server"},"token":{"storedId":5125}}"#
    );
    assert_eq!(
        seen[2].body,
        r#"{"tran":{"phase":"Single","conditions":{"cofUsage":"Recurring"}}}"#
    );
    for s in &seen {
        assert_eq!(s.header("authorization"), Some(AUTH));
    }
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["order_id"], 6300);
    assert_eq!(v["approval_code"], "053703");
    assert_eq!(v["pmo_result_code"], "1");
    assert_eq!(v["card"], "416974******1778");
}

#[test]
fn pay_with_saved_card_failure_names_the_step_and_the_order() {
    let (base, server) = serve(vec![
        (
            200,
            r#"{"order":{"id":6300,"hppUrl":"https://txpgtst.kapitalbank.az/flex","password":"pw6300","status":"Preparing"}}"#.to_owned(),
        ),
        (
            400,
            r#"{"errorCode":"InvalidToken","errorDescription":"stored token not found"}"#.to_owned(),
        ),
    ]);
    let out = send_to(
        &base,
        "kapital pay-with-saved-card --token 5125 --amount 5 --currency AZN",
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(server.join().unwrap().len(), 2);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("step set-token failed"), "{err}");
    assert!(err.contains("InvalidToken"), "{err}");
    assert!(err.contains("order 6300 was created"), "{err}");
}

#[test]
fn a_decline_is_printed_and_exits_3() {
    let (base, server) = serve(vec![(400, fixture("error_pmo_decline.json"))]);
    let out = send_to(&base, "--json kapital refund --id 5531 --amount 2");
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let seen = server.join().unwrap();
    assert_eq!(
        seen[0].request_line,
        "POST /api/order/5531/exec-tran HTTP/1.1"
    );
    assert_eq!(
        seen[0].body,
        r#"{"tran":{"phase":"Single","amount":"2.00","type":"Refund"}}"#
    );
    // The decline is the outcome: printed with its state and Kapital's code, then exit 3.
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["state"], "declined");
    assert_eq!(v["pmo_result_code"], "52");
    assert_eq!(v["rid_by_pmo"], "17947770");
    assert_eq!(v["decline"]["pmo_result_code"], "52");
    assert_eq!(v["decline"]["decline_reason"], "SrcCardInvalid");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("declined"), "{err}");
    assert!(err.contains("PmoDecline, pmoResultCode 52"), "{err}");
}

#[test]
fn a_missing_order_exits_1_with_the_gateway_error() {
    let (base, server) = serve(vec![(404, fixture("error_no_order_404.json"))]);
    let out = send_to(&base, "kapital order --id 99999");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    server.join().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("ServiceError: no order found"), "{err}");
    assert!(!err.contains("kapital123"));
}

#[test]
fn an_approved_void_exits_0() {
    let (base, server) = serve(vec![(200, fixture("exec_tran_ok.json"))]);
    let out = send_to(&base, "kapital reverse --id 5531 --after hold");
    assert!(out.status.success(), "{out:?}");
    let seen = server.join().unwrap();
    assert_eq!(
        seen[0].body,
        r#"{"tran":{"phase":"Auth","voidKind":"Full"}}"#
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("approval_code: 053703"), "{text}");
}

#[test]
fn base_url_as_seed_002_writes_it() {
    // Seed 002 gives the base with `/api`; with or without the trailing `/` nothing doubles.
    for suffix in ["/api", "/api/", "/"] {
        let (base, server) = serve(vec![(200, fixture("create_order_response.json"))]);
        let out = send_to(
            &format!("{base}{suffix}"),
            "kapital create-order --amount 1 --currency AZN --description D",
        );
        assert!(out.status.success(), "{suffix}: {out:?}");
        let seen = server.join().unwrap();
        assert_eq!(seen[0].request_line, "POST /api/order HTTP/1.1", "{suffix}");
    }
    // A base naming an endpoint: exit 2 naming the variable, nothing sent.
    let out = azpay()
        .env(
            "KAPITAL_BASE_URL",
            "https://txpgtst.kapitalbank.az/api/order",
        )
        .args(words(
            "kapital create-order --amount 1 --currency AZN --description D",
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("invalid KAPITAL_BASE_URL"), "{err}");
}

// --- the exit-code table against the sandbox --------------------------------------------------------
//
// 0 done, 1 gateway error, 2 bad input (nothing sent), 3 declined, 4 outcome unknown,
// 5 pending, 6 money returned: for every Kapital command (`../shared/CLI.md`, "Exit codes").

mod table {
    use std::net::{Ipv4Addr, SocketAddr};

    use azpay_sandbox::fault::FaultKind;
    use azpay_sandbox::serve::{serve, ServeOptions, ServerHandle};
    use azpay_sandbox::{cards, Card, CardAction, Gateway, KapitalSettings, SandboxConfig};
    use serde_json::Value;

    use super::{azpay, words};

    fn sandbox() -> ServerHandle {
        sandbox_with(SandboxConfig::default())
    }

    fn sandbox_with(config: SandboxConfig) -> ServerHandle {
        serve(
            config,
            ServeOptions::new(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))),
        )
        .unwrap()
    }

    /// Runs `azpay --json kapital <line>` against the sandbox: the exit code and the JSON.
    fn run(server: &ServerHandle, line: &str) -> (i32, Value, String) {
        let out = azpay()
            .env("KAPITAL_BASE_URL", server.base_url())
            .arg("--json")
            .arg("kapital")
            .args(words(line))
            .output()
            .unwrap();
        let code = out.status.code().expect("exited");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        let value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (code, value, err)
    }

    fn expect(server: &ServerHandle, line: &str, code: i32) -> (Value, String) {
        let (got, value, err) = run(server, line);
        assert_eq!(got, code, "`{line}`: {value} / {err}");
        (value, err)
    }

    /// A new order of `amount` (`--preauth` for a hold): its id.
    fn order(server: &ServerHandle, amount: &str, preauth: bool) -> u64 {
        let line = format!(
            "create-order --amount {amount} --currency AZN --description t{}",
            if preauth { " --preauth" } else { "" }
        );
        let (v, _) = expect(server, &line, 0);
        assert_eq!(v["state"], "done");
        assert_eq!(v["status"], "Preparing");
        v["id"].as_u64().unwrap()
    }

    fn pay(server: &ServerHandle, id: u64, pan: &str, save: bool) {
        let action = CardAction::Pay(Card::new(pan).save(save));
        server
            .with_sandbox(|s| s.complete_payment(Gateway::Kapital, &id.to_string(), &action))
            .unwrap();
    }

    fn paid(server: &ServerHandle, amount: &str) -> u64 {
        let id = order(server, amount, false);
        pay(server, id, cards::KAPITAL_VISA, false);
        id
    }

    /// Checks `order` and `verify-redirect` on order `id`: the exit code, `state` and the
    /// status word.
    fn status_is(server: &ServerHandle, id: u64, code: i32, state: &str, word: &str) {
        let (v, err) = expect(server, &format!("order --id {id}"), code);
        assert_eq!(
            (v["state"].as_str(), v["status"].as_str()),
            (Some(state), Some(word))
        );
        if code != 0 {
            assert!(err.contains(&format!("gateway said `{word}`")), "{err}");
        }
        let (v, _) = expect(
            server,
            &format!("verify-redirect --id {id} --status FullyPaid"),
            code,
        );
        assert_eq!(v["state"], state);
        assert_eq!(v["verified_status"], word);
    }

    #[test]
    fn create_order_and_card_saving() {
        let server = sandbox();
        let id = order(&server, "10", false);
        status_is(&server, id, 5, "pending", "Preparing");
        for cmd in ["save-card", "pay-and-save-card"] {
            let (v, _) = expect(
                &server,
                &format!("{cmd} --amount 1 --currency AZN --description s"),
                0,
            );
            assert_eq!(v["state"], "done");
            assert!(v["payment_url"].as_str().unwrap().contains("/flex?id="));
        }
        expect(
            &server,
            "create-order --amount 0 --currency AZN --description t",
            2,
        );
        // Wrong credentials: the gateway's error, exit 1.
        let out = azpay()
            .env("KAPITAL_BASE_URL", server.base_url())
            .env("KAPITAL_PASSWORD", "wrong")
            .args(words(
                "kapital create-order --amount 1 --currency AZN --description t",
            ))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
    }

    #[test]
    fn order_and_verify_redirect_every_state() {
        let server = sandbox();
        status_is(&server, paid(&server, "10"), 0, "done", "FullyPaid");
        status_is(
            &server,
            paid(&server, cards::KAPITAL_AMOUNT_PART_PAID),
            0,
            "done",
            "PartPaid",
        );
        status_is(
            &server,
            paid(&server, cards::KAPITAL_AMOUNT_UNKNOWN_STATUS),
            5,
            "pending",
            "Processing",
        );
        let declined = order(&server, "10", false);
        pay(&server, declined, cards::DECLINE, false);
        status_is(&server, declined, 3, "declined", "Declined");

        let refunded = paid(&server, "10");
        expect(&server, &format!("refund --id {refunded} --amount 10"), 0);
        status_is(&server, refunded, 6, "returned", "Refunded");
        let refused = paid(&server, cards::KAPITAL_AMOUNT_REFUSED);
        expect(
            &server,
            &format!(
                "refund --id {refused} --amount {}",
                cards::KAPITAL_AMOUNT_REFUSED
            ),
            0,
        );
        status_is(&server, refused, 6, "returned", "Refused");
        let voided = paid(&server, "10");
        expect(&server, &format!("reverse --id {voided}"), 0);
        status_is(&server, voided, 6, "returned", "Voided");

        expect(&server, "order --id 99999999", 1);
        expect(
            &server,
            "verify-redirect --id 99999999 --status FullyPaid",
            1,
        );
        expect(&server, "order --id x", 2);
    }

    #[test]
    fn refund_reverse_clear() {
        let server = sandbox();
        // Done.
        let id = paid(&server, "10");
        let (v, _) = expect(&server, &format!("refund --id {id} --amount 2"), 0);
        assert_eq!(
            (v["state"].as_str(), v["pmo_result_code"].as_str()),
            (Some("done"), Some("1"))
        );
        status_is(&server, id, 0, "done", "FullyPaid"); // partly refunded: still done
        let hold = order(&server, "10", true);
        pay(&server, hold, cards::KAPITAL_VISA, false);
        status_is(&server, hold, 0, "done", "Authorized");
        expect(&server, &format!("clear --id {hold} --amount 10"), 0);
        let hold2 = order(&server, "10", true);
        pay(&server, hold2, cards::KAPITAL_VISA, false);
        expect(&server, &format!("reverse --id {hold2} --after hold"), 0);

        // Gateway errors: exit 1 (a refund of an unpaid order, a clearing of a purchase).
        let unpaid = order(&server, "10", false);
        expect(&server, &format!("refund --id {unpaid} --amount 1"), 1);
        expect(&server, &format!("reverse --id {unpaid}"), 1);
        expect(&server, &format!("clear --id {unpaid} --amount 1"), 1);

        // Bad input: exit 2.
        expect(&server, "refund --id 1 --amount -1", 2);
        expect(&server, "reverse --id 1 --after later", 2);
        expect(&server, "clear --id 0 --amount 1", 2);

        // An HTML 500 after the gateway acted: outcome unknown, exit 4.
        let html = cards::KAPITAL_AMOUNT_HTML_500;
        let id = paid(&server, "10");
        let (_, err) = expect(&server, &format!("refund --id {id} --amount {html}"), 4);
        assert!(
            err.contains("check the status before trying again"),
            "{err}"
        );
        let id = paid(&server, html);
        expect(&server, &format!("reverse --id {id}"), 4);
        let hold = order(&server, "10", true);
        pay(&server, hold, cards::KAPITAL_VISA, false);
        expect(&server, &format!("clear --id {hold} --amount {html}"), 4);

        // A connection dropped after the gateway acted: exit 4 as well.
        for line in [
            format!("refund --id {} --amount 1", paid(&server, "10")),
            format!("reverse --id {}", paid(&server, "10")),
            {
                let hold = order(&server, "10", true);
                pay(&server, hold, cards::KAPITAL_VISA, false);
                format!("clear --id {hold} --amount 10")
            },
        ] {
            server.fault_next(FaultKind::Reset, 1);
            let (_, err) = expect(&server, &line, 4);
            assert!(
                err.contains("check the status before trying again"),
                "{err}"
            );
        }
    }

    /// A card saved on the hosted page: its storedTokens[].id (not the paying token's id).
    fn stored_card(server: &ServerHandle) -> u64 {
        let (v, _) = expect(
            server,
            "pay-and-save-card --amount 1 --currency AZN --description s",
            0,
        );
        let id = v["id"].as_u64().unwrap();
        pay(server, id, cards::KAPITAL_VISA, true);
        let (v, _) = expect(server, &format!("order --id {id} --detailed"), 0);
        let stored = v["stored_tokens"][0]["id"].as_u64().unwrap();
        assert_ne!(Some(stored), v["src_token"]["id"].as_u64());
        stored
    }

    #[test]
    fn pay_with_saved_card_and_payout() {
        let server = sandbox();
        let token = stored_card(&server);
        let (v, _) = expect(
            &server,
            &format!("pay-with-saved-card --token {token} --amount 3 --currency AZN"),
            0,
        );
        assert_eq!(
            (v["state"].as_str(), v["pmo_result_code"].as_str()),
            (Some("done"), Some("1"))
        );
        let (v, _) = expect(
            &server,
            &format!(
                "payout --amount 2 --currency AZN --card {} --description d",
                cards::KAPITAL_VISA
            ),
            0,
        );
        assert_eq!(v["state"], "done");
        assert_eq!(v["card"], "416974******1778");

        // Declined: the outcome, exit 3.
        let (v, err) = expect(
            &server,
            &format!("payout --amount 2 --currency AZN --card {}", cards::DECLINE),
            3,
        );
        assert_eq!(v["state"], "declined");
        assert_eq!(v["pmo_result_code"], "59");
        assert!(err.contains("pmoResultCode 59"), "{err}");

        // Failing at step 2 (after the order was created): exit 1, never 2.
        let (_, err) = expect(
            &server,
            "pay-with-saved-card --token 99999999 --amount 3 --currency AZN",
            1,
        );
        assert!(err.contains("step set-token failed"), "{err}");
        assert!(err.contains("was created"), "{err}");

        // An HTML 500 at the flow's exec-tran: exit 4.
        let html = cards::KAPITAL_AMOUNT_HTML_500;
        let (_, err) = expect(
            &server,
            &format!("pay-with-saved-card --token {token} --amount {html} --currency AZN"),
            4,
        );
        assert!(err.contains("step exec-tran failed"), "{err}");
        assert!(
            err.contains("check the status before trying again"),
            "{err}"
        );
        expect(
            &server,
            &format!(
                "payout --amount {html} --currency AZN --card {}",
                cards::KAPITAL_VISA
            ),
            4,
        );

        // Bad input, nothing sent: exit 2.
        expect(
            &server,
            "pay-with-saved-card --token x --amount 3 --currency AZN",
            2,
        );
        let (_, err) = expect(
            &server,
            "payout --amount 2 --currency AZN --card 4169741330151779",
            2,
        );
        assert!(err.contains("--card"), "{err}");
        expect(&server, "payout --amount 2 --currency AZN --card abc", 2);
    }

    #[test]
    fn errors_with_http_200_and_answers_without_pmo_result_code() {
        let server = sandbox_with(
            SandboxConfig::default().with_kapital(
                KapitalSettings::default()
                    .errors_with_http_200(true)
                    .omit_pmo_result_code(true),
            ),
        );
        // No pmoResultCode, an approval code: done.
        let id = paid(&server, "10");
        let (v, _) = expect(&server, &format!("refund --id {id} --amount 1"), 0);
        assert_eq!(v["state"], "done");
        assert!(v["pmo_result_code"].is_null(), "{v}");
        assert!(v["approval_code"].is_string(), "{v}");
        // Errors with HTTP 200 are still errors, and a decline with HTTP 200 still declined.
        let unpaid = order(&server, "10", false);
        expect(&server, &format!("refund --id {unpaid} --amount 1"), 1);
        expect(&server, "order --id 99999999", 1);
        let (v, _) = expect(
            &server,
            &format!("payout --amount 2 --currency AZN --card {}", cards::DECLINE),
            3,
        );
        assert_eq!(v["state"], "declined");
    }
}
