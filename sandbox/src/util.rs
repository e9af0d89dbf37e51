//! Small helpers shared by the three simulated gateways: exact decimal amounts, a JSON object
//! writer that keeps number text exact, form and query parsing, HTML escaping, dates.

use base64::Engine as _;
use sha1::{Digest, Sha1};

/// Builds a JSON object in a fixed key order, with raw number text kept exact.
#[derive(Debug, Default)]
pub(crate) struct JsonObj {
    buf: String,
}

impl JsonObj {
    pub(crate) fn new() -> Self {
        JsonObj {
            buf: String::from("{"),
        }
    }

    fn key(&mut self, key: &str) {
        if self.buf.len() > 1 {
            self.buf.push(',');
        }
        self.buf.push_str(&json_string(key));
        self.buf.push(':');
    }

    /// A string value.
    pub(crate) fn str(mut self, key: &str, value: &str) -> Self {
        self.key(key);
        self.buf.push_str(&json_string(value));
        self
    }

    /// A string value, or nothing when `None`.
    pub(crate) fn opt_str(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.str(key, v),
            None => self,
        }
    }

    /// A string value, or `null` when `None`.
    pub(crate) fn str_or_null(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.str(key, v),
            None => self.raw(key, "null"),
        }
    }

    /// Raw JSON text (a number, `null`, a nested object or array already serialised).
    pub(crate) fn raw(mut self, key: &str, text: &str) -> Self {
        self.key(key);
        self.buf.push_str(text);
        self
    }

    /// An unsigned integer.
    pub(crate) fn num(self, key: &str, value: u64) -> Self {
        self.raw(key, &value.to_string())
    }

    /// A boolean.
    pub(crate) fn bool(self, key: &str, value: bool) -> Self {
        self.raw(key, if value { "true" } else { "false" })
    }

    /// A nested object.
    pub(crate) fn obj(self, key: &str, value: JsonObj) -> Self {
        let text = value.finish();
        self.raw(key, &text)
    }

    /// The finished object text.
    pub(crate) fn finish(mut self) -> String {
        self.buf.push('}');
        self.buf
    }
}

/// A JSON array of already serialised items.
pub(crate) fn json_array(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().collect();
    format!("[{}]", items.join(","))
}

/// A JSON string literal.
pub(crate) fn json_string(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| String::from("\"\""))
}

/// Parses a decimal amount in major units (`"10"`, `"10.5"`, `"10.50"`, JSON number or string
/// text) into minor units with two decimals. Rejects signs, exponents, more than two significant
/// decimals, empty text and overflow.
pub(crate) fn parse_decimal_minor(text: &str) -> Option<u64> {
    let text = text.trim();
    let text = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text)
        .trim();
    if text.is_empty() || text.len() > 32 {
        return None;
    }
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, f),
        None => (text, ""),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) || (text.contains('.') && frac.is_empty()) {
        return None;
    }
    // Trailing zeros beyond two decimals are harmless ("1.500"); anything else is not exact.
    let (two, rest) = if frac.len() > 2 {
        frac.split_at(2)
    } else {
        (frac, "")
    };
    if rest.bytes().any(|b| b != b'0') {
        return None;
    }
    let mut cents: u64 = 0;
    for (i, b) in two.bytes().enumerate() {
        let digit = u64::from(b - b'0');
        cents += if i == 0 { digit * 10 } else { digit };
    }
    let major: u64 = int.parse().ok()?;
    major.checked_mul(100)?.checked_add(cents)
}

/// `1050` -> `"10.50"`.
pub(crate) fn major_fixed(minor: u64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

/// `100` -> `"1"`, `1050` -> `"10.5"`, `1005` -> `"10.05"`: the shortest exact decimal, as
/// Kapital writes its JSON numbers.
pub(crate) fn major_short(minor: u64) -> String {
    let (major, cents) = (minor / 100, minor % 100);
    if cents == 0 {
        major.to_string()
    } else if cents % 10 == 0 {
        format!("{major}.{}", cents / 10)
    } else {
        format!("{major}.{cents:02}")
    }
}

/// Decodes an `application/x-www-form-urlencoded` body or query string into pairs.
pub(crate) fn form_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes)
        .take(64)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The first value of `key` in `pairs`.
pub(crate) fn form_get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The first value of `key` in `pairs`, key compared case-insensitively.
pub(crate) fn form_get_ci<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// Query pairs of a request URI.
pub(crate) fn query_pairs(uri: &http::Uri) -> Vec<(String, String)> {
    form_pairs(uri.query().unwrap_or("").as_bytes())
}

/// Form-encodes pairs.
pub(crate) fn form_encode(pairs: &[(&str, &str)]) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        ser.append_pair(k, v);
    }
    ser.finish()
}

/// Appends query pairs to a URL that may already carry a query.
pub(crate) fn append_query(url: &str, pairs: &[(&str, &str)]) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{}", form_encode(pairs))
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for an XML text node; characters XML cannot carry are dropped.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|c| crate::xml::xml_char(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// EPoint's signature: `base64(sha1_raw(private_key + data + private_key))`.
pub(crate) fn epoint_signature(private_key: &str, data: &str) -> String {
    let mut hasher = Sha1::new();
    hasher.update(private_key.as_bytes());
    hasher.update(data.as_bytes());
    hasher.update(private_key.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(hasher.finalize())
}

/// Compares two byte strings without an early exit on the first difference.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(crate) fn b64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub(crate) fn b64_decode(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
}

/// A broken-down UTC time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl DateTime {
    /// From seconds since the Unix epoch (UTC).
    pub(crate) fn from_unix(secs: u64) -> Self {
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        DateTime {
            year: if m <= 2 { y + 1 } else { y },
            month: m,
            day: d,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
        }
    }

    /// `2024-06-12 15:38:23`
    pub(crate) fn iso_space(&self) -> String {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `12/06/2024 15:38:23` (TWEC XMLOut style)
    pub(crate) fn dmy_slash(&self) -> String {
        format!(
            "{:02}/{:02}/{:04} {:02}:{:02}:{:02}",
            self.day, self.month, self.year, self.hour, self.minute, self.second
        )
    }

    /// `240612` (YYMMDD)
    pub(crate) fn yymmdd(&self) -> String {
        format!(
            "{:02}{:02}{:02}",
            self.year.rem_euclid(100),
            self.month,
            self.day
        )
    }

    /// `153823` (HHMMSS)
    pub(crate) fn hhmmss(&self) -> String {
        format!("{:02}{:02}{:02}", self.hour, self.minute, self.second)
    }
}

/// A small deterministic generator (splitmix64) for passwords, secrets and session ids.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `len` characters from `alphabet`.
    pub(crate) fn string(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| {
                let i = (self.next_u64() % alphabet.len() as u64) as usize;
                char::from(alphabet.get(i).copied().unwrap_or(b'0'))
            })
            .collect()
    }
}

/// `4169741330151778` -> `416974******1778`.
pub(crate) fn mask_pan(pan: &str, fill: char) -> String {
    let n = pan.len();
    if n < 10 || !pan.is_ascii() {
        return fill.to_string().repeat(n.max(4));
    }
    let stars: String = std::iter::repeat_n(fill, n - 10).collect();
    format!("{}{}{}", &pan[..6], stars, &pan[n - 4..])
}

/// Card brand from the PAN's first digit.
pub(crate) fn brand(pan: &str) -> &'static str {
    match pan.as_bytes().first() {
        Some(b'4') => "Visa",
        Some(b'5') | Some(b'2') => "Mastercard",
        _ => "Card",
    }
}

/// Keeps only ASCII digits.
pub(crate) fn digits(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// A PAN of 12 to 19 digits (spaces allowed in input).
pub(crate) fn valid_pan(pan: &str) -> bool {
    let d = digits(pan);
    (12..=19).contains(&d.len()) && pan.chars().all(|c| c.is_ascii_digit() || c == ' ')
}

/// `"11/26"`, `"1126"`, `"11/2026"` -> `"1126"` (MMYY), if it looks like an expiry.
pub(crate) fn expiry_mmyy(text: &str) -> Option<String> {
    let d = digits(text);
    let mmyy = match d.len() {
        4 => d,
        6 => format!("{}{}", &d[..2], &d[4..]),
        _ => return None,
    };
    let month: u32 = mmyy[..2].parse().ok()?;
    (1..=12).contains(&month).then_some(mmyy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(parse_decimal_minor("10"), Some(1000));
        assert_eq!(parse_decimal_minor("10.5"), Some(1050));
        assert_eq!(parse_decimal_minor("\"30.75\""), Some(3075));
        assert_eq!(parse_decimal_minor("1.500"), Some(150));
        assert_eq!(parse_decimal_minor("1.234"), None);
        assert_eq!(parse_decimal_minor("-1"), None);
        assert_eq!(parse_decimal_minor("1e3"), None);
        assert_eq!(parse_decimal_minor(""), None);
        assert_eq!(parse_decimal_minor("1."), None);
        assert_eq!(parse_decimal_minor("99999999999999999999"), None);
        assert_eq!(major_fixed(1050), "10.50");
        assert_eq!(major_short(100), "1");
        assert_eq!(major_short(1050), "10.5");
        assert_eq!(major_short(1005), "10.05");
    }

    #[test]
    fn signature_matches_the_protocol_test_vector() {
        let data = "eyJwdWJsaWNfa2V5IjoiaTAwMDAwMDAwMSIsImFtb3VudCI6IjMwLjc1IiwiY3VycmVuY3kiOiJBWk4iLCJkZXNjcmlwdGlvbiI6InRlc3QgcGF5bWVudCIsIm9yZGVyX2lkIjoiMSJ9";
        assert_eq!(
            epoint_signature("d3hjsl38sd8kdfhbcea0be04eafde9e8e2bad2fb092d", data),
            "a76GNudqblZtV8qF199hctA+cG0="
        );
    }

    #[test]
    fn dates() {
        let t = DateTime::from_unix(1_718_206_703); // 2024-06-12 15:38:23
        assert_eq!(t.iso_space(), "2024-06-12 15:38:23");
        assert_eq!(t.dmy_slash(), "12/06/2024 15:38:23");
        assert_eq!(t.yymmdd(), "240612");
        assert_eq!(t.hhmmss(), "153823");
    }

    #[test]
    fn masks() {
        assert_eq!(mask_pan("4169741330151778", '*'), "416974******1778");
        assert_eq!(mask_pan("4169733213495869", 'X'), "416973XXXXXX5869");
        assert_eq!(expiry_mmyy("11/26").as_deref(), Some("1126"));
        assert_eq!(expiry_mmyy("13/26"), None);
    }
}
