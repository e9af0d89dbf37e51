//! Azericard through the unified API: the form, status, capture (21), cancel (22), refund
//! (full only) and what is refused before sending.

mod azericard_support;

use azericard_support::recording;
use azpay_core::azericard::{Config, Stamp};
use azpay_core::unified::{self, GatewayKind, PaymentRef, PaymentStatus, Verb};
use azpay_core::{
    execute, Amount, BuildError, Currency, Error, HttpRequest, HttpResponse, State, TransportError,
};

fn config() -> unified::Config {
    let (signer, _) = recording();
    unified::Config::new().azericard(
        Config::new("17202191", signer)
            .merchant_name("Shop")
            .merchant_url("https://shop.example.az")
            .callback_url("https://shop.example.az/back")
            .stamps(|| Stamp::new("20250123050000", "7cfb4c2512eeec72").unwrap()),
    )
}

fn azn(s: &str) -> Amount {
    Amount::parse_major(s, Currency::AZN).unwrap()
}

fn answer(
    expect: &'static str,
    body: &'static str,
) -> impl Fn(HttpRequest) -> Result<HttpResponse, TransportError> {
    move |r: HttpRequest| {
        let b = String::from_utf8(r.body().clone()).unwrap();
        assert!(b.contains(expect), "{b}");
        Ok(http::Response::new(body.as_bytes().to_vec()))
    }
}

#[test]
fn form_then_status_then_capture_and_cancel() {
    let create =
        unified::CreatePayment::new(GatewayKind::Azericard, azn("10.50"), "20250123000001")
            .description("Books")
            .preauth();
    let created = create.form(&config()).unwrap();
    assert_eq!(created.form.field("TRTYPE"), Some("0"));
    assert_eq!(created.form.field("DESC"), Some("Books"));
    // Executing it is refused before sending: the browser posts the form.
    let never = |_: HttpRequest| -> Result<HttpResponse, TransportError> { unreachable!() };
    assert!(matches!(
        execute(&create, &config(), &never),
        Err(Error::Build(_))
    ));

    let payment = created.payment;
    let state = execute(
        &unified::GetStatus::new(&payment),
        &config(),
        &answer("TRAN_TRTYPE=0&", "ACTION=0&RC=00&AMOUNT=10.50&CURRENCY=944"),
    )
    .unwrap();
    assert_eq!(
        (state.status, state.state),
        (PaymentStatus::Authorized, State::Done)
    );
    assert_eq!(state.gateway_status, "ACTION 0 RC 00");
    assert_eq!(state.amount, Some(azn("10.50")));

    // Capture needs RRN and INT_REF.
    let err = execute(&unified::Capture::new(&payment), &config(), &never).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Build(BuildError::InvalidInput { field: "rrn", .. })
        ),
        "{err}"
    );
    let payment = payment.with_azericard_refs("306276834930", "4A29E93C607E33DC");
    let out = execute(
        &unified::Capture::new(&payment),
        &config(),
        &answer("&TRTYPE=21&", "0"),
    )
    .unwrap();
    assert_eq!((out.state, out.code.as_deref()), (State::Done, Some("0")));
    let partial = unified::Capture::new(&payment).amount(azn("5"));
    assert!(matches!(
        execute(&partial, &config(), &never),
        Err(Error::Build(BuildError::InvalidInput {
            field: "amount",
            ..
        }))
    ));
    let out = execute(
        &unified::Cancel::new(&payment),
        &config(),
        &answer("&TRTYPE=22&", "2"),
    )
    .unwrap();
    assert_eq!(out.state, State::Declined);
}

#[test]
fn refund_full_only() {
    assert!(unified::supports(GatewayKind::Azericard, Verb::RefundFull));
    assert!(!unified::supports(
        GatewayKind::Azericard,
        Verb::RefundPartial
    ));
    let payment = PaymentRef::Azericard {
        order: "20250123000001".into(),
        amount: azn("10.50"),
        preauth: false,
        rrn: Some("306276834930".into()),
        int_ref: Some("4A29E93C607E33DC".into()),
    };
    let out = execute(
        &unified::Refund::full(&payment),
        &config(),
        &answer("AMOUNT=10.50&", "0"),
    )
    .unwrap();
    assert!(out.approved());
    let never = |_: HttpRequest| -> Result<HttpResponse, TransportError> { unreachable!() };
    let err = execute(
        &unified::Refund::partial(&payment, azn("1")),
        &config(),
        &never,
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Build(BuildError::Unsupported {
                gateway: "azericard",
                operation: "partial_refund"
            })
        ),
        "{err}"
    );
    // JSON round trip of the reference.
    let json = serde_json::to_string(&payment).unwrap();
    assert!(json.contains(r#""gateway":"azericard""#), "{json}");
    assert_eq!(serde_json::from_str::<PaymentRef>(&json).unwrap(), payment);
}

#[test]
fn other_gateways_refuse_the_form() {
    let c = unified::Config::new().epoint(azpay_core::epoint::Config::new("i000000001", "k"));
    let err = unified::CreatePayment::new(GatewayKind::EPoint, azn("1"), "o")
        .form(&c)
        .unwrap_err();
    assert_eq!(err.field(), Some("gateway"));
}
