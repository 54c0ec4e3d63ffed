//! The reports against figures worked out by hand from the fixture (see the comments in `fixture.rs`), and the
//! determinism of the JSON.

use crate::fixture;
use crate::rendered;
use socialledger_analytics::analyze;
use socialledger_report::{render, Format, ReportInput};

/// The CSV record of `channel`, as (header, value) pairs.
fn csv_row(channel: &str) -> Vec<(String, String)> {
    let text = rendered(Format::Csv);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
    let record = reader
        .records()
        .map(|r| r.expect("record"))
        .find(|r| r.get(0) == Some(channel))
        .unwrap_or_else(|| panic!("no row for {channel}"));
    header.into_iter().zip(record.iter().map(str::to_string)).collect()
}

fn field<'a>(row: &'a [(String, String)], name: &str) -> &'a str {
    row.iter().find(|(h, _)| h == name).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn csv_has_one_row_per_channel_with_exact_costs() {
    let text = rendered(Format::Csv);
    assert_eq!(text.lines().count(), 1 + 4, "{text}");
    let li = csv_row("linkedin");
    // 600 + 90 staff, 1,500 ads, 800 paid flight.
    assert_eq!(field(&li, "cost"), "2990.00");
    assert_eq!(field(&li, "hours"), "15");
    assert_eq!(field(&li, "engagement_rate_by_impressions"), "0.05");
    // 300 engagements / 6 posts / 2,000 followers.
    assert_eq!(field(&li, "engagement_rate_by_followers"), "0.025");
    // Neither the first (X) nor the last touch (the event) of the won deal is LinkedIn's.
    assert_eq!(field(&li, "revenue_min"), "0.00");
    // Linear: 2 of the 5 touches of the 30,000 EUR deal -> 12,000; ROI = (12,000 x 0.7 - 2,990) / 2,990.
    let roi: f64 = field(&li, "roi_linear").parse().expect("a number");
    assert!((roi - (12_000.0 * 0.7 - 2_990.0) / 2_990.0).abs() < 1e-12, "{roi}");
    let x = csv_row("x");
    assert_eq!(field(&x, "cost"), "300.00");
    assert_eq!(field(&x, "name"), fixture::HOSTILE);
    // First touch credits all 30,000 EUR to X.
    let roi_first: f64 = field(&x, "roi_first").parse().expect("a number");
    assert!((roi_first - (30_000.0 * 0.7 - 300.0) / 300.0).abs() < 1e-12);
    assert_eq!(field(&csv_row("events"), "cost"), "2300.00");
    // The newsletter costs nothing: no ROI.
    assert_eq!(field(&csv_row("newsletter"), "roi_linear"), "");
}

#[test]
fn readings_state_the_hand_worked_figures() {
    let html = rendered(Format::Html);
    assert!(html.contains("LinkedIn costs 2,990 EUR and is credited 0 to"), "cost/revenue reading");
    assert!(html.contains("(linear: 12,000 EUR)"));
    // 5,000 of 35,000 EUR revenue had no touchpoint.
    assert!(html.contains("14% of that revenue (5,000 EUR) had no touchpoint in the 90-day window"));
    // Total cost 2,990 + 300 + 2,300 + 159 in general: the first key figure (its unit set apart) and the table's
    // total row.
    assert!(html.contains("5,749 <span class=\"unit\">EUR</span>"), "key figure");
    assert!(html.contains("<td>Total</td><td>5,749</td>"), "total row");
    // LinkedIn's monthly rate: 4% in January, 6% in March.
    assert!(
        html.contains("LinkedIn&#39;s monthly rate rose from 4.0% to 6.0% between Jan 2024 and Mar 2024")
            || html.contains("LinkedIn's monthly rate rose from 4.0% to 6.0% between Jan 2024 and Mar 2024")
    );
    // Value beyond sales: 2 h + 3 h on LinkedIn, 4 h on X, of 15 + 6 + 5 + 1 = 27 h.
    assert!(html.contains("Altogether 9.0 h of 27.0 h (33%) went to customer service"), "hours reading");
    // Six LinkedIn posts in the quarter's 13 weeks (2024-01-01 is a Monday, 2024-03-31 a Sunday).
    assert!(html.contains("LinkedIn posted 6 times in 13 weeks (0.5 a week)"), "rhythm reading");
    assert!(html.contains("1 post has no publication date"));
}

#[test]
fn json_differs_only_in_generated_at() {
    let dataset = fixture::dataset();
    let settings = fixture::settings();
    let analysis = analyze(&dataset, &settings);
    let comparison = socialledger_analytics::attribution::comparison::compare_models_for_report(
        &dataset,
        &settings,
        &analysis.attribution,
    );
    let at = |generated_at| ReportInput {
        analysis: &analysis,
        dataset: &dataset,
        settings: &settings,
        generated_at,
        title: None,
        comparison: Some(&comparison),
        mmm: None,
        verdict: None,
    };
    let a: serde_json::Value =
        serde_json::from_str(&render(&at(fixture::generated_at()), Format::Json).unwrap()).unwrap();
    let b: serde_json::Value =
        serde_json::from_str(&render(&at(fixture::ts("2030-01-01T00:00:00Z")), Format::Json).unwrap()).unwrap();
    assert_ne!(a, b);
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().expect("an object").remove("generated_at");
        v
    };
    assert_eq!(strip(a.clone()), strip(b));
    assert_eq!(a["generated_at"], "2024-04-02T08:00:00Z");
    // No other field anywhere starts with "generated" (checks strip such fields at every depth).
    fn generated_keys(v: &serde_json::Value, depth: usize, out: &mut Vec<(usize, String)>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, x) in map {
                    if k.starts_with("generated") {
                        out.push((depth, k.clone()));
                    }
                    generated_keys(x, depth + 1, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|x| generated_keys(x, depth + 1, out)),
            _ => {}
        }
    }
    let mut keys = Vec::new();
    generated_keys(&a, 0, &mut keys);
    assert_eq!(keys, vec![(0, "generated_at".to_string())]);
}
