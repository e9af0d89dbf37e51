//! Mutual TLS with the blocking transport against a std + rustls server on 127.0.0.1 that
//! requires a client certificate signed by the test CA (certificates made with rcgen).

use azpay_test_support::tls_server as support;

use std::time::Duration;

use azpay_core::{
    execute, ClientIdentity, Error, Phase, RequestMeta, SyncTransport, TransportErrorKind,
};
use azpay_transport_blocking::BlockingTransport;
use support::{
    assert_bad_pem_errors, expect_err, get, tls_server, FakeConfig, Mtls, NoConnection, Pki,
    Submit, TlsOutcome, EC_PKCS8, EC_SEC1, RSA_PKCS1, RSA_PKCS8,
};

fn with_identity(identity: ClientIdentity) -> BlockingTransport {
    BlockingTransport::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .client_identity(identity)
        .build()
        .expect("transport")
}

#[test]
fn the_identity_is_accepted_in_every_key_form() {
    let pki = Pki::new();
    let forms = [
        ("EC PKCS#8", &pki.client_ec_cert_pem, EC_PKCS8),
        ("EC SEC1", &pki.client_ec_cert_pem, EC_SEC1),
        ("RSA PKCS#8", &pki.client_rsa_cert_pem, RSA_PKCS8),
        ("RSA PKCS#1", &pki.client_rsa_cert_pem, RSA_PKCS1),
    ];
    let (addr, server) = tls_server(pki.server_config(), forms.len());
    for (form, cert, key) in forms {
        let identity = ClientIdentity::from_pem(cert.clone().into_bytes(), key.as_bytes().to_vec())
            .with_ca_pem(pki.ca.cert_pem.clone().into_bytes());
        let r = with_identity(identity)
            .send(get(format!("https://localhost:{}/form", addr.port())))
            .unwrap_or_else(|e| panic!("{form}: {e}"));
        assert_eq!(r.status(), 200, "{form}");
        assert_eq!(r.body(), b"mtls ok", "{form}");
    }
    let outcomes = server.join().expect("server");
    assert_eq!(outcomes.len(), 4);
    for o in outcomes {
        assert!(
            matches!(o, TlsOutcome::Served(ref r) if r.target == "/form"),
            "{o:?}"
        );
    }
}

#[test]
fn an_operation_needing_mutual_tls_runs_through_execute_by_ip_address() {
    let pki = Pki::new();
    let (addr, server) = tls_server(pki.server_config(), 1);
    // The extra CA given to the builder rather than inside the identity.
    let transport = BlockingTransport::builder()
        .root_ca_pem(pki.ca.cert_pem.clone())
        .client_identity(pki.identity_ec_pkcs8())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("transport");
    let config = FakeConfig {
        base_url: format!("https://127.0.0.1:{}", addr.port()),
    };
    let out = execute(&Submit::<Mtls>::new("t-1"), &config, &transport).expect("output");
    assert_eq!(out, "mtls ok");
    match &server.join().expect("server")[..] {
        [TlsOutcome::Served(r)] => {
            assert_eq!(r.method, "POST");
            assert_eq!(r.target, "/orders/t-1?lang=en");
            assert_eq!(r.body, br#"{"order":"t-1","amount":"10.50"}"#);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn without_an_identity_a_marked_request_is_refused_before_connecting() {
    let pki = Pki::new();
    let listener = NoConnection::new();
    let transport = BlockingTransport::builder()
        .root_ca_pem(pki.ca.cert_pem.clone())
        .build()
        .expect("transport");
    let mut request = get(format!("https://localhost:{}/", listener.port()));
    request.extensions_mut().insert(RequestMeta {
        gateway: "twec",
        operation: "get_order_status",
        idempotent: true,
        requires_client_identity: true,
    });
    let e = expect_err(transport.send(request));
    assert_eq!(e.phase, Phase::NotSent);
    assert_eq!(e.kind, TransportErrorKind::ClientIdentityMissing);
    listener.assert_untouched();
}

#[test]
fn without_an_identity_an_unmarked_request_is_refused_by_the_server_as_not_sent() {
    let pki = Pki::new();
    let (addr, server) = tls_server(pki.server_config(), 1);
    let transport = BlockingTransport::builder()
        .root_ca_pem(pki.ca.cert_pem.clone())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("transport");
    let e = expect_err(transport.send(get(format!("https://localhost:{}/", addr.port()))));
    assert_eq!(
        (e.phase, e.kind),
        (Phase::NotSent, TransportErrorKind::Tls),
        "{e}"
    );
    assert!(matches!(
        &server.join().expect("server")[..],
        [TlsOutcome::HandshakeFailed(_)]
    ));
}

#[test]
fn a_certificate_from_another_ca_is_refused_as_not_sent() {
    let pki = Pki::new();
    let (addr, server) = tls_server(pki.server_config(), 1);
    let identity = ClientIdentity::from_pem(
        pki.other_client_cert_pem.clone().into_bytes(),
        EC_PKCS8.as_bytes().to_vec(),
    )
    .with_ca_pem(pki.ca.cert_pem.clone().into_bytes());
    let config = FakeConfig {
        base_url: format!("https://localhost:{}", addr.port()),
    };
    match execute(
        &Submit::<Mtls>::new("t-1"),
        &config,
        &with_identity(identity),
    ) {
        Err(Error::Transport(e)) => {
            assert_eq!(
                (e.phase, e.kind),
                (Phase::NotSent, TransportErrorKind::Tls),
                "{e}"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    match &server.join().expect("server")[..] {
        [TlsOutcome::HandshakeFailed(e)] => assert!(e.contains("certificate"), "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_server_whose_ca_is_not_trusted_is_refused_as_not_sent() {
    let pki = Pki::new();
    let (addr, server) = tls_server(pki.server_config(), 1);
    // A valid identity, but the server's CA is not among the roots.
    let transport = BlockingTransport::builder()
        .client_identity(ClientIdentity::from_pem(
            pki.client_ec_cert_pem.clone().into_bytes(),
            EC_PKCS8.as_bytes().to_vec(),
        ))
        .timeout(Duration::from_secs(5))
        .build()
        .expect("transport");
    let e = expect_err(transport.send(get(format!("https://localhost:{}/", addr.port()))));
    assert_eq!(
        (e.phase, e.kind),
        (Phase::NotSent, TransportErrorKind::Tls),
        "{e}"
    );
    assert!(matches!(
        &server.join().expect("server")[..],
        [TlsOutcome::HandshakeFailed(_)]
    ));
}

#[test]
fn bad_pem_is_a_config_error_that_names_the_problem_and_never_shows_the_key() {
    let pki = Pki::new();
    assert_bad_pem_errors(
        &pki,
        |identity| {
            BlockingTransport::builder()
                .client_identity(identity)
                .build()
                .expect_err("must be refused")
                .to_string()
        },
        |root| {
            BlockingTransport::builder()
                .root_ca_pem(root)
                .build()
                .expect_err("bad root")
                .to_string()
        },
        |identity| {
            let builder = BlockingTransport::builder().client_identity(identity);
            let transport = builder.clone().build().expect("transport");
            [format!("{builder:?}"), format!("{transport:?}")]
        },
    );
}

#[test]
fn under_tls_1_2_a_refused_certificate_fails_the_handshake_itself_as_not_sent() {
    let pki = Pki::new();
    let (addr, server) = tls_server(pki.server_config_with(&[&rustls::version::TLS12]), 2);
    let other = ClientIdentity::from_pem(
        pki.other_client_cert_pem.clone().into_bytes(),
        EC_PKCS8.as_bytes().to_vec(),
    )
    .with_ca_pem(pki.ca.cert_pem.clone().into_bytes());
    let e =
        expect_err(with_identity(other).send(get(format!("https://localhost:{}/", addr.port()))));
    assert_eq!(
        (e.phase, e.kind),
        (Phase::NotSent, TransportErrorKind::Tls),
        "{e}"
    );

    // And the right identity still works over TLS 1.2.
    let good = pki
        .identity_ec_pkcs8()
        .with_ca_pem(pki.ca.cert_pem.clone().into_bytes());
    let r = with_identity(good)
        .send(get(format!("https://localhost:{}/tls12", addr.port())))
        .expect("response");
    assert_eq!(r.body(), b"mtls ok");
    let outcomes = server.join().expect("server");
    assert!(
        matches!(outcomes[0], TlsOutcome::HandshakeFailed(_)),
        "{outcomes:?}"
    );
    assert!(matches!(outcomes[1], TlsOutcome::Served(_)), "{outcomes:?}");
}
