//! Running the sandbox on sockets (feature `serve`): HTTP on 127.0.0.1 for everything, and,
//! when given a directory for certificates, a second HTTPS listener for TWEC's `/Exec` that
//! requires a client certificate (mutual TLS), like the real gateway.
//!
//! Faults ([`crate::fault`]) can be injected into the gateway APIs: [`ServeOptions::fault`]
//! at start-up, [`ServerHandle::set_faults`] and [`ServerHandle::fault_next`] at run time;
//! [`ServerHandle::faults_injected`] and [`ServerHandle::connections_accepted`] count what
//! happened.
//!
//! At most [`MAX_CONNECTIONS`] connections (HTTP and HTTPS together, by default; see
//! [`ServeOptions::max_connections`]) are served at once. Beyond that, new connections are
//! not refused: they wait in the listen queue and are accepted as soon as a served one ends
//! (an idle connection ends 30 seconds after its last request). Memory therefore stays
//! bounded under any number of clients: a finished connection keeps nothing.
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
use std::net::SocketAddr;
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

mod callbacks;
mod respond;
mod tls;

use callbacks::{due_callbacks, spawn_deliveries};
use respond::{answer, Answer, DroppedByFault, FaultIo, MODE_NORMAL};
use tls::{generate, tls_acceptor};

/// The file name of Azericard's TEST-ONLY merchant key in the certificate directory.
const AZERICARD_KEY_FILE: &str = "azericard-merchant-key.pem";
/// The file name of the simulated Azericard gateway's public key there.
const AZERICARD_GATEWAY_KEY_FILE: &str = "azericard-gateway-public.pem";
pub use tls::{generate_certificates, TlsPaths};

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
    /// The most connections served at once ([`MAX_CONNECTIONS`] by default); more wait.
    pub max_connections: usize,
}

/// The default cap on connections served at once (HTTP and HTTPS together). Connections
/// beyond it wait to be accepted until a served one ends.
pub const MAX_CONNECTIONS: usize = 256;

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
            max_connections: MAX_CONNECTIONS,
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

    /// The most connections served at once (at least 1); further ones wait to be accepted.
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = n.max(1);
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
    let http = bind(options.addr)?;
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
        // Azericard's TEST-ONLY keys, for AZERICARD_KEY_FILE_PATH / _GATEWAY_PUBLIC_KEY_PATH.
        std::fs::write(
            dir.join(AZERICARD_KEY_FILE),
            crate::TEST_MERCHANT_PRIVATE_KEY_PEM,
        )?;
        std::fs::write(
            dir.join(AZERICARD_GATEWAY_KEY_FILE),
            crate::TEST_GATEWAY_PUBLIC_KEY_PEM,
        )?;
        let acceptor = tls_acceptor(&material)?;
        let addr = options
            .https_addr
            .unwrap_or_else(|| SocketAddr::new(http_addr.ip(), 0));
        https = Some((bind(addr)?, acceptor));
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

    let max_connections = options.max_connections.max(1);
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
                let http = match http.listen(LISTEN_BACKLOG) {
                    Ok(l) => l,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let https = match https {
                    Some((l, acceptor)) => match l.listen(LISTEN_BACKLOG) {
                        Ok(l) => Some((l, acceptor)),
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    },
                    None => None,
                };
                let _ = ready_tx.send(Ok(tokio::runtime::Handle::current()));
                accept_loop(http, https, thread_shared, stop_rx, max_connections).await;
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

/// How many connections the kernel queues for `accept` (capped by the system's
/// `somaxconn`): where connections beyond the cap wait.
const LISTEN_BACKLOG: u32 = 4096;

/// A socket bound to `addr` (so that "address in use" comes back from [`serve`]); it starts
/// listening on the sandbox's thread.
fn bind(addr: SocketAddr) -> io::Result<tokio::net::TcpSocket> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    // As the standard library's listeners do on Unix: a restarted sandbox can take its port
    // back while old connections are in TIME_WAIT.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    Ok(socket)
}

async fn accept_loop(
    http: tokio::net::TcpListener,
    https: Option<(tokio::net::TcpListener, tokio_rustls::TlsAcceptor)>,
    shared: Arc<Shared>,
    mut stop: tokio::sync::oneshot::Receiver<()>,
    max_connections: usize,
) {
    let (https_listener, acceptor) = match https {
        Some((l, a)) => (Some(l), Some(a)),
        None => (None, None),
    };
    let slots = Arc::new(tokio::sync::Semaphore::new(max_connections));
    loop {
        // A free slot first: while all are taken, nothing is accepted and new connections
        // wait in the kernel's listen queue. The slot goes with the connection's task and
        // comes back when it ends.
        let slot = tokio::select! {
            _ = &mut stop => break,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        tokio::select! {
            _ = &mut stop => break,
            accepted = http.accept() => {
                if let Ok((stream, _)) = accepted {
                    // Answers are written in pieces (head, body); Nagle would hold the second
                    // piece for the client's delayed ACK.
                    let _ = stream.set_nodelay(true);
                    shared.connections.fetch_add(1, Ordering::Relaxed);
                    let shared = shared.clone();
                    tokio::spawn(async move {
                        serve_connection(stream, shared, false).await;
                        drop(slot);
                    });
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
                        drop(slot);
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

    /// `KEY=VALUE` lines (the variable names of `docs/cli.md`) that point every azpay command here.
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
            format!("PAYRIFF_BASE_URL={}", self.base_url),
            format!("PAYRIFF_SECRET_KEY={}", config.payriff.secret_key),
            format!("AZERICARD_BASE_URL={}", self.base_url),
            format!("AZERICARD_MERCHANT_ID={}", config.azericard.terminal),
        ];
        if let Some(tls) = &self.tls {
            lines.push(format!("TWEC_CLIENT_CERT={}", tls.client_cert.display()));
            lines.push(format!("TWEC_CLIENT_KEY={}", tls.client_key.display()));
            lines.push(format!("TWEC_CA_CERT={}", tls.ca_cert.display()));
            if let Some(dir) = tls.ca_cert.parent() {
                lines.push(format!(
                    "AZERICARD_KEY_FILE_PATH={}",
                    dir.join(AZERICARD_KEY_FILE).display()
                ));
                lines.push(format!(
                    "AZERICARD_GATEWAY_PUBLIC_KEY_PATH={}",
                    dir.join(AZERICARD_GATEWAY_KEY_FILE).display()
                ));
            }
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
