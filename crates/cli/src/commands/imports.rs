//! `socialledger imports`: the files imported so far, newest last.

use crate::args::Cli;
use crate::output;
use std::process::ExitCode;

pub async fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let imports = store.imports().await?;
    if cli.json {
        output::print_json(&imports)?;
    } else if imports.is_empty() {
        eprintln!("nothing imported yet: socialledger import FILE...");
    } else {
        let text: String = imports
            .iter()
            .map(|i| format!("{}  {:<28} {:>8} rows  {}\n", i.imported_at, i.format, i.rows, i.file_name))
            .collect();
        output::print_text(&text)?;
    }
    Ok(if imports.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
