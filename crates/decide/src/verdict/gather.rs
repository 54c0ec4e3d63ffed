//! Runs every analysis the verdict reads on data already loaded (costs and heuristic ROI come with the
//! [`Analysis`]; here: the incremental model with its bootstrap, the cross-posting audit, the engagement-rate
//! trend, the response times, the weekly pipeline panel and the regions' and accounts' pipeline) and builds the
//! verdict report. One composition for every caller (`socialledger verdict`, `socialledger report`, the web app's
//! stored analyses), so they cannot disagree.

use super::experiments::ExperimentEffect;
use super::report::{verdict_report, EvidenceSummary, Found, Mix};
use super::{Units, VerdictReport};
use crate::experiment::LEVEL;
use socialledger_analytics::attribution::account_paths::account_paths;
use socialledger_analytics::attribution::comparison::{DEFAULT_INTENT, REPORT_BOOTSTRAP};
use socialledger_analytics::attribution::data_driven::{attribute_paths, DataDrivenModel, Uncertainty};
use socialledger_analytics::attribution::paths::DataDrivenResult;
use socialledger_analytics::attribution::JourneyPurpose;
use socialledger_analytics::crosspost::{crosspost_audit, CrosspostOptions};
use socialledger_analytics::engagement_trend::{engagement_trends, TrendOptions};
use socialledger_analytics::experiment_units::{self, Grouping};
use socialledger_analytics::mix_panel::{build_panel, PanelOptions};
use socialledger_analytics::responses::{responses, ResponseOptions};
use socialledger_analytics::target_group::{self, TargetGroup};
use socialledger_analytics::value_beyond_sales::{value_beyond_sales, ValueAssumptions};
use socialledger_analytics::{value_of_target, Analysis, AnalyticsError, Settings, ValueOfTarget};
use socialledger_domain::Dataset;
use socialledger_mmm::{fit_auto, FitOptions, Fitted, Frequency, NutsSettings, Panel};

/// How the verdict is gathered.
#[derive(Clone, Copy, Debug)]
pub struct VerdictOptions {
    /// Bootstrap replicates of the incremental model.
    pub reps: usize,
    pub seed: u64,
    /// Why the mix model was not fitted, when the caller passes a panel without a fit (names what fits it).
    pub without_mmm: &'static str,
    /// When engagement counts as falling.
    pub trend: TrendOptions,
    /// When responses count as slow.
    pub responses: ResponseOptions,
}

impl VerdictOptions {
    /// The options of the report's verdict (`socialledger report`, the web app): the report's bootstrap, seed 7,
    /// the default thresholds.
    pub fn report() -> VerdictOptions {
        VerdictOptions {
            reps: REPORT_BOOTSTRAP.reps,
            seed: 7,
            without_mmm: "not fitted (report --mmm fits it, and the verdict then reads it)",
            trend: TrendOptions::default(),
            responses: ResponseOptions::default(),
        }
    }
}

/// The default weekly pipeline panel, what a unit of it is worth, and its fit when there is one.
pub struct MixFit {
    pub panel: Panel,
    pub fitted: Option<Fitted>,
    pub value: ValueOfTarget,
}

/// The default weekly pipeline panel without a fit (fitting is the caller's: it takes seconds to minutes).
pub fn pipeline_panel(dataset: &Dataset, settings: &Settings) -> Result<MixFit, AnalyticsError> {
    let panel_opts = PanelOptions::default();
    let built = build_panel(dataset, settings, &panel_opts)?;
    let value = value_of_target(&dataset.deals, panel_opts.target, settings.currency);
    Ok(MixFit { panel: built.panel, fitted: None, value })
}

/// The default weekly pipeline panel and its fit with the sampler's `seed`: the fast fit, else NUTS where the fast
/// approximation does not hold (`on_fallback` hears the failed check before the slower sampling starts),
/// cross-validated when `cross_validate`. What `mmm fit`, `report --mmm` and the web app's Mix page fit, so they
/// cannot disagree. The error says why there is no fit (a panel too short, no inputs, a fit that failed).
pub fn fitted_pipeline_mix(
    dataset: &Dataset,
    settings: &Settings,
    seed: u64,
    cross_validate: bool,
    on_fallback: impl FnOnce(&socialledger_mmm::result::Check),
) -> Result<MixFit, String> {
    let MixFit { panel, value, .. } = pipeline_panel(dataset, settings).map_err(|e| e.to_string())?;
    let fit_opts = FitOptions { value_per_unit: value.per_unit(), cross_validate, ..FitOptions::new(&panel) };
    let nuts = NutsSettings { seed, ..NutsSettings::default() };
    let fitted = fit_auto(&panel, &fit_opts, &nuts, on_fallback).map_err(|e| e.to_string())?;
    Ok(MixFit { panel, fitted: Some(fitted), value })
}

/// The user's own inputs the verdict may read.
#[derive(Default)]
pub struct UserInputs<'a> {
    pub target_group: Option<&'a TargetGroup>,
    pub values: Option<&'a ValueAssumptions>,
}

/// The weekly pipeline panel and the regions' and accounts' pipeline over its weeks: what experiments are read
/// out on ([`gather`] passes them to the caller's reader of saved experiment plans).
pub struct ExperimentBasis<'a> {
    pub panel: &'a Panel,
    pub regions: &'a experiment_units::Units,
    pub accounts: &'a experiment_units::Units,
}

/// Experiments read out by the caller, and the notes on plans it could not read.
pub type ReadExperiments = (Vec<ExperimentEffect>, Vec<String>);

/// Runs every analysis the verdict reads and builds the verdict report. `posts`: the posts with their metrics
/// (`Store::posts_with_metrics`), for the cross-posting audit. `mix`: the weekly pipeline panel, fitted or not, or
/// why there is none. `experiments` reads the caller's saved experiment plans on the panel's weeks (`None` when
/// there is no weekly panel).
#[allow(clippy::too_many_arguments)]
pub fn gather<E>(
    dataset: &Dataset,
    posts: &Dataset,
    analysis: &Analysis,
    settings: &Settings,
    opts: VerdictOptions,
    inputs: &UserInputs<'_>,
    mix: Result<MixFit, String>,
    experiments: impl FnOnce(Option<ExperimentBasis<'_>>) -> Result<ReadExperiments, E>,
) -> Result<VerdictReport, E> {
    let crossposts = crosspost_audit(posts, settings, &CrosspostOptions::default()).ok();
    let trends = engagement_trends(dataset, settings, &opts.trend);
    let response_times = (!dataset.conversations.is_empty()).then(|| responses(dataset, settings, &opts.responses));
    let (incremental, incremental_note) = match incremental_model(dataset, settings, opts) {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e)),
    };
    let (mix, mmm_note) = match mix {
        Ok(m) if m.fitted.is_none() => (Some(m), Some(opts.without_mmm.to_string())),
        Ok(m) => (Some(m), None),
        Err(e) => (None, Some(e)),
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
    let basis = match (mix.as_ref(), units.as_ref()) {
        (Some(m), Some((regions, accounts))) => Some(ExperimentBasis { panel: &m.panel, regions, accounts }),
        _ => None,
    };
    let (experiments, experiment_notes) = experiments(basis)?;
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
    let target_group = inputs.target_group.map(|g| target_group::fit(dataset, settings, g));
    let value_beyond = inputs.values.map(|v| value_beyond_sales(dataset, settings, v));
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

/// The verdict of the report (`socialledger report`, the web app's Overview): [`gather`] with
/// [`VerdictOptions::report`], no user files, no experiments, on `mix` (the fitted panel of `report --mmm`; `None`
/// builds the panel without a fit). `None` when the data has no deals: there is nothing to weigh.
pub fn report_verdict(
    dataset: &Dataset,
    posts: &Dataset,
    analysis: &Analysis,
    settings: &Settings,
    mix: Option<Result<MixFit, String>>,
) -> Option<VerdictReport> {
    if dataset.deals.is_empty() {
        return None;
    }
    let mix = mix.unwrap_or_else(|| pipeline_panel(dataset, settings).map_err(|e| e.to_string()));
    let read = |_: Option<ExperimentBasis<'_>>| Ok::<_, std::convert::Infallible>((Vec::new(), Vec::new()));
    match gather(dataset, posts, analysis, settings, VerdictOptions::report(), &UserInputs::default(), mix, read) {
        Ok(report) => Some(report),
        Err(never) => match never {},
    }
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
