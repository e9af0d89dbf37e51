//! The seam between the core and the network: [`SyncTransport`], [`AsyncTransport`], and the
//! [`TransportError`] they report.
//!
//! Both traits are implemented for closures, so a test (or your own HTTP client) is one line:
//!
//! ```
//! use azpay_core::{HttpRequest, HttpResponse, SyncTransport, TransportError};
//!
//! let transport = |_request: HttpRequest| -> Result<HttpResponse, TransportError> {
//!     Ok(http::Response::new(b"{}".to_vec()))
//! };
//! let response = transport.send(http::Request::new(Vec::new()))?;
//! assert_eq!(response.body(), b"{}");
//! # Ok::<(), TransportError>(())
//! ```

use std::fmt;
use std::future::Future;

use secrecy::{ExposeSecret, SecretBox};

use crate::{HttpRequest, HttpResponse};

/// Sends one request and waits for its response, blocking the calling thread.
///
/// A transport returns every HTTP response it receives, whatever its status: the core knows
/// each gateway's error bodies. It follows no redirects.
pub trait SyncTransport {
    /// Sends the request and returns the response, or says how far the request got.
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

impl<F> SyncTransport for F
where
    F: Fn(HttpRequest) -> Result<HttpResponse, TransportError>,
{
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self(request)
    }
}

/// Sends one request asynchronously. Runtime-agnostic: nothing here needs tokio.
///
/// Implemented for closures returning a future:
///
/// ```
/// use azpay_core::{AsyncTransport, HttpRequest, HttpResponse, TransportError};
///
/// let transport = |_request: HttpRequest| async {
///     Ok::<HttpResponse, TransportError>(http::Response::new(b"{}".to_vec()))
/// };
/// # let _ = &transport;
/// ```
pub trait AsyncTransport {
    /// Sends the request and resolves to the response, or says how far the request got.
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send;
}

impl<F, Fut> AsyncTransport for F
where
    F: Fn(HttpRequest) -> Fut,
    Fut: Future<Output = Result<HttpResponse, TransportError>> + Send,
{
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
        self(request)
    }
}

/// How far a failed request got: the one fact a caller needs to decide what to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// The request certainly did not leave this machine (DNS failure, connection refused, TLS
    /// handshake or client certificate refused, invalid request). Sending it again is safe.
    NotSent,
    /// Some bytes may have reached the gateway (timeout while waiting, connection reset,
    /// truncated response). The operation may have happened: reconcile with a status query
    /// before sending a payment, refund or payout again.
    OutcomeUnknown,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::NotSent => "not sent",
            Phase::OutcomeUnknown => "outcome unknown",
        })
    }
}

/// What kind of failure a [`TransportError`] is, for logs and decisions finer than [`Phase`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The request could not be turned into bytes (bad URI, unsupported scheme).
    InvalidRequest,
    /// Name resolution or TCP connect failed.
    Connect,
    /// The TLS handshake failed (server certificate, client certificate, protocol).
    Tls,
    /// The request needs a client certificate (TWEC) and the transport has none.
    ClientIdentityMissing,
    /// A timeout elapsed.
    Timeout,
    /// The response is larger than the transport's limit.
    ResponseTooLarge,
    /// Any other I/O or protocol failure.
    Io,
}

/// A request that failed in the transport, with how far it got.
#[derive(Debug, thiserror::Error)]
#[error("transport failed ({phase}, {kind:?}): {source}")]
pub struct TransportError {
    /// Whether the request may have reached the gateway.
    pub phase: Phase,
    /// What kind of failure it was.
    pub kind: TransportErrorKind,
    /// The underlying error.
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync + 'static>,
}

impl TransportError {
    /// A failure before any byte of the request could have left.
    pub fn not_sent(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        TransportError {
            phase: Phase::NotSent,
            kind,
            source: source.into(),
        }
    }

    /// A failure after the request may have reached the gateway.
    pub fn outcome_unknown(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        TransportError {
            phase: Phase::OutcomeUnknown,
            kind,
            source: source.into(),
        }
    }
}

/// What the core knows about a request, attached to it as an [`http::Extensions`] value by
/// [`crate::execute`] and friends, so a transport can decide about retries, client
/// certificates and tracing without parsing anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestMeta {
    /// The gateway's name (`"epoint"`, `"kapital"`, `"twec"`).
    pub gateway: &'static str,
    /// The operation's name (for example `"pay"`, `"get_status"`).
    pub operation: &'static str,
    /// Whether sending the request twice is harmless (status queries).
    pub idempotent: bool,
    /// Whether the gateway needs a TLS client certificate (TWEC's mutual TLS).
    pub requires_client_identity: bool,
}

impl RequestMeta {
    /// The meta attached to a request, if any.
    pub fn of(request: &HttpRequest) -> Option<&RequestMeta> {
        request.extensions().get::<RequestMeta>()
    }
}

/// What a transport checks before it connects, and the headers it completes: a request that
/// needs a client certificate when `has_identity` is false is refused
/// ([`TransportErrorKind::ClientIdentityMissing`]); a URI that is not absolute `http`/`https`
/// with a host is refused ([`TransportErrorKind::InvalidRequest`]); both as [`Phase::NotSent`].
/// A missing `User-Agent` is set to `user_agent`, and a non-empty body gets its
/// `Content-Length`.
///
/// ```
/// use azpay_core::transport::prepare_request;
/// let mut request = http::Request::post("https://epoint.az/api/1/request").body(b"x=1".to_vec())?;
/// prepare_request(&mut request, false, &http::HeaderValue::from_static("azpay/test"))?;
/// assert_eq!(request.headers()["user-agent"], "azpay/test");
/// assert_eq!(request.headers()["content-length"], "3");
/// let mut relative = http::Request::get("/api/heartbeat").body(Vec::new())?;
/// assert!(prepare_request(&mut relative, false, &http::HeaderValue::from_static("ua")).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn prepare_request(
    request: &mut HttpRequest,
    has_identity: bool,
    user_agent: &http::HeaderValue,
) -> Result<(), TransportError> {
    use http::header::{CONTENT_LENGTH, USER_AGENT};
    let invalid = |m: String| TransportError::not_sent(TransportErrorKind::InvalidRequest, m);
    if let Some(meta) = RequestMeta::of(request) {
        if meta.requires_client_identity && !has_identity {
            return Err(TransportError::not_sent(
                TransportErrorKind::ClientIdentityMissing,
                format!(
                    "{} {} needs a TLS client certificate and the transport has none; \
                     refused before connecting",
                    meta.gateway, meta.operation
                ),
            ));
        }
    }
    match request.uri().scheme_str() {
        Some("http") | Some("https") => {}
        Some(other) => return Err(invalid(format!("unsupported URI scheme `{other}`"))),
        None => return Err(invalid("the URI is not absolute (no scheme)".into())),
    }
    if request.uri().host().is_none_or(str::is_empty) {
        return Err(invalid("the URI has no host".into()));
    }
    let headers = request.headers_mut();
    if !headers.contains_key(USER_AGENT) {
        headers.insert(USER_AGENT, user_agent.clone());
    }
    let len = request.body().len();
    if len > 0 && !request.headers().contains_key(CONTENT_LENGTH) {
        request
            .headers_mut()
            .insert(CONTENT_LENGTH, http::HeaderValue::from(len));
    }
    Ok(())
}

/// A TLS client identity for mutual TLS (TWEC): a PEM certificate chain and its private key,
/// and optionally the CA bundle (PEM) that signed the gateway's server certificate.
///
/// The core only carries the bytes; the transports parse them. The private key is a secret:
/// `Debug` never shows it.
///
/// ```
/// use azpay_core::ClientIdentity;
/// let id = ClientIdentity::from_pem(b"-----BEGIN CERTIFICATE-----...".to_vec(),
///                                   b"-----BEGIN PRIVATE KEY-----...".to_vec());
/// assert!(!format!("{id:?}").contains("PRIVATE KEY"));
/// ```
pub struct ClientIdentity {
    cert_chain_pem: Vec<u8>,
    key_pem: SecretBox<Vec<u8>>,
    ca_pem: Option<Vec<u8>>,
}

impl ClientIdentity {
    /// An identity from a PEM certificate chain and a PEM private key (PKCS#8, PKCS#1 or SEC1).
    pub fn from_pem(cert_chain_pem: Vec<u8>, key_pem: Vec<u8>) -> Self {
        ClientIdentity {
            cert_chain_pem,
            key_pem: SecretBox::new(Box::new(key_pem)),
            ca_pem: None,
        }
    }

    /// Also trust this CA bundle (PEM) for the gateway's server certificate. Verification is
    /// never turned off; this only adds roots.
    pub fn with_ca_pem(mut self, ca_pem: Vec<u8>) -> Self {
        self.ca_pem = Some(ca_pem);
        self
    }

    /// The certificate chain, PEM.
    pub fn cert_chain_pem(&self) -> &[u8] {
        &self.cert_chain_pem
    }

    /// The private key, PEM. Handle with care: it is a secret.
    pub fn key_pem(&self) -> &[u8] {
        self.key_pem.expose_secret()
    }

    /// The extra CA bundle, PEM, if one was given.
    pub fn ca_pem(&self) -> Option<&[u8]> {
        self.ca_pem.as_deref()
    }
}

impl Clone for ClientIdentity {
    fn clone(&self) -> Self {
        ClientIdentity {
            cert_chain_pem: self.cert_chain_pem.clone(),
            key_pem: SecretBox::new(Box::new(self.key_pem.expose_secret().clone())),
            ca_pem: self.ca_pem.clone(),
        }
    }
}

impl fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientIdentity")
            .field(
                "cert_chain_pem",
                &format_args!("{} bytes", self.cert_chain_pem.len()),
            )
            .field("key_pem", &format_args!("<redacted>"))
            .field("ca_pem", &self.ca_pem.as_ref().map(|c| c.len()))
            .finish()
    }
}
