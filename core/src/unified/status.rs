//! The normalised [`PaymentStatus`]. Each gateway's mapping onto it lives in its folder
//! (`PaymentStatus::from_epoint` in `epoint/unified.rs`, …); the table below documents them
//! all.

use serde::{Deserialize, Serialize};

/// The state of a payment in words that mean the same on every gateway.
///
/// Each gateway's own status maps onto it in one function ([`PaymentStatus::from_epoint`],
/// [`PaymentStatus::from_kapital`], [`PaymentStatus::from_twec`],
/// [`PaymentStatus::from_payriff`]), used by every verb:
///
/// | `PaymentStatus` | EPoint (`get-status` / callback `status`) | Kapital (`order.status`) | TWEC (`OrderStatus`) | Payriff (`paymentStatus`) |
/// |---|---|---|---|---|
/// | `Pending` | `new` | `Preparing` | `CREATED`, `ON-PAYMENT`, `ON-LOCK` | `CREATED`, `PENDING`, `IN_REVIEW` |
/// | `Authorized` | — (a captured or uncaptured hold both read `success`) | `Authorized` | `PREAUTH-APPROVED` | `PREAUTH_APPROVED` |
/// | `Paid` | `success` | `FullyPaid`, `PartiallyPaid`, `Funded` (no refund yet) | `APPROVED` | `APPROVED`, `ACCEPTED` |
/// | `PartiallyRefunded` | — (EPoint reports `success` until all is returned) | `FullyPaid`/`PartiallyPaid` with `clearedRefundAmount` > 0 (detailed order) | — (stays `APPROVED`) | `PARTIAL_REFUND` |
/// | `Refunded` | `returned` | `Refunded` | `REFUNDED`, `ON-REFUND` | `REFUNDED` |
/// | `Voided` | — | `Voided` | — | `REVERSE` |
/// | `Declined` | `failed`; `error` with a bank `code` other than `000` | `Declined`, `Rejected`, `Refused`, `Cancelled` (by the customer) | `DECLINED`, `CANCELED` (by the customer; also after a `Reverse`) | `DECLINED`, `CANCELED` |
/// | `Expired` | — | `Expired` | `EXPIRED` | `EXPIRED`, `PREAUTH_EXPIRED` |
/// | `Failed` | `error` without a decline code, `server_error` | — | `ERROR` | — |
/// | `Unknown` | any other value | `Closed`, any other value | any other value | `REFUND_IN_PROGRESS`, `PARTIAL`, `CASH`, `PAID`, `COMPLETED`, any other value |
///
/// TWEC names no voided state: after [`super::Cancel`] (`Reverse`) an order reads `CANCELED`,
/// the same word as a customer's cancel, hence `Declined`.
///
/// Only [`PaymentStatus::Paid`] (and, for a pre-authorisation, [`PaymentStatus::Authorized`])
/// means the money is there. `Unknown` keeps the gateway's word in
/// [`super::PaymentState::gateway_status`]; treat it as not paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentStatus {
    /// Created; the customer has not paid (yet).
    Pending,
    /// The amount is held (pre-authorisation); capture or cancel it.
    Authorized,
    /// Paid.
    Paid,
    /// Paid, and part of it was refunded.
    PartiallyRefunded,
    /// Refunded in full (or a refund is being processed, TWEC `ON-REFUND`).
    Refunded,
    /// Cancelled by the merchant before settlement.
    Voided,
    /// The bank declined, or the customer cancelled on the payment page.
    Declined,
    /// Not paid in time.
    Expired,
    /// The gateway reports an error processing the payment.
    Failed,
    /// A status azpay does not know; not paid.
    Unknown,
}

impl PaymentStatus {
    /// `"pending"`, `"authorized"`, `"paid"`, … (as serialised).
    pub fn as_str(&self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Authorized => "authorized",
            PaymentStatus::Paid => "paid",
            PaymentStatus::PartiallyRefunded => "partially_refunded",
            PaymentStatus::Refunded => "refunded",
            PaymentStatus::Voided => "voided",
            PaymentStatus::Declined => "declined",
            PaymentStatus::Expired => "expired",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Unknown => "unknown",
        }
    }

    /// The uniform [`State`](crate::State): `Authorized`, `Paid` and `PartiallyRefunded` are
    /// done; `Refunded` and `Voided` returned; `Declined`, `Expired` and `Failed` declined;
    /// `Pending` and `Unknown` pending.
    pub fn state(&self) -> crate::State {
        use crate::State;
        match self {
            PaymentStatus::Authorized | PaymentStatus::Paid | PaymentStatus::PartiallyRefunded => {
                State::Done
            }
            PaymentStatus::Refunded | PaymentStatus::Voided => State::Returned,
            PaymentStatus::Declined | PaymentStatus::Expired | PaymentStatus::Failed => {
                State::Declined
            }
            PaymentStatus::Pending | PaymentStatus::Unknown => State::Pending,
        }
    }

    /// Whether the money was taken (`Paid`): the one status to ship goods on.
    pub fn is_paid(&self) -> bool {
        matches!(self, PaymentStatus::Paid)
    }

    /// Whether the state can still change without the merchant acting (`Pending`, `Unknown`).
    pub fn is_pending(&self) -> bool {
        matches!(self, PaymentStatus::Pending | PaymentStatus::Unknown)
    }
}

impl std::fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
