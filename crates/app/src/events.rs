//! Recording and reading the change feed.

use crate::{AppError, Page, PageRequest};
use guildhall_domain::UserId;
use guildhall_domain::events::Event;
use guildhall_domain::events::Parts;
use guildhall_store::DbConnection;
use guildhall_store::repo::events::{self, EventRow};
use serde::Serialize;
use std::cell::RefCell;
use std::sync::atomic::{AtomicI64, Ordering};

thread_local! {
    /// The events of the `App::write` transaction running on this thread, appended just
    /// before it commits; `None` outside one.
    static PENDING: RefCell<Option<Vec<(i64, Event)>>> = const { RefCell::new(None) };
}

/// Records one event of the caller's transaction in the change feed. Inside `App::write` the
/// appends wait until the use case is done, just before the commit, so the feed's append lock
/// is held for the appends and the commit only; anywhere else they happen at once. Evidence
/// reaches the evidence log from the feed, in batches (`crate::evidence::append_pending`).
pub fn record(conn: &mut DbConnection, now: i64, event: Event) -> Result<(), AppError> {
    let deferred = PENDING.with_borrow_mut(|pending| match pending {
        Some(events) => {
            events.push((now, event));
            None
        }
        None => Some(event),
    });
    match deferred {
        Some(event) => append(conn, &[(now, event)]),
        None => Ok(()),
    }
}

/// Collects the events recorded on this thread until [`Deferred::flush`]; dropping it
/// forgets them (the transaction rolled back).
pub(crate) struct Deferred(());

impl Deferred {
    /// Starts collecting.
    pub(crate) fn begin() -> Deferred {
        PENDING.with_borrow_mut(|pending| *pending = Some(Vec::new()));
        Deferred(())
    }

    /// Appends what was collected, in order, inside the transaction; returns whether any of
    /// it changed the skills taxonomy or a skill (which the autocomplete index is built from).
    pub(crate) fn flush(self, conn: &mut DbConnection) -> Result<bool, AppError> {
        let events = PENDING.with_borrow_mut(|pending| pending.take().unwrap_or_default());
        if events.is_empty() {
            return Ok(false);
        }
        append(conn, &events)?;
        Ok(events.iter().any(|(_, e)| changes_skills(e.kind())))
    }
}

impl Drop for Deferred {
    fn drop(&mut self) {
        PENDING.with_borrow_mut(|pending| *pending = None);
    }
}

/// Whether an event of `kind` changes the skills taxonomy or a skill.
pub(crate) fn changes_skills(kind: &str) -> bool {
    kind.starts_with("taxonomy.") || kind.starts_with("skill.")
}

/// On PostgreSQL, serialises appends until the transaction commits, so sequence numbers become
/// visible in order and a node tailing the feed by `seq` never skips an event that commits
/// late. Taken once per transaction, before its first append (SQLite has one writer anyway).
fn serialise_appends(conn: &mut DbConnection) -> Result<(), AppError> {
    if let DbConnection::Postgresql(_) = conn {
        diesel::connection::SimpleConnection::batch_execute(
            conn,
            "SELECT pg_advisory_xact_lock(727170)",
        )?;
    }
    Ok(())
}

/// Appends the events to the change feed, in order, with one statement (the people they
/// concern are told once they are in it: [`crate::notifications`] follows the feed). A job
/// opening to proposals also asks, before the feed's append lock is taken, for the members it
/// fits to be found: on PostgreSQL that lock is held until the commit, and every writer
/// waits for it.
fn append(conn: &mut DbConnection, recorded: &[(i64, Event)]) -> Result<(), AppError> {
    let rows: Vec<events::NewEvent> = recorded
        .iter()
        .map(|(now, event)| {
            let parts = event.parts();
            events::NewEvent {
                id: uuid::Uuid::now_v7().to_string(),
                event_type: event.kind().to_string(),
                actor_id: parts.actor,
                subject_ids: serde_json::Value::from(parts.subjects).to_string(),
                occurred_at: *now,
                payload: parts.data.to_string(),
            }
        })
        .collect();
    for ((now, event), row) in recorded.iter().zip(&rows) {
        crate::notifications::ask_for_fits(conn, *now, event, &row.id)?;
    }
    serialise_appends(conn)?;
    events::append(conn, &rows)?;
    Ok(())
}

/// The most feed events a follower handles in one transaction (`sqlite`: on SQLite). Its
/// transaction's fixed cost (reading where it stands, its commit) is shared by the batch.
/// SQLite takes one writer at a time, so there every write waits out a follower's batch: 64
/// (in the contract benchmark, 4,000 cycles, the evidence log's ratio was 0.330 and 0.321 with
/// 64 against 0.308 and 0.287 with 16 and 0.323 and 0.297 with 256; beside the use cases, 16,000
/// cycles, the cycle p99 was 14.1 ms with 64 against 12.9 with 16). PostgreSQL's followers
/// hold up no writer: 256 (in the same benchmark, four runs in turn, a ratio of 0.475, 0.484,
/// 0.479 and 0.467 against 0.448, 0.429, 0.446 and 0.449 with 64).
pub(crate) fn follower_batch(sqlite: bool) -> u16 {
    if sqlite { 64 } else { 256 }
}

/// Catches a follower of the feed up: runs `step` (which handles at most `batch` of the
/// events after the follower's position and moves it past them) in one write transaction at a
/// time until it handles fewer than `batch`, unless the feed has not moved beyond `through`,
/// the position up to which this process last saw the follower complete. Returns how many
/// events `step` handled.
pub(crate) fn follow(
    app: &crate::App,
    through: &AtomicI64,
    batch: usize,
    mut step: impl FnMut(&mut DbConnection) -> Result<usize, AppError>,
) -> Result<usize, AppError> {
    let head = app.read(|c| Ok(events::last_seq(c)?))?;
    if head <= through.load(Ordering::Acquire) {
        return Ok(0);
    }
    let mut handled = 0;
    loop {
        let (n, head) = app.write(|c| {
            // Read first: every event up to `head` has committed, so the step after it sees
            // each of them.
            let head = events::last_seq(c)?;
            Ok((step(c)?, head))
        })?;
        handled += n;
        if n < batch {
            // The follower is complete up to `head`.
            through.fetch_max(head, Ordering::AcqRel);
            return Ok(handled);
        }
    }
}

/// An event as shown to its actor.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct FeedEvent {
    /// Position in the feed.
    pub seq: i64,
    /// Stable type name.
    pub event_type: String,
    /// Ids concerned.
    pub subject_ids: Vec<String>,
    /// Unix milliseconds.
    pub occurred_at: i64,
    /// Details.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

impl From<events::EventRow> for FeedEvent {
    fn from(row: events::EventRow) -> Self {
        FeedEvent {
            seq: row.seq,
            event_type: row.event_type,
            subject_ids: serde_json::from_str(&row.subject_ids).unwrap_or_default(),
            occurred_at: row.occurred_at,
            payload: serde_json::from_str(&row.payload).unwrap_or(serde_json::Value::Null),
        }
    }
}

impl crate::facades::Accounts<'_> {
    /// The caller's own activity, newest first.
    pub fn my_events(
        &self,
        user_id: UserId,
        page: &PageRequest,
    ) -> Result<Page<FeedEvent>, AppError> {
        let limit = page.limit()?;
        let before =
            match page.key()? {
                Some(k) => Some(k.parse::<i64>().map_err(|_| {
                    AppError::field("/cursor", "is not a cursor this server gave out")
                })?),
                None => None,
            };
        let rows = self.read(|c| Ok(events::by_actor(c, user_id, before, limit + 1)?))?;
        Ok(Page::from_rows(rows, limit, |r| r.seq.to_string()).map(FeedEvent::from))
    }
}

impl crate::facades::Instance<'_> {
    /// Appends one benchmark event in a transaction of its own: the cheapest write there is,
    /// the baseline `guildhall bench contracts` compares the contract use cases with.
    pub fn bench_baseline(&self, i: u64) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            record(
                c,
                now,
                guildhall_domain::events::Event::BenchBaseline(
                    guildhall_domain::events::BenchBaseline { i },
                ),
            )
        })
    }
}

/// The typed event a feed row holds.
pub(crate) fn typed(row: &EventRow) -> Result<Event, AppError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        AppError::internal(format!("feed event {} reads wrong: {e}", row.seq))
    };
    let parts = Parts {
        actor: row.actor_id.clone(),
        subjects: serde_json::from_str(&row.subject_ids).map_err(|e| unreadable(&e))?,
        data: serde_json::from_str(&row.payload).map_err(|e| unreadable(&e))?,
        parties: Vec::new(),
    };
    Event::from_parts(&row.event_type, &parts).map_err(|e| unreadable(&e))
}

#[cfg(test)]
mod tests {
    use super::record;
    use crate::AppError;
    use crate::testing::app;
    use guildhall_domain::events::{BenchBaseline, Event};
    use guildhall_store::repo::events;
    use guildhall_store::testdb::TestDb;

    #[test]
    fn a_writes_events_are_appended_at_its_commit_and_forgotten_with_its_rollback() {
        let db = TestDb::sqlite().unwrap();
        let app = app(&db);
        let count = || app.read(|c| Ok(events::count(c)?)).unwrap();
        let before = count();
        let refused: Result<(), AppError> = app.write(|c| {
            record(c, 1, Event::BenchBaseline(BenchBaseline { i: 1 }))?;
            Err(AppError::internal("the use case fails after recording"))
        });
        assert!(refused.is_err());
        app.write(|_| Ok(())).unwrap();
        assert_eq!(
            count(),
            before,
            "nothing of the failed write reaches the feed"
        );
        app.write(|c| {
            record(c, 2, Event::BenchBaseline(BenchBaseline { i: 2 }))?;
            record(c, 3, Event::BenchBaseline(BenchBaseline { i: 3 }))
        })
        .unwrap();
        assert_eq!(count(), before + 2);
    }
}
