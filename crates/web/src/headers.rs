//! The security headers every response carries, pages, assets and errors alike.
//!
//! The Content-Security-Policy allows only this origin's scripts, styles and images (plus `data:` images for
//! server-side charts) and no inline script or style, so text a user or an export put on a page cannot run even
//! if escaping failed somewhere. `Referrer-Policy: same-origin` rather than `no-referrer`: with `no-referrer`
//! browsers send `Origin: null` on form posts, and the CSRF check ([`crate::access`]) needs the real origin.

use axum::http::header::{
    HeaderName, HeaderValue, CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy of every response.
pub const CONTENT_SECURITY_POLICY_VALUE: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Adds the headers to every response of `router` (its fallback included). Pages are not cached (they show
/// one person's data); the stylesheet sets its own `Cache-Control`, which is kept.
pub fn secure(router: Router) -> Router {
    let always = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    router
        .layer(always(CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_VALUE))
        .layer(always(REFERRER_POLICY, "same-origin"))
        .layer(always(X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(always(X_FRAME_OPTIONS, "DENY"))
        .layer(SetResponseHeaderLayer::if_not_present(CACHE_CONTROL, HeaderValue::from_static("no-store")))
}
