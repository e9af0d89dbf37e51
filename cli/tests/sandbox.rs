//! `azpay sandbox` as a child process: its `KEY=VALUE` lines, then real `azpay` commands of
//! each gateway sent to it with exactly that environment (TWEC over mutual TLS with the
//! printed certificate paths), a payment completed on the hosted page over HTTP, and the
//! status commands reporting it paid.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command as StdCommand, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;

const GATEWAY_VARS: &[&str] = &[
    "EPOINT_PUBLIC_KEY",
    "EPOINT_PRIVATE_KEY",
    "EPOINT_BASE_URL",
    "EPOINT_SUCCESS_REDIRECT_URL",
    "EPOINT_FAILED_REDIRECT_URL",
    "KAPITAL_USERNAME",
    "KAPITAL_PASSWORD",
    "KAPITAL_BASE_URL",
    "KAPITAL_REDIRECT_URL",
    "TWEC_MERCHANT_ID",
    "TWEC_CLIENT_CERT",
    "TWEC_CLIENT_KEY",
    "TWEC_CA_CERT",
    "TWEC_BASE_URL",
    "TWEC_APPROVE_URL",
    "TWEC_CANCEL_URL",
    "TWEC_DECLINE_URL",
];

/// The running `azpay sandbox --port 0`, killed on drop.
struct Sandbox {
    child: Child,
    env: BTreeMap<String, String>,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // SIGTERM first so that it removes its certificates, SIGKILL if it does not stop.
        #[cfg(unix)]
        if let Ok(None) = self.child.try_wait() {
            let pid = self.child.id().to_string();
            let _ = StdCommand::new("kill").args(["-TERM", &pid]).status();
            for _ in 0..250 {
                if !matches!(self.child.try_wait(), Ok(None)) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sandbox {
    /// Sends SIGTERM to the child (this test's own process, by its id) and waits for it.
    #[cfg(unix)]
    fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = StdCommand::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("run kill");
        assert!(sent.success());
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "azpay sandbox did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn start() -> Sandbox {
        Sandbox::start_with(&[])
    }

    fn start_with(extra: &[&str]) -> Sandbox {
        let mut cmd = StdCommand::new(assert_cmd::cargo::cargo_bin("azpay"));
        cmd.args(["sandbox", "--port", "0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for v in GATEWAY_VARS {
            cmd.env_remove(v);
        }
        let mut child = cmd.spawn().expect("start azpay sandbox");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                // Keep draining after the settings were read: the pipe stays open.
                let _ = tx.send(line);
            }
        });
        let mut sandbox = Sandbox {
            child,
            env: BTreeMap::new(),
        };
        // The last line it prints is TWEC_DECLINE_URL.
        while !sandbox.env.contains_key("TWEC_DECLINE_URL") {
            let line = rx
                .recv_timeout(Duration::from_secs(30))
                .expect("azpay sandbox printed its settings within 30 s");
            let (k, v) = line
                .split_once('=')
                .unwrap_or_else(|| panic!("not KEY=VALUE: {line:?}"));
            assert!(
                k.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
                "{line:?}"
            );
            sandbox.env.insert(k.to_owned(), v.to_owned());
        }
        sandbox
    }

    fn azpay(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("azpay").unwrap();
        for v in GATEWAY_VARS {
            cmd.env_remove(v);
        }
        cmd.envs(&self.env).arg("--json").args(args);
        cmd.timeout(Duration::from_secs(60));
        cmd
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.azpay(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "azpay {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!("{e}: {}", String::from_utf8_lossy(&out.stdout));
        })
    }
}

/// POSTs a hosted-page form like a browser; answers the status line and the headers+body.
fn post_form(url: &str, body: &str) -> String {
    let rest = url.strip_prefix("http://").expect("an http:// page URL");
    let (authority, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = TcpStream::connect(authority).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

const CARD_FORM: &str = "expiry=12%2F30&cvv=123&holder=TEST+CARDHOLDER&action=pay&pan=";

#[test]
fn sandbox_prints_settings_and_serves_every_gateway_command() {
    let sb = Sandbox::start();
    let base = sb.env["EPOINT_BASE_URL"].clone();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert_eq!(sb.env["KAPITAL_BASE_URL"], base);
    assert!(sb.env["TWEC_BASE_URL"].starts_with("https://127.0.0.1:"));
    assert!(sb.env["TWEC_BASE_URL"].ends_with("/Exec"));
    for k in ["TWEC_CLIENT_CERT", "TWEC_CLIENT_KEY", "TWEC_CA_CERT"] {
        let pem = std::fs::read_to_string(&sb.env[k]).unwrap();
        assert!(pem.contains("-----BEGIN "), "{k}");
    }

    // EPoint: pay, the cardholder pays on the page, status says success.
    let pay = sb.json(&[
        "epoint",
        "pay",
        "--amount",
        "10.50",
        "--currency",
        "AZN",
        "--order-id",
        "cli-sb-1",
    ]);
    let transaction = pay["transaction"].as_str().unwrap().to_owned();
    let page = pay["redirect_url"].as_str().unwrap().to_owned();
    assert!(page.starts_with(&base), "{page}");
    // Not paid yet: printed, and pending is exit 5 (issue 12).
    let out = sb
        .azpay(&["epoint", "status", "--transaction", &transaction])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["status"], "new");
    let reply = post_form(&page, &format!("{CARD_FORM}4169741330151778"));
    assert!(reply.starts_with("HTTP/1.1 302"), "{reply}");
    assert!(reply.contains("?result=success"), "{reply}");
    let status = sb.json(&["epoint", "status", "--transaction", &transaction]);
    assert_eq!(status["status"], "success", "{status}");
    assert_eq!(status["amount"]["value"], "10.50", "{status}");

    // Kapital: create-order, pay on the page, the order is FullyPaid.
    let created = sb.json(&[
        "kapital",
        "create-order",
        "--amount",
        "5",
        "--currency",
        "AZN",
        "--description",
        "cli",
    ]);
    let id = created["id"].as_u64().unwrap().to_string();
    let page = created["payment_url"].as_str().unwrap().to_owned();
    assert!(
        page.starts_with(&format!("{base}/flex?id={id}&password=")),
        "{page}"
    );
    let reply = post_form(&page, &format!("{CARD_FORM}4169741330151778"));
    assert!(reply.starts_with("HTTP/1.1 302"), "{reply}");
    assert!(
        reply.contains(&format!("ID={id}&STATUS=FullyPaid")),
        "{reply}"
    );
    let order = sb.json(&["kapital", "order", "--id", &id]);
    assert_eq!(order["status"], "FullyPaid", "{order}");

    // TWEC over mutual TLS with the printed certificates: create-order, pay, APPROVED.
    let created = sb.json(&[
        "twec",
        "create-order",
        "--amount",
        "3",
        "--description",
        "cli",
    ]);
    let order_id = created["order_id"].as_str().unwrap().to_owned();
    let session = created["session_id"].as_str().unwrap().to_owned();
    // Not paid yet: pending, exit 5.
    let out = sb
        .azpay(&[
            "twec",
            "status",
            "--order-id",
            &order_id,
            "--session-id",
            &session,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["order_status"], "CREATED", "{status}");
    let page = created["payment_url"].as_str().unwrap().to_owned();
    let reply = post_form(&page, &format!("{CARD_FORM}4169733213495869"));
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("name=\"xmlmsg\""), "{reply}");
    let status = sb.json(&[
        "twec",
        "status",
        "--order-id",
        &order_id,
        "--session-id",
        &session,
    ]);
    assert_eq!(status["order_status"], "APPROVED", "{status}");

    // Without the client certificate TWEC refuses before connecting (exit 2, nothing sent).
    sb.azpay(&[
        "twec",
        "status",
        "--order-id",
        &order_id,
        "--session-id",
        &session,
    ])
    .env_remove("TWEC_CLIENT_CERT")
    .assert()
    .code(2)
    .stderr(predicate::str::contains("TWEC_CLIENT_CERT"));
    // SIGTERM stops it cleanly: exit 0 and the throwaway certificates removed.
    #[cfg(unix)]
    {
        let cert_dir = std::path::PathBuf::from(&sb.env["TWEC_CLIENT_CERT"])
            .parent()
            .unwrap()
            .to_path_buf();
        assert!(cert_dir.is_dir());
        let mut sb = sb;
        let status = sb.terminate();
        assert!(status.success(), "{status:?}");
        assert!(!cert_dir.exists(), "{} left behind", cert_dir.display());
        let refused = TcpStream::connect(base.trim_start_matches("http://"));
        assert!(refused.is_err(), "still listening after SIGTERM");
    }
}

/// A reader that closes the pipe before reading anything (a script that only wanted to start
/// it) must not stop the simulator: once the settings cannot be printed it keeps serving, and
/// SIGTERM still stops it cleanly. (It used to panic on the broken pipe and exit 101.)
#[cfg(unix)]
#[test]
fn sandbox_keeps_serving_when_its_reader_closes_stdout() {
    let mut cmd = StdCommand::new(assert_cmd::cargo::cargo_bin("azpay"));
    cmd.args(["sandbox", "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for v in GATEWAY_VARS {
        cmd.env_remove(v);
    }
    let mut child = cmd.spawn().expect("start azpay sandbox");
    drop(child.stdout.take()); // closed before the sandbox prints its first line
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut lines = stderr.lines();
    let base = loop {
        let line = lines
            .next()
            .expect("azpay sandbox says where it listens")
            .unwrap();
        if let Some(rest) = line.split_once("payment pages at ") {
            break rest.1.split(';').next().unwrap().to_owned();
        }
    };
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "azpay sandbox exited when its stdout was closed"
    );
    let mut stream = TcpStream::connect(base.trim_start_matches("http://")).expect("serving");
    write!(
        stream,
        "GET /api/1/heartbeat HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 "), "{answer}");
    let pid = child.id().to_string();
    assert!(StdCommand::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn sandbox_injects_the_faults_it_is_asked_for() {
    let pay = |order: &'static str| {
        [
            "epoint",
            "pay",
            "--amount",
            "1",
            "--currency",
            "AZN",
            "--order-id",
            order,
        ]
    };
    // A 503 (before processing, like a load balancer): the payment is not retried; since
    // issue 12 a 5xx to a payment-creating request is "outcome unknown" (exit 4), since the
    // client cannot tell where it was refused.
    let sb = Sandbox::start_with(&["--fault", "status:503"]);
    sb.azpay(&pay("fault-503"))
        .assert()
        .code(4)
        .stderr(predicate::str::contains("503"));
    drop(sb);
    // A reset after processing: the payment may have happened, so exit 4, "unknown".
    let sb = Sandbox::start_with(&["--fault", "reset"]);
    sb.azpay(&pay("fault-reset"))
        .assert()
        .code(4)
        .stderr(predicate::str::contains("unknown"));
    drop(sb);
}

#[test]
fn sandbox_refuses_faults_it_does_not_know() {
    Command::cargo_bin("azpay")
        .unwrap()
        .args(["sandbox", "--port", "0", "--fault", "timeout:0.5"])
        .timeout(Duration::from_secs(30))
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("unknown fault"));
    Command::cargo_bin("azpay")
        .unwrap()
        .args(["sandbox", "--fault", "reset:7"])
        .timeout(Duration::from_secs(30))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the rate must be in 0..=1"));
}

/// A merchant's result URL: takes one POST, answers 200, and hands its body over.
fn result_url_server() -> (String, mpsc::Receiver<(String, String)>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/epoint/result", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            head.push_str(&line);
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let _ = reader
            .get_mut()
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        let _ = tx.send((head, String::from_utf8(body).unwrap()));
    });
    (url, rx)
}

#[test]
fn sandbox_delivers_epoint_callbacks_to_the_result_url_it_is_given() {
    let (url, callbacks) = result_url_server();
    let sb = Sandbox::start_with(&["--epoint-result-url", &url]);
    let pay = sb.json(&[
        "epoint",
        "pay",
        "--amount",
        "7.25",
        "--currency",
        "AZN",
        "--order-id",
        "cli-callback-1",
    ]);
    let transaction = pay["transaction"].as_str().unwrap().to_owned();
    let page = pay["redirect_url"].as_str().unwrap().to_owned();
    let reply = post_form(&page, &format!("{CARD_FORM}4169741330151778"));
    assert!(reply.starts_with("HTTP/1.1 302"), "{reply}");

    let (head, body) = callbacks
        .recv_timeout(Duration::from_secs(30))
        .expect("the callback arrived at the result URL within 30 s");
    assert!(
        head.starts_with("POST /epoint/result HTTP/1.1\r\n"),
        "{head}"
    );
    assert!(body.starts_with("data="), "{body}");
    assert!(body.contains("&signature="), "{body}");
    // The merchant's side: the callback verifies with the printed private key.
    let out = sb
        .azpay(&["epoint", "verify-callback"])
        .write_stdin(body)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verified: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verified["transaction"], transaction.as_str(), "{verified}");
    assert_eq!(verified["status"], "success", "{verified}");
}

#[test]
fn sandbox_refuses_a_result_url_it_cannot_deliver_to() {
    Command::cargo_bin("azpay")
        .unwrap()
        .args([
            "sandbox",
            "--port",
            "0",
            "--epoint-result-url",
            "https://shop.example/result",
        ])
        .timeout(Duration::from_secs(30))
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("http:// URLs only"));
}
