//! Errors: what went wrong before sending ([`BuildError`]), in the answer ([`ResponseError`]),
//! and the union an executed operation returns ([`Error`]).

use std::fmt;

use crate::transport::TransportError;

/// The request could not be built: the input was invalid. Nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A field of the operation (or of the configuration) holds a value the gateway would refuse.
    #[error("invalid `{field}`: {reason}")]
    InvalidInput {
        /// The name of the field, as the operation's setter or the wire calls it.
        field: &'static str,
        /// Why the value was refused.
        reason: String,
    },
    /// The request could not be assembled (for example a base URL that is not a valid URI).
    #[error("could not build the request: {0}")]
    Encoding(String),
    /// The gateway has no such operation (for example a void on EPoint through the unified
    /// API, see [`crate::unified`]). Nothing was sent.
    #[error("{gateway} does not support {operation}")]
    Unsupported {
        /// The gateway's name, as [`crate::Gateway::NAME`].
        gateway: &'static str,
        /// The operation asked for, e.g. `"cancel"`.
        operation: &'static str,
    },
}

impl BuildError {
    /// Shorthand for [`BuildError::InvalidInput`].
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        BuildError::InvalidInput {
            field,
            reason: reason.into(),
        }
    }

    /// The name of the offending field, if the error is about one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            BuildError::InvalidInput { field, .. } => Some(field),
            BuildError::Encoding(_) | BuildError::Unsupported { .. } => None,
        }
    }
}

impl From<http::Error> for BuildError {
    fn from(e: http::Error) -> Self {
        BuildError::Encoding(e.to_string())
    }
}

/// A response body kept as received, for diagnosis.
///
/// Its `Debug` and `Display` show only the length and a short, escaped prefix, so a large or
/// binary body never floods a log. The whole body is available through [`RawBody::as_bytes`].
#[derive(Clone, PartialEq, Eq, Default)]
pub struct RawBody(Vec<u8>);

impl RawBody {
    /// How many bytes of the body are shown in `Debug` and `Display`.
    pub const PREVIEW_BYTES: usize = 64;

    /// Wraps a body.
    pub fn new(bytes: Vec<u8>) -> Self {
        RawBody(bytes)
    }
    /// The whole body.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
    /// The whole body, owned.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
    /// The length of the body in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    fn preview(&self) -> String {
        let end = self.0.len().min(Self::PREVIEW_BYTES);
        let mut s: String = self.0[..end].escape_ascii().to_string();
        if self.0.len() > end {
            s.push('…');
        }
        s
    }
}

impl From<Vec<u8>> for RawBody {
    fn from(v: Vec<u8>) -> Self {
        RawBody(v)
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawBody({} bytes: \"{}\")", self.0.len(), self.preview())
    }
}

impl fmt::Display for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes: \"{}\"", self.0.len(), self.preview())
    }
}

/// The gateway answered, but not with the outcome the operation expects.
///
/// `A` is the gateway's own typed error body ([`crate::Gateway::ApiError`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResponseError<A> {
    /// The gateway refused the request with its own error body.
    #[error("gateway error: {0}")]
    Api(A),
    /// An HTTP status the operation does not expect, with a body that is no known error body.
    #[error("unexpected HTTP status {status}; body {body}")]
    Status {
        /// The status received.
        status: http::StatusCode,
        /// The body as received.
        body: RawBody,
    },
    /// The body did not parse as the expected shape.
    #[error("malformed response: {reason}; body {body}")]
    Malformed {
        /// What did not parse.
        reason: String,
        /// The body as received.
        body: RawBody,
    },
    /// The body is larger than the parser accepts.
    #[error("response body of {actual} bytes exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
        /// The size received.
        actual: usize,
    },
    /// A signed message whose signature did not verify. Nothing of it was decoded.
    #[error("signature did not verify: {0}")]
    Signature(String),
}

impl<A> ResponseError<A> {
    /// Shorthand for [`ResponseError::Malformed`].
    pub fn malformed(reason: impl Into<String>, body: impl Into<RawBody>) -> Self {
        ResponseError::Malformed {
            reason: reason.into(),
            body: body.into(),
        }
    }

    /// Refuses a body over [`crate::MAX_BODY_BYTES`].
    pub fn check_size(body: &[u8]) -> Result<(), Self> {
        if body.len() > crate::MAX_BODY_BYTES {
            Err(ResponseError::TooLarge {
                limit: crate::MAX_BODY_BYTES,
                actual: body.len(),
            })
        } else {
            Ok(())
        }
    }

    /// Changes the API error type.
    pub fn map_api<B>(self, f: impl FnOnce(A) -> B) -> ResponseError<B> {
        match self {
            ResponseError::Api(a) => ResponseError::Api(f(a)),
            ResponseError::Status { status, body } => ResponseError::Status { status, body },
            ResponseError::Malformed { reason, body } => ResponseError::Malformed { reason, body },
            ResponseError::TooLarge { limit, actual } => ResponseError::TooLarge { limit, actual },
            ResponseError::Signature(s) => ResponseError::Signature(s),
        }
    }
}

/// Everything that can go wrong when executing an operation: building, sending, or parsing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<A> {
    /// Invalid input; nothing was sent.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The transport failed; see [`TransportError::phase`] for whether the request may have
    /// reached the gateway.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The gateway answered with an error or with something unexpected.
    #[error(transparent)]
    Response(ResponseError<A>),
}

impl<A> From<ResponseError<A>> for Error<A> {
    fn from(e: ResponseError<A>) -> Self {
        Error::Response(e)
    }
}

impl<A> Error<A> {
    /// The gateway's own error body, if that is what this is.
    pub fn api(&self) -> Option<&A> {
        match self {
            Error::Response(ResponseError::Api(a)) => Some(a),
            _ => None,
        }
    }

    /// Whether the request may have reached the gateway without an answer coming back: the
    /// caller must reconcile with a status query before trying again.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Error::Transport(t) if t.phase == crate::Phase::OutcomeUnknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_body_debug_shows_only_a_prefix() {
        let body = RawBody::new(vec![b'a'; 1000]);
        let dbg = format!("{body:?}");
        assert!(dbg.starts_with("RawBody(1000 bytes: \""));
        assert!(dbg.len() < 100, "{dbg}");
        assert!(dbg.ends_with("…\")"));
    }

    #[test]
    fn raw_body_escapes_binary() {
        let body = RawBody::new(vec![0, 0xff, b'\n']);
        assert_eq!(format!("{body}"), "3 bytes: \"\\x00\\xff\\n\"");
    }

    #[test]
    fn build_error_names_the_field() {
        let e = BuildError::invalid("order_id", "must not be empty");
        assert_eq!(e.field(), Some("order_id"));
        assert_eq!(e.to_string(), "invalid `order_id`: must not be empty");
    }

    #[test]
    fn size_check() {
        assert!(ResponseError::<()>::check_size(&[0; 10]).is_ok());
        let big = vec![0u8; crate::MAX_BODY_BYTES + 1];
        assert!(matches!(
            ResponseError::<()>::check_size(&big),
            Err(ResponseError::TooLarge { .. })
        ));
    }
}
