//! The report as JSON: stable, documented field names (docs/reports.md), money in integer minor units,
//! rates as fractions. `generated_at` is the only field that differs between two renders of the same analysis,
//! and the only one whose name starts with `generated`.

use crate::contents::Contents;
use crate::readings::Readings;
use crate::summary::Summary;
use crate::table::ChannelRow;
use crate::ReportError;
use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use socialledger_analytics::attribution::comparison::ModelComparison;
use socialledger_analytics::{AttributionReport, MonthlyEngagement, Note, Settings};
use socialledger_domain::{ActivityKind, Currency, Date, Task};
use socialledger_mmm::allocate::Allocation;
use socialledger_mmm::MmmResult;
use std::io;

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
    let mut text = to_pretty_string(&doc)?;
    text.push('\n');
    Ok(text)
}

/// `value` as pretty JSON, as every command prints it, with a negative zero written `0.0`: a sum of no terms is
/// -0.0 in IEEE arithmetic (Rust's `f64` sum starts from -0.0), and "-0.0" as the cost of a group with no channels
/// reads like a refund.
pub fn to_pretty_writer<W: io::Write, T: Serialize + ?Sized>(writer: W, value: &T) -> serde_json::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(writer, UnsignedZero(PrettyFormatter::new()));
    value.serialize(&mut serializer)
}

/// [`to_pretty_writer`] into a string.
pub fn to_pretty_string<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(4096);
    to_pretty_writer(&mut out, value)?;
    // serde_json writes UTF-8 only.
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// serde_json's pretty layout, writing both zeros as `0.0`.
struct UnsignedZero(PrettyFormatter<'static>);

impl Formatter for UnsignedZero {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        self.0.write_f64(writer, if value == 0.0 { 0.0 } else { value })
    }
    fn write_f32<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        self.0.write_f32(writer, if value == 0.0 { 0.0 } else { value })
    }
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }
    fn begin_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }
    fn begin_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::to_pretty_string;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Figures {
        cost: f64,
        share: f32,
        rows: Vec<f64>,
        name: &'static str,
        nested: Option<Box<Figures>>,
    }

    fn figures(zero: f64) -> Figures {
        let inner = Figures { cost: zero, share: zero as f32, rows: vec![], name: "b", nested: None };
        Figures {
            cost: zero,
            share: zero as f32,
            rows: vec![zero, -1.5, 2.0e-9, f64::MAX],
            name: "a \"quoted\" name",
            nested: Some(Box::new(inner)),
        }
    }

    #[test]
    fn a_negative_zero_is_written_as_zero_and_the_rest_as_serde_json_writes_it() {
        let with_negative = to_pretty_string(&figures(-0.0)).unwrap();
        assert!(!with_negative.contains("-0.0"), "{with_negative}");
        assert_eq!(with_negative, serde_json::to_string_pretty(&figures(0.0)).unwrap());
        assert!(with_negative.contains("-1.5"), "other negative numbers keep their sign");
    }
}
