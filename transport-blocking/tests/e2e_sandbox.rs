//! End-to-end: `BlockingTransport` + `execute`/`execute_flow` against the sandbox served on
//! real sockets (HTTP, and HTTPS with mutual TLS for TWEC). The scenarios live in
//! `azpay_test_support::e2e`, shared with transport-hyper's async run.

use azpay_test_support::e2e as e2e_common;

use azpay_core::{
    execute, execute_flow, ApiErrorOf, ConfigOf, Error, Flow, Gateway, HttpRequest, HttpResponse,
    Operation, Phase, SyncTransport, TransportError, TransportErrorKind,
};
use azpay_transport_blocking::BlockingTransport;
use e2e_common::{block_on, Client, Env, FlowResult};

struct Blocking(BlockingTransport);

impl Client for Blocking {
    async fn exec<O: Operation>(
        &self,
        op: &O,
        config: &ConfigOf<O>,
    ) -> Result<O::Output, Error<ApiErrorOf<O>>> {
        execute(op, config, &self.0)
    }
    async fn exec_flow<F: Flow>(
        &self,
        flow: &mut F,
        config: &<F::Gateway as Gateway>::Config,
    ) -> FlowResult<F> {
        execute_flow(flow, config, &self.0)
    }
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.0.send(request)
    }
}

fn client(env: &Env) -> Blocking {
    Blocking(
        BlockingTransport::builder()
            .client_identity(env.identity.clone())
            .root_ca_pem(env.ca_pem.clone())
            .build()
            .expect("a transport"),
    )
}

#[test]
fn epoint_every_operation_over_http() {
    let env = Env::start();
    block_on(e2e_common::epoint_every_operation(&client(&env), &env));
}

#[test]
fn azericard_every_operation_over_http() {
    let env = Env::start();
    block_on(e2e_common::azericard_every_operation(&client(&env), &env));
}

#[test]
fn kapital_every_operation_over_http() {
    let env = Env::start();
    block_on(e2e_common::kapital_every_operation(&client(&env), &env));
}

#[test]
fn payriff_every_operation_over_http() {
    let env = Env::start();
    block_on(e2e_common::payriff_every_operation(&client(&env), &env));
}

#[test]
fn twec_every_operation_over_mutual_tls() {
    let env = Env::start();
    block_on(e2e_common::twec_every_operation(&client(&env), &env));
}

#[test]
fn twec_without_the_client_certificate_is_refused_before_sending() {
    let env = Env::start();
    let config = env.twec_config();
    let op = azpay_core::twec::GetOrderStatus::new("1", "S");
    // No identity at all: refused before connecting.
    let bare = BlockingTransport::builder()
        .root_ca_pem(env.ca_pem.clone())
        .build()
        .unwrap();
    match execute(&op, &config, &bare) {
        Err(Error::Transport(e)) => {
            assert_eq!(e.phase, Phase::NotSent);
            assert_eq!(e.kind, TransportErrorKind::ClientIdentityMissing);
        }
        other => panic!("{other:?}"),
    }
    // A server the client does not trust (no sandbox CA): the TLS handshake fails, not sent.
    let untrusting = BlockingTransport::builder()
        .client_identity(azpay_core::ClientIdentity::from_pem(
            std::fs::read(&env.server.tls_paths().unwrap().client_cert).unwrap(),
            std::fs::read(&env.server.tls_paths().unwrap().client_key).unwrap(),
        ))
        .build()
        .unwrap();
    match execute(&op, &config, &untrusting) {
        Err(Error::Transport(e)) => {
            assert_eq!(e.phase, Phase::NotSent, "{e:?}");
            assert_eq!(e.kind, TransportErrorKind::Tls, "{e:?}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        env.server
            .executed(azpay_sandbox::Gateway::Twec, "GetOrderStatus"),
        0
    );
}
