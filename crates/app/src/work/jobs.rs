//! Jobs to be done: posted by a client (publicly or to one community), answered by proposals,
//! invitations and referrals, and filled by an offer made from a proposal.

use super::{ContractView, MilestoneInput, OfferInput, check_offer, create_offer, view};
use crate::accounts::Account;
use crate::events::record;
use crate::profiles::load_items;
use crate::{App, AppError};
use guildhall_domain::events::{
    Event, InvitedToPropose, JobPosted, JobStatusChanged, ProposalReviewed, Proposed,
    ReferralHired, Referred,
};
use guildhall_domain::ledger::MAX_AMOUNT;
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::profile::{ItemData, ProfileItem};
use guildhall_domain::visibility::visible_items;
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::contracts::ContractRow;
use guildhall_store::repo::jobs::{self as repo, JobRow, ProposalRow, ReferralRow};
use guildhall_store::repo::{communities, skills as skill_repo, users};
use serde::{Deserialize, Serialize};

/// A skill a job asks for.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobSkill {
    /// The skill, in words (resolved to the taxonomy or a tag).
    pub label: String,
    /// How much it matters, 1 to 5.
    #[serde(default = "three")]
    pub weight: u8,
    /// The least level that will do, 1 to 5.
    #[serde(default = "one")]
    pub min_level: u8,
    /// Required (true) or nice to have.
    #[serde(default = "yes")]
    pub required: bool,
    /// Set by the server.
    #[serde(default)]
    pub skill_id: Option<String>,
}

fn three() -> u8 {
    3
}
fn one() -> u8 {
    1
}
fn yes() -> bool {
    true
}

/// Fixed price or hourly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Pricing {
    /// One price for the whole.
    Fixed,
    /// Per hour.
    Hourly,
}

/// A job's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Only the client sees it.
    Draft,
    /// Members it is shown to can propose.
    Open,
    /// A contract started.
    Filled,
    /// No longer taking proposals.
    Closed,
}

impl JobStatus {
    /// The status as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Draft => "draft",
            JobStatus::Open => "open",
            JobStatus::Filled => "filled",
            JobStatus::Closed => "closed",
        }
    }

    fn parse(s: &str) -> JobStatus {
        match s {
            "draft" => JobStatus::Draft,
            "open" => JobStatus::Open,
            "filled" => JobStatus::Filled,
            _ => JobStatus::Closed,
        }
    }
}

/// What posting a job asks for.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobInput {
    /// Title: the job to be done, narrowly.
    pub title: String,
    /// Details.
    #[serde(default)]
    pub description: String,
    /// The organisation you act for, if any.
    #[serde(default)]
    pub organisation: String,
    /// Skills, required and nice to have.
    pub skills: Vec<JobSkill>,
    /// Fixed or hourly.
    pub pricing: Pricing,
    /// Budget from, minor units.
    pub budget_min: i64,
    /// Budget to, minor units.
    pub budget_max: i64,
    /// ISO 4217.
    pub currency: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`.
    pub ends_on: String,
    /// Hours per week, if part-time.
    #[serde(default)]
    pub hours_per_week: Option<i32>,
    /// Whether it can be done remotely.
    #[serde(default = "yes")]
    pub remote: bool,
    /// Where, if not (only) remote.
    #[serde(default)]
    pub place: String,
    /// Earliest UTC offset of the time zones work can happen in, in minutes (-720 to 840).
    #[serde(default = "earliest")]
    pub tz_min_offset: i32,
    /// Latest UTC offset, in minutes.
    #[serde(default = "latest")]
    pub tz_max_offset: i32,
    /// Only this community's members see and propose (its slug).
    #[serde(default)]
    pub community: Option<String>,
    /// Open at once (true) or keep as a draft.
    #[serde(default = "yes")]
    pub publish: bool,
}

fn earliest() -> i32 {
    -720
}
fn latest() -> i32 {
    840
}

/// A job as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Job {
    /// Id.
    pub id: String,
    /// Client's handle.
    pub client: String,
    /// Organisation.
    pub organisation: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Skills.
    pub skills: Vec<JobSkill>,
    /// Pricing.
    pub pricing: Pricing,
    /// Budget, written out.
    pub budget: String,
    /// Budget from, minor units.
    pub budget_min: i64,
    /// Budget to, minor units.
    pub budget_max: i64,
    /// ISO 4217.
    pub currency: String,
    /// Start.
    pub starts_on: String,
    /// End.
    pub ends_on: String,
    /// Hours per week.
    pub hours_per_week: Option<i32>,
    /// Remote.
    pub remote: bool,
    /// Place.
    pub place: String,
    /// Time zone window (UTC offsets in minutes).
    pub tz_window: (i32, i32),
    /// Community slug, when scoped to one.
    pub community: Option<String>,
    /// State.
    pub status: JobStatus,
    /// Whether the caller posted it.
    pub yours: bool,
}

/// What a member proposes.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    /// Why you, and how.
    pub note: String,
    /// Your price (fixed) or hourly rate, minor units of the job's currency.
    pub rate: i64,
    /// When you can work.
    #[serde(default)]
    pub availability: String,
}

/// A proposal as shown to its member and to the client.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Proposal {
    /// Id.
    pub id: String,
    /// Job.
    pub job_id: String,
    /// Member's handle.
    pub member: String,
    /// Note.
    pub note: String,
    /// Rate or price, minor units.
    pub rate: i64,
    /// Written out.
    pub rate_display: String,
    /// Availability.
    pub availability: String,
    /// invited, submitted, shortlisted, declined, offered or withdrawn.
    pub status: String,
    /// Who invited the member, if invited.
    pub invited_by: Option<String>,
    /// Who referred the member to this job, if anyone.
    pub referred_by: Option<String>,
    /// How the member's skills meet the job's, as the member's profile shows them to the
    /// client. Filled for the job's client only.
    pub fit: Vec<SkillFit>,
    /// Whether the rate is inside the job's budget.
    pub within_budget: bool,
}

/// One of a job's skills against a proposing member's claim.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SkillFit {
    /// The job's skill.
    pub label: String,
    /// Required, or nice to have.
    pub required: bool,
    /// The least level the job asks for.
    pub min_level: u8,
    /// The level the member claims, if their profile shows the skill to the client.
    pub level: Option<u8>,
    /// Whether the claim reaches the minimum.
    pub meets: bool,
}

/// The job's skills against the skills `items` show: the explanation behind a proposal's fit.
fn skill_fit(job_skills: &[JobSkill], items: &[&ProfileItem]) -> Vec<SkillFit> {
    job_skills
        .iter()
        .map(|s| {
            let level = items.iter().find_map(|i| match &i.data {
                ItemData::Skill {
                    skill_id, level, ..
                } if skill_id.is_some() && *skill_id == s.skill_id => Some(*level),
                _ => None,
            });
            SkillFit {
                label: s.label.clone(),
                required: s.required,
                min_level: s.min_level,
                level,
                meets: level.is_some_and(|l| l >= s.min_level),
            }
        })
        .collect()
}

fn handle(c: &mut DbConnection, id: &str) -> Result<String, AppError> {
    super::handle_of(c, id)
}

fn job_of(c: &mut DbConnection, row: JobRow, who: Option<&Account>) -> Result<Job, AppError> {
    let cur = crate::stored::currency(&row.currency)?;
    let community = match &row.community_id {
        Some(id) => communities::by_id(c, id)?.map(|k| k.slug),
        None => None,
    };
    Ok(Job {
        client: handle(c, &row.client_id)?,
        budget: format!(
            "{} – {}{}",
            Money::new(row.budget_min, cur).display(),
            Money::new(row.budget_max, cur).display(),
            if row.pricing == "hourly" {
                " per hour"
            } else {
                ""
            }
        ),
        skills: serde_json::from_str(&row.skills).unwrap_or_default(),
        pricing: if row.pricing == "hourly" {
            Pricing::Hourly
        } else {
            Pricing::Fixed
        },
        status: JobStatus::parse(&row.status),
        yours: who.is_some_and(|w| row.client_id == w.id),
        tz_window: (row.tz_min_offset, row.tz_max_offset),
        community,
        id: row.id,
        organisation: row.organisation,
        title: row.title,
        description: row.description,
        budget_min: row.budget_min,
        budget_max: row.budget_max,
        currency: row.currency,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        hours_per_week: row.hours_per_week,
        remote: row.remote,
        place: row.place,
    })
}

fn proposal_of(c: &mut DbConnection, row: ProposalRow, job: &JobRow) -> Result<Proposal, AppError> {
    let referred_by = match repo::referral_of(c, &job.id, &row.member_id)? {
        Some(r) => Some(handle(c, &r.referrer_id)?),
        None => None,
    };
    Ok(Proposal {
        member: handle(c, &row.member_id)?,
        rate_display: Money::new(row.rate_minor, crate::stored::currency(&job.currency)?).display(),
        invited_by: match &row.invited_by {
            Some(id) => Some(handle(c, id)?),
            None => None,
        },
        referred_by,
        id: row.id,
        job_id: row.job_id,
        note: row.note,
        rate: row.rate_minor,
        within_budget: (job.budget_min..=job.budget_max).contains(&row.rate_minor),
        availability: row.availability,
        status: row.status,
        fit: Vec::new(),
    })
}

/// Whether `who` may see the job: its client always; others when it is not a draft and, for a
/// community job, they are members of the community.
fn visible(c: &mut DbConnection, row: &JobRow, who_id: &str) -> Result<bool, AppError> {
    if row.client_id == who_id {
        return Ok(true);
    }
    if row.status == "draft" {
        return Ok(false);
    }
    Ok(match &row.community_id {
        Some(k) => communities::role_of(c, k, who_id)?.is_some(),
        None => true,
    })
}

fn job_row(c: &mut DbConnection, id: &str, who_id: &str) -> Result<JobRow, AppError> {
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let row = repo::by_id(c, id)?.ok_or(AppError::NotFound)?;
    if !visible(c, &row, who_id)? {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

fn check_job(input: &JobInput) -> Result<(String, String, String, Currency, String), AppError> {
    let mut e = FieldErrors::new();
    let title = validation::text(&mut e, "/title", &input.title, 5, 200, false);
    let description = validation::text(&mut e, "/description", &input.description, 0, 8000, true);
    let organisation =
        validation::text(&mut e, "/organisation", &input.organisation, 0, 120, false);
    let cur = Currency::parse(&input.currency);
    if let Err(m) = cur {
        e.add("/currency", m);
    }
    if !(1..=30).contains(&input.skills.len()) {
        e.add("/skills", "name 1 to 30 skills");
    }
    if !input.skills.iter().any(|s| s.required) {
        e.add("/skills", "at least one skill must be required");
    }
    for (i, s) in input.skills.iter().enumerate() {
        validation::text(
            &mut e,
            &format!("/skills/{i}/label"),
            &s.label,
            1,
            100,
            false,
        );
        if !(1..=5).contains(&s.weight) {
            e.add(format!("/skills/{i}/weight"), "must be 1 to 5");
        }
        if !(1..=5).contains(&s.min_level) {
            e.add(format!("/skills/{i}/min_level"), "must be 1 to 5");
        }
    }
    if !(1..=MAX_AMOUNT).contains(&input.budget_min) {
        e.add("/budget_min", format!("must be between 1 and {MAX_AMOUNT}"));
    }
    if input.budget_max < input.budget_min || input.budget_max > MAX_AMOUNT {
        e.add("/budget_max", "must be at least the minimum budget");
    }
    let starts = validation::date(&mut e, "/starts_on", &input.starts_on);
    let ends = validation::date(&mut e, "/ends_on", &input.ends_on);
    if e.is_empty() && ends < starts {
        e.add("/ends_on", "must not be before the start");
    }
    if input.hours_per_week.is_some_and(|h| !(1..=80).contains(&h)) {
        e.add("/hours_per_week", "must be 1 to 80");
    }
    let place = validation::text(&mut e, "/place", &input.place, 0, 200, false);
    if !input.remote && place.is_empty() {
        e.add("/place", "say where, or allow remote work");
    }
    let window = -720..=840;
    if !window.contains(&input.tz_min_offset)
        || !window.contains(&input.tz_max_offset)
        || input.tz_max_offset < input.tz_min_offset
    {
        e.add(
            "/tz_min_offset",
            "the window runs from -720 to 840 minutes, earliest first",
        );
    }
    match cur {
        Ok(cur) if e.is_empty() => Ok((title, description, organisation, cur, place)),
        _ => Err(e.into()),
    }
}

/// Marks a job filled and rewards its referral when the contract made from it starts.
pub(crate) fn hired(
    c: &mut DbConnection,
    now: i64,
    job_id: &str,
    contract: &ContractRow,
) -> Result<(), AppError> {
    repo::set_status(c, job_id, JobStatus::Filled.as_str(), now)?;
    if let Some(r) = repo::referral_of(c, job_id, &contract.member_id)? {
        record(
            c,
            now,
            Event::ReferralHired(ReferralHired {
                referrer: r.referrer_id.clone(),
                job: job_id.to_string(),
                contract: contract.id.clone(),
                member: contract.member_id.clone(),
            }),
        )?;
    }
    Ok(())
}

impl App {
    /// Posts a job (open at once, or as a draft).
    pub fn post_job(&self, client: &Account, input: JobInput) -> Result<Job, AppError> {
        let (title, description, organisation, cur, place) = check_job(&input)?;
        let now = self.now();
        self.write(|c| {
            let community_id = match &input.community {
                Some(slug) => {
                    let k = communities::by_slug(c, &slug.trim().to_ascii_lowercase())?
                        .ok_or_else(|| AppError::field("/community", "no such community"))?;
                    if communities::role_of(c, &k.id, &client.id)?.is_none() {
                        return Err(AppError::field(
                            "/community",
                            "you can post only to communities you belong to",
                        ));
                    }
                    Some(k.id)
                }
                None => None,
            };
            let mut skills = Vec::new();
            for s in &input.skills {
                let (id, _) = crate::skills::resolve_or_tag(c, &s.label, &client.id, now, true)?;
                let label = skill_repo::by_id(c, &id)?
                    .map(|k| k.preferred_label)
                    .unwrap_or_else(|| s.label.clone());
                skills.push(JobSkill {
                    skill_id: Some(id),
                    label,
                    ..s.clone()
                });
            }
            let row = JobRow {
                id: uuid::Uuid::now_v7().to_string(),
                client_id: client.id.clone(),
                organisation: organisation.clone(),
                title: title.clone(),
                description: description.clone(),
                skills: serde_json::to_string(&skills)
                    .map_err(|e| AppError::caused("encoding the job's skills", e))?,
                pricing: match input.pricing {
                    Pricing::Fixed => "fixed".into(),
                    Pricing::Hourly => "hourly".into(),
                },
                budget_min: input.budget_min,
                budget_max: input.budget_max,
                currency: cur.code().into(),
                starts_on: input.starts_on.trim().into(),
                ends_on: input.ends_on.trim().into(),
                hours_per_week: input.hours_per_week,
                remote: input.remote,
                place: place.clone(),
                tz_min_offset: input.tz_min_offset,
                tz_max_offset: input.tz_max_offset,
                community_id,
                status: if input.publish { "open" } else { "draft" }.into(),
                created_at: now,
                updated_at: now,
            };
            repo::insert(c, &row)?;
            record(
                c,
                now,
                Event::JobPosted(JobPosted {
                    client: client.id.clone(),
                    job: row.id.clone(),
                    status: row.status.clone(),
                    community: row.community_id.clone(),
                }),
            )?;
            job_of(c, row, Some(client))
        })
    }

    /// Opens a draft, or closes a job (its client).
    pub fn set_job_status(
        &self,
        client: &Account,
        id: &str,
        status: JobStatus,
    ) -> Result<Job, AppError> {
        let now = self.now();
        self.write(|c| {
            let row = job_row(c, id, &client.id)?;
            if row.client_id != client.id {
                return Err(AppError::Forbidden("only its client changes a job".into()));
            }
            let from = JobStatus::parse(&row.status);
            let allowed = matches!(
                (from, status),
                (JobStatus::Draft, JobStatus::Open)
                    | (JobStatus::Draft | JobStatus::Open, JobStatus::Closed)
            );
            if !allowed {
                return Err(AppError::conflict(
                    None,
                    format!("a {} job cannot become {}", from.as_str(), status.as_str()),
                ));
            }
            repo::set_status(c, &row.id, status.as_str(), now)?;
            record(
                c,
                now,
                Event::JobStatusChanged(JobStatusChanged {
                    client: client.id.clone(),
                    job: row.id.clone(),
                    from: from.as_str().into(),
                    to: status.as_str().into(),
                }),
            )?;
            let row = repo::by_id(c, &row.id)?.ok_or(AppError::NotFound)?;
            job_of(c, row, Some(client))
        })
    }

    /// Open jobs the caller may see: public ones and those of the caller's communities.
    pub fn open_jobs(&self, who: &Account) -> Result<Vec<Job>, AppError> {
        self.read(|c| {
            let mine: Vec<String> = communities::of_member(c, &who.id)?
                .into_iter()
                .map(|(k, _)| k)
                .collect();
            repo::open(c, &mine, 200)?
                .into_iter()
                .map(|row| job_of(c, row, Some(who)))
                .collect()
        })
    }

    /// Public open jobs, newest first, as a visitor who is not signed in sees them.
    pub fn public_jobs(&self, limit: i64) -> Result<Vec<Job>, AppError> {
        self.read(|c| {
            repo::open(c, &[], limit)?
                .into_iter()
                .map(|row| job_of(c, row, None))
                .collect()
        })
    }

    /// The caller's own jobs.
    pub fn my_jobs(&self, client: &Account) -> Result<Vec<Job>, AppError> {
        self.read(|c| {
            repo::of_client(c, &client.id)?
                .into_iter()
                .map(|row| job_of(c, row, Some(client)))
                .collect()
        })
    }

    /// One job, with the proposals: all of them for its client, the caller's own otherwise.
    pub fn job(&self, who: &Account, id: &str) -> Result<(Job, Vec<Proposal>), AppError> {
        self.read(|c| {
            let row = job_row(c, id, &who.id)?;
            let is_client = row.client_id == who.id;
            let job_skills: Vec<JobSkill> = serde_json::from_str(&row.skills).unwrap_or_default();
            let mut proposals = Vec::new();
            for p in repo::proposals_of(c, &row.id)? {
                if !is_client && p.member_id != who.id {
                    continue;
                }
                let member_id = p.member_id.clone();
                let mut proposal = proposal_of(c, p, &row)?;
                if is_client {
                    let viewer = self.relation(c, Some(who), &member_id)?;
                    let items = load_items(c, &member_id)?;
                    proposal.fit = skill_fit(&job_skills, &visible_items(&items, &viewer));
                }
                proposals.push(proposal);
            }
            Ok((job_of(c, row, Some(who))?, proposals))
        })
    }

    /// Proposes for an open job (or answers an invitation to it).
    pub fn propose(
        &self,
        member: &Account,
        job_id: &str,
        input: ProposalInput,
    ) -> Result<Proposal, AppError> {
        let mut e = FieldErrors::new();
        let note = validation::text(&mut e, "/note", &input.note, 10, 4000, true);
        let availability =
            validation::text(&mut e, "/availability", &input.availability, 0, 200, false);
        if !(1..=MAX_AMOUNT).contains(&input.rate) {
            e.add("/rate", format!("must be between 1 and {MAX_AMOUNT}"));
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let now = self.now();
        self.write(|c| {
            let job = job_row(c, job_id, &member.id)?;
            if job.client_id == member.id {
                return Err(AppError::conflict(None, "this is your own job"));
            }
            if job.status != "open" {
                return Err(AppError::conflict(None, "this job takes no proposals now"));
            }
            let row = match repo::proposal_of(c, &job.id, &member.id)? {
                Some(p) if p.status == "invited" || p.status == "withdrawn" => ProposalRow {
                    note: note.clone(),
                    rate_minor: input.rate,
                    availability: availability.clone(),
                    status: "submitted".into(),
                    updated_at: now,
                    ..p
                },
                Some(_) => {
                    return Err(AppError::conflict(
                        None,
                        "you already proposed for this job",
                    ));
                }
                None => {
                    let p = ProposalRow {
                        id: uuid::Uuid::now_v7().to_string(),
                        job_id: job.id.clone(),
                        member_id: member.id.clone(),
                        note: note.clone(),
                        rate_minor: input.rate,
                        availability: availability.clone(),
                        status: "submitted".into(),
                        invited_by: None,
                        created_at: now,
                        updated_at: now,
                    };
                    repo::insert_proposal(c, &p)?;
                    p
                }
            };
            repo::update_proposal(c, &row)?;
            record(
                c,
                now,
                Event::Proposed(Proposed {
                    member: member.id.clone(),
                    job: job.id.clone(),
                    proposal: row.id.clone(),
                    client: job.client_id.clone(),
                    rate: row.rate_minor,
                }),
            )?;
            proposal_of(c, row, &job)
        })
    }

    /// Invites a member to propose: the job's client, or a curator of its community.
    pub fn invite_to_job(
        &self,
        who: &Account,
        job_id: &str,
        handle_: &str,
    ) -> Result<Proposal, AppError> {
        let now = self.now();
        self.write(|c| {
            let job = job_row(c, job_id, &who.id)?;
            let curator = match &job.community_id {
                Some(k) => communities::role_of(c, k, &who.id)?
                    .is_some_and(|r| r == "owner" || r == "curator"),
                None => false,
            };
            if job.client_id != who.id && !curator {
                return Err(AppError::Forbidden(
                    "only the client or a curator of its community invites".into(),
                ));
            }
            if job.status != "open" {
                return Err(AppError::conflict(None, "this job takes no proposals now"));
            }
            let member = users::by_handle(c, handle_)?
                .ok_or_else(|| AppError::field("/handle", "no member has this handle"))?;
            if member.id == job.client_id || !visible(c, &job, &member.id)? {
                return Err(AppError::field(
                    "/handle",
                    "this member cannot take this job",
                ));
            }
            if repo::proposal_of(c, &job.id, &member.id)?.is_some() {
                return Err(AppError::conflict(
                    Some("/handle"),
                    "already invited or proposed",
                ));
            }
            let row = ProposalRow {
                id: uuid::Uuid::now_v7().to_string(),
                job_id: job.id.clone(),
                member_id: member.id.clone(),
                note: String::new(),
                rate_minor: 0,
                availability: String::new(),
                status: "invited".into(),
                invited_by: Some(who.id.clone()),
                created_at: now,
                updated_at: now,
            };
            repo::insert_proposal(c, &row)?;
            record(
                c,
                now,
                Event::InvitedToPropose(InvitedToPropose {
                    by: who.id.clone(),
                    job: job.id.clone(),
                    member: member.id.clone(),
                }),
            )?;
            proposal_of(c, row, &job)
        })
    }

    /// Refers another member to a job, with a note. If they are hired, the referrer is
    /// rewarded on every release of the contract.
    pub fn refer(
        &self,
        referrer: &Account,
        job_id: &str,
        handle_: &str,
        note: &str,
    ) -> Result<(), AppError> {
        let mut e = FieldErrors::new();
        let note = validation::text(&mut e, "/note", note, 0, 1000, true);
        if !e.is_empty() {
            return Err(e.into());
        }
        let now = self.now();
        self.write(|c| {
            let job = job_row(c, job_id, &referrer.id)?;
            if job.status != "open" {
                return Err(AppError::conflict(None, "this job takes no proposals now"));
            }
            let member = users::by_handle(c, handle_)?
                .ok_or_else(|| AppError::field("/handle", "no member has this handle"))?;
            if member.id == referrer.id
                || member.id == job.client_id
                || job.client_id == referrer.id
            {
                return Err(AppError::field(
                    "/handle",
                    "refer someone other than yourself or the client",
                ));
            }
            if !visible(c, &job, &member.id)? {
                return Err(AppError::field(
                    "/handle",
                    "this member cannot see this job",
                ));
            }
            if repo::referral_of(c, &job.id, &member.id)?.is_some() {
                return Err(AppError::conflict(
                    Some("/handle"),
                    "someone already referred this member",
                ));
            }
            let row = ReferralRow {
                id: uuid::Uuid::now_v7().to_string(),
                job_id: job.id.clone(),
                referrer_id: referrer.id.clone(),
                member_id: member.id.clone(),
                note: note.clone(),
                created_at: now,
            };
            repo::insert_referral(c, &row)?;
            record(
                c,
                now,
                Event::Referred(Referred {
                    referrer: referrer.id.clone(),
                    job: job.id.clone(),
                    member: member.id.clone(),
                    note: note.to_string(),
                }),
            )
        })
    }

    /// Shortlists or declines a proposal (the client).
    pub fn review_proposal(
        &self,
        client: &Account,
        proposal_id: &str,
        shortlist: bool,
    ) -> Result<Proposal, AppError> {
        let now = self.now();
        self.write(|c| {
            let mut p = repo::proposal(c, proposal_id)?.ok_or(AppError::NotFound)?;
            let job = job_row(c, &p.job_id, &client.id)?;
            if job.client_id != client.id {
                return Err(AppError::NotFound);
            }
            if !matches!(p.status.as_str(), "submitted" | "shortlisted") {
                return Err(AppError::conflict(
                    None,
                    format!("the proposal is {}", p.status),
                ));
            }
            p.status = if shortlist { "shortlisted" } else { "declined" }.into();
            p.updated_at = now;
            repo::update_proposal(c, &p)?;
            record(
                c,
                now,
                Event::ProposalReviewed(ProposalReviewed {
                    client: client.id.clone(),
                    job: job.id.clone(),
                    proposal: p.id.clone(),
                    member: p.member_id.clone(),
                    status: p.status.clone(),
                }),
            )?;
            proposal_of(c, p, &job)
        })
    }

    /// Offers a contract to the member of a proposal. A referral of that member to the job makes
    /// its referrer the contract's referrer; a community job pays its community a share.
    pub fn offer_from_proposal(
        &self,
        client: &Account,
        proposal_id: &str,
        milestones: Vec<MilestoneInput>,
    ) -> Result<ContractView, AppError> {
        let now = self.now();
        let settings = self.settings().work;
        self.write(|c| {
            let mut p = repo::proposal(c, proposal_id)?.ok_or(AppError::NotFound)?;
            let job = job_row(c, &p.job_id, &client.id)?;
            if job.client_id != client.id {
                return Err(AppError::NotFound);
            }
            if !matches!(p.status.as_str(), "submitted" | "shortlisted") || job.status != "open" {
                return Err(AppError::conflict(
                    None,
                    "this proposal cannot be offered a contract now",
                ));
            }
            let referrer = match repo::referral_of(c, &job.id, &p.member_id)? {
                Some(r) => Some(handle(c, &r.referrer_id)?),
                None => None,
            };
            let community = match &job.community_id {
                Some(id) => communities::by_id(c, id)?.map(|k| k.slug),
                None => None,
            };
            let input = OfferInput {
                member: handle(c, &p.member_id)?,
                title: job.title.clone(),
                currency: job.currency.clone(),
                milestones: milestones.clone(),
                community,
                referrer,
            };
            let checked = check_offer(&input, now)?;
            let row = create_offer(c, now, &settings, client, &input, &checked, Some(&job.id))?;
            p.status = "offered".into();
            p.updated_at = now;
            repo::update_proposal(c, &p)?;
            view(c, row)
        })
    }
}
