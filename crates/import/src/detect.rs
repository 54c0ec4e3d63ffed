//! Which format a file is in: `--format NAME`, or the one format whose `detect` accepts the file; then the whole
//! import of one file (read, pick, map, and accept or reject as a whole).

use crate::formats::ALL;
use crate::{read, ErrorSink, Format, ImportError, ImportOptions, Parsed, SourceFile};
use std::path::Path;

/// The format named `name` (case-insensitive).
pub fn find_format(name: &str) -> Option<&'static dyn Format> {
    ALL.iter().copied().find(|f| f.name().eq_ignore_ascii_case(name.trim()))
}

/// Every known format name, in registry order.
pub fn format_names() -> Vec<&'static str> {
    ALL.iter().map(|f| f.name()).collect()
}

/// The formats whose `detect` accepts the file.
pub fn detect_formats(file: &SourceFile) -> Vec<&'static dyn Format> {
    ALL.iter().copied().filter(|f| f.detect(file)).collect()
}

/// Picks the format: the one named in `opts.format`, else the single one that detects the file.
pub fn choose_format(file: &SourceFile, opts: &ImportOptions) -> Result<&'static dyn Format, ImportError> {
    if let Some(name) = &opts.format {
        return find_format(name)
            .ok_or_else(|| ImportError::UnknownFormatName { name: name.clone(), known: format_names() });
    }
    pick(file, detect_formats(file))
}

/// The single detected format, or why there is not exactly one.
fn pick(file: &SourceFile, found: Vec<&'static dyn Format>) -> Result<&'static dyn Format, ImportError> {
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(ImportError::UnknownFormat {
            file: file.display_name.clone(),
            headers_seen: headers_seen(file),
            hint: "run `socialledger formats` to see the formats and the columns each needs, or name the format \
                   with --format NAME"
                .into(),
        }),
        many => Err(ImportError::AmbiguousFormat {
            file: file.display_name.clone(),
            candidates: many.iter().map(|f| f.name()).collect(),
        }),
    }
}

/// How many header cells an unknown-format error shows.
const HEADERS_SHOWN: usize = 30;

/// The first non-blank row of every table (prefixed with `[sheet]` in workbooks), for error messages: each cell
/// made [`read::printable`] (a binary file read as text must not send control bytes to the terminal) and at most
/// [`HEADERS_SHOWN`] of them.
fn headers_seen(file: &SourceFile) -> Vec<String> {
    let mut seen = Vec::new();
    for t in &file.tables {
        let cells: Vec<String> = t.first_row_cells().iter().map(|c| read::printable(c, 40)).collect();
        if cells.is_empty() {
            continue;
        }
        match &t.sheet {
            Some(sheet) => seen.push(format!("[{}] {}", read::printable(sheet, 40), cells.join(", "))),
            None => seen.extend(cells),
        }
    }
    if seen.len() > HEADERS_SHOWN {
        let more = seen.len() - HEADERS_SHOWN;
        seen.truncate(HEADERS_SHOWN);
        seen.push(format!("... and {more} more"));
    }
    seen
}

/// Reads the bytes of `path` into a [`SourceFile`].
pub fn read_source(path: &Path, bytes: &[u8]) -> Result<SourceFile, ImportError> {
    let display_name = path.display().to_string();
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| display_name.clone());
    let tables = read::read_tables(&file_name, bytes).map_err(|reason| ImportError::Unreadable {
        file: display_name.clone(),
        reason: read::printable(&reason, 500),
    })?;
    if tables.iter().all(|t| t.rows.iter().all(read::RawRow::is_blank)) {
        return Err(ImportError::Empty { file: display_name });
    }
    if let Some(line) = tables.iter().find_map(|t| t.cut_at) {
        return Err(ImportError::truncated(&display_name, line));
    }
    Ok(SourceFile { display_name, file_name, tables })
}

/// Maps an already read file with `format`: the dataset when every row is valid, else all the errors.
pub fn parse_with(
    format: &'static dyn Format,
    file: &SourceFile,
    opts: &ImportOptions,
    content_hash: String,
) -> Result<Parsed, ImportError> {
    let mut errs = ErrorSink::new(opts.max_errors);
    let dataset = format.parse(file, opts, &mut errs);
    if !errs.is_empty() {
        let (errors, more, _) = errs.into_parts();
        return Err(ImportError::Rejected { file: file.display_name.clone(), errors, more });
    }
    let rows = match errs.rows() {
        0 => file.tables.iter().map(|t| t.rows.iter().filter(|r| !r.is_blank()).count().saturating_sub(1)).sum(),
        n => n,
    };
    let (_, _, notes) = errs.into_parts();
    Ok(Parsed { format: format.name(), dataset, rows, notes, content_hash })
}

/// Reads, recognises and maps one file. See [`crate::import_file`].
pub fn import_file(path: &Path, bytes: &[u8], opts: &ImportOptions) -> Result<Parsed, ImportError> {
    let file = read_source(path, bytes)?;
    let format = choose_format(&file, opts)?;
    parse_with(format, &file, opts, blake3::hash(bytes).to_hex().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::csv::read_csv;
    use socialledger_domain::Dataset;

    struct Named(&'static str);
    impl Format for Named {
        fn name(&self) -> &'static str {
            self.0
        }
        fn description(&self) -> &'static str {
            "test"
        }
        fn detect(&self, _: &SourceFile) -> bool {
            true
        }
        fn parse(&self, _: &SourceFile, _: &ImportOptions, _: &mut ErrorSink) -> Dataset {
            Dataset::default()
        }
    }
    static A: Named = Named("a-format");
    static B: Named = Named("b-format");

    fn file() -> SourceFile {
        SourceFile {
            display_name: "dir/in.csv".into(),
            file_name: "in.csv".into(),
            tables: vec![read_csv("Date,Views\n2025-03-01,3\n", None).unwrap()],
        }
    }

    #[test]
    fn several_detections_are_an_ambiguity_naming_them() {
        let Err(err) = pick(&file(), vec![&A, &B]) else { panic!("two formats detected, none refused") };
        assert_eq!(
            err.to_string(),
            "dir/in.csv: the header fits several formats (a-format, b-format); choose one with --format NAME"
        );
        assert_eq!(pick(&file(), vec![&B]).unwrap().name(), "b-format");
        match pick(&file(), vec![]) {
            Err(ImportError::UnknownFormat { headers_seen, .. }) => assert_eq!(headers_seen, ["Date", "Views"]),
            Err(other) => panic!("{other}"),
            Ok(f) => panic!("{} picked from nothing", f.name()),
        }
    }

    #[test]
    fn format_names_are_unique_and_found_case_insensitively() {
        let names = format_names();
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        assert_eq!(find_format("Canonical-Posts").map(|f| f.name()), Some("canonical-posts"));
        assert!(find_format("posts").is_none());
    }

    #[test]
    fn no_canonical_example_is_claimed_by_a_native_format() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("csv") {
                continue;
            }
            let file = read_source(&path, &std::fs::read(&path).unwrap()).unwrap();
            let found: Vec<&str> = detect_formats(&file).iter().map(|f| f.name()).collect();
            assert_eq!(found.len(), 1, "{}: {found:?}", path.display());
        }
    }
}
