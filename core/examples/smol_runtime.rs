//! azpay-core's async API on smol, an executor from crates.io that is not tokio.
//!
//! The transport below is an `AsyncTransport` written with smol's own I/O
//! (`smol::net::TcpStream`): one plain HTTP/1.1 exchange per request, `Connection: close`,
//! enough to reach the sandbox on loopback. Nothing on the client side uses tokio (the sandbox
//! server runs its own runtime on its own thread). A real shop would put a smol-based HTTP
//! client with TLS here; the core does not care which.
//!
//! `cargo run -p azpay-core --example smol_runtime`

use std::future::Future;

use azpay_core::{
    epoint, execute_async, http, Amount, AsyncTransport, Currency, HttpRequest, HttpResponse,
    TransportError, TransportErrorKind,
};
use azpay_sandbox::serve::serve;
use azpay_sandbox::{credentials, SandboxConfig};
use smol::io::{AsyncReadExt, AsyncWriteExt};
use smol::net::TcpStream;

/// Largest response read (the core refuses larger bodies anyway).
const LIMIT: u64 = 2 * 1024 * 1024;

/// Plain-HTTP transport over `smol::net::TcpStream`.
struct SmolTransport;

impl AsyncTransport for SmolTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
        exchange(request)
    }
}

async fn exchange(request: HttpRequest) -> Result<HttpResponse, TransportError> {
    let uri = request.uri();
    if uri.scheme_str() != Some("http") {
        let why = "this example speaks plain http:// only";
        return Err(TransportError::not_sent(
            TransportErrorKind::InvalidRequest,
            why,
        ));
    }
    let host = uri.host().unwrap_or("127.0.0.1").to_owned();
    let port = uri.port_u16().unwrap_or(80);
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();

    // Connecting fails before anything left this machine: safe to retry.
    let mut stream = TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|e| TransportError::not_sent(TransportErrorKind::Connect, e))?;

    // The request head: the core set every header it needs; add Host, length and close.
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nhost: {host}:{port}\r\n",
        request.method()
    );
    for (name, value) in request.headers() {
        let value = String::from_utf8_lossy(value.as_bytes());
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        request.body().len()
    ));

    // From the first byte written on, the gateway may have acted on the request.
    let unknown = |e: std::io::Error| TransportError::outcome_unknown(TransportErrorKind::Io, e);
    stream.write_all(head.as_bytes()).await.map_err(unknown)?;
    stream.write_all(request.body()).await.map_err(unknown)?;
    stream.flush().await.map_err(unknown)?;
    let mut raw = Vec::new();
    (&mut stream)
        .take(LIMIT)
        .read_to_end(&mut raw)
        .await
        .map_err(unknown)?;
    parse_response(&raw).ok_or_else(|| {
        TransportError::outcome_unknown(TransportErrorKind::Io, "malformed HTTP/1.1 response")
    })
}

/// Status line, headers, and the body up to `content-length` (or the end of the stream).
fn parse_response(raw: &[u8]) -> Option<HttpResponse> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let mut response = http::Response::builder().status(status);
    let mut length = None;
    for line in lines {
        let (name, value) = line.split_once(':')?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = value.parse::<usize>().ok();
        }
        response = response.header(name, value);
    }
    let mut body = raw[split + 4..].to_vec();
    if let Some(n) = length {
        body.truncate(n);
    }
    response.body(body).ok()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The sandbox on an ephemeral loopback port.
    let server = serve(
        SandboxConfig::default(),
        "127.0.0.1:0".parse::<std::net::SocketAddr>()?,
    )?;
    let config = epoint::Config::new(
        credentials::EPOINT_PUBLIC_KEY,
        credentials::EPOINT_PRIVATE_KEY,
    )
    .base_url(server.base_url())?;

    // smol drives the core's futures: create a payment, then query it.
    let status = smol::block_on(async {
        let amount = Amount::parse_major("4.20", Currency::AZN)?;
        let pay = epoint::Pay::new(amount, "smol-1");
        let redirect = execute_async(&pay, &config, &SmolTransport).await?;
        println!("payment page: {}", redirect.redirect_url);
        let query = epoint::GetStatus::by_transaction(redirect.transaction);
        let status = execute_async(&query, &config, &SmolTransport).await?;
        Ok::<_, Box<dyn std::error::Error>>(status)
    })?;
    println!("status on smol: {}", status.status);
    server.shutdown();
    // A new payment stays `new` until the cardholder pays on the hosted page.
    if status.status != epoint::Status::New {
        return Err(format!("expected a new payment, got {}", status.status).into());
    }
    Ok(())
}
