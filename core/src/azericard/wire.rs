//! Private wire shapes: form bodies, the bare reply code of 21/22/24, and the status reply in
//! its three shapes (JSON, form, XML) read into one record with keys matched without regard to
//! case, spaces or underscores (`Response code` = `RESPONSE_CODE` = `responsecode`).

use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::value::RawValue;

use super::codes::ReplyCode;

/// `application/x-www-form-urlencoded` body of `fields` in order.
pub(crate) fn form_body(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish().into_bytes()
}

/// A key reduced to lower-case ASCII letters and digits.
pub(crate) fn norm(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A reply's fields by normalised key, each key once.
#[derive(Debug, Default)]
pub(crate) struct Record(Vec<(String, String)>);

impl Record {
    fn insert(&mut self, key: &str, value: String) -> Result<(), String> {
        let k = norm(key);
        if k.is_empty() {
            return Ok(());
        }
        if self.0.len() >= 256 {
            return Err("more than 256 fields".into());
        }
        if self.0.iter().any(|(have, _)| *have == k) {
            return Err(format!(
                "the field `{}` appears more than once",
                key.escape_debug()
            ));
        }
        self.0.push((k, value));
        Ok(())
    }

    /// The first present value among `aliases` (already normalised), trimmed.
    pub(crate) fn get(&self, aliases: &[&str]) -> Option<&str> {
        aliases
            .iter()
            .find_map(|a| self.0.iter().find(|(k, _)| k == a).map(|(_, v)| v.trim()))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What a status request got back.
#[derive(Debug)]
pub(crate) enum Reply {
    /// A transaction record.
    Record(Record),
    /// A bare reply code (a refusal).
    Code(ReplyCode),
}

/// The bare reply of 21/22/24: one short token (`0`, `1`, …), surrounding whitespace ignored.
pub(crate) fn bare_code(body: &[u8]) -> Option<ReplyCode> {
    let text = std::str::from_utf8(body).ok()?.trim();
    if text.is_empty() || text.len() > 8 || !text.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some(ReplyCode::parse(text))
}

/// Reads a status reply: JSON (an object, or an object holding one object), XML (the root's
/// child elements), a form (`KEY=value&…`), or a bare reply code.
pub(crate) fn status_reply(body: &[u8]) -> Result<Reply, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the reply is not UTF-8".to_owned())?;
    let t = text.trim_start_matches('\u{feff}').trim();
    if t.is_empty() {
        return Err("the reply is empty".into());
    }
    let record = if t.starts_with('{') {
        json_record(t)?
    } else if t.starts_with('<') {
        xml_record(t)?
    } else if t.contains('=') {
        let mut r = Record::default();
        for (k, v) in form_urlencoded::parse(t.as_bytes()) {
            r.insert(&k, v.into_owned())?;
        }
        r
    } else if let Some(code) = bare_code(t.as_bytes()) {
        return Ok(Reply::Code(code));
    } else {
        return Err("the reply is neither JSON, XML, a form nor a reply code".into());
    };
    if record.is_empty() {
        return Err("the reply has no fields".into());
    }
    Ok(Reply::Record(record))
}

fn json_record(text: &str) -> Result<Record, String> {
    type Map<'a> = Vec<(String, &'a RawValue)>;
    fn object(text: &str) -> Result<Map<'_>, String> {
        let raw: std::collections::BTreeMap<String, &RawValue> =
            serde_json::from_str(text).map_err(|e| format!("not a JSON object: {e}"))?;
        Ok(raw.into_iter().collect())
    }
    let mut map = object(text)?;
    // `{"response": {…}}`: the record is the one inner object.
    if map.len() == 1 && map[0].1.get().trim_start().starts_with('{') {
        map = object(map[0].1.get())?;
    }
    let mut r = Record::default();
    for (k, v) in map {
        let raw = v.get().trim();
        let value = if raw.starts_with('"') {
            serde_json::from_str::<String>(raw).map_err(|e| e.to_string())?
        } else if raw == "null" || raw.starts_with('{') || raw.starts_with('[') {
            continue;
        } else {
            // A number or boolean: its text exactly, never through a float.
            raw.to_owned()
        };
        r.insert(&k, value)?;
    }
    Ok(r)
}

/// The most XML elements a status reply may hold.
const MAX_XML_ELEMENTS: usize = 512;

fn xml_record(text: &str) -> Result<Record, String> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut elements = 0usize;
    let mut current: Option<(String, String)> = None;
    let mut r = Record::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("XML error at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::DocType(_) => return Err("DOCTYPE is not accepted".into()),
            Event::Start(s) => {
                depth += 1;
                elements += 1;
                if depth > 2 || elements > MAX_XML_ELEMENTS {
                    return Err("the XML reply is deeper or larger than a status reply".into());
                }
                if depth == 2 {
                    let name = std::str::from_utf8(s.local_name().into_inner())
                        .map_err(|_| "an element name is not UTF-8".to_owned())?
                        .to_owned();
                    current = Some((name, String::new()));
                }
            }
            Event::Empty(s) => {
                elements += 1;
                if elements > MAX_XML_ELEMENTS || depth >= 2 {
                    return Err("the XML reply is deeper or larger than a status reply".into());
                }
                if depth == 1 {
                    let name = std::str::from_utf8(s.local_name().into_inner())
                        .map_err(|_| "an element name is not UTF-8".to_owned())?
                        .to_owned();
                    r.insert(&name, String::new())?;
                }
            }
            Event::End(_) => {
                if depth == 2 {
                    if let Some((name, value)) = current.take() {
                        r.insert(&name, value)?;
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) => {
                if let Some((_, value)) = current.as_mut() {
                    let s = std::str::from_utf8(&t).map_err(|_| "text is not UTF-8".to_owned())?;
                    value.push_str(s);
                }
            }
            Event::CData(c) => {
                if let Some((_, value)) = current.as_mut() {
                    let s = std::str::from_utf8(&c).map_err(|_| "text is not UTF-8".to_owned())?;
                    value.push_str(s);
                }
            }
            Event::GeneralRef(g) => {
                let name = std::str::from_utf8(&g).map_err(|_| "bad reference".to_owned())?;
                let c = resolve(name).ok_or_else(|| format!("unknown entity `&{name};`"))?;
                if let Some((_, value)) = current.as_mut() {
                    value.push(c);
                }
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if depth != 0 {
        return Err("the XML reply ends inside an element".into());
    }
    Ok(r)
}

/// The five predefined entities and character references.
fn resolve(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix('x').or_else(|| n.strip_prefix('X')) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            let c = char::from_u32(code)?;
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                return None;
            }
            c
        }
    })
}

/// Parses a posted form into its pairs, refusing a repeated name (which value the gateway
/// meant would be a guess). Names are kept as received.
pub(crate) fn unique_form(body: &[u8]) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (k, v) in form_urlencoded::parse(body) {
        if out.len() >= 256 {
            return Err("more than 256 fields".into());
        }
        if out.iter().any(|(have, _)| have.eq_ignore_ascii_case(&k)) {
            return Err(k.into_owned());
        }
        out.push((k.into_owned(), v.into_owned()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(body: &str) -> Record {
        match status_reply(body.as_bytes()).unwrap() {
            Reply::Record(r) => r,
            Reply::Code(c) => panic!("{c:?}"),
        }
    }

    #[test]
    fn three_shapes_one_record() {
        let j = rec(r#"{"ACTION":"0","Response code":"00","Transaction amount":10.50}"#);
        assert_eq!(j.get(&["action"]), Some("0"));
        assert_eq!(j.get(&["rc", "responsecode"]), Some("00"));
        assert_eq!(j.get(&["transactionamount"]), Some("10.50"));
        let nested = rec(r#"{"response":{"action":0,"rc":"00"}}"#);
        assert_eq!(nested.get(&["action"]), Some("0"));
        let x = rec("<response><action>0</action><rc>00</rc><desc>A&amp;B</desc><x/></response>");
        assert_eq!(x.get(&["action"]), Some("0"));
        assert_eq!(x.get(&["desc"]), Some("A&B"));
        let f = rec("ACTION=0&RC=00&INT_REF=ABC");
        assert_eq!(f.get(&["intref"]), Some("ABC"));
    }

    #[test]
    fn refusals() {
        assert!(status_reply(b"").is_err());
        assert!(status_reply(b"{\"a\":1,\"A\":2}").is_err());
        assert!(status_reply(b"<!DOCTYPE x><x/>").is_err());
        assert!(status_reply(b"<a><b><c>1</c></b></a>").is_err());
        assert!(status_reply(b"<a><b>1</b>").is_err());
        assert!(status_reply(b"hello world").is_err());
        assert!(matches!(
            status_reply(b" 3\n"),
            Ok(Reply::Code(ReplyCode::WrongSignature))
        ));
        assert_eq!(bare_code(b"0\r\n"), Some(ReplyCode::Accepted));
        assert_eq!(bare_code(b"<html>"), None);
        assert!(unique_form(b"A=1&a=2").is_err());
    }
}
