//! # azpay-benches
//!
//! Criterion benchmarks of azpay (run `cargo bench -p azpay-benches`) and, in `compare/`, the
//! harness that measures azpay side by side with other clients. This library holds the shared
//! fixtures the benchmarks read.

/// A typed amount text used by the money benchmark.
pub const SAMPLE_AMOUNT: &str = "12345.67";

#[cfg(test)]
mod tests {
    #[test]
    fn sample_amount_parses() {
        let a = azpay_core::Amount::parse_major(super::SAMPLE_AMOUNT, azpay_core::Currency::AZN)
            .unwrap();
        assert_eq!(a.minor(), 1_234_567);
    }
}
