//! YouTube Studio's Advanced-mode export (Export → CSV gives a zip of three files), Content dimension:
//! `Table data.csv` (one row per video with its counters over the export period, plus a `Total` row),
//! `Chart data.csv` (the chart's metric per video and day) and `Totals.csv` (the channel's metric per day).
//!
//! The channel is the YouTube channel of the account ([`crate::channel::resolve_channel`] with no handle: the files do not name
//! the channel). Video IDs that begin with `-` are written with a leading space by YouTube (so spreadsheets do not
//! read them as formulas); cells are trimmed, which removes it.

use super::canonical::SeenKeys;
use super::date_order::{file_order, DateOrder};
use crate::channel::{file_channel, AccountClue};
use crate::parse::{self, DateFormat};
use crate::read::{Headed, Row};
use crate::{ErrorSink, Format, ImportOptions, SourceFile};
use chrono::NaiveTime;
use socialledger_domain::{Channel, ChannelDay, Dataset, Date, MetricPeriod, Network, Post, PostMetrics, PostType};
use std::collections::HashSet;

/// Converts YouTube's decimal hours (`45.8772`) to whole seconds exactly, rounding half a second up
/// (45.8772 h = 165 157.92 s -> 165 158 s). Floats are avoided so that sums over many videos do not drift.
pub fn hours_to_seconds(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let bad = || format!("{text:?} is not a number of hours; YouTube writes watch time as a decimal such as 45.8772");
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (int_part, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int_part.is_empty() && frac.is_empty()) || !digits(int_part) || !digits(frac) || frac.len() > 12 {
        return Err(bad());
    }
    let scale = 10i128.pow(frac.len() as u32);
    let int: i128 = if int_part.is_empty() { 0 } else { int_part.parse().map_err(|_| bad())? };
    let frac_v: i128 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| bad())? };
    let seconds = ((int * scale + frac_v) * 3600 * 2 + scale) / (2 * scale);
    let seconds = i64::try_from(seconds).map_err(|_| bad())?;
    Ok(if neg { -seconds } else { seconds })
}

/// The YouTube channel the export belongs to: the files do not name it, so the one YouTube channel, or a new one,
/// or `--channel`; `None` with the error in `errs` when several could be it.
fn youtube_channel(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Option<Channel> {
    file_channel(file, AccountClue::new(Network::YouTube, None, "YouTube"), opts, errs)
}

/// Column indices of the counters a YouTube export may have (the set depends on the metrics chosen in Studio).
#[derive(Clone, Copy, Debug)]
struct Counters {
    views: Option<usize>,
    watch_hours: Option<usize>,
    subscribers: Option<usize>,
    impressions: Option<usize>,
    likes: Option<usize>,
    comments: Option<usize>,
    shares: Option<usize>,
}

impl Counters {
    fn of(h: &Headed<'_>) -> Self {
        Counters {
            views: h.col("Views"),
            watch_hours: h.col("Watch time (hours)"),
            subscribers: h.col("Subscribers"),
            impressions: h.col("Impressions"),
            likes: h.col("Likes"),
            comments: h.col("Comments added"),
            shares: h.col("Shares"),
        }
    }

    /// A count that cannot be negative.
    fn count(r: &mut Row<'_>, col: Option<usize>) -> Option<i64> {
        let v = r.get_i64(col);
        if v.is_some_and(|n| n < 0) {
            r.error(col, "a count cannot be negative", None);
        }
        v
    }

    /// Reads the row's counters into `m`. `Subscribers` is the net change (gained − lost), so it may be negative.
    fn read(&self, r: &mut Row<'_>, m: &mut PostMetrics) {
        m.video_views = Self::count(r, self.views);
        m.impressions = Self::count(r, self.impressions);
        m.reactions = Self::count(r, self.likes);
        m.comments = Self::count(r, self.comments);
        m.shares = Self::count(r, self.shares);
        m.follows = r.get_i64(self.subscribers);
        m.watch_seconds = r.get_with(self.watch_hours, hours_to_seconds);
    }
}

/// The video (a post) of a row: ID, title and publish day (as midnight in `--tz`; Studio gives no time of day).
fn video(r: &mut Row<'_>, channel: &str, id: &str, title: Option<usize>, published: Option<usize>) -> Post {
    let tz = r.opts().tz;
    let published_at = r.get_with(published, |t| {
        let day = parse::parse_date(t, &[DateFormat::Text, DateFormat::Iso])?;
        parse::localize(day.and_time(NaiveTime::MIN), tz)
    });
    Post {
        channel: channel.to_string(),
        external_id: id.to_string(),
        published_at,
        post_type: Some(PostType::Video),
        text: r.get_string(title),
        url: Some(format!("https://www.youtube.com/watch?v={id}")),
        author: None,
        campaign: None,
        idea: None,
    }
}

/// The last of the ISO dates in a path (`…/Content 2025-06-13_2026-06-12 My channel/Table data.csv`): the end of
/// the export period when the user kept Studio's folder name.
fn period_end_in_path(path: &str) -> Option<Date> {
    let b = path.as_bytes();
    (0..b.len().saturating_sub(9))
        .rev()
        .filter(|&i| (i == 0 || !b[i - 1].is_ascii_digit()) && !b.get(i + 10).is_some_and(u8::is_ascii_digit))
        .find_map(|i| path.get(i..i + 10).and_then(|s| parse::parse_date(s, &[DateFormat::Iso]).ok()))
}

/// YouTube Studio `Table data.csv`: videos and their counters over the export period.
#[derive(Debug, Clone, Copy)]
pub struct YouTubeTable;

const TABLE_REQUIRED: &[&str] = &["Content", "Video title"];

impl Format for YouTubeTable {
    fn name(&self) -> &'static str {
        "youtube-table"
    }

    fn description(&self) -> &'static str {
        "YouTube Studio export, Table data.csv: videos with views, watch time, subscribers, impressions"
    }

    fn detect(&self, file: &SourceFile) -> bool {
        file.tables.iter().any(|t| t.header(TABLE_REQUIRED).is_some_and(|h| !h.has("Date")))
    }

    /// One post per video and one `Lifetime` metrics row dated at the end of the export period. The counters
    /// are those of the period (YouTube sums the chosen date range): for videos published inside it they are
    /// lifetime counters, for older videos they cover the period only. The `Total` row is checked against the
    /// listed videos and kept as a note.
    fn parse(&self, file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
        let mut ds = Dataset::default();
        let Some(h) = file.tables.iter().find_map(|t| t.header(TABLE_REQUIRED)) else {
            missing_header(file, TABLE_REQUIRED, errs);
            return ds;
        };
        let Some(channel) = youtube_channel(file, opts, errs) else { return ds };
        let (c_id, c_title, c_published) = (h.col("Content"), h.col("Video title"), h.col("Video publish time"));
        let counters = Counters::of(&h);
        let mut total: Option<(usize, PostMetrics)> = None;
        let mut videos: Vec<(Post, PostMetrics)> = Vec::new();
        let mut seen = SeenKeys::default();
        h.for_each_row(file, opts, errs, |r| {
            let Some(id) = r.req_str(c_id) else { return };
            let mut m = PostMetrics {
                channel: channel.key.clone(),
                post_id: id.to_string(),
                period: Some(MetricPeriod::Lifetime),
                ..Default::default()
            };
            counters.read(r, &mut m);
            if id.eq_ignore_ascii_case("total") && r.cell(c_title).is_empty() {
                total = Some((r.line(), m));
                return;
            }
            seen.check(id.to_string(), || format!("video {id}"), r, c_id);
            let post = video(r, &channel.key, id, c_title, c_published);
            if !r.failed() {
                videos.push((post, m));
            }
        });
        let Some(date) = snapshot_date(file, &videos, errs) else { return ds };
        if let Some((line, t)) = total {
            errs.note(total_note(file, line, &t, &videos));
        }
        for (post, mut m) in videos {
            m.date = Some(date);
            ds.posts.push(post);
            ds.post_metrics.push(m);
        }
        ds.channels.push(channel);
        ds
    }
}

/// The date of the table's counters: the end of the export period when the path names it, else the latest
/// publish day in the table (a lower bound: the export was made after every listed video was published), noted.
fn snapshot_date(file: &SourceFile, videos: &[(Post, PostMetrics)], errs: &mut ErrorSink) -> Option<Date> {
    if let Some(end) = period_end_in_path(&file.display_name) {
        return Some(end);
    }
    let latest = videos.iter().filter_map(|(p, _)| p.published_at).max();
    match latest {
        Some(ts) => {
            let day = ts.date_naive();
            errs.note(format!(
                "{}: the file does not say when its period ends; the counters are dated {day}, the latest publish \
                 day in it (keep Studio's folder name `Content <start>_<end> <channel>` in the path to date them \
                 at the period's end)",
                file.display_name
            ));
            Some(day)
        }
        None if videos.is_empty() => None,
        None => {
            errs.report(
                &file.display_name,
                None,
                1,
                None,
                "cannot tell the date of the counters: no `Video publish time` column and no period in the path",
                Some("keep Studio's folder name `Content <start>_<end> <channel>` in the path".into()),
            );
            None
        }
    }
}

/// Reads one counter of a metrics row.
type Counter = fn(&PostMetrics) -> Option<i64>;

/// Compares the `Total` row with the sums of the listed videos. YouTube lists only the top videos of a period,
/// so the total can be larger; smaller would mean the file was edited.
fn total_note(file: &SourceFile, line: usize, total: &PostMetrics, videos: &[(Post, PostMetrics)]) -> String {
    let sum = |f: Counter| -> i64 { videos.iter().filter_map(|(_, m)| f(m)).sum() };
    let mut parts = Vec::new();
    let mut below = Vec::new();
    let fields: [(&str, Counter); 4] = [
        ("views", |m| m.video_views),
        ("impressions", |m| m.impressions),
        ("watch seconds", |m| m.watch_seconds),
        ("subscribers", |m| m.follows),
    ];
    for (name, f) in fields {
        if let Some(t) = f(total) {
            let listed = sum(f);
            parts.push(format!("{name} {t} (listed videos {listed})"));
            if listed > t && name != "subscribers" {
                below.push(name);
            }
        }
    }
    let verdict = if below.is_empty() {
        "YouTube lists only the top videos, so the total can exceed the listed sum".to_string()
    } else {
        format!("the listed videos exceed the total in {}: check that the file is unedited", below.join(", "))
    };
    format!(
        "{}:{line}: the Total row is not a video and was not imported: {}; {verdict}",
        file.display_name,
        parts.join(", ")
    )
}

/// YouTube Studio `Chart data.csv`: the chart's metric per video and day.
#[derive(Debug, Clone, Copy)]
pub struct YouTubeChart;

const CHART_REQUIRED: &[&str] = &["Date", "Content", "Video title"];

impl Format for YouTubeChart {
    fn name(&self) -> &'static str {
        "youtube-chart"
    }

    fn description(&self) -> &'static str {
        "YouTube Studio export, Chart data.csv: daily views (or the chart's metric) per video"
    }

    fn detect(&self, file: &SourceFile) -> bool {
        file.tables.iter().any(|t| t.has_columns(CHART_REQUIRED))
    }

    /// One `Day` metrics row per video and date (that day's increments), and one post per video.
    fn parse(&self, file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
        let mut ds = Dataset::default();
        let Some(h) = file.tables.iter().find_map(|t| t.header(CHART_REQUIRED)) else {
            missing_header(file, CHART_REQUIRED, errs);
            return ds;
        };
        let Some(channel) = youtube_channel(file, opts, errs) else { return ds };
        let (c_date, c_id, c_title) = (h.col("Date"), h.col("Content"), h.col("Video title"));
        let c_published = h.col("Video publish time");
        let counters = Counters::of(&h);
        let formats = file_order(file, &h, &[c_date], DateOrder::DayFirst, errs).date_formats();
        let mut posted = HashSet::new();
        let mut seen = SeenKeys::default();
        h.for_each_row(file, opts, errs, |r| {
            let id = r.req_str(c_id);
            let date = r.req_date(c_date, &formats);
            let (Some(id), Some(date)) = (id, date) else { return };
            seen.check((id.to_string(), date), || format!("video {id} on {date}"), r, c_id);
            let mut m = PostMetrics {
                channel: channel.key.clone(),
                post_id: id.to_string(),
                date: Some(date),
                period: Some(MetricPeriod::Day),
                ..Default::default()
            };
            counters.read(r, &mut m);
            let post = (!posted.contains(id)).then(|| video(r, &channel.key, id, c_title, c_published));
            if r.failed() {
                return;
            }
            if let Some(post) = post {
                posted.insert(id.to_string());
                ds.posts.push(post);
            }
            ds.post_metrics.push(m);
        });
        ds.channels.push(channel);
        ds
    }
}

/// YouTube Studio `Totals.csv`: the channel's metric per day (`Date,Views`).
#[derive(Debug, Clone, Copy)]
pub struct YouTubeTotals;

/// The metrics a `Totals.csv` can hold that a [`ChannelDay`] has a field for.
const TOTALS_METRICS: &[&str] = &["Views", "Impressions"];

/// The header of a `Totals.csv`: `Date` and exactly one metric, nothing else.
fn totals_header(file: &SourceFile) -> Option<Headed<'_>> {
    file.tables.iter().find_map(|t| {
        t.header(&["Date"]).filter(|h| {
            let named: Vec<&String> = h.headers.iter().filter(|c| !c.is_empty()).collect();
            named.len() == 2 && TOTALS_METRICS.iter().any(|m| h.has(m))
        })
    })
}

impl Format for YouTubeTotals {
    fn name(&self) -> &'static str {
        "youtube-totals"
    }

    fn description(&self) -> &'static str {
        "YouTube Studio export, Totals.csv: the channel's daily views (Date,Views)"
    }

    fn detect(&self, file: &SourceFile) -> bool {
        totals_header(file).is_some()
    }

    /// One channel day per row. Dates are ISO in Studio's file and `DD-MM-YYYY` once a spreadsheet re-saved it
    /// (the day/month order is decided from the file's dates, day first when none decides).
    fn parse(&self, file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
        let mut ds = Dataset::default();
        let Some(h) = totals_header(file) else {
            missing_header(file, &["Date", "Views"], errs);
            return ds;
        };
        let Some(channel) = youtube_channel(file, opts, errs) else { return ds };
        let (c_date, c_views, c_impressions) = (h.col("Date"), h.col("Views"), h.col("Impressions"));
        let formats = file_order(file, &h, &[c_date], DateOrder::DayFirst, errs).date_formats();
        let mut seen = SeenKeys::default();
        h.for_each_row(file, opts, errs, |r| {
            let date = r.req_date(c_date, &formats);
            if let Some(d) = date {
                seen.check(d, || format!("date {d}"), r, c_date);
            }
            let video_views = Counters::count(r, c_views);
            let impressions = Counters::count(r, c_impressions);
            let (Some(date), false) = (date, r.failed()) else { return };
            ds.channel_days.push(ChannelDay {
                channel: channel.key.clone(),
                date: Some(date),
                video_views,
                impressions,
                ..Default::default()
            });
        });
        ds.channels.push(channel);
        ds
    }
}

/// Reports a file whose header lacks the columns a YouTube format needs.
fn missing_header(file: &SourceFile, required: &[&str], errs: &mut ErrorSink) {
    errs.report(
        &file.display_name,
        None,
        1,
        None,
        format!("the header lacks the YouTube Studio column(s) {}", required.join(", ")),
        Some("export from YouTube Studio's Advanced mode with the Content dimension".into()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watch_hours_to_seconds_exactly() {
        assert_eq!(hours_to_seconds("45.8772"), Ok(165_158));
        assert_eq!(hours_to_seconds("0.0001"), Ok(0));
        assert_eq!(hours_to_seconds("0.000139"), Ok(1));
        assert_eq!(hours_to_seconds("2"), Ok(7200));
        assert_eq!(hours_to_seconds("243.645"), Ok(877_122));
        assert_eq!(hours_to_seconds("-0.5"), Ok(-1800));
        assert!(hours_to_seconds("1:30").is_err());
        assert!(hours_to_seconds(".").is_err());
    }

    #[test]
    fn period_end_from_studio_folder_name() {
        let d = |y, m, day| Date::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            period_end_in_path("exports/Content 2025-06-13_2026-06-12 Channel/Table data.csv"),
            Some(d(2026, 6, 12))
        );
        assert_eq!(period_end_in_path("youtube/Table data.csv"), None);
        assert_eq!(period_end_in_path("x/12025-06-130/Table data.csv"), None);
    }
}
