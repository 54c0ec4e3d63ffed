//! Issue 16, stored analyses: the Overview and Channels pages show the figures of `socialledger report --json`
//! (the same library function), read from the stored result; it is reused while the data stays the same and
//! computed again after an import; roles without cost access do not reach the cost pages.

use crate::support::{on_both, TestApp};
use reqwest::StatusCode;
use socialledger_analytics::Settings;
use socialledger_demo::{simulate, DemoConfig};
use socialledger_domain::{Dataset, Role};
use socialledger_import::ImportOptions;
use socialledger_store::{AnalysisResult, ImportSource, Store};
use socialledger_web::analyses::{report_json, REPORT};
use std::path::Path;
use std::time::Duration;

/// A small demo company: enough deals for a verdict, small enough for a debug build.
pub(crate) fn demo() -> DemoConfig {
    DemoConfig { accounts: 60, months: 6, ..DemoConfig::default() }
}

/// Imports `files` the way `socialledger import` does: parse each file, then one transaction per file.
pub(crate) async fn import(store: &Store, files: &[impl AsRef<Path>]) {
    for path in files {
        let path = path.as_ref();
        let opts = ImportOptions {
            existing_channels: store.channels().await.unwrap(),
            channel_aliases: store.channel_aliases().await.unwrap(),
            ..ImportOptions::default()
        };
        let bytes = std::fs::read(path).unwrap();
        let parsed = socialledger_import::import_file(path, &bytes, &opts).unwrap();
        let source = ImportSource {
            file_name: path.file_name().unwrap().to_string_lossy().into_owned(),
            format: parsed.format.to_string(),
            content_hash: parsed.content_hash.clone(),
            rows: parsed.rows,
        };
        store.import(&source, &parsed.dataset, &|_, _| ()).await.unwrap();
    }
}

/// The text of the first `<span class="computed-at">`, or `None` while there is no result.
fn computed_at(html: &str) -> Option<String> {
    let start = html.find("class=\"computed-at\">")? + "class=\"computed-at\">".len();
    Some(html[start..start + html[start..].find('<')?].to_string())
}

/// The text of the first `<code class="fingerprint">`: the data the shown result was computed from.
fn fingerprint(html: &str) -> Option<String> {
    let start = html.find("class=\"fingerprint\">")? + "class=\"fingerprint\">".len();
    Some(html[start..start + html[start..].find('<')?].to_string())
}

/// Requests `path` until the page shows a current result (no recompute under way); returns the page.
pub(crate) async fn current_page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    for _ in 0..1200 {
        let response = app.get(client, path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = response.text().await.unwrap();
        if !html.contains("recomputing") && computed_at(&html).is_some() {
            return html;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{path}: the stored report was not computed within five minutes");
}

/// Fails unless two reports are the same but for the mix model's wall-clock time (`mmm.diagnostics.seconds`, how
/// long its fit took), naming where they differ.
pub(crate) fn assert_same_report(stored: &serde_json::Value, expected: &serde_json::Value, what: &str) {
    let without_time = |report: &serde_json::Value| {
        let mut report = report.clone();
        if let Some(diagnostics) = report.pointer_mut("/mmm/diagnostics").and_then(|d| d.as_object_mut()) {
            diagnostics.remove("seconds");
        }
        report
    };
    let mut differ = Vec::new();
    differences(&without_time(stored), &without_time(expected), "", &mut differ);
    assert!(differ.is_empty(), "{what}; they differ at {differ:?}");
}

/// The paths (`verdict.channels[2].roi`) where `a` and `b` differ, at most 20.
pub(crate) fn differences(a: &serde_json::Value, b: &serde_json::Value, at: &str, out: &mut Vec<String>) {
    use serde_json::Value;
    if out.len() >= 20 {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let (p, q) = (x.get(key).unwrap_or(&Value::Null), y.get(key).unwrap_or(&Value::Null));
                differences(p, q, &format!("{at}.{key}"), out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(p, q, &format!("{at}[{i}]"), out);
            }
        }
        _ if a != b => out.push(format!("{at}: {a} against {b}")),
        _ => {}
    }
}

/// The value of attribute `attr` on the row `<tr data-channel="KEY" ...>`.
fn row_attr(html: &str, key: &str, attr: &str) -> Option<String> {
    let row = &html[html.find(&format!("<tr data-channel=\"{key}\""))?..];
    let row = &row[..row.find('>')?];
    let start = row.find(&format!("{attr}=\""))? + attr.len() + 2;
    Some(row[start..start + row[start..].find('"')?].to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_overview_shows_the_stored_report_and_recomputes_after_an_import() {
    on_both("overview_stored", |app| async move {
        let dir = tempfile::tempdir().unwrap();
        let sim = simulate(&demo());
        let files = sim.write_csv(dir.path()).unwrap();
        import(&app.store, &files).await;
        app.add_user("owner@example.com", "Owner", Role::Owner).await;
        app.add_user("cs@example.com", "Service", Role::CustomerService).await;
        let owner = app.client();
        app.signed_in(&owner, "owner@example.com").await;

        // The first request finds no result: it says so and starts the one computation.
        let first = app.get(&owner, "/overview").await.text().await.unwrap();
        assert!(first.contains("recomputing"), "the first request finds nothing stored");
        let html = current_page(&app, &owner, "/overview").await;

        // The stored JSON is what the library function `socialledger report --json` calls computes on the same data.
        let stored = app.store.stored_analysis(REPORT).await.unwrap().unwrap().result.unwrap();
        let dataset = app.store.load_for_analysis().await.unwrap();
        let posts = app.store.posts_with_metrics().await.unwrap();
        let expected: serde_json::Value =
            serde_json::from_str(&report_json(&dataset, &posts, &Settings::default(), stored.computed_at).unwrap())
                .unwrap();
        let report: serde_json::Value = serde_json::from_str(&stored.json).unwrap();
        assert_same_report(&report, &expected, "the stored report is report --mmm --json of the same data");

        // Every verdict and every full cost of the report is on the page.
        let verdicts = report["verdict"]["channels"].as_array().expect("the demo has deals: a verdict");
        assert!(!verdicts.is_empty());
        for c in verdicts {
            let key = c["channel"].as_str().unwrap();
            assert_eq!(row_attr(&html, key, "data-verdict").as_deref(), c["verdict"].as_str(), "{key}");
            let cost = (c["cost"].as_f64().unwrap() * 100.0).round() as i64;
            assert_eq!(row_attr(&html, key, "data-cost-minor"), Some(cost.to_string()), "{key}");
        }

        // Hours per channel on the cost page against the simulation's own time entries (not the analytics).
        let costs = current_page(&app, &owner, "/channels/costs").await;
        let truth: &Dataset = sim.dataset();
        let mut checked = 0;
        for row in report["channels"].as_array().unwrap() {
            let key = row["channel"].as_str().unwrap();
            let minutes: i64 =
                truth.time_entries.iter().filter(|t| t.channel.as_deref() == Some(key)).map(|t| t.minutes).sum();
            if minutes == 0 {
                continue;
            }
            let shown: f64 = row_attr(&costs, key, "data-hours").unwrap().parse().unwrap();
            assert!((shown - minutes as f64 / 60.0).abs() < 1e-9, "{key}: {shown} h, {minutes} min tracked");
            checked += 1;
        }
        assert!(checked > 0, "the demo tracks time on its channels");

        // The channel filter shows one channel.
        let key = verdicts[0]["channel"].as_str().unwrap();
        let filtered = current_page(&app, &owner, &format!("/overview?channel={key}")).await;
        assert_eq!(filtered.matches("<tr data-channel=").count(), 1);

        // A second request reuses the stored result.
        let again = current_page(&app, &owner, "/overview").await;
        assert_eq!(computed_at(&again), computed_at(&html));
        let reread = app.store.stored_analysis(REPORT).await.unwrap().unwrap().result.unwrap();
        assert_eq!(reread.computed_at, stored.computed_at, "not computed again without a change");

        // A new import changes the fingerprint: the page says so, and the result is computed again.
        let extra = dir.path().join("cost_items_extra.csv");
        let original = std::fs::read_to_string(dir.path().join("cost_items.csv")).unwrap();
        let mut lines = original.lines();
        let header = lines.next().unwrap();
        // One row of the demo's cost items as a file of its own: a new import (another file), the same row.
        let row = lines.next().unwrap();
        std::fs::write(&extra, format!("{header}\n{row}\n")).unwrap();
        import(&app.store, &[&extra]).await;
        let changed = app.get(&owner, "/overview").await.text().await.unwrap();
        assert!(changed.contains("recomputing"), "the page says the data changed");
        assert_eq!(computed_at(&changed), computed_at(&html), "the earlier figures are shown meanwhile");
        let fresh = current_page(&app, &owner, "/overview").await;
        let recomputed = app.store.stored_analysis(REPORT).await.unwrap().unwrap().result.unwrap();
        assert!(recomputed.computed_at > stored.computed_at);
        assert_ne!(recomputed.fingerprint, stored.fingerprint);
        // The page names the data it was computed from (its time is shown to the second, which two computations
        // in one second share).
        assert_eq!(fingerprint(&html).as_deref(), Some(stored.fingerprint.as_str()));
        assert_eq!(fingerprint(&fresh).as_deref(), Some(recomputed.fingerprint.as_str()));

        // A result stored since (here by hand, as another app server on the same database would store it) shows at
        // once, though its fingerprint is the same: a server's parsed copy is used only while the stored row's
        // fingerprint and computation time are the ones it was parsed from.
        let mut edited: serde_json::Value = serde_json::from_str(&recomputed.json).unwrap();
        let first = &mut edited["verdict"]["channels"][0];
        let key = first["channel"].as_str().unwrap().to_string();
        let other = if first["verdict"] == "drop" { "keep" } else { "drop" };
        first["verdict"] = other.into();
        assert_ne!(row_attr(&fresh, &key, "data-verdict").as_deref(), Some(other));
        let later = AnalysisResult {
            fingerprint: recomputed.fingerprint.clone(),
            json: edited.to_string(),
            computed_at: recomputed.computed_at + chrono::Duration::seconds(1),
        };
        app.store.save_analysis(REPORT, &later).await.unwrap();
        let shown = current_page(&app, &owner, "/overview").await;
        assert_eq!(row_attr(&shown, &key, "data-verdict").as_deref(), Some(other), "the result stored since");

        // Customer service sees engagement, not costs.
        let cs = app.client();
        app.signed_in(&cs, "cs@example.com").await;
        assert_eq!(app.get(&cs, "/channels/costs").await.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.get(&cs, "/overview").await.status(), StatusCode::FORBIDDEN);
        let channels = current_page(&app, &cs, "/channels").await;
        assert!(!channels.contains("data-cost-minor") && !channels.contains("Full cost"));
    })
    .await;
}
