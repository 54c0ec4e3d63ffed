//! `time_entries.csv`: time people spent on social, per day, channel and task.

use super::{canonical_format, channel_key, HashKeys, SeenKeys, Spec};
use crate::parse::{self, DateFormat};
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::canonical::columns;
use socialledger_domain::{Dataset, Task, TimeEntry};

pub const SPEC: Spec = Spec {
    name: "canonical-time-entries",
    description: "socialledger time_entries.csv: entry_id, person, date, hours, channel, task, note",
    required: &["person", "date", "hours"],
    any_of: &[],
    excluded: &[],
    columns: columns::TIME_ENTRIES,
};

/// The canonical time entries format.
#[derive(Debug, Clone, Copy)]
pub struct TimeEntries;
canonical_format!(TimeEntries);

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = SPEC.headed(file, errs) else {
        return ds;
    };
    let (c_id, c_person, c_date, c_hours) = (h.col("entry_id"), h.col("person"), h.col("date"), h.col("hours"));
    let (c_channel, c_task, c_note) = (h.col("channel"), h.col("task"), h.col("note"));
    let mut seen = SeenKeys::default();
    let mut hashes = HashKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let person = r.req_str(c_person);
        let date = r.req_date(c_date, &[DateFormat::Iso]);
        let minutes = r.req_with(c_hours, parse::parse_hours_to_minutes);
        if minutes.is_some_and(|m| m > 24 * 60) {
            r.error(c_hours, "more than 24 hours in one day", Some("split the entry over the days it covers".into()));
        }
        let task: Option<Task> = r.req_enum(c_task);
        let channel = r.get_str(c_channel).map(channel_key);
        let note = r.get_string(c_note);
        let id = r.get_str(c_id);
        if let Some(id) = id {
            seen.check(id.to_string(), || format!("entry_id {id}"), r, c_id);
        }
        let (Some(person), Some(date), Some(minutes), Some(task), false) = (person, date, minutes, task, r.failed())
        else {
            return;
        };
        let key = match id {
            Some(id) => id.to_string(),
            None => hashes.key(
                "te",
                &[
                    person,
                    &date.to_string(),
                    &minutes.to_string(),
                    channel.as_deref().unwrap_or(""),
                    task.as_str(),
                    note.as_deref().unwrap_or(""),
                ],
            ),
        };
        ds.time_entries.push(TimeEntry { key, person: person.to_string(), date, minutes, channel, task, note });
    });
    ds
}
