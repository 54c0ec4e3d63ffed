//! Planning a switchback: which block length and how many weeks detect the effect that matters with 80 %
//! power at the 90 % level, measured on the company's own history.
//!
//! For every block length from the washout + 1 to the washout + [`EXTRA_BLOCK_WEEKS`] and every whole number of
//! pairs of blocks up to `max_weeks`, the plan computes the spread of the estimate without effect (placebo in
//! time on the history's residuals, each window with its own random block order) and the schedule's efficiency
//! (the share of a normal week's effect the contrast shows after carry-over; the placebo stretches are residuals
//! of a baseline fitted without them, as the experiment's weeks will be), so the smallest detectable
//! weekly effect is `(z_0.95 + z_0.8) x spread / efficiency`. The shortest design whose smallest detectable
//! effect is at most the effect that matters wins.

use super::schedule::Schedule;
use crate::experiment::baseline::Baseline;
use crate::experiment::carryover::Response;
use crate::experiment::placebo::{null_of, Null};
use crate::experiment::{best_of, Candidate, LEVEL, TARGET_POWER};
use crate::stats::{ar1_variance, min_detectable_effect, power, variance_and_lag1};
use crate::DecideError;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// Block lengths tried beyond the shortest one (washout + 1 week).
pub const EXTRA_BLOCK_WEEKS: usize = 6;
/// Share of the carried-over effect that may remain when the comparison starts.
pub const WASHOUT_LEFT: f64 = 0.1;
/// Random block orders averaged over for a schedule's efficiency.
const ORDER_DRAWS: u64 = 16;

/// What the plan is asked.
#[derive(Clone, Debug)]
pub struct PlanRequest<'a> {
    /// The weeks of history (Mondays) and the outcome in each.
    pub dates: &'a [NaiveDate],
    pub outcome: &'a [f64],
    /// The channel's carry-over and saturation (from the mix model).
    pub response: &'a Response,
    /// The channel's effect in a normal week (target units) that the experiment must be able to see: the mix
    /// model's estimate, or the effect at which the channel pays back its cost.
    pub effect: f64,
    /// Run this long (whole pairs of blocks, at most this) instead of searching for the shortest design.
    pub weeks: Option<usize>,
    /// The longest experiment considered.
    pub max_weeks: usize,
    pub seed: u64,
}

/// A planned switchback.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    pub schedule: Schedule,
    pub weeks: usize,
    pub block_weeks: usize,
    pub washout_weeks: usize,
    /// Weeks compared in each arm.
    pub analysed_on: usize,
    pub analysed_off: usize,
    /// Share of a normal week's effect that the contrast shows, after carry-over (1 = none lost).
    pub efficiency: f64,
    /// Spread of the contrast without any effect (target units per week) that the power is computed with: the
    /// exact spread under the history's variance and lag-1 autocorrelation, scaled by how far the placebo
    /// spreads of all designs tried differ from that formula (`calibration`).
    pub null_sd: f64,
    /// Placebo spread over the formula's, pooled over every design tried (1 = the formula is right).
    pub calibration: f64,
    /// The placebo in time of this design alone.
    pub null: Null,
    /// The smallest effect in a normal week (target units) seen with 80 % power at the 90 % level.
    pub min_detectable_effect: f64,
    /// The effect the plan was asked to detect, and the power to detect it.
    pub effect: f64,
    pub power: f64,
    /// Whether some design within `max_weeks` reaches 80 % power for `effect`.
    pub reaches_power: bool,
}

/// Plans a switchback (see the module's documentation).
pub fn plan(req: &PlanRequest<'_>) -> Result<Plan, DecideError> {
    if !(req.effect.is_finite() && req.effect >= 0.0) {
        return Err(DecideError::Invalid(format!("the effect to detect must be a number >= 0, not {}", req.effect)));
    }
    let baseline = Baseline::fit(req.dates, req.outcome)?;
    let residuals = baseline.residuals(req.dates, req.outcome);
    let mut stretches: HashMap<usize, Vec<Vec<f64>>> = HashMap::new();
    let washout = req.response.washout_weeks(WASHOUT_LEFT);
    let max_weeks = req.weeks.unwrap_or(req.max_weeks);
    if 2 * (washout + 1) > max_weeks {
        return Err(DecideError::Invalid(format!(
            "the channel's carry-over needs {washout} weeks of washout after every switch, so a switchback needs at \
             least {} weeks; allow more weeks, or choose a geo-split, whose control runs in parallel",
            2 * (washout + 1)
        )));
    }
    let (var, rho) = variance_and_lag1(&residuals);
    let mut candidates = Vec::new();
    for block in (washout + 1)..=(washout + 1 + EXTRA_BLOCK_WEEKS) {
        let max_pairs = max_weeks / (2 * block);
        let pair_range = match req.weeks {
            Some(_) if max_pairs >= 1 => max_pairs..=max_pairs,
            Some(_) => continue,
            None => 1..=max_pairs,
        };
        for pairs in pair_range {
            let weeks = 2 * pairs * block;
            if let std::collections::hash_map::Entry::Vacant(e) = stretches.entry(weeks) {
                e.insert(baseline.left_out_stretches(req.dates, req.outcome, weeks));
            }
            if let Some(c) = evaluate(req, &stretches[&weeks], &residuals, (var, rho), pairs, block, washout)? {
                candidates.push(c);
            }
        }
    }
    // Choosing among designs by their placebo spreads would favour the ones whose spread happens to come out
    // small on this history (and the readout, on the same history, would then be too sure). So designs are
    // ranked by the formula, scaled by one factor pooled over all of them.
    let (placebo_var, formula_var) = candidates
        .iter()
        .filter(|c| c.null.sd.is_finite() && c.null_sd.is_finite() && c.null_sd > 0.0)
        .fold((0.0, 0.0), |(p, f), c| (p + c.null.sd * c.null.sd, f + c.null_sd * c.null_sd));
    let calibration = if formula_var > 0.0 && placebo_var > 0.0 { (placebo_var / formula_var).sqrt() } else { 1.0 };
    let calibrated = candidates.into_iter().map(|mut c| {
        c.calibration = calibration;
        c.null_sd *= calibration;
        c.min_detectable_effect = if c.efficiency > 0.0 {
            min_detectable_effect(c.null_sd, LEVEL, TARGET_POWER) / c.efficiency
        } else {
            f64::INFINITY
        };
        c.power = power(req.effect * c.efficiency, c.null_sd, LEVEL);
        c.reaches_power = c.power >= TARGET_POWER;
        c
    });
    best_of(calibrated).ok_or_else(|| DecideError::Invalid("no switchback fits in the weeks allowed".into()))
}

impl Candidate for Plan {
    fn weeks(&self) -> usize {
        self.weeks
    }
    fn reaches_power(&self) -> bool {
        self.reaches_power
    }
    /// A switchback's detectable effect is already the channel's in a normal week.
    fn min_detectable_channel_effect(&self) -> f64 {
        self.min_detectable_effect
    }
}

/// A design with its placebo and its formula spread; power and the smallest detectable effect are filled in
/// once the calibration over all designs is known. `None` when some block order leaves an arm with too few
/// weeks to compare (a single pair whose washouts eat both arms).
fn evaluate(
    req: &PlanRequest<'_>,
    stretches: &[Vec<f64>],
    residuals: &[f64],
    (var, rho): (f64, f64),
    pairs: usize,
    block: usize,
    washout: usize,
) -> Result<Option<Plan>, DecideError> {
    let weeks = 2 * pairs * block;
    let draw = |k: u64| Schedule::seeded(pairs, block, washout, req.seed.wrapping_add(k.wrapping_mul(0x9E37_79B9)));
    let (mut efficiency, mut formula_var) = (0.0, 0.0);
    for k in 0..ORDER_DRAWS {
        let s = draw(k)?;
        let Some(w) = s.weights() else {
            return Ok(None);
        };
        efficiency += s.contrast(&req.response.relative_contribution(&s.on)).unwrap_or(0.0);
        formula_var += ar1_variance(&w, var, rho);
    }
    efficiency /= ORDER_DRAWS as f64;
    formula_var /= ORDER_DRAWS as f64;
    let schedule = draw(0)?;
    let (analysed_on, analysed_off) = schedule.counts();
    let null = null_of(
        stretches,
        residuals,
        |window, stretch| draw(1000 + window as u64).ok().and_then(|s| s.contrast(stretch)),
        |_, _| formula_var.sqrt(),
    );
    Ok(Some(Plan {
        schedule,
        weeks,
        block_weeks: block,
        washout_weeks: washout,
        analysed_on,
        analysed_off,
        efficiency,
        null_sd: formula_var.sqrt(),
        calibration: 1.0,
        null,
        min_detectable_effect: f64::INFINITY,
        effect: req.effect,
        power: 0.0,
        reaches_power: false,
    }))
}
