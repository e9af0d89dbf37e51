//! One request on a connection: injected faults, the pure handler, and the response body
//! (whole, cut, replaced by garbage, or oversize filler).

use super::*;

/// What the service does with one request.
pub(super) enum Answer {
    Respond(http::Response<FaultBody>),
    /// Let hyper write the response, but cut it (`MODE_RESET`) or replace it (`MODE_GARBAGE`).
    Cut(u8, http::Response<FaultBody>),
    /// Close the connection without a response.
    Drop,
}

#[derive(Debug)]
pub(super) struct DroppedByFault;
impl std::fmt::Display for DroppedByFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}
impl std::error::Error for DroppedByFault {}

pub(super) const MODE_NORMAL: u8 = 0;
const MODE_RESET: u8 = 1;
const MODE_GARBAGE: u8 = 2;

/// Bytes that are not HTTP/1.x.
const GARBAGE: &[u8] =
    b"\x16\x03\x01\x00\xffNOT-HTTP garbage from the azpay sandbox \x00\x01\x02\r\n\r\n";

/// The connection's stream, which an injected fault can cut (write half of the response, then
/// fail) or poison (write garbage instead, then fail). Failing makes hyper close it.
pub(super) struct FaultIo<S> {
    inner: S,
    mode: Arc<AtomicU8>,
    /// Bytes still to write before failing, once a fault struck.
    pending: Option<(Vec<u8>, usize)>,
}

impl<S> FaultIo<S> {
    pub(super) fn new(inner: S, mode: Arc<AtomicU8>) -> Self {
        FaultIo {
            inner,
            mode,
            pending: None,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for FaultIo<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for FaultIo<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.pending.is_none() {
            match this.mode.load(Ordering::SeqCst) {
                MODE_RESET => {
                    let half = (buf.len() / 2).max(1).min(buf.len());
                    this.pending = Some((buf[..half].to_vec(), 0));
                }
                MODE_GARBAGE => this.pending = Some((GARBAGE.to_vec(), 0)),
                _ => return Pin::new(&mut this.inner).poll_write(cx, buf),
            }
        }
        if let Some((bytes, written)) = &mut this.pending {
            while *written < bytes.len() {
                match Pin::new(&mut this.inner).poll_write(cx, &bytes[*written..]) {
                    Poll::Ready(Ok(0)) => break,
                    Poll::Ready(Ok(n)) => *written += n,
                    Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                    Poll::Pending => return Poll::Pending,
                }
            }
            match Pin::new(&mut this.inner).poll_flush(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(_) => {}
            }
            let _ = Pin::new(&mut this.inner).poll_shutdown(cx);
        }
        Poll::Ready(Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "connection cut by an injected fault",
        )))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// A response body: the whole answer, or (oversize fault) filler sent chunked.
pub(super) enum FaultBody {
    Full(Option<Bytes>),
    Filler(usize),
}

impl hyper::body::Body for FaultBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, Infallible>>> {
        const CHUNK: usize = 64 * 1024;
        match self.get_mut() {
            FaultBody::Full(bytes) => {
                Poll::Ready(bytes.take().map(|b| Ok(hyper::body::Frame::data(b))))
            }
            FaultBody::Filler(left) => {
                if *left == 0 {
                    return Poll::Ready(None);
                }
                let n = (*left).min(CHUNK);
                *left -= n;
                Poll::Ready(Some(Ok(hyper::body::Frame::data(Bytes::from(vec![
                    b'x';
                    n
                ])))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            FaultBody::Full(b) => b.is_none(),
            FaultBody::Filler(left) => *left == 0,
        }
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        match self {
            FaultBody::Full(Some(b)) => hyper::body::SizeHint::with_exact(b.len() as u64),
            FaultBody::Full(None) => hyper::body::SizeHint::with_exact(0),
            FaultBody::Filler(_) => hyper::body::SizeHint::default(),
        }
    }
}

/// Whether faults may strike this path: the gateways' APIs, never the hosted pages.
fn faultable(path: &str) -> bool {
    path.starts_with("/api/") || path.eq_ignore_ascii_case("/exec")
}

pub(super) async fn answer(
    request: http::Request<Incoming>,
    shared: Arc<Shared>,
    over_tls: bool,
) -> Answer {
    let fault = if faultable(request.uri().path()) {
        shared
            .faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pick()
    } else {
        None
    };
    match fault {
        Some(FaultKind::DropBeforeProcessing) => return Answer::Drop,
        Some(FaultKind::Status(code)) => {
            return Answer::Respond(full(plain(code, "fault injected: not processed")))
        }
        _ => {}
    }
    let response = full(process(request, &shared, over_tls).await);
    match fault {
        Some(FaultKind::Delay(pause)) => {
            tokio::time::sleep(pause).await;
            Answer::Respond(response)
        }
        Some(FaultKind::Reset) => Answer::Cut(MODE_RESET, response),
        Some(FaultKind::Garbage) => Answer::Cut(MODE_GARBAGE, response),
        Some(FaultKind::Oversize) => {
            let mut filler = http::Response::new(FaultBody::Filler(OVERSIZE_BYTES));
            filler.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            );
            Answer::Respond(filler)
        }
        _ => Answer::Respond(response),
    }
}

fn full(response: http::Response<Full<Bytes>>) -> http::Response<FaultBody> {
    response.map(|body| {
        // Full<Bytes> holds one chunk; collect it synchronously.
        let mut body = body;
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        match hyper::body::Body::poll_frame(Pin::new(&mut body), &mut cx) {
            Poll::Ready(Some(Ok(frame))) => FaultBody::Full(frame.into_data().ok()),
            _ => FaultBody::Full(None),
        }
    })
}

async fn process(
    request: http::Request<Incoming>,
    shared: &Shared,
    over_tls: bool,
) -> http::Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(
        Duration::from_secs(30),
        Limited::new(body, MAX_BODY).collect(),
    );
    let body = match read.await {
        Ok(Ok(collected)) => collected.to_bytes().to_vec(),
        Ok(Err(_)) => return plain(413, "request body too large or unreadable"),
        Err(_) => return plain(408, "request body too slow"),
    };
    let is_exec = parts.uri.path().eq_ignore_ascii_case("/exec");
    if over_tls && !is_exec {
        return plain(404, "only POST /Exec is served over TLS");
    }
    if !over_tls && is_exec {
        if let Some(url) = &shared.twec_tls_url {
            return plain(
                403,
                &format!("TWEC requires mutual TLS: POST to {url} with the client certificate"),
            );
        }
    }
    let request = http::Request::from_parts(parts, body);
    let (response, callbacks) = {
        let mut sandbox = shared.lock();
        let response = sandbox.handle(&request);
        (response, due_callbacks(&mut sandbox))
    };
    spawn_deliveries(callbacks);
    let (parts, body) = response.into_parts();
    http::Response::from_parts(parts, Full::new(Bytes::from(body)))
}

fn plain(status: u16, text: &str) -> http::Response<Full<Bytes>> {
    let mut response = http::Response::new(Full::new(Bytes::from(text.to_owned())));
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
