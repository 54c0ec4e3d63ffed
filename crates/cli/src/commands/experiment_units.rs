//! The units of a geo-split or an account holdout and their weekly outcome, gathered from the database: per
//! region (the CRM account's country) or per account, the panel's target (pipeline, revenue or deals) in each
//! of the panel's weeks. Glue: the designs' figures are computed in crates/decide.

use crate::args::MmmFitArgs;
use chrono::NaiveDate;
use socialledger_analytics::experiment_units::outcome_per_week as gather;
pub use socialledger_analytics::experiment_units::{Grouping, Units};
use socialledger_analytics::Target;
use socialledger_domain::{Currency, Dataset};

/// The units' weekly outcome over `dates` (Mondays, consecutive), from the dataset the panel was built from
/// (`None`: a `--csv` panel, which has no accounts).
pub fn load(
    dataset: Option<&Dataset>,
    fit: &MmmFitArgs,
    dates: &[NaiveDate],
    grouping: Grouping,
) -> anyhow::Result<Units> {
    let (dataset, target, currency) = outcome(dataset, fit)?;
    Ok(gather(dataset, dates, grouping, target, currency))
}

/// The regions and the accounts with their weekly outcome over `dates`: what a geo-split and an account holdout
/// are read out on. The outcome is the panel's target, as `--target` names it.
pub fn regions_and_accounts(
    dataset: Option<&Dataset>,
    fit: &MmmFitArgs,
    dates: &[NaiveDate],
) -> anyhow::Result<(Units, Units)> {
    let (dataset, target, currency) = outcome(dataset, fit)?;
    Ok((
        gather(dataset, dates, Grouping::Region, target, currency),
        gather(dataset, dates, Grouping::Account, target, currency),
    ))
}

/// The database's records, with the outcome and the currency the flags ask for (as the panel is built).
fn outcome<'d>(dataset: Option<&'d Dataset>, fit: &MmmFitArgs) -> anyhow::Result<(&'d Dataset, Target, Currency)> {
    let Some(dataset) = dataset.filter(|_| fit.csv.is_none()) else {
        anyhow::bail!(
            "a geo-split or an account holdout needs the accounts and deals of the database (their countries and \
             keys); drop --csv"
        );
    };
    // The outcome the experiment reads: the panel's, as `--target` names it (pipeline by default).
    let target = Target::from(super::mmm::database_target(fit)?);
    let currency = Currency::parse(&fit.panel.currency)?;
    Ok((dataset, target, currency))
}
