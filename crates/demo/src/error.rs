//! Errors of the demo: a bad `--effects` file or `--experiment`, and writing the world to disk (simulating a
//! valid configuration cannot fail).

use std::path::PathBuf;

/// Something went wrong: a bad input (naming the file or flag and what to write instead) or writing a file
/// (naming it).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DemoError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot write CSV file {path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
    #[error("cannot serialise the truth to JSON: {0}")]
    Truth(serde_json::Error),
    /// The effects file is not valid; `entry` is the `[[effect]]` table's number (from 1).
    #[error("{file}: {}{message}", entry_prefix(.entry))]
    Effects { file: String, entry: Option<usize>, message: String },
    /// The experiment asked for cannot be simulated (the message says why and what to give instead).
    #[error("{0}")]
    Experiment(String),
}

/// `[[effect]] N: ` when the error is in entry N of an effects file.
fn entry_prefix(entry: &Option<usize>) -> String {
    entry.map(|n| format!("[[effect]] {n}: ")).unwrap_or_default()
}
