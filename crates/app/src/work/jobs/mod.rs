//! Jobs to be done: posted by a client (publicly or to one community), answered by proposals,
//! invitations and referrals, and filled by an offer made from a proposal.

mod proposals;
mod referrals;

pub use proposals::{Proposal, ProposalInput, SkillFit};
pub(crate) use referrals::hired;

use crate::accounts::Account;
use crate::events::record;
use crate::profiles::load_items;
use crate::{App, AppError};
use guildhall_domain::events::{Event, JobPosted, JobStatusChanged};
use guildhall_domain::ledger::MAX_AMOUNT;
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::visibility::visible_items;
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::jobs::{self as repo, JobRow};
use guildhall_store::repo::{communities, skills as skill_repo};
use proposals::{proposal_of, skill_fit};
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

pub(super) fn handle(c: &mut DbConnection, id: &str) -> Result<String, AppError> {
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

/// Whether `who` may see the job: its client always; others when it is not a draft and, for a
/// community job, they are members of the community.
pub(super) fn visible(c: &mut DbConnection, row: &JobRow, who_id: &str) -> Result<bool, AppError> {
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

pub(super) fn job_row(c: &mut DbConnection, id: &str, who_id: &str) -> Result<JobRow, AppError> {
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
}
