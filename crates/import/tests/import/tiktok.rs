//! Issue 15: TikTok's analytics exports (Overview.csv, FollowerHistory.csv, Content.csv), from synthetic files in
//! TikTok's layout (every cell quoted, days written without a year such as `December 30`, `undefined` for a
//! follower count not tracked yet) written to a temporary folder and imported through `import_file`.

use crate::support::{import_written, without_temp_dir};
use crate::workbooks;
use socialledger_domain::{Dataset, Date, MetricPeriod, Network, PostType};
use socialledger_import::{ImportError, ImportOptions, Parsed};

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd_opt(y, m, day).unwrap()
}

fn errors(result: Result<Parsed, ImportError>) -> Vec<String> {
    match result {
        Err(ImportError::Rejected { errors, .. }) => errors.iter().map(|e| without_temp_dir(&e.to_string())).collect(),
        Err(other) => vec![without_temp_dir(&other.to_string())],
        Ok(p) => panic!("expected an error, imported {} rows as {}", p.rows, p.format),
    }
}

fn ok(name: &str, text: &str, opts: &ImportOptions) -> Parsed {
    import_written(name, text.as_bytes(), opts).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn ending(day: Date) -> ImportOptions {
    ImportOptions { period_end: Some(day), ..Default::default() }
}

/// TikTok's Overview.csv over a new year, one day with a comment taken back.
const OVERVIEW: &str = "\"Date\",\"Video Views\",\"Profile Views\",\"Likes\",\"Comments\",\"Shares\"\n\
\"December 30\",\"0\",\"0\",\"0\",\"0\",\"0\"\n\
\"December 31\",\"1441\",\"52\",\"31\",\"2\",\"11\"\n\
\"January 1\",\"2110\",\"77\",\"57\",\"-1\",\"6\"\n\
\"January 2\",\"8806\",\"137\",\"103\",\"1\",\"5\"\n";

const FOLLOWERS: &str = "\"Date\",\"Followers\",\"Difference in followers from previous day\"\n\
\"December 30\",\"undefined\",\"0\"\n\
\"December 31\",\"10405\",\"35\"\n\
\"January 1\",\"10440\",\"35\"\n\
\"January 2\",\"10428\",\"-12\"\n";

const CONTENT: &str = "Video title,Video link,Post time,Total likes,Total comments,Total shares,Total views,Add to favorites\n\
\"We are hiring: apprentices, 2025\",https://www.tiktok.com/@acme.careers/video/7412345678901234567?lang=en,2024-09-08 20:46:55,300,22,15,5000,40\n\
Behind the scenes,https://www.tiktok.com/@acme.careers/video/7412345678901234999,September 8,120,3,1,2100,\n\
A photo post,https://www.tiktok.com/@acme.careers/photo/7412345679000000000,,10,0,0,300,1\n";

/// A channel day as (date, video views, profile visits, engagements, followers).
type Day = (Date, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

fn by_day(ds: &Dataset) -> Vec<Day> {
    ds.channel_days
        .iter()
        .map(|c| (c.date.unwrap(), c.video_views, c.profile_visits, c.engagements, c.followers))
        .collect()
}

#[test]
fn issue_15_tiktok_overview_gives_each_day_its_year_from_the_end_of_the_download() {
    let parsed = ok("Overview.csv", OVERVIEW, &ending(d(2025, 1, 3)));
    assert_eq!(parsed.format, "tiktok-overview");
    let ds = &parsed.dataset;
    assert_eq!(ds.channels.len(), 1);
    assert_eq!((ds.channels[0].key.as_str(), ds.channels[0].network), ("tiktok", Some(Network::TikTok)));
    assert_eq!(
        by_day(ds),
        [
            (d(2024, 12, 30), Some(0), Some(0), Some(0), None),
            (d(2024, 12, 31), Some(1441), Some(52), Some(31 + 2 + 11), None),
            (d(2025, 1, 1), Some(2110), Some(77), Some(57 - 1 + 6), None),
            (d(2025, 1, 2), Some(8806), Some(137), Some(103 + 1 + 5), None),
        ]
    );
    // The end may be the last day itself, or come from the file name; a BOM and CRLF change nothing.
    let same = ok(
        "acme_Overview_2025-01-02.csv",
        &format!("\u{feff}{}", OVERVIEW.replace('\n', "\r\n")),
        &ImportOptions::default(),
    );
    assert_eq!(by_day(&same.dataset), by_day(ds));
    assert_eq!(same.dataset.channels[0].handle.as_deref(), Some("acme"));
    // Dates with their year need no end.
    let iso = OVERVIEW.replace("December 3", "2024-12-3").replace("January ", "2025-01-0");
    assert_eq!(by_day(&ok("Overview.csv", &iso, &ImportOptions::default()).dataset), by_day(ds));
}

#[test]
fn issue_15_tiktok_overview_without_a_year_or_out_of_order_is_refused_with_what_to_pass() {
    let e = errors(import_written("Overview.csv", OVERVIEW.as_bytes(), &ImportOptions::default()));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("Overview.csv:2:Date: \"December 30\" has no year"), "{e:?}");
    assert!(e[0].contains("--period-end YYYY-MM-DD"), "{e:?}");
    // Newest first (sorted by hand) cannot be oldest first within a year.
    let mut lines: Vec<&str> = OVERVIEW.lines().collect();
    lines[1..].reverse();
    let e = errors(import_written("Overview.csv", lines.join("\n").as_bytes(), &ending(d(2025, 1, 3))));
    assert!(e[0].contains("do not run oldest first within one year"), "{e:?}");
    // A day twice: without years it cannot be oldest first within a year either; with years it is named.
    let twice = format!("{OVERVIEW}\"January 2\",\"1\",\"1\",\"1\",\"1\",\"1\"\n");
    let e = errors(import_written("Overview.csv", twice.as_bytes(), &ending(d(2025, 1, 3))));
    assert!(e[0].contains("do not run oldest first within one year"), "{e:?}");
    let twice = twice.replace("December 3", "2024-12-3").replace("January ", "2025-01-0");
    let e = errors(import_written("Overview.csv", twice.as_bytes(), &ImportOptions::default()));
    assert!(e[0].starts_with("Overview.csv:6:Date: ") && e[0].contains("2025-01-02"), "{e:?}");
    // A views count that is not a number.
    let bad = OVERVIEW.replace("\"1441\"", "\"1.4K\"");
    let e = errors(import_written("Overview.csv", bad.as_bytes(), &ending(d(2025, 1, 3))));
    assert!(e[0].starts_with("Overview.csv:3:Video Views: \"1.4K\" is not a whole number"), "{e:?}");
}

#[test]
fn issue_15_tiktok_follower_history_stores_the_level_and_skips_undefined() {
    let parsed = ok("FollowerHistory.csv", FOLLOWERS, &ending(d(2025, 1, 2)));
    assert_eq!(parsed.format, "tiktok-followers");
    let days: Vec<(Date, Option<i64>)> =
        parsed.dataset.channel_days.iter().map(|c| (c.date.unwrap(), c.followers)).collect();
    assert_eq!(days, [(d(2024, 12, 31), Some(10405)), (d(2025, 1, 1), Some(10440)), (d(2025, 1, 2), Some(10428))]);
    assert!(parsed.dataset.channel_days.iter().all(|c| c.new_followers.is_none() && c.lost_followers.is_none()));
}

#[test]
fn issue_15_tiktok_content_imports_videos_with_lifetime_counters() {
    let parsed = ok("Content.csv", CONTENT, &ending(d(2024, 9, 20)));
    assert_eq!(parsed.format, "tiktok-content");
    let ds = &parsed.dataset;
    let ch = &ds.channels[0];
    assert_eq!((ch.network, ch.handle.as_deref()), (Some(Network::TikTok), Some("acme.careers")));
    assert_eq!(ds.posts.len(), 3);
    let first = &ds.posts[0];
    assert_eq!(first.external_id, "7412345678901234567");
    assert_eq!(first.text.as_deref(), Some("We are hiring: apprentices, 2025"));
    assert_eq!(first.post_type, Some(PostType::Video));
    assert_eq!(first.published_at.unwrap().to_rfc3339(), "2024-09-08T20:46:55+00:00");
    // `September 8` has no year: the id's time, on that day, is the post time; an empty cell takes it too.
    let second = &ds.posts[1];
    assert_eq!(second.published_at.unwrap().date_naive(), d(2024, 9, 8));
    assert_eq!((ds.posts[2].post_type, ds.posts[2].published_at.is_some()), (Some(PostType::Image), true));
    let m = &ds.post_metrics[0];
    assert_eq!(
        (m.date, m.period, m.video_views, m.reactions, m.comments, m.shares, m.saves),
        (Some(d(2024, 9, 20)), Some(MetricPeriod::Lifetime), Some(5000), Some(300), Some(22), Some(15), Some(40))
    );
    assert_eq!(ds.post_metrics[1].saves, None);

    // Without an end, the counters are dated the newest video's day, and a note says so.
    let parsed = ok("Content.csv", CONTENT, &ImportOptions::default());
    assert!(parsed.dataset.post_metrics.iter().all(|m| m.date == Some(d(2024, 9, 8))));
    assert!(parsed.notes.iter().any(|n| n.contains("--period-end")), "{:?}", parsed.notes);

    // A post time on another day than its id's, a link that is not a video's: errors naming the cell.
    let wrong = CONTENT.replace("September 8", "October 1");
    let e = errors(import_written("Content.csv", wrong.as_bytes(), &ImportOptions::default()));
    assert!(e[0].starts_with("Content.csv:3:Post time: \"October 1\" is not the day the video id says"), "{e:?}");
    let wrong =
        CONTENT.replace("https://www.tiktok.com/@acme.careers/video/7412345678901234999", "https://example.com/x");
    let e = errors(import_written("Content.csv", wrong.as_bytes(), &ImportOptions::default()));
    assert!(
        e[0].starts_with("Content.csv:3:Video link: \"https://example.com/x\" is not a TikTok video link"),
        "{e:?}"
    );
}

#[test]
fn issue_15_tiktok_exports_of_one_account_land_on_one_channel() {
    let content = ok("Content.csv", CONTENT, &ending(d(2024, 9, 20)));
    let opts = ImportOptions { existing_channels: content.dataset.channels.clone(), ..ending(d(2025, 1, 3)) };
    for (name, text) in [("Overview.csv", OVERVIEW), ("FollowerHistory.csv", FOLLOWERS)] {
        let parsed = ok(name, text, &opts);
        assert_eq!(parsed.dataset.channels[0].key, content.dataset.channels[0].key, "{name}");
        assert_eq!(parsed.dataset.channels[0].handle.as_deref(), Some("acme.careers"), "{name}");
    }
}

#[test]
fn issue_15_tiktok_overview_downloaded_as_xlsx_imports_like_the_csv() {
    let rows: Vec<Vec<String>> =
        OVERVIEW.lines().map(|l| l.split(',').map(|c| c.trim_matches('"').to_string()).collect()).collect();
    let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    let book = workbooks::xlsx("Overview", &rows);
    let parsed = import_written("Overview.xlsx", &book, &ending(d(2025, 1, 3))).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.format, "tiktok-overview");
    assert_eq!(by_day(&parsed.dataset), by_day(&ok("Overview.csv", OVERVIEW, &ending(d(2025, 1, 3))).dataset));
}
