//! Orders: [`CreateOrder`] (`POST /api/v3/orders`), the three ways to read one
//! ([`GetOrder`], [`GetOrderStatus`], [`GetOrderByRrn`]) and [`ExpireOrder`].

use std::collections::BTreeMap;

use super::check_metadata;
use crate::payriff::codes::OrderOperation;
use crate::payriff::config::{Config, Payriff};
use crate::payriff::outcome::{self, CreatedOrder, OrderInfo};
use crate::payriff::wire::{self, RErr};
use crate::{Amount, BuildError, HttpRequest, HttpResponse, Language, Operation};

/// `POST /api/v3/orders` with `X-REQUEST-RRN`: an order paid on Payriff's page, a purchase
/// (`PURCHASE`) or a hold (`PRE_AUTH`). The answer's `paymentUrl` is where the customer goes.
///
/// The body: `amount` (a JSON number written exactly from the amount: `10.50`), `currency`,
/// `language` (the operation's, else the configuration's, upper case), `operation`, then
/// the optional `description`, `callbackUrl` and `redirectUrl` (the operation's, else the
/// configuration's), `cardSave` (only when `true`), `fullName`, `phoneNumber`, `metadata`.
///
/// **The RRN is how a merchant avoids paying twice.** Pick a fresh one per order and keep it
/// before sending: if the answer is lost, [`crate::reconcile::payriff::OrderByRrn`] asks
/// Payriff for the order with that RRN, instead of creating a second one.
///
/// ```
/// use azpay_core::{execute, payriff, Amount, Currency, HttpRequest, HttpResponse, TransportError};
///
/// let config = payriff::Config::new("app-key");
/// let op = payriff::CreateOrder::purchase(Amount::parse_major("10.5", Currency::AZN)?, "rrn-1")
///     .description("Order #1");
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert_eq!(request.uri(), "https://api.payriff.com/api/v3/orders");
///     assert_eq!(request.headers()["x-request-rrn"], "rrn-1");
///     assert_eq!(
///         std::str::from_utf8(request.body()).unwrap(),
///         r#"{"amount":10.50,"currency":"AZN","language":"AZ","operation":"PURCHASE","description":"Order #1"}"#
///     );
///     Ok(http::Response::new(br#"{"code":"00000","message":"OK","payload":{"orderId":"ORD-1","paymentUrl":"https://pay.payriff.com/ORD-1"}}"#.to_vec()))
/// };
/// let created = execute(&op, &config, &transport)?;
/// assert_eq!(created.payment_url, "https://pay.payriff.com/ORD-1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOrder {
    amount: Amount,
    rrn: String,
    operation: OrderOperation,
    description: Option<String>,
    language: Option<Language>,
    callback_url: Option<String>,
    redirect_url: Option<String>,
    save_card: bool,
    full_name: Option<String>,
    phone_number: Option<String>,
    metadata: BTreeMap<String, String>,
}

impl CreateOrder {
    fn new(operation: OrderOperation, amount: Amount, rrn: impl Into<String>) -> Self {
        CreateOrder {
            amount,
            rrn: rrn.into(),
            operation,
            description: None,
            language: None,
            callback_url: None,
            redirect_url: None,
            save_card: false,
            full_name: None,
            phone_number: None,
            metadata: BTreeMap::new(),
        }
    }
    /// A purchase (`PURCHASE`) with the request RRN `rrn` (sent as `X-REQUEST-RRN`).
    pub fn purchase(amount: Amount, rrn: impl Into<String>) -> Self {
        Self::new(OrderOperation::Purchase, amount, rrn)
    }
    /// A hold (`PRE_AUTH`), completed later by [`crate::payriff::Capture`].
    pub fn preauth(amount: Amount, rrn: impl Into<String>) -> Self {
        Self::new(OrderOperation::PreAuth, amount, rrn)
    }
    /// `description`.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
    /// `language` of the page; default: the configuration's.
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
    /// `callbackUrl`, where Payriff posts the (unsigned) result.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }
    /// `redirectUrl`, where the browser returns.
    pub fn redirect_url(mut self, url: impl Into<String>) -> Self {
        self.redirect_url = Some(url.into());
        self
    }
    /// `cardSave: true`: save the card; the order's transaction then names its `cardUuid`.
    pub fn save_card(mut self) -> Self {
        self.save_card = true;
        self
    }
    /// `fullName` of the customer.
    pub fn full_name(mut self, name: impl Into<String>) -> Self {
        self.full_name = Some(name.into());
        self
    }
    /// `phoneNumber` of the customer.
    pub fn phone_number(mut self, phone: impl Into<String>) -> Self {
        self.phone_number = Some(phone.into());
        self
    }
    /// One `metadata` entry (string to string; sent sorted by key).
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }
    /// The amount.
    pub fn amount(&self) -> Amount {
        self.amount
    }
    /// The request RRN.
    pub fn rrn(&self) -> &str {
        &self.rrn
    }
    /// Whether this is a hold.
    pub fn is_preauth(&self) -> bool {
        self.operation == OrderOperation::PreAuth
    }

    fn body(&self, config: &Config) -> Result<Vec<u8>, BuildError> {
        wire::check_amount("amount", &self.amount)?;
        for (field, v) in [
            ("description", &self.description),
            ("fullName", &self.full_name),
            ("phoneNumber", &self.phone_number),
        ] {
            if let Some(v) = v {
                wire::check_text(field, v)?;
            }
        }
        check_metadata(&self.metadata)?;
        let callback = self
            .callback_url
            .as_deref()
            .or(config.default_callback_url());
        let redirect = self
            .redirect_url
            .as_deref()
            .or(config.default_redirect_url());
        if let Some(u) = callback {
            wire::check_url("callbackUrl", u)?;
        }
        if let Some(u) = redirect {
            wire::check_url("redirectUrl", u)?;
        }
        wire::to_json(&wire::CreateOrderBody {
            amount: wire::amount_number(&self.amount)?,
            currency: self.amount.currency().alpha(),
            language: self
                .language
                .unwrap_or(config.default_language())
                .as_upper(),
            operation: self.operation.as_str(),
            description: self.description.as_deref(),
            callback_url: callback,
            redirect_url: redirect,
            card_save: self.save_card,
            installment: None,
            full_name: self.full_name.as_deref(),
            phone_number: self.phone_number.as_deref(),
            metadata: (!self.metadata.is_empty()).then_some(&self.metadata),
        })
    }
}

impl Operation for CreateOrder {
    type Gateway = Payriff;
    type Output = CreatedOrder;
    const NAME: &'static str = "create_order";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        let body = self.body(config)?;
        wire::request(
            config,
            http::Method::POST,
            "orders",
            Some(body),
            Some(&self.rrn),
        )
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<CreatedOrder, RErr> {
        let body = response.body().clone();
        let reply = wire::parse(Self::NAME, response, false)?;
        outcome::created_order(reply, self.amount.currency(), &body)
    }
}

fn read_order(
    name: &'static str,
    response: HttpResponse,
    asked_id: Option<&str>,
) -> Result<OrderInfo, RErr> {
    let body = response.body().clone();
    let reply = wire::parse::<wire::WireOrder>(name, response, false)?;
    match reply.payload {
        Some(p) => outcome::order_info(p, reply.response_id, &body, asked_id),
        None => Err(crate::ResponseError::malformed("payload is missing", body)),
    }
}

/// `GET /api/v3/orders/{orderId}`: the order, its `paymentStatus` and transactions.
/// Idempotent. This is the query that confirms a callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetOrder {
    order_id: String,
}

impl GetOrder {
    /// The order `order_id`.
    pub fn new(order_id: impl Into<String>) -> Self {
        GetOrder {
            order_id: order_id.into(),
        }
    }
    /// The order id asked about.
    pub fn order_id(&self) -> &str {
        &self.order_id
    }
}

impl Operation for GetOrder {
    type Gateway = Payriff;
    type Output = OrderInfo;
    const NAME: &'static str = "get_order";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        let id = wire::id_segment("order_id", &self.order_id)?;
        wire::request(
            config,
            http::Method::GET,
            &format!("orders/{id}"),
            None,
            None,
        )
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<OrderInfo, RErr> {
        read_order(Self::NAME, response, Some(&self.order_id))
    }
}

/// `GET /api/v3/orders/{orderId}/status`: the order's status. Idempotent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetOrderStatus {
    order_id: String,
}

impl GetOrderStatus {
    /// The status of order `order_id`.
    pub fn new(order_id: impl Into<String>) -> Self {
        GetOrderStatus {
            order_id: order_id.into(),
        }
    }
}

impl Operation for GetOrderStatus {
    type Gateway = Payriff;
    type Output = OrderInfo;
    const NAME: &'static str = "get_order_status";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        let id = wire::id_segment("order_id", &self.order_id)?;
        wire::request(
            config,
            http::Method::GET,
            &format!("orders/{id}/status"),
            None,
            None,
        )
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<OrderInfo, RErr> {
        read_order(Self::NAME, response, Some(&self.order_id))
    }
}

/// `GET /api/v3/orders/{requestRrn}/rrn`: the order created with this `X-REQUEST-RRN`.
/// Idempotent; [`crate::reconcile::payriff::OrderByRrn`] builds on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetOrderByRrn {
    rrn: String,
}

impl GetOrderByRrn {
    /// The order sent with request RRN `rrn`.
    pub fn new(rrn: impl Into<String>) -> Self {
        GetOrderByRrn { rrn: rrn.into() }
    }
    /// The RRN asked about.
    pub fn rrn(&self) -> &str {
        &self.rrn
    }
}

impl Operation for GetOrderByRrn {
    type Gateway = Payriff;
    type Output = OrderInfo;
    const NAME: &'static str = "get_order_by_rrn";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        wire::check_rrn(&self.rrn)?;
        let rrn = wire::encode(&self.rrn);
        wire::request(
            config,
            http::Method::GET,
            &format!("orders/{rrn}/rrn"),
            None,
            None,
        )
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<OrderInfo, RErr> {
        read_order(Self::NAME, response, None)
    }
}

/// `PATCH /api/v3/expire-status?orderId=…`: expires an order nobody paid, so its page can
/// no longer be paid. `00000` is [`crate::State::Done`], `01000` (e.g. already paid)
/// [`crate::State::Declined`]. Sending it twice is harmless, so it carries no RRN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpireOrder {
    order_id: String,
}

impl ExpireOrder {
    /// Expires order `order_id`.
    pub fn new(order_id: impl Into<String>) -> Self {
        ExpireOrder {
            order_id: order_id.into(),
        }
    }
}

impl Operation for ExpireOrder {
    type Gateway = Payriff;
    type Output = outcome::ActionResult;
    const NAME: &'static str = "expire_order";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        let id = wire::id_segment("order_id", &self.order_id)?;
        wire::request(
            config,
            http::Method::PATCH,
            &format!("expire-status?orderId={id}"),
            None,
            None,
        )
    }

    fn parse_response(
        &self,
        _: &Config,
        response: HttpResponse,
    ) -> Result<outcome::ActionResult, RErr> {
        let reply = wire::parse::<serde::de::IgnoredAny>(Self::NAME, response, true)?;
        Ok(outcome::action(reply))
    }
}
