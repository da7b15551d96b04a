//! Jobs, proposals and referrals.

use crate::schema::{jobs, proposals, referrals};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::job::{JobStatus, Pricing, ProposalStatus};
use guildhall_domain::money::Currency;

/// A job row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = jobs)]
pub struct JobRow {
    /// UUIDv7.
    pub id: String,
    /// Client.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub client_id: UserId,
    /// Organisation the client acts for.
    pub organisation: String,
    /// The job to be done, as the client wrote it (5 to 200 characters).
    pub title: String,
    /// What the work is, in Markdown (up to 8000 characters); may be empty.
    pub description: String,
    /// Skills wanted, JSON.
    pub skills: String,
    /// A price for the whole work or a rate per hour.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub pricing: Pricing,
    /// Budget from, minor units.
    pub budget_min: i64,
    /// Budget to, minor units.
    pub budget_max: i64,
    /// The budget's currency.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub currency: Currency,
    /// Start date.
    pub starts_on: String,
    /// End date.
    pub ends_on: String,
    /// Hours a week (1 to 80) for part-time work; None when the client gave none.
    pub hours_per_week: Option<i32>,
    /// Remote work possible.
    pub remote: bool,
    /// Where the work happens, in the client's words; empty only when remote work is allowed.
    pub place: String,
    /// Earliest UTC offset, minutes.
    pub tz_min_offset: i32,
    /// Latest UTC offset, minutes.
    pub tz_max_offset: i32,
    /// Community scope.
    pub community_id: Option<String>,
    /// Where the job stands.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: JobStatus,
    /// Creation time.
    pub created_at: Millis,
    /// Last change.
    pub updated_at: Millis,
    /// The ESCO ICT occupation it belongs to (the id ending its URI), if the client named one.
    pub occupation: Option<String>,
}

/// Adds a job.
pub fn insert(conn: &mut DbConnection, row: &JobRow) -> Result<(), StoreError> {
    diesel::insert_into(jobs::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One job.
pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<JobRow>, StoreError> {
    Ok(jobs::table
        .find(id)
        .select(JobRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Sets a job's status.
pub fn set_status(
    conn: &mut DbConnection,
    id: &str,
    status: JobStatus,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::update(jobs::table.find(id))
        .set((jobs::status.eq(status.as_str()), jobs::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Open jobs, public or in one of `communities`, newest first.
pub fn open(
    conn: &mut DbConnection,
    communities: &[String],
    limit: i64,
) -> Result<Vec<JobRow>, StoreError> {
    Ok(jobs::table
        .filter(jobs::status.eq(JobStatus::Open.as_str()))
        .filter(
            jobs::community_id
                .is_null()
                .or(jobs::community_id.eq_any(communities)),
        )
        .order(jobs::id.desc())
        .limit(limit)
        .select(JobRow::as_select())
        .load(conn)?)
}

diesel::define_sql_function! {
    /// Lower case, for matching words in either case on both databases.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// What a search of open jobs asks; every part given must hold.
#[derive(Clone, Debug, Default)]
pub struct OpenJobFilter {
    /// Words that must each appear in the title or the details, in lower case.
    pub words: Vec<String>,
    /// A skill the job must ask for.
    pub skill_id: Option<String>,
    /// The least the job may pay at the top of its budget, in its currency.
    pub pays_at_least: Option<(i64, Currency)>,
    /// The job starts on or after this date.
    pub starts_from: Option<String>,
    /// The job ends on or before this date.
    pub ends_by: Option<String>,
    /// Only jobs that can be done remotely.
    pub remote_only: bool,
    /// Only jobs of this community (an id).
    pub community_id: Option<String>,
    /// Leave out the jobs of this client.
    pub not_client: Option<UserId>,
}

/// `%text%` for LIKE, with LIKE's own characters escaped by a backslash.
pub(crate) fn containing(text: &str) -> String {
    let mut pattern = String::from("%");
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    pattern
}

/// Open jobs, public or in one of `communities`, that pass `filter`, newest first, older than
/// the job `before` when given.
pub fn search_open(
    conn: &mut DbConnection,
    communities: &[String],
    filter: &OpenJobFilter,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<JobRow>, StoreError> {
    let mut q = jobs::table
        .filter(jobs::status.eq(JobStatus::Open.as_str()))
        .filter(
            jobs::community_id
                .is_null()
                .or(jobs::community_id.eq_any(communities)),
        )
        .order(jobs::id.desc())
        .limit(limit)
        .select(JobRow::as_select())
        .into_boxed();
    for word in &filter.words {
        let pattern = containing(word);
        q = q.filter(
            lower(jobs::title)
                .like(pattern.clone())
                .escape('\\')
                .or(lower(jobs::description).like(pattern).escape('\\')),
        );
    }
    if let Some(skill) = &filter.skill_id {
        // The skills column is the job's skills as JSON, each with its `skill_id`.
        let quoted = serde_json::to_string(skill).unwrap_or_default();
        q = q.filter(
            jobs::skills
                .like(containing(&format!("\"skill_id\":{quoted}")))
                .escape('\\'),
        );
    }
    if let Some((least, currency)) = filter.pays_at_least {
        q = q
            .filter(jobs::currency.eq(currency.code()))
            .filter(jobs::budget_max.ge(least));
    }
    if let Some(from) = &filter.starts_from {
        q = q.filter(jobs::starts_on.ge(from.clone()));
    }
    if let Some(by) = &filter.ends_by {
        q = q.filter(jobs::ends_on.le(by.clone()));
    }
    if filter.remote_only {
        q = q.filter(jobs::remote.eq(true));
    }
    if let Some(community) = &filter.community_id {
        q = q.filter(jobs::community_id.eq(community.clone()));
    }
    if let Some(client) = filter.not_client {
        q = q.filter(jobs::client_id.ne(client.to_string()));
    }
    if let Some(before) = before {
        q = q.filter(jobs::id.lt(before.to_string()));
    }
    Ok(q.load(conn)?)
}

/// A client's jobs, newest first.
pub fn of_client(conn: &mut DbConnection, client_id: UserId) -> Result<Vec<JobRow>, StoreError> {
    Ok(jobs::table
        .filter(jobs::client_id.eq(client_id.to_string()))
        .order(jobs::id.desc())
        .select(JobRow::as_select())
        .load(conn)?)
}

/// The skills JSON of every job ever posted, for learning which skills are asked together.
pub fn all_skill_lists(conn: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    Ok(jobs::table.select(jobs::skills).load(conn)?)
}

/// Every open job, for the demand per skill over the whole instance.
pub fn all_open(conn: &mut DbConnection) -> Result<Vec<JobRow>, StoreError> {
    Ok(jobs::table
        .filter(jobs::status.eq(JobStatus::Open.as_str()))
        .select(JobRow::as_select())
        .load(conn)?)
}

/// Open jobs of a community: (id, skills JSON), for its demand per skill.
pub fn open_in_community(
    conn: &mut DbConnection,
    community_id: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(jobs::table
        .filter(jobs::status.eq(JobStatus::Open.as_str()))
        .filter(jobs::community_id.eq(community_id))
        .select((jobs::id, jobs::skills))
        .load(conn)?)
}

/// A proposal row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = proposals)]
pub struct ProposalRow {
    /// UUIDv7.
    pub id: String,
    /// Job.
    pub job_id: String,
    /// Member.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub member_id: UserId,
    /// Why the member and how, in Markdown; empty while the member is only invited.
    pub note: String,
    /// Rate or price, minor units.
    pub rate_minor: i64,
    /// When the member can work, in their own words (up to 200 characters); may be empty.
    pub availability: String,
    /// Where the proposal stands.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: ProposalStatus,
    /// Inviter.
    #[diesel(deserialize_as = crate::optional::NullableText, serialize_as = crate::optional::NullableText)]
    pub invited_by: Option<UserId>,
    /// Creation time.
    pub created_at: Millis,
    /// Last change.
    pub updated_at: Millis,
}

/// Adds a proposal.
pub fn insert_proposal(conn: &mut DbConnection, row: &ProposalRow) -> Result<(), StoreError> {
    diesel::insert_into(proposals::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Replaces a proposal's content and status.
pub fn update_proposal(conn: &mut DbConnection, row: &ProposalRow) -> Result<(), StoreError> {
    diesel::update(proposals::table.find(&row.id))
        .set((
            proposals::note.eq(&row.note),
            proposals::rate_minor.eq(row.rate_minor),
            proposals::availability.eq(&row.availability),
            proposals::status.eq(row.status.as_str()),
            proposals::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// One proposal.
pub fn proposal(conn: &mut DbConnection, id: &str) -> Result<Option<ProposalRow>, StoreError> {
    Ok(proposals::table
        .find(id)
        .select(ProposalRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A member's proposal to a job.
pub fn proposal_of(
    conn: &mut DbConnection,
    job_id: &str,
    member_id: UserId,
) -> Result<Option<ProposalRow>, StoreError> {
    Ok(proposals::table
        .filter(proposals::job_id.eq(job_id))
        .filter(proposals::member_id.eq(member_id.to_string()))
        .select(ProposalRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A job's proposals, oldest first.
pub fn proposals_of(conn: &mut DbConnection, job_id: &str) -> Result<Vec<ProposalRow>, StoreError> {
    Ok(proposals::table
        .filter(proposals::job_id.eq(job_id))
        .order(proposals::id)
        .select(ProposalRow::as_select())
        .load(conn)?)
}

/// A referral row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = referrals)]
pub struct ReferralRow {
    /// UUIDv7.
    pub id: String,
    /// Job.
    pub job_id: String,
    /// Who referred.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub referrer_id: UserId,
    /// Who was referred.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub member_id: UserId,
    /// Why.
    pub note: String,
    /// Time.
    pub created_at: Millis,
}

/// Adds a referral.
pub fn insert_referral(conn: &mut DbConnection, row: &ReferralRow) -> Result<(), StoreError> {
    diesel::insert_into(referrals::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// The referral of a member to a job.
pub fn referral_of(
    conn: &mut DbConnection,
    job_id: &str,
    member_id: UserId,
) -> Result<Option<ReferralRow>, StoreError> {
    Ok(referrals::table
        .filter(referrals::job_id.eq(job_id))
        .filter(referrals::member_id.eq(member_id.to_string()))
        .select(ReferralRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Whether `referrer` referred `member` to any job `client` posted.
pub fn referred_to_client(
    conn: &mut DbConnection,
    referrer: UserId,
    member: UserId,
    client: UserId,
) -> Result<bool, StoreError> {
    let client_jobs = jobs::table
        .filter(jobs::client_id.eq(client.to_string()))
        .select(jobs::id);
    let found: i64 = referrals::table
        .filter(referrals::referrer_id.eq(referrer.to_string()))
        .filter(referrals::member_id.eq(member.to_string()))
        .filter(referrals::job_id.eq_any(client_jobs))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

/// Every proposal `member` made or was invited to, oldest first.
pub fn proposals_by(
    conn: &mut DbConnection,
    member: UserId,
) -> Result<Vec<ProposalRow>, StoreError> {
    Ok(proposals::table
        .filter(proposals::member_id.eq(member.to_string()))
        .order((proposals::created_at, proposals::id))
        .select(ProposalRow::as_select())
        .load(conn)?)
}
