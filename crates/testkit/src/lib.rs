//! What tests do when something they need is not on this machine: the fixtures kept outside the repository
//! (`../shared/data`), a PostgreSQL server, Chromium.
//!
//! Outside CI such a test *skips*: it says so on stderr and appends `reason<TAB>test` to the file named by
//! [`SKIP_LOG`], which `scripts/test` sets and counts at the end ("41 tests skipped: ../shared/data not found;
//! they run in CI"), so a skipped test never passes for one that ran. Under CI ([`ci`]) nothing may be missing:
//! the same call panics with what to install or where to put the files.
//!
//! [`process`] runs an external program (Chromium) with a deadline, killing it and its helpers when it hangs.
//!
//! Not shipped (`publish = false`); only test code depends on it.

pub mod process;

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The environment variable naming the file skips are appended to (set by `scripts/test`; without it a skip is
/// only said on stderr).
pub const SKIP_LOG: &str = "SOCIALLEDGER_SKIP_LOG";

/// The PostgreSQL server tests use unless `SOCIALLEDGER_TEST_PG` names another (a base URL without database).
pub const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432";

/// True under CI: the environment variable `CI` is `true` (in any case) or `1`, as CI services set it. The one
/// rule for reading `CI` in this repository (`scripts/test` applies the same one).
pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| is_ci_value(&v))
}

fn is_ci_value(value: &str) -> bool {
    value == "1" || value.eq_ignore_ascii_case("true")
}

/// Something a test needs that a machine may lack.
#[derive(Clone, Copy, Debug)]
pub enum Need<'a> {
    /// The fixtures we may not redistribute, in `../shared/data` beside the repository (CI has them).
    SharedData,
    /// A PostgreSQL server at this base URL.
    Postgres(&'a str),
    /// Headless Chromium, to render the HTML report, and its chromedriver, to drive the web app.
    Chromium,
}

impl Need<'_> {
    /// The reason a skip is counted under: one line of the summary of `scripts/test`.
    pub fn reason(&self) -> String {
        match self {
            Need::SharedData => "../shared/data not found; they run in CI".to_string(),
            Need::Postgres(base) => format!("PostgreSQL not reachable at {}", redact(base)),
            Need::Chromium => {
                "chromium or chromedriver not found (apt-get install -y chromium chromium-driver poppler-utils)"
                    .to_string()
            }
        }
    }

    /// What to do so that the test runs.
    fn remedy(&self) -> String {
        match self {
            Need::SharedData => format!(
                "put the shared fixtures at {} (clone the repository beside shared/)",
                shared_data_path().display()
            ),
            Need::Postgres(_) => {
                "start PostgreSQL or point SOCIALLEDGER_TEST_PG at a server (scripts/test starts a local one)".into()
            }
            Need::Chromium => "install them: apt-get install -y chromium chromium-driver poppler-utils".into(),
        }
    }
}

/// The running test goes without `need` (whose absence `why` explains): outside CI, records a skip and returns,
/// and the caller returns from the test; under CI, panics, because CI must run every test.
pub fn skip(need: Need<'_>, why: impl fmt::Display) {
    let reason = need.reason();
    if ci() {
        panic!("{reason} ({why}), and CI is set, so this test must run: {}", need.remedy());
    }
    let test = current_test();
    eprintln!("SKIPPED {test}: {reason} ({why}); to run it, {}", need.remedy());
    if let Some(log) = std::env::var_os(SKIP_LOG) {
        // One short write per line in append mode: lines of tests running in parallel do not interleave.
        let line = format!("{}\t{test}\n", reason.replace(['\t', '\n'], " "));
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .and_then(|mut f| f.write_all(line.as_bytes()));
        if let Err(e) = written {
            panic!("cannot record the skip in {} ({SKIP_LOG}): {e}", Path::new(&log).display());
        }
    }
}

/// The flags every test run of Chromium gets, beside its own (`--headless` or `--headless=new`, a window size):
/// no sandbox (CI runs as root), no GPU, nothing fetched from outside (no background networking, component
/// updates, sync or first-run pages).
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
];

/// Headless Chromium for the tests that render the HTML report: `/usr/bin/chromium`, else `chromium` on
/// `PATH`. `None` after recording a skip when neither is there (see [`skip`]; under CI that panics).
pub fn chromium() -> Option<PathBuf> {
    let on_path =
        || std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join("chromium")).find(|p| p.is_file());
    let exe = Some(PathBuf::from("/usr/bin/chromium")).filter(|p| p.is_file()).or_else(on_path);
    if exe.is_none() {
        skip(Need::Chromium, "no /usr/bin/chromium and no chromium on PATH");
    }
    exe
}

/// `../shared/data` beside the repository: the real platform exports and other files we may not redistribute.
/// `None` after recording a skip when it is missing (see [`skip`]; under CI that panics).
pub fn shared_data() -> Option<PathBuf> {
    let dir = shared_data_path();
    if dir.is_dir() {
        Some(dir.canonicalize().unwrap_or(dir))
    } else {
        skip(Need::SharedData, format_args!("no folder {}", dir.display()));
        None
    }
}

/// `../shared/data` when it is there, without recording a skip when it is not: for tests that run on our own
/// files and only add the shared ones when present (the fuzz test's seeds).
pub fn shared_data_if_present() -> Option<PathBuf> {
    let dir = shared_data_path();
    dir.is_dir().then(|| dir.canonicalize().unwrap_or(dir))
}

/// Returns from the calling test, after recording a skip, when `../shared/data` is missing (see
/// [`shared_data`]). The first line of every test that reads the shared fixtures.
#[macro_export]
macro_rules! needs_shared_data {
    () => {
        if $crate::shared_data().is_none() {
            return;
        }
    };
}

/// Where the shared data belongs: `shared/data` in the folder that holds the repository.
fn shared_data_path() -> PathBuf {
    repository().join("../shared/data")
}

/// The repository's root, found when the test runs: `cargo test` runs each test binary with
/// `CARGO_MANIFEST_DIR` set to its package (`crates/<name>`). The path compiled into this crate is only the
/// fallback: a build cache shared by two clones (as `bare-clone.sh` does) can hand one clone's build to the other.
pub fn repository() -> PathBuf {
    let package = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    package.join("../..")
}

/// The base URL of the PostgreSQL server for tests: `SOCIALLEDGER_TEST_PG`, else [`DEFAULT_PG`].
pub fn pg_base() -> String {
    std::env::var("SOCIALLEDGER_TEST_PG").unwrap_or_else(|_| DEFAULT_PG.to_string())
}

/// The running test as `binary::module::test`: libtest names each test's thread after the test.
fn current_test() -> String {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("(unnamed thread)");
    let binary = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .map(|stem| match stem.rsplit_once('-') {
            // Cargo names test binaries `<name>-<hash>`.
            Some((name, hash)) if hash.chars().all(|c| c.is_ascii_hexdigit()) => name.to_string(),
            _ => stem,
        });
    match binary {
        Some(binary) => format!("{binary}::{test}"),
        None => test.to_string(),
    }
}

/// `url` with the password of its user info replaced by `REDACTED`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_info, host)) if user_info.contains(':') => {
            let user = user_info.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:REDACTED@{host}{path}")
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_is_true_or_1() {
        for yes in ["true", "TRUE", "True", "1"] {
            assert!(is_ci_value(yes), "{yes}");
        }
        for no in ["", "0", "false", "no", "yes", " true"] {
            assert!(!is_ci_value(no), "{no:?}");
        }
    }

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(redact("postgres://app:s3cret@db:5432"), "postgres://app:REDACTED@db:5432");
        assert_eq!(redact("postgres://postgres@127.0.0.1:5432/x"), "postgres://postgres@127.0.0.1:5432/x");
        assert_eq!(redact("not a url"), "not a url");
    }

    #[test]
    fn the_test_is_named_after_its_thread() {
        let name = current_test();
        assert!(name.ends_with("::tests::the_test_is_named_after_its_thread"), "{name}");
        assert!(name.starts_with("socialledger_testkit"), "{name}");
    }
}
