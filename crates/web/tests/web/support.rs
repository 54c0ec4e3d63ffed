//! The app under test: a fresh database (a SQLite file, or a uniquely named PostgreSQL database dropped
//! afterwards), the real server on 127.0.0.1:0, and HTTP clients with their own cookie jars. When the PostgreSQL
//! server cannot be reached the PostgreSQL half is skipped through `socialledger_testkit::skip` (recorded, and a
//! failure under CI).

use reqwest::header::{HeaderMap, HeaderValue, ORIGIN};
use reqwest::{Client, Response, StatusCode};
use socialledger_domain::Role;
use socialledger_store::{NewUser, Store};
use socialledger_web::{Application, WebConfig};
use sqlx::{Connection, Executor, PgConnection};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The password every test user gets.
pub const PASSWORD: &str = "correct horse battery staple";

/// A running app.
#[derive(Clone, Debug)]
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    pub store: Store,
    /// The setup link printed on the first start.
    pub setup_url: Option<String>,
}

/// Runs `body` against the app on a fresh SQLite file, then on a fresh PostgreSQL database.
pub async fn on_both<F, Fut>(test: &str, body: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("socialledger.db").display().to_string();
    run(&file, &body).await;
    if let Some(db) = PgDatabase::create(test).await {
        run(&db.url, &body).await;
        db.drop().await;
    }
}

async fn run<F, Fut>(database: &str, body: &F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let app = Application::build(WebConfig::new(database, "127.0.0.1:0")).await.unwrap();
    let test_app = TestApp {
        base: app.base_url().to_string(),
        store: app.store().clone(),
        setup_url: app.setup_url().map(String::from),
    };
    let server = tokio::spawn(app.run_until_stopped());
    let result = tokio::spawn(body(test_app.clone())).await;
    server.abort();
    let _ = server.await;
    test_app.store.close().await;
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

impl TestApp {
    /// A browser: its own cookies, no redirects followed, and the `Origin` header a browser sends on a form post.
    pub fn client(&self) -> Client {
        let mut headers = HeaderMap::new();
        headers.insert(ORIGIN, HeaderValue::from_str(&self.base).unwrap());
        Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.url(path)).send().await.unwrap()
    }

    /// Posts a form.
    pub async fn post(&self, client: &Client, path: &str, form: &[(&str, &str)]) -> Response {
        client.post(self.url(path)).form(form).send().await.unwrap()
    }

    /// Gets a page and returns the CSRF token of its first form.
    pub async fn csrf_of(&self, client: &Client, path: &str) -> String {
        let page = self.get(client, path).await;
        assert_eq!(page.status(), StatusCode::OK, "GET {path}");
        csrf_in(&page.text().await.unwrap())
    }

    /// Adds a user with [`PASSWORD`] through the store (the hash is computed once per test binary).
    pub async fn add_user(&self, email: &str, name: &str, role: Role) -> i64 {
        static HASH: OnceLock<String> = OnceLock::new();
        let hash = HASH.get_or_init(|| socialledger_web::tokens::hash_password(PASSWORD).unwrap()).clone();
        let new = NewUser { email: email.into(), display_name: name.into(), role, password_hash: Some(hash) };
        self.store.create_user(&new, None, None, chrono::Utc::now()).await.unwrap().id
    }

    /// Signs `client` in through the form; returns the response to the POST.
    pub async fn login(&self, client: &Client, email: &str, password: &str) -> Response {
        let csrf = self.csrf_of(client, "/login").await;
        self.post(client, "/login", &[("email", email), ("password", password), ("csrf", &csrf)]).await
    }

    /// Signs in and asserts that it worked; returns the session's CSRF token.
    pub async fn signed_in(&self, client: &Client, email: &str) -> String {
        let response = self.login(client, email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "login of {email}");
        self.session_csrf(client).await
    }

    /// The session's CSRF token, as `/api/v1/me` gives it to scripts.
    pub async fn session_csrf(&self, client: &Client) -> String {
        let me: serde_json::Value = self.get(client, "/api/v1/me").await.json().await.unwrap();
        me["csrf_token"].as_str().expect("signed in").to_string()
    }
}

/// The value of the first `csrf` hidden field of a page.
pub fn csrf_in(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("the page has a form with a CSRF field");
    let rest = &html[at + "name=\"csrf\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// The `Location` header of a redirect.
pub fn location(response: &Response) -> &str {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// A PostgreSQL database that exists for one test run.
pub struct PgDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl PgDatabase {
    /// Creates `socialledger_test_web_<test>_<pid>_<n>`, or returns None (after recording a skip) when the server
    /// is not reachable and not under CI.
    pub async fn create(test: &str) -> Option<PgDatabase> {
        static SEQ: AtomicUsize = AtomicUsize::new(0);
        let base = socialledger_testkit::pg_base();
        let with_db = |db: &str| {
            let mut url = url::Url::parse(&base).unwrap_or_else(|e| panic!("SOCIALLEDGER_TEST_PG={base:?}: {e}"));
            url.set_path(db);
            url.to_string()
        };
        let admin_url = with_db("postgres");
        let mut admin = match PgConnection::connect(&admin_url).await {
            Ok(c) => c,
            Err(e) => {
                socialledger_testkit::skip(socialledger_testkit::Need::Postgres(&base), e);
                return None;
            }
        };
        let slug: String = test
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
            .take(30)
            .collect();
        let n = SEQ.fetch_add(1, Ordering::Relaxed);
        let name = format!("socialledger_test_web_{slug}_{}_{n}", std::process::id());
        admin.execute(format!("CREATE DATABASE \"{name}\"").as_str()).await.unwrap();
        let _ = admin.close().await;
        Some(PgDatabase { url: with_db(&name), admin_url, name })
    }

    pub async fn drop(self) {
        let mut admin = PgConnection::connect(&self.admin_url).await.unwrap();
        admin.execute(format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name).as_str()).await.unwrap();
        let _ = admin.close().await;
    }
}
