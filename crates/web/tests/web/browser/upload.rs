//! The owner uploads a real platform export on the Imports page in the browser and sees it imported, with the
//! rows per table: `GET /imports` has a form with `input[type=file][name=file]` and a submit button; the page after
//! the upload, after reloading itself while the background import runs, says "Imported" with counts per table.

use super::driver::Browser;
use super::pages::screenshot;
use super::sign_in;
use crate::support::on_both;
use fantoccini::Locator;
use socialledger_domain::Role;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "flaky: passed in one full run, failed in the next at `its posts are stored` after the page said \
            Imported; to be investigated (issue 16); the upload itself is tested over HTTP in tests/web/imports.rs"]
async fn owner_uploads_a_real_export_in_the_browser() {
    socialledger_testkit::needs_shared_data!();
    let Some(browser) = Browser::take().await else { return };
    let browser = Arc::new(browser);
    let export = socialledger_testkit::shared_data()
        .unwrap()
        .join("exports/linkedin/doorly_content_1774355108388.xls")
        .canonicalize()
        .expect("the LinkedIn content export is in ../shared/data/exports/linkedin");
    on_both("browser_upload", move |app| {
        let (browser, export) = (browser.clone(), export.clone());
        async move {
            app.add_user("owner@example.com", "Olga", Role::Owner).await;
            sign_in(&browser, &app, "owner@example.com").await;
            browser.open(&app.url("/imports")).await;
            let input = browser
                .client
                .wait()
                .for_element(Locator::Css("input[type=file][name=file]"))
                .await
                .expect("the Imports page has a file field");
            // WebDriver's way to choose a file: its path typed into the field.
            input.send_keys(&export.display().to_string()).await.unwrap();
            browser.click_and_wait("form:has(input[type=file][name=file]) [type=submit]").await;
            browser.wait_for_text("Imported").await;
            screenshot(&browser, "owner-imported-laptop").await;
            let imports = app.store.imports().await.unwrap();
            let name = export.file_name().unwrap().to_string_lossy().into_owned();
            assert!(imports.iter().any(|i| i.file_name == name), "the upload is recorded: {imports:?}");
            assert!(app.store.posts_with_metrics().await.unwrap().posts.len() > 10, "its posts are stored");
            let text = browser.text().await;
            assert!(text.contains(&name), "the page names the file:\n{text}");
            assert!(text.contains("posts"), "the page counts the posts:\n{text}");
        }
    })
    .await;
}
