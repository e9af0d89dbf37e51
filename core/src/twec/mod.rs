//! The TWEC / TranzWare e-commerce gateway (Compass Plus "TWEC PG"): `TKKPG` XML documents
//! POSTed over mutual TLS, as run by Kapital Bank and, with small differences, by other banks
//! (UBRR, ForteBank, Mutual Trust Bank, Nabil Bank, Liberty Bank, ...).
//!
//! - Operations: [`CreateOrder`] (purchase or pre-authorisation), [`GetOrderStatus`],
//!   [`GetOrderInformation`], [`Completion`], [`Reverse`], [`Refund`].
//! - The browser-delivered result (`xmlmsg`): [`parse_xmlout`] gives an [`UnverifiedXmlOut`]
//!   whose only road to a trusted status is [`UnverifiedXmlOut::verify`]. XMLOut is the
//!   `<Message>` the gateway hands the customer's **browser** to POST to the ApproveURL,
//!   CancelURL or DeclineURL. It is not to be trusted: it travels through the browser, is
//!   unsigned on Kapital (and on most banks), and anyone can POST a forged
//!   `<OrderStatus>APPROVED</OrderStatus>` to your approve URL; Kapital's document requires
//!   a `GetOrderStatus` call before delivering goods. So an [`UnverifiedXmlOut`] has no
//!   "paid" accessor; its claimed outcome is reachable only through methods named
//!   `unverified_…`.
//! - Flows: [`RefundPayment`] (a refund that fetches the payment's `TwoId` with
//!   `GetOrderInformation` first when it is not known).
//! - Codes: [`StatusCode`], [`OrderStatus`], [`ResponseCode`].
//! - Outcomes: every output carries `state` ([`crate::State`]): [`OrderStatus::state`] for
//!   the status queries, [`ResponseCode::action_state`] for Completion, Reverse and Refund.
//!
//! Requests are `POST {base_url}` with `Content-Type: application/xml; charset=utf-8` and a
//! compact UTF-8 document `<?xml version="1.0" encoding="UTF-8"?><TKKPG><Request>…</Request></TKKPG>`.
//! The gateway authenticates the merchant by its TLS client certificate only: give the
//! transport a [`crate::ClientIdentity`]; this configuration holds no secret.
//!
//! Amounts are integer minor units on this wire (30 AZN is `3000`), written from [`Amount`].

mod codes;
mod config;
mod flows;
mod lookup;
mod ops;
mod outcome;
pub(crate) mod reconcile;
mod unified;
mod wire;
mod xmldoc;
mod xmlout;
mod xmlwrite;

pub use codes::{ApiError, OrderStatus, ResponseCode, StatusCode, RESPONSE_CODES};
pub use config::{
    Config, LanguageCase, RequestForm, Twec, XmlMsgEncoding, KAPITAL_PRODUCTION_URL,
    KAPITAL_TEST_URL,
};
pub use flows::{RefundPayment, STEP_GET_ORDER_INFORMATION, STEP_REFUND};
pub use ops::{
    Completion, CreateOrder, GetOrderInformation, GetOrderStatus, OrderType, Refund, Reverse,
    CONTENT_TYPE,
};
pub use outcome::{CreatedOrder, OperationOutcome, OrderInformation, OrderStatusOutcome};
pub use xmlout::{parse_xmlout, parse_xmlout_with, UnverifiedXmlOut};

#[allow(unused_imports)] // for rustdoc links
use crate::Amount;
