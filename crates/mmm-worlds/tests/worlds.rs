//! Known-truth tests of the worlds: the truth is exactly the generating equation, in the outcome's units and
//! in the model's scaled space, and the least-squares oracle lands where the issue says it should.

use socialledger_mmm::{AdstockKind, Model, Params, Priors, SaturationKind};
use socialledger_mmm_worlds::ranges::{CHANNELS, MEDIA_FRACTION, R2, WEEKS};
use socialledger_mmm_worlds::score::{BENCH_SEEDS, ORACLE_BAND_PP};
use socialledger_mmm_worlds::{oracle_fit, oracle_shares, share_errors_pp, ChannelKind, World, WorldOptions};

/// All the worlds' seeds the structural tests walk through.
const SEEDS: std::ops::Range<u64> = 0..40;

#[test]
fn the_outcome_is_the_sum_of_the_truths_parts_and_the_noise() {
    for seed in SEEDS {
        let w = World::generate(seed);
        let b = &w.truth.baseline;
        for t in 0..w.panel.len() {
            let mut y = b.level[t] + b.seasonality[t] + b.events[t];
            for c in &w.truth.channels {
                y += c.weekly[t];
            }
            y += w.truth.noise[t];
            assert!((y - w.panel.target[t]).abs() <= 1e-9 * w.truth.y_scale, "seed {seed} week {t}");
        }
    }
}

#[test]
fn the_truth_in_scaled_space_is_the_models_mean() {
    for seed in SEEDS {
        for options in [
            WorldOptions::default(),
            WorldOptions { adstock: AdstockKind::WeibullPdf, saturation: SaturationKind::Hill },
            WorldOptions { adstock: AdstockKind::WeibullCdf, saturation: SaturationKind::Logistic },
        ] {
            let w = World::generate_with(seed, options);
            let model = Model::new(&w.panel, &w.spec(), &Priors::default()).unwrap();
            assert_eq!(model.design.y_scale, w.truth.y_scale);
            let p = Params {
                fixed: w.truth.baseline.fixed_scaled.clone(),
                beta: w.truth.channels.iter().map(|c| c.beta).collect(),
                adstock: w.truth.channels.iter().map(|c| c.adstock.clone()).collect(),
                saturation: w.truth.channels.iter().map(|c| c.saturation.clone()).collect(),
                sigma: w.truth.noise_sd / w.truth.y_scale,
            };
            let mu = model.mean(&p);
            for (t, m) in mu.iter().enumerate() {
                let want = (w.panel.target[t] - w.truth.noise[t]) / w.truth.y_scale;
                assert!((m - want).abs() < 1e-9, "seed {seed} {options:?} week {t}: {m} vs {want}");
            }
            for (c, x_scale) in w.truth.channels.iter().zip(&model.design.x_scale) {
                assert_eq!(c.x_scale, *x_scale);
            }
        }
    }
}

#[test]
fn worlds_have_the_documented_shape() {
    for seed in SEEDS {
        let w = World::generate(seed);
        w.panel.validate().unwrap();
        let n = w.panel.len();
        assert!((WEEKS.0..=WEEKS.1).contains(&n));
        let k = w.panel.channels.len();
        assert!((CHANNELS.0..=CHANNELS.1).contains(&k));
        let keys: Vec<&str> = w.panel.channels.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(&keys[..3], ["linkedin", "campaign", "paid_search"]);
        assert!(w.panel.target.iter().all(|&y| y > 0.0), "seed {seed}: pipeline is positive");
        let shares = w.truth.shares();
        assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(shares.iter().all(|&s| s > 0.0 && s < 1.0));
        let t = &w.truth;
        assert!((t.media_fraction - MEDIA_FRACTION.0).min(MEDIA_FRACTION.1 - t.media_fraction) > -1e-12);
        // The realised R^2 scatters around the drawn one.
        assert!(t.r2 > R2.0 - 0.08 && t.r2 < R2.1 + 0.05, "seed {seed}: r2 {}", t.r2);
        for c in &t.channels {
            let sum: f64 = c.weekly.iter().sum();
            assert!((sum - c.contribution).abs() <= 1e-9 * c.contribution);
            assert!((c.roi - c.contribution / c.cost).abs() <= 1e-12 * c.roi);
            assert!(c.beta > 0.0);
            let panel_cost: f64 = w.panel.channels.iter().find(|m| m.key == c.key).unwrap().cost.iter().sum();
            assert_eq!(panel_cost, c.cost);
        }
    }
}

#[test]
fn the_same_seed_is_the_same_world_and_options_change_only_the_transforms() {
    let a = World::generate(11);
    assert_eq!(a, World::generate(11));
    assert_ne!(a.panel.target, World::generate(12).panel.target);
    let h =
        World::generate_with(11, WorldOptions { adstock: AdstockKind::Geometric, saturation: SaturationKind::Hill });
    assert_eq!(a.panel.channels, h.panel.channels);
    assert_eq!(a.panel.dates, h.panel.dates);
    for (x, y) in a.truth.shares().iter().zip(h.truth.shares()) {
        assert!((x - y).abs() < 1e-14);
    }
    assert_eq!(a.truth.channels[0].adstock, h.truth.channels[0].adstock);
    assert_ne!(a.panel.target, h.panel.target);
}

#[test]
fn every_pool_channel_appears_somewhere() {
    let mut seen = std::collections::BTreeSet::new();
    for seed in SEEDS {
        for c in World::generate(seed).truth.channels {
            seen.insert(c.kind);
        }
    }
    assert_eq!(seen.len(), 10, "{seen:?}");
    assert!(seen.contains(&ChannelKind::Youtube));
}

#[test]
fn the_truth_round_trips_through_json() {
    let w = World::generate(4);
    let text = serde_json::to_string(&w.truth).unwrap();
    let back: socialledger_mmm_worlds::Truth = serde_json::from_str(&text).unwrap();
    // serde_json parses floats to within an ulp or so (exactly with its `float_roundtrip` feature, which this
    // workspace does not enable); Python's json module reads them exactly.
    assert_eq!(back.channels.len(), w.truth.channels.len());
    assert_eq!(back.adstock, w.truth.adstock);
    for (b, c) in back.channels.iter().zip(&w.truth.channels) {
        assert_eq!((&b.key, b.kind), (&c.key, c.kind));
        for (x, y) in [(b.share, c.share), (b.beta, c.beta), (b.contribution, c.contribution), (b.roi, c.roi)] {
            assert!((x - y).abs() <= 1e-15 * y.abs(), "{} {x} vs {y}", c.key);
        }
        assert_eq!(b.weekly.len(), c.weekly.len());
    }
    assert_eq!(back.noise.len(), w.truth.noise.len());
}

#[test]
fn without_noise_the_oracle_recovers_the_truth() {
    let mut w = World::generate(5);
    w.panel.target = w.truth.signal();
    w.truth.y_scale = w.panel.target.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let fit = oracle_fit(&w).unwrap();
    for (s, c) in fit.shares.iter().zip(&w.truth.channels) {
        assert!((s - c.share).abs() < 1e-8, "{} {s} vs {}", c.key, c.share);
    }
}

/// The issue: "a true-model least-squares oracle reaches about 4.5 pp on worlds of this kind". Reproduce with
/// `cargo test -p socialledger-mmm-worlds --test worlds oracle -- --nocapture`.
#[test]
fn the_oracle_lands_in_the_documented_band_over_the_benchmark_worlds() {
    let mut errors = Vec::new();
    let mut by_channel: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    for seed in BENCH_SEEDS {
        let w = World::generate(seed);
        let e = share_errors_pp(&w.truth, &oracle_shares(&w).unwrap()).unwrap();
        for (c, e) in w.truth.channels.iter().zip(&e) {
            by_channel.entry(c.kind.key()).or_default().push(*e);
        }
        let keys: Vec<String> = w.truth.channels.iter().zip(&e).map(|(c, e)| format!("{} {:.1}", c.key, e)).collect();
        println!("world {seed:2}: {} weeks, r2 {:.2}, {}", w.panel.len(), w.truth.r2, keys.join(", "));
        errors.extend(e);
    }
    for (key, e) in &by_channel {
        println!("{key:>12}: {:5.2} pp over {:2} worlds", e.iter().sum::<f64>() / e.len() as f64, e.len());
    }
    let mean = errors.iter().sum::<f64>() / errors.len() as f64;
    println!("oracle: mean absolute share error {mean:.2} pp over {} channel-worlds", errors.len());
    assert!(
        (ORACLE_BAND_PP.0..=ORACLE_BAND_PP.1).contains(&mean),
        "oracle mean abs share error {mean:.2} pp outside {ORACLE_BAND_PP:?}"
    );
}

/// The oracle over 200 worlds, by channel: how far the 20 benchmark worlds' figure is from its expectation.
/// Run with `cargo test -p socialledger-mmm-worlds --release --test worlds -- --ignored --nocapture`.
#[test]
#[ignore = "a calibration report, not a check (about a second in release)"]
fn oracle_over_two_hundred_worlds() {
    let mut by_channel: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    let mut per_block = Vec::new();
    let mut all = Vec::new();
    let mut stats: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    for block in 0..10u64 {
        let mut errors = Vec::new();
        for seed in block * 20..(block + 1) * 20 {
            let w = World::generate(seed);
            let e = share_errors_pp(&w.truth, &oracle_shares(&w).unwrap()).unwrap();
            for (c, e) in w.truth.channels.iter().zip(&e) {
                by_channel.entry(c.kind.key()).or_default().push(*e);
            }
            errors.extend(e);
            let y_mean = w.panel.target.iter().sum::<f64>() / w.panel.len() as f64;
            let input = |key: &str| &w.panel.channels.iter().find(|c| c.key == key).unwrap().values;
            let hours = input("linkedin");
            let h_mean = hours.iter().sum::<f64>() / hours.len() as f64;
            let h_sd = (hours.iter().map(|h| (h - h_mean).powi(2)).sum::<f64>() / hours.len() as f64).sqrt();
            for (name, v) in [
                ("realised r2", w.truth.r2),
                ("noise sd / mean outcome", w.truth.noise_sd / y_mean),
                ("media fraction", w.truth.media_fraction),
                ("corr(search, campaign)", correlation(input("paid_search"), input("campaign"))),
                ("linkedin hours cv", h_sd / h_mean),
                ("linkedin share", w.truth.channels[0].share),
            ] {
                stats.entry(name).or_default().push(v);
            }
        }
        per_block.push(errors.iter().sum::<f64>() / errors.len() as f64);
        all.extend(errors);
    }
    for (key, e) in &by_channel {
        println!("{key:>12}: {:5.2} pp over {:3} worlds", e.iter().sum::<f64>() / e.len() as f64, e.len());
    }
    for (name, mut v) in stats {
        v.sort_by(f64::total_cmp);
        let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
        println!("{name:>24}: min {:.3}  median {:.3}  max {:.3}", q(0.0), q(0.5), q(1.0));
    }
    let blocks: Vec<String> = per_block.iter().map(|m| format!("{m:.2}")).collect();
    println!("blocks of 20 worlds: {}", blocks.join(" "));
    println!(
        "oracle over 200 worlds: {:.2} pp over {} channel-worlds",
        all.iter().sum::<f64>() / all.len() as f64,
        all.len()
    );
    for options in [
        WorldOptions { adstock: AdstockKind::Geometric, saturation: SaturationKind::Hill },
        WorldOptions { adstock: AdstockKind::WeibullPdf, saturation: SaturationKind::Logistic },
        WorldOptions { adstock: AdstockKind::WeibullCdf, saturation: SaturationKind::Hill },
    ] {
        let mut errors = Vec::new();
        for seed in 0..200 {
            let w = World::generate_with(seed, options);
            errors.extend(share_errors_pp(&w.truth, &oracle_shares(&w).unwrap()).unwrap());
        }
        let mean = errors.iter().sum::<f64>() / errors.len() as f64;
        println!("oracle over 200 {:?}/{:?} worlds: {mean:.2} pp", options.adstock, options.saturation);
    }
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Any seed, not only the small ones: the panel is valid, the truth adds up, and both the true and the
    /// oracle's shares are fractions summing to 1.
    #[test]
    fn any_seed_gives_a_consistent_world(seed in proptest::prelude::any::<u64>()) {
        let w = World::generate(seed);
        proptest::prop_assert!(w.panel.validate().is_ok());
        let signal = w.truth.signal();
        for ((s, e), y) in signal.iter().zip(&w.truth.noise).zip(&w.panel.target) {
            proptest::prop_assert!((s + e - y).abs() <= 1e-9 * w.truth.y_scale);
        }
        for shares in [w.truth.shares(), oracle_shares(&w).unwrap()] {
            proptest::prop_assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            proptest::prop_assert!(shares.iter().all(|s| (0.0..=1.0).contains(s)));
        }
    }
}
