//! Texts from exports and from people are hostile: in the browser, a post text with `<script>`, `onerror=` and
//! `onload=` payloads and a user's name with markup are shown as the literal text and never run (the page's title
//! stays, no dialog opens, no element of theirs is in the page), and the long unbroken text does not push the
//! Posts page past a phone's screen.

use super::driver::{Browser, PHONE};
use super::pages::{assert_fits, screenshot};
use super::sign_in;
use crate::overview::import;
use socialledger_demo::{simulate, DemoConfig};
use socialledger_domain::Role;

/// Each would change the title or open a dialog if it ran.
const PAYLOADS: &[&str] = &[
    r#"<img src=x onerror="document.title='pwned'">"#,
    "<script>document.title='pwned'</script>",
    "<svg onload=alert('pwned')></svg>",
    r#""><iframe src="javascript:alert('pwned')"></iframe>"#,
];

/// What the page holds that a payload would have added, had it been parsed as markup.
const INJECTED: &str = "return document.scripts.length + document.querySelectorAll('img, iframe, svg [onload], \
                        [onerror], [onload], a[href^=javascript]').length;";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_texts_are_shown_as_text_and_never_run() {
    let Some(browser) = Browser::take().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("socialledger.db").display().to_string();
    let app =
        socialledger_web::Application::build(socialledger_web::WebConfig::new(&file, "127.0.0.1:0")).await.unwrap();
    let test_app =
        crate::support::TestApp { base: app.base_url().to_string(), store: app.store().clone(), setup_url: None };
    let server = tokio::spawn(app.run_until_stopped());
    let app = test_app;

    // The demo's channels, and posts of the first one whose texts are the payloads (a canonical posts file,
    // imported as `socialledger import` does).
    let sim = simulate(&DemoConfig { accounts: 10, months: 1, ..DemoConfig::default() });
    let files = sim.write_csv(dir.path()).unwrap();
    let channels =
        files.iter().find(|f| f.file_name().unwrap() == "channels.csv").expect("the demo writes channels.csv");
    import(&app.store, &[channels]).await;
    let keys: Vec<String> = app.store.channels().await.unwrap().into_iter().map(|c| c.key).collect();
    let key = keys.iter().find(|k| *k == "linkedin").unwrap_or(&keys[0]).clone();
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["channel", "post_id", "published_at", "text", "url", "metrics_date", "impressions", "reactions"])
        .unwrap();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let long = format!("{payload} {}", "x".repeat(120));
        let text = if i == 0 { long.as_str() } else { payload };
        let url = if i == 1 { "javascript:alert('pwned')" } else { "" };
        csv.write_record([
            key.as_str(),
            &format!("hostile-{i}"),
            "2026-11-02T09:00:00Z",
            text,
            url,
            "2026-11-30",
            "100",
            "5",
        ])
        .unwrap();
    }
    let posts = dir.path().join("hostile_posts.csv");
    std::fs::write(&posts, csv.into_inner().unwrap()).unwrap();
    import(&app.store, &[&posts]).await;

    app.add_user("owner@example.com", "Olga", Role::Owner).await;
    sign_in(&browser, &app, "owner@example.com").await;
    browser.open(&app.url("/posts")).await;
    browser.wait_for_text(PAYLOADS[1]).await;
    let text = browser.text().await;
    for payload in PAYLOADS {
        assert!(text.contains(payload), "the page does not show {payload:?} as text:\n{text}");
    }
    let title = browser.client.title().await.unwrap();
    assert!(title.contains("Posts") && !title.contains("pwned"), "the title changed: {title:?}");
    browser.assert_no_dialog().await;
    assert_eq!(browser.js(INJECTED, vec![]).await, 0, "markup of a post text reached the page");
    screenshot(&browser, "sqlite-owner-hostile-posts-laptop").await;
    browser.screen(PHONE).await;
    assert_fits(&browser, "/posts with long hostile texts", PHONE).await;
    screenshot(&browser, "sqlite-owner-hostile-posts-phone").await;

    // A name with markup, typed into the Users page's form, on the Users page and in the audit log.
    browser.open(&app.url("/users")).await;
    let name = [PAYLOADS[0], PAYLOADS[1]].concat();
    browser.fill("form[action='/users'] input[name=email]", "mallory@example.com").await;
    browser.fill("form[action='/users'] input[name=name]", &name).await;
    browser.click_and_wait("form[action='/users'] button[type=submit]").await;
    // The audit log shows the user as JSON: the name with its quotes escaped.
    let as_json = serde_json::to_string(&name).unwrap();
    for (path, shown) in [("/users", name.as_str()), ("/audit", &as_json[1..as_json.len() - 1])] {
        browser.open(&app.url(path)).await;
        let text = browser.text().await;
        assert!(text.contains(shown), "{path} does not show the name as text:\n{text}");
        let title = browser.client.title().await.unwrap();
        assert!(!title.contains("pwned"), "{path}: the title changed: {title:?}");
        browser.assert_no_dialog().await;
        assert_eq!(browser.js(INJECTED, vec![]).await, 0, "{path}: markup of a name reached the page");
    }

    server.abort();
    let _ = server.await;
    app.store.close().await;
}
