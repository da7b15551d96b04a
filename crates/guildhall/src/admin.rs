//! `guildhall admin`: looking after accounts from the server's command line. Every command but
//! `create-user` needs an existing instance, and every change lands in the operators' audit log.

use crate::config::{Overrides, Settings};
use crate::{Common, instance, when};
use clap::Subcommand;
use guildhall_app::AppError;
use guildhall_app::oversight::Actor;
use guildhall_app::page::PageRequest;
use std::io::{BufRead, IsTerminal};

/// An account and why the operator acts on it.
#[derive(clap::Args)]
pub struct Target {
    #[command(flatten)]
    common: Common,
    /// Handle of the account (with or without its @).
    #[arg(long)]
    handle: String,
    /// Why, for the audit log.
    #[arg(long)]
    reason: String,
}

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create an operator account (creates the instance if there is none yet). The password is
    /// read from GUILDHALL_ADMIN_PASSWORD or asked for without echo (from standard input when
    /// it is not a terminal).
    CreateUser {
        #[command(flatten)]
        common: Common,
        /// Handle of the new account.
        #[arg(long)]
        handle: String,
        /// Sign-in email address.
        #[arg(long)]
        email: String,
        /// Create an ordinary member instead of an operator.
        #[arg(long)]
        member: bool,
    },
    /// Make an existing account an operator.
    Promote(Target),
    /// Take operator rights from an account (the last operator keeps them).
    Demote(Target),
    /// Suspend an account: it is signed out, cannot sign in, is hidden from search, and its
    /// open offers are withdrawn.
    Suspend(Target),
    /// Lift a suspension.
    Unsuspend(Target),
    /// Print a one-time link, good for 24 hours, where the account's owner sets a new password.
    ResetPassword(Target),
    /// Print the operators' audit log, newest first.
    AuditLog {
        #[command(flatten)]
        common: Common,
        /// How many entries, 1 to 100.
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
}

fn read_password(handle: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("GUILDHALL_ADMIN_PASSWORD") {
        return Ok(p);
    }
    let prompt = format!("Password for {handle} (at least 12 characters): ");
    if std::io::stdin().is_terminal() {
        return Ok(rpassword::prompt_password(prompt)?);
    }
    eprintln!("{prompt}");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// The words of a refusal, without the internals of where it came from.
fn refusal(e: AppError) -> anyhow::Error {
    match e {
        AppError::Validation(errors) => anyhow::anyhow!(
            "{}",
            errors
                .0
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::anyhow!("{other}"),
    }
}

fn open(common: &Common) -> anyhow::Result<(Settings, guildhall_app::App)> {
    let settings = common.settings(Overrides::default())?;
    let pool = instance::open_existing_database(&settings)?;
    let app = instance::app(&settings, pool)?;
    Ok((settings, app))
}

/// Runs one admin command.
pub fn run(command: AdminCommand) -> anyhow::Result<()> {
    let by = Actor::command_line();
    match command {
        AdminCommand::CreateUser {
            common,
            handle,
            email,
            member,
        } => {
            let settings = common.settings(Overrides::default())?;
            let password = read_password(&handle)?;
            let pool = instance::open_database(&settings)?;
            let app = instance::app(&settings, pool)?;
            let input = guildhall_app::accounts::SignUp {
                handle,
                email,
                password,
                display_name: None,
            };
            let account = app
                .accounts()
                .create_account(input, !member)
                .map_err(|e| refusal(e).context("not created"))?;
            app.instance().audit_account_created(&account.handle)?;
            println!(
                "Created {} @{} ({}).",
                if member { "member" } else { "operator" },
                account.handle,
                account.email
            );
        }
        AdminCommand::Promote(t) => {
            let (_, app) = open(&t.common)?;
            app.instance()
                .promote(&by, &t.handle, &t.reason)
                .map_err(refusal)?;
            println!("@{} is now an operator.", t.handle.trim_start_matches('@'));
        }
        AdminCommand::Demote(t) => {
            let (_, app) = open(&t.common)?;
            app.instance()
                .demote(&by, &t.handle, &t.reason)
                .map_err(refusal)?;
            println!(
                "@{} is no longer an operator.",
                t.handle.trim_start_matches('@')
            );
        }
        AdminCommand::Suspend(t) => {
            let (_, app) = open(&t.common)?;
            app.instance()
                .suspend(&by, &t.handle, &t.reason)
                .map_err(refusal)?;
            println!(
                "@{} is suspended: signed out, hidden from search, open offers withdrawn.",
                t.handle.trim_start_matches('@')
            );
        }
        AdminCommand::Unsuspend(t) => {
            let (_, app) = open(&t.common)?;
            app.instance()
                .unsuspend(&by, &t.handle, &t.reason)
                .map_err(refusal)?;
            println!("@{} may sign in again.", t.handle.trim_start_matches('@'));
        }
        AdminCommand::ResetPassword(t) => {
            let (settings, app) = open(&t.common)?;
            let token = app
                .instance()
                .issue_password_reset(&by, &t.handle, &t.reason)
                .map_err(refusal)?;
            println!(
                "Give this link to @{} (it works once, for 24 hours):",
                t.handle.trim_start_matches('@')
            );
            println!("{}/reset-password/{token}", settings.public_url());
        }
        AdminCommand::AuditLog { common, limit } => {
            let (_, app) = open(&common)?;
            let page = app
                .instance()
                .audit_log(
                    &by,
                    &PageRequest {
                        cursor: None,
                        limit: Some(limit),
                    },
                )
                .map_err(refusal)?;
            if page.items.is_empty() {
                println!("No operator actions yet.");
            }
            for e in page.items {
                let reason = if e.reason.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", e.reason)
                };
                println!(
                    "{}  {}: {} ({}){reason}",
                    when(e.at),
                    e.actor,
                    e.what,
                    e.subject
                );
            }
        }
    }
    Ok(())
}
