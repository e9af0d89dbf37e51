//! The three encodings an EPoint callback arrives in, read only as far as the `data` and
//! `signature` text: nothing inside `data` is looked at here (that happens after the
//! signature verified).
//!
//! - `application/x-www-form-urlencoded`: `data=…&signature=…` (read in `callback.rs`).
//! - `application/json`: `{"data":"…","signature":"…"}`; other keys are ignored.
//! - `multipart/form-data`: one part per field, each with `Content-Disposition: form-data;
//!   name="…"`. Bounded: at most [`MAX_PARTS`] parts, [`MAX_PART_HEADERS`] bytes of headers a
//!   part, a boundary of 1 to 70 characters (RFC 2046); the body itself is already within the
//!   size limit, and every search moves forward, so the work is linear in the body.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::callback::checked_fields;
use crate::SignatureError;

/// At most this many parts in a multipart callback (EPoint's has two).
pub(super) const MAX_PARTS: usize = 32;
/// At most this many bytes of headers in one multipart part.
pub(super) const MAX_PART_HEADERS: usize = 8 * 1024;
/// The longest boundary RFC 2046 allows.
const MAX_BOUNDARY: usize = 70;

const JSON: &str = "application/json";
const MULTIPART: &str = "multipart/form-data";

/// Which encoding a body is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Envelope<'a> {
    Form,
    Json,
    /// With its boundary (without the leading `--`).
    Multipart(Cow<'a, [u8]>),
}

/// The encoding recognised by the body's first bytes.
pub(super) fn by_shape(body: &[u8]) -> Envelope<'_> {
    if body.trim_ascii_start().starts_with(b"{") {
        Envelope::Json
    } else if let Some(rest) = body.strip_prefix(b"--") {
        let end = rest
            .iter()
            .position(|b| *b == b'\r' || *b == b'\n')
            .unwrap_or(rest.len());
        Envelope::Multipart(Cow::Borrowed(&rest[..end]))
    } else {
        Envelope::Form
    }
}

/// The encoding named by a `Content-Type` header; without one, the body's shape.
pub(super) fn by_content_type<'a>(
    content_type: Option<&'a http::HeaderValue>,
    body: &'a [u8],
) -> Result<Envelope<'a>, SignatureError> {
    let Some(value) = content_type else {
        return Ok(by_shape(body));
    };
    let text = value
        .to_str()
        .map_err(|_| SignatureError::UnsupportedEncoding)?;
    let mut params = text.split(';');
    let mime = params.next().unwrap_or("").trim().to_ascii_lowercase();
    match mime.as_str() {
        "application/x-www-form-urlencoded" => Ok(Envelope::Form),
        "application/json" => Ok(Envelope::Json),
        m if m.starts_with("application/") && m.ends_with("+json") => Ok(Envelope::Json),
        "multipart/form-data" => {
            let boundary = params.find_map(|p| {
                let (name, value) = p.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("boundary")
                    .then(|| value.trim().trim_matches('"'))
            });
            match boundary {
                Some(b) if !b.is_empty() => {
                    Ok(Envelope::Multipart(Cow::Owned(b.as_bytes().to_vec())))
                }
                _ => Err(unreadable(MULTIPART, "the Content-Type names no boundary")),
            }
        }
        _ => Err(SignatureError::UnsupportedEncoding),
    }
}

fn unreadable(encoding: &'static str, reason: &'static str) -> SignatureError {
    SignatureError::Unreadable { encoding, reason }
}

/// `data` and `signature` of a JSON or multipart body (the form is read in `callback.rs`).
pub(super) fn fields(
    body: &[u8],
    envelope: &Envelope<'_>,
) -> Result<(String, String), SignatureError> {
    match envelope {
        Envelope::Json => json_fields(body),
        Envelope::Multipart(boundary) => multipart_fields(body, boundary),
        // Never called for a form; read as one would be, it has no fields here.
        Envelope::Form => checked_fields(None, None, body.is_empty()),
    }
}

// ---------------------------------------------------------------------------------------
// JSON

/// The two fields of a JSON envelope; a repeated key is refused, as in the form.
#[derive(Default)]
struct JsonEnvelope {
    data: Option<String>,
    signature: Option<String>,
    duplicated: Option<&'static str>,
    not_text: bool,
}

impl<'de> de::Deserialize<'de> for JsonEnvelope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = JsonEnvelope;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object with `data` and `signature`")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<JsonEnvelope, M::Error> {
                let mut env = JsonEnvelope::default();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    let field = match key.as_ref() {
                        "data" => "data",
                        "signature" => "signature",
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    let value = map.next_value::<serde_json::Value>()?;
                    let slot = if field == "data" {
                        &mut env.data
                    } else {
                        &mut env.signature
                    };
                    if slot.is_some() {
                        env.duplicated.get_or_insert(field);
                        continue;
                    }
                    match value {
                        serde_json::Value::String(s) => *slot = Some(s),
                        _ => env.not_text = true,
                    }
                }
                Ok(env)
            }
        }
        d.deserialize_map(V)
    }
}

fn json_fields(body: &[u8]) -> Result<(String, String), SignatureError> {
    if body.trim_ascii().is_empty() {
        return Err(SignatureError::EmptyBody);
    }
    let env: JsonEnvelope =
        serde_json::from_slice(body).map_err(|_| unreadable(JSON, "it is not one JSON object"))?;
    if let Some(field) = env.duplicated {
        return Err(SignatureError::Duplicated { field });
    }
    if env.not_text {
        return Err(unreadable(
            JSON,
            "`data` or `signature` is not a JSON string",
        ));
    }
    checked_fields(env.data, env.signature, false)
}

// ---------------------------------------------------------------------------------------
// multipart/form-data

/// The first position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The `name` parameter of a part's `Content-Disposition: form-data` header.
fn part_name(headers: &[u8]) -> Option<&[u8]> {
    for line in headers.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        if !line[..colon]
            .trim_ascii()
            .eq_ignore_ascii_case(b"content-disposition")
        {
            continue;
        }
        for param in line[colon + 1..].split(|b| *b == b';').skip(1) {
            let param = param.trim_ascii();
            let Some(eq) = param.iter().position(|b| *b == b'=') else {
                continue;
            };
            if param[..eq].trim_ascii().eq_ignore_ascii_case(b"name") {
                let v = param[eq + 1..].trim_ascii();
                let v = v
                    .strip_prefix(b"\"")
                    .and_then(|v| v.strip_suffix(b"\""))
                    .unwrap_or(v);
                return Some(v);
            }
        }
    }
    None
}

fn multipart_fields(body: &[u8], boundary: &[u8]) -> Result<(String, String), SignatureError> {
    if body.is_empty() {
        return Err(SignatureError::EmptyBody);
    }
    if boundary.is_empty()
        || boundary.len() > MAX_BOUNDARY
        || boundary.iter().any(|b| b.is_ascii_control())
    {
        return Err(unreadable(
            MULTIPART,
            "the boundary is empty, longer than 70 characters or holds control characters",
        ));
    }
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(boundary);
    let mut close = b"\r\n".to_vec();
    close.extend_from_slice(&delimiter);

    // The first delimiter opens the body (a preamble before it is allowed and skipped).
    let first = match body.strip_prefix(delimiter.as_slice()) {
        Some(_) => 0,
        None => find(body, &close)
            .map(|i| i + 2)
            .ok_or_else(|| unreadable(MULTIPART, "no part starts with the boundary"))?,
    };
    let mut rest = &body[first + delimiter.len()..];
    let (mut data, mut sig) = (None, None);
    let mut parts = 0usize;
    loop {
        if rest.starts_with(b"--") {
            break; // the closing delimiter; an epilogue after it is ignored
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or_else(|| unreadable(MULTIPART, "a boundary line does not end with CRLF"))?;
        parts += 1;
        if parts > MAX_PARTS {
            return Err(unreadable(MULTIPART, "it has more than 32 parts"));
        }
        let (headers, content) = if let Some(c) = rest.strip_prefix(b"\r\n") {
            (&rest[..0], c)
        } else {
            let window = &rest[..rest.len().min(MAX_PART_HEADERS + 4)];
            let end = find(window, b"\r\n\r\n").ok_or_else(|| {
                unreadable(MULTIPART, "a part's headers do not end (or exceed 8 KiB)")
            })?;
            (&rest[..end], &rest[end + 4..])
        };
        let end = find(content, &close)
            .ok_or_else(|| unreadable(MULTIPART, "a part is not closed by the boundary"))?;
        let value = &content[..end];
        rest = &content[end + close.len()..];
        let (field, slot) = match part_name(headers) {
            Some(b"data") => ("data", &mut data),
            Some(b"signature") => ("signature", &mut sig),
            _ => continue,
        };
        if slot.is_some() {
            return Err(SignatureError::Duplicated { field });
        }
        let text = std::str::from_utf8(value)
            .map_err(|_| unreadable(MULTIPART, "`data` or `signature` is not UTF-8 text"))?;
        *slot = Some(text.to_owned());
    }
    checked_fields(data, sig, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(by_shape(b" {\"data\":1}"), Envelope::Json);
        assert_eq!(by_shape(b"data=1"), Envelope::Form);
        assert_eq!(
            by_shape(b"--abc\r\nx"),
            Envelope::Multipart(Cow::Borrowed(b"abc".as_slice()))
        );
    }

    #[test]
    fn names() {
        assert_eq!(
            part_name(b"Content-Disposition: form-data; name=\"data\""),
            Some(b"data".as_slice())
        );
        assert_eq!(
            part_name(b"content-disposition:form-data;NAME=signature"),
            Some(b"signature".as_slice())
        );
        assert_eq!(part_name(b"Content-Type: text/plain"), None);
    }
}
