//! TikTok analytics exports (TikTok Studio or Business Suite → Analytics → Download data): `Overview.csv` (the
//! account's views, profile views, likes, comments and shares per day), `FollowerHistory.csv` (the follower count
//! per day) and `Content.csv` (one row per video with its lifetime counters).
//!
//! TikTok writes the days of the overview and follower files without a year (`August 31`). A year is given by one
//! rule, `YearRule`: the rows run oldest first up to the end of the download, so the last row is the latest such
//! day on or before that end (`--period-end`, else an ISO date in the file name) and each earlier row the latest
//! such day before the next one. Without an end the file is refused with what to pass: guessing the year from the
//! clock would store a year-old download a year late, silently.

use super::canonical::SeenKeys;
use super::social_common::{last_iso_date_in_name, report_missing_header, sum_reported};
use crate::channel::{file_channel, name_prefix, AccountClue};
use crate::parse::{self, DateFormat, TsFormat};
use crate::read::{Headed, Row};
use crate::{ErrorSink, ImportOptions, SourceFile};
use chrono::Datelike;
use socialledger_domain::{ChannelDay, Dataset, Date, MetricPeriod, Network, Post, PostMetrics, PostType, Timestamp};
use std::collections::HashMap;

/// The daily account figures: `Overview.csv`.
#[derive(Debug, Clone, Copy)]
pub struct TikTokOverview;

/// The follower count per day: `FollowerHistory.csv`.
#[derive(Debug, Clone, Copy)]
pub struct TikTokFollowers;

/// The videos with their lifetime counters: `Content.csv`.
#[derive(Debug, Clone, Copy)]
pub struct TikTokContent;

super::delegate_format!(
    TikTokOverview,
    name: "tiktok-overview",
    description: "TikTok analytics Overview.csv: video views, profile views, likes, comments, shares per day",
    detect: |f: &SourceFile| overview_header(f).is_some(),
    parse: parse_overview,
);

super::delegate_format!(
    TikTokFollowers,
    name: "tiktok-followers",
    description: "TikTok analytics FollowerHistory.csv: the follower count per day",
    detect: |f: &SourceFile| followers_header(f).is_some(),
    parse: parse_followers,
);

super::delegate_format!(
    TikTokContent,
    name: "tiktok-content",
    description: "TikTok analytics Content.csv: videos with their lifetime views, likes, comments, shares",
    detect: |f: &SourceFile| content_header(f).is_some(),
    parse: parse_content,
);

const OVERVIEW: &[&str] = &["Date", "Video Views", "Profile Views"];
const FOLLOWERS: &[&str] = &["Date", "Followers", "Difference in followers from previous day"];
const CONTENT: &[&str] = &["Video link", "Post time"];
/// The views column of `Content.csv`, as the downloads seen name it.
const CONTENT_VIEWS: &[&str] = &["Total views", "Video views", "Views"];

fn overview_header(file: &SourceFile) -> Option<Headed<'_>> {
    file.tables.iter().find_map(|t| t.header(OVERVIEW))
}

fn followers_header(file: &SourceFile) -> Option<Headed<'_>> {
    file.tables.iter().find_map(|t| t.header(FOLLOWERS))
}

fn content_header(file: &SourceFile) -> Option<Headed<'_>> {
    file.tables.iter().find_map(|t| t.header(CONTENT)).filter(|h| h.col_any(CONTENT_VIEWS).is_some())
}

/// The TikTok channel of an export: the handle of the video links (`tiktok.com/@<handle>/video/…`) where the file
/// has them, else a prefix the user put before TikTok's file name (`<handle>_Overview.csv`), else the one TikTok
/// channel or `--channel` (docs/sources.md, "Channel identity").
fn channel(
    file: &SourceFile,
    opts: &ImportOptions,
    errs: &mut ErrorSink,
    linked: Option<&str>,
    marker: &str,
) -> Option<socialledger_domain::Channel> {
    let clue = AccountClue::new(Network::TikTok, None, "TikTok")
        .content(linked)
        .file_name(name_prefix(&file.file_name, marker));
    file_channel(file, clue, opts, errs)
}

/// TikTok's empty cell: the follower count of a day before tracking began is written `undefined`.
fn undefined(r: &Row<'_>, col: Option<usize>) -> bool {
    col.is_some_and(|c| r.cell(c).eq_ignore_ascii_case("undefined"))
}

/// A count, or `None` for an empty or `undefined` cell.
fn count(r: &mut Row<'_>, col: Option<usize>) -> Option<i64> {
    if undefined(r, col) {
        return None;
    }
    r.get_count(col)
}

/// A day's change, which TikTok writes negative when more likes or comments were taken back than given (a deleted
/// comment counts on the day it goes): bounded like a count, never refused for its sign.
fn change(r: &mut Row<'_>, col: Option<usize>) -> Option<i64> {
    if undefined(r, col) {
        return None;
    }
    r.get_net_change(col)
}

/// How the days of a file get their year.
#[derive(Debug)]
enum YearRule {
    /// Every day is written with its year (ISO or US dates, as a re-saved or newer download has them).
    Written,
    /// Every day is written without one: the days of these rows (by line), worked out from the end.
    Derived(HashMap<usize, Date>),
}

/// The latest date on or before `limit` that falls on `month`/`day` (February 29 looks back up to four years).
fn latest_on_or_before(month: u32, day: u32, limit: Date) -> Option<Date> {
    (0..5).map(|back| limit.year() - back).find_map(|y| Date::from_ymd_opt(y, month, day).filter(|d| *d <= limit))
}

/// Decides how the `Date` column of `h` gets its years; `None` with the error in `errs` when the days have no
/// year and no end is known, or when they cannot be in order oldest first within a year.
fn year_rule(
    h: &Headed<'_>,
    c_date: Option<usize>,
    file: &SourceFile,
    opts: &ImportOptions,
    errs: &mut ErrorSink,
) -> Option<YearRule> {
    let c = c_date?;
    let rows: Vec<(usize, &str)> = h.data().iter().filter(|r| !r.is_blank()).map(|r| (r.line, r.cell(c))).collect();
    let yearless: Vec<(usize, (u32, u32))> =
        rows.iter().filter_map(|(line, t)| parse::parse_month_day(t).map(|md| (*line, md))).collect();
    if yearless.is_empty() {
        return Some(YearRule::Written);
    }
    let sheet = h.table.sheet.as_deref();
    let first = yearless[0].0;
    if yearless.len() != rows.len() {
        let (line, text) =
            rows.iter().find(|(_, t)| parse::parse_month_day(t).is_none()).copied().unwrap_or((first, ""));
        errs.report(
            &file.display_name,
            sheet,
            line,
            Some(h.name(c)),
            format!("{text:?} has a year while other days of the file have none; TikTok writes all days alike"),
            Some("export the file again from TikTok, or write every day as YYYY-MM-DD".into()),
        );
        return None;
    }
    let Some(end) = opts.period_end.or_else(|| last_iso_date_in_name(&file.file_name)) else {
        errs.report(
            &file.display_name,
            sheet,
            first,
            Some(h.name(c)),
            format!(
                "{:?} has no year (TikTok writes its days without one), and no end of the download is known",
                rows[0].1
            ),
            Some(
                "import it again with --period-end YYYY-MM-DD naming the day you downloaded it (or the last day it \
                 covers), or put that date in the file name such as Overview_2025-09-17.csv"
                    .into(),
            ),
        );
        return None;
    };
    let mut days = HashMap::with_capacity(yearless.len());
    let mut limit = end;
    for (line, (m, d)) in yearless.iter().rev() {
        let date = latest_on_or_before(*m, *d, limit)?;
        days.insert(*line, date);
        limit = date.pred_opt()?;
    }
    let oldest = days[&first];
    // TikTok offers at most the last 365 days; a longer span means the rows are not oldest first.
    if (end - oldest).num_days() > 366 {
        errs.report(
            &file.display_name,
            sheet,
            first,
            Some(h.name(c)),
            format!(
                "the days without a year do not run oldest first within one year up to {end} (read so, the first \
                 would be {oldest})"
            ),
            Some("import the file as TikTok wrote it (oldest day first), or write every day as YYYY-MM-DD".into()),
        );
        return None;
    }
    Some(YearRule::Derived(days))
}

/// The channel days of a TikTok daily file: `day` is the channel, the column of the day and how it gets its year;
/// `figures` reads the rest of a row. A day twice is an error.
fn daily(
    h: &Headed<'_>,
    day: (&str, Option<usize>, &YearRule),
    file: &SourceFile,
    opts: &ImportOptions,
    errs: &mut ErrorSink,
    mut figures: impl FnMut(&mut Row<'_>) -> ChannelDay,
) -> Vec<ChannelDay> {
    let (key, c_date, rule) = day;
    let mut days = Vec::new();
    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let date = match rule {
            YearRule::Derived(days) => days.get(&r.line()).copied(),
            YearRule::Written => r.req_date(c_date, &[DateFormat::Iso, DateFormat::Us, DateFormat::Text]),
        };
        if let Some(d) = date {
            seen.check(d, || format!("day {d}"), r, c_date);
        }
        let day = ChannelDay { channel: key.to_string(), date, ..figures(r) };
        if date.is_some() && !r.failed() {
            days.push(day);
        }
    });
    days
}

fn parse_overview(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = overview_header(file) else {
        report_missing_header(file, errs, "a TikTok Overview export", OVERVIEW);
        return ds;
    };
    let c_date = h.col("Date");
    let Some(rule) = year_rule(&h, c_date, file, opts, errs) else { return ds };
    let Some(ch) = channel(file, opts, errs, None, "overview") else { return ds };
    let key = ch.key.clone();
    ds.channels.push(ch);
    let (c_views, c_profile) = (h.col("Video Views"), h.col("Profile Views"));
    let (c_likes, c_comments, c_shares) = (h.col("Likes"), h.col("Comments"), h.col("Shares"));
    ds.channel_days = daily(&h, (&key, c_date, &rule), file, opts, errs, |r| {
        // TikTok prints no engagement total: ours is likes + comments + shares of the day (docs/sources.md).
        let interactions = [change(r, c_likes), change(r, c_comments), change(r, c_shares)];
        ChannelDay {
            video_views: count(r, c_views),
            profile_visits: count(r, c_profile),
            engagements: sum_reported(&interactions),
            ..Default::default()
        }
    });
    ds
}

fn parse_followers(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = followers_header(file) else {
        report_missing_header(file, errs, "a TikTok FollowerHistory export", FOLLOWERS);
        return ds;
    };
    let c_date = h.col("Date");
    let Some(rule) = year_rule(&h, c_date, file, opts, errs) else { return ds };
    let Some(ch) = channel(file, opts, errs, None, "followerhistory") else { return ds };
    let key = ch.key.clone();
    ds.channels.push(ch);
    let c_followers = h.col("Followers");
    let c_diff = h.col("Difference in followers from previous day");
    ds.channel_days = daily(&h, (&key, c_date, &rule), file, opts, errs, |r| {
        // The difference is a net change (gained minus lost), neither new nor lost followers: it is only checked
        // to be a number, and the level is what is stored.
        let _ = change(r, c_diff);
        ChannelDay { followers: count(r, c_followers), ..Default::default() }
    });
    // A day before TikTok tracked followers is `undefined`: no figure, so no record.
    ds.channel_days.retain(|d| d.followers.is_some());
    ds
}

/// The video id and the account handle in a TikTok link: `https://www.tiktok.com/@acme/video/7412…?lang=en` ->
/// (`7412…`, `acme`, video). Photo posts (`/photo/<id>`) are posts too.
pub fn video_link(url: &str) -> Option<(&str, Option<&str>, PostType)> {
    let (kind, at) = [("/video/", PostType::Video), ("/photo/", PostType::Image)]
        .into_iter()
        .find_map(|(marker, kind)| url.find(marker).map(|i| (kind, i + marker.len())))?;
    let rest = &url[at..];
    let id = &rest[..rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len())];
    let handle =
        url.find("/@").map(|i| &url[i + 2..]).and_then(|h| h.split(['/', '?']).next()).filter(|h| !h.is_empty());
    (!id.is_empty()).then_some((id, handle, kind))
}

/// When a video was posted, from its id: TikTok's ids carry the Unix time in their upper 32 bits. `None` for an id
/// that does not (before TikTok's launch in 2016, or in the future of any file).
pub fn id_time(id: &str) -> Option<Timestamp> {
    let secs = (id.parse::<u64>().ok()? >> 32) as i64;
    let t = chrono::DateTime::from_timestamp(secs, 0)?;
    (t.year() >= 2016 && t.year() < 2100).then_some(t)
}

fn parse_content(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = content_header(file) else {
        report_missing_header(file, errs, "a TikTok Content export", &["Video link", "Post time", "Total views"]);
        return ds;
    };
    let c_link = h.col("Video link");
    let c_time = h.col("Post time");
    let c_title = h.col_any(&["Video title", "Title"]);
    let c_views = h.col_any(CONTENT_VIEWS);
    let c_likes = h.col_any(&["Total likes", "Likes"]);
    let c_comments = h.col_any(&["Total comments", "Comments"]);
    let c_shares = h.col_any(&["Total shares", "Shares"]);
    let c_saves = h.col_any(&["Add to favorites", "Total bookmarks", "Favorites"]);

    let linked = h.data().iter().find_map(|r| c_link.and_then(|c| video_link(r.cell(c))).and_then(|l| l.1));
    let Some(ch) = channel(file, opts, errs, linked, "content") else { return ds };
    let key = ch.key.clone();
    ds.channels.push(ch);

    let mut seen = SeenKeys::default();
    let mut metrics = Vec::new();
    h.for_each_row(file, opts, errs, |r| {
        let link = r.req_with(c_link, |t| {
            video_link(t).map(|(id, _, kind)| (id.to_string(), kind)).ok_or_else(|| {
                format!("{t:?} is not a TikTok video link such as https://www.tiktok.com/@account/video/7412345678901234567")
            })
        });
        if let Some((id, _)) = &link {
            seen.check(id.clone(), || format!("video {id}"), r, c_link);
        }
        let from_id = link.as_ref().and_then(|(id, _)| id_time(id));
        let published_at = posted(r, c_time, from_id, opts.tz);
        let m = PostMetrics {
            channel: key.clone(),
            post_id: link.as_ref().map(|l| l.0.clone()).unwrap_or_default(),
            period: Some(MetricPeriod::Lifetime),
            video_views: r.get_count(c_views),
            reactions: r.get_count(c_likes),
            comments: r.get_count(c_comments),
            shares: r.get_count(c_shares),
            saves: r.get_count(c_saves),
            ..Default::default()
        };
        let (Some((id, kind)), false) = (link, r.failed()) else { return };
        ds.posts.push(Post {
            channel: key.clone(),
            external_id: id,
            published_at,
            post_type: Some(kind),
            text: r.get_string(c_title),
            url: r.get_string(c_link),
            author: None,
            campaign: None,
            idea: None,
        });
        metrics.push(m);
    });
    // The counters are lifetime totals on the day of the download: `--period-end`, else a date in the file name,
    // else the newest video's day (the download was on or after it).
    let end = opts.period_end.or_else(|| last_iso_date_in_name(&file.file_name));
    let newest = ds.posts.iter().filter_map(|p| p.published_at).max().map(|t| t.with_timezone(&opts.tz).date_naive());
    if end.is_none() && !metrics.is_empty() {
        errs.note(format!(
            "{}: the download day is not known; the videos' lifetime counters are dated the newest video's day{} \
             (pass --period-end to date them)",
            file.display_name,
            newest.map(|d| format!(" ({d})")).unwrap_or_default()
        ));
    }
    for m in &mut metrics {
        m.date = end.or(newest);
    }
    metrics.retain(|m| m.date.is_some());
    ds.post_metrics = metrics;
    ds
}

/// When a video was posted: `Post time` as written (a timestamp in `--tz`), or, where TikTok writes only the day
/// without a year (`September 4`), the time its id carries, which must fall on that day (within a day either
/// way, for time zones). An empty cell takes the id's time.
fn posted(r: &mut Row<'_>, c_time: Option<usize>, from_id: Option<Timestamp>, tz: chrono_tz::Tz) -> Option<Timestamp> {
    let text = c_time.map(|c| r.cell(c)).unwrap_or("");
    if parse::is_blank(text) {
        return from_id;
    }
    let Some((month, day)) = parse::parse_month_day(text) else {
        return r.get_timestamp(c_time, &[TsFormat::Iso, TsFormat::Us]);
    };
    let Some(t) = from_id else {
        r.error(
            c_time,
            format!("{text:?} has no year, and the video id does not tell it either"),
            Some("write the post time with its year, such as 2025-09-04 18:30".into()),
        );
        return None;
    };
    let local = t.with_timezone(&tz).date_naive();
    let near = [local.pred_opt(), Some(local), local.succ_opt()];
    if near.iter().flatten().any(|d| d.month() == month && d.day() == day) {
        Some(t)
    } else {
        r.error(
            c_time,
            format!("{text:?} is not the day the video id says it was posted ({local})"),
            Some("check that the row's link and post time belong to the same video".into()),
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn links_and_ids() {
        let (id, handle, kind) =
            video_link("https://www.tiktok.com/@acme.hr/video/7412345678901234567?lang=en").unwrap();
        assert_eq!((id, handle, kind), ("7412345678901234567", Some("acme.hr"), PostType::Video));
        assert_eq!(
            video_link("https://www.tiktok.com/@a/photo/7300000000000000001").map(|l| l.2),
            Some(PostType::Image)
        );
        assert_eq!(video_link("https://www.tiktok.com/@a"), None);
        // 7412345678901234567 >> 32 = 1725821215 s = 2024-09-08 18:46:55 UTC.
        assert_eq!(id_time("7412345678901234567").unwrap().to_rfc3339(), "2024-09-08T18:46:55+00:00");
        assert_eq!(id_time("12345"), None);
    }

    #[test]
    fn latest_day_on_or_before() {
        assert_eq!(latest_on_or_before(8, 31, d(2025, 9, 17)), Some(d(2025, 8, 31)));
        assert_eq!(latest_on_or_before(12, 30, d(2026, 1, 2)), Some(d(2025, 12, 30)));
        assert_eq!(latest_on_or_before(9, 17, d(2025, 9, 17)), Some(d(2025, 9, 17)));
        assert_eq!(latest_on_or_before(2, 29, d(2027, 3, 1)), Some(d(2024, 2, 29)));
    }
}
