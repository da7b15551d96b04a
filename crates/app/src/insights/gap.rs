//! A member's skills gap for a job, one of their saved searches or an occupation, with the
//! ways across each gap that their communities and the instance offer: resources, mentors,
//! members who closed the same gap, and the open jobs closing it would bring in reach.

use super::occupations;
use crate::AppError;
use crate::accounts::Account;
use crate::communities::SkillRef;
use crate::matching::{Loaded, SearchInput, client_of};
use crate::profiles::load_items;
use guildhall_domain::UserId;
use guildhall_domain::insights::gap::{self, Asked, Gap};
use guildhall_domain::job::JobSkill;
use guildhall_domain::matching::Client;
use guildhall_domain::profile::{ItemData, ProfileItem};
use guildhall_store::repo::{communities, items, jobs, learning, mentoring, shortlists, users};
use guildhall_store::{DbConnection, StoreError};
use serde::Serialize;
use std::collections::HashMap;

/// Open jobs read for demand and reach, newest first: enough for a skill's share of the work
/// to settle, few enough to read on every request.
const OPEN_JOBS_READ: i64 = 2000;
/// Resources, mentors, members and jobs listed for each gap, at most.
const PER_GAP: usize = 5;
/// Members holding a skill looked at for each gap, to find those who closed it.
const HOLDERS_READ: usize = 200;
/// A skill first claimed this long after joining was gained here, not brought along.
const GAINED_AFTER_MS: i64 = 30 * 24 * 3600 * 1000;

/// What a gap is measured against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// A job the member may see.
    Job,
    /// One of the member's saved talent searches.
    SavedSearch,
    /// An ESCO ICT occupation.
    Occupation,
}

/// The target of a gap report.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct GapTarget {
    /// Job, saved search or occupation.
    pub kind: TargetKind,
    /// Its id.
    pub id: String,
    /// Its title, name or label.
    pub title: String,
}

/// A learning resource of one of the member's communities that teaches the skill.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct GapResource {
    /// The resource's id.
    pub id: String,
    /// What it is called.
    pub title: String,
    /// Its link.
    pub url: String,
    /// The community whose catalogue holds it (its slug).
    pub community: String,
}

/// A mentor who offers help in the skill in one of the member's communities.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct GapMentor {
    /// The offer to answer: send it as `offer_id` to ask for mentoring.
    pub offer_id: String,
    /// The mentor's handle.
    pub mentor: String,
    /// The community of the offer (its slug), where the request goes.
    pub community: String,
    /// Whether the mentor takes learners along on real work.
    pub on_real_work: bool,
}

/// An open job, named.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct JobLink {
    /// The job's id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// One skill the member lacks or holds below the level asked, and the ways across.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SkillGap {
    /// The skill.
    pub skill: SkillRef,
    /// The level the member shows on their profile, if any (1 to 5).
    pub held: Option<u8>,
    /// The level asked (1 to 5).
    pub wanted: u8,
    /// How much the target says it matters, 1 to 5.
    pub weight: u8,
    /// Required, or nice to have.
    pub required: bool,
    /// Open jobs the member may see that ask for the skill.
    pub open_jobs_asking: u32,
    /// How much closing it is worth: weight × levels short × (1 + share of open jobs asking),
    /// halved when only nice to have. Gaps come highest first.
    pub score: f64,
    /// The gap in words.
    pub why: String,
    /// Learning resources of the member's communities that teach it.
    pub resources: Vec<GapResource>,
    /// Mentors who offer it in the member's communities.
    pub mentors: Vec<GapMentor>,
    /// Members who gained the skill at the level asked after they joined (a month or more
    /// after), among those who show it to this member; by handle, most recent first.
    pub closed_by: Vec<String>,
    /// Open jobs for which this skill is all that is missing of what they require.
    pub reachable_jobs: Vec<JobLink>,
    /// The common paths members took to the skill (each followed by five or more).
    pub paths: Vec<super::paths::LearningPath>,
}

/// A member's skills gap for one target.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct GapReport {
    /// What the gap is measured against.
    pub target: GapTarget,
    /// The skills asked that the member lacks or holds below the level asked, most worth
    /// closing first.
    pub gaps: Vec<SkillGap>,
    /// The skills asked that the member already shows at the level asked.
    pub met: Vec<SkillRef>,
    /// Skills asked in words the taxonomy does not know: they cannot be measured.
    pub unmeasured: Vec<String>,
    /// The open jobs (other people's, that the member may see) demand was counted over.
    pub open_jobs: u32,
}

/// A target resolved: what it asks.
struct Target {
    info: GapTarget,
    asked: Vec<Asked>,
    unmeasured: Vec<String>,
}

fn corrupt(what: &str, e: serde_json::Error) -> AppError {
    StoreError::Corrupt(format!("{what}: {e}")).into()
}

/// The skills a job or a search asks, and the words of those that are only tags.
fn of_skills(kind: TargetKind, id: String, title: String, skills: &[JobSkill]) -> Target {
    Target {
        info: GapTarget { kind, id, title },
        asked: Asked::of_job(skills),
        unmeasured: skills
            .iter()
            .filter(|s| s.skill_id.is_none())
            .map(|s| s.label.clone())
            .collect(),
    }
}

fn job_target(c: &mut DbConnection, who: &Account, id: &str) -> Result<Target, AppError> {
    let row = crate::work::jobs::job_row(c, id, who.id)?;
    let skills: Vec<JobSkill> =
        serde_json::from_str(&row.skills).map_err(|e| corrupt("a job's skills", e))?;
    Ok(of_skills(TargetKind::Job, row.id, row.title, &skills))
}

fn search_target(c: &mut DbConnection, who: &Account, id: &str) -> Result<Target, AppError> {
    let row = shortlists::search(c, id)?
        .filter(|s| s.user_id == who.id)
        .ok_or(AppError::NotFound)?;
    let search: SearchInput =
        serde_json::from_str(&row.wanted).map_err(|e| corrupt("a saved search", e))?;
    Ok(of_skills(
        TargetKind::SavedSearch,
        row.id,
        row.name,
        &search.skills,
    ))
}

fn occupation_target(c: &mut DbConnection, id: &str) -> Result<Target, AppError> {
    let o = occupations::occupation(id)?;
    let (asked, unmeasured) = occupations::asked_by(c, o)?;
    Ok(Target {
        info: GapTarget {
            kind: TargetKind::Occupation,
            id: occupations::id_of(o).to_string(),
            title: o.label.clone(),
        },
        asked,
        unmeasured,
    })
}

/// The highest level of each skill `items` claim.
pub(crate) fn held_levels<'a>(items: impl Iterator<Item = &'a ProfileItem>) -> HashMap<String, u8> {
    let mut held = HashMap::new();
    for item in items {
        if let ItemData::Skill {
            skill_id: Some(id),
            level,
            ..
        } = &item.data
        {
            let l = held.entry(id.clone()).or_insert(0);
            *l = (*l).max(*level);
        }
    }
    held
}

/// An open job as the gap reads it.
struct OpenJob {
    id: String,
    title: String,
    asked: Vec<Asked>,
}

/// The ways across that the member's communities offer, read once per report.
struct Ways {
    resources: Vec<(learning::ResourceRow, Vec<String>, String)>,
    offers: Vec<(mentoring::OfferRow, Vec<String>, String)>,
    mentors: HashMap<UserId, String>,
}

fn ids(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

fn ways(c: &mut DbConnection, who: UserId, mine: &[String]) -> Result<Ways, AppError> {
    let (mut resources, mut offers) = (Vec::new(), Vec::new());
    for id in mine {
        let slug = communities::by_id(c, id)?
            .map(|k| k.slug)
            .unwrap_or_default();
        for r in learning::of_community(c, id)? {
            let skills = ids(&r.skills);
            resources.push((r, skills, slug.clone()));
        }
        for o in mentoring::offers_of(c, id)? {
            if o.mentor_id != who {
                let skills = ids(&o.skills);
                offers.push((o, skills, slug.clone()));
            }
        }
    }
    let mentor_ids: Vec<UserId> = offers.iter().map(|(o, _, _)| o.mentor_id).collect();
    let mentors = users::handles(c, &mentor_ids)?.into_iter().collect();
    Ok(Ways {
        resources,
        offers,
        mentors,
    })
}

impl Ways {
    fn resources_for(&self, skill: &str) -> Vec<GapResource> {
        self.resources
            .iter()
            .filter(|(_, skills, _)| skills.iter().any(|s| s == skill))
            .take(PER_GAP)
            .map(|(r, _, slug)| GapResource {
                id: r.id.clone(),
                title: r.title.clone(),
                url: r.url.clone(),
                community: slug.clone(),
            })
            .collect()
    }

    fn mentors_for(&self, skill: &str) -> Vec<GapMentor> {
        self.offers
            .iter()
            .filter(|(_, skills, _)| skills.iter().any(|s| s == skill))
            .filter_map(|(o, _, slug)| {
                Some(GapMentor {
                    offer_id: o.id.clone(),
                    mentor: self.mentors.get(&o.mentor_id)?.clone(),
                    community: slug.clone(),
                    on_real_work: o.on_real_work,
                })
            })
            .take(PER_GAP)
            .collect()
    }
}

/// Members who show `client` the skill at `level` and first claimed it a month or more after
/// joining, most recent first.
fn closed_by(
    c: &mut DbConnection,
    loaded: &Loaded,
    client: &Client,
    skill_id: &str,
    level: u8,
) -> Result<Vec<String>, AppError> {
    let Some(skill) = loaded.skill_no(skill_id) else {
        return Ok(Vec::new());
    };
    let holders: Vec<UserId> = loaded
        .index
        .holders(skill, level, client, HOLDERS_READ)
        .into_iter()
        .map(|n| loaded.user(n))
        .collect();
    if holders.is_empty() {
        return Ok(Vec::new());
    }
    let joined: HashMap<UserId, i64> = users::joined(c, &holders)?.into_iter().collect();
    let mut gained: Vec<(i64, UserId)> = items::first_claims_by(c, skill_id, &holders)?
        .into_iter()
        .filter(|(u, at)| joined.get(u).is_some_and(|j| at - j >= GAINED_AFTER_MS))
        .map(|(u, at)| (at, u))
        .collect();
    gained.sort_by(|a, b| b.cmp(a));
    gained.truncate(PER_GAP);
    let order: Vec<UserId> = gained.into_iter().map(|(_, u)| u).collect();
    let handles: HashMap<UserId, String> = users::handles(c, &order)?.into_iter().collect();
    Ok(order
        .iter()
        .filter_map(|u| handles.get(u).cloned())
        .collect())
}

/// The gap in words.
fn why(g: &Gap, asking: u32, open: usize) -> String {
    let have = match g.held {
        None => "You don't show this skill yet".to_string(),
        Some(l) => format!("You show level {l}"),
    };
    let kind = if g.required {
        "required"
    } else {
        "nice to have"
    };
    let demand = match open {
        0 => "there are no open jobs to compare with".to_string(),
        1 => format!("{asking} of the 1 open job you can see asks for it"),
        n if asking == 1 => format!("1 of the {n} open jobs you can see asks for it"),
        n => format!("{asking} of the {n} open jobs you can see ask for it"),
    };
    format!(
        "{have}; level {} is asked ({kind}, weight {} of 5); {demand}.",
        g.wanted, g.weight
    )
}

/// The report for `target`, as `who` may see it.
fn report(
    c: &mut DbConnection,
    loaded: &Loaded,
    who: &Account,
    target: Target,
) -> Result<GapReport, AppError> {
    let held = held_levels(load_items(c, who.id)?.iter());
    let mine: Vec<String> = communities::of_member(c, who.id)?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let open: Vec<OpenJob> = jobs::open(c, &mine, OPEN_JOBS_READ)?
        .into_iter()
        .filter(|j| j.client_id != who.id && j.id != target.info.id)
        .map(|j| {
            let skills: Vec<JobSkill> = serde_json::from_str(&j.skills).unwrap_or_default();
            OpenJob {
                id: j.id,
                title: j.title,
                asked: Asked::of_job(&skills),
            }
        })
        .collect();
    let mut asking: HashMap<&str, u32> = HashMap::new();
    for job in &open {
        for a in &job.asked {
            *asking.entry(a.skill_id.as_str()).or_default() += 1;
        }
    }
    let total = open.len();
    let share = |id: &str| match total {
        0 => 0.0,
        n => f64::from(asking.get(id).copied().unwrap_or(0)) / n as f64,
    };
    let found = gap::gaps(&target.asked, &held, share);
    let ways = ways(c, who.id, &mine)?;
    let client = client_of(c, loaded, who.id)?;
    let ids: Vec<String> = found.iter().map(|g| g.skill_id.clone()).collect();
    let mut paths = super::paths::paths_to(c, &ids)?;
    let mut gaps = Vec::with_capacity(found.len());
    for g in &found {
        let reachable_jobs = open
            .iter()
            .filter(|job| {
                gap::unmet(&job.asked, &held) == [g.skill_id.as_str()]
                    && job
                        .asked
                        .iter()
                        .any(|a| a.skill_id == g.skill_id && a.min_level <= g.wanted)
            })
            .take(PER_GAP)
            .map(|job| JobLink {
                id: job.id.clone(),
                title: job.title.clone(),
            })
            .collect();
        let open_jobs_asking = asking.get(g.skill_id.as_str()).copied().unwrap_or(0);
        gaps.push(SkillGap {
            skill: SkillRef {
                id: g.skill_id.clone(),
                label: g.label.clone(),
            },
            held: g.held,
            wanted: g.wanted,
            weight: g.weight,
            required: g.required,
            open_jobs_asking,
            score: g.score,
            why: why(g, open_jobs_asking, total),
            resources: ways.resources_for(&g.skill_id),
            mentors: ways.mentors_for(&g.skill_id),
            closed_by: closed_by(c, loaded, &client, &g.skill_id, g.wanted)?,
            reachable_jobs,
            paths: paths.remove(&g.skill_id).unwrap_or_default(),
        });
    }
    let met = target
        .asked
        .iter()
        .filter(|a| found.iter().all(|g| g.skill_id != a.skill_id))
        .map(|a| SkillRef {
            id: a.skill_id.clone(),
            label: a.label.clone(),
        })
        .collect();
    Ok(GapReport {
        target: target.info,
        gaps,
        met,
        unmeasured: target.unmeasured,
        open_jobs: u32::try_from(total).unwrap_or(u32::MAX),
    })
}

impl crate::facades::Insights<'_> {
    fn gap_of(
        &self,
        who: &Account,
        target: impl FnOnce(&mut DbConnection) -> Result<Target, AppError>,
    ) -> Result<GapReport, AppError> {
        self.matching().with_index(|loaded| {
            self.read(|c| {
                let target = target(c)?;
                report(c, loaded, who, target)
            })
        })
    }

    /// The caller's gap for a job they may see.
    pub fn job_gap(&self, who: &Account, job_id: &str) -> Result<GapReport, AppError> {
        self.gap_of(who, |c| job_target(c, who, job_id))
    }

    /// The caller's gap for one of their saved talent searches: what the member would need
    /// to be found by it.
    pub fn search_gap(&self, who: &Account, search_id: &str) -> Result<GapReport, AppError> {
        self.gap_of(who, |c| search_target(c, who, search_id))
    }

    /// The caller's gap for an ESCO ICT occupation.
    pub fn occupation_gap(&self, who: &Account, occupation: &str) -> Result<GapReport, AppError> {
        self.gap_of(who, |c| occupation_target(c, occupation))
    }
}
