//! Profile items. `data` is the item's JSON; `audiences` is the space-separated audience list.

use crate::schema::profile_items;
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// A profile item row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = profile_items)]
pub struct ItemRow {
    /// UUIDv7.
    pub id: String,
    /// Owner.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub owner_id: UserId,
    /// `display_name`, `headline`, `work`, ...
    pub kind: String,
    /// Order on the profile.
    pub position: i32,
    /// Space-separated audiences.
    pub audiences: String,
    /// The item's JSON.
    pub data: String,
    /// Creation time.
    pub created_at: Millis,
    /// Last change.
    pub updated_at: Millis,
}

/// Adds an item, and its search document.
pub fn insert(conn: &mut DbConnection, row: &ItemRow) -> Result<(), StoreError> {
    diesel::insert_into(profile_items::table)
        .values(row.clone())
        .execute(conn)?;
    index(conn, row, false)
}

/// Keeps the item's search document in step with it: every write of an item goes through
/// `insert` or `update`, so search never sees stale words or audiences. A new item has no
/// document to replace yet.
fn index(conn: &mut DbConnection, row: &ItemRow, replacing: bool) -> Result<(), StoreError> {
    let data: guildhall_domain::profile::ItemData = serde_json::from_str(&row.data)
        .map_err(|e| StoreError::Corrupt(format!("item {}: {e}", row.id)))?;
    let doc =
        guildhall_domain::search::document(&data).map(|(body, skill_id)| super::search::DocRow {
            item_id: row.id.clone(),
            owner_id: row.owner_id.to_string(),
            kind: row.kind.clone(),
            audiences: row.audiences.clone(),
            skill_id,
            body,
        });
    match (replacing, doc) {
        (true, doc) => super::search::put(conn, &row.id, doc.as_ref()),
        (false, Some(doc)) => super::search::add(conn, &doc),
        (false, None) => Ok(()),
    }
}

/// Every item of an owner, in profile order.
pub fn of_owner(conn: &mut DbConnection, owner_id: UserId) -> Result<Vec<ItemRow>, StoreError> {
    Ok(profile_items::table
        .filter(profile_items::owner_id.eq(owner_id.to_string()))
        .order((profile_items::position, profile_items::id))
        .select(ItemRow::as_select())
        .load(conn)?)
}

/// One item of an owner.
pub fn of_owner_by_id(
    conn: &mut DbConnection,
    owner_id: UserId,
    id: &str,
) -> Result<Option<ItemRow>, StoreError> {
    Ok(profile_items::table
        .find(id)
        .filter(profile_items::owner_id.eq(owner_id.to_string()))
        .select(ItemRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// The next free position at the end of an owner's profile.
pub fn next_position(conn: &mut DbConnection, owner_id: UserId) -> Result<i32, StoreError> {
    let max: Option<i32> = profile_items::table
        .filter(profile_items::owner_id.eq(owner_id.to_string()))
        .select(diesel::dsl::max(profile_items::position))
        .get_result(conn)?;
    Ok(max.map_or(0, |m| m + 1))
}

/// Rewrites an item's content, audiences and position, and its search document.
pub fn update(conn: &mut DbConnection, row: &ItemRow) -> Result<(), StoreError> {
    diesel::update(profile_items::table.find(&row.id))
        .set((
            profile_items::kind.eq(&row.kind),
            profile_items::position.eq(row.position),
            profile_items::audiences.eq(&row.audiences),
            profile_items::data.eq(&row.data),
            profile_items::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    index(conn, row, true)
}

/// Removes an item of an owner; returns whether it existed.
pub fn delete(conn: &mut DbConnection, owner_id: UserId, id: &str) -> Result<bool, StoreError> {
    let n = diesel::delete(
        profile_items::table
            .find(id)
            .filter(profile_items::owner_id.eq(owner_id.to_string())),
    )
    .execute(conn)?;
    Ok(n == 1)
}

/// The data and audiences of every item of one kind, across all members (for usage counts).
pub fn data_of_kind(
    conn: &mut DbConnection,
    kind: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(profile_items::table
        .filter(profile_items::kind.eq(kind))
        .select((profile_items::data, profile_items::audiences))
        .load(conn)?)
}

/// Skill claims that name `skill_id`, found through the search documents' index by skill
/// (every item write keeps its document in step), never by scanning every claim's text.
pub fn claims_of_skill(
    conn: &mut DbConnection,
    skill_id: &str,
) -> Result<Vec<ItemRow>, StoreError> {
    let naming = crate::schema::search_docs::table
        .filter(crate::schema::search_docs::skill_id.eq(skill_id))
        .select(crate::schema::search_docs::item_id);
    Ok(profile_items::table
        .filter(profile_items::kind.eq("skill"))
        .filter(profile_items::id.eq_any(naming))
        .select(ItemRow::as_select())
        .load(conn)?)
}

/// When each of `owners` first claimed `skill_id`: (owner, the earliest claim's creation
/// time). The owners' documents are read first: a few each through the owner index, where the
/// skill's index would walk every claim of a skill thousands hold.
pub fn first_claims_by(
    conn: &mut DbConnection,
    skill_id: &str,
    owners: &[UserId],
) -> Result<Vec<(UserId, Millis)>, StoreError> {
    use crate::schema::search_docs as docs;
    let owners: Vec<String> = owners.iter().map(UserId::to_string).collect();
    let claims: Vec<String> = docs::table
        .filter(docs::owner_id.eq_any(&owners))
        .filter(docs::skill_id.is_not_null())
        .select((docs::item_id, docs::skill_id))
        .load::<(String, Option<String>)>(conn)?
        .into_iter()
        .filter(|(_, skill)| skill.as_deref() == Some(skill_id))
        .map(|(item, _)| item)
        .collect();
    let rows: Vec<(String, Millis)> = profile_items::table
        .filter(profile_items::kind.eq("skill"))
        .filter(profile_items::id.eq_any(claims))
        .select((profile_items::owner_id, profile_items::created_at))
        .load(conn)?;
    let mut first: std::collections::BTreeMap<String, Millis> = std::collections::BTreeMap::new();
    for (owner, at) in rows {
        let earliest = first.entry(owner).or_insert(at);
        *earliest = (*earliest).min(at);
    }
    first
        .into_iter()
        .map(|(owner, at)| Ok((UserId::try_from(owner)?, at)))
        .collect()
}

/// The skill claims of a community's members, whoever they are shown to (the caller decides
/// what the community may see).
pub fn skills_of_community(
    conn: &mut DbConnection,
    community_id: &str,
) -> Result<Vec<ItemRow>, StoreError> {
    use crate::schema::community_members as members;
    let in_it = members::table
        .filter(members::community_id.eq(community_id))
        .select(members::user_id);
    Ok(profile_items::table
        .filter(profile_items::kind.eq("skill"))
        .filter(profile_items::owner_id.eq_any(in_it))
        .select(ItemRow::as_select())
        .load(conn)?)
}

/// Every item of the given kinds, across all members, by owner: what the matching index
/// loads at start.
pub fn of_kinds(conn: &mut DbConnection, kinds: &[&str]) -> Result<Vec<ItemRow>, StoreError> {
    Ok(profile_items::table
        .filter(profile_items::kind.eq_any(kinds))
        .order((profile_items::owner_id, profile_items::position))
        .select(ItemRow::as_select())
        .load(conn)?)
}
