//! `guildhall bench contracts`: sustained contract operations per second. Each cycle funds a
//! milestone, delivers it and accepts it (which releases the escrow with the fee split off):
//! three use cases, each one transaction with its ledger postings and change-feed events. The
//! baseline, measured in the same run (half before the use cases, half after them), is the
//! cheapest write: one transaction appending one change-feed event.

use crate::cpu_time::CpuTime;
use guildhall_app::accounts::Account;
use guildhall_app::work::{MilestoneInput, OfferInput};
use guildhall_app::{App, AppSettings, PasswordCost, SystemClock};
use guildhall_domain::money::{Currency, Money};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Runs the benchmark on `database_url` (a fresh SQLite file when none).
pub fn run(
    contracts: usize,
    concurrency: usize,
    database_url: Option<String>,
    count_statements: bool,
) -> anyhow::Result<()> {
    if count_statements {
        crate::bench_statements::install()?;
    }
    let dir = tempfile::tempdir()?;
    let url =
        database_url.unwrap_or_else(|| dir.path().join("bench.db").to_string_lossy().into_owned());
    println!(
        "machine: {} logical cores, {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::ARCH
    );
    println!(
        "database: {:?}; {contracts} contracts of one milestone; {concurrency} threads",
        guildhall_store::Backend::of(&url)
    );
    // The baseline and the use cases share this pool, so they commit in the same durability
    // mode: on SQLite, every commit is synced to disk before it is acknowledged.
    let durability = guildhall_store::Durability::Full;
    let pool = guildhall_store::connect_with(&url, concurrency.max(2) as u32 + 2, durability)?;
    if guildhall_store::Backend::of(&url) == guildhall_store::Backend::Sqlite {
        println!(
            "durability: {durability:?} (every commit synced before it is acknowledged), baseline and use cases alike"
        );
    }
    guildhall_store::migrate(&mut *pool.get()?)?;
    let app = App::new(
        pool,
        Arc::new(SystemClock),
        AppSettings {
            password_cost: PasswordCost::Fast,
            // A few clients send every offer of the run.
            work: guildhall_app::work::WorkSettings {
                offers_per_day: u32::MAX,
                ..Default::default()
            },
            ..AppSettings::default()
        },
    );
    let run_id = uuid::Uuid::now_v7().simple().to_string()[20..].to_string();
    let (clients, members) = setup(&app, &run_id, concurrency)?;
    let cycles = offers(&app, &clients, &members, contracts)?;

    // The baseline runs in two halves, one before the use cases and one after them, so a
    // machine that slows down or speeds up during the run moves both sides of the ratio.
    let baseline_writes = contracts * 3;
    let baseline_half = |from: usize, n: usize| {
        timed(concurrency, n, |i| {
            app.instance()
                .bench_baseline((from + i) as u64)
                .map_err(|e| anyhow::anyhow!("{e}"))
        })
    };
    // The disk's sync time is measured at both ends too: the ratio moves with it.
    let syncs_before = crate::disk_sync::sync_times(dir.path(), SYNC_ROUNDS)?;
    let written_before = disk_written();
    let before = baseline_half(0, baseline_writes / 2)?;
    let written_between = disk_written();
    // The setup's offers and the baseline's events are behind the notifications' follower:
    // catch it up first, so the use cases' measured time and writes hold only their own.
    app.notifications()
        .catch_up()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let written_caught_up = disk_written();
    if count_statements {
        crate::bench_statements::start();
    }
    // Evidence reaches the log from the feed, and the parties hear of each step, as `guildhall
    // serve` follows it: every second, beside the use cases, so its cost falls inside the
    // measured time.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let appender = {
        let (app, stop) = (app.clone(), stop.clone());
        std::thread::spawn(move || -> anyhow::Result<(usize, usize)> {
            let (mut appended, mut told) = (0, 0);
            while !stop.load(Ordering::Acquire) {
                std::thread::sleep(Duration::from_secs(1));
                appended += app
                    .evidence()
                    .catch_up()
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                told += app
                    .notifications()
                    .catch_up()
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            }
            Ok((appended, told))
        })
    };
    let work = timed(concurrency, cycles.len(), |i| {
        let (client, member, contract, milestone) = &cycles[i];
        app.work()
            .fund_milestone(client, contract, milestone, &format!("f-{i}"))
            .and_then(|_| app.work().submit_milestone(member, contract, milestone))
            .and_then(|_| {
                app.work()
                    .accept_milestone(client, contract, milestone, &format!("a-{i}"))
            })
            .map(|_| ())
            .map_err(|e| anyhow::anyhow!("{e}"))
    })?;
    stop.store(true, Ordering::Release);
    let (in_background, told_in_background) = appender
        .join()
        .map_err(|_| anyhow::anyhow!("the feed's follower panicked"))??;
    let written_after = disk_written();
    if count_statements {
        crate::bench_statements::report(work.count);
    }
    let last = Instant::now();
    let at_end = app
        .evidence()
        .catch_up()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let last = last.elapsed();
    let told_at_end = app
        .notifications()
        .catch_up()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let written_last = disk_written();
    let after = baseline_half(before.count, baseline_writes - before.count)?;
    let written_end = disk_written();
    let syncs_after = crate::disk_sync::sync_times(dir.path(), SYNC_ROUNDS)?;
    let baseline = before.joined(&after);
    // The log verifies: every leaf and subtree hash, and a checkpoint signed over all of it.
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let log = app
        .evidence()
        .sign_checkpoint(&key)
        .and_then(|_| app.evidence().verify_log(&[key.verifying_key()]))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    anyhow::ensure!(log.ok(), "the evidence log does not verify: {log:?}");
    let audit = app
        .work()
        .audit_ledger()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    anyhow::ensure!(audit.is_sound(), "the ledger does not balance: {audit:?}");
    println!(
        "baseline, one-event write transactions: {:.0} per s ({} in {:.2} s; {:.0} per s before the use cases, {:.0} per s after them)",
        baseline.per_second(),
        baseline.count,
        baseline.elapsed.as_secs_f64(),
        before.per_second(),
        after.per_second()
    );
    println!(
        "contract cycles (fund + submit + accept with release): {:.0} per s, {:.0} use cases per s ({} cycles in {:.2} s)",
        work.per_second(),
        work.per_second() * 3.0,
        work.count,
        work.elapsed.as_secs_f64()
    );
    println!(
        "cycle latency: p50 {:.2} ms, p99 {:.2} ms",
        work.percentile(50.0),
        work.percentile(99.0)
    );
    println!(
        "ratio (use cases per s / baseline writes per s): {:.3}",
        work.per_second() * 3.0 / baseline.per_second()
    );
    if let (Some(b), Some(w)) = (baseline.cpu, work.cpu) {
        // A side whose cores are not all busy waits on something: on SQLite the writer's turn
        // and its disk sync, on PostgreSQL also the feed's append lock and the server.
        let per = |d: Duration, n: usize| d.as_secs_f64() * 1e6 / n as f64;
        let cores = |d: Duration, m: &Measured| d.as_secs_f64() / m.elapsed.as_secs_f64();
        println!(
            "CPU per transaction, this process / whole machine: baseline {:.0} / {:.0} µs, contract use case {:.0} / {:.0} µs; cores busy on the machine: {:.2} and {:.2} of {}",
            per(b.process, baseline.count),
            per(b.machine, baseline.count),
            per(w.process, work.count * 3),
            per(w.machine, work.count * 3),
            cores(b.machine, &baseline),
            cores(w.machine, &work),
            std::thread::available_parallelism().map_or(0, |n| n.get()),
        );
        // A host that takes the processors away slows both sides, but not alike: the baseline
        // waits on its turn and its sync more than it computes.
        println!(
            "cores taken by the host (steal time): {:.2} during the baseline, {:.2} during the use cases",
            cores(b.stolen, &baseline),
            cores(w.stolen, &work),
        );
    }
    // On PostgreSQL the server writes, not this process: nothing to show.
    let sqlite = guildhall_store::Backend::of(&url) == guildhall_store::Backend::Sqlite;
    if let (true, Some(a), Some(b), Some(b2), Some(c), Some(d), Some(e)) = (
        sqlite,
        written_before,
        written_between,
        written_caught_up,
        written_after,
        written_last,
        written_end,
    ) {
        // What explains the ratio on SQLite: each commit writes its changed pages to the WAL
        // (and later, once, to the database file), so a transaction costs about its pages.
        let kib = |bytes: u64, n: usize| bytes as f64 / 1024.0 / n as f64;
        println!(
            "written to disk per transaction: baseline {:.1} KiB, contract use case {:.1} KiB",
            kib(b - a + e - d, baseline.count),
            kib(c - b2, work.count * 3)
        );
    }
    println!(
        "disk sync of a 4 KiB write (in a temporary folder of this machine; every commit waits for one): {} before the run, {} after it",
        crate::disk_sync::summary(&syncs_before),
        crate::disk_sync::summary(&syncs_after)
    );
    println!("ledger audit: every transaction balanced, no account negative");
    println!(
        "evidence log: {in_background} entries appended beside the use cases, {at_end} after them in {:.1} ms; {} entries verify",
        last.as_secs_f64() * 1000.0,
        log.size
    );
    println!(
        "notifications: the parties were told of {told_in_background} events beside the use cases, of {told_at_end} after them"
    );
    Ok(())
}

/// Synced writes timed at each end of the run.
const SYNC_ROUNDS: usize = 200;

/// The sign-up of a benchmark account.
fn sign_up_input(handle: &str) -> guildhall_app::accounts::SignUp {
    guildhall_app::accounts::SignUp {
        handle: handle.into(),
        email: format!("{handle}@example.org"),
        password: "correct horse battery bench".into(),
        display_name: None,
    }
}

/// An operator, and `n` clients with money and `n` members.
fn setup(app: &App, run: &str, n: usize) -> anyhow::Result<(Vec<Account>, Vec<Account>)> {
    let err = |e: guildhall_app::AppError| anyhow::anyhow!("{e}");
    let mut op = sign_up_input(&format!("op{run}"));
    op.email = format!("op{run}@example.org");
    let operator = app.accounts().create_account(op, true).map_err(err)?;
    let eur = Currency::parse("EUR").map_err(anyhow::Error::msg)?;
    let mut clients = Vec::new();
    let mut members = Vec::new();
    for i in 0..n {
        let client = app
            .accounts()
            .sign_up(sign_up_input(&format!("c{run}{i}")))
            .map_err(err)?;
        app.work()
            .confirm_deposit(
                &operator,
                &client.handle,
                Money::new(1_000_000_000_000, eur),
                &format!("seed-{i}"),
            )
            .map_err(err)?;
        clients.push(client);
        members.push(
            app.accounts()
                .sign_up(sign_up_input(&format!("m{run}{i}")))
                .map_err(err)?,
        );
    }
    Ok((clients, members))
}

type Cycle = (Account, Account, String, String);

/// `n` accepted contracts of one milestone, spread over the pairs.
fn offers(
    app: &App,
    clients: &[Account],
    members: &[Account],
    n: usize,
) -> anyhow::Result<Vec<Cycle>> {
    let bar = indicatif::ProgressBar::new(n as u64);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (client, member) = (&clients[i % clients.len()], &members[i % members.len()]);
        let k = app
            .work()
            .offer_contract(
                client,
                OfferInput {
                    member: member.handle.clone(),
                    title: format!("Bench contract {i}"),
                    currency: "EUR".into(),
                    milestones: vec![MilestoneInput {
                        title: "Work".into(),
                        amount: 10_000 + i as i64,
                        due_on: "2099-01-01".into(),
                        by_learner: false,
                    }],
                    community: None,
                    referrer: None,
                    hourly: None,
                    learner: None,
                },
            )
            .and_then(|k| app.work().answer_offer(member, &k.id, true))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        out.push((
            client.clone(),
            member.clone(),
            k.id,
            k.milestones[0].id.clone(),
        ));
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(out)
}

/// What a timed run measured.
struct Measured {
    count: usize,
    elapsed: Duration,
    latencies_ms: Vec<f64>,
    /// CPU used meanwhile, where it can be read.
    cpu: Option<CpuTime>,
}

impl Measured {
    fn per_second(&self) -> f64 {
        self.count as f64 / self.elapsed.as_secs_f64()
    }

    /// Both runs as one: their counts and times added, their latencies together.
    fn joined(&self, other: &Measured) -> Measured {
        let mut latencies_ms = [self.latencies_ms.as_slice(), &other.latencies_ms].concat();
        latencies_ms.sort_by(f64::total_cmp);
        Measured {
            count: self.count + other.count,
            elapsed: self.elapsed + other.elapsed,
            cpu: self.cpu.zip(other.cpu).map(|(a, b)| a.plus(&b)),
            latencies_ms,
        }
    }

    fn percentile(&self, p: f64) -> f64 {
        if self.latencies_ms.is_empty() {
            return 0.0;
        }
        let i = ((p / 100.0) * (self.latencies_ms.len() - 1) as f64).round() as usize;
        self.latencies_ms[i]
    }
}

/// Runs `f(0..n)` on `threads` threads, each taking the next index, and times it.
fn timed(
    threads: usize,
    n: usize,
    f: impl Fn(usize) -> anyhow::Result<()> + Sync,
) -> anyhow::Result<Measured> {
    let next = AtomicUsize::new(0);
    let cpu_before = CpuTime::now();
    let start = Instant::now();
    let results: Vec<anyhow::Result<Vec<f64>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut lat = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            return Ok(lat);
                        }
                        let t = Instant::now();
                        f(i)?;
                        lat.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("bench thread"))
            .collect()
    });
    let elapsed = start.elapsed();
    let cpu = CpuTime::now()
        .zip(cpu_before)
        .map(|(now, before)| now.since(&before));
    let mut latencies_ms = Vec::with_capacity(n);
    for r in results {
        latencies_ms.extend(r?);
    }
    latencies_ms.sort_by(f64::total_cmp);
    Ok(Measured {
        count: n,
        elapsed,
        cpu,
        latencies_ms,
    })
}

/// Bytes this process has caused to be written to storage so far (Linux's `/proc/self/io`);
/// `None` where that is not available.
fn disk_written() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/self/io").ok()?;
    io.lines()
        .find_map(|line| line.strip_prefix("write_bytes: "))
        .and_then(|n| n.trim().parse().ok())
}
