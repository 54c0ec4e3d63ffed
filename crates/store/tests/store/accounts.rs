//! Accounts of the web app and the audit log (migration 0005): users, one-time links, sessions, failed logins,
//! and the audit entries every change writes in its own transaction.

use crate::support::on_both;
use chrono::{Duration, TimeZone, Utc};
use socialledger_domain::{Role, Timestamp};
use socialledger_store::{AuditAction, LinkPurpose, NewSession, NewUser, OneTimeLink, StoreError};

fn at(minute: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, minute, 0).unwrap()
}

fn new_user(email: &str, role: Role) -> NewUser {
    NewUser {
        email: email.into(),
        display_name: format!("Name of {email}"),
        role,
        password_hash: Some("$argon2id$x".into()),
    }
}

#[tokio::test]
async fn setup_link_creates_the_first_owner_once() {
    on_both("accounts_setup", |db| async move {
        let store = db.open().await;
        assert_eq!(store.user_count().await.unwrap(), 0);
        let link = OneTimeLink { token_hash: "h-setup".into(), expires_at: at(30) };
        store.issue_setup_link(&link, at(0)).await.unwrap();
        assert_eq!(store.link_purpose("h-setup", at(1)).await.unwrap(), Some(LinkPurpose::Setup));
        assert_eq!(store.link_purpose("h-setup", at(31)).await.unwrap(), None, "expired");
        assert_eq!(store.link_purpose("other", at(1)).await.unwrap(), None);
        // The role asked for is ignored: the setup link makes an owner.
        let owner = store.complete_setup("h-setup", &new_user(" Ana@Example.com ", Role::Viewer), at(2)).await.unwrap();
        let owner = owner.expect("the link works once");
        assert_eq!((owner.email.as_str(), owner.role), ("ana@example.com", Role::Owner));
        assert!(store
            .complete_setup("h-setup", &new_user("eve@example.com", Role::Owner), at(3))
            .await
            .unwrap()
            .is_none());
        assert_eq!(store.user_count().await.unwrap(), 1);
        let log = store.audit_log(None).await.unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, [AuditAction::SetupOwnerCreated.as_str(), AuditAction::SetupLinkIssued.as_str()]);
        assert_eq!(log[0].actor_email.as_deref(), Some("ana@example.com"));
        assert!(!log[0].after.as_deref().unwrap().contains("argon2"), "no password hash in the log");
    })
    .await;
}

#[tokio::test]
async fn users_roles_and_disabling_are_audited_with_before_and_after() {
    on_both("accounts_users", |db| async move {
        let store = db.open().await;
        let owner = store.create_user(&new_user("owner@example.com", Role::Owner), None, None, at(0)).await.unwrap();
        let link = OneTimeLink { token_hash: "h-invite".into(), expires_at: at(50) };
        let mut invited = new_user("cs@example.com", Role::CustomerService);
        invited.password_hash = None;
        let cs = store.create_user(&invited, Some(&link), Some(owner.id), at(1)).await.unwrap();
        assert!(!cs.has_password);
        let taken = store.create_user(&new_user("CS@example.com", Role::Viewer), None, None, at(2)).await;
        assert!(matches!(taken, Err(StoreError::EmailTaken { .. })), "{taken:?}");

        assert_eq!(
            store.link_purpose("h-invite", at(3)).await.unwrap(),
            Some(LinkPurpose::SetPassword { user_id: cs.id })
        );
        let set = store.complete_password_link("h-invite", "$argon2id$new", at(4)).await.unwrap().unwrap();
        assert!(set.has_password);
        assert!(store.complete_password_link("h-invite", "$argon2id$again", at(5)).await.unwrap().is_none());
        let (_, hash) = store.user_credentials("cs@example.com").await.unwrap().unwrap();
        assert_eq!(hash.as_deref(), Some("$argon2id$new"));

        let changed = store.set_user_role(cs.id, Role::Pr, Some(owner.id), at(6)).await.unwrap().unwrap();
        assert_eq!(changed.role, Role::Pr);
        store
            .create_session(
                &NewSession { id_hash: "s-cs".into(), user_id: cs.id, csrf_token: "c".into(), expires_at: at(59) },
                at(6),
            )
            .await
            .unwrap();
        let disabled = store.set_user_disabled(cs.id, true, Some(owner.id), at(7)).await.unwrap().unwrap();
        assert!(disabled.disabled);
        assert!(store.session("s-cs", at(8)).await.unwrap().is_none(), "disabling ends the sessions");
        assert!(store.set_user_role(9999, Role::Pr, None, at(9)).await.unwrap().is_none());

        let log = store.audit_log(None).await.unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["user.disabled", "user.role_changed", "user.password_set", "user.created", "user.created"],
            "newest first; the refused and missing changes wrote nothing"
        );
        let role_change = &log[1];
        assert_eq!(role_change.actor_id, Some(owner.id));
        assert_eq!(role_change.object, format!("user:{}", cs.id));
        let before: serde_json::Value = serde_json::from_str(role_change.before.as_deref().unwrap()).unwrap();
        let after: serde_json::Value = serde_json::from_str(role_change.after.as_deref().unwrap()).unwrap();
        assert_eq!((before["role"].as_str(), after["role"].as_str()), (Some("customer_service"), Some("pr")));
        assert_eq!(log[4].actor_id, None, "added from the command line");
        assert_eq!(store.audit_log(Some(2)).await.unwrap().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn sessions_expire_and_end_everywhere() {
    on_both("accounts_sessions", |db| async move {
        let store = db.open().await;
        let user = store.create_user(&new_user("a@example.com", Role::Analyst), None, None, at(0)).await.unwrap();
        for id in ["s1", "s2"] {
            let s = NewSession {
                id_hash: id.into(),
                user_id: user.id,
                csrf_token: format!("csrf-{id}"),
                expires_at: at(30),
            };
            store.create_session(&s, at(1)).await.unwrap();
        }
        let s1 = store.session("s1", at(2)).await.unwrap().unwrap();
        assert_eq!((s1.user.id, s1.csrf_token.as_str(), s1.last_seen), (user.id, "csrf-s1", at(1)));
        store.touch_session("s1", at(3)).await.unwrap();
        assert_eq!(store.session("s1", at(4)).await.unwrap().unwrap().last_seen, at(3));
        assert!(store.session("s1", at(30)).await.unwrap().is_none(), "expired");
        store.delete_session("s1").await.unwrap();
        assert!(store.session("s1", at(4)).await.unwrap().is_none());
        assert_eq!(store.delete_sessions_of(user.id, Some(user.id), at(5)).await.unwrap(), 1);
        assert!(store.session("s2", at(6)).await.unwrap().is_none());
        assert_eq!(store.audit_log(Some(1)).await.unwrap()[0].action, "user.logout_everywhere");
    })
    .await;
}

#[tokio::test]
async fn failed_logins_are_counted_in_their_window() {
    on_both("accounts_failures", |db| async move {
        let store = db.open().await;
        let window = Duration::minutes(15);
        for minute in [0, 10, 20] {
            store.record_login_failure("A@example.com", "10.0.0.1", at(minute), at(minute) - window).await.unwrap();
        }
        store.record_login_failure("b@example.com", "10.0.0.1", at(21), at(21) - window).await.unwrap();
        let f = store.login_failures("a@example.com", "10.0.0.1", at(21) - window).await.unwrap();
        assert_eq!((f.by_email, f.by_ip), (2, 3), "the failure at minute 0 is outside the window");
        store.clear_login_failures("a@example.com").await.unwrap();
        let f = store.login_failures("a@example.com", "10.0.0.1", at(21) - window).await.unwrap();
        assert_eq!((f.by_email, f.by_ip), (0, 1));
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_is_append_only() {
    on_both("accounts_audit_append_only", |db| async move {
        let store = db.open().await;
        store.create_user(&new_user("a@example.com", Role::Viewer), None, None, at(0)).await.unwrap();
        let location = db.location.clone();
        // Even a client that bypasses the store cannot rewrite history: the database refuses it.
        sqlx::any::install_default_drivers();
        let url =
            if db.backend == socialledger_store::Backend::Sqlite { format!("sqlite://{location}") } else { location };
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url).await.unwrap();
        let update = sqlx::query("UPDATE audit_log SET action = 'forged'").execute(&mut conn).await;
        assert!(update.is_err(), "UPDATE must be refused");
        let delete = sqlx::query("DELETE FROM audit_log").execute(&mut conn).await;
        assert!(delete.is_err(), "DELETE must be refused");
        assert_eq!(store.audit_log(None).await.unwrap().len(), 1);
    })
    .await;
}
