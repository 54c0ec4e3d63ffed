//! Native social exports (X, LinkedIn, Facebook, Meta): every real file under `shared/data/exports/{x,linkedin,
//! facebook}` is detected without `--format`, imports without error, yields the record counts of MANIFEST.md, and
//! sums of its counters equal the sums read independently from the raw file (with the csv and calamine crates,
//! not with our readers). Where the platform prints a rate, ours (engagements / impressions, from the imported
//! counts) is within 0.1 percentage point of it.

use socialledger_domain::{
    AudienceDimension, AudienceKind, ChannelDay, Date, MetricPeriod, Network, PostMetrics, PostType,
};
use socialledger_import::{import_file, ImportError, ImportOptions, Parsed};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::support::shared_exports as exports;

fn import_with(rel: &str, opts: &ImportOptions) -> Parsed {
    let path = exports().join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    import_file(&path, &bytes, opts).unwrap_or_else(|e| panic!("{rel} did not import:\n{e}"))
}

fn import(rel: &str) -> Parsed {
    import_with(rel, &ImportOptions::default())
}

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd_opt(y, m, day).unwrap()
}

/// A raw count cell: `2633.0`, `15`, or blank/`-` (0).
fn count(cell: &str) -> i64 {
    let t = cell.trim();
    if t.is_empty() || t == "-" {
        0
    } else {
        let v: f64 = t.parse().unwrap_or_else(|_| panic!("raw cell {t:?} is not a number"));
        assert_eq!(v.fract(), 0.0, "raw cell {t:?} is not a count");
        v as i64
    }
}

/// A CSV file read with the csv crate alone: header names and data records (minus `skip` description rows).
struct RawCsv {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl RawCsv {
    fn read(rel: &str, skip: usize) -> RawCsv {
        let bytes = std::fs::read(exports().join(rel)).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let text = text.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut records = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>());
        let headers = records.next().unwrap();
        RawCsv { headers, rows: records.skip(skip).collect() }
    }
    /// The `nth` (0-based) column named `name`.
    fn col_nth(&self, name: &str, nth: usize) -> usize {
        let found: Vec<usize> = self.headers.iter().enumerate().filter(|(_, h)| *h == name).map(|(i, _)| i).collect();
        *found.get(nth).unwrap_or_else(|| panic!("raw file has no column {name:?} #{nth}"))
    }
    fn col(&self, name: &str) -> usize {
        self.col_nth(name, 0)
    }
    fn sum(&self, name: &str) -> i64 {
        let c = self.col(name);
        self.rows.iter().map(|r| count(&r[c])).sum()
    }
    fn cells(&self, name: &str) -> Vec<&str> {
        let c = self.col(name);
        self.rows.iter().map(|r| r[c].as_str()).collect()
    }
}

/// One sheet of a workbook read with calamine alone: the header row is the first row whose first cell is `first`.
struct RawSheet {
    headers: Vec<String>,
    rows: Vec<Vec<calamine::Data>>,
}

impl RawSheet {
    fn read(rel: &str, sheet: &str, first: &str) -> RawSheet {
        use calamine::Reader;
        let mut book = calamine::open_workbook_auto(exports().join(rel)).unwrap();
        let range = book.worksheet_range(sheet).unwrap();
        let mut rows = range.rows().map(<[calamine::Data]>::to_vec);
        let header = rows.find(|r| r.first().is_some_and(|c| *c == first)).unwrap();
        RawSheet { headers: header.iter().map(ToString::to_string).collect(), rows: rows.collect() }
    }
    fn col(&self, name: &str) -> usize {
        self.headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("raw sheet has no column {name:?}"))
    }
    fn num(cell: &calamine::Data) -> f64 {
        match cell {
            calamine::Data::Float(f) => *f,
            calamine::Data::Int(i) => *i as f64,
            calamine::Data::String(s) if s.is_empty() => 0.0,
            calamine::Data::Empty => 0.0,
            other => panic!("raw cell {other:?} is not a number"),
        }
    }
    fn sum(&self, name: &str) -> i64 {
        let c = self.col(name);
        self.rows.iter().map(|r| Self::num(&r[c]) as i64).sum()
    }
    fn len(&self) -> usize {
        self.rows.len()
    }
}

fn total<T>(items: &[T], f: impl Fn(&T) -> Option<i64>) -> i64 {
    items.iter().map(|x| f(x).unwrap_or(0)).sum()
}

/// Our engagement rate (engagements / impressions from the imported counts) against the platform's printed one,
/// for every record with impressions: the largest deviation, asserted to be under 0.1 percentage point.
fn max_rate_deviation(what: &str, records: impl Iterator<Item = (Option<i64>, Option<i64>, Option<f64>)>) -> f64 {
    let mut max = 0.0f64;
    let mut checked = 0;
    for (engagements, impressions, reported) in records {
        let (Some(e), Some(i), Some(reported)) = (engagements, impressions, reported) else { continue };
        if i == 0 {
            assert_eq!(reported, 0.0, "{what}: a rate is printed for zero impressions");
            continue;
        }
        let ours = e as f64 / i as f64;
        max = max.max((ours - reported).abs());
        checked += 1;
    }
    assert!(checked > 0, "{what}: no rate checked");
    assert!(max <= 0.001, "{what}: our engagement rate is {:.4} percentage points off", max * 100.0);
    eprintln!("{what}: {checked} rates, max deviation {max:e} (fraction)");
    max
}

fn post_rates(m: &[PostMetrics]) -> impl Iterator<Item = (Option<i64>, Option<i64>, Option<f64>)> + '_ {
    m.iter().map(|m| (m.engagements, m.impressions, m.reported_engagement_rate))
}

fn day_rates(days: &[ChannelDay]) -> impl Iterator<Item = (Option<i64>, Option<i64>, Option<f64>)> + '_ {
    days.iter().map(|d| (d.engagements, d.impressions, d.reported_engagement_rate))
}

const X_TWEETS: [(&str, usize); 3] = [
    ("x/tweet_activity_metrics_rOpenSci_20190101_20190201_en.csv", 31),
    ("x/tweet_activity_metrics_rOpenSci_20211201_20220101_en.csv", 17),
    ("x/tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv", 356),
];

const FB_POSTS: &str =
    "facebook/Facebook Insights Data Export (Post Level) - Visualization Studio VIC - 2015-08-19 - 2016-02-15.csv";
const FB_VIDEOS: &str =
    "facebook/Facebook Insights Data Export (Video Posts) - Visualization Studio VIC - 2015-08-19 - 2016-02-15.csv";
const FB_PAGE: &str = "facebook/Facebook Insights Data Export - Visualization Studio VIC - 2015-08-19 - 2016-02-15.csv";
const META: &str = "facebook/Feb-01-2025_Mar-15-2025_613168031534769.csv";

/// Every file of the three folders, with the format it must be detected as and its data rows (MANIFEST.md).
const FILES: [(&str, &str, usize); 16] = [
    ("x/tweet_activity_metrics_rOpenSci_20190101_20190201_en.csv", "x-tweets", 31),
    ("x/tweet_activity_metrics_rOpenSci_20211201_20220101_en.csv", "x-tweets", 17),
    ("x/tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv", "x-tweets", 356),
    ("x/daily_tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv", "x-daily", 31),
    ("x/kaiadevintern_account_analytics_content_2024-12-22_2025-03-22.csv", "x-content", 173),
    ("x/kaiadevintern_account_overview_analytics.csv", "x-overview", 271),
    ("x/koe_account_overview_analytics.csv", "x-overview", 7),
    ("linkedin/Shares.csv", "linkedin-shares", 202),
    ("linkedin/pro-efficient-data-entry_content_1742193384396.xls", "linkedin-content", 30 + 8),
    ("linkedin/doorly_content_1774355108388.xls", "linkedin-content", 90 + 3),
    ("linkedin/doorly_followers_1774355119598.xls", "linkedin-followers", 90 + 17 + 24 + 9 + 72 + 8),
    ("linkedin/doorly_visitors_1774355114381.xls", "linkedin-visitors", 90 + 1 + 2 + 2 + 5 + 3),
    (FB_POSTS, "facebook-posts", 170),
    (FB_VIDEOS, "facebook-videos", 21),
    (FB_PAGE, "facebook-page", 180),
    (META, "meta-posts", 20),
];

#[test]
fn every_social_export_is_detected_and_imports_its_rows() {
    socialledger_testkit::needs_shared_data!();
    let listed: HashSet<&str> = FILES.iter().map(|(f, _, _)| *f).collect();
    for folder in ["x", "linkedin", "facebook"] {
        for entry in std::fs::read_dir(exports().join(folder)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let rel = format!("{folder}/{name}");
            assert!(listed.contains(rel.as_str()), "{rel} is not covered by this test");
        }
    }
    for (rel, format, rows) in FILES {
        let parsed = import(rel);
        assert_eq!(parsed.format, format, "{rel} detected as {}", parsed.format);
        assert_eq!(parsed.rows, rows, "{rel}: data rows");
        assert_eq!(parsed.dataset.channels.len(), 1, "{rel}: one channel");
    }
}

#[test]
fn x_legacy_tweets_match_the_raw_columns_and_xs_rate() {
    socialledger_testkit::needs_shared_data!();
    for (rel, n) in X_TWEETS {
        let parsed = import(rel);
        let ds = &parsed.dataset;
        let raw = RawCsv::read(rel, 0);
        assert_eq!(raw.rows.len(), n);
        assert_eq!((ds.posts.len(), ds.post_metrics.len()), (n, n), "{rel}");
        let ids: Vec<&str> = ds.posts.iter().map(|p| p.external_id.as_str()).collect();
        assert_eq!(ids, raw.cells("Tweet id"), "{rel}: tweet ids kept as written (19 digits)");
        assert!(ids.iter().all(|id| id.len() == 19));
        let m = &ds.post_metrics;
        assert_eq!(total(m, |m| m.impressions), raw.sum("impressions"), "{rel}");
        assert_eq!(total(m, |m| m.engagements), raw.sum("engagements"), "{rel}");
        assert_eq!(total(m, |m| m.reactions), raw.sum("likes"), "{rel}");
        assert_eq!(total(m, |m| m.shares), raw.sum("retweets"), "{rel}");
        assert_eq!(total(m, |m| m.comments), raw.sum("replies"), "{rel}");
        assert_eq!(total(m, |m| m.follows), raw.sum("follows"), "{rel}");
        max_rate_deviation(rel, post_rates(m));
        let channel = &ds.channels[0];
        assert_eq!(channel.network, Some(Network::X));
        assert!(m.iter().all(|m| m.period == Some(MetricPeriod::Lifetime) && m.channel == channel.key));
        assert!(ds.posts.iter().all(|p| !p.text.as_deref().unwrap_or("").contains("&amp;")), "{rel}: &amp; decoded");
    }
    // Independent anchors (python over the raw file): rOpenSci, January 2019.
    let ds = import(X_TWEETS[0].0).dataset;
    assert_eq!(total(&ds.post_metrics, |m| m.impressions), 199_256);
    assert_eq!(total(&ds.post_metrics, |m| m.engagements), 3_585);
    assert_eq!(ds.channels[0].handle.as_deref(), Some("rOpenSci"));
    assert!(ds.post_metrics.iter().all(|m| m.date == Some(d(2019, 2, 1))), "dated the export's end");
    let first = &ds.posts[0];
    assert_eq!(first.external_id, "1091117122825084928");
    assert_eq!(first.published_at.unwrap().to_rfc3339(), "2019-01-31T23:32:00+00:00");
    assert!(ds.posts.iter().any(|p| p.text.as_deref().unwrap_or("").contains(" & ")));
    // X's engagements are likes + retweets + replies + follows + every kind of click: our clicks complete the sum.
    for m in &ds.post_metrics {
        let parts = [m.reactions, m.shares, m.comments, m.follows, m.clicks].iter().flatten().sum::<i64>();
        assert_eq!(Some(parts), m.engagements, "tweet {}", m.post_id);
    }
}

#[test]
fn x_legacy_daily_matches_the_raw_columns_and_xs_rate() {
    socialledger_testkit::needs_shared_data!();
    let rel = "x/daily_tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv";
    let ds = import(rel).dataset;
    let raw = RawCsv::read(rel, 0);
    let days = &ds.channel_days;
    assert_eq!(days.len(), 31);
    assert_eq!(total(days, |d| d.impressions), raw.sum("impressions"));
    assert_eq!(total(days, |d| d.engagements), raw.sum("engagements"));
    assert_eq!(total(days, |d| d.posts_published), raw.sum("Tweets published"));
    assert_eq!(total(days, |d| d.profile_visits), raw.sum("user profile clicks"));
    assert_eq!((total(days, |d| d.impressions), total(days, |d| d.posts_published)), (1_639_423, 357));
    max_rate_deviation(rel, day_rates(days));
    assert_eq!(days[0].date, Some(d(2021, 8, 1)));
    assert_eq!(ds.channels[0].handle.as_deref(), Some("LisaDeBruine"));
}

#[test]
fn new_x_content_keeps_xs_engagements() {
    socialledger_testkit::needs_shared_data!();
    let rel = "x/kaiadevintern_account_analytics_content_2024-12-22_2025-03-22.csv";
    let ds = import(rel).dataset;
    let raw = RawCsv::read(rel, 0);
    let m = &ds.post_metrics;
    assert_eq!((ds.posts.len(), m.len()), (173, 173));
    assert_eq!(total(m, |m| m.impressions), raw.sum("Impressions"));
    assert_eq!(total(m, |m| m.engagements), raw.sum("Engagements"));
    assert_eq!(total(m, |m| m.engagements), 2_254);
    assert_eq!(total(m, |m| m.reactions), raw.sum("Likes"));
    assert_eq!(total(m, |m| m.saves), raw.sum("Bookmarks"));
    assert_eq!(total(m, |m| m.follows), raw.sum("New follows"));
    assert_eq!(total(m, |m| m.shares), raw.sum("Reposts") + raw.sum("Share"));
    // X's total is kept even where it is not the sum of the listed parts (14 of 173 rows, MANIFEST.md).
    let differs = m
        .iter()
        .filter(|m| {
            let parts = [m.reactions, m.saves, m.shares, m.follows, m.comments, m.clicks].iter().flatten().sum::<i64>();
            Some(parts) != m.engagements
        })
        .count();
    assert_eq!(differs, 173 - 159);
    assert!(m.iter().all(|m| m.date == Some(d(2025, 3, 22))));
    assert_eq!(ds.channels[0].handle.as_deref(), Some("KaiaDevIntern"));
    assert_eq!(ds.posts[0].external_id, "1902622306553184746");
    assert_eq!(ds.posts[0].published_at.unwrap().to_rfc3339(), "2025-03-20T00:00:00+00:00");
}

#[test]
fn new_x_overview_is_read_whatever_the_row_order() {
    socialledger_testkit::needs_shared_data!();
    for (rel, n, new, lost) in [
        ("x/kaiadevintern_account_overview_analytics.csv", 271, 298, 43),
        ("x/koe_account_overview_analytics.csv", 7, 13, 2),
    ] {
        let ds = import(rel).dataset;
        let raw = RawCsv::read(rel, 0);
        let days = &ds.channel_days;
        assert_eq!(days.len(), n);
        assert_eq!(total(days, |d| d.new_followers), raw.sum("New follows"));
        assert_eq!(total(days, |d| d.lost_followers), raw.sum("Unfollows"));
        assert_eq!((total(days, |d| d.new_followers), total(days, |d| d.lost_followers)), (new, lost));
        assert_eq!(total(days, |d| d.impressions), raw.sum("Impressions"));
        assert_eq!(total(days, |d| d.engagements), raw.sum("Engagements"));
        assert_eq!(total(days, |d| d.profile_visits), raw.sum("Profile visits"));
        assert_eq!(total(days, |d| d.video_views), raw.sum("Video views"));

        // The same file oldest first gives the same days.
        let text = std::fs::read_to_string(exports().join(rel)).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        lines[1..].reverse();
        let reversed = lines.join("\n") + "\n";
        let again = import_file(&exports().join(rel), reversed.as_bytes(), &ImportOptions::default()).unwrap();
        let by_date = |v: &[ChannelDay]| {
            let mut v = v.to_vec();
            v.sort_by_key(|d| d.date);
            v
        };
        assert_eq!(by_date(&again.dataset.channel_days), by_date(days));
    }
    let ds = import("x/kaiadevintern_account_overview_analytics.csv").dataset;
    let dates: Vec<Date> = ds.channel_days.iter().filter_map(|d| d.date).collect();
    assert_eq!(dates.iter().min(), Some(&d(2024, 6, 24)));
    assert_eq!(dates.iter().max(), Some(&d(2025, 3, 21)));
}

#[test]
fn linkedin_content_matches_both_sheets_and_linkedins_rates() {
    socialledger_testkit::needs_shared_data!();
    for (rel, days, posts, end, page) in [
        (
            "linkedin/pro-efficient-data-entry_content_1742193384396.xls",
            30,
            8,
            d(2025, 3, 15),
            "pro-efficient-data-entry",
        ),
        ("linkedin/doorly_content_1774355108388.xls", 90, 3, d(2026, 3, 22), "doorly"),
    ] {
        let ds = import(rel).dataset;
        let metrics = RawSheet::read(rel, "Metrics", "Date");
        let all_posts = RawSheet::read(rel, "All posts", "Post title");
        assert_eq!((metrics.len(), all_posts.len()), (days, posts));
        assert_eq!(ds.channels[0].handle.as_deref(), Some(page));
        assert_eq!(ds.channels[0].network, Some(Network::LinkedIn));

        let cd = &ds.channel_days;
        assert_eq!(cd.len(), days, "{rel}");
        assert_eq!(total(cd, |d| d.impressions), metrics.sum("Impressions (total)"));
        let engagements = ["Clicks (total)", "Reactions (total)", "Comments (total)", "Reposts (total)"]
            .iter()
            .map(|c| metrics.sum(c))
            .sum::<i64>();
        assert_eq!(total(cd, |d| d.engagements), engagements);
        max_rate_deviation(&format!("{rel} [Metrics]"), day_rates(cd));

        let m = &ds.post_metrics;
        assert_eq!((ds.posts.len(), m.len()), (posts, posts), "{rel}");
        assert_eq!(total(m, |m| m.impressions), all_posts.sum("Impressions"));
        assert_eq!(total(m, |m| m.clicks), all_posts.sum("Clicks"));
        assert_eq!(total(m, |m| m.reactions), all_posts.sum("Likes"));
        let engagements =
            ["Clicks", "Likes", "Comments", "Reposts", "Follows"].iter().map(|c| all_posts.sum(c)).sum::<i64>();
        assert_eq!(total(m, |m| m.engagements), engagements);
        assert!(m.iter().all(|m| m.follows.is_none() && m.video_views.is_none()), "empty cells stay unreported");
        max_rate_deviation(&format!("{rel} [All posts]"), post_rates(m));
        assert!(m.iter().all(|m| m.date == Some(end)), "{rel}: snapshot on the last day of Metrics");
        assert!(ds.posts.iter().all(|p| p.external_id.starts_with("urn:li:activity:")));
    }
    // Independent anchors (python over the raw sheets).
    let ds = import("linkedin/pro-efficient-data-entry_content_1742193384396.xls").dataset;
    assert_eq!(total(&ds.channel_days, |d| d.impressions), 306);
    assert_eq!(total(&ds.channel_days, |d| d.engagements), 13);
    assert_eq!(total(&ds.post_metrics, |m| m.impressions), 310);
    let doorly = import("linkedin/doorly_content_1774355108388.xls").dataset;
    assert_eq!(doorly.posts[1].external_id, "urn:li:activity:7415377507614457856");
    assert_eq!(doorly.posts[1].published_at.unwrap().to_rfc3339(), "2026-01-09T00:00:00+00:00");
    assert!(doorly.posts[1].text.as_deref().unwrap().contains('\n'), "multi-line Arabic text kept");
}

#[test]
fn linkedin_followers_are_daily_gains_and_demographics() {
    socialledger_testkit::needs_shared_data!();
    let rel = "linkedin/doorly_followers_1774355119598.xls";
    let ds = import(rel).dataset;
    let raw = RawSheet::read(rel, "New followers", "Date");
    assert_eq!(ds.channel_days.len(), 90);
    assert_eq!(total(&ds.channel_days, |d| d.new_followers), raw.sum("Total followers"));
    assert_eq!(total(&ds.channel_days, |d| d.new_followers), 16);
    assert!(ds.channel_days.iter().all(|d| d.followers.is_none()), "the file holds no follower level");
    assert_eq!(ds.audience.len(), 130);
    for (sheet, dimension, n, sum) in [
        ("Location", AudienceDimension::Location, 17, 90),
        ("Job function", AudienceDimension::JobFunction, 24, 133),
        ("Seniority", AudienceDimension::Seniority, 9, 142),
        ("Industry", AudienceDimension::Industry, 72, 168),
        ("Company size", AudienceDimension::CompanySize, 8, 121),
    ] {
        let raw = RawSheet::read(rel, sheet, sheet);
        let slices: Vec<_> = ds.audience.iter().filter(|a| a.dimension == dimension).collect();
        assert_eq!((slices.len(), raw.len()), (n, n), "{sheet}");
        assert_eq!(slices.iter().map(|a| a.count).sum::<i64>(), raw.sum("Total followers"), "{sheet}");
        assert_eq!(slices.iter().map(|a| a.count).sum::<i64>(), sum, "{sheet}");
    }
    assert!(ds.audience.iter().all(|a| a.audience == AudienceKind::Followers && a.date == d(2026, 3, 22)));
    assert!(ds.audience.iter().any(|a| a.value == "Muscat, Oman" && a.count == 63));
}

#[test]
fn linkedin_visitors_keep_linkedins_totals() {
    socialledger_testkit::needs_shared_data!();
    let rel = "linkedin/doorly_visitors_1774355114381.xls";
    let ds = import(rel).dataset;
    let raw = RawSheet::read(rel, "Visitor metrics", "Date");
    assert_eq!(ds.channel_days.len(), 90);
    assert_eq!(total(&ds.channel_days, |d| d.page_views), raw.sum("Total page views (total)"));
    assert_eq!(total(&ds.channel_days, |d| d.unique_visitors), raw.sum("Total unique visitors (total)"));
    assert_eq!((total(&ds.channel_days, |d| d.page_views), total(&ds.channel_days, |d| d.unique_visitors)), (122, 45));
    assert_eq!(ds.audience.len(), 13);
    assert!(ds.audience.iter().all(|a| a.audience == AudienceKind::Visitors));
    let industry: i64 =
        ds.audience.iter().filter(|a| a.dimension == AudienceDimension::Industry).map(|a| a.count).sum();
    assert_eq!(industry, RawSheet::read(rel, "Industry", "Industry").sum("Total views"));
}

#[test]
fn linkedin_shares_are_posts_with_clean_text() {
    socialledger_testkit::needs_shared_data!();
    let rel = "linkedin/Shares.csv";
    let parsed = import(rel);
    let ds = &parsed.dataset;
    let raw = RawCsv::read(rel, 0);
    assert_eq!(raw.rows.len(), 202);
    // One post appears once per media file (5 rows, same link): 198 distinct posts.
    let distinct: HashSet<&str> = raw.cells("ShareLink").into_iter().collect();
    assert_eq!(ds.posts.len(), distinct.len());
    assert_eq!(ds.posts.len(), 198);
    assert!(ds.post_metrics.is_empty());
    assert!(parsed.notes.iter().any(|n| n.contains("4 row(s) repeat")), "{:?}", parsed.notes);
    let first = &ds.posts[0];
    assert_eq!(first.external_id, "urn:li:share:7345821826846990338");
    assert_eq!(first.url.as_deref(), Some("https://www.linkedin.com/feed/update/urn:li:share:7345821826846990338"));
    let text = first.text.as_deref().unwrap();
    assert!(text.starts_with("I'm off for a 10-day Vipassana meditation program.\n\n"), "{text:?}");
    assert!(!text.contains("\"\n") && !text.contains("\n\""), "per-line quotes stripped");
    assert_eq!(first.published_at.unwrap().to_rfc3339(), "2025-07-01T14:33:22+00:00");
    for p in &ds.posts {
        let t = p.text.as_deref().unwrap_or("");
        assert!(!t.contains("\"\n\"\"\n\""), "post {} keeps wrapper quotes", p.external_id);
    }
    assert_eq!(ds.channels[0].handle, None);
    assert_eq!(ds.channels[0].key, "linkedin");
}

#[test]
fn facebook_post_level_matches_the_raw_columns() {
    socialledger_testkit::needs_shared_data!();
    let ds = import(FB_POSTS).dataset;
    let raw = RawCsv::read(FB_POSTS, 1);
    let m = &ds.post_metrics;
    assert_eq!((ds.posts.len(), m.len(), raw.rows.len()), (170, 170, 170));
    assert_eq!(total(m, |m| m.impressions), raw.sum("Lifetime Post Total Impressions"));
    assert_eq!(total(m, |m| m.reach), raw.sum("Lifetime Post Total Reach"));
    assert_eq!(total(m, |m| m.engagements), raw.sum("Lifetime Engaged Users"));
    assert_eq!(total(m, |m| m.clicks), raw.sum("Lifetime Post Consumers"));
    assert_eq!(total(m, |m| m.reactions), raw.sum("Lifetime Post Stories by action type - like"));
    assert_eq!(total(m, |m| m.comments), raw.sum("Lifetime Post Stories by action type - comment"));
    assert_eq!(total(m, |m| m.shares), raw.sum("Lifetime Post Stories by action type - share"));
    assert_eq!((total(m, |m| m.impressions), total(m, |m| m.engagements)), (291_369, 9_711));
    // Empty means unreported, not zero: 39 posts have no like stories.
    assert_eq!(m.iter().filter(|m| m.reactions.is_none()).count(), 39);
    assert!(m.iter().all(|m| m.date == Some(d(2016, 2, 15))));
    let ch = &ds.channels[0];
    assert_eq!((ch.network, ch.handle.as_deref()), (Some(Network::Facebook), Some("Visualization Studio VIC")));
    let first = &ds.posts[0];
    assert_eq!(first.external_id, "518995791497187_1110323039031123");
    assert_eq!(first.post_type, Some(PostType::Image));
    // `02/14/2016 12:40:16 AM` in --tz: UTC by default, Melbourne when asked.
    assert_eq!(first.published_at.unwrap().to_rfc3339(), "2016-02-14T00:40:16+00:00");
    let opts = ImportOptions { tz: chrono_tz::Australia::Melbourne, ..Default::default() };
    let local = import_with(FB_POSTS, &opts).dataset;
    assert_eq!(local.posts[0].published_at.unwrap().to_rfc3339(), "2016-02-13T13:40:16+00:00");
}

#[test]
fn facebook_video_posts_add_views_without_erasing_the_post_level_snapshot() {
    socialledger_testkit::needs_shared_data!();
    let videos = import(FB_VIDEOS).dataset;
    let raw = RawCsv::read(FB_VIDEOS, 1);
    let m = &videos.post_metrics;
    assert_eq!((videos.posts.len(), m.len()), (21, 21));
    assert_eq!(total(m, |m| m.video_views), raw.sum("Lifetime Total Video Views"));
    assert_eq!(total(m, |m| m.video_views), 14_230);
    assert_eq!(total(m, |m| m.impressions), raw.sum("Lifetime Post Total Impressions"));
    assert_eq!(total(m, |m| m.reach), raw.sum("Lifetime Post Total Reach"));
    assert!(m.iter().all(|m| m.date == Some(d(2016, 2, 14)) && m.period == Some(MetricPeriod::Lifetime)));

    // The post-level file counts the same video views (first organic + first paid column).
    let posts = import(FB_POSTS).dataset;
    let by_id: HashMap<&str, &PostMetrics> = posts.post_metrics.iter().map(|m| (m.post_id.as_str(), m)).collect();
    for v in m {
        let p = by_id[v.post_id.as_str()];
        assert_eq!((p.video_views, p.impressions, p.reach), (v.video_views, v.impressions, v.reach), "{}", v.post_id);
    }

    // Store semantics: a snapshot replaces the one with the same (channel, post, date, period). In either import
    // order, every video's latest snapshot still has engaged users, clicks and video views.
    type Key = (String, String, Option<Date>, Option<MetricPeriod>);
    for order in [[&posts, &videos], [&videos, &posts]] {
        let mut store: HashMap<Key, PostMetrics> = HashMap::new();
        for ds in order {
            for m in &ds.post_metrics {
                store.insert((m.channel.clone(), m.post_id.clone(), m.date, m.period), m.clone());
            }
        }
        for v in m {
            let latest = store.values().filter(|s| s.post_id == v.post_id).max_by_key(|s| s.date).unwrap();
            assert!(latest.engagements.is_some() && latest.clicks.is_some(), "{}", v.post_id);
            assert_eq!(latest.video_views, v.video_views);
        }
    }
    assert_eq!(posts.channels[0].key, videos.channels[0].key, "one page, one channel");
}

#[test]
fn facebook_page_level_days() {
    socialledger_testkit::needs_shared_data!();
    let ds = import(FB_PAGE).dataset;
    let raw = RawCsv::read(FB_PAGE, 1);
    let days = &ds.channel_days;
    assert_eq!((days.len(), raw.rows.len()), (180, 180));
    assert_eq!(total(days, |d| d.new_followers), raw.sum("Daily New Likes"));
    assert_eq!(total(days, |d| d.lost_followers), raw.sum("Daily Unlikes"));
    assert_eq!(total(days, |d| d.impressions), raw.sum("Daily Total Impressions"));
    assert_eq!(total(days, |d| d.engagements), raw.sum("Daily Page Engaged Users"));
    assert_eq!(total(days, |d| d.followers), raw.sum("Lifetime Total Likes"));
    assert_eq!((total(days, |d| d.new_followers), total(days, |d| d.lost_followers)), (343, 19));
    assert_eq!((days[0].date, days[0].followers), (Some(d(2015, 8, 19)), Some(771)));
    assert_eq!(days[179].date, Some(d(2016, 2, 14)));
}

#[test]
fn meta_business_suite_posts() {
    socialledger_testkit::needs_shared_data!();
    let ds = import(META).dataset;
    let raw = RawCsv::read(META, 0);
    let m = &ds.post_metrics;
    assert_eq!((ds.posts.len(), m.len()), (20, 20));
    assert_eq!(total(m, |m| m.reach), raw.sum("Reach"));
    assert_eq!(total(m, |m| m.engagements), raw.sum("Reactions, comments and shares"));
    assert_eq!(total(m, |m| m.clicks), raw.sum("Total clicks"));
    let first_views = raw.col_nth("Views", 0);
    assert_eq!(total(m, |m| m.impressions), raw.rows.iter().map(|r| count(&r[first_views])).sum::<i64>());
    for m in m {
        let parts = [m.reactions, m.comments, m.shares].iter().flatten().sum::<i64>();
        assert_eq!(Some(parts), m.engagements);
    }
    assert_eq!(total(m, |m| m.reach), 34);
    assert!(m.iter().all(|m| m.date == Some(d(2025, 3, 15))));
    let ch = &ds.channels[0];
    assert_eq!((ch.network, ch.handle.as_deref()), (Some(Network::Facebook), Some("Pro Efficient Data Entry")));
    assert_eq!(ds.posts[0].external_id, "122121474620644102");
    assert_eq!(ds.posts[0].post_type, Some(PostType::Video));
    assert_eq!(ds.posts[1].post_type, Some(PostType::Image));
    assert_eq!(ds.posts[0].published_at.unwrap().to_rfc3339(), "2025-03-15T03:06:00+00:00");
}

#[test]
fn a_damaged_count_names_file_line_and_column() {
    socialledger_testkit::needs_shared_data!();
    let rel = "x/tweet_activity_metrics_rOpenSci_20190101_20190201_en.csv";
    let raw = RawCsv::read(rel, 0);
    assert_eq!(raw.rows[2][raw.col("impressions")], "2845.0", "the third tweet's impressions");
    let text = std::fs::read_to_string(exports().join(rel)).unwrap();
    let at = text.find("\"1091022197269815296\"").unwrap();
    let cell = at + text[at..].find(",\"2845.0\",").unwrap();
    let damaged = format!("{},\"12x\",{}", &text[..cell], &text[cell + ",\"2845.0\",".len()..]);
    let path = PathBuf::from("damaged").join("tweet_activity_metrics_rOpenSci_20190101_20190201_en.csv");
    let err = import_file(&path, damaged.as_bytes(), &ImportOptions::default()).unwrap_err();
    let ImportError::Rejected { errors, .. } = &err else { panic!("not rejected: {err}") };
    assert_eq!(errors.len(), 1, "{err}");
    let e = &errors[0];
    assert_eq!(e.file, path.display().to_string());
    // The third tweet is CSV record 4; it starts on line 20 because the first two tweets span several lines.
    assert_eq!((e.row, e.column.as_deref()), (20, Some("impressions")), "{err}");
    assert!(
        err.to_string().contains("tweet_activity_metrics_rOpenSci_20190101_20190201_en.csv:20:impressions: \"12x\""),
        "{err}"
    );
}
