//! Hostile input and misconfiguration: base URLs checked when a configuration is built, URLs
//! handed to a browser checked when an answer is parsed, identifiers and secrets checked when
//! a request is built.

use azpay_core::{epoint, kapital, twec, Amount, BuildError, Currency, Operation, ResponseError};

fn azn(minor: u64) -> Amount {
    Amount::from_minor(minor, Currency::AZN)
}

fn reason(e: BuildError) -> String {
    match e {
        BuildError::InvalidInput { field, reason } => {
            assert_eq!(field, "base_url");
            reason
        }
        other => panic!("not InvalidInput: {other:?}"),
    }
}

// --- 1. Base URLs ---------------------------------------------------------------------------

/// Base URLs EPoint and Kapital refuse, and a word of the reason.
const REFUSED: &[(&str, &str)] = &[
    ("http://127.0.0.1:99999", "port 99999 is out of range"),
    ("http://127.0.0.1:65536", "port 65536 is out of range"),
    ("https://epoint.example:0", "port 0 is out of range"),
    ("https://epoint.example:x", "not a number"),
    ("ftp://127.0.0.1", "scheme `ftp`"),
    ("javascript://127.0.0.1/", "scheme `javascript`"),
    ("http://user:pw@127.0.0.1:8080", "user name or password"),
    ("https://user@epoint.example", "user name or password"),
    ("http://epoint.example", "loopback"),
    ("http://10.0.0.1:8080", "loopback"),
    ("http://128.0.0.1", "loopback"),
    ("https://epoint.example/?a=1", "query"),
    ("https://epoint.example/#x", "fragment"),
    ("https://", "host is missing"),
    ("https://:443", "host is missing"),
    ("https://bad_host", "not a valid host"),
    ("https://-x.example", "not a valid host"),
    ("https://300.1.1.1", "IPv4"),
    ("https://[::1", "IPv6"),
    ("https://[zz]", "IPv6"),
    ("not a url", "spaces"),
    ("/local", "absolute"),
    ("epoint.az", "absolute"),
    ("https://epoint.example\r\nX-Evil: 1", "control"),
    ("https://epoint.example/\u{202E}", "control"),
    ("https://époint.example", "ASCII"),
    ("https://epoint.example/<x>", "`<`"),
];

const ACCEPTED: &[(&str, &str)] = &[
    ("https://epoint.az", "https://epoint.az"),
    ("https://epoint.az/", "https://epoint.az"),
    ("HTTPS://epoint.az//", "HTTPS://epoint.az"),
    (
        "https://sub.epoint.az:8443/prefix",
        "https://sub.epoint.az:8443/prefix",
    ),
    ("http://localhost:8080", "http://localhost:8080"),
    ("http://LOCALHOST", "http://LOCALHOST"),
    ("http://127.0.0.1:65535/", "http://127.0.0.1:65535"),
    ("http://127.9.9.9", "http://127.9.9.9"),
    ("http://[::1]:9", "http://[::1]:9"),
    ("https://10.0.0.1", "https://10.0.0.1"),
    ("https://[2001:db8::1]:443", "https://[2001:db8::1]:443"),
];

#[test]
fn epoint_base_url_is_checked_when_set() {
    for (url, why) in REFUSED {
        let e = epoint::Config::new("i000000001", "k").base_url(*url);
        let r = reason(e.expect_err(url));
        assert!(r.contains(why), "{url}: {r}");
    }
    for (url, kept) in ACCEPTED {
        let c = epoint::Config::new("i000000001", "k")
            .base_url(*url)
            .unwrap();
        assert_eq!(c.base(), *kept);
        assert_eq!(c.endpoint("request"), format!("{kept}/api/1/request"));
    }
}

#[test]
fn kapital_base_url_is_checked_when_set() {
    for (url, why) in REFUSED {
        let e = kapital::Config::new("u", "p").base_url(*url);
        let r = reason(e.expect_err(url));
        assert!(r.contains(why), "{url}: {r}");
    }
    for (url, kept) in ACCEPTED {
        let c = kapital::Config::new("u", "p").base_url(*url).unwrap();
        assert_eq!(c.base(), *kept);
    }
    // The userinfo never reaches a request (ureq would turn it into an Authorization header).
    assert!(kapital::Config::new("u", "p")
        .base_url("https://admin:secret@kapital.example")
        .is_err());
    // The built-in URLs are valid.
    for url in [kapital::TEST_BASE_URL, kapital::PROD_BASE_URL] {
        assert!(kapital::Config::new("u", "p").base_url(url).is_ok());
    }
}

#[test]
fn twec_base_url_is_https_only() {
    for (url, why) in REFUSED {
        let e = twec::Config::kapital_test("E1").base_url(*url);
        let r = reason(e.expect_err(url));
        // Plain http is refused for its scheme first, before any loopback rule.
        assert!(
            r.contains(why) || (url.starts_with("http://") && r.contains("https")),
            "{url}: {r}"
        );
    }
    for url in [
        "http://127.0.0.1:5443/Exec",
        "http://localhost/Exec",
        "http://[::1]/Exec",
    ] {
        let r = reason(twec::Config::kapital_test("E1").base_url(url).unwrap_err());
        assert!(r.contains("https"), "{url}: {r}");
        let e = twec::Config::generic(url, "M", Currency::AZN).unwrap_err();
        assert_eq!(e.field(), Some("base_url"));
    }
    let c = twec::Config::kapital_test("E1")
        .base_url("https://127.0.0.1:5443/Exec/")
        .unwrap();
    assert_eq!(c.base(), "https://127.0.0.1:5443/Exec");
    assert_eq!(
        twec::Config::kapital_production("E1").base(),
        twec::KAPITAL_PRODUCTION_URL
    );
    let req = twec::GetOrderStatus::new("1", "S")
        .build_request(&c)
        .unwrap();
    assert_eq!(req.uri(), "https://127.0.0.1:5443/Exec");
}

// --- 3. URLs handed to a browser ----------------------------------------------------------------

const HOSTILE_PAGES: &[&str] = &[
    "javascript:alert(1)",
    "JavaScript://epoint.az/%0aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://evil.example/pay",
    "//evil.example/pay",
    "https://epoint.az@evil.example/",
    "https://evil.example:99999/",
    "https://...",
    "https://epoint.az/pay\nSet-Cookie: x",
    "file:///etc/passwd",
    "",
];

fn malformed_naming<A: std::fmt::Debug>(e: ResponseError<A>, field: &str) {
    match &e {
        ResponseError::Malformed { reason, .. } => {
            assert!(reason.contains(field), "{reason}")
        }
        other => panic!("not Malformed: {other:?}"),
    }
}

fn json_response(body: String) -> azpay_core::HttpResponse {
    http::Response::new(body.into_bytes())
}

#[test]
fn epoint_pages_must_be_https() {
    let config = epoint::Config::new("i000000001", "k");
    let pay = epoint::Pay::new(azn(100), "o-1");
    for page in HOSTILE_PAGES {
        let body =
            serde_json::json!({"status": "success", "transaction": "te1", "redirect_url": page});
        let e = pay
            .parse_response(&config, json_response(body.to_string()))
            .unwrap_err();
        malformed_naming(e, "redirect_url");
        let body = serde_json::json!({"status": "success", "card_id": "ce1", "redirect_url": page});
        let e = epoint::SaveCard::new()
            .parse_response(&config, json_response(body.to_string()))
            .unwrap_err();
        malformed_naming(e, "redirect_url");
        let body = serde_json::json!({"status": "success", "widget_url": page});
        let e = epoint::TokenWidget::new(azn(100), "o", "d")
            .parse_response(&config, json_response(body.to_string()))
            .unwrap_err();
        malformed_naming(e, "widget_url");
    }
    for page in [
        "https://epoint.az/pay/1",
        "https://epoint.az/pay?id=1#x",
        "http://127.0.0.1:8080/pay",
    ] {
        let body =
            serde_json::json!({"status": "success", "transaction": "te1", "redirect_url": page});
        let out = pay
            .parse_response(&config, json_response(body.to_string()))
            .unwrap();
        assert_eq!(out.redirect_url, page);
    }
}

#[test]
fn checkout_form_action_is_the_checked_base_url() {
    let config = epoint::Config::new("i000000001", "k")
        .base_url("https://epoint.az")
        .unwrap();
    let html = epoint::Checkout::new(azn(100), "o-1")
        .html_form(&config)
        .unwrap();
    assert!(
        html.contains(r#"action="https://epoint.az/api/1/checkout""#),
        "{html}"
    );
}

#[test]
fn kapital_hpp_url_must_be_https() {
    let config = kapital::Config::new("u", "p");
    let op = kapital::CreateOrder::purchase(azn(100)).description("d");
    for page in HOSTILE_PAGES.iter().filter(|p| !p.is_empty()) {
        let body = serde_json::json!({"order": {"id": 1, "password": "pw", "hppUrl": page}});
        let e = op
            .parse_response(&config, json_response(body.to_string()))
            .unwrap_err();
        malformed_naming(e, "hppUrl");
    }
    let body = serde_json::json!({"order": {"id": 1, "password": "pw", "hppUrl": "https://txpgtst.kapitalbank.az/flex"}});
    let out = op
        .parse_response(&config, json_response(body.to_string()))
        .unwrap();
    assert_eq!(
        out.payment_url().as_deref(),
        Some("https://txpgtst.kapitalbank.az/flex?id=1&password=pw")
    );
}

#[test]
fn twec_order_url_must_be_https() {
    let config = twec::Config::kapital_test("E1");
    let op = twec::CreateOrder::purchase(azn(100), "d");
    for page in HOSTILE_PAGES.iter().filter(|p| !p.is_empty()) {
        let escaped = page
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let body = format!(
            "<TKKPG><Response><Status>00</Status><Order><OrderID>1</OrderID>\
             <SessionID>S</SessionID><URL>{escaped}</URL></Order></Response></TKKPG>"
        );
        let e = op.parse_response(&config, json_response(body)).unwrap_err();
        malformed_naming(e, "URL");
    }
}

// --- 4. Identifiers and secrets ------------------------------------------------------------------

/// Values no identifier may take, on any gateway.
fn hostile_ids() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        " ",
        "\t",
        "a\nb",
        "a\rb",
        "a\u{0}b",
        "a\u{7}b",
        "a\u{1b}[2Jb",
        "a\u{7f}b",
        "a\u{85}b",
        "a\u{9b}b",
        "pay\u{202E}gpj",
        "\u{202A}x",
        "\u{2066}x",
        "x\u{2069}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("x".repeat(256));
    v
}

fn field_of(r: Result<azpay_core::HttpRequest, BuildError>) -> Option<&'static str> {
    r.err().and_then(|e| e.field())
}

#[test]
fn epoint_ids_are_checked() {
    let c = epoint::Config::new("i000000001", "k");
    for id in hostile_ids() {
        assert_eq!(
            field_of(epoint::Pay::new(azn(100), id.clone()).build_request(&c)),
            Some("order_id"),
            "{id:?}"
        );
        assert_eq!(
            field_of(epoint::GetStatus::by_transaction(id.clone()).build_request(&c)),
            Some("transaction"),
            "{id:?}"
        );
        assert_eq!(
            field_of(epoint::GetStatus::by_order_id(id.clone()).build_request(&c)),
            Some("order_id"),
            "{id:?}"
        );
        assert_eq!(
            field_of(epoint::Refund::new(id.clone(), Currency::AZN).build_request(&c)),
            Some("transaction"),
            "{id:?}"
        );
        assert_eq!(
            field_of(epoint::GetCardStatus::new(id.clone()).build_request(&c)),
            Some("card_id"),
            "{id:?}"
        );
        assert_eq!(
            field_of(epoint::PayWithSavedCard::new(id.clone(), azn(100), "o-1").build_request(&c)),
            Some("card_id"),
            "{id:?}"
        );
    }
    // The documented limits hold: 255 characters, any script.
    let ok = "ə".repeat(255);
    assert!(epoint::Pay::new(azn(100), ok.clone())
        .build_request(&c)
        .is_ok());
    assert!(epoint::GetStatus::by_transaction("t".repeat(255))
        .build_request(&c)
        .is_ok());
}

#[test]
fn epoint_keys_are_checked_when_a_request_is_built() {
    let op = epoint::GetStatus::by_transaction("te1");
    for key in ["", " ", "\t\n "] {
        let c = epoint::Config::new("i000000001", key);
        assert_eq!(
            field_of(op.build_request(&c)),
            Some("private_key"),
            "{key:?}"
        );
        let e = epoint::Checkout::new(azn(100), "o")
            .html_form(&c)
            .unwrap_err();
        assert_eq!(e.field(), Some("private_key"));
    }
    for key in [" ", "i0\n1", "\u{202E}i01"] {
        let c = epoint::Config::new(key, "k");
        assert_eq!(
            field_of(op.build_request(&c)),
            Some("public_key"),
            "{key:?}"
        );
    }
}

#[test]
fn kapital_credentials_and_passwords_are_checked() {
    let op = kapital::GetOrder::new(1);
    for pw in ["", " ", "\t "] {
        let c = kapital::Config::new("user", pw);
        assert_eq!(field_of(op.build_request(&c)), Some("password"), "{pw:?}");
    }
    for user in ["", " ", "a\nb"] {
        let c = kapital::Config::new(user, "pw");
        assert_eq!(field_of(op.build_request(&c)), Some("username"), "{user:?}");
    }
    let c = kapital::Config::new("user", "pw");
    for id in hostile_ids().into_iter().filter(|i| !i.is_empty()) {
        let token = kapital::SetSrcToken::stored_card(1, id.clone(), 2);
        assert_eq!(
            field_of(token.build_request(&c)),
            Some("password"),
            "{id:?}"
        );
    }
}

#[test]
fn twec_ids_are_checked() {
    let c = twec::Config::kapital_test("E1000010");
    for id in hostile_ids() {
        assert_eq!(
            field_of(twec::GetOrderStatus::new(id.clone(), "S").build_request(&c)),
            Some("OrderID"),
            "{id:?}"
        );
        assert_eq!(
            field_of(twec::GetOrderStatus::new("1", id.clone()).build_request(&c)),
            Some("SessionID"),
            "{id:?}"
        );
        assert_eq!(
            field_of(
                twec::Refund::new("1", "S", azn(100))
                    .tran_id(id.clone())
                    .build_request(&c)
            ),
            Some("TranId"),
            "{id:?}"
        );
        let m = twec::Config::kapital_test(id.clone());
        assert_eq!(
            field_of(twec::GetOrderStatus::new("1", "S").build_request(&m)),
            Some("Merchant"),
            "{id:?}"
        );
    }
    assert!(twec::GetOrderStatus::new("9".repeat(255), "S")
        .build_request(&c)
        .is_ok());
}

/// `from_lookup` refuses a bad base URL under the variable's name, on every gateway.
#[test]
fn from_lookup_names_the_base_url_variable() {
    let vars = |extra: (&'static str, &'static str)| {
        move |name: &str| -> Option<String> {
            if name == extra.0 {
                return Some(extra.1.to_owned());
            }
            match name {
                "EPOINT_PUBLIC_KEY" => Some("i000000001".into()),
                "EPOINT_PRIVATE_KEY" => Some("k".into()),
                "KAPITAL_USERNAME" => Some("u".into()),
                "KAPITAL_PASSWORD" => Some("p".into()),
                "TWEC_MERCHANT_ID" => Some("E1000010".into()),
                _ => None,
            }
        }
    };
    let e = epoint::Config::from_lookup(vars(("EPOINT_BASE_URL", "http://127.0.0.1:99999")))
        .unwrap_err();
    assert_eq!(e.field(), Some("EPOINT_BASE_URL"));
    assert!(e.to_string().contains("port 99999 is out of range"), "{e}");
    let e = kapital::Config::from_lookup(vars(("KAPITAL_BASE_URL", "https://u:p@k.example")))
        .unwrap_err();
    assert_eq!(e.field(), Some("KAPITAL_BASE_URL"));
    let e = twec::Config::from_lookup(vars(("TWEC_BASE_URL", "http://127.0.0.1:5443/Exec")))
        .unwrap_err();
    assert_eq!(e.field(), Some("TWEC_BASE_URL"));
    let ok =
        epoint::Config::from_lookup(vars(("EPOINT_BASE_URL", "http://127.0.0.1:8080/"))).unwrap();
    assert_eq!(ok.base(), "http://127.0.0.1:8080");
}
