//! The rules of the verdict (docs/verdict.md says the same in words):
//!
//! 1. The **deciding evidence** is the strongest kind that can tell the channel's effect and gives an ROI with
//!    an interval: an experiment's readout, else the mix model where its history identifies the channel, else
//!    the incremental attribution model. Heuristic credit never decides: with nothing else the channel is
//!    `undecided`.
//! 2. With the deciding ROI interval (90 %): wholly below zero, `drop` (unless the evidence sees only part of
//!    what the channel does, e.g. the mix model on pipeline does not see effects on winning deals: then its ROI
//!    is a lower bound and the channel stays `undecided`); wholly above zero, `keep`, or `grow`
//!    when its marginal ROI is above zero across its interval and its lower end is above every other
//!    channel's marginal ROI where the evidence gives one (the response curve is not saturated: the next euro
//!    or hour brings most there); an interval that spans zero is `undecided`.
//! 3. A channel run badly (execution issues: identical cross-posts, falling engagement, slow responses) is
//!    `fix` unless the evidence says `drop`: running it better comes before judging it.
//! 4. A channel that **misses the target group** (a target group was given and its fit says so) and brings
//!    nothing else (no hours of customer service, recruiting, PR or procurement on it) is `drop` unless the
//!    evidence shows it pays back (`keep`, `grow`): reaching the wrong people is reason enough to stop.
//! 5. Every other piece of evidence whose ROI interval does not overlap the deciding one is reported as a
//!    disagreement, heuristic credit included: the reader sees where the models part ways.

use super::evidence::{ChannelFacts, Evidence, EvidenceKind, Interval};
use serde::Serialize;

/// What to do with a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Keep,
    Grow,
    Fix,
    Drop,
    Undecided,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Keep => "keep",
            Verdict::Grow => "grow",
            Verdict::Fix => "fix",
            Verdict::Drop => "drop",
            Verdict::Undecided => "undecided",
        }
    }
}

/// Why, as a stable code for machines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    RoiBelowZero,
    LowerBoundBelowZero,
    RoiAboveZero,
    RoiSpansZero,
    MarginalAboveOthers,
    MarginalNotAbove,
    HeuristicOnly,
    CannotTell,
    NoEvidence,
    Execution,
    MissesTargetGroup,
    Disagreement,
}

/// One reason, in words with its numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub text: String,
}

/// The verdict on one channel and what it rests on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decision {
    pub channel: String,
    pub name: String,
    pub verdict: Verdict,
    /// The kind of evidence the verdict rests on (`None`: nothing that can decide).
    pub evidence: Option<EvidenceKind>,
    pub cost: f64,
    pub roi: Option<Interval>,
    pub marginal_roi: Option<Interval>,
    pub reasons: Vec<Reason>,
}

/// The verdict on every channel (see the module's rules).
pub fn decide(channels: &[ChannelFacts]) -> Vec<Decision> {
    let deciding: Vec<Option<&Evidence>> = channels.iter().map(deciding_evidence).collect();
    channels
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let others_marginal = deciding
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .filter_map(|(_, e)| e.and_then(|e| e.marginal_roi).map(|m| m.estimate))
                .fold(None, |acc: Option<f64>, m| Some(acc.map_or(m, |a| a.max(m))));
            decide_one(c, deciding[i], others_marginal)
        })
        .collect()
}

/// The strongest evidence that can decide: tells the effect, has an ROI interval, and is not heuristic.
fn deciding_evidence(c: &ChannelFacts) -> Option<&Evidence> {
    let mut usable: Vec<&Evidence> =
        c.evidence.iter().filter(|e| e.kind.can_decide() && e.tells && e.roi.is_some()).collect();
    usable.sort_by_key(|e| e.kind);
    usable.first().copied()
}

fn pct(x: f64) -> String {
    crate::words::signed_percent(x)
}

fn range(i: &Interval) -> String {
    format!("{} (90 % interval {} to {})", pct(i.estimate), pct(i.low), pct(i.high))
}

fn decide_one(c: &ChannelFacts, deciding: Option<&Evidence>, others_marginal: Option<f64>) -> Decision {
    let mut reasons = Vec::new();
    let (mut verdict, roi, marginal) = match deciding.and_then(|e| e.roi.map(|r| (e, r))) {
        None => {
            for e in c.evidence.iter().filter(|e| !e.tells) {
                reasons.push(Reason {
                    code: ReasonCode::CannotTell,
                    text: format!(
                        "the {} cannot tell its effect{}",
                        e.kind.label(),
                        e.why.as_deref().map(|w| format!(": {w}")).unwrap_or_default()
                    ),
                });
            }
            let heuristic: Vec<Interval> =
                c.evidence.iter().filter(|e| e.kind == EvidenceKind::Heuristic).filter_map(|e| e.roi).collect();
            if heuristic.is_empty() {
                reasons.push(Reason { code: ReasonCode::NoEvidence, text: "nothing measures what it causes".into() });
            } else {
                let lo = heuristic.iter().map(|r| r.low).fold(f64::INFINITY, f64::min);
                let hi = heuristic.iter().map(|r| r.high).fold(f64::NEG_INFINITY, f64::max);
                reasons.push(Reason {
                    code: ReasonCode::HeuristicOnly,
                    text: format!(
                        "only heuristic attribution values it (ROI {} to {}), and heuristics credit being present, \
                         not causing: they cannot decide",
                        pct(lo),
                        pct(hi)
                    ),
                });
            }
            (Verdict::Undecided, None, None)
        }
        Some((e, roi)) => {
            // An experiment is cited with its design, weeks and how its effect was scaled to the channel.
            let by = e.experiment.as_ref().map_or_else(|| e.kind.label().to_string(), |x| x.label());
            let v = if roi.high < 0.0 {
                match &e.lower_bound_only {
                    Some(partial) => {
                        reasons.push(Reason {
                            code: ReasonCode::LowerBoundBelowZero,
                            text: format!(
                                "by the {by}, its ROI on full cost is {}, but {partial}: what it brings may be more, \
                                 so this cannot show that it does not pay back",
                                range(&roi)
                            ),
                        });
                        Verdict::Undecided
                    }
                    None => {
                        reasons.push(Reason {
                            code: ReasonCode::RoiBelowZero,
                            text: format!(
                                "by the {by}, its ROI on full cost is {}: below zero throughout",
                                range(&roi)
                            ),
                        });
                        Verdict::Drop
                    }
                }
            } else if roi.low > 0.0 {
                reasons.push(Reason {
                    code: ReasonCode::RoiAboveZero,
                    text: format!("by the {by}, its ROI on full cost is {}: above zero throughout", range(&roi)),
                });
                match e.marginal_roi {
                    Some(m) if m.low > 0.0 && others_marginal.is_none_or(|o| m.low > o) => {
                        reasons.push(Reason {
                            code: ReasonCode::MarginalAboveOthers,
                            text: format!(
                                "the next euro or hour returns {}{}: its response is not saturated",
                                range(&m),
                                others_marginal
                                    .map(|o| format!(", above every other channel's ({} at best)", pct(o)))
                                    .unwrap_or_default()
                            ),
                        });
                        Verdict::Grow
                    }
                    Some(m) => {
                        reasons.push(Reason {
                            code: ReasonCode::MarginalNotAbove,
                            text: format!(
                                "the next euro or hour returns {}: not clearly more than elsewhere, so keep it at \
                                 its level",
                                range(&m)
                            ),
                        });
                        Verdict::Keep
                    }
                    None => Verdict::Keep,
                }
            } else {
                reasons.push(Reason {
                    code: ReasonCode::RoiSpansZero,
                    text: format!(
                        "by the {by}, its ROI on full cost is {}: the interval spans zero, so it may or may not pay \
                         back",
                        range(&roi)
                    ),
                });
                Verdict::Undecided
            };
            (v, Some(roi), e.marginal_roi)
        }
    };
    if let Some(tg) = c.target_group.as_ref().filter(|t| t.misses) {
        let pays = matches!(verdict, Verdict::Keep | Verdict::Grow);
        let text = if pays {
            format!("it misses the target group ({}), yet the evidence says it pays back", tg.reading)
        } else if c.value_beyond_sales_hours > 0.0 {
            format!(
                "it misses the target group ({}), but carries {:.0} hours of customer service, recruiting, PR or \
                 procurement work: value beyond sales, so it is not dropped for that",
                tg.reading, c.value_beyond_sales_hours
            )
        } else {
            verdict = Verdict::Drop;
            format!("it misses the target group ({}) and brings nothing else: stop it", tg.reading)
        };
        reasons.push(Reason { code: ReasonCode::MissesTargetGroup, text });
    }
    if !c.execution.is_empty() && verdict != Verdict::Drop {
        verdict = Verdict::Fix;
        for issue in &c.execution {
            reasons.push(Reason { code: ReasonCode::Execution, text: issue.message.clone() });
        }
    }
    if let (Some(d), Some(roi)) = (deciding, roi) {
        // Evidence that cannot tell has nothing to disagree with; heuristic credit always "tells" its rule.
        for e in c.evidence.iter().filter(|e| e.kind != d.kind && e.tells) {
            if let Some(other) = e.roi.filter(|o| o.disjoint(&roi)) {
                reasons.push(Reason {
                    code: ReasonCode::Disagreement,
                    text: format!(
                        "the {} put its ROI at {}, apart from the {}'s: the verdict follows the stronger evidence",
                        e.kind.label(),
                        range(&other),
                        d.kind.label()
                    ),
                });
            }
        }
    }
    Decision {
        channel: c.channel.clone(),
        name: c.name.clone(),
        verdict,
        evidence: deciding.map(|e| e.kind),
        cost: c.cost,
        roi,
        marginal_roi: marginal,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::{ExecutionCode, ExecutionIssue, TargetGroupFacts};

    fn ev(kind: EvidenceKind, roi: (f64, f64, f64), marginal: Option<(f64, f64, f64)>, tells: bool) -> Evidence {
        Evidence {
            kind,
            roi: Some(Interval::new(roi.0, roi.1, roi.2)),
            marginal_roi: marginal.map(|m| Interval::new(m.0, m.1, m.2)),
            tells,
            why: (!tells).then(|| "its hours barely varied".to_string()),
            lower_bound_only: None,
            experiment: None,
        }
    }

    fn channel(key: &str, evidence: Vec<Evidence>) -> ChannelFacts {
        ChannelFacts {
            channel: key.into(),
            name: key.into(),
            cost: 1000.0,
            evidence,
            execution: Vec::new(),
            target_group: None,
            value_beyond_sales_hours: 0.0,
        }
    }

    #[test]
    fn heuristic_credit_alone_never_decides_however_high() {
        let facebook = channel("facebook", vec![ev(EvidenceKind::Heuristic, (16.0, 5.5, 16.0), None, true)]);
        let d = &decide(&[facebook])[0];
        assert_eq!(d.verdict, Verdict::Undecided);
        assert_eq!(d.evidence, None);
        assert_eq!(d.reasons[0].code, ReasonCode::HeuristicOnly);
        assert!(d.reasons[0].text.contains("+1,600 %"), "{}", d.reasons[0].text);
    }

    #[test]
    fn the_strongest_evidence_that_tells_decides_and_disagreement_is_reported() {
        // The mix model cannot tell; the incremental model can and finds the ROI below zero; an experiment
        // outranks both.
        let base = vec![
            ev(EvidenceKind::Heuristic, (5.0, 5.0, 5.0), None, true),
            ev(EvidenceKind::Mmm, (0.5, -1.0, 3.0), None, false),
            ev(EvidenceKind::Incremental, (-0.6, -0.9, -0.2), None, true),
        ];
        let d = &decide(&[channel("x", base.clone())])[0];
        assert_eq!((d.verdict, d.evidence), (Verdict::Drop, Some(EvidenceKind::Incremental)));
        assert!(d.reasons.iter().any(|r| r.code == ReasonCode::Disagreement && r.text.contains("heuristic")));
        let mut with_experiment = base;
        with_experiment.push(ev(EvidenceKind::Experiment, (0.9, 0.2, 1.6), None, true));
        let d = &decide(&[channel("x", with_experiment)])[0];
        assert_eq!((d.verdict, d.evidence), (Verdict::Keep, Some(EvidenceKind::Experiment)));
        assert!(d.reasons.iter().any(|r| r.code == ReasonCode::Disagreement && r.text.contains("incremental")));
    }

    #[test]
    fn grow_needs_a_marginal_return_clearly_above_every_other_channel() {
        let a = channel("a", vec![ev(EvidenceKind::Mmm, (1.0, 0.4, 1.8), Some((2.0, 1.2, 3.0)), true)]);
        let b = channel("b", vec![ev(EvidenceKind::Mmm, (0.8, 0.3, 1.2), Some((0.5, 0.1, 0.9)), true)]);
        let c = channel("c", vec![ev(EvidenceKind::Mmm, (0.2, -0.3, 0.8), Some((0.1, -0.2, 0.5)), true)]);
        let d = decide(&[a.clone(), b.clone(), c]);
        assert_eq!(d.iter().map(|d| d.verdict).collect::<Vec<_>>(), [Verdict::Grow, Verdict::Keep, Verdict::Undecided]);
        // Another channel's marginal return above a's lower bound: a is kept, not grown.
        let rival = channel("r", vec![ev(EvidenceKind::Mmm, (1.0, 0.5, 1.5), Some((1.5, 0.2, 2.5)), true)]);
        assert_eq!(decide(&[a, b, rival])[0].verdict, Verdict::Keep);
    }

    #[test]
    fn a_badly_run_channel_is_fixed_unless_the_evidence_says_drop() {
        let issue = ExecutionIssue {
            code: ExecutionCode::IdenticalCrossposts,
            message: "62 % of its posts are identical cross-posts".into(),
        };
        let mut ok = channel("x", vec![ev(EvidenceKind::Mmm, (0.2, -0.5, 0.9), None, true)]);
        ok.execution.push(issue.clone());
        let d = &decide(&[ok])[0];
        assert_eq!(d.verdict, Verdict::Fix);
        assert!(d.reasons.iter().any(|r| r.code == ReasonCode::Execution && r.text.contains("62 %")));
        let mut bad = channel("y", vec![ev(EvidenceKind::Mmm, (-0.8, -0.95, -0.4), None, true)]);
        bad.execution.push(issue);
        assert_eq!(decide(&[bad])[0].verdict, Verdict::Drop);
    }

    #[test]
    fn missing_the_target_group_drops_a_channel_that_brings_nothing_else() {
        let misses = TargetGroupFacts { misses: true, reading: "reaches 0 of 40 target accounts".into() };
        let undecided = ev(EvidenceKind::Mmm, (0.2, -0.5, 0.9), None, true);
        let mut nothing_else = channel("x", vec![undecided.clone()]);
        nothing_else.target_group = Some(misses.clone());
        let d = &decide(&[nothing_else.clone()])[0];
        assert_eq!(d.verdict, Verdict::Drop);
        assert!(d.reasons.iter().any(|r| r.code == ReasonCode::MissesTargetGroup && r.text.contains("0 of 40")));
        // Customer service on it: not dropped for missing the target group.
        let mut service = nothing_else.clone();
        service.value_beyond_sales_hours = 120.0;
        assert_eq!(decide(&[service])[0].verdict, Verdict::Undecided);
        // Evidence that it pays back outranks the miss.
        let mut pays = channel("x", vec![ev(EvidenceKind::Mmm, (1.0, 0.4, 1.8), None, true)]);
        pays.target_group = Some(misses);
        assert_eq!(decide(&[pays])[0].verdict, Verdict::Keep);
        // A channel that reaches the target group is judged as before.
        nothing_else.target_group = Some(TargetGroupFacts { misses: false, reading: String::new() });
        assert_eq!(decide(&[nothing_else])[0].verdict, Verdict::Undecided);
    }

    #[test]
    fn evidence_that_sees_only_part_of_the_effect_never_drops() {
        let mut partial = ev(EvidenceKind::Mmm, (-0.6, -0.9, -0.2), None, true);
        partial.lower_bound_only = Some("the mix model's target is pipeline".into());
        let d = &decide(&[channel("events", vec![partial.clone()])])[0];
        assert_eq!(d.verdict, Verdict::Undecided);
        assert_eq!(d.reasons[0].code, ReasonCode::LowerBoundBelowZero);
        // Above zero, a lower bound is enough to keep.
        partial.roi = Some(Interval::new(0.8, 0.2, 1.5));
        assert_eq!(decide(&[channel("events", vec![partial])])[0].verdict, Verdict::Keep);
    }
}
