//! See `azpay_fuzz::kapital_redirect`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| azpay_fuzz::kapital_redirect(data));
