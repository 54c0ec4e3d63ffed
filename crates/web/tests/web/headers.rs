//! The security headers are on every response: pages, the stylesheet, redirects, refusals and 404s.

use crate::support::on_both;
use reqwest::StatusCode;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    on_both("security_headers", |app| async move {
        let browser = app.client();
        let cases = [
            ("/login", StatusCode::OK),
            ("/static/app.css", StatusCode::OK),
            ("/", StatusCode::SEE_OTHER),
            ("/api/v1/me", StatusCode::UNAUTHORIZED),
            ("/no/such/page", StatusCode::NOT_FOUND),
        ];
        for (path, status) in cases {
            let response = app.get(&browser, path).await;
            assert_eq!(response.status(), status, "{path}");
            let h = response.headers();
            let header = |name: &str| h.get(name).map(|v| v.to_str().unwrap().to_string());
            assert_eq!(header("content-security-policy").as_deref(), Some(CSP), "{path}");
            assert_eq!(header("referrer-policy").as_deref(), Some("same-origin"), "{path}");
            assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"), "{path}");
            assert_eq!(header("x-frame-options").as_deref(), Some("DENY"), "{path}");
        }
        let css = app.get(&browser, "/static/app.css").await;
        assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
        let login = app.get(&browser, "/login").await.text().await.unwrap();
        assert!(!login.contains("<script") && !login.contains("style="), "no inline script or style");
        assert!(login.contains("href=\"/static/app.css\""));
    })
    .await;
}
