//! With EVERY `tracing` and `log` record captured at TRACE level, a Kapital request with Basic
//! credentials and a signed EPoint request go to the sandbox: no record holds the password, the
//! Basic header value, the EPoint private key, the signature or a body; records do appear
//! (`azpay_test_support::trace_capture`).
//!
//! ureq's protocol layer hex-dumps every byte at TRACE through `log`; this crate caps `log` at
//! DEBUG at compile time (see its Cargo.toml), which this test proves.

use azpay_test_support::trace_capture::no_secret_at_trace_level;
use azpay_transport_blocking::BlockingTransport;

#[test]
fn no_secret_or_body_reaches_any_record_at_trace_level() {
    let transport = BlockingTransport::builder().build().expect("a transport");
    no_secret_at_trace_level(
        &transport,
        // ureq's own DEBUG records are kept.
        &["\nlog DEBUG ureq"],
        // ...but not one TRACE record.
        &["\nlog TRACE"],
    );
}
