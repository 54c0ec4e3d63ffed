//! Targets: how far a target's metric has come in its period, where it is headed by the period's end (with a 90 %
//! interval), and whether it is on track. [`observe`] reads the period's days from a [`Dataset`], the
//! [`forecast`] module extrapolates them, [`evaluate`] puts the two together; see docs/targets.md.
//!
//! **Status.** On track when the whole interval of the forecast meets the threshold, off track when none of it
//! does, and "cannot tell yet" when it straddles the threshold, when fewer than [`MIN_DAYS`] days of the period
//! have passed, or when the data give no figure. Once the period is over the forecast is the figure itself, so
//! the status says whether the target was met.

pub mod forecast;
mod observe;

pub use forecast::{Forecast, RatioDay};
pub use observe::{observe, Observations};

use crate::Settings;
use serde::{Deserialize, Serialize};
use socialledger_domain::{Dataset, Date, Target, TargetMetric};

/// Fewest elapsed days of a period before a status other than "cannot tell yet" is given.
pub const MIN_DAYS: i64 = 7;

/// Where a target stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The whole interval of the forecast meets the threshold (after the period: it was met).
    OnTrack,
    /// None of the interval meets the threshold (after the period: it was missed).
    OffTrack,
    /// The interval straddles the threshold, too few days have passed, or there is no figure yet.
    CannotTell,
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::OnTrack => "on_track",
            Status::OffTrack => "off_track",
            Status::CannotTell => "cannot_tell",
        }
    }

    /// The status in words.
    pub fn words(&self) -> &'static str {
        match self {
            Status::OnTrack => "on track",
            Status::OffTrack => "off track",
            Status::CannotTell => "cannot tell yet",
        }
    }
}

/// A target's progress, forecast and status on a day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The last day counted (the day before the check, or the period's end once it is over).
    pub as_of: Date,
    /// Days of the period counted so far, and in all.
    pub days_elapsed: i64,
    pub days_total: i64,
    /// The metric over the days so far, in its unit; `None` when the data give none (no impressions, ...).
    pub so_far: Option<f64>,
    /// The metric forecast at the period's end with its 90 % interval.
    pub forecast: Option<Forecast>,
    pub status: Status,
    /// Why the status is what it is, in words.
    pub reason: String,
    /// What the figure rests on, e.g. "12,345 impressions on 9 days", "14 conversations".
    pub basis: String,
}

/// Evaluates `target` on the observations of its period up to and including `as_of` (the last complete day).
pub fn evaluate(target: &Target, observations: &Observations, as_of: Date) -> Evaluation {
    let period = target.period;
    let days_total = period.days();
    let last = as_of.min(period.end());
    let days_elapsed = if last < period.start { 0 } else { (last - period.start).num_days() + 1 };
    let days_left = u32::try_from(days_total - days_elapsed).unwrap_or(0);
    let over = days_left == 0;
    let (so_far, forecast) = match observations {
        Observations::Ratio { days } => {
            let proportion = target.metric == TargetMetric::EngagementRate;
            match forecast::ratio(days, days_left, proportion) {
                Some((s, f)) => (Some(s), Some(f)),
                None => (None, None),
            }
        }
        Observations::Sum { days } => match forecast::cumulative(days, days_left) {
            Some((s, f)) => (Some(s), Some(f)),
            None => (None, None),
        },
        Observations::Median { values } => match forecast::median(values, over) {
            Some((s, f)) => (Some(s), f),
            None => (None, None),
        },
    };
    let (status, reason) = if no_cost_recorded(target, observations) {
        // A cost per engagement of 0 would meet any "at most" target: with no cost there is nothing to judge.
        (
            Status::CannotTell,
            "no cost is recorded for this period yet (hours, cost items, spend): a cost per engagement of 0 would \
             meet any target"
                .to_string(),
        )
    } else {
        status_of(target, days_elapsed, over, so_far, forecast.as_ref())
    };
    Evaluation {
        as_of: last.max(period.start),
        days_elapsed,
        days_total,
        so_far,
        forecast,
        status,
        reason,
        basis: observations.basis(),
    }
}

/// True for a cost-per-engagement target whose days so far carry no cost at all.
fn no_cost_recorded(target: &Target, observations: &Observations) -> bool {
    match observations {
        Observations::Ratio { days } if target.metric == TargetMetric::CostPerEngagement => {
            days.iter().all(|d| d.numerator == 0.0)
        }
        _ => false,
    }
}

fn status_of(
    target: &Target,
    days_elapsed: i64,
    over: bool,
    so_far: Option<f64>,
    forecast: Option<&Forecast>,
) -> (Status, String) {
    let (cmp, threshold) = (target.comparison, target.threshold);
    if days_elapsed == 0 {
        return (Status::CannotTell, "the period has not begun".to_string());
    }
    let Some(value) = so_far else {
        return (Status::CannotTell, "no data for this metric in the period yet".to_string());
    };
    if over {
        return if cmp.meets(value, threshold) {
            (Status::OnTrack, "the period is over and the target was met".to_string())
        } else {
            (Status::OffTrack, "the period is over and the target was missed".to_string())
        };
    }
    if days_elapsed < MIN_DAYS {
        return (Status::CannotTell, format!("only {days_elapsed} of the first {MIN_DAYS} days have passed"));
    }
    let Some(f) = forecast else {
        return (Status::CannotTell, "too few observations for an interval yet".to_string());
    };
    let (good, bad) = match cmp {
        socialledger_domain::Comparison::AtLeast => (f.low >= threshold, f.high < threshold),
        socialledger_domain::Comparison::AtMost => (f.high <= threshold, f.low > threshold),
    };
    if good {
        (Status::OnTrack, "the whole 90 % interval of the forecast meets the target".to_string())
    } else if bad {
        (Status::OffTrack, "the whole 90 % interval of the forecast misses the target".to_string())
    } else {
        (Status::CannotTell, "the 90 % interval of the forecast straddles the target".to_string())
    }
}

/// One target checked: its id in the store, the target and where it stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetCheck {
    pub id: i64,
    pub target: Target,
    pub evaluation: Evaluation,
}

/// Checks every target on `dataset` as of `as_of` (the last complete day), in the order given.
pub fn check_all(dataset: &Dataset, settings: &Settings, targets: &[(i64, Target)], as_of: Date) -> Vec<TargetCheck> {
    targets
        .iter()
        .map(|(id, target)| {
            let observations = observe(dataset, settings, target, as_of);
            TargetCheck { id: *id, target: target.clone(), evaluation: evaluate(target, &observations, as_of) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use socialledger_domain::{Comparison, TargetPeriod};

    fn target(metric: TargetMetric, threshold: f64) -> Target {
        let period = TargetPeriod::parse("2026-11").unwrap();
        Target::new(Some("li".into()), metric, metric.natural_comparison(), threshold, period).unwrap()
    }

    fn day(d: u32) -> Date {
        Date::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn steady(n: usize, eng: f64) -> Observations {
        Observations::Ratio { days: vec![RatioDay { numerator: eng, denominator: 10_000.0 }; n] }
    }

    #[test]
    fn status_follows_the_interval() {
        // 4 % of 10,000 impressions a day for 15 days, 15 to go: the interval is 4 % ± 0.06 points.
        let obs = steady(15, 400.0);
        let on = evaluate(&target(TargetMetric::EngagementRate, 0.035), &obs, day(15));
        assert_eq!((on.status, on.days_elapsed, on.days_total), (Status::OnTrack, 15, 30));
        let off = evaluate(&target(TargetMetric::EngagementRate, 0.045), &obs, day(15));
        assert_eq!(off.status, Status::OffTrack);
        let unsure = evaluate(&target(TargetMetric::EngagementRate, 0.0401), &obs, day(15));
        assert_eq!(unsure.status, Status::CannotTell);
        assert!(unsure.reason.contains("straddles"));
    }

    #[test]
    fn too_few_days_and_no_data_cannot_tell() {
        let early = evaluate(&target(TargetMetric::EngagementRate, 0.01), &steady(3, 400.0), day(3));
        assert_eq!(early.status, Status::CannotTell);
        assert!(early.reason.contains("3 of the first 7"));
        let empty = Observations::Ratio { days: vec![RatioDay { numerator: 0.0, denominator: 0.0 }; 10] };
        let none = evaluate(&target(TargetMetric::EngagementRate, 0.01), &empty, day(10));
        assert_eq!((none.status, none.so_far), (Status::CannotTell, None));
        let before = evaluate(
            &target(TargetMetric::Pipeline, 1.0),
            &Observations::Sum { days: vec![] },
            day(1).pred_opt().unwrap(),
        );
        assert_eq!((before.status, before.days_elapsed), (Status::CannotTell, 0));
    }

    #[test]
    fn a_cost_per_engagement_without_any_cost_cannot_be_judged() {
        // Engagements but no cost: 0 per engagement would meet any "at most" target.
        let free = Observations::Ratio { days: vec![RatioDay { numerator: 0.0, denominator: 50.0 }; 20] };
        let e = evaluate(&target(TargetMetric::CostPerEngagement, 100.0), &free, day(20));
        assert_eq!(e.status, Status::CannotTell);
        assert!(e.reason.contains("no cost is recorded"), "{}", e.reason);
        // With cost it is judged on its interval.
        let paid = Observations::Ratio { days: vec![RatioDay { numerator: 2_000.0, denominator: 50.0 }; 20] };
        assert_eq!(evaluate(&target(TargetMetric::CostPerEngagement, 100.0), &paid, day(20)).status, Status::OnTrack);
    }

    #[test]
    fn a_finished_period_is_met_or_missed() {
        let obs = Observations::Sum { days: vec![1000.0; 30] };
        let met = evaluate(&target(TargetMetric::Pipeline, 30_000.0), &obs, day(30).succ_opt().unwrap());
        assert_eq!((met.status, met.so_far, met.days_elapsed), (Status::OnTrack, Some(30_000.0), 30));
        let missed = evaluate(&target(TargetMetric::Pipeline, 30_001.0), &obs, day(30));
        assert_eq!(missed.status, Status::OffTrack);
        assert!(missed.reason.contains("missed"));
    }

    #[test]
    fn at_most_targets_are_mirrored() {
        // Response times 1..=20 hours: median 10.5, 90 % interval (x₍₆₎, x₍₁₅₎) = (6, 15) for n = 20.
        let obs = Observations::Median { values: (1..=20).map(f64::from).collect() };
        let t = |h| Target { comparison: Comparison::AtMost, ..target(TargetMetric::ResponseTime, h) };
        assert_eq!(evaluate(&t(16.0), &obs, day(10)).status, Status::OnTrack);
        assert_eq!(evaluate(&t(5.0), &obs, day(10)).status, Status::OffTrack);
        assert_eq!(evaluate(&t(10.0), &obs, day(10)).status, Status::CannotTell);
    }
}
