//! One struct per EPoint operation (PROTOCOLS.md §1.4). Required fields go in `new`, optional
//! ones are setters named after the wire field; validation happens in `build_request`.

use serde_json::{Map, Value};

use super::outcome::{
    self, Acknowledgement, CardInfo, CheckoutPage, HeartbeatStatus, PaymentRedirect, PaymentResult,
    PaymentStatus, SavedCardRedirect, TokenPayResult, TokenPaymentCreated, WidgetUrl,
};
use super::wire::{self, Payload};
use super::{ApiError, Config, EPoint};
use crate::ResponseError;
use crate::{Amount, BuildError, Currency, HttpRequest, HttpResponse, Language, Operation};

// ---------------------------------------------------------------------------------------
// Validation

fn check_order_id(order_id: &str) -> Result<(), BuildError> {
    let n = order_id.chars().count();
    if n == 0 {
        Err(BuildError::invalid("order_id", "must not be empty"))
    } else if n > 255 {
        Err(BuildError::invalid(
            "order_id",
            format!("is {n} characters long; at most 255 are allowed"),
        ))
    } else {
        Ok(())
    }
}

fn check_description(description: Option<&str>) -> Result<(), BuildError> {
    if let Some(d) = description {
        let n = d.chars().count();
        if n > 1000 {
            return Err(BuildError::invalid(
                "description",
                format!("is {n} characters long; at most 1000 are allowed"),
            ));
        }
    }
    Ok(())
}

fn check_currency(currency: Currency) -> Result<(), BuildError> {
    if currency.exponent() != 2 {
        return Err(BuildError::invalid(
            "currency",
            format!(
                "{currency} has {} decimals; EPoint amounts have two",
                currency.exponent()
            ),
        ));
    }
    Ok(())
}

/// A positive amount in a two-decimal currency, as its wire text (`"30.75"`).
fn amount_text(field: &'static str, amount: &Amount) -> Result<String, BuildError> {
    check_currency(amount.currency())?;
    if amount.is_zero() {
        return Err(BuildError::invalid(field, "must be greater than zero"));
    }
    Ok(amount.to_major_string())
}

fn check_split(amount: &Amount, split_amount: &Amount) -> Result<String, BuildError> {
    if split_amount.currency() != amount.currency() {
        return Err(BuildError::invalid(
            "split_amount",
            "must be in the same currency as amount",
        ));
    }
    let text = amount_text("split_amount", split_amount)?;
    if split_amount.minor() >= amount.minor() {
        return Err(BuildError::invalid(
            "split_amount",
            "must be less than amount",
        ));
    }
    Ok(text)
}

fn non_empty<'a>(field: &'static str, value: &'a str) -> Result<&'a str, BuildError> {
    if value.trim().is_empty() {
        Err(BuildError::invalid(field, "must not be empty"))
    } else {
        Ok(value)
    }
}

fn url<'a>(
    field: &'static str,
    own: Option<&'a str>,
    default: Option<&'a str>,
) -> Result<Option<&'a str>, BuildError> {
    match own.or(default) {
        Some(u) if u.trim().is_empty() => Err(BuildError::invalid(field, "must not be empty")),
        other => Ok(other),
    }
}

fn language(own: Option<Language>, config: &Config) -> Option<&'static str> {
    Some(own.unwrap_or(config.default_language()).as_lower())
}

/// The payload of an order, on top of the `public_key`: `amount` (checked first, then
/// `split_amount` when given), `order_id`, `description` (checked in that order), `currency`
/// and `language`.
fn order_payload<'a>(
    config: &'a Config,
    amount: &Amount,
    split_amount: Option<&Amount>,
    order_id: &'a str,
    description: Option<&'a str>,
    own_language: Option<Language>,
) -> Result<Payload<'a>, BuildError> {
    let amount_wire = amount_text("amount", amount)?;
    let split_amount = split_amount
        .map(|split| check_split(amount, split))
        .transpose()?;
    check_order_id(order_id)?;
    check_description(description)?;
    Ok(Payload {
        public_key: config.public_key(),
        amount: Some(amount_wire),
        split_amount,
        currency: Some(amount.currency()),
        language: language(own_language, config),
        order_id: Some(order_id),
        description,
        ..Payload::default()
    })
}

/// [`order_payload`] from an operation's `amount`, `order_id`, `description` and `language`
/// fields (and its `split_amount` with `split`).
macro_rules! order_payload {
    ($op:ident, $config:ident) => {
        order_payload(
            $config,
            &$op.amount,
            None,
            &$op.order_id,
            $op.description.as_deref(),
            $op.language,
        )
    };
    ($op:ident, $config:ident, split) => {
        order_payload(
            $config,
            &$op.amount,
            Some(&$op.split_amount),
            &$op.order_id,
            $op.description.as_deref(),
            $op.language,
        )
    };
}

/// An operation with its own `success_redirect_url` and `error_redirect_url` (see
/// `redirect_setters!`).
trait Redirects {
    fn redirect_urls(&self) -> (Option<&str>, Option<&str>);
}

/// `payload` with the operation's `success_redirect_url` and `error_redirect_url` (each
/// defaulting to the configuration's; an empty one is refused, success first).
fn with_redirects<'a>(
    op: &'a impl Redirects,
    config: &'a Config,
    payload: Payload<'a>,
) -> Result<Payload<'a>, BuildError> {
    let (success, error) = op.redirect_urls();
    Ok(Payload {
        success_redirect_url: url(
            "success_redirect_url",
            success,
            config.default_success_url(),
        )?,
        error_redirect_url: url("error_redirect_url", error, config.default_error_url())?,
        ..payload
    })
}

// ---------------------------------------------------------------------------------------
// Plumbing

/// What an operation puts in its payload and how it reads the answer.
trait Signed {
    type Output;
    const ENDPOINT: &'static str;
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError>;
    fn parse(&self, response: HttpResponse) -> Result<Self::Output, ResponseError<ApiError>>;
}

macro_rules! signed_operation {
    ($ty:ident, $out:ty, $name:literal, $idempotent:literal) => {
        impl Operation for $ty {
            type Gateway = EPoint;
            type Output = $out;
            const NAME: &'static str = $name;
            const IDEMPOTENT: bool = $idempotent;

            fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
                let payload = Signed::payload(self, config)?;
                wire::signed_request(config, <$ty as Signed>::ENDPOINT, &payload)
            }

            fn parse_response(
                &self,
                _config: &Config,
                response: HttpResponse,
            ) -> Result<Self::Output, ResponseError<ApiError>> {
                Signed::parse(self, response)
            }
        }
    };
}

macro_rules! setters {
    ($ty:ident { $($(#[$m:meta])* $field:ident : $t:ty,)* }) => {
        impl $ty {
            $(
                $(#[$m])*
                pub fn $field(mut self, value: impl Into<$t>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )*
        }
    };
}

macro_rules! redirect_setters {
    ($ty:ident) => {
        setters!($ty {
            /// `description`, at most 1000 characters.
            description: String,
            /// The payment page `language` (default: the configuration's).
            language: Language,
            /// `success_redirect_url` (default: the configuration's).
            success_redirect_url: String,
            /// `error_redirect_url` (default: the configuration's).
            error_redirect_url: String,
        });

        impl Redirects for $ty {
            fn redirect_urls(&self) -> (Option<&str>, Option<&str>) {
                (
                    self.success_redirect_url.as_deref(),
                    self.error_redirect_url.as_deref(),
                )
            }
        }
    };
}

// ---------------------------------------------------------------------------------------
// Payments with a redirect

macro_rules! payment_page_struct {
    ($(#[$doc:meta])* $ty:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $ty {
            amount: Amount,
            order_id: String,
            description: Option<String>,
            language: Option<Language>,
            is_installment: Option<bool>,
            success_redirect_url: Option<String>,
            error_redirect_url: Option<String>,
            other_attr: Option<Map<String, Value>>,
        }

        impl $ty {
            /// The `amount` and your unique `order_id` (1 to 255 characters).
            pub fn new(amount: Amount, order_id: impl Into<String>) -> Self {
                $ty {
                    amount,
                    order_id: order_id.into(),
                    description: None,
                    language: None,
                    is_installment: None,
                    success_redirect_url: None,
                    error_redirect_url: None,
                    other_attr: None,
                }
            }

            fn page_payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
                let base = order_payload!(self, config)?;
                with_redirects(self, config, Payload {
                    is_installment: self.is_installment.map(u8::from),
                    other_attr: self.other_attr.as_ref(),
                    ..base
                })
            }
        }

        redirect_setters!($ty);
        setters!($ty {
            /// `is_installment`: `true` sends `1` (installment), `false` sends `0` (standard).
            is_installment: bool,
            /// `other_attr`: extra attributes, echoed back in the callback and in `get-status`.
            other_attr: Map<String, Value>,
        });
    };
}

payment_page_struct! {
    /// Create a payment and get the payment page URL (`POST /api/1/request`).
    ///
    /// ```
    /// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
    /// let config = epoint::Config::new("i000000001", "private-key");
    /// let pay = epoint::Pay::new(Amount::parse_major("30.75", Currency::AZN)?, "1")
    ///     .description("test payment");
    /// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
    ///     br#"{"status":"success","transaction":"te000000001","redirect_url":"https://epoint.az/r/1"}"#.to_vec()));
    /// assert_eq!(execute(&pay, &config, &t)?.transaction, "te000000001");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Pay
}

impl Signed for Pay {
    type Output = PaymentRedirect;
    const ENDPOINT: &'static str = "request";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        self.page_payload(config)
    }
    fn parse(&self, response: HttpResponse) -> Result<PaymentRedirect, ResponseError<ApiError>> {
        PaymentRedirect::parse(response)
    }
}
signed_operation!(Pay, PaymentRedirect, "pay", false);

payment_page_struct! {
    /// The browser variant of [`Pay`] (`POST /api/1/checkout`): the same payload, posted by the
    /// customer's browser through [`Checkout::html_form`]; EPoint answers with its payment page.
    ///
    /// ```
    /// use azpay_core::{epoint, Amount, Currency};
    /// let config = epoint::Config::new("i000000001", "private-key");
    /// let checkout = epoint::Checkout::new(Amount::parse_major("10", Currency::AZN)?, "o-1");
    /// let html = checkout.html_form(&config)?;
    /// assert!(html.contains(r#"action="https://epoint.az/api/1/checkout""#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Checkout
}

impl Checkout {
    /// An auto-submitting HTML page whose form posts the signed `data` and `signature` to
    /// `/api/1/checkout` (`accept-charset="utf-8"`; every attribute value HTML-escaped).
    pub fn html_form(&self, config: &Config) -> Result<String, BuildError> {
        let payload = self.page_payload(config)?;
        let json = wire::payload_json(&payload)?;
        let (data, signature, _) = super::sign::form_body(config.private_key(), &json);
        let action = config.endpoint("checkout");
        Ok(format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>EPoint</title></head>\
             <body onload=\"document.forms[0].submit()\">\
             <form method=\"POST\" action=\"{}\" accept-charset=\"utf-8\">\
             <input type=\"hidden\" name=\"data\" value=\"{}\">\
             <input type=\"hidden\" name=\"signature\" value=\"{}\">\
             <noscript><input type=\"submit\" value=\"Pay\"></noscript>\
             </form></body></html>\n",
            html_escape(&action),
            html_escape(&data),
            html_escape(&signature)
        ))
    }
}

/// Escapes text for an HTML attribute value in double quotes.
fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Signed for Checkout {
    type Output = CheckoutPage;
    const ENDPOINT: &'static str = "checkout";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        self.page_payload(config)
    }
    fn parse(&self, response: HttpResponse) -> Result<CheckoutPage, ResponseError<ApiError>> {
        CheckoutPage::parse(response)
    }
}
signed_operation!(Checkout, CheckoutPage, "checkout", false);

/// Hold funds, the first step of a two-step payment (`POST /api/1/pre-auth-request`);
/// capture with [`PreAuthComplete`].
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let hold = epoint::PreAuth::new(Amount::parse_major("50", Currency::AZN)?, "h-1");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","transaction":"te000000101","redirect_url":"https://epoint.az/r/2"}"#.to_vec()));
/// assert_eq!(execute(&hold, &config, &t)?.transaction, "te000000101");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PreAuth {
    amount: Amount,
    order_id: String,
    description: Option<String>,
    language: Option<Language>,
    success_redirect_url: Option<String>,
    error_redirect_url: Option<String>,
    other_attr: Option<Map<String, Value>>,
}

impl PreAuth {
    /// The `amount` to hold and your unique `order_id`.
    pub fn new(amount: Amount, order_id: impl Into<String>) -> Self {
        PreAuth {
            amount,
            order_id: order_id.into(),
            description: None,
            language: None,
            success_redirect_url: None,
            error_redirect_url: None,
            other_attr: None,
        }
    }
}
redirect_setters!(PreAuth);
setters!(PreAuth {
    /// `other_attr`: extra attributes, echoed back.
    other_attr: Map<String, Value>,
});

impl Signed for PreAuth {
    type Output = PaymentRedirect;
    const ENDPOINT: &'static str = "pre-auth-request";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        let base = order_payload!(self, config)?;
        with_redirects(
            self,
            config,
            Payload {
                other_attr: self.other_attr.as_ref(),
                ..base
            },
        )
    }
    fn parse(&self, response: HttpResponse) -> Result<PaymentRedirect, ResponseError<ApiError>> {
        PaymentRedirect::parse(response)
    }
}
signed_operation!(PreAuth, PaymentRedirect, "pre_auth", false);

/// Split a payment with another EPoint merchant (`POST /api/1/split-request`).
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::SplitPay::new(
///     Amount::parse_major("10", Currency::AZN)?, "s-1", "i000000002",
///     Amount::parse_major("3", Currency::AZN)?);
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","transaction":"te1","redirect_url":"https://epoint.az/r/3"}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?.redirect_url, "https://epoint.az/r/3");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SplitPay {
    amount: Amount,
    order_id: String,
    split_user: String,
    split_amount: Amount,
    description: Option<String>,
    language: Option<Language>,
    success_redirect_url: Option<String>,
    error_redirect_url: Option<String>,
    other_attr: Option<Map<String, Value>>,
}

impl SplitPay {
    /// The total `amount`, your `order_id`, the partner merchant (`split_user`, its public key)
    /// and its part (`split_amount`, less than `amount`).
    pub fn new(
        amount: Amount,
        order_id: impl Into<String>,
        split_user: impl Into<String>,
        split_amount: Amount,
    ) -> Self {
        SplitPay {
            amount,
            order_id: order_id.into(),
            split_user: split_user.into(),
            split_amount,
            description: None,
            language: None,
            success_redirect_url: None,
            error_redirect_url: None,
            other_attr: None,
        }
    }
}
redirect_setters!(SplitPay);
setters!(SplitPay {
    /// `other_attr`: extra attributes, echoed back.
    other_attr: Map<String, Value>,
});

impl Signed for SplitPay {
    type Output = PaymentRedirect;
    const ENDPOINT: &'static str = "split-request";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        let base = order_payload!(self, config, split)?;
        with_redirects(
            self,
            config,
            Payload {
                split_user: Some(non_empty("split_user", &self.split_user)?),
                other_attr: self.other_attr.as_ref(),
                ..base
            },
        )
    }
    fn parse(&self, response: HttpResponse) -> Result<PaymentRedirect, ResponseError<ApiError>> {
        PaymentRedirect::parse(response)
    }
}
signed_operation!(SplitPay, PaymentRedirect, "split_pay", false);

/// Pay from an EPoint wallet (`POST /api/1/wallet/payment`).
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::WalletPayment::new("w1", Amount::parse_major("5", Currency::AZN)?, "o-9");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","transaction":"te9","redirect_url":"https://epoint.az/w/9"}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?.transaction, "te9");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct WalletPayment {
    wallet_id: String,
    amount: Amount,
    order_id: String,
    description: Option<String>,
    language: Option<Language>,
}

impl WalletPayment {
    /// The `wallet_id` (from [`WalletStatus`]), the `amount` and your `order_id`.
    pub fn new(wallet_id: impl Into<String>, amount: Amount, order_id: impl Into<String>) -> Self {
        WalletPayment {
            wallet_id: wallet_id.into(),
            amount,
            order_id: order_id.into(),
            description: None,
            language: None,
        }
    }
}
setters!(WalletPayment {
    /// `description`, at most 1000 characters.
    description: String,
    /// The `language` (default: the configuration's).
    language: Language,
});

impl Signed for WalletPayment {
    type Output = PaymentRedirect;
    const ENDPOINT: &'static str = "wallet/payment";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        let base = order_payload!(self, config)?;
        Ok(Payload {
            wallet_id: Some(non_empty("wallet_id", &self.wallet_id)?),
            ..base
        })
    }
    fn parse(&self, response: HttpResponse) -> Result<PaymentRedirect, ResponseError<ApiError>> {
        PaymentRedirect::parse(response)
    }
}
signed_operation!(WalletPayment, PaymentRedirect, "wallet_payment", false);

// ---------------------------------------------------------------------------------------
// Status

#[derive(Debug, Clone, PartialEq, Eq)]
enum StatusKey {
    Transaction(String),
    OrderId(String),
}

/// The state of a payment (`POST /api/1/get-status`), by EPoint's `transaction` or by your
/// `order_id`. Idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::GetStatus::by_transaction("te000000001");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","code":"000","transaction":"te000000001","amount":1.0}"#.to_vec()));
/// assert!(execute(&op, &config, &t)?.is_paid());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetStatus {
    key: StatusKey,
}

impl GetStatus {
    /// By EPoint's `transaction` id (`te…`).
    pub fn by_transaction(transaction: impl Into<String>) -> Self {
        GetStatus {
            key: StatusKey::Transaction(transaction.into()),
        }
    }
    /// By your `order_id`.
    pub fn by_order_id(order_id: impl Into<String>) -> Self {
        GetStatus {
            key: StatusKey::OrderId(order_id.into()),
        }
    }
}

impl Signed for GetStatus {
    type Output = PaymentStatus;
    const ENDPOINT: &'static str = "get-status";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        let mut p = Payload {
            public_key: config.public_key(),
            ..Payload::default()
        };
        match &self.key {
            StatusKey::Transaction(t) => p.transaction = Some(non_empty("transaction", t)?),
            StatusKey::OrderId(o) => {
                check_order_id(o)?;
                p.order_id = Some(o);
            }
        }
        Ok(p)
    }
    fn parse(&self, response: HttpResponse) -> Result<PaymentStatus, ResponseError<ApiError>> {
        PaymentStatus::parse(response)
    }
}
signed_operation!(GetStatus, PaymentStatus, "get_status", true);

// ---------------------------------------------------------------------------------------
// Saved cards

/// Save a card without paying (`POST /api/1/card-registration`).
///
/// ```
/// use azpay_core::{epoint, execute, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::SaveCard::new().refund(true).description("payout card");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","redirect_url":"https://epoint.az/c/1","card_id":"ce0000000001"}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?.card_id, "ce0000000001");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SaveCard {
    refund: Option<bool>,
    description: Option<String>,
    language: Option<Language>,
    success_redirect_url: Option<String>,
    error_redirect_url: Option<String>,
}

impl SaveCard {
    /// A card registration with no optional field set.
    pub fn new() -> Self {
        SaveCard::default()
    }
}
redirect_setters!(SaveCard);
setters!(SaveCard {
    /// `refund`: `true` registers a payout card (`1`, for [`Payout`]), `false` a debit card
    /// (`0`). Unset, the field is not sent.
    refund: bool,
});

impl Signed for SaveCard {
    type Output = SavedCardRedirect;
    const ENDPOINT: &'static str = "card-registration";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        check_description(self.description.as_deref())?;
        with_redirects(
            self,
            config,
            Payload {
                public_key: config.public_key(),
                language: language(self.language, config),
                refund: self.refund.map(u8::from),
                description: self.description.as_deref(),
                ..Payload::default()
            },
        )
    }
    fn parse(&self, response: HttpResponse) -> Result<SavedCardRedirect, ResponseError<ApiError>> {
        SavedCardRedirect::parse(response)
    }
}
signed_operation!(SaveCard, SavedCardRedirect, "save_card", false);

/// Pay and save the card (`POST /api/1/card-registration-with-pay`).
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::PayAndSaveCard::new(Amount::parse_major("1", Currency::AZN)?, "o-3");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","transaction":"te3","redirect_url":"https://epoint.az/c/3","card_id":"ce3"}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?.transaction.as_deref(), Some("te3"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PayAndSaveCard {
    amount: Amount,
    order_id: String,
    description: Option<String>,
    language: Option<Language>,
    success_redirect_url: Option<String>,
    error_redirect_url: Option<String>,
}

impl PayAndSaveCard {
    /// The `amount` and your `order_id`.
    pub fn new(amount: Amount, order_id: impl Into<String>) -> Self {
        PayAndSaveCard {
            amount,
            order_id: order_id.into(),
            description: None,
            language: None,
            success_redirect_url: None,
            error_redirect_url: None,
        }
    }
}
redirect_setters!(PayAndSaveCard);

impl Signed for PayAndSaveCard {
    type Output = SavedCardRedirect;
    const ENDPOINT: &'static str = "card-registration-with-pay";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        let base = order_payload!(self, config)?;
        with_redirects(self, config, base)
    }
    fn parse(&self, response: HttpResponse) -> Result<SavedCardRedirect, ResponseError<ApiError>> {
        SavedCardRedirect::parse(response)
    }
}
signed_operation!(
    PayAndSaveCard,
    SavedCardRedirect,
    "pay_and_save_card",
    false
);

/// Split pay and save the card (`POST /api/1/split-card-registration-with-pay`).
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::SplitPayAndSaveCard::new(
///     Amount::parse_major("10", Currency::AZN)?, "s-3", "i000000002",
///     Amount::parse_major("4", Currency::AZN)?);
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","transaction":"te4","redirect_url":"https://epoint.az/c/4","card_id":"ce4"}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?.card_id, "ce4");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SplitPayAndSaveCard {
    amount: Amount,
    order_id: String,
    split_user: String,
    split_amount: Amount,
    description: Option<String>,
    language: Option<Language>,
    success_redirect_url: Option<String>,
    error_redirect_url: Option<String>,
}

impl SplitPayAndSaveCard {
    /// The total `amount`, your `order_id`, the partner `split_user` and its `split_amount`.
    pub fn new(
        amount: Amount,
        order_id: impl Into<String>,
        split_user: impl Into<String>,
        split_amount: Amount,
    ) -> Self {
        SplitPayAndSaveCard {
            amount,
            order_id: order_id.into(),
            split_user: split_user.into(),
            split_amount,
            description: None,
            language: None,
            success_redirect_url: None,
            error_redirect_url: None,
        }
    }
}
redirect_setters!(SplitPayAndSaveCard);

impl Signed for SplitPayAndSaveCard {
    type Output = SavedCardRedirect;
    const ENDPOINT: &'static str = "split-card-registration-with-pay";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        let base = order_payload!(self, config, split)?;
        with_redirects(
            self,
            config,
            Payload {
                split_user: Some(non_empty("split_user", &self.split_user)?),
                ..base
            },
        )
    }
    fn parse(&self, response: HttpResponse) -> Result<SavedCardRedirect, ResponseError<ApiError>> {
        SavedCardRedirect::parse(response)
    }
}
signed_operation!(
    SplitPayAndSaveCard,
    SavedCardRedirect,
    "split_pay_and_save_card",
    false
);

macro_rules! saved_card_charge {
    ($(#[$doc:meta])* $ty:ident, $endpoint:literal, $name:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $ty {
            card_id: String,
            amount: Amount,
            order_id: String,
            description: Option<String>,
            language: Option<Language>,
        }

        impl $ty {
            /// The saved `card_id`, the `amount` and your `order_id`.
            pub fn new(card_id: impl Into<String>, amount: Amount, order_id: impl Into<String>) -> Self {
                $ty {
                    card_id: card_id.into(),
                    amount,
                    order_id: order_id.into(),
                    description: None,
                    language: None,
                }
            }
        }
        setters!($ty {
            /// `description`, at most 1000 characters.
            description: String,
            /// The `language` (default: the configuration's).
            language: Language,
        });

        impl Signed for $ty {
            type Output = PaymentResult;
            const ENDPOINT: &'static str = $endpoint;
            fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
                let base = order_payload!(self, config)?;
                Ok(Payload {
                    card_id: Some(non_empty("card_id", &self.card_id)?),
                    ..base
                })
            }
            fn parse(&self, response: HttpResponse) -> Result<PaymentResult, ResponseError<ApiError>> {
                PaymentResult::parse(response, self.amount.currency())
            }
        }
        signed_operation!($ty, PaymentResult, $name, false);
    };
}

saved_card_charge! {
    /// Charge a saved card, synchronously, without 3-D Secure (`POST /api/1/execute-pay`).
    /// A decline is a [`PaymentResult`] with `status` `failed`.
    ///
    /// ```
    /// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
    /// let config = epoint::Config::new("i000000001", "private-key");
    /// let op = epoint::PayWithSavedCard::new("ce0000000001", Amount::parse_major("10.5", Currency::AZN)?, "o-2");
    /// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
    ///     br#"{"status":"failed","message":"Declined","code":"116"}"#.to_vec()));
    /// let result = execute(&op, &config, &t)?;
    /// assert!(result.is_declined());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    PayWithSavedCard, "execute-pay", "pay_with_saved_card"
}

saved_card_charge! {
    /// Pay out to a card saved with `refund` = 1 (`POST /api/1/refund-request`).
    ///
    /// ```
    /// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
    /// let config = epoint::Config::new("i000000001", "private-key");
    /// let op = epoint::Payout::new("ce0000000002", Amount::parse_major("25", Currency::AZN)?, "po-1");
    /// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
    ///     br#"{"status":"success","transaction":"te5","amount":25}"#.to_vec()));
    /// assert!(execute(&op, &config, &t)?.is_success());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Payout, "refund-request", "payout"
}

/// Split charge on a saved card (`POST /api/1/split-execute-pay`).
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::SplitPayWithSavedCard::new("ce1", Amount::parse_major("10", Currency::AZN)?, "s-2",
///     "i000000002", Amount::parse_major("2.5", Currency::AZN)?);
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","amount":10,"split_amount":2.5}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?.split_amount.map(|a| a.minor()), Some(250));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SplitPayWithSavedCard {
    card_id: String,
    amount: Amount,
    order_id: String,
    split_user: String,
    split_amount: Amount,
    description: Option<String>,
    language: Option<Language>,
}

impl SplitPayWithSavedCard {
    /// The saved `card_id`, the total `amount`, your `order_id`, the partner `split_user` and
    /// its `split_amount`.
    pub fn new(
        card_id: impl Into<String>,
        amount: Amount,
        order_id: impl Into<String>,
        split_user: impl Into<String>,
        split_amount: Amount,
    ) -> Self {
        SplitPayWithSavedCard {
            card_id: card_id.into(),
            amount,
            order_id: order_id.into(),
            split_user: split_user.into(),
            split_amount,
            description: None,
            language: None,
        }
    }
}
setters!(SplitPayWithSavedCard {
    /// `description`, at most 1000 characters.
    description: String,
    /// The `language` (default: the configuration's).
    language: Language,
});

impl Signed for SplitPayWithSavedCard {
    type Output = PaymentResult;
    const ENDPOINT: &'static str = "split-execute-pay";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        let base = order_payload!(self, config, split)?;
        Ok(Payload {
            card_id: Some(non_empty("card_id", &self.card_id)?),
            split_user: Some(non_empty("split_user", &self.split_user)?),
            ..base
        })
    }
    fn parse(&self, response: HttpResponse) -> Result<PaymentResult, ResponseError<ApiError>> {
        PaymentResult::parse(response, self.amount.currency())
    }
}
signed_operation!(
    SplitPayWithSavedCard,
    PaymentResult,
    "split_pay_with_saved_card",
    false
);

/// The state of a saved card (`POST /api/1/get-status-card`). Idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::GetCardStatus::new("ce1");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"id":"ce1","status":"active","mask":"416973******5869"}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?.status, epoint::CardStatus::Active);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCardStatus {
    card_id: String,
}

impl GetCardStatus {
    /// The saved `card_id`.
    pub fn new(card_id: impl Into<String>) -> Self {
        GetCardStatus {
            card_id: card_id.into(),
        }
    }
}

impl Signed for GetCardStatus {
    type Output = CardInfo;
    const ENDPOINT: &'static str = "get-status-card";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        Ok(Payload {
            public_key: config.public_key(),
            card_id: Some(non_empty("card_id", &self.card_id)?),
            ..Payload::default()
        })
    }
    fn parse(&self, response: HttpResponse) -> Result<CardInfo, ResponseError<ApiError>> {
        CardInfo::parse(response)
    }
}
signed_operation!(GetCardStatus, CardInfo, "get_card_status", true);

// ---------------------------------------------------------------------------------------
// Refunds and captures

/// Refund (cancel) a past payment, fully or partly (`POST /api/1/reverse`).
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::Refund::new("te000000001", Currency::AZN).amount(Amount::parse_major("5", Currency::AZN)?);
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","message":"Reversed"}"#.to_vec()));
/// assert!(execute(&op, &config, &t)?.status.is_success());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Refund {
    transaction: String,
    currency: Currency,
    amount: Option<Amount>,
    language: Option<Language>,
}

impl Refund {
    /// A full refund of `transaction` in its `currency`.
    pub fn new(transaction: impl Into<String>, currency: Currency) -> Self {
        Refund {
            transaction: transaction.into(),
            currency,
            amount: None,
            language: None,
        }
    }
}
setters!(Refund {
    /// `amount`: refund only this much (a partial refund).
    amount: Amount,
    /// The `language` (default: the configuration's).
    language: Language,
});

impl Signed for Refund {
    type Output = Acknowledgement;
    const ENDPOINT: &'static str = "reverse";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        check_currency(self.currency)?;
        let amount = match &self.amount {
            Some(a) if a.currency() != self.currency => {
                return Err(BuildError::invalid(
                    "amount",
                    format!("is in {}, the refund in {}", a.currency(), self.currency),
                ))
            }
            Some(a) => Some(amount_text("amount", a)?),
            None => None,
        };
        Ok(Payload {
            public_key: config.public_key(),
            transaction: Some(non_empty("transaction", &self.transaction)?),
            amount,
            currency: Some(self.currency),
            language: language(self.language, config),
            ..Payload::default()
        })
    }
    fn parse(&self, response: HttpResponse) -> Result<Acknowledgement, ResponseError<ApiError>> {
        Acknowledgement::parse(response)
    }
}
signed_operation!(Refund, Acknowledgement, "refund", false);

/// Capture a hold made by [`PreAuth`] (`POST /api/1/pre-auth-complete`).
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::PreAuthComplete::new(Amount::parse_major("50", Currency::AZN)?, "te000000101");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","message":"ok","transaction":"te000000101"}"#.to_vec()));
/// assert!(execute(&op, &config, &t)?.status.is_success());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PreAuthComplete {
    amount: Amount,
    transaction: String,
}

impl PreAuthComplete {
    /// The `amount` to capture and the hold's `transaction`.
    pub fn new(amount: Amount, transaction: impl Into<String>) -> Self {
        PreAuthComplete {
            amount,
            transaction: transaction.into(),
        }
    }
}

impl Signed for PreAuthComplete {
    type Output = Acknowledgement;
    const ENDPOINT: &'static str = "pre-auth-complete";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        Ok(Payload {
            public_key: config.public_key(),
            transaction: Some(non_empty("transaction", &self.transaction)?),
            amount: Some(amount_text("amount", &self.amount)?),
            ..Payload::default()
        })
    }
    fn parse(&self, response: HttpResponse) -> Result<Acknowledgement, ResponseError<ApiError>> {
        Acknowledgement::parse(response)
    }
}
signed_operation!(PreAuthComplete, Acknowledgement, "pre_auth_complete", false);

// ---------------------------------------------------------------------------------------
// Apple Pay / Google Pay

/// The Apple/Google Pay widget URL (`POST /api/1/token/widget`). No currency or language.
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::TokenWidget::new(Amount::parse_major("2.5", Currency::AZN)?, "w-1", "Test payment");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"status":"success","widget_url":"https://epoint.az/api/1/token/widget/000001"}"#.to_vec()));
/// assert!(execute(&op, &config, &t)?.widget_url.ends_with("000001"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TokenWidget {
    amount: Amount,
    order_id: String,
    description: String,
}

impl TokenWidget {
    /// The `amount`, your `order_id` and a `description`.
    pub fn new(
        amount: Amount,
        order_id: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        TokenWidget {
            amount,
            order_id: order_id.into(),
            description: description.into(),
        }
    }
}

impl Signed for TokenWidget {
    type Output = WidgetUrl;
    const ENDPOINT: &'static str = "token/widget";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        let amount = amount_text("amount", &self.amount)?;
        check_order_id(&self.order_id)?;
        check_description(Some(&self.description))?;
        Ok(Payload {
            public_key: config.public_key(),
            amount: Some(amount),
            order_id: Some(&self.order_id),
            description: Some(non_empty("description", &self.description)?),
            ..Payload::default()
        })
    }
    fn parse(&self, response: HttpResponse) -> Result<WidgetUrl, ResponseError<ApiError>> {
        WidgetUrl::parse(response)
    }
}
signed_operation!(TokenWidget, WidgetUrl, "token_widget", false);

/// Create a tokenized payment for the Apple/Google Pay JS buttons (`POST /api/1/token/payment`).
/// Its success answer has no `status` field.
///
/// ```
/// use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::TokenPayment::new(Amount::parse_major("2.36", Currency::AZN)?, "111222333", "test description");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"id":9998887,"transaction":"12345","total":2.36}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?.id, "9998887");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TokenPayment {
    amount: Amount,
    order_id: String,
    description: String,
    language: Option<Language>,
}

impl TokenPayment {
    /// The `amount`, your `order_id` and a `description`.
    pub fn new(
        amount: Amount,
        order_id: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        TokenPayment {
            amount,
            order_id: order_id.into(),
            description: description.into(),
            language: None,
        }
    }
}
setters!(TokenPayment {
    /// The `language` (default: the configuration's).
    language: Language,
});

impl Signed for TokenPayment {
    type Output = TokenPaymentCreated;
    const ENDPOINT: &'static str = "token/payment";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        let amount = amount_text("amount", &self.amount)?;
        check_order_id(&self.order_id)?;
        check_description(Some(&self.description))?;
        Ok(Payload {
            public_key: config.public_key(),
            amount: Some(amount),
            currency: Some(self.amount.currency()),
            language: language(self.language, config),
            order_id: Some(&self.order_id),
            description: Some(non_empty("description", &self.description)?),
            ..Payload::default()
        })
    }
    fn parse(
        &self,
        response: HttpResponse,
    ) -> Result<TokenPaymentCreated, ResponseError<ApiError>> {
        TokenPaymentCreated::parse(response, self.amount.currency())
    }
}
signed_operation!(TokenPayment, TokenPaymentCreated, "token_payment", false);

/// An Apple Pay merchant session (`POST /api/1/token/apple/session`); the answer is passed
/// through as JSON for Apple's JS.
///
/// ```
/// use azpay_core::{epoint, execute, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let op = epoint::AppleSession::new("https://shop.example");
/// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
///     br#"{"merchantSessionIdentifier":"abc"}"#.to_vec()));
/// assert_eq!(execute(&op, &config, &t)?["merchantSessionIdentifier"], "abc");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppleSession {
    origin: String,
}

impl AppleSession {
    /// The `origin` of the page showing the Apple Pay button.
    pub fn new(origin: impl Into<String>) -> Self {
        AppleSession {
            origin: origin.into(),
        }
    }
}

impl Signed for AppleSession {
    type Output = Value;
    const ENDPOINT: &'static str = "token/apple/session";
    fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
        Ok(Payload {
            public_key: config.public_key(),
            origin: Some(non_empty("origin", &self.origin)?),
            ..Payload::default()
        })
    }
    fn parse(&self, response: HttpResponse) -> Result<Value, ResponseError<ApiError>> {
        outcome::parse_value(response)
    }
}
signed_operation!(AppleSession, Value, "apple_session", false);

macro_rules! token_pay {
    ($(#[$doc:meta])* $ty:ident, $endpoint:literal, $name:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $ty {
            id: String,
            token: Value,
            billing_contact: Value,
        }

        impl $ty {
            /// The payment `id` from [`TokenPayment`], the wallet's `token` JSON and its
            /// `billingContact` JSON (sent in camelCase).
            pub fn new(id: impl Into<String>, token: Value, billing_contact: Value) -> Self {
                $ty { id: id.into(), token, billing_contact }
            }
        }

        impl Signed for $ty {
            type Output = TokenPayResult;
            const ENDPOINT: &'static str = $endpoint;
            fn payload<'a>(&'a self, config: &'a Config) -> Result<Payload<'a>, BuildError> {
                if self.token.is_null() {
                    return Err(BuildError::invalid("token", "must not be null"));
                }
                Ok(Payload {
                    public_key: config.public_key(),
                    id: Some(non_empty("id", &self.id)?),
                    token: Some(&self.token),
                    billing_contact: Some(&self.billing_contact),
                    ..Payload::default()
                })
            }
            fn parse(&self, response: HttpResponse) -> Result<TokenPayResult, ResponseError<ApiError>> {
                TokenPayResult::parse(response)
            }
        }
        signed_operation!($ty, TokenPayResult, $name, false);
    };
}

token_pay! {
    /// Complete an Apple Pay payment (`POST /api/1/token/apple/pay`).
    ///
    /// ```
    /// use azpay_core::{epoint, execute, HttpRequest, HttpResponse, TransportError};
    /// let config = epoint::Config::new("i000000001", "private-key");
    /// let op = epoint::ApplePay::new("9998887", serde_json::json!({"paymentData":{}}), serde_json::json!({}));
    /// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
    ///     br#"{"status":"success","message":"Payment is finished successfully","result":{},"redirect_url":""}"#.to_vec()));
    /// assert!(execute(&op, &config, &t)?.status.is_success());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ApplePay, "token/apple/pay", "apple_pay"
}

token_pay! {
    /// Complete a Google Pay payment (`POST /api/1/token/google/pay`).
    ///
    /// ```
    /// use azpay_core::{epoint, execute, HttpRequest, HttpResponse, TransportError};
    /// let config = epoint::Config::new("i000000001", "private-key");
    /// let op = epoint::GooglePay::new("9998887", serde_json::json!({"signature":"x"}), serde_json::json!({}));
    /// let t = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
    ///     br#"{"status":"success","message":"Payment is finished successfully","result":{},"redirect_url":""}"#.to_vec()));
    /// assert!(execute(&op, &config, &t)?.redirect_url.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    GooglePay, "token/google/pay", "google_pay"
}

// ---------------------------------------------------------------------------------------
// Unsigned

/// List the merchant's wallets (`POST /api/1/wallet/status`): **unsigned**, the form body is
/// `public_key=…` only. The answer is passed through as JSON. Idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let t = |r: HttpRequest| {
///     assert_eq!(r.body(), b"public_key=i000000001");
///     Ok::<HttpResponse, TransportError>(http::Response::new(br#"{"status":"success","wallets":[]}"#.to_vec()))
/// };
/// assert_eq!(execute(&epoint::WalletStatus, &config, &t)?["wallets"], serde_json::json!([]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WalletStatus;

impl Operation for WalletStatus {
    type Gateway = EPoint;
    type Output = Value;
    const NAME: &'static str = "wallet_status";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("public_key", non_empty("public_key", config.public_key())?)
            .finish()
            .into_bytes();
        wire::form_request(config.endpoint("wallet/status"), body)
    }

    fn parse_response(
        &self,
        _config: &Config,
        response: HttpResponse,
    ) -> Result<Value, ResponseError<ApiError>> {
        outcome::parse_value(response)
    }
}

/// Whether EPoint is up (`GET /api/heartbeat`, not under `/api/1`). Idempotent.
///
/// ```
/// use azpay_core::{epoint, execute, HttpRequest, HttpResponse, TransportError};
/// let config = epoint::Config::new("i000000001", "private-key");
/// let t = |r: HttpRequest| {
///     assert_eq!(r.uri(), "https://epoint.az/api/heartbeat");
///     Ok::<HttpResponse, TransportError>(http::Response::new(br#"{"status":"ok"}"#.to_vec()))
/// };
/// assert!(execute(&epoint::Heartbeat, &config, &t)?.is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Heartbeat;

impl Operation for Heartbeat {
    type Gateway = EPoint;
    type Output = HeartbeatStatus;
    const NAME: &'static str = "heartbeat";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        Ok(http::Request::get(format!("{}/api/heartbeat", config.base())).body(Vec::new())?)
    }

    fn parse_response(
        &self,
        _config: &Config,
        response: HttpResponse,
    ) -> Result<HeartbeatStatus, ResponseError<ApiError>> {
        HeartbeatStatus::parse(response)
    }
}
