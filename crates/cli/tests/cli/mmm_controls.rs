//! `--controls-csv` and the value of the target through the real binary on the demo company (a temp SQLite file
//! made by `socialledger demo`): controls joined onto the database panel, bad files refused with
//! file:row:column, and ROI valued at the win rate the demo's own deals give.

use crate::mmm_panel::{demo, panel_json};
use crate::support::bin;
use serde_json::Value;
use std::path::Path;

/// The panel's weeks (Mondays) as `mmm panel --json` lists them.
fn weeks() -> Vec<chrono::NaiveDate> {
    let v = panel_json(&[]);
    v["panel"]["dates"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().parse().unwrap()).collect()
}

/// A control value for week `i`: varied, never all zero.
fn value(i: usize) -> f64 {
    (i % 5) as f64 * 0.5 + if i.is_multiple_of(13) { 2.0 } else { 0.0 }
}

/// Writes a controls file in `dir`, one row per panel week dated on its Wednesday, plus `extra` lines.
fn write_controls(dir: &Path, name: &str, skip: Option<usize>, extra: &str) -> String {
    let mut text = String::from("date,price_change\n");
    for (i, w) in weeks().iter().enumerate() {
        if Some(i) != skip {
            text.push_str(&format!("{},{}\n", *w + chrono::Days::new(2), value(i)));
        }
    }
    text.push_str(extra);
    std::fs::write(dir.join(name), text).unwrap();
    name.to_string()
}

#[test]
fn controls_csv_joins_onto_the_database_panel() {
    let d = demo();
    let weeks = weeks();
    let before = weeks[0] - chrono::Days::new(7);
    let after = *weeks.last().unwrap() + chrono::Days::new(14);
    let file = write_controls(&d.dir, "controls-ok.csv", None, &format!("{before},9\n{after},9\n"));
    let v = panel_json(&["--controls-csv", &file]);
    let controls = v["panel"]["controls"].as_array().unwrap();
    let price = controls.iter().find(|c| c["name"] == "price_change").expect("the file's control");
    let values: Vec<f64> = price["values"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
    let expected: Vec<f64> = (0..weeks.len()).map(value).collect();
    assert_eq!(values, expected);
    // The database's own controls (if any) come first and are unchanged; the file's follow.
    let own = panel_json(&[])["panel"]["controls"].as_array().unwrap().clone();
    assert_eq!(controls[..own.len()], own[..]);
    assert_eq!(controls.len(), own.len() + 1);
    let note = v["notes"].as_array().unwrap().iter().find(|n| n["code"] == "controls_csv").expect("a note");
    assert_eq!(
        note["text"],
        format!("1 control from {file}: price_change; 2 rows outside the panel ({before} to {after}) ignored.")
    );

    // The text output says it too, and the CSV for `mmm fit --csv` carries the control.
    let out = bin(&d.dir)
        .args(["--db", &d.db, "mmm", "panel", "--controls-csv", &file, "--csv-out", "panel-controls.csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 control from controls-ok.csv: price_change"));
    let csv = std::fs::read_to_string(d.dir.join("panel-controls.csv")).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",price_change"), "{}", csv.lines().next().unwrap());
}

#[test]
fn bad_controls_files_are_refused_with_file_row_and_column() {
    let d = demo();
    let weeks = weeks();
    let run = |file: &str, cmd: &[&str]| {
        let out = bin(&d.dir).args(["--db", &d.db, "mmm"]).args(cmd).args(["--controls-csv", file]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stdout));
        assert!(out.stdout.is_empty());
        String::from_utf8(out.stderr).unwrap()
    };
    // A cell that is not a number, an infinite one, a date that is not ISO (rows 2.. are the weeks).
    let mut text = String::from("date,price_change,launch\n");
    text.push_str(&format!("{},abc,0\n", weeks[0]));
    text.push_str(&format!("{},1,inf\n", weeks[1]));
    text.push_str("03/02/2024,1,0\n");
    std::fs::write(d.dir.join("controls-bad.csv"), text).unwrap();
    let err = run("controls-bad.csv", &["panel"]);
    assert!(
        err.contains("controls-bad.csv:2:price_change: \"abc\" is not a number; write digits with a decimal point"),
        "{err}"
    );
    assert!(err.contains("controls-bad.csv:3:launch: \"inf\" is not a finite number"), "{err}");
    assert!(err.contains("controls-bad.csv:4:date: \"03/02/2024\" is not a date; write it as YYYY-MM-DD"), "{err}");

    // A week missing inside the file's range is an error, never a 0 (the fit fails the same way as the panel).
    let gap = write_controls(&d.dir, "controls-gap.csv", Some(5), "");
    for cmd in [&["panel"][..], &["fit", "--no-cv"][..]] {
        let err = run(&gap, cmd);
        assert!(
            err.contains(&format!("controls-gap.csv:7:date: no row for the week of {}; add a row dated", weeks[5])),
            "{err}"
        );
    }
    // Two rows in one week.
    let dup = write_controls(&d.dir, "controls-dup.csv", None, &format!("{},1\n", weeks[3]));
    let last_line = weeks.len() + 2;
    let err = run(&dup, &["panel"]);
    assert!(
        err.contains(&format!(
            "controls-dup.csv:{last_line}:date: {} falls in the week of {}, as row 5 does",
            weeks[3], weeks[3]
        )),
        "{err}"
    );
    // A file that starts after the panel does.
    let late = write_controls(&d.dir, "controls-late.csv", Some(0), "");
    let err = run(&late, &["panel"]);
    assert!(err.contains("narrow the panel with --from/--to"), "{err}");
    // With --csv the controls are the file's own columns.
    let out = bin(&d.dir)
        .args(["mmm", "fit", "--csv", "panel.csv", "--target", "pipeline", "--media", "linkedin"])
        .args(["--controls-csv", &late])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is for a panel built from the database"));
}

/// The demo's closed deals in EUR from its deals.csv: (won amount, lost amount, won count, lost count).
fn closed_deals() -> (f64, f64, usize, usize) {
    let mut r = csv::Reader::from_path(demo().dir.join("demo/data/deals.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let (amount, currency, status) = (col("amount"), col("currency"), col("status"));
    let (mut won, mut lost, mut nw, mut nl) = (0.0, 0.0, 0, 0);
    for row in r.records() {
        let row = row.unwrap();
        let Ok(a) = row[amount].parse::<f64>() else { continue };
        if &row[currency] != "EUR" {
            continue;
        }
        match &row[status] {
            "won" => (won, nw) = (won + a, nw + 1),
            "lost" => (lost, nl) = (lost + a, nl + 1),
            _ => {}
        }
    }
    (won, lost, nw, nl)
}

fn fit(args: &[&str]) -> (Value, String) {
    let d = demo();
    let out = bin(&d.dir)
        .args(["--db", &d.db, "mmm", "fit", "--no-cv", "--draws", "200"])
        .args(args)
        .env("COLUMNS", "200")
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    (serde_json::from_str(&stdout).unwrap_or(Value::Null), stdout)
}

#[test]
fn pipeline_roi_is_on_expected_revenue_at_the_demo_win_rate() {
    let (won, lost, nw, nl) = closed_deals();
    assert!(nw + nl >= 10, "the demo closes enough deals for a win rate");
    let rate = won / (won + lost);
    let (v, _) = fit(&["--json"]);
    let value = &v["value_of_target"];
    assert_eq!(value["basis"], "win_rate");
    assert_eq!(value["closed_deals"], nw + nl);
    let got = value["value"].as_f64().unwrap();
    assert!((got - rate).abs() < 1e-9, "value {got}, win rate by value {rate}");
    assert_eq!(v["value_per_unit"].as_f64(), Some(got), "the fit used it");
    // ROI = (contribution x value - cost) / cost for every channel with a cost.
    for c in v["channels"].as_array().unwrap() {
        let (contribution, cost) = (c["contribution"].as_f64().unwrap(), c["cost"].as_f64().unwrap());
        if cost > 0.0 {
            let roi = c["roi"].as_f64().unwrap();
            let expected = (contribution * rate - cost) / cost;
            assert!((roi - expected).abs() <= 1e-9 * expected.abs().max(1.0), "{}: {roi} vs {expected}", c["channel"]);
        }
    }
    let (_, text) = fit(&[]);
    let pct = format!("{}%", (rate * 100.0).round());
    let label = format!("ROI on expected revenue (pipeline x win rate {pct} by value over {} closed deals)", nw + nl);
    assert!(text.contains(&label), "{label}\n{text}");

    // --value-per-unit overrides the CRM; revenue is worth itself; a deal is worth the won amount per closed deal.
    let (v, text) = fit(&["--value-per-unit", "0.5"]);
    assert_eq!(v, Value::Null);
    assert!(text.contains("ROI on the target valued at 0.50 EUR per unit (--value-per-unit)"), "{text}");
    let (v, _) = fit(&["--json", "--target", "revenue"]);
    assert_eq!(v["value_of_target"]["basis"], "revenue");
    assert_eq!(v["value_of_target"]["value"], 1.0);
    let (v, _) = fit(&["--json", "--target", "deals"]);
    assert_eq!(v["value_of_target"]["basis"], "won_per_deal");
    let per_deal = v["value_of_target"]["value"].as_f64().unwrap();
    let expected = won / (nw + nl) as f64;
    assert!((per_deal - expected).abs() < 1e-6 * expected, "{per_deal} vs {expected}");
    let out = bin(&demo().dir).args(["--db", &demo().db, "mmm", "fit", "--value-per-unit", "-1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn report_values_the_mix_model_as_mmm_fit_does() {
    let d = demo();
    let out = bin(&d.dir).args(["--db", &d.db, "--json", "report", "--mmm"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (won, lost, nw, nl) = closed_deals();
    assert_eq!(v["mmm"]["value_of_target"]["basis"], "win_rate");
    assert_eq!(v["mmm"]["value_of_target"]["closed_deals"], nw + nl);
    assert!((v["mmm"]["value_per_unit"].as_f64().unwrap() - won / (won + lost)).abs() < 1e-9);
}
