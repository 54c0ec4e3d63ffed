//! Bootstrap intervals for the shares of a data-driven model: refit on journeys resampled with replacement and
//! read percentiles of each channel's share.
//!
//! **Resampling.** A path set holds journey counts: a row with 3 conversions and 5 nulls is 8 journeys. The
//! textbook bootstrap draws `J` journeys with replacement from all `J`, a multinomial over the journeys. We use the
//! *Poisson bootstrap* (Hanley & MacGibbon 2006; Chamandy et al. 2012): every journey is kept `Poisson(1)` times,
//! independently, so a row's converting journeys become `Poisson(conversions)` and its non-converting ones
//! `Poisson(nulls)`, one draw each per row instead of one per journey. It differs from the multinomial only in
//! that the total number of journeys varies (by about `√J`), which does not matter for shares, which are ratios.
//! Fractional counts (allowed in path files) are Poisson means like any other. A row's value is scaled with its
//! conversions (its value per conversion is kept).
//!
//! **Determinism.** Replicate `r` draws from ChaCha8 seeded with `seed` on stream `r`, and replicates are
//! collected in order, so the intervals depend on `(paths, reps, seed, level, fit)` only, never on the number
//! of threads or their scheduling.
//!
//! **Intervals.** Percentile intervals: the `(1 − level)/2` and `(1 + level)/2` quantiles (linear interpolation
//! between order statistics, Hyndman & Fan type 7) of a channel's share over the replicates.

use crate::attribution::paths::{DataDrivenResult, PathRow, PathSet};
use crate::AnalyticsError;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::collections::HashMap;

/// Percentile bounds from the bootstrap replicates.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bounds {
    /// `(channel, low, high)` for each channel of the path set, in its order.
    pub shares: Vec<(String, f64, f64)>,
    /// Bounds of the fraction of conversions credited to channels ([`super::paths::Credited`]).
    pub credited: Option<(f64, f64)>,
    /// `(channel, low, high)` of each channel's value (credited or, for the incremental model, added), in the
    /// path set's order: the interval an ROI is computed from. A replicate's journeys number `Poisson(J)`, so
    /// these bounds carry the sampling noise of the total as well as that of the split.
    pub values: Vec<(String, f64, f64)>,
}

/// Percentile bounds of every channel's share (and of the credited fraction) over `reps` bootstrap replicates of
/// `paths`, refitted with `fit`.
///
/// `level` is the coverage (0.95 gives the 2.5 % and 97.5 % percentiles); it is clamped to `[0, 1]`, and a NaN
/// level counts as 0.95. A channel missing from a replicate's result has share 0 there (it may have lost all its
/// journeys). Replicates without any conversion, and those whose fit fails (e.g. every resampled journey
/// converted), are skipped; when none succeeds, or `reps` is 0, the result is empty ([`Bounds::default`]) and
/// [`with_intervals`] leaves the point shares as bounds.
pub fn bootstrap<F>(paths: &PathSet, reps: usize, seed: u64, level: f64, fit: F) -> Bounds
where
    F: Fn(&PathSet) -> Result<DataDrivenResult, AnalyticsError> + Sync,
{
    let level = if level.is_nan() { 0.95 } else { level.clamp(0.0, 1.0) };
    let index: HashMap<&str, usize> = paths.channels.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let replicates: Vec<Option<Vec<f64>>> = (0..reps)
        .into_par_iter()
        .map(|rep| {
            let sample = resample(paths, seed, rep as u64);
            // A replicate that drew no conversion at all has nothing to share out; counting its all-zero shares
            // would only drag the lower bounds to 0 (it happens with a handful of conversions).
            if sample.total_conversions() <= 0.0 {
                return None;
            }
            let result = fit(&sample).ok()?;
            // One slot per channel's share, then the credited fraction, then one per channel's value.
            let n = paths.channels.len();
            let mut slots = vec![0.0; 2 * n + 1];
            for c in &result.channels {
                if let Some(&i) = index.get(c.channel.as_str()) {
                    slots[i] = c.share;
                    slots[n + 1 + i] = c.value;
                }
            }
            slots[n] = result.credited.fraction;
            Some(slots)
        })
        .collect();
    let replicates: Vec<Vec<f64>> = replicates.into_iter().flatten().collect();
    if replicates.is_empty() {
        return Bounds::default();
    }
    let bounds = |i: usize| {
        let mut x: Vec<f64> = replicates.iter().map(|r| r[i]).collect();
        x.sort_by(f64::total_cmp);
        (quantile(&x, (1.0 - level) / 2.0), quantile(&x, (1.0 + level) / 2.0))
    };
    Bounds {
        shares: paths
            .channels
            .iter()
            .enumerate()
            .map(|(i, channel)| {
                let (low, high) = bounds(i);
                (channel.clone(), low, high)
            })
            .collect(),
        credited: Some(bounds(paths.channels.len())),
        values: paths
            .channels
            .iter()
            .enumerate()
            .map(|(i, channel)| {
                let (low, high) = bounds(paths.channels.len() + 1 + i);
                (channel.clone(), low, high)
            })
            .collect(),
    }
}

/// `result` with `share_low`/`share_high`, `value_low`/`value_high` (and the credited fraction's bounds) taken
/// from `bounds` (as returned by [`bootstrap`]); channels without bounds keep their point figures as both bounds.
pub fn with_intervals(mut result: DataDrivenResult, bounds: &Bounds) -> DataDrivenResult {
    let index = |list: &[(String, f64, f64)]| -> HashMap<String, (f64, f64)> {
        list.iter().map(|(c, l, h)| (c.clone(), (*l, *h))).collect()
    };
    let (shares, values) = (index(&bounds.shares), index(&bounds.values));
    for c in &mut result.channels {
        (c.share_low, c.share_high) = shares.get(c.channel.as_str()).copied().unwrap_or((c.share, c.share));
        (c.value_low, c.value_high) = values.get(c.channel.as_str()).copied().unwrap_or((c.value, c.value));
    }
    if let Some((low, high)) = bounds.credited {
        (result.credited.low, result.credited.high) = (low, high);
    }
    result
}

/// One Poisson-bootstrap replicate of `paths`: the random stream `stream` of ChaCha8 seeded with `seed`.
pub fn resample(paths: &PathSet, seed: u64, stream: u64) -> PathSet {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    let rows = paths
        .rows
        .iter()
        .filter_map(|row| {
            let conversions = poisson(&mut rng, row.conversions);
            let nulls = poisson(&mut rng, row.nulls);
            if conversions == 0.0 && nulls == 0.0 {
                return None;
            }
            let value = if row.conversions > 0.0 { row.value * conversions / row.conversions } else { 0.0 };
            Some(PathRow { channels: row.channels.clone(), conversions, value, nulls })
        })
        .collect();
    PathSet { channels: paths.channels.clone(), rows }
}

/// The `q` quantile of sorted `x` (type 7: linear between order statistics). `x` must not be empty.
pub(crate) fn quantile(x: &[f64], q: f64) -> f64 {
    let h = (x.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(x.len() - 1);
    x[lo] + (h - lo as f64) * (x[hi] - x[lo])
}

/// A uniform draw in `[0, 1)` with 53 random bits.
pub(crate) fn uniform<R: RngCore>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A `Poisson(lambda)` draw (as `f64`); 0 when `lambda` is not positive.
///
/// Below a mean of 10 by inversion (sequential search of the CDF); from 10 on by Hörmann's transformed rejection
/// with squeeze, PTRS (W. Hörmann, "The transformed rejection method for generating Poisson random variables",
/// Insurance: Mathematics and Economics 12, 1993), whose cost does not grow with the mean.
pub(crate) fn poisson<R: RngCore>(rng: &mut R, lambda: f64) -> f64 {
    if lambda.is_nan() || lambda <= 0.0 {
        return 0.0;
    }
    if lambda < 10.0 {
        let u = uniform(rng);
        let mut k = 0.0;
        let mut p = (-lambda).exp();
        let mut cdf = p;
        // The CDF reaches u within a few dozen steps; the cap only guards against rounding (u near 1).
        while u > cdf && k < 1000.0 {
            k += 1.0;
            p *= lambda / k;
            cdf += p;
        }
        return k;
    }
    let slam = lambda.sqrt();
    let loglam = lambda.ln();
    let b = 0.931 + 2.53 * slam;
    let a = -0.059 + 0.02483 * b;
    let inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    let vr = 0.9277 - 3.6224 / (b - 2.0);
    loop {
        let u = uniform(rng) - 0.5;
        let v = uniform(rng);
        let us = 0.5 - u.abs();
        let k = ((2.0 * a / us + b) * u + lambda + 0.43).floor();
        if us >= 0.07 && v <= vr {
            return k;
        }
        if k < 0.0 || (us < 0.013 && v > us) {
            continue;
        }
        if v.ln() + inv_alpha.ln() - (a / (us * us) + b).ln() <= -lambda + k * loglam - ln_factorial(k) {
            return k;
        }
    }
}

/// `ln k!` for a whole `k ≥ 0`: a direct sum below 20, Stirling's series with three correction terms above
/// (absolute error below 1e-13 there).
fn ln_factorial(k: f64) -> f64 {
    if k < 20.0 {
        return (2..=k as u32).map(|i| f64::from(i).ln()).sum();
    }
    let k2 = k * k;
    k * k.ln() - k + 0.5 * (2.0 * std::f64::consts::PI * k).ln() + 1.0 / (12.0 * k) - 1.0 / (360.0 * k * k2)
        + 1.0 / (1260.0 * k * k2 * k2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::shapley::shapley;

    fn shapley_result(p: &PathSet) -> Result<DataDrivenResult, AnalyticsError> {
        shapley(p).map(|f| f.result)
    }

    #[test]
    fn ln_factorial_matches_the_product() {
        let mut exact = 0.0f64;
        for k in 1..=170u32 {
            exact += f64::from(k).ln();
            let got = ln_factorial(f64::from(k));
            assert!((got - exact).abs() <= 1e-12 * exact.max(1.0), "{k}: {got} vs {exact}");
        }
        assert_eq!(ln_factorial(0.0), 0.0);
    }

    #[test]
    fn poisson_draws_have_the_right_mean_and_variance() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let n = 200_000usize;
        for lambda in [0.3, 4.0, 9.99, 10.0, 37.5, 10_000.0] {
            let draws: Vec<f64> = (0..n).map(|_| poisson(&mut rng, lambda)).collect();
            assert!(draws.iter().all(|&k| k >= 0.0 && k.fract() == 0.0));
            let mean = draws.iter().sum::<f64>() / n as f64;
            let var = draws.iter().map(|k| (k - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            // Five standard errors: sd(mean) = √(λ/n); sd(s²) ≈ √((λ + 2λ²)/n) for a Poisson.
            let se_mean = (lambda / n as f64).sqrt();
            let se_var = ((lambda + 2.0 * lambda * lambda) / n as f64).sqrt();
            assert!((mean - lambda).abs() <= 5.0 * se_mean, "λ {lambda}: mean {mean}");
            assert!((var - lambda).abs() <= 5.0 * se_var, "λ {lambda}: variance {var}");
        }
        assert_eq!(poisson(&mut rng, 0.0), 0.0);
        assert_eq!(poisson(&mut rng, -1.0), 0.0);
    }

    #[test]
    fn poisson_frequencies_follow_the_distribution() {
        // Pearson's chi-square over the bins k = 8..=52 (tails pooled) for λ = 30 (the rejection branch) and
        // over 0..=12 for λ = 3 (inversion); the critical value is the mean plus five standard deviations of the
        // chi-square distribution, sqrt(2·df).
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for (lambda, lo, hi) in [(30.0f64, 8usize, 52usize), (3.0, 0, 12)] {
            let n = 200_000;
            let mut counts = vec![0.0f64; hi - lo + 1];
            for _ in 0..n {
                let k = (poisson(&mut rng, lambda) as usize).clamp(lo, hi);
                counts[k - lo] += 1.0;
            }
            let pmf = |k: usize| (-lambda + k as f64 * lambda.ln() - ln_factorial(k as f64)).exp();
            let mut expected: Vec<f64> = (lo..=hi).map(pmf).collect();
            let below: f64 = (0..lo).map(pmf).sum();
            expected[0] += below;
            let inside: f64 = expected.iter().sum();
            *expected.last_mut().unwrap() += 1.0 - inside;
            let chi2: f64 =
                counts.iter().zip(&expected).map(|(o, p)| (o - n as f64 * p).powi(2) / (n as f64 * p)).sum();
            let df = (counts.len() - 1) as f64;
            assert!(chi2 <= df + 5.0 * (2.0 * df).sqrt(), "λ {lambda}: chi² {chi2} on {df} df");
        }
    }

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&x, 0.0), 1.0);
        assert_eq!(quantile(&x, 1.0), 5.0);
        assert_eq!(quantile(&x, 0.5), 3.0);
        assert!((quantile(&x, 0.1) - 1.4).abs() < 1e-15);
        assert_eq!(quantile(&[2.5], 0.975), 2.5);
    }

    fn example() -> PathSet {
        PathSet::from_named(vec![
            (vec!["linkedin"], 30.0, 3000.0, 470.0),
            (vec!["newsletter"], 12.0, 1200.0, 388.0),
            (vec!["linkedin", "newsletter"], 40.0, 4400.0, 260.0),
            (vec!["events", "linkedin"], 9.0, 900.0, 41.0),
            (vec!["events"], 2.0, 200.0, 98.0),
        ])
        .0
    }

    #[test]
    fn resampling_keeps_the_dictionary_and_the_value_per_conversion() {
        let paths = example();
        let sample = resample(&paths, 1, 0);
        assert_eq!(sample.channels, paths.channels);
        for row in &sample.rows {
            let orig = paths.rows.iter().find(|r| r.channels == row.channels).unwrap();
            assert!(row.conversions.fract() == 0.0 && row.nulls.fract() == 0.0);
            if row.conversions > 0.0 {
                assert!((row.value / row.conversions - orig.value / orig.conversions).abs() < 1e-9);
            }
        }
        // Total journeys vary around the original 1,550 (sd ≈ 39).
        assert!((sample.total_journeys() - paths.total_journeys()).abs() < 200.0);
        assert_ne!(resample(&paths, 1, 0), resample(&paths, 1, 1));
        assert_eq!(resample(&paths, 1, 5), resample(&paths, 1, 5));
    }

    #[test]
    fn deterministic_across_runs_and_thread_counts() {
        let paths = example();
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| bootstrap(&paths, 64, 42, 0.9, shapley_result))
        };
        let one = run(1);
        assert_eq!(one.shares.len(), 3);
        assert_eq!(one, run(2));
        assert_eq!(one, run(2));
        assert_ne!(one, bootstrap(&paths, 64, 43, 0.9, shapley_result));
    }

    #[test]
    fn intervals_hold_the_point_estimate() {
        let paths = example();
        let point = shapley_result(&paths).unwrap();
        let bounds = bootstrap(&paths, 200, 3, 0.95, shapley_result);
        let result = with_intervals(point.clone(), &bounds);
        for c in &result.channels {
            assert!(c.share_low <= c.share && c.share <= c.share_high, "{c:?}");
            assert!(c.share_low < c.share_high, "{c:?}");
            assert!((0.0..=1.0).contains(&c.share_low) && (0.0..=1.0).contains(&c.share_high));
        }
        // A narrower level gives nested intervals.
        let narrow = bootstrap(&paths, 200, 3, 0.5, shapley_result);
        for ((c, l95, h95), (c2, l50, h50)) in bounds.shares.iter().zip(&narrow.shares) {
            assert_eq!(c, c2);
            assert!(l95 <= l50 && h50 <= h95);
        }
        // Without bounds the point share is both bounds.
        let bare = with_intervals(point.clone(), &Bounds::default());
        assert!(bare.channels.iter().all(|c| c.share_low == c.share && c.share_high == c.share));
    }

    #[test]
    fn failed_replicates_are_skipped_and_no_replicate_gives_no_bounds() {
        let paths = example();
        let never = |_: &PathSet| -> Result<DataDrivenResult, AnalyticsError> {
            Err(AnalyticsError::NoNonConversions { model: "test" })
        };
        assert_eq!(bootstrap(&paths, 10, 1, 0.95, never), Bounds::default());
        assert_eq!(bootstrap(&paths, 0, 1, 0.95, shapley_result), Bounds::default());
    }

    /// Journeys over three channels, with a probability for each non-empty channel set and a conversion rate on
    /// it; `(set mask, probability, conversion rate)`.
    const WORLD: [(u16, f64, f64); 7] = [
        (0b001, 0.30, 0.04),
        (0b010, 0.20, 0.10),
        (0b100, 0.10, 0.02),
        (0b011, 0.15, 0.20),
        (0b101, 0.10, 0.06),
        (0b110, 0.10, 0.12),
        (0b111, 0.05, 0.30),
    ];

    fn world_paths(rows: impl Iterator<Item = (u16, f64, f64)>) -> PathSet {
        PathSet {
            channels: vec!["a".into(), "b".into(), "c".into()],
            rows: rows
                .map(|(mask, conversions, nulls)| PathRow {
                    channels: (0..3u16).filter(|i| mask >> i & 1 == 1).collect(),
                    conversions,
                    value: conversions,
                    nulls,
                })
                .collect(),
        }
    }

    #[test]
    fn percentile_intervals_cover_the_true_share() {
        // The true shares are those of the population (expected counts); each of 50 samples of 4,000 journeys
        // gets a 95 % interval from 200 replicates; we count how often the intervals hold the truth.
        let truth = shapley_result(&world_paths(WORLD.iter().map(|&(m, p, r)| (m, p * r, p * (1.0 - r))))).unwrap();
        let (samples, journeys) = (50, 4_000);
        let mut covered = 0;
        let mut total = 0;
        for s in 0..samples {
            let mut rng = ChaCha8Rng::seed_from_u64(1000 + s);
            let mut counts = [(0.0f64, 0.0f64); 7];
            for _ in 0..journeys {
                let mut u = uniform(&mut rng);
                let cell = WORLD.iter().position(|&(_, p, _)| {
                    u -= p;
                    u < 0.0
                });
                let cell = cell.unwrap_or(WORLD.len() - 1);
                if uniform(&mut rng) < WORLD[cell].2 {
                    counts[cell].0 += 1.0;
                } else {
                    counts[cell].1 += 1.0;
                }
            }
            let paths = world_paths(WORLD.iter().zip(counts).map(|(&(m, ..), (c, n))| (m, c, n)));
            let bounds = bootstrap(&paths, 200, s, 0.95, shapley_result);
            for ((channel, low, high), t) in bounds.shares.iter().zip(&truth.channels) {
                assert_eq!(channel, &t.channel);
                total += 1;
                if *low <= t.share && t.share <= *high {
                    covered += 1;
                }
            }
        }
        assert_eq!(total, 150);
        assert!(covered >= 128, "{covered} of {total} intervals hold the true share (want >= 85 %)");
    }

    #[test]
    fn the_credited_fraction_gets_an_interval_that_holds_it() {
        let paths = example();
        let fit = |p: &PathSet| Ok(crate::attribution::incremental::incremental(p, &[])?.result);
        let point = fit(&paths).unwrap();
        let result = with_intervals(point.clone(), &bootstrap(&paths, 100, 5, 0.95, fit));
        let c = result.credited;
        assert!(0.0 < c.fraction && c.fraction < 1.0, "the incremental model leaves a baseline: {c:?}");
        assert!(c.low <= c.fraction && c.fraction <= c.high && c.low < c.high, "{c:?}");
        // Shapley distributes every conversion, in every replicate.
        let s = with_intervals(shapley_result(&paths).unwrap(), &bootstrap(&paths, 20, 5, 0.95, shapley_result));
        assert!((s.credited.fraction - 1.0).abs() < 1e-12 && (s.credited.low - 1.0).abs() < 1e-12);
    }
}
