//! `socialledger report`: the per-channel report as a terminal table, HTML, JSON or CSV.

use crate::args::{Cli, ReportArgs, ReportFormat};
use crate::output;
use anyhow::Context;
use socialledger_domain::Dataset;
use socialledger_report::standard::{render_report, StandardOptions};
use socialledger_report::{Format, MmmSection};
use std::process::ExitCode;

pub async fn run(cli: &Cli, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let settings = super::analysis::settings(&store, &args.analysis).await?;
    let dataset = store.load_for_analysis().await?;
    let format = format_of(cli, args);
    // One fit of the mix model (with --mmm) serves its own section and the verdict.
    let mix = args.mmm.then(|| super::verdict::mix_model(cli, &dataset, &settings, Some(0), true));
    let mmm = mix.as_ref().and_then(|m| mix_section(cli, m));
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
            mix: mix.map(|m| m.map_err(|e| e.to_string())),
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

/// The mix model's section from the default weekly pipeline panel and its fit (fast, or NUTS where the fast
/// approximation does not hold), with next quarter's plan. A dataset that makes no panel (too short, no inputs)
/// leaves the section out with a line on stderr: the rest of the report stands on its own.
fn mix_section(cli: &Cli, mix: &anyhow::Result<super::verdict::MixFit>) -> Option<MmmSection> {
    let m = match mix {
        Ok(m) => m,
        Err(e) => {
            if !cli.quiet {
                eprintln!("socialledger: the mix model is left out of the report: {e}");
            }
            return None;
        }
    };
    let f = m.fitted.as_ref()?;
    Some(MmmSection::of_fit(&m.panel, f, &m.value))
}
