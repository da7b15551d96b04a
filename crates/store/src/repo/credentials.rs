//! Issued credentials: the signed documents, their status list bits, revocations and the
//! links holders share them by.

use crate::schema::credentials;
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::credentials::badge::Kind;

/// A credential as stored.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = credentials)]
struct Row {
    id: String,
    holder_id: String,
    kind: String,
    subject_ref: String,
    status_index: i64,
    document: String,
    issued_at: Millis,
    revoked_at: Option<Millis>,
    revoked_by: Option<String>,
    revoked_reason: Option<String>,
    share_token: Option<String>,
}

/// A credential the instance issued.
#[derive(Clone, Debug, PartialEq)]
pub struct CredentialRow {
    /// Its UUID.
    pub id: String,
    /// Whom it is about.
    pub holder_id: UserId,
    /// What it states.
    pub kind: Kind,
    /// The contract, community, mentorship or skill it is about.
    pub subject_ref: String,
    /// Its bit in the status list.
    pub status_index: u64,
    /// The signed credential.
    pub document: serde_json::Value,
    /// When it was issued.
    pub issued_at: Millis,
    /// When, by whom and why it was revoked.
    pub revoked: Option<Revocation>,
    /// The secret of its shared link.
    pub share_token: Option<String>,
}

/// A revocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revocation {
    /// When.
    pub at: Millis,
    /// Who (a user id).
    pub by: String,
    /// Why, as they put it.
    pub reason: String,
}

impl TryFrom<Row> for CredentialRow {
    type Error = StoreError;

    fn try_from(r: Row) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("credential {}: {what}", r.id));
        Ok(CredentialRow {
            holder_id: r.holder_id.parse().map_err(|_| corrupt("holder"))?,
            kind: Kind::parse(&r.kind).ok_or_else(|| corrupt("kind"))?,
            status_index: u64::try_from(r.status_index).map_err(|_| corrupt("status index"))?,
            document: serde_json::from_str(&r.document).map_err(|_| corrupt("document"))?,
            revoked: match (r.revoked_at, r.revoked_by, r.revoked_reason) {
                (Some(at), Some(by), Some(reason)) => Some(Revocation { at, by, reason }),
                (None, _, _) => None,
                _ => return Err(corrupt("revocation")),
            },
            id: r.id,
            subject_ref: r.subject_ref,
            issued_at: r.issued_at,
            share_token: r.share_token,
        })
    }
}

fn rows(found: Vec<Row>) -> Result<Vec<CredentialRow>, StoreError> {
    found.into_iter().map(CredentialRow::try_from).collect()
}

/// The next free status list index: one past the highest ever used.
pub fn next_status_index(conn: &mut DbConnection) -> Result<u64, StoreError> {
    let highest: Option<i64> = credentials::table
        .select(diesel::dsl::max(credentials::status_index))
        .first(conn)?;
    Ok(highest.map_or(0, |h| h as u64 + 1))
}

/// Stores a credential just issued.
pub fn insert(conn: &mut DbConnection, c: &CredentialRow) -> Result<(), StoreError> {
    diesel::insert_into(credentials::table)
        .values(Row {
            id: c.id.clone(),
            holder_id: c.holder_id.to_string(),
            kind: c.kind.as_str().into(),
            subject_ref: c.subject_ref.clone(),
            status_index: c.status_index as i64,
            document: c.document.to_string(),
            issued_at: c.issued_at,
            revoked_at: None,
            revoked_by: None,
            revoked_reason: None,
            share_token: c.share_token.clone(),
        })
        .execute(conn)?;
    Ok(())
}

/// A credential by its UUID.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<CredentialRow>, StoreError> {
    credentials::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .map(CredentialRow::try_from)
        .transpose()
}

/// The credential a shared link's secret opens.
pub fn by_share_token(
    conn: &mut DbConnection,
    token: &str,
) -> Result<Option<CredentialRow>, StoreError> {
    credentials::table
        .filter(credentials::share_token.eq(token))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .map(CredentialRow::try_from)
        .transpose()
}

/// A member's credentials, newest first.
pub fn of_holder(
    conn: &mut DbConnection,
    holder: UserId,
) -> Result<Vec<CredentialRow>, StoreError> {
    rows(
        credentials::table
            .filter(credentials::holder_id.eq(holder.to_string()))
            .order((credentials::issued_at.desc(), credentials::id.desc()))
            .select(Row::as_select())
            .load(conn)?,
    )
}

/// The member's credential of `kind` about `subject` that is not revoked, if any.
pub fn current(
    conn: &mut DbConnection,
    holder: UserId,
    kind: Kind,
    subject: &str,
) -> Result<Option<CredentialRow>, StoreError> {
    credentials::table
        .filter(credentials::holder_id.eq(holder.to_string()))
        .filter(credentials::kind.eq(kind.as_str()))
        .filter(credentials::subject_ref.eq(subject))
        .filter(credentials::revoked_at.is_null())
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .map(CredentialRow::try_from)
        .transpose()
}

/// The status indexes of every revoked credential.
pub fn revoked_indexes(conn: &mut DbConnection) -> Result<Vec<u64>, StoreError> {
    Ok(credentials::table
        .filter(credentials::revoked_at.is_not_null())
        .select(credentials::status_index)
        .load::<i64>(conn)?
        .into_iter()
        .map(|i| i as u64)
        .collect())
}

/// Marks a credential revoked; false if it already was.
pub fn revoke(
    conn: &mut DbConnection,
    id: &str,
    revocation: &Revocation,
) -> Result<bool, StoreError> {
    let changed = diesel::update(
        credentials::table
            .find(id)
            .filter(credentials::revoked_at.is_null()),
    )
    .set((
        credentials::revoked_at.eq(revocation.at),
        credentials::revoked_by.eq(&revocation.by),
        credentials::revoked_reason.eq(&revocation.reason),
        credentials::share_token.eq(None::<String>),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Sets or clears the secret of a credential's shared link.
pub fn set_share_token(
    conn: &mut DbConnection,
    id: &str,
    token: Option<&str>,
) -> Result<(), StoreError> {
    diesel::update(credentials::table.find(id))
        .set(credentials::share_token.eq(token))
        .execute(conn)?;
    Ok(())
}

/// The membership and mentoring credentials, newest first: those a community may be about.
pub fn about_community(
    conn: &mut DbConnection,
    community_id: &str,
) -> Result<Vec<CredentialRow>, StoreError> {
    use crate::schema::mentorships;
    let mentorships = mentorships::table
        .filter(mentorships::community_id.eq(community_id))
        .select(mentorships::id);
    rows(
        credentials::table
            .filter(
                credentials::kind
                    .eq(Kind::Membership.as_str())
                    .and(credentials::subject_ref.eq(community_id))
                    .or(credentials::kind
                        .eq(Kind::Mentoring.as_str())
                        .and(credentials::subject_ref.eq_any(mentorships))),
            )
            .order((credentials::issued_at.desc(), credentials::id.desc()))
            .select(Row::as_select())
            .load(conn)?,
    )
}

/// Which of `users` let the people they worked with name them in credentials.
pub fn named_in_credentials(
    conn: &mut DbConnection,
    users: &[UserId],
) -> Result<Vec<UserId>, StoreError> {
    use crate::schema::member_settings;
    let ids: Vec<String> = users.iter().map(UserId::to_string).collect();
    let agreed: Vec<String> = member_settings::table
        .filter(member_settings::user_id.eq_any(&ids))
        .filter(member_settings::named_in_credentials.eq(true))
        .select(member_settings::user_id)
        .load(conn)?;
    Ok(agreed
        .into_iter()
        .map(UserId::try_from)
        .collect::<Result<_, _>>()?)
}

/// Sets whether a member lets the people they worked with name them in credentials.
pub fn set_named_in_credentials(
    conn: &mut DbConnection,
    user: UserId,
    allowed: bool,
) -> Result<(), StoreError> {
    use crate::schema::member_settings;
    let updated = diesel::update(member_settings::table.find(user.to_string()))
        .set(member_settings::named_in_credentials.eq(allowed))
        .execute(conn)?;
    if updated == 0 {
        // A member without settings takes suggestions from members, the default.
        diesel::insert_into(member_settings::table)
            .values((
                member_settings::user_id.eq(user.to_string()),
                member_settings::suggestions_from.eq("members"),
                member_settings::named_in_credentials.eq(allowed),
            ))
            .execute(conn)?;
    }
    Ok(())
}
