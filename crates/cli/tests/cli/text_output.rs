//! The text the commands print for people: fitted to the terminal's width, names in full, one number format.

use crate::support::{bin, example_csv_files, examples_dir};
use std::path::Path;

/// The repository's examples imported into a fresh database; returns its path.
fn examples_db(dir: &Path) -> String {
    let db = dir.join("examples.db").display().to_string();
    let out = bin(dir).args(["--db", &db, "import"]).args(example_csv_files()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    db
}

fn run(dir: &Path, columns: usize, args: &[&str]) -> String {
    let out = bin(dir).env("COLUMNS", columns.to_string()).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The names of the examples' channels, from channels.csv.
fn channel_names() -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(examples_dir().join("channels.csv")).unwrap();
    r.records().map(|rec| rec.unwrap()).map(|rec| (rec[0].to_string(), rec[1].to_string())).collect()
}

/// A figure written for people: grouped thousands, no run of four digits.
fn grouped(cell: &str) -> bool {
    !cell.as_bytes().windows(4).any(|w| w.iter().all(u8::is_ascii_digit))
}

#[test]
fn the_report_fits_the_terminal_and_names_every_channel_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let db = examples_db(dir.path());
    let wide = run(dir.path(), 120, &["--db", &db, "report"]);
    // Three channels whose names start with "Fleetwise on" each print their whole name (today: "Fleetwise o~").
    for (_, name) in channel_names() {
        assert!(wide.lines().any(|l| l.starts_with(&format!("{name} "))), "{name} not in full:\n{wide}");
    }
    assert!(!wide.contains('~'), "a name was cut:\n{wide}");
    for columns in [60, 80, 120] {
        let text = run(dir.path(), columns, &["--db", &db, "report"]);
        for line in text.lines() {
            assert!(line.chars().count() <= columns, "{columns}: {} columns: {line}", line.chars().count());
        }
    }
}

#[test]
fn the_report_writes_money_grouped_and_roi_as_a_multiple_from_ten_times_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = examples_db(dir.path());
    let text = run(dir.path(), 120, &["--db", &db, "report"]);
    let table_rows = text.lines().skip_while(|l| !l.starts_with("Channel")).take_while(|l| !l.starts_with("Notes"));
    for line in table_rows {
        assert!(grouped(line), "ungrouped figure: {line}");
    }
    // The examples' LinkedIn channel returns 25.8 times its cost under every model: "25.8x", never "2.6k%" or ">999%".
    let roi_header = text.lines().position(|l| l.starts_with("Channel") && l.contains("First")).expect("ROI table");
    let linkedin = text.lines().skip(roi_header).find(|l| l.starts_with("Fleetwise on LinkedIn")).unwrap();
    let cells: Vec<&str> = linkedin["Fleetwise on LinkedIn".len()..].split_whitespace().collect();
    assert_eq!(cells.len(), 7, "{linkedin}");
    for cell in cells {
        let multiple = cell.strip_suffix('x').and_then(|n| n.parse::<f64>().ok());
        assert!(multiple.is_some_and(|m| m >= 10.0), "{cell} in {linkedin}");
    }
    assert!(!text.contains(">999%") && !text.contains("k%"), "{text}");
}

#[test]
fn attribution_prints_names_by_share_with_grouped_values() {
    let dir = tempfile::tempdir().unwrap();
    let db = examples_db(dir.path());
    let names = channel_names();
    let text = run(dir.path(), 100, &["--db", &db, "attribution", "--model", "linear"]);
    let json = run(dir.path(), 100, &["--db", &db, "--json", "attribution", "--model", "linear"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut channels: Vec<(String, f64)> = v["channels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["channel"].as_str().unwrap().to_string(), c["share"].as_f64().unwrap()))
        .collect();
    assert!(channels.len() >= 3, "{json}");
    // Text rows come by share, largest first (ties by name), named as in channels.csv, not by key.
    let name_of = |key: &str| names.iter().find(|(k, _)| k == key).map_or(key.to_string(), |(_, n)| n.clone());
    channels.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| name_of(&a.0).cmp(&name_of(&b.0))));
    let rows: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("---")).skip(1).take(channels.len()).collect();
    for ((key, _), row) in channels.iter().zip(&rows) {
        let name = name_of(key);
        assert!(row.starts_with(&name), "{key} should print as {name:?}: {row}\n{text}");
        // The JSON names the channel too.
        let c = v["channels"].as_array().unwrap().iter().find(|c| c["channel"] == key.as_str()).unwrap();
        assert_eq!(c["name"].as_str().unwrap_or(key), name.as_str());
    }
    let total = v["total_value"].as_f64().unwrap();
    assert!(total >= 1000.0, "the examples' won revenue is {total}");
    assert!(text.lines().next().unwrap().contains(&format!("{} EUR", group(total.round() as u64))), "{text}");
    for row in rows {
        assert!(grouped(row), "{row}");
    }
}

#[test]
fn channels_lists_names_beside_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = examples_db(dir.path());
    let text = run(dir.path(), 140, &["--db", &db, "channels"]);
    for (key, name) in channel_names() {
        let row =
            text.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or_else(|| panic!("{name}:\n{text}"));
        assert!(row.split_whitespace().any(|w| w == key), "{row}");
    }
}

fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
