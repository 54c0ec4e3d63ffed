//! The simulated period: day indices, weeks, months and instants, so the model works in plain numbers.

use chrono::{Datelike, Duration, Months, NaiveTime, TimeZone, Utc};
use socialledger_domain::{Date, Timestamp};

/// Days `0..days` starting at `start`; week `w` is days `7w..7w+7`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    pub start: Date,
    /// First day after the period.
    pub end: Date,
    pub days: usize,
}

impl Calendar {
    /// The period of `months` calendar months from `start` (at least one month).
    pub fn new(start: Date, months: u32) -> Self {
        let end = start.checked_add_months(Months::new(months.max(1))).unwrap_or(start + Duration::days(31));
        let days = (end - start).num_days().max(1) as usize;
        Calendar { start, end, days }
    }

    /// The date of day index `d`.
    pub fn date(&self, d: usize) -> Date {
        self.start + Duration::days(d as i64)
    }

    /// The day index of `date`, when it lies in the period.
    pub fn index(&self, date: Date) -> Option<usize> {
        let d = (date - self.start).num_days();
        (d >= 0 && (d as usize) < self.days).then_some(d as usize)
    }

    /// Number of (possibly partial) weeks.
    pub fn weeks(&self) -> usize {
        self.days.div_ceil(7)
    }

    /// The week index of day `d`.
    pub fn week_of(&self, d: usize) -> usize {
        d / 7
    }

    /// First day of every calendar month that starts in the period, with its day index (the first month may
    /// start before `start` when `start` is not the 1st; its day index is then 0).
    pub fn months(&self) -> Vec<(Date, usize)> {
        let mut out = Vec::new();
        let mut m = self.start.with_day(1).unwrap_or(self.start);
        while m < self.end {
            let idx = if m < self.start { 0 } else { (m - self.start).num_days() as usize };
            out.push((m, idx));
            m = match m.checked_add_months(Months::new(1)) {
                Some(next) => next,
                None => break,
            };
        }
        out
    }

    /// Day indices `[first, last)` of the calendar month starting at `month` clipped to the period.
    pub fn month_span(&self, month: Date) -> (usize, usize) {
        let next = month.checked_add_months(Months::new(1)).unwrap_or(self.end);
        let first = if month < self.start { 0 } else { (month - self.start).num_days() as usize };
        let last = if next > self.end { self.days } else { (next - self.start).num_days() as usize };
        (first.min(self.days), last.min(self.days))
    }

    /// The instant `seconds` after midnight UTC of day `d`.
    pub fn at(&self, d: usize, seconds: u32) -> Timestamp {
        let naive = self.date(d).and_time(NaiveTime::MIN) + Duration::seconds(i64::from(seconds));
        Utc.from_utc_datetime(&naive)
    }

    /// Fractional day index of an instant (for adstock), e.g. 10.5 for noon of day 10.
    pub fn day_fraction(d: usize, seconds: u32) -> f64 {
        d as f64 + f64::from(seconds) / 86_400.0
    }

    /// Weekday of day `d`, 0 = Monday.
    pub fn weekday(&self, d: usize) -> u32 {
        self.date(d).weekday().num_days_from_monday()
    }

    /// The first day index at or after `d` falling on `weekday` (0 = Monday).
    pub fn next_weekday(&self, d: usize, weekday: u32) -> usize {
        let wd = self.weekday(d);
        d + ((weekday + 7 - wd) % 7) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_years_from_2024_have_731_days_and_24_months() {
        let cal = Calendar::new(Date::from_ymd_opt(2024, 1, 1).unwrap(), 24);
        assert_eq!(cal.days, 731);
        assert_eq!(cal.months().len(), 24);
        assert_eq!(cal.month_span(Date::from_ymd_opt(2024, 2, 1).unwrap()), (31, 60));
        assert_eq!(cal.weekday(0), 0);
        assert_eq!(cal.next_weekday(0, 1), 1);
        assert_eq!(cal.at(1, 3600).to_rfc3339(), "2024-01-02T01:00:00+00:00");
    }
}
