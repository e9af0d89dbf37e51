//! Structured: TWEC and EPoint requests built from arbitrary inputs are either refused naming
//! the field or read back unchanged by independent decoders.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Inputs {
    merchant: String,
    description: String,
    order_id: String,
    session_id: String,
    card_id: String,
    minor: u64,
}

fuzz_target!(|i: Inputs| {
    azpay_fuzz::twec_request_roundtrip(
        &i.merchant,
        &i.description,
        &i.order_id,
        &i.session_id,
        i.minor,
    );
    azpay_fuzz::epoint_request_roundtrip(&i.order_id, &i.description, &i.card_id, i.minor);
});
