//! Queries on an order, both idempotent: its trusted state ([`GetOrderStatus`]) and its full
//! record ([`GetOrderInformation`]).

use super::{open_order, post, require_id};
use crate::twec::codes::ApiError;
use crate::twec::config::{Config, Twec};
use crate::twec::outcome::{OrderInformation, OrderStatusOutcome};
use crate::twec::wire;
use crate::twec::xmlwrite::RequestWriter;
use crate::{BuildError, HttpRequest, HttpResponse, Language, Operation, ResponseError};

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
