//! `socialledger serve`: the web app on the database of `--db`; glue around `socialledger_web::Application`.

use crate::args::{Cli, ServeArgs};
use anyhow::Context;
use socialledger_web::{Application, WebConfig};
use std::process::ExitCode;

pub async fn run(cli: &Cli, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_store(&cli.db_or_default()).await?;
    let mut config = WebConfig::new(cli.db_or_default(), args.addr.clone());
    config.public_url = args.public_url.clone();
    config.notify = socialledger_web::notify::NotifyConfig::from_env().context("the alert settings")?;
    let app = Application::with_store(config, store).await?;
    // Always on stderr, even with --quiet: a script that started the server on port 0 reads the address here.
    eprintln!("socialledger: listening on http://{} (database {})", app.local_addr(), app.store().location());
    if let Some(url) = app.setup_url() {
        eprintln!(
            "socialledger: no users yet. Open this one-time link within 24 hours to create the owner:\n  {url}\n\
             (or add users with `socialledger user add --password-stdin`)"
        );
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    app.run_until(shutdown).await?;
    Ok(ExitCode::SUCCESS)
}
