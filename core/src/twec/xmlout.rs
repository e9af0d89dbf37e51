//! XMLOut: the `<Message>` the gateway hands the customer's **browser** to POST to the
//! ApproveURL, CancelURL or DeclineURL as the form field `xmlmsg`.
//!
//! It is not to be trusted. It travels through the browser, is unsigned on Kapital (and on
//! most banks), and anyone can POST a forged `<OrderStatus>APPROVED</OrderStatus>` to your
//! approve URL. Kapital's document requires a `GetOrderStatus` call before delivering goods.
//! So [`parse_xmlout`] returns an [`UnverifiedXmlOut`]: it has no "paid" or "approved"
//! accessor; its claimed outcome is reachable only through methods named `unverified_…`;
//! and [`UnverifiedXmlOut::verify`] hands back the [`GetOrderStatus`] whose outcome is the
//! trusted status.

use serde::Serialize;

use super::codes::{ApiError, OrderStatus, ResponseCode};
use super::config::{Config, XmlMsgEncoding};
use super::ops::GetOrderStatus;
use super::wire;
use super::xmldoc::{self, Element};
use crate::{Amount, BuildError, Currency, ResponseError, State};

/// An XMLOut message as the browser delivered it: **unverified**.
///
/// Identification fields (order, session, card mask, amounts) have plain accessors; what the
/// message *claims* about the outcome ([`Self::unverified_order_status`],
/// [`Self::unverified_response_code`], ...) is labelled as such. Confirm with
/// [`Self::verify`] and [`crate::execute`] before shipping anything.
///
/// ```
/// use azpay_core::twec;
///
/// let form = b"xmlmsg=%3CMessage%3E%3COrderID%3E86166%3C%2FOrderID%3E%3CSessionId%3EABC%3C%2FSessionId%3E\
/// %3COrderStatus%3EAPPROVED%3C%2FOrderStatus%3E%3C%2FMessage%3E";
/// let msg = twec::parse_xmlout(form)?;
/// assert_eq!(msg.order_id(), Some("86166"));
/// // The claim is there, labelled; the trusted answer comes from GetOrderStatus.
/// assert_eq!(msg.unverified_order_status(), Some(&twec::OrderStatus::Approved));
/// let check: twec::GetOrderStatus = msg.verify()?;
/// assert_eq!(check.session_id(), "ABC");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// There is deliberately no way to ask the message itself whether the order is paid, and no
/// way to build one with a status of your choosing:
///
/// ```compile_fail
/// let msg = azpay_core::twec::parse_xmlout(b"<Message><OrderStatus>APPROVED</OrderStatus></Message>").unwrap();
/// let _ = msg.order_status();
/// ```
///
/// ```compile_fail
/// let msg = azpay_core::twec::parse_xmlout(b"<Message><OrderStatus>APPROVED</OrderStatus></Message>").unwrap();
/// let _ = msg.is_approved();
/// ```
///
/// ```compile_fail
/// let msg = azpay_core::twec::UnverifiedXmlOut { verified: true, state: azpay_core::State::Done };
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UnverifiedXmlOut {
    /// Always [`State::Pending`]: an unverified message decides nothing, whatever it claims
    /// (plain, base64 or XML-signed alike); the trusted state is the one of
    /// [`GetOrderStatus`] ([`Self::verify`]). What the message claims is
    /// [`Self::unverified_state`].
    pub state: State,
    /// Always `false`: a reminder in every printout.
    verified: bool,
    date: Option<String>,
    version: Option<String>,
    order_id: Option<String>,
    session_id: Option<String>,
    transaction_type: Option<String>,
    pan: Option<String>,
    purchase_amount_minor: Option<u64>,
    total_amount_minor: Option<u64>,
    currency: Option<String>,
    tran_date_time: Option<String>,
    unverified_response_code: Option<ResponseCode>,
    unverified_response_description: Option<String>,
    brand: Option<String>,
    unverified_order_status: Option<OrderStatus>,
    unverified_approval_code: Option<String>,
    acq_fee: Option<String>,
    rrn: Option<String>,
    two_id: Option<String>,
    merchant_tran_id: Option<String>,
    order_description: Option<String>,
    name: Option<String>,
    language: Option<String>,
    signed: bool,
    other: Vec<(String, String)>,
}

const KNOWN: &[&str] = &[
    "Version",
    "OrderID",
    "SessionId",
    "TransactionType",
    "PAN",
    "PurchaseAmount",
    "TotalAmount",
    "Currency",
    "TranDateTime",
    "ResponseCode",
    "ResponseDescription",
    "Brand",
    "OrderStatus",
    "ApprovalCode",
    "AcqFee",
    "RRN",
    "TwoId",
    "MerchantTranID",
    "OrderDescription",
    "Name",
    "Language",
    "Signature",
];

impl UnverifiedXmlOut {
    /// The `date` attribute of `<Message>`.
    pub fn date(&self) -> Option<&str> {
        self.date.as_deref()
    }
    /// `Version`.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
    /// `OrderID`.
    pub fn order_id(&self) -> Option<&str> {
        self.order_id.as_deref()
    }
    /// `SessionId` / `SessionID`.
    pub fn session_id(&self) -> Option<&str> {
        self.session_id.as_deref()
    }
    /// `TransactionType` (`Purchase`, ...).
    pub fn transaction_type(&self) -> Option<&str> {
        self.transaction_type.as_deref()
    }
    /// `PAN`, masked by the gateway (`949612XXXX4486`).
    pub fn pan(&self) -> Option<&str> {
        self.pan.as_deref()
    }
    /// `PurchaseAmount` in minor units.
    pub fn purchase_amount_minor(&self) -> Option<u64> {
        self.purchase_amount_minor
    }
    /// `PurchaseAmount` with `Currency`, when azpay knows the currency.
    pub fn purchase_amount(&self) -> Option<Amount> {
        let c = Currency::parse(self.currency.as_deref()?).ok()?;
        Some(Amount::from_minor(self.purchase_amount_minor?, c))
    }
    /// `TotalAmount` in minor units.
    pub fn total_amount_minor(&self) -> Option<u64> {
        self.total_amount_minor
    }
    /// `Currency` (numeric, as received).
    pub fn currency(&self) -> Option<&str> {
        self.currency.as_deref()
    }
    /// `TranDateTime` as received (the format differs between banks).
    pub fn tran_date_time(&self) -> Option<&str> {
        self.tran_date_time.as_deref()
    }
    /// `Brand` (`VISA`, ...).
    pub fn brand(&self) -> Option<&str> {
        self.brand.as_deref()
    }
    /// `AcqFee`.
    pub fn acq_fee(&self) -> Option<&str> {
        self.acq_fee.as_deref()
    }
    /// `RRN`.
    pub fn rrn(&self) -> Option<&str> {
        self.rrn.as_deref()
    }
    /// `TwoId` (Kapital's `TranId` for a refund).
    pub fn two_id(&self) -> Option<&str> {
        self.two_id.as_deref()
    }
    /// `MerchantTranID`.
    pub fn merchant_tran_id(&self) -> Option<&str> {
        self.merchant_tran_id.as_deref()
    }
    /// `OrderDescription`.
    pub fn order_description(&self) -> Option<&str> {
        self.order_description.as_deref()
    }
    /// `Name` (cardholder).
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    /// `Language`.
    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }
    /// Whether the message carries an XML-DSig `<Signature>` (not checked by azpay).
    pub fn has_signature(&self) -> bool {
        self.signed
    }
    /// Other leaf elements of `<Message>` as `(name, text)` in document order
    /// (`ApprovalCodeScr`, `ShopOrderId`, `ThreeDSStatus`, ...).
    pub fn other(&self) -> &[(String, String)] {
        &self.other
    }

    /// The `OrderStatus` the message **claims**. Unverified: anyone can forge it.
    pub fn unverified_order_status(&self) -> Option<&OrderStatus> {
        self.unverified_order_status.as_ref()
    }
    /// The [`State`] the message's `OrderStatus` **claims** ([`OrderStatus::state`];
    /// `Pending` without one). Unverified: anyone can forge it; never ship on it.
    pub fn unverified_state(&self) -> State {
        self.unverified_order_status
            .as_ref()
            .map_or(State::Pending, OrderStatus::state)
    }
    /// The `ResponseCode` the message **claims**. Unverified.
    pub fn unverified_response_code(&self) -> Option<&ResponseCode> {
        self.unverified_response_code.as_ref()
    }
    /// The `ResponseDescription` the message **claims**. Unverified.
    pub fn unverified_response_description(&self) -> Option<&str> {
        self.unverified_response_description.as_deref()
    }
    /// The `ApprovalCode` the message **claims**. Unverified.
    pub fn unverified_approval_code(&self) -> Option<&str> {
        self.unverified_approval_code.as_deref()
    }

    /// The [`GetOrderStatus`] for this message's `OrderID` and `SessionId`: execute it, and
    /// trust its [`super::OrderStatusOutcome`], not this message.
    pub fn verify(&self) -> Result<GetOrderStatus, BuildError> {
        let order_id = self
            .order_id
            .as_deref()
            .ok_or_else(|| BuildError::invalid("OrderID", "the XMLOut message has no OrderID"))?;
        let session_id = self.session_id.as_deref().ok_or_else(|| {
            BuildError::invalid("SessionID", "the XMLOut message has no SessionId")
        })?;
        Ok(GetOrderStatus::new(order_id, session_id))
    }
}

/// Parses what arrived at the approve/cancel/decline URL: the whole form body
/// (`xmlmsg=…`, form-decoded), or the message itself, as XML or as base64 of the XML.
/// The result is [`UnverifiedXmlOut`]; see the [TWEC module documentation](super) for why.
pub fn parse_xmlout(input: &[u8]) -> Result<UnverifiedXmlOut, ResponseError<ApiError>> {
    parse_with(input, XmlMsgEncoding::Auto)
}

/// [`parse_xmlout`] honouring the configured [`XmlMsgEncoding`]: with
/// [`XmlMsgEncoding::Plain`] base64 input is refused.
pub fn parse_xmlout_with(
    config: &Config,
    input: &[u8],
) -> Result<UnverifiedXmlOut, ResponseError<ApiError>> {
    parse_with(input, config.xmlmsg_encoding)
}

fn malformed(reason: impl Into<String>, input: &[u8]) -> ResponseError<ApiError> {
    ResponseError::malformed(reason, input.to_vec())
}

fn parse_with(
    input: &[u8],
    encoding: XmlMsgEncoding,
) -> Result<UnverifiedXmlOut, ResponseError<ApiError>> {
    ResponseError::check_size(input)?;
    let trimmed = input.trim_ascii();
    if trimmed.starts_with(b"<") || trimmed.starts_with(b"\xEF\xBB\xBF") {
        return message(trimmed, input);
    }
    // A form body: `xmlmsg=…` possibly among other fields.
    if let Some(value) = form_urlencoded::parse(trimmed)
        .find(|(k, _)| k == "xmlmsg")
        .map(|(_, v)| v.into_owned())
    {
        let value = value.trim();
        if value.starts_with('<') {
            return message(value.as_bytes(), input);
        }
        // A `+` of base64 that the sender did not percent-encode arrives as a space.
        return base64_message(&value.replace(' ', "+"), encoding, input);
    }
    let text = std::str::from_utf8(trimmed)
        .map_err(|_| malformed("xmlmsg is neither XML, a form body nor base64", input))?;
    base64_message(text, encoding, input)
}

fn base64_message(
    text: &str,
    encoding: XmlMsgEncoding,
    input: &[u8],
) -> Result<UnverifiedXmlOut, ResponseError<ApiError>> {
    if encoding == XmlMsgEncoding::Plain {
        return Err(malformed(
            "xmlmsg is not XML (the configuration says it arrives as plain XML)",
            input,
        ));
    }
    let decoded = wire::decode_base64(text)
        .ok_or_else(|| malformed("xmlmsg is neither XML, a form body nor base64", input))?;
    if !decoded.trim_ascii().starts_with(b"<") && !decoded.starts_with(b"\xEF\xBB\xBF") {
        return Err(malformed("base64-decoded xmlmsg is not XML", input));
    }
    message(decoded.trim_ascii(), input)
}

fn message(xml: &[u8], input: &[u8]) -> Result<UnverifiedXmlOut, ResponseError<ApiError>> {
    let mut root = xmldoc::parse(xml).map_err(|reason| malformed(reason, input))?;
    let msg = root
        .find_mut("Message")
        .ok_or_else(|| malformed("no <Message> element", input))?;
    from_message(msg, input)
}

/// Reads the message, moving its texts out of the tree (no copies).
fn from_message(
    msg: &mut Element,
    input: &[u8],
) -> Result<UnverifiedXmlOut, ResponseError<ApiError>> {
    let minor = |msg: &Element, name: &str| -> Result<Option<u64>, ResponseError<ApiError>> {
        match msg.child_value(name) {
            None => Ok(None),
            Some(t) => t.parse().map(Some).map_err(|_| {
                malformed(
                    format!("{name} `{t}` is not a whole number of minor units"),
                    input,
                )
            }),
        }
    };
    let purchase_amount_minor = minor(msg, "PurchaseAmount")?;
    let total_amount_minor = minor(msg, "TotalAmount")?;
    let unverified_response_code = msg.child_value("ResponseCode").map(ResponseCode::new);
    let unverified_order_status = msg.child_value("OrderStatus").map(OrderStatus::parse);
    let signed = msg.child("Signature").is_some();
    let date = msg.attr("date").map(str::to_owned);
    let mut out = UnverifiedXmlOut {
        state: State::Pending,
        verified: false,
        date,
        version: msg.take_value("Version"),
        order_id: msg.take_value("OrderID"),
        session_id: msg.take_value("SessionId"),
        transaction_type: msg.take_value("TransactionType"),
        pan: msg.take_value("PAN"),
        purchase_amount_minor,
        total_amount_minor,
        currency: msg.take_value("Currency"),
        tran_date_time: msg.take_value("TranDateTime"),
        unverified_response_code,
        unverified_response_description: msg.take_value("ResponseDescription"),
        brand: msg.take_value("Brand"),
        unverified_order_status,
        unverified_approval_code: msg.take_value("ApprovalCode"),
        acq_fee: msg.take_value("AcqFee"),
        rrn: msg.take_value("RRN"),
        two_id: msg.take_value("TwoId"),
        merchant_tran_id: msg.take_value("MerchantTranID"),
        order_description: msg.take_text("OrderDescription"),
        name: msg.take_value("Name"),
        language: msg.take_value("Language"),
        signed,
        other: Vec::new(),
    };
    // `SessionID` is `SessionId` case-insensitively: already in KNOWN.
    out.other = msg.take_other_leaves(KNOWN);
    Ok(out)
}
