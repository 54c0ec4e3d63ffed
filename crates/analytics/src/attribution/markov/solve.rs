//! Absorption probabilities of an [`AbsorbingChain`], solved by Gauss-Seidel sweeps: the probability (and the
//! expected value) of ending in conversion from every state, and how much of it passes through each channel.
//!
//! For transient states the absorption probabilities solve `x = P x + b` with `b(s) = P(s -> conversion)`; the
//! expected conversion value solves the same system with `b(s) = P(s -> conversion) * mean value`. Both are solved
//! together (two right-hand sides, one pass over the matrix).
//!
//! Removal of channel c redirects every transition into a state that holds c to null. The conversion probability
//! lost that way is exactly the probability of converting *after visiting* c, so instead of solving the
//! redirected chain and subtracting (which loses digits when c matters little) we solve for
//! `z(s) = P(visit c, then convert | s)`: `z(s) = x(s)` on the states holding c and `z = P z` elsewhere. The
//! removal effect of c is `z(start) / x(start)`, the share of conversions whose path visits c; it is what
//! ChannelAttribution estimates by simulation (the fraction of simulated converting paths that visit c).
//!
//! Stopping rule: sweeps continue until the largest change of a sweep is at most `TOLERANCE` (1e-13) relative to
//! the largest value, and the error that remains, bounded by `change * r / (1 - r)` with `r` the ratio of the last
//! two changes (the observed contraction rate), is below the same tolerance. A change below 1e-15 relative is
//! rounding noise and stops the sweeps too. After [`MAX_SWEEPS`] sweeps the solve fails with
//! [`AnalyticsError::NotConverged`]. Starting from zero, the iterates increase monotonically to the solution
//! (every coefficient is non-negative), so a stopped iterate is never above the truth.

use super::chain::AbsorbingChain;
use crate::attribution::paths::ChannelId;
use crate::AnalyticsError;

/// Relative change (and estimated remaining error) at which the sweeps stop.
pub const TOLERANCE: f64 = 1e-13;

/// Relative change that is rounding noise in double precision: sweeps stop there whatever the estimate says.
const NOISE: f64 = 1e-15;

/// Sweeps allowed before the solve fails; chains of real paths need tens to a few hundred.
pub const MAX_SWEEPS: usize = 20_000;

/// The absorption probabilities (`[conversion, value]`) of every transient state, and the sweeps it took.
#[derive(Clone, Debug)]
pub(crate) struct Absorption {
    pub x: Vec<[f64; 2]>,
    pub sweeps: usize,
}

impl AbsorbingChain {
    /// The probability that a journey converts, and the expected conversion value per journey, from the start.
    pub(crate) fn absorbed_from_start(&self, x: &[[f64; 2]]) -> [f64; 2] {
        let mut acc = [self.start_conversion, self.start_value];
        for &(s, p) in &self.start {
            acc[0] += p * x[s as usize][0];
            acc[1] += p * x[s as usize][1];
        }
        acc
    }

    /// Solves `x = P x + b` for conversion and value from zero.
    pub(crate) fn absorption(&self) -> Result<Absorption, AnalyticsError> {
        let mut x = vec![[0.0; 2]; self.states()];
        let sweeps = self.sweep_until_converged(&mut x, Some(&self.rhs), None, None)?;
        Ok(Absorption { x, sweeps })
    }

    /// `[P(visit channel, convert), E(value; visit channel, convert)]` from the start, given the absorption
    /// probabilities `x` of the whole chain, and the sweeps it took.
    pub(crate) fn through_channel(
        &self,
        channel: ChannelId,
        full: &Absorption,
    ) -> Result<([f64; 2], usize), AnalyticsError> {
        let holds: Vec<bool> = self.keys.iter().map(|k| k.contains(channel)).collect();
        if !holds.iter().any(|&h| h) {
            return Ok(([0.0; 2], 0));
        }
        let mut z: Vec<[f64; 2]> = full.x.iter().zip(&holds).map(|(&x, &h)| if h { x } else { [0.0; 2] }).collect();
        let scale = max_abs(&full.x);
        let sweeps = self.sweep_until_converged(&mut z, None, Some(&holds), Some(scale))?;
        let mut acc = [0.0; 2];
        for &(s, p) in &self.start {
            acc[0] += p * z[s as usize][0];
            acc[1] += p * z[s as usize][1];
        }
        Ok((acc, sweeps))
    }

    /// Gauss-Seidel sweeps over the states in their numbering (fewest steps to absorption first): every state
    /// not `fixed` gets `stay * (rhs + sum_t P(s,t) x(t))`. `scale` is the size the changes are measured against
    /// (the largest current value when `None`).
    fn sweep_until_converged(
        &self,
        x: &mut [[f64; 2]],
        rhs: Option<&[[f64; 2]]>,
        fixed: Option<&[bool]>,
        scale: Option<[f64; 2]>,
    ) -> Result<usize, AnalyticsError> {
        let n = self.states();
        let mut previous = f64::INFINITY;
        for sweep in 1..=MAX_SWEEPS {
            let mut change = [0.0f64; 2];
            for s in 0..n {
                if fixed.is_some_and(|f| f[s]) {
                    continue;
                }
                let mut acc = rhs.map_or([0.0; 2], |b| b[s]);
                let (a, z) = (self.row_ptr[s], self.row_ptr[s + 1]);
                for (&t, &p) in self.col[a..z].iter().zip(&self.prob[a..z]) {
                    let xt = x[t as usize];
                    acc[0] += p * xt[0];
                    acc[1] += p * xt[1];
                }
                let stay = self.stay[s];
                let new = [acc[0] * stay, acc[1] * stay];
                change[0] = change[0].max((new[0] - x[s][0]).abs());
                change[1] = change[1].max((new[1] - x[s][1]).abs());
                x[s] = new;
            }
            let scale = scale.unwrap_or_else(|| max_abs(x));
            let rel = |j: usize| if change[j] == 0.0 { 0.0 } else { change[j] / scale[j] };
            let relative = rel(0).max(rel(1));
            if relative <= NOISE {
                return Ok(sweep);
            }
            if relative <= TOLERANCE {
                let rate = relative / previous;
                if rate < 1.0 && relative * rate / (1.0 - rate) <= TOLERANCE {
                    return Ok(sweep);
                }
            }
            if !relative.is_finite() {
                break;
            }
            previous = relative;
        }
        Err(AnalyticsError::NotConverged {
            model: "markov",
            iterations: MAX_SWEEPS,
            detail: format!(
                "the absorption probabilities still changed by more than {TOLERANCE:e} (relative) per sweep; the \
                 chain has long cycles that journeys rarely leave"
            ),
        })
    }
}

/// The largest absolute value of each component.
fn max_abs(x: &[[f64; 2]]) -> [f64; 2] {
    x.iter().fold([0.0f64; 2], |m, v| [m[0].max(v[0].abs()), m[1].max(v[1].abs())])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two channels A (0), B (1): start -> A 0.6, -> B 0.4; A -> B 0.5, A -> conversion 0.2 (value 10);
    /// B -> A 0.3, B -> conversion 0.4 (value 25); the rest goes to null.
    fn two() -> AbsorbingChain {
        AbsorbingChain::first_order(&[0.6, 0.4], &[vec![0.0, 0.5], vec![0.3, 0.0]], &[0.2, 0.4], &[10.0, 25.0]).unwrap()
    }

    #[test]
    fn two_channel_chain_matches_the_closed_form() {
        let chain = two();
        let full = chain.absorption().unwrap();
        // x_A = 0.2 + 0.5 x_B, x_B = 0.4 + 0.3 x_A  =>  x_A = (0.2 + 0.5 * 0.4) / (1 - 0.15) = 0.4 / 0.85.
        let xa = 0.4 / 0.85;
        let xb = 0.4 + 0.3 * xa;
        let p = 0.6 * xa + 0.4 * xb;
        let [conv, _] = chain.absorbed_from_start(&full.x);
        assert!((conv - p).abs() < 1e-14, "{conv} vs {p}");
        // Visiting A then converting: from A it is x_A; from B it is 0.3 x_A.
        let (through_a, _) = chain.through_channel(0, &full).unwrap();
        let expect_a = 0.6 * xa + 0.4 * 0.3 * xa;
        assert!((through_a[0] - expect_a).abs() < 1e-14);
        // Removing A redirects start -> A and B -> A to null: what is left is start -> B -> conversion.
        assert!(((p - through_a[0]) - 0.4 * 0.4).abs() < 1e-14);
        // Value: v_A = 0.2 * 10 + 0.5 v_B, v_B = 0.4 * 25 + 0.3 v_A.
        let va = (2.0 + 0.5 * 10.0) / 0.85;
        let vb = 10.0 + 0.3 * va;
        let [_, value] = chain.absorbed_from_start(&full.x);
        assert!((value - (0.6 * va + 0.4 * vb)).abs() < 1e-12);
    }

    #[test]
    fn self_loops_do_not_change_absorption() {
        // A stays on A with 0.5: the embedded chain without the loop doubles A's other probabilities.
        let looped =
            AbsorbingChain::first_order(&[1.0, 0.0], &[vec![0.5, 0.25], vec![0.0, 0.0]], &[0.1, 0.5], &[1.0, 1.0])
                .unwrap();
        let plain =
            AbsorbingChain::first_order(&[1.0, 0.0], &[vec![0.0, 0.5], vec![0.0, 0.0]], &[0.2, 0.5], &[1.0, 1.0])
                .unwrap();
        let a = looped.absorbed_from_start(&looped.absorption().unwrap().x);
        let b = plain.absorbed_from_start(&plain.absorption().unwrap().x);
        assert!((a[0] - b[0]).abs() < 1e-15 && (a[0] - (0.2 + 0.5 * 0.5)).abs() < 1e-15);
    }

    #[test]
    fn a_chain_that_never_ends_does_not_converge() {
        // A <-> B forever with a vanishing exit: the sweeps cannot reach the tolerance in time.
        let chain = AbsorbingChain::first_order(
            &[1.0, 0.0],
            &[vec![0.0, 1.0 - 1e-9], vec![1.0 - 1e-9, 0.0]],
            &[1e-9, 1e-9],
            &[1.0, 1.0],
        )
        .unwrap();
        assert!(matches!(chain.absorption().unwrap_err(), AnalyticsError::NotConverged { model: "markov", .. }));
    }
}
