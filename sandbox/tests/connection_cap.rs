//! The sandbox serves at most `MAX_CONNECTIONS` connections at once; more wait to be
//! accepted (they are not refused) and are served as soon as a slot frees.
#![cfg(feature = "serve")]

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use azpay_sandbox::serve::{serve, ServeOptions, ServerHandle, MAX_CONNECTIONS};
use azpay_sandbox::SandboxConfig;

const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n";

fn local() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

fn wait_for_accepted(server: &ServerHandle, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.connections_accepted() < n {
        assert!(
            Instant::now() < deadline,
            "accepted {} of {n}",
            server.connections_accepted()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Sends [`REQUEST`] and reads the whole answer.
fn get(addr: SocketAddr) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(REQUEST).unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).unwrap();
    answer
}

#[test]
fn the_connection_beyond_the_cap_waits_for_a_free_slot() {
    assert_eq!(MAX_CONNECTIONS, 256);
    let server = serve(SandboxConfig::default(), ServeOptions::new(local())).unwrap();
    let addr = server.http_addr();
    // Every slot taken by a connection that sends nothing.
    let mut idle: Vec<TcpStream> = (0..MAX_CONNECTIONS)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    wait_for_accepted(&server, MAX_CONNECTIONS as u64);

    // One more: the kernel queues it, the sandbox neither accepts nor answers it...
    let mut extra = TcpStream::connect(addr).unwrap();
    extra.write_all(REQUEST).unwrap();
    extra
        .set_read_timeout(Some(Duration::from_millis(800)))
        .unwrap();
    let mut buf = [0u8; 64];
    let waited = extra.read(&mut buf);
    assert!(
        matches!(&waited, Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
        "the connection beyond the cap was answered: {waited:?}"
    );
    assert_eq!(server.connections_accepted(), MAX_CONNECTIONS as u64);

    // ...until a served connection ends: then it is accepted and answered.
    drop(idle.pop());
    extra
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut answer = Vec::new();
    extra.read_to_end(&mut answer).unwrap();
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    assert_eq!(server.connections_accepted(), MAX_CONNECTIONS as u64 + 1);
    drop(idle);
    server.shutdown();
}

#[test]
fn more_clients_than_slots_are_all_served_in_turn() {
    let server = serve(
        SandboxConfig::default(),
        ServeOptions::new(local()).max_connections(4),
    )
    .unwrap();
    let addr = server.http_addr();
    let clients: Vec<_> = (0..40)
        .map(|_| std::thread::spawn(move || get(addr)))
        .collect();
    for c in clients {
        let answer = c.join().unwrap();
        assert!(
            answer.starts_with(b"HTTP/1.1 200"),
            "{}",
            String::from_utf8_lossy(&answer)
        );
    }
    assert_eq!(server.connections_accepted(), 40);
    server.shutdown();
}
