//! A simulated experiment: the company runs a pause, a geo-split or an account holdout of one channel over the
//! last whole weeks of its period, so that `experiment analyze` can be checked against a known true effect.
//!
//! The experiment is simulated by *masking*: every random number of the world is drawn as without the
//! experiment, then the channel's touches of the treated accounts in the treated weeks are removed (for a pause
//! also its posts and the staff time logged on it). The deals are then resolved on the masked touches. The world
//! without the mask shares every random number (common random numbers), so the experiment's true effect is the
//! difference in expected pipeline between the two ([`truth`]).

pub mod assign;
pub mod plan_file;
pub mod truth;

use crate::calendar::Calendar;
use crate::company::{self, channel_index, CHANNELS};
use crate::content::Content;
use crate::crm::touches::Touch;
use crate::streams::{rng, Stream};
use crate::{DemoConfig, DemoError};
use socialledger_decide::experiment::carryover::Response;
use socialledger_decide::experiment::switchback::Schedule;
use socialledger_domain::Date;
use socialledger_mmm::spec::{AdstockKind, SaturationKind};
use std::str::FromStr;

pub use plan_file::ExperimentPlan;
pub use socialledger_decide::experiment::Design;
pub use truth::ExperimentTruth;

/// File name of the experiment's saved plan, written beside truth.json (`experiment analyze --plan` reads it).
pub const PLAN_FILE: &str = "experiment.json";

/// Carry-over length of the response written to the plan, in weeks: the mix model's default `l_max`, which the
/// readout's efficiency assumes. The demo's true adstock is an untruncated geometric decay; truncating it at 8
/// weeks keeps the washout of slow channels (LinkedIn page, events) short enough for a pause to fit in a year.
pub const L_MAX_WEEKS: usize = 8;

/// Share of the adstock allowed to come from before a switch in the first week compared (the washout rule of
/// `experiment plan`, docs/experiments.md).
pub const WASHOUT_LEFT: f64 = 0.1;

/// Weeks a pause block lasts at least beyond its washout, so that every block has weeks to compare.
pub const MIN_COMPARED_WEEKS_PER_BLOCK: usize = 2;

/// Weeks of an experiment when `--experiment` gives none: half a year for a pause (its blocks and washouts need
/// room), a quarter for the designs whose control runs in parallel.
pub fn default_weeks(design: Design) -> usize {
    match design {
        Design::Pause => 26,
        Design::GeoSplit | Design::AccountHoldout => 13,
    }
}

/// `CHANNEL:DESIGN[:WEEKS]` as given to `socialledger demo --experiment`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExperimentSpec {
    pub channel: String,
    pub design: Design,
    /// Weeks of the experiment; `None`: [`default_weeks`].
    pub weeks: Option<usize>,
}

impl ExperimentSpec {
    pub fn weeks(&self) -> usize {
        self.weeks.unwrap_or_else(|| default_weeks(self.design))
    }
}

/// Channels an experiment can withhold: every channel with touches (all but the sales meetings).
pub fn experiment_channels() -> Vec<&'static str> {
    CHANNELS.iter().map(|c| c.key).filter(|k| *k != company::SALES).collect()
}

impl FromStr for ExperimentSpec {
    type Err = DemoError;

    fn from_str(s: &str) -> Result<Self, DemoError> {
        let bad = |message: String| DemoError::Experiment(format!("--experiment {s}: {message}"));
        let parts: Vec<&str> = s.split(':').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(bad("write CHANNEL:DESIGN or CHANNEL:DESIGN:WEEKS, e.g. linkedin:pause:26".into()));
        }
        let channel = parts[0].trim();
        if !experiment_channels().contains(&channel) {
            return Err(bad(format!(
                "unknown channel \"{channel}\"; an experiment needs a channel with touches: {}",
                experiment_channels().join(", ")
            )));
        }
        let design = match parts[1].trim() {
            "pause" => Design::Pause,
            "geo-split" => Design::GeoSplit,
            "account-holdout" => Design::AccountHoldout,
            other => {
                return Err(bad(format!(
                    "unknown design \"{other}\"; the designs are pause, geo-split, account-holdout"
                )))
            }
        };
        let weeks = match parts.get(2) {
            None => None,
            Some(w) => match w.trim().parse::<usize>() {
                Ok(0) | Err(_) => {
                    return Err(bad(format!("WEEKS must be a whole number of weeks above 0, not \"{w}\"")))
                }
                Ok(n) => Some(n),
            },
        };
        Ok(ExperimentSpec { channel: channel.to_string(), design, weeks })
    }
}

/// The experiment laid out on the calendar: its weeks, which of them run the channel, which are compared, and
/// the channel's true carry-over. Known before the CRM is drawn; who is treated is drawn later ([`assign`]).
#[derive(Debug, Clone)]
pub(crate) struct Setup {
    pub spec: ExperimentSpec,
    /// Index into [`CHANNELS`].
    pub channel: usize,
    /// Day index of the experiment's first Monday.
    pub first_day: usize,
    /// Per experiment week: whether the treated units run the channel (pause: the schedule; otherwise never).
    pub on: Vec<bool>,
    /// Per experiment week: whether it is compared (not within `washout_weeks` of a switch).
    pub analysed: Vec<bool>,
    pub washout_weeks: usize,
    /// Pause only.
    pub block_weeks: Option<usize>,
    pub response: Response,
    pub first_monday: Date,
}

impl Setup {
    /// Lays out `spec` on the period of `cfg`; errors when it does not fit.
    pub fn new(cfg: &DemoConfig, cal: &Calendar, spec: &ExperimentSpec) -> Result<Setup, DemoError> {
        let bad = |message: String| {
            DemoError::Experiment(format!("--experiment {}:{}:{}: {message}", spec.channel, spec.design, spec.weeks()))
        };
        let channel = channel_index(&spec.channel)
            .filter(|_| experiment_channels().iter().any(|c| *c == spec.channel))
            .ok_or_else(|| bad(format!("unknown channel; choose one of {}", experiment_channels().join(", "))))?;
        let weeks = spec.weeks();
        // Whole Monday-to-Sunday weeks: the last one ends on the period's last Sunday.
        let last_day = cal.days - 1;
        let end = (last_day + 1).saturating_sub((cal.weekday(last_day) as usize + 1) % 7);
        let whole_weeks = (end - cal.next_weekday(0, 0).min(end)) / 7;
        if weeks == 0 || 2 * weeks > whole_weeks {
            return Err(bad(format!(
                "the period has {whole_weeks} whole weeks; an experiment may take at most half of them ({}), so \
                 that the weeks before it give the readout its baseline. Give fewer weeks or more --months",
                whole_weeks / 2
            )));
        }
        let response = true_response(cfg, &spec.channel);
        let washout_weeks = response.washout_weeks(WASHOUT_LEFT);
        let (on, block_weeks, weeks) = match spec.design {
            Design::Pause => {
                let shortest = 2 * (washout_weeks + MIN_COMPARED_WEEKS_PER_BLOCK);
                if weeks < shortest {
                    return Err(bad(format!(
                        "a pause of {} needs at least {shortest} weeks: its carry-over needs a washout of \
                         {washout_weeks} weeks after every switch and each of the two blocks {} weeks to compare",
                        spec.channel, MIN_COMPARED_WEEKS_PER_BLOCK
                    )));
                }
                let pairs = weeks / shortest;
                let block = weeks / (2 * pairs);
                let mut r = rng(cfg.seed, Stream::Experiment);
                let schedule = Schedule::random(pairs, block, washout_weeks, &mut r).map_err(|e| bad(e.to_string()))?;
                (schedule.on, Some(block), 2 * pairs * block)
            }
            Design::GeoSplit | Design::AccountHoldout => (vec![false; weeks], None, weeks),
        };
        let first_day = end - 7 * weeks;
        let analysed = match block_weeks {
            Some(b) => Schedule { block_weeks: b, washout_weeks, on: on.clone() }.analysed(),
            None => (0..weeks).map(|w| w >= washout_weeks).collect(),
        };
        Ok(Setup {
            spec: ExperimentSpec { weeks: Some(weeks), ..spec.clone() },
            channel,
            first_day,
            on,
            analysed,
            washout_weeks,
            block_weeks,
            response,
            first_monday: cal.date(first_day),
        })
    }

    pub fn weeks(&self) -> usize {
        self.on.len()
    }

    /// The experiment week of day `d`, if it falls in the experiment.
    pub fn week_of_day(&self, d: usize) -> Option<usize> {
        let w = d.checked_sub(self.first_day)? / 7;
        (w < self.weeks()).then_some(w)
    }

    /// Monday of experiment week `w`.
    pub fn monday(&self, w: usize) -> Date {
        self.first_monday + chrono::Days::new(7 * w as u64)
    }

    /// Whether the channel is withheld on day `d` from the accounts the assignment treats.
    pub fn withheld_on(&self, d: usize) -> bool {
        self.week_of_day(d).is_some_and(|w| !self.on[w])
    }

    /// Per post of `content`: true when a pause keeps it from being published (the channel's posts dated in
    /// an off week). Geo-split and holdout withhold the channel from accounts, not the posts from the page.
    pub fn hidden_posts(&self, cal: &Calendar, content: &Content) -> Vec<bool> {
        let key = CHANNELS[self.channel].key;
        content
            .posts
            .iter()
            .map(|p| {
                self.spec.design == Design::Pause
                    && p.channel == key
                    && p.published_at.and_then(|at| cal.index(at.date_naive())).is_some_and(|d| self.withheld_on(d))
            })
            .collect()
    }

    /// Whether a time entry of `channel` dated `date` is not worked because a pause stops the channel then.
    pub fn hides_time(&self, cal: &Calendar, channel: Option<&str>, date: Date) -> bool {
        self.spec.design == Design::Pause
            && channel == Some(CHANNELS[self.channel].key)
            && cal.index(date).is_some_and(|d| self.withheld_on(d))
    }
}

/// The channel's true carry-over as a weekly geometric adstock: a touch's pressure halves every
/// `half_life_days`, so a week keeps `0.5^(7 / half_life_days)` of the last (see `ChannelEffect`), truncated at
/// [`L_MAX_WEEKS`]. The demo saturates each account's pressure (`1 - exp(-S / saturation)`), which has no weekly
/// input to mirror; the plan carries a logistic saturation with λ = 1 at a normal week's scaled input of 1 so
/// that the readout's efficiency sees a concave response. A channel without an effect entry gets the default
/// 30-day half-life.
pub fn true_response(cfg: &DemoConfig, channel: &str) -> Response {
    let half_life = cfg.effect(channel).map_or(30.0, |e| e.half_life_days).max(1e-9);
    Response {
        adstock: AdstockKind::Geometric,
        adstock_params: vec![0.5f64.powf(7.0 / half_life)],
        l_max: L_MAX_WEEKS,
        saturation: SaturationKind::Logistic,
        saturation_params: vec![1.0],
        level: 1.0,
    }
}

/// Who the experiment treats: per account, whether the channel is withheld in the withheld weeks.
#[derive(Debug, Clone)]
pub(crate) struct Assignment {
    pub treated: Vec<bool>,
    /// Geo-split only: every country with its accounts, and whether it was paused, in pair order.
    pub regions: Vec<(String, bool)>,
}

/// The experiment as run: its layout, who was treated, and the world's hazards without the mask.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub setup: Setup,
    pub assignment: Assignment,
    /// Per trigger: the hazards had the experiment not run (same touches before masking).
    pub unmasked_hazards: Vec<crate::crm::deals::Hazards>,
}

impl Run {
    /// True when `t` is one of the touches the experiment removes.
    pub fn hides(setup: &Setup, assignment: &Assignment, t: &Touch) -> bool {
        t.channel == setup.channel && assignment.treated[t.account] && setup.withheld_on(t.day)
    }
}
