//! Every injected fault against every operation class, through `BlockingTransport` on real
//! sockets: the error and its phase, queries recovering by retry, and payments, refunds and
//! clearings executed exactly once (the sandbox's counters) after `reconcile`.

use azpay_test_support::fault as fault_support;

use std::sync::Arc;
use std::time::Duration;

use azpay_core::retry::RetryPolicy;
use azpay_core::{epoint, execute, Error, Phase, SyncTransport};
use azpay_sandbox::fault::FaultKind;
use azpay_sandbox::Gateway;
use azpay_transport_blocking::BlockingTransport;
use fault_support::*;

fn client(policy: RetryPolicy) -> (BlockingTransport, Client) {
    let t = BlockingTransport::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(CLIENT_TIMEOUT)
        .retry_policy(policy)
        .build()
        .expect("transport");
    let shared = t.clone();
    (t, Client(Arc::new(move |r| shared.send(r))))
}

#[test]
fn every_fault_against_every_operation_class() {
    let rows = fault_matrix(&|identity| {
        let mut b = BlockingTransport::builder()
            .connect_timeout(Duration::from_secs(2))
            .timeout(CLIENT_TIMEOUT)
            .retry_policy(test_retry_policy());
        if let Some(id) = identity {
            b = b.client_identity(id);
        }
        let t = b.build().expect("transport");
        Client(Arc::new(move |r| t.send(r)))
    });
    assert_eq!(rows.len(), KINDS.len() * 5);
}

#[test]
fn retries_can_be_turned_off() {
    let (_, c) = client(RetryPolicy::never());
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
    // A port with nothing listening: NotSent (a payment may be retried then).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let (_, c) = client(test_retry_policy());
    let config = epoint::Config::new("i000000001", "k")
        .base_url(format!("http://127.0.0.1:{port}"))
        .unwrap();
    let started = std::time::Instant::now();
    let result = execute(&epoint::Pay::new(azn(100), "nope-1"), &config, &c);
    match result {
        Err(Error::Transport(e)) => assert_eq!(e.phase, Phase::NotSent, "{e}"),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn sequential_requests_reuse_one_connection() {
    let (_, c) = client(test_retry_policy());
    assert_sequential_requests_reuse_one_connection(&c);
}

#[test]
fn a_shared_transport_serves_many_threads() {
    let (t, _) = client(test_retry_policy());
    let w = Arc::new(world(Vec::new()));
    let c = Client(Arc::new({
        let t = t.clone();
        move |r| t.send(r)
    }));
    let tx = paid_epoint(&w, &c, "threads-1", 500);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let t = t.clone();
            let w = w.clone();
            let tx = tx.clone();
            std::thread::spawn(move || {
                for _ in 0..10 {
                    execute(
                        &epoint::GetStatus::by_transaction(tx.clone()),
                        &w.epoint,
                        &t,
                    )
                    .expect("status");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    // 40 requests from 4 threads: connections are reused.
    let opened = w.server.connections_accepted();
    assert!(opened <= 15, "{opened} connections for 40 requests");
}

#[test]
fn an_oversized_head_is_refused() {
    // A raw server answering with 100 KiB of headers.
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
    let t = BlockingTransport::builder()
        .max_header_bytes(16 * 1024)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let request = http::Request::get(format!("http://{addr}/"))
        .body(Vec::new())
        .unwrap();
    let e = t.send(request).expect_err("too large");
    assert_eq!(e.phase, Phase::OutcomeUnknown);
    assert_eq!(
        e.kind,
        azpay_core::TransportErrorKind::ResponseTooLarge,
        "{e}"
    );
}

#[test]
fn a_retried_query_that_may_have_arrived_stays_outcome_unknown() {
    let (_, c) = client(test_retry_policy());
    unknown_then_refused_is_unknown(&c);
}
