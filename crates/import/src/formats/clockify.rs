//! Clockify's Detailed time report CSV: one time entry per row, every cell quoted, CRLF.
//!
//! Header: `Project,Client,Description,Task,User,Group,Email,Tags,Billable,Start Date,Start Time,End Date,
//! End Time,Duration (h),Duration (decimal),Billable Rate (USD),Billable Amount (USD),Date of creation`. Dates
//! follow the workspace's date format (`21/01/2026` day first, `01/21/2026` in US workspaces): the order is
//! decided once per file from every date in it and the dates in the file name. Minutes come from the exact
//! `Duration (h)`; `Duration (decimal)` is the same rounded to 1/100 hour, and the billable rate and amount are a
//! price, not a cost, so none of those is read. The mapping is [`super::time_tracking`]'s.

use super::date_order::DateOrder;
use super::time_tracking::ReportLayout;

/// Clockify's columns.
const LAYOUT: ReportLayout = ReportLayout {
    name: "clockify-detailed",
    tracker: "Clockify",
    key_prefix: "clockify",
    required: &["Start Date", "Start Time", "End Date", "End Time", "Duration (h)"],
    user: "User",
    email: "Email",
    client: "Client",
    project: "Project",
    task: "Task",
    description: "Description",
    tags: "Tags",
    start_date: "Start Date",
    start_time: "Start Time",
    end_date: "End Date",
    end_time: "End Time",
    duration: "Duration (h)",
    other_dates: &["Date of creation"],
    // Clockify's default workspace date format is MM/DD/YYYY.
    fallback_order: DateOrder::MonthFirst,
};

/// Clockify detailed time report.
#[derive(Debug, Clone, Copy)]
pub struct Clockify;

super::delegate_format!(
    Clockify,
    name: LAYOUT.name,
    description: "Clockify Detailed time report CSV: time entries (Project, User, Email, Start Date, Duration (h), ...)",
    detect: |file| LAYOUT.detect(file),
    parse: |file, opts, errs| LAYOUT.parse(file, opts, errs),
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::csv::read_csv;
    use crate::{ErrorSink, Format, ImportOptions, SourceFile};

    fn file(name: &str, dates: [&str; 2]) -> SourceFile {
        let text = format!(
            "\"Project\",\"User\",\"Email\",\"Start Date\",\"Start Time\",\"End Date\",\"End Time\",\"Duration (h)\"\r\n\
             \"X\",\"ann\",\"ann@example.com\",\"{0}\",\"09:00:00\",\"{0}\",\"10:30:00\",\"01:30:00\"\r\n\
             \"Y\",\"ann\",\"ann@example.com\",\"{1}\",\"09:00:00\",\"{1}\",\"09:10:00\",\"00:10:00\"\r\n",
            dates[0], dates[1]
        );
        SourceFile { display_name: name.into(), file_name: name.into(), tables: vec![read_csv(&text, None).unwrap()] }
    }

    fn dates(f: &SourceFile) -> (Vec<String>, Vec<String>, usize) {
        let mut errs = ErrorSink::default();
        let ds = Clockify.parse(f, &ImportOptions::default(), &mut errs);
        let days = ds.time_entries.iter().map(|e| e.date.to_string()).collect();
        let notes = errs.notes().to_vec();
        (days, notes, errs.total())
    }

    #[test]
    fn day_month_order_from_the_cells_then_the_file_name_then_month_first() {
        let (days, notes, errors) = dates(&file("c.csv", ["03/02/2026", "13/02/2026"]));
        assert_eq!((days, notes.len(), errors), (vec!["2026-02-03".into(), "2026-02-13".into()], 0, 0));
        let (days, _, _) = dates(&file("c.csv", ["03/02/2026", "02/13/2026"]));
        assert_eq!(days, ["2026-03-02", "2026-02-13"]);
        let name = "Clockify_Time_Report_Detailed_01_01_2026-31_12_2026.csv";
        let (days, notes, _) = dates(&file(name, ["03/02/2026", "04/02/2026"]));
        assert_eq!((days, notes.len()), (vec!["2026-02-03".into(), "2026-02-04".into()], 0));
        let (days, notes, _) = dates(&file("c.csv", ["03/02/2026", "04/02/2026"]));
        assert_eq!(days, ["2026-03-02", "2026-04-02"]);
        assert!(notes[0].contains("read as MM/DD/YYYY"), "{notes:?}");
        let (days, _, errors) = dates(&file("c.csv", ["13/02/2026", "02/13/2026"]));
        assert_eq!(errors, 3, "the header error, and the two dates of the row that is not month first: {days:?}");
    }
}
