//! Test card numbers the hosted pages know.

/// Kapital JSON test card (Visa), from Kapital's docs. EPoint accepts it too.
pub const KAPITAL_VISA: &str = "4169741330151778";
/// Kapital JSON test card (Mastercard), from Kapital's docs.
pub const KAPITAL_MASTERCARD: &str = "5239151747183468";
/// TWEC test card, from Kapital's TWEC doc (exp 05/23, CVV2 447).
pub const TWEC: &str = "4169733213495869";
/// Always declined, on every gateway.
pub const DECLINE: &str = "4000000000000002";

// Payriff.
/// Payriff's documented test card (the same number as Kapital's Visa test card).
pub const PAYRIFF: &str = "4169741330151778";
/// A saved-card charge (`autoPay`) of exactly this many minor units (0.51) is declined.
pub const PAYRIFF_DECLINE_AMOUNT: u64 = 51;
