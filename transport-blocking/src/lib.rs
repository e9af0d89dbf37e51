//! # azpay-transport-blocking
//!
//! A blocking [`SyncTransport`] for azpay-core over a ureq 3 agent and rustls.
//!
//! ```no_run
//! use azpay_transport_blocking::BlockingTransport;
//! let transport = BlockingTransport::builder().build()?;
//! # Ok::<(), azpay_transport_blocking::ConfigError>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::time::Duration;

use azpay_core::{
    ClientIdentity, HttpRequest, HttpResponse, SyncTransport, TransportError, TransportErrorKind,
};

/// The transport could not be configured (for example an unreadable client certificate).
#[derive(Debug)]
pub struct ConfigError(String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for ConfigError {}

/// Options for a [`BlockingTransport`].
#[derive(Debug, Clone)]
pub struct Builder {
    connect_timeout: Duration,
    timeout: Duration,
    max_response_bytes: u64,
    user_agent: String,
    identity: Option<ClientIdentity>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            max_response_bytes: azpay_core::MAX_BODY_BYTES as u64,
            user_agent: concat!("azpay/", env!("CARGO_PKG_VERSION")).to_owned(),
            identity: None,
        }
    }
}

impl Builder {
    /// Time allowed to establish the connection (default 10 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }
    /// Time allowed for the whole exchange (default 60 s).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }
    /// The largest response body accepted (default 1 MiB).
    pub fn max_response_bytes(mut self, n: u64) -> Self {
        self.max_response_bytes = n;
        self
    }
    /// The `User-Agent` header.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }
    /// The TLS client identity for mutual TLS (TWEC).
    pub fn client_identity(mut self, identity: ClientIdentity) -> Self {
        self.identity = Some(identity);
        self
    }
    /// Builds the transport.
    pub fn build(self) -> Result<BlockingTransport, ConfigError> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(self.user_agent.as_str())
            .build()
            .into();
        Ok(BlockingTransport {
            agent,
            max_response_bytes: self.max_response_bytes,
        })
    }
}

/// A blocking transport: one ureq agent with its connection pool. Cheap to share by reference
/// across threads.
#[derive(Debug, Clone)]
pub struct BlockingTransport {
    agent: ureq::Agent,
    max_response_bytes: u64,
}

impl BlockingTransport {
    /// Options, starting from the defaults.
    pub fn builder() -> Builder {
        Builder::default()
    }
}

fn classify(e: ureq::Error) -> TransportError {
    use ureq::Error as E;
    match e {
        E::HostNotFound | E::ConnectionFailed => {
            TransportError::not_sent(TransportErrorKind::Connect, e)
        }
        E::Io(ref io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            TransportError::not_sent(TransportErrorKind::Connect, e)
        }
        E::BadUri(_) | E::Http(_) => {
            TransportError::not_sent(TransportErrorKind::InvalidRequest, e)
        }
        E::Timeout(_) => TransportError::outcome_unknown(TransportErrorKind::Timeout, e),
        E::BodyExceedsLimit(_) => {
            TransportError::outcome_unknown(TransportErrorKind::ResponseTooLarge, e)
        }
        other => TransportError::outcome_unknown(TransportErrorKind::Io, other),
    }
}

impl SyncTransport for BlockingTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let response = self.agent.run(request).map_err(classify)?;
        let (parts, mut body) = response.into_parts();
        let bytes = body
            .with_config()
            .limit(self.max_response_bytes)
            .read_to_vec()
            .map_err(classify)?;
        Ok(http::Response::from_parts(parts, bytes))
    }
}
