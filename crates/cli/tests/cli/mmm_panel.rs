//! `socialledger mmm panel` on the demo company: the real binary, a demo imported into a temp SQLite file, the
//! panel printed as JSON, text and CSV, and checked against the demo's own truth.json totals.

use crate::support::bin;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The default demo (seed 42, 24 months), simulated and imported once for this file's tests.
pub(crate) struct Demo {
    pub(crate) dir: PathBuf,
    pub(crate) db: String,
    pub(crate) truth: Value,
}

pub(crate) fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("mmm-panel-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let out = bin(&dir).args(["demo", "--quiet", "--out", "demo"]).output().unwrap();
        assert!(out.status.success(), "demo failed:\n{}", String::from_utf8_lossy(&out.stderr));
        let truth = serde_json::from_str(&std::fs::read_to_string(dir.join("demo/truth.json")).unwrap()).unwrap();
        let db = dir.join("demo/socialledger.db").display().to_string();
        Demo { dir, db, truth }
    })
}

pub(crate) fn panel_json(args: &[&str]) -> Value {
    let d = demo();
    let out = bin(&d.dir).args(["--db", &d.db, "--json", "mmm", "panel"]).args(args).output().unwrap();
    assert!(out.status.success(), "mmm panel failed:\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("mmm panel --json prints JSON")
}

fn channel<'a>(v: &'a Value, key: &str) -> &'a Value {
    v["panel"]["channels"].as_array().unwrap().iter().find(|c| c["key"] == key).unwrap_or_else(|| panic!("{key}"))
}

/// Sum of an array of euro amounts, in cents (every value is a whole number of cents).
fn cents(values: &Value) -> i64 {
    values.as_array().unwrap().iter().map(|v| (v.as_f64().unwrap() * 100.0).round() as i64).sum()
}

fn truth_cost<'a>(key: &str) -> &'a Value {
    demo().truth["costs"].as_array().unwrap().iter().find(|c| c["channel"] == key).unwrap()
}

#[test]
fn weekly_panel_of_the_demo_has_every_week_and_channel() {
    let v = panel_json(&[]);
    let p = &v["panel"];
    assert_eq!(
        (p["frequency"].as_str(), p["target_name"].as_str(), p["currency"].as_str()),
        (Some("weekly"), Some("pipeline"), Some("EUR"))
    );
    let dates: Vec<chrono::NaiveDate> =
        p["dates"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().parse().unwrap()).collect();
    assert_eq!(dates.len(), 104);
    assert_eq!(dates[0].to_string(), "2024-01-01");
    assert!(dates.windows(2).all(|w| (w[1] - w[0]).num_days() == 7), "a week is missing");
    let keys: Vec<&str> = p["channels"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
    for k in [
        "linkedin",
        "x",
        "facebook",
        "youtube",
        "linkedin-ads",
        "paid-search",
        "newsletter",
        "pr",
        "events",
        "webinar",
        "campaigns",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    for k in ["instagram", "direct", "organic-search", "sales"] {
        assert!(!keys.contains(&k), "{k} has no input by hours and must be left out");
    }
    assert_eq!(channel(&v, "linkedin")["input"], "hours");
    assert_eq!(channel(&v, "linkedin-ads")["input"], "spend");
    for c in p["channels"].as_array().unwrap() {
        assert_eq!(c["values"].as_array().unwrap().len(), 104);
        assert_eq!(c["cost"].as_array().unwrap().len(), 104);
    }
    let codes: Vec<&str> = v["notes"].as_array().unwrap().iter().map(|n| n["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"edges_cut") && codes.contains(&"no_input_in_period"), "{codes:?}");
    let summary = &v["summary"]["channels"][0];
    for field in ["key", "input", "periods_active", "total_input", "total_cost", "cv", "most_correlated"] {
        assert!(summary.get(field).is_some(), "summary lacks {field}: {summary}");
    }
}

/// The daily panel covers every simulated day, so its totals are the truth's: pipeline, hours, and cost per
/// channel (time at hourly cost, cost items, activity spend; campaign production spend sits in `campaigns`).
#[test]
fn daily_totals_match_the_demo_truth() {
    let v = panel_json(&["--frequency", "daily"]);
    let t = &demo().truth;
    assert_eq!(v["panel"]["dates"].as_array().unwrap().len(), 731);
    assert_eq!(cents(&v["panel"]["target"]), t["totals"]["pipeline_minor"].as_i64().unwrap());
    // Channels without campaign production spend: their cost is the truth's full cost.
    for key in ["facebook", "pr", "linkedin-ads", "paid-search"] {
        assert_eq!(cents(&channel(&v, key)["cost"]), truth_cost(key)["total_minor"].as_i64().unwrap(), "{key}");
    }
    for key in ["linkedin", "x", "facebook", "youtube"] {
        let hours: f64 = channel(&v, key)["values"].as_array().unwrap().iter().map(|h| h.as_f64().unwrap()).sum();
        assert_eq!((hours * 60.0).round() as i64, truth_cost(key)["minutes"].as_i64().unwrap(), "{key}");
    }
    // Everything the company spent is in a series, in Instagram (left out) or without a channel.
    let in_series: i64 = v["panel"]["channels"].as_array().unwrap().iter().map(|c| cents(&c["cost"])).sum();
    let all: i64 = t["costs"].as_array().unwrap().iter().map(|c| c["total_minor"].as_i64().unwrap()).sum::<i64>()
        + t["general_cost"]["total_minor"].as_i64().unwrap();
    assert_eq!(
        in_series
            + truth_cost("instagram")["total_minor"].as_i64().unwrap()
            + t["general_cost"]["total_minor"].as_i64().unwrap(),
        all
    );
    // The weekly panel holds the same money minus the three days after the last whole week.
    let weekly = panel_json(&[]);
    let daily_target: Vec<f64> = v["panel"]["target"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
    let tail: i64 = daily_target[728..].iter().map(|x| (x * 100.0).round() as i64).sum();
    assert_eq!(cents(&weekly["panel"]["target"]), t["totals"]["pipeline_minor"].as_i64().unwrap() - tail);
}

#[test]
fn text_summary_and_csv_for_mmm_fit() {
    let d = demo();
    let out = bin(&d.dir)
        .args(["--db", &d.db, "mmm", "panel", "--organic-input", "posts", "--csv-out", "panel.csv"])
        .env("COLUMNS", "150")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Mix panel: 104 weeks from 2024-01-01 to 2025-12-28, target pipeline"), "{text}");
    assert!(text.contains("Instagram account"), "by posts Instagram is in:\n{text}");
    assert!(text.contains("Notes:"), "{text}");
    let csv = std::fs::read_to_string(d.dir.join("panel.csv")).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("date_week,pipeline,events,facebook,instagram,linkedin,"), "{header}");
    assert!(header.ends_with(",campaigns"), "{header}");
    assert_eq!(lines.clone().count(), 104);
    let first: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(first[0], "2024-01-01");
    assert_eq!(first.len(), header.split(',').count());
    assert!(first[1..].iter().all(|x| x.parse::<f64>().is_ok()), "{first:?}");
}

#[test]
fn without_a_database_or_without_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path()).args(["--db", "missing.db", "mmm", "panel"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no socialledger database"), "{err}");
    assert!(!dir.path().join("missing.db").exists(), "mmm panel must not create a database");

    // A database with channels only: nothing dated to build a panel from, so nothing found (exit 1).
    std::fs::write(
        dir.path().join("channels.csv"),
        "channel,name,kind,network,handle\nlinkedin,LinkedIn,organic_social,linkedin,\n",
    )
    .unwrap();
    let out = bin(dir.path()).args(["--db", "only.db", "import", "--quiet", "channels.csv"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = bin(dir.path()).args(["--db", "only.db", "mmm", "panel"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to build a mix panel from"));

    let out = bin(dir.path()).args(["mmm", "panel", "--target", "profit"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn mmm_fit_on_the_database_and_its_gate() {
    let d = demo();
    let out = bin(&d.dir).args(["--db", &d.db, "--json", "mmm", "fit", "--no-cv"]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let passed = v["diagnostics"]["passed"].as_bool().unwrap();
    // Exit 0 only for a fit that passed every check; 1 marks "not an answer".
    assert_eq!(out.status.code(), Some(if passed { 0 } else { 1 }), "{}", String::from_utf8_lossy(&out.stderr));
    let panel = panel_json(&[]);
    let keys: Vec<&str> =
        panel["panel"]["channels"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
    let fitted: Vec<&str> = v["channels"].as_array().unwrap().iter().map(|c| c["channel"].as_str().unwrap()).collect();
    assert_eq!(keys, fitted);
    let shares: f64 = v["channels"].as_array().unwrap().iter().map(|c| c["contribution_share"].as_f64().unwrap()).sum();
    assert!((shares - 1.0).abs() < 1e-9);
    assert_eq!(v["target"], "pipeline");
    let text = bin(&d.dir).args(["--db", &d.db, "mmm", "fit", "--no-cv"]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert_eq!(!passed, text.contains("NOT AN ANSWER"), "{text}");
}

#[test]
fn report_with_the_mix_model_section() {
    let d = demo();
    let out = bin(&d.dir).args(["--db", &d.db, "--json", "report", "--mmm"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["mmm"]["channels"].as_array().is_some_and(|c| !c.is_empty()), "{}", v["mmm"]);
    // The verdict reads the same fit as the section (one fit, not two): its mix-model ROI is the section's ROI
    // on gross profit, margin x (ROI + 1) - 1, channel by channel.
    let margin = v["verdict"]["gross_margin"].as_f64().unwrap();
    let mut compared = 0;
    for c in v["mmm"]["channels"].as_array().unwrap() {
        let Some(roi) = c["roi"].as_f64() else { continue };
        // Series that are not channels (paid campaigns) have no verdict of their own.
        let Some(verdict) = v["verdict"]["channels"].as_array().unwrap().iter().find(|x| x["channel"] == c["channel"])
        else {
            continue;
        };
        let mmm = verdict["all_evidence"].as_array().unwrap().iter().find(|e| e["kind"] == "mmm");
        let gp = mmm.map(|e| e["roi"]["estimate"].as_f64().unwrap()).unwrap_or_else(|| panic!("{}", c["channel"]));
        assert!((gp - (margin * (roi + 1.0) - 1.0)).abs() < 1e-9, "{}: {gp} vs ROI {roi}", c["channel"]);
        compared += 1;
    }
    assert!(compared > 0, "{}", v["mmm"]);
    let out = bin(&d.dir).args(["--db", &d.db, "--json", "report"]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["mmm"].is_null());
}
