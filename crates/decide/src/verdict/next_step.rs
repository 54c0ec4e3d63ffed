//! What would settle an undecided channel: every experiment design the data allow, each planned by its own
//! planner (docs/experiments.md) to see the **break-even effect** (the weekly effect at which the channel pays
//! back its full cost), and the one proposed: the design that reaches 80 % power for it in the fewest weeks, or,
//! when none does within [`MAX_EXPERIMENT_WEEKS`], the one with the smallest detectable effect
//! ([`crate::experiment::better`], the rule every plan chooses by).
//!
//! Which designs a channel allows:
//!
//! * a **pause** (switchback), always: the company can stop any channel for some weeks;
//! * a **geo-split** where the accounts' regions are known (at least [`geo_split::MIN_REGIONS`] with outcome) and
//!   the channel's reach can be targeted by location: social pages and ads, search ads, email;
//! * an **account holdout** where the accounts are known (at least [`account_holdout::MIN_ACCOUNTS`]) and the
//!   channel reaches people account by account: paid social and search ads (audience and exclusion lists),
//!   email and webinar invitations. Half the accounts are held out, the most sensitive split.
//!
//! Pure: the caller gathers the units' weekly outcome (it has the database).

use crate::experiment::carryover::Response;
use crate::experiment::{account_holdout, best_of, geo_split, switchback, Candidate, Design};
use crate::words::whole;
use chrono::NaiveDate;
use serde::Serialize;
use socialledger_domain::ChannelKind;

/// The longest experiment a next step may propose (two years of weeks).
pub const MAX_EXPERIMENT_WEEKS: usize = 104;

/// The units a geo-split or an account holdout is planned on: names (regions, account keys) and per unit the
/// outcome of every week of the panel.
#[derive(Clone, Copy, Debug)]
pub struct Units<'a> {
    pub names: &'a [String],
    pub outcome: &'a [Vec<f64>],
}

/// What planning one channel's next step needs.
#[derive(Clone, Copy, Debug)]
pub struct StepRequest<'a> {
    pub channel: &'a str,
    pub kind: Option<ChannelKind>,
    /// The weekly panel: its weeks, its target (the outcome a pause is read on) and the target's name.
    pub dates: &'a [NaiveDate],
    pub outcome: &'a [f64],
    pub target: &'a str,
    /// Per region (the accounts' countries) and per account, the target in every week of `dates`.
    pub regions: Option<Units<'a>>,
    pub accounts: Option<Units<'a>>,
    /// The channel's carry-over and saturation, and whether it is the mix model's (`mmm`) or `assumed`.
    pub response: &'a Response,
    pub carry_over: &'static str,
    /// The whole channel's weekly effect at which it pays back its full cost (target units).
    pub break_even: f64,
    /// The seed every plan (and so the command shown) uses.
    pub seed: u64,
}

/// One design planned for the break-even effect.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DesignOption {
    pub design: Design,
    /// Its weeks: the shortest with 80 % power for break-even, else the most sensitive up to the longest allowed.
    pub weeks: usize,
    pub reaches_power: bool,
    /// The smallest weekly effect of the whole channel (target units) it detects with 80 % power at the 90 % level.
    pub min_detectable_effect: f64,
    /// Its power for the break-even effect.
    pub power: f64,
    /// Who it treats, in words ("blocks of 5 weeks", "DE, FR paused: 31 % of pipeline", "200 of 400 accounts").
    pub treats: String,
}

impl Candidate for DesignOption {
    fn weeks(&self) -> usize {
        self.weeks
    }
    fn reaches_power(&self) -> bool {
        self.reaches_power
    }
    fn min_detectable_channel_effect(&self) -> f64 {
        self.min_detectable_effect
    }
}

/// The experiment that would settle an undecided channel.
#[derive(Clone, Debug, Serialize)]
pub struct NextStep {
    /// The design proposed: `pause`, `geo-split` or `account-holdout`.
    pub design: Design,
    /// Its weeks: the shortest with 80 % power, else those of the most sensitive design (`reaches_power` false:
    /// even that cannot tell break-even from nothing).
    pub weeks: usize,
    pub reaches_power: bool,
    /// The smallest weekly effect of the whole channel (target units) the proposed design sees with 80 % power.
    pub min_detectable_effect: f64,
    /// The weekly effect it is planned to detect: the one at which the channel pays back its full cost.
    pub effect: f64,
    pub power: f64,
    /// `mmm` (the fit's carry-over) or `assumed` (a geometric carry-over of half a week's effect per week,
    /// because there is no fit or the mix model has no input series for the channel).
    pub carry_over: &'static str,
    /// The command that plans and saves it (`experiment plan ... --out plan.json`).
    pub command: String,
    pub reading: String,
    /// Every design planned, the proposed one among them.
    pub candidates: Vec<DesignOption>,
    /// The designs the data or the channel do not allow, and why.
    pub not_possible: Vec<String>,
}

/// Plans every design `req` allows and proposes the best; `None` when not even a pause can be planned.
pub fn next_step(req: &StepRequest<'_>) -> Option<NextStep> {
    let mut candidates = Vec::new();
    let mut not_possible = Vec::new();
    match pause(req) {
        Ok(o) => candidates.push(o),
        Err(e) => not_possible.push(format!("pause: {e}")),
    }
    match geo(req) {
        Ok(o) => candidates.push(o),
        Err(e) => not_possible.push(format!("geo-split: {e}")),
    }
    match holdout(req) {
        Ok(o) => candidates.push(o),
        Err(e) => not_possible.push(format!("account holdout: {e}")),
    }
    let best = best_of(candidates.iter().cloned())?;
    let reading = reading(req, &best, &candidates);
    let mut command = format!(
        "socialledger experiment plan --channel {} --design {} --effect {:.2} --seed {}",
        req.channel, best.design, req.break_even, req.seed
    );
    if req.carry_over == "assumed" {
        command.push_str(" --assumed-carry-over");
    }
    command.push_str(" --out plan.json");
    Some(NextStep {
        design: best.design,
        weeks: best.weeks,
        reaches_power: best.reaches_power,
        min_detectable_effect: best.min_detectable_effect,
        effect: req.break_even,
        power: best.power,
        carry_over: req.carry_over,
        command,
        reading,
        candidates,
        not_possible,
    })
}

fn pause(req: &StepRequest<'_>) -> Result<DesignOption, String> {
    let p = switchback::plan(&switchback::PlanRequest {
        dates: req.dates,
        outcome: req.outcome,
        response: req.response,
        effect: req.break_even,
        weeks: None,
        max_weeks: MAX_EXPERIMENT_WEEKS,
        seed: req.seed,
    })
    .map_err(|e| e.to_string())?;
    Ok(DesignOption {
        design: Design::Pause,
        weeks: p.weeks,
        reaches_power: p.reaches_power,
        min_detectable_effect: p.min_detectable_effect,
        power: p.power,
        treats: format!("everyone, in blocks of {} weeks", p.block_weeks),
    })
}

/// Channels whose reach the company can target by location.
fn by_location(kind: Option<ChannelKind>) -> bool {
    matches!(
        kind,
        Some(ChannelKind::OrganicSocial | ChannelKind::PaidSocial | ChannelKind::PaidSearch | ChannelKind::Email)
    )
}

/// Channels that reach people account by account (audience or invitation lists the company controls).
fn by_account(kind: Option<ChannelKind>) -> bool {
    matches!(kind, Some(ChannelKind::PaidSocial | ChannelKind::PaidSearch | ChannelKind::Email | ChannelKind::Webinar))
}

fn geo(req: &StepRequest<'_>) -> Result<DesignOption, String> {
    if !by_location(req.kind) {
        return Err("the channel's reach cannot be targeted by location".into());
    }
    let Some(units) = req.regions else {
        return Err("the accounts' regions are not known".into());
    };
    let with_outcome = units.outcome.iter().filter(|s| s.iter().any(|v| *v != 0.0)).count();
    if with_outcome < geo_split::MIN_REGIONS {
        return Err(format!(
            "{with_outcome} regions (account countries) have {} in the history, at least {} are needed",
            req.target,
            geo_split::MIN_REGIONS
        ));
    }
    let p = geo_split::plan(&geo_split::PlanRequest {
        regions: units.names,
        outcome: units.outcome,
        response: req.response,
        effect: req.break_even,
        weeks: None,
        max_weeks: MAX_EXPERIMENT_WEEKS,
        seed: req.seed,
    })
    .map_err(|e| e.to_string())?;
    let paused: Vec<&str> = p.regions.iter().filter(|r| r.paused).map(|r| r.region.as_str()).collect();
    Ok(DesignOption {
        design: Design::GeoSplit,
        weeks: p.weeks,
        reaches_power: p.reaches_power,
        min_detectable_effect: p.min_detectable_company_effect,
        power: p.power,
        treats: format!("{} paused ({:.0} % of {})", paused.join(", "), 100.0 * p.paused_share, req.target),
    })
}

fn holdout(req: &StepRequest<'_>) -> Result<DesignOption, String> {
    if !by_account(req.kind) {
        return Err(
            "the channel does not reach people account by account (only paid ads, email and webinars do)".into()
        );
    }
    let Some(units) = req.accounts else {
        return Err("the accounts are not known".into());
    };
    if units.outcome.len() < account_holdout::MIN_ACCOUNTS {
        return Err(format!("{} accounts, at least {} are needed", units.outcome.len(), account_holdout::MIN_ACCOUNTS));
    }
    let p = account_holdout::plan(&account_holdout::PlanRequest {
        outcome: units.outcome,
        response: req.response,
        effect: req.break_even,
        share: account_holdout::DEFAULT_SHARE,
        weeks: None,
        max_weeks: MAX_EXPERIMENT_WEEKS,
        seed: req.seed,
    })
    .map_err(|e| e.to_string())?;
    Ok(DesignOption {
        design: Design::AccountHoldout,
        weeks: p.weeks,
        reaches_power: p.reaches_power,
        min_detectable_effect: p.min_detectable_company_effect,
        power: p.power,
        treats: format!("{} of {} accounts held out", p.held_out_count, p.accounts),
    })
}

/// The proposal in words: what to do, for how long, what it sees; and when nothing reaches the power, so.
fn reading(req: &StepRequest<'_>, best: &DesignOption, all: &[DesignOption]) -> String {
    let target = req.target;
    let what = match best.design {
        Design::Pause => format!("a pause ({})", best.treats),
        Design::GeoSplit => format!("a geo-split ({})", best.treats),
        Design::AccountHoldout => format!("an account holdout ({})", best.treats),
    };
    let designs: Vec<&str> = all.iter().map(|o| o.design.label()).collect();
    let tried = match designs.len() {
        1 => "the only design the data allow".to_string(),
        _ => format!("of the designs the data allow ({})", designs.join(", ")),
    };
    if best.reaches_power {
        format!(
            "{what} over {} weeks tells whether it pays back: it detects the {} a week of {target} at which it \
             breaks even with {:.0} % power ({tried}, the shortest that does)",
            best.weeks,
            whole(req.break_even),
            100.0 * best.power
        )
    } else {
        format!(
            "no design the data allow ({}) detects the {} a week of {target} at which it breaks even within \
             {MAX_EXPERIMENT_WEEKS} weeks; the most sensitive is {what} over {} weeks: it sees {} a week and has \
             {:.0} % power for break-even. More regions or accounts, or a larger change of effort, would be needed",
            designs.join(", "),
            whole(req.break_even),
            best.weeks,
            whole(best.min_detectable_effect),
            100.0 * best.power
        )
    }
}
