//! The blocking transport over plain HTTP/1.1 against small std::net servers on 127.0.0.1:
//! requests arrive exactly as built, every status comes back as a response, and each failure
//! reports the right phase and kind.

use azpay_test_support::tls_server as support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use azpay_core::{
    execute, Error, Phase, RequestMeta, ResponseError, SyncTransport, TransportError,
    TransportErrorKind,
};
use azpay_transport_blocking::{BlockingTransport, DEFAULT_USER_AGENT};
use support::{
    assert_exact_exchange, exact_reply, exact_request, expect_err, read_request, response,
    FakeConfig, Mtls, NoConnection, Plain, Received, Submit,
};

/// What the test server does with the one connection it accepts.
enum Behaviour {
    /// Read the request, write these bytes, close.
    Reply(Vec<u8>),
    /// Read the request, then never answer (hold the connection until the client leaves).
    Silent,
    /// Read the request, then close without a byte.
    CloseAfterRequest,
}

/// Serves one connection on 127.0.0.1; the request it read comes back on the channel.
fn server(behaviour: Behaviour) -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accept");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let received = read_request(&mut stream).expect("request");
        let _ = tx.send(received);
        match behaviour {
            Behaviour::Reply(bytes) => {
                let _ = stream.write_all(&bytes);
                let _ = stream.flush();
                // Let the client read everything before the socket goes away.
                let _ = stream.shutdown(std::net::Shutdown::Write);
                let mut sink = [0u8; 1024];
                while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
            }
            Behaviour::Silent => {
                let mut sink = [0u8; 1024];
                while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
            }
            Behaviour::CloseAfterRequest => drop(stream),
        }
    });
    (base, rx)
}

fn transport() -> BlockingTransport {
    BlockingTransport::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .build()
        .expect("transport")
}

fn received(rx: &mpsc::Receiver<Received>) -> Received {
    rx.recv_timeout(Duration::from_secs(5))
        .expect("the server got a request")
}

#[test]
fn a_hand_built_request_arrives_exactly_and_the_response_comes_back_whole() {
    let (base, rx) = server(Behaviour::Reply(exact_reply()));
    let response = transport().send(exact_request(&base)).expect("response");
    let got = received(&rx);
    // The default User-Agent exactly as it went over the wire: `azpay/` and the crate version.
    let expected_user_agent = concat!("azpay/", env!("CARGO_PKG_VERSION"));
    assert_eq!(DEFAULT_USER_AGENT, expected_user_agent);
    assert_exact_exchange(&got, &base, expected_user_agent, &response);
}

#[test]
fn a_user_agent_of_the_request_is_kept_and_the_builder_sets_the_default() {
    let (base, rx) = server(Behaviour::Reply(response("200 OK", "", b"")));
    let request = http::Request::get(format!("{base}/mine"))
        .header("user-agent", "merchant-shop/2.0")
        .body(Vec::new())
        .expect("request");
    transport().send(request).expect("response");
    let got = received(&rx);
    assert_eq!(got.header("user-agent"), Some("merchant-shop/2.0"));
    assert_eq!(got.header_count("user-agent"), 1);

    let (base, rx) = server(Behaviour::Reply(response("200 OK", "", b"")));
    let t = BlockingTransport::builder()
        .user_agent("custom-agent/1")
        .build()
        .expect("transport");
    t.send(
        http::Request::get(format!("{base}/"))
            .body(Vec::new())
            .expect("request"),
    )
    .expect("response");
    assert_eq!(received(&rx).header("user-agent"), Some("custom-agent/1"));
}

#[test]
fn an_operation_runs_through_execute() {
    let (base, rx) = server(Behaviour::Reply(response(
        "200 OK",
        "",
        b"accepted order-7",
    )));
    let config = FakeConfig { base_url: base };
    let out = execute(&Submit::<Plain>::new("order-7"), &config, &transport()).expect("output");
    assert_eq!(out, "accepted order-7");

    let got = received(&rx);
    assert_eq!(got.method, "POST");
    assert_eq!(got.target, "/orders/order-7?lang=en");
    assert_eq!(got.header("content-type"), Some("application/json"));
    assert_eq!(got.header("x-merchant"), Some("m-1"));
    assert_eq!(got.body, br#"{"order":"order-7","amount":"10.50"}"#);
    assert_eq!(got.header("content-length"), Some("36"));
}

#[test]
fn non_2xx_statuses_are_responses_not_errors() {
    for (status, body) in [
        ("404 Not Found", &br#"{"error":"no such order"}"#[..]),
        ("500 Internal Server Error", &b"<html>oops</html>"[..]),
    ] {
        let (base, rx) = server(Behaviour::Reply(response(status, "", body)));
        let r = transport()
            .send(
                http::Request::get(format!("{base}/x"))
                    .body(Vec::new())
                    .expect("request"),
            )
            .expect("a response");
        assert_eq!(
            r.status().as_u16(),
            status[..3].parse::<u16>().expect("code")
        );
        assert_eq!(r.body(), body);
        received(&rx);
    }

    // Through execute, the operation (not the transport) decides what a 404 means.
    let (base, _rx) = server(Behaviour::Reply(response(
        "404 Not Found",
        "",
        br#"{"error":"no such order"}"#,
    )));
    let config = FakeConfig { base_url: base };
    match execute(&Submit::<Plain>::new("o-1"), &config, &transport()) {
        Err(Error::Response(ResponseError::Api(e))) => assert!(e.0.contains("no such order")),
        other => panic!("unexpected {other:?}"),
    }
    let (base, _rx) = server(Behaviour::Reply(response(
        "500 Internal Server Error",
        "",
        b"x",
    )));
    let config = FakeConfig { base_url: base };
    // A 5xx to a request that may change something is outcome unknown, the status kept.
    match execute(&Submit::<Plain>::new("o-1"), &config, &transport()) {
        Err(Error::OutcomeUnknown {
            source: ResponseError::Status { status, .. },
            ..
        }) => assert_eq!(status, 500),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_redirect_is_returned_not_followed() {
    let elsewhere = NoConnection::new();
    let location = format!("http://127.0.0.1:{}/elsewhere", elsewhere.port());
    let (base, rx) = server(Behaviour::Reply(response(
        "302 Found",
        &format!("Location: {location}\r\n"),
        b"",
    )));
    let r = transport()
        .send(
            http::Request::post(format!("{base}/pay"))
                .body(b"x=1".to_vec())
                .expect("request"),
        )
        .expect("the 302 itself");
    assert_eq!(r.status(), 302);
    assert_eq!(r.headers()["location"], location.as_str());
    received(&rx);
    elsewhere.assert_untouched();
}

#[test]
fn an_oversize_body_is_refused_with_or_without_content_length() {
    let small = || {
        BlockingTransport::builder()
            .max_response_bytes(1024)
            .timeout(Duration::from_secs(5))
            .build()
            .expect("transport")
    };
    // Declared too large.
    let (base, rx) = server(Behaviour::Reply(response("200 OK", "", &[b'a'; 4096])));
    let e = expect_err(small().send(http::Request::get(base).body(Vec::new()).expect("req")));
    assert_eq!(e.kind, TransportErrorKind::ResponseTooLarge);
    assert_eq!(e.phase, Phase::OutcomeUnknown);
    received(&rx);

    // Chunked, no Content-Length: stopped while reading.
    let mut chunked =
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n1000\r\n"
            .to_vec();
    chunked.extend_from_slice(&[b'b'; 4096]);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let (base, rx) = server(Behaviour::Reply(chunked));
    let e = expect_err(small().send(http::Request::get(base).body(Vec::new()).expect("req")));
    assert_eq!(e.kind, TransportErrorKind::ResponseTooLarge);
    assert_eq!(e.phase, Phase::OutcomeUnknown);
    received(&rx);

    // Exactly at the limit is fine.
    let (base, _rx) = server(Behaviour::Reply(response("200 OK", "", &[b'c'; 1024])));
    let r = small()
        .send(http::Request::get(base).body(Vec::new()).expect("req"))
        .expect("at the limit");
    assert_eq!(r.body().len(), 1024);
}

#[test]
fn a_server_that_never_answers_times_out_with_unknown_outcome() {
    let (base, rx) = server(Behaviour::Silent);
    let t = BlockingTransport::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("transport");
    let started = Instant::now();
    let e = expect_err(
        t.send(
            http::Request::post(format!("{base}/pay"))
                .body(b"amount=1".to_vec())
                .expect("req"),
        ),
    );
    assert_eq!(e.kind, TransportErrorKind::Timeout);
    assert_eq!(e.phase, Phase::OutcomeUnknown);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // The request did reach the server: exactly why the outcome is unknown.
    assert_eq!(received(&rx).body, b"amount=1");
}

#[test]
fn a_server_that_reads_the_request_then_closes_gives_unknown_outcome() {
    let (base, rx) = server(Behaviour::CloseAfterRequest);
    let e = expect_err(
        transport().send(
            http::Request::post(format!("{base}/pay"))
                .body(b"amount=1".to_vec())
                .expect("req"),
        ),
    );
    assert_eq!(e.phase, Phase::OutcomeUnknown, "{e}");
    assert_eq!(e.kind, TransportErrorKind::Io, "{e}");
    received(&rx);
}

#[test]
fn a_truncated_body_gives_unknown_outcome() {
    let (base, rx) = server(Behaviour::Reply(
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nonly this".to_vec(),
    ));
    let e = expect_err(transport().send(http::Request::get(base).body(Vec::new()).expect("req")));
    assert_eq!(e.phase, Phase::OutcomeUnknown, "{e}");
    assert_eq!(e.kind, TransportErrorKind::Io, "{e}");
    received(&rx);
}

#[test]
fn a_closed_port_is_not_sent() {
    let port = support::closed_port();
    let e = expect_err(
        transport().send(
            http::Request::post(format!("http://127.0.0.1:{port}/pay"))
                .body(b"x".to_vec())
                .expect("req"),
        ),
    );
    assert_eq!(e.phase, Phase::NotSent, "{e}");
    assert_eq!(e.kind, TransportErrorKind::Connect, "{e}");

    // Through execute too: the error says it is safe to send again.
    let config = FakeConfig {
        base_url: format!("http://127.0.0.1:{port}"),
    };
    let e = execute(&Submit::<Plain>::new("o-1"), &config, &transport()).expect_err("refused");
    assert!(!e.is_outcome_unknown());
    assert!(matches!(
        e,
        Error::Transport(TransportError {
            phase: Phase::NotSent,
            ..
        })
    ));
}

#[test]
fn invalid_uris_are_refused_before_connecting() {
    for uri in ["ftp://127.0.0.1/file", "/relative/only"] {
        let e =
            expect_err(transport().send(http::Request::get(uri).body(Vec::new()).expect("req")));
        assert_eq!(e.phase, Phase::NotSent, "{uri}: {e}");
        assert_eq!(e.kind, TransportErrorKind::InvalidRequest, "{uri}: {e}");
    }
}

#[test]
fn a_request_needing_a_client_identity_is_refused_without_one_before_connecting() {
    let listener = NoConnection::new();
    let base = format!("http://127.0.0.1:{}", listener.port());

    let mut request = http::Request::post(format!("{base}/twec"))
        .body(b"<TKKPG/>".to_vec())
        .expect("req");
    request.extensions_mut().insert(RequestMeta {
        gateway: "twec",
        operation: "create_order",
        idempotent: false,
        requires_client_identity: true,
    });
    let e = expect_err(transport().send(request));
    assert_eq!(e.phase, Phase::NotSent);
    assert_eq!(e.kind, TransportErrorKind::ClientIdentityMissing);

    let config = FakeConfig { base_url: base };
    match execute(&Submit::<Mtls>::new("o-1"), &config, &transport()) {
        Err(Error::Transport(e)) => {
            assert_eq!(e.phase, Phase::NotSent);
            assert_eq!(e.kind, TransportErrorKind::ClientIdentityMissing);
        }
        other => panic!("unexpected {other:?}"),
    }
    listener.assert_untouched();
}

#[test]
fn a_tls_handshake_that_never_finishes_hits_the_connect_timeout_as_not_sent() {
    // A server that accepts TCP and never speaks TLS.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accept");
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let mut sink = [0u8; 1024];
        while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
    });
    let t = BlockingTransport::builder()
        .connect_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(5))
        // One attempt: this test is about how the attempt is classified.
        .retry_policy(azpay_core::retry::RetryPolicy::never())
        .build()
        .expect("transport");
    let started = Instant::now();
    let e = expect_err(
        t.send(
            http::Request::get(format!("https://localhost:{port}/"))
                .body(Vec::new())
                .expect("req"),
        ),
    );
    assert_eq!(
        (e.phase, e.kind),
        (Phase::NotSent, TransportErrorKind::Timeout),
        "{e}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_name_that_does_not_resolve_is_not_sent() {
    let e = expect_err(
        transport().send(
            http::Request::post("http://no-such-host.invalid/pay")
                .body(b"x".to_vec())
                .expect("req"),
        ),
    );
    assert_eq!(
        (e.phase, e.kind),
        (Phase::NotSent, TransportErrorKind::Connect),
        "{e}"
    );
}
