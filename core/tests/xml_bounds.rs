//! The TWEC XML reader's bounds and character rules, through the public parsers: documents up
//! to the 1 MiB body limit shaped to be expensive (one element with ~150,000 attributes, deep
//! nesting, many siblings, long names, many references, long text) are either read or refused
//! with a malformed-response error naming the limit; characters XML 1.0 forbids are refused
//! however they arrive (raw, or as character references), in text and in attribute values.
//!
//! No test here measures time: the time per shape is the `xml_bounds` criterion bench.

use azpay_core::twec::{self, GetOrderInformation, GetOrderStatus};
use azpay_core::{Operation, ResponseError, MAX_BODY_BYTES};

/// `head`, then `unit` repeated while the document stays within the body limit, then `tail`.
fn fill(head: &str, unit: &str, tail: &str) -> Vec<u8> {
    let n = (MAX_BODY_BYTES - head.len() - tail.len()) / unit.len();
    let mut doc = String::with_capacity(MAX_BODY_BYTES);
    doc.push_str(head);
    for _ in 0..n {
        doc.push_str(unit);
    }
    doc.push_str(tail);
    assert!(doc.len() <= MAX_BODY_BYTES);
    doc.into_bytes()
}

/// One element with as many distinct attributes as fit in 1 MiB (about 150,000).
fn many_attributes() -> Vec<u8> {
    let mut doc = String::from("<Message");
    let mut i = 0u32;
    while doc.len() < MAX_BODY_BYTES - 32 {
        doc.push_str(&format!(" a{i}=\"\""));
        i += 1;
    }
    doc.push_str("/>");
    assert!(i > 100_000, "{i}");
    doc.into_bytes()
}

/// The reason of a `Malformed` error; anything else fails the test.
fn reason<T: std::fmt::Debug, A: std::fmt::Debug>(r: Result<T, ResponseError<A>>) -> String {
    match r {
        Err(ResponseError::Malformed { reason, .. }) => reason,
        other => panic!("expected Malformed, got {other:?}"),
    }
}

fn information(body: &[u8]) -> Result<twec::OrderInformation, ResponseError<twec::ApiError>> {
    GetOrderInformation::new("1", "S").parse_response(
        &twec::Config::kapital_test("E1000010"),
        http::Response::new(body.to_vec()),
    )
}

fn status(body: &[u8]) -> Result<twec::OrderStatusOutcome, ResponseError<twec::ApiError>> {
    GetOrderStatus::new("1", "S").parse_response(
        &twec::Config::kapital_test("E1000010"),
        http::Response::new(body.to_vec()),
    )
}

/// Both readers (XMLOut and a TKKPG answer) refuse `doc`, naming `limit`.
fn refused_naming(what: &str, doc: &[u8], limit: &str) {
    let r = reason(twec::parse_xmlout(doc));
    assert!(r.contains(limit), "{what} (xmlout): {r}");
    let r = reason(information(doc));
    assert!(r.contains(limit), "{what} (answer): {r}");
}

#[test]
fn one_element_with_150k_attributes_is_refused_at_the_per_element_cap() {
    let doc = many_attributes();
    refused_naming("many attributes", &doc, "MAX_ATTRIBUTES_PER_ELEMENT");
    // The message says how many are allowed.
    assert!(reason(twec::parse_xmlout(&doc)).contains("more than 32 attributes"));
}

#[test]
fn attributes_spread_over_many_elements_hit_the_document_cap() {
    let doc = fill("<Message>", "<x a=\"1\" b=\"2\"/>", "</Message>");
    refused_naming("spread attributes", &doc, "MAX_ATTRIBUTES");
    // 4,096 in all is still accepted: 2,048 elements with two each.
    let ok = format!(
        "<Message><OrderID>7</OrderID>{}</Message>",
        "<x a=\"1\" b=\"2\"/>".repeat(2_048)
    );
    assert_eq!(
        twec::parse_xmlout(ok.as_bytes()).unwrap().order_id(),
        Some("7")
    );
    let over = format!(
        "<Message><OrderID>7</OrderID>{}<y c=\"3\"/></Message>",
        "<x a=\"1\" b=\"2\"/>".repeat(2_048)
    );
    refused_naming("4,097 attributes", over.as_bytes(), "MAX_ATTRIBUTES");
}

#[test]
fn attribute_counts_at_and_over_the_per_element_cap() {
    let attrs = |n: usize| (0..n).map(|i| format!(" a{i}=\"{i}\"")).collect::<String>();
    let at = format!(
        "<Message date=\"d\"{}><OrderID>1</OrderID></Message>",
        attrs(31)
    );
    let msg = twec::parse_xmlout(at.as_bytes()).unwrap();
    assert_eq!(msg.date(), Some("d"));
    let over = format!(
        "<Message date=\"d\"{}><OrderID>1</OrderID></Message>",
        attrs(32)
    );
    refused_naming(
        "33 attributes",
        over.as_bytes(),
        "MAX_ATTRIBUTES_PER_ELEMENT",
    );
}

#[test]
fn duplicate_attributes_are_still_refused() {
    let r = reason(twec::parse_xmlout(b"<Message date=\"1\" date=\"2\"/>"));
    assert!(r.contains("duplicate attribute `date`"), "{r}");
    // Same local name under two prefixes is not a duplicate.
    assert!(twec::parse_xmlout(
        b"<Message a:date=\"1\" b:date=\"2\"><OrderID>1</OrderID></Message>"
    )
    .is_ok());
}

#[test]
fn deep_nesting_many_siblings_and_long_names_are_refused() {
    refused_naming("deep", &fill("", "<a>", ""), "MAX_DEPTH");
    refused_naming(
        "siblings",
        &fill("<TKKPG>", "<x/>", "</TKKPG>"),
        "MAX_ELEMENTS",
    );
    let long = "n".repeat(MAX_BODY_BYTES - 16);
    refused_naming(
        "long element name",
        format!("<{long}/>").as_bytes(),
        "MAX_NAME_BYTES",
    );
    refused_naming(
        "long attribute name",
        format!("<Message {long}=\"\"/>").as_bytes(),
        "MAX_NAME_BYTES",
    );
    // 256 bytes is still a name.
    let at = format!(
        "<Message><OrderID>1</OrderID><{0}>v</{0}></Message>",
        "n".repeat(256)
    );
    let msg = twec::parse_xmlout(at.as_bytes()).unwrap();
    assert_eq!(msg.other()[0].1, "v");
    let over = format!("<Message><{0}>v</{0}></Message>", "n".repeat(257));
    refused_naming("257-byte name", over.as_bytes(), "MAX_NAME_BYTES");
}

#[test]
fn many_references_are_refused_at_the_cap() {
    refused_naming(
        "entities in text",
        &fill("<Message><OrderID>", "&amp;", "</OrderID></Message>"),
        "MAX_REFERENCES",
    );
    refused_naming(
        "character references in an attribute",
        &fill("<Message date=\"", "&#65;", "\"/>"),
        "MAX_REFERENCES",
    );
    // 65,536 are accepted.
    let ok = format!(
        "<Message><OrderID>{}</OrderID></Message>",
        "&#x41;".repeat(65_536)
    );
    let msg = twec::parse_xmlout(ok.as_bytes()).unwrap();
    assert_eq!(msg.order_id().map(str::len), Some(65_536));
    let over = format!(
        "<Message date=\"&lt;\"><OrderID>{}</OrderID></Message>",
        "&#x41;".repeat(65_536)
    );
    refused_naming("65,537 references", over.as_bytes(), "MAX_REFERENCES");
}

#[test]
fn long_text_up_to_the_body_limit_is_read() {
    let doc = fill("<Message><OrderID>", "a", "</OrderID></Message>");
    let msg = twec::parse_xmlout(&doc).unwrap();
    assert!(msg.order_id().unwrap().len() > MAX_BODY_BYTES - 64);
    let doc = fill(
        "<TKKPG><Response><Operation>GetOrderStatus</Operation><Status>00</Status><Order>\
         <OrderID>1</OrderID><OrderStatus>APPROVED</OrderStatus></Order><Receipt>",
        "QUJD",
        "</Receipt></Response></TKKPG>",
    );
    let out = status(&doc).unwrap();
    assert!(out.receipt.unwrap().len() > 700_000);
    // The most elements accepted, each with text: read, and the unknown leaves kept.
    let doc = format!(
        "<TKKPG><Response><Status>00</Status><Order><row><id>5</id>{}</row></Order>\
         </Response></TKKPG>",
        "<x>1234567890123456789012345678901234567890</x>".repeat(19_990)
    );
    let info = information(doc.as_bytes()).unwrap();
    assert_eq!(info.id.as_deref(), Some("5"));
    assert_eq!(info.other.len(), 19_990);
}

/// A `<Message>` whose `OrderID` text is `text` and whose `date` attribute is `attr`.
fn message(text: &str, attr: &str) -> Vec<u8> {
    format!("<Message date=\"{attr}\"><OrderID>{text}</OrderID><SessionId>S</SessionId></Message>")
        .into_bytes()
}

#[test]
fn characters_xml_forbids_are_refused_raw_or_as_references() {
    for c in (0u8..0x20).filter(|c| !matches!(c, b'\t' | b'\n' | b'\r')) {
        let raw = char::from(c).to_string();
        let refs = [
            format!("&#{c};"),
            format!("&#x{c:X};"),
            format!("&#x{c:04x};"),
        ];
        let r = reason(twec::parse_xmlout(&message(&raw, "d")));
        assert!(r.contains("not allowed in XML"), "raw {c:#x} in text: {r}");
        let r = reason(twec::parse_xmlout(&message("1", &raw)));
        assert!(
            r.contains("not allowed in XML"),
            "raw {c:#x} in attribute: {r}"
        );
        for rf in &refs {
            assert!(
                twec::parse_xmlout(&message(rf, "d")).is_err(),
                "{rf} in text"
            );
            assert!(
                twec::parse_xmlout(&message("1", rf)).is_err(),
                "{rf} in attribute"
            );
        }
        // In a TKKPG answer, in CDATA and in a comment too.
        let answer = format!(
            "<TKKPG><Response><Status>00</Status><Order><OrderID>1{}</OrderID>\
             <OrderStatus>APPROVED</OrderStatus></Order></Response></TKKPG>",
            raw
        );
        assert!(status(answer.as_bytes()).is_err(), "{c:#x} in an answer");
        let cdata = format!("<Message><OrderID><![CDATA[{raw}]]></OrderID></Message>");
        assert!(
            twec::parse_xmlout(cdata.as_bytes()).is_err(),
            "{c:#x} in CDATA"
        );
        let comment = format!("<Message><!-- {raw} --><OrderID>1</OrderID></Message>");
        assert!(
            twec::parse_xmlout(comment.as_bytes()).is_err(),
            "{c:#x} in a comment"
        );
    }
    for bad in [
        "\u{FFFE}",
        "\u{FFFF}",
        "&#xFFFE;",
        "&#65535;",
        "&#xD800;",
        "&#x110000;",
    ] {
        assert!(
            twec::parse_xmlout(&message(bad, "d")).is_err(),
            "{bad} in text"
        );
        assert!(
            twec::parse_xmlout(&message("1", bad)).is_err(),
            "{bad} in attribute"
        );
    }
    // Tab, LF and CR are allowed, raw or as references, and so is the rest of Unicode.
    let ok =
        twec::parse_xmlout(&message("a&#9;b&#10;c&#13;d\te\u{FFFD}\u{10000}", "x&#9;y")).unwrap();
    assert_eq!(ok.order_id(), Some("a\tb\nc\rd\te\u{FFFD}\u{10000}"));
    assert_eq!(ok.date(), Some("x\ty"));
}

#[test]
fn malformed_references_are_refused() {
    for bad in [
        "&#;",
        "&#x;",
        "&#+65;",
        "&#-65;",
        "&#x+41;",
        "&#99999999999;",
        "&nbsp;",
        "&amp",
    ] {
        assert!(
            twec::parse_xmlout(&message(bad, "d")).is_err(),
            "{bad} in text"
        );
        assert!(
            twec::parse_xmlout(&message("1", bad)).is_err(),
            "{bad} in attribute"
        );
    }
    let ok =
        twec::parse_xmlout(&message("&lt;&gt;&amp;&apos;&quot;&#x263A;", "&#65;&lt;")).unwrap();
    assert_eq!(ok.order_id(), Some("<>&'\"\u{263A}"));
    assert_eq!(ok.date(), Some("A<"));
}
