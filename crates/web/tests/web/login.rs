//! Signing in and out: a right and a wrong password, the rate limit, and signing out everywhere.

use crate::support::{location, on_both, PASSWORD};
use reqwest::StatusCode;
use socialledger_domain::Role;

#[tokio::test]
async fn a_login_works_with_the_right_password_only() {
    on_both("login_password", |app| async move {
        app.add_user("ana@example.com", "Ana", Role::Analyst).await;
        let browser = app.client();
        let wrong = app.login(&browser, "ana@example.com", "not the password").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert!(wrong.text().await.unwrap().contains("Wrong e-mail address or password"));
        let unknown = app.login(&browser, "nobody@example.com", PASSWORD).await;
        assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
        let anonymous = app.get(&browser, "/").await;
        assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&anonymous), "/login?next=%2F");

        let right = app.login(&browser, "ANA@example.com", PASSWORD).await;
        assert_eq!(right.status(), StatusCode::SEE_OTHER);
        let cookie = right.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
        assert!(cookie.starts_with("sl_session="), "{cookie}");
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
        }
        assert!(!cookie.contains("Secure"), "plain http: no Secure flag");
        let token = cookie["sl_session=".len()..cookie.find(';').unwrap()].to_string();
        assert_eq!(token.len(), 64);
        assert_eq!(app.get(&browser, "/").await.status(), StatusCode::OK);

        // The database keeps the token's hash, never the token.
        let stored = app.store.session(&token, chrono::Utc::now()).await.unwrap();
        assert!(stored.is_none(), "a session is not found by its raw token");

        let csrf = app.session_csrf(&browser).await;
        let out = app.post(&browser, "/logout", &[("csrf", &csrf)]).await;
        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.get(&browser, "/").await.status(), StatusCode::SEE_OTHER, "signed out");
    })
    .await;
}

#[tokio::test]
async fn too_many_failures_are_refused_with_429() {
    on_both("login_rate_limit", |app| async move {
        app.add_user("ana@example.com", "Ana", Role::Viewer).await;
        let browser = app.client();
        for _ in 0..5 {
            assert_eq!(
                app.login(&browser, "ana@example.com", "wrong password").await.status(),
                StatusCode::UNAUTHORIZED
            );
        }
        // Now even the right password is refused, from any browser: the count is in the database.
        let limited = app.login(&app.client(), "ana@example.com", PASSWORD).await;
        assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(limited.headers().get("retry-after").unwrap(), "900");
        assert!(limited.text().await.unwrap().contains("Too many failed sign-ins"));
        // Another address from the same client still gets in (5 per address, 20 per client).
        app.add_user("ben@example.com", "Ben", Role::Viewer).await;
        assert_eq!(app.login(&app.client(), "ben@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn logout_everywhere_ends_the_other_sessions() {
    on_both("logout_everywhere", |app| async move {
        let id = app.add_user("ana@example.com", "Ana", Role::Editor).await;
        let (laptop, phone) = (app.client(), app.client());
        let csrf = app.signed_in(&laptop, "ana@example.com").await;
        app.signed_in(&phone, "ana@example.com").await;
        assert_eq!(app.get(&phone, "/").await.status(), StatusCode::OK);
        let out = app.post(&laptop, "/logout-everywhere", &[("csrf", &csrf)]).await;
        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.get(&phone, "/").await.status(), StatusCode::SEE_OTHER, "the phone's session ended");
        assert_eq!(app.get(&laptop, "/").await.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.get(&phone, "/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
        let entry = &app.store.audit_log(Some(1)).await.unwrap()[0];
        assert_eq!((entry.action.as_str(), entry.actor_id), ("user.logout_everywhere", Some(id)));
    })
    .await;
}
