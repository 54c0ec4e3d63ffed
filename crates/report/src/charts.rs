//! The report's five charts, built from the analysis (and, for the timeline, the dataset) as plain chart data.

use crate::figures::Unit;
use crate::models::{self, REFERENCE_MODEL};
use crate::period::Period;
use crate::readings::cost_revenue::charted;
use crate::readings::count;
use crate::readings::engagement::monthly_rates;
use crate::readings::hours::{task_label, with_hours};
use crate::rhythm::{kind_label, Rhythm};
use crate::svg::{
    Bar, BarGroup, GroupedBarChart, LineChart, LineSeries, Span, SpanRow, StackedBar, StackedBarChart, StackedSegment,
    Tick, TickRow, Timeline,
};
use crate::{figures, table::ChannelRow};
use socialledger_analytics::attribution::comparison::{ModelComparison, ModelFamily};
use socialledger_analytics::cost::VALUE_BEYOND_SALES;
use socialledger_analytics::{month_start, Analysis};
use socialledger_domain::{Activity, Date, Money, Task};

/// Cost and attributed revenue per channel: the bar is the reference model's credit, the whisker the range
/// over every model.
pub fn cost_revenue(analysis: &Analysis, rows: &[ChannelRow]) -> GroupedBarChart {
    let cur = analysis.currency;
    let major = |minor: i64| Money::new(minor, cur).to_major_f64();
    GroupedBarChart {
        id: "chart-cost-revenue".into(),
        title: "Cost and attributed revenue per channel".into(),
        description: format!(
            "For each channel, its full cost and the revenue credited to it under the {} model, with a whisker from the lowest to the highest credit over all attribution models, in {cur}.",
            models::label(REFERENCE_MODEL).to_lowercase()
        ),
        unit: Unit::Money(cur),
        series: vec!["Cost".into(), "Revenue".into()],
        legend: vec![
            "Full cost".into(),
            format!("Revenue credited ({} model)", models::label(REFERENCE_MODEL).to_lowercase()),
        ],
        groups: charted(rows)
            .into_iter()
            .map(|r| BarGroup {
                label: r.name.clone(),
                bars: vec![
                    Bar { value: major(r.cost_minor), range: None },
                    Bar {
                        value: major(r.model(REFERENCE_MODEL).map_or(0, |m| m.revenue_minor)),
                        range: Some((major(r.revenue_min_minor), major(r.revenue_max_minor))),
                    },
                ],
            })
            .collect(),
    }
}

/// Engagement rate by impressions per channel and month (gaps where a month has no rate).
pub fn engagement(analysis: &Analysis, rows: &[ChannelRow], period: Option<Period>) -> LineChart {
    let mut months: Vec<Date> = Vec::new();
    if let Some(p) = period {
        let mut m = month_start(p.first);
        while m <= p.last {
            months.push(m);
            m = socialledger_analytics::month_end(m).succ_opt().unwrap_or(Date::MAX);
        }
    }
    let series = rows
        .iter()
        .filter_map(|r| {
            let rates = monthly_rates(analysis, &r.channel);
            if rates.is_empty() {
                return None;
            }
            let values = months
                .iter()
                .map(|m| rates.iter().find(|x| x.month == *m).and_then(|x| x.rate_by_impressions))
                .collect();
            Some(LineSeries { name: r.name.clone(), values })
        })
        .collect();
    LineChart {
        id: "chart-engagement".into(),
        title: "Engagement rate by impressions per channel and month".into(),
        description: "For each channel, engagements divided by impressions of the posts published in each month."
            .into(),
        unit: Unit::Rate,
        x_labels: months.iter().map(|m| m.format("%Y-%m").to_string()).collect(),
        series,
    }
}

/// The base rhythm (weekly posts per channel, newsletter issues) against the pushes (campaigns, paid, PR,
/// events, webinars).
pub fn rhythm(rhythm: &Rhythm<'_>) -> Timeline {
    let mut tick_rows: Vec<TickRow> = rhythm
        .channels
        .iter()
        .map(|c| TickRow {
            label: c.name.clone(),
            ticks: c
                .weekly
                .iter()
                .map(|(monday, n)| Tick {
                    date: *monday,
                    weight: *n as f64,
                    title: format!("{}, week of {monday}: {}", c.name, count(*n as u64, "post", "posts")),
                })
                .collect(),
        })
        .collect();
    if !rhythm.newsletters.is_empty() {
        tick_rows.push(TickRow {
            label: "Newsletter".into(),
            ticks: rhythm
                .newsletters
                .iter()
                .map(|a| Tick { date: a.start, weight: 1.0, title: activity_title(a) })
                .collect(),
        });
    }
    let span_rows = rhythm
        .spans
        .iter()
        .map(|(kind, list)| SpanRow { label: kind_label(*kind).into(), spans: merged_spans(list) })
        .collect();
    Timeline {
        id: "chart-rhythm".into(),
        title: "Base rhythm against campaigns, PR, events and paid media".into(),
        description: "Ticks mark each week's posts per channel (taller is more posts) and each newsletter issue; bars mark campaigns, paid flights, PR items, events and webinars from start to end."
            .into(),
        start: rhythm.period.first,
        end: rhythm.period.last,
        tick_rows,
        span_rows,
    }
}

/// Hours per channel by task, value-beyond-sales tasks hatched; social in general as its own bar.
pub fn hours(analysis: &Analysis, rows: &[ChannelRow]) -> StackedBarChart {
    let channels = with_hours(analysis, rows);
    let general = &analysis.costs.general;
    let used: Vec<Task> = Task::ALL
        .iter()
        .copied()
        .filter(|t| {
            channels
                .iter()
                .map(|(_, c)| c)
                .chain(std::iter::once(&general))
                .any(|c| c.by_task.iter().any(|x| x.task == *t && x.minutes > 0))
        })
        .collect();
    let values = |c: &socialledger_analytics::ChannelCost| -> Vec<f64> {
        used.iter().map(|t| c.by_task.iter().find(|x| x.task == *t).map_or(0.0, |x| x.hours)).collect()
    };
    let mut bars: Vec<StackedBar> =
        channels.iter().map(|(r, c)| StackedBar { label: r.name.clone(), values: values(c) }).collect();
    if general.minutes > 0 {
        bars.push(StackedBar { label: "(no channel)".into(), values: values(general) });
    }
    StackedBarChart {
        id: "chart-hours".into(),
        title: "Hours per channel by task".into(),
        description: "Tracked hours per channel, split by task; hatched segments are customer service, recruiting, PR and procurement (value beyond sales).".into(),
        unit: Unit::Hours,
        segments: used
            .iter()
            .map(|t| StackedSegment { name: task_label(*t).into(), highlighted: VALUE_BEYOND_SALES.contains(t) })
            .collect(),
        bars,
        highlight_label: "hatched: value beyond sales".into(),
    }
}

/// One span per activity, except that activities which are one push over several channels (the same dates and
/// the same name but for a trailing part in brackets: "Data Quality Push 2024 (LinkedIn page)", "… (X account)")
/// become one span named after the push and the number of its parts. Five identical bars stacked in lanes say
/// less than one bar that names them; the tooltip still lists every part.
fn merged_spans(list: &[&Activity]) -> Vec<Span> {
    let mut groups: Vec<(Option<&str>, Vec<&Activity>)> = Vec::new();
    for a in list {
        let stem = push_name(&a.name);
        let same = stem.and_then(|stem| {
            groups.iter_mut().find(|(s, members)| {
                *s == Some(stem) && members.first().is_some_and(|m| m.start == a.start && m.end == a.end)
            })
        });
        match same {
            Some((_, members)) => members.push(a),
            None => groups.push((stem, vec![a])),
        }
    }
    groups
        .into_iter()
        .filter_map(|(stem, members)| {
            let first = *members.first()?;
            let span = match (stem, members.len()) {
                (Some(stem), n) if n > 1 => {
                    let channels: std::collections::BTreeSet<&str> =
                        members.iter().filter_map(|a| a.channel.as_deref()).collect();
                    let parts = if channels.len() == n {
                        count(n as u64, "channel", "channels")
                    } else {
                        count(n as u64, "part", "parts")
                    };
                    Span {
                        label: format!("{stem} ({parts})"),
                        start: first.start,
                        end: first.end,
                        title: members.iter().map(|a| activity_title(a)).collect::<Vec<_>>().join("; "),
                    }
                }
                _ => {
                    Span { label: first.name.clone(), start: first.start, end: first.end, title: activity_title(first) }
                }
            };
            Some(span)
        })
        .collect()
}

/// The name of the push an activity belongs to: its name without a trailing part in brackets, if it has one.
fn push_name(name: &str) -> Option<&str> {
    let open = name.strip_suffix(')')?.rfind(" (")?;
    Some(name[..open].trim_end()).filter(|s| !s.is_empty())
}

/// An activity's tooltip: name, dates, spend and volume where known.
fn activity_title(a: &Activity) -> String {
    let mut t = if a.start == a.end {
        format!("{}: {}", a.name, a.start)
    } else {
        format!("{}: {} to {}", a.name, a.start, a.end)
    };
    if let Some(spend) = a.spend {
        t.push_str(&format!(", spend {}", figures::money(spend)));
    }
    if let Some(v) = a.volume {
        t.push_str(&format!(", volume {}", figures::decimal(v as f64, 0)));
    }
    t
}

/// Every channel of the model comparison, largest linear share first: the linear share with a whisker over the
/// heuristic models, the Markov (order 1) share with its bootstrap interval as the whisker,
/// and the share of self-reported answers naming the channel (when any won deal has an answer).
pub fn model_comparison(c: &ModelComparison, rows: &[ChannelRow]) -> GroupedBarChart {
    use crate::readings::model_comparison::{channel_name, fitted};
    let models = fitted(c);
    let share = |key: &str, ch: &str| c.model(key).and_then(|m| m.share(ch)).map_or(0.0, |s| s.share);
    // The heuristic whisker: lowest to highest share over the heuristic models.
    let range = |ch: &str| -> Option<(f64, f64)> {
        let values: Vec<f64> = models
            .iter()
            .filter(|m| m.family == ModelFamily::Heuristic)
            .map(|m| m.share(ch).map_or(0.0, |s| s.share))
            .collect();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
    };
    let markov = c.model("markov-1").filter(|m| m.error.is_none());
    let with_answers = c.self_reported.answered > 0;
    let mut channels: Vec<&String> =
        c.channels.iter().filter(|ch| models.iter().any(|m| m.share(ch).is_some())).collect();
    let linear = REFERENCE_MODEL.as_str();
    channels.sort_by(|a, b| share(linear, b).total_cmp(&share(linear, a)).then_with(|| a.cmp(b)));
    let mut series = vec!["Linear".to_string()];
    let mut legend = vec!["Linear (whisker: heuristic range)".to_string()];
    if markov.is_some() {
        series.push("Markov".into());
        legend.push("Markov 1 (whisker: interval)".into());
    }
    if with_answers {
        series.push("Said".into());
        legend.push("Self-reported answers".into());
    }
    GroupedBarChart {
        id: "chart-model-comparison".into(),
        title: "Share of credit per channel under heuristic and data-driven models".into(),
        description: "For each channel, its share of the credit under the linear model with a whisker over every heuristic model, under the order-1 Markov model with its bootstrap interval as the whisker, and its share of the buyers' self-reported answers.".into(),
        unit: Unit::Rate,
        series,
        legend,
        groups: channels
            .into_iter()
            .map(|ch| {
                let mut bars = vec![Bar { value: share(linear, ch), range: range(ch) }];
                if let Some(m) = markov {
                    let s = m.share(ch);
                    let value = s.map_or(0.0, |s| s.share);
                    let interval = s.and_then(|s| Some((s.low?, s.high?)));
                    bars.push(Bar { value, range: interval });
                }
                if with_answers {
                    let said = c.self_reported.by_channel.iter().find(|s| &s.channel == ch).map_or(0.0, |s| s.share);
                    bars.push(Bar { value: said, range: None });
                }
                BarGroup { label: channel_name(rows, ch).to_string(), bars }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use socialledger_domain::ActivityKind;

    fn activity(name: &str, channel: Option<&str>, start: &str, end: &str) -> Activity {
        let d = |s: &str| Date::parse_from_str(s, "%Y-%m-%d").unwrap();
        Activity {
            key: name.into(),
            kind: ActivityKind::Campaign,
            name: name.into(),
            channel: channel.map(String::from),
            campaign: None,
            start: d(start),
            end: d(end),
            spend: None,
            volume: None,
            reach: None,
            clicks: None,
        }
    }

    #[test]
    fn push_names_drop_a_trailing_bracket_only() {
        assert_eq!(push_name("Data Quality Push 2024 (LinkedIn page)"), Some("Data Quality Push 2024"));
        assert_eq!(
            push_name("Interview (DataOps Journal) on demand (Supply Chain Weekly)"),
            Some("Interview (DataOps Journal) on demand")
        );
        assert_eq!(push_name("LogiExpo 2025"), None);
        assert_eq!(push_name("(only brackets)"), None);
        assert_eq!(push_name("Brackets (in the middle) here"), None);
    }

    #[test]
    fn one_push_over_several_channels_is_one_span() {
        let list = [
            activity("Spring push (LinkedIn page)", Some("linkedin"), "2024-04-01", "2024-05-12"),
            activity("Spring push (X account)", Some("x"), "2024-04-01", "2024-05-12"),
            activity("Spring push (Webinars)", Some("webinar"), "2024-04-01", "2024-05-12"),
            // Same name, other dates: another span.
            activity("Spring push (LinkedIn page)", Some("linkedin"), "2025-04-01", "2025-05-12"),
            // No bracket: never merged, even on the same dates.
            activity("Roadshow", None, "2024-04-01", "2024-05-12"),
            activity("Roadshow", None, "2024-04-01", "2024-05-12"),
            // Brackets but no channels: parts.
            activity("Fair (hall A)", None, "2024-06-01", "2024-06-02"),
            activity("Fair (hall B)", None, "2024-06-01", "2024-06-02"),
        ];
        let refs: Vec<&Activity> = list.iter().collect();
        let spans = merged_spans(&refs);
        let labels: Vec<&str> = spans.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            vec!["Spring push (3 channels)", "Spring push (LinkedIn page)", "Roadshow", "Roadshow", "Fair (2 parts)"]
        );
        // The tooltip keeps every part.
        for part in ["(LinkedIn page)", "(X account)", "(Webinars)"] {
            assert!(spans[0].title.contains(part), "{}", spans[0].title);
        }
        assert_eq!(spans[1].start, Date::from_ymd_opt(2025, 4, 1).unwrap());
    }
}
