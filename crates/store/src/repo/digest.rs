//! What a member's daily digest lists, each as rows to link to: deadlines, what waits for
//! their answer, and the events of their communities soon.

use crate::schema::{
    community_events as events, community_members as members, contracts, event_rsvps, jobs,
    milestones, proposals, reviews,
};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// A delivery to answer: (contract id, contract title, milestone title, released at).
pub type Delivery = (String, String, String, Option<Millis>);
/// An event soon: (community id, event id, title, starts at, the member's answer).
pub type Gathering = (String, String, String, Millis, Option<String>);

/// Milestones the member is to deliver, funded or sent back, due on or before `until`
/// (`YYYY-MM-DD`): (contract id, contract title, milestone title, due on).
pub fn milestones_due(
    conn: &mut DbConnection,
    user: UserId,
    until: &str,
) -> Result<Vec<(String, String, String, String)>, StoreError> {
    Ok(milestones::table
        .inner_join(contracts::table.on(contracts::id.eq(milestones::contract_id)))
        // The member's milestones, and a learner's own in a pair.
        .filter(
            contracts::member_id
                .eq(user.to_string())
                .and(milestones::by_learner.eq(false))
                .or(contracts::learner_id
                    .eq(user.to_string())
                    .and(milestones::by_learner.eq(true))),
        )
        .filter(milestones::status.eq_any(["funded", "changes_requested"]))
        .filter(milestones::due_on.le(until))
        .order(milestones::due_on)
        .select((
            contracts::id,
            contracts::title,
            milestones::title,
            milestones::due_on,
        ))
        .load(conn)?)
}

/// Deliveries waiting for the member's answer as a client: (contract id, contract title,
/// milestone title, when it is released unless answered).
pub fn deliveries(conn: &mut DbConnection, user: UserId) -> Result<Vec<Delivery>, StoreError> {
    Ok(milestones::table
        .inner_join(contracts::table.on(contracts::id.eq(milestones::contract_id)))
        .filter(contracts::client_id.eq(user.to_string()))
        .filter(milestones::status.eq("submitted"))
        .order(milestones::auto_release_at)
        .select((
            contracts::id,
            contracts::title,
            milestones::title,
            milestones::auto_release_at,
        ))
        .load(conn)?)
}

/// Contracts completed since `since` that the member has not reviewed: (contract id, title,
/// when the other side's review is revealed, if they wrote one).
pub fn reviews_to_write(
    conn: &mut DbConnection,
    user: UserId,
    since: Millis,
) -> Result<Vec<(String, String, Option<Millis>)>, StoreError> {
    let me = user.to_string();
    let written = reviews::table
        .filter(reviews::author_id.eq(me.clone()))
        .select(reviews::contract_id);
    let rows: Vec<(String, String)> = contracts::table
        .filter(
            contracts::client_id
                .eq(&me)
                .or(contracts::member_id.eq(&me)),
        )
        .filter(contracts::status.eq("completed"))
        .filter(contracts::updated_at.ge(since))
        .filter(diesel::dsl::not(contracts::id.eq_any(written)))
        .order(contracts::updated_at)
        .select((contracts::id, contracts::title))
        .load(conn)?;
    let mut out = Vec::new();
    for (id, title) in rows {
        let reveal: Option<Millis> = reviews::table
            .filter(reviews::contract_id.eq(&id))
            .filter(reviews::revealed_at.is_null())
            .select(reviews::reveal_at)
            .first(conn)
            .optional()?;
        out.push((id, title, reveal));
    }
    Ok(out)
}

/// Contracts offered to the member, or to them as a learner who has not answered yet:
/// (contract id, title).
pub fn offers(conn: &mut DbConnection, user: UserId) -> Result<Vec<(String, String)>, StoreError> {
    Ok(contracts::table
        .filter(
            contracts::member_id
                .eq(user.to_string())
                .or(contracts::learner_id
                    .eq(user.to_string())
                    .and(contracts::learner_accepted_at.is_null())),
        )
        .filter(contracts::status.eq("offered"))
        .order(contracts::created_at)
        .select((contracts::id, contracts::title))
        .load(conn)?)
}

/// Open jobs the member was invited to propose for: (job id, title).
pub fn invitations(
    conn: &mut DbConnection,
    user: UserId,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(proposals::table
        .inner_join(jobs::table.on(jobs::id.eq(proposals::job_id)))
        .filter(proposals::member_id.eq(user.to_string()))
        .filter(proposals::status.eq("invited"))
        .filter(jobs::status.eq("open"))
        .order(proposals::created_at)
        .select((jobs::id, jobs::title))
        .load(conn)?)
}

/// Events of the member's communities starting between `from` and `until`, not cancelled:
/// (community id, event id, title, starts at, the member's answer if any).
pub fn events(
    conn: &mut DbConnection,
    user: UserId,
    from: Millis,
    until: Millis,
) -> Result<Vec<Gathering>, StoreError> {
    let mine = members::table
        .filter(members::user_id.eq(user.to_string()))
        .select(members::community_id);
    let rows: Vec<(String, String, String, Millis)> = events::table
        .filter(events::community_id.eq_any(mine))
        .filter(events::cancelled.eq(false))
        .filter(events::starts_at.ge(from))
        .filter(events::starts_at.lt(until))
        .order(events::starts_at)
        .select((
            events::community_id,
            events::id,
            events::title,
            events::starts_at,
        ))
        .load(conn)?;
    let mut out = Vec::new();
    for (community, id, title, starts) in rows {
        let answer: Option<String> = event_rsvps::table
            .find((&id, user.to_string()))
            .select(event_rsvps::status)
            .get_result(conn)
            .optional()?;
        out.push((community, id, title, starts, answer));
    }
    Ok(out)
}

/// When a member's digest is mailed.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::schema::digest_settings)]
pub struct DigestSettingsRow {
    /// The member.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    /// Mailed at all.
    pub enabled: bool,
    /// The local hour, 0 to 23.
    pub hour: i32,
    /// An IANA time zone.
    pub time_zone: String,
    /// The local day (`YYYY-MM-DD`) the last digest was queued.
    pub last_sent_on: Option<String>,
    /// The one-click unsubscribe link's key.
    pub unsubscribe_key: String,
}

/// A member's digest settings, if they have a row.
pub fn settings(
    conn: &mut DbConnection,
    user: UserId,
) -> Result<Option<DigestSettingsRow>, StoreError> {
    use crate::schema::digest_settings as s;
    Ok(s::table
        .find(user.to_string())
        .select(DigestSettingsRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Every row, for the hourly look at whose digest is due.
pub fn all_settings(conn: &mut DbConnection) -> Result<Vec<DigestSettingsRow>, StoreError> {
    use crate::schema::digest_settings as s;
    Ok(s::table.select(DigestSettingsRow::as_select()).load(conn)?)
}

/// Adds a member's row.
pub fn add_settings(conn: &mut DbConnection, row: &DigestSettingsRow) -> Result<(), StoreError> {
    use crate::schema::digest_settings as s;
    diesel::insert_into(s::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Changes when a member's digest is mailed.
pub fn set_schedule(
    conn: &mut DbConnection,
    user: UserId,
    enabled: bool,
    hour: i32,
    time_zone: &str,
) -> Result<(), StoreError> {
    use crate::schema::digest_settings as s;
    diesel::update(s::table.find(user.to_string()))
        .set((
            s::enabled.eq(enabled),
            s::hour.eq(hour),
            s::time_zone.eq(time_zone),
        ))
        .execute(conn)?;
    Ok(())
}

/// Claims the local day `day` for a member's digest; false when it was claimed already.
pub fn claim_day(conn: &mut DbConnection, user: UserId, day: &str) -> Result<bool, StoreError> {
    use crate::schema::digest_settings as s;
    Ok(diesel::update(
        s::table
            .find(user.to_string())
            .filter(s::last_sent_on.is_null().or(s::last_sent_on.ne(day))),
    )
    .set(s::last_sent_on.eq(day))
    .execute(conn)?
        == 1)
}

/// The member an unsubscribe key belongs to.
pub fn by_unsubscribe_key(
    conn: &mut DbConnection,
    key: &str,
) -> Result<Option<DigestSettingsRow>, StoreError> {
    use crate::schema::digest_settings as s;
    Ok(s::table
        .filter(s::unsubscribe_key.eq(key))
        .select(DigestSettingsRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Accounts whose address is verified: those a digest may be mailed to.
pub fn verified_users(conn: &mut DbConnection) -> Result<Vec<UserId>, StoreError> {
    use crate::schema::users;
    let ids: Vec<String> = users::table
        .filter(users::email_verified_at.is_not_null())
        .select(users::id)
        .load(conn)?;
    Ok(ids
        .into_iter()
        .map(UserId::try_from)
        .collect::<Result<_, _>>()?)
}
