//! `socialledger crossposts`: the cross-posting audit on the posts in the database (the analytics do the work,
//! `socialledger_analytics::crosspost`); this prints it. Post texts are never printed: they are untrusted and
//! the audit names posts by channel and id.

use crate::args::{Cli, CrosspostsArgs};
use crate::output;
use socialledger_analytics::crosspost::{crosspost_audit, ComparisonBasis, CrosspostAudit, CrosspostOptions};
use socialledger_analytics::Settings;
use socialledger_report::figures::{decimal, group_thousands, percent};
use socialledger_report::text_table::{wrap_words, Align, TextTable};
use std::process::ExitCode;

pub async fn run(cli: &Cli, args: &CrosspostsArgs) -> anyhow::Result<ExitCode> {
    let opts = CrosspostOptions { threshold: args.threshold, ..CrosspostOptions::default() };
    // Check the flag before touching the database: a typo should not wait for a load.
    opts.validate()?;
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let data = store.posts_with_metrics().await?;
    let audit = crosspost_audit(&data, &Settings::default(), &opts)?;
    if cli.json {
        output::print_json(&audit)?;
    } else if audit.posts == 0 {
        eprintln!("no posts yet: import post exports first (socialledger import FILE...) or run socialledger demo");
    } else {
        output::print_text(&text(&audit, output::terminal_width()))?;
    }
    Ok(if audit.posts == 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn count(n: usize) -> String {
    group_thousands(n as u64)
}

/// The text output: one row per channel, then the engagement comparison in words.
fn text(a: &CrosspostAudit, width: usize) -> String {
    let right = Align::Right;
    let mut t = TextTable::new(
        "Channel",
        &[
            ("Posts", right),
            ("Identical", right),
            ("Share", right),
            ("Tailored", right),
            ("Rate ident.", right),
            ("Rate tail.", right),
            ("Rate other", right),
        ],
    );
    let rate = |r: Option<f64>| r.map_or_else(|| "-".to_string(), |r| percent(r, 2));
    for c in &a.channels {
        t.row(vec![
            c.channel.clone(),
            count(c.posts),
            count(c.identical),
            c.identical_share.map_or_else(|| "-".to_string(), |s| percent(s, 1)),
            count(c.tailored),
            rate(c.rate_identical),
            rate(c.rate_tailored),
            rate(c.rate_other),
        ]);
    }
    let table = t.render(width).join("\n");
    let mut out = String::new();
    out.push_str(&format!(
        "Identical = near-identical (Jaccard >= {}) to a post on another channel; share of posts with text. Rates: \
         engagements / impressions.\n",
        decimal(a.threshold, 2)
    ));
    if a.has_ideas {
        out.push_str("Tailored = not identical, but its idea was also published on another channel.\n");
    } else {
        out.push_str("The posts carry no idea keys, so tailored variants cannot be told: identical cross-posts are compared with all other posts.\n");
    }
    match &a.comparison {
        Some(c) => {
            let against = match c.basis {
                ComparisonBasis::TailoredVariants => "Tailored variants",
                ComparisonBasis::AllOtherPosts => "Other posts",
            };
            out.push_str(&format!(
                "{against} engage {} times as much as identical cross-posts ({} % interval {} to {}; rate by \
                 impressions relative to the channel's mean; {} identical and {} compared posts).\n",
                decimal(c.ratio, 2),
                decimal(c.level * 100.0, 0),
                decimal(c.low, 2),
                decimal(c.high, 2),
                count(c.identical_posts),
                count(c.compared_posts)
            ));
        }
        None => {
            out.push_str(&format!("No engagement comparison: {}.\n", a.comparison_note.as_deref().unwrap_or("")));
        }
    }
    out.push_str(&format!(
        "{} groups of copies across channels; {} distinct texts, {} LSH candidate pairs ({} bands x {} rows), {} \
         confirmed.\n",
        count(a.groups.len()),
        count(a.distinct_texts),
        count(a.candidate_pairs),
        a.banding.bands,
        a.banding.rows,
        count(a.confirmed_pairs)
    ));
    let prose: Vec<String> = out.lines().flat_map(|line| wrap_words(line, width)).collect();
    format!("{table}\n\n{}\n", prose.join("\n"))
}
