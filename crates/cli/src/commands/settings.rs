//! `socialledger settings [set KEY VALUE]`: the analysis settings stored in the database, the ones the web app's
//! Settings page edits. `report`, `attribution` and `verdict` use them when their flags are not given.

use crate::args::{Cli, SettingsAction, SettingsArgs};
use crate::output;
use serde::Serialize;
use socialledger_analytics::stored_settings::{self, FIELDS};
use socialledger_analytics::Settings;
use std::collections::HashMap;
use std::process::ExitCode;

/// One setting as listed.
#[derive(Serialize)]
struct Listed {
    key: &'static str,
    value: String,
    /// `stored` (set in the database) or `default` (never set: the built-in default).
    source: &'static str,
    /// The flag that overrides it for one command.
    flag: &'static str,
}

pub async fn run(cli: &Cli, args: &SettingsArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&cli.db_or_default()).await?;
    if let Some(SettingsAction::Set { key, value }) = &args.action {
        if stored_settings::field(key).is_none() {
            let keys: Vec<&str> = FIELDS.iter().map(|f| f.key).collect();
            anyhow::bail!("{key:?} is not an analysis setting; the settings are: {}", keys.join(", "));
        }
        let mut parsed = Settings::default();
        stored_settings::set_text(&mut parsed, key, value).map_err(|problem| anyhow::anyhow!("{key}: {problem}"))?;
        let canonical = stored_settings::value_text(&parsed, key);
        // A value equal to what applies now (stored, else the default) is not a change.
        let applies = match store.settings_get(key).await? {
            Some(stored) => stored,
            None => stored_settings::value_text(&Settings::default(), key),
        };
        let changes = if applies == canonical {
            Vec::new()
        } else {
            store.change_settings(&[(key.clone(), canonical.clone())], None, chrono::Utc::now()).await?
        };
        if !cli.quiet {
            match changes.first() {
                Some(c) => eprintln!(
                    "{key}: {} -> {canonical} (audited; the web app computes its stored analyses again)",
                    c.before.as_deref().unwrap_or("default")
                ),
                None => eprintln!("{key} is {canonical} already: nothing changed"),
            }
        }
    }
    let stored: HashMap<String, String> = store.settings().await?.into_iter().collect();
    // Read through the same rule the analyses use, so a stored value that does not parse is an error here too.
    let settings = stored_settings::from_stored(&stored.clone().into_iter().collect::<Vec<_>>())?;
    let listed: Vec<Listed> = FIELDS
        .iter()
        .map(|f| Listed {
            key: f.key,
            value: stored_settings::value_text(&settings, f.key),
            source: if stored.contains_key(f.key) { "stored" } else { "default" },
            flag: f.flag,
        })
        .collect();
    if args.action.is_some() && cli.quiet {
        return Ok(ExitCode::SUCCESS);
    }
    if cli.json {
        output::print_json(&listed)?;
    } else {
        let text: String =
            listed.iter().map(|l| format!("{:<22} {:<10} {:<8} {}\n", l.key, l.value, l.source, l.flag)).collect();
        output::print_text(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}
