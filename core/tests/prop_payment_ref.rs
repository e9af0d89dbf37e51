//! A stored [`PaymentRef`] reads back as it was written: the docs tell users to keep it with
//! their order (as JSON), so every variant, every id a gateway may hand out, every amount of a
//! known currency and both kinds (purchase, hold) must survive `serde_json` both ways. Also the
//! uniform [`State`] and [`PaymentStatus`] words.
//!
//! 1,000 cases per property; set `PROPTEST_CASES` for more.

use azpay_core::unified::{GatewayKind, PaymentRef, PaymentStatus};
use azpay_core::{Amount, Currency, State};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1000),
    )
}

fn amount() -> impl Strategy<Value = Amount> {
    (any::<u64>(), 0..Currency::KNOWN.len())
        .prop_map(|(minor, i)| Amount::from_minor(minor, Currency::KNOWN[i]))
}

/// Ids as gateways hand them out, and anything else a string can hold (quotes, escapes,
/// non-ASCII, control characters).
fn id() -> impl Strategy<Value = String> {
    prop_oneof!["te[0-9]{9}", "[0-9A-F]{32}", any::<String>()]
}

fn payment_ref() -> impl Strategy<Value = PaymentRef> {
    prop_oneof![
        (id(), id(), amount(), any::<bool>()).prop_map(
            |(transaction, order_id, amount, preauth)| {
                PaymentRef::EPoint {
                    transaction,
                    order_id,
                    amount,
                    preauth,
                }
            }
        ),
        (any::<u64>(), id(), amount(), any::<bool>()).prop_map(
            |(order_id, password, amount, preauth)| PaymentRef::Kapital {
                order_id,
                password,
                amount,
                preauth,
            }
        ),
        (
            id(),
            id(),
            amount(),
            any::<bool>(),
            proptest::option::of(id())
        )
            .prop_map(|(order_id, session_id, amount, preauth, tran_id)| {
                PaymentRef::Twec {
                    order_id,
                    session_id,
                    amount,
                    preauth,
                    tran_id,
                }
            }),
        (id(), amount(), any::<bool>()).prop_map(|(order_id, amount, preauth)| {
            PaymentRef::Payriff {
                order_id,
                amount,
                preauth,
            }
        }),
        (
            "[0-9]{6,32}",
            amount(),
            any::<bool>(),
            proptest::option::of(id()),
            proptest::option::of(id())
        )
            .prop_map(|(order, amount, preauth, rrn, int_ref)| {
                PaymentRef::Azericard {
                    order,
                    amount,
                    preauth,
                    rrn,
                    int_ref,
                }
            }),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn payment_ref_round_trips_through_json(payment in payment_ref()) {
        let json = serde_json::to_string(&payment).unwrap();
        let back: PaymentRef = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &payment);
        // And through a `serde_json::Value`, as a store that keeps documents would.
        let value = serde_json::to_value(&payment).unwrap();
        prop_assert_eq!(serde_json::from_value::<PaymentRef>(value).unwrap(), payment);
    }

    #[test]
    fn amount_round_trips_exactly(a in amount()) {
        let json = serde_json::to_string(&a).unwrap();
        prop_assert_eq!(serde_json::from_str::<Amount>(&json).unwrap(), a);
    }
}

#[test]
fn stored_refs_of_the_documented_shape_read_back() {
    // The JSON a user stored with an earlier release (no `tran_id` key) still reads.
    let stored = r#"{"gateway":"twec","order_id":"86166","session_id":"4195BE06C8BC8BBDA9CF1B55FD403E24","amount":{"value":"30.75","currency":"AZN"},"preauth":false}"#;
    let payment: PaymentRef = serde_json::from_str(stored).unwrap();
    assert_eq!(payment.gateway(), GatewayKind::Twec);
    assert!(matches!(&payment, PaymentRef::Twec { tran_id: None, .. }));
    assert_eq!(serde_json::to_string(&payment).unwrap(), stored);
    // A tampered amount is refused, never rounded.
    for bad in [r#""30.755""#, r#""-1""#, "30.75", r#""1e3""#] {
        let text = stored.replace(r#""30.75""#, bad);
        assert!(serde_json::from_str::<PaymentRef>(&text).is_err(), "{text}");
    }
    // An unknown gateway is an error, not a default.
    assert!(serde_json::from_str::<PaymentRef>(&stored.replace("twec", "paypal")).is_err());
}

#[test]
fn state_and_status_words_round_trip() {
    for s in [
        State::Done,
        State::Declined,
        State::Pending,
        State::Returned,
    ] {
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<State>(&json).unwrap(), s);
    }
    for s in [
        PaymentStatus::Pending,
        PaymentStatus::Authorized,
        PaymentStatus::Paid,
        PaymentStatus::PartiallyRefunded,
        PaymentStatus::Refunded,
        PaymentStatus::Voided,
        PaymentStatus::Declined,
        PaymentStatus::Expired,
        PaymentStatus::Failed,
        PaymentStatus::Unknown,
    ] {
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<PaymentStatus>(&json).unwrap(), s);
        assert_eq!(json, format!("\"{}\"", s.as_str()));
    }
}

#[test]
fn status_to_state_is_the_documented_table() {
    use PaymentStatus as P;
    let table = [
        (P::Pending, State::Pending),
        (P::Unknown, State::Pending),
        (P::Authorized, State::Done),
        (P::Paid, State::Done),
        (P::PartiallyRefunded, State::Done),
        (P::Refunded, State::Returned),
        (P::Voided, State::Returned),
        (P::Declined, State::Declined),
        (P::Expired, State::Declined),
        (P::Failed, State::Declined),
    ];
    for (status, state) in table {
        assert_eq!(status.state(), state, "{status}");
    }
    assert!(
        !P::Unknown.state().is_done(),
        "an unknown status is never done"
    );
}
