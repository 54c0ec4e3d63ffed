//! A simulated B2B company with known true channel effects, written as canonical CSV files.
//!
//! [`simulate`] builds one deterministic world from a [`DemoConfig`] (seeded ChaCha8 streams, no clock, no global
//! RNG): the company's channels and people ([`company`]), its marketing plan ([`activities`]), its social posting
//! rhythm and engagement ([`content`]), who its followers are ([`audience`]: demographics against the demo's
//! target group, with each channel's true share inside it), the time and money it spends ([`time`]), its CRM
//! ([`crm`]): accounts, buying committees, touchpoints and deals whose creation and win depend on *known*
//! per-channel effects plus a hidden buying intent that also drives `direct` and `organic-search` visits (a
//! deliberate confounder); and its social inbox ([`inbox`]): comments, messages and mentions with known response
//! times.
//! [`truth`] re-resolves the same deals with each channel's effect switched off (common random numbers) so that
//! analytics can be checked against what each channel truly caused. The generative model, with every
//! distribution and parameter, is described in `docs/demo-model.md`.
//!
//! Other worlds: [`parse_world`] reads other true channel effects and audience shares (the `--effects` file), and
//! [`simulate_experiment`] runs a pause, geo-split or account holdout of one channel at the end of the period
//! ([`experiment`]), with its true effect in the truth, so that experiment readouts can be checked too.

pub mod activities;
pub mod audience;
pub mod calendar;
pub mod company;
pub mod config;
pub mod content;
pub mod crm;
mod csv_out;
mod effects_file;
pub mod error;
pub mod experiment;
pub mod inbox;
mod sample;
mod streams;
mod text;
pub mod time;
pub mod truth;

pub use audience::ChannelAudience;
pub use config::{ChannelEffect, DemoConfig};
pub use effects_file::{parse_effects, parse_world, World};
pub use error::DemoError;
pub use experiment::{Design, ExperimentPlan, ExperimentSpec};
pub use truth::Truth;

use socialledger_domain::Dataset;
use std::path::{Path, PathBuf};

/// Name of the file, written beside the CSV files, that holds the true parameters and effects.
pub const TRUTH_FILE: &str = "truth.json";

/// One simulated world: the canonical records a user would import, and the truth behind them.
#[derive(Debug, Clone)]
pub struct Simulation {
    dataset: Dataset,
    truth: Truth,
    identical_ideas: std::collections::BTreeSet<String>,
    experiment_plan: Option<ExperimentPlan>,
}

/// Simulates the company described by `cfg`. Pure and deterministic: the same config gives the same world.
pub fn simulate(cfg: &DemoConfig) -> Simulation {
    build(cfg, None)
}

/// Simulates the company described by `cfg` running the experiment `spec` over the last whole weeks of its
/// period (see [`experiment`]). Every random number is the one [`simulate`] draws; the experiment only removes
/// the channel's activity where it withholds it. Errors when the experiment does not fit the period (the
/// message says why and what to give instead).
pub fn simulate_experiment(cfg: &DemoConfig, spec: &ExperimentSpec) -> Result<Simulation, DemoError> {
    let cal = calendar::Calendar::new(cfg.start, cfg.months);
    let setup = experiment::Setup::new(cfg, &cal, spec)?;
    Ok(build(cfg, Some(&setup)))
}

fn build(cfg: &DemoConfig, setup: Option<&experiment::Setup>) -> Simulation {
    let cal = calendar::Calendar::new(cfg.start, cfg.months);
    let company = company::build(cfg);
    let plan = activities::plan(cfg, &cal);
    let mut content = content::publish(cfg, &cal, &plan);
    let mut work = time::log(cfg, &cal, &plan, &content);
    let crm = crm::run_with(cfg, &cal, &plan, &content, setup);
    if let Some(setup) = setup {
        // A pause also stops the channel's posting and the time spent on it (its cost falls as it would).
        let hidden = setup.hidden_posts(&cal, &content);
        content.remove_posts(&hidden);
        work.time_entries.retain(|t| !setup.hides_time(&cal, t.channel.as_deref(), t.date));
    }
    // Page-level follower levels are not masked by an experiment, so neither is who the followers are.
    let audience = audience::draw(cfg, &cal, &content.channel_days);
    let mut truth = truth::Truth::build(cfg, &cal, &plan, &content, &work, &crm, &audience);
    let conversations = inbox::conversations(cfg, &cal);
    truth.inbox = inbox::INBOXES.to_vec();
    let experiment_plan = crm.experiment.as_ref().map(|run| {
        let keys: Vec<String> = crm.accounts.iter().map(|a| a.key.clone()).collect();
        ExperimentPlan::of(run, &keys)
    });
    let identical_ideas = content.identical_ideas;
    let dataset = Dataset {
        channels: company.channels,
        posts: content.posts,
        post_metrics: content.lifetime.into_iter().chain(content.days).collect(),
        channel_days: content.channel_days,
        activities: plan.activities,
        people: company.people,
        time_entries: work.time_entries,
        cost_items: work.cost_items,
        accounts: crm.accounts,
        contacts: crm.contacts,
        deals: crm.deals,
        touchpoints: crm.touchpoints,
        audience: audience.slices,
        conversations,
        ..Dataset::default()
    };
    Simulation { dataset, truth, identical_ideas, experiment_plan }
}

impl Simulation {
    /// The simulated records, as the canonical domain types the importers also produce.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// Keys of the content ideas published as identical cross-posts (same text on every network that used
    /// them, engagement-rate multiplier 0.85); every other idea was tailored per network (1.15). Posts carry their
    /// idea in `Post::idea`. Not part of `truth.json`: only the cross-posting audit's tests need it.
    pub fn identical_ideas(&self) -> &std::collections::BTreeSet<String> {
        &self.identical_ideas
    }

    /// The plan of the experiment this world ran (`experiment.json`), if it ran one.
    pub fn experiment_plan(&self) -> Option<&ExperimentPlan> {
        self.experiment_plan.as_ref()
    }

    /// The true parameters, effects and totals of this world.
    pub fn truth(&self) -> &Truth {
        &self.truth
    }

    /// `truth.json` as written by [`Simulation::write_csv`] (pretty-printed, stable key order, trailing newline).
    pub fn truth_json(&self) -> Result<String, DemoError> {
        let mut text = serde_json::to_string_pretty(&self.truth).map_err(DemoError::Truth)?;
        text.push('\n');
        Ok(text)
    }

    /// Writes the canonical CSV files (formats of `docs/formats.md`) and `truth.json` into `dir` (created if
    /// missing, files replaced). Returns the CSV paths in the order they must be imported: channels first,
    /// people before time entries, accounts before contacts before deals before touchpoints. `truth.json` is not
    /// in the list (it is not imported); it is at `dir.join(TRUTH_FILE)`.
    pub fn write_csv(&self, dir: &Path) -> Result<Vec<PathBuf>, DemoError> {
        std::fs::create_dir_all(dir).map_err(|source| DemoError::Io { path: dir.to_path_buf(), source })?;
        let paths = csv_out::write_all(&self.dataset, dir)?;
        let truth_path = dir.join(TRUTH_FILE);
        let json = self.truth_json()?;
        std::fs::write(&truth_path, json).map_err(|source| DemoError::Io { path: truth_path, source })?;
        Ok(paths)
    }
}
