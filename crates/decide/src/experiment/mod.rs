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
//! Every design is planned the same way: the noise of its estimate is measured on the company's own history by
//! running the design's estimator on past weeks where nothing was switched (placebo in time), the expected
//! contrast comes from the mix model's effect and carry-over, and the duration is the shortest that detects the
//! effect that matters with 80 % power at the 90 % level.

pub mod account_holdout;
pub mod baseline;
pub mod carryover;
pub mod from_fit;
pub mod geo_split;
pub mod placebo;
pub mod switchback;

/// The level of every interval and test here: 90 %, as the rest of the product.
pub const LEVEL: f64 = 0.9;
/// The power a plan must reach.
pub const TARGET_POWER: f64 = 0.8;
