//! The Experiments page (`/experiments`): for each channel history cannot decide, the experiment that would
//! settle it, planned from the company's own history (the stored verdict's `next_step`: the design, its weeks,
//! its power to see the break-even effect, the command that plans and saves it), and the experiments the verdict
//! read out. Read from the stored report ([`crate::analyses`]), never computed per request.
//!
//! Plans made with `socialledger experiment plan --out` are files, and the database keeps no experiments yet, so
//! the page cannot list experiments that are running or were read out with `experiment analyze`; it says so.
//! The break-even effect rests on the channels' cost: for the roles that see costs.

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
use maud::html;
use serde_json::Value;
use socialledger_report::figures;

/// `GET /experiments`.
pub async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(filter): Query<Filter>,
) -> Result<Response, WebError> {
    let view = analyses::report(&state.store).await?;
    let empty = Value::Null;
    let verdict = view.json.as_ref().map_or(&empty, |r| &r["verdict"]);
    let channels: Vec<&Value> = verdict["channels"].as_array().map(|c| c.iter().collect()).unwrap_or_default();
    let planned: Vec<&&Value> =
        channels.iter().filter(|c| c["next_step"].is_object() && filter.shows(text(&c["channel"]))).collect();
    let read_out: Vec<&&Value> =
        channels.iter().filter(|c| c["evidence"] == "experiment" && filter.shows(text(&c["channel"]))).collect();
    let all: Vec<Value> = channels.iter().map(|c| (*c).clone()).collect();
    let body = html! {
        (banner(&view))
        (period_not_applied(&filter, "the verdict the plans are drawn from"))
        @if view.json.is_some() {
            @if verdict.is_null() {
                p.muted { "No verdict, so no experiments to plan: the data has no deals to weigh the channels' cost against. Import the CRM's deals." }
            } @else {
                (channel_filter(&filter, &all))
                h2 { "Planned: what would settle the undecided channels" }
                @if planned.is_empty() {
                    p.muted.no-plans { "No channel needs an experiment: history decides every channel shown." }
                } @else {
                    div.scroll {
                        table.experiments {
                            thead { tr {
                                th { "Channel" } th { "Design" } th.num { "Weeks" }
                                th.num { "Power" br; small { "to see the break-even effect" } }
                                th.num { "Break-even effect" br; small { "pipeline per week that pays back the full cost" } }
                                th.num { "Smallest effect seen" br; small { "with 80 % power" } }
                                th { "Plan and save it" }
                            } }
                            tbody {
                                @for c in &planned {
                                    @let n = &c["next_step"];
                                    tr data-channel=(text(&c["channel"])) data-design=(text(&n["design"])) data-weeks=(n["weeks"].as_u64().unwrap_or(0)) {
                                        td { (text(&c["name"])) br; code { (text(&c["channel"])) } }
                                        td { (text(&n["design"])) br; small.muted { "carry-over: " (text(&n["carry_over"])) } }
                                        td.num { (n["weeks"].as_u64().unwrap_or(0)) }
                                        td.num {
                                            (figures::percent(n["power"].as_f64().unwrap_or(f64::NAN), 0))
                                            @if n["reaches_power"] == false { br; small { "cannot reach 80 %" } }
                                        }
                                        td.num { (figures::decimal(n["effect"].as_f64().unwrap_or(f64::NAN), 0)) }
                                        td.num { (figures::decimal(n["min_detectable_effect"].as_f64().unwrap_or(f64::NAN), 0)) }
                                        td { code { (text(&n["command"])) } br; small { (text(&n["reading"])) } }
                                    }
                                }
                            }
                        }
                    }
                    @for c in &planned {
                        @let not_possible = c["next_step"]["not_possible"].as_array().map(Vec::as_slice).unwrap_or(&[]);
                        @if !not_possible.is_empty() {
                            p.muted { (text(&c["name"])) ", designs the data do not allow: "
                                @for (i, why) in not_possible.iter().enumerate() { @if i > 0 { "; " } (text(why)) } }
                        }
                    }
                }
                h2 { "Running and read out" }
                @if !read_out.is_empty() {
                    ul.read-out { @for c in &read_out { li data-channel=(text(&c["channel"])) { (text(&c["name"])) ": decided by an experiment's readout." } } }
                }
                p.notice.not-stored {
                    "The app does not keep experiments yet: a plan saved with " code { "socialledger experiment plan --out plan.json" }
                    " is a file, and its readout comes from " code { "socialledger experiment analyze plan.json" }
                    " (and " code { "socialledger verdict --experiment plan.json" } " weighs it). Running and read-out \
                     experiments appear here once they are stored in the database."
                }
            }
        }
    };
    let markup = layout_filtered("Experiments", Some(&signed_in), reload(&view), Some(&filter), body);
    Ok(page(StatusCode::OK, markup))
}
