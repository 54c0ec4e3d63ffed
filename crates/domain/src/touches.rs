//! Touchpoints in compact, columnar form: what the analyses read of them, and nothing else.
//!
//! A [`Touchpoint`] owns eleven strings and weighs about 280 bytes before its heap; ten million of them do not fit
//! in a gigabyte. The analyses read only five of its fields (when, which channel, which account, contact and deal,
//! and what kind), so [`Touches`] keeps exactly those as parallel columns, with every string interned once:
//! 29 bytes a row (a 12-byte instant, four 4-byte ids, a 1-byte kind). Campaign, post and UTM fields are left out
//! because no analysis reads them (they matter to the importer's channel mapping, which runs before storing).
//!
//! **Row order is the touchpoints' key order.** The key itself is not kept: it only breaks ties between touches at
//! the same instant (journeys sort by time, then key), and the row index does that as well when rows are in key
//! order. The store's analysis loader selects `ORDER BY key`, and [`Touches::from_records`] sorts by key (stably,
//! so touchpoints sharing a key keep their dataset order).

use crate::{TouchKind, Touchpoint};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// A string's number in an [`Interner`].
pub type NameId = u32;

/// Id of "none" in the optional id columns.
const NONE: NameId = NameId::MAX;

/// Distinct strings, each stored once and numbered in the order first seen.
///
/// Loading ten million touchpoints interns forty million strings; with std's SipHash the hashing and probing
/// took a third of `report`'s time (docs/benchmarks.md), hence foldhash (randomly seeded, so file contents cannot
/// be made to collide on purpose).
#[derive(Clone, Default, PartialEq)]
pub struct Interner {
    names: Vec<Arc<str>>,
    ids: HashMap<Arc<str>, NameId, foldhash::fast::RandomState>,
}

impl Interner {
    /// The id of `name`, adding it when new.
    pub fn intern(&mut self, name: &str) -> NameId {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as NameId;
        let shared: Arc<str> = Arc::from(name);
        self.names.push(shared.clone());
        self.ids.insert(shared, id);
        id
    }

    /// The id of `name`, if it was interned.
    pub fn get(&self, name: &str) -> Option<NameId> {
        self.ids.get(name).copied()
    }

    /// The string of `id` (shared: cloning it does not copy the text).
    pub fn name(&self, id: NameId) -> &Arc<str> {
        &self.names[id as usize]
    }

    /// Every string, in id order.
    pub fn names(&self) -> &[Arc<str>] {
        &self.names
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// The touchpoints an analysis reads, as columns (see the module doc). Build it with [`Touches::push`] in key
/// order, or from records with [`Touches::from_records`].
#[derive(Clone, Default, PartialEq)]
pub struct Touches {
    channels: Interner,
    accounts: Interner,
    contacts: Interner,
    deals: Interner,
    at: Vec<crate::Timestamp>,
    channel: Vec<NameId>,
    account: Vec<NameId>,
    contact: Vec<NameId>,
    deal: Vec<NameId>,
    kind: Vec<TouchKind>,
}

impl fmt::Debug for Touches {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Touches")
            .field("rows", &self.len())
            .field("channels", &self.channels.len())
            .field("accounts", &self.accounts.len())
            .field("contacts", &self.contacts.len())
            .field("deals", &self.deals.len())
            .finish()
    }
}

impl Touches {
    /// An empty set with room for `rows` touches.
    pub fn with_capacity(rows: usize) -> Touches {
        Touches {
            at: Vec::with_capacity(rows),
            channel: Vec::with_capacity(rows),
            account: Vec::with_capacity(rows),
            contact: Vec::with_capacity(rows),
            deal: Vec::with_capacity(rows),
            kind: Vec::with_capacity(rows),
            ..Touches::default()
        }
    }

    /// The compact form of `records`, rows sorted by key (stable: equal keys keep their order).
    pub fn from_records(records: &[Touchpoint]) -> Touches {
        let mut order: Vec<usize> = (0..records.len()).collect();
        order.sort_by(|&a, &b| records[a].key.cmp(&records[b].key));
        let mut out = Touches::with_capacity(records.len());
        for i in order {
            let t = &records[i];
            out.push(t.at, &t.channel, t.account.as_deref(), t.contact.as_deref(), t.deal.as_deref(), t.kind);
        }
        out
    }

    /// Appends one touch. Callers push in key order (see the module doc).
    pub fn push(
        &mut self,
        at: crate::Timestamp,
        channel: &str,
        account: Option<&str>,
        contact: Option<&str>,
        deal: Option<&str>,
        kind: TouchKind,
    ) {
        let opt = |interner: &mut Interner, name: Option<&str>| name.map_or(NONE, |n| interner.intern(n));
        self.at.push(at);
        self.channel.push(self.channels.intern(channel));
        self.account.push(opt(&mut self.accounts, account));
        self.contact.push(opt(&mut self.contacts, contact));
        self.deal.push(opt(&mut self.deals, deal));
        self.kind.push(kind);
    }

    /// Frees the spare capacity of the columns (after loading an unknown number of rows).
    pub fn shrink_to_fit(&mut self) {
        self.at.shrink_to_fit();
        self.channel.shrink_to_fit();
        self.account.shrink_to_fit();
        self.contact.shrink_to_fit();
        self.deal.shrink_to_fit();
        self.kind.shrink_to_fit();
    }

    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// When touch `row` happened.
    pub fn at(&self, row: usize) -> crate::Timestamp {
        self.at[row]
    }

    /// Every touch's instant, in row order.
    pub fn instants(&self) -> &[crate::Timestamp] {
        &self.at
    }

    /// The channel id of touch `row` (an id of [`Touches::channels`]).
    pub fn channel(&self, row: usize) -> NameId {
        self.channel[row]
    }

    /// The channel key of touch `row`.
    pub fn channel_key(&self, row: usize) -> &Arc<str> {
        self.channels.name(self.channel[row])
    }

    /// The channel keys touches refer to.
    pub fn channels(&self) -> &Interner {
        &self.channels
    }

    /// The account id of touch `row` (an id of [`Touches::accounts`]), if it names one.
    pub fn account(&self, row: usize) -> Option<NameId> {
        Some(self.account[row]).filter(|&id| id != NONE)
    }

    /// The account keys touches name.
    pub fn accounts(&self) -> &Interner {
        &self.accounts
    }

    /// The contact id of touch `row` (an id of [`Touches::contacts`]), if it names one.
    pub fn contact(&self, row: usize) -> Option<NameId> {
        Some(self.contact[row]).filter(|&id| id != NONE)
    }

    /// The contact keys touches name.
    pub fn contacts(&self) -> &Interner {
        &self.contacts
    }

    /// The deal id of touch `row` (an id of [`Touches::deals`]), if it names one.
    pub fn deal(&self, row: usize) -> Option<NameId> {
        Some(self.deal[row]).filter(|&id| id != NONE)
    }

    /// The deal keys touches name.
    pub fn deals(&self) -> &Interner {
        &self.deals
    }

    /// What kind of interaction touch `row` is.
    pub fn kind(&self, row: usize) -> TouchKind {
        self.kind[row]
    }

    /// The number of touches on each channel, by channel id.
    pub fn per_channel(&self) -> Vec<usize> {
        let mut n = vec![0; self.channels.len()];
        for &c in &self.channel {
            n[c as usize] += 1;
        }
        n
    }

    /// The first and last UTC calendar day with a touch.
    pub fn date_span(&self) -> Option<(crate::Date, crate::Date)> {
        let first = self.at.iter().min()?.date_naive();
        let last = self.at.iter().max()?.date_naive();
        Some((first, last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn touch(key: &str, account: Option<&str>, channel: &str, hour: u32) -> Touchpoint {
        Touchpoint {
            key: key.into(),
            contact: None,
            account: account.map(Into::into),
            deal: None,
            at: chrono::Utc.with_ymd_and_hms(2025, 3, 1, hour, 0, 0).unwrap(),
            channel: channel.into(),
            kind: TouchKind::Visit,
            campaign: Some("spring".into()),
            post_ref: None,
            utm_source: None,
            utm_medium: None,
            utm_campaign: None,
        }
    }

    #[test]
    fn rows_follow_key_order_and_strings_are_shared() {
        let records =
            vec![touch("b", Some("acme"), "x", 3), touch("a", None, "linkedin", 5), touch("c", Some("acme"), "x", 1)];
        let t = Touches::from_records(&records);
        assert_eq!(t.len(), 3);
        // a, b, c
        assert_eq!(t.channel_key(0).as_ref(), "linkedin");
        assert_eq!(t.account(0), None);
        assert_eq!(t.account(1), t.account(2));
        assert_eq!(t.accounts().name(t.account(1).unwrap()).as_ref(), "acme");
        assert_eq!(t.channels().len(), 2);
        assert_eq!(t.per_channel(), vec![1, 2]);
        assert!(Arc::ptr_eq(t.channel_key(1), t.channel_key(2)));
        let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        assert_eq!(t.date_span(), Some((day, day)));
        assert_eq!(t.at(2).format("%H").to_string(), "01");
    }

    #[test]
    fn equal_keys_keep_their_dataset_order() {
        let records = vec![touch("k", None, "second", 1), touch("a", None, "first", 1), touch("k", None, "third", 1)];
        let t = Touches::from_records(&records);
        let order: Vec<&str> = (0..t.len()).map(|i| t.channel_key(i).as_ref()).collect();
        assert_eq!(order, ["first", "second", "third"]);
    }
}
