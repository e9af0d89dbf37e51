//! Kapital Bank's JSON e-commerce API (`/api/order…`, HTTP Basic auth, hosted payment page).
//!
//! Wire facts: `docs/wire.md`, "Kapital Bank JSON API". Every request carries `Authorization: Basic
//! base64(username:password)` (marked sensitive); bodies are JSON wrapped in an envelope key
//! (`{"order":{…}}`, `{"tran":{…}}`, `{"token":{…}}`); error bodies are *not* wrapped and may
//! come with any HTTP status ([`ApiError`]).
//!
//! | operation | request |
//! |---|---|
//! | [`CreateOrder`] | `POST /api/order` |
//! | [`GetOrder`] | `GET /api/order/{id}` (summary or detailed) |
//! | [`ExecTran`] | `POST /api/order/{id}/exec-tran` (clearing, refund, void, saved card, credit, Google Pay) |
//! | [`SetSrcToken`] | `POST /api/order/{id}/set-src-token?password=…` |
//! | [`SetDstToken`] | `POST /api/order/{id}/set-dst-token?password=…` |
//!
//! Flows of several requests: [`PayWithSavedCard`], [`Payout`], [`SavedCardPreAuth`]. The
//! browser's return `?ID=…&STATUS=…` is parsed by [`parse_redirect`] into an
//! [`UnverifiedRedirect`] that only leads to a [`GetOrder`] query.
//!
//! ```
//! use azpay_core::{execute, kapital, Amount, Currency, HttpRequest, HttpResponse, TransportError};
//!
//! let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
//! let order = kapital::CreateOrder::purchase(Amount::parse_major("1", Currency::AZN)?)
//!     .description("Testdesc");
//! let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
//!     assert_eq!(request.uri(), "https://txpgtst.kapitalbank.az/api/order");
//!     Ok(http::Response::new(
//!         br#"{"order":{"id":4595,"hppUrl":"https://txpgtst.kapitalbank.az/flex","password":"8xjpd1ejxdma","status":"Preparing","cvv2AuthStatus":"Required","secret":"312866"}}"#.to_vec(),
//!     ))
//! };
//! let created = execute(&order, &config, &transport)?;
//! assert_eq!(
//!     created.payment_url().as_deref(),
//!     Some("https://txpgtst.kapitalbank.az/flex?id=4595&password=8xjpd1ejxdma")
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod codes;
mod config;
mod error;
mod flows;
mod lookup;
mod ops;
mod outcome;
pub(crate) mod reconcile;
mod redirect;
mod unified;
mod wire;

pub use codes::{
    AuthStatus, CofPurpose, ErrorCode, InitiationEnvKind, OrderStatus, OrderType, PmoResultCode,
    TranPhase, TranType,
};
pub use config::{Config, Kapital, PROD_BASE_URL, TEST_BASE_URL};
pub use error::{ApiError, Decline, ErrorDetails};
pub use flows::{FlowOutcome, FlowStep, PayWithSavedCard, Payout, SavedCardPreAuth};
pub use ops::{
    CreateOrder, ExecTran, GetOrder, OrderState, SetDstToken, SetSrcToken, Tran, INSTALLMENT_MONTHS,
};
pub use outcome::{
    CreatedOrder, Merchant, Order, OrderTypeInfo, Terminal, Token, TokenAttached, TranResult,
    Transaction,
};
pub use redirect::{parse_redirect, RedirectError, UnverifiedRedirect, MAX_REDIRECT_BYTES};
