//! azpay-core's async API on an executor that is not tokio: a hand-written `block_on` (a
//! thread parker as the waker) and an `AsyncTransport` whose futures are completed by plain
//! OS threads doing blocking I/O. Nothing on the client side uses tokio; the core needs no
//! runtime (the sandbox server started here runs its own, on its own thread).
//!
//! The HTTP/1.1 framing is `azpay_test_support::http1`, shared with the `std_tcp` example.
//! `core/tests/examples_run.rs` runs this example and checks the `ok:` line it prints last.
//!
//! `cargo run -p azpay-core --example smol_executor`

use azpay_test_support::http1;

use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use azpay_core::{
    epoint, execute_async, Amount, AsyncTransport, Currency, HttpRequest, HttpResponse,
    TransportError,
};
use azpay_sandbox::serve::serve;
use azpay_sandbox::{credentials, SandboxConfig};

/// The smallest executor there is: poll, park until woken, poll again.
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::park();
    }
}

/// An async transport without a runtime: each request runs on its own thread, which fills a
/// slot and wakes the task.
#[derive(Clone, Copy)]
pub struct ThreadTransport;

type Slot = Arc<Mutex<(Option<Result<HttpResponse, TransportError>>, Option<Waker>)>>;

struct Pending(Slot);

impl Future for Pending {
    type Output = Result<HttpResponse, TransportError>;
    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match slot.0.take() {
            Some(result) => Poll::Ready(result),
            None => {
                slot.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl AsyncTransport for ThreadTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
        let slot: Slot = Arc::new(Mutex::new((None, None)));
        let worker = slot.clone();
        std::thread::spawn(move || {
            let result = http1::send(request, Duration::from_secs(5));
            let mut slot = worker.lock().unwrap_or_else(|p| p.into_inner());
            slot.0 = Some(result);
            if let Some(waker) = slot.1.take() {
                waker.wake();
            }
        });
        Pending(slot)
    }
}

/// Runs a payment and two status queries concurrently-in-sequence on the hand-written executor.
fn run() -> Result<bool, Box<dyn std::error::Error>> {
    let server = serve(
        SandboxConfig::default(),
        "127.0.0.1:0".parse::<std::net::SocketAddr>()?,
    )?;
    let config = epoint::Config::new(
        credentials::EPOINT_PUBLIC_KEY,
        credentials::EPOINT_PRIVATE_KEY,
    )
    .base_url(server.base_url())?;
    let transport = ThreadTransport;
    let status = block_on(async {
        let amount = Amount::parse_major("3.50", Currency::AZN)?;
        let redirect =
            execute_async(&epoint::Pay::new(amount, "no-tokio-1"), &config, &transport).await?;
        let status = execute_async(
            &epoint::GetStatus::by_transaction(redirect.transaction),
            &config,
            &transport,
        )
        .await?;
        Ok::<_, Box<dyn std::error::Error>>(status)
    })?;
    println!("status without tokio: {}", status.status);
    // A new payment is `new` until the cardholder pays.
    Ok(status.status == epoint::Status::New)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("ok: {}", run()?);
    Ok(())
}
