//! Known truth from the demo company's generator (`socialledger-demo`, docs/demo-model.md): the data-driven models
//! on account journeys built from a simulated CRM, against the channel effects the simulation used.
//!
//! Two worlds of 1,500 accounts over 24 months, seed 42, with every channel effect switched off except as stated:
//! * **no effects**: nothing any channel does changes a deal; buying intent still raises deals and direct and
//!   organic-search visits. A causal model must not invent credit; an associative one (Markov) shares out every
//!   won deal anyway.
//! * **events and webinars**: only trade fairs and webinars cause deals (creation hazard 1.0 and win hazard 0.5
//!   at saturation, the demo's default saturation and half-lives). Their touches reach some accounts and not
//!   others, so the journeys can show what they do; the truth is each channel's Shapley share of the expected
//!   revenue the simulation computes exactly (`truth.json`'s `revenue_share`).

use socialledger_analytics::attribution::account_paths::account_paths;
use socialledger_analytics::attribution::data_driven::{attribute_paths, DataDrivenModel, Uncertainty};
use socialledger_analytics::attribution::paths::DataDrivenResult;
use socialledger_analytics::{JourneyPurpose, Settings};
use socialledger_demo::{simulate, DemoConfig, Simulation};

const INTENT: [&str; 2] = ["direct", "organic-search"];

fn world(causal: &[&str]) -> Simulation {
    let mut cfg = DemoConfig { accounts: 1500, ..DemoConfig::default() };
    for e in cfg.effects.iter_mut() {
        (e.create, e.win) = if causal.contains(&e.channel.as_str()) { (1.0, 0.5) } else { (0.0, 0.0) };
    }
    simulate(&cfg)
}

fn fit(sim: &Simulation, model: DataDrivenModel) -> DataDrivenResult {
    let built = account_paths(sim.dataset(), &Settings::default(), JourneyPurpose::Revenue);
    attribute_paths(&built.paths, &model, Uncertainty { reps: 60, seed: 1, level: 0.95 }).unwrap()
}

fn incremental() -> DataDrivenModel {
    DataDrivenModel::Incremental { intent: INTENT.iter().map(|s| s.to_string()).collect() }
}

/// Each channel's true share of the channels' revenue (0 for channels without effect).
fn truth_share(sim: &Simulation, channel: &str) -> f64 {
    let effects = &sim.truth().effects;
    let total: f64 = effects.iter().map(|e| e.revenue_share).sum();
    effects.iter().find(|e| e.channel == channel).map_or(0.0, |e| e.revenue_share / total)
}

fn mean_abs_error_pp(sim: &Simulation, r: &DataDrivenResult) -> f64 {
    let channels: Vec<&str> = sim.truth().effects.iter().map(|e| e.channel.as_str()).collect();
    let share = |c: &str| r.channels.iter().find(|s| s.channel == c).map_or(0.0, |s| s.share);
    100.0 * channels.iter().map(|c| (share(c) - truth_share(sim, c)).abs()).sum::<f64>() / channels.len() as f64
}

#[test]
fn without_any_channel_effect_the_incremental_model_credits_next_to_nothing() {
    let sim = world(&[]);
    assert!((sim.truth().baseline_revenue_share - 1.0).abs() < 1e-9, "the world has no channel effect");
    let r = fit(&sim, incremental());
    assert!(r.total_conversions >= 50.0, "enough won deals to test on: {}", r.total_conversions);
    assert!(r.credited.is_weak(), "a causal model must not find causes that are not there: {:?}", r.credited);
    assert!(r.credited.fraction < 0.10, "{:?}", r.credited);
    eprintln!("no effects: {} won deals, credited {:?}", r.total_conversions, r.credited);
    // Markov shares out every won deal whatever causes it.
    let m = fit(&sim, DataDrivenModel::Markov { order: 1 });
    assert!((m.credited.fraction - 1.0).abs() < 1e-9 && !m.credited.is_weak(), "{:?}", m.credited);
}

#[test]
fn when_only_events_and_webinars_cause_deals_the_incremental_model_finds_them() {
    let sim = world(&["events", "webinar"]);
    let (events, webinar) = (truth_share(&sim, "events"), truth_share(&sim, "webinar"));
    assert!((events + webinar - 1.0).abs() < 1e-9 && events > 0.1 && webinar > 0.1, "{events} {webinar}");
    let r = fit(&sim, incremental());
    assert!(!r.credited.is_weak(), "{:?}", r.credited);
    let share = |c: &str| r.channels.iter().find(|s| s.channel == c).unwrap();
    for (channel, truth) in [("events", events), ("webinar", webinar)] {
        let s = share(channel);
        assert!((s.share - truth).abs() < 0.05, "{channel}: {:.3} against the truth {truth:.3}", s.share);
        assert!(s.share_low <= truth && truth <= s.share_high, "{channel}: the interval holds the truth: {s:?}");
    }
    let error = mean_abs_error_pp(&sim, &r);
    assert!(error <= 3.0, "incremental errs by {error:.2} pp on average");
    // The Markov chain credits every channel on the paths, causal or not.
    let markov = mean_abs_error_pp(&sim, &fit(&sim, DataDrivenModel::Markov { order: 1 }));
    eprintln!("events {:.3}/{events:.3}, webinar {:.3}/{webinar:.3}, mean error {error:.2} pp, markov {markov:.2} pp, credited {:?}", share("events").share, share("webinar").share, r.credited);
    assert!(markov >= 6.0 && markov > 3.0 * error, "markov {markov:.2} pp, incremental {error:.2} pp");
}
