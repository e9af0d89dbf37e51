//! `azpay sandbox`: runs the local simulator of the three gateways and prints the environment
//! settings that point every azpay command at it.
//!
//! Standard output carries only `KEY=VALUE` lines (so `azpay sandbox > sandbox.env` or
//! `eval "$(…)"`-style tooling can read them); the human-readable notes go to standard error.
//! The server runs until Ctrl-C (SIGINT) or SIGTERM, then stops and removes its throwaway
//! certificates.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use azpay_sandbox::fault::{Fault, FaultKind};
use azpay_sandbox::serve::{serve, ServeOptions, ServerHandle};
use azpay_sandbox::SandboxConfig;
use clap::Args;

use crate::common::{CliError, Ctx};

/// The flags of `azpay sandbox`.
#[derive(Debug, Args)]
#[command(
    after_help = "Connections: at most 256 are served at once (HTTP and HTTPS together). \
More are not refused: they wait in the listen queue and are served as soon as one ends \
(an idle connection ends 30 seconds after its last request)."
)]
pub struct SandboxArgs {
    /// The HTTP port on 127.0.0.1 (0 picks a free port). TWEC's HTTPS port is picked freely.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Inject faults into the gateways' API answers: `KIND[:RATE]`, with KIND one of `delay`,
    /// `delay=MILLIS`, `reset`, `oversize`, `garbage`, `status:CODE`, `drop-before-processing`,
    /// and RATE the share of requests struck (0 to 1, default 1). Repeat for several.
    #[arg(long, value_name = "KIND[:RATE]", value_parser = parse_fault)]
    pub fault: Vec<Fault>,
    /// The EPoint merchant's result URL (an `http://` URL): after each payment on the hosted
    /// page the sandbox POSTs the signed callback (`data=…&signature=…`) there, as EPoint
    /// does, retrying a few times. Without it, callbacks are not delivered. (Kapital and
    /// TWEC send the cardholder's browser back instead; they call no server.)
    #[arg(long, value_name = "URL", value_parser = parse_result_url)]
    pub epoint_result_url: Option<String>,
}

/// Checks an `--epoint-result-url`: the sandbox delivers callbacks over plain HTTP only.
pub fn parse_result_url(text: &str) -> Result<String, String> {
    let uri: http::Uri = text.parse().map_err(|_| format!("`{text}` is not a URL"))?;
    if uri.scheme_str() != Some("http") || uri.host().is_none_or(str::is_empty) {
        return Err(format!(
            "`{text}`: the sandbox delivers callbacks to http:// URLs only (e.g. \
             http://127.0.0.1:3000/epoint/result)"
        ));
    }
    // `Uri::port` is `None` for a port that does not parse: read the authority itself.
    let authority = uri.authority().map_or("", |a| a.as_str());
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let after_host = host_port
        .rfind(']')
        .map_or(host_port, |end| &host_port[end..]);
    let port = after_host.split_once(':').map(|(_, p)| p);
    if port.is_some_and(|p| p.parse::<u16>().map_or(true, |n| n == 0)) {
        return Err(format!(
            "`{text}`: the port is not a number from 1 to 65535"
        ));
    }
    Ok(text.to_owned())
}

/// Parses a `--fault` flag with the sandbox's own parser.
pub fn parse_fault(text: &str) -> Result<Fault, String> {
    FaultKind::parse(text).map_err(|e| e.to_string())
}

/// Where the throwaway certificates go: a fresh directory under the system temp dir.
pub fn cert_dir(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!("azpay-{tag}-{}", std::process::id()))
}

/// Starts the sandbox on 127.0.0.1:`port` with TWEC over mutual TLS, certificates in `dir`.
pub fn start(
    port: u16,
    dir: &Path,
    config: SandboxConfig,
    faults: &[Fault],
) -> Result<ServerHandle, CliError> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let options = faults
        .iter()
        .fold(ServeOptions::new(addr).tls_dir(dir), |o, f| o.fault(*f));
    serve(config, options).map_err(|e| {
        CliError::failed(format!(
            "cannot start the sandbox on 127.0.0.1:{port}: {e} (try another --port, or --port 0)"
        ))
    })
}

/// The `KEY=VALUE` lines for `server`: its own, plus the merchant return URLs the commands
/// need (pointing at the sandbox's index page, which only shows where things are).
pub fn env_lines(server: &ServerHandle) -> Vec<String> {
    let mut lines = server.env_lines();
    let base = server.base_url();
    for (key, path) in [
        ("EPOINT_SUCCESS_REDIRECT_URL", "/?result=success"),
        ("EPOINT_FAILED_REDIRECT_URL", "/?result=failed"),
        ("KAPITAL_REDIRECT_URL", "/?result=kapital"),
        ("TWEC_APPROVE_URL", "/?result=approve"),
        ("TWEC_CANCEL_URL", "/?result=cancel"),
        ("TWEC_DECLINE_URL", "/?result=decline"),
        ("PAYRIFF_REDIRECT_URL", "/?result=payriff"),
        ("AZERICARD_MERCHANT_URL", "/"),
        ("AZERICARD_CALLBACK_URL", "/?result=azericard"),
    ] {
        if !lines.iter().any(|l| l.starts_with(&format!("{key}="))) {
            lines.push(format!("{key}={base}{path}"));
        }
    }
    if !lines
        .iter()
        .any(|l| l.starts_with("AZERICARD_MERCHANT_NAME="))
    {
        lines.push(String::from("AZERICARD_MERCHANT_NAME=azpay-sandbox-shop"));
    }
    lines
}

/// Runs `azpay sandbox`.
pub fn run(ctx: &Ctx, args: SandboxArgs) -> Result<(), CliError> {
    if ctx.dry_run {
        return Err(CliError::usage(
            "--dry-run does not apply to `azpay sandbox` (it runs a local simulator)",
        ));
    }
    // Listen for the stop signals before printing anything, so that a caller that reads the
    // settings and then sends SIGTERM always gets a clean stop.
    let stop = StopSignal::install()
        .map_err(|e| CliError::failed(format!("cannot listen for Ctrl-C: {e}")))?;
    let dir = cert_dir("sandbox");
    let mut config = SandboxConfig::default();
    if let Some(url) = &args.epoint_result_url {
        config = config.with_epoint_result_url(url.clone());
    }
    let server = start(args.port, &dir, config, &args.fault).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&dir);
    })?;
    print_settings(&env_lines(&server));
    note(&format!(
        "EPoint, Kapital and the payment pages at {}; TWEC over mutual TLS at {}",
        server.base_url(),
        server.twec_url()
    ));
    match &args.epoint_result_url {
        Some(url) => note(&format!("EPoint callbacks are POSTed to {url}")),
        None => note("EPoint callbacks are not delivered (give --epoint-result-url URL)"),
    }
    for fault in &args.fault {
        note(&format!("injecting {fault:?}"));
    }
    note(&format!(
        "throwaway certificates in {}; press Ctrl-C to stop",
        dir.display()
    ));
    let waited = stop.wait();
    server.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
    waited.map_err(|e| CliError::failed(format!("cannot wait for Ctrl-C: {e}")))?;
    note("stopped");
    Ok(())
}

/// Writes the `KEY=VALUE` settings to standard output. A reader that stops reading early
/// (a script that took the lines it needed and closed the pipe) must not stop the simulator:
/// the first failed write ends the printing, and the sandbox keeps serving.
fn print_settings(lines: &[String]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for line in lines {
        if writeln!(out, "{line}").is_err() {
            return;
        }
    }
    let _ = out.flush();
}

/// One `azpay sandbox: …` line on standard error; a closed standard error is ignored.
fn note(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "azpay sandbox: {text}");
}

/// SIGINT (Ctrl-C) and, on Unix, SIGTERM, registered up front.
struct StopSignal {
    runtime: tokio::runtime::Runtime,
    #[cfg(unix)]
    signals: (tokio::signal::unix::Signal, tokio::signal::unix::Signal),
}

impl StopSignal {
    fn install() -> std::io::Result<StopSignal> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        #[cfg(unix)]
        let signals = {
            use tokio::signal::unix::{signal, SignalKind};
            let _guard = runtime.enter();
            (
                signal(SignalKind::interrupt())?,
                signal(SignalKind::terminate())?,
            )
        };
        Ok(StopSignal {
            runtime,
            #[cfg(unix)]
            signals,
        })
    }

    /// Blocks until one of the signals arrives.
    fn wait(self) -> std::io::Result<()> {
        #[cfg(unix)]
        {
            let (mut int, mut term) = self.signals;
            self.runtime.block_on(async {
                tokio::select! {
                    _ = int.recv() => {},
                    _ = term.recv() => {},
                }
            });
            Ok(())
        }
        #[cfg(not(unix))]
        {
            self.runtime.block_on(tokio::signal::ctrl_c())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_urls_must_be_plain_http() {
        assert_eq!(
            parse_result_url("http://127.0.0.1:3000/epoint/result").unwrap(),
            "http://127.0.0.1:3000/epoint/result"
        );
        assert!(parse_result_url("https://shop.example/result")
            .unwrap_err()
            .contains("http:// URLs only"));
        assert!(parse_result_url("not a url").is_err());
        assert!(parse_result_url("http://127.0.0.1:99999/r")
            .unwrap_err()
            .contains("port"));
    }

    #[test]
    fn help_states_the_connection_cap() {
        use clap::Args as _;
        let help = SandboxArgs::augment_args(clap::Command::new("sandbox"))
            .render_help()
            .to_string();
        let cap = azpay_sandbox::serve::MAX_CONNECTIONS;
        assert!(
            help.contains(&format!("at most {cap} are served at once")),
            "{help}"
        );
    }

    #[test]
    fn fault_flags_use_the_sandbox_parser() {
        let f = parse_fault("status:503:0.25").unwrap();
        assert_eq!(f.kind, FaultKind::Status(503));
        assert_eq!(f.rate, 0.25);
        assert_eq!(parse_fault("reset").unwrap().rate, 1.0);
        assert!(parse_fault("").is_err());
        assert!(parse_fault("reset:2").is_err());
        assert!(parse_fault("timeout:0.5")
            .unwrap_err()
            .contains("unknown fault"));
    }
}
