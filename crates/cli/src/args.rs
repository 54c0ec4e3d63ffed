//! Command-line flags (clap derive). Defaults < `SOCIALLEDGER_*` environment < flags.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
  socialledger demo                          simulate a B2B company, import it, write report.html
  socialledger import exports/*.csv          import platform exports or canonical CSV files
  socialledger report                        cost, engagement, attributed revenue and ROI per channel
  socialledger report --format html --out report.html
  socialledger attribution --model w-shaped --json
  socialledger mmm panel                     weekly input and cost of every channel, for the mix model
  socialledger --db postgres://user@host/db channels

Exit codes: 0 success, 1 nothing found, 2 error.";

/// socialledger: what each social channel costs, what it brings, and its role in the marketing mix.
#[derive(Debug, Parser)]
#[command(
    name = "socialledger",
    version,
    about = "socialledger: what each social channel costs, what it brings, and its role in the marketing mix.",
    term_width = 110,
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// Database: a file path or sqlite:// URL, or a postgres:// URL. import and demo create it if missing; the
    /// other commands only open one that exists.
    #[arg(long, global = true, env = "SOCIALLEDGER_DB", value_name = "PATH|URL")]
    pub db: Option<String>,

    /// Print results as JSON (stable field names, see docs/cli.md).
    #[arg(long, global = true)]
    pub json: bool,

    /// No progress bars and no chatter on stderr (errors are still printed).
    #[arg(long, short, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The database location: `--db`, else `SOCIALLEDGER_DB`, else `./socialledger.db`.
    pub fn db_or_default(&self) -> String {
        self.db.clone().unwrap_or_else(|| "socialledger.db".to_string())
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a B2B company, write its data as CSV files, import them and write report.html.
    #[command(after_help = "Example:\n  socialledger demo --seed 7 --out /tmp/acme\n\nWithout --db the demo uses \
                            DIR/socialledger.db, made anew on every run.")]
    Demo(DemoArgs),
    /// Import export files from the networks and tools, or canonical CSV files (format detected from the header).
    #[command(
        after_help = "Examples:\n  socialledger import tweet_activity_metrics_acme_20250101_20250201_en.csv\n  \
                            socialledger import --format canonical-touchpoints --tz Europe/Berlin touches.csv\n  \
                            socialledger formats            list the formats and their names\n\nEach file is one \
                            transaction: a file with errors changes nothing, and importing the same file again \
                            changes nothing."
    )]
    Import(ImportArgs),
    /// Report per channel: cost, hours, engagement, attributed pipeline and revenue, ROI by model.
    #[command(after_help = "Examples:\n  socialledger report\n  socialledger report --format html --out \
                            report.html\n  socialledger report --from 2025-01-01 --to 2025-06-30 --format csv")]
    Report(ReportArgs),
    /// Pipeline and revenue credited to each channel by one attribution model.
    #[command(
        after_help = "Examples:\n  socialledger attribution --model u-shaped --json\n  socialledger attribution \
                            --model markov --order 2\n  socialledger attribution --model markov --order 3 --paths \
                            paths.csv --bootstrap 0 --json\n  socialledger attribution --model incremental --intent \
                            direct,organic-search\n  socialledger attribution --model shapley --write-paths \
                            journeys.csv   (also save the journeys)"
    )]
    Attribution(AttributionArgs),
    /// The channels in the database and what is known about each.
    #[command(
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  socialledger channels --json\n  socialledger channels rename linkedin --name \"Acme on \
                      LinkedIn\"\n  socialledger channels merge x-kaiadevintern x   (one account on two channels)\n\n\
                      How an export finds its channel: docs/sources.md, \"Channel identity\"."
    )]
    Channels(ChannelsArgs),
    /// The marketing mix model: the weekly panel of every channel's input and the outcome.
    #[command(subcommand)]
    Mmm(MmmCommand),
    /// The import formats socialledger recognises.
    Formats,
    /// The files imported so far.
    Imports,
}

/// `socialledger channels [rename|merge]`: without a subcommand, the list.
#[derive(Debug, Args)]
pub struct ChannelsArgs {
    #[command(subcommand)]
    pub action: Option<ChannelsAction>,
}

/// Repairs of channel identity.
#[derive(Debug, Subcommand)]
pub enum ChannelsAction {
    /// Give a channel another display name; its key, which every record refers to, stays.
    #[command(after_help = "Example:\n  socialledger channels rename linkedin --name \"Acme on LinkedIn\" --json")]
    Rename {
        /// The channel's key (as `socialledger channels` lists it).
        key: String,
        /// The new display name.
        #[arg(long)]
        name: String,
    },
    /// Move every record of channel FROM onto channel INTO and delete FROM: one account that landed on two
    /// channels becomes one. One transaction, recorded in `socialledger imports`.
    #[command(after_help = "Example:\n  socialledger channels merge x-x x --json\n\nWhere both channels hold the \
                            same record (the same post, the same day), INTO's values win and FROM's fill only what \
                            INTO lacks. INTO takes FROM's handle if it has none, so later exports of that account \
                            land on INTO.")]
    Merge {
        /// The channel that goes away.
        from: String,
        /// The channel that keeps everything.
        into: String,
    },
}

/// `socialledger mmm ...`: the marketing mix model.
#[derive(Debug, Subcommand)]
pub enum MmmCommand {
    /// The panel a mix model reads, built from the database: per week (or day) the outcome and every channel's
    /// input (spend, staff hours, posts, impressions or activity volume) with its full cost.
    #[command(
        after_help = "Examples:\n  socialledger mmm panel\n  socialledger mmm panel --organic-input posts --json\n  \
                            socialledger mmm panel --target revenue --csv-out panel.csv\n  socialledger mmm panel \
                            --frequency daily --from 2025-01-01 --to 2025-06-30\n\nWeeks run Monday to Sunday; \
                            only whole weeks are kept. Organic social channels enter by staff hours unless \
                            --organic-input says otherwise; their cost is hours x each person's hourly cost. \
                            What was left out or assumed is listed under the table (and in `notes` with --json)."
    )]
    Panel(MmmPanelArgs),
}

/// What the outcome of a mix panel is.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TargetArg {
    /// Amount of the deals created each week, by created date.
    Pipeline,
    /// Amount of the deals won each week, by close date.
    Revenue,
    /// Number of deals created each week.
    Deals,
}

/// What an organic social channel's input measures.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OrganicInputArg {
    /// Staff hours from time entries (what the channel consumes; cost = hours x hourly cost).
    Hours,
    /// Posts published.
    Posts,
    /// Impressions (channel days, else post metrics).
    Impressions,
}

/// Length of a panel period.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FrequencyArg {
    /// Monday-to-Sunday weeks.
    Weekly,
    /// Days.
    Daily,
}

/// How to build a mix panel from the database (shared by the `mmm` subcommands that read the database).
#[derive(Debug, Args)]
pub struct PanelArgs {
    /// The outcome: pipeline created, revenue won, or the number of deals created.
    #[arg(long, value_enum, default_value_t = TargetArg::Pipeline)]
    pub target: TargetArg,
    /// What organic social channels enter by.
    #[arg(long, value_enum, default_value_t = OrganicInputArg::Hours)]
    pub organic_input: OrganicInputArg,
    /// Weekly (Monday to Sunday) or daily periods.
    #[arg(long, value_enum, default_value_t = FrequencyArg::Weekly)]
    pub frequency: FrequencyArg,
    /// Only these series (comma-separated channel keys, or `campaigns`).
    #[arg(long, value_delimiter = ',', value_name = "KEYS")]
    pub channels: Vec<String>,
    /// First day of the panel (YYYY-MM-DD); cut to the first whole week.
    #[arg(long, value_name = "DATE")]
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the panel (YYYY-MM-DD); cut to the last whole week.
    #[arg(long, value_name = "DATE")]
    pub to: Option<chrono::NaiveDate>,
    /// Currency of the panel's money; amounts in other currencies are left out and noted.
    #[arg(long, default_value = "EUR", env = "SOCIALLEDGER_CURRENCY")]
    pub currency: String,
}

#[derive(Debug, Args)]
pub struct MmmPanelArgs {
    #[command(flatten)]
    pub panel: PanelArgs,
    /// Also write the panel as CSV to FILE: date_week (or date), the target, one column per channel, the
    /// controls; `mmm fit --csv` reads it back.
    #[arg(long, value_name = "FILE")]
    pub csv_out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Seed of the simulation: the same seed gives the same company.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Folder for the CSV files, truth.json, the database and report.html.
    #[arg(long, default_value = "socialledger-demo")]
    pub out: PathBuf,
    /// Number of CRM accounts (buying organisations) of the simulated company; more accounts, more deals and
    /// journeys, and narrower intervals for the data-driven attribution models.
    #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub accounts: u32,
    /// Length of the simulated period in calendar months.
    #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=120))]
    pub months: u32,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import (CSV, XLS, XLSX).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Skip detection and read the files as this format (see `socialledger formats`).
    #[arg(long, value_name = "NAME")]
    pub format: Option<String>,
    /// Time zone of timestamps written without an offset (IANA name such as Europe/Berlin).
    #[arg(long, default_value = "UTC", env = "SOCIALLEDGER_TZ")]
    pub tz: String,
    /// Currency of amounts whose file names none.
    #[arg(long, default_value = "EUR", env = "SOCIALLEDGER_CURRENCY")]
    pub currency: String,
    /// Put the records of a platform export on this channel key instead of the derived one.
    #[arg(long, value_name = "KEY")]
    pub channel: Option<String>,
    /// TOML file with UTM source/medium -> channel rules tried before the defaults (docs/utm.md).
    #[arg(long, value_name = "FILE", env = "SOCIALLEDGER_UTM_RULES")]
    pub utm_rules: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Terminal,
    Html,
    Json,
    Csv,
}

/// Settings of the analysis shared by `report` and `attribution`.
#[derive(Debug, Args)]
pub struct AnalysisArgs {
    /// First day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<chrono::NaiveDate>,
    /// Gross margin used to turn attributed revenue into gross profit for ROI (0-1).
    #[arg(long, default_value_t = 0.7, env = "SOCIALLEDGER_GROSS_MARGIN")]
    pub gross_margin: f64,
    /// Currency of the report; amounts in other currencies are left out and counted in the notes.
    #[arg(long, default_value = "EUR", env = "SOCIALLEDGER_CURRENCY")]
    pub currency: String,
    /// Days before a deal's creation (or close) in which touchpoints count.
    #[arg(long, default_value_t = 365)]
    pub lookback_days: u32,
    /// Half-life in days of the time-decay model.
    #[arg(long, default_value_t = 7.0)]
    pub half_life_days: f64,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Terminal)]
    pub format: ReportFormat,
    /// Write to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Title shown at the top of the HTML report.
    #[arg(long)]
    pub title: Option<String>,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

#[derive(Debug, Args)]
pub struct AttributionArgs {
    /// Attribution model: heuristic (first, last, linear, time-decay, u-shaped, w-shaped, full-path) or
    /// data-driven (markov, shapley, incremental).
    #[arg(long, default_value = "w-shaped")]
    pub model: String,
    /// Markov order: how many previous channels a state remembers (1-4).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub order: u8,
    /// Read journeys from a path file (`path;total_conversions;total_conversion_value;total_null`) instead of the
    /// database. Data-driven models only.
    #[arg(long, value_name = "FILE")]
    pub paths: Option<PathBuf>,
    /// Also write the journeys the data-driven model was fitted on to FILE, in the --paths format (to check them,
    /// or to run them through another tool such as ChannelAttribution).
    #[arg(long, value_name = "FILE")]
    pub write_paths: Option<PathBuf>,
    /// Text that joins the channels of a path in --paths and --write-paths.
    #[arg(long, default_value = " > ")]
    pub separator: String,
    /// Column separator of --paths and --write-paths (one character).
    #[arg(long, default_value = ";")]
    pub column_separator: char,
    /// Channels that signal buying intent without causing it; the incremental model gives them no credit.
    #[arg(long, value_delimiter = ',', default_value = "direct,organic-search,organic_search,branded-search")]
    pub intent: Vec<String>,
    /// Bootstrap resamples of the journeys for the share intervals of data-driven models (0 = none).
    #[arg(long, default_value_t = 100)]
    pub bootstrap: usize,
    /// Seed of the bootstrap: the same seed gives the same intervals.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Coverage of the bootstrap intervals.
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}
