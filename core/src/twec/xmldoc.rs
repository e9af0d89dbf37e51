//! A small, bounded, tolerant XML reader for what TWEC sends back: TKKPG responses and XMLOut
//! messages. It reads quick-xml events into a tree of [`Element`]s.
//!
//! Safe by construction: a DOCTYPE (and with it every entity declaration, so billion-laughs
//! and external entities) is refused, only the five predefined entities and character
//! references are resolved, nesting is capped at [`MAX_DEPTH`] and the element count at
//! [`MAX_ELEMENTS`]; the tree is built with an explicit stack (no recursion on input), and
//! nothing panics on hostile input.

use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;

/// Deepest element nesting accepted.
pub(crate) const MAX_DEPTH: usize = 64;
/// Most elements accepted in one document.
pub(crate) const MAX_ELEMENTS: usize = 20_000;

/// One element: its local name, attributes, text content (all text and CDATA directly inside
/// it, concatenated) and child elements.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
}

impl Element {
    /// Whether the element's name is `name`, ignoring ASCII case.
    pub(crate) fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The first child called `name` (case-insensitive).
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.is(name))
    }

    /// The text of the first child called `name`, exactly as received.
    pub(crate) fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// The text of the first child called `name`, trimmed; `None` when absent or empty.
    pub(crate) fn child_value(&self, name: &str) -> Option<&str> {
        self.child_text(name)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// [`Self::child_value`], moving the text out instead of copying it (the child's text is
    /// left empty, so read each name once).
    pub(crate) fn take_value(&mut self, name: &str) -> Option<String> {
        let child = self.children.iter_mut().find(|c| c.is(name))?;
        let trimmed = child.text.trim();
        if trimmed.is_empty() {
            None
        } else if trimmed.len() == child.text.len() {
            Some(std::mem::take(&mut child.text))
        } else {
            Some(trimmed.to_owned())
        }
    }

    /// [`Self::child_text`] when not empty, moved out like [`Self::take_value`].
    pub(crate) fn take_text(&mut self, name: &str) -> Option<String> {
        let child = self.children.iter_mut().find(|c| c.is(name))?;
        Some(std::mem::take(&mut child.text)).filter(|t| !t.is_empty())
    }

    /// The leaf children whose names are not in `known` (case-insensitive), as
    /// `(name, text)`, moved out (call it after reading the known names).
    pub(crate) fn take_other_leaves(&mut self, known: &[&str]) -> Vec<(String, String)> {
        self.children
            .iter_mut()
            .filter(|c| c.children.is_empty() && !known.iter().any(|k| c.is(k)))
            .map(|c| (std::mem::take(&mut c.name), std::mem::take(&mut c.text)))
            .collect()
    }

    /// [`Self::find`], mutably.
    pub(crate) fn find_mut(&mut self, name: &str) -> Option<&mut Element> {
        if self.is(name) {
            return Some(self);
        }
        self.children.iter_mut().find_map(|c| c.find_mut(name))
    }

    /// The value of the attribute `name` (case-insensitive).
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first element called `name` in document order: this one or a descendant.
    /// The depth of the tree is bounded by [`MAX_DEPTH`], so the recursion is too.
    pub(crate) fn find(&self, name: &str) -> Option<&Element> {
        if self.is(name) {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }
}

/// Parses a whole document into its root element. The error is a short reason.
pub(crate) fn parse(body: &[u8]) -> Result<Element, String> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let text = std::str::from_utf8(body).map_err(|e| format!("not UTF-8: {e}"))?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;

    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;

    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("XML error at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::DocType(_) => return Err("DOCTYPE is not accepted".into()),
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err("content after the root element".into());
            }
            Event::Start(start) => {
                let element = open(&start, &mut count, stack.len())?;
                stack.push(element);
            }
            Event::Empty(start) => {
                let element = open(&start, &mut count, stack.len())?;
                close(element, &mut stack, &mut root);
            }
            Event::End(_) => {
                let element = stack.pop().ok_or("unexpected end tag")?;
                close(element, &mut stack, &mut root);
            }
            Event::Text(t) => {
                let s = t
                    .xml10_content()
                    .map_err(|e| format!("bad text encoding: {e}"))?;
                push_text(&mut stack, &s)?;
            }
            Event::CData(c) => {
                let s = c
                    .xml10_content()
                    .map_err(|e| format!("bad CDATA encoding: {e}"))?;
                push_text(&mut stack, &s)?;
            }
            Event::GeneralRef(r) => {
                let c = resolve_ref(&r)?;
                let mut buf = [0u8; 4];
                push_text(&mut stack, c.encode_utf8(&mut buf))?;
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err("document ends inside an element".into());
    }
    root.ok_or_else(|| "no root element".into())
}

fn open(
    start: &quick_xml::events::BytesStart<'_>,
    count: &mut usize,
    depth: usize,
) -> Result<Element, String> {
    if depth >= MAX_DEPTH {
        return Err(format!("elements nested deeper than {MAX_DEPTH}"));
    }
    *count += 1;
    if *count > MAX_ELEMENTS {
        return Err(format!("more than {MAX_ELEMENTS} elements"));
    }
    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| format!("bad attribute: {e}"))?;
        let key = String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
        let value = attr
            .unescape_value()
            .map_err(|e| format!("bad attribute value: {e}"))?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        text: String::new(),
        children: Vec::new(),
    })
}

fn close(element: Element, stack: &mut [Element], root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

fn push_text(stack: &mut [Element], s: &str) -> Result<(), String> {
    match stack.last_mut() {
        Some(e) => {
            e.text.push_str(s);
            Ok(())
        }
        None if s.chars().all(is_xml_space) => Ok(()),
        None => Err("text outside the root element".into()),
    }
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Whether `c` may appear in an XML 1.0 document.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn resolve_ref(r: &BytesRef<'_>) -> Result<char, String> {
    let name = r
        .decode()
        .map_err(|e| format!("bad reference encoding: {e}"))?;
    if let Some(c) = r
        .resolve_char_ref()
        .map_err(|e| format!("bad character reference &{name};: {e}"))?
    {
        if !is_xml_char(c) {
            return Err(format!(
                "character reference &{name}; is not allowed in XML"
            ));
        }
        return Ok(c);
    }
    match name.as_ref() {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        other => Err(format!("unknown entity &{other};")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_tree() {
        let doc = parse(b"\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- c --><A x=\"1&amp;2\"><b>t&lt;&#x44;<![CDATA[<z>]]></b><C/></A>")
            .unwrap();
        assert_eq!(doc.name, "A");
        assert_eq!(doc.attr("X"), Some("1&2"));
        assert_eq!(doc.child_text("B"), Some("t<D<z>"));
        assert!(doc.child("c").is_some());
        assert!(doc.find("c").is_some());
    }

    #[test]
    fn refuses_what_is_unsafe_or_broken() {
        for bad in [
            &b"<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"[..],
            b"<a>&x;</a>",
            b"<a><b></a>",
            b"<a>",
            b"",
            b"<a/><b/>",
            b"junk<a/>",
            b"<a>&#0;</a>",
            b"<a>&#1;</a>",
            b"<a>\xff</a>",
        ] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn caps_depth_without_recursing() {
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert!(parse(deep.as_bytes()).unwrap_err().contains("deeper"));
        let ok = "<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH);
        assert!(parse(ok.as_bytes()).is_ok());
        let very_deep = "<a>".repeat(100_000);
        assert!(parse(very_deep.as_bytes()).is_err());
    }
}
