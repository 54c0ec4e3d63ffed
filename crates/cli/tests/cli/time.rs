//! Issue 16: `socialledger time start|stop|log` through the real binary on a SQLite file, with `--json`, and the
//! errors that say what to do (exit code 2).

use crate::support::bin;
use std::path::Path;

fn run(dir: &Path, db: &str, args: &[&str]) -> std::process::Output {
    bin(dir).args(["--db", db]).args(args).output().unwrap()
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn time_start_stop_log_with_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("socialledger.db").display().to_string();
    let added = bin(dir.path())
        .args(["--db", &db, "user", "add", "--email", "ana@example.com", "--name", "Ana", "--role", "editor"])
        .arg("--password-stdin")
        .write_stdin("correct horse battery staple\n")
        .output()
        .unwrap();
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let user = ["--user", "ana@example.com"];

    let timer = json(&run(dir.path(), &db, &[&["--json", "time", "start", "--task", "publish"][..], &user].concat()));
    assert_eq!((timer["task"].as_str(), timer["channel"].as_str()), (Some("content"), None));
    let again = run(dir.path(), &db, &[&["time", "start", "--task", "monitor"][..], &user].concat());
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("stop it first"), "{again:?}");

    let stopped = json(&run(dir.path(), &db, &[&["--json", "time", "stop"][..], &user].concat()));
    assert_eq!((stopped["person"].as_str(), stopped["minutes"].as_i64()), (Some("ana@example.com"), Some(1)));
    assert!(stopped["key"].as_str().unwrap().starts_with("app:"));
    let none = run(dir.path(), &db, &[&["time", "stop"][..], &user].concat());
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("time log"));

    let log = ["--json", "time", "log", "--task", "respond", "--minutes", "45", "--date", "2026-12-04"];
    let logged = json(&run(dir.path(), &db, &[&log[..], &user].concat()));
    assert_eq!(
        (logged["task"].as_str(), logged["minutes"].as_i64(), logged["date"].as_str()),
        (Some("community"), Some(45), Some("2026-12-04"))
    );
    let text = run(dir.path(), &db, &["time", "log", "--task", "pr", "--minutes", "10", "--user", "ana@example.com"]);
    assert!(String::from_utf8_lossy(&text.stdout).starts_with("logged 10 minutes for ana@example.com"));

    let stranger = run(dir.path(), &db, &["time", "log", "--task", "pr", "--minutes", "5", "--user", "x@example.com"]);
    assert_eq!(stranger.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&stranger.stderr).contains("socialledger user add"));
    let channel = run(dir.path(), &db, &[&["time", "start", "--task", "pr", "--channel", "nope"][..], &user].concat());
    assert_eq!(channel.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&channel.stderr).contains("socialledger channels"));
}
