//! The same inputs give the same report on SQLite and on PostgreSQL, through the real binary.

use crate::support::{bin, example_csv_files, export_files, report_json, PgDatabase};

#[test]
fn sqlite_and_postgres_give_identical_reports() {
    socialledger_testkit::needs_shared_data!();
    let Some(pg) = PgDatabase::create("identical") else { return };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("x.db").display().to_string();
    let mut files: Vec<_> = export_files();
    let examples = example_csv_files();
    files.extend(examples);
    for db in [sqlite.as_str(), pg.url.as_str()] {
        let out = bin(dir.path()).args(["--db", db, "import", "--quiet"]).args(&files).output().unwrap();
        assert!(out.status.success(), "import into {db} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    let a = report_json(dir.path(), &sqlite);
    let b = report_json(dir.path(), &pg.url);
    assert_eq!(a, b, "SQLite and PostgreSQL reports differ");
    assert!(!a["channels"].as_array().unwrap().is_empty());
}

#[test]
fn demo_runs_on_postgres() {
    let Some(pg) = PgDatabase::create("demo") else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path()).args(["--db", &pg.url, "demo", "--quiet"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out2 = bin(dir.path()).args(["demo", "--quiet", "--out", "lite"]).output().unwrap();
    assert!(out2.status.success());
    let a = report_json(dir.path(), &pg.url);
    let b = report_json(dir.path(), &dir.path().join("lite/socialledger.db").display().to_string());
    assert_eq!(a, b, "the demo gives different reports on PostgreSQL and SQLite");
}
