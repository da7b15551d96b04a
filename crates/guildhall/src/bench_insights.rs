//! `guildhall bench insights`: how long each insight takes over an existing instance (one
//! filled by `guildhall seed`), one thread, against reading one member's own profile items
//! measured on the same members in the same run.

use crate::config::Settings;
use crate::instance;
use guildhall_app::App;
use guildhall_app::accounts::Account;
use guildhall_app::insights::RateQuery;
use std::time::Instant;

/// Times `f` over `samples`, printing the median, the 90th percentile and the slowest.
fn time<T>(
    what: &str,
    samples: &[T],
    mut f: impl FnMut(&T) -> anyhow::Result<()>,
) -> anyhow::Result<f64> {
    let mut took: Vec<f64> = Vec::with_capacity(samples.len());
    for s in samples {
        let started = Instant::now();
        f(s)?;
        took.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    took.sort_by(f64::total_cmp);
    let at = |q: f64| took[((took.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what:<34} {:>5} runs  p50 {:>9.2} ms  p90 {:>9.2} ms  max {:>9.2} ms",
        took.len(),
        at(0.5),
        at(0.9),
        at(1.0)
    );
    Ok(at(0.5))
}

/// Runs the benchmark over the instance `settings` name.
pub fn run(settings: &Settings, samples: usize) -> anyhow::Result<()> {
    let pool = instance::open_database(settings)?;
    let app: App = instance::app(settings, pool)?;
    let started = Instant::now();
    let members = app.matching().load(&|_, _| {})?;
    println!(
        "matching index: {members} members loaded in {:.1} s (once, at start, as serve does)",
        started.elapsed().as_secs_f64()
    );
    let jobs = app.work().public_jobs(samples.max(2) as i64 * 2)?;
    anyhow::ensure!(
        jobs.len() >= 2,
        "the instance has too few open jobs: seed it first"
    );
    let mut pairs: Vec<(Account, String)> = Vec::new();
    for (i, job) in jobs.iter().enumerate().take(samples) {
        let other = &jobs[(i + 1) % jobs.len()];
        if let Some(account) = app.accounts().account_by_handle(&other.client)? {
            pairs.push((account, job.id.clone()));
        }
    }
    println!(
        "{} members, each against another's open job; {} occupations",
        pairs.len(),
        guildhall_app::insights::occupations()?.len()
    );
    let baseline = time("baseline: own profile items", &pairs, |(who, _)| {
        app.profiles().my_items(who)?;
        Ok(())
    })?;
    let occupations = guildhall_app::insights::occupations()?;
    let gap = time("skills gap for a job", &pairs, |(who, job)| {
        app.insights().job_gap(who, job)?;
        Ok(())
    })?;
    let mut n = 0;
    let occupation = time("skills gap for an occupation", &pairs, |(who, _)| {
        n += 1;
        app.insights()
            .occupation_gap(who, &occupations[n % occupations.len()].id)?;
        Ok(())
    })?;
    let rates = time(
        "rates heat map, whole instance",
        &pairs[..pairs.len().min(10)],
        |(who, _)| {
            app.insights().rate_map(who, &RateQuery::default())?;
            Ok(())
        },
    )?;
    let mine = time(
        "liquidity of own skills",
        &pairs[..pairs.len().min(10)],
        |(who, _)| {
            app.insights().my_liquidity(who)?;
            Ok(())
        },
    )?;
    let started = Instant::now();
    let rows = app.insights().take_liquidity_snapshot()?;
    match rows {
        Some(rows) => println!(
            "liquidity snapshot, whole instance: {:.2} s, {rows} rows (taken once a day in the background)",
            started.elapsed().as_secs_f64()
        ),
        None => println!(
            "liquidity snapshot: today's was already taken (time it on a fresh copy of the instance)"
        ),
    }
    println!(
        "against the baseline (p50): gap {:.0}×, occupation gap {:.0}×, rates {:.0}×, own liquidity {:.0}×",
        gap / baseline,
        occupation / baseline,
        rates / baseline,
        mine / baseline
    );
    Ok(())
}
