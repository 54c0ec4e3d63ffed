//! `socialledger report`: the per-channel report as a terminal table, HTML, JSON or CSV.

use crate::args::{Cli, ReportArgs, ReportFormat};
use crate::output;
use anyhow::Context;
use socialledger_analytics::attribution::comparison::compare_models_for_report;
use socialledger_analytics::mix_panel::{build_panel, PanelOptions};
use socialledger_analytics::{value_of_target, Settings};
use socialledger_domain::Dataset;
use socialledger_mmm::allocate::{allocate, AllocateRequest};
use socialledger_mmm::{fit_auto, FitOptions, NutsSettings};
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
    let mmm = if args.mmm { mix_model(cli, &dataset, &settings) } else { None };
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
        Some(super::verdict::gather(cli, &store, &dataset, &analysis, &settings, opts, &Default::default()).await?)
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

/// The mix model's section: the default weekly pipeline panel, the default fit (fast, or NUTS where the fast
/// approximation does not hold) and next quarter's plan. A dataset
/// that makes no panel (too short, no inputs) leaves the section out with a line on stderr: the rest of the
/// report stands on its own.
fn mix_model(cli: &Cli, dataset: &Dataset, settings: &Settings) -> Option<MmmSection> {
    let run = || -> anyhow::Result<MmmSection> {
        let panel_opts = PanelOptions::default();
        let built = build_panel(dataset, settings, &panel_opts)?;
        // Valued as `mmm fit` values the same panel: pipeline at the CRM's win rate when it has one.
        let value_of_target = value_of_target(&dataset.deals, panel_opts.target, settings.currency);
        let opts = FitOptions { value_per_unit: value_of_target.per_unit(), ..FitOptions::new(&built.panel) };
        let f = fit_auto(&built.panel, &opts, &NutsSettings::default(), super::mmm::fallback_note(cli.quiet))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let req = AllocateRequest { horizon: 13, ..AllocateRequest::default() };
        let allocation = allocate(&f.model, &built.panel, &f.point, &f.draws, opts.spec.level, &req).ok();
        Ok(MmmSection { result: f.result, allocation, value_of_target })
    };
    match run() {
        Ok(section) => Some(section),
        Err(e) => {
            if !cli.quiet {
                eprintln!("socialledger: the mix model is left out of the report: {e}");
            }
            None
        }
    }
}
