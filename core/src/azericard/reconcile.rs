//! Azericard reconciliations (re-exported as [`crate::reconcile::azericard`]): after an
//! unknown outcome of a completion or reversal, ask the status of that transaction by
//! `ORDER` (TRTYPE 90 with its `TRAN_TRTYPE`).

use crate::azericard::{
    Action, ApiError, Azericard, Config, GetStatus, Stamp, TrType, TransactionStatus,
};
use crate::reconcile::Reconciled;
use crate::{BuildError, HttpRequest, HttpResponse, Operation, ResponseError};

/// Did a transaction of type `trtype` (`21`, `22`, `24`, or a `1`/`0` payment) happen on
/// `order`? A status query answers:
///
/// | status reply | verdict |
/// |---|---|
/// | `ACTION` `0`, `2`, `3`, `6`, `7`, `8` (approved, declined or failed) | [`Reconciled::Happened`] with the status (do not send again) |
/// | `ACTION` `1` (duplicate) or another word | [`Reconciled::Unknown`] |
/// | a bare refusal code instead of a record | [`Reconciled::Unknown`] |
///
/// Azericard documents no "no such transaction" answer, so this never says
/// [`Reconciled::DidNotHappen`] on its own: an `Unknown` goes to a person (or ask again
/// after the gateway's 24 hours of status history have passed and the payment is still
/// unpaid in your records).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionOnOrder {
    query: GetStatus,
}

impl TransactionOnOrder {
    /// The transaction of type `trtype` on `order`.
    pub fn new(order: impl Into<String>, trtype: TrType) -> Self {
        TransactionOnOrder {
            query: GetStatus::new(order).tran_trtype(trtype),
        }
    }

    /// `TIMESTAMP` and `NONCE` of the query (else the configuration's source).
    pub fn stamp(mut self, stamp: Stamp) -> Self {
        self.query = self.query.stamp(stamp);
        self
    }
}

impl Operation for TransactionOnOrder {
    type Gateway = Azericard;
    type Output = Reconciled<TransactionStatus>;
    const NAME: &'static str = "reconcile_transaction";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        self.query.build_request(config)
    }

    fn parse_response(
        &self,
        config: &Config,
        response: HttpResponse,
    ) -> Result<Self::Output, ResponseError<ApiError>> {
        match self.query.parse_response(config, response) {
            Ok(status) => Ok(match status.action {
                Action::Success
                | Action::Declined
                | Action::ProcessingError
                | Action::RepeatDeclined
                | Action::RepeatAuthenticationError
                | Action::RepeatNoResponse => Reconciled::Happened(status),
                ref other => Reconciled::Unknown(format!("ACTION `{other}`")),
            }),
            Err(ResponseError::Api(e)) => Ok(Reconciled::Unknown(e.to_string())),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::azericard::SignError;

    fn config() -> Config {
        Config::new("17202191", |_: &[u8]| -> Result<Vec<u8>, SignError> {
            Ok(vec![1])
        })
    }

    fn answer(op: &TransactionOnOrder, body: &str) -> Reconciled<TransactionStatus> {
        op.parse_response(&config(), http::Response::new(body.as_bytes().to_vec()))
            .unwrap()
    }

    #[test]
    fn verdicts() {
        let op = TransactionOnOrder::new("000001", TrType::Completion)
            .stamp(Stamp::new("20250123050000", "7cfb4c2512eeec72").unwrap());
        let request = op.build_request(&config()).unwrap();
        let body = String::from_utf8(request.into_body()).unwrap();
        assert!(body.starts_with("TRAN_TRTYPE=21&ORDER=000001&"), "{body}");
        assert!(answer(&op, r#"{"ACTION":"0","RC":"00"}"#).happened());
        assert!(answer(&op, "ACTION=2&RC=05").happened());
        assert!(matches!(answer(&op, "ACTION=1"), Reconciled::Unknown(_)));
        assert!(matches!(answer(&op, "3"), Reconciled::Unknown(_)));
        assert!(op
            .parse_response(&config(), http::Response::new(b"<html>".to_vec()))
            .is_err());
    }
}
