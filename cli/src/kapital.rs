//! `azpay kapital ...` (`docs/cli.md`): Kapital Bank's JSON API, configured by `KAPITAL_*` variables.

use azpay_core::kapital::{
    self, ApiError, CofPurpose, Config, CreateOrder, CreatedOrder, ExecTran, FlowOutcome, FlowStep,
    GetOrder, InitiationEnvKind, Kapital, OrderState, PayWithSavedCard, Payout, TranResult,
    UnverifiedRedirect,
};
use azpay_core::{execute, execute_flow, Amount, Error, Flow, Language, Operation, State};
use serde::Serialize;

use crate::common::{
    check_env_text, check_env_url, env_opt, env_required, exit_for_state, from_error, invalid_env,
    invalid_env_build, parse_amount, parse_currency, print_outcome, print_verdict, run_flow,
    run_operation, transport, CliError, Ctx,
};

/// The `azpay kapital` commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an order paid on the hosted page (Order_SMS; with --preauth a hold, Order_DMS)
    /// and print the payment URL to send the customer to.
    CreateOrder {
        /// Amount in major units, at most two decimals: 10, 10.5, 10.50.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Currency, alphabetic (AZN) or numeric (944).
        #[arg(long, allow_hyphen_values = true)]
        currency: String,
        /// Order description.
        #[arg(long)]
        description: String,
        /// Pre-authorisation: hold the amount (Order_DMS); complete it with `clear`.
        #[arg(long)]
        preauth: bool,
        /// Order title (for example the shop's name).
        #[arg(long)]
        title: Option<String>,
        /// Hosted page language: az, en or ru (default KAPITAL_INTERFACE_LANG, else az).
        #[arg(long)]
        language: Option<String>,
        /// Where the browser returns (default KAPITAL_REDIRECT_URL).
        #[arg(long)]
        redirect_url: Option<String>,
        /// Pay in installments of this many months (2 to 36): sent as `TAKSIT=<months>` in
        /// the description, which then replaces --description.
        #[arg(long, allow_hyphen_values = true)]
        installments: Option<String>,
    },
    /// Show an order: its verified status (and with --detailed its transactions and cards).
    Order {
        /// Order id.
        #[arg(long, allow_hyphen_values = true)]
        id: String,
        /// Ask for transactions, tokens and the order type's configuration too.
        #[arg(long)]
        detailed: bool,
    },
    /// Refund (part of) a paid order.
    Refund {
        /// Order id.
        #[arg(long, allow_hyphen_values = true)]
        id: String,
        /// Amount to refund.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Currency of the amount.
        #[arg(long, allow_hyphen_values = true, default_value = "AZN")]
        currency: String,
    },
    /// Void an order the same day: the full amount, or with --amount a partial void (after a
    /// purchase only).
    Reverse {
        /// Order id.
        #[arg(long, allow_hyphen_values = true)]
        id: String,
        /// Partial void of this amount; without it, a full void.
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        /// Currency of the amount.
        #[arg(long, allow_hyphen_values = true, default_value = "AZN")]
        currency: String,
        /// The order's state: `purchase` (phase Single), `hold` (a pre-authorisation not yet
        /// cleared, phase Auth) or `clearing` (a cleared pre-authorisation, phase Clearing).
        #[arg(long, default_value = "purchase")]
        after: String,
    },
    /// Complete a pre-authorisation (clearing of an Order_DMS hold).
    Clear {
        /// Order id.
        #[arg(long, allow_hyphen_values = true)]
        id: String,
        /// Amount to clear (at most the amount held).
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Currency of the amount.
        #[arg(long, allow_hyphen_values = true, default_value = "AZN")]
        currency: String,
    },
    /// Save the customer's card on the hosted page. Kapital documents no zero-amount card
    /// check, so this is a purchase of --amount (Order_SMS) that also stores the card
    /// (aut AddCard, hppCofCapturePurposes UnspecifiedMit, Cit, Recurring), exactly the request
    /// of `pay-and-save-card`; refund it if the amount was only a check. Unlike integrify it
    /// creates no Order_DMS hold that nobody releases.
    SaveCard {
        /// Amount charged while saving the card.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Currency.
        #[arg(long, allow_hyphen_values = true)]
        currency: String,
        /// Order description.
        #[arg(long)]
        description: String,
    },
    /// Pay on the hosted page and save the card for later charges (Order_SMS + aut AddCard +
    /// hppCofCapturePurposes UnspecifiedMit, Cit, Recurring). The card's id for
    /// `pay-with-saved-card` is storedTokens[].id of `order --id N --detailed`.
    PayAndSaveCard {
        /// Amount.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Currency.
        #[arg(long, allow_hyphen_values = true)]
        currency: String,
        /// Order description.
        #[arg(long)]
        description: String,
    },
    /// Charge a saved card without the customer: Order_REC order, set-src-token, exec-tran.
    /// With --dry-run prints the first request only.
    PayWithSavedCard {
        /// The stored card id (storedTokens[].id of the order that saved it).
        #[arg(long, allow_hyphen_values = true)]
        token: String,
        /// Amount.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Currency.
        #[arg(long, allow_hyphen_values = true)]
        currency: String,
        /// Order description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Send money to a card (OCT): OCT order, set-dst-token with the card number, exec-tran
    /// (Credit). With --dry-run prints the first request only.
    Payout {
        /// Amount.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Currency.
        #[arg(long, allow_hyphen_values = true)]
        currency: String,
        /// The card number to credit (12 to 19 digits, Luhn-checked before anything is sent).
        #[arg(long, allow_hyphen_values = true)]
        card: String,
        /// Order description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Check the browser's `?ID=…&STATUS=…` return: fetches the order with the merchant's
    /// credentials and reports the verified status (the claimed one can be forged).
    VerifyRedirect {
        /// The `ID` parameter.
        #[arg(long, allow_hyphen_values = true)]
        id: String,
        /// The `STATUS` parameter, as claimed.
        #[arg(long, allow_hyphen_values = true)]
        status: String,
    },
}

const SANDBOX_HINT: &str =
    "set KAPITAL_USERNAME and KAPITAL_PASSWORD, or run `azpay sandbox` for a local gateway";

/// The configuration from `KAPITAL_*` variables.
fn config() -> Result<Config, CliError> {
    let with_hint = |mut e: CliError| {
        e.message = format!("{} ({SANDBOX_HINT})", e.message);
        e
    };
    let username = env_required("KAPITAL_USERNAME").map_err(with_hint)?;
    let password = env_required("KAPITAL_PASSWORD").map_err(with_hint)?;
    check_env_text("KAPITAL_USERNAME", &username)?;
    if username.contains(':') {
        return Err(invalid_env(
            "KAPITAL_USERNAME",
            "must not contain `:` (HTTP Basic auth separates user and password with it)",
        ));
    }
    check_env_text("KAPITAL_PASSWORD", &password)?;
    let mut c = Config::new(username, password);
    if let Some(base) = env_opt("KAPITAL_BASE_URL") {
        c = c
            .base_url(base)
            .map_err(|e| invalid_env_build("KAPITAL_BASE_URL", e))?;
    }
    if let Some(lang) = env_opt("KAPITAL_INTERFACE_LANG") {
        let l: Language = lang
            .parse()
            .map_err(|e| invalid_env("KAPITAL_INTERFACE_LANG", e))?;
        c = c.language(l);
    }
    if let Some(url) = env_opt("KAPITAL_REDIRECT_URL") {
        check_env_url("KAPITAL_REDIRECT_URL", &url)?;
        c = c.redirect_url(url);
    }
    Ok(c)
}

fn parse_id(flag: &str, text: &str) -> Result<u64, CliError> {
    match text.parse::<u64>() {
        Ok(n) if n > 0 && text.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(CliError::usage(format!(
            "invalid --{flag} `{text}`: expected a positive whole number"
        ))),
    }
}

fn money(amount: &str, currency: &str) -> Result<Amount, CliError> {
    let c = parse_currency("currency", currency)?;
    parse_amount("amount", amount, c)
}

/// `--amount` in `--currency`, greater than zero.
fn positive_money(amount: &str, currency: &str) -> Result<Amount, CliError> {
    positive(money(amount, currency)?)
}

fn positive(a: Amount) -> Result<Amount, CliError> {
    if a.is_zero() {
        Err(CliError::usage(
            "invalid --amount `0`: must be greater than zero",
        ))
    } else {
        Ok(a)
    }
}

/// Dry-run prints the request; otherwise sends it and returns the outcome.
fn send<O: Operation<Gateway = Kapital>>(
    ctx: &Ctx,
    op: &O,
    config: &Config,
) -> Result<Option<O::Output>, CliError> {
    if ctx.dry_run {
        return run_operation(ctx, op, config, &transport);
    }
    let t = transport()?;
    execute(op, config, &t).map(Some).map_err(from_error)
}

#[derive(Serialize)]
struct CreatedView {
    state: State,
    id: u64,
    password: String,
    status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_url: Option<String>,
    cvv2_auth_status: Option<String>,
    secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// Prints a created order, then exits by its state (0 when created).
fn finish_created(ctx: &Ctx, created: &CreatedOrder, next: Option<String>) -> Result<(), CliError> {
    print_outcome(
        ctx,
        &CreatedView {
            state: created.state,
            id: created.id,
            password: created.password.clone(),
            status: created.status.as_ref().map(|s| s.to_string()),
            payment_url: created.payment_url(),
            cvv2_auth_status: created.cvv2_auth_status.as_ref().map(|s| s.to_string()),
            secret: created.secret.clone(),
            next,
        },
    );
    let word = created
        .status
        .as_ref()
        .map_or_else(|| "order created".to_owned(), |s| s.to_string());
    exit_for_state(created.state, &word)
}

/// Kapital's own word for a transaction: its `pmoResultCode` (with the description), the
/// decline's text, or what the answer lacked.
fn tran_word(tran: &TranResult) -> String {
    let mut word = match &tran.pmo_result_code {
        Some(code) => format!(
            "pmoResultCode {code}{}",
            code.description()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default()
        ),
        None if tran.approval_code.is_some() => "approved, no pmoResultCode".to_owned(),
        None => "no pmoResultCode".to_owned(),
    };
    if let Some(d) = tran.decline.as_ref().and_then(|d| d.description.as_deref()) {
        word = format!("PmoDecline, {word}: {d}");
    }
    word
}

/// A transaction result: printed (`state`, `pmo_result_code`, the decline), then the exit by
/// its state: 0 done, 3 declined, 5 pending.
fn finish_tran(ctx: &Ctx, tran: &TranResult) -> Result<(), CliError> {
    print_outcome(ctx, tran);
    exit_for_state(tran.state, &tran_word(tran))
}

/// Sends (or dry-runs) a transaction and finishes it with [`finish_tran`].
fn send_tran<O: Operation<Gateway = Kapital, Output = TranResult>>(
    ctx: &Ctx,
    op: &O,
    config: &Config,
) -> Result<(), CliError> {
    match send(ctx, op, config)? {
        Some(t) => finish_tran(ctx, &t),
        None => Ok(()),
    }
}

#[derive(Serialize)]
struct VerifiedView {
    state: State,
    order_id: u64,
    claimed_status: String,
    verified_status: String,
    claim_matches: bool,
    paid: bool,
    note: String,
}

/// Runs one `azpay kapital` command.
pub fn run(ctx: &Ctx, command: Command) -> Result<(), CliError> {
    match command {
        Command::CreateOrder {
            amount,
            currency,
            description,
            preauth,
            title,
            language,
            redirect_url,
            installments,
        } => {
            let amount = positive_money(&amount, &currency)?;
            let mut op = if preauth {
                CreateOrder::preauth(amount)
            } else {
                CreateOrder::purchase(amount)
            };
            match installments {
                None => op = op.description(description),
                Some(n) => {
                    let months = n
                        .parse::<u8>()
                        .ok()
                        .filter(|m| kapital::INSTALLMENT_MONTHS.contains(m))
                        .ok_or_else(|| {
                            CliError::usage(format!(
                                "invalid --installments `{n}`: expected 2 to 36 months"
                            ))
                        })?;
                    op = op.installments(months);
                }
            }
            if let Some(t) = title {
                op = op.title(t);
            }
            if let Some(l) = language {
                let l: Language = l
                    .parse()
                    .map_err(|e| CliError::usage(format!("invalid --language: {e}")))?;
                op = op.language(l);
            }
            if let Some(u) = redirect_url {
                op = op.hpp_redirect_url(u);
            }
            let config = config()?;
            match send(ctx, &op, &config)? {
                Some(created) => finish_created(ctx, &created, None),
                None => Ok(()),
            }
        }
        Command::Order { id, detailed } => {
            let id = parse_id("id", &id)?;
            let op = if detailed {
                GetOrder::new(id).detailed()
            } else {
                GetOrder::new(id)
            };
            let config = config()?;
            match send(ctx, &op, &config)? {
                Some(order) => {
                    print_outcome(ctx, &order);
                    exit_for_state(order.state, order.status.as_str())
                }
                None => Ok(()),
            }
        }
        Command::Refund {
            id,
            amount,
            currency,
        } => {
            let id = parse_id("id", &id)?;
            let amount = positive_money(&amount, &currency)?;
            let config = config()?;
            send_tran(ctx, &ExecTran::refund(id, amount), &config)
        }
        Command::Reverse {
            id,
            amount,
            currency,
            after,
        } => {
            let id = parse_id("id", &id)?;
            let state = match after.as_str() {
                "purchase" => OrderState::Purchased,
                "hold" => OrderState::Held,
                "clearing" => OrderState::Cleared,
                other => {
                    return Err(CliError::usage(format!(
                        "invalid --after `{other}`: expected purchase, hold or clearing"
                    )))
                }
            };
            let op = match amount {
                None => ExecTran::void(id, state),
                Some(a) => {
                    if state != OrderState::Purchased {
                        return Err(CliError::usage(
                            "invalid --amount: a partial void is only documented after a \
                             purchase (--after purchase); omit --amount for a full void",
                        ));
                    }
                    ExecTran::partial_void(id, positive_money(&a, &currency)?)
                }
            };
            let config = config()?;
            send_tran(ctx, &op, &config)
        }
        Command::Clear {
            id,
            amount,
            currency,
        } => {
            let id = parse_id("id", &id)?;
            let amount = positive_money(&amount, &currency)?;
            let config = config()?;
            send_tran(ctx, &ExecTran::clearing(id).amount(amount), &config)
        }
        Command::SaveCard {
            amount,
            currency,
            description,
        }
        | Command::PayAndSaveCard {
            amount,
            currency,
            description,
        } => {
            let amount = positive_money(&amount, &currency)?;
            let op = CreateOrder::purchase(amount)
                .description(description)
                .initiation_env_kind(InitiationEnvKind::Browser)
                .hpp_cof_capture_purposes([
                    CofPurpose::UnspecifiedMit,
                    CofPurpose::Cit,
                    CofPurpose::Recurring,
                ])
                .add_card();
            let config = config()?;
            match send(ctx, &op, &config)? {
                Some(created) => {
                    let next = format!(
                        "after payment, `azpay kapital order --id {} --detailed` shows the saved \
                         card's id (storedTokens[].id) for pay-with-saved-card --token",
                        created.id
                    );
                    finish_created(ctx, &created, Some(next))
                }
                None => Ok(()),
            }
        }
        Command::PayWithSavedCard {
            token,
            amount,
            currency,
            description,
        } => {
            let stored = parse_id("token", &token)?;
            let amount = positive_money(&amount, &currency)?;
            let mut flow = PayWithSavedCard::new(amount, stored);
            if let Some(d) = description {
                flow = flow.description(d);
            }
            let config = config()?;
            drive_flow(ctx, &mut flow, &config, |f| {
                (f.failed_step().or(f.pending_step()), f.order_id())
            })
        }
        Command::Payout {
            amount,
            currency,
            card,
            description,
        } => {
            let amount = positive_money(&amount, &currency)?;
            if card.is_empty() || !card.bytes().all(|b| b.is_ascii_digit()) {
                return Err(CliError::usage(
                    "invalid --card: expected the card number, 12 to 19 digits",
                ));
            }
            let mut flow = Payout::new(amount, card);
            if let Some(d) = description {
                flow = flow.description(d);
            }
            let config = config()?;
            drive_flow(ctx, &mut flow, &config, |f| {
                (f.failed_step().or(f.pending_step()), f.order_id())
            })
        }
        Command::VerifyRedirect { id, status } => {
            let claim = UnverifiedRedirect::from_parts(&id, &status).map_err(|e| {
                let flag = match e {
                    kapital::RedirectError::InvalidStatus => "--status",
                    _ => "--id",
                };
                CliError::usage(format!("invalid {flag}: {e}"))
            })?;
            let config = config()?;
            if let Some(order) = send(ctx, &claim.verify(), &config)? {
                let state = order.state;
                let matches = claim.claim_matches(&order);
                let note = if matches {
                    format!("the gateway confirms the claimed status {}", order.status)
                } else {
                    format!(
                        "the claimed status `{}` differs from the verified status `{}`: \
                         trust the verified status",
                        claim.claimed_status(),
                        order.status
                    )
                };
                print_outcome(
                    ctx,
                    &VerifiedView {
                        state,
                        order_id: order.id,
                        claimed_status: claim.claimed_status().to_owned(),
                        verified_status: order.status.to_string(),
                        claim_matches: matches,
                        paid: order.status.is_paid(),
                        note,
                    },
                );
                if !ctx.json {
                    // The verdict comes last, from the gateway's answer alone.
                    print_verdict(&if order.status.is_paid() {
                        format!(
                            "VERIFIED by the gateway: order {} is paid (status {})",
                            order.id, order.status
                        )
                    } else {
                        format!(
                            "VERIFIED by the gateway: order {} is NOT paid (status {}); \
                             deliver nothing",
                            order.id, order.status
                        )
                    });
                }
                return exit_for_state(state, order.status.as_str());
            }
            Ok(())
        }
    }
}

/// Runs a flow: on `--dry-run` prints its first request; otherwise drives it and prints the
/// outcome. A failure names the step and the order already created (`where_failed`), and
/// exits as [`from_error`] says: 4 when money may have moved, 1 otherwise, 2 only when the
/// first request could not be built (nothing was sent).
fn drive_flow<F>(
    ctx: &Ctx,
    flow: &mut F,
    config: &Config,
    where_failed: impl Fn(&F) -> (Option<FlowStep>, Option<u64>),
) -> Result<(), CliError>
where
    F: Flow<Gateway = Kapital, Output = FlowOutcome>,
{
    if ctx.dry_run {
        run_flow(ctx, flow, config, &transport)?;
        return Ok(());
    }
    let t = transport()?;
    match execute_flow(flow, config, &t) {
        Ok(outcome) => finish_flow(ctx, &outcome),
        Err(e) => Err(flow_failed(e, where_failed(flow))),
    }
}

fn flow_failed(e: Error<ApiError>, (step, order): (Option<FlowStep>, Option<u64>)) -> CliError {
    if let Error::Build(b) = &e {
        if b.field() == Some("pan") {
            // The payout's card number, refused before anything was sent.
            let reason = b.to_string();
            let reason = reason.trim_start_matches("invalid `pan`: ");
            return CliError::usage(format!("invalid --card: {reason}"));
        }
    }
    let nothing_sent = e.nothing_sent();
    let mut err = from_error(e);
    if let Some(step) = step {
        if !nothing_sent || order.is_some() {
            err.message = format!("step {step} failed: {}", err.message);
        }
    }
    if let Some(id) = order {
        err.message = format!(
            "{}; order {id} was created: check it with `azpay kapital order --id {id} --detailed`",
            err.message
        );
    }
    err
}

fn finish_flow(ctx: &Ctx, outcome: &FlowOutcome) -> Result<(), CliError> {
    #[derive(Serialize)]
    struct View<'a> {
        state: State,
        order_id: u64,
        approval_code: Option<&'a str>,
        pmo_result_code: Option<String>,
        rid_by_pmo: Option<&'a str>,
        tran_action_id: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        decline: Option<&'a kapital::Decline>,
        card: Option<&'a str>,
    }
    let t = &outcome.tran;
    let token = &outcome.token;
    print_outcome(
        ctx,
        &View {
            state: outcome.state,
            order_id: outcome.order_id,
            approval_code: t.approval_code.as_deref(),
            pmo_result_code: t.pmo_result_code.as_ref().map(|c| c.to_string()),
            rid_by_pmo: t.rid_by_pmo.as_deref(),
            tran_action_id: t.tran_action_id.as_deref(),
            decline: t.decline.as_ref(),
            card: token
                .src_token
                .as_ref()
                .or(token.dst_token.as_ref())
                .and_then(|s| s.display_name.as_deref()),
        },
    );
    exit_for_state(outcome.state, &tran_word(t))
}
