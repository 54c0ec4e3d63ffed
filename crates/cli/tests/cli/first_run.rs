//! Issue 12: what a new user does first works as the README says: `cargo run` finds the one binary, reading
//! commands refuse a mistyped database instead of creating an empty one, and the README's PostgreSQL import
//! creates its database.

use crate::support::{bin, example_csv_files, examples_dir, PgDatabase};
use std::path::Path;

/// `cargo run --release -- demo` needs exactly one binary among the workspace's default members; the benchmark
/// generator's crate is the only member left out of them (so `cargo build`, `cargo test` and `cargo bench`
/// without `-p` still cover every other crate).
#[test]
fn cargo_run_finds_one_binary_among_the_default_members() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let defaults: Vec<&str> =
        meta["workspace_default_members"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    let mut binaries = Vec::new();
    let mut left_out = Vec::new();
    for package in meta["packages"].as_array().unwrap() {
        let name = package["name"].as_str().unwrap();
        if !defaults.contains(&package["id"].as_str().unwrap()) {
            left_out.push(name);
            continue;
        }
        for target in package["targets"].as_array().unwrap() {
            if target["kind"].as_array().unwrap().iter().any(|k| k == "bin") {
                binaries.push(target["name"].as_str().unwrap());
            }
        }
    }
    assert_eq!(binaries, ["socialledger"], "`cargo run` would have to choose among these binaries");
    assert_eq!(left_out, ["socialledger-bench-tools"], "only the generator is left out of default-members");
}

/// Runs the binary in `dir` and returns (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = bin(dir).args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every command that reads or repairs existing data, as a user would type it.
const READING: [&[&str]; 8] = [
    &["report"],
    &["report", "--format", "json"],
    &["attribution"],
    &["attribution", "--model", "markov"],
    &["channels"],
    &["channels", "rename", "linkedin", "--name", "Acme"],
    &["channels", "merge", "x-x", "x"],
    &["imports"],
];

/// A mistyped `--db` (or `SOCIALLEDGER_DB`) for a reading command is an error with exit code 2, and no empty
/// database is left behind.
#[test]
fn reading_commands_refuse_a_database_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    for command in READING {
        let (code, stdout, stderr) = run(dir.path(), &[&["--db", "socialedger.db"], command].concat());
        assert_eq!(code, Some(2), "{command:?}: {stderr}");
        assert_eq!(
            stderr, "socialledger: no socialledger database at socialedger.db; import data first\n",
            "{command:?}"
        );
        assert_eq!(stdout, "", "{command:?}");
        assert!(!dir.path().join("socialedger.db").exists(), "{command:?} created the mistyped database");
    }
    // The default ./socialledger.db, named by nothing, is not created either.
    let out = bin(dir.path()).arg("report").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no socialledger database at socialledger.db"));
    let out = bin(dir.path()).arg("channels").env("SOCIALLEDGER_DB", "sub/ledger.db").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no socialledger database at sub/ledger.db"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "the reading commands left files behind");
}

/// The same for a PostgreSQL URL whose database does not exist: nothing is created on the server.
#[test]
fn reading_commands_refuse_a_postgres_database_that_does_not_exist() {
    // A server database for this test proves the server is reachable; the missing one is named after it.
    let Some(pg) = PgDatabase::create("reading") else { return };
    let missing = format!("{}_missing", pg.url);
    let dir = tempfile::tempdir().unwrap();
    for command in READING {
        let (code, _, stderr) = run(dir.path(), &[&["--db", missing.as_str()], command].concat());
        assert_eq!(code, Some(2), "{command:?}: {stderr}");
        assert_eq!(stderr, format!("socialledger: no socialledger database at {missing}; import data first\n"));
    }
    // Nothing was created: a write creates it (and says so), after which it reads.
    let _created = DropOnExit(missing.clone());
    let channels = examples_dir().join("channels.csv");
    let (code, _, stderr) = run(dir.path(), &["--db", &missing, "import", "--quiet", channels.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("created the PostgreSQL database"), "{stderr}");
    let (code, stdout, stderr) = run(dir.path(), &["--db", &missing, "--json", "channels"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("linkedin"), "{stdout}");
}

/// The README's line `socialledger --db postgres://postgres@127.0.0.1/marketing import examples/*.csv`, on a
/// database that does not exist yet: it is created (said on stderr, even with --quiet), and the import works.
#[test]
fn the_readmes_postgres_import_creates_its_database() {
    let Some(server) = PgDatabase::create("readme") else { return };
    let url = format!("{}_marketing", server.url);
    let _created = DropOnExit(url.clone());
    let examples = example_csv_files();
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path()).args(["--db", &url, "import"]).args(&examples).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains(&format!("socialledger: created the PostgreSQL database {url}")), "{stderr}");
    // Again: the database exists now, nothing is said about it.
    let out = bin(dir.path()).args(["--db", &url, "--quiet", "import"]).args(&examples).output().unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("created"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = bin(dir.path()).args(["--db", &url, "--json", "imports"]).output().unwrap();
    let imports: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(imports.as_array().unwrap().len(), examples.len());
}

/// Drops the PostgreSQL database at a URL when the test ends, however it ends.
struct DropOnExit(String);

impl Drop for DropOnExit {
    fn drop(&mut self) {
        let (base, name) = self.0.rsplit_once('/').unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let _ = rt.block_on(async {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&format!("{base}/postgres")).await?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(&mut conn).await
        });
    }
}
