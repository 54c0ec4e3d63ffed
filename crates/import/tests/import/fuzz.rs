//! Fuzz-style test (issue 12): every format's parser on thousands of seeded mutations of valid files. For each
//! mutated input, `import_file` must return, not panic or abort, and either
//!
//! * fail with an error that names the file on every line and holds no control character, or
//! * import something plausible: no negative count (net changes excepted), nothing above the documented bounds
//!   (counts, minutes, money).
//!
//! Seeds: the canonical examples in `examples/`, the synthetic native exports in `tests/fixtures/native/`, and
//! workbooks built in [`crate::workbooks`] (three XLS and one XLSX); with `../shared/data/exports` present, the real
//! exports too (`SOCIALLEDGER_FUZZ_NO_SHARED=1` leaves them out, for the same inputs on every machine). Mutations: byte and bit flips, truncation, inserted and deleted bytes (multi-byte characters,
//! control bytes, invalid UTF-8), swapped lines and columns, duplicated header cells, numbers replaced by huge and
//! negative ones, dates and file names with multi-byte characters, 32-bit fields of workbooks overwritten.
//!
//! The normal suite runs [`DEFAULT_INPUTS`] inputs from a fixed seed in a few seconds. Longer runs:
//! `SOCIALLEDGER_FUZZ_INPUTS=200000 SOCIALLEDGER_FUZZ_SEED=7 cargo test --release -p socialledger-import --test import
//! fuzz -- --nocapture` (see `scripts/fuzz`). A failure prints the seed, the input number and the file to replay it.

use crate::robustness::native_fixtures;
use crate::support::examples_dir;
use crate::workbooks;
use socialledger_domain::Dataset;
use socialledger_import::parse::{MAX_COUNT, MAX_MONEY_MINOR};
use socialledger_import::{import_file, ImportError, ImportOptions};
use std::path::Path;
use std::time::Instant;

/// Inputs of the normal test run.
pub const DEFAULT_INPUTS: usize = 3000;
/// Text seeds larger than this are left out of the normal run (the real Facebook page export, 2,681 columns and
/// 0.9 MB, takes a fifth of a second per input in a debug build); `SOCIALLEDGER_FUZZ_FULL_SEEDS=1` keeps them.
const QUICK_SEED_BYTES: usize = 48 << 10;

/// splitmix64: small, seeded, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// Every seed file: (name as the importer sees it, bytes, is it a workbook).
fn seeds() -> Vec<(String, Vec<u8>, bool)> {
    let mut out = Vec::new();
    let mut examples: Vec<_> = std::fs::read_dir(examples_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    examples.sort();
    for path in examples {
        out.push((path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap(), false));
    }
    for (name, bytes) in native_fixtures() {
        out.push((name, bytes, false));
    }
    out.push(("acme_content_1736900000000.xls".into(), workbooks::linkedin_content(), true));
    out.push(("acme_followers_1736900000000.xls".into(), workbooks::linkedin_followers(), true));
    out.push(("acme_visitors_1736900000000.xls".into(), workbooks::linkedin_visitors(), true));
    let sheets = workbooks::linkedin_content_sheets();
    out.push(("acme_content_1736900000000.xlsx".into(), workbooks::xlsx(sheets[1].0, &sheets[1].1), true));
    let shared = socialledger_testkit::shared_data_if_present().map(|d| d.join("exports"));
    if let Some(shared) = shared.filter(|s| s.is_dir() && env_number("SOCIALLEDGER_FUZZ_NO_SHARED") != Some(1)) {
        let mut dirs = vec![shared.clone()];
        let mut found = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "csv" || e == "xls") {
                    found.push(path);
                }
            }
        }
        found.sort();
        for path in found {
            let name = path.strip_prefix(&shared).unwrap().to_string_lossy().into_owned();
            let workbook = name.ends_with(".xls");
            out.push((name, std::fs::read(&path).unwrap(), workbook));
        }
    }
    if env_number("SOCIALLEDGER_FUZZ_FULL_SEEDS") != Some(1) {
        out.retain(|(_, bytes, workbook)| *workbook || bytes.len() <= QUICK_SEED_BYTES);
    }
    out
}

/// Values that broke the importers: negatives, i64's ends, hours that wrapped, floats past any count.
const NASTY_NUMBERS: &[&str] = &[
    "-5000",
    "-7",
    "-1",
    "0",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "307445734.560000000",
    "153722867.280000000",
    "1e308",
    "99999999999999999999999",
    "4812",
    "1,000,000,000,001",
    "NaN",
    "2025-02-30",
    "202é101",
];

/// Bytes that broke the readers: multi-byte characters, control bytes, invalid UTF-8, quotes and separators.
const NASTY_BYTES: &[&[u8]] = &[
    "é".as_bytes(),
    "€".as_bytes(),
    "😀".as_bytes(),
    b"\x1b[2J",
    b"\x00",
    b"\xff\xfe",
    b"\xc3",
    b"\"",
    b",",
    b";",
    b"\t",
    b"\r\n",
    b"\n",
    b"-",
    b"\xEF\xBB\xBF",
];

/// Applies one random mutation.
fn mutate_once(rng: &mut Rng, name: &mut String, bytes: &mut Vec<u8>, workbook: bool) {
    let len = bytes.len();
    let kinds = if workbook { 8 } else { 13 };
    match rng.below(kinds) {
        0 if len > 0 => {
            let at = rng.below(len);
            bytes[at] = rng.next() as u8;
        }
        1 if len > 0 => {
            let at = rng.below(len);
            bytes[at] ^= 1 << rng.below(8);
        }
        2 => bytes.truncate(rng.below(len + 1)),
        3 => {
            let at = rng.below(len + 1);
            let insert = *rng.pick(NASTY_BYTES);
            bytes.splice(at..at, insert.iter().copied());
        }
        4 if len > 0 => {
            let at = rng.below(len);
            let end = (at + 1 + rng.below(16)).min(len);
            bytes.drain(at..end);
        }
        5 if len >= 4 => {
            // A 32-bit field (a sector id, a size, a count) overwritten with an extreme value.
            let at = rng.below(len - 3);
            let value: u32 = *rng.pick(&[0xFFFF_FFFF, 0x7FFF_FFFF, 0xFFFF_FFFE, 0x8000_0000, 0, 0x0001_0000]);
            bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
        }
        6 if len >= 2 => {
            let at = rng.below(len - 1);
            let value: u16 = *rng.pick(&[0xFFFF, 0x7FFF, 0, 0x0200, 0x0809, 0x000A]);
            bytes[at..at + 2].copy_from_slice(&value.to_le_bytes());
        }
        7 => {
            // A file name with a multi-byte character inside a date, or a different extension.
            let chars: Vec<(usize, char)> = name.char_indices().collect();
            if !chars.is_empty() {
                let (at, _) = chars[rng.below(chars.len())];
                name.insert(at, *rng.pick(&['é', '😀', '0', '_']));
            }
        }
        8 => replace_number(rng, bytes),
        9 => swap_lines(rng, bytes),
        10 => swap_columns(rng, bytes),
        11 => duplicate_header_cell(rng, bytes),
        12 if len > 0 => {
            // A run of bytes repeated (a download that stuttered).
            let at = rng.below(len);
            let end = (at + 1 + rng.below(64)).min(len);
            let run = bytes[at..end].to_vec();
            bytes.splice(end..end, run);
        }
        _ => {}
    }
}

/// Replaces one run of digits with a nasty number.
fn replace_number(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let runs: Vec<(usize, usize)> = {
        let mut runs = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_digit() {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                    i += 1;
                }
                runs.push((start, i));
            } else {
                i += 1;
            }
        }
        runs
    };
    if runs.is_empty() {
        return;
    }
    let (start, end) = *rng.pick(&runs);
    let with = rng.pick(NASTY_NUMBERS).as_bytes().to_vec();
    bytes.splice(start..end, with);
}

fn lines_of(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect()
}

fn swap_lines(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let mut lines = lines_of(bytes);
    if lines.len() < 2 {
        return;
    }
    let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
    lines.swap(a, b);
    *bytes = lines.join(&b'\n');
}

fn swap_columns(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let (a, b) = (rng.below(6), rng.below(6));
    let lines: Vec<Vec<u8>> = lines_of(bytes)
        .into_iter()
        .map(|line| {
            let mut cells: Vec<&[u8]> = line.split(|c| *c == b',').collect();
            if a < cells.len() && b < cells.len() {
                cells.swap(a, b);
            }
            cells.join(&b',')
        })
        .collect();
    *bytes = lines.join(&b'\n');
}

fn duplicate_header_cell(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let mut lines = lines_of(bytes);
    let Some(header) = lines.iter_mut().find(|l| !l.starts_with(b"#") && !l.is_empty()) else { return };
    let cells: Vec<Vec<u8>> = header.split(|c| *c == b',').map(<[u8]>::to_vec).collect();
    if cells.len() < 2 {
        return;
    }
    let mut cells = cells;
    let from = rng.below(cells.len());
    let to = rng.below(cells.len());
    cells[to] = cells[from].clone();
    *header = cells.join(&b',');
    *bytes = lines.join(&b'\n');
}

/// Why an imported dataset is implausible, if it is.
fn implausible(format: &str, ds: &Dataset) -> Option<String> {
    let count = |what: &str, v: Option<i64>| -> Option<String> {
        v.filter(|n| !(0..=MAX_COUNT).contains(n)).map(|n| format!("{what} = {n}"))
    };
    let net = |what: &str, v: Option<i64>| -> Option<String> {
        v.filter(|n| n.unsigned_abs() > MAX_COUNT as u64).map(|n| format!("{what} = {n}"))
    };
    let youtube = format.starts_with("youtube");
    for m in &ds.post_metrics {
        let problems = [
            count("impressions", m.impressions),
            count("reach", m.reach),
            if youtube { net("reactions", m.reactions) } else { count("reactions", m.reactions) },
            count("comments", m.comments),
            count("shares", m.shares),
            count("clicks", m.clicks),
            count("saves", m.saves),
            count("video_views", m.video_views),
            if youtube { net("follows", m.follows) } else { count("follows", m.follows) },
            count("engagements", m.engagements),
            m.watch_seconds.filter(|s| !(0..=3_600_000_000_000).contains(s)).map(|s| format!("watch_seconds = {s}")),
        ];
        if let Some(p) = problems.into_iter().flatten().next() {
            return Some(format!("post {}: {p}", m.post_id));
        }
    }
    for d in &ds.channel_days {
        let problems = [
            count("followers", d.followers),
            count("new_followers", d.new_followers),
            count("lost_followers", d.lost_followers),
            count("impressions", d.impressions),
            count("engagements", d.engagements),
            count("page_views", d.page_views),
            count("unique_visitors", d.unique_visitors),
            count("profile_visits", d.profile_visits),
            count("video_views", d.video_views),
            count("posts_published", d.posts_published),
        ];
        if let Some(p) = problems.into_iter().flatten().next() {
            return Some(format!("channel day {:?}: {p}", d.date));
        }
    }
    for e in &ds.time_entries {
        if !(0..=168 * 60).contains(&e.minutes) {
            return Some(format!("time entry {}: {} minutes", e.key, e.minutes));
        }
    }
    for a in &ds.activities {
        let problems = [count("volume", a.volume), count("reach", a.reach), count("clicks", a.clicks)];
        if let Some(p) = problems.into_iter().flatten().next() {
            return Some(format!("activity {}: {p}", a.key));
        }
    }
    let money = ds
        .activities
        .iter()
        .filter_map(|a| a.spend)
        .chain(ds.cost_items.iter().map(|c| c.amount))
        .chain(ds.deals.iter().filter_map(|d| d.amount))
        .chain(ds.people.iter().filter_map(|p| p.hourly_cost));
    for m in money {
        if m.minor.unsigned_abs() > MAX_MONEY_MINOR as u64 {
            return Some(format!("an amount of {} minor units", m.minor));
        }
    }
    for s in &ds.audience {
        if let Some(p) = count("count", Some(s.count)) {
            return Some(format!("audience slice {}: {p}", s.value));
        }
    }
    None
}

/// Why an error is not acceptable, if it is not.
fn bad_error(name: &str, e: &ImportError, workbook: bool) -> Option<String> {
    let text = e.to_string();
    if e.file() != Some(name) {
        return Some(format!("the error does not name the file: {text}"));
    }
    for line in text.lines() {
        let named = line.starts_with(name) || line.starts_with("... and ") || line.starts_with("nothing was imported");
        if !named {
            return Some(format!("a line of the error does not name the file: {line:?}"));
        }
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Some(format!("the error holds a control character: {text:?}"));
    }
    // A panic of our own code is a bug; one inside the spreadsheet reader is caught as a last resort.
    let caught = text.contains("failed on malformed data");
    let third_party = text.contains("the XLS reader failed") || text.contains("the XLSX reader failed");
    if caught && !(workbook && third_party) {
        return Some(format!("a panic was caught: {text}"));
    }
    None
}

#[test]
fn every_parser_survives_thousands_of_mutated_inputs() {
    let inputs = env_number("SOCIALLEDGER_FUZZ_INPUTS").map_or(DEFAULT_INPUTS, |n| n as usize);
    let seed = env_number("SOCIALLEDGER_FUZZ_SEED").unwrap_or(12);
    let seeds = seeds();
    let opts = ImportOptions::default();
    let mut rng = Rng(seed);
    let (mut imported, mut rejected) = (0usize, 0usize);
    let mut failures = Vec::new();
    let mut seconds_per_seed = vec![0f64; seeds.len()];
    let started = Instant::now();
    for i in 0..inputs {
        let (seed_name, seed_bytes, workbook) = &seeds[i % seeds.len()];
        let (mut name, mut bytes) = (seed_name.clone(), seed_bytes.clone());
        for _ in 0..1 + rng.below(3) {
            mutate_once(&mut rng, &mut name, &mut bytes, *workbook);
        }
        let one = Instant::now();
        let result = import_file(Path::new(&name), &bytes, &opts);
        seconds_per_seed[i % seeds.len()] += one.elapsed().as_secs_f64();
        let verdict = match result {
            Ok(parsed) => {
                imported += 1;
                implausible(parsed.format, &parsed.dataset).map(|why| format!("imported as {}: {why}", parsed.format))
            }
            Err(e) => {
                rejected += 1;
                bad_error(&name, &e, *workbook)
            }
        };
        if let Some(why) = verdict {
            failures.push(format!("input {i} (seed {seed}) from {seed_name} as {name:?}: {why}"));
        }
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "fuzz: {inputs} inputs from {} seeds (seed {seed}) in {secs:.1} s = {:.0} inputs/s; {imported} imported, \
         {rejected} rejected",
        seeds.len(),
        inputs as f64 / secs.max(1e-9)
    );
    let mut slowest: Vec<(f64, &str)> = seeds.iter().zip(&seconds_per_seed).map(|(s, t)| (*t, s.0.as_str())).collect();
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    eprintln!("fuzz: slowest seeds: {:?}", &slowest[..3.min(slowest.len())]);
    assert!(failures.is_empty(), "{} of {inputs} inputs failed:\n{}", failures.len(), failures.join("\n"));
    assert!(imported > inputs / 20 && rejected > inputs / 20, "the mutations are too mild or too harsh");
}
