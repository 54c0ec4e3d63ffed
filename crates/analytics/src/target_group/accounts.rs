//! Which CRM accounts a channel reaches, how many of them are target accounts, and how much they engage.
//!
//! A channel reaches an account when the account has at least one touchpoint on the channel in the period; a
//! touchpoint names its account directly, else through its contact. Touchpoints whose account is unknown are
//! counted apart and enter no share.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The CRM's accounts against the target group: what a channel that reaches accounts at random would show.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrmBase {
    /// Every account in the CRM.
    pub accounts: usize,
    /// Accounts matching `[accounts]`.
    pub target_accounts: usize,
    /// target_accounts / accounts; `None` without accounts.
    pub target_share: Option<f64>,
}

/// One channel's reach into the CRM's accounts, over the period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccountReach {
    /// Accounts with at least one touchpoint on the channel.
    pub reached: usize,
    /// Target accounts among them.
    pub target_reached: usize,
    /// target_reached / reached; `None` when nothing is reached.
    pub target_share_of_reached: Option<f64>,
    /// Wilson score interval of that share at [`super::LEVEL`], for the misses rule.
    pub share_low: Option<f64>,
    pub share_high: Option<f64>,
    /// target_reached / the CRM's target accounts: how much of the target group the channel reaches.
    pub target_coverage: Option<f64>,
    /// The channel's touchpoints whose account is known.
    pub touchpoints: u64,
    /// Those from target accounts.
    pub target_touchpoints: u64,
    /// target_touchpoints / touchpoints: the share of the channel's (account-known) touchpoints from target
    /// accounts.
    pub target_touchpoint_share: Option<f64>,
    /// target_touchpoints / target_reached: engagement per reached target account.
    pub touchpoints_per_target_account: Option<f64>,
    /// The same for the other accounts it reaches, to compare with.
    pub touchpoints_per_other_account: Option<f64>,
    /// The channel's touchpoints whose account is unknown (no account and no contact with one).
    pub touchpoints_without_account: u64,
}

/// Touchpoints of one channel per account, and those without an account.
#[derive(Debug, Default)]
pub struct ChannelTouches<'a> {
    pub per_account: BTreeMap<&'a str, u64>,
    pub without_account: u64,
}

/// The reach of one channel from its touches; `targets` are the CRM's target account keys.
pub fn account_reach(touches: &ChannelTouches<'_>, targets: &BTreeSet<&str>, base: &CrmBase) -> AccountReach {
    let reached = touches.per_account.len();
    let (mut target_reached, mut touchpoints, mut target_touchpoints) = (0usize, 0u64, 0u64);
    for (account, n) in &touches.per_account {
        touchpoints += n;
        if targets.contains(account) {
            target_reached += 1;
            target_touchpoints += n;
        }
    }
    let (low, high) = match wilson(target_reached as u64, reached as u64, super::Z) {
        Some((l, h)) => (Some(l), Some(h)),
        None => (None, None),
    };
    let others = reached - target_reached;
    AccountReach {
        reached,
        target_reached,
        target_share_of_reached: ratio(target_reached as f64, reached as f64),
        share_low: low,
        share_high: high,
        target_coverage: ratio(target_reached as f64, base.target_accounts as f64),
        touchpoints,
        target_touchpoints,
        target_touchpoint_share: ratio(target_touchpoints as f64, touchpoints as f64),
        touchpoints_per_target_account: ratio(target_touchpoints as f64, target_reached as f64),
        touchpoints_per_other_account: ratio((touchpoints - target_touchpoints) as f64, others as f64),
        touchpoints_without_account: touches.without_account,
    }
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

/// The Wilson score interval of `k` successes in `n` trials with normal quantile `z` (Wilson 1927, "Probable
/// inference, the law of succession, and statistical inference", JASA 22:209-212). Unlike the Wald interval it
/// stays inside [0, 1] and keeps its coverage near 0 and 1 and for small `n`, which is where a channel that
/// misses the target group sits. `None` for `n = 0`.
pub fn wilson(k: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (k, n) = (k.min(n) as f64, n as f64);
    let p = k / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_the_textbook_values() {
        // 0 of 10 at 95 % (z = 1.959964): [0, 0.2775] (Newcombe 1998, Statistics in Medicine 17, table I method 3).
        let (lo, hi) = wilson(0, 10, 1.959964).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.2775).abs() < 5e-5, "{hi}");
        // 81 of 263 at 95 %: [0.2553, 0.3662] (Newcombe 1998, table I).
        let (lo, hi) = wilson(81, 263, 1.959964).unwrap();
        assert!((lo - 0.2553).abs() < 5e-5 && (hi - 0.3662).abs() < 5e-5, "{lo} {hi}");
        assert_eq!(wilson(3, 0, 1.0), None);
    }
}
