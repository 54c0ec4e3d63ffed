//! `socialledger user add`: a user with a password from stdin, for scripted setups (audited with the command line
//! as actor).

use crate::args::{Cli, UserAction, UserArgs};
use crate::output;
use anyhow::{bail, Context};
use socialledger_domain::Role;
use socialledger_store::NewUser;
use socialledger_web::tokens::{hash_password, password_problem};
use std::io::Read;
use std::process::ExitCode;

pub async fn run(cli: &Cli, args: &UserArgs) -> anyhow::Result<ExitCode> {
    let UserAction::Add { email, name, role, password_stdin: _ } = &args.action;
    let role = Role::parse(role).context("--role")?;
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password).context("cannot read the password from stdin")?;
    let password = password.strip_suffix('\n').map(|p| p.strip_suffix('\r').unwrap_or(p)).unwrap_or(&password);
    if let Some(problem) = password_problem(password) {
        bail!("{problem} (the password is read from stdin)");
    }
    if name.trim().is_empty() {
        bail!("--name is empty; give the name shown in the app");
    }
    let hash = hash_password(password).map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?;
    let store = super::open_store(&cli.db_or_default()).await?;
    let new = NewUser { email: email.clone(), display_name: name.trim().to_string(), role, password_hash: Some(hash) };
    let user = store.create_user(&new, None, None, chrono::Utc::now()).await?;
    if cli.json {
        output::print_json(&user)?;
    } else {
        output::print_text(&format!(
            "added {} <{}> as {} (user {})",
            user.display_name, user.email, user.role, user.id
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
