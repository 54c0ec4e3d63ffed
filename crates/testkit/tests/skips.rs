//! Skips as `scripts/test` sees them: recorded with their reason and test in the skip log, said on stderr, a
//! failure under CI, and counted once per test and reason by `scripts/skip-summary`. The skipping runs in a child
//! process of this test binary, with the environment under the test's control.

use socialledger_testkit::{Need, SKIP_LOG};
use std::path::Path;
use std::process::{Command, Output};

/// Set for the child process; the child test does nothing without it.
const CHILD: &str = "SOCIALLEDGER_TESTKIT_CHILD";

/// Only does something as the child of the tests below: skips for lack of Chromium.
#[test]
fn child_skips() {
    if std::env::var_os(CHILD).is_some() {
        socialledger_testkit::skip(Need::Chromium, "none on this machine");
    }
}

fn run_child(log: &Path, ci: Option<&str>) -> Output {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", "child_skips", "--nocapture", "--test-threads", "1"]).env(CHILD, "1").env(SKIP_LOG, log);
    match ci {
        Some(value) => cmd.env("CI", value),
        None => cmd.env_remove("CI"),
    };
    cmd.output().unwrap()
}

#[test]
fn a_skip_is_logged_with_its_reason_and_test_and_said_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("skips.log");
    for ci in [None, Some(""), Some("false"), Some("0")] {
        let out = run_child(&log, ci);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "CI={ci:?}: {stderr}");
        assert!(stderr.contains("SKIPPED skips::child_skips: chromium or chromedriver not found"), "{stderr}");
    }
    let line = "chromium or chromedriver not found (apt-get install -y chromium chromium-driver poppler-utils)\tskips::child_skips\n";
    assert_eq!(std::fs::read_to_string(&log).unwrap(), line.repeat(4));
}

#[test]
fn under_ci_a_skip_is_a_failure_that_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("skips.log");
    for ci in ["true", "TRUE", "1"] {
        let out = run_child(&log, Some(ci));
        let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "CI={ci}: the skip passed");
        assert!(text.contains("CI is set, so this test must run: install them: apt-get install"), "{text}");
    }
    assert!(!log.exists(), "a failure under CI was logged as a skip");
}

#[cfg(unix)]
#[test]
fn the_summary_counts_each_test_once_per_reason() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("skips.log");
    let summary = |log: &Path| {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/skip-summary");
        let out = Command::new("bash").arg(script).arg(log).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(summary(&log), "no tests skipped\n");
    let shared = Need::SharedData.reason();
    let pg = Need::Postgres("postgres://app:pw@db:5432").reason();
    std::fs::write(
        &log,
        format!(
            "{shared}\tcli::a\n{pg}\tstore::b\n{shared}\tcli::b\n{shared}\tcli::a\n{pg}\tstore::b\n{shared}\tx::c\n"
        ),
    )
    .unwrap();
    assert_eq!(
        summary(&log),
        "3 tests skipped: ../shared/data not found; they run in CI\n\
         1 test skipped: PostgreSQL not reachable at postgres://app:REDACTED@db:5432\n"
    );
}
