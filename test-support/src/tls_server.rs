//! Test support shared by both transport crates' tests: a test PKI made with rcgen, a
//! mutual-TLS HTTP/1.1 server over std + rustls, a request parser, and a fake gateway with one
//! operation implementing the core traits.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use azpay_core::{
    BuildError, ClientIdentity, Gateway, HttpRequest, HttpResponse, Operation, ResponseError,
    TransportError,
};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub const EC_PKCS8: &str = include_str!("../fixtures/ec.pkcs8.pem");
pub const EC_SEC1: &str = include_str!("../fixtures/ec.sec1.pem");
pub const RSA_PKCS8: &str = include_str!("../fixtures/rsa.pkcs8.pem");
pub const RSA_PKCS1: &str = include_str!("../fixtures/rsa.pkcs1.pem");

// ---------------------------------------------------------------------------------------------
// PKI

/// A CA able to sign server and client certificates.
pub struct Ca {
    pub cert_pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl Ca {
    pub fn new(name: &str) -> Ca {
        let key = KeyPair::generate().expect("CA key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let cert = params.self_signed(&key).expect("CA cert");
        Ca {
            cert_pem: cert.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// A server certificate for `localhost` and 127.0.0.1: (cert PEM, key PEM).
    pub fn server(&self) -> (String, String) {
        let key = KeyPair::generate().expect("server key");
        let mut params =
            CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
                .expect("server params");
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let cert = params.signed_by(&key, &self.issuer).expect("server cert");
        (cert.pem(), key.serialize_pem())
    }

    /// A client certificate for the key given as PKCS#8 PEM: the certificate PEM.
    pub fn client_cert_for(&self, key_pkcs8_pem: &str, cn: &str) -> String {
        let key = KeyPair::from_pem(key_pkcs8_pem).expect("client key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("client params");
        params.distinguished_name.push(DnType::CommonName, cn);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        params
            .signed_by(&key, &self.issuer)
            .expect("client cert")
            .pem()
    }
}

/// Everything a mutual-TLS test needs.
pub struct Pki {
    pub ca: Ca,
    pub server_cert_pem: String,
    pub server_key_pem: String,
    /// Client certificate (EC P-256 key, [`EC_PKCS8`]/[`EC_SEC1`]) signed by `ca`.
    pub client_ec_cert_pem: String,
    /// Client certificate (RSA 2048 key, [`RSA_PKCS8`]/[`RSA_PKCS1`]) signed by `ca`.
    pub client_rsa_cert_pem: String,
    /// Another CA, unknown to the server, with a client certificate for the EC key.
    pub other_ca: Ca,
    pub other_client_cert_pem: String,
}

impl Pki {
    pub fn new() -> Pki {
        let ca = Ca::new("azpay test CA");
        let (server_cert_pem, server_key_pem) = ca.server();
        let client_ec_cert_pem = ca.client_cert_for(EC_PKCS8, "merchant-ec");
        let client_rsa_cert_pem = ca.client_cert_for(RSA_PKCS8, "merchant-rsa");
        let other_ca = Ca::new("some other CA");
        let other_client_cert_pem = other_ca.client_cert_for(EC_PKCS8, "intruder");
        Pki {
            ca,
            server_cert_pem,
            server_key_pem,
            client_ec_cert_pem,
            client_rsa_cert_pem,
            other_ca,
            other_client_cert_pem,
        }
    }

    /// A rustls server config that REQUIRES a client certificate signed by `ca`.
    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        self.server_config_with(rustls::DEFAULT_VERSIONS)
    }

    /// [`Pki::server_config`] limited to these TLS versions.
    pub fn server_config_with(
        &self,
        versions: &[&'static rustls::SupportedProtocolVersion],
    ) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(self.ca.cert_pem.as_bytes()) {
            roots.add(cert.expect("ca pem")).expect("ca root");
        }
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
            Arc::new(roots),
            provider.clone(),
        )
        .build()
        .expect("client verifier");
        let chain = CertificateDer::pem_slice_iter(self.server_cert_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .expect("server chain");
        let key = PrivateKeyDer::from_pem_slice(self.server_key_pem.as_bytes()).expect("key");
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(versions)
            .expect("versions")
            .with_client_cert_verifier(verifier)
            .with_single_cert(chain, key)
            .expect("server config");
        Arc::new(config)
    }

    pub fn identity_ec_pkcs8(&self) -> ClientIdentity {
        ClientIdentity::from_pem(
            self.client_ec_cert_pem.clone().into_bytes(),
            EC_PKCS8.as_bytes().to_vec(),
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Requests as received

/// One HTTP/1.1 request as a server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn header_count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .count()
    }
}

/// Reads one request (head, then a Content-Length body) from a blocking stream.
pub fn read_request(stream: &mut impl Read) -> std::io::Result<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::Error::new(ErrorKind::UnexpectedEof, "eof in head"));
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
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::Error::new(ErrorKind::UnexpectedEof, "eof in body"));
        }
        body.extend_from_slice(&chunk[..n]);
    }
    received.body = body;
    Ok(received)
}

pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

pub fn parse_head(head: &[u8]) -> Received {
    let text = std::str::from_utf8(head).expect("ascii head");
    let mut lines = text.split("\r\n");
    let mut first = lines.next().expect("request line").split(' ');
    let method = first.next().expect("method").to_owned();
    let target = first.next().expect("target").to_owned();
    assert_eq!(first.next(), Some("HTTP/1.1"));
    let headers = lines
        .map(|l| {
            let (n, v) = l.split_once(':').expect("header line");
            (n.to_owned(), v.trim().to_owned())
        })
        .collect();
    Received {
        method,
        target,
        headers,
        body: Vec::new(),
    }
}

/// A response with a Content-Length and `Connection: close`.
pub fn response(status: &str, extra_headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\n{extra_headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

// ---------------------------------------------------------------------------------------------
// Mutual-TLS server (std + rustls)

/// What the TLS server saw on one connection.
#[derive(Debug)]
pub enum TlsOutcome {
    /// Handshake done, this request answered.
    Served(Received),
    /// The handshake failed with this rustls error text.
    HandshakeFailed(String),
}

/// Serves `connections` connections on 127.0.0.1, one at a time: mutual-TLS handshake, then one
/// request answered with `200 OK` and body `mtls ok`. Gives up after 10 s without a client.
pub fn tls_server(
    config: Arc<rustls::ServerConfig>,
    connections: usize,
) -> (SocketAddr, JoinHandle<Vec<TlsOutcome>>) {
    tls_server_replying(config, connections, response("200 OK", "", b"mtls ok"))
}

/// [`tls_server`] answering every request with `reply`, a whole HTTP/1.1 response (see
/// [`response`]).
pub fn tls_server_replying(
    config: Arc<rustls::ServerConfig>,
    connections: usize,
    reply: Vec<u8>,
) -> (SocketAddr, JoinHandle<Vec<TlsOutcome>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    listener.set_nonblocking(true).expect("nonblocking");
    let handle = std::thread::spawn(move || {
        let mut outcomes = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(10);
        while outcomes.len() < connections && Instant::now() < deadline {
            match listener.accept() {
                Ok((tcp, _)) => outcomes.push(serve_tls(config.clone(), tcp, &reply)),
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(5))
                }
                Err(e) => panic!("accept: {e}"),
            }
        }
        outcomes
    });
    (addr, handle)
}

fn serve_tls(config: Arc<rustls::ServerConfig>, mut tcp: TcpStream, reply: &[u8]) -> TlsOutcome {
    tcp.set_nonblocking(false).expect("blocking");
    tcp.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut conn = rustls::ServerConnection::new(config).expect("server conn");
    while conn.is_handshaking() {
        if let Err(e) = conn.complete_io(&mut tcp) {
            // complete_io has sent the alert. Read what the client still sends until it
            // closes, so that closing never resets the connection before it read the alert.
            let _ = tcp.set_read_timeout(Some(Duration::from_secs(2)));
            let mut sink = [0u8; 1024];
            while matches!(tcp.read(&mut sink), Ok(n) if n > 0) {}
            return TlsOutcome::HandshakeFailed(e.to_string());
        }
    }
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let received = match read_request(&mut tls) {
        Ok(r) => r,
        Err(e) => return TlsOutcome::HandshakeFailed(format!("after handshake: {e}")),
    };
    let _ = tls.write_all(reply);
    tls.conn.send_close_notify();
    let _ = tls.flush();
    TlsOutcome::Served(received)
}

/// A listener that must never see a connection; `assert_untouched` checks it.
pub struct NoConnection(TcpListener);

impl NoConnection {
    pub fn new() -> NoConnection {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        l.set_nonblocking(true).expect("nonblocking");
        NoConnection(l)
    }
    pub fn port(&self) -> u16 {
        self.0.local_addr().expect("addr").port()
    }
    pub fn assert_untouched(&self) {
        std::thread::sleep(Duration::from_millis(50));
        match self.0.accept() {
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            Ok(_) => panic!("a connection was made"),
            Err(e) => panic!("accept: {e}"),
        }
    }
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    drop(l);
    port
}

// ---------------------------------------------------------------------------------------------
// A fake gateway and operation implementing the core traits

/// The fake gateway's configuration: where to send.
#[derive(Debug)]
pub struct FakeConfig {
    pub base_url: String,
}

/// A plain gateway (no client certificate).
pub struct Plain;
impl Gateway for Plain {
    const NAME: &'static str = "fake";
    type Config = FakeConfig;
    type ApiError = FakeApiError;
}

/// A gateway that needs mutual TLS, like TWEC.
pub struct Mtls;
impl Gateway for Mtls {
    const NAME: &'static str = "fake-mtls";
    const REQUIRES_CLIENT_IDENTITY: bool = true;
    type Config = FakeConfig;
    type ApiError = FakeApiError;
}

/// The fake gateway's error body: `{"error":"..."}` with a 4xx status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeApiError(pub String);
impl std::fmt::Display for FakeApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "fake gateway error {}", self.0)
    }
}
impl std::error::Error for FakeApiError {}

/// POST {base}/orders/{order}?lang=en with a JSON body; the output is the answer's body text.
pub struct Submit<G> {
    pub order: String,
    pub gateway: std::marker::PhantomData<G>,
}

impl<G> Submit<G> {
    pub fn new(order: &str) -> Self {
        Submit {
            order: order.to_owned(),
            gateway: std::marker::PhantomData,
        }
    }
}

impl<G: Gateway<Config = FakeConfig, ApiError = FakeApiError>> Operation for Submit<G> {
    type Gateway = G;
    type Output = String;
    const NAME: &'static str = "submit";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &FakeConfig) -> Result<HttpRequest, BuildError> {
        if self.order.is_empty() {
            return Err(BuildError::invalid("order", "must not be empty"));
        }
        let body = format!("{{\"order\":\"{}\",\"amount\":\"10.50\"}}", self.order);
        Ok(
            http::Request::post(format!("{}/orders/{}?lang=en", config.base_url, self.order))
                .header("content-type", "application/json")
                .header("x-merchant", "m-1")
                .body(body.into_bytes())?,
        )
    }

    fn parse_response(
        &self,
        _config: &FakeConfig,
        response: HttpResponse,
    ) -> Result<String, ResponseError<FakeApiError>> {
        ResponseError::check_size(response.body())?;
        let status = response.status();
        let body = response.into_body();
        if status == http::StatusCode::OK {
            String::from_utf8(body.clone()).map_err(|_| ResponseError::malformed("not utf-8", body))
        } else if status.is_client_error() && body.starts_with(b"{\"error\":") {
            Err(ResponseError::Api(FakeApiError(
                String::from_utf8_lossy(&body).into_owned(),
            )))
        } else {
            Err(ResponseError::Status {
                status,
                body: body.into(),
            })
        }
    }
}

/// Body of the hand-built request in the "arrives exactly" tests of both transports.
pub const EXACT_BODY: &[u8] = b"data=eyJhIjoxfQ%3D%3D&signature=abc%2B%2F";

/// The reply the server of the "arrives exactly" tests sends.
pub fn exact_reply() -> Vec<u8> {
    response(
        "200 OK",
        "Content-Type: application/json\r\nX-Reply: yes\r\n",
        br#"{"status":"success"}"#,
    )
}

/// The hand-built POST of the "arrives exactly" tests, to the server at `base`.
pub fn exact_request(base: &str) -> http::Request<Vec<u8>> {
    http::Request::post(format!("{base}/api/1/request?x=1&y=%20z"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-custom", "Value With Spaces")
        .body(EXACT_BODY.to_vec())
        .expect("request")
}

/// Checks that [`exact_request`] arrived at the server at `base` exactly as built, with the
/// transport's default `user_agent`, and that [`exact_reply`] came back whole.
pub fn assert_exact_exchange(
    got: &Received,
    base: &str,
    user_agent: &str,
    response: &http::Response<Vec<u8>>,
) {
    assert_eq!(got.method, "POST");
    assert_eq!(got.target, "/api/1/request?x=1&y=%20z");
    assert_eq!(
        got.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(got.header("x-custom"), Some("Value With Spaces"));
    assert_eq!(got.header("user-agent"), Some(user_agent));
    assert_eq!(
        got.header("content-length"),
        Some(EXACT_BODY.len().to_string().as_str())
    );
    assert_eq!(got.header_count("content-length"), 1);
    assert_eq!(got.header("host"), Some(base.trim_start_matches("http://")));
    assert_eq!(got.body, EXACT_BODY);

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-reply"], "yes");
    assert_eq!(response.body(), br#"{"status":"success"}"#);
}

/// The configuration errors of a bad client identity or root CA, checked the same way for
/// both transports: `build` builds a transport with the identity (it must be refused) and
/// returns the error text; `build_with_root` does the same with a root CA PEM; `debug_texts`
/// gives the `Debug` text of a builder holding the identity and of the transport it builds.
pub fn assert_bad_pem_errors(
    pki: &Pki,
    build: impl Fn(ClientIdentity) -> String,
    build_with_root: impl FnOnce(&str) -> String,
    debug_texts: impl FnOnce(ClientIdentity) -> [String; 2],
) {
    let cert = pki.client_ec_cert_pem.clone().into_bytes();

    let e = build(ClientIdentity::from_pem(
        cert.clone(),
        b"not a pem at all".to_vec(),
    ));
    assert!(e.contains("private key"), "{e}");

    // A truncated key: the message must not echo any of it.
    let truncated = &EC_PKCS8[..EC_PKCS8.len() - 40];
    let e = build(ClientIdentity::from_pem(
        cert.clone(),
        truncated.as_bytes().to_vec(),
    ));
    assert!(e.contains("private key"), "{e}");
    let secret_line = EC_PKCS8.lines().nth(1).expect("a base64 line");
    assert!(!e.contains(secret_line), "{e}");

    // A key that does not belong to the certificate.
    let e = build(ClientIdentity::from_pem(
        cert.clone(),
        RSA_PKCS8.as_bytes().to_vec(),
    ));
    assert!(e.contains("does not match"), "{e}");

    let e = build(ClientIdentity::from_pem(
        b"garbage".to_vec(),
        EC_PKCS8.as_bytes().to_vec(),
    ));
    assert!(e.contains("certificate chain"), "{e}");

    let e = build_with_root("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assert!(e.contains("root CA"), "{e}");

    // Debug of the builder and of the transport never shows the key.
    for text in debug_texts(pki.identity_ec_pkcs8()) {
        assert!(!text.contains(secret_line), "{text}");
        assert!(!text.contains("PRIVATE KEY"), "{text}");
    }
}

/// A GET of `url` with an empty body.
pub fn get(url: String) -> http::Request<Vec<u8>> {
    http::Request::get(url).body(Vec::new()).expect("request")
}

/// The error of a send that must fail (panics with the status when it succeeded).
pub fn expect_err(result: Result<http::Response<Vec<u8>>, TransportError>) -> TransportError {
    match result {
        Ok(r) => panic!("expected an error, got {}", r.status()),
        Err(e) => e,
    }
}
