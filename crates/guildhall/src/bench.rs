//! `guildhall bench profiles`: anonymous profile reads against `/healthz` on loopback, on a
//! database seeded with many profiles. Both are measured in the same run, so the ratio says
//! what reading a profile costs relative to the cheapest request the server answers.

use crate::cpu_time::Started;
use anyhow::Context;
use clap::Subcommand;
use guildhall_domain::audience::{Audience, AudienceSet};
use guildhall_domain::profile::{ItemData, WorkKind};
use guildhall_store::repo::{items, users};
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use indicatif::{ProgressBar, ProgressStyle};
use rand::Rng;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Benchmarks.
#[derive(Subcommand)]
pub enum BenchCommand {
    /// Throughput and p99 of GET /api/v1/profiles/{handle} against GET /healthz.
    Profiles {
        /// Profiles to seed.
        #[arg(long, default_value_t = 100_000)]
        profiles: usize,
        /// Seconds to load each endpoint.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Concurrent connections.
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        /// Database to seed (default: a fresh SQLite file in a temporary folder).
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Trust propagation over a generated graph, one thread: full recompute and an update
    /// after new evidence, against a pass that reads every edge once.
    Trust {
        /// Members.
        #[arg(long, default_value_t = 1_000_000)]
        members: usize,
        /// Vouching edges.
        #[arg(long, default_value_t = 20_000_000)]
        edges: usize,
        /// New edges for the update.
        #[arg(long, default_value_t = 1_000)]
        events: usize,
        /// Also write the graph here as a plain edge list ("from to weight" per line).
        #[arg(long)]
        edges_out: Option<std::path::PathBuf>,
    },
    /// Sustained contract operations (fund, submit, accept with release) per second, against
    /// one-event write transactions measured in the same run.
    Contracts {
        /// Contracts to run through.
        #[arg(long, default_value_t = 2_000)]
        contracts: usize,
        /// Threads.
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
        /// Database (default: a fresh SQLite file in a temporary folder). On PostgreSQL use an
        /// empty database: the run leaves its contracts there.
        #[arg(long)]
        database_url: Option<String>,
        /// Also count the SQL statements the contract cycles send, and print them per cycle
        /// (slows the run: quote no throughput from it).
        #[arg(long)]
        statements: bool,
    },
    /// The matching engine's top 20 on one thread, against a brute-force scan and the tantivy
    /// library answering the same queries over the same generated corpus.
    Match {
        /// Members in the generated corpus.
        #[arg(long, default_value_t = 1_000_000)]
        members: usize,
        /// Job queries of 3 to 8 weighted skills (every other one with filters).
        #[arg(long, default_value_t = 10_000)]
        queries: usize,
        /// Queries also answered by brute force, for its time and for recall.
        #[arg(long, default_value_t = 200)]
        brute: usize,
    },
    /// How long each insight (skills gaps, rates, liquidity) takes over an instance filled by
    /// `guildhall seed`, against reading one member's profile items in the same run.
    Insights {
        #[command(flatten)]
        common: crate::cli::Common,
        /// Members sampled, each against another's open job.
        #[arg(long, default_value_t = 50)]
        samples: usize,
    },
    /// Skill autocomplete latency over the whole default taxonomy, one thread, against a naive
    /// scan of every label measured on the same queries.
    Autocomplete {
        /// Queries to run.
        #[arg(long, default_value_t = 20_000)]
        queries: usize,
        /// Suggestions per query.
        #[arg(long, default_value_t = 10)]
        k: usize,
    },
}

/// Runs a benchmark.
pub async fn run(command: BenchCommand) -> anyhow::Result<()> {
    let (profiles, seconds, concurrency, database_url) = match command {
        BenchCommand::Profiles {
            profiles,
            seconds,
            concurrency,
            database_url,
        } => (profiles, seconds, concurrency, database_url),
        BenchCommand::Autocomplete { queries, k } => return autocomplete(queries, k),
        BenchCommand::Insights { common, samples } => {
            let settings = common.settings(crate::config::Overrides::default())?;
            return tokio::task::spawn_blocking(move || {
                crate::bench_insights::run(&settings, samples)
            })
            .await?;
        }
        BenchCommand::Match {
            members,
            queries,
            brute,
        } => return crate::bench_match::run(members, queries, brute),
        BenchCommand::Trust {
            members,
            edges,
            events,
            edges_out,
        } => return crate::bench_trust::run(members, edges, events, edges_out),
        BenchCommand::Contracts {
            contracts,
            concurrency,
            database_url,
            statements,
        } => {
            return tokio::task::spawn_blocking(move || {
                crate::bench_contracts::run(contracts, concurrency, database_url, statements)
            })
            .await?;
        }
    };
    let dir = tempfile::tempdir()?;
    let url =
        database_url.unwrap_or_else(|| dir.path().join("bench.db").to_string_lossy().into_owned());
    println!(
        "machine: {} logical cores, {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::ARCH
    );
    println!(
        "database: {:?}, {profiles} profiles; load: {concurrency} connections, {seconds} s per endpoint",
        guildhall_store::Backend::of(&url)
    );
    let pool = guildhall_store::connect(&url, 16)?;
    guildhall_store::migrate(&mut *pool.get()?)?;
    let handles = tokio::task::spawn_blocking({
        let pool = pool.clone();
        move || seed(&pool, profiles)
    })
    .await??;

    let app = guildhall_app::App::new(
        pool,
        Arc::new(guildhall_app::SystemClock),
        guildhall_app::AppSettings::default(),
    );
    let state = guildhall_web::AppState {
        app,
        config: Arc::new(guildhall_web::WebConfig::default()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        guildhall_web::serve::serve(
            listener,
            guildhall_web::router(state),
            guildhall_web::serve::DEFAULT_REQUEST_HEAD_TIMEOUT,
            std::future::pending(),
        )
        .await;
    });

    let duration = Duration::from_secs(seconds);
    let handles = Arc::new(handles);
    // First read of every profile: each one misses the in-memory cache and goes to the database.
    let cold = read_all(addr, concurrency, handles.clone()).await?;
    cold.print("GET /api/v1/profiles/{handle}, first read of each (database)");
    let health = load(
        addr,
        concurrency,
        duration,
        Arc::new(|_: &mut rand::rngs::ThreadRng| "/healthz".to_string()),
    )
    .await?;
    let profile = load(
        addr,
        concurrency,
        duration,
        Arc::new(move |rng: &mut rand::rngs::ThreadRng| {
            format!(
                "/api/v1/profiles/{}",
                handles[rng.random_range(0..handles.len())]
            )
        }),
    )
    .await?;
    health.print("GET /healthz");
    profile.print("GET /api/v1/profiles/{handle}, random handles (steady state)");
    println!(
        "ratio, steady state (profile / healthz throughput): {:.3}",
        profile.throughput / health.throughput
    );
    println!(
        "ratio, first reads (profile / healthz throughput): {:.3}",
        cold.throughput / health.throughput
    );
    Ok(())
}

/// Inserts `n` members, each with a display name, a public headline, a connections-only work
/// entry and a private email, in batched transactions.
fn seed(pool: &guildhall_store::DbPool, n: usize) -> anyhow::Result<Vec<String>> {
    let bar = ProgressBar::new(n as u64).with_style(ProgressStyle::with_template(
        "seeding {bar:40} {pos}/{len} profiles ({eta} left)",
    )?);
    let mut conn = pool.get()?;
    // A placeholder in argon2id's format: seeded accounts are only read, never signed in to,
    // and hashing 100k passwords would measure argon2, not the server.
    let hash = "$argon2id$v=19$m=1024,t=1,p=1$c2VlZHNlZWRzZWVk$0e4uZQ0b0c1QkqV5W6mJYQvJ7gYp1dF6QzC8o3hQ7x8";
    let mut handles = Vec::with_capacity(n);
    let now = 1_700_000_000_000i64;
    for chunk_start in (0..n).step_by(1000) {
        let end = (chunk_start + 1000).min(n);
        diesel::Connection::transaction::<_, anyhow::Error, _>(&mut **conn, |c| {
            for i in chunk_start..end {
                let id = guildhall_domain::UserId::new();
                let handle = format!("member{i}");
                users::insert(
                    c,
                    &users::UserRow {
                        id,
                        handle: handle.clone(),
                        email: format!("{handle}@example.org"),
                        email_key: format!("{handle}@example.org"),
                        password_hash: hash.into(),
                        is_operator: false,
                        created_at: now,
                        updated_at: now,
                        email_verified_at: Some(now),
                    },
                )?;
                let rows = [
                    (
                        ItemData::DisplayName {
                            name: format!("Member {i}"),
                        },
                        Audience::Public,
                    ),
                    (
                        ItemData::Headline {
                            text: "Data engineer for climate projects".into(),
                        },
                        Audience::Public,
                    ),
                    (
                        ItemData::Work {
                            title: "Data engineer".into(),
                            organisation: "Acme".into(),
                            work_kind: WorkKind::Freelance,
                            start: "2023-01".into(),
                            end: None,
                            description: "Pipelines and dashboards.".into(),
                        },
                        Audience::Connections,
                    ),
                    (
                        ItemData::Email {
                            address: format!("{handle}@example.org"),
                            label: "work".into(),
                        },
                        Audience::Private,
                    ),
                ];
                for (position, (data, audience)) in rows.into_iter().enumerate() {
                    items::insert(
                        c,
                        &items::ItemRow {
                            id: uuid::Uuid::now_v7().to_string(),
                            owner_id: id,
                            kind: data.kind().into(),
                            position: position as i32,
                            audiences: AudienceSet::of([audience]).to_storage(),
                            data: serde_json::to_string(&data)?,
                            created_at: now,
                            updated_at: now,
                        },
                    )?;
                }
                handles.push(handle);
            }
            Ok(())
        })
        .context("seeding failed")?;
        bar.set_position(end as u64);
    }
    bar.finish();
    Ok(handles)
}

struct LoadResult {
    requests: usize,
    errors: usize,
    throughput: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Cores the host of a virtual machine took from it meanwhile (steal time), where known:
    /// a load the host disturbed is not comparable with one it left alone.
    stolen_cores: Option<f64>,
}

impl LoadResult {
    fn print(&self, name: &str) {
        let stolen = self.stolen_cores.map_or(String::new(), |cores| {
            format!(", the host took {cores:.2} of a core (steal time)")
        });
        println!(
            "{name}: {} requests, {} errors, {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms{stolen}",
            self.requests, self.errors, self.throughput, self.p50_ms, self.p99_ms
        );
    }
}

/// Reads every profile once, `concurrency` at a time.
async fn read_all(
    addr: SocketAddr,
    concurrency: usize,
    handles: Arc<Vec<String>>,
) -> anyhow::Result<LoadResult> {
    let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Started::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, next, handles) = (client.clone(), next.clone(), handles.clone());
        tasks.push(tokio::spawn(async move {
            let (mut latencies, mut errors) = (Vec::new(), 0usize);
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(handle) = handles.get(i) else { break };
                let uri: hyper::Uri = format!("http://{addr}/api/v1/profiles/{handle}")
                    .parse()
                    .expect("valid uri");
                let t = Instant::now();
                match client.get(uri).await {
                    Ok(resp) if resp.status().is_success() => {
                        let _ = resp.into_body().collect().await;
                        latencies.push(t.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    summarise(tasks, start).await
}

/// Latency percentiles and throughput of finished load tasks.
async fn summarise(
    tasks: Vec<tokio::task::JoinHandle<(Vec<Duration>, usize)>>,
    start: Started,
) -> anyhow::Result<LoadResult> {
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await?;
        all.extend(l);
        errors += e;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let stolen_cores = start.stolen_cores();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Ok(LoadResult {
        requests: all.len(),
        errors,
        throughput: all.len() as f64 / elapsed,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        stolen_cores,
    })
}

type PathFn = Arc<dyn Fn(&mut rand::rngs::ThreadRng) -> String + Send + Sync>;

/// Keeps `concurrency` requests in flight for `duration`; each request's latency is recorded.
async fn load(
    addr: SocketAddr,
    concurrency: usize,
    duration: Duration,
    path: PathFn,
) -> anyhow::Result<LoadResult> {
    let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let start = Started::now();
    let deadline = Instant::now() + duration;
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, path) = (client.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            while Instant::now() < deadline {
                let uri: hyper::Uri = format!("http://{addr}{}", path(&mut rand::rng()))
                    .parse()
                    .expect("valid uri");
                let t = Instant::now();
                match client.get(uri).await {
                    Ok(resp) => {
                        let ok = resp.status().is_success();
                        let _ = resp.into_body().collect().await;
                        if ok {
                            latencies.push(t.elapsed())
                        } else {
                            errors += 1
                        }
                    }
                    Err(_) => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    summarise(tasks, start).await
}

/// Times autocomplete queries of four kinds drawn from the taxonomy's own labels.
fn autocomplete(queries: usize, k: usize) -> anyhow::Result<()> {
    use guildhall_domain::skills::autocomplete::{AutocompleteIndex, Entry, LabelKind};
    let skills = guildhall_app::taxonomy::default_skills().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut entries = Vec::new();
    let mut rng = rand::rng();
    for s in &skills {
        // Usage counts are random: real ones come from members' claims.
        let usage = rng.random_range(0..1000);
        entries.push(Entry {
            skill_id: s.key.clone(),
            label: s.preferred.clone(),
            kind: LabelKind::Preferred,
            usage,
            shown: None,
        });
        entries.extend(s.alts.iter().map(|a| Entry {
            skill_id: s.key.clone(),
            label: a.clone(),
            kind: LabelKind::Alias,
            usage,
            shown: None,
        }));
    }
    let built = Instant::now();
    let index = AutocompleteIndex::new(entries);
    println!(
        "machine: {} logical cores, {}; one thread",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::ARCH
    );
    println!(
        "index: {} skills, {} labels, built in {:.0} ms",
        skills.len(),
        index.len(),
        built.elapsed().as_secs_f64() * 1000.0
    );
    let labels: Vec<&str> = index.labels().collect();
    let mut mix = Vec::with_capacity(queries);
    let kinds = [
        "label prefix (1-8 chars)",
        "whole label",
        "word inside a label",
        "one typo (fallback scan)",
        "no match",
    ];
    for i in 0..queries {
        let label = labels[rng.random_range(0..labels.len())];
        let chars: Vec<char> = label.chars().collect();
        let q: String = match i % 5 {
            0 => chars.iter().take(rng.random_range(1..=8)).collect(),
            1 => label.to_string(),
            2 => label
                .split_whitespace()
                .last()
                .unwrap_or(label)
                .chars()
                .take(5)
                .collect(),
            3 => {
                let mut c: Vec<char> = chars.iter().take(8).copied().collect();
                if c.len() >= 5 {
                    let at = rng.random_range(1..c.len() - 1);
                    c[at] = if c[at] == 'x' { 'q' } else { 'x' };
                }
                c.into_iter().collect()
            }
            _ => format!("zq{}xj", rng.random_range(0..100_000)),
        };
        mix.push((i % 5, q));
    }
    println!(
        "query mix: {} queries, one fifth each: {}",
        queries,
        kinds.join(", ")
    );
    let time = |f: &dyn Fn(&str) -> usize| {
        let mut per_kind: Vec<Vec<f64>> = vec![Vec::new(); 5];
        let mut all = Vec::with_capacity(mix.len());
        for (kind, q) in &mix {
            let t = Instant::now();
            std::hint::black_box(f(q));
            let us = t.elapsed().as_secs_f64() * 1e6;
            per_kind[*kind].push(us);
            all.push(us);
        }
        (all, per_kind)
    };
    let pct = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(f64::total_cmp);
        v[((v.len() as f64 * p) as usize).min(v.len() - 1)]
    };
    let (mut all, mut per_kind) = time(&|q| index.suggest(q, k).len());
    println!(
        "autocomplete: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        pct(&mut all, 0.5),
        pct(&mut all, 0.99),
        pct(&mut all, 1.0)
    );
    for (name, v) in kinds.iter().zip(per_kind.iter_mut()) {
        println!(
            "  {name}: p50 {:.1} µs, p99 {:.1} µs",
            pct(v, 0.5),
            pct(v, 0.99)
        );
    }
    let (mut base, _) = time(&|q| index.scan(q, k).len());
    println!(
        "baseline, naive substring scan of every label: p50 {:.1} µs, p99 {:.1} µs",
        pct(&mut base, 0.5),
        pct(&mut base, 0.99)
    );
    Ok(())
}
