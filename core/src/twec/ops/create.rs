//! Creating an order: [`CreateOrder`] (`CreateOrder`), of an [`OrderType`].

use serde::Serialize;

#[allow(unused_imports)] // for rustdoc links
use super::follow_up::{Completion, Reverse};
use super::{minor_units, post, require, require_id};
use crate::twec::codes::ApiError;
use crate::twec::config::{Config, Twec};
use crate::twec::outcome::CreatedOrder;
use crate::twec::wire;
use crate::twec::xmlwrite::RequestWriter;
use crate::{Amount, BuildError, HttpRequest, HttpResponse, Language, Operation, ResponseError};

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
