//! Payriff (`api.payriff.com`): the aggregator's JSON API, v3.
//!
//! Every request carries the application's secret key raw in `Authorization` (no scheme,
//! marked sensitive); there is no request signing. Bodies are JSON; amounts are JSON numbers
//! in major units written exactly from the amount (`10.50`, never through a float). Every
//! answer is an envelope `{code, message, internalMessage?, route?, responseId, payload}`:
//! **only `code` `00000` is success**, and a failure may come with HTTP 200 (it is then the
//! typed [`ApiError`], never a success). `01000` (a rejection) of a refund, capture,
//! saved-card charge or expiry is an output with [`crate::State::Declined`].
//!
//! | operation | request |
//! |---|---|
//! | [`CreateOrder`] | `POST /api/v3/orders` (`PURCHASE` / `PRE_AUTH`, `X-REQUEST-RRN`) |
//! | [`GetOrder`] | `GET /api/v3/orders/{orderId}` |
//! | [`GetOrderStatus`] | `GET /api/v3/orders/{orderId}/status` |
//! | [`GetOrderByRrn`] | `GET /api/v3/orders/{requestRrn}/rrn` |
//! | [`ExpireOrder`] | `PATCH /api/v3/expire-status?orderId=` |
//! | [`Refund`] | `POST /api/v3/refund` (full or partial, `X-REQUEST-RRN`) |
//! | [`Capture`] | `POST /api/v3/complete` (full or less than held, `X-REQUEST-RRN`) |
//! | [`AutoPay`] | `POST /api/v3/autoPay` (a saved card, `X-REQUEST-RRN`) |
//! | [`SaveCard`], [`GetCardSave`], [`ListSavedCards`], [`DeleteCard`] | `/api/v3/cards/save…`, `DELETE /api/v3/cards/{cardUuid}` |
//! | [`ListTransactions`] | `GET /api/v3/transactions` |
//!
//! Not covered: direct card entry (`directPay`, which puts the merchant in PCI scope),
//! payouts, and the v2 invoices and v2 `createOrder` (the public sources disagree on them).
//!
//! **Safe retries by RRN.** Every payment-changing operation takes a request RRN you choose
//! and keep before sending; after an unknown outcome, [`crate::reconcile::payriff`] finds the
//! order (or the refund / capture) by that RRN instead of sending again: this is how a
//! merchant avoids paying twice.
//!
//! **Callbacks are unsigned.** [`parse_callback`] gives an [`UnverifiedCallback`] whose only
//! way to a trusted status is [`GetOrder`].
//!
//! ```
//! use azpay_core::{execute, payriff, Amount, Currency, HttpRequest, HttpResponse, State, TransportError};
//!
//! let config = payriff::Config::new("app-key");
//! let op = payriff::CreateOrder::purchase(Amount::parse_major("10", Currency::AZN)?, "rrn-1");
//! let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
//!     assert_eq!(request.headers()["authorization"], "app-key");
//!     Ok(http::Response::new(
//!         br#"{"code":"00000","message":"Operation performed successfully","payload":{"orderId":"ORD-1","paymentUrl":"https://pay.payriff.com/ORD-1","transactionId":77}}"#.to_vec(),
//!     ))
//! };
//! let created = execute(&op, &config, &transport)?;
//! assert_eq!(created.state, State::Done);
//! assert_eq!(created.order_id, "ORD-1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod callback;
mod codes;
mod config;
mod lookup;
mod ops;
mod outcome;
pub(crate) mod reconcile;
mod unified;
pub(crate) mod wire;

pub use callback::{parse_callback, CallbackError, UnverifiedCallback, MAX_CALLBACK_BYTES};
pub use codes::{ApiError, CardSaveStatus, OrderOperation, PaymentStatus, ResultCode};
pub use config::{Config, Payriff, DEFAULT_BASE_URL, SAUDI_BASE_URL};
pub use ops::{
    AutoPay, Capture, CreateOrder, DeleteCard, ExpireOrder, GetCardSave, GetOrder, GetOrderByRrn,
    GetOrderStatus, ListSavedCards, ListTransactions, Refund, SaveCard,
};
pub use outcome::{
    ActionResult, CardSave, Charge, CreatedOrder, OrderInfo, OrderTransaction, SavedCard,
    SavedCards, TransactionRow, TransactionsPage,
};
