//! Who is asking, and may they: every request passes [`guard`] with its row of [`crate::routes::ROUTES`].
//!
//! - **Session**: the `sl_session` cookie holds a random 256-bit token; the database keeps its hash with the
//!   user and an expiry ([`socialledger_store::accounts`]). HttpOnly, SameSite=Strict, Path=/, Secure when the
//!   public URL is https.
//! - **Role**: a route for some roles answers a visitor without a session with a redirect to `/login` (pages) or
//!   401 JSON (`/api`), and a signed-in user without the role with 403.
//! - **CSRF**: every state-changing request (POST) must come from this site's origin (the `Origin` header, else
//!   the `Referer`) and carry the form's token (a `csrf` form field or an `X-CSRF-Token` header): the session's
//!   token when signed in, and for the sign-in and setup forms the pre-session token of the `sl_csrf` cookie
//!   (double submit). Both are checked here, before any handler runs.
//! - **Personal access tokens**: on `/api/` routes only, `Authorization: Bearer <token>` signs the request in as
//!   the token's owner, with the owner's role checked exactly as for a session; the session cookie is then not
//!   read. A `read` token is refused (403) on state-changing methods. No CSRF check: a bearer token is not sent by
//!   a browser on its own, so another site cannot make one ride along. An unknown, revoked or expired token, or a
//!   malformed `Authorization` header, is 401 JSON.

use crate::pages;
use crate::routes::{Access, Endpoint, Route};
use crate::state::AppState;
use crate::tokens::{api_token_hash, random_token, same_secret, token_hash};
use crate::WebError;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{HeaderMap, HeaderValue, AUTHORIZATION, COOKIE, HOST, ORIGIN, REFERER, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use socialledger_store::{NewSession, TokenScope, User};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "sl_session";
/// The pre-session CSRF cookie of the sign-in, setup and set-password forms.
pub const CSRF_COOKIE: &str = "sl_csrf";
/// The form field every form carries its CSRF token in.
pub const CSRF_FIELD: &str = "csrf";
/// The header a script may send the token in instead.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The largest form body read for the CSRF check (forms of this app are small; uploads come as multipart, on
/// the one route that takes them, up to `pages::imports::MAX_UPLOAD_BYTES`).
const MAX_FORM_BYTES: usize = 64 * 1024;
/// A session's `last_seen` is written at most this often, so that reading pages does not write on every request.
const TOUCH_EVERY: chrono::Duration = chrono::Duration::minutes(5);

/// A signed-in visitor: their user, their session's CSRF token and the hash the session is stored under; or, for
/// a request with a personal access token, the user and the token's scope (no session, no CSRF token).
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub user: User,
    pub csrf_token: String,
    pub session_hash: String,
    /// `Some` when the request was signed in by a personal access token of this scope.
    pub token_scope: Option<TokenScope>,
}

/// Whoever made the request, as [`guard`] found them (put in the request's extensions for the handlers).
#[derive(Clone, Debug, Default)]
pub struct Visitor {
    pub signed_in: Option<SignedIn>,
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = StatusCode;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Visitor>().cloned().unwrap_or_default())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    /// Only reached on a route that [`guard`] let through without a session: a route-table mistake.
    type Rejection = StatusCode;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Visitor>().and_then(|v| v.signed_in.clone()).ok_or(StatusCode::UNAUTHORIZED)
    }
}

/// The value of a cookie in the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value with the attributes every cookie of the app has.
fn set_cookie(state: &AppState, name: &str, value: &str, max_age_secs: u64) -> HeaderValue {
    let secure = if state.config.secure_cookies() { "; Secure" } else { "" };
    let text = format!("{name}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

/// The pre-session CSRF token of a sign-in or setup form: the request's `sl_csrf` cookie, else a new one with the
/// `Set-Cookie` header that sets it.
pub fn pre_session_csrf(state: &AppState, headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    match cookie(headers, CSRF_COOKIE).filter(|t| t.len() == 64) {
        Some(token) => (token, None),
        None => {
            let token = random_token();
            let header = set_cookie(state, CSRF_COOKIE, &token, 24 * 3600);
            (token, Some(header))
        }
    }
}

/// Starts a session for `user_id`: the row in the database and the `Set-Cookie` header of its token.
pub async fn start_session(state: &AppState, user_id: i64) -> Result<HeaderValue, WebError> {
    let token = random_token();
    let now = Utc::now();
    let ttl = state.config.session_ttl;
    let expires_at = now + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::days(7));
    let session = NewSession { id_hash: token_hash(&token), user_id, csrf_token: random_token(), expires_at };
    state.store.create_session(&session, now).await?;
    Ok(set_cookie(state, SESSION_COOKIE, &token, ttl.as_secs()))
}

/// The `Set-Cookie` header that removes the session cookie.
pub fn end_session_cookie(state: &AppState) -> HeaderValue {
    set_cookie(state, SESSION_COOKIE, "", 0)
}

/// The origin (`scheme://host[:port]`) state-changing requests must come from: the public URL's, else this
/// server's as the request names it (`Host`).
pub fn own_origin(state: &AppState, headers: &HeaderMap) -> Option<String> {
    if let Some(url) = &state.config.public_url {
        return Some(url.origin().ascii_serialization());
    }
    headers.get(HOST).and_then(|h| h.to_str().ok()).map(|host| format!("http://{host}"))
}

/// The base URL links in pages and messages are written with (no trailing slash).
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    match &state.config.public_url {
        Some(url) => url.as_str().trim_end_matches('/').to_string(),
        None => own_origin(state, headers).unwrap_or_default(),
    }
}

/// Why a state-changing request does not come from this site, if it does not.
fn origin_problem(state: &AppState, headers: &HeaderMap) -> Option<&'static str> {
    let Some(own) = own_origin(state, headers) else { return Some("the request names no host") };
    let header = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    if let Some(origin) = header(ORIGIN) {
        return (origin != own).then_some("the request comes from another site (Origin)");
    }
    if let Some(referer) = header(REFERER) {
        let from = url::Url::parse(referer).map(|u| u.origin().ascii_serialization());
        return (from.as_deref() != Ok(own.as_str())).then_some("the request comes from another site (Referer)");
    }
    Some("the request has neither an Origin nor a Referer header")
}

/// What the `Authorization` header of an API request says: nothing, a bearer token, or something else.
enum Bearer {
    None,
    Token(String),
    Malformed,
}

fn bearer(headers: &HeaderMap) -> Bearer {
    let Some(value) = headers.get(AUTHORIZATION) else { return Bearer::None };
    let text = value.to_str().unwrap_or("");
    match text.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Bearer::Token(token.trim().to_string())
        }
        _ => Bearer::Malformed,
    }
}

/// 401 JSON for an API request whose credentials do not sign anyone in.
fn bad_token(why: &str) -> Response {
    (StatusCode::UNAUTHORIZED, axum::Json(serde_json::json!({ "error": why }))).into_response()
}

/// The access check of one route (see the module docs); runs before the route's handler.
pub async fn guard(State(state): State<AppState>, route: &'static Route, req: Request, next: Next) -> Response {
    let now = Utc::now();
    let by_token = if route.is_api() { bearer(req.headers()) } else { Bearer::None };
    let signed_in = match by_token {
        Bearer::Malformed => {
            return bad_token("the Authorization header must be `Bearer <token>`; make a token at /tokens")
        }
        Bearer::Token(secret) => match state.store.api_token_user(&api_token_hash(&secret), now).await {
            Ok(Some((token, user))) => {
                if token.last_used_at.is_none_or(|at| now - at > TOUCH_EVERY) {
                    if let Err(e) = state.store.touch_api_token(token.id, now).await {
                        return pages::error_response(true, &e.into());
                    }
                }
                Some(SignedIn {
                    user,
                    csrf_token: String::new(),
                    session_hash: String::new(),
                    token_scope: Some(token.scope),
                })
            }
            Ok(None) => {
                return bad_token("the token is unknown, revoked or expired; make a new one at /tokens");
            }
            Err(e) => return pages::error_response(true, &e.into()),
        },
        Bearer::None => match session_of(&state, cookie(req.headers(), SESSION_COOKIE), now).await {
            Ok(signed_in) => signed_in,
            Err(e) => return pages::error_response(route.is_api(), &e),
        },
    };
    if let Access::Roles(_) = route.access {
        match &signed_in {
            None => return unauthenticated(route, &req),
            Some(s) if !route.access.allows(s.user.role) => {
                return refused(route, "your role may not use this page; ask the owner if you need it")
            }
            Some(_) => {}
        }
    }
    let mut req = req;
    let token_scope = signed_in.as_ref().and_then(|s| s.token_scope);
    if route.method.changes_state() && token_scope == Some(TokenScope::Read) {
        return refused(route, "this token may only read; make a read-write token at /tokens to change data");
    }
    if route.method.changes_state() && token_scope.is_none() {
        if let Some(problem) = origin_problem(&state, req.headers()) {
            return refused(route, problem);
        }
        let expected = match route.access {
            Access::Public => cookie(req.headers(), CSRF_COOKIE),
            Access::Roles(_) => signed_in.as_ref().map(|s| s.csrf_token.clone()),
        };
        let (parts, body) = req.into_parts();
        let boundary = multipart_boundary(&parts.headers);
        let limit = match (&boundary, route.endpoint) {
            (Some(_), Endpoint::ImportUpload) => pages::imports::MAX_UPLOAD_BYTES + 64 * 1024,
            _ => MAX_FORM_BYTES,
        };
        let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
            return pages::message(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Too large",
                "the form or file is too large; import large files with `socialledger import`",
            );
        };
        let mut given = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(str::to_string);
        if given.is_none() {
            given = match boundary {
                Some(boundary) => multipart_field(bytes.clone(), boundary, CSRF_FIELD).await,
                None => url::form_urlencoded::parse(&bytes).find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.into_owned()),
            };
        }
        let valid = matches!((&expected, &given), (Some(e), Some(g)) if same_secret(e, g));
        if !valid {
            return refused(
                route,
                "the form has expired or did not come from this site (CSRF check); reload the page and try again",
            );
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    req.extensions_mut().insert(Visitor { signed_in });
    next.run(req).await
}

/// The boundary of a `multipart/form-data` body (an upload form), if the request has one.
fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let content_type = headers.get(axum::http::header::CONTENT_TYPE)?.to_str().ok()?;
    if !content_type.trim_start().to_ascii_lowercase().starts_with("multipart/form-data") {
        return None;
    }
    multer::parse_boundary(content_type).ok()
}

/// The text of the first field `name` of a multipart body (the upload form's CSRF token, which comes before its
/// file), read with the parser axum's `Multipart` uses.
async fn multipart_field(body: axum::body::Bytes, boundary: String, name: &str) -> Option<String> {
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

/// The session the request's cookie names, if it is live (its `last_seen` brought up to date now and then).
async fn session_of(
    state: &AppState,
    token: Option<String>,
    now: chrono::DateTime<Utc>,
) -> Result<Option<SignedIn>, WebError> {
    let Some(token) = token else { return Ok(None) };
    let hash = token_hash(&token);
    let Some(session) = state.store.session(&hash, now).await? else { return Ok(None) };
    if now - session.last_seen > TOUCH_EVERY {
        state.store.touch_session(&hash, now).await?;
    }
    Ok(Some(SignedIn { user: session.user, csrf_token: session.csrf_token, session_hash: hash, token_scope: None }))
}

/// No session on a route that needs one: pages send the visitor to the sign-in form (and back afterwards), the API
/// answers 401.
fn unauthenticated(route: &Route, req: &Request) -> Response {
    if route.is_api() {
        let body = serde_json::json!({ "error": "not signed in: sign in at /login first" });
        return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    }
    let back = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let next: String = url::form_urlencoded::byte_serialize(back.as_bytes()).collect();
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/login?next={next}")) {
        response.headers_mut().insert(axum::http::header::LOCATION, location);
    }
    response
}

/// 403 with the reason, as a page or as JSON.
fn refused(route: &Route, why: &str) -> Response {
    if route.is_api() {
        return (StatusCode::FORBIDDEN, axum::Json(serde_json::json!({ "error": why }))).into_response();
    }
    pages::message(StatusCode::FORBIDDEN, "Not allowed", why)
}

/// Adds a `Set-Cookie` header to a response.
pub fn with_cookie(mut response: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(cookie) = cookie {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}
