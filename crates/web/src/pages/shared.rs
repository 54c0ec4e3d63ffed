//! The external reviewer's read-only view (`/shared/TOKEN`): the pages a share link shares ([`SHAREABLE`]), read
//! from the stored report like the staff's pages, without an account, until the link expires or is revoked.
//!
//! The link is the credential: every request looks its token's hash up ([`socialledger_store::Store::live_share_link`])
//! and answers an unknown, expired or revoked link with 410 alike. A page the link does not share is 404, and
//! nothing else of the app opens to it: the view sets no cookie and starts no session, so the staff's pages still
//! send the reviewer to the sign-in form. The Overview leaves out every cost figure unless the link also shares
//! Costs. There are no forms and no downloads here: the view only reads.

use crate::analyses;
use crate::pages::channels::{costs_table, engagement_table};
use crate::pages::overview::overview_body;
use crate::pages::report_view::{link_with, reload, Filter};
use crate::pages::{layout_with_head, message, page};
use crate::state::AppState;
use crate::tokens::token_hash;
use crate::WebError;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use maud::{html, Markup};
use socialledger_store::ShareLink;

/// The pages a link may share: name (in the URL and the store) and what it shows.
pub const SHAREABLE: &[(&str, &str)] = &[
    ("overview", "Overview: the verdict per channel (its costs only when Costs is shared too)"),
    ("channels", "Channels: engagement per channel, with its denominator"),
    ("costs", "Costs: full cost and hours per channel"),
];

/// A share link's `last_used_at` is written at most this often.
const TOUCH_EVERY: chrono::Duration = chrono::Duration::minutes(5);

/// The live link of `token`, or the 410 page that says it is not (or no longer) one.
async fn live_link(state: &AppState, token: &str) -> Result<Result<ShareLink, Response>, WebError> {
    let now = Utc::now();
    let Some(link) = state.store.live_share_link(&token_hash(token), now).await? else {
        let text = "this link is unknown, has expired or was revoked; ask whoever sent it for a new one";
        return Ok(Err(message(StatusCode::GONE, "Link not valid", text)));
    };
    if link.last_used_at.is_none_or(|at| now - at > TOUCH_EVERY) {
        state.store.touch_share_link(link.id, now).await?;
    }
    Ok(Ok(link))
}

/// The shared view's own navigation (only the shared pages) and what the view is.
fn shared_nav(link: &ShareLink, token: &str) -> Markup {
    html! {
        nav.shared {
            @for (name, _) in SHAREABLE.iter().filter(|(n, _)| link.shares(n)) {
                a href={ "/shared/" (token) "/" (name) } { (title_of(name)) } " "
            }
        }
        p.notice.shared-view {
            "A read-only view shared with " strong { (link.label) } " until "
            (link.expires_at.format("%Y-%m-%d %H:%M")) " UTC."
        }
    }
}

fn title_of(name: &str) -> &'static str {
    match name {
        "overview" => "Overview",
        "channels" => "Channels",
        "costs" => "Costs",
        _ => "Shared page",
    }
}

/// `GET /shared/{token}`: what the link shares.
pub async fn home(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, WebError> {
    let link = match live_link(&state, &token).await? {
        Ok(link) => link,
        Err(gone) => return Ok(gone),
    };
    let body = html! {
        (shared_nav(&link, &token))
        ul.shared-pages {
            @for (name, what) in SHAREABLE.iter().filter(|(n, _)| link.shares(n)) {
                li { a href={ "/shared/" (token) "/" (name) } { (what) } }
            }
        }
    };
    Ok(page(StatusCode::OK, layout_with_head("Shared view", None, html! {}, body)))
}

/// `GET /shared/{token}/{page}[?channel=KEY]`: one shared page; 404 for a page the link does not share.
pub async fn show(
    State(state): State<AppState>,
    Path((token, name)): Path<(String, String)>,
    Query(filter): Query<Filter>,
) -> Result<Response, WebError> {
    let link = match live_link(&state, &token).await? {
        Ok(link) => link,
        Err(gone) => return Ok(gone),
    };
    if !link.shares(&name) {
        let text = "this page is not shared with this link";
        return Ok(message(StatusCode::NOT_FOUND, "Not shared", text));
    }
    let view = analyses::report(&state).await?;
    let content = match name.as_str() {
        "overview" => overview_body(&view, &filter, link.shares("costs")),
        "channels" => engagement_table(&view, &filter),
        "costs" => costs_table(&view, &filter),
        _ => return Ok(message(StatusCode::NOT_FOUND, "Not shared", "this page is not shared with this link")),
    };
    let body = html! {
        (shared_nav(&link, &token))
        (content)
        p.muted { a href=(link_with(&format!("/shared/{token}"), &[])) { "All shared pages" } }
    };
    Ok(page(StatusCode::OK, layout_with_head(title_of(&name), None, reload(&view), body)))
}
