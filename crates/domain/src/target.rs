//! Targets: what a channel (or all social channels together) should reach in a month or a quarter, such as an
//! engagement rate of at least 4 % or a median first response within 4 hours. Types only; progress, forecast and
//! status are computed in `socialledger_analytics::targets`.

use crate::enums::named_enum;
use crate::{Date, DomainError};
use chrono::{Datelike, Months};
use serde::{Deserialize, Serialize};

named_enum!(
    /// What a target measures. Each has one unit for its threshold (see [`TargetMetric::unit`]).
    TargetMetric, "target metric" {
        /// Engagements / impressions over the period (a fraction, 0.04 = 4 %).
        EngagementRate = "engagement_rate" | "engagement rate" | "er",
        /// Full cost / engagements over the period, in minor units of the reporting currency per engagement.
        CostPerEngagement = "cost_per_engagement" | "cost per engagement" | "cpe",
        /// Pipeline credited to the channel over the period (deals created in it), in minor units.
        Pipeline = "pipeline" | "pipeline_caused",
        /// Median first-response time of the conversations received in the period, in hours.
        ResponseTime = "response_time" | "median_response_time" | "response",
    }
);

named_enum!(
    /// Whether the metric should end the period at or above the threshold, or at or below it.
    Comparison, "comparison" {
        AtLeast = "at_least" | ">=" | "min" | "minimum",
        AtMost = "at_most" | "<=" | "max" | "maximum",
    }
);

named_enum!(
    /// How long a target's period is.
    PeriodKind, "period kind" {
        Month = "month" | "monthly",
        Quarter = "quarter" | "quarterly",
    }
);

impl TargetMetric {
    /// The comparison that makes sense for the metric: more is better for engagement and pipeline, less for cost
    /// and waiting.
    pub fn natural_comparison(&self) -> Comparison {
        match self {
            TargetMetric::EngagementRate | TargetMetric::Pipeline => Comparison::AtLeast,
            TargetMetric::CostPerEngagement | TargetMetric::ResponseTime => Comparison::AtMost,
        }
    }

    /// A threshold as people write it, in the metric's stored unit: an engagement rate as `4%` or `0.04`, money
    /// in major units of `currency` (`0.80`, `50000`), hours as a number. Range checks are [`Target::new`]'s.
    pub fn parse_threshold(&self, text: &str, currency: crate::Currency) -> Result<f64, DomainError> {
        let t = text.trim();
        let (number, percent) = match t.strip_suffix('%') {
            Some(n) => (n.trim(), true),
            None => (t, false),
        };
        let bad = |reason| DomainError::InvalidThreshold { value: text.to_string(), reason };
        let value: f64 = number.parse().ok().filter(|v: &f64| v.is_finite()).ok_or(bad("it is not a number"))?;
        if percent && *self != TargetMetric::EngagementRate {
            return Err(bad("only an engagement rate is written as a percentage"));
        }
        let minor_per_major = 10f64.powi(currency.exponent() as i32);
        Ok(match self {
            TargetMetric::EngagementRate if percent => value / 100.0,
            TargetMetric::CostPerEngagement => value * minor_per_major,
            TargetMetric::Pipeline => (value * minor_per_major).round(),
            _ => value,
        })
    }

    /// The unit of the threshold and of every figure of the metric, in words.
    pub fn unit(&self) -> &'static str {
        match self {
            TargetMetric::EngagementRate => "fraction of impressions",
            TargetMetric::CostPerEngagement => "minor units per engagement",
            TargetMetric::Pipeline => "minor units",
            TargetMetric::ResponseTime => "hours",
        }
    }
}

impl Comparison {
    /// The sign as people write it.
    pub fn symbol(&self) -> &'static str {
        match self {
            Comparison::AtLeast => ">=",
            Comparison::AtMost => "<=",
        }
    }

    /// Whether `value` meets `threshold`.
    pub fn meets(&self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::AtLeast => value >= threshold,
            Comparison::AtMost => value <= threshold,
        }
    }
}

/// A calendar month or quarter, from its first day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TargetPeriod {
    pub kind: PeriodKind,
    /// The first day: the 1st of a month (of January, April, July or October for a quarter).
    pub start: Date,
}

impl TargetPeriod {
    /// The period of `kind` starting on `start`, which must be the first day of a month (of a quarter).
    pub fn new(kind: PeriodKind, start: Date) -> Result<Self, DomainError> {
        let first_of_quarter = (start.month() - 1).is_multiple_of(3);
        if start.day() != 1 || (kind == PeriodKind::Quarter && !first_of_quarter) {
            return Err(DomainError::InvalidPeriod {
                value: start.to_string(),
                reason: "a period starts on the first day of a month (a quarter on 1 January, April, July or October)",
            });
        }
        if start.checked_add_months(Months::new(3)).is_none() {
            return Err(DomainError::InvalidPeriod { value: start.to_string(), reason: "the date is out of range" });
        }
        Ok(TargetPeriod { kind, start })
    }

    /// Parses `2026-12` (a month) or `2026-Q4` (a quarter).
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let t = text.trim();
        let bad = |reason| DomainError::InvalidPeriod { value: text.to_string(), reason };
        let (year, rest) = t.split_once('-').ok_or(bad("write a month as 2026-12 or a quarter as 2026-Q4"))?;
        let year: i32 = year.parse().map_err(|_| bad("the year is not a number (2026-12, 2026-Q4)"))?;
        let (kind, month) = match rest.strip_prefix(['q', 'Q']) {
            Some(q) => match q.parse::<u32>() {
                Ok(q @ 1..=4) => (PeriodKind::Quarter, 3 * (q - 1) + 1),
                _ => return Err(bad("the quarter is Q1, Q2, Q3 or Q4")),
            },
            None => match rest.parse::<u32>() {
                Ok(m @ 1..=12) => (PeriodKind::Month, m),
                _ => return Err(bad("the month is 01 to 12")),
            },
        };
        let start = Date::from_ymd_opt(year, month, 1).ok_or(bad("the date is out of range"))?;
        TargetPeriod::new(kind, start)
    }

    /// The period that contains `date`.
    pub fn containing(kind: PeriodKind, date: Date) -> Self {
        let month = match kind {
            PeriodKind::Month => date.month(),
            PeriodKind::Quarter => 3 * ((date.month() - 1) / 3) + 1,
        };
        let start = Date::from_ymd_opt(date.year(), month, 1).unwrap_or(date);
        TargetPeriod { kind, start }
    }

    /// The last day (inclusive).
    pub fn end(&self) -> Date {
        let months = match self.kind {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
        };
        self.start.checked_add_months(Months::new(months)).and_then(|d| d.pred_opt()).unwrap_or(self.start)
    }

    /// Days in the period (28 to 92).
    pub fn days(&self) -> i64 {
        (self.end() - self.start).num_days() + 1
    }

    /// Whether `date` lies in the period.
    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date <= self.end()
    }

    /// The name people use: `2026-12` or `2026-Q4` (what [`TargetPeriod::parse`] reads).
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Month => self.start.format("%Y-%m").to_string(),
            PeriodKind::Quarter => format!("{}-Q{}", self.start.year(), (self.start.month() - 1) / 3 + 1),
        }
    }
}

impl std::fmt::Display for TargetPeriod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

/// A target: `channel` (a channel key, `None` for all social channels together) should end `period` with
/// `metric` `comparison` `threshold`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub channel: Option<String>,
    pub metric: TargetMetric,
    pub comparison: Comparison,
    /// In the metric's unit ([`TargetMetric::unit`]): a fraction, minor units per engagement, minor units, hours.
    pub threshold: f64,
    pub period: TargetPeriod,
}

impl Target {
    /// A target, with a threshold that is a finite number the metric can take (a rate in [0, 1], money and hours
    /// not negative).
    pub fn new(
        channel: Option<String>,
        metric: TargetMetric,
        comparison: Comparison,
        threshold: f64,
        period: TargetPeriod,
    ) -> Result<Self, DomainError> {
        let reason = if !threshold.is_finite() {
            Some("the threshold must be a number")
        } else if threshold < 0.0 {
            Some("the threshold cannot be negative")
        } else if metric == TargetMetric::EngagementRate && threshold > 1.0 {
            Some("an engagement rate is a fraction of impressions between 0 and 1 (4 % is 0.04)")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(DomainError::InvalidThreshold { value: threshold.to_string(), reason });
        }
        Ok(Target { channel, metric, comparison, threshold, period })
    }

    /// `linkedin-company engagement_rate >= 0.04 in 2026-12` (the channel key, or `all social`).
    pub fn describe(&self) -> String {
        format!(
            "{} {} {} {} in {}",
            self.channel.as_deref().unwrap_or("all social"),
            self.metric,
            self.comparison.symbol(),
            self.threshold,
            self.period
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_parse_and_know_their_days() {
        let dec = TargetPeriod::parse("2026-12").unwrap();
        assert_eq!(
            (dec.kind, dec.start, dec.end(), dec.days()),
            (PeriodKind::Month, d(2026, 12, 1), d(2026, 12, 31), 31)
        );
        let feb = TargetPeriod::parse("2028-02").unwrap();
        assert_eq!(feb.days(), 29);
        let q4 = TargetPeriod::parse("2026-q4").unwrap();
        assert_eq!(
            (q4.start, q4.end(), q4.days(), q4.label()),
            (d(2026, 10, 1), d(2026, 12, 31), 92, "2026-Q4".into())
        );
        assert_eq!(TargetPeriod::containing(PeriodKind::Quarter, d(2026, 5, 17)).label(), "2026-Q2");
        for bad in ["2026", "2026-13", "2026-Q5", "x-01", "2026-00", ""] {
            assert!(TargetPeriod::parse(bad).is_err(), "{bad}");
        }
        assert!(TargetPeriod::new(PeriodKind::Quarter, d(2026, 2, 1)).is_err());
        assert!(TargetPeriod::new(PeriodKind::Month, d(2026, 2, 2)).is_err());
    }

    #[test]
    fn thresholds_are_checked() {
        let p = TargetPeriod::parse("2026-12").unwrap();
        assert!(Target::new(None, TargetMetric::EngagementRate, Comparison::AtLeast, 4.0, p).is_err());
        assert!(Target::new(None, TargetMetric::Pipeline, Comparison::AtLeast, -1.0, p).is_err());
        assert!(Target::new(None, TargetMetric::ResponseTime, Comparison::AtMost, f64::NAN, p).is_err());
        let t = Target::new(Some("li".into()), TargetMetric::EngagementRate, Comparison::AtLeast, 0.04, p).unwrap();
        assert_eq!(t.describe(), "li engagement_rate >= 0.04 in 2026-12");
        assert_eq!(TargetMetric::parse("cpe").unwrap().natural_comparison(), Comparison::AtMost);
        assert_eq!(Comparison::parse(">=").unwrap(), Comparison::AtLeast);
        let eur = crate::Currency::EUR;
        assert_eq!(TargetMetric::EngagementRate.parse_threshold("4%", eur).unwrap(), 0.04);
        assert_eq!(TargetMetric::EngagementRate.parse_threshold("0.04", eur).unwrap(), 0.04);
        assert_eq!(TargetMetric::CostPerEngagement.parse_threshold("0.80", eur).unwrap(), 80.0);
        assert_eq!(TargetMetric::Pipeline.parse_threshold("50000", eur).unwrap(), 5_000_000.0);
        assert_eq!(TargetMetric::ResponseTime.parse_threshold(" 4 ", eur).unwrap(), 4.0);
        assert!(TargetMetric::Pipeline.parse_threshold("5%", eur).is_err());
        assert!(TargetMetric::ResponseTime.parse_threshold("soon", eur).is_err());
    }
}
