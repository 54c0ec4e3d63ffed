//! Adstock (carry-over) and saturation (diminishing returns), with their derivatives by parameter: the fit's
//! gradient and the NUTS sampler need them exactly, and tests check them against finite differences.
//!
//! Every adstock here is a convolution with weights `w_0..w_{L-1}` that sum to 1, so adstock moves an input in
//! time but never changes its total; the weights are a softmax of log-weights `u_l`, so one formula gives every
//! kind's derivative: `dw_l/dp = w_l (du_l/dp - sum_j w_j du_j/dp)`.

use crate::spec::{AdstockKind, SaturationKind};

/// Smallest `alpha` used for the geometric kind: `alpha^l` at exactly 0 has no logarithm.
const ALPHA_FLOOR: f64 = 1e-12;

/// Adstock weights and their derivatives, one row per parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    pub w: Vec<f64>,
    /// `dw[p][l]` = d w_l / d param_p.
    pub dw: Vec<Vec<f64>>,
}

/// The weights of `kind` with `params` (see [`AdstockKind`]) over lags `0..l_max`.
pub fn adstock_weights(kind: AdstockKind, params: &[f64], l_max: usize) -> Weights {
    let n_p = kind.n_params();
    let mut u = vec![0.0; l_max];
    let mut du = vec![vec![0.0; l_max]; n_p];
    match kind {
        AdstockKind::Geometric => {
            let alpha = params[0].max(ALPHA_FLOOR);
            let la = alpha.ln();
            for l in 0..l_max {
                u[l] = l as f64 * la;
                du[0][l] = l as f64 / alpha;
            }
        }
        AdstockKind::WeibullPdf => {
            let (k, lam) = (params[0], params[1]);
            for l in 0..l_max {
                let t = (l + 1) as f64;
                let r = t / lam;
                let lr = r.ln();
                let rk = r.powf(k);
                // log density up to constants that cancel in the softmax: ln k + (k-1) ln(t/lam) - (t/lam)^k - ln lam
                u[l] = k.ln() + (k - 1.0) * lr - rk - lam.ln();
                du[0][l] = 1.0 / k + lr - rk * lr;
                du[1][l] = (k * rk - k) / lam;
            }
        }
        AdstockKind::WeibullCdf => {
            let (k, lam) = (params[0], params[1]);
            let (mut acc, mut dk, mut dl) = (0.0, 0.0, 0.0);
            for l in 0..l_max {
                u[l] = acc;
                du[0][l] = dk;
                du[1][l] = dl;
                let r = (l + 1) as f64 / lam;
                let rk = r.powf(k);
                acc -= rk;
                dk -= rk * r.ln();
                dl += k * rk / lam;
            }
        }
    }
    let m = u.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mut w: Vec<f64> = u.iter().map(|&v| (v - m).exp()).collect();
    let s: f64 = w.iter().sum();
    for v in &mut w {
        *v /= s;
    }
    let dw = du
        .iter()
        .map(|dup| {
            let mean: f64 = w.iter().zip(dup).map(|(a, b)| a * b).sum();
            w.iter().zip(dup).map(|(&wl, &d)| wl * (d - mean)).collect()
        })
        .collect();
    Weights { w, dw }
}

/// `out_t = sum_l w_l x_{t-l}` with nothing before the first period (PyMC-Marketing's convolution "After").
pub fn convolve(x: &[f64], w: &[f64], out: &mut [f64]) {
    for t in 0..x.len() {
        let mut acc = 0.0;
        for (l, &wl) in w.iter().enumerate().take(t + 1) {
            acc += wl * x[t - l];
        }
        out[t] = acc;
    }
}

/// Saturation value, derivative by input, and derivatives by each parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SatPoint {
    pub f: f64,
    pub df_dz: f64,
    /// Derivatives by the parameters in [`SaturationKind::param_names`] order (unused slots are 0).
    pub df_dp: [f64; 2],
}

/// The saturation of `z >= 0` with `params`.
pub fn saturation(kind: SaturationKind, params: &[f64], z: f64) -> SatPoint {
    match kind {
        SaturationKind::Logistic => {
            let lam = params[0];
            let f = (0.5 * lam * z).tanh();
            let s = 1.0 - f * f;
            SatPoint { f, df_dz: 0.5 * lam * s, df_dp: [0.5 * z * s, 0.0] }
        }
        SaturationKind::Hill => {
            let (k, s) = (params[0], params[1]);
            if z <= 0.0 {
                let df_dz = if s == 1.0 { 1.0 / k } else { 0.0 };
                return SatPoint { f: 0.0, df_dz, df_dp: [0.0, 0.0] };
            }
            let lr = (z / k).ln();
            // f = 1 / (1 + (k/z)^s), computed without overflow for large or small ratios.
            let f = 1.0 / (1.0 + (-s * lr).exp());
            let g = f * (1.0 - f);
            SatPoint { f, df_dz: g * s / z, df_dp: [-g * s / k, g * lr] }
        }
    }
}

/// Saturation values only, for a series.
pub fn saturate(kind: SaturationKind, params: &[f64], z: &[f64]) -> Vec<f64> {
    z.iter().map(|&v| saturation(kind, params, v).f).collect()
}

/// `saturation(adstock(x))` for one channel.
pub fn response(
    adstock: AdstockKind,
    a_params: &[f64],
    l_max: usize,
    sat: SaturationKind,
    s_params: &[f64],
    x: &[f64],
) -> Vec<f64> {
    let w = adstock_weights(adstock, a_params, l_max);
    let mut a = vec![0.0; x.len()];
    convolve(x, &w.w, &mut a);
    saturate(sat, s_params, &a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fd_weights(kind: AdstockKind, params: &[f64], l_max: usize, p: usize) -> Vec<f64> {
        let h = 1e-6 * params[p].abs().max(1e-3);
        let mut up = params.to_vec();
        let mut dn = params.to_vec();
        up[p] += h;
        dn[p] -= h;
        let a = adstock_weights(kind, &up, l_max).w;
        let b = adstock_weights(kind, &dn, l_max).w;
        a.iter().zip(&b).map(|(x, y)| (x - y) / (2.0 * h)).collect()
    }

    #[test]
    fn geometric_weights_are_pymc_marketings() {
        // alpha = 0.5 over 4 lags: 1, .5, .25, .125 normalised by 1.875.
        let w = adstock_weights(AdstockKind::Geometric, &[0.5], 4).w;
        let expect = [1.0 / 1.875, 0.5 / 1.875, 0.25 / 1.875, 0.125 / 1.875];
        for (a, b) in w.iter().zip(expect) {
            assert!((a - b).abs() < 1e-15, "{w:?}");
        }
    }

    #[test]
    fn convolution_keeps_the_total_once_the_tail_is_inside() {
        let w = adstock_weights(AdstockKind::Geometric, &[0.6], 5).w;
        let mut x = vec![0.0; 20];
        x[3] = 2.0;
        x[9] = 1.0;
        let mut out = vec![0.0; 20];
        convolve(&x, &w, &mut out);
        assert!((out.iter().sum::<f64>() - 3.0).abs() < 1e-12);
        assert_eq!(out[2], 0.0);
        assert!((out[3] - 2.0 * w[0]).abs() < 1e-15);
        assert!((out[4] - 2.0 * w[1]).abs() < 1e-15);
    }

    #[test]
    fn logistic_is_pymc_marketings_formula() {
        let (lam, z) = (4.0_f64, 0.3_f64);
        let expect = (1.0 - (-lam * z).exp()) / (1.0 + (-lam * z).exp());
        assert!((saturation(SaturationKind::Logistic, &[lam], z).f - expect).abs() < 1e-15);
    }

    #[test]
    fn hill_is_half_at_k() {
        let p = saturation(SaturationKind::Hill, &[0.4, 2.5], 0.4);
        assert!((p.f - 0.5).abs() < 1e-15);
    }

    proptest! {
        #[test]
        fn adstock_derivatives_match_finite_differences(
            alpha in 0.02f64..0.97, k in 0.4f64..4.0, scale in 0.5f64..8.0, l_max in 2usize..14,
        ) {
            for (kind, params) in [
                (AdstockKind::Geometric, vec![alpha]),
                (AdstockKind::WeibullPdf, vec![k, scale]),
                (AdstockKind::WeibullCdf, vec![k, scale]),
            ] {
                let w = adstock_weights(kind, &params, l_max);
                prop_assert!((w.w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
                for p in 0..kind.n_params() {
                    let fd = fd_weights(kind, &params, l_max, p);
                    for (a, b) in w.dw[p].iter().zip(&fd) {
                        prop_assert!((a - b).abs() < 1e-6 * (1.0 + b.abs()), "{kind:?} p{p}: {a} vs {b}");
                    }
                }
            }
        }

        #[test]
        fn saturation_derivatives_match_finite_differences(
            z in 0.001f64..3.0, lam in 0.1f64..10.0, k in 0.05f64..2.0, s in 0.3f64..4.0,
        ) {
            for (kind, params) in [(SaturationKind::Logistic, vec![lam]), (SaturationKind::Hill, vec![k, s])] {
                let p0 = saturation(kind, &params, z);
                let h = 1e-6;
                let fz = (saturation(kind, &params, z + h).f - saturation(kind, &params, z - h).f) / (2.0 * h);
                prop_assert!((p0.df_dz - fz).abs() < 1e-5 * (1.0 + fz.abs()));
                for p in 0..kind.n_params() {
                    let mut up = params.clone();
                    let mut dn = params.clone();
                    up[p] += h;
                    dn[p] -= h;
                    let fd = (saturation(kind, &up, z).f - saturation(kind, &dn, z).f) / (2.0 * h);
                    prop_assert!((p0.df_dp[p] - fd).abs() < 1e-5 * (1.0 + fd.abs()), "{kind:?} p{p}");
                }
            }
        }
    }
}
