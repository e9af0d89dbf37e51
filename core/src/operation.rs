//! The core contract: a [`Gateway`], its [`Operation`]s (one request, one response) and
//! [`Flow`]s (several requests in sequence), and the functions that run them over a transport.

use crate::error::{Error, FlowError, ResponseError};
use crate::transport::{AsyncTransport, RequestMeta, SyncTransport};
use crate::{BuildError, HttpRequest, HttpResponse};

/// A payment gateway: its name, its configuration and its own error body.
pub trait Gateway: 'static {
    /// `"epoint"`, `"kapital"` or `"twec"`.
    const NAME: &'static str;
    /// Whether every request to this gateway needs a TLS client certificate (TWEC).
    const REQUIRES_CLIENT_IDENTITY: bool = false;
    /// Base URL, merchant ids and secrets. Its `Debug` never shows a secret.
    type Config: std::fmt::Debug + Send + Sync;
    /// The gateway's own typed error body.
    type ApiError: std::error::Error + Send + Sync + 'static;
}

/// The configuration type of an operation's gateway.
pub type ConfigOf<O> = <<O as Operation>::Gateway as Gateway>::Config;
/// The API error type of an operation's gateway.
pub type ApiErrorOf<O> = <<O as Operation>::Gateway as Gateway>::ApiError;

/// One request/response exchange with a gateway.
///
/// One struct per operation: required fields in `new`, optional ones as setters. Validation
/// happens in [`Operation::build_request`], before anything is sent. A declined payment is an
/// `Output` value, not an error.
pub trait Operation {
    /// The gateway this operation talks to.
    type Gateway: Gateway;
    /// The typed outcome.
    type Output;
    /// A short name for logs and tracing, e.g. `"pay"` or `"get_status"`.
    const NAME: &'static str;
    /// `true` only for queries (status, information): sending them twice is harmless, so a
    /// transport may retry them after an unknown outcome.
    const IDEMPOTENT: bool;

    /// Validates the input and builds the exact HTTP request.
    fn build_request(&self, config: &ConfigOf<Self>) -> Result<HttpRequest, BuildError>;

    /// Parses the gateway's answer into the typed outcome.
    fn parse_response(
        &self,
        config: &ConfigOf<Self>,
        response: HttpResponse,
    ) -> Result<Self::Output, ResponseError<ApiErrorOf<Self>>>;

    /// The request to send: [`Operation::build_request`] with this operation's
    /// [`Operation::meta`] attached as an [`http::Extensions`] value. **This is the method a
    /// sans-IO caller uses**; [`execute`], [`execute_async`], [`OneStep`] and the Kapital
    /// flows call it too, so every request leaves the core the same way.
    ///
    /// Besides the operation's own validation it checks what the core can check without a
    /// transport: the URI must be absolute `http` or `https` with a host (a transport would
    /// refuse anything else before connecting). Whether a TLS client certificate is needed
    /// is on the meta ([`RequestMeta::requires_client_identity`], TWEC); a caller with its
    /// own HTTP client passes what it knows to [`crate::transport::prepare_request`], which
    /// refuses such a request when the client has no certificate and completes the
    /// `User-Agent` and `Content-Length` headers.
    ///
    /// ```
    /// use azpay_core::{twec, Operation, RequestMeta};
    ///
    /// let config = twec::Config::kapital_test("E1000010");
    /// let request = twec::GetOrderStatus::new("123", "SESSION").request(&config)?;
    /// let meta = RequestMeta::of(&request).expect("attached");
    /// assert_eq!((meta.gateway, meta.operation), ("twec", "get_order_status"));
    /// assert!(meta.requires_client_identity && meta.idempotent);
    /// # Ok::<(), azpay_core::BuildError>(())
    /// ```
    fn request(&self, config: &ConfigOf<Self>) -> Result<HttpRequest, BuildError> {
        let mut request = self.build_request(config)?;
        check_uri(request.uri())?;
        request.extensions_mut().insert(self.meta());
        Ok(request)
    }

    /// The [`RequestMeta`] that [`Operation::request`] attaches to this operation's request.
    fn meta(&self) -> RequestMeta {
        RequestMeta {
            gateway: <Self::Gateway as Gateway>::NAME,
            operation: Self::NAME,
            idempotent: Self::IDEMPOTENT,
            requires_client_identity: <Self::Gateway as Gateway>::REQUIRES_CLIENT_IDENTITY,
        }
    }
}

/// What a [`Flow`] wants next.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // the request is the point; boxing it buys nothing
pub enum Step<T> {
    /// Send this request and call [`Flow::step`] again with its response.
    Send(HttpRequest),
    /// The flow is finished.
    Done(T),
}

/// Several requests in sequence (Kapital: create order, set token, execute), as a state
/// machine that the caller drives with any transport. Every [`Operation`] is a one-step flow
/// through [`OneStep`].
///
/// Driving a flow by hand:
///
/// ```
/// use azpay_core::{epoint, Flow, HttpResponse, OneStep, Step};
///
/// let config = epoint::Config::new("i000000001", "private-key");
/// let mut flow = OneStep(epoint::GetStatus::by_transaction("te000000001"));
/// // Your own client: here, one that answers every request with a fixture.
/// let my_client = |_request: azpay_core::HttpRequest| -> HttpResponse {
///     http::Response::new(br#"{"status":"success","code":"000","transaction":"te000000001"}"#.to_vec())
/// };
/// let mut last = None;
/// let outcome = loop {
///     match flow.step(&config, last.take())? {
///         Step::Send(request) => last = Some(my_client(request)),
///         Step::Done(outcome) => break outcome,
///     }
/// };
/// assert!(outcome.is_paid());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Flow {
    /// The gateway this flow talks to.
    type Gateway: Gateway;
    /// The typed outcome of the whole flow.
    type Output;
    /// A short name for logs and tracing.
    const NAME: &'static str;

    /// Advances the flow. The first call gets `None`; every later call gets the response to
    /// the request the previous call asked to send.
    #[allow(clippy::type_complexity)]
    fn step(
        &mut self,
        config: &<Self::Gateway as Gateway>::Config,
        last: Option<HttpResponse>,
    ) -> Result<Step<Self::Output>, Error<<Self::Gateway as Gateway>::ApiError>>;
}

/// An [`Operation`] seen as a one-step [`Flow`].
#[derive(Debug, Clone)]
pub struct OneStep<O>(pub O);

impl<O: Operation> Flow for OneStep<O> {
    type Gateway = O::Gateway;
    type Output = O::Output;
    const NAME: &'static str = O::NAME;

    fn step(
        &mut self,
        config: &ConfigOf<O>,
        last: Option<HttpResponse>,
    ) -> Result<Step<O::Output>, Error<ApiErrorOf<O>>> {
        match last {
            None => Ok(Step::Send(self.0.request(config)?)),
            Some(response) => Ok(Step::Done(parse_after_sending(&self.0, config, response)?)),
        }
    }
}

/// The URI checks of [`crate::transport::prepare_request`] that need no transport.
fn check_uri(uri: &http::Uri) -> Result<(), BuildError> {
    let reason = match uri.scheme_str() {
        Some("http") | Some("https") if uri.host().is_some_and(|h| !h.is_empty()) => return Ok(()),
        Some("http") | Some("https") => "the URI has no host".to_owned(),
        Some(other) => format!("unsupported URI scheme `{other}`"),
        None => "the URI is not absolute (no scheme)".to_owned(),
    };
    Err(BuildError::invalid("base_url", reason))
}

fn attach_meta(request: &mut HttpRequest, meta: RequestMeta) {
    if RequestMeta::of(request).is_none() {
        request.extensions_mut().insert(meta);
    }
}

/// Builds the request, sends it, parses the response.
///
/// The request is [`Operation::request`]: it carries its [`RequestMeta`], so the transport
/// knows whether it may retry.
///
/// ```
/// use azpay_core::{execute, epoint, HttpRequest, HttpResponse, TransportError};
///
/// let config = epoint::Config::new("i000000001", "secret");
/// let status = epoint::GetStatus::by_transaction("te000000001");
/// let transport = |_: HttpRequest| -> Result<HttpResponse, TransportError> {
///     Ok(http::Response::new(br#"{"status":"success","code":"000","transaction":"te000000001"}"#.to_vec()))
/// };
/// let outcome = execute(&status, &config, &transport)?;
/// assert_eq!(outcome.transaction.as_deref(), Some("te000000001"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn execute<O, T>(
    operation: &O,
    config: &ConfigOf<O>,
    transport: &T,
) -> Result<O::Output, Error<ApiErrorOf<O>>>
where
    O: Operation,
    T: SyncTransport + ?Sized,
{
    let request = operation.request(config)?;
    let response = transport.send(request)?;
    parse_after_sending(operation, config, response)
}

/// [`execute`] for asynchronous transports, on any runtime.
pub async fn execute_async<O, T>(
    operation: &O,
    config: &ConfigOf<O>,
    transport: &T,
) -> Result<O::Output, Error<ApiErrorOf<O>>>
where
    O: Operation,
    T: AsyncTransport + ?Sized,
{
    let request = operation.request(config)?;
    let response = transport.send(request).await?;
    parse_after_sending(operation, config, response)
}

/// [`Operation::parse_response`] for an answer that came back to a sent request, with the
/// failure classified by [`Error::after_sending`]: an unreadable answer to an operation that
/// may change a payment is [`Error::OutcomeUnknown`], never a plain response error. Flows use
/// it for each of their steps.
pub fn parse_after_sending<O: Operation>(
    operation: &O,
    config: &ConfigOf<O>,
    response: HttpResponse,
) -> Result<O::Output, Error<ApiErrorOf<O>>> {
    operation
        .parse_response(config, response)
        .map_err(|e| Error::after_sending(O::NAME, O::IDEMPOTENT, e))
}

fn flow_meta<F: Flow>() -> RequestMeta {
    RequestMeta {
        gateway: <F::Gateway as Gateway>::NAME,
        operation: F::NAME,
        idempotent: false,
        requires_client_identity: <F::Gateway as Gateway>::REQUIRES_CLIENT_IDENTITY,
    }
}

/// The most requests one flow may ask for; a flow asking for more is a bug, reported as a
/// [`BuildError`] instead of looping forever.
pub const MAX_FLOW_STEPS: usize = 16;

fn too_many_steps<A>() -> Error<A> {
    Error::Build(BuildError::Encoding(format!(
        "flow asked for more than {MAX_FLOW_STEPS} requests"
    )))
}

/// Drives a [`Flow`] to its end over a blocking transport.
///
/// Requests without their own [`RequestMeta`] are marked non-idempotent.
pub fn execute_flow<F, T>(
    flow: &mut F,
    config: &<F::Gateway as Gateway>::Config,
    transport: &T,
) -> Result<F::Output, Error<<F::Gateway as Gateway>::ApiError>>
where
    F: Flow,
    T: SyncTransport + ?Sized,
{
    let mut last = None;
    let mut sent = Vec::new();
    for _ in 0..=MAX_FLOW_STEPS {
        match flow.step(config, last.take())? {
            Step::Send(mut request) => {
                attach_meta(&mut request, flow_meta::<F>());
                let step = step_name::<F>(&request);
                let answer = transport.send(request);
                last = Some(after_transport::<F, _>(answer, step, &mut sent)?);
            }
            Step::Done(output) => return Ok(output),
        }
    }
    Err(too_many_steps())
}

/// The name of the step a flow's request belongs to: its own operation's name.
fn step_name<F: Flow>(request: &HttpRequest) -> &'static str {
    RequestMeta::of(request).map_or(F::NAME, |m| m.operation)
}

/// A transport failure of a flow's request: bare for the first request (nothing of the flow
/// was sent before it), an [`Error::Flow`] naming the step for any later one, so that
/// [`Error::nothing_sent`] never says "nothing was sent" after a step went out.
fn after_transport<F: Flow, A>(
    answer: Result<HttpResponse, crate::TransportError>,
    step: &'static str,
    sent: &mut Vec<&'static str>,
) -> Result<HttpResponse, Error<A>> {
    let failed_before_sending = matches!(&answer, Err(e) if e.phase == crate::Phase::NotSent);
    match answer {
        Ok(response) => {
            sent.push(step);
            Ok(response)
        }
        Err(e) if sent.is_empty() => Err(e.into()),
        Err(e) => {
            let mut sent_now = sent.clone();
            if !failed_before_sending {
                sent_now.push(step);
            }
            Err(FlowError::new(F::NAME, step, sent_now, Error::Transport(e)).into())
        }
    }
}

/// Drives a [`Flow`] to its end over an asynchronous transport.
pub async fn execute_flow_async<F, T>(
    flow: &mut F,
    config: &<F::Gateway as Gateway>::Config,
    transport: &T,
) -> Result<F::Output, Error<<F::Gateway as Gateway>::ApiError>>
where
    F: Flow,
    T: AsyncTransport + ?Sized,
{
    let mut last = None;
    let mut sent = Vec::new();
    for _ in 0..=MAX_FLOW_STEPS {
        match flow.step(config, last.take())? {
            Step::Send(mut request) => {
                attach_meta(&mut request, flow_meta::<F>());
                let step = step_name::<F>(&request);
                let answer = transport.send(request).await;
                last = Some(after_transport::<F, _>(answer, step, &mut sent)?);
            }
            Step::Done(output) => return Ok(output),
        }
    }
    Err(too_many_steps())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TransportError;

    struct Dummy;
    impl Gateway for Dummy {
        const NAME: &'static str = "dummy";
        type Config = ();
        type ApiError = std::fmt::Error;
    }

    /// An operation whose answer must be the two bytes `ok`.
    struct Op<const IDEMPOTENT: bool>;
    impl<const I: bool> Operation for Op<I> {
        type Gateway = Dummy;
        type Output = ();
        const NAME: &'static str = if I { "query" } else { "charge" };
        const IDEMPOTENT: bool = I;
        fn build_request(&self, _: &()) -> Result<HttpRequest, BuildError> {
            Ok(http::Request::post("https://gateway.test/x").body(Vec::new())?)
        }
        fn parse_response(
            &self,
            _: &(),
            response: HttpResponse,
        ) -> Result<(), ResponseError<std::fmt::Error>> {
            if response.status().is_server_error() {
                return Err(ResponseError::Status {
                    status: response.status(),
                    body: response.into_body().into(),
                });
            }
            match response.body().as_slice() {
                b"ok" => Ok(()),
                b"refused" => Err(ResponseError::Api(std::fmt::Error)),
                _ => Err(ResponseError::malformed("not ok", response.into_body())),
            }
        }
    }

    fn answering(
        status: u16,
        body: &'static [u8],
    ) -> impl Fn(HttpRequest) -> Result<HttpResponse, TransportError> {
        move |_| {
            let mut r = http::Response::new(body.to_vec());
            *r.status_mut() = http::StatusCode::from_u16(status).unwrap();
            Ok(r)
        }
    }

    #[test]
    fn execute_reports_an_unreadable_answer_to_a_charge_as_outcome_unknown() {
        let e = execute(&Op::<false>, &(), &answering(500, b"<html>oops</html>")).unwrap_err();
        assert!(
            matches!(
                e,
                Error::OutcomeUnknown {
                    operation: "charge",
                    ..
                }
            ),
            "{e:?}"
        );
        let e = execute(&Op::<false>, &(), &answering(200, b"<html>")).unwrap_err();
        assert!(e.may_have_happened());
        // The gateway's own refusal is an answer.
        let e = execute(&Op::<false>, &(), &answering(200, b"refused")).unwrap_err();
        assert!(matches!(e, Error::Response(ResponseError::Api(_))));
        // The same answers to a query changed nothing.
        let e = execute(&Op::<true>, &(), &answering(500, b"<html>oops</html>")).unwrap_err();
        assert!(matches!(e, Error::Response(_)) && !e.may_have_happened());
        // And `OneStep` (what the flow drivers and hand-driven callers use) agrees.
        let e = execute_flow(&mut OneStep(Op::<false>), &(), &answering(502, b"")).unwrap_err();
        assert!(e.may_have_happened(), "{e:?}");
        assert!(execute(&Op::<false>, &(), &answering(200, b"ok")).is_ok());
    }

    /// Two requests: a query, then a charge.
    struct TwoSteps(u8);
    impl Flow for TwoSteps {
        type Gateway = Dummy;
        type Output = ();
        const NAME: &'static str = "two_steps";
        fn step(
            &mut self,
            config: &(),
            last: Option<HttpResponse>,
        ) -> Result<Step<()>, Error<std::fmt::Error>> {
            self.0 += 1;
            match (self.0, last) {
                (1, None) => Ok(Step::Send(Op::<true>.request(config)?)),
                (2, Some(_)) => Ok(Step::Send(Op::<false>.request(config)?)),
                (_, Some(r)) => Ok(Step::Done(parse_after_sending(&Op::<false>, config, r)?)),
                _ => unreachable!("driven in order"),
            }
        }
    }

    #[test]
    fn a_transport_failure_after_the_first_step_is_a_flow_error() {
        use crate::{Phase, TransportErrorKind};
        let failing_second = |phase: Phase| {
            let calls = std::cell::Cell::new(0);
            move |_: HttpRequest| -> Result<HttpResponse, TransportError> {
                calls.set(calls.get() + 1);
                if calls.get() == 1 {
                    return Ok(http::Response::new(b"ok".to_vec()));
                }
                Err(match phase {
                    Phase::NotSent => {
                        TransportError::not_sent(TransportErrorKind::Connect, "refused")
                    }
                    _ => TransportError::outcome_unknown(TransportErrorKind::Timeout, "timed out"),
                })
            }
        };
        let e = execute_flow(&mut TwoSteps(0), &(), &failing_second(Phase::NotSent)).unwrap_err();
        match &e {
            Error::Flow(f) => {
                assert_eq!((f.flow, f.step), ("two_steps", "charge"));
                assert_eq!(f.sent, vec!["query"], "the charge never left");
            }
            other => panic!("{other:?}"),
        }
        assert!(!e.nothing_sent() && !e.may_have_happened());
        let e = execute_flow(
            &mut TwoSteps(0),
            &(),
            &failing_second(Phase::OutcomeUnknown),
        )
        .unwrap_err();
        assert!(e.may_have_happened(), "{e:?}");
        assert!(matches!(&e, Error::Flow(f) if f.sent == ["query", "charge"]));
        // The first request failing is the plain transport error: nothing of the flow went out.
        let refused = |_: HttpRequest| -> Result<HttpResponse, TransportError> {
            Err(TransportError::not_sent(
                TransportErrorKind::Connect,
                "refused",
            ))
        };
        let e = execute_flow(&mut TwoSteps(0), &(), &refused).unwrap_err();
        assert!(matches!(e, Error::Transport(_)) && e.nothing_sent());
    }
}
