//! See `azpay_fuzz::payriff_response`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| azpay_fuzz::payriff_response(data));
