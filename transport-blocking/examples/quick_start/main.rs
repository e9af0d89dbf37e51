//! The README's blocking quick start, word for word (`readme_snippet.rs`; a test checks that it
//! is the README's first Rust block and runs this example against the sandbox). Try it:
//!
//! ```text
//! azpay sandbox > sandbox.env &
//! set -a; . ./sandbox.env; set +a
//! cargo run -p azpay-transport-blocking --example quick_start
//! ```

include!("readme_snippet.rs");
