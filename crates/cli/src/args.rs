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
  socialledger crossposts                    identical posts across channels; tailored against identical
  socialledger target-group --icp icp.toml   does each channel reach the target group (docs/target-group.md)
  socialledger value-beyond-sales --values values.toml
  socialledger mmm panel                     weekly input and cost of every channel, for the mix model
  socialledger --db postgres://user@host/db channels
  socialledger serve                         the web app on http://127.0.0.1:8080 (docs/web.md)

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
    #[command(after_help = "Examples:\n  socialledger demo --seed 7 --out /tmp/acme\n  socialledger demo --effects \
                            examples/effects/facebook-works.toml   (a company where Facebook works and the LinkedIn \
                            page does not)\n  socialledger demo --effects examples/effects/instagram-misses-target-group.toml   \
                            (Instagram's followers are outside the target group)\n  socialledger demo --experiment linkedin:pause:26 --out /tmp/acme\n  \
                            socialledger experiment analyze --plan /tmp/acme/experiment.json --db \
                            /tmp/acme/socialledger.db --json\n\nWithout --db the demo uses DIR/socialledger.db, made \
                            anew on every run. The model, the default effects and the experiments: \
                            docs/demo-model.md.")]
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
    /// The cross-posting audit: posts that are (near-)identical copies of a post on another channel, their share
    /// per channel, and how tailored posts engage against identical copies.
    #[command(
        after_help = "Examples:\n  socialledger crossposts\n  socialledger crossposts --threshold 0.9 --json\n  \
                      socialledger --db postgres://user@host/db crossposts\n\nTexts are compared after dropping \
                      links, mentions, emoji, punctuation and case; method, threshold and how to read the ratio: \
                      docs/crossposting.md."
    )]
    Crossposts(CrosspostsArgs),
    /// The marketing mix model: what each channel causes over time, with intervals, and where the history
    /// cannot tell.
    #[command(
        after_help = "Examples:\n  socialledger mmm fit --csv data/mmm/mmm_example.csv --date date_week --target y \
                      --media x1,x2 --controls event_1,event_2\n  socialledger mmm fit --csv panel.csv --date week \
                      --target pipeline --media linkedin,newsletter --json\n\nThe model, its priors and how to read \
                      it: docs/mmm.md."
    )]
    Mmm(MmmArgs),
    /// Experiments that settle what history cannot: plan one for a channel from the company's own history.
    #[command(after_help = "Examples:\n  socialledger experiment plan --channel linkedin --design pause\n  \
                            socialledger experiment plan --channel x1 --csv data/mmm/mmm_example.csv --date date_week \
                            --target y --media x1,x2 --json\n  socialledger experiment plan --channel instagram \
                            --design geo-split --effect 130 --assumed-carry-over   (no fit)\n\nHow a plan is \
                            computed: docs/experiments.md.")]
    Experiment(ExperimentArgs),
    /// Keep, grow, fix, drop or undecided per channel, from the strongest evidence there is (experiment > mix
    /// model > incremental attribution; heuristic credit never decides), with the reasons in words and, for
    /// every undecided channel, the experiment that would settle it.
    #[command(
        after_help = "Examples:\n  socialledger verdict\n  socialledger verdict --json\n  socialledger verdict \
                            --from 2025-01-01 --to 2025-12-31 --gross-margin 0.6\n  socialledger verdict --no-mmm   \
                            (faster: the incremental model decides)\n  socialledger verdict --icp \
                            examples/target_group.toml --values examples/value_beyond_sales.toml\n  socialledger \
                            verdict --experiment plan.json   (a pause, geo-split or account holdout whose weeks are \
                            imported)\n\nThe rules: \
                            docs/verdict.md."
    )]
    Verdict(VerdictArgs),
    /// How each channel is run: the trend of its engagement rate (falling faster than 20 % a year?) and how fast
    /// it answers comments, messages and mentions (median first response, 90th percentile, unanswered share).
    #[command(after_help = "Examples:\n  socialledger execution\n  socialledger execution --json\n  socialledger \
                      execution --from 2025-01-01 --to 2025-12-31 --slow-response-hours 8\n  socialledger import \
                      conversations.csv   (the response times come from it; docs/formats.md)\n\nThe figures and \
                      their thresholds: docs/metrics.md, \"Execution\". Issues found here make the verdict `fix` \
                      (docs/verdict.md).")]
    Execution(ExecutionCommandArgs),
    /// Target group fit: per channel, the share of its audience inside the target group (ideal customer profile)
    /// and the target accounts it reaches and how they engage; says which channels miss the target group.
    #[command(after_help = "Examples:\n  socialledger target-group --icp examples/target_group.toml\n  socialledger \
                      target-group --icp icp.toml --from 2025-01-01 --to 2025-06-30 --json\n\nThe file, the figures \
                      and the rule for missing the target group: docs/target-group.md. Audience demographics come \
                      from LinkedIn followers/visitors exports or a canonical audience CSV (docs/formats.md).")]
    TargetGroup(TargetGroupArgs),
    /// Value beyond sales: time on customer service, recruiting, PR and procurement per channel, valued by your
    /// own assumptions, beside the channel's cost (never added to revenue or ROI).
    #[command(
        after_help = "Examples:\n  socialledger value-beyond-sales --values examples/value_beyond_sales.toml\n  \
                      socialledger value-beyond-sales --values values.toml --from 2025-01-01 --to 2025-12-31 \
                      --json\n\nThe file and the figures: docs/value-beyond-sales.md."
    )]
    ValueBeyondSales(ValueBeyondSalesArgs),
    /// Run the web app on this database: people sign in with their own accounts and roles (docs/web.md).
    #[command(after_help = "Examples:\n  socialledger serve\n  socialledger serve --addr 0.0.0.0:8080 --public-url \
                            https://social.example.com\n  socialledger --db postgres://user@host/db serve --addr \
                            127.0.0.1:0\n\nOn a database without users, the first start prints a one-time setup \
                            link (valid 24 h) that creates the owner. The bound address is printed to stderr \
                            (\"listening on http://ADDR\"). Roles and routes: docs/roles.md.")]
    Serve(ServeArgs),
    /// Accounts of the web app, for scripted setups.
    #[command(after_help = "Examples:\n  printf '%s' \"$PASSWORD\" | socialledger user add --email ana@example.com \
                            --name \"Ana Ruiz\" --role owner --password-stdin\n  socialledger user add --email \
                            ben@example.com --name Ben --role customer_service --password-stdin --json < pw.txt\n\nThe \
                            roles: docs/roles.md.")]
    User(UserArgs),
    /// Track time where the work happens: a timer, or finished work logged; counted in the full cost like
    /// imported time (docs/web.md, "Time tracking").
    #[command(
        after_help = "Examples:\n  socialledger time start --channel linkedin --task publish --user ana@example.com\n  \
                            socialledger time stop --user ana@example.com --json\n  socialledger time log --channel \
                            linkedin --task respond --minutes 45 --date 2026-12-04 --user ana@example.com\n\nThe \
                            user is a user of the web app (socialledger user add). Tasks: content (create, publish), \
                            community (engage, respond), reporting (report, monitor), customer_service, recruiting, \
                            pr, procurement, other."
    )]
    Time(TimeArgs),
    /// Targets per channel and period, their forecast with its interval, and whether they are on track
    /// (docs/targets.md).
    #[command(
        after_help = "Examples:\n  socialledger targets add --channel linkedin --metric engagement_rate --threshold 4% \
                            --period 2026-12\n  socialledger targets add --metric response_time --threshold 4 --period \
                            2026-Q4\n  socialledger targets list --json\n  socialledger targets check || echo 'a target \
                            is off track'\n  socialledger targets remove 3\n\n`targets check` exits 1 when a target is off \
                            track (for cron), 0 otherwise, 2 on an error."
    )]
    Targets(TargetsArgs),
    /// The analysis settings stored in the database (the web app's Settings page): what `report`, `attribution`
    /// and `verdict` use when their flags are not given, and the web app's stored analyses always.
    #[command(
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  socialledger settings            every setting, its value and where it comes from\n  \
                      socialledger settings set lookback_days 90\n  socialledger settings set gross_margin 62%\n\n\
                      Keys: currency, gross_margin, lookback_days, half_life_days, journey_end (close|creation), \
                      credit_sales_touches (yes|no). A change is audited and makes the web app compute its stored \
                      analyses again."
    )]
    Settings(SettingsArgs),
    /// The import formats socialledger recognises.
    Formats,
    /// The files imported so far; `imports undo ID` takes a whole import back.
    #[command(
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  socialledger imports --json\n  socialledger imports undo 7   (delete what import 7 \
                      added, put back what it changed)"
    )]
    Imports(ImportsArgs),
}

/// `socialledger imports [undo ID]`: without a subcommand, the list.
#[derive(Debug, Args)]
pub struct ImportsArgs {
    #[command(subcommand)]
    pub action: Option<ImportsAction>,
}

/// What can be done to an import.
#[derive(Debug, Subcommand)]
pub enum ImportsAction {
    /// Undo a whole import in one transaction: the rows it added are deleted, the rows it changed get back the
    /// values they had before it. The import stays listed as undone, and the same file can be imported again.
    #[command(
        after_help = "Example:\n  socialledger imports undo 7 --json\n\nRefused (exit 2, nothing changed) while \
                            a later import changed rows of this one: undo that one first. Channel merges and time \
                            tracked in the app are not imports of a file and cannot be undone."
    )]
    Undo {
        /// The import's id (as `socialledger imports` lists it).
        id: i64,
    },
}

/// `socialledger settings [set KEY VALUE]`.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    #[command(subcommand)]
    pub action: Option<SettingsAction>,
}

#[derive(Debug, Subcommand)]
pub enum SettingsAction {
    /// Change one analysis setting (validated, audited like a change on the Settings page).
    Set {
        /// currency, gross_margin, lookback_days, half_life_days, journey_end or credit_sales_touches.
        key: String,
        /// The new value (0.7 or 70% for gross_margin; yes or no for credit_sales_touches).
        value: String,
    },
}

/// `socialledger verdict`.
#[derive(Debug, Args)]
pub struct VerdictArgs {
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// Leave the mix model out (its fit takes seconds, on long panels minutes); the verdict then rests on the
    /// incremental model, and next steps assume a carry-over.
    #[arg(long)]
    pub no_mmm: bool,
    /// Bootstrap replicates of the incremental model's intervals.
    #[arg(long, value_name = "N", default_value_t = 200, value_parser = clap::value_parser!(u64).range(20..=10_000))]
    pub reps: u64,
    /// Seed of the bootstrap, the mix model's sampler and the experiments' schedules.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// The target group (TOML, docs/target-group.md): a channel that misses it and brings nothing else is
    /// dropped.
    #[arg(long, value_name = "FILE")]
    pub icp: Option<PathBuf>,
    /// Your values of the work beyond sales (TOML, docs/value-beyond-sales.md), shown beside each channel's ROI.
    #[arg(long, value_name = "FILE")]
    pub values: Option<PathBuf>,
    /// An experiment whose weeks are in the data (a pause, geo-split or account holdout, as `experiment plan
    /// --out` or `demo --experiment` saved it): read out as `experiment analyze` does, it is the channel's
    /// strongest evidence. Repeatable.
    #[arg(long, value_name = "PLAN")]
    pub experiment: Vec<PathBuf>,
    #[command(flatten)]
    pub execution: ExecutionArgs,
}

/// The thresholds of the signs that a channel is run badly (docs/metrics.md, "Execution").
#[derive(Debug, Args)]
pub struct ExecutionArgs {
    /// A channel answers slowly when its median first response, across its whole 90 % interval, takes longer
    /// than this many hours (conversations.csv).
    #[arg(long, value_name = "HOURS", default_value_t = socialledger_analytics::responses::DEFAULT_SLOW_AFTER_HOURS,
          env = "SOCIALLEDGER_SLOW_RESPONSE_HOURS")]
    pub slow_response_hours: f64,
    /// A channel's engagement is falling when its engagement rate by impressions falls by more than this share a
    /// year across the whole 90 % interval of its trend (0.2: 20 % a year).
    #[arg(long, value_name = "SHARE", default_value_t = -socialledger_analytics::engagement_trend::DEFAULT_THRESHOLD,
          env = "SOCIALLEDGER_FALLING_ENGAGEMENT")]
    pub falling_engagement: f64,
}

/// `socialledger execution`.
#[derive(Debug, Args)]
pub struct ExecutionCommandArgs {
    /// First day of the period (YYYY-MM-DD): posts published and conversations received from this day.
    #[arg(long, value_name = "DATE")]
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub execution: ExecutionArgs,
}

/// `socialledger target-group`.
#[derive(Debug, Args)]
pub struct TargetGroupArgs {
    /// The target group (ideal customer profile) as TOML: `[audience]` and `[accounts]` lists, see
    /// docs/target-group.md and examples/target_group.toml.
    #[arg(long, value_name = "FILE")]
    pub icp: PathBuf,
    /// First day of the period (YYYY-MM-DD): touchpoints from this day.
    #[arg(long, value_name = "DATE")]
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the period (YYYY-MM-DD): touchpoints up to this day, audience snapshots on or before it.
    #[arg(long, value_name = "DATE")]
    pub to: Option<chrono::NaiveDate>,
}

/// `socialledger value-beyond-sales`.
#[derive(Debug, Args)]
pub struct ValueBeyondSalesArgs {
    /// Your assumptions as TOML: value per hour (and per unit) of each task, units per channel; see
    /// docs/value-beyond-sales.md and examples/value_beyond_sales.toml.
    #[arg(long, value_name = "FILE")]
    pub values: PathBuf,
    /// First day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<chrono::NaiveDate>,
    /// Currency of the assumptions and of the staff cost; time of people paid in another currency is not costed.
    #[arg(long, default_value = "EUR", env = "SOCIALLEDGER_CURRENCY")]
    pub currency: String,
}

/// `socialledger crossposts`.
#[derive(Debug, Args)]
pub struct CrosspostsArgs {
    /// Two texts are near-identical when this share of their 5-character shingles is common (Jaccard index,
    /// 0 < J <= 1; 1 finds exact copies only).
    #[arg(long, value_name = "J", default_value_t = socialledger_analytics::crosspost::DEFAULT_THRESHOLD)]
    pub threshold: f64,
}

/// `socialledger serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on; port 0 picks a free port (printed on stderr).
    #[arg(long, env = "SOCIALLEDGER_ADDR", default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub addr: String,
    /// The URL people reach the app at, when it runs behind a proxy (an https URL makes the cookies Secure).
    #[arg(long, env = "SOCIALLEDGER_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<url::Url>,
}

/// `socialledger user add`.
#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub action: UserAction,
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Add a user with a password read from stdin (recorded in the audit log as done from the command line).
    #[command(after_help = "Example:\n  printf '%s' \"$PASSWORD\" | socialledger user add --email ana@example.com \
                            --name \"Ana Ruiz\" --role owner --password-stdin --json\n\nRoles: owner, manager, \
                            analyst, editor, contributor, customer_service, pr, recruitment, procurement, viewer, \
                            external_reviewer (docs/roles.md).")]
    Add {
        /// The e-mail address the user signs in with.
        #[arg(long)]
        email: String,
        /// The name shown in the app.
        #[arg(long)]
        name: String,
        /// The role (docs/roles.md).
        #[arg(long)]
        role: String,
        /// Read the password (at least 12 characters) from stdin; one trailing newline is dropped.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

/// `socialledger targets add|list|remove|check|digest`.
#[derive(Debug, Args)]
pub struct TargetsArgs {
    #[command(subcommand)]
    pub action: TargetsAction,
    /// The reporting currency of money thresholds and figures (ISO 4217); amounts in other currencies are left out.
    #[arg(long, global = true, default_value = "EUR", env = "SOCIALLEDGER_CURRENCY")]
    pub currency: String,
    #[command(flatten)]
    pub notify: NotifyArgs,
}

/// Where alerts and the digest go (each flag overrides its environment variable; the SMTP password is read from
/// `SOCIALLEDGER_SMTP_PASSWORD` only, never from a flag, which other users could see in the process list).
#[derive(Debug, Args)]
pub struct NotifyArgs {
    /// URL alerts are POSTed to as JSON [env: SOCIALLEDGER_ALERT_WEBHOOK].
    #[arg(long, global = true, value_name = "URL")]
    pub webhook: Option<String>,
    /// SMTP relay host [env: SOCIALLEDGER_SMTP_HOST].
    #[arg(long, global = true, value_name = "HOST")]
    pub smtp_host: Option<String>,
    /// SMTP relay port (default 587, 465 with --smtp-tls tls, 25 with none) [env: SOCIALLEDGER_SMTP_PORT].
    #[arg(long, global = true, value_name = "PORT")]
    pub smtp_port: Option<String>,
    /// starttls (default), tls or none [env: SOCIALLEDGER_SMTP_TLS].
    #[arg(long, global = true, value_name = "MODE")]
    pub smtp_tls: Option<String>,
    /// SMTP user name [env: SOCIALLEDGER_SMTP_USER].
    #[arg(long, global = true, value_name = "USER")]
    pub smtp_user: Option<String>,
    /// Sender address [env: SOCIALLEDGER_SMTP_FROM].
    #[arg(long, global = true, value_name = "ADDRESS")]
    pub smtp_from: Option<String>,
    /// Recipients, comma-separated; by default the owner [env: SOCIALLEDGER_ALERT_TO].
    #[arg(long, global = true, value_name = "ADDRESSES")]
    pub to: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TargetsAction {
    /// Set a target: a channel (or all social channels) should end a month or quarter with a metric at least / at
    /// most a threshold.
    #[command(after_help = "Examples:\n  socialledger targets add --channel linkedin --metric engagement_rate \
                            --threshold 4% --period 2026-12\n  socialledger targets add --channel linkedin --metric \
                            cost_per_engagement --threshold 0.80 --period 2026-Q4\n  socialledger targets add --metric \
                            pipeline --threshold 50000 --period 2026-Q4\n  socialledger targets add --channel x --metric \
                            response_time --threshold 4\n\nThresholds: engagement_rate as a percentage (4%) or a \
                            fraction (0.04); cost_per_engagement and pipeline in the currency's major units; \
                            response_time in hours.")]
    Add {
        /// The channel's key (`socialledger channels` lists them); leave out for all social channels together.
        #[arg(long, value_name = "KEY")]
        channel: Option<String>,
        /// engagement_rate, cost_per_engagement, pipeline or response_time.
        #[arg(long)]
        metric: String,
        /// at_least (>=) or at_most (<=); by default at_least for engagement and pipeline, at_most for cost and
        /// response time.
        #[arg(long)]
        comparison: Option<String>,
        /// The threshold in the metric's unit (see below).
        #[arg(long, allow_hyphen_values = true)]
        threshold: String,
        /// A month (2026-12) or a quarter (2026-Q4); this month (UTC) when left out.
        #[arg(long, value_name = "PERIOD")]
        period: Option<String>,
    },
    /// List the targets.
    #[command(after_help = "Example:\n  socialledger targets list --json")]
    List,
    /// Remove a target (and its alerts) by its id (`targets list` shows it).
    #[command(after_help = "Example:\n  socialledger targets remove 3")]
    Remove { id: i64 },
    /// Check every target of its period: progress, forecast with its 90 % interval, status. Records an alert when
    /// a target goes off track (or back on track). Exits 1 when a target is off track.
    #[command(after_help = "Examples:\n  socialledger targets check\n  socialledger targets check --json\n  \
                            socialledger targets check --as-of 2026-12-15\n\nExit codes: 0 no target off track, 1 at \
                            least one off track, 2 error.")]
    Check {
        /// The last complete day counted (YYYY-MM-DD); yesterday (UTC) when left out.
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Send the weekly digest (every target checked, the alerts of the last seven days) by e-mail to the owner.
    #[command(after_help = "Examples:\n  socialledger targets digest\n  socialledger targets digest --print\n  \
                            SOCIALLEDGER_SMTP_PASSWORD=... socialledger targets digest --smtp-host mail.example.com \
                            --smtp-user alerts --smtp-from alerts@example.com\n\nRun it weekly from cron \
                            (0 8 * * 1). --json prints {as_of, recipients, sent, text}.")]
    Digest {
        /// The last complete day counted (YYYY-MM-DD); yesterday (UTC) when left out.
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<chrono::NaiveDate>,
        /// Print the digest instead of sending it.
        #[arg(long)]
        print: bool,
    },
}

/// `socialledger time start|stop|log`.
#[derive(Debug, Args)]
pub struct TimeArgs {
    #[command(subcommand)]
    pub action: TimeAction,
}

#[derive(Debug, Subcommand)]
pub enum TimeAction {
    /// Start the user's timer on a channel and task (an error while one runs: stop it first).
    #[command(
        after_help = "Example:\n  socialledger time start --channel linkedin --task publish --user ana@example.com"
    )]
    Start {
        /// The channel's key (`socialledger channels` lists them); leave out for social in general.
        #[arg(long, value_name = "KEY")]
        channel: Option<String>,
        /// The task: content, community, customer_service, recruiting, pr, procurement, reporting, other (or
        /// create, publish, engage, respond, report, monitor).
        #[arg(long)]
        task: String,
        /// The e-mail address of the user whose time it is.
        #[arg(long, value_name = "EMAIL")]
        user: String,
    },
    /// Stop the user's timer and record its time entry (rounded to the minute, at least one).
    #[command(after_help = "Example:\n  socialledger time stop --user ana@example.com --json")]
    Stop {
        /// The e-mail address of the user whose timer it is.
        #[arg(long, value_name = "EMAIL")]
        user: String,
    },
    /// Log finished work: minutes on a date (today, UTC, when left out).
    #[command(after_help = "Example:\n  socialledger time log --channel linkedin --task respond --minutes 45 --date \
                            2026-12-04 --user ana@example.com")]
    Log {
        /// The channel's key; leave out for social in general.
        #[arg(long, value_name = "KEY")]
        channel: Option<String>,
        /// The task (as for `time start`).
        #[arg(long)]
        task: String,
        /// Whole minutes, 1 to 1440.
        #[arg(long, value_name = "N")]
        minutes: i64,
        /// The day the work was done (YYYY-MM-DD); today (UTC) when left out.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<chrono::NaiveDate>,
        /// A note.
        #[arg(long)]
        note: Option<String>,
        /// The e-mail address of the user whose time it is.
        #[arg(long, value_name = "EMAIL")]
        user: String,
    },
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

impl From<TargetArg> for socialledger_analytics::Target {
    fn from(t: TargetArg) -> Self {
        match t {
            TargetArg::Pipeline => socialledger_analytics::Target::Pipeline,
            TargetArg::Revenue => socialledger_analytics::Target::Revenue,
            TargetArg::Deals => socialledger_analytics::Target::Deals,
        }
    }
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
    /// Extra controls (price changes, launches) from a CSV: a `date` column (YYYY-MM-DD, the period's first day
    /// or any day in it) and one numeric column per control; one row for every period of the panel.
    #[arg(long, value_name = "FILE")]
    pub controls_csv: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MmmPanelArgs {
    /// The outcome: pipeline created, revenue won, or the number of deals created.
    #[arg(long, value_enum, default_value_t = TargetArg::Pipeline)]
    pub target: TargetArg,
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
    /// The channels' true effects, from a TOML file of `[[effect]]` tables (channel, create, win, saturation,
    /// half_life_days; for a social channel also audience_in_target_group, the share of its followers inside
    /// the target group). A listed channel replaces its default entry (a field left out keeps its default);
    /// channels not listed keep the documented defaults (the table of true effects and the format:
    /// docs/demo-model.md, "Deals" and "Audience").
    #[arg(long, value_name = "FILE")]
    pub effects: Option<PathBuf>,
    /// Run an experiment on CHANNEL over the period's last WEEKS whole weeks: DESIGN pause (default 26 weeks),
    /// geo-split or account-holdout (default 13). Writes DIR/experiment.json, which `experiment analyze --plan`
    /// reads, and the true effect to truth.json under "experiments".
    #[arg(long, value_name = "CHANNEL:DESIGN[:WEEKS]")]
    pub experiment: Option<String>,
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
    /// The last day the files cover, or the day they were downloaded (YYYY-MM-DD): gives a year to exports that
    /// write days without one (TikTok's `August 31`).
    #[arg(long, value_name = "DATE")]
    pub period_end: Option<chrono::NaiveDate>,
    /// The company's own page in a LinkedIn competitor analytics export whose file name does not tell (its name as
    /// the export writes it); the other pages are stored as competitors.
    #[arg(long, value_name = "NAME")]
    pub own_page: Option<String>,
    /// TOML file with UTM source/medium -> channel rules tried before the defaults (docs/utm.md).
    #[arg(long, value_name = "FILE", env = "SOCIALLEDGER_UTM_RULES")]
    pub utm_rules: Option<PathBuf>,
    /// Stream canonical touchpoints files of at least this many bytes into the database in batches (bounded
    /// memory) instead of reading them whole. Hidden: the default suits every file; tests set it to 0.
    #[arg(long, value_name = "BYTES", hide = true, default_value_t = socialledger_import::options::STREAM_FROM_BYTES)]
    pub stream_from_bytes: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Terminal,
    Html,
    Json,
    Csv,
}

/// Settings of the analysis shared by `report`, `attribution` and `verdict`. A setting whose flag (or environment
/// variable) is not given is the database's stored one (the web app's Settings page), else the built-in default,
/// so the command line and the web app compute the same figures.
#[derive(Debug, Args)]
pub struct AnalysisArgs {
    /// First day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<chrono::NaiveDate>,
    /// Gross margin used to turn attributed revenue into gross profit for ROI (0-1) [default: the stored
    /// setting, else 0.7].
    #[arg(long, env = "SOCIALLEDGER_GROSS_MARGIN")]
    pub gross_margin: Option<f64>,
    /// Currency of the report; amounts in other currencies are left out and counted in the notes [default: the
    /// stored setting, else EUR].
    #[arg(long, env = "SOCIALLEDGER_CURRENCY")]
    pub currency: Option<String>,
    /// Days before a deal's creation (or close) in which touchpoints count [default: the stored setting, else
    /// 365].
    #[arg(long)]
    pub lookback_days: Option<u32>,
    /// Half-life in days of the time-decay model [default: the stored setting, else 7].
    #[arg(long)]
    pub half_life_days: Option<f64>,
    /// Where revenue journeys end: close (the won deal's close date) or creation [default: the stored setting,
    /// else close].
    #[arg(long, value_name = "END")]
    pub journey_end: Option<String>,
    /// Credit sales meetings (touchpoints of kind `meeting`) like a marketing channel in the heuristic models
    /// (`--credit-sales-touches=no` turns a stored yes off). Off by default: they are how sales works a deal, not
    /// what brought it; the report counts them separately.
    #[arg(long, value_name = "YES|NO", num_args = 0..=1, require_equals = true, default_missing_value = "yes",
          value_parser = clap::builder::BoolishValueParser::new())]
    pub credit_sales_touches: Option<bool>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Terminal)]
    pub format: ReportFormat,
    /// Write to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also fit the mix model on the weekly pipeline panel (as `mmm fit` does) and add its section: the
    /// decomposition, response curves, the channel table and next quarter's plan. Takes seconds.
    #[arg(long)]
    pub mmm: bool,
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

/// `socialledger mmm ...`
#[derive(Debug, Args)]
pub struct MmmArgs {
    #[command(subcommand)]
    pub action: MmmAction,
}

/// What to ask the mix model.
#[derive(Debug, Subcommand)]
pub enum MmmAction {
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
    /// Fit the model: contribution, share, ROI and marginal ROI per channel with intervals, fit quality and the
    /// checks that say whether the history can tell each channel's effect.
    #[command(
        after_help = "Examples:\n  socialledger mmm fit --csv data/mmm/mmm_example.csv --date date_week --target y \
                            --media x1,x2 --controls event_1,event_2 --priors data/mmm/pymc_example_priors.toml\n  \
                            socialledger mmm fit --csv panel.csv --date week --target pipeline --media a,b --json"
    )]
    Fit(MmmFitArgs),
    /// What the last months would have lost without one channel, with its interval, beside the cost saved.
    #[command(after_help = "Example:\n  socialledger mmm counterfactual --without x2 --csv data/mmm/mmm_example.csv \
                            --target y --media x1,x2 --controls event_1,event_2 --json")]
    Counterfactual(MmmCounterfactualArgs),
    /// Plan the next quarter: money and staff hours across channels under a total and per-channel bounds,
    /// carry-over included, each move explained.
    #[command(
        after_help = "Examples:\n  socialledger mmm allocate --budget 120000 --hours 900 --csv panel.csv --target \
                            pipeline --media linkedin,ads\n  socialledger mmm allocate --max ads=50000 --min linkedin=200 \
                            --csv panel.csv --target pipeline --media linkedin,ads --json"
    )]
    Allocate(MmmAllocateArgs),
}

#[derive(Debug, Args)]
pub struct ExperimentArgs {
    #[command(subcommand)]
    pub action: ExperimentAction,
}

/// What to do with an experiment.
#[derive(Debug, Subcommand)]
pub enum ExperimentAction {
    /// Plan an experiment for one channel: which weeks to pause it (pause), which regions (geo-split) or which
    /// accounts to hold out of its ads (account-holdout), how long, and what it can detect (80 % power at the
    /// 90 % level), from the outcome's noise in the company's history and the mix model's effect and carry-over.
    #[command(after_help = "Examples:\n  socialledger experiment plan --channel linkedin\n  socialledger \
                            experiment plan --channel linkedin --weeks 26 --json\n  socialledger experiment plan \
                            --channel linkedin --effect 5000   (the weekly effect that matters, target units)\n  \
                            socialledger experiment plan --channel linkedin --design geo-split --out geo.json\n  \
                            socialledger experiment plan --channel linkedin-ads --design account-holdout --share 0.3")]
    Plan(ExperimentPlanArgs),
    /// Read out an experiment once its weeks are over: the effect of running the channel against pausing it,
    /// with its 90 % interval, from the plan saved by `experiment plan --out` and the outcome in the data.
    #[command(
        after_help = "Examples:\n  socialledger experiment plan --channel linkedin --out plan.json\n  (run the \
                            schedule, import the new weeks)\n  socialledger experiment analyze --plan plan.json --json"
    )]
    Analyze(ExperimentAnalyzeArgs),
}

/// `experiment analyze`
#[derive(Debug, Args)]
pub struct ExperimentAnalyzeArgs {
    /// The plan as `experiment plan --out FILE` saved it.
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,
    #[command(flatten)]
    pub fit: MmmFitArgs,
}

/// The designs an experiment can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DesignArg {
    /// Switch the channel off for blocks of weeks and compare (organic social, newsletters: channels the
    /// company runs itself).
    Pause,
    /// Pause the channel in half the regions (the accounts' countries, in matched pairs) and keep it running in
    /// the others (page posts and ads targeted by location).
    GeoSplit,
    /// Hold a random set of accounts out of the channel's ads.
    AccountHoldout,
}

/// `experiment plan`
#[derive(Debug, Args)]
pub struct ExperimentPlanArgs {
    /// The channel to test (its key, as `channels` or `mmm panel` show it).
    #[arg(long, value_name = "KEY")]
    pub channel: String,
    #[arg(long, value_enum, default_value = "pause")]
    pub design: DesignArg,
    /// Run exactly this many weeks (pause: rounded down to whole pairs of blocks) instead of the shortest design
    /// that reaches 80 % power.
    #[arg(long, value_name = "N")]
    pub weeks: Option<usize>,
    /// The longest experiment considered.
    #[arg(long, value_name = "N", default_value_t = 104)]
    pub max_weeks: usize,
    /// The channel's effect in a normal week that the experiment must be able to see, in target units
    /// (default: the mix model's estimate).
    #[arg(long, value_name = "AMOUNT")]
    pub effect: Option<f64>,
    /// Account holdout: the share of the accounts held out of the channel's ads (stratified by their outcome
    /// before the experiment).
    #[arg(long, value_name = "SHARE", default_value_t = 0.5)]
    pub share: f64,
    /// Plan without the mix model: assume half of a week's effect carries into the next, over up to 8 weeks (as
    /// the verdict's next steps do where there is no fit or the channel has no series in the panel); needs
    /// --effect.
    #[arg(long)]
    pub assumed_carry_over: bool,
    /// Also save the plan (as `--json` prints it) to FILE, for `experiment analyze --plan FILE`.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub fit: MmmFitArgs,
}

/// `mmm counterfactual`
#[derive(Debug, Args)]
pub struct MmmCounterfactualArgs {
    /// The channel switched off (its key).
    #[arg(long, value_name = "CHANNEL")]
    pub without: String,
    /// How many of the last periods it is switched off in (default: a year).
    #[arg(long, value_name = "N")]
    pub periods: Option<usize>,
    #[command(flatten)]
    pub fit: MmmFitArgs,
}

/// `mmm allocate`
#[derive(Debug, Args)]
pub struct MmmAllocateArgs {
    /// Money over the horizon for the channels that enter by spend (default: what they cost in the last
    /// horizon).
    #[arg(long, value_name = "AMOUNT")]
    pub budget: Option<f64>,
    /// Staff hours over the horizon for the channels that enter by hours (default: the last horizon's hours).
    #[arg(long, value_name = "H")]
    pub hours: Option<f64>,
    /// The period planned: next-quarter (13 weeks or 91 days), next-month, next-half-year.
    #[arg(long, default_value = "next-quarter")]
    pub period: String,
    /// A channel's minimum over the horizon, as KEY=AMOUNT (money or hours); repeat for several.
    #[arg(long = "min", value_name = "KEY=AMOUNT")]
    pub min: Vec<String>,
    /// A channel's maximum over the horizon, as KEY=AMOUNT; repeat for several.
    #[arg(long = "max", value_name = "KEY=AMOUNT")]
    pub max: Vec<String>,
    #[command(flatten)]
    pub fit: MmmFitArgs,
}

/// Where the panel comes from and how the model is set up.
#[derive(Debug, Args)]
pub struct MmmFitArgs {
    /// Read the panel from a CSV (or workbook) prepared elsewhere: one row per week or day. Without it the
    /// panel is built from the database, as `mmm panel` shows it.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// The CSV's date column (first day of each period, YYYY-MM-DD).
    #[arg(long, value_name = "COL", default_value = "date_week")]
    pub date: String,
    /// The outcome: a CSV column name; from the database pipeline (default), revenue or deals.
    #[arg(long, value_name = "COL")]
    pub target: Option<String>,
    /// How the panel is built from the database (without --csv).
    #[command(flatten)]
    pub panel: PanelArgs,
    /// auto: fast where its approximation holds, else nuts (says so); fast: the posterior mode with
    /// importance-weighted intervals (a second); nuts: the full posterior by NUTS, 4 chains x 1000 warm-up +
    /// 1000 draws, with R-hat, ESS and divergences (slower, the reference).
    #[arg(long, value_enum, default_value_t = SamplerArg::Auto)]
    pub sampler: SamplerArg,
    /// The CSV's channel columns, comma-separated (their values are taken as spend).
    #[arg(long, value_name = "COLS", value_delimiter = ',')]
    pub media: Vec<String>,
    /// The CSV's control columns (events, price changes), comma-separated.
    #[arg(long, value_name = "COLS", value_delimiter = ',')]
    pub controls: Vec<String>,
    /// Priors in a TOML file (docs/mmm.md lists the keys and defaults).
    #[arg(long, value_name = "FILE")]
    pub priors: Option<PathBuf>,
    /// Calibrate by an experiment: a pause, geo-split or account holdout saved by `experiment plan --out` (or
    /// `demo --experiment`) whose weeks are in the data is read out, and the whole channel's weekly effect becomes
    /// its effect prior (docs/mmm.md, "Calibration by experiments"); a geo-split or a holdout needs the panel from
    /// the database (not --csv). Repeatable, one per channel.
    #[arg(long, value_name = "PLAN")]
    pub calibrate: Vec<PathBuf>,
    /// Probability of every interval (0.9 = 90 %).
    #[arg(long, default_value_t = 0.9)]
    pub level: f64,
    /// Carry-over: geometric (PyMC-Marketing's), weibull-pdf (delayed peak) or weibull-cdf.
    #[arg(long, value_enum, default_value = "geometric")]
    pub adstock: AdstockArg,
    /// Longest carry-over in periods (default 8 weeks, 28 days).
    #[arg(long, value_name = "N")]
    pub l_max: Option<usize>,
    /// Diminishing returns: logistic (PyMC-Marketing's) or hill.
    #[arg(long, value_enum, default_value = "logistic")]
    pub saturation: SaturationArg,
    /// Pairs of yearly Fourier terms for seasonality (0 = none).
    #[arg(long, default_value_t = 2)]
    pub fourier: usize,
    /// Leave out the linear trend.
    #[arg(long)]
    pub no_trend: bool,
    /// Money value of one unit of the target, for ROI. Default from the CRM: pipeline at the win rate by value
    /// over closed deals (ROI on expected revenue; at face value with fewer than 10), revenue at 1, a deal at
    /// the won amount per closed deal; a CSV's target at 1. Pass win rate x gross margin for ROI on profit.
    #[arg(long, value_name = "X")]
    pub value_per_unit: Option<f64>,
    /// Draws behind the intervals of the fast fit.
    #[arg(long, default_value_t = 1000)]
    pub draws: usize,
    /// Seed of the search and the draws: the same seed gives the same result.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Skip the time-series cross-validation (faster; the out-of-sample check is then not made).
    #[arg(long)]
    pub no_cv: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SamplerArg {
    Auto,
    Fast,
    Nuts,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AdstockArg {
    Geometric,
    WeibullPdf,
    WeibullCdf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SaturationArg {
    Logistic,
    Hill,
}
