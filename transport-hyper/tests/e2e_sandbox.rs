//! End-to-end: `HyperTransport` + `execute_async`/`execute_flow_async` on tokio against the
//! sandbox served on real sockets (HTTP, and HTTPS with mutual TLS for TWEC). The scenarios
//! are transport-blocking's `e2e_common`, included here so they are written once.

use azpay_test_support::e2e as e2e_common;

use azpay_core::{
    execute_async, execute_flow_async, ApiErrorOf, AsyncTransport, ConfigOf, Error, Flow, Gateway,
    HttpRequest, HttpResponse, Operation, Phase, TransportError, TransportErrorKind,
};
use azpay_transport_hyper::HyperTransport;
use e2e_common::{Client, Env, FlowResult};

struct Hyper(HyperTransport);

impl Client for Hyper {
    async fn exec<O: Operation>(
        &self,
        op: &O,
        config: &ConfigOf<O>,
    ) -> Result<O::Output, Error<ApiErrorOf<O>>> {
        execute_async(op, config, &self.0).await
    }
    async fn exec_flow<F: Flow>(
        &self,
        flow: &mut F,
        config: &<F::Gateway as Gateway>::Config,
    ) -> FlowResult<F> {
        execute_flow_async(flow, config, &self.0).await
    }
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.0.send(request).await
    }
}

fn client(env: &Env) -> Hyper {
    Hyper(
        HyperTransport::builder()
            .client_identity(env.identity.clone())
            .root_ca_pem(env.ca_pem.clone())
            .build()
            .expect("a transport"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn epoint_every_operation_over_http() {
    let env = Env::start();
    e2e_common::epoint_every_operation(&client(&env), &env).await;
}

#[tokio::test]
async fn azericard_every_operation_over_http() {
    let env = Env::start();
    e2e_common::azericard_every_operation(&client(&env), &env).await;
}

#[tokio::test]
async fn kapital_every_operation_over_http() {
    let env = Env::start();
    e2e_common::kapital_every_operation(&client(&env), &env).await;
}

#[tokio::test]
async fn payriff_every_operation_over_http() {
    let env = Env::start();
    e2e_common::payriff_every_operation(&client(&env), &env).await;
}

#[tokio::test]
async fn twec_every_operation_over_mutual_tls() {
    let env = Env::start();
    e2e_common::twec_every_operation(&client(&env), &env).await;
}

#[tokio::test]
async fn twec_without_the_client_certificate_is_refused_before_sending() {
    let env = Env::start();
    let config = env.twec_config();
    let op = azpay_core::twec::GetOrderStatus::new("1", "S");
    let bare = HyperTransport::builder()
        .root_ca_pem(env.ca_pem.clone())
        .build()
        .unwrap();
    match execute_async(&op, &config, &bare).await {
        Err(Error::Transport(e)) => {
            assert_eq!(e.phase, Phase::NotSent);
            assert_eq!(e.kind, TransportErrorKind::ClientIdentityMissing);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        env.server
            .executed(azpay_sandbox::Gateway::Twec, "GetOrderStatus"),
        0
    );
}
