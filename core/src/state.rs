//! [`State`]: the one outcome word that means the same on every gateway.
//!
//! Every operation's output carries a `state` field of this type (the gateway's own word and
//! code stay beside it). The fifth outcome, **unknown**, is not a state but an error: a request
//! that may have changed a payment and got no usable answer is an [`crate::Error`] whose
//! [`crate::Error::may_have_happened`] is `true`.
//!
//! | `State` | meaning | examples |
//! |---|---|---|
//! | [`State::Done`] | the action or payment happened as asked | paid, approved, authorised (a hold), captured, a refund done |
//! | [`State::Declined`] | it did not happen and will not | declined, failed, expired, cancelled by the customer |
//! | [`State::Pending`] | the gateway has it but has not decided | `new`, `Preparing`, `ON-PAYMENT`, 3-D Secure in progress, **any status word azpay does not know** |
//! | [`State::Returned`] | the money went back to the customer | refunded in full, voided, reversed |
//!
//! An unrecognised status word is always [`State::Pending`], never [`State::Done`].
//!
//! ```
//! use azpay_core::State;
//! assert_eq!(State::Pending.as_str(), "pending");
//! assert!(State::Done.is_done());
//! assert_eq!(serde_json::to_string(&State::Returned)?, "\"returned\"");
//! assert_eq!(serde_json::from_str::<State>("\"declined\"")?, State::Declined);
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Serialize};

/// Whether an action or payment is done, declined, pending or returned: the same four words on
/// every gateway. See the [module documentation](self) for the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// The action or payment happened as asked (paid, approved, authorised, captured, refunded
    /// as asked by a refund request).
    Done,
    /// It did not happen and will not (declined, failed, expired, cancelled).
    Declined,
    /// Accepted but not decided; also every status word azpay does not know. Ask again later.
    Pending,
    /// The money went back to the customer (refunded in full, voided, reversed).
    Returned,
}

impl State {
    /// `"done"`, `"declined"`, `"pending"` or `"returned"`, as serialised.
    pub fn as_str(&self) -> &'static str {
        match self {
            State::Done => "done",
            State::Declined => "declined",
            State::Pending => "pending",
            State::Returned => "returned",
        }
    }

    /// Whether the action or payment happened as asked: the one state to ship goods on.
    pub fn is_done(&self) -> bool {
        matches!(self, State::Done)
    }

    /// Whether the outcome can still change without the merchant acting.
    pub fn is_pending(&self) -> bool {
        matches!(self, State::Pending)
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Compares a gateway's status word with a known word without regard to ASCII case
/// (`Success` = `success`), ignoring surrounding whitespace.
pub(crate) fn word_is(word: &str, known: &str) -> bool {
    word.trim().eq_ignore_ascii_case(known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for s in [
            State::Done,
            State::Declined,
            State::Pending,
            State::Returned,
        ] {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
            assert_eq!(serde_json::from_str::<State>(&json).unwrap(), s);
        }
        assert!(serde_json::from_str::<State>("\"paid\"").is_err());
    }

    #[test]
    fn word_comparison_ignores_case() {
        assert!(word_is("Success", "success"));
        assert!(word_is(" SUCCESS ", "success"));
        assert!(!word_is("successful", "success"));
    }
}
