//! Shared helpers: the binary, the shared export files, JSON comparison, PostgreSQL databases per test.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The real binary, run in `dir`, with no settings leaking in from the environment.
pub fn bin(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("socialledger").expect("the socialledger binary is built");
    cmd.current_dir(dir);
    for var in [
        "SOCIALLEDGER_DB",
        "SOCIALLEDGER_TZ",
        "SOCIALLEDGER_CURRENCY",
        "SOCIALLEDGER_UTM_RULES",
        "SOCIALLEDGER_GROSS_MARGIN",
        "COLUMNS",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// `exports/` in the shared data beside the repository (`../shared/data`): the real platform export files. A test
/// that uses them begins with `socialledger_testkit::needs_shared_data!()`, which skips it when they are missing.
pub fn exports_dir() -> PathBuf {
    socialledger_testkit::shared_data().expect("the test begins with needs_shared_data!()").join("exports")
}

/// Every export file (CSV, XLS, XLSX) under `exports_dir()`, sorted.
pub fn export_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![exports_dir()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("csv" | "xls" | "xlsx")) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The repository's canonical example CSV files, sorted.
pub fn example_csv_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(examples_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    files
}

/// The repository's examples/ folder.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").canonicalize().unwrap()
}

/// Runs `report --format json` and returns it without the fields that may differ between runs (`generated*`).
pub fn report_json(dir: &Path, db: &str) -> serde_json::Value {
    let out = bin(dir).args(["--db", db, "report", "--format", "json"]).output().unwrap();
    assert!(out.status.success(), "report failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("report --format json prints JSON");
    strip_generated(&mut v);
    v
}

pub fn strip_generated(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.retain(|k, _| !k.starts_with("generated"));
            map.values_mut().for_each(strip_generated);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_generated),
        _ => {}
    }
}

/// A fresh PostgreSQL database for one test, dropped on drop. `None` when no server is reachable: the test is
/// then recorded as skipped, or fails under CI (see `socialledger_testkit::skip`).
pub struct PgDatabase {
    pub url: String,
    base: String,
    name: String,
}

impl PgDatabase {
    pub fn create(tag: &str) -> Option<PgDatabase> {
        let base = socialledger_testkit::pg_base();
        let name = format!("sl_cli_{tag}_{}_{}", std::process::id(), nanos());
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let created = rt.block_on(async {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&format!("{base}/postgres")).await?;
            sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut conn).await?;
            Ok::<_, sqlx::Error>(())
        });
        match created {
            Ok(()) => Some(PgDatabase { url: format!("{base}/{name}"), base, name }),
            Err(e) => {
                socialledger_testkit::skip(socialledger_testkit::Need::Postgres(&base), e);
                None
            }
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (base, name) = (self.base.clone(), self.name.clone());
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let _ = rt.block_on(async {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&format!("{base}/postgres")).await?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(&mut conn).await
        });
    }
}

fn nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

/// The rows of `sql` on the SQLite database file `db`, read directly: what an import stored, beside what the binary
/// prints.
pub fn sqlite_query<T>(db: &Path, sql: &str) -> Vec<T>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
{
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        sqlx::query_as(sql).fetch_all(&mut conn).await.unwrap()
    })
}
