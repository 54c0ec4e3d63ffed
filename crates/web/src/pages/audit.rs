//! The audit log for the owner: every change, newest first, as a page and as CSV.

use crate::access::SignedIn;
use crate::pages::export::{self, ExportFormat, ExportTable};
use crate::pages::{layout, page};
use crate::state::AppState;
use crate::WebError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use socialledger_store::AuditEntry;

/// The most entries the page shows; the CSV export has all of them.
const PAGE_LIMIT: u64 = 500;

fn actor(entry: &AuditEntry) -> String {
    match (&entry.actor_email, entry.actor_id) {
        (Some(email), _) => email.clone(),
        (None, Some(id)) => format!("user {id}"),
        (None, None) => "command line / system".to_string(),
    }
}

/// `GET /audit`.
pub async fn show(State(state): State<AppState>, me: SignedIn) -> Result<Response, WebError> {
    let entries = state.store.audit_log(Some(PAGE_LIMIT)).await?;
    let body = html! {
        p { "Every change, newest first (at most " (PAGE_LIMIT) " here). " a href="/audit.csv" { "Download all as CSV" } " or " a href="/export/audit.xlsx" { "XLSX" } }
        table {
            thead { tr { th { "When (UTC)" } th { "Who" } th { "What" } th { "Object" } th { "Before" } th { "After" } } }
            tbody {
                @for e in &entries {
                    tr {
                        td { (e.at.format("%Y-%m-%d %H:%M:%S")) }
                        td { (actor(e)) }
                        td { (e.action) }
                        td { (e.object) }
                        td.json { (e.before.as_deref().unwrap_or("")) }
                        td.json { (e.after.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    };
    Ok(page(StatusCode::OK, layout("Audit log", Some(&me), body)))
}

/// `GET /audit.csv`: every entry, newest first (the same file as `/export/audit.csv`).
pub async fn csv(state: State<AppState>, me: SignedIn) -> Result<Response, WebError> {
    export::download(state, me, ExportTable::Audit, ExportFormat::Csv).await
}
