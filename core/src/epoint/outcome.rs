//! The typed outcomes of EPoint's operations (`docs/wire.md`, "EPoint", "Answers").

use serde::Serialize;
use serde_json::Value;

use super::codes::{ApiError, BankCode, CardStatus, OperationCode, Status};
use super::wire::{self, Answer, CardAnswer, TokenPayAnswer, TokenPaymentAnswer};
use crate::{Amount, Currency, HttpResponse, ResponseError, State};

type Res<T> = Result<T, ResponseError<ApiError>>;

/// The state of an answer that creates something (a payment page, a card registration, a
/// widget): `success` is [`State::Done`] (created as asked); an absent or unknown word is
/// [`State::Pending`], never done. (`error`, `server_error` and `failed` never get here: they
/// are refusals.)
fn created_state(status: Option<&str>) -> State {
    status.map_or(State::Pending, |s| Status::parse(s).state())
}

/// A payment was created: send the customer's browser to `redirect_url`
/// (`/request`, `/split-request`, `/pre-auth-request`, `/wallet/payment`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PaymentRedirect {
    /// [`State::Done`] when EPoint answered `success` (the page exists; the payment is not
    /// made yet: ask [`super::GetStatus`] or wait for the callback); [`State::Pending`] for an
    /// absent or unknown status word.
    pub state: State,
    /// The `status` word received, as EPoint wrote it (`None` when absent).
    pub status: Option<String>,
    /// EPoint's transaction id (`te…`).
    pub transaction: String,
    /// The payment page.
    pub redirect_url: String,
    /// The `message`, when EPoint sends one.
    pub message: Option<String>,
}

impl PaymentRedirect {
    pub(crate) fn parse(response: HttpResponse) -> Res<Self> {
        let (a, body): (Answer, _) = wire::json_answer(response)?;
        wire::refusal(a.status.as_deref(), a.message.as_deref(), true)?;
        Ok(PaymentRedirect {
            state: created_state(a.status.as_deref()),
            status: a.status,
            transaction: wire::required(a.transaction, "transaction", &body)?,
            redirect_url: wire::browser_url(a.redirect_url, "redirect_url", &body)?,
            message: a.message,
        })
    }
}

/// A card registration page was created: send the browser to `redirect_url`
/// (`/card-registration`, `/card-registration-with-pay`, `/split-card-registration-with-pay`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SavedCardRedirect {
    /// [`State::Done`] when EPoint answered `success` (the card page exists);
    /// [`State::Pending`] for an absent or unknown status word.
    pub state: State,
    /// The `status` word received, as EPoint wrote it (`None` when absent).
    pub status: Option<String>,
    /// The card's id (`ce…`), for later payments with the saved card.
    pub card_id: String,
    /// The card entry page.
    pub redirect_url: String,
    /// The payment's transaction, for the flows that also pay.
    pub transaction: Option<String>,
}

impl SavedCardRedirect {
    pub(crate) fn parse(response: HttpResponse) -> Res<Self> {
        let (a, body): (Answer, _) = wire::json_answer(response)?;
        wire::refusal(a.status.as_deref(), a.message.as_deref(), true)?;
        Ok(SavedCardRedirect {
            state: created_state(a.status.as_deref()),
            status: a.status,
            card_id: wire::required(a.card_id, "card_id", &body)?,
            redirect_url: wire::browser_url(a.redirect_url, "redirect_url", &body)?,
            transaction: a.transaction,
        })
    }
}

/// The synchronous result of a charge or payout on a saved card (`/execute-pay`,
/// `/refund-request`, `/split-execute-pay`). A decline is a value: `status` `failed`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PaymentResult {
    /// The charge or payout: `success` [`State::Done`], `failed` [`State::Declined`],
    /// `returned` [`State::Returned`], `new` and every unknown word [`State::Pending`]
    /// (undecided: ask [`super::GetStatus`] before charging again). See [`Status::state`].
    pub state: State,
    /// `success`, `failed` or another status.
    pub status: Status,
    /// EPoint's message.
    pub message: Option<String>,
    /// EPoint's transaction id.
    pub transaction: Option<String>,
    /// The bank's transaction id.
    pub bank_transaction: Option<String>,
    /// The bank's answer.
    pub bank_response: Option<String>,
    /// What kind of operation this was.
    pub operation_code: Option<OperationCode>,
    /// Retrieval reference number (successful operations only).
    pub rrn: Option<String>,
    /// The card mask, `123456******1234`.
    pub card_mask: Option<String>,
    /// The name given on the payment page.
    pub card_name: Option<String>,
    /// The amount charged, in the answer's `currency` when it names one, else in the
    /// request's.
    pub amount: Option<Amount>,
    /// The split partner's part (`/split-execute-pay`).
    pub split_amount: Option<Amount>,
    /// The bank response code.
    pub code: Option<BankCode>,
}

impl PaymentResult {
    /// Whether the operation succeeded.
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }
    /// Whether the bank declined it (`failed`).
    pub fn is_declined(&self) -> bool {
        self.status == Status::Failed
    }

    pub(crate) fn parse(response: HttpResponse, currency: Currency) -> Res<Self> {
        let (a, body): (Answer, _) = wire::json_answer(response)?;
        wire::refusal(a.status.as_deref(), a.message.as_deref(), false)?;
        let status = Status::parse(&wire::required(a.status, "status", &body)?);
        let currency = wire::currency(a.currency.as_deref(), currency, &body)?;
        Ok(PaymentResult {
            state: status.state(),
            status,
            message: a.message,
            transaction: a.transaction,
            bank_transaction: a.bank_transaction,
            bank_response: a.bank_response,
            operation_code: a.operation_code.as_deref().map(OperationCode::parse),
            rrn: a.rrn,
            card_mask: a.card_mask,
            card_name: a.card_name,
            amount: wire::amount(a.amount, currency, "amount", &body)?,
            split_amount: wire::amount(a.split_amount, currency, "split_amount", &body)?,
            code: a.code.as_deref().map(BankCode::parse),
        })
    }
}

/// The state of a payment (`/get-status`). Amounts are in the answer's `currency` when it
/// carries one; EPoint's documented answer has no `currency` field, and AZN is the only
/// currency EPoint documents, so without it they are read as AZN.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PaymentStatus {
    /// The payment: `success` [`State::Done`] (paid), `returned` [`State::Returned`]
    /// (refunded), `failed`/`error` with a payment [`State::Declined`], `new` and every
    /// unknown word [`State::Pending`]. See [`Status::state`].
    pub state: State,
    /// `new`, `success`, `returned`, `error` or another status.
    pub status: Status,
    /// The bank response code.
    pub code: Option<BankCode>,
    /// EPoint's message.
    pub message: Option<String>,
    /// EPoint's transaction id.
    pub transaction: Option<String>,
    /// The bank's transaction id.
    pub bank_transaction: Option<String>,
    /// The bank's answer.
    pub bank_response: Option<String>,
    /// What kind of operation this was.
    pub operation_code: Option<OperationCode>,
    /// Retrieval reference number.
    pub rrn: Option<String>,
    /// The name given on the payment page.
    pub card_name: Option<String>,
    /// The card mask.
    pub card_mask: Option<String>,
    /// The amount, in the answer's `currency` (AZN when it names none).
    pub amount: Option<Amount>,
    /// Your order id.
    pub order_id: Option<String>,
    /// The `other_attr` sent with the payment, as EPoint echoes it.
    pub other_attr: Option<Value>,
}

impl PaymentStatus {
    /// Whether the payment is paid (`success`).
    pub fn is_paid(&self) -> bool {
        self.status.is_success()
    }

    /// `server_error` is always a refusal; `error` is one only when the answer carries no
    /// payment (no `transaction` and no `code`), otherwise it is the payment's state.
    pub(crate) fn parse(response: HttpResponse) -> Res<Self> {
        let (a, body): (Answer, _) = wire::json_answer(response)?;
        let status = Status::parse(&wire::required(a.status.clone(), "status", &body)?);
        let is_payment = a.transaction.is_some() || a.code.is_some();
        if status == Status::ServerError || (status == Status::Error && !is_payment) {
            return Err(ResponseError::Api(ApiError::new(status, a.message)));
        }
        let currency = wire::currency(a.currency.as_deref(), Currency::AZN, &body)?;
        Ok(PaymentStatus {
            state: status.state(),
            status,
            code: a.code.as_deref().map(BankCode::parse),
            message: a.message,
            transaction: a.transaction,
            bank_transaction: a.bank_transaction,
            bank_response: a.bank_response,
            operation_code: a.operation_code.as_deref().map(OperationCode::parse),
            rrn: a.rrn,
            card_name: a.card_name,
            card_mask: a.card_mask,
            amount: wire::amount(a.amount, currency, "amount", &body)?,
            order_id: a.order_id,
            other_attr: a.other_attr.filter(|v| !v.is_null()),
        })
    }
}

/// EPoint accepted the request (`/reverse`, `/pre-auth-complete`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Acknowledgement {
    /// `success` is [`State::Done`] (refunded or captured as asked); an unknown word is
    /// [`State::Pending`], never done. (`error`, `server_error` and `failed` are refusals.)
    pub state: State,
    /// `success` (or a status this crate does not know).
    pub status: Status,
    /// EPoint's message.
    pub message: Option<String>,
    /// The transaction, when EPoint sends it.
    pub transaction: Option<String>,
}

impl Acknowledgement {
    pub(crate) fn parse(response: HttpResponse) -> Res<Self> {
        let (a, body): (Answer, _) = wire::json_answer(response)?;
        wire::refusal(a.status.as_deref(), a.message.as_deref(), true)?;
        let status = Status::parse(&wire::required(a.status, "status", &body)?);
        Ok(Acknowledgement {
            state: status.state(),
            status,
            message: a.message,
            transaction: a.transaction,
        })
    }
}

/// The Apple/Google Pay widget URL (`/token/widget`), for an iframe or web view.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct WidgetUrl {
    /// [`State::Done`] when EPoint answered `success` (the widget exists);
    /// [`State::Pending`] for an absent or unknown status word.
    pub state: State,
    /// The `status` word received, as EPoint wrote it (`None` when absent).
    pub status: Option<String>,
    /// The widget page.
    pub widget_url: String,
}

impl WidgetUrl {
    pub(crate) fn parse(response: HttpResponse) -> Res<Self> {
        let (a, body): (Answer, _) = wire::json_answer(response)?;
        wire::refusal(a.status.as_deref(), a.message.as_deref(), true)?;
        Ok(WidgetUrl {
            state: created_state(a.status.as_deref()),
            status: a.status,
            widget_url: wire::browser_url(a.widget_url, "widget_url", &body)?,
        })
    }
}

/// A tokenized payment for the JS SDK buttons (`/token/payment`). Its success answer has no
/// `status` field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TokenPaymentCreated {
    /// [`State::Done`]: the tokenized payment was created (its success answer has no
    /// `status`); a `status` word other than `success` gives its [`Status::state`], an
    /// unknown one [`State::Pending`]. Nothing is paid yet.
    pub state: State,
    /// The payment id to pass to [`super::ApplePay`] / [`super::GooglePay`].
    pub id: String,
    /// EPoint's transaction id.
    pub transaction: Option<String>,
    /// Retrieval reference number.
    pub rrn: Option<String>,
    /// Short link.
    pub short_link: Option<String>,
    /// The bank's order id.
    pub bank_order_id: Option<String>,
    /// The total, in the request's currency.
    pub total: Option<Amount>,
    /// The name on the card.
    pub card_name: Option<String>,
    /// The card mask.
    pub card_mask: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// Your order id.
    pub merchant_order_id: Option<String>,
    /// The `other_attr` as echoed.
    pub other_attr: Option<Value>,
    /// Creation time, as EPoint writes it.
    pub created_at: Option<String>,
    /// Last update time, as EPoint writes it.
    pub updated_at: Option<String>,
}

impl TokenPaymentCreated {
    pub(crate) fn parse(response: HttpResponse, currency: Currency) -> Res<Self> {
        let (a, body): (TokenPaymentAnswer, _) = wire::json_answer(response)?;
        wire::refusal(a.status.as_deref(), a.message.as_deref(), true)?;
        let state = a
            .status
            .as_deref()
            .map_or(State::Done, |s| Status::parse(s).state());
        Ok(TokenPaymentCreated {
            state,
            id: wire::required(a.id, "id", &body)?,
            transaction: a.transaction,
            rrn: a.rrn,
            short_link: a.short_link,
            bank_order_id: a.bank_order_id,
            total: wire::amount(a.total, currency, "total", &body)?,
            card_name: a.card_name,
            card_mask: a.card_mask,
            description: a.description,
            merchant_order_id: a.merchant_order_id,
            other_attr: a.other_attr.filter(|v| !v.is_null()),
            created_at: a.created_at,
            updated_at: a.updated_at,
        })
    }
}

/// The result of completing an Apple Pay or Google Pay payment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TokenPayResult {
    /// `success` without a 3-D Secure page [`State::Done`]; `success` with a `redirect_url`
    /// [`State::Pending`] (3-D Secure in progress); `failed` [`State::Declined`]; any other
    /// word [`State::Pending`].
    pub state: State,
    /// `success` or another status.
    pub status: Status,
    /// EPoint's message.
    pub message: Option<String>,
    /// The `result` object, as received.
    pub result: Option<Value>,
    /// A 3-D Secure page to send the customer to, when not empty.
    pub redirect_url: Option<String>,
}

impl TokenPayResult {
    pub(crate) fn parse(response: HttpResponse) -> Res<Self> {
        let (a, body): (TokenPayAnswer, _) = wire::json_answer(response)?;
        wire::refusal(a.status.as_deref(), a.message.as_deref(), false)?;
        let redirect_url = a.redirect_url.filter(|u| !u.is_empty());
        if let Some(u) = &redirect_url {
            wire::check_browser_url(u, "redirect_url", &body)?;
        }
        let status = Status::parse(&wire::required(a.status, "status", &body)?);
        let state = match status.state() {
            State::Done if redirect_url.is_some() => State::Pending,
            other => other,
        };
        Ok(TokenPayResult {
            state,
            status,
            message: a.message,
            result: a.result.filter(|v| !v.is_null()),
            redirect_url,
        })
    }
}

/// A saved card (`/get-status-card`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CardInfo {
    /// The card: `active` [`State::Done`], `rejected`/`expired`/`session_expired`
    /// [`State::Declined`], `new`/`pending`/unknown [`State::Pending`]
    /// ([`CardStatus::state`]).
    pub state: State,
    /// The card id.
    pub id: Option<String>,
    /// The name on the card.
    pub name: Option<String>,
    /// The card mask.
    pub mask: Option<String>,
    /// The card's state.
    pub status: CardStatus,
    /// Expiry, as EPoint writes it.
    pub expired_date: Option<String>,
    /// The description given at registration.
    pub description: Option<String>,
}

impl CardInfo {
    pub(crate) fn parse(response: HttpResponse) -> Res<Self> {
        let (a, body): (CardAnswer, _) = wire::json_answer(response)?;
        wire::refusal(a.status.as_deref(), a.message.as_deref(), true)?;
        let status = CardStatus::parse(&wire::required(a.status, "status", &body)?);
        Ok(CardInfo {
            state: status.state(),
            status,
            id: a.id,
            name: a.name,
            mask: a.mask,
            expired_date: a.expired_date,
            description: a.description,
        })
    }
}

/// EPoint's health (`GET /api/heartbeat`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct HeartbeatStatus {
    /// The `status` received; `ok` when healthy.
    pub status: String,
}

impl HeartbeatStatus {
    /// Whether EPoint said `ok`.
    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }

    pub(crate) fn parse(response: HttpResponse) -> Res<Self> {
        let (a, body): (Answer, _) = wire::json_answer(response)?;
        Ok(HeartbeatStatus {
            status: wire::required(a.status, "status", &body)?,
        })
    }
}

/// What `/checkout` answered: it is meant for a browser, so this only says whether EPoint
/// accepted the form (a page or a redirect) and where it points.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CheckoutPage {
    /// The HTTP status (200 or a 3xx redirect).
    pub status: u16,
    /// The `Location` of a redirect.
    pub location: Option<String>,
}

impl CheckoutPage {
    pub(crate) fn parse(response: HttpResponse) -> Res<Self> {
        ResponseError::check_size(response.body())?;
        let status = response.status();
        if !(status.is_success() || status.is_redirection()) {
            return Err(ResponseError::Status {
                status,
                body: response.into_body().into(),
            });
        }
        // A JSON refusal (`{"status":"error",...}`) is still a refusal.
        if let Ok(a) = serde_json::from_slice::<Answer>(response.body()) {
            wire::refusal(a.status.as_deref(), a.message.as_deref(), true)?;
        }
        Ok(CheckoutPage {
            status: status.as_u16(),
            location: response
                .headers()
                .get(http::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        })
    }
}

/// Pass-through JSON answers (`/token/apple/session`, `/wallet/status`), refused when they
/// carry `status` `error`/`server_error`.
pub(crate) fn parse_value(response: HttpResponse) -> Res<Value> {
    let (v, _): (Value, _) = wire::json_answer(response)?;
    if let Some(obj) = v.as_object() {
        let status = obj.get("status").and_then(Value::as_str);
        let message = obj.get("message").and_then(Value::as_str);
        wire::refusal(status, message, true)?;
    }
    Ok(v)
}
