//! Time tracking where the work happens: a timer per channel and task, a quick entry form, the person's own
//! entries (which they may change and delete) and, for the owner, managers and analysts, everyone's (the owner and
//! managers may correct or delete anyone's, audited with before and after). Plain forms,
//! so it works without JavaScript. The store writes every entry as an ordinary time entry (so the full cost counts
//! it like imported time) and audits every change (`socialledger_store::time_tracking`).

use crate::access::SignedIn;
use crate::pages::{csrf_field, layout, page, see_other};
use crate::state::AppState;
use crate::WebError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use chrono::{NaiveDate, NaiveTime, Utc};
use maud::{html, Markup};
use serde::Deserialize;
use socialledger_domain::{Channel, Role, Task};
use socialledger_store::{EntryChange, StoreError, TimeInput, TrackedEntry};

/// Who sees everyone's entries (the rest see their own).
pub(crate) const SEES_ALL: &[Role] = &[Role::Owner, Role::Manager, Role::Analyst];
/// Who may change and delete anyone's tracked entries (to keep the time records right; audited with before and
/// after, the changer as actor). Everyone else changes only their own.
pub(crate) const EDITS_ALL: &[Role] = &[Role::Owner, Role::Manager];

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    channel: String,
    task: String,
}

/// A finished piece of work (quick entry and edit): minutes, or a start and end time on the date.
#[derive(Deserialize)]
pub struct EntryForm {
    /// The entry to change (edit and delete only).
    #[serde(default)]
    key: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    task: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    note: String,
}

fn channel_select(channels: &[Channel], selected: Option<&str>) -> Markup {
    html! {
        select name="channel" {
            option value="" selected[selected.is_none()] { "social in general" }
            @for c in channels {
                option value=(c.key) selected[selected == Some(c.key.as_str())] { (c.name) }
            }
        }
    }
}

fn task_select(selected: Task) -> Markup {
    html! {
        select name="task" {
            @for task in Task::ALL {
                option value=(task.as_str()) selected[*task == selected] { (task.as_str()) }
            }
        }
    }
}

fn channel_name<'a>(channels: &'a [Channel], key: Option<&'a str>) -> &'a str {
    match key {
        None => "social in general",
        Some(key) => channels.iter().find(|c| c.key == key).map_or(key, |c| c.name.as_str()),
    }
}

fn may_track(role: Role) -> bool {
    crate::routes::ROUTES
        .iter()
        .find(|r| r.endpoint == crate::routes::Endpoint::TimeStart)
        .is_some_and(|r| r.access.allows(role))
}

async fn render(
    state: &AppState,
    me: &SignedIn,
    status: StatusCode,
    problem: Option<String>,
) -> Result<Response, WebError> {
    let channels = state.store.channels().await?;
    let timer = state.store.running_timer(me.user.id).await?;
    let own = state.store.tracked_entries(Some(me.user.id)).await?;
    let all = if SEES_ALL.contains(&me.user.role) { Some(state.store.tracked_entries(None).await?) } else { None };
    let tracks = may_track(me.user.role);
    let today = Utc::now().date_naive().format("%Y-%m-%d").to_string();
    let body = html! {
        @if let Some(problem) = &problem { p.error { (problem) } }
        @if tracks {
            h2 { "Timer" }
            @if let Some(t) = &timer {
                p.notice {
                    "Running since " (t.started_at.format("%Y-%m-%d %H:%M")) " UTC on "
                    (channel_name(&channels, t.channel.as_deref())) ", task " (t.task.as_str()) "."
                }
                form.inline method="post" action="/time/stop" {
                    (csrf_field(&me.csrf_token))
                    button type="submit" { "Stop and record" }
                }
            } @else {
                table {
                    thead { tr { th { "Channel" } th { "Start a timer" } } }
                    tbody {
                        @for (key, name) in std::iter::once(("", "social in general")).chain(channels.iter().map(|c| (c.key.as_str(), c.name.as_str()))) {
                            tr {
                                td { (name) }
                                td {
                                    form.inline method="post" action="/time/start" {
                                        (csrf_field(&me.csrf_token))
                                        input type="hidden" name="channel" value=(key);
                                        (task_select(Task::Content))
                                        button type="submit" { "Start" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "Log finished work" }
            form.stacked method="post" action="/time/log" {
                (csrf_field(&me.csrf_token))
                label { "Channel" (channel_select(&channels, None)) }
                label { "Task" (task_select(Task::Content)) }
                label { "Date" input type="date" name="date" value=(today) required; }
                label { "Minutes" input type="number" name="minutes" min="1" max="1440"; }
                label { "or from (HH:MM)" input type="time" name="start"; }
                label { "to (HH:MM)" input type="time" name="end"; }
                label { "Note" input type="text" name="note"; }
                button type="submit" { "Log" }
            }
            h2 { "Your entries" }
            @if own.is_empty() {
                p.muted { "None yet." }
            } @else {
                table {
                    thead { tr { th { "Date" } th { "Minutes" } th { "Channel" } th { "Task" } th { "Note" } th { "" } } }
                    tbody {
                        @for e in &own {
                            tr {
                                td colspan="5" {
                                    form.inline method="post" action="/time/edit" {
                                        (csrf_field(&me.csrf_token))
                                        input type="hidden" name="key" value=(e.entry.key);
                                        input type="date" name="date" value=(e.entry.date.format("%Y-%m-%d")) required;
                                        input type="number" name="minutes" min="1" max="1440" value=(e.entry.minutes) required;
                                        (channel_select(&channels, e.entry.channel.as_deref()))
                                        (task_select(e.entry.task))
                                        input type="text" name="note" value=(e.entry.note.as_deref().unwrap_or(""));
                                        button.secondary type="submit" { "Save" }
                                    }
                                }
                                td {
                                    form.inline method="post" action="/time/delete" {
                                        (csrf_field(&me.csrf_token))
                                        input type="hidden" name="key" value=(e.entry.key);
                                        button.secondary type="submit" { "Delete" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(all) = &all {
            h2 { "Everyone's tracked entries" }
            @if EDITS_ALL.contains(&me.user.role) {
                p.muted { "As " (me.user.role.as_str()) " you may correct or delete anyone's entry; every change is \
                           in the audit log with before and after." }
                (editable_entries(&channels, all, &me.csrf_token))
            } @else {
                (entries_table(&channels, all))
            }
        }
        (crate::pages::channels::downloads("time-entries"))
    };
    Ok(page(status, layout("Time", Some(me), body)))
}

/// Everyone's entries, each with its Save and Delete forms (the owner's and managers' oversight).
fn editable_entries(channels: &[Channel], entries: &[TrackedEntry], csrf: &str) -> Markup {
    html! {
        @if entries.is_empty() {
            p.muted { "No time tracked in the app yet (imported time is not listed here)." }
        } @else {
            table.all-entries {
                thead { tr { th { "Who" } th { "Date, minutes, channel, task, note" } th { "" } } }
                tbody {
                    @for e in entries {
                        tr data-entry=(e.entry.key) {
                            td { (e.user_email) }
                            td {
                                form.inline method="post" action="/time/edit" {
                                    (csrf_field(csrf))
                                    input type="hidden" name="key" value=(e.entry.key);
                                    input type="date" name="date" value=(e.entry.date.format("%Y-%m-%d")) required;
                                    input type="number" name="minutes" min="1" max="1440" value=(e.entry.minutes) required;
                                    (channel_select(channels, e.entry.channel.as_deref()))
                                    (task_select(e.entry.task))
                                    input type="text" name="note" value=(e.entry.note.as_deref().unwrap_or(""));
                                    button.secondary type="submit" { "Save" }
                                }
                            }
                            td {
                                form.inline method="post" action="/time/delete" {
                                    (csrf_field(csrf))
                                    input type="hidden" name="key" value=(e.entry.key);
                                    button.secondary type="submit" { "Delete" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn entries_table(channels: &[Channel], entries: &[TrackedEntry]) -> Markup {
    html! {
        @if entries.is_empty() {
            p.muted { "No time tracked in the app yet (imported time is not listed here)." }
        } @else {
            table {
                thead { tr { th { "Who" } th { "Date" } th { "Minutes" } th { "Channel" } th { "Task" } th { "Note" } } }
                tbody {
                    @for e in entries {
                        tr {
                            td { (e.user_email) }
                            td { (e.entry.date.format("%Y-%m-%d")) }
                            td { (e.entry.minutes) }
                            td { (channel_name(channels, e.entry.channel.as_deref())) }
                            td { (e.entry.task.as_str()) }
                            td { (e.entry.note.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        }
    }
}

/// The answer to a store error a person can fix: the page again with the problem and a status.
async fn refuse(state: &AppState, me: &SignedIn, error: StoreError) -> Result<Response, WebError> {
    let status = match error {
        StoreError::TimerRunning { .. } | StoreError::NoTimerRunning { .. } => StatusCode::CONFLICT,
        StoreError::NoSuchChannel { .. } | StoreError::InvalidRecord { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        other => return Err(other.into()),
    };
    render(state, me, status, Some(error.to_string())).await
}

fn parse_channel(text: &str) -> Option<String> {
    let key = text.trim();
    (!key.is_empty()).then(|| key.to_string())
}

fn parse_task(text: &str) -> Result<Task, String> {
    Task::parse(text).map_err(|e| e.to_string())
}

/// The entry a form describes, or what is wrong with it.
fn parse_entry(form: &EntryForm) -> Result<TimeInput, String> {
    let task = parse_task(&form.task)?;
    let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d")
        .map_err(|_| format!("the date {:?} is not a date (YYYY-MM-DD)", form.date))?;
    let minutes = match (form.minutes.trim(), form.start.trim(), form.end.trim()) {
        (m, _, _) if !m.is_empty() => {
            m.parse::<i64>().map_err(|_| format!("the minutes {m:?} are not a whole number"))?
        }
        (_, start, end) if !start.is_empty() && !end.is_empty() => {
            let time = |t: &str| {
                NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| format!("{t:?} is not a time of day (HH:MM)"))
            };
            let (start, end) = (time(start)?, time(end)?);
            if end <= start {
                return Err("the end must be after the start (split work past midnight by day)".to_string());
            }
            (end - start).num_minutes()
        }
        _ => return Err("give the minutes, or a start and an end time".to_string()),
    };
    let note = Some(form.note.trim().to_string()).filter(|n| !n.is_empty());
    Ok(TimeInput { channel: parse_channel(&form.channel), task, date, minutes, note })
}

/// `GET /time`.
pub async fn show(State(state): State<AppState>, me: SignedIn) -> Result<Response, WebError> {
    render(&state, &me, StatusCode::OK, None).await
}

/// `POST /time/start`: starts the visitor's timer; one already running is refused (409) and says so.
pub async fn start(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<StartForm>,
) -> Result<Response, WebError> {
    let task = match parse_task(&form.task) {
        Ok(task) => task,
        Err(problem) => return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, Some(problem)).await,
    };
    let channel = parse_channel(&form.channel);
    match state.store.start_timer(&me.user, channel.as_deref(), task, Utc::now()).await {
        Ok(_) => Ok(see_other("/time")),
        Err(e) => refuse(&state, &me, e).await,
    }
}

/// `POST /time/stop`: stops the visitor's timer and records its time entry.
pub async fn stop(State(state): State<AppState>, me: SignedIn) -> Result<Response, WebError> {
    match state.store.stop_timer(&me.user, Utc::now()).await {
        Ok(_) => Ok(see_other("/time")),
        Err(e) => refuse(&state, &me, e).await,
    }
}

/// `POST /time/log`: records a finished piece of work.
pub async fn log(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<EntryForm>,
) -> Result<Response, WebError> {
    let input = match parse_entry(&form) {
        Ok(input) => input,
        Err(problem) => return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, Some(problem)).await,
    };
    match state.store.log_time(&me.user, &input, Utc::now()).await {
        Ok(_) => Ok(see_other("/time")),
        Err(e) => refuse(&state, &me, e).await,
    }
}

/// The answer when the entry of an edit or delete is not the visitor's.
async fn not_done(state: &AppState, me: &SignedIn, change: EntryChange) -> Result<Response, WebError> {
    match change {
        EntryChange::Done(_) => Ok(see_other("/time")),
        EntryChange::NotFound => {
            let problem = "there is no tracked entry with this key (imported time changes by importing again)";
            render(state, me, StatusCode::NOT_FOUND, Some(problem.to_string())).await
        }
        EntryChange::NotYours => {
            let problem =
                "this entry is someone else's: only the person who tracked it, the owner or a manager may change it";
            render(state, me, StatusCode::FORBIDDEN, Some(problem.to_string())).await
        }
    }
}

/// `POST /time/edit`: changes one of the visitor's own entries, or anyone's for the owner and managers (someone
/// else's for the other roles: 403).
pub async fn edit(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<EntryForm>,
) -> Result<Response, WebError> {
    let input = match parse_entry(&form) {
        Ok(input) => input,
        Err(problem) => return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, Some(problem)).await,
    };
    let oversight = EDITS_ALL.contains(&me.user.role);
    match state.store.edit_time_as(&me.user, form.key.trim(), &input, oversight, Utc::now()).await {
        Ok(change) => not_done(&state, &me, change).await,
        Err(e) => refuse(&state, &me, e).await,
    }
}

/// `POST /time/delete`: deletes one of the visitor's own entries, or anyone's for the owner and managers (someone
/// else's for the other roles: 403).
pub async fn delete(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<EntryForm>,
) -> Result<Response, WebError> {
    let oversight = EDITS_ALL.contains(&me.user.role);
    let change = state.store.delete_time_as(&me.user, form.key.trim(), oversight, Utc::now()).await?;
    not_done(&state, &me, change).await
}
