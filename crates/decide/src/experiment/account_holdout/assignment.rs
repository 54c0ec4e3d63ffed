//! Which accounts are held out: stratified by the outcome before the experiment, so the arms are balanced on
//! what predicts the outcome best. The accounts are ranked by their pre-period outcome (ties, such as the many
//! accounts with none, in random order) and cut into consecutive strata of `size` accounts, of which `held`
//! (drawn at random) are held out, `held / size` as close to the share asked as a stratum of at most 20 allows
//! (1 of 2 for a half). The last, incomplete stratum holds out its share on average.

use crate::DecideError;
use rand::seq::SliceRandom;
use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Accounts per stratum and held out per stratum for `share` (in (0, 1)): the smallest stratum whose share
/// held out is within a point of `share`, else the closest with at most 20 accounts.
pub fn strata(share: f64) -> (usize, usize) {
    let fit = |size: usize| {
        let held = ((share * size as f64).round() as usize).clamp(1, size - 1);
        (size, held, (held as f64 / size as f64 - share).abs())
    };
    if let Some((size, held, _)) = (2..=20).map(fit).find(|(_, _, miss)| *miss <= 0.01) {
        return (size, held);
    }
    let (size, held, _) = (2..=20).map(fit).fold((2, 1, f64::INFINITY), |a, b| if b.2 < a.2 { b } else { a });
    (size, held)
}

/// Per account (in the order of `pre`), whether it is held out: `share` of them, stratified on `pre` (each
/// account's outcome before the experiment), drawn from `seed`.
pub fn stratified(pre: &[f64], share: f64, seed: u64) -> Result<Vec<bool>, DecideError> {
    if !(share > 0.0 && share < 1.0) {
        return Err(DecideError::Invalid(format!("the share held out must be between 0 and 1, not {share}")));
    }
    if pre.iter().any(|v| !v.is_finite()) {
        return Err(DecideError::Invalid("an account's outcome is not a number".into()));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut order: Vec<usize> = (0..pre.len()).collect();
    order.shuffle(&mut rng);
    // A stable sort keeps the random order among ties.
    order.sort_by(|a, b| pre[*b].total_cmp(&pre[*a]));
    let (size, held) = strata(share);
    let mut out = vec![false; pre.len()];
    for stratum in order.chunks(size) {
        let k = if stratum.len() == size {
            held
        } else {
            // The incomplete last stratum holds out its share on average: the whole part, and one more with the
            // probability of the fraction.
            let expected = share * stratum.len() as f64;
            expected.floor() as usize + usize::from(rng.gen_bool(expected.fract().clamp(0.0, 1.0)))
        };
        let mut members = stratum.to_vec();
        members.shuffle(&mut rng);
        for i in members.into_iter().take(k) {
            out[i] = true;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strata_hold_out_the_share_asked() {
        assert_eq!(strata(0.5), (2, 1));
        assert_eq!(strata(0.25), (4, 1));
        assert_eq!(strata(0.2), (5, 1));
        assert_eq!(strata(0.3), (10, 3));
        let (s, h) = strata(0.37);
        assert!(((h as f64 / s as f64) - 0.37).abs() < 0.03, "{h}/{s}");
    }

    #[test]
    fn half_the_accounts_of_every_pair_are_held_out() {
        let pre: Vec<f64> = (0..101).map(|i| if i % 3 == 0 { 0.0 } else { i as f64 * 10.0 }).collect();
        let held = stratified(&pre, 0.5, 7).unwrap();
        let n = held.iter().filter(|h| **h).count();
        assert!(n == 50 || n == 51, "{n}");
        // The arms' pre-period means are close: neighbours in outcome are split.
        let mean = |h: bool| {
            let v: Vec<f64> = pre.iter().zip(&held).filter(|(_, x)| **x == h).map(|(p, _)| *p).collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        assert!((mean(true) - mean(false)).abs() < 0.05 * mean(false), "{} vs {}", mean(true), mean(false));
        assert_ne!(held, stratified(&pre, 0.5, 8).unwrap());
        assert!(stratified(&pre, 1.0, 1).is_err() && stratified(&pre, 0.0, 1).is_err());
    }
}
