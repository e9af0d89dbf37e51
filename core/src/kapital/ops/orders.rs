//! Orders: creating one ([`CreateOrder`], `POST /api/order`) and reading one back
//! ([`GetOrder`], `GET /api/order/{id}`).

#[allow(unused_imports)] // for rustdoc links
use super::exec_tran::ExecTran;
use super::{check_order_id, RErr};
use crate::kapital::codes::{CofPurpose, InitiationEnvKind, OrderType};
use crate::kapital::config::{Config, Kapital};
use crate::kapital::outcome::{self, CreatedOrder, Order};
use crate::kapital::wire;
use crate::{Amount, BuildError, HttpRequest, HttpResponse, Language, Operation};

fn check_text(field: &'static str, value: Option<&str>) -> Result<(), BuildError> {
    if let Some(v) = value {
        if v.is_empty() {
            return Err(BuildError::invalid(field, "must not be empty when set"));
        }
        if v.chars().any(|c| {
            c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        }) {
            return Err(BuildError::invalid(
                field,
                "must not contain control characters or Unicode direction controls",
            ));
        }
    }
    Ok(())
}

/// `POST /api/order`: creates an order of any type.
///
/// Unset fields are omitted from the JSON, never sent as `null`. The amount goes as a JSON
/// string with the currency's decimals (`"10.50"`), the currency as its alphabetic code.
///
/// `hppRedirectUrl` is the operation's [`CreateOrder::hpp_redirect_url`], else, for order
/// types paid on the hosted page (`Order_SMS`, `Order_DMS`, other terminal types), the
/// configuration's [`Config::redirect_url`]. Server-driven types (`Order_REC`, `DMSN3D`,
/// `OCT`) send it only when set on the operation.
///
/// Installments: [`CreateOrder::installments`] writes `TAKSIT=<months>` into `description`
/// (the documented trick), so it cannot be combined with [`CreateOrder::description`].
/// Months are checked to be within 2..=36, the widest plan Azerbaijani banks advertise; the
/// gateway may allow fewer for a given terminal.
///
/// ```
/// use azpay_core::{execute, kapital, Amount, Currency, HttpRequest, HttpResponse, TransportError};
///
/// let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
/// let op = kapital::CreateOrder::purchase(Amount::parse_major("1", Currency::AZN)?)
///     .title("Othub")
///     .description("Testdesc")
///     .hpp_redirect_url("http://txpgtst.kapitalbank.az");
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert_eq!(
///         std::str::from_utf8(request.body()).unwrap(),
///         r#"{"order":{"typeRid":"Order_SMS","amount":"1.00","currency":"AZN","language":"az","title":"Othub","description":"Testdesc","hppRedirectUrl":"http://txpgtst.kapitalbank.az"}}"#
///     );
///     Ok(http::Response::new(
///         br#"{"order":{"id":4595,"hppUrl":"https://txpgtst.kapitalbank.az/flex","password":"8xjpd1ejxdma","status":"Preparing","cvv2AuthStatus":"Required","secret":"312866"}}"#.to_vec(),
///     ))
/// };
/// let created = execute(&op, &config, &transport)?;
/// assert_eq!(created.id, 4595);
/// assert_eq!(created.status, Some(kapital::OrderStatus::Preparing));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOrder {
    order_type: OrderType,
    amount: Amount,
    description: Option<String>,
    title: Option<String>,
    language: Option<Language>,
    hpp_redirect_url: Option<String>,
    hpp_cof_capture_purposes: Option<Vec<CofPurpose>>,
    add_card: bool,
    stored_id: Option<u64>,
    initiation_env_kind: Option<InitiationEnvKind>,
    installments: Option<u8>,
}

/// The installment plans [`CreateOrder::installments`] accepts, in months.
pub const INSTALLMENT_MONTHS: std::ops::RangeInclusive<u8> = 2..=36;

impl CreateOrder {
    /// An order of the given type.
    pub fn new(order_type: OrderType, amount: Amount) -> Self {
        CreateOrder {
            order_type,
            amount,
            description: None,
            title: None,
            language: None,
            hpp_redirect_url: None,
            hpp_cof_capture_purposes: None,
            add_card: false,
            stored_id: None,
            initiation_env_kind: None,
            installments: None,
        }
    }
    /// A purchase paid on the hosted page (`Order_SMS`).
    pub fn purchase(amount: Amount) -> Self {
        Self::new(OrderType::Purchase, amount)
    }
    /// A pre-authorisation (`Order_DMS`): a hold, completed by [`ExecTran::clearing`].
    pub fn preauth(amount: Amount) -> Self {
        Self::new(OrderType::PreAuth, amount)
    }
    /// A recurring saved-card purchase (`Order_REC`), see [`crate::kapital::PayWithSavedCard`].
    pub fn recurring(amount: Amount) -> Self {
        Self::new(OrderType::Recurring, amount)
    }
    /// A saved-card pre-authorisation without 3-D Secure (`DMSN3D`), see
    /// [`crate::kapital::SavedCardPreAuth`].
    pub fn recurring_preauth(amount: Amount) -> Self {
        Self::new(OrderType::RecurringPreAuth, amount)
    }
    /// A credit to a card (`OCT`), see [`crate::kapital::Payout`].
    pub fn credit(amount: Amount) -> Self {
        Self::new(OrderType::Credit, amount)
    }

    /// `description`.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
    /// `title` (e.g. the shop's name).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }
    /// `language` of the hosted page; default: the configuration's.
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
    /// `hppRedirectUrl`: where the browser returns with `?ID=…&STATUS=…`.
    pub fn hpp_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.hpp_redirect_url = Some(url.into());
        self
    }
    /// `hppCofCapturePurposes`: the card-on-file purposes to capture on the hosted page.
    pub fn hpp_cof_capture_purposes(
        mut self,
        purposes: impl IntoIterator<Item = CofPurpose>,
    ) -> Self {
        self.hpp_cof_capture_purposes = Some(purposes.into_iter().collect());
        self
    }
    /// `aut: {"purpose":"AddCard"}`: save the card (the hosted page's checkbox is forced on).
    pub fn add_card(mut self) -> Self {
        self.add_card = true;
        self
    }
    /// `srcToken: {"storedId": …}`: pre-select a stored card.
    pub fn stored_id(mut self, stored_id: u64) -> Self {
        self.stored_id = Some(stored_id);
        self
    }
    /// `initiationEnvKind`.
    pub fn initiation_env_kind(mut self, kind: InitiationEnvKind) -> Self {
        self.initiation_env_kind = Some(kind);
        self
    }
    /// Pay in installments: writes `TAKSIT=<months>` as the `description`
    /// (months within [`INSTALLMENT_MONTHS`]).
    pub fn installments(mut self, months: u8) -> Self {
        self.installments = Some(months);
        self
    }

    /// The order type.
    pub fn order_type(&self) -> &OrderType {
        &self.order_type
    }
    /// The amount.
    pub fn amount(&self) -> Amount {
        self.amount
    }

    pub(crate) fn body(&self, config: &Config) -> Result<Vec<u8>, BuildError> {
        let rid = self.order_type.as_str();
        if rid.is_empty()
            || !rid
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(BuildError::invalid(
                "typeRid",
                "letters, digits, `_` or `-` only",
            ));
        }
        if self.amount.is_zero() {
            return Err(BuildError::invalid("amount", "must be greater than zero"));
        }
        check_text("description", self.description.as_deref())?;
        check_text("title", self.title.as_deref())?;
        let taksit;
        let description = match self.installments {
            None => self.description.as_deref(),
            Some(months) => {
                if !INSTALLMENT_MONTHS.contains(&months) {
                    return Err(BuildError::invalid(
                        "installments",
                        format!(
                            "{months} months; allowed {}..={}",
                            INSTALLMENT_MONTHS.start(),
                            INSTALLMENT_MONTHS.end()
                        ),
                    ));
                }
                if self.description.is_some() {
                    return Err(BuildError::invalid(
                        "description",
                        "installments are sent as `TAKSIT=<months>` in the description; \
                         leave the description unset",
                    ));
                }
                taksit = format!("TAKSIT={months}");
                Some(taksit.as_str())
            }
        };
        let redirect = match &self.hpp_redirect_url {
            Some(u) => Some(u.as_str()),
            None if self.order_type.uses_hosted_page() => config.default_redirect_url(),
            None => None,
        };
        if let Some(u) = redirect {
            if !(u.starts_with("https://") || u.starts_with("http://"))
                || u.chars().any(|c| c.is_control() || c == ' ')
            {
                return Err(BuildError::invalid(
                    "hppRedirectUrl",
                    format!("`{u}` is not an http(s) URL"),
                ));
            }
        }
        let currency = self.amount.currency();
        let body = wire::OrderEnvelope {
            order: wire::CreateOrderBody {
                type_rid: rid,
                amount: self.amount.to_major_string(),
                currency: currency.alpha(),
                language: self
                    .language
                    .unwrap_or(config.default_language())
                    .as_lower(),
                title: self.title.as_deref(),
                description,
                initiation_env_kind: self.initiation_env_kind.as_ref().map(|k| k.as_str()),
                hpp_redirect_url: redirect,
                hpp_cof_capture_purposes: self
                    .hpp_cof_capture_purposes
                    .as_ref()
                    .map(|v| v.iter().map(CofPurpose::as_str).collect()),
                aut: self.add_card.then_some(wire::Aut { purpose: "AddCard" }),
                src_token: self.stored_id.map(|stored_id| wire::StoredId { stored_id }),
            },
        };
        wire::to_json(&body)
    }
}

impl Operation for CreateOrder {
    type Gateway = Kapital;
    type Output = CreatedOrder;
    const NAME: &'static str = "create_order";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        let body = self.body(config)?;
        wire::request(config, "order", Some(body))
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<CreatedOrder, RErr> {
        let (body, raw) = wire::parse(Self::NAME, response)?;
        outcome::created_order(body, self.order_type.uses_hosted_page(), &raw)
    }
}

// ---------------------------------------------------------------------------------------------

/// `GET /api/order/{id}`: the order's status and details. Idempotent.
///
/// [`GetOrder::detailed`] adds `?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2`,
/// which brings the transactions (`trans[]`), tokens (`srcToken`, `storedTokens[]`) and the
/// order type's configuration.
///
/// ```
/// use azpay_core::{execute, kapital, HttpRequest, HttpResponse, TransportError};
///
/// let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert_eq!(request.method(), "GET");
///     assert_eq!(request.uri(), "https://txpgtst.kapitalbank.az/api/order/5531");
///     Ok(http::Response::new(
///         br#"{"order":{"id":5531,"typeRid":"Order_SMS","status":"Refunded","prevStatus":"FullyPaid","amount":1,"currency":"AZN"}}"#.to_vec(),
///     ))
/// };
/// let order = execute(&kapital::GetOrder::new(5531), &config, &transport)?;
/// assert_eq!(order.status, kapital::OrderStatus::Refunded);
/// assert_eq!(order.amount.unwrap().minor(), 100);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetOrder {
    id: u64,
    detailed: bool,
}

impl GetOrder {
    /// The summary of order `id`.
    pub fn new(id: u64) -> Self {
        GetOrder {
            id,
            detailed: false,
        }
    }
    /// Asks for the detailed form (transactions, tokens, type).
    pub fn detailed(mut self) -> Self {
        self.detailed = true;
        self
    }
    /// The order id asked about.
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl Operation for GetOrder {
    type Gateway = Kapital;
    type Output = Order;
    const NAME: &'static str = "get_order";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        check_order_id(self.id)?;
        let path = if self.detailed {
            format!(
                "order/{}?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2",
                self.id
            )
        } else {
            format!("order/{}", self.id)
        };
        wire::request(config, &path, None)
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<Order, RErr> {
        let (body, raw) = wire::parse(Self::NAME, response)?;
        outcome::order(body, self.id, &raw)
    }
}
