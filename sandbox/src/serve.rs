//! Running the sandbox on sockets (feature `serve`): HTTP on 127.0.0.1 for everything, and,
//! when given a directory for certificates, a second HTTPS listener for TWEC's `/Exec` that
//! requires a client certificate (mutual TLS), like the real gateway.
//!
//! Faults ([`crate::fault`]) can be injected into the gateway APIs: [`ServeOptions::fault`]
//! at start-up, [`ServerHandle::set_faults`] and [`ServerHandle::fault_next`] at run time;
//! [`ServerHandle::faults_injected`] and [`ServerHandle::connections_accepted`] count what
//! happened.
//!
//! ```no_run
//! use azpay_sandbox::serve::{serve, ServeOptions};
//! use azpay_sandbox::SandboxConfig;
//!
//! let dir = std::env::temp_dir().join("azpay-sandbox-certs");
//! let server = serve(
//!     SandboxConfig::default(),
//!     ServeOptions::new("127.0.0.1:0".parse().unwrap()).tls_dir(&dir),
//! )
//! .unwrap();
//! for line in server.env_lines() {
//!     println!("{line}"); // EPOINT_BASE_URL=http://127.0.0.1:…, TWEC_CLIENT_CERT=…, …
//! }
//! server.shutdown();
//! ```

use std::convert::Infallible;
use std::io;
use std::net::{SocketAddr, TcpListener as StdTcpListener};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::fault::{Fault, FaultKind, FaultPlan, OVERSIZE_BYTES};
use crate::{Callback, Gateway, Sandbox, SandboxConfig, MAX_BODY};

/// Where and how to listen.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServeOptions {
    /// The HTTP listener (EPoint, Kapital, the hosted pages; TWEC too when there is no TLS).
    pub addr: SocketAddr,
    /// Where to write the generated CA, server and client certificates. `Some` starts the
    /// HTTPS listener for TWEC; `None` serves TWEC over plain HTTP.
    pub tls_dir: Option<PathBuf>,
    /// The HTTPS listener's address; by default the HTTP address's IP with a free port.
    pub https_addr: Option<SocketAddr>,
    /// The public base URL to write into hosted-page URLs; by default `http://{bound addr}`.
    pub public_base_url: Option<String>,
    /// Faults to inject into gateway API requests (see [`crate::fault`]).
    pub faults: Vec<Fault>,
    /// Seed of the fault generator (same seed, same request order: same faults).
    pub fault_seed: u64,
}

impl From<SocketAddr> for ServeOptions {
    fn from(addr: SocketAddr) -> Self {
        ServeOptions::new(addr)
    }
}

impl ServeOptions {
    /// Listen on `addr` (use port 0 for a free port), HTTP only.
    pub fn new(addr: SocketAddr) -> Self {
        ServeOptions {
            addr,
            tls_dir: None,
            https_addr: None,
            public_base_url: None,
            faults: Vec::new(),
            fault_seed: 0x5EED_FA17,
        }
    }

    /// Injects `fault` into gateway API requests (may be called several times; the rates add
    /// up). For the CLI: `.fault(FaultKind::parse("reset:0.05")?)`.
    pub fn fault(mut self, fault: Fault) -> Self {
        self.faults.push(fault);
        self
    }

    /// The seed of the fault generator.
    pub fn fault_seed(mut self, seed: u64) -> Self {
        self.fault_seed = seed;
        self
    }

    /// Generate certificates into `dir` and serve TWEC over HTTPS with a required client
    /// certificate.
    pub fn tls_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.tls_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// The HTTPS listener's address.
    pub fn https_addr(mut self, addr: SocketAddr) -> Self {
        self.https_addr = Some(addr);
        self
    }

    /// The public base URL written into hosted-page URLs.
    pub fn public_base_url(mut self, url: impl Into<String>) -> Self {
        self.public_base_url = Some(url.into());
        self
    }
}

/// The PEM files written for TWEC's mutual TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TlsPaths {
    /// The throwaway CA that signed both certificates (`TWEC_CA_CERT`).
    pub ca_cert: PathBuf,
    /// The server certificate (for `localhost` and `127.0.0.1`).
    pub server_cert: PathBuf,
    /// The server's private key.
    pub server_key: PathBuf,
    /// The merchant's client certificate (`TWEC_CLIENT_CERT`).
    pub client_cert: PathBuf,
    /// The merchant's client key, PKCS#8 (`TWEC_CLIENT_KEY`).
    pub client_key: PathBuf,
}

struct TlsMaterial {
    paths: TlsPaths,
    ca_der: CertificateDer<'static>,
    server_der: CertificateDer<'static>,
    server_key_der: Vec<u8>,
}

/// Generates a throwaway CA, a server certificate for `localhost`/`127.0.0.1` and a client
/// certificate, and writes them as PEM files into `dir` (created if needed).
pub fn generate_certificates(dir: &Path) -> io::Result<TlsPaths> {
    generate(dir).map(|m| m.paths)
}

fn generate(dir: &Path) -> io::Result<TlsMaterial> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
        KeyPair, KeyUsagePurpose,
    };
    let err = |e: rcgen::Error| io::Error::other(format!("certificate generation: {e}"));
    std::fs::create_dir_all(dir)?;

    let ca_key = KeyPair::generate().map_err(err)?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "azpay sandbox test CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca_params.self_signed(&ca_key).map_err(err)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let server_key = KeyPair::generate().map_err(err)?;
    let mut server_params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .map_err(err)?;
    server_params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    server_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_cert = server_params.signed_by(&server_key, &issuer).map_err(err)?;

    let client_key = KeyPair::generate().map_err(err)?;
    let mut client_params = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
    client_params
        .distinguished_name
        .push(DnType::CommonName, "azpay sandbox merchant");
    client_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let client_cert = client_params.signed_by(&client_key, &issuer).map_err(err)?;

    let paths = TlsPaths {
        ca_cert: dir.join("ca.pem"),
        server_cert: dir.join("server.pem"),
        server_key: dir.join("server-key.pem"),
        client_cert: dir.join("client.pem"),
        client_key: dir.join("client-key.pem"),
    };
    std::fs::write(&paths.ca_cert, ca_cert.pem())?;
    std::fs::write(&paths.server_cert, server_cert.pem())?;
    write_secret(&paths.server_key, &server_key.serialize_pem())?;
    std::fs::write(&paths.client_cert, client_cert.pem())?;
    write_secret(&paths.client_key, &client_key.serialize_pem())?;
    Ok(TlsMaterial {
        paths,
        ca_der: ca_cert.der().clone(),
        server_der: server_cert.der().clone(),
        server_key_der: server_key.serialize_der(),
    })
}

fn write_secret(path: &Path, pem: &str) -> io::Result<()> {
    std::fs::write(path, pem)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

fn tls_acceptor(material: &TlsMaterial) -> io::Result<tokio_rustls::TlsAcceptor> {
    let err = |e: rustls::Error| io::Error::other(format!("TLS setup: {e}"));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(material.ca_der.clone()).map_err(err)?;
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .map_err(|e| io::Error::other(format!("TLS setup: {e}")))?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(material.server_key_der.clone()));
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(err)?
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![material.server_der.clone(), material.ca_der.clone()],
            key,
        )
        .map_err(err)?;
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

struct Shared {
    sandbox: Mutex<Sandbox>,
    faults: Mutex<FaultPlan>,
    connections: AtomicU64,
    /// The HTTPS `/Exec` URL when TWEC is served over mutual TLS only.
    twec_tls_url: Option<String>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Sandbox> {
        // A panic while holding the lock leaves the state usable for a simulator.
        self.sandbox.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A running sandbox. Dropping it (or calling [`ServerHandle::shutdown`]) stops the listeners.
pub struct ServerHandle {
    base_url: String,
    http_addr: SocketAddr,
    https_addr: Option<SocketAddr>,
    tls: Option<TlsPaths>,
    shared: Arc<Shared>,
    runtime: tokio::runtime::Handle,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerHandle")
            .field("base_url", &self.base_url)
            .field("http_addr", &self.http_addr)
            .field("https_addr", &self.https_addr)
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

/// Starts the sandbox: binds the listeners (errors come back here), generates certificates if
/// asked, and serves on a background thread until the handle is dropped.
///
/// `options` is a [`ServeOptions`] or just a `SocketAddr` (HTTP only).
pub fn serve(config: SandboxConfig, options: impl Into<ServeOptions>) -> io::Result<ServerHandle> {
    let options: ServeOptions = options.into();
    let http = StdTcpListener::bind(options.addr)?;
    http.set_nonblocking(true)?;
    let http_addr = http.local_addr()?;
    let host = if http_addr.ip().is_unspecified() {
        String::from("127.0.0.1")
    } else {
        http_addr.ip().to_string()
    };
    let base_url = options
        .public_base_url
        .clone()
        .unwrap_or_else(|| format!("http://{host}:{}", http_addr.port()));

    let mut tls = None;
    let mut https = None;
    if let Some(dir) = &options.tls_dir {
        let material = generate(dir)?;
        let acceptor = tls_acceptor(&material)?;
        let addr = options
            .https_addr
            .unwrap_or_else(|| SocketAddr::new(http_addr.ip(), 0));
        let listener = StdTcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        https = Some((listener, acceptor));
        tls = Some(material.paths);
    }
    let https_addr = match &https {
        Some((l, _)) => Some(l.local_addr()?),
        None => None,
    };
    let twec_tls_url = https_addr.map(|a| format!("https://{host}:{}/Exec", a.port()));

    let config = config.with_base_url(base_url.clone());
    let shared = Arc::new(Shared {
        sandbox: Mutex::new(Sandbox::new(config)),
        faults: Mutex::new(FaultPlan::new(options.faults.clone(), options.fault_seed)),
        connections: AtomicU64::new(0),
        twec_tls_url,
    });

    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<tokio::runtime::Handle>>();
    let thread_shared = shared.clone();
    let thread = std::thread::Builder::new()
        .name(String::from("azpay-sandbox"))
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(r) => r,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            runtime.block_on(async move {
                let http = match tokio::net::TcpListener::from_std(http) {
                    Ok(l) => l,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let https = match https {
                    Some((l, acceptor)) => match tokio::net::TcpListener::from_std(l) {
                        Ok(l) => Some((l, acceptor)),
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    },
                    None => None,
                };
                let _ = ready_tx.send(Ok(tokio::runtime::Handle::current()));
                accept_loop(http, https, thread_shared, stop_rx).await;
            });
        })?;
    let runtime = ready_rx
        .recv()
        .map_err(|_| io::Error::other("the sandbox thread stopped during start-up"))??;
    Ok(ServerHandle {
        base_url,
        http_addr,
        https_addr,
        tls,
        shared,
        runtime,
        stop: Some(stop_tx),
        thread: Some(thread),
    })
}

async fn accept_loop(
    http: tokio::net::TcpListener,
    https: Option<(tokio::net::TcpListener, tokio_rustls::TlsAcceptor)>,
    shared: Arc<Shared>,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let (https_listener, acceptor) = match https {
        Some((l, a)) => (Some(l), Some(a)),
        None => (None, None),
    };
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = http.accept() => {
                if let Ok((stream, _)) = accepted {
                    // Answers are written in pieces (head, body); Nagle would hold the second
                    // piece for the client's delayed ACK.
                    let _ = stream.set_nodelay(true);
                    shared.connections.fetch_add(1, Ordering::Relaxed);
                    tokio::spawn(serve_connection(stream, shared.clone(), false));
                }
            }
            accepted = accept_opt(https_listener.as_ref()) => {
                if let (Ok((stream, _)), Some(acceptor)) = (accepted, acceptor.clone()) {
                    let _ = stream.set_nodelay(true);
                    shared.connections.fetch_add(1, Ordering::Relaxed);
                    let shared = shared.clone();
                    tokio::spawn(async move {
                        let handshake =
                            tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream)).await;
                        if let Ok(Ok(tls)) = handshake {
                            serve_connection(tls, shared, true).await;
                        }
                    });
                }
            }
        }
    }
}

async fn accept_opt(
    listener: Option<&tokio::net::TcpListener>,
) -> io::Result<(tokio::net::TcpStream, SocketAddr)> {
    match listener {
        Some(l) => l.accept().await,
        None => std::future::pending().await,
    }
}

async fn serve_connection<S>(stream: S, shared: Arc<Shared>, over_tls: bool)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mode = Arc::new(AtomicU8::new(MODE_NORMAL));
    let service_mode = mode.clone();
    let service = service_fn(move |request| {
        let shared = shared.clone();
        let mode = service_mode.clone();
        async move {
            match answer(request, shared, over_tls).await {
                Answer::Respond(response) => Ok(response),
                Answer::Cut(how, response) => {
                    mode.store(how, Ordering::SeqCst);
                    Ok(response)
                }
                Answer::Drop => Err(DroppedByFault),
            }
        }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(Duration::from_secs(30))
        .writev(false)
        .serve_connection(TokioIo::new(FaultIo::new(stream, mode)), service)
        .await;
}

/// What the service does with one request.
enum Answer {
    Respond(http::Response<FaultBody>),
    /// Let hyper write the response, but cut it (`MODE_RESET`) or replace it (`MODE_GARBAGE`).
    Cut(u8, http::Response<FaultBody>),
    /// Close the connection without a response.
    Drop,
}

#[derive(Debug)]
struct DroppedByFault;
impl std::fmt::Display for DroppedByFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}
impl std::error::Error for DroppedByFault {}

const MODE_NORMAL: u8 = 0;
const MODE_RESET: u8 = 1;
const MODE_GARBAGE: u8 = 2;

/// Bytes that are not HTTP/1.x.
const GARBAGE: &[u8] =
    b"\x16\x03\x01\x00\xffNOT-HTTP garbage from the azpay sandbox \x00\x01\x02\r\n\r\n";

/// The connection's stream, which an injected fault can cut (write half of the response, then
/// fail) or poison (write garbage instead, then fail). Failing makes hyper close it.
struct FaultIo<S> {
    inner: S,
    mode: Arc<AtomicU8>,
    /// Bytes still to write before failing, once a fault struck.
    pending: Option<(Vec<u8>, usize)>,
}

impl<S> FaultIo<S> {
    fn new(inner: S, mode: Arc<AtomicU8>) -> Self {
        FaultIo {
            inner,
            mode,
            pending: None,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for FaultIo<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for FaultIo<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.pending.is_none() {
            match this.mode.load(Ordering::SeqCst) {
                MODE_RESET => {
                    let half = (buf.len() / 2).max(1).min(buf.len());
                    this.pending = Some((buf[..half].to_vec(), 0));
                }
                MODE_GARBAGE => this.pending = Some((GARBAGE.to_vec(), 0)),
                _ => return Pin::new(&mut this.inner).poll_write(cx, buf),
            }
        }
        if let Some((bytes, written)) = &mut this.pending {
            while *written < bytes.len() {
                match Pin::new(&mut this.inner).poll_write(cx, &bytes[*written..]) {
                    Poll::Ready(Ok(0)) => break,
                    Poll::Ready(Ok(n)) => *written += n,
                    Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                    Poll::Pending => return Poll::Pending,
                }
            }
            match Pin::new(&mut this.inner).poll_flush(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(_) => {}
            }
            let _ = Pin::new(&mut this.inner).poll_shutdown(cx);
        }
        Poll::Ready(Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "connection cut by an injected fault",
        )))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// A response body: the whole answer, or (oversize fault) filler sent chunked.
enum FaultBody {
    Full(Option<Bytes>),
    Filler(usize),
}

impl hyper::body::Body for FaultBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, Infallible>>> {
        const CHUNK: usize = 64 * 1024;
        match self.get_mut() {
            FaultBody::Full(bytes) => {
                Poll::Ready(bytes.take().map(|b| Ok(hyper::body::Frame::data(b))))
            }
            FaultBody::Filler(left) => {
                if *left == 0 {
                    return Poll::Ready(None);
                }
                let n = (*left).min(CHUNK);
                *left -= n;
                Poll::Ready(Some(Ok(hyper::body::Frame::data(Bytes::from(vec![
                    b'x';
                    n
                ])))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            FaultBody::Full(b) => b.is_none(),
            FaultBody::Filler(left) => *left == 0,
        }
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        match self {
            FaultBody::Full(Some(b)) => hyper::body::SizeHint::with_exact(b.len() as u64),
            FaultBody::Full(None) => hyper::body::SizeHint::with_exact(0),
            FaultBody::Filler(_) => hyper::body::SizeHint::default(),
        }
    }
}

/// Whether faults may strike this path: the gateways' APIs, never the hosted pages.
fn faultable(path: &str) -> bool {
    path.starts_with("/api/") || path.eq_ignore_ascii_case("/exec")
}

async fn answer(request: http::Request<Incoming>, shared: Arc<Shared>, over_tls: bool) -> Answer {
    let fault = if faultable(request.uri().path()) {
        shared
            .faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pick()
    } else {
        None
    };
    match fault {
        Some(FaultKind::DropBeforeProcessing) => return Answer::Drop,
        Some(FaultKind::Status(code)) => {
            return Answer::Respond(full(plain(code, "fault injected: not processed")))
        }
        _ => {}
    }
    let response = full(process(request, &shared, over_tls).await);
    match fault {
        Some(FaultKind::Delay(pause)) => {
            tokio::time::sleep(pause).await;
            Answer::Respond(response)
        }
        Some(FaultKind::Reset) => Answer::Cut(MODE_RESET, response),
        Some(FaultKind::Garbage) => Answer::Cut(MODE_GARBAGE, response),
        Some(FaultKind::Oversize) => {
            let mut filler = http::Response::new(FaultBody::Filler(OVERSIZE_BYTES));
            filler.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            );
            Answer::Respond(filler)
        }
        _ => Answer::Respond(response),
    }
}

fn full(response: http::Response<Full<Bytes>>) -> http::Response<FaultBody> {
    response.map(|body| {
        // Full<Bytes> holds one chunk; collect it synchronously.
        let mut body = body;
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        match hyper::body::Body::poll_frame(Pin::new(&mut body), &mut cx) {
            Poll::Ready(Some(Ok(frame))) => FaultBody::Full(frame.into_data().ok()),
            _ => FaultBody::Full(None),
        }
    })
}

async fn process(
    request: http::Request<Incoming>,
    shared: &Shared,
    over_tls: bool,
) -> http::Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(
        Duration::from_secs(30),
        Limited::new(body, MAX_BODY).collect(),
    );
    let body = match read.await {
        Ok(Ok(collected)) => collected.to_bytes().to_vec(),
        Ok(Err(_)) => return plain(413, "request body too large or unreadable"),
        Err(_) => return plain(408, "request body too slow"),
    };
    let is_exec = parts.uri.path().eq_ignore_ascii_case("/exec");
    if over_tls && !is_exec {
        return plain(404, "only POST /Exec is served over TLS");
    }
    if !over_tls && is_exec {
        if let Some(url) = &shared.twec_tls_url {
            return plain(
                403,
                &format!("TWEC requires mutual TLS: POST to {url} with the client certificate"),
            );
        }
    }
    let request = http::Request::from_parts(parts, body);
    let (response, callbacks) = {
        let mut sandbox = shared.lock();
        let response = sandbox.handle(&request);
        (response, due_callbacks(&mut sandbox))
    };
    spawn_deliveries(callbacks);
    let (parts, body) = response.into_parts();
    http::Response::from_parts(parts, Full::new(Bytes::from(body)))
}

fn plain(status: u16, text: &str) -> http::Response<Full<Bytes>> {
    let mut response = http::Response::new(Full::new(Bytes::from(text.to_owned())));
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Callbacks to POST now: all of them when a result URL is configured (otherwise they wait
/// in the outbox for [`ServerHandle::take_callbacks`]).
fn due_callbacks(sandbox: &mut Sandbox) -> Vec<Callback> {
    if sandbox.config().epoint_result_url.is_some() {
        sandbox
            .take_callbacks()
            .into_iter()
            .filter(|c| c.url.is_some())
            .collect()
    } else {
        Vec::new()
    }
}

fn spawn_deliveries(callbacks: Vec<Callback>) {
    for callback in callbacks {
        tokio::spawn(async move {
            for attempt in 0..3u64 {
                if attempt > 0 {
                    tokio::time::sleep(Duration::from_millis(500 * attempt)).await;
                }
                let sent =
                    tokio::time::timeout(Duration::from_secs(10), post_callback(&callback)).await;
                if matches!(sent, Ok(Ok(status)) if (200..300).contains(&status)) {
                    break;
                }
            }
        });
    }
}

/// POSTs a callback's form body to its `http://` URL; answers the HTTP status.
async fn post_callback(callback: &Callback) -> io::Result<u16> {
    let url = callback.url.as_deref().unwrap_or("");
    let uri: http::Uri = url
        .parse()
        .map_err(|_| io::Error::other("invalid result URL"))?;
    if uri.scheme_str() != Some("http") {
        return Err(io::Error::other("only http:// result URLs are supported"));
    }
    let host = uri
        .host()
        .ok_or_else(|| io::Error::other("result URL without host"))?
        .to_owned();
    let port = uri.port_u16().unwrap_or(80);
    let stream = tokio::net::TcpStream::connect((host.as_str(), port)).await?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(io::Error::other)?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let path = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| String::from("/"));
    let authority = uri
        .authority()
        .map(|a| a.as_str().to_owned())
        .unwrap_or(host);
    let request = http::Request::post(path)
        .header(http::header::HOST, authority)
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(Full::new(Bytes::from(callback.form_body())))
        .map_err(io::Error::other)?;
    let response = sender
        .send_request(request)
        .await
        .map_err(io::Error::other)?;
    Ok(response.status().as_u16())
}

impl ServerHandle {
    /// The HTTP base URL, e.g. `http://127.0.0.1:41234` (EPoint's and Kapital's base URL).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound HTTP address.
    pub fn http_addr(&self) -> SocketAddr {
        self.http_addr
    }

    /// The bound HTTPS address (TWEC with mutual TLS), if started.
    pub fn https_addr(&self) -> Option<SocketAddr> {
        self.https_addr
    }

    /// The TWEC endpoint: `https://127.0.0.1:{port}/Exec` with TLS, else `{base_url}/Exec`.
    pub fn twec_url(&self) -> String {
        self.shared
            .twec_tls_url
            .clone()
            .unwrap_or_else(|| format!("{}/Exec", self.base_url))
    }

    /// The generated certificate files, if TLS is on.
    pub fn tls_paths(&self) -> Option<&TlsPaths> {
        self.tls.as_ref()
    }

    /// `KEY=VALUE` lines (CLI.md's variable names) that point every azpay command here.
    pub fn env_lines(&self) -> Vec<String> {
        let config = self.with_sandbox(|s| s.config().clone());
        let mut lines = vec![
            format!("EPOINT_BASE_URL={}", self.base_url),
            format!("EPOINT_PUBLIC_KEY={}", config.epoint_public_key),
            format!("EPOINT_PRIVATE_KEY={}", config.epoint_private_key),
            format!("KAPITAL_BASE_URL={}", self.base_url),
            format!("KAPITAL_USERNAME={}", config.kapital_username),
            format!("KAPITAL_PASSWORD={}", config.kapital_password),
            format!("TWEC_BASE_URL={}", self.twec_url()),
            format!("TWEC_MERCHANT_ID={}", config.twec_merchant_id),
        ];
        if let Some(tls) = &self.tls {
            lines.push(format!("TWEC_CLIENT_CERT={}", tls.client_cert.display()));
            lines.push(format!("TWEC_CLIENT_KEY={}", tls.client_key.display()));
            lines.push(format!("TWEC_CA_CERT={}", tls.ca_cert.display()));
        }
        lines
    }

    /// Runs `f` with the sandbox locked (complete a payment as the cardholder, read counters,
    /// change the result URL...). Callbacks it produces are delivered as after a request.
    pub fn with_sandbox<R>(&self, f: impl FnOnce(&mut Sandbox) -> R) -> R {
        let (result, callbacks) = {
            let mut sandbox = self.shared.lock();
            let result = f(&mut sandbox);
            (result, due_callbacks(&mut sandbox))
        };
        if !callbacks.is_empty() {
            let _guard = self.runtime.enter();
            spawn_deliveries(callbacks);
        }
        result
    }

    /// Replaces the injected faults (empty: none) from the next request on.
    pub fn set_faults(&self, faults: Vec<Fault>) {
        self.shared
            .faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .set_faults(faults);
    }

    /// Makes the next `n` gateway API requests fail with `kind` (before the random faults).
    pub fn fault_next(&self, kind: FaultKind, n: usize) {
        self.shared
            .faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .queue(kind, n);
    }

    /// How many faults of each kind were injected so far.
    pub fn faults_injected(&self) -> Vec<(FaultKind, u64)> {
        self.shared
            .faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .injected()
            .to_vec()
    }

    /// How many TCP connections the listeners accepted so far (HTTP and HTTPS): with
    /// keep-alive, N sequential requests from one client need one.
    pub fn connections_accepted(&self) -> u64 {
        self.shared.connections.load(Ordering::Relaxed)
    }

    /// See [`Sandbox::executed`].
    pub fn executed(&self, gateway: Gateway, operation: &str) -> u64 {
        self.with_sandbox(|s| s.executed(gateway, operation))
    }

    /// See [`Sandbox::take_callbacks`] (empty when a result URL is configured: those are POSTed).
    pub fn take_callbacks(&self) -> Vec<Callback> {
        self.with_sandbox(|s| s.take_callbacks())
    }

    /// Stops the listeners and waits for the server thread.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop_now();
    }
}
