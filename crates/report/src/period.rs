//! The period a report covers: the analysis period when one is set, otherwise the span of the dated records.

use socialledger_analytics::Settings;
use socialledger_domain::{Dataset, Date};

/// The dates a report covers, and whether they were chosen or read off the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub first: Date,
    pub last: Date,
    /// True when the settings set the period; false when it is the span of the data ("all data").
    pub chosen: bool,
}

impl Period {
    /// The period of the settings, or else the first and last date of any dated record; `None` when there is
    /// neither (an empty dataset).
    pub fn of(dataset: &Dataset, settings: &Settings) -> Option<Period> {
        if let Some((first, last)) = settings.period {
            return Some(Period { first, last, chosen: true });
        }
        let touches = dataset.touches();
        let dates = dataset
            .posts
            .iter()
            .filter_map(|p| p.published_at.map(|t| t.date_naive()))
            .chain(dataset.activities.iter().flat_map(|a| [a.start, a.end]))
            .chain(dataset.time_entries.iter().map(|t| t.date))
            .chain(dataset.cost_items.iter().map(|c| c.month))
            .chain(dataset.deals.iter().flat_map(|d| [d.created, d.closed]).flatten())
            .chain(dataset.channel_days.iter().filter_map(|d| d.date))
            .chain(touches.date_span().into_iter().flat_map(|(first, last)| [first, last]));
        let (first, last) = dates.fold((None::<Date>, None::<Date>), |(lo, hi), d| {
            (Some(lo.map_or(d, |x| x.min(d))), Some(hi.map_or(d, |x| x.max(d))))
        });
        Some(Period { first: first?, last: last?, chosen: false })
    }

    /// Whether `date` lies in the period (both ends inclusive).
    pub fn contains(&self, date: Date) -> bool {
        self.first <= date && date <= self.last
    }

    /// `2024-01-01 to 2024-06-30`, with `(all data)` after it when the period is the span of the data.
    pub fn describe(&self) -> String {
        let span = format!("{} to {}", self.first, self.last);
        if self.chosen {
            span
        } else {
            format!("{span} (all data)")
        }
    }
}
