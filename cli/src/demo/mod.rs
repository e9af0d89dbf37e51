//! `azpay demo`: with no configuration, starts the sandbox in-process on free ports and walks
//! each gateway through create → pay on the hosted page (real HTTP, as a browser would) →
//! verify what comes back to the shop → status → refund, printing every step in plain words.
//!
//! The shop is a tiny HTTP listener on 127.0.0.1 inside this process: it receives EPoint's
//! signed callback, the browser's return from Kapital's page, the form TWEC's page posts and
//! Payriff's (unsigned) JSON callback.
//! Every gateway call goes through the library operations and the blocking transport (TWEC's
//! with the sandbox's throwaway client certificate and CA).
//!
//! When any gateway credential is configured (`EPOINT_PRIVATE_KEY`, `KAPITAL_PASSWORD`,
//! `TWEC_MERCHANT_ID`, ...) the demo refuses to run (exit 2) so that it can never touch real
//! money; `--live` does not change that: a live demo against real gateways is not supported.

//!
//! | file | what |
//! |---|---|
//! | `epoint.rs`, `kapital.rs`, `twec.rs`, `payriff.rs`, `azericard.rs` | one gateway's walk each |
//! | `shop.rs` | the shop's listener |
//! | `page.rs` | reading the hosted page's form, as a browser would |
//!
//! This file sets the demo up and holds the walk they share (the cardholder's browser).

mod azericard;
mod epoint;
mod kapital;
mod page;
mod payriff;
mod shop;
mod twec;

use crate::common::outln;
use std::time::Duration;

use azpay_core::http;
use azpay_core::{
    Amount, ClientIdentity, Currency, Error, HttpRequest, HttpResponse, SyncTransport,
};
use azpay_sandbox::serve::ServerHandle;
use azpay_sandbox::SandboxConfig;
use azpay_transport_blocking::BlockingTransport;
use clap::Args;

use crate::common::{env_opt, CliError, Ctx};
use crate::sandbox;
use page::{resolve, Form};
use shop::Shop;

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
    "PAYRIFF_SECRET_KEY",
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
            "azpay demo: a local sandbox of EPoint, Kapital Bank, TWEC and Payriff runs at {} \
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
        self.payriff()?;
        self.azericard()?;
        outln!();
        outln!("All gateways: paid, verified and refunded.");
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
