//! `socialledger channels`: every channel and how much data the database holds for it; `channels rename` and
//! `channels merge` repair channel identity (the store does the work, see `socialledger_store::ChannelMerge`).

use crate::args::{ChannelsAction, ChannelsArgs, Cli};
use crate::output;
use serde::Serialize;
use socialledger_domain::Dataset;
use socialledger_report::figures::group_thousands;
use socialledger_report::text_table::{Align, TextTable};
use std::process::ExitCode;

#[derive(Debug, Serialize)]
struct ChannelOut {
    channel: String,
    name: Option<String>,
    kind: Option<String>,
    network: Option<String>,
    handle: Option<String>,
    /// `page` or `profile` where the network has both, else absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<String>,
    /// Handles of accounts merged into this channel (`channels merge`), else absent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
    posts: usize,
    channel_days: usize,
    time_entries: usize,
    cost_items: usize,
    activities: usize,
    touchpoints: usize,
}

pub async fn run(cli: &Cli, args: &ChannelsArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        None => list(cli).await,
        Some(ChannelsAction::Rename { key, name }) => rename(cli, key, name).await,
        Some(ChannelsAction::Merge { from, into }) => merge(cli, from, into).await,
    }
}

/// The channel as `channels rename --json` prints it.
#[derive(Debug, Serialize)]
struct Renamed {
    channel: String,
    name: String,
    kind: String,
    network: Option<String>,
    handle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<String>,
}

async fn rename(cli: &Cli, key: &str, name: &str) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let c = store.rename_channel(key, name).await?;
    if cli.json {
        output::print_json(&Renamed {
            channel: c.key,
            name: c.name,
            kind: c.kind.to_string(),
            network: c.network.map(|n| n.to_string()),
            handle: c.handle,
            account: c.account.map(|a| a.to_string()),
        })?;
    } else {
        output::print_text(&format!("channel {} is now named {:?}\n", c.key, c.name))?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn merge(cli: &Cli, from: &str, into: &str) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let m = store.merge_channels(from, into).await?;
    if cli.json {
        output::print_json(&m)?;
    } else {
        let mut text = format!("merged channel {} into {} (recorded as import {}):\n", m.from, m.into, m.import_id);
        for t in m.tables.iter().filter(|t| t.moved + t.merged > 0) {
            text.push_str(&format!("  {:<14} {:>7} moved", t.table, t.moved));
            if t.merged > 0 {
                text.push_str(&format!(", {} already on {} (its values kept, gaps filled)", t.merged, m.into));
            }
            text.push('\n');
        }
        if m.total() == 0 {
            text.push_str(&format!("  {} held no records\n", m.from));
        }
        output::print_text(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn list(cli: &Cli) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let data = store.load_for_analysis().await?;
    let mut rows = summarize(&data);
    for alias in store.channel_aliases().await? {
        if let Some(r) = rows.iter_mut().find(|r| r.channel == alias.channel) {
            r.aliases.push(alias.handle);
        }
    }
    if cli.json {
        output::print_json(&rows)?;
    } else if rows.is_empty() {
        eprintln!("no channels yet: import some files first (socialledger import FILE...) or run socialledger demo");
    } else {
        output::print_text(&table(&rows, output::terminal_width()))?;
    }
    Ok(if rows.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The text output: one row per channel by name (key beside it), in a table fitted to `width`.
fn table(rows: &[ChannelOut], width: usize) -> String {
    let right = Align::Right;
    let mut t = TextTable::new(
        "Channel",
        &[
            ("Key", Align::Left),
            ("Kind", Align::Left),
            ("Network", Align::Left),
            ("Posts", right),
            ("Days", right),
            ("Time", right),
            ("Costs", right),
            ("Activities", right),
            ("Touchpoints", right),
        ],
    );
    let count = |n: usize| group_thousands(n as u64);
    for r in rows {
        t.row(vec![
            r.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| r.channel.clone()),
            r.channel.clone(),
            r.kind.clone().unwrap_or_else(|| "-".into()),
            r.network.clone().unwrap_or_else(|| "-".into()),
            count(r.posts),
            count(r.channel_days),
            count(r.time_entries),
            count(r.cost_items),
            count(r.activities),
            count(r.touchpoints),
        ]);
    }
    let mut text = t.render(width).join("\n");
    text.push('\n');
    text
}

fn summarize(data: &Dataset) -> Vec<ChannelOut> {
    let touches = data.touches();
    let per_channel = touches.per_channel();
    let touchpoints_on = |key: &str| touches.channels().get(key).map_or(0, |id| per_channel[id as usize]);
    socialledger_analytics::channel_keys(data)
        .into_iter()
        .map(|key| {
            let c = data.channels.iter().find(|c| c.key == key);
            let is = |k: &str| k == key;
            ChannelOut {
                name: c.map(|c| c.name.clone()),
                kind: c.map(|c| c.kind.to_string()),
                network: c.and_then(|c| c.network).map(|n| n.to_string()),
                handle: c.and_then(|c| c.handle.clone()),
                account: c.and_then(|c| c.account).map(|a| a.to_string()),
                aliases: Vec::new(),
                posts: data.posts.iter().filter(|p| is(&p.channel)).count(),
                channel_days: data.channel_days.iter().filter(|d| is(&d.channel)).count(),
                time_entries: data.time_entries.iter().filter(|t| t.channel.as_deref() == Some(&key)).count(),
                cost_items: data.cost_items.iter().filter(|t| t.channel.as_deref() == Some(&key)).count(),
                activities: data.activities.iter().filter(|t| t.channel.as_deref() == Some(&key)).count(),
                touchpoints: touchpoints_on(&key),
                channel: key,
            }
        })
        .collect()
}
