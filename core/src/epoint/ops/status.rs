//! Queries: the state of a payment ([`GetStatus`]) and whether EPoint is up ([`Heartbeat`],
//! unsigned). Both are idempotent.

use super::{check_order_id, non_empty, Data, SignedOperation};
use crate::epoint::outcome::{HeartbeatStatus, PaymentStatus};
use crate::epoint::wire::Payload;
use crate::epoint::{ApiError, Config, EPoint};
use crate::{BuildError, HttpRequest, HttpResponse, Operation, ResponseError};

// ---------------------------------------------------------------------------------------
// GetStatus

#[derive(Debug, Clone, PartialEq, Eq)]
enum StatusKey {
    Transaction(String),
    OrderId(String),
}

/// The state of a payment (`POST /api/1/get-status`), by EPoint's `transaction` or by your
/// `order_id`. Idempotent.
///
/// Executes to a [`PaymentStatus`].
///
/// ```
/// use azpay_core::{epoint, execute, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::GetStatus::by_transaction("te000000001");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","code":"000","transaction":"te000000001","amount":1.0}"#.to_vec()));
/// assert!(execute(&op, &config, &t)?.is_paid());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetStatus {
    key: StatusKey,
}

impl GetStatus {
    /// By EPoint's `transaction` id (`te…`).
    pub fn by_transaction(transaction: impl Into<String>) -> Self {
        GetStatus {
            key: StatusKey::Transaction(transaction.into()),
        }
    }

    /// By your `order_id`.
    pub fn by_order_id(order_id: impl Into<String>) -> Self {
        GetStatus {
            key: StatusKey::OrderId(order_id.into()),
        }
    }
}

impl SignedOperation for GetStatus {
    type Output = PaymentStatus;
    const NAME: &'static str = "get_status";
    const IDEMPOTENT: bool = true;
    const PATH: &'static str = "get-status";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        let mut p = Payload {
            public_key: config.public_key(),
            ..Payload::default()
        };
        match &self.key {
            StatusKey::Transaction(t) => p.transaction = Some(non_empty("transaction", t)?),
            StatusKey::OrderId(o) => {
                check_order_id(o)?;
                p.order_id = Some(o);
            }
        }
        Ok(Data(p))
    }

    fn parse(&self, response: HttpResponse) -> Result<PaymentStatus, ResponseError<ApiError>> {
        PaymentStatus::parse(response)
    }
}

// ---------------------------------------------------------------------------------------
// Heartbeat

/// Whether EPoint is up (`GET /api/heartbeat`, not under `/api/1`). Idempotent.
///
/// Executes to a [`HeartbeatStatus`].
///
/// ```
/// use azpay_core::{epoint, execute, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let t = |r: HttpRequest| {
///     assert_eq!(r.uri(), "https://epoint.az/api/heartbeat");
///     Ok::<HttpResponse, TransportError>(http::Response::new(br#"{"status":"ok"}"#.to_vec()))
/// };
/// assert!(execute(&epoint::Heartbeat, &config, &t)?.is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Heartbeat;

impl Operation for Heartbeat {
    type Gateway = EPoint;
    type Output = HeartbeatStatus;
    const NAME: &'static str = "heartbeat";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        Ok(http::Request::get(format!("{}/api/heartbeat", config.base())).body(Vec::new())?)
    }

    fn parse_response(
        &self,
        _config: &Config,
        response: HttpResponse,
    ) -> Result<HeartbeatStatus, ResponseError<ApiError>> {
        HeartbeatStatus::parse(response)
    }
}
