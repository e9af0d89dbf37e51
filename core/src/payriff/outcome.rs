//! What Payriff's operations return. Each output carries the uniform [`State`] beside
//! Payriff's own `code` and `paymentStatus`.

use super::codes::*;
use super::wire::{self, raw_text, text, RErr, Reply};
use crate::{Amount, Currency, JsonDecimal, ResponseError, State};

fn amount_in(value: Option<JsonDecimal>, currency: Option<&str>) -> Option<Amount> {
    let currency = Currency::from_alpha(currency?).ok()?;
    value?.amount(currency).ok()
}

fn required(value: Option<String>, field: &str, body: &[u8]) -> Result<String, RErr> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(ResponseError::malformed(
            format!("payload.{field} is missing or empty"),
            body.to_vec(),
        )),
    }
}

/// A new order (`POST /api/v3/orders`): send the customer to [`CreatedOrder::payment_url`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct CreatedOrder {
    /// [`State::Done`]: the payment page was created (the payment itself is not made yet).
    pub state: State,
    /// `code` (`00000`).
    pub code: ResultCode,
    /// `payload.orderId`.
    pub order_id: String,
    /// `payload.paymentUrl`: the hosted payment page (checked to be an https URL).
    pub payment_url: String,
    /// `payload.sessionId`.
    pub session_id: Option<String>,
    /// `payload.transactionId`.
    pub transaction_id: Option<String>,
    /// `payload.amount`, in the order's currency.
    pub amount: Option<Amount>,
    /// `payload.fee`.
    pub fee: Option<Amount>,
    /// `payload.totalAmount`.
    pub total_amount: Option<Amount>,
    /// `payload.comissionRate` (sic) as written.
    pub commission_rate: Option<String>,
    /// `responseId`.
    pub response_id: Option<String>,
}

pub(crate) fn created_order(
    reply: Reply<wire::WireCreated>,
    currency: Currency,
    body: &[u8],
) -> Result<CreatedOrder, RErr> {
    let p = reply.payload.unwrap_or_default();
    let order_id = required(text(p.order_id), "orderId", body)?;
    let payment_url = required(text(p.payment_url), "paymentUrl", body)?;
    if let Err(reason) = crate::input::browser_url(&payment_url) {
        return Err(ResponseError::malformed(
            format!("payload.paymentUrl {reason}"),
            body.to_vec(),
        ));
    }
    let alpha = Some(currency.alpha());
    Ok(CreatedOrder {
        state: State::Done,
        code: reply.code,
        order_id,
        payment_url,
        session_id: text(p.session_id),
        transaction_id: text(p.transaction_id),
        amount: amount_in(p.amount, alpha),
        fee: amount_in(p.fee, alpha),
        total_amount: amount_in(p.total_amount, alpha),
        commission_rate: text(p.commission_rate),
        response_id: reply.response_id,
    })
}

/// A transaction of an order (`transactions[]`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct OrderTransaction {
    /// `uuid`.
    pub uuid: Option<String>,
    /// `status`.
    pub status: Option<PaymentStatus>,
    /// `createdDate` as written.
    pub created_date: Option<String>,
    /// `channel` (the acquiring bank).
    pub channel: Option<String>,
    /// `requestRrn`: the `X-REQUEST-RRN` the merchant sent.
    pub request_rrn: Option<String>,
    /// `responseRrn`.
    pub response_rrn: Option<String>,
    /// `cardDetails.maskedPan`.
    pub masked_pan: Option<String>,
    /// `cardDetails.brand`.
    pub card_brand: Option<String>,
    /// `cardUuid` (or `cardDetails.uuid`): the saved card, when one was saved.
    pub card_uuid: Option<String>,
    /// `responseDescription`.
    pub response_description: Option<String>,
}

/// An order as `GET /api/v3/orders/{id}` (also `/status`, `/{rrn}/rrn`, and the
/// confirmed callback) reports it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct OrderInfo {
    /// The uniform state of the payment, from `paymentStatus` ([`PaymentStatus::state`]).
    pub state: State,
    /// `paymentStatus` (absent: `Other("")`, pending).
    pub payment_status: PaymentStatus,
    /// `orderId`.
    pub order_id: String,
    /// `amount` in `currencyType`, when azpay knows the currency.
    pub amount: Option<Amount>,
    /// `paidAmount`.
    pub paid_amount: Option<Amount>,
    /// `currencyType` as written.
    pub currency: Option<String>,
    /// `operationType` (`PURCHASE`, `PRE_AUTH`).
    pub operation_type: Option<OrderOperation>,
    /// `invoiceUuid`.
    pub invoice_uuid: Option<String>,
    /// `auto`: charged automatically (a saved card).
    pub auto: Option<bool>,
    /// `createdDate` as written.
    pub created_date: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `metadata` (or `customFields`) as JSON text.
    pub metadata: Option<String>,
    /// `transactions[]`.
    pub transactions: Vec<OrderTransaction>,
    /// `responseId`.
    pub response_id: Option<String>,
}

impl OrderInfo {
    /// Whether the order is paid (`APPROVED`, `ACCEPTED`).
    pub fn is_paid(&self) -> bool {
        self.payment_status.is_paid()
    }
}

pub(crate) fn order_info(
    p: wire::WireOrder,
    response_id: Option<String>,
    body: &[u8],
    asked_id: Option<&str>,
) -> Result<OrderInfo, RErr> {
    let order_id = required(
        text(p.order_id).or_else(|| asked_id.map(str::to_owned)),
        "orderId",
        body,
    )?;
    let currency = text(p.currency_type);
    let payment_status = p
        .payment_status
        .unwrap_or_else(|| PaymentStatus::Other(String::new()));
    let transactions = p
        .transactions
        .unwrap_or_default()
        .into_iter()
        .map(|t| {
            let card = t.card_details.unwrap_or_default();
            OrderTransaction {
                uuid: text(t.uuid),
                status: t.status,
                created_date: text(t.created_date),
                channel: text(t.channel),
                request_rrn: text(t.request_rrn),
                response_rrn: text(t.response_rrn),
                masked_pan: text(card.masked_pan),
                card_brand: text(card.brand),
                card_uuid: text(t.card_uuid).or_else(|| text(card.uuid)),
                response_description: text(t.response_description),
            }
        })
        .collect();
    Ok(OrderInfo {
        state: payment_status.state(),
        amount: amount_in(p.amount, currency.as_deref()),
        paid_amount: amount_in(p.paid_amount, currency.as_deref()),
        payment_status,
        order_id,
        currency,
        operation_type: p.operation_type,
        invoice_uuid: text(p.invoice_uuid),
        auto: p.auto,
        created_date: text(p.created_date),
        description: text(p.description),
        metadata: raw_text(p.metadata).or_else(|| raw_text(p.custom_fields)),
        transactions,
        response_id,
    })
}

/// The answer to a payment-changing request without an order in return (refund, capture,
/// expire, delete a saved card): `00000` is [`State::Done`], `01000` [`State::Declined`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ActionResult {
    /// Done (`00000`) or declined (`01000`, a rejection).
    pub state: State,
    /// `code`.
    pub code: ResultCode,
    /// `message`.
    pub message: Option<String>,
    /// `responseId`.
    pub response_id: Option<String>,
}

pub(crate) fn action<T>(reply: Reply<T>) -> ActionResult {
    ActionResult {
        state: if reply.code.is_success() {
            State::Done
        } else {
            State::Declined
        },
        code: reply.code,
        message: reply.message,
        response_id: reply.response_id,
    }
}

/// A saved card charged (`POST /api/v3/autoPay`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Charge {
    /// Done when `paymentStatus` says paid or held, declined on `01000` or a declining
    /// status, pending otherwise (3-D Secure, an unknown word, no status at all).
    pub state: State,
    /// `code`.
    pub code: ResultCode,
    /// `message`.
    pub message: Option<String>,
    /// The order charged, when the payload carried one.
    pub order: Option<OrderInfo>,
    /// `payload.paymentUrl`, when the charge needs the customer (3-D Secure).
    pub payment_url: Option<String>,
}

pub(crate) fn charge(reply: Reply<wire::WireOrder>, body: &[u8]) -> Result<Charge, RErr> {
    let rejected = reply.code.is_rejection();
    let (order, payment_url) = match reply.payload {
        Some(p) => {
            let url = text(p.payment_url.clone());
            if rejected {
                (
                    order_info(p, reply.response_id.clone(), body, None).ok(),
                    url,
                )
            } else {
                (
                    Some(order_info(p, reply.response_id.clone(), body, None)?),
                    url,
                )
            }
        }
        None => (None, None),
    };
    let state = if rejected {
        State::Declined
    } else {
        match &order {
            Some(o) if o.payment_status != PaymentStatus::Other(String::new()) => match o.state {
                State::Returned => State::Pending,
                s => s,
            },
            _ => State::Pending,
        }
    };
    Ok(Charge {
        state,
        code: reply.code,
        message: reply.message,
        order,
        payment_url,
    })
}

/// A card-save request or its details (`POST /api/v3/cards/save`,
/// `GET /api/v3/cards/save/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct CardSave {
    /// For the save request: [`State::Done`] (the page was created). For its details:
    /// [`CardSaveStatus::state`].
    pub state: State,
    /// `cardSaveId`.
    pub card_save_id: String,
    /// `status`.
    pub status: Option<CardSaveStatus>,
    /// `orderId`.
    pub order_id: Option<String>,
    /// `paymentUrl`: where the customer enters the card.
    pub payment_url: Option<String>,
    /// `cardUuid`: charge it with [`crate::payriff::AutoPay`] once `VERIFIED`.
    pub card_uuid: Option<String>,
    /// `maskedPan`.
    pub masked_pan: Option<String>,
    /// `cardBrand`.
    pub card_brand: Option<String>,
    /// `customerRef`.
    pub customer_ref: Option<String>,
    /// `amount` (the verification amount) in `currency`.
    pub amount: Option<Amount>,
}

pub(crate) fn card_save(
    reply: Reply<wire::WireCardSave>,
    created: bool,
    body: &[u8],
) -> Result<CardSave, RErr> {
    let p = reply.payload.unwrap_or_default();
    let card_save_id = required(text(p.card_save_id), "cardSaveId", body)?;
    let payment_url = text(p.payment_url);
    if let Some(u) = &payment_url {
        if let Err(reason) = crate::input::browser_url(u) {
            return Err(ResponseError::malformed(
                format!("payload.paymentUrl {reason}"),
                body.to_vec(),
            ));
        }
    }
    let currency = text(p.currency);
    let state = if created {
        State::Done
    } else {
        p.status
            .as_ref()
            .map_or(State::Pending, CardSaveStatus::state)
    };
    Ok(CardSave {
        state,
        card_save_id,
        status: p.status,
        order_id: text(p.order_id),
        payment_url,
        card_uuid: text(p.card_uuid),
        masked_pan: text(p.masked_pan),
        card_brand: text(p.card_brand),
        customer_ref: text(p.customer_ref),
        amount: amount_in(p.amount, currency.as_deref()),
    })
}

/// A saved card of a customer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct SavedCard {
    /// `cardUuid`.
    pub card_uuid: String,
    /// `maskedPan`.
    pub masked_pan: Option<String>,
    /// `cardBrand`.
    pub card_brand: Option<String>,
    /// `createdDate`.
    pub created_date: Option<String>,
}

/// The saved cards of a customer (`GET /api/v3/cards/save?customerRef=`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct SavedCards {
    /// [`State::Done`]: the list was read.
    pub state: State,
    /// The cards (a `null` payload is none).
    pub cards: Vec<SavedCard>,
}

pub(crate) fn saved_cards(
    reply: Reply<Vec<wire::WireSavedCard>>,
    body: &[u8],
) -> Result<SavedCards, RErr> {
    let cards = reply
        .payload
        .unwrap_or_default()
        .into_iter()
        .map(|c| {
            Ok(SavedCard {
                card_uuid: required(text(c.card_uuid), "[].cardUuid", body)?,
                masked_pan: text(c.masked_pan),
                card_brand: text(c.card_brand),
                created_date: text(c.created_date),
            })
        })
        .collect::<Result<Vec<_>, RErr>>()?;
    Ok(SavedCards {
        state: State::Done,
        cards,
    })
}

/// A row of the transactions list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct TransactionRow {
    /// [`PaymentStatus::state`] of the row's `paymentStatus`.
    pub state: State,
    /// `paymentStatus`.
    pub payment_status: Option<PaymentStatus>,
    /// `id`.
    pub id: Option<String>,
    /// `orderId`.
    pub order_id: Option<String>,
    /// `rrn`.
    pub rrn: Option<String>,
    /// `amount` in `currencyType`.
    pub amount: Option<Amount>,
    /// `refundAmount`.
    pub refund_amount: Option<Amount>,
    /// `currencyType` as written.
    pub currency: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `createdDate` as written.
    pub created_date: Option<String>,
}

/// One page of `GET /api/v3/transactions`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct TransactionsPage {
    /// [`State::Done`]: the page was read.
    pub state: State,
    /// `content[]`.
    pub transactions: Vec<TransactionRow>,
    /// `totalElements`.
    pub total_elements: Option<u64>,
    /// `totalPages`.
    pub total_pages: Option<u64>,
    /// `number`: this page's index, from 0.
    pub page: Option<u64>,
    /// `last`.
    pub last: Option<bool>,
}

pub(crate) fn transactions(reply: Reply<wire::WirePage>) -> TransactionsPage {
    let p = reply.payload.unwrap_or_default();
    let transactions = p
        .content
        .unwrap_or_default()
        .into_iter()
        .map(|t| {
            let currency = text(t.currency_type);
            TransactionRow {
                state: t
                    .payment_status
                    .as_ref()
                    .map_or(State::Pending, PaymentStatus::state),
                payment_status: t.payment_status,
                id: text(t.id),
                order_id: text(t.order_id),
                rrn: text(t.rrn),
                amount: amount_in(t.amount, currency.as_deref()),
                refund_amount: amount_in(t.refund_amount, currency.as_deref()),
                currency,
                description: text(t.description),
                created_date: text(t.created_date),
            }
        })
        .collect();
    TransactionsPage {
        state: State::Done,
        transactions,
        total_elements: p.total_elements,
        total_pages: p.total_pages,
        page: p.number,
        last: p.last,
    }
}
