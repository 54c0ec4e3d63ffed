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

mod crossposting {
    //! The cross-posting audit on the default demo company (seed 42): every idea is published either as identical
    //! cross-posts (`text::crosspost`, engagement-rate multiplier 0.85) or as tailored variants (1.15); posts
    //! without an idea have 1. The truth: a post is an identical cross-post when the simulation published it as
    //! one and the very same text went out on another channel.

    use socialledger_analytics::crosspost::{crosspost_audit, CrosspostOptions, PostClass};
    use socialledger_analytics::Settings;
    use socialledger_demo::{simulate, DemoConfig};
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn the_audit_finds_the_simulated_cross_posts_and_recovers_the_multipliers() {
        let sim = simulate(&DemoConfig::default());
        let ds = sim.dataset();
        let identical_ideas = sim.identical_ideas();
        assert!(!identical_ideas.is_empty());

        // Channels that published each identical text.
        let mut text_channels: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for p in &ds.posts {
            if p.idea.as_ref().is_some_and(|i| identical_ideas.contains(i)) {
                if let Some(t) = p.text.as_deref() {
                    text_channels.entry(t).or_default().insert(&p.channel);
                }
            }
        }
        let truly_identical = |p: &socialledger_domain::Post| {
            p.idea.as_ref().is_some_and(|i| identical_ideas.contains(i))
                && p.text.as_deref().and_then(|t| text_channels.get(t)).is_some_and(|c| c.len() > 1)
        };
        let mut truth: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for p in &ds.posts {
            let e = truth.entry(&p.channel).or_default();
            e.0 += 1;
            e.1 += usize::from(truly_identical(p));
        }

        let audit = crosspost_audit(ds, &Settings::default(), &CrosspostOptions::default()).unwrap();
        for c in &audit.channels {
            let (posts, identical) = truth[c.channel.as_str()];
            eprintln!(
                "{}: {} posts, {} identical detected ({:.3}), truth {} ({:.3}); tailored {}",
                c.channel,
                c.posts,
                c.identical,
                c.identical_share.unwrap_or(f64::NAN),
                identical,
                identical as f64 / posts as f64,
                c.tailored
            );
            assert_eq!((c.posts, c.posts_with_text), (posts, posts));
            assert_eq!(c.identical, identical, "{}: detected identical cross-posts against the truth", c.channel);
        }
        // Post by post, not only in count.
        let by_id: BTreeMap<(&str, &str), &socialledger_domain::Post> =
            ds.posts.iter().map(|p| ((p.channel.as_str(), p.external_id.as_str()), p)).collect();
        for r in &audit.classes {
            let p = by_id[&(r.channel.as_str(), r.post_id.as_str())];
            assert_eq!(r.class == PostClass::Identical, truly_identical(p), "{}/{}", r.channel, r.post_id);
        }

        let c = audit.comparison.expect("the demo has both tailored and identical posts with impressions");
        let truth_ratio = 1.15 / 0.85;
        eprintln!(
            "ratio {:.3} [{:.3}, {:.3}] ({} identical, {} tailored), truth {truth_ratio:.3}",
            c.ratio, c.low, c.high, c.identical_posts, c.compared_posts
        );
        assert!(c.low <= truth_ratio && truth_ratio <= c.high, "{c:?}");
        // The interval must also be informative: it excludes "no difference".
        assert!(c.low > 1.0, "{c:?}");
    }
}
