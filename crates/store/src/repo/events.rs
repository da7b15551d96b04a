//! The change feed: one row per state change, written in the transaction that made it.

use crate::schema::domain_events;
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// An event to record.
#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = domain_events)]
pub struct NewEvent {
    /// UUIDv7.
    pub id: String,
    /// Stable type name, e.g. `profile.item_added`.
    pub event_type: String,
    /// Who caused it (none for system jobs).
    pub actor_id: Option<String>,
    /// JSON array of the ids it concerns.
    pub subject_ids: String,
    /// When.
    pub occurred_at: Millis,
    /// JSON payload.
    pub payload: String,
}

/// A recorded event.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = domain_events)]
pub struct EventRow {
    /// Position in the feed; increases with every event.
    pub seq: i64,
    /// UUIDv7.
    pub id: String,
    /// Stable type name.
    pub event_type: String,
    /// Who caused it.
    pub actor_id: Option<String>,
    /// JSON array of ids.
    pub subject_ids: String,
    /// When.
    pub occurred_at: Millis,
    /// JSON payload.
    pub payload: String,
}

/// Appends events in their order (on PostgreSQL with one statement).
pub fn append(conn: &mut DbConnection, events: &[NewEvent]) -> Result<(), StoreError> {
    crate::db::insert_rows!(conn, domain_events::table, events, domain_events::seq => i64);
    Ok(())
}

/// What a node following the feed needs of an event: which caches it touches.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = domain_events)]
pub struct EventHead {
    /// Position in the feed.
    pub seq: i64,
    /// Stable type name.
    pub event_type: String,
    /// Who caused it.
    pub actor_id: Option<String>,
    /// JSON array of ids.
    pub subject_ids: String,
}

/// At most `limit` events after `after_seq`, oldest first, as `$row` selects them: how the
/// feed's followers read it, each in one statement the connection keeps prepared.
macro_rules! following {
    ($conn:expr, $row:ty, $after_seq:expr, $limit:expr) => {
        crate::db::native!($conn, |c| domain_events::table
            .filter(domain_events::seq.gt($after_seq))
            .order(domain_events::seq)
            .limit(i64::from($limit))
            .select(<$row>::as_select())
            .load(c))
    };
}

/// The heads of at most `limit` events after `after_seq`, oldest first: how a node's profile
/// cache follows the feed (after this node's writes and other nodes').
pub fn heads_after(
    conn: &mut DbConnection,
    after_seq: i64,
    limit: u16,
) -> Result<Vec<EventHead>, StoreError> {
    Ok(following!(conn, EventHead, after_seq, limit)?)
}

/// At most `limit` events after `after_seq`, oldest first: what a follower of the whole feed
/// (the notifications) has yet to handle.
pub fn after(
    conn: &mut DbConnection,
    after_seq: i64,
    limit: u16,
) -> Result<Vec<EventRow>, StoreError> {
    Ok(following!(conn, EventRow, after_seq, limit)?)
}

/// Events caused by `actor_id`, newest first, before `before_seq`.
pub fn by_actor(
    conn: &mut DbConnection,
    actor_id: UserId,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<Vec<EventRow>, StoreError> {
    let mut q = domain_events::table
        .filter(domain_events::actor_id.eq(actor_id.to_string()))
        .order(domain_events::seq.desc())
        .limit(limit)
        .select(EventRow::as_select())
        .into_boxed();
    if let Some(before) = before_seq {
        q = q.filter(domain_events::seq.lt(before));
    }
    Ok(q.load(conn)?)
}

/// The statement of [`of_kinds_after`], apart so a test can ask SQLite how it runs it. The
/// kinds are compared as `event_type || ''`, which no index covers: otherwise SQLite reads
/// every event of those kinds ever recorded through `domain_events_kind_time` and sorts them
/// all, each time, instead of reading forward from `after_seq` along the feed's own order.
macro_rules! kinds_after {
    ($kinds:expr, $after_seq:expr, $limit:expr) => {
        domain_events::table
            .filter(domain_events::seq.gt($after_seq))
            .filter(domain_events::event_type.concat("").eq_any($kinds))
            .order(domain_events::seq)
            .limit($limit)
            .select(EventRow::as_select())
    };
}

/// At most `limit` events of the `kinds` after `after_seq`, oldest first: what the evidence
/// log has yet to append.
pub fn of_kinds_after(
    conn: &mut DbConnection,
    kinds: &[&str],
    after_seq: i64,
    limit: i64,
) -> Result<Vec<EventRow>, StoreError> {
    Ok(kinds_after!(kinds, after_seq, limit).load(conn)?)
}

/// The statement of [`of_kinds_between`], apart so a test can ask SQLite how it runs it. It
/// reads the period's events of those kinds through `domain_events_kind_time`. On a feed of a
/// million events over three years, four in ten of the counted kinds (Python's `sqlite3`), a
/// month's took 70 ms so against 411 ms reading the whole feed; a year's 840 ms against 718.
macro_rules! kinds_between {
    ($kinds:expr, $from:expr, $to:expr) => {
        domain_events::table
            .filter(domain_events::event_type.eq_any($kinds))
            .filter(domain_events::occurred_at.ge($from))
            .filter(domain_events::occurred_at.lt($to))
            .order(domain_events::seq)
            .select(EventRow::as_select())
    };
}

/// The events of the `kinds` that occurred in `[from, to)`, oldest first: what a period's
/// points are counted from.
pub fn of_kinds_between(
    conn: &mut DbConnection,
    kinds: &[&str],
    from: Millis,
    to: Millis,
) -> Result<Vec<EventRow>, StoreError> {
    Ok(kinds_between!(kinds, from, to).load(conn)?)
}

/// The event `id`.
pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<EventRow>, StoreError> {
    Ok(domain_events::table
        .filter(domain_events::id.eq(id))
        .select(EventRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// The position in the feed of the event `id`.
pub fn seq_of(conn: &mut DbConnection, id: &str) -> Result<Option<i64>, StoreError> {
    Ok(domain_events::table
        .filter(domain_events::id.eq(id))
        .select(domain_events::seq)
        .get_result(conn)
        .optional()?)
}

/// How many events exist.
pub fn count(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(domain_events::table.count().get_result(conn)?)
}

/// The newest sequence number, or 0 for an empty feed.
pub fn last_seq(conn: &mut DbConnection) -> Result<i64, StoreError> {
    let max: Option<i64> = domain_events::table
        .select(diesel::dsl::max(domain_events::seq))
        .get_result(conn)?;
    Ok(max.unwrap_or(0))
}

/// Every event that names `user` as its actor, among its subjects or in its data, in order
/// (a scan: erasure is rare, and an event may name a member anywhere in its data).
pub fn mentioning(conn: &mut DbConnection, user: UserId) -> Result<Vec<EventRow>, StoreError> {
    let id = user.to_string();
    let pattern = super::jobs::containing(&id);
    Ok(domain_events::table
        .filter(
            domain_events::actor_id
                .eq(&id)
                .or(domain_events::subject_ids.like(&pattern).escape('\\'))
                .or(domain_events::payload.like(&pattern).escape('\\')),
        )
        .order(domain_events::seq)
        .select(EventRow::as_select())
        .load(conn)?)
}

/// Rewrites an event's data (erasure takes personal text out of it).
pub fn set_payload(conn: &mut DbConnection, seq: i64, payload: &str) -> Result<(), StoreError> {
    diesel::update(domain_events::table.find(seq))
        .set(domain_events::payload.eq(payload))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::tests::sqlite_plan as plan;
    use crate::testdb::TestDb;

    /// A use case's events go in with one statement on PostgreSQL; diesel would prepare it
    /// anew at each run (the number of rows varies), so it is kept, one per number of rows.
    #[test]
    fn appending_events_is_prepared_once_per_number_of_events() {
        for db in TestDb::all() {
            let mut c = db.pool().get().unwrap();
            let prepared = crate::db::tests::count_prepared(&mut c, "INSERT");
            let event = |i: i64| NewEvent {
                id: uuid::Uuid::now_v7().to_string(),
                event_type: "bench.baseline".into(),
                actor_id: None,
                subject_ids: "[]".into(),
                occurred_at: i,
                payload: format!("{{\"i\":{i}}}"),
            };
            for i in 0..3 {
                append(&mut c, &[event(i), event(i)]).unwrap();
            }
            assert_eq!(last_seq(&mut c).unwrap(), 6, "{:?}", db.backend);
            // SQLite steps one kept statement per row.
            let kept = prepared.load(std::sync::atomic::Ordering::Relaxed);
            assert_eq!(kept, 1, "{:?}", db.backend);
        }
    }

    #[test]
    fn the_evidence_log_reads_forward_along_the_feed_not_through_every_event_of_its_kinds() {
        let kinds = ["contract.completed", "milestone.released"];
        let steps = plan(&kinds_after!(&kinds, 7, 16));
        assert!(
            steps
                .iter()
                .any(|s| s.contains("INTEGER PRIMARY KEY (rowid>?)")),
            "{steps:?}"
        );
        assert!(
            !steps.iter().any(|s| s.contains("TEMP B-TREE")),
            "{steps:?}"
        );
    }

    #[test]
    fn a_periods_points_read_the_events_of_their_kinds_in_the_period_not_the_whole_feed() {
        let kinds = ["work.milestone_released", "work.referral_hired"];
        let steps = plan(&kinds_between!(&kinds, 7, 9));
        assert!(
            steps.iter().any(|s| s.contains("domain_events_kind_time")
                && s.contains("event_type=?")
                && s.contains("occurred_at>?")),
            "{steps:?}"
        );
    }

    #[test]
    fn events_of_some_kinds_after_a_place_come_oldest_first_and_stop_at_the_limit() {
        for db in TestDb::all() {
            let mut c = db.pool().get().unwrap();
            let event = |i: usize, kind: &str| NewEvent {
                id: uuid::Uuid::now_v7().to_string(),
                event_type: kind.into(),
                actor_id: None,
                subject_ids: "[]".into(),
                occurred_at: i as i64,
                payload: format!("{{\"i\":{i}}}"),
            };
            let kinds = ["a.wanted", "b.wanted", "c.other"];
            let rows: Vec<NewEvent> = (0..9).map(|i| event(i, kinds[i % 3])).collect();
            append(&mut c, &rows).unwrap();
            let all = heads_after(&mut c, 0, 100).unwrap();
            assert_eq!(all.len(), 9);
            let wanted = of_kinds_after(&mut c, &kinds[..2], all[1].seq, 3).unwrap();
            let at: Vec<i64> = wanted.iter().map(|e| e.occurred_at).collect();
            assert_eq!(at, [3, 4, 6], "{:?}", db.backend);
            let heads = heads_after(&mut c, all[6].seq, 100).unwrap();
            let types: Vec<&str> = heads.iter().map(|h| h.event_type.as_str()).collect();
            assert_eq!(types, ["b.wanted", "c.other"]);
        }
    }
}
