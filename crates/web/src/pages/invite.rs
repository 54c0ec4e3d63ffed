//! A new user's one-time link: sets their password and signs them in. Made when an owner or manager adds the user
//! (`/users`); works once, for 7 days.

use crate::access::{self, pre_session_csrf, with_cookie};
use crate::pages::setup::link_gone;
use crate::pages::{csrf_field, layout, page, see_other};
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
use socialledger_store::LinkPurpose;

#[derive(Deserialize)]
pub struct PasswordForm {
    password: String,
    csrf: String,
}

fn invite_page(status: StatusCode, token: &str, csrf: &str, name: &str, problem: Option<&str>) -> Response {
    page(
        status,
        layout(
            "Choose your password",
            None,
            html! {
                p { "Welcome, " (name) ". Choose a password to finish your account." }
                @if let Some(problem) = problem { p.error { (problem) } }
                form.stacked method="post" action={ "/invite/" (token) } {
                    (csrf_field(csrf))
                    label { "Password (at least 12 characters)" input type="password" name="password" required minlength="12" autocomplete="new-password"; }
                    button type="submit" { "Set the password and sign in" }
                }
            },
        ),
    )
}

/// `GET /invite/{token}`.
pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let Some(LinkPurpose::SetPassword { user_id }) = state.store.link_purpose(&token_hash(&token), Utc::now()).await?
    else {
        return Ok(link_gone());
    };
    let Some(user) = state.store.user(user_id).await?.filter(|u| !u.disabled) else { return Ok(link_gone()) };
    let (csrf, cookie) = pre_session_csrf(&state, &headers);
    Ok(with_cookie(invite_page(StatusCode::OK, &token, &csrf, &user.display_name, None), cookie))
}

/// `POST /invite/{token}`: sets the password (using the link up) and signs the user in.
pub async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    if let Some(problem) = password_problem(&form.password) {
        return Ok(invite_page(StatusCode::UNPROCESSABLE_ENTITY, &token, &form.csrf, "", Some(&problem)));
    }
    let password = form.password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| WebError::Hash(e.to_string()))?
        .map_err(|e| WebError::Hash(e.to_string()))?;
    let Some(user) = state.store.complete_password_link(&token_hash(&token), &hash, Utc::now()).await? else {
        return Ok(link_gone());
    };
    let cookie = access::start_session(&state, user.id).await?;
    Ok(with_cookie(see_other("/"), Some(cookie)))
}
