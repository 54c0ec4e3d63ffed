//! The least-squares oracle: the best a fit can hope to do on a world short of knowing the noise.
//!
//! It is told the true adstock and saturation parameters of every channel, so the model becomes linear, and
//! estimates only the linear coefficients (intercept, trend, the two Fourier pairs, the controls and the
//! channels' betas) by ordinary least squares on the model's scaled design (`socialledger_mmm::design`),
//! solved by SVD. Its share error is therefore pure estimation noise: the noise of the outcome seen through the
//! collinearity of the inputs (search with campaigns, steady hours with the intercept).
//!
//! A beta estimated below 0 is clamped to 0 afterwards, without refitting (the model forbids negative effects;
//! refitting with non-negative least squares would move the others by little and make the oracle harder to
//! state). Shares are then `beta_m x Σ_t feature_m,t / Σ_j beta_j x Σ_t feature_j,t`.

use crate::{World, WorldsError};
use nalgebra::{DMatrix, DVector};
use socialledger_mmm::design::Design;
use socialledger_mmm::transform::response;

/// Singular values below this fraction of the largest are treated as zero in the solve.
const SVD_EPS: f64 = 1e-12;

/// The oracle's estimates, in scaled space.
#[derive(Clone, Debug, PartialEq)]
pub struct OracleFit {
    /// Coefficients of the design's fixed columns (intercept, trend, Fourier terms, controls).
    pub fixed: Vec<f64>,
    /// Each channel's beta as least squares found it (may be negative).
    pub beta: Vec<f64>,
    /// Contribution shares after clamping negative betas to 0; they sum to 1.
    pub shares: Vec<f64>,
}

/// Fits the oracle to `world`.
pub fn oracle_fit(world: &World) -> Result<OracleFit, WorldsError> {
    let spec = world.spec();
    let design = Design::new(&world.panel, &spec)?;
    let (n, nf, k) = (design.n, design.fixed.len(), design.n_channels());
    let features: Vec<Vec<f64>> = world
        .truth
        .channels
        .iter()
        .zip(&design.x)
        .map(|(c, x)| response(spec.adstock, &c.adstock, spec.l_max, spec.saturation, &c.saturation, x))
        .collect();
    let columns: Vec<&[f64]> =
        design.fixed.iter().map(|c| c.values.as_slice()).chain(features.iter().map(|f| f.as_slice())).collect();
    let x = DMatrix::from_fn(n, nf + k, |t, j| columns[j][t]);
    let y = DVector::from_column_slice(&design.y);
    let coef = x.svd(true, true).solve(&y, SVD_EPS).map_err(WorldsError::LeastSquares)?;
    let beta: Vec<f64> = (0..k).map(|m| coef[nf + m]).collect();
    let contributions: Vec<f64> = beta.iter().zip(&features).map(|(b, f)| b.max(0.0) * f.iter().sum::<f64>()).collect();
    let total: f64 = contributions.iter().sum();
    if total <= 0.0 {
        return Err(WorldsError::NoMediaEffect { seed: world.truth.seed });
    }
    Ok(OracleFit {
        fixed: (0..nf).map(|j| coef[j]).collect(),
        beta,
        shares: contributions.iter().map(|c| c / total).collect(),
    })
}

/// The oracle's contribution shares for `world`, in panel order.
pub fn oracle_shares(world: &World) -> Result<Vec<f64>, WorldsError> {
    oracle_fit(world).map(|f| f.shares)
}
