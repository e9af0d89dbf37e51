//! Payriff's open vocabularies (result codes, payment statuses, operation types, card-save
//! statuses) and its error body, [`ApiError`].
//!
//! Every enum is open: an unknown word is kept in `Other(String)` and never fails a parse.
//! Status words compare ignoring ASCII case and surrounding whitespace.
//!
//! ```
//! use azpay_core::payriff::{PaymentStatus, ResultCode};
//! use azpay_core::State;
//! assert_eq!(PaymentStatus::from("approved"), PaymentStatus::Approved);
//! assert_eq!(PaymentStatus::from("SOMETHING_NEW").state(), State::Pending);
//! assert!(ResultCode::from("00000").is_success());
//! assert!(ResultCode::from("01000").is_rejection());
//! ```

use std::fmt;

use crate::open_enum::open_enum;
use crate::State;

open_enum! {
    /// The envelope's `code`. Only `00000` is success; a failure may come with HTTP 200.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum ResultCode {
        /// `00000`: the operation was performed.
        Success = "00000",
        /// `01000`: the request was rejected (a business refusal, per Payriff's own SDKs).
        Rejected = "01000",
        /// `01200`: insufficient balance.
        InsufficientBalance = "01200",
        /// `01300`: a payout limit was reached.
        PayoutLimit1 = "01300",
        /// `01400`: a payout limit was reached.
        PayoutLimit2 = "01400",
        /// `01500`: a payout limit was reached.
        PayoutLimit3 = "01500",
        /// `14010`: unauthorised (wrong secret key).
        Unauthorized = "14010",
        /// `14013`: the token (secret key) is not present.
        TokenNotPresent = "14013",
        /// `14014`: the token (secret key) is invalid.
        InvalidToken = "14014",
        /// `14015`: invalid origin.
        InvalidOrigin = "14015",
        /// `15000`: a general error.
        Error = "15000",
        /// `15400`: invalid parameters.
        InvalidParameters = "15400",
        /// `666`: checking.
        Checking = "666",
        Other(String),
    }
    match Trimmed;
}

impl ResultCode {
    /// Whether this is `00000`, the only success.
    pub fn is_success(&self) -> bool {
        matches!(self, ResultCode::Success)
    }
    /// Whether this is `01000`, a rejection of the request.
    pub fn is_rejection(&self) -> bool {
        matches!(self, ResultCode::Rejected)
    }
    /// Whether the secret key was refused (`14010`, `14013`, `14014`, `14015`).
    pub fn is_authentication(&self) -> bool {
        matches!(
            self,
            ResultCode::Unauthorized
                | ResultCode::TokenNotPresent
                | ResultCode::InvalidToken
                | ResultCode::InvalidOrigin
        )
    }
}

open_enum! {
    /// An order's `paymentStatus`. Only trustworthy when read with
    /// [`crate::payriff::GetOrder`] (or another authenticated query); a callback's is a claim.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum PaymentStatus {
        /// `CREATED`: the order exists, not paid yet.
        Created = "CREATED",
        /// `APPROVED`: paid.
        Approved = "APPROVED",
        /// `CANCELED`: cancelled.
        Canceled = "CANCELED",
        /// `DECLINED`: declined.
        Declined = "DECLINED",
        /// `REFUNDED`: refunded in full.
        Refunded = "REFUNDED",
        /// `PREAUTH_APPROVED`: the amount is held; capture it with
        /// [`crate::payriff::Capture`].
        PreauthApproved = "PREAUTH_APPROVED",
        /// `EXPIRED`: not paid in time (or expired by the merchant).
        Expired = "EXPIRED",
        /// `REVERSE`: the hold or payment was reversed (voided).
        Reverse = "REVERSE",
        /// `PARTIAL_REFUND`: paid, part of it refunded.
        PartialRefund = "PARTIAL_REFUND",
        /// `PARTIAL`: meaning undocumented; treated as undecided.
        Partial = "PARTIAL",
        /// `ACCEPTED`: paid.
        Accepted = "ACCEPTED",
        /// `REFUND_IN_PROGRESS`: a refund is being processed.
        RefundInProgress = "REFUND_IN_PROGRESS",
        /// `CASH`: meaning undocumented; treated as undecided.
        Cash = "CASH",
        /// `PENDING`: in progress.
        Pending = "PENDING",
        /// `PREAUTH_EXPIRED`: the hold expired uncaptured.
        PreauthExpired = "PREAUTH_EXPIRED",
        /// `IN_REVIEW`: under review.
        InReview = "IN_REVIEW",
        /// `PAID`: named by a third-party library only (not by Payriff's SDKs); treated as
        /// undecided until confirmed.
        Paid = "PAID",
        /// `COMPLETED`: named by a third-party library only; treated as undecided.
        Completed = "COMPLETED",
        Other(String),
    }
    match TrimmedIgnoreCase;
}

impl PaymentStatus {
    /// The uniform [`State`] of an order with this status (a status query's answer):
    /// `APPROVED`, `ACCEPTED`, `PREAUTH_APPROVED`, `PARTIAL_REFUND` are done; `REFUNDED`,
    /// `REVERSE` returned; `DECLINED`, `CANCELED`, `EXPIRED`, `PREAUTH_EXPIRED` declined;
    /// everything else (`CREATED`, `PENDING`, `IN_REVIEW`, `REFUND_IN_PROGRESS`, `PARTIAL`,
    /// `CASH`, `PAID`, `COMPLETED`, any unknown word) pending.
    pub fn state(&self) -> State {
        use PaymentStatus as P;
        match self {
            P::Approved | P::Accepted | P::PreauthApproved | P::PartialRefund => State::Done,
            P::Refunded | P::Reverse => State::Returned,
            P::Declined | P::Canceled | P::Expired | P::PreauthExpired => State::Declined,
            _ => State::Pending,
        }
    }

    /// Whether the order is paid (`APPROVED` or `ACCEPTED`).
    pub fn is_paid(&self) -> bool {
        matches!(self, PaymentStatus::Approved | PaymentStatus::Accepted)
    }
}

open_enum! {
    /// The order's `operation` / `operationType`.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum OrderOperation {
        /// `PURCHASE`: a payment in one step.
        Purchase = "PURCHASE",
        /// `PRE_AUTH`: a hold, completed later with [`crate::payriff::Capture`].
        PreAuth = "PRE_AUTH",
        /// `COMPLETE`: the completion of a hold.
        Complete = "COMPLETE",
        /// `REFUND`.
        Refund = "REFUND",
        /// `REVERSE`.
        Reverse = "REVERSE",
        Other(String),
    }
    match TrimmedIgnoreCase;
}

open_enum! {
    /// The `status` of a card-save request.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum CardSaveStatus {
        /// `CREATED`: waiting for the customer.
        Created = "CREATED",
        /// `VERIFIED`: the card is saved; `cardUuid` charges it.
        Verified = "VERIFIED",
        /// `REVERSED`: meaning undocumented; treated as undecided.
        Reversed = "REVERSED",
        /// `REVERSE_FAILED`: meaning undocumented; treated as undecided.
        ReverseFailed = "REVERSE_FAILED",
        /// `DECLINED`: the card was declined.
        Declined = "DECLINED",
        /// `EXPIRED`: not completed in time.
        Expired = "EXPIRED",
        Other(String),
    }
    match TrimmedIgnoreCase;
}

impl CardSaveStatus {
    /// `VERIFIED` is done; `DECLINED`, `EXPIRED` declined; the rest pending.
    pub fn state(&self) -> State {
        match self {
            CardSaveStatus::Verified => State::Done,
            CardSaveStatus::Declined | CardSaveStatus::Expired => State::Declined,
            _ => State::Pending,
        }
    }
}

/// Payriff refused a request: the envelope's `code` was not `00000` (whatever the HTTP
/// status, 200 included).
///
/// `01000` (a rejection) is an `ApiError` only for order creation, card saving and the
/// queries; for [`crate::payriff::Refund`], [`crate::payriff::Capture`],
/// [`crate::payriff::AutoPay`] and [`crate::payriff::ExpireOrder`] it is an output with
/// [`State::Declined`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation that was refused (`create_order`, `get_order`, …).
    pub operation: &'static str,
    /// `code`.
    pub code: ResultCode,
    /// `message`.
    pub message: Option<String>,
    /// `internalMessage`.
    pub internal_message: Option<String>,
    /// `responseId`: quote it to Payriff's support.
    pub response_id: Option<String>,
    /// The HTTP status the body came with.
    pub http_status: u16,
}

impl ApiError {
    /// Whether the code is `01000`, a rejection.
    pub fn is_rejection(&self) -> bool {
        self.code.is_rejection()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Payriff {} refused: code {}", self.operation, self.code)?;
        if let Some(m) = &self.message {
            write!(f, ": {}", m.escape_debug())?;
        }
        write!(f, " [HTTP {}]", self.http_status)
    }
}

impl std::error::Error for ApiError {}
