//! Issue 12 through the binary: one bad file does not stop the others, an edited tracker entry replaces its first
//! download, and an unknown file's error shows no control bytes. Synthetic files only (no shared export needed).

use crate::support::{bin, examples_dir};
use std::path::{Path, PathBuf};

/// The import crate's synthetic fixtures.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/fixtures").canonicalize().unwrap()
}

#[test]
fn issue_12_one_bad_file_does_not_stop_the_others() {
    // A one-byte corruption of an .xls aborted the whole process inside the spreadsheet reader (exit 134).
    let dir = tempfile::tempdir().unwrap();
    let a = examples_dir().join("channels.csv");
    let bad = fixtures().join("workbooks/damaged_content_1736900000000.xls");
    let b = examples_dir().join("people.csv");
    let out = bin(dir.path()).args(["--db", "x.db", "--json", "import"]).args([&a, &bad, &b]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let status: Vec<&str> = v.as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["imported", "rejected", "imported"], "{v}");
    let error = v[1]["errors"][0].as_str().unwrap();
    assert!(error.starts_with(&format!("{}: cannot be read: the XLS file is damaged", bad.display())), "{error}");

    // Without --json the bad file is named on stderr with what is wrong, and the others are still imported.
    let out = bin(dir.path()).args(["--db", "y.db", "import"]).args([&a, &bad, &b]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{}: cannot be read: the XLS file is damaged", bad.display())), "{stderr}");
    assert!(stderr.contains("1 of 3 files rejected"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("channels.csv: imported") && stdout.contains("people.csv: imported"), "{stdout}");
}

#[test]
fn issue_12_an_edited_tracker_entry_replaces_the_first_download() {
    // The same entry downloaded twice, with a project, tags and description edited in between, was counted twice.
    let dir = tempfile::tempdir().unwrap();
    let name = "Toggl_time_entries_2025-01-01_to_2025-01-31.csv";
    let first = std::fs::read_to_string(fixtures().join("native").join(name)).unwrap();
    let edited = first
        .replace("LinkedIn content,,Write launch post", "LinkedIn,,Write the launch post")
        .replace("\"email,content\"", "\"email,content,january\"");
    assert_ne!(first, edited);
    std::fs::create_dir(dir.path().join("later")).unwrap();
    std::fs::write(dir.path().join(name), &first).unwrap();
    std::fs::write(dir.path().join("later").join(name), &edited).unwrap();
    for file in [dir.path().join(name), dir.path().join("later").join(name)] {
        let out = bin(dir.path()).args(["--db", "x.db", "--quiet", "import"]).arg(&file).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let db = dir.path().join("x.db");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let entries = rt.block_on(async {
        let store = socialledger_store::Store::open(&db.display().to_string()).await.unwrap();
        store.load().await.unwrap().time_entries
    });
    assert_eq!(entries.len(), 3, "the second download added entries instead of replacing them: {entries:#?}");
    let notes: Vec<&str> = entries.iter().filter_map(|e| e.note.as_deref()).collect();
    assert!(notes.contains(&"LinkedIn: Write the launch post"), "the edit replaced the entry: {notes:?}");
}

#[test]
fn issue_12_an_unknown_file_error_shows_no_control_bytes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("evil.csv"), b"\x1b[2J\x1b[31mred\x07,\x9bcol\n1,2\n").unwrap();
    let out = bin(dir.path()).args(["--db", "x.db", "import", "evil.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("evil.csv: not a format socialledger knows"), "{stderr}");
    assert!(!stderr.chars().any(|c| c.is_control() && c != '\n'), "{stderr:?}");
}
