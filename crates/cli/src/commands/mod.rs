//! One module per subcommand; `run` dispatches.

mod analysis;
mod attribution;
mod channels;
mod demo;
mod formats;
mod import;
mod imports;
mod report;

use crate::args::{Cli, Command};
use std::process::ExitCode;

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Demo(args) => demo::run(&cli, args).await,
        Command::Import(args) => import::run(&cli, args).await,
        Command::Report(args) => report::run(&cli, args).await,
        Command::Attribution(args) => attribution::run(&cli, args).await,
        Command::Channels(args) => channels::run(&cli, args).await,
        Command::Formats => formats::run(&cli),
        Command::Imports => imports::run(&cli).await,
    }
}

/// Opens the database named by `--db`/`SOCIALLEDGER_DB`/default, with a message that says what to do on failure.
pub async fn open_store(location: &str) -> anyhow::Result<socialledger_store::Store> {
    use anyhow::Context;
    socialledger_store::Store::open(location)
        .await
        .with_context(|| "cannot open the database; check --db or SOCIALLEDGER_DB".to_string())
}
