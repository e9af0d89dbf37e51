//! Answer shapes: the key paths and types of a JSON answer, or the element and attribute paths
//! of an XML answer, held to a committed fixture that names its source.
//!
//! A fixture is a text file, one path per line:
//!
//! ```text
//! # source: seed 002 (Kapital e-commerce API), "Get order" response sample
//! order.id: number
//! order.status: string
//! ? order.hppUrl: string          optional: absent from server-side orders
//! ! order.sandbox: string         a difference, with the reason after the type
//! ```
//!
//! Lines starting with `#` are comments (the first must name the source). A plain line is a
//! path the answer must have, with that type. `?` marks a path that may be absent (but has
//! that type when present). `!` marks a path the published source does not show but the
//! sandbox sends, and must say why. Any other path in the answer fails the check, as does a
//! missing required path or a changed type. Arrays are written `key[]`; JSON types are
//! `string`, `number`, `bool`, `null`, `object`, `array`; XML paths are `/Root/Child` for
//! elements and `/Root/Child@attr` for attributes, with the type `element` or `attr`.

use std::collections::BTreeMap;

/// The shape of one answer: path → type.
pub type Shape = BTreeMap<String, &'static str>;

/// The key paths and value types of a JSON document.
pub fn json_shape(body: &[u8]) -> Result<Shape, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let mut out = Shape::new();
    walk_json(&value, String::new(), &mut out);
    Ok(out)
}

fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

fn walk_json(v: &serde_json::Value, path: String, out: &mut Shape) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                out.insert(p.clone(), json_type(child));
                walk_json(child, p, out);
            }
        }
        serde_json::Value::Array(items) => {
            for child in items {
                let p = format!("{path}[]");
                if !matches!(child, serde_json::Value::Object(_)) {
                    out.insert(p.clone(), json_type(child));
                }
                walk_json(child, p, out);
            }
        }
        _ => {}
    }
}

/// The element and attribute paths of an XML document.
pub fn xml_shape(body: &[u8]) -> Result<Shape, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut stack: Vec<String> = Vec::new();
    let mut out = Shape::new();
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("not XML: {e}"))?;
        match event {
            Event::Start(e) => {
                stack.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                record_element(&stack, &e, &mut out);
            }
            Event::Empty(e) => {
                stack.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                record_element(&stack, &e, &mut out);
                stack.pop();
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

fn record_element(stack: &[String], e: &quick_xml::events::BytesStart<'_>, out: &mut Shape) {
    let path = format!("/{}", stack.join("/"));
    for a in e.attributes().flatten() {
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        out.insert(format!("{path}@{key}"), "attr");
    }
    out.insert(path, "element");
}

/// One line of a fixture.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expected {
    ty: String,
    optional: bool,
    difference: Option<String>,
}

/// Holds `actual` to the fixture `text`; the error lists every difference, one per line.
pub fn check(fixture_name: &str, text: &str, actual: &Shape) -> Result<(), String> {
    let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
    let mut problems = Vec::new();
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if !first.trim_start().starts_with("# source:") {
        problems.push("the first line must be `# source: …` naming where the shape is from".into());
    }
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (mark, rest) = match line.chars().next() {
            Some('?') => (Some('?'), line[1..].trim_start()),
            Some('!') => (Some('!'), line[1..].trim_start()),
            _ => (None, line),
        };
        let Some((path, after)) = rest.split_once(": ") else {
            problems.push(format!("line {}: expected `path: type`", n + 1));
            continue;
        };
        let mut words = after.split_whitespace();
        let ty = words.next().unwrap_or("").to_owned();
        let note: Vec<&str> = words.collect();
        if mark == Some('!') && note.is_empty() {
            problems.push(format!("line {}: a `!` difference must say why", n + 1));
        }
        expected.insert(
            path.trim().to_owned(),
            Expected {
                ty,
                optional: mark.is_some(),
                difference: (mark == Some('!')).then(|| note.join(" ")),
            },
        );
    }
    for (path, e) in &expected {
        match actual.get(path) {
            None if !e.optional => problems.push(format!("missing: {path} ({})", e.ty)),
            Some(ty) if *ty != e.ty => {
                problems.push(format!("changed type: {path} is {ty}, expected {}", e.ty))
            }
            _ => {}
        }
    }
    for (path, ty) in actual {
        if !expected.contains_key(path) {
            problems.push(format!("new path: {path}: {ty}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{fixture_name}: the answer's shape differs from the fixture:\n  {}",
            problems.join("\n  ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = "# source: a test\norder.id: number\n? order.hppUrl: string\n! order.x: bool  sandbox only, for the test\norder: object\n";

    #[test]
    fn json_paths_and_types() {
        let s = json_shape(br#"{"order":{"id":1,"trans":[{"a":"x"}],"tags":["t"]}}"#).unwrap();
        assert_eq!(s.get("order.id"), Some(&"number"));
        assert_eq!(s.get("order.trans[].a"), Some(&"string"));
        assert_eq!(s.get("order.tags[]"), Some(&"string"));
        assert_eq!(s.get("order"), Some(&"object"));
    }

    #[test]
    fn check_catches_each_kind_of_difference() {
        let ok = json_shape(br#"{"order":{"id":1}}"#).unwrap();
        check("t", FIXTURE, &ok).unwrap();
        let with_optional = json_shape(br#"{"order":{"id":1,"hppUrl":"u","x":true}}"#).unwrap();
        check("t", FIXTURE, &with_optional).unwrap();
        let missing = json_shape(br#"{"order":{}}"#).unwrap();
        assert!(check("t", FIXTURE, &missing)
            .unwrap_err()
            .contains("missing: order.id"));
        let changed = json_shape(br#"{"order":{"id":"1"}}"#).unwrap();
        assert!(check("t", FIXTURE, &changed)
            .unwrap_err()
            .contains("changed type: order.id"));
        let new = json_shape(br#"{"order":{"id":1,"y":2}}"#).unwrap();
        assert!(check("t", FIXTURE, &new)
            .unwrap_err()
            .contains("new path: order.y"));
        let wrapper = json_shape(br#"{"id":1}"#).unwrap();
        assert!(check("t", FIXTURE, &wrapper).is_err());
        assert!(check("t", "order: object\n", &ok)
            .unwrap_err()
            .contains("# source:"));
        assert!(check("t", "# source: x\n! a: bool\n", &ok)
            .unwrap_err()
            .contains("say why"));
    }

    #[test]
    fn xml_paths() {
        let s = xml_shape(
            b"<TKKPG><Response Operation=\"X\"><Status>00</Status><Empty/></Response></TKKPG>",
        )
        .unwrap();
        assert_eq!(s.get("/TKKPG/Response@Operation"), Some(&"attr"));
        assert_eq!(s.get("/TKKPG/Response/Status"), Some(&"element"));
        assert_eq!(s.get("/TKKPG/Response/Empty"), Some(&"element"));
        assert_eq!(s.len(), 5, "{s:?}");
    }
}
