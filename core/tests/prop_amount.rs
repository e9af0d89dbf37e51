//! Property tests of `Amount`: exact round trips over the whole `u64` minor range, and a parser
//! that accepts exactly the plain decimals it can hold, never rounding, checked against an
//! independent reading of the text (digit strings, no arithmetic).
//!
//! 1,000 cases per property; set `PROPTEST_CASES` for more.

use azpay_core::{Amount, AmountError, Currency};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1000),
    )
}

fn currency(exponent: u8) -> Currency {
    Currency::new("XTS", 963, exponent).unwrap()
}

/// Any minor count, biased towards the edges of the range.
fn minor() -> impl Strategy<Value = u64> {
    prop_oneof![
        any::<u64>(),
        0u64..1000,
        (u64::MAX - 1000)..=u64::MAX,
        (0u32..20).prop_map(|p| 10u64.pow(p)),
        (1u32..20).prop_map(|p| 10u64.pow(p) - 1),
    ]
}

/// The independent reading: `Some(digits of the minor count, leading zeros stripped)` when the
/// text is `digits[.digits]` with at most `exponent` decimals, else `None`.
fn expected_minor_digits(text: &str, exponent: u8) -> Option<String> {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) {
        return None;
    }
    let frac = match frac {
        None => String::new(),
        Some(f) if digits(f) && f.len() <= usize::from(exponent) => f.to_owned(),
        Some(_) => return None,
    };
    let padded = format!("{int}{frac:0<width$}", width = usize::from(exponent));
    let stripped = padded.trim_start_matches('0');
    Some(if stripped.is_empty() {
        "0".to_owned()
    } else {
        stripped.to_owned()
    })
}

/// Whether a digit string (no leading zeros) is at most `u64::MAX`.
fn fits_u64(digits: &str) -> bool {
    let max = u64::MAX.to_string();
    digits.len() < max.len() || (digits.len() == max.len() && digits <= max.as_str())
}

/// Text shaped like numbers, with the usual mistakes mixed in.
fn number_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,24}(\\.[0-9]{0,6})?",
        "0{0,5}[0-9]{1,20}\\.[0-9]{1,4}",
        "[-+ ]?[0-9.]{0,12}[eE,_ ]?[0-9.]{0,6}",
        "[0-9]{18,22}(\\.[0-9]{1,2})?",
        ".{0,12}",
        "[0-9\u{0660}-\u{0669}\u{FF10}-\u{FF19}.]{1,8}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn major_string_round_trips(minor in minor(), exponent in 0u8..=4) {
        let c = currency(exponent);
        let a = Amount::from_minor(minor, c);
        let text = a.to_major_string();
        prop_assert_eq!(Amount::parse_major(&text, c), Ok(a));
        prop_assert_eq!(Amount::parse_wire(&text, c), Ok(a));
        // Canonical: exactly `exponent` decimals, no leading zero but the units' own.
        let (int, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
        prop_assert_eq!(frac.len(), usize::from(exponent));
        prop_assert!(int == "0" || !int.starts_with('0'));
        prop_assert_eq!(expected_minor_digits(&text, exponent), Some(minor.to_string()));
    }

    #[test]
    fn parse_major_accepts_exactly_the_plain_decimals_that_fit(text in number_like(), exponent in 0u8..=4) {
        let c = currency(exponent);
        let parsed = Amount::parse_major(&text, c);
        match expected_minor_digits(&text, exponent) {
            Some(digits) if fits_u64(&digits) => {
                // Accepted, and the value is the text's value exactly: never rounded.
                let a = parsed.map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
                prop_assert_eq!(a.minor().to_string(), digits);
            }
            Some(_) => prop_assert!(matches!(parsed, Err(AmountError::Overflow(_))), "{:?}: {:?}", text, parsed),
            None => prop_assert!(parsed.is_err(), "{:?} accepted as {:?}", text, parsed),
        }
    }

    #[test]
    fn parse_wire_only_adds_trailing_zero_decimals(int in "[0-9]{1,19}", frac in "[0-9]{0,4}", zeros in 0usize..4, exponent in 0u8..=4) {
        let c = currency(exponent);
        let text = if frac.is_empty() && zeros == 0 { int.clone() } else { format!("{int}.{frac}{}", "0".repeat(zeros)) };
        let trimmed = text.trim_end_matches('0');
        let significant = trimmed.split_once('.').map_or(0, |(_, f)| f.len());
        let wire = Amount::parse_wire(&text, c);
        if significant <= usize::from(exponent) {
            // Same value as the text with its trailing zero decimals removed.
            let canonical = if text.contains('.') { trimmed.trim_end_matches('.') } else { text.as_str() };
            prop_assert_eq!(wire.ok(), Amount::parse_major(canonical, c).ok());
        } else {
            prop_assert!(wire.is_err());
        }
    }
}
