//! CSRF: a state-changing request without the form's token, with a wrong one, or from another origin is refused
//! with 403 and changes nothing; with the token it works.

use crate::support::on_both;
use reqwest::StatusCode;
use socialledger_domain::Role;

#[tokio::test]
async fn posts_need_the_sessions_token_and_this_origin() {
    on_both("csrf_session", |app| async move {
        app.add_user("owner@example.com", "Olga", Role::Owner).await;
        let browser = app.client();
        let csrf = app.signed_in(&browser, "owner@example.com").await;
        let users_before = app.store.users().await.unwrap().len();

        let no_token = [("email", "new@example.com"), ("name", "New"), ("role", "viewer")];
        let without = app.post(&browser, "/users", &no_token).await;
        assert_eq!(without.status(), StatusCode::FORBIDDEN);
        assert!(without.text().await.unwrap().contains("CSRF"));
        let short = [("email", "new@example.com"), ("name", "New"), ("role", "viewer"), ("csrf", "0123")];
        assert_eq!(app.post(&browser, "/users", &short).await.status(), StatusCode::FORBIDDEN);
        let wrong = "f".repeat(64);
        let wrong_form = [("email", "new@example.com"), ("name", "New"), ("role", "viewer"), ("csrf", &wrong)];
        assert_eq!(app.post(&browser, "/users", &wrong_form).await.status(), StatusCode::FORBIDDEN);

        let right = [("email", "new@example.com"), ("name", "New"), ("role", "viewer"), ("csrf", &csrf)];
        let elsewhere =
            browser.post(app.url("/users")).header("origin", "https://evil.example").form(&right).send().await.unwrap();
        assert_eq!(elsewhere.status(), StatusCode::FORBIDDEN, "another site's page cannot post");
        assert_eq!(app.store.users().await.unwrap().len(), users_before, "nothing was added");

        let ok = app.post(&browser, "/users", &right).await;
        assert_eq!(ok.status(), StatusCode::OK);
        assert!(ok.text().await.unwrap().contains("/invite/"), "the page shows the set-password link");
        assert_eq!(app.store.users().await.unwrap().len(), users_before + 1);
    })
    .await;
}

#[tokio::test]
async fn the_login_form_needs_its_pre_session_token() {
    on_both("csrf_login", |app| async move {
        app.add_user("ana@example.com", "Ana", Role::Viewer).await;
        let browser = app.client();
        let password = crate::support::PASSWORD;
        // No GET /login first: no sl_csrf cookie, so the token cannot match.
        let blind = [("email", "ana@example.com"), ("password", password), ("csrf", "x")];
        assert_eq!(app.post(&browser, "/login", &blind).await.status(), StatusCode::FORBIDDEN);
        let csrf = app.csrf_of(&browser, "/login").await;
        let forged = [("email", "ana@example.com"), ("password", password), ("csrf", "0")];
        assert_eq!(app.post(&browser, "/login", &forged).await.status(), StatusCode::FORBIDDEN);
        let ok = [("email", "ana@example.com"), ("password", password), ("csrf", &csrf)];
        assert_eq!(app.post(&browser, "/login", &ok).await.status(), StatusCode::SEE_OTHER);
    })
    .await;
}
