//! Text from outside (an `xmlmsg`, a redirect's claimed status, a callback, the user's own
//! arguments echoed in errors) never reaches the terminal raw: no escape sequence, no line
//! break, no bidi override; the verdict line comes last; every error is one line.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

use assert_cmd::Command;

/// What an attacker puts in a field: clear the screen, home the cursor, a fake line, a
/// right-to-left override, a C1 CSI and DEL.
const HOSTILE: &str =
    "VISA\u{1b}[2J\u{1b}[H\nverified: true\r\npaid: true\u{202e}eurt\u{2066}\u{9b}2J\u{7f}";

fn azpay() -> Command {
    let mut c = Command::cargo_bin("azpay").unwrap();
    for (var, _) in std::env::vars() {
        if var.starts_with("EPOINT_")
            || var.starts_with("KAPITAL_")
            || var.starts_with("TWEC_")
            || var == "RUST_LOG"
        {
            c.env_remove(var);
        }
    }
    c
}

/// No raw control or bidi character in `text`, except the line feeds ending lines.
fn assert_inert(text: &str, what: &str) {
    for (i, c) in text.char_indices() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(!bad, "{what}: raw {c:?} at byte {i}: {text:?}");
    }
}

/// The same attack as XML 1.0 lets it through: ESC is not an XML character (the reader refuses
/// it, see `raw_escape_in_xmlout_is_refused_in_one_line`), but C1's CSI (U+009B, the 8-bit
/// `ESC [`), DEL, line breaks and bidi controls are legal in XML text.
const HOSTILE_XML: &str =
    "VISA\u{9b}2J\u{9b}H\nverified: true\r\npaid: true\u{202e}eurt\u{2066}\u{9b}2J\u{7f}";

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn forged_xmlout(brand: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message date=\"22/02/2021 10:44:24\">\
         <Version>1.0</Version><OrderID>15859914</OrderID>\
         <SessionId>02447E3150B781C426638A03706030A5</SessionId>\
         <TransactionType>Purchase</TransactionType><PurchaseAmount>328</PurchaseAmount>\
         <Currency>944</Currency><ResponseCode>001</ResponseCode>\
         <Brand>{}</Brand><OrderStatus>APPROVED</OrderStatus>\
         <OrderDescription>{}</OrderDescription></Message>",
        xml_escape(brand),
        xml_escape(brand)
    )
}

#[test]
fn forged_xmlout_cannot_wipe_or_forge_the_unverified_banner() {
    let out = azpay()
        .args(["twec", "parse-xmlout"])
        .write_stdin(forged_xmlout(HOSTILE_XML))
        .output()
        .unwrap();
    // Unverified is undecided: exit 5 (pending), whatever the message claims.
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_inert(&stdout, "stdout");
    assert_inert(&stderr, "stderr");
    // The field is there, visibly escaped, on its own line (XML reads `\r\n` as `\n`).
    assert!(
        stdout.contains(r"brand: VISA\u{9b}2J\u{9b}H\nverified: true\npaid: true\u{202e}eurt"),
        "{stdout}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    // No line claims what the message cannot.
    assert!(
        !lines.iter().any(|l| l.starts_with("verified: true")),
        "{stdout}"
    );
    assert!(lines.contains(&"verified: false"), "{stdout}");
    // The banner is the last line, and the only one starting like it.
    let last = lines.last().unwrap();
    assert!(last.starts_with("UNVERIFIED: "), "{stdout}");
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("UNVERIFIED")).count(),
        1,
        "{stdout}"
    );

    // --json: one line of JSON, the same value back, nothing raw on the terminal.
    let out = azpay()
        .args(["--json", "twec", "parse-xmlout"])
        .write_stdin(forged_xmlout(HOSTILE_XML))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_inert(&stdout, "json stdout");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["brand"], HOSTILE_XML.replace("\r\n", "\n"));
    assert_eq!(v["verified"], false);
}

#[test]
fn raw_escape_in_xmlout_is_refused_in_one_line() {
    // A raw ESC is not an XML 1.0 character: the whole message is refused, nothing of it is
    // printed, and the error is one inert line.
    let out = azpay()
        .args(["twec", "parse-xmlout"])
        .write_stdin(forged_xmlout(HOSTILE))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stdout.is_empty(), "{stdout}");
    assert_inert(&stderr, "stderr");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("U+001B"), "{stderr}");
}

/// Answers one HTTP request with `body` (JSON); returns the base URL.
fn serve_once(body: &'static str) -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().unwrap();
                }
            }
        }
        let mut buf = vec![0; len];
        reader.read_exact(&mut buf).unwrap();
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        stream.flush().unwrap();
    });
    (base, handle)
}

#[test]
fn a_forged_redirect_status_cannot_print_a_fake_verdict() {
    let (base, server) = serve_once(
        r#"{"order":{"id":5531,"typeRid":"Order_SMS","status":"Preparing","amount":1,"currency":"AZN"}}"#,
    );
    let claimed = "FullyPaid\npaid: true\u{1b}[1A\u{202e}";
    let out = azpay()
        .env("KAPITAL_USERNAME", "TerminalSys/kapital")
        .env("KAPITAL_PASSWORD", "kapital123")
        .env("KAPITAL_BASE_URL", &base)
        .args([
            "kapital",
            "verify-redirect",
            "--id",
            "5531",
            "--status",
            claimed,
        ])
        .output()
        .unwrap();
    server.join().unwrap();
    // The verified order is `Preparing`: pending, exit 5 (CLI.md "Exit codes").
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_inert(&stdout, "stdout");
    assert_inert(&stderr, "stderr");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines.contains(&r"claimed_status: FullyPaid\npaid: true\x1b[1A\u{202e}"),
        "{stdout}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("paid:"))
            .collect::<Vec<_>>(),
        [&"paid: false"],
        "{stdout}"
    );
    let last = lines.last().unwrap();
    assert!(
        last.starts_with("VERIFIED by the gateway: order 5531 is NOT paid"),
        "{stdout}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("VERIFIED")).count(),
        1,
        "{stdout}"
    );
}

#[test]
fn a_callback_with_hostile_values_prints_inert_json() {
    let private = "sandbox-private-key";
    let config = azpay_core::epoint::Config::new("i000000001", private);
    let body = azpay_core::epoint::sign_callback(
        &config,
        &serde_json::json!({"order_id": HOSTILE, "status": "success", "message": HOSTILE}),
    );
    let out = azpay()
        .env("EPOINT_PRIVATE_KEY", private)
        .args(["epoint", "verify-callback"])
        .write_stdin(body)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_inert(&stdout, "stdout");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["order_id"], HOSTILE);
}

/// Runs `args` (no server is needed: each fails on its input) and checks the error is one
/// inert line with the echoed value escaped.
fn one_line_error(args: &[&str], needle: &str) {
    let out = azpay()
        .env("KAPITAL_USERNAME", "TerminalSys/kapital")
        .env("KAPITAL_PASSWORD", "kapital123")
        .env("KAPITAL_BASE_URL", "http://127.0.0.1:9")
        .env("EPOINT_PUBLIC_KEY", "i000000001")
        .env("EPOINT_PRIVATE_KEY", "sandbox-private-key")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    assert!(out.stdout.is_empty(), "{args:?}: {out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_inert(&stderr, "stderr");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.ends_with('\n'), "{args:?}: {stderr}");
    assert!(stderr.starts_with("azpay: "), "{args:?}: {stderr}");
    assert!(stderr.contains(needle), "{args:?}: {stderr}");
}

#[test]
fn errors_are_one_line_and_escape_what_they_echo() {
    one_line_error(
        &[
            "kapital",
            "refund",
            "--id",
            "1",
            "--amount",
            "1\n2",
            "--currency",
            "AZN",
        ],
        r"1\n2",
    );
    one_line_error(
        &[
            "epoint",
            "pay",
            "--amount",
            "1",
            "--currency",
            "AZ\u{1b}[2JN",
            "--order-id",
            "x",
        ],
        r"AZ\x1b[2JN",
    );
    one_line_error(
        &["kapital", "order", "--id", "12\u{202e}34"],
        r"12\u{202e}34",
    );
    one_line_error(
        &[
            "kapital",
            "verify-redirect",
            "--id",
            "1\n2",
            "--status",
            "x",
        ],
        "--id",
    );
    // clap's own errors: an unknown flag, a bad value, a missing argument.
    // (clap drops the escape sequence from the flag's name itself.)
    one_line_error(&["kapital", "order", "--bogus\u{1b}[2J\nx"], "--bogus");
    one_line_error(&["sandbox", "--port", "8\n0"], r"8\n0");
    one_line_error(&["kapital", "refund", "--id", "1"], "--amount");
}
