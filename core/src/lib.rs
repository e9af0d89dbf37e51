//! # azpay-core
//!
//! The sans-IO heart of azpay: typed operations for Azerbaijan's card-payment gateways that
//! turn into [`http::Request`] values and parse [`http::Response`] bodies into typed outcomes.
//!
//! The core opens no socket, reads no clock and draws no random number. A transport executes
//! the requests: `azpay-transport-blocking` (ureq), `azpay-transport-hyper` (hyper 1), or any
//! closure or client of your own through [`SyncTransport`] / [`AsyncTransport`].
//!
//! | module | gateway |
//! |---|---|
//! | [`epoint`] | EPoint (`epoint.az`): signed base64 JSON form API and signed callbacks |
//! | [`kapital`] | Kapital Bank JSON e-commerce API (Basic auth, hosted payment page) |
//! | [`twec`] | TWEC / TranzWare XML gateway (`TKKPG` over mutual TLS) |
//! | [`payriff`] | Payriff aggregator JSON API (secret-key header, unsigned callbacks confirmed by query) |
//! | [`azericard`] | Azericard MPI (`3dsecure.az`): RSA-signed form requests, signed callbacks confirmed by a status query |
//! | [`unified`] | one API over the three: create, verify the return, status, refund, capture, cancel |
//!
//! ```
//! use azpay_core::{execute, epoint, HttpRequest, HttpResponse, TransportError};
//!
//! let config = epoint::Config::new("i000000001", "my-private-key");
//! let pay = epoint::Pay::new(
//!     azpay_core::Amount::parse_major("30.75", azpay_core::Currency::AZN)?,
//!     "order-1",
//! );
//! // Any closure is a transport; here one that answers like EPoint does.
//! let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
//!     assert_eq!(request.uri(), "https://epoint.az/api/1/request");
//!     Ok(http::Response::new(
//!         br#"{"status":"success","transaction":"te000000001","redirect_url":"https://epoint.az/pay/1"}"#.to_vec(),
//!     ))
//! };
//! let outcome = execute(&pay, &config, &transport)?;
//! assert_eq!(outcome.transaction, "te000000001");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## One house for every gateway
//!
//! Each gateway module has the same layout, and users only ever see its flat re-exports
//! (`epoint::Pay`, `twec::OrderStatus`, …); its submodules are private. Inside, the modules
//! depend on each other in one direction only: `codes` (open enums, the gateway's
//! `ApiError`) ← `config` (`Config` and the gateway marker) ← `wire` (private serde / XML
//! shapes and parsers) / `outcome` (public answers) ← `ops` (one struct per operation) ←
//! the gateway's specials (EPoint: `sign`, `callback`; Kapital: `error`, `flows`,
//! `redirect`; TWEC: `xmlout`, `xmldoc`, `xmlwrite`); `mod.rs` only declares and re-exports.
//!
//! Every `Config` keeps its fields private. Settings are written with consuming builder
//! setters named after the setting (`base_url(..)`, `language(..)`, `approve_url(..)`) and
//! read back with accessors that never share a setter's name: `base()` for the base URL,
//! `default_<setting>()` for a value an operation may override (`default_language()`,
//! `default_redirect_url()`, `default_approve_url()`), `<setting>_in_use()` for the other
//! settings that have a setter (`currency_in_use()`, `form_in_use()`), and the plain name
//! for values only a constructor sets (`public_key()`, `username()`, `merchant_id()`).
//! Every `Config` can also be built from the variables the CLI reads (`EPOINT_*`,
//! `KAPITAL_*`, `TWEC_*`) with `Config::from_lookup(|name| …)` (the gateway's `lookup`
//! module; generic code uses the [`FromLookup`] trait): the caller passes the lookup, the
//! core never reads the environment.
//!
//! Beside the gateways: [`reconcile`] (what to do when the outcome of a request is unknown,
//! guide in `docs/unknown-outcomes.md`), [`retry`] (the policy the transports apply) and
//! [`dedupe`] (callbacks and redirects that arrive more than once).
//!
//! ## Hostile input and misconfiguration
//!
//! - **Base URLs are checked once, when the configuration is built**: every `base_url(..)`
//!   setter (and `twec::Config::generic`) returns `Result<Config, BuildError>`. The URL must
//!   be `https://` (plain `http://` only for a loopback host: `localhost`, `127.0.0.0/8`,
//!   `[::1]`; never for TWEC, which runs over mutual TLS), with a valid host, a port from 1
//!   to 65535, and no user name or password, query or fragment. Constructors with built-in
//!   URLs cannot fail.
//! - **URLs for a browser** in answers (EPoint `redirect_url` / `widget_url`, Kapital
//!   `hppUrl`, TWEC `Order/URL`) must be `https://` (or loopback `http://`); anything else is
//!   [`ResponseError::Malformed`] naming the field.
//! - **Identifiers and secrets are checked when a request is built**: ids must not be empty
//!   or only whitespace, hold control characters or Unicode direction controls, or exceed the
//!   gateway's documented length (255 characters where none is documented); an empty or
//!   whitespace-only private key, username or password is a [`BuildError`] there too.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub use http;
/// The JSON crate whose types appear in this API (`other_attr`, [`epoint::sign_callback`]'s
/// payload, raw JSON answers): use `azpay_core::serde_json` to get the very same version.
pub use serde_json;

pub mod azericard;
pub mod dedupe;
pub mod epoint;
pub mod error;
mod input;
pub mod kapital;
pub mod language;
pub mod lookup;
pub mod money;
mod open_enum;
pub mod operation;
pub mod payriff;
pub mod reconcile;
pub mod retry;
pub mod state;
pub mod transport;
pub mod twec;
pub mod unified;

pub use error::{BuildError, Error, FlowError, RawBody, ResponseError, SignatureError};
pub use language::Language;
pub use lookup::FromLookup;
pub use money::{Amount, AmountError, Currency, JsonDecimal};
pub use operation::{
    execute, execute_async, execute_flow, execute_flow_async, parse_after_sending, ApiErrorOf,
    ConfigOf, Flow, Gateway, OneStep, Operation, Step,
};
pub use state::State;
pub use transport::{
    AsyncTransport, ClientIdentity, Phase, RequestMeta, SyncTransport, TransportError,
    TransportErrorKind,
};

/// The request type every operation builds: an [`http::Request`] with the body as bytes.
pub type HttpRequest = http::Request<Vec<u8>>;
/// The response type every operation parses: an [`http::Response`] with the body as bytes.
pub type HttpResponse = http::Response<Vec<u8>>;

/// The most bytes any parser of the core reads from one body (1 MiB). Larger bodies are
/// refused with [`ResponseError::TooLarge`] before any parsing starts.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
