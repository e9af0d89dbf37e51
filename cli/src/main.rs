//! `azpay`: the merchant's terminal tool over the azpay library (see `shared/CLI.md`).
//!
//! Exit codes: 0 success, 1 failure (gateway error, bad signature), 2 bad input (nothing
//! sent), 3 declined payment, 4 transport failure whose outcome is unknown.
#![forbid(unsafe_code)]

mod common;
mod demo;
mod epoint;
mod kapital;
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
    /// Run a local simulator of all three gateways and print the settings that point azpay at it.
    Sandbox(sandbox::SandboxArgs),
    /// Walk each gateway through pay, verify, status and refund against a built-in sandbox.
    Demo(demo::DemoArgs),
}

fn main() {
    let cli = Cli::parse();
    let ctx = common::Ctx {
        dry_run: cli.dry_run,
        show_secrets: cli.show_secrets,
        json: cli.json,
    };
    let result = match cli.command {
        Top::Epoint(c) => epoint::run(&ctx, c),
        Top::Kapital(c) => kapital::run(&ctx, c),
        Top::Twec(c) => twec::run(&ctx, c),
        Top::Sandbox(a) => sandbox::run(&ctx, a),
        Top::Demo(a) => demo::run(&ctx, a),
    };
    if let Err(e) = result {
        eprintln!("azpay: {}", e.message);
        std::process::exit(e.code);
    }
}
