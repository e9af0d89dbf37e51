//! Azericard: the payment form built and RSA-signed, and the BACKREF callback verified, azpay
//! beside the floor (the same MAC source, ring RSA and hex called directly). Both sides pay
//! for one RSA-2048 private-key operation (signing) or one public-key operation (verifying);
//! that is the cost per call that dominates.

use azpay_core::azericard::{
    verify_callback, Config, Pay, PaymentForm, RsaPemSigner, RsaPublicKey, Stamp,
    UnverifiedCallback,
};
use azpay_core::{Amount, Currency};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ring::signature::{self, KeyPair, RsaKeyPair};

/// The sandbox's TEST-ONLY terminal.
pub const TERMINAL: &str = "17202191";
const MERCH_URL: &str = "https://shop.example.az";
const BACKREF: &str = "https://shop.example.az/azericard/back";

fn der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    STANDARD.decode(body).expect("a PEM body")
}

/// The azpay configuration (the sandbox's TEST-ONLY merchant and gateway keys).
pub fn config() -> Config {
    Config::new(
        TERMINAL,
        RsaPemSigner::from_pem(azpay_sandbox::TEST_MERCHANT_PRIVATE_KEY_PEM.as_bytes()).unwrap(),
    )
    .merchant_name("Shop")
    .merchant_url(MERCH_URL)
    .callback_url(BACKREF)
    .gateway_key(
        RsaPublicKey::from_pem(azpay_sandbox::TEST_GATEWAY_PUBLIC_KEY_PEM.as_bytes()).unwrap(),
    )
}

/// The measured purchase: 10.50 AZN, order 20250123000001.
pub fn pay_op() -> Pay {
    Pay::purchase(
        Amount::from_minor(1050, Currency::AZN),
        "20250123000001",
        "Books",
    )
    .stamp(Stamp::new("20250123044608", "f2b2dd7e603a7ada").unwrap())
}

/// azpay: check, build and sign the form.
pub fn azpay_pay(op: &Pay, config: &Config) -> PaymentForm {
    op.form(config).expect("a valid form")
}

/// The floor's keys, loaded once (as azpay's are).
pub struct FloorKeys {
    merchant: RsaKeyPair,
    gateway: RsaKeyPair,
    gateway_public: Vec<u8>,
    rng: ring::rand::SystemRandom,
}

/// Loads the floor's keys.
pub fn floor_keys() -> FloorKeys {
    let gateway =
        RsaKeyPair::from_pkcs8(&der(azpay_sandbox::TEST_GATEWAY_PRIVATE_KEY_PEM)).unwrap();
    FloorKeys {
        merchant: RsaKeyPair::from_pkcs8(&der(azpay_sandbox::TEST_MERCHANT_PRIVATE_KEY_PEM))
            .unwrap(),
        gateway_public: gateway.public_key().as_ref().to_vec(),
        gateway,
        rng: ring::rand::SystemRandom::new(),
    }
}

fn mac(values: &[&str]) -> String {
    let mut s = String::with_capacity(128);
    for v in values {
        if v.is_empty() {
            s.push('-');
        } else {
            s.push_str(&v.len().to_string());
            s.push_str(v);
        }
    }
    s
}

fn hex(bytes: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(H[usize::from(b >> 4)] as char);
        s.push(H[usize::from(b & 15)] as char);
    }
    s
}

fn rsa_sign(key: &RsaKeyPair, rng: &ring::rand::SystemRandom, message: &str) -> String {
    let mut sig = vec![0; key.public().modulus_len()];
    key.sign(
        &signature::RSA_PKCS1_SHA256,
        rng,
        message.as_bytes(),
        &mut sig,
    )
    .unwrap();
    hex(&sig)
}

/// Floor: the MAC source, ring's RSA signature, hex and the form body, nothing else.
pub fn floor_pay(keys: &FloorKeys) -> Vec<u8> {
    let amount = crate::major_2(1050);
    let p_sign = rsa_sign(
        &keys.merchant,
        &keys.rng,
        &mac(&[
            &amount,
            "AZN",
            TERMINAL,
            "1",
            "20250123044608",
            "f2b2dd7e603a7ada",
            MERCH_URL,
        ]),
    );
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("AMOUNT", amount.as_str()),
            ("CURRENCY", "AZN"),
            ("ORDER", "20250123000001"),
            ("DESC", "Books"),
            ("MERCH_NAME", "Shop"),
            ("MERCH_URL", MERCH_URL),
            ("TERMINAL", TERMINAL),
            ("TRTYPE", "1"),
            ("BACKREF", BACKREF),
            ("TIMESTAMP", "20250123044608"),
            ("NONCE", "f2b2dd7e603a7ada"),
            ("LANG", "az"),
            ("P_SIGN", &p_sign),
        ])
        .finish()
        .into_bytes()
}

/// A BACKREF body signed with the gateway's TEST key.
pub fn callback_body(keys: &FloorKeys) -> Vec<u8> {
    let p_sign = rsa_sign(
        &keys.gateway,
        &keys.rng,
        &mac(&[
            "10.50",
            TERMINAL,
            "168975",
            "306276834930",
            "4A29E93C607E33DC",
        ]),
    );
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("TERMINAL", TERMINAL),
            ("TRTYPE", "1"),
            ("ORDER", "20250123000001"),
            ("AMOUNT", "10.50"),
            ("CURRENCY", "944"),
            ("ACTION", "0"),
            ("RC", "00"),
            ("APPROVAL", "168975"),
            ("RRN", "306276834930"),
            ("INT_REF", "4A29E93C607E33DC"),
            ("TIMESTAMP", "20250123044700"),
            ("NONCE", "a1b2c3d4e5f60718"),
            ("P_SIGN", &p_sign),
        ])
        .finish()
        .into_bytes()
}

/// azpay: verify the callback (form, MAC, RSA) into the unconfirmed claim.
pub fn azpay_callback(config: &Config, body: &[u8]) -> UnverifiedCallback {
    verify_callback(config, body).expect("a signed callback")
}

/// Floor: parse the form, the MAC source, hex-decode, ring's RSA verification.
pub fn floor_callback(keys: &FloorKeys, body: &[u8]) -> bool {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map_or("", |(_, v)| v.as_str())
    };
    let source = mac(&[
        get("AMOUNT"),
        get("TERMINAL"),
        get("APPROVAL"),
        get("RRN"),
        get("INT_REF"),
    ]);
    let h = get("P_SIGN").as_bytes();
    let sig: Option<Vec<u8>> = h
        .chunks_exact(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
        .collect();
    let Some(sig) = sig else { return false };
    signature::UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &keys.gateway_public)
        .verify(source.as_bytes(), &sig)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azpay_and_floor_build_the_same_form() {
        let keys = floor_keys();
        assert_eq!(azpay_pay(&pay_op(), &config()).body(), floor_pay(&keys));
    }

    #[test]
    fn azpay_and_floor_accept_the_same_callback() {
        let keys = floor_keys();
        let body = callback_body(&keys);
        assert!(floor_callback(&keys, &body));
        assert_eq!(azpay_callback(&config(), &body).order(), "20250123000001");
        let forged = String::from_utf8(body).unwrap().replace("10.50", "10.51");
        assert!(!floor_callback(&keys, forged.as_bytes()));
        assert!(verify_callback(&config(), forged.as_bytes()).is_err());
    }
}
