//! The ranges every true parameter of a world is drawn from (uniformly unless said otherwise), in one place so
//! docs/mmm-worlds.md and the code cannot drift apart. Channel inputs have their own ranges in [`crate::channels`].
//!
//! Transform parameters live in the model's scaled space: they act on `x / max x`, the input divided by its
//! largest weekly value, as `socialledger_mmm::design::Design` scales it.

/// Weeks in a world: two to three years.
pub const WEEKS: (usize, usize) = (104, 156);
/// Channels in a world, including the three always present (organic social, campaign, paid search).
pub const CHANNELS: (usize, usize) = (4, 10);
/// Longest carry-over in weeks, the model's default for weekly panels.
pub const L_MAX: usize = 8;

/// Baseline pipeline per week in EUR (the intercept).
pub const BASELINE_EUR: (f64, f64) = (40_000.0, 120_000.0);
/// Change of the baseline from the first to the last week, as a fraction of the baseline (a slow decline to a
/// clear growth).
pub const TREND: (f64, f64) = (-0.10, 0.30);
/// Standard deviation of each first-order yearly Fourier coefficient, as a fraction of the baseline; the
/// second-order pair gets half of it. Coefficients are Normal(0, that sd).
pub const SEASON_SD: (f64, f64) = (0.04, 0.10);
/// Effect of the Christmas weeks (control `holiday`), as a fraction of the baseline: pipeline stalls.
pub const HOLIDAY_EFFECT: (f64, f64) = (-0.35, -0.15);
/// Product launches (control `launch`) in a world, each a single week.
pub const LAUNCHES: (usize, usize) = (1, 4);
/// Effect of a launch week, as a fraction of the baseline.
pub const LAUNCH_EFFECT: (f64, f64) = (0.08, 0.25);

/// Media's part of the noiseless outcome, summed over the panel: `sum media / (sum baseline + sum media)`.
pub const MEDIA_FRACTION: (f64, f64) = (0.20, 0.50);
/// Concentration of the symmetric Dirichlet the channels' shares of media are drawn from (2.5: most shares
/// between a third and twice the mean; a channel with 2 % happens, one with 60 % too).
pub const SHARE_CONCENTRATION: f64 = 2.5;
/// R^2 of the true model on the panel (noise variance = signal variance x (1 - R^2) / R^2). The one range
/// calibrated to the oracle figure (about 4.5 pp): with 0.80-0.95 the least-squares oracle was at 5.4 pp
/// over 200 worlds, with 0.88-0.96 at 4.6 pp (docs/mmm-worlds.md, "How the calibration went"). The noise sd is
/// then 2-21 % of the mean weekly outcome (median 5 %).
pub const R2: (f64, f64) = (0.88, 0.96);

/// Geometric adstock: `alpha`.
pub const GEOMETRIC_ALPHA: (f64, f64) = (0.10, 0.70);
/// Weibull adstock (pdf and cdf kinds): `shape`.
pub const WEIBULL_SHAPE: (f64, f64) = (0.5, 3.0);
/// Weibull adstock: `scale` in weeks.
pub const WEIBULL_SCALE: (f64, f64) = (1.0, 5.0);
/// Logistic saturation: `lam` on the scaled, adstocked input (0.5: nearly linear; 4: half the effect is reached
/// at about a seventh of the largest input).
pub const LOGISTIC_LAM: (f64, f64) = (0.5, 4.0);
/// Hill saturation: half-saturation `k` on the scaled, adstocked input.
pub const HILL_K: (f64, f64) = (0.2, 0.8);
/// Hill saturation: slope `s`.
pub const HILL_S: (f64, f64) = (0.8, 3.0);
