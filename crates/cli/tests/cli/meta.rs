//! Meta's exports through the real binary into a real SQLite file (issue 15): an Ads Manager report without and
//! with a breakdown counts each campaign once, and Meta's single-metric daily files of one page fill one day each.

use crate::support::{bin, sqlite_query as query};
use std::path::Path;

/// Imports `file` into `db` and returns the import's status and notes from `--json`.
fn import(dir: &Path, db: &Path, file: &Path) -> (String, Vec<String>) {
    let out = bin(dir).args(["--db"]).arg(db).args(["--json", "import"]).arg(file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = v[0]["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect();
    (v[0]["status"].as_str().unwrap().to_string(), notes)
}

const COLUMNS: &str = "Reach,Impressions,Currency,\"Amount spent (EUR)\",\"Link clicks\",\"Reporting starts\",\
                       \"Reporting ends\"";

#[test]
fn issue_15_a_campaign_imported_without_and_with_breakdowns_is_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let campaigns = dir.path().join("Untitled-report-Jan-1-2025-to-Jan-31-2025.csv");
    std::fs::write(
        &campaigns,
        format!(
            "\u{feff}\"Campaign name\",{COLUMNS}\n,150,300,EUR,30.00,12,2025-01-01,2025-01-31\n\
             Spring,150,300,EUR,30.00,12,2025-01-01,2025-01-31\n"
        ),
    )
    .unwrap();
    let mut breakdowns = Vec::new();
    for (suffix, column, values) in [
        ("Age", "Age", ["18-24", "25-34"]),
        ("Gender", "Gender", ["female", "male"]),
        ("Region", "Region", ["Bavaria", "Saxony"]),
        ("Device", "\"Device platform\"", ["mobile_app", "desktop"]),
    ] {
        let file = dir.path().join(format!("Untitled-report-Jan-1-2025-to-Jan-31-2025_{suffix}.csv"));
        std::fs::write(
            &file,
            format!(
                "\u{feff}\"Campaign name\",{column},{COLUMNS}\n,,150,300,EUR,30.00,12,2025-01-01,2025-01-31\n\
                 Spring,{},100,200,EUR,20.004,8,2025-01-01,2025-01-31\n\
                 Spring,{},90,100,EUR,9.996,4,2025-01-01,2025-01-31\n",
                values[0], values[1]
            ),
        )
        .unwrap();
        breakdowns.push(file);
    }
    let flights = |db: &Path| -> Vec<(i64, i64, Option<i64>)> {
        query(db, "SELECT COUNT(*), SUM(spend_minor), SUM(reach) FROM activities")
    };
    assert_eq!(import(dir.path(), &db, &campaigns).0, "imported");
    assert_eq!(flights(&db), [(1, 3000, Some(150))]);
    for file in &breakdowns {
        let (status, notes) = import(dir.path(), &db, file);
        assert_eq!(status, "imported");
        assert!(notes.iter().any(|n| n.contains("equal the sums of the breakdown rows")), "{notes:?}");
        assert_eq!(flights(&db), [(1, 3000, Some(150))], "{} must not add to the campaign", file.display());
    }
    // And in the other order: the campaign file again changes nothing.
    assert_eq!(import(dir.path(), &db, &campaigns).0, "unchanged");
    assert_eq!(flights(&db), [(1, 3000, Some(150))]);
    // Every slice keeps its own reach (100 + 90 is more than the campaign's 150: never add them up).
    let reach: Vec<(String, String, f64)> = query(
        &db,
        "SELECT dimension, value, amount FROM period_metrics WHERE source = 'meta-ads' AND metric = 'Reach' \
         ORDER BY dimension, value",
    );
    assert_eq!(reach.len(), 8, "{reach:?}");
    assert!(reach.contains(&("campaign+location".into(), "Spring | Saxony".into(), 90.0)), "{reach:?}");
    assert!(reach.contains(&("campaign+device".into(), "Spring | mobile_app".into(), 100.0)), "{reach:?}");
}

/// UTF-16 LE with a BOM, `sep=,`, the title, then `Date,Primary`: one of Meta Business Suite's daily files.
fn daily(title: &str, rows: &[(&str, u32)]) -> Vec<u8> {
    let mut text = format!("sep=,\n\"{title}\"\n\"Date\",\"Primary\"\n");
    for (day, n) in rows {
        text.push_str(&format!("\"{day}T00:00:00\",\"{n}\"\n"));
    }
    [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect()
}

#[test]
fn issue_15_metas_daily_files_of_one_page_fill_the_same_days() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let follows = dir.path().join("Follows.csv");
    let views = dir.path().join("Views.csv");
    std::fs::write(&follows, daily("Facebook follows", &[("2025-01-01", 2), ("2025-01-03", 1)])).unwrap();
    std::fs::write(&views, daily("Facebook views", &[("2025-01-01", 40), ("2025-01-02", 30), ("2025-01-03", 50)]))
        .unwrap();
    let (status, notes) = import(dir.path(), &db, &follows);
    assert_eq!(status, "imported");
    assert!(notes.iter().any(|n| n.contains("1 day(s)") && n.contains("stored as 0")), "{notes:?}");
    assert_eq!(import(dir.path(), &db, &views).0, "imported");
    let days: Vec<(String, String, Option<i64>, Option<i64>)> =
        query(&db, "SELECT channel, date, new_followers, impressions FROM channel_days ORDER BY date");
    let want = |d: &str, f: i64, v: i64| ("facebook".to_string(), d.to_string(), Some(f), Some(v));
    assert_eq!(days, [want("2025-01-01", 2, 40), want("2025-01-02", 0, 30), want("2025-01-03", 1, 50)]);
}

/// A campaign imported by month and again over the whole period is two sets of activities whose spend adds up: the
/// import says so, and so does the report, on the channel, until one of the two is removed.
#[test]
fn issue_15_a_campaign_by_month_and_over_the_whole_period_is_flagged_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let whole = dir.path().join("Untitled-report-Jan-1-2025-to-Feb-28-2025.csv");
    std::fs::write(
        &whole,
        format!("\u{feff}\"Campaign name\",{COLUMNS}\nSpring,150,300,EUR,30.00,12,2025-01-01,2025-02-28\n"),
    )
    .unwrap();
    let monthly = dir.path().join("Untitled-report-Jan-1-2025-to-Feb-28-2025_Month.csv");
    std::fs::write(
        &monthly,
        format!(
            "\u{feff}\"Campaign name\",Month,{COLUMNS}\n\
             Spring,2025-01-01 - 2025-01-31,100,200,EUR,20.00,8,2025-01-01,2025-02-28\n\
             Spring,2025-02-01 - 2025-02-28,60,100,EUR,10.00,4,2025-01-01,2025-02-28\n"
        ),
    )
    .unwrap();
    let report = |db: &Path| -> String {
        let out = bin(dir.path()).args(["--db"]).arg(db).args(["--json", "report"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(import(dir.path(), &db, &whole).0, "imported");
    assert!(!report(&db).contains("overlapping_activities"), "one report alone overlaps nothing");
    let (status, notes) = import(dir.path(), &db, &monthly);
    assert_eq!(status, "imported");
    assert!(notes.iter().any(|n| n.contains("add up")), "{notes:?}");
    let json = report(&db);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let flagged: Vec<&serde_json::Value> = v["notes"]
        .as_array()
        .expect("report --json has notes")
        .iter()
        .filter(|n| n["code"] == "overlapping_activities")
        .collect();
    assert_eq!(flagged.len(), 1, "{json}");
    assert_eq!(flagged[0]["channel"], "meta-ads");
    let text = flagged[0]["text"].as_str().unwrap();
    assert!(
        text.contains("\"Spring\"")
            && text.contains("2025-01-01 to 2025-01-31")
            && text.contains("2025-01-01 to 2025-02-28"),
        "{text}"
    );
}
