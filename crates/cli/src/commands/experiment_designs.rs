//! `socialledger experiment` for the designs whose control runs in parallel: the geo-split (regions) and the
//! account holdout (accounts). The plans and readouts are computed in crates/decide; this file gathers the units'
//! outcome from the database ([`super::experiment_units`]), writes the assignment and says what it means.

use super::experiment::{amount, weeks, Prepared, SavedPlan, Week};
use super::experiment_units::{self, Grouping, Units};
use crate::args::{Cli, ExperimentAnalyzeArgs, ExperimentPlanArgs};
use crate::output;
use anyhow::Context;
use chrono::NaiveDate;
use serde::Serialize;
use socialledger_decide::experiment::account_holdout::{self, MIN_ACCOUNTS};
use socialledger_decide::experiment::carryover::Response;
use socialledger_decide::experiment::geo_split::{self, RegionArm, MIN_REGIONS};
use socialledger_decide::experiment::placebo::NullMethod;
use socialledger_decide::Interval;
use socialledger_domain::Dataset;
use socialledger_mmm::Panel;
use std::collections::HashSet;
use std::process::ExitCode;

/// `experiment plan --design geo-split --json`.
#[derive(Serialize)]
struct GeoPlanOutput<'a> {
    channel: &'a str,
    design: &'static str,
    target: &'a str,
    effect_source: &'static str,
    mmm_weekly_effect: Option<Interval>,
    response: &'a Response,
    #[serde(flatten)]
    plan: &'a geo_split::Plan,
    schedule_weeks: Vec<Week>,
    notes: &'a [String],
    reading: String,
}

/// `experiment plan --design account-holdout --json`.
#[derive(Serialize)]
struct HoldoutPlanOutput<'a> {
    channel: &'a str,
    design: &'static str,
    target: &'a str,
    effect_source: &'static str,
    mmm_weekly_effect: Option<Interval>,
    response: &'a Response,
    share: f64,
    #[serde(flatten)]
    plan: &'a account_holdout::Plan,
    held_out_accounts: Vec<String>,
    schedule_weeks: Vec<Week>,
    notes: &'a [String],
    reading: String,
}

/// The experiment's weeks after the panel's last: the treated units off throughout, compared after the washout.
fn schedule(panel: &Panel, weeks: usize, washout: usize) -> Vec<Week> {
    let first = *panel.dates.last().unwrap_or(&NaiveDate::MIN) + chrono::Days::new(7);
    (0..weeks)
        .map(|i| Week { week: first + chrono::Days::new(7 * i as u64), on: false, analysed: i >= washout })
        .collect()
}

fn print_notes(cli: &Cli, notes: &[String]) {
    if !cli.quiet {
        for n in notes {
            eprintln!("note: {n}");
        }
    }
}

fn save_and_print<T: Serialize>(cli: &Cli, args: &ExperimentPlanArgs, out: &T, text: &str) -> anyhow::Result<()> {
    if let Some(path) = &args.out {
        let json = serde_json::to_string_pretty(out)?;
        std::fs::write(path, json + "\n").with_context(|| format!("cannot write the plan to {}", path.display()))?;
    }
    if cli.json {
        output::print_json(out)?;
    } else {
        output::print_text(text)?;
    }
    Ok(())
}

pub async fn plan_geo_split(cli: &Cli, args: &ExperimentPlanArgs, p: Prepared) -> anyhow::Result<ExitCode> {
    let units = experiment_units::load(p.dataset.as_ref(), &args.fit, &p.panel.dates, Grouping::Region)?;
    print_notes(cli, &units.notes);
    let with_outcome = units.outcome.iter().filter(|s| s.iter().any(|v| *v != 0.0)).count();
    if with_outcome < MIN_REGIONS {
        anyhow::bail!(
            "a geo-split needs at least {MIN_REGIONS} regions (account countries) with {} in the history; the data \
             have {with_outcome} ({}). Import the accounts' countries, or use --design pause or --design \
             account-holdout",
            p.panel.target_name,
            units.names.join(", ")
        );
    }
    let req = geo_split::PlanRequest {
        regions: &units.names,
        outcome: &units.outcome,
        response: &p.response,
        effect: p.effect,
        weeks: args.weeks,
        max_weeks: args.max_weeks,
        seed: args.fit.seed,
    };
    let plan = geo_split::plan(&req).map_err(|e| anyhow::anyhow!("{e}"))?;
    let reading = geo_reading(&args.channel, &plan, args.weeks.unwrap_or(args.max_weeks), p.effect_source);
    let out = GeoPlanOutput {
        channel: &args.channel,
        design: "geo-split",
        target: &p.panel.target_name,
        effect_source: p.effect_source,
        mmm_weekly_effect: p.mmm_effect,
        response: &p.response,
        plan: &plan,
        schedule_weeks: schedule(&p.panel, plan.weeks, plan.washout_weeks),
        notes: &units.notes,
        reading,
    };
    let text = geo_text(&out);
    save_and_print(cli, args, &out, &text)?;
    Ok(ExitCode::SUCCESS)
}

fn whose(source: &str) -> &'static str {
    if source == "mmm" {
        "the mix model's estimate of its weekly effect"
    } else {
        "the weekly effect given"
    }
}

fn geo_reading(channel: &str, p: &geo_split::Plan, longest: usize, source: &str) -> String {
    let paused: Vec<&str> = p.regions.iter().filter(|r| r.paused).map(|r| r.region.as_str()).collect();
    let mut s = format!(
        "Pause {channel} in {} ({:.0} % of the outcome) and keep it running in the other regions. ",
        paused.join(", "),
        100.0 * p.paused_share
    );
    if p.reaches_power {
        s.push_str(&format!(
            "Over {} this detects {} ({} a week company-wide, {} a week in the paused regions) with {:.0} % power: \
             the smallest company-wide weekly effect it sees with 80 % power is {}.",
            weeks(p.weeks),
            whose(source),
            amount(p.effect),
            amount(p.expected_estimate),
            100.0 * p.power,
            amount(p.min_detectable_company_effect)
        ));
    } else {
        s.push_str(&format!(
            "No geo-split lasting up to {} detects {} ({} a week company-wide) with 80 % power: over {} it sees \
             company-wide weekly effects from {} on and has {:.0} % power for this one. More regions, or a larger \
             effect to look for, would be needed.",
            weeks(longest),
            whose(source),
            amount(p.effect),
            weeks(p.weeks),
            amount(p.min_detectable_company_effect),
            100.0 * p.power
        ));
    }
    s.push_str(&super::experiment::washout_note(p.washout_weeks, "The first"));
    if p.null.method == NullMethod::Ar1 {
        s.push_str(" The history is too short to measure the noise on past weeks: it is computed from the week-to-week variance instead.");
    }
    s
}

fn geo_text(out: &GeoPlanOutput<'_>) -> String {
    let p = out.plan;
    let first = out.schedule_weeks.first().map(|w| w.week.to_string()).unwrap_or_default();
    let mut lines = vec![
        format!("Experiment plan: geo-split of {} ({} from {first})", out.channel, weeks(p.weeks)),
        String::new(),
        format!("  washout                {}", weeks(p.washout_weeks)),
        format!("  paused share           {:.0} % of the outcome", 100.0 * p.paused_share),
        format!("  weekly effect          {} company-wide ({})", amount(p.effect), out.effect_source),
        format!(
            "  smallest detectable    {} a week in the paused regions, {} company-wide (80 % power, 90 % level)",
            amount(p.min_detectable_effect),
            amount(p.min_detectable_company_effect)
        ),
        format!("  power for the effect   {:.0} %", 100.0 * p.power),
        String::new(),
        "  Regions:".into(),
    ];
    for r in &p.regions {
        lines.push(format!("    {:<20} {}", r.region, if r.paused { "paused" } else { "running" }));
    }
    lines.push(String::new());
    lines.push(out.reading.clone());
    lines.join("\n")
}

pub async fn plan_account_holdout(cli: &Cli, args: &ExperimentPlanArgs, p: Prepared) -> anyhow::Result<ExitCode> {
    let units = experiment_units::load(p.dataset.as_ref(), &args.fit, &p.panel.dates, Grouping::Account)?;
    print_notes(cli, &units.notes);
    if units.names.len() < MIN_ACCOUNTS {
        anyhow::bail!(
            "an account holdout needs at least {MIN_ACCOUNTS} accounts, the database has {}; import the CRM's \
             accounts, or use --design pause",
            units.names.len()
        );
    }
    if !(args.share > 0.0 && args.share < 1.0) {
        anyhow::bail!(
            "--share {}: the share of accounts held out must be between 0 and 1 (0.5 by default)",
            args.share
        );
    }
    let req = account_holdout::PlanRequest {
        outcome: &units.outcome,
        response: &p.response,
        effect: p.effect,
        share: args.share,
        weeks: args.weeks,
        max_weeks: args.max_weeks,
        seed: args.fit.seed,
    };
    let plan = account_holdout::plan(&req).map_err(|e| anyhow::anyhow!("{e}"))?;
    let held_out_accounts: Vec<String> =
        units.names.iter().zip(&plan.held_out).filter(|(_, h)| **h).map(|(n, _)| n.clone()).collect();
    let reading = holdout_reading(&args.channel, &plan, args.weeks.unwrap_or(args.max_weeks), p.effect_source);
    let out = HoldoutPlanOutput {
        channel: &args.channel,
        design: "account-holdout",
        target: &p.panel.target_name,
        effect_source: p.effect_source,
        mmm_weekly_effect: p.mmm_effect,
        response: &p.response,
        share: args.share,
        plan: &plan,
        held_out_accounts,
        schedule_weeks: schedule(&p.panel, plan.weeks, plan.washout_weeks),
        notes: &units.notes,
        reading,
    };
    let text = holdout_text(&out);
    save_and_print(cli, args, &out, &text)?;
    Ok(ExitCode::SUCCESS)
}

fn holdout_reading(channel: &str, p: &account_holdout::Plan, longest: usize, source: &str) -> String {
    let mut s = format!(
        "Hold {} of {} accounts out of {channel} (stratified by their outcome before). ",
        p.held_out_count, p.accounts
    );
    if p.reaches_power {
        s.push_str(&format!(
            "Over {} this detects {} ({} a week company-wide, {} per held-out account over the {} compared) with \
             {:.0} % power: the smallest company-wide weekly effect it sees with 80 % power is {}.",
            weeks(p.weeks),
            whose(source),
            amount(p.effect),
            amount(p.expected_estimate),
            weeks(p.analysed_weeks),
            100.0 * p.power,
            amount(p.min_detectable_company_effect)
        ));
    } else {
        s.push_str(&format!(
            "No holdout lasting up to {} detects {} ({} a week company-wide) with 80 % power: over {} it sees \
             company-wide weekly effects from {} on and has {:.0} % power for this one. More accounts, a larger \
             share held out, or a larger effect to look for would be needed.",
            weeks(longest),
            whose(source),
            amount(p.effect),
            weeks(p.weeks),
            amount(p.min_detectable_company_effect),
            100.0 * p.power
        ));
    }
    s.push_str(&super::experiment::washout_note(p.washout_weeks, "The first"));
    if p.stretches == 0 {
        s.push_str(
            " The history has no stretch as long as this experiment and its pre-period: the accounts' noise is \
             extrapolated from the longest one, as if weeks were independent.",
        );
    }
    s
}

fn holdout_text(out: &HoldoutPlanOutput<'_>) -> String {
    let p = out.plan;
    let first = out.schedule_weeks.first().map(|w| w.week.to_string()).unwrap_or_default();
    [
        format!("Experiment plan: account holdout of {} ({} from {first})", out.channel, weeks(p.weeks)),
        String::new(),
        format!("  held out               {} of {} accounts", p.held_out_count, p.accounts),
        format!("  washout                {}", weeks(p.washout_weeks)),
        format!("  weekly effect          {} company-wide ({})", amount(p.effect), out.effect_source),
        format!(
            "  smallest detectable    {} per account over {}, {} a week company-wide (80 % power, 90 % level)",
            amount(p.min_detectable_effect),
            weeks(p.analysed_weeks),
            amount(p.min_detectable_company_effect)
        ),
        format!("  power for the effect   {:.0} %", 100.0 * p.power),
        String::new(),
        out.reading.clone(),
        "  (the held-out accounts are in --json and in the file --out writes)".into(),
    ]
    .join("\n")
}

/// `experiment analyze --json` of a geo-split or an account holdout.
#[derive(Serialize)]
struct DesignReadoutOutput<'a, R: Serialize> {
    channel: &'a str,
    design: &'a str,
    target: &'a str,
    first_week: NaiveDate,
    last_week: NaiveDate,
    history_weeks: usize,
    #[serde(flatten)]
    readout: &'a R,
    notes: &'a [String],
    reading: String,
}

/// Prints a readout of the experiment's `n` weeks from `start` (`--json`: the readout's fields beside the
/// experiment's; text: the reading).
fn print_readout<R: Serialize>(
    cli: &Cli,
    saved: &SavedPlan,
    panel: &Panel,
    (start, n): (usize, usize),
    readout: &R,
    notes: &[String],
    reading: String,
) -> anyhow::Result<ExitCode> {
    let out = DesignReadoutOutput {
        channel: &saved.channel,
        design: saved.design.as_str(),
        target: &panel.target_name,
        first_week: panel.dates[start],
        last_week: panel.dates[start + n - 1],
        history_weeks: start,
        readout,
        notes,
        reading,
    };
    if cli.json {
        output::print_json(&out)?;
    } else {
        output::print_text(&out.reading)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn split(units: &Units, start: usize, n: usize) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let history = units.outcome.iter().map(|s| s[..start].to_vec()).collect();
    let during = units.outcome.iter().map(|s| s[start..start + n].to_vec()).collect();
    (history, during)
}

fn verdict(low: f64, high: f64) -> &'static str {
    if low > 0.0 {
        " The channel adds to the outcome: the interval lies above zero."
    } else if high < 0.0 {
        " Pausing it did better: the interval lies below zero."
    } else {
        " The interval spans zero: this experiment cannot tell the channel's effect from nothing."
    }
}

/// Reads out a saved geo-split on the regions' outcome `units` over the panel's weeks `start..start + n`: the
/// readout and what the reader should know. `experiment analyze` and `verdict --experiment` share it.
pub(super) fn read_geo_split(
    saved: &SavedPlan,
    units: &Units,
    start: usize,
    n: usize,
) -> anyhow::Result<(geo_split::Readout, Vec<String>)> {
    let Some(arms) = &saved.regions else {
        anyhow::bail!("a geo-split plan needs its regions (\"regions\": [{{\"region\", \"paused\"}}])");
    };
    let mut notes = units.notes.clone();
    // The plan's regions in its order; a region without any deal in the data has zero outcome.
    let (history, during) = split(units, start, n);
    let pick = |all: &[Vec<f64>], arm: &RegionArm| -> Vec<f64> {
        let len = all.first().map_or(0, Vec::len);
        units.names.iter().position(|u| *u == arm.region).map_or_else(|| vec![0.0; len], |i| all[i].clone())
    };
    let hist: Vec<Vec<f64>> = arms.iter().map(|a| pick(&history, a)).collect();
    let dur: Vec<Vec<f64>> = arms.iter().map(|a| pick(&during, a)).collect();
    let planned: HashSet<&str> = arms.iter().map(|a| a.region.as_str()).collect();
    let extra: Vec<&str> = units.names.iter().map(String::as_str).filter(|u| !planned.contains(u)).collect();
    if !extra.is_empty() {
        notes.push(format!("regions not in the plan are left out: {}", extra.join(", ")));
    }
    let paused: Vec<bool> = arms.iter().map(|a| a.paused).collect();
    let r = geo_split::read_out(&hist, &dur, &paused, saved.washout_weeks, saved.response.as_ref())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((r, notes))
}

/// Reads out a saved account holdout on the accounts' outcome `units` over the panel's weeks `start..start + n`:
/// the readout and what the reader should know. `experiment analyze` and `verdict --experiment` share it.
pub(super) fn read_account_holdout(
    saved: &SavedPlan,
    units: &Units,
    start: usize,
    n: usize,
) -> anyhow::Result<(account_holdout::Readout, Vec<String>)> {
    let Some(listed) = &saved.held_out_accounts else {
        anyhow::bail!("an account holdout plan needs held_out_accounts (the keys of the accounts held out)");
    };
    let mut notes = units.notes.clone();
    let listed: HashSet<&str> = listed.iter().map(String::as_str).collect();
    let held_out: Vec<bool> = units.names.iter().map(|a| listed.contains(a.as_str())).collect();
    let found = held_out.iter().filter(|h| **h).count();
    if found < listed.len() {
        notes.push(format!("{} held-out accounts of the plan are not in the database", listed.len() - found));
    }
    let (history, during) = split(units, start, n);
    let r = account_holdout::read_out(&history, &during, &held_out, saved.washout_weeks, saved.response.as_ref())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((r, notes))
}

pub fn analyze_geo_split(
    cli: &Cli,
    args: &ExperimentAnalyzeArgs,
    saved: &SavedPlan,
    panel: &Panel,
    dataset: Option<&Dataset>,
    start: usize,
    n: usize,
) -> anyhow::Result<ExitCode> {
    let units = experiment_units::load(dataset, &args.fit, &panel.dates, Grouping::Region)?;
    let (r, notes) = read_geo_split(saved, &units, start, n).with_context(|| args.plan.display().to_string())?;
    print_notes(cli, &notes);
    let e = &r.effect;
    let mut reading = format!(
        "Pausing {} in the paused regions took away {} of {} a week there (90 % interval {} to {}), over {} \
         compared; scaled to the whole company {} a week (informational).",
        saved.channel,
        amount(e.estimate),
        panel.target_name,
        amount(e.low),
        amount(e.high),
        weeks(r.analysed_weeks),
        amount(r.company_effect.estimate)
    );
    reading.push_str(verdict(e.low, e.high));
    if r.null.method == NullMethod::Ar1 {
        reading.push_str(" The history is too short for a placebo on past weeks: the noise is computed from the week-to-week variance.");
    }
    print_readout(cli, saved, panel, (start, n), &r, &notes, reading)
}

pub fn analyze_account_holdout(
    cli: &Cli,
    args: &ExperimentAnalyzeArgs,
    saved: &SavedPlan,
    panel: &Panel,
    dataset: Option<&Dataset>,
    start: usize,
    n: usize,
) -> anyhow::Result<ExitCode> {
    let units = experiment_units::load(dataset, &args.fit, &panel.dates, Grouping::Account)?;
    let (r, notes) = read_account_holdout(saved, &units, start, n).with_context(|| args.plan.display().to_string())?;
    print_notes(cli, &notes);
    let e = &r.per_account;
    let mut reading = format!(
        "Holding {} accounts out of {} took away {} of {} per account over {} compared (90 % interval {} to {}), \
         {} over all held-out accounts.",
        r.adjusted.held_out,
        saved.channel,
        amount(e.estimate),
        panel.target_name,
        weeks(r.analysed_weeks),
        amount(e.low),
        amount(e.high),
        amount(r.total.estimate)
    );
    reading.push_str(verdict(e.low, e.high));
    print_readout(cli, saved, panel, (start, n), &r, &notes, reading)
}
