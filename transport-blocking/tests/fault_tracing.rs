//! `tracing` output of `BlockingTransport`: spans and events with gateway, operation,
//! attempt, status, duration and phase; never a body, an Authorization value, an EPoint
//! signature or data, or the TWEC client key.

use azpay_test_support::fault as fault_support;

use std::sync::Arc;

use azpay_core::SyncTransport;
use azpay_transport_blocking::BlockingTransport;
use fault_support::*;

#[test]
fn spans_and_events_carry_no_secret() {
    let (log, secrets) = traced_run(&|identity| {
        let mut b = BlockingTransport::builder()
            .timeout(CLIENT_TIMEOUT)
            .retry_policy(test_retry_policy());
        if let Some(id) = identity {
            b = b.client_identity(id);
        }
        let t = b.build().expect("transport");
        Client(Arc::new(move |r| t.send(r)))
    });
    assert_traced(&log, &secrets);
}
