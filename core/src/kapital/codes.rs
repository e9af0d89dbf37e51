//! Kapital's open enums: order types, order statuses, auth sub-statuses, transaction phases and
//! types, card-on-file purposes, error codes and PMO result codes (`docs/wire.md`,
//! "Kapital Bank JSON API").
//!
//! Every enum is open: the known wire values are variants, anything else is kept verbatim in
//! `Other(String)`, so an undocumented value never fails a parse.
//!
//! ```
//! use azpay_core::kapital::{OrderStatus, PmoResultCode};
//! assert_eq!(OrderStatus::from("FullyPaid"), OrderStatus::FullyPaid);
//! assert_eq!(OrderStatus::from("Frozen"), OrderStatus::Other("Frozen".into()));
//! assert_eq!(PmoResultCode::from("59").description(), Some("Insufficient funds"));
//! assert!(PmoResultCode::from("1").is_approved());
//! ```

use crate::open_enum::open_enum;
use crate::State;

open_enum! {
    /// The order type, `typeRid`. Terminal-specific types such as `GN3D` (Google Pay
    /// cryptogram) or `GSMS` (Google Pay PAN only) go through [`OrderType::Other`].
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum OrderType {
        /// `Order_SMS`: a purchase in a single message, paid on the hosted page.
        Purchase = "Order_SMS",
        /// `Order_DMS`: a pre-authorisation (hold) completed later by a clearing.
        PreAuth = "Order_DMS",
        /// `Order_REC`: a recurring (saved-card) purchase driven by the merchant's server.
        Recurring = "Order_REC",
        /// `DMSN3D`: a pre-authorisation on a saved card, without 3-D Secure.
        RecurringPreAuth = "DMSN3D",
        /// `OCT`: an Order Credit Transaction, sending money to a card (payout).
        Credit = "OCT",
        Other(String),
    }
    match Exact;
}

impl OrderType {
    /// Whether the customer pays this type on the hosted payment page (so `hppRedirectUrl`
    /// matters). `Order_REC`, `DMSN3D` and `OCT` are driven by the merchant's server.
    pub fn uses_hosted_page(&self) -> bool {
        !matches!(
            self,
            OrderType::Recurring | OrderType::RecurringPreAuth | OrderType::Credit
        )
    }
}

open_enum! {
    /// The order status, `order.status`. The status is only trustworthy when read
    /// with [`crate::kapital::GetOrder`]; the browser redirect's `STATUS` is a claim.
    ///
    /// Words are compared without regard to ASCII case or surrounding whitespace
    /// (`fullypaid` = `FullyPaid`); [`OrderStatus::state`] gives the uniform [`State`].
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum OrderStatus {
        /// `Preparing`: created, not yet paid (the doc's label is "BeingPrepared").
        Preparing = "Preparing",
        /// `Cancelled`: cancelled by the customer.
        Cancelled = "Cancelled",
        /// `Rejected`: rejected by the gateway.
        Rejected = "Rejected",
        /// `Refused`: on the platform's own list, an order whose payment was refunded in full.
        Refused = "Refused",
        /// `Expired`: not paid in time.
        Expired = "Expired",
        /// `Authorized`: the amount is on hold (step 1 of a pre-authorisation).
        Authorized = "Authorized",
        /// `PartiallyPaid`: part of the amount was paid.
        PartiallyPaid = "PartiallyPaid",
        /// `PartPaid`: part of the amount was paid (the word of the platform's own list).
        PartPaid = "PartPaid",
        /// `FullyPaid`: paid in full.
        FullyPaid = "FullyPaid",
        /// `Funded`: funded (two-step transfer orders only).
        Funded = "Funded",
        /// `Declined`: the payment was declined.
        Declined = "Declined",
        /// `Voided`: cancelled the same day.
        Voided = "Voided",
        /// `Refunded`: the money went back to the customer.
        Refunded = "Refunded",
        /// `Closed`: closed (no source says what it implies for the money).
        Closed = "Closed",
        Other(String),
    }
    match TrimmedIgnoreCase;
}

impl OrderStatus {
    /// The uniform outcome of an order read with [`crate::kapital::GetOrder`]:
    ///
    /// | status | [`State`] |
    /// |---|---|
    /// | `Authorized`, `FullyPaid`, `PartiallyPaid`, `PartPaid`, `Funded` | [`State::Done`] (a partly refunded order stays `FullyPaid`: still done) |
    /// | `Refunded`, `Refused`, `Voided` | [`State::Returned`] |
    /// | `Declined`, `Rejected`, `Cancelled`, `Expired` | [`State::Declined`] |
    /// | `Preparing`, `Closed`, any other word | [`State::Pending`] |
    ///
    /// ```
    /// use azpay_core::{kapital::OrderStatus, State};
    /// assert_eq!(OrderStatus::from("FullyPaid").state(), State::Done);
    /// assert_eq!(OrderStatus::from("fullypaid").state(), State::Done);
    /// assert_eq!(OrderStatus::from("Refused").state(), State::Returned);
    /// assert_eq!(OrderStatus::from("Preparing").state(), State::Pending);
    /// assert_eq!(OrderStatus::from("Frozen").state(), State::Pending);
    /// ```
    pub fn state(&self) -> State {
        use OrderStatus as S;
        match self {
            S::Authorized | S::FullyPaid | S::PartiallyPaid | S::PartPaid | S::Funded => {
                State::Done
            }
            S::Refunded | S::Refused | S::Voided => State::Returned,
            S::Declined | S::Rejected | S::Cancelled | S::Expired => State::Declined,
            S::Preparing | S::Closed | S::Other(_) => State::Pending,
        }
    }

    /// Whether the order is paid in full (`FullyPaid`). Only meaningful on a status read
    /// from the gateway with [`crate::kapital::GetOrder`].
    ///
    /// **It stays `true` after a partial refund.** Kapital leaves a partly refunded order
    /// `FullyPaid` (only a full refund makes it `Refunded`), so this method cannot tell that
    /// part of the money went back. Before shipping goods or refunding again, read the order
    /// with [`GetOrder::detailed`](crate::kapital::GetOrder::detailed) and look at
    /// [`Order::cleared_refund_amount`](crate::kapital::Order::cleared_refund_amount) (and
    /// its transactions), or use the unified status,
    /// [`PaymentStatus::from_kapital_order`](crate::unified::PaymentStatus::from_kapital_order),
    /// which says [`PartiallyRefunded`](crate::unified::PaymentStatus::PartiallyRefunded).
    ///
    /// ```
    /// use azpay_core::{execute, kapital, unified::PaymentStatus, HttpRequest, HttpResponse, TransportError};
    ///
    /// let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
    /// // 10.00 paid, 4.00 of it refunded: Kapital still says FullyPaid.
    /// let gateway = |_: HttpRequest| Ok::<HttpResponse, TransportError>(http::Response::new(
    ///     br#"{"order":{"id":7,"status":"FullyPaid","amount":10,"currency":"AZN","clearedRefundAmount":4}}"#.to_vec()));
    /// let order = execute(&kapital::GetOrder::new(7).detailed(), &config, &gateway)?;
    /// assert!(order.status.is_paid());
    /// assert_eq!(order.cleared_refund_amount.map(|a| a.minor()), Some(400));
    /// assert_eq!(PaymentStatus::from_kapital_order(&order), PaymentStatus::PartiallyRefunded);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_paid(&self) -> bool {
        matches!(self, OrderStatus::FullyPaid)
    }
}

open_enum! {
    /// An authentication sub-status of an order: `cvv2AuthStatus`, `tdsV1AuthStatus`,
    /// `tdsV2AuthStatus`, `otpAutStatus`.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum AuthStatus {
        /// `Required`.
        Required = "Required",
        /// `Provided`.
        Provided = "Provided",
        /// `IneligibleOrder`: not applicable to this order.
        IneligibleOrder = "IneligibleOrder",
        /// `Verified`.
        Verified = "Verified",
        Other(String),
    }
    match Exact;
}

open_enum! {
    /// A card-on-file purpose (`hppCofCapturePurposes`, `allowCofStoreUsages`).
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum CofPurpose {
        /// `Cit`: customer-initiated.
        Cit = "Cit",
        /// `Recurring`: merchant-initiated recurring charges.
        Recurring = "Recurring",
        /// `UnspecifiedMit`: merchant-initiated, unscheduled.
        UnspecifiedMit = "UnspecifiedMit",
        /// `PartialShipment`.
        PartialShipment = "PartialShipment",
        /// `Instalment`.
        Instalment = "Instalment",
        /// `DelayedCharge`.
        DelayedCharge = "DelayedCharge",
        Other(String),
    }
    match Exact;
}

open_enum! {
    /// Who initiates the order, `initiationEnvKind`.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum InitiationEnvKind {
        /// `Browser`: customer-initiated, through the browser.
        Browser = "Browser",
        /// `Server`: merchant-initiated (saved card, recurring).
        Server = "Server",
        Other(String),
    }
    match Exact;
}

open_enum! {
    /// A transaction phase (`trans[].phase`, `type.hppTranPhase`).
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum TranPhase {
        /// `Single`: a single-message transaction.
        Single = "Single",
        /// `Auth`: the authorisation (hold) of a two-step order.
        Auth = "Auth",
        /// `Clearing`: the completion of a hold.
        Clearing = "Clearing",
        /// `Prepare`.
        Prepare = "Prepare",
        Other(String),
    }
    match Exact;
}

open_enum! {
    /// A transaction type (`trans[].type`).
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum TranType {
        /// `Purchase`.
        Purchase = "Purchase",
        /// `Refund`.
        Refund = "Refund",
        /// `Credit`: money sent to a card.
        Credit = "Credit",
        /// `CheckToken`.
        CheckToken = "CheckToken",
        Other(String),
    }
    match Exact;
}

open_enum! {
    /// Kapital's `errorCode`.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum ErrorCode {
        /// `InvalidAmt`.
        InvalidAmt = "InvalidAmt",
        /// `InvalidRequest`.
        InvalidRequest = "InvalidRequest",
        /// `InvalidTran`.
        InvalidTran = "InvalidTran",
        /// `InvalidTranLink`.
        InvalidTranLink = "InvalidTranLink",
        /// `TranProhibited`.
        TranProhibited = "TranProhibited",
        /// `ActionAppException`.
        ActionAppException = "ActionAppException",
        /// `CantChooseSettleAcct`.
        CantChooseSettleAcct = "CantChooseSettleAcct",
        /// `PmoIfaceNotFound`.
        PmoIfaceNotFound = "PmoIfaceNotFound",
        /// `PmoDecline`: the card's processing declined the transaction; see
        /// [`crate::kapital::ApiError::decline`].
        PmoDecline = "PmoDecline",
        /// `PmoUnreachable`.
        PmoUnreachable = "PmoUnreachable",
        /// `InvalidCert`.
        InvalidCert = "InvalidCert",
        /// `InvalidLogin`: wrong Basic-auth credentials.
        InvalidLogin = "InvalidLogin",
        /// `InvalidOrderState`: the operation does not fit the order's status.
        InvalidOrderState = "InvalidOrderState",
        /// `InvalidUserSession`.
        InvalidUserSession = "InvalidUserSession",
        /// `NeedChangePwd`.
        NeedChangePwd = "NeedChangePwd",
        /// `OperationProhibited`.
        OperationProhibited = "OperationProhibited",
        /// `PwdTryLimitExceeded`.
        PwdTryLimitExceeded = "PwdTryLimitExceeded",
        /// `UserSessionExpired`.
        UserSessionExpired = "UserSessionExpired",
        /// `CofpDecline`.
        CofpDecline = "CofpDecline",
        /// `CofpUnreachable`.
        CofpUnreachable = "CofpUnreachable",
        /// `InvalidToken`.
        InvalidToken = "InvalidToken",
        /// `InvalidAutStatus`.
        InvalidAutStatus = "InvalidAutStatus",
        /// `ConsumerNotFound`.
        ConsumerNotFound = "ConsumerNotFound",
        /// `InvalidConsumer`.
        InvalidConsumer = "InvalidConsumer",
        /// `InvalidSecret`.
        InvalidSecret = "InvalidSecret",
        /// `SecretTryLimit`.
        SecretTryLimit = "SecretTryLimit",
        /// `ServiceError`: e.g. `no order found`, sent with HTTP 404.
        ServiceError = "ServiceError",
        Other(String),
    }
    match Exact;
}

// integrify and FAGAN number codes 5–20 differently. FAGAN's numbering is used here because
// the TWO response-code table of Kapital's TWEC document (`510` select account, `511` change
// PVV, … `520` prepaid not found) matches it as `500 + N`. There is no code 5.
open_enum! {
    /// The processing result, `pmoResultCode`. Only `"1"` means approved.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum PmoResultCode {
        /// `0`: no result.
        NoResult = "0",
        /// `1`: approved.
        Approved = "1",
        /// `2`: approved for a partial amount.
        ApprovedPartial = "2",
        /// `3`: approved for the purchase only.
        ApprovedPurchaseOnly = "3",
        /// `4`: postponed.
        Postponed = "4",
        /// `6`: strong customer authentication required.
        ScaRequired = "6",
        /// `7`: checker confirmation needed.
        CheckerConfirmation = "7",
        /// `8`: Telebank customer exists.
        TelebankExists = "8",
        /// `9`: virtual card.
        VirtualCard = "9",
        /// `10`: select an account.
        SelectAccount = "10",
        /// `11`: change the PVV.
        ChangePvv = "11",
        /// `12`: payment precheck.
        PaymentPrecheck = "12",
        /// `13`: select a bill.
        SelectBill = "13",
        /// `14`: customer confirmation needed.
        CustomerConfirmation = "14",
        /// `15`: original transaction not found.
        OriginalNotFound = "15",
        /// `16`: slip received.
        SlipReceived = "16",
        /// `17`: personal information error.
        PersonalInfoError = "17",
        /// `18`: SMS / e-mail one-time password.
        SmsEmailOtp = "18",
        /// `19`: DPA / CAP one-time password.
        DpaCapOtp = "19",
        /// `20`: prepaid code not found.
        PrepaidCodeNotFound = "20",
        /// `29`: closed account.
        ClosedAccount = "29",
        /// `30`: blocked.
        Blocked = "30",
        /// `40`: lost card.
        LostCard = "40",
        /// `41`: stolen card.
        StolenCard = "41",
        /// `49`: ineligible vendor account.
        IneligibleVendorAccount = "49",
        /// `50`: unauthorised usage.
        UnauthorizedUsage = "50",
        /// `51`: expired card.
        ExpiredCard = "51",
        /// `52`: invalid card.
        InvalidCard = "52",
        /// `53`: invalid PIN.
        InvalidPin = "53",
        /// `54`: system error.
        SystemError = "54",
        /// `55`: ineligible transaction.
        IneligibleTransaction = "55",
        /// `56`: ineligible account.
        IneligibleAccount = "56",
        /// `57`: transaction not supported.
        TransactionNotSupported = "57",
        /// `58`: restricted card.
        RestrictedCard = "58",
        /// `59`: insufficient funds.
        InsufficientFunds = "59",
        /// `60`: uses limit exceeded.
        UsesLimitExceeded = "60",
        /// `67`: invalid amount.
        InvalidAmount = "67",
        /// `68`: external decline.
        ExternalDecline = "68",
        /// `69`: no sharing.
        NoSharing = "69",
        /// `71`: contact the card issuer.
        ContactIssuer = "71",
        /// `72`: destination not available.
        DestinationNotAvailable = "72",
        /// `73`: routing error.
        RoutingError = "73",
        /// `74`: format error.
        FormatError = "74",
        /// `75`: external decline, special condition.
        ExternalDeclineSpecialCondition = "75",
        /// `80`: bad CVV.
        BadCvv = "80",
        /// `81`: bad CVV2.
        BadCvv2 = "81",
        /// `82`: invalid transaction.
        InvalidTransaction = "82",
        /// `83`: PIN tries exceeded.
        PinTriesExceeded = "83",
        /// `84`: bad CAVV.
        BadCavv = "84",
        /// `85`: bad ARQC.
        BadArqc = "85",
        /// `93`: the customer should select a card.
        ShouldSelectCard = "93",
        /// `94`: confirm the issuer's fee.
        ConfirmIssuerFee = "94",
        /// `95`: insufficient cash.
        InsufficientCash = "95",
        /// `96`: approved, frictionless.
        ApprovedFrictionless = "96",
        /// `98`: invalid merchant.
        InvalidMerchant = "98",
        Other(String),
    }
    match Exact;
}

impl PmoResultCode {
    /// Whether the code means approved: only `"1"` (integrify's mocks treat `"69"`
    /// as a successful refund, which is not realistic).
    pub fn is_approved(&self) -> bool {
        matches!(self, PmoResultCode::Approved)
    }

    /// The uniform outcome of the action that got this code (`exec-tran`):
    ///
    /// | `pmoResultCode` | [`State`] |
    /// |---|---|
    /// | `1` approved, `96` approved frictionless | [`State::Done`] |
    /// | `0` no result, `2` approved partial, `3` approved purchase only, `4` postponed, `6`–`14`, `16`, `18`, `19` (a further step or check is needed), `90`–`92` administrative approvals, any code no source lists | [`State::Pending`] |
    /// | `15` original not found, `17` personal information error, `20` prepaid code not found, `21`–`89`, `93`–`95`, `97`–`99` (refusals: card, account, limits, format, CVV, …) | [`State::Declined`] |
    ///
    /// A partial or "purchase only" approval is not what was asked, and a postponed one is
    /// not decided, so neither is [`State::Done`]: read the order to see what happened.
    ///
    /// ```
    /// use azpay_core::{kapital::PmoResultCode, State};
    /// assert_eq!(PmoResultCode::from("1").state(), State::Done);
    /// assert_eq!(PmoResultCode::from("59").state(), State::Declined);
    /// assert_eq!(PmoResultCode::from("63").state(), State::Declined);
    /// assert_eq!(PmoResultCode::from("4").state(), State::Pending);
    /// assert_eq!(PmoResultCode::from("777").state(), State::Pending);
    /// ```
    pub fn state(&self) -> State {
        use self::PmoResultCode as P;
        match self {
            P::Approved | P::ApprovedFrictionless => State::Done,
            P::Other(code) => match code.trim().parse::<u32>() {
                Ok(21..=89 | 93..=95 | 97..=99) => State::Declined,
                _ => State::Pending,
            },
            P::NoResult
            | P::ApprovedPartial
            | P::ApprovedPurchaseOnly
            | P::Postponed
            | P::ScaRequired
            | P::CheckerConfirmation
            | P::TelebankExists
            | P::VirtualCard
            | P::SelectAccount
            | P::ChangePvv
            | P::PaymentPrecheck
            | P::SelectBill
            | P::CustomerConfirmation
            | P::SlipReceived
            | P::SmsEmailOtp
            | P::DpaCapOtp => State::Pending,
            _ => State::Declined,
        }
    }

    /// A short English description, also for the ranges the sources only describe
    /// as a group (`61`–`66`, `90`–`92`). `None` for a code no source describes.
    pub fn description(&self) -> Option<&'static str> {
        use self::PmoResultCode as P;
        Some(match self {
            P::NoResult => "No result",
            P::Approved => "Approved",
            P::ApprovedPartial => "Approved for a partial amount",
            P::ApprovedPurchaseOnly => "Approved for purchase only",
            P::Postponed => "Postponed",
            P::ScaRequired => "Strong customer authentication required",
            P::CheckerConfirmation => "Checker confirmation needed",
            P::TelebankExists => "Telebank customer exists",
            P::VirtualCard => "Virtual card",
            P::SelectAccount => "Select an account",
            P::ChangePvv => "Change PVV",
            P::PaymentPrecheck => "Payment precheck",
            P::SelectBill => "Select a bill",
            P::CustomerConfirmation => "Customer confirmation needed",
            P::OriginalNotFound => "Original transaction not found",
            P::SlipReceived => "Slip received",
            P::PersonalInfoError => "Personal information error",
            P::SmsEmailOtp => "SMS / e-mail one-time password",
            P::DpaCapOtp => "DPA / CAP one-time password",
            P::PrepaidCodeNotFound => "Prepaid code not found",
            P::ClosedAccount => "Closed account",
            P::Blocked => "Blocked",
            P::LostCard => "Lost card",
            P::StolenCard => "Stolen card",
            P::IneligibleVendorAccount => "Ineligible vendor account",
            P::UnauthorizedUsage => "Unauthorized usage",
            P::ExpiredCard => "Expired card",
            P::InvalidCard => "Invalid card",
            P::InvalidPin => "Invalid PIN",
            P::SystemError => "System error",
            P::IneligibleTransaction => "Ineligible transaction",
            P::IneligibleAccount => "Ineligible account",
            P::TransactionNotSupported => "Transaction not supported",
            P::RestrictedCard => "Restricted card",
            P::InsufficientFunds => "Insufficient funds",
            P::UsesLimitExceeded => "Uses limit exceeded",
            P::InvalidAmount => "Invalid amount",
            P::ExternalDecline => "External decline",
            P::NoSharing => "No sharing",
            P::ContactIssuer => "Contact card issuer",
            P::DestinationNotAvailable => "Destination not available",
            P::RoutingError => "Routing error",
            P::FormatError => "Format error",
            P::ExternalDeclineSpecialCondition => "External decline, special condition",
            P::BadCvv => "Bad CVV",
            P::BadCvv2 => "Bad CVV2",
            P::InvalidTransaction => "Invalid transaction",
            P::PinTriesExceeded => "PIN tries exceeded",
            P::BadCavv => "Bad CAVV",
            P::BadArqc => "Bad ARQC",
            P::ShouldSelectCard => "Should select card",
            P::ConfirmIssuerFee => "Confirm issuer fee",
            P::InsufficientCash => "Insufficient cash",
            P::ApprovedFrictionless => "Approved, frictionless",
            P::InvalidMerchant => "Invalid merchant",
            P::Other(code) => match code.as_str() {
                "61" | "62" | "63" | "64" | "65" | "66" => "Limit or statement condition (61-66)",
                "90" | "91" | "92" => "Administrative approval (90-92)",
                _ => return None,
            },
        })
    }
}
