//! The true effect of a simulated experiment, in the units its readout estimates: EUR of pipeline (amounts of
//! the deals created) per week or per account.
//!
//! The world without the experiment shares every random number with the world simulated (the touches are drawn
//! first, then masked). Per buying trigger the *expected* pipeline is `P_create · amount`, an expectation over
//! the deal coin flips given the touches, amounts and cycles, as in `weekly_pipeline`; the week of a deal is the
//! week of its trigger. What the experiment cost in a week is the difference of that expectation between the
//! unmasked and the masked world, summed over the treated accounts' triggers. It is never negative: removing
//! touches only lowers the pressures, hence the hazards.

use super::{Design, Run};
use crate::crm::accounts::Population;
use crate::crm::deals::{Hazards, Outcome, Trigger};
use crate::DemoConfig;
use serde::Serialize;
use socialledger_domain::Date;

/// The truth of one simulated experiment (truth.json, `experiments`).
#[derive(Debug, Clone, Serialize)]
pub struct ExperimentTruth {
    pub channel: String,
    pub design: Design,
    /// Monday of the first and of the last experiment week.
    pub first_week: Date,
    pub last_week: Date,
    pub weeks: usize,
    pub washout_weeks: usize,
    pub assignment: AssignmentSummary,
    /// Pause: mean over the analysed off weeks of the expected pipeline the pause lost (unmasked minus masked
    /// world, every account). EUR per paused week.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lost_per_paused_week: Option<f64>,
    /// Pause: mean over the analysed on weeks of the channel's weekly removal contribution in the simulated
    /// world (what disappears when only its effect is off) minus the same mean over the analysed off weeks. This
    /// is what the readout's normal-minus-paused contrast estimates. EUR per week.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contrast_per_week: Option<f64>,
    /// Geo-split: the expected pipeline lost in the paused regions, summed over them, per analysed week (what
    /// the readout estimates). EUR per week.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lost_per_week: Option<f64>,
    /// Geo-split: the paused regions' share of the pipeline (amounts of the deals created, as in deals.csv)
    /// before the experiment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paused_pre_pipeline_share: Option<f64>,
    /// Account holdout: the expected pipeline lost over the analysed weeks per held-out account (what the
    /// readout estimates). EUR per account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lost_per_account: Option<f64>,
    /// Account holdout: that loss summed over the held-out accounts. EUR.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lost_total_eur: Option<f64>,
    pub note: &'static str,
}

/// Who and when the experiment treated.
#[derive(Debug, Clone, Serialize)]
pub struct AssignmentSummary {
    /// Accounts the channel was withheld from (in the withheld weeks).
    pub treated_accounts: usize,
    pub accounts: usize,
    /// Experiment weeks in which the treated accounts did not get the channel.
    pub off_weeks: usize,
    pub analysed_on_weeks: usize,
    pub analysed_off_weeks: usize,
    /// Pause only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_weeks: Option<usize>,
    /// Geo-split only: the paused countries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paused_regions: Option<Vec<String>>,
}

const NOTE: &str = "EUR of expected pipeline (deals created); the week of a deal is the week of its trigger; \
    lost = expected pipeline without the experiment minus with it (common random numbers), over the treated \
    accounts and the analysed weeks; pause: contrast_per_week is what the normal-minus-paused readout estimates";

/// The world the truth is computed from: the triggers and the masked hazards.
pub(crate) struct World<'a> {
    pub cfg: &'a DemoConfig,
    pub population: &'a Population,
    pub triggers: &'a [Trigger],
    pub hazards: &'a [Hazards],
    pub outcomes: &'a [Outcome],
}

impl ExperimentTruth {
    pub(crate) fn of(run: &Run, world: &World<'_>) -> ExperimentTruth {
        let s = &run.setup;
        let n_weeks = s.weeks();
        let effect = world.cfg.effects.iter().position(|e| e.channel == s.spec.channel);
        // Per experiment week: pipeline lost on the treated accounts, and the channel's removal contribution.
        let mut lost = vec![0.0; n_weeks];
        let mut removal = vec![0.0; n_weeks];
        let mut pre = (0.0, 0.0); // (treated, all) pipeline of the deals created before the experiment
        for (i, tr) in world.triggers.iter().enumerate() {
            let amount = tr.amount_minor as f64 / 100.0;
            let treated = run.assignment.treated[tr.account];
            let Some(w) = s.week_of_day(tr.day) else {
                if tr.day < s.first_day && world.outcomes[i].created() {
                    pre.1 += amount;
                    if treated {
                        pre.0 += amount;
                    }
                }
                continue;
            };
            let masked = world.hazards[i].probabilities(|_| true).0;
            if treated {
                let unmasked = run.unmasked_hazards[i].probabilities(|_| true).0;
                lost[w] += (unmasked - masked) * amount;
            }
            if let Some(e) = effect {
                let without = world.hazards[i].probabilities(|x| x != e).0;
                removal[w] += (masked - without) * amount;
            }
        }
        let weeks_where = |on: bool| (0..n_weeks).filter(move |w| s.analysed[*w] && s.on[*w] == on);
        let mean = |xs: &[f64], on: bool| {
            let picked: Vec<f64> = weeks_where(on).map(|w| xs[w]).collect();
            if picked.is_empty() {
                0.0
            } else {
                picked.iter().sum::<f64>() / picked.len() as f64
            }
        };
        let analysed_off = weeks_where(false).count();
        let lost_analysed: f64 = weeks_where(false).map(|w| lost[w]).sum();
        let treated_accounts = run.assignment.treated.iter().filter(|t| **t).count();
        let design = s.spec.design;
        let pick = |d: Design, x: f64| (design == d).then_some(cent(x));
        ExperimentTruth {
            channel: s.spec.channel.clone(),
            design,
            first_week: s.monday(0),
            last_week: s.monday(n_weeks.saturating_sub(1)),
            weeks: n_weeks,
            washout_weeks: s.washout_weeks,
            assignment: AssignmentSummary {
                treated_accounts,
                accounts: world.population.accounts.len(),
                off_weeks: s.on.iter().filter(|o| !**o).count(),
                analysed_on_weeks: weeks_where(true).count(),
                analysed_off_weeks: analysed_off,
                block_weeks: s.block_weeks,
                paused_regions: (design == Design::GeoSplit)
                    .then(|| run.assignment.regions.iter().filter(|(_, p)| *p).map(|(c, _)| c.clone()).collect()),
            },
            lost_per_paused_week: pick(Design::Pause, mean(&lost, false)),
            contrast_per_week: pick(Design::Pause, mean(&removal, true) - mean(&removal, false)),
            lost_per_week: pick(Design::GeoSplit, ratio(lost_analysed, analysed_off as f64)),
            paused_pre_pipeline_share: (design == Design::GeoSplit).then(|| ratio(pre.0, pre.1)),
            lost_per_account: pick(Design::AccountHoldout, ratio(lost_analysed, treated_accounts as f64)),
            lost_total_eur: pick(Design::AccountHoldout, lost_analysed),
            note: NOTE,
        }
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        0.0
    } else {
        a / b
    }
}

fn cent(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
