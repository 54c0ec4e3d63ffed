//! `socialledger channels`: every channel and how much data the database holds for it.

use crate::args::Cli;
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
    posts: usize,
    channel_days: usize,
    time_entries: usize,
    cost_items: usize,
    activities: usize,
    touchpoints: usize,
}

pub async fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let store = super::open_store(&cli.db_or_default()).await?;
    let data = store.load().await?;
    let rows = summarize(&data);
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
                posts: data.posts.iter().filter(|p| is(&p.channel)).count(),
                channel_days: data.channel_days.iter().filter(|d| is(&d.channel)).count(),
                time_entries: data.time_entries.iter().filter(|t| t.channel.as_deref() == Some(&key)).count(),
                cost_items: data.cost_items.iter().filter(|t| t.channel.as_deref() == Some(&key)).count(),
                activities: data.activities.iter().filter(|t| t.channel.as_deref() == Some(&key)).count(),
                touchpoints: data.touchpoints.iter().filter(|t| is(&t.channel)).count(),
                channel: key,
            }
        })
        .collect()
}
