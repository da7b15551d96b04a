//! Jobs and proposals: their states and the rules over them — what a job must say, who sees
//! it, who may propose or invite, which steps a proposal may take, and how a member's skills
//! meet a job's. Pure, so the use cases and the pages ask the same rules.

use crate::community::Role;
use crate::ledger::MAX_AMOUNT;
use crate::money::Currency;
use crate::profile::{ItemData, ProfileItem};
use crate::{FieldErrors, validation};
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

impl Pricing {
    /// The pricing as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Pricing::Fixed => "fixed",
            Pricing::Hourly => "hourly",
        }
    }

    /// Parses a stored pricing; `None` for a value no version wrote.
    pub fn parse(s: &str) -> Option<Pricing> {
        match s {
            "fixed" => Some(Pricing::Fixed),
            "hourly" => Some(Pricing::Hourly),
            _ => None,
        }
    }
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

    /// Parses a stored status; `None` for a value no version wrote.
    pub fn parse(s: &str) -> Option<JobStatus> {
        match s {
            "draft" => Some(JobStatus::Draft),
            "open" => Some(JobStatus::Open),
            "filled" => Some(JobStatus::Filled),
            "closed" => Some(JobStatus::Closed),
            _ => None,
        }
    }

    /// Whether its client may move a job from this state to `to`: publish a draft, close a
    /// draft or an open job. A filled job moves only when its contract starts.
    pub fn may_become(self, to: JobStatus) -> bool {
        matches!(
            (self, to),
            (JobStatus::Draft, JobStatus::Open)
                | (JobStatus::Draft | JobStatus::Open, JobStatus::Closed)
        )
    }
}

/// Where a proposal stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProposalStatus {
    /// The client or a curator asked the member to propose; the member has not yet.
    Invited,
    /// The member proposed.
    Submitted,
    /// The client keeps it in mind.
    Shortlisted,
    /// The client said no.
    Declined,
    /// The client made an offer from it.
    Offered,
    /// The member took it back.
    Withdrawn,
}

impl ProposalStatus {
    /// The status as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Invited => "invited",
            ProposalStatus::Submitted => "submitted",
            ProposalStatus::Shortlisted => "shortlisted",
            ProposalStatus::Declined => "declined",
            ProposalStatus::Offered => "offered",
            ProposalStatus::Withdrawn => "withdrawn",
        }
    }

    /// Parses a stored status; `None` for a value no version wrote.
    pub fn parse(s: &str) -> Option<ProposalStatus> {
        [
            ProposalStatus::Invited,
            ProposalStatus::Submitted,
            ProposalStatus::Shortlisted,
            ProposalStatus::Declined,
            ProposalStatus::Offered,
            ProposalStatus::Withdrawn,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }

    /// Whether the client can still shortlist, decline or make an offer from it.
    pub fn awaits_client(self) -> bool {
        matches!(
            self,
            ProposalStatus::Submitted | ProposalStatus::Shortlisted
        )
    }
}

/// Whether someone sees a job: its client always; others once it is published, and for a
/// community's job only its members.
pub fn visible(status: JobStatus, is_client: bool, in_its_community: bool) -> bool {
    is_client || (status != JobStatus::Draft && in_its_community)
}

/// Whether a member may propose for a job: an open job of someone else's, which they have not
/// proposed for yet (an invitation, or a proposal they withdrew, may be answered again).
pub fn may_propose(status: JobStatus, is_client: bool, own: Option<ProposalStatus>) -> bool {
    status == JobStatus::Open
        && !is_client
        && own.is_none_or(|p| matches!(p, ProposalStatus::Invited | ProposalStatus::Withdrawn))
}

/// Whether someone may invite members to propose for an open job: its client, or an owner or
/// curator of the community it is posted to (`role` is their role there).
pub fn may_invite(status: JobStatus, is_client: bool, role: Option<Role>) -> bool {
    status == JobStatus::Open && (is_client || role.is_some_and(Role::is_staff))
}

/// What posting a job asks for.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobInput {
    /// Title: the job to be done, narrowly.
    pub title: String,
    /// What the work is, in Markdown.
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
    /// The occupation the work belongs to: the id of one of ESCO's ICT occupations
    /// (`GET /api/v1/occupations`); optional.
    #[serde(default)]
    pub occupation: Option<String>,
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

/// A job's texts, trimmed and checked, and its currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedJob {
    /// The title.
    pub title: String,
    /// The description.
    pub description: String,
    /// The organisation, or empty.
    pub organisation: String,
    /// The budget's currency.
    pub currency: Currency,
    /// Where, or empty for remote work.
    pub place: String,
}

/// The most skills a job may name.
pub const MOST_JOB_SKILLS: usize = 30;

/// Checks a list of wanted skills (a job's, or a saved search's): 1 to `most` of them, each
/// named in 1 to 100 characters, with a weight and a least level of 1 to 5.
pub fn check_skills(e: &mut FieldErrors, skills: &[JobSkill], most: usize) {
    if !(1..=most).contains(&skills.len()) {
        e.add("/skills", format!("name 1 to {most} skills"));
    }
    for (i, s) in skills.iter().enumerate() {
        validation::text(e, &format!("/skills/{i}/label"), &s.label, 1, 100, false);
        if !(1..=5).contains(&s.weight) {
            e.add(format!("/skills/{i}/weight"), "must be 1 to 5");
        }
        if !(1..=5).contains(&s.min_level) {
            e.add(format!("/skills/{i}/min_level"), "must be 1 to 5");
        }
    }
}

/// Checks everything a job says, naming each field that is wrong.
pub fn check(input: &JobInput) -> Result<CheckedJob, FieldErrors> {
    let mut e = FieldErrors::new();
    let title = validation::text(&mut e, "/title", &input.title, 5, 200, false);
    let description = validation::text(&mut e, "/description", &input.description, 0, 8000, true);
    let organisation =
        validation::text(&mut e, "/organisation", &input.organisation, 0, 120, false);
    let currency = Currency::parse(&input.currency);
    if let Err(m) = currency {
        e.add("/currency", m);
    }
    check_skills(&mut e, &input.skills, MOST_JOB_SKILLS);
    if !input.skills.iter().any(|s| s.required) {
        e.add("/skills", "at least one skill must be required");
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
    match currency {
        Ok(currency) if e.is_empty() => Ok(CheckedJob {
            title,
            description,
            organisation,
            currency,
            place,
        }),
        _ => Err(e),
    }
}

/// One of a job's skills against a proposing member's claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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
/// Only skills resolved to the taxonomy match (a tag is only words).
pub fn skill_fit(job_skills: &[JobSkill], items: &[&ProfileItem]) -> Vec<SkillFit> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_the_clients_alone_and_community_jobs_its_members() {
        assert!(visible(JobStatus::Draft, true, false));
        assert!(!visible(JobStatus::Draft, false, true));
        assert!(visible(JobStatus::Open, false, true));
        assert!(!visible(JobStatus::Open, false, false));
        assert!(visible(JobStatus::Closed, false, true));
    }

    #[test]
    fn clients_publish_drafts_and_close_what_is_not_filled() {
        assert!(JobStatus::Draft.may_become(JobStatus::Open));
        assert!(JobStatus::Open.may_become(JobStatus::Closed));
        assert!(!JobStatus::Closed.may_become(JobStatus::Open));
        assert!(!JobStatus::Filled.may_become(JobStatus::Closed));
        assert!(!JobStatus::Open.may_become(JobStatus::Filled));
    }

    #[test]
    fn proposals_come_once_from_others_while_the_job_is_open() {
        assert!(may_propose(JobStatus::Open, false, None));
        assert!(!may_propose(JobStatus::Open, true, None), "own job");
        assert!(!may_propose(JobStatus::Closed, false, None));
        assert!(may_propose(
            JobStatus::Open,
            false,
            Some(ProposalStatus::Invited)
        ));
        assert!(may_propose(
            JobStatus::Open,
            false,
            Some(ProposalStatus::Withdrawn)
        ));
        assert!(!may_propose(
            JobStatus::Open,
            false,
            Some(ProposalStatus::Submitted)
        ));
    }

    #[test]
    fn the_client_and_the_communitys_staff_invite() {
        assert!(may_invite(JobStatus::Open, true, None));
        assert!(may_invite(JobStatus::Open, false, Some(Role::Curator)));
        assert!(may_invite(JobStatus::Open, false, Some(Role::Owner)));
        assert!(!may_invite(JobStatus::Open, false, Some(Role::Mentor)));
        assert!(!may_invite(JobStatus::Draft, true, None));
    }

    #[test]
    fn stored_statuses_round_trip_and_unknown_ones_are_refused() {
        for s in ["draft", "open", "filled", "closed"] {
            assert_eq!(JobStatus::parse(s).map(JobStatus::as_str), Some(s));
        }
        for s in [
            "invited",
            "submitted",
            "shortlisted",
            "declined",
            "offered",
            "withdrawn",
        ] {
            assert_eq!(
                ProposalStatus::parse(s).map(ProposalStatus::as_str),
                Some(s)
            );
        }
        assert_eq!(JobStatus::parse("archived"), None);
        assert_eq!(ProposalStatus::parse(""), None);
        assert_eq!(Pricing::parse("daily"), None);
    }
}
