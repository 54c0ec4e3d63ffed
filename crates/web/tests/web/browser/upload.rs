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
            let text = browser.text().await;
            // The file's own sizes (../shared/data/exports/MANIFEST.md): sheet `All posts` 3 rows, `Metrics` 90 days.
            let stored = app.store.load().await.unwrap();
            assert_eq!(stored.posts.len(), 3, "the 3 posts of sheet `All posts` are stored; page:\n{text}");
            assert_eq!(stored.channel_days.len(), 90, "the 90 days of sheet `Metrics` are stored");
            assert!(text.contains(&name), "the page names the file:\n{text}");
            // The counts table: table, records, new, changed, unchanged, duplicates.
            assert!(text.contains("posts\t3\t3\t0\t0\t0"), "the page counts the 3 new posts:\n{text}");
            assert!(text.contains("channel_days\t90\t90\t0\t0\t0"), "and the 90 new days:\n{text}");
        }
    })
    .await;
}
