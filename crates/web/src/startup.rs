//! Building and running the app: [`Application::build`] opens the database, binds the address and, on a first
//! start without users, issues the one-time setup link of the first owner.

use crate::state::AppState;
use crate::tokens::{random_token, token_hash};
use crate::{headers, routes, WebConfig, WebError};
use chrono::Utc;
use socialledger_store::{OneTimeLink, Store};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// A bound, not yet serving, app server.
pub struct Application {
    listener: TcpListener,
    local_addr: SocketAddr,
    router: axum::Router,
    store: Store,
    base_url: String,
    setup_url: Option<String>,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application").field("local_addr", &self.local_addr).field("store", &self.store).finish()
    }
}

impl Application {
    /// Opens (creating if needed, and migrating) the database, binds `config.addr` and builds the router. When the
    /// database has no users yet, issues a setup link valid for `config.setup_link_ttl` ([`Application::setup_url`]):
    /// each start without users issues a new one.
    pub async fn build(config: WebConfig) -> Result<Application, WebError> {
        let store = Store::open(&config.database).await?;
        Application::with_store(config, store).await
    }

    /// [`Application::build`] on a store the caller opened already.
    pub async fn with_store(config: WebConfig, store: Store) -> Result<Application, WebError> {
        let listener = TcpListener::bind(&config.addr)
            .await
            .map_err(|source| WebError::Bind { addr: config.addr.clone(), source })?;
        let local_addr =
            listener.local_addr().map_err(|source| WebError::Bind { addr: config.addr.clone(), source })?;
        let base_url = match &config.public_url {
            Some(url) => url.as_str().trim_end_matches('/').to_string(),
            None => format!("http://{local_addr}"),
        };
        let setup_url = if store.user_count().await? == 0 {
            let token = random_token();
            let now = Utc::now();
            let ttl = chrono::Duration::from_std(config.setup_link_ttl).unwrap_or(chrono::Duration::hours(24));
            store.issue_setup_link(&OneTimeLink { token_hash: token_hash(&token), expires_at: now + ttl }, now).await?;
            Some(format!("{base_url}/setup/{token}"))
        } else {
            None
        };
        let state = AppState { store: store.clone(), config: Arc::new(config), parsed: Arc::default() };
        let router = headers::secure(routes::router(state));
        Ok(Application { listener, local_addr, router, store, base_url, setup_url })
    }

    /// The port it listens on (the chosen one when the address had port 0).
    pub fn port(&self) -> u16 {
        self.local_addr.port()
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Where people reach it: the public URL, else `http://ADDR`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The one-time link that creates the first owner, when the database had no users at start.
    pub fn setup_url(&self) -> Option<&str> {
        self.setup_url.as_deref()
    }

    /// The database it serves.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Serves until the process ends (or the task is dropped).
    pub async fn run_until_stopped(self) -> Result<(), WebError> {
        self.run_until(std::future::pending()).await
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), WebError> {
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service).with_graceful_shutdown(shutdown).await.map_err(WebError::Serve)
    }
}
