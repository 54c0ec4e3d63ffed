//! Small weekly panels for the crate's unit tests: spend channels whose cost is their input, from Monday
//! 2024-01-01 on.

use crate::panel::{ChannelGroup, ControlSeries, Frequency, InputKind, MediaSeries, Panel};
use chrono::NaiveDate;

/// A weekly panel of `target` with spend channels `(key, values)` and controls `(name, values)`.
pub(crate) fn weekly(target: Vec<f64>, channels: Vec<(&str, Vec<f64>)>, controls: Vec<(&str, Vec<f64>)>) -> Panel {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    Panel {
        frequency: Frequency::Weekly,
        dates: (0..target.len()).map(|t| start + chrono::Duration::days(7 * t as i64)).collect(),
        target_name: "y".into(),
        target,
        currency: String::new(),
        channels: channels
            .into_iter()
            .map(|(key, values)| MediaSeries {
                key: key.into(),
                name: key.into(),
                input: InputKind::Spend,
                group: ChannelGroup::Paid,
                cost: values.clone(),
                values,
            })
            .collect(),
        controls: controls.into_iter().map(|(name, values)| ControlSeries { name: name.into(), values }).collect(),
    }
}
