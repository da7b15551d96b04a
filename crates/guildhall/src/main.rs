//! The `guildhall` command: serve an instance, migrate its database, administer it, back it up
//! and benchmark it.

mod admin;
mod bench;
mod bench_contracts;
mod bench_trust;
mod config;
mod instance;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use config::{Overrides, Settings};
use std::path::PathBuf;
use std::sync::Arc;

/// Guildhall: a self-hostable server for talent communities.
#[derive(Parser)]
#[command(name = "guildhall", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the instance's configuration and data are.
#[derive(Args, Clone)]
struct Common {
    /// Configuration file (default: guildhall.toml in the working directory, if present).
    #[arg(long, env = "GUILDHALL_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Folder for the SQLite database and the instance key [default: ./guildhall-data].
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// postgres://... to use PostgreSQL, or a SQLite file path [default: <data-dir>/guildhall.db].
    #[arg(long, global = true)]
    database_url: Option<String>,
}

impl Common {
    fn settings(&self, extra: Overrides) -> anyhow::Result<Settings> {
        let overrides = Overrides {
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            ..extra
        };
        Settings::load(self.config.as_deref(), &overrides)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Start the server (creates the data folder, database and instance key on first start).
    Serve {
        #[command(flatten)]
        common: Common,
        /// Address and port to listen on [default: 127.0.0.1:8080].
        #[arg(long)]
        bind: Option<String>,
        /// Mark cookies Secure (when served over https).
        #[arg(long)]
        secure_cookies: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        common: Common,
    },
    /// Instance administration.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// Import reference data.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Write a consistent copy of the SQLite database (PostgreSQL: use pg_dump, see docs/backup.md).
    Backup {
        #[command(flatten)]
        common: Common,
        /// File to write; must not exist yet.
        #[arg(long)]
        out: PathBuf,
    },
    /// Check the evidence log: recompute every leaf and subtree hash from the stored entries,
    /// every kept payload against its header, and every signed checkpoint. Names the first bad
    /// leaf; exits with status 1 if anything was altered.
    Verify {
        #[command(flatten)]
        common: Common,
    },
    /// Check an evidence bundle offline, with no database: the checkpoint's signature, and each
    /// entry's payload and inclusion proof. Exits with status 1 if anything fails.
    VerifyBundle {
        /// The bundle, as downloaded from /api/v1/me/evidence/bundle.
        file: PathBuf,
        /// The instance's public key, 64 hex digits (GET /api/v1/evidence/key).
        #[arg(long)]
        key: String,
    },
    /// Benchmarks that print their figures and a baseline measured in the same run.
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Load an official ESCO release (CSV files as downloaded from ESCO). Columns are found by
    /// header name and extra columns are ignored. Re-importing updates labels and keeps every
    /// skill's id, so members' claims keep pointing at the same skills.
    Taxonomy {
        #[command(flatten)]
        common: Common,
        /// The skills file, e.g. skills_en.csv (needs conceptUri, preferredLabel, altLabels).
        #[arg(long)]
        esco: PathBuf,
        /// The broader-relations file, e.g. broaderRelationsSkillPillar_en.csv.
        #[arg(long)]
        broader: Option<PathBuf>,
        /// The skill-to-skill relations file, e.g. skillSkillRelations_en.csv.
        #[arg(long)]
        related: Option<PathBuf>,
    },
}

/// The workspace's source, packed by `build.rs`, offered to every user at `/source`.
const SOURCE_ARCHIVE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/source.tar.gz"));

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
            let app = instance::app(&settings, pool);
            let bar = progress_bar("importing skills");
            let report = app.import_esco(skills, broader, related, &|done, total| {
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
        Command::Bench { command } => {
            init_logging("warn");
            runtime.block_on(bench::run(command))
        }
    }
}

/// `guildhall verify`: the evidence log against the instance key.
fn verify(settings: &Settings) -> anyhow::Result<()> {
    let pool = instance::open_existing_database(settings)?;
    let key = instance::existing_instance_key(&settings.data_dir)?;
    let app = instance::app(settings, pool);
    let report = app.verify_log(&key.verifying_key())?;
    println!(
        "evidence log: {} entries, {} payloads kept, {} signed checkpoints",
        report.size, report.payloads, report.checkpoints
    );
    if report.unsigned > 0 {
        println!(
            "{} entries after the newest checkpoint are not signed yet",
            report.unsigned
        );
    }
    if let Some((index, why)) = &report.first_bad_leaf {
        println!("first bad leaf: {index}: {why}");
    }
    for (size, why) in &report.bad_checkpoints {
        println!("bad checkpoint of size {size}: {why}");
    }
    if report.ok() {
        println!("ok: every hash and checkpoint verifies");
        Ok(())
    } else {
        std::process::exit(1)
    }
}

/// `guildhall verify-bundle`: a member's evidence bundle against the instance's public key.
fn verify_bundle(file: &std::path::Path, key: &str) -> anyhow::Result<()> {
    let bytes: [u8; 32] = hex::decode(key.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .context("--key must be the instance's public key: 64 hex digits")?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes)
        .context("--key is not an Ed25519 public key")?;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let bundle: guildhall_domain::evidence::bundle::Bundle = serde_json::from_str(&text)
        .with_context(|| format!("{} is not an evidence bundle", file.display()))?;
    let report = bundle.verify(&key);
    println!(
        "checkpoint of {} entries signed {} by key {}",
        bundle.checkpoint.body.size,
        when(bundle.checkpoint.body.at),
        bundle.checkpoint.body.key_id
    );
    println!(
        "{} entries verified, {} verified with their payload erased",
        report.verified, report.erased
    );
    for (index, why) in &report.problems {
        match index {
            Some(i) => println!("entry {i}: {why}"),
            None => println!("{why}"),
        }
    }
    if report.ok() {
        println!("ok: every entry is in the log the instance signed");
        Ok(())
    } else {
        std::process::exit(1)
    }
}

/// A Unix time in milliseconds as a UTC date and time, such as `2026-12-03 14:05 UTC`.
fn when(ms: i64) -> String {
    guildhall_domain::calendar::format_local(ms, "UTC")
}

/// Serves until SIGTERM or Ctrl-C, letting in-flight requests finish.
async fn serve(settings: Settings) -> anyhow::Result<()> {
    let pool = tokio::task::spawn_blocking({
        let settings = settings.clone();
        move || instance::open_database(&settings)
    })
    .await??;
    let key = instance::instance_key(&settings.data_dir)?;
    let loaded = tokio::task::spawn_blocking({
        let app = instance::app(&settings, pool.clone());
        move || {
            let bar = progress_bar("first start: loading the skill taxonomy");
            let report = app.ensure_default_taxonomy(&|done, total| {
                bar.set_length(total);
                bar.set_position(done);
            });
            bar.finish_and_clear();
            report
        }
    })
    .await??;
    if let Some(report) = loaded {
        tracing::info!(
            skills = report.added,
            "loaded the default skill taxonomy (ESCO, Linguist, curated)"
        );
    }
    tracing::info!(public_key = %hex_key(&key), "instance key loaded");
    let app = instance::app(&settings, pool);
    let key = Arc::new(key);
    follow_feed(app.clone(), key.clone());
    let state = guildhall_web::AppState {
        app,
        config: Arc::new(guildhall_web::WebConfig {
            secure_cookies: settings.secure_cookies,
            evidence_key: Some(key),
            public_url: settings.public_url(),
            instance: guildhall_web::Instance {
                name: settings.instance_name.trim().to_string(),
                description: settings.instance_description.clone(),
                contact: settings.operator_contact.clone(),
            },
            source_archive: Some(SOURCE_ARCHIVE),
        }),
    };
    let listener = tokio::net::TcpListener::bind(&settings.bind)
        .await
        .with_context(|| format!("cannot listen on {}", settings.bind))?;
    let addr = listener.local_addr()?;
    println!(
        "Guildhall is serving on http://{addr} (database: {:?})",
        guildhall_store::Backend::of(&settings.database_url())
    );
    guildhall_web::serve::serve(
        listener,
        guildhall_web::router(state),
        std::time::Duration::from_secs(settings.request_head_timeout_secs),
        shutdown_signal(),
    )
    .await;
    tracing::info!("stopped");
    Ok(())
}

/// Keeps in-memory state current with writes other nodes make, by tailing the change feed;
/// every minute releases deliveries whose review period ran out and reveals reviews whose
/// reveal time passed; signs a checkpoint of the evidence log at start and every ten minutes
/// (when it grew); purges expired sessions hourly.
/// The release job's state lives in the database, so it picks up after any restart.
fn follow_feed(app: guildhall_app::App, key: Arc<ed25519_dalek::SigningKey>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        for n in 0u64.. {
            tick.tick().await;
            let app = app.clone();
            // Once an hour, also drop expired sessions and old sign-in failures.
            let purge = n % 3600 == 0;
            let release = n % 60 == 0;
            let checkpoint = n % 600 == 0;
            let key = key.clone();
            let work = move || {
                if checkpoint {
                    app.sign_checkpoint(&key)?;
                }
                if purge {
                    app.purge_expired()?;
                }
                if release {
                    let released = app.release_due_milestones()?;
                    if released > 0 {
                        tracing::info!(released, "released unanswered deliveries");
                    }
                    let revealed = app.reveal_due_reviews()?;
                    if revealed > 0 {
                        tracing::info!(revealed, "revealed reviews whose reveal time passed");
                    }
                }
                app.follow_feed()
            };
            match tokio::task::spawn_blocking(work).await {
                Ok(Err(e)) => tracing::warn!(error = %e, "background work failed"),
                Err(e) => tracing::warn!(error = %e, "change feed follower failed"),
                Ok(Ok(())) => {}
            }
        }
    });
}

fn progress_bar(what: &str) -> indicatif::ProgressBar {
    let style = indicatif::ProgressStyle::with_template(&format!(
        "{what} {{bar:40}} {{pos}}/{{len}} ({{eta}} left)"
    ))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    indicatif::ProgressBar::new(0).with_style(style)
}

fn hex_key(key: &ed25519_dalek::SigningKey) -> String {
    key.verifying_key()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
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
        &mut *conn,
        &format!("VACUUM INTO '{target}'"),
    )
    .context("backup failed")?;
    println!("Wrote {}.", out.display());
    Ok(())
}
