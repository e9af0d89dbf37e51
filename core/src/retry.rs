//! When to send a request again: a pure policy that transports apply.
//!
//! The rule that keeps a payment from being sent twice: only idempotent operations (status
//! queries) are retried after an unknown outcome or a gateway's 502/503/504; every other
//! operation is retried only when the request certainly did not leave ([`Phase::NotSent`]).
//! The policy reads no clock and draws no random number: the caller passes the jitter in.
//!
//! Both azpay transports apply it (`.retry_policy(...)` on their builders, default
//! [`RetryPolicy::default`], off with [`RetryPolicy::never`]): they call
//! [`RetryPolicy::after_error`] or [`RetryPolicy::after_status`] after each attempt with a
//! jitter drawn from a small xorshift generator, sleep, and send a copy of the request. A
//! request without [`RequestMeta`] is treated as not idempotent; TLS refusals and invalid
//! requests are not retried (they would fail the same way); when an earlier attempt may have
//! reached the gateway, the final error says `OutcomeUnknown` even if the last attempt was
//! `NotSent`. When a payment ends `OutcomeUnknown`, find out what happened with
//! [`crate::reconcile`].
//!
//! ```
//! use std::time::Duration;
//! use azpay_core::retry::{Decision, RetryPolicy};
//! use azpay_core::{Phase, RequestMeta};
//!
//! let policy = RetryPolicy::default();
//! let payment = RequestMeta { gateway: "epoint", operation: "pay", idempotent: false,
//!                             requires_client_identity: false };
//! // A payment that timed out after sending is never retried: reconcile instead.
//! assert_eq!(policy.after_error(1, &payment, Phase::OutcomeUnknown, 0.5), Decision::Stop);
//! // One that was never sent is.
//! assert!(matches!(policy.after_error(1, &payment, Phase::NotSent, 0.5), Decision::RetryAfter(_)));
//! ```

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::transport::{Phase, RequestMeta, TransportError, TransportErrorKind};
use crate::{HttpRequest, HttpResponse};

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send the same request again after this pause.
    RetryAfter(Duration),
    /// Return the last result to the caller.
    Stop,
}

/// How many times, and how patiently, to send a request again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included. `1` turns retries off.
    pub max_attempts: u32,
    /// The pause before the second attempt; doubled for each later one.
    pub base_delay: Duration,
    /// The longest pause.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, 200 ms then 400 ms (before jitter), at most 5 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The pause before attempt `attempt + 1`, scaled by `jitter` in `0.0..=1.0` (values
    /// outside are clamped): "full jitter", a uniformly drawn fraction of the exponential
    /// back-off, keeps many clients from retrying in step.
    pub fn delay(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = attempt.saturating_sub(1).min(20);
        let backoff = self
            .base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay);
        let jitter = if jitter.is_nan() {
            1.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        backoff.mul_f64(jitter)
    }

    /// After attempt number `attempt` (1-based) failed in the transport.
    pub fn after_error(
        &self,
        attempt: u32,
        meta: &RequestMeta,
        phase: Phase,
        jitter: f64,
    ) -> Decision {
        let may_repeat = phase == Phase::NotSent || meta.idempotent;
        if may_repeat && attempt < self.max_attempts {
            Decision::RetryAfter(self.delay(attempt, jitter))
        } else {
            Decision::Stop
        }
    }

    /// After attempt number `attempt` (1-based) got an HTTP response with this status.
    /// Only idempotent requests are retried, and only on 502, 503 and 504.
    pub fn after_status(
        &self,
        attempt: u32,
        meta: &RequestMeta,
        status: http::StatusCode,
        jitter: f64,
    ) -> Decision {
        let transient = matches!(status.as_u16(), 502..=504);
        if transient && meta.idempotent && attempt < self.max_attempts {
            Decision::RetryAfter(self.delay(attempt, jitter))
        } else {
            Decision::Stop
        }
    }
}

/// The retry loop of a transport, without the I/O: feed it the result of each attempt and it
/// says whether to pause and send again, or hands back the final result.
///
/// It applies the [`RetryPolicy`] to the request's [`RequestMeta`] (a request without one is
/// treated as not idempotent), never retries failures that would only repeat (TLS refusals,
/// invalid requests, a missing client identity), and keeps the one fact a caller must not
/// lose: once any attempt may have reached the gateway, the final error says
/// [`Phase::OutcomeUnknown`] even if the last attempt was [`Phase::NotSent`].
///
/// ```
/// use azpay_core::retry::{Attempts, Next, RetryPolicy};
/// use azpay_core::{HttpRequest, TransportError, TransportErrorKind};
///
/// let policy = RetryPolicy::default();
/// let request: HttpRequest = http::Request::new(Vec::new()); // no meta: not idempotent
/// let mut attempts = Attempts::new(&policy, &request);
/// let refused = TransportError::not_sent(TransportErrorKind::Connect, "refused");
/// assert!(matches!(attempts.next(Err(refused), 0.5), Next::RetryAfter(_)));
/// let timeout = TransportError::outcome_unknown(TransportErrorKind::Timeout, "timeout");
/// assert!(matches!(attempts.next(Err(timeout), 0.5), Next::Done(Err(_))));
/// ```
#[derive(Debug)]
pub struct Attempts<'a> {
    policy: &'a RetryPolicy,
    meta: RequestMeta,
    attempt: u32,
    may_have_left: bool,
}

/// What [`Attempts::next`] decided.
#[derive(Debug)]
pub enum Next {
    /// Pause this long, then send a fresh copy of the request ([`copy_request`]).
    RetryAfter(Duration),
    /// The final result of the call.
    Done(Result<HttpResponse, TransportError>),
}

/// What a transport assumes about a request without [`RequestMeta`]: not idempotent.
pub const UNKNOWN_META: RequestMeta = RequestMeta {
    gateway: "unknown",
    operation: "unknown",
    idempotent: false,
    requires_client_identity: false,
};

impl<'a> Attempts<'a> {
    /// The first attempt of `request` under `policy`.
    pub fn new(policy: &'a RetryPolicy, request: &HttpRequest) -> Self {
        Attempts {
            policy,
            meta: RequestMeta::of(request).copied().unwrap_or(UNKNOWN_META),
            attempt: 1,
            may_have_left: false,
        }
    }

    /// The request's meta (or [`UNKNOWN_META`]).
    pub fn meta(&self) -> &RequestMeta {
        &self.meta
    }

    /// The number of the current attempt, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Takes the current attempt's result; `jitter` in `0.0..=1.0` scales the pause.
    pub fn next(&mut self, result: Result<HttpResponse, TransportError>, jitter: f64) -> Next {
        let decision = match &result {
            Ok(response) => {
                self.policy
                    .after_status(self.attempt, &self.meta, response.status(), jitter)
            }
            Err(e) if is_permanent(e.kind) => Decision::Stop,
            Err(e) => self
                .policy
                .after_error(self.attempt, &self.meta, e.phase, jitter),
        };
        match decision {
            Decision::Stop => {
                let may_have_left = self.may_have_left;
                Next::Done(result.map_err(|e| after_earlier(e, may_have_left)))
            }
            Decision::RetryAfter(pause) => {
                self.may_have_left |= match &result {
                    Ok(_) => true,
                    Err(e) => e.phase != Phase::NotSent,
                };
                self.attempt += 1;
                Next::RetryAfter(pause)
            }
        }
    }
}

/// Failures that a new attempt would only repeat.
fn is_permanent(kind: TransportErrorKind) -> bool {
    matches!(
        kind,
        TransportErrorKind::Tls
            | TransportErrorKind::InvalidRequest
            | TransportErrorKind::ClientIdentityMissing
    )
}

/// The error of the last attempt, as `OutcomeUnknown` when an earlier attempt may have
/// reached the gateway (a retried query: harmless, but "not sent" would be untrue).
fn after_earlier(e: TransportError, may_have_left: bool) -> TransportError {
    if may_have_left && e.phase == Phase::NotSent {
        TransportError::outcome_unknown(e.kind, EarlierAttempt(e.source))
    } else {
        e
    }
}

#[derive(Debug)]
struct EarlierAttempt(Box<dyn std::error::Error + Send + Sync>);
impl std::fmt::Display for EarlierAttempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (after an earlier attempt that may have reached the gateway)",
            self.0
        )
    }
}
impl std::error::Error for EarlierAttempt {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// A copy of the request for another attempt: method, URI, version, headers, body and its
/// [`RequestMeta`].
pub fn copy_request(request: &HttpRequest) -> HttpRequest {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    if let Some(meta) = RequestMeta::of(request) {
        copy.extensions_mut().insert(*meta);
    }
    copy
}

/// A tiny xorshift generator of jitter fractions, shareable across threads. The caller seeds
/// it (the core reads no clock and no entropy); it is not for secrets.
#[derive(Debug)]
pub struct Jitter(AtomicU64);

impl Jitter {
    /// A generator from `seed` (any value; zero is made odd).
    pub fn new(seed: u64) -> Self {
        Jitter(AtomicU64::new(seed | 1))
    }

    /// The next fraction in `0.0..1.0`.
    pub fn next(&self) -> f64 {
        let step = |mut x: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let previous = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |x| Some(step(x)))
            .unwrap_or(1);
        (step(previous) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(idempotent: bool) -> RequestMeta {
        RequestMeta {
            gateway: "kapital",
            operation: "x",
            idempotent,
            requires_client_identity: false,
        }
    }

    #[test]
    fn payments_retry_only_when_not_sent() {
        let p = RetryPolicy::default();
        let pay = meta(false);
        assert_eq!(
            p.after_error(1, &pay, Phase::OutcomeUnknown, 1.0),
            Decision::Stop
        );
        assert_eq!(
            p.after_error(1, &pay, Phase::NotSent, 1.0),
            Decision::RetryAfter(Duration::from_millis(200))
        );
        assert_eq!(
            p.after_status(1, &pay, http::StatusCode::SERVICE_UNAVAILABLE, 1.0),
            Decision::Stop
        );
    }

    #[test]
    fn queries_retry_on_unknown_and_transient_statuses() {
        let p = RetryPolicy::default();
        let q = meta(true);
        assert_eq!(
            p.after_error(1, &q, Phase::OutcomeUnknown, 1.0),
            Decision::RetryAfter(Duration::from_millis(200))
        );
        assert_eq!(
            p.after_error(2, &q, Phase::OutcomeUnknown, 1.0),
            Decision::RetryAfter(Duration::from_millis(400))
        );
        assert_eq!(
            p.after_error(3, &q, Phase::OutcomeUnknown, 1.0),
            Decision::Stop
        );
        for s in [502, 503, 504] {
            let s = http::StatusCode::from_u16(s).unwrap();
            assert!(matches!(
                p.after_status(1, &q, s, 0.5),
                Decision::RetryAfter(_)
            ));
        }
        for s in [200, 400, 404, 500, 501] {
            let s = http::StatusCode::from_u16(s).unwrap();
            assert_eq!(p.after_status(1, &q, s, 0.5), Decision::Stop);
        }
    }

    #[test]
    fn delays_are_capped_and_jittered() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(1, 0.5), Duration::from_millis(100));
        assert_eq!(p.delay(100, 1.0), Duration::from_secs(5));
        assert_eq!(p.delay(1, -3.0), Duration::ZERO);
        assert_eq!(p.delay(1, f64::NAN), Duration::from_millis(200));
        assert_eq!(
            RetryPolicy::never().after_error(1, &meta(true), Phase::NotSent, 1.0),
            Decision::Stop
        );
    }

    fn error(phase: Phase, kind: TransportErrorKind) -> Result<HttpResponse, TransportError> {
        Err(TransportError {
            phase,
            kind,
            source: "x".into(),
        })
    }

    fn with_meta(idempotent: bool) -> HttpRequest {
        let mut r = http::Request::new(b"body".to_vec());
        r.extensions_mut().insert(meta(idempotent));
        r
    }

    #[test]
    fn attempts_keep_unknown_outcomes_unknown() {
        let p = RetryPolicy::default();
        let q = with_meta(true);
        let mut a = Attempts::new(&p, &q);
        assert!(a.meta().idempotent);
        assert!(matches!(
            a.next(
                error(Phase::OutcomeUnknown, TransportErrorKind::Timeout),
                1.0
            ),
            Next::RetryAfter(_)
        ));
        assert_eq!(a.attempt(), 2);
        assert!(matches!(
            a.next(error(Phase::NotSent, TransportErrorKind::Connect), 1.0),
            Next::RetryAfter(_)
        ));
        // The third and last attempt was not sent, but the first may have been.
        match a.next(error(Phase::NotSent, TransportErrorKind::Connect), 1.0) {
            Next::Done(Err(e)) => {
                assert_eq!(e.phase, Phase::OutcomeUnknown);
                assert!(e.source.to_string().contains("earlier attempt"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn attempts_never_repeat_permanent_failures_or_unknown_payments() {
        let p = RetryPolicy::default();
        let q = with_meta(true);
        let mut a = Attempts::new(&p, &q);
        assert!(matches!(
            a.next(error(Phase::NotSent, TransportErrorKind::Tls), 1.0),
            Next::Done(Err(_))
        ));
        let pay = with_meta(false);
        let mut a = Attempts::new(&p, &pay);
        match a.next(error(Phase::OutcomeUnknown, TransportErrorKind::Io), 1.0) {
            Next::Done(Err(e)) => assert_eq!(e.phase, Phase::OutcomeUnknown),
            other => panic!("{other:?}"),
        }
        // No meta at all: treated as a payment.
        let bare: HttpRequest = http::Request::new(Vec::new());
        let mut a = Attempts::new(&p, &bare);
        assert!(!a.meta().idempotent);
        let mut busy = http::Response::new(Vec::new());
        *busy.status_mut() = http::StatusCode::SERVICE_UNAVAILABLE;
        assert!(matches!(a.next(Ok(busy), 1.0), Next::Done(Ok(_))));
    }

    #[test]
    fn copies_carry_everything_and_jitter_stays_in_range() {
        let mut r = with_meta(true);
        *r.method_mut() = http::Method::POST;
        *r.uri_mut() = "https://x.example/a?b=c".parse().unwrap();
        r.headers_mut().insert("x-k", "v".parse().unwrap());
        let c = copy_request(&r);
        assert_eq!(c.method(), r.method());
        assert_eq!(c.uri(), r.uri());
        assert_eq!(c.headers(), r.headers());
        assert_eq!(c.body(), r.body());
        assert_eq!(RequestMeta::of(&c), RequestMeta::of(&r));
        let j = Jitter::new(0);
        let draws: Vec<f64> = (0..1000).map(|_| j.next()).collect();
        assert!(draws.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(draws.iter().any(|x| *x < 0.5) && draws.iter().any(|x| *x >= 0.5));
    }
}
