//! The rustls client configuration both transports use (webpki roots plus any extra CA, and an
//! optional client identity), and how a TLS failure found in an error chain is recognised.

use std::sync::Arc;

use azpay_core::ClientIdentity;
use rustls::{ClientConfig, RootCertStore};
use rustls_pki_types::pem::{self, PemObject};
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::ConfigError;

/// A coarse description of a PEM error that never repeats the input (it may be a key).
fn describe_pem(e: &pem::Error) -> &'static str {
    match e {
        pem::Error::MissingSectionEnd { .. } => "a PEM section has no END line",
        pem::Error::IllegalSectionStart { .. } => "a PEM BEGIN line is malformed",
        pem::Error::Base64Decode(_) => "a PEM section is not valid base64",
        pem::Error::NoItemsFound => "no PEM section of the expected type was found",
        pem::Error::SectionTooLarge => "a PEM section is too large",
        _ => "the PEM could not be read",
    }
}

/// Parses every `CERTIFICATE` section of a PEM bundle; at least one is required.
fn certificates(what: &str, pem_bytes: &[u8]) -> Result<Vec<CertificateDer<'static>>, ConfigError> {
    let certs = CertificateDer::pem_slice_iter(pem_bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ConfigError::new(format!("{what}: {}", describe_pem(&e))))?;
    if certs.is_empty() {
        return Err(ConfigError::new(format!(
            "{what}: no CERTIFICATE section found in the PEM"
        )));
    }
    Ok(certs)
}

fn add_roots(store: &mut RootCertStore, what: &str, pem_bytes: &[u8]) -> Result<(), ConfigError> {
    for (i, cert) in certificates(what, pem_bytes)?.into_iter().enumerate() {
        store.add(cert).map_err(|e| {
            ConfigError::new(format!(
                "{what}: certificate #{} is not a usable trust anchor: {e}",
                i + 1
            ))
        })?;
    }
    Ok(())
}

/// Builds the rustls client configuration (ring provider, TLS 1.2 and 1.3).
///
/// Server certificates are always verified against the webpki (Mozilla) roots plus the extra
/// CAs given here; there is no way to turn verification off.
pub fn client_config(
    extra_roots_pem: &[Vec<u8>],
    identity: Option<&ClientIdentity>,
) -> Result<ClientConfig, ConfigError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for pem_bytes in extra_roots_pem {
        add_roots(&mut roots, "root CA", pem_bytes)?;
    }
    if let Some(ca) = identity.and_then(ClientIdentity::ca_pem) {
        add_roots(&mut roots, "client identity CA", ca)?;
    }

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ConfigError::new(format!("TLS configuration: {e}")))?
        .with_root_certificates(roots);

    match identity {
        None => Ok(builder.with_no_client_auth()),
        Some(id) => {
            let chain = certificates("client identity certificate chain", id.cert_chain_pem())?;
            let key = PrivateKeyDer::from_pem_slice(id.key_pem()).map_err(|e| {
                ConfigError::new(format!(
                    "client identity private key: {} (expected PRIVATE KEY (PKCS#8), \
                     RSA PRIVATE KEY (PKCS#1) or EC PRIVATE KEY (SEC1))",
                    describe_pem(&e)
                ))
            })?;
            // rustls checks that the key is usable and matches the leaf certificate; its
            // error names the problem, never the key bytes.
            builder.with_client_auth_cert(chain, key).map_err(|e| {
                ConfigError::new(format!(
                    "client identity: the private key is unusable or does not match the \
                     certificate: {e}"
                ))
            })
        }
    }
}

/// Whether `e` (an error found in a failed exchange's source chain) is the peer refusing the
/// TLS handshake.
///
/// Under TLS 1.3 the client finishes its side of the handshake before the server has checked
/// the client certificate, so a refused certificate may only show up as an alert received
/// while waiting for the response. The server refused the handshake, so its application never
/// saw a byte of the request: the request was not sent in the sense that matters.
pub fn is_handshake_refusal(e: &rustls::Error) -> bool {
    use rustls::AlertDescription as A;
    match e {
        rustls::Error::AlertReceived(alert) => matches!(
            alert,
            A::HandshakeFailure
                | A::BadCertificate
                | A::UnsupportedCertificate
                | A::CertificateRevoked
                | A::CertificateExpired
                | A::CertificateUnknown
                | A::UnknownCA
                | A::AccessDenied
                | A::CertificateRequired
                | A::ProtocolVersion
                | A::InsufficientSecurity
                | A::NoApplicationProtocol
        ),
        rustls::Error::InvalidCertificate(_)
        | rustls::Error::NoCertificatesPresented
        | rustls::Error::PeerIncompatible(_) => true,
        _ => false,
    }
}

/// Finds a rustls error anywhere in an error's source chain (including inside `io::Error`s).
pub fn find_rustls_error<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a rustls::Error> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = current {
        if let Some(r) = err.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        // An io::Error's `source` skips the error it wraps: descend into it instead.
        current = match err.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        };
    }
    None
}
