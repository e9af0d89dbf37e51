//! EPoint's open vocabularies: operation and payment [`Status`], [`OperationCode`], the bank
//! response [`BankCode`] table (`docs/wire.md`, "EPoint") and saved-card [`CardStatus`].
//!
//! Every one of them is open: a value this crate does not know parses into `Other` (or
//! [`BankCode::Other`]) and never fails a parse.

use std::fmt;

use crate::open_enum::{open_enum, open_word_serde};
use crate::State;

open_enum! {
    /// The `status` of an EPoint answer, payment or callback.
    ///
    /// Operations answer `success` or `error`/`server_error`; synchronous charges and
    /// callbacks answer `success` or `failed`; `get-status` also knows `new` and `returned`.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum Status {
        /// `success`.
        Success = "success",
        /// `failed`: the payment was declined.
        Failed = "failed",
        /// `error`: the request (or, in `get-status`, the payment) failed.
        Error = "error",
        /// `server_error`: EPoint could not process the request.
        ServerError = "server_error",
        /// `new`: the payment is registered but not paid yet (`get-status`).
        New = "new",
        /// `returned`: the payment was refunded (`get-status`).
        Returned = "returned",
        Other(String),
    }
    match TrimmedIgnoreCase;
}

impl Status {
    /// Whether this is `success`.
    pub fn is_success(&self) -> bool {
        matches!(self, Status::Success)
    }
    /// The uniform [`State`] this word means, for an action's answer, a status query and a
    /// callback alike (words are matched ignoring ASCII case: `Success` is `success`):
    ///
    /// | word | state |
    /// |---|---|
    /// | `success` | [`State::Done`] |
    /// | `returned` | [`State::Returned`] |
    /// | `failed`, `error` | [`State::Declined`] |
    /// | `new`, `server_error`, any other word | [`State::Pending`] (never done) |
    ///
    /// ```
    /// use azpay_core::{epoint::Status, State};
    /// assert_eq!(Status::parse("Success").state(), State::Done);
    /// assert_eq!(Status::parse("in_progress_maybe").state(), State::Pending);
    /// assert_eq!(Status::parse("returned").state(), State::Returned);
    /// ```
    pub fn state(&self) -> State {
        match self {
            Status::Success => State::Done,
            Status::Returned => State::Returned,
            Status::Failed | Status::Error => State::Declined,
            Status::New | Status::ServerError | Status::Other(_) => State::Pending,
        }
    }

    /// A description of the known statuses.
    pub fn description(&self) -> Option<&'static str> {
        Some(match self {
            Status::Success => "successful",
            Status::Failed => "failed (declined)",
            Status::Error => "an error occurred",
            Status::ServerError => "EPoint could not process the request",
            Status::New => "registered in EPoint, not paid yet",
            Status::Returned => "refunded",
            Status::Other(_) => return None,
        })
    }
}

open_enum! {
    /// `operation_code`: what kind of operation a result is about.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum OperationCode {
        /// `001`: card registration.
        CardRegistration = "001",
        /// `100`: user payment.
        UserPayment = "100",
        /// `200`: card registration with the first payment.
        CardRegistrationWithPayment = "200",
        Other(String),
    }
    match Exact;
}

impl OperationCode {
    /// A description of the known codes.
    pub fn description(&self) -> Option<&'static str> {
        Some(match self {
            OperationCode::CardRegistration => "card registration",
            OperationCode::UserPayment => "user payment",
            OperationCode::CardRegistrationWithPayment => "card registration with payment",
            OperationCode::Other(_) => return None,
        })
    }
}

open_enum! {
    /// The state of a saved card (`get-status-card`).
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum CardStatus {
        /// `new`.
        New = "new",
        /// `active`: usable for payments.
        Active = "active",
        /// `pending`.
        Pending = "pending",
        /// `rejected`.
        Rejected = "rejected",
        /// `expired`.
        Expired = "expired",
        /// `session_expired`: the registration page was not completed in time.
        SessionExpired = "session_expired",
        Other(String),
    }
    match TrimmedIgnoreCase;
}

impl CardStatus {
    /// The uniform [`State`] of a saved card: `active` is [`State::Done`] (usable);
    /// `rejected`, `expired` and `session_expired` are [`State::Declined`]; `new`, `pending`
    /// and any other word are [`State::Pending`].
    pub fn state(&self) -> State {
        match self {
            CardStatus::Active => State::Done,
            CardStatus::Rejected | CardStatus::Expired | CardStatus::SessionExpired => {
                State::Declined
            }
            CardStatus::New | CardStatus::Pending | CardStatus::Other(_) => State::Pending,
        }
    }
}

/// EPoint's bank response codes (EPoint API v1.0.3, "Bank Response Codes"). Note `0Y1` and
/// `0Y3` begin with the digit zero.
const BANK_CODES: &[(&str, &str)] = &[
    ("000", "Confirmed"),
    ("100", "Rejected (general, no comment)"),
    ("101", "Declined, your card has expired"),
    ("102", "Rejected, suspected fraud"),
    ("103", "Rejected, cardholder will contact acquirer"),
    ("104", "Rejected, restricted card"),
    ("105", "Rejected, card receiver will contact acquirer security"),
    ("106", "Rejected, PIN attempts exceeded"),
    ("107", "Declined, please contact your card issuer"),
    ("108", "Declined, please refer to card issuer's special terms"),
    ("109", "Rejected, invalid merchant"),
    ("110", "Rejected, incorrect amount"),
    ("111", "Rejected, incorrect card number"),
    ("112", "Rejected, PIN required"),
    ("113", "Denied, inappropriate payment"),
    ("114", "Rejected, no account of the requested type"),
    ("115", "Denied, requested function is not supported"),
    ("116", "Declined, insufficient funds"),
    ("117", "Rejected, incorrect PIN"),
    ("118", "Rejected, no card data"),
    ("119", "Rejected, transaction not allowed by cardholder"),
    ("120", "Rejected, transaction not allowed to terminal"),
    ("121", "Declined, withdrawal limit exceeded"),
    ("122", "Rejected, safety violation"),
    ("123", "Declined, withdrawal limit exceeded"),
    ("124", "Rejected, violation of the law"),
    ("125", "Rejected, card not valid"),
    ("126", "Rejected, invalid PIN block"),
    ("127", "Rejected, PIN length error"),
    ("128", "Rejected, PIN key synchronization failed"),
    ("129", "Rejected, suspected fake card"),
    ("180", "Rejected, at the request of cardholders"),
    ("200", "Pick-up (general, no comment)"),
    ("201", "Pick-up, expired card"),
    ("202", "Pick-up, suspected fraud"),
    ("203", "Pick-up, the card receiver will contact the acquirer"),
    ("204", "Pick-up, restricted card"),
    ("205", "Pick-up, the cardholder will contact the acquirer's security department"),
    ("206", "Pick-up, PIN limit exceeded"),
    ("207", "Pick-up, special conditions"),
    ("208", "Pick-up, lost card"),
    ("209", "Pick-up, stolen card"),
    ("210", "Pick-up, suspected fake card"),
    ("300", "Status message: file action successful"),
    ("301", "Status message: file action not supported by recipient"),
    ("302", "Status message: could not find an entry in the file"),
    ("303", "Status message: duplicate record, old record replaced"),
    ("304", "Status message: file write field edit error"),
    ("305", "Status message: file locked"),
    ("306", "Status message: file action failed"),
    ("307", "Status message: file data format error"),
    ("308", "Status message: duplicate record, new record rejected"),
    ("309", "Status message: unknown file"),
    ("400", "Accepted (for cancellation)"),
    ("499", "Confirmed, no original message data"),
    ("500", "Status message: agreed, in the balance sheet"),
    ("501", "Status message: agreed, out of balance"),
    ("502", "Status message: amount not agreed, amount provided"),
    ("503", "Status message: amount not available for negotiation"),
    ("504", "Status message: not agreed, amount provided"),
    ("600", "Accepted (for administrative information)"),
    ("601", "Status message: original transaction cannot be tracked"),
    ("602", "Status message: invalid transaction reference number"),
    ("603", "Status message: link number/PANs are incompatible"),
    ("604", "Status message: POS photo not available"),
    ("605", "Status message: requested item provided"),
    ("606", "Status message: request failed, required documentation unavailable"),
    ("680", "The list is ready"),
    ("681", "The list is not ready"),
    ("700", "Accepted (for payment collection)"),
    ("800", "Accepted (for network management)"),
    ("900", "The recommendation has been taken into account, no financial obligations have been accepted"),
    ("901", "Recommendations taken into account, financial liability accepted"),
    ("902", "Rejection reason message: invalid transaction"),
    ("903", "Status message: re-enter transaction"),
    ("904", "Rejection reason message: format error"),
    ("905", "Deviation cause message: acquirer not supported by switch"),
    ("906", "Reason for deviation report: process reduction"),
    ("907", "Reason for rejection message: card issuer or switch not in effect"),
    ("908", "Rejection reason message: unable to find the destination of the routing transaction"),
    ("909", "Cause of deviation report: system failure"),
    ("910", "Reason for rejection message: card issuer disabled"),
    ("911", "Reason for rejection message: card issuer expired"),
    ("912", "Reason for rejection message: issuer unavailable"),
    ("913", "Deviation cause message: duplicate transmission"),
    ("914", "Rejection reason message: failed to track original transaction"),
    ("915", "Deviation cause message: failure to disable negotiation or checkpoint"),
    ("916", "Deviation cause message: MAC incorrect"),
    ("917", "Reject cause message: MAC key synchronization error"),
    ("918", "Rejection reason message: no binding keys available for use"),
    ("919", "Reject cause message: encryption key synchronization error"),
    ("920", "Cause of deviation message: software/hardware security error, try again"),
    ("921", "Deviation cause message: software/hardware security error, no action"),
    ("922", "Rejection reason message: incorrect message number sequence"),
    ("923", "Status message: in-process query"),
    ("950", "Reason for rejection message: business agreement violation"),
    ("XXX", "Code to be replaced by card status code or stop list reason code"),
    ("0Y1", "Confirmed, offline ICC"),
    ("0Y3", "Confirmed, offline ICC"),
    ("1Q1", "Rejected due to ICC offline mode"),
    ("1Z1", "Rejected due to ICC offline mode"),
    ("1Z3", "Rejected due to ICC offline mode"),
];

/// The bank response `code` of a payment: a known code of EPoint's table with its
/// description, or any other string.
///
/// ```
/// use azpay_core::epoint::BankCode;
/// let c = BankCode::parse("116");
/// assert_eq!(c.description(), Some("Declined, insufficient funds"));
/// assert!(BankCode::parse("000").is_approved());
/// assert_eq!(BankCode::parse("ZZZ"), BankCode::Other("ZZZ".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BankCode {
    /// A code listed in EPoint's table.
    Known {
        /// The code, e.g. `"116"`.
        code: &'static str,
        /// Its description from the table.
        description: &'static str,
    },
    /// A code not in the table, kept as received.
    Other(String),
}

impl BankCode {
    /// Looks the code up in the table; unknown codes become [`BankCode::Other`].
    pub fn parse(s: &str) -> Self {
        match BANK_CODES.iter().find(|(c, _)| *c == s) {
            Some((code, description)) => BankCode::Known { code, description },
            None => BankCode::Other(s.to_owned()),
        }
    }
    /// The code as received.
    pub fn as_str(&self) -> &str {
        match self {
            BankCode::Known { code, .. } => code,
            BankCode::Other(s) => s,
        }
    }
    /// The table's description, for known codes.
    pub fn description(&self) -> Option<&'static str> {
        match self {
            BankCode::Known { description, .. } => Some(description),
            BankCode::Other(_) => None,
        }
    }
    /// Whether the code says the bank confirmed the operation (`000`, `0Y1`, `0Y3`, `499`).
    pub fn is_approved(&self) -> bool {
        matches!(self.as_str(), "000" | "0Y1" | "0Y3" | "499")
    }
    /// Every code of the table with its description.
    pub fn table() -> &'static [(&'static str, &'static str)] {
        BANK_CODES
    }
}

impl fmt::Display for BankCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.description() {
            Some(d) => write!(f, "{} ({d})", self.as_str()),
            None => f.write_str(self.as_str()),
        }
    }
}

// Serialised as the code string, read back from it.
open_word_serde!(BankCode);

/// EPoint's own error answer: HTTP 200 with `status` `error` or `server_error` (or `failed`
/// where no synchronous result is expected) and a `message`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation that was refused ([`crate::Operation::NAME`], e.g. `"pay"`).
    pub operation: &'static str,
    /// The `status` received.
    pub status: Status,
    /// The `message` received, if any.
    pub message: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EPoint {} refused: `{}`", self.operation, self.status)?;
        match &self.message {
            Some(m) => write!(f, ": {m}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    /// A refusal read from an answer; the operation is named by [`in_operation`].
    pub(crate) fn new(status: Status, message: Option<String>) -> Self {
        ApiError {
            operation: "",
            status,
            message,
        }
    }
}

/// Names `operation` in the [`ApiError`] of a parse result (the parsers below the operations
/// do not know which operation they serve).
pub(crate) fn in_operation<T>(
    operation: &'static str,
    r: Result<T, crate::ResponseError<ApiError>>,
) -> Result<T, crate::ResponseError<ApiError>> {
    r.map_err(|e| e.map_api(|a| ApiError { operation, ..a }))
}
