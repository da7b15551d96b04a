//! Skill suggestions, endorsements and who may suggest.

use crate::schema::{endorsements, member_settings, skill_suggestions};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::skills::SuggestionStatus;

/// A suggestion row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = skill_suggestions)]
pub struct SuggestionRow {
    /// UUIDv7.
    pub id: String,
    /// Whose profile.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub member_id: UserId,
    /// Who suggested.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub suggester_id: UserId,
    /// The skill.
    pub skill_id: String,
    /// Where the suggester saw it.
    pub note: String,
    /// Waiting, accepted or declined.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: SuggestionStatus,
    /// The claim created on acceptance.
    pub item_id: Option<String>,
    /// When suggested.
    pub created_at: Millis,
    /// When answered.
    pub answered_at: Option<Millis>,
}

/// Adds a suggestion.
pub fn insert(conn: &mut DbConnection, row: &SuggestionRow) -> Result<(), StoreError> {
    diesel::insert_into(skill_suggestions::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One suggestion made to `member_id`.
pub fn to_member(
    conn: &mut DbConnection,
    member_id: UserId,
    id: &str,
) -> Result<Option<SuggestionRow>, StoreError> {
    Ok(skill_suggestions::table
        .find(id)
        .filter(skill_suggestions::member_id.eq(member_id.to_string()))
        .select(SuggestionRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Records an answer.
pub fn answer(
    conn: &mut DbConnection,
    id: &str,
    status: SuggestionStatus,
    item_id: Option<&str>,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::update(skill_suggestions::table.find(id))
        .set((
            skill_suggestions::status.eq(status.as_str()),
            skill_suggestions::item_id.eq(item_id),
            skill_suggestions::answered_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Suggestions made to a member, newest first, optionally of one status.
pub fn incoming(
    conn: &mut DbConnection,
    member_id: UserId,
    status: Option<SuggestionStatus>,
    limit: i64,
) -> Result<Vec<SuggestionRow>, StoreError> {
    let mut q = skill_suggestions::table
        .filter(skill_suggestions::member_id.eq(member_id.to_string()))
        .order(skill_suggestions::id.desc())
        .limit(limit)
        .select(SuggestionRow::as_select())
        .into_boxed();
    if let Some(status) = status {
        q = q.filter(skill_suggestions::status.eq(status.as_str()));
    }
    Ok(q.load(conn)?)
}

/// Suggestions a member made, newest first.
pub fn sent(
    conn: &mut DbConnection,
    suggester_id: UserId,
    limit: i64,
) -> Result<Vec<SuggestionRow>, StoreError> {
    Ok(skill_suggestions::table
        .filter(skill_suggestions::suggester_id.eq(suggester_id.to_string()))
        .order(skill_suggestions::id.desc())
        .limit(limit)
        .select(SuggestionRow::as_select())
        .load(conn)?)
}

/// How many suggestions `suggester_id` made since `since`.
pub fn sent_since(
    conn: &mut DbConnection,
    suggester_id: UserId,
    since: Millis,
) -> Result<i64, StoreError> {
    Ok(skill_suggestions::table
        .filter(skill_suggestions::suggester_id.eq(suggester_id.to_string()))
        .filter(skill_suggestions::created_at.gt(since))
        .count()
        .get_result(conn)?)
}

/// Whether the same suggester already has this skill pending for this member.
pub fn pending_exists(
    conn: &mut DbConnection,
    member_id: UserId,
    suggester_id: UserId,
    skill_id: &str,
) -> Result<bool, StoreError> {
    let n: i64 = skill_suggestions::table
        .filter(skill_suggestions::member_id.eq(member_id.to_string()))
        .filter(skill_suggestions::suggester_id.eq(suggester_id.to_string()))
        .filter(skill_suggestions::skill_id.eq(skill_id))
        .filter(skill_suggestions::status.eq(SuggestionStatus::Pending.as_str()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Who may suggest skills to a member: `members`, `connections` or `off`.
pub fn suggestions_from(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Option<String>, StoreError> {
    Ok(member_settings::table
        .find(user_id.to_string())
        .select(member_settings::suggestions_from)
        .get_result(conn)
        .optional()?)
}

/// Sets who may suggest.
pub fn set_suggestions_from(
    conn: &mut DbConnection,
    user_id: UserId,
    value: &str,
) -> Result<(), StoreError> {
    let updated = diesel::update(member_settings::table.find(user_id.to_string()))
        .set(member_settings::suggestions_from.eq(value))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(member_settings::table)
            .values((
                member_settings::user_id.eq(user_id.to_string()),
                member_settings::suggestions_from.eq(value),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Adds an endorsement; a second one by the same endorser is `StoreError::Unique`.
pub fn endorse(
    conn: &mut DbConnection,
    id: &str,
    item_id: &str,
    endorser_id: UserId,
    relation: &str,
    note: &str,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::insert_into(endorsements::table)
        .values((
            endorsements::id.eq(id),
            endorsements::item_id.eq(item_id),
            endorsements::endorser_id.eq(endorser_id.to_string()),
            endorsements::relation.eq(relation),
            endorsements::note.eq(note),
            endorsements::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Endorsements of an item: (endorser id, relation, note).
pub fn endorsements_of(
    conn: &mut DbConnection,
    item_id: &str,
) -> Result<Vec<(UserId, String, String)>, StoreError> {
    let rows: Vec<(String, String, String)> = endorsements::table
        .filter(endorsements::item_id.eq(item_id))
        .order(endorsements::created_at)
        .select((
            endorsements::endorser_id,
            endorsements::relation,
            endorsements::note,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(endorser, relation, note)| Ok((UserId::try_from(endorser)?, relation, note)))
        .collect()
}

/// Endorsements of any of `item_ids`: (item id, endorser id).
pub fn endorsers_of_items(
    conn: &mut DbConnection,
    item_ids: &[String],
) -> Result<Vec<(String, UserId)>, StoreError> {
    let rows: Vec<(String, String)> = endorsements::table
        .filter(endorsements::item_id.eq_any(item_ids))
        .order(endorsements::created_at)
        .select((endorsements::item_id, endorsements::endorser_id))
        .load(conn)?;
    rows.into_iter()
        .map(|(item, endorser)| Ok((item, UserId::try_from(endorser)?)))
        .collect()
}

/// Pending suggestions of a skill: their ids.
pub fn pending_of_skill(
    conn: &mut DbConnection,
    skill_id: &str,
) -> Result<Vec<String>, StoreError> {
    Ok(skill_suggestions::table
        .filter(skill_suggestions::skill_id.eq(skill_id))
        .filter(skill_suggestions::status.eq(SuggestionStatus::Pending.as_str()))
        .select(skill_suggestions::id)
        .load(conn)?)
}

/// Points suggestions at another skill.
pub fn repoint(conn: &mut DbConnection, ids: &[String], skill_id: &str) -> Result<(), StoreError> {
    diesel::update(skill_suggestions::table.filter(skill_suggestions::id.eq_any(ids)))
        .set(skill_suggestions::skill_id.eq(skill_id))
        .execute(conn)?;
    Ok(())
}
