//! EPoint (`epoint.az`): signed JSON-in-base64 form API with signed callbacks
//! (wire facts: `docs/wire.md`, "EPoint").
//!
//! Every call is a `POST` to `{base}/api/1/<name>` with a form body
//! `data=<base64 JSON>&signature=<base64 sha1>`; see [`signature`]. One struct per
//! operation ([`Pay`], [`GetStatus`], [`PayWithSavedCard`], …); the server's signed callback
//! is checked by [`verify_callback`].
//!
//! ```
//! use azpay_core::{epoint, execute, Amount, Currency, HttpRequest, HttpResponse, TransportError};
//!
//! let config = epoint::Config::new("i000000001", "private-key");
//! let pay = epoint::Pay::new(Amount::parse_major("30.75", Currency::AZN)?, "order-1")
//!     .description("test payment");
//! let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
//!     assert_eq!(request.uri(), "https://epoint.az/api/1/request");
//!     Ok(http::Response::new(
//!         br#"{"status":"success","transaction":"te000000001","redirect_url":"https://epoint.az/pay/1"}"#
//!             .to_vec(),
//!     ))
//! };
//! let redirect = execute(&pay, &config, &transport)?;
//! assert_eq!(redirect.redirect_url, "https://epoint.az/pay/1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod callback;
mod codes;
mod config;
mod envelope;
mod lookup;
mod ops;
mod outcome;
pub(crate) mod reconcile;
mod sign;
mod unified;
mod wire;

pub use callback::{sign_callback, verify_callback, verify_callback_request, Callback};
pub use codes::{ApiError, BankCode, CardStatus, OperationCode, Status};
pub use config::{Config, EPoint, DEFAULT_BASE_URL};
pub use ops::{
    ApplePay, AppleSession, Checkout, GetCardStatus, GetStatus, GooglePay, Heartbeat, Pay,
    PayAndSaveCard, PayWithSavedCard, Payout, PreAuth, PreAuthComplete, Refund, SaveCard, SplitPay,
    SplitPayAndSaveCard, SplitPayWithSavedCard, TokenPayment, TokenWidget, WalletPayment,
    WalletStatus,
};
pub use outcome::{
    Acknowledgement, CardInfo, CheckoutPage, HeartbeatStatus, PaymentRedirect, PaymentResult,
    PaymentStatus, SavedCardRedirect, TokenPayResult, TokenPaymentCreated, WidgetUrl,
};
pub use sign::signature;
