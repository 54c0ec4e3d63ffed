//! The Targets page: every target with its progress, its forecast to the period's end with the 90 % interval,
//! its status, and the alerts of targets gone off track; a form to set targets and buttons to remove them for
//! the owner and managers. The checks are stored ([`crate::target_checks`]): the page never loads the data.
//! Staff see every target whose metric they may see: cost per engagement only the roles that see costs.

use crate::access::SignedIn;
use crate::pages::{csrf_field, layout_with_head, page, see_other};
use crate::routes::{Endpoint, Method, ROUTES};
use crate::state::AppState;
use crate::target_checks::{self, ChecksView};
use crate::WebError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use chrono::Utc;
use maud::{html, Markup};
use serde::Deserialize;
use socialledger_analytics::targets::{Status, TargetCheck};
use socialledger_analytics::Settings;
use socialledger_domain::{Comparison, PeriodKind, Role, Target, TargetMetric, TargetPeriod};
use socialledger_report::targets as words;
use socialledger_store::{StoreError, StoredTarget};

/// The new target's form.
#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    metric: String,
    #[serde(default)]
    comparison: String,
    #[serde(default)]
    threshold: String,
    #[serde(default)]
    period: String,
}

/// The remove button's form.
#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    id: String,
}

fn allowed(endpoint: Endpoint, method: Method, role: Role) -> bool {
    ROUTES.iter().find(|r| r.endpoint == endpoint && r.method == method).is_some_and(|r| r.access.allows(role))
}

/// Whether `role` may see `metric`: cost per engagement only where the route table lets the role see costs.
fn sees(role: Role, metric: TargetMetric) -> bool {
    metric != TargetMetric::CostPerEngagement || allowed(Endpoint::ChannelCosts, Method::Get, role)
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::OnTrack => "on-track",
        Status::OffTrack => "off-track",
        Status::CannotTell => "cannot-tell",
    }
}

fn banner(view: &ChecksView) -> Markup {
    html! {
        @if let Some(at) = view.computed_at {
            p.computed { "Checked at " span.computed-at { (at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)) }
                " on the data up to " (target_checks::as_of_now()) " (the last complete day, UTC)." }
        }
        @if view.recomputing {
            p.notice.recomputing {
                "The data, the targets or the day changed since: the targets are being checked again; this page \
                 reloads when they are ready."
            }
        }
        @if let Some(f) = &view.failure { p.error { "The last check failed: " (f) } }
    }
}

fn checks_table(checks: &[&TargetCheck], manages: bool, csrf: &str) -> Markup {
    let currency = Settings::default().currency;
    html! {
        table.targets {
            thead { tr {
                th { "Target" } th { "Status" } th.num { "So far" } th.num { "Forecast at the period's end" br;
                small { "with its 90 % interval" } } th.num { "Days" } th { "Why" }
                @if manages { th { "" } }
            } }
            tbody { @for c in checks {
                @let e = &c.evaluation;
                tr data-target=(c.id) class=(status_class(e.status)) {
                    td { "#" (c.id) " " (words::target_words(c, currency)) }
                    td { strong { (e.status.words()) } }
                    td.num { (e.so_far.map_or("no data".to_string(), |v| words::figure(c.target.metric, v, currency))) }
                    td.num { (words::forecast_words(c, currency)) }
                    td.num { (e.days_elapsed) " of " (e.days_total) }
                    td { (e.reason) br; small { (e.basis) } }
                    @if manages { td { (remove_button(c.id, csrf)) } }
                }
            } }
        }
    }
}

fn remove_button(id: i64, csrf: &str) -> Markup {
    html! {
        form.inline method="post" action="/targets/remove" {
            (csrf_field(csrf))
            input type="hidden" name="id" value=(id);
            button.secondary type="submit" { "Remove" }
        }
    }
}

fn add_form(channels: &[socialledger_domain::Channel], role: Role, csrf: &str) -> Markup {
    let this_month = TargetPeriod::containing(PeriodKind::Month, Utc::now().date_naive()).label();
    html! {
        h2 { "Set a target" }
        form.stacked method="post" action="/targets" {
            (csrf_field(csrf))
            label { "Channel" select name="channel" {
                option value="" { "all social channels" }
                @for c in channels { option value=(c.key) { (c.name) } }
            } }
            label { "Metric" select name="metric" {
                @for m in TargetMetric::ALL { @if sees(role, *m) { option value=(m.as_str()) { (m.as_str()) } } }
            } }
            label { "Comparison" select name="comparison" {
                option value="" { "the metric's own (>= for engagement and pipeline, <= for cost and response time)" }
                @for c in Comparison::ALL { option value=(c.as_str()) { (c.symbol()) } }
            } }
            label { "Threshold" input type="text" name="threshold" required placeholder="4% · 0.80 · 50000 · 4"; }
            p.muted { "Engagement rate as a percentage (4%) or a fraction (0.04); cost per engagement and pipeline \
                       in the currency's units; response time in hours." }
            label { "Period" input type="text" name="period" value=(this_month) required; }
            p.muted { "A month (2026-12) or a quarter (2026-Q4)." }
            button type="submit" { "Set target" }
        }
    }
}

async fn render(
    state: &AppState,
    me: &SignedIn,
    status: StatusCode,
    problem: Option<String>,
) -> Result<Response, WebError> {
    let role = me.user.role;
    let manages = allowed(Endpoint::TargetAdd, Method::Post, role);
    let view = target_checks::checks(&state.store, &state.config.notify).await?;
    let stored = state.store.targets().await?;
    let visible: Vec<&StoredTarget> = stored.iter().filter(|t| sees(role, t.target.metric)).collect();
    let checks: Vec<&TargetCheck> = view
        .checks
        .iter()
        .flatten()
        .filter(|c| sees(role, c.target.metric) && visible.iter().any(|t| t.id == c.id))
        .collect();
    let unchecked: Vec<&&StoredTarget> = visible.iter().filter(|t| !checks.iter().any(|c| c.id == t.id)).collect();
    let off: Vec<&&TargetCheck> = checks.iter().filter(|c| c.evaluation.status == Status::OffTrack).collect();
    let alerts = state.store.alerts(50).await?;
    let alerts: Vec<_> = alerts.iter().filter(|a| visible.iter().any(|t| t.id == a.target_id)).take(20).collect();
    let currency = Settings::default().currency;
    let channels = if manages { state.store.channels().await? } else { Vec::new() };
    let head = html! { @if view.recomputing { meta http-equiv="refresh" content="5"; } };
    let body = html! {
        @if let Some(problem) = &problem { p.error { (problem) } }
        (banner(&view))
        @if !off.is_empty() {
            section.alerts {
                h2 { "Off track" }
                ul { @for c in &off { li.alert { (words::alert_message(c, currency)) } } }
            }
        }
        @if visible.is_empty() {
            p.muted { "No targets yet." @if manages { " Set one below, or with `socialledger targets add`." } }
        } @else {
            (checks_table(&checks, manages, &me.csrf_token))
            @if !unchecked.is_empty() {
                p.muted { "Not checked yet: " @for t in &unchecked { "#" (t.id) " " (t.target.describe()) "; " } }
            }
        }
        @if !alerts.is_empty() {
            h2 { "Alerts" }
            table.alerts {
                thead { tr { th { "When" } th { "Status" } th { "Message" } th { "Sent" } } }
                tbody { @for a in &alerts {
                    tr {
                        td { (a.created_at.format("%Y-%m-%d %H:%M")) " UTC" }
                        td { (a.status) }
                        td { (a.message) }
                        td { @if a.webhook_at.is_some() { "webhook " } @if a.email_at.is_some() { "e-mail" } }
                    }
                } }
            }
        }
        @if manages { (add_form(&channels, role, &me.csrf_token)) }
        p.muted { "How progress, forecast and interval are computed: docs/targets.md. `socialledger targets check` \
                   exits 1 when a target is off track, for cron." }
    };
    Ok(page(status, layout_with_head("Targets", Some(me), head, body)))
}

/// `GET /targets`.
pub async fn show(State(state): State<AppState>, me: SignedIn) -> Result<Response, WebError> {
    render(&state, &me, StatusCode::OK, None).await
}

/// The target a form describes, or what is wrong with it.
fn parse_target(form: &AddForm, role: Role) -> Result<Target, String> {
    let metric = TargetMetric::parse(&form.metric).map_err(|e| e.to_string())?;
    if !sees(role, metric) {
        return Err("your role does not see costs, so it cannot set a cost target".to_string());
    }
    let comparison = match form.comparison.trim() {
        "" => metric.natural_comparison(),
        c => Comparison::parse(c).map_err(|e| e.to_string())?,
    };
    let currency = Settings::default().currency;
    let threshold = metric.parse_threshold(&form.threshold, currency).map_err(|e| e.to_string())?;
    let period = TargetPeriod::parse(&form.period).map_err(|e| e.to_string())?;
    let channel = Some(form.channel.trim().to_string()).filter(|c| !c.is_empty());
    Target::new(channel, metric, comparison, threshold, period).map_err(|e| e.to_string())
}

/// `POST /targets`: sets a target (owner and managers; audited).
pub async fn add(State(state): State<AppState>, me: SignedIn, Form(form): Form<AddForm>) -> Result<Response, WebError> {
    let target = match parse_target(&form, me.user.role) {
        Ok(t) => t,
        Err(problem) => return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, Some(problem)).await,
    };
    match state.store.add_target(&target, Some(me.user.id), Utc::now()).await {
        Ok(_) => Ok(see_other("/targets")),
        Err(e @ StoreError::NoSuchChannel { .. }) => {
            render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /targets/remove`: removes a target and its alerts (owner and managers; audited).
pub async fn remove(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<RemoveForm>,
) -> Result<Response, WebError> {
    let Ok(id) = form.id.trim().parse::<i64>() else {
        let problem = "name the target to remove by its number".to_string();
        return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, Some(problem)).await;
    };
    match state.store.remove_target(id, Some(me.user.id), Utc::now()).await? {
        Some(_) => Ok(see_other("/targets")),
        None => {
            let problem = format!("there is no target #{id} (removed already?)");
            render(&state, &me, StatusCode::NOT_FOUND, Some(problem)).await
        }
    }
}
