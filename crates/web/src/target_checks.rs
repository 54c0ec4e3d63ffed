//! Targets checked once per change of the data, of the targets or of the day, stored like the report
//! ([`crate::analyses`]): the `/targets` page reads the stored checks and never loads the data itself. The
//! recompute also records the alerts of status changes ([`record_alerts`], shared with `socialledger targets
//! check`), once per change of a target's status in its period.

use crate::analyses::refresh_in_background;
use crate::notify::{self, NotifyConfig};
use crate::WebError;
use chrono::{NaiveDate, Utc};
use socialledger_analytics::targets::{check_all, Status, TargetCheck};
use socialledger_analytics::Settings;
use socialledger_domain::{Currency, Role, Target};
use socialledger_report::targets as words;
use socialledger_store::{Alert, AnalysisResult, Delivery, Store};

/// The kind of the stored checks.
pub const TARGETS: &str = "targets";

/// What the page shows: the stored checks and whether they are of the data, the targets and the day now.
#[derive(Debug)]
pub struct ChecksView {
    pub checks: Option<Vec<TargetCheck>>,
    pub computed_at: Option<chrono::DateTime<Utc>>,
    /// True when the stored checks are older than the data, the targets or the day: a recompute is under way.
    pub recomputing: bool,
    pub failure: Option<String>,
}

/// The last complete day (UTC): what a check counts up to.
pub fn as_of_now() -> NaiveDate {
    let today = Utc::now().date_naive();
    today.pred_opt().unwrap_or(today)
}

/// What stored checks are computed from: the data's fingerprint, the targets (hashed) and the day counted.
async fn fingerprint(store: &Store, as_of: NaiveDate) -> Result<String, WebError> {
    let data = store.data_fingerprint().await?;
    let targets = store.targets().await?;
    let text = serde_json::to_string(&targets).map_err(|e| WebError::Analysis(e.to_string()))?;
    Ok(format!("{data};targets:{};as_of:{as_of}", &crate::tokens::token_hash(&text)[..16]))
}

/// The stored checks and, when they are not of the data, targets and day now, the start of their recompute (in
/// the background, once among all servers).
pub async fn checks(store: &Store, notify: &NotifyConfig) -> Result<ChecksView, WebError> {
    let as_of = as_of_now();
    let fingerprint = fingerprint(store, as_of).await?;
    let (result, failure) = match store.stored_analysis(TARGETS).await? {
        Some(s) => (s.result, s.failure),
        None => (None, None),
    };
    let current = result.as_ref().is_some_and(|r| r.fingerprint == fingerprint);
    if !current {
        let notify = notify.clone();
        refresh_in_background(store, TARGETS, &fingerprint, move |store, fingerprint| async move {
            recompute(&store, &notify, fingerprint, as_of).await.map(drop)
        })
        .await?;
    }
    let checks = match &result {
        Some(r) => Some(serde_json::from_str(&r.json).map_err(|e| WebError::Analysis(e.to_string()))?),
        None => None,
    };
    Ok(ChecksView { checks, computed_at: result.map(|r| r.computed_at), recomputing: !current, failure })
}

/// Checks every target on the data now, records the alerts of status changes, sends them out as configured and
/// stores the checks.
pub async fn recompute(
    store: &Store,
    notify: &NotifyConfig,
    fingerprint: String,
    as_of: NaiveDate,
) -> Result<Vec<TargetCheck>, WebError> {
    let settings = Settings::default();
    let checks = check_stored(store, &settings, as_of).await?;
    let alerts = record_alerts(store, &checks, settings.currency).await?;
    let delivered = deliver(store, notify, &alerts, &checks).await?;
    for failure in &delivered.failures {
        eprintln!("socialledger web: an alert could not be sent: {failure}");
    }
    let json = serde_json::to_string(&checks).map_err(|e| WebError::Analysis(e.to_string()))?;
    store.save_analysis(TARGETS, &AnalysisResult { fingerprint, json, computed_at: Utc::now() }).await?;
    Ok(checks)
}

/// Every stored target checked on the stored data as of `as_of` (the data is loaded only when there are targets).
pub async fn check_stored(store: &Store, settings: &Settings, as_of: NaiveDate) -> Result<Vec<TargetCheck>, WebError> {
    let targets: Vec<(i64, Target)> = store.targets().await?.into_iter().map(|s| (s.id, s.target)).collect();
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let dataset = store.load_for_analysis().await?;
    let settings = settings.clone();
    tokio::task::spawn_blocking(move || check_all(&dataset, &settings, &targets, as_of))
        .await
        .map_err(|e| WebError::Analysis(format!("the check stopped: {e}")))
}

/// Records an alert for every target whose status changed to off track, or back on track after being off (once
/// per change of a target in its period; "cannot tell yet" changes nothing). Returns the new alerts.
pub async fn record_alerts(store: &Store, checks: &[TargetCheck], currency: Currency) -> Result<Vec<Alert>, WebError> {
    let now = Utc::now();
    let mut alerts = Vec::new();
    for c in checks {
        if c.evaluation.status == Status::CannotTell {
            continue;
        }
        let message = words::alert_message(c, currency);
        let period = c.target.period.label();
        if let Some(alert) = store.record_alert(c.id, &period, c.evaluation.status.as_str(), &message, now).await? {
            alerts.push(alert);
        }
    }
    Ok(alerts)
}

/// The JSON a webhook receives for an alert.
#[derive(Debug, serde::Serialize)]
pub struct AlertPayload<'a> {
    /// Always `target.alert`.
    pub event: &'static str,
    pub alert: &'a Alert,
    pub check: &'a TargetCheck,
}

/// What went wrong sending alerts out (the alerts stay recorded and shown in the app).
#[derive(Debug, Default)]
pub struct Delivered {
    pub webhooks: usize,
    pub emails: usize,
    pub failures: Vec<String>,
}

/// The e-mail recipients: the configured ones, else the active owners' addresses.
pub async fn recipients(store: &Store, config: &NotifyConfig) -> Result<Vec<String>, WebError> {
    if !config.to.is_empty() {
        return Ok(config.to.clone());
    }
    let users = store.users().await?;
    Ok(users.into_iter().filter(|u| u.role == Role::Owner && !u.disabled).map(|u| u.email).collect())
}

/// Sends each new alert by webhook and by e-mail as configured, and notes in the alert what went out. A failed
/// delivery is reported (and not retried: the alert stays in the app); the others still go out.
pub async fn deliver(
    store: &Store,
    config: &NotifyConfig,
    alerts: &[Alert],
    checks: &[TargetCheck],
) -> Result<Delivered, WebError> {
    let mut done = Delivered::default();
    if alerts.is_empty() || (config.webhook.is_none() && config.smtp.is_none()) {
        return Ok(done);
    }
    let to = recipients(store, config).await?;
    for alert in alerts {
        let Some(check) = checks.iter().find(|c| c.id == alert.target_id) else { continue };
        if let Some(url) = &config.webhook {
            let payload = AlertPayload { event: "target.alert", alert, check };
            match notify::post_webhook(url, &payload).await {
                Ok(()) => {
                    store.mark_alert_sent(alert.id, Delivery::Webhook, Utc::now()).await?;
                    done.webhooks += 1;
                }
                Err(e) => done.failures.push(e.to_string()),
            }
        }
        if let Some(smtp) = &config.smtp {
            let subject = format!("socialledger: target #{} is {}", check.id, check.evaluation.status.words());
            let body = format!(
                "{}\n\nAll targets: the Targets page of socialledger, or `socialledger targets check`.\n",
                alert.message
            );
            match notify::send_email(smtp, &to, &subject, &body).await {
                Ok(()) => {
                    store.mark_alert_sent(alert.id, Delivery::Email, Utc::now()).await?;
                    done.emails += 1;
                }
                Err(e) => done.failures.push(e.to_string()),
            }
        }
    }
    Ok(done)
}

/// The weekly digest: every target checked and the alerts of the last seven days, as plain text.
pub fn digest_text(checks: &[TargetCheck], alerts: &[Alert], currency: Currency, as_of: NaiveDate) -> String {
    let mut out = format!("socialledger: targets as of {as_of}\n\n");
    if checks.is_empty() {
        out.push_str("No targets are set. Set them on the Targets page or with `socialledger targets add`.\n");
    }
    let off = checks.iter().filter(|c| c.evaluation.status == Status::OffTrack).count();
    if !checks.is_empty() {
        out.push_str(&format!("{off} of {} targets off track.\n\n", checks.len()));
    }
    for c in checks {
        out.push_str(&words::line(c, currency));
        out.push('\n');
    }
    out.push_str("\nAlerts of the last seven days:\n");
    if alerts.is_empty() {
        out.push_str("none\n");
    }
    for a in alerts {
        out.push_str(&format!("{} {}\n", a.created_at.format("%Y-%m-%d %H:%M UTC"), a.message));
    }
    out
}
