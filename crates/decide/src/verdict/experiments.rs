//! An experiment's readout as the verdict weighs it: the effect of the **whole channel in a normal week**
//! (target units, 90 % interval), scaled from what the design measured, with the assumption the scaling needs
//! in words. The verdict sets it against the channel's weekly full cost ([`super::facts::experiment_evidence`]).
//!
//! Each design measures a part of the channel's effect:
//!
//! * a **pause** (switchback) the contrast of normal against paused weeks, over the whole company; over the
//!   schedule's efficiency (the share of a normal week's effect the contrast shows after carry-over) it is the
//!   effect of a normal week. No scaling: the pause treats everyone.
//! * a **geo-split** the outcome per week that pausing took away in the paused regions; over the efficiency (the
//!   share of a steady week's effect the analysed weeks show once the carry-over let go) it is the steady effect
//!   there, and over the paused regions' share of the history's outcome, the whole channel's. This assumes the
//!   channel works alike everywhere: per unit of outcome, it adds as much in the paused regions as in the others.
//! * an **account holdout** the outcome per held-out account over the analysed weeks that holding out took away;
//!   over the efficiency, times every account and over the analysed weeks, it is the whole channel's weekly
//!   effect. The held-out accounts are a stratified random sample of all accounts, so their mean loss estimates
//!   every account's without assuming the channel works alike on each; it assumes no spill-over (the exposed
//!   accounts lose nothing through the held-out ones) and misses what the channel does outside accounts (deals
//!   without one).
//!
//! Dividing by the treated share is the same as charging the experiment the channel's cost over its treated
//! share and weeks: `(effect_treated x value x margin - cost x share) / (cost x share)` equals
//! `(effect_treated / share x value x margin - cost) / cost`. So the ROI is the treated part's, and it is the
//! whole channel's under the assumption above.

use crate::experiment::{account_holdout, geo_split, switchback, Design};
use crate::interval::Interval;
use crate::DecideError;
use serde::Serialize;

/// One experiment read out, as the verdict weighs it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExperimentEffect {
    pub channel: String,
    pub design: Design,
    /// What the readout measured, in its own unit (`measured_unit`), with its 90 % interval: what `experiment
    /// analyze` prints (pause: `contrast`; geo-split: `effect`; account holdout: `per_account`).
    pub measured: Interval,
    pub measured_unit: &'static str,
    /// Share of a steady week's effect the compared weeks show after carry-over (`None`: the plan had no
    /// carry-over; the effect is then taken as measured).
    pub efficiency: Option<f64>,
    /// The part of the channel the experiment withheld: 1 for a pause, the paused regions' share of the history's
    /// outcome, the held-out accounts' share of all accounts.
    pub treated_share: f64,
    /// Weeks compared (after the washout).
    pub analysed_weeks: usize,
    /// The whole channel's effect in a normal week (target units), with its 90 % interval: what the ROI is
    /// computed from.
    pub weekly_effect: Interval,
    /// How `measured` became `weekly_effect`, and what that assumes, in words.
    pub scaling: String,
}

impl ExperimentEffect {
    /// How the reasons cite it: "geo-split (10 weeks compared; what pausing took away ...)".
    pub fn label(&self) -> String {
        format!("{} ({} weeks compared; {})", self.design.label(), self.analysed_weeks, self.scaling)
    }
}

fn scale(i: &Interval, by: f64) -> Interval {
    Interval::new(i.estimate * by, i.low * by, i.high * by)
}

/// The carry-over's share in words, when it matters (the compared weeks show less than 99.5 % of a steady week).
fn carry_over(efficiency: Option<f64>) -> String {
    match efficiency {
        Some(e) if e < 0.995 => {
            format!(" (corrected for carry-over: the weeks compared show {:.0} % of a steady week's effect)", 100.0 * e)
        }
        _ => String::new(),
    }
}

fn positive(x: f64, what: &str) -> Result<f64, DecideError> {
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        Err(DecideError::Invalid(format!("{what} is {x}: the experiment's effect cannot be scaled to the channel")))
    }
}

/// A pause: the effect of a normal week is the readout's (contrast over efficiency), for the whole company.
pub fn from_pause(channel: &str, r: &switchback::Readout) -> ExperimentEffect {
    let weekly = r.weekly_effect.unwrap_or(r.contrast);
    let scaling = format!(
        "normal against paused weeks{}; the pause treated everyone",
        carry_over(r.efficiency.filter(|_| r.weekly_effect.is_some()))
    );
    ExperimentEffect {
        channel: channel.to_string(),
        design: Design::Pause,
        measured: r.contrast,
        measured_unit: "per week, normal against paused",
        efficiency: r.efficiency,
        treated_share: 1.0,
        analysed_weeks: r.analysed_on + r.analysed_off,
        weekly_effect: weekly,
        scaling,
    }
}

/// A geo-split: the steady effect in the paused regions over their share of the outcome (see the module).
pub fn from_geo_split(channel: &str, r: &geo_split::Readout) -> Result<ExperimentEffect, DecideError> {
    let share = positive(r.paused_share, "the paused regions' share of the outcome")?;
    let steady = r.steady_effect.unwrap_or(r.effect);
    let efficiency = r.efficiency.filter(|_| r.steady_effect.is_some());
    let carry = carry_over(efficiency);
    Ok(ExperimentEffect {
        channel: channel.to_string(),
        design: Design::GeoSplit,
        measured: r.effect,
        measured_unit: "per week in the paused regions",
        efficiency: r.efficiency,
        treated_share: share,
        analysed_weeks: r.analysed_weeks,
        weekly_effect: scale(&steady, 1.0 / share),
        scaling: format!(
            "the loss in the paused regions{carry}, over their {:.0} % share of the outcome: assumes the channel adds \
             as much per unit of outcome there as elsewhere",
            100.0 * share
        ),
    })
}

/// An account holdout: the steady loss per held-out account, times every account, per analysed week (see the
/// module).
pub fn from_account_holdout(channel: &str, r: &account_holdout::Readout) -> Result<ExperimentEffect, DecideError> {
    let accounts = r.adjusted.held_out + r.adjusted.exposed;
    let weeks = positive(r.analysed_weeks as f64, "the number of weeks compared")?;
    let share = positive(r.adjusted.held_out as f64, "the number of held-out accounts")? / accounts as f64;
    let steady = r.steady_per_account.unwrap_or(r.per_account);
    let efficiency = r.efficiency.filter(|_| r.steady_per_account.is_some());
    let carry = carry_over(efficiency);
    Ok(ExperimentEffect {
        channel: channel.to_string(),
        design: Design::AccountHoldout,
        measured: r.per_account,
        measured_unit: "per held-out account over the weeks compared",
        efficiency: r.efficiency,
        treated_share: share,
        analysed_weeks: r.analysed_weeks,
        weekly_effect: scale(&steady, accounts as f64 / weeks),
        scaling: format!(
            "the loss per held-out account{carry}, times all {accounts} accounts, per week compared: the held-out \
             accounts are a random sample of them; assumes no spill-over to the exposed ones, and deals without an \
             account are not seen"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::account_holdout::estimator::Adjusted;
    use crate::experiment::placebo::{Null, NullMethod};

    fn null() -> Null {
        Null { sd: 1.0, method: NullMethod::Ar1, windows: 0, placebos: Vec::new() }
    }

    #[test]
    fn a_geo_split_scales_its_steady_effect_by_the_paused_share() {
        let r = geo_split::Readout {
            effect: Interval::new(100.0, 40.0, 160.0),
            company_effect: Interval::new(400.0, 160.0, 640.0),
            paused_share: 0.25,
            ratio: 0.3,
            null_sd: 36.0,
            calibration: 1.0,
            null: null(),
            p_value: None,
            pre_weeks: 52,
            analysed_weeks: 10,
            steady_effect: Some(Interval::new(125.0, 50.0, 200.0)),
            efficiency: Some(0.8),
        };
        let e = from_geo_split("li", &r).unwrap();
        // 125 a week steady in a quarter of the company: 500 a week for the whole channel.
        assert_eq!(e.weekly_effect, Interval::new(500.0, 200.0, 800.0));
        assert_eq!(e.treated_share, 0.25);
        assert!(e.scaling.contains("25 %") && e.scaling.contains("80 %"), "{}", e.scaling);
        let none = geo_split::Readout { paused_share: 0.0, ..r };
        assert!(from_geo_split("li", &none).is_err());
    }

    #[test]
    fn an_account_holdout_adds_up_every_accounts_loss_per_week() {
        let r = account_holdout::Readout {
            per_account: Interval::new(30.0, 10.0, 50.0),
            total: Interval::new(3000.0, 1000.0, 5000.0),
            adjusted: Adjusted { estimate: 30.0, se: 12.0, slope: 0.1, held_out: 100, exposed: 300 },
            p_value: 0.01,
            pre_weeks: 52,
            analysed_weeks: 12,
            steady_per_account: Some(Interval::new(36.0, 12.0, 60.0)),
            efficiency: Some(30.0 / 36.0),
        };
        let e = from_account_holdout("ads", &r).unwrap();
        // 36 per account over 12 weeks, 400 accounts: 1200 a week.
        assert!((e.weekly_effect.estimate - 1200.0).abs() < 1e-9, "{:?}", e.weekly_effect);
        assert!((e.weekly_effect.low - 400.0).abs() < 1e-9 && (e.weekly_effect.high - 2000.0).abs() < 1e-9);
        assert_eq!(e.treated_share, 0.25);
        assert!(e.scaling.contains("400 accounts"), "{}", e.scaling);
    }
}
