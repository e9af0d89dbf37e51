//! `azpay payriff ...` through the real binary: exact dry runs with the key redacted, bad
//! input (exit 2, nothing sent), and every command against the sandbox (`azpay_sandbox::serve`)
//! with the exit code of each outcome.

use std::net::{Ipv4Addr, SocketAddr};

use assert_cmd::Command;
use azpay_sandbox::serve::{serve, ServeOptions, ServerHandle};
use azpay_sandbox::{cards, Card, CardAction, Gateway, SandboxConfig};
use serde_json::{json, Value};

const KEY: &str = "PAYRIFF-CLI-SECRET-5e6f";

fn base() -> Command {
    let mut c = Command::cargo_bin("azpay").unwrap();
    for (var, _) in std::env::vars() {
        if var.starts_with("PAYRIFF_") || var == "RUST_LOG" {
            c.env_remove(var);
        }
    }
    c
}

fn azpay() -> Command {
    let mut c = base();
    c.env("PAYRIFF_SECRET_KEY", KEY);
    c
}

fn dry_run(args: &[&str]) -> Value {
    let out = azpay()
        .args(["--dry-run", "payriff"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(!text.contains(KEY), "the key must be redacted: {text}");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn dry_run_create_order_exact() {
    assert_eq!(
        dry_run(&[
            "create-order",
            "--amount",
            "10.5",
            "--description",
            "Order 1",
            "--rrn",
            "rrn-1"
        ]),
        json!({
            "method": "POST",
            "url": "https://api.payriff.com/api/v3/orders",
            "headers": {
                "accept": "application/json",
                "authorization": "<redacted>",
                "content-type": "application/json",
                "x-request-rrn": "rrn-1"
            },
            "body": r#"{"amount":10.50,"currency":"AZN","language":"AZ","operation":"PURCHASE","description":"Order 1"}"#
        })
    );
    let v = dry_run(&[
        "create-order",
        "--amount",
        "1",
        "--preauth",
        "--save-card",
        "--language",
        "en",
        "--rrn",
        "r",
    ]);
    assert_eq!(
        v["body"],
        r#"{"amount":1.00,"currency":"AZN","language":"EN","operation":"PRE_AUTH","cardSave":true}"#
    );
}

#[test]
fn dry_run_generates_an_rrn_and_uses_the_variables() {
    let out = azpay()
        .env("PAYRIFF_CALLBACK_URL", "https://shop.example/cb")
        .env("PAYRIFF_REDIRECT_URL", "https://shop.example/back")
        .env("PAYRIFF_INTERFACE_LANG", "RU")
        .args(["--dry-run", "payriff", "create-order", "--amount", "2"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rrn = v["headers"]["x-request-rrn"].as_str().unwrap();
    assert!(rrn.starts_with("azpay-"), "{rrn}");
    assert_eq!(
        v["body"],
        r#"{"amount":2.00,"currency":"AZN","language":"RU","operation":"PURCHASE","callbackUrl":"https://shop.example/cb","redirectUrl":"https://shop.example/back"}"#
    );
}

#[test]
fn dry_run_other_commands_and_show_secrets() {
    let v = dry_run(&["refund", "--id", "ORD-1", "--amount", "5", "--rrn", "rf"]);
    assert_eq!(v["url"], "https://api.payriff.com/api/v3/refund");
    assert_eq!(v["body"], r#"{"orderId":"ORD-1","amount":5.00}"#);
    assert_eq!(v["headers"]["x-request-rrn"], "rf");
    let v = dry_run(&["capture", "--id", "ORD-1", "--rrn", "c"]);
    assert_eq!(v["url"], "https://api.payriff.com/api/v3/complete");
    assert_eq!(v["body"], r#"{"orderId":"ORD-1"}"#);
    let v = dry_run(&[
        "pay-with-saved-card",
        "--card-uuid",
        "u-1",
        "--amount",
        "3",
        "--rrn",
        "p",
    ]);
    assert_eq!(
        v["body"],
        r#"{"cardUuid":"u-1","amount":3.00,"operation":"PURCHASE","currency":"AZN","description":"azpay saved-card charge"}"#
    );
    let v = dry_run(&["order", "--id", "ORD-1"]);
    assert_eq!(
        (v["method"].as_str(), v["url"].as_str()),
        (
            Some("GET"),
            Some("https://api.payriff.com/api/v3/orders/ORD-1")
        )
    );
    let out = azpay()
        .args([
            "--dry-run",
            "--show-secrets",
            "payriff",
            "order",
            "--id",
            "O",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["headers"]["authorization"], KEY);
    // A key with a space is still redacted whole.
    let out = base()
        .env("PAYRIFF_SECRET_KEY", "part1 part2")
        .args(["--dry-run", "payriff", "order", "--id", "O"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("part1") && !text.contains("part2"), "{text}");
}

#[test]
fn bad_input_exits_2_naming_the_flag_or_variable() {
    for (args, needle) in [
        (vec!["create-order", "--amount", "abc"], "--amount"),
        (vec!["create-order", "--amount", "-1"], "--amount"),
        (vec!["create-order", "--amount", "1.234"], "--amount"),
        (vec!["create-order", "--amount", "0"], "--amount"),
        (
            vec!["create-order", "--amount", "1", "--currency", "GBP"],
            "--currency",
        ),
        (
            vec!["create-order", "--amount", "1", "--language", "xx"],
            "--language",
        ),
        (
            vec!["create-order", "--amount", "1", "--rrn", "a\nb"],
            "rrn",
        ),
        (vec!["refund", "--id", "", "--rrn", "r"], "order_id"),
    ] {
        let out = azpay().arg("payriff").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let out = base()
        .args(["payriff", "order", "--id", "O"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("PAYRIFF_SECRET_KEY") && err.contains("azpay sandbox"),
        "{err}"
    );
    let out = azpay()
        .env("PAYRIFF_BASE_URL", "http://example.com")
        .args(["payriff", "order", "--id", "O"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PAYRIFF_BASE_URL"));
}

// --- against the sandbox ------------------------------------------------------------------------

fn sandbox() -> ServerHandle {
    let mut config = SandboxConfig::default();
    config.payriff.secret_key = KEY.to_owned();
    serve(
        config,
        ServeOptions::new(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))),
    )
    .unwrap()
}

fn on(server: &ServerHandle, args: &[&str]) -> (Option<i32>, Value, String) {
    let mut c = base();
    for line in azpay_cli_env(server) {
        let (k, v) = line.split_once('=').unwrap();
        c.env(k, v);
    }
    let out = c.args(["--json", "payriff"]).args(args).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let value = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (
        out.status.code(),
        value,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The sandbox's printed settings (only the Payriff ones matter here).
fn azpay_cli_env(server: &ServerHandle) -> Vec<String> {
    server
        .env_lines()
        .into_iter()
        .filter(|l| l.starts_with("PAYRIFF_"))
        .collect()
}

fn pay(server: &ServerHandle, id: &str, pan: &str) {
    server
        .with_sandbox(|s| {
            s.complete_payment(Gateway::Payriff, id, &CardAction::Pay(Card::new(pan)))
        })
        .unwrap();
}

#[test]
fn purchase_refund_and_exit_codes_against_the_sandbox() {
    let server = sandbox();
    assert!(server
        .env_lines()
        .contains(&format!("PAYRIFF_SECRET_KEY={KEY}")));
    let (code, v, err) = on(
        &server,
        &["create-order", "--amount", "10.50", "--rrn", "cli-rrn-1"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(v["state"], "done");
    assert_eq!(v["rrn"], "cli-rrn-1");
    let id = v["order_id"].as_str().unwrap().to_owned();
    assert!(v["payment_url"].as_str().unwrap().contains(&id));
    // Not paid yet: pending, exit 5.
    let (code, v, _) = on(&server, &["order", "--id", &id]);
    assert_eq!(
        (code, v["state"].as_str(), v["payment_status"].as_str()),
        (Some(5), Some("pending"), Some("CREATED"))
    );
    pay(&server, &id, cards::PAYRIFF);
    let (code, v, _) = on(&server, &["order", "--id", &id]);
    assert_eq!(
        (code, v["payment_status"].as_str()),
        (Some(0), Some("APPROVED"))
    );
    // Found by its RRN.
    let (code, v, _) = on(&server, &["order-by-rrn", "--rrn", "cli-rrn-1"]);
    assert_eq!((code, v["order_id"].as_str()), (Some(0), Some(id.as_str())));
    // Partial refund: done; too much: declined (01000), exit 3; the rest: done; then returned.
    let (code, v, _) = on(
        &server,
        &["refund", "--id", &id, "--amount", "4", "--rrn", "rf-1"],
    );
    assert_eq!(
        (code, v["state"].as_str(), v["rrn"].as_str()),
        (Some(0), Some("done"), Some("rf-1"))
    );
    let (code, v, err) = on(&server, &["refund", "--id", &id, "--amount", "7"]);
    assert_eq!(
        (code, v["state"].as_str(), v["code"].as_str()),
        (Some(3), Some("declined"), Some("01000")),
        "{err}"
    );
    assert!(
        v["rrn"].as_str().unwrap().starts_with("azpay-"),
        "a generated RRN is printed"
    );
    let (code, _, _) = on(&server, &["refund", "--id", &id]);
    assert_eq!(code, Some(0));
    let (code, v, err) = on(&server, &["order", "--id", &id]);
    assert_eq!((code, v["state"].as_str()), (Some(6), Some("returned")));
    assert!(err.contains("REFUNDED"), "{err}");
    // An unknown order: the gateway's error, exit 1.
    let (code, _, err) = on(&server, &["order", "--id", "NOPE"]);
    assert_eq!(code, Some(1), "{err}");
}

#[test]
fn hold_capture_decline_and_saved_card_against_the_sandbox() {
    let server = sandbox();
    let (_, v, _) = on(
        &server,
        &["create-order", "--amount", "20", "--preauth", "--save-card"],
    );
    let id = v["order_id"].as_str().unwrap().to_owned();
    pay(&server, &id, cards::PAYRIFF);
    let (code, v, _) = on(&server, &["order", "--id", &id]);
    assert_eq!(
        (code, v["payment_status"].as_str()),
        (Some(0), Some("PREAUTH_APPROVED"))
    );
    let card = v["transactions"][0]["card_uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let (code, _, _) = on(&server, &["capture", "--id", &id, "--amount", "15"]);
    assert_eq!(code, Some(0));
    let (code, v, _) = on(&server, &["capture", "--id", &id]);
    assert_eq!(
        (code, v["state"].as_str()),
        (Some(3), Some("declined")),
        "captured once"
    );
    // A declined card on the page.
    let (_, v, _) = on(&server, &["create-order", "--amount", "1"]);
    let declined = v["order_id"].as_str().unwrap().to_owned();
    pay(&server, &declined, cards::DECLINE);
    let (code, _, err) = on(&server, &["order", "--id", &declined]);
    assert_eq!(code, Some(3), "{err}");
    // The saved card, charged; the magic amount declines.
    let (code, v, err) = on(
        &server,
        &["pay-with-saved-card", "--card-uuid", &card, "--amount", "3"],
    );
    assert_eq!(
        (code, v["state"].as_str()),
        (Some(0), Some("done")),
        "{err}"
    );
    let (code, v, _) = on(
        &server,
        &[
            "pay-with-saved-card",
            "--card-uuid",
            &card,
            "--amount",
            "0.51",
        ],
    );
    assert_eq!((code, v["state"].as_str()), (Some(3), Some("declined")));
    // Expire an unpaid order.
    let (_, v, _) = on(&server, &["create-order", "--amount", "1"]);
    let unpaid = v["order_id"].as_str().unwrap().to_owned();
    let (code, _, _) = on(&server, &["expire", "--id", &unpaid]);
    assert_eq!(code, Some(0));
    let (code, v, _) = on(&server, &["order", "--id", &unpaid]);
    assert_eq!(
        (code, v["payment_status"].as_str()),
        (Some(3), Some("EXPIRED"))
    );
}

#[test]
fn verify_callback_trusts_only_the_order_query() {
    let server = sandbox();
    let (_, v, _) = on(&server, &["create-order", "--amount", "5"]);
    let id = v["order_id"].as_str().unwrap().to_owned();
    // A forged "APPROVED" callback for an unpaid order: the query says CREATED, exit 5.
    let forged =
        format!(r#"{{"payload":{{"orderId":"{id}","paymentStatus":"APPROVED"}},"code":"00000"}}"#);
    let mut c = base();
    for line in azpay_cli_env(&server) {
        let (k, v) = line.split_once('=').unwrap();
        c.env(k, v);
    }
    let out = c
        .args(["--json", "payriff", "verify-callback"])
        .write_stdin(forged.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["claim_matches"], false);
    assert_eq!(v["payment_status"], "CREATED");
    pay(&server, &id, cards::PAYRIFF);
    let mut c = base();
    for line in azpay_cli_env(&server) {
        let (k, v) = line.split_once('=').unwrap();
        c.env(k, v);
    }
    let out = c
        .args(["--json", "payriff", "verify-callback"])
        .write_stdin(forged)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // Not a callback: exit 1, nothing printed.
    let out = azpay()
        .args(["payriff", "verify-callback"])
        .write_stdin("not json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}
