//! `socialledger experiment`: experiments that settle what history cannot. The plan is computed in
//! crates/decide from the panel's outcome and the mix model's fit (crates/mmm); this file only gathers them.

use super::{experiment_designs, experiment_units};
use crate::args::{Cli, DesignArg, ExperimentAction, ExperimentAnalyzeArgs, ExperimentArgs, ExperimentPlanArgs};
use crate::output;
use anyhow::Context;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use socialledger_decide::experiment::carryover::Response;
use socialledger_decide::experiment::from_fit::channel_from_fit;
use socialledger_decide::experiment::placebo::NullMethod;
use socialledger_decide::experiment::switchback::{plan, read_out, Plan, PlanRequest, Readout, Schedule};
use socialledger_decide::experiment::Design;
use socialledger_decide::experiment::LEVEL;
use socialledger_decide::stats::power;
use socialledger_decide::verdict::experiments::{self, ExperimentEffect};
use socialledger_decide::verdict::report::assumed_response;
use socialledger_decide::Interval;
use socialledger_mmm::Frequency;
use socialledger_mmm::Panel;
use std::process::ExitCode;

pub async fn run(cli: &Cli, args: &ExperimentArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        ExperimentAction::Plan(args) => run_plan(cli, args).await,
        ExperimentAction::Analyze(args) => run_analyze(cli, args).await,
    }
}

/// One week of the schedule.
#[derive(Serialize, Deserialize)]
pub(super) struct Week {
    pub week: NaiveDate,
    /// The treated units as usual (pause: the channel runs; geo-split and account holdout: false throughout,
    /// the paused regions and held-out accounts are off every week).
    pub on: bool,
    /// Compared in the readout (false in the washout after a switch).
    pub analysed: bool,
}

/// `experiment plan --json`.
#[derive(Serialize)]
struct PlanOutput<'a> {
    channel: &'a str,
    design: &'static str,
    target: &'a str,
    /// Where the weekly effect the plan is for (`effect`) comes from: `mmm` or `given`.
    effect_source: &'static str,
    /// The channel's effect in a normal week as the mix model has it: posterior mean and 90 % interval (`null`
    /// with `--assumed-carry-over`: no fit).
    mmm_weekly_effect: Option<Interval>,
    /// The channel's carry-over and saturation the plan assumed (posterior means of the mix model).
    response: &'a Response,
    /// The weekly effect at which the channel pays back its full cost (`None` without a value of the target).
    break_even_effect: Option<f64>,
    power_at_break_even: Option<f64>,
    #[serde(flatten)]
    plan: &'a Plan,
    schedule_weeks: Vec<Week>,
    reading: String,
}

/// What every design's plan starts from: the panel, the value of its target, the channel's carry-over and its
/// weekly effect by the mix model, and the effect the plan is for.
pub(super) struct Prepared {
    pub panel: Panel,
    pub value: socialledger_analytics::ValueOfTarget,
    /// What the panel was built from (`None`: a `--csv` panel).
    pub dataset: Option<socialledger_domain::Dataset>,
    /// The channel's series in the panel (`None`: planned with an assumed carry-over, outside the panel).
    pub m: Option<usize>,
    pub response: Response,
    /// The mix model's weekly effect of the channel (`None` with `--assumed-carry-over`: no fit).
    pub mmm_effect: Option<Interval>,
    pub effect: f64,
    pub effect_source: &'static str,
}

async fn prepare(cli: &Cli, args: &ExperimentPlanArgs) -> anyhow::Result<Prepared> {
    let super::mmm::PanelInput { panel, value, dataset } = super::mmm::load_panel(cli, &args.fit).await?;
    if panel.frequency != Frequency::Weekly {
        anyhow::bail!("an experiment is planned on weeks: build the panel weekly (drop --frequency daily)");
    }
    if args.assumed_carry_over {
        // No fit: the verdict's next step for a channel the mix model has no series for (or without a fit) plans
        // with the same assumed carry-over, so this command gives the plan it proposed.
        let Some(effect) = args.effect else {
            anyhow::bail!(
                "--assumed-carry-over plans without the mix model, which would give the weekly effect to look for: \
                 give it with --effect AMOUNT (the verdict's next step shows the break-even effect)"
            );
        };
        if !(effect.is_finite() && effect > 0.0) {
            anyhow::bail!("--effect must be a positive weekly effect in target units, not {effect}");
        }
        let m = panel.channels.iter().position(|c| c.key == args.channel);
        return Ok(Prepared {
            panel,
            value,
            dataset,
            m,
            response: assumed_response(),
            mmm_effect: None,
            effect,
            effect_source: "given",
        });
    }
    let m = panel.channels.iter().position(|c| c.key == args.channel).ok_or_else(|| {
        let keys: Vec<&str> = panel.channels.iter().map(|c| c.key.as_str()).collect();
        anyhow::anyhow!(
            "--channel {}: the panel has no such channel; it has {} (for a channel without a series in the panel, \
             plan with --assumed-carry-over --effect AMOUNT)",
            args.channel,
            keys.join(", ")
        )
    })?;
    let (mut opts, _) = super::mmm::options(cli, &panel, &value, dataset.as_ref(), &args.fit).await?;
    opts.cross_validate = false;
    let fitted = super::mmm::fit(&panel, &opts, &args.fit, cli.quiet)?;
    let (response, mmm_effect) = channel_from_fit(&fitted, m, LEVEL).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (effect, effect_source) = match args.effect {
        Some(e) if e.is_finite() && e > 0.0 => (e, "given"),
        Some(e) => anyhow::bail!("--effect must be a positive weekly effect in target units, not {e}"),
        None => (mmm_effect.estimate, "mmm"),
    };
    Ok(Prepared { panel, value, dataset, m: Some(m), response, mmm_effect: Some(mmm_effect), effect, effect_source })
}

async fn run_plan(cli: &Cli, args: &ExperimentPlanArgs) -> anyhow::Result<ExitCode> {
    let prepared = prepare(cli, args).await?;
    match args.design {
        DesignArg::Pause => plan_pause(cli, args, prepared),
        DesignArg::GeoSplit => super::experiment_designs::plan_geo_split(cli, args, prepared).await,
        DesignArg::AccountHoldout => super::experiment_designs::plan_account_holdout(cli, args, prepared).await,
    }
}

fn plan_pause(cli: &Cli, args: &ExperimentPlanArgs, prepared: Prepared) -> anyhow::Result<ExitCode> {
    let Prepared { panel, value, m, response, mmm_effect, effect, effect_source, .. } = prepared;
    let req = PlanRequest {
        dates: &panel.dates,
        outcome: &panel.target,
        response: &response,
        effect,
        weeks: args.weeks,
        max_weeks: args.max_weeks,
        seed: args.fit.seed,
    };
    let p = plan(&req).map_err(|e| anyhow::anyhow!("{e}"))?;
    let weekly_cost = m.map_or(0.0, |m| panel.channels[m].cost.iter().sum::<f64>() / panel.len() as f64);
    let break_even = value.value.filter(|v| *v > 0.0 && weekly_cost > 0.0).map(|v| weekly_cost / v);
    let power_at_break_even = break_even.map(|b| power(b * p.efficiency, p.null_sd, LEVEL));
    let first = *panel.dates.last().unwrap_or(&NaiveDate::MIN) + chrono::Days::new(7);
    let analysed = p.schedule.analysed();
    let schedule_weeks = p
        .schedule
        .on
        .iter()
        .zip(&analysed)
        .enumerate()
        .map(|(i, (on, a))| Week { week: first + chrono::Days::new(7 * i as u64), on: *on, analysed: *a })
        .collect();
    let longest = args.weeks.unwrap_or(args.max_weeks);
    let reading = reading(&args.channel, &p, longest, effect, effect_source, break_even, power_at_break_even);
    let out = PlanOutput {
        channel: &args.channel,
        design: "pause",
        target: &panel.target_name,
        effect_source,
        mmm_weekly_effect: mmm_effect,
        response: &response,
        break_even_effect: break_even,
        power_at_break_even,
        plan: &p,
        schedule_weeks,
        reading,
    };
    if let Some(path) = &args.out {
        let json = serde_json::to_string_pretty(&out)?;
        std::fs::write(path, json + "\n").with_context(|| format!("cannot write the plan to {}", path.display()))?;
    }
    if cli.json {
        output::print_json(&out)?;
    } else {
        output::print_text(&text(&out, first))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The parts of a saved plan the readout needs (other fields are ignored: plans written by other tools, such as
/// the demo's simulated experiments, have the same shape).
#[derive(Deserialize)]
pub(super) struct SavedPlan {
    pub channel: String,
    pub design: Design,
    #[serde(default)]
    pub block_weeks: Option<usize>,
    pub washout_weeks: usize,
    #[serde(default)]
    pub response: Option<Response>,
    pub schedule_weeks: Vec<Week>,
    /// Geo-split only.
    #[serde(default)]
    pub regions: Option<Vec<socialledger_decide::experiment::geo_split::RegionArm>>,
    /// Account holdout only; every other account is exposed.
    #[serde(default)]
    pub held_out_accounts: Option<Vec<String>>,
}

/// `experiment analyze --json`.
#[derive(Serialize)]
struct ReadoutOutput<'a> {
    channel: &'a str,
    design: &'a str,
    target: &'a str,
    first_week: NaiveDate,
    last_week: NaiveDate,
    history_weeks: usize,
    #[serde(flatten)]
    readout: &'a Readout,
    reading: String,
}

async fn run_analyze(cli: &Cli, args: &ExperimentAnalyzeArgs) -> anyhow::Result<ExitCode> {
    let saved = read_plan(&args.plan)?;
    let super::mmm::PanelInput { panel, dataset, .. } = super::mmm::load_panel(cli, &args.fit).await?;
    if panel.frequency != Frequency::Weekly {
        anyhow::bail!("an experiment is read out on weeks: build the panel weekly (drop --frequency daily)");
    }
    let (start, n) = experiment_weeks(&panel, &saved)?;
    match saved.design {
        Design::Pause => {}
        Design::GeoSplit => {
            return super::experiment_designs::analyze_geo_split(cli, args, &saved, &panel, dataset.as_ref(), start, n)
        }
        Design::AccountHoldout => {
            return super::experiment_designs::analyze_account_holdout(
                cli,
                args,
                &saved,
                &panel,
                dataset.as_ref(),
                start,
                n,
            )
        }
    }
    let (first, last) = (saved.schedule_weeks[0].week, saved.schedule_weeks[n - 1].week);
    let readout = read_pause(&saved, &panel, start, n).with_context(|| args.plan.display().to_string())?;
    let c = &readout.contrast;
    let mut reading = format!(
        "Running {} rather than pausing it changed {} by {} a week (90 % interval {} to {}), from {} normal and {} \
         paused weeks compared.",
        saved.channel,
        panel.target_name,
        amount(c.estimate),
        amount(c.low),
        amount(c.high),
        readout.analysed_on,
        readout.analysed_off
    );
    reading.push_str(if c.low > 0.0 {
        " The channel adds to the outcome: the interval lies above zero."
    } else if c.high < 0.0 {
        " Pausing it did better: the interval lies below zero."
    } else {
        " The interval spans zero: this experiment cannot tell the channel's effect from nothing."
    });
    let out = ReadoutOutput {
        channel: &saved.channel,
        design: saved.design.as_str(),
        target: &panel.target_name,
        first_week: first,
        last_week: last,
        history_weeks: start,
        readout: &readout,
        reading,
    };
    if cli.json {
        output::print_json(&out)?;
    } else {
        output::print_text(&out.reading)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A plan saved by `experiment plan --out` (or `demo --experiment`), read from `path`.
pub(super) fn read_plan(path: &std::path::Path) -> anyhow::Result<SavedPlan> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not a plan saved by `experiment plan --out`", path.display()))
}

impl SavedPlan {
    /// Whether it is read out on the regions' or the accounts' outcome (a geo-split, an account holdout) rather
    /// than on the panel's (a pause).
    pub fn needs_units(&self) -> bool {
        matches!(self.design, Design::GeoSplit | Design::AccountHoldout)
    }
}

/// A saved experiment (`saved`, read from `path`) read out on `panel` (a pause) or on the regions' or accounts'
/// outcome, exactly as `experiment analyze` reads it, and turned into the whole channel's weekly effect
/// (crates/decide, `verdict::experiments`); with what the reader should know about the data it was read on. The
/// verdict and `mmm fit --calibrate` read experiments here, so both take the same effect from the same plan.
/// `units` (regions, accounts): the weekly outcome of each in the panel's target, which geo-splits and account
/// holdouts are read on; `None` for a panel from `--csv`, which has no regions or accounts.
pub(super) fn read_effect(
    path: &std::path::Path,
    saved: &SavedPlan,
    panel: &Panel,
    units: Option<(&experiment_units::Units, &experiment_units::Units)>,
) -> anyhow::Result<(ExperimentEffect, Vec<String>)> {
    // A geo-split or an account holdout is read on the regions' or the accounts' outcome, which a --csv panel
    // lacks: refused before anything else, since no other fix would help.
    let without_units = |design: &str, units: &str| {
        anyhow::anyhow!(
            "{}: {design} is read out on {units}, which the database has and a --csv panel does not: calibrate on \
             the panel built from the database (drop --csv and its column flags), or by a pause",
            path.display()
        )
    };
    let on = match (saved.design, units) {
        (Design::Pause, _) => ReadOn::Panel,
        (Design::GeoSplit, Some((regions, _))) => ReadOn::Regions(regions),
        (Design::AccountHoldout, Some((_, accounts))) => ReadOn::Accounts(accounts),
        (Design::GeoSplit, None) => {
            return Err(without_units(
                "a geo-split",
                "the regions' weekly outcome (the deals of the accounts in each country)",
            ))
        }
        (Design::AccountHoldout, None) => {
            return Err(without_units("an account holdout", "the accounts' weekly outcome (the deals of each account)"))
        }
    };
    let (start, n) = experiment_weeks(panel, saved).with_context(|| path.display().to_string())?;
    let at = || path.display().to_string();
    let scaled = |r: Result<ExperimentEffect, socialledger_decide::DecideError>| r.map_err(|e| anyhow::anyhow!("{e}"));
    match on {
        ReadOn::Panel => {
            let r = read_pause(saved, panel, start, n).with_context(at)?;
            Ok((experiments::from_pause(&saved.channel, &r), Vec::new()))
        }
        ReadOn::Regions(regions) => {
            let (r, notes) = experiment_designs::read_geo_split(saved, regions, start, n).with_context(at)?;
            Ok((scaled(experiments::from_geo_split(&saved.channel, &r)).with_context(at)?, notes))
        }
        ReadOn::Accounts(accounts) => {
            let (r, notes) = experiment_designs::read_account_holdout(saved, accounts, start, n).with_context(at)?;
            Ok((scaled(experiments::from_account_holdout(&saved.channel, &r)).with_context(at)?, notes))
        }
    }
}

/// What an experiment is read out on: the panel's outcome (a pause), the regions' (a geo-split) or the accounts'
/// (an account holdout).
enum ReadOn<'a> {
    Panel,
    Regions(&'a experiment_units::Units),
    Accounts(&'a experiment_units::Units),
}

/// Reads out a saved pause over the panel's weeks `start..start + n` (the history is every week before).
pub(super) fn read_pause(saved: &SavedPlan, panel: &Panel, start: usize, n: usize) -> anyhow::Result<Readout> {
    let (Some(block_weeks), Some(response)) = (saved.block_weeks, saved.response.clone()) else {
        anyhow::bail!("a pause plan needs block_weeks and response");
    };
    let schedule = Schedule {
        block_weeks,
        washout_weeks: saved.washout_weeks,
        on: saved.schedule_weeks.iter().map(|w| w.on).collect(),
    };
    read_out(
        &panel.dates[..start],
        &panel.target[..start],
        &panel.dates[start..start + n],
        &panel.target[start..start + n],
        &schedule,
        Some(&response),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))
}

/// The sentence on the washout (empty without one): `lead` names which weeks, e.g. "The first".
pub(super) fn washout_note(washout_weeks: usize, lead: &str) -> String {
    match washout_weeks {
        0 => String::new(),
        1 => format!(" {lead} week is not compared: the channel's effect carries over."),
        n => format!(" {lead} {n} weeks are not compared: the channel's effect carries over."),
    }
}

/// Where the plan's weeks are in the panel: the index of its first week and the number of weeks, once every week
/// is in the data.
pub(super) fn experiment_weeks(panel: &Panel, saved: &SavedPlan) -> anyhow::Result<(usize, usize)> {
    let (Some(first), Some(last)) = (saved.schedule_weeks.first(), saved.schedule_weeks.last()) else {
        anyhow::bail!("the plan has no weeks");
    };
    let (first, last) = (first.week, last.week);
    let Some(start) = panel.dates.iter().position(|d| *d == first) else {
        anyhow::bail!(
            "the data do not reach the experiment's first week ({first}): its last whole week is {}; import the \
             weeks the experiment ran, then read it out",
            panel.dates.last().map(|d| d.to_string()).unwrap_or_default()
        );
    };
    let n = saved.schedule_weeks.len();
    if start + n > panel.len() {
        anyhow::bail!(
            "the experiment runs to the week of {last}, the data to {}: read it out once every week is in",
            panel.dates[panel.len() - 1]
        );
    }
    for (i, w) in saved.schedule_weeks.iter().enumerate() {
        if panel.dates[start + i] != w.week {
            anyhow::bail!("the data have no week {} of the experiment (weeks must follow each other)", w.week);
        }
    }
    Ok((start, n))
}

/// An amount in target units, with as many decimals as its size needs.
pub(super) fn amount(x: f64) -> String {
    match x.abs() {
        a if a >= 100.0 => format!("{x:.0}"),
        a if a >= 1.0 => format!("{x:.1}"),
        _ => format!("{x:.3}"),
    }
}

pub(super) fn weeks(n: usize) -> String {
    if n == 1 {
        "1 week".into()
    } else {
        format!("{n} weeks")
    }
}

/// What the plan means, in words.
fn reading(
    channel: &str,
    p: &Plan,
    longest: usize,
    effect: f64,
    source: &str,
    break_even: Option<f64>,
    power_at_break_even: Option<f64>,
) -> String {
    let whose =
        if source == "mmm" { "the mix model's estimate of its weekly effect" } else { "the weekly effect given" };
    let mut s = if p.reaches_power {
        format!(
            "Pausing {channel} in blocks of {} over {} detects {whose} ({}) with {:.0} % power: the smallest \
             weekly effect it sees with 80 % power is {}.",
            weeks(p.block_weeks),
            weeks(p.weeks),
            amount(effect),
            100.0 * p.power,
            amount(p.min_detectable_effect)
        )
    } else {
        format!(
            "No pause of {channel} lasting up to {} detects {whose} ({}) with 80 % power: the best design found \
             ({}, blocks of {}) sees weekly effects from {} on, and has {:.0} % power for this one. A geo-split, whose control runs in \
             parallel, or a larger effect to look for would be needed.",
            weeks(longest),
            amount(effect),
            weeks(p.weeks),
            weeks(p.block_weeks),
            amount(p.min_detectable_effect),
            100.0 * p.power
        )
    };
    s.push_str(&washout_note(p.washout_weeks, "After every switch the first"));
    if let (Some(b), Some(pw)) = (break_even, power_at_break_even) {
        s.push_str(&format!(
            " The channel pays back its cost at a weekly effect of {}; the plan detects that with {:.0} % power.",
            amount(b),
            100.0 * pw
        ));
    }
    if p.null.method == NullMethod::Ar1 {
        s.push_str(" The history is too short to measure the noise on past weeks: it is computed from the week-to-week variance instead.");
    }
    s
}

fn text(out: &PlanOutput<'_>, first: NaiveDate) -> String {
    let p = out.plan;
    let mut lines = vec![
        format!("Experiment plan: pause {} ({} weeks from {first})", out.channel, p.weeks),
        String::new(),
        format!(
            "  blocks                 {}, {} of washout after a switch",
            weeks(p.block_weeks),
            weeks(p.washout_weeks)
        ),
        format!("  weeks compared         {} normal, {} paused", p.analysed_on, p.analysed_off),
        match &out.mmm_weekly_effect {
            Some(e) => format!(
                "  weekly effect          {} ({}); mix model {} [{}, {}]",
                amount(p.effect),
                out.effect_source,
                amount(e.estimate),
                amount(e.low),
                amount(e.high)
            ),
            None => {
                format!("  weekly effect          {} ({}); carry-over assumed", amount(p.effect), out.effect_source)
            }
        },
        format!("  smallest detectable    {} per week (80 % power, 90 % level)", amount(p.min_detectable_effect)),
        format!("  power for the effect   {:.0} %", 100.0 * p.power),
        String::new(),
        "  Schedule (on = as usual, off = paused; * = compared):".into(),
    ];
    for w in &out.schedule_weeks {
        lines.push(format!(
            "    {}  {}{}",
            w.week,
            if w.on { "on " } else { "off" },
            if w.analysed { " *" } else { "" }
        ));
    }
    lines.push(String::new());
    lines.push(out.reading.clone());
    lines.join("\n")
}
