//! Spreadsheets (XLS, XLSX, XLSM, ODS) to one [`Table`] per sheet, every cell as the text a person would type.

use super::{Cells, RawRow, Table};
use calamine::{Data, Reader};

/// Reads every sheet of a workbook. Numbers are written without a spurious `.0` (`15.0` -> `15`) and otherwise in
/// Rust's shortest round-trip form, so rates keep full precision; dates become `YYYY-MM-DD` (with ` HH:MM:SS` when
/// they carry a time); empty cells are `""`. Row numbers are the spreadsheet's own (1-based).
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Table>, String> {
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
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
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            if cells.is_empty() {
                continue;
            }
            rows.push(RawRow { line: first_row + i + 1, cells: Cells::from_strings(cells) });
        }
        tables.push(Table { sheet: Some(name), comments: Vec::new(), rows });
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
    }
}
