//! The incremental model: how many conversions each channel *adds*, from a noisy-OR model of conversion on
//! per-channel touch counts, fitted over converting and non-converting journeys, with intent signals as controls.
//!
//! **Model.** A journey with `n_c` touches of channel `c` converts with probability
//! `p = 1 − exp(−η)`, `η = λ_s + Σ_c β_c · ln(1 + n_c)` over the causal channels, every `λ, β ≥ 0`.
//! Equivalently `1 − p = (1 − p_s) Π_c (1 − q_c)^{ln(1+n_c)}` with `1 − q_c = e^{−β_c}`: each channel is an
//! independent chance to cause the conversion (noisy-OR), and `ln(1 + n)` gives diminishing returns (the second
//! touch adds less than the first). Order within a path is ignored.
//!
//! **Intent signals as controls.** Channels the user marks as intent signals (`direct`, `branded_search`,
//! `organic_search`...) reveal buying intent rather than cause it. They get no coefficient and no credit;
//! instead the baseline hazard `λ_s` is estimated separately in each *intent stratum* `s`: the journeys with the
//! same touch counts on every intent signal, counts from a cap on pooled. Each signal's cap is the smallest count
//! (at least [`MIN_INTENT_TOUCH_CAP`]) that at most [`INTENT_TOP_CELL_SHARE`] of the journeys reach: long B2B
//! journeys with dozens of direct visits would otherwise share one "3 or more" cell whose intent still varies, and
//! a causal channel that merely travels with intent (more contacts, more of everything) would take its credit.
//! Causal effects are then learnt by comparing journeys of equal intent signals. If causal touches are
//! independent of the hidden intent given the intent signals, this is exact:
//! `P(convert | touches) = 1 − E[e^{−intent} | s] · e^{−Σ β x}` is a noisy-OR with the stratum's own baseline,
//! whatever the intent's distribution. With no intent signal marked there is a single stratum (one baseline).
//!
//! **Fit.** Maximum likelihood over all journeys (weights = the rows' conversions and nulls, aggregated by touch
//! counts) with a ridge `½ · 10⁻⁶ · J · (Σ λ_s² + Σ β_c²)` (`J` = journeys). The ridge keeps the Hessian positive
//! definite when channels always appear together or never appear, and keeps a stratum's hazard finite when all
//! its journeys converted; otherwise it moves estimates by about a millionth of their scale. The objective is
//! convex; it is minimised by a projected Newton method (Bertsekas 1982) for the bounds: Newton steps on the free
//! coefficients (the Hessian is an arrow: diagonal over strata, dense over channels, solved through the Schur
//! complement with a Cholesky factorisation), projection on the bounds, and an Armijo line search along the
//! projection arc. It stops when the largest projected gradient per journey is below [`GRADIENT_TOLERANCE`].
//!
//! **Credit.** Channel `c`'s incremental conversions are `Σ_journeys p(journey) − p(journey with n_c = 0)` under
//! the fitted model; shares are incremental conversions over their sum across the causal channels. The
//! conversions of a [`ChannelShare`] are these incremental conversions (they do not add up to the observed
//! conversions: the rest is baseline and intent), and its value is that times the average value per conversion.

use crate::attribution::paths::{ChannelShare, Credited, DataDrivenResult, PathSet};
use crate::attribution::shapley::check_rows;
use crate::AnalyticsError;
use serde::Serialize;
use std::collections::BTreeMap;

/// Ridge strength per journey on every coefficient.
pub const RIDGE: f64 = 1e-6;
/// Convergence: the largest projected gradient of the per-journey objective.
pub const GRADIENT_TOLERANCE: f64 = 1e-9;
/// Newton iterations before giving up.
pub const MAX_ITERATIONS: usize = 100;
/// The smallest cap of an intent signal's touch counts: counts from the cap on share a stratum ("3 or more").
pub const MIN_INTENT_TOUCH_CAP: u32 = 3;
/// The largest cap: bounds the number of strata on very long journeys.
pub const MAX_INTENT_TOUCH_CAP: u32 = 64;
/// Each intent signal's cap is the smallest count (within the bounds above) such that at most this share of the
/// journeys have that many touches or more: the pooled top cell stays small, so that it does not hide much
/// variation in intent (pooling journeys of very different intent leaves confounding the strata cannot remove).
pub const INTENT_TOP_CELL_SHARE: f64 = 0.10;

/// A fitted incremental model and the attribution it gives.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IncrementalFit {
    /// Model `incremental`: shares of the causal channels' incremental conversions; intent signals have 0.
    pub result: DataDrivenResult,
    /// Every channel of the path set, sorted by name, with its coefficient and credit.
    pub channels: Vec<ChannelEffect>,
    /// The intent strata that hold journeys, with their baseline hazards, in order of their touch counts.
    pub strata: Vec<IntentStratum>,
    /// Each intent signal present in the paths (sorted by name) with its cap: touch counts from the cap on share
    /// a stratum.
    pub intent_caps: Vec<(String, u32)>,
    /// Names given as intent signals that are not channels of these paths (ignored).
    pub intent_absent: Vec<String>,
    /// Journeys (conversions + nulls) fitted.
    pub journeys: f64,
    /// Conversions the fitted model expects over these journeys (`Σ p`; close to the observed conversions).
    pub expected_conversions: f64,
    /// Conversions it expects with every causal channel's touches removed (baseline and intent only).
    pub expected_without_causal: f64,
    /// Log-likelihood at the estimate (natural log, summed over journeys; the ridge not included).
    pub log_likelihood: f64,
    /// Newton iterations used.
    pub iterations: usize,
}

/// One channel's coefficient and credit under the incremental model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelEffect {
    pub channel: String,
    /// Marked as an intent signal: it defines the strata and gets no coefficient and no credit.
    pub intent: bool,
    /// `β_c`: hazard added per unit of `ln(1 + touches)`; `None` for intent signals.
    pub hazard: Option<f64>,
    /// Standard error of `β_c` from the inverse Hessian of the log-likelihood over the coefficients off their
    /// bound; `None` for intent signals and for a coefficient at its bound 0 (not normal there).
    pub hazard_se: Option<f64>,
    /// Conversions that would not happen without this channel's touches (0 for intent signals).
    pub incremental_conversions: f64,
}

/// Journeys with the same intent-signal touch counts, and their baseline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IntentStratum {
    /// Touches of each intent signal present in the paths (sorted by name); the signal's cap (see
    /// [`IncrementalFit::intent_caps`]) means "that many or more".
    pub touches: Vec<(String, u32)>,
    pub journeys: f64,
    pub conversions: f64,
    /// `λ_s`: the hazard of these journeys without any causal touch.
    pub hazard: f64,
}

/// Fits the incremental model to `paths`, with the channels named in `intent` as intent signals (names not in
/// the paths are ignored and listed in [`IncrementalFit::intent_absent`]).
///
/// Paths without any conversion give zero credit everywhere. Errors: invalid rows
/// ([`AnalyticsError::InvalidPathRow`]); no non-converting journeys ([`AnalyticsError::NoNonConversions`], the
/// likelihood has no maximum then); no convergence ([`AnalyticsError::NotConverged`]).
pub fn incremental(paths: &PathSet, intent: &[&str]) -> Result<IncrementalFit, AnalyticsError> {
    check_rows(paths)?;
    let is_intent: Vec<bool> = paths.channels.iter().map(|c| intent.contains(&c.as_str())).collect();
    let mut intent_absent: Vec<String> =
        intent.iter().filter(|i| !paths.channels.iter().any(|c| c == *i)).map(|i| i.to_string()).collect();
    intent_absent.sort();
    intent_absent.dedup();

    let data = Design::new(paths, &is_intent);
    let (k, strata) = (data.k, data.strata.len());
    let total_conversions = paths.total_conversions();
    let total_value = paths.total_value();
    let journeys = data.journeys;
    let total_nulls: f64 = data.nulls.iter().sum();

    // Parameters: the strata's λ_s, then the causal channels' β_c.
    let mut theta = vec![0.0; strata + k];
    let mut iterations = 0;
    if total_conversions > 0.0 {
        if total_nulls <= 0.0 {
            return Err(AnalyticsError::NoNonConversions { model: "incremental" });
        }
        for (s, t) in theta[..strata].iter_mut().enumerate() {
            let (c, j) = (data.strata[s].1, data.strata[s].2);
            // Start at the stratum's own rate (kept below 1 so that the start is finite).
            *t = -(-(c / j).min(0.99)).ln_1p();
        }
        iterations = minimise(&data, &mut theta)?;
    }

    // Credit by the counterfactual "this channel's touches set to zero", under the fitted model.
    let mut causal_credit = vec![0.0; k];
    let (mut expected, mut without_causal) = (0.0, 0.0);
    for r in 0..data.rows() {
        let x = data.x(r);
        let w = data.conversions[r] + data.nulls[r];
        let base = theta[data.stratum[r]];
        let eta = data.eta(&theta, r);
        let p = probability(eta);
        expected += w * p;
        without_causal += w * probability(base);
        for c in 0..k {
            if x[c] > 0.0 {
                causal_credit[c] += w * (p - probability(eta - theta[strata + c] * x[c]));
            }
        }
    }
    let credited: f64 = causal_credit.iter().sum();
    let value_per_conversion = if total_conversions > 0.0 { total_value / total_conversions } else { 0.0 };
    let se = standard_errors(&data, &theta);

    // Back from causal indices to the channel dictionary.
    let mut causal_index = vec![None; paths.channels.len()];
    for (c, &channel) in data.causal.iter().enumerate() {
        causal_index[channel] = Some(c);
    }
    let incremental_of = |channel: usize| causal_index[channel].map_or(0.0, |c| causal_credit[c]);
    let channels: Vec<ChannelShare> = paths
        .channels
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let conversions = incremental_of(i);
            let share = if credited > 0.0 { conversions / credited } else { 0.0 };
            let value = conversions * value_per_conversion;
            ChannelShare {
                channel: name.clone(),
                conversions,
                value,
                removal_effect: None,
                share,
                share_low: share,
                share_high: share,
                value_low: value,
                value_high: value,
            }
        })
        .collect();
    Ok(IncrementalFit {
        result: DataDrivenResult {
            model: "incremental".to_string(),
            order: None,
            total_conversions,
            total_value,
            credited: Credited::of(&channels, total_conversions),
            channels,
        },
        channels: paths
            .channels
            .iter()
            .enumerate()
            .map(|(i, name)| ChannelEffect {
                channel: name.clone(),
                intent: is_intent[i],
                hazard: causal_index[i].map(|c| theta[strata + c]),
                hazard_se: causal_index[i].and_then(|c| se[c]),
                incremental_conversions: incremental_of(i),
            })
            .collect(),
        strata: data
            .strata
            .iter()
            .enumerate()
            .map(|(s, (key, conversions, journeys))| IntentStratum {
                touches: data.intent.iter().zip(key).map(|(&c, &n)| (paths.channels[c].clone(), n)).collect(),
                journeys: *journeys,
                conversions: *conversions,
                hazard: theta[s],
            })
            .collect(),
        intent_caps: data.intent.iter().zip(&data.caps).map(|(&c, &cap)| (paths.channels[c].clone(), cap)).collect(),
        intent_absent,
        journeys,
        expected_conversions: expected,
        expected_without_causal: without_causal,
        log_likelihood: -objective(&data, &theta, 0.0) * journeys,
        iterations,
    })
}

/// `1 − e^{−η}`, accurate for small `η`.
fn probability(eta: f64) -> f64 {
    -(-eta).exp_m1()
}

/// Journeys aggregated by touch counts: per distinct count vector, its intent stratum, the features
/// `ln(1 + n_c)` of the causal channels, and its conversions and nulls.
struct Design {
    /// Causal channels (indices into the dictionary), in dictionary order.
    causal: Vec<usize>,
    /// Intent signals present in the paths (indices into the dictionary), in dictionary order.
    intent: Vec<usize>,
    /// Per intent signal (as `intent`): the touch count from which counts are pooled.
    caps: Vec<u32>,
    /// Per stratum: capped intent touch counts, conversions, journeys.
    strata: Vec<(Vec<u32>, f64, f64)>,
    k: usize,
    stratum: Vec<usize>,
    features: Vec<f64>,
    conversions: Vec<f64>,
    nulls: Vec<f64>,
    journeys: f64,
}

/// The cap of one intent signal's touch counts from `(count, journeys)` pairs: the smallest count in
/// [[`MIN_INTENT_TOUCH_CAP`], [`MAX_INTENT_TOUCH_CAP`]] with at most [`INTENT_TOP_CELL_SHARE`] of the journeys at
/// it or above.
fn intent_cap(counts: impl Iterator<Item = (u32, f64)>) -> u32 {
    let mut weight: BTreeMap<u32, f64> = BTreeMap::new();
    for (n, w) in counts {
        *weight.entry(n).or_insert(0.0) += w;
    }
    let total: f64 = weight.values().sum();
    let mut at_or_above = total;
    for cap in 0..MAX_INTENT_TOUCH_CAP {
        if cap >= MIN_INTENT_TOUCH_CAP && at_or_above <= INTENT_TOP_CELL_SHARE * total {
            return cap;
        }
        at_or_above -= weight.get(&cap).copied().unwrap_or(0.0);
    }
    MAX_INTENT_TOUCH_CAP
}

impl Design {
    fn new(paths: &PathSet, is_intent: &[bool]) -> Design {
        let n = paths.channels.len();
        let causal: Vec<usize> = (0..n).filter(|&c| !is_intent[c]).collect();
        let intent: Vec<usize> = (0..n).filter(|&c| is_intent[c]).collect();
        let mut by_counts: BTreeMap<Vec<u32>, (f64, f64)> = BTreeMap::new();
        for row in &paths.rows {
            if row.conversions + row.nulls <= 0.0 {
                continue;
            }
            let mut counts = vec![0u32; n];
            for &c in &row.channels {
                counts[usize::from(c)] += 1;
            }
            let e = by_counts.entry(counts).or_insert((0.0, 0.0));
            e.0 += row.conversions;
            e.1 += row.nulls;
        }
        let caps: Vec<u32> =
            intent.iter().map(|&i| intent_cap(by_counts.iter().map(|(n, (c, z))| (n[i], c + z)))).collect();
        // Each row's stratum key (its capped intent-signal counts), computed once.
        let keys: Vec<Vec<u32>> = by_counts
            .keys()
            .map(|counts| intent.iter().zip(&caps).map(|(&i, &cap)| counts[i].min(cap)).collect())
            .collect();
        let mut strata: BTreeMap<&[u32], (f64, f64)> = BTreeMap::new();
        for (key, (c, nulls)) in keys.iter().zip(by_counts.values()) {
            let e = strata.entry(key).or_insert((0.0, 0.0));
            e.0 += c;
            e.1 += c + nulls;
        }
        let strata: Vec<(Vec<u32>, f64, f64)> = strata.into_iter().map(|(key, (c, j))| (key.to_vec(), c, j)).collect();
        let k = causal.len();
        let mut design = Design {
            k,
            stratum: Vec::with_capacity(by_counts.len()),
            features: Vec::with_capacity(by_counts.len() * k),
            conversions: Vec::with_capacity(by_counts.len()),
            nulls: Vec::with_capacity(by_counts.len()),
            journeys: 0.0,
            causal,
            intent,
            caps,
            strata,
        };
        for (key, (counts, (conversions, nulls))) in keys.iter().zip(by_counts) {
            let s = design.strata.binary_search_by(|(k, ..)| k.as_slice().cmp(key)).unwrap_or(0);
            design.stratum.push(s);
            design.features.extend(design.causal.iter().map(|&c| f64::from(counts[c]).ln_1p()));
            design.conversions.push(conversions);
            design.nulls.push(nulls);
            design.journeys += conversions + nulls;
        }
        design
    }

    fn rows(&self) -> usize {
        self.conversions.len()
    }

    fn x(&self, r: usize) -> &[f64] {
        &self.features[r * self.k..(r + 1) * self.k]
    }

    fn eta(&self, theta: &[f64], r: usize) -> f64 {
        let betas = &theta[self.strata.len()..];
        theta[self.stratum[r]] + betas.iter().zip(self.x(r)).map(|(b, x)| b * x).sum::<f64>()
    }
}

/// The negative log-likelihood per journey plus `½ ridge Σ θ²`; `+∞` where a converting row has `η = 0`.
fn objective(data: &Design, theta: &[f64], ridge: f64) -> f64 {
    let mut f = 0.0;
    for r in 0..data.rows() {
        let eta = data.eta(theta, r);
        f += data.nulls[r] * eta;
        if data.conversions[r] > 0.0 {
            f -= data.conversions[r] * probability(eta).ln();
        }
    }
    let per_journey = if data.journeys > 0.0 { f / data.journeys } else { 0.0 };
    per_journey + 0.5 * ridge * theta.iter().map(|t| t * t).sum::<f64>()
}

/// Gradient and Hessian of [`objective`], the Hessian as its arrow blocks: the diagonal over strata `D`, the
/// strata × channels block `B` (row-major) and the dense channels block `C` (row-major, symmetric).
struct Derivatives {
    g: Vec<f64>,
    d: Vec<f64>,
    b: Vec<f64>,
    c: Vec<f64>,
}

fn derivatives(data: &Design, theta: &[f64], ridge: f64) -> Derivatives {
    let (strata, k) = (data.strata.len(), data.k);
    let mut g = vec![0.0; strata + k];
    let mut d = vec![0.0; strata];
    let mut b = vec![0.0; strata * k];
    let mut c = vec![0.0; k * k];
    for r in 0..data.rows() {
        let x = data.x(r);
        let s = data.stratum[r];
        let eta = data.eta(theta, r);
        let (conv, nulls) = (data.conversions[r], data.nulls[r]);
        // d/dη of [n η − c ln(1 − e^{−η})] = n − c / (e^η − 1); d²/dη² = c e^η / (e^η − 1)².
        let (d1, d2) = if conv > 0.0 {
            let em1 = eta.exp_m1();
            let curvature = if eta > 40.0 { (-eta).exp() } else { (em1 + 1.0) / (em1 * em1) };
            (nulls - conv / em1, conv * curvature)
        } else {
            (nulls, 0.0)
        };
        g[s] += d1;
        d[s] += d2;
        for i in 0..k {
            if x[i] == 0.0 {
                continue;
            }
            g[strata + i] += d1 * x[i];
            let hi = d2 * x[i];
            b[s * k + i] += hi;
            for j in i..k {
                c[i * k + j] += hi * x[j];
            }
        }
    }
    let scale = 1.0 / data.journeys;
    for (gi, t) in g.iter_mut().zip(theta) {
        *gi = *gi * scale + ridge * t;
    }
    for di in &mut d {
        *di = *di * scale + ridge;
    }
    for bi in &mut b {
        *bi *= scale;
    }
    for i in 0..k {
        for j in i..k {
            c[i * k + j] *= scale;
            c[j * k + i] = c[i * k + j];
        }
        c[i * k + i] += ridge;
    }
    Derivatives { g, d, b, c }
}

/// The free parts of an arrow Hessian: strata `fs`, channels `fc`; returns the Schur complement
/// `C_FF − Σ_s B_sF^T B_sF / D_s` (row-major, `fc.len()` square).
fn schur(h: &Derivatives, k: usize, fs: &[usize], fc: &[usize]) -> Vec<f64> {
    let m = fc.len();
    let mut a = vec![0.0; m * m];
    for (p, &i) in fc.iter().enumerate() {
        for (q, &j) in fc.iter().enumerate() {
            let mut v = h.c[i * k + j];
            for &s in fs {
                v -= h.b[s * k + i] * h.b[s * k + j] / h.d[s];
            }
            a[p * m + q] = v;
        }
    }
    a
}

/// Projected Newton for `min objective(θ)` subject to `θ ≥ 0`; returns the iterations used.
fn minimise(data: &Design, theta: &mut [f64]) -> Result<usize, AnalyticsError> {
    let (strata, k) = (data.strata.len(), data.k);
    let mut f = objective(data, theta, RIDGE);
    for iteration in 0..MAX_ITERATIONS {
        let h = derivatives(data, theta, RIDGE);
        let g = &h.g;
        // A coefficient at its bound with a gradient pushing it below 0 stays put; the rest are free.
        let projected =
            theta.iter().zip(g).map(|(&t, &g)| if t > 0.0 { g.abs() } else { (-g).max(0.0) }).fold(0.0, f64::max);
        if projected <= GRADIENT_TOLERANCE {
            return Ok(iteration);
        }
        let free = |i: usize| theta[i] > 1e-12 || g[i] < 0.0;
        let fs: Vec<usize> = (0..strata).filter(|&s| free(s)).collect();
        let fc: Vec<usize> = (0..k).filter(|&c| free(strata + c)).collect();
        // Newton step through the Schur complement: (C − BᵀD⁻¹B) δc = −g_c + BᵀD⁻¹g_s, δs = D⁻¹(−g_s − B δc).
        let mut a = schur(&h, k, &fs, &fc);
        let mut step_c: Vec<f64> = fc
            .iter()
            .map(|&i| -g[strata + i] + fs.iter().map(|&s| h.b[s * k + i] * g[s] / h.d[s]).sum::<f64>())
            .collect();
        if !cholesky_solve(&mut a, fc.len(), &mut step_c) {
            return Err(AnalyticsError::NotConverged {
                model: "incremental",
                iterations: iteration,
                detail: "the Hessian is not positive definite".to_string(),
            });
        }
        let mut direction = vec![0.0; strata + k];
        for (st, &i) in step_c.iter().zip(&fc) {
            direction[strata + i] = *st;
        }
        for &s in &fs {
            let coupling: f64 = fc.iter().zip(&step_c).map(|(&i, st)| h.b[s * k + i] * st).sum();
            direction[s] = (-g[s] - coupling) / h.d[s];
        }
        let mut t = 1.0;
        let accepted = loop {
            let candidate: Vec<f64> = theta.iter().zip(&direction).map(|(l, s)| (l + t * s).max(0.0)).collect();
            let fc = objective(data, &candidate, RIDGE);
            let change: f64 = g.iter().zip(candidate.iter().zip(theta.iter())).map(|(g, (c, l))| g * (c - l)).sum();
            // Near the optimum the decrease a full Newton step promises is below the rounding error of the
            // objective (a sum over all rows), so comparing objectives says nothing: take the step, and let the
            // gradient, which is computed accurately, decide convergence.
            let negligible = t == 1.0 && -change <= 1e-13 * (1.0 + f.abs());
            if fc.is_finite() && (negligible || fc <= f + 1e-4 * change) {
                break Some((candidate, fc));
            }
            t *= 0.5;
            if t < 1e-14 {
                break None;
            }
        };
        let Some((candidate, fc)) = accepted else {
            return Err(AnalyticsError::NotConverged {
                model: "incremental",
                iterations: iteration,
                detail: format!("the line search stalled with projected gradient {projected:e}"),
            });
        };
        theta.copy_from_slice(&candidate);
        f = fc;
    }
    Err(AnalyticsError::NotConverged {
        model: "incremental",
        iterations: MAX_ITERATIONS,
        detail: "the projected gradient is still above the tolerance".to_string(),
    })
}

/// Standard errors of the channel coefficients off their bound: square roots of the diagonal of the inverse
/// Hessian of the unpenalised negative log-likelihood (summed over journeys) over the coefficients off their
/// bound; for the channel block that is the inverse of the Schur complement.
fn standard_errors(data: &Design, theta: &[f64]) -> Vec<Option<f64>> {
    let (strata, k) = (data.strata.len(), data.k);
    let mut se = vec![None; k];
    if data.rows() == 0 {
        return se;
    }
    let h = derivatives(data, theta, 0.0);
    let fs: Vec<usize> = (0..strata).filter(|&s| theta[s] > 1e-12 && h.d[s] > 0.0).collect();
    let fc: Vec<usize> = (0..k).filter(|&c| theta[strata + c] > 1e-12).collect();
    let m = fc.len();
    for (col, &i) in fc.iter().enumerate() {
        let mut a = schur(&h, k, &fs, &fc);
        let mut e = vec![0.0; m];
        e[col] = 1.0;
        if cholesky_solve(&mut a, m, &mut e) && e[col] > 0.0 {
            // The Hessian here is per journey: the summed one is `journeys` times larger.
            se[i] = Some((e[col] / data.journeys).sqrt());
        }
    }
    se
}

/// Solves `A x = b` for a symmetric positive definite `A` (`n × n`, row-major, overwritten by its Cholesky
/// factor); `b` becomes `x`. Returns false when `A` is not positive definite.
fn cholesky_solve(a: &mut [f64], n: usize, b: &mut [f64]) -> bool {
    for j in 0..n {
        let mut diag = a[j * n + j];
        for k in 0..j {
            diag -= a[j * n + k] * a[j * n + k];
        }
        if diag.is_nan() || diag <= 0.0 {
            return false;
        }
        let diag = diag.sqrt();
        a[j * n + j] = diag;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / diag;
        }
    }
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= a[i * n + k] * b[k];
        }
        b[i] = s / a[i * n + i];
    }
    for i in (0..n).rev() {
        let mut s = b[i];
        for k in i + 1..n {
            s -= a[k * n + i] * b[k];
        }
        b[i] = s / a[i * n + i];
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::bootstrap::{poisson, uniform};
    use crate::attribution::paths::PathRow;
    use crate::worlds::{mean_abs_share_error, ConfoundedWorld};
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    const INTENT: [&str; 3] = ["direct", "branded_search", "organic_search"];

    fn p(eta: f64) -> f64 {
        -(-eta).exp_m1()
    }

    /// Expected counts (no sampling noise) from the model itself: every count vector with touches 0..=3 on
    /// three channels, 1,000 journeys each, `p · 1000` conversions.
    fn expected_paths(lambda: [f64; 4]) -> PathSet {
        let mut rows = Vec::new();
        for a in 0..4u16 {
            for b in 0..4u16 {
                for c in 0..4u16 {
                    if a + b + c == 0 {
                        continue;
                    }
                    let counts = [a, b, c];
                    let eta = lambda[0] + (0..3).map(|i| lambda[i + 1] * f64::from(counts[i]).ln_1p()).sum::<f64>();
                    let mut channels = Vec::new();
                    for (i, &n) in counts.iter().enumerate() {
                        channels.extend(std::iter::repeat_n(i as u16, usize::from(n)));
                    }
                    let conv = 1000.0 * p(eta);
                    rows.push(PathRow { channels, conversions: conv, value: 10.0 * conv, nulls: 1000.0 - conv });
                }
            }
        }
        PathSet { channels: vec!["a".into(), "b".into(), "c".into()], rows }
    }

    #[test]
    fn recovers_the_coefficients_from_expected_counts() {
        let truth = [0.02, 0.3, 0.0, 0.05];
        let fit = incremental(&expected_paths(truth), &[]).unwrap();
        assert_eq!(fit.strata.len(), 1);
        assert!(fit.strata[0].touches.is_empty());
        let baseline = fit.strata[0].hazard;
        assert!((baseline - truth[0]).abs() < 1e-5, "{baseline}");
        let hazard = |i: usize| fit.channels[i].hazard.unwrap();
        for (i, want) in truth[1..].iter().enumerate() {
            assert!((hazard(i) - want).abs() < 1e-5, "{}: {} vs {}", fit.channels[i].channel, hazard(i), want);
        }
        // b has no effect: its coefficient sits on the bound, with no credit and no standard error.
        assert_eq!(hazard(1), 0.0);
        assert_eq!(fit.channels[1].hazard_se, None);
        assert_eq!(fit.result.channels[1].share, 0.0);
        assert!(fit.iterations < 30, "{}", fit.iterations);
        // Credit by hand for channel a: Σ w (p(η) − p(η − λ_a ln(1 + n_a))) over the rows.
        let paths = expected_paths(truth);
        let mut want_a = 0.0;
        for row in &paths.rows {
            let n = |i: u16| row.channels.iter().filter(|&&c| c == i).count() as f64;
            let eta = baseline + (0..3).map(|i| hazard(i) * n(i as u16).ln_1p()).sum::<f64>();
            want_a += 1000.0 * (p(eta) - p(eta - hazard(0) * n(0).ln_1p()));
        }
        assert!((fit.channels[0].incremental_conversions - want_a).abs() < 1e-9 * want_a);
        let r = &fit.result;
        assert_eq!((r.model.as_str(), r.order), ("incremental", None));
        assert!((r.channels.iter().map(|c| c.share).sum::<f64>() - 1.0).abs() < 1e-12);
        assert!((r.channels[0].value - 10.0 * r.channels[0].conversions).abs() < 1e-9);
    }

    #[test]
    fn recovers_stratum_baselines_and_effects_with_an_intent_signal() {
        // `direct` (0..=4 touches, a fifth of the journeys each, so no count is pooled: the cap is 5) sets a
        // baseline that is not a smooth function of its count; a and b are causal. Expected counts, so the MLE
        // is the truth.
        let baseline = [0.02, 0.3, 0.35, 0.9, 0.9];
        let (beta_a, beta_b) = (0.2, 0.05);
        let mut rows = Vec::new();
        for (direct, base) in baseline.iter().enumerate() {
            for a in 0..3usize {
                for b in 0..3usize {
                    if direct + a + b == 0 {
                        continue;
                    }
                    let eta = base + beta_a * (a as f64).ln_1p() + beta_b * (b as f64).ln_1p();
                    let path: Vec<&str> = std::iter::repeat_n("direct", direct)
                        .chain(std::iter::repeat_n("a", a))
                        .chain(std::iter::repeat_n("b", b))
                        .collect();
                    rows.push((path, 500.0 * p(eta), 0.0, 500.0 * (1.0 - p(eta))));
                }
            }
        }
        let paths = PathSet::from_named(rows).0;
        let fit = incremental(&paths, &["direct"]).unwrap();
        let hazards: Vec<f64> = fit.strata.iter().map(|s| s.hazard).collect();
        assert_eq!(hazards.len(), baseline.len());
        // The ridge (10⁻⁶ per journey of ALL journeys) pulls a stratum holding a fifth of them towards 0 by
        // about 5 · 10⁻⁶ · λ² (λ / its Fisher information per journey): up to 1.3 · 10⁻⁵ at λ = 0.9.
        for (got, want) in hazards.iter().zip(&baseline) {
            assert!((got - want).abs() < 2e-5, "{hazards:?}");
        }
        let touches: Vec<u32> = fit.strata.iter().map(|s| s.touches[0].1).collect();
        assert_eq!(touches, [0, 1, 2, 3, 4]);
        assert_eq!(fit.intent_caps, [("direct".to_string(), 5)]);
        assert_eq!(fit.strata[4].journeys, 9.0 * 500.0);
        let beta: Vec<Option<f64>> = fit.channels.iter().map(|c| c.hazard).collect();
        assert!((beta[0].unwrap() - beta_a).abs() < 1e-5 && (beta[1].unwrap() - beta_b).abs() < 1e-5, "{beta:?}");
        assert_eq!(beta[2], None);
        assert_eq!(fit.result.channels[2].share, 0.0);
    }

    #[test]
    fn the_intent_cap_keeps_the_pooled_top_cell_small() {
        let cap = |w: &[(u32, f64)]| intent_cap(w.iter().copied());
        // 20 % have 3 or more touches, 10 % have 4 or more: counts from 4 on are pooled.
        assert_eq!(cap(&[(0, 50.0), (1, 20.0), (2, 10.0), (3, 10.0), (4, 5.0), (9, 5.0)]), 4);
        // Few touches: the cap never goes below 3 (and 3+ is empty here).
        assert_eq!(cap(&[(0, 99.0), (1, 1.0)]), MIN_INTENT_TOUCH_CAP);
        // Long journeys: most have dozens of visits; the cap follows them up to its bound.
        let long: Vec<(u32, f64)> = (0..40).map(|n| (n, 1.0)).collect();
        assert_eq!(cap(&long), 36);
        let longer: Vec<(u32, f64)> = (0..400).map(|n| (n, 1.0)).collect();
        assert_eq!(cap(&longer), MAX_INTENT_TOUCH_CAP);
    }

    /// `journeys` journeys drawn from the model, touches `Poisson(means)`, empty journeys redrawn.
    fn sampled_paths(lambda: [f64; 4], means: [f64; 3], journeys: usize, seed: u64) -> PathSet {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut named = Vec::new();
        for _ in 0..journeys {
            let counts = loop {
                let counts: Vec<f64> = means.iter().map(|&m| poisson(&mut rng, m)).collect();
                if counts.iter().any(|&n| n > 0.0) {
                    break counts;
                }
            };
            let eta = lambda[0] + (0..3).map(|i| lambda[i + 1] * counts[i].ln_1p()).sum::<f64>();
            let path: Vec<&str> =
                (0..3).flat_map(|i| std::iter::repeat_n(["a", "b", "c"][i], counts[i] as usize)).collect();
            let converted = uniform(&mut rng) < p(eta);
            named.push((path, f64::from(u8::from(converted)), 0.0, f64::from(u8::from(!converted))));
        }
        PathSet::from_named(named).0
    }

    #[test]
    fn estimates_lie_within_their_standard_errors_of_the_truth() {
        let truth = [0.05, 0.2, 0.08, 0.4];
        let paths = sampled_paths(truth, [1.5, 2.0, 0.4], 100_000, 5);
        let fit = incremental(&paths, &[]).unwrap();
        for (c, want) in fit.channels.iter().zip(&truth[1..]) {
            let (hazard, se) = (c.hazard.unwrap(), c.hazard_se.unwrap());
            assert!(se > 0.0 && se < 0.05, "{}: se {se}", c.channel);
            assert!((hazard - want).abs() <= 4.0 * se, "{}: {hazard} vs {want} (se {se})", c.channel);
        }
    }

    #[test]
    fn confounded_world_with_intent_marked_is_within_three_points_of_the_truth() {
        let world = ConfoundedWorld::b2b(200_000);
        for seed in [1, 2] {
            let sample = world.simulate(seed);
            let fit = incremental(&sample.paths, &INTENT).unwrap();
            let error = mean_abs_share_error(&fit.result, &sample.true_shares);
            assert!(error <= 0.03, "seed {seed}: mean absolute share error {error}");
            assert_eq!(fit.intent_absent, ["branded_search"]);
            for c in fit.channels.iter().filter(|c| c.intent) {
                assert_eq!((c.incremental_conversions, c.hazard), (0.0, None));
            }
            // Strata: touches 0..=3+ of direct and organic search, all 16 combinations populated.
            assert_eq!(fit.strata.len(), 16);
            assert_eq!(fit.strata[5].touches, [("direct".to_string(), 1), ("organic_search".to_string(), 1)]);
            let stratum_journeys: f64 = fit.strata.iter().map(|s| s.journeys).sum();
            assert_eq!(stratum_journeys, 200_000.0);
            // The total causal credit is close to the truth as well (within 10 %).
            let credited: f64 = fit.channels.iter().map(|c| c.incremental_conversions).sum();
            let truth: f64 = sample.true_incremental.iter().map(|c| c.1).sum();
            assert!((credited / truth - 1.0).abs() < 0.10, "seed {seed}: {credited} vs {truth}");
        }
    }

    #[test]
    fn confounded_world_without_intent_marked_credits_the_intent_signals() {
        // How the model errs when intent is not marked: direct and organic search get the credit of intent.
        let sample = ConfoundedWorld::b2b(200_000).simulate(1);
        let fit = incremental(&sample.paths, &[]).unwrap();
        let error = mean_abs_share_error(&fit.result, &sample.true_shares);
        let intent_share: f64 =
            fit.result.channels.iter().filter(|c| sample.intent_channels.contains(&c.channel)).map(|c| c.share).sum();
        assert!(intent_share > 0.3, "intent signals get {intent_share}");
        assert!(error > 0.06, "mean absolute share error {error}");
    }

    #[test]
    fn intent_that_also_drives_a_causal_channel_over_credits_it() {
        // The model's assumption broken: in-market accounts also see twice as much LinkedIn. Part of their
        // intent is then learnt as LinkedIn's effect, and LinkedIn is over-credited (about 9 points here).
        let mut world = ConfoundedWorld::b2b(200_000);
        let linkedin = world.channels.iter_mut().find(|c| c.name == "linkedin").unwrap();
        linkedin.mean_touches_in_market = 2.0 * linkedin.mean_touches;
        let sample = world.simulate(1);
        let fit = incremental(&sample.paths, &INTENT).unwrap();
        let share = |set: &[(String, f64)]| set.iter().find(|c| c.0 == "linkedin").unwrap().1;
        let fitted: Vec<(String, f64)> = fit.result.channels.iter().map(|c| (c.channel.clone(), c.share)).collect();
        assert!(
            share(&fitted) > share(&sample.true_shares) + 0.05,
            "{} vs {}",
            share(&fitted),
            share(&sample.true_shares)
        );
    }

    #[test]
    fn no_conversions_give_no_credit_and_all_conversions_are_an_error() {
        let none = PathSet::from_named(vec![(vec!["a", "b"], 0.0, 0.0, 10.0), (vec!["a"], 0.0, 0.0, 5.0)]).0;
        let fit = incremental(&none, &[]).unwrap();
        assert!(fit.result.channels.iter().all(|c| c.share == 0.0 && c.conversions == 0.0));
        assert_eq!((fit.iterations, fit.expected_conversions), (0, 0.0));

        let empty = incremental(&PathSet::default(), &INTENT).unwrap();
        assert!(empty.result.channels.is_empty() && empty.strata.is_empty());
        assert_eq!((empty.log_likelihood, empty.journeys), (0.0, 0.0));

        let all = PathSet::from_named(vec![(vec!["a"], 4.0, 0.0, 0.0)]).0;
        let err = incremental(&all, &[]).unwrap_err();
        assert_eq!(err, AnalyticsError::NoNonConversions { model: "incremental" });
        assert!(err.to_string().contains("total_null"));

        let bad = PathSet::from_named(vec![(vec!["a"], 1.0, f64::INFINITY, 0.0)]).0;
        assert!(matches!(incremental(&bad, &[]), Err(AnalyticsError::InvalidPathRow { field: "value", .. })));
    }

    #[test]
    fn channels_always_together_share_their_credit() {
        // a and b always come together: the likelihood only sees λ_a + λ_b, and the ridge splits it evenly.
        let paths = PathSet::from_named(vec![
            (vec!["a", "b"], 30.0, 0.0, 70.0),
            (vec!["c"], 10.0, 0.0, 90.0),
            (vec!["a", "c", "b"], 40.0, 0.0, 60.0),
        ])
        .0;
        let fit = incremental(&paths, &[]).unwrap();
        assert!((fit.channels[0].hazard.unwrap() - fit.channels[1].hazard.unwrap()).abs() < 1e-6);
        assert!((fit.result.channels[0].share - fit.result.channels[1].share).abs() < 1e-6);
    }

    #[test]
    fn cholesky_solves_a_known_system() {
        // A = [[4, 2], [2, 3]], b = [2, 1] → x = [0.5, 0].
        let mut a = vec![4.0, 2.0, 2.0, 3.0];
        let mut b = vec![2.0, 1.0];
        assert!(cholesky_solve(&mut a, 2, &mut b));
        assert!((b[0] - 0.5).abs() < 1e-15 && b[1].abs() < 1e-15);
        let mut singular = vec![1.0, 1.0, 1.0, 1.0];
        assert!(!cholesky_solve(&mut singular, 2, &mut [1.0, 1.0]));
    }
}
