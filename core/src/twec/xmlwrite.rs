//! Writes TKKPG request documents: compact (no indentation), every text node escaped,
//! characters XML 1.0 forbids refused with the field's name, element names checked. The
//! document is a handful of fixed-shape elements, so it is written straight into a byte
//! buffer (no writer events: fewer instructions than quick-xml's writer, same bytes).

use super::xmldoc::is_xml_char;
use crate::BuildError;

/// The XML declaration every request starts with.
const DECL: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

/// A TKKPG request under construction: `<?xml …?><TKKPG><Request>` is written by
/// [`RequestWriter::new`], `</Request></TKKPG>` by [`RequestWriter::finish`].
pub(crate) struct RequestWriter {
    buf: Vec<u8>,
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
        Some(c) => Err(forbidden(field, c)),
        None => Ok(()),
    }
}

/// The bytes of a plain element name: ASCII letters, digits, `_`, `-` and `.`.
const NAME_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.';
        b += 1;
    }
    t
};

/// Whether `name` can be written as an element name as it is: ASCII letters, digits, `_`,
/// `-` and `.`, not starting with a digit, `-` or `.`.
fn is_element_name(name: &str) -> bool {
    let b = name.as_bytes();
    matches!(b.first(), Some(c) if c.is_ascii_alphabetic() || *c == b'_')
        && b.iter().all(|&c| NAME_BYTE[usize::from(c)])
}

fn not_a_name(name: &str) -> BuildError {
    BuildError::Encoding(format!("`{name}` is not a plain XML element name"))
}

fn forbidden(field: &'static str, c: char) -> BuildError {
    BuildError::invalid(
        field,
        format!(
            "contains U+{:04X}, a character XML 1.0 does not allow",
            c as u32
        ),
    )
}

/// Appends `value` escaped for an element: `& < > ' "` as entities, and carriage return as
/// `&#13;` so that it survives the parser's end-of-line normalisation. Checks the characters
/// in the same pass: a C0 control other than tab, LF and CR is refused here, and a value with
/// non-ASCII characters is also given to [`check_text`]. On error the buffer may hold part of
/// the value: the caller truncates it.
fn escape_checked(buf: &mut Vec<u8>, field: &'static str, value: &str) -> Result<(), BuildError> {
    let bytes = value.as_bytes();
    let mut last = 0;
    let mut ascii = true;
    for (i, &b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'\'' => b"&apos;",
            b'"' => b"&quot;",
            b'\r' => b"&#13;",
            b'\t' | b'\n' => continue,
            0..=0x1F => return Err(forbidden(field, char::from(b))),
            0x80.. => {
                ascii = false;
                continue;
            }
            _ => continue,
        };
        buf.extend_from_slice(&bytes[last..i]);
        buf.extend_from_slice(entity);
        last = i + 1;
    }
    buf.extend_from_slice(&bytes[last..]);
    if ascii {
        Ok(())
    } else {
        check_text(field, value)
    }
}

impl RequestWriter {
    /// Starts a request for `operation` in `language`.
    pub(crate) fn new(operation: &str, language: &str) -> Result<Self, BuildError> {
        let mut buf = Vec::with_capacity(512);
        buf.extend_from_slice(DECL);
        buf.extend_from_slice(b"<TKKPG><Request>");
        let mut w = RequestWriter { buf };
        w.element("Operation", "Operation", operation)?;
        w.element("Language", "Language", language)?;
        Ok(w)
    }

    /// Opens `<name>`; a name that is not a plain XML name is refused.
    pub(crate) fn start(&mut self, name: &str) -> Result<(), BuildError> {
        if !is_element_name(name) {
            return Err(not_a_name(name));
        }
        self.buf.push(b'<');
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.push(b'>');
        Ok(())
    }

    /// Closes `</name>` (a name [`Self::start`] accepted).
    pub(crate) fn end(&mut self, name: &str) -> Result<(), BuildError> {
        if !is_element_name(name) {
            return Err(not_a_name(name));
        }
        self.buf.extend_from_slice(b"</");
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.push(b'>');
        Ok(())
    }

    /// Writes `<name>value</name>` (`<name></name>` when empty), the value escaped; `field`
    /// names the input in the error when the value holds a forbidden character.
    pub(crate) fn element(
        &mut self,
        name: &str,
        field: &'static str,
        value: &str,
    ) -> Result<(), BuildError> {
        if !is_element_name(name) {
            return Err(not_a_name(name));
        }
        let mark = self.buf.len();
        self.buf.push(b'<');
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.push(b'>');
        if let Err(e) = escape_checked(&mut self.buf, field, value) {
            // Nothing of a refused value stays in the document.
            self.buf.truncate(mark);
            return Err(e);
        }
        self.buf.extend_from_slice(b"</");
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.push(b'>');
        Ok(())
    }

    /// Closes the request and returns the document.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>, BuildError> {
        self.buf.extend_from_slice(b"</Request></TKKPG>");
        Ok(self.buf)
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
        for bad in ["\0", "a\u{1B}b", "\u{8}", "\u{1F}", "\u{FFFE}"] {
            let e = w.element("D", "Description", bad).unwrap_err();
            assert_eq!(e.field(), Some("Description"), "{bad:?}");
        }
        // Nothing of a refused value was written.
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        assert!(out.ends_with("<D>tab\tnl\n</D></Request></TKKPG>"), "{out}");
    }

    #[test]
    fn refuses_names_that_are_not_plain() {
        let mut w = RequestWriter::new("X", "EN").unwrap();
        for bad in ["", "a b", "a<b", "1a", "-a", "a>"] {
            assert!(w.start(bad).is_err(), "{bad:?}");
            assert!(w.element(bad, "F", "v").is_err(), "{bad:?}");
        }
        assert!(w.start("Order_1.x-y").is_ok());
    }
}
