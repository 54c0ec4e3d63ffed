//! Control series for a mix panel built from the database, read from a CSV (or sheet) the user keeps
//! (`socialledger mmm fit --controls-csv FILE`): price changes, launches, strikes, anything that moves the
//! outcome and is not a channel.
//!
//! The file has a `date` column and one or more numeric columns; every column but `date` is a control, named by
//! its header. [`read_controls`] checks the cells; [`join_controls`] puts each row into the panel period that
//! contains its date (for a weekly panel the week's Monday or any other day of that week; for a daily panel the
//! day) and adds one control series per column. Strict on purpose: a control that is silently 0 where the file
//! says nothing would tell the model that nothing happened. So every panel period must have exactly one row;
//! rows outside the panel are ignored with a note (a file kept for years can serve any `--from`/`--to`).
//!
//! Errors name `FILE:ROW:COLUMN`, what is wrong and what to do; all of a file's errors are reported at once
//! ([`PanelError`], as for a panel CSV).

use crate::error::{CellError, ErrorSink};
use crate::panel_csv::PanelError;
use crate::parse::{parse_date, parse_f64, DateFormat};
use crate::read::{normalize_header, read_tables};
use chrono::NaiveDate;
use socialledger_mmm::{ControlSeries, Frequency, Panel};

/// The name of the date column.
pub const DATE_COLUMN: &str = "date";

/// A controls file, checked cell by cell but not yet matched to a panel.
#[derive(Clone, Debug, PartialEq)]
pub struct ControlsFile {
    /// The file name as the user gave it (for messages).
    pub file: String,
    /// The sheet of a workbook; `None` for CSV.
    pub sheet: Option<String>,
    /// The control columns' names as the header writes them (trimmed), in file order.
    pub names: Vec<String>,
    pub rows: Vec<ControlRow>,
}

/// One data row of a controls file.
#[derive(Clone, Debug, PartialEq)]
pub struct ControlRow {
    /// The file line (or sheet row) the row starts on.
    pub line: usize,
    pub date: NaiveDate,
    /// One finite value per control, in the order of [`ControlsFile::names`].
    pub values: Vec<f64>,
}

/// What joining a controls file changed, for the notes of the panel.
#[derive(Clone, Debug, PartialEq)]
pub struct JoinedControls {
    /// The controls added to the panel.
    pub added: Vec<String>,
    /// Rows whose date falls outside the panel, ignored.
    pub ignored_rows: usize,
    /// First and last date of the ignored rows.
    pub ignored_range: Option<(NaiveDate, NaiveDate)>,
}

impl JoinedControls {
    /// One plain sentence on what was added and ignored, naming the file.
    pub fn note(&self, file: &str) -> String {
        let s = if self.added.len() == 1 { "" } else { "s" };
        let mut text = format!("{} control{s} from {file}: {}", self.added.len(), self.added.join(", "));
        if let Some((first, last)) = self.ignored_range {
            let rows = if self.ignored_rows == 1 { "row" } else { "rows" };
            text.push_str(&format!("; {} {rows} outside the panel ({first} to {last}) ignored", self.ignored_rows));
        }
        text.push('.');
        text
    }
}

fn cell_error(
    file: &str,
    sheet: &Option<String>,
    row: usize,
    column: Option<&str>,
    message: String,
    hint: &str,
) -> CellError {
    CellError {
        file: file.into(),
        sheet: sheet.clone(),
        row,
        column: column.map(str::to_string),
        message,
        hint: (!hint.is_empty()).then(|| hint.to_string()),
    }
}

fn cells(sink: ErrorSink) -> PanelError {
    let (errors, more, _) = sink.into_parts();
    PanelError::Cells { errors, more }
}

/// Reads the controls of `file` (its name as the user gave it) from `bytes`: a `date` column of ISO dates
/// (YYYY-MM-DD) and one or more columns of finite numbers. Never panics; every bad cell is reported.
pub fn read_controls(file: &str, bytes: &[u8]) -> Result<ControlsFile, PanelError> {
    let tables =
        read_tables(file, bytes).map_err(|reason| PanelError::File(format!("{file}: cannot be read: {reason}")))?;
    let Some(table) = tables.into_iter().find(|t| t.rows.iter().any(|r| !r.is_blank())) else {
        return Err(PanelError::File(format!("{file}: the file is empty; write a date column and the controls")));
    };
    if let Some(line) = table.cut_at {
        return Err(PanelError::File(format!(
            "{file}:{line}: the file looks truncated at row {line}; write or download it again"
        )));
    }
    let Some(head) = table.header(&[DATE_COLUMN]) else {
        return Err(PanelError::File(format!(
            "{file}: no column named {DATE_COLUMN} (columns: {}); the first column should be `date` (YYYY-MM-DD) \
             and the others the controls",
            table.first_row_cells().join(", ")
        )));
    };
    let sheet = table.sheet.clone();
    let header_line = head.header_line();
    let data: Vec<_> = head.data().iter().filter(|r| !r.is_blank()).collect();
    let mut sink = ErrorSink::default();
    let mut date_i = None;
    // (column index, name) of every control column.
    let mut columns: Vec<(usize, String)> = Vec::new();
    for (i, name) in head.headers.iter().enumerate() {
        let norm = normalize_header(name);
        if norm == DATE_COLUMN {
            if date_i.is_some() {
                sink.push(cell_error(file, &sheet, header_line, Some(name), "a second date column".into(), "keep one"));
            }
            date_i = Some(i);
        } else if norm.is_empty() {
            // A trailing separator makes an empty, nameless column: harmless. A nameless column with values is not.
            if data.iter().any(|r| !r.cell(i).trim().is_empty()) {
                sink.push(cell_error(
                    file,
                    &sheet,
                    header_line,
                    None,
                    format!("column {} has values but no name", i + 1),
                    "name it in the header row (the name becomes the control's name) or delete it",
                ));
            }
        } else if columns.iter().any(|(_, n)| normalize_header(n) == norm) {
            sink.push(cell_error(
                file,
                &sheet,
                header_line,
                Some(name),
                "the column name is used twice".into(),
                "give every control its own name",
            ));
        } else {
            columns.push((i, name.clone()));
        }
    }
    let date_i = date_i.unwrap_or(0);
    if columns.is_empty() {
        return Err(PanelError::File(format!(
            "{file}: no control column beside {DATE_COLUMN}; add one numeric column per control (events, price \
             changes)"
        )));
    }
    if data.is_empty() {
        return Err(PanelError::File(format!("{file}: no rows below the header; add one row per period")));
    }
    let width = head.headers.len();
    let mut rows = Vec::with_capacity(data.len());
    for raw in data {
        if (width..raw.cells.len()).any(|i| !raw.cell(i).trim().is_empty()) {
            sink.push(cell_error(
                file,
                &sheet,
                raw.line,
                None,
                format!("the row has {} cells, the header {width}", raw.cells.len()),
                "check for a separator inside a value, or name the extra column in the header",
            ));
            continue;
        }
        let text = raw.cell(date_i);
        let date = match parse_date(text, &[DateFormat::Iso]) {
            Ok(d) => Some(d),
            Err(message) => {
                sink.push(cell_error(file, &sheet, raw.line, Some(DATE_COLUMN), message, ""));
                None
            }
        };
        let mut values = Vec::with_capacity(columns.len());
        for (i, name) in &columns {
            let text = raw.cell(*i);
            let value = if text.trim().is_empty() {
                Err(("the value is missing".to_string(), "write 0 if nothing happened in the period"))
            } else {
                match text.trim().parse::<f64>() {
                    Ok(v) if !v.is_finite() => {
                        Err((format!("{text:?} is not a finite number"), "write a number such as 1 or 0.5"))
                    }
                    _ => parse_f64(text).map_err(|m| (m, "")),
                }
            };
            match value {
                Ok(v) => values.push(v),
                Err((message, hint)) => sink.push(cell_error(file, &sheet, raw.line, Some(name), message, hint)),
            }
        }
        if let Some(date) = date {
            if values.len() == columns.len() {
                rows.push(ControlRow { line: raw.line, date, values });
            }
        }
    }
    if !sink.is_empty() {
        return Err(cells(sink));
    }
    Ok(ControlsFile { file: file.into(), sheet, names: columns.into_iter().map(|(_, n)| n).collect(), rows })
}

/// The first day of the panel period that contains `date`, counted from the panel's first period (so a weekly
/// panel of Monday weeks maps every day to its Monday). `None` when the panel is empty or the date is absurdly
/// far away.
fn period_of(panel: &Panel, date: NaiveDate) -> Option<NaiveDate> {
    let first = *panel.dates.first()?;
    let days = panel.frequency.days();
    let offset = (date - first).num_days().div_euclid(days);
    first.checked_add_signed(chrono::Duration::try_days(offset.checked_mul(days)?)?)
}

/// Adds the file's controls to `panel`, one series per column, after checking that every panel period has
/// exactly one row. Rows outside the panel are ignored (and counted). The panel is unchanged on error.
pub fn join_controls(panel: &mut Panel, controls: &ControlsFile) -> Result<JoinedControls, PanelError> {
    let file = controls.file.as_str();
    let sheet = &controls.sheet;
    let mut sink = ErrorSink::default();
    let unit = match panel.frequency {
        Frequency::Weekly => "week",
        Frequency::Daily => "day",
    };
    for name in &controls.names {
        if panel.controls.iter().any(|c| normalize_header(&c.name) == normalize_header(name)) {
            sink.push(cell_error(
                file,
                sheet,
                controls.rows.first().map_or(1, |r| r.line.saturating_sub(1).max(1)),
                Some(name),
                format!("the panel already has a control named {name} (from the database's activities)"),
                "rename the column",
            ));
        }
    }
    let n = panel.len();
    // Row (index into controls.rows) of each panel period.
    let mut of_period: Vec<Option<usize>> = vec![None; n];
    let (mut ignored_rows, mut ignored_range) = (0usize, None::<(NaiveDate, NaiveDate)>);
    let mut file_range: Option<(NaiveDate, NaiveDate)> = None;
    for (k, row) in controls.rows.iter().enumerate() {
        let Some(start) = period_of(panel, row.date) else {
            sink.push(cell_error(
                file,
                sheet,
                row.line,
                Some(DATE_COLUMN),
                format!("{} is out of range", row.date),
                "",
            ));
            continue;
        };
        file_range = Some(file_range.map_or((start, start), |(a, b)| (a.min(start), b.max(start))));
        let index = panel.dates.binary_search(&start).ok();
        let Some(i) = index else {
            ignored_rows += 1;
            ignored_range =
                Some(ignored_range.map_or((row.date, row.date), |(a, b)| (a.min(row.date), b.max(row.date))));
            continue;
        };
        if let Some(other) = of_period[i] {
            sink.push(cell_error(
                file,
                sheet,
                row.line,
                Some(DATE_COLUMN),
                format!("{} falls in the {unit} of {start}, as row {} does", row.date, controls.rows[other].line),
                &format!("write one row per {unit} (sum or average the values yourself)"),
            ));
        } else {
            of_period[i] = Some(k);
        }
    }
    // Periods inside the file's range without a row: the file skipped them.
    if let Some((lo, hi)) = file_range {
        for (i, date) in panel.dates.iter().enumerate() {
            if of_period[i].is_some() || *date < lo || *date > hi {
                continue;
            }
            // Name the row after the gap, so the user knows where to insert.
            let next = controls.rows.iter().filter(|r| r.date > *date).min_by_key(|r| r.date);
            sink.push(cell_error(
                file,
                sheet,
                next.map_or(1, |r| r.line),
                Some(DATE_COLUMN),
                format!("no row for the {unit} of {date}"),
                &format!("add a row dated {date} (0 if nothing happened); a missing {unit} is never taken as 0"),
            ));
        }
    }
    if !sink.is_empty() {
        return Err(cells(sink));
    }
    // Periods of the panel before or after everything the file covers.
    let uncovered: Vec<NaiveDate> =
        panel.dates.iter().zip(&of_period).filter(|(_, row)| row.is_none()).map(|(d, _)| *d).collect();
    if let (Some(first), Some(last)) = (uncovered.first(), uncovered.last()) {
        let covers = file_range.map_or("no period of the panel".to_string(), |(a, b)| format!("{a} to {b}"));
        let (p0, p1) = (panel.dates[0], panel.dates[n - 1]);
        return Err(PanelError::File(format!(
            "{file}: the file covers the {unit}s {covers}, the panel runs from {p0} to {p1}; {} {unit}s of the \
             panel ({first} to {last}) have no row: add rows for them (0 if nothing happened) or narrow the panel \
             with --from/--to",
            uncovered.len()
        )));
    }
    for (c, name) in controls.names.iter().enumerate() {
        let values: Vec<f64> = of_period.iter().map(|k| k.map_or(0.0, |k| controls.rows[k].values[c])).collect();
        if values.iter().all(|v| *v == 0.0) {
            sink.push(cell_error(
                file,
                sheet,
                controls.rows.first().map_or(1, |r| r.line),
                Some(name),
                format!("the control is 0 in every {unit} of the panel ({} to {})", panel.dates[0], panel.dates[n - 1]),
                "it tells the model nothing there: delete the column or widen the panel",
            ));
        }
    }
    if !sink.is_empty() {
        return Err(cells(sink));
    }
    for (c, name) in controls.names.iter().enumerate() {
        let values = of_period.iter().map(|k| k.map_or(0.0, |k| controls.rows[k].values[c])).collect();
        panel.controls.push(ControlSeries { name: name.clone(), values });
    }
    Ok(JoinedControls { added: controls.names.clone(), ignored_rows, ignored_range })
}

#[cfg(test)]
mod tests {
    use super::*;
    use socialledger_mmm::{ChannelGroup, InputKind, MediaSeries};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A weekly panel of `n` Monday weeks from 2025-01-06, with one activity control.
    fn panel(n: usize) -> Panel {
        let dates: Vec<NaiveDate> = (0..n).map(|i| d("2025-01-06") + chrono::Days::new(7 * i as u64)).collect();
        Panel {
            frequency: Frequency::Weekly,
            target_name: "pipeline".into(),
            target: vec![1.0; n],
            currency: "EUR".into(),
            channels: vec![MediaSeries {
                key: "linkedin".into(),
                name: "LinkedIn".into(),
                input: InputKind::Hours,
                group: ChannelGroup::Social,
                values: vec![1.0; n],
                cost: vec![50.0; n],
            }],
            controls: vec![ControlSeries { name: "event_activities".into(), values: vec![0.0; n] }],
            dates,
        }
    }

    fn read(text: &str) -> Result<ControlsFile, PanelError> {
        read_controls("controls.csv", text.as_bytes())
    }

    fn errors(err: PanelError) -> Vec<String> {
        match err {
            PanelError::Cells { errors, .. } => errors.iter().map(|e| e.to_string()).collect(),
            PanelError::File(text) => vec![text],
        }
    }

    #[test]
    fn joins_any_day_of_a_week_onto_its_monday() {
        let f = read("date,price_change,launch\n2025-01-06,0,1\n2025-01-15,1.5,0\n2025-01-26,\"1,000\",0\n").unwrap();
        assert_eq!(f.names, ["price_change", "launch"]);
        let mut p = panel(3);
        let joined = join_controls(&mut p, &f).unwrap();
        assert_eq!(joined.added, ["price_change", "launch"]);
        assert_eq!(joined.ignored_rows, 0);
        assert_eq!(p.controls.len(), 3);
        assert_eq!(p.controls[1].name, "price_change");
        assert_eq!(p.controls[1].values, [0.0, 1.5, 1000.0]);
        assert_eq!(p.controls[2].values, [1.0, 0.0, 0.0]);
    }

    #[test]
    fn rows_outside_the_panel_are_ignored_with_a_note() {
        let text = "date,promo\n2024-12-30,1\n2025-01-06,1\n2025-01-13,0\n2025-01-20,2\n2025-02-03,1\n";
        let mut p = panel(3);
        let joined = join_controls(&mut p, &read(text).unwrap()).unwrap();
        assert_eq!(joined.ignored_rows, 2);
        assert_eq!(joined.ignored_range, Some((d("2024-12-30"), d("2025-02-03"))));
        assert_eq!(p.controls[1].values, [1.0, 0.0, 2.0]);
        assert_eq!(
            joined.note("controls.csv"),
            "1 control from controls.csv: promo; 2 rows outside the panel (2024-12-30 to 2025-02-03) ignored."
        );
    }

    #[test]
    fn bad_cells_name_file_row_and_column() {
        let text = "date,promo,price\n2025-01-06,1,x\n06/01/2025,1,2\n2025-01-20,,inf\n2025-01-27,NaN,1\n";
        let err = read(text).unwrap_err();
        assert!(err.to_string().ends_with("\nnothing was fitted; fix the rows above and run again"), "{err}");
        let errs = errors(err);
        assert_eq!(
            errs,
            [
                "controls.csv:2:price: \"x\" is not a number; write digits with a decimal point such as 12.5",
                "controls.csv:3:date: \"06/01/2025\" is not a date; write it as YYYY-MM-DD",
                "controls.csv:4:promo: the value is missing; write 0 if nothing happened in the period",
                "controls.csv:4:price: \"inf\" is not a finite number; write a number such as 1 or 0.5",
                "controls.csv:5:promo: \"NaN\" is not a finite number; write a number such as 1 or 0.5",
            ]
        );
    }

    #[test]
    fn a_duplicate_period_is_an_error() {
        let text = "date,promo\n2025-01-06,1\n2025-01-08,1\n2025-01-13,0\n2025-01-20,0\n";
        let mut p = panel(3);
        let errs = errors(join_controls(&mut p, &read(text).unwrap()).unwrap_err());
        assert_eq!(
            errs[0],
            "controls.csv:3:date: 2025-01-08 falls in the week of 2025-01-06, as row 2 does; write one row per \
             week (sum or average the values yourself)"
        );
        assert_eq!(p.controls.len(), 1, "the panel is unchanged on error");
    }

    #[test]
    fn a_gap_inside_the_file_is_an_error_not_a_zero() {
        let text = "date,promo\n2025-01-06,1\n2025-01-20,0\n";
        let errs = errors(join_controls(&mut panel(3), &read(text).unwrap()).unwrap_err());
        assert_eq!(
            errs[0],
            "controls.csv:3:date: no row for the week of 2025-01-13; add a row dated 2025-01-13 (0 if nothing \
             happened); a missing week is never taken as 0"
        );
    }

    #[test]
    fn a_file_that_does_not_cover_the_panel_is_an_error() {
        let text = "date,promo\n2025-01-13,1\n2025-01-20,0\n";
        let errs = errors(join_controls(&mut panel(4), &read(text).unwrap()).unwrap_err());
        assert_eq!(
            errs[0],
            "controls.csv: the file covers the weeks 2025-01-13 to 2025-01-20, the panel runs from 2025-01-06 to \
             2025-01-27; 2 weeks of the panel (2025-01-06 to 2025-01-27) have no row: add rows for them (0 if \
             nothing happened) or narrow the panel with --from/--to"
        );
    }

    #[test]
    fn daily_panels_take_one_row_per_day() {
        let mut p = panel(3);
        p.frequency = Frequency::Daily;
        p.dates = vec![d("2025-01-06"), d("2025-01-07"), d("2025-01-08")];
        let joined = join_controls(&mut p, &read("date,promo\n2025-01-06,1\n2025-01-07,0\n2025-01-08,3\n").unwrap());
        assert_eq!(joined.unwrap().added, ["promo"]);
        assert_eq!(p.controls[1].values, [1.0, 0.0, 3.0]);
    }

    #[test]
    fn header_problems_are_reported() {
        let errs = errors(read("day,promo\n2025-01-06,1\n").unwrap_err());
        assert!(errs[0].starts_with("controls.csv: no column named date (columns: day, promo)"), "{errs:?}");
        let errs = errors(read("date\n2025-01-06\n").unwrap_err());
        assert!(errs[0].starts_with("controls.csv: no control column beside date"), "{errs:?}");
        let errs = errors(read("date,promo,Promo\n2025-01-06,1,1\n").unwrap_err());
        assert_eq!(errs[0], "controls.csv:1:Promo: the column name is used twice; give every control its own name");
        let errs = errors(
            read("date,event_activities\n2025-01-06,1\n2025-01-13,1\n")
                .map(|f| join_controls(&mut panel(2), &f).unwrap_err())
                .unwrap(),
        );
        assert_eq!(
            errs[0],
            "controls.csv:1:event_activities: the panel already has a control named event_activities (from the \
             database's activities); rename the column"
        );
        // A trailing separator (an empty, nameless column) is harmless.
        assert_eq!(read("date,promo,\n2025-01-06,1,\n").unwrap().names, ["promo"]);
        assert!(read("").is_err());
        assert!(read("date,promo\n").is_err());
    }

    #[test]
    fn a_control_that_is_zero_over_the_panel_is_an_error() {
        let text = "date,promo\n2025-01-06,0\n2025-01-13,0\n2025-01-20,0\n2025-01-27,4\n";
        let errs = errors(join_controls(&mut panel(3), &read(text).unwrap()).unwrap_err());
        assert_eq!(
            errs[0],
            "controls.csv:2:promo: the control is 0 in every week of the panel (2025-01-06 to 2025-01-20); it tells \
             the model nothing there: delete the column or widen the panel"
        );
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        use proptest::prelude::*;
        proptest!(ProptestConfig::with_cases(300), |(bytes in proptest::collection::vec(any::<u8>(), 0..300))| {
            if let Ok(f) = read_controls("fuzz.csv", &bytes) {
                let _ = join_controls(&mut panel(3), &f);
            }
        });
        proptest!(ProptestConfig::with_cases(300), |(text in "date,a\n([0-9-]{0,12},[0-9eE.,naif-]{0,6}\n){0,6}")| {
            if let Ok(f) = read_controls("fuzz.csv", text.as_bytes()) {
                let _ = join_controls(&mut panel(3), &f);
            }
        });
    }
}
