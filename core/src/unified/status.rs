//! The normalised [`PaymentStatus`] and every gateway's mapping onto it, in one place.

use serde::Serialize;

use crate::{epoint, kapital, twec};

/// The state of a payment in words that mean the same on every gateway.
///
/// Each gateway's own status maps onto it here and nowhere else:
///
/// | `PaymentStatus` | EPoint (`get-status` / callback `status`) | Kapital (`order.status`) | TWEC (`OrderStatus`) |
/// |---|---|---|---|
/// | `Pending` | `new` | `Preparing` | `CREATED`, `ON-PAYMENT`, `ON-LOCK` |
/// | `Authorized` | — (a captured or uncaptured hold both read `success`) | `Authorized` | `PREAUTH-APPROVED` |
/// | `Paid` | `success` | `FullyPaid`, `PartiallyPaid`, `Funded` (no refund yet) | `APPROVED` |
/// | `PartiallyRefunded` | — (EPoint reports `success` until all is returned) | `FullyPaid`/`PartiallyPaid` with `clearedRefundAmount` > 0 (detailed order) | — (stays `APPROVED`) |
/// | `Refunded` | `returned` | `Refunded` | `REFUNDED`, `ON-REFUND` |
/// | `Voided` | — | `Voided` | — |
/// | `Declined` | `failed`; `error` with a bank `code` other than `000` | `Declined`, `Rejected`, `Refused`, `Cancelled` (by the customer) | `DECLINED`, `CANCELED` (by the customer; also after a `Reverse`) |
/// | `Expired` | — | `Expired` | `EXPIRED` |
/// | `Failed` | `error` without a decline code, `server_error` | — | `ERROR` |
/// | `Unknown` | any other value | `Closed`, any other value | any other value |
///
/// TWEC names no voided state: after [`super::Cancel`] (`Reverse`) an order reads `CANCELED`,
/// the same word as a customer's cancel, hence `Declined`.
///
/// Only [`PaymentStatus::Paid`] (and, for a pre-authorisation, [`PaymentStatus::Authorized`])
/// means the money is there. `Unknown` keeps the gateway's word in
/// [`super::PaymentState::gateway_status`]; treat it as not paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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

    /// Whether the money was taken (`Paid`): the one status to ship goods on.
    pub fn is_paid(&self) -> bool {
        matches!(self, PaymentStatus::Paid)
    }

    /// Whether the state can still change without the merchant acting (`Pending`, `Unknown`).
    pub fn is_pending(&self) -> bool {
        matches!(self, PaymentStatus::Pending | PaymentStatus::Unknown)
    }

    /// EPoint: the `status` (and bank `code`) of `get-status` or of a verified callback.
    ///
    /// ```
    /// use azpay_core::{epoint, unified::PaymentStatus};
    /// assert_eq!(PaymentStatus::from_epoint(&epoint::Status::Success, None), PaymentStatus::Paid);
    /// assert_eq!(PaymentStatus::from_epoint(&epoint::Status::Returned, None), PaymentStatus::Refunded);
    /// let insufficient = epoint::BankCode::parse("116");
    /// assert_eq!(
    ///     PaymentStatus::from_epoint(&epoint::Status::Error, Some(&insufficient)),
    ///     PaymentStatus::Declined
    /// );
    /// ```
    pub fn from_epoint(status: &epoint::Status, code: Option<&epoint::BankCode>) -> Self {
        match status {
            epoint::Status::New => PaymentStatus::Pending,
            epoint::Status::Success => PaymentStatus::Paid,
            epoint::Status::Returned => PaymentStatus::Refunded,
            epoint::Status::Failed => PaymentStatus::Declined,
            epoint::Status::Error => match code.map(|c| c.as_str()) {
                Some(c) if c != "000" => PaymentStatus::Declined,
                _ => PaymentStatus::Failed,
            },
            epoint::Status::ServerError => PaymentStatus::Failed,
            _ => PaymentStatus::Unknown,
        }
    }

    /// Kapital: an order read with [`kapital::GetOrder`] (the detailed form tells a partial
    /// refund through `clearedRefundAmount`).
    ///
    /// ```
    /// use azpay_core::{kapital::OrderStatus, unified::PaymentStatus};
    /// assert_eq!(PaymentStatus::from_kapital(&OrderStatus::FullyPaid, false), PaymentStatus::Paid);
    /// assert_eq!(PaymentStatus::from_kapital(&OrderStatus::FullyPaid, true), PaymentStatus::PartiallyRefunded);
    /// assert_eq!(PaymentStatus::from_kapital(&OrderStatus::Authorized, false), PaymentStatus::Authorized);
    /// ```
    pub fn from_kapital(status: &kapital::OrderStatus, partly_refunded: bool) -> Self {
        use kapital::OrderStatus as K;
        match status {
            K::Preparing => PaymentStatus::Pending,
            K::Authorized => PaymentStatus::Authorized,
            K::FullyPaid | K::PartiallyPaid | K::Funded if partly_refunded => {
                PaymentStatus::PartiallyRefunded
            }
            K::FullyPaid | K::PartiallyPaid | K::Funded => PaymentStatus::Paid,
            K::Refunded => PaymentStatus::Refunded,
            K::Voided => PaymentStatus::Voided,
            K::Declined | K::Rejected | K::Refused | K::Cancelled => PaymentStatus::Declined,
            K::Expired => PaymentStatus::Expired,
            _ => PaymentStatus::Unknown,
        }
    }

    /// Kapital: the status of an order read with [`kapital::GetOrder`].
    pub fn from_kapital_order(order: &kapital::Order) -> Self {
        let partly_refunded = order.cleared_refund_amount.is_some_and(|a| !a.is_zero());
        Self::from_kapital(&order.status, partly_refunded)
    }

    /// TWEC: the `OrderStatus` of [`twec::GetOrderStatus`].
    ///
    /// ```
    /// use azpay_core::{twec::OrderStatus, unified::PaymentStatus};
    /// assert_eq!(PaymentStatus::from_twec(&OrderStatus::Approved), PaymentStatus::Paid);
    /// assert_eq!(PaymentStatus::from_twec(&OrderStatus::PreauthApproved), PaymentStatus::Authorized);
    /// assert_eq!(PaymentStatus::from_twec(&OrderStatus::parse("ON-HOLD")), PaymentStatus::Unknown);
    /// ```
    pub fn from_twec(status: &twec::OrderStatus) -> Self {
        use twec::OrderStatus as T;
        match status {
            T::Created | T::OnPayment | T::OnLock => PaymentStatus::Pending,
            T::Approved => PaymentStatus::Paid,
            T::PreauthApproved => PaymentStatus::Authorized,
            T::Refunded | T::OnRefund => PaymentStatus::Refunded,
            T::Declined | T::Canceled => PaymentStatus::Declined,
            T::Expired => PaymentStatus::Expired,
            T::Error => PaymentStatus::Failed,
            _ => PaymentStatus::Unknown,
        }
    }
}

impl std::fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
