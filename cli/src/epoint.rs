//! `azpay epoint ...` (CLI.md).

use crate::common::{CliError, Ctx};

/// The `azpay epoint` commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Placeholder until the epoint commands land.
    #[command(hide = true)]
    Pending,
}

/// Runs one `azpay epoint` command.
pub fn run(_ctx: &Ctx, command: Command) -> Result<(), CliError> {
    match command {
        Command::Pending => Err(CliError::failed(
            "the epoint commands are not implemented yet",
        )),
    }
}
