//! The Azericard simulator, driven by hand-made requests (its own TEST keys, ring): the form
//! opens the hosted page, which posts a signed BACKREF; holds, completions, reversals and
//! status; refusals for a bad signature, a stale timestamp and a reused nonce.

mod common;

use azpay_sandbox::{
    cards, credentials, Sandbox, TEST_GATEWAY_PRIVATE_KEY_PEM, TEST_MERCHANT_PRIVATE_KEY_PEM,
};
use base64::Engine as _;
use common::{form, sandbox, Request, BASE};
use ring::signature::{self, KeyPair, RsaKeyPair};

const NOW: &str = "20240612153823"; // the common sandbox's fixed clock

fn der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
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

fn sign_with(pem: &str, source: &str) -> String {
    let key = RsaKeyPair::from_pkcs8(&der(pem)).unwrap();
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

fn post(fields: &[(&str, &str)]) -> Request {
    http::Request::post(format!("{BASE}/cgi-bin/cgi_link"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(fields))
        .unwrap()
}

static NONCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
fn nonce() -> String {
    format!(
        "{:016x}",
        NONCE.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    )
}

fn pay_form(trtype: &str, order: &str, amount: &str, ts: &str, nonce: &str, key: &str) -> Request {
    let t = credentials::AZERICARD_TERMINAL;
    let merch_url = "https://shop.test";
    let p_sign = sign_with(key, &mac(&[amount, "AZN", t, trtype, ts, nonce, merch_url]));
    post(&[
        ("AMOUNT", amount),
        ("CURRENCY", "AZN"),
        ("ORDER", order),
        ("DESC", "Books"),
        ("MERCH_NAME", "Shop"),
        ("MERCH_URL", merch_url),
        ("TERMINAL", t),
        ("TRTYPE", trtype),
        ("BACKREF", "https://shop.test/back"),
        ("TIMESTAMP", ts),
        ("NONCE", nonce),
        ("LANG", "en"),
        ("P_SIGN", &p_sign),
    ])
}

fn follow(trtype: &str, order: &str, amount: &str, rrn: &str, int_ref: &str) -> Request {
    let t = credentials::AZERICARD_TERMINAL;
    let n = nonce();
    let p_sign = sign_with(
        TEST_MERCHANT_PRIVATE_KEY_PEM,
        &mac(&[amount, "AZN", t, trtype, order, rrn, int_ref]),
    );
    post(&[
        ("AMOUNT", amount),
        ("CURRENCY", "AZN"),
        ("ORDER", order),
        ("RRN", rrn),
        ("INT_REF", int_ref),
        ("TERMINAL", t),
        ("TRTYPE", trtype),
        ("TIMESTAMP", NOW),
        ("NONCE", &n),
        ("P_SIGN", &p_sign),
    ])
}

fn body(r: &http::Response<Vec<u8>>) -> String {
    String::from_utf8(r.body().clone()).unwrap()
}

/// Pays `order` on the hosted page with `pan`; the BACKREF fields.
fn pay(
    sb: &mut Sandbox,
    trtype: &str,
    order: &str,
    amount: &str,
    pan: &str,
) -> Vec<(String, String)> {
    let r = sb.handle(&pay_form(
        trtype,
        order,
        amount,
        NOW,
        &nonce(),
        TEST_MERCHANT_PRIVATE_KEY_PEM,
    ));
    assert_eq!(r.status(), 200, "{}", body(&r));
    let page = body(&r);
    let start = page
        .find("/azericard/pay/")
        .expect("the card page posts to its session");
    let path: String = page[start..].chars().take_while(|c| *c != '"').collect();
    let r = sb.handle(
        &http::Request::post(format!("{BASE}{path}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[
                ("pan", pan),
                ("expiry", "05/31"),
                ("cvv", "796"),
                ("holder", "TEST"),
            ]))
            .unwrap(),
    );
    assert_eq!(r.status(), 200, "{}", body(&r));
    let html = body(&r);
    assert!(html.contains("action=\"https://shop.test/back\""), "{html}");
    // The auto-post form's hidden fields.
    html.split("<input type=\"hidden\" name=\"")
        .skip(1)
        .map(|part| {
            let (name, rest) = part.split_once("\" value=\"").unwrap();
            let value = rest.split_once('"').unwrap().0;
            (name.to_owned(), value.replace("&amp;", "&"))
        })
        .collect()
}

fn get<'a>(fields: &'a [(String, String)], k: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn status_of(sb: &mut Sandbox, order: &str, tran: &str) -> (u16, String) {
    let t = credentials::AZERICARD_TERMINAL;
    let n = nonce();
    let p_sign = sign_with(
        TEST_MERCHANT_PRIVATE_KEY_PEM,
        &mac(&[order, t, "90", NOW, &n]),
    );
    let r = sb.handle(&post(&[
        ("TRAN_TRTYPE", tran),
        ("ORDER", order),
        ("TERMINAL", t),
        ("TRTYPE", "90"),
        ("TIMESTAMP", NOW),
        ("NONCE", &n),
        ("P_SIGN", &p_sign),
    ]));
    (r.status().as_u16(), body(&r))
}

#[test]
fn purchase_posts_a_backref_signed_by_the_gateway_key() {
    let mut sb = sandbox();
    let fields = pay(&mut sb, "1", "000001", "10.50", cards::AZERICARD_VISA);
    assert_eq!(get(&fields, "ACTION"), "0");
    assert_eq!(get(&fields, "RC"), "00");
    assert_eq!(get(&fields, "ORDER"), "000001");
    assert_eq!(get(&fields, "RRN").len(), 12);
    // P_SIGN verifies with the gateway's public key over AMOUNT, TERMINAL, APPROVAL, RRN, INT_REF.
    let key = RsaKeyPair::from_pkcs8(&der(TEST_GATEWAY_PRIVATE_KEY_PEM)).unwrap();
    let public = key.public_key().as_ref().to_vec();
    let source = mac(&[
        get(&fields, "AMOUNT"),
        get(&fields, "TERMINAL"),
        get(&fields, "APPROVAL"),
        get(&fields, "RRN"),
        get(&fields, "INT_REF"),
    ]);
    let sig: Vec<u8> = (0..get(&fields, "P_SIGN").len() / 2)
        .map(|i| u8::from_str_radix(&get(&fields, "P_SIGN")[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    signature::UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &public)
        .verify(source.as_bytes(), &sig)
        .expect("BACKREF verifies");
    let (code, json) = status_of(&mut sb, "000001", "1");
    assert_eq!(code, 200);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (v["ACTION"].as_str(), v["Response code"].as_str()),
        (Some("0"), Some("00"))
    );
    assert_eq!(v["Transaction RRN"].as_str(), Some(get(&fields, "RRN")));
    // Reverse it (22): the status then says Reversed.
    let r = sb.handle(&follow(
        "22",
        "000001",
        "10.50",
        get(&fields, "RRN"),
        get(&fields, "INT_REF"),
    ));
    assert_eq!(body(&r), "0");
    let r = sb.handle(&follow(
        "22",
        "000001",
        "10.50",
        get(&fields, "RRN"),
        get(&fields, "INT_REF"),
    ));
    assert_eq!(body(&r), "1", "a second reversal is a duplicate");
    let (_, json) = status_of(&mut sb, "000001", "1");
    assert!(
        json.contains("\"Transaction state\":\"Reversed\""),
        "{json}"
    );
    let (_, json) = status_of(&mut sb, "000001", "22");
    assert!(json.contains("\"ACTION\":\"0\""), "{json}");
}

#[test]
fn hold_completion_and_decline() {
    let mut sb = sandbox();
    let fields = pay(&mut sb, "0", "000002", "1.00", cards::AZERICARD_MASTERCARD);
    let (rrn, int_ref) = (
        get(&fields, "RRN").to_owned(),
        get(&fields, "INT_REF").to_owned(),
    );
    let (_, json) = status_of(&mut sb, "000002", "0");
    assert!(
        json.contains("\"Transaction state\":\"Authorized\""),
        "{json}"
    );
    assert_eq!(
        body(&sb.handle(&follow("21", "000002", "2.00", &rrn, &int_ref))),
        "2",
        "another amount"
    );
    assert_eq!(
        body(&sb.handle(&follow("21", "000002", "1.00", "000000000000", &int_ref))),
        "2",
        "another RRN"
    );
    assert_eq!(
        body(&sb.handle(&follow("21", "000002", "1.00", &rrn, &int_ref))),
        "0"
    );
    assert_eq!(
        body(&sb.handle(&follow("21", "000002", "1.00", &rrn, &int_ref))),
        "1"
    );
    let (_, json) = status_of(&mut sb, "000002", "21");
    assert!(
        json.contains("\"Transaction state\":\"Completed\""),
        "{json}"
    );
    assert_eq!(
        sb.executed(azpay_sandbox::Gateway::Azericard, "complete"),
        1
    );

    let declined = pay(&mut sb, "1", "000003", "5.00", cards::DECLINE);
    assert_eq!((get(&declined, "ACTION"), get(&declined, "RRN")), ("2", ""));
    let (_, json) = status_of(&mut sb, "000003", "1");
    assert!(json.contains("\"ACTION\":\"2\""), "{json}");
    assert_eq!(status_of(&mut sb, "999999", "1").1, "2", "unknown order");
}

#[test]
fn refusals_bad_signature_stale_timestamp_reused_nonce() {
    let mut sb = sandbox();
    // Signed with the gateway's key instead of the merchant's.
    let r = sb.handle(&pay_form(
        "1",
        "000010",
        "1.00",
        NOW,
        &nonce(),
        TEST_GATEWAY_PRIVATE_KEY_PEM,
    ));
    assert_eq!(r.status(), 400);
    assert!(body(&r).contains("wrong P_SIGN"));
    // Over an hour of skew either way.
    for ts in ["20240612143822", "20240612163824"] {
        let r = sb.handle(&pay_form(
            "1",
            "000011",
            "1.00",
            ts,
            &nonce(),
            TEST_MERCHANT_PRIVATE_KEY_PEM,
        ));
        assert_eq!(r.status(), 400, "{ts}");
        assert!(body(&r).contains("TIMESTAMP"), "{}", body(&r));
    }
    // Within the hour is fine.
    let r = sb.handle(&pay_form(
        "1",
        "000012",
        "1.00",
        "20240612144000",
        "aaaaaaaaaaaaaaaa",
        TEST_MERCHANT_PRIVATE_KEY_PEM,
    ));
    assert_eq!(r.status(), 200, "{}", body(&r));
    // The same nonce again.
    let r = sb.handle(&pay_form(
        "1",
        "000013",
        "1.00",
        NOW,
        "aaaaaaaaaaaaaaaa",
        TEST_MERCHANT_PRIVATE_KEY_PEM,
    ));
    assert_eq!(r.status(), 400);
    assert!(body(&r).contains("NONCE"));
    // Server-to-server: bare codes. A tampered amount is a wrong P_SIGN.
    let fields = pay(&mut sb, "1", "000014", "3.00", cards::AZERICARD_VISA);
    let mut req = follow(
        "22",
        "000014",
        "3.00",
        get(&fields, "RRN"),
        get(&fields, "INT_REF"),
    );
    let tampered = String::from_utf8(req.body().clone())
        .unwrap()
        .replace("AMOUNT=3.00", "AMOUNT=1.00");
    *req.body_mut() = tampered.into_bytes();
    assert_eq!(body(&sb.handle(&req)), "3");
}
