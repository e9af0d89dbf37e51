//! The typed answers of TWEC's operations.

use serde::Serialize;

use super::codes::{OrderStatus, ResponseCode};
use crate::{Amount, State};

/// The answer to [`CreateOrder`](super::CreateOrder): keep `order_id` and `session_id` together; every later
/// operation needs both. Send the customer to [`CreatedOrder::payment_url`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreatedOrder {
    /// `Order/OrderID`.
    pub order_id: String,
    /// `Order/SessionID`.
    pub session_id: String,
    /// `Order/URL`: the payment page.
    pub url: String,
    /// [`State::Done`]: the order (and its payment page) was created. The payment itself is
    /// decided later: ask [`GetOrderStatus`](super::GetOrderStatus).
    pub state: State,
}

impl CreatedOrder {
    /// `URL?ORDERID=…&SESSIONID=…`, values percent-encoded (every byte but ASCII letters,
    /// digits and `-._~`; `&` instead of `?` when the URL already has a query).
    pub fn payment_url(&self) -> String {
        let enc = |s: &str| {
            let mut out = String::with_capacity(s.len());
            for b in s.bytes() {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                    out.push(char::from(b));
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            out
        };
        let sep = if self.url.contains('?') { '&' } else { '?' };
        format!(
            "{}{sep}ORDERID={}&SESSIONID={}",
            self.url,
            enc(&self.order_id),
            enc(&self.session_id)
        )
    }

    /// The payment page reached by POST instead of GET (the gateway takes either): an HTML
    /// document whose form posts `ORDERID` and `SESSIONID` to [`Self::url`] and submits
    /// itself when the page loads (a button does it without JavaScript). Every value is
    /// HTML-escaped.
    pub fn payment_form_html(&self) -> String {
        let e = html_escape;
        format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Payment</title></head>\n\
             <body onload=\"document.forms[0].submit()\">\n\
             <form method=\"post\" action=\"{}\">\n\
             <input type=\"hidden\" name=\"ORDERID\" value=\"{}\">\n\
             <input type=\"hidden\" name=\"SESSIONID\" value=\"{}\">\n\
             <noscript><button type=\"submit\">Continue to payment</button></noscript>\n\
             </form>\n</body></html>\n",
            e(&self.url),
            e(&self.order_id),
            e(&self.session_id)
        )
    }
}

/// Escapes text for an HTML attribute value or element.
fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Serialize for CreatedOrder {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("CreatedOrder", 5)?;
        st.serialize_field("state", &self.state)?;
        st.serialize_field("order_id", &self.order_id)?;
        st.serialize_field("session_id", &self.session_id)?;
        st.serialize_field("url", &self.url)?;
        st.serialize_field("payment_url", &self.payment_url())?;
        st.end()
    }
}

/// The answer to [`GetOrderStatus`](super::GetOrderStatus): the gateway's own word on the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OrderStatusOutcome {
    /// `OrderID` (as answered; the one asked about when the answer omits it).
    pub order_id: String,
    /// `OrderStatus`.
    pub order_status: OrderStatus,
    /// `AdditionalInfo/Receipt`, base64-decoded; `None` when absent, empty or not valid
    /// base64 (then see [`Self::receipt_text`]).
    #[serde(skip)]
    pub receipt: Option<Vec<u8>>,
    /// `AdditionalInfo/Receipt` exactly as received (base64 text).
    #[serde(rename = "receipt")]
    pub receipt_text: Option<String>,
    /// [`OrderStatus::state`] of `OrderStatus`.
    pub state: State,
}

/// The answer to [`GetOrderInformation`](super::GetOrderInformation): the `<row>` fields. Every field is optional; text
/// is kept as received (dates as `YYYY-MM-DD HH:MM:SS`, `TWODate` as `YYMMDD`, `TWOTime` as
/// `HHMMSS`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OrderInformation {
    /// [`OrderStatus::state`] of `Orderstatus`; [`State::Pending`] when the row has none.
    pub state: State,
    /// `id`: the order id.
    pub id: Option<String>,
    /// `SessionID`.
    pub session_id: Option<String>,
    /// `createDate`.
    pub create_date: Option<String>,
    /// `lastUpdateDate`.
    pub last_update_date: Option<String>,
    /// `payDate`.
    pub pay_date: Option<String>,
    /// `MerchantID`.
    pub merchant_id: Option<String>,
    /// `Amount` with `Currency`, when the currency is one azpay knows (else see
    /// [`Self::amount_minor`]).
    pub amount: Option<Amount>,
    /// `Amount` in minor units as received.
    pub amount_minor: Option<u64>,
    /// `Currency` (numeric, as received).
    pub currency: Option<String>,
    /// `OrderLanguage`.
    pub order_language: Option<String>,
    /// `Description`, exactly as received.
    pub description: Option<String>,
    /// `ApproveURL`.
    pub approve_url: Option<String>,
    /// `CancelURL`.
    pub cancel_url: Option<String>,
    /// `DeclineURL`.
    pub decline_url: Option<String>,
    /// `Orderstatus` / `OrderStatus`.
    pub order_status: Option<OrderStatus>,
    /// `Receipt` as received.
    pub receipt: Option<String>,
    /// `twoId` / `TwoId`: the processing id (Kapital's `TranId` for a refund).
    pub two_id: Option<String>,
    /// `RefundAmount` in the refund currency (or the order's when that is `null`).
    pub refund_amount: Option<Amount>,
    /// `RefundAmount` in minor units as received.
    pub refund_amount_minor: Option<u64>,
    /// `RefundCurrency` (`null` is `None`).
    pub refund_currency: Option<String>,
    /// `ExtSystemProcess`.
    pub ext_system_process: Option<String>,
    /// `OrderType` (`Purchase`, `PreAuth`, ...).
    pub order_type: Option<String>,
    /// `OrderSubType`.
    pub order_sub_type: Option<String>,
    /// `Fee` in minor units.
    pub fee_minor: Option<u64>,
    /// `Email`.
    pub email: Option<String>,
    /// `RefundDate` (`0000-00-00 00:00:00` is `None`).
    pub refund_date: Option<String>,
    /// `TWODate` (`YYMMDD`).
    pub two_date: Option<String>,
    /// `TWOTime` (`HHMMSS`).
    pub two_time: Option<String>,
    /// Other leaf elements of the row, as `(name, text)` in document order.
    pub other: Vec<(String, String)>,
}

impl OrderInformation {
    /// The `TwoId` of the order's approved payment: what Kapital's `Refund` needs in
    /// `<TranId>`. `Some` only when the order is `APPROVED` (paid, possibly part-refunded) and
    /// the row carries a `twoId` that is not empty; `None` otherwise (not paid, declined,
    /// fully refunded, or a gateway that does not report it).
    ///
    /// ```
    /// use azpay_core::{twec, HttpResponse, Operation};
    /// let config = twec::Config::kapital_test("E1000010");
    /// let op = twec::GetOrderInformation::new("1", "S");
    /// let answer = |row: &str| -> HttpResponse {
    ///     http::Response::new(format!("<Order><row>{row}</row></Order>").into_bytes())
    /// };
    /// let paid = op.parse_response(&config, answer("<Orderstatus>APPROVED</Orderstatus><twoId>2292054</twoId>"))?;
    /// assert_eq!(paid.payment_two_id(), Some("2292054"));
    /// let declined = op.parse_response(&config, answer("<Orderstatus>DECLINED</Orderstatus><twoId>7</twoId>"))?;
    /// assert_eq!(declined.payment_two_id(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn payment_two_id(&self) -> Option<&str> {
        if self.order_status != Some(OrderStatus::Approved) {
            return None;
        }
        self.two_id
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("null"))
    }
}

/// The answer to [`Completion`](super::Completion), [`Reverse`](super::Reverse) and [`Refund`](super::Refund): `Status` was `00`.
/// Completion answers `POSResponse` (`l`/`f` elements with `name`/`value`), Reverse
/// `Order/OrderID` and `Reversal/RespCode`, Refund only `Operation` and `Status`; what is
/// found is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OperationOutcome {
    /// Whether the action happened: [`ResponseCode::action_state`] of the response code when
    /// the answer carries one (approved: `Done`; a declining code of the table: `Declined`;
    /// an unknown code: `Pending`); without a code, `Status` `00` means the gateway took the
    /// request: `Done`.
    pub state: State,
    /// `Operation` as echoed.
    pub operation: Option<String>,
    /// An `OrderID`, if the answer carries one.
    pub order_id: Option<String>,
    /// An `OrderStatus`, if the answer carries one.
    pub order_status: Option<OrderStatus>,
    /// The processing host's code: a `ResponseCode` element, `POSResponse/l[@name=ResponseCode]`
    /// or `Reversal/RespCode`.
    pub response_code: Option<ResponseCode>,
    /// Other details as `(name, value)`: the `POSResponse` `name`/`value` pairs and the
    /// leaf elements of `Reversal`.
    pub details: Vec<(String, String)>,
}

impl OperationOutcome {
    /// Whether a response code came back that is not an approval.
    pub fn is_declined(&self) -> bool {
        self.response_code
            .as_ref()
            .is_some_and(|c| !c.is_approved())
    }
}
