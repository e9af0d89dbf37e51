//! TWEC / TranzWare reconciliations (re-exported as [`crate::reconcile::twec`]): after an
//! unknown outcome, ask `GetOrderInformation`.

use crate::reconcile::{total, Reconciled, Total};
use crate::twec::{ApiError, Config, GetOrderInformation, OrderInformation, OrderStatus, Twec};
use crate::Operation;
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
    pub fn new(order_id: impl Into<String>, session_id: impl Into<String>, amount: Amount) -> Self {
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
        let refunded = info.refund_amount_minor.unwrap_or(0);
        let on_refund = info.order_status == Some(OrderStatus::OnRefund);
        Ok(match total(refunded, before, self.amount.minor()) {
            Total::Reached => Reconciled::Happened(info),
            _ if on_refund => {
                Reconciled::Unknown(String::from("a refund is in progress (ON-REFUND)"))
            }
            Total::Unchanged => Reconciled::DidNotHappen,
            Total::Between { expected } => Reconciled::Unknown(format!(
                "refunded {refunded} minor units, expected {before} or {expected}"
            )),
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
    fn twec_verdicts() {
        let config = crate::twec::Config::kapital_test("E1000010");
        let info = |status: &str, refund: &str| {
            ok(&format!(
                "<Order><row><id>1</id><Amount>1000</Amount><Currency>944</Currency>\
                 <Orderstatus>{status}</Orderstatus>{refund}</row></Order>"
            ))
        };
        let refund = super::RefundOfOrder::new("1", "S", azn(400));
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
        let completion = super::CompletionOfOrder::new("1", "S");
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
