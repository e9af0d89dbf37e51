//! # azpay-transport-hyper
//!
//! An asynchronous [`AsyncTransport`] for azpay-core over hyper 1, the hyper-util legacy
//! client (connection pool) and rustls (ring provider, webpki roots plus any CA you add;
//! server certificates are always verified).
//!
//! **Needs a tokio runtime**: [`HyperTransport::send`](AsyncTransport::send) must be awaited
//! inside one (it uses tokio's sockets and timers). Any other runtime can use the core
//! through its own [`AsyncTransport`] (see `core/examples/smol_executor.rs`).
//!
//! - Every HTTP response is returned, whatever its status; redirects are not followed.
//! - Response bodies are bounded ([`Builder::max_response_bytes`], default 1 MiB) with
//!   [`http_body_util::Limited`]: a larger body fails with
//!   [`TransportErrorKind::ResponseTooLarge`] without being buffered whole.
//! - Response heads are bounded too ([`Builder::max_header_bytes`], default 64 KiB).
//! - Failures say how far the request got ([`Phase`]); see [`HyperTransport`] for the exact
//!   mapping.
//! - Retries follow [`azpay_core::retry::RetryPolicy`] ([`Builder::retry_policy`], default
//!   [`RetryPolicy::default`]: 3 attempts, 200 ms then 400 ms with full jitter): idempotent
//!   queries ([`RequestMeta::idempotent`]) are retried after `NotSent`, `OutcomeUnknown` and
//!   HTTP 502/503/504; every other request (and any request without a [`RequestMeta`]) only
//!   after `NotSent`; TLS refusals and invalid requests are never retried (they would fail
//!   the same way). A payment whose outcome is unknown is never sent twice: reconcile it
//!   with [`azpay_core::reconcile`]. `RetryPolicy::never()` turns retries off.
//! - Connections are kept alive and reused (up to 10 idle per host, idle at most 15 s);
//!   clones share the pool.
//! - Each request is a `tracing` span `azpay.request` (gateway, operation, idempotent) with
//!   one event per attempt (attempt, status or phase and kind, duration in ms) and one per
//!   retry. Never a body, a header value, a query string or a key.
//! - The libraries below keep secrets out of logs too, at every level: hyper is built without
//!   its (unstable) `tracing` feature, so it logs nothing; hyper-util's client records name
//!   the pool key (scheme and host) and connection events; rustls logs handshake messages.
//!   None carries a header value or a body (the `trace_secrets` test captures every record at
//!   TRACE level to hold them to it).
//!
//! ```no_run
//! use std::time::Duration;
//! use azpay_core::{AsyncTransport, ClientIdentity};
//! use azpay_transport_hyper::HyperTransport;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let identity = ClientIdentity::from_pem(
//!     std::fs::read("client-chain.pem")?,
//!     std::fs::read("client-key.pem")?,
//! )
//! .with_ca_pem(std::fs::read("gateway-ca.pem")?);
//! let transport = HyperTransport::builder()
//!     .connect_timeout(Duration::from_secs(5))
//!     .timeout(Duration::from_secs(30))
//!     .client_identity(identity)
//!     .build()?;
//! let request = http::Request::get("https://example.invalid/status").body(Vec::new())?;
//! let response = transport.send(request).await?;
//! println!("{}", response.status());
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use azpay_core::retry::{copy_request, Attempts, Jitter, Next, RetryPolicy, UNKNOWN_META};
use azpay_core::transport::prepare_request;
use azpay_transport_common::{
    check_uri, connect_timeout_text, invalid_url_text, message_error, overall_timeout_text,
    request_span, response_too_large, seeded_jitter, tls, trace_attempt, trace_retry, FromOptions,
    Options,
};
use tracing::Instrument as _;

#[cfg(doc)]
use azpay_core::Phase;
use azpay_core::{
    AsyncTransport, HttpRequest, HttpResponse, RequestMeta, TransportError, TransportErrorKind,
};
use http::header::{HeaderValue, CONTENT_LENGTH};
use http::Uri;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Bytes;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder, MaybeHttpsStream};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};

pub use azpay_transport_common::from_env;
pub use azpay_transport_common::{env_lookup, ConfigError, DEFAULT_MAX_HEADER_BYTES};

/// The default `User-Agent` of this transport: `azpay/` and the crate version.
pub const DEFAULT_USER_AGENT: &str = concat!("azpay/", env!("CARGO_PKG_VERSION"));

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Options for a [`HyperTransport`]: [`azpay_transport_common::Builder`], whose setters are
/// the same on `azpay-transport-blocking`'s builder; an extra trusted CA is added with
/// [`Builder::root_ca_pem`] (the only name for it). Get one from [`HyperTransport::builder`].
///
/// Here [`Builder::timeout`] covers the whole exchange, from taking a connection to the last
/// byte of the body, and [`Builder::max_header_bytes`] is at least 8 KiB (hyper's read buffer
/// cannot be smaller).
pub type Builder = azpay_transport_common::Builder<HyperTransport>;

impl FromOptions for HyperTransport {
    const DEFAULT_USER_AGENT: &'static str = DEFAULT_USER_AGENT;

    fn from_options(o: Options) -> Result<Self, ConfigError> {
        let user_agent = o.user_agent_header()?;
        let tls = o.tls_config()?;
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        let https = HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let connector = BoundedConnector {
            inner: https,
            timeout: o.connect_timeout,
        };
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(o.max_idle_per_host)
            .pool_idle_timeout(Duration::from_secs(15))
            .pool_timer(hyper_util::rt::TokioTimer::new())
            .http1_max_buf_size(o.max_header_bytes.max(8192))
            .build(connector);
        Ok(HyperTransport {
            inner: Arc::new(Inner {
                client,
                timeout: o.timeout,
                max_response_bytes: o.max_response_bytes,
                user_agent,
                has_identity: o.identity.is_some(),
                retry: o.retry,
                jitter: seeded_jitter(),
            }),
        })
    }
}

/// The connect timeout elapsed (TCP connect plus TLS handshake).
#[derive(Debug)]
struct ConnectTimedOut(Duration);
impl fmt::Display for ConnectTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&connect_timeout_text(self.0))
    }
}
impl std::error::Error for ConnectTimedOut {}

/// The HTTPS connector with one timeout over TCP connect and TLS handshake, so that every
/// failure before the first request byte is a connect error in hyper-util's terms.
#[derive(Clone)]
struct BoundedConnector {
    inner: HttpsConnector<HttpConnector>,
    timeout: Duration,
}

type Conn = MaybeHttpsStream<TokioIo<tokio::net::TcpStream>>;

impl tower_service::Service<Uri> for BoundedConnector {
    type Response = Conn;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Conn, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        let fut = self.inner.call(uri);
        let timeout = self.timeout;
        Box::pin(async move {
            match tokio::time::timeout(timeout, fut).await {
                Ok(result) => result,
                Err(_) => Err(Box::new(ConnectTimedOut(timeout)) as BoxError),
            }
        })
    }
}

struct Inner {
    client: Client<BoundedConnector, Full<Bytes>>,
    timeout: Duration,
    max_response_bytes: u64,
    user_agent: HeaderValue,
    has_identity: bool,
    retry: RetryPolicy,
    jitter: Jitter,
}

/// An asynchronous transport: a hyper-util client with its connection pool. `Clone` is cheap
/// (an `Arc`) and clones share the pool; the transport is `Send + Sync` and its futures are
/// `Send`, so it can be shared across tasks. Must be used inside a tokio runtime.
///
/// # How failures map to [`Phase`]
///
/// | failure | phase | kind |
/// |---|---|---|
/// | request marked [`RequestMeta::requires_client_identity`], transport has no identity | `NotSent` (refused before connecting) | `ClientIdentityMissing` |
/// | URI without host, scheme other than `http`/`https`, port that is no number from 1 to 65535, host that is no valid TLS name | `NotSent` | `InvalidRequest` |
/// | sent outside a tokio runtime | `NotSent` | `Io` |
/// | name resolution failed, connection refused | `NotSent` | `Connect` |
/// | connect timeout (TCP connect plus TLS handshake) | `NotSent` | `Timeout` |
/// | TLS handshake failed: untrusted server certificate, client certificate refused | `NotSent` | `Tls` |
/// | overall timeout ([`Builder::timeout`]) | `OutcomeUnknown` | `Timeout` |
/// | connection closed or reset after the request was handed to it, truncated body | `OutcomeUnknown` | `Io` |
/// | response body larger than [`Builder::max_response_bytes`], response head larger than [`Builder::max_header_bytes`] | `OutcomeUnknown` | `ResponseTooLarge` |
///
/// Where the libraries hide the difference, the transport says `OutcomeUnknown`:
/// - the overall timeout covers the whole exchange, connecting included; when it elapses the
///   transport cannot tell whether the connection was still being made, so it never claims
///   `NotSent` (keep [`Builder::connect_timeout`] below [`Builder::timeout`] to get `NotSent`
///   for slow connects);
/// - a request that hyper reports as canceled on a fresh connection.
///
/// hyper-util's pool resends a request on a new connection only when a reused pooled
/// connection closed before the request was written to it (hyper knows it was not sent).
/// Under TLS 1.3 a refused client certificate is reported by the server after the client has
/// finished its side of the handshake, possibly after the (encrypted) request was written; the
/// server's TLS layer never hands such bytes to its application, so it is still `NotSent`.
/// When the server resets the connection instead of sending its alert, the transport cannot
/// tell and says `OutcomeUnknown`.
#[derive(Clone)]
pub struct HyperTransport {
    inner: Arc<Inner>,
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransport")
            .field("timeout", &self.inner.timeout)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field("user_agent", &self.inner.user_agent)
            .field("client_identity", &self.inner.has_identity)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl HyperTransport {
    /// Options, starting from the defaults.
    pub fn builder() -> Builder {
        Builder::default()
    }

    async fn exchange(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let inner = &self.inner;
        let response = inner
            .client
            .request(request.map(|b| Full::new(Bytes::from(b))))
            .await
            .map_err(|e| {
                let connecting = e.is_connect();
                classify(Box::new(e), connecting)
            })?;
        let (parts, body) = response.into_parts();
        let declared = parts
            .headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if let Some(n) = declared {
            if n > inner.max_response_bytes {
                return Err(response_too_large(
                    inner.max_response_bytes,
                    &format!("of {n} bytes (Content-Length)"),
                ));
            }
        }
        let limit = usize::try_from(inner.max_response_bytes).unwrap_or(usize::MAX);
        let collected = Limited::new(body, limit).collect().await.map_err(|e| {
            if e.downcast_ref::<LengthLimitError>().is_some() {
                response_too_large(inner.max_response_bytes, "read")
            } else {
                classify(e, false)
            }
        })?;
        Ok(http::Response::from_parts(
            parts,
            collected.to_bytes().to_vec(),
        ))
    }

    async fn send_request(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let meta = RequestMeta::of(&request).copied().unwrap_or(UNKNOWN_META);
        let span = request_span(&meta, &request);
        self.send_with_retries(request).instrument(span).await
    }

    async fn send_with_retries(
        &self,
        mut request: HttpRequest,
    ) -> Result<HttpResponse, TransportError> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(TransportError::not_sent(
                TransportErrorKind::Io,
                message_error("HyperTransport needs a tokio runtime; none is running"),
            ));
        }
        prepare_request(
            &mut request,
            self.inner.has_identity,
            &self.inner.user_agent,
        )?;
        check_uri(request.uri())?;
        let inner = &self.inner;
        let timeout = inner.timeout;
        let mut attempts = Attempts::new(&inner.retry, &request);
        loop {
            let attempt = attempts.attempt();
            let started = Instant::now();
            let result =
                match tokio::time::timeout(timeout, self.exchange(copy_request(&request))).await {
                    Ok(result) => result,
                    Err(_) => Err(TransportError::outcome_unknown(
                        TransportErrorKind::Timeout,
                        message_error(overall_timeout_text(timeout, false)),
                    )),
                };
            trace_attempt(attempt, &result, started);
            match attempts.next(result, inner.jitter.next()) {
                Next::Done(result) => return result,
                Next::RetryAfter(pause) => {
                    trace_retry(attempt, pause);
                    tokio::time::sleep(pause).await;
                }
            }
        }
    }
}

impl AsyncTransport for HyperTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
        let this = self.clone();
        async move { this.send_request(request).await }
    }
}

/// A hyper/hyper-util error as a `TransportError` source: displays the whole chain (hyper's
/// own `Display` shows only the top) and keeps the original error as its `source`.
#[derive(Debug)]
struct Chain(String, BoxError);
impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Chain {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.1)
    }
}

/// The whole chain, as text ("a: b: c"), since hyper's own `Display` shows only the top.
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut current = e.source();
    while let Some(err) = current {
        text.push_str(": ");
        text.push_str(&err.to_string());
        current = err.source();
    }
    text
}

fn find<'a, T: std::error::Error + 'static>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = current {
        if let Some(t) = err.downcast_ref::<T>() {
            return Some(t);
        }
        current = err.source();
    }
    None
}

/// A response head over the limit. hyper's `is_parse_too_large` exists only with its `server`
/// feature, which this crate does not need: the parse error's own text says it.
fn head_too_large(e: &hyper::Error) -> bool {
    e.is_parse() && e.to_string().contains("too large")
}

/// Classifies a failed exchange. `connecting` is hyper-util's `is_connect()`: the failure
/// happened in the connector (resolve, TCP connect, TLS handshake), before any request byte.
fn classify(e: BoxError, connecting: bool) -> TransportError {
    use TransportErrorKind as K;
    let err: &(dyn std::error::Error + 'static) = &*e;
    let rustls_error = tls::find_rustls_error(err);
    let (not_sent, kind) = if connecting {
        let kind = if find::<ConnectTimedOut>(err).is_some() {
            K::Timeout
        } else if rustls_error.is_some() {
            K::Tls
        } else if find::<rustls_pki_types::InvalidDnsNameError>(err).is_some() {
            K::InvalidRequest
        } else {
            K::Connect
        };
        (true, kind)
    } else {
        match rustls_error {
            Some(r) if tls::is_handshake_refusal(r) => (true, K::Tls),
            _ if find::<hyper::Error>(err).is_some_and(head_too_large) => {
                (false, K::ResponseTooLarge)
            }
            _ => (false, K::Io),
        }
    };
    let text = match kind {
        // Plain words first: the connect timeout's own sentence, or what is wrong with the URL.
        K::Timeout => find::<ConnectTimedOut>(err).map_or_else(|| describe(err), |t| t.to_string()),
        K::InvalidRequest => invalid_url_text(&describe(err)),
        _ => describe(err),
    };
    let source = Chain(text, e);
    if not_sent {
        TransportError::not_sent(kind, source)
    } else {
        TransportError::outcome_unknown(kind, source)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn user_agent_names_the_version() {
        assert_eq!(
            super::DEFAULT_USER_AGENT,
            format!("azpay/{}", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(
            super::HyperTransport::builder()
                .options()
                .user_agent_header()
                .expect("valid"),
            super::DEFAULT_USER_AGENT
        );
    }

    #[test]
    fn futures_are_send_and_transport_is_shareable() {
        fn send<T: Send>(_: &T) {}
        fn shareable<T: Send + Sync + Clone + 'static>() {}
        shareable::<super::HyperTransport>();
        let t = super::HyperTransport::builder()
            .build()
            .expect("default build");
        let fut = azpay_core::AsyncTransport::send(&t, http::Request::new(Vec::new()));
        send(&fut);
    }

    #[test]
    fn outside_a_tokio_runtime_sending_fails_cleanly_as_not_sent() {
        let t = super::HyperTransport::builder()
            .build()
            .expect("default build");
        let request = http::Request::get("http://127.0.0.1:9/")
            .body(Vec::new())
            .expect("request");
        let mut fut = std::pin::pin!(azpay_core::AsyncTransport::send(&t, request));
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match std::future::Future::poll(fut.as_mut(), &mut cx) {
            std::task::Poll::Ready(Err(e)) => {
                assert_eq!(e.phase, azpay_core::Phase::NotSent);
                assert!(e.to_string().contains("tokio runtime"), "{e}");
            }
            std::task::Poll::Ready(Ok(_)) => panic!("sent without a runtime"),
            std::task::Poll::Pending => panic!("pending without a runtime"),
        }
    }
}
