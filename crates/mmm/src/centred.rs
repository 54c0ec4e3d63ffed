//! Coordinates in which NUTS samples a mix model more easily than in the model's own `z`: the same posterior,
//! reparameterised so that its two strongest correlations are gone before the sampler's mass matrix (one scale
//! per coordinate) has to cope with them. Only the sampler moves in them; its draws are mapped back to `z`, so
//! diagnostics, summaries and everything downstream see the model's own parameters.
//!
//! `w` differs from `z` = `[fixed | per channel: ln beta, adstock, saturation | ln sigma]` in two kinds of slot:
//!
//! - **Each channel's ln beta becomes `c = ln beta + ln F`**, where `F = mean_t f_t` is the mean of the channel's
//!   saturated adstock at its current shape parameters, so `e^c` is the channel's mean contribution per period.
//!   The data pin that contribution down far better than beta itself: with a logistic saturation a smaller lam
//!   (a flatter curve, smaller `f`) is compensated by a larger beta, and in `(ln beta, ln lam)` the posterior is
//!   a narrow curved ridge (a banana) whose curvature changes along it. A diagonal mass matrix cannot follow
//!   it, the adapted step is too long for the tight end, and the sampler diverges there. In `(c, ln lam)` the
//!   ridge is nearly axis-aligned.
//! - **The intercept becomes the mean level of the whole mean, `b_0 + sum_j mean(x_j) b_j + sum_m e^c_m`**, over
//!   the other fixed columns (trend, Fourier terms, controls) and the channels' mean contributions. A column
//!   with a non-zero mean moves the level and the intercept compensates (the intercept and the trend
//!   coefficient, for one, are strongly anti-correlated); so does every channel, an always-on one most of all,
//!   and against `c` that compensation is curved (`b_0 = const - e^c`). The mean level is what the data
//!   determine; given it, the other coefficients only tilt and shape the baseline and the channels share it.
//!
//! Both maps are unit triangular: ordering `w` as (other fixed, shapes, ln sigma, c, level), each coordinate of
//! `z` in the same order (ln beta for c, the intercept for the level) is its counterpart plus a function of
//! coordinates earlier in that order. The Jacobian determinant
//! is therefore 1, and the log density in `w` is the model's log density at the corresponding `z`, with no
//! extra term ([`Centred::LOG_JACOBIAN`]; the tests check it against a finite-difference determinant).

use crate::design::FixedKind;
use crate::nuts::{self, LogDensity, NutsSettings, Posterior};
use crate::{MmmError, Model};

/// A [`Model`] seen in the centred coordinates `w`.
pub struct Centred<'a> {
    model: &'a Model,
    /// The intercept's index in `z`, if the design has one.
    intercept: Option<usize>,
    /// Mean of every fixed column over the periods (the intercept's own entry is unused).
    column_means: Vec<f64>,
}

impl<'a> Centred<'a> {
    /// ln |det dz/dw|: both maps are unit triangular (module doc), so 0 everywhere.
    pub const LOG_JACOBIAN: f64 = 0.0;

    pub fn new(model: &'a Model) -> Centred<'a> {
        let d = &model.design;
        Centred {
            model,
            intercept: d.fixed.iter().position(|c| c.kind == FixedKind::Intercept),
            column_means: d.fixed.iter().map(|c| c.values.iter().sum::<f64>() / d.n.max(1) as f64).collect(),
        }
    }

    /// Mean feature `F` of every channel at the shape parameters of `v` (a `z` or a `w`: they share those slots).
    fn channel_means(&self, v: &[f64]) -> Vec<f64> {
        let p = self.model.params(v);
        (0..self.model.n_channels())
            .map(|m| {
                let f = self.model.channel_feature(m, &p.adstock[m], &p.saturation[m]);
                f.iter().sum::<f64>() / f.len().max(1) as f64
            })
            .collect()
    }

    /// The level of the fixed coefficients `b` minus the intercept's own term.
    fn level_shift(&self, b: &[f64], i0: usize) -> f64 {
        b.iter().zip(&self.column_means).enumerate().filter(|(j, _)| *j != i0).map(|(_, (b, m))| b * m).sum()
    }

    /// `w` from the model's `z`.
    pub fn to_w(&self, z: &[f64]) -> Vec<f64> {
        let mut w = z.to_vec();
        for (m, f) in self.channel_means(z).into_iter().enumerate() {
            w[self.model.channel_offset(m)] += f.ln();
        }
        if let Some(i0) = self.intercept {
            let shift = self.level_shift(&z[..self.model.n_fixed()], i0) + self.media_level(&w);
            w[i0] += shift;
        }
        w
    }

    /// The model's `z` from `w`.
    pub fn to_z(&self, w: &[f64]) -> Vec<f64> {
        let mut z = w.to_vec();
        self.fixed_to_z(w, &mut z);
        for (m, f) in self.channel_means(w).into_iter().enumerate() {
            z[self.model.channel_offset(m)] -= f.ln();
        }
        z
    }

    /// The channels' share of the level: the sum of their mean contributions `e^c`.
    fn media_level(&self, w: &[f64]) -> f64 {
        (0..self.model.n_channels()).map(|m| w[self.model.channel_offset(m)].exp()).sum()
    }

    /// The intercept from the level (the only fixed slot that differs).
    fn fixed_to_z(&self, w: &[f64], z: &mut [f64]) {
        if let Some(i0) = self.intercept {
            z[i0] = w[i0] - self.level_shift(&w[..self.model.n_fixed()], i0) - self.media_level(w);
        }
    }

    /// Samples the model in `w`, starting near `z0` (mapped to `w`), and returns the draws mapped back to `z`.
    pub fn sample(&self, z0: Option<&[f64]>, settings: &NutsSettings) -> Result<Posterior, MmmError> {
        let w0 = z0.map(|z| self.to_w(z));
        let mut post = nuts::sample(self, w0.as_deref(), settings)?;
        for chain in &mut post.draws {
            for draw in chain.iter_mut() {
                *draw = self.to_z(draw);
            }
        }
        Ok(post)
    }
}

impl LogDensity for Centred<'_> {
    fn dim(&self) -> usize {
        self.model.dim()
    }

    /// The model's log density at `z(w)` and its gradient by the chain rule through `dz/dw`.
    fn logp_grad(&self, w: &[f64], grad: &mut [f64]) -> f64 {
        let model = self.model;
        let pc = model.per_channel();
        // The ln-beta slots keep `c`: the model subtracts ln F itself, from the feature it computes anyway.
        let mut z = w.to_vec();
        self.fixed_to_z(w, &mut z);
        let mut means = vec![0.0; model.n_channels() * pc];
        let lp = model.logp_grad_log_mean(&z, grad, &mut means);
        // intercept = level - sum_j mean_j b_j - sum_m e^c_m: d/db_j = d/db_j|z - mean_j d/dintercept,
        // d/dlevel = d/dintercept, and d/dc_m gains -e^c_m d/dintercept.
        let g0 = self.intercept.map_or(0.0, |i0| grad[i0]);
        if let Some(i0) = self.intercept {
            for (j, m) in self.column_means.iter().enumerate() {
                if j != i0 {
                    grad[j] -= m * g0;
                }
            }
        }
        // ln beta = c - ln F(shapes): d/dshape_k = d/dshape_k|z - (dF/dshape_k / F) d/dln beta; d/dc = d/dln beta
        // (plus the level's term above).
        for m in 0..model.n_channels() {
            let o = model.channel_offset(m);
            let mv = &means[m * pc..(m + 1) * pc];
            for k in 1..pc {
                grad[o + k] -= mv[k] / mv[0] * grad[o];
            }
            grad[o] -= w[o].exp() * g0;
        }
        lp
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::{Frequency, Panel};
    use crate::spec::{AdstockKind, ModelSpec, SaturationKind};
    use crate::{Prior, Priors};
    use nalgebra::DMatrix;

    /// Two channels (one always on, one in bursts), a control with a non-zero mean, 60 weeks.
    fn panel() -> Panel {
        let n = 60;
        let x1: Vec<f64> = (0..n).map(|t| 1.0 + ((t * 37 % 11) as f64) / 3.0).collect();
        let x2: Vec<f64> = (0..n).map(|t| if t % 9 < 2 { 5.0 + t as f64 / 10.0 } else { 0.0 }).collect();
        let target = (0..n).map(|t| 100.0 + 3.0 * x1[t] + 2.0 * x2[t] + (t % 5) as f64).collect();
        let price = (0..n).map(|t| 2.0 + (t % 4) as f64 + f64::from(t == 20)).collect();
        crate::test_panels::weekly(target, vec![("a", x1), ("b", x2)], vec![("price", price)])
    }

    fn models() -> Vec<Model> {
        let mut out = Vec::new();
        for adstock in [AdstockKind::Geometric, AdstockKind::WeibullPdf, AdstockKind::WeibullCdf] {
            for saturation in [SaturationKind::Logistic, SaturationKind::Hill] {
                let spec = ModelSpec { adstock, saturation, ..ModelSpec::default_for(Frequency::Weekly) };
                let priors = Priors { fourier: Prior::Normal { mu: 0.0, sigma: 0.3 }, ..Priors::default() };
                out.push(Model::new(&panel(), &spec, &priors).unwrap());
            }
        }
        out
    }

    /// A point of moderate values, different in every coordinate.
    fn point(dim: usize, shift: f64) -> Vec<f64> {
        (0..dim).map(|i| 0.3 * ((i * 7 % 5) as f64 - 2.0) / 2.0 - 0.2 + shift).collect()
    }

    fn logp(d: &Centred, w: &[f64]) -> f64 {
        let mut g = vec![0.0; w.len()];
        d.logp_grad(w, &mut g)
    }

    #[test]
    fn the_design_has_an_intercept_and_a_column_with_a_nonzero_mean() {
        // Otherwise the level map would be the identity and the tests below would not exercise it.
        let model = &models()[0];
        let c = Centred::new(model);
        let i0 = c.intercept.unwrap();
        assert!(c.column_means.iter().enumerate().any(|(j, m)| j != i0 && m.abs() > 0.5));
    }

    #[test]
    fn gradient_matches_finite_differences_for_every_transform() {
        for model in models() {
            let c = Centred::new(&model);
            for shift in [0.0, 0.4] {
                let w = point(model.dim(), shift);
                let mut g = vec![0.0; w.len()];
                let lp = c.logp_grad(&w, &mut g);
                assert!(lp.is_finite());
                for i in 0..w.len() {
                    let h = 1e-6;
                    let (mut up, mut dn) = (w.clone(), w.clone());
                    up[i] += h;
                    dn[i] -= h;
                    let fd = (logp(&c, &up) - logp(&c, &dn)) / (2.0 * h);
                    assert!(
                        (g[i] - fd).abs() < 1e-4 * (1.0 + fd.abs()),
                        "{:?}/{:?} w[{i}]: {} vs {fd}",
                        model.spec.adstock,
                        model.spec.saturation,
                        g[i]
                    );
                }
            }
        }
    }

    #[test]
    fn z_to_w_and_back_is_the_identity() {
        for model in models() {
            let c = Centred::new(&model);
            let z = point(model.dim(), 0.1);
            let w = c.to_w(&z);
            assert!(w.iter().zip(&z).any(|(a, b)| (a - b).abs() > 0.1), "the map is not the identity");
            let back = c.to_z(&w);
            for (a, b) in z.iter().zip(&back) {
                assert!((a - b).abs() < 1e-12, "{a} vs {b}");
            }
            let again = c.to_w(&c.to_z(&w));
            for (a, b) in w.iter().zip(&again) {
                assert!((a - b).abs() < 1e-12, "{a} vs {b}");
            }
        }
    }

    /// The same posterior: at corresponding points the log density in `w` minus the model's in `z` is
    /// ln |det dz/dw|, here computed from a finite-difference Jacobian of `to_z`. A transform that changed
    /// volume without the matching term (e.g. `c = 2 ln beta + ln F`) would fail this.
    #[test]
    fn log_density_in_w_is_the_models_plus_the_log_jacobian() {
        for model in models() {
            let c = Centred::new(&model);
            for shift in [-0.3, 0.0, 0.5] {
                let w = point(model.dim(), shift);
                let dim = w.len();
                let h = 1e-6;
                let mut jac = DMatrix::zeros(dim, dim);
                for k in 0..dim {
                    let (mut up, mut dn) = (w.clone(), w.clone());
                    up[k] += h;
                    dn[k] -= h;
                    let (zu, zd) = (c.to_z(&up), c.to_z(&dn));
                    for i in 0..dim {
                        jac[(i, k)] = (zu[i] - zd[i]) / (2.0 * h);
                    }
                }
                let log_det = jac.determinant().abs().ln();
                assert!((log_det - Centred::LOG_JACOBIAN).abs() < 1e-6, "ln |det| {log_det}");
                let diff = logp(&c, &w) - model.logp(&c.to_z(&w));
                assert!((diff - log_det).abs() < 1e-6, "{diff} vs ln |det| {log_det}");
                // And the Jacobian is far from the identity, so the check has something to check.
                assert!((jac - DMatrix::identity(dim, dim)).abs().max() > 0.1);
            }
        }
    }
}
