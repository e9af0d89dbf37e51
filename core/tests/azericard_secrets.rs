//! Azericard's secrets (the merchant's RSA key, the legacy HMAC key) appear in no `Debug`,
//! `Display` or error reachable from a configuration, an operation or a refused key.

use azpay_core::azericard::{self, Config, Pay, RsaPemSigner, Stamp};
use azpay_core::{Amount, Currency};

const LEGACY_KEY: &str = "0badc0ffee0ddf00d5ec12e7a1b2c3d4";

/// Lines of the PEM body: any of them in a text is key material.
fn key_lines(pem: &str) -> Vec<&str> {
    pem.lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 20)
        .collect()
}

fn assert_clean(what: &str, text: &str) {
    let pem = azpay_sandbox::TEST_MERCHANT_PRIVATE_KEY_PEM;
    for line in key_lines(pem) {
        assert!(!text.contains(line), "{what} leaks the RSA key: {text}");
    }
    assert!(
        !text.contains(LEGACY_KEY),
        "{what} leaks the legacy key: {text}"
    );
    assert!(
        !text.to_ascii_lowercase().contains(LEGACY_KEY),
        "{what}: {text}"
    );
}

#[test]
fn keys_never_show() {
    let pem = azpay_sandbox::TEST_MERCHANT_PRIVATE_KEY_PEM;
    let signer = RsaPemSigner::from_pem(pem.as_bytes()).unwrap();
    assert_clean("signer", &format!("{signer:?} {signer:#?}"));
    let config = Config::new("17202191", signer)
        .merchant_name("Shop")
        .merchant_url("https://shop.example.az")
        .callback_url("https://shop.example.az/back");
    assert_clean("config", &format!("{config:?} {config:#?}"));
    let legacy = Config::legacy_hmac("17202191", LEGACY_KEY);
    assert_clean("legacy config", &format!("{legacy:?} {legacy:#?}"));
    let op = Pay::purchase(Amount::from_minor(100, Currency::AZN), "123", "x")
        .stamp(Stamp::new("20250123044608", "f2b2dd7e603a7ada").unwrap());
    let err = op.form(&config).unwrap_err();
    assert_clean("build error", &format!("{err} {err:?}"));
    // A key refused for its kind, or truncated: the error names the problem, not the key.
    let as_public = azericard::RsaPublicKey::from_pem(pem.as_bytes()).unwrap_err();
    assert_clean("key error", &format!("{as_public} {as_public:?}"));
    let truncated = &pem[..pem.len() / 2];
    let e = RsaPemSigner::from_pem(truncated.as_bytes()).unwrap_err();
    assert_clean("key error", &format!("{e} {e:?}"));
    // Through the lookup: a key file that is not a key.
    let e = Config::from_lookup(
        |n| match n {
            "AZERICARD_MERCHANT_ID" => Some("17202191".into()),
            "AZERICARD_KEY_FILE_PATH" => Some("/k.pem".into()),
            _ => None,
        },
        |_| Ok(truncated.as_bytes().to_vec()),
    )
    .unwrap_err();
    assert_eq!(e.field(), Some("AZERICARD_KEY_FILE_PATH"));
    assert_clean("lookup error", &format!("{e} {e:?}"));
}
