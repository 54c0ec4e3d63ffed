//! The geo-split design: the channel is paused in some regions and keeps running in the others for the
//! experiment's weeks (LinkedIn page posts and most ads can be targeted by location). The running regions are
//! the paused ones' control, in the same weeks: what a switchback must get from the history, a geo-split sees
//! in parallel. GeoLift (Meta) is the reference: power from the pre-period, a control built from the other
//! regions.

pub mod assignment;
pub mod gap;
pub mod plan;
pub mod readout;

pub use assignment::{matched_pairs, RegionArm};
pub use plan::{plan, Plan, PlanRequest};
pub use readout::{read_out, Readout};

/// Fewest regions with outcome for a geo-split: two pairs, so that each arm has more than one region.
pub const MIN_REGIONS: usize = 4;
