//! Personas and their item selections.

use crate::schema::{persona_items, personas};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// A persona row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = personas)]
pub struct PersonaRow {
    /// UUIDv7.
    pub id: String,
    /// Owner.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub owner_id: UserId,
    /// What the owner calls the persona, e.g. "Data engineer" (1 to 60 characters).
    pub name: String,
    /// Shown through the persona (at most 140 characters); empty falls back to the profile's.
    pub headline: String,
    /// Markdown shown through the persona; empty falls back to the profile's summary.
    pub summary: String,
    /// Secret part of the unlisted link.
    pub link_token: String,
    /// Audience the link stands for.
    pub link_audience: String,
    /// Creation time.
    pub created_at: Millis,
    /// Last change.
    pub updated_at: Millis,
}

/// Adds a persona.
pub fn insert(conn: &mut DbConnection, row: &PersonaRow) -> Result<(), StoreError> {
    diesel::insert_into(personas::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Rewrites a persona's fields.
pub fn update(conn: &mut DbConnection, row: &PersonaRow) -> Result<(), StoreError> {
    diesel::update(personas::table.find(&row.id))
        .set((
            personas::name.eq(&row.name),
            personas::headline.eq(&row.headline),
            personas::summary.eq(&row.summary),
            personas::link_audience.eq(&row.link_audience),
            personas::link_token.eq(&row.link_token),
            personas::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Replaces a persona's item selection.
pub fn set_items(
    conn: &mut DbConnection,
    persona_id: &str,
    item_ids: &[String],
) -> Result<(), StoreError> {
    diesel::delete(persona_items::table.filter(persona_items::persona_id.eq(persona_id)))
        .execute(conn)?;
    for (position, item_id) in item_ids.iter().enumerate() {
        diesel::insert_into(persona_items::table)
            .values((
                persona_items::persona_id.eq(persona_id),
                persona_items::item_id.eq(item_id),
                persona_items::position.eq(position as i32),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The selected item ids of a persona, in order.
pub fn items_of(conn: &mut DbConnection, persona_id: &str) -> Result<Vec<String>, StoreError> {
    Ok(persona_items::table
        .filter(persona_items::persona_id.eq(persona_id))
        .order(persona_items::position)
        .select(persona_items::item_id)
        .load(conn)?)
}

/// Every persona of an owner, oldest first.
pub fn of_owner(conn: &mut DbConnection, owner_id: UserId) -> Result<Vec<PersonaRow>, StoreError> {
    Ok(personas::table
        .filter(personas::owner_id.eq(owner_id.to_string()))
        .order(personas::id)
        .select(PersonaRow::as_select())
        .load(conn)?)
}

/// One persona of an owner.
pub fn of_owner_by_id(
    conn: &mut DbConnection,
    owner_id: UserId,
    id: &str,
) -> Result<Option<PersonaRow>, StoreError> {
    Ok(personas::table
        .find(id)
        .filter(personas::owner_id.eq(owner_id.to_string()))
        .select(PersonaRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// The persona an unlisted link opens.
pub fn by_link(conn: &mut DbConnection, token: &str) -> Result<Option<PersonaRow>, StoreError> {
    Ok(personas::table
        .filter(personas::link_token.eq(token))
        .select(PersonaRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Removes a persona of an owner; returns whether it existed.
pub fn delete(conn: &mut DbConnection, owner_id: UserId, id: &str) -> Result<bool, StoreError> {
    diesel::delete(persona_items::table.filter(persona_items::persona_id.eq(id))).execute(conn)?;
    let n = diesel::delete(
        personas::table
            .find(id)
            .filter(personas::owner_id.eq(owner_id.to_string())),
    )
    .execute(conn)?;
    Ok(n == 1)
}
