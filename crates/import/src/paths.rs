//! Path files: aggregated journeys in ChannelAttribution's layout, read into a [`PathSet`] for the data-driven
//! attribution models.
//!
//! The header names the columns (any order, case and surrounding spaces ignored, other columns skipped):
//! `path;total_conversions;total_conversion_value;total_null`, where only `path` and `total_conversions` are
//! required. A path lists channels joined by a separator (` > ` by default); like ChannelAttribution we match the
//! separator without its surrounding spaces and trim the names, so `a>b` and `a > b` are the same path. Counts
//! may be fractional. A missing or blank `total_conversion_value` or `total_null` cell is 0.
//!
//! Built for files of millions of lines: the text is scanned in place (UTF-8 is borrowed, not copied), fields
//! and channel names are slices of it, names are interned in a hash map as they are met, and the only allocation
//! per line is the row's list of channel ids. Channel ids are renumbered in name order at the end. Fields may be
//! quoted with `"` (doubled inside); a quoted field cannot span lines.

use crate::read::encoding;
use crate::{parse, CellError, ErrorSink, ImportError};
use socialledger_domain::paths::{ChannelId, PathRow, PathSet};
use std::borrow::Cow;
use std::collections::HashMap;

/// The channel separator of ChannelAttribution's examples.
pub const DEFAULT_SEPARATOR: &str = " > ";

/// The column separator of ChannelAttribution's example files.
pub const DEFAULT_COLUMN_SEPARATOR: u8 = b';';

/// The most distinct channels a path file may name (channel ids are 16 bits).
pub const MAX_CHANNELS: usize = u16::MAX as usize;

const PATH: &str = "path";
const CONVERSIONS: &str = "total_conversions";
const VALUE: &str = "total_conversion_value";
const NULLS: &str = "total_null";

/// Reads a path file. `display_name` names the file in errors; `separator` joins the channels of a path
/// ([`DEFAULT_SEPARATOR`]); `column_sep` separates the columns ([`DEFAULT_COLUMN_SEPARATOR`]).
///
/// # Errors
/// [`ImportError::Rejected`] with one `FILE:ROW:COLUMN` error per bad cell (a missing required column, an empty
/// path or channel name, a count that is not a non-negative number, a row with too few columns);
/// [`ImportError::Empty`] when the file has no header or no data row; [`ImportError::Unreadable`] when the
/// separator is empty.
pub fn read_paths(display_name: &str, bytes: &[u8], separator: &str, column_sep: u8) -> Result<PathSet, ImportError> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_THREADS);
    read_in_pieces(display_name, bytes, separator, column_sep, |body_len| cores.min(body_len / MIN_PIECE_BYTES + 1))
}

/// [`read_paths`] with the number of pieces (threads) chosen by `pieces` from the body's length in bytes.
fn read_in_pieces(
    display_name: &str,
    bytes: &[u8],
    separator: &str,
    column_sep: u8,
    pieces: impl Fn(usize) -> usize,
) -> Result<PathSet, ImportError> {
    if separator.is_empty() {
        return Err(ImportError::Unreadable {
            file: display_name.to_string(),
            reason: "the path separator is empty; give the text that joins channels, such as \" > \"".into(),
        });
    }
    let (text, _) = encoding::decode(bytes);
    let text: &str = &text;
    let file = || display_name.to_string();

    // The header is the first line that is not blank.
    let (mut at, mut line) = (0, 0);
    let (header_line, header, body) = loop {
        if at >= text.len() {
            return Err(ImportError::Empty { file: file() });
        }
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        line += 1;
        let candidate = &text[at..end];
        if !candidate.trim().is_empty() {
            break (line, candidate.strip_suffix('\r').unwrap_or(candidate), &text[(end + 1).min(text.len())..]);
        }
        at = end + 1;
    };
    let columns = Reader::new(display_name, separator, column_sep).header(header_line, header)?;

    // Large files are cut at line ends into one piece per core; the pieces are read in parallel and joined in
    // file order, so the result does not depend on the number of threads.
    let pieces = split_at_lines(body, pieces(body.len()));
    let chunks: Vec<Chunk> = if pieces.len() == 1 {
        vec![read_chunk(display_name, separator, column_sep, &columns, body)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = pieces
                .iter()
                .map(|&piece| scope.spawn(|| read_chunk(display_name, separator, column_sep, &columns, piece)))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
        })
    };

    // Join: one dictionary of names (in order of first appearance in the file), rows in file order, errors with
    // their line numbers in the file.
    let mut sink = ErrorSink::default();
    let mut more = 0;
    let mut first_line = header_line + 1;
    let mut ids: HashMap<String, ChannelId> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    let mut rows: Vec<PathRow> = Vec::with_capacity(chunks.iter().map(|c| c.rows.len()).sum());
    for chunk in chunks {
        for mut error in chunk.errors {
            error.row += first_line - 1;
            sink.push(error);
        }
        more += chunk.more;
        first_line += chunk.lines;
        let remap: Vec<ChannelId> = chunk
            .names
            .into_iter()
            .map(|name| {
                let next = names.len() as ChannelId;
                *ids.entry(name).or_insert_with_key(|name| {
                    names.push(name.clone());
                    next
                })
            })
            .collect();
        let identity = remap.iter().enumerate().all(|(i, &id)| usize::from(id) == i);
        for mut row in chunk.rows {
            if !identity {
                row.channels.iter_mut().for_each(|c| *c = remap[usize::from(*c)]);
            }
            rows.push(row);
        }
        if names.len() > MAX_CHANNELS {
            let message = format!("more than {MAX_CHANNELS} distinct channels");
            let hint = Some("merge rare channels (e.g. into `other`) before attribution".to_string());
            sink.report(display_name, None, header_line, Some(PATH), message, hint);
            break;
        }
    }
    if !sink.is_empty() || more > 0 {
        let (errors, kept_more, _) = sink.into_parts();
        return Err(ImportError::Rejected { file: file(), errors, more: kept_more + more });
    }
    if rows.is_empty() {
        return Err(ImportError::Empty { file: file() });
    }
    Ok(PathSet::from_interned(names, rows))
}

/// Threads used for one file at most.
const MAX_THREADS: usize = 8;

/// Below this many bytes per piece a file is not worth splitting.
const MIN_PIECE_BYTES: usize = 4 << 20;

/// What one piece of a file gave: rows over its own channel numbering, errors with line numbers counted from
/// the piece's first line (1), and the number of lines it spans.
struct Chunk {
    rows: Vec<PathRow>,
    names: Vec<String>,
    errors: Vec<CellError>,
    more: usize,
    lines: usize,
}

/// Cuts `text` into at most `pieces` parts of about equal size, each ending just after a line end (the last one
/// at the end of the text).
fn split_at_lines(text: &str, pieces: usize) -> Vec<&str> {
    let mut out = Vec::with_capacity(pieces.max(1));
    let mut start = 0;
    for i in 1..pieces {
        let target = (text.len() * i / pieces).max(start);
        let Some(nl) = text[target..].find('\n') else { break };
        let end = target + nl + 1;
        if end >= text.len() {
            break;
        }
        out.push(&text[start..end]);
        start = end;
    }
    out.push(&text[start..]);
    out
}

/// Reads the data lines of one piece of a file.
fn read_chunk(file: &str, separator: &str, column_sep: u8, columns: &Columns, text: &str) -> Chunk {
    let mut reader = Reader::new(file, separator, column_sep);
    let mut rows: Vec<PathRow> = Vec::new();
    let mut lines = 0;
    for (i, line) in text.split('\n').enumerate() {
        lines = i;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        if let Some(row) = reader.row(columns, i + 1, line) {
            rows.push(row);
        }
    }
    let Reader { sink, names, .. } = reader;
    let (errors, more, _) = sink.into_parts();
    // `split` gives one piece more than there are line ends; a piece ends just after one, except the last.
    Chunk { rows, names, errors, more, lines: lines + usize::from(!text.ends_with('\n')) }
}

/// Where the wanted columns are, and how many columns a row needs.
struct Columns {
    path: usize,
    conversions: usize,
    value: Option<usize>,
    nulls: Option<usize>,
    needed: usize,
}

/// The state of one read: errors, interned names and scratch space.
struct Reader<'t> {
    file: String,
    /// The separator without surrounding spaces (or as given when it is only spaces).
    separator: &'t str,
    trim_names: bool,
    column_sep: u8,
    sink: ErrorSink,
    ids: NameTable,
    names: Vec<String>,
    fields: Vec<Cow<'t, str>>,
    channels: Vec<ChannelId>,
}

impl<'t> Reader<'t> {
    fn new(file: &str, separator: &'t str, column_sep: u8) -> Reader<'t> {
        let core = separator.trim();
        let (separator, trim_names) = if core.is_empty() { (separator, false) } else { (core, true) };
        Reader {
            file: file.to_string(),
            separator,
            trim_names,
            column_sep,
            sink: ErrorSink::default(),
            ids: NameTable::default(),
            names: Vec::new(),
            fields: Vec::new(),
            channels: Vec::new(),
        }
    }

    fn header(&mut self, line: usize, text: &'t str) -> Result<Columns, ImportError> {
        split_fields(text, self.column_sep, &mut self.fields);
        let names: Vec<String> = self.fields.iter().map(|f| f.trim().to_ascii_lowercase()).collect();
        let find = |name: &str| names.iter().position(|n| n == name);
        let (path, conversions) = (find(PATH), find(CONVERSIONS));
        let (Some(path), Some(conversions)) = (path, conversions) else {
            let missing: Vec<&str> = [(PATH, path), (CONVERSIONS, conversions)]
                .iter()
                .filter(|(_, i)| i.is_none())
                .map(|(n, _)| *n)
                .collect();
            let sep = char::from(self.column_sep);
            let other = [',', ';', '\t', '|'].into_iter().find(|&c| c != sep && names.len() == 1 && text.contains(c));
            let hint = match other {
                Some(c) => format!("the header seems separated by {c:?}, not {sep:?}; pass that column separator"),
                None => format!(
                    "the header must name the columns {PATH}{sep}{CONVERSIONS}[{sep}{VALUE}][{sep}{NULLS}] (seen: {})",
                    names.join(", ")
                ),
            };
            self.sink.report(&self.file, None, line, None, format!("no {} column", missing.join(" or ")), Some(hint));
            let (errors, more, _) = std::mem::take(&mut self.sink).into_parts();
            return Err(ImportError::Rejected { file: self.file.clone(), errors, more });
        };
        let (value, nulls) = (find(VALUE), find(NULLS));
        let needed = 1 + [Some(path), Some(conversions), value, nulls].into_iter().flatten().max().unwrap_or(0);
        Ok(Columns { path, conversions, value, nulls, needed })
    }

    /// One data line; `None` (with errors reported) when it is not valid.
    fn row(&mut self, columns: &Columns, line: usize, text: &'t str) -> Option<PathRow> {
        split_fields(text, self.column_sep, &mut self.fields);
        if self.fields.len() < columns.needed {
            let message = format!("the row has {} columns, the header {}", self.fields.len(), columns.needed);
            let hint = Some(format!("separate the columns with {:?}", char::from(self.column_sep)));
            self.sink.report(&self.file, None, line, None, message, hint);
            return None;
        }
        let mut ok = true;
        let mut number = |index: Option<usize>, column: &str, fields: &[Cow<'t, str>], sink: &mut ErrorSink| {
            let Some(index) = index else { return 0.0 };
            let cell = fields[index].as_ref();
            if column != CONVERSIONS && parse::is_blank(cell) {
                return 0.0;
            }
            match parse_amount(cell) {
                Ok(v) if v >= 0.0 => v,
                Ok(_) => {
                    ok = false;
                    let message = format!("{cell:?} is negative; counts and values cannot be");
                    sink.report(&self.file, None, line, Some(column), message, None);
                    0.0
                }
                Err(message) => {
                    ok = false;
                    sink.report(&self.file, None, line, Some(column), message, None);
                    0.0
                }
            }
        };
        let conversions = number(Some(columns.conversions), CONVERSIONS, &self.fields, &mut self.sink);
        let value = number(columns.value, VALUE, &self.fields, &mut self.sink);
        let nulls = number(columns.nulls, NULLS, &self.fields, &mut self.sink);
        let channels = self.path(line, columns.path)?;
        ok.then_some(PathRow { channels, conversions, value, nulls })
    }

    /// The channel ids of the path cell, interning new names.
    fn path(&mut self, line: usize, index: usize) -> Option<Vec<ChannelId>> {
        self.channels.clear();
        let cell = std::mem::take(&mut self.fields[index]);
        for name in split_names(&cell, self.separator, self.trim_names) {
            let id = match self.ids.get(name) {
                Some(id) => id,
                None => self.add_name(line, name)?,
            };
            self.channels.push(id);
        }
        if self.channels.is_empty() {
            let message = "the path is empty; a journey touches at least one channel";
            self.sink.report(&self.file, None, line, Some(PATH), message, Some("remove the row".into()));
            return None;
        }
        Some(self.channels.clone())
    }

    fn add_name(&mut self, line: usize, name: &str) -> Option<ChannelId> {
        if name.is_empty() {
            let message =
                format!("a channel name is empty (two separators {:?} in a row, or one at an end)", self.separator);
            self.sink.report(&self.file, None, line, Some(PATH), message, None);
            return None;
        }
        if self.names.len() >= MAX_CHANNELS {
            let message = format!("more than {MAX_CHANNELS} distinct channels");
            let hint = Some("merge rare channels (e.g. into `other`) before attribution".to_string());
            self.sink.report(&self.file, None, line, Some(PATH), message, hint);
            return None;
        }
        let id = self.names.len() as ChannelId;
        self.names.push(name.to_string());
        self.ids.insert(name, id);
        Some(id)
    }
}

/// Interned channel names. A name of up to 16 bytes (nearly every channel name) is determined exactly by its
/// length and its first and last 8 bytes, so it is looked up by those three integers in an open-addressing table:
/// one multiplication to place it and integer comparisons to find it, no string hashing and no `memcmp`. Longer
/// names go to a `HashMap`.
#[derive(Default)]
struct NameTable {
    slots: Vec<Slot>,
    used: usize,
    long: HashMap<String, ChannelId>,
}

/// A short name's key and id; `len == 0` marks an empty slot (empty names are never interned).
#[derive(Clone, Copy, Default)]
struct Slot {
    head: u64,
    tail: u64,
    len: u8,
    id: ChannelId,
}

impl NameTable {
    const SHORT: usize = 16;

    fn key(name: &[u8]) -> (u64, u64) {
        let n = name.len();
        let word = |b: &[u8]| {
            let mut w = [0u8; 8];
            w[..b.len()].copy_from_slice(b);
            u64::from_le_bytes(w)
        };
        if n >= 8 {
            (word(&name[..8]), word(&name[n - 8..]))
        } else {
            (word(name), 0)
        }
    }

    fn home(&self, head: u64, tail: u64, len: usize) -> usize {
        let mixed = (head ^ tail.rotate_left(29) ^ len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (mixed >> 32) as usize & (self.slots.len() - 1)
    }

    fn get(&self, name: &str) -> Option<ChannelId> {
        let bytes = name.as_bytes();
        if bytes.len() > Self::SHORT || bytes.is_empty() {
            return self.long.get(name).copied();
        }
        if self.slots.is_empty() {
            return None;
        }
        let (head, tail) = Self::key(bytes);
        let mask = self.slots.len() - 1;
        let mut i = self.home(head, tail, bytes.len());
        loop {
            let slot = self.slots[i];
            if slot.len == 0 {
                return None;
            }
            if slot.head == head && slot.tail == tail && usize::from(slot.len) == bytes.len() {
                return Some(slot.id);
            }
            i = (i + 1) & mask;
        }
    }

    fn insert(&mut self, name: &str, id: ChannelId) {
        let bytes = name.as_bytes();
        if bytes.len() > Self::SHORT || bytes.is_empty() {
            self.long.insert(name.to_string(), id);
            return;
        }
        if (self.used + 1) * 2 > self.slots.len() {
            let size = (self.slots.len() * 2).max(64);
            let old = std::mem::replace(&mut self.slots, vec![Slot::default(); size]);
            self.used = 0;
            for slot in old.into_iter().filter(|s| s.len > 0) {
                self.place(slot);
            }
        }
        let (head, tail) = Self::key(bytes);
        self.place(Slot { head, tail, len: bytes.len() as u8, id });
    }

    fn place(&mut self, slot: Slot) {
        let mask = self.slots.len() - 1;
        let mut i = self.home(slot.head, slot.tail, usize::from(slot.len));
        while self.slots[i].len != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
        self.used += 1;
    }
}

/// The channel names of a path cell.
fn split_names<'a>(cell: &'a str, separator: &'a str, trim: bool) -> Names<'a> {
    let cell = if trim { cell.trim_ascii() } else { cell };
    // An empty cell is an empty path, not one empty name.
    Names { rest: (!cell.is_empty()).then_some(cell), separator, trim }
}

/// Iterator over the names of a path: a byte loop for the usual one-character separator (names are short, so
/// this beats a general substring search), `str::find` for longer ones.
struct Names<'a> {
    rest: Option<&'a str>,
    separator: &'a str,
    trim: bool,
}

impl<'a> Iterator for Names<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let at = match self.separator.as_bytes() {
            [byte] => rest.bytes().position(|b| b == *byte),
            _ => rest.find(self.separator),
        };
        let name = match at {
            Some(i) => {
                self.rest = Some(&rest[i + self.separator.len()..]);
                &rest[..i]
            }
            None => {
                self.rest = None;
                rest
            }
        };
        Some(if self.trim { name.trim_ascii() } else { name })
    }
}

/// Splits one line into fields at `sep`, unquoting `"..."` fields (with `""` for a quote inside).
fn split_fields<'t>(line: &'t str, sep: u8, out: &mut Vec<Cow<'t, str>>) {
    out.clear();
    let sep_char = char::from(sep);
    out.extend(line.split(sep_char).map(Cow::Borrowed));
    // Only a quote opening a field makes it quoted (elsewhere it is an ordinary character, as in CSV).
    if !out.iter().any(|f| f.trim_start_matches(' ').starts_with('"')) {
        return;
    }
    out.clear();
    let bytes = line.as_bytes();
    let mut i = 0;
    loop {
        let field_start = i;
        // Skip spaces before an opening quote.
        let mut j = i;
        while j < bytes.len() && bytes[j] == b' ' {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b'"' {
            let mut k = j + 1;
            let mut owned: Option<String> = None;
            let mut piece = k;
            while k < bytes.len() {
                if bytes[k] == b'"' {
                    if bytes.get(k + 1) == Some(&b'"') {
                        owned.get_or_insert_with(String::new).push_str(&line[piece..=k]);
                        k += 2;
                        piece = k;
                        continue;
                    }
                    break;
                }
                k += 1;
            }
            let field = match owned {
                Some(mut s) => {
                    s.push_str(&line[piece..k.min(bytes.len())]);
                    Cow::Owned(s)
                }
                None => Cow::Borrowed(&line[j + 1..k.min(bytes.len())]),
            };
            out.push(field);
            // Skip to the next separator after the closing quote.
            let mut m = (k + 1).min(bytes.len());
            while m < bytes.len() && bytes[m] != sep {
                m += 1;
            }
            if m >= bytes.len() {
                return;
            }
            i = m + 1;
        } else {
            match line[field_start..].find(sep_char) {
                Some(off) => {
                    out.push(Cow::Borrowed(&line[field_start..field_start + off]));
                    i = field_start + off + 1;
                }
                None => {
                    out.push(Cow::Borrowed(&line[field_start..]));
                    return;
                }
            }
        }
    }
}

/// A count or value: plain digits are read directly (the common case, and the fast one); anything else goes
/// through the shared decimal parser.
fn parse_amount(cell: &str) -> Result<f64, String> {
    let t = cell.trim();
    if !t.is_empty() && t.len() <= 15 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(t.bytes().fold(0u64, |acc, b| acc * 10 + u64::from(b - b'0')) as f64);
    }
    parse::parse_f64(cell)
}

/// Writes `set` as a path file that [`read_paths`] (and ChannelAttribution) reads back: a header, then one line
/// per row, channels joined by `separator`, columns by `column_sep`. A field holding the column separator or a
/// quote is quoted. Counts and values are written with Rust's shortest round-trip formatting, so reading the file
/// gives the same numbers.
pub fn write_paths(set: &PathSet, separator: &str, column_sep: u8) -> String {
    let sep = char::from(column_sep);
    let field = |text: &str| {
        if text.contains(sep) || text.contains('"') || text.contains('\n') {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_string()
        }
    };
    let mut out = format!("{PATH}{sep}{CONVERSIONS}{sep}{VALUE}{sep}{NULLS}\n");
    for row in &set.rows {
        let names: Vec<&str> = row.channels.iter().map(|&c| set.channels[usize::from(c)].as_str()).collect();
        let path = field(&names.join(separator));
        out.push_str(&format!("{path}{sep}{}{sep}{}{sep}{}\n", row.conversions, row.value, row.nulls));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(text: &str) -> Result<PathSet, ImportError> {
        read_paths("paths.csv", text.as_bytes(), DEFAULT_SEPARATOR, DEFAULT_COLUMN_SEPARATOR)
    }

    fn messages(err: ImportError) -> Vec<String> {
        match err {
            ImportError::Rejected { errors, .. } => errors.iter().map(ToString::to_string).collect(),
            other => panic!("expected a rejection, got {other}"),
        }
    }

    fn named(set: &PathSet) -> Vec<(Vec<&str>, f64, f64, f64)> {
        set.rows
            .iter()
            .map(|r| {
                let p = r.channels.iter().map(|&c| set.channels[usize::from(c)].as_str()).collect();
                (p, r.conversions, r.value, r.nulls)
            })
            .collect()
    }

    /// The repository's path fixture (`data/attribution/realistic_paths.csv`, written by our generator in
    /// ChannelAttribution's format; see its README).
    #[test]
    fn reads_the_path_fixture_in_channelattributions_format() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/attribution/realistic_paths.csv");
        let bytes = std::fs::read(path).unwrap();
        let set = read_paths("realistic_paths.csv", &bytes, " > ", b';').unwrap();
        // A reference reading with the plainest string functions.
        let text = std::str::from_utf8(&bytes).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("path;total_conversions;total_conversion_value;total_null"));
        let mut names: Vec<&str> = Vec::new();
        let mut expect = Vec::new();
        for line in lines.filter(|l| !l.is_empty()) {
            let cells: Vec<&str> = line.split(';').collect();
            let path: Vec<&str> = cells[0].split(" > ").collect();
            names.extend(&path);
            let num = |i: usize| cells[i].parse::<f64>().unwrap();
            expect.push((path, num(1), num(2), num(3)));
        }
        names.sort();
        names.dedup();
        assert_eq!(set.channels, names);
        assert_eq!(named(&set), expect);
        assert_eq!(set.rows.len(), 5_428);
    }

    #[test]
    fn separators_spaces_columns_and_line_ends() {
        let a = read("path;total_conversions;total_conversion_value;total_null\nb > a;1;2.5;3\na;0;0;1\n").unwrap();
        let b = read(concat!(
            "\u{feff}Total_Null ; PATH;extra;total_conversion_value;total_conversions\r\n",
            "3;b>a;x;2.5;1\r\n\r\n1; a ;y;;0"
        ))
        .unwrap();
        assert_eq!(a, b);
        assert_eq!(a.channels, vec!["a", "b"]);
        assert_eq!(named(&a), vec![(vec!["b", "a"], 1.0, 2.5, 3.0), (vec!["a"], 0.0, 0.0, 1.0)]);
        // Optional columns may be absent; another separator and column separator.
        let c = read_paths("p.tsv", b"path\ttotal_conversions\nx | y | x\t2\n", "|", b'\t').unwrap();
        assert_eq!(named(&c), vec![(vec!["x", "y", "x"], 2.0, 0.0, 0.0)]);
        // Quoted cells, with a doubled quote inside a name.
        let d = read("path;total_conversions\n\"a > \"\"b\"\"\";1\n \"a\" ;\"2\"\n").unwrap();
        assert_eq!(named(&d), vec![(vec!["a", "\"b\""], 1.0, 0.0, 0.0), (vec!["a"], 2.0, 0.0, 0.0)]);
    }

    #[test]
    fn bad_cells_are_reported_with_file_row_and_column() {
        let text = "path;total_conversions;total_conversion_value;total_null\n\
                    a > b;-1;0;0\n\
                    a > b;1;0;lots\n\
                    ;1;0;0\n\
                    a >  > b;1;0;0\n\
                    a > b;1\n\
                    a > b;;0;0\n";
        assert_eq!(
            messages(read(text).unwrap_err()),
            vec![
                "paths.csv:2:total_conversions: \"-1\" is negative; counts and values cannot be",
                "paths.csv:3:total_null: \"lots\" is not a number; write digits with a decimal point such as 12.5",
                "paths.csv:4:path: the path is empty; a journey touches at least one channel; remove the row",
                "paths.csv:5:path: a channel name is empty (two separators \">\" in a row, or one at an end)",
                "paths.csv:6: the row has 2 columns, the header 4; separate the columns with ';'",
                "paths.csv:7:total_conversions: \"\" is not a number; write digits with a decimal point such as 12.5",
            ]
        );
    }

    #[test]
    fn header_problems_and_empty_files() {
        let m = messages(read("path,total_conversions\na,1\n").unwrap_err());
        assert_eq!(
            m,
            vec![
                "paths.csv:1: no path or total_conversions column; the header seems separated by ',', not ';'; \
                  pass that column separator"
            ]
        );
        let m = messages(read("\n\nroute;total_conversions\na;1\n").unwrap_err());
        assert!(m[0].starts_with("paths.csv:3: no path column; the header must name the columns"), "{m:?}");
        assert!(matches!(read("").unwrap_err(), ImportError::Empty { .. }));
        assert!(matches!(read("path;total_conversions\n\n").unwrap_err(), ImportError::Empty { .. }));
        assert!(matches!(
            read_paths("p", b"path;total_conversions\na;1", "", b';').unwrap_err(),
            ImportError::Unreadable { .. }
        ));
    }

    #[test]
    fn pieces_read_in_parallel_give_the_same_paths_and_errors() {
        let mut text = String::from("\npath;total_conversions;total_null\n");
        let names = ["d", "c", "b", "a", "e"];
        for i in 0..200usize {
            let path: Vec<&str> = (0..1 + i % 4).map(|j| names[(i * 7 + j * 3) % names.len()]).collect();
            match i {
                37 => text.push_str("a > b;x;1\n"),
                150 => text.push_str("\r\n"),
                151 => text.push_str(";1;1\r\n"),
                _ => text.push_str(&format!("{};{};{}\r\n", path.join(" > "), i % 3, i % 5)),
            }
        }
        text.push_str("z;1;2");
        let read_with = |pieces: usize, text: &str| read_in_pieces("p.csv", text.as_bytes(), " > ", b';', |_| pieces);
        let one = messages(read_with(1, &text).unwrap_err());
        assert_eq!(one.len(), 2);
        // Line 1 is blank, 2 the header, 3 the first row: row i is on line i + 3.
        assert!(one[0].starts_with("p.csv:40:total_conversions: \"x\""), "{one:?}");
        assert!(one[1].starts_with("p.csv:154:path: the path is empty"), "{one:?}");
        let good = text.replace("a > b;x;1", "a > b;4;1").replace("\r\n;1;1\r\n", "\r\ne;1;1\r\n");
        let expect = read_with(1, &good).unwrap();
        assert_eq!(expect.channels, vec!["a", "b", "c", "d", "e", "z"]);
        assert_eq!(expect.rows.len(), 200);
        for pieces in [2, 3, 7, 64] {
            assert_eq!(messages(read_with(pieces, &text).unwrap_err()), one, "{pieces} pieces");
            assert_eq!(read_with(pieces, &good).unwrap(), expect, "{pieces} pieces");
        }
        assert_eq!(split_at_lines("a\nb\nc", 3), vec!["a\n", "b\n", "c"]);
        assert_eq!(split_at_lines("abc\n", 4), vec!["abc\n"]);
    }

    #[test]
    fn name_table_tells_every_name_apart() {
        // Names sharing heads and tails, of every length around the 8- and 16-byte boundaries, and long ones.
        let mut names: Vec<String> = Vec::new();
        for len in 1..=40 {
            for variant in 0..60u32 {
                let mut name: Vec<u8> = vec![b'a'; len];
                let pos = (variant as usize * 7) % len;
                name[pos] = b'a' + (variant % 26) as u8;
                if variant >= 26 {
                    name[len / 2] = b'0' + (variant % 10) as u8;
                }
                names.push(String::from_utf8(name).unwrap());
            }
        }
        names.push("linkédin ☃".into());
        names.sort();
        names.dedup();
        let mut table = NameTable::default();
        for (i, name) in names.iter().enumerate().step_by(2) {
            table.insert(name, i as ChannelId);
        }
        for (i, name) in names.iter().enumerate() {
            let expect = (i % 2 == 0).then_some(i as ChannelId);
            assert_eq!(table.get(name), expect, "{name:?}");
        }
        assert!(names.len() > 1000);
    }

    proptest! {
        #[test]
        fn written_paths_read_back(
            rows in proptest::collection::vec(
                (proptest::collection::vec(0usize..6, 1..8), 0u32..50, 0u32..1000, 0u32..50),
                1..40,
            ),
        ) {
            let names = ["linkedin", "x", "Facebook", "organic search", "direct", "e-mail"];
            let mut text = String::from("path;total_conversions;total_conversion_value;total_null\n");
            for (path, c, v, n) in &rows {
                let p: Vec<&str> = path.iter().map(|&i| names[i]).collect();
                text.push_str(&format!("{};{c};{}.{:02};{n}\n", p.join(" > "), v / 100, v % 100));
            }
            let set = read(&text).unwrap();
            let mut sorted = set.channels.clone();
            sorted.sort();
            prop_assert_eq!(&set.channels, &sorted);
            let expect: Vec<(Vec<&str>, f64, f64, f64)> = rows
                .iter()
                .map(|(path, c, v, n)| {
                    let value: f64 = format!("{}.{:02}", v / 100, v % 100).parse().unwrap();
                    (path.iter().map(|&i| names[i]).collect(), f64::from(*c), value, f64::from(*n))
                })
                .collect();
            prop_assert_eq!(named(&set), expect);
        }
    }

    #[test]
    fn written_paths_read_back_to_the_same_set() {
        let text = "path;total_conversions;total_conversion_value;total_null\n\
                    b > a > a;2;150.5;3\n\
                    \"semi;colon > a\";0.25;0;1\n\
                    a;0;0;7\n";
        let set = read(text).unwrap();
        let written = write_paths(&set, DEFAULT_SEPARATOR, DEFAULT_COLUMN_SEPARATOR);
        assert!(written.starts_with("path;total_conversions;total_conversion_value;total_null\n"));
        assert_eq!(read(&written).unwrap(), set);
        let tabbed = write_paths(&set, ">", b'\t');
        assert_eq!(read_paths("p.tsv", tabbed.as_bytes(), ">", b'\t').unwrap(), set);
    }
}
