//! The verdict of every channel as one report: what `socialledger verdict --json` prints and what the report's
//! first page shows. Built from what the analyses found (the caller runs them: it has the database): the
//! evidence per channel ([`super::facts`]), the decision ([`super::rules`]), for every undecided channel the
//! experiment that would settle it, and social as a whole against the rest of the mix.

use super::experiments::ExperimentEffect;
use super::facts::{gather, Inputs, MixEvidence};
use super::next_step::{NextStep, StepRequest, Units};
use super::rules::{decide, Decision, Reason, Verdict};
use super::{Evidence, ExecutionIssue, TargetGroupFacts};
use crate::experiment::carryover::Response;
use crate::experiment::from_fit::channel_from_fit;
use crate::experiment::LEVEL;
use crate::words::whole;
use crate::Interval;
use serde::Serialize;
use socialledger_analytics::attribution::paths::DataDrivenResult;
use socialledger_analytics::crosspost::CrosspostAudit;
use socialledger_analytics::engagement_trend::TrendReport;
use socialledger_analytics::responses::ResponseReport;
use socialledger_analytics::value_beyond_sales::ValueBeyondSalesReport;
use socialledger_analytics::TargetGroupReport;
use socialledger_analytics::{Analysis, Settings, ValueOfTarget};
use socialledger_domain::{ChannelKind, Dataset, DealStatus};
use socialledger_mmm::analyze::inputs_of;
use socialledger_mmm::spec::{AdstockKind, SaturationKind};
use socialledger_mmm::whatif::group_contribution;
use socialledger_mmm::{Fitted, Frequency, Panel};
use std::collections::BTreeMap;

/// The verdict of every channel, social as a whole, and what the evidence was.
#[derive(Clone, Debug, Serialize)]
pub struct VerdictReport {
    pub period: Period,
    pub currency: String,
    /// Every ROI is on gross profit at this margin.
    pub gross_margin: f64,
    pub channels: Vec<ChannelVerdict>,
    pub social: Social,
    /// What evidence there was, and why a kind is missing.
    pub evidence: EvidenceSummary,
    /// The verdict in plain sentences.
    pub reading: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Period {
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

/// One channel's verdict.
#[derive(Clone, Debug, Serialize)]
pub struct ChannelVerdict {
    pub channel: String,
    pub name: String,
    /// `organic_social`, `paid_social`, ... (`None`: the channel is referenced but never declared).
    pub kind: Option<ChannelKind>,
    pub verdict: Verdict,
    /// `experiment`, `mmm`, `incremental`, or `null` when nothing that can decide exists.
    pub evidence: Option<&'static str>,
    /// Full cost over the period, major units.
    pub cost: f64,
    pub roi: Option<f64>,
    pub roi_low: Option<f64>,
    pub roi_high: Option<f64>,
    pub marginal_roi: Option<Interval>,
    pub reasons: Vec<Reason>,
    /// Signs that the channel is run badly (`identical_crossposts`, `falling_engagement`, `slow_responses`),
    /// each with its finding in words; any of them makes the verdict `fix` unless the evidence says `drop`.
    pub execution: Vec<ExecutionIssue>,
    /// Every piece of evidence, strongest first, with its ROI and whether it can tell.
    pub all_evidence: Vec<Evidence>,
    pub next_step: Option<NextStep>,
    /// Against the target group, when one was given (`--icp`).
    pub target_group: Option<TargetGroupFacts>,
    /// What it brings beyond sales, valued by the user's assumptions (`--values`): shown beside the ROI, never
    /// in it.
    pub value_beyond_sales: Option<ValueBeside>,
}

/// Value beyond sales of one channel under the user's assumptions.
#[derive(Clone, Debug, Serialize)]
pub struct ValueBeside {
    /// Hours on customer service, recruiting, PR and procurement.
    pub hours: f64,
    /// Their value under the assumptions, major units; `None` without an assumptions file.
    pub value: Option<f64>,
}

/// A group of channels (organic social, paid social, the rest) by the mix model: what it cost and caused.
#[derive(Clone, Debug, Serialize)]
pub struct GroupFigures {
    /// `organic_social`, `paid_social` or `other_channels`.
    pub group: &'static str,
    pub channels: Vec<String>,
    /// Full cost over the period (the verdict's channel costs), major units.
    pub cost: f64,
    /// Pipeline the group caused over the mix model's panel (target units) with its 90 % interval, summed within
    /// each posterior draw; `None` without a fit or when none of its channels is in the panel.
    pub caused: Option<Interval>,
    /// Its full cost over the panel per unit of caused pipeline (interval from the caused interval).
    pub cost_per_caused: Option<Interval>,
    /// Won deals the caused pipeline stands for (at the CRM's win rate by value and average won deal), and the
    /// cost per such deal.
    pub won_deals_caused: Option<Interval>,
    pub cost_per_won_deal: Option<Interval>,
}

/// Social as a whole against the rest of the mix.
#[derive(Clone, Debug, Serialize)]
pub struct Social {
    /// Full cost over the period of the organic and paid social channels, and of all channels judged.
    pub organic_cost: f64,
    pub paid_cost: f64,
    pub total_cost: f64,
    /// The verdicts of the social channels, counted.
    pub verdicts: BTreeMap<&'static str, usize>,
    /// Organic social, paid social, the other channels.
    pub groups: Vec<GroupFigures>,
    /// What every channel together caused over the panel (90 % interval), the panel's total of the target, and
    /// the share of it that is baseline (there without any channel). `None` without a fit.
    pub all_channels_caused: Option<Interval>,
    pub target_total: Option<f64>,
    pub baseline_share: Option<f64>,
    pub target: Option<String>,
}

/// Which kinds of evidence were there, and why not.
#[derive(Clone, Debug, Default, Serialize)]
pub struct EvidenceSummary {
    pub mmm: bool,
    pub mmm_note: Option<String>,
    pub incremental: bool,
    pub incremental_note: Option<String>,
    pub crossposts: bool,
    /// Whether the engagement-rate trend and the response times were computed (the latter needs conversations
    /// imported: `conversations.csv`).
    pub engagement_trend: bool,
    pub responses: bool,
    /// Experiments read out, and the plans the verdict could not read (why, in words).
    pub experiments: usize,
    pub experiment_notes: Vec<String>,
}

/// The weekly pipeline panel (what experiments are planned on) and, where it was fitted, the mix model.
#[derive(Clone, Copy)]
pub struct Mix<'a> {
    pub panel: &'a Panel,
    pub fitted: Option<&'a Fitted>,
    pub value: &'a ValueOfTarget,
}

/// What the analyses found.
#[derive(Clone, Copy, Default)]
pub struct Found<'a> {
    pub incremental: Option<&'a DataDrivenResult>,
    pub crossposts: Option<&'a CrosspostAudit>,
    pub trends: Option<&'a TrendReport>,
    pub responses: Option<&'a ResponseReport>,
    pub mix: Option<Mix<'a>>,
    pub target_group: Option<&'a TargetGroupReport>,
    pub value_beyond: Option<&'a ValueBeyondSalesReport>,
    /// Experiments read out, each with the whole channel's weekly effect (target units of the mix panel).
    pub experiments: &'a [ExperimentEffect],
    /// Per region (the accounts' countries) and per account, the target in every week of the mix panel: what a
    /// geo-split and an account holdout are planned on.
    pub regions: Option<Units<'a>>,
    pub accounts: Option<Units<'a>>,
}

/// The verdict report over `analysis` (of `dataset` under `settings`) from what the analyses `found`. `seed`
/// draws the next steps' schedules.
pub fn verdict_report(
    dataset: &Dataset,
    analysis: &Analysis,
    settings: &Settings,
    found: &Found<'_>,
    evidence: EvidenceSummary,
    seed: u64,
) -> VerdictReport {
    let Found {
        incremental,
        crossposts,
        trends,
        responses,
        mix,
        target_group,
        value_beyond,
        experiments,
        regions,
        accounts,
    } = *found;
    let fitted_mix = mix.filter(|m| m.fitted.is_some());
    let scale = 10f64.powi(analysis.currency.exponent() as i32);
    // Every channel with a cost or some evidence, in the channels table's order.
    let channels: Vec<(String, String, f64)> = analysis
        .channels
        .iter()
        .filter(|c| {
            c.cost.total_minor != 0
                || incremental.is_some_and(|r| r.channels.iter().any(|x| x.channel == c.channel && x.value > 0.0))
                || fitted_mix.is_some_and(|m| m.panel.channels.iter().any(|x| x.key == c.channel))
        })
        .map(|c| {
            (c.channel.clone(), c.name.clone().unwrap_or_else(|| c.channel.clone()), c.cost.total_minor as f64 / scale)
        })
        .collect();
    let weeks_in_period = period_weeks(dataset, settings);
    let experiment_evidence: Vec<(String, Evidence)> = experiments
        .iter()
        .filter_map(|effect| {
            let key = &effect.channel;
            let cost = channels.iter().find(|c| &c.0 == key)?.2;
            let mix = mix?;
            let e = super::facts::experiment_evidence(
                effect,
                cost / weeks_in_period,
                mix.value.value.unwrap_or(0.0),
                settings.gross_margin,
                &mix.panel.target_name,
            );
            Some((key.clone(), e))
        })
        .collect();
    let value_hours: BTreeMap<String, f64> =
        analysis.channels.iter().map(|c| (c.channel.clone(), c.cost.value_beyond_sales_hours)).collect();
    let facts = gather(&Inputs {
        gross_margin: settings.gross_margin,
        channels: &channels,
        heuristic: Some(&analysis.roi),
        incremental,
        mix: fitted_mix.and_then(|m| {
            m.fitted.map(|f| MixEvidence { result: &f.result, value: m.value.value, basis: m.value.basis })
        }),
        crossposts,
        trends,
        responses,
        target_group,
        value_beyond_sales_hours: &value_hours,
        experiments: &experiment_evidence,
    });
    let decisions = decide(&facts);
    let kind_of = |key: &str| analysis.channels.iter().find(|c| c.channel == key).and_then(|c| c.kind);
    let channels_out: Vec<ChannelVerdict> = decisions
        .into_iter()
        .zip(facts)
        .map(|(d, f)| {
            let next_step = (d.verdict == Verdict::Undecided)
                .then(|| {
                    let units = (regions, accounts);
                    next_step(&d, kind_of(&d.channel), mix, units, settings.gross_margin, weeks_in_period, seed)
                })
                .flatten();
            let hours = value_hours.get(&d.channel).copied().unwrap_or(0.0);
            let value = value_beyond.and_then(|v| v.channels.iter().find(|c| c.channel == d.channel));
            let beside = (hours > 0.0 || value.is_some())
                .then(|| ValueBeside { hours, value: value.map(|v| v.value_minor as f64 / scale) });
            let mut v = channel_verdict(d, f.evidence, kind_of, next_step);
            v.execution = f.execution;
            v.target_group = f.target_group;
            v.value_beyond_sales = beside;
            v
        })
        .collect();
    let social = social(&channels_out, fitted_mix, dataset, settings);
    let reading = reading(&channels_out, &social);
    let span = dataset_span(dataset);
    VerdictReport {
        period: Period {
            from: settings.period.map(|p| p.0).or(span.map(|s| s.0)),
            to: settings.period.map(|p| p.1).or(span.map(|s| s.1)),
        },
        currency: analysis.currency.to_string(),
        gross_margin: settings.gross_margin,
        channels: channels_out,
        social,
        evidence,
        reading,
    }
}

fn channel_verdict(
    d: Decision,
    evidence: Vec<Evidence>,
    kind_of: impl Fn(&str) -> Option<ChannelKind>,
    next_step: Option<NextStep>,
) -> ChannelVerdict {
    ChannelVerdict {
        kind: kind_of(&d.channel),
        channel: d.channel,
        name: d.name,
        verdict: d.verdict,
        evidence: d.evidence.map(|e| e.as_str()),
        cost: d.cost,
        roi: d.roi.map(|r| r.estimate),
        roi_low: d.roi.map(|r| r.low),
        roi_high: d.roi.map(|r| r.high),
        marginal_roi: d.marginal_roi,
        reasons: d.reasons,
        execution: Vec::new(),
        all_evidence: evidence,
        next_step,
        target_group: None,
        value_beyond_sales: None,
    }
}

/// The first and last day with a touchpoint or a deal's creation, for the period's ends.
fn dataset_span(dataset: &Dataset) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    let touches = dataset.touches();
    let dates = touches
        .date_span()
        .into_iter()
        .flat_map(|(first, last)| [first, last])
        .chain(dataset.deals.iter().filter_map(|d| d.created));
    dates.fold(None, |acc, d| match acc {
        None => Some((d, d)),
        Some((a, b)) => Some((a.min(d), b.max(d))),
    })
}

/// Weeks in the analysed period (at least 1): a channel's weekly cost is its cost over these.
fn period_weeks(dataset: &Dataset, settings: &Settings) -> f64 {
    let data = dataset_span(dataset);
    let span = match settings.period {
        Some((from, to)) => data.map(|(a, b)| (from.max(a), to.min(b))),
        None => data,
    };
    span.map_or(1.0, |(a, b)| ((b - a).num_days() as f64 + 1.0) / 7.0).max(1.0)
}

/// A carry-over to plan with where the mix model has none for the channel: half of a week's effect carries
/// into the next, over up to eight weeks, without saturation to speak of (docs/verdict.md).
pub fn assumed_response() -> Response {
    Response {
        adstock: AdstockKind::Geometric,
        adstock_params: vec![0.5],
        l_max: 8,
        saturation: SaturationKind::Logistic,
        saturation_params: vec![0.5],
        level: 1.0,
    }
}

/// The experiment that would decide `d` ([`super::next_step`]): every design the data allow, planned on the
/// weekly panel and the units to see the weekly effect at which the channel pays back its full cost.
fn next_step(
    d: &Decision,
    kind: Option<ChannelKind>,
    mix: Option<Mix<'_>>,
    (regions, accounts): (Option<Units<'_>>, Option<Units<'_>>),
    gross_margin: f64,
    weeks_in_period: f64,
    seed: u64,
) -> Option<NextStep> {
    let mix = mix?;
    if mix.panel.frequency != Frequency::Weekly {
        return None;
    }
    let value = mix.value.value.filter(|v| *v > 0.0)?;
    let weekly_cost = d.cost / weeks_in_period;
    if weekly_cost <= 0.0 {
        return None;
    }
    // Pays back when effect x value x margin = weekly cost.
    let break_even = weekly_cost / (value * gross_margin.max(1e-9));
    let m = mix.panel.channels.iter().position(|c| c.key == d.channel);
    let (response, carry_over) = match mix.fitted.zip(m).map(|(f, m)| channel_from_fit(f, m, LEVEL)) {
        Some(Ok((r, _))) => (r, "mmm"),
        _ => (assumed_response(), "assumed"),
    };
    super::next_step::next_step(&StepRequest {
        channel: &d.channel,
        kind,
        dates: &mix.panel.dates,
        outcome: &mix.panel.target,
        target: &mix.panel.target_name,
        regions,
        accounts,
        response: &response,
        carry_over,
        break_even,
        seed,
    })
}

/// `cost / x` over an interval of `x` (> 0): the low end comes from the high end of `x`.
fn per(cost: f64, x: Interval) -> Option<Interval> {
    (x.low > 0.0).then(|| Interval::new(cost / x.estimate.max(f64::MIN_POSITIVE), cost / x.high, cost / x.low))
}

fn social(channels: &[ChannelVerdict], mix: Option<Mix<'_>>, dataset: &Dataset, settings: &Settings) -> Social {
    let is = |c: &ChannelVerdict, k: ChannelKind| c.kind == Some(k);
    let cost_of = |k: ChannelKind| channels.iter().filter(|c| is(c, k)).map(|c| c.cost).sum::<f64>();
    let mut verdicts = BTreeMap::new();
    for c in channels.iter().filter(|c| c.kind.is_some_and(|k| k.is_social())) {
        *verdicts.entry(c.verdict.as_str()).or_insert(0) += 1;
    }
    let caused = |keys: &[String]| -> Option<(Interval, f64)> {
        let mix = mix?;
        let fitted = mix.fitted?;
        let group: Vec<usize> =
            mix.panel.channels.iter().enumerate().filter(|(_, c)| keys.contains(&c.key)).map(|(i, _)| i).collect();
        if group.is_empty() {
            return None;
        }
        let e = group_contribution(&fitted.model, &fitted.draws, &inputs_of(mix.panel), &group, LEVEL);
        let panel_cost: f64 = group.iter().map(|&m| mix.panel.channels[m].cost.iter().sum::<f64>()).sum();
        Some((Interval::new(e.value, e.low, e.high), panel_cost))
    };
    // What a unit of caused pipeline stands for in won deals: revenue per unit (the value of the target) over
    // the average won deal.
    let won: Vec<f64> = dataset
        .deals
        .iter()
        .filter(|d| d.status == DealStatus::Won)
        .filter_map(|d| d.amount.filter(|a| a.currency == settings.currency).map(|a| a.to_major_f64()))
        .collect();
    let average_won = (!won.is_empty()).then(|| won.iter().sum::<f64>() / won.len() as f64);
    let deals_per_unit = mix.and_then(|m| m.value.value).zip(average_won).map(|(v, a)| v / a);
    let group = |name: &'static str, pick: &dyn Fn(&ChannelVerdict) -> bool| -> GroupFigures {
        let keys: Vec<String> = channels.iter().filter(|c| pick(c)).map(|c| c.channel.clone()).collect();
        let cost = channels.iter().filter(|c| pick(c)).map(|c| c.cost).sum();
        let found = caused(&keys);
        let won_deals =
            found.zip(deals_per_unit).map(|((c, _), k)| Interval::new(c.estimate * k, c.low * k, c.high * k));
        GroupFigures {
            group: name,
            channels: keys,
            cost,
            caused: found.map(|f| f.0),
            cost_per_caused: found.and_then(|(c, pc)| per(pc, c)),
            won_deals_caused: won_deals,
            cost_per_won_deal: found.zip(won_deals).and_then(|((_, pc), w)| per(pc, w)),
        }
    };
    let groups = vec![
        group("organic_social", &|c| is(c, ChannelKind::OrganicSocial)),
        group("paid_social", &|c| is(c, ChannelKind::PaidSocial)),
        group("other_channels", &|c| !c.kind.is_some_and(|k| k.is_social())),
    ];
    let all_keys: Vec<String> = channels.iter().map(|c| c.channel.clone()).collect();
    let all = caused(&all_keys).map(|c| c.0);
    let target_total = mix.filter(|m| m.fitted.is_some()).map(|m| m.panel.target.iter().sum::<f64>());
    Social {
        organic_cost: cost_of(ChannelKind::OrganicSocial),
        paid_cost: cost_of(ChannelKind::PaidSocial),
        total_cost: channels.iter().map(|c| c.cost).sum(),
        verdicts,
        groups,
        baseline_share: all.zip(target_total).filter(|(_, t)| *t > 0.0).map(|(a, t)| 1.0 - a.estimate / t),
        all_channels_caused: all,
        target_total,
        target: mix.filter(|m| m.fitted.is_some()).map(|m| m.panel.target_name.clone()),
    }
}

/// The verdict in a few sentences.
fn reading(channels: &[ChannelVerdict], social: &Social) -> Vec<String> {
    let mut lines = Vec::new();
    let decided = channels.iter().filter(|c| c.verdict != Verdict::Undecided).count();
    lines.push(if decided == channels.len() {
        format!("All {decided} channels are decided.")
    } else {
        format!(
            "{decided} of {} channels decided; for the others the evidence cannot tell whether they pay back, and \
             each has the experiment that would settle it.",
            channels.len()
        )
    });
    if let (Some(all), Some(base), Some(target)) = (social.all_channels_caused, social.baseline_share, &social.target) {
        lines.push(format!(
            "By the mix model the channels caused {} of {target} (90 % interval {} to {}); {:.0} % of it is \
             baseline, there without any channel.",
            whole(all.estimate),
            whole(all.low),
            whole(all.high),
            100.0 * base
        ));
    }
    lines
}
