//! # azpay-benches
//!
//! Criterion benchmarks of azpay (run `cargo bench -p azpay-benches`) and, in `compare/`, the
//! harness that measures azpay side by side with other clients (integrify, httpx).
//!
//! For every measured operation this library holds two functions: `azpay` (the public API of
//! `azpay-core`) and `floor` (the same bytes produced or consumed by a hand-composed minimal
//! sequence of the primitives azpay itself uses: serde_json, base64, sha1, form_urlencoded,
//! quick-xml events, http). The unit tests at the bottom assert that both produce the same
//! request bytes, or extract the same values, so the ratio between them is an honest measure of
//! the overhead of azpay's abstractions (validation, typed outputs, open enums, the DOM reader).
//! The floors skip input validation and error reporting: that is part of what the ratio prices.

pub mod azericard;
pub mod epoint;
pub mod kapital;
pub mod payriff;
pub mod twec;

/// A typed amount text used by the money benchmark.
pub const SAMPLE_AMOUNT: &str = "12345.67";

/// The fixtures the operations read, taken from `core/tests/fixtures/`.
pub mod fixtures {
    /// Kapital `GET /order/{id}?…DetailLevel=2`: the real test-environment capture.
    pub const KAPITAL_ORDER_DETAILED: &[u8] =
        include_bytes!("../../core/tests/fixtures/kapital/order_detailed.json");
    /// Payriff `GET /api/v3/orders/{id}` (the shape of Payriff's Node SDK tests).
    pub const PAYRIFF_ORDER_INFO: &[u8] =
        include_bytes!("../../core/tests/fixtures/payriff/order_info.json");
    /// TWEC GetOrderInformation answer (Kapital's TKKPG document S1).
    pub const TWEC_ORDER_INFORMATION: &[u8] =
        include_bytes!("../../core/tests/fixtures/twec/resp_get_order_information_s1.xml");
    /// TWEC XMLOut as the browser posts it to the ApproveURL (`xmlmsg=` form body).
    pub const TWEC_XMLOUT_FORM: &[u8] =
        include_bytes!("../../core/tests/fixtures/twec/xmlout_kapital_constructed.form");
}

/// `"30.75"` from `3075` (two-decimal currencies), the floors' amount formatting.
pub fn major_2(minor: u64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

/// Minor units from a decimal text with at most two decimals (`"1"`, `"30.75"`, `"-1"`), the
/// floors' amount parsing.
pub fn minor_2(text: &str) -> Option<i64> {
    let (neg, t) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if frac.len() > 2 {
        return None;
    }
    let mut v: i64 = int.parse().ok()?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    v = v.checked_mul(100)? + if frac.len() == 1 { f * 10 } else { f };
    Some(if neg { -v } else { v })
}

/// One measured operation: its name and the azpay and floor closures (each call is one
/// operation; the result is dropped inside).
pub struct Case {
    /// Group name, as in the criterion bench and RESULTS.md.
    pub name: &'static str,
    /// azpay's public API.
    pub azpay: Box<dyn FnMut()>,
    /// The hand-composed floor.
    pub floor: Box<dyn FnMut()>,
}

/// Every measured operation, ready to run.
pub fn cases() -> Vec<Case> {
    use std::hint::black_box;
    let (ecfg, eop) = (epoint::config(), epoint::pay_op());
    let ecfg2 = ecfg.clone();
    let body = epoint::callback_body();
    let body2 = body.clone();
    let (kcfg, kop) = (kapital::config(), kapital::create_op());
    let (kcfg2, gop) = (kcfg.clone(), kapital::get_op());
    let (pcfg, pop) = (payriff::config(), payriff::create_op());
    let (pcfg2, pgop) = (pcfg.clone(), payriff::get_op());
    let (tcfg, top) = (twec::config(), twec::create_op());
    let (tcfg2, iop) = (tcfg.clone(), twec::information_op());
    vec![
        Case {
            name: "epoint_pay_build",
            azpay: Box::new(move || drop(black_box(epoint::azpay_pay(&eop, &ecfg)))),
            floor: Box::new(|| drop(black_box(epoint::floor_pay(black_box(&epoint::PAY))))),
        },
        Case {
            name: "epoint_callback_verify",
            azpay: Box::new(move || drop(black_box(epoint::azpay_callback(&ecfg2, &body)))),
            floor: Box::new(move || drop(black_box(epoint::floor_callback(&body2)))),
        },
        Case {
            name: "kapital_create_order_build",
            azpay: Box::new(move || drop(black_box(kapital::azpay_create(&kop, &kcfg)))),
            floor: Box::new(|| drop(black_box(kapital::floor_create(black_box(100))))),
        },
        Case {
            name: "kapital_detailed_order_parse",
            azpay: Box::new(move || {
                drop(black_box(kapital::azpay_order(
                    &gop,
                    &kcfg2,
                    kapital::detailed_response(),
                )))
            }),
            floor: Box::new(|| {
                drop(black_box(
                    kapital::floor_order(kapital::detailed_response()),
                ))
            }),
        },
        Case {
            name: "payriff_create_order_build",
            azpay: Box::new(move || drop(black_box(payriff::azpay_create(&pop, &pcfg)))),
            floor: Box::new(|| drop(black_box(payriff::floor_create(black_box(1050))))),
        },
        Case {
            name: "payriff_order_parse",
            azpay: Box::new(move || {
                drop(black_box(payriff::azpay_order(
                    &pgop,
                    &pcfg2,
                    payriff::order_response(),
                )))
            }),
            floor: Box::new(|| drop(black_box(payriff::floor_order(payriff::order_response())))),
        },
        Case {
            name: "twec_create_order_build",
            azpay: Box::new(move || drop(black_box(twec::azpay_create(&top, &tcfg)))),
            floor: Box::new(|| {
                drop(black_box(twec::floor_create(
                    black_box(123_456),
                    black_box("xxxxxxxx"),
                )))
            }),
        },
        Case {
            name: "twec_order_information_parse",
            azpay: Box::new(move || {
                drop(black_box(twec::azpay_information(
                    &iop,
                    &tcfg2,
                    twec::information_response(),
                )))
            }),
            floor: Box::new(|| {
                drop(black_box(twec::floor_information(
                    twec::information_response(),
                )))
            }),
        },
        Case {
            name: "twec_xmlout_parse",
            azpay: Box::new(|| drop(black_box(twec::azpay_xmlout(fixtures::TWEC_XMLOUT_FORM)))),
            floor: Box::new(|| drop(black_box(twec::floor_xmlout(fixtures::TWEC_XMLOUT_FORM)))),
        },
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn sample_amount_parses() {
        let a = azpay_core::Amount::parse_major(super::SAMPLE_AMOUNT, azpay_core::Currency::AZN)
            .unwrap();
        assert_eq!(a.minor(), 1_234_567);
    }

    #[test]
    fn floor_amount_helpers() {
        assert_eq!(super::major_2(3075), "30.75");
        assert_eq!(super::major_2(100), "1.00");
        assert_eq!(super::minor_2("30.75"), Some(3075));
        assert_eq!(super::minor_2("1"), Some(100));
        assert_eq!(super::minor_2("-1"), Some(-100));
        assert_eq!(super::minor_2("0.5"), Some(50));
        assert_eq!(super::minor_2("1.234"), None);
    }
}
