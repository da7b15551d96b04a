//! Applications to join communities, and invitation links.

use crate::schema::{community_applications as apps, community_invitations as invites};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::community::ApplicationStatus;

/// The statuses of an application still waiting for a decision.
const OPEN: [&str; 2] = [
    ApplicationStatus::Pending.as_str(),
    ApplicationStatus::Waitlisted.as_str(),
];

/// An application row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = apps)]
pub struct ApplicationRow {
    /// UUIDv7.
    pub id: String,
    /// Community applied to.
    pub community_id: String,
    /// Applicant.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    /// Persona shown to curators.
    pub persona_id: Option<String>,
    /// Answers, JSON array of strings.
    pub answers: String,
    /// Waiting, waitlisted, approved, declined or withdrawn.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: ApplicationStatus,
    /// Why it was declined, if said.
    pub reason: String,
    /// Curator who decided.
    #[diesel(deserialize_as = crate::optional::NullableText, serialize_as = crate::optional::NullableText)]
    pub decided_by: Option<UserId>,
    /// Submission time.
    pub created_at: Millis,
    /// Decision time.
    pub decided_at: Option<Millis>,
}

/// Adds an application.
pub fn insert(conn: &mut DbConnection, row: &ApplicationRow) -> Result<(), StoreError> {
    diesel::insert_into(apps::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One application.
pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<ApplicationRow>, StoreError> {
    Ok(apps::table
        .find(id)
        .select(ApplicationRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A person's open (pending or waitlisted) application to a community.
pub fn open_of(
    conn: &mut DbConnection,
    community_id: &str,
    user_id: UserId,
) -> Result<Option<ApplicationRow>, StoreError> {
    Ok(apps::table
        .filter(apps::community_id.eq(community_id))
        .filter(apps::user_id.eq(user_id.to_string()))
        .filter(apps::status.eq_any(OPEN))
        .select(ApplicationRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A community's applications in this state, oldest first.
pub fn queue(
    conn: &mut DbConnection,
    community_id: &str,
    status: ApplicationStatus,
    limit: i64,
) -> Result<Vec<ApplicationRow>, StoreError> {
    Ok(apps::table
        .filter(apps::community_id.eq(community_id))
        .filter(apps::status.eq(status.as_str()))
        .order((apps::created_at, apps::id))
        .limit(limit)
        .select(ApplicationRow::as_select())
        .load(conn)?)
}

/// Records a decision, only if the application is still open. Returns whether it was.
pub fn decide(
    conn: &mut DbConnection,
    id: &str,
    status: ApplicationStatus,
    reason: &str,
    by: UserId,
    now: Millis,
) -> Result<bool, StoreError> {
    let n = diesel::update(apps::table.find(id).filter(apps::status.eq_any(OPEN)))
        .set((
            apps::status.eq(status.as_str()),
            apps::reason.eq(reason),
            apps::decided_by.eq(by.to_string()),
            apps::decided_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// An invitation row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = invites)]
pub struct InvitationRow {
    /// UUIDv7.
    pub id: String,
    /// Community.
    pub community_id: String,
    /// SHA-256 of the link's secret, hex.
    pub token_hash: String,
    /// What the inviter noted (for whom, why).
    pub note: String,
    /// Inviter.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub created_by: UserId,
    /// Expiry.
    pub expires_at: Millis,
    /// Most uses.
    pub max_uses: i32,
    /// Uses so far.
    pub uses: i32,
    /// Revocation time.
    pub revoked_at: Option<Millis>,
    /// Creation time.
    pub created_at: Millis,
}

/// Adds an invitation.
pub fn insert_invitation(conn: &mut DbConnection, row: &InvitationRow) -> Result<(), StoreError> {
    diesel::insert_into(invites::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// The invitation with this secret hash.
pub fn invitation_by_hash(
    conn: &mut DbConnection,
    hash: &str,
) -> Result<Option<InvitationRow>, StoreError> {
    Ok(invites::table
        .filter(invites::token_hash.eq(hash))
        .select(InvitationRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A community's invitations, newest first.
pub fn invitations_of(
    conn: &mut DbConnection,
    community_id: &str,
) -> Result<Vec<InvitationRow>, StoreError> {
    Ok(invites::table
        .filter(invites::community_id.eq(community_id))
        .order(invites::id.desc())
        .select(InvitationRow::as_select())
        .load(conn)?)
}

/// Counts one use, only while the invitation is live and has uses left; returns whether it did.
/// One statement, so two people racing for the last use cannot both get it.
pub fn use_invitation(conn: &mut DbConnection, id: &str, now: Millis) -> Result<bool, StoreError> {
    let n = diesel::update(
        invites::table
            .find(id)
            .filter(invites::revoked_at.is_null())
            .filter(invites::expires_at.gt(now))
            .filter(invites::uses.lt(invites::max_uses)),
    )
    .set(invites::uses.eq(invites::uses + 1))
    .execute(conn)?;
    Ok(n == 1)
}

/// Revokes an invitation of a community.
pub fn revoke_invitation(
    conn: &mut DbConnection,
    community_id: &str,
    id: &str,
    now: Millis,
) -> Result<bool, StoreError> {
    let n = diesel::update(
        invites::table
            .find(id)
            .filter(invites::community_id.eq(community_id))
            .filter(invites::revoked_at.is_null()),
    )
    .set(invites::revoked_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}
