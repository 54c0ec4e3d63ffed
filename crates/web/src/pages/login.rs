//! Signing in and out: the sign-in form (argon2id verify, rate limited by failures recorded in the database),
//! sign-out, and sign-out everywhere (every session of the user ends).

use crate::access::{self, pre_session_csrf, with_cookie, SignedIn};
use crate::pages::{csrf_field, layout, page, see_other};
use crate::state::AppState;
use crate::tokens::{dummy_hash, verify_password};
use crate::WebError;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::header::{HeaderValue, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use chrono::Utc;
use maud::html;
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

/// Only a path of this site may be returned to after signing in (never `//other.site`).
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n,
        _ => "/",
    }
}

fn login_page(status: StatusCode, csrf: &str, email: &str, next: &str, problem: Option<&str>) -> Response {
    page(
        status,
        layout(
            "Sign in",
            None,
            html! {
                @if let Some(problem) = problem { p.error { (problem) } }
                form.stacked method="post" action="/login" {
                    (csrf_field(csrf))
                    input type="hidden" name="next" value=(next);
                    label { "E-mail" input type="email" name="email" value=(email) required autocomplete="username"; }
                    label { "Password" input type="password" name="password" required autocomplete="current-password"; }
                    button type="submit" { "Sign in" }
                }
            },
        ),
    )
}

/// `GET /login`.
pub async fn form(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<NextQuery>) -> Response {
    let (csrf, cookie) = pre_session_csrf(&state, &headers);
    with_cookie(login_page(StatusCode::OK, &csrf, "", safe_next(q.next.as_deref()), None), cookie)
}

/// `POST /login`: refused with 429 while the address or the client has too many recent failures; otherwise the
/// password is verified (against a dummy hash when the address is unknown, so that both take as long).
pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let config = &state.config;
    let now = Utc::now();
    let window = chrono::Duration::from_std(config.login_window).unwrap_or(chrono::Duration::minutes(15));
    let ip = client.ip().to_string();
    let next = safe_next(form.next.as_deref()).to_string();
    let failures = state.store.login_failures(&form.email, &ip, now - window).await?;
    if failures.by_email >= config.max_failures_per_email || failures.by_ip >= config.max_failures_per_ip {
        let minutes = config.login_window.as_secs().div_ceil(60);
        let text = format!(
            "Too many failed sign-ins for this address or from this network: wait {minutes} minutes and try again, \
             or ask the owner to check your account."
        );
        let mut response = login_page(StatusCode::TOO_MANY_REQUESTS, &form.csrf, &form.email, &next, Some(&text));
        if let Ok(secs) = HeaderValue::from_str(&config.login_window.as_secs().to_string()) {
            response.headers_mut().insert(RETRY_AFTER, secs);
        }
        return Ok(response);
    }
    let credentials = state.store.user_credentials(&form.email).await?;
    let (user, hash) = match credentials {
        Some((user, Some(hash))) if !user.disabled => (Some(user), hash),
        _ => (None, dummy_hash().to_string()),
    };
    let password = form.password;
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| WebError::Hash(e.to_string()))?;
    let Some(user) = user.filter(|_| matches) else {
        state.store.record_login_failure(&form.email, &ip, now, now - window).await?;
        let text = "Wrong e-mail address or password (or the account is disabled).";
        return Ok(login_page(StatusCode::UNAUTHORIZED, &form.csrf, &form.email, &next, Some(text)));
    };
    state.store.clear_login_failures(&user.email).await?;
    let cookie = access::start_session(&state, user.id).await?;
    Ok(with_cookie(see_other(&next), Some(cookie)))
}

/// `POST /logout`: ends this session.
pub async fn logout(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, WebError> {
    state.store.delete_session(&signed_in.session_hash).await?;
    let mut response = see_other("/login");
    response.headers_mut().append(SET_COOKIE, access::end_session_cookie(&state));
    Ok(response)
}

/// `POST /logout-everywhere`: ends every session of the user, on every device (audited).
pub async fn logout_everywhere(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, WebError> {
    let id = signed_in.user.id;
    state.store.delete_sessions_of(id, Some(id), Utc::now()).await?;
    let mut response = see_other("/login");
    response.headers_mut().append(SET_COOKIE, access::end_session_cookie(&state));
    Ok(response)
}
