//! Learning resources and completions.

use crate::schema::{learning_resources as resources, resource_completions as completions};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// A learning resource row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = resources)]
pub struct ResourceRow {
    /// UUIDv7.
    pub id: String,
    /// Community.
    pub community_id: String,
    /// What the resource is called, as the curator typed it (3 to 200 characters).
    pub title: String,
    /// Link.
    pub url: String,
    /// Who offers it.
    pub provider: String,
    /// Skill ids, JSON array.
    pub skills: String,
    /// Cost in minor units.
    pub cost_minor: i64,
    /// ISO 4217 code, empty when free.
    pub currency: String,
    /// Length.
    pub duration_minutes: Option<i32>,
    /// Curator who added it.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub created_by: UserId,
    /// Creation time.
    pub created_at: Millis,
    /// Removal time.
    pub removed_at: Option<Millis>,
}

/// Adds a resource.
pub fn insert(conn: &mut DbConnection, row: &ResourceRow) -> Result<(), StoreError> {
    diesel::insert_into(resources::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One resource, removed or not.
pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<ResourceRow>, StoreError> {
    Ok(resources::table
        .find(id)
        .select(ResourceRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A community's catalogue, by title.
pub fn of_community(
    conn: &mut DbConnection,
    community_id: &str,
) -> Result<Vec<ResourceRow>, StoreError> {
    Ok(resources::table
        .filter(resources::community_id.eq(community_id))
        .filter(resources::removed_at.is_null())
        .order((resources::title, resources::id))
        .select(ResourceRow::as_select())
        .load(conn)?)
}

/// Takes a resource out of the catalogue (completions are kept).
pub fn remove(conn: &mut DbConnection, id: &str, now: Millis) -> Result<(), StoreError> {
    diesel::update(resources::table.find(id))
        .set(resources::removed_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Records or updates a completion.
pub fn complete(
    conn: &mut DbConnection,
    resource_id: &str,
    user_id: UserId,
    completed_on: &str,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::delete(completions::table.find((resource_id, user_id.to_string()))).execute(conn)?;
    diesel::insert_into(completions::table)
        .values((
            completions::resource_id.eq(resource_id),
            completions::user_id.eq(user_id.to_string()),
            completions::completed_on.eq(completed_on),
            completions::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Completions of these resources: (resource id, user id, date).
pub fn completions_of(
    conn: &mut DbConnection,
    resource_ids: &[String],
) -> Result<Vec<(String, String, String)>, StoreError> {
    Ok(completions::table
        .filter(completions::resource_id.eq_any(resource_ids))
        .select((
            completions::resource_id,
            completions::user_id,
            completions::completed_on,
        ))
        .load(conn)?)
}
