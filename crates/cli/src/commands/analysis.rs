//! Shared by `report` and `attribution`: settings from flags, data from the store, the analysis.

use crate::args::AnalysisArgs;
use socialledger_analytics::{analyze, Analysis, Settings};
use socialledger_domain::{Currency, Dataset};
use socialledger_store::Store;

/// Analysis settings from the flags, validated.
pub fn settings(args: &AnalysisArgs) -> anyhow::Result<Settings> {
    if !(0.0..=1.0).contains(&args.gross_margin) {
        anyhow::bail!("--gross-margin must be between 0 and 1 (0.7 means 70 %), not {}", args.gross_margin);
    }
    if args.half_life_days <= 0.0 || !args.half_life_days.is_finite() {
        anyhow::bail!("--half-life-days must be a positive number of days, not {}", args.half_life_days);
    }
    let period = period(args.from, args.to)?;
    Ok(Settings {
        period,
        currency: Currency::parse(&args.currency)?,
        gross_margin: args.gross_margin,
        lookback_days: args.lookback_days,
        half_life_days: args.half_life_days,
        credit_sales_touches: args.credit_sales_touches,
        ..Settings::default()
    })
}

/// Loads everything from the store and analyses it.
pub async fn load_and_analyze(store: &Store, settings: &Settings) -> anyhow::Result<(Dataset, Analysis)> {
    let dataset = store.load_for_analysis().await?;
    let analysis = analyze(&dataset, settings);
    Ok((dataset, analysis))
}

/// The period of `--from`/`--to`: `None` without either; an open end runs to the data's edge.
pub fn period(
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> anyhow::Result<Option<(chrono::NaiveDate, chrono::NaiveDate)>> {
    if from.is_none() && to.is_none() {
        return Ok(None);
    }
    let from = from.unwrap_or(chrono::NaiveDate::MIN);
    let to = to.unwrap_or(chrono::NaiveDate::MAX);
    if from > to {
        anyhow::bail!("--from {from} is after --to {to}");
    }
    Ok(Some((from, to)))
}
