//! The report's first page: the decision. The verdict per channel with the evidence it rests on and its ROI
//! interval, social as a whole against the rest of the mix, what the channels caused against the baseline, how
//! sure we are, and the next steps. Laid out to print as one A4 page; every text from the data is escaped by
//! maud.

use crate::figures::{decimal, percent, roi};
use maud::{html, Markup};
use socialledger_decide::verdict::{ChannelVerdict, EvidenceKind, ReasonCode, Verdict, VerdictReport};
use socialledger_decide::Interval;

/// Styles of the decision page (added to the report's own).
pub const CSS: &str = r#"
section#decision table td.verdict { font-weight: 700; text-transform: uppercase; font-size: .78rem; }
td.verdict.keep, td.verdict.grow { color: #007a55; }
td.verdict.drop { color: #D55E00; }
td.verdict.fix { color: #b07d00; }
td.verdict.undecided { color: var(--muted); }
section#decision td.why { white-space: normal; text-align: left; min-width: 18em; font-size: .8rem; }
details.verdict-reasons { margin-top: 12px; font-size: .85rem; }
details.verdict-reasons h4 { margin: 8px 0 2px; }
@media print {
  section#decision { break-after: page; page-break-after: always; margin-top: 8pt; }
  section#decision h2 { margin-top: 6pt; }
  section#decision table { font-size: 7pt; }
  section#decision th, section#decision td { padding: 1px 4px; }
  section#decision td.why { font-size: 6.5pt; line-height: 1.25; min-width: 0; }
  section#decision td.verdict { font-size: 6.5pt; }
  section#decision .figures { grid-template-columns: repeat(4, minmax(0, 1fr)); }
  section#decision .figure .value { font-size: 11pt; }
  section#decision .figure .label { font-size: 7pt; }
  section#decision .reading { padding: 2pt 8pt 4pt; font-size: 7.5pt; }
  details.verdict-reasons { display: none; }
}
"#;

fn interval(i: &Interval) -> String {
    format!("{} to {}", decimal(i.low, 0), decimal(i.high, 0))
}

fn roi_cell(c: &ChannelVerdict) -> Markup {
    match (c.roi, c.roi_low, c.roi_high) {
        (Some(r), Some(l), Some(h)) => html! { td { (roi(r)) span.interval { (roi(l)) " to " (roi(h)) } } },
        _ => html! { td.na title="no evidence that can tell" { "unknown" } },
    }
}

/// The reasons in a few words each (the full sentences are in the details below the page and in `verdict
/// --json`), and the next step: short enough for the page to print on one A4 sheet.
fn why(c: &ChannelVerdict) -> Markup {
    let mut parts: Vec<String> = Vec::new();
    for r in &c.reasons {
        let part = match r.code {
            ReasonCode::RoiBelowZero => "ROI below zero throughout".to_string(),
            ReasonCode::LowerBoundBelowZero => {
                "below zero on deal creation alone; effects on winning unseen".to_string()
            }
            ReasonCode::RoiAboveZero => "ROI above zero throughout".to_string(),
            ReasonCode::RoiSpansZero => "ROI interval spans zero".to_string(),
            ReasonCode::MarginalAboveOthers => "the next euro returns most here".to_string(),
            ReasonCode::MarginalNotAbove => "no better at the margin than elsewhere".to_string(),
            ReasonCode::CannotTell | ReasonCode::Disagreement => continue,
            ReasonCode::HeuristicOnly => {
                let range = c
                    .all_evidence
                    .iter()
                    .find(|e| e.kind == EvidenceKind::Heuristic)
                    .and_then(|e| e.roi)
                    .map(|r| format!(" ({} to {})", roi(r.low), roi(r.high)))
                    .unwrap_or_default();
                format!("only heuristic credit{range}, which cannot decide")
            }
            ReasonCode::NoEvidence => "nothing measures what it causes".to_string(),
            ReasonCode::MissesTargetGroup => r.text.split(" (").next().unwrap_or(&r.text).to_string(),
            // The finding without its interval and detail (`verdict --json` and the details below have them).
            ReasonCode::Execution => {
                let head = r.text.split(';').next().unwrap_or(&r.text);
                head.split(" (90 % interval").next().unwrap_or(head).to_string()
            }
        };
        parts.push(part);
    }
    let silent: Vec<&str> = c.all_evidence.iter().filter(|e| !e.tells).map(|e| e.kind.label()).collect();
    if !silent.is_empty() {
        parts.push(format!("cannot tell: {}", silent.join(", ")));
    }
    let disagree: Vec<&str> = c
        .reasons
        .iter()
        .filter(|r| r.code == ReasonCode::Disagreement)
        .filter_map(|r| r.text.strip_prefix("the ").and_then(|t| t.split(" put ").next()))
        .collect();
    if !disagree.is_empty() {
        parts.push(format!("{} disagree", disagree.join(", ")));
    }
    html! {
        td.why {
            (parts.join("; "))
            @if let Some(s) = &c.next_step {
                br;
                @if s.reaches_power {
                    "Next: a " (s.design.label()) " of " (s.weeks) " weeks; it sees " (decimal(s.min_detectable_effect, 0)) " a week."
                } @else {
                    "Next: no design up to " (s.weeks) " weeks sees break-even (" (decimal(s.effect, 0)) " a week); a " (s.design.label()) " comes closest (" (decimal(s.min_detectable_effect, 0)) " a week)."
                }
            }
        }
    }
}

/// The decision section; `None` verdict gives nothing.
pub fn section(v: &VerdictReport) -> Markup {
    let decided = v.channels.iter().filter(|c| c.verdict != Verdict::Undecided).count();
    let s = &v.social;
    html! {
        section id="decision" class="first" {
            h2 { "The decision: keep, grow, fix or drop" }
            p.table-note {
                "Each channel is judged by the strongest evidence that can tell its effect (experiment, then mix model, then incremental model); heuristic credit never decides. ROI on gross profit at a "
                (percent(v.gross_margin, 0)) " margin, with 90 % intervals; the rules: docs/verdict.md."
            }
            div.figures {
                @if let (Some(all), Some(total), Some(base), Some(target)) = (s.all_channels_caused, s.target_total, s.baseline_share, &s.target) {
                    div.figure {
                        div.value { (percent(all.estimate / total, 0)) }
                        div.label { "of " (target) " caused by the channels (mix model; 90 % interval " (percent(all.low / total, 0)) " to " (percent(all.high / total, 0)) ")" }
                    }
                    div.figure {
                        div.value { (percent(base, 0)) }
                        div.label { "of " (target) " is baseline: there without any channel" }
                    }
                }
                div.figure {
                    div.value { (decided) " of " (v.channels.len()) }
                    div.label { "channels decided; the others need the experiment named below" }
                }
                div.figure {
                    div.value { (decimal(s.organic_cost + s.paid_cost, 0)) " " span.unit { (v.currency) } }
                    div.label { "full cost of social (" (decimal(s.organic_cost, 0)) " organic, " (decimal(s.paid_cost, 0)) " paid) of " (decimal(s.total_cost, 0)) " for every channel" }
                }
            }
            div.table-wrap {
                table {
                    thead { tr { th { "Channel" } th { "Verdict" } th { "Evidence" } th { "Cost" } th { "ROI" } th { "Why, and what next" } } }
                    tbody {
                        @for c in &v.channels {
                            tr {
                                td { (c.name) }
                                td class=(format!("verdict {}", c.verdict.as_str())) { (c.verdict.as_str()) }
                                td { (c.evidence.unwrap_or("none")) }
                                td { (decimal(c.cost, 0)) }
                                (roi_cell(c))
                                (why(c))
                            }
                        }
                    }
                }
            }
            @if s.target.is_some() {
                h3 { "Social against the rest of the mix" }
                div.table-wrap {
                    table {
                        thead { tr { th { "Group" } th { "Cost" } th { "Caused (" (s.target.as_deref().unwrap_or("")) ", 90 %)" } th { "Cost per unit caused" } th { "Cost per won deal caused" } } }
                        tbody {
                            @for g in &s.groups {
                                tr {
                                    td { (g.group.replace('_', " ")) }
                                    td { (decimal(g.cost, 0)) }
                                    @match &g.caused { Some(c) => td { (decimal(c.estimate, 0)) span.interval { (interval(c)) } }, None => td.na { "-" } }
                                    @match &g.cost_per_caused { Some(c) => td { (decimal(c.estimate, 2)) span.interval { (decimal(c.low, 2)) " to " (decimal(c.high, 2)) } }, None => td.na { "-" } }
                                    @match &g.cost_per_won_deal { Some(c) => td { (decimal(c.estimate, 0)) span.interval { (interval(c)) } }, None => td.na { "-" } }
                                }
                            }
                        }
                    }
                }
            }
            div.reading {
                h3 { "How sure we are" }
                ul {
                    @for r in &v.reading { li { (r) } }
                    @if let Some(n) = &v.evidence.mmm_note { li { "Mix model: " (n) "." } }
                    @if let Some(n) = &v.evidence.incremental_note { li { "Incremental model: " (n) "." } }
                }
            }
            details.verdict-reasons {
                summary { "Every reason in full, and the commands that plan the next steps" }
                @for c in &v.channels {
                    h4 { (c.name) ": " (c.verdict.as_str()) }
                    ul {
                        @for r in &c.reasons { li { (r.text) } }
                        @if let Some(s) = &c.next_step { li { "Next step: " (s.reading) ". " code { (s.command) } } }
                    }
                }
            }
        }
    }
}
