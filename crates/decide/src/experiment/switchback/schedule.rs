//! The switchback schedule for a channel the company runs itself: over the experiment's weeks, blocks of
//! `block_weeks` alternate between normal operation and a pause, in pairs whose order is drawn at random (so a
//! trend inside the experiment cannot favour either arm). After every switch the first `washout_weeks` weeks are
//! left out of the comparison: the channel's carry-over is still fading in or out there.
//!
//! The estimate ([`Schedule::contrast`]) is what the channel adds in a normal week against a paused one, once the
//! carry-over has settled: the difference between the arms' analysed weeks in the outcome's deviation from its
//! baseline, net of a linear drift over the experiment.

use crate::DecideError;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// One switchback schedule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pub block_weeks: usize,
    pub washout_weeks: usize,
    /// Per week of the experiment: `true` runs the channel as usual, `false` pauses it.
    pub on: Vec<bool>,
}

impl Schedule {
    /// `pairs` pairs of blocks, each one on and one off block in an order drawn from `rng`.
    pub fn random<R: Rng + ?Sized>(
        pairs: usize,
        block_weeks: usize,
        washout_weeks: usize,
        rng: &mut R,
    ) -> Result<Schedule, DecideError> {
        if pairs == 0 || block_weeks == 0 {
            return Err(DecideError::Invalid("a switchback needs at least one pair of blocks of one week".into()));
        }
        if washout_weeks >= block_weeks {
            return Err(DecideError::Invalid(format!(
                "blocks of {block_weeks} weeks leave nothing to compare after a washout of {washout_weeks} weeks"
            )));
        }
        let mut on = Vec::with_capacity(2 * pairs * block_weeks);
        for _ in 0..pairs {
            let first = rng.gen_bool(0.5);
            for state in [first, !first] {
                on.extend(std::iter::repeat_n(state, block_weeks));
            }
        }
        Ok(Schedule { block_weeks, washout_weeks, on })
    }

    /// Like [`Schedule::random`] from a seed.
    pub fn seeded(pairs: usize, block_weeks: usize, washout_weeks: usize, seed: u64) -> Result<Schedule, DecideError> {
        Schedule::random(pairs, block_weeks, washout_weeks, &mut ChaCha8Rng::seed_from_u64(seed))
    }

    pub fn weeks(&self) -> usize {
        self.on.len()
    }

    /// Whether week `t` is compared: not within `washout_weeks` of a switch. The weeks before the experiment
    /// are normal weeks, so an experiment that starts "on" needs no washout.
    pub fn analysed(&self) -> Vec<bool> {
        let mut since_switch = usize::MAX;
        let mut previous = true;
        self.on
            .iter()
            .map(|&state| {
                if state != previous {
                    since_switch = 0;
                    previous = state;
                } else {
                    since_switch = since_switch.saturating_add(1);
                }
                since_switch >= self.washout_weeks
            })
            .collect()
    }

    /// Analysed weeks on and off.
    pub fn counts(&self) -> (usize, usize) {
        let a = self.analysed();
        let on = self.on.iter().zip(&a).filter(|(o, a)| **o && **a).count();
        let off = self.on.iter().zip(&a).filter(|(o, a)| !**o && **a).count();
        (on, off)
    }

    /// The effect of running the channel in `values` (deviations of the outcome from its baseline): the
    /// coefficient of "on" in a least-squares fit of the analysed weeks on intercept, a linear trend over the
    /// experiment and "on". The trend takes out what the baseline's forecast gets wrong as it runs further from
    /// the history (a slope fitted on the past drifts); without it the placebo spread, measured on the history
    /// the baseline was fitted to, would understate the noise of a forecast. `None` when an arm has no analysed
    /// week or the three cannot be told apart.
    pub fn contrast(&self, values: &[f64]) -> Option<f64> {
        let w = self.weights()?;
        Some(w.iter().zip(values).map(|(a, v)| a * v).sum())
    }

    /// The contrast is linear in the weekly values: `contrast = sum_t weights_t x values_t` (zero weight for
    /// the washout weeks). The plan uses the weights for the contrast's exact variance under autocorrelated
    /// noise.
    pub fn weights(&self) -> Option<Vec<f64>> {
        let a = self.analysed();
        let n = self.on.len().max(1) as f64;
        let row = |t: usize| [1.0, t as f64 / n - 0.5, if self.on[t] { 1.0 } else { 0.0 }];
        let mut xtx = [[0.0_f64; 3]; 3];
        let (mut n_on, mut n_off) = (0usize, 0usize);
        for t in (0..self.on.len()).filter(|t| a[*t]) {
            if self.on[t] {
                n_on += 1;
            } else {
                n_off += 1;
            }
            let x = row(t);
            for i in 0..3 {
                for j in 0..3 {
                    xtx[i][j] += x[i] * x[j];
                }
            }
        }
        if n_on == 0 || n_off == 0 {
            return None;
        }
        // The third row of (X'X)^-1 (X'X is symmetric): the coefficient of "on" is that row times X'y.
        let z = solve3(xtx, [0.0, 0.0, 1.0])?;
        Some(
            (0..self.on.len())
                .map(|t| if a[t] { row(t).iter().zip(&z).map(|(x, z)| x * z).sum() } else { 0.0 })
                .collect(),
        )
    }
}

/// Solves a symmetric 3 x 3 system by Cramer's rule; `None` when it is (numerically) singular.
fn solve3(m: [[f64; 3]; 3], b: [f64; 3]) -> Option<[f64; 3]> {
    let det3 = |m: &[[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det3(&m);
    let scale = m.iter().flatten().fold(0.0_f64, |a, v| a.max(v.abs()));
    if d.is_nan() || d.abs() <= 1e-10 * scale.powi(3) {
        return None;
    }
    let mut out = [0.0; 3];
    for (k, o) in out.iter_mut().enumerate() {
        let mut mk = m;
        for i in 0..3 {
            mk[i][k] = b[i];
        }
        *o = det3(&mk) / d;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_washout_follows_every_switch_and_not_the_start_of_a_normal_block() {
        let s = Schedule {
            block_weeks: 3,
            washout_weeks: 2,
            on: vec![true, true, true, false, false, false, false, false, false, true, true, true],
        };
        let a = s.analysed();
        assert_eq!(a, vec![true, true, true, false, false, true, true, true, true, false, false, true]);
        assert_eq!(s.counts(), (4, 4));
        // A step of 3 on a trend: the contrast is the step, whatever the trend.
        let values: Vec<f64> =
            s.on.iter().enumerate().map(|(t, o)| 0.7 * t as f64 + if *o { 5.0 } else { 2.0 }).collect();
        assert!((s.contrast(&values).unwrap() - 3.0).abs() < 1e-9);
    }

    proptest! {
        #[test]
        fn every_pair_has_one_block_on_and_one_off(pairs in 1usize..10, block in 1usize..6, seed in 0u64..1000) {
            let s = Schedule::seeded(pairs, block, block - 1, seed).unwrap();
            prop_assert_eq!(s.weeks(), 2 * pairs * block);
            for pair in s.on.chunks(2 * block) {
                prop_assert_eq!(pair.iter().filter(|o| **o).count(), block);
            }
            // A straight line has no contrast.
            let line: Vec<f64> = (0..s.weeks()).map(|t| 7.0 - 0.3 * t as f64).collect();
            prop_assert!(s.contrast(&line).is_none_or(|c| c.abs() < 1e-9));
        }
    }

    #[test]
    fn impossible_schedules_are_refused() {
        assert!(Schedule::seeded(0, 4, 1, 1).is_err());
        assert!(Schedule::seeded(2, 3, 3, 1).is_err());
    }
}
