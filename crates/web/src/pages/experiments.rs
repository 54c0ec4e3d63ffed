//! The Experiments page (`/experiments`): for each channel history cannot decide, the experiment that would
//! settle it, planned from the company's own history (the stored verdict's `next_step`: the design, its weeks,
//! its power to see the break-even effect, the command that plans and saves it), and the experiments the verdict
//! read out. Read from the stored report ([`crate::analyses`]), never computed per request.
//!
//! The owner and managers keep the experiments the company runs in the database (`experiments`): planned from a
//! proposal of this page (the stored proposal is copied as it is, never taken from the form), marked running with
//! the date it started, and read out with the figures `socialledger experiment analyze` computes (the weekly
//! contrast, its 90 % interval and the placebo p-value), each step audited. The break-even effect rests on the
//! channels' cost: for the roles that see costs.

use crate::access::SignedIn;
use crate::analyses;
use crate::pages::overview::channel_filter;
use crate::pages::report_view::{banner, period_not_applied, reload, text, Filter};
use crate::pages::{csrf_field, layout_filtered, page, see_other};
use crate::routes::{Endpoint, Method, ROUTES};
use crate::state::AppState;
use crate::WebError;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use chrono::{NaiveDate, Utc};
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;
use socialledger_report::figures;
use socialledger_store::experiments::{ExperimentReadout, ExperimentStatus, ExperimentStep, NewExperiment};
use socialledger_store::{StoreError, StoredExperiment};

/// `POST /experiments/plan`: the channel whose proposal to plan.
#[derive(Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    channel: String,
}

/// `POST /experiments/{id}/start`.
#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    started_on: String,
}

/// `POST /experiments/{id}/readout`: the figures of `experiment analyze`.
#[derive(Deserialize)]
pub struct ReadoutForm {
    #[serde(default)]
    estimate: String,
    #[serde(default)]
    low: String,
    #[serde(default)]
    high: String,
    #[serde(default)]
    p_value: String,
    #[serde(default)]
    reading: String,
}

fn manages(me: &SignedIn) -> bool {
    ROUTES
        .iter()
        .find(|r| r.endpoint == Endpoint::ExperimentPlan && r.method == Method::Post)
        .is_some_and(|r| r.access.allows(me.user.role))
}

/// The stored experiments, with the forms of their next step for the owner and managers.
fn stored_table(experiments: &[StoredExperiment], filter: &Filter, manage: bool, csrf: &str) -> Markup {
    let shown: Vec<&StoredExperiment> = experiments.iter().filter(|e| filter.shows(&e.channel)).collect();
    let today = Utc::now().date_naive().format("%Y-%m-%d").to_string();
    html! {
        @if shown.is_empty() {
            p.muted.no-experiments { "No experiments kept yet." @if manage { " Plan one from a proposal above." } }
        } @else {
            div.scroll { table.stored-experiments {
                thead { tr {
                    th { "#" } th { "Channel" } th { "Design" } th.num { "Weeks" } th { "Status" } th { "Started" }
                    th { "Read-out" br; small { "weekly contrast (90 % interval), placebo p-value" } }
                    @if manage { th { "Next step" } }
                } }
                tbody { @for e in &shown {
                    tr data-experiment=(e.id) data-status=(e.status.as_str()) {
                        td { (e.id) }
                        td { code { (e.channel) } }
                        td { (e.design) }
                        td.num { (e.weeks) }
                        td { (e.status.as_str().replace('_', " ")) }
                        td { (e.started_on.map(|d| d.to_string()).unwrap_or_default()) }
                        td { @if let Some(r) = &e.readout {
                            (figures::decimal(r.estimate, 2)) " (" (figures::decimal(r.low, 2)) " to " (figures::decimal(r.high, 2)) ")"
                            @if let Some(p) = r.p_value { ", p = " (figures::decimal(p, 3)) }
                            @if let Some(words) = &r.reading { br; small { (words) } }
                        } }
                        @if manage { td { @match e.status {
                            ExperimentStatus::Planned => {
                                form.inline method="post" action={ "/experiments/" (e.id) "/start" } {
                                    (csrf_field(csrf))
                                    label { "Started on " input type="date" name="started_on" value=(today) required; }
                                    button.secondary type="submit" { "Mark running" }
                                }
                            },
                            ExperimentStatus::Running => {
                                form.stacked method="post" action={ "/experiments/" (e.id) "/readout" } {
                                    (csrf_field(csrf))
                                    label { "Estimate" input type="text" name="estimate" required; }
                                    label { "90 % interval, low" input type="text" name="low" required; }
                                    label { "high" input type="text" name="high" required; }
                                    label { "Placebo p-value (optional)" input type="text" name="p_value"; }
                                    label { "Reading (optional)" input type="text" name="reading"; }
                                    button.secondary type="submit" { "Record the read-out" }
                                }
                            },
                            ExperimentStatus::ReadOut => { "done" },
                        } } }
                    }
                } }
            } }
        }
    }
}

/// `GET /experiments`.
pub async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(filter): Query<Filter>,
) -> Result<Response, WebError> {
    render(&state, &signed_in, &filter, StatusCode::OK, None).await
}

async fn render(
    state: &AppState,
    signed_in: &SignedIn,
    filter: &Filter,
    status: StatusCode,
    problem: Option<String>,
) -> Result<Response, WebError> {
    let filter = filter.clone();
    let manage = manages(signed_in);
    let stored = state.store.experiments().await?;
    let view = analyses::report(state).await?;
    let empty = Value::Null;
    let verdict = view.json.as_deref().map_or(&empty, |r| &r["verdict"]);
    let channels: Vec<&Value> = verdict["channels"].as_array().map(|c| c.iter().collect()).unwrap_or_default();
    let planned: Vec<&&Value> =
        channels.iter().filter(|c| c["next_step"].is_object() && filter.shows(text(&c["channel"]))).collect();
    let read_out: Vec<&&Value> =
        channels.iter().filter(|c| c["evidence"] == "experiment" && filter.shows(text(&c["channel"]))).collect();
    let all: Vec<Value> = channels.iter().map(|c| (*c).clone()).collect();
    let body = html! {
        @if let Some(problem) = &problem { p.error { (problem) } }
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
                                @if manage { th { "" } }
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
                                        @if manage { td {
                                            form.inline method="post" action="/experiments/plan" {
                                                (csrf_field(&signed_in.csrf_token))
                                                input type="hidden" name="channel" value=(text(&c["channel"]));
                                                button.secondary type="submit" { "Plan this experiment" }
                                            }
                                        } }
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
                h2 { "Planned, running and read out" }
                @if !read_out.is_empty() {
                    ul.read-out { @for c in &read_out { li data-channel=(text(&c["channel"])) { (text(&c["name"])) ": decided by an experiment's readout." } } }
                }
                (stored_table(&stored, &filter, manage, &signed_in.csrf_token))
                p.muted {
                    "Read an experiment out with " code { "socialledger experiment analyze --plan plan.json --json" }
                    " (its " code { "contrast" } ": estimate, low, high, and " code { "p_value" } "), and record the \
                     figures here; " code { "socialledger verdict --experiment plan.json" } " weighs it."
                }
            }
        }
    };
    let markup = layout_filtered("Experiments", Some(signed_in), reload(&view), Some(&filter), body);
    Ok(page(status, markup))
}

/// `POST /experiments/plan`: keeps the stored verdict's proposal for the channel as a planned experiment (the
/// proposal is read from the stored report, not from the form); 422 when the channel has none.
pub async fn plan(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<PlanForm>,
) -> Result<Response, WebError> {
    let view = analyses::report(&state).await?;
    let channel = form.channel.trim();
    let proposal = view
        .json
        .as_ref()
        .and_then(|r| r["verdict"]["channels"].as_array().cloned())
        .and_then(|cs| cs.into_iter().find(|c| c["channel"] == channel))
        .map(|c| c["next_step"].clone())
        .filter(Value::is_object);
    let Some(next) = proposal else {
        let problem =
            format!("there is no proposed experiment for the channel {channel:?}: plan one for a channel listed above");
        return render(&state, &me, &Filter::default(), StatusCode::UNPROCESSABLE_ENTITY, Some(problem)).await;
    };
    let new = NewExperiment {
        channel: channel.to_string(),
        design: text(&next["design"]).to_string(),
        weeks: next["weeks"].as_i64().unwrap_or(0),
        plan_json: next.to_string(),
    };
    match state.store.plan_experiment(&new, Some(me.user.id), Utc::now()).await {
        Ok(_) => Ok(see_other("/experiments")),
        Err(e @ StoreError::InvalidRecord { .. }) => {
            render(&state, &me, &Filter::default(), StatusCode::UNPROCESSABLE_ENTITY, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The answer to a step: back to the page, or the page with why not.
async fn after_step(state: &AppState, me: &SignedIn, step: ExperimentStep, what: &str) -> Result<Response, WebError> {
    match step {
        ExperimentStep::Done(_) => Ok(see_other("/experiments")),
        ExperimentStep::NotFound => {
            let problem = "there is no experiment with this number".to_string();
            render(state, me, &Filter::default(), StatusCode::NOT_FOUND, Some(problem)).await
        }
        ExperimentStep::WrongStatus(e) => {
            let problem =
                format!("experiment #{} is {}: it cannot be {what}", e.id, e.status.as_str().replace('_', " "));
            render(state, me, &Filter::default(), StatusCode::CONFLICT, Some(problem)).await
        }
    }
}

/// `POST /experiments/{id}/start`: marks a planned experiment running from its start date.
pub async fn start(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<StartForm>,
) -> Result<Response, WebError> {
    let Ok(id) = id.parse::<i64>() else {
        return after_step(&state, &me, ExperimentStep::NotFound, "started").await;
    };
    let Ok(started_on) = NaiveDate::parse_from_str(form.started_on.trim(), "%Y-%m-%d") else {
        let problem = format!("the start {:?} is not a date: write YYYY-MM-DD", form.started_on);
        return render(&state, &me, &Filter::default(), StatusCode::UNPROCESSABLE_ENTITY, Some(problem)).await;
    };
    let step = state.store.start_experiment(id, started_on, Some(me.user.id), Utc::now()).await?;
    after_step(&state, &me, step, "started").await
}

/// The read-out a form gives, or what is wrong with it.
fn parse_readout(form: &ReadoutForm) -> Result<ExperimentReadout, String> {
    let number = |name: &str, text: &str| -> Result<f64, String> {
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("the {name} {text:?} is not a number; copy it from `experiment analyze --json`"))
    };
    let p_value = match form.p_value.trim() {
        "" => None,
        p => Some(number("p-value", p)?),
    };
    let readout = ExperimentReadout {
        estimate: number("estimate", &form.estimate)?,
        low: number("low end", &form.low)?,
        high: number("high end", &form.high)?,
        p_value,
        reading: Some(form.reading.trim().to_string()).filter(|r| !r.is_empty()),
    };
    match readout.problem() {
        Some(problem) => Err(problem),
        None => Ok(readout),
    }
}

/// `POST /experiments/{id}/readout`: records a running experiment's read-out.
pub async fn readout(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<ReadoutForm>,
) -> Result<Response, WebError> {
    let Ok(id) = id.parse::<i64>() else {
        return after_step(&state, &me, ExperimentStep::NotFound, "read out").await;
    };
    let readout = match parse_readout(&form) {
        Ok(r) => r,
        Err(problem) => {
            return render(&state, &me, &Filter::default(), StatusCode::UNPROCESSABLE_ENTITY, Some(problem)).await
        }
    };
    let step = state.store.record_experiment_readout(id, &readout, Some(me.user.id), Utc::now()).await?;
    after_step(&state, &me, step, "read out").await
}
