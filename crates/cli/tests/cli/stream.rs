//! Issue 15: large canonical touchpoints files are streamed into the database in batches. The same files,
//! streamed (`--stream-from-bytes 0`) and read whole, must give the same output, the same stored rows and the same
//! errors; a streamed file is still one transaction.

use crate::support::bin;
use std::fmt::Write as _;
use std::path::Path;

const HEADER: &str =
    "touchpoint_id,contact_id,account_id,deal_id,timestamp,channel,kind,campaign,post_id,utm_source,utm_medium,utm_campaign\n";

/// A synthetic canonical touchpoints file of `rows` data rows (more than one batch of the streaming import when
/// `rows` > 8192): ids on two rows in three, the rest keyed by their values, every 500th row repeating the row
/// before it without an id (identical rows stay distinct), UTM-only rows, a quoted campaign with a comma and a
/// line break, a blank line, and a channel (`podcast`) that no channels file defines.
fn touchpoints_csv(rows: usize) -> String {
    let mut text = String::from(HEADER);
    let mut previous = String::new();
    for i in 0..rows {
        if i == 7 {
            text.push('\n');
        }
        let row = if i % 500 == 499 {
            previous.clone()
        } else {
            let id = if i % 3 == 2 { String::new() } else { format!("evt-{i:06}") };
            let (channel, source, medium) = match i % 4 {
                0 => ("linkedin", "", ""),
                1 => ("", "google", "cpc"),
                2 => ("podcast", "", ""),
                _ => ("newsletter", "", ""),
            };
            let campaign = if i % 10 == 0 { "\"Spring, \"\"EMEA\"\"\nlaunch\"" } else { "" };
            format!(
                "{id},c-{:04},,,2025-{:02}-{:02}T{:02}:00:00Z,{channel},visit,{campaign},,{source},{medium},",
                i % 997,
                1 + i % 12,
                1 + i % 28,
                i % 24
            )
        };
        let _ = writeln!(text, "{row}");
        previous = if row.starts_with(',') { row } else { format!(",{}", row.split_once(',').unwrap().1) };
    }
    text
}

fn import(dir: &Path, db: &str, file: &Path, stream: bool) -> (i32, serde_json::Value, String) {
    let threshold = if stream { "0" } else { "1000000000" };
    let out =
        bin(dir).args(["--db", db, "--json", "import", "--stream-from-bytes", threshold]).arg(file).output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap_or(-1), json, String::from_utf8_lossy(&out.stderr).into_owned())
}

type Row =
    (String, Option<String>, Option<String>, String, String, String, Option<String>, Option<String>, Option<String>);

type Imports = Vec<(String, String, i64)>;
type Channels = Vec<(String, String, String)>;

/// Every stored touchpoint, the imports and the channels, sorted.
fn stored(db: &str) -> (Vec<Row>, Imports, Channels) {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{db}")).await.unwrap();
        let touchpoints = sqlx::query_as(
            "SELECT key, contact, account, at, channel, kind, campaign, utm_source, utm_medium FROM touchpoints \
             ORDER BY key",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        let imports = sqlx::query_as("SELECT file_name, format, rows FROM imports ORDER BY id")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        let channels =
            sqlx::query_as("SELECT key, name, kind FROM channels ORDER BY key").fetch_all(&mut conn).await.unwrap();
        (touchpoints, imports, channels)
    })
}

#[test]
fn issue_15_a_streamed_file_is_stored_as_the_whole_file_import_stores_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("touchpoints.csv");
    std::fs::write(&file, touchpoints_csv(20_000)).unwrap();
    let (whole, streamed) = (dir.path().join("whole.db"), dir.path().join("streamed.db"));
    let (whole, streamed) = (whole.to_str().unwrap(), streamed.to_str().unwrap());

    let (code_w, json_w, err_w) = import(dir.path(), whole, &file, false);
    let (code_s, json_s, err_s) = import(dir.path(), streamed, &file, true);
    assert_eq!((code_w, code_s), (0, 0), "whole: {err_w}\nstreamed: {err_s}");
    assert_eq!(json_s, json_w, "the output differs");
    assert_eq!(json_s[0]["rows"], 20_000);
    let (rows, imports, channels) = stored(streamed);
    assert_eq!(rows.len(), 20_000, "identical rows without an id must stay distinct");
    assert_eq!((rows, imports, channels), stored(whole), "the stored rows differ");

    // The same bytes again: unchanged, with the rows counted the first time.
    let (code, again, err) = import(dir.path(), streamed, &file, true);
    assert_eq!(code, 0, "{err}");
    assert_eq!(again[0]["status"], "unchanged");
    assert_eq!(again[0]["rows"], 20_000);
    assert_eq!(again, import(dir.path(), whole, &file, false).1);
}

#[test]
fn issue_15_a_streamed_file_with_an_error_on_its_last_row_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let db = db.to_str().unwrap();
    // A first import, which the rejected file must leave as it is.
    let first = dir.path().join("first.csv");
    std::fs::write(&first, touchpoints_csv(100)).unwrap();
    assert_eq!(import(dir.path(), db, &first, true).0, 0);
    let before = stored(db);

    let mut text = touchpoints_csv(20_000);
    text.push_str("evt-x,c-1,,,2025-01-01T00:00:00Z,linkedin,visti,,,,,\n");
    let last_line = text.lines().count();
    let file = dir.path().join("touchpoints.csv");
    std::fs::write(&file, &text).unwrap();
    let (code, json, _) = import(dir.path(), db, &file, true);
    assert_eq!(code, 2);
    assert_eq!(json[0]["status"], "rejected");
    let errors = json[0]["errors"].to_string();
    assert!(errors.contains(&format!("touchpoints.csv:{last_line}:kind: unknown touchpoint kind")), "{errors}");
    assert_eq!(stored(db), before, "a rejected file changed the database");
    assert_eq!(json, import(dir.path(), db, &file, false).1, "the whole-file import reports otherwise");

    // Nothing of it was recorded: once fixed, the file imports.
    std::fs::write(&file, text.replace("visti", "visit")).unwrap();
    let (code, json, err) = import(dir.path(), db, &file, true);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json[0]["status"], "imported");
}

#[test]
fn issue_15_a_streamed_file_reports_a_repeated_id_with_both_lines_as_the_whole_file_import_does() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = touchpoints_csv(12_000);
    // Row 2's id again near the end, in a later batch, and a cut-off last row.
    text.push_str("evt-000000,c-9,,,2025-02-01T00:00:00Z,linkedin,visit,,,,,\n");
    let file = dir.path().join("repeated.csv");
    std::fs::write(&file, &text).unwrap();
    let db = dir.path().join("x.db");
    let db = db.to_str().unwrap();
    let (code, streamed, _) = import(dir.path(), db, &file, true);
    let (_, whole, _) = import(dir.path(), db, &file, false);
    assert_eq!(code, 2);
    assert_eq!(streamed, whole);
    let errors = streamed[0]["errors"].to_string();
    assert!(errors.contains("touchpoint_id evt-000000 is also on line 2"), "{errors}");

    // A file cut off inside its last row is refused with the same message either way.
    let cut = dir.path().join("cut.csv");
    std::fs::write(&cut, &text[..text.len() - 20]).unwrap();
    let (code, streamed, _) = import(dir.path(), db, &cut, true);
    assert_eq!(code, 2);
    assert_eq!(streamed, import(dir.path(), db, &cut, false).1);
    assert!(streamed[0]["errors"].to_string().contains("looks truncated"), "{streamed}");
    assert!(stored(db).0.is_empty());
}
