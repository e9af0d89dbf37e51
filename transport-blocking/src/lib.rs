//! # azpay-transport-blocking
//!
//! A blocking [`SyncTransport`] for azpay-core over a ureq 3 agent and rustls (ring provider,
//! webpki roots plus any CA you add; server certificates are always verified).
//!
//! - Every HTTP response is returned, whatever its status; redirects are not followed.
//! - Response bodies are bounded ([`Builder::max_response_bytes`], default 1 MiB): a larger
//!   body fails with [`TransportErrorKind::ResponseTooLarge`] without being buffered whole.
//! - Response heads are bounded too ([`Builder::max_header_bytes`], default 64 KiB).
//! - Failures say how far the request got ([`Phase`]); see [`BlockingTransport`] for the
//!   exact mapping.
//! - Retries follow [`azpay_core::retry::RetryPolicy`] ([`Builder::retry_policy`], default
//!   [`RetryPolicy::default`]: 3 attempts, 200 ms then 400 ms with full jitter): idempotent
//!   queries ([`RequestMeta::idempotent`](azpay_core::RequestMeta::idempotent)) are retried after `NotSent`, `OutcomeUnknown` and
//!   HTTP 502/503/504; every other request (and any request without a [`RequestMeta`](azpay_core::RequestMeta)) only
//!   after `NotSent`; TLS refusals and invalid requests are never retried (they would fail
//!   the same way). A payment whose outcome is unknown is never sent twice: reconcile it
//!   with [`azpay_core::reconcile`]. `RetryPolicy::never()` turns retries off.
//! - Connections are kept alive and reused (a pool of 10 idle connections per host, idle for
//!   at most 15 s); the transport is `Clone` (clones share the pool) and `Send + Sync`.
//! - Each request is a `tracing` span `azpay.request` (gateway, operation, idempotent) with
//!   one event per attempt (attempt, status or phase and kind, duration in ms) and one per
//!   retry. Never a body, a header value, a query string or a key.
//! - The libraries below keep secrets out of logs too, whatever the application's filter:
//!   ureq's protocol layer hex-dumps every byte it writes and reads (credentials, signatures,
//!   bodies) at TRACE level through the `log` crate, so this crate turns on `log`'s
//!   `max_level_debug` and `release_max_level_debug` features, which compile every
//!   `log::trace!` out. ureq's DEBUG records name the method, the host, a redacted path
//!   (`/******`) and only non-sensitive headers (content type and length, host, user agent…).
//!   The trade-off: cargo features are global, so `log`'s TRACE records are gone from every
//!   crate of a program that uses this transport (`tracing`'s own TRACE is not affected).
//!
//! ```no_run
//! use std::time::Duration;
//! use azpay_core::{ClientIdentity, SyncTransport};
//! use azpay_transport_blocking::BlockingTransport;
//!
//! let identity = ClientIdentity::from_pem(
//!     std::fs::read("client-chain.pem")?,
//!     std::fs::read("client-key.pem")?,
//! )
//! .with_ca_pem(std::fs::read("gateway-ca.pem")?);
//! let transport = BlockingTransport::builder()
//!     .connect_timeout(Duration::from_secs(5))
//!     .timeout(Duration::from_secs(30))
//!     .client_identity(identity)
//!     .build()?;
//! let request = http::Request::get("https://example.invalid/status").body(Vec::new())?;
//! let response = transport.send(request)?;
//! println!("{}", response.status());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// The README's Rust snippets, compiled as doctests (`no_run`: they need a running sandbox).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// The Rust snippets of `docs/configuration.md`, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/configuration.md")]
pub struct ConfigurationDoctests;

mod connector;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use azpay_core::retry::{copy_request, Attempts, Jitter, Next, RetryPolicy};
use azpay_core::transport::prepare_request;
use azpay_transport_common::{
    check_uri, connect_timeout_text, invalid_url_text, overall_timeout_text, plain_error,
    request_span, response_too_large, seeded_jitter, tls, trace_attempt, trace_retry, FromOptions,
    Options,
};

#[cfg(doc)]
use azpay_core::Phase;
use azpay_core::{HttpRequest, HttpResponse, SyncTransport, TransportError, TransportErrorKind};
use http::header::{HeaderValue, CONTENT_LENGTH};

use connector::{ConnectFailed, PhasedConnector};

pub use azpay_transport_common::from_env;
pub use azpay_transport_common::{env_lookup, ConfigError, DEFAULT_MAX_HEADER_BYTES};

/// The default `User-Agent` of this transport: `azpay/` and the crate version.
pub const DEFAULT_USER_AGENT: &str = concat!("azpay/", env!("CARGO_PKG_VERSION"));

/// Options for a [`BlockingTransport`]: [`azpay_transport_common::Builder`], whose setters are
/// the same on `azpay-transport-hyper`'s builder; an extra trusted CA is added with
/// [`Builder::root_ca_pem`] (the only name for it). Get one from
/// [`BlockingTransport::builder`].
pub type Builder = azpay_transport_common::Builder<BlockingTransport>;

impl FromOptions for BlockingTransport {
    const DEFAULT_USER_AGENT: &'static str = DEFAULT_USER_AGENT;

    fn from_options(o: Options) -> Result<Self, ConfigError> {
        let user_agent = o.user_agent_header()?;
        let tls = o.tls_config()?;
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(o.connect_timeout))
            .timeout_global(Some(o.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .max_response_header_size(o.max_header_bytes)
            .max_idle_connections(
                o.max_idle_per_host
                    .saturating_mul(10)
                    .max(o.max_idle_per_host),
            )
            .max_idle_connections_per_host(o.max_idle_per_host)
            .max_idle_age(Duration::from_secs(15))
            .proxy(None)
            .build();
        let agent = ureq::Agent::with_parts(
            config,
            PhasedConnector::new(Arc::new(tls)),
            connector::PhasedResolver::default(),
        );
        Ok(BlockingTransport {
            agent,
            max_response_bytes: o.max_response_bytes,
            user_agent,
            has_identity: o.identity.is_some(),
            retry: o.retry,
            jitter: Arc::new(seeded_jitter()),
            timeouts: Timeouts {
                connect: o.connect_timeout,
                overall: o.timeout,
            },
        })
    }
}

/// A blocking transport: one ureq agent with its connection pool. Cheap to clone; share it
/// by reference across threads.
///
/// # How failures map to [`Phase`]
///
/// | failure | phase | kind |
/// |---|---|---|
/// | request marked [`RequestMeta::requires_client_identity`](azpay_core::RequestMeta::requires_client_identity), transport has no identity | `NotSent` (refused before connecting) | `ClientIdentityMissing` |
/// | URI without host, scheme other than `http`/`https`, port that is no number from 1 to 65535, invalid header | `NotSent` | `InvalidRequest` |
/// | name resolution failed, connection refused | `NotSent` | `Connect` |
/// | connect timeout (TCP connect plus TLS handshake), even when it is the overall timeout that elapses while connecting | `NotSent` | `Timeout` |
/// | TLS handshake failed: untrusted server certificate, client certificate refused | `NotSent` | `Tls` |
/// | any timeout after the connection is established | `OutcomeUnknown` | `Timeout` |
/// | connection closed or reset after the request was written, truncated body | `OutcomeUnknown` | `Io` |
/// | response body larger than [`Builder::max_response_bytes`], response head larger than [`Builder::max_header_bytes`] | `OutcomeUnknown` | `ResponseTooLarge` |
///
/// A refused client certificate under TLS 1.3 is reported by the server after the client has
/// finished its side of the handshake, possibly after the (encrypted) request was written; the
/// server's TLS layer never hands such bytes to its application, so it is still `NotSent`.
/// When the server resets the connection instead of sending its alert, the transport cannot
/// tell and says `OutcomeUnknown`.
#[derive(Clone)]
pub struct BlockingTransport {
    agent: ureq::Agent,
    max_response_bytes: u64,
    user_agent: HeaderValue,
    has_identity: bool,
    retry: RetryPolicy,
    jitter: Arc<Jitter>,
    timeouts: Timeouts,
}

impl fmt::Debug for BlockingTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingTransport")
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent", &self.user_agent)
            .field("client_identity", &self.has_identity)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl BlockingTransport {
    /// Options, starting from the defaults.
    pub fn builder() -> Builder {
        Builder::default()
    }
}

/// A ureq error as a `TransportError` source.
fn boxed(e: ureq::Error) -> Box<dyn std::error::Error + Send + Sync> {
    Box::new(e)
}

/// The rustls error inside a ureq error, if any (ureq's errors expose no `source`).
fn rustls_error(e: &ureq::Error) -> Option<&rustls::Error> {
    match e {
        ureq::Error::Rustls(r) => Some(r),
        ureq::Error::Io(io) => tls::find_rustls_error(io),
        _ => None,
    }
}

/// The two timeouts, to name them in plain words when one elapses.
#[derive(Clone, Copy, Debug)]
struct Timeouts {
    connect: Duration,
    overall: Duration,
}

impl Timeouts {
    /// The sentence for ureq's terse `timeout: …`; `connecting` when nothing was sent yet.
    fn text(&self, which: ureq::Timeout, connecting: bool) -> String {
        match which {
            ureq::Timeout::Connect | ureq::Timeout::Resolve => connect_timeout_text(self.connect),
            _ => overall_timeout_text(self.overall, connecting),
        }
    }
}

/// Classifies a failure of the connection phase (inside the connector): never sent.
fn classify_connect(e: ureq::Error, timeouts: &Timeouts) -> TransportError {
    match &e {
        ureq::Error::Timeout(which) => TransportError::not_sent(
            TransportErrorKind::Timeout,
            plain_error(timeouts.text(*which, true), ConnectFailed(e)),
        ),
        other if rustls_error(other).is_some() => {
            TransportError::not_sent(TransportErrorKind::Tls, ConnectFailed(e))
        }
        _ => TransportError::not_sent(TransportErrorKind::Connect, ConnectFailed(e)),
    }
}

/// Classifies a failure of `agent.run` or of reading the body.
fn classify(e: ureq::Error, timeouts: &Timeouts) -> TransportError {
    use ureq::Error as E;
    use TransportErrorKind as K;
    match e {
        E::Other(inner) => match inner.downcast::<ConnectFailed>() {
            Ok(connect) => classify_connect(connect.0, timeouts),
            Err(other) => TransportError::outcome_unknown(K::Io, boxed(E::Other(other))),
        },
        // Resolution happens before connecting.
        E::HostNotFound => TransportError::not_sent(K::Connect, boxed(e)),
        E::Timeout(which @ (ureq::Timeout::Resolve | ureq::Timeout::Connect)) => {
            TransportError::not_sent(K::Timeout, plain_error(timeouts.text(which, true), e))
        }
        E::BadUri(_) | E::Http(_) | E::RequireHttpsOnly(_) => {
            let text = invalid_url_text(&e.to_string());
            TransportError::not_sent(K::InvalidRequest, plain_error(text, e))
        }
        E::Timeout(which) => {
            TransportError::outcome_unknown(K::Timeout, plain_error(timeouts.text(which, false), e))
        }
        E::LargeResponseHeader(..) => {
            TransportError::outcome_unknown(K::ResponseTooLarge, boxed(e))
        }
        other => match rustls_error(&other) {
            Some(r) if tls::is_handshake_refusal(r) => {
                TransportError::not_sent(K::Tls, boxed(other))
            }
            _ => TransportError::outcome_unknown(K::Io, boxed(other)),
        },
    }
}

impl SyncTransport for BlockingTransport {
    fn send(&self, mut request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut attempts = Attempts::new(&self.retry, &request);
        let meta = *attempts.meta();
        let span = request_span(&meta, &request);
        let _entered = span.enter();
        prepare_request(&mut request, self.has_identity, &self.user_agent)?;
        check_uri(request.uri())?;
        loop {
            let attempt = attempts.attempt();
            let started = Instant::now();
            let result = self.send_once(copy_request(&request));
            trace_attempt(attempt, &result, started);
            match attempts.next(result, self.jitter.next()) {
                Next::Done(result) => return result,
                Next::RetryAfter(pause) => {
                    trace_retry(attempt, pause);
                    std::thread::sleep(pause);
                }
            }
        }
    }
}

impl BlockingTransport {
    fn send_once(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let response = self
            .agent
            .run(request)
            .map_err(|e| classify(e, &self.timeouts))?;
        let (parts, mut body) = response.into_parts();
        let declared = parts
            .headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if let Some(n) = declared {
            if n > self.max_response_bytes {
                return Err(response_too_large(
                    self.max_response_bytes,
                    &format!("of {n} bytes (Content-Length)"),
                ));
            }
        }
        let bytes = body
            .with_config()
            .limit(self.max_response_bytes)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => {
                    response_too_large(self.max_response_bytes, "read")
                }
                other => classify(other, &self.timeouts),
            })?;
        Ok(http::Response::from_parts(parts, bytes))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_transport_is_shareable_across_threads() {
        fn shareable<T: Send + Sync + Clone + 'static>() {}
        shareable::<super::BlockingTransport>();
    }

    #[test]
    fn the_default_user_agent_names_the_version() {
        assert_eq!(
            super::DEFAULT_USER_AGENT,
            format!("azpay/{}", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(
            super::BlockingTransport::builder()
                .options()
                .user_agent_header()
                .expect("valid"),
            super::DEFAULT_USER_AGENT
        );
    }
}
