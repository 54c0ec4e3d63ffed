//! `socialledger report`: the per-channel report as a terminal table, HTML, JSON or CSV.

use crate::args::{Cli, ReportArgs, ReportFormat};
use crate::output;
use anyhow::Context;
use socialledger_domain::Dataset;
use socialledger_report::standard::{render_report, report_mix, StandardOptions};
use socialledger_report::Format;
use std::process::ExitCode;

pub async fn run(cli: &Cli, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let settings = super::analysis::settings(&store, &args.analysis).await?;
    let dataset = store.load_for_analysis().await?;
    let format = format_of(cli, args);
    // One fit of the mix model (with --mmm) serves its own section and the verdict. A dataset that makes no panel
    // (too short, no inputs) leaves the section out with a line on stderr: the rest of the report stands on its own.
    let (mix, mmm) = match args.mmm.then(|| report_mix(&dataset, &settings, super::mmm::fallback_note(cli.quiet))) {
        Some((mix, section)) => {
            if let (Err(e), false) = (&mix, cli.quiet) {
                eprintln!("socialledger: the mix model is left out of the report: {e}");
            }
            (Some(mix), section)
        }
        None => (None, None),
    };
    // The verdict's cross-posting audit reads the posts with their metrics; without deals there is no verdict.
    let posts = if dataset.deals.is_empty() { Dataset::default() } else { store.posts_with_metrics().await? };
    let text = render_report(
        &dataset,
        &posts,
        &settings,
        StandardOptions {
            title: args.title.clone(),
            generated_at: chrono::Utc::now(),
            format: match format {
                ReportFormat::Terminal => Format::Terminal,
                ReportFormat::Html => Format::Html,
                ReportFormat::Json => Format::Json,
                ReportFormat::Csv => Format::Csv,
            },
            width: output::terminal_width(),
            mix,
            mmm: mmm.as_ref(),
        },
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
