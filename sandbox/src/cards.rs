//! Test card numbers the hosted pages know.

/// Kapital JSON test card (Visa), from Kapital's docs. EPoint accepts it too.
pub const KAPITAL_VISA: &str = "4169741330151778";
/// Kapital JSON test card (Mastercard), from Kapital's docs.
pub const KAPITAL_MASTERCARD: &str = "5239151747183468";
/// TWEC test card, from Kapital's TWEC doc (exp 05/23, CVV2 447).
pub const TWEC: &str = "4169733213495869";
/// Always declined, on every gateway.
pub const DECLINE: &str = "4000000000000002";

// Azericard: the official document's test cards (PROVIDERS.md §2.1), approved by its page.
/// Azericard test Visa (05/31, CVV 796).
pub const AZERICARD_VISA: &str = "4127208104942601";
/// Azericard test Mastercard (05/31, CVV 609).
pub const AZERICARD_MASTERCARD: &str = "5167513332880780";
/// Azericard's second test Visa (04/31, CVV 536).
pub const AZERICARD_VISA_2: &str = "4127214121630724";
