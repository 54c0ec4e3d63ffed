//! What the Overview and Channels pages share: the banner saying which data the stored report was computed from
//! (and that a recompute is under way), the channel filter of the URL, and money in the report's currency.

use crate::analyses::ReportView;
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;
use socialledger_domain::{Currency, Money};
use socialledger_report::figures;

/// The URL's filter, kept across the navigation's links: `?channel=KEY` shows that channel only,
/// `?from=YYYY-MM-DD&to=YYYY-MM-DD` the period (on the pages that can filter by date; the others say they cannot).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Filter {
    pub channel: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Filter {
    /// Whether the row of channel `key` is shown.
    pub fn shows(&self, key: &str) -> bool {
        self.channel().is_none_or(|c| c == key)
    }

    /// The channel asked for, if any.
    pub fn channel(&self) -> Option<&str> {
        self.channel.as_deref().map(str::trim).filter(|c| !c.is_empty())
    }

    /// The period asked for: each day parsed, or what is wrong with it (a sentence for the page).
    pub fn period(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), String> {
        let day = |name: &str, v: &Option<String>| -> Result<Option<NaiveDate>, String> {
            match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| format!("{name} {text:?} is not a date: write YYYY-MM-DD, e.g. 2026-01-31")),
            }
        };
        let (from, to) = (day("from", &self.from)?, day("to", &self.to)?);
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(format!("the period starts ({f}) after it ends ({t}): swap from and to"));
            }
        }
        Ok((from, to))
    }

    /// True when a period is asked for (valid or not).
    pub fn has_period(&self) -> bool {
        [&self.from, &self.to].iter().any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()))
    }

    /// The filter as URL query pairs (only those given).
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        for (name, value) in [("channel", &self.channel), ("from", &self.from), ("to", &self.to)] {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                out.push((name, v));
            }
        }
        out
    }

    /// `path` with the filter's query (`/posts?channel=x&from=...`), encoded.
    pub fn link(&self, path: &str) -> String {
        link_with(path, &self.pairs())
    }
}

/// `path?k=v&...`, each pair encoded; `path` alone without pairs.
pub fn link_with(path: &str, pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let query: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    format!("{path}?{query}")
}

/// The period filter's inputs (a part of a GET form).
pub fn period_inputs(filter: &Filter) -> Markup {
    html! {
        label { "From " input type="date" name="from" value=(filter.from.as_deref().unwrap_or("")); }
        label { "To " input type="date" name="to" value=(filter.to.as_deref().unwrap_or("")); }
    }
}

/// What a page that reads a stored analysis of the whole history says when a period is asked for: the figures
/// are not of that period.
pub fn period_not_applied(filter: &Filter, what: &str) -> Markup {
    html! {
        @if filter.has_period() {
            p.notice.period-ignored {
                "The period " (filter.from.as_deref().unwrap_or("…")) " to " (filter.to.as_deref().unwrap_or("…"))
                " is not applied here: " (what) " is computed once per change of the data over the whole history, \
                 not per period. The Posts page filters by date; for a period's report run "
                code { "socialledger report --from YYYY-MM-DD --to YYYY-MM-DD" } "."
            }
        }
    }
}

/// When the result was computed and from which data; a notice while a recompute is under way (the page then
/// reloads itself every few seconds through `<meta http-equiv=refresh>`, no script).
pub fn banner(view: &ReportView) -> Markup {
    html! {
        @if let Some(r) = &view.result {
            p.computed {
                "Computed at " span.computed-at { (r.computed_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)) }
                " from the data " code.fingerprint { (r.fingerprint) } "."
            }
            @if let Some(settings) = view.json.as_deref().map(|j| &j["settings"]).filter(|s| s.is_object()) {
                (settings_used(settings))
            }
        }
        @if view.recomputing {
            p.notice.recomputing {
                @if view.result.is_some() {
                    "The data changed since (now " code { (view.fingerprint) } "): the figures below are of the \
                     earlier data while they are computed again."
                } @else {
                    "The figures are being computed for the first time; this page reloads when they are ready."
                }
            }
        }
        @if let Some(f) = &view.failure {
            p.error { "The last computation failed: " (f) }
        }
    }
}

/// The analysis settings a stored result was computed with (its JSON's `settings`), in words: the figures rest on
/// them, and the Settings page changes them.
pub fn settings_used(settings: &Value) -> Markup {
    let number = |v: &Value| v.as_f64().map_or("?".to_string(), |n| format!("{n}"));
    let margin =
        settings["gross_margin"].as_f64().map_or("?".to_string(), |m| format!("{} %", (m * 1000.0).round() / 10.0));
    let sales = if settings["credit_sales_touches"] == true { "credited" } else { "not credited" };
    html! {
        p.settings-used {
            "Computed with the settings: currency " (text(&settings["currency"]))
            ", gross margin " (margin)
            ", attribution window " (number(&settings["lookback_days"])) " days"
            ", time-decay half-life " (number(&settings["half_life_days"])) " days"
            ", revenue journeys end at deal " (text(&settings["journey_end"]))
            ", sales meetings " (sales)
            ". The owner and managers change them on the Settings page; the figures are then computed again."
        }
    }
}

/// The `<meta>` that reloads a page while its figures are being computed.
pub fn reload(view: &ReportView) -> Markup {
    html! { @if view.recomputing { meta http-equiv="refresh" content="5"; } }
}

/// The report's currency (EUR when the report does not name one).
pub fn currency(report: &Value) -> Currency {
    report["currency"].as_str().and_then(|c| Currency::parse(c).ok()).unwrap_or(Currency::EUR)
}

/// An amount in minor units.
pub fn money_minor(minor: i64, currency: Currency) -> String {
    figures::money(Money::new(minor, currency))
}

/// An amount in major units (the verdict's figures), rounded to the currency's minor unit.
pub fn money_major(major: f64, currency: Currency) -> String {
    money_minor(major_to_minor(major, currency), currency)
}

/// Major units to minor units, rounded.
pub fn major_to_minor(major: f64, currency: Currency) -> i64 {
    (major * 10f64.powi(currency.exponent() as i32)).round() as i64
}

/// A text field, or "".
pub fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}
