//! The analysis settings: period, reporting currency and the assumptions every figure depends on.

use crate::AnalyticsError;
use serde::{Deserialize, Serialize};
use socialledger_domain::{Currency, Date};

/// Which date ends a deal's journey when revenue is credited. Pipeline is always credited on journeys that end
/// at the deal's creation; this setting only decides the revenue journey.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JourneyEnd {
    /// Revenue journeys end at the deal's creation too (touches during the sales cycle earn no revenue credit).
    Creation,
    /// Revenue journeys end at the won deal's close date (falling back to its creation date).
    #[default]
    Close,
}

impl JourneyEnd {
    pub fn as_str(&self) -> &'static str {
        match self {
            JourneyEnd::Creation => "creation",
            JourneyEnd::Close => "close",
        }
    }

    /// Parses `creation` or `close` (case-insensitive; `created`, `closed` also accepted).
    pub fn parse(text: &str) -> Result<Self, AnalyticsError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "creation" | "created" | "create" => Ok(JourneyEnd::Creation),
            "close" | "closed" => Ok(JourneyEnd::Close),
            _ => Err(AnalyticsError::UnknownJourneyEnd(text.to_string())),
        }
    }
}

/// The settings of one analysis. Every assumption that changes a figure lives here and is echoed in the
/// output (`Analysis::settings`), so a reader can see what a number rests on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Inclusive date range `(first, last)` of the analysis; `None` analyses everything.
    pub period: Option<(Date, Date)>,
    /// The reporting currency. Amounts in any other currency are excluded (never converted) and noted.
    pub currency: Currency,
    /// Share of revenue that is gross margin (0-1), used for ROI. Shown next to every ROI.
    pub gross_margin: f64,
    /// How many days before a journey's end a touchpoint still counts.
    pub lookback_days: u32,
    /// Half-life of the time-decay attribution model, in days.
    pub half_life_days: f64,
    /// Which date ends a revenue journey.
    pub journey_end: JourneyEnd,
    /// Whether sales meetings (touchpoints of kind `meeting`) take part in the heuristic models' credit. They are
    /// how sales works a deal, not a marketing channel: logged on the deal's creation day they take most of the
    /// last-touch credit. Off by default; the report shows them separately (`AttributionReport::sales_touches`).
    /// The data-driven models always leave them out.
    #[serde(default)]
    pub credit_sales_touches: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            period: None,
            currency: Currency::EUR,
            gross_margin: 0.7,
            lookback_days: 365,
            half_life_days: 7.0,
            journey_end: JourneyEnd::Close,
            credit_sales_touches: false,
        }
    }
}

impl Settings {
    /// Checks that the settings make sense: a period that does not end before it starts, a gross margin in
    /// [0, 1] and a positive, finite half-life.
    pub fn validate(&self) -> Result<(), AnalyticsError> {
        if let Some((from, to)) = self.period {
            if to < from {
                return Err(AnalyticsError::EmptyPeriod { from, to });
            }
        }
        if !(0.0..=1.0).contains(&self.gross_margin) {
            return Err(AnalyticsError::GrossMargin(self.gross_margin));
        }
        if !(self.half_life_days.is_finite() && self.half_life_days > 0.0) {
            return Err(AnalyticsError::HalfLife(self.half_life_days));
        }
        Ok(())
    }

    /// Whether a date lies in the period (always true without a period).
    pub fn contains(&self, date: Date) -> bool {
        match self.period {
            Some((from, to)) => from <= date && date <= to,
            None => true,
        }
    }

    /// Whether an optional date is in the period: an unknown date only counts when there is no period.
    pub fn contains_opt(&self, date: Option<Date>) -> bool {
        match date {
            Some(d) => self.contains(d),
            None => self.period.is_none(),
        }
    }

    /// Whether the month starting at `month` (any day of it) overlaps the period.
    pub fn overlaps_month(&self, month: Date) -> bool {
        match self.period {
            Some((from, to)) => {
                let first = crate::month_start(month);
                let last = crate::month_end(month);
                first <= to && from <= last
            }
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let s = Settings::default();
        assert_eq!(s.gross_margin, 0.7);
        assert_eq!(s.lookback_days, 365);
        assert_eq!(s.half_life_days, 7.0);
        assert_eq!(s.journey_end, JourneyEnd::Close);
        assert!(s.validate().is_ok());
    }

    #[test]
    fn rejects_nonsense() {
        let s = Settings { gross_margin: 1.5, ..Settings::default() };
        assert!(s.validate().is_err());
        let s = Settings { half_life_days: 0.0, ..Settings::default() };
        assert!(s.validate().is_err());
        let s = Settings { period: Some((d(2024, 2, 1), d(2024, 1, 1))), ..Settings::default() };
        assert!(s.validate().is_err());
    }

    #[test]
    fn period_membership() {
        let s = Settings { period: Some((d(2024, 1, 15), d(2024, 3, 31))), ..Settings::default() };
        assert!(s.contains(d(2024, 1, 15)) && s.contains(d(2024, 3, 31)));
        assert!(!s.contains(d(2024, 1, 14)) && !s.contains(d(2024, 4, 1)));
        assert!(!s.contains_opt(None));
        assert!(Settings::default().contains_opt(None));
        assert!(s.overlaps_month(d(2024, 1, 1)));
        assert!(!s.overlaps_month(d(2023, 12, 1)));
        assert_eq!(JourneyEnd::parse("Closed").unwrap(), JourneyEnd::Close);
        assert!(JourneyEnd::parse("later").is_err());
    }
}
