//! `socialledger channels`: every channel and how much data the database holds for it.

use crate::args::Cli;
use crate::output;
use serde::Serialize;
use socialledger_domain::Dataset;
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
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let data = store.load().await?;
    let rows = summarize(&data);
    if cli.json {
        output::print_json(&rows)?;
    } else if rows.is_empty() {
        eprintln!("no channels yet: import some files first (socialledger import FILE...) or run socialledger demo");
    } else {
        let mut text = format!(
            "{:<22} {:<15} {:<10} {:>6} {:>6} {:>6} {:>6} {:>6} {:>8}\n",
            "channel", "kind", "network", "posts", "days", "time", "costs", "activ", "touches"
        );
        for r in &rows {
            text.push_str(&format!(
                "{:<22} {:<15} {:<10} {:>6} {:>6} {:>6} {:>6} {:>6} {:>8}\n",
                r.channel,
                r.kind.as_deref().unwrap_or("-"),
                r.network.as_deref().unwrap_or("-"),
                r.posts,
                r.channel_days,
                r.time_entries,
                r.cost_items,
                r.activities,
                r.touchpoints
            ));
        }
        output::print_text(&text)?;
    }
    Ok(if rows.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
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
