//! Fit quality out of sample: time-series cross-validation with an expanding window. Each fold fits on the
//! periods before it and predicts the next block; the same is done for a model without channels (intercept,
//! trend, seasonality, controls), and a mix model that predicts worse than that baseline is not an answer.

use crate::analyze::{inputs_of, FitOptions};
use crate::fit::{Profile, SearchSettings};
use crate::model::Model;
use crate::panel::{Panel, MIN_PERIODS};
use crate::predict::Inputs;
use rayon::prelude::*;

/// Folds of the cross-validation.
pub const FOLDS: usize = 3;

/// Mean absolute percentage error over periods whose actual value is not zero.
pub fn mape(actual: &[f64], predicted: &[f64]) -> f64 {
    let mut sum = 0.0;
    let mut k = 0;
    for (a, p) in actual.iter().zip(predicted) {
        if *a != 0.0 {
            sum += ((a - p) / a).abs();
            k += 1;
        }
    }
    if k == 0 {
        f64::NAN
    } else {
        sum / k as f64
    }
}

/// `(model cv MAPE, baseline cv MAPE, folds used)`; `None` when the panel is too short for any fold.
pub fn cross_validate(panel: &Panel, opts: &FitOptions) -> (Option<f64>, Option<f64>, usize) {
    let n = panel.len();
    let h = (n / 8).max(4);
    let folds: Vec<usize> = (1..=FOLDS)
        .rev()
        .filter_map(|f| n.checked_sub(f * h))
        .filter(|&train_n| train_n >= MIN_PERIODS.max(4 * opts.spec.l_max))
        .collect();
    // Each fold and each of its two models is an independent fit: run them in parallel, in a fixed order.
    let jobs: Vec<(usize, bool)> = folds.iter().flat_map(|&t| [(t, true), (t, false)]).collect();
    let errors: Vec<Option<f64>> = jobs
        .par_iter()
        .map(|&(train_n, with)| {
            predict_fold(panel, train_n, h, opts, with).map(|pred| mape(&panel.target[train_n..train_n + h], &pred))
        })
        .collect();
    let model_err: Vec<f64> = jobs.iter().zip(&errors).filter(|(j, _)| j.1).filter_map(|(_, e)| *e).collect();
    let base_err: Vec<f64> = jobs.iter().zip(&errors).filter(|(j, _)| !j.1).filter_map(|(_, e)| *e).collect();
    let mean =
        |v: &[f64]| (!v.is_empty() && v.iter().all(|x| x.is_finite())).then(|| v.iter().sum::<f64>() / v.len() as f64);
    let folds = model_err.len().min(base_err.len());
    if folds == 0 {
        return (None, None, 0);
    }
    (mean(&model_err), mean(&base_err), folds)
}

/// Fits on the first `train_n` periods (with or without channels) and predicts the next `h`.
fn predict_fold(panel: &Panel, train_n: usize, h: usize, opts: &FitOptions, with_channels: bool) -> Option<Vec<f64>> {
    let mut train = slice(panel, 0..train_n);
    // Channels and controls silent in the training part cannot be fitted; they are left out of the fold.
    let keep_ch: Vec<usize> = if with_channels {
        (0..train.channels.len()).filter(|&m| train.channels[m].values.iter().any(|v| *v > 0.0)).collect()
    } else {
        Vec::new()
    };
    let keep_ct: Vec<usize> =
        (0..train.controls.len()).filter(|&c| train.controls[c].values.iter().any(|v| *v != 0.0)).collect();
    train.channels = keep_ch.iter().map(|&m| train.channels[m].clone()).collect();
    train.controls = keep_ct.iter().map(|&c| train.controls[c].clone()).collect();
    let model = Model::with_channels_optional(&train, &opts.spec, &opts.priors).ok()?;
    let search = SearchSettings { starts_base: 1, starts_per_channel: 1, ..opts.search };
    let mode = Profile::new(&model).search(&search).ok()?;
    let full = inputs_of(&slice(panel, 0..train_n + h));
    let inputs = Inputs {
        dates: full.dates,
        channels: keep_ch.iter().map(|&m| full.channels[m].clone()).collect(),
        controls: keep_ct.iter().map(|&c| full.controls[c].clone()).collect(),
    };
    let comps = model.components(&mode.params, &inputs);
    Some((train_n..train_n + h).map(|t| comps.total(t)).collect())
}

/// The periods `range` of a panel.
pub fn slice(panel: &Panel, range: std::ops::Range<usize>) -> Panel {
    let mut p = panel.clone();
    p.dates = panel.dates[range.clone()].to_vec();
    p.target = panel.target[range.clone()].to_vec();
    for c in &mut p.channels {
        c.values = c.values[range.clone()].to_vec();
        c.cost = c.cost[range.clone()].to_vec();
    }
    for c in &mut p.controls {
        c.values = c.values[range.clone()].to_vec();
    }
    p
}
