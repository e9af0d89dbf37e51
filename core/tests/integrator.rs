//! An integrator's first day: configuration from variables, the JSON crate and currencies
//! the API takes, errors that say which gateway and operation, repeated callbacks.

use std::collections::HashMap;

use azpay_core::dedupe::{EventKey, RecentEvents, SeenEvents};
use azpay_core::serde_json::json;
use azpay_core::twec::{LanguageCase, RequestForm};
use azpay_core::{
    epoint, execute, kapital, twec, Amount, BuildError, Currency, FromLookup, HttpRequest,
    HttpResponse, Language, TransportError,
};

fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name: &str| map.get(name).cloned()
}

fn invalid(e: BuildError) -> (&'static str, String) {
    match e {
        BuildError::InvalidInput { field, reason } => (field, reason),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Config::from_lookup

#[test]
fn epoint_config_from_every_variable() {
    let config = epoint::Config::from_lookup(lookup(&[
        ("EPOINT_PUBLIC_KEY", "i000000001"),
        ("EPOINT_PRIVATE_KEY", "the-private-key"),
        ("EPOINT_INTERFACE_LANG", "ru"),
        ("EPOINT_SUCCESS_REDIRECT_URL", "https://shop.example/ok"),
        ("EPOINT_FAILED_REDIRECT_URL", "https://shop.example/fail"),
        ("EPOINT_BASE_URL", "http://127.0.0.1:8080/"),
    ]))
    .unwrap();
    assert_eq!(config.public_key(), "i000000001");
    assert_eq!(config.default_language(), Language::Ru);
    assert_eq!(
        config.default_success_redirect_url(),
        Some("https://shop.example/ok")
    );
    assert_eq!(
        config.default_error_redirect_url(),
        Some("https://shop.example/fail")
    );
    assert_eq!(config.base(), "http://127.0.0.1:8080");
    // The private key is the one set: a signed request verifies with it.
    let same = epoint::Config::new("i000000001", "the-private-key");
    let body = epoint::sign_callback(&config, &json!({"order_id": "1"}));
    assert!(epoint::verify_callback(&same, &body).is_ok());
}

#[test]
fn epoint_config_names_the_missing_variable_and_empty_is_unset() {
    let (field, _) =
        invalid(epoint::Config::from_lookup(lookup(&[("EPOINT_PRIVATE_KEY", "k")])).unwrap_err());
    assert_eq!(field, "EPOINT_PUBLIC_KEY");
    let (field, _) = invalid(
        epoint::Config::from_lookup(lookup(&[
            ("EPOINT_PUBLIC_KEY", "i000000001"),
            ("EPOINT_PRIVATE_KEY", ""),
        ]))
        .unwrap_err(),
    );
    assert_eq!(field, "EPOINT_PRIVATE_KEY");
    // Empty optional variables keep the defaults.
    let config = epoint::Config::from_lookup(lookup(&[
        ("EPOINT_PUBLIC_KEY", "i000000001"),
        ("EPOINT_PRIVATE_KEY", "k"),
        ("EPOINT_INTERFACE_LANG", ""),
        ("EPOINT_BASE_URL", ""),
        ("EPOINT_SUCCESS_REDIRECT_URL", ""),
    ]))
    .unwrap();
    assert_eq!(config.default_language(), Language::Az);
    assert_eq!(config.base(), epoint::DEFAULT_BASE_URL);
    assert_eq!(config.default_success_redirect_url(), None);
}

#[test]
fn a_bad_value_names_its_variable_and_a_secret_is_never_repeated() {
    let (field, reason) = invalid(
        epoint::Config::from_lookup(lookup(&[
            ("EPOINT_PUBLIC_KEY", "i000000001"),
            ("EPOINT_PRIVATE_KEY", "super-secret-key"),
            ("EPOINT_INTERFACE_LANG", "de"),
        ]))
        .unwrap_err(),
    );
    assert_eq!(field, "EPOINT_INTERFACE_LANG");
    assert!(reason.contains("`de`"), "{reason}");
    let e = kapital::Config::from_lookup(lookup(&[
        ("KAPITAL_USERNAME", "TerminalSys/kapital"),
        ("KAPITAL_PASSWORD", "kapital123"),
        ("KAPITAL_INTERFACE_LANG", "fr"),
    ]))
    .unwrap_err();
    assert_eq!(e.field(), Some("KAPITAL_INTERFACE_LANG"));
    assert!(!e.to_string().contains("kapital123"), "{e}");
    assert!(e.to_string().contains("KAPITAL_INTERFACE_LANG"), "{e}");
}

#[test]
fn kapital_config_from_variables() {
    let config = kapital::Config::from_lookup(lookup(&[
        ("KAPITAL_USERNAME", "TerminalSys/kapital"),
        ("KAPITAL_PASSWORD", "kapital123"),
        ("KAPITAL_BASE_URL", "https://e-commerce.kapitalbank.az"),
        ("KAPITAL_INTERFACE_LANG", "EN"),
        ("KAPITAL_REDIRECT_URL", "https://shop.example/back"),
    ]))
    .unwrap();
    assert_eq!(config.username(), "TerminalSys/kapital");
    assert_eq!(config.base(), kapital::PROD_BASE_URL);
    assert_eq!(config.default_language(), Language::En);
    assert_eq!(
        config.default_redirect_url(),
        Some("https://shop.example/back")
    );
    assert!(config.authorization().is_ok());
    let e = kapital::Config::from_lookup(lookup(&[("KAPITAL_USERNAME", "u")])).unwrap_err();
    assert_eq!(e.field(), Some("KAPITAL_PASSWORD"));
    // Defaults when only the credentials are set.
    let config = kapital::Config::from_lookup(lookup(&[
        ("KAPITAL_USERNAME", "u"),
        ("KAPITAL_PASSWORD", "p"),
    ]))
    .unwrap();
    assert_eq!(config.base(), kapital::TEST_BASE_URL);
    assert_eq!(config.default_redirect_url(), None);
}

#[test]
fn twec_config_from_variables() {
    let config = twec::Config::from_lookup(lookup(&[
        ("TWEC_MERCHANT_ID", "E1000010"),
        ("TWEC_BASE_URL", "https://3dsrv.kapitalbank.az:5443/Exec"),
        ("TWEC_LANGUAGE", "AZ"),
        ("TWEC_LANGUAGE_CASE", "lower"),
        ("TWEC_FORM", "Generic"),
        ("TWEC_APPROVE_URL", "https://shop.example/ok"),
        ("TWEC_CANCEL_URL", "https://shop.example/cancel"),
        ("TWEC_DECLINE_URL", "https://shop.example/decline"),
        // The transport's, not the config's: ignored here.
        ("TWEC_CLIENT_CERT", "/nonexistent.pem"),
    ]))
    .unwrap();
    assert_eq!(config.merchant_id(), "E1000010");
    assert_eq!(config.base(), twec::KAPITAL_PRODUCTION_URL);
    assert_eq!(config.default_language(), Language::Az);
    assert_eq!(config.language_case_in_use(), LanguageCase::Lower);
    assert_eq!(config.form_in_use(), RequestForm::Generic);
    assert_eq!(
        config.default_approve_url(),
        Some("https://shop.example/ok")
    );
    assert_eq!(
        config.default_cancel_url(),
        Some("https://shop.example/cancel")
    );
    assert_eq!(
        config.default_decline_url(),
        Some("https://shop.example/decline")
    );
    for (var, bad) in [
        ("TWEC_FORM", "other"),
        ("TWEC_LANGUAGE", "xx"),
        ("TWEC_LANGUAGE_CASE", "title"),
    ] {
        let e = twec::Config::from_lookup(lookup(&[("TWEC_MERCHANT_ID", "E1"), (var, bad)]))
            .unwrap_err();
        assert_eq!(e.field(), Some(var));
    }
    let e = twec::Config::from_lookup(lookup(&[("TWEC_MERCHANT_ID", "")])).unwrap_err();
    assert_eq!(e.field(), Some("TWEC_MERCHANT_ID"));
}

/// What a transport crate's generic `from_env::<C>()` does, over a map.
fn from_vars<C: FromLookup>(vars: &[(&str, &str)]) -> Result<C, BuildError> {
    C::from_lookup(lookup(vars))
}

#[test]
fn the_trait_builds_every_config_and_lists_its_variables() {
    let vars = [
        ("EPOINT_PUBLIC_KEY", "i1"),
        ("EPOINT_PRIVATE_KEY", "k"),
        ("KAPITAL_USERNAME", "u"),
        ("KAPITAL_PASSWORD", "p"),
        ("TWEC_MERCHANT_ID", "E1"),
    ];
    assert_eq!(
        from_vars::<epoint::Config>(&vars).unwrap().public_key(),
        "i1"
    );
    assert_eq!(from_vars::<kapital::Config>(&vars).unwrap().username(), "u");
    assert_eq!(
        from_vars::<twec::Config>(&vars).unwrap().merchant_id(),
        "E1"
    );
    // Every variable docs/cli.md lists for the config (not the TLS files) is read.
    assert_eq!(
        <epoint::Config as FromLookup>::VARIABLES,
        [
            "EPOINT_PUBLIC_KEY",
            "EPOINT_PRIVATE_KEY",
            "EPOINT_INTERFACE_LANG",
            "EPOINT_SUCCESS_REDIRECT_URL",
            "EPOINT_FAILED_REDIRECT_URL",
            "EPOINT_BASE_URL"
        ]
    );
    assert_eq!(<kapital::Config as FromLookup>::VARIABLES.len(), 5);
    assert_eq!(<twec::Config as FromLookup>::VARIABLES.len(), 8);
    let cli_md = include_str!("../../docs/cli.md");
    for var in <epoint::Config as FromLookup>::VARIABLES
        .iter()
        .chain(<kapital::Config as FromLookup>::VARIABLES)
        .chain(<twec::Config as FromLookup>::VARIABLES)
    {
        assert!(cli_md.contains(&format!("`{var}`")), "{var} not in cli.md");
    }
    // Each asks for its own variables only.
    let asked = std::cell::RefCell::new(Vec::new());
    let _ = twec::Config::from_lookup(|name: &str| {
        asked.borrow_mut().push(name.to_owned());
        None
    });
    assert!(asked.borrow().iter().all(|n| n.starts_with("TWEC_")));
}

// ---------------------------------------------------------------------------------------
// The JSON crate and currencies

#[test]
fn the_json_crate_of_the_api_is_reexported() {
    let mut attrs = azpay_core::serde_json::Map::new();
    attrs.insert("basket".to_owned(), json!([1, 2]));
    let pay =
        epoint::Pay::new(Amount::parse_major("1", Currency::AZN).unwrap(), "o").other_attr(attrs);
    let request =
        azpay_core::Operation::build_request(&pay, &epoint::Config::new("i000000001", "k"))
            .unwrap();
    assert!(!request.body().is_empty());
}

#[test]
fn currency_parses_from_text() {
    assert_eq!("AZN".parse::<Currency>().unwrap(), Currency::AZN);
    assert_eq!("usd".parse::<Currency>().unwrap(), Currency::USD);
    assert_eq!("978".parse::<Currency>().unwrap(), Currency::EUR);
    assert_eq!(Currency::try_from("RUB").unwrap(), Currency::RUB);
    assert!("".parse::<Currency>().is_err());
    assert!("AZNX".parse::<Currency>().is_err());
    assert!(Currency::try_from("999").is_err());
}

// ---------------------------------------------------------------------------------------
// Errors name the gateway and the operation

fn answer(
    status: u16,
    body: &'static [u8],
) -> impl Fn(HttpRequest) -> Result<HttpResponse, TransportError> {
    move |_| {
        Ok(http::Response::builder()
            .status(status)
            .body(body.to_vec())
            .unwrap())
    }
}

#[test]
fn epoint_error_names_gateway_and_operation() {
    let config = epoint::Config::new("i000000001", "k");
    let refund = epoint::Refund::new("te1", Currency::AZN);
    let err = execute(
        &refund,
        &config,
        &answer(
            200,
            br#"{"status":"error","message":"Transaction not found"}"#,
        ),
    )
    .unwrap_err();
    assert_eq!(err.api().unwrap().operation, "refund");
    assert_eq!(
        err.to_string(),
        "gateway error: EPoint refund refused: `error`: Transaction not found"
    );
    // An operation with its own parser (not a signed one) is named too.
    let err = execute(
        &epoint::WalletStatus,
        &config,
        &answer(200, br#"{"status":"server_error"}"#),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "gateway error: EPoint wallet_status refused: `server_error`"
    );
}

#[test]
fn kapital_error_names_gateway_and_operation() {
    let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
    let op = kapital::ExecTran::refund(42, Amount::parse_major("1", Currency::AZN).unwrap());
    let err = execute(
        &op,
        &config,
        &answer(
            400,
            br#"{"errorCode":"InvalidAmt","errorDescription":"too much"}"#,
        ),
    )
    .unwrap_err();
    assert_eq!(err.api().unwrap().operation, "exec_tran");
    assert_eq!(
        err.to_string(),
        "gateway error: Kapital exec_tran refused: InvalidAmt: too much [HTTP 400]"
    );
}

#[test]
fn twec_error_names_gateway_and_operation() {
    let config = twec::Config::kapital_test("E1000010");
    let err = execute(
        &twec::GetOrderStatus::new("86166", "SESSION"),
        &config,
        &answer(
            200,
            b"<TKKPG><Response><Operation>GetOrderStatus</Operation><Status>30</Status></Response></TKKPG>",
        ),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("gateway error: TWEC GetOrderStatus refused: Status 30"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------
// Callbacks arrive more than once

#[test]
fn a_repeated_epoint_callback_is_handled_once_and_checked_against_the_order() {
    let config = epoint::Config::new("i000000001", "private-key");
    let body = epoint::sign_callback(
        &config,
        &json!({"order_id": "o-1", "status": "success", "transaction": "te1",
                "operation_code": "100", "amount": 30.75}),
    );
    let mut seen = RecentEvents::new(100);
    let mut shipped = 0;
    for _ in 0..3 {
        let callback = epoint::verify_callback(&config, &body).unwrap();
        assert!(callback.matches("o-1", Amount::parse_major("30.75", Currency::AZN).unwrap()));
        if seen.first_time(&EventKey::epoint(&callback)) {
            shipped += 1;
        }
    }
    assert_eq!(shipped, 1);
    // A later callback about the same transaction with another status is a new event.
    let failed = epoint::sign_callback(
        &config,
        &json!({"order_id": "o-1", "status": "failed", "transaction": "te1",
                "operation_code": "100"}),
    );
    let callback = epoint::verify_callback(&config, &failed).unwrap();
    assert!(seen.first_time(&EventKey::epoint(&callback)));
    // Without an amount it never matches.
    assert!(!callback.matches("o-1", Amount::parse_major("30.75", Currency::AZN).unwrap()));
}

#[test]
fn kapital_and_twec_keys_separate_orders_and_statuses() {
    let a = kapital::parse_redirect("ID=5531&STATUS=FullyPaid").unwrap();
    let b = kapital::parse_redirect("?STATUS=FullyPaid&ID=5531").unwrap();
    let c = kapital::parse_redirect("ID=5531&STATUS=Declined").unwrap();
    let d = kapital::parse_redirect("ID=5532&STATUS=FullyPaid").unwrap();
    assert_eq!(EventKey::kapital(&a), EventKey::kapital(&b));
    assert_ne!(EventKey::kapital(&a), EventKey::kapital(&c));
    assert_ne!(EventKey::kapital(&a), EventKey::kapital(&d));

    let msg = |order: &str, session: &str, status: &str| {
        let xml = format!(
            "<Message><OrderID>{order}</OrderID><SessionID>{session}</SessionID>\
             <OrderStatus>{status}</OrderStatus></Message>"
        );
        twec::parse_xmlout(xml.as_bytes()).unwrap()
    };
    let k = EventKey::twec(&msg("1", "S1", "APPROVED"));
    assert_eq!(k, EventKey::twec(&msg("1", "S1", "APPROVED")));
    assert_ne!(k, EventKey::twec(&msg("1", "S2", "APPROVED")));
    assert_ne!(k, EventKey::twec(&msg("1", "S1", "DECLINED")));
    assert_ne!(k, EventKey::twec(&msg("2", "S1", "APPROVED")));
    assert_eq!(k.gateway(), "twec");
    // The same fields on two gateways are two events.
    assert_ne!(
        EventKey::new("kapital", [Some("5531"), Some("FullyPaid")]),
        EventKey::new("epoint", [Some("5531"), Some("FullyPaid")])
    );
}

// ---------------------------------------------------------------------------------------
// The unknown-outcomes page shows the example that runs

#[test]
fn the_unknown_outcomes_page_carries_the_compiled_example_verbatim() {
    let page = include_str!("../../docs/unknown-outcomes.md");
    let example = include_str!("../examples/reconcile_unknown.rs");
    assert!(
        page.contains(&format!("```rust\n{example}```")),
        "docs/unknown-outcomes.md must quote core/examples/reconcile_unknown.rs in full"
    );
    let reconcile_docs = include_str!("../src/reconcile.rs");
    assert!(reconcile_docs.contains("`docs/unknown-outcomes.md`"));
}
