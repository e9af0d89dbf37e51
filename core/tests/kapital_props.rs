//! Property tests: Kapital's parsers never panic on arbitrary input, and amounts reach the
//! wire exactly.

use azpay_core::kapital::{parse_redirect, Config, CreateOrder, ExecTran, GetOrder};
use azpay_core::{Amount, Currency, Operation};
use proptest::prelude::*;

fn config() -> Config {
    Config::new("TerminalSys/kapital", "kapital123")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn redirect_parser_never_panics(input in ".{0,200}") {
        if let Ok(r) = parse_redirect(&input) {
            prop_assert!(r.order_id() > 0);
            prop_assert!(!r.claimed_status().is_empty());
        }
    }

    #[test]
    fn response_parsers_never_panic(body in proptest::collection::vec(any::<u8>(), 0..300), status in 100u16..600) {
        let response = || http::Response::builder().status(status).body(body.clone()).unwrap();
        let _ = GetOrder::new(1).parse_response(&config(), response());
        let _ = ExecTran::credit(1).parse_response(&config(), response());
        let _ = CreateOrder::purchase(Amount::from_minor(1, Currency::AZN)).parse_response(&config(), response());
    }

    #[test]
    fn json_shaped_bodies_never_panic(
        key in prop::sample::select(vec!["id", "status", "amount", "currency", "trans", "storedTokens", "errorCode", "pmoResultCode", "clearAmount"]),
        value in prop::sample::select(vec!["1", "-1", "\"x\"", "null", "[]", "{}", "1.5e3", "true", "\"-0.01\"", "18446744073709551616"]),
    ) {
        let body = format!(r#"{{"order":{{"{key}":{value},"trans":[{{"{key}":{value}}}]}},"{key}":{value}}}"#);
        let response = http::Response::new(body.into_bytes());
        let _ = GetOrder::new(1).parse_response(&config(), response);
    }

    #[test]
    fn amounts_reach_the_wire_exactly(minor in 1u64..10_000_000_000) {
        let amount = Amount::from_minor(minor, Currency::AZN);
        let req = CreateOrder::purchase(amount).build_request(&config()).unwrap();
        let body: serde_json::Value = serde_json::from_slice(req.body()).unwrap();
        let text = body["order"]["amount"].as_str().unwrap().to_owned();
        prop_assert_eq!(Amount::parse_major(&text, Currency::AZN).unwrap(), amount);
        prop_assert_eq!(text.split('.').nth(1).map(str::len), Some(2));
    }
}
