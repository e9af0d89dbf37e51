//! Finding out whether an operation happened after its outcome became unknown.
//!
//! When a payment, refund, clearing or payout fails with
//! [`Phase::OutcomeUnknown`](crate::Phase::OutcomeUnknown) (a timeout, a reset connection, a
//! truncated or unreadable answer), the request may have been executed by the gateway. It must
//! not simply be sent again (that may pay twice), and it must not be forgotten (that may lose a
//! payment). Ask the gateway instead: each type here is an idempotent [`Operation`](crate::Operation) that builds
//! the gateway's status query and turns the answer into a [`Reconciled`]:
//!
//! | gateway | what was sent | reconcile with | happened when |
//! |---|---|---|---|
//! | EPoint | a payment, a saved-card charge or a payout with your `order_id` | [`epoint::PaymentByOrderId`] | `get-status` by `order_id` knows the order (amount checked) |
//! | EPoint | a refund (`reverse`) of a transaction | [`epoint::RefundByTransaction`] | `get-status` by `transaction` shows the reversed amount grown by the refund |
//! | Kapital | `exec-tran` on an order: clearing, refund, saved-card charge, credit (payout) | [`kapital::TranOnOrder`] | `GET /api/order/{id}` (detailed) lists one more transaction of that phase, type and amount |
//! | TWEC | `Refund` of an order | [`twec::RefundOfOrder`] | `GetOrderInformation` shows `RefundAmount` grown by the refund |
//! | TWEC | `Completion` of a pre-authorisation | [`twec::CompletionOfOrder`] | `GetOrderInformation` shows the order `APPROVED` (no longer `PREAUTH-APPROVED`) |
//! | Payriff | an order (create, saved-card charge), a refund or a capture, each with its `X-REQUEST-RRN` | [`payriff::OrderByRrn`], [`payriff::ActionOnOrder`] | the order is found by the RRN; a transaction of the order carries the RRN |
//!
//! Orders whose id the gateway assigns (Kapital `CreateOrder`, TWEC `CreateOrder`) cannot be
//! looked up after an unknown outcome, and need not be: creating such an order moves no money
//! (the customer pays later on the hosted page, with the id you never received). Create a new
//! one.
//!
//! The answer is [`Reconciled::Happened`] (with what the gateway says),
//! [`Reconciled::DidNotHappen`] (safe to send the operation again), or
//! [`Reconciled::Unknown`] (the gateway's answer does not settle it: ask again later, or a
//! human). A reconciliation query may itself fail in the transport; it is idempotent, so the
//! transports retry it, and so can you.
//!
//! The guide to this situation, what [`Phase::OutcomeUnknown`](crate::Phase::OutcomeUnknown)
//! means, which operations the transports retry and which never, and a complete example
//! that runs against the sandbox (`core/examples/reconcile_unknown.rs`), is the page
//! `docs/unknown-outcomes.md` of the repository.
//!
//! Each gateway's reconciliations live in its own folder (`<gateway>/reconcile.rs`) and are
//! re-exported here, one submodule per gateway; this module keeps what they share
//! ([`Reconciled`], and the comparison of a running total with the expected one).
//!
//! ```
//! use azpay_core::{epoint, execute, reconcile, Amount, Currency, HttpRequest, HttpResponse, TransportError};
//! use azpay_core::reconcile::Reconciled;
//!
//! let config = epoint::Config::new("i000000001", "private-key");
//! let amount = Amount::parse_major("10.50", Currency::AZN)?;
//! // The payment `order-7` timed out after sending. Did EPoint get it?
//! let check = reconcile::epoint::PaymentByOrderId::new("order-7", amount);
//! let gateway = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
//!     br#"{"status":"success","code":"000","transaction":"te000000042","amount":10.5,"order_id":"order-7"}"#.to_vec()));
//! match execute(&check, &config, &gateway)? {
//!     Reconciled::Happened(status) => assert!(status.is_paid()),
//!     Reconciled::DidNotHappen => unreachable!("send the payment again"),
//!     Reconciled::Unknown(reason) => unreachable!("ask later: {reason}"),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

/// What a reconciliation found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "outcome", content = "details", rename_all = "snake_case")]
pub enum Reconciled<T> {
    /// The gateway executed the operation; here is what it says about it now (which may be a
    /// decline: "happened" means "do not send it again").
    Happened(T),
    /// The gateway has no trace of it: sending the operation again is safe.
    DidNotHappen,
    /// The answer does not settle it (for example an amount other than the one expected, or
    /// another change in between): do not resend; ask again later or escalate.
    Unknown(String),
}

impl<T> Reconciled<T> {
    /// Whether the operation happened.
    pub fn happened(&self) -> bool {
        matches!(self, Reconciled::Happened(_))
    }

    /// Whether it certainly did not happen (safe to resend).
    pub fn did_not_happen(&self) -> bool {
        matches!(self, Reconciled::DidNotHappen)
    }
}

/// Where a running total the gateway reports (reversed, refunded) stands, against what it
/// was `before` the operation and what one operation of `amount` would make it: shared by the
/// reconciliations that read such a total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Total {
    /// At least `before + amount`: the operation happened.
    Reached,
    /// At most `before`: it did not.
    Unchanged,
    /// In between: something else changed it.
    Between {
        /// `before + amount`.
        expected: u64,
    },
}

/// Compares the total `now` with `before` and `before + amount` (minor units).
pub(crate) fn total(now: u64, before: u64, amount: u64) -> Total {
    let expected = before.saturating_add(amount);
    if now >= expected {
        Total::Reached
    } else if now <= before {
        Total::Unchanged
    } else {
        Total::Between { expected }
    }
}

/// EPoint reconciliations (their code lives in the `epoint` folder).
pub mod epoint {
    pub use crate::epoint::reconcile::*;
}

/// Kapital Bank JSON reconciliations (their code lives in the `kapital` folder).
pub mod kapital {
    pub use crate::kapital::reconcile::*;
}

/// Payriff reconciliations by request RRN (their code lives in the `payriff` folder).
pub mod payriff {
    pub use crate::payriff::reconcile::*;
}

/// TWEC / TranzWare reconciliations (their code lives in the `twec` folder).
pub mod twec {
    pub use crate::twec::reconcile::*;
}

#[cfg(test)]
mod tests {
    use super::{total, Total};

    #[test]
    fn a_total_is_reached_unchanged_or_in_between() {
        assert_eq!(total(400, 0, 400), Total::Reached);
        assert_eq!(total(500, 0, 400), Total::Reached);
        assert_eq!(total(0, 0, 400), Total::Unchanged);
        assert_eq!(total(400, 400, 400), Total::Unchanged);
        assert_eq!(total(600, 400, 400), Total::Between { expected: 800 });
        assert_eq!(total(u64::MAX, u64::MAX, 1), Total::Reached);
    }
}

/// Azericard: [`azericard::TransactionOnOrder`] (a completion, reversal or payment by `ORDER`, via TRTYPE 90).
pub mod azericard {
    pub use crate::azericard::reconcile::*;
}
