//! The README's async quick start, word for word (`readme_snippet.rs`; a test checks that it
//! is the README's second Rust block and runs this example against the sandbox). Try it:
//!
//! ```text
//! azpay sandbox > sandbox.env &
//! set -a; . ./sandbox.env; set +a
//! cargo run -p azpay-transport-hyper --example quick_start_async
//! ```

include!("readme_snippet.rs");
