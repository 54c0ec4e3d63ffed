//! The handlers of `/api/v1` and the types they answer with (each a `ToSchema`, so `docs/openapi.json` describes
//! exactly what is sent). Who may call each is its row in [`crate::routes::ROUTES`].

use super::{ApiError, ErrorBody, Page, PageQuery};
use crate::access::SignedIn;
use crate::analyses;
use crate::routes::{self, Endpoint};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use socialledger_domain::{Channel, PostMetrics, Task, Timestamp};
use socialledger_store::{AuditEntry, PostWithMetrics, StoreError, TimeInput, TrackedEntry};
use std::sync::Arc;
use utoipa::ToSchema;

fn at(t: Timestamp) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// One of the roles of docs/roles.md.
    pub role: String,
    /// The session's CSRF token, which a script signed in by the session cookie sends back in `X-CSRF-Token`;
    /// `null` when signed in by a token (which needs none).
    pub csrf_token: Option<String>,
    /// The token's scope (`read`, `read-write`) when signed in by a token.
    pub token_scope: Option<String>,
}

/// `GET /api/v1/me`: who the session or token belongs to. Other sites cannot read the CSRF token in it: no CORS
/// headers are sent.
#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(signed_in: SignedIn) -> Json<Me> {
    let u = signed_in.user;
    Json(Me {
        id: u.id,
        email: u.email,
        display_name: u.display_name,
        role: u.role.as_str().to_string(),
        csrf_token: signed_in.token_scope.is_none().then_some(signed_in.csrf_token),
        token_scope: signed_in.token_scope.map(|s| s.as_str().to_string()),
    })
}

/// A channel: one account on a network, or a non-social channel (events, e-mail, ads).
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelItem {
    pub key: String,
    pub name: String,
    /// `organic_social`, `paid_social`, ... (docs/sources.md).
    pub kind: String,
    pub network: Option<String>,
    pub handle: Option<String>,
}

impl From<Channel> for ChannelItem {
    fn from(c: Channel) -> ChannelItem {
        ChannelItem {
            key: c.key,
            name: c.name,
            kind: c.kind.as_str().to_string(),
            network: c.network.map(|n| n.as_str().to_string()),
            handle: c.handle,
        }
    }
}

/// `GET /api/v1/channels`: every channel, by key.
#[utoipa::path(get, path = "/api/v1/channels", tag = "channels", params(PageQuery),
    responses((status = 200, body = Page<ChannelItem>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn channels(
    State(state): State<AppState>,
    _me: SignedIn,
    Query(query): Query<PageQuery>,
) -> Result<Json<Page<ChannelItem>>, ApiError> {
    let paging = query.paging()?;
    let found = state.store.channels_page(paging.request()).await?;
    let items = found.items.into_iter().map(ChannelItem::from).collect();
    Ok(Json(paging.page("/api/v1/channels", items, found.total)))
}

/// The counters of a post as one export reported them: cumulative up to `date` (`lifetime`) or that day's
/// increments (`day`). Absent counters are `null` (not reported), never 0.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostMetricsItem {
    pub date: Option<String>,
    pub period: Option<String>,
    pub impressions: Option<i64>,
    pub reach: Option<i64>,
    pub reactions: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    pub clicks: Option<i64>,
    pub saves: Option<i64>,
    pub video_views: Option<i64>,
    pub follows: Option<i64>,
    pub engagements: Option<i64>,
    pub watch_seconds: Option<i64>,
    /// The platform's own engagement rate (fraction), as printed in the export.
    pub reported_engagement_rate: Option<f64>,
}

impl From<PostMetrics> for PostMetricsItem {
    fn from(m: PostMetrics) -> PostMetricsItem {
        PostMetricsItem {
            date: m.date.map(|d| d.format("%Y-%m-%d").to_string()),
            period: m.period.map(|p| p.as_str().to_string()),
            impressions: m.impressions,
            reach: m.reach,
            reactions: m.reactions,
            comments: m.comments,
            shares: m.shares,
            clicks: m.clicks,
            saves: m.saves,
            video_views: m.video_views,
            follows: m.follows,
            engagements: m.engagements,
            watch_seconds: m.watch_seconds,
            reported_engagement_rate: m.reported_engagement_rate,
        }
    }
}

/// A post with its metrics. `text`, `author` and the rest come from the exports as they were: untrusted text.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostItem {
    pub channel: String,
    pub external_id: String,
    pub published_at: Option<String>,
    pub post_type: Option<String>,
    pub text: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub campaign: Option<String>,
    pub idea: Option<String>,
    pub metrics: Vec<PostMetricsItem>,
}

impl From<PostWithMetrics> for PostItem {
    fn from(PostWithMetrics { post: p, metrics }: PostWithMetrics) -> PostItem {
        PostItem {
            channel: p.channel,
            external_id: p.external_id,
            published_at: p.published_at.map(at),
            post_type: p.post_type.map(|t| t.as_str().to_string()),
            text: p.text,
            url: p.url,
            author: p.author,
            campaign: p.campaign,
            idea: p.idea,
            metrics: metrics.into_iter().map(PostMetricsItem::from).collect(),
        }
    }
}

/// `GET /api/v1/posts`: posts by channel and id, each with every metrics row stored for it.
#[utoipa::path(get, path = "/api/v1/posts", tag = "posts", params(PageQuery),
    responses((status = 200, body = Page<PostItem>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn posts(
    State(state): State<AppState>,
    _me: SignedIn,
    Query(query): Query<PageQuery>,
) -> Result<Json<Page<PostItem>>, ApiError> {
    let paging = query.paging()?;
    let found = state.store.posts_page(paging.request()).await?;
    let items = found.items.into_iter().map(PostItem::from).collect();
    Ok(Json(paging.page("/api/v1/posts", items, found.total)))
}

/// A time entry tracked in the app, with who tracked it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimeEntryItem {
    pub key: String,
    pub user_id: i64,
    pub user_email: String,
    pub date: String,
    pub minutes: i64,
    /// The channel's key, `null` for social in general.
    pub channel: Option<String>,
    /// The task's canonical name (`content`, `engagement`, ...).
    pub task: String,
    pub note: Option<String>,
}

impl From<TrackedEntry> for TimeEntryItem {
    fn from(e: TrackedEntry) -> TimeEntryItem {
        TimeEntryItem {
            key: e.entry.key,
            user_id: e.user_id,
            user_email: e.user_email,
            date: e.entry.date.format("%Y-%m-%d").to_string(),
            minutes: e.entry.minutes,
            channel: e.entry.channel,
            task: e.entry.task.as_str().to_string(),
            note: e.entry.note,
        }
    }
}

/// Whether `me` sees everyone's tracked time (as on the /time page), else only their own.
pub(crate) fn sees_all_time(me: &SignedIn) -> bool {
    crate::pages::time::SEES_ALL.contains(&me.user.role)
}

/// `GET /api/v1/time-entries`: time tracked in the app, newest day first: everyone's for the owner, managers and
/// analysts, the caller's own for everyone else (as the /time page shows). Imported time is not listed.
#[utoipa::path(get, path = "/api/v1/time-entries", tag = "time", params(PageQuery),
    responses((status = 200, body = Page<TimeEntryItem>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn time_entries(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<PageQuery>,
) -> Result<Json<Page<TimeEntryItem>>, ApiError> {
    let paging = query.paging()?;
    let user = (!sees_all_time(&me)).then_some(me.user.id);
    let found = state.store.tracked_entries_page(user, paging.request()).await?;
    let items = found.items.into_iter().map(TimeEntryItem::from).collect();
    Ok(Json(paging.page("/api/v1/time-entries", items, found.total)))
}

/// A finished piece of work to log as the caller's own time entry.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTimeEntry {
    /// A channel's key; absent or `null` for social in general.
    pub channel: Option<String>,
    /// A task: `create`, `publish`, `engage`, `respond`, `monitor`, `report`, `customer_service`, ...
    pub task: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Whole minutes, 1 to 1440.
    pub minutes: i64,
    pub note: Option<String>,
}

/// `POST /api/v1/time-entries`: logs a finished piece of work as the caller's entry (audited). Needs a
/// read-write token, or the session cookie with `X-CSRF-Token`.
#[utoipa::path(post, path = "/api/v1/time-entries", tag = "time", request_body = NewTimeEntry,
    responses((status = 201, body = TimeEntryItem), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn log_time(
    State(state): State<AppState>,
    me: SignedIn,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<TimeEntryItem>), ApiError> {
    let unprocessable = |message: String| ApiError { status: StatusCode::UNPROCESSABLE_ENTITY, message };
    let new: NewTimeEntry = serde_json::from_slice(&body)
        .map_err(|e| unprocessable(format!("the body is not a time entry as JSON ({e}); see /api/openapi.json")))?;
    let task = Task::parse(&new.task).map_err(|e| unprocessable(e.to_string()))?;
    let date = NaiveDate::parse_from_str(new.date.trim(), "%Y-%m-%d")
        .map_err(|_| unprocessable(format!("the date {:?} is not a date (YYYY-MM-DD)", new.date)))?;
    let channel = new.channel.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    let note = new.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    let input = TimeInput { channel, task, date, minutes: new.minutes, note };
    match state.store.log_time(&me.user, &input, Utc::now()).await {
        Ok(entry) => Ok((StatusCode::CREATED, Json(TimeEntryItem::from(entry)))),
        Err(e @ (StoreError::NoSuchChannel { .. } | StoreError::InvalidRecord { .. })) => {
            Err(unprocessable(e.to_string()))
        }
        Err(e) => Err(e.into()),
    }
}

/// A channel's figures from the stored report. Cost and hours are `null` for roles that may not see costs.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelFigures {
    pub channel: String,
    pub name: String,
    pub posts: Option<u64>,
    /// Engagements ÷ impressions, over the posts (or days) reporting both (fraction).
    pub engagement_rate_by_impressions: Option<f64>,
    /// Engagements per post ÷ the latest follower level (fraction).
    pub engagement_rate_by_followers: Option<f64>,
    /// Full cost in minor units of the report's currency (staff time + cost items + activity spend).
    pub cost_minor: Option<i64>,
    pub hours: Option<f64>,
}

/// The stored report: when and from which data it was computed, the channels' figures, and for the roles that
/// see costs the whole report (`socialledger report --mmm --json`, docs/reports.md).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportItem {
    /// When the stored result was computed (`null`: not computed yet).
    pub computed_at: Option<String>,
    /// The fingerprint of the data it was computed from.
    pub fingerprint: Option<String>,
    /// False while the data changed since and a recompute is under way: the figures are then of older data.
    pub current: bool,
    pub currency: Option<String>,
    pub channels: Vec<ChannelFigures>,
    /// The whole report; `null` for roles that may not see costs (it weighs costs throughout).
    #[schema(value_type = Option<Object>)]
    #[serde(serialize_with = "shared_json")]
    pub report: Option<Arc<Value>>,
}

/// Serializes the stored report as shared by the pages ([`analyses::ParsedAnalyses`]), without copying it.
fn shared_json<S: serde::Serializer>(json: &Option<Arc<Value>>, serializer: S) -> Result<S::Ok, S::Error> {
    json.as_deref().serialize(serializer)
}

/// `GET /api/v1/report`: the stored report ([`crate::analyses`]); asking for it starts its recompute when the
/// data changed, as the pages do.
#[utoipa::path(get, path = "/api/v1/report", tag = "report",
    responses((status = 200, body = ReportItem), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn report(State(state): State<AppState>, me: SignedIn) -> Result<Json<ReportItem>, ApiError> {
    let view = analyses::report(&state).await?;
    let costs = routes::allows(Endpoint::ChannelCosts, me.user.role);
    let rows: &[Value] = view.json.as_deref().and_then(|r| r["channels"].as_array()).map_or(&[], Vec::as_slice);
    let channels = rows
        .iter()
        .map(|r| ChannelFigures {
            channel: r["channel"].as_str().unwrap_or("").to_string(),
            name: r["name"].as_str().unwrap_or("").to_string(),
            posts: r["posts"].as_u64(),
            engagement_rate_by_impressions: r["engagement_rate_by_impressions"].as_f64(),
            engagement_rate_by_followers: r["engagement_rate_by_followers"].as_f64(),
            cost_minor: if costs { r["cost_minor"].as_i64() } else { None },
            hours: if costs { r["hours"].as_f64() } else { None },
        })
        .collect();
    Ok(Json(ReportItem {
        computed_at: view.result.as_ref().map(|r| at(r.computed_at)),
        fingerprint: view.result.as_ref().map(|r| r.fingerprint.clone()),
        current: view.is_current(),
        currency: view.json.as_deref().and_then(|r| r["currency"].as_str()).map(str::to_string),
        channels,
        report: if costs { view.json } else { None },
    }))
}

/// One change in the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditItem {
    pub id: i64,
    pub at: String,
    /// `null`: the command line or the system.
    pub actor_id: Option<i64>,
    pub actor_email: Option<String>,
    pub action: String,
    pub object: String,
    /// The object before and after the change, as JSON text.
    pub before: Option<String>,
    pub after: Option<String>,
}

impl From<AuditEntry> for AuditItem {
    fn from(e: AuditEntry) -> AuditItem {
        AuditItem {
            id: e.id,
            at: at(e.at),
            actor_id: e.actor_id,
            actor_email: e.actor_email,
            action: e.action,
            object: e.object,
            before: e.before,
            after: e.after,
        }
    }
}

/// `GET /api/v1/audit`: the audit log, newest first (the owner's).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(PageQuery),
    responses((status = 200, body = Page<AuditItem>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    _me: SignedIn,
    Query(query): Query<PageQuery>,
) -> Result<Json<Page<AuditItem>>, ApiError> {
    let paging = query.paging()?;
    let found = state.store.audit_page(paging.request()).await?;
    let items = found.items.into_iter().map(AuditItem::from).collect();
    Ok(Json(paging.page("/api/v1/audit", items, found.total)))
}
