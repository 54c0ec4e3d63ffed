//! Issue 16, the Mix, Attribution and Experiments pages: each shows its stored analysis (the mix model fitted as
//! `report --mmm` fits it; the report's models side by side and its verdict's next steps), says plainly when the
//! data cannot support a mix model, and keeps the cost figures to the roles that see costs.

use crate::overview::{current_page, import};
use crate::support::on_both;
use reqwest::StatusCode;
use socialledger_analytics::Settings;
use socialledger_decide::verdict::gather::pipeline_panel;
use socialledger_demo::{simulate, DemoConfig};
use socialledger_domain::Role;
use socialledger_web::analyses::{MIX, REPORT};

/// The value of attribute `attr` on the element that starts with `start` (e.g. `<td class="num" data-model="x"`).
fn attr_after<'a>(html: &'a str, start: &str, attr: &str) -> Option<&'a str> {
    let tag = &html[html.find(start)?..];
    let tag = &tag[..tag.find('>')?];
    let at = tag.find(&format!(" {attr}=\""))? + attr.len() + 3;
    Some(&tag[at..at + tag[at..].find('"')?])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_mix_page_says_when_the_data_cannot_support_a_mix_model() {
    on_both("mix_too_short", |app| async move {
        let dir = tempfile::tempdir().unwrap();
        let sim = simulate(&DemoConfig { accounts: 30, months: 3, ..DemoConfig::default() });
        import(&app.store, &sim.write_csv(dir.path()).unwrap()).await;
        app.add_user("analyst@example.com", "Ana", Role::Analyst).await;
        let analyst = app.client();
        app.signed_in(&analyst, "analyst@example.com").await;
        let html = current_page(&app, &analyst, "/mix").await;
        assert!(html.contains("class=\"notice mix-unavailable\""), "the page says there is no mix model");
        assert!(html.contains("a mix model needs at least 26"), "and why: too few weeks");
        let stored: serde_json::Value =
            serde_json::from_str(&app.store.stored_analysis(MIX).await.unwrap().unwrap().result.unwrap().json).unwrap();
        assert_eq!(stored["available"], false);
        // A period asked for is not pretended: the page says the model is of the whole history.
        let with_period = current_page(&app, &analyst, "/mix?from=2024-01-01&to=2024-02-01").await;
        assert!(with_period.contains("period-ignored"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_mix_page_shows_the_fit_its_charts_and_the_plan() {
    on_both("mix_fit", |app| async move {
        let dir = tempfile::tempdir().unwrap();
        let sim = simulate(&DemoConfig { accounts: 60, months: 12, ..DemoConfig::default() });
        import(&app.store, &sim.write_csv(dir.path()).unwrap()).await;
        app.add_user("owner@example.com", "Owner", Role::Owner).await;
        app.add_user("cs@example.com", "Service", Role::CustomerService).await;
        let owner = app.client();
        app.signed_in(&owner, "owner@example.com").await;
        let html = current_page(&app, &owner, "/mix").await;
        let stored: serde_json::Value =
            serde_json::from_str(&app.store.stored_analysis(MIX).await.unwrap().unwrap().result.unwrap().json).unwrap();
        assert_eq!(stored["available"], true, "a year of weeks fits: {}", stored["reason"]);

        // The fit is of the default weekly pipeline panel: one result per series of that panel.
        let data = app.store.load_for_analysis().await.unwrap();
        let panel = pipeline_panel(&data, &Settings::default()).unwrap().panel;
        let fitted: Vec<&str> =
            stored["mmm"]["channels"].as_array().unwrap().iter().map(|c| c["channel"].as_str().unwrap()).collect();
        let keys: Vec<&str> = panel.channels.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(fitted, keys);
        for c in stored["mmm"]["channels"].as_array().unwrap() {
            let (low, mid, high) = (&c["contribution_low"], &c["contribution"], &c["contribution_high"]);
            assert!(low.as_f64().unwrap() <= mid.as_f64().unwrap() && mid.as_f64() <= high.as_f64(), "an interval");
        }
        let series: Vec<String> = panel.channels.iter().map(|m| m.name.replace('&', "&amp;")).collect();

        // The decomposition and the response curves as server-side SVG, no script; the plan when the allocator made one.
        assert!(html.contains("<svg"), "server-side charts");
        assert!(html.contains("Response curves"));
        assert!(!html.contains("<script"), "no script");
        if stored["mmm"]["allocation"].is_object() {
            assert!(html.contains("class=\"mmm-plan\""), "the allocator's plan");
        }
        for name in &series {
            assert!(html.contains(name.as_str()), "{name} is on the page");
        }

        // Customer service does not see the mix model's ROI and budget.
        let cs = app.client();
        app.signed_in(&cs, "cs@example.com").await;
        assert_eq!(app.get(&cs, "/mix").await.status(), StatusCode::FORBIDDEN);
        assert!(!app.get(&cs, "/posts").await.text().await.unwrap().contains("href=\"/mix"), "no Mix link for them");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_attribution_and_experiments_pages_show_the_stored_report() {
    on_both("attribution_pages", |app| async move {
        let dir = tempfile::tempdir().unwrap();
        // The data-driven models read whole lookback windows (a year): 16 months leave four of deals to fit on.
        let sim = simulate(&DemoConfig { accounts: 60, months: 16, ..DemoConfig::default() });
        import(&app.store, &sim.write_csv(dir.path()).unwrap()).await;
        app.add_user("owner@example.com", "Owner", Role::Owner).await;
        app.add_user("cs@example.com", "Service", Role::CustomerService).await;
        let owner = app.client();
        app.signed_in(&owner, "owner@example.com").await;
        let html = current_page(&app, &owner, "/attribution").await;
        let report: serde_json::Value =
            serde_json::from_str(&app.store.stored_analysis(REPORT).await.unwrap().unwrap().result.unwrap().json)
                .unwrap();
        let comparison = &report["model_comparison"];
        let models = comparison["models"].as_array().expect("the demo's report compares the models");
        let names: Vec<&str> = models.iter().map(|m| m["model"].as_str().unwrap()).collect();
        for wanted in ["u-shaped", "markov-1", "shapley", "incremental"] {
            assert!(names.contains(&wanted), "{wanted} is compared");
            assert!(html.contains(&format!("<th class=\"num\" data-model=\"{wanted}\"")), "{wanted} has a column");
        }
        assert!(html.contains("position-based"), "the U-shaped model is named as position-based");
        // Every share of every model on its channel's row, with the interval where the model has one.
        let mut intervals = 0;
        for m in models {
            let model = m["model"].as_str().unwrap();
            for s in m["shares"].as_array().unwrap() {
                let key = s["channel"].as_str().unwrap();
                let row = &html[html.find(&format!("<tr data-channel=\"{key}\"")).unwrap()..];
                let shown =
                    attr_after(row, &format!("<td class=\"num\" data-model=\"{model}\""), "data-share").unwrap();
                let shown: f64 = shown.parse().unwrap();
                assert!((shown - s["share"].as_f64().unwrap()).abs() < 1e-12, "{model} {key}");
                if s["low"].is_number() {
                    intervals += 1;
                }
            }
        }
        assert!(intervals > 0, "the data-driven models have bootstrap intervals");
        assert!(html.matches(" – ").count() >= intervals, "each interval is shown");

        // Experiments: each undecided channel's next step from the stored verdict.
        let page = current_page(&app, &owner, "/experiments").await;
        let verdicts = report["verdict"]["channels"].as_array().unwrap();
        let mut planned = 0;
        for c in verdicts.iter().filter(|c| c["next_step"].is_object()) {
            let key = c["channel"].as_str().unwrap();
            let design = attr_after(&page, &format!("<tr data-channel=\"{key}\""), "data-design");
            assert_eq!(design, c["next_step"]["design"].as_str(), "{key}");
            planned += 1;
        }
        assert!(planned > 0, "the demo leaves channels undecided, each with its next step");
        assert_eq!(page.matches("<tr data-channel=").count(), planned, "one row per planned experiment");
        assert!(page.contains("no-experiments") && page.contains("Plan this experiment"));

        // The owner keeps an experiment: planned from the proposal (copied from the stored report, not the form),
        // marked running, read out with the figures of `experiment analyze`; each step audited.
        let csrf = app.session_csrf(&owner).await;
        let first = verdicts.iter().find(|c| c["next_step"].is_object()).unwrap();
        let key = first["channel"].as_str().unwrap();
        let none = app.post(&owner, "/experiments/plan", &[("channel", "<b>nope</b>"), ("csrf", &csrf)]).await;
        assert_eq!(none.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(none.text().await.unwrap().contains("&lt;b&gt;nope"));
        let planned = app.post(&owner, "/experiments/plan", &[("channel", key), ("csrf", &csrf)]).await;
        assert_eq!(planned.status(), StatusCode::SEE_OTHER);
        let kept = app.store.experiments().await.unwrap();
        assert_eq!(kept.len(), 1);
        let e = &kept[0];
        assert_eq!((e.channel.as_str(), e.design.as_str()), (key, first["next_step"]["design"].as_str().unwrap()));
        assert_eq!(Some(e.weeks), first["next_step"]["weeks"].as_i64());
        let id = e.id;
        let readout = format!("/experiments/{id}/readout");
        let figures =
            [("estimate", "1200.5"), ("low", "300"), ("high", "2100"), ("p_value", "0.04"), ("csrf", csrf.as_str())];
        let early = app.post(&owner, &readout, &figures).await;
        assert_eq!(early.status(), StatusCode::CONFLICT, "a planned experiment is not read out");
        let bad_date =
            app.post(&owner, &format!("/experiments/{id}/start"), &[("started_on", "monday"), ("csrf", &csrf)]).await;
        assert_eq!(bad_date.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let started = app
            .post(&owner, &format!("/experiments/{id}/start"), &[("started_on", "2026-11-02"), ("csrf", &csrf)])
            .await;
        assert_eq!(started.status(), StatusCode::SEE_OTHER);
        let upside_down = [("estimate", "5"), ("low", "10"), ("high", "20"), ("csrf", csrf.as_str())];
        let upside_down = app.post(&owner, &readout, &upside_down).await;
        assert_eq!(upside_down.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(upside_down.text().await.unwrap().contains("must contain the estimate"));
        assert_eq!(app.post(&owner, &readout, &figures).await.status(), StatusCode::SEE_OTHER);
        let page = app.get(&owner, "/experiments").await.text().await.unwrap();
        let row = &page[page.find(&format!("data-experiment=\"{id}\"")).expect("the experiment is listed")..];
        assert!(
            row.contains("data-status=\"read_out\"") && row.contains("2026-11-02") && row.contains("p = 0.040"),
            "{row}"
        );
        let log = app.store.audit_log(None).await.unwrap();
        for action in ["experiment.planned", "experiment.started", "experiment.read_out"] {
            let entry = log.iter().find(|e| e.action == action).unwrap_or_else(|| panic!("{action} is audited"));
            assert_eq!(entry.actor_email.as_deref(), Some("owner@example.com"));
        }
        let read = log.iter().find(|e| e.action == "experiment.read_out").unwrap();
        assert!(read.before.as_deref().unwrap().contains("running") && read.after.as_deref().unwrap().contains("2100"));

        // Customer service reads the models' shares, not the experiments planned against cost.
        let cs = app.client();
        app.signed_in(&cs, "cs@example.com").await;
        assert_eq!(app.get(&cs, "/attribution").await.status(), StatusCode::OK);
        assert_eq!(app.get(&cs, "/experiments").await.status(), StatusCode::FORBIDDEN);
    })
    .await;
}
