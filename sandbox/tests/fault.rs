//! Fault injection on real sockets, seen by a raw HTTP/1.1 client: what each fault does to
//! the bytes, and which faults count as executed.
#![cfg(feature = "serve")]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use azpay_sandbox::fault::{Fault, FaultKind, OVERSIZE_BYTES};
use azpay_sandbox::serve::{serve, ServeOptions, ServerHandle};
use azpay_sandbox::{Gateway, SandboxConfig};

fn start(faults: Vec<Fault>) -> ServerHandle {
    let mut options = ServeOptions::new("127.0.0.1:0".parse().unwrap());
    for f in faults {
        options = options.fault(f);
    }
    serve(SandboxConfig::default(), options).unwrap()
}

/// GET /api/heartbeat (an EPoint operation) with `Connection: close`; returns all bytes read.
fn heartbeat(server: &ServerHandle) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    let mut s = TcpStream::connect(server.http_addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET /api/heartbeat HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    (raw, started.elapsed())
}

fn executed(server: &ServerHandle) -> u64 {
    server.executed(Gateway::EPoint, "heartbeat")
}

#[test]
fn no_fault_answers_normally() {
    let server = start(Vec::new());
    let (raw, _) = heartbeat(&server);
    assert!(
        raw.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&raw)
    );
    assert_eq!(executed(&server), 1);
}

#[test]
fn each_fault_does_what_it_says() {
    let server = start(Vec::new());
    let (normal, _) = heartbeat(&server);
    let base = executed(&server);
    assert_eq!(base, 1);

    server.fault_next(FaultKind::DropBeforeProcessing, 1);
    let (raw, _) = heartbeat(&server);
    assert!(raw.is_empty(), "drop answers nothing");
    assert_eq!(executed(&server), 1, "drop happens before processing");

    server.fault_next(FaultKind::Status(503), 1);
    let (raw, _) = heartbeat(&server);
    assert!(raw.starts_with(b"HTTP/1.1 503"));
    assert_eq!(executed(&server), 1, "a 503 is not processed");

    server.fault_next(FaultKind::Reset, 1);
    let (raw, _) = heartbeat(&server);
    assert!(
        !raw.is_empty() && raw.len() < normal.len(),
        "cut: {} of {}",
        raw.len(),
        normal.len()
    );
    assert!(
        raw.starts_with(b"HTTP/1.1 200"),
        "the cut keeps the head's start"
    );
    assert_eq!(executed(&server), 2, "reset strikes after processing");

    server.fault_next(FaultKind::Garbage, 1);
    let (raw, _) = heartbeat(&server);
    assert!(!raw.is_empty() && !raw.starts_with(b"HTTP/"));
    assert_eq!(executed(&server), 3);

    server.fault_next(FaultKind::Oversize, 1);
    let (raw, _) = heartbeat(&server);
    assert!(raw.starts_with(b"HTTP/1.1 200"));
    assert!(raw.len() > OVERSIZE_BYTES, "{}", raw.len());
    assert_eq!(executed(&server), 4);

    server.fault_next(FaultKind::Delay(Duration::from_millis(300)), 1);
    let (raw, took) = heartbeat(&server);
    assert!(raw.starts_with(b"HTTP/1.1 200"));
    assert!(took >= Duration::from_millis(300), "{took:?}");
    assert_eq!(executed(&server), 5);

    let injected: u64 = server.faults_injected().iter().map(|(_, n)| n).sum();
    assert_eq!(injected, 6);
}

#[test]
fn hosted_pages_are_never_faulted() {
    let server = start(vec![Fault::always(FaultKind::DropBeforeProcessing)]);
    let mut s = TcpStream::connect(server.http_addr()).unwrap();
    write!(s, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    assert!(raw.starts_with(b"HTTP/1.1 200"));
    let (raw, _) = heartbeat(&server);
    assert!(raw.is_empty());
}

#[test]
fn random_faults_are_reproducible_and_keep_their_rate() {
    let run = || {
        let server = start(vec![Fault::new(FaultKind::Status(503), 0.3)]);
        (0..60)
            .map(|_| heartbeat(&server).0.starts_with(b"HTTP/1.1 503"))
            .collect::<Vec<_>>()
    };
    let a = run();
    assert_eq!(a, run(), "same seed, same faults");
    let n = a.iter().filter(|x| **x).count();
    assert!((6..=30).contains(&n), "{n} of 60");
}

#[test]
fn faults_can_be_changed_at_run_time() {
    let server = start(vec![Fault::always(FaultKind::Status(502))]);
    assert!(heartbeat(&server).0.starts_with(b"HTTP/1.1 502"));
    server.set_faults(Vec::new());
    assert!(heartbeat(&server).0.starts_with(b"HTTP/1.1 200"));
    server.set_faults(vec![FaultKind::parse("status:504:1").unwrap()]);
    assert!(heartbeat(&server).0.starts_with(b"HTTP/1.1 504"));
}

#[test]
fn keep_alive_connections_are_counted() {
    let server = start(Vec::new());
    let mut s = TcpStream::connect(server.http_addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    for _ in 0..3 {
        write!(s, "GET /api/heartbeat HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut buf = [0u8; 4096];
        let n = s.read(&mut buf).unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    }
    assert_eq!(server.connections_accepted(), 1);
}
