//! The pages of the app, one module per resource, and the layout they share. maud escapes every value it
//! interpolates, so names, e-mail addresses and texts from exports are shown as text, never as markup.

pub mod assets;
pub mod attribution;
pub mod audit;
pub mod channels;
pub mod experiments;
pub mod export;
pub mod home;
pub mod imports;
pub mod invite;
pub mod login;
pub mod mix;
pub mod overview;
pub mod posts;
mod report_view;
pub mod settings;
pub mod setup;
pub mod shared;
pub mod shares;
pub mod targets;
pub mod time;
pub mod tokens;
pub mod users;

use crate::access::{SignedIn, CSRF_FIELD};
use crate::pages::report_view::Filter;
use crate::routes::{Endpoint, Method, ROUTES};
use crate::WebError;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

/// The links of the navigation, each shown to the roles its route allows; `true` for the pages that take the
/// URL's filter (channel, period), whose links carry it from page to page.
const NAV: [(Endpoint, &str, bool); 16] = [
    (Endpoint::Home, "Start", false),
    (Endpoint::Overview, "Overview", true),
    (Endpoint::Channels, "Channels", true),
    (Endpoint::Posts, "Posts", true),
    (Endpoint::Mix, "Mix", true),
    (Endpoint::Attribution, "Attribution", true),
    (Endpoint::Experiments, "Experiments", true),
    (Endpoint::ChannelCosts, "Costs", true),
    (Endpoint::Time, "Time", false),
    (Endpoint::Targets, "Targets", false),
    (Endpoint::Imports, "Imports", false),
    (Endpoint::Users, "Users", false),
    (Endpoint::AuditLog, "Audit log", false),
    (Endpoint::Tokens, "API tokens", false),
    (Endpoint::Settings, "Settings", false),
    (Endpoint::Shares, "Share links", false),
];

/// A whole page: the navigation for the signed-in user, the title and the body.
pub fn layout(title: &str, visitor: Option<&SignedIn>, body: Markup) -> Markup {
    layout_with_head(title, visitor, html! {}, body)
}

/// [`layout`] with more in `<head>` (a page that reloads itself while its figures are computed).
pub fn layout_with_head(title: &str, visitor: Option<&SignedIn>, head: Markup, body: Markup) -> Markup {
    layout_filtered(title, visitor, head, None, body)
}

/// [`layout_with_head`] on a page that takes the URL's filter: the navigation's links keep it.
pub fn layout_filtered(
    title: &str,
    visitor: Option<&SignedIn>,
    head: Markup,
    filter: Option<&Filter>,
    body: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · socialledger" }
                link rel="stylesheet" href="/static/app.css";
                (head)
            }
            body {
                header {
                    nav {
                        span.brand { "socialledger" }
                        @if let Some(s) = visitor {
                            @for (endpoint, label, filtered) in NAV {
                                @if let Some(route) = ROUTES.iter().find(|r| r.endpoint == endpoint && r.method == Method::Get) {
                                    @if route.access.allows(s.user.role) {
                                        @match filter.filter(|_| filtered) {
                                            Some(f) => a href=(f.link(route.path)) { (label) },
                                            None => a href=(route.path) { (label) },
                                        }
                                    }
                                }
                            }
                            span.who { (s.user.display_name) " · " (s.user.role.as_str()) }
                            form.inline method="post" action="/logout" {
                                (csrf_field(&s.csrf_token))
                                button type="submit" { "Sign out" }
                            }
                            form.inline method="post" action="/logout-everywhere" {
                                (csrf_field(&s.csrf_token))
                                button.secondary type="submit" { "Sign out everywhere" }
                            }
                        }
                    }
                }
                main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// The hidden CSRF field every form carries.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(token); }
}

/// A page as a response with a status.
pub fn page(status: StatusCode, markup: Markup) -> Response {
    (status, Html(markup.into_string())).into_response()
}

/// A short page with a title and one message (errors, refusals, expired links).
pub fn message(status: StatusCode, title: &str, text: &str) -> Response {
    page(status, layout(title, None, html! { p.notice { (text) } p { a href="/" { "Back to the start" } } }))
}

/// The response to an unexpected error: the details go to the server's log (stderr), the visitor gets a short
/// message (a database error may name tables and hosts).
pub fn error_response(api: bool, error: &WebError) -> Response {
    let status = error.status();
    if status.is_server_error() {
        eprintln!("socialledger web: {error}");
    }
    let text = if status.is_server_error() {
        "something went wrong on the server; try again, and tell the owner if it persists".to_string()
    } else {
        error.to_string()
    };
    if api {
        return (status, axum::Json(serde_json::json!({ "error": text }))).into_response();
    }
    message(status, "Something went wrong", &text)
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        error_response(false, &self)
    }
}

/// Any path that is no route.
pub async fn not_found() -> Response {
    message(StatusCode::NOT_FOUND, "Not found", "there is no page at this address")
}

/// A 303 redirect (after a form: the browser then GETs `to`).
pub fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = axum::http::HeaderValue::from_str(to) {
        response.headers_mut().insert(axum::http::header::LOCATION, location);
    }
    response
}
