//! Targets in words: a figure in its metric's unit and one line per checked target (the text of the terminal
//! output, the web page's cells and the alerts' messages).

use crate::figures::{decimal, money};
use socialledger_analytics::targets::{Status, TargetCheck};
use socialledger_domain::{Currency, Money, TargetMetric};

/// A figure of `metric` for people: a rate as a percentage (`4.12 %`), money in its currency (`1,200 EUR`; a
/// cost per engagement with cents, `0.85 EUR`), hours with one decimal (`3.5 h`).
pub fn figure(metric: TargetMetric, value: f64, currency: Currency) -> String {
    match metric {
        TargetMetric::EngagementRate => format!("{} %", decimal(value * 100.0, 2)),
        TargetMetric::CostPerEngagement => {
            let major = value / 10f64.powi(currency.exponent() as i32);
            format!("{} {currency}", decimal(major, 2))
        }
        TargetMetric::Pipeline => {
            let minor = if value.is_finite() { value.round() as i64 } else { 0 };
            money(Money::new(minor, currency))
        }
        TargetMetric::ResponseTime => format!("{} h", decimal(value, 1)),
    }
}

/// `linkedin: engagement_rate >= 4.00 % in 2026-12`.
pub fn target_words(check: &TargetCheck, currency: Currency) -> String {
    let t = &check.target;
    format!(
        "{}: {} {} {} in {}",
        t.channel.as_deref().unwrap_or("all social"),
        t.metric,
        t.comparison.symbol(),
        figure(t.metric, t.threshold, currency),
        t.period
    )
}

/// The forecast with its interval (`4.10 % (90 % interval 3.90 % to 4.30 %)`), or why there is none.
pub fn forecast_words(check: &TargetCheck, currency: Currency) -> String {
    let metric = check.target.metric;
    match &check.evaluation.forecast {
        Some(f) if f.low == f.high => figure(metric, f.value, currency),
        Some(f) => format!(
            "{} (90 % interval {} to {})",
            figure(metric, f.value, currency),
            figure(metric, f.low, currency),
            figure(metric, f.high, currency)
        ),
        None => "no forecast yet".to_string(),
    }
}

/// One line per target: what it is, its status, the figure so far, the forecast and the reason.
pub fn line(check: &TargetCheck, currency: Currency) -> String {
    let e = &check.evaluation;
    let so_far = e.so_far.map_or("no data".to_string(), |v| figure(check.target.metric, v, currency));
    format!(
        "#{} {}: {} (so far {} after {} of {} days; forecast {}; {})",
        check.id,
        target_words(check, currency),
        e.status.words(),
        so_far,
        e.days_elapsed,
        e.days_total,
        forecast_words(check, currency),
        e.reason
    )
}

/// The message of an alert about `check` (its status changed to off track, or back on track).
pub fn alert_message(check: &TargetCheck, currency: Currency) -> String {
    let verb = match check.evaluation.status {
        Status::OffTrack => "is off track",
        Status::OnTrack => "is back on track",
        Status::CannotTell => "cannot be told yet",
    };
    format!(
        "Target #{} {} {verb}: forecast {} ({}).",
        check.id,
        target_words(check, currency),
        forecast_words(check, currency),
        check.evaluation.reason
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_carry_their_unit() {
        assert_eq!(figure(TargetMetric::EngagementRate, 0.0412, Currency::EUR), "4.12 %");
        assert_eq!(figure(TargetMetric::CostPerEngagement, 85.4, Currency::EUR), "0.85 EUR");
        assert_eq!(figure(TargetMetric::Pipeline, 1_200_049.0, Currency::EUR), "12,000 EUR");
        assert_eq!(figure(TargetMetric::ResponseTime, 3.46, Currency::EUR), "3.5 h");
    }
}
