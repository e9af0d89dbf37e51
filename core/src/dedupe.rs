//! Callbacks arrive more than once: recognising a repeat with an [`EventKey`] and a
//! [`SeenEvents`] store.
//!
//! Messages repeat. EPoint is reported to post its signed callback again when your
//! `result_url` does not answer 200 (and a network hiccup can deliver one twice); a customer
//! reloads the Kapital return page or presses "back"; the browser posts a TWEC `xmlmsg` to
//! the approve URL again. Each of these should ship the goods once.
//!
//! An [`EventKey`] names one event of one order, built from the fields that identify it:
//!
//! | gateway | message | key fields |
//! |---|---|---|
//! | EPoint | verified callback ([`crate::epoint::Callback`]) | `order_id`, `transaction`, `operation_code`, `status` |
//! | Kapital | return redirect ([`crate::kapital::UnverifiedRedirect`]) | order `ID`, `STATUS` |
//! | TWEC | `xmlmsg` ([`crate::twec::UnverifiedXmlOut`]) | `OrderID`, `SessionID`, `OrderStatus` |
//!
//! The status is part of every key: a payment that is first `PENDING` and later `APPROVED`
//! is two events, and the second one must be handled.
//!
//! **Record an event only once it is trusted.** An EPoint callback is trusted once
//! [`crate::epoint::verify_callback`] accepted it; a Kapital redirect or a TWEC `xmlmsg`
//! travels through the customer's browser and can be forged, so ask
//! [`SeenEvents::first_time`] only after the status query confirmed the claim
//! ([`crate::kapital::UnverifiedRedirect::claim_matches`]). Otherwise a forged message sent
//! first would make the real one look like a repeat.
//!
//! [`RecentEvents`] is a bounded in-memory store: it remembers the last `capacity` keys and
//! forgets the oldest (it reads no clock, so it forgets by count, not by age). It is a first
//! line against quick repeats within one process; keep the fulfilment itself idempotent too
//! (a unique constraint on the order in your database), and implement [`SeenEvents`] over
//! that database when several processes take callbacks.
//!
//! ```
//! use azpay_core::dedupe::{EventKey, RecentEvents, SeenEvents};
//! use azpay_core::kapital;
//!
//! let mut seen = RecentEvents::new(10_000);
//! let redirect = kapital::parse_redirect("ID=5531&STATUS=FullyPaid")?;
//! // … verify it with `redirect.verify()` and `claim_matches` first, then:
//! let key = EventKey::kapital(&redirect);
//! assert!(seen.first_time(&key));   // ship the goods
//! assert!(!seen.first_time(&key));  // the reload: do nothing
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{HashSet, VecDeque};

use crate::epoint::Callback;
use crate::kapital::UnverifiedRedirect;
use crate::twec::UnverifiedXmlOut;

/// The identity of one gateway event: the gateway's name and the fields that identify the
/// event (see the [module](self) docs for which). Two keys are equal when the gateway and
/// every field are; a missing field is distinct from an empty one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventKey {
    gateway: &'static str,
    parts: Vec<Option<String>>,
}

impl EventKey {
    /// A key from any fields, for messages of your own or a gateway not listed here.
    pub fn new<I, S>(gateway: &'static str, parts: I) -> Self
    where
        I: IntoIterator<Item = Option<S>>,
        S: Into<String>,
    {
        EventKey {
            gateway,
            parts: parts.into_iter().map(|p| p.map(Into::into)).collect(),
        }
    }

    /// A verified EPoint callback: `order_id`, `transaction`, `operation_code` and `status`.
    pub fn epoint(callback: &Callback) -> Self {
        EventKey::new(
            "epoint",
            [
                callback.order_id.clone(),
                callback.transaction.clone(),
                callback
                    .operation_code
                    .as_ref()
                    .map(|c| c.as_str().to_owned()),
                callback.status.as_ref().map(|s| s.as_str().to_owned()),
            ],
        )
    }

    /// A Kapital return redirect: the order `ID` and the `STATUS` (record it only after
    /// [`UnverifiedRedirect::claim_matches`] confirmed it).
    pub fn kapital(redirect: &UnverifiedRedirect) -> Self {
        EventKey::new(
            "kapital",
            [
                Some(redirect.order_id().to_string()),
                Some(redirect.claimed_status().to_owned()),
            ],
        )
    }

    /// A TWEC `xmlmsg`: `OrderID`, `SessionID` and `OrderStatus` (record it only after the
    /// status query from [`UnverifiedXmlOut::verify`] confirmed it).
    pub fn twec(message: &UnverifiedXmlOut) -> Self {
        EventKey::new(
            "twec",
            [
                message.order_id().map(str::to_owned),
                message.session_id().map(str::to_owned),
                message
                    .unverified_order_status()
                    .map(|s| s.as_str().to_owned()),
            ],
        )
    }

    /// The gateway's name.
    pub fn gateway(&self) -> &'static str {
        self.gateway
    }
}

/// A store of the events already handled.
pub trait SeenEvents {
    /// Records `key` and says whether it is new: `true` the first time (handle the event),
    /// `false` for a repeat (answer the gateway as before, do nothing else).
    fn first_time(&mut self, key: &EventKey) -> bool;
}

impl<T: SeenEvents + ?Sized> SeenEvents for &mut T {
    fn first_time(&mut self, key: &EventKey) -> bool {
        (**self).first_time(key)
    }
}

/// The last `capacity` events, in memory; the oldest is forgotten first. Wrap it in a
/// `Mutex` to share it between request handlers.
#[derive(Debug, Clone)]
pub struct RecentEvents {
    capacity: usize,
    seen: HashSet<EventKey>,
    order: VecDeque<EventKey>,
}

impl RecentEvents {
    /// A store that remembers up to `capacity` events (at least one).
    pub fn new(capacity: usize) -> Self {
        RecentEvents {
            capacity: capacity.max(1),
            seen: HashSet::new(),
            order: VecDeque::new(),
        }
    }

    /// How many events the store remembers at most.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many events it remembers now.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether it remembers none.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

impl SeenEvents for RecentEvents {
    fn first_time(&mut self, key: &EventKey) -> bool {
        if self.seen.contains(key) {
            return false;
        }
        while self.order.len() >= self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.seen.remove(&oldest);
            }
        }
        self.seen.insert(key.clone());
        self.order.push_back(key.clone());
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u32) -> EventKey {
        EventKey::new("test", [Some(n.to_string())])
    }

    #[test]
    fn a_repeat_is_not_first_and_the_store_stays_bounded() {
        let mut seen = RecentEvents::new(3);
        assert!(seen.first_time(&key(1)));
        assert!(!seen.first_time(&key(1)));
        for n in 2..=4 {
            assert!(seen.first_time(&key(n)));
        }
        assert_eq!(seen.len(), 3);
        assert_eq!(seen.seen.len(), 3);
        // 1 was the oldest and is forgotten; 4 is remembered.
        assert!(!seen.first_time(&key(4)));
        assert!(seen.first_time(&key(1)));
        assert_eq!(seen.len(), 3);
    }

    #[test]
    fn parts_do_not_run_into_each_other() {
        let a = EventKey::new("g", [Some("ab"), Some("c")]);
        let b = EventKey::new("g", [Some("a"), Some("bc")]);
        let c = EventKey::new("g", [Some("a"), None::<&str>]);
        let d = EventKey::new("g", [Some("a"), Some("")]);
        assert_ne!(a, b);
        assert_ne!(c, d);
        assert_ne!(
            EventKey::new("g", [Some("x")]),
            EventKey::new("h", [Some("x")])
        );
    }

    #[test]
    fn zero_capacity_still_remembers_the_last_event() {
        let mut seen = RecentEvents::new(0);
        assert_eq!(seen.capacity(), 1);
        assert!(seen.first_time(&key(7)));
        assert!(!seen.first_time(&key(7)));
    }
}
