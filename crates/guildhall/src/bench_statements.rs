//! `guildhall bench contracts --statements`: which SQL statements a contract cycle sends, how
//! many of each, how long each takes and how often it is prepared into its connection's
//! statement cache (a statement diesel does not cache is prepared on every call without showing
//! there), observed through diesel's connection instrumentation. On PostgreSQL each statement is a round trip; on SQLite each is
//! a step through the engine. The hook adds a lock per statement, so a run that counts is not
//! a run to quote throughput from.

use diesel::connection::{Instrumentation, InstrumentationEvent};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Whether statements are being counted now.
static COUNTING: AtomicBool = AtomicBool::new(false);
/// Statement text (without its bound values) → what was seen of it.
static SEEN: Mutex<Option<HashMap<String, Seen>>> = Mutex::new(None);

/// What was seen of one statement.
#[derive(Default)]
struct Seen {
    /// Times it was sent.
    sent: u64,
    /// Times it was prepared and put in the connection's statement cache.
    prepared: u64,
    /// Time from sending it to its last row or its result.
    spent: Duration,
}

/// Installs the counting hook on every connection opened from now on. Call before the pool is
/// made; counting starts with [`counting`].
pub fn install() -> anyhow::Result<()> {
    diesel::connection::set_default_instrumentation(hook)
        .map_err(|e| anyhow::anyhow!("installing the statement counter: {e}"))
}

/// Strips the bound values diesel shows after the SQL (`-- binds: […]`).
fn sql_of(query: &dyn std::fmt::Display) -> String {
    let text = query.to_string();
    text.split("-- binds")
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn seen(sql: String, note: impl FnOnce(&mut Seen)) {
    let mut seen = SEEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    note(
        seen.get_or_insert_with(HashMap::new)
            .entry(sql)
            .or_default(),
    );
}

fn hook() -> Option<Box<dyn Instrumentation>> {
    // One hook per connection, so a statement's start and finish meet here.
    let mut started: Option<(String, Instant)> = None;
    Some(Box::new(move |event: InstrumentationEvent<'_>| {
        if !COUNTING.load(Ordering::Relaxed) {
            return;
        }
        match event {
            InstrumentationEvent::StartQuery { query, .. } => {
                started = Some((sql_of(query), Instant::now()));
            }
            InstrumentationEvent::CacheQuery { sql, .. } => {
                seen(sql.trim().to_string(), |s| s.prepared += 1);
            }
            InstrumentationEvent::FinishQuery { .. } => {
                if let Some((sql, at)) = started.take() {
                    let spent = at.elapsed();
                    seen(sql, |s| {
                        s.sent += 1;
                        s.spent += spent;
                    });
                }
            }
            _ => {}
        }
    }))
}

/// Forgets what was counted; counting starts with [`counting`].
pub fn reset() {
    *SEEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    COUNTING.store(false, Ordering::Relaxed);
}

/// Counts the statements from now on, or stops counting them for now.
pub fn counting(on: bool) {
    COUNTING.store(on, Ordering::Relaxed);
}

/// Stops counting and prints the statements per cycle, most frequent first, with the time
/// each took on average and how often per cycle it was prepared.
pub fn report(cycles: usize) {
    COUNTING.store(false, Ordering::Relaxed);
    let seen = SEEN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .take()
        .unwrap_or_default();
    let per_cycle = |n: u64| n as f64 / cycles.max(1) as f64;
    let total: u64 = seen.values().map(|s| s.sent).sum();
    let spent: Duration = seen.values().map(|s| s.spent).sum();
    println!(
        "statements per cycle: {:.1} ({} distinct), {:.0} µs per cycle inside them",
        per_cycle(total),
        seen.len(),
        spent.as_secs_f64() * 1e6 / cycles.max(1) as f64
    );
    println!("per cycle  µs each  prepared  statement");
    let mut rows: Vec<(String, Seen)> = seen.into_iter().collect();
    rows.sort_by(|a, b| b.1.sent.cmp(&a.1.sent).then_with(|| a.0.cmp(&b.0)));
    for (sql, s) in rows {
        let shown: String = sql.chars().take(90).collect();
        let each = s.spent.as_secs_f64() * 1e6 / s.sent.max(1) as f64;
        println!(
            "{:9.2}  {each:7.1}  {:8.2}  {shown}",
            per_cycle(s.sent),
            per_cycle(s.prepared)
        );
    }
}
