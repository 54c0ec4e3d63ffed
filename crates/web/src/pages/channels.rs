//! The Channels pages, read from the stored report ([`crate::analyses`]): engagement with its denominator named
//! (`/channels`, for everyone inside the company) and what each channel costs in money and hours
//! (`/channels/costs`, for the roles the route table lets see costs).

use crate::access::SignedIn;
use crate::analyses::{self, ReportView};
use crate::pages::overview::channel_filter;
use crate::pages::report_view::{banner, currency, money_minor, period_not_applied, reload, text, Filter};
use crate::pages::{layout_filtered, page};
use crate::state::AppState;
use crate::WebError;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};
use serde_json::Value;
use socialledger_report::figures;

/// `GET /channels[?channel=KEY]`: posts and engagement rates; no cost.
pub async fn engagement(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(filter): Query<Filter>,
) -> Result<Response, WebError> {
    let view = analyses::report(&state).await?;
    let body = html! { (engagement_table(&view, &filter)) (downloads("channels")) (downloads("posts")) };
    Ok(page(StatusCode::OK, layout_filtered("Channels", Some(&signed_in), reload(&view), Some(&filter), body)))
}

/// The engagement table of `/channels` (and of a share link that shares it), with its banner and filter.
pub fn engagement_table(view: &ReportView, filter: &Filter) -> Markup {
    let rate = |v: &Value| v.as_f64().map_or_else(|| "-".to_string(), |r| figures::percent(r, 2));
    rows_table(view, filter, |rows| {
        html! {
            table.channels {
                thead { tr {
                    th { "Channel" } th.num { "Posts" }
                    th.num { "Engagement rate by impressions" br; small { "engagements ÷ impressions, over posts (or days) reporting both" } }
                    th.num { "Engagement rate by followers" br; small { "engagements per post ÷ latest follower level" } }
                    th { "Target-group fit" }
                } }
                tbody { @for r in rows {
                    tr data-channel=(text(&r["channel"])) {
                        td { (text(&r["name"])) br; code { (text(&r["channel"])) } }
                        td.num { (r["posts"].as_u64().unwrap_or(0)) }
                        td.num { (rate(&r["engagement_rate_by_impressions"])) }
                        td.num { (rate(&r["engagement_rate_by_followers"])) }
                        td { (target_group(view, text(&r["channel"]))) }
                    }
                } }
            }
        }
    })
}

/// `GET /channels/costs[?channel=KEY]`: full cost and hours per channel.
pub async fn costs(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(filter): Query<Filter>,
) -> Result<Response, WebError> {
    let view = analyses::report(&state).await?;
    let body = html! { (costs_table(&view, &filter)) (downloads("costs")) };
    Ok(page(StatusCode::OK, layout_filtered("Channel costs", Some(&signed_in), reload(&view), Some(&filter), body)))
}

/// The cost table of `/channels/costs` (and of a share link that shares costs), with its banner and filter.
pub fn costs_table(view: &ReportView, filter: &Filter) -> Markup {
    let cur = view.json.as_deref().map(currency).unwrap_or(socialledger_domain::Currency::EUR);
    rows_table(view, filter, |rows| {
        html! {
            table.costs {
                thead { tr {
                    th { "Channel" }
                    th.num { "Full cost" br; small { "staff time at hourly cost + cost items + activity spend" } }
                    th.num { "Hours" br; small { "all tracked hours, costed or not" } }
                    th.num { "Of which beyond sales" br; small { "customer service, recruiting, PR, procurement" } }
                } }
                tbody { @for r in rows {
                    @let minor = r["cost_minor"].as_i64().unwrap_or(0);
                    @let hours = r["hours"].as_f64().unwrap_or(0.0);
                    tr data-channel=(text(&r["channel"])) data-cost-minor=(minor) data-hours=(hours) {
                        td { (text(&r["name"])) br; code { (text(&r["channel"])) } }
                        td.num { (money_minor(minor, cur)) }
                        td.num { (figures::hours(hours)) }
                        td.num { (figures::hours(r["value_beyond_sales_hours"].as_f64().unwrap_or(0.0))) }
                    }
                } }
            }
        }
    })
}

/// Links to download a table (`/export/TABLE.csv` and `.xlsx`).
pub fn downloads(table: &str) -> Markup {
    html! {
        p.downloads {
            "Download " (table) ": "
            a href={ "/export/" (table) ".csv" } { "CSV" } " · "
            a href={ "/export/" (table) ".xlsx" } { "XLSX" }
        }
    }
}

/// The banner, the filter and the table `table` makes of the report's channel rows the filter shows.
fn rows_table(view: &ReportView, filter: &Filter, table: impl FnOnce(Vec<&Value>) -> Markup) -> Markup {
    let rows: Vec<&Value> = view
        .json
        .as_deref()
        .and_then(|r| r["channels"].as_array())
        .map(|rows| rows.iter().collect())
        .unwrap_or_default();
    let all: Vec<Value> = rows.iter().map(|r| (*r).clone()).collect();
    let shown: Vec<&Value> = rows.into_iter().filter(|r| filter.shows(text(&r["channel"]))).collect();
    html! {
        (banner(view))
        (period_not_applied(filter, "the channels' table"))
        @if view.json.is_some() {
            (channel_filter(filter, &all))
            @if shown.is_empty() {
                p.muted { "No channels to show." }
            } @else {
                div.scroll { (table(shown)) }
            }
        }
    }
}

/// The channel's fit with the target group, when the stored verdict has one (a target group given to the
/// verdict); else a dash.
fn target_group(view: &ReportView, key: &str) -> String {
    let fit = view
        .json
        .as_ref()
        .and_then(|r| r["verdict"]["channels"].as_array())
        .and_then(|cs| cs.iter().find(|c| c["channel"] == key))
        .map(|c| &c["target_group"])
        .filter(|t| !t.is_null());
    match fit {
        Some(t) => t.to_string(),
        None => "-".to_string(),
    }
}
