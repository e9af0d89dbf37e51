//! Delivering queued callbacks, retried a few times: EPoint's to the configured result URL,
//! Payriff's (JSON) to each order's `http://` callback URL.

use super::*;

/// One callback to POST: where, as what, and the body.
pub(super) struct Outgoing {
    url: Option<String>,
    content_type: String,
    body: Vec<u8>,
}

/// Callbacks to POST now: EPoint's when a result URL is configured (otherwise they wait in
/// the outbox for [`ServerHandle::take_callbacks`]), and every Payriff callback (those with
/// another scheme than `http://` are dropped: the sandbox speaks plain HTTP only).
pub(super) fn due_callbacks(sandbox: &mut Sandbox) -> Vec<Outgoing> {
    let mut due: Vec<Outgoing> = Vec::new();
    // EPoint's callbacks go in the configured encoding (form, JSON or multipart).
    let encoding = sandbox.config().epoint.callback_encoding;
    if sandbox.config().epoint_result_url.is_some() {
        due.extend(
            sandbox
                .take_callbacks()
                .into_iter()
                .filter(|c| c.url.is_some())
                .map(|c| {
                    let (content_type, body) = c.encoded(encoding);
                    Outgoing {
                        url: c.url,
                        content_type,
                        body,
                    }
                }),
        );
    }
    due.extend(
        sandbox
            .take_payriff_callbacks()
            .into_iter()
            .map(|c| Outgoing {
                url: Some(c.url),
                content_type: String::from("application/json"),
                body: c.body.into_bytes(),
            }),
    );
    due
}

pub(super) fn spawn_deliveries(callbacks: Vec<Outgoing>) {
    for callback in callbacks {
        tokio::spawn(async move {
            for attempt in 0..3u64 {
                if attempt > 0 {
                    tokio::time::sleep(Duration::from_millis(500 * attempt)).await;
                }
                let sent =
                    tokio::time::timeout(Duration::from_secs(10), post_callback(&callback)).await;
                if matches!(sent, Ok(Ok(status)) if (200..300).contains(&status)) {
                    break;
                }
            }
        });
    }
}

/// POSTs a callback's body (EPoint's in the configured encoding, Payriff's JSON) to its
/// `http://` URL; answers the HTTP status.
async fn post_callback(callback: &Outgoing) -> io::Result<u16> {
    let url = callback.url.as_deref().unwrap_or("");
    let uri: http::Uri = url
        .parse()
        .map_err(|_| io::Error::other("invalid result URL"))?;
    if uri.scheme_str() != Some("http") {
        return Err(io::Error::other("only http:// result URLs are supported"));
    }
    let host = uri
        .host()
        .ok_or_else(|| io::Error::other("result URL without host"))?
        .to_owned();
    let port = uri.port_u16().unwrap_or(80);
    let stream = tokio::net::TcpStream::connect((host.as_str(), port)).await?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(io::Error::other)?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let path = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| String::from("/"));
    let authority = uri
        .authority()
        .map(|a| a.as_str().to_owned())
        .unwrap_or(host);
    let request = http::Request::post(path)
        .header(http::header::HOST, authority)
        .header(http::header::CONTENT_TYPE, callback.content_type.as_str())
        .body(Full::new(Bytes::from(callback.body.clone())))
        .map_err(io::Error::other)?;
    let response = sender
        .send_request(request)
        .await
        .map_err(io::Error::other)?;
    Ok(response.status().as_u16())
}
