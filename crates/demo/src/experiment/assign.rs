//! Who an experiment treats. A pause treats every account; a geo-split pauses one country of each matched pair;
//! an account holdout withholds the channel from one account of each matched pair. Matching first and drawing
//! inside pairs keeps the arms alike on what drives pipeline (size of the region, the account's exposure to the
//! channel), so a split that happens to put the big countries or the channel's fans on one side cannot pass for
//! an effect. Every draw comes from the experiment's own seeded stream.

use super::{Assignment, Design, Setup};
use crate::crm::accounts::{Population, PARAMS as ACCOUNTS};
use crate::crm::touches::Touch;
use crate::streams::{rng, Stream};
use rand::Rng;

/// Draws the treated accounts of `setup`'s design. `touches` are the world's touches before any masking.
pub(crate) fn assign(seed: u64, setup: &Setup, pop: &Population, touches: &[Touch]) -> Assignment {
    // The experiment's stream (the pause schedule draws from it too, but a world runs one design).
    let mut r = rng(seed, Stream::Experiment);
    let n = pop.accounts.len();
    match setup.spec.design {
        Design::Pause => Assignment { treated: vec![true; n], regions: Vec::new() },
        Design::GeoSplit => {
            let regions = pair_regions(pop, &mut r);
            let treated = pop
                .accounts
                .iter()
                .map(|a| regions.iter().any(|(c, paused)| *paused && c == ACCOUNTS.countries[a.country].0))
                .collect();
            Assignment { treated, regions }
        }
        Design::AccountHoldout => {
            let mut activity = vec![0usize; n];
            for t in touches.iter().filter(|t| t.channel == setup.channel && t.day < setup.first_day) {
                activity[t.account] += 1;
            }
            Assignment { treated: hold_out_half(&activity, &mut r), regions: Vec::new() }
        }
    }
}

/// The countries with accounts, sorted by their number of accounts (then name) and matched in consecutive
/// pairs; one country of each pair, drawn at random, is paused. With an odd number of countries the largest
/// one (DE in the default world, nearly half the accounts, with no country like it to match) stays unpaired
/// and runs as usual. Returned in pair order: `(country, paused)`.
fn pair_regions<R: Rng>(pop: &Population, r: &mut R) -> Vec<(String, bool)> {
    let mut counts: Vec<(usize, &str)> = ACCOUNTS
        .countries
        .iter()
        .enumerate()
        .map(|(c, (name, _))| (pop.accounts.iter().filter(|a| a.country == c).count(), *name))
        .filter(|(n, _)| *n > 0)
        .collect();
    counts.sort();
    let mut out = Vec::with_capacity(counts.len());
    for pair in counts.chunks(2) {
        match pair {
            [a, b] => {
                let first_paused = r.gen_bool(0.5);
                out.push((a.1.to_string(), first_paused));
                out.push((b.1.to_string(), !first_paused));
            }
            [single] => out.push((single.1.to_string(), false)),
            _ => {}
        }
    }
    out
}

/// A random half of the accounts, stratified by `activity` (the channel's touches before the experiment):
/// accounts sorted by activity (ties in random order) are matched in consecutive pairs and one of each pair,
/// drawn at random, is held out; with an odd count the last account is held out with probability 1/2.
fn hold_out_half<R: Rng>(activity: &[usize], r: &mut R) -> Vec<bool> {
    let mut order: Vec<(usize, u64, usize)> = activity.iter().enumerate().map(|(a, n)| (*n, r.gen(), a)).collect();
    order.sort();
    let mut held = vec![false; activity.len()];
    for pair in order.chunks(2) {
        let pick = if pair.len() == 2 { usize::from(r.gen_bool(0.5)) } else { 0 };
        if pair.len() == 2 || r.gen_bool(0.5) {
            held[pair[pick].2] = true;
        }
    }
    held
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn the_holdout_takes_one_account_of_every_matched_pair() {
        let activity: Vec<usize> = (0..101).map(|a| (a * 37) % 11).collect();
        let held = hold_out_half(&activity, &mut ChaCha8Rng::seed_from_u64(3));
        let n = held.iter().filter(|h| **h).count();
        assert!(n == 50 || n == 51, "{n}");
        // Stratified: every activity level is split evenly (to within one account).
        for level in 0..11 {
            let all = activity.iter().filter(|a| **a == level).count() as i64;
            let out = activity.iter().zip(&held).filter(|(a, h)| **a == level && **h).count() as i64;
            assert!((2 * out - all).abs() <= 2, "level {level}: {out} of {all}");
        }
    }
}
