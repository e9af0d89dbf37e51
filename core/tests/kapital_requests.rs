//! Golden requests for every Kapital operation: method, URL with query, headers (the Basic
//! auth header exactly) and the exact JSON text. Bodies come from Kapital's JSON API document,
//! except that amounts always carry two decimals (`"1.00"` where Kapital's document writes `"1"`).

use azpay_core::kapital::{
    CofPurpose, Config, CreateOrder, ExecTran, GetOrder, InitiationEnvKind, OrderState, OrderType,
    SetDstToken, SetSrcToken, Tran,
};
use azpay_core::{
    execute, Amount, BuildError, Currency, HttpRequest, HttpResponse, Language, Operation,
    RequestMeta, TransportError,
};

/// `base64("TerminalSys/kapital:kapital123")`, the documented test credentials.
const AUTH: &str = "Basic VGVybWluYWxTeXMva2FwaXRhbDprYXBpdGFsMTIz";
const BASE: &str = "https://txpgtst.kapitalbank.az";

fn config() -> Config {
    Config::new("TerminalSys/kapital", "kapital123")
}

fn azn(text: &str) -> Amount {
    Amount::parse_major(text, Currency::AZN).unwrap()
}

fn assert_request(req: &HttpRequest, method: &str, url: &str, body: Option<&str>) {
    assert_eq!(req.method().as_str(), method);
    assert_eq!(req.uri().to_string(), url);
    let auth = req.headers().get("authorization").expect("authorization");
    assert_eq!(auth.to_str().unwrap(), AUTH);
    assert!(
        auth.is_sensitive(),
        "the Authorization header must be sensitive"
    );
    assert_eq!(req.headers()["accept"], "application/json");
    match body {
        Some(b) => {
            assert_eq!(req.headers()["content-type"], "application/json");
            assert_eq!(std::str::from_utf8(req.body()).unwrap(), b);
            assert_eq!(req.headers().len(), 3);
        }
        None => {
            assert!(req.body().is_empty());
            assert!(req.headers().get("content-type").is_none());
            assert_eq!(req.headers().len(), 2);
        }
    }
}

fn build<O: Operation<Gateway = azpay_core::kapital::Kapital>>(op: &O) -> HttpRequest {
    op.build_request(&config()).unwrap()
}

fn field_of<O: Operation<Gateway = azpay_core::kapital::Kapital>>(op: &O) -> &'static str {
    match op.build_request(&config()) {
        Err(BuildError::InvalidInput { field, .. }) => field,
        other => panic!("expected an invalid input, got {other:?}"),
    }
}

// --- configuration -----------------------------------------------------------------------

#[test]
fn config_debug_hides_the_password() {
    let c = config().redirect_url("https://shop.example/back");
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("kapital123"), "{dbg}");
    assert!(dbg.contains("<redacted>"), "{dbg}");
    assert!(dbg.contains("TerminalSys/kapital"), "{dbg}");
    let auth = c.authorization().unwrap();
    assert!(!format!("{auth:?}").contains("VGVybWluYWxTeXMva2FwaXRhbDprYXBpdGFsMTIz"));
}

#[test]
fn config_defaults_and_overrides() {
    let c = config();
    assert_eq!(c.base(), BASE);
    assert_eq!(c.default_language(), Language::Az);
    assert_eq!(c.default_redirect_url(), None);
    let c = c
        .base_url("http://127.0.0.1:8080/")
        .unwrap()
        .language(Language::En);
    assert_eq!(c.base(), "http://127.0.0.1:8080");
    let req = GetOrder::new(1).build_request(&c).unwrap();
    assert_eq!(req.uri(), "http://127.0.0.1:8080/api/order/1");
}

#[test]
fn credentials_are_checked() {
    let op = GetOrder::new(1);
    let e = op
        .build_request(&Config::new("a:b", "pw"))
        .unwrap_err()
        .field();
    assert_eq!(e, Some("username"));
    let e = op.build_request(&Config::new("user", "")).unwrap_err();
    assert_eq!(e.field(), Some("password"));
    let e = op.build_request(&Config::new("user", " \t")).unwrap_err();
    assert_eq!(e.field(), Some("password"));
    let e = op.build_request(&Config::new("  ", "pw")).unwrap_err();
    assert_eq!(e.field(), Some("username"));
    // A bad base URL never makes it into a configuration.
    let e = Config::new("user", "pw").base_url("not a url").unwrap_err();
    assert_eq!(e.field(), Some("base_url"));
}

// --- K1 create order -----------------------------------------------------------------------

#[test]
fn create_purchase_kbdoc_example() {
    let op = CreateOrder::purchase(azn("1"))
        .title("Othub")
        .description("Testdesc")
        .hpp_redirect_url("http://txpgtst.kapitalbank.az");
    assert_request(
        &build(&op),
        "POST",
        "https://txpgtst.kapitalbank.az/api/order",
        Some(
            r#"{"order":{"typeRid":"Order_SMS","amount":"1.00","currency":"AZN","language":"az","title":"Othub","description":"Testdesc","hppRedirectUrl":"http://txpgtst.kapitalbank.az"}}"#,
        ),
    );
}

#[test]
fn create_purchase_full_kbdoc_example_with_save_card() {
    let op = CreateOrder::purchase(azn("1"))
        .title("Othub")
        .description("Testdesc")
        .initiation_env_kind(InitiationEnvKind::Browser)
        .hpp_redirect_url("http://txpgtst.kapitalbank.az")
        .hpp_cof_capture_purposes([
            CofPurpose::UnspecifiedMit,
            CofPurpose::Cit,
            CofPurpose::Recurring,
        ])
        .add_card()
        .stored_id(1234);
    assert_request(
        &build(&op),
        "POST",
        "https://txpgtst.kapitalbank.az/api/order",
        Some(
            r#"{"order":{"typeRid":"Order_SMS","amount":"1.00","currency":"AZN","language":"az","title":"Othub","description":"Testdesc","initiationEnvKind":"Browser","hppRedirectUrl":"http://txpgtst.kapitalbank.az","hppCofCapturePurposes":["UnspecifiedMit","Cit","Recurring"],"aut":{"purpose":"AddCard"},"srcToken":{"storedId":1234}}}"#,
        ),
    );
}

#[test]
fn create_every_order_type() {
    let cases: [(CreateOrder, &str); 6] = [
        (CreateOrder::purchase(azn("10.5")), "Order_SMS"),
        (CreateOrder::preauth(azn("10.5")), "Order_DMS"),
        (CreateOrder::recurring(azn("10.5")), "Order_REC"),
        (CreateOrder::recurring_preauth(azn("10.5")), "DMSN3D"),
        (CreateOrder::credit(azn("10.5")), "OCT"),
        (
            CreateOrder::new(OrderType::Other("GN3D".into()), azn("10.5")),
            "GN3D",
        ),
    ];
    for (op, rid) in cases {
        let req = build(&op.language(Language::Ru));
        let expected = format!(
            r#"{{"order":{{"typeRid":"{rid}","amount":"10.50","currency":"AZN","language":"ru"}}}}"#
        );
        assert_request(&req, "POST", &format!("{BASE}/api/order"), Some(&expected));
    }
}

#[test]
fn create_oct_kbdoc_example() {
    let op = CreateOrder::credit(azn("1"))
        .title("Othub")
        .description("Testdesc");
    assert_request(
        &build(&op),
        "POST",
        &format!("{BASE}/api/order"),
        Some(
            r#"{"order":{"typeRid":"OCT","amount":"1.00","currency":"AZN","language":"az","title":"Othub","description":"Testdesc"}}"#,
        ),
    );
}

#[test]
fn config_redirect_url_and_language_fill_hosted_page_orders_only() {
    let c = config()
        .redirect_url("https://shop.example/back")
        .language(Language::En);
    let req = CreateOrder::preauth(azn("2")).build_request(&c).unwrap();
    assert_eq!(
        std::str::from_utf8(req.body()).unwrap(),
        r#"{"order":{"typeRid":"Order_DMS","amount":"2.00","currency":"AZN","language":"en","hppRedirectUrl":"https://shop.example/back"}}"#
    );
    // Server-driven orders do not pick up the default redirect URL...
    let req = CreateOrder::recurring(azn("2")).build_request(&c).unwrap();
    assert_eq!(
        std::str::from_utf8(req.body()).unwrap(),
        r#"{"order":{"typeRid":"Order_REC","amount":"2.00","currency":"AZN","language":"en"}}"#
    );
    // ...and the operation's own setting wins over the configuration.
    let req = CreateOrder::purchase(azn("2"))
        .hpp_redirect_url("https://other.example/x?y=1")
        .language(Language::Az)
        .build_request(&c)
        .unwrap();
    assert_eq!(
        std::str::from_utf8(req.body()).unwrap(),
        r#"{"order":{"typeRid":"Order_SMS","amount":"2.00","currency":"AZN","language":"az","hppRedirectUrl":"https://other.example/x?y=1"}}"#
    );
}

#[test]
fn create_with_installments_writes_taksit() {
    let req = build(&CreateOrder::purchase(azn("300")).installments(3));
    assert_eq!(
        std::str::from_utf8(req.body()).unwrap(),
        r#"{"order":{"typeRid":"Order_SMS","amount":"300.00","currency":"AZN","language":"az","description":"TAKSIT=3"}}"#
    );
    assert_eq!(
        field_of(&CreateOrder::purchase(azn("300")).installments(1)),
        "installments"
    );
    assert_eq!(
        field_of(&CreateOrder::purchase(azn("300")).installments(37)),
        "installments"
    );
    assert!(CreateOrder::purchase(azn("300"))
        .installments(36)
        .build_request(&config())
        .is_ok());
    assert_eq!(
        field_of(
            &CreateOrder::purchase(azn("300"))
                .installments(6)
                .description("x")
        ),
        "description"
    );
}

#[test]
fn create_escapes_text_in_json() {
    let req = build(&CreateOrder::purchase(azn("1")).description("Sifariş \"№1\" \\ </script>"));
    assert_eq!(
        std::str::from_utf8(req.body()).unwrap(),
        r#"{"order":{"typeRid":"Order_SMS","amount":"1.00","currency":"AZN","language":"az","description":"Sifariş \"№1\" \\ </script>"}}"#
    );
}

#[test]
fn create_order_validation_names_the_field() {
    assert_eq!(field_of(&CreateOrder::purchase(azn("0"))), "amount");
    assert_eq!(
        field_of(&CreateOrder::purchase(azn("1")).description("")),
        "description"
    );
    assert_eq!(
        field_of(&CreateOrder::purchase(azn("1")).title("a\nb")),
        "title"
    );
    assert_eq!(
        field_of(&CreateOrder::purchase(azn("1")).hpp_redirect_url("javascript:alert(1)")),
        "hppRedirectUrl"
    );
    assert_eq!(
        field_of(&CreateOrder::new(
            OrderType::Other("GN3D\"}".into()),
            azn("1")
        )),
        "typeRid"
    );
    let bad_default = config().redirect_url("ftp://x");
    let e = CreateOrder::purchase(azn("1"))
        .build_request(&bad_default)
        .unwrap_err();
    assert_eq!(e.field(), Some("hppRedirectUrl"));
}

#[test]
fn create_order_other_currency() {
    let req = build(&CreateOrder::purchase(
        Amount::parse_major("7.05", Currency::USD).unwrap(),
    ));
    assert_eq!(
        std::str::from_utf8(req.body()).unwrap(),
        r#"{"order":{"typeRid":"Order_SMS","amount":"7.05","currency":"USD","language":"az"}}"#
    );
}

// --- K2/K3 get order -------------------------------------------------------------------------

#[test]
fn get_order_summary_and_detailed() {
    assert_request(
        &build(&GetOrder::new(5531)),
        "GET",
        "https://txpgtst.kapitalbank.az/api/order/5531",
        None,
    );
    assert_request(
        &build(&GetOrder::new(5531).detailed()),
        "GET",
        "https://txpgtst.kapitalbank.az/api/order/5531?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2",
        None,
    );
    assert_eq!(field_of(&GetOrder::new(0)), "id");
}

#[test]
fn execute_attaches_meta_and_get_order_is_idempotent() {
    const { assert!(<GetOrder as Operation>::IDEMPOTENT) };
    const { assert!(!<CreateOrder as Operation>::IDEMPOTENT) };
    const { assert!(!<ExecTran as Operation>::IDEMPOTENT) };
    let transport = |req: HttpRequest| -> Result<HttpResponse, TransportError> {
        let meta = *RequestMeta::of(&req).expect("meta");
        assert_eq!(meta.gateway, "kapital");
        assert_eq!(meta.operation, "get_order");
        assert!(meta.idempotent);
        Ok(http::Response::new(
            br#"{"order":{"id":5531,"status":"FullyPaid"}}"#.to_vec(),
        ))
    };
    let order = execute(&GetOrder::new(5531), &config(), &transport).unwrap();
    assert!(order.status.is_paid());
}

// --- K4 exec-tran ----------------------------------------------------------------------------

fn exec_body(op: ExecTran) -> String {
    let req = build(&op);
    assert_eq!(
        req.uri().to_string(),
        "https://txpgtst.kapitalbank.az/api/order/5531/exec-tran"
    );
    assert_request(
        &req,
        "POST",
        &req.uri().to_string(),
        Some(std::str::from_utf8(req.body()).unwrap()),
    );
    String::from_utf8(req.body().clone()).unwrap()
}

#[test]
fn exec_tran_bodies_of_section_2_5() {
    let id = 5531;
    let cases: Vec<(ExecTran, &str)> = vec![
        (
            ExecTran::clearing(id).amount(azn("1")),
            r#"{"tran":{"phase":"Clearing","amount":"1.00"}}"#,
        ),
        (ExecTran::clearing(id), r#"{"tran":{"phase":"Clearing"}}"#),
        (
            ExecTran::refund(id, azn("2")),
            r#"{"tran":{"phase":"Single","amount":"2.00","type":"Refund"}}"#,
        ),
        (
            ExecTran::void(id, OrderState::Purchased),
            r#"{"tran":{"phase":"Single","voidKind":"Full"}}"#,
        ),
        (
            ExecTran::partial_void(id, azn("1")),
            r#"{"tran":{"phase":"Single","amount":"1.00","voidKind":"Partial"}}"#,
        ),
        (
            ExecTran::void(id, OrderState::Held),
            r#"{"tran":{"phase":"Auth","voidKind":"Full"}}"#,
        ),
        (
            ExecTran::void(id, OrderState::Cleared),
            r#"{"tran":{"phase":"Clearing","voidKind":"Full"}}"#,
        ),
        (
            ExecTran::charge_saved_card(id),
            r#"{"tran":{"phase":"Single","conditions":{"cofUsage":"Recurring"}}}"#,
        ),
        (
            ExecTran::preauth_saved_card(id),
            r#"{"tran":{"phase":"Auth","authorizationKind":"Preliminary","conditions":{"cofUsage":"Recurring"}}}"#,
        ),
        (
            ExecTran::credit(id),
            r#"{"tran":{"phase":"Single","type":"Credit"}}"#,
        ),
        (ExecTran::google_pay(id), r#"{"tran":{"phase":"Single"}}"#),
        (
            ExecTran::new(id, Tran::SavedCardCharge).amount(azn("4.2")),
            r#"{"tran":{"phase":"Single","amount":"4.20","conditions":{"cofUsage":"Recurring"}}}"#,
        ),
    ];
    for (op, expected) in cases {
        assert_eq!(exec_body(op), expected);
    }
}

#[test]
fn exec_tran_with_order_password_query() {
    let req = build(&ExecTran::refund(5531, azn("2")).order_password("a b&c"));
    assert_eq!(
        req.uri().to_string(),
        "https://txpgtst.kapitalbank.az/api/order/5531/exec-tran?password=a+b%26c"
    );
}

#[test]
fn exec_tran_validation() {
    assert_eq!(field_of(&ExecTran::new(1, Tran::Refund)), "amount");
    assert_eq!(field_of(&ExecTran::new(1, Tran::PartialVoid)), "amount");
    assert_eq!(
        field_of(&ExecTran::void(1, OrderState::Held).amount(azn("1"))),
        "amount"
    );
    assert_eq!(field_of(&ExecTran::refund(1, azn("0"))), "amount");
    assert_eq!(field_of(&ExecTran::refund(0, azn("1"))), "id");
    assert_eq!(
        field_of(&ExecTran::refund(1, azn("1")).order_password("")),
        "password"
    );
}

// --- K5/K6 tokens ------------------------------------------------------------------------------

#[test]
fn set_src_token_stored_card_and_google_pay() {
    assert_request(
        &build(&SetSrcToken::stored_card(6300, "8xjpd1ejxdma", 5125)),
        "POST",
        "https://txpgtst.kapitalbank.az/api/order/6300/set-src-token?password=8xjpd1ejxdma",
        Some(r#"{"order":{"initiationEnvKind":"Server"},"token":{"storedId":5125}}"#),
    );
    assert_request(
        &build(&SetSrcToken::google_pay(
            6300,
            "8xjpd1ejxdma",
            "7B227369676E6174757265223A",
        )),
        "POST",
        "https://txpgtst.kapitalbank.az/api/order/6300/set-src-token?password=8xjpd1ejxdma",
        Some(r#"{"token":{"googlePayBlock":"7B227369676E6174757265223A"}}"#),
    );
    assert_request(
        &build(
            &SetSrcToken::stored_card(6300, "p/w?", 5125)
                .initiation_env_kind(InitiationEnvKind::Browser),
        ),
        "POST",
        "https://txpgtst.kapitalbank.az/api/order/6300/set-src-token?password=p%2Fw%3F",
        Some(r#"{"order":{"initiationEnvKind":"Browser"},"token":{"storedId":5125}}"#),
    );
    assert_eq!(
        field_of(&SetSrcToken::google_pay(1, "pw", "not hex")),
        "googlePayBlock"
    );
    assert_eq!(field_of(&SetSrcToken::stored_card(1, "pw", 0)), "storedId");
    assert_eq!(field_of(&SetSrcToken::stored_card(1, "", 5)), "password");
}

#[test]
fn set_dst_token_card() {
    let op = SetDstToken::card(7001, "pw7001", "4169741330151778");
    assert_request(
        &build(&op),
        "POST",
        "https://txpgtst.kapitalbank.az/api/order/7001/set-dst-token?password=pw7001",
        Some(
            r#"{"token":{"card":{"panBlock":{"data":"4169741330151778"},"entryMode":"ECommerce"}}}"#,
        ),
    );
    let dbg = format!("{op:?}");
    assert!(!dbg.contains("4169741330151778"), "{dbg}");
    assert!(dbg.contains("416974******1778"), "{dbg}");
}

#[test]
fn set_dst_token_validates_the_pan() {
    for bad in [
        "4169741330151779",     // Luhn
        "41697413301517",       // Luhn, 14 digits
        "4169 7413 3015 1778",  // spaces
        "12345678901",          // 11 digits
        "12345678901234567890", // 20 digits
        "",
        "416974133015177x",
        "٤١٦٩٧٤١٣٣٠١٥١٧٧٨",
    ] {
        let op = SetDstToken::card(1, "pw", bad);
        assert_eq!(field_of(&op), "pan", "{bad:?}");
        assert!(!format!("{op:?}").contains(bad) || bad.is_empty());
    }
    // 5239151747183468: the second documented test card.
    assert!(SetDstToken::card(1, "pw", "5239151747183468")
        .build_request(&config())
        .is_ok());
}
