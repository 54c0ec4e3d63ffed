//! What a fit reports: per channel contribution, share, ROI and marginal ROI with intervals, whether the
//! history can tell the channel's effect at all (machine-readable, for the decision layer), fit quality,
//! the decomposition over time and the response curves. Field names are the `--json` output.

use crate::panel::{ChannelGroup, Frequency, InputKind};
use crate::spec::ModelSpec;
use chrono::NaiveDate;
use serde::Serialize;

/// A value with its interval at the result's `level`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// One named shape parameter with its interval.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShapeParam {
    pub name: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// A transform and its fitted parameters.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Shape {
    pub kind: String,
    pub params: Vec<ShapeParam>,
}

/// Why a channel's effect cannot be told from the history (or what weakens it). `code` is stable for
/// programs (the verdict turns it into a proposed experiment); `message` says it in words with numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// The input barely varied: nothing separates its effect from the baseline.
    LowVariation,
    /// Active in too few periods to read an effect.
    FewActivePeriods,
    /// Moves together with another channel: the two effects cannot be told apart.
    Collinear,
    /// The posterior of the effect is about as wide as its prior: the data said little.
    PriorDominated,
    /// The interval of the share is too wide to act on.
    WideInterval,
}

/// One channel's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelResult {
    pub channel: String,
    pub name: String,
    pub input: InputKind,
    pub group: ChannelGroup,
    /// Sum of the input over the panel (hours, spend, posts, ...).
    pub input_total: f64,
    /// Full cost over the panel (spend, or hours x rate).
    pub cost: f64,
    pub contribution: f64,
    pub contribution_low: f64,
    pub contribution_high: f64,
    /// Share of all channels' contribution (fractions summing to 1 over channels).
    pub contribution_share: f64,
    pub share_low: f64,
    pub share_high: f64,
    /// (contribution x value per unit - cost) / cost; `None` without cost.
    pub roi: Option<f64>,
    pub roi_low: Option<f64>,
    pub roi_high: Option<f64>,
    /// ROI of the next unit of cost at today's level.
    pub marginal_roi: Option<f64>,
    pub marginal_roi_low: Option<f64>,
    pub marginal_roi_high: Option<f64>,
    /// Contribution per unit of input at the margin (e.g. pipeline per extra hour).
    pub marginal_per_input: f64,
    /// What the last `counterfactual_periods` would have lost without the channel.
    pub loss_without: Estimate,
    pub identifiable: bool,
    /// The reasons in one sentence, when there are any.
    pub why: Option<String>,
    pub reasons: Vec<Reason>,
    pub adstock: Shape,
    pub saturation: Shape,
    /// Posterior sd of the effect over its prior sd (near 1: the data said little).
    pub prior_ratio: f64,
}

/// How well the model describes the history, in and out of sample.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FitQuality {
    pub r2: f64,
    /// Mean absolute percentage error in sample (periods with a zero target left out).
    pub mape: f64,
    /// Time-series cross-validation: each fold fits on the past and predicts the next block.
    pub cv_mape: Option<f64>,
    /// The same cross-validation for a model without channels (intercept, trend, seasonality, controls).
    pub baseline_cv_mape: Option<f64>,
    pub cv_folds: usize,
}

/// One check of the diagnostics gate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Check {
    pub check: String,
    pub passed: bool,
    pub value: f64,
    pub threshold: f64,
    pub message: String,
}

/// The gate: a fit that fails a check is not presented as an answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostics {
    pub sampler: String,
    pub passed: bool,
    pub checks: Vec<Check>,
    /// Starting points of the mode search and how many reached the best mode.
    pub starts: usize,
    pub starts_at_best: usize,
    /// Fast fit: effective sample size fraction of the importance weights of the Laplace draws.
    pub weight_ess_fraction: Option<f64>,
    pub max_rhat: Option<f64>,
    pub min_ess_bulk: Option<f64>,
    pub min_ess_tail: Option<f64>,
    pub divergences: Option<usize>,
    pub seconds: f64,
}

/// One period of the decomposition (target units).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecompositionRow {
    pub date: NaiveDate,
    pub actual: f64,
    pub fitted: f64,
    pub baseline: f64,
    pub trend: f64,
    pub seasonality: f64,
    pub controls: f64,
    /// Per channel, in `channels` order.
    pub channels: Vec<f64>,
}

/// A channel's response curve: contribution per period against input per period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResponseCurve {
    pub channel: String,
    /// Input per period (mean), at multipliers 0..2 of today's level.
    pub input: Vec<f64>,
    /// Cost per period at those inputs.
    pub cost: Vec<f64>,
    pub contribution: Vec<f64>,
    /// Index of today's level in the lists.
    pub current: usize,
}

/// Everything one fit reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MmmResult {
    pub target: String,
    pub currency: String,
    pub frequency: Frequency,
    pub periods: usize,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub level: f64,
    /// Money value of one unit of the target (ROI = (contribution x this - cost) / cost).
    pub value_per_unit: f64,
    pub counterfactual_periods: usize,
    pub spec: ModelSpec,
    pub channels: Vec<ChannelResult>,
    pub fit: FitQuality,
    pub diagnostics: Diagnostics,
    pub decomposition: Vec<DecompositionRow>,
    pub response_curves: Vec<ResponseCurve>,
    /// Total of the target over the panel, and the part the channels explain.
    pub target_total: f64,
    pub media_total: f64,
    /// How sure we are, in plain language.
    pub reading: Vec<String>,
}
