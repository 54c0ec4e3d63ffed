//! One simulated world: a weekly panel as the mix model reads it, and its [`Truth`].
//!
//! A world is drawn from its seed in this order (each step from its own random stream, see `src/rng.rs`):
//! weeks and dates, which channels, their inputs and costs ([`crate::channels`]), the baseline
//! ([`crate::baseline`]); the true transform parameters; media's part of the outcome, the channels' shares and
//! the R^2; the noise. Media's effect is fixed through its total and the shares (rather than drawn betas), so
//! every world has media explaining 20-50 % of the outcome however its inputs came out, and
//! `beta_m = share_m x media total / Σ_t saturation(adstock(x_m / max x_m))_t`.

use crate::baseline::{self, Baseline};
use crate::channels::{self, ChannelKind, CORE, POOL};
use crate::ranges::{
    CHANNELS, GEOMETRIC_ALPHA, HILL_K, HILL_S, LOGISTIC_LAM, L_MAX, MEDIA_FRACTION, R2, SHARE_CONCENTRATION, WEEKS,
    WEIBULL_SCALE, WEIBULL_SHAPE,
};
use crate::rng::{Stream, WorldRng};
use crate::truth::{BaselineTruth, ChannelTruth, ControlTruth, Truth};
use chrono::NaiveDate;
use socialledger_mmm::transform::response;
use socialledger_mmm::{AdstockKind, Frequency, MediaSeries, ModelSpec, Panel, SaturationKind};

/// The Monday the earliest world starts on; a world starts 0-104 weeks later.
pub const EPOCH: (i32, u32, u32) = (2021, 1, 4);
/// Latest start, in weeks after [`EPOCH`].
pub const LATEST_START_WEEK: usize = 104;

/// Which transforms generate a world. The default (geometric adstock, logistic saturation) is the model's
/// default, so default worlds are of the kind the default model fits exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorldOptions {
    pub adstock: AdstockKind,
    pub saturation: SaturationKind,
}

impl Default for WorldOptions {
    fn default() -> Self {
        WorldOptions { adstock: AdstockKind::Geometric, saturation: SaturationKind::Logistic }
    }
}

/// A panel and what is true about it.
#[derive(Clone, Debug, PartialEq)]
pub struct World {
    pub panel: Panel,
    pub truth: Truth,
}

impl World {
    /// The world of `seed` with the default transforms (geometric adstock, logistic saturation).
    pub fn generate(seed: u64) -> World {
        World::generate_with(seed, WorldOptions::default())
    }

    /// The world of `seed` with other transforms. Everything but the transform parameters (and hence the betas
    /// and the noise scale) is the same as in [`World::generate`] for the same seed.
    pub fn generate_with(seed: u64, options: WorldOptions) -> World {
        let mut layout = WorldRng::new(seed, Stream::Layout);
        let n = layout.int(WEEKS.0, WEEKS.1);
        let epoch = NaiveDate::from_ymd_opt(EPOCH.0, EPOCH.1, EPOCH.2).expect("EPOCH is a date");
        let start = epoch + chrono::Duration::weeks(layout.int(0, LATEST_START_WEEK) as i64);
        let dates: Vec<NaiveDate> = (0..n).map(|t| start + chrono::Duration::weeks(t as i64)).collect();
        let holiday: Vec<bool> = dates.iter().map(|&d| baseline::is_holiday_week(d)).collect();

        let k = layout.int(CHANNELS.0, CHANNELS.1);
        let kinds: Vec<ChannelKind> =
            CORE.into_iter().chain(layout.choose(POOL.len(), k - CORE.len()).into_iter().map(|i| POOL[i])).collect();
        let mut campaign = Vec::new();
        let mut media = Vec::with_capacity(k);
        for &kind in &kinds {
            let s = channels::generate(kind, n, &campaign, &holiday, &mut layout);
            if kind == ChannelKind::Campaign {
                campaign = s.values.clone();
            }
            media.push(MediaSeries {
                key: kind.key().into(),
                name: kind.name().into(),
                input: kind.input(),
                group: kind.group(),
                values: s.values,
                cost: s.cost,
            });
        }
        let base = baseline::generate(&dates, &mut layout);

        let mut transforms = WorldRng::new(seed, Stream::Transforms);
        let params: Vec<(Vec<f64>, Vec<f64>)> = kinds
            .iter()
            .map(|_| {
                let a = draw_adstock(options.adstock, &mut transforms);
                let s = draw_saturation(options.saturation, &mut transforms);
                (a, s)
            })
            .collect();

        let mut effects = WorldRng::new(seed, Stream::Effects);
        let fraction = effects.uniform(MEDIA_FRACTION);
        let shares = effects.dirichlet(k, SHARE_CONCENTRATION);
        let r2_target = effects.uniform(R2);

        let base_total: f64 = (0..n).map(|t| base.at(t)).sum();
        let media_total = fraction / (1.0 - fraction) * base_total;
        let features: Vec<Vec<f64>> = media
            .iter()
            .zip(&params)
            .map(|(m, (a, s))| {
                let x_scale = max(&m.values);
                let x: Vec<f64> = m.values.iter().map(|v| v / x_scale).collect();
                response(options.adstock, a, L_MAX, options.saturation, s, &x)
            })
            .collect();
        let weekly: Vec<Vec<f64>> = features
            .iter()
            .zip(&shares)
            .map(|(f, &share)| {
                let per_unit = share * media_total / f.iter().sum::<f64>();
                f.iter().map(|v| per_unit * v).collect()
            })
            .collect();

        let mut truth = Truth {
            seed,
            adstock: options.adstock,
            saturation: options.saturation,
            l_max: L_MAX,
            y_scale: 0.0,
            noise_sd: 0.0,
            r2: 0.0,
            media_fraction: 0.0,
            baseline: baseline_truth(&base),
            channels: Vec::with_capacity(k),
            noise: Vec::new(),
        };
        let contributions: Vec<f64> = weekly.iter().map(|w| w.iter().sum()).collect();
        let contribution_total: f64 = contributions.iter().sum();
        for (m, ((series, (a, s)), w)) in media.iter().zip(params).zip(weekly).enumerate() {
            let cost: f64 = series.cost.iter().sum();
            truth.channels.push(ChannelTruth {
                key: series.key.clone(),
                kind: kinds[m],
                adstock: a,
                saturation: s,
                beta: 0.0,
                x_scale: max(&series.values),
                contribution: contributions[m],
                share: contributions[m] / contribution_total,
                weekly: w,
                cost,
                roi: contributions[m] / cost,
            });
        }

        let signal = truth.signal();
        let mean = signal.iter().sum::<f64>() / n as f64;
        let signal_var = signal.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
        truth.noise_sd = (signal_var * (1.0 - r2_target) / r2_target).sqrt();
        let mut noise_rng = WorldRng::new(seed, Stream::Noise);
        truth.noise = (0..n).map(|_| truth.noise_sd * noise_rng.normal()).collect();
        let target: Vec<f64> = signal.iter().zip(&truth.noise).map(|(s, e)| s + e).collect();

        truth.y_scale = target.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        let y_mean = target.iter().sum::<f64>() / n as f64;
        let ss_tot: f64 = target.iter().map(|v| (v - y_mean).powi(2)).sum();
        truth.r2 = 1.0 - truth.noise.iter().map(|e| e * e).sum::<f64>() / ss_tot;
        truth.media_fraction = contribution_total / signal.iter().sum::<f64>();
        for (c, f) in truth.channels.iter_mut().zip(&features) {
            c.beta = c.contribution / f.iter().sum::<f64>() / truth.y_scale;
        }
        let ys = truth.y_scale;
        for v in &mut truth.baseline.fixed_scaled {
            *v /= ys;
        }

        let panel = Panel {
            frequency: Frequency::Weekly,
            dates,
            target_name: "pipeline".into(),
            target,
            currency: "EUR".into(),
            channels: media,
            controls: base.controls,
        };
        World { panel, truth }
    }

    /// The model structure that generated this world: the default weekly spec with the world's transforms.
    pub fn spec(&self) -> ModelSpec {
        ModelSpec {
            adstock: self.truth.adstock,
            saturation: self.truth.saturation,
            l_max: self.truth.l_max,
            ..ModelSpec::default_for(Frequency::Weekly)
        }
    }
}

fn max(v: &[f64]) -> f64 {
    v.iter().fold(0.0_f64, |m, &x| m.max(x))
}

fn draw_adstock(kind: AdstockKind, rng: &mut WorldRng) -> Vec<f64> {
    match kind {
        AdstockKind::Geometric => vec![rng.uniform(GEOMETRIC_ALPHA)],
        AdstockKind::WeibullPdf | AdstockKind::WeibullCdf => {
            vec![rng.uniform(WEIBULL_SHAPE), rng.uniform(WEIBULL_SCALE)]
        }
    }
}

fn draw_saturation(kind: SaturationKind, rng: &mut WorldRng) -> Vec<f64> {
    match kind {
        SaturationKind::Logistic => vec![rng.uniform(LOGISTIC_LAM)],
        SaturationKind::Hill => vec![rng.uniform(HILL_K), rng.uniform(HILL_S)],
    }
}

/// The baseline's truth, with its fixed coefficients still in EUR (divided by `y_scale` once it is known).
fn baseline_truth(base: &Baseline) -> BaselineTruth {
    let mut fixed_scaled = vec![base.intercept, base.trend];
    fixed_scaled.extend(&base.fourier);
    for (c, e) in base.controls.iter().zip(&base.control_effects) {
        fixed_scaled.push(e * max(&c.values.iter().map(|v| v.abs()).collect::<Vec<_>>()));
    }
    BaselineTruth {
        intercept: base.intercept,
        trend: base.trend,
        fourier: base.fourier.clone(),
        controls: base
            .controls
            .iter()
            .zip(&base.control_effects)
            .map(|(c, &effect)| ControlTruth { name: c.name.clone(), effect })
            .collect(),
        fixed_scaled,
        level: base.level.clone(),
        seasonality: base.seasonality.clone(),
        events: base.events.clone(),
    }
}
