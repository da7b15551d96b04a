//! The command line: every command, its options and its `--help` text.

use crate::config::{Overrides, Settings};
use crate::{admin, bench};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Guildhall: a self-hostable server for talent communities.
#[derive(Parser)]
#[command(name = "guildhall", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Where the instance's configuration and data are.
#[derive(Args, Clone)]
pub(crate) struct Common {
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
    pub(crate) fn settings(&self, extra: Overrides) -> anyhow::Result<Settings> {
        let overrides = Overrides {
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            ..extra
        };
        Settings::load(self.config.as_deref(), &overrides)
    }
}

#[derive(Subcommand)]
pub(crate) enum Command {
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
        /// The instance's public key, 64 hex digits (GET /api/v1/evidence/key); repeat it
        /// for each key in the instance's history after a rotation.
        #[arg(long, required = true)]
        key: Vec<String>,
    },
    /// Retire the instance key and make a new one, then restart the server. What the old key
    /// signed stays verifiable: the DID document keeps listing it, and `verify` knows it.
    RotateKey {
        #[command(flatten)]
        common: Common,
    },
    /// Check a verifiable credential: its issuer and key, signature, dates, revocation status
    /// and the evidence log entries it carries. Offline with the issuer's DID document or key
    /// (and its status list saved beside it); online, resolving the issuer's did:web and
    /// fetching its status list. Exits with status 1 and names the first problem if a check
    /// fails.
    VerifyCredential {
        /// The credential, as downloaded from the wallet or a shared link.
        file: PathBuf,
        /// The issuer's DID document, saved from its /.well-known/did.json.
        #[arg(long)]
        did_document: Option<PathBuf>,
        /// An issuer's public key, as a Multikey (z6Mk…) or 64 hex digits; repeat for a key
        /// history.
        #[arg(long)]
        key: Vec<String>,
        /// The status list credential, saved from the address in the credential's
        /// credentialStatus.
        #[arg(long)]
        status_list: Option<PathBuf>,
        /// Resolve the issuer's did:web and fetch its status list over the network.
        #[arg(long)]
        online: bool,
        /// With --online, allow plain http (an instance on this machine).
        #[arg(long, requires = "online")]
        allow_http: bool,
    },
    /// Fill an instance with generated demo data: members with skills, rates, places and
    /// working hours, communities, connections, clients with open jobs built from ESCO's
    /// occupations, and finished contracts with reviews. Creates the instance if there is
    /// none. Every generated member signs in with the same password, so seed demo and test
    /// instances only.
    Seed {
        #[command(flatten)]
        common: Common,
        /// How many members to generate (at least 10).
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(10..))]
        members: u64,
        /// The generator's seed: the same seed generates the same members, links, jobs and
        /// contracts.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The password every generated member signs in with [default: drawn at random and
        /// printed at the end].
        #[arg(long, env = "GUILDHALL_SEED_PASSWORD")]
        password: Option<String>,
    },
    /// Benchmarks that print their figures and a baseline measured in the same run.
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
}

#[derive(Subcommand)]
pub(crate) enum ImportCommand {
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
