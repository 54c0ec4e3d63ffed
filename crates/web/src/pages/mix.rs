//! The Mix page (`/mix`): the marketing mix model of the default weekly pipeline panel (what each channel causes
//! over time, its response curves and next quarter's plan from the allocator, all with their intervals), read
//! from the stored analysis [`crate::analyses::MIX`], computed once per change of the data, never per request.
//! When the data cannot support a mix model (too few weeks, no inputs) the page says why.
//!
//! The section itself is the HTML report's (`socialledger_report::mmm::html::section`, rendered by maud when the
//! analysis was computed, so every name from the data in it was escaped then; its charts are inline SVG, no
//! script). It is stored rendered because the fit's result is written, not read back, as JSON.

use crate::access::SignedIn;
use crate::analyses;
use crate::pages::report_view::{banner, period_not_applied, reload, text, Filter};
use crate::pages::{layout_filtered, page};
use crate::state::AppState;
use crate::WebError;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, PreEscaped};

/// `GET /mix`.
pub async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(filter): Query<Filter>,
) -> Result<Response, WebError> {
    let view = analyses::mix(&state).await?;
    let body = html! {
        (banner(&view))
        (period_not_applied(&filter, "the mix model"))
        @if filter.channel().is_some() {
            p.notice.channel-ignored {
                "The mix model is fitted on all channels together: the channel filter does not apply here."
            }
        }
        @if let Some(mix) = &view.json {
            @if mix["available"] == true {
                // Rendered by maud from the fit when the analysis was computed (see the module docs).
                div.mix-model { (PreEscaped(text(&mix["html"]))) }
            } @else {
                p.notice.mix-unavailable {
                    "The data cannot support a mix model: " (text(&mix["reason"]))
                }
                p.muted {
                    "A mix model reads each week's pipeline against each channel's input; it needs at least half a \
                     year of weeks with deals and channel activity, better two years. Import more history, and \
                     this page fits it once the data allow."
                }
            }
        }
    };
    let markup = layout_filtered("Mix model", Some(&signed_in), reload(&view), Some(&filter), body);
    Ok(page(StatusCode::OK, markup))
}
