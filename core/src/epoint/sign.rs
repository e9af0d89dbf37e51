//! The EPoint signature: `base64(sha1_raw(private_key + data + private_key))`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha1::{Digest, Sha1};

/// Signs a `data` string (the base64 of the JSON payload) with the merchant's private key:
/// `base64(sha1_raw(private_key + data + private_key))`, 28 characters ending in `=`.
///
/// The signature covers the base64 text exactly as sent, never the JSON.
///
/// ```
/// let data = "eyJwdWJsaWNfa2V5IjoiaTAwMDAwMDAwMSIsImFtb3VudCI6IjMwLjc1IiwiY3VycmVuY3kiOiJBWk4iLCJkZXNjcmlwdGlvbiI6InRlc3QgcGF5bWVudCIsIm9yZGVyX2lkIjoiMSJ9";
/// let sig = azpay_core::epoint::signature("d3hjsl38sd8kdfhbcea0be04eafde9e8e2bad2fb092d", data);
/// assert_eq!(sig, "a76GNudqblZtV8qF199hctA+cG0=");
/// ```
pub fn signature(private_key: &str, data: &str) -> String {
    STANDARD.encode(raw_signature(private_key, data))
}

/// The raw 20-byte SHA-1 digest of `private_key + data + private_key`.
pub(crate) fn raw_signature(private_key: &str, data: &str) -> [u8; 20] {
    let mut h = Sha1::new();
    h.update(private_key.as_bytes());
    h.update(data.as_bytes());
    h.update(private_key.as_bytes());
    h.finalize().into()
}

/// `base64(json)`: the `data` field.
pub(crate) fn encode_data(json: &[u8]) -> String {
    STANDARD.encode(json)
}

/// Decodes a `data` field (standard base64, padding required).
pub(crate) fn decode_data(data: &str) -> Result<Vec<u8>, base64::DecodeError> {
    STANDARD.decode(data)
}

/// `data=<urlencoded base64>&signature=<urlencoded base64>` for a JSON payload.
pub(crate) fn form_body(private_key: &str, json: &[u8]) -> (String, String, Vec<u8>) {
    let data = encode_data(json);
    let sig = signature(private_key, &data);
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("data", &data)
        .append_pair("signature", &sig)
        .finish()
        .into_bytes();
    (data, sig, body)
}
