//! The units of a geo-split or an account holdout and their weekly outcome: per region (the CRM account's country)
//! or per account, the panel's target (pipeline, revenue or deals) in each of the panel's weeks. The designs'
//! figures are computed in crates/decide; the command line and the verdict gather their units here.

use crate::Target;
use chrono::NaiveDate;
use socialledger_domain::{Currency, Dataset, DealStatus};
use std::collections::{BTreeMap, HashMap};

/// The region of accounts without a country.
pub const UNKNOWN_REGION: &str = "unknown";

/// Units and their outcome per week.
pub struct Units {
    pub names: Vec<String>,
    /// Per unit, per week of `dates`.
    pub outcome: Vec<Vec<f64>>,
    /// What the reader should know (accounts without a country, deals left out).
    pub notes: Vec<String>,
}

/// How deals are grouped.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Region,
    Account,
}

/// The units' weekly pipeline over `dates` from a dataset already loaded: the default panel's target, which the
/// verdict plans and reads its experiments on.
pub fn pipeline(dataset: &Dataset, dates: &[NaiveDate], grouping: Grouping, currency: Currency) -> Units {
    outcome_per_week(dataset, dates, grouping, Target::Pipeline, currency)
}

/// The units' weekly `target` over `dates` (Mondays, consecutive).
pub fn outcome_per_week(
    dataset: &Dataset,
    dates: &[NaiveDate],
    grouping: Grouping,
    target: Target,
    currency: Currency,
) -> Units {
    let mut notes = Vec::new();
    let unit_of_account: HashMap<&str, String> = dataset
        .accounts
        .iter()
        .map(|a| {
            let unit = match grouping {
                Grouping::Account => a.key.clone(),
                Grouping::Region => match a.country.as_deref().map(str::trim) {
                    Some(c) if !c.is_empty() => c.to_string(),
                    _ => UNKNOWN_REGION.to_string(),
                },
            };
            (a.key.as_str(), unit)
        })
        .collect();
    if grouping == Grouping::Region {
        let unknown = unit_of_account.values().filter(|u| *u == UNKNOWN_REGION).count();
        if unknown > 0 {
            notes.push(format!(
                "{unknown} accounts have no country: they form the region \"{UNKNOWN_REGION}\" (import their \
                 countries to target them)"
            ));
        }
    }
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for u in unit_of_account.values() {
        index.entry(u.as_str()).or_insert(0);
    }
    let names: Vec<String> = index.keys().map(|s| s.to_string()).collect();
    for (i, v) in index.values_mut().enumerate() {
        *v = i;
    }
    let mut outcome = vec![vec![0.0; dates.len()]; names.len()];
    let (first, weeks) = (dates.first().copied(), dates.len() as i64);
    let (mut no_account, mut other_currency) = (0usize, 0usize);
    for d in &dataset.deals {
        let date = match target {
            Target::Pipeline | Target::Deals => d.created,
            Target::Revenue => (d.status == DealStatus::Won).then_some(d.closed).flatten(),
        };
        let (Some(date), Some(first)) = (date, first) else { continue };
        let week = (date - first).num_days().div_euclid(7);
        if week < 0 || week >= weeks {
            continue;
        }
        let Some(unit) = d.account.as_deref().and_then(|a| unit_of_account.get(a)).and_then(|u| index.get(u.as_str()))
        else {
            no_account += 1;
            continue;
        };
        let value = match (target, d.amount) {
            (Target::Deals, _) => 1.0,
            (_, Some(m)) if m.currency == currency => m.to_major_f64(),
            (_, Some(_)) => {
                other_currency += 1;
                continue;
            }
            (_, None) => continue,
        };
        outcome[*unit][week as usize] += value;
    }
    if no_account > 0 {
        notes.push(format!("{no_account} deals of the period have no known account and are left out"));
    }
    if other_currency > 0 {
        notes.push(format!("{other_currency} deals in another currency than {currency} are left out"));
    }
    Units { names, outcome, notes }
}
