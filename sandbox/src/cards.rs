//! Test card numbers the hosted pages know.

/// Kapital JSON test card (Visa), from Kapital's docs. EPoint accepts it too.
pub const KAPITAL_VISA: &str = "4169741330151778";
/// Kapital JSON test card (Mastercard), from Kapital's docs.
pub const KAPITAL_MASTERCARD: &str = "5239151747183468";
/// TWEC test card, from Kapital's TWEC doc (exp 05/23, CVV2 447).
pub const TWEC: &str = "4169733213495869";
/// Always declined, on every gateway.
pub const DECLINE: &str = "4000000000000002";

// --- Kapital JSON API (issue 17): amounts that make the sandbox answer as the real platform
// can, for the exit-code and outcome tests. Written as the CLI takes them (major units, AZN).

/// An `exec-tran` of this amount (the request's `amount`, or the order's when it names none)
/// is executed, then answered with an HTML 500 page: the client cannot know the outcome.
pub const KAPITAL_AMOUNT_HTML_500: &str = "5.04";
/// An order of this amount, once paid, reports the status word `Processing`, which no
/// published list has (a client must read it as pending, never as paid).
pub const KAPITAL_AMOUNT_UNKNOWN_STATUS: &str = "5.05";
/// An order of this amount, once paid, reports `PartPaid` (the platform's own list).
pub const KAPITAL_AMOUNT_PART_PAID: &str = "5.06";
/// An order of this amount, refunded in full, reports `Refused` (the platform's word for an
/// order refunded in full) instead of `Refunded`.
pub const KAPITAL_AMOUNT_REFUSED: &str = "5.07";

// ---- TWEC: magic amounts (minor units of the order's `Amount`) -----------------------------

/// TWEC: an order of 13.13 is approved without a TwoId (`twoId` empty in
/// GetOrderInformation, no `TwoId` in XMLOut), so a Kapital refund cannot find one.
pub const TWEC_AMOUNT_NO_TWO_ID: u64 = 1313;
/// TWEC: Refund, Reverse and Completion of an order of 50.05 are carried out, then answered
/// with an HTML 500 page (the client cannot know the outcome).
pub const TWEC_AMOUNT_HTML_500_AFTER_ACTION: u64 = 5005;
/// TWEC: once paid, an order of 70.07 reports a status word azpay does not know (`ON-HOLD`).
pub const TWEC_AMOUNT_UNKNOWN_STATUS: u64 = 7007;
/// TWEC: a Refund of an order of 20.05 is refused by the host with response code `205`
/// (Kapital: not enough funds on the merchant's current account, seed 001).
pub const TWEC_AMOUNT_REFUND_205: u64 = 2005;
/// The status word of [`TWEC_AMOUNT_UNKNOWN_STATUS`].
pub const TWEC_UNKNOWN_STATUS_WORD: &str = "ON-HOLD";

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

// Payriff.
/// Payriff's documented test card (the same number as Kapital's Visa test card).
pub const PAYRIFF: &str = "4169741330151778";
/// A saved-card charge (`autoPay`) of exactly this many minor units (0.51) is declined.
pub const PAYRIFF_DECLINE_AMOUNT: u64 = 51;

// Azericard: the official document's test cards (PROVIDERS.md §2.1), approved by its page.
/// Azericard test Visa (05/31, CVV 796).
pub const AZERICARD_VISA: &str = "4127208104942601";
/// Azericard test Mastercard (05/31, CVV 609).
pub const AZERICARD_MASTERCARD: &str = "5167513332880780";
/// Azericard's second test Visa (04/31, CVV 536).
pub const AZERICARD_VISA_2: &str = "4127214121630724";
