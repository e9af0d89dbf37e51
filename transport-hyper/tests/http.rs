//! The hyper transport over plain HTTP/1.1 against small tokio servers on 127.0.0.1:
//! requests arrive exactly as built, every status comes back as a response, and each failure
//! reports the right phase and kind.

use azpay_test_support::tls_server as support;

use std::time::{Duration, Instant};

use azpay_core::{
    execute_async, AsyncTransport, Error, Phase, RequestMeta, ResponseError, TransportError,
    TransportErrorKind,
};
use azpay_transport_hyper::{HyperTransport, DEFAULT_USER_AGENT};
use support::{
    assert_exact_exchange, exact_reply, exact_request, expect_err, find, get, parse_head, response,
    FakeConfig, Mtls, NoConnection, Plain, Received, Submit,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// What the test server does with each connection it accepts.
#[derive(Clone)]
enum Behaviour {
    /// Read the request, write these bytes, close.
    Reply(Vec<u8>),
    /// Read the request, then never answer (hold the connection until the client leaves).
    Silent,
    /// Read the request, then close without a byte.
    CloseAfterRequest,
}

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let mut received = parse_head(&buf[..head_end]);
    let length: usize = received
        .header("content-length")
        .map(|v| v.parse().expect("content-length"))
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        body.extend_from_slice(&chunk[..n]);
    }
    received.body = body;
    Ok(received)
}

/// Serves connections on 127.0.0.1 in a task; each request read comes back on the channel.
async fn server(behaviour: Behaviour) -> (String, mpsc::UnboundedReceiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let behaviour = behaviour.clone();
            let tx = tx.clone();
            tokio::spawn(async move {
                let Ok(received) = read_request(&mut stream).await else {
                    return;
                };
                let _ = tx.send(received);
                let mut sink = [0u8; 1024];
                match behaviour {
                    Behaviour::Reply(bytes) => {
                        let _ = stream.write_all(&bytes).await;
                        let _ = stream.shutdown().await;
                        while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                    }
                    Behaviour::Silent => {
                        while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                    }
                    Behaviour::CloseAfterRequest => drop(stream),
                }
            });
        }
    });
    (base, rx)
}

fn transport() -> HyperTransport {
    HyperTransport::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .build()
        .expect("transport")
}

async fn received(rx: &mut mpsc::UnboundedReceiver<Received>) -> Received {
    tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("in time")
        .expect("the server got a request")
}

#[tokio::test]
async fn a_hand_built_request_arrives_exactly_and_the_response_comes_back_whole() {
    let (base, mut rx) = server(Behaviour::Reply(exact_reply())).await;
    let response = transport()
        .send(exact_request(&base))
        .await
        .expect("response");
    let got = received(&mut rx).await;
    // The default User-Agent exactly as it went over the wire: `azpay/` and the crate version.
    let expected_user_agent = concat!("azpay/", env!("CARGO_PKG_VERSION"));
    assert_eq!(DEFAULT_USER_AGENT, expected_user_agent);
    assert_exact_exchange(&got, &base, expected_user_agent, &response);
}

#[tokio::test]
async fn a_user_agent_of_the_request_is_kept_and_the_builder_sets_the_default() {
    let (base, mut rx) = server(Behaviour::Reply(response("200 OK", "", b""))).await;
    let request = http::Request::get(format!("{base}/mine"))
        .header("user-agent", "merchant-shop/2.0")
        .body(Vec::new())
        .expect("request");
    transport().send(request).await.expect("response");
    let got = received(&mut rx).await;
    assert_eq!(got.header("user-agent"), Some("merchant-shop/2.0"));
    assert_eq!(got.header_count("user-agent"), 1);

    let t = HyperTransport::builder()
        .user_agent("custom-agent/1")
        .build()
        .expect("transport");
    t.send(get(format!("{base}/"))).await.expect("response");
    assert_eq!(
        received(&mut rx).await.header("user-agent"),
        Some("custom-agent/1")
    );
}

#[tokio::test]
async fn an_operation_runs_through_execute_async_from_several_tasks() {
    let (base, mut rx) = server(Behaviour::Reply(response("200 OK", "", b"accepted"))).await;
    let transport = transport();
    let config = std::sync::Arc::new(FakeConfig { base_url: base });
    let mut tasks = Vec::new();
    for i in 0..3 {
        let (transport, config) = (transport.clone(), config.clone());
        tasks.push(tokio::spawn(async move {
            execute_async(
                &Submit::<Plain>::new(&format!("order-{i}")),
                &config,
                &transport,
            )
            .await
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("task").expect("output"), "accepted");
    }
    let mut targets = Vec::new();
    for _ in 0..3 {
        let got = received(&mut rx).await;
        assert_eq!(got.method, "POST");
        assert_eq!(got.header("content-type"), Some("application/json"));
        assert_eq!(got.header("x-merchant"), Some("m-1"));
        let order = got.target["/orders/".len()..got.target.len() - "?lang=en".len()].to_owned();
        assert_eq!(
            got.body,
            format!("{{\"order\":\"{order}\",\"amount\":\"10.50\"}}").into_bytes()
        );
        assert_eq!(got.header("content-length"), Some("36"));
        targets.push(got.target);
    }
    targets.sort();
    assert_eq!(
        targets,
        [
            "/orders/order-0?lang=en",
            "/orders/order-1?lang=en",
            "/orders/order-2?lang=en"
        ]
    );
}

#[tokio::test]
async fn non_2xx_statuses_are_responses_not_errors() {
    for (status, body) in [
        ("404 Not Found", &br#"{"error":"no such order"}"#[..]),
        ("500 Internal Server Error", &b"<html>oops</html>"[..]),
    ] {
        let (base, mut rx) = server(Behaviour::Reply(response(status, "", body))).await;
        let r = transport()
            .send(get(format!("{base}/x")))
            .await
            .expect("a response");
        assert_eq!(
            r.status().as_u16(),
            status[..3].parse::<u16>().expect("code")
        );
        assert_eq!(r.body(), body);
        received(&mut rx).await;
    }

    let (base, _rx) = server(Behaviour::Reply(response(
        "404 Not Found",
        "",
        br#"{"error":"no such order"}"#,
    )))
    .await;
    let config = FakeConfig { base_url: base };
    match execute_async(&Submit::<Plain>::new("o-1"), &config, &transport()).await {
        Err(Error::Response(ResponseError::Api(e))) => assert!(e.0.contains("no such order")),
        other => panic!("unexpected {other:?}"),
    }
    let (base, _rx) = server(Behaviour::Reply(response(
        "500 Internal Server Error",
        "",
        b"x",
    )))
    .await;
    let config = FakeConfig { base_url: base };
    // A 5xx to a request that may change something is outcome unknown, the status kept.
    match execute_async(&Submit::<Plain>::new("o-1"), &config, &transport()).await {
        Err(Error::OutcomeUnknown {
            source: ResponseError::Status { status, .. },
            ..
        }) => assert_eq!(status, 500),
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_is_returned_not_followed() {
    let elsewhere = NoConnection::new();
    let location = format!("http://127.0.0.1:{}/elsewhere", elsewhere.port());
    let (base, mut rx) = server(Behaviour::Reply(response(
        "302 Found",
        &format!("Location: {location}\r\n"),
        b"",
    )))
    .await;
    let r = transport()
        .send(
            http::Request::post(format!("{base}/pay"))
                .body(b"x=1".to_vec())
                .expect("request"),
        )
        .await
        .expect("the 302 itself");
    assert_eq!(r.status(), 302);
    assert_eq!(r.headers()["location"], location.as_str());
    received(&mut rx).await;
    elsewhere.assert_untouched();
}

#[tokio::test]
async fn an_oversize_body_is_refused_with_or_without_content_length() {
    let small = || {
        HyperTransport::builder()
            .max_response_bytes(1024)
            .timeout(Duration::from_secs(5))
            .build()
            .expect("transport")
    };
    let (base, mut rx) = server(Behaviour::Reply(response("200 OK", "", &[b'a'; 4096]))).await;
    let e = expect_err(small().send(get(base)).await);
    assert_eq!(e.kind, TransportErrorKind::ResponseTooLarge);
    assert_eq!(e.phase, Phase::OutcomeUnknown);
    received(&mut rx).await;

    let mut chunked =
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n1000\r\n"
            .to_vec();
    chunked.extend_from_slice(&[b'b'; 4096]);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let (base, mut rx) = server(Behaviour::Reply(chunked)).await;
    let e = expect_err(small().send(get(base)).await);
    assert_eq!(e.kind, TransportErrorKind::ResponseTooLarge);
    assert_eq!(e.phase, Phase::OutcomeUnknown);
    received(&mut rx).await;

    let (base, _rx) = server(Behaviour::Reply(response("200 OK", "", &[b'c'; 1024]))).await;
    let r = small().send(get(base)).await.expect("at the limit");
    assert_eq!(r.body().len(), 1024);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_with_unknown_outcome() {
    let (base, mut rx) = server(Behaviour::Silent).await;
    let t = HyperTransport::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("transport");
    let started = Instant::now();
    let e = expect_err(
        t.send(
            http::Request::post(format!("{base}/pay"))
                .body(b"amount=1".to_vec())
                .expect("req"),
        )
        .await,
    );
    assert_eq!(e.kind, TransportErrorKind::Timeout);
    assert_eq!(e.phase, Phase::OutcomeUnknown);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(received(&mut rx).await.body, b"amount=1");
}

#[tokio::test]
async fn a_server_that_reads_the_request_then_closes_gives_unknown_outcome() {
    let (base, mut rx) = server(Behaviour::CloseAfterRequest).await;
    let e = expect_err(
        transport()
            .send(
                http::Request::post(format!("{base}/pay"))
                    .body(b"amount=1".to_vec())
                    .expect("req"),
            )
            .await,
    );
    assert_eq!(e.phase, Phase::OutcomeUnknown, "{e}");
    assert_eq!(e.kind, TransportErrorKind::Io, "{e}");
    received(&mut rx).await;
}

#[tokio::test]
async fn a_truncated_body_gives_unknown_outcome() {
    let (base, mut rx) = server(Behaviour::Reply(
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nonly this".to_vec(),
    ))
    .await;
    let e = expect_err(transport().send(get(base)).await);
    assert_eq!(e.phase, Phase::OutcomeUnknown, "{e}");
    assert_eq!(e.kind, TransportErrorKind::Io, "{e}");
    received(&mut rx).await;
}

#[tokio::test]
async fn a_closed_port_is_not_sent() {
    let port = support::closed_port();
    let e = expect_err(
        transport()
            .send(
                http::Request::post(format!("http://127.0.0.1:{port}/pay"))
                    .body(b"x".to_vec())
                    .expect("req"),
            )
            .await,
    );
    assert_eq!(e.phase, Phase::NotSent, "{e}");
    assert_eq!(e.kind, TransportErrorKind::Connect, "{e}");

    let config = FakeConfig {
        base_url: format!("http://127.0.0.1:{port}"),
    };
    let e = execute_async(&Submit::<Plain>::new("o-1"), &config, &transport())
        .await
        .expect_err("refused");
    assert!(!e.is_outcome_unknown());
    assert!(matches!(
        e,
        Error::Transport(TransportError {
            phase: Phase::NotSent,
            ..
        })
    ));
}

#[tokio::test]
async fn invalid_uris_are_refused_before_connecting() {
    for uri in ["ftp://127.0.0.1/file", "/relative/only"] {
        let e = expect_err(transport().send(get(uri.to_owned())).await);
        assert_eq!(e.phase, Phase::NotSent, "{uri}: {e}");
        assert_eq!(e.kind, TransportErrorKind::InvalidRequest, "{uri}: {e}");
    }
}

#[tokio::test]
async fn a_request_needing_a_client_identity_is_refused_without_one_before_connecting() {
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
    let e = expect_err(transport().send(request).await);
    assert_eq!(e.phase, Phase::NotSent);
    assert_eq!(e.kind, TransportErrorKind::ClientIdentityMissing);

    let config = FakeConfig { base_url: base };
    match execute_async(&Submit::<Mtls>::new("o-1"), &config, &transport()).await {
        Err(Error::Transport(e)) => {
            assert_eq!(e.phase, Phase::NotSent);
            assert_eq!(e.kind, TransportErrorKind::ClientIdentityMissing);
        }
        other => panic!("unexpected {other:?}"),
    }
    listener.assert_untouched();
}

#[tokio::test]
async fn a_slow_tls_handshake_hits_the_connect_timeout_as_not_sent() {
    // A server that accepts TCP and never speaks TLS: the handshake cannot finish.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accept");
        let mut sink = [0u8; 1024];
        while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
    });
    let t = HyperTransport::builder()
        .connect_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(5))
        // One attempt: this test is about how the attempt is classified.
        .retry_policy(azpay_core::retry::RetryPolicy::never())
        .build()
        .expect("transport");
    let e = expect_err(t.send(get(format!("https://localhost:{port}/"))).await);
    assert_eq!(
        (e.phase, e.kind),
        (Phase::NotSent, TransportErrorKind::Timeout),
        "{e}"
    );
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_not_sent() {
    let e = expect_err(
        transport()
            .send(
                http::Request::post("http://no-such-host.invalid/pay")
                    .body(b"x".to_vec())
                    .expect("req"),
            )
            .await,
    );
    assert_eq!(
        (e.phase, e.kind),
        (Phase::NotSent, TransportErrorKind::Connect),
        "{e}"
    );
}
