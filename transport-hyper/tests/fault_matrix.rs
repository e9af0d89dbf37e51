//! Every injected fault against every operation class, through `HyperTransport` on real
//! sockets: the error and its phase, queries recovering by retry, and payments, refunds and
//! clearings executed exactly once (the sandbox's counters) after `reconcile`.

use azpay_test_support::fault as fault_support;

use std::sync::Arc;
use std::time::Duration;

use azpay_core::retry::RetryPolicy;
use azpay_core::{epoint, execute, execute_async, AsyncTransport, Error, Phase};
use azpay_sandbox::fault::FaultKind;
use azpay_sandbox::Gateway;
use azpay_transport_hyper::HyperTransport;
use fault_support::*;

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn client(rt: &tokio::runtime::Runtime, policy: RetryPolicy) -> (HyperTransport, Client) {
    let t = HyperTransport::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(CLIENT_TIMEOUT)
        .retry_policy(policy)
        .build()
        .expect("transport");
    let shared = t.clone();
    let handle = rt.handle().clone();
    (
        t,
        Client(Arc::new(move |r| handle.block_on(shared.send(r)))),
    )
}

#[test]
fn every_fault_against_every_operation_class() {
    let rt = runtime();
    let handle = rt.handle().clone();
    let rows = fault_matrix(&|identity| {
        let mut b = HyperTransport::builder()
            .connect_timeout(Duration::from_secs(2))
            .timeout(CLIENT_TIMEOUT)
            .retry_policy(test_retry_policy());
        if let Some(id) = identity {
            b = b.client_identity(id);
        }
        let t = b.build().expect("transport");
        let handle = handle.clone();
        Client(Arc::new(move |r| handle.block_on(t.send(r))))
    });
    assert_eq!(rows.len(), KINDS.len() * 5);
}

#[test]
fn retries_can_be_turned_off() {
    let rt = runtime();
    let (_, c) = client(&rt, RetryPolicy::never());
    let w = world(Vec::new());
    let tx = paid_epoint(&w, &c, "off-1", 500);
    let before = w.server.executed(Gateway::EPoint, "get-status");
    w.server.fault_next(FaultKind::Reset, 1);
    let result = execute(&epoint::GetStatus::by_transaction(tx), &w.epoint, &c);
    match result {
        Err(Error::Transport(e)) => assert_eq!(e.phase, Phase::OutcomeUnknown),
        other => panic!("{other:?}"),
    }
    assert_eq!(w.server.executed(Gateway::EPoint, "get-status") - before, 1);
}

#[test]
fn a_refused_connection_is_not_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let rt = runtime();
    let (_, c) = client(&rt, test_retry_policy());
    let config = epoint::Config::new("i000000001", "k")
        .base_url(format!("http://127.0.0.1:{port}"))
        .unwrap();
    let result = execute(&epoint::Pay::new(azn(100), "nope-1"), &config, &c);
    match result {
        Err(Error::Transport(e)) => assert_eq!(e.phase, Phase::NotSent, "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn sequential_requests_reuse_one_connection() {
    let rt = runtime();
    let (_, c) = client(&rt, test_retry_policy());
    assert_sequential_requests_reuse_one_connection(&c);
}

#[test]
fn a_cloned_transport_serves_many_tasks() {
    let rt = runtime();
    let (t, c) = client(&rt, test_retry_policy());
    let w = Arc::new(world(Vec::new()));
    let tx = paid_epoint(&w, &c, "tasks-1", 500);
    rt.block_on(async {
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let t = t.clone();
                let w = w.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    for _ in 0..10 {
                        let op = epoint::GetStatus::by_transaction(tx.clone());
                        execute_async(&op, &w.epoint, &t).await.expect("status");
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
    // 80 requests from 8 concurrent tasks: connections are reused (hyper-util may open a few
    // more than 8 when checkouts race, but far fewer than one per request).
    let opened = w.server.connections_accepted();
    eprintln!("{opened} connections for 80 requests");
    assert!(opened <= 30, "{opened} connections for 80 requests");
}

#[test]
fn an_oversized_head_is_refused() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        if let Ok((mut s, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let big = "x".repeat(100 * 1024);
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nX-Big: {big}\r\nContent-Length: 0\r\n\r\n"
            );
        }
    });
    let rt = runtime();
    let t = HyperTransport::builder()
        .max_header_bytes(16 * 1024)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let request = http::Request::get(format!("http://{addr}/"))
        .body(Vec::new())
        .unwrap();
    let e = rt.block_on(t.send(request)).expect_err("too large");
    assert_eq!(e.phase, Phase::OutcomeUnknown, "{e}");
    assert_eq!(
        e.kind,
        azpay_core::TransportErrorKind::ResponseTooLarge,
        "{e}"
    );
}

#[test]
fn a_retried_query_that_may_have_arrived_stays_outcome_unknown() {
    let rt = runtime();
    let (_, c) = client(&rt, test_retry_policy());
    unknown_then_refused_is_unknown(&c);
}
