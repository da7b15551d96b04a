//! Mentoring offers, mentorships and their sessions.

use crate::schema::{mentoring_offers as offers, mentoring_sessions as sessions, mentorships};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::community::{MentoringFormat, MentorshipStatus};

/// A mentoring offer row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = offers)]
pub struct OfferRow {
    /// UUIDv7.
    pub id: String,
    /// Community.
    pub community_id: String,
    /// Mentor.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub mentor_id: UserId,
    /// Skill ids, JSON array.
    pub skills: String,
    /// What the mentor offers.
    pub note: String,
    /// Will pair on real work.
    pub on_real_work: bool,
    /// Still open to requests.
    pub active: bool,
    /// Creation time.
    pub created_at: Millis,
}

/// Adds an offer.
pub fn insert_offer(conn: &mut DbConnection, row: &OfferRow) -> Result<(), StoreError> {
    diesel::insert_into(offers::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One offer.
pub fn offer(conn: &mut DbConnection, id: &str) -> Result<Option<OfferRow>, StoreError> {
    Ok(offers::table
        .find(id)
        .select(OfferRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A community's active offers, oldest first.
pub fn offers_of(conn: &mut DbConnection, community_id: &str) -> Result<Vec<OfferRow>, StoreError> {
    Ok(offers::table
        .filter(offers::community_id.eq(community_id))
        .filter(offers::active.eq(true))
        .order(offers::id)
        .select(OfferRow::as_select())
        .load(conn)?)
}

/// A mentor's active offers in every community.
pub fn active_offers_by(
    conn: &mut DbConnection,
    mentor_id: UserId,
) -> Result<Vec<OfferRow>, StoreError> {
    Ok(offers::table
        .filter(offers::mentor_id.eq(mentor_id.to_string()))
        .filter(offers::active.eq(true))
        .select(OfferRow::as_select())
        .load(conn)?)
}

/// Withdraws an offer.
pub fn close_offer(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    diesel::update(offers::table.find(id))
        .set(offers::active.eq(false))
        .execute(conn)?;
    Ok(())
}

/// A mentorship row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = mentorships)]
pub struct MentorshipRow {
    /// UUIDv7.
    pub id: String,
    /// Community.
    pub community_id: String,
    /// The offer it answers.
    pub offer_id: String,
    /// Mentor.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub mentor_id: UserId,
    /// Learner.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub learner_id: UserId,
    /// What the learner wants to reach.
    pub goal: String,
    /// Skill ids, JSON array.
    pub skills: String,
    /// Sessions, or learning alongside the mentor on real work.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub format: MentoringFormat,
    /// The work, for real_work.
    pub work: String,
    /// Requested, active, declined or ended.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: MentorshipStatus,
    /// Who accepted or declined.
    #[diesel(deserialize_as = crate::optional::NullableText, serialize_as = crate::optional::NullableText)]
    pub decided_by: Option<UserId>,
    /// Request time.
    pub created_at: Millis,
    /// Decision time.
    pub decided_at: Option<Millis>,
}

/// Adds a mentorship request.
pub fn insert_mentorship(conn: &mut DbConnection, row: &MentorshipRow) -> Result<(), StoreError> {
    diesel::insert_into(mentorships::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One mentorship.
pub fn mentorship(conn: &mut DbConnection, id: &str) -> Result<Option<MentorshipRow>, StoreError> {
    Ok(mentorships::table
        .find(id)
        .select(MentorshipRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A community's mentorships, newest first.
pub fn mentorships_of(
    conn: &mut DbConnection,
    community_id: &str,
) -> Result<Vec<MentorshipRow>, StoreError> {
    Ok(mentorships::table
        .filter(mentorships::community_id.eq(community_id))
        .order(mentorships::id.desc())
        .select(MentorshipRow::as_select())
        .load(conn)?)
}

/// Moves a mentorship from `from` to `to`; returns whether it was in `from`.
pub fn transition(
    conn: &mut DbConnection,
    id: &str,
    from: MentorshipStatus,
    to: MentorshipStatus,
    by: UserId,
    now: Millis,
) -> Result<bool, StoreError> {
    let n = diesel::update(
        mentorships::table
            .find(id)
            .filter(mentorships::status.eq(from.as_str())),
    )
    .set((
        mentorships::status.eq(to.as_str()),
        mentorships::decided_by.eq(by.to_string()),
        mentorships::decided_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// A session row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    /// UUIDv7.
    pub id: String,
    /// Mentorship.
    pub mentorship_id: String,
    /// YYYY-MM-DD.
    pub held_on: String,
    /// Length.
    pub minutes: i32,
    /// Skill ids, JSON array.
    pub skills: String,
    /// What the partner who recorded the session noted (up to 4000 characters); may be empty.
    pub notes: String,
    /// Who recorded it.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub recorded_by: UserId,
    /// Creation time.
    pub created_at: Millis,
    /// When the other partner confirmed it; only then is it evidence.
    pub confirmed_at: Option<Millis>,
}

/// One session.
pub fn session(conn: &mut DbConnection, id: &str) -> Result<Option<SessionRow>, StoreError> {
    Ok(sessions::table
        .find(id)
        .select(SessionRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Marks a session confirmed, unless it already is; whether this call confirmed it.
pub fn confirm_session(conn: &mut DbConnection, id: &str, now: Millis) -> Result<bool, StoreError> {
    let n = diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::confirmed_at.is_null()),
    )
    .set(sessions::confirmed_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

/// Whether `a` and `b` have a confirmed mentoring session together, either mentoring the other.
pub fn confirmed_between(
    conn: &mut DbConnection,
    a: UserId,
    b: UserId,
) -> Result<bool, StoreError> {
    let pairs = mentorships::table
        .filter(
            (mentorships::mentor_id
                .eq(a.to_string())
                .and(mentorships::learner_id.eq(b.to_string())))
            .or(mentorships::mentor_id
                .eq(b.to_string())
                .and(mentorships::learner_id.eq(a.to_string()))),
        )
        .select(mentorships::id);
    let n: i64 = sessions::table
        .filter(sessions::mentorship_id.eq_any(pairs))
        .filter(sessions::confirmed_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Whether any of the pair's mentorships has a confirmed session on `held_on`.
pub fn confirmed_on(
    conn: &mut DbConnection,
    mentor_id: UserId,
    learner_id: UserId,
    held_on: &str,
) -> Result<bool, StoreError> {
    let pairs = mentorships::table
        .filter(mentorships::mentor_id.eq(mentor_id.to_string()))
        .filter(mentorships::learner_id.eq(learner_id.to_string()))
        .select(mentorships::id);
    let n: i64 = sessions::table
        .filter(sessions::mentorship_id.eq_any(pairs))
        .filter(sessions::held_on.eq(held_on))
        .filter(sessions::confirmed_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Adds a session.
pub fn insert_session(conn: &mut DbConnection, row: &SessionRow) -> Result<(), StoreError> {
    diesel::insert_into(sessions::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// A mentorship's sessions, by date.
pub fn sessions_of(
    conn: &mut DbConnection,
    mentorship_id: &str,
) -> Result<Vec<SessionRow>, StoreError> {
    Ok(sessions::table
        .filter(sessions::mentorship_id.eq(mentorship_id))
        .order((sessions::held_on, sessions::id))
        .select(SessionRow::as_select())
        .load(conn)?)
}

/// The mentorships `mentor_id` mentors or mentored, newest first.
pub fn mentored_by(
    conn: &mut DbConnection,
    mentor_id: UserId,
) -> Result<Vec<MentorshipRow>, StoreError> {
    Ok(mentorships::table
        .filter(mentorships::mentor_id.eq(mentor_id.to_string()))
        .order(mentorships::id.desc())
        .select(MentorshipRow::as_select())
        .load(conn)?)
}
