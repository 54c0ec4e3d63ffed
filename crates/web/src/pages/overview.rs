//! The Overview: does social pay? Per channel the verdict (keep, grow, fix, drop, undecided) with the evidence it
//! rests on, its full cost, the pipeline credited to it and the next step, social as a whole against the rest,
//! and the verdict in plain sentences: all read from the stored report ([`crate::analyses`]), never computed
//! per request.

use crate::access::SignedIn;
use crate::analyses::{self, ReportView};
use crate::pages::report_view::{
    banner, currency, major_to_minor, money_major, money_minor, period_inputs, period_not_applied, reload, text, Filter,
};
use crate::pages::{layout_filtered, page};
use crate::state::AppState;
use crate::WebError;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};
use serde_json::Value;
use socialledger_report::figures;

/// `GET /overview[?channel=KEY]`.
pub async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(filter): Query<Filter>,
) -> Result<Response, WebError> {
    let view = analyses::report(&state).await?;
    let body = overview_body(&view, &filter, true);
    Ok(page(
        StatusCode::OK,
        layout_filtered("Overview: does social pay?", Some(&signed_in), reload(&view), Some(&filter), body),
    ))
}

/// The Overview's content from the stored report. Without `costs` (a share link that does not share costs) every
/// figure that weighs money spent is left out: the full cost, the ROI and the reasons that quote it, the reading
/// in plain words (it names costs) and social against the rest; the verdicts, their evidence, the pipeline
/// credited and the next steps stay.
pub fn overview_body(view: &ReportView, filter: &Filter, costs: bool) -> Markup {
    let empty = Value::Null;
    let report = view.json.as_deref().unwrap_or(&empty);
    let cur = currency(report);
    let verdict = &report["verdict"];
    // The pipeline each model credits, lowest and highest, from the channels table (minor units).
    let credited = |key: &str| {
        report["channels"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["channel"] == key))
            .map(|r| (r["pipeline_min_minor"].as_i64().unwrap_or(0), r["pipeline_max_minor"].as_i64().unwrap_or(0)))
    };
    html! {
        (banner(view))
        (period_not_applied(filter, "the verdict"))
        @if view.json.is_some() {
            @if verdict.is_null() {
                p.muted { "No verdict: the data has no deals to weigh the channels' cost against. Import the CRM's deals." }
            } @else {
                @if costs {
                    section.reading {
                        h2 { "In plain words" }
                        @for line in verdict["reading"].as_array().into_iter().flatten() {
                            p { (text(line)) }
                        }
                    }
                } @else {
                    p.muted.costs-not-shared { "Costs are not shared with this link: the verdicts are shown without the \
                        cost, ROI and reasons they rest on." }
                }
                (channel_filter(filter, verdict["channels"].as_array().map(Vec::as_slice).unwrap_or(&[])))
                h2 { "Verdict per channel" }
                div.scroll {
                    table.verdicts {
                        thead { tr {
                            th { "Channel" } th { "Verdict" } th { "Evidence" }
                            @if costs { th.num { "Full cost" } th.num { "ROI (interval)" } }
                            th.num { "Pipeline credited (models' range)" } th { "Next step" }
                        } }
                        tbody {
                            @for c in verdict["channels"].as_array().into_iter().flatten().filter(|c| filter.shows(text(&c["channel"]))) {
                                @let key = text(&c["channel"]);
                                @let cost = c["cost"].as_f64().unwrap_or(0.0);
                                tr data-channel=(key) data-verdict=(text(&c["verdict"])) data-cost-minor=[costs.then(|| major_to_minor(cost, cur))] {
                                    td { (text(&c["name"])) br; code { (key) } }
                                    td { span class={ "verdict " (text(&c["verdict"])) } { (text(&c["verdict"])) } }
                                    td {
                                        (c["evidence"].as_str().unwrap_or("none that can decide"))
                                        @if costs {
                                            ul.reasons { @for r in c["reasons"].as_array().into_iter().flatten() { li { (text(&r["text"])) } } }
                                        }
                                        @for issue in c["execution"].as_array().into_iter().flatten() {
                                            p.issue { (text(&issue["message"])) }
                                        }
                                    }
                                    @if costs {
                                        td.num.cost { (money_major(cost, cur)) }
                                        td.num { (roi(c)) }
                                    }
                                    td.num { @match credited(key) {
                                        Some((lo, hi)) if lo == hi => (money_minor(lo, cur)),
                                        Some((lo, hi)) => (money_minor(lo, cur)) " – " (money_minor(hi, cur)),
                                        None => "-",
                                    } }
                                    td { @match c.get("next_step").filter(|n| !n.is_null()) {
                                        Some(n) => {
                                            (text(&n["design"])) ", " (n["weeks"].as_u64().unwrap_or(0)) " weeks"
                                            @if n["reaches_power"] == false { " (cannot reach 80 % power)" }
                                            br; code { (text(&n["command"])) }
                                        },
                                        None => "-",
                                    } }
                                }
                            }
                        }
                    }
                }
                @if costs {
                    h2 { "Social against the rest" }
                    @let social = &verdict["social"];
                    dl.figures {
                        dt { "Organic social, full cost" } dd { (money_major(social["organic_cost"].as_f64().unwrap_or(0.0), cur)) }
                        dt { "Paid social, full cost" } dd { (money_major(social["paid_cost"].as_f64().unwrap_or(0.0), cur)) }
                        dt { "All channels judged, full cost" } dd.total-cost { (money_major(social["total_cost"].as_f64().unwrap_or(0.0), cur)) }
                    }
                    @for g in social["groups"].as_array().into_iter().flatten() {
                        @if let Some(caused) = g.get("caused").filter(|c| !c.is_null()) {
                            p { (text(&g["group"])) " caused " (interval(caused, 0)) " of pipeline (90 % interval, mix model)." }
                        }
                    }
                    @if social["all_channels_caused"].is_null() {
                        p.muted { "Caused pipeline with an interval needs the mix model: " (verdict["evidence"]["mmm_note"].as_str().unwrap_or("not fitted")) }
                    }
                }
            }
        }
    }
}

/// The ROI on gross profit with its interval, as percentages.
fn roi(c: &Value) -> String {
    match (c["roi"].as_f64(), c["roi_low"].as_f64(), c["roi_high"].as_f64()) {
        (Some(r), Some(lo), Some(hi)) => {
            format!("{} ({} to {})", figures::percent(r, 0), figures::percent(lo, 0), figures::percent(hi, 0))
        }
        (Some(r), _, _) => figures::percent(r, 0),
        _ => "-".to_string(),
    }
}

/// An interval `{estimate, low, high}` in words.
fn interval(i: &Value, decimals: usize) -> String {
    let f = |k: &str| figures::decimal(i[k].as_f64().unwrap_or(f64::NAN), decimals);
    format!("{} ({} to {})", f("estimate"), f("low"), f("high"))
}

/// The channel filter: a GET form (no script), one option per channel.
pub fn channel_filter(filter: &Filter, channels: &[Value]) -> maud::Markup {
    html! {
        form.filter method="get" {
            label { "Channel "
                select name="channel" {
                    option value="" { "all" }
                    @for c in channels {
                        @let key = text(&c["channel"]);
                        option value=(key) selected[filter.channel.as_deref() == Some(key)] { (text(&c["name"])) }
                    }
                }
            }
            (period_inputs(filter))
            button type="submit" { "Show" }
        }
    }
}
