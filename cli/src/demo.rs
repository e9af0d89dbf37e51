//! `azpay demo`: with no configuration, starts the sandbox in-process on free ports and walks
//! each gateway through create → pay on the hosted page (real HTTP, as a browser would) →
//! verify what comes back to the shop → status → refund, printing every step in plain words.
//!
//! The shop is a tiny HTTP listener on 127.0.0.1 inside this process: it receives EPoint's
//! signed callback, the browser's return from Kapital's page and the form TWEC's page posts.
//! Every gateway call goes through the library operations and the blocking transport (TWEC's
//! with the sandbox's throwaway client certificate and CA).
//!
//! When any gateway credential is configured (`EPOINT_PRIVATE_KEY`, `KAPITAL_PASSWORD`,
//! `TWEC_MERCHANT_ID`, ...) the demo refuses to run (exit 2) so that it can never touch real
//! money; `--live` does not change that: a live demo against real gateways is not supported.

use crate::common::outln;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use azpay_core::http;
use azpay_core::{
    epoint, execute, kapital, twec, Amount, ClientIdentity, Currency, Error, HttpRequest,
    HttpResponse, SyncTransport,
};
use azpay_sandbox::serve::ServerHandle;
use azpay_sandbox::{cards, SandboxConfig};
use azpay_transport_blocking::BlockingTransport;
use clap::Args;

use crate::common::{env_opt, CliError, Ctx};
use crate::sandbox;

/// The flags of `azpay demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Run against the configured real gateways (not supported: refused with exit 2).
    #[arg(long)]
    pub live: bool,
}

/// Variables that mean a real gateway is configured.
const CREDENTIAL_VARS: &[&str] = &[
    "EPOINT_PUBLIC_KEY",
    "EPOINT_PRIVATE_KEY",
    "KAPITAL_USERNAME",
    "KAPITAL_PASSWORD",
    "TWEC_MERCHANT_ID",
    "TWEC_CLIENT_CERT",
    "TWEC_CLIENT_KEY",
];

/// Runs `azpay demo`.
pub fn run(ctx: &Ctx, args: DemoArgs) -> Result<(), CliError> {
    if ctx.dry_run {
        return Err(CliError::usage(
            "--dry-run does not apply to `azpay demo` (it only talks to its own local sandbox)",
        ));
    }
    let configured: Vec<&str> = CREDENTIAL_VARS
        .iter()
        .copied()
        .filter(|v| env_opt(v).is_some())
        .collect();
    if args.live {
        return Err(CliError::usage(
            "a live demo against real gateways is not supported: it would create and refund \
             real payments; run `azpay demo` without --live and without gateway variables to \
             use the built-in sandbox",
        ));
    }
    if !configured.is_empty() {
        return Err(CliError::usage(format!(
            "{} set: the demo will not touch real money; unset the gateway variables to run \
             it against the built-in sandbox",
            configured.join(", ") + if configured.len() == 1 { " is" } else { " are" }
        )));
    }
    Demo::start()?.run_all()
}

fn fail(step: &str, e: impl std::fmt::Display) -> CliError {
    CliError::failed(format!("demo failed at {step}: {e}"))
}

fn lib<T, A: std::fmt::Display>(step: &str, r: Result<T, Error<A>>) -> Result<T, CliError> {
    r.map_err(|e| fail(step, e))
}

/// The sandbox, the shop listener and the transports.
struct Demo {
    server: ServerHandle,
    cert_dir: std::path::PathBuf,
    shop: Shop,
    http: BlockingTransport,
    tls: BlockingTransport,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.cert_dir);
    }
}

impl Demo {
    fn start() -> Result<Demo, CliError> {
        let shop = Shop::start().map_err(|e| fail("starting the shop listener", e))?;
        let cert_dir = sandbox::cert_dir("demo");
        let config = SandboxConfig::default().with_epoint_result_url(shop.url("/epoint/result"));
        let server = sandbox::start(0, &cert_dir, config, &[]).inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&cert_dir);
        })?;
        let paths = server
            .tls_paths()
            .cloned()
            .ok_or_else(|| fail("starting the sandbox", "no TLS certificates"))?;
        let read = |p: &std::path::Path| {
            std::fs::read(p).map_err(|e| fail("reading the sandbox certificates", e))
        };
        let identity =
            ClientIdentity::from_pem(read(&paths.client_cert)?, read(&paths.client_key)?);
        let timeout = Duration::from_secs(20);
        let http = BlockingTransport::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| fail("setting up HTTP", e))?;
        let tls = BlockingTransport::builder()
            .timeout(timeout)
            .client_identity(identity)
            .root_ca_pem(read(&paths.ca_cert)?)
            .build()
            .map_err(|e| fail("setting up mutual TLS", e))?;
        outln!(
            "azpay demo: a local sandbox of EPoint, Kapital Bank and TWEC runs at {} \
             (TWEC over mutual TLS at {}); no real money moves.",
            server.base_url(),
            server.twec_url()
        );
        outln!("The shop (this demo) listens at {}.", shop.base);
        Ok(Demo {
            server,
            cert_dir,
            shop,
            http,
            tls,
        })
    }

    fn run_all(&self) -> Result<(), CliError> {
        self.epoint()?;
        self.kapital()?;
        self.twec()?;
        outln!();
        outln!("All three gateways: paid, verified and refunded.");
        Ok(())
    }

    fn epoint(&self) -> Result<(), CliError> {
        outln!();
        outln!("== EPoint ==");
        let config = epoint::Config::new(
            azpay_sandbox::credentials::EPOINT_PUBLIC_KEY,
            azpay_sandbox::credentials::EPOINT_PRIVATE_KEY,
        )
        .base_url(self.server.base_url())
        .map_err(|e| CliError::failed(format!("the sandbox URL: {e}")))?
        .success_redirect_url(self.shop.url("/epoint/success"))
        .error_redirect_url(self.shop.url("/epoint/error"));
        let amount = azn("10.50")?;
        let order_id = format!("demo-{}", std::process::id());
        let pay = epoint::Pay::new(amount, &order_id).description("azpay demo order");
        let created = lib("EPoint pay", execute(&pay, &config, &self.http))?;
        outln!(
            "1. create: a payment of {} for order {order_id}: transaction {}, payment page {}",
            show(amount),
            created.transaction,
            created.redirect_url
        );
        let landed = self.cardholder_pays(&created.redirect_url, cards::KAPITAL_VISA)?;
        let callback = self.shop.wait_for("POST", "/epoint/result")?;
        outln!(
            "3. callback: EPoint posted a signed callback to the shop ({} bytes)",
            callback.body.len()
        );
        let verified = epoint::verify_callback(&config, &callback.body)
            .map_err(|e| fail("verifying the EPoint callback", e))?;
        let status = verified.status.as_ref().map(|s| s.as_str()).unwrap_or("?");
        outln!(
            "   signature verified with the private key: status {status}, order {}, amount {}",
            verified.order_id.as_deref().unwrap_or("?"),
            verified.amount.map(show).unwrap_or_else(|| "?".into())
        );
        if !verified.is_success() || verified.transaction.as_deref() != Some(&created.transaction) {
            return Err(fail(
                "EPoint callback",
                "the callback does not report this payment paid",
            ));
        }
        if !landed.contains("/epoint/success") {
            return Err(fail("EPoint page", format!("returned to {landed}")));
        }
        let status = lib(
            "EPoint get-status",
            execute(
                &epoint::GetStatus::by_transaction(&created.transaction),
                &config,
                &self.http,
            ),
        )?;
        outln!(
            "4. status: get-status says {} ({}), amount {}",
            status.status.as_str(),
            status.status.description().unwrap_or(""),
            status.amount.map(show).unwrap_or_else(|| "?".into())
        );
        if !status.is_paid() {
            return Err(fail("EPoint get-status", "not paid"));
        }
        let refund = lib(
            "EPoint refund",
            execute(
                &epoint::Refund::new(&created.transaction, Currency::AZN),
                &config,
                &self.http,
            ),
        )?;
        outln!(
            "5. refund: full refund of {} requested: {}",
            show(amount),
            refund.status.as_str()
        );
        let after = lib(
            "EPoint get-status",
            execute(
                &epoint::GetStatus::by_transaction(&created.transaction),
                &config,
                &self.http,
            ),
        )?;
        outln!(
            "6. status after the refund: {} ({})",
            after.status.as_str(),
            after.status.description().unwrap_or("")
        );
        if after.status != epoint::Status::Returned {
            return Err(fail("EPoint refund", "the payment is not marked returned"));
        }
        outln!("EPoint: paid (verified status success) and refunded.");
        Ok(())
    }

    fn kapital(&self) -> Result<(), CliError> {
        outln!();
        outln!("== Kapital Bank ==");
        let config = kapital::Config::new(
            azpay_sandbox::credentials::KAPITAL_USERNAME,
            azpay_sandbox::credentials::KAPITAL_PASSWORD,
        )
        .base_url(self.server.base_url())
        .map_err(|e| CliError::failed(format!("the sandbox URL: {e}")))?
        .language(azpay_core::Language::En);
        let amount = azn("25")?;
        let create = kapital::CreateOrder::purchase(amount)
            .description("azpay demo order")
            .hpp_redirect_url(self.shop.url("/kapital/return"));
        let created = lib(
            "Kapital create-order",
            execute(&create, &config, &self.http),
        )?;
        let page = created.payment_url();
        outln!(
            "1. create: a purchase order of {}: order {}, payment page {page}",
            show(amount),
            created.id
        );
        let landed = self.cardholder_pays(&page, cards::KAPITAL_VISA)?;
        let arrived = self.shop.wait_for("GET", "/kapital/return")?;
        outln!(
            "3. redirect: the shop received the browser's return, GET {}",
            arrived.target
        );
        if !landed.ends_with(&arrived.target) {
            return Err(fail("Kapital page", format!("returned to {landed}")));
        }
        let redirect = kapital::parse_redirect(&arrived.target)
            .map_err(|e| fail("reading the Kapital redirect", e))?;
        outln!(
            "   the redirect claims order {} is {:?}; azpay does not trust it and asks the bank",
            redirect.order_id(),
            redirect.claimed_status()
        );
        let order = lib(
            "Kapital get order",
            execute(&redirect.verify(), &config, &self.http),
        )?;
        outln!(
            "4. status: the bank says order {} is {} (the claim {})",
            order.id,
            order.status,
            if redirect.claim_matches(&order) {
                "matches"
            } else {
                "does not match"
            }
        );
        if order.id != created.id || order.status != kapital::OrderStatus::FullyPaid {
            return Err(fail("Kapital status", "the order is not FullyPaid"));
        }
        let refund = lib(
            "Kapital refund",
            execute(
                &kapital::ExecTran::refund(created.id, amount),
                &config,
                &self.http,
            ),
        )?;
        outln!(
            "5. refund: {} refunded: {} (approval code {})",
            show(amount),
            if refund.is_approved() {
                "approved"
            } else {
                "not approved"
            },
            refund.approval_code.as_deref().unwrap_or("-")
        );
        if !refund.is_approved() {
            return Err(fail("Kapital refund", "not approved"));
        }
        let after = lib(
            "Kapital get order",
            execute(&kapital::GetOrder::new(created.id), &config, &self.http),
        )?;
        outln!("6. status after the refund: {}", after.status);
        outln!("Kapital Bank: paid (verified status FullyPaid) and refunded.");
        Ok(())
    }

    fn twec(&self) -> Result<(), CliError> {
        outln!();
        outln!("== TWEC (mutual TLS) ==");
        let config = twec::Config::kapital_test(azpay_sandbox::credentials::TWEC_MERCHANT_ID)
            .base_url(self.server.twec_url())
            .map_err(|e| CliError::failed(format!("the sandbox URL: {e}")))?
            .approve_url(self.shop.url("/twec/approve"))
            .cancel_url(self.shop.url("/twec/cancel"))
            .decline_url(self.shop.url("/twec/decline"));
        let amount = azn("30.75")?;
        let create = twec::CreateOrder::purchase(amount, "azpay demo order");
        let created = lib("TWEC CreateOrder", execute(&create, &config, &self.tls))?;
        let page = created.payment_url();
        outln!(
            "1. create: CreateOrder of {} over mutual TLS: order {}, session {}, payment page {page}",
            show(amount),
            created.order_id,
            created.session_id
        );
        self.cardholder_pays(&page, cards::TWEC)?;
        let posted = self.shop.wait_for("POST", "/twec/approve")?;
        let xmlmsg = form_field(&posted.body, "xmlmsg")
            .ok_or_else(|| fail("TWEC return", "the shop received no xmlmsg"))?;
        let message = twec::parse_xmlout(xmlmsg.as_bytes())
            .map_err(|e| fail("reading the TWEC xmlmsg", e))?;
        outln!(
            "3. return: the page posted xmlmsg to the shop's approve URL; it claims order {} is {}",
            message.order_id().unwrap_or("?"),
            message
                .unverified_order_status()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_else(|| "?".into())
        );
        outln!("   azpay does not trust it (the message is not signed) and asks the gateway");
        let check = message.verify().map_err(|e| fail("TWEC xmlmsg", e))?;
        let status = lib("TWEC GetOrderStatus", execute(&check, &config, &self.tls))?;
        outln!(
            "4. status: GetOrderStatus says order {} is {}",
            status.order_id,
            status.order_status
        );
        if status.order_id != created.order_id || status.order_status != twec::OrderStatus::Approved
        {
            return Err(fail("TWEC status", "the order is not APPROVED"));
        }
        let refund = lib(
            "TWEC Refund",
            execute(
                &twec::Refund::new(&created.order_id, &created.session_id, amount),
                &config,
                &self.tls,
            ),
        )?;
        outln!(
            "5. refund: Refund of {}: order status {}, response code {}",
            show(amount),
            refund
                .order_status
                .as_ref()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_else(|| "-".into()),
            refund
                .response_code
                .as_ref()
                .map(|c| c.as_str().to_owned())
                .unwrap_or_else(|| "-".into())
        );
        let after = lib(
            "TWEC GetOrderStatus",
            execute(
                &twec::GetOrderStatus::new(&created.order_id, &created.session_id),
                &config,
                &self.tls,
            ),
        )?;
        outln!("6. status after the refund: {}", after.order_status);
        if after.order_status != twec::OrderStatus::Refunded {
            return Err(fail("TWEC refund", "the order is not REFUNDED"));
        }
        outln!("TWEC: paid (verified status APPROVED) and refunded.");
        Ok(())
    }

    /// Acts as the cardholder's browser: opens the payment page, fills in `pan`, presses Pay,
    /// and follows what the page does (a redirect, or an auto-posted form). Returns the URL the
    /// browser ends on.
    fn cardholder_pays(&self, page_url: &str, pan: &str) -> Result<String, CliError> {
        let page = self.browse(http::Method::GET, page_url, None)?;
        if page.status() != 200 {
            return Err(fail("the payment page", format!("HTTP {}", page.status())));
        }
        let html = String::from_utf8_lossy(page.body()).into_owned();
        let form = Form::first(&html).ok_or_else(|| fail("the payment page", "no form"))?;
        let mut fields = form.fields.clone();
        set_field(&mut fields, "pan", pan);
        fields.push(("action".into(), "pay".into()));
        let action = resolve(page_url, &form.action);
        outln!(
            "2. cardholder: opened the payment page, typed test card {} and pressed Pay",
            spaced(pan)
        );
        let mut response = self.browse(http::Method::POST, &action, Some(&fields))?;
        let mut url = action;
        for _ in 0..5 {
            if response.status().is_redirection() {
                let location = response
                    .headers()
                    .get(http::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .ok_or_else(|| fail("the payment page", "a redirect without Location"))?;
                url = resolve(&url, location);
                outln!("   the page sent the browser back to the shop: GET {url}");
                response = self.browse(http::Method::GET, &url, None)?;
                continue;
            }
            let html = String::from_utf8_lossy(response.body()).into_owned();
            if let Some(form) = Form::first(&html).filter(|_| html.contains(".submit()")) {
                url = resolve(&url, &form.action);
                let names: Vec<&str> = form.fields.iter().map(|(k, _)| k.as_str()).collect();
                outln!(
                    "   the page auto-submitted a form to the shop: POST {url} ({})",
                    names.join(", ")
                );
                response = self.browse(http::Method::POST, &url, Some(&form.fields))?;
                continue;
            }
            if !response.status().is_success() {
                let text = String::from_utf8_lossy(response.body()).into_owned();
                return Err(fail(
                    "the payment page",
                    format!("HTTP {}: {}", response.status(), first_line(&text)),
                ));
            }
            return Ok(url);
        }
        Err(fail("the payment page", "too many redirects"))
    }

    fn browse(
        &self,
        method: http::Method,
        url: &str,
        form: Option<&[(String, String)]>,
    ) -> Result<HttpResponse, CliError> {
        let mut builder = http::Request::builder()
            .method(method)
            .uri(url)
            .header(http::header::ACCEPT, "text/html");
        let body = match form {
            Some(fields) => {
                builder = builder.header(
                    http::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                );
                let mut s = form_urlencoded::Serializer::new(String::new());
                for (k, v) in fields {
                    s.append_pair(k, v);
                }
                s.finish().into_bytes()
            }
            None => Vec::new(),
        };
        let request: HttpRequest = builder.body(body).map_err(|e| fail("the browser", e))?;
        self.http
            .send(request)
            .map_err(|e| fail(&format!("the browser ({url})"), e))
    }
}

fn azn(text: &str) -> Result<Amount, CliError> {
    Amount::parse_major(text, Currency::AZN).map_err(|e| fail("amount", e))
}

fn show(amount: Amount) -> String {
    format!("{} {}", amount.to_major_string(), amount.currency())
}

fn spaced(pan: &str) -> String {
    pan.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

fn set_field(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    match fields.iter_mut().find(|(k, _)| k == name) {
        Some(f) => f.1 = value.to_owned(),
        None => fields.push((name.to_owned(), value.to_owned())),
    }
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// `reference` resolved against `base` (absolute URLs and absolute paths only: what the
/// sandbox's pages use).
fn resolve(base: &str, reference: &str) -> String {
    if reference.starts_with("http://") || reference.starts_with("https://") {
        return reference.to_owned();
    }
    let origin_end = base
        .find("://")
        .and_then(|i| base[i + 3..].find('/').map(|j| i + 3 + j))
        .unwrap_or(base.len());
    if reference.starts_with('/') {
        format!("{}{reference}", &base[..origin_end])
    } else if reference.is_empty() {
        base.to_owned()
    } else {
        let dir_end = base
            .rfind('/')
            .filter(|&i| i >= origin_end)
            .unwrap_or(origin_end);
        format!("{}/{reference}", &base[..dir_end])
    }
}

/// The first `<form>` of a page: its action and the fields a browser would submit (hidden and
/// text inputs, ticked checkboxes; not the buttons).
#[derive(Debug, Clone)]
struct Form {
    action: String,
    fields: Vec<(String, String)>,
}

impl Form {
    fn first(html: &str) -> Option<Form> {
        let start = html.find("<form")?;
        let rest = &html[start..];
        let end = rest.find("</form>").unwrap_or(rest.len());
        let inner = &rest[..end];
        let mut tags = Tags(inner);
        let form_tag = tags.next()?;
        let action = attr(form_tag, "action").unwrap_or_default();
        let mut fields = Vec::new();
        for tag in tags {
            if !tag.starts_with("input") {
                continue;
            }
            let Some(name) = attr(tag, "name") else {
                continue;
            };
            let kind = attr(tag, "type").unwrap_or_else(|| "text".into());
            let value = attr(tag, "value").unwrap_or_default();
            match kind.as_str() {
                "checkbox" | "radio" => {
                    if has_word(tag, "checked") {
                        fields.push((name, value));
                    }
                }
                "submit" | "button" | "image" | "reset" => {}
                _ => fields.push((name, value)),
            }
        }
        Some(Form { action, fields })
    }
}

/// The insides of `<...>` tags, in order.
struct Tags<'a>(&'a str);

impl<'a> Iterator for Tags<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let start = self.0.find('<')?;
        let rest = &self.0[start + 1..];
        let end = rest.find('>')?;
        self.0 = &rest[end + 1..];
        Some(&rest[..end])
    }
}

fn has_word(tag: &str, word: &str) -> bool {
    tag.split(|c: char| c.is_whitespace() || c == '/')
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// The value of attribute `name="…"` in a tag, HTML entities decoded.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let before_ok = rest[..i].chars().last().is_some_and(|c| c.is_whitespace());
        let after = &rest[i + name.len()..];
        if before_ok {
            if let Some(value) = after.strip_prefix("=\"") {
                let end = value.find('"')?;
                return Some(unescape(&value[..end]));
            }
        }
        rest = after;
    }
    None
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// One request the shop received.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    /// The request target (path and query).
    target: String,
    body: Vec<u8>,
}

/// A tiny HTTP/1.1 listener on 127.0.0.1 playing the shop: it records every request and
/// answers `200 OK`.
struct Shop {
    base: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Shop {
    fn start() -> std::io::Result<Shop> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let base = format!("http://{}", listener.local_addr()?);
        let received = Arc::new(Mutex::new(Vec::new()));
        let sink = received.clone();
        std::thread::Builder::new()
            .name("azpay-demo-shop".into())
            .spawn(move || {
                for stream in listener.incoming().flatten() {
                    if let Some(r) = read_request(stream) {
                        sink.lock().unwrap_or_else(|p| p.into_inner()).push(r);
                    }
                }
            })?;
        Ok(Shop { base, received })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Waits (up to 15 s) for a request with this method whose path is `path`, and takes it.
    fn wait_for(&self, method: &str, path: &str) -> Result<Received, CliError> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            {
                let mut all = self.received.lock().unwrap_or_else(|p| p.into_inner());
                let hit = all
                    .iter()
                    .position(|r| r.method == method && r.target.split('?').next() == Some(path));
                if let Some(i) = hit {
                    return Ok(all.remove(i));
                }
            }
            if Instant::now() > deadline {
                return Err(fail(
                    "waiting for the shop",
                    format!("no {method} {path} arrived within 15 s"),
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Reads one request (headers, then a Content-Length body of at most 1 MiB), answers 200.
fn read_request(mut stream: TcpStream) -> Option<Received> {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let length = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(1 << 20);
    let mut body = buf[header_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    let reply = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 25\r\nConnection: close\r\n\r\nthank you, from the shop\n";
    let _ = stream.write_all(reply.as_bytes());
    Some(Received {
        method,
        target,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_first_form() {
        let html = r#"<p>x</p><form method="post" action="/flex?id=1&amp;password=a"><input type="hidden" name="ORDERID" value="7"><input type="text" name="pan" id="pan" value=""><input type="checkbox" name="save" value="1"><input type="checkbox" name="keep" value="1" checked><button type="submit" name="action" value="pay">Pay</button></form><form action="/other"></form>"#;
        let form = Form::first(html).unwrap();
        assert_eq!(form.action, "/flex?id=1&password=a");
        assert_eq!(
            form.fields,
            vec![
                ("ORDERID".to_string(), "7".to_string()),
                ("pan".to_string(), String::new()),
                ("keep".to_string(), "1".to_string()),
            ]
        );
    }

    #[test]
    fn resolves_urls() {
        assert_eq!(resolve("http://a:1/x/y?z", "/p?q"), "http://a:1/p?q");
        assert_eq!(resolve("http://a:1/x/y", "https://b/c"), "https://b/c");
        assert_eq!(resolve("http://a:1/x/y", "z"), "http://a:1/x/z");
        assert_eq!(resolve("http://a:1", "/p"), "http://a:1/p");
    }
}
