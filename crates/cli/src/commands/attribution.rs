//! `socialledger attribution --model M`: pipeline and revenue credited to each channel by one model.

use crate::args::{AttributionArgs, Cli};
use crate::output;
use serde::Serialize;
use socialledger_analytics::Model;
use std::process::ExitCode;

/// The `--json` output (documented in docs/cli.md). Shares are fractions of the attributed revenue (or of the
/// pipeline when nothing is won) and sum to 1.
#[derive(Debug, Serialize)]
struct AttributionOutput {
    model: String,
    currency: String,
    lookback_days: u32,
    /// Won deals in the period, and those with at least one touchpoint in the window.
    total_conversions: u64,
    total_value: f64,
    pipeline_deals: u64,
    pipeline: f64,
    channels: Vec<ChannelOut>,
    unattributed_deals: u64,
    unattributed_value: f64,
}

#[derive(Debug, Serialize)]
struct ChannelOut {
    channel: String,
    /// Won deals credited (fractional).
    conversions: f64,
    /// Revenue credited, in major units of `currency`.
    value: f64,
    value_minor: i64,
    /// Deals created (pipeline) credited (fractional).
    deals: f64,
    pipeline: f64,
    pipeline_minor: i64,
    share: f64,
}

pub async fn run(cli: &Cli, args: &AttributionArgs) -> anyhow::Result<ExitCode> {
    let model = Model::parse(&args.model)?;
    let store = super::open_store(&cli.db_or_default()).await?;
    let settings = super::analysis::settings(&args.analysis)?;
    let (_, analysis) = super::analysis::load_and_analyze(&store, &settings).await?;
    let report = &analysis.attribution;
    let Some(result) = report.models.iter().find(|m| m.model == model) else {
        anyhow::bail!("the analysis produced no result for model {model}");
    };
    let scale = 10f64.powi(settings.currency.exponent() as i32);
    let revenue_total: i64 = result.channels.iter().map(|c| c.revenue_minor).sum();
    let pipeline_total: i64 = result.channels.iter().map(|c| c.pipeline_minor).sum();
    let channels: Vec<ChannelOut> = result
        .channels
        .iter()
        .map(|c| ChannelOut {
            channel: c.channel.clone(),
            conversions: c.won_deals,
            value: c.revenue_minor as f64 / scale,
            value_minor: c.revenue_minor,
            deals: c.deals,
            pipeline: c.pipeline_minor as f64 / scale,
            pipeline_minor: c.pipeline_minor,
            share: if revenue_total > 0 {
                c.revenue_minor as f64 / revenue_total as f64
            } else if pipeline_total > 0 {
                c.pipeline_minor as f64 / pipeline_total as f64
            } else {
                0.0
            },
        })
        .collect();
    let out = AttributionOutput {
        model: model.as_str().to_string(),
        currency: settings.currency.to_string(),
        lookback_days: settings.lookback_days,
        total_conversions: report.won_deals,
        total_value: report.revenue_minor as f64 / scale,
        pipeline_deals: report.pipeline_deals,
        pipeline: report.pipeline_minor as f64 / scale,
        channels,
        unattributed_deals: report.unattributed.won_deals,
        unattributed_value: report.unattributed.revenue_minor as f64 / scale,
    };
    if cli.json {
        output::print_json(&out)?;
    } else {
        let mut text = format!(
            "{} attribution, {} lookback days: {} won deals, {:.0} {} revenue; {} deals, {:.0} {} pipeline\n\n",
            out.model,
            out.lookback_days,
            out.total_conversions,
            out.total_value,
            out.currency,
            out.pipeline_deals,
            out.pipeline,
            out.currency
        );
        text.push_str(&format!(
            "{:<22} {:>14} {:>8} {:>14} {:>8} {:>7}\n",
            "channel", "revenue", "won", "pipeline", "deals", "share"
        ));
        for c in &out.channels {
            text.push_str(&format!(
                "{:<22} {:>14.0} {:>8.2} {:>14.0} {:>8.2} {:>6.1}%\n",
                truncate(&c.channel, 22),
                c.value,
                c.conversions,
                c.pipeline,
                c.deals,
                c.share * 100.0
            ));
        }
        if out.unattributed_deals > 0 {
            text.push_str(&format!(
                "\n{} won deals ({:.0} {}) had no touchpoint in the window and are not attributed.\n",
                out.unattributed_deals, out.unattributed_value, out.currency
            ));
        }
        output::print_text(&text)?;
    }
    Ok(if out.channels.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(std::iter::once('~')).collect()
    }
}
