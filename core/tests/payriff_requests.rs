//! Golden requests for every Payriff operation: method, URL with query, headers (the raw
//! secret key in `Authorization`, marked sensitive; `X-REQUEST-RRN` on every
//! payment-changing request) and the exact body bytes. Shapes follow PROVIDERS.md §3.2 and
//! the Payriff organisation's Node SDK tests (`PayRiff/payriff-node`, `test/orders.test.ts`,
//! `test/payments.test.ts`, `test/cards.test.ts`, `test/transactions.test.ts`), with amounts
//! written with the currency's two decimals (`10.50`) where the SDKs go through a float.

use azpay_core::payriff::{
    AutoPay, Capture, Config, CreateOrder, DeleteCard, ExpireOrder, GetCardSave, GetOrder,
    GetOrderByRrn, GetOrderStatus, ListSavedCards, ListTransactions, Payriff, Refund, SaveCard,
};
use azpay_core::{Amount, BuildError, Currency, HttpRequest, Language, Operation};

const KEY: &str = "app-key";
const BASE: &str = "https://api.payriff.com";

fn config() -> Config {
    Config::new(KEY)
}

fn azn(text: &str) -> Amount {
    Amount::parse_major(text, Currency::AZN).unwrap()
}

fn build<O: Operation<Gateway = Payriff>>(op: &O) -> HttpRequest {
    op.build_request(&config()).unwrap()
}

fn field_of<O: Operation<Gateway = Payriff>>(op: &O, config: &Config) -> &'static str {
    match op.build_request(config) {
        Err(BuildError::InvalidInput { field, .. }) => field,
        other => panic!("expected an invalid input, got {other:?}"),
    }
}

/// Method, URL, the secret-key header, `X-REQUEST-RRN` (or its absence), body and nothing else.
fn assert_request(
    req: &HttpRequest,
    method: &str,
    url: &str,
    rrn: Option<&str>,
    body: Option<&str>,
) {
    assert_eq!(req.method().as_str(), method);
    assert_eq!(req.uri().to_string(), url);
    let auth = req.headers().get("authorization").expect("authorization");
    assert_eq!(auth.to_str().unwrap(), KEY, "the raw key, no scheme");
    assert!(auth.is_sensitive());
    assert_eq!(req.headers()["accept"], "application/json");
    let mut expected_headers = 2;
    match rrn {
        Some(r) => {
            assert_eq!(req.headers()["x-request-rrn"], r);
            expected_headers += 1;
        }
        None => assert!(req.headers().get("x-request-rrn").is_none()),
    }
    match body {
        Some(b) => {
            assert_eq!(req.headers()["content-type"], "application/json");
            assert_eq!(std::str::from_utf8(req.body()).unwrap(), b);
            expected_headers += 1;
        }
        None => {
            assert!(req.body().is_empty());
            assert!(req.headers().get("content-type").is_none());
        }
    }
    assert_eq!(req.headers().len(), expected_headers, "{:?}", req.headers());
}

#[test]
fn create_order_purchase_minimal() {
    let op = CreateOrder::purchase(azn("1"), "rrn-1");
    assert_request(
        &build(&op),
        "POST",
        &format!("{BASE}/api/v3/orders"),
        Some("rrn-1"),
        Some(r#"{"amount":1.00,"currency":"AZN","language":"AZ","operation":"PURCHASE"}"#),
    );
}

#[test]
fn create_order_with_everything() {
    let config = Config::new(KEY)
        .callback_url("https://shop.az/default-cb")
        .redirect_url("https://shop.az/back");
    let op = CreateOrder::preauth(azn("10.5"), "rrn-2")
        .description("Order #1")
        .language(Language::En)
        .callback_url("https://shop.az/cb")
        .save_card()
        .full_name("Ali Aliyev")
        .phone_number("+994501234567")
        .metadata("cartId", "c-9")
        .metadata("a", "b");
    let req = op.build_request(&config).unwrap();
    assert_request(
        &req,
        "POST",
        &format!("{BASE}/api/v3/orders"),
        Some("rrn-2"),
        Some(concat!(
            r#"{"amount":10.50,"currency":"AZN","language":"EN","operation":"PRE_AUTH","#,
            r#""description":"Order #1","callbackUrl":"https://shop.az/cb","#,
            r#""redirectUrl":"https://shop.az/back","cardSave":true,"fullName":"Ali Aliyev","#,
            r#""phoneNumber":"+994501234567","metadata":{"a":"b","cartId":"c-9"}}"#
        )),
    );
    // The configuration's callback URL when the operation sets none.
    let req = CreateOrder::purchase(azn("0.01"), "r")
        .build_request(&config)
        .unwrap();
    assert_eq!(
        std::str::from_utf8(req.body()).unwrap(),
        r#"{"amount":0.01,"currency":"AZN","language":"AZ","operation":"PURCHASE","callbackUrl":"https://shop.az/default-cb","redirectUrl":"https://shop.az/back"}"#
    );
}

#[test]
fn amounts_are_exact_numbers_in_other_currencies() {
    let usd = Amount::parse_major("25.5", Currency::USD).unwrap();
    let req = build(&CreateOrder::purchase(usd, "r"));
    assert!(std::str::from_utf8(req.body())
        .unwrap()
        .starts_with(r#"{"amount":25.50,"currency":"USD""#));
    // The body is valid JSON whose amount reads back as the same decimal.
    let v: serde_json::Value = serde_json::from_slice(req.body()).unwrap();
    assert!(v["amount"].is_number());
    let big = Amount::from_minor(123_456_789_012_345_678, Currency::AZN);
    let req = build(&CreateOrder::purchase(big, "r"));
    assert!(std::str::from_utf8(req.body())
        .unwrap()
        .contains(r#""amount":1234567890123456.78,"#));
}

#[test]
fn order_queries() {
    assert_request(
        &build(&GetOrder::new("ORD-1")),
        "GET",
        &format!("{BASE}/api/v3/orders/ORD-1"),
        None,
        None,
    );
    assert_request(
        &build(&GetOrderStatus::new("ORD-1")),
        "GET",
        &format!("{BASE}/api/v3/orders/ORD-1/status"),
        None,
        None,
    );
    // PayRiff/payriff-node test/orders.test.ts: `rrn 1/2` → `/api/v3/orders/rrn%201%2F2/rrn`.
    assert_request(
        &build(&GetOrderByRrn::new("rrn 1/2")),
        "GET",
        &format!("{BASE}/api/v3/orders/rrn%201%2F2/rrn"),
        None,
        None,
    );
    for op in [GetOrder::new(""), GetOrder::new("a\nb")] {
        assert_eq!(field_of(&op, &config()), "order_id");
    }
}

#[test]
fn expire_order() {
    assert_request(
        &build(&ExpireOrder::new("ORD-1")),
        "PATCH",
        &format!("{BASE}/api/v3/expire-status?orderId=ORD-1"),
        None,
        None,
    );
}

#[test]
fn refund_full_and_partial() {
    assert_request(
        &build(&Refund::full("ORD-1", "rrn-r")),
        "POST",
        &format!("{BASE}/api/v3/refund"),
        Some("rrn-r"),
        Some(r#"{"orderId":"ORD-1"}"#),
    );
    assert_request(
        &build(
            &Refund::partial("ORD-1", azn("5"), "rrn-r2")
                .reason("damaged")
                .callback_url("https://shop.az/r"),
        ),
        "POST",
        &format!("{BASE}/api/v3/refund"),
        Some("rrn-r2"),
        Some(
            r#"{"orderId":"ORD-1","amount":5.00,"refundReason":"damaged","callbackUrl":"https://shop.az/r"}"#,
        ),
    );
}

#[test]
fn capture_full_and_less_than_held() {
    assert_request(
        &build(&Capture::full("ORD-1", "rrn-c")),
        "POST",
        &format!("{BASE}/api/v3/complete"),
        Some("rrn-c"),
        Some(r#"{"orderId":"ORD-1"}"#),
    );
    assert_request(
        &build(&Capture::partial("ORD-1", azn("7"), "rrn-c2")),
        "POST",
        &format!("{BASE}/api/v3/complete"),
        Some("rrn-c2"),
        Some(r#"{"orderId":"ORD-1","amount":7.00}"#),
    );
}

#[test]
fn auto_pay() {
    assert_request(
        &build(&AutoPay::new(
            "card-uuid-1",
            azn("3"),
            "Subscription",
            "rrn-2",
        )),
        "POST",
        &format!("{BASE}/api/v3/autoPay"),
        Some("rrn-2"),
        Some(
            r#"{"cardUuid":"card-uuid-1","amount":3.00,"operation":"PURCHASE","currency":"AZN","description":"Subscription"}"#,
        ),
    );
    let held = AutoPay::new("c", azn("3"), "d", "r").preauth();
    assert!(std::str::from_utf8(build(&held).body())
        .unwrap()
        .contains(r#""operation":"PRE_AUTH""#));
    assert_eq!(
        field_of(&AutoPay::new("c", azn("3"), " ", "r"), &config()),
        "description"
    );
}

#[test]
fn saved_cards() {
    let req = build(
        &SaveCard::new("cust-1", "idem-1")
            .callback_url("https://shop.az/cards/cb")
            .description("card")
            .metadata("k", "v"),
    );
    assert_eq!(req.method(), "POST");
    assert_eq!(req.uri(), "https://api.payriff.com/api/v3/cards/save");
    assert_eq!(req.headers()["x-idempotency-key"], "idem-1");
    assert!(req.headers().get("x-request-rrn").is_none());
    assert_eq!(
        std::str::from_utf8(req.body()).unwrap(),
        r#"{"customerRef":"cust-1","callbackUrl":"https://shop.az/cards/cb","description":"card","language":"AZ","metadata":{"k":"v"}}"#
    );
    assert_eq!(
        field_of(&SaveCard::new("cust-1", "idem-1"), &config()),
        "callbackUrl"
    );
    assert_request(
        &build(&GetCardSave::new("cs-1")),
        "GET",
        &format!("{BASE}/api/v3/cards/save/cs-1"),
        None,
        None,
    );
    assert_request(
        &build(&ListSavedCards::new("cust 1")),
        "GET",
        &format!("{BASE}/api/v3/cards/save?customerRef=cust%201"),
        None,
        None,
    );
    assert_request(
        &build(&DeleteCard::new("card-1")),
        "DELETE",
        &format!("{BASE}/api/v3/cards/card-1"),
        None,
        None,
    );
}

#[test]
fn transactions_list() {
    assert_request(
        &build(
            &ListTransactions::new()
                .status("APPROVED")
                .from("01.09.2026")
                .to("30.09.2026")
                .page(1)
                .size(20),
        ),
        "GET",
        &format!(
            "{BASE}/api/v3/transactions?status=APPROVED&from=01.09.2026&to=30.09.2026&page=1&offset=20"
        ),
        None,
        None,
    );
    assert_request(
        &build(&ListTransactions::new()),
        "GET",
        &format!("{BASE}/api/v3/transactions?page=0&offset=10"),
        None,
        None,
    );
    for size in [0, 21] {
        assert_eq!(
            field_of(&ListTransactions::new().size(size), &config()),
            "size"
        );
    }
    assert_eq!(
        field_of(&ListTransactions::new().from("2026-09-01"), &config()),
        "from"
    );
}

#[test]
fn validation_names_the_field() {
    let c = config();
    assert_eq!(
        field_of(&CreateOrder::purchase(azn("0"), "r"), &c),
        "amount"
    );
    let try_ = Amount::parse_major("1", Currency::TRY).unwrap();
    assert_eq!(field_of(&CreateOrder::purchase(try_, "r"), &c), "currency");
    for rrn in ["", " ", "a\nb", " lead", &"x".repeat(101), "ə"] {
        assert_eq!(field_of(&CreateOrder::purchase(azn("1"), rrn), &c), "rrn");
        assert_eq!(field_of(&Refund::full("O", rrn), &c), "rrn");
        assert_eq!(field_of(&Capture::full("O", rrn), &c), "rrn");
        assert_eq!(field_of(&AutoPay::new("c", azn("1"), "d", rrn), &c), "rrn");
    }
    assert_eq!(
        field_of(
            &CreateOrder::purchase(azn("1"), "r").description("a\u{202E}b"),
            &c
        ),
        "description"
    );
    assert_eq!(
        field_of(
            &CreateOrder::purchase(azn("1"), "r").callback_url("javascript:alert(1)"),
            &c
        ),
        "callbackUrl"
    );
    assert_eq!(
        field_of(&CreateOrder::purchase(azn("1"), "r").metadata("", "v"), &c),
        "metadata"
    );
    assert_eq!(field_of(&Refund::full("", "r"), &c), "order_id");
    assert_eq!(field_of(&Refund::partial("O", azn("0"), "r"), &c), "amount");
    for key in ["", "   ", "a\nb", " key"] {
        assert_eq!(
            field_of(&GetOrder::new("O"), &Config::new(key)),
            "secret_key"
        );
    }
}

#[test]
fn secrets_stay_out_of_errors_and_debug() {
    let config = Config::new("top secret\n");
    let err = GetOrder::new("O").build_request(&config).unwrap_err();
    assert!(!err.to_string().contains("top secret"));
    assert!(!format!("{config:?}").contains("top secret"));
    let ok = Config::new("sk-live-123");
    assert!(!format!("{ok:?}").contains("sk-live-123"));
    let req = GetOrder::new("O").build_request(&ok).unwrap();
    assert!(!format!("{:?}", req.headers()).contains("sk-live-123"));
}

#[test]
fn base_url_and_lookup() {
    let c = Config::new(KEY).base_url("http://127.0.0.1:9000/").unwrap();
    assert_eq!(
        build_with(&c, &GetOrder::new("O")).uri(),
        "http://127.0.0.1:9000/api/v3/orders/O"
    );
    assert!(Config::new(KEY).base_url("http://api.payriff.com").is_err());
    let c = Config::from_lookup(|n| match n {
        "PAYRIFF_SECRET_KEY" => Some("k".into()),
        "PAYRIFF_INTERFACE_LANG" => Some("ru".into()),
        "PAYRIFF_BASE_URL" => Some("https://api.gccpay.sa".into()),
        "PAYRIFF_CALLBACK_URL" => Some("https://shop/cb".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(c.base(), "https://api.gccpay.sa");
    assert_eq!(c.default_language(), Language::Ru);
    assert_eq!(c.default_callback_url(), Some("https://shop/cb"));
    let e = Config::from_lookup(|n| {
        (n == "PAYRIFF_SECRET_KEY" || n == "PAYRIFF_INTERFACE_LANG").then(|| "xx".to_owned())
    })
    .unwrap_err();
    assert_eq!(e.field(), Some("PAYRIFF_INTERFACE_LANG"));
}

fn build_with<O: Operation<Gateway = Payriff>>(c: &Config, op: &O) -> HttpRequest {
    op.build_request(c).unwrap()
}

#[test]
fn idempotency_flags() {
    let flags = [
        CreateOrder::IDEMPOTENT,
        Refund::IDEMPOTENT,
        Capture::IDEMPOTENT,
        AutoPay::IDEMPOTENT,
        ExpireOrder::IDEMPOTENT,
        GetOrder::IDEMPOTENT,
        GetOrderStatus::IDEMPOTENT,
        GetOrderByRrn::IDEMPOTENT,
        ListTransactions::IDEMPOTENT,
        ListSavedCards::IDEMPOTENT,
        GetCardSave::IDEMPOTENT,
    ];
    assert_eq!(
        flags,
        [false, false, false, false, false, true, true, true, true, true, true]
    );
}
