//! A mix-model panel prepared elsewhere: one CSV (or sheet) with a date column, the target, one column per
//! channel and optional control columns (`socialledger mmm fit --csv FILE --date COL --target COL --media COLS
//! [--controls COLS]`). PyMC-Marketing's example file reads this way, and so does the CSV `mmm panel
//! --csv-out` writes.
//!
//! Every problem is reported as `FILE:ROW:COLUMN: what is wrong; what to do`, all of them at once, and nothing
//! is fitted unless the whole file is valid. Media columns are taken as spend: their cost is their value.

use crate::error::{CellError, ErrorSink};
use crate::read::{normalize_header, read_tables};
use chrono::NaiveDate;
use socialledger_mmm::{ChannelGroup, ControlSeries, Frequency, InputKind, MediaSeries, Panel};

/// Which columns hold what.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelColumns {
    pub date: String,
    pub target: String,
    pub media: Vec<String>,
    pub controls: Vec<String>,
}

const DATE_FORMATS: [&str; 4] = ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%m/%d/%Y"];

/// Why a panel file cannot be fitted.
#[derive(Debug, thiserror::Error)]
pub enum PanelError {
    /// The file as a whole: unreadable, empty, a column missing.
    #[error("{0}")]
    File(String),
    /// Cells that are wrong, every one of them.
    #[error("{}", cells_text(errors, *more))]
    Cells { errors: Vec<CellError>, more: usize },
}

fn cells_text(errors: &[CellError], more: usize) -> String {
    let mut out: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    if more > 0 {
        out.push(format!("... and {more} more"));
    }
    out.push("nothing was fitted; fix the rows above and run again".into());
    out.join("\n")
}

/// Reads the panel of `file` (its name as the user gave it) from `bytes`.
pub fn read_panel(file: &str, bytes: &[u8], cols: &PanelColumns) -> Result<Panel, PanelError> {
    let tables =
        read_tables(file, bytes).map_err(|reason| PanelError::File(format!("{file}: cannot be read: {reason}")))?;
    let Some(table) = tables.into_iter().find(|t| t.rows.iter().any(|r| !r.is_blank())) else {
        return Err(PanelError::File(format!("{file}: the file is empty")));
    };
    let mut wanted: Vec<&str> = vec![cols.date.as_str(), cols.target.as_str()];
    wanted.extend(cols.media.iter().map(String::as_str));
    wanted.extend(cols.controls.iter().map(String::as_str));
    let Some(head) = table.header(&wanted) else {
        let seen = table.first_row_cells();
        let missing: Vec<&str> = wanted
            .iter()
            .filter(|w| !seen.iter().any(|s| normalize_header(s) == normalize_header(w)))
            .copied()
            .collect();
        return Err(PanelError::File(format!(
            "{file}: no column named {} (columns: {}); name the columns with --date, --target, --media and \
             --controls as the header writes them",
            missing.join(", "),
            seen.join(", ")
        )));
    };
    let index = |name: &str| {
        head.headers.iter().position(|h| normalize_header(h) == normalize_header(name)).unwrap_or(usize::MAX)
    };
    let date_i = index(&cols.date);
    let target_i = index(&cols.target);
    let media_i: Vec<usize> = cols.media.iter().map(|m| index(m)).collect();
    let control_i: Vec<usize> = cols.controls.iter().map(|c| index(c)).collect();
    let mut sink = ErrorSink::default();
    let err = |row: usize, col: &str, message: String, hint: &str| CellError {
        file: file.into(),
        sheet: table.sheet.clone(),
        row,
        column: Some(col.to_string()),
        message,
        hint: (!hint.is_empty()).then(|| hint.to_string()),
    };
    let mut dates = Vec::new();
    let mut target = Vec::new();
    let mut media: Vec<Vec<f64>> = vec![Vec::new(); media_i.len()];
    let mut controls: Vec<Vec<f64>> = vec![Vec::new(); control_i.len()];
    if let Some(line) = table.cut_at {
        return Err(PanelError::File(format!(
            "{file}:{line}: the file looks truncated at row {line}; write or download it again"
        )));
    }
    let mut lines = Vec::new();
    for row in table.rows.iter().skip(head.header_row + 1) {
        if row.is_blank() {
            continue;
        }
        lines.push(row.line);
        let raw_date = row.cell(date_i);
        match DATE_FORMATS.iter().find_map(|f| NaiveDate::parse_from_str(raw_date, f).ok()) {
            Some(d) => dates.push(d),
            None => {
                sink.push(err(
                    row.line,
                    &cols.date,
                    format!("{raw_date:?} is not a date"),
                    "write dates as YYYY-MM-DD",
                ));
                dates.push(NaiveDate::MIN);
            }
        }
        let mut number = |i: usize, name: &str, non_negative: bool| -> f64 {
            let raw = row.cell(i);
            match raw.replace(',', "").parse::<f64>() {
                Ok(v) if v.is_finite() && (!non_negative || v >= 0.0) => v,
                Ok(v) if v.is_finite() => {
                    sink.push(err(
                        row.line,
                        name,
                        format!("{v} is negative"),
                        "inputs are amounts spent or used, >= 0",
                    ));
                    0.0
                }
                _ if raw.is_empty() => {
                    sink.push(err(row.line, name, "the value is missing".into(), "write 0 if nothing happened"));
                    0.0
                }
                _ => {
                    sink.push(err(row.line, name, format!("{raw:?} is not a number"), ""));
                    0.0
                }
            }
        };
        target.push(number(target_i, &cols.target, false));
        for (k, &i) in media_i.iter().enumerate() {
            media[k].push(number(i, &cols.media[k], true));
        }
        for (k, &i) in control_i.iter().enumerate() {
            controls[k].push(number(i, &cols.controls[k], false));
        }
    }
    if dates.len() < 2 {
        return Err(PanelError::File(format!("{file}: fewer than two rows below the header: nothing to fit")));
    }
    // One period apart, in order, no gaps: weekly or daily, from the first step.
    let step = (dates[1] - dates[0]).num_days();
    let frequency = if step == 1 { Frequency::Daily } else { Frequency::Weekly };
    if sink.is_empty() {
        for i in 1..dates.len() {
            let d = (dates[i] - dates[i - 1]).num_days();
            if d != frequency.days() {
                sink.push(err(
                    lines[i],
                    &cols.date,
                    format!("{} follows {} ({d} days later)", dates[i], dates[i - 1]),
                    "the panel needs one row per week (or per day), in order, without gaps",
                ));
            }
        }
    }
    if !sink.is_empty() {
        return Err(PanelError::Cells { errors: sink.errors().to_vec(), more: sink.more() });
    }
    let channels = cols
        .media
        .iter()
        .zip(media)
        .map(|(name, values)| MediaSeries {
            key: name.clone(),
            name: name.clone(),
            input: InputKind::Column,
            group: ChannelGroup::Other,
            cost: values.clone(),
            values,
        })
        .collect();
    let controls =
        cols.controls.iter().zip(controls).map(|(name, values)| ControlSeries { name: name.clone(), values }).collect();
    Ok(Panel {
        frequency,
        dates,
        target_name: cols.target.clone(),
        target,
        currency: String::new(),
        channels,
        controls,
    })
}
