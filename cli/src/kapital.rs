//! `azpay kapital ...` (CLI.md).

use crate::common::{CliError, Ctx};

/// The `azpay kapital` commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Placeholder until the kapital commands land.
    #[command(hide = true)]
    Pending,
}

/// Runs one `azpay kapital` command.
pub fn run(_ctx: &Ctx, command: Command) -> Result<(), CliError> {
    match command {
        Command::Pending => Err(CliError::failed(
            "the kapital commands are not implemented yet",
        )),
    }
}
