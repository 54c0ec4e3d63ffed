//! The evidence about every channel, gathered from what the analyses computed: the mix model's fit, the
//! incremental attribution model with its bootstrap, the heuristic models' ROI, and the signs of bad execution
//! (the cross-posting audit, the engagement-rate trend, the response times). Each
//! becomes an [`Evidence`] whose ROI is on **gross profit** (the margin of what the channel brings, minus its full
//! cost, over that cost), so that every kind of evidence answers the same question and can be compared.
//!
//! Pure: the caller runs the analyses (it has the database); this module only translates their figures.

use super::evidence::{
    ChannelFacts, Evidence, EvidenceKind, ExecutionCode, ExecutionIssue, Interval, TargetGroupFacts,
};
use super::experiments::ExperimentEffect;
use crate::words::whole;
use socialledger_analytics::attribution::paths::DataDrivenResult;
use socialledger_analytics::crosspost::CrosspostAudit;
use socialledger_analytics::engagement_trend::TrendReport;
use socialledger_analytics::responses::ResponseReport;
use socialledger_analytics::roi::RoiReport;
use socialledger_analytics::TargetGroupReport;
use socialledger_analytics::ValueBasis;
use socialledger_mmm::result::{ChannelResult, MmmResult};
use std::collections::BTreeMap;

/// A channel is run badly when at least this share of its posts with text are identical (or near-identical)
/// cross-posts of a post on another network: one text pushed everywhere ignores each network's audience.
pub const IDENTICAL_SHARE_FIX: f64 = 0.5;
/// ... and it has at least this many posts with text (a share of three posts says nothing).
pub const MIN_POSTS_FOR_SHARE: usize = 10;

/// The mix model's fit as the verdict reads it.
pub struct MixEvidence<'a> {
    pub result: &'a MmmResult,
    /// What one unit of the target is worth and on what basis (`None` value: no money ROI).
    pub value: Option<f64>,
    pub basis: ValueBasis,
}

/// Everything the verdict is gathered from, for one period.
pub struct Inputs<'a> {
    /// Share of revenue that is margin: every ROI here is on gross profit.
    pub gross_margin: f64,
    /// Channel key, display name and full cost over the period in major units, in the order to report.
    pub channels: &'a [(String, String, f64)],
    pub heuristic: Option<&'a RoiReport>,
    /// The incremental model fitted on the revenue journeys, with bootstrap bounds of each channel's value.
    pub incremental: Option<&'a DataDrivenResult>,
    pub mix: Option<MixEvidence<'a>>,
    pub crossposts: Option<&'a CrosspostAudit>,
    /// The engagement-rate trend per channel (`falling_engagement`).
    pub trends: Option<&'a TrendReport>,
    /// First-response times per channel (`slow_responses`).
    pub responses: Option<&'a ResponseReport>,
    /// The target group fit, when a target group was given.
    pub target_group: Option<&'a TargetGroupReport>,
    /// Hours of value-beyond-sales work per channel (customer service, recruiting, PR, procurement).
    pub value_beyond_sales_hours: &'a BTreeMap<String, f64>,
    /// Experiments read out, by channel: the strongest evidence there is ([`experiment_evidence`]).
    pub experiments: &'a [(String, Evidence)],
}

/// ROI on revenue turned into ROI on gross profit: `(R·g − C)/C = g·(ROI_R + 1) − 1`.
pub fn on_gross_profit(roi_on_revenue: f64, gross_margin: f64) -> f64 {
    gross_margin * (roi_on_revenue + 1.0) - 1.0
}

/// The facts of every channel of `inputs.channels`.
pub fn gather(inputs: &Inputs<'_>) -> Vec<ChannelFacts> {
    let mix_channels: BTreeMap<&str, &ChannelResult> = inputs
        .mix
        .as_ref()
        .map(|m| m.result.channels.iter().map(|c| (c.channel.as_str(), c)).collect())
        .unwrap_or_default();
    inputs
        .channels
        .iter()
        .map(|(key, name, cost)| {
            let mut evidence: Vec<Evidence> =
                inputs.experiments.iter().filter(|(k, _)| k == key).map(|(_, e)| e.clone()).collect();
            if let (Some(mix), Some(c)) = (&inputs.mix, mix_channels.get(key.as_str())) {
                evidence.push(mix_evidence(mix, c, inputs.gross_margin));
            }
            if let Some(e) = inputs.incremental.and_then(|r| incremental_evidence(r, key, *cost, inputs.gross_margin)) {
                evidence.push(e);
            }
            if let Some(e) = inputs.heuristic.and_then(|r| heuristic_evidence(r, key)) {
                evidence.push(e);
            }
            let mut execution = inputs.crossposts.map(|a| execution_issues(a, key)).unwrap_or_default();
            execution.extend(inputs.trends.and_then(|t| falling_engagement(t, key)));
            execution.extend(inputs.responses.and_then(|r| slow_responses(r, key)));
            let target_group =
                inputs.target_group.and_then(|r| r.channels.iter().find(|c| &c.channel == key)).map(|c| {
                    TargetGroupFacts {
                        misses: c.misses_target_group,
                        reading: if c.misses_because.is_empty() {
                            c.reading.clone()
                        } else {
                            c.misses_because.join("; ")
                        },
                    }
                });
            ChannelFacts {
                channel: key.clone(),
                name: name.clone(),
                cost: *cost,
                evidence,
                execution,
                target_group,
                value_beyond_sales_hours: inputs.value_beyond_sales_hours.get(key).copied().unwrap_or(0.0),
            }
        })
        .collect()
}

/// The mix model's evidence on one channel: its ROI on gross profit where the fit passed its checks, the
/// channel is identifiable and the target has a money value that is revenue (not pipeline at face value).
pub fn mix_evidence(mix: &MixEvidence<'_>, c: &ChannelResult, gross_margin: f64) -> Evidence {
    let gp = |r: Option<f64>| r.map(|r| on_gross_profit(r, gross_margin));
    let interval = |e: Option<f64>, l: Option<f64>, h: Option<f64>| match (gp(e), gp(l), gp(h)) {
        (Some(e), Some(l), Some(h)) => Some(Interval::new(e, l.min(h), h.max(l))),
        _ => None,
    };
    let roi = interval(c.roi, c.roi_low, c.roi_high);
    let marginal_roi = interval(c.marginal_roi, c.marginal_roi_low, c.marginal_roi_high);
    let priced = mix.value.is_some_and(|v| v > 0.0) && !matches!(mix.basis, ValueBasis::Pipeline | ValueBasis::NoValue);
    let why = if !mix.result.diagnostics.passed {
        Some("the mix model's fit failed its checks".to_string())
    } else if !c.identifiable {
        Some(c.why.clone().unwrap_or_else(|| "its history does not identify it".to_string()))
    } else if !priced {
        Some("too few closed deals to know what a unit of the target is worth in revenue".to_string())
    } else if roi.is_none() {
        Some("it has no cost in the panel".to_string())
    } else {
        None
    };
    // A pipeline (or deal-count) target counts deals created: what a channel adds to winning them is not in it.
    let lower_bound_only = matches!(mix.result.target.as_str(), "pipeline" | "deals").then(|| {
        format!(
            "the mix model's target is {}: it sees what the channel adds to deals created, not to winning them",
            mix.result.target
        )
    });
    Evidence {
        kind: EvidenceKind::Mmm,
        roi,
        marginal_roi,
        tells: why.is_none(),
        why,
        lower_bound_only,
        experiment: None,
    }
}

/// An experiment's evidence: the whole channel's effect in a normal week (target units, 90 % interval; scaled
/// from the readout by [`super::experiments`]) at `value` per unit and the gross margin, against its weekly full
/// cost: `(effect x value x margin - weekly cost) / weekly cost`, the interval's ends from the effect's. For a
/// geo-split or an account holdout this equals the ROI of the treated part against the channel's cost over the
/// treated share (`(treated effect x value x margin - cost x share) / (cost x share)`). A pipeline target sees deal
/// creation only, so, as for the mix model, the ROI is then a lower bound (`lower_bound_only`).
pub fn experiment_evidence(
    effect: &ExperimentEffect,
    weekly_cost: f64,
    value: f64,
    gross_margin: f64,
    target: &str,
) -> Evidence {
    let roi = |effect: f64| (effect * value * gross_margin - weekly_cost) / weekly_cost;
    let tells = weekly_cost > 0.0 && value > 0.0;
    let w = effect.weekly_effect;
    Evidence {
        kind: EvidenceKind::Experiment,
        roi: tells.then(|| Interval::new(roi(w.estimate), roi(w.low), roi(w.high))),
        marginal_roi: None,
        tells,
        why: (!tells).then(|| "the channel has no cost, or a unit of the target no value".to_string()),
        lower_bound_only: matches!(target, "pipeline" | "deals").then(|| {
            format!("the experiment's outcome is {target}: it sees what the channel adds to deals created, not to winning them")
        }),
        experiment: Some(effect.clone()),
    }
}

/// The incremental model's evidence: the revenue the channel *added* (bootstrap interval), at the gross margin,
/// against its full cost. `None` when the model does not list the channel or the channel has no cost.
pub fn incremental_evidence(r: &DataDrivenResult, key: &str, cost: f64, gross_margin: f64) -> Option<Evidence> {
    let c = r.channels.iter().find(|c| c.channel == key)?;
    if cost <= 0.0 {
        return None;
    }
    let roi = |value: f64| (value * gross_margin - cost) / cost;
    let weak = r.credited.is_weak();
    let why = weak.then(|| {
        format!(
            "the channels together may have caused almost none of the conversions (credited {:.0} %, lower bound \
             {:.0} %)",
            100.0 * r.credited.fraction,
            100.0 * r.credited.low
        )
    });
    Some(Evidence {
        kind: EvidenceKind::Incremental,
        roi: Some(Interval::new(roi(c.value), roi(c.value_low), roi(c.value_high))),
        marginal_roi: None,
        tells: !weak,
        why,
        lower_bound_only: None,
        experiment: None,
    })
}

/// The heuristic models' ROI as one piece of evidence: the median model's ROI, from the lowest to the highest.
/// Not an interval of uncertainty but of disagreement between rules; it never decides.
pub fn heuristic_evidence(r: &RoiReport, key: &str) -> Option<Evidence> {
    let c = r.channels.iter().find(|c| c.channel == key)?;
    let mut rois: Vec<f64> = c.models.iter().filter_map(|m| m.roi).collect();
    if rois.is_empty() {
        return None;
    }
    rois.sort_by(f64::total_cmp);
    let median = rois[rois.len() / 2];
    Some(Evidence {
        kind: EvidenceKind::Heuristic,
        roi: Some(Interval::new(median, rois[0], rois[rois.len() - 1])),
        marginal_roi: None,
        tells: true,
        why: None,
        lower_bound_only: None,
        experiment: None,
    })
}

/// Signs that the channel is run badly, from the cross-posting audit.
pub fn execution_issues(audit: &CrosspostAudit, key: &str) -> Vec<ExecutionIssue> {
    let Some(c) = audit.channels.iter().find(|c| c.channel == key) else { return Vec::new() };
    let Some(share) = c.identical_share else { return Vec::new() };
    if c.posts_with_text < MIN_POSTS_FOR_SHARE || share < IDENTICAL_SHARE_FIX {
        return Vec::new();
    }
    let mut message = format!(
        "{:.0} % of its posts ({} of {}) are identical copies of posts on other networks",
        100.0 * share,
        c.identical,
        c.posts_with_text
    );
    if let Some(cmp) = &audit.comparison {
        message.push_str(&format!(
            "; across the channels, tailored posts engage {:.2} times as much as identical ones (90 % interval {:.2} \
             to {:.2})",
            cmp.ratio, cmp.low, cmp.high
        ));
    }
    vec![ExecutionIssue { code: ExecutionCode::IdenticalCrossposts, message }]
}

/// A percentage of a fraction, whole (`0.347` -> `35 %`), without a sign.
fn pct(x: f64) -> String {
    format!("{} %", whole(100.0 * x))
}

/// Hours as the reasons write them: one decimal below 10, whole above (`2.5`, `41`).
fn hours_number(h: f64) -> String {
    if h < 10.0 {
        format!("{h:.1}")
    } else {
        whole(h)
    }
}

/// Hours with their unit (`2.5 hours`, `41 hours`).
fn hours(h: f64) -> String {
    format!("{} hours", hours_number(h))
}

/// The `falling_engagement` issue: the channel's engagement rate by impressions falls faster than the threshold
/// across the whole interval of its yearly trend (crates/analytics, `engagement_trend`).
pub fn falling_engagement(report: &TrendReport, key: &str) -> Option<ExecutionIssue> {
    let t = report.channel(key).filter(|t| t.falling)?;
    let (change, low, high) = (t.yearly_change?, t.yearly_change_low?, t.yearly_change_high?);
    let months = match (t.first_month, t.last_month) {
        (Some(f), Some(l)) => format!(" from {} to {}", f.format("%Y-%m"), l.format("%Y-%m")),
        _ => String::new(),
    };
    let rates = match (t.rate_first, t.rate_last) {
        (Some(a), Some(b)) => format!(", from {:.2} % to {:.2} % of impressions", 100.0 * a, 100.0 * b),
        _ => String::new(),
    };
    Some(ExecutionIssue {
        code: ExecutionCode::FallingEngagement,
        message: format!(
            "its engagement rate (engagements per impression) falls by {} a year (90 % interval {} to {}){months}{rates}              over {} posts, faster than the {} a year that counts as falling",
            pct(-change),
            pct(-high),
            pct(-low),
            whole(t.observations as f64),
            pct(-report.threshold)
        ),
    })
}

/// The `slow_responses` issue: the median first response comes later than the threshold across its interval
/// (crates/analytics, `responses`).
pub fn slow_responses(report: &ResponseReport, key: &str) -> Option<ExecutionIssue> {
    let c = report.channel(key).filter(|c| c.slow)?;
    let (median, low, high) = (c.median_hours?, c.median_low_hours?, c.median_high_hours?);
    let p90 = c.p90_hours.map(|p| format!("; one in ten waits more than {}", hours(p))).unwrap_or_default();
    let unanswered = match c.unanswered_share {
        Some(s) if c.unanswered > 0 => {
            format!("; {} of {} conversations ({}) were never answered", c.unanswered, c.conversations, pct(s))
        }
        _ => String::new(),
    };
    Some(ExecutionIssue {
        code: ExecutionCode::SlowResponses,
        message: format!(
            "it answers slowly: the median first response takes {} (90 % interval {} to {}, {} answered              conversations), more than the {} an answer should take{p90}{unanswered}",
            hours(median),
            hours_number(low),
            hours(high),
            whole(c.answered as f64),
            hours(report.slow_after_hours)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gross_profit_roi_is_the_margin_of_what_comes_back() {
        // Revenue 300 on cost 100: ROI on revenue +200 %; at a 50 % margin the profit is 150, ROI +50 %.
        assert!((on_gross_profit(2.0, 0.5) - 0.5).abs() < 1e-12);
        // Nothing back is -100 % whatever the margin.
        assert!((on_gross_profit(-1.0, 0.7) + 1.0).abs() < 1e-12);
    }
}
