//! See `azpay_fuzz::epoint_response`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| azpay_fuzz::epoint_response(data));
