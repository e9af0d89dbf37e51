//! See `azpay_fuzz::twec_xmlout`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| azpay_fuzz::twec_xmlout(data));
