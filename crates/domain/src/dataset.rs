//! A bag of canonical records: what an importer produces from one file, and what the store loads for analysis.

use crate::touches::Touches;
use crate::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Canonical records of any kind. Importers fill it from one file; the store writes it in one transaction and
/// loads it back for the analytics.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub channels: Vec<Channel>,
    pub posts: Vec<Post>,
    pub post_metrics: Vec<PostMetrics>,
    pub channel_days: Vec<ChannelDay>,
    pub audience: Vec<AudienceSlice>,
    pub activities: Vec<Activity>,
    pub people: Vec<Person>,
    pub time_entries: Vec<TimeEntry>,
    pub cost_items: Vec<CostItem>,
    pub accounts: Vec<Account>,
    pub contacts: Vec<Contact>,
    pub deals: Vec<Deal>,
    pub touchpoints: Vec<Touchpoint>,
    pub period_metrics: Vec<PeriodMetric>,
    /// Comments, messages and mentions with the time of the first answer (`conversations.csv`, a routed inbox).
    #[serde(default)]
    pub conversations: Vec<Conversation>,
    /// The touchpoints in compact form, set by the store's analysis loader instead of `touchpoints` (which it
    /// leaves empty): ten million touchpoints as records do not fit in memory, as columns they do. Read
    /// touchpoints for analysis through [`Dataset::touches`], which covers both.
    #[serde(skip)]
    pub compact_touches: Option<Touches>,
}

impl Dataset {
    /// The touchpoints as an analysis reads them: the compact set the store loaded, or else one built from
    /// `touchpoints` (importers, the demo and tests fill those). Built on every call in that case, so that edits
    /// to `touchpoints` are always seen; analyses call it once.
    pub fn touches(&self) -> Cow<'_, Touches> {
        match &self.compact_touches {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(Touches::from_records(&self.touchpoints)),
        }
    }

    /// Number of touchpoints, loaded as records or in compact form (the compact set wins, as in
    /// [`Dataset::touches`]).
    pub fn touchpoint_count(&self) -> usize {
        match &self.compact_touches {
            Some(t) => t.len(),
            None => self.touchpoints.len(),
        }
    }

    /// Number of records of every kind together.
    pub fn len(&self) -> usize {
        self.counts().iter().map(|(_, n)| n).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Record counts per kind, in a fixed order, named as in the database and in `--json` output.
    pub fn counts(&self) -> [(&'static str, usize); 15] {
        [
            ("channels", self.channels.len()),
            ("posts", self.posts.len()),
            ("post_metrics", self.post_metrics.len()),
            ("channel_days", self.channel_days.len()),
            ("audience", self.audience.len()),
            ("activities", self.activities.len()),
            ("people", self.people.len()),
            ("time_entries", self.time_entries.len()),
            ("cost_items", self.cost_items.len()),
            ("accounts", self.accounts.len()),
            ("contacts", self.contacts.len()),
            ("deals", self.deals.len()),
            ("touchpoints", self.touchpoint_count()),
            ("period_metrics", self.period_metrics.len()),
            ("conversations", self.conversations.len()),
        ]
    }

    /// Appends every record of `other`.
    pub fn extend(&mut self, other: Dataset) {
        self.channels.extend(other.channels);
        self.posts.extend(other.posts);
        self.post_metrics.extend(other.post_metrics);
        self.channel_days.extend(other.channel_days);
        self.audience.extend(other.audience);
        self.activities.extend(other.activities);
        self.people.extend(other.people);
        self.time_entries.extend(other.time_entries);
        self.cost_items.extend(other.cost_items);
        self.accounts.extend(other.accounts);
        self.contacts.extend(other.contacts);
        self.deals.extend(other.deals);
        self.touchpoints.extend(other.touchpoints);
        self.period_metrics.extend(other.period_metrics);
        self.conversations.extend(other.conversations);
    }
}
