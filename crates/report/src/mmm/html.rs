//! The mix model's section of the HTML report: a warning first when the fit failed its checks, then the
//! decomposition over time, the channels with their intervals, the reading and the checks, the response curves
//! and, when there is one, the plan for the next quarter. maud escapes every text (channel names come from
//! files); the charts escape their own.

use super::charts;
use super::{amount, input_unit, money_unit, period_word, target_unit, MmmSection};
use crate::figures::{self, Unit};
use maud::{html, Markup, PreEscaped};
use socialledger_analytics::ValueOfTarget;
use socialledger_mmm::allocate::{Allocation, Resource};
use socialledger_mmm::result::Estimate;
use socialledger_mmm::MmmResult;

/// Styles of this section only; appended to the report's own.
pub const CSS: &str = r#"
.not-an-answer { border: 3px solid #D55E00; background: #fff3eb; border-radius: 6px; padding: 8px 16px 12px;
  margin: 12px 0 16px; }
.not-an-answer h3 { margin-top: 6px; color: #A33F00; font-size: 1.15rem; }
.not-an-answer ul { margin: 0; padding-left: 20px; }
.curves { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 280px), 1fr)); gap: 8px 16px; }
.curves figure { margin: 0; }
.curves figcaption { font-size: .8rem; }
td.wrap { white-space: normal; text-align: left; min-width: 16em; max-width: 32em; }
th.wrap { text-align: left; }
.chart-scroll { overflow-x: auto; }
.chart-scroll svg { min-width: 640px; }
td.tells-no { color: #A33F00; font-weight: 600; }
td.tells-yes { color: #006B4F; }
td.check-failed { color: #A33F00; font-weight: 600; }
p.gain { font-size: 1.05rem; }
"#;

/// The whole section.
pub fn section(s: &MmmSection) -> Markup {
    let r = &s.result;
    let per = period_word(r);
    let level = figures::percent(r.level, 0);
    let decomposition = charts::decomposition(r);
    let mut kinds: Vec<&str> = Vec::new();
    for c in &r.channels {
        if !kinds.contains(&c.input.as_str()) {
            kinds.push(c.input.as_str());
        }
    }
    let inputs = match kinds.as_slice() {
        [] => "none".to_string(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    html! {
        section id="mmm" {
            h2 { "Mix model: what each channel causes over time" }
            @if !r.diagnostics.passed { (not_an_answer(r)) }
            p { "The mix model reads every " (per) "'s " (r.target) " against every channel's input (" (inputs) ") beside baseline, trend, seasonality and controls, from "
                (r.start) " to " (r.end) " (" (r.periods) " " (per) "s). Each channel's effect carries over into later " (per)
                "s and flattens as it grows. Intervals are " (level) "; " (r.diagnostics.sampler) " fit." }
            // On a phone the chart keeps a readable type size and scrolls sideways in its own box.
            div.chart-scroll { (crate::html::chart(&decomposition.to_svg(), &format!(
                "Areas: what the baseline, trend and seasonality{}, and each {} add to {} each {per}; parts that lower it hang below zero. Solid line: the actual {}; dashed line: the model's total (the areas above zero minus those below).",
                if r.decomposition.iter().any(|p| p.controls != 0.0) { ", controls" } else { "" },
                if r.channels.len() <= charts::MAX_CHANNEL_AREAS { "channel" } else { "group of channels" },
                r.target, r.target))) }
            (channel_table(r, &s.value_of_target))
            (reading(r))
            h3 { "Response curves" }
            p.table-note { "What each channel brings in " (r.target) " per " (per) " for each level of its input, from none to twice today's level (the dot, the average over the history). Where the curve flattens, more of the channel brings less." }
            div.curves {
                @for (m, curve) in charts::response_curves(r) {
                    figure {
                        (PreEscaped(curve.to_svg()))
                        @if !r.channels[m].identifiable { figcaption { "The history cannot tell this channel's effect: the curve is the model's guess." } }
                    }
                }
            }
            @if let Some(a) = &s.allocation { (plan(r, a)) }
        }
    }
}

/// The prominent box of a fit that failed its checks: its figures are shown, but they are not an answer.
fn not_an_answer(r: &MmmResult) -> Markup {
    html! {
        div.not-an-answer role="note" {
            h3 { "Not an answer: this fit failed its checks" }
            p { "The figures below are what the model found, but a fit that fails its checks cannot say what the channels cause. Read them as a description of the history, not as effects to act on." }
            ul {
                @for c in r.diagnostics.checks.iter().filter(|c| !c.passed) {
                    li { (crate::readings::sentence(&c.message)) }
                }
            }
        }
    }
}

/// `value` with its interval beneath, as the report's other tables set it.
fn with_interval(value: String, low: String, high: String, title: &str) -> Markup {
    html! { (value) span.interval title=(title) { (low) " to " (high) } }
}

fn channel_table(r: &MmmResult, value: &ValueOfTarget) -> Markup {
    let unit = target_unit(r);
    let count = |v: f64| amount(v, Unit::Count);
    let level = figures::percent(r.level, 0);
    let interval = format!("{level} interval");
    let roi_cell = |v: Option<f64>, lo: Option<f64>, hi: Option<f64>| match (v, lo, hi) {
        (Some(v), Some(lo), Some(hi)) => {
            html! { td { (with_interval(figures::roi(v), figures::roi(lo), figures::roi(hi), &interval)) } }
        }
        (Some(v), _, _) => html! { td { (figures::roi(v)) } },
        _ => html! { td.na title="no cost recorded" { "n/a" } },
    };
    let mut rows: Vec<_> = r.channels.iter().collect();
    rows.sort_by(|a, b| b.contribution_share.total_cmp(&a.contribution_share).then_with(|| a.name.cmp(&b.name)));
    html! {
        h3 { "Channels" }
        p.table-note { "Contribution: the " (r.target) " the channel caused over the " (r.periods) " " (period_word(r)) "s"
            @if let Unit::Money(c) = unit { " (" (c.as_str()) ")" }
            ", " (level) " interval beneath. Share: of all channels' contribution. " (super::roi_label(value, &r.currency))
            ": ROI = (contribution × " (figures::decimal(r.value_per_unit, 2)) " − full cost) / full cost; marginal ROI: the return of the next unit of cost at today's level." }
        div.table-wrap {
            table.mmm-channels {
                thead {
                    tr {
                        th { "Channel" }
                        th { "Input" }
                        th { "Contribution" }
                        th { "Share" }
                        th { "ROI" }
                        th { "Marginal ROI" }
                        th title="whether the history can tell the channel's effect" { "The history can tell?" }
                        th.wrap { "Why" }
                    }
                }
                tbody {
                    @for c in rows {
                        tr {
                            td { (c.name) }
                            @let in_unit = input_unit(r, c.input);
                            td {
                                (amount(c.input_total, in_unit))
                                // Hours say what they are; money and counts get the input's kind beneath.
                                @if in_unit != Unit::Hours { " " span.interval { (c.input.as_str()) } }
                            }
                            td { (with_interval(count(c.contribution), count(c.contribution_low), count(c.contribution_high), &interval)) }
                            td { (with_interval(figures::percent(c.contribution_share, 1), figures::percent(c.share_low, 0), figures::percent(c.share_high, 0), &interval)) }
                            (roi_cell(c.roi, c.roi_low, c.roi_high))
                            (roi_cell(c.marginal_roi, c.marginal_roi_low, c.marginal_roi_high))
                            @if c.identifiable { td.tells-yes { "yes" } } @else { td.tells-no { "no" } }
                            td.wrap { (c.why.as_deref().map(crate::readings::sentence).unwrap_or_default()) }
                        }
                    }
                }
            }
        }
    }
}

/// The fit's own reading (how well it describes the history, what the channels explain, which effects the
/// history can tell), then its checks and fit figures in words.
fn reading(r: &MmmResult) -> Markup {
    let fit = &r.fit;
    html! {
        div.reading {
            h3 { "What it says" }
            ul { @for s in &r.reading { li { (s) } } }
            h3 { "How sure we are: the checks" }
            ul {
                @for c in &r.diagnostics.checks {
                    li {
                        @if c.passed { strong { "Passed: " } } @else { strong.check-failed { "Failed: " } }
                        (crate::readings::sentence(&c.message))
                    }
                }
                li { "In sample the model describes " (figures::percent(fit.r2.max(0.0), 0)) " of the variation (R² "
                    (figures::decimal(fit.r2, 2)) ") and is off by " (figures::percent(fit.mape, 1)) " a " (period_word(r)) " on average"
                    @match (fit.cv_mape, fit.baseline_cv_mape) {
                        (Some(a), Some(b)) => { "; predicting " (period_word(r)) "s it had not seen (" (fit.cv_folds) " folds), by "
                            (figures::percent(a, 1)) ", against " (figures::percent(b, 1)) " for a model without channels." },
                        _ => { "; it was not cross-validated." },
                    }
                }
            }
        }
    }
}

/// The allocator's plan: per channel today's level, the proposal, the change and why; then the gain with its
/// interval, and a warning when the interval reaches below zero.
fn plan(r: &MmmResult, a: &Allocation) -> Markup {
    let money = money_unit(r);
    let target = target_unit(r);
    let of = |v: f64, res: Resource| amount(v, if res == Resource::Hours { Unit::Hours } else { money });
    let est = |e: &Estimate| {
        format!("{} ({} to {})", amount(e.value, target), amount(e.low, Unit::Count), amount(e.high, Unit::Count))
    };
    let draws = |res: Resource| a.channels.iter().any(|c| c.resource == res);
    let resources: Vec<String> = [
        draws(Resource::Money).then(|| format!("{} of money", amount(a.budget, money))),
        draws(Resource::Hours).then(|| format!("{} of staff time", amount(a.hours, Unit::Hours))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let level = figures::percent(r.level, 0);
    html! {
        h3 { "Plan for " (a.start) " to " (a.end) " (" (a.horizon) " " (period_word(r)) "s)" }
        p.table-note { "The allocator shares " (crate::readings::join_and(&resources))
            " over the channels so that the next unit goes where it brings most, counting what each channel carries into the periods after. Channels entering by posts or impressions are held at their recent level." }
        div.table-wrap {
            table.mmm-plan {
                thead { tr { th { "Channel" } th { "Resource" } th { "Today" } th { "Proposed" } th { "Change" } th.wrap { "Why" } } }
                tbody {
                    @for c in &a.channels {
                        @let change = c.proposed - c.current;
                        tr {
                            td { (c.name) }
                            td { (resource_label(c.resource)) }
                            td { (of(c.current, c.resource)) }
                            td { (of(c.proposed, c.resource)) }
                            td { (if change >= 0.0 { "+" } else { "−" }) (of(change.abs(), c.resource)) }
                            td.wrap { (crate::readings::sentence(&c.explanation)) }
                        }
                    }
                }
            }
        }
        p.gain { "The plan brings " strong { (est(&a.proposed_total)) } " against " (est(&a.current_total))
            " at today's split: a gain of " strong { (est(&a.gain)) } ", " (level) " interval." }
        @if a.gain.low < 0.0 {
            p { "The gain's interval reaches below zero: the history cannot promise that the plan does better than today's split." }
        }
        p { "What past inputs carry into the period is the same under every plan (" (amount(a.carried_in, target))
            "); the " (r.target) " expected over the period with the plan is " (est(&a.forecast)) "." }
        @if !a.notes.is_empty() {
            ul { @for n in &a.notes { li { (crate::readings::sentence(n)) } } }
        }
    }
}

fn resource_label(r: Resource) -> &'static str {
    match r {
        Resource::Money => "money",
        Resource::Hours => "hours",
        Resource::Held => "held",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmm::testing::{channel, result};
    use socialledger_mmm::ChannelGroup;

    fn hostile(passed: bool) -> MmmSection {
        MmmSection {
            result: result(
                vec![
                    channel("x", "<script>alert(1)</script>", ChannelGroup::Social, true),
                    channel("n", "Events \"&<>", ChannelGroup::Event, false),
                ],
                passed,
            ),
            allocation: None,
            value_of_target: socialledger_analytics::ValueOfTarget::as_given(),
        }
    }

    #[test]
    fn a_failed_fit_opens_with_the_warning_and_a_passed_one_has_none() {
        let failed = section(&hostile(false)).into_string();
        let box_at = failed.find("class=\"not-an-answer\"").expect("the warning box");
        assert!(box_at < failed.find("<svg").unwrap(), "the warning comes before any chart");
        assert!(failed.contains("Not an answer"));
        // The failed check's own words, escaped.
        assert!(failed.contains("off by &lt;b&gt;20 %&lt;/b&gt; a period."), "{failed}");
        let passed = section(&hostile(true)).into_string();
        assert!(!passed.contains("not-an-answer"));
    }

    #[test]
    fn channel_names_are_escaped_everywhere() {
        let html = section(&hostile(true)).into_string();
        assert!(!html.contains("<script>"), "a raw script tag");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Events &quot;&amp;&lt;&gt;"));
        assert!(!html.contains("Events \"&"));
    }

    #[test]
    fn the_table_says_whether_the_history_can_tell_and_why() {
        let html = section(&hostile(true)).into_string();
        assert!(
            html.contains(
                "<td class=\"tells-no\">no</td><td class=\"wrap\">Its hours barely varied over 52 weeks.</td>"
            ),
            "{html}"
        );
        assert!(html.contains("<td class=\"tells-yes\">yes</td>"));
        // Share with its interval; ROI with its interval.
        assert!(html.contains("50.0%<span class=\"interval\" title=\"90% interval\">30% to 70%</span>"), "{html}");
        assert!(html.contains("+100%<span class=\"interval\" title=\"90% interval\">+20% to +170%</span>"), "{html}");
    }
}
