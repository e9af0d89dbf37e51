//! Golden requests: for every EPoint operation, the exact method, URL, headers and the JSON
//! inside `data`, with the signature checked independently of the crate's signer.

use azpay_core::epoint::{self, Config};
use azpay_core::{Amount, Currency, HttpRequest, Language, Operation};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha1::{Digest, Sha1};

const PUBLIC: &str = "i000000001";
const PRIVATE: &str = "d3hjsl38sd8kdfhbcea0be04eafde9e8e2bad2fb092d";

fn config() -> Config {
    Config::new(PUBLIC, PRIVATE)
}

fn azn(text: &str) -> Amount {
    Amount::parse_major(text, Currency::AZN).unwrap()
}

/// An independent signer: base64(sha1_raw(key + data + key)).
fn expected_signature(data: &str) -> String {
    let mut h = Sha1::new();
    h.update(format!("{PRIVATE}{data}{PRIVATE}").as_bytes());
    STANDARD.encode(h.finalize())
}

/// Checks method, URL, headers, form fields and signature; returns the decoded JSON text.
fn signed_json(request: &HttpRequest, url: &str) -> String {
    assert_eq!(request.method(), "POST");
    assert_eq!(request.uri(), url);
    assert_eq!(request.headers().len(), 1, "{:?}", request.headers());
    assert_eq!(
        request.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    let body = std::str::from_utf8(request.body()).unwrap();
    let fields: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(fields.len(), 2, "{body}");
    assert_eq!(fields[0].0, "data");
    assert_eq!(fields[1].0, "signature");
    let (data, signature) = (&fields[0].1, &fields[1].1);
    // The body percent-encodes base64's `+`, `/` and `=`: no raw `+` may reach the wire.
    assert!(!body.contains('+'), "{body}");
    assert_eq!(signature, &expected_signature(data));
    assert_eq!(signature.len(), 28);
    String::from_utf8(STANDARD.decode(data).unwrap()).unwrap()
}

fn json_of<O: Operation<Gateway = epoint::EPoint>>(
    op: &O,
    config: &Config,
    endpoint: &str,
) -> String {
    let request = op.build_request(config).unwrap();
    signed_json(&request, &format!("https://epoint.az/api/1/{endpoint}"))
}

#[test]
fn signature_vector_of_protocols_1_2() {
    let data = "eyJwdWJsaWNfa2V5IjoiaTAwMDAwMDAwMSIsImFtb3VudCI6IjMwLjc1IiwiY3VycmVuY3kiOiJBWk4iLCJkZXNjcmlwdGlvbiI6InRlc3QgcGF5bWVudCIsIm9yZGVyX2lkIjoiMSJ9";
    assert_eq!(
        epoint::signature(PRIVATE, data),
        "a76GNudqblZtV8qF199hctA+cG0="
    );
    assert_eq!(expected_signature(data), "a76GNudqblZtV8qF199hctA+cG0=");
    assert_eq!(
        STANDARD.decode(data).unwrap(),
        br#"{"public_key":"i000000001","amount":"30.75","currency":"AZN","description":"test payment","order_id":"1"}"#
    );
}

#[test]
fn pay_minimal_and_full() {
    let op = epoint::Pay::new(azn("30.75"), "1").description("test payment");
    assert_eq!(
        json_of(&op, &config(), "request"),
        r#"{"public_key":"i000000001","amount":"30.75","currency":"AZN","language":"az","order_id":"1","description":"test payment"}"#
    );
    let mut attrs = serde_json::Map::new();
    attrs.insert("customer".into(), "42".into());
    let op = epoint::Pay::new(azn("30.75"), "1")
        .description("test payment")
        .language(Language::En)
        .is_installment(true)
        .success_redirect_url("https://shop.example/ok")
        .error_redirect_url("https://shop.example/fail")
        .other_attr(attrs);
    assert_eq!(
        json_of(&op, &config(), "request"),
        r#"{"public_key":"i000000001","amount":"30.75","currency":"AZN","language":"en","order_id":"1","description":"test payment","is_installment":1,"success_redirect_url":"https://shop.example/ok","error_redirect_url":"https://shop.example/fail","other_attr":{"customer":"42"}}"#
    );
}

#[test]
fn config_defaults_fill_language_and_redirects_and_base_url() {
    let config = config()
        .base_url("http://127.0.0.1:9/")
        .unwrap()
        .language(Language::Ru)
        .success_redirect_url("https://d.example/ok")
        .error_redirect_url("https://d.example/fail");
    let op = epoint::Pay::new(azn("10"), "o-1").is_installment(false);
    let request = op.build_request(&config).unwrap();
    assert_eq!(
        signed_json(&request, "http://127.0.0.1:9/api/1/request"),
        r#"{"public_key":"i000000001","amount":"10.00","currency":"AZN","language":"ru","order_id":"o-1","is_installment":0,"success_redirect_url":"https://d.example/ok","error_redirect_url":"https://d.example/fail"}"#
    );
    // The operation's own URL wins over the configuration's.
    let op = epoint::Pay::new(azn("10"), "o-1").success_redirect_url("https://own.example/ok");
    let request = op.build_request(&config).unwrap();
    assert!(signed_json(&request, "http://127.0.0.1:9/api/1/request")
        .contains(r#""success_redirect_url":"https://own.example/ok","error_redirect_url":"https://d.example/fail""#));
    // Heartbeat is not under /api/1.
    let hb = epoint::Heartbeat.build_request(&config).unwrap();
    assert_eq!(hb.uri(), "http://127.0.0.1:9/api/heartbeat");
}

#[test]
fn checkout_request_and_html_form() {
    let op = epoint::Checkout::new(azn("30.75"), "1").description("test payment");
    assert_eq!(
        json_of(&op, &config(), "checkout"),
        r#"{"public_key":"i000000001","amount":"30.75","currency":"AZN","language":"az","order_id":"1","description":"test payment"}"#
    );
    let html = op.html_form(&config()).unwrap();
    let data = STANDARD.encode(
        br#"{"public_key":"i000000001","amount":"30.75","currency":"AZN","language":"az","order_id":"1","description":"test payment"}"#,
    );
    let sig = expected_signature(&data);
    assert!(html.contains(r#"<form method="POST" action="https://epoint.az/api/1/checkout" accept-charset="utf-8">"#), "{html}");
    assert!(
        html.contains(&format!(
            r#"<input type="hidden" name="data" value="{data}">"#
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            r#"<input type="hidden" name="signature" value="{sig}">"#
        )),
        "{html}"
    );
    assert!(html.contains("document.forms[0].submit()"));
    // Attribute values are escaped: a hostile base URL cannot break out of the attribute.
    // A base URL that would break out of the attribute is refused when it is set ...
    let evil = config().base_url(r#"https://x.example/"><script>alert(1)</script><a b=""#);
    assert_eq!(evil.unwrap_err().field(), Some("base_url"));
    // ... and what a valid URL may hold (`'`, `&`) is escaped.
    let odd = config().base_url("https://x.example/a'b&c").unwrap();
    let html = op.html_form(&odd).unwrap();
    assert!(
        html.contains(r#"action="https://x.example/a&#39;b&amp;c/api/1/checkout""#),
        "{html}"
    );
}

#[test]
fn get_status_by_transaction_and_by_order_id_without_language() {
    assert_eq!(
        json_of(
            &epoint::GetStatus::by_transaction("te000000001"),
            &config(),
            "get-status"
        ),
        r#"{"public_key":"i000000001","transaction":"te000000001"}"#
    );
    assert_eq!(
        json_of(
            &epoint::GetStatus::by_order_id("o-7"),
            &config(),
            "get-status"
        ),
        r#"{"public_key":"i000000001","order_id":"o-7"}"#
    );
    const { assert!(<epoint::GetStatus as Operation>::IDEMPOTENT) };
}

#[test]
fn save_card() {
    assert_eq!(
        json_of(&epoint::SaveCard::new(), &config(), "card-registration"),
        r#"{"public_key":"i000000001","language":"az"}"#
    );
    let op = epoint::SaveCard::new()
        .refund(false)
        .description("save card")
        .success_redirect_url("https://shop.example/ok")
        .error_redirect_url("https://shop.example/fail");
    assert_eq!(
        json_of(&op, &config(), "card-registration"),
        r#"{"public_key":"i000000001","language":"az","description":"save card","refund":0,"success_redirect_url":"https://shop.example/ok","error_redirect_url":"https://shop.example/fail"}"#
    );
    assert_eq!(
        json_of(
            &epoint::SaveCard::new().refund(true),
            &config(),
            "card-registration"
        ),
        r#"{"public_key":"i000000001","language":"az","refund":1}"#
    );
}

#[test]
fn pay_with_saved_card_and_payout() {
    let op = epoint::PayWithSavedCard::new("ce0000000001", azn("10.5"), "o-2")
        .description("subscription");
    assert_eq!(
        json_of(&op, &config(), "execute-pay"),
        r#"{"public_key":"i000000001","card_id":"ce0000000001","amount":"10.50","currency":"AZN","language":"az","order_id":"o-2","description":"subscription"}"#
    );
    let op = epoint::Payout::new("ce0000000002", azn("25"), "po-1").description("payout");
    assert_eq!(
        json_of(&op, &config(), "refund-request"),
        r#"{"public_key":"i000000001","card_id":"ce0000000002","amount":"25.00","currency":"AZN","language":"az","order_id":"po-1","description":"payout"}"#
    );
}

#[test]
fn pay_and_save_card() {
    let op = epoint::PayAndSaveCard::new(azn("1"), "o-3");
    assert_eq!(
        json_of(&op, &config(), "card-registration-with-pay"),
        r#"{"public_key":"i000000001","amount":"1.00","currency":"AZN","language":"az","order_id":"o-3"}"#
    );
    let op = epoint::PayAndSaveCard::new(azn("1"), "o-3")
        .description("first")
        .language(Language::En)
        .success_redirect_url("https://s/ok")
        .error_redirect_url("https://s/no");
    assert_eq!(
        json_of(&op, &config(), "card-registration-with-pay"),
        r#"{"public_key":"i000000001","amount":"1.00","currency":"AZN","language":"en","order_id":"o-3","description":"first","success_redirect_url":"https://s/ok","error_redirect_url":"https://s/no"}"#
    );
}

#[test]
fn refund_full_and_partial() {
    assert_eq!(
        json_of(
            &epoint::Refund::new("te000000001", Currency::AZN),
            &config(),
            "reverse"
        ),
        r#"{"public_key":"i000000001","transaction":"te000000001","currency":"AZN","language":"az"}"#
    );
    let op = epoint::Refund::new("te000000001", Currency::AZN).amount(azn("5"));
    assert_eq!(
        json_of(&op, &config(), "reverse"),
        r#"{"public_key":"i000000001","transaction":"te000000001","amount":"5.00","currency":"AZN","language":"az"}"#
    );
}

#[test]
fn split_operations() {
    let op = epoint::SplitPay::new(azn("10"), "s-1", "i000000002", azn("2.5"))
        .description("split")
        .other_attr(serde_json::Map::new());
    assert_eq!(
        json_of(&op, &config(), "split-request"),
        r#"{"public_key":"i000000001","amount":"10.00","split_user":"i000000002","split_amount":"2.50","currency":"AZN","language":"az","order_id":"s-1","description":"split","other_attr":{}}"#
    );
    let op = epoint::SplitPayWithSavedCard::new("ce1", azn("10"), "s-2", "i000000002", azn("2.5"));
    assert_eq!(
        json_of(&op, &config(), "split-execute-pay"),
        r#"{"public_key":"i000000001","card_id":"ce1","amount":"10.00","split_user":"i000000002","split_amount":"2.50","currency":"AZN","language":"az","order_id":"s-2"}"#
    );
    let op = epoint::SplitPayAndSaveCard::new(azn("10"), "s-3", "i000000002", azn("2.5"))
        .success_redirect_url("https://s/ok");
    assert_eq!(
        json_of(&op, &config(), "split-card-registration-with-pay"),
        r#"{"public_key":"i000000001","amount":"10.00","split_user":"i000000002","split_amount":"2.50","currency":"AZN","language":"az","order_id":"s-3","success_redirect_url":"https://s/ok"}"#
    );
}

#[test]
fn pre_auth_and_complete() {
    let op = epoint::PreAuth::new(azn("50"), "h-1").description("Hotel");
    assert_eq!(
        json_of(&op, &config(), "pre-auth-request"),
        r#"{"public_key":"i000000001","amount":"50.00","currency":"AZN","language":"az","order_id":"h-1","description":"Hotel"}"#
    );
    let op = epoint::PreAuthComplete::new(azn("50"), "te000000101");
    assert_eq!(
        json_of(&op, &config(), "pre-auth-complete"),
        r#"{"public_key":"i000000001","transaction":"te000000101","amount":"50.00"}"#
    );
}

#[test]
fn token_operations() {
    let op = epoint::TokenWidget::new(azn("2.5"), "w-1", "Test payment");
    assert_eq!(
        json_of(&op, &config(), "token/widget"),
        r#"{"public_key":"i000000001","amount":"2.50","order_id":"w-1","description":"Test payment"}"#
    );
    let op = epoint::TokenPayment::new(azn("2.36"), "111222333", "test description");
    assert_eq!(
        json_of(&op, &config(), "token/payment"),
        r#"{"public_key":"i000000001","amount":"2.36","currency":"AZN","language":"az","order_id":"111222333","description":"test description"}"#
    );
    assert_eq!(
        json_of(
            &epoint::AppleSession::new("https://shop.example"),
            &config(),
            "token/apple/session"
        ),
        r#"{"public_key":"i000000001","origin":"https://shop.example"}"#
    );
    let token = serde_json::json!({"paymentData": {"version": "EC_v1"}});
    let contact = serde_json::json!({"givenName": "A"});
    assert_eq!(
        json_of(
            &epoint::ApplePay::new("9998887", token.clone(), contact.clone()),
            &config(),
            "token/apple/pay"
        ),
        r#"{"public_key":"i000000001","id":"9998887","token":{"paymentData":{"version":"EC_v1"}},"billingContact":{"givenName":"A"}}"#
    );
    assert_eq!(
        json_of(
            &epoint::GooglePay::new("9998887", token, contact),
            &config(),
            "token/google/pay"
        ),
        r#"{"public_key":"i000000001","id":"9998887","token":{"paymentData":{"version":"EC_v1"}},"billingContact":{"givenName":"A"}}"#
    );
}

#[test]
fn card_status_and_wallets() {
    assert_eq!(
        json_of(
            &epoint::GetCardStatus::new("ce1"),
            &config(),
            "get-status-card"
        ),
        r#"{"public_key":"i000000001","card_id":"ce1"}"#
    );
    const { assert!(<epoint::GetCardStatus as Operation>::IDEMPOTENT) };
    let op = epoint::WalletPayment::new("w-1", azn("5"), "o-9").description("wallet");
    assert_eq!(
        json_of(&op, &config(), "wallet/payment"),
        r#"{"public_key":"i000000001","wallet_id":"w-1","amount":"5.00","currency":"AZN","language":"az","order_id":"o-9","description":"wallet"}"#
    );
    // Unsigned: the body is `public_key=…` only.
    let request = epoint::WalletStatus.build_request(&config()).unwrap();
    assert_eq!(request.method(), "POST");
    assert_eq!(request.uri(), "https://epoint.az/api/1/wallet/status");
    assert_eq!(
        request.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(request.body(), b"public_key=i000000001");
    const { assert!(<epoint::WalletStatus as Operation>::IDEMPOTENT) };
}

#[test]
fn heartbeat_is_a_get() {
    let request = epoint::Heartbeat.build_request(&config()).unwrap();
    assert_eq!(request.method(), "GET");
    assert_eq!(request.uri(), "https://epoint.az/api/heartbeat");
    assert!(request.body().is_empty());
    assert!(request.headers().is_empty());
    const { assert!(<epoint::Heartbeat as Operation>::IDEMPOTENT) };
}

#[test]
fn only_queries_are_idempotent() {
    const { assert!(!<epoint::Pay as Operation>::IDEMPOTENT) };
    const { assert!(!<epoint::PayWithSavedCard as Operation>::IDEMPOTENT) };
    const { assert!(!<epoint::Payout as Operation>::IDEMPOTENT) };
    const { assert!(!<epoint::Refund as Operation>::IDEMPOTENT) };
    const { assert!(!<epoint::WalletPayment as Operation>::IDEMPOTENT) };
}

#[test]
fn json_escaping_of_text_fields() {
    let op = epoint::Pay::new(azn("1"), "o\"1").description("Ödəniş </script> & \\ ñ");
    assert_eq!(
        json_of(&op, &config(), "request"),
        r#"{"public_key":"i000000001","amount":"1.00","currency":"AZN","language":"az","order_id":"o\"1","description":"Ödəniş </script> & \\ ñ"}"#
    );
}

#[test]
fn config_debug_hides_the_private_key() {
    let c = config();
    let dbg = format!("{c:?}");
    assert!(!dbg.contains(PRIVATE), "{dbg}");
    assert!(dbg.contains("<redacted>"));
    assert!(dbg.contains(PUBLIC));
}
