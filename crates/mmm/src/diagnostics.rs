//! Convergence diagnostics of MCMC draws: rank-normalised split R-hat, bulk effective sample size (ESS) and
//! tail ESS, so that a posterior is only trusted when its chains agree and carry enough independent draws.
//!
//! Method: A. Vehtari, A. Gelman, D. Simpson, B. Carpenter, P.-C. Bürkner (2021), "Rank-normalization,
//! folding, and localization: an improved R-hat for assessing convergence of MCMC", *Bayesian Analysis*
//! 16(2), 667-718, computed as ArviZ (`arviz_stats` 1.3, `rhat(method="rank")`, `ess(method="bulk"|"tail")`)
//! and the R package `posterior` compute it:
//!
//! - every chain is split into its first and last `n/2` draws (the middle draw of an odd `n` is dropped), so a
//!   chain that drifts looks like two chains that disagree;
//! - rank normalisation: all draws of all split chains are ranked together (ties get their average rank `r`)
//!   and replaced by `Φ⁻¹((r - 3/8) / (S + 1/4))`, `S` the number of draws (Blom's offsets), which makes R-hat
//!   and ESS work for heavy tails and invariant to monotone transforms;
//! - R-hat = max(R-hat of the rank-normalised split draws, R-hat of the rank-normalised *folded* split draws
//!   `|x - median|`): the first sees chains that differ in location, the second chains that differ in scale;
//!   Vehtari et al. recommend trusting draws only when R-hat < 1.01;
//! - ESS uses the autocorrelations averaged over chains and combined with the between-chain variance
//!   (their eq. 10), truncated by Geyer's initial positive sequence and made monotone (Geyer's initial monotone
//!   sequence); autocovariances are computed directly (the same numbers ArviZ's FFT gives, up to rounding),
//!   lag by lag, only as far as the truncation needs, so well-mixed chains cost O(draws);
//! - bulk ESS is the ESS of the rank-normalised split draws; tail ESS is the smaller ESS of the indicators
//!   `x <= q_0.05` and `x <= q_0.95` (quantiles of all draws, linear interpolation as NumPy's default); both
//!   should exceed 100 per chain (400 for four chains) before quantiles or means are reported.
//!
//! Every function takes the draws of one scalar quantity as one vector per chain. Like ArviZ, they return NaN
//! when a diagnostic is undefined: a draw that is not finite, fewer than 4 draws per chain, chains of unequal
//! length, or (R-hat only) fewer than 2 chains or draws that never vary.

use crate::normal;
use serde::Serialize;

/// The diagnostics of one named scalar quantity of a posterior.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub name: String,
    /// Posterior mean and standard deviation (n - 1 denominator) over all chains, for orientation beside the
    /// diagnostics.
    pub mean: f64,
    pub sd: f64,
    pub rhat: f64,
    pub ess_bulk: f64,
    pub ess_tail: f64,
}

/// The worst of a posterior's diagnostics, what decides whether it can be reported.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Largest R-hat (NaN if any quantity's R-hat is undefined, e.g. a single chain).
    pub max_rhat: f64,
    pub min_ess_bulk: f64,
    pub min_ess_tail: f64,
    /// Divergent transitions after warmup, over all chains: each one marks a region the sampler could not
    /// explore, so the posterior there may be wrong.
    pub divergences: usize,
}

impl Summary {
    /// The thresholds of Vehtari et al. (2021): R-hat < 1.01, bulk and tail ESS >= 100 per chain, and no
    /// divergence (Stan's and PyMC's advice).
    pub fn converged(&self, chains: usize) -> bool {
        let ess = 100.0 * chains as f64;
        self.max_rhat < 1.01 && self.min_ess_bulk >= ess && self.min_ess_tail >= ess && self.divergences == 0
    }
}

/// Diagnostics of quantity `k` of every draw: `draws[chain][draw][k]`, named by `names[k]`.
pub fn diagnose(names: &[String], draws: &[Vec<Vec<f64>>]) -> Vec<Diagnostic> {
    names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let chains: Vec<Vec<f64>> = draws.iter().map(|c| c.iter().map(|d| d[k]).collect()).collect();
            let all: Vec<f64> = chains.iter().flatten().copied().collect();
            let sd = if all.len() > 1 { var_ddof1(&all).sqrt() } else { f64::NAN };
            Diagnostic {
                name: name.clone(),
                mean: mean(&all),
                sd,
                rhat: rhat(&chains),
                ess_bulk: ess_bulk(&chains),
                ess_tail: ess_tail(&chains),
            }
        })
        .collect()
}

/// The worst values over `diagnostics`, with the sampler's divergence count.
pub fn summarise(diagnostics: &[Diagnostic], divergences: usize) -> Summary {
    let worst = |f: fn(&Diagnostic) -> f64, max: bool| {
        diagnostics.iter().map(f).fold(if max { f64::NEG_INFINITY } else { f64::INFINITY }, |acc, v| {
            if v.is_nan() || acc.is_nan() {
                f64::NAN
            } else if max {
                acc.max(v)
            } else {
                acc.min(v)
            }
        })
    };
    Summary {
        max_rhat: worst(|d| d.rhat, true),
        min_ess_bulk: worst(|d| d.ess_bulk, false),
        min_ess_tail: worst(|d| d.ess_tail, false),
        divergences,
    }
}

/// Rank-normalised split R-hat: the larger of the bulk and the folded (tail) R-hat.
pub fn rhat(chains: &[Vec<f64>]) -> f64 {
    if !valid(chains, 2) {
        return f64::NAN;
    }
    let split = split_chains(chains);
    let bulk = rhat_basic(&z_scale(&split));
    let med = median(split.iter().flatten().copied().collect());
    let folded: Vec<Vec<f64>> = split.iter().map(|c| c.iter().map(|x| (x - med).abs()).collect()).collect();
    let tail = rhat_basic(&z_scale(&folded));
    if bulk.is_nan() || tail.is_nan() {
        f64::NAN
    } else {
        bulk.max(tail)
    }
}

/// Bulk ESS: the ESS of the rank-normalised split draws, which says how well the centre of the
/// distribution (mean, median) is estimated.
pub fn ess_bulk(chains: &[Vec<f64>]) -> f64 {
    if !valid(chains, 1) {
        return f64::NAN;
    }
    ess_geyer(&z_scale(&split_chains(chains)))
}

/// Tail ESS: the smaller ESS of the indicators of the 5 % and 95 % quantiles, which says how well a 90 %
/// interval's ends are estimated.
pub fn ess_tail(chains: &[Vec<f64>]) -> f64 {
    if !valid(chains, 1) {
        return f64::NAN;
    }
    let mut all: Vec<f64> = chains.iter().flatten().copied().collect();
    all.sort_by(f64::total_cmp);
    let ess_at = |p: f64| {
        let q = quantile_sorted(&all, p);
        let ind: Vec<Vec<f64>> = chains.iter().map(|c| c.iter().map(|&x| f64::from(x <= q)).collect()).collect();
        ess_geyer(&split_chains(&ind))
    };
    ess_at(0.05).min(ess_at(0.95))
}

/// ESS of the mean: the ESS of the split draws as they are (ArviZ `method="mean"`), what a Monte Carlo
/// standard error of a posterior mean, `sd / sqrt(ess_mean)`, needs.
pub fn ess_mean(chains: &[Vec<f64>]) -> f64 {
    if !valid(chains, 1) {
        return f64::NAN;
    }
    ess_geyer(&split_chains(chains))
}

/// At least `min_chains` chains, all of one length of at least 4, every draw finite.
fn valid(chains: &[Vec<f64>], min_chains: usize) -> bool {
    let Some(first) = chains.first() else {
        return false;
    };
    chains.len() >= min_chains
        && first.len() >= 4
        && chains.iter().all(|c| c.len() == first.len() && c.iter().all(|x| x.is_finite()))
}

/// Each chain as its first and its last `n/2` draws.
fn split_chains(chains: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = chains[0].len();
    let half = n / 2;
    chains.iter().flat_map(|c| [c[..half].to_vec(), c[n - half..].to_vec()]).collect()
}

/// Ranks over all draws (ties averaged), mapped through Φ⁻¹((r - 3/8) / (S + 1/4)).
fn z_scale(chains: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let flat: Vec<f64> = chains.iter().flatten().copied().collect();
    let s = flat.len();
    let mut order: Vec<usize> = (0..s).collect();
    order.sort_by(|&a, &b| flat[a].total_cmp(&flat[b]));
    let mut rank = vec![0.0; s];
    let mut i = 0;
    while i < s {
        let mut j = i;
        while j + 1 < s && flat[order[j + 1]] == flat[order[i]] {
            j += 1;
        }
        // Positions i..=j (0-based) share the average of ranks i+1..=j+1.
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            rank[k] = avg;
        }
        i = j + 1;
    }
    let mut it = rank.into_iter().map(|r| normal::inv_cdf((r - 0.375) / (s as f64 + 0.25)));
    chains.iter().map(|c| it.by_ref().take(c.len()).collect()).collect()
}

/// The classic R-hat of equal-length chains: sqrt((B/W + n - 1) / n), B = n x variance of chain means,
/// W = mean within-chain variance (both with n - 1 denominators).
fn rhat_basic(chains: &[Vec<f64>]) -> f64 {
    let n = chains[0].len() as f64;
    let means: Vec<f64> = chains.iter().map(|c| mean(c)).collect();
    let w = chains.iter().map(|c| var_ddof1(c)).sum::<f64>() / chains.len() as f64;
    let b = n * var_ddof1(&means);
    ((b / w + n - 1.0) / n).sqrt()
}

/// ESS of equal-length chains by Geyer's initial monotone sequence (Vehtari et al. 2021, eqs. 10-11; the
/// loop is ArviZ's `_ess` step for step).
fn ess_geyer(chains: &[Vec<f64>]) -> f64 {
    let m = chains.len();
    let n = chains[0].len();
    let total = (m * n) as f64;
    let (lo, hi) = chains.iter().flatten().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| (l.min(x), h.max(x)));
    // NumPy's float resolution (1e-15): a quantity that never moves is known exactly.
    if hi - lo < 1e-15 {
        return total;
    }
    let centred: Vec<Vec<f64>> = chains
        .iter()
        .map(|c| {
            let mu = mean(c);
            c.iter().map(|x| x - mu).collect()
        })
        .collect();
    // Autocovariance at lag t averaged over chains, each with denominator n (ArviZ's `autocov`).
    let mean_acov = |t: usize| -> f64 {
        centred.iter().map(|c| c[..n - t].iter().zip(&c[t..]).map(|(a, b)| a * b).sum::<f64>() / n as f64).sum::<f64>()
            / m as f64
    };
    let nf = n as f64;
    let mean_var = mean_acov(0) * nf / (nf - 1.0);
    let mut var_plus = mean_var * (nf - 1.0) / nf;
    if m > 1 {
        let means: Vec<f64> = chains.iter().map(|c| mean(c)).collect();
        var_plus += var_ddof1(&means);
    }
    let rho = |t: usize| 1.0 - (mean_var - mean_acov(t)) / var_plus;
    let mut rho_hat = vec![0.0; n];
    let mut rho_even = 1.0;
    rho_hat[0] = rho_even;
    let mut rho_odd = rho(1);
    rho_hat[1] = rho_odd;
    // Geyer's initial positive sequence: sum pairs while their sum stays positive.
    let mut t = 1;
    while t + 3 < n && rho_even + rho_odd > 0.0 {
        rho_even = rho(t + 1);
        rho_odd = rho(t + 2);
        if rho_even + rho_odd >= 0.0 {
            rho_hat[t + 1] = rho_even;
            rho_hat[t + 2] = rho_odd;
        }
        t += 2;
    }
    // ArviZ's `max_t = t - 2` is -1 when the loop never ran (1 + rho_1 not positive); `k = max_t + 1` is the first lag
    // outside the kept sequence.
    let max_t = t as isize - 2;
    let k = (max_t + 1) as usize;
    if rho_even > 0.0 {
        rho_hat[k] = rho_even;
    }
    // Geyer's initial monotone sequence: pair sums may not increase.
    let mut t = 1;
    while (t as isize) <= max_t - 2 {
        if rho_hat[t + 1] + rho_hat[t + 2] > rho_hat[t - 1] + rho_hat[t] {
            rho_hat[t + 1] = (rho_hat[t - 1] + rho_hat[t]) / 2.0;
            rho_hat[t + 2] = rho_hat[t + 1];
        }
        t += 2;
    }
    let head: f64 = rho_hat[..k].iter().sum();
    let next = rho_hat.get(k).copied().unwrap_or(0.0);
    let tau = (-1.0 + 2.0 * head + next).max(1.0 / total.log10());
    if rho_hat.iter().any(|r| r.is_nan()) {
        return f64::NAN;
    }
    total / tau
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

fn var_ddof1(x: &[f64]) -> f64 {
    let mu = mean(x);
    x.iter().map(|v| (v - mu) * (v - mu)).sum::<f64>() / (x.len() as f64 - 1.0)
}

fn median(mut x: Vec<f64>) -> f64 {
    x.sort_by(f64::total_cmp);
    quantile_sorted(&x, 0.5)
}

/// NumPy's default ("linear", Hyndman and Fan type 7) quantile of sorted values.
fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};

    /// `chains` AR(1) chains `x_i = rho x_{i-1} + e_i`, e ~ N(0, 1), started in the stationary distribution.
    fn ar1(chains: usize, draws: usize, rho: f64, seed: u64) -> Vec<Vec<f64>> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let sd0 = 1.0 / (1.0 - rho * rho).sqrt();
        (0..chains)
            .map(|_| {
                let mut x = sd0 * {
                    let e: f64 = StandardNormal.sample(&mut rng);
                    e
                };
                (0..draws)
                    .map(|_| {
                        let v = x;
                        x = rho * x + {
                            let e: f64 = StandardNormal.sample(&mut rng);
                            e
                        };
                        v
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn iid_normal_draws_converge_with_ess_near_the_draw_count() {
        let draws = ar1(4, 1000, 0.0, 1);
        let r = rhat(&draws);
        assert!(r < 1.01 && r > 0.99, "R-hat {r}");
        // ESS of independent draws is the draw count up to the estimator's noise (sd about 5 % here);
        // Geyer's truncation lets it exceed the count a little (antithetic-looking noise).
        for (what, ess) in [("bulk", ess_bulk(&draws)), ("tail", ess_tail(&draws)), ("mean", ess_mean(&draws))] {
            assert!((ess / 4000.0 - 1.0).abs() < 0.15, "{what} ESS {ess} for 4000 iid draws");
        }
    }

    #[test]
    fn ar1_chains_have_ess_near_the_theoretical_value() {
        // For AR(1) with coefficient rho the integrated autocorrelation time is (1 + rho) / (1 - rho), so
        // ESS = N (1 - rho) / (1 + rho). 4 x 5000 draws keep the estimator's noise near 5 %; tolerance 15 %.
        for (rho, seed) in [(0.5, 2), (0.9, 3), (-0.3, 4)] {
            let draws = ar1(4, 5000, rho, seed);
            let expected = 20_000.0 * (1.0 - rho) / (1.0 + rho);
            for (what, ess) in [("bulk", ess_bulk(&draws)), ("mean", ess_mean(&draws))] {
                assert!((ess / expected - 1.0).abs() < 0.15, "rho {rho}: {what} ESS {ess}, theory {expected}");
            }
            assert!(rhat(&draws) < 1.01);
        }
    }

    #[test]
    fn chains_with_shifted_means_or_scales_have_rhat_far_above_one() {
        let mut draws = ar1(4, 1000, 0.0, 5);
        for x in &mut draws[3] {
            *x += 1.0;
        }
        let r = rhat(&draws);
        assert!(r > 1.1, "one chain shifted by 1 sd: R-hat {r}");
        // Same location, one chain three times as wide: only the folded (tail) R-hat sees it.
        let mut draws = ar1(4, 1000, 0.0, 6);
        for x in &mut draws[0] {
            *x *= 3.0;
        }
        let split = split_chains(&draws);
        let bulk = rhat_basic(&z_scale(&split));
        let r = rhat(&draws);
        assert!(bulk < 1.02 && r > 1.1, "scale difference: bulk {bulk}, rank R-hat {r}");
        // A chain that drifts is caught by splitting it.
        let drifting: Vec<Vec<f64>> = ar1(2, 1000, 0.0, 7)
            .into_iter()
            .map(|c| c.iter().enumerate().map(|(i, x)| x + i as f64 / 300.0).collect())
            .collect();
        assert!(rhat(&drifting) > 1.1);
    }

    #[test]
    fn rank_diagnostics_do_not_change_under_monotone_maps() {
        let draws = ar1(4, 400, 0.6, 8);
        let mapped: Vec<Vec<f64>> = draws.iter().map(|c| c.iter().map(|x| (x * 0.7).exp()).collect()).collect();
        assert_eq!(rhat(&draws), rhat(&mapped));
        assert_eq!(ess_bulk(&draws), ess_bulk(&mapped));
        assert_eq!(ess_tail(&draws), ess_tail(&mapped));
    }

    /// Integer LCG draws that Python reproduces bit for bit: AR(`rho`) of uniform(-1/2, 1/2) steps, chain
    /// `offset_chain` shifted by `offset`, rounded to `1/round_to` when `round_to > 0` (ties).
    fn lcg_draws(
        chains: usize,
        draws: usize,
        seed: u64,
        rho: f64,
        offset_chain: usize,
        offset: f64,
        round_to: f64,
    ) -> Vec<Vec<f64>> {
        let mut s = seed;
        (0..chains)
            .map(|c| {
                let mut x = 0.0;
                (0..draws)
                    .map(|_| {
                        s = (1_664_525 * s + 1_013_904_223) % (1 << 32);
                        let u = s as f64 / (1u64 << 32) as f64;
                        x = rho * x + (u - 0.5);
                        let v = x + if c == offset_chain { offset } else { 0.0 };
                        if round_to > 0.0 {
                            (v * round_to).round() / round_to
                        } else {
                            v
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// Reference values from ArviZ 1.3.0 (arviz_stats 1.3.3, NumPy 2.4.6, SciPy 1.18.1), computed once with
    /// `arviz_stats.base.array_stats.rhat(a, chain_axis=0, draw_axis=1, method="rank")` and
    /// `.ess(a, chain_axis=0, draw_axis=1, method="bulk" | "tail" (prob=(0.05, 0.95)) | "mean")` on the same
    /// LCG draws generated in Python (`lcg_draws` transcribed line for line; set A: 4 x 100, AR 0.7, chain 2
    /// shifted by 0.3; set B: 3 x 51 (odd: the split drops the middle draw), AR 0.2, rounded to 0.1 (ties)).
    /// Python rounds half to even and Rust half away from zero; no value of set B lies on a half.
    #[test]
    fn matches_arviz_on_fixed_draws() {
        let a = lcg_draws(4, 100, 7, 0.7, 2, 0.3, 0.0);
        assert!(
            (a[0][0] - -0.26121916).abs() < 1e-8 && (a.iter().flatten().sum::<f64>() - 32.16378932685103).abs() < 1e-9
        );
        let b = lcg_draws(3, 51, 11, 0.2, 0, 0.0, 10.0);
        assert!((b.iter().flatten().sum::<f64>() - -6.1).abs() < 1e-9);
        let cases = [
            ("A", &a, 1.111937506774892, 29.01577586342316, 125.08781913799154, 28.19184691403762),
            ("B", &b, 1.020499618874169, 99.22056386465907, 71.88884414015305, 106.48325248672633),
        ];
        for (name, d, r, bulk, tail, mean_) in cases {
            for (what, got, want) in [
                ("rhat", rhat(d), r),
                ("bulk", ess_bulk(d), bulk),
                ("tail", ess_tail(d), tail),
                ("mean", ess_mean(d), mean_),
            ] {
                assert!((got - want).abs() < 1e-9 * want.abs(), "set {name} {what}: {got} vs ArviZ {want}");
            }
        }
    }

    #[test]
    fn undefined_diagnostics_are_nan_as_in_arviz() {
        let one_chain = vec![vec![0.1, 0.5, 0.2, 0.9, 0.3]];
        assert!(rhat(&one_chain).is_nan());
        assert!(ess_bulk(&one_chain).is_finite());
        assert!(ess_bulk(&[vec![1.0, 2.0, 3.0]]).is_nan());
        assert!(rhat(&[vec![1.0, 2.0, f64::NAN, 4.0], vec![1.0, 2.0, 3.0, 4.0]]).is_nan());
        assert!(rhat(&[vec![1.0, 2.0, 3.0, 4.0], vec![1.0, 2.0, 3.0]]).is_nan());
        assert!(rhat(&[]).is_nan());
        // A constant quantity: ESS is the draw count (known exactly), R-hat undefined (0/0).
        let constant = vec![vec![2.0; 10], vec![2.0; 10]];
        assert_eq!(ess_bulk(&constant), 20.0);
        assert!(rhat(&constant).is_nan());
    }

    #[test]
    fn summary_takes_the_worst_and_checks_the_thresholds() {
        let names: Vec<String> = vec!["a".into(), "b".into()];
        let good = ar1(4, 500, 0.0, 9);
        let bad = ar1(4, 500, 0.95, 10);
        let draws: Vec<Vec<Vec<f64>>> =
            (0..4).map(|c| (0..500).map(|i| vec![good[c][i], bad[c][i]]).collect()).collect();
        let d = diagnose(&names, &draws);
        assert_eq!(d[0].name, "a");
        assert!(d[1].ess_bulk < d[0].ess_bulk);
        let s = summarise(&d, 0);
        assert_eq!(s.min_ess_bulk, d[1].ess_bulk);
        assert_eq!(s.max_rhat, d[0].rhat.max(d[1].rhat));
        assert!(!s.converged(4), "ESS {} of AR(0.95) is below 400", s.min_ess_bulk);
        let s = summarise(&d[..1], 0);
        assert!(s.converged(4));
        assert!(!summarise(&d[..1], 1).converged(4));
    }
}
