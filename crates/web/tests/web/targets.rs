//! Targets over HTTP: the owner sets targets on last month (a finished period, so the status is known whatever
//! day the test runs), the page shows each one's figure, forecast and status once the stored check is computed,
//! the target off track is an alert in the app (recorded once); customer service reads the page without the
//! cost target and may not set targets; removing is audited.

use crate::support::{on_both, TestApp};
use chrono::{Datelike, Months, Utc};
use reqwest::{Client, StatusCode};
use socialledger_domain::{Channel, ChannelDay, ChannelKind, Dataset, Network, Role};
use socialledger_store::ImportSource;
use std::time::Duration;

/// Last month's label (`2026-11`) and LinkedIn's days of it: 1,000 impressions and 50 engagements each (5 %).
async fn seed(app: &TestApp) -> String {
    let today = Utc::now().date_naive();
    let first = today.with_day(1).unwrap().checked_sub_months(Months::new(1)).unwrap();
    let mut data = Dataset::default();
    data.channels.push(Channel {
        key: "linkedin".into(),
        name: "LinkedIn <b>page</b>".into(),
        kind: ChannelKind::OrganicSocial,
        network: Some(Network::LinkedIn),
        handle: None,
        account: None,
    });
    for day in first.iter_days().take_while(|d| d.month() == first.month()) {
        data.channel_days.push(ChannelDay {
            channel: "linkedin".into(),
            date: Some(day),
            impressions: Some(1000),
            engagements: Some(50),
            ..ChannelDay::default()
        });
    }
    let source = ImportSource {
        file_name: "seed.csv".into(),
        format: "canonical".into(),
        content_hash: "seed".into(),
        rows: 31,
    };
    app.store.import(&source, &data, &|_, _| {}).await.unwrap();
    first.format("%Y-%m").to_string()
}

/// The page once its stored check is current (it reloads itself while the check is computed).
async fn checked_page(app: &TestApp, client: &Client) -> String {
    for _ in 0..100 {
        let response = app.get(client, "/targets").await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = response.text().await.unwrap();
        if !page.contains("recomputing") {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the targets were not checked within 20 s");
}

#[tokio::test]
async fn set_targets_see_their_status_and_alerts() {
    on_both("web_targets", |app| async move {
        let period = seed(&app).await;
        app.add_user("owner@example.com", "Owner", Role::Owner).await;
        app.add_user("cs@example.com", "Cy", Role::CustomerService).await;
        let owner = app.client();
        let csrf = app.signed_in(&owner, "owner@example.com").await;
        let add = |metric: &'static str, threshold: &'static str| {
            let (app, owner, csrf, period) = (app.clone(), owner.clone(), csrf.clone(), period.clone());
            async move {
                let form = [
                    ("channel", "linkedin"),
                    ("metric", metric),
                    ("comparison", ""),
                    ("threshold", threshold),
                    ("period", period.as_str()),
                    ("csrf", csrf.as_str()),
                ];
                app.post(&owner, "/targets", &form).await
            }
        };
        assert_eq!(add("engagement_rate", "4%").await.status(), StatusCode::SEE_OTHER);
        assert_eq!(add("engagement_rate", "6%").await.status(), StatusCode::SEE_OTHER);
        assert_eq!(add("cost_per_engagement", "0.80").await.status(), StatusCode::SEE_OTHER);
        assert_eq!(add("response_time", "4").await.status(), StatusCode::SEE_OTHER);
        let bad = add("engagement_rate", "soon").await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text().await.unwrap().contains("not a number"));
        let ids: Vec<i64> = app.store.targets().await.unwrap().iter().map(|t| t.id).collect();
        assert_eq!(ids.len(), 4);

        let page = checked_page(&app, &owner).await;
        assert!(page.contains(&format!("linkedin: engagement_rate &gt;= 4.00 % in {period}")), "{page}");
        let row = |id: i64| {
            let at = page.find(&format!("data-target=\"{id}\"")).unwrap_or_else(|| panic!("row {id}: {page}"));
            page[at..at + page[at..].find("</tr>").unwrap()].to_string()
        };
        assert!(row(ids[0]).contains("on-track") && row(ids[0]).contains("5.00 %"), "{}", row(ids[0]));
        assert!(row(ids[0]).contains("the target was met"));
        assert!(row(ids[1]).contains("off-track") && row(ids[1]).contains("missed"), "{}", row(ids[1]));
        // No cost was recorded: a cost per engagement of 0.00 would meet any threshold, so it cannot be judged.
        assert!(
            row(ids[2]).contains("cannot tell yet") && row(ids[2]).contains("no cost is recorded"),
            "{}",
            row(ids[2])
        );
        assert!(row(ids[3]).contains("cannot tell yet") && row(ids[3]).contains("no data"), "{}", row(ids[3]));
        assert!(page.contains("Off track") && page.contains("is off track: forecast 5.00 %"), "{page}");
        assert!(page.contains("Set a target") && page.contains("LinkedIn &lt;b&gt;page&lt;/b&gt;"));
        // One alert, recorded by the check, however often the page is read.
        checked_page(&app, &owner).await;
        let alerts = app.store.alerts(10).await.unwrap();
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!((alerts[0].target_id, alerts[0].status.as_str()), (ids[1], "off_track"));

        // Customer service reads the page without the cost target and cannot set targets.
        let cs = app.client();
        let cs_csrf = app.signed_in(&cs, "cs@example.com").await;
        let seen = checked_page(&app, &cs).await;
        assert!(seen.contains(&format!("data-target=\"{}\"", ids[0])));
        assert!(!seen.contains(&format!("data-target=\"{}\"", ids[2])) && !seen.contains("cost_per_engagement"));
        assert!(!seen.contains("Set a target") && !seen.contains("/targets/remove"));
        let refused =
            app.post(&cs, "/targets", &[("metric", "pipeline"), ("threshold", "1"), ("csrf", &cs_csrf)]).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);

        // Removing is audited with what the target was.
        let id = ids[1].to_string();
        let removed = app.post(&owner, "/targets/remove", &[("id", id.as_str()), ("csrf", csrf.as_str())]).await;
        assert_eq!(removed.status(), StatusCode::SEE_OTHER);
        let again = app.post(&owner, "/targets/remove", &[("id", id.as_str()), ("csrf", csrf.as_str())]).await;
        assert_eq!(again.status(), StatusCode::NOT_FOUND);
        let page = checked_page(&app, &owner).await;
        assert!(!page.contains(&format!("data-target=\"{id}\"")));
        let log = app.store.audit_log(None).await.unwrap();
        let deleted = log.iter().find(|e| e.action == "target.deleted").expect("the removal is audited");
        assert!(deleted.before.as_deref().unwrap().contains("0.06"), "{deleted:?}");
        assert!(log
            .iter()
            .filter(|e| e.action == "target.created")
            .all(|e| e.actor_email.as_deref() == Some("owner@example.com")));
    })
    .await;
}
