//! `tracing` output of `HyperTransport`: spans and events with gateway, operation, attempt,
//! status, duration and phase; never a body, an Authorization value, an EPoint signature or
//! data, or the TWEC client key.

use azpay_test_support::fault as fault_support;

use std::sync::Arc;

use azpay_core::AsyncTransport;
use azpay_transport_hyper::HyperTransport;
use fault_support::*;

#[test]
fn spans_and_events_carry_no_secret() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let handle = rt.handle().clone();
    let (log, secrets) = traced_run(&|identity| {
        let mut b = HyperTransport::builder()
            .timeout(CLIENT_TIMEOUT)
            .retry_policy(test_retry_policy());
        if let Some(id) = identity {
            b = b.client_identity(id);
        }
        let t = b.build().expect("transport");
        let handle = handle.clone();
        Client(Arc::new(move |r| handle.block_on(t.send(r))))
    });
    assert_traced(&log, &secrets);
}
