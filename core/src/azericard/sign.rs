//! `P_SIGN`: the MAC source ([`mac_source`]), the signer and verifier traits ([`Signer`],
//! [`Verifier`]) with their default RSA implementations ([`RsaPemSigner`], [`RsaPublicKey`],
//! feature `azericard-rsa`), and the legacy HMAC-SHA1 scheme ([`legacy_mac`]).
//!
//! This module depends on nothing else of the gateway's folder, so [`super::Config`] can hold
//! its traits.

use std::fmt;

use sha1::{Digest, Sha1};

/// The MAC source of a message: for each value in order, its length in bytes as decimal
/// ASCII followed by the value itself; an empty value is a single `-` with no length.
///
/// ```
/// use azpay_core::azericard::mac_source;
/// // The official document's worked request.
/// let s = mac_source(["11.48", "USD", "99999999", "1", "20030105153021", "F2B2DD7E603A7ADA", "www.sample.com"]);
/// assert_eq!(s, "511.483USD89999999911142003010515302116F2B2DD7E603A7ADA14www.sample.com");
/// assert_eq!(mac_source(["1.00", "", "x"]), "41.00-1x");
/// ```
pub fn mac_source<'a, I: IntoIterator<Item = &'a str>>(values: I) -> String {
    let mut out = String::with_capacity(128);
    for v in values {
        if v.is_empty() {
            out.push('-');
        } else {
            out.push_str(&v.len().to_string());
            out.push_str(v);
        }
    }
    out
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex_encode(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[usize::from(b >> 4)] as char);
        s.push(HEX[usize::from(b & 15)] as char);
    }
    s
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decodes hex (either case); `None` for an odd length or a non-hex character.
pub(crate) fn hex_decode(text: &str) -> Option<Vec<u8>> {
    let b = text.as_bytes();
    if b.len() % 2 != 0 {
        return None;
    }
    b.chunks_exact(2)
        .map(|p| Some(nibble(p[0])? << 4 | nibble(p[1])?))
        .collect()
}

/// A signer could not sign (an HSM or KMS that is unreachable, a key that refuses).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not sign: {reason}")]
pub struct SignError {
    reason: String,
}

impl SignError {
    /// A signing failure, in words (never put key material here).
    pub fn new(reason: impl Into<String>) -> Self {
        SignError {
            reason: reason.into(),
        }
    }
}

/// Signs Azericard requests: RSASSA-PKCS1-v1_5 with SHA-256 over the MAC source, with the
/// merchant's private key. Implement it to sign in an HSM or a cloud KMS (the message is
/// short ASCII; the signature is the raw bytes, azpay hex-encodes them into `P_SIGN`).
/// [`RsaPemSigner`] is the default, from a PEM file.
///
/// A closure `Fn(&[u8]) -> Result<Vec<u8>, SignError>` is a signer too.
pub trait Signer: Send + Sync {
    /// The RSASSA-PKCS1-v1_5 SHA-256 signature of `message` (deterministic for a key).
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError>;
}

impl<F> Signer for F
where
    F: Fn(&[u8]) -> Result<Vec<u8>, SignError> + Send + Sync,
{
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        self(message)
    }
}

/// Verifies Azericard's signature on what it sends back (the `BACKREF` callback):
/// RSASSA-PKCS1-v1_5 with SHA-256, with Azericard's public key handed out at integration.
/// [`RsaPublicKey`] is the default, from a PEM file; a WebAssembly host without the
/// `azericard-rsa` feature implements it over its platform's crypto (WebCrypto).
///
/// A closure `Fn(&[u8], &[u8]) -> bool` is a verifier too.
pub trait Verifier: Send + Sync {
    /// Whether `signature` is a valid signature of `message`. Must not short-cut on the
    /// contents (use a constant-time implementation).
    fn verify(&self, message: &[u8], signature: &[u8]) -> bool;
}

impl<F> Verifier for F
where
    F: Fn(&[u8], &[u8]) -> bool + Send + Sync,
{
    fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        self(message, signature)
    }
}

/// `P_SIGN` of a MAC source: the hex (lower case) of `signer`'s signature.
pub fn p_sign(signer: &dyn Signer, mac_source: &str) -> Result<String, SignError> {
    Ok(hex_encode(&signer.sign(mac_source.as_bytes())?))
}

/// The legacy `P_SIGN` of older terminals: hex of HMAC-SHA1 over the MAC source, keyed with
/// the hex-decoded merchant key. A trailing odd nibble of the key is dropped (as the Ruby
/// client whose published vector this follows does); a non-hex character ends the key.
///
/// ```
/// // The published vector (NARKOZ/azericard, `test_generate_mac`).
/// assert_eq!(
///     azpay_core::azericard::legacy_mac("1234ABC", "text"),
///     "115110f072f734a729ebd0e7b65cfd8662fef682"
/// );
/// ```
pub fn legacy_mac(key_hex: &str, mac_source: &str) -> String {
    hex_encode(&hmac_sha1(
        &legacy_key_bytes(key_hex),
        mac_source.as_bytes(),
    ))
}

/// The legacy key's bytes: hex pairs up to the first non-hex one; an odd last nibble dropped.
pub(crate) fn legacy_key_bytes(key_hex: &str) -> Vec<u8> {
    key_hex
        .as_bytes()
        .chunks_exact(2)
        .map_while(|p| Some(nibble(p[0])? << 4 | nibble(p[1])?))
        .collect()
}

/// HMAC-SHA1 (RFC 2104).
pub(crate) fn hmac_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..20].copy_from_slice(&Sha1::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha1::new();
    inner.update(block.map(|b| b ^ 0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha1::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner);
    outer.finalize().into()
}

/// Why a PEM key could not be loaded. Never shows key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The text holds no PEM block (`-----BEGIN …-----`).
    #[error("not a PEM file: no `-----BEGIN …-----` line")]
    NotPem,
    /// The key is protected by a passphrase.
    #[error(
        "the private key is protected by a passphrase, which azpay does not ask for: decrypt it \
         once with `openssl pkey -in key.pem -out key-plain.pem` (enter the passphrase), keep \
         the result as secret as the original, and point azpay at it; or sign with your own \
         `azericard::Signer` (HSM, KMS)"
    )]
    Encrypted,
    /// A PEM block of another kind (a certificate where a key was expected, …).
    #[error("a PEM block `{found}` where {expected} was expected")]
    WrongKind {
        /// The block's label.
        found: String,
        /// What was expected.
        expected: &'static str,
    },
    /// The block did not decode, or the key was refused (not RSA, shorter than 2048 bits).
    #[error("the key was refused: {0}")]
    Rejected(String),
}

/// The label and DER bytes of the first PEM block of `text`.
#[cfg_attr(not(feature = "azericard-rsa"), allow(dead_code))]
pub(crate) fn pem_block(text: &[u8]) -> Result<(String, Vec<u8>), KeyError> {
    use base64::Engine as _;
    let text = std::str::from_utf8(text).map_err(|_| KeyError::NotPem)?;
    let start = text.find("-----BEGIN ").ok_or(KeyError::NotPem)?;
    let after = &text[start + "-----BEGIN ".len()..];
    let label_end = after.find("-----").ok_or(KeyError::NotPem)?;
    let label = after[..label_end].trim().to_owned();
    if label.contains("ENCRYPTED") {
        return Err(KeyError::Encrypted);
    }
    let body = &after[label_end + 5..];
    let end = body
        .find(&format!("-----END {label}-----"))
        .ok_or_else(|| KeyError::Rejected(format!("no `-----END {label}-----` line")))?;
    let mut b64 = String::new();
    for line in body[..end].lines() {
        let line = line.trim();
        if line.contains(':') {
            if line.contains("ENCRYPTED") {
                return Err(KeyError::Encrypted);
            }
            continue; // an RFC 1421 header
        }
        b64.push_str(line);
    }
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64.as_bytes())
        .map_err(|e| KeyError::Rejected(format!("the PEM body is not base64: {e}")))?;
    Ok((label, der))
}

/// One DER element: (tag, contents, the rest).
#[cfg_attr(not(feature = "azericard-rsa"), allow(dead_code))]
fn der(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 3 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| acc << 8 | usize::from(*b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// The PKCS#1 `RSAPublicKey` inside an X.509 `SubjectPublicKeyInfo` for RSA.
#[cfg_attr(not(feature = "azericard-rsa"), allow(dead_code))]
pub(crate) fn spki_to_pkcs1(spki: &[u8]) -> Option<&[u8]> {
    const RSA_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    let (0x30, seq, _) = der(spki)? else {
        return None;
    };
    let (0x30, alg, rest) = der(seq)? else {
        return None;
    };
    let (0x06, oid, _) = der(alg)? else {
        return None;
    };
    if oid != RSA_OID {
        return None;
    }
    let (0x03, bits, _) = der(rest)? else {
        return None;
    };
    let (0, key) = bits.split_first()? else {
        return None;
    };
    Some(key)
}

/// The modulus length in bits of a PKCS#1 `RSAPublicKey`, if it parses.
#[cfg_attr(not(feature = "azericard-rsa"), allow(dead_code))]
pub(crate) fn pkcs1_modulus_bits(key: &[u8]) -> Option<usize> {
    let (0x30, seq, _) = der(key)? else {
        return None;
    };
    let (0x02, n, rest) = der(seq)? else {
        return None;
    };
    let (0x02, _e, _) = der(rest)? else {
        return None;
    };
    let n = match n.iter().position(|b| *b != 0) {
        Some(i) => &n[i..],
        None => return None,
    };
    Some(n.len() * 8 - n[0].leading_zeros() as usize)
}

#[cfg(feature = "azericard-rsa")]
pub use rsa::{RsaPemSigner, RsaPublicKey};

#[cfg(feature = "azericard-rsa")]
mod rsa {
    use std::fmt;

    use ring::rand::SystemRandom;
    use ring::signature::{self, RsaKeyPair};

    use super::{pem_block, pkcs1_modulus_bits, spki_to_pkcs1, KeyError, SignError};

    /// The default [`super::Signer`]: the merchant's RSA private key from PEM (PKCS#1
    /// `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`, 2048 to 8192 bits), signing with ring
    /// (constant time). ring draws OS randomness for RSA blinding only; the signature bytes
    /// are deterministic. Its `Debug` shows the key size, never the key.
    pub struct RsaPemSigner {
        key: RsaKeyPair,
        rng: SystemRandom,
    }

    impl RsaPemSigner {
        /// Loads the key from PEM text. A passphrase-protected key is [`KeyError::Encrypted`]
        /// (its message names the `openssl` command that fixes it).
        pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
            let (label, der) = pem_block(pem)?;
            let key = match label.as_str() {
                "RSA PRIVATE KEY" => RsaKeyPair::from_der(&der),
                "PRIVATE KEY" => RsaKeyPair::from_pkcs8(&der),
                _ => {
                    return Err(KeyError::WrongKind {
                        found: label,
                        expected: "an RSA private key (`RSA PRIVATE KEY` or `PRIVATE KEY`)",
                    })
                }
            }
            .map_err(|e| KeyError::Rejected(e.to_string()))?;
            Ok(RsaPemSigner {
                key,
                rng: SystemRandom::new(),
            })
        }

        /// The modulus length in bits.
        pub fn modulus_bits(&self) -> usize {
            self.key.public().modulus_len() * 8
        }
    }

    impl super::Signer for RsaPemSigner {
        fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
            let mut sig = vec![0u8; self.key.public().modulus_len()];
            self.key
                .sign(&signature::RSA_PKCS1_SHA256, &self.rng, message, &mut sig)
                .map_err(|_| SignError::new("the RSA signature failed"))?;
            Ok(sig)
        }
    }

    impl fmt::Debug for RsaPemSigner {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("RsaPemSigner")
                .field("modulus_bits", &self.modulus_bits())
                .field("key", &"<redacted>")
                .finish()
        }
    }

    /// The default [`super::Verifier`]: Azericard's RSA public key from PEM (`PUBLIC KEY`,
    /// i.e. X.509 SubjectPublicKeyInfo, or PKCS#1 `RSA PUBLIC KEY`), 2048 to 8192 bits,
    /// verified with ring.
    #[derive(Clone)]
    pub struct RsaPublicKey {
        pkcs1: Vec<u8>,
        bits: usize,
    }

    impl RsaPublicKey {
        /// Loads the key from PEM text. A certificate is refused with a hint: extract the key
        /// with `openssl x509 -in cert.pem -pubkey -noout`.
        pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
            let (label, der) = pem_block(pem)?;
            let pkcs1 = match label.as_str() {
                "PUBLIC KEY" => spki_to_pkcs1(&der)
                    .ok_or_else(|| KeyError::Rejected("not an RSA public key".into()))?
                    .to_vec(),
                "RSA PUBLIC KEY" => der,
                _ => {
                    return Err(KeyError::WrongKind {
                        found: label,
                        expected: "an RSA public key (`PUBLIC KEY`; from a certificate: \
                                   `openssl x509 -in cert.pem -pubkey -noout`)",
                    })
                }
            };
            let bits = pkcs1_modulus_bits(&pkcs1)
                .ok_or_else(|| KeyError::Rejected("not an RSA public key".into()))?;
            if !(2048..=8192).contains(&bits) {
                return Err(KeyError::Rejected(format!(
                    "a {bits}-bit key; 2048 to 8192 bits are accepted"
                )));
            }
            Ok(RsaPublicKey { pkcs1, bits })
        }

        /// The modulus length in bits.
        pub fn modulus_bits(&self) -> usize {
            self.bits
        }
    }

    impl super::Verifier for RsaPublicKey {
        fn verify(&self, message: &[u8], sig: &[u8]) -> bool {
            signature::UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &self.pkcs1)
                .verify(message, sig)
                .is_ok()
        }
    }

    impl fmt::Debug for RsaPublicKey {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("RsaPublicKey")
                .field("modulus_bits", &self.bits)
                .finish()
        }
    }
}

/// A stand-in for `Debug` of trait objects.
pub(crate) struct Opaque(pub(crate) &'static str);

impl fmt::Debug for Opaque {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_refusals() {
        assert_eq!(hex_encode(&[0, 0xab, 0xff]), "00abff");
        assert_eq!(hex_decode("00ABff"), Some(vec![0, 0xab, 0xff]));
        assert_eq!(hex_decode("0"), None);
        assert_eq!(hex_decode("zz"), None);
    }

    #[test]
    fn hmac_sha1_rfc2202_case_2() {
        assert_eq!(
            hex_encode(&hmac_sha1(b"Jefe", b"what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        // A key longer than the block is hashed first (RFC 2202 case 6).
        assert_eq!(
            hex_encode(&hmac_sha1(
                &[0xaa; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        );
    }

    #[test]
    fn der_walker_refuses_truncation() {
        assert_eq!(spki_to_pkcs1(&[0x30, 0x05, 0x30]), None);
        assert_eq!(pkcs1_modulus_bits(&[]), None);
        assert_eq!(pkcs1_modulus_bits(&[0x30, 0x82, 0xff, 0xff]), None);
    }

    #[test]
    fn pem_encrypted_is_named() {
        let pem =
            b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert_eq!(pem_block(pem).unwrap_err(), KeyError::Encrypted);
        let legacy = b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(pem_block(legacy).unwrap_err(), KeyError::Encrypted);
        assert!(KeyError::Encrypted.to_string().contains("openssl pkey"));
        assert_eq!(pem_block(b"hello").unwrap_err(), KeyError::NotPem);
    }
}
