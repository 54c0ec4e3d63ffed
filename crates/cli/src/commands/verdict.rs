//! `socialledger verdict`: keep, grow, fix, drop or undecided per channel. This file runs the analyses on the
//! database (costs and heuristic ROI, the incremental model with its bootstrap, the cross-posting audit, the
//! engagement-rate trend, the response times, the mix model); crates/decide turns their figures into the verdict report (`verdict::report`) and crates/report
//! writes it.

use super::experiment_units::{self, Grouping};
use crate::args::{Cli, VerdictArgs};
use crate::output;
use socialledger_analytics::attribution::account_paths::account_paths;
use socialledger_analytics::attribution::comparison::DEFAULT_INTENT;
use socialledger_analytics::attribution::data_driven::{attribute_paths, DataDrivenModel, Uncertainty};
use socialledger_analytics::attribution::paths::DataDrivenResult;
use socialledger_analytics::attribution::JourneyPurpose;
use socialledger_analytics::crosspost::{crosspost_audit, CrosspostOptions};
use socialledger_analytics::engagement_trend::engagement_trends;
use socialledger_analytics::mix_panel::{build_panel, PanelOptions};
use socialledger_analytics::responses::responses;
use socialledger_analytics::target_group::{self, TargetGroup};
use socialledger_analytics::value_beyond_sales::{value_beyond_sales, ValueAssumptions};
use socialledger_analytics::{value_of_target, Analysis, Settings, ValueOfTarget};
use socialledger_decide::experiment::LEVEL;
use socialledger_decide::verdict::experiments::ExperimentEffect;
use socialledger_decide::verdict::report::{verdict_report, EvidenceSummary, Found, Mix};
use socialledger_decide::verdict::{Units, VerdictReport};
use socialledger_domain::Dataset;
use socialledger_mmm::{fit_auto, FitOptions, Fitted, Frequency, NutsSettings, Panel};
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
    let settings = super::analysis::settings(&args.analysis)?;
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

/// Runs every analysis the verdict reads and builds the verdict report (also the report's first page).
/// `mix`: the mix model already built and fitted by the caller (`report --mmm` shows the same fit in its own
/// section: fitting it twice would double the slowest step); `None` builds it here as `opts` says.
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
    let crossposts = crosspost_audit(&posts, settings, &CrosspostOptions::default()).ok();
    let trends = engagement_trends(dataset, settings, &opts.execution.trend);
    let response_times =
        (!dataset.conversations.is_empty()).then(|| responses(dataset, settings, &opts.execution.responses));
    let (incremental, incremental_note) = match incremental_model(dataset, settings, opts) {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e)),
    };
    let mix = mix.unwrap_or_else(|| mix_model(cli, dataset, settings, opts.mmm.then_some(opts.seed), false));
    let (mix, mmm_note) = match mix {
        Ok(m) if m.fitted.is_none() => (Some(m), Some(opts.without_mmm.to_string())),
        Ok(m) => (Some(m), None),
        Err(e) => (None, Some(e.to_string())),
    };
    // The regions' and accounts' weekly pipeline over the panel's weeks: what geo-splits and account holdouts are
    // read out and planned on.
    let units = mix.as_ref().filter(|m| m.panel.frequency == Frequency::Weekly).map(|m| {
        let dates = &m.panel.dates;
        (
            experiment_units::pipeline(dataset, dates, Grouping::Region, settings.currency),
            experiment_units::pipeline(dataset, dates, Grouping::Account, settings.currency),
        )
    });
    let mut experiment_notes = Vec::new();
    let mut experiments: Vec<ExperimentEffect> = Vec::new();
    for path in &files.experiments {
        let (Some(panel), Some((regions, accounts))) = (mix.as_ref().map(|m| &m.panel), units.as_ref()) else {
            anyhow::bail!(
                "{}: an experiment is read out on the weekly pipeline panel, and there is none",
                path.display()
            );
        };
        let saved = super::experiment::read_plan(path)?;
        let (effect, notes) = super::experiment::read_effect(path, &saved, panel, Some((regions, accounts)))?;
        experiment_notes.extend(notes.into_iter().map(|n| format!("{}: {n}", path.display())));
        experiments.push(effect);
    }
    let evidence = EvidenceSummary {
        mmm: mix.as_ref().is_some_and(|m| m.fitted.is_some()),
        mmm_note,
        incremental: incremental.is_some(),
        incremental_note,
        crossposts: crossposts.is_some(),
        engagement_trend: true,
        responses: response_times.is_some(),
        experiments: experiments.len(),
        experiment_notes,
    };
    let target_group = files.target_group.as_ref().map(|g| target_group::fit(dataset, settings, g));
    let value_beyond = files.values.as_ref().map(|v| value_beyond_sales(dataset, settings, v));
    let found = Found {
        incremental: incremental.as_ref(),
        crossposts: crossposts.as_ref(),
        trends: Some(&trends),
        responses: response_times.as_ref(),
        mix: mix.as_ref().map(|m| Mix { panel: &m.panel, fitted: m.fitted.as_ref(), value: &m.value }),
        target_group: target_group.as_ref(),
        value_beyond: value_beyond.as_ref(),
        experiments: &experiments,
        regions: units.as_ref().map(|u| Units { names: &u.0.names, outcome: &u.0.outcome }),
        accounts: units.as_ref().map(|u| Units { names: &u.1.names, outcome: &u.1.outcome }),
    };
    Ok(verdict_report(dataset, analysis, settings, &found, evidence, opts.seed))
}

/// The incremental model on the revenue journeys, with a bootstrap interval of each channel's added revenue.
fn incremental_model(dataset: &Dataset, settings: &Settings, opts: VerdictOptions) -> Result<DataDrivenResult, String> {
    let built = account_paths(dataset, settings, JourneyPurpose::Revenue);
    if built.paths.rows.is_empty() {
        return Err("no journeys with touchpoints to fit it on".into());
    }
    let model = DataDrivenModel::Incremental { intent: DEFAULT_INTENT.iter().map(|s| s.to_string()).collect() };
    attribute_paths(&built.paths, &model, Uncertainty { reps: opts.reps, seed: opts.seed, level: LEVEL })
        .map_err(|e| e.to_string())
}

/// The default weekly pipeline panel, what a unit of it is worth, and its fit when there is one.
pub struct MixFit {
    pub panel: Panel,
    pub fitted: Option<Fitted>,
    pub value: ValueOfTarget,
}

/// The default weekly pipeline panel and its fit, as `mmm fit` and `report --mmm` have them: fitted with the
/// sampler's `seed` when there is one (else only the panel), cross-validated when the caller shows the check.
pub fn mix_model(
    cli: &Cli,
    dataset: &Dataset,
    settings: &Settings,
    seed: Option<u64>,
    cross_validate: bool,
) -> anyhow::Result<MixFit> {
    let panel_opts = PanelOptions::default();
    let built = build_panel(dataset, settings, &panel_opts)?;
    let value = value_of_target(&dataset.deals, panel_opts.target, settings.currency);
    let fitted = match seed {
        Some(seed) => {
            let fit_opts =
                FitOptions { value_per_unit: value.per_unit(), cross_validate, ..FitOptions::new(&built.panel) };
            let nuts = NutsSettings { seed, ..NutsSettings::default() };
            let f = fit_auto(&built.panel, &fit_opts, &nuts, super::mmm::fallback_note(cli.quiet))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            Some(f)
        }
        None => None,
    };
    Ok(MixFit { panel: built.panel, fitted, value })
}
