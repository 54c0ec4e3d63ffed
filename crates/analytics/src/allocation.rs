//! Apportionment of an integer amount of minor units over shares, by largest remainder, so the parts always
//! add up exactly to the whole.
//!
//! Used for attribution credit (shares are model weights) and for spreading an activity's spend over its
//! months (shares are days). Largest remainder (Hamilton's method): every part gets the floor of its exact
//! quota, and the units left over go one each to the parts with the largest fractional remainders, ties broken
//! by position (earlier first), so the result is deterministic.

/// Splits `amount` minor units in proportion to integer `shares` exactly (i128 arithmetic, no floats).
///
/// Parts of zero shares get zero. When every share is zero (or there are none), nothing can be apportioned and
/// the result is all zeros; callers treat that case before calling. Negative amounts are split as their
/// absolute value and negated, so a refund is apportioned like a spend.
pub fn by_integer_shares(amount: i64, shares: &[u64]) -> Vec<i64> {
    let total: i128 = shares.iter().map(|&s| s as i128).sum();
    if total == 0 {
        return vec![0; shares.len()];
    }
    let sign: i128 = if amount < 0 { -1 } else { 1 };
    let abs = (amount as i128).abs();
    let mut parts: Vec<i128> = Vec::with_capacity(shares.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(shares.len());
    for (i, &s) in shares.iter().enumerate() {
        let exact = abs * s as i128;
        parts.push(exact / total);
        remainders.push((exact % total, i));
    }
    let mut left = abs - parts.iter().sum::<i128>();
    // Largest remainder first; earlier position first on ties.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(r, i) in &remainders {
        if left == 0 {
            break;
        }
        if r > 0 {
            parts[i] += 1;
            left -= 1;
        }
    }
    parts.into_iter().map(|p| (sign * p) as i64).collect()
}

/// Splits `amount` minor units in proportion to non-negative float `weights` (attribution weights) so the parts
/// sum exactly to `amount`.
///
/// Weights are normalised by their sum first, so rounding errors in weights that should sum to 1 do not leak
/// into the money. Negative, NaN or infinite weights count as zero. A part whose weight is zero never receives
/// a unit. When all weights are zero the result is all zeros.
pub fn by_weights(amount: i64, weights: &[f64]) -> Vec<i64> {
    let clean: Vec<f64> = weights.iter().map(|&w| if w.is_finite() && w > 0.0 { w } else { 0.0 }).collect();
    let total: f64 = clean.iter().sum();
    if total <= 0.0 || clean.is_empty() {
        return vec![0; weights.len()];
    }
    let sign: i64 = if amount < 0 { -1 } else { 1 };
    let abs = amount.unsigned_abs() as f64;
    let abs_i = amount.unsigned_abs() as i128;
    let mut parts: Vec<i128> = Vec::with_capacity(clean.len());
    let mut remainders: Vec<(f64, usize)> = Vec::with_capacity(clean.len());
    for (i, &w) in clean.iter().enumerate() {
        let quota = abs * (w / total);
        let floor = quota.floor().clamp(0.0, abs);
        parts.push(floor as i128);
        remainders.push((if w > 0.0 { quota - floor } else { f64::NEG_INFINITY }, i));
    }
    remainders.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let eligible: Vec<usize> = remainders.iter().filter(|r| clean[r.1] > 0.0).map(|r| r.1).collect();
    let mut left = abs_i - parts.iter().sum::<i128>();
    // Floats can leave the floors a unit or so off in either direction; correct one unit at a time, giving to the
    // largest remainders and taking from the smallest ones, only ever touching parts with a positive weight.
    let mut k = 0;
    while left > 0 && !eligible.is_empty() {
        parts[eligible[k % eligible.len()]] += 1;
        left -= 1;
        k += 1;
    }
    let mut k = 0;
    while left < 0 && !eligible.is_empty() {
        let i = eligible[eligible.len() - 1 - (k % eligible.len())];
        if parts[i] > 0 {
            parts[i] -= 1;
            left += 1;
        }
        k += 1;
    }
    parts.into_iter().map(|p| sign * p as i64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn integer_shares_split_exactly() {
        // 100 over 1:1:1 is 33.33 each; the first part (tie) takes the extra unit.
        assert_eq!(by_integer_shares(100, &[1, 1, 1]), vec![34, 33, 33]);
        // 1000 over 31 and 29 days: 516.67 and 483.33 -> 517 and 483.
        assert_eq!(by_integer_shares(1000, &[31, 29]), vec![517, 483]);
        assert_eq!(by_integer_shares(-100, &[1, 1, 1]), vec![-34, -33, -33]);
        assert_eq!(by_integer_shares(5, &[0, 0]), vec![0, 0]);
    }

    #[test]
    fn weights_split_exactly() {
        assert_eq!(by_weights(100, &[0.5, 0.5]), vec![50, 50]);
        assert_eq!(by_weights(10, &[0.4, 0.2, 0.4]), vec![4, 2, 4]);
        // 1 unit over 1/3 each: the first (tie) wins.
        assert_eq!(by_weights(1, &[1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0]), vec![1, 0, 0]);
        assert_eq!(by_weights(7, &[0.0, 1.0]), vec![0, 7]);
    }

    proptest! {
        #[test]
        fn weights_always_sum_to_the_amount(
            amount in -1_000_000_000_000i64..1_000_000_000_000i64,
            weights in proptest::collection::vec(0.0f64..10.0, 1..12),
        ) {
            let parts = by_weights(amount, &weights);
            if weights.iter().any(|&w| w > 0.0) {
                prop_assert_eq!(parts.iter().sum::<i64>(), amount);
            }
            for (p, w) in parts.iter().zip(&weights) {
                if *w == 0.0 { prop_assert_eq!(*p, 0); }
                prop_assert!(p.signum() * amount.signum() >= 0);
            }
        }

        #[test]
        fn integer_shares_always_sum_to_the_amount(
            amount in -1_000_000_000_000i64..1_000_000_000_000i64,
            shares in proptest::collection::vec(0u64..400, 1..14),
        ) {
            let parts = by_integer_shares(amount, &shares);
            if shares.iter().any(|&s| s > 0) {
                prop_assert_eq!(parts.iter().sum::<i64>(), amount);
            }
            let total: u64 = shares.iter().sum();
            for (p, s) in parts.iter().zip(&shares) {
                if total > 0 {
                    // Each part is within one unit of its exact quota.
                    let exact = amount.unsigned_abs() as f64 * *s as f64 / total as f64;
                    prop_assert!((p.unsigned_abs() as f64 - exact).abs() < 1.0 + 1e-6);
                }
            }
        }
    }
}
