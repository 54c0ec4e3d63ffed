//! What is known about a channel, by kind of evidence, strongest first.

pub use crate::interval::Interval;
use serde::Serialize;

/// Where an estimate of a channel's effect comes from, strongest first (the order of the variants).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// The readout of an experiment the company ran on the channel: the effect of switching it.
    Experiment,
    /// The mix model: the channel's contribution over time, where its history can tell it.
    Mmm,
    /// The incremental attribution model: conversions the channel adds among journeys of equal intent.
    Incremental,
    /// Heuristic attribution (last touch, position-based, ...): credit for being present, not for causing.
    Heuristic,
}

impl EvidenceKind {
    /// Whether this kind of evidence can decide a verdict on its own (heuristic credit cannot).
    pub fn can_decide(self) -> bool {
        self != EvidenceKind::Heuristic
    }

    /// How the reasons name it.
    pub fn label(self) -> &'static str {
        match self {
            EvidenceKind::Experiment => "experiment",
            EvidenceKind::Mmm => "mix model",
            EvidenceKind::Incremental => "incremental model",
            EvidenceKind::Heuristic => "heuristic models",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Experiment => "experiment",
            EvidenceKind::Mmm => "mmm",
            EvidenceKind::Incremental => "incremental",
            EvidenceKind::Heuristic => "heuristic",
        }
    }
}

/// One piece of evidence about a channel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    pub kind: EvidenceKind,
    /// Return on the full cost (gross profit of what it brings minus cost, over cost), with its interval.
    pub roi: Option<Interval>,
    /// Return on the next unit of cost (the mix model's response curve), with its interval.
    pub marginal_roi: Option<Interval>,
    /// Whether this evidence can tell the channel's effect (false: the mix model's history cannot, an
    /// experiment too short to read); the reason in `why`.
    pub tells: bool,
    pub why: Option<String>,
    /// Set when the evidence sees only part of what the channel can do, so its ROI is a lower bound: it can show
    /// that a channel pays back, never that it does not (the mix model on pipeline sees deal creation, not a
    /// channel's effect on winning deals). The reason, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lower_bound_only: Option<String>,
    /// An experiment's readout: what it measured, the whole channel's weekly effect the ROI is computed from, and
    /// the assumption that scales one to the other (`super::experiments`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub experiment: Option<super::experiments::ExperimentEffect>,
}

/// Which sign of bad execution was found (docs/verdict.md, rule 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExecutionCode {
    /// Half or more of its posts are identical copies of posts on other networks (the cross-posting audit).
    IdenticalCrossposts,
    /// Its engagement rate by impressions falls faster than the threshold, across its interval.
    FallingEngagement,
    /// Its median first response comes later than the threshold, across its interval.
    SlowResponses,
}

impl ExecutionCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionCode::IdenticalCrossposts => "identical_crossposts",
            ExecutionCode::FallingEngagement => "falling_engagement",
            ExecutionCode::SlowResponses => "slow_responses",
        }
    }
}

/// A sign that the channel reaches people but is run badly (the `fix` verdict).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExecutionIssue {
    /// Stable code: `identical_crossposts`, `falling_engagement`, `slow_responses`.
    pub code: ExecutionCode,
    /// The finding in words, with its numbers.
    pub message: String,
}

/// Everything the verdict reads about one channel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelFacts {
    pub channel: String,
    pub name: String,
    /// Full cost over the period (staff hours x rate + spend), major units.
    pub cost: f64,
    pub evidence: Vec<Evidence>,
    pub execution: Vec<ExecutionIssue>,
    /// The target group fit, when a target group was given: whether the channel misses it, and its figures in
    /// words.
    pub target_group: Option<TargetGroupFacts>,
    /// Hours on customer service, recruiting, PR and procurement on the channel: what it brings beyond sales
    /// (a channel that misses the target group but carries this work is not dropped for missing it).
    pub value_beyond_sales_hours: f64,
}

/// A channel against the target group (crates/analytics, `target_group::fit`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetGroupFacts {
    pub misses: bool,
    pub reading: String,
}
