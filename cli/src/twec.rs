//! `azpay twec ...` (`docs/cli.md`): the TWEC / TranzWare XML gateway (Kapital Bank's `TKKPG`
//! interface, and other banks' by configuration).
//!
//! Configuration: `TWEC_BASE_URL` (Kapital test), `TWEC_MERCHANT_ID` (required),
//! `TWEC_LANGUAGE` (`EN`), `TWEC_APPROVE_URL`, `TWEC_CANCEL_URL`, `TWEC_DECLINE_URL`,
//! `TWEC_CLIENT_CERT` + `TWEC_CLIENT_KEY` (PEM files for mutual TLS; not needed with
//! `--dry-run`), `TWEC_CA_CERT` (optional PEM), and two extras: `TWEC_FORM` (`kapital` or
//! `generic`, the Refund/Reverse dialect; default `kapital`) and `TWEC_LANGUAGE_CASE`
//! (`upper` or `lower`; default `upper`).

use std::io::Read;

use azpay_core::twec::{
    self, Completion, Config, CreateOrder, GetOrderInformation, GetOrderStatus, LanguageCase,
    OperationOutcome, RefundPayment, RequestForm, Reverse,
};
use azpay_core::{ClientIdentity, Language};
use azpay_transport_blocking::BlockingTransport;

use crate::common::{
    check_env_text, check_env_url, env_opt, exit_for_state, invalid_env, invalid_env_build,
    parse_amount, parse_currency, print_json, print_line, print_outcome, print_verdict, run_flow,
    run_operation, CliError, Ctx,
};

/// The `azpay twec` commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an order (Purchase, or PreAuth with --preauth) and print the payment page URL.
    CreateOrder {
        /// Amount in major units, at most two decimals (sent in minor units: 10.50 -> 1050).
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Currency, numeric or alphabetic (Kapital accepts only 944, AZN).
        #[arg(long, allow_hyphen_values = true, default_value = "944")]
        currency: String,
        /// Order description.
        #[arg(long)]
        description: String,
        /// Hold the funds only (PreAuth); capture later with `azpay twec complete`.
        #[arg(long)]
        preauth: bool,
        /// Print the payment page as an HTML document whose form POSTs ORDERID and
        /// SESSIONID to the gateway's URL and submits itself (instead of the outcome).
        #[arg(long)]
        html: bool,
    },
    /// The gateway's own status of an order (GetOrderStatus): the one to trust.
    Status {
        /// OrderID from create-order.
        #[arg(long, allow_hyphen_values = true)]
        order_id: String,
        /// SessionID from create-order.
        #[arg(long, allow_hyphen_values = true)]
        session_id: String,
    },
    /// The full record of an order (GetOrderInformation).
    Info {
        /// OrderID from create-order.
        #[arg(long, allow_hyphen_values = true)]
        order_id: String,
        /// SessionID from create-order.
        #[arg(long, allow_hyphen_values = true)]
        session_id: String,
        /// Ask for the order's parameters (ShowParams).
        #[arg(long)]
        show_params: bool,
        /// Ask for the order's operations (ShowOperations).
        #[arg(long)]
        show_operations: bool,
        /// Ask for the classic view (ClassicView).
        #[arg(long)]
        classic_view: bool,
    },
    /// Refund a paid order (all or part).
    Refund {
        /// OrderID of the purchase.
        #[arg(long, allow_hyphen_values = true)]
        order_id: String,
        /// SessionID of the purchase.
        #[arg(long, allow_hyphen_values = true)]
        session_id: String,
        /// Amount to refund, major units.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// TranId: the purchase's TwoId (Kapital). Without it, azpay asks
        /// GetOrderInformation for it first and refuses if the order has none.
        #[arg(long, allow_hyphen_values = true)]
        tran_id: Option<String>,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        /// Currency of the amount.
        #[arg(long, allow_hyphen_values = true, default_value = "944")]
        currency: String,
    },
    /// Void an order (Reverse).
    Reverse {
        /// OrderID.
        #[arg(long, allow_hyphen_values = true)]
        order_id: String,
        /// SessionID.
        #[arg(long, allow_hyphen_values = true)]
        session_id: String,
        /// Partial amount (generic form only; Kapital voids the whole order).
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        /// TranId (Kapital).
        #[arg(long, allow_hyphen_values = true)]
        tran_id: Option<String>,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        /// Currency of the amount.
        #[arg(long, allow_hyphen_values = true, default_value = "944")]
        currency: String,
    },
    /// Capture a pre-authorised order (Completion).
    Complete {
        /// OrderID of the PreAuth order.
        #[arg(long, allow_hyphen_values = true)]
        order_id: String,
        /// SessionID of the PreAuth order.
        #[arg(long, allow_hyphen_values = true)]
        session_id: String,
        /// Amount to capture, major units.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        /// Currency of the amount.
        #[arg(long, allow_hyphen_values = true, default_value = "944")]
        currency: String,
    },
    /// Read the `xmlmsg` posted to the approve/decline/cancel URL from stdin (the form body,
    /// or the XML itself, plain or base64) and print its fields. They are UNVERIFIED.
    ParseXmlout,
}

const UNVERIFIED: &str = "UNVERIFIED: this message came through the customer's browser and can be forged; \
confirm the order with `azpay twec status --order-id <OrderID> --session-id <SessionId>` before delivering anything.";

/// Runs one `azpay twec` command.
pub fn run(ctx: &Ctx, command: Command) -> Result<(), CliError> {
    match command {
        Command::ParseXmlout => parse_xmlout(ctx),
        Command::CreateOrder {
            amount,
            currency,
            description,
            preauth,
            html,
        } => {
            let currency = parse_currency("currency", &currency)?;
            let amount = parse_amount("amount", &amount, currency)?;
            let config = config()?.currency(currency);
            for (var, value) in [
                ("TWEC_APPROVE_URL", config.default_approve_url()),
                ("TWEC_CANCEL_URL", config.default_cancel_url()),
                ("TWEC_DECLINE_URL", config.default_decline_url()),
            ] {
                if value.is_none() {
                    return Err(CliError::usage(format!(
                        "missing environment variable {var} (where the gateway sends the customer back)"
                    )));
                }
            }
            let op = if preauth {
                CreateOrder::preauth(amount, description)
            } else {
                CreateOrder::purchase(amount, description)
            };
            if let Some(order) = run_operation(ctx, &op, &config, &transport)? {
                if html {
                    // The page by POST (seed 001: POST or GET); every value is escaped.
                    for line in order.payment_form_html().lines() {
                        print_line(line);
                    }
                } else {
                    print_outcome(ctx, &order);
                }
                return exit_for_state(order.state, "Status 00");
            }
            Ok(())
        }
        Command::Status {
            order_id,
            session_id,
        } => {
            let config = config()?;
            let op = GetOrderStatus::new(order_id, session_id);
            if let Some(status) = run_operation(ctx, &op, &config, &transport)? {
                print_outcome(ctx, &status);
                return exit_for_state(status.state, status.order_status.as_str());
            }
            Ok(())
        }
        Command::Info {
            order_id,
            session_id,
            show_params,
            show_operations,
            classic_view,
        } => {
            let config = config()?;
            let mut op = GetOrderInformation::new(order_id, session_id);
            if show_params {
                op = op.show_params(true);
            }
            if show_operations {
                op = op.show_operations(true);
            }
            if classic_view {
                op = op.classic_view(true);
            }
            if let Some(info) = run_operation(ctx, &op, &config, &transport)? {
                print_outcome(ctx, &info);
                let word = info
                    .order_status
                    .as_ref()
                    .map_or("no Orderstatus", |s| s.as_str());
                return exit_for_state(info.state, word);
            }
            Ok(())
        }
        Command::Refund {
            order_id,
            session_id,
            amount,
            tran_id,
            description,
            currency,
        } => {
            let currency = parse_currency("currency", &currency)?;
            let amount = parse_amount("amount", &amount, currency)?;
            let config = config()?.currency(currency);
            // Without --tran-id (Kapital's form needs it): GetOrderInformation first, then
            // the Refund with the payment's TwoId; refused clearly when there is none.
            let mut flow = RefundPayment::new(order_id, session_id, amount).tran_id_opt(tran_id);
            if let Some(d) = description {
                flow = flow.description(d);
            }
            finish(ctx, run_flow(ctx, &mut flow, &config, &transport)?)
        }
        Command::Reverse {
            order_id,
            session_id,
            amount,
            tran_id,
            description,
            currency,
        } => {
            let currency = parse_currency("currency", &currency)?;
            let config = config()?.currency(currency);
            let mut op = Reverse::new(order_id, session_id);
            if let Some(a) = amount {
                if config.form_in_use() == RequestForm::Kapital {
                    return Err(CliError::usage(
                        "--amount is not accepted by Kapital's Reverse (it voids the whole order); \
                         set TWEC_FORM=generic for banks that take a partial amount",
                    ));
                }
                op = op.amount(parse_amount("amount", &a, currency)?);
            }
            if let Some(t) = tran_id {
                op = op.tran_id(t);
            }
            if let Some(d) = description {
                op = op.description(d);
            }
            finish(ctx, run_operation(ctx, &op, &config, &transport)?)
        }
        Command::Complete {
            order_id,
            session_id,
            amount,
            description,
            currency,
        } => {
            let currency = parse_currency("currency", &currency)?;
            let amount = parse_amount("amount", &amount, currency)?;
            let config = config()?.currency(currency);
            let mut op = Completion::new(order_id, session_id, amount);
            if let Some(d) = description {
                op = op.description(d);
            }
            finish(ctx, run_operation(ctx, &op, &config, &transport)?)
        }
    }
}

/// Prints a Completion/Reverse/Refund outcome, then exits by its state: a declining
/// response code is 3, a code azpay does not know 5.
fn finish(ctx: &Ctx, outcome: Option<OperationOutcome>) -> Result<(), CliError> {
    let Some(outcome) = outcome else {
        return Ok(());
    };
    print_outcome(ctx, &outcome);
    let word = match &outcome.response_code {
        Some(c) => match c.description() {
            Some(d) => format!("response code {c} ({d})"),
            None => format!("response code {c}"),
        },
        None => "Status 00".to_owned(),
    };
    exit_for_state(outcome.state, &word)
}

/// The configuration from the `TWEC_*` variables (no certificate: see [`transport`]).
fn config() -> Result<Config, CliError> {
    let merchant = env_opt("TWEC_MERCHANT_ID").ok_or_else(|| {
        CliError::usage(
            "missing environment variable TWEC_MERCHANT_ID (the merchant id your bank issued; \
             for a local gateway, run `azpay sandbox`)",
        )
    })?;
    check_env_text("TWEC_MERCHANT_ID", &merchant)?;
    let mut config = Config::kapital_test(merchant);
    if let Some(url) = env_opt("TWEC_BASE_URL") {
        config = config
            .base_url(url)
            .map_err(|e| invalid_env_build("TWEC_BASE_URL", e))?;
    }
    if let Some(lang) = env_opt("TWEC_LANGUAGE") {
        let language: Language = lang.parse().map_err(|e| invalid_env("TWEC_LANGUAGE", e))?;
        config = config.language(language);
    }
    if let Some(case) = env_opt("TWEC_LANGUAGE_CASE") {
        config = config.language_case(match case.to_ascii_lowercase().as_str() {
            "upper" => LanguageCase::Upper,
            "lower" => LanguageCase::Lower,
            _ => {
                return Err(invalid_env(
                    "TWEC_LANGUAGE_CASE",
                    format!("`{case}` is neither upper nor lower"),
                ))
            }
        });
    }
    if let Some(form) = env_opt("TWEC_FORM") {
        config = config.form(match form.to_ascii_lowercase().as_str() {
            "kapital" => RequestForm::Kapital,
            "generic" => RequestForm::Generic,
            _ => {
                return Err(invalid_env(
                    "TWEC_FORM",
                    format!("`{form}` is neither kapital nor generic"),
                ))
            }
        });
    }
    if let Some(u) = env_opt("TWEC_APPROVE_URL") {
        check_env_url("TWEC_APPROVE_URL", &u)?;
        config = config.approve_url(u);
    }
    if let Some(u) = env_opt("TWEC_CANCEL_URL") {
        check_env_url("TWEC_CANCEL_URL", &u)?;
        config = config.cancel_url(u);
    }
    if let Some(u) = env_opt("TWEC_DECLINE_URL") {
        check_env_url("TWEC_DECLINE_URL", &u)?;
        config = config.decline_url(u);
    }
    Ok(config)
}

/// Reads the PEM file named by `var`; a missing variable or unreadable file is exit 2.
fn read_pem(var: &str, what: &str, required: bool) -> Result<Option<Vec<u8>>, CliError> {
    let Some(path) = env_opt(var) else {
        if required {
            return Err(CliError::usage(format!(
                "missing environment variable {var} (PEM file of {what}; TWEC authenticates \
                 the merchant by mutual TLS; for a local gateway, run `azpay sandbox`)"
            )));
        }
        return Ok(None);
    };
    let bytes = std::fs::read(&path)
        .map_err(|e| CliError::usage(format!("cannot read {var}={path}: {e}")))?;
    if !bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        return Err(CliError::usage(format!(
            "{var}={path} is not a PEM file (no -----BEGIN line)"
        )));
    }
    Ok(Some(bytes))
}

/// The client identity from `TWEC_CLIENT_CERT`, `TWEC_CLIENT_KEY` and `TWEC_CA_CERT`.
fn client_identity() -> Result<ClientIdentity, CliError> {
    let cert = read_pem(
        "TWEC_CLIENT_CERT",
        "the bank-issued client certificate",
        true,
    )?;
    let key = read_pem(
        "TWEC_CLIENT_KEY",
        "the client certificate's private key",
        true,
    )?;
    let (Some(cert), Some(key)) = (cert, key) else {
        return Err(CliError::usage(
            "TWEC_CLIENT_CERT and TWEC_CLIENT_KEY are required",
        ));
    };
    let mut identity = ClientIdentity::from_pem(cert, key);
    if let Some(ca) = read_pem("TWEC_CA_CERT", "the bank's CA certificate", false)? {
        identity = identity.with_ca_pem(ca);
    }
    Ok(identity)
}

/// The TWEC transport: the blocking transport with the merchant's TLS client identity.
/// Called only when a request is really sent (never on `--dry-run`).
fn transport() -> Result<BlockingTransport, CliError> {
    let identity = client_identity()?;
    BlockingTransport::builder()
        .client_identity(identity)
        .build()
        .map_err(|e| CliError::usage(format!("could not set up the TLS client identity: {e}")))
}

fn parse_xmlout(ctx: &Ctx) -> Result<(), CliError> {
    let limit = azpay_core::MAX_BODY_BYTES as u64 + 1;
    let mut input = Vec::new();
    std::io::stdin()
        .take(limit)
        .read_to_end(&mut input)
        .map_err(|e| CliError::failed(format!("cannot read stdin: {e}")))?;
    let msg = twec::parse_xmlout(&input).map_err(|e| match e {
        azpay_core::ResponseError::Malformed { reason, .. } => {
            CliError::failed(format!("not an XMLOut message: {reason}"))
        }
        other => CliError::failed(format!("not an XMLOut message: {other}")),
    })?;
    if ctx.json {
        let mut value = serde_json::to_value(&msg).unwrap_or(serde_json::Value::Null);
        if let serde_json::Value::Object(map) = &mut value {
            map.insert("warning".into(), UNVERIFIED.into());
        }
        print_json(&value);
    } else {
        print_outcome(ctx, &msg);
        // Last, so that nothing printed from the message can scroll it away or follow it.
        print_verdict(UNVERIFIED);
    }
    // Unverified is undecided: exit 5 whatever the message claims (the claim is the word).
    let claimed = msg
        .unverified_order_status()
        .map_or("no OrderStatus", |s| s.as_str());
    exit_for_state(msg.state, &format!("unverified {claimed}"))
}
