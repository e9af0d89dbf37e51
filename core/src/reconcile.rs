//! Finding out whether an operation happened after its outcome became unknown.
//!
//! When a payment, refund, clearing or payout fails with
//! [`Phase::OutcomeUnknown`](crate::Phase::OutcomeUnknown) (a timeout, a reset connection, a
//! truncated or unreadable answer), the request may have been executed by the gateway. It must
//! not simply be sent again (that may pay twice), and it must not be forgotten (that may lose a
//! payment). Ask the gateway instead: each type here is an idempotent [`Operation`] that builds
//! the gateway's status query and turns the answer into a [`Reconciled`]:
//!
//! | gateway | what was sent | reconcile with | happened when |
//! |---|---|---|---|
//! | EPoint | a payment, a saved-card charge or a payout with your `order_id` | [`epoint::PaymentByOrderId`] | `get-status` by `order_id` knows the order (amount checked) |
//! | EPoint | a refund (`reverse`) of a transaction | [`epoint::RefundByTransaction`] | `get-status` by `transaction` shows the reversed amount grown by the refund |
//! | Kapital | `exec-tran` on an order: clearing, refund, saved-card charge, credit (payout) | [`kapital::TranOnOrder`] | `GET /api/order/{id}` (detailed) lists one more transaction of that phase, type and amount |
//! | TWEC | `Refund` of an order | [`twec::RefundOfOrder`] | `GetOrderInformation` shows `RefundAmount` grown by the refund |
//! | TWEC | `Completion` of a pre-authorisation | [`twec::CompletionOfOrder`] | `GetOrderInformation` shows the order `APPROVED` (no longer `PREAUTH-APPROVED`) |
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

use crate::operation::Operation;

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

/// EPoint reconciliations.
pub mod epoint {
    use serde::Deserialize;

    use super::{Operation, Reconciled};
    use crate::epoint::{ApiError, Config, EPoint, GetStatus, PaymentStatus, Status};
    use crate::{Amount, BuildError, HttpRequest, HttpResponse, JsonDecimal, ResponseError};

    /// Did the payment (redirect payment, saved-card charge, split payment or payout) sent with
    /// this `order_id` reach EPoint? `get-status` by `order_id`.
    ///
    /// - EPoint knows the order: [`Reconciled::Happened`] with its [`PaymentStatus`] (which
    ///   may be `new` (waiting for the customer), `success`, `error` (declined)...), provided
    ///   the amount is the one expected; another amount is [`Reconciled::Unknown`] (the
    ///   `order_id` was used for something else).
    /// - EPoint answers `error` without a payment ("Transaction not found"):
    ///   [`Reconciled::DidNotHappen`].
    /// - `server_error`: [`Reconciled::Unknown`].
    ///
    /// ```
    /// use azpay_core::{epoint, execute, reconcile, Amount, Currency, HttpRequest, HttpResponse, TransportError};
    /// let config = epoint::Config::new("i000000001", "private-key");
    /// let check = reconcile::epoint::PaymentByOrderId::new("o-9", Amount::parse_major("5", Currency::AZN)?);
    /// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
    ///     br#"{"status":"error","message":"Transaction not found"}"#.to_vec()));
    /// assert!(execute(&check, &config, &t)?.did_not_happen());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[derive(Debug, Clone, PartialEq)]
    pub struct PaymentByOrderId {
        order_id: String,
        amount: Amount,
    }

    impl PaymentByOrderId {
        /// The `order_id` and `amount` of the payment whose outcome is unknown.
        pub fn new(order_id: impl Into<String>, amount: Amount) -> Self {
            PaymentByOrderId {
                order_id: order_id.into(),
                amount,
            }
        }
    }

    impl Operation for PaymentByOrderId {
        type Gateway = EPoint;
        type Output = Reconciled<PaymentStatus>;
        const NAME: &'static str = "reconcile_payment";
        const IDEMPOTENT: bool = true;

        fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
            GetStatus::by_order_id(self.order_id.clone()).build_request(config)
        }

        fn parse_response(
            &self,
            config: &Config,
            response: HttpResponse,
        ) -> Result<Self::Output, ResponseError<ApiError>> {
            let query = GetStatus::by_order_id(self.order_id.clone());
            match query.parse_response(config, response) {
                Ok(status) => match status.amount {
                    Some(a) if a.minor() != self.amount.minor() => {
                        Ok(Reconciled::Unknown(format!(
                            "order_id {} is a payment of {}, not {}",
                            self.order_id,
                            a.to_major_string(),
                            self.amount.to_major_string()
                        )))
                    }
                    _ => Ok(Reconciled::Happened(status)),
                },
                Err(ResponseError::Api(e)) => Ok(not_found_or_unknown(e)),
                Err(other) => Err(other),
            }
        }
    }

    fn not_found_or_unknown<T>(e: ApiError) -> Reconciled<T> {
        if e.status == Status::Error {
            Reconciled::DidNotHappen
        } else {
            Reconciled::Unknown(e.to_string())
        }
    }

    /// Did the refund (`reverse`) of `transaction` for `amount` happen? `get-status` by
    /// `transaction`, comparing its `reversed_amount` (or, without one, `returned` meaning the
    /// whole amount) with what was reversed before the refund
    /// ([`RefundByTransaction::already_reversed`], default zero).
    ///
    /// ```
    /// use azpay_core::{epoint, execute, reconcile, Amount, Currency, HttpRequest, HttpResponse, TransportError};
    /// let config = epoint::Config::new("i000000001", "private-key");
    /// let azn = |s| Amount::parse_major(s, Currency::AZN).unwrap();
    /// let check = reconcile::epoint::RefundByTransaction::new("te000000042", azn("4"));
    /// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
    ///     br#"{"status":"success","code":"000","transaction":"te000000042","amount":10,"reversed_amount":4}"#.to_vec()));
    /// assert!(execute(&check, &config, &t)?.happened());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[derive(Debug, Clone, PartialEq)]
    pub struct RefundByTransaction {
        transaction: String,
        amount: Amount,
        already_reversed: Option<Amount>,
    }

    impl RefundByTransaction {
        /// The refunded `transaction` and the refund's `amount`.
        pub fn new(transaction: impl Into<String>, amount: Amount) -> Self {
            RefundByTransaction {
                transaction: transaction.into(),
                amount,
                already_reversed: None,
            }
        }

        /// What had been reversed on this transaction before the refund (default zero).
        pub fn already_reversed(mut self, amount: Amount) -> Self {
            self.already_reversed = Some(amount);
            self
        }
    }

    #[derive(Deserialize)]
    struct Reversed {
        #[serde(default)]
        reversed_amount: Option<JsonDecimal>,
    }

    impl Operation for RefundByTransaction {
        type Gateway = EPoint;
        type Output = Reconciled<PaymentStatus>;
        const NAME: &'static str = "reconcile_refund";
        const IDEMPOTENT: bool = true;

        fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
            GetStatus::by_transaction(self.transaction.clone()).build_request(config)
        }

        fn parse_response(
            &self,
            config: &Config,
            response: HttpResponse,
        ) -> Result<Self::Output, ResponseError<ApiError>> {
            ResponseError::<ApiError>::check_size(response.body())?;
            let reversed: Option<Reversed> = serde_json::from_slice(response.body()).ok();
            let query = GetStatus::by_transaction(self.transaction.clone());
            let status = match query.parse_response(config, response) {
                Ok(status) => status,
                Err(ResponseError::Api(e)) => {
                    return Ok(Reconciled::Unknown(format!(
                        "the refunded transaction is not readable: {e}"
                    )))
                }
                Err(other) => return Err(other),
            };
            let currency = self.amount.currency();
            let reversed_now = match reversed.and_then(|r| r.reversed_amount) {
                Some(d) => match d.amount(currency) {
                    Ok(a) => a.minor(),
                    Err(_) => {
                        return Ok(Reconciled::Unknown(format!(
                            "unreadable reversed_amount `{}`",
                            d.as_str()
                        )))
                    }
                },
                None if status.status == Status::Returned => {
                    status.amount.map(|a| a.minor()).unwrap_or(u64::MAX)
                }
                None => 0,
            };
            let before = self.already_reversed.map(|a| a.minor()).unwrap_or(0);
            let expected = before.saturating_add(self.amount.minor());
            if reversed_now >= expected {
                Ok(Reconciled::Happened(status))
            } else if reversed_now <= before {
                Ok(Reconciled::DidNotHappen)
            } else {
                Ok(Reconciled::Unknown(format!(
                    "reversed {reversed_now} minor units, expected {before} or {expected}"
                )))
            }
        }
    }
}

/// Kapital Bank JSON reconciliations.
pub mod kapital {
    use super::{Operation, Reconciled};
    use crate::kapital::{
        ApiError, Config, GetOrder, Kapital, Order, TranPhase, TranType, Transaction,
    };
    use crate::{Amount, BuildError, HttpRequest, HttpResponse, ResponseError};

    /// Did an `exec-tran` on order `order_id` happen? Reads the order in detail
    /// (`GET /api/order/{id}?tranDetailLevel=2…`) and counts the transactions (`trans[]`) of
    /// the expected phase, type and amount that are not reversals: one more than
    /// [`TranOnOrder::seen_before`] (default 0) is [`Reconciled::Happened`] with that
    /// transaction; as many as before is [`Reconciled::DidNotHappen`].
    ///
    /// ```
    /// use azpay_core::{execute, kapital, reconcile, Amount, Currency, HttpRequest, HttpResponse, TransportError};
    /// let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
    /// let check = reconcile::kapital::TranOnOrder::refund(5531, Amount::parse_major("2", Currency::AZN)?);
    /// let t = |request: HttpRequest| {
    ///     assert!(request.uri().path().ends_with("/api/order/5531"));
    ///     Ok::<HttpResponse, TransportError>(http::Response::new(br#"{"order":{"id":5531,"status":"Refunded","amount":10,"currency":"AZN",
    ///       "trans":[{"phase":"Single","type":"Purchase","amount":10,"isReversal":false},
    ///                {"phase":"Single","type":"Refund","amount":2,"isReversal":false}]}}"#.to_vec()))
    /// };
    /// assert!(execute(&check, &config, &t)?.happened());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[derive(Debug, Clone, PartialEq)]
    pub struct TranOnOrder {
        order_id: u64,
        phase: TranPhase,
        tran_type: TranType,
        amount: Option<Amount>,
        seen_before: usize,
    }

    impl TranOnOrder {
        /// A transaction of this `phase` and `type` (and `amount`, when given) on `order_id`.
        pub fn new(
            order_id: u64,
            phase: TranPhase,
            tran_type: TranType,
            amount: Option<Amount>,
        ) -> Self {
            TranOnOrder {
                order_id,
                phase,
                tran_type,
                amount,
                seen_before: 0,
            }
        }
        /// A clearing (completion of a hold): phase `Clearing`, type `Purchase`.
        pub fn clearing(order_id: u64, amount: Amount) -> Self {
            Self::new(
                order_id,
                TranPhase::Clearing,
                TranType::Purchase,
                Some(amount),
            )
        }
        /// A refund: phase `Single`, type `Refund`.
        pub fn refund(order_id: u64, amount: Amount) -> Self {
            Self::new(order_id, TranPhase::Single, TranType::Refund, Some(amount))
        }
        /// A saved-card charge: phase `Single`, type `Purchase`.
        pub fn saved_card_charge(order_id: u64, amount: Amount) -> Self {
            Self::new(
                order_id,
                TranPhase::Single,
                TranType::Purchase,
                Some(amount),
            )
        }
        /// A payout (credit to a card): phase `Single`, type `Credit`.
        pub fn credit(order_id: u64, amount: Amount) -> Self {
            Self::new(order_id, TranPhase::Single, TranType::Credit, Some(amount))
        }
        /// How many matching transactions the order had before the operation (default 0,
        /// e.g. 1 for a second partial refund of the same amount).
        pub fn seen_before(mut self, n: usize) -> Self {
            self.seen_before = n;
            self
        }

        fn matches(&self, t: &Transaction) -> bool {
            t.phase.as_ref() == Some(&self.phase)
                && t.tran_type.as_ref() == Some(&self.tran_type)
                && t.is_reversal != Some(true)
                && match &self.amount {
                    Some(a) => t
                        .amount_minor
                        .is_some_and(|m| u64::try_from(m).ok() == Some(a.minor())),
                    None => true,
                }
        }
    }

    impl Operation for TranOnOrder {
        type Gateway = Kapital;
        type Output = Reconciled<Transaction>;
        const NAME: &'static str = "reconcile_tran";
        const IDEMPOTENT: bool = true;

        fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
            GetOrder::new(self.order_id)
                .detailed()
                .build_request(config)
        }

        fn parse_response(
            &self,
            config: &Config,
            response: HttpResponse,
        ) -> Result<Self::Output, ResponseError<ApiError>> {
            let order: Order = GetOrder::new(self.order_id)
                .detailed()
                .parse_response(config, response)?;
            let matching: Vec<&Transaction> =
                order.trans.iter().filter(|t| self.matches(t)).collect();
            let n = matching.len();
            Ok(if n == self.seen_before + 1 {
                match matching.last() {
                    Some(t) => Reconciled::Happened((*t).clone()),
                    None => Reconciled::Unknown(String::from("no transaction")),
                }
            } else if n <= self.seen_before {
                Reconciled::DidNotHappen
            } else {
                Reconciled::Unknown(format!(
                    "{n} matching transactions, expected {} or {}",
                    self.seen_before,
                    self.seen_before + 1
                ))
            })
        }
    }
}

/// TWEC / TranzWare reconciliations.
pub mod twec {
    use super::{Operation, Reconciled};
    use crate::twec::{ApiError, Config, GetOrderInformation, OrderInformation, OrderStatus, Twec};
    use crate::{Amount, BuildError, HttpRequest, HttpResponse, ResponseError};

    /// Did the `Refund` of an order happen? `GetOrderInformation`, comparing `RefundAmount`
    /// with what was refunded before ([`RefundOfOrder::already_refunded`], default zero).
    ///
    /// ```
    /// use azpay_core::{execute, reconcile, twec, Amount, Currency, HttpRequest, HttpResponse, TransportError};
    /// let config = twec::Config::kapital_test("E1000010");
    /// let check = reconcile::twec::RefundOfOrder::new("14008766", "277F3E926B1FADDA45E449B0C0E8CF76",
    ///     Amount::from_minor(328, Currency::AZN));
    /// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
    ///     b"<Order><row><id>14008766</id><Amount>328</Amount><Currency>944</Currency>\
    ///       <Orderstatus>REFUNDED</Orderstatus><RefundAmount>328</RefundAmount></row></Order>".to_vec()));
    /// assert!(execute(&check, &config, &t)?.happened());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[derive(Debug, Clone, PartialEq)]
    pub struct RefundOfOrder {
        order_id: String,
        session_id: String,
        amount: Amount,
        already_refunded: Option<Amount>,
    }

    impl RefundOfOrder {
        /// The order (`OrderID`, `SessionID`) and the refund's `amount`.
        pub fn new(
            order_id: impl Into<String>,
            session_id: impl Into<String>,
            amount: Amount,
        ) -> Self {
            RefundOfOrder {
                order_id: order_id.into(),
                session_id: session_id.into(),
                amount,
                already_refunded: None,
            }
        }
        /// What had been refunded on this order before (default zero).
        pub fn already_refunded(mut self, amount: Amount) -> Self {
            self.already_refunded = Some(amount);
            self
        }
    }

    impl Operation for RefundOfOrder {
        type Gateway = Twec;
        type Output = Reconciled<OrderInformation>;
        const NAME: &'static str = "reconcile_refund";
        const IDEMPOTENT: bool = true;

        fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
            GetOrderInformation::new(self.order_id.clone(), self.session_id.clone())
                .build_request(config)
        }

        fn parse_response(
            &self,
            config: &Config,
            response: HttpResponse,
        ) -> Result<Self::Output, ResponseError<ApiError>> {
            let info = GetOrderInformation::new(self.order_id.clone(), self.session_id.clone())
                .parse_response(config, response)?;
            let before = self.already_refunded.map(|a| a.minor()).unwrap_or(0);
            let expected = before.saturating_add(self.amount.minor());
            let refunded = info.refund_amount_minor.unwrap_or(0);
            Ok(if refunded >= expected {
                Reconciled::Happened(info)
            } else if refunded <= before && info.order_status != Some(OrderStatus::OnRefund) {
                Reconciled::DidNotHappen
            } else if info.order_status == Some(OrderStatus::OnRefund) {
                Reconciled::Unknown(String::from("a refund is in progress (ON-REFUND)"))
            } else {
                Reconciled::Unknown(format!(
                    "refunded {refunded} minor units, expected {before} or {expected}"
                ))
            })
        }
    }

    /// Did the `Completion` of a pre-authorised order happen? `GetOrderInformation`:
    /// `APPROVED` (or later `ON-REFUND`/`REFUNDED`) is [`Reconciled::Happened`],
    /// `PREAUTH-APPROVED` [`Reconciled::DidNotHappen`], anything else [`Reconciled::Unknown`].
    ///
    /// ```
    /// use azpay_core::{execute, reconcile, twec, HttpRequest, HttpResponse, TransportError};
    /// let config = twec::Config::kapital_test("E1000010");
    /// let check = reconcile::twec::CompletionOfOrder::new("14008766", "277F3E926B1FADDA45E449B0C0E8CF76");
    /// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
    ///     b"<Order><row><id>14008766</id><Orderstatus>PREAUTH-APPROVED</Orderstatus></row></Order>".to_vec()));
    /// assert!(execute(&check, &config, &t)?.did_not_happen());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[derive(Debug, Clone, PartialEq)]
    pub struct CompletionOfOrder {
        order_id: String,
        session_id: String,
    }

    impl CompletionOfOrder {
        /// The pre-authorised order (`OrderID`, `SessionID`).
        pub fn new(order_id: impl Into<String>, session_id: impl Into<String>) -> Self {
            CompletionOfOrder {
                order_id: order_id.into(),
                session_id: session_id.into(),
            }
        }
    }

    impl Operation for CompletionOfOrder {
        type Gateway = Twec;
        type Output = Reconciled<OrderInformation>;
        const NAME: &'static str = "reconcile_completion";
        const IDEMPOTENT: bool = true;

        fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
            GetOrderInformation::new(self.order_id.clone(), self.session_id.clone())
                .build_request(config)
        }

        fn parse_response(
            &self,
            config: &Config,
            response: HttpResponse,
        ) -> Result<Self::Output, ResponseError<ApiError>> {
            let info = GetOrderInformation::new(self.order_id.clone(), self.session_id.clone())
                .parse_response(config, response)?;
            Ok(match &info.order_status {
                Some(OrderStatus::Approved | OrderStatus::OnRefund | OrderStatus::Refunded) => {
                    Reconciled::Happened(info)
                }
                Some(OrderStatus::PreauthApproved) => Reconciled::DidNotHappen,
                other => Reconciled::Unknown(format!(
                    "order status {}",
                    other.as_ref().map(|s| s.as_str()).unwrap_or("missing")
                )),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Reconciled;
    use crate::{Amount, Currency, HttpResponse, Operation};

    fn azn(minor: u64) -> Amount {
        Amount::from_minor(minor, Currency::AZN)
    }

    fn ok(body: &str) -> HttpResponse {
        http::Response::new(body.as_bytes().to_vec())
    }

    #[test]
    fn epoint_payment_verdicts() {
        let config = crate::epoint::Config::new("i1", "k");
        let op = super::epoint::PaymentByOrderId::new("o-1", azn(1050));
        let request = op.build_request(&config).unwrap();
        assert!(request.uri().path().ends_with("/api/1/get-status"));
        let meta = op.meta();
        assert!(meta.idempotent);
        let happened = op
            .parse_response(
                &config,
                ok(r#"{"status":"new","transaction":"te1","amount":10.5,"order_id":"o-1"}"#),
            )
            .unwrap();
        assert!(happened.happened());
        let other_amount = op
            .parse_response(
                &config,
                ok(r#"{"status":"success","code":"000","transaction":"te1","amount":11}"#),
            )
            .unwrap();
        assert!(matches!(other_amount, Reconciled::Unknown(_)));
        let missing = op
            .parse_response(
                &config,
                ok(r#"{"status":"error","message":"Transaction not found"}"#),
            )
            .unwrap();
        assert_eq!(missing, Reconciled::DidNotHappen);
        let server = op
            .parse_response(&config, ok(r#"{"status":"server_error","message":"busy"}"#))
            .unwrap();
        assert!(matches!(server, Reconciled::Unknown(_)));
        // A non-200 answer is an error, not a verdict.
        let mut bad = ok("oops");
        *bad.status_mut() = http::StatusCode::BAD_GATEWAY;
        assert!(op.parse_response(&config, bad).is_err());
    }

    #[test]
    fn epoint_refund_verdicts() {
        let config = crate::epoint::Config::new("i1", "k");
        let body = |reversed: &str| {
            ok(&format!(
                r#"{{"status":"success","code":"000","transaction":"te1","amount":10{reversed}}}"#
            ))
        };
        let first = super::epoint::RefundByTransaction::new("te1", azn(400));
        assert!(first
            .parse_response(&config, body(r#","reversed_amount":4"#))
            .unwrap()
            .happened());
        assert!(first
            .parse_response(&config, body(""))
            .unwrap()
            .did_not_happen());
        let second = first.clone().already_reversed(azn(400));
        assert!(second
            .parse_response(&config, body(r#","reversed_amount":4"#))
            .unwrap()
            .did_not_happen());
        assert!(second
            .parse_response(&config, body(r#","reversed_amount":"8.00""#))
            .unwrap()
            .happened());
        assert!(matches!(
            second
                .parse_response(&config, body(r#","reversed_amount":6"#))
                .unwrap(),
            Reconciled::Unknown(_)
        ));
        let full = ok(r#"{"status":"returned","code":"000","transaction":"te1","amount":4}"#);
        assert!(first.parse_response(&config, full).unwrap().happened());
    }

    #[test]
    fn kapital_transaction_verdicts() {
        let config = crate::kapital::Config::new("u", "p");
        let order = |trans: &str| {
            ok(&format!(
                r#"{{"order":{{"id":7,"status":"Refunded","amount":10,"currency":"AZN","trans":[{trans}]}}}}"#
            ))
        };
        let purchase = r#"{"phase":"Single","type":"Purchase","amount":10,"isReversal":false}"#;
        let refund2 = r#"{"phase":"Single","type":"Refund","amount":2,"isReversal":false}"#;
        let op = super::kapital::TranOnOrder::refund(7, azn(200));
        let request = op.build_request(&config).unwrap();
        assert_eq!(request.uri().path(), "/api/order/7");
        assert!(request
            .uri()
            .query()
            .unwrap_or("")
            .contains("tranDetailLevel=2"));
        assert!(op
            .parse_response(&config, order(purchase))
            .unwrap()
            .did_not_happen());
        let both = format!("{purchase},{refund2}");
        match op.parse_response(&config, order(&both)).unwrap() {
            Reconciled::Happened(t) => assert_eq!(t.amount_minor, Some(200)),
            other => panic!("{other:?}"),
        }
        // A refund of another amount is not this one.
        let op3 = super::kapital::TranOnOrder::refund(7, azn(300));
        assert!(op3
            .parse_response(&config, order(&both))
            .unwrap()
            .did_not_happen());
        // The second refund of the same amount.
        let again = op.clone().seen_before(1);
        assert!(again
            .parse_response(&config, order(&both))
            .unwrap()
            .did_not_happen());
        let three = format!("{purchase},{refund2},{refund2},{refund2}");
        assert!(matches!(
            again.parse_response(&config, order(&three)).unwrap(),
            Reconciled::Unknown(_)
        ));
    }

    #[test]
    fn twec_verdicts() {
        let config = crate::twec::Config::kapital_test("E1000010");
        let info = |status: &str, refund: &str| {
            ok(&format!(
                "<Order><row><id>1</id><Amount>1000</Amount><Currency>944</Currency>\
                 <Orderstatus>{status}</Orderstatus>{refund}</row></Order>"
            ))
        };
        let refund = super::twec::RefundOfOrder::new("1", "S", azn(400));
        assert!(refund
            .parse_response(&config, info("APPROVED", "<RefundAmount>0</RefundAmount>"))
            .unwrap()
            .did_not_happen());
        assert!(refund
            .parse_response(
                &config,
                info("APPROVED", "<RefundAmount>400</RefundAmount>")
            )
            .unwrap()
            .happened());
        assert!(matches!(
            refund
                .parse_response(&config, info("ON-REFUND", ""))
                .unwrap(),
            Reconciled::Unknown(_)
        ));
        let completion = super::twec::CompletionOfOrder::new("1", "S");
        assert!(completion
            .parse_response(&config, info("APPROVED", ""))
            .unwrap()
            .happened());
        assert!(completion
            .parse_response(&config, info("PREAUTH-APPROVED", ""))
            .unwrap()
            .did_not_happen());
        assert!(matches!(
            completion
                .parse_response(&config, info("DECLINED", ""))
                .unwrap(),
            Reconciled::Unknown(_)
        ));
    }
}
