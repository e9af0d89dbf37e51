//! See `azpay_fuzz::amount_parse`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| azpay_fuzz::amount_parse(data));
