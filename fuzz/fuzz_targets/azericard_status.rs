//! See `azpay_fuzz::azericard_status`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| azpay_fuzz::azericard_status(data));
