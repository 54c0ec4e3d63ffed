//! The audit log for the owner: every change, newest first, as a page and as CSV.

use crate::access::SignedIn;
use crate::pages::{layout, page};
use crate::state::AppState;
use crate::WebError;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
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
        p { "Every change, newest first (at most " (PAGE_LIMIT) " here). " a href="/audit.csv" { "Download all as CSV" } }
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

/// A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with `'`, so that an
/// exported name cannot run in Excel (CSV injection).
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// `GET /audit.csv`: every entry, newest first.
pub async fn csv(State(state): State<AppState>, _me: SignedIn) -> Result<Response, WebError> {
    let entries = state.store.audit_log(None).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>, row: [String; 8]| out.write_record(row).map_err(|e| e.to_string());
    let mut result = write(
        &mut out,
        ["id", "at", "actor_id", "actor_email", "action", "object", "before", "after"].map(String::from),
    );
    for e in &entries {
        if result.is_err() {
            break;
        }
        result = write(
            &mut out,
            [
                e.id.to_string(),
                e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
                cell(e.actor_email.as_deref().unwrap_or("")),
                cell(&e.action),
                cell(&e.object),
                cell(e.before.as_deref().unwrap_or("")),
                cell(e.after.as_deref().unwrap_or("")),
            ],
        );
    }
    let bytes = result.and_then(|()| out.into_inner().map_err(|e| e.to_string())).map_err(WebError::Export)?;
    Ok((
        [(CONTENT_TYPE, "text/csv; charset=utf-8"), (CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\"")],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_defused_in_csv_cells() {
        assert_eq!(super::cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::cell("Ana"), "Ana");
    }
}
