//! Other worlds: `--effects` files and simulated experiments (`--experiment`), checked against the default world
//! they are masked from and against their truth.

use socialledger_demo::experiment::ExperimentTruth;
use socialledger_demo::{
    parse_effects, simulate, simulate_experiment, ChannelEffect, DemoConfig, ExperimentPlan, ExperimentSpec, Simulation,
};
use std::collections::{BTreeMap, BTreeSet};

fn example(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/effects").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn removal(sim: &Simulation, channel: &str) -> (f64, f64) {
    let e = sim.truth().effects.iter().find(|e| e.channel == channel).unwrap();
    (e.removal_expected.pipeline_eur, e.shapley_expected.pipeline_eur)
}

#[test]
fn the_facebook_works_world_has_the_truth_its_file_says() {
    let effects = parse_effects(&example("facebook-works.toml"), "facebook-works.toml").unwrap();
    let cfg = DemoConfig { effects, ..DemoConfig::default() };
    let sim = simulate(&cfg);
    let default = simulate(&DemoConfig::default());
    let fb = sim.truth().config.effect("facebook").unwrap();
    assert_eq!((fb.create, fb.win, fb.saturation, fb.half_life_days), (0.12, 0.03, 0.5, 45.0));
    let (fb_removal, fb_shapley) = removal(&sim, "facebook");
    assert!(fb_removal > 100_000.0 && fb_shapley > 100_000.0, "facebook: {fb_removal}, {fb_shapley}");
    assert_eq!(removal(&sim, "linkedin"), (0.0, 0.0), "the LinkedIn page has no effect in this world");
    assert_eq!(removal(&default, "facebook"), (0.0, 0.0));
    assert!(removal(&default, "linkedin").0 > 100_000.0);
    assert!(sim.truth().weekly_pipeline.channels.iter().any(|c| c.channel == "facebook"));
    assert!(!sim.truth().weekly_pipeline.channels.iter().any(|c| c.channel == "linkedin"));
    // The random numbers do not depend on the effects: the same touches, other deals.
    assert_eq!(
        sim.truth().totals.touchpoints_by_channel["facebook"],
        default.truth().totals.touchpoints_by_channel["facebook"]
    );
    assert_eq!(sim.truth().totals.buying_triggers, default.truth().totals.buying_triggers);
}

#[test]
fn in_the_nothing_works_world_no_social_channel_causes_anything() {
    let effects = parse_effects(&example("nothing-works.toml"), "nothing-works.toml").unwrap();
    let sim = simulate(&DemoConfig { effects, ..DemoConfig::default() });
    for channel in ["linkedin", "x", "facebook", "instagram", "youtube"] {
        assert_eq!(removal(&sim, channel), (0.0, 0.0), "{channel}");
    }
    assert!(removal(&sim, "events").0 > 0.0);
}

#[test]
fn an_empty_effects_file_and_no_flags_give_the_default_world() {
    let cfg = DemoConfig { effects: parse_effects("", "empty.toml").unwrap(), ..DemoConfig::default() };
    assert_eq!(cfg.effects, ChannelEffect::defaults());
    let a = simulate(&cfg).truth_json().unwrap();
    let b = simulate(&DemoConfig::default()).truth_json().unwrap();
    assert_eq!(a, b);
    assert!(!a.contains("\"experiments\""), "truth.json gains an experiments key without --experiment");
}

/// A touch as written, without its key (keys are renumbered when touches are removed).
type TouchRow = (String, String, String, String, String, Option<String>);

fn touches(sim: &Simulation) -> BTreeMap<TouchRow, usize> {
    let mut out = BTreeMap::new();
    for t in &sim.dataset().touchpoints {
        if t.channel == "sales" {
            continue; // sales meetings follow the deals, which the experiment changes
        }
        let row = (
            t.contact.clone().unwrap_or_default(),
            t.account.clone().unwrap_or_default(),
            t.at.to_rfc3339(),
            t.channel.clone(),
            format!("{:?}", t.kind),
            t.campaign.clone(),
        );
        *out.entry(row).or_insert(0) += 1;
    }
    out
}

/// The accounts and days the plan says the channel was withheld from.
struct Withheld {
    accounts: Option<BTreeSet<String>>,
    off_weeks: BTreeSet<chrono::NaiveDate>,
}

impl Withheld {
    fn of(plan: &ExperimentPlan, sim: &Simulation) -> Withheld {
        let v = serde_json::to_value(plan).unwrap();
        let accounts = match plan.design {
            socialledger_demo::Design::Pause => None,
            socialledger_demo::Design::GeoSplit => {
                let paused: BTreeSet<String> = v["regions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|r| r["paused"].as_bool().unwrap())
                    .map(|r| r["region"].as_str().unwrap().to_string())
                    .collect();
                assert!(!paused.is_empty());
                Some(
                    sim.dataset()
                        .accounts
                        .iter()
                        .filter(|a| a.country.as_ref().is_some_and(|c| paused.contains(c)))
                        .map(|a| a.key.clone())
                        .collect(),
                )
            }
            socialledger_demo::Design::AccountHoldout => Some(
                v["held_out_accounts"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect(),
            ),
        };
        let off_weeks = plan.schedule_weeks.iter().filter(|w| !w.on).map(|w| w.week).collect();
        Withheld { accounts, off_weeks }
    }

    fn covers(&self, account: &str, date: chrono::NaiveDate) -> bool {
        let monday = date - chrono::Days::new(u64::from(chrono::Datelike::weekday(&date).num_days_from_monday()));
        self.off_weeks.contains(&monday) && self.accounts.as_ref().is_none_or(|a| a.contains(account))
    }
}

fn run(spec: &str) -> (Simulation, ExperimentPlan, ExperimentTruth) {
    let spec: ExperimentSpec = spec.parse().unwrap();
    let sim = simulate_experiment(&DemoConfig::default(), &spec).unwrap();
    let plan = sim.experiment_plan().unwrap().clone();
    let truth = sim.truth().experiments[0].clone();
    (sim, plan, truth)
}

/// The masked weeks hold no touch of the channel for the treated accounts, and every other touch is the one
/// of the world without the experiment.
fn check_mask(spec: &str, channel: &str) -> (Simulation, ExperimentPlan, ExperimentTruth) {
    let (sim, plan, truth) = run(spec);
    let base = simulate(&DemoConfig::default());
    let w = Withheld::of(&plan, &sim);
    let masked = touches(&sim);
    let mut expected = touches(&base);
    let mut removed = 0;
    expected.retain(|row, n| {
        let hide =
            row.3 == channel && w.covers(&row.1, chrono::DateTime::parse_from_rfc3339(&row.2).unwrap().date_naive());
        if hide {
            removed += *n;
        }
        !hide
    });
    assert!(removed > 0, "{spec}: the experiment removed no touch");
    assert!(masked == expected, "{spec}: the touches kept differ from the world without the experiment");
    // The weeks: consecutive Mondays ending with the period's last whole week.
    let weeks: Vec<_> = plan.schedule_weeks.iter().map(|w| w.week).collect();
    assert!(weeks.windows(2).all(|p| p[1] - p[0] == chrono::Duration::days(7)));
    assert_eq!(*weeks.last().unwrap(), chrono::NaiveDate::from_ymd_opt(2025, 12, 22).unwrap());
    assert_eq!((truth.first_week, truth.last_week, truth.weeks), (weeks[0], *weeks.last().unwrap(), weeks.len()));
    (sim, plan, truth)
}

#[test]
fn a_pause_removes_the_channel_in_its_off_weeks_and_nothing_else() {
    let (sim, plan, truth) = check_mask("linkedin:pause:26", "linkedin");
    let base = simulate(&DemoConfig::default());
    assert_eq!(plan.schedule_weeks.len(), 26);
    assert_eq!(plan.block_weeks, Some(13));
    assert_eq!(plan.washout_weeks, 6);
    assert_eq!(plan.schedule_weeks.iter().filter(|w| !w.on).count(), 13);
    // Its posts and the time logged on it stop in the off weeks; the other channels' do not.
    let w = Withheld::of(&plan, &sim);
    let posts = |s: &Simulation, ch: &str| s.dataset().posts.iter().filter(|p| p.channel == ch).count();
    assert!(posts(&sim, "linkedin") < posts(&base, "linkedin"));
    assert_eq!(posts(&sim, "x"), posts(&base, "x"));
    assert!(!sim
        .dataset()
        .posts
        .iter()
        .any(|p| p.channel == "linkedin" && w.covers("", p.published_at.unwrap().date_naive())));
    let minutes = |s: &Simulation, ch: &str| -> i64 {
        s.dataset().time_entries.iter().filter(|t| t.channel.as_deref() == Some(ch)).map(|t| t.minutes).sum()
    };
    assert!(minutes(&sim, "linkedin") < minutes(&base, "linkedin"));
    assert_eq!(minutes(&sim, "x"), minutes(&base, "x"));
    // The truth: the pause lost pipeline; the contrast the readout estimates is positive and smaller than a
    // normal week's loss plus what carries over.
    let lost = truth.lost_per_paused_week.unwrap();
    let contrast = truth.contrast_per_week.unwrap();
    assert!(lost > 0.0 && contrast > 0.0, "{lost} {contrast}");
    assert_eq!(truth.assignment.treated_accounts, 400);
}

#[test]
fn a_geo_split_removes_the_channel_in_the_paused_regions_only() {
    let (_, plan, truth) = check_mask("linkedin:geo-split", "linkedin");
    assert_eq!(plan.schedule_weeks.len(), 13);
    assert!(plan.schedule_weeks.iter().all(|w| !w.on));
    assert!(plan.schedule_weeks.iter().enumerate().all(|(i, w)| w.analysed == (i >= plan.washout_weeks)));
    let regions = plan.regions.as_ref().unwrap();
    assert_eq!(regions.len(), 7);
    assert_eq!(regions.iter().filter(|r| r.paused).count(), 3);
    assert!(!regions.iter().any(|r| r.region == "DE" && r.paused), "DE has no match and stays on");
    assert!(truth.lost_per_week.unwrap() > 0.0);
    let share = truth.paused_pre_pipeline_share.unwrap();
    assert!(share > 0.05 && share < 0.5, "{share}");
}

#[test]
fn an_account_holdout_removes_the_channel_for_half_of_the_accounts() {
    let (_, plan, truth) = check_mask("events:account-holdout:20", "events");
    assert_eq!(plan.schedule_weeks.len(), 20);
    assert_eq!(plan.held_out_accounts.as_ref().unwrap().len(), 200);
    assert_eq!(truth.assignment.treated_accounts, 200);
    let per_account = truth.lost_per_account.unwrap();
    assert!(per_account >= 0.0);
    assert!((per_account * 200.0 - truth.lost_total_eur.unwrap()).abs() < 1.0);
}

#[test]
fn a_channel_without_effect_has_a_zero_true_effect_whatever_the_design() {
    for spec in ["facebook:pause:26", "facebook:geo-split", "direct:account-holdout"] {
        let (_, _, truth) = run(spec);
        for x in [truth.lost_per_paused_week, truth.contrast_per_week, truth.lost_per_week, truth.lost_per_account] {
            assert!(x.is_none_or(|x| x == 0.0), "{spec}: {truth:?}");
        }
    }
}

#[test]
fn an_experiment_that_cannot_run_is_a_clear_error() {
    let error = |s: &str| match s.parse::<ExperimentSpec>() {
        Err(e) => e.to_string(),
        Ok(spec) => simulate_experiment(&DemoConfig { months: 12, ..DemoConfig::default() }, &spec)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default(),
    };
    assert!(error("myspace:pause").contains("unknown channel"));
    assert!(error("sales:pause").contains("unknown channel"));
    assert!(error("linkedin:billboard").contains("unknown design"));
    assert!(error("linkedin:pause:0").contains("above 0"));
    assert!(error("linkedin:pause:x").contains("above 0"));
    assert!(error("linkedin").contains("CHANNEL:DESIGN"));
    let long = error("linkedin:geo-split:30");
    assert!(long.contains("at most half") && long.contains("26"), "{long}");
    assert!(error("linkedin:pause:10").contains("at least 16 weeks"));
}

/// A period starting on a Wednesday and ending mid-week: the experiment still takes whole Monday-to-Sunday
/// weeks, the last of them the period's last whole week.
#[test]
fn the_experiment_takes_whole_weeks_of_a_period_that_starts_midweek() {
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 3).unwrap();
    let cfg = DemoConfig { start, months: 12, accounts: 120, ..DemoConfig::default() };
    let spec: ExperimentSpec = "newsletter:account-holdout:8".parse().unwrap();
    let sim = simulate_experiment(&cfg, &spec).unwrap();
    let plan = sim.experiment_plan().unwrap();
    let weeks: Vec<_> = plan.schedule_weeks.iter().map(|w| w.week).collect();
    assert_eq!(weeks.len(), 8);
    assert!(weeks.iter().all(|w| chrono::Datelike::weekday(w) == chrono::Weekday::Mon));
    // The period ends on Thursday 2025-01-02: its last whole week is Monday 2024-12-23 to Sunday 2024-12-29.
    assert_eq!(*weeks.last().unwrap(), chrono::NaiveDate::from_ymd_opt(2024, 12, 23).unwrap());
    assert_eq!(plan.held_out_accounts.as_ref().unwrap().len(), 60);
    let truth = &sim.truth().experiments[0];
    assert!(truth.lost_per_account.unwrap() >= 0.0);
}
