//! Experiments that settle what history cannot.
//!
//! * [`switchback`]: pause a channel for blocks of weeks and compare with the weeks it runs (organic social:
//!   the company can stop and restart posting on the spot). Carry-over is handled by leaving the first weeks
//!   of every block out of the comparison (the washout).
//! * [`geo_split`]: pause the channel in some regions and keep it running in the others (page posts and ads
//!   targeted by location); the running regions are the control, in the same weeks.
//! * [`account_holdout`]: hold a random, stratified share of the accounts out of the channel's ads (paid and
//!   account-based ads); the exposed accounts are the control.
//!
//! [`Design`] names the three, as plans, the verdict and the demo's simulated experiments spell them.
//!
//! Every design is planned the same way: the noise of its estimate is measured on the company's own history by
//! running the design's estimator on past weeks where nothing was switched (placebo in time), the expected
//! contrast comes from the mix model's effect and carry-over, and the duration is the shortest that detects the
//! effect that matters with 80 % power at the 90 % level.

pub mod account_holdout;
pub mod baseline;
pub mod carryover;
mod design;
pub mod from_fit;
pub mod geo_split;
pub mod placebo;
pub mod switchback;

pub use design::Design;

/// The level of every interval and test here: 90 %, as the rest of the product.
pub const LEVEL: f64 = 0.9;
/// The power a plan must reach.
pub const TARGET_POWER: f64 = 0.8;

/// What choosing between planned candidates reads: every design's plan (a block length and a number of pairs of a
/// switchback, a duration of a geo-split or an account holdout, and across designs the next step of an undecided
/// channel) is ranked by the same rule, [`better`].
pub trait Candidate {
    /// The experiment's length in weeks.
    fn weeks(&self) -> usize;
    /// Whether it reaches [`TARGET_POWER`] for the effect it was planned for.
    fn reaches_power(&self) -> bool;
    /// The smallest effect of the whole channel in a normal week (target units) it detects with 80 % power at the
    /// 90 % level: comparable across durations and designs, whatever unit each design's own estimate is in.
    fn min_detectable_channel_effect(&self) -> f64;
}

/// The better of two candidates: one that reaches the power beats one that does not; of two that do, the shorter
/// wins (an experiment costs what the channel does not do while it runs); otherwise, and between equally long
/// ones, the more sensitive (smaller detectable effect) wins, and on a tie the first.
pub fn better<P: Candidate>(a: P, b: P) -> P {
    match (a.reaches_power(), b.reaches_power()) {
        (true, false) => a,
        (false, true) => b,
        (true, true) if a.weeks() != b.weeks() => {
            if b.weeks() < a.weeks() {
                b
            } else {
                a
            }
        }
        _ => {
            if b.min_detectable_channel_effect() < a.min_detectable_channel_effect() {
                b
            } else {
                a
            }
        }
    }
}

/// The best of `candidates` by [`better`] (`None` when there is none).
pub fn best_of<P: Candidate>(candidates: impl IntoIterator<Item = P>) -> Option<P> {
    candidates.into_iter().reduce(better)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct C(usize, bool, f64);

    impl Candidate for C {
        fn weeks(&self) -> usize {
            self.0
        }
        fn reaches_power(&self) -> bool {
            self.1
        }
        fn min_detectable_channel_effect(&self) -> f64 {
            self.2
        }
    }

    #[test]
    fn the_shortest_that_reaches_the_power_wins_else_the_most_sensitive() {
        // Reaching the power beats sensitivity; among those that reach it, weeks decide.
        assert_eq!(best_of([C(40, false, 1.0), C(30, true, 5.0), C(20, true, 8.0)]), Some(C(20, true, 8.0)));
        // None reaches it: the smallest detectable effect, whatever the weeks.
        assert_eq!(best_of([C(20, false, 9.0), C(104, false, 3.0), C(50, false, 4.0)]), Some(C(104, false, 3.0)));
        // Equally long: the more sensitive; a tie keeps the first.
        assert_eq!(best_of([C(20, true, 9.0), C(20, true, 3.0)]), Some(C(20, true, 3.0)));
        assert_eq!(best_of([C(20, false, 3.0), C(30, false, 3.0)]), Some(C(20, false, 3.0)));
        assert_eq!(best_of(Vec::<C>::new()), None);
    }
}
