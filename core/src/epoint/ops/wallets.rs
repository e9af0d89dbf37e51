//! EPoint wallets: list them with [`WalletStatus`] (unsigned), pay from one with
//! [`WalletPayment`].

use serde_json::Value;

use super::{check_id, Data, Order, SignedOperation};
use crate::epoint::codes::in_operation;
use crate::epoint::outcome::{self, PaymentRedirect};
use crate::epoint::wire::{self, Payload};
use crate::epoint::{ApiError, Config, EPoint};
use crate::{Amount, BuildError, HttpRequest, HttpResponse, Language, Operation, ResponseError};

// ---------------------------------------------------------------------------------------
// WalletStatus

/// List the merchant's wallets (`POST /api/1/wallet/status`): **unsigned**, the form body is
/// `public_key=…` only. The answer is passed through as JSON. Idempotent.
///
/// Executes to a JSON [`Value`].
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
            .append_pair("public_key", check_id("public_key", config.public_key())?)
            .finish()
            .into_bytes();
        wire::form_request(config.endpoint("wallet/status"), body)
    }

    fn parse_response(
        &self,
        _config: &Config,
        response: HttpResponse,
    ) -> Result<Value, ResponseError<ApiError>> {
        in_operation(Self::NAME, outcome::parse_value(response))
    }
}

// ---------------------------------------------------------------------------------------
// WalletPayment

/// Pay from an EPoint wallet (`POST /api/1/wallet/payment`).
///
/// Executes to a [`PaymentRedirect`]; not idempotent.
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

    /// `description`, at most 1000 characters.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The `language` (default: the configuration's).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
}

impl SignedOperation for WalletPayment {
    type Output = PaymentRedirect;
    const NAME: &'static str = "wallet_payment";
    const IDEMPOTENT: bool = false;
    const PATH: &'static str = "wallet/payment";

    fn payload<'a>(&'a self, config: &'a Config) -> Result<Data<'a>, BuildError> {
        let order = Order {
            amount: &self.amount,
            split_amount: None,
            order_id: &self.order_id,
            description: self.description.as_deref(),
            language: self.language,
        }
        .payload(config)?;
        Ok(Data(Payload {
            wallet_id: Some(check_id("wallet_id", &self.wallet_id)?),
            ..order
        }))
    }

    fn parse(&self, response: HttpResponse) -> Result<PaymentRedirect, ResponseError<ApiError>> {
        PaymentRedirect::parse(response)
    }
}
