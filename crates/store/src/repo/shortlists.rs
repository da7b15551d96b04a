//! Curators' shortlists for clients' jobs, and talent searches clients keep.

use crate::schema::{saved_searches, shortlist_entries};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// A member a curator put forward for a job.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = shortlist_entries)]
pub struct ShortlistRow {
    /// The entry's id (UUIDv7).
    pub id: String,
    /// The job.
    pub job_id: String,
    /// The member put forward.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub member_id: UserId,
    /// The community the curator acts for (the member belongs to it).
    pub community_id: String,
    /// The curator.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub curator_id: UserId,
    /// The curator's note to the client.
    pub note: String,
    /// When it was added.
    pub created_at: Millis,
}

/// Adds an entry; `false` when the member is already on the job's shortlist.
pub fn insert(conn: &mut DbConnection, row: &ShortlistRow) -> Result<bool, StoreError> {
    let taken: i64 = shortlist_entries::table
        .filter(shortlist_entries::job_id.eq(&row.job_id))
        .filter(shortlist_entries::member_id.eq(row.member_id.to_string()))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Ok(false);
    }
    diesel::insert_into(shortlist_entries::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(true)
}

/// A job's shortlist, oldest first.
pub fn of_job(conn: &mut DbConnection, job_id: &str) -> Result<Vec<ShortlistRow>, StoreError> {
    Ok(shortlist_entries::table
        .filter(shortlist_entries::job_id.eq(job_id))
        .order(shortlist_entries::id.asc())
        .select(ShortlistRow::as_select())
        .load(conn)?)
}

/// One entry.
pub fn entry(conn: &mut DbConnection, id: &str) -> Result<Option<ShortlistRow>, StoreError> {
    Ok(shortlist_entries::table
        .find(id)
        .select(ShortlistRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Removes an entry.
pub fn remove(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    diesel::delete(shortlist_entries::table.find(id)).execute(conn)?;
    Ok(())
}

/// A talent search a client keeps.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = saved_searches)]
pub struct SavedSearchRow {
    /// The search's id (UUIDv7).
    pub id: String,
    /// Whose it is.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    /// The client's name for it.
    pub name: String,
    /// What it asks, as JSON.
    pub wanted: String,
    /// When it was saved.
    pub created_at: Millis,
    /// When it last changed.
    pub updated_at: Millis,
}

/// Saves a new search.
pub fn insert_search(conn: &mut DbConnection, row: &SavedSearchRow) -> Result<(), StoreError> {
    diesel::insert_into(saved_searches::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// A client's saved searches, newest first.
pub fn searches_of(
    conn: &mut DbConnection,
    user: UserId,
) -> Result<Vec<SavedSearchRow>, StoreError> {
    Ok(saved_searches::table
        .filter(saved_searches::user_id.eq(user.to_string()))
        .order(saved_searches::id.desc())
        .select(SavedSearchRow::as_select())
        .load(conn)?)
}

/// One saved search.
pub fn search(conn: &mut DbConnection, id: &str) -> Result<Option<SavedSearchRow>, StoreError> {
    Ok(saved_searches::table
        .find(id)
        .select(SavedSearchRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Removes a saved search.
pub fn remove_search(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    diesel::delete(saved_searches::table.find(id)).execute(conn)?;
    Ok(())
}
