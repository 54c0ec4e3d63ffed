//! The inner problem of the fit: for fixed adstock and saturation shapes the model is linear in its
//! coefficients, and with Gaussian priors the posterior mode is the minimum of a positive definite quadratic
//!
//! ```text
//! 1/2 b' A b - c' b   subject to b_j >= 0 for the channel effects,
//! ```
//!
//! solved exactly by an active-set method (Lawson and Hanson's NNLS, generalised to a quadratic with free
//! variables). Dimensions are small (intercept, trend, Fourier terms, controls, channels: tens), so each
//! step is a Cholesky solve of the free block.

use nalgebra::{DMatrix, DVector};

/// Minimises `1/2 b'Ab - c'b` with `b_j >= 0` where `nonneg[j]`. `A` must be symmetric positive definite.
/// Returns `None` only if a free block is not positive definite (the caller regularises).
pub fn solve(a: &DMatrix<f64>, c: &DVector<f64>, nonneg: &[bool]) -> Option<DVector<f64>> {
    solve_from(a, c, nonneg, &[])
}

/// [`solve`], starting with the constrained variables listed in `guess` (indices) off their bound: when the
/// guess is the solution's support, one Cholesky solve finds it. The fit solves a sequence of nearly equal
/// problems (the same design at converging noise levels), whose supports rarely change. The minimum is unique
/// (`A` is positive definite), so the start changes only how fast it is found; a wrong guess is dropped at the
/// first step back inside the feasible region, which leaves the cold start's state.
pub fn solve_from(a: &DMatrix<f64>, c: &DVector<f64>, nonneg: &[bool], guess: &[usize]) -> Option<DVector<f64>> {
    let p = c.len();
    // Free set: every unconstrained variable, the guessed constrained ones, and others as they enter.
    let mut free: Vec<bool> = nonneg.iter().map(|&nn| !nn).collect();
    for &j in guess {
        free[j] = true;
    }
    let mut b = DVector::zeros(p);
    let tol = 1e-12 * (1.0 + c.amax());
    for _outer in 0..(3 * p + 10) {
        // Solve on the free set, then step back inside the feasible region while a constrained value is negative.
        loop {
            let z = solve_free(a, c, &free)?;
            let mut alpha = 1.0_f64;
            let mut blocked = false;
            for j in 0..p {
                if free[j] && nonneg[j] && z[j] <= 0.0 {
                    blocked = true;
                    let denom = b[j] - z[j];
                    if denom > 0.0 {
                        alpha = alpha.min(b[j] / denom);
                    } else {
                        alpha = 0.0;
                    }
                }
            }
            if !blocked {
                b = z;
                break;
            }
            b = &b + (&z - &b) * alpha;
            for j in 0..p {
                if free[j] && nonneg[j] && b[j] <= 1e-14 {
                    free[j] = false;
                    b[j] = 0.0;
                }
            }
        }
        // Optimal when no bound variable wants to grow (its negative gradient is not positive).
        let w = c - a * &b;
        let mut best: Option<(usize, f64)> = None;
        for j in 0..p {
            if !free[j] && w[j] > tol && best.is_none_or(|(_, v)| w[j] > v) {
                best = Some((j, w[j]));
            }
        }
        match best {
            Some((j, _)) => free[j] = true,
            None => return Some(b),
        }
    }
    Some(b)
}

fn solve_free(a: &DMatrix<f64>, c: &DVector<f64>, free: &[bool]) -> Option<DVector<f64>> {
    let idx: Vec<usize> = (0..free.len()).filter(|&j| free[j]).collect();
    let mut out = DVector::zeros(free.len());
    if idx.is_empty() {
        return Some(out);
    }
    let k = idx.len();
    let sub = DMatrix::from_fn(k, k, |r, s| a[(idx[r], idx[s])]);
    let rhs = DVector::from_fn(k, |r, _| c[idx[r]]);
    let chol = sub.cholesky()?;
    let sol = chol.solve(&rhs);
    for (r, &j) in idx.iter().enumerate() {
        out[j] = sol[r];
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// KKT conditions: free variables have zero gradient, bound ones a non-positive pull.
    fn kkt_holds(a: &DMatrix<f64>, c: &DVector<f64>, nonneg: &[bool], b: &DVector<f64>) -> bool {
        let g = c - a * b;
        (0..c.len()).all(|j| {
            let scale = 1e-8 * (1.0 + c.amax());
            if nonneg[j] {
                b[j] >= 0.0 && (b[j] <= 1e-12 && g[j] <= scale || (g[j].abs() <= scale))
            } else {
                g[j].abs() <= scale
            }
        })
    }

    #[test]
    fn unconstrained_is_the_linear_solve() {
        let a = DMatrix::from_row_slice(2, 2, &[2.0, 0.5, 0.5, 1.0]);
        let c = DVector::from_vec(vec![1.0, -2.0]);
        let b = solve(&a, &c, &[false, false]).unwrap();
        let direct = a.clone().cholesky().unwrap().solve(&c);
        assert!((b - direct).amax() < 1e-12);
    }

    #[test]
    fn a_negative_effect_is_held_at_zero() {
        let a = DMatrix::from_row_slice(2, 2, &[2.0, 0.5, 0.5, 1.0]);
        let c = DVector::from_vec(vec![1.0, -2.0]);
        let b = solve(&a, &c, &[false, true]).unwrap();
        assert_eq!(b[1], 0.0);
        assert!((b[0] - 0.5).abs() < 1e-12);
    }

    proptest! {
        #[test]
        fn a_warm_start_finds_the_same_minimum(
            seed in proptest::collection::vec(-1.0f64..1.0, 36),
            c in proptest::collection::vec(-3.0f64..3.0, 6),
            mask in proptest::collection::vec(any::<bool>(), 6),
            guess in proptest::collection::vec(any::<bool>(), 6),
        ) {
            let m = DMatrix::from_row_slice(6, 6, &seed);
            let a = &m * m.transpose() + DMatrix::identity(6, 6) * 0.1;
            let c = DVector::from_vec(c);
            let cold = solve(&a, &c, &mask).unwrap();
            let guess: Vec<usize> = (0..6).filter(|&j| guess[j] && mask[j]).collect();
            let warm = solve_from(&a, &c, &mask, &guess).unwrap();
            prop_assert!(kkt_holds(&a, &c, &mask, &warm), "b = {warm}");
            prop_assert!((&warm - &cold).amax() <= 1e-9 * (1.0 + cold.amax()), "{warm} vs {cold}");
        }

        #[test]
        fn the_solution_satisfies_kkt(
            seed in proptest::collection::vec(-1.0f64..1.0, 36),
            c in proptest::collection::vec(-3.0f64..3.0, 6),
            mask in proptest::collection::vec(any::<bool>(), 6),
        ) {
            let m = DMatrix::from_row_slice(6, 6, &seed);
            let a = &m * m.transpose() + DMatrix::identity(6, 6) * 0.1;
            let c = DVector::from_vec(c);
            let b = solve(&a, &c, &mask).unwrap();
            prop_assert!(kkt_holds(&a, &c, &mask, &b), "b = {b}");
        }
    }
}
