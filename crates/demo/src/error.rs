//! Errors of writing a simulated world to disk (simulating itself cannot fail).

use std::path::PathBuf;

/// Something went wrong while writing the demo files. Each variant names the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DemoError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot write CSV file {path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
    #[error("cannot serialise the truth to JSON: {0}")]
    Truth(serde_json::Error),
}
