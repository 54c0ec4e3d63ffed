//! Importing real platform exports through the binary: every shared file, re-import, damaged files.

use crate::support::{bin, export_files, exports_dir, report_json};
use std::path::Path;

fn import_all(dir: &Path, db: &str) {
    for f in export_files() {
        let out = bin(dir).args(["--db", db, "import", "--quiet"]).arg(&f).output().unwrap();
        assert!(out.status.success(), "import of {} failed:\n{}", f.display(), String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn every_shared_export_imports_and_reimport_changes_nothing() {
    socialledger_testkit::needs_shared_data!();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db").display().to_string();
    let files = export_files();
    assert!(files.len() >= 25, "expected the 25+ shared export files, found {}", files.len());
    import_all(dir.path(), &db);
    let first = report_json(dir.path(), &db);

    // Re-import: every file is recognised as already imported.
    for f in &files {
        let out = bin(dir.path()).args(["--db", &db, "--json", "import"]).arg(f).output().unwrap();
        assert!(out.status.success());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v[0]["status"], "unchanged", "re-import of {} was not recognised: {v}", f.display());
    }
    assert_eq!(first, report_json(dir.path(), &db), "re-importing the same files changed the report");

    // The imports are listed.
    let out = bin(dir.path()).args(["--db", &db, "--json", "imports"]).output().unwrap();
    let imports: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(imports.as_array().unwrap().len(), files.len());
}

#[test]
fn import_reports_format_and_records_as_json() {
    socialledger_testkit::needs_shared_data!();
    let dir = tempfile::tempdir().unwrap();
    let f = exports_dir().join("x/tweet_activity_metrics_rOpenSci_20190101_20190201_en.csv");
    let out = bin(dir.path()).args(["--json", "import"]).arg(&f).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["status"], "imported");
    assert_eq!(v[0]["rows"], 31, "the file has 31 tweets");
    let records: std::collections::BTreeMap<String, u64> = v[0]["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_u64().unwrap()))
        .collect();
    assert_eq!(records.get("posts"), Some(&31));
    assert!(dir.path().join("socialledger.db").exists(), "the default database ./socialledger.db was not created");
}

/// The damaged-file walk of the foundation check: one number replaced by `12x` in the 3rd tweet.
#[test]
fn damaged_file_is_rejected_with_file_row_column_and_changes_nothing() {
    socialledger_testkit::needs_shared_data!();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db").display().to_string();
    let good = exports_dir().join("x/tweet_activity_metrics_rOpenSci_20211201_20220101_en.csv");
    let out = bin(dir.path()).args(["--db", &db, "import", "--quiet"]).arg(&good).output().unwrap();
    assert!(out.status.success());
    let before = report_json(dir.path(), &db);

    let original = exports_dir().join("x/tweet_activity_metrics_rOpenSci_20190101_20190201_en.csv");
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_path(&original).unwrap();
    let mut rows: Vec<Vec<String>> = rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let col = rows[0].iter().position(|h| h == "impressions").unwrap();
    rows[3][col] = "12x".into();
    rows[5][col] = "lots".into();
    let bad = dir.path().join("bad_tweets.csv");
    let mut w = csv::WriterBuilder::new().quote_style(csv::QuoteStyle::Always).from_path(&bad).unwrap();
    for r in &rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();

    let out = bin(dir.path()).args(["--db", &db, "import"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a damaged file must fail with exit code 2");
    let err = String::from_utf8_lossy(&out.stderr);
    // Both errors are collected, each with file, line and column.
    let line_of = |record: usize| {
        // Tweet texts hold newlines, so the record's line is found by counting lines before it.
        let text = std::fs::read_to_string(&bad).unwrap();
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        let mut rec = csv::StringRecord::new();
        let mut n = 0;
        loop {
            let pos = rdr.position().line();
            assert!(rdr.read_record(&mut rec).unwrap());
            if n == record {
                return pos;
            }
            n += 1;
        }
    };
    for (record, value) in [(3, "12x"), (5, "lots")] {
        let expected = format!("bad_tweets.csv:{}:impressions", line_of(record));
        assert!(err.contains(&expected), "error does not name {expected}:\n{err}");
        assert!(err.contains(value), "error does not quote the bad value {value}:\n{err}");
    }
    assert_eq!(before, report_json(dir.path(), &db), "a rejected file changed the database");
}

#[test]
fn unknown_file_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("mystery.csv");
    std::fs::write(&f, "foo,bar\n1,2\n").unwrap();
    let out = bin(dir.path()).args(["import"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("mystery.csv"), "{err}");
    assert!(err.contains("--format") || err.contains("socialledger formats"), "no hint on what to do: {err}");
}

#[test]
fn formats_lists_canonical_and_native_formats() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path()).args(["formats", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v.as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert!(names.len() >= 25, "only {} formats: {names:?}", names.len());
}

/// `(period_start, value, metric, amount)` of every GA4 row of the SQLite database `db`, in key order.
fn ga4_rows(db: &Path) -> Vec<(String, String, String, Option<f64>)> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        sqlx::query_as(
            "SELECT period_start, value, metric, amount FROM period_metrics WHERE source = 'ga4' \
             AND period_start = period_end ORDER BY period_start, value, metric",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap()
    })
}

#[test]
fn issue_15_a_ga4_report_by_date_stores_each_day_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let file = dir.path().join("Traffic_acquisition_Session_primary_channel_group_(Default_Channel_Group).csv");
    // GA4's layout: the comment block, CRLF, no line break after the last row.
    let report = |direct_day_2: u32| {
        format!(
            "# ----------------------------------------\r\n# Traffic acquisition: Session primary channel group \
             (Default Channel Group)\r\n# Account: Acme\r\n# Property: Acme\r\n\
             # ----------------------------------------\r\n# \r\n# All Users\r\n# Start date: 20250201\r\n\
             # End date: 20250202\r\nDate,Session primary channel group (Default Channel Group),Sessions\r\n\
             20250201,Direct,3\r\n20250201,Organic Search,4\r\n20250202,Direct,{direct_day_2}"
        )
    };
    let import = || {
        let out = bin(dir.path()).args(["--db"]).arg(&db).args(["--json", "import"]).arg(&file).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v[0]["status"].as_str().unwrap().to_string()
    };
    std::fs::write(&file, report(5)).unwrap();
    assert_eq!(import(), "imported");
    let row = |day: &str, value: &str, n: f64| (day.to_string(), value.to_string(), "sessions".to_string(), Some(n));
    let want = vec![
        row("2025-02-01", "Direct", 3.0),
        row("2025-02-01", "Organic Search", 4.0),
        row("2025-02-02", "Direct", 5.0),
    ];
    assert_eq!(ga4_rows(&db), want);
    assert_eq!(import(), "unchanged");
    assert_eq!(ga4_rows(&db), want);
    // A new download of the same days replaces their figures instead of adding to them: 3 + 4 + 6 sessions.
    std::fs::write(&file, report(6)).unwrap();
    assert_eq!(import(), "imported");
    let got = ga4_rows(&db);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got.iter().filter_map(|r| r.3).sum::<f64>(), 13.0);
}

#[test]
fn issue_15_ga4_minus_one_is_stored_as_null() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let file = dir.path().join("Reports_snapshot.csv");
    std::fs::write(
        &file,
        "# ----------------------------------------\r\n# Reports snapshot\r\n\
         # ----------------------------------------\r\n# Start date: 20250101\r\n# End date: 20250101\r\n\
         Date,Week 0,Week 1\r\n20250101,12,-1",
    )
    .unwrap();
    let out = bin(dir.path()).args(["--db"]).arg(&db).args(["import", "--quiet"]).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let row = |metric: &str, n: Option<f64>| ("2025-01-01".to_string(), "20250101".to_string(), metric.to_string(), n);
    assert_eq!(ga4_rows(&db), [row("week_0", Some(12.0)), row("week_1", None)]);
}

/// Issue 16: `imports undo` takes a whole import back. A second export of the same tweets with other counters
/// changes rows of the first: undoing the first is refused until the second is undone; undoing the second gives
/// the first's report back exactly, undoing both leaves nothing, and an undone file can be imported again.
#[test]
fn issue_16_imports_undo_restores_the_earlier_state_and_refuses_out_of_order() {
    socialledger_testkit::needs_shared_data!();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db").display().to_string();
    // Both files named without their period, so that the counters of both are snapshots of the same day (the
    // importer dates a snapshot by the period in the file's name): the second changes the first's rows.
    let first = dir.path().join("tweets.csv");
    std::fs::copy(exports_dir().join("x/tweet_activity_metrics_rOpenSci_20190101_20190201_en.csv"), &first).unwrap();
    // The same export downloaded later: every tweet's impressions grew by one.
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_path(&first).unwrap();
    let mut rows: Vec<Vec<String>> = rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let col = rows[0].iter().position(|h| h == "impressions").unwrap();
    for row in rows.iter_mut().skip(1) {
        let n: f64 = row[col].parse().unwrap();
        row[col] = format!("{}", n + 1.0);
    }
    let second = dir.path().join("tweets_later.csv");
    let mut w = csv::WriterBuilder::new().quote_style(csv::QuoteStyle::Always).from_path(&second).unwrap();
    for r in &rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();

    let import = |f: &Path| {
        let out = bin(dir.path()).args(["--db", &db, "--json", "import"]).arg(f).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v[0]["status"].as_str().unwrap().to_string()
    };
    let ids = || -> Vec<(i64, bool)> {
        let out = bin(dir.path()).args(["--db", &db, "--json", "imports"]).output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v.as_array().unwrap().iter().map(|i| (i["id"].as_i64().unwrap(), !i["undone_at"].is_null())).collect()
    };
    let file = dir.path().join("x.db");
    assert_eq!(import(&first), "imported");
    let after_first = report_json(dir.path(), &db);
    let metrics_after_first = metrics_dump(&file);
    assert_eq!(import(&second), "imported");
    assert_ne!(metrics_dump(&file), metrics_after_first, "the second file changed the tweets' counters");
    let listed = ids();
    let (a, b) = (listed[0].0, listed[1].0);

    let out = bin(dir.path()).args(["--db", &db, "imports", "undo", &a.to_string()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("undo import {b} first")), "{err}");

    let out = bin(dir.path()).args(["--db", &db, "--json", "imports", "undo", &b.to_string()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["import_id"], b);
    let posts = v["tables"].as_array().unwrap().iter().find(|t| t["table"] == "posts").cloned();
    assert!(posts.is_none() || posts.as_ref().unwrap()["deleted"] == 0, "{v}");
    assert_eq!(report_json(dir.path(), &db), after_first, "undoing the second file gives the first's data back");
    assert_eq!(metrics_dump(&file), metrics_after_first, "row for row, with the first import's provenance");
    assert_eq!(ids(), [(a, false), (b, true)]);

    let out = bin(dir.path()).args(["--db", &db, "imports", "undo", &a.to_string()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("undid import {a}")));
    assert_eq!(data_rows(&dir.path().join("x.db")), 0, "undoing both files leaves no data");
    let listed = bin(dir.path()).args(["--db", &db, "imports"]).output().unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).matches("(undone ").count() == 2);

    // Undone, the same file imports again.
    assert_eq!(import(&first), "imported");
    assert_eq!(report_json(dir.path(), &db), after_first);
}

/// Rows of the data tables an X tweets export writes (channels, posts, post metrics) in the SQLite database `db`.
fn data_rows(db: &Path) -> i64 {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM channels) + (SELECT COUNT(*) FROM posts) + (SELECT COUNT(*) FROM post_metrics)",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap()
    })
}

/// Every post metrics row of the SQLite database `db` (values and the import that wrote it), in key order.
fn metrics_dump(db: &Path) -> Vec<String> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        sqlx::query_scalar(
            "SELECT channel || '|' || post_id || '|' || date || '|' || period || '|' || COALESCE(impressions, '') \
             || '|' || COALESCE(engagements, '') || '|' || COALESCE(reported_engagement_rate, '') || '|' || import_id \
             FROM post_metrics ORDER BY channel, post_id, date, period",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap()
    })
}
