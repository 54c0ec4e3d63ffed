//! `socialledger verdict`: keep, grow, fix, drop or undecided per channel. This file runs the analyses on the
//! database (costs and heuristic ROI, the incremental model with its bootstrap, the cross-posting audit, the
//! mix model) and hands their figures to crates/decide, which turns them into evidence (`verdict::facts`), the
//! decision (`verdict::rules`) and, for every undecided channel, the experiment that would settle it.

use crate::args::{Cli, VerdictArgs};
use crate::output;
use serde::Serialize;
use socialledger_analytics::attribution::account_paths::account_paths;
use socialledger_analytics::attribution::comparison::DEFAULT_INTENT;
use socialledger_analytics::attribution::data_driven::{attribute_paths, DataDrivenModel, Uncertainty};
use socialledger_analytics::attribution::paths::DataDrivenResult;
use socialledger_analytics::attribution::JourneyPurpose;
use socialledger_analytics::crosspost::{crosspost_audit, CrosspostAudit, CrosspostOptions};
use socialledger_analytics::mix_panel::{build_panel, PanelOptions};
use socialledger_analytics::{value_of_target, Analysis, Settings, ValueOfTarget};
use socialledger_decide::experiment::carryover::Response;
use socialledger_decide::experiment::from_fit::channel_from_fit;
use socialledger_decide::experiment::switchback::{plan, PlanRequest};
use socialledger_decide::experiment::LEVEL;
use socialledger_decide::verdict::facts::{gather, Inputs, MixEvidence};
use socialledger_decide::verdict::{decide, Decision, Verdict};
use socialledger_decide::Interval;
use socialledger_domain::{ChannelKind, Dataset};
use socialledger_mmm::spec::{AdstockKind, SaturationKind};
use socialledger_mmm::whatif::group_contribution;
use socialledger_mmm::{fit_auto, FitOptions, Fitted, Frequency, NutsSettings, Panel};
use std::process::ExitCode;

/// The longest experiment a next step may propose (two years of weeks).
const MAX_EXPERIMENT_WEEKS: usize = 104;

/// `verdict --json`.
#[derive(Serialize)]
struct VerdictOutput {
    period: Period,
    currency: String,
    /// Every ROI is on gross profit at this margin.
    gross_margin: f64,
    channels: Vec<ChannelVerdict>,
    social: Social,
    /// What evidence there was, and why a kind is missing.
    evidence: EvidenceSummary,
    reading: Vec<String>,
}

#[derive(Serialize)]
struct Period {
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
}

#[derive(Serialize)]
struct ChannelVerdict {
    channel: String,
    name: String,
    /// `organic_social`, `paid_social`, ... (`None`: the channel is referenced but never declared).
    kind: Option<ChannelKind>,
    verdict: Verdict,
    /// `experiment`, `mmm`, `incremental`, or `null` when nothing that can decide exists.
    evidence: Option<&'static str>,
    /// Full cost over the period, major units.
    cost: f64,
    roi: Option<f64>,
    roi_low: Option<f64>,
    roi_high: Option<f64>,
    marginal_roi: Option<Interval>,
    reasons: Vec<socialledger_decide::verdict::Reason>,
    /// Every piece of evidence, strongest first, with its ROI and whether it can tell.
    all_evidence: Vec<socialledger_decide::verdict::Evidence>,
    next_step: Option<NextStep>,
}

/// The experiment that would settle an undecided channel.
#[derive(Serialize)]
struct NextStep {
    design: &'static str,
    /// Weeks of the proposed design: the shortest with 80 % power, else the longest allowed (`reaches_power`
    /// false: even that cannot tell break-even from nothing).
    weeks: usize,
    reaches_power: bool,
    /// The smallest weekly effect (target units) the planned design sees with 80 % power.
    min_detectable_effect: f64,
    /// The weekly effect it is planned to detect: the one at which the channel pays back its full cost.
    effect: f64,
    power: f64,
    /// `mmm` (the fit's carry-over) or `assumed` (a geometric carry-over of half a week's effect per week,
    /// because the mix model has no input series for the channel).
    carry_over: &'static str,
    command: String,
    reading: String,
}

/// Social as a whole against the rest of the mix, by the mix model where it fitted.
#[derive(Serialize)]
struct Social {
    /// Full cost over the period of the organic and paid social channels, and of all channels.
    organic_cost: f64,
    paid_cost: f64,
    total_cost: f64,
    /// The verdicts of the social channels, counted.
    verdicts: std::collections::BTreeMap<&'static str, usize>,
    /// Pipeline (target units) the organic and paid social channels caused over the panel, and every channel
    /// together, with 90 % intervals; and the share of the target that is baseline. `None` without a fit.
    organic_contribution: Option<Interval>,
    paid_contribution: Option<Interval>,
    all_channels_contribution: Option<Interval>,
    target_total: Option<f64>,
    baseline_share: Option<f64>,
    target: Option<String>,
}

#[derive(Serialize)]
struct EvidenceSummary {
    mmm: bool,
    mmm_note: Option<String>,
    incremental: bool,
    incremental_note: Option<String>,
    crossposts: bool,
    experiments: usize,
}

/// The database's weekly pipeline panel (what experiments are planned on) and, unless `--no-mmm`, the mix
/// model's fit on it.
struct Mix {
    panel: Panel,
    fitted: Option<Fitted>,
    value: ValueOfTarget,
}

pub async fn run(cli: &Cli, args: &VerdictArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let settings = super::analysis::settings(&args.analysis)?;
    let (dataset, analysis) = super::analysis::load_and_analyze(&store, &settings).await?;
    if dataset.deals.is_empty() {
        anyhow::bail!(
            "no deals in the database: a verdict weighs what channels bring against what they cost; import the \
             CRM's deals first (socialledger import deals.csv), or run socialledger demo"
        );
    }
    let say = |msg: &str| {
        if !cli.quiet {
            eprintln!("{msg}");
        }
    };
    say("weighing the evidence: costs, the incremental model, the cross-posting audit, the mix model");
    let posts = store.posts_with_metrics().await?;
    let crossposts = crosspost_audit(&posts, &settings, &CrosspostOptions::default()).ok();
    let (incremental, incremental_note) = match incremental_model(&dataset, &settings, args) {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e)),
    };
    let (mix, mmm_note) = match mix_model(cli, &dataset, &settings, args) {
        Ok(m) if args.no_mmm => (Some(m), Some("left out (--no-mmm)".to_string())),
        Ok(m) => (Some(m), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let evidence = EvidenceSummary {
        mmm: mix.as_ref().is_some_and(|m| m.fitted.is_some()),
        mmm_note,
        incremental: incremental.is_some(),
        incremental_note,
        crossposts: crossposts.is_some(),
        experiments: 0,
    };
    let found = Found { incremental: incremental.as_ref(), crossposts: crossposts.as_ref(), mix: mix.as_ref() };
    let out = verdict(&dataset, &analysis, &settings, &found, evidence, args);
    if cli.json {
        output::print_json(&out)?;
    } else {
        output::print_text(&text(&out))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The incremental model on the revenue journeys, with a bootstrap interval of each channel's added revenue.
fn incremental_model(dataset: &Dataset, settings: &Settings, args: &VerdictArgs) -> Result<DataDrivenResult, String> {
    let built = account_paths(dataset, settings, JourneyPurpose::Revenue);
    if built.paths.rows.is_empty() {
        return Err("no journeys with touchpoints to fit it on".into());
    }
    let model = DataDrivenModel::Incremental { intent: DEFAULT_INTENT.iter().map(|s| s.to_string()).collect() };
    attribute_paths(&built.paths, &model, Uncertainty { reps: args.reps as usize, seed: args.seed, level: LEVEL })
        .map_err(|e| e.to_string())
}

/// The default weekly pipeline panel and its fit, as `mmm fit` and `report --mmm` have them (no fit with
/// `--no-mmm`).
fn mix_model(cli: &Cli, dataset: &Dataset, settings: &Settings, args: &VerdictArgs) -> anyhow::Result<Mix> {
    let panel_opts = PanelOptions::default();
    let built = build_panel(dataset, settings, &panel_opts)?;
    let value = value_of_target(&dataset.deals, panel_opts.target, settings.currency);
    let fitted = if args.no_mmm {
        None
    } else {
        let opts =
            FitOptions { value_per_unit: value.per_unit(), cross_validate: false, ..FitOptions::new(&built.panel) };
        let nuts = NutsSettings { seed: args.seed, ..NutsSettings::default() };
        let f = fit_auto(&built.panel, &opts, &nuts, super::mmm::fallback_note(cli.quiet))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Some(f)
    };
    Ok(Mix { panel: built.panel, fitted, value })
}

/// What the analyses found, for [`verdict`].
#[derive(Clone, Copy)]
struct Found<'a> {
    incremental: Option<&'a DataDrivenResult>,
    crossposts: Option<&'a CrosspostAudit>,
    mix: Option<&'a Mix>,
}

fn verdict(
    dataset: &Dataset,
    analysis: &Analysis,
    settings: &Settings,
    found: &Found<'_>,
    evidence: EvidenceSummary,
    args: &VerdictArgs,
) -> VerdictOutput {
    let Found { incremental, crossposts, mix } = *found;
    let scale = 10f64.powi(analysis.currency.exponent() as i32);
    // Every channel with a cost or some evidence, in the channels table's order.
    let channels: Vec<(String, String, f64)> = analysis
        .channels
        .iter()
        .filter(|c| {
            c.cost.total_minor != 0
                || incremental.is_some_and(|r| r.channels.iter().any(|x| x.channel == c.channel && x.value > 0.0))
                || mix.is_some_and(|m| m.fitted.is_some() && m.panel.channels.iter().any(|x| x.key == c.channel))
        })
        .map(|c| {
            (c.channel.clone(), c.name.clone().unwrap_or_else(|| c.channel.clone()), c.cost.total_minor as f64 / scale)
        })
        .collect();
    let facts = gather(&Inputs {
        gross_margin: settings.gross_margin,
        channels: &channels,
        heuristic: Some(&analysis.roi),
        incremental,
        mix: mix.and_then(|m| {
            m.fitted.as_ref().map(|f| MixEvidence { result: &f.result, value: m.value.value, basis: m.value.basis })
        }),
        crossposts,
    });
    let decisions = decide(&facts);
    let kind_of = |key: &str| analysis.channels.iter().find(|c| c.channel == key).and_then(|c| c.kind);
    let weeks_in_period = period_weeks(dataset, settings);
    let channels_out: Vec<ChannelVerdict> = decisions
        .into_iter()
        .zip(facts)
        .map(|(d, f)| {
            let next_step = (d.verdict == Verdict::Undecided)
                .then(|| next_step(&d, kind_of(&d.channel), mix, settings.gross_margin, weeks_in_period, args.seed))
                .flatten();
            channel_verdict(d, f.evidence, kind_of, next_step)
        })
        .collect();
    let social = social(&channels_out, mix);
    let reading = reading(&channels_out, &social);
    VerdictOutput {
        period: Period {
            from: settings.period.map(|p| p.0).or_else(|| dataset_span(dataset).map(|s| s.0)),
            to: settings.period.map(|p| p.1).or_else(|| dataset_span(dataset).map(|s| s.1)),
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
    evidence: Vec<socialledger_decide::verdict::Evidence>,
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
        all_evidence: evidence,
        next_step,
    }
}

/// The first and last day with any dated record (touchpoints, deals, time), for the period's ends.
fn dataset_span(dataset: &Dataset) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    let dates =
        dataset.touchpoints.iter().map(|t| t.at.date_naive()).chain(dataset.deals.iter().filter_map(|d| d.created));
    dates.fold(None, |acc, d| match acc {
        None => Some((d, d)),
        Some((a, b)) => Some((a.min(d), b.max(d))),
    })
}

/// Weeks in the analysed period (at least 1): a channel's weekly cost is its cost over these.
fn period_weeks(dataset: &Dataset, settings: &Settings) -> f64 {
    let span = match settings.period {
        Some((from, to)) => {
            let data = dataset_span(dataset);
            data.map(|(a, b)| (from.max(a), to.min(b)))
        }
        None => dataset_span(dataset),
    };
    span.map_or(1.0, |(a, b)| ((b - a).num_days() as f64 + 1.0) / 7.0).max(1.0)
}

/// A carry-over to plan with where the mix model has none for the channel: half of a week's effect carries
/// into the next, over up to eight weeks, without saturation to speak of. Documented in docs/verdict.md.
fn assumed_response() -> Response {
    Response {
        adstock: AdstockKind::Geometric,
        adstock_params: vec![0.5],
        l_max: 8,
        saturation: SaturationKind::Logistic,
        saturation_params: vec![0.5],
        level: 1.0,
    }
}

/// The experiment that would decide `d`: a pause (switchback) planned on the mix model's weekly outcome, sized
/// to see the weekly effect at which the channel pays back its full cost.
fn next_step(
    d: &Decision,
    kind: Option<ChannelKind>,
    mix: Option<&Mix>,
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
    let (response, carry_over) = match mix.fitted.as_ref().zip(m).map(|(f, m)| channel_from_fit(f, m, LEVEL)) {
        Some(Ok((r, _))) => (r, "mmm"),
        _ => (assumed_response(), "assumed"),
    };
    let req = PlanRequest {
        dates: &mix.panel.dates,
        outcome: &mix.panel.target,
        response: &response,
        effect: break_even,
        weeks: None,
        max_weeks: MAX_EXPERIMENT_WEEKS,
        seed,
    };
    let p = plan(&req).ok()?;
    let paid = matches!(kind, Some(ChannelKind::PaidSocial | ChannelKind::PaidSearch));
    let what = if paid { "pausing its ads" } else { "pausing it" };
    let reading = if p.reaches_power {
        format!(
            "{what} in blocks of {} weeks over {} weeks tells whether it pays back: it detects the {:.0} a week of {} \
             at which it breaks even with {:.0} % power",
            p.block_weeks,
            p.weeks,
            break_even,
            mix.panel.target_name,
            100.0 * p.power
        )
    } else {
        format!(
            "no pause up to {MAX_EXPERIMENT_WEEKS} weeks detects the {:.0} a week of {} at which it breaks even (the \
             best sees {:.0} a week, {:.0} % power for break-even); a geo-split, whose control runs in parallel, or \
             a larger change of effort is needed",
            break_even,
            mix.panel.target_name,
            p.min_detectable_effect,
            100.0 * p.power
        )
    };
    Some(NextStep {
        design: "pause",
        weeks: p.weeks,
        reaches_power: p.reaches_power,
        min_detectable_effect: p.min_detectable_effect,
        effect: break_even,
        power: p.power,
        carry_over,
        command: format!(
            "socialledger experiment plan --channel {} --design pause --effect {:.0} --out plan.json",
            d.channel, break_even
        ),
        reading,
    })
}

fn social(channels: &[ChannelVerdict], mix: Option<&Mix>) -> Social {
    let is = |c: &ChannelVerdict, k: ChannelKind| c.kind == Some(k);
    let cost_of = |k: ChannelKind| channels.iter().filter(|c| is(c, k)).map(|c| c.cost).sum::<f64>();
    let mut verdicts = std::collections::BTreeMap::new();
    for c in channels.iter().filter(|c| c.kind.is_some_and(|k| k.is_social())) {
        *verdicts.entry(c.verdict.as_str()).or_insert(0) += 1;
    }
    let contribution = |pick: &dyn Fn(&str) -> bool| -> Option<Interval> {
        let mix = mix?;
        let fitted = mix.fitted.as_ref()?;
        let group: Vec<usize> =
            mix.panel.channels.iter().enumerate().filter(|(_, c)| pick(&c.key)).map(|(i, _)| i).collect();
        if group.is_empty() {
            return None;
        }
        let inputs = socialledger_mmm::analyze::inputs_of(&mix.panel);
        let e = group_contribution(&fitted.model, &fitted.draws, &inputs, &group, LEVEL);
        Some(Interval::new(e.value, e.low, e.high))
    };
    let kind_is = |key: &str, k: ChannelKind| channels.iter().any(|c| c.channel == key && is(c, k));
    let all = contribution(&|_| true);
    let target_total = mix.filter(|m| m.fitted.is_some()).map(|m| m.panel.target.iter().sum::<f64>());
    Social {
        organic_cost: cost_of(ChannelKind::OrganicSocial),
        paid_cost: cost_of(ChannelKind::PaidSocial),
        total_cost: channels.iter().map(|c| c.cost).sum(),
        verdicts,
        organic_contribution: contribution(&|k| kind_is(k, ChannelKind::OrganicSocial)),
        paid_contribution: contribution(&|k| kind_is(k, ChannelKind::PaidSocial)),
        baseline_share: all.zip(target_total).filter(|(_, t)| *t > 0.0).map(|(a, t)| 1.0 - a.estimate / t),
        all_channels_contribution: all,
        target_total,
        target: mix.filter(|m| m.fitted.is_some()).map(|m| m.panel.target_name.clone()),
    }
}

fn pct(x: f64) -> String {
    format!("{:+.0} %", 100.0 * x)
}

/// The verdict in a few sentences.
fn reading(channels: &[ChannelVerdict], social: &Social) -> Vec<String> {
    let mut lines = Vec::new();
    let decided = channels.iter().filter(|c| c.verdict != Verdict::Undecided).count();
    lines.push(format!(
        "{decided} of {} channels decided; the others are undecided: the evidence cannot tell whether they pay back.",
        channels.len()
    ));
    if let (Some(all), Some(base), Some(target)) =
        (social.all_channels_contribution, social.baseline_share, &social.target)
    {
        lines.push(format!(
            "By the mix model the channels caused {:.0} of {} (90 % interval {:.0} to {:.0}); {:.0} % of it is \
             baseline, there without any channel.",
            all.estimate,
            target,
            all.low,
            all.high,
            100.0 * base
        ));
    }
    for c in channels.iter().filter(|c| c.next_step.is_some()) {
        if let Some(s) = &c.next_step {
            lines.push(format!("{}: {}.", c.name, s.reading));
        }
    }
    lines
}

fn text(out: &VerdictOutput) -> String {
    let mut lines = vec![
        format!(
            "Verdict per channel ({} to {}; ROI on gross profit at a {:.0} % margin, 90 % intervals)",
            out.period.from.map(|d| d.to_string()).unwrap_or_default(),
            out.period.to.map(|d| d.to_string()).unwrap_or_default(),
            100.0 * out.gross_margin
        ),
        String::new(),
    ];
    for c in &out.channels {
        let roi = match (c.roi, c.roi_low, c.roi_high) {
            (Some(r), Some(l), Some(h)) => format!("ROI {} [{}, {}]", pct(r), pct(l), pct(h)),
            _ => "ROI unknown".to_string(),
        };
        lines.push(format!(
            "{:<10} {:<28} by {:<12} cost {:>12.0} {}  {roi}",
            c.verdict.as_str(),
            c.name,
            c.evidence.unwrap_or("nothing"),
            c.cost,
            out.currency
        ));
        for r in &c.reasons {
            lines.push(format!("             - {}", r.text));
        }
        if let Some(s) = &c.next_step {
            lines.push(format!("             next step: {}", s.command));
        }
    }
    lines.push(String::new());
    lines.extend(out.reading.iter().cloned());
    if let Some(n) = &out.evidence.mmm_note {
        lines.push(format!("Mix model: {n}."));
    }
    if let Some(n) = &out.evidence.incremental_note {
        lines.push(format!("Incremental model: {n}."));
    }
    lines.join("\n")
}
