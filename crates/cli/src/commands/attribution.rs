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
use socialledger_report::figures::{decimal, percent};
use socialledger_report::text_table::{clean, wrap_words, Align, TextTable};
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
    /// The channel's name from the database (`None` for a path file, whose channels are named by the file).
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
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
        output::print_text(&table(&out, output::terminal_width()))?;
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
    let mut names = Names::new();
    let (paths, source, currency) = match &args.paths {
        Some(file) => {
            let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            let paths =
                socialledger_import::paths::read_paths(&file.display().to_string(), &bytes, &args.separator, sep)?;
            (paths, file.display().to_string(), None)
        }
        None => {
            let store = super::open_existing_store(&cli.db_or_default()).await?;
            let settings = super::analysis::settings(&store, &args.analysis).await?;
            let dataset = store.load_for_analysis().await?;
            names = channel_names(&dataset);
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
    let mut out = from_data_driven(result, source, currency, notes);
    name_channels(&mut out, &names);
    Ok(out)
}

/// Channel key -> name, as stored.
type Names = std::collections::HashMap<String, String>;

fn channel_names(dataset: &socialledger_domain::Dataset) -> Names {
    dataset.channels.iter().map(|c| (c.key.clone(), c.name.clone())).collect()
}

fn name_channels(out: &mut AttributionOutput, names: &Names) {
    for c in &mut out.channels {
        c.name = names.get(&c.channel).filter(|n| !n.trim().is_empty()).cloned();
    }
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
                name: None,
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
    let settings = super::analysis::settings(&store, &args.analysis).await?;
    let (dataset, analysis) = super::analysis::load_and_analyze(&store, &settings).await?;
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
            "{} won deals ({}) had no touchpoint in the {}-day window and are not credited",
            report.unattributed.won_deals,
            socialledger_report::figures::money(socialledger_domain::Money::new(
                report.unattributed.revenue_minor,
                settings.currency
            )),
            settings.lookback_days
        ));
    }
    let mut out = AttributionOutput {
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
                    name: None,
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
    };
    name_channels(&mut out, &channel_names(&dataset));
    Ok(out)
}

/// The text output: channels by name, largest share first, in a table fitted to `width`.
fn table(out: &AttributionOutput, width: usize) -> String {
    let order = out.order.map(|o| format!(" (order {o})")).unwrap_or_default();
    let value = match out.currency.as_deref() {
        Some(cur) => format!("{} {cur}", decimal(out.total_value, 0)),
        None => format!("{} value", decimal(out.total_value, 0)),
    };
    let mut lines = wrap_words(
        &clean(&format!(
            "{}{order} attribution on {}: {} conversions, {value}",
            out.model,
            out.source,
            decimal(out.total_conversions, 1)
        )),
        width,
    );
    lines.push(String::new());
    let value_header = out.currency.as_deref().map_or("Value".to_string(), |c| format!("Value ({c})"));
    let mut t = TextTable::new(
        "Channel",
        &[
            ("Conversions", Align::Right),
            (&value_header, Align::Right),
            ("Share", Align::Right),
            ("Interval", Align::Right),
        ],
    );
    let label = |c: &ChannelOut| c.name.clone().unwrap_or_else(|| c.channel.clone());
    let mut rows: Vec<&ChannelOut> = out.channels.iter().collect();
    rows.sort_by(|a, b| b.share.total_cmp(&a.share).then_with(|| label(a).cmp(&label(b))));
    for c in rows {
        // Two channels with one name are told apart by their keys.
        let name = label(c);
        let shared = out.channels.iter().filter(|o| label(o) == name).count() > 1;
        let interval = if c.share_low == c.share_high {
            "-".to_string()
        } else {
            format!("{}-{}", decimal(c.share_low * 100.0, 1), percent(c.share_high, 1))
        };
        t.row(vec![
            if shared { format!("{name} ({})", c.channel) } else { name },
            decimal(c.conversions, 1),
            decimal(c.value, 0),
            percent(c.share, 1),
            interval,
        ]);
    }
    lines.extend(t.render(width));
    if let (Some(f), Some(low), Some(high)) = (out.credited_fraction, out.credited_low, out.credited_high) {
        if f < 1.0 - 1e-9 || low < 1.0 - 1e-9 {
            let interval =
                if low < high { format!(" ({}-{})", percent(low, 1), percent(high, 1)) } else { String::new() };
            lines.push(String::new());
            lines.extend(wrap_words(
                &format!(
                    "The channels caused {}{interval} of the conversions; the rest is baseline and intent. The shares \
                     divide that part{}.",
                    percent(f, 1),
                    if low < WEAK_CREDITED_FRACTION {
                        ", and it may be close to nothing: read them as unknown, not as decisive"
                    } else {
                        ""
                    }
                ),
                width,
            ));
        }
    }
    if !out.notes.is_empty() {
        lines.push(String::new());
    }
    for n in &out.notes {
        let mut note = wrap_words(&clean(&format!("note: {n}")), width.saturating_sub(2));
        for l in note.iter_mut().skip(1) {
            l.insert_str(0, "  ");
        }
        lines.extend(note);
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}
