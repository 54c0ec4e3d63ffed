//! What the pages load besides themselves: the stylesheet, embedded in the binary (no CDN), and the health check
//! a load balancer asks.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

const STYLESHEET: &str = include_str!("../../assets/app.css");

/// The app's stylesheet and the mix model section's (the Mix page shows the report's own section).
fn stylesheet_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| format!("{STYLESHEET}{}", socialledger_report::mmm::html::CSS))
}

pub async fn stylesheet() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/css; charset=utf-8"), (CACHE_CONTROL, "public, max-age=3600")], stylesheet_text())
}

/// `ok` while the server runs (it does not touch the database, so it stays cheap).
pub async fn health() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/plain; charset=utf-8")], "ok\n")
}
