//! Liquidity snapshots: one a day per scope (the instance, each community) and skill.

use crate::schema::liquidity_snapshots as snapshots;
use crate::{DbConnection, StoreError};
use diesel::prelude::*;

/// The scope of the instance as a whole.
pub const INSTANCE: &str = "";

/// A skill's demand and supply in one scope on one day.
#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = snapshots)]
pub struct SnapshotRow {
    /// The day, `YYYY-MM-DD` (UTC).
    pub taken_on: String,
    /// [`INSTANCE`], or a community's id.
    pub scope: String,
    /// The skill.
    pub skill_id: String,
    /// Open hours in the window, in tenths.
    pub demand_tenths: i64,
    /// Jobs behind them.
    pub jobs: i32,
    /// Free hours in the window, in tenths.
    pub supply_tenths: i64,
    /// Members behind them.
    pub members: i32,
}

/// Whether the day's snapshot was taken.
pub fn taken(conn: &mut DbConnection, day: &str) -> Result<bool, StoreError> {
    let n: i64 = snapshots::table
        .filter(snapshots::taken_on.eq(day))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Stores a day's rows.
pub fn insert(conn: &mut DbConnection, rows: &[SnapshotRow]) -> Result<(), StoreError> {
    // Row by row: one backend-neutral statement, inside the caller's transaction.
    for row in rows {
        diesel::insert_into(snapshots::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// The newest day with a snapshot of `scope`.
pub fn latest_day(conn: &mut DbConnection, scope: &str) -> Result<Option<String>, StoreError> {
    Ok(snapshots::table
        .filter(snapshots::scope.eq(scope))
        .select(diesel::dsl::max(snapshots::taken_on))
        .first::<Option<String>>(conn)?)
}

/// A scope's rows from `since` on (a day), oldest first; only `skills` when given.
pub fn of_scope(
    conn: &mut DbConnection,
    scope: &str,
    since: &str,
    skills: Option<&[String]>,
) -> Result<Vec<SnapshotRow>, StoreError> {
    let mut q = snapshots::table
        .filter(snapshots::scope.eq(scope))
        .filter(snapshots::taken_on.ge(since))
        .into_boxed();
    if let Some(ids) = skills {
        q = q.filter(snapshots::skill_id.eq_any(ids.to_vec()));
    }
    Ok(q.order((snapshots::taken_on, snapshots::skill_id))
        .select(SnapshotRow::as_select())
        .load(conn)?)
}
