//! MinHash signatures: `K` independent hash functions, each keeping the smallest hash over a set's members, so
//! that two sets agree in one position with probability equal to their Jaccard index (Broder 1997, "On the
//! resemblance and containment of documents").
//!
//! **Hash family.** `h_i(x) = (a_i · x + b_i) mod 2^64 >> 32` for a 32-bit member `x`, `a_i` odd: Dietzfelbinger's
//! multiply-add-shift scheme, strongly universal from 32 to 32 bits. It is not min-wise independent in theory;
//! the property tests below check that in practice the share of agreeing positions estimates the Jaccard index
//! without bias (mean error within 0.01 over many pairs) and with the binomial spread `√(J(1−J)/K)`. The members
//! are themselves mixed hashes of shingles ([`super::shingles`]), which is what such schemes need.
//!
//! The coefficients come from SplitMix64 over a fixed seed: signatures are the same on every machine and run.

use super::shingles::mix64;

/// Hash functions per signature (`bands × rows` of [`super::lsh::Banding`]).
pub const SIGNATURE_LEN: usize = 100;

/// The fixed coefficients of the `SIGNATURE_LEN` hash functions.
#[derive(Clone, Debug)]
pub struct MinHasher {
    a: [u64; SIGNATURE_LEN],
    b: [u64; SIGNATURE_LEN],
}

impl Default for MinHasher {
    fn default() -> Self {
        Self::with_seed(0x5eed_c055_9057)
    }
}

impl MinHasher {
    /// Coefficients drawn from SplitMix64 started at `seed` (`a` forced odd).
    pub fn with_seed(seed: u64) -> Self {
        let mut state = seed;
        let mut next = || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            mix64(state)
        };
        let mut a = [0u64; SIGNATURE_LEN];
        let mut b = [0u64; SIGNATURE_LEN];
        for i in 0..SIGNATURE_LEN {
            a[i] = next() | 1;
            b[i] = next();
        }
        MinHasher { a, b }
    }

    /// The signature of a set of 32-bit members: per hash function, the minimum over the members. An empty set
    /// gives all `u32::MAX` (callers leave empty texts out before comparing).
    pub fn signature(&self, members: &[u32]) -> [u32; SIGNATURE_LEN] {
        let mut sig = [u32::MAX; SIGNATURE_LEN];
        for &x in members {
            let x = u64::from(x);
            // One pass over the coefficients per member: a loop the compiler vectorises.
            for ((s, &a), &b) in sig.iter_mut().zip(&self.a).zip(&self.b) {
                let h = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
                *s = (*s).min(h);
            }
        }
        sig
    }
}

/// The MinHash estimate of the Jaccard index: the share of positions where two signatures agree.
pub fn estimate(a: &[u32; SIGNATURE_LEN], b: &[u32; SIGNATURE_LEN]) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / SIGNATURE_LEN as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crosspost::shingles::jaccard;
    use proptest::prelude::*;

    /// Two sets with exactly `common` shared members and `only` members of their own each, drawn from a
    /// SplitMix64 stream so the members look like shingle hashes. Jaccard = common / (common + 2·only).
    fn pair(seed: u64, common: usize, only: usize) -> (Vec<u32>, Vec<u32>) {
        let mut state = seed;
        let mut next = || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            (mix64(state) >> 32) as u32
        };
        let shared: Vec<u32> = (0..common).map(|_| next()).collect();
        let mut a = shared.clone();
        let mut b = shared;
        a.extend((0..only).map(|_| next()));
        b.extend((0..only).map(|_| next()));
        for s in [&mut a, &mut b] {
            s.sort_unstable();
            s.dedup();
        }
        (a, b)
    }

    #[test]
    fn identical_sets_agree_everywhere_and_disjoint_sets_almost_nowhere() {
        let h = MinHasher::default();
        let (a, b) = pair(7, 0, 200);
        assert_eq!(estimate(&h.signature(&a), &h.signature(&a)), 1.0);
        assert!(estimate(&h.signature(&a), &h.signature(&b)) <= 0.03);
        assert_eq!(h.signature(&[]), [u32::MAX; SIGNATURE_LEN]);
    }

    /// Unbiasedness: over 400 pairs at each of several true Jaccard values, the mean estimate is within 0.01
    /// of the truth (the standard error of that mean is √(J(1−J)/K)/√400 ≤ 0.0025, so 0.01 is four of them),
    /// and the spread of single estimates matches the binomial √(J(1−J)/K) within 20 %.
    #[test]
    fn the_estimate_is_unbiased_with_binomial_spread() {
        let h = MinHasher::default();
        for (common, only) in [(150, 0), (120, 15), (90, 30), (60, 45), (30, 60), (10, 70)] {
            let truth = common as f64 / (common + 2 * only) as f64;
            let estimates: Vec<f64> = (0..400u64)
                .map(|s| {
                    let (a, b) = pair(1000 + s, common, only);
                    assert!((jaccard(&a, &b) - truth).abs() < 0.02, "hash collisions in the test sets");
                    estimate(&h.signature(&a), &h.signature(&b))
                })
                .collect();
            let mean = estimates.iter().sum::<f64>() / estimates.len() as f64;
            let sd = (estimates.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / (estimates.len() - 1) as f64).sqrt();
            let binomial = (truth * (1.0 - truth) / SIGNATURE_LEN as f64).sqrt();
            assert!((mean - truth).abs() < 0.01, "J = {truth}: mean estimate {mean}");
            if truth < 1.0 {
                assert!((sd / binomial - 1.0).abs() < 0.2, "J = {truth}: sd {sd}, binomial {binomial}");
            } else {
                assert_eq!(sd, 0.0);
            }
        }
    }

    proptest! {
        #[test]
        fn signatures_do_not_depend_on_member_order(mut members in prop::collection::vec(any::<u32>(), 1..80)) {
            let h = MinHasher::default();
            let sig = h.signature(&members);
            members.reverse();
            prop_assert_eq!(sig, h.signature(&members));
            // Each position is the minimum of its own hash function over the members (a reference computation).
            for i in [0, SIGNATURE_LEN / 2, SIGNATURE_LEN - 1] {
                let min = members.iter().map(|&x| (h.a[i].wrapping_mul(u64::from(x)).wrapping_add(h.b[i]) >> 32) as u32).min();
                prop_assert_eq!(Some(sig[i]), min);
            }
        }

        #[test]
        fn a_superset_never_raises_a_position(members in prop::collection::vec(any::<u32>(), 1..60),
                                              extra in prop::collection::vec(any::<u32>(), 0..20)) {
            let h = MinHasher::default();
            let small = h.signature(&members);
            let mut all = members.clone();
            all.extend(extra);
            let big = h.signature(&all);
            prop_assert!(small.iter().zip(&big).all(|(s, b)| b <= s));
        }
    }
}
