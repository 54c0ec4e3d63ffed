//! Target group fit: whether each channel engages the target group (ideal customer profile), from its audience
//! demographics and from the CRM accounts it reaches. docs/target-group.md states the figures and the rule.
//!
//! **The misses rule.** A channel misses the target group when either
//! 1. it reaches CRM accounts, the CRM has target accounts, and the upper end of the [`LEVEL`] Wilson interval of
//!    the target share among the accounts it reaches lies below the target share of all CRM accounts: it
//!    reaches target accounts less than proportionally, beyond what chance explains; or
//! 2. at most [`MIN_AUDIENCE_SHARE`] of its audience can be inside the target group (the upper bound of the
//!    audience share; see [`audience`]).
//!
//! Without audience data and without reached accounts the channel gets no verdict (`misses_target_group` is
//! false and the reading says why).

pub mod accounts;
pub mod audience;
pub mod definition;

pub use accounts::{account_reach, wilson, AccountReach, CrmBase};
pub use audience::{audience_fit, AudienceFit, DimensionShare};
pub use definition::{AccountCriteria, AudienceCriteria, TargetGroup};

use crate::Settings;
use accounts::ChannelTouches;
use serde::Serialize;
use socialledger_domain::touches::NameId;
use socialledger_domain::{AudienceSlice, Dataset};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Confidence level of the interval in the misses rule.
pub const LEVEL: f64 = 0.9;
/// The two-sided normal quantile of [`LEVEL`] (Φ⁻¹(0.95)).
pub(crate) const Z: f64 = 1.644_853_626_951_472_2;
/// A channel of which at most this share of the audience can be in the target group misses it.
pub const MIN_AUDIENCE_SHARE: f64 = 0.05;

/// Every channel's fit with the target group, with the CRM base the account figures compare against.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetGroupReport {
    /// The target group as read.
    pub target_group: TargetGroup,
    /// The confidence level of the account share's interval.
    pub level: f64,
    /// The audience upper bound below which a channel misses.
    pub min_audience_share: f64,
    /// The CRM's accounts; `None` when the target group names no account fields.
    pub crm: Option<CrmBase>,
    /// One row per channel, sorted by key.
    pub channels: Vec<ChannelFit>,
}

/// One channel against the target group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelFit {
    pub channel: String,
    /// `None` when the channel has no audience slices or the group constrains no audience dimension.
    pub audience: Option<AudienceFit>,
    /// `None` when the group names no account fields.
    pub accounts: Option<AccountReach>,
    /// The documented rule (module documentation, docs/target-group.md).
    pub misses_target_group: bool,
    /// Why, in words: the parts of the rule that fired (empty when none did).
    pub misses_because: Vec<String>,
    /// The figures in plain words.
    pub reading: String,
}

/// The fit of every channel: declared ones, and any with audience slices or touchpoints. Touchpoints count in
/// `settings.period`; audience snapshots are the latest on or before the period's end.
pub fn fit(dataset: &Dataset, settings: &Settings, group: &TargetGroup) -> TargetGroupReport {
    let constraints = group.audience_constraints();
    let until = settings.period.map(|(_, to)| to);

    let with_accounts = group.has_account_criteria();
    let targets: BTreeSet<&str> =
        dataset.accounts.iter().filter(|a| group.is_target_account(a)).map(|a| a.key.as_str()).collect();
    let crm = with_accounts.then(|| CrmBase {
        accounts: dataset.accounts.len(),
        target_accounts: targets.len(),
        target_share: (!dataset.accounts.is_empty()).then(|| targets.len() as f64 / dataset.accounts.len() as f64),
    });

    let all = dataset.touches();
    // Accounts as numbers: the touch set's account ids, then accounts known only through a contact.
    let mut account_names: Vec<&str> = all.accounts().names().iter().map(|a| &**a).collect();
    let mut extra: HashMap<&str, u32> = HashMap::new();
    let mut contact_account: Vec<Option<u32>> = vec![None; all.contacts().len()];
    for c in &dataset.contacts {
        let (Some(account), Some(id)) = (c.account.as_deref(), all.contacts().get(&c.key)) else { continue };
        let number = all.accounts().get(account).unwrap_or_else(|| {
            *extra.entry(account).or_insert_with(|| {
                account_names.push(account);
                (account_names.len() - 1) as u32
            })
        });
        contact_account[id as usize] = Some(number);
    }
    // Counted by (channel id, account number) first: no string per touch.
    let mut counts: HashMap<(NameId, Option<u32>), u64> = HashMap::new();
    for row in 0..all.len() {
        if !settings.contains(all.at(row).date_naive()) {
            continue;
        }
        let account = all.account(row).or_else(|| all.contact(row).and_then(|c| contact_account[c as usize]));
        *counts.entry((all.channel(row), account)).or_default() += 1;
    }
    let mut touches: BTreeMap<&str, ChannelTouches<'_>> = BTreeMap::new();
    for ((channel, account), n) in counts {
        let key = all.channels().name(channel).trim();
        if key.is_empty() {
            continue;
        }
        let row = touches.entry(key).or_default();
        match account {
            Some(a) => *row.per_account.entry(account_names[a as usize]).or_default() += n,
            None => row.without_account += n,
        }
    }
    let mut slices: BTreeMap<&str, Vec<&AudienceSlice>> = BTreeMap::new();
    for s in &dataset.audience {
        slices.entry(s.channel.as_str()).or_default().push(s);
    }

    let mut keys: BTreeSet<&str> = dataset.channels.iter().map(|c| c.key.as_str()).collect();
    keys.extend(touches.keys());
    keys.extend(slices.keys());
    let empty = ChannelTouches::default();
    let channels = keys
        .into_iter()
        .map(|key| {
            let audience = audience_fit(slices.get(key).map_or(&[][..], Vec::as_slice), &constraints, until);
            let accounts = crm.as_ref().map(|base| account_reach(touches.get(key).unwrap_or(&empty), &targets, base));
            let misses_because = misses(audience.as_ref(), accounts.as_ref(), crm.as_ref());
            let reading = reading(audience.as_ref(), accounts.as_ref(), crm.as_ref(), !constraints.is_empty());
            ChannelFit {
                channel: key.to_string(),
                misses_target_group: !misses_because.is_empty(),
                misses_because,
                reading,
                audience,
                accounts,
            }
        })
        .collect();

    TargetGroupReport {
        target_group: group.clone(),
        level: LEVEL,
        min_audience_share: MIN_AUDIENCE_SHARE,
        crm,
        channels,
    }
}

/// The parts of the misses rule that fire, in words (empty when none does).
fn misses(audience: Option<&AudienceFit>, reach: Option<&AccountReach>, crm: Option<&CrmBase>) -> Vec<String> {
    let mut why = Vec::new();
    if let (Some(r), Some(base)) = (reach, crm) {
        if let (Some(high), Some(expected), true) = (r.share_high, base.target_share, base.target_accounts > 0) {
            if high < expected {
                why.push(format!(
                    "target accounts are {} of the accounts it reaches ({}% interval up to {}) but {} of the CRM's \
                     accounts",
                    pct(r.target_share_of_reached.unwrap_or(0.0)),
                    (LEVEL * 100.0).round(),
                    pct(high),
                    pct(expected)
                ));
            }
        }
    }
    if let Some(upper) = audience.and_then(|a| a.upper_bound) {
        if upper <= MIN_AUDIENCE_SHARE {
            why.push(format!(
                "at most {} of its audience matches the target group (the rule's limit is {})",
                pct(upper),
                pct(MIN_AUDIENCE_SHARE)
            ));
        }
    }
    why
}

/// A share as a whole percentage, with one decimal below 10 % (`0.094` -> `9.4%`), written without a space so
/// that wrapped text never splits a number from its sign.
fn pct(share: f64) -> String {
    let p = share * 100.0;
    if p < 10.0 && p > 0.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

/// The figures of one channel in plain words.
fn reading(
    audience: Option<&AudienceFit>,
    reach: Option<&AccountReach>,
    crm: Option<&CrmBase>,
    audience_constrained: bool,
) -> String {
    let mut parts = Vec::new();
    if let (Some(r), Some(base)) = (reach, crm) {
        if r.reached == 0 {
            parts.push("reaches no CRM account in the period".to_string());
        } else {
            let mut s = format!(
                "reaches {} of {} target accounts ({} of the {} accounts it reaches; {} of the CRM's accounts are \
                 target accounts)",
                r.target_reached,
                base.target_accounts,
                pct(r.target_share_of_reached.unwrap_or(0.0)),
                r.reached,
                pct(base.target_share.unwrap_or(0.0))
            );
            if let Some(per) = r.touchpoints_per_target_account {
                s.push_str(&format!(", {per:.1} touchpoints per target account reached"));
            }
            parts.push(s);
        }
    }
    match audience {
        Some(a) => match (a.upper_bound, a.independence_estimate) {
            (Some(upper), Some(independent)) => {
                let mut s = format!(
                    "{} of its {} match the target group at most ({} if the dimensions were independent)",
                    pct(upper),
                    a.kind,
                    pct(independent)
                );
                if !a.missing_dimensions.is_empty() {
                    let names: Vec<&str> = a.missing_dimensions.iter().map(|d| d.as_str()).collect();
                    s.push_str(&format!("; no data on {}", names.join(", ")));
                }
                parts.push(s);
            }
            _ => parts.push(format!("its {} demographics hold none of the target group's dimensions", a.kind)),
        },
        None if audience_constrained => parts.push("no audience demographics".to_string()),
        None => {}
    }
    if parts.is_empty() {
        return "nothing to compare with the target group".to_string();
    }
    let mut text = parts.join("; ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text.push('.');
    text
}

#[cfg(test)]
mod tests;
