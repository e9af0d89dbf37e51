//! Test card numbers the hosted pages know.

/// Kapital JSON test card (Visa), from Kapital's docs. EPoint accepts it too.
pub const KAPITAL_VISA: &str = "4169741330151778";
/// Kapital JSON test card (Mastercard), from Kapital's docs.
pub const KAPITAL_MASTERCARD: &str = "5239151747183468";
/// TWEC test card, from Kapital's TWEC doc (exp 05/23, CVV2 447).
pub const TWEC: &str = "4169733213495869";
/// Always declined, on every gateway.
pub const DECLINE: &str = "4000000000000002";

// EPoint: amounts (not cards) that decide saved-card charges and payouts (issue 17); see
// `epoint_settings` for the answers they produce.

/// EPoint: a saved-card charge or payout of `1.16` AZN is refused
/// `{"status":"failed","code":"116",…}` (insufficient funds).
pub const EPOINT_INSUFFICIENT_FUNDS: &str = "1.16";
/// EPoint: a saved-card charge or payout of `2.22` AZN is left undecided (`"status":"new"`).
pub const EPOINT_UNDECIDED: &str = "2.22";
/// EPoint: a saved-card charge or payout of `3.33` AZN answers an unrecognised status word
/// (the default of `EPointSettings::unknown_word_amount`).
pub const EPOINT_UNKNOWN_WORD: &str = "3.33";
