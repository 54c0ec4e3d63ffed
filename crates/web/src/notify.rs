//! Alerts and the weekly digest sent out: by webhook (a JSON POST to a configured URL) and by e-mail through a
//! configured SMTP relay (`lettre`). Configured by environment variables, which the command line's flags of the
//! same names override (docs/targets.md, "Notifications"):
//!
//! | variable | meaning |
//! |---|---|
//! | `SOCIALLEDGER_ALERT_WEBHOOK` | URL alerts are POSTed to as JSON |
//! | `SOCIALLEDGER_SMTP_HOST`, `SOCIALLEDGER_SMTP_PORT` | the relay (port: 587 with STARTTLS, 465 with TLS, 25 without) |
//! | `SOCIALLEDGER_SMTP_TLS` | `starttls` (default), `tls` or `none` (a relay on this machine or a trusted network) |
//! | `SOCIALLEDGER_SMTP_USER`, `SOCIALLEDGER_SMTP_PASSWORD` | credentials, when the relay wants them |
//! | `SOCIALLEDGER_SMTP_FROM` | the sender address |
//! | `SOCIALLEDGER_ALERT_TO` | recipients, comma-separated; by default the owner's address |
//!
//! The password is never printed: [`SmtpConfig`]'s `Debug` redacts it and no message names it.

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Serialize;
use std::fmt;
use std::time::Duration;

/// How the connection to the relay is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP, upgraded with STARTTLS (required).
    StartTls,
    /// TLS from the first byte (SMTPS, port 465).
    Tls,
    /// No encryption: only for a relay on this machine or a trusted network.
    None,
}

impl SmtpTls {
    pub fn parse(text: &str) -> Result<SmtpTls, NotifyError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "starttls" | "" => Ok(SmtpTls::StartTls),
            "tls" | "smtps" => Ok(SmtpTls::Tls),
            "none" | "plain" | "off" => Ok(SmtpTls::None),
            other => Err(NotifyError::Config(format!("SOCIALLEDGER_SMTP_TLS {other:?} is not starttls, tls or none"))),
        }
    }

    fn default_port(&self) -> u16 {
        match self {
            SmtpTls::StartTls => 587,
            SmtpTls::Tls => 465,
            SmtpTls::None => 25,
        }
    }
}

/// The SMTP relay e-mail goes out through.
#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub user: Option<String>,
    pub password: Option<String>,
    pub from: String,
}

impl fmt::Debug for SmtpConfig {
    /// The password is redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("from", &self.from)
            .finish()
    }
}

/// Where alerts and digests go. Empty: nowhere but the app and the command line's output.
#[derive(Clone, Debug, Default)]
pub struct NotifyConfig {
    pub webhook: Option<url::Url>,
    pub smtp: Option<SmtpConfig>,
    /// E-mail recipients; empty: the owner's address.
    pub to: Vec<String>,
}

/// Why a notification could not be configured or sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NotifyError {
    #[error("{0}")]
    Config(String),
    #[error("the webhook {url} did not take the alert: {reason}; check SOCIALLEDGER_ALERT_WEBHOOK")]
    Webhook { url: String, reason: String },
    #[error("the SMTP relay {host}:{port} did not take the e-mail: {reason}; check SOCIALLEDGER_SMTP_HOST, _PORT, _TLS and the credentials")]
    Smtp { host: String, port: u16, reason: String },
    #[error("invalid e-mail address {address:?}: {reason}")]
    Address { address: String, reason: String },
}

/// One configuration value: the flag's, else the environment's (empty counts as unset).
pub fn setting(flag: Option<&str>, var: &str) -> Option<String> {
    flag.map(str::to_string).or_else(|| std::env::var(var).ok()).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl NotifyConfig {
    /// The configuration from the environment.
    pub fn from_env() -> Result<NotifyConfig, NotifyError> {
        NotifyConfig::from_settings(&|var| setting(None, var))
    }

    /// The configuration from named settings (`SOCIALLEDGER_*`), as `get` finds them.
    pub fn from_settings(get: &dyn Fn(&str) -> Option<String>) -> Result<NotifyConfig, NotifyError> {
        let webhook = match get("SOCIALLEDGER_ALERT_WEBHOOK") {
            Some(u) => {
                let url = url::Url::parse(&u)
                    .map_err(|e| NotifyError::Config(format!("SOCIALLEDGER_ALERT_WEBHOOK is not a URL: {e}")))?;
                if !matches!(url.scheme(), "http" | "https") {
                    return Err(NotifyError::Config("SOCIALLEDGER_ALERT_WEBHOOK must be an http(s) URL".into()));
                }
                Some(url)
            }
            None => None,
        };
        let smtp = match get("SOCIALLEDGER_SMTP_HOST") {
            Some(host) => {
                let tls = SmtpTls::parse(&get("SOCIALLEDGER_SMTP_TLS").unwrap_or_default())?;
                let port = match get("SOCIALLEDGER_SMTP_PORT") {
                    Some(p) => p.parse().map_err(|_| {
                        NotifyError::Config(format!("SOCIALLEDGER_SMTP_PORT {p:?} is not a port number"))
                    })?,
                    None => tls.default_port(),
                };
                let from = get("SOCIALLEDGER_SMTP_FROM").ok_or_else(|| {
                    NotifyError::Config("set SOCIALLEDGER_SMTP_FROM, the sender address of alerts".into())
                })?;
                Some(SmtpConfig {
                    host,
                    port,
                    tls,
                    user: get("SOCIALLEDGER_SMTP_USER"),
                    password: get("SOCIALLEDGER_SMTP_PASSWORD"),
                    from,
                })
            }
            None => None,
        };
        let to = get("SOCIALLEDGER_ALERT_TO")
            .map(|t| t.split(',').map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect())
            .unwrap_or_default();
        Ok(NotifyConfig { webhook, smtp, to })
    }
}

/// POSTs `body` as JSON to `url`; any answer but 2xx is an error.
pub async fn post_webhook<T: Serialize>(url: &url::Url, body: &T) -> Result<(), NotifyError> {
    let fail = |reason: String| NotifyError::Webhook { url: redact_url(url), reason };
    let client =
        reqwest::Client::builder().timeout(Duration::from_secs(10)).build().map_err(|e| fail(e.to_string()))?;
    let response = client.post(url.clone()).json(body).send().await.map_err(|e| fail(e.without_url().to_string()))?;
    if !response.status().is_success() {
        return Err(fail(format!("it answered {}", response.status())));
    }
    Ok(())
}

/// A URL without its password and query (which may carry a token), for messages.
fn redact_url(url: &url::Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.to_string()
}

/// Sends one plain-text e-mail through the relay to `to`.
pub async fn send_email(smtp: &SmtpConfig, to: &[String], subject: &str, body: &str) -> Result<(), NotifyError> {
    let parse = |address: &str| {
        address
            .parse::<Mailbox>()
            .map_err(|e| NotifyError::Address { address: address.to_string(), reason: e.to_string() })
    };
    let mut message = Message::builder().from(parse(&smtp.from)?).subject(subject);
    if to.is_empty() {
        return Err(NotifyError::Config("no recipient: set SOCIALLEDGER_ALERT_TO or add an owner".into()));
    }
    for address in to {
        message = message.to(parse(address)?);
    }
    let fail = |reason: String| NotifyError::Smtp { host: smtp.host.clone(), port: smtp.port, reason };
    let message = message.body(body.to_string()).map_err(|e| fail(e.to_string()))?;
    let builder = match smtp.tls {
        SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
        SmtpTls::StartTls => {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host).map_err(|e| fail(e.to_string()))?
        }
        SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host).map_err(|e| fail(e.to_string()))?,
    };
    let mut builder = builder.port(smtp.port).timeout(Some(Duration::from_secs(20)));
    if let (Some(user), Some(password)) = (&smtp.user, &smtp.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    builder.build().send(message).await.map_err(|e| fail(e.to_string()))?;
    Ok(())
}
