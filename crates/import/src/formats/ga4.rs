//! Google Analytics 4 report exports (report → Share this report → Download File → CSV): a `#` comment block with
//! the report's title, property and period (`# Start date: 20250201`), then one table with a dimension column
//! and metric columns. Every metric cell becomes a [`PeriodMetric`] exactly as GA4 printed it (rates are 0-1
//! fractions, engagement times seconds); nothing is recomputed, because GA4's rates use counts the file does not
//! hold (active users, sessions with a key event).
//!
//! A file may hold several such sections (`Reports_snapshot.csv`): each starts with its own comment block.
//!
//! A report broken down by the `Date` dimension (one row per day, `YYYYMMDD`) keeps each row's own day as its
//! period; a report without it is stored with the whole period of its comment block.

use crate::parse::{self, DateFormat};
use crate::read::{normalize_header, RawRow, Table};
use crate::{ErrorSink, Format, ImportOptions, SourceFile};
use socialledger_domain::{Dataset, Date, PeriodMetric};
use std::collections::HashMap;

/// `source` of every record from this format.
pub const SOURCE: &str = "ga4";

/// The canonical names of GA4 dimensions, with their old (pre-2024) and current spellings.
const DIMENSIONS: &[(&str, &[&str])] = &[
    (
        "first_user_channel_group",
        &[
            "First user primary channel group (Default Channel Group)",
            "First user default channel group",
            "First user default channel grouping",
            "First user channel group",
        ],
    ),
    (
        "session_channel_group",
        &[
            "Session primary channel group (Default Channel Group)",
            "Session default channel group",
            "Session default channel grouping",
            "Session channel group",
        ],
    ),
    ("landing_page", &["Landing page"]),
    ("landing_page_query_string", &["Landing page + query string"]),
    ("first_user_source_medium", &["First user source / medium"]),
    ("session_source_medium", &["Session source / medium"]),
    ("page_title_and_screen_class", &["Page title and screen class"]),
    ("page_path_and_screen_class", &["Page path and screen class"]),
];

/// Metrics GA4 renamed (conversions became key events in 2024): old spelling -> canonical name.
const METRIC_ALIASES: &[(&str, &str)] = &[
    ("Conversions", "key_events"),
    ("Session conversion rate", "session_key_event_rate"),
    ("User conversion rate", "user_key_event_rate"),
];

/// Lower-case words joined by `_` (`Average engagement time per session` -> `average_engagement_time_per_session`).
fn snake(text: &str) -> String {
    crate::channel::slug(text).replace('-', "_")
}

/// The canonical name of a dimension header.
pub fn dimension_name(header: &str) -> String {
    let h = normalize_header(header);
    DIMENSIONS
        .iter()
        .find(|(_, spellings)| spellings.iter().any(|s| normalize_header(s) == h))
        .map(|(name, _)| name.to_string())
        .unwrap_or_else(|| snake(header))
}

/// The canonical name of a metric header.
pub fn metric_name(header: &str) -> String {
    let h = normalize_header(header);
    METRIC_ALIASES
        .iter()
        .find(|(old, _)| normalize_header(old) == h)
        .map(|(_, name)| name.to_string())
        .unwrap_or_else(|| snake(header))
}

/// One report of the file: its period and its rows (header first).
#[derive(Debug)]
struct Section<'t> {
    /// Line of the comment block (for errors about the period).
    line: usize,
    start: Option<Date>,
    end: Option<Date>,
    rows: Vec<&'t RawRow>,
}

/// The value of a `Key: value` comment line, for `key` compared case-insensitively.
fn comment_value<'c>(line: &'c str, key: &str) -> Option<&'c str> {
    let (k, v) = line.split_once(':')?;
    k.trim().eq_ignore_ascii_case(key).then(|| v.trim())
}

/// Splits the table into sections at comment rows (a row whose first cell starts with `#`); the leading comment
/// block is the table's `comments`.
fn sections(table: &Table) -> Vec<Section<'_>> {
    let mut out = Vec::new();
    let mut current = Section { line: 1, start: None, end: None, rows: Vec::new() };
    let mut comments: Vec<String> = table.comments.clone();
    let mut in_comments = true;
    let settle = |s: &mut Section<'_>, comments: &[String]| {
        for c in comments {
            let date = |key| comment_value(c, key).and_then(|v| parse::parse_date(v, &[DateFormat::Compact]).ok());
            s.start = s.start.or(date("Start date"));
            s.end = s.end.or(date("End date"));
        }
    };
    for row in &table.rows {
        if row.cell(0).starts_with('#') {
            if !in_comments {
                settle(&mut current, &comments);
                out.push(std::mem::replace(
                    &mut current,
                    Section { line: row.line, start: None, end: None, rows: Vec::new() },
                ));
                comments.clear();
                in_comments = true;
            }
            let text: Vec<&str> = row.cells.iter().collect();
            comments.push(text.join(",").trim_start_matches('#').trim().to_string());
            continue;
        }
        in_comments = false;
        current.rows.push(row);
    }
    settle(&mut current, &comments);
    out.push(current);
    out.retain(|s| !s.rows.is_empty());
    out
}

/// True when the table's leading comments carry GA4's period lines.
fn has_period(table: &Table) -> bool {
    let has = |key| table.comments.iter().any(|c| comment_value(c, key).is_some());
    has("Start date") && has("End date")
}

/// GA4 report CSV.
#[derive(Debug, Clone, Copy)]
pub struct Ga4Report;

impl Format for Ga4Report {
    fn name(&self) -> &'static str {
        "ga4-report"
    }

    fn description(&self) -> &'static str {
        "Google Analytics 4 report CSV (User acquisition, Traffic acquisition, Landing page, ...): period metrics"
    }

    fn detect(&self, file: &SourceFile) -> bool {
        file.tables.iter().any(|t| has_period(t) && t.rows.iter().any(|r| !r.is_blank()))
    }

    /// One period metric per metric cell: `dimension` = the first column's canonical name, `value` = its cell as
    /// printed (`(not set)` and an empty landing page are real values), `metric` = the column's canonical name.
    /// Empty metric cells are not reported values and are skipped. With a `Date` column (first or second), the
    /// period of each row is its own day, and a leading `Date` followed by a known dimension makes that dimension
    /// the value.
    fn parse(&self, file: &SourceFile, _opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
        let mut ds = Dataset::default();
        for table in &file.tables {
            for section in sections(table) {
                parse_section(file, table, &section, errs, &mut ds);
            }
        }
        ds
    }
}

/// Where a report's dimension and its date sit. A report broken down by `Date` (GA4 prints `YYYYMMDD`) has one row
/// per day (and per value of the other dimension, if any): each row is stored with its own day as its period.
#[derive(Debug, Clone, Copy)]
struct Layout {
    /// Column whose cell is the stored `value` (the first column, or the dimension after a leading `Date`).
    dimension: usize,
    /// Column of the `Date` dimension, if the report is broken down by day.
    date: Option<usize>,
}

impl Layout {
    /// The column after a leading `Date` is a dimension when GA4 names it one we know, or when a cell of it is
    /// not a number (`India`, `(not set)`): a metric column holds numbers only.
    fn of(headers: &[&str], data: &[&RawRow]) -> Layout {
        let is_date = |h: &str| normalize_header(h) == normalize_header("Date");
        let known = |h: &str| {
            let h = normalize_header(h);
            DIMENSIONS.iter().any(|(_, spellings)| spellings.iter().any(|s| normalize_header(s) == h))
        };
        match headers.iter().take(2).position(|h| is_date(h)) {
            // `Date,<known dimension>,…`: the other dimension is the value.
            Some(0)
                if headers.get(1).is_some_and(|h| known(h))
                    || data.iter().any(|r| !r.cell(1).is_empty() && parse::parse_f64(r.cell(1)).is_err()) =>
            {
                Layout { dimension: 1, date: Some(0) }
            }
            // `Date,<metric>,…`: daily totals; the value is the date as printed, as before.
            Some(0) => Layout { dimension: 0, date: Some(0) },
            // `<dimension>,Date,<metric>,…`.
            Some(d) => Layout { dimension: 0, date: Some(d) },
            None => Layout { dimension: 0, date: None },
        }
    }
}

fn parse_section(file: &SourceFile, table: &Table, section: &Section<'_>, errs: &mut ErrorSink, ds: &mut Dataset) {
    let sheet = table.sheet.as_deref();
    let (Some(start), Some(end)) = (section.start, section.end) else {
        errs.report(
            &file.display_name,
            sheet,
            section.line,
            None,
            "the comment block above this report lacks `# Start date: YYYYMMDD` or `# End date: YYYYMMDD`",
            Some("download the report again from GA4 (Share this report → Download File → CSV)".into()),
        );
        return;
    };
    let Some((header, data)) = section.rows.split_first() else { return };
    let headers: Vec<&str> = header.cells.iter().map(|c| c.trim().trim_start_matches('\u{feff}')).collect();
    if headers.first().is_none_or(|h| h.is_empty()) {
        errs.report(&file.display_name, sheet, header.line, None, "the report has no dimension column", None);
        return;
    }
    let layout = Layout::of(&headers, data);
    let first = headers[layout.dimension];
    let dimension = dimension_name(first);
    let metrics: Vec<(usize, String)> = headers
        .iter()
        .enumerate()
        .filter(|(i, h)| *i != layout.dimension && Some(*i) != layout.date && !h.is_empty())
        .map(|(i, h)| (i, metric_name(h)))
        .collect();
    let mut seen: HashMap<(&str, Date), usize> = HashMap::new();
    for row in data {
        errs.add_rows(1);
        let value = row.cell(layout.dimension);
        let (period_start, period_end) = match layout.date {
            None => (start, end),
            Some(c) => match row_date(row.cell(c), start, end) {
                Ok(day) => (day, day),
                Err(message) => {
                    errs.report(&file.display_name, sheet, row.line, Some(headers[c]), message, None);
                    continue;
                }
            },
        };
        if let Some(first_line) = seen.insert((value, period_start), row.line) {
            let what = match layout.date {
                None => format!("{value:?} is also on line {first_line}"),
                Some(_) => format!("{value:?} on {period_start} is also on line {first_line}"),
            };
            errs.report(
                &file.display_name,
                sheet,
                row.line,
                Some(first),
                what,
                Some("a GA4 report lists each value once (per day); check that the file is unedited".into()),
            );
            continue;
        }
        for (i, metric) in &metrics {
            let text = row.cell(*i);
            if text.is_empty() {
                continue;
            }
            match parse::parse_f64(text) {
                Ok(amount) => ds.period_metrics.push(PeriodMetric {
                    amount: printed_amount(amount, metric),
                    source: SOURCE.to_string(),
                    dimension: dimension.clone(),
                    value: value.to_string(),
                    period_start,
                    period_end,
                    metric: metric.clone(),
                }),
                Err(message) => errs.report(&file.display_name, sheet, row.line, Some(headers[*i]), message, None),
            }
        }
    }
}

/// The stored figure of a printed number: GA4 prints `-1` where it has no data (retention and cohort tables of
/// `Reports_snapshot.csv`), which is kept as missing. Revenue is the exception: a refund can make it really -1.
/// Other negative numbers are kept as printed.
fn printed_amount(amount: f64, metric: &str) -> Option<f64> {
    (amount != -1.0 || metric.contains("revenue")).then_some(amount)
}

/// The day of a `Date` cell (`20250203`), which must lie in the report's period.
fn row_date(text: &str, start: Date, end: Date) -> Result<Date, String> {
    let day = parse::parse_date(text, &[DateFormat::Compact])
        .map_err(|_| format!("{text:?} is not a GA4 date; GA4 prints the Date dimension as YYYYMMDD (20250203)"))?;
    if day < start || day > end {
        return Err(format!("{day} lies outside the report's period {start}..{end} (`# Start date` / `# End date`)"));
    }
    Ok(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::csv::read_csv;

    #[test]
    fn old_and_new_names_map_to_one() {
        assert_eq!(
            dimension_name("First user primary channel group (Default Channel Group)"),
            "first_user_channel_group"
        );
        assert_eq!(dimension_name("First user default channel group"), "first_user_channel_group");
        assert_eq!(dimension_name("Session default channel group"), "session_channel_group");
        assert_eq!(dimension_name("Landing page"), "landing_page");
        assert_eq!(dimension_name("Country"), "country");
        assert_eq!(metric_name("Conversions"), "key_events");
        assert_eq!(metric_name("Key events"), "key_events");
        assert_eq!(metric_name("Session conversion rate"), "session_key_event_rate");
        assert_eq!(metric_name("Session key event rate"), "session_key_event_rate");
        assert_eq!(metric_name("Average engagement time per session"), "average_engagement_time_per_session");
    }

    #[test]
    fn several_sections_each_with_its_period() {
        let text = "# Report\n# Start date: 20250101\n# End date: 20250131\nCountry,Users\nIndia,5\n\n\
                    # Start date: 20250201\n# End date: 20250228\nSession default channel group,Sessions,Conversions\n\
                    Direct,7,1\n";
        let file = SourceFile {
            display_name: "snap.csv".into(),
            file_name: "snap.csv".into(),
            tables: vec![read_csv(text, None).unwrap()],
        };
        assert!(Ga4Report.detect(&file));
        let mut errs = ErrorSink::default();
        let ds = Ga4Report.parse(&file, &ImportOptions::default(), &mut errs);
        assert!(errs.is_empty(), "{:?}", errs.errors());
        let got: Vec<(String, String, String, f64, Date)> = ds
            .period_metrics
            .iter()
            .map(|m| (m.dimension.clone(), m.value.clone(), m.metric.clone(), m.amount.unwrap(), m.period_end))
            .collect();
        let d = |m, day| Date::from_ymd_opt(2025, m, day).unwrap();
        assert_eq!(
            got,
            vec![
                ("country".into(), "India".into(), "users".into(), 5.0, d(1, 31)),
                ("session_channel_group".into(), "Direct".into(), "sessions".into(), 7.0, d(2, 28)),
                ("session_channel_group".into(), "Direct".into(), "key_events".into(), 1.0, d(2, 28)),
            ]
        );
        assert_eq!(errs.rows(), 2);
    }

    fn parse_text(text: &str) -> (Dataset, ErrorSink) {
        let file = SourceFile {
            display_name: "Traffic.csv".into(),
            file_name: "Traffic.csv".into(),
            tables: vec![read_csv(text, None).unwrap()],
        };
        let mut errs = ErrorSink::default();
        let ds = Ga4Report.parse(&file, &ImportOptions::default(), &mut errs);
        (ds, errs)
    }

    #[test]
    fn issue_15_daily_rows_keep_their_own_day() {
        let head = "# Start date: 20250201\r\n# End date: 20250203\r\n";
        let d = |day| Date::from_ymd_opt(2025, 2, day).unwrap();
        // Date first, then a known dimension: the channel group is the value.
        let text = format!(
            "{head}Date,Session primary channel group (Default Channel Group),Sessions\r\n\
             20250201,Direct,3\r\n20250201,Organic Search,4\r\n20250203,Direct,5"
        );
        let (ds, errs) = parse_text(&text);
        assert!(errs.is_empty(), "{:?}", errs.errors());
        let got: Vec<_> = ds
            .period_metrics
            .iter()
            .map(|m| (m.dimension.as_str(), m.value.as_str(), m.period_start, m.period_end, m.metric.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("session_channel_group", "Direct", d(1), d(1), "sessions"),
                ("session_channel_group", "Organic Search", d(1), d(1), "sessions"),
                ("session_channel_group", "Direct", d(3), d(3), "sessions"),
            ]
        );
        // Date second.
        let (ds, errs) = parse_text(&format!("{head}Country,Date,Users\r\nIndia,20250202,7\r\nIndia,20250203,8"));
        assert!(errs.is_empty(), "{:?}", errs.errors());
        let got: Vec<_> = ds.period_metrics.iter().map(|m| (m.dimension.as_str(), m.period_start, m.amount)).collect();
        assert_eq!(got, [("country", d(2), Some(7.0)), ("country", d(3), Some(8.0))]);
        // Date alone: daily totals, the value is the date as printed.
        let (ds, errs) = parse_text(&format!("{head}Date,Active users\r\n20250201,10\r\n20250202,11"));
        assert!(errs.is_empty(), "{:?}", errs.errors());
        let got: Vec<_> = ds.period_metrics.iter().map(|m| (m.value.as_str(), m.period_start, m.period_end)).collect();
        assert_eq!(got, [("20250201", d(1), d(1)), ("20250202", d(2), d(2))]);
    }

    #[test]
    fn issue_15_bad_or_repeated_days_are_errors_naming_row_and_column() {
        let head = "# Start date: 20250201\n# End date: 20250203\n";
        let (_, errs) = parse_text(&format!(
            "{head}Date,Country,Users\n2025-02-01,India,1\n20250209,India,2\n20250202,India,3\n20250202,India,4\n"
        ));
        let got: Vec<String> = errs.errors().iter().map(|e| e.to_string()).collect();
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].starts_with("Traffic.csv:4:Date: \"2025-02-01\" is not a GA4 date"), "{got:?}");
        assert!(got[1].starts_with("Traffic.csv:5:Date: 2025-02-09 lies outside the report's period"), "{got:?}");
        assert!(got[2].starts_with("Traffic.csv:7:Country: \"India\" on 2025-02-02 is also on line 6"), "{got:?}");
    }

    #[test]
    fn issue_15_minus_one_in_a_cohort_table_is_no_data() {
        // A retention section of `Reports_snapshot.csv`: ragged rows, -1 where a later week has no data yet.
        let text = "# Start date: 20250101\r\n# End date: 20250128\r\nCohort,Week 0,Week 1,Week 2,Total revenue\r\n\
                    Jan 1 - Jan 7,12,3,-1,-1\r\nJan 8 - Jan 14,9,-1\r\nJan 15 - Jan 21,4,-2,0,-3.5";
        let (ds, errs) = parse_text(text);
        assert!(errs.is_empty(), "{:?}", errs.errors());
        let got: Vec<_> = ds.period_metrics.iter().map(|m| (m.value.as_str(), m.metric.as_str(), m.amount)).collect();
        assert_eq!(
            got,
            [
                ("Jan 1 - Jan 7", "week_0", Some(12.0)),
                ("Jan 1 - Jan 7", "week_1", Some(3.0)),
                ("Jan 1 - Jan 7", "week_2", None),
                ("Jan 1 - Jan 7", "total_revenue", Some(-1.0)),
                ("Jan 8 - Jan 14", "week_0", Some(9.0)),
                ("Jan 8 - Jan 14", "week_1", None),
                ("Jan 15 - Jan 21", "week_0", Some(4.0)),
                ("Jan 15 - Jan 21", "week_1", Some(-2.0)),
                ("Jan 15 - Jan 21", "week_2", Some(0.0)),
                ("Jan 15 - Jan 21", "total_revenue", Some(-3.5)),
            ]
        );
    }
}
