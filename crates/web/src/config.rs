//! What a web server is told at start: the database, the address to bind, the public URL and the security limits.

use std::fmt;
use std::time::Duration;

/// The configuration of one app server. [`WebConfig::new`] gives the defaults documented in `docs/web.md`.
#[derive(Clone)]
pub struct WebConfig {
    /// The database location, as for the command line's `--db` (a file path, `sqlite://` or `postgres://` URL).
    pub database: String,
    /// The address to bind (`127.0.0.1:8080`; port 0 picks a free port).
    pub addr: String,
    /// The URL people reach the app at, when it is not `http://ADDR` (behind a proxy). An `https` URL makes the
    /// session cookie `Secure`; its origin is the one state-changing requests must come from.
    pub public_url: Option<url::Url>,
    /// How long a session lasts after signing in.
    pub session_ttl: Duration,
    /// How long the first owner's setup link is valid.
    pub setup_link_ttl: Duration,
    /// How long a new user's set-password link is valid.
    pub invite_link_ttl: Duration,
    /// The window failed logins are counted in, and the most failures per e-mail address and per client address
    /// within it before logins are refused with 429.
    pub login_window: Duration,
    pub max_failures_per_email: u64,
    pub max_failures_per_ip: u64,
    /// Where alerts of targets go besides the app (webhook, SMTP relay); nowhere by default.
    pub notify: crate::notify::NotifyConfig,
}

impl WebConfig {
    /// The defaults: sessions of 7 days, a setup link of 24 h, invitations of 7 days, at most 5 failed logins per
    /// e-mail address and 20 per client address (an office behind one NAT) in 15 minutes.
    pub fn new(database: impl Into<String>, addr: impl Into<String>) -> WebConfig {
        WebConfig {
            database: database.into(),
            addr: addr.into(),
            public_url: None,
            session_ttl: Duration::from_secs(7 * 24 * 3600),
            setup_link_ttl: Duration::from_secs(24 * 3600),
            invite_link_ttl: Duration::from_secs(7 * 24 * 3600),
            login_window: Duration::from_secs(15 * 60),
            max_failures_per_email: 5,
            max_failures_per_ip: 20,
            notify: crate::notify::NotifyConfig::default(),
        }
    }

    /// True when the public URL is `https`: cookies are then marked `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.as_ref().is_some_and(|u| u.scheme() == "https")
    }
}

impl fmt::Debug for WebConfig {
    /// The database URL may carry a password: it is redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebConfig")
            .field("database", &socialledger_store::redact(&self.database))
            .field("addr", &self.addr)
            .field("public_url", &self.public_url.as_ref().map(|u| u.as_str()))
            .field("session_ttl", &self.session_ttl)
            .field("notify", &self.notify)
            .finish_non_exhaustive()
    }
}
