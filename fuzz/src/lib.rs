//! The bodies of the fuzz targets, one function per target: `azpay_test_support::fuzz`
//! (`test-support/src/fuzz.rs`), re-exported here for the targets in `fuzz_targets/`.
//! `core/tests/fuzz_regressions.rs` replays the seeds and saved crashes through the very same
//! functions on the stable toolchain.

pub use azpay_test_support::fuzz::*;
