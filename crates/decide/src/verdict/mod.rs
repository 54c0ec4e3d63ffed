//! The verdict per channel: `keep`, `grow`, `fix`, `drop` or `undecided`, from the strongest evidence there is
//! and never stronger than it. The rules are the same for every channel and written out in docs/verdict.md;
//! [`decide`] applies them to what is known about each channel ([`ChannelFacts`]).

pub mod evidence;
pub mod facts;
pub mod report;
pub mod rules;

pub use evidence::{ChannelFacts, Evidence, EvidenceKind, ExecutionCode, ExecutionIssue, Interval, TargetGroupFacts};
pub use report::{verdict_report, ChannelVerdict, NextStep, VerdictReport};
pub use rules::{decide, Decision, Reason, ReasonCode, Verdict};
