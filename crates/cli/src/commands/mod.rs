//! One module per subcommand; `run` dispatches.

mod analysis;
mod attribution;
mod channels;
mod crossposts;
mod demo;
pub(crate) mod execution;
mod experiment;
mod experiment_designs;
mod experiment_units;
mod formats;
mod import;
mod import_stream;
mod imports;
mod mmm;
mod mmm_panel;
mod report;
mod serve;
mod settings;
mod target_group;
mod targets;
mod time;
mod user;
mod value_beyond_sales;
pub(crate) mod verdict;

use crate::args::{Cli, Command};
use socialledger_store::{Backend, IfMissing, Store, StoreError};
use std::process::ExitCode;

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Demo(args) => demo::run(&cli, args).await,
        Command::Import(args) => import::run(&cli, args).await,
        Command::Report(args) => report::run(&cli, args).await,
        Command::Attribution(args) => attribution::run(&cli, args).await,
        Command::Channels(args) => channels::run(&cli, args).await,
        Command::Crossposts(args) => crossposts::run(&cli, args).await,
        Command::Mmm(args) => mmm::run(&cli, args).await,
        Command::Experiment(args) => experiment::run(&cli, args).await,
        Command::Verdict(args) => verdict::run(&cli, args).await,
        Command::Execution(args) => execution::run(&cli, args).await,
        Command::TargetGroup(args) => target_group::run(&cli, args).await,
        Command::ValueBeyondSales(args) => value_beyond_sales::run(&cli, args).await,
        Command::Serve(args) => serve::run(&cli, args).await,
        Command::User(args) => user::run(&cli, args).await,
        Command::Time(args) => time::run(&cli, args).await,
        Command::Targets(args) => targets::run(&cli, args).await,
        Command::Settings(args) => settings::run(&cli, args).await,
        Command::Formats => formats::run(&cli),
        Command::Imports(args) => imports::run(&cli, args).await,
    }
}

/// Opens the database named by `--db`/`SOCIALLEDGER_DB`/default for a command that writes, creating it when
/// missing: a SQLite file silently, a PostgreSQL database with a line on stderr (even with `--quiet`: a mistyped
/// database name would otherwise go unnoticed).
pub async fn open_store(location: &str) -> anyhow::Result<Store> {
    let store = open(location, IfMissing::Create).await?;
    if store.created() && store.backend() == Backend::Postgres {
        eprintln!("socialledger: created the PostgreSQL database {} (it did not exist)", store.location());
    }
    Ok(store)
}

/// Opens the database for a command that only reads: a location without a socialledger database is an error
/// ("no socialledger database at PATH; import data first"), and nothing is created.
pub async fn open_existing_store(location: &str) -> anyhow::Result<Store> {
    open(location, IfMissing::Fail).await
}

/// Opens the store, with a message that says what to do on failure. A missing database, and one that cannot be
/// created, say that in one line of their own.
async fn open(location: &str, if_missing: IfMissing) -> anyhow::Result<Store> {
    use anyhow::Context;
    match Store::open_with(location, if_missing).await {
        Ok(store) => Ok(store),
        Err(err @ (StoreError::NotFound { .. } | StoreError::CreateDatabase { .. })) => Err(err.into()),
        Err(err) => Err(err).context("cannot open the database; check --db or SOCIALLEDGER_DB"),
    }
}
