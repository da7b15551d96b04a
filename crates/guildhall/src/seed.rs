//! `guildhall seed`: generated demo data, with a progress bar per stage.

use crate::config::Settings;
use crate::instance;
use crate::serve::progress_bar;
use guildhall_app::seed::{SeedOptions, Stage};
use std::cell::RefCell;
use std::time::Instant;

/// Seeds the instance `settings` name, creating it if there is none.
pub fn run(
    settings: &Settings,
    members: usize,
    seed: u64,
    password: Option<String>,
) -> anyhow::Result<()> {
    let pool = instance::open_database(settings)?;
    // A seeded folder is a whole instance: `serve` and `verify` need its key.
    instance::instance_key(&settings.data_dir)?;
    let app = instance::app(settings, pool)?;
    let drawn = password.is_none();
    let password = match password {
        Some(p) => p,
        None => random_password()?,
    };
    let options = SeedOptions {
        members,
        seed,
        password: password.clone(),
    };
    let bar: RefCell<Option<(Stage, indicatif::ProgressBar)>> = RefCell::new(None);
    let progress = |stage: Stage, done: u64, total: u64| {
        let mut bar = bar.borrow_mut();
        if bar.as_ref().is_none_or(|(s, _)| *s != stage) {
            if let Some((_, old)) = bar.take() {
                old.finish();
            }
            *bar = Some((stage, progress_bar(&format!("{:<12}", stage.words()))));
        }
        if let Some((_, b)) = bar.as_ref() {
            b.set_length(total);
            b.set_position(done);
        }
    };
    let started = Instant::now();
    let seeded = app.seed().run(&options, &progress);
    if let Some((_, b)) = bar.take() {
        b.finish();
    }
    let seeded = seeded.map_err(|e| anyhow::anyhow!("not seeded: {e}"))?;
    println!(
        "Seeded in {:.1} s: {} members, {} communities ({} memberships), {} connections, {} open jobs, {} finished contracts with reviews; {} evidence entries.",
        started.elapsed().as_secs_f64(),
        seeded.members,
        seeded.communities,
        seeded.joins,
        seeded.connections,
        seeded.jobs,
        seeded.contracts,
        seeded.evidence
    );
    if drawn {
        println!(
            "Sign in as @{} (or any generated member) with the password: {password}",
            seeded.first_handle
        );
    } else {
        println!(
            "Sign in as @{} (or any generated member) with the password you gave.",
            seeded.first_handle
        );
    }
    Ok(())
}

/// Four random words' worth of letters: easy to type, hard to guess.
fn random_password() -> anyhow::Result<String> {
    let mut bytes = [0u8; 15];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("drawing a password: {e}"))?;
    let letters: String = bytes.iter().map(|b| char::from(b'a' + b % 26)).collect();
    Ok(format!(
        "{}-{}-{}",
        &letters[..5],
        &letters[5..10],
        &letters[10..]
    ))
}
