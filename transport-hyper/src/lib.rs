//! # azpay-transport-hyper
//!
//! An asynchronous [`azpay_core::AsyncTransport`] over hyper 1, hyper-util and rustls.
//! Filled in by the transports work; this first cut only fixes the crate's place.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// The default `User-Agent` of this transport.
pub const USER_AGENT: &str = concat!("azpay/", env!("CARGO_PKG_VERSION"));

#[cfg(test)]
mod tests {
    #[test]
    fn user_agent_names_the_version() {
        assert!(super::USER_AGENT.starts_with("azpay/0."));
    }
}
