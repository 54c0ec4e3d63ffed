//! Issue 16, the Settings page: the owner changes the analysis settings; invalid values are shown escaped beside
//! their field and nothing is saved; a valid change is audited with before and after, makes the stored analyses
//! stale, and the next view computes them with the new settings, which the pages name; saving the same settings
//! again changes nothing. Analysts read the settings, editors do not reach them.

use crate::overview::{assert_same_report, current_page, demo, import};
use crate::support::{location, on_both};
use reqwest::StatusCode;
use socialledger_analytics::stored_settings::from_stored;
use socialledger_demo::simulate;
use socialledger_domain::Role;
use socialledger_web::analyses::{report_json, REPORT};

/// The text of the field error beside `key`'s input, if any.
fn field_error(html: &str, key: &str) -> Option<String> {
    let at = html.find(&format!("data-setting=\"{key}\""))?;
    let block = &html[at..at + html[at..].find("</div>")?];
    let start = block.find("field-error\">")? + "field-error\">".len();
    Some(block[start..start + block[start..].find('<')?].to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_settings_are_validated_audited_and_recompute_the_stored_analyses() {
    on_both("web_settings", |app| async move {
        let dir = tempfile::tempdir().unwrap();
        import(&app.store, &simulate(&demo()).write_csv(dir.path()).unwrap()).await;
        app.add_user("owner@example.com", "Owner", Role::Owner).await;
        app.add_user("analyst@example.com", "Ana", Role::Analyst).await;
        app.add_user("editor@example.com", "Ed", Role::Editor).await;
        let owner = app.client();
        let csrf = app.signed_in(&owner, "owner@example.com").await;

        // The stored report of the defaults, and the page saying so.
        let overview = current_page(&app, &owner, "/overview").await;
        assert!(
            overview.contains("attribution window 365 days") && overview.contains("gross margin 70 %"),
            "{overview}"
        );
        let before = app.store.stored_analysis(REPORT).await.unwrap().unwrap().result.unwrap();

        let page = app.get(&owner, "/settings").await;
        assert_eq!(page.status(), StatusCode::OK);
        let page = page.text().await.unwrap();
        assert!(
            page.contains("name=\"lookback_days\"") && page.contains("value=\"365\"") && page.contains("Save settings")
        );
        assert!(page.contains("current"), "the stored report is current: {page}");

        // Invalid values: 422, each problem beside its field, escaped; nothing saved, nothing audited.
        let audited = app.store.audit_log(None).await.unwrap().len();
        let bad = app
            .post(
                &owner,
                "/settings",
                &[
                    ("lookback_days", "<script>alert(1)</script>"),
                    ("gross_margin", "1.5"),
                    ("half_life_days", "10"),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let bad = bad.text().await.unwrap();
        assert!(bad.contains("Nothing was saved"));
        let lookback = field_error(&bad, "lookback_days").expect("an error beside lookback_days");
        assert!(lookback.contains("&lt;script&gt;") && lookback.contains("not a whole number"), "{lookback}");
        assert!(!bad.contains("<script>alert(1)</script>"), "the typed value is escaped everywhere");
        assert!(field_error(&bad, "gross_margin").unwrap().contains("outside 0 to 1"));
        assert_eq!(field_error(&bad, "half_life_days"), None, "a valid field has no error");
        assert!(bad.contains("value=\"10\""), "what was typed is kept in the form");
        assert!(app.store.settings().await.unwrap().is_empty(), "nothing saved");
        assert_eq!(app.store.audit_log(None).await.unwrap().len(), audited, "nothing audited");

        // Without the CSRF token: refused.
        let forged = app.post(&owner, "/settings", &[("lookback_days", "30")]).await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);

        // A valid change: saved in canonical text, audited with before and after.
        let form = [
            ("currency", "EUR"),
            ("gross_margin", "60 %"),
            ("lookback_days", "90"),
            ("half_life_days", "7"),
            ("journey_end", "close"),
            ("credit_sales_touches", "no"),
            ("csrf", csrf.as_str()),
        ];
        let saved = app.post(&owner, "/settings", &form).await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&saved), "/settings?saved=2", "only the two changed settings are written");
        let stored = app.store.settings().await.unwrap();
        let settings = from_stored(&stored).unwrap();
        assert_eq!((settings.lookback_days, settings.gross_margin), (90, 0.6));
        assert_eq!(stored.len(), 2, "{stored:?}");
        let log = app.store.audit_log(None).await.unwrap();
        let change = log.iter().find(|e| e.action == "settings.changed").expect("the change is audited");
        assert_eq!(change.actor_email.as_deref(), Some("owner@example.com"));
        let (b, a): (serde_json::Value, serde_json::Value) = (
            serde_json::from_str(change.before.as_deref().unwrap()).unwrap(),
            serde_json::from_str(change.after.as_deref().unwrap()).unwrap(),
        );
        assert_eq!(b, serde_json::json!({ "gross_margin": null, "lookback_days": null }));
        assert_eq!(a, serde_json::json!({ "gross_margin": "0.6", "lookback_days": "90" }));

        // The stored analyses are stale now; the Settings page says so.
        let page = app.get(&owner, "/settings?saved=2").await.text().await.unwrap();
        assert!(page.contains("2 settings saved") && page.contains("stale"), "{page}");
        assert!(page.contains("lookback_days 365"), "the stored report names the settings it was computed with");

        // The same settings again: nothing written, nothing audited, nothing stale.
        let again = app.post(&owner, "/settings", &form).await;
        assert_eq!(location(&again), "/settings?saved=0");
        assert_eq!(app.store.audit_log(None).await.unwrap().len(), log.len());

        // The next view recomputes the report with the new settings, as `report --mmm --json` computes it with them.
        let changed = app.get(&owner, "/overview").await.text().await.unwrap();
        assert!(changed.contains("recomputing"), "the page says the figures are computed again");
        let fresh = current_page(&app, &owner, "/overview").await;
        assert!(fresh.contains("attribution window 90 days") && fresh.contains("gross margin 60 %"), "{fresh}");
        let after = app.store.stored_analysis(REPORT).await.unwrap().unwrap().result.unwrap();
        assert_ne!(after.fingerprint, before.fingerprint);
        let json: serde_json::Value = serde_json::from_str(&after.json).unwrap();
        assert_eq!(json["settings"]["lookback_days"], 90);
        let dataset = app.store.load_for_analysis().await.unwrap();
        let posts = app.store.posts_with_metrics().await.unwrap();
        let expected: serde_json::Value =
            serde_json::from_str(&report_json(&dataset, &posts, &settings, after.computed_at).unwrap()).unwrap();
        assert_same_report(&json, &expected, "the stored report is report --mmm --json with the stored settings");

        // Analysts read the settings without a form to save; they may not post. Editors do not reach the page.
        let analyst = app.client();
        let analyst_csrf = app.signed_in(&analyst, "analyst@example.com").await;
        let read = app.get(&analyst, "/settings").await;
        assert_eq!(read.status(), StatusCode::OK);
        let read = read.text().await.unwrap();
        assert!(read.contains("value=\"90\"") && !read.contains("Save settings"));
        let refused = app.post(&analyst, "/settings", &[("lookback_days", "30"), ("csrf", &analyst_csrf)]).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let editor = app.client();
        app.signed_in(&editor, "editor@example.com").await;
        assert_eq!(app.get(&editor, "/settings").await.status(), StatusCode::FORBIDDEN);
        assert_eq!(from_stored(&app.store.settings().await.unwrap()).unwrap().lookback_days, 90);
    })
    .await;
}
