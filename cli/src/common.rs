//! What every gateway's commands share: the global flags, configuration from the
//! environment, amount parsing, the dry-run printout, sending, and exit codes.

use azpay_core::{
    execute, execute_flow, Amount, Currency, Error, Flow, Gateway, HttpRequest, Operation, Phase,
    State, Step, SyncTransport,
};
use azpay_transport_blocking::BlockingTransport;
use serde::Serialize;

/// The global flags.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub dry_run: bool,
    pub show_secrets: bool,
    pub json: bool,
}

/// Exit codes (`docs/cli.md`, "Exit codes").
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_DECLINED: i32 = 3;
pub const EXIT_UNKNOWN: i32 = 4;
pub const EXIT_PENDING: i32 = 5;
pub const EXIT_RETURNED: i32 = 6;

/// The sentence every "outcome unknown" exit ends with.
pub const CHECK_STATUS: &str = "check the status before trying again";

/// The exit for an outcome's uniform [`State`] (`../shared/CLI.md`, "Exit codes"): `Ok` for
/// done, otherwise the code and one line in words naming the gateway's own `word`. The same
/// for every gateway, for actions and status queries alike.
pub fn exit_for_state(state: State, word: &str) -> Result<(), CliError> {
    let (code, what) = match state {
        State::Done => return Ok(()),
        State::Declined => (EXIT_DECLINED, "declined"),
        State::Pending => (
            EXIT_PENDING,
            "pending: the gateway has not decided; ask again later",
        ),
        State::Returned => (EXIT_RETURNED, "money returned to the customer"),
    };
    Err(CliError {
        code,
        message: format!("{what} (gateway said `{}`)", escape(word)),
    })
}

/// A one-line reason and the process exit code.
#[derive(Debug)]
pub struct CliError {
    pub code: i32,
    pub message: String,
}

impl CliError {
    /// Bad input: exit 2, nothing sent.
    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            code: EXIT_USAGE,
            message: message.into(),
        }
    }
    /// Any other failure: exit 1.
    pub fn failed(message: impl Into<String>) -> Self {
        CliError {
            code: EXIT_FAILED,
            message: message.into(),
        }
    }
}

/// An environment variable, `None` when unset or empty.
pub fn env_opt(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// A required environment variable; exit 2 naming it when missing.
pub fn env_required(name: &str) -> Result<String, CliError> {
    env_opt(name).ok_or_else(|| CliError::usage(format!("missing environment variable {name}")))
}

/// A configuration variable with a bad value: exit 2, one line naming the variable
/// (`invalid EPOINT_BASE_URL: port 99999 is out of range (1 to 65535)`), nothing sent.
pub fn invalid_env(name: &str, reason: impl std::fmt::Display) -> CliError {
    CliError::usage(format!("invalid {name}: {reason}"))
}

/// [`invalid_env`] for the error of a configuration setter: its reason, under the variable's
/// name instead of the setter's.
pub fn invalid_env_build(name: &str, e: azpay_core::BuildError) -> CliError {
    match e {
        azpay_core::BuildError::InvalidInput { reason, .. } => invalid_env(name, reason),
        other => invalid_env(name, other),
    }
}

/// A variable that holds a key, a password or an id: not only whitespace (an empty one is
/// treated as unset by [`env_opt`]) and without control characters. The value is never
/// shown.
pub fn check_env_text(name: &str, value: &str) -> Result<(), CliError> {
    if value.trim().is_empty() {
        return Err(invalid_env(name, "must not be only whitespace"));
    }
    if value.chars().any(char::is_control) {
        return Err(invalid_env(name, "must not contain control characters"));
    }
    Ok(())
}

/// A variable that holds a URL the gateway sends the customer's browser back to (a shop's
/// return URL): an absolute `http://` or `https://` URL with a host, without spaces or control
/// characters.
pub fn check_env_url(name: &str, value: &str) -> Result<(), CliError> {
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid_env(
            name,
            "must not contain spaces or control characters",
        ));
    }
    let uri: azpay_core::http::Uri = value
        .parse()
        .map_err(|_| invalid_env(name, "is not a valid URL"))?;
    match uri.scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("https") || s.eq_ignore_ascii_case("http") => {}
        _ => {
            return Err(invalid_env(
                name,
                "must be an absolute URL starting with https:// (or http://)",
            ))
        }
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(invalid_env(name, "the host is missing"));
    }
    Ok(())
}

/// Parses `--<flag>` as a currency (`AZN` or `944`).
pub fn parse_currency(flag: &str, text: &str) -> Result<Currency, CliError> {
    Currency::parse(text).map_err(|e| CliError::usage(format!("invalid --{flag} `{text}`: {e}")))
}

/// Parses `--<flag>` as an amount in major units with at most the currency's decimals.
pub fn parse_amount(flag: &str, text: &str, currency: Currency) -> Result<Amount, CliError> {
    Amount::parse_major(text, currency)
        .map_err(|e| CliError::usage(format!("invalid --{flag} `{text}`: {e}")))
}

/// The dry-run printout (`docs/cli.md`): method, URL, lower-case headers, body as UTF-8 text.
/// The `authorization` header is redacted unless `--show-secrets` was given.
pub fn dry_run_json(request: &HttpRequest, show_secrets: bool) -> serde_json::Value {
    let mut headers = serde_json::Map::new();
    for (name, value) in request.headers() {
        let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
        let shown = if !show_secrets && (name == http_auth() || value.is_sensitive()) {
            match text.split_once(' ') {
                Some((scheme, _)) => format!("{scheme} <redacted>"),
                None => "<redacted>".to_owned(),
            }
        } else {
            text
        };
        headers.insert(name.as_str().to_ascii_lowercase(), shown.into());
    }
    serde_json::json!({
        "method": request.method().as_str(),
        "url": request.uri().to_string(),
        "headers": headers,
        "body": String::from_utf8_lossy(request.body()),
    })
}

fn http_auth() -> &'static str {
    "authorization"
}

fn print_dry_run(ctx: &Ctx, request: &HttpRequest) {
    print_json(&dry_run_json(request, ctx.show_secrets));
}

/// Maps a library error to a one-line reason and exit code.
///
/// Only input refused before sending is exit 2; whatever may have changed a payment
/// ([`Error::may_have_happened`]) is exit 4 with [`CHECK_STATUS`]; the rest (a refusal, an
/// unreadable answer to a query, a flow that failed after sending) is exit 1.
pub fn from_error<A: std::fmt::Display>(e: Error<A>) -> CliError {
    if e.may_have_happened() {
        let message = match &e {
            Error::Transport(t) => {
                format!("outcome unknown: the request may have reached the gateway ({t}); {CHECK_STATUS}")
            }
            Error::OutcomeUnknown { operation, source } => format!(
                "outcome unknown: {operation} reached the gateway and its answer could not be \
                 read ({source}); {CHECK_STATUS}"
            ),
            other => format!("outcome unknown: {other}; {CHECK_STATUS}"),
        };
        return CliError {
            code: EXIT_UNKNOWN,
            message,
        };
    }
    match e {
        Error::Build(b) => CliError::usage(b.to_string()),
        Error::Transport(t) if t.phase == Phase::NotSent => {
            CliError::failed(format!("not sent: {t}"))
        }
        Error::Response(r) => CliError::failed(r.to_string()),
        other => CliError::failed(other.to_string()),
    }
}

/// The blocking transport the commands send with.
pub fn transport() -> Result<BlockingTransport, CliError> {
    BlockingTransport::builder()
        .build()
        .map_err(|e| CliError::failed(format!("could not set up the HTTP client: {e}")))
}

/// Runs one operation: prints the request on `--dry-run` (returning `None`), otherwise sends
/// it and returns the outcome.
pub fn run_operation<O: Operation>(
    ctx: &Ctx,
    op: &O,
    config: &<O::Gateway as Gateway>::Config,
    transport: &dyn Fn() -> Result<BlockingTransport, CliError>,
) -> Result<Option<O::Output>, CliError>
where
    <O::Gateway as Gateway>::ApiError: std::fmt::Display,
{
    if ctx.dry_run {
        let request = op
            .build_request(config)
            .map_err(|e| CliError::usage(e.to_string()))?;
        print_dry_run(ctx, &request);
        return Ok(None);
    }
    let t = transport()?;
    execute(op, config, &t).map(Some).map_err(from_error)
}

/// Runs a flow: prints its first request on `--dry-run`, otherwise drives it to the end.
pub fn run_flow<F: Flow>(
    ctx: &Ctx,
    flow: &mut F,
    config: &<F::Gateway as Gateway>::Config,
    transport: &dyn Fn() -> Result<BlockingTransport, CliError>,
) -> Result<Option<F::Output>, CliError>
where
    <F::Gateway as Gateway>::ApiError: std::fmt::Display,
{
    if ctx.dry_run {
        match flow.step(config, None).map_err(from_error)? {
            Step::Send(request) => print_dry_run(ctx, &request),
            Step::Done(_) => {}
        }
        return Ok(None);
    }
    let t = transport()?;
    execute_flow(flow, config, &t as &dyn SyncTransport)
        .map(Some)
        .map_err(from_error)
}

/// Prints an outcome: one JSON object with `--json`, `key: value` lines otherwise.
///
/// The keys are the outcome's own field names; every value goes through [`escape`], so a
/// value from outside never starts a line of its own.
pub fn print_outcome<T: Serialize>(ctx: &Ctx, outcome: &T) {
    let value = serde_json::to_value(outcome).unwrap_or(serde_json::Value::Null);
    if ctx.json {
        print_json(&value);
        return;
    }
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match v {
                    serde_json::Value::Null => {}
                    serde_json::Value::String(s) => print_line(&format!("{k}: {s}")),
                    other => print_line(&format!("{k}: {other}")),
                }
            }
        }
        other => print_line(&other.to_string()),
    }
}

// The printer. Every line azpay writes for a person goes through `print_line` (standard
// output) or `print_error` (standard error), and every JSON document through `print_json`:
// text from outside (gateway answers, callbacks, redirects, `xmlmsg`, the user's own
// arguments echoed in errors) cannot move the cursor, clear the screen, start a line of its
// own or reorder what the terminal shows.

/// Whether `c` must not reach a terminal as is: the control characters (C0, DEL, C1) and
/// the Unicode controls that reorder text (bidi embeddings, overrides, isolates and marks)
/// or break lines (line and paragraph separators).
pub fn is_dangerous(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every [dangerous](is_dangerous) character written as a visible escape:
/// `\n`, `\r`, `\t`, `\x1b` (other ASCII controls and DEL), `\u{202e}` (the rest).
/// Everything else, backslashes included, is kept as it is.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    use std::fmt::Write;
    if !text.chars().any(is_dangerous) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii() && is_dangerous(c) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_dangerous(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Prints one line for a person on standard output, [escaped](escape).
pub fn print_line(text: &str) {
    println!("{}", escape(text));
}

/// Prints `azpay: <message>` on standard error as exactly one line, [escaped](escape).
pub fn print_error(message: &str) {
    eprintln!("azpay: {}", escape(message));
}

/// `value` as one line of JSON. serde_json escapes the C0 controls; DEL, the C1 controls
/// and the bidi controls are also written as `\uXXXX` escapes (same value for a JSON
/// reader, inert on a terminal).
pub fn json_line<T: Serialize + ?Sized>(value: &T) -> String {
    use std::fmt::Write;
    let text = serde_json::to_string(value).unwrap_or_else(|_| String::from("null"));
    if !text.chars().any(is_dangerous) {
        return text;
    }
    // In serialized JSON these characters can only be inside strings, where `\uXXXX` is
    // their exact equivalent (all of them are in the Basic Multilingual Plane).
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_dangerous(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Prints `value` as one line of JSON on standard output (see [`json_line`]).
pub fn print_json<T: Serialize + ?Sized>(value: &T) {
    println!("{}", json_line(value));
}

/// Prints the verdict: the line a person acts on, which azpay prints last. It is built by
/// azpay from checked facts; values in it are [escaped](escape) like everywhere else.
pub fn print_verdict(text: &str) {
    print_line(text);
}

/// `println!` through the printer: the formatted line is [escaped](escape) as a whole.
macro_rules! outln {
    () => {
        $crate::common::print_line("")
    };
    ($($arg:tt)*) => {
        $crate::common::print_line(&format!($($arg)*))
    };
}
pub(crate) use outln;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dry_run_redacts_authorization() {
        let mut value = azpay_core::http::HeaderValue::from_static("Basic dXNlcjpwYXNz");
        value.set_sensitive(true);
        let req = azpay_core::http::Request::post("https://x.example/api/order")
            .header("Authorization", value)
            .header("Content-Type", "application/json")
            .body(b"{}".to_vec())
            .unwrap();
        let v = dry_run_json(&req, false);
        assert_eq!(v["headers"]["authorization"], "Basic <redacted>");
        assert_eq!(v["headers"]["content-type"], "application/json");
        assert_eq!(v["method"], "POST");
        assert_eq!(v["url"], "https://x.example/api/order");
        assert_eq!(v["body"], "{}");
        let v = dry_run_json(&req, true);
        assert_eq!(v["headers"]["authorization"], "Basic dXNlcjpwYXNz");
    }

    #[test]
    fn escape_makes_controls_visible() {
        assert_eq!(
            escape("plain text, Ünïcode, \\ kept"),
            "plain text, Ünïcode, \\ kept"
        );
        assert_eq!(
            escape("a\nb\rc\td\u{1b}[2J\u{7f}\u{85}\u{9b}\0"),
            "a\\nb\\rc\\td\\x1b[2J\\x7f\\u{85}\\u{9b}\\x00"
        );
        assert_eq!(
            escape("\u{202a}\u{202e}x\u{2066}\u{2069}\u{200f}\u{2028}"),
            "\\u{202a}\\u{202e}x\\u{2066}\\u{2069}\\u{200f}\\u{2028}"
        );
        for c in ('\0'..='\u{ffff}').filter(|c| is_dangerous(*c)) {
            let shown = escape(&c.to_string()).into_owned();
            assert!(!shown.chars().any(is_dangerous), "{c:?}");
            assert!(shown.starts_with('\\'), "{c:?}");
        }
    }

    #[test]
    fn json_escapes_what_serde_json_leaves() {
        let value = serde_json::json!({"k\u{202e}": "a\u{1b}\n\u{7f}\u{85}\u{202e}\u{2067}b"});
        let line = json_line(&value);
        assert!(!line.chars().any(is_dangerous), "{line}");
        assert!(line.contains(r"\u202e"), "{line}");
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn amounts_name_the_flag() {
        let e = parse_amount("amount", "1.234", Currency::AZN).unwrap_err();
        assert_eq!(e.code, EXIT_USAGE);
        assert!(e.message.contains("--amount"), "{}", e.message);
        assert!(parse_amount("amount", "-1", Currency::AZN).is_err());
        assert!(parse_amount("amount", "abc", Currency::AZN).is_err());
        assert_eq!(
            parse_amount("amount", "10.5", Currency::AZN)
                .unwrap()
                .minor(),
            1050
        );
    }
}
