//! `guildhall bench contracts --statements`: which SQL statements a contract cycle sends, and how
//! many of each, counted through diesel's connection instrumentation. On PostgreSQL each one is
//! a round trip; on SQLite each is a step through the engine. The counting hook adds a lock per
//! statement, so a run that counts is not a run to quote throughput from.

use diesel::connection::{Instrumentation, InstrumentationEvent};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether statements are being counted now.
static COUNTING: AtomicBool = AtomicBool::new(false);
/// Statement text (without its bound values) → how many times it was sent.
static SENT: Mutex<Option<HashMap<String, u64>>> = Mutex::new(None);

/// Installs the counting hook on every connection opened from now on. Call before the pool is
/// made; counting starts with [`start`].
pub fn install() -> anyhow::Result<()> {
    diesel::connection::set_default_instrumentation(hook)
        .map_err(|e| anyhow::anyhow!("installing the statement counter: {e}"))
}

fn hook() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(|event: InstrumentationEvent<'_>| {
        if !COUNTING.load(Ordering::Relaxed) {
            return;
        }
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let text = query.to_string();
            // Diesel shows a query as its SQL followed by `-- binds: […]`.
            let sql = text.split("-- binds").next().unwrap_or_default().trim();
            let mut sent = SENT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            *sent
                .get_or_insert_with(HashMap::new)
                .entry(sql.to_string())
                .or_default() += 1;
        }
    }))
}

/// Starts counting, from zero.
pub fn start() {
    *SENT.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    COUNTING.store(true, Ordering::Relaxed);
}

/// Stops counting and prints the statements per cycle, most frequent first.
pub fn report(cycles: usize) {
    COUNTING.store(false, Ordering::Relaxed);
    let sent = SENT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .take()
        .unwrap_or_default();
    let per_cycle = |n: u64| n as f64 / cycles.max(1) as f64;
    let total: u64 = sent.values().sum();
    println!(
        "statements per cycle: {:.1} ({} distinct)",
        per_cycle(total),
        sent.len()
    );
    let mut rows: Vec<(String, u64)> = sent.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (sql, n) in rows {
        let shown: String = sql.chars().take(100).collect();
        println!("{:8.2}  {shown}", per_cycle(n));
    }
}
