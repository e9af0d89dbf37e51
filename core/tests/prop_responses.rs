//! Property tests of the response parsers of the three gateways: bodies shaped like the real
//! ones (the fixtures in `tests/fixtures/`) with fields dropped, retyped, renamed, reordered or
//! unknown ones added never panic; unknown fields and another key order change nothing; and
//! dropping a field the output holds as optional still parses.
//!
//! 1,000 cases per property; set `PROPTEST_CASES` for more.

use azpay_core::{epoint, kapital, twec, Amount, Currency, HttpResponse, Operation};
use proptest::prelude::*;
use quick_xml::events::{BytesStart, BytesText, Event};
use serde_json::Value;

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1000),
    )
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn response(status: u16, body: &[u8]) -> HttpResponse {
    http::Response::builder()
        .status(status)
        .body(body.to_vec())
        .unwrap()
}

/// A parser under test: the response in, the output's `Debug` (or the error's) out.
type Parser = fn(HttpResponse) -> Result<String, String>;

macro_rules! parser {
    ($config:expr, $op:expr) => {{
        fn p(r: HttpResponse) -> Result<String, String> {
            $op.parse_response(&$config, r)
                .map(|o| format!("{o:?}"))
                .map_err(|e| format!("{e:?}"))
        }
        p as Parser
    }};
}

fn azn(minor: u64) -> Amount {
    Amount::from_minor(minor, Currency::AZN)
}

fn ep() -> epoint::Config {
    epoint::Config::new("i000000001", "k")
}
fn kc() -> kapital::Config {
    kapital::Config::new("u", "p")
}
fn tc() -> twec::Config {
    twec::Config::kapital_test("E1000010")
}

/// (fixture, the operation that receives it) for every success fixture.
fn epoint_cases() -> Vec<(&'static str, Parser)> {
    vec![
        (
            "epoint/request_success.json",
            parser!(ep(), epoint::Pay::new(azn(100), "1")),
        ),
        (
            "epoint/card_registration.json",
            parser!(ep(), epoint::SaveCard::new()),
        ),
        (
            "epoint/card_registration_with_pay.json",
            parser!(ep(), epoint::PayAndSaveCard::new(azn(100), "1")),
        ),
        (
            "epoint/execute_pay.json",
            parser!(ep(), epoint::PayWithSavedCard::new("c", azn(100), "1")),
        ),
        (
            "epoint/split_execute_pay.json",
            parser!(
                ep(),
                epoint::SplitPayWithSavedCard::new("c", azn(100), "1", "u", azn(25))
            ),
        ),
        (
            "epoint/get_status.json",
            parser!(ep(), epoint::GetStatus::by_transaction("t")),
        ),
        ("epoint/heartbeat.json", parser!(ep(), epoint::Heartbeat)),
        (
            "epoint/reverse.json",
            parser!(ep(), epoint::Refund::new("t", Currency::AZN)),
        ),
        (
            "epoint/token_widget.json",
            parser!(ep(), epoint::TokenWidget::new(azn(100), "1", "d")),
        ),
        (
            "epoint/token_payment.json",
            parser!(ep(), epoint::TokenPayment::new(azn(236), "1", "d")),
        ),
        (
            "epoint/token_pay.json",
            parser!(ep(), epoint::ApplePay::new("i", Value::Null, Value::Null)),
        ),
    ]
}

fn kapital_cases() -> Vec<(&'static str, Parser)> {
    vec![
        (
            "kapital/create_order_response.json",
            parser!(kc(), kapital::CreateOrder::purchase(azn(100))),
        ),
        (
            "kapital/order_summary.json",
            parser!(kc(), kapital::GetOrder::new(5531)),
        ),
        (
            "kapital/order_detailed.json",
            parser!(kc(), kapital::GetOrder::new(5531).detailed()),
        ),
        (
            "kapital/order_unknown_values.json",
            parser!(kc(), kapital::GetOrder::new(9001)),
        ),
        (
            "kapital/exec_tran_ok.json",
            parser!(kc(), kapital::ExecTran::clearing(1)),
        ),
        (
            "kapital/exec_tran_unknown_pmo.json",
            parser!(kc(), kapital::ExecTran::clearing(1)),
        ),
        (
            "kapital/set_src_token_response.json",
            parser!(kc(), kapital::SetSrcToken::stored_card(1, "p", 2)),
        ),
    ]
}

fn twec_cases() -> Vec<(&'static str, Parser)> {
    vec![
        (
            "twec/resp_create_order_rcb.xml",
            parser!(tc(), twec::CreateOrder::purchase(azn(100), "d")),
        ),
        (
            "twec/resp_get_order_status.xml",
            parser!(tc(), twec::GetOrderStatus::new("86166", "S")),
        ),
        (
            "twec/resp_get_order_information_s1.xml",
            parser!(tc(), twec::GetOrderInformation::new("1", "S")),
        ),
        (
            "twec/resp_get_order_information_wrapped.xml",
            parser!(tc(), twec::GetOrderInformation::new("1", "S")),
        ),
        (
            "twec/resp_completion_sky.xml",
            parser!(tc(), twec::Completion::new("1", "S", azn(100))),
        ),
    ]
}

fn all(cases: Vec<(&'static str, Parser)>) -> Vec<Parser> {
    cases.into_iter().map(|(_, p)| p).collect()
}

// ---------------------------------------------------------------------------------------
// JSON mutations

/// The paths (object keys and array indices) of every member, depth first.
fn paths(v: &Value, prefix: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                prefix.push(PathStep::Key(k.clone()));
                out.push(prefix.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                prefix.push(PathStep::Index(i));
                out.push(prefix.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn parent_mut<'a>(root: &'a mut Value, path: &[PathStep]) -> Option<&'a mut Value> {
    let mut v = root;
    for step in &path[..path.len().saturating_sub(1)] {
        v = match step {
            PathStep::Key(k) => v.get_mut(k.as_str())?,
            PathStep::Index(i) => v.get_mut(*i)?,
        };
    }
    Some(v)
}

fn palette() -> Vec<Value> {
    serde_json::from_str(
        r#"[null, true, false, 0, -1, 1.5, 1e308, -0.0, 18446744073709551616, 123456789012345678901234567890,
            "", "x", "1.005", "-2.50", "FullyPaid", "APPROVED", "success", "ə😀", [], [1, "a"], {}, {"k": null}]"#,
    )
    .unwrap()
}

#[derive(Clone, Debug)]
enum JsonMutation {
    Drop(prop::sample::Index),
    Retype(prop::sample::Index, prop::sample::Index),
    AddUnknown(prop::sample::Index, prop::sample::Index),
}

fn json_mutation() -> impl Strategy<Value = JsonMutation> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(JsonMutation::Drop),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| JsonMutation::Retype(a, b)),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| JsonMutation::AddUnknown(a, b)),
    ]
}

fn apply(root: &mut Value, m: &JsonMutation, n: usize) {
    let mut all = Vec::new();
    paths(root, &mut Vec::new(), &mut all);
    if all.is_empty() {
        return;
    }
    let pal = palette();
    match m {
        JsonMutation::Drop(i) => {
            let path = &all[i.index(all.len())];
            if let Some(parent) = parent_mut(root, path) {
                match (parent, path.last().unwrap()) {
                    (Value::Object(o), PathStep::Key(k)) => {
                        o.remove(k);
                    }
                    (Value::Array(a), PathStep::Index(i)) if *i < a.len() => {
                        a.remove(*i);
                    }
                    _ => {}
                }
            }
        }
        JsonMutation::Retype(i, j) => {
            let path = &all[i.index(all.len())];
            if let Some(parent) = parent_mut(root, path) {
                let slot = match path.last().unwrap() {
                    PathStep::Key(k) => parent.get_mut(k.as_str()),
                    PathStep::Index(i) => parent.get_mut(*i),
                };
                if let Some(slot) = slot {
                    *slot = pal[j.index(pal.len())].clone();
                }
            }
        }
        JsonMutation::AddUnknown(i, j) => {
            let path = &all[i.index(all.len())];
            let value = pal[j.index(pal.len())].clone();
            if let Some(Value::Object(o)) = parent_mut(root, path) {
                o.insert(format!("zzUnknown{n}"), value);
            } else if let Value::Object(o) = root {
                o.insert(format!("zzUnknown{n}"), value);
            }
        }
    }
}

/// Serialises with every object's keys rotated by `rot` (another member order).
fn write_rotated(v: &Value, rot: usize, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut members: Vec<_> = m.iter().collect();
            if !members.is_empty() {
                let k = rot % members.len();
                members.rotate_left(k);
            }
            out.push('{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).unwrap());
                out.push(':');
                write_rotated(v, rot, out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_rotated(v, rot, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn json_cases() -> Vec<(&'static str, Parser, Vec<Parser>)> {
    let ep_all = all(epoint_cases());
    let k_all = all(kapital_cases());
    let mut out = Vec::new();
    for (f, p) in epoint_cases() {
        out.push((f, p, ep_all.clone()));
    }
    for (f, p) in kapital_cases() {
        out.push((f, p, k_all.clone()));
    }
    out
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_json_never_panics(
        case in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(json_mutation(), 1..6),
        rot in 0usize..7,
        status in prop::sample::select(vec![200u16, 400, 404, 500]),
    ) {
        let cases = json_cases();
        let (file, _, parsers) = &cases[case.index(cases.len())];
        let mut v: Value = serde_json::from_slice(&fixture(file)).unwrap();
        for (n, m) in mutations.iter().enumerate() {
            apply(&mut v, m, n);
        }
        let mut text = String::new();
        write_rotated(&v, rot, &mut text);
        for p in parsers {
            let _ = p(response(status, text.as_bytes()));
        }
    }

    #[test]
    fn unknown_fields_and_member_order_change_nothing(
        case in any::<prop::sample::Index>(),
        adds in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..4),
        rot in 0usize..7,
    ) {
        let cases = json_cases();
        let (file, parse, _) = &cases[case.index(cases.len())];
        let original = fixture(file);
        let expected = parse(response(200, &original));
        prop_assert!(expected.is_ok(), "{}: {:?}", file, expected);
        let mut v: Value = serde_json::from_slice(&original).unwrap();
        for (n, (i, j)) in adds.iter().enumerate() {
            apply(&mut v, &JsonMutation::AddUnknown(*i, *j), n);
        }
        let mut text = String::new();
        write_rotated(&v, rot, &mut text);
        prop_assert_eq!(parse(response(200, text.as_bytes())), expected, "{}: {}", file, text);
    }
}

/// The members a successful parse needs, as dotted paths; any other member may be missing.
fn required(file: &str) -> &'static [&'static str] {
    match file {
        "epoint/request_success.json" => &["redirect_url", "transaction"],
        "epoint/card_registration.json" | "epoint/card_registration_with_pay.json" => {
            &["card_id", "redirect_url"]
        }
        "epoint/token_widget.json" => &["widget_url"],
        "epoint/token_payment.json" => &["id"],
        "kapital/create_order_response.json" => {
            &["order", "order.hppUrl", "order.id", "order.password"]
        }
        "kapital/order_summary.json"
        | "kapital/order_detailed.json"
        | "kapital/order_unknown_values.json" => &["order", "order.status"],
        "kapital/exec_tran_ok.json" | "kapital/exec_tran_unknown_pmo.json" => &["tran"],
        "kapital/set_src_token_response.json" => &["order"],
        _ => &["status"],
    }
}

fn dotted(path: &[PathStep]) -> String {
    path.iter()
        .map(|s| match s {
            PathStep::Key(k) => k.clone(),
            PathStep::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn drop_path(v: &mut Value, path: &[PathStep]) {
    match (parent_mut(v, path), path.last()) {
        (Some(Value::Object(o)), Some(PathStep::Key(k))) => {
            o.remove(k);
        }
        (Some(Value::Array(a)), Some(PathStep::Index(i))) if *i < a.len() => {
            a.remove(*i);
        }
        _ => {}
    }
}

#[test]
fn every_optional_member_may_be_missing() {
    for (file, parse, _) in json_cases() {
        let v: Value = serde_json::from_slice(&fixture(file)).unwrap();
        let mut all = Vec::new();
        paths(&v, &mut Vec::new(), &mut all);
        for path in &all {
            let mut w = v.clone();
            drop_path(&mut w, path);
            let got = parse(response(200, w.to_string().as_bytes()));
            let name = dotted(path);
            if required(file).contains(&name.as_str()) {
                assert!(got.is_err(), "{file}: parsed without `{name}`");
            } else {
                assert!(got.is_ok(), "{file}: without `{name}`: {got:?}");
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_set_of_optional_members_may_be_missing(case in any::<prop::sample::Index>(), drops in prop::collection::vec(any::<prop::sample::Index>(), 1..12)) {
        let cases = json_cases();
        let (file, parse, _) = &cases[case.index(cases.len())];
        let mut v: Value = serde_json::from_slice(&fixture(file)).unwrap();
        for d in &drops {
            let mut all = Vec::new();
            paths(&v, &mut Vec::new(), &mut all);
            let optional: Vec<_> = all.into_iter().filter(|p| {
                let name = dotted(p);
                // Keep required members and the objects that hold them.
                !required(file).iter().any(|r| *r == name || r.starts_with(&format!("{name}.")))
            }).collect();
            if optional.is_empty() { break; }
            let path = optional[d.index(optional.len())].clone();
            drop_path(&mut v, &path);
        }
        let got = parse(response(200, v.to_string().as_bytes()));
        prop_assert!(got.is_ok(), "{}: {} -> {:?}", file, v, got);
    }
}

// ---------------------------------------------------------------------------------------
// XML mutations

fn events(xml: &[u8]) -> Vec<Event<'static>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).unwrap() {
            Event::Eof => break,
            e => out.push(e.into_owned()),
        }
        buf.clear();
    }
    out
}

fn write(events: &[Event<'static>]) -> Vec<u8> {
    let mut w = quick_xml::Writer::new(Vec::new());
    for e in events {
        w.write_event(e.clone()).unwrap();
    }
    w.into_inner()
}

/// `(start, end)` event index ranges of every element, in document order.
fn elements(events: &[Event<'static>]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for (i, e) in events.iter().enumerate() {
        match e {
            Event::Start(_) => stack.push(i),
            Event::End(_) => {
                if let Some(s) = stack.pop() {
                    out.push((s, i));
                }
            }
            Event::Empty(_) => out.push((i, i)),
            _ => {}
        }
    }
    out.sort();
    out
}

#[derive(Clone, Debug)]
enum XmlMutation {
    Drop(prop::sample::Index),
    Duplicate(prop::sample::Index),
    SwapCase(prop::sample::Index),
    InsertUnknown(prop::sample::Index, String),
    ReplaceText(prop::sample::Index, String),
}

fn xml_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,12}",
        prop::sample::select(vec![
            "",
            " ",
            "00",
            "30",
            "-1",
            "99999999999999999999",
            "APPROVED",
            "DECLINED",
            "1.5",
            "abc",
            "<>&",
            "\u{FFFD}"
        ])
        .prop_map(str::to_owned),
    ]
}

fn xml_mutation() -> impl Strategy<Value = XmlMutation> {
    let i = any::<prop::sample::Index>;
    prop_oneof![
        i().prop_map(XmlMutation::Drop),
        i().prop_map(XmlMutation::Duplicate),
        i().prop_map(XmlMutation::SwapCase),
        (i(), xml_text()).prop_map(|(a, t)| XmlMutation::InsertUnknown(a, t)),
        (i(), xml_text()).prop_map(|(a, t)| XmlMutation::ReplaceText(a, t)),
    ]
}

fn rename(e: &Event<'static>, f: impl Fn(&str) -> String) -> Event<'static> {
    match e {
        Event::Start(s) => {
            let name = f(std::str::from_utf8(s.name().as_ref()).unwrap());
            Event::Start(
                BytesStart::new(name)
                    .with_attributes(s.attributes().map(|a| a.unwrap()))
                    .into_owned(),
            )
        }
        Event::Empty(s) => {
            let name = f(std::str::from_utf8(s.name().as_ref()).unwrap());
            Event::Empty(
                BytesStart::new(name)
                    .with_attributes(s.attributes().map(|a| a.unwrap()))
                    .into_owned(),
            )
        }
        Event::End(s) => {
            let name = f(std::str::from_utf8(s.name().as_ref()).unwrap());
            Event::End(quick_xml::events::BytesEnd::new(name).into_owned())
        }
        other => other.clone(),
    }
}

fn mutate(ev: &mut Vec<Event<'static>>, m: &XmlMutation) {
    let els = elements(ev);
    if els.len() < 2 {
        return;
    }
    // Never the root element: a document without one is not "shaped like" a response.
    let pick = |i: &prop::sample::Index| els[1 + i.index(els.len() - 1)];
    match m {
        XmlMutation::Drop(i) => {
            let (s, e) = pick(i);
            ev.drain(s..=e);
        }
        XmlMutation::Duplicate(i) => {
            let (s, e) = pick(i);
            let copy: Vec<_> = ev[s..=e].to_vec();
            ev.splice(e + 1..e + 1, copy);
        }
        XmlMutation::SwapCase(i) => {
            let (s, e) = pick(i);
            let swap = |n: &str| {
                n.chars()
                    .map(|c| {
                        if c.is_ascii_uppercase() {
                            c.to_ascii_lowercase()
                        } else {
                            c.to_ascii_uppercase()
                        }
                    })
                    .collect()
            };
            ev[s] = rename(&ev[s], swap);
            if e != s {
                ev[e] = rename(&ev[e], swap);
            }
        }
        XmlMutation::InsertUnknown(i, text) => {
            let (s, e) = pick(i);
            let at = if s == e { e + 1 } else { s + 1 };
            ev.splice(
                at..at,
                [
                    Event::Start(BytesStart::new("ZzUnknown")),
                    Event::Text(BytesText::new(text).into_owned()),
                    Event::End(quick_xml::events::BytesEnd::new("ZzUnknown")),
                ],
            );
        }
        XmlMutation::ReplaceText(i, text) => {
            let texts: Vec<usize> = ev
                .iter()
                .enumerate()
                .filter(|(_, e)| matches!(e, Event::Text(_)))
                .map(|(k, _)| k)
                .collect();
            if !texts.is_empty() {
                ev[texts[i.index(texts.len())]] = Event::Text(BytesText::new(text).into_owned());
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_xml_never_panics(
        case in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(xml_mutation(), 1..6),
        status in prop::sample::select(vec![200u16, 500]),
    ) {
        let cases = twec_cases();
        let parsers = all(twec_cases());
        let (file, _) = cases[case.index(cases.len())];
        let mut ev = events(&fixture(file));
        for m in &mutations {
            mutate(&mut ev, m);
        }
        let body = write(&ev);
        for p in &parsers {
            let _ = p(response(status, &body));
        }
        let _ = twec::parse_xmlout(&body);
    }

    #[test]
    fn unknown_elements_and_name_case_keep_a_parse(
        case in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(prop_oneof![
            any::<prop::sample::Index>().prop_map(XmlMutation::SwapCase),
            (any::<prop::sample::Index>(), xml_text()).prop_map(|(a, t)| XmlMutation::InsertUnknown(a, t)),
        ], 1..5),
    ) {
        let cases = twec_cases();
        let (file, parse) = cases[case.index(cases.len())];
        prop_assert!(parse(response(200, &fixture(file))).is_ok());
        let mut ev = events(&fixture(file));
        for m in &mutations {
            mutate(&mut ev, m);
        }
        let body = write(&ev);
        let got = parse(response(200, &body));
        prop_assert!(got.is_ok(), "{}: {} -> {:?}", file, String::from_utf8_lossy(&body), got);
    }

    #[test]
    fn mutated_xmlout_never_panics(
        file in prop::sample::select(vec!["twec/xmlout_kapital_constructed.xml", "twec/xmlout_tdb_signed.xml"]),
        mutations in prop::collection::vec(xml_mutation(), 1..6),
    ) {
        let mut ev = events(&fixture(file));
        for m in &mutations {
            mutate(&mut ev, m);
        }
        let body = write(&ev);
        if let Ok(msg) = twec::parse_xmlout(&body) {
            let _ = msg.verify();
        }
    }
}
