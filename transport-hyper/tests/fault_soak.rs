//! Soak: mixed operations with 5 % injected faults through one shared `HyperTransport`
//! (from several threads into one tokio runtime); no payment or refund lost or doubled
//! (client ledger vs the sandbox's counters), memory flat, bounded in time.
//! `AZPAY_SOAK_OPS` sets the size (default 10,000).

use azpay_test_support::fault as fault_support;

use std::sync::Arc;
use std::time::Duration;

use azpay_core::AsyncTransport;
use azpay_transport_hyper::HyperTransport;
use fault_support::*;

#[test]
fn soak_mixed_operations_with_five_percent_faults() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let t = HyperTransport::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(CLIENT_TIMEOUT)
        .retry_policy(test_retry_policy())
        .build()
        .expect("transport");
    let handle = rt.handle().clone();
    let c = Client(Arc::new(move |r| handle.block_on(t.send(r))));
    let ops = soak_ops(10_000);
    let report = soak(&c, ops, 4);
    eprintln!("hyper soak: {report:#?}");
    assert!(report.ops >= ops - 4);
    assert!(report.faults_injected > 0);
    let growth = report.rss_end_kb.saturating_sub(report.rss_after_warmup_kb);
    assert!(growth < 32 * 1024, "RSS grew by {growth} kB");
    assert!(
        report.duration < Duration::from_secs(300),
        "{:?}",
        report.duration
    );
}
