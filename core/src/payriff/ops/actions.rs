//! Payment-changing actions on an order: [`Refund`] (`POST /api/v3/refund`), [`Capture`]
//! (`POST /api/v3/complete`) and [`AutoPay`] (`POST /api/v3/autoPay`, a saved card). Each
//! carries an `X-REQUEST-RRN`; `01000` (a rejection) is an output with
//! [`crate::State::Declined`], never an error.

use crate::payriff::codes::OrderOperation;
use crate::payriff::config::{Config, Payriff};
use crate::payriff::outcome::{self, ActionResult, Charge};
use crate::payriff::wire::{self, RErr};
use crate::{Amount, BuildError, HttpRequest, HttpResponse, Operation};

fn order_amount_request(
    config: &Config,
    path: &str,
    order_id: &str,
    amount: Option<&Amount>,
    reason: Option<&str>,
    callback_url: Option<&str>,
    rrn: &str,
) -> Result<HttpRequest, BuildError> {
    crate::input::check_id("order_id", order_id, crate::input::DEFAULT_ID_MAX)?;
    let amount = match amount {
        Some(a) => {
            wire::check_amount("amount", a)?;
            Some(wire::amount_number(a)?)
        }
        None => None,
    };
    if let Some(r) = reason {
        wire::check_text("refundReason", r)?;
    }
    if let Some(u) = callback_url {
        wire::check_url("callbackUrl", u)?;
    }
    let body = wire::to_json(&wire::OrderAmountBody {
        order_id,
        amount,
        refund_reason: reason,
        callback_url,
    })?;
    wire::request(config, http::Method::POST, path, Some(body), Some(rrn))
}

/// `POST /api/v3/refund {orderId, amount?, refundReason?, callbackUrl?}` with
/// `X-REQUEST-RRN`: a full refund (no `amount`, as Payriff's own SDKs send it) or a partial
/// one.
///
/// After an unknown outcome, [`crate::reconcile::payriff::ActionOnOrder::refund`] reads the
/// order and looks for the RRN before anything is sent again.
///
/// ```
/// use azpay_core::{execute, payriff, Amount, Currency, HttpRequest, HttpResponse, State, TransportError};
/// let config = payriff::Config::new("app-key");
/// let op = payriff::Refund::partial("ORD-1", Amount::parse_major("5", Currency::AZN)?, "rrn-r1")
///     .reason("damaged");
/// let t = |request: HttpRequest| {
///     assert_eq!(request.body(), br#"{"orderId":"ORD-1","amount":5.00,"refundReason":"damaged"}"#);
///     Ok::<HttpResponse, TransportError>(http::Response::new(br#"{"code":"00000","message":"OK","payload":null}"#.to_vec()))
/// };
/// assert_eq!(execute(&op, &config, &t)?.state, State::Done);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    order_id: String,
    amount: Option<Amount>,
    rrn: String,
    reason: Option<String>,
    callback_url: Option<String>,
}

impl Refund {
    /// Refunds all of order `order_id` (no `amount` sent).
    pub fn full(order_id: impl Into<String>, rrn: impl Into<String>) -> Self {
        Refund {
            order_id: order_id.into(),
            amount: None,
            rrn: rrn.into(),
            reason: None,
            callback_url: None,
        }
    }
    /// Refunds `amount` of order `order_id`.
    pub fn partial(order_id: impl Into<String>, amount: Amount, rrn: impl Into<String>) -> Self {
        Refund {
            amount: Some(amount),
            ..Self::full(order_id, rrn)
        }
    }
    /// `refundReason`.
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
    /// `callbackUrl` for the refund's result.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }
    /// The request RRN.
    pub fn rrn(&self) -> &str {
        &self.rrn
    }
}

impl Operation for Refund {
    type Gateway = Payriff;
    type Output = ActionResult;
    const NAME: &'static str = "refund";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        order_amount_request(
            config,
            "refund",
            &self.order_id,
            self.amount.as_ref(),
            self.reason.as_deref(),
            self.callback_url.as_deref(),
            &self.rrn,
        )
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<ActionResult, RErr> {
        let reply = wire::parse::<serde::de::IgnoredAny>(Self::NAME, response, true)?;
        Ok(outcome::action(reply))
    }
}

/// `POST /api/v3/complete {orderId, amount?, callbackUrl?}` with `X-REQUEST-RRN`: captures
/// a hold (`PRE_AUTH`), all of it (no `amount`) or less than held (the rest is released).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    order_id: String,
    amount: Option<Amount>,
    rrn: String,
    callback_url: Option<String>,
}

impl Capture {
    /// Captures the whole hold of order `order_id`.
    pub fn full(order_id: impl Into<String>, rrn: impl Into<String>) -> Self {
        Capture {
            order_id: order_id.into(),
            amount: None,
            rrn: rrn.into(),
            callback_url: None,
        }
    }
    /// Captures `amount` (at most the hold).
    pub fn partial(order_id: impl Into<String>, amount: Amount, rrn: impl Into<String>) -> Self {
        Capture {
            amount: Some(amount),
            ..Self::full(order_id, rrn)
        }
    }
    /// `callbackUrl` for the capture's result.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }
    /// The request RRN.
    pub fn rrn(&self) -> &str {
        &self.rrn
    }
}

impl Operation for Capture {
    type Gateway = Payriff;
    type Output = ActionResult;
    const NAME: &'static str = "capture";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        order_amount_request(
            config,
            "complete",
            &self.order_id,
            self.amount.as_ref(),
            None,
            self.callback_url.as_deref(),
            &self.rrn,
        )
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<ActionResult, RErr> {
        let reply = wire::parse::<serde::de::IgnoredAny>(Self::NAME, response, true)?;
        Ok(outcome::action(reply))
    }
}

/// `POST /api/v3/autoPay {cardUuid, amount, operation, currency, description, callbackUrl?}`
/// with `X-REQUEST-RRN`: charges a saved card without the customer. The body carries no
/// `merchant` field (Payriff's own SDKs send none).
///
/// The answer's `paymentStatus` decides the [`Charge::state`](crate::payriff::Charge):
/// paid or held is done, a declining status or `01000` declined, anything else (3-D Secure
/// asked, an unknown word, no status) pending. After an unknown outcome,
/// [`crate::reconcile::payriff::OrderByRrn`] finds the order by the RRN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoPay {
    card_uuid: String,
    amount: Amount,
    description: String,
    rrn: String,
    operation: OrderOperation,
    callback_url: Option<String>,
}

impl AutoPay {
    /// Charges `amount` to the saved card `card_uuid` (`PURCHASE`).
    pub fn new(
        card_uuid: impl Into<String>,
        amount: Amount,
        description: impl Into<String>,
        rrn: impl Into<String>,
    ) -> Self {
        AutoPay {
            card_uuid: card_uuid.into(),
            amount,
            description: description.into(),
            rrn: rrn.into(),
            operation: OrderOperation::Purchase,
            callback_url: None,
        }
    }
    /// Holds instead of charging (`PRE_AUTH`).
    pub fn preauth(mut self) -> Self {
        self.operation = OrderOperation::PreAuth;
        self
    }
    /// `callbackUrl`; default: the configuration's.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }
    /// The request RRN.
    pub fn rrn(&self) -> &str {
        &self.rrn
    }
}

impl Operation for AutoPay {
    type Gateway = Payriff;
    type Output = Charge;
    const NAME: &'static str = "auto_pay";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        crate::input::check_id("card_uuid", &self.card_uuid, crate::input::DEFAULT_ID_MAX)?;
        wire::check_amount("amount", &self.amount)?;
        if self.description.trim().is_empty() {
            return Err(BuildError::invalid("description", "must not be empty"));
        }
        wire::check_text("description", &self.description)?;
        let callback = self
            .callback_url
            .as_deref()
            .or(config.default_callback_url());
        if let Some(u) = callback {
            wire::check_url("callbackUrl", u)?;
        }
        let body = wire::to_json(&wire::AutoPayBody {
            card_uuid: &self.card_uuid,
            amount: wire::amount_number(&self.amount)?,
            operation: self.operation.as_str(),
            currency: self.amount.currency().alpha(),
            description: &self.description,
            callback_url: callback,
        })?;
        wire::request(
            config,
            http::Method::POST,
            "autoPay",
            Some(body),
            Some(&self.rrn),
        )
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<Charge, RErr> {
        let body = response.body().clone();
        let reply = wire::parse(Self::NAME, response, true)?;
        outcome::charge(reply, &body)
    }
}
