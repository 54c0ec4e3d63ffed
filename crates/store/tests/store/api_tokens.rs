//! Personal access tokens (migration 0009) and the paged reads of the API: a token is found by its hash only while
//! it is live and its user enabled, revocation is one's own unless overseeing, both are audited without the hash;
//! pages come in key order with the total, posts with their own metrics rows only.

use crate::fixtures::channel;
use crate::support::{on_both, quiet, source};
use chrono::{TimeZone, Utc};
use socialledger_domain::{ChannelKind, Dataset, MetricPeriod, Network, Post, PostMetrics, Role, Timestamp};
use socialledger_store::{NewApiToken, NewUser, PageRequest, TokenRevocation, TokenScope};

fn at(hour: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 12, 7, hour, 0, 0).unwrap()
}

#[tokio::test]
async fn tokens_live_until_revoked_or_expired_and_are_audited() {
    on_both("api_tokens", |db| async move {
        let store = db.open().await;
        let new =
            |email: &str, role| NewUser { email: email.into(), display_name: email.into(), role, password_hash: None };
        let ana = store.create_user(&new("ana@example.com", Role::Editor), None, None, at(8)).await.unwrap();
        let bo = store.create_user(&new("bo@example.com", Role::Viewer), None, None, at(8)).await.unwrap();
        let token = |name: &str, hash: &str, expires_at| NewApiToken {
            name: name.into(),
            scope: TokenScope::Read,
            secret_hash: hash.into(),
            expires_at,
        };
        let made = store.create_api_token(&ana, &token(" script ", "h1", None), at(9)).await.unwrap();
        assert_eq!(
            (made.name.as_str(), made.scope, made.user_email.as_str()),
            ("script", TokenScope::Read, "ana@example.com")
        );
        store.create_api_token(&ana, &token("short", "h2", Some(at(10))), at(9)).await.unwrap();
        assert!(store.create_api_token(&ana, &token("  ", "h3", None), at(9)).await.is_err());

        let (found, user) = store.api_token_user("h1", at(11)).await.unwrap().unwrap();
        assert_eq!((found.id, user.id), (made.id, ana.id));
        assert!(store.api_token_user("h2", at(9)).await.unwrap().is_some());
        assert!(store.api_token_user("h2", at(10)).await.unwrap().is_none(), "expired at 10:00");
        assert!(store.api_token_user("nope", at(9)).await.unwrap().is_none());
        store.touch_api_token(made.id, at(11)).await.unwrap();
        assert_eq!(store.api_tokens(Some(ana.id)).await.unwrap()[1].last_used_at, Some(at(11)));
        assert_eq!(store.api_tokens(Some(bo.id)).await.unwrap().len(), 0);
        assert_eq!(store.api_tokens(None).await.unwrap().len(), 2);

        // Bo may not revoke Ana's token; overseeing may; a second revocation changes nothing.
        assert_eq!(store.revoke_api_token(&bo, made.id, false, at(12)).await.unwrap(), TokenRevocation::NotYours);
        assert_eq!(store.revoke_api_token(&bo, 999, true, at(12)).await.unwrap(), TokenRevocation::NotFound);
        let TokenRevocation::Revoked(revoked) = store.revoke_api_token(&bo, made.id, true, at(12)).await.unwrap()
        else {
            panic!("the owner's oversight revokes any token")
        };
        assert_eq!(revoked.revoked_at, Some(at(12)));
        assert!(store.api_token_user("h1", at(12)).await.unwrap().is_none());
        store.revoke_api_token(&ana, made.id, false, at(13)).await.unwrap();

        // A disabled user's tokens stop.
        store.create_api_token(&bo, &token("bo", "h4", None), at(9)).await.unwrap();
        store.set_user_disabled(bo.id, true, None, at(14)).await.unwrap();
        assert!(store.api_token_user("h4", at(14)).await.unwrap().is_none());

        let log = store.audit_log(None).await.unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions.iter().filter(|a| **a == "api_token.created").count(), 3);
        assert_eq!(actions.iter().filter(|a| **a == "api_token.revoked").count(), 1, "{actions:?}");
        let text = serde_json::to_string(&log).unwrap();
        assert!(!text.contains("\"h1\"") && !text.contains("secret"), "{text}");
        let page = store.audit_page(PageRequest { limit: 2, offset: 1 }).await.unwrap();
        assert_eq!(page.total, log.len() as u64);
        assert_eq!(page.items, log[1..3].to_vec());
    })
    .await;
}

#[tokio::test]
async fn pages_come_in_key_order_with_their_total() {
    on_both("paged_reads", |db| async move {
        let store = db.open().await;
        let mut data = Dataset::default();
        for key in ["c", "a", "b"] {
            data.channels.push(channel(key, ChannelKind::OrganicSocial, Some(Network::LinkedIn)));
            for id in ["2", "1"] {
                data.posts.push(Post {
                    channel: key.into(),
                    external_id: id.into(),
                    published_at: None,
                    post_type: None,
                    text: None,
                    url: None,
                    author: None,
                    campaign: None,
                    idea: None,
                });
            }
            data.post_metrics.push(PostMetrics {
                channel: key.into(),
                post_id: "1".into(),
                period: Some(MetricPeriod::Lifetime),
                impressions: Some(7),
                ..PostMetrics::default()
            });
        }
        store.import(&source("seed.csv", "seed", 1), &data, &quiet).await.unwrap();
        let channels = store.channels_page(PageRequest { limit: 2, offset: 1 }).await.unwrap();
        let keys: Vec<&str> = channels.items.iter().map(|c| c.key.as_str()).collect();
        assert_eq!((keys, channels.total), (vec!["b", "c"], 3));
        let posts = store.posts_page(PageRequest { limit: 3, offset: 1 }).await.unwrap();
        let got: Vec<(&str, &str, usize)> = posts
            .items
            .iter()
            .map(|p| (p.post.channel.as_str(), p.post.external_id.as_str(), p.metrics.len()))
            .collect();
        assert_eq!(got, [("a", "2", 0), ("b", "1", 1), ("b", "2", 0)]);
        assert_eq!(posts.total, 6);
        assert_eq!(posts.items[1].metrics[0].impressions, Some(7));
        let none = store.tracked_entries_page(None, PageRequest { limit: 10, offset: 0 }).await.unwrap();
        assert_eq!((none.items.len(), none.total), (0, 0));
    })
    .await;
}
