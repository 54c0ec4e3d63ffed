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
    assert!(
        stdout.contains("web app: socialledger --db socialledger-demo/socialledger.db serve"),
        "the summary names the command that opens the demo in the web app:\n{stdout}"
    );

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

fn effects_example(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/effects").join(name).display().to_string()
}

fn truth(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap()
}

fn removal(truth: &serde_json::Value, channel: &str) -> f64 {
    let e = truth["effects"].as_array().unwrap().iter().find(|e| e["channel"] == channel).unwrap();
    e["removal_expected"]["pipeline_eur"].as_f64().unwrap()
}

#[test]
fn demo_effects_file_gives_a_world_where_facebook_works() {
    let dir = tempfile::tempdir().unwrap();
    let file = effects_example("facebook-works.toml");
    let out = bin(dir.path()).args(["demo", "--quiet", "--effects", &file, "--out", "fb"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let t = truth(&dir.path().join("fb"));
    let fb = t["config"]["effects"].as_array().unwrap().iter().find(|e| e["channel"] == "facebook").unwrap();
    assert_eq!(fb["create"], 0.12);
    assert_eq!(fb["half_life_days"], 45.0);
    assert!(removal(&t, "facebook") > 100_000.0, "facebook causes pipeline in this world");
    assert_eq!(removal(&t, "linkedin"), 0.0, "the LinkedIn page causes none");
    assert!(t.get("experiments").is_none());
}

#[test]
fn demo_bad_effects_file_names_file_entry_and_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), "[[effect]]\nchannel = \"facebook\"\ncreate = -1\n").unwrap();
    let out = bin(dir.path()).args(["demo", "--quiet", "--effects", "bad.toml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml") && err.contains("[[effect]] 1") && err.contains("create"), "{err}");
    // The audience share is a share, and only for the channels with followers.
    std::fs::write(
        dir.path().join("share.toml"),
        "[[effect]]\nchannel = \"webinar\"\naudience_in_target_group = 0.5\n",
    )
    .unwrap();
    let out = bin(dir.path()).args(["demo", "--quiet", "--effects", "share.toml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("share.toml: [[effect]] 1") && err.contains("audience_in_target_group"), "{err}");
    assert!(err.contains("linkedin, x, facebook, instagram, youtube"), "{err}");
    let out = bin(dir.path()).args(["demo", "--quiet", "--experiment", "linkedin:pause:0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("WEEKS"));
}

/// The demo runs a 26-week pause of the LinkedIn page; the readout of `experiment analyze` on the demo's own
/// database must find the true normal-minus-paused contrast within 3.3 standard errors (the interval's
/// half-width / 1.645), a bar a broken mask, schedule or truth fails.
#[test]
fn demo_pause_experiment_is_read_out_near_its_truth() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path()).args(["demo", "--quiet", "--experiment", "linkedin:pause:26"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let root = dir.path().join("socialledger-demo");
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("experiment.json")).unwrap()).unwrap();
    assert_eq!(plan["design"], "pause");
    assert_eq!(plan["schedule_weeks"].as_array().unwrap().len(), 26);
    let t = truth(&root);
    let exp = &t["experiments"][0];
    assert_eq!(exp["channel"], "linkedin");
    let truth_contrast = exp["contrast_per_week"].as_f64().unwrap();

    let plan_path = root.join("experiment.json").display().to_string();
    let db = root.join("socialledger.db").display().to_string();
    let out =
        bin(dir.path()).args(["experiment", "analyze", "--plan", &plan_path, "--db", &db, "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &r["contrast"];
    let (estimate, low, high) =
        (c["estimate"].as_f64().unwrap(), c["low"].as_f64().unwrap(), c["high"].as_f64().unwrap());
    let se = (high - low) / 2.0 / 1.645;
    eprintln!("pause readout {estimate:.0} (90 % {low:.0} to {high:.0}, se {se:.0}); truth {truth_contrast:.0}");
    assert!(se > 0.0);
    assert!(
        (estimate - truth_contrast).abs() <= 3.3 * se,
        "readout {estimate} is {:.1} standard errors from the true contrast {truth_contrast}",
        (estimate - truth_contrast).abs() / se
    );
}
