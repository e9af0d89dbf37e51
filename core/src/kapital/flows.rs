//! Kapital's three-request flows: create an order, attach a card token, execute the
//! transaction. Each is a [`Flow`] state machine: drive it with [`crate::execute_flow`],
//! [`crate::execute_flow_async`] or by hand.
//!
//! Every step's answer is read as [`crate::parse_after_sending`] reads an operation's: an
//! unreadable answer (5xx, HTML, malformed) to a step that may change money is "outcome
//! unknown". A failure once the first request was sent is an [`Error::Flow`] ([`FlowError`]:
//! the failing step, the steps sent, `order N` as reference), never [`Error::Build`], so
//! [`Error::may_have_happened`] and [`Error::nothing_sent`] tell the truth. A declined
//! transaction is not an error: the flow ends with a [`FlowOutcome`] whose `state` is
//! [`crate::State::Declined`].
//!
//! When a step fails, the flow keeps what it knows: [`PayWithSavedCard::failed_step`] says
//! which step failed ([`PayWithSavedCard::pending_step`] which request was in flight when the
//! transport failed) and [`PayWithSavedCard::order_id`] gives the order already created, so
//! the caller can reconcile with [`super::GetOrder`] (the same holds for [`Payout`] and
//! [`SavedCardPreAuth`]).

use super::config::{Config, Kapital};
use super::error::ApiError;
use super::ops::{CreateOrder, ExecTran, Pan, SetDstToken, SetSrcToken};
use super::outcome::{CreatedOrder, TokenAttached, TranResult};
use crate::{
    parse_after_sending, Amount, BuildError, Error, Flow, FlowError, HttpResponse, Language,
    Operation, State, Step,
};

/// The steps of a flow, to say which one failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum FlowStep {
    /// `POST /api/order`.
    CreateOrder,
    /// `set-src-token` or `set-dst-token`.
    SetToken,
    /// `exec-tran`.
    ExecTran,
}

impl FlowStep {
    /// `"create-order"`, `"set-token"`, `"exec-tran"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            FlowStep::CreateOrder => "create-order",
            FlowStep::SetToken => "set-token",
            FlowStep::ExecTran => "exec-tran",
        }
    }
}

impl std::fmt::Display for FlowStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a flow ends with: the order it created, the card token step's answer and the final
/// transaction's result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct FlowOutcome {
    /// The flow's outcome: the `state` of its final transaction (done, declined or pending).
    pub state: State,
    /// The id of the order the flow created.
    pub order_id: u64,
    /// The answer to `set-src-token` / `set-dst-token`.
    pub token: TokenAttached,
    /// The result of `exec-tran`.
    pub tran: TranResult,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Card {
    Stored(u64),
    Destination(Pan),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Start,
    AwaitCreate,
    AwaitToken,
    AwaitTran,
    Finished,
}

#[derive(Debug, Clone)]
enum TokenOp {
    Src(SetSrcToken),
    Dst(SetDstToken),
}

#[derive(Debug, Clone)]
struct Engine {
    name: &'static str,
    order: CreateOrder,
    card: Card,
    final_tran: fn(u64) -> ExecTran,
    stage: Stage,
    created: Option<CreatedOrder>,
    token_op: Option<TokenOp>,
    token: Option<TokenAttached>,
    failed: Option<FlowStep>,
}

type FlowResult = Result<Step<FlowOutcome>, Error<ApiError>>;

impl Engine {
    fn new(
        name: &'static str,
        order: CreateOrder,
        card: Card,
        final_tran: fn(u64) -> ExecTran,
    ) -> Self {
        Engine {
            name,
            order,
            card,
            final_tran,
            stage: Stage::Start,
            created: None,
            token_op: None,
            token: None,
            failed: None,
        }
    }

    /// Records the failure of `step`. Before anything was sent (the first request could not
    /// be built) it is the step's own error; afterwards a [`FlowError`] naming the steps sent
    /// (`step` among them when `step_sent`) and the order created, if any.
    fn fail(&mut self, step: FlowStep, step_sent: bool, e: Error<ApiError>) -> Error<ApiError> {
        self.failed = Some(step);
        self.stage = Stage::Finished;
        let order: [FlowStep; 3] = [
            FlowStep::CreateOrder,
            FlowStep::SetToken,
            FlowStep::ExecTran,
        ];
        let position = order.iter().position(|s| *s == step).unwrap_or(0);
        let sent: Vec<&'static str> = order[..position + usize::from(step_sent)]
            .iter()
            .map(FlowStep::as_str)
            .collect();
        if sent.is_empty() {
            return e;
        }
        let mut flow = FlowError::new(self.name, step.as_str(), sent, e);
        if let Some(id) = self.order_id() {
            flow = flow.reference(format!("order {id}"));
        }
        Error::Flow(flow)
    }

    fn step(&mut self, config: &Config, last: Option<HttpResponse>) -> FlowResult {
        match (self.stage, last) {
            (Stage::Start, None) => {
                // Check the later steps' input first: a bad card must not leave an order behind.
                let check = match &self.card {
                    Card::Stored(0) => {
                        Err(BuildError::invalid("storedId", "must be a positive id"))
                    }
                    Card::Stored(_) => Ok(()),
                    Card::Destination(pan) => pan.validate(),
                };
                check.map_err(|e| self.fail(FlowStep::CreateOrder, false, e.into()))?;
                let request = self
                    .order
                    .request(config)
                    .map_err(|e| self.fail(FlowStep::CreateOrder, false, e.into()))?;
                self.stage = Stage::AwaitCreate;
                Ok(Step::Send(request))
            }
            (Stage::AwaitCreate, Some(response)) => {
                let created = parse_after_sending(&self.order, config, response)
                    .map_err(|e| self.fail(FlowStep::CreateOrder, true, e))?;
                let (id, password) = (created.id, created.password.clone());
                self.created = Some(created);
                let op = match &self.card {
                    Card::Stored(stored) => {
                        TokenOp::Src(SetSrcToken::stored_card(id, password, *stored))
                    }
                    Card::Destination(pan) => {
                        TokenOp::Dst(SetDstToken::card(id, password, pan.0.clone()))
                    }
                };
                let request = match &op {
                    TokenOp::Src(o) => o.request(config),
                    TokenOp::Dst(o) => o.request(config),
                }
                .map_err(|e| self.fail(FlowStep::SetToken, false, e.into()))?;
                self.token_op = Some(op);
                self.stage = Stage::AwaitToken;
                Ok(Step::Send(request))
            }
            (Stage::AwaitToken, Some(response)) => {
                let parsed = match &self.token_op {
                    Some(TokenOp::Src(o)) => parse_after_sending(o, config, response),
                    Some(TokenOp::Dst(o)) => parse_after_sending(o, config, response),
                    None => return Err(out_of_order()),
                };
                let token = parsed.map_err(|e| self.fail(FlowStep::SetToken, true, e))?;
                self.token = Some(token);
                let id = self.order_id().ok_or_else(out_of_order)?;
                let op = (self.final_tran)(id);
                let request = op
                    .request(config)
                    .map_err(|e| self.fail(FlowStep::ExecTran, false, e.into()))?;
                self.stage = Stage::AwaitTran;
                Ok(Step::Send(request))
            }
            (Stage::AwaitTran, Some(response)) => {
                let id = self.order_id().ok_or_else(out_of_order)?;
                let tran = parse_after_sending(&(self.final_tran)(id), config, response)
                    .map_err(|e| self.fail(FlowStep::ExecTran, true, e))?;
                let token = self.token.clone().ok_or_else(out_of_order)?;
                self.stage = Stage::Finished;
                Ok(Step::Done(FlowOutcome {
                    state: tran.state,
                    order_id: id,
                    token,
                    tran,
                }))
            }
            _ => Err(out_of_order()),
        }
    }

    fn order_id(&self) -> Option<u64> {
        self.created.as_ref().map(|c| c.id)
    }

    fn pending_step(&self) -> Option<FlowStep> {
        match self.stage {
            Stage::AwaitCreate => Some(FlowStep::CreateOrder),
            Stage::AwaitToken => Some(FlowStep::SetToken),
            Stage::AwaitTran => Some(FlowStep::ExecTran),
            Stage::Start | Stage::Finished => None,
        }
    }
}

fn out_of_order() -> Error<ApiError> {
    Error::Build(BuildError::Encoding(
        "flow driven out of order: the first step takes no response, every later step the \
         response to the request it asked for, and a finished flow takes nothing"
            .to_owned(),
    ))
}

/// Charges a saved card: `Order_REC` order → `set-src-token` (`storedId`,
/// `initiationEnvKind` `Server`) → `exec-tran` (`Single`, `cofUsage` `Recurring`).
///
/// ```
/// use azpay_core::{execute_flow, kapital, Amount, Currency, HttpRequest, HttpResponse, TransportError};
///
/// let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
/// let mut flow = kapital::PayWithSavedCard::new(Amount::parse_major("5", Currency::AZN)?, 5125);
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     let body: &[u8] = match request.uri().path() {
///         "/api/order" => br#"{"order":{"id":6300,"hppUrl":"https://txpgtst.kapitalbank.az/flex","password":"pw6300","status":"Preparing"}}"#,
///         "/api/order/6300/set-src-token" => br#"{"order":{"status":"Preparing","srcToken":{"id":6298}}}"#,
///         "/api/order/6300/exec-tran" => br#"{"tran":{"approvalCode":"053703","pmoResultCode":"1"}}"#,
///         other => panic!("unexpected {other}"),
///     };
///     Ok(http::Response::new(body.to_vec()))
/// };
/// let outcome = execute_flow(&mut flow, &config, &transport)?;
/// assert_eq!(outcome.order_id, 6300);
/// assert!(outcome.tran.is_approved());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct PayWithSavedCard(Engine);

impl PayWithSavedCard {
    /// `description` of the order.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.0.order = self.0.order.description(description);
        self
    }
    /// `title` of the order.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.0.order = self.0.order.title(title);
        self
    }
    /// `language` of the order; default: the configuration's.
    pub fn language(mut self, language: Language) -> Self {
        self.0.order = self.0.order.language(language);
        self
    }
    /// The id of the order this flow created, once the first step succeeded (also
    /// after a later step failed: reconcile with [`super::GetOrder`]).
    pub fn order_id(&self) -> Option<u64> {
        self.0.order_id()
    }
    /// The order this flow created, with its password.
    pub fn created_order(&self) -> Option<&CreatedOrder> {
        self.0.created.as_ref()
    }
    /// The step that failed, if one did (its answer was an error, or its request
    /// could not be built).
    pub fn failed_step(&self) -> Option<FlowStep> {
        self.0.failed
    }
    /// The step whose answer the flow is waiting for. After a transport error (which
    /// the flow itself never sees) this is the step whose request may or may not have
    /// reached the gateway.
    pub fn pending_step(&self) -> Option<FlowStep> {
        self.0.pending_step()
    }
}

impl Flow for PayWithSavedCard {
    type Gateway = Kapital;
    type Output = FlowOutcome;
    const NAME: &'static str = "pay_with_saved_card";

    fn step(&mut self, config: &Config, last: Option<HttpResponse>) -> FlowResult {
        self.0.step(config, last)
    }
}

impl PayWithSavedCard {
    /// Charges `amount` to the stored card `stored_id` (`storedTokens[].id`).
    pub fn new(amount: Amount, stored_id: u64) -> Self {
        PayWithSavedCard(Engine::new(
            <Self as Flow>::NAME,
            CreateOrder::recurring(amount),
            Card::Stored(stored_id),
            ExecTran::charge_saved_card,
        ))
    }
}

/// Sends money to a card: `OCT` order → `set-dst-token` (the card number) → `exec-tran`
/// (`Single`, type `Credit`). The card number is checked (digits, Luhn) before the order
/// is created, and never shown in `Debug`.
///
/// ```
/// use azpay_core::{execute_flow, kapital, Amount, Currency, HttpRequest, HttpResponse, TransportError};
///
/// let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
/// let mut flow = kapital::Payout::new(Amount::parse_major("1", Currency::AZN)?, "4169741330151778");
/// assert!(!format!("{flow:?}").contains("4169741330151778"));
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     let body: &[u8] = match request.uri().path() {
///         "/api/order" => br#"{"order":{"id":7001,"hppUrl":"https://txpgtst.kapitalbank.az/flex","password":"pw7001","status":"Preparing"}}"#,
///         "/api/order/7001/set-dst-token" => br#"{"order":{"status":"Preparing"}}"#,
///         "/api/order/7001/exec-tran" => br#"{"tran":{"approvalCode":"111111","pmoResultCode":"1"}}"#,
///         other => panic!("unexpected {other}"),
///     };
///     Ok(http::Response::new(body.to_vec()))
/// };
/// let outcome = execute_flow(&mut flow, &config, &transport)?;
/// assert_eq!(outcome.order_id, 7001);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Payout(Engine);

impl Payout {
    /// `description` of the order.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.0.order = self.0.order.description(description);
        self
    }
    /// `title` of the order.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.0.order = self.0.order.title(title);
        self
    }
    /// `language` of the order; default: the configuration's.
    pub fn language(mut self, language: Language) -> Self {
        self.0.order = self.0.order.language(language);
        self
    }
    /// The id of the order this flow created, once the first step succeeded (also
    /// after a later step failed: reconcile with [`super::GetOrder`]).
    pub fn order_id(&self) -> Option<u64> {
        self.0.order_id()
    }
    /// The order this flow created, with its password.
    pub fn created_order(&self) -> Option<&CreatedOrder> {
        self.0.created.as_ref()
    }
    /// The step that failed, if one did (its answer was an error, or its request
    /// could not be built).
    pub fn failed_step(&self) -> Option<FlowStep> {
        self.0.failed
    }
    /// The step whose answer the flow is waiting for. After a transport error (which
    /// the flow itself never sees) this is the step whose request may or may not have
    /// reached the gateway.
    pub fn pending_step(&self) -> Option<FlowStep> {
        self.0.pending_step()
    }
}

impl Flow for Payout {
    type Gateway = Kapital;
    type Output = FlowOutcome;
    const NAME: &'static str = "payout";

    fn step(&mut self, config: &Config, last: Option<HttpResponse>) -> FlowResult {
        self.0.step(config, last)
    }
}

impl Payout {
    /// Credits `amount` to the card number `pan`.
    pub fn new(amount: Amount, pan: impl Into<String>) -> Self {
        Payout(Engine::new(
            <Self as Flow>::NAME,
            CreateOrder::credit(amount),
            Card::Destination(Pan(pan.into())),
            ExecTran::credit,
        ))
    }
}

/// Holds an amount on a saved card without 3-D Secure: `DMSN3D` order → `set-src-token`
/// → `exec-tran` (`Auth`, `authorizationKind` `Preliminary`, `cofUsage` `Recurring`).
/// Complete it later with [`super::ExecTran::clearing`] or release it with
/// [`super::ExecTran::void`] ([`super::OrderState::Held`]).
///
/// ```
/// use azpay_core::{execute_flow, kapital, Amount, Currency, HttpRequest, HttpResponse, TransportError};
///
/// let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
/// let mut flow = kapital::SavedCardPreAuth::new(Amount::parse_major("3", Currency::AZN)?, 5125);
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     let body: &[u8] = match request.uri().path() {
///         "/api/order" => br#"{"order":{"id":8001,"hppUrl":"https://txpgtst.kapitalbank.az/flex","password":"pw8001","status":"Preparing"}}"#,
///         "/api/order/8001/set-src-token" => br#"{"order":{"status":"Preparing"}}"#,
///         "/api/order/8001/exec-tran" => br#"{"tran":{"approvalCode":"222222","pmoResultCode":"1"}}"#,
///         other => panic!("unexpected {other}"),
///     };
///     Ok(http::Response::new(body.to_vec()))
/// };
/// let outcome = execute_flow(&mut flow, &config, &transport)?;
/// assert_eq!(outcome.tran.approval_code.as_deref(), Some("222222"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct SavedCardPreAuth(Engine);

impl SavedCardPreAuth {
    /// `description` of the order.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.0.order = self.0.order.description(description);
        self
    }
    /// `title` of the order.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.0.order = self.0.order.title(title);
        self
    }
    /// `language` of the order; default: the configuration's.
    pub fn language(mut self, language: Language) -> Self {
        self.0.order = self.0.order.language(language);
        self
    }
    /// The id of the order this flow created, once the first step succeeded (also
    /// after a later step failed: reconcile with [`super::GetOrder`]).
    pub fn order_id(&self) -> Option<u64> {
        self.0.order_id()
    }
    /// The order this flow created, with its password.
    pub fn created_order(&self) -> Option<&CreatedOrder> {
        self.0.created.as_ref()
    }
    /// The step that failed, if one did (its answer was an error, or its request
    /// could not be built).
    pub fn failed_step(&self) -> Option<FlowStep> {
        self.0.failed
    }
    /// The step whose answer the flow is waiting for. After a transport error (which
    /// the flow itself never sees) this is the step whose request may or may not have
    /// reached the gateway.
    pub fn pending_step(&self) -> Option<FlowStep> {
        self.0.pending_step()
    }
}

impl Flow for SavedCardPreAuth {
    type Gateway = Kapital;
    type Output = FlowOutcome;
    const NAME: &'static str = "saved_card_preauth";

    fn step(&mut self, config: &Config, last: Option<HttpResponse>) -> FlowResult {
        self.0.step(config, last)
    }
}

impl SavedCardPreAuth {
    /// Holds `amount` on the stored card `stored_id`.
    pub fn new(amount: Amount, stored_id: u64) -> Self {
        SavedCardPreAuth(Engine::new(
            <Self as Flow>::NAME,
            CreateOrder::recurring_preauth(amount),
            Card::Stored(stored_id),
            ExecTran::preauth_saved_card,
        ))
    }
}
