//! See `azpay_fuzz::azericard_callback`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| azpay_fuzz::azericard_callback(data));
