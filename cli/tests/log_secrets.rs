//! `RUST_LOG` turns logging on (to stderr), and even at `trace` no secret shows: not the
//! Kapital password nor its Basic header, not the EPoint private key nor a request signature.

use std::net::{Ipv4Addr, SocketAddr};

use assert_cmd::Command;
use azpay_sandbox::serve::{serve, ServeOptions, ServerHandle};
use azpay_sandbox::SandboxConfig;
use base64::Engine as _;

const KAPITAL_USER: &str = "TerminalSys/log-test";
const KAPITAL_PASSWORD: &str = "KAPITAL-LOG-SECRET-1f2e3d";
const EPOINT_PUBLIC: &str = "i000000777";
const EPOINT_PRIVATE: &str = "EPOINT-LOG-SECRET-9a8b7c";

fn sandbox() -> ServerHandle {
    let mut config = SandboxConfig::default();
    config.kapital_username = KAPITAL_USER.to_owned();
    config.kapital_password = KAPITAL_PASSWORD.to_owned();
    config.epoint_public_key = EPOINT_PUBLIC.to_owned();
    config.epoint_private_key = EPOINT_PRIVATE.to_owned();
    serve(
        config,
        ServeOptions::new(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))),
    )
    .unwrap()
}

/// `azpay` pointed at `server`, with nothing else from the environment.
fn azpay(server: &ServerHandle, rust_log: Option<&str>) -> Command {
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
    for line in server.env_lines() {
        let (k, v) = line.split_once('=').unwrap();
        c.env(k, v);
    }
    if let Some(filter) = rust_log {
        c.env("RUST_LOG", filter);
    }
    c
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn assert_clean(what: &str, text: &str, secrets: &[String]) {
    for s in secrets {
        assert!(!text.contains(s.as_str()), "{what} shows {s}: {text}");
    }
}

#[test]
fn rust_log_trace_logs_and_shows_no_kapital_secret() {
    let server = sandbox();
    let args = [
        "kapital",
        "create-order",
        "--amount",
        "1",
        "--currency",
        "AZN",
        "--description",
        "log-test",
    ];
    // Without RUST_LOG: no log at all.
    let quiet = azpay(&server, None).args(args).output().unwrap();
    assert!(quiet.status.success(), "{quiet:?}");
    assert!(quiet.stderr.is_empty(), "{quiet:?}");

    let out = azpay(&server, Some("trace")).args(args).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stderr.contains("azpay.request"), "no log lines: {stderr}");
    assert!(stderr.contains("azpay.response"), "no log lines: {stderr}");
    assert!(stderr.contains("status=200"), "{stderr}");
    let basic = b64(&format!("{KAPITAL_USER}:{KAPITAL_PASSWORD}"));
    let secrets = [
        KAPITAL_PASSWORD.to_owned(),
        b64(KAPITAL_PASSWORD),
        basic.clone(),
        format!("Basic {basic}"),
        // No request body in the log either.
        "log-test".to_owned(),
    ];
    assert_clean("stderr", &stderr, &secrets);
    assert_clean("stdout", &stdout, &secrets);
    // A bad filter is reported on one line and the command still runs.
    let out = azpay(&server, Some("azpay=notalevel"))
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("azpay: ignoring RUST_LOG"), "{stderr}");
}

#[test]
fn rust_log_trace_shows_no_epoint_secret() {
    let server = sandbox();
    let args = [
        "epoint",
        "pay",
        "--amount",
        "1.50",
        "--currency",
        "AZN",
        "--order-id",
        "log-order-1",
    ];
    // The signature azpay sends (the same request, printed by --dry-run).
    let dry = azpay(&server, None)
        .arg("--dry-run")
        .args(args)
        .output()
        .unwrap();
    assert!(dry.status.success(), "{dry:?}");
    let dry: serde_json::Value = serde_json::from_slice(&dry.stdout).unwrap();
    let body = dry["body"].as_str().unwrap().to_owned();
    let signature = form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "signature")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let data = form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "data")
        .map(|(_, v)| v.into_owned())
        .unwrap();

    let out = azpay(&server, Some("trace")).args(args).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stderr.contains("azpay.request"), "no log lines: {stderr}");
    let secrets = [
        EPOINT_PRIVATE.to_owned(),
        b64(EPOINT_PRIVATE),
        signature.clone(),
        form_urlencoded::byte_serialize(signature.as_bytes()).collect(),
        data,
    ];
    assert_clean("stderr", &stderr, &secrets);
    assert_clean("stdout", &stdout, &secrets);
}
