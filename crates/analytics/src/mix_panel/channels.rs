//! Which series a channel becomes in the panel: what it is measured by (spend, hours, posts, impressions,
//! activity volume) and where it sits in the mix. The rules are stated on [`super`] (module docs).

use super::OrganicInput;
use socialledger_domain::{Activity, ActivityKind, ChannelKind, Currency, Dataset};
use socialledger_mmm::{ChannelGroup, InputKind};
use std::collections::BTreeMap;

/// Key of the series that gathers campaign activities (when no channel already has this key).
pub(crate) const CAMPAIGNS: &str = "campaigns";

/// What a channel is to the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// Bought media: enters by spend (cost items and every activity's spend on it).
    Paid,
    /// Organic social: enters by hours, posts or impressions.
    Organic,
    /// Newsletter, PR, events, webinars: enters by the spend of its activities, else by their volume.
    Activity,
    /// Anything else with spend or time (enters by spend, else hours).
    Other,
    /// Only touchpoints: nothing the company spends or does, so no input (organic search, direct, sales).
    NoInput,
}

/// One planned series: a channel, or the campaigns.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Plan {
    pub key: String,
    pub name: String,
    pub role: Role,
    pub input: InputKind,
    pub group: ChannelGroup,
    /// For `Volume` activity channels: whether the activities' `volume` is summed (every activity reports one)
    /// or activities are counted.
    pub volume_from_field: bool,
}

/// Activity kinds that are a channel's own dated actions (as opposed to campaigns and paid flights).
pub(crate) fn is_dated(kind: ActivityKind) -> bool {
    matches!(kind, ActivityKind::Newsletter | ActivityKind::Pr | ActivityKind::Event | ActivityKind::Webinar)
}

fn group_of_activity(kind: ActivityKind) -> ChannelGroup {
    match kind {
        ActivityKind::Newsletter => ChannelGroup::Newsletter,
        ActivityKind::Pr => ChannelGroup::Pr,
        ActivityKind::Event | ActivityKind::Webinar => ChannelGroup::Event,
        ActivityKind::Campaign => ChannelGroup::Campaign,
        ActivityKind::PaidMedia => ChannelGroup::Paid,
    }
}

/// Spend of an activity in the reporting currency (zero when absent or in another currency).
pub(crate) fn spend_in(a: &Activity, currency: Currency) -> i64 {
    a.spend.filter(|s| s.currency == currency).map_or(0, |s| s.minor)
}

/// Plans every channel's series (sorted by key) and, when the dataset has campaign activities off paid
/// channels, the campaigns series last. Roles of all channels are returned too, for routing records.
pub(crate) fn plan(
    dataset: &Dataset,
    organic: OrganicInput,
    currency: Currency,
) -> (Vec<Plan>, BTreeMap<String, Role>) {
    let mut acts: BTreeMap<&str, Vec<&Activity>> = BTreeMap::new();
    for a in &dataset.activities {
        if let Some(c) = a.channel.as_deref() {
            acts.entry(c).or_default().push(a);
        }
    }
    let mut minutes: BTreeMap<&str, i64> = BTreeMap::new();
    for e in &dataset.time_entries {
        if let Some(c) = e.channel.as_deref() {
            *minutes.entry(c).or_default() += e.minutes;
        }
    }
    let with_items: Vec<&str> = dataset.cost_items.iter().filter_map(|i| i.channel.as_deref()).collect();
    let with_posts: Vec<&str> = dataset.posts.iter().map(|p| p.channel.as_str()).collect();

    let mut plans = Vec::new();
    let mut roles = BTreeMap::new();
    for key in crate::channel_keys(dataset) {
        let declared = dataset.channels.iter().find(|c| c.key == key);
        let mine = acts.get(key.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let dated: Vec<&&Activity> = mine.iter().filter(|a| is_dated(a.kind)).collect();
        let role = match declared.map(|c| c.kind) {
            Some(ChannelKind::PaidSocial | ChannelKind::PaidSearch) => Role::Paid,
            Some(ChannelKind::OrganicSocial) => Role::Organic,
            Some(ChannelKind::Email | ChannelKind::Pr | ChannelKind::Event | ChannelKind::Webinar) => Role::Activity,
            _ if mine.iter().any(|a| a.kind == ActivityKind::PaidMedia) => Role::Paid,
            _ if !dated.is_empty() => Role::Activity,
            _ if with_posts.contains(&key.as_str()) => Role::Organic,
            _ => {
                let spends = with_items.contains(&key.as_str()) || mine.iter().any(|a| spend_in(a, currency) > 0);
                if spends || minutes.get(key.as_str()).is_some_and(|m| *m > 0) {
                    Role::Other
                } else {
                    Role::NoInput
                }
            }
        };
        roles.insert(key.clone(), role);
        let has_hours = minutes.get(key.as_str()).is_some_and(|m| *m > 0);
        let (input, group) = match role {
            Role::NoInput => continue,
            Role::Paid => (InputKind::Spend, ChannelGroup::Paid),
            Role::Organic => (organic.input_kind(), ChannelGroup::Social),
            Role::Activity => {
                let group = match declared.map(|c| c.kind) {
                    Some(ChannelKind::Email) => ChannelGroup::Newsletter,
                    Some(ChannelKind::Pr) => ChannelGroup::Pr,
                    Some(ChannelKind::Event | ChannelKind::Webinar) => ChannelGroup::Event,
                    _ => most_common_group(&dated),
                };
                let input = if dated.iter().any(|a| spend_in(a, currency) > 0) {
                    InputKind::Spend
                } else if !dated.is_empty() {
                    InputKind::Volume
                } else if has_hours {
                    InputKind::Hours
                } else {
                    InputKind::Spend
                };
                (input, group)
            }
            Role::Other => {
                let spends = with_items.contains(&key.as_str()) || mine.iter().any(|a| spend_in(a, currency) > 0);
                (if spends || !has_hours { InputKind::Spend } else { InputKind::Hours }, ChannelGroup::Other)
            }
        };
        let volume_from_field = !dated.is_empty() && dated.iter().all(|a| a.volume.is_some());
        plans.push(Plan {
            name: declared.map(|c| c.name.clone()).filter(|n| !n.trim().is_empty()).unwrap_or_else(|| key.clone()),
            key,
            role,
            input,
            group,
            volume_from_field,
        });
    }

    let campaigns: Vec<&Activity> = dataset.activities.iter().filter(|a| goes_to_campaigns(a, &roles)).collect();
    if !campaigns.is_empty() {
        let key = if roles.contains_key(CAMPAIGNS) { "campaign-activities" } else { CAMPAIGNS };
        let spends = campaigns.iter().any(|a| spend_in(a, currency) > 0);
        plans.push(Plan {
            key: key.to_string(),
            name: "Campaigns".to_string(),
            role: Role::Other,
            input: if spends { InputKind::Spend } else { InputKind::Volume },
            group: ChannelGroup::Campaign,
            volume_from_field: false,
        });
    }
    (plans, roles)
}

/// A campaign activity belongs to the campaigns series unless it is media bought on a paid channel (extra
/// search budget, a flight), which is that channel's spend.
pub(crate) fn goes_to_campaigns(a: &Activity, roles: &BTreeMap<String, Role>) -> bool {
    a.kind == ActivityKind::Campaign && a.channel.as_ref().and_then(|c| roles.get(c)) != Some(&Role::Paid)
}

fn most_common_group(dated: &[&&Activity]) -> ChannelGroup {
    let mut counts: BTreeMap<ChannelGroup, usize> = BTreeMap::new();
    for a in dated {
        *counts.entry(group_of_activity(a.kind)).or_default() += 1;
    }
    counts.into_iter().max_by_key(|(g, n)| (*n, std::cmp::Reverse(*g))).map_or(ChannelGroup::Other, |(g, _)| g)
}
