//! The verdict per channel: `keep`, `grow`, `fix`, `drop` or `undecided`, from the strongest evidence there is
//! and never stronger than it. The rules are the same for every channel and written out in docs/verdict.md;
//! [`decide`] applies them to what is known about each channel ([`ChannelFacts`]).

pub mod evidence;
pub mod experiments;
pub mod facts;
pub mod gather;
pub mod next_step;
pub mod report;
pub mod rules;

pub use crate::experiment::Design;
pub use evidence::{ChannelFacts, Evidence, EvidenceKind, ExecutionCode, ExecutionIssue, Interval, TargetGroupFacts};
pub use experiments::ExperimentEffect;
pub use next_step::{DesignOption, NextStep, Units, MAX_EXPERIMENT_WEEKS};
pub use report::{verdict_report, ChannelVerdict, VerdictReport};
pub use rules::{decide, Decision, Reason, ReasonCode, Verdict};
