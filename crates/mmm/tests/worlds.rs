//! The default fit (`fit_auto`: fast where its approximation holds, else NUTS) against simulated worlds with
//! known truth (crates/mmm-worlds, docs/mmm-worlds.md): mean absolute contribution-share error and the
//! coverage of the 90 % intervals over the 20 benchmark worlds; and the same for the NUTS posterior alone.

use socialledger_mmm::{fit_auto, Coordinates, FitOptions, MassMatrix, NutsSettings, PointEstimate};
use socialledger_mmm_worlds::score::{BENCH_SEEDS, MAX_MEAN_ABS_ERROR_PP, MIN_COVERAGE};
use socialledger_mmm_worlds::{covers, oracle_shares, share_errors_pp, World};

/// Minutes of sampling on 2 cores, so ignored by default: run with `cargo test --release -p socialledger-mmm
/// --test worlds -- --ignored --exact shares_and_their_intervals_over_the_benchmark_worlds --nocapture`.
/// `SL_FAST_ONLY=1` measures the fast approximation alone (no fallback), whatever its weights say;
/// `SL_MEDIA_SHARE=x` changes the contribution prior's media share, `SL_COST_SHARE=1` uses PyMC-Marketing's
/// cost-share rule instead; `SL_POINT=mode|mean|median` the point figure; `SL_VERBOSE=1` prints every channel.
#[test]
#[ignore]
fn shares_and_their_intervals_over_the_benchmark_worlds() {
    let mut errors = Vec::new();
    let mut covered = Vec::new();
    let mut oracle = Vec::new();
    for seed in BENCH_SEEDS {
        let world = World::generate(seed);
        let mut opts = FitOptions { spec: world.spec(), cross_validate: false, ..FitOptions::new(&world.panel) };
        if let Ok(m) = std::env::var("SL_DRAWS") {
            opts.draws = m.parse().unwrap();
        }
        opts.point = match std::env::var("SL_POINT").as_deref() {
            Ok("mode") => Some(PointEstimate::Mode),
            Ok("mean") => Some(PointEstimate::Mean),
            Ok("median") => Some(PointEstimate::Median),
            _ => None,
        };
        if let Ok(m) = std::env::var("SL_MEDIA_SHARE") {
            opts.priors.media_share = m.parse().unwrap();
        }
        if std::env::var("SL_COST_SHARE").is_ok() {
            opts.priors.beta_rule = socialledger_mmm::BetaRule::CostShare;
        }
        let r = if std::env::var("SL_FAST_ONLY").is_ok() {
            socialledger_mmm::fit_fast(&world.panel, &opts).unwrap()
        } else {
            fit_auto(&world.panel, &opts, &NutsSettings::default(), |_| ()).unwrap().result
        };
        let shares: Vec<f64> = r.channels.iter().map(|c| c.contribution_share).collect();
        let lo: Vec<f64> = r.channels.iter().map(|c| c.share_low).collect();
        let hi: Vec<f64> = r.channels.iter().map(|c| c.share_high).collect();
        let e = share_errors_pp(&world.truth, &shares).unwrap();
        let c = covers(&world.truth, &lo, &hi).unwrap();
        let o = share_errors_pp(&world.truth, &oracle_shares(&world).unwrap()).unwrap();
        eprintln!(
            "world {seed:2}: {} channels, {}, error {:.2} pp (oracle {:.2}), covered {}/{}, ess {:.3}, at best {}/{}",
            shares.len(),
            r.diagnostics.sampler,
            e.iter().sum::<f64>() / e.len() as f64,
            o.iter().sum::<f64>() / o.len() as f64,
            c.iter().filter(|x| **x).count(),
            c.len(),
            r.diagnostics.weight_ess_fraction.unwrap_or(f64::NAN),
            r.diagnostics.starts_at_best,
            r.diagnostics.starts
        );
        if std::env::var("SL_VERBOSE").is_ok() {
            let os = oracle_shares(&world).unwrap();
            let model = socialledger_mmm::Model::new(&world.panel, &opts.spec, &opts.priors).unwrap();
            for (i, ch) in r.channels.iter().enumerate() {
                eprintln!(
                    "    {:12} truth {:5.1} est {:5.1} [{:5.1}, {:5.1}] oracle {:5.1} beta {:.3} prior {:?} cost {:.0} input cv {:.2}",
                    ch.channel,
                    100.0 * world.truth.channels[i].share,
                    100.0 * shares[i],
                    100.0 * lo[i],
                    100.0 * hi[i],
                    100.0 * os[i],
                    world.truth.channels[i].beta,
                    model.channel_priors[i].beta,
                    ch.cost,
                    {
                        let v = &world.panel.channels[i].values;
                        let mu = v.iter().sum::<f64>() / v.len() as f64;
                        (v.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / v.len() as f64).sqrt() / mu
                    }
                );
            }
        }
        errors.extend(e);
        covered.extend(c);
        oracle.extend(o);
    }
    let mean = errors.iter().sum::<f64>() / errors.len() as f64;
    let coverage = covered.iter().filter(|x| **x).count() as f64 / covered.len() as f64;
    let oracle_mean = oracle.iter().sum::<f64>() / oracle.len() as f64;
    eprintln!("mean abs share error {mean:.2} pp (oracle {oracle_mean:.2}), coverage {:.1} %", 100.0 * coverage);
    assert!(mean <= MAX_MEAN_ABS_ERROR_PP, "mean abs share error {mean:.2} pp");
    assert!(coverage >= MIN_COVERAGE, "coverage {coverage:.3}");
}

/// The NUTS posterior on the benchmark worlds (slow: run with `--ignored --release`).
#[test]
#[ignore]
fn nuts_shares_and_their_intervals_over_the_benchmark_worlds() {
    let mut errors = Vec::new();
    let mut covered = Vec::new();
    let (mut passing, mut divergent, mut seconds) = (0, Vec::new(), 0.0);
    let last: u64 = std::env::var("SL_WORLDS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    for seed in 0..last {
        let world = World::generate(seed);
        let opts = FitOptions { spec: world.spec(), cross_validate: false, ..FitOptions::new(&world.panel) };
        let settings = nuts_settings_from_env();
        let f = socialledger_mmm::fit_nuts(&world.panel, &opts, &settings).unwrap();
        let r = &f.result;
        let shares: Vec<f64> = r.channels.iter().map(|c| c.contribution_share).collect();
        let lo: Vec<f64> = r.channels.iter().map(|c| c.share_low).collect();
        let hi: Vec<f64> = r.channels.iter().map(|c| c.share_high).collect();
        let e = share_errors_pp(&world.truth, &shares).unwrap();
        let c = covers(&world.truth, &lo, &hi).unwrap();
        let d = &r.diagnostics;
        // The sampler's own checks (R-hat, ESS, divergences); cross-validation is off here.
        let passed = d.checks.iter().all(|c| c.passed);
        eprintln!(
            "world {seed:2}: error {:.2} pp, covered {}/{}, rhat {:.3} ess bulk {:.0} tail {:.0} div {} {:.1}s {}",
            e.iter().sum::<f64>() / e.len() as f64,
            c.iter().filter(|x| **x).count(),
            c.len(),
            d.max_rhat.unwrap_or(f64::NAN),
            d.min_ess_bulk.unwrap_or(f64::NAN),
            d.min_ess_tail.unwrap_or(f64::NAN),
            d.divergences.unwrap_or(0),
            d.seconds,
            if passed { "passed" } else { "FAILED" }
        );
        if passed {
            passing += 1;
        }
        if d.divergences.unwrap_or(0) > 0 {
            divergent.push(seed);
        }
        seconds += d.seconds;
        errors.extend(e);
        covered.extend(c);
    }
    let mean = errors.iter().sum::<f64>() / errors.len() as f64;
    let coverage = covered.iter().filter(|x| **x).count() as f64 / covered.len() as f64;
    eprintln!(
        "NUTS: {passing}/{last} worlds pass every check, mean abs share error {mean:.2} pp, coverage {:.1} %, \
         divergences in worlds {divergent:?}, {:.1} s per world",
        100.0 * coverage,
        seconds / last as f64
    );
}

/// The default settings, or others from the environment for comparing them: `SL_COORDS` (`unconstrained`,
/// `centred`), `SL_TARGET_ACCEPT`, `SL_MASS` (`diagonal`, `low-rank`).
fn nuts_settings_from_env() -> NutsSettings {
    let mut s = NutsSettings::default();
    if let Ok(v) = std::env::var("SL_COORDS") {
        s.coordinates = match v.as_str() {
            "unconstrained" => Coordinates::Unconstrained,
            "centred" => Coordinates::Centred,
            other => panic!("SL_COORDS={other}: unconstrained or centred"),
        };
    }
    if let Ok(v) = std::env::var("SL_TARGET_ACCEPT") {
        s.target_accept = v.parse().unwrap();
    }
    if let Ok(v) = std::env::var("SL_MASS") {
        s.mass_matrix = match v.as_str() {
            "diagonal" => MassMatrix::Diagonal,
            "low-rank" => MassMatrix::LowRank,
            other => panic!("SL_MASS={other}: diagonal or low-rank"),
        };
    }
    eprintln!("{s:?}");
    s
}
