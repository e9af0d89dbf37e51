//! Azericard (MPI / e-Gateway, `3dsecure.az`): the national processing centre's card
//! gateway, RSA-signed form requests and signed callbacks (wire facts: `docs/wire.md`,
//! "Azericard"; sources and confidence: PROVIDERS.md §2).
//!
//! Every request is a form `POST` to `{base}/cgi-bin/cgi_link` carrying `P_SIGN`: the hex of
//! an RSASSA-PKCS1-v1_5 SHA-256 signature, with the merchant's key, over the operation's
//! MAC source ([`mac_source`]: each field's length then value, `-` for an empty one). Signing
//! goes through the [`Signer`] in the [`Config`] (an HSM or KMS can implement it;
//! [`RsaPemSigner`] loads a PEM key, feature `azericard-rsa`, on by default). Older
//! terminals use the legacy HMAC-SHA1 scheme ([`Config::legacy_hmac`]).
//!
//! | operation | TRTYPE | sent by |
//! |---|---|---|
//! | [`Pay::purchase`] / [`Pay::preauth`] → [`PaymentForm`] | `1` / `0` | the customer's browser (an auto-submitting form) |
//! | [`Complete`] | `21` | the merchant's server |
//! | [`Reverse`] (online / [`Reverse::offline`]) | `22` / `24` | the merchant's server |
//! | [`GetStatus`] | `90` with `TRAN_TRTYPE` | the merchant's server |
//!
//! The core reads no clock and draws no random number: `TIMESTAMP` and `NONCE` are a
//! [`Stamp`] given to each operation, or drawn from a [`StampSource`] the caller puts in the
//! configuration.
//!
//! **Trust.** The result posted to `BACKREF` is checked by [`verify_callback`] with
//! Azericard's public key ([`Verifier`], [`RsaPublicKey`]) over `AMOUNT, TERMINAL, APPROVAL,
//! RRN, INT_REF` as received. That signature does not cover `ORDER` or `ACTION`, so a verified
//! callback is an [`UnverifiedCallback`]: only its [`UnverifiedCallback::status_query`]
//! (TRTYPE 90) tells whether the order is paid.
//!
//! **WebAssembly.** Without the `azericard-rsa` feature (ring needs a C toolchain and OS
//! randomness that `wasm32-unknown-unknown` lacks) the gateway works the same; the host
//! supplies a [`Signer`] and a [`Verifier`] (e.g. closures over WebCrypto's
//! `RSASSA-PKCS1-v1_5` with `SHA-256`).
//!
//! ```
//! use azpay_core::azericard::{Config, GetStatus, SignError, Stamp};
//! use azpay_core::{execute, HttpRequest, HttpResponse, State, TransportError};
//! let signer = |_: &[u8]| -> Result<Vec<u8>, SignError> { Ok(vec![0x5a; 256]) };
//! let config = Config::new("17202191", signer);
//! let op = GetStatus::new("000001").stamp(Stamp::new("20250123050000", "7cfb4c2512eeec72")?);
//! let t = |_: HttpRequest| -> Result<HttpResponse, TransportError> {
//!     Ok(http::Response::new(b"<response><action>2</action><rc>05</rc></response>".to_vec()))
//! };
//! assert_eq!(execute(&op, &config, &t)?.state, State::Declined);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod callback;
mod codes;
mod config;
mod lookup;
mod ops;
mod outcome;
pub(crate) mod reconcile;
mod sign;
mod unified;
mod wire;

pub use callback::{
    verify_callback, CallbackError, UnverifiedCallback, CALLBACK_MAC_FIELDS,
    LEGACY_CALLBACK_MAC_FIELDS, MAX_CALLBACK_BYTES,
};
pub use codes::{Action, ApiError, Rc, ReplyCode, TrType};
pub use config::{Azericard, Config, Stamp, StampSource, CGI_PATH, PROD_BASE_URL, TEST_BASE_URL};
pub use lookup::VARIABLES;
pub use ops::{Complete, GetStatus, Pay, Reverse};
pub use outcome::{ActionReply, PaymentForm, TransactionStatus};
pub use sign::{legacy_mac, mac_source, p_sign, KeyError, SignError, Signer, Verifier};
#[cfg(feature = "azericard-rsa")]
pub use sign::{RsaPemSigner, RsaPublicKey};
