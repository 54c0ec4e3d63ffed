//! Issue 16, the JSON API: personal access tokens (made once, hashed at rest, scoped, revocable, audited), the
//! same role checks for a token as for a session, no CSRF for bearer requests but still for cookies, pagination
//! from the store, post texts as JSON only, and cost figures only for the roles that see costs.

use crate::support::{on_both, TestApp};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use socialledger_domain::{Channel, ChannelKind, Dataset, MetricPeriod, Network, Post, PostMetrics, Role};
use socialledger_store::{ImportSource, NewApiToken, TokenScope};
use socialledger_web::tokens::api_token_hash;

/// A post text that must stay text: markup and a spreadsheet formula.
pub const HOSTILE: &str = "=HYPERLINK(\"http://evil.example\") <script>alert(1)</script><img src=x onerror=alert(2)>";

/// `n` channels (`ch0`..), each with one post and two metrics rows; the first post's text is [`HOSTILE`].
pub async fn seed(app: &TestApp, n: usize) {
    let mut data = Dataset::default();
    for i in 0..n {
        let key = format!("ch{i}");
        data.channels.push(Channel {
            key: key.clone(),
            name: format!("Channel {i}"),
            kind: ChannelKind::OrganicSocial,
            network: Some(Network::LinkedIn),
            handle: None,
            account: None,
        });
        data.posts.push(Post {
            channel: key.clone(),
            external_id: format!("p{i}"),
            published_at: None,
            post_type: None,
            text: Some(if i == 0 { HOSTILE.to_string() } else { format!("post {i}") }),
            url: None,
            author: Some(format!("@author{i}")),
            campaign: None,
            idea: None,
        });
        for (day, impressions) in [(1, 100 + i as i64), (2, 200 + i as i64)] {
            data.post_metrics.push(PostMetrics {
                channel: key.clone(),
                post_id: format!("p{i}"),
                date: chrono::NaiveDate::from_ymd_opt(2026, 11, day),
                period: Some(MetricPeriod::Lifetime),
                impressions: Some(impressions),
                engagements: Some(10),
                ..PostMetrics::default()
            });
        }
    }
    let source =
        ImportSource { file_name: "seed.csv".into(), format: "canonical".into(), content_hash: "seed".into(), rows: 1 };
    app.store.import(&source, &data, &|_, _| {}).await.unwrap();
}

/// A script's client: no cookies, no `Origin` header, no redirects followed.
pub fn script() -> Client {
    Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Makes a token through the `/tokens` form of a signed-in browser and returns its secret, as the page shows it.
pub async fn make_token(app: &TestApp, browser: &Client, csrf: &str, name: &str, scope: &str) -> String {
    let form = [("name", name), ("scope", scope), ("days", ""), ("csrf", csrf)];
    let response = app.post(browser, "/tokens", &form).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let html = response.text().await.unwrap();
    let start = html.find("<code class=\"secret\">").expect("the secret is shown") + "<code class=\"secret\">".len();
    html[start..start + html[start..].find('<').unwrap()].to_string()
}

async fn get_json(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    let response = script().get(app.url(path)).header(AUTHORIZATION, format!("Bearer {token}")).send().await.unwrap();
    let status = response.status();
    let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(content_type.starts_with("application/json"), "{path}: {content_type}");
    (status, response.json().await.unwrap())
}

async fn post_json(app: &TestApp, token: &str, path: &str, body: &Value) -> (StatusCode, Value) {
    let response =
        script().post(app.url(path)).header(AUTHORIZATION, format!("Bearer {token}")).json(body).send().await.unwrap();
    (response.status(), response.json().await.unwrap_or(Value::Null))
}

fn entry() -> Value {
    json!({ "channel": "ch0", "task": "publish", "date": "2026-12-01", "minutes": 25, "note": "=cmd" })
}

#[tokio::test]
async fn tokens_sign_in_with_the_owners_role_scoped_and_revocable() {
    on_both("api_tokens", |app| async move {
        seed(&app, 1).await;
        app.add_user("owner@example.com", "Owner", Role::Owner).await;
        app.add_user("ed@example.com", "Ed", Role::Editor).await;
        app.add_user("vi@example.com", "Vi", Role::Viewer).await;
        let ed = app.client();
        let ed_csrf = app.signed_in(&ed, "ed@example.com").await;
        let rw = make_token(&app, &ed, &ed_csrf, "script", "read-write").await;
        let ro = make_token(&app, &ed, &ed_csrf, "dashboard", "read").await;
        assert!(rw.starts_with("slpat_") && rw.len() == 70 && rw != ro);

        // At rest: the SHA-256 only; the secret is nowhere in the tokens table or the audit log.
        let tokens = app.store.api_tokens(None).await.unwrap();
        assert_eq!(tokens.len(), 2);
        assert!(app.store.api_token_user(&api_token_hash(&rw), chrono::Utc::now()).await.unwrap().is_some());
        let audit = serde_json::to_string(&app.store.audit_log(None).await.unwrap()).unwrap();
        assert!(!audit.contains(&rw[6..]) && !audit.contains(&api_token_hash(&rw)), "{audit}");
        assert_eq!(audit.matches("api_token.created").count(), 2);
        // The list never shows it again.
        let list = app.get(&ed, "/tokens").await.text().await.unwrap();
        assert!(list.contains("script") && list.contains("dashboard") && !list.contains(&rw[6..]));

        // The token signs in as Ed, with his role; no CSRF token is involved.
        let (status, me) = get_json(&app, &rw, "/api/v1/me").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!((me["email"].as_str(), me["role"].as_str()), (Some("ed@example.com"), Some("editor")));
        assert_eq!((me["token_scope"].as_str(), me["csrf_token"].is_null()), (Some("read-write"), true));
        let (status, _) = get_json(&app, &rw, "/api/v1/audit").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "an editor's token may not read the owner's audit log");

        // Read-write: a POST without CSRF token or Origin is accepted; read: refused, nothing written.
        let (status, created) = post_json(&app, &rw, "/api/v1/time-entries", &entry()).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!((created["minutes"].as_i64(), created["task"].as_str()), (Some(25), Some("content")));
        let (status, refused) = post_json(&app, &ro, "/api/v1/time-entries", &entry()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(refused["error"].as_str().unwrap().contains("read-write"), "{refused}");
        assert_eq!(app.store.tracked_entries(None).await.unwrap().len(), 1);
        let (status, bad) = post_json(&app, &rw, "/api/v1/time-entries", &json!({ "task": "x" })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");

        // Tokens work on /api only: a page with a bearer token and no session sends to the sign-in form.
        let page = script().get(app.url("/channels")).header(AUTHORIZATION, format!("Bearer {rw}")).send().await;
        assert_eq!(page.unwrap().status(), StatusCode::SEE_OTHER);

        // Cookies still need the CSRF token on the API.
        let no_csrf = ed.post(app.url("/api/v1/time-entries")).json(&entry()).send().await.unwrap();
        assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN);
        let with_csrf =
            ed.post(app.url("/api/v1/time-entries")).header("x-csrf-token", &ed_csrf).json(&entry()).send().await;
        assert_eq!(with_csrf.unwrap().status(), StatusCode::CREATED);

        // Unknown, malformed and expired tokens: 401 JSON.
        for header in [format!("Bearer slpat_{}", "0".repeat(64)), "Basic abc".to_string(), "Bearer".to_string()] {
            let response = script().get(app.url("/api/v1/me")).header(AUTHORIZATION, header.as_str()).send().await;
            let response = response.unwrap();
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{header}");
            assert!(response.json::<Value>().await.unwrap()["error"].is_string());
        }
        let ed_user = app.store.user_credentials("ed@example.com").await.unwrap().unwrap().0;
        let old = "slpat_expired";
        let expired = NewApiToken {
            name: "old".into(),
            scope: TokenScope::Read,
            secret_hash: api_token_hash(old),
            expires_at: Some(chrono::Utc::now() - chrono::Duration::minutes(1)),
        };
        app.store.create_api_token(&ed_user, &expired, chrono::Utc::now()).await.unwrap();
        assert_eq!(get_json(&app, old, "/api/v1/me").await.0, StatusCode::UNAUTHORIZED);

        // A viewer's token has the viewer's rights: may read channels, may not log time.
        let vi = app.client();
        let vi_csrf = app.signed_in(&vi, "vi@example.com").await;
        let vi_token = make_token(&app, &vi, &vi_csrf, "mine", "read-write").await;
        assert_eq!(get_json(&app, &vi_token, "/api/v1/channels").await.0, StatusCode::OK);
        assert_eq!(post_json(&app, &vi_token, "/api/v1/time-entries", &entry()).await.0, StatusCode::FORBIDDEN);
        // ... and may not revoke Ed's token, nor see it.
        let ed_tokens = app.store.api_tokens(Some(ed_user.id)).await.unwrap();
        let ro_id = ed_tokens.iter().find(|t| t.name == "dashboard").unwrap().id;
        let rw_id = ed_tokens.iter().find(|t| t.name == "script").unwrap().id;
        assert!(!app.get(&vi, "/tokens").await.text().await.unwrap().contains("dashboard"));
        let theirs = app.post(&vi, &format!("/tokens/{ro_id}/revoke"), &[("csrf", vi_csrf.as_str())]).await;
        assert_eq!(theirs.status(), StatusCode::FORBIDDEN);
        assert_eq!(get_json(&app, &ro, "/api/v1/me").await.0, StatusCode::OK);

        // Ed revokes his read token: it stops at once.
        let own = app.post(&ed, &format!("/tokens/{ro_id}/revoke"), &[("csrf", ed_csrf.as_str())]).await;
        assert_eq!(own.status(), StatusCode::SEE_OTHER);
        assert_eq!(get_json(&app, &ro, "/api/v1/me").await.0, StatusCode::UNAUTHORIZED);

        // The owner sees every token and revokes Ed's other one; her own token reads the audit log.
        let owner = app.client();
        let owner_csrf = app.signed_in(&owner, "owner@example.com").await;
        let all = app.get(&owner, "/tokens").await.text().await.unwrap();
        assert!(all.contains("ed@example.com") && all.contains("vi@example.com"));
        let any = app.post(&owner, &format!("/tokens/{rw_id}/revoke"), &[("csrf", owner_csrf.as_str())]).await;
        assert_eq!(any.status(), StatusCode::SEE_OTHER);
        assert_eq!(get_json(&app, &rw, "/api/v1/me").await.0, StatusCode::UNAUTHORIZED);
        let owner_token = make_token(&app, &owner, &owner_csrf, "audit", "read").await;
        let (status, log) = get_json(&app, &owner_token, "/api/v1/audit?per_page=500").await;
        assert_eq!(status, StatusCode::OK);
        let actions: Vec<&str> = log["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
        assert_eq!(actions.iter().filter(|a| **a == "api_token.revoked").count(), 2, "{actions:?}");
        let revoked_by_owner = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "api_token.revoked" && e["object"] == format!("api_token:{rw_id}"))
            .unwrap();
        assert_eq!(revoked_by_owner["actor_email"], "owner@example.com");
        // Last used is recorded.
        let used = app.store.api_tokens(Some(ed_user.id)).await.unwrap();
        assert!(used.iter().find(|t| t.id == rw_id).unwrap().last_used_at.is_some());
        // A disabled user's tokens stop with their sessions.
        let vi_id = app.store.user_credentials("vi@example.com").await.unwrap().unwrap().0.id;
        app.store.set_user_disabled(vi_id, true, None, chrono::Utc::now()).await.unwrap();
        assert_eq!(get_json(&app, &vi_token, "/api/v1/me").await.0, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn lists_are_paged_from_the_store_and_texts_stay_json() {
    on_both("api_pages", |app| async move {
        seed(&app, 7).await;
        app.add_user("an@example.com", "An", Role::Analyst).await;
        let browser = app.client();
        let csrf = app.signed_in(&browser, "an@example.com").await;
        let token = make_token(&app, &browser, &csrf, "pages", "read").await;

        let (status, first) = get_json(&app, &token, "/api/v1/channels?per_page=3").await;
        assert_eq!(status, StatusCode::OK);
        let keys = |page: &Value| -> Vec<String> {
            page["items"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap().to_string()).collect()
        };
        assert_eq!(keys(&first), ["ch0", "ch1", "ch2"]);
        assert_eq!((first["total"].as_u64(), first["page"].as_u64()), (Some(7), Some(1)));
        assert_eq!(first["next"], "/api/v1/channels?page=2&per_page=3");
        let (_, last) = get_json(&app, &token, "/api/v1/channels?page=3&per_page=3").await;
        assert_eq!((keys(&last), last["next"].is_null()), (vec!["ch6".to_string()], true));
        let (_, beyond) = get_json(&app, &token, "/api/v1/channels?page=9&per_page=3").await;
        assert_eq!((beyond["items"].as_array().unwrap().len(), beyond["total"].as_u64()), (0, Some(7)));
        let (_, default) = get_json(&app, &token, "/api/v1/channels").await;
        assert_eq!((default["per_page"].as_u64(), keys(&default).len()), (Some(100), 7));
        for bad in ["per_page=501", "per_page=0", "page=0", "page=x"] {
            let (status, body) = get_json(&app, &token, &format!("/api/v1/posts?{bad}")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
            assert!(body["error"].as_str().unwrap().contains("whole number"), "{body}");
        }
        let (_, max) = get_json(&app, &token, "/api/v1/posts?per_page=500").await;
        assert_eq!(max["per_page"].as_u64(), Some(500));

        // Posts with their own metrics rows only; the hostile text comes back exactly, as a JSON string.
        let (_, posts) = get_json(&app, &token, "/api/v1/posts?page=1&per_page=2").await;
        let items = posts["items"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["text"], HOSTILE);
        assert_eq!(items[1]["external_id"], "p1");
        let impressions: Vec<i64> =
            items[1]["metrics"].as_array().unwrap().iter().map(|m| m["impressions"].as_i64().unwrap()).collect();
        assert_eq!(impressions, [101, 201]);
        assert_eq!(items[1]["metrics"][0]["period"], "lifetime");
        let (_, page4) = get_json(&app, &token, "/api/v1/posts?page=4&per_page=2").await;
        let last = &page4["items"][0];
        assert_eq!((last["external_id"].as_str(), last["metrics"][1]["impressions"].as_i64()), (Some("p6"), Some(206)));
        let raw = script()
            .get(app.url("/api/v1/posts?per_page=1"))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(raw.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(raw.headers()["x-content-type-options"], "nosniff");
    })
    .await;
}

#[tokio::test]
async fn time_entries_are_ones_own_unless_the_role_sees_all() {
    on_both("api_time", |app| async move {
        seed(&app, 1).await;
        app.add_user("ed@example.com", "Ed", Role::Editor).await;
        app.add_user("cs@example.com", "Cs", Role::CustomerService).await;
        app.add_user("ma@example.com", "Ma", Role::Manager).await;
        let mut tokens = Vec::new();
        for email in ["ed@example.com", "cs@example.com", "ma@example.com"] {
            let browser = app.client();
            let csrf = app.signed_in(&browser, email).await;
            tokens.push(make_token(&app, &browser, &csrf, "t", "read-write").await);
        }
        for token in &tokens[..2] {
            assert_eq!(post_json(&app, token, "/api/v1/time-entries", &entry()).await.0, StatusCode::CREATED);
        }
        let emails = |page: &Value| -> Vec<String> {
            page["items"].as_array().unwrap().iter().map(|e| e["user_email"].as_str().unwrap().to_string()).collect()
        };
        let (_, ed) = get_json(&app, &tokens[0], "/api/v1/time-entries").await;
        assert_eq!((emails(&ed), ed["total"].as_u64()), (vec!["ed@example.com".to_string()], Some(1)));
        let (_, manager) = get_json(&app, &tokens[2], "/api/v1/time-entries?per_page=1").await;
        assert_eq!((manager["total"].as_u64(), manager["next"].is_string()), (Some(2), true));
    })
    .await;
}

#[tokio::test]
async fn the_report_shows_costs_only_to_the_roles_that_see_them() {
    on_both("api_report", |app| async move {
        seed(&app, 2).await;
        app.add_user("an@example.com", "An", Role::Analyst).await;
        app.add_user("cs@example.com", "Cs", Role::CustomerService).await;
        let mut tokens = Vec::new();
        for email in ["an@example.com", "cs@example.com"] {
            let browser = app.client();
            let csrf = app.signed_in(&browser, email).await;
            tokens.push(make_token(&app, &browser, &csrf, "t", "read").await);
        }
        let mut analyst = Value::Null;
        for _ in 0..600 {
            let (status, body) = get_json(&app, &tokens[0], "/api/v1/report").await;
            assert_eq!(status, StatusCode::OK);
            if body["current"] == true && body["computed_at"].is_string() {
                analyst = body;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(analyst["report"].is_object(), "the report is computed: {analyst}");
        let channels = analyst["channels"].as_array().unwrap();
        assert_eq!(channels.len(), 2);
        assert!(channels.iter().all(|c| c["cost_minor"].is_i64() && c["hours"].is_number()), "{analyst}");
        assert_eq!(analyst["report"]["channels"].as_array().unwrap().len(), 2);

        let (status, cs) = get_json(&app, &tokens[1], "/api/v1/report").await;
        assert_eq!(status, StatusCode::OK);
        assert!(cs["report"].is_null(), "{cs}");
        let channels = cs["channels"].as_array().unwrap();
        assert_eq!(channels.len(), 2);
        assert!(channels.iter().all(|c| c["cost_minor"].is_null() && c["hours"].is_null()), "{cs}");
        assert_eq!(
            channels[0]["engagement_rate_by_impressions"],
            analyst["channels"][0]["engagement_rate_by_impressions"]
        );
        assert!(!cs.to_string().contains("cost_minor\":0") && !cs.to_string().contains("\"general\""));
    })
    .await;
}
