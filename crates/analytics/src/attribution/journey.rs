//! Account-based journeys: the touchpoints that lead to one deal, in time order, inside the lookback window.
//!
//! A deal's journey holds every touchpoint of the deal's account (touchpoints whose `account` is the deal's
//! account, or whose contact belongs to it via `Dataset::contacts`) and every touchpoint that names the deal,
//! dated within `lookback_days` before the journey's end date and not after it. Dates are UTC calendar dates:
//! a touch on the end date counts, a touch `lookback_days` days before it counts, one day earlier does not.
//! Touches are sorted by time, then key, so journeys (and credits) are deterministic.

use crate::{JourneyEnd, Settings};
use serde::Serialize;
use socialledger_domain::{Dataset, Date, Deal, DealStatus, Timestamp, TouchKind, Touches};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// What a journey is credited for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JourneyPurpose {
    /// Ends at the deal's creation: credits pipeline.
    Pipeline,
    /// Ends at the won deal's close (or creation, see [`JourneyEnd`]): credits revenue.
    Revenue,
}

/// One touch of a journey.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Touch {
    /// The touchpoint's row in [`Dataset::touches`], which is its rank in key order: it breaks ties between
    /// touches at the same instant exactly as the key would, without carrying the key.
    pub row: u32,
    /// The channel key, shared with the touchpoint set (cloning it does not copy the text).
    #[serde(serialize_with = "shared_str")]
    pub channel: Arc<str>,
    pub at: Timestamp,
    pub kind: TouchKind,
}

fn shared_str<S: serde::Serializer>(s: &Arc<str>, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(s)
}

/// The touches leading to one deal, with the milestones position-based models need.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Journey {
    pub deal: String,
    pub purpose: JourneyPurpose,
    /// The journey's last day (inclusive).
    pub end_date: Date,
    /// The instant the journey ends: midnight (UTC) after `end_date`. Time-decay ages count back from it.
    pub end: Timestamp,
    /// Touches in time order (then key, that is row).
    pub touches: Vec<Touch>,
    /// Earliest `created_at` of the account's contacts (when the account became a lead), if known.
    pub lead_created: Option<Timestamp>,
    /// Midnight after the deal's creation date, if known.
    pub opportunity_created: Option<Timestamp>,
    /// Midnight after the close date, for revenue journeys that end at a close; `None` otherwise.
    pub closed: Option<Timestamp>,
}

/// Midnight (UTC) after `date`: the exclusive end of that day.
pub fn end_of_day(date: Date) -> Timestamp {
    let next = date.succ_opt().unwrap_or(date);
    next.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// Looks journeys up by account and deal. Holds row numbers of [`Dataset::touches`], never strings per touch: an
/// account is numbered once, and a touch's account (its own, or its contact's) is found through those numbers.
#[derive(Debug)]
pub struct JourneyIndex<'a> {
    touches: Cow<'a, Touches>,
    /// Account keys with at least one touch, sorted, and their number in `by_account`.
    accounts: BTreeMap<Arc<str>, u32>,
    /// Rows of each account's touches (its own and its contacts'), in row order.
    by_account: Vec<Vec<u32>>,
    /// Rows of the touches naming each deal, by deal id of the touch set.
    by_deal: Vec<Vec<u32>>,
    lead_created: BTreeMap<&'a str, Timestamp>,
}

impl<'a> JourneyIndex<'a> {
    pub fn new(dataset: &'a Dataset) -> Self {
        let touches = dataset.touches();
        // Account numbers: the touch set's account ids first, then accounts known only through contacts.
        let mut names: Vec<Arc<str>> = touches.accounts().names().to_vec();
        let mut extra: HashMap<&str, u32> = HashMap::new();
        let mut contact_account: Vec<Option<u32>> = vec![None; touches.contacts().len()];
        for c in &dataset.contacts {
            let (Some(account), Some(id)) = (c.account.as_deref(), touches.contacts().get(&c.key)) else { continue };
            let number = touches.accounts().get(account).unwrap_or_else(|| {
                *extra.entry(account).or_insert_with(|| {
                    names.push(Arc::from(account));
                    (names.len() - 1) as u32
                })
            });
            // The last contact row with this key wins, as a map built from the contacts would.
            contact_account[id as usize] = Some(number);
        }
        let mut by_account: Vec<Vec<u32>> = vec![Vec::new(); names.len()];
        let mut by_deal: Vec<Vec<u32>> = vec![Vec::new(); touches.deals().len()];
        for row in 0..touches.len() {
            let own = touches.account(row);
            let via_contact = touches.contact(row).and_then(|c| contact_account[c as usize]);
            if let Some(a) = own {
                by_account[a as usize].push(row as u32);
            }
            if let Some(a) = via_contact.filter(|a| Some(*a) != own) {
                by_account[a as usize].push(row as u32);
            }
            if let Some(d) = touches.deal(row) {
                by_deal[d as usize].push(row as u32);
            }
        }
        let accounts: BTreeMap<Arc<str>, u32> = names
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !by_account[*i].is_empty())
            .map(|(i, name)| (name, i as u32))
            .collect();
        let mut lead_created: BTreeMap<&str, Timestamp> = BTreeMap::new();
        for c in &dataset.contacts {
            if let (Some(a), Some(at)) = (c.account.as_deref(), c.created_at) {
                let slot = lead_created.entry(a).or_insert(at);
                *slot = (*slot).min(at);
            }
        }
        JourneyIndex { touches, accounts, by_account, by_deal, lead_created }
    }

    /// The touch set the index numbers rows of.
    pub fn touches(&self) -> &Touches {
        &self.touches
    }

    /// Accounts that have at least one touchpoint, sorted.
    pub fn accounts(&self) -> impl Iterator<Item = &str> + '_ {
        self.accounts.keys().map(|k| &**k)
    }

    /// The rows of `account`'s touchpoints (its own and its contacts'), in row order.
    pub fn account_touchpoints(&self, account: &str) -> &[u32] {
        self.accounts.get(account).map_or(&[][..], |&a| &self.by_account[a as usize])
    }

    /// The rows of the touches of `deal`'s journey ending on `end_date` (inclusive), looking back
    /// `lookback_days` days, in time order (then row).
    pub fn journey_rows(&self, deal: &Deal, end_date: Date, lookback_days: u32) -> Vec<u32> {
        let mut idx: Vec<u32> = Vec::new();
        if let Some(account) = deal.account.as_deref() {
            idx.extend(self.account_touchpoints(account));
        }
        if let Some(d) = self.touches.deals().get(&deal.key) {
            idx.extend(&self.by_deal[d as usize]);
        }
        idx.sort_unstable();
        idx.dedup();
        let start = end_date.checked_sub_days(chrono::Days::new(lookback_days as u64)).unwrap_or(Date::MIN);
        let end = end_of_day(end_date);
        let t = &*self.touches;
        idx.retain(|&i| {
            let at = t.at(i as usize);
            at < end && at.date_naive() >= start
        });
        idx.sort_by(|&a, &b| t.at(a as usize).cmp(&t.at(b as usize)).then(a.cmp(&b)));
        idx
    }

    /// The journey of `deal` ending on `end_date` (inclusive), looking back `lookback_days` days.
    pub fn journey(&self, deal: &Deal, purpose: JourneyPurpose, end_date: Date, lookback_days: u32) -> Journey {
        let t = &*self.touches;
        let touches: Vec<Touch> = self
            .journey_rows(deal, end_date, lookback_days)
            .into_iter()
            .map(|row| {
                let i = row as usize;
                Touch { row, channel: t.channel_key(i).clone(), at: t.at(i), kind: t.kind(i) }
            })
            .collect();
        let end = end_of_day(end_date);
        let closed = match purpose {
            JourneyPurpose::Revenue if deal.closed == Some(end_date) => Some(end),
            _ => None,
        };
        Journey {
            deal: deal.key.clone(),
            purpose,
            end_date,
            end,
            touches,
            lead_created: deal.account.as_deref().and_then(|a| self.lead_created.get(a).copied()),
            opportunity_created: deal.created.map(end_of_day),
            closed,
        }
    }
}

/// The end date of `deal`'s journey for `purpose`, or `None` when the deal has no usable date (or is not won,
/// for revenue). Pipeline: created, else closed. Revenue: with [`JourneyEnd::Close`] the close date, else
/// created; with [`JourneyEnd::Creation`] the creation date, else closed.
pub fn journey_end_date(deal: &Deal, purpose: JourneyPurpose, end: JourneyEnd) -> Option<Date> {
    match purpose {
        JourneyPurpose::Pipeline => deal.created.or(deal.closed),
        JourneyPurpose::Revenue if deal.status != DealStatus::Won => None,
        JourneyPurpose::Revenue => match end {
            JourneyEnd::Close => deal.closed.or(deal.created),
            JourneyEnd::Creation => deal.created.or(deal.closed),
        },
    }
}

/// The date that places a deal in the period: its creation (else close) for pipeline, its close (else
/// creation) for revenue, whatever the journey end.
pub fn period_date(deal: &Deal, purpose: JourneyPurpose) -> Option<Date> {
    match purpose {
        JourneyPurpose::Pipeline => deal.created.or(deal.closed),
        JourneyPurpose::Revenue => deal.closed.or(deal.created),
    }
}

/// Every journey of `purpose` for the deals in the period that have an amount in the settings' currency,
/// sorted by deal key (journeys without touches included).
pub fn journeys(dataset: &Dataset, settings: &Settings, purpose: JourneyPurpose) -> Vec<Journey> {
    let index = JourneyIndex::new(dataset);
    let mut deals: Vec<&Deal> = dataset
        .deals
        .iter()
        .filter(|d| d.amount.is_some_and(|a| a.currency == settings.currency))
        .filter(|d| settings.contains_opt(period_date(d, purpose)))
        .collect();
    deals.sort_by(|a, b| a.key.cmp(&b.key));
    deals
        .into_iter()
        .filter_map(|d| {
            let end = journey_end_date(d, purpose, settings.journey_end)?;
            Some(index.journey(d, purpose, end, settings.lookback_days))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use socialledger_domain::TouchKind::*;

    /// The keys of `j`'s touches: rows are ranks in key order.
    fn keys(ds: &Dataset, j: &Journey) -> Vec<String> {
        let mut sorted: Vec<&str> = ds.touchpoints.iter().map(|t| t.key.as_str()).collect();
        sorted.sort();
        j.touches.iter().map(|t| sorted[t.row as usize].to_string()).collect()
    }

    #[test]
    fn journeys_are_account_based_and_windowed() {
        let mut ds = Dataset {
            contacts: vec![
                contact("c1", Some("acme"), Some("2024-02-20T08:00:00Z")),
                contact("c2", Some("beta"), None),
            ],
            ..Dataset::default()
        };
        let mut via_contact = touch("via-contact", None, "2024-03-10T10:00:00Z", "x", Visit);
        via_contact.contact = Some("c1".into());
        let mut names_deal = touch("names-deal", None, "2024-03-12T10:00:00Z", "events", EventAttendance);
        names_deal.deal = Some("D1".into());
        let mut other_contact = touch("other-contact", None, "2024-03-12T10:00:00Z", "x", Visit);
        other_contact.contact = Some("c2".into());
        ds.touchpoints = vec![
            touch("too-early", Some("acme"), "2024-02-29T23:59:59Z", "linkedin", Visit),
            touch("window-start", Some("acme"), "2024-03-01T00:00:00Z", "linkedin", Visit),
            touch("b-same-time", Some("acme"), "2024-03-20T10:00:00Z", "linkedin", Engagement),
            touch("a-same-time", Some("acme"), "2024-03-20T10:00:00Z", "facebook", Engagement),
            touch("end-day", Some("acme"), "2024-03-31T23:59:59Z", "newsletter", EmailClick),
            touch("too-late", Some("acme"), "2024-04-01T00:00:00Z", "linkedin", Visit),
            touch("other-account", Some("beta"), "2024-03-15T00:00:00Z", "linkedin", Visit),
            via_contact,
            names_deal,
            other_contact,
        ];
        let deal = deal("D1", Some("acme"), Some(eur(100)), Some("2024-03-31"), None, DealStatus::Open);
        let index = JourneyIndex::new(&ds);
        // 30 days back from 31 March: 1 March counts, 29 February does not.
        let j = index.journey(&deal, JourneyPurpose::Pipeline, d("2024-03-31"), 30);
        assert_eq!(
            keys(&ds, &j),
            ["window-start", "via-contact", "names-deal", "a-same-time", "b-same-time", "end-day"]
        );
        assert_eq!(j.end, ts("2024-04-01T00:00:00Z"));
        assert_eq!(j.lead_created, Some(ts("2024-02-20T08:00:00Z")));
        assert_eq!(j.opportunity_created, Some(ts("2024-04-01T00:00:00Z")));
        assert_eq!(j.closed, None);
        // A deal without an account only has the touches that name it.
        let orphan = socialledger_domain::Deal { account: None, ..deal };
        assert_eq!(keys(&ds, &index.journey(&orphan, JourneyPurpose::Pipeline, d("2024-03-31"), 30)), ["names-deal"]);
    }

    #[test]
    fn journey_ends() {
        use JourneyPurpose::*;
        let won = deal("W", None, None, Some("2024-01-10"), Some("2024-02-20"), DealStatus::Won);
        assert_eq!(journey_end_date(&won, Pipeline, JourneyEnd::Close), Some(d("2024-01-10")));
        assert_eq!(journey_end_date(&won, Revenue, JourneyEnd::Close), Some(d("2024-02-20")));
        assert_eq!(journey_end_date(&won, Revenue, JourneyEnd::Creation), Some(d("2024-01-10")));
        let won_no_close = deal("W", None, None, Some("2024-01-10"), None, DealStatus::Won);
        assert_eq!(journey_end_date(&won_no_close, Revenue, JourneyEnd::Close), Some(d("2024-01-10")));
        let lost = deal("L", None, None, Some("2024-01-10"), Some("2024-02-20"), DealStatus::Lost);
        assert_eq!(journey_end_date(&lost, Revenue, JourneyEnd::Close), None);
        assert_eq!(period_date(&won, Revenue), Some(d("2024-02-20")));
        assert_eq!(period_date(&won, Pipeline), Some(d("2024-01-10")));
    }
}
