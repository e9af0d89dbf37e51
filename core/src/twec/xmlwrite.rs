//! Writes TKKPG request documents with quick-xml's writer: compact (no indentation), every
//! text node escaped, characters XML 1.0 forbids refused with the field's name.

use std::borrow::Cow;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::xmldoc::is_xml_char;
use crate::BuildError;

/// A TKKPG request under construction: `<?xml …?><TKKPG><Request>` is written by
/// [`RequestWriter::new`], `</Request></TKKPG>` by [`RequestWriter::finish`].
pub(crate) struct RequestWriter {
    writer: Writer<Vec<u8>>,
}

fn io(e: std::io::Error) -> BuildError {
    BuildError::Encoding(format!("could not write XML: {e}"))
}

/// Refuses a value holding a character XML 1.0 does not allow (NUL, most C0 controls, lone
/// surrogates cannot occur in a `str`, U+FFFE/U+FFFF).
pub(crate) fn check_text(field: &'static str, value: &str) -> Result<(), BuildError> {
    // Fast path: printable ASCII, tab, LF and CR are always allowed.
    if value
        .bytes()
        .all(|b| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7E))
    {
        return Ok(());
    }
    match value.chars().find(|c| !is_xml_char(*c)) {
        Some(c) => Err(BuildError::invalid(
            field,
            format!(
                "contains U+{:04X}, a character XML 1.0 does not allow",
                c as u32
            ),
        )),
        None => Ok(()),
    }
}

/// Escapes text for an element: `& < > ' "` as entities, and carriage return as `&#13;` so
/// that it survives the parser's end-of-line normalisation.
fn escape_text(value: &str) -> Cow<'_, str> {
    let escaped = quick_xml::escape::escape(value);
    if escaped.contains('\r') {
        Cow::Owned(escaped.replace('\r', "&#13;"))
    } else {
        // Borrowed when there was nothing to escape: no allocation.
        escaped
    }
}

impl RequestWriter {
    /// Starts a request for `operation` in `language`.
    pub(crate) fn new(operation: &str, language: &str) -> Result<Self, BuildError> {
        let mut w = RequestWriter {
            writer: Writer::new(Vec::with_capacity(512)),
        };
        w.writer
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .map_err(io)?;
        w.start("TKKPG")?;
        w.start("Request")?;
        w.element("Operation", "Operation", operation)?;
        w.element("Language", "Language", language)?;
        Ok(w)
    }

    /// Opens `<name>`.
    pub(crate) fn start(&mut self, name: &str) -> Result<(), BuildError> {
        self.writer
            .write_event(Event::Start(BytesStart::new(name)))
            .map_err(io)
    }

    /// Closes `</name>`.
    pub(crate) fn end(&mut self, name: &str) -> Result<(), BuildError> {
        self.writer
            .write_event(Event::End(BytesEnd::new(name)))
            .map_err(io)
    }

    /// Writes `<name>value</name>` (`<name></name>` when empty), the value escaped; `field`
    /// names the input in the error when the value holds a forbidden character.
    pub(crate) fn element(
        &mut self,
        name: &str,
        field: &'static str,
        value: &str,
    ) -> Result<(), BuildError> {
        check_text(field, value)?;
        self.start(name)?;
        if !value.is_empty() {
            self.writer
                .write_event(Event::Text(BytesText::from_escaped(escape_text(value))))
                .map_err(io)?;
        }
        self.end(name)
    }

    /// Closes the request and returns the document.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>, BuildError> {
        self.end("Request")?;
        self.end("TKKPG")?;
        Ok(self.writer.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_compact_escaped_xml() {
        let mut w = RequestWriter::new("X", "EN").unwrap();
        w.element("D", "Description", "a<b&c\"d'e]]>f\rg").unwrap();
        w.element("E", "E", "").unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><TKKPG><Request><Operation>X</Operation>\
             <Language>EN</Language><D>a&lt;b&amp;c&quot;d&apos;e]]&gt;f&#13;g</D><E></E>\
             </Request></TKKPG>"
        );
    }

    #[test]
    fn refuses_forbidden_characters_naming_the_field() {
        let mut w = RequestWriter::new("X", "EN").unwrap();
        let e = w.element("D", "Description", "a\u{1}b").unwrap_err();
        assert_eq!(e.field(), Some("Description"));
        assert!(w.element("D", "Description", "\u{FFFF}").is_err());
        assert!(w.element("D", "Description", "tab\tnl\n").is_ok());
    }
}
