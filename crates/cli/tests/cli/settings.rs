//! Issue 16, analysis settings: `socialledger settings set` stores a setting (validated, audited), `report`,
//! `attribution` and `verdict` use the stored settings when their flags are not given, and a flag still wins; so
//! `socialledger report` and the web app's stored analyses (which read the same table) agree.

use crate::support::{bin, example_csv_files};
use std::path::Path;

fn run(dir: &Path, db: &str, args: &[&str]) -> std::process::Output {
    bin(dir).args(["--db", db]).args(args).output().unwrap()
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn listed(dir: &Path, db: &str) -> serde_json::Value {
    json(&run(dir, db, &["--json", "settings"]))
}

fn entry<'a>(list: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    list.as_array().unwrap().iter().find(|e| e["key"] == key).unwrap_or_else(|| panic!("{key} in {list}"))
}

#[test]
fn stored_settings_are_the_defaults_of_report_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db").display().to_string();
    let files: Vec<String> = example_csv_files().iter().map(|p| p.display().to_string()).collect();
    let mut import = vec!["--quiet", "import"];
    import.extend(files.iter().map(String::as_str));
    let out = run(dir.path(), &db, &import);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // Nothing stored: the built-in defaults.
    let list = listed(dir.path(), &db);
    assert_eq!(entry(&list, "lookback_days")["value"], "365");
    assert_eq!(entry(&list, "lookback_days")["source"], "default");
    let report = json(&run(dir.path(), &db, &["--json", "report"]));
    assert_eq!(report["settings"]["lookback_days"], 365);

    // A stored setting, in its canonical text.
    let set = run(dir.path(), &db, &["settings", "set", "lookback_days", "90"]);
    assert!(set.status.success(), "{}", String::from_utf8_lossy(&set.stderr));
    assert!(
        String::from_utf8_lossy(&set.stderr).contains("365 -> 90")
            || String::from_utf8_lossy(&set.stderr).contains("default -> 90")
    );
    assert!(run(dir.path(), &db, &["--quiet", "settings", "set", "gross_margin", "62.5%"]).status.success());
    assert!(run(dir.path(), &db, &["--quiet", "settings", "set", "credit_sales_touches", "yes"]).status.success());
    let list = listed(dir.path(), &db);
    assert_eq!(entry(&list, "lookback_days")["value"], "90");
    assert_eq!(entry(&list, "lookback_days")["source"], "stored");
    assert_eq!(entry(&list, "gross_margin")["value"], "0.625");

    // Bad values and keys are refused with what to write; nothing changes.
    let bad = run(dir.path(), &db, &["settings", "set", "lookback_days", "soon"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("lookback_days") && err.contains("not a whole number"), "{err}");
    let unknown = run(dir.path(), &db, &["settings", "set", "colour", "red"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("gross_margin"), "names the settings there are");
    assert_eq!(entry(&listed(dir.path(), &db), "lookback_days")["value"], "90");

    // report, attribution and verdict read them; a flag wins for one run.
    let report = json(&run(dir.path(), &db, &["--json", "report"]));
    assert_eq!(report["settings"]["lookback_days"], 90);
    assert_eq!(report["settings"]["gross_margin"], 0.625);
    assert_eq!(report["settings"]["credit_sales_touches"], true);
    let flagged = json(&run(
        dir.path(),
        &db,
        &["--json", "report", "--lookback-days", "30", "--gross-margin", "0.5", "--credit-sales-touches=no"],
    ));
    assert_eq!(flagged["settings"]["lookback_days"], 30);
    assert_eq!(flagged["settings"]["gross_margin"], 0.5);
    assert_eq!(flagged["settings"]["credit_sales_touches"], false);
    let on = json(&run(dir.path(), &db, &["--json", "report", "--credit-sales-touches"]));
    assert_eq!(on["settings"]["credit_sales_touches"], true);
    let creation = json(&run(dir.path(), &db, &["--json", "report", "--journey-end", "creation"]));
    assert_eq!(creation["settings"]["journey_end"], "creation");
    let attribution = run(dir.path(), &db, &["--json", "attribution", "--model", "linear"]);
    assert!(attribution.status.success(), "{}", String::from_utf8_lossy(&attribution.stderr));

    // Setting the same value again changes nothing.
    let same = run(dir.path(), &db, &["settings", "set", "lookback_days", "90"]);
    assert!(String::from_utf8_lossy(&same.stderr).contains("nothing changed"));
}
