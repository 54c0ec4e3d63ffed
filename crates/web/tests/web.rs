//! Integration tests of socialledger-web: the real app on port 0, driven over HTTP with cookies, on a fresh SQLite
//! file and on a fresh PostgreSQL database (see `support`). One test binary; the modules live in `tests/web/`.

#[path = "web/analysis_pages.rs"]
mod analysis_pages;
#[path = "web/api.rs"]
mod api;
#[path = "web/browser/mod.rs"]
mod browser;
#[path = "web/csrf.rs"]
mod csrf;
#[path = "web/escaping.rs"]
mod escaping;
#[path = "web/export.rs"]
mod export;
#[path = "web/headers.rs"]
mod headers;
#[path = "web/imports.rs"]
mod imports;
#[path = "web/login.rs"]
mod login;
#[path = "web/openapi.rs"]
mod openapi;
#[path = "web/overview.rs"]
mod overview;
#[path = "web/posts.rs"]
mod posts;
#[path = "web/roles.rs"]
mod roles;
#[path = "web/settings.rs"]
mod settings;
#[path = "web/setup.rs"]
mod setup;
#[path = "web/shares.rs"]
mod shares;
#[path = "web/support.rs"]
mod support;
#[path = "web/targets.rs"]
mod targets;
#[path = "web/time.rs"]
mod time;
#[path = "web/users.rs"]
mod users;
