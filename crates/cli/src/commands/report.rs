//! `socialledger report`: the per-channel report as a terminal table, HTML, JSON or CSV.

use crate::args::{Cli, ReportArgs, ReportFormat};
use crate::output;
use anyhow::Context;
use socialledger_analytics::attribution::comparison::compare_models_for_report;
use socialledger_report::{render_for_width, Format, ReportInput};
use std::process::ExitCode;

pub async fn run(cli: &Cli, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let settings = super::analysis::settings(&args.analysis)?;
    let (dataset, analysis) = super::analysis::load_and_analyze(&store, &settings).await?;
    // The data-driven models are fitted only where they are shown (HTML, JSON); the table formats skip them.
    let comparison = matches!(format_of(cli, args), ReportFormat::Html | ReportFormat::Json)
        .then(|| compare_models_for_report(&dataset, &settings, &analysis.attribution));
    let format = format_of(cli, args);
    let text = render_for_width(
        &ReportInput {
            analysis: &analysis,
            dataset: &dataset,
            settings: &settings,
            generated_at: chrono::Utc::now(),
            title: args.title.clone(),
            comparison: comparison.as_ref(),
            mmm: None,
        },
        match format {
            ReportFormat::Terminal => Format::Terminal,
            ReportFormat::Html => Format::Html,
            ReportFormat::Json => Format::Json,
            ReportFormat::Csv => Format::Csv,
        },
        output::terminal_width(),
    )?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, &text).with_context(|| format!("cannot write {}", path.display()))?;
            if !cli.quiet {
                eprintln!("report written to {}", path.display());
            }
        }
        None => output::print_text(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn format_of(cli: &Cli, args: &ReportArgs) -> ReportFormat {
    if cli.json {
        ReportFormat::Json
    } else {
        args.format
    }
}
