//! The sandbox on real sockets (feature `serve`): HTTP with a hand-written HTTP/1.1 client,
//! EPoint callbacks POSTed to a merchant listener, and TWEC over mutual TLS.
#![cfg(feature = "serve")]

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use azpay_sandbox::serve::{serve, ServeOptions};
use azpay_sandbox::{cards, credentials, Card, CardAction, Gateway, SandboxConfig};
use common::{b64, basic, form, form_fields, sign, xml_text};

fn local() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// Splits a raw HTTP/1.1 response into (status, lower-cased head, body).
fn parse_response(raw: &[u8]) -> (u16, String, Vec<u8>) {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of head");
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let status = head[9..12].parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

fn raw_request(
    method: &str,
    path: &str,
    host: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Vec<u8> {
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// One request over plain TCP.
fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(&raw_request(method, path, &addr.to_string(), headers, body))
        .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    parse_response(&raw)
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(body)))
}

#[test]
fn http_socket_round_trips_for_all_three_gateways() {
    let server = serve(SandboxConfig::default(), local()).unwrap();
    let addr = server.http_addr();
    assert_eq!(server.base_url(), format!("http://{addr}"));

    let (status, head, body) = http(addr, "GET", "/api/heartbeat", &[], b"");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: application/json"), "{head}");
    assert_eq!(json(&body)["status"], "ok");

    // Kapital: create, and the hppUrl points at this server.
    let auth = basic(credentials::KAPITAL_USERNAME, credentials::KAPITAL_PASSWORD);
    let (status, _, body) = http(
        addr,
        "POST",
        "/api/order",
        &[("Authorization", &auth), ("Content-Type", "application/json")],
        br#"{"order":{"typeRid":"Order_SMS","amount":"1","currency":"AZN","language":"az","description":"d"}}"#,
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let order = json(&body)["order"].clone();
    assert_eq!(order["hppUrl"], format!("http://{addr}/flex").as_str());
    let id = order["id"].as_u64().unwrap();
    let password = order["password"].as_str().unwrap().to_owned();

    // The hosted page over the socket: GET, then POST a card: 200 page (no redirect URL).
    let (status, _, page) = http(
        addr,
        "GET",
        &format!("/flex?id={id}&password={password}"),
        &[],
        b"",
    );
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("name=\"pan\""));
    let card = form(&[
        ("pan", cards::KAPITAL_VISA),
        ("expiry", "11/26"),
        ("cvv", "119"),
        ("action", "pay"),
    ]);
    let (status, _, _) = http(
        addr,
        "POST",
        &format!("/flex?id={id}&password={password}"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &card,
    );
    assert_eq!(status, 200);
    let (_, _, body) = http(
        addr,
        "GET",
        &format!("/api/order/{id}"),
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(json(&body)["order"]["status"], "FullyPaid");

    // TWEC over plain HTTP when no TLS directory was given.
    let xml = "<TKKPG><Request><Operation>CreateOrder</Operation><Language>EN</Language><Order>\
<OrderType>Purchase</OrderType><Merchant>E1000010</Merchant><Amount>100</Amount><Currency>944</Currency>\
<ApproveURL>/ok</ApproveURL></Order></Request></TKKPG>";
    let (status, _, body) = http(
        addr,
        "POST",
        "/Exec",
        &[("Content-Type", "text/xml")],
        xml.as_bytes(),
    );
    assert_eq!(status, 200);
    assert_eq!(
        xml_text(&String::from_utf8_lossy(&body), "Status").as_deref(),
        Some("00")
    );

    // Oversized bodies are refused.
    let big = vec![b'a'; (1 << 20) + 1];
    let (status, _, _) = http(addr, "POST", "/Exec", &[], &big);
    assert_eq!(status, 413);

    let lines = server.env_lines();
    assert!(
        lines.contains(&format!("EPOINT_BASE_URL=http://{addr}")),
        "{lines:?}"
    );
    assert!(lines.contains(&format!("KAPITAL_BASE_URL=http://{addr}")));
    assert!(lines.contains(&format!("TWEC_BASE_URL=http://{addr}/Exec")));
    assert!(lines.contains(&"KAPITAL_USERNAME=TerminalSys/kapital".to_owned()));
    assert!(lines.contains(&format!(
        "EPOINT_PRIVATE_KEY={}",
        credentials::EPOINT_PRIVATE_KEY
    )));
    assert_eq!(server.executed(Gateway::Kapital, "create-order"), 1);
    server.shutdown();
    assert!(
        TcpStream::connect_timeout(&addr, Duration::from_secs(1))
            .and_then(|mut s| {
                s.set_read_timeout(Some(Duration::from_secs(2)))?;
                s.write_all(&raw_request("GET", "/api/heartbeat", "x", &[], b""))?;
                let mut buf = Vec::new();
                s.read_to_end(&mut buf)?;
                if buf.is_empty() {
                    Err(std::io::Error::other("closed"))
                } else {
                    Ok(())
                }
            })
            .is_err(),
        "the listener is closed after shutdown"
    );
}

#[test]
fn epoint_callbacks_are_posted_to_the_result_url() {
    let merchant = TcpListener::bind(local()).unwrap();
    let result_url = format!("http://{}/epoint/result", merchant.local_addr().unwrap());
    let server = serve(
        SandboxConfig::default().with_epoint_result_url(result_url),
        ServeOptions::new(local()),
    )
    .unwrap();
    let json_text = r#"{"public_key":"i000000001","amount":"3.00","currency":"AZN","language":"en","order_id":"cb-1"}"#;
    let data = b64(json_text.as_bytes());
    let body = form(&[
        ("data", &data),
        ("signature", &sign(credentials::EPOINT_PRIVATE_KEY, &data)),
    ]);
    let (status, _, reply) = http(
        server.http_addr(),
        "POST",
        "/api/1/request",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &body,
    );
    assert_eq!(status, 200);
    let tx = json(&reply)["transaction"].as_str().unwrap().to_owned();
    let outcome = server.with_sandbox(|sb| {
        sb.complete_payment(
            Gateway::EPoint,
            &tx,
            &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
        )
    });
    assert!(outcome.unwrap().approved);

    // The merchant receives a form POST with data + signature.
    let (mut conn, _) = merchant.accept().unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let (head, body) = loop {
        let n = conn.read(&mut buf).unwrap();
        assert!(n > 0, "connection closed early");
        raw.extend_from_slice(&buf[..n]);
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            if raw.len() >= split + 4 + length {
                break (head, raw[split + 4..split + 4 + length].to_vec());
            }
        }
    };
    conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK")
        .unwrap();
    assert!(head.starts_with("post /epoint/result http/1.1"), "{head}");
    assert!(
        head.contains("content-type: application/x-www-form-urlencoded"),
        "{head}"
    );
    let fields = form_fields(&body);
    let data = &fields.iter().find(|(k, _)| k == "data").unwrap().1;
    let signature = &fields.iter().find(|(k, _)| k == "signature").unwrap().1;
    assert_eq!(&sign(credentials::EPOINT_PRIVATE_KEY, data), signature);
    use base64::Engine as _;
    let decoded: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(decoded["transaction"], tx.as_str());
    assert_eq!(decoded["status"], "success");
    // Delivered, so not left in the outbox.
    assert!(server.take_callbacks().is_empty());
}

fn tls_client(
    paths: &azpay_sandbox::serve::TlsPaths,
    with_client_cert: bool,
) -> Arc<rustls::ClientConfig> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_file(&paths.ca_cert).unwrap())
        .unwrap();
    let builder = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots);
    let config = if with_client_cert {
        let cert = CertificateDer::from_pem_file(&paths.client_cert).unwrap();
        let key = PrivateKeyDer::from_pem_file(&paths.client_key).unwrap();
        builder.with_client_auth_cert(vec![cert], key).unwrap()
    } else {
        builder.with_no_client_auth()
    };
    Arc::new(config)
}

/// POSTs `body` to `/Exec` over TLS; `Err` when the TLS layer refuses.
fn https_exec(
    addr: SocketAddr,
    config: Arc<rustls::ClientConfig>,
    body: &[u8],
) -> std::io::Result<Vec<u8>> {
    let name = rustls_pki_types::ServerName::try_from("127.0.0.1")
        .unwrap()
        .to_owned();
    let conn = rustls::ClientConnection::new(config, name).map_err(std::io::Error::other)?;
    let tcp = TcpStream::connect(addr)?;
    tcp.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    tls.write_all(&raw_request(
        "POST",
        "/Exec",
        "127.0.0.1",
        &[("Content-Type", "application/xml")],
        body,
    ))?;
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tls.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            // A peer that closes without close_notify after a full response is fine.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !raw.is_empty() => break,
            Err(e) => return Err(e),
        }
    }
    if raw.is_empty() {
        return Err(std::io::Error::other("no response"));
    }
    Ok(raw)
}

#[test]
fn twec_over_https_requires_the_client_certificate() {
    let dir = std::env::temp_dir().join(format!("azpay-sandbox-test-{}", std::process::id()));
    let server = serve(
        SandboxConfig::default(),
        ServeOptions::new(local()).tls_dir(&dir),
    )
    .unwrap();
    let paths = server.tls_paths().unwrap().clone();
    for p in [
        &paths.ca_cert,
        &paths.client_cert,
        &paths.client_key,
        &paths.server_cert,
        &paths.server_key,
    ] {
        assert!(p.exists(), "{}", p.display());
    }
    let https = server.https_addr().unwrap();
    assert_eq!(
        server.twec_url(),
        format!("https://127.0.0.1:{}/Exec", https.port())
    );
    let lines = server.env_lines();
    assert!(lines.contains(&format!("TWEC_BASE_URL={}", server.twec_url())));
    assert!(lines.contains(&format!("TWEC_CLIENT_CERT={}", paths.client_cert.display())));
    assert!(lines.contains(&format!("TWEC_CLIENT_KEY={}", paths.client_key.display())));
    assert!(lines.contains(&format!("TWEC_CA_CERT={}", paths.ca_cert.display())));

    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><TKKPG><Request><Operation>CreateOrder</Operation>\
<Language>EN</Language><Order><OrderType>Purchase</OrderType><Merchant>E1000010</Merchant>\
<Amount>3000</Amount><Currency>944</Currency><Description>tls</Description>\
<ApproveURL>/ok</ApproveURL><CancelURL>/c</CancelURL><DeclineURL>/d</DeclineURL></Order></Request></TKKPG>";

    // With the generated client certificate: served.
    let raw = https_exec(https, tls_client(&paths, true), xml.as_bytes()).unwrap();
    let (status, _, body) = parse_response(&raw);
    assert_eq!(status, 200);
    let body = String::from_utf8_lossy(&body).into_owned();
    assert_eq!(xml_text(&body, "Status").as_deref(), Some("00"), "{body}");
    let order_url = xml_text(&body, "URL").unwrap();
    assert_eq!(
        order_url,
        format!("{}/twec/index.jsp", server.base_url()),
        "the hosted page is on HTTP"
    );

    // Without a client certificate: the TLS layer refuses, no response.
    let refused = https_exec(https, tls_client(&paths, false), xml.as_bytes());
    assert!(
        refused.is_err(),
        "{:?}",
        refused.map(|r| String::from_utf8_lossy(&r).into_owned())
    );
    assert_eq!(server.executed(Gateway::Twec, "CreateOrder"), 1);

    // Plain HTTP /Exec is refused when mutual TLS is on.
    let (status, _, body) = http(server.http_addr(), "POST", "/Exec", &[], xml.as_bytes());
    assert_eq!(status, 403, "{}", String::from_utf8_lossy(&body));
    assert_eq!(server.executed(Gateway::Twec, "CreateOrder"), 1);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
