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
    #[error("malformed response: {reason}{}; body {body}", at_path(.path))]
    Malformed {
        /// What did not parse.
        reason: String,
        /// Where in the JSON document parsing failed (`order.amount`, `tran[0].status`), when
        /// the parser could tell.
        path: Option<String>,
        /// The parser's own error, when there is one (a `serde_json::Error`, a
        /// `base64::DecodeError`, …): reach it through [`std::error::Error::source`] or
        /// `downcast_ref`.
        #[source]
        source: Option<BoxError>,
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
    Signature(SignatureError),
}

/// A boxed error from a parser, kept as the source of [`ResponseError::Malformed`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

fn at_path(path: &Option<String>) -> String {
    match path {
        Some(p) => format!(" (at `{p}`)"),
        None => String::new(),
    }
}

/// Why a signed message ([`crate::epoint::verify_callback`]) was refused. Nothing of it was
/// decoded, and nothing of it is shown here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The signature was recomputed over the received data and does not match it.
    #[error("the callback signature does not match its data")]
    Mismatch,
    /// The body is empty.
    #[error("the body is empty")]
    EmptyBody,
    /// A field the signature needs (`data`, `signature`) is absent.
    #[error("the `{field}` field is missing")]
    Missing {
        /// The field's name.
        field: &'static str,
    },
    /// A field the signature needs is present but empty.
    #[error("the `{field}` field is empty")]
    Empty {
        /// The field's name.
        field: &'static str,
    },
    /// A field the signature needs appears more than once: which one counts would be a guess.
    #[error("the `{field}` field appears more than once")]
    Duplicated {
        /// The field's name.
        field: &'static str,
    },
    /// The configured key is empty or only whitespace, so anyone could compute a matching
    /// signature: nothing is verified with it.
    #[error(
        "the configured `{field}` is empty or only whitespace: nothing can be verified with it"
    )]
    UnusableKey {
        /// The configuration field (`private_key`).
        field: &'static str,
    },
    /// The callback came in an encoding EPoint callbacks do not use (its `Content-Type`).
    #[error(
        "the callback's Content-Type is not an accepted encoding; accepted: \
         application/x-www-form-urlencoded (data=…&signature=…), \
         application/json ({{\"data\":…,\"signature\":…}}), multipart/form-data"
    )]
    UnsupportedEncoding,
    /// The body's envelope (the JSON object or the multipart parts around `data` and
    /// `signature`) could not be read; `reason` is fixed text, never from the body.
    #[error("the {encoding} callback body could not be read: {reason}")]
    Unreadable {
        /// `application/json` or `multipart/form-data`.
        encoding: &'static str,
        /// Why, in plain words.
        reason: &'static str,
    },
}

impl<A> ResponseError<A> {
    /// Shorthand for [`ResponseError::Malformed`] without a source error or a path.
    pub fn malformed(reason: impl Into<String>, body: impl Into<RawBody>) -> Self {
        ResponseError::Malformed {
            reason: reason.into(),
            path: None,
            source: None,
            body: body.into(),
        }
    }

    /// [`ResponseError::Malformed`] keeping the parser's error as its source.
    pub fn malformed_by(
        reason: impl Into<String>,
        source: impl Into<BoxError>,
        body: impl Into<RawBody>,
    ) -> Self {
        ResponseError::Malformed {
            reason: reason.into(),
            path: None,
            source: Some(source.into()),
            body: body.into(),
        }
    }

    /// [`ResponseError::Malformed`] from a JSON parse that tracked its path: the path where
    /// the document failed (when not the root) and the `serde_json::Error` as source.
    pub(crate) fn malformed_json(
        reason: impl Into<String>,
        error: JsonError,
        body: impl Into<RawBody>,
    ) -> Self {
        ResponseError::Malformed {
            reason: reason.into(),
            path: error.path,
            source: Some(Box::new(error.inner)),
            body: body.into(),
        }
    }

    /// The path of a [`ResponseError::Malformed`] JSON document, if known.
    pub fn malformed_path(&self) -> Option<&str> {
        match self {
            ResponseError::Malformed { path, .. } => path.as_deref(),
            _ => None,
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
            ResponseError::Malformed {
                reason,
                path,
                source,
                body,
            } => ResponseError::Malformed {
                reason,
                path,
                source,
                body,
            },
            ResponseError::TooLarge { limit, actual } => ResponseError::TooLarge { limit, actual },
            ResponseError::Signature(s) => ResponseError::Signature(s),
        }
    }
}

/// A JSON parse failure with the path where it happened (`None` at the root).
#[derive(Debug)]
pub(crate) struct JsonError {
    pub(crate) path: Option<String>,
    pub(crate) inner: serde_json::Error,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{p}: {}", self.inner),
            None => write!(f, "{}", self.inner),
        }
    }
}

/// Parses JSON like `serde_json::from_slice`, tracking the path where it fails.
pub(crate) fn from_json_slice<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
) -> Result<T, JsonError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        JsonError {
            path: (path != ".").then_some(path),
            inner: e.into_inner(),
        }
    })?;
    de.end().map_err(|inner| JsonError { path: None, inner })?;
    Ok(value)
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
    /// The gateway answered with an error or with something unexpected. For a query (an
    /// idempotent operation), or a refusal in the gateway's own error body; a request that may
    /// have changed a payment and got an unreadable answer is [`Error::OutcomeUnknown`].
    #[error(transparent)]
    Response(ResponseError<A>),
    /// A request that may change a payment (a charge, refund, payout, capture, reversal)
    /// reached the gateway and its answer could not be read: a 5xx status, an HTML page, a
    /// malformed or oversized body. Whether the gateway acted is unknown, exactly as after a
    /// connection dropped after sending: check the status before trying again.
    #[error(
        "{operation}: outcome unknown, the request may have taken effect ({source}); \
         check the status before trying again"
    )]
    OutcomeUnknown {
        /// The operation's name ([`crate::Operation::NAME`]).
        operation: &'static str,
        /// What was wrong with the answer.
        #[source]
        source: ResponseError<A>,
    },
    /// A flow of several requests failed after its first request was sent: see
    /// [`FlowError::step`] and [`FlowError::sent`]. Never "nothing was sent".
    #[error(transparent)]
    Flow(FlowError<A>),
}

/// A [`crate::Flow`] that failed at a later step: which step failed, which requests had been
/// sent, and the error of the failing step.
///
/// ```
/// use azpay_core::{error::FlowError, BuildError, Error};
/// let e: Error<std::fmt::Error> = FlowError::new(
///     "pay_with_saved_card",
///     "set-token",
///     vec!["create-order"],
///     Error::Build(BuildError::invalid("storedId", "must be a positive id")),
/// )
/// .reference("order 42")
/// .into();
/// assert!(!e.may_have_happened());
/// assert!(!e.nothing_sent());
/// assert!(e.to_string().contains("after create-order was sent"), "{e}");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct FlowError<A> {
    /// The flow's name ([`crate::Flow::NAME`]).
    pub flow: &'static str,
    /// The step that failed (`"set-token"`, `"exec-tran"`, `"refund"`, …).
    pub step: &'static str,
    /// The steps whose requests were sent, in order (the failing step is among them when its
    /// request went out).
    pub sent: Vec<&'static str>,
    /// What the flow had created before it failed, for reconciling (`"order 123"`).
    pub reference: Option<String>,
    /// The failing step's own error.
    pub source: Box<Error<A>>,
}

impl<A> FlowError<A> {
    /// A flow failure at `step` after the requests named in `sent` went out.
    pub fn new(
        flow: &'static str,
        step: &'static str,
        sent: Vec<&'static str>,
        source: Error<A>,
    ) -> Self {
        FlowError {
            flow,
            step,
            sent,
            reference: None,
            source: Box::new(source),
        }
    }

    /// Sets [`FlowError::reference`].
    pub fn reference(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }
}

impl<A: fmt::Display> fmt::Display for FlowError<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: step `{}` failed", self.flow, self.step)?;
        if !self.sent.is_empty() {
            write!(f, " after {} was sent", self.sent.join(", "))?;
        }
        if let Some(r) = &self.reference {
            write!(f, " ({r})")?;
        }
        write!(f, ": {}", self.source)
    }
}

impl<A: std::error::Error + 'static> std::error::Error for FlowError<A> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

impl<A> From<FlowError<A>> for Error<A> {
    fn from(e: FlowError<A>) -> Self {
        Error::Flow(e)
    }
}

/// Whether a body looks like an HTML page (a proxy's or web server's error page).
fn looks_like_html(body: &[u8]) -> bool {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let head = &body[start..body.len().min(start + 512)];
    let lower = head.to_ascii_lowercase();
    lower.starts_with(b"<!doctype html") || lower.windows(5).any(|w| w == b"<html")
}

impl<A> From<ResponseError<A>> for Error<A> {
    fn from(e: ResponseError<A>) -> Self {
        Error::Response(e)
    }
}

impl<A> Error<A> {
    /// The gateway's own error body, if that is what this is.
    ///
    /// Looks inside [`Error::Flow`]: a flow's failing step may be the gateway's refusal.
    pub fn api(&self) -> Option<&A> {
        match self {
            Error::Response(ResponseError::Api(a)) => Some(a),
            Error::Flow(f) => f.source.api(),
            _ => None,
        }
    }

    /// Changes the API error type, everywhere inside (a flow's failing step too).
    pub fn map_api<B>(self, f: impl Fn(A) -> B) -> Error<B> {
        match self {
            Error::Build(b) => Error::Build(b),
            Error::Transport(t) => Error::Transport(t),
            Error::Response(r) => Error::Response(r.map_api(f)),
            Error::OutcomeUnknown { operation, source } => Error::OutcomeUnknown {
                operation,
                source: source.map_api(f),
            },
            Error::Flow(flow) => Error::Flow(FlowError {
                flow: flow.flow,
                step: flow.step,
                sent: flow.sent,
                reference: flow.reference,
                source: Box::new(flow.source.map_api(f)),
            }),
        }
    }

    /// Whether the request may have changed the payment although no usable answer came back:
    /// a transport failure after sending ([`crate::Phase::OutcomeUnknown`]),
    /// [`Error::OutcomeUnknown`], or a [`Error::Flow`] whose failing step is one of those. The
    /// caller must reconcile with a status query before trying again.
    ///
    /// ```
    /// use azpay_core::{Error, ResponseError};
    /// let answer = ResponseError::<std::fmt::Error>::Status {
    ///     status: http::StatusCode::BAD_GATEWAY,
    ///     body: b"<html>bad gateway</html>".to_vec().into(),
    /// };
    /// // A refund that got a 502 page back may have happened …
    /// assert!(Error::after_sending("refund", false, answer).may_have_happened());
    /// // … a status query that did cannot have changed anything.
    /// let answer = ResponseError::<std::fmt::Error>::malformed("not JSON", b"<html>".to_vec());
    /// assert!(!Error::after_sending("get_status", true, answer).may_have_happened());
    /// ```
    pub fn may_have_happened(&self) -> bool {
        match self {
            Error::Transport(t) => t.phase == crate::Phase::OutcomeUnknown,
            Error::OutcomeUnknown { .. } => true,
            Error::Flow(f) => f.source.may_have_happened(),
            Error::Build(_) | Error::Response(_) => false,
        }
    }

    /// The same as [`Error::may_have_happened`] (the older name).
    pub fn is_outcome_unknown(&self) -> bool {
        self.may_have_happened()
    }

    /// Whether nothing was sent: invalid input ([`Error::Build`]) or a transport failure before
    /// the request left ([`crate::Phase::NotSent`]). Safe to fix and send again.
    pub fn nothing_sent(&self) -> bool {
        match self {
            Error::Build(_) => true,
            Error::Transport(t) => t.phase == crate::Phase::NotSent,
            Error::Response(_) | Error::OutcomeUnknown { .. } | Error::Flow(_) => false,
        }
    }

    /// Classifies a parse failure of an answer that came back: for an operation that may
    /// change a payment (`idempotent == false`), an unreadable answer (5xx, an HTML page, a
    /// malformed or oversized body) is [`Error::OutcomeUnknown`]; a refusal in the gateway's
    /// own error body, a signature failure, and every failure of a query stay
    /// [`Error::Response`]. [`crate::execute`], [`crate::OneStep`] and every flow use it; a
    /// sans-IO caller that parses by hand can too.
    pub fn after_sending(
        operation: &'static str,
        idempotent: bool,
        error: ResponseError<A>,
    ) -> Self {
        if idempotent {
            return Error::Response(error);
        }
        let unreadable = match &error {
            ResponseError::Status { status, body } => {
                status.is_server_error() || looks_like_html(body.as_bytes())
            }
            ResponseError::Malformed { .. } | ResponseError::TooLarge { .. } => true,
            ResponseError::Api(_) | ResponseError::Signature(_) => false,
        };
        if unreadable {
            Error::OutcomeUnknown {
                operation,
                source: error,
            }
        } else {
            Error::Response(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16, body: &[u8]) -> ResponseError<std::fmt::Error> {
        ResponseError::Status {
            status: http::StatusCode::from_u16(code).unwrap(),
            body: body.to_vec().into(),
        }
    }

    #[test]
    fn unreadable_answers_to_payment_changing_requests_are_outcome_unknown() {
        let unknown = |e| Error::after_sending("refund", false, e);
        // 5xx with any body, an HTML page with any status, a malformed or oversized body.
        assert!(unknown(status(500, b"")).may_have_happened());
        assert!(unknown(status(503, br#"{"error":"busy"}"#)).may_have_happened());
        assert!(unknown(status(404, b"\n <!DOCTYPE html><p>gone")).may_have_happened());
        assert!(unknown(status(400, b"<HTML><BODY>proxy</BODY></HTML>")).may_have_happened());
        assert!(unknown(ResponseError::malformed("x", b"{".to_vec())).may_have_happened());
        assert!(unknown(ResponseError::TooLarge {
            limit: 1,
            actual: 2
        })
        .may_have_happened());
        // The gateway's own refusal and a non-HTML 4xx are answers: nothing happened.
        assert!(!unknown(ResponseError::Api(std::fmt::Error)).may_have_happened());
        assert!(!unknown(status(404, b"not found")).may_have_happened());
        assert!(!unknown(ResponseError::Signature(SignatureError::Mismatch)).may_have_happened());
        // A query's unreadable answer changed nothing.
        let e = Error::after_sending("get_status", true, status(500, b""));
        assert!(matches!(e, Error::Response(_)));
        assert!(!e.may_have_happened() && !e.nothing_sent());
    }

    #[test]
    fn outcome_unknown_says_what_to_do_and_keeps_the_answer() {
        let e = Error::after_sending("refund", false, status(502, b"<html>bad gateway</html>"));
        let text = e.to_string();
        assert!(text.starts_with("refund: outcome unknown"), "{text}");
        assert!(
            text.contains("check the status before trying again"),
            "{text}"
        );
        assert!(text.contains("502"), "{text}");
        let source = std::error::Error::source(&e).expect("the answer is the source");
        assert!(source.to_string().contains("bad gateway"));
        assert!(!e.nothing_sent());
    }

    #[test]
    fn flow_errors_are_never_nothing_sent() {
        let inner: Error<std::fmt::Error> = Error::Build(BuildError::invalid("storedId", "bad"));
        assert!(inner.nothing_sent());
        let e: Error<std::fmt::Error> =
            FlowError::new("payout", "set-token", vec!["create-order"], inner).into();
        assert!(!e.nothing_sent() && !e.may_have_happened());
        assert_eq!(
            e.to_string(),
            "payout: step `set-token` failed after create-order was sent: invalid `storedId`: bad"
        );
        let lost = Error::<std::fmt::Error>::after_sending("exec_tran", false, status(500, b""));
        let e: Error<std::fmt::Error> = FlowError::new(
            "payout",
            "exec-tran",
            vec!["create-order", "set-token", "exec-tran"],
            lost,
        )
        .reference("order 7")
        .into();
        assert!(e.may_have_happened());
        assert!(e.to_string().contains("(order 7)"), "{e}");
    }

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

    #[test]
    fn malformed_json_keeps_path_and_source() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct T {
            order: Inner,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            id: u64,
        }
        let body = br#"{"order":{"id":"x"}}"#;
        let e = from_json_slice::<T>(body).unwrap_err();
        let r = ResponseError::<std::fmt::Error>::malformed_json("bad", e, body.to_vec());
        assert_eq!(r.malformed_path(), Some("order.id"));
        assert!(r.to_string().contains("(at `order.id`)"), "{r}");
        let source = std::error::Error::source(&r).expect("a source");
        assert!(source.is::<serde_json::Error>());
        // Trailing garbage fails at the root, without a path.
        let e = from_json_slice::<serde_json::Value>(b"{} x").unwrap_err();
        assert_eq!(e.path, None);
        assert_eq!(
            ResponseError::<std::fmt::Error>::malformed("m", Vec::new()).malformed_path(),
            None
        );
    }
}
