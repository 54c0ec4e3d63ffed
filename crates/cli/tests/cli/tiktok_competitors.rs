//! Issue 15 through the binary: TikTok's yearless days get their year from `--period-end`, the overview and the
//! follower file of one account merge into one row per day, and a LinkedIn competitor export adds its page's
//! follower level to the day another export wrote while its competitors stay out of the channels.

use crate::support::{bin, sqlite_query as query};
use std::path::Path;

type DayRow = (String, String, Option<i64>, Option<i64>, Option<i64>);

/// `(channel, date, followers, new_followers, video_views)` of every stored channel day, in key order.
fn channel_days(db: &Path) -> Vec<DayRow> {
    query(db, "SELECT channel, date, followers, new_followers, video_views FROM channel_days ORDER BY channel, date")
}

fn import(dir: &Path, db: &Path, file: &Path, flags: &[&str]) -> std::process::Output {
    bin(dir).args(["--db"]).arg(db).args(["import", "--quiet"]).args(flags).arg(file).output().unwrap()
}

#[test]
fn issue_15_tiktok_overview_and_followers_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let overview = dir.path().join("Overview.csv");
    std::fs::write(
        &overview,
        "\"Date\",\"Video Views\",\"Profile Views\",\"Likes\",\"Comments\",\"Shares\"\n\
         \"December 31\",\"1441\",\"52\",\"31\",\"2\",\"11\"\n\"January 1\",\"2110\",\"77\",\"57\",\"-1\",\"6\"\n",
    )
    .unwrap();
    // Without a year and without --period-end: refused, saying what to pass.
    let out = import(dir.path(), &db, &overview, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Overview.csv:2:Date:") && err.contains("--period-end"), "{err}");

    let out = import(dir.path(), &db, &overview, &["--period-end", "2025-01-02"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let followers = dir.path().join("FollowerHistory.csv");
    std::fs::write(
        &followers,
        "\"Date\",\"Followers\",\"Difference in followers from previous day\"\n\
         \"December 31\",\"10405\",\"35\"\n\"January 1\",\"10440\",\"35\"\n",
    )
    .unwrap();
    let out = import(dir.path(), &db, &followers, &["--period-end", "2025-01-02"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let row = |date: &str, followers: i64, views: i64| {
        ("tiktok".to_string(), date.to_string(), Some(followers), None, Some(views))
    };
    assert_eq!(channel_days(&db), [row("2024-12-31", 10405, 1441), row("2025-01-01", 10440, 2110)]);
}

#[test]
fn issue_15_linkedin_competitors_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    // The page's day as another export wrote it: new followers, no level.
    let days = dir.path().join("channel_days.csv");
    std::fs::write(&days, "channel,date,new_followers\nlinkedin,2025-01-31,4\n").unwrap();
    let out = import(dir.path(), &db, &days, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The COMPETITORS sheet saved as CSV, under a name that does not tell the page: --own-page does.
    let file = dir.path().join("competitors.csv");
    std::fs::write(
        &file,
        "Date range: 01/01/2025 - 01/31/2025\nPage,Total Followers,New Followers,Total post engagements,Total posts\n\
         Rival Automation GmbH,15840,410,5210,31\nAcme Robotics,1234,56,789,12\n",
    )
    .unwrap();
    let out = import(dir.path(), &db, &file, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--own-page NAME"));
    let out = import(dir.path(), &db, &file, &["--own-page", "Acme Robotics"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // One channel, whose day keeps its new followers and gains the level.
    assert_eq!(channel_days(&db), [("linkedin".to_string(), "2025-01-31".to_string(), Some(1234), Some(4), None)]);
    let channels: Vec<(String,)> = query(&db, "SELECT key FROM channels ORDER BY key");
    assert_eq!(channels, [("linkedin".to_string(),)]);
    let rows: Vec<(String, String, String, Option<f64>)> = query(
        &db,
        "SELECT dimension, value, metric, amount FROM period_metrics WHERE source = 'linkedin-competitors' \
         AND metric = 'total_followers' ORDER BY dimension",
    );
    assert_eq!(
        rows,
        [
            (
                "competitor".to_string(),
                "Rival Automation GmbH".to_string(),
                "total_followers".to_string(),
                Some(15840.0)
            ),
            ("page".to_string(), "Acme Robotics".to_string(), "total_followers".to_string(), Some(1234.0)),
        ]
    );
}
