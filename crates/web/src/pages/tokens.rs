//! Personal access tokens of the API (`/tokens`): every signed-in member of staff makes and revokes their own;
//! the owner sees everyone's and may revoke any. A new token's secret is shown once, on the answer to the form
//! that made it, and never again (the store keeps its SHA-256). Making and revoking are audited by the store.

use crate::access::SignedIn;
use crate::pages::{csrf_field, layout, page, see_other};
use crate::state::AppState;
use crate::tokens::{api_token_hash, api_token_secret};
use crate::WebError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use chrono::{Duration, Utc};
use maud::html;
use serde::Deserialize;
use socialledger_store::api_tokens::{oversees_tokens, MAX_TOKEN_NAME_CHARS};
use socialledger_store::{ApiToken, NewApiToken, StoreError, TokenRevocation, TokenScope};

/// The longest a token may be made to last, in days (empty: until revoked).
const MAX_DAYS: i64 = 3650;

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
    /// Days until it expires; empty for no expiry.
    #[serde(default)]
    days: String,
}

/// What the page says above the list.
enum Outcome {
    None,
    Created { token: ApiToken, secret: String },
    Problem(String),
}

fn when(t: Option<chrono::DateTime<Utc>>, none: &str) -> String {
    t.map_or_else(|| none.to_string(), |t| t.format("%Y-%m-%d %H:%M").to_string())
}

async fn render(state: &AppState, me: &SignedIn, status: StatusCode, outcome: Outcome) -> Result<Response, WebError> {
    let all = oversees_tokens(me.user.role);
    let tokens = state.store.api_tokens((!all).then_some(me.user.id)).await?;
    let now = Utc::now();
    let body = html! {
        @match &outcome {
            Outcome::Created { token, secret } => {
                p.notice {
                    "Made the token " strong { (token.name) } " (" (token.scope.as_str()) "). Copy it now: it is shown only this once. "
                    "Send it as " code { "Authorization: Bearer TOKEN" } " to the " code { "/api/v1" } " routes (docs/api.md)."
                }
                p { code.secret { (secret) } }
            }
            Outcome::Problem(problem) => { p.error { (problem) } }
            Outcome::None => {}
        }
        p { "A token acts as you, with your role, on the JSON API only (" a href="/api/openapi.json" { "OpenAPI description" } "). "
            "A " code { "read" } " token cannot change anything." }
        @if tokens.is_empty() {
            p.muted { "No tokens yet." }
        } @else {
            table.tokens {
                thead { tr {
                    @if all { th { "Owner" } }
                    th { "Name" } th { "Scope" } th { "Made (UTC)" } th { "Last used" } th { "Expires" } th { "Status" } th { "" }
                } }
                tbody { @for t in &tokens {
                    tr data-token-id=(t.id) {
                        @if all { td { (t.user_email) } }
                        td { (t.name) }
                        td { (t.scope.as_str()) }
                        td { (when(Some(t.created_at), "")) }
                        td { (when(t.last_used_at, "never")) }
                        td { (when(t.expires_at, "never")) }
                        td { @if t.revoked_at.is_some() { "revoked" } @else if t.is_live(now) { "active" } @else { "expired" } }
                        td {
                            @if t.revoked_at.is_none() {
                                form.inline method="post" action={ "/tokens/" (t.id) "/revoke" } {
                                    (csrf_field(&me.csrf_token))
                                    button.secondary type="submit" { "Revoke" }
                                }
                            }
                        }
                    }
                } }
            }
        }
        h2 { "Make a token" }
        form.stacked method="post" action="/tokens" {
            (csrf_field(&me.csrf_token))
            label { "Name" input type="text" name="name" maxlength=(MAX_TOKEN_NAME_CHARS) required placeholder="weekly reporting script"; }
            label { "Scope"
                select name="scope" {
                    @for scope in TokenScope::ALL { option value=(scope.as_str()) { (scope.as_str()) } }
                }
            }
            label { "Expires after (days, empty: until revoked)" input type="number" name="days" min="1" max=(MAX_DAYS); }
            button type="submit" { "Make the token" }
        }
    };
    Ok(page(status, layout("API tokens", Some(me), body)))
}

/// `GET /tokens`.
pub async fn show(State(state): State<AppState>, me: SignedIn) -> Result<Response, WebError> {
    render(&state, &me, StatusCode::OK, Outcome::None).await
}

/// `POST /tokens`: makes a token and shows its secret once (201).
pub async fn create(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<CreateForm>,
) -> Result<Response, WebError> {
    let problem = |text: String| Outcome::Problem(text);
    let Some(scope) = TokenScope::parse(&form.scope) else {
        let text = format!("the scope {:?} is neither read nor read-write", form.scope);
        return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, problem(text)).await;
    };
    let now = Utc::now();
    let expires_at = match form.days.trim() {
        "" => None,
        days => match days.parse::<i64>() {
            Ok(d) if (1..=MAX_DAYS).contains(&d) => Some(now + Duration::days(d)),
            _ => {
                let text = format!(
                    "the days {days:?} are not a whole number from 1 to {MAX_DAYS}; leave it empty for no expiry"
                );
                return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, problem(text)).await;
            }
        },
    };
    let secret = api_token_secret();
    let new = NewApiToken { name: form.name, scope, secret_hash: api_token_hash(&secret), expires_at };
    match state.store.create_api_token(&me.user, &new, now).await {
        Ok(token) => render(&state, &me, StatusCode::CREATED, Outcome::Created { token, secret }).await,
        Err(e @ StoreError::InvalidRecord { .. }) => {
            render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, problem(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /tokens/{id}/revoke`: the visitor's own token, or anyone's for the owner.
pub async fn revoke(State(state): State<AppState>, me: SignedIn, Path(id): Path<String>) -> Result<Response, WebError> {
    let Ok(id) = id.parse::<i64>() else {
        let text = format!("{id:?} is not a token number");
        return render(&state, &me, StatusCode::NOT_FOUND, Outcome::Problem(text)).await;
    };
    match state.store.revoke_api_token(&me.user, id, oversees_tokens(me.user.role), Utc::now()).await? {
        TokenRevocation::Revoked(_) => Ok(see_other("/tokens")),
        TokenRevocation::NotFound => {
            let text = "there is no token with this number".to_string();
            render(&state, &me, StatusCode::NOT_FOUND, Outcome::Problem(text)).await
        }
        TokenRevocation::NotYours => {
            let text = "this token is someone else's: only its owner (or the workspace's owner) may revoke it";
            render(&state, &me, StatusCode::FORBIDDEN, Outcome::Problem(text.to_string())).await
        }
    }
}
