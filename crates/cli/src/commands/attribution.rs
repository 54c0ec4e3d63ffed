//! `socialledger attribution`: the credit each channel gets under one model, heuristic (on the database's deals)
//! or data-driven (Markov, Shapley, incremental; on the database's account-based journeys or on a path file).

use crate::args::{AttributionArgs, Cli};
use crate::output;
use anyhow::Context;
use serde::Serialize;
use socialledger_analytics::attribution::account_paths::account_paths;
use socialledger_analytics::attribution::data_driven::{attribute_paths, DataDrivenModel, Uncertainty};
use socialledger_analytics::attribution::paths::{DataDrivenResult, WEAK_CREDITED_FRACTION};
use socialledger_analytics::{JourneyPurpose, Model};
use std::process::ExitCode;

/// The `--json` output (docs/cli.md). Shares are fractions of the credited total and sum to 1.
#[derive(Debug, Serialize)]
struct AttributionOutput {
    model: String,
    order: Option<u8>,
    /// Where the journeys came from: `database` or the path file's name.
    source: String,
    currency: Option<String>,
    total_conversions: f64,
    total_value: f64,
    /// Data-driven models only: the fraction of conversions credited to channels at all, with its interval (1
    /// for Markov and Shapley; for the incremental model the fraction the channels caused).
    #[serde(skip_serializing_if = "Option::is_none")]
    credited_fraction: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credited_low: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credited_high: Option<f64>,
    channels: Vec<ChannelOut>,
    /// Heuristic models only: the pipeline side and deals left unattributed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pipeline: Option<PipelineOut>,
    /// What could not be credited and why, in words.
    notes: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ChannelOut {
    channel: String,
    /// Conversions (won deals) credited; fractional. For the incremental model: conversions the channel caused.
    conversions: f64,
    /// Value (revenue) credited, in major units.
    value: f64,
    removal_effect: Option<f64>,
    share: f64,
    share_low: f64,
    share_high: f64,
    /// Heuristic models only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pipeline: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deals: Option<f64>,
}

#[derive(Debug, Serialize)]
struct PipelineOut {
    deals: u64,
    value: f64,
    unattributed_won_deals: u64,
    unattributed_value: f64,
}

pub async fn run(cli: &Cli, args: &AttributionArgs) -> anyhow::Result<ExitCode> {
    let out = match DataDrivenModel::parse(&args.model, args.order, &args.intent) {
        Some(model) => data_driven(cli, args, &model).await?,
        None => {
            let model = Model::parse(&args.model)
                .map_err(|e| anyhow::anyhow!("{e}; data-driven models: markov, shapley, incremental"))?;
            if args.paths.is_some() || args.write_paths.is_some() {
                anyhow::bail!(
                    "--paths and --write-paths work with the data-driven models (markov, shapley, incremental); \
                     {model} needs the touchpoints' dates and the deals' milestones, so it runs on the database only"
                );
            }
            heuristic(cli, args, model).await?
        }
    };
    if cli.json {
        output::print_json(&out)?;
    } else {
        output::print_text(&table(&out))?;
    }
    Ok(if out.channels.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

async fn data_driven(cli: &Cli, args: &AttributionArgs, model: &DataDrivenModel) -> anyhow::Result<AttributionOutput> {
    if !(0.0..1.0).contains(&args.level) || args.level <= 0.0 {
        anyhow::bail!("--level must be between 0 and 1 (0.95 for 95 % intervals), not {}", args.level);
    }
    let uncertainty = Uncertainty { reps: args.bootstrap, seed: args.seed, level: args.level };
    let sep = u8::try_from(args.column_separator)
        .ok()
        .filter(u8::is_ascii)
        .ok_or_else(|| anyhow::anyhow!("--column-separator must be one ASCII character, such as ';' or ','"))?;
    let mut notes = Vec::new();
    let (paths, source, currency) = match &args.paths {
        Some(file) => {
            let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            let paths =
                socialledger_import::paths::read_paths(&file.display().to_string(), &bytes, &args.separator, sep)?;
            (paths, file.display().to_string(), None)
        }
        None => {
            let store = super::open_existing_store(&cli.db_or_default()).await?;
            let settings = super::analysis::settings(&args.analysis)?;
            let dataset = store.load().await?;
            let built = account_paths(&dataset, &settings, JourneyPurpose::Revenue);
            if built.conversions_without_touches > 0 {
                notes.push(format!(
                    "{} won deals had no touchpoint in the {}-day window and are not credited",
                    built.conversions_without_touches, settings.lookback_days
                ));
            }
            if built.open_deals > 0 {
                notes.push(format!("{} open deals have no outcome yet and are left out", built.open_deals));
            }
            let cut = built.cut_short;
            if cut.conversions + cut.nulls > 0 {
                notes.push(format!(
                    "{} journeys ({} won deals, {} that did not convert) are left out: their {}-day window starts \
                     before the first touchpoint of the data ({}), so they would look shorter than the others",
                    cut.conversions + cut.nulls,
                    cut.conversions,
                    cut.nulls,
                    settings.lookback_days,
                    built.observed_from.map(|d| d.to_string()).unwrap_or_default()
                ));
            }
            if built.accounts_without_deals > 0 {
                notes.push(format!(
                    "{} accounts with touchpoints and no deal count as journeys that did not convert",
                    built.accounts_without_deals
                ));
            }
            (built.paths, "database".to_string(), Some(settings.currency.to_string()))
        }
    };
    if paths.rows.is_empty() {
        anyhow::bail!("no journeys to attribute in {source}: import touchpoints and deals first, or check --paths");
    }
    if let Some(file) = &args.write_paths {
        let text = socialledger_import::paths::write_paths(&paths, &args.separator, sep);
        std::fs::write(file, text).with_context(|| format!("cannot write the paths to {}", file.display()))?;
    }
    let result = attribute_paths(&paths, model, uncertainty)?;
    if uncertainty.reps == 0 {
        notes.push("no bootstrap (--bootstrap 0): share_low and share_high equal share".to_string());
    }
    Ok(from_data_driven(result, source, currency, notes))
}

fn from_data_driven(
    r: DataDrivenResult,
    source: String,
    currency: Option<String>,
    notes: Vec<String>,
) -> AttributionOutput {
    AttributionOutput {
        model: r.model,
        order: r.order,
        source,
        currency,
        total_conversions: r.total_conversions,
        total_value: r.total_value,
        credited_fraction: Some(r.credited.fraction),
        credited_low: Some(r.credited.low),
        credited_high: Some(r.credited.high),
        channels: r
            .channels
            .into_iter()
            .map(|c| ChannelOut {
                channel: c.channel,
                conversions: c.conversions,
                value: c.value,
                removal_effect: c.removal_effect,
                share: c.share,
                share_low: c.share_low,
                share_high: c.share_high,
                pipeline: None,
                deals: None,
            })
            .collect(),
        pipeline: None,
        notes,
    }
}

async fn heuristic(cli: &Cli, args: &AttributionArgs, model: Model) -> anyhow::Result<AttributionOutput> {
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let settings = super::analysis::settings(&args.analysis)?;
    let (_, analysis) = super::analysis::load_and_analyze(&store, &settings).await?;
    let report = &analysis.attribution;
    let Some(result) = report.models.iter().find(|m| m.model == model) else {
        anyhow::bail!("the analysis produced no result for model {model}");
    };
    let scale = 10f64.powi(settings.currency.exponent() as i32);
    let revenue_total: i64 = result.channels.iter().map(|c| c.revenue_minor).sum();
    let pipeline_total: i64 = result.channels.iter().map(|c| c.pipeline_minor).sum();
    let share = |revenue: i64, pipeline: i64| {
        if revenue_total > 0 {
            revenue as f64 / revenue_total as f64
        } else if pipeline_total > 0 {
            pipeline as f64 / pipeline_total as f64
        } else {
            0.0
        }
    };
    let mut notes = Vec::new();
    if report.unattributed.won_deals > 0 {
        notes.push(format!(
            "{} won deals ({:.0} {}) had no touchpoint in the {}-day window and are not credited",
            report.unattributed.won_deals,
            report.unattributed.revenue_minor as f64 / scale,
            settings.currency,
            settings.lookback_days
        ));
    }
    Ok(AttributionOutput {
        model: model.as_str().to_string(),
        order: None,
        source: "database".to_string(),
        currency: Some(settings.currency.to_string()),
        total_conversions: report.won_deals as f64,
        total_value: report.revenue_minor as f64 / scale,
        credited_fraction: None,
        credited_low: None,
        credited_high: None,
        channels: result
            .channels
            .iter()
            .map(|c| {
                let s = share(c.revenue_minor, c.pipeline_minor);
                ChannelOut {
                    channel: c.channel.clone(),
                    conversions: c.won_deals,
                    value: c.revenue_minor as f64 / scale,
                    removal_effect: None,
                    share: s,
                    share_low: s,
                    share_high: s,
                    pipeline: Some(c.pipeline_minor as f64 / scale),
                    deals: Some(c.deals),
                }
            })
            .collect(),
        pipeline: Some(PipelineOut {
            deals: report.pipeline_deals,
            value: report.pipeline_minor as f64 / scale,
            unattributed_won_deals: report.unattributed.won_deals,
            unattributed_value: report.unattributed.revenue_minor as f64 / scale,
        }),
        notes,
    })
}

fn table(out: &AttributionOutput) -> String {
    let order = out.order.map(|o| format!(" (order {o})")).unwrap_or_default();
    let cur = out.currency.as_deref().unwrap_or("");
    let mut text = format!(
        "{}{order} attribution on {}: {:.1} conversions, {:.0} {cur} value\n\n",
        out.model, out.source, out.total_conversions, out.total_value
    );
    text.push_str(&format!(
        "{:<24} {:>12} {:>14} {:>9} {:>17}\n",
        "channel", "conversions", "value", "share", "interval"
    ));
    for c in &out.channels {
        let interval = if c.share_low == c.share_high {
            "-".to_string()
        } else {
            format!("{:.1}-{:.1}%", c.share_low * 100.0, c.share_high * 100.0)
        };
        text.push_str(&format!(
            "{:<24} {:>12.2} {:>14.0} {:>8.1}% {:>17}\n",
            truncate(&c.channel, 24),
            c.conversions,
            c.value,
            c.share * 100.0,
            interval
        ));
    }
    if let (Some(f), Some(low), Some(high)) = (out.credited_fraction, out.credited_low, out.credited_high) {
        if f < 1.0 - 1e-9 || low < 1.0 - 1e-9 {
            let interval =
                if low < high { format!(" ({:.1}-{:.1}%)", low * 100.0, high * 100.0) } else { String::new() };
            text.push_str(&format!(
                "\nThe channels caused {:.1}%{interval} of the conversions; the rest is baseline and intent. The shares \
                 divide that part{}.\n",
                f * 100.0,
                if low < WEAK_CREDITED_FRACTION { ", and it may be close to nothing: read them as unknown, not as decisive" } else { "" }
            ));
        }
    }
    for n in &out.notes {
        text.push_str(&format!("\nnote: {n}"));
    }
    text
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(std::iter::once('~')).collect()
    }
}
