//! Planning an account holdout: which accounts are held out ([`super::assignment`]) and how many weeks detect the
//! effect that matters with 80 % power at the 90 % level.
//!
//! The noise is the accounts' own: for every stretch of the history as long as the pre-period and the
//! experiment, each account's outcome over the stretch's last (analysed) weeks is regressed on its outcome over
//! the pre-period weeks; the residual spread across accounts, averaged over the stretches, is the spread of one
//! account's adjusted outcome. The adjusted difference's standard error is then
//! `sd x sqrt(1 / held out + 1 / exposed)`, as the readout computes it on the experiment's own accounts. For the
//! power at the effect asked for, the held-out accounts' variance is scaled down by what the effect leaves of
//! their level (deals are counts, whose variance follows their level: in the simulation the power came out 10
//! points too low without it).
//!
//! The effect that matters is a company-wide weekly effect (the mix model's, or the one given), spread evenly
//! over the accounts: a held-out account loses `effect / accounts` a week, over the analysed weeks, of which the
//! carry-over lets go `efficiency`.

use super::assignment::stratified;
use super::estimator::residual_variance;
use super::{pre_weeks, MIN_ACCOUNTS};
use crate::experiment::carryover::Response;
use crate::experiment::switchback::plan::WASHOUT_LEFT;
use crate::experiment::{best_of, Candidate, LEVEL, TARGET_POWER};
use crate::stats::{min_detectable_effect, power};
use crate::DecideError;
use serde::Serialize;

/// Most stretches of the history the noise is averaged over per duration (evenly spaced): enough for a stable
/// average, few enough for thousands of accounts.
const MAX_STRETCHES: usize = 20;

/// What the plan is asked.
#[derive(Clone, Debug)]
pub struct PlanRequest<'a> {
    /// Per account, the outcome of every week of the history (same weeks for all).
    pub outcome: &'a [Vec<f64>],
    /// The channel's carry-over and saturation (from the mix model): the washout and the efficiency.
    pub response: &'a Response,
    /// The channel's weekly effect over the whole company (target units) that matters.
    pub effect: f64,
    /// Share of the accounts held out (0.5 by default).
    pub share: f64,
    /// Run this long instead of searching for the shortest duration that reaches the power.
    pub weeks: Option<usize>,
    pub max_weeks: usize,
    pub seed: u64,
}

/// A planned account holdout.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    /// Per account (in the order given), whether it is held out.
    #[serde(skip)]
    pub held_out: Vec<bool>,
    pub accounts: usize,
    pub held_out_count: usize,
    pub weeks: usize,
    pub washout_weeks: usize,
    pub analysed_weeks: usize,
    /// Weeks before the experiment whose outcome adjusts each account's.
    pub pre_weeks: usize,
    /// Share of a held-out account's steady effect that the analysed weeks show (carry-over left).
    pub efficiency: f64,
    /// Standard deviation of one account's adjusted outcome over the analysed weeks (history's stretches).
    pub account_sd: f64,
    /// Stretches of the history it was measured on.
    pub stretches: usize,
    /// Standard error of the difference per account under the effect asked for (the held-out accounts' variance
    /// scaled down with their level; the smallest detectable effect uses the history's variance in both arms).
    pub se: f64,
    /// The smallest effect per held-out account over the analysed weeks seen with 80 % power at the 90 % level.
    pub min_detectable_effect: f64,
    /// The same as a company-wide weekly effect of the channel.
    pub min_detectable_company_effect: f64,
    /// The company-wide weekly effect the plan was asked to detect...
    pub effect: f64,
    /// ...what holding out should take away per held-out account over the analysed weeks...
    pub expected_estimate: f64,
    /// ...and the power to detect it.
    pub power: f64,
    pub reaches_power: bool,
}

/// Plans an account holdout (see the module's documentation).
pub fn plan(req: &PlanRequest<'_>) -> Result<Plan, DecideError> {
    if !(req.effect.is_finite() && req.effect >= 0.0) {
        return Err(DecideError::Invalid(format!("the effect to detect must be a number >= 0, not {}", req.effect)));
    }
    let accounts = req.outcome.len();
    if accounts < MIN_ACCOUNTS {
        return Err(DecideError::Invalid(format!(
            "an account holdout needs at least {MIN_ACCOUNTS} accounts, there are {accounts}; import the CRM's \
             accounts, or choose --design pause"
        )));
    }
    let n = req.outcome[0].len();
    if req.outcome.iter().any(|s| s.len() != n) || req.outcome.iter().flatten().any(|v| !v.is_finite()) {
        return Err(DecideError::Invalid("every account needs a number for every week of the history".into()));
    }
    let pre = pre_weeks(n);
    let washout = req.response.washout_weeks(WASHOUT_LEFT);
    let max_weeks = req.weeks.unwrap_or(req.max_weeks);
    if pre < 4 || n < pre + washout + 1 {
        return Err(DecideError::TooShort {
            what: "an account holdout's noise (the accounts' outcome over past weeks)".into(),
            have: n,
            need: 2 * (washout + 1).max(4),
            hint: "import more history".into(),
        });
    }
    if washout + 1 > max_weeks {
        return Err(DecideError::Invalid(format!(
            "the channel's carry-over needs {washout} weeks of washout, so a holdout needs at least {} weeks; allow \
             more weeks",
            washout + 1
        )));
    }
    let prefix: Vec<Vec<f64>> = req
        .outcome
        .iter()
        .map(|s| {
            std::iter::once(0.0)
                .chain(s.iter().scan(0.0, |a, v| {
                    *a += v;
                    Some(*a)
                }))
                .collect()
        })
        .collect();
    let x_pre: Vec<f64> = prefix.iter().map(|p| p[n] - p[n - pre]).collect();
    let held_out = stratified(&x_pre, req.share, req.seed)?;
    let n_held = held_out.iter().filter(|h| **h).count();
    let n_exposed = accounts - n_held;
    if n_held < 2 || n_exposed < 2 {
        return Err(DecideError::Invalid(format!(
            "holding out {} of {accounts} accounts leaves an arm with fewer than 2; choose another share",
            req.share
        )));
    }
    let durations = match req.weeks {
        Some(w) => w..=w,
        None => (washout + 1)..=max_weeks,
    };
    // Durations are tried shortest first: the first that reaches the power is the plan, so the search stops there.
    let mut done = false;
    let candidates = durations.map_while(|weeks| {
        if done {
            return None;
        }
        let analysed = weeks - washout;
        // Stretches: `pre` weeks, the washout, `analysed` weeks; wholly inside the history.
        let span = pre + weeks;
        let (sd, mean, stretches) = if n >= span {
            let starts = n - span + 1;
            let step = starts.div_ceil(MAX_STRETCHES).max(1);
            let found: Vec<(f64, f64)> = (0..starts)
                .step_by(step)
                .filter_map(|s| {
                    let x: Vec<f64> = prefix.iter().map(|p| p[s + pre] - p[s]).collect();
                    let y: Vec<f64> = prefix.iter().map(|p| p[s + span] - p[s + pre + washout]).collect();
                    let mean = y.iter().sum::<f64>() / y.len() as f64;
                    residual_variance(&y, &x).map(|v| (v.sqrt(), mean))
                })
                .collect();
            let k = found.len().max(1) as f64;
            // The mean of the stretches' spreads, not the root of their mean variance: with a few large deals the
            // variance of a stretch is skewed, and the root of its mean overstates the spread an experiment
            // typically meets (by about 10 % in the simulation, where the plan then understated the power).
            (found.iter().map(|f| f.0).sum::<f64>() / k, found.iter().map(|f| f.1).sum::<f64>() / k, found.len())
        } else {
            // Longer than the history allows: the longest stretch's variance, scaled by the weeks (as for
            // independent weeks; stated by `stretches = 0`).
            let longest = (n - pre - washout).max(1) as f64;
            let x: Vec<f64> = prefix.iter().map(|p| p[pre] - p[0]).collect();
            let y: Vec<f64> = prefix.iter().map(|p| p[n] - p[pre + washout]).collect();
            let v = residual_variance(&y, &x).unwrap_or(f64::NAN);
            let mean = y.iter().sum::<f64>() / y.len() as f64;
            ((v * analysed as f64 / longest).sqrt(), mean * analysed as f64 / longest, 0)
        };
        let efficiency = req.response.hold_off_efficiency(weeks, washout);
        let per_account_week = analysed as f64 * efficiency / accounts as f64;
        let expected = req.effect * per_account_week;
        // Deals are counts: an account's variance follows its level, and the held-out accounts' level is lower
        // by the effect. Their variance is scaled by what is left of the level (the exposed keep the history's).
        let left = if mean > 0.0 { (1.0 - expected / mean).clamp(0.0, 1.0) } else { 1.0 };
        let se_at = |left: f64| sd * (left / n_held as f64 + 1.0 / n_exposed as f64).sqrt();
        let se = se_at(left);
        let mde = min_detectable_effect(se_at(1.0), LEVEL, TARGET_POWER);
        let pw = power(expected, se, LEVEL);
        let c = Plan {
            held_out: held_out.clone(),
            accounts,
            held_out_count: n_held,
            weeks,
            washout_weeks: washout,
            analysed_weeks: analysed,
            pre_weeks: pre,
            efficiency,
            account_sd: sd,
            stretches,
            se,
            min_detectable_effect: mde,
            min_detectable_company_effect: if per_account_week > 0.0 { mde / per_account_week } else { f64::INFINITY },
            effect: req.effect,
            expected_estimate: expected,
            power: pw,
            reaches_power: pw >= TARGET_POWER,
        };
        done = c.reaches_power;
        Some(c.se.is_finite().then_some(c))
    });
    best_of(candidates.flatten())
        .ok_or_else(|| DecideError::Invalid("no account holdout fits in the weeks allowed".into()))
}

impl Candidate for Plan {
    fn weeks(&self) -> usize {
        self.weeks
    }
    fn reaches_power(&self) -> bool {
        self.reaches_power
    }
    fn min_detectable_channel_effect(&self) -> f64 {
        self.min_detectable_company_effect
    }
}
