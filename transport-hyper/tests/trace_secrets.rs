//! With EVERY `tracing` and `log` record captured at TRACE level, a Kapital request with Basic
//! credentials and a signed EPoint request go to the sandbox: no record holds the password, the
//! Basic header value, the EPoint private key, the signature or a body; records do appear
//! (`azpay_test_support::trace_capture`).
//!
//! hyper is built without its (unstable) `tracing` feature; hyper-util's client records name
//! the pool key (scheme and host) and connection events, never a header or a body; rustls logs
//! handshake messages through `log`. This test holds them to it.

use azpay_core::AsyncTransport;
use azpay_test_support::trace_capture::no_secret_at_trace_level;
use azpay_transport_hyper::HyperTransport;

/// The async transport driven from this thread on a multi-threaded runtime, so records come
/// from the runtime's worker threads too.
struct Runner(HyperTransport, tokio::runtime::Handle);
impl azpay_core::SyncTransport for Runner {
    fn send(
        &self,
        request: azpay_core::HttpRequest,
    ) -> Result<azpay_core::HttpResponse, azpay_core::TransportError> {
        let transport = self.0.clone();
        self.1
            .block_on(self.1.spawn(async move { transport.send(request).await }))
            .expect("the task ran")
    }
}

#[test]
fn no_secret_or_body_reaches_any_record_at_trace_level() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let transport = Runner(
        HyperTransport::builder().build().expect("a transport"),
        runtime.handle().clone(),
    );
    no_secret_at_trace_level(
        &transport,
        // hyper-util's own records are kept.
        &["hyper_util::client"],
        &[],
    );
}
