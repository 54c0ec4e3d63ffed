//! The analysis settings a workspace keeps: the text a key/value table (`settings`, in the store) holds for each
//! assumption of [`Settings`], how it is read back, and what a valid value is.
//!
//! The web app's Settings page writes these keys and `socialledger report`, `attribution` and `verdict` read them
//! as their defaults (a flag still wins), so the page and the command line compute the same figures. Parsing
//! lives here, beside [`Settings`], so both read one rule; the store keeps the values as opaque text. The period
//! is never stored: a workspace's stored analyses are of the whole history.

use crate::settings::{JourneyEnd, Settings};
use crate::AnalyticsError;
use socialledger_domain::Currency;

/// One stored setting: its key in the `settings` table, its name for people and what it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    /// The command line's flag that overrides it.
    pub flag: &'static str,
    pub label: &'static str,
    /// What it changes and what a valid value is.
    pub help: &'static str,
}

/// Every stored analysis setting, in the order the Settings page shows them.
pub const FIELDS: &[Field] = &[
    Field {
        key: "currency",
        flag: "--currency",
        label: "Reporting currency",
        help: "ISO 4217 code (EUR, USD, GBP). Amounts in other currencies are left out and counted in the notes, \
               never converted.",
    },
    Field {
        key: "gross_margin",
        flag: "--gross-margin",
        label: "Gross margin",
        help: "Share of revenue that is gross profit, used for every ROI: 0.7 or 70 %.",
    },
    Field {
        key: "lookback_days",
        flag: "--lookback-days",
        label: "Attribution window (days)",
        help: "How many days before a deal's creation (or close) a touchpoint still counts: a whole number from 1 \
               to 3650.",
    },
    Field {
        key: "half_life_days",
        flag: "--half-life-days",
        label: "Time-decay half-life (days)",
        help: "Half-life of the time-decay model: a positive number of days, at most 3650.",
    },
    Field {
        key: "journey_end",
        flag: "--journey-end",
        label: "Revenue journeys end at",
        help: "close (the won deal's close date) or creation (the deal's creation: touches during the sales \
               cycle earn no revenue credit). Pipeline journeys always end at creation.",
    },
    Field {
        key: "credit_sales_touches",
        flag: "--credit-sales-touches",
        label: "Credit sales meetings",
        help: "yes: sales meetings take part in the heuristic models' credit like a channel; no (the default): \
               they are shown apart, as how sales works a deal.",
    },
];

/// The field of `key`, if it is an analysis setting.
pub fn field(key: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.key == key)
}

/// The stored text of `key` in `settings` (the form a page shows and the table holds).
pub fn value_text(settings: &Settings, key: &str) -> String {
    match key {
        "currency" => settings.currency.to_string(),
        "gross_margin" => format!("{}", settings.gross_margin),
        "lookback_days" => settings.lookback_days.to_string(),
        "half_life_days" => format!("{}", settings.half_life_days),
        "journey_end" => settings.journey_end.as_str().to_string(),
        "credit_sales_touches" => if settings.credit_sales_touches { "yes" } else { "no" }.to_string(),
        _ => String::new(),
    }
}

/// Every stored setting of `settings` as (key, text), in [`FIELDS`] order.
pub fn to_stored(settings: &Settings) -> Vec<(&'static str, String)> {
    FIELDS.iter().map(|f| (f.key, value_text(settings, f.key))).collect()
}

/// Sets `key` of `settings` from its text, or says what is wrong with the text (a sentence that names what to
/// write). Unknown keys are an error too.
pub fn set_text(settings: &mut Settings, key: &str, text: &str) -> Result<(), String> {
    let t = text.trim();
    let number = |what: &str| -> Result<f64, String> {
        let n: f64 = t.parse().map_err(|_| format!("{t:?} is not a number; write {what}"))?;
        if n.is_finite() {
            Ok(n)
        } else {
            Err(format!("{t:?} is not a finite number; write {what}"))
        }
    };
    match key {
        "currency" => {
            settings.currency = Currency::parse(t)
                .map_err(|_| format!("{t:?} is not a currency code; write three letters, e.g. EUR"))?;
        }
        "gross_margin" => {
            let (body, percent) = match t.strip_suffix('%') {
                Some(b) => (b.trim(), true),
                None => (t, false),
            };
            let n: f64 = body
                .parse()
                .ok()
                .filter(|n: &f64| n.is_finite())
                .ok_or_else(|| format!("{t:?} is not a number; write a share such as 0.7 or 70 %"))?;
            let share = if percent { n / 100.0 } else { n };
            if !(0.0..=1.0).contains(&share) {
                return Err(format!("{t:?} is outside 0 to 1 (0 % to 100 %); 0.7 means 70 % of revenue is margin"));
            }
            settings.gross_margin = share;
        }
        "lookback_days" => {
            let days: u32 = t.parse().map_err(|_| format!("{t:?} is not a whole number of days; write e.g. 365"))?;
            if !(1..=3650).contains(&days) {
                return Err(format!("{days} days is outside 1 to 3650; write e.g. 365"));
            }
            settings.lookback_days = days;
        }
        "half_life_days" => {
            let days = number("a positive number of days, e.g. 7")?;
            if !(days > 0.0 && days <= 3650.0) {
                return Err(format!("{t:?} is not a positive number of days up to 3650; write e.g. 7"));
            }
            settings.half_life_days = days;
        }
        "journey_end" => {
            settings.journey_end =
                JourneyEnd::parse(t).map_err(|_| format!("{t:?} is neither close nor creation; write one of them"))?;
        }
        "credit_sales_touches" => {
            settings.credit_sales_touches = match t.to_ascii_lowercase().as_str() {
                "yes" | "true" | "on" | "1" => true,
                "no" | "false" | "off" | "0" | "" => false,
                _ => return Err(format!("{t:?} is neither yes nor no; write one of them")),
            };
        }
        other => return Err(format!("{other:?} is not an analysis setting")),
    }
    Ok(())
}

/// The settings a workspace keeps: the defaults with each stored analysis setting applied. Keys that are not
/// analysis settings are left to their owners; a stored value that does not parse is an error naming the key
/// (it was written by hand or by an older version), so that no figure is computed on a silently replaced value.
pub fn from_stored(pairs: &[(String, String)]) -> Result<Settings, AnalyticsError> {
    let mut settings = Settings::default();
    for (key, value) in pairs {
        if field(key).is_some() {
            set_text(&mut settings, key, value)
                .map_err(|reason| AnalyticsError::StoredSetting { key: key.clone(), reason })?;
        }
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn stored_text_round_trips_every_field() {
        let s = Settings {
            currency: Currency::USD,
            gross_margin: 0.55,
            lookback_days: 90,
            half_life_days: 3.5,
            journey_end: JourneyEnd::Creation,
            credit_sales_touches: true,
            ..Settings::default()
        };
        let stored: Vec<(String, String)> = to_stored(&s).into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        assert_eq!(from_stored(&stored).unwrap(), s);
        assert_eq!(from_stored(&[]).unwrap(), Settings::default());
    }

    #[test]
    fn other_keys_are_ignored_and_bad_values_name_their_key() {
        let s = from_stored(&pairs(&[("theme", "dark"), ("lookback_days", "30")])).unwrap();
        assert_eq!(s.lookback_days, 30);
        let e = from_stored(&pairs(&[("gross_margin", "lots")])).unwrap_err();
        assert!(e.to_string().contains("gross_margin") && e.to_string().contains("lots"), "{e}");
    }

    #[test]
    fn each_field_refuses_nonsense_with_what_to_write() {
        let mut s = Settings::default();
        for (key, bad) in [
            ("currency", "euro"),
            ("gross_margin", "1.5"),
            ("gross_margin", "NaN"),
            ("gross_margin", "-5%"),
            ("lookback_days", "0"),
            ("lookback_days", "3.5"),
            ("lookback_days", "99999"),
            ("half_life_days", "0"),
            ("half_life_days", "inf"),
            ("journey_end", "later"),
            ("credit_sales_touches", "maybe"),
            ("period", "2026"),
        ] {
            assert!(set_text(&mut s, key, bad).is_err(), "{key}={bad}");
        }
        assert_eq!(s, Settings::default(), "a refused value changes nothing");
        set_text(&mut s, "gross_margin", "62.5 %").unwrap();
        assert_eq!(s.gross_margin, 0.625);
        set_text(&mut s, "currency", "gbp").unwrap();
        assert_eq!(s.currency.to_string(), "GBP");
        assert!(s.validate().is_ok());
    }
}
