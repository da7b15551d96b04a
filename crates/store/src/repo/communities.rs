//! Communities and memberships.

use crate::schema::{communities, community_members};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::community::{Admission, Role, Visibility};

/// A community row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = communities)]
pub struct CommunityRow {
    /// UUIDv7.
    pub id: String,
    /// URL name.
    pub slug: String,
    /// The name shown on its pages (2 to 80 characters); unlike the slug, need not be unique.
    pub name: String,
    /// What the community is for, in Markdown (up to 4000 characters); may be empty.
    pub description: String,
    /// Who may know it exists.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub visibility: Visibility,
    /// How people join.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub admission: Admission,
    /// Most members allowed.
    pub member_cap: Option<i32>,
    /// Creator.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub created_by: UserId,
    /// Creation time.
    pub created_at: Millis,
    /// Last change.
    pub updated_at: Millis,
    /// Application questions, JSON.
    pub questions: String,
    /// Focus skill ids, JSON array.
    pub focus_skills: String,
    /// Secret in the calendar feed address.
    pub feed_token: String,
    /// An operator trusts its curation: its owners and curators seed trust.
    pub vetted: bool,
}

/// Marks a community as vetted by the operators, or not.
pub fn set_vetted(conn: &mut DbConnection, id: &str, vetted: bool) -> Result<(), StoreError> {
    diesel::update(communities::table.find(id))
        .set(communities::vetted.eq(vetted))
        .execute(conn)?;
    Ok(())
}

/// Adds a community.
pub fn insert(conn: &mut DbConnection, row: &CommunityRow) -> Result<(), StoreError> {
    diesel::insert_into(communities::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// The community with this slug.
pub fn by_slug(conn: &mut DbConnection, slug: &str) -> Result<Option<CommunityRow>, StoreError> {
    Ok(communities::table
        .filter(communities::slug.eq(slug))
        .select(CommunityRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Every community, newest first (callers filter by visibility).
pub fn all(conn: &mut DbConnection, limit: i64) -> Result<Vec<CommunityRow>, StoreError> {
    Ok(communities::table
        .order(communities::id.desc())
        .limit(limit)
        .select(CommunityRow::as_select())
        .load(conn)?)
}

/// A member's role in a community.
pub fn role_of(
    conn: &mut DbConnection,
    community_id: &str,
    user_id: UserId,
) -> Result<Option<Role>, StoreError> {
    let role: Option<String> = community_members::table
        .find((community_id, user_id.to_string()))
        .select(community_members::role)
        .get_result(conn)
        .optional()?;
    Ok(role.map(Role::try_from).transpose()?)
}

/// Adds a member.
pub fn add_member(
    conn: &mut DbConnection,
    community_id: &str,
    user_id: UserId,
    role: Role,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::insert_into(community_members::table)
        .values((
            community_members::community_id.eq(community_id),
            community_members::user_id.eq(user_id.to_string()),
            community_members::role.eq(role.as_str()),
            community_members::joined_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Changes a member's role.
pub fn set_role(
    conn: &mut DbConnection,
    community_id: &str,
    user_id: UserId,
    role: Role,
) -> Result<usize, StoreError> {
    Ok(
        diesel::update(community_members::table.find((community_id, user_id.to_string())))
            .set(community_members::role.eq(role.as_str()))
            .execute(conn)?,
    )
}

/// Removes a member.
pub fn remove_member(
    conn: &mut DbConnection,
    community_id: &str,
    user_id: UserId,
) -> Result<usize, StoreError> {
    Ok(
        diesel::delete(community_members::table.find((community_id, user_id.to_string())))
            .execute(conn)?,
    )
}

/// How many members, and how many owners.
pub fn counts(conn: &mut DbConnection, community_id: &str) -> Result<(i64, i64), StoreError> {
    let q = community_members::table.filter(community_members::community_id.eq(community_id));
    let members = q.count().get_result(conn)?;
    let owners = q
        .filter(community_members::role.eq(Role::Owner.as_str()))
        .count()
        .get_result(conn)?;
    Ok((members, owners))
}

/// Members with roles: (user id, role), by join time.
pub fn members(
    conn: &mut DbConnection,
    community_id: &str,
) -> Result<Vec<(UserId, Role)>, StoreError> {
    let rows: Vec<(String, String)> = community_members::table
        .filter(community_members::community_id.eq(community_id))
        .order(community_members::joined_at)
        .select((community_members::user_id, community_members::role))
        .load(conn)?;
    rows.into_iter()
        .map(|(user, role)| Ok((UserId::try_from(user)?, Role::try_from(role)?)))
        .collect()
}

/// Communities two people share: ids.
pub fn shared(conn: &mut DbConnection, a: UserId, b: UserId) -> Result<Vec<String>, StoreError> {
    let of_a: Vec<String> = community_members::table
        .filter(community_members::user_id.eq(a.to_string()))
        .select(community_members::community_id)
        .load(conn)?;
    Ok(community_members::table
        .filter(community_members::user_id.eq(b.to_string()))
        .filter(community_members::community_id.eq_any(of_a))
        .select(community_members::community_id)
        .load(conn)?)
}

/// Whether `a` and `b` are both members of a community the operators vetted.
pub fn share_vetted(conn: &mut DbConnection, a: UserId, b: UserId) -> Result<bool, StoreError> {
    let shared = shared(conn, a, b)?;
    let n: i64 = communities::table
        .filter(communities::id.eq_any(shared))
        .filter(communities::vetted)
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Everyone who shares a community with `user_id`, with the community: (user id, community id).
pub fn co_members(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Vec<(UserId, String)>, StoreError> {
    let mine: Vec<String> = community_members::table
        .filter(community_members::user_id.eq(user_id.to_string()))
        .select(community_members::community_id)
        .load(conn)?;
    let rows: Vec<(String, String)> = community_members::table
        .filter(community_members::community_id.eq_any(mine))
        .select((community_members::user_id, community_members::community_id))
        .load(conn)?;
    rows.into_iter()
        .map(|(user, community)| Ok((UserId::try_from(user)?, community)))
        .collect()
}

/// Replaces a community's settings (everything but id, slug, creator and feed token).
pub fn update(conn: &mut DbConnection, row: &CommunityRow) -> Result<(), StoreError> {
    diesel::update(communities::table.find(&row.id))
        .set((
            communities::name.eq(&row.name),
            communities::description.eq(&row.description),
            communities::visibility.eq(row.visibility.as_str()),
            communities::admission.eq(row.admission.as_str()),
            communities::member_cap.eq(row.member_cap),
            communities::questions.eq(&row.questions),
            communities::focus_skills.eq(&row.focus_skills),
            communities::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The community with this id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<CommunityRow>, StoreError> {
    Ok(communities::table
        .find(id)
        .select(CommunityRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// The community whose calendar feed has this token.
pub fn by_feed_token(
    conn: &mut DbConnection,
    token: &str,
) -> Result<Option<CommunityRow>, StoreError> {
    Ok(communities::table
        .filter(communities::feed_token.eq(token))
        .select(CommunityRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Members with roles and chosen personas: (user id, role, persona id), by join time.
pub fn members_with_personas(
    conn: &mut DbConnection,
    community_id: &str,
) -> Result<Vec<(UserId, Role, Option<String>)>, StoreError> {
    let rows: Vec<(String, String, Option<String>)> = community_members::table
        .filter(community_members::community_id.eq(community_id))
        .order(community_members::joined_at)
        .select((
            community_members::user_id,
            community_members::role,
            community_members::persona_id,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(user, role, persona)| Ok((UserId::try_from(user)?, Role::try_from(role)?, persona)))
        .collect()
}

/// Sets the persona a member shows a community (none: the profile as members see it).
pub fn set_persona(
    conn: &mut DbConnection,
    community_id: &str,
    user_id: UserId,
    persona_id: Option<&str>,
) -> Result<usize, StoreError> {
    Ok(
        diesel::update(community_members::table.find((community_id, user_id.to_string())))
            .set(community_members::persona_id.eq(persona_id))
            .execute(conn)?,
    )
}

/// The communities a member belongs to: (community id, role).
pub fn of_member(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Vec<(String, Role)>, StoreError> {
    let rows: Vec<(String, String)> = community_members::table
        .filter(community_members::user_id.eq(user_id.to_string()))
        .select((community_members::community_id, community_members::role))
        .load(conn)?;
    rows.into_iter()
        .map(|(community, role)| Ok((community, Role::try_from(role)?)))
        .collect()
}

/// Memberships of communities that admit by application or invitation, where staff vouched
/// for each member: (community id, user id, role).
pub fn curated_memberships(
    conn: &mut DbConnection,
) -> Result<Vec<(String, UserId, Role)>, StoreError> {
    let curated: Vec<String> = communities::table
        .filter(communities::admission.ne(Admission::Open.as_str()))
        .select(communities::id)
        .load(conn)?;
    let rows: Vec<(String, String, String)> = community_members::table
        .filter(community_members::community_id.eq_any(curated))
        .order((
            community_members::community_id,
            community_members::joined_at,
        ))
        .select((
            community_members::community_id,
            community_members::user_id,
            community_members::role,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(community, user, role)| {
            Ok((community, UserId::try_from(user)?, Role::try_from(role)?))
        })
        .collect()
}

/// Every membership: (member, community id).
pub fn all_memberships(conn: &mut DbConnection) -> Result<Vec<(UserId, String)>, StoreError> {
    let rows: Vec<(String, String)> = community_members::table
        .select((community_members::user_id, community_members::community_id))
        .load(conn)?;
    rows.into_iter()
        .map(|(user, community)| {
            let user = user
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("member id {user}")))?;
            Ok((user, community))
        })
        .collect()
}
