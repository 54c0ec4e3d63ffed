//! Value beyond sales: time a channel takes for customer service, recruiting, PR and procurement, valued by
//! assumptions the user owns, beside (never inside) revenue and ROI. docs/value-beyond-sales.md documents the file.
//!
//! A channel that answers support questions or sources hires saves work elsewhere. What that is worth is no
//! measurement but an assumption (what an hour of that work would cost through another channel; what one hire is
//! worth), so every figure carries the assumption it rests on, and nothing here is added to attributed revenue.

use crate::cost::{costs, staff_cost_minor, VALUE_BEYOND_SALES};
use crate::target_group::definition::toml_message;
use crate::{AnalyticsError, Settings};
use serde::{Deserialize, Serialize};
use socialledger_domain::{Currency, Dataset, Money, Task};
use std::collections::BTreeMap;

/// The user's assumptions: per task a value per hour and optionally a value per unit, plus the units counted
/// per channel. Amounts are in the reporting currency.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueAssumptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_service: Option<TaskAssumption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recruiting: Option<TaskAssumption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr: Option<TaskAssumption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procurement: Option<TaskAssumption>,
    /// Units the user counted per channel over the period (`[units.linkedin] recruiting = 2`: two hires
    /// sourced on LinkedIn).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub units: BTreeMap<String, UnitCounts>,
}

/// What one task's work is worth.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskAssumption {
    /// What an hour of this work on the channel is worth: what handling it through another channel would cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_per_hour: Option<f64>,
    /// What one unit of outcome is called (`hire`, `case`, `article`); `unit` when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// What one unit is worth (a hire sourced: the agency fee saved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_per_unit: Option<f64>,
}

/// Units per task on one channel.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitCounts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_service: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recruiting: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procurement: Option<u64>,
}

impl UnitCounts {
    fn get(&self, task: Task) -> Option<u64> {
        match task {
            Task::CustomerService => self.customer_service,
            Task::Recruiting => self.recruiting,
            Task::Pr => self.pr,
            Task::Procurement => self.procurement,
            _ => None,
        }
    }
}

impl ValueAssumptions {
    /// Parses and checks the file's text; errors name the key and say what to do (the caller adds the file).
    pub fn from_toml_str(text: &str) -> Result<ValueAssumptions, AnalyticsError> {
        let a: ValueAssumptions =
            toml::from_str(text).map_err(|e| AnalyticsError::ValueAssumptions(toml_message(text, &e)))?;
        a.validate()?;
        Ok(a)
    }

    /// Values finite and not negative; units only for a task with a value per unit; something to value.
    pub fn validate(&self) -> Result<(), AnalyticsError> {
        let bad = |m: String| Err(AnalyticsError::ValueAssumptions(m));
        let mut any = false;
        for task in VALUE_BEYOND_SALES {
            let Some(t) = self.task(task) else { continue };
            for (key, v) in [("value_per_hour", t.value_per_hour), ("value_per_unit", t.value_per_unit)] {
                if let Some(v) = v {
                    if !v.is_finite() || v < 0.0 {
                        return bad(format!("{task}.{key} = {v}: write an amount of 0 or more"));
                    }
                    any = true;
                }
            }
            if t.unit.as_deref().is_some_and(|u| u.trim().is_empty()) {
                return bad(format!("{task}.unit is blank: name the unit (hire, case) or leave the key out"));
            }
        }
        for (channel, counts) in &self.units {
            for task in VALUE_BEYOND_SALES {
                if counts.get(task).is_some() && self.task(task).and_then(|t| t.value_per_unit).is_none() {
                    return bad(format!(
                        "units.{channel}.{task} counts units, but [{task}] has no value_per_unit: add it, or remove \
                         the count"
                    ));
                }
            }
        }
        if !any {
            return bad(
                "no value given: add value_per_hour (or value_per_unit) under [customer_service], [recruiting], [pr] \
                 or [procurement] (see docs/value-beyond-sales.md)"
                    .into(),
            );
        }
        Ok(())
    }

    fn task(&self, task: Task) -> Option<&TaskAssumption> {
        match task {
            Task::CustomerService => self.customer_service.as_ref(),
            Task::Recruiting => self.recruiting.as_ref(),
            Task::Pr => self.pr.as_ref(),
            Task::Procurement => self.procurement.as_ref(),
            _ => None,
        }
    }
}

/// Value beyond sales per channel, in minor units of `currency`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValueBeyondSalesReport {
    pub currency: Currency,
    /// The assumptions as read: every value below rests on them.
    pub assumptions: ValueAssumptions,
    /// Channels with time on these tasks or counted units, sorted by key.
    pub channels: Vec<ChannelValue>,
    /// Minutes on these tasks without a channel (social in general): not valued, as no channel earns them.
    pub general_minutes: i64,
    /// The sum of every channel's value. Not revenue: never add it to attributed revenue or ROI.
    pub total_value_minor: i64,
}

/// One channel's value beyond sales, beside its cost.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelValue {
    pub channel: String,
    /// The channel's full cost in the period (staff, items, activities), for scale.
    pub cost_total_minor: i64,
    /// One row per task of value beyond sales, in declaration order.
    pub tasks: Vec<TaskValue>,
    /// Sum of the tasks' values.
    pub value_minor: i64,
}

/// One task on one channel: its time, its value under the assumptions and its cost.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskValue {
    pub task: Task,
    pub minutes: i64,
    pub hours: f64,
    /// The assumption, in minor units per hour; `None` when the file gives none for the task.
    pub value_per_hour_minor: Option<i64>,
    /// minutes x value per hour / 60, rounded once to the minor unit.
    pub value_from_hours_minor: i64,
    pub unit: Option<String>,
    /// Units the user counted on this channel.
    pub units: Option<u64>,
    pub value_per_unit_minor: Option<i64>,
    /// units x value per unit.
    pub value_from_units_minor: i64,
    /// value from hours + value from units.
    pub value_minor: i64,
    /// Staff cost of this time (hours x each person's hourly cost).
    pub staff_cost_minor: i64,
    /// staff cost of this task / the channel's full cost: the part of the channel's cost this work takes.
    pub cost_share: Option<f64>,
    /// The assumption in words (`12.5 h x 45.00 EUR/h + 2 hire x 6000.00 EUR`), or why there is no value.
    pub assumption: String,
}

/// The value beyond sales of every channel under `assumptions`, with hours and staff cost from
/// [`crate::cost::costs`] over `settings.period`.
pub fn value_beyond_sales(
    dataset: &Dataset,
    settings: &Settings,
    assumptions: &ValueAssumptions,
) -> ValueBeyondSalesReport {
    let currency = settings.currency;
    let report = costs(dataset, settings, &[]);
    let minor = |major: f64| Money::from_major_f64(major, currency).minor;
    let shown = |m: i64| Money::new(m, currency).to_string();

    let mut keys: Vec<String> = report.channels.iter().filter_map(|c| c.channel.clone()).collect();
    keys.extend(assumptions.units.keys().map(|k| k.trim().to_lowercase()));
    keys.sort();
    keys.dedup();

    let mut channels = Vec::new();
    for key in keys {
        let cost = report.channels.iter().find(|c| c.channel.as_deref() == Some(key.as_str()));
        let counts = assumptions.units.iter().find(|(k, _)| k.trim().to_lowercase() == key).map(|(_, c)| c);
        let cost_total_minor = cost.map_or(0, |c| c.total_minor);
        let mut tasks = Vec::new();
        for task in VALUE_BEYOND_SALES {
            let time = cost.and_then(|c| c.by_task.iter().find(|t| t.task == task));
            let (minutes, task_cost_minor) = time.map_or((0, 0), |t| (t.minutes, t.cost_minor));
            let units = counts.and_then(|c| c.get(task));
            if minutes == 0 && units.is_none() {
                continue;
            }
            let a = assumptions.task(task);
            let per_hour = a.and_then(|a| a.value_per_hour).map(minor);
            let per_unit = a.and_then(|a| a.value_per_unit).map(minor);
            let unit = a.map(|a| a.unit.clone().unwrap_or_else(|| "unit".to_string()));
            let from_hours = per_hour.map_or(0, |v| staff_cost_minor(minutes, v));
            let from_units = match (units, per_unit) {
                (Some(n), Some(v)) => (n.min(i64::MAX as u64) as i64).saturating_mul(v),
                _ => 0,
            };
            let mut words = Vec::new();
            if let Some(v) = per_hour {
                words.push(format!("{:.2} h x {}/h", minutes as f64 / 60.0, shown(v)));
            }
            if let (Some(n), Some(v)) = (units, per_unit) {
                words.push(format!("{n} {} x {}", unit.as_deref().unwrap_or("unit"), shown(v)));
            }
            let assumption = if words.is_empty() {
                format!("no value assumed for {task}: add [{task}] value_per_hour to value it")
            } else {
                words.join(" + ")
            };
            tasks.push(TaskValue {
                task,
                minutes,
                hours: minutes as f64 / 60.0,
                value_per_hour_minor: per_hour,
                value_from_hours_minor: from_hours,
                unit: units.and(unit),
                units,
                value_per_unit_minor: per_unit,
                value_from_units_minor: from_units,
                value_minor: from_hours.saturating_add(from_units),
                staff_cost_minor: task_cost_minor,
                cost_share: (cost_total_minor > 0).then(|| task_cost_minor as f64 / cost_total_minor as f64),
                assumption,
            });
        }
        if tasks.is_empty() {
            continue;
        }
        let value_minor = tasks.iter().fold(0i64, |s, t| s.saturating_add(t.value_minor));
        channels.push(ChannelValue { channel: key, cost_total_minor, tasks, value_minor });
    }
    let general_minutes = report.general.value_beyond_sales_minutes;
    let total_value_minor = channels.iter().fold(0i64, |s, c| s.saturating_add(c.value_minor));
    ValueBeyondSalesReport { currency, assumptions: assumptions.clone(), channels, general_minutes, total_value_minor }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use socialledger_domain::{Person, Team, TimeEntry};

    fn entry(n: usize, person: &str, minutes: i64, channel: Option<&str>, task: Task) -> TimeEntry {
        TimeEntry {
            key: format!("e{n}"),
            person: person.into(),
            date: NaiveDate::from_ymd_opt(2025, 3, 3).unwrap(),
            minutes,
            channel: channel.map(Into::into),
            task,
            note: None,
        }
    }

    fn dataset() -> Dataset {
        let mut ds = Dataset::default();
        ds.people.push(Person {
            key: "ann".into(),
            name: "Ann".into(),
            team: Team::CustomerService,
            hourly_cost: Some(Money::new(4000, Currency::EUR)),
        });
        ds.time_entries = vec![
            entry(1, "ann", 90, Some("linkedin"), Task::CustomerService),
            entry(2, "ann", 30, Some("linkedin"), Task::Recruiting),
            entry(3, "ann", 60, Some("linkedin"), Task::Content),
            entry(4, "ann", 45, Some("x"), Task::CustomerService),
            entry(5, "ann", 20, None, Task::Pr),
        ];
        ds
    }

    const FILE: &str =
        "[customer_service]\nvalue_per_hour = 45.0\n[recruiting]\nvalue_per_hour = 30\nunit = \"hire\"\n\
                        value_per_unit = 6000.0\n[units.LinkedIn]\nrecruiting = 2\n";

    #[test]
    fn values_are_hours_times_the_assumption_plus_counted_units() {
        let a = ValueAssumptions::from_toml_str(FILE).unwrap();
        let r = value_beyond_sales(&dataset(), &Settings::default(), &a);
        assert_eq!(r.channels.len(), 2);
        let li = &r.channels[0];
        assert_eq!((li.channel.as_str(), li.cost_total_minor), ("linkedin", 12000));
        let cs = &li.tasks[0];
        assert_eq!(
            (cs.task, cs.minutes, cs.value_from_hours_minor, cs.staff_cost_minor),
            (Task::CustomerService, 90, 6750, 6000)
        );
        assert_eq!(cs.cost_share, Some(0.5));
        assert_eq!(cs.assumption, "1.50 h x 45.00 EUR/h");
        let rec = &li.tasks[1];
        assert_eq!(
            (rec.value_from_hours_minor, rec.value_from_units_minor, rec.value_minor),
            (1500, 1_200_000, 1_201_500)
        );
        assert_eq!(rec.assumption, "0.50 h x 30.00 EUR/h + 2 hire x 6000.00 EUR");
        assert_eq!(li.value_minor, 6750 + 1_201_500);
        assert_eq!(r.channels[1].value_minor, 3375);
        assert_eq!(r.general_minutes, 20);
        assert_eq!(r.total_value_minor, 6750 + 1_201_500 + 3375);
    }

    #[test]
    fn time_on_a_task_without_an_assumption_says_so() {
        let mut ds = dataset();
        ds.time_entries.push(entry(6, "ann", 60, Some("x"), Task::Procurement));
        let a = ValueAssumptions::from_toml_str("[customer_service]\nvalue_per_hour = 10").unwrap();
        let r = value_beyond_sales(&ds, &Settings::default(), &a);
        let proc = r.channels[1].tasks.iter().find(|t| t.task == Task::Procurement).unwrap();
        assert_eq!(proc.value_minor, 0);
        assert!(proc.assumption.starts_with("no value assumed for procurement"), "{}", proc.assumption);
    }

    #[test]
    fn bad_files_name_the_key() {
        let e = |t: &str| ValueAssumptions::from_toml_str(t).unwrap_err().to_string();
        assert!(e("[recruiting]\nvalue_per_hour = -1").contains("recruiting.value_per_hour = -1"));
        assert!(e("[units.x]\npr = 1\n[pr]\nvalue_per_hour = 1").contains("units.x.pr counts units"));
        assert!(e("[support]\nvalue_per_hour = 1").contains("unknown field `support`"));
        assert!(e("").contains("no value given"));
        assert!(e("[pr]\nvalue_per_hour = \"a lot\"").contains("line 2"));
    }
}
