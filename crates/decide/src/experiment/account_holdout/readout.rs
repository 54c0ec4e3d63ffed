//! Reading out an account holdout once its weeks are over: per account, the outcome over the analysed weeks
//! (after the washout), adjusted by the outcome over the weeks before ([`super::estimator::ancova`]); the
//! difference between exposed and held-out accounts with a 90 % interval from its robust standard error.

use super::estimator::{ancova, Adjusted};
use super::{pre_weeks, MIN_ACCOUNTS};
use crate::experiment::carryover::Response;
use crate::experiment::LEVEL;
use crate::interval::Interval;
use crate::stats::{normal_cdf, normal_quantile};
use crate::DecideError;
use serde::Serialize;

/// What an account holdout found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Readout {
    /// The outcome per held-out account over the analysed weeks that holding out took away (exposed minus
    /// held out; positive when the channel helps), with its 90 % interval.
    pub per_account: Interval,
    /// The same over all held-out accounts (per account x held-out accounts).
    pub total: Interval,
    pub adjusted: Adjusted,
    /// Two-sided p-value of the difference (normal approximation).
    pub p_value: f64,
    pub pre_weeks: usize,
    pub analysed_weeks: usize,
    /// The channel's steady effect per held-out account over the analysed weeks: the effect over the share of
    /// it the analysed weeks show after carry-over (`None` without a response).
    pub steady_per_account: Option<Interval>,
    pub efficiency: Option<f64>,
}

/// Reads out an account holdout: `history` and `during` per account (same order as `held_out`), per week, before
/// and during the experiment; the first `washout_weeks` of the experiment are not compared.
pub fn read_out(
    history: &[Vec<f64>],
    during: &[Vec<f64>],
    held_out: &[bool],
    washout_weeks: usize,
    response: Option<&Response>,
) -> Result<Readout, DecideError> {
    let accounts = held_out.len();
    if history.len() != accounts || during.len() != accounts {
        return Err(DecideError::Invalid(format!(
            "{accounts} accounts assigned but {} with history and {} with the experiment's weeks",
            history.len(),
            during.len()
        )));
    }
    if accounts < MIN_ACCOUNTS {
        return Err(DecideError::Invalid(format!(
            "an account holdout needs at least {MIN_ACCOUNTS} accounts, there are {accounts}"
        )));
    }
    let n = history[0].len();
    let weeks = during[0].len();
    if history.iter().any(|s| s.len() != n) || during.iter().any(|s| s.len() != weeks) {
        return Err(DecideError::Invalid("every account needs a number for every week".into()));
    }
    if history.iter().chain(during).flatten().any(|v| !v.is_finite()) {
        return Err(DecideError::Invalid("an account's outcome is not a number".into()));
    }
    if washout_weeks >= weeks {
        return Err(DecideError::Invalid(format!(
            "the experiment has {weeks} weeks, all in the washout of {washout_weeks}: nothing to compare"
        )));
    }
    let pre = pre_weeks(n);
    let x: Vec<f64> = history.iter().map(|s| s[n - pre..].iter().sum()).collect();
    let y: Vec<f64> = during.iter().map(|s| s[washout_weeks..].iter().sum()).collect();
    let adjusted = ancova(&y, &x, held_out).ok_or_else(|| {
        DecideError::Invalid("each arm needs at least 2 accounts: the holdout has too few held out or exposed".into())
    })?;
    let z = normal_quantile(0.5 + LEVEL / 2.0);
    let (e, se) = (adjusted.estimate, adjusted.se);
    let per_account = Interval::new(e, e - z * se, e + z * se);
    let k = adjusted.held_out as f64;
    let scale = |i: &Interval, by: f64| Interval::new(i.estimate * by, i.low * by, i.high * by);
    let p_value = if se > 0.0 {
        2.0 * normal_cdf(-(e / se).abs())
    } else if e == 0.0 {
        1.0
    } else {
        0.0
    };
    let efficiency = response.map(|r| r.hold_off_efficiency(weeks, washout_weeks));
    Ok(Readout {
        total: scale(&per_account, k),
        steady_per_account: efficiency.filter(|f| *f > 0.0).map(|f| scale(&per_account, 1.0 / f)),
        per_account,
        adjusted,
        p_value,
        pre_weeks: pre,
        analysed_weeks: weeks - washout_weeks,
        efficiency,
    })
}
