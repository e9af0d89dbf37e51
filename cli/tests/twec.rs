//! `azpay twec ...` driven as a real binary: dry-run bodies to the byte, exit codes, the
//! configuration variables, parse-xmlout's warning, and sending to a local HTTP server.

use std::path::PathBuf;

use assert_cmd::Command;
use azpay_test_support::tls_server as tls;
use predicates::prelude::*;

/// A throwaway self-signed test certificate and key (P-256), for tests only.
const TEST_CERT: &str = "-----BEGIN CERTIFICATE-----
MIIBnDCCAUOgAwIBAgIUPpkNSyxJKgpqxMWUzKDetMmI0YowCgYIKoZIzj0EAwIw
IzEhMB8GA1UEAwwYYXpwYXkgdHdlYyB0ZXN0IG1lcmNoYW50MCAXDTI2MTEyMzE1
MDQxMVoYDzIxMjYxMDMwMTUwNDExWjAjMSEwHwYDVQQDDBhhenBheSB0d2VjIHRl
c3QgbWVyY2hhbnQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASQuL7M1hCe/MSE
S68Nj48JkPPfcY2g6EEJjtjFH/eLB6ejAX5iNXGEV0F1OMvtZRsDvt4idDxPkKiA
G3n4Ls1Fo1MwUTAdBgNVHQ4EFgQU6G2I38ci+C0h82igcaXdnqDAU8swHwYDVR0j
BBgwFoAU6G2I38ci+C0h82igcaXdnqDAU8swDwYDVR0TAQH/BAUwAwEB/zAKBggq
hkjOPQQDAgNHADBEAiBYt081D0r0z2UpUuaPh5kfmhZcKbU2vDrKL/8tM8UB5AIg
KhhDA6akDBpTOD3pNphUGRYbdUaJ/mGC3IK15OV7cqg=
-----END CERTIFICATE-----
";
const TEST_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgz61/FcGrwtIkEPSF
CZA8fTqmEuFlO+g497hnclpmHTKhRANCAASQuL7M1hCe/MSES68Nj48JkPPfcY2g
6EEJjtjFH/eLB6ejAX5iNXGEV0F1OMvtZRsDvt4idDxPkKiAG3n4Ls1F
-----END PRIVATE KEY-----
";

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../core/tests/fixtures/twec/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `azpay` with a clean environment holding only the given TWEC variables.
fn azpay(vars: &[(&str, &str)]) -> Command {
    let mut cmd = Command::cargo_bin("azpay").unwrap();
    cmd.env_clear();
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd
}

/// The words of a command line (none of the arguments here has a space in it).
fn words(line: &str) -> std::str::SplitWhitespace<'_> {
    line.split_whitespace()
}

const BASE: &[(&str, &str)] = &[
    ("TWEC_MERCHANT_ID", "E1000010"),
    ("TWEC_APPROVE_URL", "https://shop.example/ok"),
    ("TWEC_CANCEL_URL", "https://shop.example/cancel"),
    ("TWEC_DECLINE_URL", "https://shop.example/fail"),
];

fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = BASE.to_vec();
    v.extend_from_slice(extra);
    v
}

fn dry_run(
    vars: &[(&str, &str)],
    args: impl IntoIterator<Item = impl AsRef<std::ffi::OsStr>>,
) -> serde_json::Value {
    let out = azpay(vars)
        .arg("--dry-run")
        .arg("twec")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn dry_run_create_order_exact_request_without_any_certificate() {
    let v = dry_run(
        BASE,
        [
            "create-order",
            "--amount",
            "10.50",
            "--description",
            "Çay & <şəkər>",
        ],
    );
    assert_eq!(
        v,
        serde_json::json!({
            "method": "POST",
            "url": "https://tstpg.kapitalbank.az:5443/Exec",
            "headers": {"content-type": "application/xml; charset=utf-8"},
            "body": format!("{XML_DECL}<TKKPG><Request><Operation>CreateOrder</Operation><Language>EN</Language>\
                <Order><OrderType>Purchase</OrderType><Merchant>E1000010</Merchant><Amount>1050</Amount>\
                <Currency>944</Currency><Description>Çay &amp; &lt;şəkər&gt;</Description>\
                <ApproveURL>https://shop.example/ok</ApproveURL><CancelURL>https://shop.example/cancel</CancelURL>\
                <DeclineURL>https://shop.example/fail</DeclineURL></Order></Request></TKKPG>"),
        })
    );
}

#[test]
fn dry_run_preauth_other_base_url_and_language() {
    let vars = with(&[
        ("TWEC_BASE_URL", "https://3dsrv.kapitalbank.az:5443/Exec"),
        ("TWEC_LANGUAGE", "az"),
    ]);
    let v = dry_run(
        &vars,
        words("create-order --amount 30 --currency AZN --description x --preauth"),
    );
    assert_eq!(v["url"], "https://3dsrv.kapitalbank.az:5443/Exec");
    let body = v["body"].as_str().unwrap();
    assert!(body.contains("<Language>AZ</Language>"), "{body}");
    assert!(body.contains("<OrderType>PreAuth</OrderType>"), "{body}");
    assert!(
        body.contains("<Amount>3000</Amount><Currency>944</Currency>"),
        "{body}"
    );
}

#[test]
fn dry_run_status_and_info() {
    let v = dry_run(
        BASE,
        ["status", "--order-id", "86166", "--session-id", "4195BE06"],
    );
    assert_eq!(
        v["body"],
        format!("{XML_DECL}<TKKPG><Request><Operation>GetOrderStatus</Operation><Language>EN</Language>\
                 <Order><Merchant>E1000010</Merchant><OrderID>86166</OrderID></Order>\
                 <SessionID>4195BE06</SessionID></Request></TKKPG>")
    );
    let v = dry_run(
        &[("TWEC_MERCHANT_ID", "E1000010")],
        words("info --order-id 1 --session-id S --show-params"),
    );
    assert!(v["body"]
        .as_str()
        .unwrap()
        .ends_with("<SessionID>S</SessionID><ShowParams>true</ShowParams></Request></TKKPG>"));
}

#[test]
fn dry_run_refund_kapital_and_generic_forms() {
    let v = dry_run(
        BASE,
        words("refund --order-id 7 --session-id S --amount 1.5 --tran-id 2292054"),
    );
    assert_eq!(
        v["body"],
        format!("{XML_DECL}<TKKPG><Request><Operation>Refund</Operation><Language>EN</Language><Order>\
                 <Merchant>E1000010</Merchant><OrderID>7</OrderID><Positions><Position>\
                 <PaymentSubjectType>1</PaymentSubjectType><Quantity>1</Quantity><Price>1</Price><Tax>1</Tax>\
                 <Text>name position</Text><PaymentType>2</PaymentType><PaymentMethodType>1</PaymentMethodType>\
                 </Position></Positions></Order><Description>Refund of order 7</Description><SessionID>S</SessionID><Refund>\
                 <Amount>150</Amount><Currency>944</Currency><WithFee>false</WithFee></Refund>\
                 <TranId>2292054</TranId><Source>1</Source></Request></TKKPG>")
    );
    let vars = with(&[
        ("TWEC_FORM", "generic"),
        ("TWEC_LANGUAGE", "ru"),
        ("TWEC_LANGUAGE_CASE", "lower"),
    ]);
    let v = dry_run(
        &vars,
        words("refund --order-id 7 --session-id S --amount 1.5 --currency RUB"),
    );
    assert_eq!(
        v["body"],
        format!("{XML_DECL}<TKKPG><Request><Operation>Refund</Operation><Language>ru</Language><Order>\
                 <Merchant>E1000010</Merchant><OrderID>7</OrderID></Order><SessionID>S</SessionID><Refund>\
                 <Amount>150</Amount><Currency>643</Currency></Refund></Request></TKKPG>")
    );
    let v = dry_run(
        &vars,
        words("reverse --order-id 7 --session-id S --amount 2 --currency RUB"),
    );
    assert!(v["body"]
        .as_str()
        .unwrap()
        .ends_with("</Order><Amount>200</Amount><SessionID>S</SessionID></Request></TKKPG>"));
}

#[test]
fn dry_run_kapital_refund_without_tran_id_asks_for_the_two_id_first() {
    // Seed 001: Kapital's refund needs the TwoId. Without --tran-id the first request is
    // GetOrderInformation (the flow then refunds with the TwoId it finds).
    let v = dry_run(
        BASE,
        words("refund --order-id 7 --session-id S --amount 1.5"),
    );
    assert_eq!(
        v["body"],
        format!(
            "{XML_DECL}<TKKPG><Request><Operation>GetOrderInformation</Operation>\
                 <Language>EN</Language><Order><Merchant>E1000010</Merchant><OrderID>7</OrderID>\
                 </Order><SessionID>S</SessionID></Request></TKKPG>"
        )
    );
    // Reverse sends a default Description and no empty TranId.
    let v = dry_run(BASE, words("reverse --order-id 7 --session-id S"));
    assert!(v["body"].as_str().unwrap().ends_with(
        "</Order><Description>Reverse of order 7</Description><SessionID>S</SessionID>\
         <Source>1</Source></Request></TKKPG>"
    ));
    // Kapital takes 944 only: another currency is bad input naming Currency (exit 2).
    azpay(BASE)
        .args([
            "--dry-run",
            "twec",
            "create-order",
            "--amount",
            "1",
            "--currency",
            "USD",
        ])
        .args(["--description", "d"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Currency").and(predicate::str::contains("944")));
}

#[test]
fn dry_run_complete() {
    let v = dry_run(
        BASE,
        words("complete --order-id 123 --session-id S --amount 10 --description capture"),
    );
    assert_eq!(
        v["body"],
        format!("{XML_DECL}<TKKPG><Request><Operation>Completion</Operation><Language>EN</Language>\
                 <Order><Merchant>E1000010</Merchant><OrderID>123</OrderID></Order><SessionID>S</SessionID>\
                 <Amount>1000</Amount><Description>capture</Description></Request></TKKPG>")
    );
}

fn usage_error(
    vars: &[(&str, &str)],
    args: impl IntoIterator<Item = impl AsRef<std::ffi::OsStr>>,
    needle: &str,
) {
    azpay(vars)
        .args(args)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(needle).and(predicate::str::contains('\n').count(1)));
}

#[test]
fn bad_input_exits_2_naming_the_flag() {
    for amount in ["abc", "-1", "1.234", "", "1e3"] {
        usage_error(
            BASE,
            [
                "--dry-run",
                "twec",
                "create-order",
                "--amount",
                amount,
                "--description",
                "d",
            ],
            "--amount",
        );
    }
    usage_error(
        BASE,
        words("--dry-run twec create-order --amount 1 --currency XXX --description d"),
        "--currency",
    );
    usage_error(
        BASE,
        words("--dry-run twec refund --order-id 1 --session-id S --amount 0.001"),
        "--amount",
    );
    usage_error(
        BASE,
        [
            "--dry-run",
            "twec",
            "create-order",
            "--amount",
            "1",
            "--description",
            "bell\u{7}",
        ],
        "Description",
    );
    usage_error(
        BASE,
        [
            "--dry-run",
            "twec",
            "status",
            "--order-id",
            "",
            "--session-id",
            "S",
        ],
        "OrderID",
    );
    usage_error(
        BASE,
        words("--dry-run twec reverse --order-id 1 --session-id S --amount 1"),
        "--amount",
    );
    usage_error(
        &with(&[("TWEC_LANGUAGE", "de")]),
        words("--dry-run twec status --order-id 1 --session-id S"),
        "TWEC_LANGUAGE",
    );
    usage_error(
        &with(&[("TWEC_FORM", "odd")]),
        words("--dry-run twec status --order-id 1 --session-id S"),
        "TWEC_FORM",
    );
    usage_error(
        &[("TWEC_MERCHANT_ID", "E1")],
        words("--dry-run twec create-order --amount 1 --description d"),
        "TWEC_APPROVE_URL",
    );
}

#[test]
fn missing_merchant_id_exits_2() {
    for dry in [true, false] {
        let mut args = vec![];
        if dry {
            args.push("--dry-run");
        }
        args.extend(["twec", "status", "--order-id", "1", "--session-id", "S"]);
        usage_error(&[], &args, "TWEC_MERCHANT_ID");
    }
}

fn temp_file(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("azpay-twec-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn certificates_are_needed_to_send_and_must_be_readable() {
    let args = ["twec", "status", "--order-id", "1", "--session-id", "S"];
    let cert = temp_file("ok.crt", TEST_CERT);
    let key = temp_file("ok.key", TEST_KEY);
    let cert = cert.to_str().unwrap();
    let key = key.to_str().unwrap();
    // Not set at all: says which, and points at the sandbox.
    usage_error(BASE, args, "TWEC_CLIENT_CERT");
    let mut vars = BASE.to_vec();
    vars.push(("TWEC_CLIENT_CERT", cert));
    usage_error(&vars, args, "TWEC_CLIENT_KEY");
    // Unreadable: one line naming the variable and the path.
    let missing = "/nonexistent/azpay/client.pem";
    let mut vars = BASE.to_vec();
    vars.extend([("TWEC_CLIENT_CERT", missing), ("TWEC_CLIENT_KEY", key)]);
    usage_error(&vars, args, &format!("TWEC_CLIENT_CERT={missing}"));
    let mut vars = BASE.to_vec();
    vars.extend([("TWEC_CLIENT_CERT", cert), ("TWEC_CLIENT_KEY", missing)]);
    usage_error(&vars, args, &format!("TWEC_CLIENT_KEY={missing}"));
    let mut vars = BASE.to_vec();
    vars.extend([
        ("TWEC_CLIENT_CERT", cert),
        ("TWEC_CLIENT_KEY", key),
        ("TWEC_CA_CERT", missing),
    ]);
    usage_error(&vars, args, &format!("TWEC_CA_CERT={missing}"));
    // Readable but not PEM.
    let junk = temp_file("junk.pem", "not a certificate");
    let mut vars = BASE.to_vec();
    vars.extend([
        ("TWEC_CLIENT_CERT", junk.to_str().unwrap()),
        ("TWEC_CLIENT_KEY", key),
    ]);
    usage_error(&vars, args, "not a PEM file");
    // The key's content never shows up, whatever happens.
    let out = azpay(&vars).args(args).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("MIGHAgEA"));
    // With --dry-run, unreadable certificates do not matter.
    let mut vars = BASE.to_vec();
    vars.extend([("TWEC_CLIENT_CERT", missing), ("TWEC_CLIENT_KEY", missing)]);
    azpay(&vars).arg("--dry-run").args(args).assert().success();
}

#[test]
fn parse_xmlout_says_unverified() {
    azpay(&[])
        .args(["twec", "parse-xmlout"])
        .write_stdin(fixture("xmlout_kapital_constructed.form"))
        .assert()
        // Unverified is undecided, whatever the message claims: exit 5.
        .code(5)
        .stdout(
            predicate::str::contains("UNVERIFIED")
                .and(predicate::str::contains("azpay twec status"))
                .and(predicate::str::contains("order_id: 15859914"))
                .and(predicate::str::contains(
                    "session_id: 02447E3150B781C426638A03706030A5",
                ))
                .and(predicate::str::contains(
                    "unverified_order_status: APPROVED",
                ))
                .and(predicate::str::contains("verified: false"))
                .and(predicate::str::contains("two_id: 2292054")),
        );
    let out = azpay(&[])
        .args(["--json", "twec", "parse-xmlout"])
        .write_stdin(fixture("xmlout_tdb_signed.b64"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["state"], "pending");
    assert_eq!(v["verified"], false);
    assert_eq!(v["order_id"], "ABCD:123456");
    assert_eq!(v["unverified_order_status"], "APPROVED");
    assert!(v["warning"].as_str().unwrap().contains("UNVERIFIED"));
    assert!(v.get("order_status").is_none());
    // Not a message: exit 1, one line, nothing on stdout.
    azpay(&[])
        .args(["twec", "parse-xmlout"])
        .write_stdin("<!DOCTYPE x [<!ENTITY a 'b'>]><Message/>")
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("DOCTYPE"));
}

/// Environment variables, in order.
type Vars = Vec<(String, String)>;

/// A mutual-TLS gateway on 127.0.0.1 (TWEC base URLs are always `https`) that serves one
/// exchange: returns the variables pointing `azpay` at it (URL, client certificate and key,
/// the test CA) and a handle yielding the raw request (head, body).
fn serve_once(response_body: &'static str) -> (Vars, std::thread::JoinHandle<(String, String)>) {
    let pki = tls::Pki::new();
    let reply = tls::response(
        "200 OK",
        "Content-Type: text/xml\r\n",
        response_body.as_bytes(),
    );
    let (addr, server) = tls::tls_server_replying(pki.server_config(), 1, reply);
    let url = format!("https://127.0.0.1:{}/Exec", addr.port());
    let tag = format!("{}", addr.port());
    let cert = temp_file(&format!("send-{tag}.crt"), &pki.client_ec_cert_pem);
    let key = temp_file(&format!("send-{tag}.key"), tls::EC_PKCS8);
    let ca = temp_file(&format!("send-{tag}-ca.crt"), &pki.ca.cert_pem);
    let mut v: Vec<(String, String)> = BASE
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    v.push(("TWEC_BASE_URL".into(), url));
    v.push(("TWEC_CLIENT_CERT".into(), path_text(&cert)));
    v.push(("TWEC_CLIENT_KEY".into(), path_text(&key)));
    v.push(("TWEC_CA_CERT".into(), path_text(&ca)));
    let handle = std::thread::spawn(move || {
        let outcomes = server.join().unwrap();
        match outcomes.into_iter().next() {
            Some(tls::TlsOutcome::Served(r)) => {
                let mut head = format!("{} {} HTTP/1.1\r\n", r.method, r.target);
                for (k, v) in &r.headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                (head, String::from_utf8(r.body).unwrap())
            }
            other => panic!("no request served: {other:?}"),
        }
    });
    (v, handle)
}

fn path_text(p: &std::path::Path) -> String {
    p.to_string_lossy().into_owned()
}

fn azpay_owned(vars: &[(String, String)]) -> Command {
    let mut cmd = Command::cargo_bin("azpay").unwrap();
    cmd.env_clear();
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd
}

#[test]
fn sends_status_and_prints_the_outcome() {
    let (vars, server) = serve_once(
        "<TKKPG><Response><Operation>GetOrderStatus</Operation><Status>00</Status>\
         <Order><OrderID>86166</OrderID><OrderStatus>APPROVED</OrderStatus></Order></Response></TKKPG>",
    );
    azpay_owned(&vars)
        .args([
            "--json",
            "twec",
            "status",
            "--order-id",
            "86166",
            "--session-id",
            "S1",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("\"order_status\":\"APPROVED\"")
                .and(predicate::str::contains("\"state\":\"done\"")),
        );
    let (head, body) = server.join().unwrap();
    assert!(head.starts_with("POST /Exec HTTP/1.1\r\n"), "{head}");
    assert!(head
        .to_ascii_lowercase()
        .contains("content-type: application/xml; charset=utf-8\r\n"));
    assert_eq!(
        body,
        format!("{XML_DECL}<TKKPG><Request><Operation>GetOrderStatus</Operation><Language>EN</Language>\
                 <Order><Merchant>E1000010</Merchant><OrderID>86166</OrderID></Order>\
                 <SessionID>S1</SessionID></Request></TKKPG>")
    );
}

#[test]
fn a_declined_order_exits_3() {
    let (vars, server) = serve_once(
        "<TKKPG><Response><Status>00</Status><Order><OrderID>9</OrderID>\
         <OrderStatus>DECLINED</OrderStatus></Order></Response></TKKPG>",
    );
    azpay_owned(&vars)
        .args(["twec", "status", "--order-id", "9", "--session-id", "S"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("order_status: DECLINED"));
    server.join().unwrap();
}

#[test]
fn a_gateway_status_error_exits_1_with_its_meaning() {
    let (vars, server) = serve_once(
        "<TKKPG><Response><Operation>CreateOrder</Operation><Status>30</Status></Response></TKKPG>",
    );
    azpay_owned(&vars)
        .args([
            "twec",
            "create-order",
            "--amount",
            "1",
            "--description",
            "d",
        ])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("Status 30")
                .and(predicate::str::contains("wrong message format")),
        );
    server.join().unwrap();
}

#[test]
fn create_order_prints_the_payment_url() {
    let (vars, server) = serve_once(
        "<TKKPG><Response><Operation>CreateOrder</Operation><Status>00</Status><Order><OrderID>86166</OrderID>\
         <SessionID>4195BE06C8BC8BBDA9CF1B55FD403E24</SessionID><URL>https://tstpg.kapitalbank.az/index.jsp</URL>\
         </Order></Response></TKKPG>",
    );
    azpay_owned(&vars)
        .args(["twec", "create-order", "--amount", "12.34", "--description", "d"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "payment_url: https://tstpg.kapitalbank.az/index.jsp?ORDERID=86166&SESSIONID=4195BE06C8BC8BBDA9CF1B55FD403E24",
        ));
    let (_, body) = server.join().unwrap();
    assert!(body.contains("<Amount>1234</Amount>"), "{body}");
}

// ---- the exit-code table against the sandbox (issue 12) ---------------------------------------

/// The sandbox served in this process (HTTPS with mutual TLS for TWEC), and the variables
/// that point `azpay` at it.
struct Gw {
    env: azpay_test_support::e2e::Env,
    vars: Vars,
}

/// What one `azpay --json twec …` run gave: exit code, stdout as JSON (or Null), stderr.
struct Run {
    code: i32,
    json: serde_json::Value,
    stdout: String,
    stderr: String,
}

impl Gw {
    fn start() -> Gw {
        let env = azpay_test_support::e2e::Env::start();
        let mut vars: Vars = env
            .server
            .env_lines()
            .into_iter()
            .filter(|l| l.starts_with("TWEC_"))
            .map(|l| {
                let (k, v) = l.split_once('=').unwrap();
                (k.to_owned(), v.to_owned())
            })
            .collect();
        for (k, page) in [
            ("TWEC_APPROVE_URL", "approve"),
            ("TWEC_CANCEL_URL", "cancel"),
            ("TWEC_DECLINE_URL", "decline"),
        ] {
            vars.push((k.to_owned(), format!("{}/?shop={page}", env.base())));
        }
        Gw { env, vars }
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = azpay_owned(&self.vars)
            .arg("--json")
            .arg("twec")
            .args(args)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        Run {
            code: out.status.code().unwrap_or(-1),
            json: serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null),
            stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `create-order`; returns (OrderID, SessionID).
    fn create(&self, amount: &str, preauth: bool) -> (String, String) {
        let mut args = vec![
            "create-order",
            "--amount",
            amount,
            "--description",
            "exit table",
        ];
        if preauth {
            args.push("--preauth");
        }
        let r = self.run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(r.json["state"], "done");
        (
            r.json["order_id"].as_str().unwrap().to_owned(),
            r.json["session_id"].as_str().unwrap().to_owned(),
        )
    }

    fn paid(&self, amount: &str, preauth: bool) -> (String, String) {
        let (id, session) = self.create(amount, preauth);
        self.env.pay_hosted(
            azpay_sandbox::Gateway::Twec,
            &id,
            azpay_sandbox::cards::TWEC,
        );
        (id, session)
    }

    /// Runs `command` on the order, expecting `code`; returns the run.
    fn expect(&self, code: i32, command: &str, order: &(String, String), extra: &[&str]) -> Run {
        let mut args = vec![
            command,
            "--order-id",
            order.0.as_str(),
            "--session-id",
            order.1.as_str(),
        ];
        args.extend_from_slice(extra);
        let r = self.run(&args);
        assert_eq!(
            r.code, code,
            "azpay twec {args:?}\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        r
    }

    fn drop_next_answer(&self) {
        self.env
            .server
            .fault_next(azpay_sandbox::fault::FaultKind::Reset, 1);
    }
}

#[test]
fn exit_codes_of_status_and_info_follow_the_outcome_table() {
    let gw = Gw::start();
    // 5: CREATED, then ON-PAYMENT while the payment page is open.
    let created = gw.create("10", false);
    let r = gw.expect(5, "status", &created, &[]);
    assert_eq!(r.json["order_status"], "CREATED");
    assert_eq!(r.json["state"], "pending");
    assert!(
        r.stderr.contains("pending") && r.stderr.contains("CREATED"),
        "{}",
        r.stderr
    );
    gw.expect(5, "info", &created, &[]);
    let page = http::Request::get(format!(
        "{}/twec/index.jsp?ORDERID={}&SESSIONID={}",
        gw.env.base(),
        created.0,
        created.1
    ))
    .body(Vec::new())
    .unwrap();
    let shown = gw.env.server.with_sandbox(|sb| sb.handle(&page));
    assert_eq!(shown.status(), 200);
    let r = gw.expect(5, "status", &created, &[]);
    assert_eq!(r.json["order_status"], "ON-PAYMENT");
    // 0: paid.
    let paid = gw.paid("10", false);
    let r = gw.expect(0, "status", &paid, &[]);
    assert_eq!(
        (r.json["state"].as_str(), r.json["order_status"].as_str()),
        (Some("done"), Some("APPROVED"))
    );
    let r = gw.expect(0, "info", &paid, &[]);
    assert_eq!(r.json["state"], "done");
    assert!(r.json["two_id"].is_string());
    // 3: declined.
    let (id, session) = gw.create("10", false);
    gw.env.pay_hosted(
        azpay_sandbox::Gateway::Twec,
        &id,
        azpay_sandbox::cards::DECLINE,
    );
    let declined = (id, session);
    let r = gw.expect(3, "status", &declined, &[]);
    assert_eq!(r.json["state"], "declined");
    gw.expect(3, "info", &declined, &[]);
    // 5: a status word azpay does not know.
    let unknown = gw.paid("70.07", false);
    let r = gw.expect(5, "status", &unknown, &[]);
    assert_eq!(r.json["order_status"], "ON-HOLD");
    gw.expect(5, "info", &unknown, &[]);
    // 6: refunded in full, and reversed.
    let refunded = gw.paid("10", false);
    gw.expect(0, "refund", &refunded, &["--amount", "10"]);
    let r = gw.expect(6, "status", &refunded, &[]);
    assert_eq!(r.json["order_status"], "REFUNDED");
    assert_eq!(r.json["state"], "returned");
    gw.expect(6, "info", &refunded, &[]);
    let reversed = gw.paid("10", true);
    gw.expect(0, "reverse", &reversed, &[]);
    let r = gw.expect(6, "status", &reversed, &[]);
    assert_eq!(r.json["order_status"], "REVERSED");
    // 1: the gateway refuses (unknown order: Status 10); 2: bad input, nothing sent.
    let r = gw.expect(1, "status", &(String::from("1"), String::from("NOPE")), &[]);
    assert!(r.stderr.contains("Status 10"), "{}", r.stderr);
    gw.expect(2, "status", &(String::from(""), String::from("S")), &[]);
}

#[test]
fn exit_codes_of_refund_follow_the_outcome_table() {
    let gw = Gw::start();
    // 0: with the TwoId given, and without it (GetOrderInformation first).
    let paid = gw.paid("10", false);
    let info = gw.expect(0, "info", &paid, &[]);
    let two_id = info.json["two_id"].as_str().unwrap().to_owned();
    let r = gw.expect(0, "refund", &paid, &["--amount", "2", "--tran-id", &two_id]);
    assert_eq!(r.json["state"], "done");
    assert_eq!(r.json["operation"], "Refund");
    let r = gw.expect(0, "refund", &paid, &["--amount", "3"]);
    assert_eq!(r.json["state"], "done");
    let executed = |op: &str| {
        gw.env
            .server
            .with_sandbox(|sb| sb.executed(azpay_sandbox::Gateway::Twec, op))
    };
    assert_eq!(executed("Refund"), 2);
    // 1: the TwoId-less order: refused clearly after GetOrderInformation, nothing refunded.
    let no_two_id = gw.paid("13.13", false);
    let r = gw.expect(1, "refund", &no_two_id, &["--amount", "1"]);
    assert!(
        r.stderr.contains("TwoId") && r.stderr.contains("could not be found"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("get-order-information"), "{}", r.stderr);
    assert_eq!(executed("Refund"), 2, "no refund was sent");
    // 2: bad input (nothing sent).
    gw.expect(2, "refund", &paid, &["--amount", "abc"]);
    gw.expect(2, "refund", &paid, &["--amount", "1", "--currency", "USD"]);
    // 3: the host declines (Kapital's 205: no funds on the merchant's account).
    let no_funds = gw.paid("20.05", false);
    let r = gw.expect(3, "refund", &no_funds, &["--amount", "1"]);
    assert_eq!(r.json["state"], "declined");
    assert!(r.stderr.contains("205"), "{}", r.stderr);
    // 4: an HTML 500 after the refund was carried out; a connection dropped after sending.
    let html = gw.paid("50.05", false);
    let r = gw.expect(4, "refund", &html, &["--amount", "1"]);
    assert!(
        r.stderr.contains("check the status before trying again"),
        "{}",
        r.stderr
    );
    let dropped = gw.paid("10", false);
    let info = gw.expect(0, "info", &dropped, &[]);
    let two_id = info.json["two_id"].as_str().unwrap().to_owned();
    gw.drop_next_answer();
    let r = gw.expect(
        4,
        "refund",
        &dropped,
        &["--amount", "1", "--tran-id", &two_id],
    );
    assert!(
        r.stderr.contains("check the status before trying again"),
        "{}",
        r.stderr
    );
    // 1: the gateway refuses (a created order cannot be refunded: Status 54).
    let created = gw.create("10", false);
    gw.expect(1, "refund", &created, &["--amount", "1", "--tran-id", "1"]);
}

#[test]
fn exit_codes_of_reverse_and_complete_follow_the_outcome_table() {
    let gw = Gw::start();
    // 0
    let held = gw.paid("10", true);
    let r = gw.expect(0, "complete", &held, &["--amount", "10"]);
    assert_eq!(r.json["state"], "done");
    assert!(
        r.json["details"].to_string().contains("&F1000#&C944#&R01#"),
        "{}",
        r.stdout
    );
    let held = gw.paid("10", true);
    let r = gw.expect(0, "reverse", &held, &[]);
    assert_eq!(r.json["state"], "done");
    assert_eq!(r.json["response_code"], "001");
    // 1: the gateway refuses (nothing held: Status 54).
    let created = gw.create("10", false);
    gw.expect(1, "complete", &created, &["--amount", "10"]);
    gw.expect(1, "reverse", &created, &[]);
    // 2: bad input.
    gw.expect(2, "complete", &created, &["--amount", "-1"]);
    gw.expect(2, "reverse", &created, &["--amount", "1"]);
    // 4: HTML 500 after the action; connection dropped after sending.
    for command in ["complete", "reverse"] {
        let html = gw.paid("50.05", true);
        let extra: &[&str] = if command == "complete" {
            &["--amount", "50.05"]
        } else {
            &[]
        };
        let r = gw.expect(4, command, &html, extra);
        assert!(
            r.stderr.contains("check the status before trying again"),
            "{}",
            r.stderr
        );
        let held = gw.paid("10", true);
        let extra: &[&str] = if command == "complete" {
            &["--amount", "10"]
        } else {
            &[]
        };
        gw.drop_next_answer();
        gw.expect(4, command, &held, extra);
    }
}

#[test]
fn create_order_html_is_an_auto_submitting_post_form() {
    let gw = Gw::start();
    let out = azpay_owned(&gw.vars)
        .args([
            "twec",
            "create-order",
            "--amount",
            "5",
            "--description",
            "d",
            "--html",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout).unwrap();
    let url = format!("{}/twec/index.jsp", gw.env.base());
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(
        html.contains(&format!("<form method=\"post\" action=\"{url}\">")),
        "{html}"
    );
    assert!(
        html.contains("<input type=\"hidden\" name=\"ORDERID\" value=\""),
        "{html}"
    );
    assert!(html.contains("name=\"SESSIONID\""), "{html}");
    assert!(html.contains("document.forms[0].submit()"), "{html}");
    // The gateway's page takes the POST.
    let id = html
        .split("name=\"ORDERID\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let session = html
        .split("name=\"SESSIONID\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let post = http::Request::post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("ORDERID={id}&SESSIONID={session}").into_bytes())
        .unwrap();
    let page = gw.env.server.with_sandbox(|sb| sb.handle(&post));
    // The page knows the order and its session (404 unknown order, 403 wrong session).
    assert!(
        ![403, 404].contains(&page.status().as_u16()),
        "{}",
        String::from_utf8_lossy(page.body())
    );
}

#[test]
fn a_signed_base64_xmlout_from_the_sandbox_is_still_unverified() {
    use azpay_sandbox::{
        Card, CardAction, Gateway, Redirect, Sandbox, SandboxConfig, TwecSettings,
    };
    // Some banks send xmlmsg base64-encoded and XML-signed: azpay still treats it as a claim.
    let mut sb = Sandbox::new(
        SandboxConfig::default().with_twec(
            TwecSettings::default()
                .xmlout_base64(true)
                .xmlout_signed(true),
        ),
    );
    let create = http::Request::post("http://sandbox.test/Exec")
        .body(
            b"<TKKPG><Request><Operation>CreateOrder</Operation><Language>EN</Language><Order>\
              <OrderType>Purchase</OrderType><Merchant>E1000010</Merchant><Amount>600000</Amount>\
              <Currency>944</Currency><Description>d</Description><ApproveURL>https://s/ok</ApproveURL>\
              </Order></Request></TKKPG>"
                .to_vec(),
        )
        .unwrap();
    let created = String::from_utf8(sb.handle(&create).into_body()).unwrap();
    let id = created
        .split("<OrderID>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    let outcome = sb
        .complete_payment(
            Gateway::Twec,
            id,
            &CardAction::Pay(Card::new(azpay_sandbox::cards::TWEC)),
        )
        .unwrap();
    let Redirect::PostForm { fields, .. } = outcome.redirect else {
        panic!("{outcome:?}")
    };
    let form = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .finish();
    assert!(!form.contains("%3CMessage"), "base64, not XML: {form}");
    let out = azpay(&[])
        .args(["--json", "twec", "parse-xmlout"])
        .write_stdin(form)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["state"], "pending");
    assert_eq!(v["signed"], true);
    assert_eq!(v["verified"], false);
    assert_eq!(v["unverified_order_status"], "APPROVED");
    assert_eq!(v["purchase_amount_minor"], 600000);
    assert!(v["other"].to_string().contains("6 000.00"), "{v}");
}
