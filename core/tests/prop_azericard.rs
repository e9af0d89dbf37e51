//! Azericard properties: the MAC source has exactly one reading for values of the formats
//! azpay checks before signing (so two different requests never share a MAC source; for
//! arbitrary values the document's format is ambiguous, see the first test); any signed form round-trips through
//! sign and verify; any flipped byte of a signed callback is refused.

use azpay_core::azericard::{
    mac_source, verify_callback, Config, RsaPemSigner, RsaPublicKey, Signer,
};
use proptest::prelude::*;

type Check = fn(&[u8]) -> bool;

fn any_value(_: &[u8]) -> bool {
    true
}

/// How many ways `s` splits into one field per check (`-` for an empty value, else a decimal
/// length without a leading zero followed by that many bytes) with each value passing its
/// field's check. Stops counting at 2.
fn readings_with(s: &[u8], checks: &[Check]) -> usize {
    let Some((check, rest_checks)) = checks.split_first() else {
        return usize::from(s.is_empty());
    };
    let mut count = 0;
    if s.first() == Some(&b'-') && check(b"") {
        count += readings_with(&s[1..], rest_checks);
    }
    let mut len = 0usize;
    for (i, b) in s.iter().enumerate() {
        if !b.is_ascii_digit() || (i == 0 && *b == b'0') || i > 6 {
            break;
        }
        len = len * 10 + usize::from(b - b'0');
        let start = i + 1;
        if start + len <= s.len() && check(&s[start..start + len]) {
            count += readings_with(&s[start + len..], rest_checks);
        }
        if count >= 2 {
            return count;
        }
    }
    count
}

fn readings(s: &[u8], n: usize) -> usize {
    readings_with(s, &vec![any_value as Check; n])
}

// The formats azpay checks before signing (and Azericard's replies use).
fn is_amount(v: &[u8]) -> bool {
    let t = std::str::from_utf8(v).unwrap_or("");
    let Some((int, dec)) = t.split_once('.') else {
        return false;
    };
    v.len() <= 12
        && dec.len() == 2
        && dec.bytes().all(|b| b.is_ascii_digit())
        && !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'))
}
/// AMOUNT as [`verify_callback`] accepts it: digits, optionally `.` and one or two digits.
fn is_callback_amount(v: &[u8]) -> bool {
    let t = std::str::from_utf8(v).unwrap_or("");
    let d = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    t.len() <= 12
        && match t.split_once('.') {
            Some((i, f)) => d(i, 1, 12) && d(f, 1, 2),
            None => d(t, 1, 12),
        }
}
fn is_currency(v: &[u8]) -> bool {
    v.len() == 3 && v.iter().all(u8::is_ascii_uppercase)
}
fn is_terminal(v: &[u8]) -> bool {
    v.len() == 8 && v.iter().all(u8::is_ascii_alphanumeric)
}
fn is_trtype(v: &[u8]) -> bool {
    matches!(v, b"0" | b"1" | b"21" | b"22" | b"24" | b"90")
}
fn is_timestamp(v: &[u8]) -> bool {
    v.len() == 14 && v.iter().all(u8::is_ascii_digit)
}
fn is_nonce(v: &[u8]) -> bool {
    (16..=64).contains(&v.len()) && v.len() % 2 == 0 && v.iter().all(u8::is_ascii_hexdigit)
}
fn is_url(v: &[u8]) -> bool {
    !v.is_empty() && v.len() <= 250 && v.iter().all(|b| b.is_ascii_graphic())
}
fn is_order(v: &[u8]) -> bool {
    (6..=32).contains(&v.len()) && v.iter().all(u8::is_ascii_digit)
}
fn is_rrn(v: &[u8]) -> bool {
    v.is_empty() || (v.len() == 12 && v.iter().all(u8::is_ascii_digit))
}
fn is_int_ref(v: &[u8]) -> bool {
    v.len() <= 32 && v.iter().all(u8::is_ascii_alphanumeric)
}
fn is_callback_int_ref(v: &[u8]) -> bool {
    v.len() <= 128 && v.iter().all(u8::is_ascii_alphanumeric)
}
fn is_approval(v: &[u8]) -> bool {
    v.len() <= 6 && v.iter().all(u8::is_ascii_alphanumeric)
}

#[test]
fn the_format_alone_is_ambiguous_for_arbitrary_values() {
    // Why azpay checks every field's format: the document's MAC format on its own is not
    // injective. Eleven `1`s then `1`, and `1` then eleven `1`s, give the same source.
    let a = mac_source(["11111111111", "1"]);
    let b = mac_source(["1", "11111111111"]);
    assert_eq!(a, b);
    assert_eq!(readings(a.as_bytes(), 2), 2);
}

fn amount() -> impl Strategy<Value = String> {
    (0u64..=999_999_999, 0u8..100).prop_map(|(major, minor)| format!("{major}.{minor:02}"))
}
fn timestamp() -> impl Strategy<Value = String> {
    (
        2000u32..2100,
        1u32..=12,
        1u32..=28,
        0u32..24,
        0u32..60,
        0u32..60,
    )
        .prop_map(|(y, m, d, h, mi, s)| format!("{y:04}{m:02}{d:02}{h:02}{mi:02}{s:02}"))
}
fn nonce() -> impl Strategy<Value = String> {
    (8usize..=32)
        .prop_flat_map(|n| proptest::collection::vec(any::<u8>(), n))
        .prop_map(|b| b.iter().map(|x| format!("{x:02x}")).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Values that do not start with a digit or `-` always have exactly one reading.
    #[test]
    fn one_reading_without_leading_digits(values in proptest::collection::vec("[A-Za-z.:/ ][ -~]{0,40}|", 1..8)) {
        let s = mac_source(values.iter().map(String::as_str));
        prop_assert_eq!(readings(s.as_bytes(), values.len()), 1, "{:?}", values);
    }

    /// The purchase/hold list: AMOUNT, CURRENCY, TERMINAL, TRTYPE, TIMESTAMP, NONCE, MERCH_URL.
    #[test]
    fn one_reading_for_payment_forms(a in amount(), cur in "[A-Z]{3}", term in "[0-9A-Z]{8}", tr in "[01]", ts in timestamp(), n in nonce(), url in "https://[a-z]{1,20}\\.az(/[a-z0-9]{0,30})?") {
        let s = mac_source([a.as_str(), &cur, &term, &tr, &ts, &n, &url]);
        let checks: [Check; 7] = [is_amount, is_currency, is_terminal, is_trtype, is_timestamp, is_nonce, is_url];
        prop_assert_eq!(readings_with(s.as_bytes(), &checks), 1, "{}", s);
    }

    /// The completion/reversal list: AMOUNT, CURRENCY, TERMINAL, TRTYPE, ORDER, RRN, INT_REF.
    #[test]
    fn one_reading_for_completions(a in amount(), term in "[0-9A-Z]{8}", tr in "2[124]", order in "[1-9][0-9]{5,31}", rrn in "[0-9]{12}", int_ref in "[0-9A-F]{1,32}") {
        let s = mac_source([a.as_str(), "AZN", &term, &tr, &order, &rrn, &int_ref]);
        let checks: [Check; 7] = [is_amount, is_currency, is_terminal, is_trtype, is_order, is_rrn, is_int_ref];
        prop_assert_eq!(readings_with(s.as_bytes(), &checks), 1, "{}", s);
    }

    /// The callback list: AMOUNT, TERMINAL, APPROVAL, RRN, INT_REF (empty on a decline).
    #[test]
    fn one_reading_for_callbacks(a in "[0-9]{1,9}(\\.[0-9]{1,2})?", term in "[0-9A-Z]{8}", approval in "[0-9A-Z]{0,6}", rrn in "([0-9]{12})?", int_ref in "[0-9A-Za-z]{0,128}") {
        let s = mac_source([a.as_str(), &term, &approval, &rrn, &int_ref]);
        let checks: [Check; 5] = [is_callback_amount, is_terminal, is_approval, is_rrn, is_callback_int_ref];
        prop_assert_eq!(readings_with(s.as_bytes(), &checks), 1, "{}", s);
    }
}

fn keys() -> (RsaPemSigner, RsaPublicKey) {
    (
        RsaPemSigner::from_pem(azpay_sandbox::TEST_GATEWAY_PRIVATE_KEY_PEM.as_bytes()).unwrap(),
        RsaPublicKey::from_pem(azpay_sandbox::TEST_GATEWAY_PUBLIC_KEY_PEM.as_bytes()).unwrap(),
    )
}

fn callback(
    signer: &RsaPemSigner,
    amount: &str,
    approval: &str,
    rrn: &str,
    int_ref: &str,
) -> String {
    let source = mac_source([amount, "17202191", approval, rrn, int_ref]);
    let sig: String = signer
        .sign(source.as_bytes())
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("TERMINAL", "17202191"),
            ("TRTYPE", "1"),
            ("ORDER", "000001"),
            ("AMOUNT", amount),
            ("CURRENCY", "944"),
            ("ACTION", "0"),
            ("RC", "00"),
            ("APPROVAL", approval),
            ("RRN", rrn),
            ("INT_REF", int_ref),
            ("P_SIGN", &sig),
        ])
        .finish()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever is signed verifies, with the amount and references as sent.
    #[test]
    fn sign_verify_round_trip(a in amount(), approval in "[0-9]{6}", rrn in "[0-9]{12}", int_ref in "[0-9A-F]{16}") {
        let (signer, public) = keys();
        let body = callback(&signer, &a, &approval, &rrn, &int_ref);
        let (s2, _) = keys();
        let config = Config::new("17202191", s2).gateway_key(public);
        let cb = verify_callback(&config, body.as_bytes()).unwrap();
        prop_assert_eq!(cb.amount_text(), a.as_str());
        prop_assert_eq!(cb.rrn(), rrn.as_str());
    }

    /// Flipping any bit of any byte of a signed field or of P_SIGN is refused (except the case of
    /// a hex letter of P_SIGN, which is the same signature).
    #[test]
    fn any_flipped_byte_is_refused(at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let (signer, public) = keys();
        let body = callback(&signer, "10.50", "168975", "306276834930", "4A29E93C607E33DC");
        let (s2, _) = keys();
        let config = Config::new("17202191", s2).gateway_key(public);
        prop_assert!(verify_callback(&config, body.as_bytes()).is_ok());
        // The bytes of the signed values and of P_SIGN (not the unsigned ORDER, ACTION, …).
        let signed: Vec<usize> = ["AMOUNT=", "TERMINAL=", "APPROVAL=", "RRN=", "INT_REF=", "P_SIGN="]
            .iter()
            .flat_map(|k| {
                let start = body.find(&format!("&{k}")).map(|i| i + 1).or_else(|| body.starts_with(k).then_some(0)).unwrap() + k.len();
                let end = body[start..].find('&').map_or(body.len(), |e| start + e);
                start..end
            })
            .collect();
        let i = signed[at.index(signed.len())];
        let p_sign_start = body.find("P_SIGN=").unwrap() + "P_SIGN=".len();
        // The one flip that changes nothing: the case of a hex letter of P_SIGN (the
        // document accepts either case).
        prop_assume!(!(i >= p_sign_start && bit == 5 && body.as_bytes()[i].is_ascii_alphabetic()));
        let mut bytes = body.into_bytes();
        bytes[i] ^= 1 << bit;
        prop_assert!(verify_callback(&config, &bytes).is_err(), "byte {} bit {}", i, bit);
    }
}
