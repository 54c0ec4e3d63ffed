//! Which regions pause: the regions are ranked by their outcome over the history and paired in that order
//! (largest with second largest, and so on); in every pair one region, drawn at random, is paused. With an odd
//! number the smallest region stays running (the control gains from it, the paused arm would not).
//!
//! Why matched pairs and not a search over assignments (GeoLift's): choosing the assignment whose placebo spread
//! on the history comes out smallest makes that spread look better than the experiment will be (the switchback's
//! lesson: choosing by each candidate's own placebo spread made the intervals too narrow). A pair drawn at random
//! keeps the arms balanced in size and leaves the readout's placebo honest.

use crate::DecideError;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// A region and its arm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionArm {
    /// As imported (the CRM account's country).
    pub region: String,
    /// Paused for the experiment's weeks (false: the channel runs as usual).
    pub paused: bool,
}

/// Matched pairs on `size` (each region's outcome over the history), one of each pair paused, drawn from `seed`.
/// Returned in the order of `regions`.
pub fn matched_pairs(regions: &[String], size: &[f64], seed: u64) -> Result<Vec<RegionArm>, DecideError> {
    if regions.len() != size.len() {
        return Err(DecideError::Invalid(format!("{} regions but {} sizes", regions.len(), size.len())));
    }
    if size.iter().any(|s| !s.is_finite()) {
        return Err(DecideError::Invalid("a region's outcome is not a number".into()));
    }
    let mut order: Vec<usize> = (0..regions.len()).collect();
    // Largest first; ties by name, so the same data give the same pairs.
    order.sort_by(|a, b| size[*b].total_cmp(&size[*a]).then_with(|| regions[*a].cmp(&regions[*b])));
    let mut paused = vec![false; regions.len()];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for pair in order.chunks_exact(2) {
        paused[pair[usize::from(rng.gen_bool(0.5))]] = true;
    }
    Ok(regions.iter().zip(paused).map(|(r, paused)| RegionArm { region: r.clone(), paused }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pair_of_neighbours_in_size_has_one_region_paused() {
        let regions: Vec<String> = ["DE", "FR", "UK", "NL", "ES", "IT", "PL"].iter().map(|s| s.to_string()).collect();
        let size = [100.0, 90.0, 50.0, 48.0, 10.0, 12.0, 1.0];
        for seed in 0..20 {
            let arms = matched_pairs(&regions, &size, seed).unwrap();
            let p = |name: &str| arms.iter().find(|a| a.region == name).unwrap().paused;
            assert!(p("DE") != p("FR") && p("UK") != p("NL") && p("IT") != p("ES"));
            assert!(!p("PL"), "the odd one out runs");
            assert_eq!(arms.iter().filter(|a| a.paused).count(), 3);
        }
        assert!(matched_pairs(&regions, &size[..3], 1).is_err());
    }
}
