//! The HTML report is self-contained and safe with hostile data: the fixture's channel name, post text and
//! activity name `<script>alert(1)</script>`, the channel name `Events "&<>` and the title `Acme <Widgets> & Co`.

use crate::fixture::HOSTILE;
use crate::rendered;
use socialledger_analytics::{analyze, Settings};
use socialledger_domain::Dataset;
use socialledger_report::{render, Format, ReportError, ReportInput};

#[test]
fn html_has_no_script_no_network_loads_and_four_charts() {
    let html = rendered(Format::Html);
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "a <script element reached the page");
    for attr in ["src=", "href=", "url("] {
        for scheme in ["http:", "https:", "//"] {
            for quote in ["\"", "'", ""] {
                let load = format!("{attr}{quote}{scheme}");
                assert!(!lower.contains(&load), "network load {load:?} in the page");
            }
        }
    }
    assert!(!lower.contains("<link") && !lower.contains("<img") && !lower.contains("@import"), "external resource");
    assert!(html.matches("<svg").count() >= 4, "fewer than 4 charts");
    // The hostile texts are there, escaped.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Events &quot;&amp;&lt;&gt;"));
    assert!(html.contains("Acme &lt;Widgets&gt; &amp; Co"));
    assert!(!html.contains("NaN") && !html.contains("inf\""));
    assert!(html.starts_with("<!DOCTYPE html>"));
}

#[test]
fn every_format_of_an_empty_dataset_renders_cleanly() {
    let dataset = Dataset::default();
    let settings = Settings::default();
    let analysis = analyze(&dataset, &settings);
    let input = ReportInput {
        analysis: &analysis,
        dataset: &dataset,
        settings: &settings,
        generated_at: crate::fixture::generated_at(),
        title: None,
        comparison: None,
        mmm: None,
        verdict: None,
    };
    for format in Format::ALL {
        let text = render(&input, format).unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert!(!text.contains("NaN"), "{format:?}: {text}");
    }
    let html = render(&input, Format::Html).unwrap();
    assert!(html.matches("<svg").count() >= 3, "the charts without data still draw: {html}");
}

#[test]
fn settings_that_differ_from_the_analysis_are_refused() {
    let dataset = crate::fixture::dataset();
    let settings = crate::fixture::settings();
    let analysis = analyze(&dataset, &settings);
    let other = Settings { gross_margin: 0.5, ..settings.clone() };
    let input = ReportInput {
        analysis: &analysis,
        dataset: &dataset,
        settings: &other,
        generated_at: crate::fixture::generated_at(),
        title: None,
        comparison: None,
        mmm: None,
        verdict: None,
    };
    assert!(matches!(render(&input, Format::Html), Err(ReportError::SettingsMismatch)));
}

#[test]
fn terminal_output_fits_100_columns_and_has_no_control_characters() {
    let text = rendered(Format::Terminal);
    for line in text.lines() {
        assert!(line.chars().count() <= 100, "{} columns: {line}", line.chars().count());
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
    assert!(text.contains(&HOSTILE[..7]), "the hostile name is shown as text");
}

#[test]
fn the_model_comparison_renders_and_escapes_hostile_channel_keys_and_answers() {
    use socialledger_analytics::attribution::comparison::compare_models_for_report;
    use socialledger_domain::{DealStatus, TouchKind};
    let key = "<img src=x onerror=alert(2)>";
    let mut dataset = crate::fixture::dataset();
    // A channel known only by its (hostile) key on a touchpoint of the won deal's account, and a hostile answer.
    let mut touch = dataset.touchpoints.iter().find(|t| t.key == "tp1").unwrap().clone();
    touch.key = "tp-hostile".into();
    touch.channel = key.into();
    touch.kind = TouchKind::Visit;
    dataset.touchpoints.push(touch);
    for d in dataset.deals.iter_mut().filter(|d| d.status == DealStatus::Won) {
        d.self_reported_source = Some(format!("{HOSTILE} \"&<>"));
    }
    let settings = crate::fixture::settings();
    let analysis = analyze(&dataset, &settings);
    let comparison = compare_models_for_report(&dataset, &settings, &analysis.attribution);
    assert!(comparison.channels.iter().any(|c| c == key), "{:?}", comparison.channels);
    let input = ReportInput {
        analysis: &analysis,
        dataset: &dataset,
        settings: &settings,
        generated_at: crate::fixture::generated_at(),
        title: None,
        comparison: Some(&comparison),
        mmm: None,
        verdict: None,
    };
    let html = render(&input, Format::Html).unwrap();
    let section = &html[html.find("id=\"model-comparison\"").expect("the section is there")..];
    let section = &section[..section.find("id=\"notes\"").unwrap_or(section.len())];
    assert!(section.contains("Attribution models compared"));
    assert!(section.contains("Markov (order 1)") && section.contains("Incremental"), "{section}");
    assert!(section.contains("<svg"), "the comparison chart is drawn");
    let lower = html.to_lowercase();
    assert!(!lower.contains("<img") && !lower.contains("<script"), "a hostile text reached the page unescaped");
    assert!(section.contains("&lt;img src=x onerror=alert(2)&gt;"), "the key is shown escaped: {section}");
    assert!(section.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;&amp;&lt;&gt;"), "the answer, escaped");
    assert!(!section.contains("NaN"));
    // The JSON carries the comparison, and the terminal format stays as it was.
    let json: serde_json::Value = serde_json::from_str(&render(&input, Format::Json).unwrap()).unwrap();
    let models = json["model_comparison"]["models"].as_array().expect("models in the JSON");
    assert_eq!(models.len(), 11);
    assert!(json["readings"]["model_comparison"]["says"].as_array().is_some_and(|s| !s.is_empty()));
}

#[test]
fn without_the_data_driven_models_the_section_says_so() {
    let dataset = crate::fixture::dataset();
    let settings = crate::fixture::settings();
    let analysis = analyze(&dataset, &settings);
    let input = ReportInput {
        analysis: &analysis,
        dataset: &dataset,
        settings: &settings,
        generated_at: crate::fixture::generated_at(),
        title: None,
        comparison: None,
        mmm: None,
        verdict: None,
    };
    let html = render(&input, Format::Html).unwrap();
    assert!(html.contains("were not run for this report"), "the section explains the missing models");
    let json: serde_json::Value = serde_json::from_str(&render(&input, Format::Json).unwrap()).unwrap();
    assert!(json["model_comparison"].is_null());
}
