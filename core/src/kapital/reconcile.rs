//! Kapital Bank JSON reconciliations (re-exported as [`crate::reconcile::kapital`]): after an
//! unknown outcome, read the order in detail and count its transactions.

use crate::kapital::{
    ApiError, Config, GetOrder, Kapital, Order, TranPhase, TranType, Transaction,
};
use crate::reconcile::Reconciled;
use crate::Operation;
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
        let matching: Vec<&Transaction> = order.trans.iter().filter(|t| self.matches(t)).collect();
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

#[cfg(test)]
mod tests {
    use crate::reconcile::Reconciled;
    use crate::{Amount, Currency, HttpResponse, Operation};

    fn azn(minor: u64) -> Amount {
        Amount::from_minor(minor, Currency::AZN)
    }

    fn ok(body: &str) -> HttpResponse {
        http::Response::new(body.as_bytes().to_vec())
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
        let op = super::TranOnOrder::refund(7, azn(200));
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
        let op3 = super::TranOnOrder::refund(7, azn(300));
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
}
