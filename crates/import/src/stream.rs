//! Reading one large canonical touchpoints file in bounded memory: the file is read record by record (the csv
//! crate over the open file, never the whole text) and mapped in batches of a few thousand touchpoints, which the
//! caller writes into the store's one transaction before reading on. Only the header, the current batch and a
//! few caches of distinct values (kinds, UTM pairs) are held, so memory does not grow with the file.
//!
//! What the whole-file parse does with memory that grows with the file, this path leaves to the store, which
//! remembers the file's keys on disk: a `touchpoint_id` used twice is reported with [`duplicate_id`](crate::formats::canonical::touchpoints::duplicate_id)
//! from the lines the store returns, and a row without an id that repeats an earlier row's values gets the next
//! occurrence's key ([`derived_key`](crate::formats::canonical::touchpoints::derived_key)). Errors, notes and row counts are those of the whole-file parse;
//! the file's lines are counted the same way (see [`crate::read::csv::read_csv`]).
//!
//! Used for UTF-8 files (with or without a BOM) without leading `#` comment lines whose header is the canonical
//! touchpoints one ([`streams_as_touchpoints`]); every other file goes through [`crate::import_file`].

use crate::formats::canonical::touchpoints::{Keys, Mapper, SPEC};
use crate::read::{self, Cells, RawRow, Table};
use crate::{CellError, ErrorSink, ImportError, ImportOptions, SourceFile};
use socialledger_domain::Touchpoint;
use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

/// How much of the file's start [`streams_as_touchpoints`] reads to recognise it.
const PREFIX_BYTES: usize = 64 * 1024;

/// The blake3 hash of a file's bytes, read in pieces: the content hash of [`crate::Parsed`] for a file that is
/// not held in memory. A first pass over the file, which also brings it into the page cache for the second.
pub fn content_hash(path: &Path) -> io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut buf)? {
            0 => break,
            n => {
                hasher.update(&buf[..n]);
            }
        }
    }
    Ok(hasher.finalize().to_hex().to_string())
}

/// True when `path` is a canonical touchpoints file this module can stream: UTF-8 (a BOM allowed), no leading
/// `#` comment lines, and its first 64 KiB detected (or named with `--format`) as `canonical-touchpoints`.
pub fn streams_as_touchpoints(path: &Path, opts: &ImportOptions) -> bool {
    let Ok(mut file) = File::open(path) else { return false };
    let mut prefix = Vec::with_capacity(PREFIX_BYTES);
    if file.by_ref().take(PREFIX_BYTES as u64).read_to_end(&mut prefix).is_err() {
        return false;
    }
    let body = prefix.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&prefix);
    // Whole lines only, so that the last one is not taken for a cut-off row.
    let Some(end) = body.iter().rposition(|&b| b == b'\n') else { return false };
    let Ok(text) = std::str::from_utf8(&body[..=end]) else { return false };
    if text.trim_start_matches(['\u{feff}', ' ']).starts_with('#') {
        return false;
    }
    let Ok(source) = crate::detect::read_source(path, text.as_bytes()) else { return false };
    crate::detect::choose_format(&source, opts).is_ok_and(|f| f.name() == SPEC.name)
}

/// Touchpoints of consecutive rows, in file order.
#[derive(Debug, Default)]
pub struct Batch {
    pub records: Vec<Touchpoint>,
    /// The line each record starts on.
    pub lines: Vec<usize>,
    /// Whether each record's key was derived from its values (no `touchpoint_id`), so that a repeat gets the
    /// next occurrence's key instead of being an error.
    pub derived: Vec<bool>,
    /// Bytes of the file read so far (for progress).
    pub bytes_read: u64,
    /// True once any row so far had an error: the file will be rejected, writing it is wasted work.
    pub failed: bool,
}

/// The bytes the csv reader has read and the streaming reader has not yet counted lines in (from `counted_to`
/// in [`Records`] on; the bytes before it are dropped now and then, not per record: dropping them shifts the rest
/// to the front, and doing that per record moved tens of kilobytes per row).
#[derive(Debug, Default)]
struct Window {
    /// File offset (after a BOM) of `bytes[0]`.
    start: u64,
    bytes: Vec<u8>,
}

/// Counted bytes are dropped from the window once there are this many.
const DROP_COUNTED: usize = 1 << 16;

/// Passes the file through to the csv reader and keeps a copy of what it read in the shared [`Window`].
struct Tap {
    file: File,
    window: Arc<Mutex<Window>>,
    read: u64,
}

impl Read for Tap {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.window.lock().unwrap_or_else(PoisonError::into_inner).bytes.extend_from_slice(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

/// Records of a delimited file with the lines they start on, counted as [`crate::read::csv::read_csv`] counts
/// them (from byte offsets, blank lines and CRLF included).
struct Records {
    csv: ::csv::Reader<Tap>,
    window: Arc<Mutex<Window>>,
    counted_to: u64,
    line: usize,
    /// Cells of the last record and of the one before, and the last record's line (to detect a cut-off file).
    last: Option<(usize, usize)>,
    before: Option<usize>,
}

impl Records {
    fn open(path: &Path) -> io::Result<Records> {
        let mut file = File::open(path)?;
        let mut prefix = Vec::with_capacity(PREFIX_BYTES);
        file.by_ref().take(PREFIX_BYTES as u64).read_to_end(&mut prefix)?;
        let bom = if prefix.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 };
        let delimiter = read::csv::sniff_delimiter(&String::from_utf8_lossy(&prefix[bom..]));
        file.seek(io::SeekFrom::Start(bom as u64))?;
        let window = Arc::new(Mutex::new(Window::default()));
        let tap = Tap { file, window: Arc::clone(&window), read: bom as u64 };
        let csv = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(1 << 16)
            .from_reader(tap);
        Ok(Records { csv, window, counted_to: 0, line: 1, last: None, before: None })
    }

    fn bytes_read(&self) -> u64 {
        self.csv.get_ref().read
    }

    /// The next record, `Ok(None)` at the end of the file.
    fn next(&mut self) -> Result<Option<RawRow>, String> {
        let mut record = ::csv::StringRecord::new();
        match self.csv.read_record(&mut record) {
            Ok(true) => {
                let mut w = self.window.lock().unwrap_or_else(PoisonError::into_inner);
                let at = |w: &Window, offset: u64| (offset - w.start) as usize;
                let mut start = record.position().map(|p| p.byte()).unwrap_or(self.counted_to).max(self.counted_to);
                while at(&w, start) < w.bytes.len() && matches!(w.bytes[at(&w, start)], b'\r' | b'\n') {
                    start += 1;
                }
                let (from, to) = (at(&w, self.counted_to), at(&w, start).min(w.bytes.len()));
                self.line += w.bytes[from..to].iter().filter(|&&b| b == b'\n').count();
                self.counted_to = w.start + to as u64;
                if to >= DROP_COUNTED {
                    w.bytes.drain(..to);
                    w.start += to as u64;
                }
                self.before = self.last.map(|(cells, _)| cells);
                self.last = Some((record.len(), self.line));
                Ok(Some(RawRow { line: self.line, cells: Cells::from_record(record) }))
            }
            Ok(false) => Ok(None),
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(self.line);
                Err(format!("line {line}: {e}"))
            }
        }
    }

    /// The line of the last record when the file looks cut off inside it (see [`read::csv::read_csv`]); call at
    /// the end of the file.
    fn cut_at(&self) -> Option<usize> {
        let (cells, line) = self.last?;
        let w = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        let from = ((self.counted_to - w.start) as usize).min(w.bytes.len());
        read::csv::looks_cut(&w.bytes[from..], cells, self.before).then_some(line)
    }
}

/// A canonical touchpoints file read batch by batch. Errors of its rows are collected as the whole-file parse
/// collects them; [`TouchpointReader::finish`] rejects the file when there are any.
pub struct TouchpointReader {
    /// The file's name and its header table (the rows up to and including the header, plus any data rows read
    /// while looking for it).
    file: SourceFile,
    header_row: usize,
    /// Data rows read with the header, processed first.
    pending: std::collections::VecDeque<RawRow>,
    records: Records,
    mapper: Mapper,
    opts: ImportOptions,
    errs: ErrorSink,
    /// The `touchpoint_id` column as written in the header, for errors about repeated ids.
    id_column: String,
    /// An error that ends the reading (the bytes stop being CSV or UTF-8).
    fatal: Option<String>,
    done: bool,
}

impl std::fmt::Debug for TouchpointReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TouchpointReader").field("file", &self.file.display_name).finish_non_exhaustive()
    }
}

impl TouchpointReader {
    /// Opens the file and reads its header. A header that lacks a required column (or names one twice) rejects
    /// the file here, as it would the whole-file parse.
    pub fn open(path: &Path, opts: &ImportOptions) -> Result<TouchpointReader, ImportError> {
        let display_name = path.display().to_string();
        let unreadable = |reason: String| ImportError::Unreadable { file: display_name.clone(), reason };
        let mut records = Records::open(path).map_err(|e| unreadable(e.to_string()))?;
        let mut table = Table::default();
        while table.rows.len() < read::HEADER_SEARCH_ROWS {
            match records.next().map_err(|e| unreadable(read::printable(&e, 500)))? {
                Some(raw) => {
                    table.rows.push(raw);
                    if table.header(SPEC.required).is_some() {
                        break;
                    }
                }
                None => break,
            }
        }
        let file_name =
            path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| display_name.clone());
        let file = SourceFile { display_name, file_name, tables: vec![table] };
        let mut errs = ErrorSink::new(opts.max_errors);
        let Some(h) = SPEC.headed(&file, &mut errs) else {
            let (errors, more, _) = errs.into_parts();
            return Err(ImportError::Rejected { file: file.display_name, errors, more });
        };
        if !errs.is_empty() {
            let (errors, more, _) = errs.into_parts();
            return Err(ImportError::Rejected { file: file.display_name, errors, more });
        }
        let mapper = Mapper::new(&h, Keys::Deferred);
        let id_column = h.col("touchpoint_id").map(|i| h.name(i).to_string()).unwrap_or_default();
        let header_row = h.header_row;
        let mut file = file;
        let pending = file.tables[0].rows.split_off(header_row + 1).into();
        Ok(TouchpointReader {
            file,
            header_row,
            pending,
            records,
            mapper,
            opts: opts.clone(),
            errs,
            id_column,
            fatal: None,
            done: false,
        })
    }

    /// The file name as the user gave it.
    pub fn display_name(&self) -> &str {
        &self.file.display_name
    }

    /// The next batch of up to `max` touchpoints (fewer at the end of the file; rows with errors are left out),
    /// `None` once the file is read.
    pub fn next_batch(&mut self, max: usize) -> Option<Batch> {
        if self.done {
            return None;
        }
        let TouchpointReader { file, header_row, pending, records, mapper, opts, errs, fatal, done, .. } = self;
        let h = file.tables[0].header_at(*header_row)?;
        let mut batch = Batch::default();
        while batch.records.len() < max.max(1) {
            let raw = match pending.pop_front() {
                Some(raw) => raw,
                None => match records.next() {
                    Ok(Some(raw)) => raw,
                    Ok(None) => {
                        *done = true;
                        break;
                    }
                    Err(e) => {
                        *fatal = Some(e);
                        *done = true;
                        break;
                    }
                },
            };
            if raw.is_blank() {
                continue;
            }
            errs.add_rows(1);
            let mut row = h.row(&raw, file, opts, errs);
            if let Some((tp, derived)) = mapper.map(&mut row) {
                batch.records.push(tp);
                batch.lines.push(raw.line);
                batch.derived.push(derived);
            }
        }
        batch.bytes_read = records.bytes_read();
        batch.failed = !errs.is_empty() || fatal.is_some();
        Some(batch)
    }

    /// The `touchpoint_id` column as written in the header (for [`duplicate_id`](crate::formats::canonical::touchpoints::duplicate_id)).
    pub fn id_column(&self) -> &str {
        &self.id_column
    }

    /// After the last batch: the data rows read and the notes, or why the file is rejected. `more_errors` are
    /// errors found while writing (repeated ids); they are merged with the rows' errors in line order.
    pub fn finish(mut self, more_errors: Vec<CellError>) -> Result<(usize, Vec<String>), ImportError> {
        while !self.done {
            self.next_batch(4096);
        }
        let display_name = self.file.display_name.clone();
        if let Some(reason) = self.fatal {
            return Err(ImportError::Unreadable { file: display_name, reason: read::printable(&reason, 500) });
        }
        if let Some(line) = self.records.cut_at() {
            return Err(ImportError::truncated(&display_name, line));
        }
        let rows = self.errs.rows();
        if self.errs.is_empty() && more_errors.is_empty() {
            let (_, _, notes) = self.errs.into_parts();
            return Ok((rows, notes));
        }
        let max = self.opts.max_errors.max(1);
        let (mut errors, mut more, _) = self.errs.into_parts();
        errors.extend(more_errors);
        errors.sort_by_key(|e| e.row);
        if errors.len() > max {
            more += errors.len() - max;
            errors.truncate(max);
        }
        Err(ImportError::Rejected { file: display_name, errors, more })
    }
}
