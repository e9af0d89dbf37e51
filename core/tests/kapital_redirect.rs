//! K10: the browser's `?ID=…&STATUS=…` return is a claim; only the order query decides.

use azpay_core::kapital::{parse_redirect, Config, OrderStatus, RedirectError, UnverifiedRedirect};
use azpay_core::{execute, HttpRequest, HttpResponse, TransportError};

fn config() -> Config {
    Config::new("TerminalSys/kapital", "kapital123")
}

#[test]
fn parses_url_query_and_bare_forms() {
    for input in [
        "https://shop.example/return?ID=1234&STATUS=FullyPaid",
        "https://shop.example/return?STATUS=FullyPaid&ID=1234#top",
        "?ID=1234&STATUS=FullyPaid",
        "ID=1234&STATUS=FullyPaid",
        "id=1234&status=FullyPaid&utm_source=x",
        "ID=1234&STATUS=Fully%50aid",
    ] {
        let r = parse_redirect(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(r.order_id(), 1234, "{input}");
        assert_eq!(r.claimed_status(), "FullyPaid", "{input}");
        assert_eq!(r.verify().id(), 1234);
    }
}

#[test]
fn hostile_input_is_an_error_not_a_panic() {
    let cases: &[(&str, RedirectError)] = &[
        ("", RedirectError::Missing("ID")),
        ("STATUS=FullyPaid", RedirectError::Missing("ID")),
        ("ID=1", RedirectError::Missing("STATUS")),
        ("ID=1&ID=2&STATUS=FullyPaid", RedirectError::Duplicate("ID")),
        ("ID=1&id=1&STATUS=FullyPaid", RedirectError::Duplicate("ID")),
        (
            "ID=1&STATUS=Declined&STATUS=FullyPaid",
            RedirectError::Duplicate("STATUS"),
        ),
        ("ID=abc&STATUS=FullyPaid", RedirectError::InvalidId),
        ("ID=-1&STATUS=FullyPaid", RedirectError::InvalidId),
        ("ID=+1&STATUS=FullyPaid", RedirectError::InvalidId),
        ("ID=1.0&STATUS=FullyPaid", RedirectError::InvalidId),
        ("ID=0&STATUS=FullyPaid", RedirectError::InvalidId),
        ("ID=&STATUS=FullyPaid", RedirectError::InvalidId),
        ("ID=%201&STATUS=FullyPaid", RedirectError::InvalidId),
        (
            "ID=99999999999999999999999&STATUS=FullyPaid",
            RedirectError::InvalidId,
        ),
        ("ID=١٢&STATUS=FullyPaid", RedirectError::InvalidId),
        ("ID=1&STATUS=", RedirectError::InvalidStatus),
    ];
    for (input, expected) in cases {
        assert_eq!(parse_redirect(input).unwrap_err(), *expected, "{input:?}");
    }
    let long = format!("ID=1&STATUS={}", "A".repeat(65));
    assert_eq!(
        parse_redirect(&long).unwrap_err(),
        RedirectError::InvalidStatus
    );
    let huge = format!("ID=1&STATUS=FullyPaid&x={}", "y".repeat(10_000));
    assert_eq!(parse_redirect(&huge).unwrap_err(), RedirectError::TooLong);
    // Garbage bytes and odd encodings never panic.
    for input in [
        "%",
        "%%%",
        "&&&==&",
        "ID=%FF&STATUS=%FE",
        "?#",
        "ID=1&STATUS=%00",
        "=&==",
    ] {
        let _ = parse_redirect(input);
    }
}

fn gateway_answers(
    status: &'static str,
) -> impl Fn(HttpRequest) -> Result<HttpResponse, TransportError> {
    move |req: HttpRequest| {
        assert_eq!(req.method(), "GET");
        // The "Transaction details" query of seed 002's flow: the detailed order.
        assert_eq!(
            req.uri(),
            "https://txpgtst.kapitalbank.az/api/order/5531?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2"
        );
        assert_eq!(
            req.headers()["authorization"],
            "Basic VGVybWluYWxTeXMva2FwaXRhbDprYXBpdGFsMTIz"
        );
        Ok(http::Response::new(
            format!(r#"{{"order":{{"id":5531,"typeRid":"Order_SMS","status":"{status}","amount":1,"currency":"AZN"}}}}"#)
                .into_bytes(),
        ))
    }
}

#[test]
fn forged_fully_paid_is_decided_by_the_query() {
    let forged = parse_redirect("https://shop.example/return?ID=5531&STATUS=FullyPaid").unwrap();
    // The claim is only a string; there is no paid accessor on the redirect (see the
    // compile_fail doctest on UnverifiedRedirect).
    assert_eq!(forged.claimed_status(), "FullyPaid");

    let order = execute(&forged.verify(), &config(), &gateway_answers("Preparing")).unwrap();
    assert_eq!(order.status, OrderStatus::Preparing);
    assert_eq!(order.state, azpay_core::State::Pending);
    assert!(!order.status.is_paid(), "the query's answer decides");
    assert!(!forged.claim_matches(&order));

    // An honest redirect: the query confirms it.
    let order = execute(&forged.verify(), &config(), &gateway_answers("FullyPaid")).unwrap();
    assert!(order.status.is_paid());
    assert_eq!(order.state, azpay_core::State::Done);
    assert!(forged.claim_matches(&order));
}

#[test]
fn a_claim_about_another_order_does_not_match() {
    let r = UnverifiedRedirect::from_parts("5531", "Refunded").unwrap();
    let order = execute(&r.verify(), &config(), &gateway_answers("Refunded")).unwrap();
    assert!(r.claim_matches(&order));
    let other = UnverifiedRedirect::from_parts("5532", "Refunded").unwrap();
    assert!(!other.claim_matches(&order));
}

#[test]
fn verify_is_the_detailed_query() {
    let r = parse_redirect("ID=77&STATUS=Declined").unwrap();
    let req = azpay_core::Operation::build_request(&r.verify(), &config()).unwrap();
    assert_eq!(req.method(), "GET");
    assert_eq!(
        req.uri(),
        "https://txpgtst.kapitalbank.az/api/order/77?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2"
    );
    assert_eq!(
        format!("{r:?}"),
        r#"UnverifiedRedirect { order_id: 77, claimed_status: "Declined" }"#
    );
}
