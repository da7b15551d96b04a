//! The durable queue of background work: enqueue inside the transaction that asks for the
//! work, claim what is due for a lease, then mark it done, or retry it later, or give up.

use crate::schema::tasks;
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;

/// A task waiting to run.
pub const QUEUED: &str = "queued";
/// A task that ran.
pub const DONE: &str = "done";
/// A task given up after its last attempt.
pub const FAILED: &str = "failed";

/// A task row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = tasks)]
pub struct TaskRow {
    /// UUIDv7.
    pub id: String,
    /// What to do, such as `mail`.
    pub kind: String,
    /// JSON.
    pub payload: String,
    /// `queued`, `done` or `failed`.
    pub state: String,
    /// Claims so far, the running one included.
    pub attempts: i32,
    /// Not before.
    pub run_at: Millis,
    /// Held by a worker until.
    pub leased_until: Option<Millis>,
    /// Why the last attempt failed.
    pub last_error: String,
    /// When asked for.
    pub created_at: Millis,
    /// When it ran or was given up.
    pub finished_at: Option<Millis>,
}

/// Adds a task.
pub fn enqueue(conn: &mut DbConnection, row: &TaskRow) -> Result<(), StoreError> {
    crate::db::native!(conn, |c| diesel::insert_into(tasks::table)
        .values(row.clone())
        .execute(c))?;
    Ok(())
}

/// Adds tasks: on PostgreSQL in one statement, on SQLite one kept statement per task.
pub fn enqueue_all(conn: &mut DbConnection, rows: &[TaskRow]) -> Result<(), StoreError> {
    crate::db::insert_rows!(conn, tasks::table, rows.to_vec(), tasks::id => String);
    Ok(())
}

/// Claims at most `limit` due tasks of `kind` until `leased_until`, oldest first, counting an
/// attempt for each. On PostgreSQL the rows are locked `FOR UPDATE SKIP LOCKED` while they are
/// claimed, so workers on several nodes never claim the same task; the lease keeps them apart
/// afterwards. Call inside a write transaction.
pub fn claim(
    conn: &mut DbConnection,
    kind: &str,
    now: Millis,
    leased_until: Millis,
    limit: i64,
) -> Result<Vec<TaskRow>, StoreError> {
    let due = tasks::table
        .filter(tasks::state.eq(QUEUED))
        .filter(tasks::kind.eq(kind))
        .filter(tasks::run_at.le(now))
        .filter(
            tasks::leased_until
                .is_null()
                .or(tasks::leased_until.le(now)),
        )
        .order((tasks::run_at, tasks::id))
        .limit(limit)
        .select(tasks::id);
    let ids: Vec<String> = match conn {
        DbConnection::Sqlite(c) => due.load(c)?,
        DbConnection::Postgresql(c) => due.for_update().skip_locked().load(c)?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(tasks::table.filter(tasks::id.eq_any(&ids)))
        .set((
            tasks::leased_until.eq(leased_until),
            tasks::attempts.eq(tasks::attempts + 1),
        ))
        .execute(conn)?;
    Ok(tasks::table
        .filter(tasks::id.eq_any(&ids))
        .order((tasks::run_at, tasks::id))
        .select(TaskRow::as_select())
        .load(conn)?)
}

/// Marks a task done.
pub fn done(conn: &mut DbConnection, id: &str, now: Millis) -> Result<(), StoreError> {
    diesel::update(tasks::table.find(id))
        .set((
            tasks::state.eq(DONE),
            tasks::leased_until.eq(None::<Millis>),
            tasks::finished_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt: the task runs again at `retry_at`, or, when `None`, is given up.
pub fn failed(
    conn: &mut DbConnection,
    id: &str,
    error: &str,
    retry_at: Option<Millis>,
    now: Millis,
) -> Result<(), StoreError> {
    let target = tasks::table.find(id);
    match retry_at {
        Some(at) => diesel::update(target)
            .set((
                tasks::run_at.eq(at),
                tasks::leased_until.eq(None::<Millis>),
                tasks::last_error.eq(error),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((
                tasks::state.eq(FAILED),
                tasks::leased_until.eq(None::<Millis>),
                tasks::last_error.eq(error),
                tasks::finished_at.eq(now),
            ))
            .execute(conn)?,
    };
    Ok(())
}

/// Tasks waiting to run, and tasks given up: (queued, failed).
pub fn depth(conn: &mut DbConnection) -> Result<(i64, i64), StoreError> {
    let count = |conn: &mut DbConnection, state: &str| -> Result<i64, StoreError> {
        Ok(tasks::table
            .filter(tasks::state.eq(state))
            .count()
            .get_result(conn)?)
    };
    Ok((count(conn, QUEUED)?, count(conn, FAILED)?))
}

/// One task.
pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<TaskRow>, StoreError> {
    Ok(tasks::table
        .find(id)
        .select(TaskRow::as_select())
        .get_result(conn)
        .optional()?)
}
