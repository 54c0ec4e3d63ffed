//! Tiny workbooks built by hand, so that spreadsheet tests and the fuzz test need no real export: an XLS is a
//! BIFF8 `Workbook` stream (BOF, BoundSheet8, EOF; then per sheet BOF, Dimensions, Label/Number cells, EOF) in an
//! OLE2 container written with the `cfb` crate; an XLSX is the five XML parts calamine needs, stored uncompressed
//! in a zip (so byte flips hit the XML, not a deflate stream).

use std::io::{Cursor, Write};

/// One BIFF record: type, length, data.
pub fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend(typ.to_le_bytes());
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
}

/// A BIFF8 BOF record of substream type `dt` (0x0005 workbook globals, 0x0010 worksheet).
fn bof(out: &mut Vec<u8>, dt: u16) {
    let mut d = 0x0600u16.to_le_bytes().to_vec();
    d.extend(dt.to_le_bytes());
    d.extend([0u8; 12]);
    record(out, 0x0809, &d);
}

/// A UTF-16 string as BIFF8 writes it after a length field: the high-byte flag, then the code units.
fn utf16(text: &str) -> Vec<u8> {
    let mut d = vec![1u8];
    for u in text.encode_utf16() {
        d.extend(u.to_le_bytes());
    }
    d
}

/// The BIFF8 `Workbook` stream of `sheets` (name, rows of cells). A cell that reads as a number is a Number
/// record, any other non-empty cell a Label; `dimensions` overrides the Dimensions record of every sheet
/// (first row, last row + 1, first column, last column + 1).
pub fn biff(sheets: &[(&str, Vec<Vec<&str>>)], dimensions: Option<(u32, u32, u16, u16)>) -> Vec<u8> {
    let mut globals = Vec::new();
    bof(&mut globals, 0x0005);
    let mut offsets = Vec::new();
    for (name, _) in sheets {
        offsets.push(globals.len() + 4);
        let mut d = vec![0u8; 4];
        d.extend([0, 0, name.encode_utf16().count() as u8]);
        d.extend(utf16(name));
        record(&mut globals, 0x0085, &d);
    }
    record(&mut globals, 0x000A, &[]);
    let mut stream = globals;
    for (i, (_, rows)) in sheets.iter().enumerate() {
        let pos = stream.len() as u32;
        stream[offsets[i]..offsets[i] + 4].copy_from_slice(&pos.to_le_bytes());
        bof(&mut stream, 0x0010);
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        let (r0, r1, c0, c1) = dimensions.unwrap_or((0, rows.len() as u32, 0, width as u16));
        let mut d = r0.to_le_bytes().to_vec();
        d.extend(r1.to_le_bytes());
        d.extend(c0.to_le_bytes());
        d.extend(c1.to_le_bytes());
        d.extend([0, 0]);
        record(&mut stream, 0x0200, &d);
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let mut d = (r as u16).to_le_bytes().to_vec();
                d.extend((c as u16).to_le_bytes());
                d.extend(0u16.to_le_bytes());
                match cell.parse::<f64>() {
                    Ok(v) => {
                        d.extend(v.to_le_bytes());
                        record(&mut stream, 0x0203, &d);
                    }
                    Err(_) => {
                        d.extend((cell.encode_utf16().count() as u16).to_le_bytes());
                        d.extend(utf16(cell));
                        record(&mut stream, 0x0204, &d);
                    }
                }
            }
        }
        record(&mut stream, 0x000A, &[]);
    }
    stream
}

/// `stream` as the `Workbook` stream of an OLE2 compound file.
pub fn ole(stream: &[u8]) -> Vec<u8> {
    let mut book = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).unwrap();
    book.create_stream("/Workbook").unwrap().write_all(stream).unwrap();
    book.flush().unwrap();
    book.into_inner().into_inner()
}

/// An XLS file of `sheets`.
pub fn xls(sheets: &[(&str, Vec<Vec<&str>>)]) -> Vec<u8> {
    ole(&biff(sheets, None))
}

/// An XLSX file of one sheet called `name`, every cell an inline string or a number.
pub fn xlsx(name: &str, rows: &[Vec<&str>]) -> Vec<u8> {
    let esc = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let col = |c: usize| {
        let mut s = String::new();
        let mut n = c + 1;
        while n > 0 {
            s.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
            n = (n - 1) / 26;
        }
        s
    };
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", col(c), r + 1);
            match cell.parse::<f64>() {
                Ok(_) => sheet.push_str(&format!(r#"<c r="{at}"><v>{cell}</v></c>"#)),
                Err(_) => sheet.push_str(&format!(r#"<c r="{at}" t="inlineStr"><is><t>{}</t></is></c>"#, esc(cell))),
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
                esc(name)
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    zip_parts(&parts.map(|(path, text)| (path.to_string(), text)))
}

/// The parts of an XLSX file (`path`, XML text), stored uncompressed in a zip.
pub fn zip_parts(parts: &[(String, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (path, text) in parts {
        zip.start_file(path.as_str(), stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The parts of `xlsx(name, rows)`, to be edited by a test and zipped with [`zip_parts`].
pub fn xlsx_parts(name: &str, rows: &[Vec<&str>]) -> Vec<(String, String)> {
    let bytes = xlsx(name, rows);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut f, &mut text).unwrap();
            (f.name().unwrap().to_string(), text)
        })
        .collect()
}

/// A LinkedIn Company Page content export in miniature: its two sheets, with the description row above each header.
pub fn linkedin_content() -> Vec<u8> {
    xls(&linkedin_content_sheets())
}

pub fn linkedin_content_sheets() -> Vec<(&'static str, Vec<Vec<&'static str>>)> {
    vec![
        (
            "Metrics",
            vec![
                vec!["Aggregated engagement metrics for your organic and sponsored posts over time."],
                vec![
                    "Date",
                    "Impressions (organic)",
                    "Impressions (sponsored)",
                    "Impressions (total)",
                    "Clicks (total)",
                    "Reactions (total)",
                    "Comments (total)",
                    "Reposts (total)",
                    "Engagement rate (total)",
                ],
                vec!["01/14/2025", "120", "0", "120", "6", "4", "1", "1", "0.1"],
                vec!["01/15/2025", "80", "0", "80", "2", "2", "0", "0", "0.05"],
            ],
        ),
        (
            "All posts",
            vec![
                vec!["Post-level metrics for your organic and sponsored posts."],
                vec![
                    "Post title",
                    "Post link",
                    "Post type",
                    "Campaign name",
                    "Posted by",
                    "Created date",
                    "Impressions",
                    "Views",
                    "Clicks",
                    "Likes",
                    "Comments",
                    "Reposts",
                    "Follows",
                    "Engagement rate",
                ],
                vec![
                    "Launch: the new release",
                    "https://www.linkedin.com/feed/update/urn:li:activity:7300000000000000001",
                    "Organic",
                    "",
                    "Ann Example",
                    "01/14/2025",
                    "150",
                    "",
                    "6",
                    "4",
                    "1",
                    "1",
                    "",
                    "0.08",
                ],
            ],
        ),
    ]
}

/// A LinkedIn followers export in miniature: the daily gains and one demographic sheet.
pub fn linkedin_followers() -> Vec<u8> {
    xls(&[
        (
            "New followers",
            vec![
                vec!["Date", "Sponsored followers", "Organic followers", "Auto-invited followers", "Total followers"],
                vec!["01/14/2025", "0", "2", "0", "2"],
                vec!["01/15/2025", "0", "1", "0", "1"],
            ],
        ),
        ("Location", vec![vec!["Location", "Total followers"], vec!["Zürich, Switzerland", "12"]]),
    ])
}

/// A LinkedIn visitors export in miniature.
pub fn linkedin_visitors() -> Vec<u8> {
    xls(&[(
        "Visitor metrics",
        vec![
            vec!["Date", "Total page views (total)", "Total unique visitors (total)"],
            vec!["01/14/2025", "30", "12"],
            vec!["01/15/2025", "18", "9"],
        ],
    )])
}
