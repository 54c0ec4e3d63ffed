//! Shared by `report`, `attribution` and `verdict`: settings from flags over the stored ones, data from the
//! store, the analysis.

use crate::args::AnalysisArgs;
use socialledger_analytics::{analyze, stored_settings, Analysis, JourneyEnd, Settings};
use socialledger_domain::{Currency, Dataset};
use socialledger_store::Store;

/// Analysis settings: each flag given, else the database's stored setting (the web app's Settings page), else
/// the built-in default; validated.
pub async fn settings(store: &Store, args: &AnalysisArgs) -> anyhow::Result<Settings> {
    let stored = store.settings().await?;
    let mut settings = stored_settings::from_stored(&stored)?;
    apply_flags(&mut settings, args)?;
    Ok(settings)
}

/// Overrides `settings` with the flags given, naming the flag when its value is not valid.
fn apply_flags(settings: &mut Settings, args: &AnalysisArgs) -> anyhow::Result<()> {
    if let Some(margin) = args.gross_margin {
        if !(0.0..=1.0).contains(&margin) {
            anyhow::bail!("--gross-margin must be between 0 and 1 (0.7 means 70 %), not {margin}");
        }
        settings.gross_margin = margin;
    }
    if let Some(days) = args.half_life_days {
        if days <= 0.0 || !days.is_finite() {
            anyhow::bail!("--half-life-days must be a positive number of days, not {days}");
        }
        settings.half_life_days = days;
    }
    if let Some(currency) = &args.currency {
        settings.currency = Currency::parse(currency)?;
    }
    if let Some(days) = args.lookback_days {
        settings.lookback_days = days;
    }
    if let Some(end) = &args.journey_end {
        settings.journey_end = JourneyEnd::parse(end)?;
    }
    if let Some(credit) = args.credit_sales_touches {
        settings.credit_sales_touches = credit;
    }
    settings.period = period(args.from, args.to)?;
    Ok(())
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
