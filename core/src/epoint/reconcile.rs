//! EPoint reconciliations (re-exported as [`crate::reconcile::epoint`]): after an unknown
//! outcome, ask `get-status` whether the payment or refund happened.

use serde::Deserialize;

use crate::epoint::{ApiError, Config, EPoint, GetStatus, PaymentStatus, Status};
use crate::reconcile::{total, Reconciled, Total};
use crate::Operation;
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
            // The currency counts too: EPoint's answer names none unless it carries
            // `currency` (then AZN is assumed), so a payment in another currency is only
            // confirmed by an answer that says so.
            Ok(status) => match status.amount {
                Some(a) if a != self.amount => Ok(Reconciled::Unknown(format!(
                    "order_id {} is a payment of {} {}, not {} {}",
                    self.order_id,
                    a.to_major_string(),
                    a.currency(),
                    self.amount.to_major_string(),
                    self.amount.currency()
                ))),
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
        Ok(match total(reversed_now, before, self.amount.minor()) {
            Total::Reached => Reconciled::Happened(status),
            Total::Unchanged => Reconciled::DidNotHappen,
            Total::Between { expected } => Reconciled::Unknown(format!(
                "reversed {reversed_now} minor units, expected {before} or {expected}"
            )),
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
    fn epoint_payment_verdicts() {
        let config = crate::epoint::Config::new("i1", "k");
        let op = super::PaymentByOrderId::new("o-1", azn(1050));
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
        let first = super::RefundByTransaction::new("te1", azn(400));
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
    fn epoint_payment_currency_counts() {
        let config = crate::epoint::Config::new("i1", "k");
        let usd = Amount::from_minor(1050, Currency::USD);
        let op = super::PaymentByOrderId::new("o-1", usd);
        let said_usd = r#"{"status":"success","code":"000","transaction":"te1","amount":10.5,"currency":"USD"}"#;
        assert!(op.parse_response(&config, ok(said_usd)).unwrap().happened());
        // The same number in AZN (said, or assumed when the answer names no currency) is
        // not the USD payment.
        for azn in [
            r#"{"status":"success","code":"000","transaction":"te1","amount":10.5,"currency":"AZN"}"#,
            r#"{"status":"success","code":"000","transaction":"te1","amount":10.5}"#,
        ] {
            let r = op.parse_response(&config, ok(azn)).unwrap();
            assert!(
                matches!(&r, Reconciled::Unknown(why) if why.contains("AZN") && why.contains("USD")),
                "{r:?}"
            );
        }
        // And an AZN expectation is not met by a USD answer.
        let op = super::PaymentByOrderId::new("o-1", azn(1050));
        assert!(matches!(
            op.parse_response(&config, ok(said_usd)).unwrap(),
            Reconciled::Unknown(_)
        ));
    }
}
