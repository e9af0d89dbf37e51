//! Property tests for Payriff: amounts go out as exact JSON numbers and read back to the same
//! minor units; only `00000` with a 2xx status is ever a success, whatever the HTTP status and
//! code; a status word maps to `Done` only when it is one of the known paid/held words (in any
//! case); arbitrary bytes never panic the envelope or callback parsers.
//!
//! 1,000 cases per property; set `PROPTEST_CASES` for more.

use azpay_core::payriff::{parse_callback, Config, CreateOrder, GetOrder, PaymentStatus, Refund};
use azpay_core::{Amount, Currency, HttpResponse, JsonDecimal, Operation, ResponseError, State};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1000),
    )
}

fn response(status: u16, body: &[u8]) -> HttpResponse {
    http::Response::builder()
        .status(status)
        .body(body.to_vec())
        .unwrap()
}

#[derive(serde::Deserialize)]
struct Sent {
    amount: JsonDecimal,
}

const DONE_WORDS: &[&str] = &["APPROVED", "ACCEPTED", "PREAUTH_APPROVED", "PARTIAL_REFUND"];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn amounts_round_trip_exactly(minor in 1u64..=u64::MAX, usd in any::<bool>()) {
        let currency = if usd { Currency::USD } else { Currency::AZN };
        let amount = Amount::from_minor(minor, currency);
        let request = CreateOrder::purchase(amount, "rrn")
            .build_request(&Config::new("k"))
            .unwrap();
        let sent: Sent = serde_json::from_slice(request.body()).unwrap();
        // A JSON number (no quotes) with the currency's two decimals.
        let text = std::str::from_utf8(request.body()).unwrap();
        let number = format!("\"amount\":{},", sent.amount.as_str());
        prop_assert!(text.contains(&number));
        prop_assert_eq!(sent.amount.amount(currency).unwrap(), amount);
        let refund = Refund::partial("O", amount, "r").build_request(&Config::new("k")).unwrap();
        let sent: Sent = serde_json::from_slice(refund.body()).unwrap();
        prop_assert_eq!(sent.amount.amount(currency).unwrap(), amount);
    }

    #[test]
    fn amounts_read_back_from_any_exact_number(major in 0u64..1_000_000_000, cents in 0u64..100, pad in 0usize..3) {
        let text = format!("{major}.{cents:02}{}", "0".repeat(pad));
        let body = format!(r#"{{"code":"00000","payload":{{"orderId":"O","amount":{text},"currencyType":"AZN"}}}}"#);
        let order = GetOrder::new("O").parse_response(&Config::new("k"), response(200, body.as_bytes())).unwrap();
        prop_assert_eq!(order.amount.map(|a| a.minor()), Some(major * 100 + cents));
    }

    #[test]
    fn only_00000_with_2xx_is_success(code in "[0-9]{0,6}|[A-Za-z ]{0,8}", status in prop::sample::select(vec![200u16, 201, 400, 401, 404, 500, 502])) {
        let body = format!(r#"{{"code":"{code}","message":"m","payload":{{"orderId":"O","paymentStatus":"APPROVED"}}}}"#);
        let parsed = GetOrder::new("O").parse_response(&Config::new("k"), response(status, body.as_bytes()));
        let success = code.trim() == "00000" && (200..300).contains(&status);
        prop_assert_eq!(parsed.is_ok(), success, "{} {}", code, status);
        if !success && code.trim() != "00000" {
            prop_assert!(matches!(parsed, Err(ResponseError::Api(_))), "a failure code is the typed error");
        }
        // An action never reads a failure as done.
        let action = Refund::full("O", "r").parse_response(&Config::new("k"), response(status, body.as_bytes()));
        if let Ok(out) = action {
            prop_assert!(out.state != State::Done || success);
        }
    }

    #[test]
    fn only_known_words_are_done(word in "[A-Za-z_ ]{0,20}") {
        let state = PaymentStatus::from(word.as_str()).state();
        let known = DONE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word.trim()));
        prop_assert_eq!(state == State::Done, known, "{}", word);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512), status in 100u16..600) {
        let _ = parse_callback(&bytes);
        let _ = GetOrder::new("O").parse_response(&Config::new("k"), response(status, &bytes));
        let _ = Refund::full("O", "r").parse_response(&Config::new("k"), response(status, &bytes));
    }

    #[test]
    fn json_shaped_noise_never_panics(code in "[0-9]{5}", status in "[A-Z_]{0,12}", amount in "-?[0-9]{0,25}(\\.[0-9]{0,5})?(e[0-9]{1,3})?", id in "\\PC{0,20}") {
        let body = format!(r#"{{"code":"{code}","payload":{{"orderId":{},"paymentStatus":"{status}","amount":{amount},"currencyType":"AZN"}}}}"#, serde_json::to_string(&id).unwrap());
        let _ = GetOrder::new("O").parse_response(&Config::new("k"), response(200, body.as_bytes()));
        let _ = parse_callback(body.as_bytes());
    }
}
