//! Issue 16, the external reviewer's shared view: the owner makes a time-limited share link for chosen pages (its
//! token shown once, stored hashed); the link opens those pages read-only without an account, the Overview
//! without costs unless Costs is shared; pages it does not share are 404, the staff's pages and the API stay
//! closed; revoking (and expiry) ends it with 410; making and revoking are audited. Only the owner makes links.

use crate::overview::{current_page, demo, import};
use crate::support::{on_both, TestApp};
use reqwest::{Client, StatusCode};
use socialledger_demo::simulate;
use socialledger_domain::Role;
use socialledger_store::NewShareLink;
use std::time::Duration;

/// The link a 201 answer to `POST /shares` shows once.
fn shown_url(html: &str) -> String {
    let start = html.find("class=\"share-url\">").expect("the link is shown") + "class=\"share-url\">".len();
    html[start..start + html[start..].find('<').unwrap()].to_string()
}

/// `path` of the shared view, once its stored report is current.
async fn shared_page(app: &TestApp, client: &Client, path: &str) -> String {
    for _ in 0..1200 {
        let response = app.get(client, path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = response.text().await.unwrap();
        if !html.contains("recomputing") && html.contains("computed-at") {
            return html;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{path}: the stored report was not computed within five minutes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_share_links_open_only_what_they_share() {
    on_both("web_shares", |app| async move {
        let dir = tempfile::tempdir().unwrap();
        import(&app.store, &simulate(&demo()).write_csv(dir.path()).unwrap()).await;
        app.add_user("owner@example.com", "Owner", Role::Owner).await;
        app.add_user("mia@example.com", "Mia", Role::Manager).await;
        let owner = app.client();
        let csrf = app.signed_in(&owner, "owner@example.com").await;
        let overview = current_page(&app, &owner, "/overview").await;
        assert!(overview.contains("data-cost-minor"));

        // Bad forms: 422 with what to correct, nothing made.
        let none = app.post(&owner, "/shares", &[("label", "auditor"), ("days", "7"), ("csrf", &csrf)]).await;
        assert_eq!(none.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(none.text().await.unwrap().contains("choose at least one page"));
        let long = [("label", "auditor"), ("page", "overview"), ("days", "31"), ("csrf", &csrf)];
        let long = app.post(&owner, "/shares", &long).await;
        assert_eq!(long.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(long.text().await.unwrap().contains("from 1 to 30"));
        let odd = [("label", "auditor"), ("page", "<script>users</script>"), ("days", "3"), ("csrf", &csrf)];
        let odd = app.post(&owner, "/shares", &odd).await.text().await.unwrap();
        assert!(odd.contains("&lt;script&gt;users") && !odd.contains("<script>users"));
        assert!(app.store.share_links().await.unwrap().is_empty());
        // Without the CSRF token: refused.
        let forged = app.post(&owner, "/shares", &[("label", "x"), ("page", "overview"), ("days", "3")]).await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);

        // Overview and Channels for 7 days: the link is shown once, its hash stored, the making audited.
        let form = [
            ("label", "Auditor <i>Q4</i>"),
            ("page", "overview"),
            ("page", "channels"),
            ("days", "7"),
            ("csrf", csrf.as_str()),
        ];
        let made = app.post(&owner, "/shares", &form).await;
        assert_eq!(made.status(), StatusCode::CREATED);
        let made = made.text().await.unwrap();
        assert!(made.contains("Auditor &lt;i&gt;Q4&lt;/i&gt;"));
        let url = shown_url(&made);
        let token = url.rsplit('/').next().unwrap().to_string();
        assert_eq!(token.len(), 64);
        let listed = app.get(&owner, "/shares").await.text().await.unwrap();
        assert!(!listed.contains(&token), "the token is shown only once");
        let link = app.store.share_links().await.unwrap().remove(0);
        assert_eq!(link.pages, ["overview", "channels"]);
        let days = (link.expires_at - link.created_at).num_hours();
        assert_eq!(days, 7 * 24);
        let log = app.store.audit_log(None).await.unwrap();
        let created = log.iter().find(|e| e.action == "share_link.created").expect("audited");
        assert_eq!(created.actor_email.as_deref(), Some("owner@example.com"));
        assert!(!created.after.as_deref().unwrap().contains(&token));

        // The reviewer: no account, no cookie; the shared pages open, the Overview without costs.
        let reviewer = app.client();
        let home = app.get(&reviewer, &format!("/shared/{token}")).await;
        assert_eq!(home.status(), StatusCode::OK);
        assert!(home.headers().get("set-cookie").is_none(), "the view starts no session");
        let home = home.text().await.unwrap();
        assert!(
            home.contains(&format!("/shared/{token}/overview")) && !home.contains(&format!("/shared/{token}/costs"))
        );
        let shared = shared_page(&app, &reviewer, &format!("/shared/{token}/overview")).await;
        assert!(shared.contains("data-verdict="), "the verdicts are shared");
        assert!(!shared.contains("data-cost-minor") && !shared.contains("Full cost"), "no costs: {shared}");
        assert!(!shared.contains("method=\"post\""), "the view has no forms that change anything");
        let channels = shared_page(&app, &reviewer, &format!("/shared/{token}/channels")).await;
        assert!(channels.contains("Engagement rate by impressions") && !channels.contains("/export/"));
        // What it does not share: 404; the staff's pages and the API: not without signing in.
        let costs = app.get(&reviewer, &format!("/shared/{token}/costs")).await;
        assert_eq!(costs.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&reviewer, &format!("/shared/{token}/users")).await.status(), StatusCode::NOT_FOUND);
        for path in ["/overview", "/channels/costs", "/users", "/audit", "/settings"] {
            let r = app.get(&reviewer, path).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        }
        assert_eq!(app.get(&reviewer, "/api/v1/report").await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(app.get(&reviewer, "/export/costs.csv").await.status(), StatusCode::SEE_OTHER);
        // A guessed token is no link.
        let guessed = format!("/shared/{}/overview", "a".repeat(64));
        assert_eq!(app.get(&reviewer, &guessed).await.status(), StatusCode::GONE);

        // A link that shares costs shows them, on the Overview too.
        let with_costs = [("label", "board"), ("page", "overview"), ("page", "costs"), ("days", "1"), ("csrf", &csrf)];
        let made = app.post(&owner, "/shares", &with_costs).await.text().await.unwrap();
        let costly = shown_url(&made).rsplit('/').next().unwrap().to_string();
        let shared = shared_page(&app, &reviewer, &format!("/shared/{costly}/overview")).await;
        assert!(shared.contains("data-cost-minor"));
        let costs = shared_page(&app, &reviewer, &format!("/shared/{costly}/costs")).await;
        assert!(costs.contains("data-hours"));
        assert_eq!(app.get(&reviewer, &format!("/shared/{costly}/channels")).await.status(), StatusCode::NOT_FOUND);

        // Only the owner makes and revokes links.
        let mia = app.client();
        let mia_csrf = app.signed_in(&mia, "mia@example.com").await;
        assert_eq!(app.get(&mia, "/shares").await.status(), StatusCode::FORBIDDEN);
        let id = link.id.to_string();
        let revoke = format!("/shares/{id}/revoke");
        assert_eq!(app.post(&mia, &revoke, &[("csrf", mia_csrf.as_str())]).await.status(), StatusCode::FORBIDDEN);

        // Revoked: 410 at once, audited.
        assert_eq!(app.post(&owner, &revoke, &[("csrf", csrf.as_str())]).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.get(&reviewer, &format!("/shared/{token}/overview")).await.status(), StatusCode::GONE);
        assert_eq!(app.get(&reviewer, &format!("/shared/{token}")).await.status(), StatusCode::GONE);
        let log = app.store.audit_log(None).await.unwrap();
        let revoked = log.iter().find(|e| e.action == "share_link.revoked").expect("audited");
        assert!(revoked.after.as_deref().unwrap().contains("revoked_at"));
        assert_eq!(
            app.post(&owner, "/shares/999/revoke", &[("csrf", csrf.as_str())]).await.status(),
            StatusCode::NOT_FOUND
        );

        // Expired: 410 too (a link made to expire a second from now, through the store).
        let secret = "e".repeat(64);
        let now = chrono::Utc::now();
        let new = NewShareLink {
            label: "brief".into(),
            pages: vec!["channels".into()],
            token_hash: socialledger_web::tokens::token_hash(&secret),
            expires_at: now + chrono::Duration::seconds(1),
        };
        app.store.create_share_link(&new, None, now).await.unwrap();
        tokio::time::sleep(Duration::from_millis(1200)).await;
        assert_eq!(app.get(&reviewer, &format!("/shared/{secret}/channels")).await.status(), StatusCode::GONE);
    })
    .await;
}
