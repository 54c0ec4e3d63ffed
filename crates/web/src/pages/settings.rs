//! The Settings page (`/settings`): the analysis settings the stored analyses are computed with (reporting
//! currency, gross margin, attribution window, time-decay half-life, where revenue journeys end, whether sales
//! meetings are credited), kept in the database's `settings` table. The owner and managers change them; analysts
//! read them.
//!
//! A change is validated field by field (`socialledger_analytics::stored_settings`): any invalid value is shown
//! beside its field and nothing is saved. A valid change writes only the values that differ, with one audit entry
//! holding each before and after (`Store::change_settings`); the settings' change is part of the data's
//! fingerprint, so the stored analyses are stale from then on and the next page view recomputes them. The command
//! line reads the same stored values as its defaults (`socialledger report` without `--gross-margin` etc.).

use crate::access::SignedIn;
use crate::analyses::{MIX, REPORT};
use crate::pages::{csrf_field, layout, page, see_other};
use crate::routes::{Endpoint, Method, ROUTES};
use crate::state::AppState;
use crate::WebError;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use chrono::Utc;
use maud::{html, Markup};
use serde::Deserialize;
use socialledger_analytics::stored_settings::{self, FIELDS};
use socialledger_analytics::Settings;
use std::collections::{BTreeMap, HashMap};

/// `?saved=N`: how many settings the last save changed (shown once after the redirect).
#[derive(Deserialize, Default)]
pub struct Saved {
    saved: Option<usize>,
}

/// What the form shows: each field's value (the stored one, or what was typed) and its problem, if any.
struct FormState {
    values: BTreeMap<&'static str, String>,
    problems: BTreeMap<&'static str, String>,
}

fn may_change(me: &SignedIn) -> bool {
    ROUTES
        .iter()
        .find(|r| r.endpoint == Endpoint::SaveSettings && r.method == Method::Post)
        .is_some_and(|r| r.access.allows(me.user.role))
}

fn field_input(key: &'static str, value: &str, editable: bool) -> Markup {
    match key {
        "journey_end" => html! {
            select name=(key) id=(key) disabled[!editable] {
                @for option in ["close", "creation"] { option value=(option) selected[value == option] { (option) } }
            }
        },
        "credit_sales_touches" => html! {
            select name=(key) id=(key) disabled[!editable] {
                @for option in ["no", "yes"] { option value=(option) selected[value == option] { (option) } }
            }
        },
        _ => html! { input type="text" name=(key) id=(key) value=(value) readonly[!editable]; },
    }
}

fn settings_form(me: &SignedIn, form: &FormState, changed_at: &HashMap<String, String>) -> Markup {
    let editable = may_change(me);
    html! {
        form.stacked.settings method="post" action="/settings" {
            (csrf_field(&me.csrf_token))
            @for f in FIELDS {
                div class={ "field" @if form.problems.contains_key(f.key) { " invalid" } } data-setting=(f.key) {
                    label for=(f.key) { (f.label) }
                    (field_input(f.key, form.values.get(f.key).map_or("", String::as_str), editable))
                    @if let Some(problem) = form.problems.get(f.key) { p.error.field-error { (problem) } }
                    p.muted {
                        (f.help) " Command line: " code { (f.flag) } "."
                        @if let Some(at) = changed_at.get(f.key) { " Last changed " (at) "." }
                    }
                }
            }
            @if editable { button type="submit" { "Save settings" } }
        }
    }
}

/// The stored analyses and the settings each was computed with, and whether they are current.
async fn analyses_status(state: &AppState) -> Result<Markup, WebError> {
    let fingerprint = state.store.data_fingerprint().await?;
    let mut rows = Vec::new();
    for (kind, name) in [(REPORT, "Report (Overview, Channels, Attribution, Experiments)"), (MIX, "Mix model")] {
        let stored = state.store.stored_analysis(kind).await?.and_then(|s| s.result);
        rows.push((name, stored));
    }
    Ok(html! {
        h2 { "Stored analyses" }
        table.analyses {
            thead { tr { th { "Analysis" } th { "Computed at" } th { "With the settings" } th { "State" } } }
            tbody { @for (name, stored) in &rows {
                tr {
                    td { (name) }
                    @match stored {
                        Some(r) => {
                            td { (r.computed_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)) }
                            td { (settings_words(&r.json)) }
                            td { @if r.fingerprint == fingerprint { "current" } @else {
                                strong.stale { "stale: computed again at the next view of its page" } } }
                        }
                        None => { td { "never" } td { "" } td { "computed at the first view of its page" } }
                    }
                }
            } }
        }
    })
}

/// The settings a stored result's JSON names, in the stored text of each key.
fn settings_words(json: &str) -> String {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(json) else { return String::new() };
    let Ok(settings) = serde_json::from_value::<Settings>(doc["settings"].clone()) else {
        return "not recorded (computed before settings were stored with it)".to_string();
    };
    stored_settings::to_stored(&settings).iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
}

async fn render(
    state: &AppState,
    me: &SignedIn,
    status: StatusCode,
    form: FormState,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let changed_at: HashMap<String, String> = state
        .store
        .settings_changed_at()
        .await?
        .into_iter()
        .map(|(k, at)| (k, at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)))
        .collect();
    let status_table = analyses_status(state).await?;
    let body = html! {
        @if let Some(n) = &notice { p.notice.saved { (n) } }
        @if status == StatusCode::UNPROCESSABLE_ENTITY {
            p.error { "Nothing was saved: correct the settings marked below." }
        }
        p { "Every figure of the Overview, Channels, Mix, Attribution and Experiments pages rests on these \
             settings, and so does " code { "socialledger report" } " (and " code { "attribution" } ", "
             code { "verdict" } ") on this database when its flags are not given. A change is audited and the \
             stored analyses are computed again with it." }
        @if !may_change(me) { p.muted { "You may read the settings; the owner and managers change them." } }
        (settings_form(me, &form, &changed_at))
        (status_table)
    };
    Ok(page(status, layout("Settings", Some(me), body)))
}

/// The stored settings as the form shows them; a stored value that does not parse is shown as it is, with why.
async fn stored_form(state: &AppState) -> Result<FormState, WebError> {
    let stored: HashMap<String, String> = state.store.settings().await?.into_iter().collect();
    let defaults = Settings::default();
    let mut form = FormState { values: BTreeMap::new(), problems: BTreeMap::new() };
    for f in FIELDS {
        let value = match stored.get(f.key) {
            Some(text) => {
                if let Err(problem) = stored_settings::set_text(&mut Settings::default(), f.key, text) {
                    form.problems.insert(f.key, format!("the stored value is invalid: {problem}"));
                }
                text.clone()
            }
            None => stored_settings::value_text(&defaults, f.key),
        };
        form.values.insert(f.key, value);
    }
    Ok(form)
}

/// `GET /settings`.
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Query(saved): Query<Saved>,
) -> Result<Response, WebError> {
    let form = stored_form(&state).await?;
    let notice = saved.saved.map(|n| match n {
        0 => "Nothing changed: the settings were already these.".to_string(),
        1 => "1 setting saved; the stored analyses are computed again with it.".to_string(),
        n => format!("{n} settings saved; the stored analyses are computed again with them."),
    });
    render(&state, &me, StatusCode::OK, form, notice).await
}

/// `POST /settings`: validates every field; saves the changed ones (audited, one transaction) only when all are
/// valid, else answers 422 with each problem beside its field and nothing saved. A field left out of the form keeps
/// its stored value.
pub async fn save(
    State(state): State<AppState>,
    me: SignedIn,
    Form(posted): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let mut form = stored_form(&state).await?;
    // What each setting is now (stored, else the default): a value equal to it is not a change.
    let current = form.values.clone();
    form.problems.clear();
    let mut values = Vec::new();
    for f in FIELDS {
        let Some(text) = posted.get(f.key) else { continue };
        form.values.insert(f.key, text.clone());
        let mut parsed = Settings::default();
        match stored_settings::set_text(&mut parsed, f.key, text) {
            // Stored in its canonical text (70 % -> 0.7, usd -> USD), so equal settings compare equal.
            Ok(()) => {
                let canonical = stored_settings::value_text(&parsed, f.key);
                if current.get(f.key) != Some(&canonical) {
                    values.push((f.key.to_string(), canonical));
                }
            }
            Err(problem) => {
                form.problems.insert(f.key, problem);
            }
        }
    }
    if !form.problems.is_empty() {
        return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, form, None).await;
    }
    let changes = state.store.change_settings(&values, Some(me.user.id), Utc::now()).await?;
    Ok(see_other(&format!("/settings?saved={}", changes.len())))
}
