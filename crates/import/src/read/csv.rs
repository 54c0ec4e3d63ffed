//! Delimited text to a [`Table`]: leading `#` comment lines kept aside, the delimiter sniffed from the header,
//! quoted newlines inside one record, ragged rows allowed, and every record tagged with the line it starts on.

use super::{Cells, RawRow, Table};

/// Reads delimited text. `delimiter` forces one (`b'\t'` for `.tsv`); `None` sniffs `,`, `;` or tab.
pub fn read_csv(text: &str, delimiter: Option<u8>) -> Result<Table, String> {
    let mut comments = Vec::new();
    let mut rest = text;
    let mut skipped_lines = 0usize;
    loop {
        let trimmed = rest.trim_start_matches(['\u{feff}', ' ']);
        if !trimmed.starts_with('#') {
            break;
        }
        let (line, after) = match trimmed.find('\n') {
            Some(i) => (&trimmed[..i], &trimmed[i + 1..]),
            None => (trimmed, ""),
        };
        comments.push(line.trim_start_matches('#').trim().to_string());
        skipped_lines += 1;
        rest = after;
    }
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(rest));
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(rest.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // Lines are counted from byte offsets: the csv crate's own line count skips blank lines and CRLF.
    let bytes = rest.as_bytes();
    let (mut counted_to, mut line) = (0usize, 1 + skipped_lines);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let mut start = record.position().map(|p| p.byte() as usize).unwrap_or(counted_to).max(counted_to);
                while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                    start += 1;
                }
                line += bytes[counted_to..start].iter().filter(|&&b| b == b'\n').count();
                counted_to = start;
                rows.push(RawRow { line, cells: Cells(record.clone()) });
            }
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize + skipped_lines).unwrap_or(0);
                return Err(format!("line {line}: {e}"));
            }
        }
    }
    let cut_at = cut_row(&rest[counted_to.min(rest.len())..], &rows);
    Ok(Table { sheet: None, comments, rows, cut_at })
}

/// The line of the last row when the file looks cut off inside it (a download or copy that stopped early): the
/// row ends in an open quote, or it has fewer cells than the row before and the text has no line end after it. A
/// file without a final line end whose last row is complete is fine (GA4 writes those).
fn cut_row(last_record: &str, rows: &[RawRow]) -> Option<usize> {
    let last = rows.last()?;
    let before = rows.len().checked_sub(2).map(|i| rows[i].cells.len());
    looks_cut(last_record.as_bytes(), last.cells.len(), before).then_some(last.line)
}

/// True when the text of the last record (`last_record`, from its first byte to the end of the file) looks cut
/// off: an open quote, or fewer cells (`cells`) than the record before (`before`) and no line end after it.
pub(crate) fn looks_cut(last_record: &[u8], cells: usize, before: Option<usize>) -> bool {
    let open_quote = last_record.iter().filter(|&&b| b == b'"').count() % 2 == 1;
    let unterminated = !last_record.ends_with(b"\n") && !last_record.ends_with(b"\r");
    let short = before.is_some_and(|b| cells < b);
    open_quote || (unterminated && short)
}

/// Picks the delimiter that occurs most often outside quotes on the first line: `,` unless `;` or tab wins.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in first_line.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    if counts[2] > counts[0] && counts[2] >= counts[1] {
        b'\t'
    } else if counts[1] > counts[0] {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(t: &Table, i: usize) -> Vec<&str> {
        t.rows[i].cells.iter().collect()
    }

    #[test]
    fn quoted_newlines_keep_the_starting_line() {
        let t = read_csv("id,text\n1,\"two\nlines\"\n2,plain", None).unwrap();
        assert_eq!(t.rows.len(), 3);
        assert_eq!(cells(&t, 1), ["1", "two\nlines"]);
        assert_eq!(t.rows[1].line, 2);
        assert_eq!(t.rows[2].line, 4);
    }

    #[test]
    fn crlf_and_ragged_rows() {
        let t = read_csv("a,b,c\r\n1,2\r\n3,4,5,6\r\n", None).unwrap();
        assert_eq!(cells(&t, 1), ["1", "2"]);
        assert_eq!(cells(&t, 2), ["3", "4", "5", "6"]);
        assert_eq!(t.rows[2].line, 3);
    }

    #[test]
    fn comments_are_kept_aside_and_lines_still_count() {
        let text = "# Report\r\n# Start date: 20250201\r\n#\r\nChannel,Users\r\nDirect,12\r\n";
        let t = read_csv(text, None).unwrap();
        assert_eq!(t.comments, ["Report", "Start date: 20250201", ""]);
        assert_eq!(cells(&t, 0), ["Channel", "Users"]);
        assert_eq!(t.rows[0].line, 4);
        assert_eq!(t.rows[1].line, 5);
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        let t = read_csv("a,b\n\n1,2\n", None).unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].line, 3);
    }

    #[test]
    fn a_row_cut_short_is_flagged() {
        assert_eq!(read_csv("a,b,c\n1,2,3\n4,5", None).unwrap().cut_at, Some(3));
        assert_eq!(read_csv("a,b,c\n1,2,3\n4,\"fi", None).unwrap().cut_at, Some(3));
        assert_eq!(read_csv("a,b,c\n1,2,3\n4,\"five\nsix", None).unwrap().cut_at, Some(3));
        assert_eq!(read_csv("a,b,c\n1,2,3\n4,5,6", None).unwrap().cut_at, None);
        assert_eq!(read_csv("a,b,c\n1,2,3\n4,5\n", None).unwrap().cut_at, None);
        assert_eq!(read_csv("a,b,c\n1,\"x\"\"y\",3", None).unwrap().cut_at, None);
    }

    #[test]
    fn sniffs_semicolons_and_tabs() {
        assert_eq!(cells(&read_csv("a;b;c\n1,5;2;3\n", None).unwrap(), 1), ["1,5", "2", "3"]);
        assert_eq!(cells(&read_csv("a\tb\n1\t2\n", None).unwrap(), 1), ["1", "2"]);
        assert_eq!(cells(&read_csv("\"a;b\",c\n", None).unwrap(), 0), ["a;b", "c"]);
    }
}
