//! The panel's calendar: the data range, the whole periods (Monday-start weeks or days) inside it, and which
//! period a day falls in.

use super::Target;
use crate::month_end;
use chrono::{Datelike, Days};
use socialledger_domain::{Dataset, Date};
use socialledger_mmm::Frequency;

/// Consecutive whole periods from `first` on: period `i` covers days `first + i·len .. first + (i+1)·len - 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Periods {
    pub frequency: Frequency,
    pub first: Date,
    pub n: usize,
}

impl Periods {
    /// Whole periods inside `[start, end]`: weeks from the first Monday on or after `start` to the last Sunday
    /// on or before `end`; days from `start` to `end`. `None` when not one whole period fits.
    pub fn inside(frequency: Frequency, start: Date, end: Date) -> Option<Periods> {
        let first = match frequency {
            Frequency::Daily => start,
            Frequency::Weekly => start + Days::new(u64::from((7 - start.weekday().num_days_from_monday()) % 7)),
        };
        if end < first {
            return None;
        }
        let n = ((end - first).num_days() + 1) as usize / frequency.days() as usize;
        (n > 0).then_some(Periods { frequency, first, n })
    }

    /// Days per period.
    pub fn len(&self) -> usize {
        self.frequency.days() as usize
    }

    /// Number of days covered.
    pub fn days(&self) -> usize {
        self.n * self.len()
    }

    /// The last day covered.
    pub fn last(&self) -> Date {
        self.first + Days::new(self.days() as u64 - 1)
    }

    /// Index of `date` among the covered days, `None` outside.
    pub fn day_index(&self, date: Date) -> Option<usize> {
        let d = (date - self.first).num_days();
        (d >= 0 && (d as usize) < self.days()).then_some(d as usize)
    }

    /// First day of each period.
    pub fn dates(&self) -> Vec<Date> {
        (0..self.n).map(|i| self.first + Days::new((i * self.len()) as u64)).collect()
    }
}

/// First and last day of the data a panel can be built from: deals (by the target's date), time entries,
/// posts, channel days, cost items (their whole month) and activities (start to end). Touchpoints do not count:
/// they are responses, not inputs or outcomes. `None` when none of these has a date.
pub(crate) fn data_range(dataset: &Dataset, target: Target) -> Option<(Date, Date)> {
    let mut range: Option<(Date, Date)> = None;
    let mut add = |from: Date, to: Date| {
        range = Some(match range {
            None => (from, to),
            Some((a, b)) => (a.min(from), b.max(to)),
        });
    };
    for d in &dataset.deals {
        if let Some(date) = target.date_of(d) {
            add(date, date);
        }
    }
    for e in &dataset.time_entries {
        add(e.date, e.date);
    }
    for p in dataset.posts.iter().filter_map(|p| p.published_at) {
        add(p.date_naive(), p.date_naive());
    }
    for d in dataset.channel_days.iter().filter_map(|d| d.date) {
        add(d, d);
    }
    for i in &dataset.cost_items {
        add(crate::month_start(i.month), month_end(i.month));
    }
    for a in &dataset.activities {
        add(a.start, a.end.max(a.start));
    }
    range
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::d;

    #[test]
    fn weeks_start_on_monday_and_are_whole() {
        // 2024-01-03 is a Wednesday: the first whole week starts Monday 2024-01-08; 2024-02-01 is a Thursday, so
        // the last whole week ends Sunday 2024-01-28.
        let p = Periods::inside(Frequency::Weekly, d("2024-01-03"), d("2024-02-01")).unwrap();
        assert_eq!((p.first, p.n, p.last()), (d("2024-01-08"), 3, d("2024-01-28")));
        assert_eq!(p.dates(), [d("2024-01-08"), d("2024-01-15"), d("2024-01-22")]);
        assert_eq!(p.day_index(d("2024-01-08")), Some(0));
        assert_eq!(p.day_index(d("2024-01-29")), None);
        assert_eq!(p.day_index(d("2024-01-07")), None);
        // A Monday start is kept.
        let p = Periods::inside(Frequency::Weekly, d("2024-01-01"), d("2024-01-07")).unwrap();
        assert_eq!((p.first, p.n), (d("2024-01-01"), 1));
        assert!(Periods::inside(Frequency::Weekly, d("2024-01-02"), d("2024-01-08")).is_none());
        let p = Periods::inside(Frequency::Daily, d("2024-01-03"), d("2024-01-05")).unwrap();
        assert_eq!((p.first, p.n, p.last()), (d("2024-01-03"), 3, d("2024-01-05")));
    }
}
