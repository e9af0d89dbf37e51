//! `azpay payriff ...` (`docs/cli.md`): Payriff's v3 JSON API, configured by `PAYRIFF_*`
//! variables. Every payment-changing command sends an `X-REQUEST-RRN` (from `--rrn`, else
//! generated) and prints it, so the order can be found after an unknown outcome with
//! `azpay payriff order-by-rrn --rrn R`.

use std::io::Read as _;

use azpay_core::payriff::{
    self, AutoPay, Capture, Config, CreateOrder, ExpireOrder, GetOrder, GetOrderByRrn, Payriff,
    Refund,
};
use azpay_core::{Amount, Currency, Language, Operation, State};
use serde::Serialize;

use crate::common::{
    check_env_text, check_env_url, dry_run_json, env_opt, env_required, exit_for_state, from_error,
    invalid_env, invalid_env_build, parse_amount, parse_currency, print_json, print_outcome,
    transport, CliError, Ctx,
};

/// The `azpay payriff` commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an order paid on Payriff's page (PURCHASE; with --preauth a hold, PRE_AUTH) and
    /// print the payment URL to send the customer to.
    CreateOrder {
        /// Amount in major units, at most two decimals: 10, 10.5, 10.50.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Currency: AZN, USD, EUR, PKR, AED or SAR.
        #[arg(long, allow_hyphen_values = true, default_value = "AZN")]
        currency: String,
        /// Order description.
        #[arg(long)]
        description: Option<String>,
        /// Hold the amount (PRE_AUTH); complete it with `capture`.
        #[arg(long)]
        preauth: bool,
        /// Save the card for later `pay-with-saved-card` charges (cardSave).
        #[arg(long)]
        save_card: bool,
        /// Page language: AZ, EN or RU (default PAYRIFF_INTERFACE_LANG, else AZ).
        #[arg(long)]
        language: Option<String>,
        /// The request RRN (X-REQUEST-RRN); generated when absent.
        #[arg(long, allow_hyphen_values = true)]
        rrn: Option<String>,
    },
    /// Show an order and its verified status (GET /api/v3/orders/{id}).
    Order {
        /// Order id.
        #[arg(long, allow_hyphen_values = true)]
        id: String,
    },
    /// Find the order sent with a request RRN (after an unknown outcome).
    OrderByRrn {
        /// The X-REQUEST-RRN that was sent.
        #[arg(long, allow_hyphen_values = true)]
        rrn: String,
    },
    /// Refund an order: all of it, or --amount.
    Refund {
        /// Order id.
        #[arg(long, allow_hyphen_values = true)]
        id: String,
        /// Amount to refund; without it, a full refund.
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        /// Currency of the amount.
        #[arg(long, allow_hyphen_values = true, default_value = "AZN")]
        currency: String,
        /// The request RRN; generated when absent.
        #[arg(long, allow_hyphen_values = true)]
        rrn: Option<String>,
    },
    /// Capture a hold (complete): all of it, or --amount (the rest is released).
    Capture {
        /// Order id.
        #[arg(long, allow_hyphen_values = true)]
        id: String,
        /// Amount to capture (at most the hold); without it, all of it.
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        /// Currency of the amount.
        #[arg(long, allow_hyphen_values = true, default_value = "AZN")]
        currency: String,
        /// The request RRN; generated when absent.
        #[arg(long, allow_hyphen_values = true)]
        rrn: Option<String>,
    },
    /// Expire an unpaid order so that its page can no longer be paid.
    Expire {
        /// Order id.
        #[arg(long, allow_hyphen_values = true)]
        id: String,
    },
    /// Charge a saved card without the customer (autoPay).
    PayWithSavedCard {
        /// The saved card's cardUuid.
        #[arg(long, allow_hyphen_values = true)]
        card_uuid: String,
        /// Amount.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Currency.
        #[arg(long, allow_hyphen_values = true, default_value = "AZN")]
        currency: String,
        /// Description (default: "azpay saved-card charge").
        #[arg(long)]
        description: Option<String>,
        /// The request RRN; generated when absent.
        #[arg(long, allow_hyphen_values = true)]
        rrn: Option<String>,
    },
    /// Read the JSON callback from stdin. It is unsigned, so the order is fetched with the
    /// secret key and the verified status is reported (the claimed one can be forged).
    VerifyCallback,
}

const SANDBOX_HINT: &str = "set PAYRIFF_SECRET_KEY, or run `azpay sandbox` for a local gateway";

/// The configuration from `PAYRIFF_*` variables.
fn config() -> Result<Config, CliError> {
    let key = env_required("PAYRIFF_SECRET_KEY").map_err(|mut e| {
        e.message = format!("{} ({SANDBOX_HINT})", e.message);
        e
    })?;
    check_env_text("PAYRIFF_SECRET_KEY", &key)?;
    if key.trim() != key {
        return Err(invalid_env(
            "PAYRIFF_SECRET_KEY",
            "must not start or end with whitespace",
        ));
    }
    let mut c = Config::new(key);
    if let Some(base) = env_opt("PAYRIFF_BASE_URL") {
        c = c
            .base_url(base)
            .map_err(|e| invalid_env_build("PAYRIFF_BASE_URL", e))?;
    }
    if let Some(lang) = env_opt("PAYRIFF_INTERFACE_LANG") {
        let l: Language = lang
            .parse()
            .map_err(|e| invalid_env("PAYRIFF_INTERFACE_LANG", e))?;
        c = c.language(l);
    }
    if let Some(url) = env_opt("PAYRIFF_CALLBACK_URL") {
        check_env_url("PAYRIFF_CALLBACK_URL", &url)?;
        c = c.callback_url(url);
    }
    if let Some(url) = env_opt("PAYRIFF_REDIRECT_URL") {
        check_env_url("PAYRIFF_REDIRECT_URL", &url)?;
        c = c.redirect_url(url);
    }
    Ok(c)
}

fn currency(text: &str) -> Result<Currency, CliError> {
    let c = parse_currency("currency", text)?;
    if !["AZN", "USD", "EUR", "PKR", "AED", "SAR"].contains(&c.alpha()) {
        return Err(CliError::usage(format!(
            "invalid --currency `{text}`: Payriff takes AZN, USD, EUR, PKR, AED or SAR"
        )));
    }
    Ok(c)
}

fn positive(amount: &str, currency_text: &str) -> Result<Amount, CliError> {
    let a = parse_amount("amount", amount, currency(currency_text)?)?;
    if a.is_zero() {
        return Err(CliError::usage(
            "invalid --amount `0`: must be greater than zero",
        ));
    }
    Ok(a)
}

/// `--rrn`, or a fresh one: `azpay-<unix nanoseconds in hex>-<process id>`.
fn rrn(given: Option<String>) -> String {
    given.unwrap_or_else(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        format!("azpay-{nanos:x}-{}", std::process::id())
    })
}

/// Dry run: the request with the key redacted (unless `--show-secrets`). Otherwise sends it;
/// an error names the RRN so that the order can be looked up.
fn send<O: Operation<Gateway = Payriff>>(
    ctx: &Ctx,
    op: &O,
    config: &Config,
    rrn: Option<&str>,
) -> Result<Option<O::Output>, CliError> {
    if ctx.dry_run {
        let request = op
            .build_request(config)
            .map_err(|e| CliError::usage(e.to_string()))?;
        let mut shown = dry_run_json(&request, ctx.show_secrets);
        if !ctx.show_secrets {
            // The key has no scheme: redact all of it, whatever it holds.
            shown["headers"]["authorization"] = "<redacted>".into();
        }
        print_json(&shown);
        return Ok(None);
    }
    let t = transport()?;
    azpay_core::execute(op, config, &t).map(Some).map_err(|e| {
        let mut err = from_error(e);
        if let Some(r) = rrn {
            err.message = format!(
                "{} (rrn {r}: `azpay payriff order-by-rrn --rrn {r}` finds the order)",
                err.message
            );
        }
        err
    })
}

#[derive(Serialize)]
struct WithRrn<'a, T: Serialize> {
    #[serde(flatten)]
    outcome: &'a T,
    rrn: &'a str,
}

/// Prints an outcome with the `X-REQUEST-RRN` it was sent with, so the order can be found
/// after an unknown outcome.
fn print_with_rrn<T: Serialize>(ctx: &Ctx, outcome: &T, rrn: &str) {
    print_outcome(ctx, &WithRrn { outcome, rrn });
}

fn order_word(order: &payriff::OrderInfo) -> String {
    order.payment_status.as_str().to_owned()
}

/// Runs `azpay payriff <command>`.
pub fn run(ctx: &Ctx, command: Command) -> Result<(), CliError> {
    match command {
        Command::CreateOrder {
            amount,
            currency: cur,
            description,
            preauth,
            save_card,
            language,
            rrn: given,
        } => {
            let amount = positive(&amount, &cur)?;
            let language = language
                .map(|l| {
                    l.parse::<Language>()
                        .map_err(|e| CliError::usage(format!("invalid --language: {e}")))
                })
                .transpose()?;
            let config = config()?;
            let rrn = rrn(given);
            let mut op = if preauth {
                CreateOrder::preauth(amount, rrn.clone())
            } else {
                CreateOrder::purchase(amount, rrn.clone())
            };
            if let Some(d) = description {
                op = op.description(d);
            }
            if let Some(l) = language {
                op = op.language(l);
            }
            if save_card {
                op = op.save_card();
            }
            // `language` is always sent: the operation's, else the configuration's.
            let Some(created) = send(ctx, &op, &config, Some(&rrn))? else {
                return Ok(());
            };
            print_with_rrn(ctx, &created, &rrn);
            exit_for_state(created.state, created.code.as_str())
        }
        Command::Order { id } => {
            let config = config()?;
            let Some(order) = send(ctx, &GetOrder::new(id), &config, None)? else {
                return Ok(());
            };
            print_outcome(ctx, &order);
            exit_for_state(order.state, &order_word(&order))
        }
        Command::OrderByRrn { rrn } => {
            let config = config()?;
            let Some(order) = send(ctx, &GetOrderByRrn::new(rrn), &config, None)? else {
                return Ok(());
            };
            print_outcome(ctx, &order);
            exit_for_state(order.state, &order_word(&order))
        }
        Command::Refund {
            id,
            amount,
            currency: cur,
            rrn: given,
        } => {
            let amount = amount.map(|a| positive(&a, &cur)).transpose()?;
            let config = config()?;
            let rrn = rrn(given);
            let op = match amount {
                Some(a) => Refund::partial(id, a, rrn.clone()),
                None => Refund::full(id, rrn.clone()),
            };
            let Some(out) = send(ctx, &op, &config, Some(&rrn))? else {
                return Ok(());
            };
            print_with_rrn(ctx, &out, &rrn);
            exit_for_state(out.state, out.code.as_str())
        }
        Command::Capture {
            id,
            amount,
            currency: cur,
            rrn: given,
        } => {
            let amount = amount.map(|a| positive(&a, &cur)).transpose()?;
            let config = config()?;
            let rrn = rrn(given);
            let op = match amount {
                Some(a) => Capture::partial(id, a, rrn.clone()),
                None => Capture::full(id, rrn.clone()),
            };
            let Some(out) = send(ctx, &op, &config, Some(&rrn))? else {
                return Ok(());
            };
            print_with_rrn(ctx, &out, &rrn);
            exit_for_state(out.state, out.code.as_str())
        }
        Command::Expire { id } => {
            let config = config()?;
            let Some(out) = send(ctx, &ExpireOrder::new(id), &config, None)? else {
                return Ok(());
            };
            print_outcome(ctx, &out);
            exit_for_state(out.state, out.code.as_str())
        }
        Command::PayWithSavedCard {
            card_uuid,
            amount,
            currency: cur,
            description,
            rrn: given,
        } => {
            let amount = positive(&amount, &cur)?;
            let config = config()?;
            let rrn = rrn(given);
            let op = AutoPay::new(
                card_uuid,
                amount,
                description.unwrap_or_else(|| "azpay saved-card charge".to_owned()),
                rrn.clone(),
            );
            let Some(out) = send(ctx, &op, &config, Some(&rrn))? else {
                return Ok(());
            };
            print_with_rrn(ctx, &out, &rrn);
            let word = out
                .order
                .as_ref()
                .map(order_word)
                .unwrap_or_else(|| out.code.as_str().to_owned());
            exit_for_state(out.state, &word)
        }
        Command::VerifyCallback => verify_callback(ctx),
    }
}

#[derive(Serialize)]
struct VerifiedCallback<'a> {
    order_id: &'a str,
    claimed_status: Option<&'a str>,
    state: State,
    payment_status: &'a str,
    claim_matches: bool,
    order: &'a payriff::OrderInfo,
}

fn verify_callback(ctx: &Ctx) -> Result<(), CliError> {
    let mut body = Vec::new();
    std::io::stdin()
        .take(payriff::MAX_CALLBACK_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| CliError::failed(format!("could not read stdin: {e}")))?;
    let claim = payriff::parse_callback(&body)
        .map_err(|e| CliError::failed(format!("not a Payriff callback: {e}")))?;
    let config = config()?;
    let Some(order) = send(ctx, &claim.verify(), &config, None)? else {
        return Ok(());
    };
    print_outcome(
        ctx,
        &VerifiedCallback {
            order_id: claim.order_id(),
            claimed_status: claim.claimed_status(),
            state: order.state,
            payment_status: order.payment_status.as_str(),
            claim_matches: claim.claim_matches(&order),
            order: &order,
        },
    );
    exit_for_state(order.state, &order_word(&order))
}
