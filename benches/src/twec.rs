//! TWEC: CreateOrder build, GetOrderInformation parse and XMLOut parse, azpay and floor.

use azpay_core::twec::{
    self, Config, CreateOrder, GetOrderInformation, OrderInformation, UnverifiedXmlOut,
};
use azpay_core::{Amount, Currency, HttpRequest, HttpResponse, Language, Operation};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

/// Kapital's TWEC test endpoint.
pub const EXEC_URL: &str = "https://tstpg.kapitalbank.az:5443/Exec";
/// The return URL of S1's sample.
pub const RETURN_URL: &str = "/testshopPageReturn.jsp";

/// The azpay configuration of S1's sample (Kapital test, `RU`).
pub fn config() -> Config {
    Config::kapital_test("E1000010")
        .language(Language::Ru)
        .approve_url(RETURN_URL)
        .cancel_url(RETURN_URL)
        .decline_url(RETURN_URL)
}

/// S1's purchase: 1234.56 AZN, `xxxxxxxx`.
pub fn create_op() -> CreateOrder {
    CreateOrder::purchase(Amount::from_minor(123_456, Currency::AZN), "xxxxxxxx")
}

/// azpay: build CreateOrder.
pub fn azpay_create(op: &CreateOrder, config: &Config) -> HttpRequest {
    op.build_request(config).expect("valid order")
}

/// Floor: quick-xml writer events + http.
pub fn floor_create(minor: u64, description: &str) -> HttpRequest {
    let mut w = Writer::new(Vec::with_capacity(512));
    let io = "in-memory writes cannot fail";
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .expect(io);
    w.write_event(Event::Start(BytesStart::new("TKKPG")))
        .expect(io);
    w.write_event(Event::Start(BytesStart::new("Request")))
        .expect(io);
    let el = |w: &mut Writer<Vec<u8>>, name: &str, text: &str| {
        w.write_event(Event::Start(BytesStart::new(name)))
            .expect(io);
        w.write_event(Event::Text(BytesText::new(text))).expect(io);
        w.write_event(Event::End(BytesEnd::new(name))).expect(io);
    };
    el(&mut w, "Operation", "CreateOrder");
    el(&mut w, "Language", "RU");
    w.write_event(Event::Start(BytesStart::new("Order")))
        .expect(io);
    el(&mut w, "OrderType", "Purchase");
    el(&mut w, "Merchant", "E1000010");
    el(&mut w, "Amount", &minor.to_string());
    el(&mut w, "Currency", "944");
    el(&mut w, "Description", description);
    el(&mut w, "ApproveURL", RETURN_URL);
    el(&mut w, "CancelURL", RETURN_URL);
    el(&mut w, "DeclineURL", RETURN_URL);
    for name in ["Order", "Request", "TKKPG"] {
        w.write_event(Event::End(BytesEnd::new(name))).expect(io);
    }
    http::Request::post(EXEC_URL)
        .header(http::header::CONTENT_TYPE, "application/xml; charset=utf-8")
        .body(w.into_inner())
        .expect("valid request")
}

/// S1's GetOrderInformation answer as a transport hands it over.
pub fn information_response() -> HttpResponse {
    http::Response::new(crate::fixtures::TWEC_ORDER_INFORMATION.to_vec())
}

/// The azpay operation (ids of S1's sample).
pub fn information_op() -> GetOrderInformation {
    GetOrderInformation::new("15859914", "02447E3150B781C426638A03706030A5")
}

/// azpay: parse GetOrderInformation.
pub fn azpay_information(
    op: &GetOrderInformation,
    config: &Config,
    response: HttpResponse,
) -> OrderInformation {
    op.parse_response(config, response).expect("valid answer")
}

/// The row fields, read by the floor.
#[derive(Debug, Default, PartialEq)]
#[allow(missing_docs)]
pub struct FloorInformation {
    pub id: Option<String>,
    pub session_id: Option<String>,
    pub create_date: Option<String>,
    pub last_update_date: Option<String>,
    pub pay_date: Option<String>,
    pub merchant_id: Option<String>,
    pub amount_minor: Option<u64>,
    pub currency: Option<String>,
    pub order_language: Option<String>,
    pub description: Option<String>,
    pub approve_url: Option<String>,
    pub cancel_url: Option<String>,
    pub decline_url: Option<String>,
    pub order_status: Option<String>,
    pub receipt: Option<String>,
    pub two_id: Option<String>,
    pub refund_amount_minor: Option<u64>,
    pub refund_currency: Option<String>,
    pub ext_system_process: Option<String>,
    pub order_type: Option<String>,
    pub order_sub_type: Option<String>,
    pub fee_minor: Option<u64>,
    pub email: Option<String>,
    pub refund_date: Option<String>,
    pub two_date: Option<String>,
    pub two_time: Option<String>,
    pub other: Vec<(String, String)>,
}

/// Text events into `(leaf name, text)` pairs, with the text unescaped; a minimal pull loop.
fn leaves(reader: &mut Reader<&[u8]>, mut on_leaf: impl FnMut(&[u8], String)) {
    let mut name: Vec<u8> = Vec::new();
    let mut text = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(s)) => {
                name.clear();
                name.extend_from_slice(s.local_name().as_ref());
                text.clear();
            }
            Ok(Event::Text(t)) => text.push_str(&t.xml10_content().expect("UTF-8")),
            Ok(Event::GeneralRef(r)) => {
                if let Some(c) = r.resolve_char_ref().expect("valid reference") {
                    text.push(c);
                } else {
                    let e = r.decode().expect("UTF-8");
                    text.push_str(quick_xml::escape::resolve_predefined_entity(&e).unwrap_or(""));
                }
            }
            Ok(Event::End(_)) => {
                if !name.is_empty() {
                    on_leaf(&name, std::mem::take(&mut text));
                    name.clear();
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{e}"),
        }
    }
}

fn value(text: String) -> Option<String> {
    let t = text.trim();
    if t.is_empty() {
        None
    } else if t.len() == text.len() {
        Some(text)
    } else {
        Some(t.to_owned())
    }
}

/// Floor: a quick-xml pull loop filling the row's fields by (case-insensitive) name.
pub fn floor_information(response: HttpResponse) -> FloorInformation {
    let mut f = FloorInformation::default();
    leaves(&mut Reader::from_reader(response.body()), |name, text| {
        let is = |n: &str| name.eq_ignore_ascii_case(n.as_bytes());
        let slot = if is("id") {
            &mut f.id
        } else if is("SessionID") {
            &mut f.session_id
        } else if is("createDate") {
            &mut f.create_date
        } else if is("lastUpdateDate") {
            &mut f.last_update_date
        } else if is("payDate") {
            &mut f.pay_date
        } else if is("MerchantID") {
            &mut f.merchant_id
        } else if is("Amount") {
            f.amount_minor = value(text).and_then(|t| t.parse().ok());
            return;
        } else if is("Currency") {
            &mut f.currency
        } else if is("OrderLanguage") {
            &mut f.order_language
        } else if is("Description") {
            f.description = Some(text).filter(|t| !t.is_empty());
            return;
        } else if is("ApproveURL") {
            &mut f.approve_url
        } else if is("CancelURL") {
            &mut f.cancel_url
        } else if is("DeclineURL") {
            &mut f.decline_url
        } else if is("Orderstatus") {
            &mut f.order_status
        } else if is("Receipt") {
            &mut f.receipt
        } else if is("twoId") {
            &mut f.two_id
        } else if is("RefundAmount") {
            f.refund_amount_minor = value(text).and_then(|t| t.parse().ok());
            return;
        } else if is("RefundCurrency") {
            f.refund_currency = value(text).filter(|t| !t.eq_ignore_ascii_case("null"));
            return;
        } else if is("ExtSystemProcess") {
            &mut f.ext_system_process
        } else if is("OrderType") {
            &mut f.order_type
        } else if is("OrderSubType") {
            &mut f.order_sub_type
        } else if is("Fee") {
            f.fee_minor = value(text).and_then(|t| t.parse().ok());
            return;
        } else if is("Email") {
            &mut f.email
        } else if is("RefundDate") {
            f.refund_date = value(text).filter(|t| t != "0000-00-00 00:00:00");
            return;
        } else if is("TWODate") {
            &mut f.two_date
        } else if is("TWOTime") {
            &mut f.two_time
        } else {
            f.other
                .push((String::from_utf8_lossy(name).into_owned(), text));
            return;
        };
        *slot = value(text);
    });
    f
}

/// azpay: parse the XMLOut form body.
pub fn azpay_xmlout(body: &[u8]) -> UnverifiedXmlOut {
    twec::parse_xmlout(body).expect("valid xmlmsg")
}

/// The XMLOut fields, read by the floor.
#[derive(Debug, Default, PartialEq)]
#[allow(missing_docs)]
pub struct FloorXmlOut {
    pub date: Option<String>,
    pub fields: Vec<(String, String)>,
}

/// Floor: form_urlencoded to find `xmlmsg`, then a quick-xml pull loop; the `date` attribute
/// and every leaf as `(name, text)`.
pub fn floor_xmlout(body: &[u8]) -> FloorXmlOut {
    let xml = form_urlencoded::parse(body)
        .find(|(k, _)| k == "xmlmsg")
        .map(|(_, v)| v)
        .expect("an xmlmsg field");
    let mut out = FloorXmlOut::default();
    let mut reader = Reader::from_str(&xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(s)) if s.local_name().as_ref() == b"Message" => {
                out.date = s
                    .try_get_attribute("date")
                    .ok()
                    .flatten()
                    .and_then(|a| a.unescape_value().ok())
                    .map(|v| v.into_owned());
                break;
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{e}"),
        }
    }
    leaves(&mut reader, |name, text| {
        if let Some(v) = value(text) {
            out.fields
                .push((String::from_utf8_lossy(name).into_owned(), v));
        }
    });
    out
}

/// Hostile documents for the bounded XML reader, each as large as the body limit allows
/// (`azpay_core::MAX_BODY_BYTES`): `(shape, document)`. Each is either read or refused; the
/// `xml_bounds` bench times both readers (XMLOut and a TKKPG answer) on every shape.
pub fn hostile_shapes() -> Vec<(&'static str, Vec<u8>)> {
    let max = azpay_core::MAX_BODY_BYTES;
    let fill = |head: &str, unit: &str, tail: &str| {
        let n = (max - head.len() - tail.len()) / unit.len();
        let mut doc = String::with_capacity(max);
        doc.push_str(head);
        for _ in 0..n {
            doc.push_str(unit);
        }
        doc.push_str(tail);
        doc.into_bytes()
    };
    let mut many_attributes = String::from("<Message");
    let mut i = 0u32;
    while many_attributes.len() < max - 32 {
        many_attributes.push_str(&format!(" a{i}=\"\""));
        i += 1;
    }
    many_attributes.push_str("/>");
    let long = "n".repeat(max - 16);
    let leaf = "<x>1234567890123456789012345678901234567890</x>";
    vec![
        ("many_attributes", many_attributes.into_bytes()),
        (
            "spread_attributes",
            fill("<Message>", "<x a=\"1\" b=\"2\"/>", "</Message>"),
        ),
        ("deep_nesting", fill("", "<a>", "")),
        ("many_siblings", fill("<TKKPG>", "<x/>", "</TKKPG>")),
        (
            "max_elements_read",
            format!(
                "<TKKPG><Response><Status>00</Status><Order><row><id>5</id>{}</row></Order>\
                 </Response></TKKPG>",
                leaf.repeat(19_990)
            )
            .into_bytes(),
        ),
        ("long_element_name", format!("<{long}/>").into_bytes()),
        (
            "long_attribute_name",
            format!("<Message {long}=\"\"/>").into_bytes(),
        ),
        (
            "many_entities",
            fill("<Message><OrderID>", "&amp;", "</OrderID></Message>"),
        ),
        (
            "many_char_refs_in_attribute",
            fill("<Message date=\"", "&#65;", "\"/>"),
        ),
        (
            "long_text",
            fill(
                "<TKKPG><Response><Status>00</Status><Order><row><Description>",
                "a",
                "</Description></row></Order></Response></TKKPG>",
            ),
        ),
        (
            "layout_and_comments",
            fill(
                "<TKKPG><Response><Status>00</Status><Order><row>",
                " <!---->\n",
                "</row></Order></Response></TKKPG>",
            ),
        ),
        (
            "control_char_at_end",
            fill(
                "<TKKPG><Response><Status>00</Status><Order><row><Description>",
                "a",
                "\u{1b}</Description></row></Order></Response></TKKPG>",
            ),
        ),
    ]
}

/// azpay's TKKPG reader on `body` (GetOrderInformation): the result is dropped, `Ok` or not.
pub fn azpay_information_any(op: &GetOrderInformation, config: &Config, body: &[u8]) -> bool {
    op.parse_response(config, http::Response::new(body.to_vec()))
        .is_ok()
}

/// azpay's XMLOut reader on `body`: whether it was read.
pub fn azpay_xmlout_any(body: &[u8]) -> bool {
    twec::parse_xmlout(body).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_create_is_byte_identical_to_azpay() {
        let ours = azpay_create(&create_op(), &config());
        let floor = floor_create(123_456, "xxxxxxxx");
        assert_eq!(ours.method(), floor.method());
        assert_eq!(ours.uri(), floor.uri());
        assert_eq!(ours.headers(), floor.headers());
        assert_eq!(
            std::str::from_utf8(ours.body()).unwrap(),
            std::str::from_utf8(floor.body()).unwrap()
        );
    }

    #[test]
    fn floor_information_reads_what_azpay_reads() {
        let o = azpay_information(&information_op(), &config(), information_response());
        let f = floor_information(information_response());
        assert_eq!(f.id, o.id);
        assert_eq!(f.session_id, o.session_id);
        assert_eq!(f.create_date, o.create_date);
        assert_eq!(f.last_update_date, o.last_update_date);
        assert_eq!(f.pay_date, o.pay_date);
        assert_eq!(f.merchant_id, o.merchant_id);
        assert_eq!(f.amount_minor, o.amount_minor);
        assert_eq!(o.amount.map(|a| a.minor()), Some(328));
        assert_eq!(f.currency, o.currency);
        assert_eq!(f.order_language, o.order_language);
        assert_eq!(f.description, o.description);
        assert_eq!(f.approve_url, o.approve_url);
        assert_eq!(f.cancel_url, o.cancel_url);
        assert_eq!(f.decline_url, o.decline_url);
        assert_eq!(
            f.order_status.as_deref(),
            o.order_status.as_ref().map(|s| s.as_str())
        );
        assert_eq!(f.receipt, o.receipt);
        assert_eq!(f.two_id, o.two_id);
        assert_eq!(f.refund_amount_minor, o.refund_amount_minor);
        assert_eq!(f.refund_currency, o.refund_currency);
        assert_eq!(f.ext_system_process, o.ext_system_process);
        assert_eq!(f.order_type, o.order_type);
        assert_eq!(f.order_sub_type, o.order_sub_type);
        assert_eq!(f.fee_minor, o.fee_minor);
        assert_eq!(f.email, o.email);
        assert_eq!(f.refund_date, o.refund_date);
        assert_eq!(f.two_date, o.two_date);
        assert_eq!(f.two_time, o.two_time);
        assert_eq!(f.other, o.other);
    }

    #[test]
    fn floor_xmlout_reads_what_azpay_reads() {
        let body = crate::fixtures::TWEC_XMLOUT_FORM;
        let o = azpay_xmlout(body);
        let f = floor_xmlout(body);
        assert_eq!(f.date.as_deref(), o.date());
        let get = |n: &str| {
            f.fields
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("Version"), o.version());
        assert_eq!(get("OrderID"), o.order_id());
        assert_eq!(get("SessionId"), o.session_id());
        assert_eq!(get("TransactionType"), o.transaction_type());
        assert_eq!(get("PAN"), o.pan());
        assert_eq!(
            get("PurchaseAmount").and_then(|v| v.parse().ok()),
            o.purchase_amount_minor()
        );
        assert_eq!(
            get("TotalAmount").and_then(|v| v.parse().ok()),
            o.total_amount_minor()
        );
        assert_eq!(get("Currency"), o.currency());
        assert_eq!(get("TranDateTime"), o.tran_date_time());
        assert_eq!(
            get("ResponseCode"),
            o.unverified_response_code().map(|c| c.as_str())
        );
        assert_eq!(
            get("ResponseDescription"),
            o.unverified_response_description()
        );
        assert_eq!(get("Brand"), o.brand());
        assert_eq!(
            get("OrderStatus"),
            o.unverified_order_status().map(|s| s.as_str())
        );
        assert_eq!(get("ApprovalCode"), o.unverified_approval_code());
        assert_eq!(get("RRN"), o.rrn());
        assert_eq!(get("TwoId"), o.two_id());
        assert_eq!(get("MerchantTranID"), o.merchant_tran_id());
        assert_eq!(get("OrderDescription"), o.order_description());
        assert_eq!(o.order_description(), Some("xxxxx & ödəniş"));
        assert_eq!(get("Name"), o.name());
        assert_eq!(get("Language"), o.language());
        assert_eq!(get("Signature").is_some(), o.has_signature());
        // ThreeDSStatus is the one leaf azpay keeps among `other`.
        for (k, v) in o.other() {
            assert_eq!(get(k), Some(v.as_str()), "{k}");
        }
        assert_eq!(f.fields.len(), 21);
    }

    #[test]
    fn hostile_shapes_fit_the_body_limit_and_are_handled() {
        let (cfg, op) = (config(), information_op());
        for (shape, doc) in hostile_shapes() {
            assert!(doc.len() <= azpay_core::MAX_BODY_BYTES, "{shape}");
            assert!(doc.len() > 900_000, "{shape}");
            let read = azpay_information_any(&op, &cfg, &doc);
            assert_eq!(
                read,
                matches!(
                    shape,
                    "max_elements_read" | "long_text" | "layout_and_comments"
                ),
                "{shape}"
            );
            let _ = azpay_xmlout_any(&doc);
        }
    }
}
