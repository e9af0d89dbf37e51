//! `azpay`: the merchant's terminal tool over the azpay library (reference: `docs/cli.md`).
//!
//! Exit codes (the same for every gateway, actions and queries alike): 0 done, 1 gateway
//! error or bad message, 2 bad input (nothing sent), 3 declined, 4 outcome unknown, 5 pending,
//! 6 money returned. A non-zero exit prints exactly one line on stderr. `RUST_LOG` (for example `RUST_LOG=azpay=debug`) logs to stderr.
//!
//! All output goes through the printer in `common`: control and bidi characters in anything
//! from outside are printed as visible escapes, and verdict lines come last.
#![forbid(unsafe_code)]

mod azericard;
mod common;
mod demo;
mod epoint;
mod kapital;
mod payriff;
mod sandbox;
mod twec;

use clap::{Parser, Subcommand};

/// Card payments through Azerbaijan's gateways: EPoint, Kapital Bank (JSON) and TWEC (XML).
#[derive(Debug, Parser)]
#[command(name = "azpay", version, about, propagate_version = true)]
struct Cli {
    /// Build the HTTP request and print it as one JSON object; send nothing.
    #[arg(long, global = true)]
    dry_run: bool,
    /// With --dry-run: print credentials too, exactly as they would be sent.
    #[arg(long, global = true)]
    show_secrets: bool,
    /// Print the outcome as one JSON object.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Top,
}

#[derive(Debug, Subcommand)]
enum Top {
    /// EPoint (epoint.az): configured by EPOINT_* variables.
    #[command(subcommand)]
    Epoint(epoint::Command),
    /// Kapital Bank JSON e-commerce API: configured by KAPITAL_* variables.
    #[command(subcommand)]
    Kapital(kapital::Command),
    /// TWEC / TranzWare XML gateway: configured by TWEC_* variables.
    #[command(subcommand)]
    Twec(twec::Command),
    /// Payriff JSON API (v3): configured by PAYRIFF_* variables.
    #[command(subcommand)]
    Payriff(payriff::Command),
    /// Run a local simulator of all three gateways and print the settings that point azpay at it.
    /// Azericard MPI (RSA-signed forms and callbacks).
    #[command(subcommand)]
    Azericard(azericard::Command),
    Sandbox(sandbox::SandboxArgs),
    /// Walk each gateway through pay, verify, status and refund against a built-in sandbox.
    Demo(demo::DemoArgs),
}

/// Logs to standard error as `RUST_LOG` asks (`RUST_LOG=azpay=debug`, `RUST_LOG=trace`...).
/// Unset or empty: nothing is built or installed (the one-shot commands stay small). The
/// transports' spans and events carry the gateway, operation, method, host, status and
/// timing, never a query, a header value or a body; records of the `log` crate (ureq's own,
/// which dump raw requests at trace level) are not forwarded at all: there is no `log` bridge.
fn init_logging() {
    let Some(filter) = std::env::var_os("RUST_LOG").filter(|v| !v.is_empty()) else {
        return;
    };
    let filter = match tracing_subscriber::EnvFilter::try_new(filter.to_string_lossy()) {
        Ok(f) => f,
        Err(e) => {
            common::print_error(&format!("ignoring RUST_LOG: {e}"));
            return;
        }
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Parses the command line. Help and version print as clap writes them; a usage error is
/// printed as one line (`azpay: …`), with every value it echoes [escaped](common::escape),
/// and exits 2.
fn parse_cli() -> Cli {
    use clap::error::{ContextValue, ErrorKind};
    let e = match Cli::try_parse() {
        Ok(cli) => return cli,
        Err(e) => e,
    };
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit();
    }
    // The values clap echoes (a bad value, an unknown argument) are escaped first, so that
    // their line breaks are told apart from clap's own.
    let mut text = e.render().to_string();
    for (_, value) in e.context() {
        let echoed: &[String] = match value {
            ContextValue::String(s) => std::slice::from_ref(s),
            ContextValue::Strings(v) => v,
            _ => &[],
        };
        for raw in echoed {
            if let std::borrow::Cow::Owned(shown) = common::escape(raw) {
                text = text.replace(raw.as_str(), &shown);
            }
        }
    }
    common::print_error(&one_line(&text));
    std::process::exit(common::EXIT_USAGE);
}

/// clap's multi-line usage error as one line: its message and tips, without the usage block
/// and the pointer to `--help` (which is put back short).
fn one_line(rendered: &str) -> String {
    let mut out = String::new();
    for line in rendered.lines() {
        let line = line.trim();
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str(if out.ends_with(':') { " " } else { "; " });
        }
        out.push_str(line.strip_prefix("error: ").unwrap_or(line));
    }
    out.push_str(" (see --help)");
    out
}

fn main() {
    let cli = parse_cli();
    init_logging();
    let ctx = common::Ctx {
        dry_run: cli.dry_run,
        show_secrets: cli.show_secrets,
        json: cli.json,
    };
    let result = match cli.command {
        Top::Epoint(c) => epoint::run(&ctx, c),
        Top::Kapital(c) => kapital::run(&ctx, c),
        Top::Twec(c) => twec::run(&ctx, c),
        Top::Payriff(c) => payriff::run(&ctx, c),
        Top::Azericard(c) => azericard::run(&ctx, c),
        Top::Sandbox(a) => sandbox::run(&ctx, a),
        Top::Demo(a) => demo::run(&ctx, a),
    };
    if let Err(e) = result {
        common::print_error(&e.message);
        std::process::exit(e.code);
    }
}
