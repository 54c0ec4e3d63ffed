//! Integration tests of socialledger-web: the real app on port 0, driven over HTTP with cookies, on a fresh SQLite
//! file and on a fresh PostgreSQL database (see `support`). One test binary; the modules live in `tests/web/`.

#[path = "web/csrf.rs"]
mod csrf;
#[path = "web/escaping.rs"]
mod escaping;
#[path = "web/headers.rs"]
mod headers;
#[path = "web/login.rs"]
mod login;
#[path = "web/overview.rs"]
mod overview;
#[path = "web/roles.rs"]
mod roles;
#[path = "web/setup.rs"]
mod setup;
#[path = "web/support.rs"]
mod support;
#[path = "web/targets.rs"]
mod targets;
#[path = "web/time.rs"]
mod time;
#[path = "web/users.rs"]
mod users;
