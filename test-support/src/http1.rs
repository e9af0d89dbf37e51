//! A minimal HTTP/1.1 client over `std::net::TcpStream` (plain HTTP only, one request per
//! connection), enough to show that azpay-core needs no particular HTTP stack or runtime.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use azpay_core::{HttpRequest, HttpResponse, TransportError, TransportErrorKind};

/// Largest response accepted (the core refuses larger bodies anyway).
const LIMIT: u64 = 2 * 1024 * 1024;

/// Sends `request` and reads the whole response. Connecting failures are `NotSent`; anything
/// after the first byte was written is `OutcomeUnknown`.
pub fn send(request: HttpRequest, timeout: Duration) -> Result<HttpResponse, TransportError> {
    let uri = request.uri().clone();
    if uri.scheme_str() != Some("http") {
        return Err(TransportError::not_sent(
            TransportErrorKind::InvalidRequest,
            "this example speaks plain http:// only",
        ));
    }
    let host = uri.host().unwrap_or("127.0.0.1").to_owned();
    let port = uri.port_u16().unwrap_or(80);
    let addr = (host.as_str(), port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| TransportError::not_sent(TransportErrorKind::Connect, "cannot resolve"))?;
    let mut stream = TcpStream::connect_timeout(&addr, timeout)
        .map_err(|e| TransportError::not_sent(TransportErrorKind::Connect, e))?;
    let unknown = |e: std::io::Error| {
        let kind = if matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ) {
            TransportErrorKind::Timeout
        } else {
            TransportErrorKind::Io
        };
        TransportError::outcome_unknown(kind, e)
    };
    stream.set_read_timeout(Some(timeout)).map_err(unknown)?;
    stream.set_write_timeout(Some(timeout)).map_err(unknown)?;

    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n",
        request.method()
    );
    for (name, value) in request.headers() {
        if name != http::header::CONTENT_LENGTH && name != http::header::CONNECTION {
            head.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap_or("")));
        }
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", request.body().len()));
    stream.write_all(head.as_bytes()).map_err(unknown)?;
    stream.write_all(request.body()).map_err(unknown)?;

    let mut raw = Vec::new();
    stream
        .take(LIMIT + 1)
        .read_to_end(&mut raw)
        .map_err(unknown)?;
    if raw.len() as u64 > LIMIT {
        return Err(TransportError::outcome_unknown(
            TransportErrorKind::ResponseTooLarge,
            "too large",
        ));
    }
    parse(&raw).ok_or_else(|| {
        TransportError::outcome_unknown(TransportErrorKind::Io, "not an HTTP/1.1 response")
    })
}

fn parse(raw: &[u8]) -> Option<HttpResponse> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(raw.get(..end)?).ok()?;
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
        response = response.header(name.trim(), value);
    }
    let body = raw.get(end + 4..)?;
    let body = match length {
        Some(n) => body.get(..n)?.to_vec(),
        None => body.to_vec(),
    };
    response.body(body).ok()
}
