//! A capture of every `tracing` and `log` record at TRACE level, and the check both transports'
//! `trace_secrets` tests run through it: a Kapital request with Basic credentials and a signed
//! EPoint request go to the sandbox, and no record may hold the password, the Basic header
//! value, the private key, the signature or a body, whole or in pieces.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use azpay_core::{epoint, execute, kapital, Operation, SyncTransport};
use azpay_sandbox::credentials;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use crate::e2e::{azn, Env};

/// Installs the capture (once per test process), sends one Kapital order and one EPoint
/// payment through `transport` to a sandbox it starts, and checks the records: each of
/// `present` must appear (the transport's span fields, a library's own records), none of
/// `absent` may, and no secret or body of either request may, whole or as a 12-character
/// piece.
pub fn no_secret_at_trace_level(transport: &dyn SyncTransport, present: &[&str], absent: &[&str]) {
    install_capture();
    let env = Env::start();

    let kapital = env.kapital_config();
    let create = kapital::CreateOrder::purchase(azn("5.00"))
        .description("trace-body-marker-kapital")
        .hpp_redirect_url("https://shop.example/back");
    let basic = create.build_request(&kapital).expect("request").headers()["authorization"]
        .to_str()
        .expect("ascii")
        .trim_start_matches("Basic ")
        .to_owned();
    let order = execute(&create, &kapital, transport).expect("a Kapital order");

    let epoint = env.epoint_config();
    let pay = epoint::Pay::new(azn("12.34"), "trace-order-1");
    let (data, signature) = epoint_data_and_signature(&pay.build_request(&epoint).expect("signed"));
    let redirect = execute(&pay, &epoint, transport).expect("an EPoint payment");

    let log = LOG.lock().unwrap().clone();
    for needle in [
        "azpay.request",
        "gateway=kapital",
        "gateway=epoint",
        "status=200",
    ]
    .iter()
    .chain(present)
    {
        assert!(log.contains(needle), "missing `{needle}` in:\n{log}");
    }
    for needle in absent {
        assert!(!log.contains(needle), "unexpected `{needle}` in:\n{log}");
    }
    assert_absent(&log, "the Kapital password", credentials::KAPITAL_PASSWORD);
    assert_absent(&log, "the Basic header value", &basic);
    assert_absent(
        &log,
        "the Kapital request body",
        "trace-body-marker-kapital",
    );
    assert_absent(&log, "the Kapital order password", &order.password);
    assert_absent(
        &log,
        "the EPoint private key",
        credentials::EPOINT_PRIVATE_KEY,
    );
    assert_absent(&log, "the EPoint signature", &signature);
    assert_absent(&log, "the EPoint data", &data);
    assert_absent(
        &log,
        "the EPoint transaction (response body)",
        &redirect.transaction,
    );
}

// ---------------------------------------------------------------------------------------------
// A capture of EVERYTHING: a global `tracing` subscriber that enables every level and target
// and writes every span and event with all field values, and a `log` logger at TRACE that
// writes every record (the libraries below the transport log through `log` or `tracing`).

/// Everything recorded so far.
pub static LOG: Mutex<String> = Mutex::new(String::new());

struct Writer<'a>(&'a mut String);
impl Visit for Writer<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={}", field.name(), value);
    }
}

#[derive(Default)]
struct Capture {
    next: AtomicU64,
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut log = LOG.lock().unwrap();
        let _ = write!(
            log,
            "\nspan {} {}:",
            span.metadata().target(),
            span.metadata().name()
        );
        span.record(&mut Writer(&mut log));
        Id::from_u64(self.next.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut log = LOG.lock().unwrap();
        log.push_str("\nrecord:");
        values.record(&mut Writer(&mut log));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut log = LOG.lock().unwrap();
        let _ = write!(
            log,
            "\nevent {} {}:",
            event.metadata().level(),
            event.metadata().target()
        );
        event.record(&mut Writer(&mut log));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

struct LogCapture;
impl log::Log for LogCapture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let mut log = LOG.lock().unwrap();
        let _ = write!(
            log,
            "\nlog {} {}: {}",
            record.level(),
            record.target(),
            record.args()
        );
    }
    fn flush(&self) {}
}

pub fn install_capture() {
    tracing::subscriber::set_global_default(Capture::default()).expect("the only subscriber");
    log::set_boxed_logger(Box::new(LogCapture)).expect("the only logger");
    log::set_max_level(log::LevelFilter::Trace);
}

/// `secret` must not appear in `log`, whole or (for long ones) as any 12-character piece: a
/// hex dump splits the bytes it shows into rows of 16.
pub fn assert_absent(log: &str, what: &str, secret: &str) {
    assert!(!secret.is_empty(), "{what} is empty");
    assert!(
        !log.contains(secret),
        "{what} `{secret}` leaked into:\n{log}"
    );
    if secret.len() >= 24 {
        for piece in secret.as_bytes().windows(12) {
            // Form encoding changes these, so a piece with one cannot be found as it is.
            if piece.iter().any(|b| matches!(b, b'+' | b'/' | b'=')) {
                continue;
            }
            let piece = std::str::from_utf8(piece).unwrap();
            assert!(
                !log.contains(piece),
                "a piece `{piece}` of {what} leaked into:\n{log}"
            );
        }
    }
}

/// The secrets of one signed EPoint payment request: its `data` and `signature`.
pub fn epoint_data_and_signature(request: &azpay_core::HttpRequest) -> (String, String) {
    let form: Vec<(String, String)> = form_urlencoded::parse(request.body())
        .into_owned()
        .collect();
    let get = |k: &str| {
        form.iter()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {k} in the EPoint form"))
    };
    (get("data"), get("signature"))
}
