//! How much of one channel's audience lies inside the target group, from its latest demographic slices.
//!
//! Slices are marginal: each dimension lists the whole base once (LinkedIn's top lists; a canonical audience
//! CSV), so only per-dimension shares are known, never the joint one. Two summaries are reported, labelled as
//! what they are: the **upper bound** (the joint share cannot exceed the smallest per-dimension share) and the
//! **estimate under independence** (the product of the shares, right only if the dimensions are independent;
//! they rarely are: seniority and job function go together, so it tends to be low).

use super::definition::{matches_any, AudienceConstraint};
use serde::Serialize;
use socialledger_domain::{AudienceDimension, AudienceKind, AudienceSlice, Date};

/// The share of one constrained dimension, from the latest snapshot of that dimension.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DimensionShare {
    /// The dimension as the target group names it.
    pub dimension: AudienceDimension,
    /// The slice dimension read (`country` when `location` had no slices).
    pub read_from: AudienceDimension,
    /// The snapshot's date (the latest on or before the period's end).
    pub date: Date,
    /// Sum of every value's count in the snapshot: the people the list covers (LinkedIn lists the top values
    /// only, so this may be below the audience; the share is of the listed people).
    pub listed: i64,
    /// Sum of the counts of target values.
    pub matching: i64,
    /// matching / listed; `None` when nothing is listed.
    pub share: Option<f64>,
}

/// A channel's audience against the target group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AudienceFit {
    /// Whose demographics are read: followers where the channel has any, else visitors.
    pub kind: AudienceKind,
    /// The largest `listed` among the dimensions read: a lower bound on the audience's size.
    pub audience_size: i64,
    /// One entry per constrained dimension with data.
    pub dimensions: Vec<DimensionShare>,
    /// Constrained dimensions without any slice: they restrict nothing in the bounds below, which are then too
    /// high.
    pub missing_dimensions: Vec<AudienceDimension>,
    /// The smallest per-dimension share: the joint share is at most this. `None` without any dimension.
    pub upper_bound: Option<f64>,
    /// The product of the per-dimension shares: the joint share if the dimensions were independent.
    pub independence_estimate: Option<f64>,
}

/// The fit of a channel's audience: `slices` are the channel's own, `until` the last day they may be dated.
/// `None` when the channel has no slices (of either kind) up to `until` or nothing is constrained.
pub fn audience_fit(
    slices: &[&AudienceSlice],
    constraints: &[AudienceConstraint],
    until: Option<Date>,
) -> Option<AudienceFit> {
    if constraints.is_empty() {
        return None;
    }
    let usable: Vec<&AudienceSlice> = slices.iter().copied().filter(|s| until.is_none_or(|u| s.date <= u)).collect();
    let kind = [AudienceKind::Followers, AudienceKind::Visitors]
        .into_iter()
        .find(|k| usable.iter().any(|s| s.audience == *k))?;
    let of_kind: Vec<&AudienceSlice> = usable.into_iter().filter(|s| s.audience == kind).collect();

    let mut dimensions = Vec::new();
    let mut missing_dimensions = Vec::new();
    for c in constraints {
        match c.read_from.iter().find_map(|d| latest(&of_kind, *d, &c.values)) {
            Some(mut share) => {
                share.dimension = c.dimension;
                dimensions.push(share);
            }
            None => missing_dimensions.push(c.dimension),
        }
    }
    let shares: Vec<f64> = dimensions.iter().filter_map(|d| d.share).collect();
    let known = !shares.is_empty();
    Some(AudienceFit {
        kind,
        audience_size: dimensions.iter().map(|d| d.listed).max().unwrap_or(0),
        upper_bound: known.then(|| shares.iter().copied().fold(1.0, f64::min)),
        independence_estimate: known.then(|| shares.iter().product()),
        dimensions,
        missing_dimensions,
    })
}

/// Whether a slice value is inside the target group. Location values are matched whole or by their last
/// comma-separated part, because LinkedIn names places `Muscat, Oman` or `Berlin Metropolitan Area, Germany`:
/// `Oman` in the target group matches both `Oman` and `Muscat, Oman`.
fn value_matches(dimension: AudienceDimension, values: &[String], value: &str) -> bool {
    matches_any(values, value)
        || (dimension == AudienceDimension::Location
            && value.rsplit_once(',').is_some_and(|(_, country)| matches_any(values, country)))
}

/// The share of `values` in the latest snapshot of `dimension`, or `None` when it has no slices.
fn latest(slices: &[&AudienceSlice], dimension: AudienceDimension, values: &[String]) -> Option<DimensionShare> {
    let date = slices.iter().filter(|s| s.dimension == dimension).map(|s| s.date).max()?;
    let (mut listed, mut matching) = (0i64, 0i64);
    for s in slices.iter().filter(|s| s.dimension == dimension && s.date == date) {
        let n = s.count.max(0);
        listed = listed.saturating_add(n);
        if value_matches(dimension, values, &s.value) {
            matching = matching.saturating_add(n);
        }
    }
    Some(DimensionShare {
        dimension,
        read_from: dimension,
        date,
        listed,
        matching,
        share: (listed > 0).then(|| matching as f64 / listed as f64),
    })
}
