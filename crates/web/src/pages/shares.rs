//! Share links (`/shares`): the owner makes a time-limited, revocable link that opens a read-only view of chosen
//! pages to an external reviewer without an account (`/shared/TOKEN`, [`crate::pages::shared`]). The link's
//! token is shown once, on the answer to the form that made it; the store keeps its SHA-256, like an API token's.
//! Making and revoking are audited by the store.

use crate::access::{base_url, SignedIn};
use crate::pages::shared::SHAREABLE;
use crate::pages::{csrf_field, layout, page, see_other};
use crate::state::AppState;
use crate::tokens::{random_token, token_hash};
use crate::WebError;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{Duration, Utc};
use maud::html;
use socialledger_store::share_links::MAX_SHARE_LABEL_CHARS;
use socialledger_store::{NewShareLink, ShareLink, StoreError};

/// The longest a share link may last, in days.
pub const MAX_SHARE_DAYS: i64 = 30;

/// What the page says above the list.
enum Outcome {
    None,
    Created { link: ShareLink, url: String },
    Problem(String),
}

fn when(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn page_names(link: &ShareLink) -> String {
    link.pages.join(", ")
}

async fn render(state: &AppState, me: &SignedIn, status: StatusCode, outcome: Outcome) -> Result<Response, WebError> {
    let links = state.store.share_links().await?;
    let now = Utc::now();
    let body = html! {
        @match &outcome {
            Outcome::Created { link, url } => {
                p.notice {
                    "Made the link " strong { (link.label) } " to " (page_names(link)) ", valid until "
                    (when(link.expires_at)) " UTC. Copy it now: it is shown only this once."
                }
                p { code.share-url { (url) } }
            }
            Outcome::Problem(problem) => { p.error { (problem) } }
            Outcome::None => {}
        }
        p { "A share link opens a read-only view of the pages you choose to someone outside the company (an \
             external reviewer), without an account, until it expires or you revoke it. Costs are shown only when \
             you share the Costs page." }
        @if links.is_empty() {
            p.muted { "No share links yet." }
        } @else {
            table.share-links {
                thead { tr {
                    th { "For" } th { "Pages" } th { "Made (UTC)" } th { "Expires" } th { "Last used" } th { "Status" } th { "" }
                } }
                tbody { @for l in &links {
                    tr data-share-id=(l.id) {
                        td { (l.label) }
                        td { (page_names(l)) }
                        td { (when(l.created_at)) }
                        td { (when(l.expires_at)) }
                        td { (l.last_used_at.map_or("never".to_string(), when)) }
                        td { @if l.revoked_at.is_some() { "revoked" } @else if l.is_live(now) { "active" } @else { "expired" } }
                        td {
                            @if l.revoked_at.is_none() {
                                form.inline method="post" action={ "/shares/" (l.id) "/revoke" } {
                                    (csrf_field(&me.csrf_token))
                                    button.secondary type="submit" { "Revoke" }
                                }
                            }
                        }
                    }
                } }
            }
        }
        h2 { "Share pages" }
        form.stacked method="post" action="/shares" {
            (csrf_field(&me.csrf_token))
            label { "For (who the link is for)" input type="text" name="label" maxlength=(MAX_SHARE_LABEL_CHARS) required placeholder="auditor, Q4 review"; }
            fieldset {
                legend { "Pages" }
                @for (name, label) in SHAREABLE {
                    label.check { input type="checkbox" name="page" value=(name) checked[*name != "costs"]; " " (label) }
                }
            }
            label { "Expires after (days, 1 to " (MAX_SHARE_DAYS) ")" input type="number" name="days" min="1" max=(MAX_SHARE_DAYS) value="7" required; }
            button type="submit" { "Make the link" }
        }
    };
    Ok(page(status, layout("Share links", Some(me), body)))
}

/// `GET /shares`.
pub async fn show(State(state): State<AppState>, me: SignedIn) -> Result<Response, WebError> {
    render(&state, &me, StatusCode::OK, Outcome::None).await
}

/// The form's fields (`page` repeats, so it is read as pairs).
fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// `POST /shares`: makes a link and shows it once (201); an invalid form is 422 with what to correct, nothing made.
pub async fn create(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    body: String,
) -> Result<Response, WebError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body.as_bytes()).into_owned().collect();
    let problem = |text: String| Outcome::Problem(text);
    let mut pages: Vec<String> = Vec::new();
    for (_, name) in pairs.iter().filter(|(k, _)| k == "page") {
        if !SHAREABLE.iter().any(|(n, _)| n == name) {
            let known: Vec<&str> = SHAREABLE.iter().map(|(n, _)| *n).collect();
            let text = format!("{name:?} is not a page that can be shared; choose from {}", known.join(", "));
            return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, problem(text)).await;
        }
        if !pages.contains(name) {
            pages.push(name.clone());
        }
    }
    if pages.is_empty() {
        let text = "choose at least one page to share".to_string();
        return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, problem(text)).await;
    }
    let days = field(&pairs, "days").trim();
    let Some(days) = days.parse::<i64>().ok().filter(|d| (1..=MAX_SHARE_DAYS).contains(d)) else {
        let text = format!("the days {days:?} are not a whole number from 1 to {MAX_SHARE_DAYS}");
        return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, problem(text)).await;
    };
    let now = Utc::now();
    let token = random_token();
    let new = NewShareLink {
        label: field(&pairs, "label").to_string(),
        pages,
        token_hash: token_hash(&token),
        expires_at: now + Duration::days(days),
    };
    match state.store.create_share_link(&new, Some(me.user.id), now).await {
        Ok(link) => {
            let url = format!("{}/shared/{token}", base_url(&state, &headers));
            render(&state, &me, StatusCode::CREATED, Outcome::Created { link, url }).await
        }
        Err(e @ StoreError::InvalidRecord { .. }) => {
            render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, problem(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /shares/{id}/revoke`: the link stops working at once (audited).
pub async fn revoke(State(state): State<AppState>, me: SignedIn, Path(id): Path<String>) -> Result<Response, WebError> {
    let found = match id.parse::<i64>() {
        Ok(id) => state.store.revoke_share_link(id, Some(me.user.id), Utc::now()).await?,
        Err(_) => None,
    };
    match found {
        Some(_) => Ok(see_other("/shares")),
        None => {
            let text = "there is no share link with this number".to_string();
            render(&state, &me, StatusCode::NOT_FOUND, Outcome::Problem(text)).await
        }
    }
}
