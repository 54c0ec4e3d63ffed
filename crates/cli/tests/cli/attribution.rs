//! `socialledger attribution`: data-driven models on a path file and on the database (issue 4 groundwork).

use crate::support::bin;
use std::path::PathBuf;

/// The repository's path fixture: our generator's realistic world in ChannelAttribution's format (see
/// data/attribution/README.md).
fn example_paths() -> PathBuf {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/attribution/realistic_paths.csv");
    assert!(p.exists(), "the path fixture is missing at {}", p.display());
    p
}

/// The `--json` shape of issue 4: shares are fractions summing to 1, bounds around them, conversions summing to
/// the file's total.
#[test]
fn markov_on_the_example_path_file_has_the_documented_json_shape() {
    let dir = tempfile::tempdir().unwrap();
    let file = example_paths();
    // The file's own total, read independently.
    let text = std::fs::read_to_string(&file).unwrap();
    let total: f64 = text
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(';').nth(1).unwrap().parse::<f64>().unwrap())
        .sum();
    for order in ["1", "2", "3"] {
        let out = bin(dir.path())
            .args(["--json", "attribution", "--model", "markov", "--order", order, "--bootstrap", "20", "--paths"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["model"], "markov");
        assert_eq!(v["order"].as_u64(), Some(order.parse().unwrap()));
        assert!((v["total_conversions"].as_f64().unwrap() - total).abs() < 1e-6);
        let channels = v["channels"].as_array().unwrap();
        assert!(!channels.is_empty());
        let share_sum: f64 = channels.iter().map(|c| c["share"].as_f64().unwrap()).sum();
        let conv_sum: f64 = channels.iter().map(|c| c["conversions"].as_f64().unwrap()).sum();
        assert!((share_sum - 1.0).abs() < 1e-9, "shares sum to {share_sum}");
        assert!((conv_sum - total).abs() < 1e-6 * total, "conversions sum to {conv_sum}, file total {total}");
        for c in channels {
            let (lo, s, hi) =
                (c["share_low"].as_f64().unwrap(), c["share"].as_f64().unwrap(), c["share_high"].as_f64().unwrap());
            assert!(lo <= hi && (0.0..=1.0).contains(&s), "{c}");
            assert!(c["removal_effect"].as_f64().is_some(), "markov reports removal effects: {c}");
        }
        // Deterministic: the same command prints the same bytes.
        let again = bin(dir.path())
            .args(["--json", "attribution", "--model", "markov", "--order", order, "--bootstrap", "20", "--paths"])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.stdout, again.stdout);
    }
}

#[test]
fn heuristic_models_refuse_a_path_file_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        bin(dir.path()).args(["attribution", "--model", "w-shaped", "--paths"]).arg(example_paths()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--paths") && err.contains("markov"), "{err}");
}

#[test]
fn a_damaged_path_file_names_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("paths.csv");
    std::fs::write(&f, "path;total_conversions;total_conversion_value;total_null\na > b;1;2.5;3\nb;x;1;1\n").unwrap();
    let out = bin(dir.path()).args(["attribution", "--model", "markov", "--paths"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("paths.csv:3:total_conversions"), "{err}");
}

#[test]
fn data_driven_models_run_on_the_demo_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path()).args(["demo", "--quiet"]).output().unwrap();
    assert!(out.status.success());
    let db = dir.path().join("socialledger-demo/socialledger.db").display().to_string();
    for model in ["markov", "shapley", "incremental"] {
        let out = bin(dir.path())
            .args(["--db", &db, "--json", "attribution", "--model", model, "--bootstrap", "10"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{model}: {}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["source"], "database");
        let share_sum: f64 = v["channels"].as_array().unwrap().iter().map(|c| c["share"].as_f64().unwrap()).sum();
        assert!((share_sum - 1.0).abs() < 1e-9, "{model}: shares sum to {share_sum}");
        let channels: Vec<&str> =
            v["channels"].as_array().unwrap().iter().map(|c| c["channel"].as_str().unwrap()).collect();
        assert!(!channels.contains(&"sales"), "{model}: sales meetings are not a marketing channel: {channels:?}");
        let credited = |k: &str| v[k].as_f64().unwrap_or_else(|| panic!("{model}: no {k}"));
        let (f, lo, hi) = (credited("credited_fraction"), credited("credited_low"), credited("credited_high"));
        assert!(lo <= f && f <= hi && (0.0..=1.0 + 1e-9).contains(&f), "{model}: credited {lo} {f} {hi}");
        if model != "incremental" {
            assert!((f - 1.0).abs() < 1e-9, "{model} distributes every conversion, not {f}");
        }
    }
}

/// `--write-paths` writes the journeys a model was fitted on; `--paths` on that file gives the same figures.
#[test]
fn written_database_paths_read_back_to_the_same_attribution() {
    let dir = tempfile::tempdir().unwrap();
    assert!(bin(dir.path()).args(["demo", "--quiet"]).output().unwrap().status.success());
    let db = dir.path().join("socialledger-demo/socialledger.db").display().to_string();
    let file = dir.path().join("journeys.csv");
    let run = |extra: &[&str]| {
        let out = bin(dir.path())
            .args(["--db", &db, "--json", "attribution", "--model", "markov", "--order", "2", "--bootstrap", "5"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let mut from_db = run(&["--write-paths", file.to_str().unwrap()]);
    // Names come from the database; a path file knows only the keys.
    for c in from_db["channels"].as_array_mut().unwrap() {
        assert!(c.as_object_mut().unwrap().remove("name").is_some(), "{c}");
    }
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("path;total_conversions;total_conversion_value;total_null\n"), "{}", &text[..80]);
    let from_file = run(&["--paths", file.to_str().unwrap()]);
    assert_eq!(from_db["channels"], from_file["channels"]);
    assert_eq!(from_db["total_conversions"], from_file["total_conversions"]);
    // Heuristic models have no path set to write.
    let out = bin(dir.path())
        .args(["--db", &db, "attribution", "--model", "linear", "--write-paths", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The text output says which fraction of the conversions the incremental model puts down to the channels, and
/// warns exactly when that fraction may be close to nothing (its JSON lower bound under 5 %).
#[test]
fn the_incremental_text_output_says_how_much_the_channels_caused() {
    let dir = tempfile::tempdir().unwrap();
    assert!(bin(dir.path()).args(["demo", "--quiet"]).output().unwrap().status.success());
    let db = dir.path().join("socialledger-demo/socialledger.db").display().to_string();
    let args = ["--db", &db, "attribution", "--model", "incremental", "--bootstrap", "30"];
    let text = bin(dir.path()).args(args).output().unwrap();
    assert!(text.status.success(), "{}", String::from_utf8_lossy(&text.stderr));
    // The text wraps to the terminal's width: compare words, not line breaks.
    let text = String::from_utf8(text.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    let json = bin(dir.path()).arg("--json").args(args).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let (f, low) = (v["credited_fraction"].as_f64().unwrap(), v["credited_low"].as_f64().unwrap());
    assert!(text.contains(&format!("The channels caused {:.1}%", f * 100.0)), "{text}");
    assert_eq!(text.contains("read them as unknown"), low < 0.05, "credited_low {low}: {text}");
    assert!(text.contains("window starts before the first touchpoint of the data"), "left-out journeys: {text}");
}
