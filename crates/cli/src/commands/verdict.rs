//! `socialledger verdict`: keep, grow, fix, drop or undecided per channel. This file loads the database, reads
//! the user's files and fits the mix model; `socialledger_decide::verdict::gather` runs the other analyses and
//! turns their figures into the verdict report, and crates/report writes it.

use crate::args::{Cli, VerdictArgs};
use crate::output;
use socialledger_analytics::target_group::TargetGroup;
use socialledger_analytics::value_beyond_sales::ValueAssumptions;
use socialledger_analytics::{Analysis, Settings};
use socialledger_decide::verdict::experiments::ExperimentEffect;
use socialledger_decide::verdict::gather as gathering;
use socialledger_decide::verdict::VerdictReport;
use socialledger_domain::Dataset;
use socialledger_store::Store;
use std::process::ExitCode;

/// How the verdict is gathered.
#[derive(Clone, Copy, Debug)]
pub struct VerdictOptions {
    /// Fit the mix model (seconds; minutes on long panels).
    pub mmm: bool,
    /// Bootstrap replicates of the incremental model.
    pub reps: usize,
    pub seed: u64,
    /// Why the mix model was not fitted, when `mmm` is false (names the flag that fits it).
    pub without_mmm: &'static str,
    /// When engagement counts as falling and responses as slow.
    pub execution: super::execution::Thresholds,
}

/// The user's own files the verdict may read: the target group and the values of work beyond sales.
#[derive(Default)]
pub struct UserFiles {
    pub target_group: Option<TargetGroup>,
    pub values: Option<ValueAssumptions>,
    /// Saved experiment plans to read out.
    pub experiments: Vec<std::path::PathBuf>,
}

pub async fn run(cli: &Cli, args: &VerdictArgs) -> anyhow::Result<ExitCode> {
    let execution = super::execution::Thresholds::from_args(&args.execution)?;
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let settings = super::analysis::settings(&store, &args.analysis).await?;
    let (dataset, analysis) = super::analysis::load_and_analyze(&store, &settings).await?;
    if dataset.deals.is_empty() {
        anyhow::bail!(
            "no deals in the database: a verdict weighs what channels bring against what they cost; import the \
             CRM's deals first (socialledger import deals.csv), or run socialledger demo"
        );
    }
    if !cli.quiet {
        eprintln!("weighing the evidence: costs, the incremental model, the cross-posting audit, the mix model");
    }
    let opts = VerdictOptions {
        mmm: !args.no_mmm,
        reps: args.reps as usize,
        seed: args.seed,
        without_mmm: "left out (--no-mmm)",
        execution,
    };
    let files = UserFiles {
        target_group: args.icp.as_deref().map(super::target_group::read_target_group).transpose()?,
        values: args.values.as_deref().map(super::value_beyond_sales::read_assumptions).transpose()?,
        experiments: args.experiment.clone(),
    };
    let report = gather(cli, &store, &dataset, &analysis, &settings, opts, &files, None).await?;
    if cli.json {
        output::print_json(&report)?;
    } else {
        output::print_text(&socialledger_report::verdict_text::text(&report, output::terminal_width()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads the posts, fits the mix model when `opts` says so, and runs [`gather`](socialledger_decide::verdict::gather::gather)
/// with the user's files (the report's first page too). `mix`: the mix model already built and fitted by the
/// caller (`report --mmm` shows the same fit in its own section: fitting it twice would double the slowest step);
/// `None` builds it here as `opts` says.
#[allow(clippy::too_many_arguments)]
pub async fn gather(
    cli: &Cli,
    store: &Store,
    dataset: &Dataset,
    analysis: &Analysis,
    settings: &Settings,
    opts: VerdictOptions,
    files: &UserFiles,
    mix: Option<anyhow::Result<MixFit>>,
) -> anyhow::Result<VerdictReport> {
    let posts = store.posts_with_metrics().await?;
    let mix = mix.unwrap_or_else(|| mix_model(cli, dataset, settings, opts.mmm.then_some(opts.seed)));
    let lib_opts = gathering::VerdictOptions {
        reps: opts.reps,
        seed: opts.seed,
        without_mmm: opts.without_mmm,
        trend: opts.execution.trend,
        responses: opts.execution.responses,
    };
    let inputs = gathering::UserInputs { target_group: files.target_group.as_ref(), values: files.values.as_ref() };
    let read = |basis: Option<gathering::ExperimentBasis<'_>>| -> anyhow::Result<gathering::ReadExperiments> {
        let mut notes = Vec::new();
        let mut experiments: Vec<ExperimentEffect> = Vec::new();
        for path in &files.experiments {
            let Some(basis) = basis.as_ref() else {
                anyhow::bail!(
                    "{}: an experiment is read out on the weekly pipeline panel, and there is none",
                    path.display()
                );
            };
            let saved = super::experiment::read_plan(path)?;
            let (effect, read_notes) =
                super::experiment::read_effect(path, &saved, basis.panel, Some((basis.regions, basis.accounts)))?;
            notes.extend(read_notes.into_iter().map(|n| format!("{}: {n}", path.display())));
            experiments.push(effect);
        }
        Ok((experiments, notes))
    };
    gathering::gather(dataset, &posts, analysis, settings, lib_opts, &inputs, mix.map_err(|e| e.to_string()), read)
}

pub use socialledger_decide::verdict::gather::MixFit;

/// The default weekly pipeline panel and its fit, as `mmm fit` and `report --mmm` have them: fitted with the
/// sampler's `seed` when there is one (else only the panel), cross-validated so that the fit's `out_of_sample`
/// check runs before the verdict reads it (`socialledger_decide::verdict::gather::fitted_pipeline_mix`, which
/// `report --mmm` and the web app call too).
pub fn mix_model(cli: &Cli, dataset: &Dataset, settings: &Settings, seed: Option<u64>) -> anyhow::Result<MixFit> {
    match seed {
        Some(seed) => {
            gathering::fitted_pipeline_mix(dataset, settings, seed, true, super::mmm::fallback_note(cli.quiet))
                .map_err(anyhow::Error::msg)
        }
        None => Ok(gathering::pipeline_panel(dataset, settings)?),
    }
}
