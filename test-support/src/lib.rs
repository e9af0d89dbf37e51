//! Test support shared by azpay's crates (`publish = false`), so that no test includes another
//! crate's file with `#[path]`.
//!
//! - [`fuzz`]: the bodies of the cargo-fuzz targets and their independent decoders (the fuzz
//!   workspace's `azpay_fuzz` re-exports it; `azpay-core`'s regression and property tests
//!   call it).
//! - [`http1`]: a minimal HTTP/1.1 client over `std::net`, the transport of `azpay-core`'s
//!   runtime-independence examples.
//! - feature `transport`: [`tls_server`] (test PKI, mutual-TLS server, fake gateway),
//!   [`fault`] (the sandbox with injected faults) and [`e2e`] (every sandbox scenario, generic
//!   over the transport) and [`trace_capture`] (every `tracing`/`log` record at TRACE, and the
//!   no-secret check), used by both transports' tests.
//! - feature `axum-shop`: [`axum_shop`], the shop of `azpay-axum`'s example and tests.
#![forbid(unsafe_code)]
// `new` here makes a PKI or binds a socket: not something `Default` should hide.
#![allow(clippy::new_without_default)]

pub mod fuzz;
pub mod http1;
pub mod shape;

#[cfg(feature = "transport")]
pub mod e2e;
#[cfg(feature = "transport")]
pub mod fault;
#[cfg(feature = "transport")]
pub mod tls_server;
#[cfg(feature = "transport")]
pub mod trace_capture;

#[cfg(feature = "axum-shop")]
pub mod axum_shop;
