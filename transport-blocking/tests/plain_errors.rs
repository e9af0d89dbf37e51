//! The HTTP client's terse texts (`timeout: global`) come out as sentences naming the setting,
//! and a URL whose port does not parse is refused before any connection (ureq would otherwise
//! connect to the scheme's default port).

use std::io::Read;
use std::net::TcpListener;
use std::time::Duration;

use azpay_core::retry::RetryPolicy;
use azpay_core::{Phase, SyncTransport, TransportErrorKind};
use azpay_transport_blocking::BlockingTransport;

/// A server that reads the request and never answers (for 5 s).
fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf);
            std::thread::sleep(Duration::from_secs(5));
        }
    });
    format!("http://{addr}/api/order")
}

#[test]
fn an_elapsed_overall_timeout_names_the_setting_and_its_value() {
    let url = silent_server();
    let transport = BlockingTransport::builder()
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("a transport");
    let request = http::Request::post(url).body(b"{}".to_vec()).unwrap();
    let e = transport.send(request).expect_err("no answer");
    assert_eq!(e.kind, TransportErrorKind::Timeout, "{e}");
    assert_eq!(e.phase, Phase::OutcomeUnknown, "{e}");
    let text = e.to_string();
    assert!(
        text.contains(
            "the request took longer than the overall timeout (Builder::timeout, 300 ms)"
        ),
        "{text}"
    );
    assert!(!text.contains("timeout: global"), "{text}");
}

#[test]
fn a_port_that_does_not_parse_is_refused_before_connecting() {
    let transport = BlockingTransport::builder()
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("a transport");
    let request = http::Request::get("http://127.0.0.1:99999/x")
        .body(Vec::new())
        .unwrap();
    let e = transport.send(request).expect_err("a bad port");
    // InvalidRequest, not Connect: no connection was attempted (before, this one went to
    // port 80).
    assert_eq!(e.kind, TransportErrorKind::InvalidRequest, "{e}");
    assert_eq!(e.phase, Phase::NotSent, "{e}");
    let text = e.to_string();
    assert!(
        text.contains("port `99999` is not a number from 1 to 65535"),
        "{text}"
    );
    assert!(text.contains("base URL"), "{text}");
}
