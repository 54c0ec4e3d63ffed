//! A bag of canonical records: what an importer produces from one file, and what the store loads for analysis.

use crate::*;
use serde::{Deserialize, Serialize};

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
}

impl Dataset {
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
            ("touchpoints", self.touchpoints.len()),
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
