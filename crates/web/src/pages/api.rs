//! The JSON API under `/api/v1` (more with issue 16): for now who the session belongs to.

use crate::access::SignedIn;
use axum::Json;

/// `GET /api/v1/me`: the signed-in user, and the session's CSRF token, which a script sends back in the
/// `X-CSRF-Token` header of its POSTs (other sites cannot read this response: no CORS headers are sent).
pub async fn me(signed_in: SignedIn) -> Json<serde_json::Value> {
    let u = signed_in.user;
    Json(serde_json::json!({
        "id": u.id,
        "email": u.email,
        "display_name": u.display_name,
        "role": u.role.as_str(),
        "csrf_token": signed_in.csrf_token,
    }))
}
