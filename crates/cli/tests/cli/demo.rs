//! `socialledger demo` end to end: the files, the database, the self-contained report, the summary.

use crate::support::{bin, report_json, strip_generated};

#[test]
fn demo_writes_data_truth_database_and_self_contained_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path()).args(["demo", "--quiet"]).output().unwrap();
    assert!(out.status.success(), "demo failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let root = dir.path().join("socialledger-demo");
    let report = std::fs::read_to_string(root.join("report.html")).expect("report.html written");
    assert!(report.matches("<svg").count() >= 4, "the report has fewer than 4 inline SVG charts");
    let network = regex_like_network_load(&report);
    assert!(network.is_none(), "the report loads something from the network: {network:?}");
    assert!(root.join("truth.json").exists());
    assert!(root.join("data/touchpoints.csv").exists());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("report.html"), "the summary does not say where the report is:\n{stdout}");

    // The demo's data went through the normal import path: the same database answers the other commands.
    let db = root.join("socialledger.db").display().to_string();
    let channels = bin(dir.path()).args(["--db", &db, "--json", "channels"]).output().unwrap();
    let channels: serde_json::Value = serde_json::from_slice(&channels.stdout).unwrap();
    let keys: Vec<&str> = channels.as_array().unwrap().iter().map(|c| c["channel"].as_str().unwrap()).collect();
    for k in ["linkedin", "x", "instagram", "newsletter"] {
        assert!(keys.contains(&k), "demo channel {k} missing: {keys:?}");
    }
}

#[test]
fn demo_is_deterministic_for_a_seed() {
    let dir = tempfile::tempdir().unwrap();
    for out_dir in ["a", "b"] {
        let out = bin(dir.path()).args(["demo", "--quiet", "--seed", "3", "--out", out_dir]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let a = report_json(dir.path(), &dir.path().join("a/socialledger.db").display().to_string());
    let b = report_json(dir.path(), &dir.path().join("b/socialledger.db").display().to_string());
    assert_eq!(a, b);
    assert_eq!(
        std::fs::read(dir.path().join("a/data/touchpoints.csv")).unwrap(),
        std::fs::read(dir.path().join("b/data/touchpoints.csv")).unwrap()
    );
}

/// Snapshot of the terminal report and the JSON report on the demo company (seed 42).
#[test]
fn demo_report_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path()).args(["demo", "--quiet"]).output().unwrap();
    assert!(out.status.success());
    let db = dir.path().join("socialledger-demo/socialledger.db").display().to_string();
    let terminal = bin(dir.path()).args(["--db", &db, "report"]).output().unwrap();
    assert!(terminal.status.success());
    insta::assert_snapshot!("demo_report_terminal", String::from_utf8(terminal.stdout).unwrap());
    let mut json = report_json(dir.path(), &db);
    strip_generated(&mut json);
    insta::assert_json_snapshot!("demo_report_json_channels", json["channels"]);
    let attribution =
        bin(dir.path()).args(["--db", &db, "--json", "attribution", "--model", "u-shaped"]).output().unwrap();
    assert!(attribution.status.success());
    let v: serde_json::Value = serde_json::from_slice(&attribution.stdout).unwrap();
    let share_sum: f64 = v["channels"].as_array().unwrap().iter().map(|c| c["share"].as_f64().unwrap()).sum();
    assert!((share_sum - 1.0).abs() < 1e-9, "shares sum to {share_sum}");
    insta::assert_json_snapshot!("demo_attribution_u_shaped", v);
}

/// Finds `src=`/`href=` attributes that point at the network.
fn regex_like_network_load(html: &str) -> Option<String> {
    for attr in ["src=\"http", "href=\"http", "src='http", "href='http", "url(http"] {
        if let Some(i) = html.find(attr) {
            return Some(html[i..(i + 80).min(html.len())].to_string());
        }
    }
    None
}
