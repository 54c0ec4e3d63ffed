//! What the Overview and Channels pages share: the banner saying which data the stored report was computed from
//! (and that a recompute is under way), the channel filter of the URL, and money in the report's currency.

use crate::analyses::ReportView;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;
use socialledger_domain::{Currency, Money};
use socialledger_report::figures;

/// The URL's filter: `?channel=KEY` shows that channel only.
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    pub channel: Option<String>,
}

impl Filter {
    /// Whether the row of channel `key` is shown.
    pub fn shows(&self, key: &str) -> bool {
        self.channel.as_deref().is_none_or(|c| c.is_empty() || c == key)
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
