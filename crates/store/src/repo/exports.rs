//! Members' full exports: their state while prepared, and where the archive is kept.

use crate::schema::exports;
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// An export.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = exports)]
pub struct ExportRow {
    /// UUIDv7.
    pub id: String,
    /// Whose.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    /// queued, running, ready or failed.
    pub status: String,
    /// 0 to 100.
    pub progress: i32,
    /// What it is doing, in words.
    pub step: String,
    /// Where the archive is kept, once ready.
    pub file_key: Option<String>,
    /// The archive's bytes.
    pub size: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
    /// When it was asked for.
    pub created_at: Millis,
    /// When it was ready or failed.
    pub finished_at: Option<Millis>,
}

/// Adds an export.
pub fn insert(conn: &mut DbConnection, row: &ExportRow) -> Result<(), StoreError> {
    diesel::insert_into(exports::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One export.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<ExportRow>, StoreError> {
    Ok(exports::table
        .find(id)
        .select(ExportRow::as_select())
        .first(conn)
        .optional()?)
}

/// A member's newest exports, newest first.
pub fn of_user(
    conn: &mut DbConnection,
    user: UserId,
    limit: i64,
) -> Result<Vec<ExportRow>, StoreError> {
    Ok(exports::table
        .filter(exports::user_id.eq(user.to_string()))
        .order((exports::created_at.desc(), exports::id.desc()))
        .limit(limit)
        .select(ExportRow::as_select())
        .load(conn)?)
}

/// Saves an export's state.
pub fn update(conn: &mut DbConnection, row: &ExportRow) -> Result<(), StoreError> {
    diesel::update(exports::table.find(&row.id))
        .set((
            exports::status.eq(&row.status),
            exports::progress.eq(row.progress),
            exports::step.eq(&row.step),
            exports::file_key.eq(&row.file_key),
            exports::size.eq(row.size),
            exports::error.eq(&row.error),
            exports::finished_at.eq(row.finished_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks every archive of `user` but `keep` as replaced and answers their file-store keys, for
/// the caller to delete: a member keeps one archive, the newest.
pub fn replace_older(
    conn: &mut DbConnection,
    user: UserId,
    keep: &str,
) -> Result<Vec<String>, StoreError> {
    let older = || {
        exports::table
            .filter(exports::user_id.eq(user.to_string()))
            .filter(exports::id.ne(keep))
            .filter(exports::file_key.is_not_null())
    };
    let keys: Vec<String> = older()
        .select(exports::file_key.assume_not_null())
        .load(conn)?;
    diesel::update(older())
        .set((
            exports::status.eq("replaced"),
            exports::step.eq("Replaced by a newer archive"),
            exports::file_key.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(keys)
}
