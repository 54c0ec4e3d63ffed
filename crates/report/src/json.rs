//! The report as JSON: stable, documented field names (docs/reports.md), money in integer minor units,
//! rates as fractions. `generated_at` is the only field that differs between two renders of the same analysis,
//! and the only one whose name starts with `generated`.

use crate::contents::Contents;
use crate::readings::Readings;
use crate::summary::Summary;
use crate::table::ChannelRow;
use crate::ReportError;
use serde::Serialize;
use socialledger_analytics::attribution::comparison::ModelComparison;
use socialledger_analytics::{AttributionReport, MonthlyEngagement, Note, Settings};
use socialledger_domain::{ActivityKind, Currency, Date, Task};
use socialledger_mmm::allocate::Allocation;
use socialledger_mmm::MmmResult;

/// Version of this JSON layout; raised when a field is renamed or removed (adding fields keeps it).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    generated_at: String,
    schema: &'static str,
    schema_version: u32,
    title: String,
    period: Option<PeriodJson>,
    settings: &'a Settings,
    currency: Currency,
    summary: &'a Summary,
    channels: &'a [ChannelRow],
    general: General,
    hours_by_task: Vec<TaskHours>,
    monthly_engagement: &'a [MonthlyEngagement],
    rhythm: Option<RhythmJson>,
    attribution: &'a AttributionReport,
    /// Every model's share per channel, data-driven ones included, and the self-reported sources; `null` when
    /// the data-driven models were not run.
    model_comparison: Option<&'a ModelComparison>,
    readings: &'a Readings,
    notes: &'a [Note],
    /// The mix model's result (the same fields as `socialledger mmm fit --json`) with the allocator's plan in
    /// `allocation` (or `null`); `null` when the report has no mix model.
    mmm: Option<MmmJson<'a>>,
    /// The verdict per channel (the same fields as `socialledger verdict --json`); `null` when the report was
    /// made without it.
    verdict: Option<&'a socialledger_decide::verdict::VerdictReport>,
}

#[derive(Serialize)]
struct MmmJson<'a> {
    #[serde(flatten)]
    result: &'a MmmResult,
    allocation: Option<&'a Allocation>,
    /// What one unit of the target is worth, which the ROI figures rest on (as in `mmm fit --json`).
    value_of_target: &'a socialledger_analytics::ValueOfTarget,
}

#[derive(Serialize)]
struct PeriodJson {
    first: Date,
    last: Date,
    /// True when the settings chose the period; false when it is the span of the data.
    chosen: bool,
}

/// Social in general: cost and time booked to no channel.
#[derive(Serialize)]
struct General {
    cost_minor: i64,
    hours: f64,
    value_beyond_sales_hours: f64,
}

#[derive(Serialize)]
struct TaskHours {
    /// `null` for social in general.
    channel: Option<String>,
    task: Task,
    minutes: i64,
    hours: f64,
}

#[derive(Serialize)]
struct RhythmJson {
    weeks: usize,
    channels: Vec<ChannelWeeks>,
    activities: Vec<ActivityJson>,
    undated_posts: usize,
}

#[derive(Serialize)]
struct ChannelWeeks {
    channel: String,
    posts: u32,
    active_weeks: usize,
    /// Posts per week, by the week's Monday; weeks without posts are left out.
    weekly: Vec<WeekPosts>,
}

#[derive(Serialize)]
struct WeekPosts {
    week: Date,
    posts: u32,
}

#[derive(Serialize)]
struct ActivityJson {
    key: String,
    kind: ActivityKind,
    name: String,
    channel: Option<String>,
    start: Date,
    end: Date,
}

/// The report as pretty-printed JSON, ending in a newline.
pub fn render(contents: &Contents<'_>) -> Result<String, ReportError> {
    let analysis = contents.input.analysis;
    let costs = &analysis.costs;
    let hours_by_task = costs
        .channels
        .iter()
        .chain(std::iter::once(&costs.general))
        .flat_map(|c| {
            c.by_task.iter().filter(|t| t.minutes > 0).map(|t| TaskHours {
                channel: c.channel.clone(),
                task: t.task,
                minutes: t.minutes,
                hours: t.hours,
            })
        })
        .collect();
    let rhythm = contents.rhythm.as_ref().map(|r| RhythmJson {
        weeks: r.weeks.len(),
        channels: r
            .channels
            .iter()
            .map(|c| ChannelWeeks {
                channel: c.channel.clone(),
                posts: c.posts,
                active_weeks: c.weekly.len(),
                weekly: c.weekly.iter().map(|(week, posts)| WeekPosts { week: *week, posts: *posts }).collect(),
            })
            .collect(),
        activities: r
            .newsletters
            .iter()
            .copied()
            .chain(r.spans.iter().flat_map(|(_, list)| list.iter().copied()))
            .map(|a| ActivityJson {
                key: a.key.clone(),
                kind: a.kind,
                name: a.name.clone(),
                channel: a.channel.clone(),
                start: a.start,
                end: a.end,
            })
            .collect(),
        undated_posts: r.undated_posts,
    });
    let doc = Document {
        generated_at: contents.generated_at(),
        schema: "socialledger-report",
        schema_version: SCHEMA_VERSION,
        title: contents.title(),
        period: contents.period.map(|p| PeriodJson { first: p.first, last: p.last, chosen: p.chosen }),
        settings: contents.input.settings,
        currency: analysis.currency,
        summary: &contents.summary,
        channels: &contents.rows,
        general: General {
            cost_minor: costs.general.total_minor,
            hours: costs.general.hours,
            value_beyond_sales_hours: costs.general.value_beyond_sales_hours,
        },
        hours_by_task,
        monthly_engagement: &analysis.monthly_engagement,
        rhythm,
        attribution: &analysis.attribution,
        model_comparison: contents.input.comparison,
        readings: &contents.readings,
        notes: &analysis.notes,
        mmm: contents.input.mmm.map(|m| MmmJson {
            result: &m.result,
            allocation: m.allocation.as_ref(),
            value_of_target: &m.value_of_target,
        }),
        verdict: contents.input.verdict,
    };
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    Ok(text)
}
