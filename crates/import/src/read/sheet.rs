//! Spreadsheets (XLS, XLSX, XLSM) to one [`Table`] per sheet, every cell as the text a person would type.
//!
//! Workbooks are untrusted input, so nothing reaches the spreadsheet reader (calamine) unchecked: a damaged file
//! must end in an error, never in a process that aborts while allocating what a corrupt size field asks for
//! (an allocation failure cannot be caught). Before calamine runs:
//!
//! * the file is at most [`MAX_WORKBOOK_BYTES`];
//! * an XLS file's OLE2 container is read by the `cfb` crate, which validates every sector chain against the file
//!   (no loops, no sector past the end), and only its `Workbook` stream is handed on, re-wrapped in a container we
//!   write ourselves; the BIFF records of that stream are scanned and a sheet whose declared dimensions or cell
//!   positions span more than [`MAX_SHEET_CELLS`] cells is refused (calamine allocates the whole rectangle);
//! * an XLSX file's zip directory is read, its declared uncompressed size is bounded, and the shared-string count
//!   (calamine reserves that many strings up front) must be plausible; its cells are then streamed one by one,
//!   never as a rectangle.
//!
//! Whatever calamine still panics on becomes an error ([`super::guard::catch_panic`]).

use super::guard::catch_panic;
use super::{Cells, RawRow, Table};
use calamine::{Data, Reader};
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

/// The largest workbook read, in bytes (real exports are well under 1 MB).
pub const MAX_WORKBOOK_BYTES: usize = 64 << 20;
/// The largest rectangle of cells one sheet may span (rows x columns): 4,194,304.
pub const MAX_SHEET_CELLS: u64 = 1 << 22;
/// The largest total uncompressed size of an XLSX file's parts.
const MAX_UNZIPPED_BYTES: u64 = 512 << 20;

const OLE_SIGNATURE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Reads every sheet of a workbook. Numbers are written without a spurious `.0` (`15.0` -> `15`) and otherwise in
/// Rust's shortest round-trip form, so rates keep full precision; dates become `YYYY-MM-DD` (with ` HH:MM:SS` when
/// they carry a time); empty cells are `""`. Row numbers are the spreadsheet's own (1-based).
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Table>, String> {
    if bytes.len() > MAX_WORKBOOK_BYTES {
        return Err(format!(
            "the workbook is {} MB, more than the {} MB socialledger reads; export a shorter period or save it as CSV",
            bytes.len() >> 20,
            MAX_WORKBOOK_BYTES >> 20
        ));
    }
    if bytes.starts_with(OLE_SIGNATURE) {
        let clean = xls_workbook(bytes)?;
        return catch_panic("the XLS reader", || read_xls(clean));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        check_xlsx(bytes)?;
        return catch_panic("the XLSX reader", || read_xlsx(bytes));
    }
    Err("not a workbook socialledger reads: only XLS and XLSX files are; save it as .xlsx or CSV".into())
}

/// The `Workbook` stream of an XLS file, checked, in a freshly written OLE2 container.
fn xls_workbook(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let damaged = |e: std::io::Error| format!("the XLS file is damaged ({}); download it again", e);
    let stream = catch_panic("the XLS container reader", || {
        let mut book = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(damaged)?;
        let path = book
            .read_root_storage()
            .find(|e| e.is_stream() && ["workbook", "book"].contains(&e.name().to_ascii_lowercase().as_str()))
            .map(|e| e.path().to_path_buf())
            .ok_or_else(|| "not an Excel workbook: the XLS file has no Workbook stream".to_string())?;
        let mut s = book.open_stream(&path).map_err(damaged)?;
        if s.len() > bytes.len() as u64 {
            return Err(
                "the XLS file is damaged (its Workbook stream is longer than the file); download it again".into()
            );
        }
        let mut data = Vec::with_capacity(s.len() as usize);
        s.read_to_end(&mut data).map_err(damaged)?;
        Ok(data)
    })?;
    check_biff(&stream)?;
    let rewrap = || -> std::io::Result<Vec<u8>> {
        let mut out = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
        out.create_stream("/Workbook")?.write_all(&stream)?;
        out.flush()?;
        Ok(out.into_inner().into_inner())
    };
    rewrap().map_err(|e| format!("the XLS file could not be prepared for reading ({e})"))
}

/// The bounding box of the cells a BIFF substream places.
#[derive(Default)]
struct Span {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Span {
    fn add(&mut self, row: u32, col: u32) {
        let widen = |s: &mut Option<(u32, u32)>, v: u32| {
            *s = Some(s.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))));
        };
        widen(&mut self.rows, row);
        widen(&mut self.cols, col);
    }
    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1) as u64 * (c1 - c0 + 1) as u64,
            _ => 0,
        }
    }
}

/// Scans the BIFF records of a workbook stream for the sizes calamine allocates from: every sheet's declared
/// dimensions and the rectangle its cells span must stay within [`MAX_SHEET_CELLS`].
fn check_biff(stream: &[u8]) -> Result<(), String> {
    let too_big = |cells: u64| {
        format!(
            "the XLS file is damaged or not an export: a sheet spans {cells} cells, more than the {MAX_SHEET_CELLS} \
             socialledger reads; download it again or save it as CSV"
        )
    };
    let u16_at = |d: &[u8], i: usize| d.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as u32);
    let u32_at = |d: &[u8], i: usize| d.get(i..i + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    // One box for the whole stream: a sheet's box can only be smaller, so this bounds every sheet.
    let mut span = Span::default();
    let mut at = 0usize;
    while at + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = u16::from_le_bytes([stream[at + 2], stream[at + 3]]) as usize;
        let Some(d) = stream.get(at + 4..at + 4 + len) else { break };
        at += 4 + len;
        match typ {
            // BoundSheet8: where a sheet's records start; calamine slices the stream there.
            0x0085 if u32_at(d, 0).is_some_and(|pos| pos as usize >= stream.len()) => {
                return Err(
                    "the XLS file is damaged (a sheet starts past the end of the workbook); download it again".into()
                );
            }
            // Dimensions: calamine reserves rows x columns cells.
            0x0200 => {
                let dims = match len {
                    10 => (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6)),
                    14 | 16 => (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10)),
                    _ => continue,
                };
                let (Some(rf), Some(rl), Some(cf), Some(cl)) = dims else { continue };
                let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                let (er, ec) = if rl >= 1 && cl >= 1 { (rl - 1, cl - 1) } else { (rf, cf) };
                if er < rf || ec < cf {
                    return Err("the XLS file is damaged (a sheet's dimensions end before they start); download it \
                                again"
                        .into());
                }
                let cells = (er - rf + 1) as u64 * (ec - cf + 1) as u64;
                if cells > MAX_SHEET_CELLS {
                    return Err(too_big(cells));
                }
            }
            // Cell records: Number, Label, RString, BoolErr, RK, LabelSst, Formula, Blank.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x0201 => {
                if let (Some(row), Some(col)) = (u16_at(d, 0), u16_at(d, 2)) {
                    span.add(row, col);
                }
            }
            // MulRk and MulBlank: a row, the first column, ..., the last column.
            0x00BD | 0x00BE if len >= 6 => {
                if let (Some(row), Some(first), Some(last)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, len - 2)) {
                    span.add(row, first);
                    span.add(row, last);
                }
            }
            _ => {}
        }
        if span.cells() > MAX_SHEET_CELLS {
            return Err(too_big(span.cells()));
        }
    }
    Ok(())
}

/// Reads a checked XLS container with calamine.
fn read_xls(clean: Vec<u8>) -> Result<Vec<Table>, String> {
    let mut book: calamine::Xls<_> = calamine::Xls::new(Cursor::new(clean)).map_err(|e| e.to_string())?;
    let mut tables = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| format!("sheet {name:?}: {e}"))?;
        let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
        let first_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
        let mut rows = Vec::with_capacity(range.height());
        for (i, row) in range.rows().enumerate() {
            let mut cells: Vec<String> = Vec::with_capacity(first_col + row.len());
            cells.resize(first_col, String::new());
            cells.extend(row.iter().map(cell_text));
            if let Some(row) = raw_row(first_row + i, cells) {
                rows.push(row);
            }
        }
        tables.push(Table { sheet: Some(name), comments: Vec::new(), rows, cut_at: None });
    }
    Ok(tables)
}

/// A row of cell texts without its trailing empty cells; `None` when nothing is left.
fn raw_row(index: usize, mut cells: Vec<String>) -> Option<RawRow> {
    while cells.last().is_some_and(String::is_empty) {
        cells.pop();
    }
    (!cells.is_empty()).then(|| RawRow { line: index + 1, cells: Cells::from_strings(cells) })
}

/// Checks an XLSX file's zip directory before calamine opens it: the parts' total uncompressed size, and the
/// shared-string count calamine reserves room for.
fn check_xlsx(bytes: &[u8]) -> Result<(), String> {
    let damaged = |e: zip::result::ZipError| format!("the XLSX file is damaged ({e}); download it again");
    catch_panic("the XLSX container reader", || {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
        let mut total = 0u64;
        for i in 0..zip.len() {
            total = total.saturating_add(zip.by_index_raw(i).map_err(damaged)?.size());
        }
        if total > MAX_UNZIPPED_BYTES {
            return Err(format!(
                "the XLSX file unpacks to {} MB, more than the {} MB socialledger reads; save it as CSV",
                total >> 20,
                MAX_UNZIPPED_BYTES >> 20
            ));
        }
        let Ok(strings) = zip.by_name("xl/sharedStrings.xml") else { return Ok(()) };
        let mut head = Vec::new();
        strings.take(1 << 20).read_to_end(&mut head).map_err(|e| format!("the XLSX file is damaged ({e})"))?;
        match shared_string_count(&head) {
            Some(n) if n > MAX_SHEET_CELLS => Err(format!(
                "the XLSX file is damaged or not an export: it declares {n} shared strings; download it again"
            )),
            _ => Ok(()),
        }
    })
}

/// The `uniqueCount` attribute of the `sst` element at the start of `sharedStrings.xml`; `u64::MAX` for a number
/// too long to read (calamine would still try).
fn shared_string_count(xml: &[u8]) -> Option<u64> {
    let key = b"uniqueCount";
    let at = xml.windows(key.len()).position(|w| w == key)? + key.len();
    let rest = &xml[at..];
    let rest = rest.trim_ascii_start().strip_prefix(b"=")?.trim_ascii_start();
    let quote = *rest.first()?;
    let digits: Vec<u8> = rest[1..].iter().copied().take_while(|&b| b != quote).collect();
    let digits = digits.trim_ascii();
    let digits = digits.strip_prefix(b"+").unwrap_or(digits);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(std::str::from_utf8(digits).ok()?.parse::<u64>().unwrap_or(u64::MAX))
}

/// Reads a checked XLSX file with calamine, cell by cell: a sheet whose cells are far apart costs only its cells.
fn read_xlsx(bytes: &[u8]) -> Result<Vec<Table>, String> {
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut tables = Vec::new();
    for name in book.sheet_names() {
        let mut reader = book.worksheet_cells_reader(&name).map_err(|e| format!("sheet {name:?}: {e}"))?;
        let mut by_row: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
        let mut width = 0u64;
        while let Some(cell) = reader.next_cell().map_err(|e| format!("sheet {name:?}: {e}"))? {
            let (row, col) = cell.get_position();
            let text = cell_text(&Data::from(cell.get_value().clone()));
            if text.is_empty() {
                continue;
            }
            let cells = by_row.entry(row).or_default();
            let before = cells.iter().map(|(c, _)| *c).max().map_or(0, |c| c as u64 + 1);
            cells.push((col, text));
            width += (col as u64 + 1).saturating_sub(before);
            if width > MAX_SHEET_CELLS {
                return Err(format!(
                    "sheet {name:?} spans more than {MAX_SHEET_CELLS} cells; the file is damaged or not an export"
                ));
            }
        }
        drop(reader);
        let rows = by_row
            .into_iter()
            .filter_map(|(row, mut cells)| {
                cells.sort_by_key(|(c, _)| *c);
                let mut texts = Vec::new();
                for (col, text) in cells {
                    texts.resize(col as usize, String::new());
                    texts.push(text);
                }
                raw_row(row as usize, texts)
            })
            .collect();
        tables.push(Table { sheet: Some(name), comments: Vec::new(), rows, cut_at: None });
    }
    Ok(tables)
}

/// The text of one cell.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(ndt) if ndt.time() == chrono::NaiveTime::MIN => ndt.date().to_string(),
            Some(ndt) => ndt.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => float_text(dt.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// `15.0` -> `15`, `0.07692307978868484` stays as is (shortest text that reads back to the same float).
pub fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_read_as_typed() {
        assert_eq!(float_text(15.0), "15");
        assert_eq!(float_text(-3.0), "-3");
        assert_eq!(float_text(0.07692307978868484), "0.07692307978868484");
        assert_eq!(float_text(2.5), "2.5");
        assert_eq!(cell_text(&Data::Empty), "");
        assert_eq!(cell_text(&Data::Int(7)), "7");
    }

    #[test]
    fn garbage_is_not_a_workbook() {
        assert!(read_workbook(b"PK\x03\x04 not really a zip").is_err());
        assert!(read_workbook(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 truncated").is_err());
        assert!(read_workbook(b"<office:document/>").is_err());
    }

    #[test]
    fn shared_string_counts() {
        assert_eq!(shared_string_count(br#"<sst xmlns="x" count="3" uniqueCount="2">"#), Some(2));
        assert_eq!(shared_string_count(b"<sst uniqueCount = '99999999999999999999999'>"), Some(u64::MAX));
        assert_eq!(shared_string_count(b"<sst count=\"3\">"), None);
    }

    /// A BIFF record: type, length, data.
    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    #[test]
    fn biff_sizes_are_bounded_before_calamine_sees_them() {
        let mut dims = Vec::new();
        dims.extend(0u32.to_le_bytes());
        dims.extend(0x00FF_FFFFu32.to_le_bytes());
        dims.extend([0, 0, 0xFF, 0, 0, 0]);
        let err = check_biff(&record(0x0200, &dims)).unwrap_err();
        assert!(err.contains("more than the 4194304"), "{err}");
        let mut far = record(0x0203, &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        far.extend(record(0x0203, &[0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        assert!(check_biff(&far).is_err());
        let near = record(0x0203, &[9, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(check_biff(&near), Ok(()));
        let past_the_end = record(0x0085, &[0xFF, 0, 0, 0, 0, 0, 1, 0, b'S']);
        assert!(check_biff(&past_the_end).unwrap_err().contains("starts past the end"));
    }
}
