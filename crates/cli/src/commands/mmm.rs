//! `socialledger mmm`: the marketing mix model. The panel comes from the database (as `mmm panel` builds it) or
//! from a CSV prepared elsewhere; the fit and every figure are computed in crates/mmm, the text in crates/report.

use crate::args::{
    AdstockArg, Cli, MmmAction, MmmAllocateArgs, MmmArgs, MmmCounterfactualArgs, MmmFitArgs, SamplerArg, SaturationArg,
    TargetArg,
};
use crate::output;
use anyhow::Context;
use serde::Serialize;
use socialledger_analytics::target_value::without_money_roi;
use socialledger_analytics::ValueOfTarget;
use socialledger_domain::Dataset;
use socialledger_mmm::allocate::{allocate, AllocateRequest};
use socialledger_mmm::calibration::{calibrate, Calibrated, Calibration};
use socialledger_mmm::result::Check;
use socialledger_mmm::{
    fit_auto, fit_fast_full, fit_nuts, AdstockKind, FitOptions, Fitted, Frequency, ModelSpec, NutsSettings, Panel,
    Priors, SaturationKind,
};
use std::collections::BTreeMap;
use std::process::ExitCode;

/// A result as `--json` prints it, with `value_of_target` beside its own fields: what the ROI figures rest on,
/// and the experiments that calibrated the fit.
#[derive(Serialize)]
struct Valued<'a, T: Serialize> {
    #[serde(flatten)]
    inner: &'a T,
    value_of_target: &'a ValueOfTarget,
    #[serde(skip_serializing_if = "<[Calibrated]>::is_empty")]
    calibration: &'a [Calibrated],
}

pub async fn run(cli: &Cli, args: &MmmArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        MmmAction::Panel(args) => super::mmm_panel::run(cli, args).await,
        MmmAction::Fit(fit) => run_fit(cli, fit).await,
        MmmAction::Counterfactual(args) => run_counterfactual(cli, args).await,
        MmmAction::Allocate(args) => run_allocate(cli, args).await,
    }
}

async fn run_counterfactual(cli: &Cli, args: &MmmCounterfactualArgs) -> anyhow::Result<ExitCode> {
    let PanelInput { panel, value, dataset } = load_panel(cli, &args.fit).await?;
    let (mut opts, calibration) = options(cli, &panel, &value, dataset.as_ref(), &args.fit).await?;
    opts.cross_validate = false;
    let fitted = fit(&panel, &opts, &args.fit, cli.quiet)?;
    let periods = args.periods.unwrap_or(opts.counterfactual_periods);
    let cf = socialledger_mmm::counterfactual::without(&fitted, &panel, &args.without, periods)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if cli.json {
        output::print_json(&Valued { inner: &cf, value_of_target: &value, calibration: &calibration })?;
    } else {
        let width = output::terminal_width();
        let lines = socialledger_report::mmm_text::counterfactual_text(&cf, &value, &panel.currency, width);
        output::print_text(&lines.join("\n"))?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn run_allocate(cli: &Cli, args: &MmmAllocateArgs) -> anyhow::Result<ExitCode> {
    let PanelInput { panel, value, dataset } = load_panel(cli, &args.fit).await?;
    let (mut opts, _) = options(cli, &panel, &value, dataset.as_ref(), &args.fit).await?;
    opts.cross_validate = false;
    let per_week = match args.period.as_str() {
        "next-quarter" => 13,
        "next-month" => 4,
        "next-half-year" => 26,
        other => anyhow::bail!("--period {other}: use next-month, next-quarter or next-half-year"),
    };
    let horizon = if panel.frequency == Frequency::Weekly { per_week } else { per_week * 7 };
    let mut bounds: BTreeMap<String, (Option<f64>, Option<f64>)> = BTreeMap::new();
    for (list, is_min) in [(&args.min, true), (&args.max, false)] {
        for item in list {
            let (key, amount) = item
                .split_once('=')
                .with_context(|| format!("--{} {item}: write KEY=AMOUNT", if is_min { "min" } else { "max" }))?;
            let amount: f64 =
                amount.trim().parse().ok().filter(|v: &f64| v.is_finite() && *v >= 0.0).with_context(|| {
                    format!("--{} {item}: {amount:?} is not an amount >= 0", if is_min { "min" } else { "max" })
                })?;
            let entry = bounds.entry(key.trim().to_string()).or_default();
            if is_min {
                entry.0 = Some(amount);
            } else {
                entry.1 = Some(amount);
            }
        }
    }
    for (flag, v) in [("--budget", args.budget), ("--hours", args.hours)] {
        if let Some(v) = v {
            if !(v.is_finite() && v >= 0.0) {
                anyhow::bail!("{flag} must be an amount >= 0, not {v}");
            }
        }
    }
    let fitted = fit(&panel, &opts, &args.fit, cli.quiet)?;
    let req = AllocateRequest { horizon, budget: args.budget, hours: args.hours, bounds };
    let plan = allocate(&fitted.model, &panel, &fitted.point, &fitted.draws, opts.spec.level, &req)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if cli.json {
        output::print_json(&plan)?;
    } else {
        let lines = socialledger_report::mmm_text::allocation_text(&plan, &panel.currency, output::terminal_width());
        output::print_text(&lines.join("\n"))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The line on stderr when the default fit turns to NUTS, so the wait that follows is explained.
pub(crate) fn fallback_note(quiet: bool) -> impl FnOnce(&Check) {
    move |failed: &Check| {
        if !quiet {
            eprintln!(
                "note: the fast approximation does not hold for this panel ({:.1} % effective draws): sampling the \
                 full posterior (NUTS), which takes longer",
                100.0 * failed.value
            );
        }
    }
}

/// Fits with the sampler the flags ask for.
pub(crate) fn fit(panel: &Panel, opts: &FitOptions, args: &MmmFitArgs, quiet: bool) -> anyhow::Result<Fitted> {
    let settings = NutsSettings { seed: args.seed, ..NutsSettings::default() };
    let fitted = match args.sampler {
        SamplerArg::Auto => fit_auto(panel, opts, &settings, fallback_note(quiet)),
        SamplerArg::Fast => fit_fast_full(panel, opts),
        SamplerArg::Nuts => fit_nuts(panel, opts, &settings),
    };
    fitted.map_err(|e| anyhow::anyhow!("{e}"))
}

async fn run_fit(cli: &Cli, args: &MmmFitArgs) -> anyhow::Result<ExitCode> {
    let PanelInput { panel, value, dataset } = load_panel(cli, args).await?;
    let (opts, calibration) = options(cli, &panel, &value, dataset.as_ref(), args).await?;
    let mut result = fit(&panel, &opts, args, cli.quiet)?.result;
    if value.value.is_none() {
        without_money_roi(&mut result);
    }
    if cli.json {
        output::print_json(&Valued { inner: &result, value_of_target: &value, calibration: &calibration })?;
    } else {
        let mut lines = socialledger_report::mmm_text::fit_text(&result, &value, output::terminal_width());
        lines.extend(calibration_lines(&calibration, &result.target));
        output::print_text(&lines.join("\n"))?;
    }
    // A fit that failed its checks is not an answer: exit 1, as for "nothing found", so scripts notice.
    Ok(if result.diagnostics.passed { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// A panel to fit, with what one unit of its target is worth and, when it was built from the database, the
/// dataset it was built from (so that experiments read their regions and accounts without a second load).
pub(crate) struct PanelInput {
    pub panel: Panel,
    pub value: ValueOfTarget,
    /// `None` for a `--csv` panel.
    pub dataset: Option<Dataset>,
}

/// The panel: from `--csv`, else from the database (as `mmm panel` builds it; its notes go to stderr), with
/// what one unit of its target is worth: `--value-per-unit`, else the CRM's history (database), else 1 (CSV).
pub(crate) async fn load_panel(cli: &Cli, args: &MmmFitArgs) -> anyhow::Result<PanelInput> {
    let given = match args.value_per_unit {
        Some(v) if v.is_finite() && v > 0.0 => Some(ValueOfTarget::given(v)),
        Some(v) => anyhow::bail!("--value-per-unit must be a positive number, not {v}"),
        None => None,
    };
    let Some(path) = &args.csv else {
        let db = super::mmm_panel::load_panel(cli, &args.panel, database_target(args)?).await?;
        if !cli.quiet {
            for note in &db.built.notes {
                eprintln!("note: {}", note.text);
            }
        }
        return Ok(PanelInput {
            panel: db.built.panel,
            value: given.unwrap_or(db.value_of_target),
            dataset: Some(db.dataset),
        });
    };
    if let Some(controls) = &args.panel.controls_csv {
        anyhow::bail!(
            "--controls-csv {} is for a panel built from the database; with --csv name the file's control columns \
             with --controls",
            controls.display()
        );
    }
    let target = args.target.clone().context("--csv needs --target COL: the column of the outcome")?;
    if args.media.is_empty() {
        anyhow::bail!("--csv needs --media COLS: the channel columns, comma-separated");
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let cols = socialledger_import::panel_csv::PanelColumns {
        date: args.date.clone(),
        target,
        media: args.media.clone(),
        controls: args.controls.clone(),
    };
    let panel = socialledger_import::panel_csv::read_panel(&path.display().to_string(), &bytes, &cols)?;
    Ok(PanelInput { panel, value: given.unwrap_or_else(ValueOfTarget::as_given), dataset: None })
}

/// `--target` of a panel built from the database (pipeline when not given); with `--csv` it names a column instead.
pub(crate) fn database_target(args: &MmmFitArgs) -> anyhow::Result<TargetArg> {
    Ok(match args.target.as_deref().unwrap_or("pipeline") {
        "pipeline" => TargetArg::Pipeline,
        "revenue" => TargetArg::Revenue,
        "deals" => TargetArg::Deals,
        other => anyhow::bail!("--target {other}: from the database the target is pipeline, revenue or deals"),
    })
}

/// Fit options from the flags; contributions are valued at `value` per unit of the target (1 when it has none:
/// the fit's money ROI is then withheld, see [`socialledger_analytics::target_value::without_money_roi`]). With
/// `--calibrate`, each experiment's readout sets its channel's effect prior; what it set comes back beside.
pub(crate) async fn options(
    cli: &Cli,
    panel: &Panel,
    value: &ValueOfTarget,
    dataset: Option<&Dataset>,
    args: &MmmFitArgs,
) -> anyhow::Result<(FitOptions, Vec<Calibrated>)> {
    let mut opts = FitOptions::new(panel);
    if let Some(path) = &args.priors {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        opts.priors = Priors::from_toml_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    let default = ModelSpec::default_for(panel.frequency);
    opts.spec = ModelSpec {
        adstock: match args.adstock {
            AdstockArg::Geometric => AdstockKind::Geometric,
            AdstockArg::WeibullPdf => AdstockKind::WeibullPdf,
            AdstockArg::WeibullCdf => AdstockKind::WeibullCdf,
        },
        l_max: args.l_max.unwrap_or(default.l_max),
        saturation: match args.saturation {
            SaturationArg::Logistic => SaturationKind::Logistic,
            SaturationArg::Hill => SaturationKind::Hill,
        },
        fourier_order: args.fourier,
        trend: !args.no_trend,
        level: args.level,
    };
    if args.draws < 100 {
        anyhow::bail!("--draws must be at least 100 for intervals worth reading, not {}", args.draws);
    }
    opts.value_per_unit = value.per_unit();
    opts.draws = args.draws;
    opts.seed = args.seed;
    opts.search.seed = args.seed;
    opts.cross_validate = !args.no_cv;
    let readouts = readouts(cli, panel, dataset, args)?;
    let (priors, calibrated) =
        calibrate(panel, &opts.spec, &opts.priors, &readouts).map_err(|e| anyhow::anyhow!("{e}"))?;
    opts.priors = priors;
    Ok((opts, calibrated))
}

/// `--calibrate PLAN...`: each experiment read out as `experiment analyze` reads it (a pause on the panel, a
/// geo-split on the regions' outcome, an account holdout on the accounts'), as the effect of a week the whole
/// channel runs as usual (as the verdict scales it). The regions and accounts are gathered from the database, in
/// the panel's target over its weeks (from the dataset the panel was built from), only when a plan needs them:
/// pauses also calibrate a `--csv` panel.
fn readouts(
    cli: &Cli,
    panel: &Panel,
    dataset: Option<&Dataset>,
    args: &MmmFitArgs,
) -> anyhow::Result<Vec<Calibration>> {
    if args.calibrate.is_empty() {
        return Ok(Vec::new());
    }
    if panel.frequency != Frequency::Weekly {
        anyhow::bail!("--calibrate reads experiments out on weeks: build the panel weekly (drop --frequency daily)");
    }
    let plans = args
        .calibrate
        .iter()
        .map(|path| Ok((path, super::experiment::read_plan(path)?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    // Without them (a --csv panel) `read_effect` refuses a geo-split or a holdout and says what to do.
    let units = if args.csv.is_none() && plans.iter().any(|(_, saved)| saved.needs_units()) {
        Some(super::experiment_units::regions_and_accounts(dataset, args, &panel.dates)?)
    } else {
        None
    };
    plans
        .iter()
        .map(|(path, saved)| {
            let units = units.as_ref().map(|(regions, accounts)| (regions, accounts));
            let (e, notes) = super::experiment::read_effect(path, saved, panel, units)?;
            if !cli.quiet {
                for note in notes {
                    eprintln!("note: {}: {note}", path.display());
                }
            }
            let effect = e.weekly_effect;
            Ok(Calibration {
                channel: e.channel,
                effect: effect.estimate,
                low: effect.low,
                high: effect.high,
                level: socialledger_decide::experiment::LEVEL,
                source: path.display().to_string(),
            })
        })
        .collect()
}

/// The lines under the fit's table that say which experiments calibrated it.
fn calibration_lines(calibrated: &[Calibrated], target: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for c in calibrated {
        let w = socialledger_decide::words::whole;
        let held = if c.low > 0.0 {
            "held near it".to_string()
        } else {
            format!("at most {} a week, possibly nothing", w(c.high.max(0.0)))
        };
        lines.push(format!(
            "Calibrated: {}'s effect prior is the experiment {}: {} a week of {target} (90 % interval {} to {}), {held}.",
            c.channel,
            c.source,
            w(c.effect),
            w(c.low),
            w(c.high)
        ));
    }
    if !lines.is_empty() {
        lines.insert(0, String::new());
    }
    lines
}
