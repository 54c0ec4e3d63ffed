//! The account holdout: a random share of the accounts is held out of the channel's ads for the experiment's
//! weeks (paid and account-based ads target lists of accounts, so the company chooses who sees them). The
//! exposed accounts are the control, in the same weeks; the unit is the account and the outcome its total over
//! the analysed weeks.

pub mod assignment;
pub mod estimator;
pub mod plan;
pub mod readout;

pub use assignment::stratified;
pub use plan::{plan, Plan, PlanRequest};
pub use readout::{read_out, Readout};

/// Fewest accounts for an account holdout: below it the arms' means say little and the normal interval of the
/// difference cannot be trusted.
pub const MIN_ACCOUNTS: usize = 20;
/// Share of the accounts held out unless told otherwise: half (the most sensitive split for a given number of
/// accounts).
pub const DEFAULT_SHARE: f64 = 0.5;

/// Weeks before the experiment whose outcome is each account's covariate: a year, or half the history when it is
/// shorter.
pub fn pre_weeks(history_weeks: usize) -> usize {
    52.min(history_weeks / 2)
}
