//! # azpay-transport-common
//!
//! What azpay's transports (`azpay-transport-blocking` over ureq, `azpay-transport-hyper` over
//! hyper) share, so that it is written once; each transport keeps only its own I/O.
//!
//! - [`tls`]: the rustls client configuration (ring provider, webpki roots plus extra CAs,
//!   optional client identity) and how TLS failures are recognised.
//! - [`Options`]: the builder options both transports take, with their defaults, and
//!   [`Builder`], their one builder with the setters written once; each transport implements
//!   [`FromOptions`] to be built from it.
//! - [`ConfigError`]: building a transport failed (each transport re-exports it).
//! - [`env_lookup`]: the environment as a configuration lookup (each transport re-exports it).
//! - [`seeded_jitter`]: the retry jitter generator, seeded outside the pure core.
//! - [`request_span`], [`trace_attempt`], [`trace_retry`]: the `tracing` output of a request.
//! - [`response_too_large`], [`message_error`]: error sources both transports build.
//!
//! Applications use a transport crate, not this one. `azpay-core` never depends on it, so the
//! core stays free of TLS and runtime crates.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod tls;

use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, Instant};

use azpay_core::retry::{Jitter, RetryPolicy};
use azpay_core::{
    ClientIdentity, HttpRequest, HttpResponse, RequestMeta, TransportError, TransportErrorKind,
};
use http::header::HeaderValue;

/// The default largest response head (status line and headers): 64 KiB.
pub const DEFAULT_MAX_HEADER_BYTES: usize = 64 * 1024;

/// The transport could not be configured (for example an unreadable client certificate or
/// private key, or a user agent that is no valid header value). The message names what was
/// wrong; it never contains key material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(String);

impl ConfigError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ConfigError(message.into())
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for ConfigError {}

/// The options of a transport builder: [`Builder`] sets them, and each transport's
/// [`FromOptions::from_options`] reads them.
///
/// `Debug` shows the client identity only through [`ClientIdentity`]'s own redacting `Debug`
/// and the extra root CAs only as a count.
#[derive(Clone)]
pub struct Options {
    /// Time allowed to establish a connection: TCP connect and TLS handshake (default 10 s).
    pub connect_timeout: Duration,
    /// Time allowed for one attempt, up to the last byte of the response body (default 60 s).
    pub timeout: Duration,
    /// The largest response body accepted (default [`azpay_core::MAX_BODY_BYTES`], 1 MiB).
    pub max_response_bytes: u64,
    /// The largest response head accepted (default [`DEFAULT_MAX_HEADER_BYTES`], 64 KiB).
    pub max_header_bytes: usize,
    /// The `User-Agent` set on requests that carry none.
    pub user_agent: String,
    /// The TLS client identity for mutual TLS, if any.
    pub identity: Option<ClientIdentity>,
    /// PEM bundles of CAs trusted in addition to the webpki roots.
    pub extra_roots_pem: Vec<Vec<u8>>,
    /// When to send a request again (default [`RetryPolicy::default`]).
    pub retry: RetryPolicy,
    /// How many idle connections to keep per host (default 10; 0 turns reuse off).
    pub max_idle_per_host: usize,
}

impl Options {
    /// The defaults, with `user_agent` as the `User-Agent` (each transport passes its own
    /// `DEFAULT_USER_AGENT`, `azpay/<version>`).
    pub fn new(user_agent: &str) -> Self {
        Options {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            max_response_bytes: azpay_core::MAX_BODY_BYTES as u64,
            max_header_bytes: DEFAULT_MAX_HEADER_BYTES,
            user_agent: user_agent.to_owned(),
            identity: None,
            extra_roots_pem: Vec::new(),
            retry: RetryPolicy::default(),
            max_idle_per_host: 10,
        }
    }

    /// The `User-Agent` as a header value; fails if it is not a valid one.
    pub fn user_agent_header(&self) -> Result<HeaderValue, ConfigError> {
        HeaderValue::from_str(&self.user_agent)
            .map_err(|_| ConfigError::new("user agent: not a valid header value"))
    }

    /// The rustls client configuration for these options: webpki roots, the extra root CAs,
    /// the client identity's CA bundle and the client identity itself (see
    /// [`tls::client_config`]).
    pub fn tls_config(&self) -> Result<rustls::ClientConfig, ConfigError> {
        tls::client_config(&self.extra_roots_pem, self.identity.as_ref())
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_header_bytes", &self.max_header_bytes)
            .field("user_agent", &self.user_agent)
            // ClientIdentity's own Debug redacts the key.
            .field("identity", &self.identity)
            .field("extra_root_cas", &self.extra_roots_pem.len())
            .field("retry", &self.retry)
            .field("max_idle_per_host", &self.max_idle_per_host)
            .finish()
    }
}

/// What a transport implements so that [`Builder<T>`](Builder) can build it: its default
/// `User-Agent` and how it is made from the [`Options`].
pub trait FromOptions: Sized {
    /// The `User-Agent` a new builder starts with (`azpay/<version>`).
    const DEFAULT_USER_AGENT: &'static str;

    /// Builds the transport from the options (parsing the certificates and key).
    fn from_options(options: Options) -> Result<Self, ConfigError>;
}

/// The builder of a transport `T`: the [`Options`] with one setter each, written once for both
/// transports. Each transport names it (`azpay_transport_blocking::Builder`,
/// `azpay_transport_hyper::Builder`) and hands one out from its `builder()` function;
/// [`Builder::build`] makes the transport.
///
/// An extra trusted CA is added with [`Builder::root_ca_pem`] (the only name for it).
pub struct Builder<T> {
    options: Options,
    transport: PhantomData<fn() -> T>,
}

impl<T> Clone for Builder<T> {
    fn clone(&self) -> Self {
        Builder {
            options: self.options.clone(),
            transport: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Builder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Options' own Debug redacts the client key and counts the extra roots.
        f.debug_struct("Builder")
            .field("options", &self.options)
            .finish()
    }
}

impl<T: FromOptions> Default for Builder<T> {
    fn default() -> Self {
        Builder::from_options(Options::new(T::DEFAULT_USER_AGENT))
    }
}

impl<T: FromOptions> Builder<T> {
    /// Builds the transport, parsing the certificates and key. Fails with a [`ConfigError`]
    /// naming what was wrong (never showing key material).
    pub fn build(self) -> Result<T, ConfigError> {
        T::from_options(self.options)
    }
}

impl<T> Builder<T> {
    /// A builder starting from these options.
    pub fn from_options(options: Options) -> Self {
        Builder {
            options,
            transport: PhantomData,
        }
    }

    /// The options set so far.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Time allowed to establish a connection: TCP connect and TLS handshake (default 10 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.options.connect_timeout = d;
        self
    }

    /// Time allowed for one attempt, up to the last byte of the response body (default 60 s).
    /// Each retry gets the same time again.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.options.timeout = d;
        self
    }

    /// The largest response body accepted (default 1 MiB,
    /// [`MAX_BODY_BYTES`](azpay_core::MAX_BODY_BYTES)); a larger one fails with
    /// `ResponseTooLarge`, `OutcomeUnknown`, without being buffered whole.
    pub fn max_response_bytes(mut self, n: u64) -> Self {
        self.options.max_response_bytes = n;
        self
    }

    /// The largest response head (status line and headers) accepted (default 64 KiB); a
    /// larger one fails with `ResponseTooLarge`, `OutcomeUnknown`.
    pub fn max_header_bytes(mut self, n: usize) -> Self {
        self.options.max_header_bytes = n;
        self
    }

    /// When to send a request again (default [`RetryPolicy::default`]; off:
    /// [`RetryPolicy::never`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = policy;
        self
    }

    /// How many idle connections to keep per host for reuse (default 10; 0 turns keep-alive
    /// reuse off).
    pub fn max_idle_per_host(mut self, n: usize) -> Self {
        self.options.max_idle_per_host = n;
        self
    }

    /// The `User-Agent` header, set on requests that carry none (default `azpay/<version>`).
    /// An invalid header value makes [`Builder::build`] fail.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.options.user_agent = ua.into();
        self
    }

    /// The TLS client identity for mutual TLS (TWEC). Its CA bundle, if any, is added to the
    /// trusted roots.
    pub fn client_identity(mut self, identity: ClientIdentity) -> Self {
        self.options.identity = Some(identity);
        self
    }

    /// Also trust the CA certificate(s) in this PEM bundle for server certificates, in
    /// addition to the webpki roots (private CAs, tests). May be called more than once.
    /// Verification is never turned off.
    pub fn root_ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.options.extra_roots_pem.push(pem.into());
        self
    }
}

/// Reads the environment variable `name` for a configuration lookup: `Some` only when it is
/// set, valid UTF-8 and not empty (an empty `KAPITAL_BASE_URL=` means "not set", as in the
/// `azpay` command). Pass it to a gateway config's lookup constructor.
pub fn env_lookup(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// Builds a gateway configuration from the process environment, with the variable names of
/// the `azpay` command (`EPOINT_PUBLIC_KEY`, `KAPITAL_BASE_URL`, …; see
/// `docs/configuration.md`): the config's own lookup constructor reading [`env_lookup`].
/// `azpay sandbox` prints these variables for the local sandbox.
pub fn from_env<C: azpay_core::FromLookup>() -> Result<C, azpay_core::BuildError> {
    C::from_lookup(env_lookup)
}

/// A jitter generator seeded from the standard library's randomly keyed hasher and the clock
/// (the core's generator reads neither). Not for secrets.
pub fn seeded_jitter() -> Jitter {
    use std::hash::BuildHasher;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    Jitter::new(std::collections::hash_map::RandomState::new().hash_one(nanos))
}

/// The `azpay.request` span of one request: gateway, operation, idempotent, method and host.
/// Never a query string, a header value or a body.
pub fn request_span(meta: &RequestMeta, request: &HttpRequest) -> tracing::Span {
    tracing::info_span!(
        "azpay.request",
        gateway = meta.gateway,
        operation = meta.operation,
        idempotent = meta.idempotent,
        method = %request.method(),
        host = request.uri().host().unwrap_or(""),
    )
}

/// The `azpay.response` / `azpay.transport_error` event of one attempt: status or phase and
/// kind, and its duration; never a body or a header value.
pub fn trace_attempt(
    attempt: u32,
    result: &Result<HttpResponse, TransportError>,
    started: Instant,
) {
    let duration_ms = started.elapsed().as_millis() as u64;
    match result {
        Ok(response) => tracing::info!(
            attempt,
            status = response.status().as_u16(),
            duration_ms,
            "azpay.response"
        ),
        Err(e) => tracing::warn!(
            attempt,
            phase = %e.phase,
            kind = ?e.kind,
            duration_ms,
            "azpay.transport_error"
        ),
    }
}

/// The `azpay.retry` event: attempt `attempt` failed and the next one follows after `pause`.
pub fn trace_retry(attempt: u32, pause: Duration) {
    tracing::info!(attempt, pause_ms = pause.as_millis() as u64, "azpay.retry");
}

/// An error source that is just a message.
#[derive(Debug)]
struct Message(String);
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Message {}

/// A `TransportError` source that is just a message (it must never contain a secret).
pub fn message_error(message: impl Into<String>) -> Box<dyn std::error::Error + Send + Sync> {
    Box::new(Message(message.into()))
}

/// An error whose text is a plain sentence naming the setting involved, keeping the HTTP
/// client's own (terse) error as its `source`.
#[derive(Debug)]
struct Plain {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}
impl fmt::Display for Plain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for Plain {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A `TransportError` source whose text is `message`, a plain sentence (it must never contain
/// a secret), with the HTTP client's own error kept as its `source`.
pub fn plain_error(
    message: impl Into<String>,
    source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
) -> Box<dyn std::error::Error + Send + Sync> {
    Box::new(Plain {
        message: message.into(),
        source: Some(source.into()),
    })
}

/// A duration as people write it: `30 s`, `1.5 s`, `250 ms`.
pub fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms >= 1000 && ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else if ms >= 1000 {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        format!("{ms} ms")
    }
}

/// The sentence for an elapsed overall timeout ([`Builder::timeout`]); `connecting` when it
/// elapsed before the connection was made.
pub fn overall_timeout_text(timeout: Duration, connecting: bool) -> String {
    if connecting {
        format!(
            "could not connect within the overall timeout (Builder::timeout, {})",
            human_duration(timeout)
        )
    } else {
        format!(
            "the request took longer than the overall timeout (Builder::timeout, {}); the \
             gateway may still have acted on it",
            human_duration(timeout)
        )
    }
}

/// The sentence for an elapsed connect timeout ([`Builder::connect_timeout`]).
pub fn connect_timeout_text(timeout: Duration) -> String {
    format!(
        "could not connect (TCP and TLS handshake) within the connect timeout \
         (Builder::connect_timeout, {})",
        human_duration(timeout)
    )
}

/// The sentence for a request URL the HTTP client refused (`detail` is the client's words).
pub fn invalid_url_text(detail: &str) -> String {
    format!(
        "the request URL cannot be used ({detail}); check the gateway's base URL in its \
         config (base_url, or the *_BASE_URL environment variable)"
    )
}

/// Refuses, before any connection, a URI the HTTP clients would misread: a port that is not a
/// number from 1 to 65535 (`http://host:99999/` would otherwise go to the scheme's default
/// port). `NotSent`, `InvalidRequest`.
pub fn check_uri(uri: &http::Uri) -> Result<(), TransportError> {
    let Some(authority) = uri.authority() else {
        return Ok(());
    };
    let host_port = authority.as_str().rsplit('@').next().unwrap_or("");
    // After an IPv6 literal's `]`, or after the only `:` of a name or IPv4 address.
    let port = match host_port.rfind(']') {
        Some(end) => host_port[end + 1..].strip_prefix(':'),
        None => host_port.split_once(':').map(|(_, p)| p),
    };
    match port {
        None => Ok(()),
        Some(p) if p.parse::<u16>().is_ok_and(|n| n > 0) => Ok(()),
        Some(p) => Err(TransportError::not_sent(
            TransportErrorKind::InvalidRequest,
            Message(invalid_url_text(&format!(
                "its port `{p}` is not a number from 1 to 65535"
            ))),
        )),
    }
}

/// The error for a response body over the limit: `ResponseTooLarge`, `OutcomeUnknown`.
/// `detail` says how it was found ("read", or the declared `Content-Length`).
pub fn response_too_large(limit: u64, detail: &str) -> TransportError {
    TransportError::outcome_unknown(
        TransportErrorKind::ResponseTooLarge,
        Message(format!(
            "response body {detail} exceeds the limit of {limit} bytes"
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake(Options);
    impl FromOptions for Fake {
        const DEFAULT_USER_AGENT: &'static str = "azpay/fake";
        fn from_options(options: Options) -> Result<Self, ConfigError> {
            options.user_agent_header()?;
            Ok(Fake(options))
        }
    }

    #[test]
    fn the_setters_write_the_options() {
        let b = Builder::<Fake>::default()
            .connect_timeout(Duration::from_secs(1))
            .timeout(Duration::from_secs(2))
            .max_response_bytes(3)
            .max_header_bytes(4)
            .retry_policy(RetryPolicy::never())
            .max_idle_per_host(5)
            .user_agent("ua/6")
            .root_ca_pem(b"a".to_vec())
            .root_ca_pem(b"b".to_vec())
            .client_identity(ClientIdentity::from_pem(
                b"chain".to_vec(),
                b"secret-key".to_vec(),
            ));
        assert!(!format!("{b:?}").contains("secret-key"));
        let o = &b.build().expect("valid options").0;
        assert_eq!(o.connect_timeout, Duration::from_secs(1));
        assert_eq!(o.timeout, Duration::from_secs(2));
        assert_eq!(o.max_response_bytes, 3);
        assert_eq!(o.max_header_bytes, 4);
        assert_eq!(o.retry, RetryPolicy::never());
        assert_eq!(o.max_idle_per_host, 5);
        assert_eq!(o.user_agent, "ua/6");
        assert_eq!(o.extra_roots_pem, vec![b"a".to_vec(), b"b".to_vec()]);
        let identity = o.identity.as_ref().expect("identity set");
        assert_eq!(identity.cert_chain_pem(), b"chain");
        assert!(!format!("{o:?}").contains("secret-key"));
    }

    #[test]
    fn the_builder_starts_with_the_transport_user_agent_and_build_checks_it() {
        let b = Builder::<Fake>::default();
        assert_eq!(b.options().user_agent, "azpay/fake");
        let err = b.user_agent("bad\nagent").build().err().expect("newline");
        assert_eq!(err.to_string(), "user agent: not a valid header value");
    }

    #[test]
    fn defaults() {
        let o = Options::new("azpay/x");
        assert_eq!(o.connect_timeout, Duration::from_secs(10));
        assert_eq!(o.timeout, Duration::from_secs(60));
        assert_eq!(o.max_response_bytes, azpay_core::MAX_BODY_BYTES as u64);
        assert_eq!(o.max_header_bytes, 64 * 1024);
        assert_eq!(o.max_idle_per_host, 10);
        assert_eq!(o.retry, RetryPolicy::default());
        assert_eq!(
            o.user_agent_header().expect("valid"),
            HeaderValue::from_static("azpay/x")
        );
    }

    #[test]
    fn an_invalid_user_agent_is_a_config_error() {
        let err = Options::new("bad\nagent")
            .user_agent_header()
            .expect_err("newline");
        assert_eq!(err.to_string(), "user agent: not a valid header value");
    }

    #[test]
    fn debug_counts_the_extra_roots_instead_of_printing_them() {
        let mut o = Options::new("azpay/x");
        o.extra_roots_pem
            .push(b"-----BEGIN CERTIFICATE-----".to_vec());
        let text = format!("{o:?}");
        assert!(text.contains("extra_root_cas: 1"), "{text}");
        assert!(!text.contains("BEGIN"), "{text}");
    }

    #[test]
    fn env_lookup_reads_set_non_empty_variables_only() {
        // Names no other test reads.
        std::env::set_var("AZPAY_TEST_ENV_LOOKUP_SET", "https://sandbox.example");
        std::env::set_var("AZPAY_TEST_ENV_LOOKUP_EMPTY", "");
        assert_eq!(
            env_lookup("AZPAY_TEST_ENV_LOOKUP_SET").as_deref(),
            Some("https://sandbox.example")
        );
        assert_eq!(env_lookup("AZPAY_TEST_ENV_LOOKUP_EMPTY"), None);
        assert_eq!(env_lookup("AZPAY_TEST_ENV_LOOKUP_NEVER_SET"), None);
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(human_duration(Duration::from_secs(30)), "30 s");
        assert_eq!(human_duration(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(human_duration(Duration::from_millis(250)), "250 ms");
    }

    #[test]
    fn a_port_that_does_not_parse_is_refused_before_connecting() {
        for bad in [
            "http://127.0.0.1:99999/x",
            "http://127.0.0.1:0/x",
            "https://example.com:65536/",
            "http://[::1]:70000/",
            "http://127.0.0.1:/x",
        ] {
            let e = check_uri(&bad.parse().unwrap()).expect_err(bad);
            assert_eq!(e.phase, azpay_core::Phase::NotSent, "{bad}");
            assert_eq!(e.kind, TransportErrorKind::InvalidRequest, "{bad}");
            assert!(e.to_string().contains("base URL"), "{e}");
        }
        assert!(check_uri(&"http://127.0.0.1:99999/x".parse().unwrap())
            .unwrap_err()
            .to_string()
            .contains("port `99999` is not a number from 1 to 65535"));
        for good in [
            "http://127.0.0.1:8080/x",
            "https://epoint.az/api/1/request",
            "http://[::1]:9/",
            "http://[::1]/",
            "http://user:pw@host:443/",
        ] {
            assert!(check_uri(&good.parse().unwrap()).is_ok(), "{good}");
        }
    }

    #[test]
    fn a_plain_error_keeps_the_clients_error_as_its_source() {
        let e = plain_error(
            overall_timeout_text(Duration::from_secs(30), false),
            message_error("timeout: global"),
        );
        assert!(e.to_string().starts_with(
            "the request took longer than the overall timeout (Builder::timeout, 30 s)"
        ));
        assert_eq!(e.source().unwrap().to_string(), "timeout: global");
    }

    #[test]
    fn too_large_is_outcome_unknown() {
        let e = response_too_large(10, "read");
        assert_eq!(e.phase, azpay_core::Phase::OutcomeUnknown);
        assert_eq!(e.kind, TransportErrorKind::ResponseTooLarge);
        assert!(e.to_string().contains("limit of 10 bytes"), "{e}");
    }
}
