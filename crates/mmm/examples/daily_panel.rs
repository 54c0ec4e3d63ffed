//! Memory and time of the default fit (fast where its approximation holds, else NUTS) on a large panel: five
//! years of days (1,826) and 20 channels, a synthetic world of the model's own form. Run as
//! `/usr/bin/time -v cargo run --release -p socialledger-mmm --example daily_panel [--no-cv] [--fast]` and read
//! "Maximum resident set size" (docs/benchmarks.md, "Mix model"); `--fast` keeps the fast fit whatever its
//! checks say.

use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use socialledger_mmm::transform::response;
use socialledger_mmm::{
    fit_auto, fit_fast, AdstockKind, ChannelGroup, FitOptions, Frequency, InputKind, MediaSeries, NutsSettings, Panel,
    SaturationKind,
};
use std::time::Instant;

fn main() {
    let cross_validate = !std::env::args().any(|a| a == "--no-cv");
    let fast_only = std::env::args().any(|a| a == "--fast");
    let n = 1826;
    let m = 20;
    let l_max = 28;
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let start = NaiveDate::from_ymd_opt(2020, 1, 6).unwrap_or_default();
    let dates: Vec<NaiveDate> = (0..n).map(|t| start + Duration::days(t as i64)).collect();
    let mut target: Vec<f64> = (0..n).map(|t| 1000.0 + 0.1 * t as f64 + rng.gen_range(-50.0..50.0)).collect();
    let mut channels = Vec::new();
    for k in 0..m {
        let on = rng.gen_range(0.2..0.9);
        let values: Vec<f64> =
            (0..n).map(|_| if rng.gen_bool(on) { rng.gen_range(10.0..100.0) } else { 0.0 }).collect();
        let max = values.iter().cloned().fold(0.0_f64, f64::max);
        let scaled: Vec<f64> = values.iter().map(|v| v / max).collect();
        let alpha = rng.gen_range(0.1..0.8);
        let lam = rng.gen_range(0.5..4.0);
        let effect = response(AdstockKind::Geometric, &[alpha], l_max, SaturationKind::Logistic, &[lam], &scaled);
        let beta = rng.gen_range(20.0..80.0);
        for t in 0..n {
            target[t] += beta * effect[t];
        }
        channels.push(MediaSeries {
            key: format!("c{k:02}"),
            name: format!("Channel {k}"),
            input: InputKind::Spend,
            group: ChannelGroup::Paid,
            cost: values.clone(),
            values,
        });
    }
    let panel = Panel {
        frequency: Frequency::Daily,
        dates,
        target_name: "outcome".into(),
        target,
        currency: "EUR".into(),
        channels,
        controls: Vec::new(),
    };
    let opts = FitOptions { cross_validate, ..FitOptions::new(&panel) };
    let t0 = Instant::now();
    let fitted = if fast_only {
        fit_fast(&panel, &opts)
    } else {
        fit_auto(&panel, &opts, &NutsSettings::default(), |_| ()).map(|f| f.result)
    };
    match fitted {
        Ok(r) => println!(
            "{} days x {} channels: {} fit in {:.1} s, R² {:.3}, checks passed: {}",
            n,
            m,
            r.diagnostics.sampler,
            t0.elapsed().as_secs_f64(),
            r.fit.r2,
            r.diagnostics.passed
        ),
        Err(e) => println!("fit failed: {e}"),
    }
}
