//! `azpay epoint ...` (`docs/cli.md`, "EPoint").

use std::io::Read;

use azpay_core::epoint::{self, Config};
use azpay_core::{Amount, Currency, Language, ResponseError, State};
use clap::Args;

use crate::common::{
    check_env_text, check_env_url, env_opt, exit_for_state, invalid_env, invalid_env_build,
    parse_amount, parse_currency, print_json, print_outcome, run_operation, transport, CliError,
    Ctx,
};

/// The `azpay epoint` commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a payment (/api/1/request) and print the payment page URL.
    Pay {
        #[command(flatten)]
        money: Money,
        /// Your unique order id (1 to 255 characters).
        #[arg(long, allow_hyphen_values = true)]
        order_id: String,
        /// Payment description (at most 1000 characters).
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        lang: Lang,
    },
    /// Query a payment (/api/1/get-status) by EPoint transaction or by your order id.
    #[command(group(clap::ArgGroup::new("key").required(true).args(["transaction", "order_id"])))]
    Status {
        /// EPoint's transaction id (te...).
        #[arg(long, allow_hyphen_values = true)]
        transaction: Option<String>,
        /// Your order id.
        #[arg(long, allow_hyphen_values = true)]
        order_id: Option<String>,
    },
    /// Save a card without paying (/api/1/card-registration).
    SaveCard {
        /// Description (at most 1000 characters).
        #[arg(long)]
        description: Option<String>,
        /// Register a payout card (sends refund=1), for `payout`.
        #[arg(long)]
        payout_card: bool,
        #[command(flatten)]
        lang: Lang,
    },
    /// Charge a saved card (/api/1/execute-pay); a decline exits 3.
    PayWithSavedCard {
        #[command(flatten)]
        money: Money,
        /// Your unique order id.
        #[arg(long, allow_hyphen_values = true)]
        order_id: String,
        /// The saved card's id (ce...).
        #[arg(long, allow_hyphen_values = true)]
        card_id: String,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        lang: Lang,
    },
    /// Pay and save the card (/api/1/card-registration-with-pay).
    PayAndSaveCard {
        #[command(flatten)]
        money: Money,
        /// Your unique order id.
        #[arg(long, allow_hyphen_values = true)]
        order_id: String,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        lang: Lang,
    },
    /// Pay out to a saved payout card (/api/1/refund-request); a decline exits 3.
    Payout {
        #[command(flatten)]
        money: Money,
        /// Your unique order id.
        #[arg(long, allow_hyphen_values = true)]
        order_id: String,
        /// The saved payout card's id.
        #[arg(long, allow_hyphen_values = true)]
        card_id: String,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        lang: Lang,
    },
    /// Refund a payment fully, or partly with --amount (/api/1/reverse).
    Refund {
        /// EPoint's transaction id of the payment.
        #[arg(long, allow_hyphen_values = true)]
        transaction: String,
        /// Currency of the payment.
        #[arg(long, allow_hyphen_values = true)]
        currency: String,
        /// Amount to refund; without it, the full payment.
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        #[command(flatten)]
        lang: Lang,
    },
    /// Split a payment with another EPoint merchant (/api/1/split-request).
    SplitPay {
        #[command(flatten)]
        money: Money,
        /// Your unique order id.
        #[arg(long, allow_hyphen_values = true)]
        order_id: String,
        #[command(flatten)]
        split: Split,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        lang: Lang,
    },
    /// Split charge on a saved card (/api/1/split-execute-pay); a decline exits 3.
    SplitPayWithSavedCard {
        #[command(flatten)]
        money: Money,
        /// Your unique order id.
        #[arg(long, allow_hyphen_values = true)]
        order_id: String,
        /// The saved card's id.
        #[arg(long, allow_hyphen_values = true)]
        card_id: String,
        #[command(flatten)]
        split: Split,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        lang: Lang,
    },
    /// Split pay and save the card (/api/1/split-card-registration-with-pay).
    SplitPayAndSaveCard {
        #[command(flatten)]
        money: Money,
        /// Your unique order id.
        #[arg(long, allow_hyphen_values = true)]
        order_id: String,
        #[command(flatten)]
        split: Split,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        lang: Lang,
    },
    /// Hold funds, the first step of a two-step payment (/api/1/pre-auth-request).
    PreAuth {
        #[command(flatten)]
        money: Money,
        /// Your unique order id.
        #[arg(long, allow_hyphen_values = true)]
        order_id: String,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        lang: Lang,
    },
    /// Capture a hold made by `pre-auth` (/api/1/pre-auth-complete).
    PreAuthComplete {
        #[command(flatten)]
        money: Money,
        /// The hold's transaction id.
        #[arg(long, allow_hyphen_values = true)]
        transaction: String,
    },
    /// The state of a saved card (/api/1/get-status-card).
    CardStatus {
        /// The saved card's id.
        #[arg(long, allow_hyphen_values = true)]
        card_id: String,
    },
    /// Print an auto-submitting HTML form that posts the payment to /api/1/checkout.
    CheckoutForm {
        #[command(flatten)]
        money: Money,
        /// Your unique order id.
        #[arg(long, allow_hyphen_values = true)]
        order_id: String,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        lang: Lang,
    },
    /// Whether EPoint is up (GET /api/heartbeat).
    Heartbeat,
    /// Verify a callback body read from stdin (form `data=...&signature=...`, JSON
    /// `{"data":...,"signature":...}` or multipart/form-data, recognised by its shape) and
    /// print it as JSON, then exit by what it reports (0 success, 3 failed, 5 pending,
    /// 6 returned); exit 1 without printing it when the signature does not verify.
    VerifyCallback,
}

/// `--amount A --currency C`.
#[derive(Debug, Args)]
pub struct Money {
    /// Amount in major units, at most two decimals: 10, 10.5, 10.50.
    #[arg(long, allow_hyphen_values = true)]
    amount: String,
    /// Currency (EPoint documents AZN only).
    #[arg(long, allow_hyphen_values = true)]
    currency: String,
}

impl Money {
    fn parse(&self) -> Result<Amount, CliError> {
        let currency = parse_currency("currency", &self.currency)?;
        parse_amount("amount", &self.amount, currency)
    }
}

/// `--split-user U --split-amount S`.
#[derive(Debug, Args)]
pub struct Split {
    /// The partner merchant's public key.
    #[arg(long, allow_hyphen_values = true)]
    split_user: String,
    /// The partner's part, less than --amount.
    #[arg(long, allow_hyphen_values = true)]
    split_amount: String,
}

impl Split {
    fn parse(&self, currency: Currency) -> Result<Amount, CliError> {
        parse_amount("split-amount", &self.split_amount, currency)
    }
}

/// `--language az|en|ru`.
#[derive(Debug, Args)]
pub struct Lang {
    /// Payment page language: az, en or ru (default: EPOINT_INTERFACE_LANG, else az).
    #[arg(long)]
    language: Option<String>,
}

impl Lang {
    fn parse(&self) -> Result<Option<Language>, CliError> {
        self.language
            .as_deref()
            .map(|l| {
                l.parse::<Language>().map_err(|_| {
                    CliError::usage(format!("invalid --language `{l}`: expected az, en or ru"))
                })
            })
            .transpose()
    }
}

fn required_env(name: &str) -> Result<String, CliError> {
    env_opt(name).ok_or_else(|| {
        CliError::usage(format!(
            "missing environment variable {name} (for test settings run `azpay sandbox`)"
        ))
    })
}

/// The configuration from the EPOINT_* variables.
fn config() -> Result<Config, CliError> {
    let public_key = required_env("EPOINT_PUBLIC_KEY")?;
    check_env_text("EPOINT_PUBLIC_KEY", &public_key)?;
    let private_key = required_env("EPOINT_PRIVATE_KEY")?;
    config_with(public_key, private_key)
}

/// The configuration with these keys and the other `EPOINT_*` variables; a bad value of any
/// of them is exit 2 naming the variable.
fn config_with(public_key: String, private_key: String) -> Result<Config, CliError> {
    check_env_text("EPOINT_PRIVATE_KEY", &private_key)?;
    let mut c = Config::new(public_key, private_key);
    if let Some(u) = env_opt("EPOINT_BASE_URL") {
        c = c
            .base_url(u)
            .map_err(|e| invalid_env_build("EPOINT_BASE_URL", e))?;
    }
    if let Some(lang) = env_opt("EPOINT_INTERFACE_LANG") {
        let l = lang.parse::<Language>().map_err(|_| {
            invalid_env(
                "EPOINT_INTERFACE_LANG",
                format!("`{lang}` is not a language: expected az, en or ru"),
            )
        })?;
        c = c.language(l);
    }
    if let Some(u) = env_opt("EPOINT_SUCCESS_REDIRECT_URL") {
        check_env_url("EPOINT_SUCCESS_REDIRECT_URL", &u)?;
        c = c.success_redirect_url(u);
    }
    if let Some(u) = env_opt("EPOINT_FAILED_REDIRECT_URL") {
        check_env_url("EPOINT_FAILED_REDIRECT_URL", &u)?;
        c = c.error_redirect_url(u);
    }
    Ok(c)
}

fn with_language<T>(op: T, lang: Option<Language>, set: impl FnOnce(T, Language) -> T) -> T {
    match lang {
        Some(l) => set(op, l),
        None => op,
    }
}

fn with_description<T>(op: T, d: Option<String>, set: impl FnOnce(T, String) -> T) -> T {
    match d {
        Some(d) => set(op, d),
        None => op,
    }
}

/// Sets the optional `--description` and `--language` of a command on an `epoint::$ty`
/// operation (the language is parsed here; an invalid one is a usage error).
macro_rules! description_and_language {
    ($op:expr, $ty:ident, $description:expr, $lang:expr) => {{
        let op = with_description($op, $description, epoint::$ty::description);
        with_language(op, $lang.parse()?, epoint::$ty::language)
    }};
}

/// An outcome's uniform state and EPoint's own word, for the exit code.
trait Reported {
    fn state(&self) -> State;
    fn word(&self) -> String;
}

macro_rules! reported_optional_word {
    ($($ty:ty),*) => {$(
        impl Reported for $ty {
            fn state(&self) -> State {
                self.state
            }
            fn word(&self) -> String {
                self.status.clone().unwrap_or_default()
            }
        }
    )*};
}
reported_optional_word!(epoint::PaymentRedirect, epoint::SavedCardRedirect);

macro_rules! reported_word {
    ($($ty:ty),*) => {$(
        impl Reported for $ty {
            fn state(&self) -> State {
                self.state
            }
            fn word(&self) -> String {
                self.status.as_str().to_owned()
            }
        }
    )*};
}
reported_word!(
    epoint::PaymentResult,
    epoint::PaymentStatus,
    epoint::Acknowledgement,
    epoint::CardInfo
);

impl Reported for epoint::Callback {
    fn state(&self) -> State {
        self.state
    }
    fn word(&self) -> String {
        self.status
            .as_ref()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default()
    }
}

/// The word to name in the exit line of a charge or payout: the status, with the bank's code
/// when there is one (`failed, 116 (Declined, insufficient funds)`).
fn charge_word(out: &epoint::PaymentResult) -> String {
    match &out.code {
        Some(code) => format!("{}, {code}", out.status.as_str()),
        None => out.status.as_str().to_owned(),
    }
}

/// Sends (or dry-runs) an operation, prints its outcome (with `--json`: its `state` and
/// EPoint's `status`), then exits by the outcome's state: 0 done, 3 declined, 5 pending,
/// 6 returned (`common::exit_for_state`).
fn run_and_print<O>(ctx: &Ctx, op: &O, config: &Config) -> Result<(), CliError>
where
    O: azpay_core::Operation<Gateway = epoint::EPoint>,
    O::Output: serde::Serialize + Reported,
{
    if let Some(out) = run_operation(ctx, op, config, &transport)? {
        print_outcome(ctx, &out);
        return exit_for_state(out.state(), &out.word());
    }
    Ok(())
}

/// Like [`run_and_print`] for a charge or payout: the exit line names the bank's code too.
fn run_charge<O>(ctx: &Ctx, op: &O, config: &Config) -> Result<(), CliError>
where
    O: azpay_core::Operation<Gateway = epoint::EPoint, Output = epoint::PaymentResult>,
{
    if let Some(out) = run_operation(ctx, op, config, &transport)? {
        print_outcome(ctx, &out);
        return exit_for_state(out.state, &charge_word(&out));
    }
    Ok(())
}

/// Runs one `azpay epoint` command.
pub fn run(ctx: &Ctx, command: Command) -> Result<(), CliError> {
    if let Command::VerifyCallback = command {
        return verify_callback();
    }
    let config = config()?;
    match command {
        Command::Pay {
            money,
            order_id,
            description,
            lang,
        } => {
            let op = epoint::Pay::new(money.parse()?, order_id);
            let op = description_and_language!(op, Pay, description, lang);
            run_and_print(ctx, &op, &config)
        }
        Command::Status {
            transaction,
            order_id,
        } => {
            let op = match (transaction, order_id) {
                (Some(t), _) => epoint::GetStatus::by_transaction(t),
                (None, Some(o)) => epoint::GetStatus::by_order_id(o),
                (None, None) => {
                    return Err(CliError::usage("give --transaction or --order-id"));
                }
            };
            run_and_print(ctx, &op, &config)
        }
        Command::SaveCard {
            description,
            payout_card,
            lang,
        } => {
            let mut op = epoint::SaveCard::new();
            if payout_card {
                op = op.refund(true);
            }
            let op = description_and_language!(op, SaveCard, description, lang);
            run_and_print(ctx, &op, &config)
        }
        Command::PayWithSavedCard {
            money,
            order_id,
            card_id,
            description,
            lang,
        } => {
            let op = epoint::PayWithSavedCard::new(card_id, money.parse()?, order_id);
            let op = description_and_language!(op, PayWithSavedCard, description, lang);
            run_charge(ctx, &op, &config)
        }
        Command::PayAndSaveCard {
            money,
            order_id,
            description,
            lang,
        } => {
            let op = epoint::PayAndSaveCard::new(money.parse()?, order_id);
            let op = description_and_language!(op, PayAndSaveCard, description, lang);
            run_and_print(ctx, &op, &config)
        }
        Command::Payout {
            money,
            order_id,
            card_id,
            description,
            lang,
        } => {
            let op = epoint::Payout::new(card_id, money.parse()?, order_id);
            let op = description_and_language!(op, Payout, description, lang);
            run_charge(ctx, &op, &config)
        }
        Command::Refund {
            transaction,
            currency,
            amount,
            lang,
        } => {
            let currency = parse_currency("currency", &currency)?;
            let mut op = epoint::Refund::new(transaction, currency);
            if let Some(a) = amount {
                op = op.amount(parse_amount("amount", &a, currency)?);
            }
            let op = with_language(op, lang.parse()?, epoint::Refund::language);
            run_and_print(ctx, &op, &config)
        }
        Command::SplitPay {
            money,
            order_id,
            split,
            description,
            lang,
        } => {
            let amount = money.parse()?;
            let split_amount = split.parse(amount.currency())?;
            let op = epoint::SplitPay::new(amount, order_id, split.split_user, split_amount);
            let op = description_and_language!(op, SplitPay, description, lang);
            run_and_print(ctx, &op, &config)
        }
        Command::SplitPayWithSavedCard {
            money,
            order_id,
            card_id,
            split,
            description,
            lang,
        } => {
            let amount = money.parse()?;
            let split_amount = split.parse(amount.currency())?;
            let op = epoint::SplitPayWithSavedCard::new(
                card_id,
                amount,
                order_id,
                split.split_user,
                split_amount,
            );
            let op = description_and_language!(op, SplitPayWithSavedCard, description, lang);
            run_charge(ctx, &op, &config)
        }
        Command::SplitPayAndSaveCard {
            money,
            order_id,
            split,
            description,
            lang,
        } => {
            let amount = money.parse()?;
            let split_amount = split.parse(amount.currency())?;
            let op =
                epoint::SplitPayAndSaveCard::new(amount, order_id, split.split_user, split_amount);
            let op = description_and_language!(op, SplitPayAndSaveCard, description, lang);
            run_and_print(ctx, &op, &config)
        }
        Command::PreAuth {
            money,
            order_id,
            description,
            lang,
        } => {
            let op = epoint::PreAuth::new(money.parse()?, order_id);
            let op = description_and_language!(op, PreAuth, description, lang);
            run_and_print(ctx, &op, &config)
        }
        Command::PreAuthComplete { money, transaction } => {
            let op = epoint::PreAuthComplete::new(money.parse()?, transaction);
            run_and_print(ctx, &op, &config)
        }
        Command::CardStatus { card_id } => {
            run_and_print(ctx, &epoint::GetCardStatus::new(card_id), &config)
        }
        Command::CheckoutForm {
            money,
            order_id,
            description,
            lang,
        } => {
            let op = epoint::Checkout::new(money.parse()?, order_id);
            let op = description_and_language!(op, Checkout, description, lang);
            if ctx.dry_run {
                // Prints the request; nothing is sent, so there is no outcome.
                run_operation(ctx, &op, &config, &transport)?;
                return Ok(());
            }
            let html = op
                .html_form(&config)
                .map_err(|e| CliError::usage(e.to_string()))?;
            print!("{html}");
            Ok(())
        }
        Command::Heartbeat => {
            if let Some(out) = run_operation(ctx, &epoint::Heartbeat, &config, &transport)? {
                print_outcome(ctx, &out);
                if !out.is_ok() {
                    return Err(CliError::failed(format!(
                        "EPoint is not ok: {}",
                        out.status
                    )));
                }
            }
            Ok(())
        }
        Command::VerifyCallback => verify_callback(),
    }
}

/// `verify-callback`: only the private key is needed; nothing unverified is printed.
fn verify_callback() -> Result<(), CliError> {
    let private_key = required_env("EPOINT_PRIVATE_KEY")?;
    let public_key = env_opt("EPOINT_PUBLIC_KEY").unwrap_or_default();
    let config = config_with(public_key, private_key)?;
    let mut body = Vec::new();
    std::io::stdin()
        .take(azpay_core::MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| CliError::failed(format!("could not read stdin: {e}")))?;
    // A trailing newline from `echo` or a file is not part of the form.
    while body.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        body.pop();
    }
    // Form, JSON or multipart, recognised by the body's shape.
    match epoint::verify_callback(&config, &body) {
        Ok(cb) => {
            print_json(&cb);
            exit_for_state(cb.state(), &cb.word())
        }
        Err(ResponseError::Signature(why)) => {
            Err(CliError::failed(format!("callback rejected: {why}")))
        }
        Err(ResponseError::Malformed { reason, .. }) => Err(CliError::failed(format!(
            "callback signature verified but its data is malformed: {reason}"
        ))),
        Err(e) => Err(CliError::failed(format!("callback rejected: {e}"))),
    }
}
