//! Import errors: one precise message per bad cell (`FILE:ROW:COLUMN: what is wrong; what to do`), collected
//! so the user sees every problem of a file at once, and the file-level reasons an import stops.

use std::fmt;

/// One problem with one cell (or one row, or the header) of an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// The file name as the user gave it.
    pub file: String,
    /// The sheet of a spreadsheet; `None` for CSV.
    pub sheet: Option<String>,
    /// 1-based line number in the file where the record starts (CSV), or the spreadsheet row number.
    pub row: usize,
    /// The header name of the cell's column, when the problem is in one cell.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do about it, when there is more to say than the message does.
    pub hint: Option<String>,
}

impl fmt::Display for CellError {
    /// One line; sheet, column and message come from the file's own bytes, so control characters are escaped
    /// ([`crate::read::printable`]): an error must not move the cursor or recolour the user's terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let safe = |text: &str| crate::read::printable(text, usize::MAX);
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, "[{}]", safe(sheet))?;
        }
        write!(f, ":{}", self.row)?;
        if let Some(column) = &self.column {
            write!(f, ":{}", safe(column))?;
        }
        write!(f, ": {}", safe(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, "; {}", safe(hint))?;
        }
        Ok(())
    }
}

/// Collects the errors of one file: the first `max_errors` in full, the rest only counted. Formats also leave
/// notes here (a total row skipped, an empty sheet): things the user should know that are not errors.
#[derive(Debug, Clone)]
pub struct ErrorSink {
    max_errors: usize,
    errors: Vec<CellError>,
    more: usize,
    notes: Vec<String>,
    rows: usize,
}

impl ErrorSink {
    /// A sink keeping at most `max_errors` errors in full (at least one).
    pub fn new(max_errors: usize) -> Self {
        ErrorSink { max_errors: max_errors.max(1), errors: Vec::new(), more: 0, notes: Vec::new(), rows: 0 }
    }

    /// Records an error (or only counts it once `max_errors` are kept).
    pub fn push(&mut self, error: CellError) {
        if self.errors.len() < self.max_errors {
            self.errors.push(error);
        } else {
            self.more += 1;
        }
    }

    /// Records an error from its parts.
    pub fn report(
        &mut self,
        file: &str,
        sheet: Option<&str>,
        row: usize,
        column: Option<&str>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        if self.errors.len() >= self.max_errors {
            self.more += 1;
            return;
        }
        self.push(CellError {
            file: file.to_string(),
            sheet: sheet.map(str::to_string),
            row,
            column: column.map(str::to_string),
            message: message.into(),
            hint,
        });
    }

    /// Adds a note for the user (not an error: the file is still imported).
    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// True when no error was reported.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.more == 0
    }

    /// Every error reported, kept or only counted.
    pub fn total(&self) -> usize {
        self.errors.len() + self.more
    }

    /// The errors kept in full, in the order they were reported.
    pub fn errors(&self) -> &[CellError] {
        &self.errors
    }

    /// Errors counted beyond `max_errors`.
    pub fn more(&self) -> usize {
        self.more
    }

    /// Counts data rows read (header and description rows not counted). [`crate::read::Headed::for_each_row`]
    /// counts for the formats that use it; others call this.
    pub fn add_rows(&mut self, rows: usize) {
        self.rows += rows;
    }

    /// Data rows counted so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The kept errors, the count of the others, and the notes.
    pub fn into_parts(self) -> (Vec<CellError>, usize, Vec<String>) {
        (self.errors, self.more, self.notes)
    }
}

impl Default for ErrorSink {
    fn default() -> Self {
        ErrorSink::new(50)
    }
}

/// Why a file was not imported. Nothing of a file is imported unless all of it is valid.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file was read and recognised, but some cells are wrong.
    #[error("{}", rejected_text(file, errors, *more))]
    Rejected { file: String, errors: Vec<CellError>, more: usize },
    /// No format recognises the file's header.
    #[error("{file}: not a format socialledger knows (headers seen: {}); {hint}", headers_seen.join(", "))]
    UnknownFormat { file: String, headers_seen: Vec<String>, hint: String },
    /// More than one format recognises the file.
    #[error(
        "{file}: the header fits several formats ({}); choose one with --format NAME",
        candidates.join(", ")
    )]
    AmbiguousFormat { file: String, candidates: Vec<&'static str> },
    /// The bytes cannot be read as CSV or as a spreadsheet.
    #[error("{file}: cannot be read: {reason}")]
    Unreadable { file: String, reason: String },
    /// The file holds no rows at all.
    #[error("{file}: the file is empty; nothing to import")]
    Empty { file: String },
    /// `--format NAME` names no format.
    #[error("unknown format {name:?}; known formats: {}; `socialledger formats` describes them", known.join(", "))]
    UnknownFormatName { name: String, known: Vec<&'static str> },
}

impl ImportError {
    /// The file the error is about, when there is one.
    pub fn file(&self) -> Option<&str> {
        match self {
            ImportError::Rejected { file, .. }
            | ImportError::UnknownFormat { file, .. }
            | ImportError::AmbiguousFormat { file, .. }
            | ImportError::Unreadable { file, .. }
            | ImportError::Empty { file } => Some(file),
            ImportError::UnknownFormatName { .. } => None,
        }
    }

    /// A file whose last row stops in the middle (`line`): nothing of it is imported, whichever path read it.
    pub(crate) fn truncated(file: &str, line: usize) -> ImportError {
        let error = CellError {
            file: file.to_string(),
            sheet: None,
            row: line,
            column: None,
            message: format!("the file looks truncated at row {line}: its last row stops in the middle"),
            hint: Some("download or export the file again; nothing of a cut-off file is imported".into()),
        };
        ImportError::Rejected { file: file.to_string(), errors: vec![error], more: 0 }
    }
}

fn rejected_text(file: &str, errors: &[CellError], more: usize) -> String {
    let mut out = String::new();
    for e in errors {
        out.push_str(&e.to_string());
        out.push('\n');
    }
    if more > 0 {
        let s = if more == 1 { "" } else { "s" };
        out.push_str(&format!("... and {more} more error{s}\n"));
    }
    // A refusal of the whole file (no cell named: which channel it belongs to, where it was cut off) has no rows
    // to fix: the line above says what to do instead.
    let todo = if errors.iter().all(|e| e.column.is_none()) {
        "do what the line above says and import again"
    } else {
        "fix the rows above and import again"
    };
    out.push_str(&format!("nothing was imported from {file}; {todo}"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: usize, column: Option<&str>, sheet: Option<&str>) -> CellError {
        CellError {
            file: "posts.csv".into(),
            sheet: sheet.map(Into::into),
            row,
            column: column.map(Into::into),
            message: "\"12x\" is not a whole number".into(),
            hint: Some("write digits only such as 1234".into()),
        }
    }

    #[test]
    fn displays_file_row_column_message_hint() {
        assert_eq!(
            cell(4, Some("impressions"), None).to_string(),
            "posts.csv:4:impressions: \"12x\" is not a whole number; write digits only such as 1234"
        );
        assert_eq!(
            cell(7, None, Some("All posts")).to_string(),
            "posts.csv[All posts]:7: \"12x\" is not a whole number; write digits only such as 1234"
        );
        let mut no_hint = cell(2, Some("a"), None);
        no_hint.hint = None;
        assert_eq!(no_hint.to_string(), "posts.csv:2:a: \"12x\" is not a whole number");
        let mut raw = cell(3, Some("id\x1b[31m"), None);
        raw.message = "post \x1b[2J is also on line 2".into();
        raw.hint = None;
        assert_eq!(raw.to_string(), "posts.csv:3:id\\u{1b}[31m: post \\u{1b}[2J is also on line 2");
    }

    #[test]
    fn sink_keeps_the_first_errors_and_counts_the_rest() {
        let mut sink = ErrorSink::new(3);
        for row in 0..40 {
            sink.report("f.csv", None, row + 2, Some("x"), "bad", None);
        }
        assert_eq!(sink.errors().len(), 3);
        assert_eq!(sink.more(), 37);
        assert_eq!(sink.total(), 40);
        let (errors, more, _) = sink.into_parts();
        let text = ImportError::Rejected { file: "f.csv".into(), errors, more }.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "f.csv:2:x: bad");
        assert_eq!(lines[2], "f.csv:4:x: bad");
        assert_eq!(lines[3], "... and 37 more errors");
        assert_eq!(lines[4], "nothing was imported from f.csv; fix the rows above and import again");
    }

    #[test]
    fn a_refusal_of_the_whole_file_asks_for_no_row_fixes() {
        let mut sink = ErrorSink::new(3);
        sink.report("o.csv", None, 1, None, "the file does not name its x account", Some("use --channel KEY".into()));
        let (errors, more, _) = sink.into_parts();
        let text = ImportError::Rejected { file: "o.csv".into(), errors, more }.to_string();
        assert_eq!(
            text.lines().last(),
            Some("nothing was imported from o.csv; do what the line above says and import again")
        );
    }

    #[test]
    fn empty_sink_is_empty() {
        let sink = ErrorSink::default();
        assert!(sink.is_empty());
        assert_eq!(sink.total(), 0);
    }
}
