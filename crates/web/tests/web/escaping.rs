//! Text people type is shown as text: a name with markup is escaped on the users page, in the audit log and in
//! its CSV export keeps it as it was.

use crate::support::on_both;
use reqwest::StatusCode;
use socialledger_domain::Role;

const HOSTILE: &str = "<script>alert(1)</script>\" onerror=alert(2) x=\"";

#[tokio::test]
async fn a_hostile_name_is_escaped_in_the_users_page_and_the_audit_log() {
    on_both("escaping", |app| async move {
        app.add_user("owner@example.com", "Olga", Role::Owner).await;
        let browser = app.client();
        let csrf = app.signed_in(&browser, "owner@example.com").await;
        let form = [("email", "mallory@example.com"), ("name", HOSTILE), ("role", "viewer"), ("csrf", &csrf)];
        assert_eq!(app.post(&browser, "/users", &form).await.status(), StatusCode::OK);

        for path in ["/users", "/audit"] {
            let page = app.get(&browser, path).await;
            assert_eq!(page.status(), StatusCode::OK, "{path}");
            let html = page.text().await.unwrap();
            assert!(!html.contains("<script"), "{path} has a script element");
            assert!(!html.contains("\" onerror="), "{path} lets the name out of its attribute");
            assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{path} does not show the name as text");
        }
        let csv = app.get(&browser, "/audit.csv").await;
        assert_eq!(csv.status(), StatusCode::OK);
        assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("audit.csv"));
        let text = csv.text().await.unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert!(rows.iter().any(|r| r[7].contains("<script>alert(1)</script>")), "the CSV keeps the text as it was");
    })
    .await;
}
