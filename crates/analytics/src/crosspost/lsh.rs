//! Locality-sensitive hashing by banding: a signature of `bands × rows` MinHash values is cut into `bands` bands
//! of `rows` values, and two posts become a *candidate pair* when they agree on every value of at least one band.
//! Only candidates are compared exactly, which is what makes 100,000 posts affordable (Leskovec, Rajaraman &
//! Ullman, *Mining of Massive Datasets*, ch. 3.4).
//!
//! **The S-curve.** Two sets of Jaccard index `s` agree on one band with probability `s^r`, so they become
//! candidates with probability `P(s) = 1 − (1 − s^r)^b`. [`Banding::for_threshold`] picks, among the ways to cut
//! the 100 values, the one with the most rows per band (fewest chance candidates, so the least exact work) whose
//! `P` at the threshold is still at least [`MIN_RECALL_AT_THRESHOLD`]. For the default threshold 0.8 that is
//! 20 bands of 5 rows: `P(0.9) = 1.0000`, `P(0.8) = 0.9996`, `P(0.7) = 0.975`, `P(0.5) = 0.470`, `P(0.3) = 0.048`,
//! `P(0.1) = 0.0002`. A pair above the threshold is missed with probability at most `1 − P(threshold)`.

use super::minhash::SIGNATURE_LEN;
use super::shingles::mix64;
use rayon::prelude::*;

/// The smallest acceptable chance that a pair exactly at the threshold becomes a candidate.
pub const MIN_RECALL_AT_THRESHOLD: f64 = 0.995;

/// How a signature is cut into bands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Banding {
    pub bands: usize,
    pub rows: usize,
}

impl Banding {
    /// The banding for a Jaccard threshold (see the module documentation). A threshold no banding reaches the
    /// target for (below about 0.05) gets one row per band, the most sensitive cut there is.
    pub fn for_threshold(threshold: f64) -> Banding {
        let cuts = (1..=SIGNATURE_LEN).rev().filter(|r| SIGNATURE_LEN.is_multiple_of(*r));
        for rows in cuts {
            let b = Banding { bands: SIGNATURE_LEN / rows, rows };
            if b.candidate_probability(threshold) >= MIN_RECALL_AT_THRESHOLD {
                return b;
            }
        }
        Banding { bands: SIGNATURE_LEN, rows: 1 }
    }

    /// `P(s) = 1 − (1 − s^r)^b`: the chance that two sets of Jaccard index `s` become candidates.
    pub fn candidate_probability(&self, s: f64) -> f64 {
        let s = s.clamp(0.0, 1.0);
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// The Jaccard index where the S-curve is steepest, about `(1/b)^(1/r)`.
    pub fn knee(&self) -> f64 {
        (1.0 / self.bands as f64).powf(1.0 / self.rows as f64)
    }

    /// Every pair `(i, j)`, `i < j`, of signatures that agree on at least one band, sorted, without repeats.
    ///
    /// A band is hashed to 64 bits (the band's number included, so equal values in different bands do not meet);
    /// a 64-bit collision only adds a candidate, which the exact check then rejects.
    pub fn candidates(&self, signatures: &[[u32; SIGNATURE_LEN]]) -> Vec<(u32, u32)> {
        let mut pairs: Vec<(u32, u32)> = (0..self.bands)
            .into_par_iter()
            .flat_map_iter(|band| {
                let mut keys: Vec<(u64, u32)> = signatures
                    .iter()
                    .enumerate()
                    .map(|(i, sig)| (band_key(band, &sig[band * self.rows..(band + 1) * self.rows]), i as u32))
                    .collect();
                keys.sort_unstable();
                let mut out = Vec::new();
                let mut start = 0;
                while start < keys.len() {
                    let mut end = start + 1;
                    while end < keys.len() && keys[end].0 == keys[start].0 {
                        end += 1;
                    }
                    for x in start..end {
                        for y in x + 1..end {
                            out.push((keys[x].1, keys[y].1));
                        }
                    }
                    start = end;
                }
                out.into_iter()
            })
            .collect();
        pairs.par_sort_unstable();
        pairs.dedup();
        pairs
    }
}

fn band_key(band: usize, values: &[u32]) -> u64 {
    let mut h = mix64(band as u64 ^ 0xba4d_5eed);
    for &v in values {
        h = mix64(h ^ u64::from(v));
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crosspost::minhash::MinHasher;
    use crate::crosspost::shingles::{jaccard, mix64};

    #[test]
    fn default_threshold_gets_twenty_bands_of_five() {
        let b = Banding::for_threshold(0.8);
        assert_eq!(b, Banding { bands: 20, rows: 5 });
        // The S-curve numbers of the module documentation and docs/crossposting.md.
        let p = |s: f64| (b.candidate_probability(s) * 10_000.0).round() / 10_000.0;
        assert_eq!([p(0.9), p(0.8), p(0.7), p(0.5), p(0.3), p(0.1)], [1.0, 0.9996, 0.9748, 0.4701, 0.0475, 0.0002]);
        assert!((b.knee() - 0.549).abs() < 0.001);
    }

    #[test]
    fn banding_follows_the_threshold() {
        assert_eq!(Banding::for_threshold(0.5), Banding { bands: 50, rows: 2 });
        assert_eq!(Banding::for_threshold(0.7), Banding { bands: 25, rows: 4 });
        assert_eq!(Banding::for_threshold(1.0), Banding { bands: 1, rows: 100 });
        assert_eq!(Banding::for_threshold(0.01), Banding { bands: 100, rows: 1 });
        for t in [0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95] {
            assert!(Banding::for_threshold(t).candidate_probability(t) >= MIN_RECALL_AT_THRESHOLD, "threshold {t}");
        }
    }

    /// Sets with `common` shared and `only` own members each (Jaccard common / (common + 2·only)).
    fn pair(seed: u64, common: usize, only: usize) -> (Vec<u32>, Vec<u32>) {
        let mut state = seed.wrapping_mul(0x2545_f491_4f6c_dd1d);
        let mut next = || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            (mix64(state) >> 32) as u32
        };
        let shared: Vec<u32> = (0..common).map(|_| next()).collect();
        let (mut a, mut b) = (shared.clone(), shared);
        a.extend((0..only).map(|_| next()));
        b.extend((0..only).map(|_| next()));
        a.sort_unstable();
        b.sort_unstable();
        (a, b)
    }

    /// The share of pairs that become candidates matches the S-curve: 1,000 pairs at each Jaccard value, within
    /// four binomial standard errors (plus 0.01 for the MinHash approximation).
    #[test]
    fn candidate_rate_follows_the_s_curve() {
        let h = MinHasher::default();
        let banding = Banding::for_threshold(0.8);
        for (common, only) in [(100, 5), (100, 13), (100, 21), (60, 30), (50, 50), (20, 60), (25, 2), (25, 5), (12, 3)]
        {
            let n = 1000;
            let mut hits = 0;
            let mut js = 0.0;
            for s in 0..n {
                let (a, b) = pair(s as u64 + 31 * common as u64, common, only);
                js += jaccard(&a, &b);
                let sigs = [h.signature(&a), h.signature(&b)];
                hits += banding.candidates(&sigs).len();
            }
            let j = js / n as f64;
            let expected = banding.candidate_probability(j);
            let rate = hits as f64 / n as f64;
            let se = (expected * (1.0 - expected) / n as f64).sqrt();
            assert!((rate - expected).abs() <= 4.0 * se + 0.01, "J = {j:.3}: rate {rate}, S-curve {expected:.4}");
        }
    }

    #[test]
    fn candidates_are_sorted_unique_and_ordered() {
        let h = MinHasher::default();
        let (a, b) = pair(3, 100, 2);
        let (c, _) = pair(99, 0, 100);
        let sigs = [h.signature(&a), h.signature(&c), h.signature(&b), h.signature(&a)];
        let pairs = Banding::for_threshold(0.8).candidates(&sigs);
        assert_eq!(pairs, vec![(0, 2), (0, 3), (2, 3)]);
    }
}
