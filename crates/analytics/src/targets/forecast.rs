//! The forecast of a target's metric at the end of its period, with a 90 % interval, from the days observed so
//! far. Three shapes, one per kind of metric:
//!
//! - **Ratio** (engagement rate = engagements / impressions, cost per engagement = cost / engagements): the
//!   period's value is ΣN / ΣD over all its days. The days so far give r̂ = ΣN / ΣD exactly; the rest of the
//!   period is expected to bring D_f = (mean daily D so far) × (days left) more of the denominator at a ratio
//!   r_f, forecast as r̂. The end value is (ΣD·r̂ + D_f·r_f) / (ΣD + D_f), so its variance is w_f²·Var(r_f) with
//!   w_f = D_f / (ΣD + D_f). Var(r_f) adds the uncertainty of the underlying ratio, the ratio estimator's
//!   s² / (n·d̄²) (Cochran, *Sampling Techniques*, 3rd ed., 1977, §6.3: s² the variance of the daily residuals
//!   Nᵢ − r̂·Dᵢ over the n days with a denominator, d̄ their mean D), and the noise of the days still to come,
//!   s² / (m·d̄²) with m = D_f / d̄ such days. For a proportion (engagement rate) each variance is at least the
//!   binomial one, r̂(1 − r̂) / ΣD and r̂(1 − r̂) / D_f: days that happen to agree never make the interval
//!   narrower than counting allows.
//! - **Cumulative** (pipeline): the period's value is the sum of its days. With k days so far (days without a
//!   deal count as 0), mean x̄ and variance s², the forecast is S + m·x̄ for m days left, with variance
//!   m·s² + m²·s²/k (the noise of the days to come plus the uncertainty of the mean). The lower bound is never
//!   below what is already in (S): pipeline does not go down.
//! - **Median** (response time): the forecast is the median of the times so far (assumes the rest of the period
//!   answers like the part seen); its interval is the distribution-free order-statistic interval of the median
//!   ([`crate::responses::median_interval`]), which covers the median of the whole period's conversations
//!   conservatively (that median rests on more conversations than the interval does).
//!
//! Intervals are normal (± 1.645 standard deviations, 90 %) for ratios and sums. Once the period is over the
//! interval is the value itself.

use serde::{Deserialize, Serialize};

/// The normal quantile of a two-sided 90 % interval.
pub const Z90: f64 = 1.644_853_626_951_472_2;

/// A forecast with its 90 % interval, in the metric's unit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// One day of a ratio metric: its numerator and denominator.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatioDay {
    pub numerator: f64,
    pub denominator: f64,
}

/// The ratio so far and its forecast at the end of the period. `days` are the days elapsed (all of them, also
/// those without data: their denominator is 0); `days_left` the days still to come. `None` when no day so far
/// has a denominator. `proportion` asks for the binomial floor of the variance (a rate of successes per trial).
pub fn ratio(days: &[RatioDay], days_left: u32, proportion: bool) -> Option<(f64, Forecast)> {
    let n_sum: f64 = days.iter().map(|d| d.numerator).sum();
    let d_sum: f64 = days.iter().map(|d| d.denominator).sum();
    if d_sum <= 0.0 || days.is_empty() {
        return None;
    }
    let r = n_sum / d_sum;
    let with_data: Vec<&RatioDay> = days.iter().filter(|d| d.denominator > 0.0).collect();
    let n = with_data.len() as f64;
    let d_mean = d_sum / n;
    // Future denominator: the mean daily denominator over every elapsed day (future days may lack data too).
    let d_future = d_sum / days.len() as f64 * f64::from(days_left);
    if d_future <= 0.0 {
        return Some((r, Forecast { value: r, low: r, high: r }));
    }
    let s2 = if n >= 2.0 {
        with_data.iter().map(|d| (d.numerator - r * d.denominator).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        // One day says nothing about the spread between days: an interval as wide as the value itself.
        (r * d_mean).powi(2)
    };
    let m = d_future / d_mean;
    let mut var_rate = s2 / (n * d_mean * d_mean);
    let mut var_noise = s2 / (m * d_mean * d_mean);
    if proportion {
        let p = r.clamp(0.0, 1.0);
        var_rate = var_rate.max(p * (1.0 - p) / d_sum);
        var_noise = var_noise.max(p * (1.0 - p) / d_future);
    }
    let w = d_future / (d_sum + d_future);
    let sd = w * (var_rate + var_noise).sqrt();
    let mut low = r - Z90 * sd;
    let mut high = r + Z90 * sd;
    if proportion {
        low = low.max(0.0);
        high = high.min(1.0);
    }
    Some((r, Forecast { value: r, low: low.max(0.0), high }))
}

/// The sum so far and its forecast at the end of the period, from the daily values of every elapsed day (0 for
/// a day without any). `None` when no day has elapsed.
pub fn cumulative(days: &[f64], days_left: u32) -> Option<(f64, Forecast)> {
    if days.is_empty() {
        return None;
    }
    let k = days.len() as f64;
    let sum: f64 = days.iter().sum();
    let mean = sum / k;
    let m = f64::from(days_left);
    let s2 = if days.len() >= 2 { days.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (k - 1.0) } else { 0.0 };
    let value = sum + m * mean;
    let sd = (m * s2 + m * m * s2 / k).sqrt();
    Some((sum, Forecast { value, low: (value - Z90 * sd).max(sum), high: value + Z90 * sd }))
}

/// The median so far and its forecast, from the values so far (any order). `None` without values; the interval
/// is `None` while there are too few values for a 90 % order-statistic interval (fewer than 5) and the period
/// is not over.
pub fn median(values: &[f64], period_over: bool) -> Option<(f64, Option<Forecast>)> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let med = crate::responses::quantile(&sorted, 0.5)?;
    if period_over {
        return Some((med, Some(Forecast { value: med, low: med, high: med })));
    }
    let interval = crate::responses::median_interval(&sorted, 0.9);
    Some((med, interval.map(|(low, high)| Forecast { value: med, low, high })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn days(pairs: &[(f64, f64)]) -> Vec<RatioDay> {
        pairs.iter().map(|&(numerator, denominator)| RatioDay { numerator, denominator }).collect()
    }

    #[test]
    fn a_ratio_with_identical_days_has_the_binomial_interval() {
        // 10 days of 1,000 impressions and 40 engagements, 20 days left: r = 0.04; the daily residuals are 0,
        // so the binomial floor rules: Var = w²·(p(1-p)/10,000 + p(1-p)/20,000), w = 20,000/30,000.
        let d = days(&[(40.0, 1000.0); 10]);
        let (so_far, f) = ratio(&d, 20, true).unwrap();
        let pq: f64 = 0.04 * 0.96;
        let sd = (2.0 / 3.0) * (pq / 10_000.0 + pq / 20_000.0).sqrt();
        assert_eq!(so_far, 0.04);
        assert!((f.high - (0.04 + Z90 * sd)).abs() < 1e-12, "{f:?}");
        assert!((f.low - (0.04 - Z90 * sd)).abs() < 1e-12, "{f:?}");
        // Without the binomial floor (a cost per engagement), identical days leave no doubt.
        let (_, exact) = ratio(&d, 20, false).unwrap();
        assert_eq!((exact.low, exact.high), (0.04, 0.04));
    }

    #[test]
    fn a_ratio_uses_the_spread_between_days() {
        // Residuals e = N - r D with r = 0.05: days (30, 1000), (70, 1000) -> e = -20, +20; s² = 800.
        let d = days(&[(30.0, 1000.0), (70.0, 1000.0)]);
        let (r, f) = ratio(&d, 2, false).unwrap();
        assert!((r - 0.05).abs() < 1e-15);
        // d̄ = 1000, D_f = 2000, m = 2, w = 0.5: Var = 0.25 · (800/(2·10⁶) + 800/(2·10⁶)) = 2·10⁻⁴.
        let sd = (0.25f64 * (800.0 / 2e6 + 800.0 / 2e6)).sqrt();
        assert!((f.high - (0.05 + Z90 * sd)).abs() < 1e-12, "{f:?}");
    }

    #[test]
    fn a_ratio_without_days_left_is_exact_and_without_denominator_is_none() {
        let (r, f) = ratio(&days(&[(5.0, 100.0), (15.0, 100.0)]), 0, true).unwrap();
        assert_eq!((r, f.low, f.high), (0.1, 0.1, 0.1));
        assert!(ratio(&days(&[(0.0, 0.0); 3]), 10, true).is_none());
        assert!(ratio(&[], 10, true).is_none());
    }

    #[test]
    fn a_sum_extrapolates_with_the_daily_variance() {
        // Days 0, 100, 200 (mean 100, s² = 10,000), 3 days left: 300 + 300 = 600,
        // Var = 3·10,000 + 9·10,000/3 = 60,000.
        let (sum, f) = cumulative(&[0.0, 100.0, 200.0], 3).unwrap();
        assert_eq!((sum, f.value), (300.0, 600.0));
        let sd = 60_000f64.sqrt();
        assert!((f.high - (600.0 + Z90 * sd)).abs() < 1e-9);
        // 600 - 1.645·245 = 197 is below the 300 already in: the lower end is 300.
        assert_eq!(f.low, 300.0);
        // The lower bound never falls below what is in already.
        let (_, wide) = cumulative(&[0.0, 0.0, 900.0], 30).unwrap();
        assert_eq!(wide.low, 900.0);
    }

    #[test]
    fn a_median_has_the_order_statistic_interval() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        let (m, f) = median(&values, false).unwrap();
        assert_eq!(m, 5.5);
        // n = 10 at 90 %: P(B <= 1) = 11/1024 <= 5 % < P(B <= 2) = 56/1024, so k = 2: (x₍₂₎, x₍₉₎).
        let f = f.unwrap();
        assert_eq!((f.low, f.high), (2.0, 9.0));
        assert!(median(&values[..4], false).unwrap().1.is_none());
        let over = median(&values[..4], true).unwrap().1.unwrap();
        assert_eq!((over.low, over.high), (2.5, 2.5));
    }

    /// Known truth by simulation: days of 2,000 impressions, each engaging with probability 0.03 (binomial via
    /// a fixed-seed generator). The 90 % interval after 10 of 30 days covers the period's realised rate in
    /// about 90 % of 400 simulated months (between 82 % and 97 %).
    #[test]
    fn the_ratio_interval_covers_the_realised_rate() {
        use rand_chacha::rand_core::{RngCore, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(16);
        let mut uniform = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let mut covered = 0;
        let months = 400;
        for _ in 0..months {
            let month: Vec<RatioDay> = (0..30)
                .map(|_| {
                    let impressions = 2000.0;
                    let engaged = (0..2000).filter(|_| uniform() < 0.03).count() as f64;
                    RatioDay { numerator: engaged, denominator: impressions }
                })
                .collect();
            let (_, f) = ratio(&month[..10], 20, true).unwrap();
            let n: f64 = month.iter().map(|d| d.numerator).sum();
            let realised = n / 60_000.0;
            if f.low <= realised && realised <= f.high {
                covered += 1;
            }
        }
        let share = f64::from(covered) / f64::from(months);
        assert!((0.82..=0.97).contains(&share), "coverage {share}");
    }

    proptest! {
        #[test]
        fn ratio_intervals_contain_the_forecast(
            raw in proptest::collection::vec((0u32..500, 0u32..5000), 1..40),
            left in 0u32..90,
        ) {
            let d: Vec<RatioDay> = raw
                .iter()
                .map(|&(n, den)| RatioDay { numerator: f64::from(n.min(den)), denominator: f64::from(den) })
                .collect();
            if let Some((r, f)) = ratio(&d, left, true) {
                prop_assert!(f.low <= r + 1e-12 && r <= f.high + 1e-12, "{f:?}");
                prop_assert!((0.0..=1.0).contains(&f.low) && (0.0..=1.0).contains(&f.high));
                prop_assert!(f.low.is_finite() && f.high.is_finite());
            }
        }

        #[test]
        fn sums_never_forecast_below_what_is_in(
            raw in proptest::collection::vec(0u32..1_000_000, 1..92),
            left in 0u32..92,
        ) {
            let d: Vec<f64> = raw.iter().map(|&x| f64::from(x)).collect();
            let (sum, f) = cumulative(&d, left).unwrap();
            prop_assert!(f.low >= sum && f.low <= f.value && f.value <= f.high);
            if left == 0 {
                prop_assert_eq!((f.low, f.value, f.high), (sum, sum, sum));
            }
        }
    }
}
