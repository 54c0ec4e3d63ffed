//! The errors of the web app and the response each becomes: a page for people, JSON under `/api`.

use axum::http::StatusCode;
use socialledger_store::StoreError;

/// Everything that can go wrong in the web app.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebError {
    /// The database could not be opened or a query failed.
    #[error(transparent)]
    Store(#[from] StoreError),

    /// The address could not be bound (in use, or not an address of this machine).
    #[error("cannot listen on {addr}: {source}; choose another --addr (port 0 picks a free one)")]
    Bind { addr: String, source: std::io::Error },

    /// The server stopped with an I/O error.
    #[error("the web server stopped: {0}")]
    Serve(std::io::Error),

    /// Writing an export (CSV) failed.
    #[error("cannot write the export: {0}")]
    Export(String),

    /// Computing or reading a stored analysis failed.
    #[error("cannot compute the analysis: {0}")]
    Analysis(String),

    /// Hashing a password failed (the system's random generator failed).
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

impl WebError {
    /// The status a request that fails with this error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Store(StoreError::EmailTaken { .. }) => StatusCode::CONFLICT,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}
