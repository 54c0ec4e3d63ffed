//! Meta Business Suite single-metric daily insight files (Insights → Overview/Results → a chart → Export, one
//! metric per file: `Reach.csv`, `Follows.csv`, `Views.csv`, `Visits.csv`, `Interactions.csv`, `Link clicks.csv`).
//!
//! Layout: UTF-16 LE with a BOM (decoded by the shared reader), a first line `sep=,` (Excel's separator hint), a
//! title line naming the metric and mostly the network (`"Facebook reach"`, `"Instagram follows"`, or only
//! `"Views"`), then `"Date","Primary"` and one row per day: `"2025-01-01T00:00:00","123"`.
//!
//! **Days left out.** Meta leaves out the days without activity. Between the first and the last listed day, a
//! missing day is therefore stored as 0 (so that a mean over days is not the mean of active days only); before the
//! first and after the last listed day nothing is stored, because the file does not say which period was
//! exported. A note says how many days were filled.
//!
//! **Where figures land.** Counts of events of one day have a column in the channel's day ([`ChannelDay`], merged
//! with what other files wrote for the same day): follows → `new_followers`, views → `impressions` (Meta's views
//! replaced impressions), visits → `profile_visits`, interactions → `engagements`. Figures of people (reach,
//! viewers) and those without a column (link clicks, any other metric) are kept as printed, as
//! [`PeriodMetric`]s of that day (source the channel key, dimension `date`): a day's reach is de-duplicated within
//! the day, so days' reach must not be added up, and nothing adds it up.

use super::canonical::SeenKeys;
use super::social_common::report_missing_header;
use crate::channel::{resolve_channel, AccountClue};
use crate::parse::{self, DateFormat};
use crate::read::Headed;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{AccountKind, ChannelDay, Dataset, Date, Network, PeriodMetric};
use std::collections::BTreeMap;

const REQUIRED: &[&str] = &["Date", "Primary"];

/// Meta Business Suite single-metric daily insight file.
#[derive(Debug, Clone, Copy)]
pub struct MetaDaily;

crate::formats::delegate_format!(
    MetaDaily,
    name: "meta-daily",
    description: "Meta Business Suite daily insight file, one metric each (UTF-16, sep=, then \"Facebook reach\", \
                  then Date,Primary: Reach.csv, Follows.csv, Views.csv, Visits.csv, Interactions.csv, Link clicks.csv)",
    detect: |file| header_and_title(file).is_some(),
    parse: parse,
);

/// The ChannelDay column a metric fills, or `None` when it is kept as a printed period metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    NewFollowers,
    Impressions,
    ProfileVisits,
    Engagements,
}

/// The column of a metric named in the title (without the network), compared case-insensitively.
fn column_of(metric: &str) -> Option<Column> {
    match metric {
        "follows" | "new follows" | "follows on facebook" | "follows on instagram" => Some(Column::NewFollowers),
        "views" => Some(Column::Impressions),
        "visits" | "profile visits" | "page visits" => Some(Column::ProfileVisits),
        "interactions" | "content interactions" => Some(Column::Engagements),
        _ => None,
    }
}

/// The header `Date,Primary` with a title row above it (the row before the header, one non-empty cell).
fn header_and_title(file: &SourceFile) -> Option<(Headed<'_>, String)> {
    file.tables.iter().find_map(|t| {
        let h = t.header(REQUIRED)?;
        if h.headers.len() != 2 || h.header_row == 0 {
            return None;
        }
        let above = &t.rows[h.header_row - 1];
        let cells: Vec<&str> = above.cells.iter().map(str::trim).filter(|c| !c.is_empty()).collect();
        match cells.as_slice() {
            [title] if !title.to_ascii_lowercase().starts_with("sep=") => Some((h, title.to_string())),
            _ => None,
        }
    })
}

/// The network named at the start of the title and the metric after it, lower-cased: `Facebook reach` ->
/// (Facebook, `reach`); `Views` -> (None, `views`).
fn split_title(title: &str) -> (Option<Network>, String) {
    let lower = title.trim().to_lowercase();
    for (prefix, network) in [("facebook ", Network::Facebook), ("instagram ", Network::Instagram)] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            return (Some(network), rest.trim().to_string());
        }
    }
    (None, lower)
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some((h, title)) = header_and_title(file) else {
        report_missing_header(
            file,
            errs,
            "a Meta Business Suite daily insight file (title line, then Date,Primary)",
            REQUIRED,
        );
        return ds;
    };
    let sheet = h.table.sheet.as_deref();
    let title_line = h.table.rows[h.header_row - 1].line;
    let (named, metric) = split_title(&title);
    // The title names the network; a title without one ("Views") takes the network of the `--channel` given.
    let chosen = opts.channel.as_deref().and_then(|k| opts.existing_channels.iter().find(|c| c.key == k));
    let Some(network) = named.or_else(|| chosen.and_then(|c| c.network)) else {
        errs.report(
            &file.display_name,
            sheet,
            title_line,
            None,
            format!("the title {title:?} does not say whether the figures are Facebook's or Instagram's"),
            Some("import the file with --channel KEY naming the Facebook or Instagram channel it belongs to".into()),
        );
        return ds;
    };
    let kind = (network == Network::Facebook).then_some(AccountKind::Page);
    let channel = match resolve_channel(AccountClue::new(network, kind, &file.display_name), opts) {
        Ok(c) => c,
        Err(e) => {
            errs.report(&file.display_name, sheet, title_line, None, e.message(), Some(e.hint()));
            return ds;
        }
    };
    let (c_date, c_value) = (h.col("Date"), h.col("Primary"));
    let mut days: BTreeMap<Date, i64> = BTreeMap::new();
    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        // `2025-01-01T00:00:00`: a day, written as its midnight.
        let date = r.req_with(c_date, |t| {
            let day = t.trim().split_once('T').map_or(t.trim(), |(d, _)| d);
            parse::parse_date(day, &[DateFormat::Iso])
                .map_err(|e| format!("{e}; Meta writes the day as 2025-01-01T00:00:00"))
        });
        let value = r.req_count(c_value);
        if let Some(d) = date {
            seen.check(d, || format!("day {d}"), r, c_date);
        }
        if let (Some(d), Some(v), false) = (date, value, r.failed()) {
            days.insert(d, v);
        }
    });
    let listed = days.len();
    if let (Some(&first), Some(&last)) = (days.keys().next(), days.keys().next_back()) {
        for d in first.iter_days().take_while(|d| *d <= last) {
            days.entry(d).or_insert(0);
        }
    }
    if days.len() > listed {
        errs.note(format!(
            "{}: {} day(s) between the first and the last listed day were left out by Meta (no activity) and are \
             stored as 0",
            file.display_name,
            days.len() - listed
        ));
    }
    match column_of(&metric) {
        Some(column) => {
            for (&date, &v) in &days {
                let mut day = ChannelDay { channel: channel.key.clone(), date: Some(date), ..Default::default() };
                match column {
                    Column::NewFollowers => day.new_followers = Some(v),
                    Column::Impressions => day.impressions = Some(v),
                    Column::ProfileVisits => day.profile_visits = Some(v),
                    Column::Engagements => day.engagements = Some(v),
                }
                ds.channel_days.push(day);
            }
        }
        None => {
            for (&date, &v) in &days {
                ds.period_metrics.push(PeriodMetric {
                    source: channel.key.clone(),
                    dimension: "date".into(),
                    value: date.to_string(),
                    period_start: date,
                    period_end: date,
                    metric: metric.clone(),
                    amount: Some(v as f64),
                });
            }
        }
    }
    ds.channels.push(channel);
    ds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_name_the_network_and_the_metric() {
        assert_eq!(split_title("Facebook reach"), (Some(Network::Facebook), "reach".to_string()));
        assert_eq!(split_title("Instagram Follows"), (Some(Network::Instagram), "follows".to_string()));
        assert_eq!(split_title("Content interactions"), (None, "content interactions".to_string()));
        assert_eq!(column_of("content interactions"), Some(Column::Engagements));
        assert_eq!(column_of("reach"), None);
    }
}
