//! The start page: the channels in the database, and where the figures are (the Overview and Channels pages, for
//! the roles that may see them). It shows no number it did not compute.

use crate::access::SignedIn;
use crate::pages::{layout, page};
use crate::state::AppState;
use crate::WebError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;

/// `GET /`.
pub async fn show(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, WebError> {
    let channels = state.store.channels().await?;
    let body = html! {
        p.notice {
            "The verdict per channel, its cost and what it caused are on the Overview; engagement on Channels (each \
             shown to the roles that may see it). " code { "socialledger report" } " shows the same from this database."
        }
        h2 { "Channels" }
        @if channels.is_empty() {
            p.muted { "No channels yet: import exports with " code { "socialledger import FILE..." } "." }
        } @else {
            table {
                thead { tr { th { "Channel" } th { "Key" } th { "Kind" } th { "Network" } } }
                tbody {
                    @for c in &channels {
                        tr {
                            td { (c.name) }
                            td { code { (c.key) } }
                            td { (c.kind.as_str()) }
                            td { (c.network.map(|n| n.as_str()).unwrap_or("")) }
                        }
                    }
                }
            }
        }
    };
    Ok(page(StatusCode::OK, layout("Start", Some(&signed_in), body)))
}
