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
