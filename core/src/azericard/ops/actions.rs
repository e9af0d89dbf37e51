//! [`Complete`] (TRTYPE `21`) and [`Reverse`] (`22` online, `24` offline): server-to-server
//! form posts answered with a bare code ([`ActionReply`]).

use super::{amount_text, check_order, check_terminal, currency_text, post};
use crate::azericard::codes::{ApiError, TrType};
use crate::azericard::config::{Azericard, Config, Stamp};
use crate::azericard::outcome::ActionReply;
use crate::azericard::wire;
use crate::{Amount, BuildError, HttpRequest, HttpResponse, Operation, ResponseError};

/// What 21, 22 and 24 share: the original transaction's `ORDER`, `RRN` and `INT_REF` and
/// the amount.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Follow {
    order: String,
    amount: Amount,
    rrn: String,
    int_ref: String,
    stamp: Option<Stamp>,
}

impl Follow {
    /// Body `AMOUNT, CURRENCY, ORDER, RRN, INT_REF, TERMINAL, TRTYPE, TIMESTAMP, NONCE,
    /// P_SIGN`; MAC `AMOUNT, CURRENCY, TERMINAL, TRTYPE, ORDER, RRN, INT_REF` (the official
    /// document's order; legacy: `ORDER, AMOUNT, CURRENCY, RRN, INT_REF, TRTYPE, TERMINAL,
    /// TIMESTAMP, NONCE`).
    fn request(&self, config: &Config, trtype: &TrType) -> Result<HttpRequest, BuildError> {
        check_order(&self.order)?;
        let amount = amount_text(&self.amount)?;
        let currency = currency_text(&self.amount);
        if self.rrn.len() != 12 || !self.rrn.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BuildError::invalid("rrn", "must be 12 digits"));
        }
        let n = self.int_ref.len();
        if !(1..=32).contains(&n) || !self.int_ref.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(BuildError::invalid(
                "int_ref",
                "must be 1 to 32 ASCII letters or digits",
            ));
        }
        check_terminal(config.terminal())?;
        let stamp = config.stamp_or(self.stamp.as_ref())?;
        let (terminal, tr) = (config.terminal(), trtype.as_str());
        let (ts, nonce) = (stamp.timestamp(), stamp.nonce());
        let p_sign = config.p_sign(
            &[
                &amount,
                &currency,
                terminal,
                tr,
                &self.order,
                &self.rrn,
                &self.int_ref,
            ],
            &[
                &self.order,
                &amount,
                &currency,
                &self.rrn,
                &self.int_ref,
                tr,
                terminal,
                ts,
                nonce,
            ],
        )?;
        post(
            config,
            &[
                ("AMOUNT", &amount),
                ("CURRENCY", &currency),
                ("ORDER", &self.order),
                ("RRN", &self.rrn),
                ("INT_REF", &self.int_ref),
                ("TERMINAL", terminal),
                ("TRTYPE", tr),
                ("TIMESTAMP", ts),
                ("NONCE", nonce),
                ("P_SIGN", &p_sign),
            ],
        )
    }
}

fn parse_reply(
    response: HttpResponse,
    trtype: &TrType,
) -> Result<ActionReply, ResponseError<ApiError>> {
    let (parts, body) = response.into_parts();
    ResponseError::check_size(&body)?;
    if !parts.status.is_success() {
        return Err(ResponseError::Status {
            status: parts.status,
            body: body.into(),
        });
    }
    match wire::bare_code(&body) {
        Some(code) => Ok(ActionReply::new(code, trtype.clone())),
        None => Err(ResponseError::malformed(
            "the reply is not a bare reply code (`0`, `1`, …)",
            body,
        )),
    }
}

/// Sales completion (TRTYPE `21`): capture a hold made with
/// [`crate::azericard::Pay::preauth`], naming it by `ORDER`, `RRN` and `INT_REF` (from its
/// callback or status). Not idempotent.
///
/// ```
/// use azpay_core::azericard::{Complete, Config, SignError, Stamp};
/// use azpay_core::{execute, Amount, Currency, HttpRequest, HttpResponse, State, TransportError};
/// let signer = |m: &[u8]| -> Result<Vec<u8>, SignError> {
///     assert_eq!(m, b"510.503AZN817202191221142025012300000112306276834930164A29E93C607E33DC");
///     Ok(vec![0x01])
/// };
/// let config = Config::new("17202191", signer);
/// let op = Complete::new("20250123000001", Amount::parse_major("10.50", Currency::AZN)?, "306276834930", "4A29E93C607E33DC")
///     .stamp(Stamp::new("20250123044608", "f2b2dd7e603a7ada")?);
/// let t = |r: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert_eq!(r.body(), b"AMOUNT=10.50&CURRENCY=AZN&ORDER=20250123000001&RRN=306276834930&INT_REF=4A29E93C607E33DC&TERMINAL=17202191&TRTYPE=21&TIMESTAMP=20250123044608&NONCE=f2b2dd7e603a7ada&P_SIGN=01");
///     Ok(http::Response::new(b"0".to_vec()))
/// };
/// assert_eq!(execute(&op, &config, &t)?.state, State::Done);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complete(Follow);

impl Complete {
    /// Completes `amount` of the hold `order` (`RRN` 12 digits, `INT_REF` 1–32 characters).
    pub fn new(
        order: impl Into<String>,
        amount: Amount,
        rrn: impl Into<String>,
        int_ref: impl Into<String>,
    ) -> Self {
        Complete(Follow {
            order: order.into(),
            amount,
            rrn: rrn.into(),
            int_ref: int_ref.into(),
            stamp: None,
        })
    }

    /// `TIMESTAMP` and `NONCE` (else the configuration's source).
    pub fn stamp(mut self, stamp: Stamp) -> Self {
        self.0.stamp = Some(stamp);
        self
    }
}

impl Operation for Complete {
    type Gateway = Azericard;
    type Output = ActionReply;
    const NAME: &'static str = "complete";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        self.0.request(config, &TrType::Completion)
    }

    fn parse_response(
        &self,
        _: &Config,
        response: HttpResponse,
    ) -> Result<ActionReply, ResponseError<ApiError>> {
        parse_reply(response, &TrType::Completion)
    }
}

/// Reversal: TRTYPE `22` (online, before settlement; the default) or `24`
/// ([`Reverse::offline`]). Releases a hold or returns a purchase, naming it by `ORDER`,
/// `RRN` and `INT_REF`. Not idempotent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reverse {
    follow: Follow,
    offline: bool,
}

impl Reverse {
    /// Reverses `amount` of `order` (`RRN` 12 digits, `INT_REF` 1–32 characters).
    pub fn new(
        order: impl Into<String>,
        amount: Amount,
        rrn: impl Into<String>,
        int_ref: impl Into<String>,
    ) -> Self {
        Reverse {
            follow: Follow {
                order: order.into(),
                amount,
                rrn: rrn.into(),
                int_ref: int_ref.into(),
                stamp: None,
            },
            offline: false,
        }
    }

    /// TRTYPE `24` instead of `22` (other clients switch to it for payments older than a
    /// day).
    pub fn offline(mut self) -> Self {
        self.offline = true;
        self
    }

    /// `TIMESTAMP` and `NONCE` (else the configuration's source).
    pub fn stamp(mut self, stamp: Stamp) -> Self {
        self.follow.stamp = Some(stamp);
        self
    }

    /// `22` or `24`.
    pub fn trtype(&self) -> TrType {
        if self.offline {
            TrType::OfflineReversal
        } else {
            TrType::Reversal
        }
    }
}

impl Operation for Reverse {
    type Gateway = Azericard;
    type Output = ActionReply;
    const NAME: &'static str = "reverse";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        self.follow.request(config, &self.trtype())
    }

    fn parse_response(
        &self,
        _: &Config,
        response: HttpResponse,
    ) -> Result<ActionReply, ResponseError<ApiError>> {
        parse_reply(response, &self.trtype())
    }
}
