//! `socialledger report`: the per-channel report as a terminal table, HTML, JSON or CSV.

use crate::args::{Cli, ReportArgs, ReportFormat};
use crate::output;
use anyhow::Context;
use socialledger_analytics::attribution::comparison::compare_models_for_report;
use socialledger_mmm::allocate::{allocate, AllocateRequest};
use socialledger_report::{render_for_width, Format, MmmSection, ReportInput};
use std::process::ExitCode;

pub async fn run(cli: &Cli, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let settings = super::analysis::settings(&args.analysis)?;
    let (dataset, analysis) = super::analysis::load_and_analyze(&store, &settings).await?;
    // The data-driven models are fitted only where they are shown (HTML, JSON); the table formats skip them.
    let comparison = matches!(format_of(cli, args), ReportFormat::Html | ReportFormat::Json)
        .then(|| compare_models_for_report(&dataset, &settings, &analysis.attribution));
    let format = format_of(cli, args);
    // One fit of the mix model (with --mmm) serves its own section and the verdict.
    let mix = args.mmm.then(|| super::verdict::mix_model(cli, &dataset, &settings, Some(0), true));
    let mmm = mix.as_ref().and_then(|m| mix_section(cli, m));
    // The report leads with the verdict. Without --mmm it rests on the incremental model (fast); a database
    // without deals has nothing to weigh, so it has none.
    let verdict = if dataset.deals.is_empty() {
        None
    } else {
        let opts = super::verdict::VerdictOptions {
            mmm: args.mmm,
            reps: socialledger_analytics::attribution::comparison::REPORT_BOOTSTRAP.reps,
            seed: 7,
            without_mmm: "not fitted (report --mmm fits it, and the verdict then reads it)",
            execution: Default::default(),
        };
        let files = Default::default();
        Some(super::verdict::gather(cli, &store, &dataset, &analysis, &settings, opts, &files, mix).await?)
    };
    let text = render_for_width(
        &ReportInput {
            analysis: &analysis,
            dataset: &dataset,
            settings: &settings,
            generated_at: chrono::Utc::now(),
            title: args.title.clone(),
            comparison: comparison.as_ref(),
            mmm: mmm.as_ref(),
            verdict: verdict.as_ref(),
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
    let req = AllocateRequest { horizon: 13, ..AllocateRequest::default() };
    let allocation = allocate(&f.model, &m.panel, &f.point, &f.draws, f.result.spec.level, &req).ok();
    Some(MmmSection { result: f.result.clone(), allocation, value_of_target: m.value.clone() })
}
