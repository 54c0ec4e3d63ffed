//! Issue 16 in a real browser: the owner sets up through the one-time link, invites a customer-service colleague,
//! finds the figures of `socialledger report --json` on the Overview and Channels pages, starts and stops a
//! timer, sets a target and downloads a CSV; the colleague signs in through the invitation, sees their own pages
//! and no cost, and cannot change a role. Every page of both is screenshotted on a phone and a laptop.

use super::driver::Browser;
use super::pages::{screenshot, visit_every_page};
use crate::overview::{demo, import};
use crate::support::{on_both, TestApp, PASSWORD};
use fantoccini::Locator;
use serde_json::Value;
use socialledger_analytics::Settings;
use socialledger_demo::simulate;
use socialledger_domain::{Dataset, Role};
use socialledger_report::figures;
use socialledger_report::standard::{render_report, report_mix, StandardOptions};
use socialledger_report::Format;
use socialledger_store::Backend;
use std::sync::Arc;

/// `socialledger report --mmm --json` on the app's database, as the command line computes it
/// (`crates/cli/src/commands/report.rs`: default settings, the mix model of `report_mix` for its section and the
/// verdict, the posts only when there are deals).
async fn report_json(app: &TestApp) -> Value {
    let dataset = app.store.load_for_analysis().await.unwrap();
    let posts =
        if dataset.deals.is_empty() { Dataset::default() } else { app.store.posts_with_metrics().await.unwrap() };
    let (mix, section) = report_mix(&dataset, &Settings::default(), |_| ());
    let opts = StandardOptions {
        title: None,
        generated_at: chrono::Utc::now(),
        format: Format::Json,
        width: 100,
        mix: Some(mix),
        mmm: section.as_ref(),
    };
    serde_json::from_str(&render_report(&dataset, &posts, &Settings::default(), opts).unwrap()).unwrap()
}

/// Whole currency units in a shown amount (`41,200 EUR` -> 41200).
fn whole_units(shown: &str) -> i64 {
    let digits: String = shown.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect();
    digits.parse().unwrap_or_else(|_| panic!("{shown:?} is not an amount"))
}

/// An amount in major units as the pages show it: rounded to cents, then to whole units half away from zero
/// (`socialledger_report::figures::money`).
fn rounded(major: f64) -> i64 {
    let minor = (major * 100.0).round() as i64;
    minor.signum() * ((minor.abs() + 50) / 100)
}

/// The visible text of every cell of the rows `tr[data-channel]` of the page, by channel key.
async fn rows(browser: &Browser) -> Vec<(String, Vec<String>)> {
    let rows = browser
        .js(
            "return Array.from(document.querySelectorAll('tr[data-channel]')).map(function (tr) { \
               return [tr.getAttribute('data-channel'), Array.from(tr.cells).map(function (td) { return td.innerText.trim(); })]; });",
            vec![],
        )
        .await;
    serde_json::from_value(rows).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_owner_and_customer_service_in_a_real_browser() {
    let Some(browser) = Browser::take().await else { return };
    let browser = Arc::new(browser);
    on_both("browser_walk", move |app| {
        let browser = browser.clone();
        async move { walk(&browser, &app).await }
    })
    .await;
}

async fn walk(browser: &Browser, app: &TestApp) {
    let label = match app.store.backend() {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let dir = tempfile::tempdir().unwrap();
    let sim = simulate(&demo());
    import(&app.store, &sim.write_csv(dir.path()).unwrap()).await;

    // The one-time setup link.
    let setup = app.setup_url.clone().expect("a database without users gets a setup link");
    browser.open(&setup).await;
    screenshot(browser, &format!("{label}-setup-laptop")).await;
    browser.fill("input[name=email]", "olga@example.com").await;
    browser.fill("input[name=name]", "Olga Owner").await;
    browser.fill("input[name=password]", PASSWORD).await;
    browser.click_and_wait("form[action^='/setup/'] button[type=submit]").await;
    browser.wait_for_text("Olga Owner").await;

    // The invitation of a customer-service colleague: the link is shown once on the Users page.
    browser.open(&app.url("/users")).await;
    browser.fill("form[action='/users'] input[name=email]", "carla@example.com").await;
    browser.fill("form[action='/users'] input[name=name]", "Carla Service").await;
    browser.fill("form[action='/users'] select[name=role]", "customer_service").await;
    browser.click_and_wait("form[action='/users'] button[type=submit]").await;
    let invite = browser.client.wait().for_element(Locator::Css("span.link")).await.unwrap().text().await.unwrap();
    assert!(invite.starts_with(&format!("{}/invite/", app.base)), "{invite}");

    // The Overview shows report --json's verdicts and full costs.
    browser.open(&app.url("/overview")).await;
    browser.wait_for_current_analysis().await;
    let report = report_json(app).await;
    let verdicts = report["verdict"]["channels"].as_array().expect("the demo has deals: a verdict");
    let shown = rows(browser).await;
    assert_eq!(
        shown.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        verdicts.iter().map(|c| c["channel"].as_str().unwrap()).collect::<Vec<_>>(),
        "the Overview's channels are the verdict's"
    );
    for ((key, cells), c) in shown.iter().zip(verdicts) {
        // Shown in capitals by the stylesheet.
        assert_eq!(cells[1].to_lowercase(), c["verdict"].as_str().unwrap(), "{key}: verdict");
        assert_eq!(whole_units(&cells[3]), rounded(c["cost"].as_f64().unwrap()), "{key}: full cost {:?}", cells[3]);
    }

    // Channels: posts and engagement rates; the cost page: full cost and hours.
    browser.open(&app.url("/channels")).await;
    browser.wait_for_current_analysis().await;
    let channels = report["channels"].as_array().unwrap();
    let shown = rows(browser).await;
    assert_eq!(shown.len(), channels.len(), "one row per channel of the report");
    let rate = |v: &Value| v.as_f64().map_or_else(|| "-".to_string(), |r| figures::percent(r, 2));
    for ((key, cells), c) in shown.iter().zip(channels) {
        assert_eq!(key, c["channel"].as_str().unwrap());
        assert_eq!(cells[1], c["posts"].as_u64().unwrap_or(0).to_string(), "{key}: posts");
        assert_eq!(cells[2], rate(&c["engagement_rate_by_impressions"]), "{key}: rate by impressions");
        assert_eq!(cells[3], rate(&c["engagement_rate_by_followers"]), "{key}: rate by followers");
    }

    // The CSV download behind the Channels page's link, fetched with this browser's session.
    let href = browser
        .client
        .find(Locator::Css("a[href='/export/channels.csv']"))
        .await
        .unwrap()
        .prop("href")
        .await
        .unwrap()
        .expect("the link has a target");
    let download =
        reqwest::Client::new().get(&href).header("cookie", browser.cookie_header().await).send().await.unwrap();
    assert_eq!(download.status(), reqwest::StatusCode::OK, "{href}");
    assert!(download.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let csv = download.text().await.unwrap();
    let mut keys: Vec<String> =
        csv::Reader::from_reader(csv.as_bytes()).records().map(|r| r.unwrap().get(0).unwrap().to_string()).collect();
    let mut expected: Vec<String> = app.store.channels().await.unwrap().into_iter().map(|c| c.key).collect();
    keys.sort();
    expected.sort();
    assert_eq!(keys, expected, "the CSV lists every channel");

    browser.open(&app.url("/channels/costs")).await;
    browser.wait_for_current_analysis().await;
    for ((key, cells), c) in rows(browser).await.iter().zip(channels) {
        assert_eq!(key, c["channel"].as_str().unwrap());
        let minor = c["cost_minor"].as_i64().unwrap_or(0);
        assert_eq!(
            whole_units(&cells[1]),
            minor.signum() * ((minor.abs() + 50) / 100),
            "{key}: full cost {:?}",
            cells[1]
        );
        assert_eq!(cells[2], figures::hours(c["hours"].as_f64().unwrap_or(0.0)), "{key}: hours");
    }

    // A timer on the first channel: started, running, stopped, and its entry listed.
    let key = channels[0]["channel"].as_str().unwrap().to_string();
    browser.open(&app.url("/time")).await;
    let start = format!("//form[@action='/time/start'][input[@name='channel'][@value='{key}']]");
    browser.fill_at(Locator::XPath(&format!("{start}//select[@name='task']")), "community").await;
    browser.click_and_wait_at(Locator::XPath(&format!("{start}//button[@type='submit']"))).await;
    browser.wait_for_text("Running since").await;
    screenshot(browser, &format!("{label}-owner-time-running-laptop")).await;
    browser.click_and_wait("form[action='/time/stop'] button[type=submit]").await;
    let entry = browser
        .js(
            // The owner's own entries (the owner also sees everyone's, in `table.all-entries`, editable too).
            "var f = Array.from(document.querySelectorAll(\"form[action='/time/edit']\")) \
                 .filter(function (e) { return !e.closest('table.all-entries'); }); \
             if (f.length !== 1) return f.length; \
             return [f[0].querySelector('[name=minutes]').value, f[0].querySelector('[name=channel]').value, \
                     f[0].querySelector('[name=task]').value];",
            vec![],
        )
        .await;
    assert_eq!(
        entry,
        serde_json::json!(["1", key, "community"]),
        "one entry of the timer: 1 minute, its channel, task"
    );

    // A target on that channel.
    browser.open(&app.url("/targets")).await;
    browser.fill("form[action='/targets'] select[name=channel]", &key).await;
    browser.fill("form[action='/targets'] select[name=metric]", "engagement_rate").await;
    browser.fill("form[action='/targets'] input[name=threshold]", "4%").await;
    browser.click_and_wait("form[action='/targets'] button[type=submit]").await;
    browser.wait_until("the target's row", "return document.querySelectorAll('tr[data-target]').length === 1;").await;
    let targets = app.store.targets().await.unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0].target.channel.as_deref(), Some(key.as_str()));

    // Every page of the owner, on a phone and a laptop.
    let owner_pages = visit_every_page(browser, app, label, Role::Owner, |_, _| {}).await;
    assert!(owner_pages >= 20, "the owner's pages: {owner_pages} screenshots");

    // Signed out; the colleague sets their password through the invitation.
    browser.click_and_wait("form[action='/logout'] button[type=submit]").await;
    browser.open(&invite).await;
    screenshot(browser, &format!("{label}-invite-laptop")).await;
    browser.fill("input[name=password]", PASSWORD).await;
    browser.click_and_wait("form[action^='/invite/'] button[type=submit]").await;
    browser.wait_for_text("Carla Service").await;

    // Their pages show no cost: no amount in the report's currency anywhere.
    let currency = report["currency"].as_str().unwrap_or("EUR").to_string();
    let no_cost = |path: &str, text: &str| {
        // An amount is a number followed by the currency; the settings line names the currency alone.
        let amount = text
            .match_indices(&format!(" {currency}"))
            .any(|(i, _)| text[..i].chars().next_back().is_some_and(|c| c.is_ascii_digit()));
        assert!(!amount, "{path} shows an amount in {currency} to customer service");
        assert!(!text.contains("Full cost"), "{path} shows full cost to customer service");
    };
    let cs_pages = visit_every_page(browser, app, label, Role::CustomerService, no_cost).await;
    assert!(cs_pages >= 6, "customer service's pages: {cs_pages} screenshots");
    let nav = browser
        .js("return Array.from(document.querySelectorAll('nav a')).map(a => a.getAttribute('href'));", vec![])
        .await;
    for cost_page in ["/overview", "/channels/costs", "/mix", "/experiments", "/users"] {
        assert!(
            !nav.as_array().unwrap().iter().any(|h| h.as_str().is_some_and(|h| h.starts_with(cost_page))),
            "{cost_page} in {nav}"
        );
        browser.open(&app.url(cost_page)).await;
        browser.wait_for_text("Not allowed").await;
    }

    // A role change posted with their own session and CSRF token is refused, and changes nothing.
    browser.open(&app.url("/time")).await;
    let csrf = browser.js("return document.querySelector('input[name=csrf]').value;", vec![]).await;
    let owner_id = app.store.users().await.unwrap().iter().find(|u| u.role == Role::Owner).unwrap().id;
    let refused = reqwest::Client::new()
        .post(app.url(&format!("/users/{owner_id}/role")))
        .header("cookie", browser.cookie_header().await)
        .header("origin", &app.base)
        .form(&[("role", "customer_service"), ("csrf", csrf.as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), reqwest::StatusCode::FORBIDDEN);
    let roles: Vec<Role> = app.store.users().await.unwrap().iter().map(|u| u.role).collect();
    assert!(roles.contains(&Role::Owner), "the owner is still the owner: {roles:?}");
}
