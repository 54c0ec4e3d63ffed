//! `socialledger time start|stop|log`: time tracked from the command line for a user of the web app, written by
//! the store as ordinary time entries (audited, with the user as actor). Glue only.

use crate::args::{Cli, TimeAction, TimeArgs};
use crate::output;
use anyhow::{anyhow, Context};
use socialledger_domain::Task;
use socialledger_store::{Store, TimeInput, User};
use std::process::ExitCode;

pub async fn run(cli: &Cli, args: &TimeArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    let now = chrono::Utc::now();
    match &args.action {
        TimeAction::Start { channel, task, user } => {
            let task = parse_task(task)?;
            let user = find_user(&store, user).await?;
            let timer = store.start_timer(&user, channel.as_deref(), task, now).await?;
            if cli.json {
                output::print_json(&timer)?;
            } else {
                output::print_text(&format!(
                    "started a timer for {} on {}, task {}",
                    user.email,
                    timer.channel.as_deref().unwrap_or("social in general"),
                    timer.task
                ))?;
            }
        }
        TimeAction::Stop { user } => {
            let user = find_user(&store, user).await?;
            let tracked = store.stop_timer(&user, now).await?;
            print_entry(cli, "recorded", &tracked)?;
        }
        TimeAction::Log { channel, task, minutes, date, note, user } => {
            let task = parse_task(task)?;
            let user = find_user(&store, user).await?;
            let input = TimeInput {
                channel: channel.clone(),
                task,
                date: date.unwrap_or_else(|| now.date_naive()),
                minutes: *minutes,
                note: note.clone(),
            };
            let tracked = store.log_time(&user, &input, now).await?;
            print_entry(cli, "logged", &tracked)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_task(text: &str) -> anyhow::Result<Task> {
    Task::parse(text).context("--task")
}

/// The user with this e-mail address, or an error that says how to add one.
async fn find_user(store: &Store, email: &str) -> anyhow::Result<User> {
    let found = store.user_credentials(email).await?.map(|(user, _)| user);
    let user = found.ok_or_else(|| {
        anyhow!("no user {email:?}; add them with `socialledger user add` (or in the web app's Users page)")
    })?;
    if user.disabled {
        return Err(anyhow!("the user {email:?} is disabled; an owner or manager may enable them in the web app"));
    }
    Ok(user)
}

fn print_entry(cli: &Cli, what: &str, tracked: &socialledger_store::TrackedEntry) -> anyhow::Result<()> {
    if cli.json {
        return output::print_json(tracked);
    }
    let e = &tracked.entry;
    output::print_text(&format!(
        "{what} {} minutes for {} on {}, task {}, {} (entry {})",
        e.minutes,
        tracked.user_email,
        e.channel.as_deref().unwrap_or("social in general"),
        e.task,
        e.date,
        e.key
    ))
}
