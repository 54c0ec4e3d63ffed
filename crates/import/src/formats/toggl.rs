//! Toggl Track's Detailed report CSV (classic export): one time entry per row, `Duration` as `HH:MM:SS`.
//!
//! Header: `User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,
//! Tags,Amount (USD)`; with or without a UTF-8 BOM; dates ISO (`2019-04-09`). `Billable` and `Amount (...)` are
//! what a client is charged, not what the time costs, so they are not read. The mapping is
//! [`super::time_tracking`]'s.

use super::date_order::DateOrder;
use super::time_tracking::ReportLayout;

/// Toggl's columns. `Duration` alone (Clockify writes `Duration (h)`) tells the two apart.
const LAYOUT: ReportLayout = ReportLayout {
    name: "toggl-detailed",
    tracker: "Toggl",
    key_prefix: "toggl",
    required: &["Description", "Start date", "Start time", "End date", "End time", "Duration"],
    user: "User",
    email: "Email",
    client: "Client",
    project: "Project",
    task: "Task",
    description: "Description",
    tags: "Tags",
    start_date: "Start date",
    start_time: "Start time",
    end_date: "End date",
    end_time: "End time",
    duration: "Duration",
    other_dates: &[],
    // Toggl writes ISO dates; the order only matters for a report saved with another date format.
    fallback_order: DateOrder::MonthFirst,
};

/// Toggl Track detailed report.
#[derive(Debug, Clone, Copy)]
pub struct Toggl;

super::delegate_format!(
    Toggl,
    name: LAYOUT.name,
    description: "Toggl Track Detailed report CSV: time entries (User, Email, Project, Start date, Duration, Tags, ...)",
    detect: |file| LAYOUT.detect(file),
    parse: |file, opts, errs| LAYOUT.parse(file, opts, errs),
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::csv::read_csv;
    use crate::{ErrorSink, Format, ImportOptions, SourceFile};

    #[test]
    fn a_duration_that_is_not_end_minus_start_is_noted_and_used() {
        let text = "\u{feff}User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,\
                    End time,Duration,Tags,Amount ()\n\
                    Ann,ann@example.com,,LinkedIn,,Comments,No,2025-03-30,01:30:00,2025-03-30,03:30:00,01:00:00,,\n\
                    Ann,ann@example.com,,,,Late,No,2025-03-30,23:50:00,2025-03-31,00:20:00,00:30:00,,\n";
        let file = SourceFile {
            display_name: "t.csv".into(),
            file_name: "t.csv".into(),
            tables: vec![read_csv(text, None).unwrap()],
        };
        assert!(Toggl.detect(&file));
        let mut errs = ErrorSink::default();
        let ds = Toggl.parse(&file, &ImportOptions::default(), &mut errs);
        assert!(errs.is_empty(), "{:?}", errs.errors());
        let got: Vec<(i64, Option<&str>)> = ds.time_entries.iter().map(|e| (e.minutes, e.channel.as_deref())).collect();
        assert_eq!(got, [(60, Some("linkedin")), (30, None)]);
        assert_eq!(ds.time_entries[1].date.to_string(), "2025-03-30");
        assert_eq!(ds.channels.len(), 1);
        assert_eq!(errs.notes().len(), 1);
        assert!(errs.notes()[0].starts_with("t.csv: 1 entry whose duration differs"), "{}", errs.notes()[0]);
        assert!(errs.notes()[0].contains("(line 2)"), "{}", errs.notes()[0]);
    }
}
