//! The socialledger web app: people sign in with their own accounts and roles, on the same database as the
//! command line (SQLite by default, PostgreSQL by URL).
//!
//! Built as zero-to-production builds its app: [`Application::build`] binds any address (port 0 in tests) and
//! [`Application::run_until_stopped`] serves. Nothing a second app server would need lives in the process:
//! sessions, one-time links and the login rate limit are rows in the database (`socialledger_store::accounts`),
//! so several servers can run against one PostgreSQL database.
//!
//! Every route is one row of [`routes::ROUTES`] (method, path, who may use it); the router is built from that
//! table and [`access`] checks the role, the CSRF token and the origin on every request. `docs/roles.md` is
//! generated from the same table ([`routes::matrix_markdown`]). See `docs/web.md` for the design.

pub mod access;
pub mod analyses;
pub mod api;
pub mod config;
pub mod error;
mod headers;
pub mod notify;
mod pages;
pub mod routes;
pub mod startup;
mod state;
pub mod target_checks;
pub mod tokens;

pub use config::WebConfig;
pub use error::WebError;
pub use startup::Application;
pub use state::AppState;
