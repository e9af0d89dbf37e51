//! `azpay azericard ...` (`docs/cli.md`): Azericard's MPI gateway, configured by
//! `AZERICARD_*` variables; RSA `P_SIGN` with the merchant key file, callbacks checked with
//! Azericard's public key.

use std::io::Read as _;

use azpay_core::azericard::{
    self, ActionReply, Complete, Config, GetStatus, Pay, Reverse, Stamp, TrType, TransactionStatus,
    UnverifiedCallback,
};
use azpay_core::{Amount, Language};
use serde::Serialize;

use crate::common::{
    check_env_text, env_opt, env_required, exit_for_state, invalid_env_build, parse_amount,
    parse_currency, print_json, print_line, print_outcome, print_verdict, run_operation, transport,
    CliError, Ctx,
};

/// The `azpay azericard` commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Build the signed payment form the customer's browser posts (TRTYPE 1; with --preauth a
    /// hold, TRTYPE 0). Prints the target URL and fields; --html prints an auto-submitting
    /// page. Nothing is sent; --dry-run prints the POST the browser would send.
    Pay {
        /// Amount in major units, at most two decimals: 10, 10.5, 10.50.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Currency (sent alphabetic, as the document's requests: AZN).
        #[arg(long, allow_hyphen_values = true, default_value = "AZN")]
        currency: String,
        /// ORDER: 6 to 32 digits, unique per terminal per day (its last 6 digits).
        #[arg(long, allow_hyphen_values = true)]
        order: String,
        /// DESC (1 to 50 characters).
        #[arg(long)]
        description: String,
        /// Pre-authorisation: hold the amount (TRTYPE 0); complete it with `complete`.
        #[arg(long)]
        preauth: bool,
        /// Print an HTML page whose form submits itself instead of the fields.
        #[arg(long)]
        html: bool,
        /// LANG of the page: az, en or ru (default AZERICARD_INTERFACE_LANG, else az).
        #[arg(long)]
        language: Option<String>,
        #[command(flatten)]
        stamp: StampArgs,
    },
    /// Complete (capture) a hold: TRTYPE 21.
    Complete {
        /// ORDER of the hold.
        #[arg(long, allow_hyphen_values = true)]
        order: String,
        /// Amount (the hold's).
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// RRN of the hold (12 digits, from its callback or status).
        #[arg(long, allow_hyphen_values = true)]
        rrn: String,
        /// INT_REF of the hold.
        #[arg(long, allow_hyphen_values = true)]
        int_ref: String,
        /// Currency.
        #[arg(long, allow_hyphen_values = true, default_value = "AZN")]
        currency: String,
        #[command(flatten)]
        stamp: StampArgs,
    },
    /// Reverse a payment or release a hold: TRTYPE 22 (24 with --offline).
    Reverse {
        /// ORDER of the payment.
        #[arg(long, allow_hyphen_values = true)]
        order: String,
        /// Amount (the payment's).
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// RRN of the payment.
        #[arg(long, allow_hyphen_values = true)]
        rrn: String,
        /// INT_REF of the payment.
        #[arg(long, allow_hyphen_values = true)]
        int_ref: String,
        /// Currency.
        #[arg(long, allow_hyphen_values = true, default_value = "AZN")]
        currency: String,
        /// Offline reversal (TRTYPE 24), e.g. for a payment older than a day.
        #[arg(long)]
        offline: bool,
        #[command(flatten)]
        stamp: StampArgs,
    },
    /// The status of a transaction: TRTYPE 90.
    Status {
        /// ORDER.
        #[arg(long, allow_hyphen_values = true)]
        order: String,
        /// Which transaction of the order: 0, 1, 21, 22 or 24.
        #[arg(long, allow_hyphen_values = true, default_value = "1")]
        tran_trtype: String,
        #[command(flatten)]
        stamp: StampArgs,
    },
    /// Check the form posted to BACKREF (read from stdin) with Azericard's public key, then
    /// confirm it with a status query. Nothing of a body that does not verify is printed.
    VerifyCallback {
        /// Stop after the signature: print the claimed ACTION/RC marked "signature valid,
        /// status unconfirmed" and exit 0.
        #[arg(long)]
        no_query: bool,
        #[command(flatten)]
        stamp: StampArgs,
    },
}

/// `--timestamp` and `--nonce`: the clock (UTC) and 8 random bytes unless given.
#[derive(Debug, clap::Args)]
pub struct StampArgs {
    /// TIMESTAMP, UTC YYYYMMDDHHMMSS (default: now).
    #[arg(long, allow_hyphen_values = true)]
    timestamp: Option<String>,
    /// NONCE, 16 to 64 hex characters (default: 8 random bytes).
    #[arg(long, allow_hyphen_values = true)]
    nonce: Option<String>,
}

impl StampArgs {
    fn stamp(&self) -> Result<Stamp, CliError> {
        let ts = self.timestamp.clone().unwrap_or_else(utc_now);
        let nonce = self.nonce.clone().unwrap_or_else(random_nonce);
        Stamp::new(ts, nonce).map_err(|e| match e.field() {
            Some(f) => CliError::usage(format!(
                "invalid --{f}: {}",
                e.to_string().split_once(": ").map_or("", |(_, r)| r)
            )),
            None => CliError::usage(e.to_string()),
        })
    }
}

/// Now, UTC, `YYYYMMDDHHMMSS`.
pub(crate) fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// 8 random bytes in hex: the OS's random source, else the standard library's randomly
/// keyed hasher over the time and a counter.
pub(crate) fn random_nonce() -> String {
    let mut bytes = [0u8; 8];
    let from_os = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_ok();
    if !from_os {
        use std::hash::BuildHasher;
        static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        bytes = std::collections::hash_map::RandomState::new()
            .hash_one((t, n))
            .to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const SANDBOX_HINT: &str = "set AZERICARD_MERCHANT_ID and AZERICARD_KEY_FILE_PATH, or run \
                            `azpay sandbox` for a local gateway";

/// The configuration from `AZERICARD_*` variables (the key files are read here).
fn config() -> Result<Config, CliError> {
    let with_hint = |mut e: CliError| {
        e.message = format!("{} ({SANDBOX_HINT})", e.message);
        e
    };
    let terminal = env_required("AZERICARD_MERCHANT_ID").map_err(with_hint)?;
    check_env_text("AZERICARD_MERCHANT_ID", &terminal)?;
    if env_opt("AZERICARD_LEGACY_MAC_KEY").is_none() {
        env_required("AZERICARD_KEY_FILE_PATH").map_err(with_hint)?;
    }
    for url in ["AZERICARD_MERCHANT_URL", "AZERICARD_CALLBACK_URL"] {
        if let Some(v) = env_opt(url) {
            crate::common::check_env_url(url, &v)?;
        }
    }
    Config::from_lookup(env_opt, |path| {
        std::fs::read(path).map_err(|e| e.to_string())
    })
    .map_err(|e| match e.field() {
        Some(var) if var.starts_with("AZERICARD_") => invalid_env_build(var, e),
        _ => CliError::usage(e.to_string()),
    })
}

fn money(amount: &str, currency: &str) -> Result<Amount, CliError> {
    let c = parse_currency("currency", currency)?;
    let a = parse_amount("amount", amount, c)?;
    if a.is_zero() {
        return Err(CliError::usage(
            "invalid --amount `0`: must be greater than zero",
        ));
    }
    Ok(a)
}

fn tran_trtype(text: &str) -> Result<TrType, CliError> {
    match text {
        "0" | "1" | "21" | "22" | "24" => Ok(TrType::parse(text)),
        _ => Err(CliError::usage(format!(
            "invalid --tran-trtype `{}`: expected 0, 1, 21, 22 or 24",
            crate::common::escape(text)
        ))),
    }
}

#[derive(Serialize)]
struct FormView<'a> {
    state: &'static str,
    action: &'a str,
    fields: serde_json::Map<String, serde_json::Value>,
}

fn finish_reply(ctx: &Ctx, reply: &ActionReply) -> Result<(), CliError> {
    print_outcome(ctx, reply);
    exit_for_state(reply.state, reply.code.as_str())
}

fn status_word(s: &TransactionStatus) -> String {
    format!(
        "ACTION {} RC {}",
        s.action,
        s.rc.as_ref().map_or("-", |r| r.as_str())
    )
}

fn finish_status(ctx: &Ctx, status: &TransactionStatus) -> Result<(), CliError> {
    print_outcome(ctx, status);
    exit_for_state(status.state, &status_word(status))
}

#[derive(Serialize)]
struct ClaimView<'a> {
    signature: &'static str,
    #[serde(flatten)]
    claim: &'a UnverifiedCallback,
}

#[derive(Serialize)]
struct ConfirmedView<'a> {
    state: azpay_core::State,
    claim: &'a UnverifiedCallback,
    status: &'a TransactionStatus,
    claim_matches: bool,
}

/// Runs one `azpay azericard` command.
pub fn run(ctx: &Ctx, command: Command) -> Result<(), CliError> {
    match command {
        Command::Pay {
            amount,
            currency,
            order,
            description,
            preauth,
            html,
            language,
            stamp,
        } => {
            let amount = money(&amount, &currency)?;
            let mut op = if preauth {
                Pay::preauth(amount, order, description)
            } else {
                Pay::purchase(amount, order, description)
            }
            .stamp(stamp.stamp()?);
            if let Some(l) = language {
                let l: Language = l
                    .parse()
                    .map_err(|e| CliError::usage(format!("invalid --language: {e}")))?;
                op = op.language(l);
            }
            let config = config()?;
            let form = op
                .form(&config)
                .map_err(|e| CliError::usage(e.to_string()))?;
            if ctx.dry_run {
                print_json(&crate::common::dry_run_json(&form.to_request(), true));
                return Ok(());
            }
            if html {
                for line in form.to_html().lines() {
                    print_line(line);
                }
                return Ok(());
            }
            let fields = form
                .fields()
                .iter()
                .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(v.as_str())))
                .collect();
            print_outcome(
                ctx,
                &FormView {
                    state: "done",
                    action: form.action(),
                    fields,
                },
            );
            Ok(())
        }
        Command::Complete {
            order,
            amount,
            rrn,
            int_ref,
            currency,
            stamp,
        } => {
            let op = Complete::new(order, money(&amount, &currency)?, rrn, int_ref)
                .stamp(stamp.stamp()?);
            let config = config()?;
            match run_operation(ctx, &op, &config, &transport)? {
                Some(reply) => finish_reply(ctx, &reply),
                None => Ok(()),
            }
        }
        Command::Reverse {
            order,
            amount,
            rrn,
            int_ref,
            currency,
            offline,
            stamp,
        } => {
            let mut op =
                Reverse::new(order, money(&amount, &currency)?, rrn, int_ref).stamp(stamp.stamp()?);
            if offline {
                op = op.offline();
            }
            let config = config()?;
            match run_operation(ctx, &op, &config, &transport)? {
                Some(reply) => finish_reply(ctx, &reply),
                None => Ok(()),
            }
        }
        Command::Status {
            order,
            tran_trtype: tr,
            stamp,
        } => {
            let op = GetStatus::new(order)
                .tran_trtype(tran_trtype(&tr)?)
                .stamp(stamp.stamp()?);
            let config = config()?;
            match run_operation(ctx, &op, &config, &transport)? {
                Some(status) => finish_status(ctx, &status),
                None => Ok(()),
            }
        }
        Command::VerifyCallback { no_query, stamp } => {
            let config = config()?;
            if !config.has_gateway_key() && !config.is_legacy() {
                return Err(CliError::usage(
                    "missing environment variable AZERICARD_GATEWAY_PUBLIC_KEY_PATH \
                     (Azericard's public key, to check the callback)",
                ));
            }
            let mut body = Vec::new();
            std::io::stdin()
                .take(azericard::MAX_CALLBACK_BYTES as u64 + 1)
                .read_to_end(&mut body)
                .map_err(|e| CliError::failed(format!("could not read stdin: {e}")))?;
            while body.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                body.pop();
            }
            let claim = azericard::verify_callback(&config, &body)
                .map_err(|e| CliError::failed(format!("callback rejected: {e}")))?;
            if no_query {
                print_outcome(
                    ctx,
                    &ClaimView {
                        signature: "signature valid, status unconfirmed",
                        claim: &claim,
                    },
                );
                return Ok(());
            }
            let query = claim.status_query().stamp(stamp.stamp()?);
            let Some(status) = run_operation(ctx, &query, &config, &transport)? else {
                return Ok(());
            };
            let matches = claim.claim_matches(&status);
            print_outcome(
                ctx,
                &ConfirmedView {
                    state: status.state,
                    claim: &claim,
                    status: &status,
                    claim_matches: matches,
                },
            );
            if !ctx.json {
                print_verdict(&format!(
                    "verified by status query: {} ({}){}",
                    status.state,
                    status_word(&status),
                    if matches {
                        ""
                    } else {
                        "; the callback's claim does not match it"
                    }
                ));
            }
            exit_for_state(status.state, &status_word(&status))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn clock_and_nonce_shapes() {
        let t = super::utc_now();
        assert_eq!(t.len(), 14);
        assert!(t.starts_with("20"), "{t}");
        let n = super::random_nonce();
        assert_eq!(n.len(), 16);
        assert_ne!(n, super::random_nonce());
        assert!(azpay_core::azericard::Stamp::new(t, n).is_ok());
    }
}
