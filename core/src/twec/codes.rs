//! TWEC codes: the request-level [`StatusCode`], the [`OrderStatus`] of an order and the
//! 3-digit [`ResponseCode`] of the processing host (the `ResponceList` (sic) of Kapital's
//! TKKPG document, English text).
//!
//! All three are open: a value the tables do not know is kept as received and never fails a
//! parse.

use std::fmt;

use crate::open_enum::{open_enum, open_word_serde};
use crate::State;

open_enum! {
    /// The request-level `Response/Status` of every TKKPG answer. Only `00` is success; any
    /// other value becomes [`super::ApiError`].
    ///
    /// ```
    /// use azpay_core::twec::StatusCode;
    /// assert_eq!(StatusCode::parse("30"), StatusCode::FormatError);
    /// assert!(StatusCode::parse("00").is_success());
    /// assert_eq!(StatusCode::parse("77").as_str(), "77");
    /// ```
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum StatusCode {
        /// `00`: success.
        Success = "00",
        /// `10`: the merchant has no access to the operation, or is not registered.
        NoAccess = "10",
        /// `30`: wrong message format (mandatory fields missing, etc.).
        FormatError = "30",
        /// `54`: invalid operation.
        InvalidOperation = "54",
        /// `11`: see [`StatusCode::description`].
        Code11 = "11",
        /// `55`: see [`StatusCode::description`].
        Code55 = "55",
        /// `72`: see [`StatusCode::description`].
        Code72 = "72",
        /// `96`: system error.
        SystemError = "96",
        /// `97`: see [`StatusCode::description`].
        Code97 = "97",
        /// `98`: see [`StatusCode::description`].
        Code98 = "98",
        Other(String),
    }
    match Trimmed;
}

impl StatusCode {
    /// What the value means, where the gateway's documentation says; `None` for
    /// [`Self::Other`].
    pub fn description(&self) -> Option<&'static str> {
        Some(match self {
            StatusCode::Success => "success",
            StatusCode::NoAccess => {
                "the merchant has no access to this operation (or is not registered)"
            }
            StatusCode::FormatError => "wrong message format (mandatory fields missing, etc.)",
            StatusCode::InvalidOperation => "invalid operation",
            StatusCode::SystemError => "system error",
            // 11, 55, 72, 97, 98: the request-status list of the TranzWare vendor's
            // "Integration Instruction TWEC PG" (the document `Ab-Alselwi/tranzware-payment-gateway`
            // README links as docs/Integration_Instruction_TWEC_PG-En.pdf; issue 12 names the
            // codes). The PDF itself is not among the stored sources, so these texts say only
            // what azpay can vouch for: that the gateway refused the request with that code.
            StatusCode::Code11 => "refused by the gateway (vendor status 11)",
            StatusCode::Code55 => "refused by the gateway (vendor status 55)",
            StatusCode::Code72 => "refused by the gateway (vendor status 72)",
            StatusCode::Code97 => "refused by the gateway (vendor status 97)",
            StatusCode::Code98 => "refused by the gateway (vendor status 98)",
            StatusCode::Other(_) => return None,
        })
    }
    /// Whether this is `00`.
    pub fn is_success(&self) -> bool {
        matches!(self, StatusCode::Success)
    }

    /// How the request-level status maps onto the outcome model: `00` is
    /// [`State::Done`] (the request was taken); every other code, known or not, is a refusal
    /// of the request, which azpay reports as an error ([`super::ApiError`], CLI exit 1), never
    /// as an outcome: `None`.
    pub fn state(&self) -> Option<State> {
        self.is_success().then_some(State::Done)
    }
}

open_enum! {
    /// The state of an order (`OrderStatus`, `Orderstatus`). Matched case-insensitively;
    /// `CANCELED` (the gateway's spelling) and `CANCELLED` are the same value, written back as
    /// `CANCELED`.
    ///
    /// ```
    /// use azpay_core::twec::OrderStatus;
    /// assert_eq!(OrderStatus::parse("APPROVED"), OrderStatus::Approved);
    /// assert_eq!(OrderStatus::parse("CANCELLED"), OrderStatus::Canceled);
    /// assert_eq!(OrderStatus::parse("PREAUTH-APPROVED").as_str(), "PREAUTH-APPROVED");
    /// assert_eq!(OrderStatus::parse("ON-HOLD"), OrderStatus::Other("ON-HOLD".into()));
    /// ```
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum OrderStatus {
        /// `CREATED`: the order exists; the customer has not paid yet.
        Created = "CREATED",
        /// `ON-PAYMENT`: the customer is on the payment page.
        OnPayment = "ON-PAYMENT",
        /// `ON-LOCK`: the order is locked while an operation runs.
        OnLock = "ON-LOCK",
        /// `APPROVED`: paid.
        Approved = "APPROVED",
        /// `CANCELED` (also accepted: `CANCELLED`): the customer cancelled.
        Canceled = "CANCELED" | "CANCELLED",
        /// `DECLINED`: the payment was declined.
        Declined = "DECLINED",
        /// `ON-REFUND`: a refund is being processed.
        OnRefund = "ON-REFUND",
        /// `REFUNDED`: refunded.
        Refunded = "REFUNDED",
        /// `PREAUTH-APPROVED`: funds are held; a `Completion` captures them.
        PreauthApproved = "PREAUTH-APPROVED",
        /// `EXPIRED`: the order expired unpaid.
        Expired = "EXPIRED",
        /// `ERROR`: the gateway failed processing the order.
        Error = "ERROR",
        /// `REVERSED`: the payment or hold was reversed (voided).
        Reversed = "REVERSED",
        Other(String),
    }
    match TrimmedIgnoreCase;
}

impl OrderStatus {
    /// What the value means, where the gateway's documentation says; `None` for
    /// [`Self::Other`].
    pub fn description(&self) -> Option<&'static str> {
        Some(match self {
            OrderStatus::Created => "order created, not paid yet",
            OrderStatus::OnPayment => "payment in progress",
            OrderStatus::OnLock => "order locked while an operation is processed",
            OrderStatus::Approved => "payment approved",
            OrderStatus::Canceled => "payment cancelled by the customer",
            OrderStatus::Declined => "payment declined",
            OrderStatus::OnRefund => "refund in progress",
            OrderStatus::Refunded => "payment refunded",
            OrderStatus::PreauthApproved => {
                "pre-authorisation approved: funds held until completion"
            }
            OrderStatus::Expired => "order expired",
            OrderStatus::Error => "error while processing the order",
            OrderStatus::Reversed => "payment reversed (voided)",
            OrderStatus::Other(_) => return None,
        })
    }

    /// The uniform [`State`] of a status query answering this word:
    ///
    /// | `OrderStatus` | [`State`] |
    /// |---|---|
    /// | `APPROVED`, `PREAUTH-APPROVED` | `Done` |
    /// | `REFUNDED`, `REVERSED` | `Returned` |
    /// | `DECLINED`, `CANCELED`, `EXPIRED`, `ERROR` | `Declined` |
    /// | `CREATED`, `ON-PAYMENT`, `ON-LOCK`, `ON-REFUND`, any other word | `Pending` |
    ///
    /// `ON-REFUND` is pending: the vendor's status list says the order leaves it for
    /// `REFUNDED`, or for its former status when the refund fails.
    ///
    /// ```
    /// use azpay_core::{twec::OrderStatus, State};
    /// assert_eq!(OrderStatus::parse("approved").state(), State::Done);
    /// assert_eq!(OrderStatus::parse("REVERSED").state(), State::Returned);
    /// assert_eq!(OrderStatus::parse("ON-HOLD").state(), State::Pending);
    /// ```
    pub fn state(&self) -> State {
        match self {
            OrderStatus::Approved | OrderStatus::PreauthApproved => State::Done,
            OrderStatus::Refunded | OrderStatus::Reversed => State::Returned,
            OrderStatus::Declined
            | OrderStatus::Canceled
            | OrderStatus::Expired
            | OrderStatus::Error => State::Declined,
            OrderStatus::Created
            | OrderStatus::OnPayment
            | OrderStatus::OnLock
            | OrderStatus::OnRefund
            | OrderStatus::Other(_) => State::Pending,
        }
    }
    /// Whether the order was declined (`DECLINED`).
    pub fn is_declined(&self) -> bool {
        matches!(self, OrderStatus::Declined)
    }
}

/// The processing host's 3-digit answer (`ResponseCode` in XMLOut and in `POSResponse`).
///
/// Kept as the string received: the code spaces overlap (`00`, `05`, `18` are 3-D Secure codes
/// in the same table, `-1` means the POS did not answer), so no number conversion is made.
/// [`ResponseCode::description`] looks it up in [`RESPONSE_CODES`], Kapital's full table.
///
/// ```
/// use azpay_core::twec::ResponseCode;
/// let c = ResponseCode::new("076");
/// assert_eq!(c.description(), Some("Insufficient funds"));
/// assert!(!c.is_approved());
/// assert!(ResponseCode::new("001").is_approved());
/// assert_eq!(ResponseCode::new("999").description(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResponseCode(String);

impl ResponseCode {
    /// Wraps a code as received (surrounding whitespace removed).
    pub fn new(code: &str) -> Self {
        ResponseCode(code.trim().to_owned())
    }

    /// The code as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The English description from Kapital's table, if the code is in it.
    pub fn description(&self) -> Option<&'static str> {
        RESPONSE_CODES
            .iter()
            .find(|(c, _)| *c == self.0)
            .map(|(_, d)| *d)
    }

    /// Whether the code is in Kapital's table.
    pub fn is_known(&self) -> bool {
        self.description().is_some()
    }

    /// Whether the table calls this code an approval (`000`, `001`, `003`, `007`, `501`,
    /// `502`, `503`). Informational only: the order's trusted state is the
    /// [`OrderStatus`] of `GetOrderStatus`.
    pub fn is_approved(&self) -> bool {
        matches!(
            self.0.as_str(),
            "000" | "001" | "003" | "007" | "501" | "502" | "503"
        )
    }
}

impl ResponseCode {
    /// The uniform [`State`] of an action (Completion, Reverse, Refund) answered with this
    /// code: an approval is [`State::Done`], another code of the table [`State::Declined`], a
    /// code the table does not know [`State::Pending`] (never success).
    ///
    /// ```
    /// use azpay_core::{twec::ResponseCode, State};
    /// assert_eq!(ResponseCode::new("001").action_state(), State::Done);
    /// assert_eq!(ResponseCode::new("205").action_state(), State::Declined);
    /// assert_eq!(ResponseCode::new("999").action_state(), State::Pending);
    /// ```
    pub fn action_state(&self) -> State {
        if self.is_approved() {
            State::Done
        } else if self.is_known() {
            State::Declined
        } else {
            State::Pending
        }
    }

    /// Same as [`ResponseCode::new`]: never fails, unknown codes are kept.
    pub fn parse(code: &str) -> Self {
        ResponseCode::new(code)
    }
}

impl fmt::Display for ResponseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

open_word_serde!(ResponseCode);

/// Kapital's `ResponceList` (sic) from its TKKPG document, in the order given there: code and
/// English description (the `eng` text of the table; `503`, listed twice, appears once;
/// terse entries are expanded with the Russian text's meaning in brackets).
pub const RESPONSE_CODES: &[(&str, &str)] = &[
    ("000", "Approved, balances available"),
    ("001", "Approved, no balances available"),
    ("003", "Approved, additional identification requested"),
    ("007", "Approved administrative transaction"),
    ("050", "General decline (financial transaction not completed)"),
    ("020", "Code 20, unknown system error"),
    ("051", "Expired card"),
    ("052", "Number of PIN tries exceeded"),
    ("053", "No sharing allowed (transaction could not be routed)"),
    ("055", "Invalid transaction"),
    ("056", "Transaction not supported by institution"),
    ("057", "Lost or stolen card"),
    ("058", "Invalid card status"),
    ("059", "Restricted status"),
    ("060", "Account not found"),
    ("061", "Wrong customer information for payment"),
    ("062", "Customer information format error"),
    ("063", "Prepaid code not found"),
    ("064", "Bad track information (Track2)"),
    ("069", "Bad message edit (invalid message format)"),
    ("074", "Unable to authorize"),
    ("075", "Invalid credit PAN"),
    ("076", "Insufficient funds"),
    ("078", "Duplicate transaction received"),
    ("082", "Maximum number of times used"),
    ("085", "Balance not allowed"),
    ("095", "Amount over maximum"),
    ("100", "Unable to process"),
    ("101", "Unable to authorize, call issuer"),
    ("105", "Card not supported"),
    ("200", "Invalid account"),
    ("201", "Incorrect PIN"),
    (
        "205",
        "Invalid advance amount (Kapital: also a refund without enough funds on the merchant's current account)",
    ),
    ("209", "Invalid transaction code"),
    ("210", "Bad CAVV"),
    ("211", "Bad CVV2"),
    ("212", "Original transaction not found for slip"),
    ("213", "Slip already received"),
    ("800", "Format error"),
    ("801", "Original transaction not found"),
    ("809", "Invalid close transaction"),
    ("810", "Transaction timeout"),
    ("811", "System error"),
    ("820", "Invalid terminal identifier"),
    ("880", "Download has been received in its entirety"),
    (
        "881",
        "Download received successfully and there is more data for this download",
    ),
    ("882", "Download aborted (call for service)"),
    ("897", "Invalid cryptogram"),
    ("898", "Invalid MAC"),
    ("899", "Sequence error, resync"),
    ("900", "PIN tries limit exceeded (card to be captured)"),
    ("901", "Expired card (card to be captured)"),
    ("909", "External decline, special condition (card to be captured)"),
    ("959", "Administrative transaction not supported"),
    ("-1", "System error, POS did not answer"),
    ("500", "None"),
    ("501", "Approved"),
    ("502", "Partially approved"),
    ("503", "Purchase only approved (purchase with cashback)"),
    ("510", "Should select account number"),
    ("511", "Should change PVV"),
    ("512", "Confirm payment precheck"),
    ("513", "Select bill"),
    ("514", "Customer confirmation requested"),
    ("515", "Original transaction not found"),
    ("516", "Slip already received"),
    ("517", "Personal information input error"),
    ("520", "Prepaid code not found"),
    ("521", "Corresponding account exhausted"),
    ("522", "Acquirer limit exceeded"),
    ("524", "Dynamic PVV expired"),
    ("525", "Weak PIN"),
    ("540", "Lost card"),
    ("541", "Stolen card"),
    ("549", "Ineligible vendor account"),
    ("550", "Unauthorized usage"),
    ("551", "Expired card"),
    ("552", "Invalid card"),
    ("553", "Invalid PIN"),
    ("554", "System error"),
    ("555", "Ineligible transaction"),
    ("556", "Ineligible account"),
    ("557", "Transaction not supported"),
    ("558", "Restricted card"),
    ("559", "Insufficient funds"),
    ("560", "Uses limit exceeded"),
    ("561", "Withdrawal limit would be exceeded"),
    ("562", "PIN tries limit was reached"),
    ("563", "Withdrawal limit already reached"),
    ("564", "Credit amount limit"),
    ("565", "No statement information"),
    ("566", "Statement not available"),
    ("567", "Invalid amount"),
    ("568", "External decline"),
    ("569", "No sharing (card not served at this terminal)"),
    ("571", "Contact card issuer"),
    ("572", "Destination not available"),
    ("573", "Routing error"),
    ("574", "Format error"),
    (
        "575",
        "External decline, special condition (cardholder suspected of fraud)",
    ),
    ("580", "Bad CVV"),
    ("581", "Bad CVV2"),
    ("582", "Invalid transaction (not allowed under these conditions)"),
    ("583", "PIN tries limit was exceeded"),
    ("584", "Bad CAVV (3-D Secure cardholder authentication verification value)"),
    ("585", "Bad ARQC"),
    ("00", "3-D Secure: card not enrolled, or element missing"),
    ("05", "3-D Secure: authentication failed, order declined"),
    ("18", "3-D Secure: wrong authorization code"),
];

/// The gateway refused the request: `Response/Status` was not `00`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[error("TWEC {operation} refused: Status {status}{}", describe(.status))]
pub struct ApiError {
    /// The request-level status code received.
    pub status: StatusCode,
    /// The operation that was refused (its wire name, e.g. `CreateOrder`).
    pub operation: String,
}

fn describe(status: &StatusCode) -> String {
    status
        .description()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_unique_codes() {
        for (i, (c, _)) in RESPONSE_CODES.iter().enumerate() {
            assert!(
                !RESPONSE_CODES[..i].iter().any(|(d, _)| d == c),
                "duplicate {c}"
            );
        }
        // The seed's list: 110 entries, 503 listed twice.
        assert_eq!(RESPONSE_CODES.len(), 109);
    }

    #[test]
    fn order_status_is_case_insensitive_and_open() {
        assert_eq!(OrderStatus::parse("approved"), OrderStatus::Approved);
        assert_eq!(OrderStatus::parse(" Canceled "), OrderStatus::Canceled);
        assert_eq!(OrderStatus::Canceled.as_str(), "CANCELED");
        assert_eq!(OrderStatus::parse("REVERSED"), OrderStatus::Reversed);
        assert_eq!(OrderStatus::parse("ON-HOLD").description(), None);
    }
}
