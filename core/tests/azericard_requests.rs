//! Azericard: exact bytes of every request, the MAC sources of the official document
//! (PROVIDERS.md §2.4, source AZDOC) byte for byte, and `P_SIGN` against `openssl dgst
//! -sha256 -sign` with a key made in the test.

mod azericard_support;

use azericard_support::{keys, openssl_sign, openssl_verify, recording};
use azpay_core::azericard::{
    self, legacy_mac, mac_source, Complete, Config, GetStatus, Pay, Reverse, RsaPemSigner, Stamp,
    TrType,
};
use azpay_core::{Amount, Currency, Language, Operation};

fn azn(s: &str) -> Amount {
    Amount::parse_major(s, Currency::AZN).unwrap()
}

fn stamp() -> Stamp {
    Stamp::new("20250123044608", "f2b2dd7e603a7ada").unwrap()
}

fn shop(config: Config) -> Config {
    config
        .merchant_name("Shop")
        .merchant_url("https://shop.example.az")
        .callback_url("https://shop.example.az/azericard/back")
}

const PURCHASE_MAC: &str =
    "510.503AZN81720219111142025012304460816f2b2dd7e603a7ada23https://shop.example.az";
const HOLD_MAC: &str =
    "41.003AZN81720219110142025012304460816f2b2dd7e603a7ada23https://shop.example.az";
const COMPLETION_MAC: &str =
    "510.503AZN817202191221142025012300000112306276834930164A29E93C607E33DC";
const STATUS_MAC: &str = "14202501230000018172021912901420250123050000167cfb4c2512eeec72";

#[test]
fn the_documents_worked_mac_sources() {
    // AZDOC §2.2.1 request.
    assert_eq!(
        mac_source([
            "11.48",
            "USD",
            "99999999",
            "1",
            "20030105153021",
            "F2B2DD7E603A7ADA",
            "www.sample.com"
        ]),
        "511.483USD89999999911142003010515302116F2B2DD7E603A7ADA14www.sample.com"
    );
    // AZDOC "Verify Callback P_SIGN".
    assert_eq!(
        mac_source([
            "11.48",
            "99999999",
            "168975",
            "306276834930",
            "4A29E93C607E33DC"
        ]),
        "511.48899999999616897512306276834930164A29E93C607E33DC"
    );
    // AZDOC §8.3 status (the document says "190 bytes"; it is 62).
    let status = mac_source([
        "20211112075614",
        "17202191",
        "90",
        "20211112075714",
        "7cfb4c2512eeec72",
    ]);
    assert_eq!(
        status,
        "14202111120756148172021912901420211112075714167cfb4c2512eeec72"
    );
    assert_eq!(status.len(), 62);
    // A decline: empty APPROVAL, RRN, INT_REF are `-`.
    assert_eq!(
        mac_source(["1.00", "17202191", "", "", ""]),
        "41.00817202191---"
    );
}

#[test]
fn the_documents_request_through_pay() {
    let (signer, seen) = recording();
    let config = Config::new("99999999", signer)
        .merchant_name("Sample")
        .merchant_url("www.sample.com")
        .callback_url("https://www.sample.com/back");
    Pay::purchase(
        Amount::parse_major("11.48", Currency::USD).unwrap(),
        "000001",
        "IT Books",
    )
    .stamp(Stamp::new("20030105153021", "F2B2DD7E603A7ADA").unwrap())
    .form(&config)
    .unwrap();
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        ["511.483USD89999999911142003010515302116F2B2DD7E603A7ADA14www.sample.com"]
    );
}

#[test]
fn pay_form_fields_in_order_and_the_browser_post() {
    let (signer, seen) = recording();
    let config = shop(Config::new("17202191", signer)).language(Language::En);
    let form = Pay::purchase(azn("10.5"), "20250123000001", "Books & more")
        .stamp(stamp())
        .form(&config)
        .unwrap();
    assert_eq!(seen.lock().unwrap().as_slice(), [PURCHASE_MAC]);
    assert_eq!(
        form.action(),
        "https://testmpi.3dsecure.az/cgi-bin/cgi_link"
    );
    let names: Vec<&str> = form.fields().iter().map(|(k, _)| *k).collect();
    assert_eq!(
        names,
        [
            "AMOUNT",
            "CURRENCY",
            "ORDER",
            "DESC",
            "MERCH_NAME",
            "MERCH_URL",
            "TERMINAL",
            "TRTYPE",
            "BACKREF",
            "TIMESTAMP",
            "NONCE",
            "LANG",
            "P_SIGN"
        ]
    );
    let request = form.to_request();
    assert_eq!(request.method(), "POST");
    assert_eq!(
        request.uri(),
        "https://testmpi.3dsecure.az/cgi-bin/cgi_link"
    );
    assert_eq!(
        request.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        std::str::from_utf8(request.body()).unwrap(),
        "AMOUNT=10.50&CURRENCY=AZN&ORDER=20250123000001&DESC=Books+%26+more&MERCH_NAME=Shop\
         &MERCH_URL=https%3A%2F%2Fshop.example.az&TERMINAL=17202191&TRTYPE=1\
         &BACKREF=https%3A%2F%2Fshop.example.az%2Fazericard%2Fback&TIMESTAMP=20250123044608\
         &NONCE=f2b2dd7e603a7ada&LANG=en&P_SIGN=abcd"
    );
    let html = form.to_html();
    assert!(html
        .contains(r#"<form method="post" action="https://testmpi.3dsecure.az/cgi-bin/cgi_link">"#));
    assert!(html.contains(r#"<input type="hidden" name="DESC" value="Books &amp; more">"#));
    assert!(!html.contains("None") && !html.contains("EMAIL"));
}

#[test]
fn hold_form_and_optional_fields() {
    let (signer, seen) = recording();
    let config = shop(Config::new("17202191", signer))
        .email("pay@shop.example.az")
        .country("TR")
        .merchant_gmt("+3");
    let form = Pay::preauth(azn("1"), "20250123000002", "Hold")
        .stamp(stamp())
        .cardholder_name("ALI <VELI>")
        .m_info("eyJ9")
        .form(&config)
        .unwrap();
    assert_eq!(seen.lock().unwrap().as_slice(), [HOLD_MAC]);
    let names: Vec<&str> = form.fields().iter().map(|(k, _)| *k).collect();
    assert_eq!(
        names,
        [
            "AMOUNT",
            "CURRENCY",
            "ORDER",
            "DESC",
            "MERCH_NAME",
            "MERCH_URL",
            "TERMINAL",
            "EMAIL",
            "TRTYPE",
            "COUNTRY",
            "MERCH_GMT",
            "BACKREF",
            "TIMESTAMP",
            "NONCE",
            "LANG",
            "NAME",
            "M_INFO",
            "P_SIGN"
        ]
    );
    assert_eq!(form.field("TRTYPE"), Some("0"));
    assert_eq!(form.field("AMOUNT"), Some("1.00"));
    assert!(form.to_html().contains(r#"value="ALI &lt;VELI&gt;""#));
}

#[test]
fn complete_reverse_and_status_exact_bytes() {
    let (signer, seen) = recording();
    let config = Config::new("17202191", signer)
        .base_url("http://127.0.0.1:9/")
        .unwrap();
    let complete = Complete::new(
        "20250123000001",
        azn("10.50"),
        "306276834930",
        "4A29E93C607E33DC",
    )
    .stamp(stamp());
    let r = complete.build_request(&config).unwrap();
    assert_eq!(r.method(), "POST");
    assert_eq!(r.uri(), "http://127.0.0.1:9/cgi-bin/cgi_link");
    assert_eq!(
        r.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        std::str::from_utf8(r.body()).unwrap(),
        "AMOUNT=10.50&CURRENCY=AZN&ORDER=20250123000001&RRN=306276834930&INT_REF=4A29E93C607E33DC\
         &TERMINAL=17202191&TRTYPE=21&TIMESTAMP=20250123044608&NONCE=f2b2dd7e603a7ada&P_SIGN=abcd"
    );
    let reverse = Reverse::new(
        "20250123000001",
        azn("10.50"),
        "306276834930",
        "4A29E93C607E33DC",
    )
    .stamp(stamp());
    let body = String::from_utf8(reverse.build_request(&config).unwrap().into_body()).unwrap();
    assert!(body.contains("&TRTYPE=22&"), "{body}");
    let offline = reverse.clone().offline();
    let body = String::from_utf8(offline.build_request(&config).unwrap().into_body()).unwrap();
    assert!(body.contains("&TRTYPE=24&"), "{body}");
    let status = GetStatus::new("20250123000001")
        .stamp(Stamp::new("20250123050000", "7cfb4c2512eeec72").unwrap());
    let r = status.build_request(&config).unwrap();
    assert_eq!(
        std::str::from_utf8(r.body()).unwrap(),
        "TRAN_TRTYPE=1&ORDER=20250123000001&TERMINAL=17202191&TRTYPE=90&TIMESTAMP=20250123050000\
         &NONCE=7cfb4c2512eeec72&P_SIGN=abcd"
    );
    let held = status.clone().tran_trtype(TrType::PreAuth);
    let body = String::from_utf8(held.build_request(&config).unwrap().into_body()).unwrap();
    assert!(body.starts_with("TRAN_TRTYPE=0&"), "{body}");
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0], COMPLETION_MAC);
    assert_eq!(
        seen[1],
        "510.503AZN817202191222142025012300000112306276834930164A29E93C607E33DC"
    );
    assert_eq!(
        seen[2],
        "510.503AZN817202191224142025012300000112306276834930164A29E93C607E33DC"
    );
    // TRAN_TRTYPE is not signed: the same MAC for any.
    assert_eq!(seen[3], STATUS_MAC);
    assert_eq!(seen[4], STATUS_MAC);
}

#[test]
fn p_sign_equals_openssl_for_every_vector() {
    let Some(k) = keys() else { return };
    for (pem, label) in [(&k.pkcs8, "PKCS#8"), (&k.pkcs1, "PKCS#1")] {
        let signer = RsaPemSigner::from_pem(pem).unwrap();
        assert_eq!(signer.modulus_bits(), 2048, "{label}");
        let config = shop(Config::new("17202191", signer))
            .base_url("http://127.0.0.1:9")
            .unwrap();
        let form = Pay::purchase(azn("10.50"), "20250123000001", "Books")
            .stamp(stamp())
            .form(&config)
            .unwrap();
        assert_eq!(
            form.field("P_SIGN").unwrap(),
            openssl_sign(k, "key8.pem", PURCHASE_MAC),
            "{label}"
        );
        let hold = Pay::preauth(azn("1.00"), "20250123000001", "Hold")
            .stamp(stamp())
            .form(&config)
            .unwrap();
        assert_eq!(
            hold.field("P_SIGN").unwrap(),
            openssl_sign(k, "key8.pem", HOLD_MAC)
        );
        let r = Complete::new(
            "20250123000001",
            azn("10.50"),
            "306276834930",
            "4A29E93C607E33DC",
        )
        .stamp(stamp())
        .build_request(&config)
        .unwrap();
        let body = String::from_utf8(r.into_body()).unwrap();
        let sig = body.rsplit("P_SIGN=").next().unwrap();
        assert_eq!(sig, openssl_sign(k, "key8.pem", COMPLETION_MAC));
        assert_eq!(sig.len(), 512);
        assert!(openssl_verify(k, "pub.pem", COMPLETION_MAC, sig));
        let r = GetStatus::new("20250123000001")
            .stamp(Stamp::new("20250123050000", "7cfb4c2512eeec72").unwrap())
            .build_request(&config)
            .unwrap();
        let body = String::from_utf8(r.into_body()).unwrap();
        assert_eq!(
            body.rsplit("P_SIGN=").next().unwrap(),
            openssl_sign(k, "key8.pem", STATUS_MAC)
        );
    }
}

#[test]
fn integrifys_completion_order_is_not_what_azpay_signs() {
    // PROVIDERS.md §2.4 [X]: integrify signs ORDER first; the document (and azpay) does not.
    let (signer, seen) = recording();
    let config = Config::new("17202191", signer);
    Complete::new(
        "20250123000001",
        azn("10.50"),
        "306276834930",
        "4A29E93C607E33DC",
    )
    .stamp(stamp())
    .build_request(&config)
    .unwrap();
    assert_ne!(
        seen.lock().unwrap()[0],
        "1420250123000001510.503AZN81720219122112306276834930164A29E93C607E33DC"
    );
}

#[test]
fn legacy_hmac_scheme() {
    // NARKOZ/azericard `test_generate_mac`: key `1234ABC` (odd nibble dropped), data `text`.
    assert_eq!(
        legacy_mac("1234ABC", "text"),
        "115110f072f734a729ebd0e7b65cfd8662fef682"
    );
    let config = shop(Config::legacy_hmac(
        "17202191",
        "00112233445566778899AABBCCDDEEFF",
    ));
    assert!(config.is_legacy());
    let form = Pay::purchase(azn("10.50"), "20250123000001", "Books")
        .stamp(stamp())
        .form(&config)
        .unwrap();
    // AMOUNT, CURRENCY, ORDER, DESC, MERCH_NAME, MERCH_URL, TERMINAL, EMAIL, TRTYPE, COUNTRY,
    // MERCH_GMT, TIMESTAMP, NONCE, BACKREF.
    let source = "510.503AZN14202501230000015Books4Shop23https://shop.example.az817202191-11--\
                  142025012304460816f2b2dd7e603a7ada38https://shop.example.az/azericard/back";
    assert_eq!(
        form.field("P_SIGN").unwrap(),
        legacy_mac("00112233445566778899AABBCCDDEEFF", source)
    );
    let r = Complete::new(
        "20250123000001",
        azn("10.50"),
        "306276834930",
        "4A29E93C607E33DC",
    )
    .stamp(stamp())
    .build_request(&config)
    .unwrap();
    let body = String::from_utf8(r.into_body()).unwrap();
    let source = "1420250123000001510.503AZN12306276834930164A29E93C607E33DC221817202191142025012304460816f2b2dd7e603a7ada";
    assert!(
        body.ends_with(&format!(
            "P_SIGN={}",
            legacy_mac("00112233445566778899AABBCCDDEEFF", source)
        )),
        "{body}"
    );
}

#[test]
fn stamps_come_from_the_operation_or_the_configured_source() {
    let (signer, _) = recording();
    let config = Config::new("17202191", signer);
    let err = GetStatus::new("000001").build_request(&config).unwrap_err();
    assert_eq!(err.field(), Some("timestamp"));
    let config = config.stamps(|| Stamp::new("20250123050000", "7cfb4c2512eeec72").unwrap());
    let body = String::from_utf8(
        GetStatus::new("000001")
            .build_request(&config)
            .unwrap()
            .into_body(),
    )
    .unwrap();
    assert!(
        body.contains("TIMESTAMP=20250123050000&NONCE=7cfb4c2512eeec72"),
        "{body}"
    );
}

#[test]
fn keys_load_and_refuse_clearly() {
    let Some(k) = keys() else { return };
    assert!(RsaPemSigner::from_pem(&k.public).is_err());
    assert!(azericard::RsaPublicKey::from_pem(&k.public).is_ok());
    assert!(azericard::RsaPublicKey::from_pem(&k.pkcs8).is_err());
    // A passphrase-protected key names the fix.
    let out = std::process::Command::new("openssl")
        .args([
            "pkcs8",
            "-topk8",
            "-in",
            "key8.pem",
            "-passout",
            "pass:secret",
            "-v2",
            "aes-256-cbc",
        ])
        .current_dir(&k.dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = RsaPemSigner::from_pem(&out.stdout).unwrap_err();
    assert_eq!(err, azericard::KeyError::Encrypted);
    assert!(err
        .to_string()
        .contains("openssl pkey -in key.pem -out key-plain.pem"));
    let dbg = format!("{:?}", RsaPemSigner::from_pem(&k.pkcs8).unwrap());
    assert!(dbg.contains("redacted") && !dbg.contains("MII"), "{dbg}");
}
