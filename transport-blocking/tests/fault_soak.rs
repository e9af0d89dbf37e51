//! Soak: mixed operations with 5 % injected faults through one shared `BlockingTransport`
//! on several threads; no payment or refund lost or doubled (client ledger vs the sandbox's
//! counters), memory flat, bounded in time. `AZPAY_SOAK_OPS` sets the size (default 10,000).

use azpay_test_support::fault as fault_support;

use std::sync::Arc;
use std::time::Duration;

use azpay_core::SyncTransport;
use azpay_transport_blocking::BlockingTransport;
use fault_support::*;

#[test]
fn soak_mixed_operations_with_five_percent_faults() {
    let t = BlockingTransport::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(CLIENT_TIMEOUT)
        .retry_policy(test_retry_policy())
        .build()
        .expect("transport");
    let c = Client(Arc::new(move |r| t.send(r)));
    let ops = soak_ops(10_000);
    let report = soak(&c, ops, 4);
    eprintln!("blocking soak: {report:#?}");
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
