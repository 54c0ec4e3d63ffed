//! One fit from panel to report: the mode, intervals from weighted draws (Laplace) or posterior draws (NUTS),
//! every channel figure computed per draw so intervals are honest about all parameters at once, the
//! identifiability gate, fit quality and the plain-language reading.

use crate::centred::Centred;
use crate::draws::{self, weighted_quantile, Draws};
use crate::fit::{Profile, SearchSettings};
use crate::model::{Model, Params};
use crate::nuts::{self, Coordinates, NutsSettings};
use crate::panel::Panel;
use crate::predict::Inputs;
use crate::priors::Priors;
use crate::result::*;
use crate::spec::ModelSpec;
use crate::{collapsed, cv, gate, reading, whatif, MmmError};
use rayon::prelude::*;
use std::time::Instant;

/// Everything a fit needs besides the panel.
#[derive(Clone, Debug)]
pub struct FitOptions {
    pub spec: ModelSpec,
    pub priors: Priors,
    pub search: SearchSettings,
    /// Importance draws of the fast fit.
    pub draws: usize,
    pub seed: u64,
    /// Money value of one unit of the target (1 when the target is money and counted whole).
    pub value_per_unit: f64,
    /// Periods of the "without channel X" question (52 weeks by default).
    pub counterfactual_periods: usize,
    /// Run the time-series cross-validation (refits the model a few times).
    pub cross_validate: bool,
    /// Which summary of the draws the channel figures report; `None` is the sampler's own: the mode for the
    /// fast fit (its draws are an approximation around it), the posterior mean for NUTS (as PyMC-Marketing).
    pub point: Option<PointEstimate>,
}

/// The point figure reported beside each interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PointEstimate {
    /// The figures at the posterior mode (MAP).
    Mode,
    /// The weighted posterior mean of each figure over the draws; shares are the mean of each draw's share.
    Mean,
    /// The weighted posterior median of each figure; shares are the medians rescaled to sum to 1.
    Median,
}

impl FitOptions {
    pub fn new(panel: &Panel) -> FitOptions {
        FitOptions {
            spec: ModelSpec::default_for(panel.frequency),
            priors: Priors::default(),
            search: SearchSettings::default(),
            draws: 1000,
            seed: 7,
            value_per_unit: 1.0,
            counterfactual_periods: (panel.frequency.periods_per_year().round() as usize).min(panel.len()),
            cross_validate: true,
            point: None,
        }
    }
}

/// The raw inputs of the panel, in model order.
pub fn inputs_of(panel: &Panel) -> Inputs {
    Inputs {
        dates: panel.dates.clone(),
        channels: panel.channels.iter().map(|c| c.values.clone()).collect(),
        controls: panel.controls.iter().map(|c| c.values.clone()).collect(),
    }
}

/// A fit with what produced its figures: the model, the point estimate and the draws behind the intervals
/// (the counterfactual and the allocator ask the same draws their questions).
#[derive(Clone, Debug)]
pub struct Fitted {
    pub model: Model,
    pub point: Params,
    pub draws: Draws,
    pub result: MmmResult,
}

/// Name of the fast fit's check that its importance weights kept enough effective draws.
pub const WEIGHTS_CHECK: &str = "importance_weights";

/// The fast fit: MAP, then importance-weighted draws of the posterior with the coefficients integrated out
/// ([`collapsed`]).
pub fn fit_fast(panel: &Panel, opts: &FitOptions) -> Result<MmmResult, MmmError> {
    fit_fast_full(panel, opts).map(|f| f.result)
}

/// [`fit_fast`], keeping the model and the draws.
pub fn fit_fast_full(panel: &Panel, opts: &FitOptions) -> Result<Fitted, MmmError> {
    let started = Instant::now();
    let model = Model::new(panel, &opts.spec, &opts.priors)?;
    let mode = Profile::new(&model).search(&opts.search)?;
    let (draws, info) = collapsed::draws(&model, &mode.params, opts.draws, opts.seed)?;
    let mut diag = Diagnostics {
        sampler: "fast".into(),
        passed: true,
        checks: Vec::new(),
        starts: mode.starts,
        starts_at_best: mode.starts_at_best,
        weight_ess_fraction: Some(info.weight_ess_fraction),
        max_rhat: None,
        min_ess_bulk: None,
        min_ess_tail: None,
        divergences: None,
        seconds: 0.0,
    };
    diag.checks.push(Check {
        check: "mode_search".into(),
        passed: mode.starts_at_best >= 2 || mode.starts == 1,
        value: mode.starts_at_best as f64,
        threshold: 2.0,
        message: format!(
            "{} of {} starting points reached the best mode{}",
            mode.starts_at_best,
            mode.starts,
            if mode.starts_at_best >= 2 { "" } else { ": another start might find a better one" }
        ),
    });
    diag.checks.push(Check {
        check: WEIGHTS_CHECK.into(),
        passed: info.weight_ess_fraction >= 0.1,
        value: info.weight_ess_fraction,
        threshold: 0.1,
        message: if info.weight_ess_fraction >= 0.1 {
            format!("the fast approximation holds ({:.0} % effective draws)", 100.0 * info.weight_ess_fraction)
        } else {
            format!(
                "the posterior is far from the fast approximation ({:.1} % effective draws): run --sampler nuts for its intervals",
                100.0 * info.weight_ess_fraction
            )
        },
    });
    let result = summarize_with(
        &model,
        panel,
        &mode.params,
        &draws,
        diag,
        opts,
        started,
        opts.point.unwrap_or(PointEstimate::Mode),
    )?;
    Ok(Fitted { model, point: mode.params, draws, result })
}

/// What `mmm fit` and the report run by default: the fast fit where its approximation holds, and where it does
/// not (its importance weights keep under 10 % effective draws, typical with many channels whose effects and
/// shapes trade off), the full posterior by NUTS instead, so that no interval is published from an
/// approximation known to be wrong. `on_fallback` hears the failed check before the (slower) sampling starts;
/// the result says in its diagnostics that it fell back, and why.
pub fn fit_auto(
    panel: &Panel,
    opts: &FitOptions,
    settings: &NutsSettings,
    on_fallback: impl FnOnce(&Check),
) -> Result<Fitted, MmmError> {
    let fast = fit_fast_full(panel, opts)?;
    let Some(failed) = fast.result.diagnostics.checks.iter().find(|c| c.check == WEIGHTS_CHECK && !c.passed) else {
        return Ok(fast);
    };
    on_fallback(failed);
    let mut nuts = fit_nuts(panel, opts, settings)?;
    nuts.result.diagnostics.checks.insert(
        0,
        Check {
            check: "fast_fallback".into(),
            passed: true,
            value: failed.value,
            threshold: failed.threshold,
            message: format!(
                "the fast approximation did not hold ({:.1} % effective draws): these figures are from the full \
                 posterior (NUTS)",
                100.0 * failed.value
            ),
        },
    );
    nuts.result.diagnostics.seconds += fast.result.diagnostics.seconds;
    Ok(nuts)
}

/// The full posterior: the MAP as the start, then NUTS (4 chains x 1000 warm-up + 1000 draws by default, in
/// the coordinates `settings.coordinates` names: centred by default, see [`crate::centred`]; the draws come
/// back in `z`), its R-hat, ESS and divergences as checks. Channel figures are posterior means with
/// equal-tailed intervals.
pub fn fit_nuts(panel: &Panel, opts: &FitOptions, settings: &NutsSettings) -> Result<Fitted, MmmError> {
    let started = Instant::now();
    let model = Model::new(panel, &opts.spec, &opts.priors)?;
    let mode = Profile::new(&model).search(&opts.search)?;
    let z0 = draws::z_mode(&model, &mode.params);
    let posterior = match settings.coordinates {
        Coordinates::Unconstrained => nuts::sample(&model, Some(&z0), settings)?,
        Coordinates::Centred => Centred::new(&model).sample(Some(&z0), settings)?,
    };
    let diagnostics = posterior.diagnostics(&model);
    let summary = posterior.summary(&diagnostics);
    let params: Vec<Params> = posterior.draws.iter().flatten().map(|z| model.params(z)).collect();
    let k = params.len().max(1);
    let draws = Draws { params, weights: vec![1.0 / k as f64; k] };
    let mut diag = Diagnostics {
        sampler: "nuts".into(),
        passed: true,
        checks: Vec::new(),
        starts: mode.starts,
        starts_at_best: mode.starts_at_best,
        weight_ess_fraction: None,
        max_rhat: Some(summary.max_rhat),
        min_ess_bulk: Some(summary.min_ess_bulk),
        min_ess_tail: Some(summary.min_ess_tail),
        divergences: Some(summary.divergences),
        seconds: 0.0,
    };
    let worst = |pick: &dyn Fn(&crate::diagnostics::Diagnostic) -> f64, max: bool| {
        diagnostics
            .iter()
            .filter(|d| pick(d).is_finite())
            .max_by(|a, b| if max { pick(a).total_cmp(&pick(b)) } else { pick(b).total_cmp(&pick(a)) })
            .map(|d| d.name.clone())
            .unwrap_or_default()
    };
    diag.checks.push(Check {
        check: "rhat".into(),
        passed: summary.max_rhat <= 1.01,
        value: summary.max_rhat,
        threshold: 1.01,
        message: format!("largest R-hat {:.3} ({})", summary.max_rhat, worst(&|d| d.rhat, true)),
    });
    let min_ess = summary.min_ess_bulk.min(summary.min_ess_tail);
    diag.checks.push(Check {
        check: "ess".into(),
        passed: min_ess >= 400.0,
        value: min_ess,
        threshold: 400.0,
        message: format!(
            "smallest effective sample size {:.0} ({}): {}",
            min_ess,
            worst(&|d| d.ess_bulk.min(d.ess_tail), false),
            if min_ess >= 400.0 { "enough for 90 % intervals" } else { "too few: run more draws" }
        ),
    });
    diag.checks.push(Check {
        check: "divergences".into(),
        passed: summary.divergences == 0,
        value: summary.divergences as f64,
        threshold: 0.0,
        message: format!(
            "{} divergent transitions{}",
            summary.divergences,
            if summary.divergences == 0 {
                ""
            } else {
                ": parts of the posterior were not explored; raise target_accept"
            }
        ),
    });
    let result = summarize_with(
        &model,
        panel,
        &mode.params,
        &draws,
        diag,
        opts,
        started,
        opts.point.unwrap_or(PointEstimate::Mean),
    )?;
    Ok(Fitted { model, point: mode.params, draws, result })
}

/// Builds the result from a point estimate and weighted draws (the fast fit: figures at the mode).
pub fn summarize(
    model: &Model,
    panel: &Panel,
    point: &Params,
    draws: &Draws,
    diag: Diagnostics,
    opts: &FitOptions,
    started: Instant,
) -> Result<MmmResult, MmmError> {
    summarize_with(model, panel, point, draws, diag, opts, started, PointEstimate::Mode)
}

/// [`summarize`], with the channel figures summarised as `estimate` says (at `point` for the mode).
#[allow(clippy::too_many_arguments)]
pub fn summarize_with(
    model: &Model,
    panel: &Panel,
    point: &Params,
    draws: &Draws,
    mut diag: Diagnostics,
    opts: &FitOptions,
    started: Instant,
    estimate: PointEstimate,
) -> Result<MmmResult, MmmError> {
    let inputs = inputs_of(panel);
    let m_count = model.n_channels();
    let level = opts.spec.level;
    let (ql, qh) = ((1.0 - level) / 2.0, 1.0 - (1.0 - level) / 2.0);
    let costs: Vec<f64> = panel.channels.iter().map(|c| c.cost.iter().sum()).collect();
    let input_totals: Vec<f64> = panel.channels.iter().map(|c| c.values.iter().sum()).collect();
    let cf = opts.counterfactual_periods.min(panel.len());
    // Per draw and channel: contribution, marginal contribution, loss without.
    let per_draw: Vec<Vec<[f64; 3]>> = draws
        .params
        .par_iter()
        .map(|p| (0..m_count).map(|m| whatif::figures(model, p, &inputs, m, cf)).collect())
        .collect();
    let w = &draws.weights;
    let q = |vals: &[f64]| (weighted_quantile(vals, w, ql), weighted_quantile(vals, w, qh));
    let draw_totals: Vec<f64> = per_draw.iter().map(|d| d.iter().map(|v| v[0]).sum()).collect();
    let share_draws = |m: usize| -> Vec<f64> {
        per_draw.iter().zip(&draw_totals).map(|(d, t)| if *t > 0.0 { d[m][0] / t } else { 0.0 }).collect()
    };
    let figure = |m: usize, i: usize| -> Vec<f64> { per_draw.iter().map(|d| d[m][i]).collect() };
    let wmean = |vals: &[f64]| vals.iter().zip(w).map(|(v, w)| v * w).sum::<f64>();
    let point_vals: Vec<[f64; 3]> = match estimate {
        PointEstimate::Mode => (0..m_count).map(|m| whatif::figures(model, point, &inputs, m, cf)).collect(),
        PointEstimate::Mean => (0..m_count).map(|m| [0, 1, 2].map(|i| wmean(&figure(m, i)))).collect(),
        PointEstimate::Median => {
            (0..m_count).map(|m| [0, 1, 2].map(|i| weighted_quantile(&figure(m, i), w, 0.5))).collect()
        }
    };
    let point_total: f64 = point_vals.iter().map(|v| v[0]).sum();
    // Posterior-mean shares are the mean of each draw's share (they still sum to 1), as PyMC-Marketing reports.
    let point_shares: Vec<f64> = match estimate {
        PointEstimate::Mode => {
            point_vals.iter().map(|v| if point_total > 0.0 { v[0] / point_total } else { 0.0 }).collect()
        }
        PointEstimate::Mean => (0..m_count).map(|m| wmean(&share_draws(m))).collect(),
        PointEstimate::Median => {
            let med: Vec<f64> = (0..m_count).map(|m| weighted_quantile(&share_draws(m), w, 0.5)).collect();
            let total: f64 = med.iter().sum();
            med.iter().map(|s| if total > 0.0 { s / total } else { 0.0 }).collect()
        }
    };
    let value = opts.value_per_unit;
    let roi_of = |contrib: f64, cost: f64| (cost > 0.0).then(|| (contrib * value - cost) / cost);
    let mut channels = Vec::with_capacity(m_count);
    for (m, c) in panel.channels.iter().enumerate() {
        let (contribs, margs, losses) = (figure(m, 0), figure(m, 1), figure(m, 2));
        let shares = share_draws(m);
        let (c_lo, c_hi) = q(&contribs);
        let (s_lo, s_hi) = q(&shares);
        let (m_lo, m_hi) = q(&margs);
        let (l_lo, l_hi) = q(&losses);
        let cost = costs[m];
        // Marginal ROI: the next unit of cost brings marginal contribution per unit of input / cost per unit.
        let cost_per_input = if input_totals[m] > 0.0 { cost / input_totals[m] } else { 0.0 };
        // `marg` is the derivative of the contribution along today's plan (all periods raised together), and the
        // cost grows along it by `cost`, so the next unit of cost returns marg x value / cost.
        let mroi = |marg: f64| (cost_per_input > 0.0).then(|| marg * value / cost - 1.0);
        let point_share = point_shares[m];
        let betas: Vec<f64> = draws.params.iter().map(|p| p.beta[m]).collect();
        let prior_ratio = weighted_sd(&betas, w) / model.channel_priors[m].beta.sd();
        let shape = |kind: String, names: &[&str], pick: &dyn Fn(&Params) -> Vec<f64>| Shape {
            kind,
            params: names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let vals: Vec<f64> = draws.params.iter().map(|p| pick(p)[i]).collect();
                    let (lo, hi) = q(&vals);
                    ShapeParam { name: (*name).to_string(), value: pick(point)[i], low: lo, high: hi }
                })
                .collect(),
        };
        let adstock = shape(opts.spec.adstock.as_str().to_string(), opts.spec.adstock.param_names(), &|p: &Params| {
            p.adstock[m].clone()
        });
        let saturation =
            shape(opts.spec.saturation.as_str().to_string(), opts.spec.saturation.param_names(), &|p: &Params| {
                p.saturation[m].clone()
            });
        channels.push(ChannelResult {
            channel: c.key.clone(),
            name: c.name.clone(),
            input: c.input,
            group: c.group,
            input_total: input_totals[m],
            cost,
            contribution: point_vals[m][0],
            contribution_low: c_lo,
            contribution_high: c_hi,
            contribution_share: point_share,
            share_low: s_lo,
            share_high: s_hi,
            roi: roi_of(point_vals[m][0], cost),
            roi_low: roi_of(c_lo, cost),
            roi_high: roi_of(c_hi, cost),
            marginal_roi: mroi(point_vals[m][1]),
            marginal_roi_low: mroi(m_lo),
            marginal_roi_high: mroi(m_hi),
            marginal_per_input: if input_totals[m] > 0.0 { point_vals[m][1] / input_totals[m] } else { 0.0 },
            loss_without: Estimate { value: point_vals[m][2], low: l_lo, high: l_hi },
            identifiable: true,
            why: None,
            reasons: Vec::new(),
            adstock,
            saturation,
            prior_ratio,
        });
    }
    gate::judge_channels(model, panel, point, &mut channels);
    // Fit quality and the decomposition at the point estimate.
    let comps = model.components(point, &inputs);
    let n = panel.len();
    let fitted: Vec<f64> = (0..n).map(|t| comps.total(t)).collect();
    let mean_y = panel.target.iter().sum::<f64>() / n as f64;
    let sst: f64 = panel.target.iter().map(|y| (y - mean_y).powi(2)).sum();
    let sse: f64 = panel.target.iter().zip(&fitted).map(|(y, f)| (y - f).powi(2)).sum();
    let mape = cv::mape(&panel.target, &fitted);
    let (cv_mape, baseline_cv_mape, folds) =
        if opts.cross_validate { cv::cross_validate(panel, opts) } else { (None, None, 0) };
    let fit = FitQuality { r2: 1.0 - sse / sst.max(1e-300), mape, cv_mape, baseline_cv_mape, cv_folds: folds };
    if let (Some(a), Some(b)) = (cv_mape, baseline_cv_mape) {
        diag.checks.push(Check {
            check: "out_of_sample".into(),
            passed: a <= b,
            value: a,
            threshold: b,
            message: if a <= b {
                format!("out of sample the model is off by {:.1} % a period, trend and seasonality alone by {:.1} %", 100.0 * a, 100.0 * b)
            } else {
                format!(
                    "out of sample the model is off by {:.1} % a period, worse than trend and seasonality alone ({:.1} %): its channel effects are not an answer",
                    100.0 * a,
                    100.0 * b
                )
            },
        });
    }
    diag.passed = diag.checks.iter().all(|c| c.passed);
    let decomposition = (0..n)
        .map(|t| DecompositionRow {
            date: panel.dates[t],
            actual: panel.target[t],
            fitted: fitted[t],
            baseline: comps.intercept[t],
            trend: comps.trend[t],
            seasonality: comps.seasonality[t],
            controls: comps.controls[t],
            channels: comps.channels.iter().map(|c| c[t]).collect(),
        })
        .collect();
    let multipliers = whatif::curve_multipliers();
    let response_curves = panel
        .channels
        .iter()
        .enumerate()
        .map(|(m, c)| {
            let mean_in = input_totals[m] / n as f64;
            let mean_cost = costs[m] / n as f64;
            ResponseCurve {
                channel: c.key.clone(),
                input: multipliers.iter().map(|k| k * mean_in).collect(),
                cost: multipliers.iter().map(|k| k * mean_cost).collect(),
                contribution: whatif::response(model, point, &inputs, m, &multipliers),
                current: 10,
            }
        })
        .collect();
    let target_total: f64 = panel.target.iter().sum();
    diag.seconds = started.elapsed().as_secs_f64();
    let mut result = MmmResult {
        target: panel.target_name.clone(),
        currency: panel.currency.clone(),
        frequency: panel.frequency,
        periods: n,
        start: panel.dates[0],
        end: panel.dates[n - 1],
        level,
        value_per_unit: value,
        counterfactual_periods: cf,
        spec: opts.spec.clone(),
        channels,
        fit,
        diagnostics: diag,
        decomposition,
        response_curves,
        target_total,
        media_total: point_total,
        reading: Vec::new(),
    };
    result.reading = reading::read(&result);
    Ok(result)
}

fn weighted_sd(vals: &[f64], w: &[f64]) -> f64 {
    let mean: f64 = vals.iter().zip(w).map(|(v, w)| v * w).sum();
    vals.iter().zip(w).map(|(v, w)| w * (v - mean).powi(2)).sum::<f64>().sqrt()
}
