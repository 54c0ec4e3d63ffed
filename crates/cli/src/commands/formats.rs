//! `socialledger formats`: the import formats and how each is recognised.

use crate::args::Cli;
use crate::output;
use serde::Serialize;
use std::process::ExitCode;

#[derive(Debug, Serialize)]
struct FormatOut {
    name: &'static str,
    description: &'static str,
}

pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let formats: Vec<FormatOut> = socialledger_import::formats::ALL
        .iter()
        .map(|f| FormatOut { name: f.name(), description: f.description() })
        .collect();
    if cli.json {
        output::print_json(&formats)?;
    } else {
        let width = formats.iter().map(|f| f.name.len()).max().unwrap_or(0);
        let text: String =
            formats.iter().map(|f| format!("{:<width$}  {}\n", f.name, f.description, width = width)).collect();
        output::print_text(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}
