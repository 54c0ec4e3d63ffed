//! Files to tables, and tables to typed values: [`read_tables`] turns bytes into [`Table`]s; [`Table::header`]
//! finds the header row and gives a [`Headed`] view whose [`Row`] getters parse cells and report every bad one to
//! the [`ErrorSink`] with file, sheet, row and column.

pub mod csv;
pub mod encoding;
pub mod guard;
pub mod sheet;

use crate::parse::{self, DateFormat, TsFormat};
use crate::{CellError, ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{Currency, Date, Money, Timestamp};
use std::str::FromStr;

/// How the bytes of a file are to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// Comma-, semicolon- or tab-separated text (delimiter sniffed).
    Csv,
    /// Tab-separated text.
    Tsv,
    /// A workbook: XLS, XLSX or XLSM are read; ODS and XLSB are refused with a hint (see [`sheet`]).
    Spreadsheet,
}

impl FileKind {
    /// From the file name's extension, else from the first bytes (zip or OLE signature means a workbook).
    pub fn of(file_name: &str, bytes: &[u8]) -> FileKind {
        let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "csv" | "txt" => FileKind::Csv,
            "tsv" | "tab" => FileKind::Tsv,
            "xls" | "xlsx" | "xlsm" | "xlsb" | "ods" => FileKind::Spreadsheet,
            _ if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0") => FileKind::Spreadsheet,
            _ => FileKind::Csv,
        }
    }
}

/// Reads a file's bytes into tables: one for delimited text, one per sheet for a workbook. The error is the reason
/// the bytes cannot be read.
pub fn read_tables(file_name: &str, bytes: &[u8]) -> Result<Vec<Table>, String> {
    match FileKind::of(file_name, bytes) {
        FileKind::Spreadsheet => sheet::read_workbook(bytes),
        kind => {
            let (text, _) = encoding::decode(bytes);
            let delimiter = (kind == FileKind::Tsv).then_some(b'\t');
            csv::read_csv(&text, delimiter).map(|t| vec![t])
        }
    }
}

/// `text` as it may be shown on a terminal: control characters and bidirectional overrides written as `\u{..}`
/// escapes (a file's bytes must never move the cursor or recolour the user's terminal), cut after `max` characters
/// with `…`.
pub fn printable(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max.saturating_mul(2)));
    for (n, c) in text.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || bidi {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The cells of one record, stored in one buffer (two allocations per row, not one per cell).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cells(::csv::StringRecord);

impl Cells {
    pub fn from_strings<S: AsRef<str>>(cells: impl IntoIterator<Item = S>) -> Self {
        let mut record = ::csv::StringRecord::new();
        for c in cells {
            record.push_field(c.as_ref());
        }
        Cells(record)
    }
    /// The cells of a record read elsewhere (the streaming reader's).
    pub(crate) fn from_record(record: ::csv::StringRecord) -> Self {
        Cells(record)
    }
    /// The cell at `index` as written (not trimmed), `None` past the end of a short row.
    pub fn get(&self, index: usize) -> Option<&str> {
        self.0.get(index)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter()
    }
}

/// One record of a table: its cells and where it starts in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRow {
    /// 1-based line where the record starts (CSV) or the spreadsheet row number.
    pub line: usize,
    pub cells: Cells,
}

impl RawRow {
    /// The trimmed cell at `index`, `""` past the end of a short row.
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).unwrap_or("").trim()
    }
    /// True when every cell is empty or spaces.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// The records of one CSV file or one sheet, header included (formats find it with [`Table::header`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// The sheet name of a workbook; `None` for delimited text.
    pub sheet: Option<String>,
    /// Leading `#` lines without the `#` (GA4 writes its account and period there).
    pub comments: Vec<String>,
    pub rows: Vec<RawRow>,
    /// The line of the last row when the text looks cut off inside it: it ends in an open quote, or it has fewer
    /// cells than the row before and no line end follows it. Import refuses such a file (see [`csv::read_csv`]).
    pub cut_at: Option<usize>,
}

/// How many leading rows may sit above a header (titles, descriptions).
pub const HEADER_SEARCH_ROWS: usize = 10;

/// Header text as compared: trimmed, lower case, without a stray BOM or quotes.
pub fn normalize_header(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '"').to_lowercase()
}

impl Table {
    /// Finds the header: the first of the first [`HEADER_SEARCH_ROWS`] rows that names every `required` column
    /// (case-insensitively, trimmed). With no required names, the first non-blank row.
    pub fn header(&self, required: &[&str]) -> Option<Headed<'_>> {
        let wanted: Vec<String> = required.iter().map(|r| normalize_header(r)).collect();
        self.rows.iter().take(HEADER_SEARCH_ROWS).enumerate().find_map(|(i, row)| {
            if row.is_blank() {
                return None;
            }
            let norm: Vec<String> = row.cells.iter().map(normalize_header).collect();
            wanted.iter().all(|w| norm.contains(w)).then(|| Headed::new(self, i, norm))
        })
    }

    /// The header at row index `index` (0-based into `rows`), whatever it holds.
    pub fn header_at(&self, index: usize) -> Option<Headed<'_>> {
        let row = self.rows.get(index)?;
        Some(Headed::new(self, index, row.cells.iter().map(normalize_header).collect()))
    }

    /// The first non-blank row's cells, trimmed: what an error message shows as "headers seen".
    pub fn first_row_cells(&self) -> Vec<String> {
        self.rows
            .iter()
            .find(|r| !r.is_blank())
            .map(|r| r.cells.iter().map(|c| c.trim().to_string()).collect())
            .unwrap_or_default()
    }

    /// True when the table has at least one row whose normalized cells include every name in `names`, among the
    /// first [`HEADER_SEARCH_ROWS`] rows. Detection uses this.
    pub fn has_columns(&self, names: &[&str]) -> bool {
        self.header(names).is_some()
    }
}

/// A table seen through its header row.
#[derive(Clone, Debug)]
pub struct Headed<'t> {
    pub table: &'t Table,
    /// Header cells as written, trimmed (used in error messages).
    pub headers: Vec<String>,
    /// Index of the header in `table.rows`.
    pub header_row: usize,
    norm: Vec<String>,
    /// Names looked up with [`Headed::col`] that name two or more columns, and whether each was reported: the
    /// rows are not read until they are (see [`Headed::for_each_row_after`]).
    duplicates: std::cell::RefCell<Vec<(String, bool)>>,
}

impl<'t> Headed<'t> {
    fn new(table: &'t Table, header_row: usize, norm: Vec<String>) -> Self {
        let headers = table.rows[header_row].cells.iter().map(|c| c.trim().trim_start_matches('\u{feff}').to_string());
        Headed { table, headers: headers.collect(), header_row, norm, duplicates: Default::default() }
    }

    /// The file line (or sheet row) of the header.
    pub fn header_line(&self) -> usize {
        self.table.rows[self.header_row].line
    }

    /// The column named `name` (case-insensitive, trimmed). A name that two columns share is noted, and reported
    /// as an error before any row is read: which of the two holds the real values is not guessed. A source that
    /// repeats a name on purpose is read with [`Headed::cols_named`].
    pub fn col(&self, name: &str) -> Option<usize> {
        let n = normalize_header(name);
        let mut found = self.norm.iter().enumerate().filter(|(_, h)| **h == n).map(|(i, _)| i);
        let first = found.next();
        if first.is_some() && found.next().is_some() {
            let mut dups = self.duplicates.borrow_mut();
            if !dups.iter().any(|(d, _)| *d == n) {
                dups.push((n, false));
            }
        }
        first
    }

    /// The first column named by any of `names`, trying them in order (aliases: `["Shares", "Share"]`).
    pub fn col_any(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.col(n))
    }

    /// Every column named `name` (a header may appear twice, as Meta's `Views`).
    pub fn cols_named(&self, name: &str) -> Vec<usize> {
        let n = normalize_header(name);
        self.norm.iter().enumerate().filter(|(_, h)| **h == n).map(|(i, _)| i).collect()
    }

    /// The first column whose name starts with `prefix` (`Amount spent (` for a currency in the header).
    pub fn col_starting(&self, prefix: &str) -> Option<usize> {
        let p = normalize_header(prefix);
        self.norm.iter().position(|h| h.starts_with(&p))
    }

    pub fn has(&self, name: &str) -> bool {
        self.col(name).is_some()
    }

    /// Reports every one of `names` that names two columns: it would be read at its first occurrence and the
    /// second silently ignored, and which of the two holds the real values is a guess we do not make. Formats
    /// whose source repeats a name on purpose (Meta's two `Views`) read those with [`Headed::cols_named`] and
    /// leave them out of `names`.
    pub fn report_duplicates(&self, names: &[&str], file: &SourceFile, errs: &mut ErrorSink) {
        for name in names {
            let n = normalize_header(name);
            {
                let mut dups = self.duplicates.borrow_mut();
                match dups.iter_mut().find(|(d, _)| *d == n) {
                    Some((_, true)) => continue,
                    Some((_, reported)) => *reported = true,
                    None => dups.push((n, true)),
                }
            }
            if let [first, second, ..] = self.cols_named(name)[..] {
                errs.report(
                    &file.display_name,
                    self.table.sheet.as_deref(),
                    self.header_line(),
                    Some(self.name(second)),
                    format!("the column {} appears twice (columns {} and {})", self.name(first), first + 1, second + 1),
                    Some("keep one of them and import again".into()),
                );
            }
        }
    }

    /// Those of `names` that are not columns.
    pub fn missing<'n>(&self, names: &[&'n str]) -> Vec<&'n str> {
        names.iter().copied().filter(|n| !self.has(n)).collect()
    }

    /// The header name of column `index` as written.
    pub fn name(&self, index: usize) -> &str {
        self.headers.get(index).map(String::as_str).unwrap_or("")
    }

    /// The data rows: every row after the header.
    pub fn data(&self) -> &'t [RawRow] {
        &self.table.rows[self.header_row + 1..]
    }

    /// A typed view of one data row, reporting errors for `file`.
    pub fn row<'a>(
        &'a self,
        raw: &'a RawRow,
        file: &'a SourceFile,
        opts: &'a ImportOptions,
        errs: &'a mut ErrorSink,
    ) -> Row<'a> {
        Row { headed: self, raw, file: &file.display_name, opts, errs, failed: false }
    }

    /// Calls `f` on every non-blank data row. Returns the number of rows visited.
    pub fn for_each_row(
        &self,
        file: &SourceFile,
        opts: &ImportOptions,
        errs: &mut ErrorSink,
        f: impl FnMut(&mut Row<'_>),
    ) -> usize {
        self.for_each_row_after(0, file, opts, errs, f)
    }

    /// Calls `f` on every non-blank data row after the first `skip` ones (a description row under the header is
    /// not data), counting the rows visited as the file's data rows. Returns that count.
    pub fn for_each_row_after(
        &self,
        skip: usize,
        file: &SourceFile,
        opts: &ImportOptions,
        errs: &mut ErrorSink,
        mut f: impl FnMut(&mut Row<'_>),
    ) -> usize {
        let looked_up: Vec<String> =
            self.duplicates.borrow().iter().filter(|(_, reported)| !reported).map(|(d, _)| d.clone()).collect();
        if !looked_up.is_empty() {
            let names: Vec<&str> = looked_up.iter().map(String::as_str).collect();
            self.report_duplicates(&names, file, errs);
            return 0;
        }
        let mut n = 0;
        for raw in self.data().iter().skip(skip) {
            if raw.is_blank() {
                continue;
            }
            n += 1;
            errs.add_rows(1);
            let mut row = self.row(raw, file, opts, errs);
            f(&mut row);
        }
        n
    }
}

/// A column reference: an index, an optional index (absent column), or a header name.
pub trait Col: Copy {
    fn index(self, headed: &Headed<'_>) -> Option<usize>;
}
impl Col for usize {
    fn index(self, _: &Headed<'_>) -> Option<usize> {
        Some(self)
    }
}
impl Col for Option<usize> {
    fn index(self, _: &Headed<'_>) -> Option<usize> {
        self
    }
}
impl Col for &str {
    fn index(self, headed: &Headed<'_>) -> Option<usize> {
        headed.col(self)
    }
}

/// One data row with typed getters. `get_*` return `None` for an absent column or a blank cell (`""`, `-`), and
/// report a cell that does not parse (returning `None`); `req_*` also report a blank or absent value.
pub struct Row<'a> {
    headed: &'a Headed<'a>,
    raw: &'a RawRow,
    file: &'a str,
    opts: &'a ImportOptions,
    errs: &'a mut ErrorSink,
    failed: bool,
}

impl<'a> Row<'a> {
    /// Where the record starts: file line or sheet row.
    pub fn line(&self) -> usize {
        self.raw.line
    }
    pub fn raw(&self) -> &'a RawRow {
        self.raw
    }
    pub fn opts(&self) -> &'a ImportOptions {
        self.opts
    }
    /// True once any error was reported on this row: callers drop the record.
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// The trimmed cell, `""` when the column is absent or the row short.
    pub fn cell(&self, col: impl Col) -> &'a str {
        match col.index(self.headed) {
            Some(i) => self.raw.cell(i),
            None => "",
        }
    }

    /// Reports a problem in this row (in column `col` when it is one).
    pub fn error(&mut self, col: impl Col, message: impl Into<String>, hint: Option<String>) {
        self.failed = true;
        let column = col.index(self.headed).map(|i| self.headed.name(i).to_string());
        self.errs.push(CellError {
            file: self.file.to_string(),
            sheet: self.headed.table.sheet.clone(),
            row: self.raw.line,
            column,
            message: message.into(),
            hint,
        });
    }

    /// Reports that a required value is missing.
    fn missing(&mut self, col: impl Col, what: &str) {
        match col.index(self.headed) {
            Some(_) => self.error(col, format!("{what} is empty"), Some("this column is required".into())),
            None => self.error(None::<usize>, format!("{what} is missing"), Some(format!("add a column {what}"))),
        }
    }

    fn label(&self, col: impl Col) -> String {
        col.index(self.headed).map(|i| self.headed.name(i).to_string()).unwrap_or_else(|| "a required value".into())
    }

    /// Parses a non-blank cell with `f`, reporting its error. `None` for absent, blank or bad cells.
    pub fn get_with<T>(&mut self, col: impl Col, f: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let text = self.cell(col);
        if parse::is_blank(text) {
            return None;
        }
        match f(text) {
            Ok(v) => Some(v),
            Err(message) => {
                self.error(col, message, None);
                None
            }
        }
    }

    /// As [`Row::get_with`], and a blank or absent cell is an error too.
    pub fn req_with<T>(&mut self, col: impl Col, f: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        if parse::is_blank(self.cell(col)) {
            let what = self.label(col);
            self.missing(col, &what);
            return None;
        }
        self.get_with(col, f)
    }

    /// The trimmed text, `None` when empty. A lone `-` is text here, not blank.
    pub fn get_str(&mut self, col: impl Col) -> Option<&'a str> {
        let t = self.cell(col);
        (!t.is_empty()).then_some(t)
    }
    pub fn get_string(&mut self, col: impl Col) -> Option<String> {
        self.get_str(col).map(str::to_string)
    }
    pub fn req_str(&mut self, col: impl Col) -> Option<&'a str> {
        let t = self.cell(col);
        if t.is_empty() {
            let what = self.label(col);
            self.missing(col, &what);
            return None;
        }
        Some(t)
    }
    /// A count: a whole number from 0 to [`parse::MAX_COUNT`]; negative and implausibly large values are errors.
    pub fn get_count(&mut self, col: impl Col) -> Option<i64> {
        self.get_with(col, parse::parse_count)
    }
    pub fn req_count(&mut self, col: impl Col) -> Option<i64> {
        self.req_with(col, parse::parse_count)
    }
    /// A net change over a period (gained minus lost), which may be negative; bounded as a count is.
    pub fn get_net_change(&mut self, col: impl Col) -> Option<i64> {
        self.get_with(col, parse::parse_net_change)
    }
    pub fn get_f64(&mut self, col: impl Col) -> Option<f64> {
        self.get_with(col, parse::parse_f64)
    }
    /// A rate as a 0-1 fraction (`4.56%` or `0.0456`).
    pub fn get_rate(&mut self, col: impl Col) -> Option<f64> {
        self.get_with(col, parse::parse_rate)
    }
    pub fn get_date(&mut self, col: impl Col, formats: &[DateFormat]) -> Option<Date> {
        self.get_with(col, |t| parse::parse_date(t, formats))
    }
    pub fn req_date(&mut self, col: impl Col, formats: &[DateFormat]) -> Option<Date> {
        self.req_with(col, |t| parse::parse_date(t, formats))
    }
    /// A month `YYYY-MM` as its first day.
    pub fn req_month(&mut self, col: impl Col) -> Option<Date> {
        self.req_with(col, parse::parse_month)
    }
    /// A timestamp; one without an offset is read in the import's `--tz`.
    pub fn get_timestamp(&mut self, col: impl Col, formats: &[TsFormat]) -> Option<Timestamp> {
        let tz = self.opts.tz;
        self.get_with(col, |t| parse::parse_timestamp(t, formats, tz))
    }
    pub fn req_timestamp(&mut self, col: impl Col, formats: &[TsFormat]) -> Option<Timestamp> {
        let tz = self.opts.tz;
        self.req_with(col, |t| parse::parse_timestamp(t, formats, tz))
    }
    pub fn get_money(&mut self, col: impl Col, currency: Currency) -> Option<Money> {
        self.get_with(col, |t| parse::parse_money(t, currency))
    }
    pub fn req_money(&mut self, col: impl Col, currency: Currency) -> Option<Money> {
        self.req_with(col, |t| parse::parse_money(t, currency))
    }
    /// The currency in column `col`, or the import's `--currency` when the column is absent or empty.
    pub fn currency(&mut self, col: impl Col) -> Currency {
        let default = self.opts.currency;
        self.get_with(col, |t| {
            Currency::parse(t).map_err(|_| format!("{t:?} is not a currency; write an ISO 4217 code such as EUR"))
        })
        .unwrap_or(default)
    }
    /// One of a domain vocabulary (`Task`, `Network`, `DealStatus`, ...).
    pub fn get_enum<T>(&mut self, col: impl Col) -> Option<T>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        self.get_with(col, parse::parse_enum::<T>)
    }
    pub fn req_enum<T>(&mut self, col: impl Col) -> Option<T>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        self.req_with(col, parse::parse_enum::<T>)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use socialledger_domain::Task;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            display_name: "in.csv".into(),
            file_name: "in.csv".into(),
            tables: vec![csv::read_csv(text, None).unwrap()],
        }
    }

    #[test]
    fn header_is_searched_below_description_rows() {
        let f = file("Report of March,,\nThis sheet lists posts,,\n Post ID ,Shares,Views,Views\n1,2,3,4\n");
        let t = &f.tables[0];
        let h = t.header(&["post id", "SHARES"]).unwrap();
        assert_eq!(h.header_row, 2);
        assert_eq!(h.header_line(), 3);
        assert_eq!(h.col("post id"), Some(0));
        assert_eq!(h.col_any(&["Share", "Shares"]), Some(1));
        assert_eq!(h.cols_named("views"), vec![2, 3]);
        assert_eq!(h.data().len(), 1);
        assert!(t.header(&["impressions"]).is_none());
        assert_eq!(h.missing(&["Shares", "Likes"]), vec!["Likes"]);
    }

    #[test]
    fn getters_report_file_row_column() {
        let f = file("id,count,task,when\n1,12x,content,2025-03-01\n2,1 234,napping,\n3,,,2025-02-30\n");
        let opts = ImportOptions::default();
        let mut errs = ErrorSink::new(10);
        let h = f.tables[0].header(&["id", "count"]).unwrap();
        let mut got = Vec::new();
        h.for_each_row(&f, &opts, &mut errs, |r| {
            let count = r.get_count("count");
            let task: Option<Task> = r.get_enum("task");
            let when = r.req_date("when", &[DateFormat::Iso]);
            got.push((count, task, when, r.failed()));
        });
        assert_eq!(got[0].0, None);
        assert_eq!(got[1].0, Some(1234));
        assert_eq!(got[2], (None, None, None, true));
        let msgs: Vec<String> = errs.errors().iter().map(ToString::to_string).collect();
        assert_eq!(msgs[0], "in.csv:2:count: \"12x\" is not a whole number; write digits only such as 1234");
        assert!(msgs[1].starts_with("in.csv:3:task: unknown task \"napping\""), "{}", msgs[1]);
        assert_eq!(msgs[2], "in.csv:3:when: when is empty; this column is required");
        assert_eq!(msgs[3], "in.csv:4:when: \"2025-02-30\" is not a date; write it as YYYY-MM-DD");
        assert_eq!(msgs.len(), 4);
    }

    #[test]
    fn printable_escapes_control_bytes() {
        assert_eq!(printable("a\x1b[2Jb\u{202e}c", 50), "a\\u{1b}[2Jb\\u{202e}c");
        assert_eq!(printable("abcdef", 3), "abc…");
        assert_eq!(printable("Café", 10), "Café");
    }

    #[test]
    fn file_kind_by_extension_then_signature() {
        assert_eq!(FileKind::of("a.CSV", b"PK\x03\x04"), FileKind::Csv);
        assert_eq!(FileKind::of("a.tsv", b""), FileKind::Tsv);
        assert_eq!(FileKind::of("a.xlsx", b""), FileKind::Spreadsheet);
        assert_eq!(FileKind::of("export", b"PK\x03\x04..."), FileKind::Spreadsheet);
        assert_eq!(FileKind::of("export", b"\xD0\xCF\x11\xE0..."), FileKind::Spreadsheet);
        assert_eq!(FileKind::of("export", b"a,b"), FileKind::Csv);
    }
}
