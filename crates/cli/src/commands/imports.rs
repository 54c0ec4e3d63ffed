//! `socialledger imports`: the files imported so far, newest last; `imports undo ID` takes a whole import back
//! (the store does the work, see `socialledger_store::undo`).

use crate::args::{Cli, ImportsAction, ImportsArgs};
use crate::output;
use std::process::ExitCode;

pub async fn run(cli: &Cli, args: &ImportsArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        None => list(cli).await,
        Some(ImportsAction::Undo { id }) => undo(cli, *id).await,
    }
}

async fn list(cli: &Cli) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let imports = store.imports().await?;
    if cli.json {
        output::print_json(&imports)?;
    } else if imports.is_empty() {
        eprintln!("nothing imported yet: socialledger import FILE...");
    } else {
        let text: String = imports
            .iter()
            .map(|i| {
                let undone = i.undone_at.map(|at| format!("  (undone {at})")).unwrap_or_default();
                format!(
                    "{:>5}  {}  {:<28} {:>8} rows  {}{undone}\n",
                    i.id, i.imported_at, i.format, i.rows, i.file_name
                )
            })
            .collect();
        output::print_text(&text)?;
    }
    Ok(if imports.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Undoes import `id` as the command line (no user): see `socialledger_store::Store::undo_import`.
async fn undo(cli: &Cli, id: i64) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let outcome = store.undo_import(id, None).await?;
    if cli.json {
        output::print_json(&outcome)?;
    } else {
        let mut text = format!("undid import {} ({}, {})\n", outcome.import_id, outcome.file_name, outcome.format);
        for t in &outcome.tables {
            text.push_str(&format!("  {:<16} {:>8} deleted {:>8} restored\n", t.table, t.deleted, t.restored));
        }
        if !outcome.kept_channels.is_empty() {
            text.push_str(&format!("kept channels other records refer to: {}\n", outcome.kept_channels.join(", ")));
        }
        output::print_text(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}
