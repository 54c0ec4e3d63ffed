//! Account-based paths from the database, for the data-driven models: one journey per deal (all touchpoints of
//! the deal's account and its contacts inside the lookback window, as for the heuristic models), and one null
//! journey per account that has touchpoints but no deal.
//!
//! Outcomes by purpose:
//! * **Revenue**: a won deal is a conversion worth its amount (in major units of the report currency); a lost deal
//!   is a null journey; open deals have no outcome yet and are left out (counted).
//! * **Pipeline**: every created deal is a conversion worth its amount.
//!
//! Every deal's journey ends at the deal's creation (the hand-over from marketing to sales): touches after it are
//! the sales process, which the deal causes rather than the other way round. For the same reason sales meetings
//! (`TouchKind::Meeting`) are left out of every path: they are how sales works a deal, not a marketing channel.
//!
//! In both, an account with touchpoints and no deal at all is a null journey over its touches in the
//! `lookback_days` before its last touch. Journeys without any touch have no path and are counted, not credited.

use super::journey::{journey_end_date, period_date, JourneyIndex, JourneyPurpose};
use super::paths::{ChannelId, PathRow, PathSet};
use crate::Settings;
use serde::Serialize;
use socialledger_domain::touches::{Interner, NameId};
use socialledger_domain::{Dataset, DealStatus, TouchKind};
use std::collections::{BTreeMap, BTreeSet};

/// Paths built from the database, and what could not become a path.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccountPaths {
    pub paths: PathSet,
    /// Deals that converted but had no touchpoint in the window.
    pub conversions_without_touches: u64,
    /// Open deals left out of revenue paths (their outcome is not known yet).
    pub open_deals: u64,
    /// Accounts with touchpoints and no deal, each one null journey.
    pub accounts_without_deals: u64,
    /// Journeys left out because their window starts before the first touchpoint of the data: they would look
    /// shorter than the others only because the data begins later (deals created early in the data).
    pub cut_short: CutShort,
    /// The first day with a touchpoint in the data: windows must start on or after it.
    pub observed_from: Option<socialledger_domain::Date>,
}

/// Journeys left out because the data does not cover their whole window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct CutShort {
    pub conversions: u64,
    pub nulls: u64,
}

/// Builds the account-based paths of `dataset` for `purpose` (see the module doc).
pub fn account_paths(dataset: &Dataset, settings: &Settings, purpose: JourneyPurpose) -> AccountPaths {
    let index = JourneyIndex::new(dataset);
    let touches = index.touches();
    let scale = 10f64.powi(settings.currency.exponent() as i32);
    // Paths as channel ids of the touch set: no string per touch.
    let mut rows: Vec<(Vec<NameId>, f64, f64, f64)> = Vec::new();
    let mut conversions_without_touches = 0;
    let mut open_deals = 0;
    let mut with_deals: BTreeSet<&str> = BTreeSet::new();
    let observed_from = touches.date_span().map(|(first, _)| first);
    let lookback = chrono::Days::new(settings.lookback_days as u64);
    // A window is fully observed when it starts on or after the first touchpoint of the data.
    let fully_observed = |end: socialledger_domain::Date| {
        observed_from.is_some_and(|from| end.checked_sub_days(lookback).is_some_and(|s| s >= from))
    };
    let mut cut_short = CutShort::default();
    let mut deals: Vec<_> = dataset.deals.iter().collect();
    deals.sort_by(|a, b| a.key.cmp(&b.key));
    for deal in deals {
        if let Some(a) = deal.account.as_deref() {
            with_deals.insert(a);
        }
        let Some(amount) = deal.amount.filter(|a| a.currency == settings.currency) else { continue };
        if !settings.contains_opt(period_date(deal, purpose)) {
            continue;
        }
        // Journeys end where marketing hands over: at the deal's creation. Touches after it (sales meetings,
        // negotiation) are the deal's consequence, not its cause, and would credit the sales process.
        let handover = journey_end_date(deal, JourneyPurpose::Pipeline, settings.journey_end);
        let (converted, end) = match (purpose, deal.status) {
            (JourneyPurpose::Pipeline, _) => (true, handover),
            (JourneyPurpose::Revenue, DealStatus::Won) => (true, handover),
            (JourneyPurpose::Revenue, DealStatus::Lost) => (false, handover),
            (JourneyPurpose::Revenue, DealStatus::Open) => {
                open_deals += 1;
                continue;
            }
        };
        let Some(end) = end else { continue };
        if !fully_observed(end) {
            if converted {
                cut_short.conversions += 1;
            } else {
                cut_short.nulls += 1;
            }
            continue;
        }
        let path: Vec<NameId> = index
            .journey_rows(deal, end, settings.lookback_days)
            .into_iter()
            .map(|row| row as usize)
            .filter(|&row| touches.kind(row) != TouchKind::Meeting)
            .map(|row| touches.channel(row))
            .collect();
        if path.is_empty() {
            conversions_without_touches += u64::from(converted);
            continue;
        }
        if converted {
            rows.push((path, 1.0, amount.minor as f64 / scale, 0.0));
        } else {
            rows.push((path, 0.0, 0.0, 1.0));
        }
    }
    let mut accounts_without_deals = 0;
    for account in index.accounts() {
        if with_deals.contains(account) {
            continue;
        }
        // Rows are in key order and each row is listed once per account, so sorting by (time, row) is the
        // (time, key) order of every journey.
        let mut rows_of: Vec<u32> = index.account_touchpoints(account).to_vec();
        rows_of.sort_by(|&a, &b| touches.at(a as usize).cmp(&touches.at(b as usize)).then(a.cmp(&b)));
        // The null journey ends at the account's last touch in the period, as a deal's ends in the period.
        let Some(last) =
            rows_of.iter().map(|&r| touches.at(r as usize).date_naive()).filter(|d| settings.contains(*d)).max()
        else {
            continue;
        };
        if !fully_observed(last) {
            cut_short.nulls += 1;
            continue;
        }
        let start = last.checked_sub_days(lookback).unwrap_or(last);
        let path: Vec<NameId> = rows_of
            .iter()
            .map(|&r| r as usize)
            .filter(|&r| touches.kind(r) != TouchKind::Meeting)
            .filter(|&r| (start..=last).contains(&touches.at(r).date_naive()))
            .map(|r| touches.channel(r))
            .collect();
        if !path.is_empty() {
            accounts_without_deals += 1;
            rows.push((path, 0.0, 0.0, 1.0));
        }
    }
    let paths = path_set(touches.channels(), rows);
    AccountPaths { paths, conversions_without_touches, open_deals, accounts_without_deals, cut_short, observed_from }
}

/// The path set of `rows` over channel ids of `channels`: ids renumbered in name order and equal paths merged (in
/// row order, so sums are those [`PathSet::from_named`] gives), without a string per touch.
fn path_set(channels: &Interner, rows: Vec<(Vec<NameId>, f64, f64, f64)>) -> PathSet {
    let mut used = vec![false; channels.len()];
    for (path, ..) in &rows {
        for &c in path {
            used[c as usize] = true;
        }
    }
    let mut order: Vec<usize> = (0..channels.len()).filter(|&c| used[c]).collect();
    order.sort_by(|&a, &b| channels.name(a as NameId).cmp(channels.name(b as NameId)));
    let mut remap = vec![0 as ChannelId; channels.len()];
    for (new, &old) in order.iter().enumerate() {
        remap[old] = new as ChannelId;
    }
    let mut merged: BTreeMap<Vec<ChannelId>, (f64, f64, f64)> = BTreeMap::new();
    for (path, c, v, n) in rows {
        let e = merged.entry(path.into_iter().map(|c| remap[c as usize]).collect()).or_insert((0.0, 0.0, 0.0));
        e.0 += c;
        e.1 += v;
        e.2 += n;
    }
    PathSet {
        channels: order.iter().map(|&c| channels.name(c as NameId).to_string()).collect(),
        rows: merged
            .into_iter()
            .map(|(channels, (conversions, value, nulls))| PathRow { channels, conversions, value, nulls })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use socialledger_domain::*;

    use crate::testdata::account_touch as touch;

    fn deal(key: &str, account: &str, status: DealStatus, amount: i64, closed: u32) -> Deal {
        Deal {
            key: key.into(),
            account: Some(account.into()),
            name: key.into(),
            amount: Some(Money::new(amount, Currency::EUR)),
            created: Date::from_ymd_opt(2025, 3, 10),
            stage: None,
            status,
            closed: Date::from_ymd_opt(2025, 3, closed),
            self_reported_source: None,
        }
    }

    #[test]
    fn won_lost_open_and_dealless_accounts_become_the_right_paths() {
        let ds = Dataset {
            touchpoints: vec![
                touch("1", "a", "linkedin", 1),
                touch("2", "a", "newsletter", 5),
                touch("3", "b", "x", 2),
                touch("4", "c", "linkedin", 3),
                touch("5", "c", "x", 4),
                touch("6", "d", "events", 4),
                crate::testdata::data_start_touch(),
            ],
            deals: vec![
                deal("won", "a", DealStatus::Won, 100_000, 20),
                deal("lost", "b", DealStatus::Lost, 50_000, 21),
                deal("open", "d", DealStatus::Open, 70_000, 22),
                deal("silent", "e", DealStatus::Won, 30_000, 20),
            ],
            ..Default::default()
        };
        let out = account_paths(&ds, &Settings::default(), JourneyPurpose::Revenue);
        // `events` is touched only by the account whose deal is still open, so it is on no path.
        assert_eq!(out.paths.channels, ["linkedin", "newsletter", "x"]);
        let named: Vec<(Vec<&str>, f64, f64, f64)> = out
            .paths
            .rows
            .iter()
            .map(|r| {
                (
                    r.channels.iter().map(|&c| out.paths.channels[c as usize].as_str()).collect(),
                    r.conversions,
                    r.value,
                    r.nulls,
                )
            })
            .collect();
        assert!(named.contains(&(vec!["linkedin", "newsletter"], 1.0, 1000.0, 0.0)), "{named:?}");
        assert!(named.contains(&(vec!["x"], 0.0, 0.0, 1.0)), "lost deal is a null journey: {named:?}");
        assert!(
            named.contains(&(vec!["linkedin", "x"], 0.0, 0.0, 1.0)),
            "dealless account is a null journey: {named:?}"
        );
        assert_eq!(named.len(), 3, "the open deal's account has a deal, so it is neither a conversion nor a null");
        // The archive account's last touch is the first of the data: its window is not observed whole.
        assert_eq!(out.cut_short, CutShort { conversions: 0, nulls: 1 });
        assert_eq!(out.observed_from, Date::from_ymd_opt(2024, 2, 1));
        assert_eq!((out.open_deals, out.conversions_without_touches, out.accounts_without_deals), (1, 1, 1));
    }

    #[test]
    fn journeys_whose_window_starts_before_the_data_are_left_out_and_counted() {
        // The data begins on 2025-03-01. With a 9-day lookback a deal created on 2025-03-10 has the window
        // 03-01..03-10, observed whole; one created on 03-09 would reach back to 02-28, before the data.
        let settings = Settings { lookback_days: 9, ..Settings::default() };
        let mut early = deal("early", "b", DealStatus::Won, 10_000, 20);
        early.created = Date::from_ymd_opt(2025, 3, 9);
        let ds = Dataset {
            touchpoints: vec![touch("1", "a", "linkedin", 1), touch("2", "b", "x", 2), touch("3", "c", "pr", 10)],
            deals: vec![deal("kept", "a", DealStatus::Won, 100_000, 20), early],
            ..Default::default()
        };
        let out = account_paths(&ds, &settings, JourneyPurpose::Revenue);
        assert_eq!(out.observed_from, Date::from_ymd_opt(2025, 3, 1));
        assert_eq!(out.cut_short, CutShort { conversions: 1, nulls: 0 });
        assert_eq!(out.paths.channels, ["linkedin", "pr"], "the early deal's x touch is on no path");
        assert_eq!(out.paths.total_conversions(), 1.0);
        // The dealless account's window ends at its last touch (03-10) and starts on 03-01: kept.
        assert_eq!(out.accounts_without_deals, 1);
    }
}
