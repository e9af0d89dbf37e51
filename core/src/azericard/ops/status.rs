//! [`GetStatus`]: TRTYPE `90`.

use super::{check_order, check_terminal, post};
use crate::azericard::codes::{ApiError, TrType};
use crate::azericard::config::{Azericard, Config, Stamp};
use crate::azericard::outcome::TransactionStatus;
use crate::azericard::wire::{self, Reply};
use crate::{BuildError, HttpRequest, HttpResponse, Operation, ResponseError};

/// The status of a transaction (TRTYPE `90`, within 24 hours of it): which `ORDER` and which
/// of its transactions (`TRAN_TRTYPE`: `1` by default, `0`, `21`, `22` or `24`). A form post
/// (not JSON). Body `TRAN_TRTYPE, ORDER, TERMINAL, TRTYPE, TIMESTAMP, NONCE, P_SIGN`; MAC
/// `ORDER, TERMINAL, TRTYPE, TIMESTAMP, NONCE` (`TRAN_TRTYPE` is not signed). The reply is
/// read from JSON, a form or XML, keys matched without regard to case (the document leaves
/// the format open). Idempotent.
///
/// ```
/// use azpay_core::azericard::{Config, GetStatus, SignError, Stamp, TrType};
/// use azpay_core::{execute, HttpRequest, HttpResponse, State, TransportError};
/// let signer = |m: &[u8]| -> Result<Vec<u8>, SignError> {
///     assert_eq!(m, b"14202501230000018172021912901420250123050000167cfb4c2512eeec72");
///     Ok(vec![0xff])
/// };
/// let config = Config::new("17202191", signer);
/// let op = GetStatus::new("20250123000001").tran_trtype(TrType::PreAuth)
///     .stamp(Stamp::new("20250123050000", "7cfb4c2512eeec72")?);
/// let t = |r: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert_eq!(r.body(), b"TRAN_TRTYPE=0&ORDER=20250123000001&TERMINAL=17202191&TRTYPE=90&TIMESTAMP=20250123050000&NONCE=7cfb4c2512eeec72&P_SIGN=ff");
///     Ok(http::Response::new(br#"{"ACTION":"0","RC":"00","AMOUNT":"1.00","CURRENCY":"944"}"#.to_vec()))
/// };
/// let status = execute(&op, &config, &t)?;
/// assert_eq!(status.state, State::Done);
/// assert_eq!(status.amount.map(|a| a.minor()), Some(100));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetStatus {
    order: String,
    tran_trtype: TrType,
    stamp: Option<Stamp>,
}

impl GetStatus {
    /// The purchase (`TRAN_TRTYPE` `1`) of `order`.
    pub fn new(order: impl Into<String>) -> Self {
        GetStatus {
            order: order.into(),
            tran_trtype: TrType::Purchase,
            stamp: None,
        }
    }

    /// Which transaction of the order: `0`, `1`, `21`, `22` or `24`.
    pub fn tran_trtype(mut self, trtype: TrType) -> Self {
        self.tran_trtype = trtype;
        self
    }

    /// `TIMESTAMP` and `NONCE` (else the configuration's source).
    pub fn stamp(mut self, stamp: Stamp) -> Self {
        self.stamp = Some(stamp);
        self
    }

    /// `ORDER`.
    pub fn order(&self) -> &str {
        &self.order
    }

    /// `TRAN_TRTYPE`.
    pub fn trtype(&self) -> &TrType {
        &self.tran_trtype
    }
}

impl Operation for GetStatus {
    type Gateway = Azericard;
    type Output = TransactionStatus;
    const NAME: &'static str = "get_status";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        check_order(&self.order)?;
        if !matches!(
            self.tran_trtype,
            TrType::PreAuth
                | TrType::Purchase
                | TrType::Completion
                | TrType::Reversal
                | TrType::OfflineReversal
        ) {
            return Err(BuildError::invalid(
                "tran_trtype",
                "must be 0, 1, 21, 22 or 24",
            ));
        }
        check_terminal(config.terminal())?;
        let stamp = config.stamp_or(self.stamp.as_ref())?;
        let terminal = config.terminal();
        let (ts, nonce) = (stamp.timestamp(), stamp.nonce());
        let mac = [self.order.as_str(), terminal, "90", ts, nonce];
        let p_sign = config.p_sign(&mac, &mac)?;
        post(
            config,
            &[
                ("TRAN_TRTYPE", self.tran_trtype.as_str()),
                ("ORDER", &self.order),
                ("TERMINAL", terminal),
                ("TRTYPE", "90"),
                ("TIMESTAMP", ts),
                ("NONCE", nonce),
                ("P_SIGN", &p_sign),
            ],
        )
    }

    fn parse_response(
        &self,
        _: &Config,
        response: HttpResponse,
    ) -> Result<TransactionStatus, ResponseError<ApiError>> {
        let (parts, body) = response.into_parts();
        ResponseError::check_size(&body)?;
        if !parts.status.is_success() {
            return Err(ResponseError::Status {
                status: parts.status,
                body: body.into(),
            });
        }
        match wire::status_reply(&body) {
            Ok(Reply::Record(r)) => TransactionStatus::from_record(&r, &self.tran_trtype)
                .map_err(|reason| ResponseError::malformed(reason, body)),
            Ok(Reply::Code(code)) => Err(ResponseError::Api(ApiError::new(code))),
            Err(reason) => Err(ResponseError::malformed(reason, body)),
        }
    }
}
