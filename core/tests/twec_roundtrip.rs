//! Property: any description and merchant id made of XML 1.0 characters survive
//! build -> parse unchanged, read back with an independent quick-xml event loop.

use azpay_core::twec::{Config, CreateOrder, Refund};
use azpay_core::{Amount, Currency, Operation};
use proptest::prelude::*;
use quick_xml::events::Event;
use quick_xml::Reader;

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The text of every element called `name`, in document order, entities resolved.
fn texts(xml: &[u8], name: &str) -> Vec<String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == name.as_bytes() => {
                current = Some(String::new())
            }
            Event::End(e) if e.name().as_ref() == name.as_bytes() => {
                out.push(current.take().expect("open"))
            }
            Event::Text(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t.xml10_content().expect("utf-8"));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = current.as_mut() {
                    let ch = match r.resolve_char_ref().expect("char ref") {
                        Some(ch) => ch,
                        None => match r.as_ref() {
                            b"lt" => '<',
                            b"gt" => '>',
                            b"amp" => '&',
                            b"apos" => '\'',
                            b"quot" => '"',
                            other => panic!("unexpected entity {other:?}"),
                        },
                    };
                    c.push(ch);
                }
            }
            Event::CData(_) => panic!("the writer uses no CDATA"),
            Event::DocType(_) => panic!("no DOCTYPE"),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

fn xml_string(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        any::<char>().prop_filter("XML 1.0 char", |c| is_xml_char(*c)),
        0..max,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn tricky() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "<",
            ">",
            "&",
            "\"",
            "'",
            "]]>",
            "\r",
            "\r\n",
            "\n",
            "\t",
            " ",
            "ə",
            "ğ",
            "ı",
            "ö",
            "ş",
            "ü",
            "ç",
            "Ə",
            "&amp;",
            "<!--",
            "<![CDATA[",
            "\u{FFFD}",
            "😀",
        ]),
        0..20,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn description_and_merchant_survive(
        description in prop_oneof![xml_string(64), tricky()],
        merchant in xml_string(24).prop_filter("a valid identifier", |m| {
            !m.trim().is_empty() && !m.chars().any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c))
        }),
    ) {
        let config = Config::kapital_test(merchant.clone())
            .approve_url("https://a/ok?x=1&y=2")
            .cancel_url("https://a/c")
            .decline_url("https://a/d");
        let op = CreateOrder::purchase(Amount::from_minor(1, Currency::AZN), description.clone());
        let req = op.build_request(&config).unwrap();
        prop_assert_eq!(texts(req.body(), "Description"), vec![description.clone()]);
        prop_assert_eq!(texts(req.body(), "Merchant"), vec![merchant.clone()]);
        prop_assert_eq!(texts(req.body(), "ApproveURL"), vec!["https://a/ok?x=1&y=2".to_owned()]);

        let refund = Refund::new("1", "S", Amount::from_minor(5, Currency::AZN))
            .tran_id("2292054")
            .description(description.clone());
        let req = refund.build_request(&config).unwrap();
        // A blank description gets Kapital's default (never an empty element).
        let sent = if description.trim().is_empty() { "Refund of order 1".to_owned() } else { description };
        prop_assert_eq!(texts(req.body(), "Description"), vec![sent]);
        prop_assert_eq!(texts(req.body(), "Merchant"), vec![merchant]);
    }

    #[test]
    fn forbidden_characters_are_refused(
        prefix in xml_string(8),
        bad in any::<char>().prop_filter("forbidden", |c| !is_xml_char(*c)),
    ) {
        let config = Config::kapital_test("E1").approve_url("a").cancel_url("c").decline_url("d");
        let op = CreateOrder::purchase(Amount::from_minor(1, Currency::AZN), format!("{prefix}{bad}"));
        let e = op.build_request(&config).unwrap_err();
        prop_assert_eq!(e.field(), Some("Description"));
    }
}

proptest! {
    #[test]
    fn parsers_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512), xmlish in "[<>/a-zA-Z&;#0-9 =\"'!\\[\\]-]{0,200}") {
        use azpay_core::twec::{parse_xmlout, GetOrderInformation, GetOrderStatus};
        let config = Config::kapital_test("E1");
        for body in [bytes.clone(), xmlish.clone().into_bytes()] {
            let _ = parse_xmlout(&body);
            let _ = GetOrderStatus::new("1", "S").parse_response(&config, http::Response::new(body.clone()));
            let _ = GetOrderInformation::new("1", "S").parse_response(&config, http::Response::new(body));
        }
    }
}
