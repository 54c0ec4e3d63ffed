//! People management over HTTP: an added user's one-time link sets their password once and signs them in with
//! their role; a manager cannot grant the owner role or touch an owner; role changes and disabling are audited.

use crate::support::{csrf_in, location, on_both, PASSWORD};
use reqwest::StatusCode;
use socialledger_domain::Role;

#[tokio::test]
async fn an_invited_user_sets_their_password_once_and_gets_their_role() {
    on_both("users_invite", |app| async move {
        app.add_user("owner@example.com", "Olga", Role::Owner).await;
        let owner = app.client();
        let csrf = app.signed_in(&owner, "owner@example.com").await;
        let form = [("email", "cs@example.com"), ("name", "Carla"), ("role", "customer_service"), ("csrf", &csrf)];
        let added = app.post(&owner, "/users", &form).await;
        assert_eq!(added.status(), StatusCode::OK);
        let page = added.text().await.unwrap();
        let at = page.find(&format!("{}/invite/", app.base)).expect("the page shows the link");
        let link = &page[at..at + app.base.len() + "/invite/".len() + 64];
        let path = link.strip_prefix(&app.base).unwrap().to_string();
        let again = app.post(&owner, "/users", &form).await;
        assert_eq!(again.status(), StatusCode::CONFLICT, "the address is taken");

        let carla = app.client();
        let invite = app.get(&carla, &path).await;
        assert_eq!(invite.status(), StatusCode::OK);
        let token = csrf_in(&invite.text().await.unwrap());
        let set = app.post(&carla, &path, &[("password", PASSWORD), ("csrf", &token)]).await;
        assert_eq!(set.status(), StatusCode::SEE_OTHER);
        let me: serde_json::Value = app.get(&carla, "/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["role"], "customer_service");
        assert_eq!(app.get(&carla, "/users").await.status(), StatusCode::FORBIDDEN, "not for customer service");
        assert_eq!(app.get(&carla, "/audit").await.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.get(&app.client(), &path).await.status(), StatusCode::GONE, "the link works once");
        assert_eq!(app.login(&app.client(), "cs@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn managers_cannot_make_owners_and_changes_are_audited() {
    on_both("users_manager", |app| async move {
        let owner_id = app.add_user("owner@example.com", "Olga", Role::Owner).await;
        let manager_id = app.add_user("manager@example.com", "Mia", Role::Manager).await;
        let viewer_id = app.add_user("viewer@example.com", "Vic", Role::Viewer).await;
        let manager = app.client();
        let csrf = app.signed_in(&manager, "manager@example.com").await;

        let promote =
            app.post(&manager, &format!("/users/{viewer_id}/role"), &[("role", "owner"), ("csrf", &csrf)]).await;
        assert_eq!(promote.status(), StatusCode::FORBIDDEN);
        let demote =
            app.post(&manager, &format!("/users/{owner_id}/role"), &[("role", "viewer"), ("csrf", &csrf)]).await;
        assert_eq!(demote.status(), StatusCode::FORBIDDEN);
        let disable_owner =
            app.post(&manager, &format!("/users/{owner_id}/status"), &[("disabled", "true"), ("csrf", &csrf)]).await;
        assert_eq!(disable_owner.status(), StatusCode::FORBIDDEN);
        let own =
            app.post(&manager, &format!("/users/{manager_id}/role"), &[("role", "analyst"), ("csrf", &csrf)]).await;
        assert_eq!(own.status(), StatusCode::FORBIDDEN, "nobody changes their own role");

        let viewer = app.client();
        app.signed_in(&viewer, "viewer@example.com").await;
        let change = app.post(&manager, &format!("/users/{viewer_id}/role"), &[("role", "pr"), ("csrf", &csrf)]).await;
        assert_eq!((change.status(), location(&change)), (StatusCode::SEE_OTHER, "/users"));
        let disable =
            app.post(&manager, &format!("/users/{viewer_id}/status"), &[("disabled", "true"), ("csrf", &csrf)]).await;
        assert_eq!(disable.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.get(&viewer, "/").await.status(), StatusCode::SEE_OTHER, "disabling ends their session");
        assert_eq!(app.login(&app.client(), "viewer@example.com", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);

        let log = app.store.audit_log(Some(2)).await.unwrap();
        assert_eq!((log[0].action.as_str(), log[0].actor_id), ("user.disabled", Some(manager_id)));
        assert_eq!(log[1].action, "user.role_changed");
        assert!(log[1].before.as_deref().unwrap().contains("\"viewer\""));
        assert!(log[1].after.as_deref().unwrap().contains("\"pr\""));
        let users = app.store.users().await.unwrap();
        assert!(users.iter().any(|u| u.role == Role::Owner && !u.disabled), "the owner is untouched");
    })
    .await;
}
