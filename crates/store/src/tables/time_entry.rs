//! The `time_entries` table: minutes a person spent on a channel or on social in general, keyed by `key`.

use super::{Binder, Reader, Table};
use crate::Result;
use socialledger_domain::{Dataset, Task, TimeEntry};

impl Table for TimeEntry {
    const NAME: &'static str = "time_entries";
    const COLUMNS: &'static [&'static str] = &["key", "person", "date", "minutes", "channel", "task", "note"];
    const KEY: &'static [&'static str] = &["key"];
    type Key<'a> = &'a str;

    fn key(&self) -> &str {
        &self.key
    }
    fn bind<'q>(&'q self, b: &mut Binder<'q>) {
        b.text(&self.key);
        b.text(&self.person);
        b.date(self.date);
        b.int(self.minutes);
        b.opt_text(self.channel.as_deref());
        b.text(self.task.as_str());
        b.opt_text(self.note.as_deref());
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(TimeEntry {
            key: r.text()?,
            person: r.text()?,
            date: r.date()?,
            minutes: r.int()?,
            channel: r.opt_text()?,
            task: r.name::<Task>()?,
            note: r.opt_text()?,
        })
    }
    fn of(data: &Dataset) -> &[Self] {
        &data.time_entries
    }
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self> {
        &mut data.time_entries
    }
    fn channel_refs(&self) -> impl Iterator<Item = &str> {
        self.channel.as_deref().into_iter()
    }
    fn describe(&self) -> String {
        format!("{:?}", self.key)
    }
}
