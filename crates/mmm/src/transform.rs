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

/// Geometric adstock of `x` with `alpha` over lags `0..l_max` in O(n): the same numbers as [`convolve`] with
/// the [`AdstockKind::Geometric`] weights (to rounding), without the O(n x l_max) loop.
///
/// The unnormalised sum `s_t = sum_{l<L} alpha^l x_{t-l}` obeys `s_t = x_t + alpha s_{t-1} - alpha^L x_{t-L}`
/// (the term leaving the window drops out), and the weights' normaliser is `S = sum_{l<L} alpha^l`, so
/// `out_t = s_t / S`. The fit and the sampler evaluate this for every channel at every step, which is why it
/// is worth its own routine. Inputs are media volumes (`x >= 0`), for which the recursion loses nothing: every
/// term it adds or removes is non-negative and no larger than the sum it updates.
pub fn geometric_adstock(x: &[f64], alpha: f64, l_max: usize, out: &mut [f64]) {
    let alpha = alpha.max(ALPHA_FLOOR);
    let (norm, _) = geometric_norm(alpha, l_max);
    // alpha^L as [`geometric_adstock_dalpha`] forms it, so the two give the same numbers bit for bit.
    let a_l = alpha.powi(l_max as i32 - 1) * alpha;
    let mut s = 0.0;
    // Non-zero inputs inside the window: when none is left the sum restarts from an exact 0, so a silent
    // stretch has no adstock at all (not the rounding residue of what left the window) and rounding never
    // carries over from one burst of activity to the next.
    let mut live = 0usize;
    for t in 0..x.len() {
        live += usize::from(x[t] != 0.0);
        s = x[t] + alpha * s;
        if t >= l_max {
            s -= a_l * x[t - l_max];
            live -= usize::from(x[t - l_max] != 0.0);
        }
        if live == 0 {
            s = 0.0;
        }
        out[t] = s / norm;
    }
}

/// [`geometric_adstock`] and its derivative by `alpha` into `dout`, both in O(n).
///
/// With `s_t` as there and `d_t = ds_t/dalpha`: `d_t = s_{t-1} + alpha d_{t-1} - L alpha^(L-1) x_{t-L}`; the
/// normaliser's derivative is `S' = sum_{l<L} l alpha^(l-1)`, so `dout_t = d_t / S - out_t S' / S`. This is the
/// derivative [`convolve`] gives with the weights' `dw` row, summed in another order.
pub fn geometric_adstock_dalpha(x: &[f64], alpha: f64, l_max: usize, out: &mut [f64], dout: &mut [f64]) {
    let alpha = alpha.max(ALPHA_FLOOR);
    let (norm, dnorm) = geometric_norm(alpha, l_max);
    let a_l1 = if l_max >= 1 { alpha.powi(l_max as i32 - 1) } else { 0.0 };
    let a_l = a_l1 * alpha;
    let dl = l_max as f64 * a_l1;
    let ratio = dnorm / norm;
    let (mut s, mut d) = (0.0, 0.0);
    // As in [`geometric_adstock`]: an empty window restarts both sums from exact zeros.
    let mut live = 0usize;
    for t in 0..x.len() {
        live += usize::from(x[t] != 0.0);
        let s_prev = s;
        s = x[t] + alpha * s;
        d = s_prev + alpha * d;
        if t >= l_max {
            s -= a_l * x[t - l_max];
            d -= dl * x[t - l_max];
            live -= usize::from(x[t - l_max] != 0.0);
        }
        if live == 0 {
            (s, d) = (0.0, 0.0);
        }
        let o = s / norm;
        out[t] = o;
        dout[t] = d / norm - o * ratio;
    }
}

/// `S = sum_{l<L} alpha^l` and `dS/dalpha = sum_{l<L} l alpha^(l-1)`, summed term by term (the closed form
/// `(1 - alpha^L) / (1 - alpha)` cancels badly near `alpha = 1`).
fn geometric_norm(alpha: f64, l_max: usize) -> (f64, f64) {
    let (mut s, mut ds, mut pow) = (0.0, 0.0, 1.0);
    for l in 0..l_max {
        s += pow;
        if l + 1 < l_max {
            ds += (l + 1) as f64 * pow;
        }
        pow *= alpha;
    }
    (s, ds)
}

/// Adstock of `x` into `out` for any kind: the O(n) recursion for the geometric kind, the convolution with
/// [`adstock_weights`] otherwise.
pub fn adstock(kind: AdstockKind, params: &[f64], l_max: usize, x: &[f64], out: &mut [f64]) {
    match kind {
        AdstockKind::Geometric => geometric_adstock(x, params[0], l_max, out),
        _ => convolve(x, &adstock_weights(kind, params, l_max).w, out),
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
#[inline]
pub fn saturation(kind: SaturationKind, params: &[f64], z: f64) -> SatPoint {
    match kind {
        SaturationKind::Logistic => {
            let lam = params[0];
            // f = tanh(lam z / 2), written as PyMC-Marketing's ratio through one expm1 (accurate at small lam z,
            // and cheaper than tanh, which is this plus a wrapper; the sampler evaluates it n x channels per step).
            let e = (-lam * z).exp_m1();
            let f = -e / (2.0 + e);
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
    let mut a = vec![0.0; x.len()];
    self::adstock(adstock, a_params, l_max, x, &mut a);
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

    /// A seeded panel-like input: zeros (silent weeks), small and large values, of random length.
    fn media_input(rng: &mut impl rand::Rng, n: usize) -> Vec<f64> {
        (0..n)
            .map(|_| if rng.gen_bool(0.3) { 0.0 } else { rng.gen_range(0.0..1.0) * 10f64.powi(rng.gen_range(-3..3)) })
            .collect()
    }

    /// Absolute size of the convolution at each period, the scale rounding is relative to.
    fn magnitude(x: &[f64], w: &[f64]) -> Vec<f64> {
        let abs: Vec<f64> = x.iter().map(|v| v.abs()).collect();
        let mut out = vec![0.0; x.len()];
        convolve(&abs, w, &mut out);
        out
    }

    proptest! {
        #[test]
        fn geometric_recursion_is_the_convolution(
            seed in any::<u64>(), alpha in 0.0f64..0.99, l_max in 1usize..20, n in 1usize..300,
        ) {
            use rand::SeedableRng;
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let x = media_input(&mut rng, n);
            let w = adstock_weights(AdstockKind::Geometric, &[alpha], l_max);
            let scale = magnitude(&x, &w.w);
            let mut direct = vec![0.0; n];
            convolve(&x, &w.w, &mut direct);
            let mut fast = vec![0.0; n];
            geometric_adstock(&x, alpha, l_max, &mut fast);
            let mut d_direct = vec![0.0; n];
            convolve(&x, &w.dw[0], &mut d_direct);
            let d_scale = magnitude(&x, &w.dw[0].iter().map(|v| v.abs()).collect::<Vec<_>>());
            let (mut fast2, mut d_fast) = (vec![0.0; n], vec![0.0; n]);
            geometric_adstock_dalpha(&x, alpha, l_max, &mut fast2, &mut d_fast);
            // The recursion carries the rounding of terms that already left the window, so its error is relative to
            // the period's own size plus, by a far smaller factor, to the series' largest input.
            let x_max = x.iter().cloned().fold(0.0, f64::max);
            for t in 0..n {
                if scale[t] == 0.0 {
                    prop_assert_eq!(fast[t], 0.0);
                    prop_assert_eq!(d_fast[t], 0.0);
                }
                let tol = 1e-12 * scale[t] + 1e-13 * x_max;
                prop_assert!((fast[t] - direct[t]).abs() <= tol, "t {t}: {} vs {}", fast[t], direct[t]);
                prop_assert_eq!(fast[t], fast2[t]);
                // The derivative's terms have both signs (weights move mass between lags), so it is compared
                // against the size of its terms.
                let tol = 1e-10 * (d_scale[t] + scale[t]) + 1e-11 * x_max;
                prop_assert!((d_fast[t] - d_direct[t]).abs() <= tol, "t {t}: {} vs {}", d_fast[t], d_direct[t]);
            }
        }

        #[test]
        fn geometric_derivative_matches_finite_differences(
            seed in any::<u64>(), alpha in 0.02f64..0.97, l_max in 1usize..14, n in 1usize..120,
        ) {
            use rand::SeedableRng;
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let x = media_input(&mut rng, n);
            let (mut out, mut d) = (vec![0.0; n], vec![0.0; n]);
            geometric_adstock_dalpha(&x, alpha, l_max, &mut out, &mut d);
            let h = 1e-6;
            let (mut up, mut dn) = (vec![0.0; n], vec![0.0; n]);
            geometric_adstock(&x, alpha + h, l_max, &mut up);
            geometric_adstock(&x, alpha - h, l_max, &mut dn);
            let x_max = x.iter().cloned().fold(0.0, f64::max);
            for t in 0..n {
                let fd = (up[t] - dn[t]) / (2.0 * h);
                prop_assert!((d[t] - fd).abs() <= 1e-6 * (x_max + fd.abs()), "t {t}: {} vs {fd}", d[t]);
            }
        }
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
