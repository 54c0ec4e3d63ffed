//! The mix model's section on a real fit: PyMC-Marketing's example panel (data/mmm/mmm_example.csv: 179 weeks,
//! two channels, two event controls; see data/mmm/README.md) fitted with the fast fit and planned by the
//! allocator, then rendered into the fixture company's report in every format. One channel carries the hostile
//! name, so the escaping is checked on the real page.

use crate::fixture::HOSTILE;
use crate::{rendered, rendered_with};
use socialledger_import::panel_csv::{read_panel, PanelColumns};
use socialledger_mmm::allocate::{allocate, AllocateRequest};
use socialledger_mmm::result::Check;
use socialledger_mmm::{ChannelGroup, FitOptions, InputKind, Panel, Priors};
use socialledger_report::mmm::charts;
use socialledger_report::{Format, MmmSection};
use std::path::PathBuf;
use std::sync::OnceLock;

fn repo_file(rel: &str) -> PathBuf {
    socialledger_testkit::repository().join(rel)
}

/// The example panel, read by the product's own reader (`mmm fit --csv`); `x2` renamed to the hostile name.
fn example_panel() -> Panel {
    let cols = PanelColumns {
        date: "date_week".into(),
        target: "y".into(),
        media: vec!["x1".into(), "x2".into()],
        controls: vec!["event_1".into(), "event_2".into()],
    };
    let bytes = std::fs::read(repo_file("data/mmm/mmm_example.csv")).unwrap();
    let mut panel = read_panel("mmm_example.csv", &bytes, &cols).unwrap();
    panel.target_name = "sales".into();
    panel.currency = "EUR".into();
    for (c, (name, group)) in
        panel.channels.iter_mut().zip([("Paid search", ChannelGroup::Paid), (HOSTILE, ChannelGroup::Event)])
    {
        c.name = name.into();
        c.group = group;
        c.input = InputKind::Spend;
    }
    panel
}

/// The fit and the plan for the next 13 weeks, made once for every test of the binary.
pub fn section() -> &'static MmmSection {
    static SECTION: OnceLock<MmmSection> = OnceLock::new();
    SECTION.get_or_init(|| {
        let panel = example_panel();
        let priors =
            Priors::from_toml_str(&std::fs::read_to_string(repo_file("data/mmm/pymc_example_priors.toml")).unwrap())
                .unwrap();
        let opts = FitOptions { priors, cross_validate: false, draws: 200, ..FitOptions::new(&panel) };
        let f = socialledger_mmm::fit_fast_full(&panel, &opts).unwrap();
        let req = AllocateRequest { horizon: 13, ..AllocateRequest::default() };
        let allocation = allocate(&f.model, &panel, &f.point, &f.draws, f.result.level, &req).unwrap();
        MmmSection {
            result: f.result,
            allocation: Some(allocation),
            value_of_target: socialledger_analytics::ValueOfTarget::as_given(),
        }
    })
}

/// `text` as maud writes it in HTML text.
fn html_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The mix model's section of a rendered page.
fn mmm_section(html: &str) -> &str {
    let start = html.find("<section id=\"mmm\">").expect("the page has the mix model's section");
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

#[test]
fn the_section_shows_the_fit_its_charts_table_reading_and_plan() {
    let s = section();
    let r = &s.result;
    assert!(r.diagnostics.passed, "the example fit passes its checks: {:?}", r.diagnostics.checks);
    let html = rendered_with(Format::Html, Some(s));
    assert!(html.find("id=\"mmm\"").unwrap() < html.find("id=\"notes\"").unwrap(), "before the data notes");
    let sec = mmm_section(&html);
    if let Some(p) = std::env::var_os("SOCIALLEDGER_KEEP_MMM_HTML") {
        std::fs::write(p, &html).unwrap();
    }
    assert!(sec.contains("<h2>Mix model: what each channel causes over time</h2>"));
    assert!(!sec.contains("not-an-answer"), "a passed fit has no warning");
    // One decomposition, one curve per channel.
    assert_eq!(sec.matches("class=\"chart\" id=\"chart-mmm-decomposition\"").count(), 1);
    assert_eq!(sec.matches("class=\"chart\" id=\"chart-mmm-curve-").count(), 2);
    // Every channel in the table, its verdict and the fit's reading, word for word.
    for c in &r.channels {
        assert!(sec.contains(&format!("<td>{}</td>", html_text(&c.name))), "{} is not in the table", c.name);
    }
    assert_eq!(
        sec.matches("class=\"tells-yes\"").count() + sec.matches("class=\"tells-no\"").count(),
        r.channels.len()
    );
    for sentence in &r.reading {
        assert!(sec.contains(&html_text(sentence)), "the reading {sentence:?} is not shown");
    }
    for check in &r.diagnostics.checks {
        assert!(sec.contains("Passed: "), "{check:?}");
    }
    // The plan: a row per channel and the gain with its interval.
    let a = s.allocation.as_ref().unwrap();
    assert!(sec.contains(&format!("Plan for {} to {} (13 weeks)", a.start, a.end)), "{sec}");
    assert_eq!(sec.matches("<td>money</td>").count(), 2);
    assert!(sec.contains("a gain of <strong>"), "{sec}");
    // Escaped everywhere, and nothing that is not a number.
    assert!(!html.contains("<script"), "a raw script tag reached the page");
    assert!(sec.contains(&html_text(HOSTILE)));
    assert!(!sec.contains("NaN") && !sec.contains("inf\""));
}

#[test]
fn the_decomposition_of_the_real_fit_stacks_to_its_total() {
    let r = &section().result;
    let chart = charts::decomposition(r);
    assert_eq!(chart.dates.len(), 179);
    let names: Vec<&str> = chart.layers.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Baseline", "Trend and seasonality", "Controls", "Paid search", HOSTILE]);
    for (t, p) in r.decomposition.iter().enumerate() {
        let sum: f64 = chart.layers.iter().map(|l| l.values[t]).sum();
        assert!((sum - p.fitted).abs() <= 1e-9 * p.fitted.abs().max(1.0), "week {t}: {sum} vs {}", p.fitted);
    }
    // The example's seasonality takes sales below the baseline in some weeks: that part is drawn below zero.
    let below = r.decomposition.iter().any(|p| p.trend + p.seasonality < 0.0);
    assert_eq!(chart.to_svg().contains("class=\"area below\""), below);
}

#[test]
fn a_failed_fit_is_marked_as_not_an_answer() {
    let mut s = section().clone();
    s.result.diagnostics.passed = false;
    s.result.diagnostics.checks.push(Check {
        check: "out_of_sample".into(),
        passed: false,
        value: 0.3,
        threshold: 0.2,
        message: "out of sample the model is off by 30 % a period".into(),
    });
    let html = rendered_with(Format::Html, Some(&s));
    let sec = mmm_section(&html);
    let warning = sec.find("class=\"not-an-answer\"").expect("the warning box");
    assert!(warning < sec.find("<svg").unwrap(), "the warning comes before the figures");
    assert!(sec.contains("Out of sample the model is off by 30 % a period."));
    assert!(sec.contains("Failed: "));
}

#[test]
fn json_has_the_fit_and_the_plan_and_nothing_else_changes() {
    let s = section();
    let with: serde_json::Value = serde_json::from_str(&rendered_with(Format::Json, Some(s))).unwrap();
    let mmm = &with["mmm"];
    assert_eq!(mmm["target"], "sales");
    assert_eq!(mmm["channels"].as_array().unwrap().len(), 2);
    assert_eq!(mmm["channels"][1]["name"], HOSTILE);
    assert_eq!(mmm["decomposition"].as_array().unwrap().len(), 179);
    assert_eq!(mmm["response_curves"].as_array().unwrap().len(), 2);
    assert_eq!(mmm["diagnostics"]["passed"], true);
    assert_eq!(mmm["allocation"]["horizon"], 13);
    assert_eq!(mmm["allocation"]["channels"].as_array().unwrap().len(), 2);
    // The result's fields are those of `mmm fit --json`: the result serialised alone, plus `allocation`.
    // Through text, as the report's JSON went (serde_json reads some floats back one unit off in the last place).
    let alone: serde_json::Value = serde_json::from_str(&serde_json::to_string(&s.result).unwrap()).unwrap();
    for (key, value) in alone.as_object().unwrap() {
        assert_eq!(&mmm[key], value, "{key}");
    }
    let mut without: serde_json::Value = serde_json::from_str(&rendered(Format::Json)).unwrap();
    assert_eq!(without["mmm"], serde_json::Value::Null);
    let mut with = with;
    with.as_object_mut().unwrap().remove("mmm");
    without.as_object_mut().unwrap().remove("mmm");
    assert_eq!(with, without, "the mix model changes nothing else in the JSON");
}

#[test]
fn terminal_adds_the_reading_as_one_paragraph() {
    let s = section();
    let with = rendered_with(Format::Terminal, Some(s));
    let without = rendered(Format::Terminal);
    assert!(with.contains("Mix model of sales from 2018-04-02 to "), "{with}");
    for line in with.lines() {
        assert!(line.chars().count() <= 100, "{line}");
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
    // Only lines are added: removing the paragraph gives the report without it.
    let start = with.find("Mix model of sales").unwrap();
    let end = with[start..].find("\n\n").unwrap() + start + 2;
    assert_eq!(format!("{}{}", &with[..start], &with[end..]), without);
    // The CSV has no place for it and stays as it was.
    assert_eq!(rendered_with(Format::Csv, Some(s)), rendered(Format::Csv));
}
