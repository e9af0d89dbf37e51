//! Runs the runtime-independence examples' logic (the same code as
//! `cargo run -p azpay-core --example std_tcp` / `--example smol_executor`).

#![allow(clippy::duplicate_mod)] // both examples include examples/support/http1.rs
#[path = "../examples/std_tcp.rs"]
#[allow(dead_code)]
mod std_tcp;

#[path = "../examples/smol_executor.rs"]
#[allow(dead_code)]
mod smol_executor;

#[test]
fn the_core_runs_over_a_std_tcp_transport() {
    let summary = std_tcp::run().expect("std_tcp example");
    assert!(summary.paid);
    assert!(summary.refund_reconciled);
    assert!(summary.transaction.starts_with("te"));
    assert!(summary.kapital_order > 0);
    assert_eq!(summary.executed_payments, 1);
}

#[test]
fn the_core_runs_on_a_hand_written_executor_without_tokio() {
    assert!(smol_executor::run().expect("executor example"));
}
