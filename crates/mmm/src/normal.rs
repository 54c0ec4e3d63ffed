//! The standard normal quantile function Φ⁻¹, which rank-normalisation in [`crate::diagnostics`] needs; the
//! log of the distribution function, ln Φ, and draws from a normal truncated below, which the fast fit's
//! importance sampler ([`crate::collapsed`]) needs for effects held non-negative.
//!
//! Method: Wichura's algorithm AS 241 (`PPND16`), M. J. Wichura (1988), "Algorithm AS 241: The percentage
//! points of the normal distribution", *Applied Statistics* 37(3), 477-484: rational approximations in three
//! regions, relative error about 1e-16 over (1e-300, 1 - 1e-16). It is what R's `qnorm` uses; the tests check
//! it against SciPy's `norm.ppf`. Written out here rather than taken from a statistics crate because it is
//! one function of 40 lines and `statrs` (the candidate) asks for a newer Rust than the workspace's MSRV.

/// Φ⁻¹(p): the `x` with P(Z <= x) = p for a standard normal Z. `-inf` at 0, `+inf` at 1, NaN outside [0, 1].
pub fn inv_cdf(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * poly(&A, r) / poly(&B, r);
    }
    // Tails: work with the smaller of p and 1 - p, in terms of sqrt(-ln(tail)).
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let x = if r <= 5.0 {
        let r = r - 1.6;
        poly(&C, r) / poly(&D, r)
    } else {
        let r = r - 5.0;
        poly(&E, r) / poly(&F, r)
    };
    if q < 0.0 {
        -x
    } else {
        x
    }
}

/// ln Φ(x), accurate far into the lower tail (where Φ itself underflows): from `erfc` down to x = -30, below
/// that from the asymptotic series of Mills' ratio (relative error < 1e-16 there).
pub fn ln_cdf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x > -30.0 {
        return (0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)).ln();
    }
    // Φ(x) = φ(x)/|x| (1 - 1/x² + 3/x⁴ - 15/x⁶ + 105/x⁸ ...) for x -> -inf.
    let r = 1.0 / (x * x);
    let series = 1.0 - r * (1.0 - 3.0 * r * (1.0 - 5.0 * r * (1.0 - 7.0 * r)));
    -0.5 * x * x - (-x).ln() - 0.5 * (2.0 * std::f64::consts::PI).ln() + series.ln()
}

/// A draw of a standard normal conditioned on being `>= a`, with `ln P(Z >= a)`. Inversion of the distribution
/// function where that is exact enough (`a < 6`), and Robert's (1995) exponential rejection sampler further
/// out, where inversion would lose every digit (its acceptance rate there is above 98 %).
pub fn std_normal_above<R: rand::Rng + ?Sized>(a: f64, rng: &mut R) -> (f64, f64) {
    let ln_p = ln_cdf(-a);
    if a == f64::NEG_INFINITY {
        return (rand_distr::Distribution::sample(&rand_distr::StandardNormal, rng), 0.0);
    }
    if a < 0.0 {
        // P(Z >= a) >= 1/2: invert the lower distribution function between Φ(a) and 1.
        let lo = ln_cdf(a).exp();
        let u: f64 = rng.gen();
        return (inv_cdf(lo + u * (1.0 - lo)).max(a), ln_p);
    }
    if a < 6.0 {
        // Invert the upper tail: Z = -Φ⁻¹(u Φ(-a)), which keeps its digits because Φ(-a) > 1e-9.
        let u: f64 = rng.gen::<f64>().max(f64::MIN_POSITIVE);
        return ((-inv_cdf(u * ln_p.exp())).max(a), ln_p);
    }
    let lam = 0.5 * (a + (a * a + 4.0).sqrt());
    loop {
        let e: f64 = rand_distr::Distribution::sample(&rand_distr::Exp1, rng);
        let z = a + e / lam;
        let u: f64 = rng.gen();
        if u.ln() <= -0.5 * (z - lam) * (z - lam) {
            return (z, ln_p);
        }
    }
}

/// `c[0] + c[1] r + ... + c[7] r^7` by Horner's rule.
fn poly(c: &[f64; 8], r: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &k| acc * r + k)
}

// Coefficients of AS 241 (`PPND16`), as printed by Wichura (1988), digits kept verbatim so they can be
// checked against the paper; denominators have a leading 1.
#[allow(clippy::excessive_precision)]
const A: [f64; 8] = [
    3.387_132_872_796_366_608,
    1.331_416_678_917_843_774_5e2,
    1.971_590_950_306_551_442_7e3,
    1.373_169_376_550_946_112_5e4,
    4.592_195_393_154_987_145_7e4,
    6.726_577_092_700_870_085_3e4,
    3.343_057_558_358_812_810_5e4,
    2.509_080_928_730_122_672_7e3,
];
#[allow(clippy::excessive_precision)]
const B: [f64; 8] = [
    1.0,
    4.231_333_070_160_091_125_2e1,
    6.871_870_074_920_579_083e2,
    5.394_196_021_424_751_107_7e3,
    2.121_379_430_158_659_586_7e4,
    3.930_789_580_009_271_061e4,
    2.872_908_573_572_194_267_4e4,
    5.226_495_278_852_854_561e3,
];
#[allow(clippy::excessive_precision)]
const C: [f64; 8] = [
    1.423_437_110_749_683_577_34,
    4.630_337_846_156_545_295_9,
    5.769_497_221_460_691_405_5,
    3.647_848_324_763_204_605_04,
    1.270_458_252_452_368_382_58,
    2.417_807_251_774_506_117_7e-1,
    2.272_384_498_926_918_458_33e-2,
    7.745_450_142_783_414_076_4e-4,
];
#[allow(clippy::excessive_precision)]
const D: [f64; 8] = [
    1.0,
    2.053_191_626_637_758_821_87,
    1.676_384_830_183_803_849_4,
    6.897_673_349_851_000_045_5e-1,
    1.481_039_764_274_800_745_9e-1,
    1.519_866_656_361_645_719_66e-2,
    5.475_938_084_995_344_946e-4,
    1.050_750_071_644_416_843_24e-9,
];
#[allow(clippy::excessive_precision)]
const E: [f64; 8] = [
    6.657_904_643_501_103_777_2,
    5.463_784_911_164_114_369_9,
    1.784_826_539_917_291_335_8,
    2.965_605_718_285_048_912_3e-1,
    2.653_218_952_657_612_309_3e-2,
    1.242_660_947_388_078_438_6e-3,
    2.711_555_568_743_487_578_15e-5,
    2.010_334_399_292_288_132_65e-7,
];
#[allow(clippy::excessive_precision)]
const F: [f64; 8] = [
    1.0,
    5.998_322_065_558_879_376_9e-1,
    1.369_298_809_227_358_053_1e-1,
    1.487_536_129_085_061_485_25e-2,
    7.868_691_311_456_132_591e-4,
    1.846_318_317_510_054_681_8e-5,
    1.421_511_758_316_445_888_7e-7,
    2.044_263_103_389_939_785_64e-15,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// `repr(float(scipy.stats.norm.ppf(p)))` from SciPy 1.18.1, run once; covers the central region and both
    /// tail branches of AS 241.
    const SCIPY: [(f64, f64); 9] = [
        (0.5, 0.0),
        (0.975, 1.959963984540054),
        (0.05, -1.6448536269514729),
        (0.3, -0.5244005127080409),
        (0.9, 1.2815515655446004),
        (1e-3, -3.090232306167813),
        (1e-10, -6.361340902404056),
        (1e-300, -37.0470962993612),
        (0.999999, 4.753424308817087),
    ];

    #[test]
    fn matches_scipy_quantiles_to_near_machine_precision() {
        for (p, x) in SCIPY {
            let got = inv_cdf(p);
            assert!((got - x).abs() <= 1e-14 * (1.0 + x.abs()), "p = {p}: {got} vs SciPy {x}");
        }
    }

    #[test]
    fn is_odd_around_one_half_and_handles_the_edges() {
        // Values whose 1 - p is exact in binary, so only the function is tested, not the subtraction.
        for p in [2f64.powi(-40), 2f64.powi(-10), 0.125, 0.25, 0.375] {
            assert!((inv_cdf(p) + inv_cdf(1.0 - p)).abs() < 1e-14, "p = {p}");
        }
        assert_eq!(inv_cdf(0.0), f64::NEG_INFINITY);
        assert_eq!(inv_cdf(1.0), f64::INFINITY);
        assert!(inv_cdf(-0.1).is_nan() && inv_cdf(1.5).is_nan() && inv_cdf(f64::NAN).is_nan());
    }
    /// `repr(math.log(0.5 * math.erfc(-x / math.sqrt(2))))` from Python 3.11, and for x <= -30 the asymptotic
    /// series summed to 11 terms in 60-digit decimals.
    const LN_CDF: [(f64, f64); 9] = [
        (2.0, -0.02301290932896349),
        (0.0, -std::f64::consts::LN_2),
        (-1.0, -1.8410216450092634),
        (-5.0, -15.064998393988724),
        (-10.0, -53.23128515051246),
        (-20.0, -203.91715537109724),
        (-30.0, -454.3212439563432),
        (-40.0, -804.6084420137538),
        (-100.0, -5005.524208694205),
    ];

    #[test]
    fn ln_cdf_matches_reference_values_deep_into_the_tail() {
        for (x, want) in LN_CDF {
            let got = ln_cdf(x);
            assert!((got - want).abs() <= 1e-13 * want.abs().max(1.0), "x = {x}: {got} vs {want}");
        }
        assert_eq!(ln_cdf(f64::INFINITY), 0.0);
        assert!(ln_cdf(f64::NAN).is_nan());
    }

    /// The truncated draws have the known mean a + ... = φ(a) / (1 - Φ(a)) (the inverse Mills ratio) and never
    /// fall below `a`, in every branch of the sampler.
    #[test]
    fn truncated_draws_have_the_inverse_mills_ratio_as_mean() {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        for a in [-3.0, -0.5, 0.0, 1.0, 3.5, 5.9, 6.5, 12.0] {
            let n = 40_000;
            let mut sum = 0.0;
            let mut sum2 = 0.0;
            for _ in 0..n {
                let (z, ln_p) = std_normal_above(a, &mut rng);
                assert!(z >= a, "a = {a}: draw {z}");
                assert_eq!(ln_p, ln_cdf(-a));
                sum += z;
                sum2 += z * z;
            }
            let mean = sum / n as f64;
            let var = sum2 / n as f64 - mean * mean;
            let ln_phi = -0.5 * a * a - 0.5 * (2.0 * std::f64::consts::PI).ln();
            let want = (ln_phi - ln_cdf(-a)).exp();
            let se = (var / n as f64).sqrt();
            assert!((mean - want).abs() < 5.0 * se, "a = {a}: mean {mean} vs {want} (se {se})");
        }
    }
}
