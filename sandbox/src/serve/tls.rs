//! TWEC's mutual TLS: a throwaway CA, server and client certificates written as PEM files, and
//! the acceptor that requires the client certificate.

use super::*;

/// The PEM files written for TWEC's mutual TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TlsPaths {
    /// The throwaway CA that signed both certificates (`TWEC_CA_CERT`).
    pub ca_cert: PathBuf,
    /// The server certificate (for `localhost` and `127.0.0.1`).
    pub server_cert: PathBuf,
    /// The server's private key.
    pub server_key: PathBuf,
    /// The merchant's client certificate (`TWEC_CLIENT_CERT`).
    pub client_cert: PathBuf,
    /// The merchant's client key, PKCS#8 (`TWEC_CLIENT_KEY`).
    pub client_key: PathBuf,
}

pub(super) struct TlsMaterial {
    pub(super) paths: TlsPaths,
    ca_der: CertificateDer<'static>,
    server_der: CertificateDer<'static>,
    server_key_der: Vec<u8>,
}

/// Generates a throwaway CA, a server certificate for `localhost`/`127.0.0.1` and a client
/// certificate, and writes them as PEM files into `dir` (created if needed).
pub fn generate_certificates(dir: &Path) -> io::Result<TlsPaths> {
    generate(dir).map(|m| m.paths)
}

pub(super) fn generate(dir: &Path) -> io::Result<TlsMaterial> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
        KeyPair, KeyUsagePurpose,
    };
    let err = |e: rcgen::Error| io::Error::other(format!("certificate generation: {e}"));
    std::fs::create_dir_all(dir)?;

    let ca_key = KeyPair::generate().map_err(err)?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "azpay sandbox test CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca_params.self_signed(&ca_key).map_err(err)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let server_key = KeyPair::generate().map_err(err)?;
    let mut server_params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .map_err(err)?;
    server_params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    server_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_cert = server_params.signed_by(&server_key, &issuer).map_err(err)?;

    let client_key = KeyPair::generate().map_err(err)?;
    let mut client_params = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
    client_params
        .distinguished_name
        .push(DnType::CommonName, "azpay sandbox merchant");
    client_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let client_cert = client_params.signed_by(&client_key, &issuer).map_err(err)?;

    let paths = TlsPaths {
        ca_cert: dir.join("ca.pem"),
        server_cert: dir.join("server.pem"),
        server_key: dir.join("server-key.pem"),
        client_cert: dir.join("client.pem"),
        client_key: dir.join("client-key.pem"),
    };
    std::fs::write(&paths.ca_cert, ca_cert.pem())?;
    std::fs::write(&paths.server_cert, server_cert.pem())?;
    write_secret(&paths.server_key, &server_key.serialize_pem())?;
    std::fs::write(&paths.client_cert, client_cert.pem())?;
    write_secret(&paths.client_key, &client_key.serialize_pem())?;
    Ok(TlsMaterial {
        paths,
        ca_der: ca_cert.der().clone(),
        server_der: server_cert.der().clone(),
        server_key_der: server_key.serialize_der(),
    })
}

fn write_secret(path: &Path, pem: &str) -> io::Result<()> {
    std::fs::write(path, pem)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

pub(super) fn tls_acceptor(material: &TlsMaterial) -> io::Result<tokio_rustls::TlsAcceptor> {
    let err = |e: rustls::Error| io::Error::other(format!("TLS setup: {e}"));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(material.ca_der.clone()).map_err(err)?;
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .map_err(|e| io::Error::other(format!("TLS setup: {e}")))?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(material.server_key_der.clone()));
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(err)?
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![material.server_der.clone(), material.ca_der.clone()],
            key,
        )
        .map_err(err)?;
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}
