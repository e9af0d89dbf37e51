//! Kapital's operations, one struct each: [`CreateOrder`], [`GetOrder`], [`ExecTran`],
//! [`SetSrcToken`], [`SetDstToken`].

use std::fmt;

use super::codes::{CofPurpose, InitiationEnvKind, OrderType};
use super::config::{Config, Kapital};
use super::error::ApiError;
use super::outcome::{self, CreatedOrder, Order, TokenAttached, TranResult};
use super::wire;
use crate::{Amount, BuildError, HttpRequest, HttpResponse, Language, Operation, ResponseError};

type RErr = ResponseError<ApiError>;

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn check_order_id(id: u64) -> Result<(), BuildError> {
    if id == 0 {
        return Err(BuildError::invalid(
            "id",
            "an order id is a positive number",
        ));
    }
    Ok(())
}

/// The order's password (returned by create-order): required, not only whitespace, no
/// control characters or Unicode direction controls, at most 255 characters (Kapital
/// documents no length).
fn check_password(password: &str) -> Result<(), BuildError> {
    if password.is_empty() {
        return Err(BuildError::invalid(
            "password",
            "the order password returned by create-order is required",
        ));
    }
    crate::input::check_id("password", password, crate::input::DEFAULT_ID_MAX)
}

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

// ---------------------------------------------------------------------------------------------

/// `POST /api/order`: creates an order of any type (§2.3).
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
/// (the documented trick, §2.3), so it cannot be combined with [`CreateOrder::description`].
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
    /// A pre-authorisation (`Order_DMS`): a hold, completed by [`super::ExecTran::clearing`].
    pub fn preauth(amount: Amount) -> Self {
        Self::new(OrderType::PreAuth, amount)
    }
    /// A recurring saved-card purchase (`Order_REC`), see [`super::PayWithSavedCard`].
    pub fn recurring(amount: Amount) -> Self {
        Self::new(OrderType::Recurring, amount)
    }
    /// A saved-card pre-authorisation without 3-D Secure (`DMSN3D`), see
    /// [`super::SavedCardPreAuth`].
    pub fn recurring_preauth(amount: Amount) -> Self {
        Self::new(OrderType::RecurringPreAuth, amount)
    }
    /// A credit to a card (`OCT`), see [`super::Payout`].
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
        outcome::created_order(body, &raw)
    }
}

// ---------------------------------------------------------------------------------------------

/// `GET /api/order/{id}`: the order's status and details (§2.7). Idempotent.
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

// ---------------------------------------------------------------------------------------------

/// The order's state when a void is sent: it decides the `phase` (§2.5). Pick the state;
/// azpay picks the phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderState {
    /// After a purchase (`Order_SMS`, saved-card charge): `phase` `Single`.
    Purchased,
    /// After the hold of a pre-authorisation (`Order_DMS` step 1): `phase` `Auth`.
    Held,
    /// After the clearing of a pre-authorisation: `phase` `Clearing`.
    Cleared,
}

impl OrderState {
    fn phase(self) -> &'static str {
        match self {
            OrderState::Purchased => "Single",
            OrderState::Held => "Auth",
            OrderState::Cleared => "Clearing",
        }
    }
}

/// What an [`ExecTran`] does (§2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Tran {
    /// Completes a pre-authorisation: `{"phase":"Clearing","amount":…}` (amount optional: the
    /// order amount by default).
    Clearing,
    /// Money back, later than the same day: `{"phase":"Single","amount":…,"type":"Refund"}`
    /// (amount required).
    Refund,
    /// Full same-day cancellation: `{"phase":<by state>,"voidKind":"Full"}` (no amount).
    Void(OrderState),
    /// Partial same-day cancellation of a purchase, once only:
    /// `{"phase":"Single","amount":…,"voidKind":"Partial"}` (amount required). The
    /// documentation shows it after a purchase only.
    PartialVoid,
    /// Charge of a saved card on an `Order_REC` after [`SetSrcToken`]:
    /// `{"phase":"Single","conditions":{"cofUsage":"Recurring"}}`.
    SavedCardCharge,
    /// Hold on a saved card on a `DMSN3D` order after [`SetSrcToken`]:
    /// `{"phase":"Auth","authorizationKind":"Preliminary","conditions":{"cofUsage":"Recurring"}}`.
    SavedCardPreAuth,
    /// Credit to the card set by [`SetDstToken`] on an `OCT` order:
    /// `{"phase":"Single","type":"Credit"}`.
    Credit,
    /// Google Pay charge after [`SetSrcToken::google_pay`]: `{"phase":"Single"}`.
    GooglePay,
}

/// `POST /api/order/{id}/exec-tran`: executes a transaction on an order (§2.5).
///
/// ```
/// use azpay_core::{execute, kapital, Amount, Currency, HttpRequest, HttpResponse, TransportError};
///
/// let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
/// let refund = kapital::ExecTran::refund(5531, Amount::parse_major("2", Currency::AZN)?);
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert_eq!(request.uri(), "https://txpgtst.kapitalbank.az/api/order/5531/exec-tran");
///     assert_eq!(request.body(), br#"{"tran":{"phase":"Single","amount":"2.00","type":"Refund"}}"#);
///     Ok(http::Response::new(
///         br#"{"tran":{"approvalCode":"053703","match":{"tranActionId":"240422-13060545-000oed=","ridByPmo":"17302955"},"pmoResultCode":"1"}}"#.to_vec(),
///     ))
/// };
/// let result = execute(&refund, &config, &transport)?;
/// assert!(result.is_approved());
/// assert_eq!(result.approval_code.as_deref(), Some("053703"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecTran {
    order_id: u64,
    tran: Tran,
    amount: Option<Amount>,
    order_password: Option<String>,
}

impl ExecTran {
    /// A transaction on order `order_id`.
    pub fn new(order_id: u64, tran: Tran) -> Self {
        ExecTran {
            order_id,
            tran,
            amount: None,
            order_password: None,
        }
    }
    /// Clearing of a hold (the order amount unless [`ExecTran::amount`] is set).
    pub fn clearing(order_id: u64) -> Self {
        Self::new(order_id, Tran::Clearing)
    }
    /// Refund of `amount`.
    pub fn refund(order_id: u64, amount: Amount) -> Self {
        Self::new(order_id, Tran::Refund).amount(amount)
    }
    /// Full void; the state decides the phase.
    pub fn void(order_id: u64, after: OrderState) -> Self {
        Self::new(order_id, Tran::Void(after))
    }
    /// Partial void of a purchase.
    pub fn partial_void(order_id: u64, amount: Amount) -> Self {
        Self::new(order_id, Tran::PartialVoid).amount(amount)
    }
    /// Saved-card charge (after [`SetSrcToken::stored_card`] on an `Order_REC`).
    pub fn charge_saved_card(order_id: u64) -> Self {
        Self::new(order_id, Tran::SavedCardCharge)
    }
    /// Saved-card hold (after [`SetSrcToken::stored_card`] on a `DMSN3D` order).
    pub fn preauth_saved_card(order_id: u64) -> Self {
        Self::new(order_id, Tran::SavedCardPreAuth)
    }
    /// Credit to a card (after [`SetDstToken`] on an `OCT` order).
    pub fn credit(order_id: u64) -> Self {
        Self::new(order_id, Tran::Credit)
    }
    /// Google Pay charge (after [`SetSrcToken::google_pay`]).
    pub fn google_pay(order_id: u64) -> Self {
        Self::new(order_id, Tran::GooglePay)
    }
    /// `amount`; when unset the gateway uses the order's amount. Required for refunds and
    /// partial voids, refused for full voids.
    pub fn amount(mut self, amount: Amount) -> Self {
        self.amount = Some(amount);
        self
    }
    /// Appends `?password=<order password>` to the URL. The official examples send none
    /// (Basic auth suffices); some clients do (PROTOCOLS.md §2.2).
    pub fn order_password(mut self, password: impl Into<String>) -> Self {
        self.order_password = Some(password.into());
        self
    }
    /// What this transaction does.
    pub fn tran(&self) -> Tran {
        self.tran
    }

    fn body(&self) -> Result<Vec<u8>, BuildError> {
        let need_amount = matches!(self.tran, Tran::Refund | Tran::PartialVoid);
        match (&self.amount, need_amount, self.tran) {
            (None, true, _) => {
                return Err(BuildError::invalid(
                    "amount",
                    "required for a refund or a partial void",
                ))
            }
            (Some(_), _, Tran::Void(_)) => {
                return Err(BuildError::invalid(
                    "amount",
                    "a full void takes no amount; use a partial void (after a purchase only)",
                ))
            }
            (Some(a), _, _) if a.is_zero() => {
                return Err(BuildError::invalid("amount", "must be greater than zero"))
            }
            _ => {}
        }
        let recurring = || {
            Some(wire::Conditions {
                cof_usage: "Recurring",
            })
        };
        let (phase, tran_type, void_kind, authorization_kind, conditions) = match self.tran {
            Tran::Clearing => ("Clearing", None, None, None, None),
            Tran::Refund => ("Single", Some("Refund"), None, None, None),
            Tran::Void(state) => (state.phase(), None, Some("Full"), None, None),
            Tran::PartialVoid => ("Single", None, Some("Partial"), None, None),
            Tran::SavedCardCharge => ("Single", None, None, None, recurring()),
            Tran::SavedCardPreAuth => ("Auth", None, None, Some("Preliminary"), recurring()),
            Tran::Credit => ("Single", Some("Credit"), None, None, None),
            Tran::GooglePay => ("Single", None, None, None, None),
        };
        wire::to_json(&wire::TranEnvelope {
            tran: wire::TranBody {
                phase,
                amount: self.amount.map(|a| a.to_major_string()),
                tran_type,
                void_kind,
                authorization_kind,
                conditions,
            },
        })
    }
}

impl Operation for ExecTran {
    type Gateway = Kapital;
    type Output = TranResult;
    const NAME: &'static str = "exec_tran";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        check_order_id(self.order_id)?;
        let body = self.body()?;
        let path = match &self.order_password {
            None => format!("order/{}/exec-tran", self.order_id),
            Some(p) => {
                check_password(p)?;
                format!("order/{}/exec-tran?password={}", self.order_id, encode(p))
            }
        };
        wire::request(config, &path, Some(body))
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<TranResult, RErr> {
        let (body, raw) = wire::parse(Self::NAME, response)?;
        outcome::tran_result(body, &raw)
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum SrcToken {
    Stored(u64),
    GooglePay(String),
}

/// `POST /api/order/{id}/set-src-token?password=…`: attaches the paying card, a stored card
/// (`storedId`) or a Google Pay token (`googlePayBlock`, hex) (§2.6).
///
/// ```
/// use azpay_core::{execute, kapital, HttpRequest, HttpResponse, TransportError};
///
/// let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
/// let op = kapital::SetSrcToken::stored_card(6300, "qwerty1", 5125);
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert_eq!(request.uri(), "https://txpgtst.kapitalbank.az/api/order/6300/set-src-token?password=qwerty1");
///     assert_eq!(request.body(), br#"{"order":{"initiationEnvKind":"Server"},"token":{"storedId":5125}}"#);
///     Ok(http::Response::new(
///         br#"{"order":{"status":"Preparing","srcToken":{"id":6298,"paymentMethod":"Card","displayName":"416974******1778"}}}"#.to_vec(),
///     ))
/// };
/// let attached = execute(&op, &config, &transport)?;
/// assert_eq!(attached.src_token.unwrap().display_name.as_deref(), Some("416974******1778"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetSrcToken {
    order_id: u64,
    password: String,
    token: SrcToken,
    initiation_env_kind: Option<InitiationEnvKind>,
}

impl SetSrcToken {
    /// A stored card (`storedId` from `storedTokens[].id`); `initiationEnvKind` `Server`
    /// unless set otherwise.
    pub fn stored_card(order_id: u64, order_password: impl Into<String>, stored_id: u64) -> Self {
        SetSrcToken {
            order_id,
            password: order_password.into(),
            token: SrcToken::Stored(stored_id),
            initiation_env_kind: Some(InitiationEnvKind::Server),
        }
    }
    /// A Google Pay token: Google's payment-token JSON, hex-encoded (`googlePayBlock`).
    pub fn google_pay(
        order_id: u64,
        order_password: impl Into<String>,
        google_pay_block_hex: impl Into<String>,
    ) -> Self {
        SetSrcToken {
            order_id,
            password: order_password.into(),
            token: SrcToken::GooglePay(google_pay_block_hex.into()),
            initiation_env_kind: None,
        }
    }
    /// `order.initiationEnvKind`.
    pub fn initiation_env_kind(mut self, kind: InitiationEnvKind) -> Self {
        self.initiation_env_kind = Some(kind);
        self
    }

    fn body(&self) -> Result<Vec<u8>, BuildError> {
        let token = match &self.token {
            SrcToken::Stored(id) => {
                if *id == 0 {
                    return Err(BuildError::invalid("storedId", "must be a positive id"));
                }
                wire::SrcTokenBody {
                    stored_id: Some(*id),
                    google_pay_block: None,
                }
            }
            SrcToken::GooglePay(block) => {
                if block.is_empty() || !block.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(BuildError::invalid(
                        "googlePayBlock",
                        "must be the Google Pay token, hex-encoded",
                    ));
                }
                wire::SrcTokenBody {
                    stored_id: None,
                    google_pay_block: Some(block),
                }
            }
        };
        wire::to_json(&wire::SrcTokenEnvelope {
            order: self
                .initiation_env_kind
                .as_ref()
                .map(|k| wire::InitiationOnly {
                    initiation_env_kind: k.as_str(),
                }),
            token,
        })
    }
}

impl Operation for SetSrcToken {
    type Gateway = Kapital;
    type Output = TokenAttached;
    const NAME: &'static str = "set_src_token";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        check_order_id(self.order_id)?;
        check_password(&self.password)?;
        let body = self.body()?;
        let path = format!(
            "order/{}/set-src-token?password={}",
            self.order_id,
            encode(&self.password)
        );
        wire::request(config, &path, Some(body))
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<TokenAttached, RErr> {
        let (body, raw) = wire::parse(Self::NAME, response)?;
        outcome::token_attached(body, &raw)
    }
}

// ---------------------------------------------------------------------------------------------

/// A card number: `Debug` shows only the first six and last four digits.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Pan(pub(crate) String);

impl Pan {
    pub(crate) fn validate(&self) -> Result<(), BuildError> {
        let p = self.0.as_bytes();
        if !(12..=19).contains(&p.len()) || !p.iter().all(u8::is_ascii_digit) {
            return Err(BuildError::invalid("pan", "must be 12 to 19 digits"));
        }
        let sum: u32 = p
            .iter()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 1 {
                    let d2 = d * 2;
                    if d2 > 9 {
                        d2 - 9
                    } else {
                        d2
                    }
                } else {
                    d
                }
            })
            .sum();
        if sum % 10 != 0 {
            return Err(BuildError::invalid(
                "pan",
                "fails the Luhn check (mistyped card number)",
            ));
        }
        Ok(())
    }

    pub(crate) fn masked(&self) -> String {
        let s = &self.0;
        if s.len() >= 12 && s.is_ascii() {
            format!(
                "{}{}{}",
                &s[..6],
                "*".repeat(s.len() - 10),
                &s[s.len() - 4..]
            )
        } else {
            "<redacted>".to_owned()
        }
    }
}

impl fmt::Debug for Pan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// `POST /api/order/{id}/set-dst-token?password=…`: attaches the card to credit on an `OCT`
/// order (§2.6). The card number is checked (12–19 digits, Luhn) and never shown in `Debug`.
///
/// ```
/// use azpay_core::{execute, kapital, HttpRequest, HttpResponse, TransportError};
///
/// let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
/// let op = kapital::SetDstToken::card(7001, "pw7001", "4169741330151778");
/// assert!(!format!("{op:?}").contains("4169741330151778"));
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert_eq!(request.body(), br#"{"token":{"card":{"panBlock":{"data":"4169741330151778"},"entryMode":"ECommerce"}}}"#);
///     Ok(http::Response::new(br#"{"order":{"status":"Preparing"}}"#.to_vec()))
/// };
/// let attached = execute(&op, &config, &transport)?;
/// assert_eq!(attached.status, Some(kapital::OrderStatus::Preparing));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SetDstToken {
    order_id: u64,
    password: String,
    pan: Pan,
}

impl SetDstToken {
    /// The destination card number (digits only).
    pub fn card(order_id: u64, order_password: impl Into<String>, pan: impl Into<String>) -> Self {
        SetDstToken {
            order_id,
            password: order_password.into(),
            pan: Pan(pan.into()),
        }
    }
}

impl fmt::Debug for SetDstToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetDstToken")
            .field("order_id", &self.order_id)
            .field("password", &self.password)
            .field("pan", &self.pan)
            .finish()
    }
}

impl Operation for SetDstToken {
    type Gateway = Kapital;
    type Output = TokenAttached;
    const NAME: &'static str = "set_dst_token";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        check_order_id(self.order_id)?;
        check_password(&self.password)?;
        self.pan.validate()?;
        let body = wire::to_json(&wire::DstTokenEnvelope {
            token: wire::DstToken {
                card: wire::DstCard {
                    pan_block: wire::PanBlock { data: &self.pan.0 },
                    entry_mode: "ECommerce",
                },
            },
        })?;
        let path = format!(
            "order/{}/set-dst-token?password={}",
            self.order_id,
            encode(&self.password)
        );
        wire::request(config, &path, Some(body))
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<TokenAttached, RErr> {
        let (body, raw) = wire::parse(Self::NAME, response)?;
        outcome::token_attached(body, &raw)
    }
}
