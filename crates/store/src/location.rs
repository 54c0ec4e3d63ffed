//! Where the database lives: a file path or `sqlite:` URL (SQLite) or a `postgres://` URL (PostgreSQL), and how
//! that location is shown to people (passwords redacted).

use crate::{Result, StoreError};
use serde::Serialize;
use sqlx::any::AnyConnectOptions;
use std::fmt;
use std::str::FromStr;

/// The database engine behind a [`crate::Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// An embedded SQLite file (the default: nothing to install or run).
    Sqlite,
    /// A PostgreSQL server (for teams, and for several app servers against one database).
    Postgres,
}

impl Backend {
    pub fn as_str(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// The largest number of bind parameters one statement may carry: SQLite's `SQLITE_MAX_VARIABLE_NUMBER`
    /// (32766 since SQLite 3.32) and PostgreSQL's protocol limit (a 16-bit count, 65535).
    pub(crate) fn max_parameters(&self) -> usize {
        match self {
            Backend::Sqlite => 32_766,
            Backend::Postgres => 65_535,
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parsed location: the backend, what to connect to, and the text to show in messages.
pub(crate) struct Location {
    pub backend: Backend,
    pub options: AnyConnectOptions,
    /// The location as given, with any password replaced by `REDACTED`.
    pub shown: String,
    /// An in-memory SQLite database, which lives only as long as its single connection.
    pub in_memory: bool,
    /// The SQLite file (absolute), when the location is one.
    pub file: Option<std::path::PathBuf>,
}

impl Location {
    pub fn parse(location: &str) -> Result<Location> {
        let shown = redact(location);
        let lower = location.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            let options = AnyConnectOptions::from_str(location)
                .map_err(|cause| StoreError::Open { location: shown.clone(), cause })?;
            return Ok(Location { backend: Backend::Postgres, options, shown, in_memory: false, file: None });
        }
        let (file, params) = if lower.starts_with("sqlite:") {
            let rest = &location["sqlite:".len()..];
            let rest = rest.strip_prefix("//").unwrap_or(rest);
            let (db, params) = rest.split_once('?').unwrap_or((rest, ""));
            let db = percent_encoding::percent_decode_str(db).decode_utf8_lossy().into_owned();
            (db, params.to_string())
        } else if location.contains("://") || location.trim().is_empty() {
            return Err(StoreError::UnsupportedLocation { location: shown });
        } else {
            (location.to_string(), String::new())
        };
        let open_error = |cause| StoreError::Open { location: shown.clone(), cause };
        let in_memory = file == ":memory:" || params.split('&').any(|p| p == "mode=memory");
        let mut path = None;
        let url = if in_memory {
            // A fresh private in-memory database per open (sqlx numbers them).
            "sqlite::memory:".to_string()
        } else {
            // sqlx reads `sqlite://HOST/...` with a lower-cased host and no way to say "relative", so the file is
            // always given as an absolute, percent-encoded path. A file is created unless the URL asks for a mode
            // itself (`?mode=ro` must stay read-only).
            let absolute = std::path::absolute(&file).map_err(|e| open_error(sqlx::Error::Io(e)))?;
            let encoded = percent_encoding::percent_encode(absolute.as_os_str().as_encoded_bytes(), PATH).to_string();
            path = Some(absolute);
            let params = if params.contains("mode=") {
                params
            } else if params.is_empty() {
                "mode=rwc".to_string()
            } else {
                format!("{params}&mode=rwc")
            };
            format!("sqlite://{encoded}?{params}")
        };
        let options = AnyConnectOptions::from_str(&url).map_err(open_error)?;
        Ok(Location { backend: Backend::Sqlite, options, shown, in_memory, file: path })
    }
}

/// A PostgreSQL database named by a URL, and how to reach the server without it (to create it).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PgDatabase {
    /// The database name, decoded (`marketing` in `postgres://app@db/marketing`).
    pub name: String,
    /// The user the URL connects as, if it names one (the new database's owner).
    pub user: Option<String>,
    /// The same URL on the server's maintenance database `postgres`, where `CREATE DATABASE` runs.
    pub maintenance_url: String,
}

impl PgDatabase {
    /// The database a `postgres://` URL names; `None` when it names none (the server then picks one).
    pub fn from_url(location: &str) -> Option<PgDatabase> {
        let mut url = url::Url::parse(location).ok()?;
        let path = url.path().trim_start_matches('/');
        let name = percent_encoding::percent_decode_str(path).decode_utf8().ok()?.into_owned();
        if name.is_empty() || url.query_pairs().any(|(k, _)| k.eq_ignore_ascii_case("dbname")) {
            return None;
        }
        let user = percent_encoding::percent_decode_str(url.username()).decode_utf8().ok()?.into_owned();
        let user = Some(user).filter(|u| !u.is_empty());
        url.set_path("/postgres");
        Some(PgDatabase { name, user, maintenance_url: url.to_string() })
    }

    /// The statement that creates it, owned by the URL's user.
    pub fn create_statement(&self) -> String {
        match &self.user {
            Some(user) => format!("CREATE DATABASE {} OWNER {}", quote_ident(&self.name), quote_ident(user)),
            None => format!("CREATE DATABASE {}", quote_ident(&self.name)),
        }
    }
}

/// `name` as a PostgreSQL identifier: in double quotes, inner quotes doubled, so any name (capitals, dashes,
/// spaces, quotes) means itself and nothing else.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Bytes of a file path that must be percent-encoded in a `sqlite://` URL: sqlx decodes the path, and `?`/`#`
/// would start the query or fragment.
const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The location with the password of a URL (user info or a `password=` query parameter) replaced by `REDACTED`.
/// File paths are returned unchanged.
pub fn redact(location: &str) -> String {
    if !location.contains("://") {
        return location.to_string();
    }
    let Ok(mut url) = url::Url::parse(location) else {
        // Not parseable: show only the scheme, since we cannot tell where a password would be.
        let scheme = location.split("://").next().unwrap_or("");
        return format!("{scheme}://(unparseable URL, hidden)");
    };
    if url.password().is_some() {
        let _ = url.set_password(Some("REDACTED"));
    }
    if url.query_pairs().any(|(k, _)| k.eq_ignore_ascii_case("password")) {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if k.eq_ignore_ascii_case("password") { "REDACTED".to_string() } else { v.into_owned() };
                (k.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords_in_user_info_and_query() {
        assert_eq!(
            redact("postgres://app:s3cret@db.example:5432/ledger"),
            "postgres://app:REDACTED@db.example:5432/ledger"
        );
        assert_eq!(
            redact("postgresql://db/ledger?user=app&password=s3cret"),
            "postgresql://db/ledger?user=app&password=REDACTED"
        );
        assert_eq!(redact("postgres://postgres@127.0.0.1/x"), "postgres://postgres@127.0.0.1/x");
        assert_eq!(redact("./socialledger.db"), "./socialledger.db");
    }

    #[test]
    fn picks_the_backend_from_the_location() {
        assert_eq!(Location::parse("./x.db").unwrap().backend, Backend::Sqlite);
        assert_eq!(Location::parse("Dir With Space/Ledger?.db").unwrap().backend, Backend::Sqlite);
        assert_eq!(Location::parse("sqlite://x.db").unwrap().backend, Backend::Sqlite);
        assert!(Location::parse("sqlite::memory:").unwrap().in_memory);
        assert_eq!(Location::parse("postgres://u:p@h/db").unwrap().backend, Backend::Postgres);
        assert_eq!(Location::parse("POSTGRESQL://h/db").unwrap().backend, Backend::Postgres);
        let err = Location::parse("mysql://u:pw@h/db").err().unwrap().to_string();
        assert!(err.contains("unsupported") && err.contains("REDACTED") && !err.contains("pw@"), "{err}");
        let file = Location::parse("x.db").unwrap().file.unwrap();
        assert!(file.is_absolute() && file.ends_with("x.db"), "{}", file.display());
        assert_eq!(Location::parse("sqlite::memory:").unwrap().file, None);
    }

    #[test]
    fn database_names_are_read_from_the_url_and_quoted() {
        let db = PgDatabase::from_url("postgres://app:pw@127.0.0.1:5432/Mar%22keting-2?sslmode=disable").unwrap();
        assert_eq!(db.name, "Mar\"keting-2");
        assert_eq!(db.user.as_deref(), Some("app"));
        assert_eq!(db.maintenance_url, "postgres://app:pw@127.0.0.1:5432/postgres?sslmode=disable");
        assert_eq!(db.create_statement(), r#"CREATE DATABASE "Mar""keting-2" OWNER "app""#);
        let db = PgDatabase::from_url("postgresql://db.example/marketing").unwrap();
        assert_eq!((db.name.as_str(), db.user.as_deref()), ("marketing", None));
        assert_eq!(db.create_statement(), r#"CREATE DATABASE "marketing""#);
        assert_eq!(PgDatabase::from_url("postgres://app@db.example"), None);
        assert_eq!(PgDatabase::from_url("postgres://app@db.example/"), None);
        assert_eq!(PgDatabase::from_url("postgres://db.example/?dbname=x"), None);
    }
}
