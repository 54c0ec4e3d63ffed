//! The Imports page (issue 16): uploading real exports over HTTP, their progress and counts, errors that name row
//! and column, the same file twice, undo, refusals, roles and escaping, on SQLite and PostgreSQL.

use crate::support::{location, on_both, TestApp};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use socialledger_domain::Role;
use std::path::PathBuf;
use std::time::Duration;

fn export(path: &str) -> PathBuf {
    socialledger_testkit::shared_data().expect("checked by needs_shared_data").join("exports").join(path)
}

const TWEETS: &str = "x/tweet_activity_metrics_rOpenSci_20190101_20190201_en.csv";

/// Posts the upload form with `bytes` as the file `name`; returns the response.
async fn upload(app: &TestApp, client: &Client, csrf: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = Form::new().text("csrf", csrf.to_string()).part("file", Part::bytes(bytes).file_name(name.to_string()));
    client.post(app.url("/imports")).multipart(form).send().await.unwrap()
}

/// Follows an upload to its outcome: the page at the redirect, reloaded while it says it reloads itself.
async fn outcome(app: &TestApp, client: &Client, response: reqwest::Response) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", response.text().await.unwrap());
    let to = location(&response).to_string();
    assert!(to.starts_with("/imports?job="), "{to}");
    for _ in 0..600 {
        let page = app.get(client, &to).await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        if !html.contains("http-equiv=\"refresh\"") {
            return html;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the upload did not finish within a minute");
}

/// The tweets export downloaded a month later: every tweet's impressions grew by one.
fn tweets_later() -> Vec<u8> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_path(export(TWEETS)).unwrap();
    let mut rows: Vec<Vec<String>> = rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let col = rows[0].iter().position(|h| h == "impressions").unwrap();
    for row in rows.iter_mut().skip(1) {
        let n: f64 = row[col].parse().unwrap();
        row[col] = format!("{}", n + 1.0);
    }
    let mut w = csv::WriterBuilder::new().quote_style(csv::QuoteStyle::Always).from_writer(Vec::new());
    for r in &rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

#[tokio::test]
async fn issue_16_upload_shows_counts_the_same_file_twice_and_undo() {
    socialledger_testkit::needs_shared_data!();
    on_both("imports_upload", |app| async move {
        app.add_user("owner@example.com", "Olga", Role::Owner).await;
        let client = app.client();
        let csrf = app.signed_in(&client, "owner@example.com").await;
        let page = app.get(&client, "/imports").await.text().await.unwrap();
        assert!(page.contains("enctype=\"multipart/form-data\"") && page.contains("type=\"file\" name=\"file\""));
        assert!(page.contains("href=\"/imports\""), "the navigation links the page");
        let fingerprint = app.store.data_fingerprint().await.unwrap();

        let bytes = std::fs::read(export(TWEETS)).unwrap();
        let html = outcome(&app, &client, upload(&app, &client, &csrf, "tweets.csv", bytes.clone()).await).await;
        assert!(html.contains("Imported tweets.csv as x-tweets (31 rows)"), "{html}");
        assert!(html.contains("<td>posts</td><td class=\"num\">31</td><td class=\"num\">31</td>"), "{html}");
        let imports = app.store.imports().await.unwrap();
        assert_eq!(imports.len(), 1);
        let id = imports[0].id;
        assert_eq!(app.store.load().await.unwrap().posts.len(), 31);
        assert_ne!(app.store.data_fingerprint().await.unwrap(), fingerprint, "the stored analyses are stale now");
        let log = app.store.audit_log(None).await.unwrap();
        assert!(log.iter().any(|e| e.action == "import.uploaded"
            && e.object == format!("import:{id}")
            && e.actor_email.as_deref() == Some("owner@example.com")));
        // The history names the file and who uploaded it.
        assert!(html.contains("<td>tweets.csv</td>") && html.contains("<td>owner@example.com</td>"), "{html}");

        // The same bytes again: already imported, nothing written.
        let html = outcome(&app, &client, upload(&app, &client, &csrf, "again.csv", bytes.clone()).await).await;
        assert!(html.contains(&format!("Already imported: the same file was imported as import {id}")), "{html}");
        assert_eq!(app.store.imports().await.unwrap().len(), 1);

        // Undo from the history's button.
        let page = app.get(&client, "/imports").await.text().await.unwrap();
        assert!(page.contains(&format!("action=\"/imports/{id}/undo\"")), "{page}");
        let done = app.post(&client, &format!("/imports/{id}/undo"), &[("csrf", &csrf)]).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&done), format!("/imports?undone={id}"));
        let page = app.get(&client, location(&done)).await.text().await.unwrap();
        assert!(page.contains(&format!("Import {id} was undone")) && page.contains("undone 20"), "{page}");
        assert!(app.store.load().await.unwrap().posts.is_empty());
        assert!(app.store.audit_log(None).await.unwrap().iter().any(|e| e.action == "import.undone"));

        // An undone file can be imported again.
        let html = outcome(&app, &client, upload(&app, &client, &csrf, "tweets.csv", bytes).await).await;
        assert!(html.contains("Imported tweets.csv"), "{html}");
        assert_eq!(app.store.load().await.unwrap().posts.len(), 31);
    })
    .await;
}

#[tokio::test]
async fn issue_16_a_broken_upload_names_row_and_column_escaped_and_writes_nothing() {
    socialledger_testkit::needs_shared_data!();
    on_both("imports_broken", |app| async move {
        app.add_user("manager@example.com", "Max", Role::Manager).await;
        let client = app.client();
        let csrf = app.signed_in(&client, "manager@example.com").await;
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_path(export(TWEETS)).unwrap();
        let mut rows: Vec<Vec<String>> =
            rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        let col = rows[0].iter().position(|h| h == "impressions").unwrap();
        rows[1][col] = "12x".into();
        let mut w = csv::WriterBuilder::new().quote_style(csv::QuoteStyle::Always).from_writer(Vec::new());
        for r in &rows {
            w.write_record(r).unwrap();
        }
        let html =
            outcome(&app, &client, upload(&app, &client, &csrf, "bad_tweets.csv", w.into_inner().unwrap()).await).await;
        assert!(html.contains("Not imported: bad_tweets.csv has errors"), "{html}");
        assert!(html.contains("bad_tweets.csv:") && html.contains(":impressions") && html.contains("12x"), "{html}");
        assert!(app.store.imports().await.unwrap().is_empty(), "a rejected file records no import");
        assert!(app.store.load().await.unwrap().posts.is_empty());

        // Markup in a file is shown as text.
        let evil = "channel,name,kind,network,handle\nevil,Evil,<script>alert(1)</script>,x,evil\n";
        let html = outcome(&app, &client, upload(&app, &client, &csrf, "channels.csv", evil.into()).await).await;
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        assert!(!html.contains("<script>alert(1)"), "{html}");
        assert!(app.store.channels().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn issue_16_undo_refused_while_a_later_import_changed_its_rows_and_roles() {
    socialledger_testkit::needs_shared_data!();
    on_both("imports_refused", |app| async move {
        app.add_user("owner@example.com", "Olga", Role::Owner).await;
        app.add_user("analyst@example.com", "Ana", Role::Analyst).await;
        app.add_user("viewer@example.com", "Vic", Role::Viewer).await;
        let client = app.client();
        let csrf = app.signed_in(&client, "owner@example.com").await;
        let first = std::fs::read(export(TWEETS)).unwrap();
        outcome(&app, &client, upload(&app, &client, &csrf, "tweets.csv", first).await).await;
        let html = outcome(&app, &client, upload(&app, &client, &csrf, "tweets_later.csv", tweets_later()).await).await;
        assert!(
            html.contains(
                "<td>post_metrics</td><td class=\"num\">31</td><td class=\"num\">0</td><td class=\"num\">31</td>"
            ),
            "the second file changes the 31 tweets' counters: {html}"
        );
        let imports = app.store.imports().await.unwrap();
        let (a, b) = (imports[0].id, imports[1].id);
        let refused = app.post(&client, &format!("/imports/{a}/undo"), &[("csrf", &csrf)]).await;
        assert_eq!(refused.status(), StatusCode::CONFLICT);
        let page = refused.text().await.unwrap();
        assert!(page.contains(&format!("undo import {b} first")), "{page}");
        assert!(app.store.imports().await.unwrap().iter().all(|i| i.undone_at.is_none()));

        // Analysts read the history but neither upload nor undo; viewers do not see it.
        let analyst = app.client();
        let analyst_csrf = app.signed_in(&analyst, "analyst@example.com").await;
        let page = app.get(&analyst, "/imports").await;
        assert_eq!(page.status(), StatusCode::OK);
        let page = page.text().await.unwrap();
        assert!(
            page.contains("<td>tweets_later.csv</td>") && !page.contains("type=\"file\"") && !page.contains("/undo")
        );
        let response = upload(&app, &analyst, &analyst_csrf, "tweets.csv", b"x".to_vec()).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let response = app.post(&analyst, &format!("/imports/{b}/undo"), &[("csrf", &analyst_csrf)]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let viewer = app.client();
        app.signed_in(&viewer, "viewer@example.com").await;
        assert_eq!(app.get(&viewer, "/imports").await.status(), StatusCode::FORBIDDEN);

        // An upload without the session's token is refused before anything is read.
        let response = upload(&app, &client, "0000", "tweets.csv", b"x".to_vec()).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.store.imports().await.unwrap().len(), 2);
    })
    .await;
}
