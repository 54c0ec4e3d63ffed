//! `socialledger value-beyond-sales --values FILE`: reads the user's assumptions, loads the data and prints what
//! `socialledger_analytics::value_beyond_sales` computes: per channel and task, hours, value and the assumption
//! it rests on, beside the channel's cost. Never mixed into revenue or ROI.

use crate::args::{Cli, ValueBeyondSalesArgs};
use crate::output;
use anyhow::Context;
use socialledger_analytics::value_beyond_sales::{value_beyond_sales, ValueAssumptions, ValueBeyondSalesReport};
use socialledger_analytics::Settings;
use socialledger_domain::{Currency, Money};
use socialledger_report::figures::{hours, money, percent};
use socialledger_report::text_table::{wrap_words, Align, TextTable};
use std::process::ExitCode;

pub async fn run(cli: &Cli, args: &ValueBeyondSalesArgs) -> anyhow::Result<ExitCode> {
    let assumptions = read_assumptions(&args.values)?;
    let settings = Settings {
        period: super::analysis::period(args.from, args.to)?,
        currency: Currency::parse(&args.currency).context("--currency")?,
        ..Settings::default()
    };
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let dataset = store.load_for_analysis().await?;
    let report = value_beyond_sales(&dataset, &settings, &assumptions);
    if cli.json {
        output::print_json(&report)?;
    } else if report.channels.is_empty() {
        eprintln!(
            "no time on customer service, recruiting, PR or procurement on any channel, and no units counted: import \
             time entries with those tasks (docs/formats.md, time_entries.csv)"
        );
    } else {
        output::print_text(&text(&report, output::terminal_width()))?;
    }
    Ok(if report.channels.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The assumptions from `path`, with the file named in every error.
pub(crate) fn read_assumptions(path: &std::path::Path) -> anyhow::Result<ValueAssumptions> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the assumptions file {}; check --values", path.display()))?;
    ValueAssumptions::from_toml_str(&text).with_context(|| {
        format!(
            "{}: not a valid value-beyond-sales file (see docs/value-beyond-sales.md and \
             examples/value_beyond_sales.toml)",
            path.display()
        )
    })
}

/// The text output: one row per channel and task, then the totals and the warning that this is no revenue.
fn text(r: &ValueBeyondSalesReport, width: usize) -> String {
    let right = Align::Right;
    let m = |minor: i64| money(Money::new(minor, r.currency));
    let mut t = TextTable::new(
        "Channel",
        &[
            ("Task", Align::Left),
            ("Hours", right),
            ("Value", right),
            ("Staff cost", right),
            ("Of cost", right),
            ("Assumption", Align::Left),
        ],
    );
    for c in &r.channels {
        for task in &c.tasks {
            t.row(vec![
                c.channel.clone(),
                task.task.to_string(),
                hours(task.hours),
                m(task.value_minor),
                m(task.staff_cost_minor),
                task.cost_share.map_or_else(|| "-".to_string(), |s| percent(s, 1)),
                task.assumption.clone(),
            ]);
        }
    }
    let mut prose = Vec::new();
    for c in &r.channels {
        prose.push(format!("{}: {} beside a full cost of {}.", c.channel, m(c.value_minor), m(c.cost_total_minor)));
    }
    prose.push(format!(
        "Total {}. These values rest on your assumptions ({} per hour and per unit as written in the file); they \
         are not revenue and are never added to attributed revenue or ROI.",
        m(r.total_value_minor),
        r.currency
    ));
    if r.general_minutes > 0 {
        prose.push(format!(
            "{} on these tasks without a channel are not valued: no channel earns them.",
            hours(r.general_minutes as f64 / 60.0)
        ));
    }
    let table = t.render(width).join("\n");
    let lines: Vec<String> = prose.iter().flat_map(|l| wrap_words(l, width)).collect();
    format!("{table}\n\n{}\n", lines.join("\n"))
}
