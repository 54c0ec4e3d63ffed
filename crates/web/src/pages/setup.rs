//! The first start: the one-time setup link (printed by `socialledger serve`) opens a form that creates the owner
//! and signs them in. The link works once, for 24 hours, and only while there are no users.

use crate::access::{self, pre_session_csrf, with_cookie};
use crate::pages::{csrf_field, layout, message, page, see_other};
use crate::state::AppState;
use crate::tokens::{hash_password, password_problem, token_hash};
use crate::WebError;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use chrono::Utc;
use maud::html;
use serde::Deserialize;
use socialledger_domain::Role;
use socialledger_store::{LinkPurpose, NewUser};

#[derive(Deserialize)]
pub struct SetupForm {
    email: String,
    name: String,
    password: String,
    csrf: String,
}

/// The answer to a used, expired or unknown link.
pub(crate) fn link_gone() -> Response {
    message(
        StatusCode::GONE,
        "Link no longer valid",
        "This link has been used or has expired. Sign in at /login, or ask the owner for a new link (a new setup \
         link is printed each time `socialledger serve` starts on a database without users).",
    )
}

fn setup_page(status: StatusCode, token: &str, csrf: &str, email: &str, name: &str, problem: Option<&str>) -> Response {
    page(
        status,
        layout(
            "Set up socialledger",
            None,
            html! {
                p { "Create the owner: the one person accountable for social media, who sees everything and adds the others." }
                @if let Some(problem) = problem { p.error { (problem) } }
                form.stacked method="post" action={ "/setup/" (token) } {
                    (csrf_field(csrf))
                    label { "E-mail" input type="email" name="email" value=(email) required autocomplete="username"; }
                    label { "Name" input type="text" name="name" value=(name) required; }
                    label { "Password (at least 12 characters)" input type="password" name="password" required minlength="12" autocomplete="new-password"; }
                    button type="submit" { "Create the owner and sign in" }
                }
            },
        ),
    )
}

/// Why a new user's e-mail address or name is refused.
pub(crate) fn identity_problem(email: &str, name: &str) -> Option<&'static str> {
    let email = email.trim();
    let plausible = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
        && !email.chars().any(char::is_whitespace);
    if !plausible {
        return Some("enter an e-mail address such as name@example.com");
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Some("enter a name of 1 to 200 characters");
    }
    None
}

/// `GET /setup/{token}`.
pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let purpose = state.store.link_purpose(&token_hash(&token), Utc::now()).await?;
    if purpose != Some(LinkPurpose::Setup) || state.store.user_count().await? > 0 {
        return Ok(link_gone());
    }
    let (csrf, cookie) = pre_session_csrf(&state, &headers);
    Ok(with_cookie(setup_page(StatusCode::OK, &token, &csrf, "", "", None), cookie))
}

/// `POST /setup/{token}`: creates the owner (using the link up), signs them in and goes to the overview.
pub async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<SetupForm>,
) -> Result<Response, WebError> {
    let problem =
        identity_problem(&form.email, &form.name).map(str::to_string).or_else(|| password_problem(&form.password));
    if let Some(problem) = problem {
        return Ok(setup_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &token,
            &form.csrf,
            &form.email,
            &form.name,
            Some(&problem),
        ));
    }
    let password = form.password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| WebError::Hash(e.to_string()))?
        .map_err(|e| WebError::Hash(e.to_string()))?;
    let owner = NewUser {
        email: form.email,
        display_name: form.name.trim().to_string(),
        role: Role::Owner,
        password_hash: Some(hash),
    };
    let Some(user) = state.store.complete_setup(&token_hash(&token), &owner, Utc::now()).await? else {
        return Ok(link_gone());
    };
    let cookie = access::start_session(&state, user.id).await?;
    Ok(with_cookie(see_other("/"), Some(cookie)))
}
