//! The real YouTube, GA4, Meta Ads, Toggl, Clockify and HubSpot exports of `shared/data/exports` (provenance in
//! its MANIFEST.md): every file is recognised without `--format`, imports without error, and yields as many
//! records as the MANIFEST counts rows. Every expected sum is computed here from the raw file with the `csv` crate
//! and integer arithmetic, independently of the importer; the platform's own computed columns (YouTube CTR, Meta
//! Frequency/CPC/CTR, Clockify decimal hours and amounts, Toggl durations) are checked against the records.

use crate::support::{import_as, shared_exports};
use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use socialledger_domain::*;
use socialledger_import::{ImportError, ImportOptions, Parsed};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

fn path(folder: &str, name: &str) -> PathBuf {
    shared_exports().join(folder).join(name)
}

fn bytes(folder: &str, name: &str) -> Vec<u8> {
    let p = path(folder, name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// Imports a shared export with `opts` (no `--format`: the format is detected).
fn import_with(folder: &str, name: &str, opts: &ImportOptions) -> Parsed {
    let p = path(folder, name);
    import_as(p.to_str().unwrap(), &bytes(folder, name), opts).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn import(folder: &str, name: &str) -> Parsed {
    import_with(folder, name, &ImportOptions::default())
}

/// The raw file as the platform wrote it: header and records, read by the `csv` crate (BOM removed; `#` comment
/// lines skipped for GA4).
struct Raw {
    header: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl Raw {
    fn read(folder: &str, name: &str) -> Raw {
        let all = bytes(folder, name);
        let body = all.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&all);
        let comment = (folder == "ga4").then_some(b'#');
        let mut reader = csv::ReaderBuilder::new().flexible(true).comment(comment).from_reader(body);
        let header = reader.headers().unwrap().iter().map(str::to_string).collect();
        let rows = reader.records().map(Result::unwrap).collect();
        Raw { header, rows }
    }

    fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
    }

    /// The column's cells, one per row.
    fn cells(&self, name: &str) -> Vec<&str> {
        let c = self.col(name);
        self.rows.iter().map(|r| r.get(c).unwrap_or("")).collect()
    }

    /// Sum of a column of whole numbers (empty cells count as none).
    fn sum_i64(&self, name: &str) -> i64 {
        self.cells(name).iter().filter(|t| !t.is_empty()).map(|t| t.parse::<i64>().unwrap()).sum()
    }
}

/// A non-negative decimal such as `45.8772` as (digits without the point, number of fraction digits).
fn decimal(text: &str) -> (i128, u32) {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    (format!("{int}{frac}").parse().unwrap(), frac.len() as u32)
}

/// `value * num / den`, where value is a decimal string, rounded half up to an integer.
fn round_half_up(text: &str, num: i128, den: i128) -> i128 {
    let (digits, places) = decimal(text);
    let den = den * 10i128.pow(places);
    (2 * digits * num + den) / (2 * den)
}

/// Money in minor units (two decimals) from a plain decimal.
fn minor(text: &str) -> i64 {
    round_half_up(text, 100, 1) as i64
}

/// `HH:MM:SS` (hours may exceed 24) in seconds.
fn seconds(text: &str) -> i64 {
    let p: Vec<i64> = text.split(':').map(|x| x.parse().unwrap()).collect();
    p[0] * 3600 + p[1] * 60 + p[2]
}

fn day(y: i32, m: u32, d: u32) -> Date {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Every file of the six folders, its expected format, and its row count from MANIFEST.md's `rows` column.
const FILES: &[(&str, &str, &str, usize)] = &[
    ("youtube", "Table data.csv", "youtube-table", 443),
    ("youtube", "Chart data.csv", "youtube-chart", 1825),
    ("youtube", "Totals.csv", "youtube-totals", 365),
    ("ga4", "User_acquisition_First_user_primary_channel_group_(Default_Channel_Group).csv", "ga4-report", 8),
    ("ga4", "Landing_page_Landing_page.csv", "ga4-report", 211),
    ("meta-ads", "Untitled-report-Feb-1-2025-to-Aug-4-2025_Reach.csv", "meta-ads", 16),
    ("toggl", "Toggl_time_entries_2019-04-07_to_2020-04-06.csv", "toggl-detailed", 476),
    ("toggl", "Toggl_time_entries_2017-08-01_to_2017-08-31.csv", "toggl-detailed", 217),
    ("clockify", "Clockify_Time_Report_Detailed_01_01_2026-31_12_2026.csv", "clockify-detailed", 42),
    ("hubspot", "hubspot-crm-exports-all-customers-2025-04-08.csv", "hubspot-contacts", 6),
    ("hubspot", "hubspot-crm-exports-all-deals-2025-11-28.csv", "hubspot-deals", 200),
];

#[test]
fn every_file_is_detected_and_imports_its_manifest_row_count() {
    socialledger_testkit::needs_shared_data!();
    let mut on_disk = Vec::new();
    for folder in ["youtube", "ga4", "meta-ads", "toggl", "clockify", "hubspot"] {
        for entry in std::fs::read_dir(shared_exports().join(folder)).unwrap() {
            on_disk.push((folder, entry.unwrap().file_name().to_string_lossy().into_owned()));
        }
    }
    for (folder, name) in &on_disk {
        assert!(FILES.iter().any(|(f, n, _, _)| f == folder && n == name), "{folder}/{name} is not tested");
    }
    assert_eq!(on_disk.len(), FILES.len());
    for (folder, name, format, rows) in FILES {
        let parsed = import(folder, name);
        assert_eq!(parsed.format, *format, "{name}");
        assert_eq!(parsed.rows, *rows, "{name}");
        assert!(!parsed.dataset.is_empty(), "{name}");
        // The canonical CSV formats and this file agree on row count: the csv crate sees the same records.
        assert_eq!(Raw::read(folder, name).rows.len(), *rows, "{name}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// YouTube

#[test]
fn youtube_table_posts_and_counters_equal_the_raw_columns() {
    socialledger_testkit::needs_shared_data!();
    let raw = Raw::read("youtube", "Table data.csv");
    let parsed = import("youtube", "Table data.csv");
    let ds = &parsed.dataset;
    // Row 1 of the raw file is the Total row; the other 442 are videos.
    assert_eq!(raw.rows[0].get(0), Some("Total"));
    let videos = &raw.rows[1..];
    assert_eq!(ds.posts.len(), videos.len());
    assert_eq!(ds.post_metrics.len(), videos.len());
    assert_eq!(ds.channels.len(), 1);
    let ch = &ds.channels[0];
    assert_eq!((ch.key.as_str(), ch.network, ch.handle.as_deref()), ("youtube", Some(Network::YouTube), None));

    // IDs: YouTube's defusing leading space is gone, and every raw ID is there.
    let ids: HashSet<&str> = ds.posts.iter().map(|p| p.external_id.as_str()).collect();
    let spaced: Vec<&str> = videos.iter().map(|r| r.get(0).unwrap()).filter(|id| id.starts_with(' ')).collect();
    assert!(!spaced.is_empty());
    for r in videos {
        assert!(ids.contains(r.get(0).unwrap().trim()), "{:?}", r.get(0));
    }
    assert!(ds.posts.iter().all(|p| p.external_id.trim() == p.external_id && p.post_type == Some(PostType::Video)));

    // Sums of every counter, from the raw cells (watch time: hours x 3600 rounded half up, per video).
    let by_id: HashMap<&str, &PostMetrics> = ds.post_metrics.iter().map(|m| (m.post_id.as_str(), m)).collect();
    let sum = |f: fn(&PostMetrics) -> Option<i64>| -> i64 { ds.post_metrics.iter().filter_map(f).sum() };
    let raw_sum = |col: &str| -> i64 {
        let c = raw.col(col);
        videos.iter().map(|r| r.get(c).unwrap().parse::<i64>().unwrap()).sum()
    };
    assert_eq!(sum(|m| m.video_views), raw_sum("Views"));
    assert_eq!(sum(|m| m.impressions), raw_sum("Impressions"));
    assert_eq!(sum(|m| m.follows), raw_sum("Subscribers"));
    let c_watch = raw.col("Watch time (hours)");
    let watch: i128 = videos.iter().map(|r| round_half_up(r.get(c_watch).unwrap(), 3600, 1)).sum();
    assert_eq!(sum(|m| m.watch_seconds) as i128, watch);
    for r in videos {
        let m = by_id[r.get(0).unwrap().trim()];
        assert_eq!(m.watch_seconds.map(i128::from), Some(round_half_up(r.get(c_watch).unwrap(), 3600, 1)));
        assert_eq!(m.period, Some(MetricPeriod::Lifetime));
    }

    // Impressions click-through rate (%) = views from impressions / impressions, rounded to 0.01 %: the file has
    // no "views from impressions" column, so check that some whole number k <= views gives the printed rate,
    // using the importer's impressions and views.
    let c_ctr = raw.col("Impressions click-through rate (%)");
    for r in videos {
        let m = by_id[r.get(0).unwrap().trim()];
        let (impressions, views) = (m.impressions.unwrap() as i128, m.video_views.unwrap() as i128);
        // The rate in basis points (YouTube prints at most two decimals: `3.51`, `0.5`, `0`).
        let (digits, places) = decimal(r.get(c_ctr).unwrap());
        assert!(places <= 2, "{r:?}");
        let bp = digits * 10i128.pow(2 - places);
        if impressions == 0 {
            assert_eq!(bp, 0);
            continue;
        }
        // |k * 10000 / impressions - bp| <= 1/2  <=>  (2bp - 1) * imp / 20000 <= k <= (2bp + 1) * imp / 20000.
        let k_min = ((2 * bp - 1) * impressions + 19_999).div_euclid(20_000).max(0);
        let k_max = ((2 * bp + 1) * impressions).div_euclid(20_000);
        assert!(k_min <= k_max && k_min <= views, "CTR {bp} bp of {impressions} impressions, {views} views");
    }

    // The Total row is not a post; it is kept as a note with its figures.
    assert!(!ids.contains("Total"));
    let total_views = raw.rows[0].get(raw.col("Views")).unwrap();
    let note = parsed.notes.iter().find(|n| n.contains("Total row")).expect("a note on the Total row");
    assert!(note.contains(&format!("views {total_views} (listed videos {})", raw_sum("Views"))), "{note}");

    // Counters are dated: without the period in the path, on the latest publish day (and a note says so).
    let latest = videos
        .iter()
        .map(|r| NaiveDate::parse_from_str(r.get(raw.col("Video publish time")).unwrap(), "%b %d, %Y").unwrap())
        .max()
        .unwrap();
    assert!(ds.post_metrics.iter().all(|m| m.date == Some(latest)));
    assert!(parsed.notes.iter().any(|n| n.contains(&latest.to_string())), "{:?}", parsed.notes);
}

#[test]
fn youtube_table_is_dated_at_the_period_end_named_in_the_path() {
    socialledger_testkit::needs_shared_data!();
    let name = "exports/Content 2025-06-13_2026-06-12 Channel/Table data.csv";
    let parsed = import_as(name, &bytes("youtube", "Table data.csv"), &ImportOptions::default()).unwrap();
    assert!(parsed.dataset.post_metrics.iter().all(|m| m.date == Some(day(2026, 6, 12))));
}

#[test]
fn youtube_chart_days_add_up_to_the_table_views_of_each_video() {
    socialledger_testkit::needs_shared_data!();
    let raw = Raw::read("youtube", "Chart data.csv");
    let ds = import("youtube", "Chart data.csv").dataset;
    assert_eq!(ds.post_metrics.len(), raw.rows.len());
    assert!(ds.post_metrics.iter().all(|m| m.period == Some(MetricPeriod::Day) && m.date.is_some()));
    let raw_ids: HashSet<&str> = raw.cells("Content").into_iter().map(str::trim).collect();
    assert_eq!(ds.posts.len(), raw_ids.len());
    assert_eq!(ds.post_metrics.iter().filter_map(|m| m.video_views).sum::<i64>(), raw.sum_i64("Views"));
    // The chart's videos are in the table, and their daily views add up to the table's period views.
    let table = import("youtube", "Table data.csv").dataset;
    for id in raw_ids {
        let daily: i64 = ds.post_metrics.iter().filter(|m| m.post_id == id).filter_map(|m| m.video_views).sum();
        let period = table.post_metrics.iter().find(|m| m.post_id == id).and_then(|m| m.video_views);
        assert_eq!(Some(daily), period, "{id}");
    }
}

#[test]
fn youtube_totals_add_up_to_the_total_row_of_the_table() {
    socialledger_testkit::needs_shared_data!();
    let raw = Raw::read("youtube", "Totals.csv");
    let ds = import("youtube", "Totals.csv").dataset;
    assert_eq!(ds.channel_days.len(), raw.rows.len());
    let views: i64 = ds.channel_days.iter().filter_map(|d| d.video_views).sum();
    assert_eq!(views, raw.sum_i64("Views"));
    let table = Raw::read("youtube", "Table data.csv");
    let total_row: i64 = table.rows[0].get(table.col("Views")).unwrap().parse().unwrap();
    assert_eq!(views, total_row);
    assert_eq!(views, 181_588, "MANIFEST: sum of Totals Views = 181588 = the Total row's Views");
    // DD-MM-YYYY dates, 365 consecutive days from 13-06-2025.
    let dates: Vec<Date> = ds.channel_days.iter().map(|d| d.date.unwrap()).collect();
    assert_eq!(dates[0], NaiveDate::parse_from_str(raw.rows[0].get(0).unwrap(), "%d-%m-%Y").unwrap());
    assert!(dates.windows(2).all(|w| w[1] == w[0].succ_opt().unwrap()));
}

// ---------------------------------------------------------------------------------------------------------------
// Google Analytics 4

#[test]
fn ga4_reports_keep_every_printed_value() {
    socialledger_testkit::needs_shared_data!();
    let files = [
        ("User_acquisition_First_user_primary_channel_group_(Default_Channel_Group).csv", "first_user_channel_group"),
        ("Landing_page_Landing_page.csv", "landing_page"),
    ];
    for (name, dimension) in files {
        let raw = Raw::read("ga4", name);
        let ds = import("ga4", name).dataset;
        let metrics = raw.header.len() - 1;
        assert_eq!(ds.period_metrics.len(), raw.rows.len() * metrics, "{name}");
        let mut got: HashMap<(&str, &str), Option<f64>> = HashMap::new();
        for m in &ds.period_metrics {
            assert_eq!((m.source.as_str(), m.dimension.as_str()), ("ga4", dimension));
            // `# Start date: 20250201` / `# End date: 20250804` in the comment block.
            assert_eq!((m.period_start, m.period_end), (day(2025, 2, 1), day(2025, 8, 4)));
            assert!(got.insert((m.value.as_str(), m.metric.as_str()), m.amount).is_none());
        }
        for r in &raw.rows {
            for (i, header) in raw.header.iter().enumerate().skip(1) {
                let metric = header.to_lowercase().replace(' ', "_");
                let printed: f64 = r.get(i).unwrap().parse().unwrap();
                // Exactly as printed: the same text parsed to the same f64, rates included.
                assert_eq!(got[&(r.get(0).unwrap(), metric.as_str())], Some(printed), "{name} {:?} {header}", r.get(0));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Meta Ads Manager

const META: &str = "Untitled-report-Feb-1-2025-to-Aug-4-2025_Reach.csv";

#[test]
fn meta_ads_campaigns_are_paid_flights_whose_sums_equal_the_total_row() {
    socialledger_testkit::needs_shared_data!();
    let raw = Raw::read("meta-ads", META);
    let parsed = import("meta-ads", META);
    let ds = &parsed.dataset;
    let (total, campaigns) = raw.rows.split_first().unwrap();
    assert_eq!(total.get(0), Some(""), "the first row is Meta's total");
    assert_eq!(ds.activities.len(), campaigns.len());
    let ch = &ds.channels[0];
    assert_eq!((ch.key.as_str(), ch.kind, ch.network), ("meta-ads", ChannelKind::PaidSocial, Some(Network::Facebook)));
    let inr = Currency::parse("INR").unwrap();
    let col = |name: &str| raw.col(name);
    let campaign_sum = |name: &str, f: fn(&str) -> i64| -> i64 {
        campaigns.iter().map(|r| r.get(col(name)).unwrap()).filter(|t| !t.is_empty()).map(f).sum()
    };
    let spend: i64 = ds.activities.iter().map(|a| a.spend.unwrap().minor).sum();
    let impressions: i64 = ds.activities.iter().map(|a| a.volume.unwrap()).sum();
    let link_clicks: i64 = ds.activities.iter().map(|a| a.clicks.unwrap()).sum();
    assert_eq!(spend, campaign_sum("Amount spent (INR)", minor));
    assert_eq!(impressions, campaign_sum("Impressions", |t| t.parse().unwrap()));
    assert_eq!(link_clicks, campaign_sum("Link clicks", |t| t.parse().unwrap()));
    // Meta's total row equals those sums (MANIFEST), and the importer says it skipped it.
    assert_eq!(spend, minor(total.get(col("Amount spent (INR)")).unwrap()));
    assert_eq!(impressions, total.get(col("Impressions")).unwrap().parse::<i64>().unwrap());
    assert_eq!(link_clicks, total.get(col("Link clicks")).unwrap().parse::<i64>().unwrap());
    assert!(parsed.notes.iter().any(|n| n.contains("total row was skipped") && n.contains("equal the sums")));

    for (a, r) in ds.activities.iter().zip(campaigns) {
        assert_eq!(a.kind, ActivityKind::PaidMedia);
        assert_eq!(a.channel.as_deref(), Some("meta-ads"));
        assert_eq!((a.name.as_str(), a.campaign.as_deref()), (r.get(0).unwrap(), r.get(0)));
        assert_eq!((a.start, a.end), (day(2025, 2, 1), day(2025, 8, 4)));
        assert_eq!(a.spend.unwrap().currency, inr);
        assert_eq!(a.reach, r.get(col("Reach")).unwrap().parse().ok());
    }
    let keys: HashSet<&str> = ds.activities.iter().map(|a| a.key.as_str()).collect();
    assert_eq!(keys.len(), ds.activities.len());
    assert_eq!(import("meta-ads", META).dataset.activities, ds.activities, "keys are stable across imports");
}

#[test]
fn meta_ads_ratios_are_reproduced_from_the_imported_counters() {
    socialledger_testkit::needs_shared_data!();
    let raw = Raw::read("meta-ads", META);
    let ds = import("meta-ads", META).dataset;
    let f = |r: &csv::StringRecord, name: &str| -> f64 { r.get(raw.col(name)).unwrap().parse().unwrap() };
    // Campaign rows: from the imported activity (spend, impressions, reach, link clicks) and the raw Clicks (all),
    // which the domain does not keep.
    for (a, r) in ds.activities.iter().zip(&raw.rows[1..]) {
        let spend = a.spend.unwrap().to_major_f64();
        let (impressions, reach, link) = (a.volume.unwrap() as f64, a.reach.unwrap() as f64, a.clicks.unwrap() as f64);
        let all = f(r, "Clicks (all)");
        assert!((impressions / reach - f(r, "Frequency")).abs() < 1e-6, "Frequency of {}", a.name);
        assert!((spend / link - f(r, "CPC (cost per link click)")).abs() < 1e-6, "CPC of {}", a.name);
        assert!((spend / all - f(r, "CPC (all)")).abs() < 1e-6, "CPC (all) of {}", a.name);
        assert!((all / impressions * 100.0 - f(r, "CTR (all)")).abs() < 1e-6, "CTR (all) of {}", a.name);
    }
    // The total row, from its own cells (16 of 16 rows, as MANIFEST says).
    let t = &raw.rows[0];
    assert!((f(t, "Impressions") / f(t, "Reach") - f(t, "Frequency")).abs() < 1e-6);
    assert!((f(t, "Amount spent (INR)") / f(t, "Link clicks") - f(t, "CPC (cost per link click)")).abs() < 1e-6);
    assert!((f(t, "Clicks (all)") / f(t, "Impressions") * 100.0 - f(t, "CTR (all)")).abs() < 1e-6);
}

#[test]
fn issue_15_meta_ads_breakdown_of_the_real_report_is_slices_beside_its_campaigns() {
    socialledger_testkit::needs_shared_data!();
    // The real report with an `Age` breakdown column inserted after the campaign name (as the `_Age` file of the
    // same download has it): total row with two empty first cells, then one campaign row per age bracket.
    let text = String::from_utf8(bytes("meta-ads", META)).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().replacen("\"Campaign name\",", "\"Campaign name\",Age,", 1);
    let total = format!(",{}", lines.next().unwrap());
    let first = lines.next().unwrap().replacen("\",", "\",18-24,", 1);
    let file = format!("{header}\n{total}\n{first}\n");
    let parsed = import_as("report_Age.csv", file.as_bytes(), &ImportOptions::default()).unwrap();
    let ds = &parsed.dataset;
    assert!(ds.activities.is_empty(), "a slice is not a campaign");
    let raw = Raw::read("meta-ads", META);
    let r = &raw.rows[1];
    let value = format!("{} | 18-24", r.get(0).unwrap());
    for metric in ["Reach", "Impressions", "Amount spent (INR)", "Link clicks", "Clicks (all)"] {
        let printed: f64 = r.get(raw.col(metric)).unwrap().parse().unwrap();
        let got = ds.period_metrics.iter().find(|m| m.value == value && m.metric == metric).and_then(|m| m.amount);
        assert_eq!(got, Some(printed), "{metric}");
    }
    // One slice cannot equal the total: the note says so instead of refusing the file.
    assert!(
        parsed.notes.iter().any(|n| n.contains("differs from the sums of the breakdown rows")),
        "{:?}",
        parsed.notes
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Toggl and Clockify

/// The time entries of a tracker file against its raw rows: one entry per row, person = email, minutes = the
/// row's duration rounded to the nearest minute, date = start date.
fn check_entries(ds: &Dataset, raw: &Raw, duration_col: &str, date_col: &str, date_fmt: &str) {
    assert_eq!(ds.time_entries.len(), raw.rows.len());
    let (c_dur, c_date, c_email) = (raw.col(duration_col), raw.col(date_col), raw.col("Email"));
    for (e, r) in ds.time_entries.iter().zip(&raw.rows) {
        let secs = seconds(r.get(c_dur).unwrap());
        assert_eq!(e.minutes, (secs + 30) / 60, "{r:?}");
        assert_eq!(e.date, NaiveDate::parse_from_str(r.get(c_date).unwrap(), date_fmt).unwrap(), "{r:?}");
        assert_eq!(e.person, r.get(c_email).unwrap());
    }
    let total_secs: i64 = raw.cells(duration_col).iter().map(|t| seconds(t)).sum();
    let minutes: i64 = ds.time_entries.iter().map(|e| e.minutes).sum();
    assert!((minutes * 60 - total_secs).abs() <= 30 * raw.rows.len() as i64);
    let keys: HashSet<&str> = ds.time_entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys.len(), ds.time_entries.len(), "every entry has its own key");
    assert!(ds.people.is_empty(), "time trackers must not overwrite people.csv");
}

/// Per raw row: End − Start in seconds (naive local times; entries may cross midnight).
fn spans(raw: &Raw, names: [&str; 4], fmt: &str) -> Vec<i64> {
    let cols = names.map(|n| raw.col(n));
    let at = |r: &csv::StringRecord, d: usize, t: usize| {
        NaiveDateTime::parse_from_str(&format!("{} {}", r.get(d).unwrap(), r.get(t).unwrap()), fmt).unwrap()
    };
    raw.rows.iter().map(|r| (at(r, cols[2], cols[3]) - at(r, cols[0], cols[1])).num_seconds()).collect()
}

#[test]
fn toggl_entries_equal_the_raw_durations() {
    socialledger_testkit::needs_shared_data!();
    let names = ["Start date", "Start time", "End date", "End time"];
    for name in ["Toggl_time_entries_2019-04-07_to_2020-04-06.csv", "Toggl_time_entries_2017-08-01_to_2017-08-31.csv"] {
        let raw = Raw::read("toggl", name);
        let parsed = import("toggl", name);
        check_entries(&parsed.dataset, &raw, "Duration", "Start date", "%Y-%m-%d");
        // Duration = End − Start, within one second: Toggl keeps milliseconds and truncates start, end and
        // duration to whole seconds separately.
        let durations = raw.cells("Duration");
        for (span, d) in spans(&raw, names, "%Y-%m-%d %H:%M:%S").iter().zip(&durations) {
            assert!((span - seconds(d)).abs() <= 1, "{name}: span {span} s vs Duration {d}");
        }
        assert!(parsed.notes.is_empty(), "{name}: {:?}", parsed.notes);
        // No project, client, tag or description names a network: no channel, none created.
        assert!(parsed.dataset.time_entries.iter().all(|e| e.channel.is_none()));
        assert!(parsed.dataset.channels.is_empty());
    }
    // The 2017 file: two entries cross midnight and count on their start day; one is `Support: User`.
    let raw = Raw::read("toggl", "Toggl_time_entries_2017-08-01_to_2017-08-31.csv");
    let ds = import("toggl", "Toggl_time_entries_2017-08-01_to_2017-08-31.csv").dataset;
    let (c_sd, c_ed) = (raw.col("Start date"), raw.col("End date"));
    let crossing: Vec<usize> =
        (0..raw.rows.len()).filter(|&i| raw.rows[i].get(c_sd) != raw.rows[i].get(c_ed)).collect();
    assert_eq!(crossing.len(), 2, "MANIFEST: 2 entries cross midnight");
    for i in crossing {
        assert_eq!(ds.time_entries[i].date.to_string(), raw.rows[i].get(c_sd).unwrap());
    }
    let c_desc = raw.col("Description");
    for (e, r) in ds.time_entries.iter().zip(&raw.rows) {
        let support =
            r.get(c_desc).unwrap().to_lowercase().split(|c: char| !c.is_alphanumeric()).any(|w| w == "support");
        assert_eq!(e.task == Task::CustomerService, support, "{r:?}");
    }
}

#[test]
fn toggl_with_two_broken_rows_is_rejected_with_both_errors() {
    socialledger_testkit::needs_shared_data!();
    let text = String::from_utf8(bytes("toggl", "Toggl_time_entries_2017-08-01_to_2017-08-31.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Line 3: a duration that is no duration; line 6: a start date with month 13. (Neither line has a quoted
    // comma, so fields split on `,`: 7 = Start date, 11 = Duration.)
    let mut break_field = |line: usize, field: usize, text: &str| {
        let mut fields: Vec<&str> = lines[line - 1].split(',').collect();
        fields[field] = text;
        lines[line - 1] = fields.join(",");
    };
    break_field(3, 11, "21 min");
    break_field(6, 7, "2017-13-02");
    let broken = lines.join("\n");
    let err = import_as("toggl_broken.csv", broken.as_bytes(), &ImportOptions::default()).unwrap_err();
    let ImportError::Rejected { errors, more, .. } = &err else { panic!("{err}") };
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(*more, 0);
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(shown[0].starts_with("toggl_broken.csv:3:Duration: \"21 min\" is not a duration"), "{}", shown[0]);
    assert!(shown[1].starts_with("toggl_broken.csv:6:Start date: \"2017-13-02\" is not a date"), "{}", shown[1]);
}

const CLOCKIFY: &str = "Clockify_Time_Report_Detailed_01_01_2026-31_12_2026.csv";

#[test]
fn clockify_entries_equal_the_raw_durations_and_amounts() {
    socialledger_testkit::needs_shared_data!();
    let raw = Raw::read("clockify", CLOCKIFY);
    let parsed = import("clockify", CLOCKIFY);
    // Day-first dates (21/01/2026): the importer decided the order from the file.
    check_entries(&parsed.dataset, &raw, "Duration (h)", "Start Date", "%d/%m/%Y");
    let names = ["Start Date", "Start Time", "End Date", "End Time"];
    let hms = raw.cells("Duration (h)");
    for (span, d) in spans(&raw, names, "%d/%m/%Y %H:%M:%S").iter().zip(&hms) {
        assert_eq!(*span, seconds(d), "Clockify keeps whole seconds: Duration (h) = End - Start");
    }
    let (decimals, rates, amounts) =
        (raw.cells("Duration (decimal)"), raw.cells("Billable Rate (USD)"), raw.cells("Billable Amount (USD)"));
    for i in 0..raw.rows.len() {
        let secs = seconds(hms[i]) as i128;
        // Duration (decimal) = Duration (h) in hours, rounded half up to 0.01 h.
        assert_eq!(decimal(decimals[i]), ((2 * secs * 100 + 3600) / 7200, 2), "row {}", i + 2);
        // Billable Amount = exact hours x rate, rounded half up to the cent. (MANIFEST says decimal x rate;
        // that is off in the rows whose duration is not a whole 1/100 h, e.g. 02:01:00 at 75.00 = 151.25, not
        // 2.02 x 75 = 151.50.)
        let (rate, places) = decimal(rates[i]);
        let cents = (2 * secs * rate * 100 / 10i128.pow(places) + 3600) / 7200;
        assert_eq!(minor(amounts[i]) as i128, cents, "row {}", i + 2);
    }
    assert!(parsed.dataset.time_entries.iter().all(|e| e.channel.is_none()));
}

// ---------------------------------------------------------------------------------------------------------------
// HubSpot

#[test]
fn hubspot_contacts_with_create_dates_in_the_given_zone() {
    socialledger_testkit::needs_shared_data!();
    let name = "hubspot-crm-exports-all-customers-2025-04-08.csv";
    let raw = Raw::read("hubspot", name);
    let jakarta: chrono_tz::Tz = "Asia/Jakarta".parse().unwrap();
    let ds = import_with("hubspot", name, &ImportOptions { tz: jakarta, ..Default::default() }).dataset;
    assert_eq!(ds.contacts.len(), raw.rows.len());
    let cells = |n: &str| raw.cells(n);
    let (ids, first, last, email, created) =
        (cells("Record ID"), cells("First Name"), cells("Last Name"), cells("Email"), cells("Create Date"));
    for (i, c) in ds.contacts.iter().enumerate() {
        assert_eq!(c.key, ids[i]);
        assert_eq!(c.name.as_deref(), Some(format!("{} {}", first[i], last[i]).as_str()));
        assert_eq!(c.email.as_deref(), Some(email[i]));
        // `4/8/2025 17:19`: M/D/YYYY H:MM wall-clock time in the portal's zone (here Jakarta, UTC+7).
        let local = NaiveDateTime::parse_from_str(created[i], "%m/%d/%Y %H:%M").unwrap();
        assert_eq!(c.created_at, Some(jakarta.from_local_datetime(&local).unwrap().with_timezone(&Utc)));
        // `Preferred channels` is a preference, not an answer to "how did you hear of us".
        assert_eq!((c.account.as_deref(), c.self_reported_source.as_deref()), (None, None));
    }
}

#[test]
fn hubspot_deals_amounts_equal_the_raw_sum() {
    socialledger_testkit::needs_shared_data!();
    let name = "hubspot-crm-exports-all-deals-2025-11-28.csv";
    let raw = Raw::read("hubspot", name);
    let aud = Currency::parse("AUD").unwrap();
    let ds = import_with("hubspot", name, &ImportOptions { currency: aud, ..Default::default() }).dataset;
    assert_eq!(ds.deals.len(), raw.rows.len());
    let amounts = raw.cells("Amount");
    let ids = raw.cells("Record ID");
    let names = raw.cells("Deal Name");
    for (i, d) in ds.deals.iter().enumerate() {
        assert_eq!((d.key.as_str(), d.name.as_str()), (ids[i], names[i]));
        assert_eq!(d.amount, Some(Money::new(minor(amounts[i]), aud)));
        // No `Deal Stage` column in this export: every deal is open, with no stage or dates.
        assert_eq!((d.status, d.stage.as_deref(), d.created, d.closed), (DealStatus::Open, None, None, None));
    }
    let total: i64 = ds.deals.iter().map(|d| d.amount.unwrap().minor).sum();
    assert_eq!(total, amounts.iter().map(|a| minor(a)).sum::<i64>());
}
