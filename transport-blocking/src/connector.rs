//! A ureq connector (TCP, then rustls for `https`) that marks every failure of the connection
//! phase, so the transport can say for certain that the request was not sent.

use std::fmt;
use std::io::{Read, Write};
use std::sync::Arc;

use rustls::{ClientConfig, ClientConnection, StreamOwned};
use rustls_pki_types::ServerName;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, LazyBuffers, NextTimeout, TcpConnector, Transport,
    TransportAdapter,
};

/// A failure while connecting (TCP connect or TLS handshake): no byte of the request was
/// written. Carried through ureq inside `ureq::Error::Other`.
#[derive(Debug)]
pub(crate) struct ConnectFailed(pub(crate) ureq::Error);

impl fmt::Display for ConnectFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not connect: {}", self.0)
    }
}

impl std::error::Error for ConnectFailed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

fn mark(e: ureq::Error) -> ureq::Error {
    ureq::Error::Other(Box::new(ConnectFailed(e)))
}

/// TCP (ureq's own connector, with its connect timeout) followed by rustls with our
/// configuration. No proxy support: the agent is configured without one.
pub(crate) struct PhasedConnector {
    tcp: TcpConnector,
    tls: Arc<ClientConfig>,
}

impl PhasedConnector {
    pub(crate) fn new(tls: Arc<ClientConfig>) -> Self {
        PhasedConnector {
            tcp: TcpConnector::default(),
            tls,
        }
    }
}

impl fmt::Debug for PhasedConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The TLS configuration holds the client key: never show it.
        f.debug_struct("PhasedConnector").finish_non_exhaustive()
    }
}

impl Connector<()> for PhasedConnector {
    type Out = Box<dyn Transport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        _chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        let tcp = match Connector::<()>::connect(&self.tcp, details, None) {
            Ok(Some(t)) => t,
            Ok(None) => return Err(mark(ureq::Error::ConnectionFailed)),
            Err(e) => return Err(mark(e)),
        };
        let tcp: Box<dyn Transport> = Box::new(tcp);
        if !details.needs_tls() {
            return Ok(Some(tcp));
        }

        let host = details
            .uri
            .host()
            .ok_or_else(|| ureq::Error::BadUri("no host".into()))?;
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        let name = ServerName::try_from(host.to_owned())
            .map_err(|_| ureq::Error::BadUri(format!("not a valid TLS server name: {host}")))?;

        let mut conn = ClientConnection::new(self.tls.clone(), name)
            .map_err(|e| mark(ureq::Error::Rustls(e)))?;
        let mut sock = TransportAdapter::new(tcp, details.current_time.clone());
        sock.set_timeout(details.timeout);
        // The whole handshake, as far as the client's side goes, before any request byte.
        conn.complete_io(&mut sock)
            .map_err(|e| mark(ureq::Error::from(e)))?;
        let buffers = LazyBuffers::new(
            details.config.input_buffer_size(),
            details.config.output_buffer_size(),
        );
        Ok(Some(Box::new(TlsTransport {
            buffers,
            stream: StreamOwned { conn, sock },
        })))
    }
}

/// A rustls stream as a ureq transport.
struct TlsTransport {
    buffers: LazyBuffers,
    stream: StreamOwned<ClientConnection, TransportAdapter>,
}

impl fmt::Debug for TlsTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsTransport").finish_non_exhaustive()
    }
}

impl Transport for TlsTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let output = &self.buffers.output()[..amount];
        self.stream.write_all(output)?;
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let input = self.buffers.input_append_buf();
        let amount = self.stream.read(input)?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        self.stream.get_mut().get_mut().is_open()
    }

    fn is_tls(&self) -> bool {
        true
    }
}

/// ureq's resolver, with its failures marked as connection-phase failures: a name that does
/// not resolve means nothing was sent (ureq reports some of them as plain I/O errors).
#[derive(Debug, Default)]
pub(crate) struct PhasedResolver(ureq::unversioned::resolver::DefaultResolver);

impl ureq::unversioned::resolver::Resolver for PhasedResolver {
    fn resolve(
        &self,
        uri: &http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        // An IP-literal host needs no lookup. ureq's default resolver would still run one on a
        // fresh thread (to honour the timeout) for every request, pooled connection or not.
        if let Some(addr) = ip_literal(uri) {
            let mut addrs = self.0.empty();
            addrs.push(addr);
            return Ok(addrs);
        }
        self.0.resolve(uri, config, timeout).map_err(mark)
    }
}

/// The socket address of a URI whose host is an IP literal (`127.0.0.1`, `[::1]`).
fn ip_literal(uri: &http::Uri) -> Option<std::net::SocketAddr> {
    let host = uri.host()?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let ip: std::net::IpAddr = host.parse().ok()?;
    let port = uri.port_u16().or(match uri.scheme_str()? {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    })?;
    Some(std::net::SocketAddr::new(ip, port))
}

#[cfg(test)]
mod ip_literal_tests {
    use super::ip_literal;

    #[test]
    fn ip_literals_skip_the_lookup_and_names_do_not() {
        let at = |u: &str| ip_literal(&u.parse().unwrap()).map(|a| a.to_string());
        assert_eq!(
            at("http://127.0.0.1:8080/x").as_deref(),
            Some("127.0.0.1:8080")
        );
        assert_eq!(at("https://127.0.0.1/x").as_deref(), Some("127.0.0.1:443"));
        assert_eq!(at("http://[::1]:9/").as_deref(), Some("[::1]:9"));
        assert_eq!(at("https://epoint.az/api/1/request"), None);
        assert_eq!(at("ftp://127.0.0.1/"), None);
    }
}
