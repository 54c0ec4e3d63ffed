//! Importers of socialledger: turn a file (a platform export or one of our canonical CSVs) into canonical
//! [`Dataset`] records, or into a list of precise errors (`FILE:ROW:COLUMN: what is wrong; what to do`).
//!
//! Layout: [`read`] turns bytes into [`read::Table`]s (CSV with any encoding/BOM/comment lines, XLS/XLSX sheets);
//! [`parse`] turns cells into numbers, dates, timestamps and money; [`formats`] has one module per source format,
//! each only a mapping from a table onto the domain; [`detect`] picks the format from the header.
//! Nothing here touches the database: the CLI hands the dataset to the store, which writes it in one transaction.

pub mod channel;
pub mod controls_csv;
pub mod detect;
pub mod error;
pub mod formats;
pub mod options;
pub mod panel_csv;
pub mod parse;
pub mod paths;
pub mod read;
pub mod stream;
pub mod utm;

pub use error::{CellError, ErrorSink, ImportError};
pub use options::ImportOptions;

use socialledger_domain::Dataset;
use std::path::Path;

/// A file read into tables, ready for a format to map.
#[derive(Debug)]
pub struct SourceFile {
    /// The file name as given by the user (used in every error message).
    pub display_name: String,
    /// The file name without directories, used by formats whose name carries meaning (handle, page, period).
    pub file_name: String,
    /// One table for a CSV, one per sheet for a spreadsheet.
    pub tables: Vec<read::Table>,
}

/// One source format: how to recognise it and how to map it onto the domain.
pub trait Format: Sync {
    /// Stable name used with `--format` and in output (`x-tweets`, `canonical-posts`).
    fn name(&self) -> &'static str;
    /// One line for `socialledger formats`.
    fn description(&self) -> &'static str;
    /// True when this file is in this format (decided from headers, and the file name where headers are shared).
    fn detect(&self, file: &SourceFile) -> bool;
    /// Maps the file onto canonical records. Every problem goes to `errs` (with row and column); the returned
    /// dataset is discarded when `errs` is not empty.
    fn parse(&self, file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset;
}

/// A file mapped onto the domain.
#[derive(Debug)]
pub struct Parsed {
    pub format: &'static str,
    pub dataset: Dataset,
    /// Data rows read (header and description rows not counted).
    pub rows: usize,
    /// Things the user should know that are not errors (a total row skipped, a sheet missing).
    pub notes: Vec<String>,
    /// The blake3 hash of the file's bytes, so a re-import of the same file can be recognised.
    pub content_hash: String,
}

/// Reads and maps one file. The format is `opts.format` if given, else detected from the header.
///
/// Never panics: a panic inside a parser (ours or a third party's, as a last resort) becomes
/// [`ImportError::Unreadable`] naming the file.
pub fn import_file(path: &Path, bytes: &[u8], opts: &ImportOptions) -> Result<Parsed, ImportError> {
    match read::guard::catch_panic("reading the file", || Ok(detect::import_file(path, bytes, opts))) {
        Ok(result) => result,
        Err(reason) => Err(ImportError::Unreadable { file: path.display().to_string(), reason }),
    }
}
