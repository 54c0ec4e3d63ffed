//! `socialledger targets add|list|remove|check`: targets written by the store (audited), checked by the analytics
//! (`socialledger_analytics::targets`) and put into words by the report crate. Glue only.

use crate::args::{Cli, NotifyArgs, TargetsAction, TargetsArgs};
use crate::output;
use anyhow::{anyhow, Context};
use socialledger_analytics::targets::Status;
use socialledger_analytics::Settings;
use socialledger_domain::{Comparison, Currency, PeriodKind, Target, TargetMetric, TargetPeriod};
use socialledger_report::targets as words;
use socialledger_web::notify::{setting, NotifyConfig};
use socialledger_web::target_checks;
use std::process::ExitCode;

pub async fn run(cli: &Cli, args: &TargetsArgs) -> anyhow::Result<ExitCode> {
    let currency = Currency::parse(&args.currency).context("--currency")?;
    let now = chrono::Utc::now();
    match &args.action {
        TargetsAction::Add { channel, metric, comparison, threshold, period } => {
            let metric = TargetMetric::parse(metric).context("--metric")?;
            let comparison = match comparison {
                Some(c) => Comparison::parse(c).context("--comparison")?,
                None => metric.natural_comparison(),
            };
            let threshold = metric.parse_threshold(threshold, currency).context("--threshold")?;
            let period = match period {
                Some(p) => TargetPeriod::parse(p).context("--period")?,
                None => TargetPeriod::containing(PeriodKind::Month, now.date_naive()),
            };
            let target = Target::new(channel.clone(), metric, comparison, threshold, period).context("--threshold")?;
            let store = super::open_existing_store(&cli.db_or_default()).await?;
            let stored = store.add_target(&target, None, now).await?;
            if cli.json {
                output::print_json(&stored)?;
            } else {
                output::print_text(&format!(
                    "added target #{}: {} {} {} {} in {}",
                    stored.id,
                    target.channel.as_deref().unwrap_or("all social"),
                    target.metric,
                    target.comparison.symbol(),
                    words::figure(metric, threshold, currency),
                    target.period
                ))?;
            }
        }
        TargetsAction::List => {
            let store = super::open_existing_store(&cli.db_or_default()).await?;
            let targets = store.targets().await?;
            if cli.json {
                output::print_json(&targets)?;
            } else if targets.is_empty() {
                output::print_text("no targets yet; add one with `socialledger targets add`")?;
            } else {
                let lines: Vec<String> = targets
                    .iter()
                    .map(|s| {
                        let t = &s.target;
                        format!(
                            "#{} {}: {} {} {} in {}",
                            s.id,
                            t.channel.as_deref().unwrap_or("all social"),
                            t.metric,
                            t.comparison.symbol(),
                            words::figure(t.metric, t.threshold, currency),
                            t.period
                        )
                    })
                    .collect();
                output::print_text(&lines.join("\n"))?;
            }
        }
        TargetsAction::Remove { id } => {
            let store = super::open_existing_store(&cli.db_or_default()).await?;
            match store.remove_target(*id, None, now).await? {
                Some(removed) if cli.json => output::print_json(&removed)?,
                Some(removed) => output::print_text(&format!("removed target #{id}: {}", removed.target.describe()))?,
                None => return Err(anyhow!("there is no target #{id}; `socialledger targets list` shows them")),
            }
        }
        TargetsAction::Check { as_of } => {
            let as_of = as_of.unwrap_or_else(|| now.date_naive().pred_opt().unwrap_or(now.date_naive()));
            let store = super::open_existing_store(&cli.db_or_default()).await?;
            let notify = notify_config(&args.notify)?;
            let settings = Settings { currency, ..Settings::default() };
            let checks = target_checks::check_stored(&store, &settings, as_of).await?;
            let alerts = target_checks::record_alerts(&store, &checks, currency).await?;
            let delivered = target_checks::deliver(&store, &notify, &alerts, &checks).await?;
            for failure in &delivered.failures {
                eprintln!("socialledger: an alert could not be sent: {failure}");
            }
            let off = checks.iter().filter(|c| c.evaluation.status == Status::OffTrack).count();
            if cli.json {
                output::print_json(&checks)?;
            } else {
                let mut lines: Vec<String> = checks.iter().map(|c| words::line(c, currency)).collect();
                lines.push(match (checks.len(), off) {
                    (0, _) => "no targets to check; add one with `socialledger targets add`".to_string(),
                    (n, 0) => format!("no target is off track ({n} checked as of {as_of})"),
                    (n, 1) => format!("1 of {n} targets is off track (as of {as_of})"),
                    (n, k) => format!("{k} of {n} targets are off track (as of {as_of})"),
                });
                output::print_text(&lines.join("\n"))?;
            }
            if !delivered.failures.is_empty() {
                return Ok(ExitCode::from(2));
            }
            if off > 0 {
                return Ok(ExitCode::from(1));
            }
        }
        TargetsAction::Digest { as_of, print } => {
            let as_of = as_of.unwrap_or_else(|| now.date_naive().pred_opt().unwrap_or(now.date_naive()));
            let notify = notify_config(&args.notify)?;
            let smtp = match (&notify.smtp, print) {
                (_, true) => None,
                (Some(smtp), false) => Some(smtp),
                (None, false) => {
                    return Err(anyhow!(
                        "no SMTP relay configured: set SOCIALLEDGER_SMTP_HOST and SOCIALLEDGER_SMTP_FROM (or \
                         --smtp-host and --smtp-from; docs/targets.md), or print the digest with --print"
                    ))
                }
            };
            let store = super::open_existing_store(&cli.db_or_default()).await?;
            let settings = Settings { currency, ..Settings::default() };
            let checks = target_checks::check_stored(&store, &settings, as_of).await?;
            let week_ago = now - chrono::Duration::days(7);
            let alerts: Vec<_> = store.alerts(1000).await?.into_iter().filter(|a| a.created_at >= week_ago).collect();
            let text = target_checks::digest_text(&checks, &alerts, currency, as_of);
            let recipients = target_checks::recipients(&store, &notify).await?;
            if let Some(smtp) = smtp {
                let subject = format!("socialledger: weekly targets digest ({as_of})");
                socialledger_web::notify::send_email(smtp, &recipients, &subject, &text).await?;
            }
            if cli.json {
                output::print_json(&serde_json::json!({
                    "as_of": as_of, "recipients": recipients, "sent": smtp.is_some(), "text": text,
                }))?;
            } else if smtp.is_some() {
                output::print_text(&format!("sent the digest to {}", recipients.join(", ")))?;
            } else {
                output::print_text(text.trim_end())?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Where alerts go: each flag, else its environment variable (the password only from the environment).
fn notify_config(args: &NotifyArgs) -> anyhow::Result<NotifyConfig> {
    let flag = |var: &str| match var {
        "SOCIALLEDGER_ALERT_WEBHOOK" => args.webhook.as_deref(),
        "SOCIALLEDGER_SMTP_HOST" => args.smtp_host.as_deref(),
        "SOCIALLEDGER_SMTP_PORT" => args.smtp_port.as_deref(),
        "SOCIALLEDGER_SMTP_TLS" => args.smtp_tls.as_deref(),
        "SOCIALLEDGER_SMTP_USER" => args.smtp_user.as_deref(),
        "SOCIALLEDGER_SMTP_FROM" => args.smtp_from.as_deref(),
        "SOCIALLEDGER_ALERT_TO" => args.to.as_deref(),
        _ => None,
    };
    Ok(NotifyConfig::from_settings(&|var| setting(flag(var), var))?)
}
