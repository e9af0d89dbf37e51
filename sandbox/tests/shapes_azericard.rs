//! The Azericard simulator's status reply held to the published field list (issue 17).

mod common;

use azpay_sandbox::{credentials, TEST_MERCHANT_PRIVATE_KEY_PEM};
use azpay_test_support::shape::{check, json_shape};
use base64::Engine as _;
use common::{form, sandbox, BASE};
use ring::signature::{self, RsaKeyPair};

fn sign(source: &str) -> String {
    let body: String = TEST_MERCHANT_PRIVATE_KEY_PEM
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    let key = RsaKeyPair::from_pkcs8(&der).unwrap();
    let mut sig = vec![0; key.public().modulus_len()];
    key.sign(
        &signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        source.as_bytes(),
        &mut sig,
    )
    .unwrap();
    sig.iter().map(|b| format!("{b:02x}")).collect()
}

fn mac(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| {
            if v.is_empty() {
                "-".to_owned()
            } else {
                format!("{}{v}", v.len())
            }
        })
        .collect()
}

fn post(fields: &[(&str, &str)]) -> http::Request<Vec<u8>> {
    http::Request::post(format!("{BASE}/cgi-bin/cgi_link"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(fields))
        .unwrap()
}

#[test]
fn status_reply_has_the_documented_fields() {
    let mut sb = sandbox();
    let (t, ts) = (credentials::AZERICARD_TERMINAL, "20240612153823");
    let url = "https://shop.test";
    let p = sign(&mac(&["1.00", "AZN", t, "1", ts, "00000000000000a1", url]));
    let page = sb.handle(&post(&[
        ("AMOUNT", "1.00"),
        ("CURRENCY", "AZN"),
        ("ORDER", "000001"),
        ("DESC", "x"),
        ("MERCH_NAME", "S"),
        ("MERCH_URL", url),
        ("TERMINAL", t),
        ("TRTYPE", "1"),
        ("BACKREF", "https://shop.test/back"),
        ("TIMESTAMP", ts),
        ("NONCE", "00000000000000a1"),
        ("P_SIGN", &p),
    ]));
    let html = String::from_utf8(page.into_body()).unwrap();
    let at = html.find("/azericard/pay/").unwrap();
    let path: String = html[at..].chars().take_while(|c| *c != '"').collect();
    sb.handle(
        &http::Request::post(format!("{BASE}{path}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[
                ("pan", azpay_sandbox::cards::AZERICARD_VISA),
                ("expiry", "05/31"),
                ("cvv", "796"),
            ]))
            .unwrap(),
    );
    let p = sign(&mac(&["000001", t, "90", ts, "00000000000000a2"]));
    let r = sb.handle(&post(&[
        ("TRAN_TRTYPE", "1"),
        ("ORDER", "000001"),
        ("TERMINAL", t),
        ("TRTYPE", "90"),
        ("TIMESTAMP", ts),
        ("NONCE", "00000000000000a2"),
        ("P_SIGN", &p),
    ]));
    let shape = json_shape(r.body()).unwrap();
    let fixture = include_str!("shapes/azericard/status.shape");
    check("azericard/status.shape", fixture, &shape).unwrap();
}
