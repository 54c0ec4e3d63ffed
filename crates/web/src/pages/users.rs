//! People and their roles (owner and manager): the list, adding a user (who gets a one-time link to set their
//! password), changing a role, disabling and enabling. Every change is audited by the store, with before and
//! after. A manager may not grant or touch the owner role; nobody changes their own role or disables themselves,
//! so the owner cannot lock the workspace out by accident.

use crate::access::{base_url, SignedIn};
use crate::pages::setup::identity_problem;
use crate::pages::{csrf_field, layout, page, see_other};
use crate::state::AppState;
use crate::tokens::{random_token, token_hash};
use crate::WebError;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use chrono::Utc;
use maud::{html, Markup};
use serde::Deserialize;
use socialledger_domain::Role;
use socialledger_store::{NewUser, OneTimeLink, StoreError, User};

#[derive(Deserialize)]
pub struct AddForm {
    email: String,
    name: String,
    role: String,
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

#[derive(Deserialize)]
pub struct StatusForm {
    /// `true` to disable, `false` to enable.
    disabled: bool,
}

/// What the page says above the list after adding a user.
enum Outcome<'a> {
    None,
    Added { user: &'a User, link: String, days: u64 },
    Problem(String),
}

fn role_select(name: &str, selected: Role, actor: Role) -> Markup {
    html! {
        select name=(name) {
            @for role in Role::ALL {
                @if *role != Role::Owner || actor == Role::Owner {
                    option value=(role.as_str()) selected[*role == selected] { (role.as_str()) }
                }
            }
        }
    }
}

async fn render(
    state: &AppState,
    me: &SignedIn,
    status: StatusCode,
    outcome: Outcome<'_>,
) -> Result<Response, WebError> {
    let users = state.store.users().await?;
    let actor = me.user.role;
    let body = html! {
        @match &outcome {
            Outcome::Added { user, link, days } => {
                p.notice {
                    "Added " (user.display_name) " as " (user.role.as_str()) ". Send them this link to choose their password (it works once, for " (days) " days): "
                    span.link { (link) }
                }
            }
            Outcome::Problem(problem) => { p.error { (problem) } }
            Outcome::None => {}
        }
        table {
            thead { tr { th { "Name" } th { "E-mail" } th { "Role" } th { "Status" } th { "" } } }
            tbody {
                @for u in &users {
                    tr {
                        td { (u.display_name) }
                        td { (u.email) }
                        td {
                            @if may_change(me, u).is_none() {
                                form.inline method="post" action={ "/users/" (u.id) "/role" } {
                                    (csrf_field(&me.csrf_token))
                                    (role_select("role", u.role, actor))
                                    button.secondary type="submit" { "Change" }
                                }
                            } @else {
                                (u.role.as_str())
                            }
                        }
                        td {
                            @if u.disabled { "disabled" } @else if !u.has_password { "invited" } @else { "active" }
                        }
                        td {
                            @if may_change(me, u).is_none() {
                                form.inline method="post" action={ "/users/" (u.id) "/status" } {
                                    (csrf_field(&me.csrf_token))
                                    input type="hidden" name="disabled" value=(!u.disabled);
                                    button.secondary type="submit" { @if u.disabled { "Enable" } @else { "Disable" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Add a user" }
        form.stacked method="post" action="/users" {
            (csrf_field(&me.csrf_token))
            label { "E-mail" input type="email" name="email" required; }
            label { "Name" input type="text" name="name" required; }
            label { "Role" (role_select("role", Role::Viewer, actor)) }
            button type="submit" { "Add and make a set-password link" }
        }
    };
    Ok(page(status, layout("Users", Some(me), body)))
}

/// Why `me` may not change `target`'s role or status, if they may not.
fn may_change(me: &SignedIn, target: &User) -> Option<&'static str> {
    if me.user.id == target.id {
        return Some("you cannot change your own role or disable yourself; ask another owner or manager");
    }
    if target.role == Role::Owner && me.user.role != Role::Owner {
        return Some("only an owner may change an owner");
    }
    None
}

/// Why `me` may not grant `role`, if they may not.
fn may_grant(me: &SignedIn, role: Role) -> Option<&'static str> {
    (role == Role::Owner && me.user.role != Role::Owner).then_some("only an owner may make someone an owner")
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).map_err(|e| e.to_string())
}

/// `GET /users`.
pub async fn show(State(state): State<AppState>, me: SignedIn) -> Result<Response, WebError> {
    render(&state, &me, StatusCode::OK, Outcome::None).await
}

/// `POST /users`: adds a user without a password and shows their one-time set-password link.
pub async fn add(
    State(state): State<AppState>,
    headers: HeaderMap,
    me: SignedIn,
    Form(form): Form<AddForm>,
) -> Result<Response, WebError> {
    let role = match parse_role(&form.role) {
        Ok(role) => role,
        Err(problem) => return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, Outcome::Problem(problem)).await,
    };
    if let Some(problem) = identity_problem(&form.email, &form.name) {
        let outcome = Outcome::Problem(problem.to_string());
        return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, outcome).await;
    }
    if let Some(problem) = may_grant(&me, role) {
        return render(&state, &me, StatusCode::FORBIDDEN, Outcome::Problem(problem.to_string())).await;
    }
    let token = random_token();
    let now = Utc::now();
    let ttl = state.config.invite_link_ttl;
    let expires_at = now + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::days(7));
    let link = OneTimeLink { token_hash: token_hash(&token), expires_at };
    let new = NewUser { email: form.email, display_name: form.name.trim().to_string(), role, password_hash: None };
    match state.store.create_user(&new, Some(&link), Some(me.user.id), now).await {
        Ok(user) => {
            let link = format!("{}/invite/{token}", base_url(&state, &headers));
            let days = ttl.as_secs().div_ceil(24 * 3600);
            render(&state, &me, StatusCode::OK, Outcome::Added { user: &user, link, days }).await
        }
        Err(e @ StoreError::EmailTaken { .. }) => {
            render(&state, &me, StatusCode::CONFLICT, Outcome::Problem(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /users/{id}/role`.
pub async fn change_role(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<RoleForm>,
) -> Result<Response, WebError> {
    let role = match parse_role(&form.role) {
        Ok(role) => role,
        Err(problem) => return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, Outcome::Problem(problem)).await,
    };
    let Some(target) = state.store.user(id).await? else {
        return render(&state, &me, StatusCode::NOT_FOUND, Outcome::Problem(format!("there is no user {id}"))).await;
    };
    if let Some(problem) = may_change(&me, &target).or_else(|| may_grant(&me, role)) {
        return render(&state, &me, StatusCode::FORBIDDEN, Outcome::Problem(problem.to_string())).await;
    }
    state.store.set_user_role(id, role, Some(me.user.id), Utc::now()).await?;
    Ok(see_other("/users"))
}

/// `POST /users/{id}/status`: disables (ending their sessions) or enables a user.
pub async fn change_status(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> Result<Response, WebError> {
    let Some(target) = state.store.user(id).await? else {
        return render(&state, &me, StatusCode::NOT_FOUND, Outcome::Problem(format!("there is no user {id}"))).await;
    };
    if let Some(problem) = may_change(&me, &target) {
        return render(&state, &me, StatusCode::FORBIDDEN, Outcome::Problem(problem.to_string())).await;
    }
    state.store.set_user_disabled(id, form.disabled, Some(me.user.id), Utc::now()).await?;
    Ok(see_other("/users"))
}
