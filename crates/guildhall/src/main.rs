//! The `guildhall` command: serve an instance, migrate its database, administer it, back it up
//! and benchmark it.

mod admin;
mod bench;
mod bench_contracts;
mod bench_insights;
mod bench_match;
#[cfg(feature = "tantivy-baseline")]
mod bench_match_tantivy;
mod bench_statements;
mod bench_trust;
mod cli;
mod config;
mod cpu_time;
mod disk_sync;
mod instance;
mod seed;
mod serve;
mod verify;
mod verify_credential;

use anyhow::Context;
use clap::Parser;
use cli::{Cli, Command, Common, ImportCommand};
use config::{Overrides, Settings};
use serve::{progress_bar, serve};
use std::path::PathBuf;
use verify::{verify, verify_bundle, when};

/// The workspace's source, packed by `build.rs`, offered to every user at `/source`.
pub(crate) const SOURCE_ARCHIVE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/source.tar.gz"));

fn init_logging(filter: &str) {
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| filter.to_string());
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&filter).unwrap_or_else(|_| "info".into()),
        )
        .try_init();
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match cli.command {
        Command::Serve {
            common,
            bind,
            secure_cookies,
        } => {
            let settings = common.settings(Overrides {
                bind,
                secure_cookies: secure_cookies.then_some(true),
                ..Overrides::default()
            })?;
            init_logging(&settings.log);
            runtime.block_on(serve(settings))
        }
        Command::Migrate { common } => {
            let settings = common.settings(Overrides::default())?;
            init_logging(&settings.log);
            instance::open_database(&settings)?;
            // A migrated folder is a whole instance: `verify` and the others need its key.
            instance::instance_key(&settings.data_dir)?;
            println!("Database is up to date.");
            Ok(())
        }
        Command::Admin { command } => {
            init_logging("warn");
            admin::run(command)
        }
        Command::Import {
            command:
                ImportCommand::Taxonomy {
                    common,
                    esco,
                    broader,
                    related,
                },
        } => {
            let settings = common.settings(Overrides::default())?;
            init_logging("warn");
            let pool = instance::open_existing_database(&settings)?;
            let open = |p: &PathBuf| {
                std::fs::File::open(p).with_context(|| format!("cannot open {}", p.display()))
            };
            let (skills, broader, related) = (
                open(&esco)?,
                broader.as_ref().map(open).transpose()?,
                related.as_ref().map(open).transpose()?,
            );
            let app = instance::app(&settings, pool)?;
            let bar = progress_bar("importing skills");
            let report = app
                .skills()
                .import_esco(skills, broader, related, &|done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                });
            bar.finish_and_clear();
            match report {
                Ok(r) => {
                    println!(
                        "Imported {} new and {} updated skills, {} new relations.",
                        r.added, r.updated, r.relations_added
                    );
                    for s in &r.skipped {
                        println!("skipped: {s}");
                    }
                    Ok(())
                }
                Err(guildhall_app::AppError::Validation(e)) => anyhow::bail!("not imported: {e}"),
                Err(e) => anyhow::bail!("not imported: {e}"),
            }
        }
        Command::Backup { common, out } => {
            let settings = common.settings(Overrides::default())?;
            init_logging("warn");
            backup(&settings, &out)
        }
        Command::Verify { common } => {
            let settings = common.settings(Overrides::default())?;
            init_logging("warn");
            verify(&settings)
        }
        Command::VerifyBundle { file, key } => verify_bundle(&file, &key),
        Command::RotateKey { common } => {
            let settings = common.settings(Overrides::default())?;
            let (old, new) = instance::rotate_key(&settings.data_dir)?;
            println!(
                "retired key {}; signing with {} from the next start",
                guildhall_domain::did::multikey(&old),
                guildhall_domain::did::multikey(&new)
            );
            Ok(())
        }
        Command::VerifyCredential {
            file,
            did_document,
            key,
            status_list,
            online,
            allow_http,
        } => verify_credential::run(
            &file,
            verify_credential::Sources {
                keys: key,
                did_document,
                status_list,
                online,
                allow_http,
            },
        ),
        Command::Seed {
            common,
            members,
            seed,
            password,
        } => {
            let settings = common.settings(Overrides::default())?;
            init_logging("warn");
            seed::run(&settings, members as usize, seed, password)
        }
        Command::Bench { command } => {
            init_logging("warn");
            let started = cpu_time::Started::now();
            runtime.block_on(bench::run(command))?;
            // Whatever the benchmark, a run the host of a virtual machine disturbed is not
            // comparable with one it left alone.
            if let Some(cores) = started.stolen_cores() {
                println!("steal time over the whole run: the host took {cores:.2} of a core");
            }
            Ok(())
        }
    }
}

/// `VACUUM INTO` writes a consistent copy while the server keeps running.
fn backup(settings: &Settings, out: &std::path::Path) -> anyhow::Result<()> {
    let url = settings.database_url();
    if guildhall_store::Backend::of(&url) == guildhall_store::Backend::Postgres {
        anyhow::bail!(
            "this instance runs on PostgreSQL: back it up with pg_dump (see docs/backup.md)"
        );
    }
    if out.exists() {
        anyhow::bail!("{} already exists; choose a new file", out.display());
    }
    if !std::path::Path::new(&url).exists() {
        anyhow::bail!("no database at {url}; start the server once or pass --data-dir");
    }
    let target = out.to_string_lossy().replace('\'', "''");
    let pool = guildhall_store::connect(&url, 1)?;
    let mut conn = pool.get()?;
    diesel::connection::SimpleConnection::batch_execute(
        &mut **conn,
        &format!("VACUUM INTO '{target}'"),
    )
    .context("backup failed")?;
    println!("Wrote {}.", out.display());
    Ok(())
}
