//! `experiment.json`: the simulated experiment written as the plan `socialledger experiment analyze --plan` reads
//! (the same fields `experiment plan --out` saves, plus the design's assignment), so the readout runs on the
//! demo's database exactly as on a company's own experiment.

use super::{Design, Run};
use serde::Serialize;
use socialledger_decide::experiment::carryover::Response;
use socialledger_domain::Date;

/// The saved plan of a simulated experiment.
#[derive(Debug, Clone, Serialize)]
pub struct ExperimentPlan {
    pub channel: String,
    pub design: Design,
    /// Weeks left out of the comparison after every switch (and, for geo-split and holdout, at the start).
    pub washout_weeks: usize,
    /// The channel's *true* carry-over (geometric, weekly retention `0.5^(7 / half_life_days)`) and a
    /// saturation; see `experiment::true_response`.
    pub response: Response,
    /// Every experiment week, Mondays, consecutive. `on`: the treated units run the channel (pause: its
    /// schedule; geo-split and holdout: false, the treated units are off throughout). `analysed`: compared.
    pub schedule_weeks: Vec<PlanWeek>,
    /// Pause only: weeks per block of the switchback.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_weeks: Option<usize>,
    /// Geo-split only: every country with accounts (as in accounts.csv) and whether it was paused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regions: Option<Vec<Region>>,
    /// Account holdout only: the keys (as in accounts.csv) of the accounts the channel was withheld from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held_out_accounts: Option<Vec<String>>,
    pub source: &'static str,
}

/// One week of the schedule.
#[derive(Debug, Clone, Serialize)]
pub struct PlanWeek {
    pub week: Date,
    pub on: bool,
    pub analysed: bool,
}

/// One region of a geo-split.
#[derive(Debug, Clone, Serialize)]
pub struct Region {
    pub region: String,
    pub paused: bool,
}

impl ExperimentPlan {
    pub(crate) fn of(run: &Run, account_keys: &[String]) -> ExperimentPlan {
        let s = &run.setup;
        let design = s.spec.design;
        ExperimentPlan {
            channel: s.spec.channel.clone(),
            design,
            washout_weeks: s.washout_weeks,
            response: s.response.clone(),
            schedule_weeks: (0..s.weeks())
                .map(|w| PlanWeek { week: s.monday(w), on: s.on[w], analysed: s.analysed[w] })
                .collect(),
            block_weeks: s.block_weeks,
            regions: (design == Design::GeoSplit).then(|| {
                run.assignment
                    .regions
                    .iter()
                    .map(|(region, paused)| Region { region: region.clone(), paused: *paused })
                    .collect()
            }),
            held_out_accounts: (design == Design::AccountHoldout).then(|| {
                account_keys.iter().zip(&run.assignment.treated).filter(|(_, t)| **t).map(|(k, _)| k.clone()).collect()
            }),
            source: "socialledger demo --experiment (simulated; its true effect is in truth.json, experiments)",
        }
    }
}
