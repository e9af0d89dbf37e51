//! The TWEC operations, one struct each (their outcomes are in `outcome.rs`).
//!
//! Every request is `POST {base_url}` with `Content-Type: application/xml; charset=utf-8`
//! ([`CONTENT_TYPE`]) and a compact TKKPG document whose elements follow the order of the
//! gateway's documentation. Every text node is escaped; characters XML 1.0 forbids are
//! refused with a [`BuildError`] naming the element. Identifiers (`Merchant`, `OrderID`,
//! `SessionID`, `TerminalID`, `TranId`) must not be empty or only whitespace, must not hold
//! control characters (newlines included) or Unicode direction controls (U+202A–U+202E,
//! U+2066–U+2069), and are at most 255 characters long (TranzWare documents no length).

use serde::Serialize;

use super::codes::ApiError;
use super::config::{Config, RequestForm, Twec};
use super::outcome::{CreatedOrder, OperationOutcome, OrderInformation, OrderStatusOutcome};
use super::wire;
use super::xmlwrite::{check_text, RequestWriter};
use crate::{Amount, BuildError, HttpRequest, HttpResponse, Language, Operation, ResponseError};

/// The `Content-Type` of every TWEC request. The gateway is known not to care (clients send
/// `text/xml`, `application/xml`, even `text/plain`); this is the accurate one.
pub const CONTENT_TYPE: &str = "application/xml; charset=utf-8";

fn post(config: &Config, body: Vec<u8>) -> Result<HttpRequest, BuildError> {
    // The base URL was checked when it was set (`Config::base_url`).
    Ok(http::Request::post(config.base_url.as_str())
        .header(http::header::CONTENT_TYPE, CONTENT_TYPE)
        .body(body)?)
}

/// The most characters of an identifier (`Merchant`, `OrderID`, `SessionID`, `TerminalID`,
/// `TranId`): TranzWare documents no length, so this is a generous cap.
const ID_MAX_CHARS: usize = crate::input::DEFAULT_ID_MAX;

/// An identifier: not empty or only whitespace, no control characters (newlines included)
/// or Unicode direction controls, at most [`ID_MAX_CHARS`] characters.
fn require_id(field: &'static str, value: &str) -> Result<(), BuildError> {
    crate::input::check_id(field, value, ID_MAX_CHARS)?;
    check_text(field, value)
}

fn require(field: &'static str, value: &str) -> Result<(), BuildError> {
    if value.trim().is_empty() {
        return Err(BuildError::invalid(field, "must not be empty"));
    }
    check_text(field, value)
}

/// Checks an amount against the merchant's currency and returns its wire form (minor units).
fn minor_units(
    field: &'static str,
    amount: &Amount,
    config: &Config,
) -> Result<String, BuildError> {
    if amount.currency().numeric() != config.currency.numeric() {
        return Err(BuildError::invalid(
            field,
            format!(
                "amount is in {} ({}) but the merchant's currency is {} ({})",
                amount.currency(),
                amount.currency().numeric_string(),
                config.currency,
                config.currency.numeric_string()
            ),
        ));
    }
    if amount.is_zero() {
        return Err(BuildError::invalid(field, "must be greater than zero"));
    }
    Ok(amount.minor().to_string())
}

/// `<Order><Merchant>…</Merchant><OrderID>…</OrderID>` (left open for Kapital's `Positions`).
fn open_order(w: &mut RequestWriter, config: &Config, order_id: &str) -> Result<(), BuildError> {
    require_id("Merchant", &config.merchant_id)?;
    require_id("OrderID", order_id)?;
    w.start("Order")?;
    w.element("Merchant", "Merchant", &config.merchant_id)?;
    w.element("OrderID", "OrderID", order_id)
}

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

/// Whether an `AddParams` child name is a plain XML name (ASCII letters, digits, `_ - .`,
/// not starting with a digit, `-` or `.`).
fn is_plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !name.to_ascii_lowercase().starts_with("xml")
}

// ---------------------------------------------------------------------------------------
// CreateOrder

/// `Order/OrderType` of [`CreateOrder`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum OrderType {
    /// `Purchase`: charge at once.
    Purchase,
    /// `PreAuth`: hold the funds; capture with [`Completion`], release with [`Reverse`].
    PreAuth,
}

impl OrderType {
    /// `"Purchase"` or `"PreAuth"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            OrderType::Purchase => "Purchase",
            OrderType::PreAuth => "PreAuth",
        }
    }
}

/// `CreateOrder`: registers an order and returns where to send the customer to pay.
///
/// `Amount` is written in minor units (30.00 AZN is `3000`; Kapital's document says to
/// multiply by 100). `ApproveURL`, `CancelURL` and `DeclineURL` come from the operation or,
/// when not set on it, from the [`Config`]; all three are required.
///
/// ```
/// use azpay_core::{execute, twec, Amount, Currency, HttpRequest, HttpResponse, TransportError};
///
/// let config = twec::Config::kapital_test("E1000010")
///     .approve_url("https://shop.example/ok")
///     .cancel_url("https://shop.example/cancel")
///     .decline_url("https://shop.example/fail");
/// let op = twec::CreateOrder::purchase(Amount::from_minor(3000, Currency::AZN), "Order #1");
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert!(std::str::from_utf8(request.body()).unwrap().contains("<Amount>3000</Amount>"));
///     Ok(http::Response::new(
///         b"<TKKPG><Response><Operation>CreateOrder</Operation><Status>00</Status><Order>\
///           <OrderID>86166</OrderID><SessionID>4195BE06C8BC8BBDA9CF1B55FD403E24</SessionID>\
///           <URL>https://tstpg.kapitalbank.az/index.jsp</URL></Order></Response></TKKPG>".to_vec(),
///     ))
/// };
/// let order = execute(&op, &config, &transport)?;
/// assert_eq!(order.order_id, "86166");
/// assert_eq!(
///     order.payment_url(),
///     "https://tstpg.kapitalbank.az/index.jsp?ORDERID=86166&SESSIONID=4195BE06C8BC8BBDA9CF1B55FD403E24"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOrder {
    order_type: OrderType,
    amount: Amount,
    description: String,
    approve_url: Option<String>,
    cancel_url: Option<String>,
    decline_url: Option<String>,
    add_params: Vec<(String, String)>,
    fee: Option<Amount>,
    terminal_id: Option<String>,
    language: Option<Language>,
}

impl CreateOrder {
    /// An order of the given type.
    pub fn new(order_type: OrderType, amount: Amount, description: impl Into<String>) -> Self {
        CreateOrder {
            order_type,
            amount,
            description: description.into(),
            approve_url: None,
            cancel_url: None,
            decline_url: None,
            add_params: Vec::new(),
            fee: None,
            terminal_id: None,
            language: None,
        }
    }
    /// A `Purchase` order.
    pub fn purchase(amount: Amount, description: impl Into<String>) -> Self {
        CreateOrder::new(OrderType::Purchase, amount, description)
    }
    /// A `PreAuth` order (funds held until [`Completion`]).
    pub fn preauth(amount: Amount, description: impl Into<String>) -> Self {
        CreateOrder::new(OrderType::PreAuth, amount, description)
    }
    /// `ApproveURL` for this order (overrides the config).
    pub fn approve_url(mut self, url: impl Into<String>) -> Self {
        self.approve_url = Some(url.into());
        self
    }
    /// `CancelURL` for this order (overrides the config).
    pub fn cancel_url(mut self, url: impl Into<String>) -> Self {
        self.cancel_url = Some(url.into());
        self
    }
    /// `DeclineURL` for this order (overrides the config).
    pub fn decline_url(mut self, url: impl Into<String>) -> Self {
        self.decline_url = Some(url.into());
        self
    }
    /// Adds `<AddParams><name>value</name></AddParams>` (kept in the order added). The name
    /// must be a plain XML name (`FA-DATA`, `email`).
    pub fn add_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.add_params.push((name.into(), value.into()));
        self
    }
    /// `Fee` in minor units (some banks).
    pub fn fee(mut self, fee: Amount) -> Self {
        self.fee = Some(fee);
        self
    }
    /// `TerminalID` (some banks).
    pub fn terminal_id(mut self, id: impl Into<String>) -> Self {
        self.terminal_id = Some(id.into());
        self
    }
    /// `Language` of this request (overrides the config).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
}

fn url_for<'a>(
    field: &'static str,
    op: &'a Option<String>,
    config: &'a Option<String>,
) -> Result<&'a str, BuildError> {
    let url = op.as_deref().or(config.as_deref()).ok_or_else(|| {
        BuildError::invalid(field, "required: set it on the operation or in the config")
    })?;
    require(field, url)?;
    Ok(url)
}

impl Operation for CreateOrder {
    type Gateway = Twec;
    type Output = CreatedOrder;
    const NAME: &'static str = "create_order";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        require_id("Merchant", &config.merchant_id)?;
        let amount = minor_units("Amount", &self.amount, config)?;
        let approve = url_for("ApproveURL", &self.approve_url, &config.approve_url)?;
        let cancel = url_for("CancelURL", &self.cancel_url, &config.cancel_url)?;
        let decline = url_for("DeclineURL", &self.decline_url, &config.decline_url)?;
        let mut w = RequestWriter::new("CreateOrder", config.language_text(self.language))?;
        w.start("Order")?;
        w.element("OrderType", "OrderType", self.order_type.as_str())?;
        w.element("Merchant", "Merchant", &config.merchant_id)?;
        w.element("Amount", "Amount", &amount)?;
        w.element(
            "Currency",
            "Currency",
            &self.amount.currency().numeric_string(),
        )?;
        w.element("Description", "Description", &self.description)?;
        w.element("ApproveURL", "ApproveURL", approve)?;
        w.element("CancelURL", "CancelURL", cancel)?;
        w.element("DeclineURL", "DeclineURL", decline)?;
        if !self.add_params.is_empty() {
            w.start("AddParams")?;
            for (name, value) in &self.add_params {
                if !is_plain_name(name) {
                    return Err(BuildError::invalid(
                        "AddParams",
                        format!("`{name}` is not a plain XML element name"),
                    ));
                }
                w.element(name, "AddParams", value)?;
            }
            w.end("AddParams")?;
        }
        if let Some(fee) = &self.fee {
            if fee.currency().numeric() != self.amount.currency().numeric() {
                return Err(BuildError::invalid(
                    "Fee",
                    "must be in the order's currency",
                ));
            }
            w.element("Fee", "Fee", &fee.minor().to_string())?;
        }
        if let Some(t) = &self.terminal_id {
            require_id("TerminalID", t)?;
            w.element("TerminalID", "TerminalID", t)?;
        }
        w.end("Order")?;
        post(config, w.finish()?)
    }

    fn parse_response(
        &self,
        _config: &Config,
        response: HttpResponse,
    ) -> Result<CreatedOrder, ResponseError<ApiError>> {
        wire::created_order(response)
    }
}

// ---------------------------------------------------------------------------------------
// GetOrderStatus

/// `GetOrderStatus`: the trusted state of an order. Call it before delivering goods,
/// whatever the browser-delivered `xmlmsg` claims.
///
/// ```
/// use azpay_core::{execute, twec, HttpRequest, HttpResponse, TransportError};
///
/// let config = twec::Config::kapital_test("E1000010");
/// let op = twec::GetOrderStatus::new("86166", "4195BE06C8BC8BBDA9CF1B55FD403E24");
/// let transport = |_: HttpRequest| -> Result<HttpResponse, TransportError> {
///     Ok(http::Response::new(
///         b"<TKKPG><Response><Operation>GetOrderStatus</Operation><Status>00</Status>\
///           <Order><OrderID>86166</OrderID><OrderStatus>APPROVED</OrderStatus></Order>\
///           </Response></TKKPG>".to_vec(),
///     ))
/// };
/// let status = execute(&op, &config, &transport)?;
/// assert_eq!(status.order_status, twec::OrderStatus::Approved);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetOrderStatus {
    order_id: String,
    session_id: String,
    language: Option<Language>,
}

impl GetOrderStatus {
    /// The status of this order in this session.
    pub fn new(order_id: impl Into<String>, session_id: impl Into<String>) -> Self {
        GetOrderStatus {
            order_id: order_id.into(),
            session_id: session_id.into(),
            language: None,
        }
    }
    /// `Language` of this request (overrides the config).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
    /// The order asked about.
    pub fn order_id(&self) -> &str {
        &self.order_id
    }
    /// The session asked about.
    pub fn session_id(&self) -> &str {
        &self.session_id
    }
}

/// `<Order>…</Order><SessionID>…</SessionID>` requests: GetOrderStatus and GetOrderInformation.
fn order_query(
    operation: &str,
    config: &Config,
    order_id: &str,
    session_id: &str,
    language: Option<Language>,
) -> Result<RequestWriter, BuildError> {
    require_id("SessionID", session_id)?;
    let mut w = RequestWriter::new(operation, config.language_text(language))?;
    open_order(&mut w, config, order_id)?;
    w.end("Order")?;
    w.element("SessionID", "SessionID", session_id)?;
    Ok(w)
}

impl Operation for GetOrderStatus {
    type Gateway = Twec;
    type Output = OrderStatusOutcome;
    const NAME: &'static str = "get_order_status";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        let w = order_query(
            "GetOrderStatus",
            config,
            &self.order_id,
            &self.session_id,
            self.language,
        )?;
        post(config, w.finish()?)
    }

    fn parse_response(
        &self,
        _config: &Config,
        response: HttpResponse,
    ) -> Result<OrderStatusOutcome, ResponseError<ApiError>> {
        wire::order_status(response, &self.order_id)
    }
}

// ---------------------------------------------------------------------------------------
// GetOrderInformation

/// `GetOrderInformation`: the order's full record (`<Order><row>…</row></Order>`).
///
/// ```
/// use azpay_core::{execute, twec, HttpRequest, HttpResponse, TransportError};
///
/// let config = twec::Config::kapital_test("E1000010");
/// let op = twec::GetOrderInformation::new("14008766", "277F3E926B1FADDA45E449B0C0E8CF76");
/// let transport = |_: HttpRequest| -> Result<HttpResponse, TransportError> {
///     Ok(http::Response::new(
///         b"<Order><row><id>15859914</id><Amount>328</Amount><Currency>944</Currency>\
///           <Orderstatus>APPROVED</Orderstatus><twoId>2292054</twoId></row></Order>".to_vec(),
///     ))
/// };
/// let info = execute(&op, &config, &transport)?;
/// assert_eq!(info.amount.map(|a| a.minor()), Some(328));
/// assert_eq!(info.two_id.as_deref(), Some("2292054"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetOrderInformation {
    order_id: String,
    session_id: String,
    show_params: Option<bool>,
    show_operations: Option<bool>,
    classic_view: Option<bool>,
    language: Option<Language>,
}

impl GetOrderInformation {
    /// The record of this order in this session.
    pub fn new(order_id: impl Into<String>, session_id: impl Into<String>) -> Self {
        GetOrderInformation {
            order_id: order_id.into(),
            session_id: session_id.into(),
            show_params: None,
            show_operations: None,
            classic_view: None,
            language: None,
        }
    }
    /// `ShowParams` (written only when set).
    pub fn show_params(mut self, on: bool) -> Self {
        self.show_params = Some(on);
        self
    }
    /// `ShowOperations` (written only when set).
    pub fn show_operations(mut self, on: bool) -> Self {
        self.show_operations = Some(on);
        self
    }
    /// `ClassicView` (written only when set).
    pub fn classic_view(mut self, on: bool) -> Self {
        self.classic_view = Some(on);
        self
    }
    /// `Language` of this request (overrides the config).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
}

impl Operation for GetOrderInformation {
    type Gateway = Twec;
    type Output = OrderInformation;
    const NAME: &'static str = "get_order_information";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        let mut w = order_query(
            "GetOrderInformation",
            config,
            &self.order_id,
            &self.session_id,
            self.language,
        )?;
        let flag = |b: bool| if b { "true" } else { "false" };
        if let Some(b) = self.show_params {
            w.element("ShowParams", "ShowParams", flag(b))?;
        }
        if let Some(b) = self.show_operations {
            w.element("ShowOperations", "ShowOperations", flag(b))?;
        }
        if let Some(b) = self.classic_view {
            w.element("ClassicView", "ClassicView", flag(b))?;
        }
        post(config, w.finish()?)
    }

    fn parse_response(
        &self,
        config: &Config,
        response: HttpResponse,
    ) -> Result<OrderInformation, ResponseError<ApiError>> {
        wire::order_information(response, config)
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
        if let Some(d) = &self.description {
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
/// <TranId/><Source>1</Source>`; it takes no amount. Generic form:
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
    /// `TranId` (Kapital form; written empty when not set, as Kapital's samples do).
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
                w.element(
                    "Description",
                    "Description",
                    self.description.as_deref().unwrap_or(""),
                )?;
                w.element("SessionID", "SessionID", &self.session_id)?;
                if let Some(t) = &self.tran_id {
                    require_id("TranId", t)?;
                }
                w.element("TranId", "TranId", self.tran_id.as_deref().unwrap_or(""))?;
                w.element("Source", "Source", "1")?;
            }
            RequestForm::Generic => {
                w.end("Order")?;
                if let Some(a) = &self.amount {
                    w.element("Amount", "Amount", &minor_units("Amount", a, config)?)?;
                }
                if let Some(d) = &self.description {
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
/// [`OrderInformation::two_id`]; the merchant's current account must hold the funds, else
/// response code `205`):
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
    /// `TranId`: the purchase's `TwoId` (Kapital form; written empty when not set).
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
                kapital_positions(&mut w, true)?;
                w.end("Order")?;
                w.element(
                    "Description",
                    "Description",
                    self.description.as_deref().unwrap_or(""),
                )?;
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
                if let Some(t) = &self.tran_id {
                    require_id("TranId", t)?;
                }
                w.element("TranId", "TranId", self.tran_id.as_deref().unwrap_or(""))?;
                w.element("Source", "Source", "1")?;
            }
            RequestForm::Generic => {
                w.end("Order")?;
                if let Some(d) = &self.description {
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
