//! Amount::parse_major never panics, and what it accepts formats back to the same value.
#![no_main]
use azpay_core::{Amount, Currency};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(a) = Amount::parse_major(text, Currency::AZN) {
            let again = Amount::parse_major(&a.to_major_string(), Currency::AZN).unwrap();
            assert_eq!(a, again);
        }
    }
});
