//! `socialledger execution`: how each channel is run. The engagement-rate trend
//! (`socialledger_analytics::engagement_trend`) and the response times (`socialledger_analytics::responses`) are
//! computed by the analytics; this reads the database, checks the thresholds and prints them. The verdict reads
//! the same figures (`verdict.rs`), so a channel flagged here is `fix` there unless its evidence says `drop`.

use crate::args::{Cli, ExecutionArgs, ExecutionCommandArgs};
use crate::output;
use serde::Serialize;
use socialledger_analytics::engagement_trend::{engagement_trends, TrendOptions, TrendReport};
use socialledger_analytics::responses::{responses, ResponseOptions, ResponseReport};
use socialledger_analytics::Settings;
use socialledger_report::figures::{decimal, group_thousands, percent};
use socialledger_report::text_table::{wrap_words, Align, TextTable};
use std::process::ExitCode;

/// The thresholds of the execution figures, as the flags set them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Thresholds {
    pub trend: TrendOptions,
    pub responses: ResponseOptions,
}

impl Thresholds {
    /// The flags' values, checked: a positive number of hours, a yearly fall between 0 and 1.
    pub fn from_args(args: &ExecutionArgs) -> anyhow::Result<Self> {
        let responses = ResponseOptions { slow_after_hours: args.slow_response_hours, ..ResponseOptions::default() };
        responses.validate().map_err(|e| anyhow::anyhow!("--slow-response-hours: {e}"))?;
        let trend = TrendOptions { threshold: -args.falling_engagement, ..TrendOptions::default() };
        trend.validate().map_err(|_| {
            anyhow::anyhow!(
                "--falling-engagement must be a share between 0 and 1 (0.2: the rate falls by more than 20 % a \
                 year), not {}",
                args.falling_engagement
            )
        })?;
        Ok(Thresholds { trend, responses })
    }
}

/// What `socialledger execution --json` prints.
#[derive(Debug, Serialize)]
pub struct ExecutionReport {
    pub period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    pub engagement_trend: TrendReport,
    pub responses: ResponseReport,
}

pub async fn run(cli: &Cli, args: &ExecutionCommandArgs) -> anyhow::Result<ExitCode> {
    // Check the flags before touching the database: a typo should not wait for a load.
    let thresholds = Thresholds::from_args(&args.execution)?;
    let period = super::analysis::period(args.from, args.to)?;
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let dataset = store.load_for_analysis().await?;
    let settings = Settings { period, ..Settings::default() };
    let report = ExecutionReport {
        period,
        engagement_trend: engagement_trends(&dataset, &settings, &thresholds.trend),
        responses: responses(&dataset, &settings, &thresholds.responses),
    };
    let nothing = report.engagement_trend.channels.is_empty() && report.responses.channels.is_empty();
    if cli.json {
        output::print_json(&report)?;
    } else if nothing {
        eprintln!(
            "no posts with engagements and impressions and no conversations yet: import post exports and \
             conversations.csv first (socialledger import FILE...) or run socialledger demo"
        );
    } else {
        output::print_text(&text(&report, output::terminal_width()))?;
    }
    Ok(if nothing { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn opt(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map_or_else(|| "-".to_string(), f)
}

fn signed_pct(x: f64) -> String {
    let p = decimal(100.0 * x, 0);
    if x >= 0.0 && !p.starts_with('-') {
        format!("+{p} %")
    } else {
        format!("{p} %")
    }
}

fn hours(h: f64) -> String {
    if h < 10.0 {
        decimal(h, 1)
    } else {
        decimal(h, 0)
    }
}

/// One channel's row of a table: its cells after the channel's name, whether it is flagged, and why it is not
/// judged.
struct Row<'a> {
    channel: &'a str,
    cells: Vec<String>,
    flagged: bool,
    why_not: Option<&'a str>,
}

/// Appends the table `title` to `out` (after a blank line when it follows another): a row per channel with its
/// cells under `columns`, whose last says whether it is flagged (`yes`, `no`, `-` when not judged). Returns a
/// sentence per channel whose `what` is not judged, with why.
fn table<'a>(
    out: &mut String,
    title: &str,
    columns: &[(&str, Align)],
    what: &str,
    rows: impl IntoIterator<Item = Row<'a>>,
    width: usize,
) -> Vec<String> {
    let mut table = TextTable::new("Channel", columns);
    let mut not_judged = Vec::new();
    for row in rows {
        let flag = if row.flagged {
            "yes"
        } else if row.why_not.is_some() {
            "-"
        } else {
            "no"
        };
        let mut cells = vec![row.channel.to_string()];
        cells.extend(row.cells);
        cells.push(flag.to_string());
        table.row(cells);
        if let Some(why) = row.why_not {
            not_judged.push(format!("{}: {what} not judged, {why}.", row.channel));
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(title);
    out.push('\n');
    out.push_str(&table.render(width).join("\n"));
    out.push('\n');
    not_judged
}

/// The text output: the trend table, the response table, then what the columns mean and why some channels are
/// not judged.
fn text(r: &ExecutionReport, width: usize) -> String {
    let right = Align::Right;
    let mut out = String::new();
    let mut prose = Vec::new();
    let t = &r.engagement_trend;
    if !t.channels.is_empty() {
        let rows = t.channels.iter().map(|c| Row {
            channel: &c.channel,
            cells: vec![
                c.months.to_string(),
                group_thousands(c.observations),
                opt(c.rate_first, |x| percent(x, 2)),
                opt(c.rate_last, |x| percent(x, 2)),
                opt(c.yearly_change, signed_pct),
                match (c.yearly_change_low, c.yearly_change_high) {
                    (Some(l), Some(h)) => format!("{} to {}", signed_pct(l), signed_pct(h)),
                    _ => "-".to_string(),
                },
            ],
            flagged: c.falling,
            why_not: c.why_not.as_deref(),
        });
        let columns = [
            ("Months", right),
            ("Posts", right),
            ("Rate first", right),
            ("Rate last", right),
            ("Per year", right),
            ("90 % interval", right),
            ("Falling", right),
        ];
        let title = "Engagement rate by impressions, its trend per year";
        let not_judged = table(&mut out, title, &columns, "engagement trend", rows, width);
        prose.push(format!(
            "Rate = engagements / impressions (posts reporting both; channel days where a channel has no post \
             metrics), fitted at the first and last month; per year = the trend's yearly change, log-linear \
             (Poisson) over months with a quasi-Poisson {} % interval. Falling = the whole interval below {} a \
             year, with at least {} months and {} posts.",
            decimal(t.level * 100.0, 0),
            signed_pct(t.threshold),
            t.min_months,
            t.min_observations
        ));
        prose.extend(not_judged);
    }
    let s = &r.responses;
    if !s.channels.is_empty() {
        let rows = s.channels.iter().map(|c| Row {
            channel: &c.channel,
            cells: vec![
                group_thousands(c.conversations as u64),
                group_thousands(c.answered as u64),
                opt(c.unanswered_share, |x| percent(x, 0)),
                opt(c.median_hours, hours),
                match (c.median_low_hours, c.median_high_hours) {
                    (Some(l), Some(h)) => format!("{} to {}", hours(l), hours(h)),
                    _ => "-".to_string(),
                },
                opt(c.p90_hours, hours),
            ],
            flagged: c.slow,
            why_not: c.why_not.as_deref(),
        });
        let columns = [
            ("Received", right),
            ("Answered", right),
            ("Unanswered", right),
            ("Median h", right),
            ("90 % interval", right),
            ("P90 h", right),
            ("Slow", right),
        ];
        let title = "First responses to comments, messages and mentions";
        prose.extend(table(&mut out, title, &columns, "response times", rows, width));
        prose.push(format!(
            "Hours from receipt to the first answer, over answered conversations; unanswered = share of all received. \
             Slow = the median's whole {} % interval (order statistics) above {} hours, with at least {} answers.",
            decimal(s.level * 100.0, 0),
            hours(s.slow_after_hours),
            s.min_answered
        ));
    } else {
        prose.push("No conversations imported: response times need a conversations.csv (docs/formats.md).".to_string());
    }
    let prose: Vec<String> = prose.iter().flat_map(|line| wrap_words(line, width)).collect();
    format!("{out}\n{}\n", prose.join("\n"))
}
