//! Delivering queued EPoint callbacks: POSTed to the configured result URL, retried a few times.

use super::*;
use crate::epoint_settings::CallbackEncoding;

/// Callbacks to POST now: all of them when a result URL is configured (otherwise they wait
/// in the outbox for [`ServerHandle::take_callbacks`]).
pub(super) fn due_callbacks(sandbox: &mut Sandbox) -> Vec<(Callback, CallbackEncoding)> {
    let encoding = sandbox.config().epoint.callback_encoding;
    if sandbox.config().epoint_result_url.is_some() {
        sandbox
            .take_callbacks()
            .into_iter()
            .filter(|c| c.url.is_some())
            .map(|c| (c, encoding))
            .collect()
    } else {
        Vec::new()
    }
}

pub(super) fn spawn_deliveries(callbacks: Vec<(Callback, CallbackEncoding)>) {
    for (callback, encoding) in callbacks {
        tokio::spawn(async move {
            for attempt in 0..3u64 {
                if attempt > 0 {
                    tokio::time::sleep(Duration::from_millis(500 * attempt)).await;
                }
                let sent = tokio::time::timeout(
                    Duration::from_secs(10),
                    post_callback(&callback, encoding),
                )
                .await;
                if matches!(sent, Ok(Ok(status)) if (200..300).contains(&status)) {
                    break;
                }
            }
        });
    }
}

/// POSTs a callback to its `http://` URL in the configured encoding (form, JSON or
/// multipart); answers the HTTP status.
async fn post_callback(callback: &Callback, encoding: CallbackEncoding) -> io::Result<u16> {
    let (content_type, body) = callback.encoded(encoding);
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
        .header(http::header::CONTENT_TYPE, content_type)
        .body(Full::new(Bytes::from(body)))
        .map_err(io::Error::other)?;
    let response = sender
        .send_request(request)
        .await
        .map_err(io::Error::other)?;
    Ok(response.status().as_u16())
}
