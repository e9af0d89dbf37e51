//! A small, bounded, tolerant XML reader for what TWEC sends back: TKKPG responses and XMLOut
//! messages. It reads quick-xml events into a tree of [`Element`]s.
//!
//! Safe by construction: a DOCTYPE (and with it every entity declaration, so billion-laughs
//! and external entities) is refused, only the five predefined entities and character
//! references are resolved, and every character XML 1.0 forbids (NUL, the C0 controls but
//! tab, LF and CR, U+FFFE, U+FFFF) is refused whether it arrives raw or as a character
//! reference. The work is bounded: nesting is capped at [`MAX_DEPTH`], the element count at
//! [`MAX_ELEMENTS`], attributes at [`MAX_ATTRIBUTES_PER_ELEMENT`] per element and
//! [`MAX_ATTRIBUTES`] in all, names at [`MAX_NAME_BYTES`] and references at
//! [`MAX_REFERENCES`]; the duplicate-attribute check is ours and runs on at most
//! [`MAX_ATTRIBUTES_PER_ELEMENT`] names (quick-xml's own is quadratic in the attribute count).
//! Everything else is linear in the input. The tree is built with an explicit stack (no
//! recursion on input), and nothing panics on hostile input.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Deepest element nesting accepted.
pub(crate) const MAX_DEPTH: usize = 64;
/// Most elements accepted in one document.
pub(crate) const MAX_ELEMENTS: usize = 20_000;
/// Most attributes accepted on one element (TWEC's answers carry at most two).
pub(crate) const MAX_ATTRIBUTES_PER_ELEMENT: usize = 32;
/// Most attributes accepted in one document.
pub(crate) const MAX_ATTRIBUTES: usize = 4_096;
/// Longest element or attribute name accepted, in bytes (prefix included).
pub(crate) const MAX_NAME_BYTES: usize = 256;
/// Most entity and character references accepted in one document (text and attributes).
pub(crate) const MAX_REFERENCES: usize = 65_536;

/// One element: its local name, attributes, text content (all text and CDATA directly inside
/// it, concatenated; whitespace-only text beside child elements is layout and is not kept) and
/// child elements.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    pub(crate) name: Name,
    /// [`key`] of `name`: lookups compare it before comparing names.
    key: u64,
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
}

/// An element's local name: kept inline when it is short (every name TWEC uses), so reading
/// a document does not allocate once per element for its name. Reads as a `str`.
#[derive(Clone)]
pub(crate) enum Name {
    /// Up to [`Name::INLINE`] bytes: the length, then the bytes.
    Inline(u8, [u8; Name::INLINE]),
    /// A longer name.
    Heap(Box<str>),
}

impl Name {
    const INLINE: usize = 22;

    fn new(name: &str) -> Self {
        let b = name.as_bytes();
        if b.len() <= Self::INLINE {
            let mut buf = [0u8; Self::INLINE];
            buf[..b.len()].copy_from_slice(b);
            Name::Inline(b.len() as u8, buf)
        } else {
            Name::Heap(name.into())
        }
    }

    /// The name's bytes (no UTF-8 check: comparisons need none).
    fn bytes(&self) -> &[u8] {
        match self {
            Name::Inline(len, buf) => buf.get(..usize::from(*len)).unwrap_or_default(),
            Name::Heap(s) => s.as_bytes(),
        }
    }

    /// The name as an owned `String`, leaving it empty.
    fn take(&mut self) -> String {
        std::mem::take(self).as_ref().to_owned()
    }
}

impl Default for Name {
    fn default() -> Self {
        Name::Inline(0, [0; Name::INLINE])
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        match self {
            // Always whole UTF-8: built from a `str` of at most INLINE bytes.
            Name::Inline(len, buf) => {
                std::str::from_utf8(buf.get(..usize::from(*len)).unwrap_or_default())
                    .unwrap_or_default()
            }
            Name::Heap(s) => s,
        }
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_ref()
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_ref() == *other
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_ref(), f)
    }
}

/// A name's length and its first seven bytes, ASCII-lowercased, in one word: two names equal
/// ignoring ASCII case have equal keys, and names of at most seven bytes with equal keys are
/// equal ignoring ASCII case. Lookups by name compare keys first (one comparison per child).
fn key(name: &str) -> u64 {
    let b = name.as_bytes();
    let mut word = [0u8; 8];
    let n = b.len().min(7);
    word[..n].copy_from_slice(&b[..n]);
    let x = u64::from_le_bytes(word);
    // ASCII lowercase of the eight bytes at once: 0x20 added to each byte in 'A'..='Z'.
    let low7 = x & 0x7F7F_7F7F_7F7F_7F7F;
    let at_least_a = low7.wrapping_add(0x3F3F_3F3F_3F3F_3F3F); // high bit: byte >= 0x41
    let above_z = low7.wrapping_add(0x2525_2525_2525_2525); // high bit: byte >= 0x5B
    let upper = at_least_a & !above_z & !x & 0x8080_8080_8080_8080;
    let lower = x | (upper >> 2);
    (lower & 0x00FF_FFFF_FFFF_FFFF) | ((b.len().min(255) as u64) << 56)
}

impl Element {
    /// Whether the element's name, whose [`key`] is `k`, is `name`, ignoring ASCII case.
    fn matches(&self, k: u64, name: &str) -> bool {
        self.key == k
            && (name.len() <= 7 || self.name.bytes().eq_ignore_ascii_case(name.as_bytes()))
    }

    /// Whether the element's name is `name`, ignoring ASCII case.
    pub(crate) fn is(&self, name: &str) -> bool {
        self.matches(key(name), name)
    }

    /// The first child called `name` (case-insensitive).
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        let k = key(name);
        self.children.iter().find(|c| c.matches(k, name))
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
        let k = key(name);
        let child = self.children.iter_mut().find(|c| c.matches(k, name))?;
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
        let k = key(name);
        let child = self.children.iter_mut().find(|c| c.matches(k, name))?;
        Some(std::mem::take(&mut child.text)).filter(|t| !t.is_empty())
    }

    /// The leaf children whose names are not in `known` (case-insensitive), as
    /// `(name, text)`, moved out (call it after reading the known names).
    pub(crate) fn take_other_leaves(&mut self, known: &[&str]) -> Vec<(String, String)> {
        let mut keys = [0u64; 64];
        if known.len() > keys.len() {
            return self
                .children
                .iter_mut()
                .filter(|c| c.children.is_empty() && !known.iter().any(|k| c.is(k)))
                .map(|c| {
                    c.key = key("");
                    (c.name.take(), std::mem::take(&mut c.text))
                })
                .collect();
        }
        for (slot, name) in keys.iter_mut().zip(known) {
            *slot = key(name);
        }
        let keys = &keys[..known.len()];
        let mut out = Vec::new();
        // Children mostly come in the order of `known`: each search starts after the last
        // match and wraps around (the answer, "is it among them", does not depend on order).
        let mut from = 0;
        for c in &mut self.children {
            if !c.children.is_empty() {
                continue;
            }
            let hit = (from..keys.len())
                .chain(0..from)
                .find(|&i| c.matches(keys[i], known[i]));
            match hit {
                Some(i) => from = i + 1,
                None => {
                    c.key = key("");
                    out.push((c.name.take(), std::mem::take(&mut c.text)));
                }
            }
        }
        out
    }

    /// [`Self::find`], mutably.
    pub(crate) fn find_mut(&mut self, name: &str) -> Option<&mut Element> {
        self.find_mut_key(key(name), name)
    }

    fn find_mut_key(&mut self, k: u64, name: &str) -> Option<&mut Element> {
        if self.matches(k, name) {
            return Some(self);
        }
        self.children
            .iter_mut()
            .find_map(|c| c.find_mut_key(k, name))
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
        self.find_key(key(name), name)
    }

    fn find_key(&self, k: u64, name: &str) -> Option<&Element> {
        if self.matches(k, name) {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find_key(k, name))
    }
}

/// What one document has used of the limits that are not structural.
#[derive(Default)]
struct Budget {
    elements: usize,
    attributes: usize,
    references: usize,
}

impl Budget {
    fn reference(&mut self) -> Result<(), String> {
        self.references += 1;
        if self.references > MAX_REFERENCES {
            return Err(format!(
                "more than {MAX_REFERENCES} entity or character references (MAX_REFERENCES)"
            ));
        }
        Ok(())
    }
}

/// Parses a whole document into its root element. The error is a short reason.
pub(crate) fn parse(body: &[u8]) -> Result<Element, String> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let doc = std::str::from_utf8(body).map_err(|e| format!("not UTF-8: {e}"))?;
    check_chars(doc)?;
    // Without a CR anywhere, end-of-line handling has nothing to do.
    let has_cr = doc.as_bytes().contains(&b'\r');
    let mut reader = Reader::from_str(doc);
    reader.config_mut().check_end_names = true;

    // The open elements, each with where its children start in `done`: the finished
    // elements whose parent is still open. A parent takes its children out of `done` in one
    // exactly sized allocation when it ends.
    let mut stack: Vec<(Element, usize)> = Vec::with_capacity(8);
    let mut done: Vec<Element> = Vec::with_capacity(32);
    let mut root: Option<Element> = None;
    let mut budget = Budget::default();
    // Whitespace-only text not yet kept: it is layout when a child element or the end of a
    // parent follows, content otherwise.
    let mut pending: &str = "";

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
                pending = "";
                let element = open(doc, &start, &mut budget, stack.len())?;
                stack.push((element, done.len()));
            }
            Event::Empty(start) => {
                pending = "";
                let element = open(doc, &start, &mut budget, stack.len())?;
                finish(element, &stack, &mut done, &mut root);
            }
            Event::End(_) => {
                let (mut element, first) = stack.pop().ok_or("unexpected end tag")?;
                if done.len() > first {
                    element.children = done.drain(first..).collect();
                } else {
                    element.text.push_str(&eol(pending, has_cr));
                }
                pending = "";
                finish(element, &stack, &mut done, &mut root);
            }
            Event::Text(t) => {
                let s = within(doc, &t)?;
                if pending.is_empty() && s.bytes().all(is_xml_space) {
                    if !stack.is_empty() {
                        pending = s;
                    }
                    continue;
                }
                flush(&mut stack, &eol(pending, has_cr))?;
                pending = "";
                push_text(&mut stack, &eol(s, has_cr))?;
            }
            Event::CData(c) => {
                let s = within(doc, &c)?;
                flush(&mut stack, &eol(pending, has_cr))?;
                pending = "";
                push_text(&mut stack, &eol(s, has_cr))?;
            }
            Event::GeneralRef(r) => {
                budget.reference()?;
                let c = resolve(within(doc, &r)?)?;
                let mut buf = [0u8; 4];
                flush(&mut stack, &eol(pending, has_cr))?;
                pending = "";
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

/// `part`, a slice of the already validated document `doc`, as a `str` without validating
/// it again (found by its address; only a slice that is not part of `doc` is validated).
fn within<'d>(doc: &'d str, part: &[u8]) -> Result<&'d str, String> {
    if part.is_empty() {
        return Ok("");
    }
    let off = (part.as_ptr() as usize).wrapping_sub(doc.as_ptr() as usize);
    match off
        .checked_add(part.len())
        .and_then(|end| doc.get(off..end))
    {
        Some(s) if s.as_ptr() == part.as_ptr() => Ok(s),
        // Not reached with a `str` reader (every event borrows from the document).
        _ => Err("the XML reader returned text outside the document".into()),
    }
}

/// XML 1.0 end-of-line handling: CR LF and a lone CR become LF.
fn eol(s: &str, has_cr: bool) -> Cow<'_, str> {
    if has_cr && s.contains('\r') {
        Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Refuses a raw character XML 1.0 forbids anywhere in the document: a C0 control other
/// than tab, LF and CR, or U+FFFE / U+FFFF (`text` is a `str`, so no surrogate can occur).
/// Eight bytes at a time: a word with no control but tab, LF and CR and no 0xEF byte (the
/// first byte of U+FFFE and U+FFFF) is skipped whole; the others are looked at byte by byte.
fn check_chars(text: &str) -> Result<(), String> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    const LOW7: u64 = u64::from_ne_bytes([0x7F; 8]);
    // High bit of each byte of `x` that is 0 (exact: no carry crosses bytes).
    let zero = |x: u64| !(((x & LOW7).wrapping_add(LOW7)) | x) & HIGH;
    let bytes = text.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_ne_bytes(word);
        // High bit of each byte below 0x20 (exact, as above).
        let control = !(((x & LOW7).wrapping_add(ONES * 0x60)) | x) & HIGH;
        let suspect = if control != 0 {
            let allowed = zero(x ^ (ONES * b'\t' as u64))
                | zero(x ^ (ONES * b'\n' as u64))
                | zero(x ^ (ONES * b'\r' as u64));
            control & !allowed != 0
        } else {
            false
        };
        if suspect || zero(x ^ (ONES * 0xEF)) != 0 {
            check_bytes(bytes, at, at + 8)?;
        }
        at += 8;
    }
    check_bytes(bytes, at, bytes.len())
}

/// The byte-by-byte check of [`check_chars`] on `bytes[from..to]` (a sequence starting there
/// may run past `to`).
fn check_bytes(bytes: &[u8], from: usize, to: usize) -> Result<(), String> {
    for at in from..to {
        let b = bytes[at];
        if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') {
            return Err(format!(
                "character U+{b:04X} at byte {at} is not allowed in XML 1.0"
            ));
        }
        // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
        if b == 0xEF && bytes.get(at + 1) == Some(&0xBF) {
            if let Some(&last @ (0xBE | 0xBF)) = bytes.get(at + 2) {
                let c = 0xFFFE + u32::from(last - 0xBE);
                return Err(format!(
                    "character U+{c:04X} at byte {at} is not allowed in XML 1.0"
                ));
            }
        }
    }
    Ok(())
}

fn open(
    doc: &str,
    start: &BytesStart<'_>,
    budget: &mut Budget,
    depth: usize,
) -> Result<Element, String> {
    if depth >= MAX_DEPTH {
        return Err(format!(
            "elements nested deeper than {MAX_DEPTH} (MAX_DEPTH)"
        ));
    }
    budget.elements += 1;
    if budget.elements > MAX_ELEMENTS {
        return Err(format!("more than {MAX_ELEMENTS} elements (MAX_ELEMENTS)"));
    }
    if start.name().as_ref().len() > MAX_NAME_BYTES {
        return Err(format!(
            "an element name is longer than {MAX_NAME_BYTES} bytes (MAX_NAME_BYTES)"
        ));
    }
    let name = within(doc, local(start.name().into_inner()))?;
    let attrs = if start
        .attributes_raw()
        .iter()
        .all(|&b| is_xml_space(b) || b == b'/')
    {
        Vec::new()
    } else {
        attributes(doc, start, budget)?
    };
    Ok(Element {
        key: key(name),
        name: Name::new(name),
        attrs,
        text: String::new(),
        children: Vec::new(),
    })
}

/// The attributes of one element, counted against the caps before anything else is done
/// with them, duplicates refused by a check bounded by [`MAX_ATTRIBUTES_PER_ELEMENT`].
fn attributes(
    doc: &str,
    start: &BytesStart<'_>,
    budget: &mut Budget,
) -> Result<Vec<(String, String)>, String> {
    let mut keys: [&[u8]; MAX_ATTRIBUTES_PER_ELEMENT] = [&[]; MAX_ATTRIBUTES_PER_ELEMENT];
    let mut attrs = Vec::new();
    let mut iter = start.attributes();
    // quick-xml's duplicate check compares each name with every earlier one: quadratic in
    // the attribute count. Ours runs after the per-element cap.
    iter.with_checks(false);
    for attr in iter {
        let n = attrs.len();
        if n == MAX_ATTRIBUTES_PER_ELEMENT {
            return Err(format!(
                "more than {MAX_ATTRIBUTES_PER_ELEMENT} attributes on one element \
                 (MAX_ATTRIBUTES_PER_ELEMENT)"
            ));
        }
        budget.attributes += 1;
        if budget.attributes > MAX_ATTRIBUTES {
            return Err(format!(
                "more than {MAX_ATTRIBUTES} attributes in the document (MAX_ATTRIBUTES)"
            ));
        }
        let attr = attr.map_err(|e| format!("bad attribute: {e}"))?;
        let qname = attr.key.into_inner();
        if qname.len() > MAX_NAME_BYTES {
            return Err(format!(
                "an attribute name is longer than {MAX_NAME_BYTES} bytes (MAX_NAME_BYTES)"
            ));
        }
        if keys[..n].contains(&qname) {
            return Err(format!(
                "duplicate attribute `{}`",
                String::from_utf8_lossy(qname)
            ));
        }
        keys[n] = qname;
        let name = within(doc, local(qname))?.to_owned();
        let value = unescape(within(doc, &attr.value)?, budget)?;
        attrs.push((name, value));
    }
    Ok(attrs)
}

/// Resolves the references of an attribute value, each counted and checked like those in
/// text. A `&` that does not start a reference, as in the `&F1000#&C643#&R01#` of a
/// Completion answer in the vendor's integration instruction, is kept as a literal `&`: such
/// values are only displayed by azpay. What starts a reference is resolved or refused exactly
/// as before: `&#…` is always a character reference (a malformed one is refused), `&name;` an
/// entity reference (an unknown entity is refused, so no entity is ever expanded), and a
/// predefined entity name without its `;` (`&amp`) a broken reference (refused).
fn unescape(raw: &str, budget: &mut Budget) -> Result<String, String> {
    let Some(first) = raw.find('&') else {
        return Ok(raw.to_owned());
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let mut rest = &raw[first..];
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match reference_after_ampersand(after)? {
            Some(name) => {
                budget.reference()?;
                out.push(resolve(name)?);
                rest = &after[name.len() + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// What follows a `&` in an attribute value (`after`): `Some(name)` when it is a reference
/// (`name` is what stands between `&` and `;`), `None` when the `&` is a literal character,
/// an error for a reference that is broken (no `;`).
fn reference_after_ampersand(after: &str) -> Result<Option<&str>, String> {
    if after.starts_with('#') {
        // A character reference, well-formed or not: resolved or refused by `resolve`.
        return match after.find(';') {
            Some(end) => Ok(Some(&after[..end])),
            None => Err("unterminated character reference in an attribute value".into()),
        };
    }
    let end = after
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
        .unwrap_or(after.len());
    let name = &after[..end];
    let starts_name = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':');
    if starts_name && after[end..].starts_with(';') {
        return Ok(Some(name));
    }
    if matches!(name, "amp" | "lt" | "gt" | "apos" | "quot") {
        return Err(format!(
            "unterminated reference &{name} in an attribute value"
        ));
    }
    Ok(None)
}

/// The local part of a qualified name: what follows the first `:` (a short loop: names are
/// short, a `memchr` call costs more).
fn local(qname: &[u8]) -> &[u8] {
    match qname.iter().position(|&b| b == b':') {
        Some(i) => qname.get(i + 1..).unwrap_or_default(),
        None => qname,
    }
}

/// A finished element goes to `done` for its parent, or is the root.
fn finish(
    element: Element,
    stack: &[(Element, usize)],
    done: &mut Vec<Element>,
    root: &mut Option<Element>,
) {
    if stack.is_empty() {
        *root = Some(element);
    } else {
        done.push(element);
    }
}

/// Keeps whitespace held back as possible layout, now that content follows it.
fn flush(stack: &mut [(Element, usize)], pending: &str) -> Result<(), String> {
    if pending.is_empty() {
        Ok(())
    } else {
        push_text(stack, pending)
    }
}

fn push_text(stack: &mut [(Element, usize)], s: &str) -> Result<(), String> {
    match stack.last_mut() {
        Some((e, _)) => {
            e.text.push_str(s);
            Ok(())
        }
        None if s.bytes().all(is_xml_space) => Ok(()),
        None => Err("text outside the root element".into()),
    }
}

fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Whether `c` may appear in an XML 1.0 document.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The character a reference stands for: `name` is what is between `&` and `;`.
fn resolve(name: &str) -> Result<char, String> {
    if let Some(num) = name.strip_prefix('#') {
        let (digits, radix) = match num.strip_prefix('x') {
            Some(hex) => (hex, 16),
            None => (num, 10),
        };
        let shown = || name.chars().take(16).collect::<String>();
        // `from_str_radix` would take a sign; a reference has none.
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("bad character reference &{};", shown()));
        }
        let c = u32::from_str_radix(digits, radix)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| format!("bad character reference &{};", shown()))?;
        if !is_xml_char(c) {
            return Err(format!(
                "character reference &{}; is not allowed in XML 1.0",
                shown()
            ));
        }
        return Ok(c);
    }
    match name {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        other => Err(format!(
            "unknown entity &{};",
            other.chars().take(32).collect::<String>()
        )),
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
    fn refuses_forbidden_characters_at_every_position() {
        for bad in [
            "\u{0}", "\u{8}", "\u{B}", "\u{C}", "\u{1B}", "\u{1F}", "\u{FFFE}", "\u{FFFF}",
        ] {
            for pad in 0..17 {
                let doc = format!("<a>{}{bad}{}</a>", "x".repeat(pad), "y".repeat(pad % 5));
                let e = parse(doc.as_bytes()).unwrap_err();
                assert!(e.contains("not allowed in XML 1.0"), "{bad:?} {pad}: {e}");
                assert!(
                    e.contains(&format!("at byte {}", 3 + pad)),
                    "{bad:?} {pad}: {e}"
                );
            }
        }
        // Tab, LF, CR and every other character are fine, also next to U+FFFE's neighbours.
        let ok = "<a>\t\n\r\u{7F}\u{80}\u{FFFD}\u{FFBE}\u{EFBF}\u{10FFFF}\u{E000}é</a>";
        assert_eq!(
            parse(ok.as_bytes()).unwrap().text,
            "\t\n\n\u{7F}\u{80}\u{FFFD}\u{FFBE}\u{EFBF}\u{10FFFF}\u{E000}é"
        );
        for bad in [
            "<a x='&#1;'/>",
            "<a x='\u{1}'/>",
            "<a>&#xFFFF;</a>",
            "<a><![CDATA[\u{0}]]></a>",
        ] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn caps_attributes_names_and_references() {
        let attrs = |n: usize| (0..n).map(|i| format!(" a{i}='{i}'")).collect::<String>();
        let ok = parse(format!("<a{}/>", attrs(MAX_ATTRIBUTES_PER_ELEMENT)).as_bytes()).unwrap();
        assert_eq!(ok.attrs.len(), MAX_ATTRIBUTES_PER_ELEMENT);
        assert_eq!(ok.attr("A31"), Some("31"));
        let e = parse(format!("<a{}/>", attrs(MAX_ATTRIBUTES_PER_ELEMENT + 1)).as_bytes());
        assert!(e.unwrap_err().contains("MAX_ATTRIBUTES_PER_ELEMENT"));
        let per = MAX_ATTRIBUTES / MAX_ATTRIBUTES_PER_ELEMENT;
        let full = format!(
            "<r>{}</r>",
            format!("<b{}/>", attrs(MAX_ATTRIBUTES_PER_ELEMENT)).repeat(per)
        );
        assert_eq!(parse(full.as_bytes()).unwrap().children.len(), per);
        let over = format!(
            "<r>{}<c z='1'/></r>",
            format!("<b{}/>", attrs(MAX_ATTRIBUTES_PER_ELEMENT)).repeat(per)
        );
        assert!(parse(over.as_bytes())
            .unwrap_err()
            .contains("(MAX_ATTRIBUTES)"));
        assert!(parse(b"<a x='1' y='2' x='3'/>")
            .unwrap_err()
            .contains("duplicate"));
        let name = "n".repeat(MAX_NAME_BYTES);
        assert!(parse(format!("<{name} {name}='1'/>").as_bytes()).is_ok());
        let long = "n".repeat(MAX_NAME_BYTES + 1);
        assert!(parse(format!("<{long}/>").as_bytes())
            .unwrap_err()
            .contains("MAX_NAME_BYTES"));
        assert!(parse(format!("<a {long}='1'/>").as_bytes())
            .unwrap_err()
            .contains("MAX_NAME_BYTES"));
        let refs = format!("<a x='&amp;'>{}</a>", "&lt;".repeat(MAX_REFERENCES - 1));
        assert_eq!(
            parse(refs.as_bytes()).unwrap().text.len(),
            MAX_REFERENCES - 1
        );
        let refs = format!(
            "<a x='&amp;&amp;'>{}</a>",
            "&lt;".repeat(MAX_REFERENCES - 1)
        );
        assert!(parse(refs.as_bytes())
            .unwrap_err()
            .contains("MAX_REFERENCES"));
    }

    #[test]
    fn a_bare_ampersand_in_an_attribute_is_literal() {
        // The vendor's Completion answer: `&` that starts no reference.
        let doc = parse(br#"<f name="a" value="&F1000#&C643#&R01#"/>"#).unwrap();
        assert_eq!(doc.attr("value"), Some("&F1000#&C643#&R01#"));
        for (raw, read) in [
            ("a & b", "a & b"),
            ("&", "&"),
            ("&&amp;", "&&"),
            ("&;", "&;"),
            ("&amp;&lt;&#65;&#x42;", "&<AB"),
            ("AT&T", "AT&T"),
            ("&ampx", "&ampx"),
        ] {
            let doc = parse(format!("<a v=\"{raw}\"/>").as_bytes()).unwrap();
            assert_eq!(doc.attr("v"), Some(read), "{raw}");
        }
        // A reference is still a reference: unknown entities and bad characters are refused.
        for bad in [
            "&x;", "&#0;", "&#xZZ;", "&nbsp;", "&a:b;", "&#;", "x&#65", "&amp", "&lt",
        ] {
            assert!(
                parse(format!("<a v=\"{bad}\"/>").as_bytes()).is_err(),
                "{bad}"
            );
        }
        // Text is read as before: a bare `&` there is still an error.
        assert!(parse(b"<a>a & b</a>").is_err());
    }

    #[test]
    fn layout_whitespace_beside_children_is_not_kept() {
        let doc = parse(b"<a>\n  <b>  </b>\r\n  <c> x <d/> y </c>\n</a>\n").unwrap();
        assert_eq!(doc.text, "");
        assert_eq!(doc.child_text("b"), Some("  "));
        assert_eq!(doc.child_text("c"), Some(" x  y "));
        let doc = parse(b"<a> <!-- c --> </a>").unwrap();
        assert_eq!(doc.text, "  ");
    }

    #[test]
    fn name_keys_fold_exactly_ascii_case() {
        // Bytes around 'A'..='Z' and 'a'..='z', digits, punctuation and non-ASCII.
        let alphabet = [
            "@", "A", "M", "Z", "[", "`", "a", "m", "z", "{", "0", "_", "-", ".", "é", "\u{7F}",
        ];
        for x in alphabet {
            for y in alphabet {
                for (a, b) in [
                    (format!("{x}{y}"), format!("{y}{x}")),
                    (x.repeat(3), y.repeat(3)),
                ] {
                    assert_eq!(
                        key(&a) == key(&b),
                        a.eq_ignore_ascii_case(&b),
                        "{a:?} {b:?}"
                    );
                }
                let (a, b) = (format!("{x}b"), format!("{}b", y.to_ascii_uppercase()));
                assert_eq!(
                    key(&a) == key(&b),
                    a.eq_ignore_ascii_case(&b),
                    "{a:?} {b:?}"
                );
            }
        }
        // Longer names: equal keys only say "maybe"; the comparison decides.
        let e =
            parse(b"<r><OrderStatusX>1</OrderStatusX><ORDERSTATUS>2</ORDERSTATUS></r>").unwrap();
        assert_eq!(e.child_text("orderstatus"), Some("2"));
        assert_eq!(e.child_text("OrderStatuS"), Some("2"));
        assert!(e.child("OrderStatu").is_none());
        assert!(e.child("OrderStatusXY").is_none());
        let mut e =
            parse(b"<r><ShortName>1</ShortName><a:Other>2</a:Other><id>3</id></r>").unwrap();
        assert_eq!(e.take_value("SHORTNAME").as_deref(), Some("1"));
        assert_eq!(
            e.take_other_leaves(&["id", "shortname"]),
            vec![("Other".to_owned(), "2".to_owned())]
        );
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
