//! Parsing TKKPG responses into the typed outcomes of [`super::ops`]: bounded, tolerant of
//! element-name case and unknown elements, refusing DOCTYPEs (see [`super::xmldoc`]).

use base64::Engine as _;

use super::codes::{ApiError, OrderStatus, ResponseCode, StatusCode};
use super::config::Config;
use super::outcome::{CreatedOrder, OperationOutcome, OrderInformation, OrderStatusOutcome};
use super::xmldoc::{self, Element};
use crate::{Amount, Currency, HttpResponse, RawBody, ResponseError};

type Result<T> = std::result::Result<T, ResponseError<ApiError>>;

/// A parsed answer: its root and the body as received (for `Malformed` errors).
pub(crate) struct Doc {
    pub(crate) root: Element,
    body: Vec<u8>,
}

impl Doc {
    fn malformed(&self, reason: impl Into<String>) -> ResponseError<ApiError> {
        ResponseError::malformed(reason, RawBody::new(self.body.clone()))
    }

    /// `TKKPG/Response` (or a root `Response`; or, as in one of Kapital's samples, a
    /// mislabelled `TKKPG/Request` that carries a `Status`).
    fn response(&self) -> Option<&Element> {
        let root = &self.root;
        if root.is("Response") {
            return Some(root);
        }
        if root.is("TKKPG") {
            return root.child("Response").or_else(|| {
                root.child("Request")
                    .filter(|r| r.child("Status").is_some())
            });
        }
        None
    }

    /// The `Response` element, whose `Status` must be present (and, by [`parse`], `00`).
    fn ok_response(&self) -> Result<&Element> {
        let resp = self
            .response()
            .ok_or_else(|| self.malformed("no TKKPG/Response element"))?;
        match resp.child("Status") {
            None => return Err(self.malformed("no Response/Status element")),
            Some(s) if s.text.trim().is_empty() => {
                return Err(self.malformed("Response/Status is empty"))
            }
            Some(_) => {}
        }
        Ok(resp)
    }
}

/// Size check, XML parse, `Status` check (non-`00` becomes [`ResponseError::Api`]) and HTTP
/// status check, in that order.
pub(crate) fn parse(operation: &str, response: HttpResponse) -> Result<Doc> {
    let (parts, body) = response.into_parts();
    ResponseError::check_size(&body)?;
    let root = match xmldoc::parse(&body) {
        Ok(root) => root,
        Err(reason) if parts.status.is_success() => {
            return Err(ResponseError::malformed(reason, body))
        }
        Err(_) => {
            return Err(ResponseError::Status {
                status: parts.status,
                body: body.into(),
            })
        }
    };
    let doc = Doc { root, body };
    if let Some(status) = doc.response().and_then(|r| r.child_value("Status")) {
        let status = StatusCode::parse(status);
        if !status.is_success() {
            return Err(ResponseError::Api(ApiError {
                status,
                operation: operation.to_owned(),
            }));
        }
    }
    if !parts.status.is_success() {
        return Err(ResponseError::Status {
            status: parts.status,
            body: doc.body.into(),
        });
    }
    Ok(doc)
}

pub(crate) fn created_order(response: HttpResponse) -> Result<CreatedOrder> {
    let doc = parse("CreateOrder", response)?;
    let resp = doc.ok_response()?;
    let order = resp
        .child("Order")
        .ok_or_else(|| doc.malformed("no Response/Order element"))?;
    let field = |name: &str| {
        order
            .child_value(name)
            .map(str::to_owned)
            .ok_or_else(|| doc.malformed(format!("no Response/Order/{name}")))
    };
    let order_id = field("OrderID")?;
    let session_id = field("SessionID")?;
    let url = field("URL")?;
    crate::input::browser_url(&url).map_err(|why| {
        doc.malformed(format!(
            "Response/Order/URL is not a URL to send a browser to: {why}"
        ))
    })?;
    Ok(CreatedOrder {
        order_id,
        session_id,
        url,
        state: crate::State::Done,
    })
}

/// Decodes a base64 receipt: `(bytes, text)`; bytes are `None` when the text is not base64.
pub(crate) fn receipt(text: Option<&str>) -> (Option<Vec<u8>>, Option<String>) {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return (None, None);
    };
    (decode_base64(text), Some(text.to_owned()))
}

/// Base64 (standard alphabet, padding optional, whitespace ignored).
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    engine.decode(compact.as_bytes()).ok()
}

pub(crate) fn order_status(response: HttpResponse, asked: &str) -> Result<OrderStatusOutcome> {
    let doc = parse("GetOrderStatus", response)?;
    let resp = doc.ok_response()?;
    let order = resp.child("Order");
    // Under Response/Order (most clients) or directly under Response (eyvazoff/kapitalbank).
    let value = |name: &str| {
        order
            .and_then(|o| o.child_value(name))
            .or_else(|| resp.child_value(name))
    };
    let status = value("OrderStatus").ok_or_else(|| {
        let present = order
            .and_then(|o| o.child("OrderStatus"))
            .or_else(|| resp.child("OrderStatus"))
            .is_some();
        doc.malformed(if present {
            "OrderStatus is empty"
        } else {
            "no OrderStatus in the answer"
        })
    })?;
    let receipt_text = resp
        .child("AdditionalInfo")
        .and_then(|a| a.child_text("Receipt"))
        .or_else(|| resp.find("Receipt").map(|r| r.text.as_str()));
    let (receipt, receipt_text) = receipt(receipt_text);
    let order_status = OrderStatus::parse(status);
    Ok(OrderStatusOutcome {
        state: order_status.state(),
        order_id: value("OrderID").unwrap_or(asked).to_owned(),
        order_status,
        receipt,
        receipt_text,
    })
}

fn minor(doc: &Doc, name: &str, text: Option<&str>) -> Result<Option<u64>> {
    match text {
        None => Ok(None),
        // Digits only: `u64::from_str` would also take a leading `+`.
        Some(t) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => t
            .parse::<u64>()
            .map(Some)
            .map_err(|_| doc.malformed(format!("{name} `{t}` is too large for minor units"))),
        Some(t) => Err(doc.malformed(format!("{name} `{t}` is not a whole number of minor units"))),
    }
}

fn currency_of(text: Option<&str>) -> Option<Currency> {
    text.and_then(|t| Currency::parse(t).ok())
}

const ROW_FIELDS: &[&str] = &[
    "id",
    "SessionID",
    "createDate",
    "lastUpdateDate",
    "payDate",
    "MerchantID",
    "Amount",
    "Currency",
    "OrderLanguage",
    "Description",
    "ApproveURL",
    "CancelURL",
    "DeclineURL",
    "Orderstatus",
    "Receipt",
    "twoId",
    "RefundAmount",
    "RefundCurrency",
    "ExtSystemProcess",
    "OrderType",
    "OrderSubType",
    "Fee",
    "Email",
    "RefundDate",
    "TWODate",
    "TWOTime",
];

/// [`Doc::response`], mutably.
fn response_mut(root: &mut Element) -> Option<&mut Element> {
    if root.is("Response") {
        return Some(root);
    }
    if !root.is("TKKPG") {
        return None;
    }
    let index = match root.children.iter().position(|c| c.is("Response")) {
        Some(i) => i,
        None => {
            let i = root.children.iter().position(|c| c.is("Request"))?;
            root.children.get(i)?.child("Status")?;
            i
        }
    };
    root.children.get_mut(index)
}

pub(crate) fn order_information(
    response: HttpResponse,
    config: &Config,
) -> Result<OrderInformation> {
    let mut doc = parse("GetOrderInformation", response)?;
    // First the checks and the values that are not copied text, reading the tree...
    let has_response = doc.response().is_some();
    let (amount_minor, refund_amount_minor, fee_minor, order_status, has_row) = {
        let scope = if has_response {
            doc.ok_response()?
        } else {
            &doc.root
        };
        let order = scope
            .find("Order")
            .ok_or_else(|| doc.malformed("no Order element"))?;
        let has_row = order.find("row").is_some();
        let row = order.find("row").unwrap_or(order);
        (
            minor(&doc, "Amount", row.child_value("Amount"))?,
            minor(&doc, "RefundAmount", row.child_value("RefundAmount"))?,
            minor(&doc, "Fee", row.child_value("Fee"))?,
            row.child_value("Orderstatus").map(OrderStatus::parse),
            has_row,
        )
    };
    // ...then the texts, moved out of the tree instead of copied.
    let scope = if has_response {
        response_mut(&mut doc.root)
    } else {
        Some(&mut doc.root)
    };
    let order = scope.and_then(|s| s.find_mut("Order"));
    let row = match (order, has_row) {
        (Some(order), true) => order.find_mut("row"),
        (order, _) => order,
    };
    let Some(row) = row else {
        return Err(ResponseError::malformed(
            "no Order element",
            RawBody::new(doc.body.clone()),
        ));
    };
    let mut v = |name: &str| row.take_value(name);

    let currency = v("Currency");
    let order_currency = currency_of(currency.as_deref()).or_else(|| {
        // No Currency element: the merchant's.
        currency.is_none().then_some(config.currency)
    });
    let refund_currency = v("RefundCurrency").filter(|c| !c.eq_ignore_ascii_case("null"));
    let refund_cur = match &refund_currency {
        Some(c) => currency_of(Some(c)),
        None => order_currency,
    };
    let mut out = OrderInformation {
        state: order_status
            .as_ref()
            .map_or(crate::State::Pending, OrderStatus::state),
        id: v("id"),
        session_id: v("SessionID"),
        create_date: v("createDate"),
        last_update_date: v("lastUpdateDate"),
        pay_date: v("payDate"),
        merchant_id: v("MerchantID"),
        amount: amount_minor
            .zip(order_currency)
            .map(|(m, c)| Amount::from_minor(m, c)),
        amount_minor,
        currency,
        order_language: v("OrderLanguage"),
        description: None,
        approve_url: v("ApproveURL"),
        cancel_url: v("CancelURL"),
        decline_url: v("DeclineURL"),
        order_status,
        receipt: v("Receipt"),
        two_id: v("twoId"),
        refund_amount: refund_amount_minor
            .zip(refund_cur)
            .map(|(m, c)| Amount::from_minor(m, c)),
        refund_amount_minor,
        refund_currency,
        ext_system_process: v("ExtSystemProcess"),
        order_type: v("OrderType"),
        order_sub_type: v("OrderSubType"),
        fee_minor,
        email: v("Email"),
        refund_date: v("RefundDate").filter(|d| !d.starts_with("0000-00-00")),
        two_date: v("TWODate"),
        two_time: v("TWOTime"),
        other: Vec::new(),
    };
    out.description = row.take_text("Description");
    out.other = row.take_other_leaves(ROW_FIELDS);
    Ok(out)
}

pub(crate) fn operation_outcome(
    operation: &str,
    response: HttpResponse,
) -> Result<OperationOutcome> {
    let doc = parse(operation, response)?;
    let resp = doc.ok_response()?;
    let mut details = Vec::new();
    let mut response_code = resp
        .find("ResponseCode")
        .map(|e| e.text.trim())
        .filter(|t| !t.is_empty())
        .map(ResponseCode::new);
    if let Some(pos) = resp.find("POSResponse") {
        for c in &pos.children {
            if let (Some(name), Some(value)) = (c.attr("name"), c.attr("value")) {
                if name.eq_ignore_ascii_case("ResponseCode") && response_code.is_none() {
                    response_code = Some(ResponseCode::new(value));
                }
                details.push((name.to_owned(), value.to_owned()));
            }
        }
    }
    if let Some(rev) = resp.find("Reversal") {
        for c in rev.children.iter().filter(|c| c.children.is_empty()) {
            if c.is("RespCode") && response_code.is_none() && !c.text.trim().is_empty() {
                response_code = Some(ResponseCode::new(&c.text));
            }
            details.push((c.name.to_string(), c.text.clone()));
        }
    }
    let state = response_code
        .as_ref()
        .map_or(crate::State::Done, ResponseCode::action_state);
    Ok(OperationOutcome {
        state,
        operation: resp.child_value("Operation").map(str::to_owned),
        order_id: resp
            .find("OrderID")
            .map(|e| e.text.trim().to_owned())
            .filter(|t| !t.is_empty()),
        order_status: resp
            .find("OrderStatus")
            .map(|e| e.text.trim())
            .filter(|t| !t.is_empty())
            .map(OrderStatus::parse),
        response_code,
        details,
    })
}
