//! `socialledger target-group --icp FILE`: reads the target group file, loads the data and prints what
//! `socialledger_analytics::target_group::fit` computes: one table row per channel, then each channel's reading.

use crate::args::{Cli, TargetGroupArgs};
use crate::output;
use anyhow::Context;
use socialledger_analytics::target_group::{fit, TargetGroup, TargetGroupReport};
use socialledger_analytics::Settings;
use socialledger_report::figures::{decimal, group_thousands, percent};
use socialledger_report::text_table::{wrap_words, Align, TextTable};
use std::process::ExitCode;

pub async fn run(cli: &Cli, args: &TargetGroupArgs) -> anyhow::Result<ExitCode> {
    // Read and check the file before touching the database: a typo should not wait for a load.
    let group = read_target_group(&args.icp)?;
    let settings = Settings { period: super::analysis::period(args.from, args.to)?, ..Settings::default() };
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let dataset = store.load_for_analysis().await?;
    let report = fit(&dataset, &settings, &group);
    if cli.json {
        output::print_json(&report)?;
    } else if report.channels.is_empty() {
        eprintln!("no channels yet: import data first (socialledger import FILE...) or run socialledger demo");
    } else {
        output::print_text(&text(&report, output::terminal_width()))?;
    }
    Ok(if report.channels.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The target group from `path`, with the file named in every error.
pub(crate) fn read_target_group(path: &std::path::Path) -> anyhow::Result<TargetGroup> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the target group file {}; check --icp", path.display()))?;
    TargetGroup::from_toml_str(&text).with_context(|| {
        format!(
            "{}: not a valid target group file (see docs/target-group.md and examples/target_group.toml)",
            path.display()
        )
    })
}

fn share(s: Option<f64>) -> String {
    s.map_or_else(|| "-".to_string(), |s| percent(s, 1))
}

/// The text output: the CRM base, one row per channel, the rule, then each channel's reading.
fn text(r: &TargetGroupReport, width: usize) -> String {
    let right = Align::Right;
    let mut t = TextTable::new(
        "Channel",
        &[
            ("Audience", right),
            ("At most", right),
            ("If indep.", right),
            ("Reached", right),
            ("Target", right),
            ("Share", right),
            ("Tp/target", right),
            ("Misses", right),
        ],
    );
    for c in &r.channels {
        let a = c.audience.as_ref();
        let reach = c.accounts.as_ref();
        t.row(vec![
            c.channel.clone(),
            a.map_or_else(
                || "-".to_string(),
                |a| format!("{} {}", group_thousands(a.audience_size.max(0) as u64), a.kind),
            ),
            share(a.and_then(|a| a.upper_bound)),
            share(a.and_then(|a| a.independence_estimate)),
            reach.map_or_else(|| "-".to_string(), |x| group_thousands(x.reached as u64)),
            reach.map_or_else(|| "-".to_string(), |x| group_thousands(x.target_reached as u64)),
            share(reach.and_then(|x| x.target_share_of_reached)),
            reach.and_then(|x| x.touchpoints_per_target_account).map_or_else(|| "-".to_string(), |v| decimal(v, 1)),
            if c.misses_target_group { "yes".to_string() } else { "no".to_string() },
        ]);
    }
    let mut prose = Vec::new();
    prose.push(
        "Audience: people listed in the latest demographics (followers, else visitors). At most: the smallest \
         per-dimension share inside the target group, an upper bound of the joint share; If indep.: their product, \
         the joint share if the dimensions were independent. Reached: CRM accounts with a touchpoint on the channel; \
         Target: target accounts among them; Share: Target / Reached; Tp/target: touchpoints per target account \
         reached."
            .to_string(),
    );
    if let Some(crm) = &r.crm {
        prose.push(format!(
            "The CRM holds {} accounts, {} of them target accounts ({}).",
            group_thousands(crm.accounts as u64),
            group_thousands(crm.target_accounts as u64),
            share(crm.target_share)
        ));
    }
    prose.push(format!(
        "A channel misses the target group when the {} % Wilson interval of its target share lies below the CRM's \
         target share, or when at most {} of its audience can match (docs/target-group.md).",
        decimal(r.level * 100.0, 0),
        percent(r.min_audience_share, 0)
    ));
    prose.push(String::new());
    for c in &r.channels {
        prose.push(format!("{}: {}", c.channel, c.reading));
        for why in &c.misses_because {
            prose.push(format!("  misses the target group: {why}."));
        }
    }
    let table = t.render(width).join("\n");
    let lines: Vec<String> =
        prose.iter().flat_map(|l| if l.is_empty() { vec![String::new()] } else { wrap_words(l, width) }).collect();
    format!("{table}\n\n{}\n", lines.join("\n"))
}
