//! The bad-input table: hostile flags, variables, base URLs, callback bodies, redirects and
//! `xmlmsg` documents, each run against the real `azpay` binary.
//!
//! Every row must: not panic (no `panicked` on stderr, exit code not 101), finish within a
//! few seconds (the process is killed otherwise, and the row fails), exit with the expected
//! code, and on failure print exactly one line on stderr that names the row's flag, field or
//! variable. Every row's base URLs point at a local TCP listener; it must see no connection,
//! since none of these inputs may make `azpay` send anything. Every row runs under a 256 MiB
//! cap on its data segment (`prlimit --data`, from util-linux): a row that tried to allocate
//! more would abort and fail its exit code.

use std::io::{ErrorKind, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use azpay_test_support::tls_server as tls;

/// How long one row may run.
const ROW_TIMEOUT: Duration = Duration::from_secs(10);

/// The most heap (data segment) one row may use: every input here is small, and parsers are
/// bounded at 1 MiB, so a row needing more than this would be a bug.
const ROW_DATA_LIMIT: &str = "--data=268435456";

/// One row: the arguments, the environment changes (an empty value removes the variable),
/// stdin, the exit code and what the one-line stderr message must name.
struct Row {
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    stdin: Vec<u8>,
    code: i32,
    names: &'static str,
}

fn row(args: &[&str], code: i32, names: &'static str) -> Row {
    Row {
        args: args.iter().map(|s| s.to_string()).collect(),
        env: Vec::new(),
        stdin: Vec::new(),
        code,
        names,
    }
}

fn row_s(args: Vec<String>, code: i32, names: &'static str) -> Row {
    Row {
        args,
        env: Vec::new(),
        stdin: Vec::new(),
        code,
        names,
    }
}

impl Row {
    fn env(mut self, key: &'static str, value: impl Into<String>) -> Row {
        self.env.push((key, value.into()));
        self
    }
    fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Row {
        self.stdin = bytes.into();
        self
    }
}

/// A listener every row's base URLs point at: it must never be connected to.
struct Trap {
    listener: TcpListener,
    port: u16,
}

impl Trap {
    fn new() -> Trap {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        Trap { listener, port }
    }
    /// The connections made since the last call.
    fn connections(&self) -> usize {
        let mut n = 0;
        loop {
            match self.listener.accept() {
                Ok(_) => n += 1,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return n,
                Err(e) => panic!("accept: {e}"),
            }
        }
    }
}

/// The client certificate, key and CA of a test PKI, written to files, so that a TWEC row
/// gets past the transport set-up and fails (or not) on its own input.
fn pem_files() -> (PathBuf, PathBuf, PathBuf) {
    let pki = tls::Pki::new();
    let dir = std::env::temp_dir().join(format!("azpay-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    (
        write("client.crt", &pki.client_ec_cert_pem),
        write("client.key", tls::EC_PKCS8),
        write("ca.crt", &pki.ca.cert_pem),
    )
}

fn base_env(port: u16, pems: &(PathBuf, PathBuf, PathBuf)) -> Vec<(&'static str, String)> {
    let path = |p: &PathBuf| p.to_string_lossy().into_owned();
    vec![
        ("EPOINT_PUBLIC_KEY", "i000000001".into()),
        ("EPOINT_PRIVATE_KEY", "test-private-key".into()),
        ("EPOINT_BASE_URL", format!("http://127.0.0.1:{port}")),
        ("KAPITAL_USERNAME", "TerminalSys/kapital".into()),
        ("KAPITAL_PASSWORD", "kapital123".into()),
        ("KAPITAL_BASE_URL", format!("http://127.0.0.1:{port}")),
        ("TWEC_MERCHANT_ID", "E1000010".into()),
        ("TWEC_BASE_URL", format!("https://127.0.0.1:{port}/Exec")),
        ("TWEC_CLIENT_CERT", path(&pems.0)),
        ("TWEC_CLIENT_KEY", path(&pems.1)),
        ("TWEC_CA_CERT", path(&pems.2)),
        ("PAYRIFF_SECRET_KEY", "payriff-test-key".into()),
        ("PAYRIFF_BASE_URL", format!("http://127.0.0.1:{port}")),
        ("AZERICARD_BASE_URL", format!("http://127.0.0.1:{port}")),
        ("AZERICARD_MERCHANT_ID", "17202191".into()),
        ("AZERICARD_MERCHANT_NAME", "Shop".into()),
        ("AZERICARD_MERCHANT_URL", "https://shop.example.az".into()),
        (
            "AZERICARD_CALLBACK_URL",
            "https://shop.example.az/back".into(),
        ),
        (
            "AZERICARD_KEY_FILE_PATH",
            path(&azericard_file(
                "merchant.pem",
                azpay_sandbox::TEST_MERCHANT_PRIVATE_KEY_PEM,
            )),
        ),
        (
            "AZERICARD_GATEWAY_PUBLIC_KEY_PATH",
            path(&azericard_file(
                "gateway.pem",
                azpay_sandbox::TEST_GATEWAY_PUBLIC_KEY_PEM,
            )),
        ),
    ]
}

/// A file for the Azericard rows (the sandbox's TEST-ONLY keys, or a broken one).
fn azericard_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("azpay-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("azericard-{name}"));
    std::fs::write(&p, text).unwrap();
    p
}

/// Runs one row; returns a description of what went wrong, if anything.
fn run(row: &Row, trap: &Trap, base: &[(&'static str, String)]) -> Option<String> {
    let mut cmd = Command::new("prlimit");
    cmd.args([ROW_DATA_LIMIT, "--", env!("CARGO_BIN_EXE_azpay")]);
    cmd.env_clear();
    for (k, v) in base {
        cmd.env(k, v);
    }
    for (k, v) in &row.env {
        if v.is_empty() {
            cmd.env_remove(k);
        } else {
            cmd.env(k, v);
        }
    }
    cmd.args(&row.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn azpay");
    let mut stdin = child.stdin.take().unwrap();
    let input = row.stdin.clone();
    let writer = std::thread::spawn(move || {
        // The binary may exit before reading everything: a broken pipe is fine.
        let _ = stdin.write_all(&input);
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > ROW_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            let connections = trap.connections();
            return Some(format!(
                "still running after {ROW_TIMEOUT:?}: killed; \
                 {connections} connection(s) made"
            ));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let _ = writer.join();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = status.code().unwrap_or(-1);
    let mut problems = Vec::new();
    if stderr.contains("panicked") || code == 101 {
        problems.push("panicked".to_owned());
    }
    if code != row.code {
        problems.push(format!("exit {code}, expected {}", row.code));
    }
    if row.code != 0 {
        let lines = stderr.trim_end().lines().count();
        if lines != 1 {
            problems.push(format!("{lines} stderr lines, expected one"));
        }
        if !stderr.contains(row.names) {
            problems.push(format!("stderr does not name `{}`", row.names));
        }
    }
    let connections = trap.connections();
    if connections > 0 {
        problems.push(format!(
            "{connections} connection(s) made: something was sent"
        ));
    }
    (!problems.is_empty()).then(|| format!("{} | stderr: {stderr:?}", problems.join("; ")))
}

fn pay(order_id: &str) -> Vec<String> {
    [
        "epoint",
        "pay",
        "--amount",
        "1",
        "--currency",
        "AZN",
        "--order-id",
        order_id,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn status_tx(tx: &str) -> Vec<String> {
    ["epoint", "status", "--transaction", tx]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn twec_status(order_id: &str, session_id: &str) -> Vec<String> {
    [
        "twec",
        "status",
        "--order-id",
        order_id,
        "--session-id",
        session_id,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn table(port: u16) -> Vec<Row> {
    let long = "x".repeat(256);
    let p = port;
    let e_pay = ["epoint", "pay", "--currency", "AZN", "--order-id", "o-1"];
    let mut rows = vec![
        // --- EPoint flags ------------------------------------------------------------------
        row(&[&e_pay[..], &["--amount", "-1"]].concat(), 2, "--amount"),
        row(&[&e_pay[..], &["--amount", "-0"]].concat(), 2, "--amount"),
        row(
            &[&e_pay[..], &["--amount", "1.234"]].concat(),
            2,
            "--amount",
        ),
        row(&[&e_pay[..], &["--amount", "abc"]].concat(), 2, "--amount"),
        row(&[&e_pay[..], &["--amount", "1e3"]].concat(), 2, "--amount"),
        row(
            &[
                "epoint",
                "pay",
                "--amount",
                "1",
                "--currency",
                "-1",
                "--order-id",
                "o",
            ],
            2,
            "--currency",
        ),
        row(
            &[
                "epoint",
                "pay",
                "--amount",
                "1",
                "--currency",
                "XYZ",
                "--order-id",
                "o",
            ],
            2,
            "--currency",
        ),
        row(
            &[
                "epoint",
                "split-pay",
                "--amount",
                "5",
                "--currency",
                "AZN",
                "--order-id",
                "o",
                "--split-user",
                "i000000002",
                "--split-amount",
                "-1",
            ],
            2,
            "--split-amount",
        ),
        row(
            &[
                "epoint",
                "refund",
                "--transaction",
                "te1",
                "--currency",
                "AZN",
                "--amount",
                "-5",
            ],
            2,
            "--amount",
        ),
        row(
            &[
                "epoint",
                "refund",
                "--transaction",
                "te1",
                "--currency",
                "-1",
            ],
            2,
            "--currency",
        ),
        row(
            &[
                "epoint",
                "pre-auth-complete",
                "--amount",
                "-1",
                "--currency",
                "AZN",
                "--transaction",
                "te1",
            ],
            2,
            "--amount",
        ),
        row(
            &[
                "epoint",
                "checkout-form",
                "--amount",
                "-1",
                "--currency",
                "AZN",
                "--order-id",
                "o",
            ],
            2,
            "--amount",
        ),
        row(
            &[&e_pay[..], &["--amount", "1", "--language", "xx"]].concat(),
            2,
            "--language",
        ),
        row_s(pay("a\u{7}b"), 2, "order_id"),
        row_s(pay("a\nb"), 2, "order_id"),
        row_s(pay(" "), 2, "order_id"),
        row_s(pay(""), 2, "order_id"),
        row_s(pay("pay\u{202E}gpj"), 2, "order_id"),
        row_s(pay("\u{2066}x"), 2, "order_id"),
        row_s(pay("a\u{85}b"), 2, "order_id"),
        row_s(pay(&long), 2, "order_id"),
        row_s(pay("-1"), 0, "").env("EPOINT_BASE_URL", "").stdin(""),
        row_s(status_tx(&long), 2, "transaction"),
        row_s(status_tx("te\u{1}"), 2, "transaction"),
        row_s(status_tx("\t"), 2, "transaction"),
        row(
            &["epoint", "status", "--order-id", "\u{202D}1"],
            2,
            "order_id",
        ),
        row(
            &[
                "epoint",
                "pay-with-saved-card",
                "--amount",
                "1",
                "--currency",
                "AZN",
                "--order-id",
                "o",
                "--card-id",
                " ",
            ],
            2,
            "card_id",
        ),
        row(
            &["epoint", "card-status", "--card-id", "c\u{9b}e"],
            2,
            "card_id",
        ),
        row(
            &[
                "epoint",
                "pay",
                "--amount",
                "1",
                "--currency",
                "AZN",
                "--order-id",
                "o",
                "--description",
                &"d".repeat(1001),
            ],
            2,
            "description",
        ),
        // --- EPoint variables ---------------------------------------------------------------
        row(&["epoint", "heartbeat"], 2, "EPOINT_BASE_URL")
            .env("EPOINT_BASE_URL", "http://127.0.0.1:99999"),
        row(&["--dry-run", "epoint", "heartbeat"], 2, "EPOINT_BASE_URL")
            .env("EPOINT_BASE_URL", "http://127.0.0.1:99999"),
        row(&["epoint", "heartbeat"], 2, "EPOINT_BASE_URL")
            .env("EPOINT_BASE_URL", "http://127.0.0.1:0"),
        row(&["epoint", "heartbeat"], 2, "EPOINT_BASE_URL")
            .env("EPOINT_BASE_URL", format!("ftp://127.0.0.1:{p}")),
        row(&["epoint", "heartbeat"], 2, "EPOINT_BASE_URL")
            .env("EPOINT_BASE_URL", format!("http://user:pw@127.0.0.1:{p}")),
        row(&["epoint", "heartbeat"], 2, "EPOINT_BASE_URL")
            .env("EPOINT_BASE_URL", "http://epoint.example"),
        row(&["epoint", "heartbeat"], 2, "EPOINT_BASE_URL")
            .env("EPOINT_BASE_URL", format!("http://127.0.0.1:{p}/?x=1")),
        row(&["epoint", "heartbeat"], 2, "EPOINT_BASE_URL")
            .env("EPOINT_BASE_URL", format!("http://127.0.0.1:{p}/#top")),
        row(&["epoint", "heartbeat"], 2, "EPOINT_BASE_URL").env("EPOINT_BASE_URL", "not a url"),
        row(&["epoint", "heartbeat"], 2, "EPOINT_BASE_URL")
            .env("EPOINT_BASE_URL", "https://bad_host/"),
        row(&["epoint", "heartbeat"], 2, "EPOINT_BASE_URL")
            .env("EPOINT_BASE_URL", format!("javascript://127.0.0.1:{p}/")),
        row(&["epoint", "heartbeat"], 2, "EPOINT_PRIVATE_KEY").env("EPOINT_PRIVATE_KEY", "   "),
        row(&["epoint", "heartbeat"], 2, "EPOINT_PRIVATE_KEY").env("EPOINT_PRIVATE_KEY", ""),
        row(&["epoint", "heartbeat"], 2, "EPOINT_PUBLIC_KEY").env("EPOINT_PUBLIC_KEY", " \t"),
        row(&["epoint", "heartbeat"], 2, "EPOINT_INTERFACE_LANG")
            .env("EPOINT_INTERFACE_LANG", "xx"),
        // --- EPoint callbacks (stdin) ----------------------------------------------------------
        row(&["epoint", "verify-callback"], 1, "callback").stdin(""),
        row(&["epoint", "verify-callback"], 1, "callback").stdin("data=&signature="),
        row(&["epoint", "verify-callback"], 1, "callback").stdin("data=eyJ9&signature=AAAA"),
        row(&["epoint", "verify-callback"], 1, "callback").stdin("%%%%=%%&&&="),
        row(&["epoint", "verify-callback"], 1, "callback")
            .stdin((0u8..=255).cycle().take(4096).collect::<Vec<u8>>()),
        row(&["epoint", "verify-callback"], 1, "callback").stdin(vec![b'a'; 2 * 1024 * 1024]),
        row(&["epoint", "verify-callback"], 2, "EPOINT_PRIVATE_KEY")
            .env("EPOINT_PRIVATE_KEY", "")
            .stdin("data=e30=&signature=x"),
        // --- Kapital flags ----------------------------------------------------------------------
        row(
            &[
                "kapital",
                "create-order",
                "--amount",
                "-1",
                "--currency",
                "AZN",
                "--description",
                "d",
            ],
            2,
            "--amount",
        ),
        row(
            &[
                "kapital",
                "create-order",
                "--amount",
                "1",
                "--currency",
                "-1",
                "--description",
                "d",
            ],
            2,
            "--currency",
        ),
        row(
            &[
                "kapital",
                "create-order",
                "--amount",
                "1",
                "--currency",
                "AZN",
                "--description",
                "d",
                "--installments",
                "99",
            ],
            2,
            "--installments",
        ),
        row(&["kapital", "order", "--id", "-1"], 2, "--id"),
        row(&["kapital", "order", "--id", "0"], 2, "--id"),
        row(&["kapital", "order", "--id", " 1"], 2, "--id"),
        row(
            &["kapital", "refund", "--id", "1", "--amount", "-0"],
            2,
            "--amount",
        ),
        // --- Kapital variables ---------------------------------------------------------------
        row(&["kapital", "order", "--id", "1"], 2, "KAPITAL_BASE_URL")
            .env("KAPITAL_BASE_URL", "http://127.0.0.1:65536"),
        row(&["kapital", "order", "--id", "1"], 2, "KAPITAL_BASE_URL")
            .env("KAPITAL_BASE_URL", format!("ftp://127.0.0.1:{p}")),
        row(&["kapital", "order", "--id", "1"], 2, "KAPITAL_BASE_URL")
            .env("KAPITAL_BASE_URL", format!("https://user:pw@127.0.0.1:{p}")),
        row(&["kapital", "order", "--id", "1"], 2, "KAPITAL_BASE_URL")
            .env("KAPITAL_BASE_URL", "http://kapital.example"),
        row(
            &["--dry-run", "kapital", "order", "--id", "1"],
            2,
            "KAPITAL_BASE_URL",
        )
        .env("KAPITAL_BASE_URL", format!("http://127.0.0.1:{p}?q")),
        row(&["kapital", "order", "--id", "1"], 2, "KAPITAL_PASSWORD")
            .env("KAPITAL_PASSWORD", "  "),
        row(&["kapital", "order", "--id", "1"], 2, "KAPITAL_USERNAME")
            .env("KAPITAL_USERNAME", "a:b"),
        row(&["kapital", "order", "--id", "1"], 2, "KAPITAL_USERNAME")
            .env("KAPITAL_USERNAME", "\t"),
        row(
            &["kapital", "order", "--id", "1"],
            2,
            "KAPITAL_INTERFACE_LANG",
        )
        .env("KAPITAL_INTERFACE_LANG", "zz"),
        // --- Kapital redirects ---------------------------------------------------------------
        row(
            &[
                "kapital",
                "verify-redirect",
                "--id",
                "-5",
                "--status",
                "FullyPaid",
            ],
            2,
            "--id",
        ),
        row(
            &["kapital", "verify-redirect", "--id", "1", "--status", ""],
            2,
            "--status",
        ),
        row(
            &[
                "kapital",
                "verify-redirect",
                "--id",
                "99999999999999999999999",
                "--status",
                "FullyPaid",
            ],
            2,
            "--id",
        ),
        row(
            &[
                "kapital",
                "verify-redirect",
                "--id",
                "1 OR 1=1",
                "--status",
                "FullyPaid",
            ],
            2,
            "--id",
        ),
        row(
            &[
                "kapital",
                "verify-redirect",
                "--id",
                "1",
                "--status",
                &"S".repeat(65),
            ],
            2,
            "--status",
        ),
        row(
            &[
                "kapital",
                "verify-redirect",
                "--id",
                "1",
                "--status",
                "FullyPaid",
            ],
            2,
            "KAPITAL_BASE_URL",
        )
        .env("KAPITAL_BASE_URL", "gopher://127.0.0.1/"),
        // --- TWEC flags ------------------------------------------------------------------------
        row(
            &[
                "twec",
                "create-order",
                "--amount",
                "-1",
                "--description",
                "d",
            ],
            2,
            "--amount",
        ),
        row(
            &[
                "twec",
                "create-order",
                "--amount",
                "1",
                "--currency",
                "-1",
                "--description",
                "d",
            ],
            2,
            "--currency",
        ),
        row_s(twec_status("1\n2", "S"), 2, "OrderID"),
        row_s(twec_status("1", " "), 2, "SessionID"),
        row_s(twec_status("\u{202E}1", "S"), 2, "OrderID"),
        row_s(twec_status(&long, "S"), 2, "OrderID"),
        row_s(twec_status("1", "S\r"), 2, "SessionID"),
        row(
            &[
                "twec",
                "refund",
                "--order-id",
                "1",
                "--session-id",
                "S",
                "--amount",
                "-1",
            ],
            2,
            "--amount",
        ),
        // --- TWEC variables --------------------------------------------------------------------
        row_s(twec_status("1", "S"), 2, "TWEC_BASE_URL")
            .env("TWEC_BASE_URL", format!("http://127.0.0.1:{p}/Exec")),
        row_s(twec_status("1", "S"), 2, "TWEC_BASE_URL")
            .env("TWEC_BASE_URL", "https://127.0.0.1:99999/Exec"),
        row_s(twec_status("1", "S"), 2, "TWEC_BASE_URL")
            .env("TWEC_BASE_URL", format!("ftp://127.0.0.1:{p}/Exec")),
        row_s(twec_status("1", "S"), 2, "TWEC_BASE_URL")
            .env("TWEC_BASE_URL", format!("https://u:p@127.0.0.1:{p}/Exec")),
        row_s(twec_status("1", "S"), 2, "TWEC_FORM").env("TWEC_FORM", "weird"),
        // --- Return URL variables (every gateway) ----------------------------------------------
        row(
            &[&e_pay[..], &["--amount", "1"]].concat(),
            2,
            "EPOINT_SUCCESS_REDIRECT_URL",
        )
        .env("EPOINT_SUCCESS_REDIRECT_URL", "javascript:alert(1)"),
        row(
            &[&e_pay[..], &["--amount", "1"]].concat(),
            2,
            "EPOINT_FAILED_REDIRECT_URL",
        )
        .env("EPOINT_FAILED_REDIRECT_URL", "shop.example/failed"),
        row(
            &[&e_pay[..], &["--amount", "1"]].concat(),
            2,
            "EPOINT_SUCCESS_REDIRECT_URL",
        )
        .env("EPOINT_SUCCESS_REDIRECT_URL", "   "),
        row(
            &["kapital", "order", "--id", "1"],
            2,
            "KAPITAL_REDIRECT_URL",
        )
        .env("KAPITAL_REDIRECT_URL", "data:text/html,x"),
        row_s(twec_status("1", "S"), 2, "TWEC_APPROVE_URL")
            .env("TWEC_APPROVE_URL", "javascript:alert(1)"),
        row_s(twec_status("1", "S"), 2, "TWEC_DECLINE_URL")
            .env("TWEC_DECLINE_URL", "https://shop.example/a b"),
        row_s(twec_status("1", "S"), 2, "TWEC_LANGUAGE_CASE").env("TWEC_LANGUAGE_CASE", "x"),
        row_s(twec_status("1", "S"), 2, "TWEC_LANGUAGE").env("TWEC_LANGUAGE", "xx"),
        row_s(twec_status("1", "S"), 2, "TWEC_MERCHANT_ID").env("TWEC_MERCHANT_ID", " "),
        row_s(twec_status("1", "S"), 2, "TWEC_MERCHANT_ID").env("TWEC_MERCHANT_ID", ""),
        row_s(twec_status("1", "S"), 2, "TWEC_CLIENT_CERT")
            .env("TWEC_CLIENT_CERT", "/nonexistent/azpay-client.crt"),
        // --- TWEC xmlmsg (stdin) ---------------------------------------------------------------
        row(&["twec", "parse-xmlout"], 1, "XMLOut").stdin(""),
        row(&["twec", "parse-xmlout"], 1, "XMLOut")
            .stdin("<!DOCTYPE x [<!ENTITY a 'b'>]><Message/>"),
        row(&["twec", "parse-xmlout"], 1, "XMLOut").stdin("!!!not base64!!!"),
        row(&["twec", "parse-xmlout"], 1, "XMLOut").stdin("<Message><OrderID>1</Message>"),
        row(&["twec", "parse-xmlout"], 1, "XMLOut")
            .stdin((0u8..=255).cycle().take(8192).collect::<Vec<u8>>()),
        row(&["twec", "parse-xmlout"], 1, "XMLOut")
            .stdin("<a>".repeat(100_000) + &"</a>".repeat(100_000)),
        row(&["twec", "parse-xmlout"], 1, "XMLOut").stdin(vec![b'<'; 2 * 1024 * 1024]),
        // --- Payriff -------------------------------------------------------------------------
        row(
            &["payriff", "create-order", "--amount", "abc"],
            2,
            "--amount",
        ),
        row(
            &["payriff", "create-order", "--amount", "-1"],
            2,
            "--amount",
        ),
        row(
            &["payriff", "create-order", "--amount", "1.234"],
            2,
            "--amount",
        ),
        row(
            &["payriff", "create-order", "--amount", "1e3"],
            2,
            "--amount",
        ),
        row(
            &[
                "payriff",
                "create-order",
                "--amount",
                "99999999999999999999999",
            ],
            2,
            "--amount",
        ),
        row(
            &[
                "payriff",
                "create-order",
                "--amount",
                "1",
                "--currency",
                "XAU",
            ],
            2,
            "--currency",
        ),
        row(
            &[
                "payriff",
                "create-order",
                "--amount",
                "1",
                "--language",
                "de",
            ],
            2,
            "--language",
        ),
        row(
            &[
                "payriff",
                "create-order",
                "--amount",
                "1",
                "--rrn",
                "a\u{202e}b",
            ],
            2,
            "rrn",
        ),
        row_s(
            vec![
                "payriff".into(),
                "create-order".into(),
                "--amount".into(),
                "1".into(),
                "--rrn".into(),
                "r".repeat(101),
            ],
            2,
            "rrn",
        ),
        row(
            &[
                "payriff",
                "create-order",
                "--amount",
                "1",
                "--description",
                "a\u{7}b",
            ],
            2,
            "description",
        ),
        row(
            &["payriff", "refund", "--id", "O", "--amount", "0"],
            2,
            "--amount",
        ),
        row(&["payriff", "capture", "--id", "a\nb"], 2, "order_id"),
        row(&["payriff", "order", "--id", ""], 2, "order_id"),
        row(&["payriff", "order", "--id", "O"], 2, "PAYRIFF_SECRET_KEY")
            .env("PAYRIFF_SECRET_KEY", ""),
        row(&["payriff", "order", "--id", "O"], 2, "PAYRIFF_SECRET_KEY")
            .env("PAYRIFF_SECRET_KEY", " key"),
        row(&["payriff", "order", "--id", "O"], 2, "PAYRIFF_SECRET_KEY")
            .env("PAYRIFF_SECRET_KEY", "a\u{1b}[2Jb"),
        row(&["payriff", "order", "--id", "O"], 2, "PAYRIFF_BASE_URL")
            .env("PAYRIFF_BASE_URL", "http://payriff.example"),
        row(&["payriff", "order", "--id", "O"], 2, "PAYRIFF_BASE_URL")
            .env("PAYRIFF_BASE_URL", "https://user:pw@api.payriff.com"),
        row(
            &["payriff", "order", "--id", "O"],
            2,
            "PAYRIFF_INTERFACE_LANG",
        )
        .env("PAYRIFF_INTERFACE_LANG", "zz"),
        row(
            &["payriff", "order", "--id", "O"],
            2,
            "PAYRIFF_CALLBACK_URL",
        )
        .env("PAYRIFF_CALLBACK_URL", "javascript:alert(1)"),
        row(
            &["payriff", "order", "--id", "O"],
            2,
            "PAYRIFF_REDIRECT_URL",
        )
        .env("PAYRIFF_REDIRECT_URL", "not a url"),
        row(&["payriff", "verify-callback"], 1, "callback").stdin("not json"),
        row(&["payriff", "verify-callback"], 1, "callback").stdin(r#"{"payload":{"orderId":""}}"#),
        row(&["payriff", "verify-callback"], 1, "callback")
            .stdin(r#"{"payload":{"orderId":"a\u202eb"}}"#),
        row(&["payriff", "verify-callback"], 1, "callback").stdin("[".repeat(100_000)),
        row(&["payriff", "verify-callback"], 1, "callback").stdin(vec![b'{'; 2 * 1024 * 1024]),
        // Azericard: flags, fields, variables and callback bodies.
        row(&["azericard", "pay", "--amount", "abc", "--order", "123456", "--description", "d"], 2, "--amount"),
        row(&["azericard", "pay", "--amount", "-1", "--order", "123456", "--description", "d"], 2, "--amount"),
        row(&["azericard", "pay", "--amount", "1", "--order", "12", "--description", "d"], 2, "order"),
        row(&["azericard", "pay", "--amount", "1", "--order", "1234\n56", "--description", "d"], 2, "order"),
        row(&["azericard", "pay", "--amount", "1", "--order", &"9".repeat(33), "--description", "d"], 2, "order"),
        row(&["azericard", "pay", "--amount", "1", "--order", "123456", "--description", &"d".repeat(51)], 2, "description"),
        row(&["azericard", "pay", "--amount", "1", "--order", "123456", "--description", "a\u{202e}b"], 2, "description"),
        row(&["azericard", "pay", "--amount", "1", "--order", "123456", "--description", "d", "--timestamp", "99999999999999"], 2, "--timestamp"),
        row(&["azericard", "pay", "--amount", "1", "--order", "123456", "--description", "d", "--nonce", "../../etc/passwd"], 2, "--nonce"),
        row(&["azericard", "pay", "--amount", "1", "--order", "123456", "--description", "d", "--language", "de"], 2, "--language"),
        row(&["azericard", "status", "--order", "123456", "--tran-trtype", "90"], 2, "--tran-trtype"),
        row(&["azericard", "complete", "--order", "123456", "--amount", "1", "--rrn", "abc", "--int-ref", "A1"], 2, "rrn"),
        row(&["azericard", "reverse", "--order", "123456", "--amount", "1", "--rrn", "306276834930", "--int-ref", "A\u{2066}1"], 2, "int_ref"),
        row(&["azericard", "status", "--order", "123456"], 2, "AZERICARD_KEY_FILE_PATH")
            .env("AZERICARD_KEY_FILE_PATH", "/nonexistent/azpay/key.pem"),
        row(&["azericard", "status", "--order", "123456"], 2, "AZERICARD_KEY_FILE_PATH").env(
            "AZERICARD_KEY_FILE_PATH",
            azericard_file("encrypted.pem", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n").to_string_lossy().into_owned(),
        ),
        row(&["azericard", "status", "--order", "123456"], 2, "AZERICARD_KEY_FILE_PATH").env(
            "AZERICARD_KEY_FILE_PATH",
            azericard_file("public-as-private.pem", azpay_sandbox::TEST_GATEWAY_PUBLIC_KEY_PEM).to_string_lossy().into_owned(),
        ),
        row(&["azericard", "status", "--order", "123456"], 2, "AZERICARD_BASE_URL")
            .env("AZERICARD_BASE_URL", "http://example.com"),
        row(&["azericard", "status", "--order", "123456"], 2, "AZERICARD_INTERFACE_LANG")
            .env("AZERICARD_INTERFACE_LANG", "de"),
        row(&["azericard", "status", "--order", "123456"], 2, "AZERICARD_MERCHANT_ID")
            .env("AZERICARD_MERCHANT_ID", ""),
        row(&["azericard", "verify-callback"], 1, "callback").stdin(""),
        row(&["azericard", "verify-callback"], 1, "callback").stdin("P_SIGN=zz&ORDER=1"),
        row(&["azericard", "verify-callback"], 1, "callback").stdin("%%%%=%%&&&="),
        row(&["azericard", "verify-callback"], 1, "callback").stdin("P_SIGN=00&P_SIGN=00"),
        row(&["azericard", "verify-callback", "--no-query"], 1, "callback")
            .stdin(format!("AMOUNT=1&TERMINAL=17202191&ORDER=1&TRTYPE=1&P_SIGN={}", "ab".repeat(256))),
        row(&["azericard", "verify-callback"], 1, "callback")
            .stdin((0u8..=255).cycle().take(8192).collect::<Vec<u8>>()),
        row(&["azericard", "verify-callback"], 1, "callback").stdin(vec![b'&'; 2 * 1024 * 1024]),
        row(&["azericard", "verify-callback"], 2, "AZERICARD_GATEWAY_PUBLIC_KEY_PATH")
            .env("AZERICARD_GATEWAY_PUBLIC_KEY_PATH", "")
            .stdin("P_SIGN=00"),
    ];
    // The row above with `-1` as an order id is a valid order id: it runs with the dry run.
    for r in &mut rows {
        if r.code == 0 {
            r.args.insert(0, "--dry-run".into());
        }
    }
    rows
}

#[test]
fn the_bad_input_table() {
    let trap = Trap::new();
    let pems = pem_files();
    let base = base_env(trap.port, &pems);
    let rows = table(trap.port);
    assert!(rows.len() >= 60, "{} rows", rows.len());
    let mut failures = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(why) = run(r, &trap, &base) {
            let shown: Vec<String> = r
                .args
                .iter()
                .map(|a| {
                    if a.len() > 40 {
                        format!("<{} chars>", a.chars().count())
                    } else {
                        format!("{a:?}")
                    }
                })
                .collect();
            failures.push(format!("row {i}: {} {:?}: {why}", shown.join(" "), r.env));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

/// The listener really notices a connection: a row that sends would fail.
#[test]
fn the_trap_notices_a_request() {
    let trap = Trap::new();
    let pems = pem_files();
    let base = base_env(trap.port, &pems);
    let sends = row(&["epoint", "heartbeat"], 1, "");
    let why = run(&sends, &trap, &base).expect("the heartbeat reached the listener");
    assert!(why.contains("1 connection(s) made"), "{why}");
}
