//! `azpay twec ...` (CLI.md).

use crate::common::{CliError, Ctx};

/// The `azpay twec` commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Placeholder until the twec commands land.
    #[command(hide = true)]
    Pending,
}

/// Runs one `azpay twec` command.
pub fn run(_ctx: &Ctx, command: Command) -> Result<(), CliError> {
    match command {
        Command::Pending => Err(CliError::failed(
            "the twec commands are not implemented yet",
        )),
    }
}
