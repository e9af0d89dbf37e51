//! Money moved on an existing order: capturing a hold ([`Completion`]), voiding
//! ([`Reverse`]) and returning money of a paid order ([`Refund`]).

use super::{minor_units, open_order, post, require_id};
use crate::twec::codes::ApiError;
use crate::twec::config::{Config, RequestForm, Twec};
use crate::twec::outcome::OperationOutcome;
#[allow(unused_imports)] // for rustdoc links
use crate::twec::outcome::OrderInformation;
use crate::twec::wire;
use crate::twec::xmlwrite::RequestWriter;
use crate::{Amount, BuildError, HttpRequest, HttpResponse, Language, Operation, ResponseError};

/// Kapital's fixed `Positions` block. `full` adds `Price`, `Tax` and `Text` (Refund).
fn kapital_positions(w: &mut RequestWriter, full: bool) -> Result<(), BuildError> {
    w.start("Positions")?;
    w.start("Position")?;
    w.element("PaymentSubjectType", "PaymentSubjectType", "1")?;
    w.element("Quantity", "Quantity", "1")?;
    if full {
        w.element("Price", "Price", "1")?;
        w.element("Tax", "Tax", "1")?;
        w.element("Text", "Text", "name position")?;
    }
    w.element("PaymentType", "PaymentType", "2")?;
    w.element("PaymentMethodType", "PaymentMethodType", "1")?;
    w.end("Position")?;
    w.end("Positions")
}

/// The `Description` of Kapital's Refund and Reverse: the one given, or `"{what} of order
/// {order_id}"` (Kapital's templates always carry one; azpay never sends an empty element).
/// A given description that is empty or only whitespace gets the default too.
fn description_or(given: &Option<String>, what: &str, order_id: &str) -> String {
    match given.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => given.clone().unwrap_or_default(),
        _ => format!("{what} of order {order_id}"),
    }
}

// ---------------------------------------------------------------------------------------
// Completion, Reverse, Refund

/// `Completion`: captures a `PreAuth` order (all or part of the held amount).
///
/// ```
/// use azpay_core::{execute, twec, Amount, Currency, HttpRequest, HttpResponse, TransportError};
///
/// let config = twec::Config::kapital_test("E1000010");
/// let op = twec::Completion::new("123", "S1", Amount::from_minor(1000, Currency::AZN))
///     .description("capture");
/// let transport = |_: HttpRequest| -> Result<HttpResponse, TransportError> {
///     Ok(http::Response::new(
///         br#"<TKKPG><Response><Operation>Completion</Operation><Status>00</Status>
///             <POSResponse><l name="ResponseCode" value="001"/></POSResponse></Response></TKKPG>"#.to_vec(),
///     ))
/// };
/// let outcome = execute(&op, &config, &transport)?;
/// assert_eq!(outcome.response_code.unwrap().as_str(), "001");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    order_id: String,
    session_id: String,
    amount: Amount,
    description: Option<String>,
    language: Option<Language>,
}

impl Completion {
    /// Captures `amount` (minor units on the wire) of this pre-authorised order.
    pub fn new(order_id: impl Into<String>, session_id: impl Into<String>, amount: Amount) -> Self {
        Completion {
            order_id: order_id.into(),
            session_id: session_id.into(),
            amount,
            description: None,
            language: None,
        }
    }
    /// `Description`.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// `Language` of this request (overrides the config).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
}

impl Operation for Completion {
    type Gateway = Twec;
    type Output = OperationOutcome;
    const NAME: &'static str = "completion";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        require_id("SessionID", &self.session_id)?;
        let amount = minor_units("Amount", &self.amount, config)?;
        let mut w = RequestWriter::new("Completion", config.language_text(self.language))?;
        open_order(&mut w, config, &self.order_id)?;
        w.end("Order")?;
        w.element("SessionID", "SessionID", &self.session_id)?;
        w.element("Amount", "Amount", &amount)?;
        if let Some(d) = self.description.as_deref().filter(|d| !d.trim().is_empty()) {
            w.element("Description", "Description", d)?;
        }
        post(config, w.finish()?)
    }

    fn parse_response(
        &self,
        _config: &Config,
        response: HttpResponse,
    ) -> Result<OperationOutcome, ResponseError<ApiError>> {
        wire::operation_outcome("Completion", response)
    }
}

/// `Reverse`: voids an order (releases a hold, cancels a payment not yet settled).
///
/// Kapital form ([`RequestForm::Kapital`]):
/// `<Order><Merchant/><OrderID/><Positions>…</Positions></Order><Description/><SessionID/>
/// [<TranId/>]<Source>1</Source>`; it takes no amount. `Description` defaults to
/// `Reverse of order {OrderID}`; `TranId` is written only when given (never empty). Generic form:
/// `<Order><Merchant/><OrderID/></Order>[<Amount/>][<Description/>]<SessionID/>`.
///
/// ```
/// use azpay_core::{execute, twec, HttpRequest, HttpResponse, TransportError};
///
/// let config = twec::Config::kapital_test("E1000010");
/// let op = twec::Reverse::new("123", "S1").description("void");
/// let transport = |r: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert!(std::str::from_utf8(r.body()).unwrap().contains("<Source>1</Source>"));
///     Ok(http::Response::new(
///         b"<TKKPG><Response><Operation>Reverse</Operation><Status>00</Status></Response></TKKPG>".to_vec(),
///     ))
/// };
/// let outcome = execute(&op, &config, &transport)?;
/// assert_eq!(outcome.operation.as_deref(), Some("Reverse"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reverse {
    order_id: String,
    session_id: String,
    amount: Option<Amount>,
    description: Option<String>,
    tran_id: Option<String>,
    language: Option<Language>,
}

impl Reverse {
    /// Voids this order.
    pub fn new(order_id: impl Into<String>, session_id: impl Into<String>) -> Self {
        Reverse {
            order_id: order_id.into(),
            session_id: session_id.into(),
            amount: None,
            description: None,
            tran_id: None,
            language: None,
        }
    }
    /// `Amount` for a partial reversal (generic form only; Kapital's form refuses it).
    pub fn amount(mut self, amount: Amount) -> Self {
        self.amount = Some(amount);
        self
    }
    /// `Description`.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// `TranId` (Kapital form; left out when not set: azpay never sends an empty element).
    pub fn tran_id(mut self, id: impl Into<String>) -> Self {
        self.tran_id = Some(id.into());
        self
    }
    /// `Language` of this request (overrides the config).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
}

impl Operation for Reverse {
    type Gateway = Twec;
    type Output = OperationOutcome;
    const NAME: &'static str = "reverse";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        require_id("SessionID", &self.session_id)?;
        let mut w = RequestWriter::new("Reverse", config.language_text(self.language))?;
        open_order(&mut w, config, &self.order_id)?;
        match config.form {
            RequestForm::Kapital => {
                if self.amount.is_some() {
                    return Err(BuildError::invalid(
                        "Amount",
                        "Kapital's Reverse takes no amount: it voids the whole order",
                    ));
                }
                kapital_positions(&mut w, false)?;
                w.end("Order")?;
                let description = description_or(&self.description, "Reverse", &self.order_id);
                w.element("Description", "Description", &description)?;
                w.element("SessionID", "SessionID", &self.session_id)?;
                // No empty `<TranId></TranId>`: written when given, left out otherwise.
                if let Some(t) = &self.tran_id {
                    require_id("TranId", t)?;
                    w.element("TranId", "TranId", t)?;
                }
                w.element("Source", "Source", "1")?;
            }
            RequestForm::Generic => {
                w.end("Order")?;
                if let Some(a) = &self.amount {
                    w.element("Amount", "Amount", &minor_units("Amount", a, config)?)?;
                }
                // Optional here: left out when not given (never written empty).
                if let Some(d) = self.description.as_deref().filter(|d| !d.trim().is_empty()) {
                    w.element("Description", "Description", d)?;
                }
                w.element("SessionID", "SessionID", &self.session_id)?;
            }
        }
        post(config, w.finish()?)
    }

    fn parse_response(
        &self,
        _config: &Config,
        response: HttpResponse,
    ) -> Result<OperationOutcome, ResponseError<ApiError>> {
        wire::operation_outcome("Reverse", response)
    }
}

/// `Refund`: returns money of a paid order.
///
/// Kapital form, exactly as Kapital's document shows (change only `OrderID`, `SessionID`,
/// `Amount`; `TranId` is the `TwoId` of the purchase, from XMLOut or
/// [`OrderInformation::payment_two_id`], and is required: without it the build refuses,
/// naming `TranId` ([`RefundPayment`](crate::twec::RefundPayment) fetches it first);
/// `Description` defaults to `Refund of order {OrderID}`; `Currency` must be 944; the
/// merchant's current account must hold the funds, else response code `205`):
/// `<Order><Merchant/><OrderID/><Positions>…</Positions></Order><Description/><SessionID/>
/// <Refund><Amount/><Currency/><WithFee>false</WithFee></Refund><TranId/><Source>1</Source>`.
/// Generic form: `<Order><Merchant/><OrderID/></Order>[<Description/>]<SessionID/>
/// <Refund><Amount/><Currency/></Refund>`. `Amount` is in minor units.
///
/// ```
/// use azpay_core::{execute, twec, Amount, Currency, HttpRequest, HttpResponse, TransportError};
///
/// let config = twec::Config::kapital_test("E1000010");
/// let op = twec::Refund::new("123", "S1", Amount::from_minor(500, Currency::AZN)).tran_id("2292054");
/// let transport = |r: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert!(std::str::from_utf8(r.body()).unwrap().contains("<TranId>2292054</TranId>"));
///     Ok(http::Response::new(
///         b"<TKKPG><Response><Operation>Refund</Operation><Status>00</Status></Response></TKKPG>".to_vec(),
///     ))
/// };
/// execute(&op, &config, &transport)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    order_id: String,
    session_id: String,
    amount: Amount,
    description: Option<String>,
    tran_id: Option<String>,
    with_fee: bool,
    language: Option<Language>,
}

impl Refund {
    /// Refunds `amount` of this order.
    pub fn new(order_id: impl Into<String>, session_id: impl Into<String>, amount: Amount) -> Self {
        Refund {
            order_id: order_id.into(),
            session_id: session_id.into(),
            amount,
            description: None,
            tran_id: None,
            with_fee: false,
            language: None,
        }
    }
    /// `Description`.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// `TranId`: the purchase's `TwoId`. Required by Kapital's form (the build refuses
    /// without it, naming `TranId`; [`RefundPayment`](crate::twec::RefundPayment) fetches it); the
    /// generic form does not send it.
    pub fn tran_id(mut self, id: impl Into<String>) -> Self {
        self.tran_id = Some(id.into());
        self
    }
    /// `Refund/WithFee` (Kapital form; `false` by default).
    pub fn with_fee(mut self, on: bool) -> Self {
        self.with_fee = on;
        self
    }
    /// `Language` of this request (overrides the config).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
}

impl Operation for Refund {
    type Gateway = Twec;
    type Output = OperationOutcome;
    const NAME: &'static str = "refund";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        require_id("SessionID", &self.session_id)?;
        let amount = minor_units("Amount", &self.amount, config)?;
        let currency = self.amount.currency().numeric_string();
        let mut w = RequestWriter::new("Refund", config.language_text(self.language))?;
        open_order(&mut w, config, &self.order_id)?;
        match config.form {
            RequestForm::Kapital => {
                // Kapital's document: the TwoId of the purchase must go in `<TranId>`. Never
                // an empty one: refused before anything is sent (see `RefundPayment`, which
                // fetches it first).
                let tran_id = self.tran_id.as_deref().ok_or_else(|| {
                    BuildError::invalid(
                        "TranId",
                        "Kapital's Refund needs the TwoId of the purchase: set it with \
                         `tran_id` (from XMLOut or GetOrderInformation), or use \
                         `twec::RefundPayment`, which fetches it first",
                    )
                })?;
                require_id("TranId", tran_id)?;
                kapital_positions(&mut w, true)?;
                w.end("Order")?;
                let description = description_or(&self.description, "Refund", &self.order_id);
                w.element("Description", "Description", &description)?;
                w.element("SessionID", "SessionID", &self.session_id)?;
                w.start("Refund")?;
                w.element("Amount", "Amount", &amount)?;
                w.element("Currency", "Currency", &currency)?;
                w.element(
                    "WithFee",
                    "WithFee",
                    if self.with_fee { "true" } else { "false" },
                )?;
                w.end("Refund")?;
                w.element("TranId", "TranId", tran_id)?;
                w.element("Source", "Source", "1")?;
            }
            RequestForm::Generic => {
                w.end("Order")?;
                // Optional here: left out when not given (never written empty).
                if let Some(d) = self.description.as_deref().filter(|d| !d.trim().is_empty()) {
                    w.element("Description", "Description", d)?;
                }
                w.element("SessionID", "SessionID", &self.session_id)?;
                w.start("Refund")?;
                w.element("Amount", "Amount", &amount)?;
                w.element("Currency", "Currency", &currency)?;
                w.end("Refund")?;
            }
        }
        post(config, w.finish()?)
    }

    fn parse_response(
        &self,
        _config: &Config,
        response: HttpResponse,
    ) -> Result<OperationOutcome, ResponseError<ApiError>> {
        wire::operation_outcome("Refund", response)
    }
}
