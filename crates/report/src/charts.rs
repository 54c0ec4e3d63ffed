//! The report's four charts, built from the analysis (and, for the timeline, the dataset) as plain chart data.

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
        series: vec!["Cost".into(), format!("Revenue ({})", models::label(REFERENCE_MODEL).to_lowercase())],
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
        .map(|(kind, list)| SpanRow {
            label: kind_label(*kind).into(),
            spans: list
                .iter()
                .map(|a| Span { label: a.name.clone(), start: a.start, end: a.end, title: activity_title(a) })
                .collect(),
        })
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
