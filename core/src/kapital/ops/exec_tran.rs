//! Transactions on an order ([`ExecTran`], `POST /api/order/{id}/exec-tran`): clearing,
//! refund, void, saved-card charge and hold, credit, Google Pay.

#[allow(unused_imports)] // for rustdoc links
use super::tokens::{SetDstToken, SetSrcToken};
use super::{check_order_id, check_password, encode, RErr};
use crate::kapital::config::{Config, Kapital};
use crate::kapital::outcome::{self, TranResult};
use crate::kapital::wire;
use crate::{Amount, BuildError, HttpRequest, HttpResponse, Operation, ResponseError};

/// The order's state when a void is sent: it decides the `phase`. Pick the state;
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

/// What an [`ExecTran`] does.
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

/// `POST /api/order/{id}/exec-tran`: executes a transaction on an order.
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
/// assert_eq!(result.state, azpay_core::State::Done);
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
    /// (Basic auth suffices); some clients do.
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

    /// A `PmoDecline` error body (with any HTTP status) is a declined [`TranResult`], not an
    /// error.
    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<TranResult, RErr> {
        match wire::parse(Self::NAME, response) {
            Ok((body, raw)) => outcome::tran_result(body, &raw),
            Err(ResponseError::Api(e)) if e.is_decline() => Ok(outcome::declined_tran(&e)),
            Err(e) => Err(e),
        }
    }
}
