//! `socialledger mmm` through the real binary: a panel prepared elsewhere (PyMC-Marketing's example, whose truth
//! is known), its JSON, the counterfactual and the allocator, and bad panels refused with file:row:column.

use crate::support::bin;
use std::path::PathBuf;

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/mmm/mmm_example.csv")
}

fn priors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/mmm/pymc_example_priors.toml")
}

/// The flags of PyMC-Marketing's example panel with its priors (shared with the experiment tests).
pub(crate) fn panel_args() -> Vec<String> {
    [
        "--csv",
        example().to_str().unwrap(),
        "--date",
        "date_week",
        "--target",
        "y",
        "--media",
        "x1,x2",
        "--controls",
        "event_1,event_2",
        "--priors",
        priors().to_str().unwrap(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn json(args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path()).args(args).args(panel_args()).arg("--json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn fit_json_has_the_documented_shape_and_the_truth() {
    let v = json(&["mmm", "fit"]);
    assert_eq!(v["target"], "y");
    let channels = v["channels"].as_array().unwrap();
    assert_eq!(channels.len(), 2);
    let shares: f64 = channels.iter().map(|c| c["contribution_share"].as_f64().unwrap()).sum();
    assert!((shares - 1.0).abs() < 1e-9, "shares sum to {shares}");
    let x1 = &channels[0];
    assert_eq!(x1["channel"], "x1");
    assert_eq!(x1["input"], "column");
    // The truth of PyMC-Marketing's example (data/mmm/README.md): x1 80.66 % of the media contribution.
    let share = x1["contribution_share"].as_f64().unwrap();
    assert!((share - 0.8066).abs() < 0.005, "x1 share {share}");
    for key in [
        "share_low",
        "share_high",
        "roi",
        "roi_low",
        "roi_high",
        "marginal_roi",
        "identifiable",
        "adstock",
        "saturation",
    ] {
        assert!(!x1[key].is_null(), "{key} missing");
    }
    assert!(x1["share_low"].as_f64().unwrap() < share && share < x1["share_high"].as_f64().unwrap());
    for key in ["r2", "mape", "cv_mape"] {
        assert!(v["fit"][key].as_f64().is_some(), "fit.{key}");
    }
    assert_eq!(v["diagnostics"]["passed"], true);
    assert_eq!(v["decomposition"].as_array().unwrap().len(), 179);
    assert_eq!(v["response_curves"].as_array().unwrap().len(), 2);
}

#[test]
fn the_same_seed_gives_the_same_answer() {
    let a = json(&["mmm", "fit", "--no-cv"]);
    let b = json(&["mmm", "fit", "--no-cv"]);
    assert_eq!(a["channels"], b["channels"]);
}

#[test]
fn counterfactual_and_allocation() {
    let cf = json(&["mmm", "counterfactual", "--without", "x2"]);
    assert_eq!(cf["periods"], 52);
    let loss = &cf["loss"];
    assert!(loss["low"].as_f64().unwrap() <= loss["value"].as_f64().unwrap());
    assert!(loss["value"].as_f64().unwrap() > 0.0);
    let plan = json(&["mmm", "allocate", "--budget", "5", "--max", "x1=3.5"]);
    let channels = plan["channels"].as_array().unwrap();
    let spent: f64 = channels.iter().map(|c| c["proposed"].as_f64().unwrap()).sum();
    assert!((spent - 5.0).abs() < 1e-6, "{spent}");
    assert!(channels[0]["proposed"].as_f64().unwrap() <= 3.5 + 1e-9);
    assert!(plan["gain"]["value"].as_f64().unwrap() >= 0.0 || plan["budget"].as_f64().unwrap() != 5.0);
    assert!(channels.iter().all(|c| !c["explanation"].as_str().unwrap().is_empty()));
}

#[test]
fn bad_panels_are_refused_with_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = std::fs::read_to_string(example()).unwrap();
    // Row 6 (line 6 of the file) gets a word for a number, and a week disappears further down.
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let cells: Vec<&str> = lines[5].split(',').collect();
    let mut bad: Vec<String> = cells.iter().map(|s| s.to_string()).collect();
    bad[2] = "lots".into();
    lines[5] = bad.join(",");
    text = lines.join("\n") + "\n";
    let file = dir.path().join("panel.csv");
    std::fs::write(&file, &text).unwrap();
    // `mmm fit` on panel.csv with these media columns: its exit code and stderr.
    let fit = |media: &str| {
        let out = bin(dir.path())
            .args(["mmm", "fit", "--csv", "panel.csv", "--target", "y", "--media", media])
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).to_string())
    };
    let (code, err) = fit("x1,x2");
    assert_eq!(code, Some(2));
    assert!(err.contains("panel.csv:6:x1: \"lots\" is not a number"), "{err}");

    lines.remove(40);
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let (_, err) = fit("x1,x2");
    assert!(err.contains("panel.csv:6:x1"), "{err}");

    let (code, err) = fit("x1,x3");
    assert_eq!(code, Some(2));
    assert!(err.contains("no column named x3"), "{err}");

    // A gap in the weeks, with every number valid.
    let mut good: Vec<String> = std::fs::read_to_string(example()).unwrap().lines().map(str::to_string).collect();
    good.remove(40);
    std::fs::write(&file, good.join("\n") + "\n").unwrap();
    let (code, err) = fit("x1,x2");
    assert_eq!(code, Some(2));
    assert!(err.contains("panel.csv:41:date_week:") && err.contains("14 days later"), "{err}");
}

#[test]
fn fit_without_a_panel_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path()).args(["mmm", "fit", "--csv", "x.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--target"));
}
