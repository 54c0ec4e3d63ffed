//! `socialledger mmm panel`: the mix model's panel built from the database (by
//! `socialledger_analytics::mix_panel`), printed as a summary per channel, as JSON, or written as CSV that
//! `mmm fit --csv` reads back. Glue only: the panel and its summary figures are computed in analytics.

use crate::args::{Cli, FrequencyArg, MmmPanelArgs, OrganicInputArg, PanelArgs, TargetArg};
use crate::output;
use anyhow::Context;
use serde::Serialize;
use socialledger_analytics::mix_panel::{summarize, PanelSummary};
use socialledger_analytics::{
    build_panel, value_of_target, AnalyticsError, BuiltPanel, OrganicInput, PanelNote, PanelNoteCode, PanelOptions,
    Settings, ValueOfTarget,
};
use socialledger_domain::{Currency, Dataset};
use socialledger_import::controls_csv::{join_controls, read_controls};
use socialledger_mmm::{Frequency, InputKind, Panel};
use socialledger_report::figures::{decimal, group_thousands};
use socialledger_report::text_table::{wrap_words, Align, TextTable};
use std::path::Path;
use std::process::ExitCode;

/// `mmm panel --json`: the whole panel, the summary per series, and the notes.
#[derive(Debug, Serialize)]
struct PanelOutput<'a> {
    panel: &'a Panel,
    summary: &'a PanelSummary,
    notes: &'a [PanelNote],
}

pub async fn run(cli: &Cli, args: &MmmPanelArgs) -> anyhow::Result<ExitCode> {
    let built = match load_panel(cli, &args.panel, args.target).await {
        Ok(db) => db.built,
        Err(err) if matches!(err.downcast_ref::<AnalyticsError>(), Some(AnalyticsError::NoPanelData)) => {
            eprintln!("socialledger: {err}");
            return Ok(ExitCode::from(1));
        }
        Err(err) => return Err(err),
    };
    let summary = summarize(&built.panel);
    if let Some(path) = &args.csv_out {
        write_csv(&built.panel, path)?;
        if !cli.quiet && !cli.json {
            eprintln!("panel written to {} ({} rows)", path.display(), built.panel.len());
        }
    }
    if cli.json {
        output::print_json(&PanelOutput { panel: &built.panel, summary: &summary, notes: &built.notes })?;
    } else {
        output::print_text(&text(&built, &summary, output::terminal_width()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A panel built from the database, with what one unit of its target is worth by the CRM's history.
pub struct DbPanel {
    pub built: BuiltPanel,
    pub value_of_target: ValueOfTarget,
    /// What the panel was built from: experiments read their regions and accounts from it, without loading the
    /// database again.
    pub dataset: Dataset,
}

/// Loads the database named by `--db` (which must exist) and builds the panel the flags ask for, with the
/// controls of `--controls-csv` joined on (a note says what was added and ignored). Shared with the other
/// `mmm` subcommands that read the database.
pub async fn load_panel(cli: &Cli, args: &PanelArgs, target: TargetArg) -> anyhow::Result<DbPanel> {
    let (settings, opts) = options(args, target)?;
    // The controls file is read before the database is opened: a bad file fails fast, and alone.
    let controls = match &args.controls_csv {
        Some(path) => {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            Some(read_controls(&path.display().to_string(), &bytes)?)
        }
        None => None,
    };
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let dataset = store.load_for_analysis().await?;
    let mut built = build_panel(&dataset, &settings, &opts)?;
    if let Some(controls) = controls {
        let joined = join_controls(&mut built.panel, &controls)?;
        built.notes.push(PanelNote {
            code: PanelNoteCode::ControlsCsv,
            channel: None,
            text: joined.note(&controls.file),
        });
    }
    let value_of_target = value_of_target(&dataset.deals, opts.target, settings.currency);
    Ok(DbPanel { built, value_of_target, dataset })
}

/// Settings and panel options from the flags.
pub fn options(args: &PanelArgs, target: TargetArg) -> anyhow::Result<(Settings, PanelOptions)> {
    let period = super::analysis::period(args.from, args.to)?;
    let settings = Settings { currency: Currency::parse(&args.currency)?, ..Settings::default() };
    let opts = PanelOptions {
        frequency: match args.frequency {
            FrequencyArg::Weekly => Frequency::Weekly,
            FrequencyArg::Daily => Frequency::Daily,
        },
        target: target.into(),
        organic_input: match args.organic_input {
            OrganicInputArg::Hours => OrganicInput::Hours,
            OrganicInputArg::Posts => OrganicInput::Posts,
            OrganicInputArg::Impressions => OrganicInput::Impressions,
        },
        channels: (!args.channels.is_empty()).then(|| args.channels.clone()),
        period,
    };
    Ok((settings, opts))
}

/// Writes the panel as CSV: `date_week` (`date` for a daily panel), the target named by what it is
/// (`pipeline`, `revenue`, `deals`), one column per series (its key), one per control. Numbers in full
/// precision, money in major units. Costs are not in the file (`--json` has them).
pub fn write_csv(panel: &Panel, path: &Path) -> anyhow::Result<()> {
    let write = || -> anyhow::Result<()> {
        let mut w = csv::Writer::from_path(path)?;
        let mut header = vec![date_column(panel.frequency).to_string(), panel.target_name.clone()];
        header.extend(panel.channels.iter().map(|c| c.key.clone()));
        header.extend(panel.controls.iter().map(|c| c.name.clone()));
        w.write_record(&header)?;
        for (i, date) in panel.dates.iter().enumerate() {
            let mut row = vec![date.to_string(), panel.target[i].to_string()];
            row.extend(panel.channels.iter().map(|c| c.values[i].to_string()));
            row.extend(panel.controls.iter().map(|c| c.values[i].to_string()));
            w.write_record(&row)?;
        }
        w.flush()?;
        Ok(())
    };
    write().with_context(|| format!("cannot write the panel to {}", path.display()))
}

/// Name of the date column of the CSV.
pub fn date_column(frequency: Frequency) -> &'static str {
    match frequency {
        Frequency::Weekly => "date_week",
        Frequency::Daily => "date",
    }
}

/// The text output: what the panel covers, one row per series, the notes.
fn text(built: &BuiltPanel, s: &PanelSummary, width: usize) -> String {
    let p = &built.panel;
    let (unit, units) = match p.frequency {
        Frequency::Weekly => ("week", "weeks"),
        Frequency::Daily => ("day", "days"),
    };
    let last = p.dates.last().map(|d| *d + chrono::Days::new(p.frequency.days() as u64 - 1));
    let target = if p.target_name == "deals" {
        format!("{} deals created", decimal(s.target_total, 0))
    } else {
        format!("{} {}", decimal(s.target_total, 0), p.currency)
    };
    let mut out = format!(
        "Mix panel: {} {units} from {} to {}, target {} (total {target}, per {unit} varies by {})\n\n",
        group_thousands(s.periods as u64),
        p.dates.first().map(|d| d.to_string()).unwrap_or_default(),
        last.map(|d| d.to_string()).unwrap_or_default(),
        p.target_name,
        s.target_cv.map_or("n/a".to_string(), |cv| format!("CV {}", decimal(cv, 2))),
    );
    let right = Align::Right;
    let cost_header = format!("Cost ({})", p.currency);
    let active_header = format!("Active {units}");
    let mut t = TextTable::new(
        "Series",
        &[
            ("Key", Align::Left),
            ("Input", Align::Left),
            ("Group", Align::Left),
            (active_header.as_str(), right),
            ("Total input", right),
            (cost_header.as_str(), right),
            ("CV", right),
            ("Moves most with", Align::Left),
        ],
    );
    for c in &s.channels {
        t.row(vec![
            c.name.clone(),
            c.key.clone(),
            c.input.as_str().to_string(),
            format!("{:?}", c.group).to_lowercase(),
            format!("{}/{}", c.periods_active, s.periods),
            input_total(c.input, c.total_input, &p.currency),
            decimal(c.total_cost, 0),
            c.cv.map_or("n/a".to_string(), |v| decimal(v, 2)),
            c.most_correlated.as_ref().map_or("-".to_string(), |m| format!("{} (r {})", m.key, decimal(m.r, 2))),
        ]);
    }
    out.push_str(&t.render(width).join("\n"));
    out.push('\n');
    if !built.notes.is_empty() {
        out.push_str("\nNotes:\n");
        for n in &built.notes {
            let lines = wrap_words(&n.text, width.saturating_sub(4).max(20));
            for (i, line) in lines.iter().enumerate() {
                out.push_str(if i == 0 { "  - " } else { "    " });
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// A series' total input with its unit.
fn input_total(kind: InputKind, total: f64, currency: &str) -> String {
    match kind {
        InputKind::Spend => format!("{} {currency}", decimal(total, 0)),
        InputKind::Hours => format!("{} h", decimal(total, 1)),
        _ => decimal(total, 0),
    }
}
