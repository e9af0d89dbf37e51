//! Payriff reconciliations (re-exported as [`crate::reconcile::payriff`]): after an unknown
//! outcome, find the request by the `X-REQUEST-RRN` it carried.
//!
//! **This is how a merchant avoids paying twice with Payriff.** Every payment-changing
//! operation ([`CreateOrder`](crate::payriff::CreateOrder), [`AutoPay`](crate::payriff::AutoPay),
//! [`Refund`](crate::payriff::Refund), [`Capture`](crate::payriff::Capture)) takes a request
//! RRN that you choose and store before sending. When the answer is lost (a timeout, a
//! reset, a 5xx), do not send again: ask with that RRN.
//!
//! - An order (create, saved-card charge): [`OrderByRrn`] asks
//!   `GET /api/v3/orders/{rrn}/rrn`. Found: [`Reconciled::Happened`] with the order (whose
//!   `state` says whether it is paid). HTTP 404 or an empty payload:
//!   [`Reconciled::DidNotHappen`], send it again with the same RRN.
//! - A refund or capture of an order: [`ActionOnOrder`] reads the order and looks for a
//!   transaction carrying the RRN (`transactions[].requestRrn`), then at its status.

use crate::payriff::{
    ApiError, Config, GetOrder, GetOrderByRrn, OrderInfo, PaymentStatus, Payriff,
};
use crate::reconcile::Reconciled;
use crate::{BuildError, HttpRequest, HttpResponse, Operation, ResponseError};

/// Did the order sent with this RRN reach Payriff? See [`crate::reconcile::payriff`].
///
/// ```
/// use azpay_core::{execute, payriff, reconcile, HttpRequest, HttpResponse, TransportError};
/// let config = payriff::Config::new("app-key");
/// let check = reconcile::payriff::OrderByRrn::new("rrn-1");
/// let t = |request: HttpRequest| {
///     assert_eq!(request.uri().path(), "/api/v3/orders/rrn-1/rrn");
///     Ok::<HttpResponse, TransportError>(http::Response::builder().status(404)
///         .body(br#"{"code":"15000","message":"Order not found"}"#.to_vec()).unwrap())
/// };
/// assert!(execute(&check, &config, &t)?.did_not_happen());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderByRrn {
    rrn: String,
}

impl OrderByRrn {
    /// The order sent with `X-REQUEST-RRN: rrn`.
    pub fn new(rrn: impl Into<String>) -> Self {
        OrderByRrn { rrn: rrn.into() }
    }
}

impl Operation for OrderByRrn {
    type Gateway = Payriff;
    type Output = Reconciled<OrderInfo>;
    const NAME: &'static str = "reconcile_order_by_rrn";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        GetOrderByRrn::new(self.rrn.clone()).build_request(config)
    }

    fn parse_response(
        &self,
        config: &Config,
        response: HttpResponse,
    ) -> Result<Self::Output, ResponseError<ApiError>> {
        let status = response.status();
        let empty_payload = is_empty_success(response.body());
        if status == http::StatusCode::NOT_FOUND || empty_payload {
            return Ok(Reconciled::DidNotHappen);
        }
        let order = GetOrderByRrn::new(self.rrn.clone()).parse_response(config, response)?;
        Ok(Reconciled::Happened(order))
    }
}

/// Whether the body is a success envelope whose payload is `null` or absent.
fn is_empty_success(body: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct E {
        code: Option<String>,
        #[serde(default)]
        payload: Option<serde::de::IgnoredAny>,
    }
    matches!(serde_json::from_slice::<E>(body), Ok(E { code: Some(c), payload: None }) if c.trim() == "00000")
}

/// Which action [`ActionOnOrder`] looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Refund,
    Capture,
}

/// Did a refund or capture of an order happen? Reads the order (`GET /api/v3/orders/{id}`):
/// a transaction whose `requestRrn` is the RRN sent is [`Reconciled::Happened`]. Without
/// one, the status decides: a capture happened when the order is `APPROVED` and did not
/// when it is still `PREAUTH_APPROVED`; a refund did not happen when the order is still
/// `APPROVED` and (for the first refund of the order, the default) happened when it reads
/// `REFUNDED`, `PARTIAL_REFUND` or `REFUND_IN_PROGRESS`. Anything else is
/// [`Reconciled::Unknown`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionOnOrder {
    order_id: String,
    rrn: String,
    action: Action,
    refunded_before: bool,
}

impl ActionOnOrder {
    /// A refund of `order_id` sent with `rrn`.
    pub fn refund(order_id: impl Into<String>, rrn: impl Into<String>) -> Self {
        ActionOnOrder {
            order_id: order_id.into(),
            rrn: rrn.into(),
            action: Action::Refund,
            refunded_before: false,
        }
    }
    /// A capture of `order_id` sent with `rrn`.
    pub fn capture(order_id: impl Into<String>, rrn: impl Into<String>) -> Self {
        ActionOnOrder {
            action: Action::Capture,
            ..Self::refund(order_id, rrn)
        }
    }
    /// The order had been partly refunded before this refund: its status alone then proves
    /// nothing, only a transaction with the RRN does.
    pub fn refunded_before(mut self) -> Self {
        self.refunded_before = true;
        self
    }
}

impl Operation for ActionOnOrder {
    type Gateway = Payriff;
    type Output = Reconciled<OrderInfo>;
    const NAME: &'static str = "reconcile_action";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        crate::payriff::wire::check_rrn(&self.rrn)?;
        GetOrder::new(self.order_id.clone()).build_request(config)
    }

    fn parse_response(
        &self,
        config: &Config,
        response: HttpResponse,
    ) -> Result<Self::Output, ResponseError<ApiError>> {
        let order = GetOrder::new(self.order_id.clone()).parse_response(config, response)?;
        if order
            .transactions
            .iter()
            .any(|t| t.request_rrn.as_deref() == Some(self.rrn.as_str()))
        {
            return Ok(Reconciled::Happened(order));
        }
        use PaymentStatus as P;
        let verdict = match (self.action, &order.payment_status) {
            (Action::Capture, P::Approved) => Some(true),
            (Action::Capture, P::PreauthApproved) => Some(false),
            (Action::Refund, P::Approved) => Some(false),
            (Action::Refund, P::Refunded | P::PartialRefund | P::RefundInProgress)
                if !self.refunded_before =>
            {
                Some(true)
            }
            _ => None,
        };
        Ok(match verdict {
            Some(true) => Reconciled::Happened(order),
            Some(false) => Reconciled::DidNotHappen,
            None => Reconciled::Unknown(format!(
                "order {} reads {} and no transaction carries the RRN",
                order.order_id, order.payment_status
            )),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> HttpResponse {
        http::Response::new(body.as_bytes().to_vec())
    }

    #[test]
    fn order_by_rrn_verdicts() {
        let config = Config::new("k");
        let op = OrderByRrn::new("rrn 1/2");
        let request = op.build_request(&config).unwrap();
        assert_eq!(request.uri().path(), "/api/v3/orders/rrn%201%2F2/rrn");
        let found = op
            .parse_response(
                &config,
                ok(r#"{"code":"00000","payload":{"orderId":"ORD-1","paymentStatus":"APPROVED"}}"#),
            )
            .unwrap();
        assert!(matches!(found, Reconciled::Happened(o) if o.order_id == "ORD-1"));
        assert!(op
            .parse_response(&config, ok(r#"{"code":"00000","payload":null}"#))
            .unwrap()
            .did_not_happen());
        // Another error is not "did not happen": it propagates.
        assert!(op
            .parse_response(&config, ok(r#"{"code":"14010","message":"unauthorized"}"#))
            .is_err());
    }

    #[test]
    fn action_on_order_verdicts() {
        let config = Config::new("k");
        let order = |status: &str, rrn: &str| {
            ok(&format!(
                r#"{{"code":"00000","payload":{{"orderId":"O","paymentStatus":"{status}","transactions":[{{"status":"APPROVED","requestRrn":"{rrn}"}}]}}}}"#
            ))
        };
        let refund = ActionOnOrder::refund("O", "r-2");
        assert!(refund
            .parse_response(&config, order("APPROVED", "r-1"))
            .unwrap()
            .did_not_happen());
        assert!(refund
            .parse_response(&config, order("APPROVED", "r-2"))
            .unwrap()
            .happened());
        assert!(refund
            .parse_response(&config, order("REFUNDED", "r-1"))
            .unwrap()
            .happened());
        let again = refund.clone().refunded_before();
        assert!(matches!(
            again
                .parse_response(&config, order("PARTIAL_REFUND", "r-1"))
                .unwrap(),
            Reconciled::Unknown(_)
        ));
        let capture = ActionOnOrder::capture("O", "c-1");
        assert!(capture
            .parse_response(&config, order("PREAUTH_APPROVED", "x"))
            .unwrap()
            .did_not_happen());
        assert!(capture
            .parse_response(&config, order("approved", "x"))
            .unwrap()
            .happened());
        assert!(matches!(
            capture
                .parse_response(&config, order("SOMETHING_NEW", "x"))
                .unwrap(),
            Reconciled::Unknown(_)
        ));
    }
}
