//! `azpay azericard ...` as a real binary against the sandbox served in-process: the signed
//! form (dry run to the byte), paying on the hosted page, the signed BACKREF checked by
//! `verify-callback` (then confirmed by a status query), status, completion, reversal and the
//! exit codes of each outcome; bad input exits 2 and sends nothing.

use std::path::PathBuf;

use assert_cmd::Command;
use azpay_core::azericard::{Config, Pay, RsaPemSigner, Stamp};
use azpay_core::{Amount, Currency};
use azpay_sandbox::serve::{serve, ServeOptions, ServerHandle};
use azpay_sandbox::{cards, Card, CardAction, Gateway, SandboxConfig};
use predicates::prelude::*;

struct Env {
    server: ServerHandle,
    dir: PathBuf,
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start() -> Env {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "azpay-cli-azericard-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    ));
    let server = serve(
        SandboxConfig::default(),
        ServeOptions::new("127.0.0.1:0".parse().unwrap()).tls_dir(&dir),
    )
    .unwrap();
    Env { server, dir }
}

impl Env {
    fn vars(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .server
            .env_lines()
            .into_iter()
            .filter(|l| l.starts_with("AZERICARD_"))
            .filter_map(|l| l.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
            .collect();
        v.push(("AZERICARD_MERCHANT_NAME".into(), "Shop".into()));
        v.push(("AZERICARD_MERCHANT_URL".into(), "https://shop.test".into()));
        v.push((
            "AZERICARD_CALLBACK_URL".into(),
            "https://shop.test/back".into(),
        ));
        v
    }

    fn azpay(&self, args: &str) -> Command {
        let mut cmd = Command::cargo_bin("azpay").unwrap();
        cmd.env_clear();
        for (k, v) in self.vars() {
            cmd.env(k, v);
        }
        cmd.args(args.split_whitespace());
        cmd
    }

    /// Posts the form fields as the browser does, pays with `pan`; the BACKREF body.
    fn pay(&self, fields: &serde_json::Map<String, serde_json::Value>, pan: &str) -> String {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str().unwrap())),
            )
            .finish();
        let request = http::Request::post(format!("{}/cgi-bin/cgi_link", self.server.base_url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.into_bytes())
            .unwrap();
        let page = self.server.with_sandbox(|sb| sb.handle(&request));
        let html = String::from_utf8(page.into_body()).unwrap();
        let at = html
            .find("/azericard/pay/")
            .unwrap_or_else(|| panic!("{html}"));
        let session: String = html[at + "/azericard/pay/".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let outcome = self
            .server
            .with_sandbox(|sb| {
                sb.complete_payment(
                    Gateway::Azericard,
                    &session,
                    &CardAction::Pay(Card::new(pan)),
                )
            })
            .unwrap();
        let azpay_sandbox::Redirect::PostForm { fields, .. } = outcome.redirect else {
            panic!("BACKREF is a posted form")
        };
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .finish()
    }
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn field(body: &str, k: &str) -> String {
    form_urlencoded::parse(body.as_bytes())
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[test]
fn dry_run_is_the_browsers_post_to_the_byte() {
    let env = start();
    let out = env
        .azpay("--dry-run azericard pay --amount 10.5 --order 20250123000001 --description Books --timestamp 20250123044608 --nonce f2b2dd7e603a7ada")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    let signer =
        RsaPemSigner::from_pem(azpay_sandbox::TEST_MERCHANT_PRIVATE_KEY_PEM.as_bytes()).unwrap();
    let config = Config::new("17202191", signer)
        .base_url(env.server.base_url())
        .unwrap()
        .merchant_name("Shop")
        .merchant_url("https://shop.test")
        .callback_url("https://shop.test/back");
    let form = Pay::purchase(
        Amount::parse_major("10.50", Currency::AZN).unwrap(),
        "20250123000001",
        "Books",
    )
    .stamp(Stamp::new("20250123044608", "f2b2dd7e603a7ada").unwrap())
    .form(&config)
    .unwrap();
    assert_eq!(v["method"], "POST");
    assert_eq!(
        v["url"],
        format!("{}/cgi-bin/cgi_link", env.server.base_url())
    );
    assert_eq!(
        v["headers"]["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        v["body"].as_str().unwrap(),
        String::from_utf8(form.body()).unwrap()
    );
    // --html: every value escaped, unset fields absent.
    let out = env
        .azpay("azericard pay --amount 1 --order 000001 --description A&B --html")
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains(r#"name="DESC" value="A&amp;B""#), "{html}");
    assert!(!html.contains("None") && !html.contains("\"EMAIL\""));
}

#[test]
fn pay_verify_status_reverse_and_exit_codes() {
    let env = start();
    let out = env
        .azpay("--json azericard pay --amount 10.50 --order 000101 --description Books")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    assert_eq!(v["state"], "done");
    let backref = env.pay(v["fields"].as_object().unwrap(), cards::AZERICARD_VISA);

    // Signature only.
    let out = env
        .azpay("--json azericard verify-callback --no-query")
        .write_stdin(backref.clone())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    assert_eq!(v["signature"], "signature valid, status unconfirmed");
    assert_eq!(v["action"], "0");
    // Signature, then the status query: paid, exit 0.
    let out = env
        .azpay("--json azericard verify-callback")
        .write_stdin(backref.clone())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    assert_eq!(
        (v["state"].as_str(), v["claim_matches"].as_bool()),
        (Some("done"), Some(true))
    );
    // A tampered amount: exit 1, nothing printed.
    let forged = backref.replace("AMOUNT=10.50", "AMOUNT=0.01");
    env.azpay("azericard verify-callback --no-query")
        .write_stdin(forged)
        .assert()
        .code(1)
        .stdout("");

    env.azpay("azericard status --order 000101")
        .assert()
        .code(0);
    let (rrn, int_ref) = (field(&backref, "RRN"), field(&backref, "INT_REF"));
    let out = env
        .azpay(&format!("--json azericard reverse --order 000101 --amount 10.50 --rrn {rrn} --int-ref {int_ref}"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json_of(&out)["state"], "done");
    // The same reversal again: a duplicate, pending (exit 5).
    env.azpay(&format!(
        "azericard reverse --order 000101 --amount 10.50 --rrn {rrn} --int-ref {int_ref}"
    ))
    .assert()
    .code(5);
    // The purchase now reads reversed: money returned, exit 6.
    env.azpay("azericard status --order 000101")
        .assert()
        .code(6);
    env.azpay("azericard status --order 000101 --tran-trtype 22")
        .assert()
        .code(6);
}

#[test]
fn hold_complete_and_decline() {
    let env = start();
    let v = json_of(
        &env.azpay("--json azericard pay --amount 2 --order 000201 --description Hold --preauth")
            .output()
            .unwrap(),
    );
    assert_eq!(v["fields"]["TRTYPE"], "0");
    let backref = env.pay(
        v["fields"].as_object().unwrap(),
        cards::AZERICARD_MASTERCARD,
    );
    env.azpay("azericard status --order 000201 --tran-trtype 0")
        .assert()
        .code(0);
    let (rrn, int_ref) = (field(&backref, "RRN"), field(&backref, "INT_REF"));
    env.azpay(&format!(
        "azericard complete --order 000201 --amount 2 --rrn {rrn} --int-ref {int_ref}"
    ))
    .assert()
    .code(0);
    // A wrong RRN is refused by the gateway: declined, exit 3.
    env.azpay(&format!(
        "azericard complete --order 000201 --amount 2 --rrn 000000000000 --int-ref {int_ref}"
    ))
    .assert()
    .code(3);

    let v = json_of(
        &env.azpay("--json azericard pay --amount 3 --order 000202 --description No")
            .output()
            .unwrap(),
    );
    let backref = env.pay(v["fields"].as_object().unwrap(), cards::DECLINE);
    env.azpay("azericard verify-callback")
        .write_stdin(backref)
        .assert()
        .code(3);
    env.azpay("azericard status --order 000202")
        .assert()
        .code(3);
}

#[test]
fn bad_input_exits_2_and_sends_nothing() {
    let env = start();
    for line in [
        "azericard pay --amount 1 --order 12345 --description x",
        "azericard pay --amount abc --order 123456 --description x",
        "azericard pay --amount 1.234 --order 123456 --description x",
        "azericard pay --amount 1 --order 123456 --description x --timestamp 2025",
        "azericard pay --amount 1 --order 123456 --description x --nonce zz",
        "azericard status --order 123456 --tran-trtype 90",
        "azericard complete --order 123456 --amount 1 --rrn 1 --int-ref A",
    ] {
        env.azpay(line).assert().code(2);
    }
    let before = env.server.with_sandbox(|sb| sb.handled());
    let mut cmd = Command::cargo_bin("azpay").unwrap();
    cmd.env_clear()
        .args(["azericard", "status", "--order", "123456"])
        .assert()
        .code(2)
        .stderr(
            predicates::str::contains("AZERICARD_MERCHANT_ID")
                .and(predicates::str::contains("azpay sandbox")),
        );
    assert_eq!(
        env.server.with_sandbox(|sb| sb.handled()),
        before,
        "nothing was sent"
    );
}
