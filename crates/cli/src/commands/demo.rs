//! `socialledger demo`: simulate a B2B company, write its data as canonical CSV files, import them through the
//! normal import path, and write a self-contained report.html.

use crate::args::{Cli, DemoArgs};
use crate::output;
use anyhow::Context;
use serde::Serialize;
use socialledger_analytics::Settings;
use socialledger_demo::experiment::PLAN_FILE;
use socialledger_demo::{parse_world, simulate, simulate_experiment, DemoConfig, ExperimentSpec};
use socialledger_import::ImportOptions;
use socialledger_report::standard::{render_reports, report_mix, StandardOptions};
use socialledger_report::Format;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Serialize)]
struct DemoOutput {
    seed: u64,
    out_dir: PathBuf,
    data_files: Vec<PathBuf>,
    truth: PathBuf,
    database: String,
    report: PathBuf,
    /// The simulated experiment's plan (`--experiment` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    experiment_plan: Option<PathBuf>,
    rows_imported: usize,
    seconds: f64,
}

pub async fn run(cli: &Cli, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let say = |msg: &str| {
        if !cli.quiet && !cli.json {
            eprintln!("{msg}");
        }
    };
    let out = &args.out;
    let mut config =
        DemoConfig { seed: args.seed, accounts: args.accounts as usize, months: args.months, ..DemoConfig::default() };
    if let Some(path) = &args.effects {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the effects file {} (--effects)", path.display()))?;
        let world = parse_world(&text, &path.display().to_string())?;
        config.effects = world.effects;
        config.audience = world.audience;
    }
    let experiment = args.experiment.as_deref().map(str::parse::<ExperimentSpec>).transpose()?;
    let data_dir = out.join("data");
    std::fs::create_dir_all(&data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;

    say(&format!(
        "simulating a B2B company with {} accounts over {} months (seed {})",
        args.accounts, args.months, args.seed
    ));
    let sim = match &experiment {
        Some(spec) => simulate_experiment(&config, spec)?,
        None => simulate(&config),
    };
    let files =
        sim.write_csv(&data_dir).with_context(|| format!("cannot write the demo files to {}", data_dir.display()))?;
    let truth_path = out.join("truth.json");
    std::fs::write(&truth_path, serde_json::to_vec_pretty(sim.truth())?)
        .with_context(|| format!("cannot write {}", truth_path.display()))?;
    let experiment_plan = match sim.experiment_plan() {
        Some(plan) => {
            let path = out.join(PLAN_FILE);
            let json = serde_json::to_string_pretty(plan)?;
            std::fs::write(&path, json + "\n").with_context(|| format!("cannot write {}", path.display()))?;
            say(&format!(
                "experiment: {} {} over {} weeks, plan in {}",
                plan.design,
                plan.channel,
                plan.schedule_weeks.len(),
                path.display()
            ));
            Some(path)
        }
        None => None,
    };

    let database = match &cli.db {
        Some(db) => db.clone(),
        None => {
            let path = out.join("socialledger.db");
            remove_sqlite(&path)?;
            path.display().to_string()
        }
    };
    say(&format!("importing {} files into {database}", files.len()));
    let store = super::open_store(&database).await?;
    let results = super::import::import_files(&store, &files, ImportOptions::default(), cli.quiet).await?;
    if let Some(bad) = results.iter().find(|r| r.status == "rejected") {
        anyhow::bail!("the demo's own file {} was rejected:\n{}", bad.file, bad.errors.join("\n"));
    }
    let rows_imported = results.iter().map(|r| r.rows).sum();

    say("analysing and writing the report");
    let settings = Settings::default();
    let dataset = store.load_for_analysis().await?;
    // The report is `report --mmm`'s (the same mix model fit, seed and bootstrap), which the web app's Overview
    // shows too: its verdict reads the mix model (seconds to fit), its section comes after the models.
    let posts = store.posts_with_metrics().await?;
    let (mix, section) = report_mix(&dataset, &settings, super::mmm::fallback_note(cli.quiet || cli.json));
    if let (Err(e), false) = (&mix, cli.quiet || cli.json) {
        eprintln!("socialledger: the mix model is left out of the demo's report: {e}");
    }
    let opts = StandardOptions {
        title: Some(format!("Demo company (seed {})", args.seed)),
        generated_at: chrono::Utc::now(),
        format: Format::Html,
        width: 100,
        mix: Some(mix),
        mmm: section.as_ref(),
    };
    let texts = render_reports(&dataset, &posts, &settings, opts, &[(Format::Terminal, output::terminal_width())])?;
    let (html, terminal) = (&texts[0], &texts[1]);
    let report_path = out.join("report.html");
    std::fs::write(&report_path, html).with_context(|| format!("cannot write {}", report_path.display()))?;

    let summary = DemoOutput {
        seed: args.seed,
        out_dir: out.clone(),
        data_files: files,
        truth: truth_path,
        database,
        report: report_path,
        experiment_plan,
        rows_imported,
        seconds: started.elapsed().as_secs_f64(),
    };
    if cli.json {
        output::print_json(&summary)?;
    } else {
        output::print_text(terminal)?;
        output::print_text(&format!(
            "\n{} rows from {} files imported into {} in {:.1} s\nreport:  {}\ntruth:   {} (the simulated company's true \
             channel effects)\ndata:    {}\nweb app: socialledger --db {} serve (the first start prints a setup link)",
            socialledger_report::figures::group_thousands(summary.rows_imported as u64),
            summary.data_files.len(),
            summary.database,
            summary.seconds,
            summary.report.display(),
            summary.truth.display(),
            data_dir.display(),
            summary.database
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Removes a previous demo database so every demo run starts from the same empty state.
fn remove_sqlite(path: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("cannot remove the old demo database {}", p.display()))?;
        }
    }
    Ok(())
}
