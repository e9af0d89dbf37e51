//! `azpay demo` driven as the real binary: the whole walk against the built-in sandbox, and
//! its refusal to run when a real gateway is configured.

use assert_cmd::Command;
use predicates::prelude::*;

/// Every variable a gateway command reads, removed so that the test sees "no configuration".
const GATEWAY_VARS: &[&str] = &[
    "EPOINT_PUBLIC_KEY",
    "EPOINT_PRIVATE_KEY",
    "EPOINT_BASE_URL",
    "KAPITAL_USERNAME",
    "KAPITAL_PASSWORD",
    "KAPITAL_BASE_URL",
    "TWEC_MERCHANT_ID",
    "TWEC_CLIENT_CERT",
    "TWEC_CLIENT_KEY",
    "TWEC_CA_CERT",
    "TWEC_BASE_URL",
    "PAYRIFF_SECRET_KEY",
    "PAYRIFF_BASE_URL",
    "PAYRIFF_CALLBACK_URL",
    "PAYRIFF_REDIRECT_URL",
];

fn azpay() -> Command {
    let mut cmd = Command::cargo_bin("azpay").unwrap();
    for v in GATEWAY_VARS {
        cmd.env_remove(v);
    }
    cmd.timeout(std::time::Duration::from_secs(120));
    cmd
}

#[test]
fn demo_walks_every_gateway_to_a_verified_payment_and_a_refund() {
    let out = azpay().arg("demo").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    // EPoint: the signed callback verified, get-status success, then returned after the refund.
    for needle in [
        "== EPoint ==",
        "signature verified with the private key: status success",
        "4. status: get-status says success",
        "5. refund: full refund of 10.50 AZN requested: success",
        "6. status after the refund: returned",
        "EPoint: paid (verified status success) and refunded.",
        // Kapital: the redirect parsed, then verified with the bank.
        "== Kapital Bank ==",
        "STATUS=FullyPaid",
        "4. status: the bank says order",
        "is FullyPaid (the claim matches)",
        "5. refund: 25.00 AZN refunded: approved",
        "6. status after the refund: Refunded",
        "Kapital Bank: paid (verified status FullyPaid) and refunded.",
        // TWEC: the posted xmlmsg, then GetOrderStatus over mutual TLS.
        "== TWEC (mutual TLS) ==",
        "auto-submitted a form to the shop: POST",
        "4. status: GetOrderStatus says order",
        "is APPROVED",
        "6. status after the refund: REFUNDED",
        "TWEC: paid (verified status APPROVED) and refunded.",
        // Payriff: the unsigned callback, confirmed by the order query.
        "== Payriff ==",
        "with X-REQUEST-RRN azpay-demo-payriff-1",
        "it is unsigned, so azpay asks Payriff",
        "is APPROVED (the claim matches)",
        "5. refund: full refund of 12.30 AZN requested: done (code 00000)",
        "6. status after the refund: REFUNDED",
        "Payriff: paid (verified status APPROVED) and refunded.",
        // Azericard: the signed BACKREF checked, then confirmed by TRTYPE 90, then reversed.
        "== Azericard (RSA-signed forms) ==",
        "its P_SIGN verifies with Azericard's public key; it claims ACTION 0 RC 00",
        "4. status: TRTYPE 90 says ACTION 0 RC 00: done",
        "6. status after the reversal: returned",
        "Azericard: paid (verified by status) and reversed.",
        "All gateways: paid, verified and refunded.",
    ] {
        assert!(stdout.contains(needle), "missing {needle:?} in:\n{stdout}");
    }
    // The order is right: create, page, return, status, refund.
    let epoint = &stdout[stdout.find("== EPoint ==").unwrap()..stdout.find("== Kapital").unwrap()];
    let steps: Vec<usize> = [
        "1. create",
        "2. cardholder",
        "3. callback",
        "4. status",
        "5. refund",
    ]
    .iter()
    .map(|s| epoint.find(s).unwrap_or_else(|| panic!("{s} missing")))
    .collect();
    assert!(steps.windows(2).all(|w| w[0] < w[1]), "{epoint}");
}

#[test]
fn demo_refuses_when_a_real_gateway_is_configured() {
    azpay()
        .arg("demo")
        .env("EPOINT_PRIVATE_KEY", "a-real-looking-secret")
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("EPOINT_PRIVATE_KEY is set"))
        .stderr(predicate::str::contains("will not touch real money"))
        .stderr(predicate::str::contains("a-real-looking-secret").not());
}

#[test]
fn demo_live_is_refused_plainly() {
    azpay()
        .args(["demo", "--live"])
        .env("KAPITAL_PASSWORD", "x")
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "live demo against real gateways is not supported",
        ));
}

#[test]
fn demo_and_sandbox_refuse_dry_run() {
    for command in ["demo", "sandbox"] {
        azpay()
            .args(["--dry-run", command])
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains("--dry-run does not apply"));
    }
}
