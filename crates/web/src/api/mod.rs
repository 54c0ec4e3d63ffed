//! The JSON API under `/api/v1`: what a script or another tool reads (and, with a read-write token, writes) of the
//! workspace, with the same role checks as the pages ([`crate::routes`]), signed in by the session cookie or by
//! a personal access token (`Authorization: Bearer`, [`crate::access`]).
//!
//! Lists are paged (`?page=1&per_page=100`, at most [`MAX_PER_PAGE`]) and read a page at a time from the store;
//! each answer carries the `total` and the `next` page's path. The OpenAPI description is generated from these
//! handlers and types by `utoipa` ([`ApiDoc`], served at `/api/openapi.json`, checked in as `docs/openapi.json`).
//! Texts from exports (post texts, names) are returned as JSON strings with `application/json`: never as HTML.

pub mod v1;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use socialledger_store::PageRequest;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

/// Rows per page when the request does not say.
pub const DEFAULT_PER_PAGE: u64 = 100;
/// The most rows one page may have.
pub const MAX_PER_PAGE: u64 = 500;

/// `?page=&per_page=` of a list. Numbers are checked here (not by the extractor) so that a bad one is answered
/// with JSON that says what to send.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The page, from 1 (default 1).
    #[param(value_type = Option<u64>, minimum = 1)]
    page: Option<String>,
    /// Rows per page, 1 to 500 (default 100).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 500)]
    per_page: Option<String>,
}

/// A checked page request: its number from 1 and its size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    pub page: u64,
    pub per_page: u64,
}

impl PageQuery {
    /// The page asked for, or what is wrong with the query.
    pub fn paging(&self) -> Result<Paging, ApiError> {
        let number =
            |text: &Option<String>, name: &str, default: u64, max: u64| match text.as_deref().map(str::trim) {
                None | Some("") => Ok(default),
                Some(t) => t.parse::<u64>().ok().filter(|n| (1..=max).contains(n)).ok_or_else(|| {
                    ApiError::bad_request(format!("{name}={t:?} is not a whole number from 1 to {max}"))
                }),
            };
        Ok(Paging {
            page: number(&self.page, "page", 1, u64::MAX / MAX_PER_PAGE)?,
            per_page: number(&self.per_page, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)?,
        })
    }
}

impl Paging {
    pub fn request(&self) -> PageRequest {
        PageRequest { limit: self.per_page, offset: (self.page - 1) * self.per_page }
    }

    /// The answer: the items, the total and the path of the next page (when there are more rows).
    pub fn page<T>(&self, path: &str, items: Vec<T>, total: u64) -> Page<T> {
        let next = (self.page * self.per_page < total)
            .then(|| format!("{path}?page={}&per_page={}", self.page + 1, self.per_page));
        Page { items, page: self.page, per_page: self.per_page, total, next }
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// This page's number, from 1.
    pub page: u64,
    pub per_page: u64,
    /// Rows in the whole list.
    pub total: u64,
    /// The path of the next page (with its query), `null` on the last page.
    pub next: Option<String>,
}

/// The body of every error answer of the API.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong and what to do.
    pub error: String,
}

/// An error answer: a status and what to do.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, message: message.into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody { error: self.message })).into_response()
    }
}

impl From<crate::WebError> for ApiError {
    fn from(e: crate::WebError) -> ApiError {
        let status = e.status();
        if status.is_server_error() {
            eprintln!("socialledger web: {e}");
            let message = "something went wrong on the server; try again, and tell the owner if it persists";
            return ApiError { status, message: message.to_string() };
        }
        ApiError { status, message: e.to_string() }
    }
}

impl From<socialledger_store::StoreError> for ApiError {
    fn from(e: socialledger_store::StoreError) -> ApiError {
        ApiError::from(crate::WebError::from(e))
    }
}

/// The OpenAPI description of the API, generated from the handlers of [`v1`] and their types.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "socialledger API",
        description = "The JSON API of the socialledger web app. Sign in with a personal access token \
            (`Authorization: Bearer slpat_...`, made at /tokens) or the session cookie. Every route has the roles \
            of docs/roles.md; lists are paged. See docs/api.md."
    ),
    paths(
        v1::me,
        v1::channels,
        v1::posts,
        v1::time_entries,
        v1::log_time,
        v1::report,
        v1::audit
    ),
    modifiers(&BearerToken),
    security(("bearer" = []), ("session" = []))
)]
pub struct ApiDoc;

/// The two ways to sign in, as security schemes.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("a personal access token, scope read or read-write"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::access::SESSION_COOKIE,
                "the session cookie of a signed-in browser; state-changing requests also need X-CSRF-Token",
            ))),
        );
    }
}

/// `docs/openapi.json`: the description as pretty JSON with a final newline.
pub fn openapi_json() -> String {
    let mut text = ApiDoc::openapi().to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// `GET /api/openapi.json`.
pub async fn openapi() -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], openapi_json()).into_response()
}
