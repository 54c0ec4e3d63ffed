//! The first start: the setup link creates the owner once and is refused afterwards.

use crate::support::{csrf_in, location, on_both, PASSWORD};
use reqwest::StatusCode;

#[tokio::test]
async fn the_setup_link_creates_the_owner_once_and_signs_them_in() {
    on_both("setup_once", |app| async move {
        let url = app.setup_url.clone().expect("a database without users gets a setup link");
        let path = url.strip_prefix(&app.base).expect("the link points at the server").to_string();
        assert!(path.starts_with("/setup/") && path.len() == "/setup/".len() + 64, "{path}");
        let browser = app.client();
        let form = app.get(&browser, &path).await;
        assert_eq!(form.status(), StatusCode::OK);
        let csrf = csrf_in(&form.text().await.unwrap());

        let short = [("email", "ana@example.com"), ("name", "Ana"), ("password", "too short"), ("csrf", &csrf)];
        let refused = app.post(&browser, &path, &short).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.unwrap().contains("at least 12"));

        let fields = [("email", "ana@example.com"), ("name", "Ana Ruiz"), ("password", PASSWORD), ("csrf", &csrf)];
        let created = app.post(&browser, &path, &fields).await;
        assert_eq!(created.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&created), "/");
        let overview = app.get(&browser, "/").await;
        assert_eq!(overview.status(), StatusCode::OK, "signed in as the owner");
        let text = overview.text().await.unwrap();
        assert!(text.contains("Ana Ruiz") && text.contains("owner"));
        assert!(text.contains("No channels yet"), "an empty database says so, with no invented figures");

        // Once only: the form and the post are refused now, from any browser.
        let other = app.client();
        assert_eq!(app.get(&other, &path).await.status(), StatusCode::GONE);
        let csrf = app.csrf_of(&other, "/login").await;
        let again = [("email", "eve@example.com"), ("name", "Eve"), ("password", PASSWORD), ("csrf", &csrf)];
        assert_eq!(app.post(&other, &path, &again).await.status(), StatusCode::GONE);
        assert_eq!(app.store.user_count().await.unwrap(), 1);
        assert_eq!(app.get(&app.client(), "/setup/0000").await.status(), StatusCode::GONE);

        let log = app.store.audit_log(None).await.unwrap();
        assert_eq!(log[0].action, "setup.owner_created");
    })
    .await;
}
