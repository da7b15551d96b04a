//! `guildhall bench contracts`: sustained contract operations per second. Each cycle funds a
//! milestone, delivers it and accepts it (which releases the escrow with the fee split off):
//! three use cases, each one transaction with its ledger postings and change-feed events. The
//! baseline, measured in the same run (in slices taking turns with the use cases'), is the
//! cheapest write: one transaction appending one change-feed event.

use crate::cpu_time::{CpuTime, Started};
use guildhall_app::accounts::Account;
use guildhall_app::work::{MilestoneInput, OfferInput};
use guildhall_app::{App, AppSettings, PasswordCost, SystemClock};
use guildhall_domain::money::{Currency, Money};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::RecvTimeoutError;
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

    // The baseline and the use cases take turns, a slice of each at a time, so a machine that
    // slows down or speeds up during the run (its disk, or a host taking its processors) moves
    // both sides of the ratio alike.
    let baseline_writes = contracts * 3;
    // The disk's sync time is measured at both ends too: the ratio moves with it.
    let syncs_before = crate::disk_sync::sync_times(dir.path(), SYNC_ROUNDS)?;
    if count_statements {
        crate::bench_statements::reset();
    }
    let (mut baseline_slices, mut work_slices) = (Vec::new(), Vec::new());
    let (mut written_baseline, mut written_work) = (Some(0), Some(0));
    let mut followed = Followed::default();
    for slice in 0..SLICES {
        let (from, to) = slice_of(baseline_writes, slice);
        let written = disk_written();
        baseline_slices.push(timed(concurrency, to - from, |i| {
            app.instance()
                .bench_baseline((from + i) as u64)
                .map_err(|e| anyhow::anyhow!("{e}"))
        })?);
        add_written(&mut written_baseline, written, disk_written());
        // The setup's offers and the baseline's events are behind the feed's followers: catch
        // them up first, so the use cases' measured time and writes hold only their own.
        catch_up(&app)?;
        let (from, to) = slice_of(cycles.len(), slice);
        let written = disk_written();
        if count_statements {
            crate::bench_statements::counting(true);
        }
        work_slices.push(with_followers(&app, &mut followed, || {
            timed(concurrency, to - from, |i| {
                let (client, member, contract, milestone) = &cycles[from + i];
                app.work()
                    .fund_milestone(client, contract, milestone, &format!("f-{}", from + i))
                    .and_then(|_| app.work().submit_milestone(member, contract, milestone))
                    .and_then(|_| {
                        let key = format!("a-{}", from + i);
                        app.work()
                            .accept_milestone(client, contract, milestone, &key)
                    })
                    .map(|_| ())
                    .map_err(|e| anyhow::anyhow!("{e}"))
            })
        })?);
        if count_statements {
            crate::bench_statements::counting(false);
        }
        add_written(&mut written_work, written, disk_written());
    }
    let syncs_after = crate::disk_sync::sync_times(dir.path(), SYNC_ROUNDS)?;
    let baseline = Measured::joined(&baseline_slices);
    let work = Measured::joined(&work_slices);
    if count_statements {
        crate::bench_statements::report(work.count);
    }
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
    let (slowest, fastest) = spread(&baseline_slices);
    println!(
        "baseline, one-event write transactions: {:.0} per s ({} in {:.2} s; {slowest:.0} to {fastest:.0} per s in its {SLICES} slices)",
        baseline.per_second(),
        baseline.count,
        baseline.elapsed.as_secs_f64(),
    );
    let (slowest, fastest) = spread(&work_slices);
    println!(
        "contract cycles (fund + submit + accept with release): {:.0} per s, {:.0} use cases per s ({} cycles in {:.2} s; {slowest:.0} to {fastest:.0} cycles per s in their {SLICES} slices)",
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
    if let (true, Some(b), Some(w)) = (sqlite, written_baseline, written_work) {
        // What explains the ratio on SQLite: each commit writes its changed pages to the WAL
        // (and later, once, to the database file), so a transaction costs about its pages.
        let kib = |bytes: u64, n: usize| bytes as f64 / 1024.0 / n as f64;
        println!(
            "written to disk per transaction: baseline {:.1} KiB, contract use case {:.1} KiB",
            kib(b, baseline.count),
            kib(w, work.count * 3)
        );
    }
    println!(
        "disk sync of a 4 KiB write (in a temporary folder of this machine; every commit waits for one): {} before the run, {} after it",
        crate::disk_sync::summary(&syncs_before),
        crate::disk_sync::summary(&syncs_after)
    );
    println!("ledger audit: every transaction balanced, no account negative");
    println!(
        "evidence log: {} entries appended beside the use cases, {} at the ends of their slices (inside their time); {} entries verify",
        followed.beside.0, followed.at_ends.0, log.size
    );
    println!(
        "notifications: the parties were told of {} events beside the use cases, of {} at the ends of their slices",
        followed.beside.1, followed.at_ends.1
    );
    Ok(())
}

/// Slices of the baseline and of the use cases, run in turn.
const SLICES: usize = 8;

/// The part of `n` items slice `slice` of [`SLICES`] runs: from, to.
fn slice_of(n: usize, slice: usize) -> (usize, usize) {
    (n * slice / SLICES, n * (slice + 1) / SLICES)
}

/// Evidence entries appended and events told by the feed's followers: (entries, events).
#[derive(Default)]
struct Followed {
    /// Every second beside the use cases.
    beside: (usize, usize),
    /// At the end of each slice of them.
    at_ends: (usize, usize),
}

/// Catches the feed's followers up: evidence into the log, and the parties told. Each on a
/// thread of its own, as `guildhall serve` runs them (the mail sender's task catches the
/// notifications up every second, beside the feed's task and its evidence log).
fn catch_up(app: &App) -> anyhow::Result<(usize, usize)> {
    let err = |e: guildhall_app::AppError| anyhow::anyhow!("{e}");
    std::thread::scope(|s| {
        let told = s.spawn(|| app.notifications().catch_up());
        let appended = app.evidence().catch_up().map_err(err)?;
        let told = told
            .join()
            .map_err(|_| anyhow::anyhow!("the notifications follower panicked"))?
            .map_err(err)?;
        Ok((appended, told))
    })
}

/// Runs `measure` with the feed's followers beside it, as `guildhall serve` runs them (every
/// second), then catches them up on what is left, and adds that time and CPU to the
/// measurement: the use cases' time holds all the following they cause.
fn with_followers(
    app: &App,
    followed: &mut Followed,
    measure: impl FnOnce() -> anyhow::Result<Measured>,
) -> anyhow::Result<Measured> {
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let follower = {
        let app = app.clone();
        std::thread::spawn(move || -> anyhow::Result<(usize, usize)> {
            let mut done = (0, 0);
            while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(Duration::from_secs(1))
            {
                let (appended, told) = catch_up(&app)?;
                done = (done.0 + appended, done.1 + told);
            }
            Ok(done)
        })
    };
    let measured = measure();
    drop(stop);
    let beside = follower
        .join()
        .map_err(|_| anyhow::anyhow!("the feed's follower panicked"))??;
    let mut measured = measured?;
    let started = Started::now();
    let at_end = catch_up(app)?;
    measured.elapsed += started.elapsed();
    measured.cpu = measured
        .cpu
        .zip(started.cpu())
        .map(|(cpu, more)| cpu.plus(&more));
    followed.beside = (followed.beside.0 + beside.0, followed.beside.1 + beside.1);
    followed.at_ends = (followed.at_ends.0 + at_end.0, followed.at_ends.1 + at_end.1);
    Ok(measured)
}

/// Adds the bytes written between `from` and `to` to `total`, which stays unknown once either
/// end is.
fn add_written(total: &mut Option<u64>, from: Option<u64>, to: Option<u64>) {
    *total = total.zip(from.zip(to)).map(|(t, (a, b))| t + (b - a));
}

/// The slowest and the fastest of the slices' rates, per second.
fn spread(slices: &[Measured]) -> (f64, f64) {
    slices
        .iter()
        .map(Measured::per_second)
        .fold((f64::INFINITY, 0.0), |(lo, hi), r| (lo.min(r), hi.max(r)))
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

    /// The runs as one: their counts and times added, their latencies together; the CPU used
    /// is known if it is for each of them.
    fn joined(runs: &[Measured]) -> Measured {
        let mut latencies_ms: Vec<f64> = runs
            .iter()
            .flat_map(|r| r.latencies_ms.iter().copied())
            .collect();
        latencies_ms.sort_by(f64::total_cmp);
        Measured {
            count: runs.iter().map(|r| r.count).sum(),
            elapsed: runs.iter().map(|r| r.elapsed).sum(),
            cpu: runs
                .iter()
                .map(|r| r.cpu)
                .try_fold(CpuTime::default(), |total, cpu| Some(total.plus(&cpu?))),
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
    let started = Started::now();
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
    let elapsed = started.elapsed();
    let cpu = started.cpu();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slices_cover_every_item_once_in_order() {
        for n in [0, 1, 7, SLICES, 2_000, 6_001] {
            let slices: Vec<(usize, usize)> = (0..SLICES).map(|s| slice_of(n, s)).collect();
            assert_eq!(slices[0].0, 0);
            assert_eq!(slices[SLICES - 1].1, n);
            assert!(
                slices.windows(2).all(|w| w[0].1 == w[1].0),
                "{n}: {slices:?}"
            );
        }
    }

    #[test]
    fn slices_join_into_one_measurement() {
        let slice = |count, ms, latency, cpu: Option<u64>| Measured {
            count,
            elapsed: Duration::from_millis(ms),
            latencies_ms: vec![latency],
            cpu: cpu.map(|ms| CpuTime {
                process: Duration::from_millis(ms),
                ..Default::default()
            }),
        };
        let runs = [slice(10, 100, 2.0, Some(5)), slice(30, 100, 1.0, Some(7))];
        let joined = Measured::joined(&runs);
        assert_eq!(joined.count, 40);
        assert_eq!(joined.per_second(), 200.0);
        assert_eq!(joined.latencies_ms, [1.0, 2.0]);
        assert_eq!(joined.cpu.unwrap().process, Duration::from_millis(12));
        assert_eq!(spread(&runs), (100.0, 300.0));
        // CPU is known for the whole only if it is for every slice.
        let unknown = Measured::joined(&[slice(1, 1, 1.0, Some(1)), slice(1, 1, 1.0, None)]);
        assert!(unknown.cpu.is_none());
    }

    #[test]
    fn bytes_written_add_up_until_an_end_is_unknown() {
        let mut total = Some(0);
        add_written(&mut total, Some(100), Some(150));
        add_written(&mut total, Some(200), Some(210));
        assert_eq!(total, Some(60));
        add_written(&mut total, None, Some(300));
        assert_eq!(total, None);
    }
}
