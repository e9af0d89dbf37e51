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

use std::time::Duration;

use crate::transport::{Phase, RequestMeta};

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
}
