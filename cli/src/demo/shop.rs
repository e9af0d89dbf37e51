//! The shop: a tiny HTTP listener on 127.0.0.1 that records what the gateways and the browser
//! send it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::fail;
use crate::common::CliError;

/// One request the shop received.
#[derive(Debug, Clone)]
pub(super) struct Received {
    pub(super) method: String,
    /// The request target (path and query).
    pub(super) target: String,
    pub(super) body: Vec<u8>,
}

/// A tiny HTTP/1.1 listener on 127.0.0.1 playing the shop: it records every request and
/// answers `200 OK`.
pub(super) struct Shop {
    pub(super) base: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Shop {
    pub(super) fn start() -> std::io::Result<Shop> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let base = format!("http://{}", listener.local_addr()?);
        let received = Arc::new(Mutex::new(Vec::new()));
        let sink = received.clone();
        std::thread::Builder::new()
            .name("azpay-demo-shop".into())
            .spawn(move || {
                for stream in listener.incoming().flatten() {
                    if let Some(r) = read_request(stream) {
                        sink.lock().unwrap_or_else(|p| p.into_inner()).push(r);
                    }
                }
            })?;
        Ok(Shop { base, received })
    }

    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Waits (up to 15 s) for a request with this method whose path is `path`, and takes it.
    pub(super) fn wait_for(&self, method: &str, path: &str) -> Result<Received, CliError> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            {
                let mut all = self.received.lock().unwrap_or_else(|p| p.into_inner());
                let hit = all
                    .iter()
                    .position(|r| r.method == method && r.target.split('?').next() == Some(path));
                if let Some(i) = hit {
                    return Ok(all.remove(i));
                }
            }
            if Instant::now() > deadline {
                return Err(fail(
                    "waiting for the shop",
                    format!("no {method} {path} arrived within 15 s"),
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Reads one request (headers, then a Content-Length body of at most 1 MiB), answers 200.
fn read_request(mut stream: TcpStream) -> Option<Received> {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let length = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(1 << 20);
    let mut body = buf[header_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    let reply = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 25\r\nConnection: close\r\n\r\nthank you, from the shop\n";
    let _ = stream.write_all(reply.as_bytes());
    Some(Received {
        method,
        target,
        body,
    })
}
