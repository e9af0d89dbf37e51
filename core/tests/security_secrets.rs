//! No secret (EPoint private key, Kapital password, TWEC client key) appears in any `Debug`,
//! `Display` or error message reachable from a configuration: configs, operations, requests,
//! build errors, parse errors, callbacks and flows are all formatted and searched. And the
//! real `azpay` binary, logging at `RUST_LOG=trace` against the sandbox, shows none on its
//! standard output or error.

use azpay_core::{
    epoint, kapital, payriff, twec, Amount, ClientIdentity, Currency, Error, Flow, HttpRequest,
    Operation, ResponseError, TransportError,
};
use base64::Engine as _;

const EPOINT_SECRET: &str = "EPOINT-SECRET-9f8e7d6c";
const KAPITAL_SECRET: &str = "KAPITAL-SECRET-a1b2c3d4";
const TWEC_SECRET: &str = "TWEC-KEY-SECRET-5e6f7a8b";
const PAYRIFF_SECRET: &str = "PAYRIFF-SECRET-0c1d2e3f";

/// Every form of a secret that must not leak: as is, base64'd alone and inside Basic auth.
fn forms(secret: &str) -> Vec<String> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    vec![
        secret.to_owned(),
        b64(secret),
        b64(&format!("TerminalSys/kapital:{secret}")),
        secret.chars().rev().collect(),
    ]
}

fn assert_clean(what: &str, text: &str) {
    for secret in [EPOINT_SECRET, KAPITAL_SECRET, TWEC_SECRET, PAYRIFF_SECRET] {
        for form in forms(secret) {
            assert!(!text.contains(&form), "{what} leaks a secret: {text}");
        }
    }
}

macro_rules! check {
    ($what:expr, $value:expr) => {{
        let v = &$value;
        assert_clean(concat!($what, " (Debug)"), &format!("{v:?}"));
        assert_clean(concat!($what, " (Debug, alternate)"), &format!("{v:#?}"));
    }};
    (display $what:expr, $value:expr) => {{
        let v = &$value;
        check!($what, v);
        assert_clean(concat!($what, " (Display)"), &v.to_string());
    }};
}

fn response(status: u16, body: &[u8]) -> azpay_core::HttpResponse {
    http::Response::builder()
        .status(status)
        .body(body.to_vec())
        .unwrap()
}

fn check_request(what: &str, req: &HttpRequest, may_carry_auth: bool) {
    assert_clean(what, &format!("{req:?}"));
    assert_clean(what, &String::from_utf8_lossy(req.body()));
    assert_clean(what, &req.uri().to_string());
    for (name, value) in req.headers() {
        if name == http::header::AUTHORIZATION {
            assert!(may_carry_auth, "{what}: unexpected Authorization header");
            assert!(
                value.is_sensitive(),
                "{what}: Authorization not marked sensitive"
            );
        } else {
            assert_clean(what, &String::from_utf8_lossy(value.as_bytes()));
        }
    }
}

const BODIES: &[&[u8]] = &[
    b"",
    b"not json <xml",
    b"{\"status\":\"error\",\"message\":\"bad\"}",
    b"{\"status\":\"server_error\"}",
    b"{\"errorCode\":\"InvalidAmt\",\"errorDescription\":\"x\"}",
    b"<TKKPG><Response><Operation>CreateOrder</Operation><Status>30</Status></Response></TKKPG>",
    b"{\"order\":{\"id\":\"x\",\"status\":5}}",
];

#[test]
fn payriff_secret_never_shows() {
    let c = payriff::Config::new(PAYRIFF_SECRET).callback_url("https://shop.example/cb");
    check!("payriff::Config", c);
    let a = Amount::from_minor(1050, Currency::AZN);
    for req in [
        payriff::CreateOrder::purchase(a, "rrn-1")
            .build_request(&c)
            .unwrap(),
        payriff::GetOrder::new("O").build_request(&c).unwrap(),
        payriff::Refund::full("O", "r").build_request(&c).unwrap(),
        payriff::AutoPay::new("u", a, "d", "r")
            .build_request(&c)
            .unwrap(),
    ] {
        check_request("payriff request", &req, true);
    }
    let spaced = payriff::Config::new(format!("{PAYRIFF_SECRET}\n"));
    check!("payriff::Config", spaced);
    for e in [
        payriff::GetOrder::new("O").build_request(&spaced),
        payriff::CreateOrder::purchase(Amount::from_minor(0, Currency::AZN), "r").build_request(&c),
        payriff::CreateOrder::purchase(a, "").build_request(&c),
    ] {
        check!(display "payriff BuildError", e.unwrap_err());
    }
    for (status, body) in BODIES.iter().flat_map(|b| [(200, *b), (500, *b)]).chain([
        (200, &b"{\"code\":\"14010\",\"message\":\"bad key\"}"[..]),
        (
            200,
            &b"{\"code\":\"00000\",\"payload\":{\"orderId\":\"O\",\"paymentStatus\":\"APPROVED\"}}"
                [..],
        ),
    ]) {
        match payriff::GetOrder::new("O").parse_response(&c, response(status, body)) {
            Ok(out) => check!("payriff order", out),
            Err(e) => check!(display "payriff ResponseError", e),
        }
    }
}

#[test]
fn epoint_secret_never_shows() {
    let c = epoint::Config::new("i000000001", EPOINT_SECRET).success_redirect_url("https://s/ok");
    check!("epoint::Config", c);
    let a = Amount::from_minor(1050, Currency::AZN);
    let pay = epoint::Pay::new(a, "1").description("d");
    check!("epoint::Pay", pay);
    check_request("epoint request", &pay.build_request(&c).unwrap(), false);
    check_request(
        "epoint get-status",
        &epoint::GetStatus::by_order_id("1")
            .build_request(&c)
            .unwrap(),
        false,
    );
    let html = epoint::Checkout::new(a, "1").html_form(&c).unwrap();
    assert_clean("checkout form", &html);
    // Build errors.
    for e in [
        epoint::Pay::new(Amount::from_minor(0, Currency::AZN), "1").build_request(&c),
        epoint::Pay::new(a, "").build_request(&c),
        epoint::Refund::new("", Currency::AZN).build_request(&c),
    ] {
        let e = e.unwrap_err();
        check!(display "epoint BuildError", e);
        check!(display "epoint Error", Error::<epoint::ApiError>::Build(e));
    }
    // Parse results and errors of every shape.
    for (status, body) in BODIES.iter().flat_map(|b| [(200, *b), (500, *b)]) {
        match epoint::Pay::new(a, "1").parse_response(&c, response(status, body)) {
            Ok(out) => check!("epoint outcome", out),
            Err(e) => check!(display "epoint ResponseError", e),
        }
        match epoint::GetStatus::by_transaction("t").parse_response(&c, response(status, body)) {
            Ok(out) => check!("epoint status", out),
            Err(e) => check!(display "epoint ResponseError", e),
        }
    }
    // Callbacks: verified, forged, malformed.
    let body = epoint::sign_callback(
        &c,
        &serde_json::json!({"status": "success", "order_id": "1"}),
    );
    check!(
        "epoint Callback",
        epoint::verify_callback(&c, &body).unwrap()
    );
    let mut forged = body.clone();
    forged[6] ^= 2;
    check!(display "forged callback error", epoint::verify_callback(&c, &forged).unwrap_err());
    let not_json = epoint::signature(EPOINT_SECRET, "bm90IGpzb24=");
    let form = form_urlencoded::Serializer::new(String::new())
        .append_pair("data", "bm90IGpzb24=")
        .append_pair("signature", &not_json)
        .finish();
    check!(display "malformed callback error", epoint::verify_callback(&c, form.as_bytes()).unwrap_err());
    check!(display "transport error", Error::<epoint::ApiError>::Transport(TransportError::not_sent(
        azpay_core::TransportErrorKind::Connect,
        "refused"
    )));
}

#[test]
fn kapital_password_never_shows() {
    let c = kapital::Config::new("TerminalSys/kapital", KAPITAL_SECRET)
        .redirect_url("https://shop.example/back");
    check!("kapital::Config", c);
    let a = Amount::from_minor(1050, Currency::AZN);
    let create = kapital::CreateOrder::purchase(a).description("d");
    check!("kapital::CreateOrder", create);
    for req in [
        create.build_request(&c).unwrap(),
        kapital::GetOrder::new(7)
            .detailed()
            .build_request(&c)
            .unwrap(),
        kapital::ExecTran::refund(7, a).build_request(&c).unwrap(),
        kapital::SetSrcToken::stored_card(7, "order-pw", 9)
            .build_request(&c)
            .unwrap(),
    ] {
        check_request("kapital request", &req, true);
        let auth = &req.headers()[http::header::AUTHORIZATION];
        assert!(!format!("{auth:?}").contains("Basic"), "{auth:?}");
    }
    for e in [
        kapital::CreateOrder::purchase(Amount::from_minor(0, Currency::AZN)).build_request(&c),
        kapital::GetOrder::new(0).build_request(&c),
        kapital::GetOrder::new(1).build_request(&kapital::Config::new("a:b", KAPITAL_SECRET)),
        kapital::SetDstToken::card(1, "p", "4169741234567890").build_request(&c),
    ] {
        check!(display "kapital BuildError", e.unwrap_err());
    }
    for (status, body) in BODIES
        .iter()
        .flat_map(|b| [(200, *b), (400, *b), (404, *b), (500, *b)])
    {
        match kapital::GetOrder::new(1).parse_response(&c, response(status, body)) {
            Ok(out) => check!("kapital order", out),
            Err(e) => check!(display "kapital ResponseError", e),
        }
        match kapital::CreateOrder::purchase(a).parse_response(&c, response(status, body)) {
            Ok(out) => check!("kapital created", out),
            Err(e) => check!(display "kapital ResponseError", e),
        }
    }
    // A multi-request flow, formatted at every step.
    let mut flow = kapital::PayWithSavedCard::new(a, 42);
    check!("kapital flow", flow);
    let step = flow.step(&c, None);
    check!("kapital flow step", step);
    let step = flow.step(&c, Some(response(500, b"{}")));
    check!("kapital flow error", step);
    check!("kapital flow after error", flow);
    check!(
        "redirect",
        kapital::parse_redirect("?ID=1&STATUS=FullyPaid").unwrap()
    );
}

#[test]
fn twec_client_key_never_shows() {
    let key = format!("-----BEGIN PRIVATE KEY-----\n{TWEC_SECRET}\n-----END PRIVATE KEY-----\n");
    let id = ClientIdentity::from_pem(
        b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".to_vec(),
        key.into_bytes(),
    )
    .with_ca_pem(b"CA".to_vec());
    check!("ClientIdentity", id);
    check!("ClientIdentity clone", id.clone());
    let c = twec::Config::kapital_test("E1000010")
        .approve_url("https://a")
        .cancel_url("https://c")
        .decline_url("https://d");
    check!("twec::Config", c);
    let a = Amount::from_minor(1050, Currency::AZN);
    check_request(
        "twec request",
        &twec::CreateOrder::purchase(a, "d")
            .build_request(&c)
            .unwrap(),
        false,
    );
    for (status, body) in BODIES.iter().flat_map(|b| [(200, *b), (500, *b)]) {
        match twec::GetOrderStatus::new("1", "S").parse_response(&c, response(status, body)) {
            Ok(out) => check!("twec status", out),
            Err(e) => check!(display "twec ResponseError", e),
        }
    }
    let e: ResponseError<twec::ApiError> = twec::parse_xmlout(b"<x").unwrap_err();
    check!(display "xmlout error", e);
}

/// The `azpay` binary built next to this test (`target/<profile>/azpay`), if any. Running
/// `cargo test --workspace` builds it (the CLI's own tests need it); alone, build it first
/// with `cargo build -p azpay-cli`. Set `AZPAY_REQUIRE_CLI=1` to fail rather than skip when
/// it is missing. (`cli/tests/log_secrets.rs` runs the same kind of check with the binary
/// always built.)
fn azpay_binary() -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?;
    let bin = dir.join(format!("azpay{}", std::env::consts::EXE_SUFFIX));
    if bin.is_file() {
        return Some(bin);
    }
    assert!(
        std::env::var_os("AZPAY_REQUIRE_CLI").is_none(),
        "no azpay binary at {}: run `cargo build -p azpay-cli` first",
        bin.display()
    );
    eprintln!(
        "skipped: no azpay binary at {} (cargo build -p azpay-cli)",
        bin.display()
    );
    None
}

/// Runs `azpay args` with the sandbox's settings, `RUST_LOG` as given and nothing else from
/// the environment; returns (exit ok, stdout, stderr).
fn run_azpay(
    bin: &std::path::Path,
    server: &azpay_sandbox::serve::ServerHandle,
    rust_log: Option<&str>,
    args: &[&str],
) -> (bool, String, String) {
    let mut cmd = std::process::Command::new(bin);
    for (var, _) in std::env::vars() {
        if var.starts_with("EPOINT_")
            || var.starts_with("KAPITAL_")
            || var.starts_with("TWEC_")
            || var == "RUST_LOG"
        {
            cmd.env_remove(var);
        }
    }
    for line in server.env_lines() {
        let (k, v) = line.split_once('=').unwrap();
        cmd.env(k, v);
    }
    if let Some(filter) = rust_log {
        cmd.env("RUST_LOG", filter);
    }
    let out = cmd.args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_cli_logging_at_trace_shows_no_secret() {
    let Some(bin) = azpay_binary() else {
        return;
    };
    let mut config = azpay_sandbox::SandboxConfig::default();
    config.kapital_username = "TerminalSys/kapital".to_owned();
    config.kapital_password = KAPITAL_SECRET.to_owned();
    config.epoint_public_key = "i000000042".to_owned();
    config.epoint_private_key = EPOINT_SECRET.to_owned();
    let server = azpay_sandbox::serve::serve(
        config,
        azpay_sandbox::serve::ServeOptions::new("127.0.0.1:0".parse().unwrap()),
    )
    .unwrap();

    // Kapital: Basic credentials on every request.
    let kapital = [
        "kapital",
        "create-order",
        "--amount",
        "1",
        "--currency",
        "AZN",
        "--description",
        "secrets-test",
    ];
    let (ok, stdout, stderr) = run_azpay(&bin, &server, Some("trace"), &kapital);
    assert!(ok, "{stdout}{stderr}");
    assert!(stderr.contains("azpay.request"), "no log lines: {stderr}");
    assert!(stderr.contains("azpay.response"), "no log lines: {stderr}");
    assert_clean("azpay kapital stdout", &stdout);
    assert_clean("azpay kapital stderr", &stderr);
    assert!(!stderr.contains("Basic "), "{stderr}");

    // EPoint: the private key signs the request; neither it nor the signature shows.
    let epoint = [
        "epoint",
        "pay",
        "--amount",
        "1",
        "--currency",
        "AZN",
        "--order-id",
        "secrets-1",
    ];
    let mut dry = vec!["--dry-run"];
    dry.extend(epoint);
    let (ok, stdout, stderr) = run_azpay(&bin, &server, None, &dry);
    assert!(ok, "{stdout}{stderr}");
    let dry: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let signature = form_urlencoded::parse(dry["body"].as_str().unwrap().as_bytes())
        .find(|(k, _)| k == "signature")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let (ok, stdout, stderr) = run_azpay(&bin, &server, Some("trace"), &epoint);
    assert!(ok, "{stdout}{stderr}");
    assert!(stderr.contains("azpay.request"), "no log lines: {stderr}");
    for (what, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        assert_clean(what, text);
        assert!(
            !text.contains(&signature),
            "{what} shows the signature: {text}"
        );
        let encoded: String = form_urlencoded::byte_serialize(signature.as_bytes()).collect();
        assert!(
            !text.contains(&encoded),
            "{what} shows the signature: {text}"
        );
    }
    server.shutdown();
}
