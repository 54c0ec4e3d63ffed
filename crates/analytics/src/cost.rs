//! The full cost of each channel: staff time at each person's hourly cost, cost items and activity spend, per
//! month and task.
//!
//! Rules (also in docs/metrics.md):
//! - Staff cost of a time entry = minutes x the person's hourly cost / 60, computed exactly in i128 minor units
//!   and rounded once per entry, half away from zero. Entries of people without an hourly cost (or unknown
//!   people) are counted in hours but not costed, and listed in `uncosted_people`.
//! - Cost items count in full in their month. Activity spend is spread over the activity's months in proportion
//!   to its days in each month (start and end inclusive), by largest remainder so the parts add up exactly.
//! - A period selects time entries by date, and cost items and activity shares by month (a month counts when
//!   it overlaps the period; give whole months for exact figures).
//! - Entries, items and activities without a channel are "social in general": reported separately in
//!   `general`, never spread over the channels.
//! - Amounts (hourly costs, items, spend) in another currency than the settings' are excluded, never converted,
//!   and counted in `currency_exclusions`.

use crate::engagement::ChannelEngagement;
use crate::{allocation, month_start, next_month, ratio, Settings};
use serde::Serialize;
use socialledger_domain::{Currency, Dataset, Date, Person, Task, TimeEntry};
use std::collections::BTreeMap;

/// Tasks whose time creates value beyond sales (service, hiring, press, purchasing).
pub const VALUE_BEYOND_SALES: [Task; 4] = [Task::CustomerService, Task::Recruiting, Task::Pr, Task::Procurement];

/// Time and staff cost spent on one task.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskTime {
    pub task: Task,
    pub minutes: i64,
    pub hours: f64,
    /// Staff cost of the costed part of these minutes.
    pub cost_minor: i64,
}

/// Full cost of one channel (or of social in general, `channel: None`) over the period, in minor units of the
/// settings' currency.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelCost {
    pub channel: Option<String>,
    /// Sum over time entries of hours x hourly cost.
    pub staff_minor: i64,
    /// Cost items (tools, ads, agency, freelancers).
    pub items_minor: i64,
    /// Activity spend, spread over the activity's months by days.
    pub activity_minor: i64,
    /// staff + items + activity.
    pub total_minor: i64,
    /// All tracked minutes, costed or not.
    pub minutes: i64,
    pub hours: f64,
    /// Minutes of people without a usable hourly cost (counted in `minutes`, not in `staff_minor`).
    pub uncosted_minutes: i64,
    /// Time and cost per task, every task in declaration order.
    pub by_task: Vec<TaskTime>,
    /// Minutes on customer service, recruiting, PR and procurement.
    pub value_beyond_sales_minutes: i64,
    pub value_beyond_sales_hours: f64,
    pub value_beyond_sales_minor: i64,
    /// staff / total; `None` when the total is zero.
    pub staff_share: Option<f64>,
    /// Posts published in the period (from the engagement figures).
    pub posts: u64,
    /// hours / posts.
    pub hours_per_post: Option<f64>,
    /// total / posts, rounded to the minor unit.
    pub cost_per_post_minor: Option<i64>,
    /// Engagements in the period (from the engagement figures).
    pub engagements: Option<i64>,
    /// total / engagements, rounded to the minor unit.
    pub cost_per_engagement_minor: Option<i64>,
}

impl ChannelCost {
    /// A channel with no cost at all.
    pub fn empty(channel: Option<String>) -> Self {
        ChannelCost {
            channel,
            staff_minor: 0,
            items_minor: 0,
            activity_minor: 0,
            total_minor: 0,
            minutes: 0,
            hours: 0.0,
            uncosted_minutes: 0,
            by_task: Task::ALL.iter().map(|&task| TaskTime { task, minutes: 0, hours: 0.0, cost_minor: 0 }).collect(),
            value_beyond_sales_minutes: 0,
            value_beyond_sales_hours: 0.0,
            value_beyond_sales_minor: 0,
            staff_share: None,
            posts: 0,
            hours_per_post: None,
            cost_per_post_minor: None,
            engagements: None,
            cost_per_engagement_minor: None,
        }
    }
}

/// Cost of one channel (or of social in general) in one calendar month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonthlyCost {
    pub channel: Option<String>,
    /// First day of the month.
    pub month: Date,
    pub staff_minor: i64,
    pub items_minor: i64,
    pub activity_minor: i64,
    pub total_minor: i64,
    pub minutes: i64,
}

/// Someone whose time could not be costed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UncostedPerson {
    pub person: String,
    /// `no_hourly_cost` (person known, no cost) or `unknown_person` (no person record).
    pub reason: String,
    pub minutes: i64,
}

/// Records left out because their amount is in another currency than the settings' (never converted).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CurrencyExclusion {
    /// `cost_item`, `activity` or `hourly_cost` (time entries of people paid in another currency).
    pub record: String,
    pub currency: Currency,
    pub count: u64,
    /// Sum of the excluded amounts in their own currency (0 for `hourly_cost`).
    pub amount_minor: i64,
    /// Minutes left uncosted (`hourly_cost` only).
    pub minutes: i64,
}

/// Cost of every channel in the period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostReport {
    pub currency: Currency,
    /// Channels with any cost or time, sorted by key.
    pub channels: Vec<ChannelCost>,
    /// Social in general: entries, items and activities without a channel.
    pub general: ChannelCost,
    /// Per channel (general first, `channel: null`) and month, sorted.
    pub monthly: Vec<MonthlyCost>,
    /// Sum of every channel's total and the general total.
    pub total_minor: i64,
    pub uncosted_people: Vec<UncostedPerson>,
    pub currency_exclusions: Vec<CurrencyExclusion>,
}

/// Staff cost of `minutes` at `hourly_minor` per hour, exactly: `minutes x hourly / 60` in i128, rounded half
/// away from zero to the minor unit.
pub fn staff_cost_minor(minutes: i64, hourly_minor: i64) -> i64 {
    let num = minutes as i128 * hourly_minor as i128;
    let q = num / 60;
    let r = num % 60;
    let rounded = if 2 * r.abs() >= 60 { q + num.signum() } else { q };
    rounded.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// How one time entry is costed, by the rule every cost figure shares (the person's hourly cost, exactly, in
/// the reporting currency; see [`staff_cost_minor`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryCost {
    /// The staff cost of the entry in minor units of the reporting currency.
    Costed(i64),
    /// The person is paid in another currency: the entry counts in hours, not in cost (never converted).
    OtherCurrency(Currency),
    /// The person has no hourly cost.
    NoHourlyCost,
    /// No person record has the entry's person key.
    UnknownPerson,
}

impl EntryCost {
    /// The cost in minor units, `None` when the entry cannot be costed.
    pub fn minor(self) -> Option<i64> {
        match self {
            EntryCost::Costed(c) => Some(c),
            _ => None,
        }
    }
}

/// People by key, for [`entry_cost`].
pub fn people_by_key(dataset: &Dataset) -> BTreeMap<&str, &Person> {
    dataset.people.iter().map(|p| (p.key.as_str(), p)).collect()
}

/// The staff cost of one time entry in `currency`: minutes x the person's hourly cost (the one rule of
/// [`costs`], used by the mix panel too, so hours are never costed two ways).
pub fn entry_cost(people: &BTreeMap<&str, &Person>, entry: &TimeEntry, currency: Currency) -> EntryCost {
    match people.get(entry.person.as_str()).map(|p| p.hourly_cost) {
        Some(Some(rate)) if rate.currency == currency => EntryCost::Costed(staff_cost_minor(entry.minutes, rate.minor)),
        Some(Some(rate)) => EntryCost::OtherCurrency(rate.currency),
        Some(None) => EntryCost::NoHourlyCost,
        None => EntryCost::UnknownPerson,
    }
}

/// Spreads `amount` minor units over the calendar months from `start` to `end` (inclusive; an `end` before
/// `start` is read as `start`) in proportion to the days of each month, by largest remainder: the parts add up
/// exactly to `amount`. Returns `(first day of month, part)` in month order.
pub fn spread_by_days(start: Date, end: Date, amount: i64) -> Vec<(Date, i64)> {
    let end = end.max(start);
    let mut months = Vec::new();
    let mut days = Vec::new();
    let mut cursor = start;
    while cursor <= end {
        let next = next_month(cursor);
        let last = next.pred_opt().unwrap_or(cursor).min(end);
        months.push(month_start(cursor));
        days.push((last - cursor).num_days() as u64 + 1);
        if next <= cursor {
            break;
        }
        cursor = next;
    }
    let parts = allocation::by_integer_shares(amount, &days);
    months.into_iter().zip(parts).collect()
}

/// Spreads `amount` (minor units, or any integer quantity) evenly over the days from `start` to `end`
/// (inclusive; an `end` before `start` is read as `start`), by largest remainder: the parts add up exactly to
/// `amount`, earlier days take the leftover units. Returns `(day, part)` in day order. The daily counterpart of
/// [`spread_by_days`]: summed over a month it gives that month's share up to the largest-remainder unit.
pub fn spread_daily(start: Date, end: Date, amount: i64) -> Vec<(Date, i64)> {
    let end = end.max(start);
    let days = (end - start).num_days() as usize + 1;
    let parts = allocation::by_integer_shares(amount, &vec![1; days]);
    start.iter_days().zip(parts).collect()
}

/// Rounded `num / den` for minor units, half away from zero; `None` when `den` is zero.
fn div_round(num: i64, den: i64) -> Option<i64> {
    if den == 0 {
        return None;
    }
    let (n, d) = (num as i128, den as i128);
    let q = n / d;
    let r = n % d;
    let rounded = if 2 * r.abs() >= d.abs() { q + (n.signum() * d.signum()) } else { q };
    Some(rounded as i64)
}

#[derive(Default)]
struct Month {
    staff: i64,
    items: i64,
    activity: i64,
    minutes: i64,
}

/// Cost per channel, month and task over the period. `engagement` supplies posts and engagements for the
/// per-post and per-engagement figures (pass `&[]` to leave them out).
pub fn costs(dataset: &Dataset, settings: &Settings, engagement: &[ChannelEngagement]) -> CostReport {
    let currency = settings.currency;
    let mut months: BTreeMap<(Option<String>, Date), Month> = BTreeMap::new();
    let mut rows: BTreeMap<Option<String>, ChannelCost> = BTreeMap::new();
    let mut uncosted: BTreeMap<(String, &'static str), i64> = BTreeMap::new();
    let mut exclusions: BTreeMap<(&'static str, Currency), (u64, i64, i64)> = BTreeMap::new();
    let people = people_by_key(dataset);

    for e in dataset.time_entries.iter().filter(|e| settings.contains(e.date)) {
        let row = rows.entry(e.channel.clone()).or_insert_with(|| ChannelCost::empty(e.channel.clone()));
        let cost = match entry_cost(&people, e, currency) {
            EntryCost::Costed(c) => Some(c),
            EntryCost::OtherCurrency(other) => {
                let x = exclusions.entry(("hourly_cost", other)).or_default();
                x.0 += 1;
                x.2 = x.2.saturating_add(e.minutes);
                None
            }
            EntryCost::NoHourlyCost => {
                let v = uncosted.entry((e.person.clone(), "no_hourly_cost")).or_default();
                *v = v.saturating_add(e.minutes);
                None
            }
            EntryCost::UnknownPerson => {
                let v = uncosted.entry((e.person.clone(), "unknown_person")).or_default();
                *v = v.saturating_add(e.minutes);
                None
            }
        };
        row.minutes = row.minutes.saturating_add(e.minutes);
        let task = row.by_task.iter_mut().find(|t| t.task == e.task);
        if let Some(t) = task {
            t.minutes = t.minutes.saturating_add(e.minutes);
            t.cost_minor = t.cost_minor.saturating_add(cost.unwrap_or(0));
        }
        match cost {
            Some(c) => row.staff_minor = row.staff_minor.saturating_add(c),
            None => row.uncosted_minutes = row.uncosted_minutes.saturating_add(e.minutes),
        }
        let m = months.entry((e.channel.clone(), month_start(e.date))).or_default();
        m.staff = m.staff.saturating_add(cost.unwrap_or(0));
        m.minutes = m.minutes.saturating_add(e.minutes);
    }

    for item in dataset.cost_items.iter().filter(|i| settings.overlaps_month(i.month)) {
        if item.amount.currency != currency {
            let x = exclusions.entry(("cost_item", item.amount.currency)).or_default();
            x.0 += 1;
            x.1 = x.1.saturating_add(item.amount.minor);
            continue;
        }
        let row = rows.entry(item.channel.clone()).or_insert_with(|| ChannelCost::empty(item.channel.clone()));
        row.items_minor = row.items_minor.saturating_add(item.amount.minor);
        let m = months.entry((item.channel.clone(), month_start(item.month))).or_default();
        m.items = m.items.saturating_add(item.amount.minor);
    }

    for a in &dataset.activities {
        let Some(spend) = a.spend else { continue };
        let shares: Vec<(Date, i64)> = spread_by_days(a.start, a.end, spend.minor)
            .into_iter()
            .filter(|(month, _)| settings.overlaps_month(*month))
            .collect();
        if shares.is_empty() {
            continue;
        }
        if spend.currency != currency {
            let x = exclusions.entry(("activity", spend.currency)).or_default();
            x.0 += 1;
            x.1 = x.1.saturating_add(spend.minor);
            continue;
        }
        let row = rows.entry(a.channel.clone()).or_insert_with(|| ChannelCost::empty(a.channel.clone()));
        for (month, part) in shares {
            row.activity_minor = row.activity_minor.saturating_add(part);
            let m = months.entry((a.channel.clone(), month)).or_default();
            m.activity = m.activity.saturating_add(part);
        }
    }

    let by_key: BTreeMap<&str, &ChannelEngagement> = engagement.iter().map(|e| (e.channel.as_str(), e)).collect();
    let mut total_minor = 0i64;
    for row in rows.values_mut() {
        row.total_minor = row.staff_minor.saturating_add(row.items_minor).saturating_add(row.activity_minor);
        total_minor = total_minor.saturating_add(row.total_minor);
        row.hours = row.minutes as f64 / 60.0;
        for t in &mut row.by_task {
            t.hours = t.minutes as f64 / 60.0;
            if VALUE_BEYOND_SALES.contains(&t.task) {
                row.value_beyond_sales_minutes = row.value_beyond_sales_minutes.saturating_add(t.minutes);
                row.value_beyond_sales_minor = row.value_beyond_sales_minor.saturating_add(t.cost_minor);
            }
        }
        row.value_beyond_sales_hours = row.value_beyond_sales_minutes as f64 / 60.0;
        row.staff_share = ratio(row.staff_minor as f64, row.total_minor as f64);
        if let Some(e) = row.channel.as_deref().and_then(|k| by_key.get(k)) {
            fill_output(row, e);
        }
    }
    let general = rows.remove(&None).unwrap_or_else(|| ChannelCost::empty(None));
    // Channels with posts or engagements but no cost at all still get a row with per-post figures left empty,
    // so the cost table lists every channel that did something.
    for e in engagement {
        rows.entry(Some(e.channel.clone())).or_insert_with(|| {
            let mut row = ChannelCost::empty(Some(e.channel.clone()));
            fill_output(&mut row, e);
            row
        });
    }

    CostReport {
        currency,
        channels: rows.into_values().collect(),
        general,
        monthly: months
            .into_iter()
            .map(|((channel, month), m)| MonthlyCost {
                channel,
                month,
                staff_minor: m.staff,
                items_minor: m.items,
                activity_minor: m.activity,
                total_minor: m.staff.saturating_add(m.items).saturating_add(m.activity),
                minutes: m.minutes,
            })
            .collect(),
        total_minor,
        uncosted_people: uncosted
            .into_iter()
            .map(|((person, reason), minutes)| UncostedPerson { person, reason: reason.to_string(), minutes })
            .collect(),
        currency_exclusions: exclusions
            .into_iter()
            .map(|((record, currency), (count, amount_minor, minutes))| CurrencyExclusion {
                record: record.to_string(),
                currency,
                count,
                amount_minor,
                minutes,
            })
            .collect(),
    }
}

/// The per-post and per-engagement figures of a cost row.
fn fill_output(row: &mut ChannelCost, e: &ChannelEngagement) {
    row.posts = e.posts;
    row.engagements = e.engagements;
    if e.posts > 0 {
        row.hours_per_post = ratio(row.hours, e.posts as f64);
        row.cost_per_post_minor = div_round(row.total_minor, e.posts as i64);
    }
    if let Some(n) = e.engagements.filter(|&n| n > 0) {
        row.cost_per_engagement_minor = div_round(row.total_minor, n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use proptest::prelude::*;
    use socialledger_domain::{Money, Task::*, TimeEntry};

    fn usd(minor: i64) -> Money {
        Money::new(minor, Currency::USD)
    }

    /// A known example: two costed people (60.00 and 33.33 EUR/h), one without a cost, one paid in USD, one
    /// unknown; a tool, a general item, a USD item; an event spread over January and February.
    fn dataset() -> Dataset {
        let mut ds = Dataset {
            people: vec![
                person("anna", Some(eur(6000))),
                person("ben", Some(eur(3333))),
                person("carl", None),
                person("dora", Some(usd(5000))),
            ],
            ..Dataset::default()
        };
        ds.time_entries = vec![
            entry("e1", "anna", "2024-01-15", 90, Some("linkedin"), Content),
            entry("e2", "ben", "2024-01-20", 45, Some("linkedin"), CustomerService),
            entry("e3", "ben", "2024-02-03", 20, Some("linkedin"), Community),
            entry("e4", "carl", "2024-02-10", 120, Some("linkedin"), Content),
            entry("e5", "anna", "2024-02-11", 30, None, Reporting),
            entry("e6", "dora", "2024-02-12", 60, Some("x"), Content),
            entry("e7", "zed", "2024-01-05", 15, Some("x"), Other),
        ];
        ds.cost_items = vec![
            item(Some("linkedin"), "2024-01-01", eur(10_000)),
            item(None, "2024-02-01", eur(5_000)),
            item(Some("x"), "2024-02-01", usd(2_000)),
        ];
        ds.activities = vec![activity("fair", Some("linkedin"), "2024-01-20", "2024-02-10", Some(eur(100_000)))];
        ds
    }

    #[test]
    fn issue_12_cost_sums_saturate_instead_of_wrapping() {
        let mut ds = Dataset::default();
        for (i, amount) in [i64::MAX, i64::MAX, 5].into_iter().enumerate() {
            ds.cost_items.push(socialledger_domain::CostItem {
                channel: Some("x".into()),
                month: Date::from_ymd_opt(2024, 1, 1).unwrap(),
                kind: socialledger_domain::CostKind::Tool,
                amount: socialledger_domain::Money::new(amount, Currency::EUR),
                description: format!("item {i}"),
            });
        }
        let report = costs(&ds, &Settings::default(), &[]);
        assert_eq!(report.total_minor, i64::MAX);
        assert_eq!(report.monthly[0].total_minor, i64::MAX);
    }

    #[test]
    fn staff_cost_rounds_once_per_entry() {
        assert_eq!(staff_cost_minor(90, 6000), 9000);
        // 45 min at 33.33/h = 24.9975 -> 25.00
        assert_eq!(staff_cost_minor(45, 3333), 2500);
        // 20 min at 33.33/h = 11.11 exactly
        assert_eq!(staff_cost_minor(20, 3333), 1111);
        // 1 min at 0.30/h = 0.005 -> 0.01 (half away from zero), and symmetric for corrections
        assert_eq!(staff_cost_minor(1, 30), 1);
        assert_eq!(staff_cost_minor(-1, 30), -1);
        assert_eq!(staff_cost_minor(1, 29), 0);
    }

    #[test]
    fn spend_is_spread_by_days_exactly() {
        // 12 January days and 10 February days: 545.454.. and 454.545.. -> 545.45 and 454.55.
        assert_eq!(
            spread_by_days(d("2024-01-20"), d("2024-02-10"), 100_000),
            vec![(d("2024-01-01"), 54_545), (d("2024-02-01"), 45_455)]
        );
        assert_eq!(spread_by_days(d("2024-03-05"), d("2024-03-05"), 999), vec![(d("2024-03-01"), 999)]);
        // An end before the start is read as a one-day activity.
        assert_eq!(spread_by_days(d("2024-03-05"), d("2024-03-01"), 7), vec![(d("2024-03-01"), 7)]);
        // Across a year end, 31 + 31 + 1 days.
        let parts = spread_by_days(d("2023-12-01"), d("2024-02-01"), 6_300);
        assert_eq!(parts, vec![(d("2023-12-01"), 3_100), (d("2024-01-01"), 3_100), (d("2024-02-01"), 100)]);
    }

    #[test]
    fn known_cost_example() {
        let r = costs(&dataset(), &Settings::default(), &[]);
        assert_eq!(r.channels.len(), 2);
        let li = &r.channels[0];
        assert_eq!(li.channel.as_deref(), Some("linkedin"));
        assert_eq!((li.staff_minor, li.items_minor, li.activity_minor), (12_611, 10_000, 100_000));
        assert_eq!(li.total_minor, 122_611);
        assert_eq!((li.minutes, li.uncosted_minutes), (275, 120));
        assert!((li.staff_share.unwrap() - 12_611.0 / 122_611.0).abs() < 1e-15);
        let task = |t: Task| li.by_task.iter().find(|x| x.task == t).map(|x| (x.minutes, x.cost_minor)).unwrap();
        assert_eq!(task(Content), (210, 9000));
        assert_eq!(task(CustomerService), (45, 2500));
        assert_eq!(task(Community), (20, 1111));
        assert_eq!(task(Recruiting), (0, 0));
        assert_eq!((li.value_beyond_sales_minutes, li.value_beyond_sales_minor), (45, 2500));
        assert_eq!(li.value_beyond_sales_hours, 0.75);

        let x = &r.channels[1];
        assert_eq!((x.minutes, x.uncosted_minutes, x.total_minor, x.staff_share), (75, 75, 0, None));

        assert_eq!(r.general.channel, None);
        assert_eq!((r.general.staff_minor, r.general.items_minor, r.general.total_minor), (3000, 5000, 8000));
        assert_eq!(r.total_minor, 130_611);

        let months: Vec<_> = r
            .monthly
            .iter()
            .map(|m| (m.channel.as_deref(), m.month, m.staff_minor, m.items_minor, m.activity_minor, m.minutes))
            .collect();
        assert_eq!(
            months,
            vec![
                (None::<&str>, d("2024-02-01"), 3000, 5000, 0, 30),
                (Some("linkedin"), d("2024-01-01"), 11_500, 10_000, 54_545, 135),
                (Some("linkedin"), d("2024-02-01"), 1111, 0, 45_455, 140),
                (Some("x"), d("2024-01-01"), 0, 0, 0, 15),
                (Some("x"), d("2024-02-01"), 0, 0, 0, 60),
            ]
        );

        let people: Vec<(&str, &str, i64)> =
            r.uncosted_people.iter().map(|p| (p.person.as_str(), p.reason.as_str(), p.minutes)).collect();
        assert_eq!(people, vec![("carl", "no_hourly_cost", 120), ("zed", "unknown_person", 15)]);
        let excl: Vec<(&str, &str, u64, i64, i64)> = r
            .currency_exclusions
            .iter()
            .map(|x| (x.record.as_str(), x.currency.as_str(), x.count, x.amount_minor, x.minutes))
            .collect();
        assert_eq!(excl, vec![("cost_item", "USD", 1, 2000, 0), ("hourly_cost", "USD", 1, 0, 60)]);
    }

    #[test]
    fn per_post_and_per_engagement_figures() {
        let mut e = ChannelEngagement::empty("linkedin");
        e.posts = 4;
        e.engagements = Some(55);
        let r = costs(&dataset(), &Settings::default(), &[e, ChannelEngagement::empty("youtube")]);
        let li = &r.channels[0];
        assert_eq!(li.hours_per_post, Some(275.0 / 60.0 / 4.0));
        // 1226.11 / 4 = 306.5275 -> 306.53; 1226.11 / 55 = 22.2929 -> 22.29
        assert_eq!((li.cost_per_post_minor, li.cost_per_engagement_minor), (Some(30_653), Some(2_229)));
        // A channel without any cost still gets a (zero) row.
        assert_eq!(
            r.channels.iter().map(|c| c.channel.as_deref().unwrap()).collect::<Vec<_>>(),
            ["linkedin", "x", "youtube"]
        );
    }

    #[test]
    fn period_takes_entries_by_date_and_items_by_month() {
        let s = Settings { period: Some((d("2024-02-01"), d("2024-02-29"))), ..Settings::default() };
        let r = costs(&dataset(), &s, &[]);
        let li = &r.channels[0];
        assert_eq!((li.staff_minor, li.items_minor, li.activity_minor), (1111, 0, 45_455));
        assert_eq!(r.general.total_minor, 8000);
    }

    proptest! {
        #[test]
        fn cost_is_additive_over_months(
            entries in proptest::collection::vec((0usize..3, 0usize..4, 1u32..366, 1i64..600, 0usize..8), 0..30),
            items in proptest::collection::vec((0usize..3, 1u32..13, 0i64..1_000_000), 0..10),
            acts in proptest::collection::vec((0usize..3, 1u32..366, 0u32..120, 0i64..10_000_000), 0..6),
        ) {
            let channels = [Some("linkedin"), Some("x"), None];
            let mut ds = Dataset { people: vec![person("a", Some(eur(4_321))), person("b", Some(eur(2_999))), person("c", None)], ..Dataset::default() };
            let who = ["a", "b", "c", "nobody"];
            let day_of = |n: u32| Date::from_yo_opt(2024, n).unwrap();
            for (i, (c, p, day_n, minutes, t)) in entries.into_iter().enumerate() {
                ds.time_entries.push(TimeEntry {
                    key: i.to_string(), person: who[p].into(), date: day_of(day_n), minutes,
                    channel: channels[c].map(str::to_string), task: Task::ALL[t], note: None,
                });
            }
            for (c, m, amount) in items {
                ds.cost_items.push(item(channels[c], &format!("2024-{m:02}-01"), eur(amount)));
            }
            for (i, (c, start, len, spend)) in acts.into_iter().enumerate() {
                let start = day_of(start);
                let end = start + chrono::Days::new(len as u64);
                let mut a = activity(&i.to_string(), channels[c], "2024-01-01", "2024-01-01", Some(eur(spend)));
                (a.start, a.end) = (start, end);
                ds.activities.push(a);
            }
            let whole = Settings { period: Some((d("2024-01-01"), d("2025-12-31"))), ..Settings::default() };
            let all = costs(&ds, &whole, &[]);
            // Monthly rows add up to the channel totals ...
            for c in all.channels.iter().chain(std::iter::once(&all.general)) {
                let monthly: i64 = all.monthly.iter().filter(|m| m.channel == c.channel).map(|m| m.total_minor).sum();
                prop_assert_eq!(monthly, c.total_minor);
            }
            // ... and the costs of each month analysed on its own add up to the whole.
            let mut sum = 0i64;
            let mut month = d("2024-01-01");
            while month <= d("2025-12-01") {
                let s = Settings { period: Some((month, crate::month_end(month))), ..Settings::default() };
                sum += costs(&ds, &s, &[]).total_minor;
                month = crate::next_month(month);
            }
            prop_assert_eq!(sum, all.total_minor);
            // Activity spend is never lost or created by the spread.
            let spend: i64 = ds.activities.iter().map(|a| a.spend.unwrap().minor).sum();
            let spread: i64 = all.channels.iter().chain(std::iter::once(&all.general)).map(|c| c.activity_minor).sum();
            prop_assert_eq!(spread, spend);
        }
    }
}
