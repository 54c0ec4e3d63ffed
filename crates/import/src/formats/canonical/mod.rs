//! The canonical CSV formats of docs/formats.md, one module each. Each is only a mapping: the [`Spec`] says which
//! columns identify it, and the shared row getters do the parsing and error reporting.

pub mod accounts;
pub mod activities;
pub mod audience;
pub mod channel_days;
pub mod channels;
pub mod contacts;
pub mod conversations;
pub mod cost_items;
pub mod deals;
pub mod people;
pub mod post_days;
pub mod posts;
pub mod time_entries;
pub mod touchpoints;

use crate::read::{Headed, Row};
use crate::{ErrorSink, SourceFile};
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// A multiply-rotate hasher (the Fx hash of rustc) for the per-file key maps: several times faster than SipHash on
/// short keys, and flooding protection is moot for a file the user imports themselves.
#[derive(Default, Clone, Copy, Debug)]
pub struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        for &b in chunks.remainder() {
            self.add(b as u64);
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FxHasher`].
pub type FastMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// How a canonical format is recognised: every `required` column present, at least one of `any_of` (when not
/// empty), and none of `excluded` (columns that belong to a more specific format sharing the required ones).
#[derive(Debug)]
pub struct Spec {
    pub name: &'static str,
    pub description: &'static str,
    pub required: &'static [&'static str],
    pub any_of: &'static [&'static str],
    pub excluded: &'static [&'static str],
    /// Every column the format reads, required ones included (others are reported as ignored).
    pub columns: &'static [&'static str],
}

impl Spec {
    fn fits(&self, h: &Headed<'_>) -> bool {
        (self.any_of.is_empty() || self.any_of.iter().any(|c| h.has(c))) && !self.excluded.iter().any(|c| h.has(c))
    }

    /// True when a table of the file has a header of this format.
    pub fn detect(&self, file: &SourceFile) -> bool {
        file.tables.iter().any(|t| t.header(self.required).is_some_and(|h| self.fits(&h)))
    }

    /// The header of the first table with every required column, or an error at the file's first line saying
    /// which columns are missing. Columns the format does not read are noted.
    pub fn headed<'f>(&self, file: &'f SourceFile, errs: &mut ErrorSink) -> Option<Headed<'f>> {
        let found = file.tables.iter().find_map(|t| t.header(self.required).filter(|h| self.fits(h)));
        let Some(h) = found else {
            let first = file.tables.iter().find_map(|t| t.header(&[]));
            let (sheet, line, missing) = match &first {
                Some(h) => (h.table.sheet.as_deref(), h.header_line(), h.missing(self.required)),
                None => (None, 1, self.required.to_vec()),
            };
            let message = if missing.is_empty() {
                format!("the header does not fit the {} format", self.name)
            } else {
                format!("the header lacks the column(s) {}", missing.join(", "))
            };
            let hint =
                format!("a {} file needs the columns {}; see docs/formats.md", self.name, self.required.join(", "));
            errs.report(&file.display_name, sheet, line, None, message, Some(hint));
            return None;
        };
        h.report_duplicates(self.columns, file, errs);
        let unknown: Vec<&str> = h
            .headers
            .iter()
            .map(String::as_str)
            .filter(|name| !name.is_empty() && !self.columns.iter().any(|c| c.eq_ignore_ascii_case(name)))
            .collect();
        if !unknown.is_empty() {
            errs.note(format!(
                "{}: ignored column(s) {} (not part of the {} format)",
                file.display_name,
                unknown.join(", "),
                self.name
            ));
        }
        Some(h)
    }
}

/// Implements [`crate::Format`] for a unit struct from its `SPEC` and a `parse` function of its module.
macro_rules! canonical_format {
    ($ty:ident) => {
        $crate::formats::delegate_format!(
            $ty,
            name: SPEC.name,
            description: SPEC.description,
            detect: |file| SPEC.detect(file),
            parse: parse,
        );
    };
}
pub(crate) use canonical_format;

/// A channel key as written in a canonical file: trimmed and lower-cased, so `LinkedIn` and `linkedin` are one
/// channel.
pub fn channel_key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Remembers the line of each natural key, to report a key used twice in one file (the second row would silently
/// replace the first).
#[derive(Debug)]
pub struct SeenKeys<K: Hash + Eq> {
    lines: FastMap<K, usize>,
}

impl<K: Hash + Eq> Default for SeenKeys<K> {
    fn default() -> Self {
        SeenKeys { lines: FastMap::default() }
    }
}

impl<K: Hash + Eq> SeenKeys<K> {
    /// What to do about a key used twice.
    pub const HINT: &'static str = "a key may appear once per file";

    /// Reports `key` when an earlier row had it. `what` names the key in the message (`post_id p1`).
    pub fn check(&mut self, key: K, what: impl FnOnce() -> String, row: &mut Row<'_>, col: impl crate::read::Col) {
        let line = row.line();
        if let Some(first) = self.lines.insert(key, line) {
            row.error(col, format!("{} is also on line {first}", what()), Some(Self::HINT.into()));
        }
    }
}

/// Keys for rows without an id: a blake3 hash of the row's canonical values, with the occurrence number of
/// identical rows mixed in, so identical rows stay distinct and a re-import yields the same keys.
#[derive(Debug, Default)]
pub struct HashKeys {
    seen: FastMap<[u8; 32], u32>,
}

impl HashKeys {
    /// `prefix-` and 20 hex digits (80 bits) of the hash of `fields` (joined with a unit separator).
    pub fn key(&mut self, prefix: &str, fields: &[&str]) -> String {
        let base = *Self::hasher(fields).finalize().as_bytes();
        let n = self.seen.entry(base).or_insert(0);
        *n += 1;
        Self::key_at(prefix, fields, *n)
    }

    fn hasher(fields: &[&str]) -> blake3::Hasher {
        let mut hasher = blake3::Hasher::new();
        for f in fields {
            hasher.update(f.as_bytes());
            hasher.update(b"\x1f");
        }
        hasher
    }

    /// The key of the `occurrence`-th (1-based) row with these `fields`, without remembering anything: what
    /// [`HashKeys::key`] returns for it. A streaming import, which cannot remember every row, asks for the next
    /// occurrence while its key is taken.
    pub fn key_at(prefix: &str, fields: &[&str], occurrence: u32) -> String {
        let mut hasher = Self::hasher(fields);
        if occurrence > 1 {
            hasher.update(occurrence.to_string().as_bytes());
        }
        let hash = hasher.finalize();
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut key = String::with_capacity(prefix.len() + 21);
        key.push_str(prefix);
        key.push('-');
        for &b in &hash.as_bytes()[..10] {
            key.push(HEX[(b >> 4) as usize] as char);
            key.push(HEX[(b & 15) as usize] as char);
        }
        key
    }
}

/// Parses a vocabulary cell once per distinct text (the domain's `parse` allocates; 1M-row files repeat a handful
/// of values).
#[derive(Debug)]
pub struct EnumCache<T> {
    known: FastMap<String, Result<T, String>>,
}

impl<T> Default for EnumCache<T> {
    fn default() -> Self {
        EnumCache { known: FastMap::default() }
    }
}

impl<T: Copy + std::str::FromStr> EnumCache<T>
where
    T::Err: std::fmt::Display,
{
    pub fn parse(&mut self, text: &str) -> Result<T, String> {
        if let Some(v) = self.known.get(text) {
            return v.clone();
        }
        let v = crate::parse::parse_enum::<T>(text);
        self.known.insert(text.to_string(), v.clone());
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::csv::read_csv;

    fn file(header: &str) -> SourceFile {
        SourceFile {
            display_name: "x.csv".into(),
            file_name: "x.csv".into(),
            tables: vec![read_csv(&format!("{header}\n"), None).unwrap()],
        }
    }

    fn detected(header: &str) -> Vec<&'static str> {
        crate::detect::detect_formats(&file(header)).iter().map(|f| f.name()).collect()
    }

    const CANONICAL: [&Spec; 14] = [
        &channels::SPEC,
        &posts::SPEC,
        &post_days::SPEC,
        &channel_days::SPEC,
        &audience::SPEC,
        &activities::SPEC,
        &people::SPEC,
        &time_entries::SPEC,
        &cost_items::SPEC,
        &accounts::SPEC,
        &contacts::SPEC,
        &deals::SPEC,
        &touchpoints::SPEC,
        &conversations::SPEC,
    ];

    #[test]
    fn every_canonical_header_is_claimed_by_its_format_only() {
        for spec in CANONICAL {
            assert_eq!(detected(&spec.columns.join(",")), vec![spec.name], "all columns of {}", spec.name);
            let mut minimal: Vec<&str> = spec.required.to_vec();
            minimal.extend(spec.any_of.first());
            assert_eq!(detected(&minimal.join(",")), vec![spec.name], "required columns of {}", spec.name);
            let upper: Vec<String> = minimal.iter().map(|c| format!(" {} ", c.to_uppercase())).collect();
            assert_eq!(detected(&upper.join(",")), vec![spec.name], "upper-case columns of {}", spec.name);
        }
    }

    #[test]
    fn required_columns_are_read_columns() {
        for spec in CANONICAL {
            for c in spec.required.iter().chain(spec.any_of).chain(spec.excluded) {
                let known = CANONICAL.iter().any(|s| s.columns.contains(c));
                assert!(known, "{}: {c} is no canonical column", spec.name);
            }
            for c in spec.required.iter().chain(spec.any_of) {
                assert!(spec.columns.contains(c), "{}: {c} not in columns", spec.name);
            }
        }
    }

    #[test]
    fn the_detection_table_in_docs_matches_the_specs() {
        let doc = include_str!("../../../../../docs/formats.md");
        let rows: Vec<Vec<&str>> = doc
            .lines()
            .filter(|l| l.trim_start().starts_with("| `canonical-"))
            .map(|l| l.trim().trim_matches('|').split('|').map(str::trim).collect())
            .collect();
        assert_eq!(rows.len(), CANONICAL.len());
        for spec in CANONICAL {
            let row = rows.iter().find(|r| r[0] == format!("`{}`", spec.name)).expect(spec.name);
            let mut detected_by = spec.required.join(", ");
            if !spec.any_of.is_empty() {
                detected_by = format!("{detected_by}, and {}", spec.any_of.join(" or "));
            }
            assert_eq!(row[2], detected_by, "{}", spec.name);
            assert_eq!(row[3], spec.excluded.join(", "), "{}", spec.name);
        }
    }

    #[test]
    fn hash_keys_are_stable_and_keep_identical_rows_apart() {
        let mut a = HashKeys::default();
        let mut b = HashKeys::default();
        let k1 = a.key("te", &["ann", "2025-03-01", "90"]);
        let k2 = a.key("te", &["ann", "2025-03-01", "90"]);
        assert_ne!(k1, k2);
        assert_eq!(b.key("te", &["ann", "2025-03-01", "90"]), k1);
        assert_eq!(b.key("te", &["ann", "2025-03-01", "90"]), k2);
        assert_ne!(b.key("te", &["ann", "2025-03-0", "190"]), k1);
        assert_eq!(k1.len(), 3 + 20);
        let full = blake3::hash(b"ann\x1f2025-03-01\x1f90\x1f").to_hex();
        assert_eq!(k1, format!("te-{}", &full.as_str()[..20]), "the key is the documented hash");
    }
}
