//! The README's async quick start, word for word (`readme_snippet.rs`; a test checks that it
//! is the README's second Rust block and runs this example against the sandbox). Try it:
//!
//! ```text
//! azpay sandbox > sandbox.env &
//! set -a; . ./sandbox.env; set +a
//! cargo run -p azpay-transport-hyper --example quick_start_async
//! ```

// Wiring: `from_env` lands with the core's `FromLookup` trait; until then this example is
// compiled only with `--cfg azpay_from_env`.
#[cfg(azpay_from_env)]
include!("readme_snippet.rs");

#[cfg(not(azpay_from_env))]
fn main() {
    eprintln!(
        "quick_start_async needs azpay_transport_hyper::from_env (build with --cfg azpay_from_env)"
    );
    std::process::exit(2);
}
