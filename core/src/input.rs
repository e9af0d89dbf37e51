//! Checks of values that come from outside: base URLs (when a configuration is built),
//! URLs a gateway hands back for a browser (when an answer is parsed), and identifiers
//! (when a request is built).
//!
//! The rules, in one place:
//!
//! * **Base URL**: `https://host[:port][/path]`. Plain `http://` only when the host is a
//!   loopback one (`localhost`, `127.0.0.0/8`, `[::1]`), and for TWEC never. The host must
//!   be a valid DNS name or IP literal, the port 1 to 65535; a user name or password
//!   (`user:pw@`), a query (`?`) or a fragment (`#`) is refused, as are spaces and control
//!   characters. Trailing `/` are dropped.
//! * **Browser URL** (a payment page, a form `action`): `https://` (or loopback `http://`)
//!   with a valid host and port, no user name or password, no spaces or control characters.
//!   A query and a fragment are allowed.
//! * **Identifier**: not empty or only whitespace; no C0/C1 control characters (which
//!   includes newlines and tabs) and no Unicode direction controls (U+202A–U+202E,
//!   U+2066–U+2069); at most the gateway's documented length, else 255 characters.

use core::net::{Ipv4Addr, Ipv6Addr};

use crate::BuildError;

/// The length cap of identifiers whose length no gateway documents.
pub(crate) const DEFAULT_ID_MAX: usize = 255;

/// Whether `c` is a Unicode bidirectional control (embedding, override or isolate).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Why an identifier is refused, in plain words, or `None` when it is fine.
pub(crate) fn id_problem(value: &str, max_chars: usize) -> Option<String> {
    if value.trim().is_empty() {
        return Some(if value.is_empty() {
            "must not be empty".to_owned()
        } else {
            "must not be only whitespace".to_owned()
        });
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Some(format!(
            "must not contain control characters (found U+{:04X})",
            c as u32
        ));
    }
    if let Some(c) = value.chars().find(|c| is_bidi_control(*c)) {
        return Some(format!(
            "must not contain Unicode direction controls (found U+{:04X})",
            c as u32
        ));
    }
    let n = value.chars().count();
    if n > max_chars {
        return Some(format!(
            "is {n} characters long; at most {max_chars} are allowed"
        ));
    }
    None
}

/// [`id_problem`] as a [`BuildError::InvalidInput`] naming `field`.
pub(crate) fn check_id(
    field: &'static str,
    value: &str,
    max_chars: usize,
) -> Result<(), BuildError> {
    match id_problem(value, max_chars) {
        Some(reason) => Err(BuildError::invalid(field, reason)),
        None => Ok(()),
    }
}

/// Refuses an empty or whitespace-only secret (a private key or password); the reason never
/// shows the value.
pub(crate) fn check_secret(field: &'static str, value: &str) -> Result<(), BuildError> {
    if value.is_empty() {
        Err(BuildError::invalid(field, "must not be empty"))
    } else if value.trim().is_empty() {
        Err(BuildError::invalid(field, "must not be only whitespace"))
    } else {
        Ok(())
    }
}

/// Which schemes a URL may have.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Schemes {
    /// `https`, or `http` for a loopback host.
    HttpsOrLoopbackHttp,
    /// `https` only.
    HttpsOnly,
}

/// The parts of a checked absolute URL.
struct Parts<'a> {
    /// Everything after the authority: path, query, fragment.
    rest: &'a str,
}

fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<Ipv6Addr>().is_ok_and(|a| a.is_loopback());
    }
    host.parse::<Ipv4Addr>().is_ok_and(|a| a.is_loopback())
}

fn check_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("the host is missing".to_owned());
    }
    if let Some(inner) = host.strip_prefix('[') {
        let Some(inner) = inner.strip_suffix(']') else {
            return Err(format!("`{host}` is not a valid IPv6 address"));
        };
        return inner
            .parse::<Ipv6Addr>()
            .map(|_| ())
            .map_err(|_| format!("`[{inner}]` is not a valid IPv6 address"));
    }
    // All digits and dots: it must be an IPv4 address.
    if host.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return host
            .parse::<Ipv4Addr>()
            .map(|_| ())
            .map_err(|_| format!("`{host}` is not a valid IPv4 address"));
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    let valid = name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if valid {
        Ok(())
    } else {
        Err(format!("`{host}` is not a valid host name"))
    }
}

/// Checks scheme, authority and the characters of an absolute URL.
fn check_absolute(url: &str, schemes: Schemes) -> Result<Parts<'_>, String> {
    if let Some(c) = url.chars().find(|c| c.is_control() || is_bidi_control(*c)) {
        return Err(format!(
            "must not contain control characters (found U+{:04X})",
            c as u32
        ));
    }
    if url.chars().any(char::is_whitespace) {
        return Err("must not contain spaces".to_owned());
    }
    if !url.is_ascii() {
        return Err(
            "must be ASCII (write a non-ASCII host in its xn-- form and percent-encode the path)"
                .to_owned(),
        );
    }
    let Some((scheme, after)) = url.split_once("://") else {
        return Err("must be an absolute URL starting with https://".to_owned());
    };
    let https_only = schemes == Schemes::HttpsOnly;
    let http = if scheme.eq_ignore_ascii_case("https") {
        false
    } else if scheme.eq_ignore_ascii_case("http") {
        if https_only {
            return Err("must use https:// (plain http:// is not allowed here)".to_owned());
        }
        true
    } else if https_only {
        return Err(format!("scheme `{scheme}` is not allowed; use https://"));
    } else {
        return Err(format!(
            "scheme `{scheme}` is not allowed; use https:// (or http:// for a loopback host)"
        ));
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    if authority.contains('@') {
        return Err("must not contain a user name or password (`user:password@`)".to_owned());
    }
    let (host, port) = if authority.starts_with('[') {
        match authority.find(']') {
            Some(i) => {
                let (h, p) = authority.split_at(i + 1);
                match p.strip_prefix(':') {
                    Some(p) => (h, Some(p)),
                    None if p.is_empty() => (h, None),
                    None => return Err(format!("`{authority}` is not a valid host and port")),
                }
            }
            None => return Err(format!("`{authority}` is not a valid IPv6 address")),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    check_host(host)?;
    if let Some(p) = port {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("port `{p}` is not a number"));
        }
        match p.parse::<u32>() {
            Ok(n) if (1..=65535).contains(&n) => {}
            _ => return Err(format!("port {p} is out of range (1 to 65535)")),
        }
    }
    if http && !is_loopback(host) {
        return Err(format!(
            "plain http:// is allowed only for a loopback host (localhost, 127.0.0.0/8, [::1]), not `{host}`; use https://"
        ));
    }
    const BAD: &[char] = &['"', '<', '>', '\\', '^', '`', '{', '|', '}'];
    if let Some(c) = rest.chars().find(|c| BAD.contains(c)) {
        return Err(format!("must not contain `{c}` (percent-encode it)"));
    }
    if url.parse::<http::Uri>().is_err() {
        return Err("is not a valid URL".to_owned());
    }
    Ok(Parts { rest })
}

/// Checks a base URL and returns it without trailing `/`: see the module docs.
pub(crate) fn base_url(url: &str, schemes: Schemes) -> Result<String, BuildError> {
    let parts = check_absolute(url, schemes).map_err(|r| BuildError::invalid("base_url", r))?;
    if parts.rest.contains('?') {
        return Err(BuildError::invalid(
            "base_url",
            "must not contain a query (`?…`)",
        ));
    }
    if parts.rest.contains('#') {
        return Err(BuildError::invalid(
            "base_url",
            "must not contain a fragment (`#…`)",
        ));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// Checks a URL a gateway handed back for the customer's browser; the reason names no field.
pub(crate) fn browser_url(url: &str) -> Result<(), String> {
    check_absolute(url, Schemes::HttpsOrLoopbackHttp).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(u: &str) -> Result<String, String> {
        base_url(u, Schemes::HttpsOrLoopbackHttp).map_err(|e| e.to_string())
    }

    #[test]
    fn base_urls() {
        assert_eq!(base("https://epoint.az/").unwrap(), "https://epoint.az");
        assert_eq!(
            base("http://127.0.0.1:8080//").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(base("http://localhost/x").is_ok());
        assert!(base("http://[::1]:9/").is_ok());
        assert!(base("https://a.example:65535/api").is_ok());
        for (bad, why) in [
            ("http://127.0.0.1:99999", "out of range"),
            ("http://127.0.0.1:65536", "out of range"),
            ("https://x.example:0", "out of range"),
            ("https://x.example:", "not a number"),
            ("http://example.com", "loopback"),
            ("ftp://127.0.0.1", "scheme `ftp`"),
            ("https://user:pw@x.example", "user name or password"),
            ("https://x.example/?a=1", "query"),
            ("https://x.example/#f", "fragment"),
            ("https://", "host is missing"),
            ("https://bad_host", "not a valid host"),
            ("https://999.1.1.1", "IPv4"),
            ("https://[::1", "IPv6"),
            ("not a url", "spaces"),
            ("/local", "absolute"),
            ("https://x.example/\"><script>", "`\"`"),
            ("https://x.example\n", "control"),
        ] {
            let e = base(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
        assert!(base_url("http://127.0.0.1", Schemes::HttpsOnly).is_err());
    }

    #[test]
    fn ids() {
        assert!(id_problem("order-1", 255).is_none());
        assert!(id_problem("", 255).is_some());
        assert!(id_problem(" ", 255).is_some());
        assert!(id_problem("a\nb", 255).is_some());
        assert!(id_problem("a\u{85}b", 255).is_some());
        assert!(id_problem("a\u{202E}b", 255).is_some());
        assert!(id_problem("a\u{2068}b", 255).is_some());
        assert!(id_problem(&"x".repeat(256), 255).is_some());
        assert!(id_problem(&"ə".repeat(255), 255).is_none());
    }
}
