//! A small, bounded XML tree read with quick-xml. Element names are kept lower-case so lookups
//! are case-insensitive. DOCTYPE declarations are refused.

use quick_xml::events::Event;
use quick_xml::Reader;

const MAX_DEPTH: usize = 16;
const MAX_ELEMENTS: usize = 2000;

#[derive(Debug, Default, Clone)]
pub(crate) struct Element {
    /// Lower-case local name.
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The first child named `name` (case-insensitive).
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Follows a path of child names.
    pub(crate) fn path(&self, names: &[&str]) -> Option<&Element> {
        names.iter().try_fold(self, |el, name| el.child(name))
    }

    /// The trimmed text at a path, if the element exists.
    pub(crate) fn text_at(&self, names: &[&str]) -> Option<&str> {
        self.path(names).map(|e| e.text.trim())
    }
}

/// A character XML 1.0 allows in a document.
pub(crate) fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum XmlError {
    Malformed,
    Doctype,
    TooLarge,
}

/// Parses a document into its root element.
pub(crate) fn parse(bytes: &[u8]) -> Result<Element, XmlError> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|_| XmlError::Malformed)?;
        match event {
            Event::DocType(_) => return Err(XmlError::Doctype),
            Event::Start(start) => {
                count += 1;
                if count > MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                    return Err(XmlError::TooLarge);
                }
                if root.is_some() {
                    return Err(XmlError::Malformed);
                }
                let name = String::from_utf8_lossy(start.local_name().as_ref()).to_lowercase();
                stack.push(Element {
                    name,
                    ..Element::default()
                });
            }
            Event::Empty(start) => {
                count += 1;
                if count > MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                    return Err(XmlError::TooLarge);
                }
                let name = String::from_utf8_lossy(start.local_name().as_ref()).to_lowercase();
                let el = Element {
                    name,
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None if root.is_none() => root = Some(el),
                    None => return Err(XmlError::Malformed),
                }
            }
            Event::End(_) => {
                let el = stack.pop().ok_or(XmlError::Malformed)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(text) => {
                if let Some(el) = stack.last_mut() {
                    let decoded = text.decode().map_err(|_| XmlError::Malformed)?;
                    let unescaped =
                        quick_xml::escape::unescape(&decoded).map_err(|_| XmlError::Malformed)?;
                    if !unescaped.chars().all(xml_char) {
                        return Err(XmlError::Malformed);
                    }
                    el.text.push_str(&unescaped);
                } else if !text.iter().all(|b| b.is_ascii_whitespace()) {
                    return Err(XmlError::Malformed);
                }
            }
            Event::CData(data) => {
                if let Some(el) = stack.last_mut() {
                    let text = String::from_utf8_lossy(&data);
                    if !text.chars().all(xml_char) {
                        return Err(XmlError::Malformed);
                    }
                    el.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                // quick-xml 0.38 reports entity references separately from text.
                let Some(el) = stack.last_mut() else {
                    return Err(XmlError::Malformed);
                };
                let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                let resolved = match name.as_str() {
                    "lt" => "<".to_owned(),
                    "gt" => ">".to_owned(),
                    "amp" => "&".to_owned(),
                    "apos" => "'".to_owned(),
                    "quot" => "\"".to_owned(),
                    _ => {
                        let code = name
                            .strip_prefix("#x")
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()));
                        match code.and_then(char::from_u32).filter(|c| xml_char(*c)) {
                            Some(c) => c.to_string(),
                            None => return Err(XmlError::Malformed),
                        }
                    }
                };
                el.text.push_str(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !stack.is_empty() {
        return Err(XmlError::Malformed);
    }
    root.ok_or(XmlError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_case_insensitively_and_refuses_doctype() {
        let root = parse(
            b"<?xml version=\"1.0\"?><TKKPG><Request><Operation>CreateOrder</Operation>\
<Order><Description>a &amp; b &lt;c&gt; &#65;</Description></Order></Request></TKKPG>",
        )
        .unwrap();
        assert_eq!(root.name, "tkkpg");
        assert_eq!(root.text_at(&["request", "OPERATION"]), Some("CreateOrder"));
        assert_eq!(
            root.text_at(&["Request", "Order", "Description"]),
            Some("a & b <c> A")
        );
        assert_eq!(
            parse(b"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>")
                .unwrap_err(),
            XmlError::Doctype
        );
        assert_eq!(parse(b"<a><b></a>").unwrap_err(), XmlError::Malformed);
        assert_eq!(parse(b"<a>&e;</a>").unwrap_err(), XmlError::Malformed);
        assert_eq!(parse(b"<a>&#0;</a>").unwrap_err(), XmlError::Malformed);
        assert_eq!(parse(b"<a>\x01</a>").unwrap_err(), XmlError::Malformed);
        assert_eq!(parse(b"").unwrap_err(), XmlError::Malformed);
        let deep = "<a>".repeat(40) + &"</a>".repeat(40);
        assert_eq!(parse(deep.as_bytes()).unwrap_err(), XmlError::TooLarge);
    }
}
