//! The Attribution page (`/attribution`): every attribution model's share of the credit per channel side by side
//! (the heuristic ones, position-based among them as `u-shaped`; Markov orders 1 and 2, Shapley and the
//! incremental model with their bootstrap intervals), what fraction of the conversions each data-driven model
//! credits to channels at all, and what the buyers said brought them: the stored report's `model_comparison`
//! ([`crate::analyses`]), never computed per request. Shares, no cost: for everyone inside the company.

use crate::access::SignedIn;
use crate::analyses;
use crate::pages::overview::channel_filter;
use crate::pages::report_view::{banner, period_not_applied, reload, text, Filter};
use crate::pages::{layout_filtered, page};
use crate::state::AppState;
use crate::WebError;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};
use serde_json::Value;
use socialledger_report::figures;

/// A model's name for the column header, and what it means (shown beneath).
fn model_label(model: &str) -> (&str, &str) {
    match model {
        "u-shaped" => ("position-based", "U-shaped: 40 % first, 40 % last, 20 % between"),
        "w-shaped" => ("W-shaped", "first, lead, opportunity, close"),
        "markov-1" => ("Markov 1", "removal effect, order 1"),
        "markov-2" => ("Markov 2", "removal effect, order 2"),
        "shapley" => ("Shapley", "simplified Shapley value"),
        "incremental" => ("incremental", "noisy-OR; intent signals get no credit"),
        other => (other, ""),
    }
}

/// A share with its interval when the model has one.
fn share_cell(s: Option<&Value>) -> Markup {
    let pct = |v: &Value| v.as_f64().map_or_else(|| "-".to_string(), |v| figures::percent(v, 1));
    html! {
        @match s {
            None => "-",
            Some(s) => {
                (pct(&s["share"]))
                @if s["low"].is_number() && s["high"].is_number() {
                    br; small.muted { (pct(&s["low"])) " – " (pct(&s["high"])) }
                }
            }
        }
    }
}

/// `GET /attribution`.
pub async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(filter): Query<Filter>,
) -> Result<Response, WebError> {
    let view = analyses::report(&state).await?;
    let empty = Value::Null;
    let comparison = view.json.as_deref().map_or(&empty, |r| &r["model_comparison"]);
    let models: Vec<&Value> = comparison["models"].as_array().map(|m| m.iter().collect()).unwrap_or_default();
    let channels: Vec<Value> = comparison["channels"]
        .as_array()
        .map(|cs| cs.iter().map(|c| serde_json::json!({ "channel": c, "name": c })).collect())
        .unwrap_or_default();
    let level = comparison["bootstrap_level"].as_f64().unwrap_or(0.95);
    let body = html! {
        (banner(&view))
        (period_not_applied(&filter, "attribution"))
        @if view.json.is_some() {
            @if comparison.is_null() || models.is_empty() {
                p.muted { "No attribution models: the data has no deals with touchpoints. Import the CRM's deals and touchpoints." }
            } @else {
                p {
                    "Each model's share of the credit for the deals, per channel. Heuristic models split each deal by a \
                     rule; data-driven models are fitted to converting and non-converting journeys, with "
                    (figures::percent(level, 0)) " bootstrap intervals (" (comparison["bootstrap_reps"].as_u64().unwrap_or(0))
                    " replicates) below their shares. Where the models disagree, no single model is the truth: \
                     an experiment settles it (see Experiments)."
                }
                (channel_filter(&filter, &channels))
                div.scroll {
                    table.attribution {
                        thead { tr {
                            th { "Channel" }
                            @for m in &models {
                                @let (name, meaning) = model_label(text(&m["model"]));
                                th.num data-model=(text(&m["model"])) {
                                    (name)
                                    br; small { (text(&m["family"]).replace('_', "-")) @if !meaning.is_empty() { ": " (meaning) } }
                                }
                            }
                        } }
                        tbody {
                            @for c in comparison["channels"].as_array().into_iter().flatten().filter(|c| filter.shows(text(c))) {
                                @let key = text(c);
                                tr data-channel=(key) {
                                    td { code { (key) } }
                                    @for m in &models {
                                        @let share = m["shares"].as_array().and_then(|s| s.iter().find(|s| s["channel"] == key));
                                        td.num data-model=(text(&m["model"])) data-share=(share.and_then(|s| s["share"].as_f64()).map(|v| v.to_string()).unwrap_or_default()) {
                                            (share_cell(share))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                h2 { "What the data-driven models credit at all" }
                ul.credited {
                    @for m in models.iter().filter(|m| m["family"] == "data_driven") {
                        li data-model=(text(&m["model"])) {
                            strong { (model_label(text(&m["model"])).0) } ": "
                            @if let Some(e) = m["error"].as_str() {
                                "not fitted: " (e)
                            } @else if m["credited"].is_object() {
                                @let c = &m["credited"];
                                (figures::percent(c["fraction"].as_f64().unwrap_or(0.0), 0)) " of the conversions credited to channels ("
                                (figures::percent(c["low"].as_f64().unwrap_or(0.0), 0)) " to " (figures::percent(c["high"].as_f64().unwrap_or(0.0), 0)) ")"
                            } @else {
                                "fitted"
                            }
                        }
                    }
                }
                @let said = &comparison["self_reported"];
                @if said["answered"].as_u64().unwrap_or(0) > 0 {
                    h2 { "What the buyers said" }
                    p { (said["answered"].as_u64().unwrap_or(0)) " of " (said["won_deals"].as_u64().unwrap_or(0)) " won deals say what brought them." }
                    ul.self-reported {
                        @for a in said["answers"].as_array().into_iter().flatten() {
                            li { (text(&a["answer"])) ": " (a["deals"].as_u64().unwrap_or(0)) " deals (" (figures::percent(a["share"].as_f64().unwrap_or(0.0), 0)) ")" }
                        }
                    }
                }
            }
        }
    };
    let markup =
        layout_filtered("Attribution: the models side by side", Some(&signed_in), reload(&view), Some(&filter), body);
    Ok(page(StatusCode::OK, markup))
}
