//! The cross-posting audit (issue 14): identical text pushed to every network is a known mistake, so this finds
//! near-identical posts across channels and measures how tailored posts engage against identical copies.
//!
//! The pipeline, one file each: [`shingles`] (normalisation, 5-character shingles, the exact Jaccard index),
//! [`minhash`] (100-value signatures), [`lsh`] (banding, chosen from the threshold by its S-curve),
//! [`clusters`] (candidates checked exactly, groups by union-find) and [`audit`] (classes per post, shares per
//! channel, the engagement ratio with its bootstrap interval). Method, threshold and limits: docs/crossposting.md.

pub mod audit;
pub mod clusters;
pub mod lsh;
pub mod minhash;
pub mod shingles;

pub use audit::{
    crosspost_audit, ChannelCrossposts, ClassifiedPost, ComparisonBasis, CrosspostAudit, CrosspostGroup,
    CrosspostOptions, EngagementComparison, PostClass, PostRef, DEFAULT_THRESHOLD,
};
pub use clusters::{near_duplicates, Groups};
pub use lsh::Banding;
