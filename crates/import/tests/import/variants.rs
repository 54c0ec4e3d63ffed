//! The same canonical file saved the ways spreadsheets and editors save it (CRLF, BOM, Windows-1252, UTF-16,
//! no final newline, semicolons) imports to the same records.

use crate::support::{example, example_bytes, import_as};
use socialledger_import::ImportOptions;

fn variants(utf8: &str) -> Vec<(&'static str, Vec<u8>)> {
    let crlf = utf8.replace('\n', "\r\n");
    let (cp1252, _, lossy) = encoding_rs::WINDOWS_1252.encode(utf8);
    assert!(!lossy, "the example must be representable in Windows-1252");
    let (cp1252_crlf, _, _) = encoding_rs::WINDOWS_1252.encode(&crlf);
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in crlf.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    vec![
        ("crlf", crlf.clone().into_bytes()),
        ("bom", [b"\xEF\xBB\xBF".as_slice(), utf8.as_bytes()].concat()),
        ("bom+crlf", [b"\xEF\xBB\xBF".as_slice(), crlf.as_bytes()].concat()),
        ("no final newline", utf8.trim_end_matches('\n').as_bytes().to_vec()),
        ("windows-1252", cp1252.into_owned()),
        ("windows-1252+crlf", cp1252_crlf.into_owned()),
        ("utf-16le", utf16),
    ]
}

#[test]
fn contacts_parse_identically_in_every_encoding_and_line_ending() {
    let original = example("contacts.csv");
    let utf8 = String::from_utf8(example_bytes("contacts.csv")).unwrap();
    assert!(utf8.contains("Jürgen Hölzl") && utf8.contains("Åsa"), "the example has non-ASCII names to decode");
    for (what, bytes) in variants(&utf8) {
        assert_ne!(bytes, utf8.as_bytes(), "{what} is a real variant");
        let parsed =
            import_as("contacts.csv", &bytes, &ImportOptions::default()).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(parsed.format, original.format, "{what}");
        assert_eq!(parsed.rows, original.rows, "{what}");
        assert_eq!(parsed.dataset, original.dataset, "{what}");
    }
}

#[test]
fn posts_with_a_quoted_newline_parse_identically_with_crlf_and_bom() {
    let original = example("posts.csv");
    let utf8 = String::from_utf8(example_bytes("posts.csv")).unwrap();
    let crlf = utf8.replace('\n', "\r\n");
    let bom_crlf = [b"\xEF\xBB\xBF".as_slice(), crlf.as_bytes()].concat();
    let parsed = import_as("posts.csv", &bom_crlf, &ImportOptions::default()).unwrap();
    // The CRLF inside the quoted text is kept as written; everything else is identical.
    let mut expected = original.dataset.clone();
    for p in &mut expected.posts {
        p.text = p.text.take().map(|t| t.replace('\n', "\r\n"));
    }
    assert_eq!(parsed.dataset, expected);
}

#[test]
fn semicolon_separated_files_are_read_too() {
    let original = example("people.csv");
    let utf8 = String::from_utf8(example_bytes("people.csv")).unwrap();
    assert!(!utf8.contains(';'));
    let semicolons = utf8.replace(',', ";");
    let parsed = import_as("people.csv", semicolons.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(parsed.dataset, original.dataset);
}

#[test]
fn shuffled_upper_case_columns_with_extra_ones_parse_the_same() {
    let original = example("deals.csv");
    let utf8 = String::from_utf8(example_bytes("deals.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(utf8.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    for (i, row) in rows.iter().enumerate() {
        let mut cells: Vec<String> = row.iter().rev().map(str::to_string).collect();
        if i == 0 {
            cells = cells.into_iter().map(|c| format!(" {} ", c.to_uppercase())).collect();
            cells.push("internal_note".into());
        } else {
            cells.push("ignore me".into());
        }
        writer.write_record(&cells).unwrap();
    }
    let bytes = writer.into_inner().unwrap();
    let parsed = import_as("deals.csv", &bytes, &ImportOptions::default()).unwrap();
    assert_eq!(parsed.dataset, original.dataset);
    assert_eq!(parsed.notes.len(), 1);
    assert!(parsed.notes[0].contains("ignored column(s) internal_note"), "{:?}", parsed.notes);
}
