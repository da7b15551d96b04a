//! The matching index as this process holds it: loaded from the database, numbered, and kept
//! current from the change feed. Every node loads its own and follows the feed by sequence
//! number, as the profile cache does.

use crate::AppError;
use crate::profiles::from_row;
use crate::reputation::own_evidence;
use guildhall_domain::audience::AudienceSet;
use guildhall_domain::matching::together::Counts;
use guildhall_domain::matching::{Claim, Index, MemberDoc, MemberNo, Rate, SkillNo};
use guildhall_domain::profile::{ItemData, ProfileItem};
use guildhall_domain::reputation::{Figure, Settings, figures};
use guildhall_domain::{CommunityId, UserId};
use guildhall_store::DbConnection;
use guildhall_store::repo::{communities, events, items, oversight};
use std::collections::{HashMap, HashSet};

/// The kinds of item the index reads: claims, rates, the zones of availability and location,
/// and the reputation figures a member shows.
const KINDS: [&str; 5] = ["skill", "rate", "availability", "location", "reputation"];
/// The feed's kind for a posted job: the jobs' skills are counted again after one.
const JOB_POSTED: &str = "work.job_posted";
/// Feed entries read at a time while catching up.
const BATCH: u16 = 1000;

/// Skills numbered as they are met.
#[derive(Default)]
pub(crate) struct Numbering {
    numbers: HashMap<String, SkillNo>,
    ids: Vec<String>,
}

impl Numbering {
    /// A skill's number, given one if new.
    pub fn number(&mut self, id: &str) -> SkillNo {
        if let Some(&n) = self.numbers.get(id) {
            return n;
        }
        let n = self.ids.len() as SkillNo;
        self.ids.push(id.to_string());
        self.numbers.insert(id.to_string(), n);
        n
    }

    /// The skill a number stands for.
    pub fn id(&self, n: SkillNo) -> &str {
        &self.ids[n as usize]
    }
}

/// The loaded index and the numbering of members and skills.
#[derive(Default)]
pub(crate) struct Loaded {
    /// The index.
    pub index: Index,
    numbers: HashMap<UserId, MemberNo>,
    users: Vec<UserId>,
    skills: Numbering,
    /// Members suspended when last looked (suspensions are kept in the operators' audit log,
    /// not the change feed, so each catch-up compares this list).
    suspended: HashSet<UserId>,
    /// The skills of every job, for what is asked together.
    pub(super) jobs: Counts,
    /// The skills of ESCO's ICT occupations, for what is listed together.
    pub(super) occupations: Counts,
    /// The change feed's position it reflects.
    pub watermark: i64,
}

impl Loaded {
    /// A member's number, given one if new.
    pub fn number(&mut self, user: UserId) -> MemberNo {
        if let Some(&n) = self.numbers.get(&user) {
            return n;
        }
        let n = self.users.len() as MemberNo;
        self.users.push(user);
        self.numbers.insert(user, n);
        n
    }

    /// Whether the feed has nothing after `head` for it and the suspended members are still
    /// `suspended`: then it is current.
    pub fn is_current(&self, head: i64, suspended: &[UserId]) -> bool {
        self.watermark >= head
            && suspended.len() == self.suspended.len()
            && suspended.iter().all(|u| self.suspended.contains(u))
    }

    /// A member's number, if known.
    pub fn number_of(&self, user: UserId) -> Option<MemberNo> {
        self.numbers.get(&user).copied()
    }

    /// The member a number stands for.
    pub fn user(&self, n: MemberNo) -> UserId {
        self.users[n as usize]
    }

    pub(super) fn skill(&mut self, id: &str) -> SkillNo {
        self.skills.number(id)
    }

    /// A skill's number, if any member claims it or any job or occupation asks for it.
    pub fn skill_no(&self, id: &str) -> Option<SkillNo> {
        self.skills.numbers.get(id).copied()
    }

    /// The skill a number stands for.
    pub fn skill_id(&self, n: SkillNo) -> &str {
        self.skills.id(n)
    }

    /// The document of one member from their items and the figures their evidence gives.
    fn doc(
        &mut self,
        user: UserId,
        items: &[ProfileItem],
        communities: Vec<CommunityId>,
        suspended: bool,
        figures: &[Figure],
    ) -> MemberDoc {
        let member = self.number(user);
        let mut claims = Vec::new();
        let mut rate = None;
        for item in items {
            match &item.data {
                ItemData::Skill {
                    skill_id: Some(skill),
                    level,
                    ..
                } => claims.push(Claim {
                    skill: self.skill(skill),
                    level: *level,
                    audiences: item.audiences.clone(),
                }),
                ItemData::Rate {
                    min_minor,
                    currency,
                    ..
                } if rate.is_none() => {
                    rate = Some(Rate {
                        min_minor: *min_minor,
                        currency: currency.clone(),
                        audiences: item.audiences.clone(),
                    })
                }
                _ => {}
            }
        }
        MemberDoc {
            member,
            claims,
            rate,
            evidence: evidence_shown(items, figures),
            communities,
            suspended,
            utc_offset: utc_offset_of(items, jiff::Timestamp::now()),
        }
    }
}

/// A member's UTC offset in minutes at `at`, with the audiences of the item it comes from:
/// their availability's zone, else their location's.
pub(crate) fn utc_offset_of(
    items: &[ProfileItem],
    at: jiff::Timestamp,
) -> Option<(i32, guildhall_domain::audience::AudienceSet)> {
    fn zone_of(item: &ProfileItem) -> Option<(u8, &str)> {
        match &item.data {
            ItemData::Availability { timezone, .. } => Some((0, timezone)),
            ItemData::Location { timezone, .. } => Some((1, timezone)),
            _ => None,
        }
    }
    let (_, timezone, audiences) = items
        .iter()
        .filter_map(|i| zone_of(i).map(|(rank, tz)| (rank, tz, &i.audiences)))
        .min_by_key(|(rank, _, _)| *rank)?;
    let zone = guildhall_domain::availability::zone(timezone)?;
    Some((zone.to_offset(at).seconds() / 60, audiences.clone()))
}

/// The figures counted as evidence in matching, each as a share from 0 to 1. Trust is left
/// out: it is relative to the instance's average, not a share.
pub(super) const EVIDENCE_FIGURES: [&str; 5] = [
    "on_time",
    "review_score",
    "completion",
    "responsiveness",
    "repeat_clients",
];

/// Each figure a member's reputation items show, as a share from 0 to 1 (a review score of
/// 1 to 5 becomes 0 to 1), with the audiences of the item that shows it.
fn evidence_shown(items: &[ProfileItem], figures: &[Figure]) -> Vec<(f64, AudienceSet)> {
    items
        .iter()
        .filter_map(|item| match &item.data {
            ItemData::Reputation { figure } if EVIDENCE_FIGURES.contains(&figure.as_str()) => {
                let f = figures.iter().find(|f| f.name == *figure)?;
                let share = if f.name == "review_score" {
                    ((f.value - 1.0) / 4.0).clamp(0.0, 1.0)
                } else {
                    f.value.clamp(0.0, 1.0)
                };
                Some((share, item.audiences.clone()))
            }
            _ => None,
        })
        .collect()
}

/// A member's figures, computed only when they show one (the rest are never read).
pub(super) fn figures_for(
    c: &mut DbConnection,
    user: UserId,
    items: &[ProfileItem],
    now: i64,
    settings: &Settings,
) -> Result<Vec<Figure>, AppError> {
    let shows = items
        .iter()
        .any(|i| matches!(i.data, ItemData::Reputation { .. }));
    if !shows {
        return Ok(Vec::new());
    }
    let evidence = own_evidence(c, user)?;
    Ok(figures(&user.to_string(), &evidence, now, settings))
}

fn community_ids(ids: impl IntoIterator<Item = String>) -> Vec<CommunityId> {
    ids.into_iter().filter_map(|id| id.parse().ok()).collect()
}

/// What loading reads besides the database: the time and how figures weigh evidence.
pub(crate) struct Context<'a> {
    /// Now, Unix ms.
    pub now: i64,
    /// The instance's reputation settings.
    pub settings: &'a Settings,
}

/// Loads every member's claims and rate, communities, suspension and shown figures, telling
/// `progress` how many members are indexed of how many.
pub(crate) fn load(
    c: &mut DbConnection,
    cx: &Context,
    progress: &dyn Fn(u64, u64),
) -> Result<Loaded, AppError> {
    let mut loaded = Loaded {
        watermark: events::last_seq(c)?,
        ..Loaded::default()
    };
    let mut memberships: HashMap<UserId, Vec<String>> = HashMap::new();
    for (user, community) in communities::all_memberships(c)? {
        memberships.entry(user).or_default().push(community);
    }
    let suspended: HashSet<UserId> = oversight::suspended_ids(c)?.into_iter().collect();
    loaded.suspended = suspended.clone();
    let mut by_owner: HashMap<UserId, Vec<ProfileItem>> = HashMap::new();
    for row in items::of_kinds(c, &KINDS)? {
        let item = from_row(row)?;
        by_owner.entry(item.owner).or_default().push(item);
    }
    let mut owners: Vec<UserId> = by_owner.keys().copied().collect();
    owners.sort();
    let total = owners.len() as u64;
    for (done, owner) in owners.into_iter().enumerate() {
        if done % 1000 == 0 {
            progress(done as u64, total);
        }
        let communities = community_ids(memberships.remove(&owner).unwrap_or_default());
        let items = &by_owner[&owner];
        let figures = figures_for(c, owner, items, cx.now, cx.settings)?;
        let doc = loaded.doc(
            owner,
            items,
            communities,
            suspended.contains(&owner),
            &figures,
        );
        loaded.index.upsert(&doc);
    }
    loaded.count_jobs(c)?;
    loaded.count_occupations(c)?;
    progress(total, total);
    Ok(loaded)
}

/// Reads one member again.
fn refresh(
    c: &mut DbConnection,
    cx: &Context,
    loaded: &mut Loaded,
    user: UserId,
) -> Result<(), AppError> {
    let items: Vec<ProfileItem> = items::of_owner(c, user)?
        .into_iter()
        .filter(|r| KINDS.contains(&r.kind.as_str()))
        .map(from_row)
        .collect::<Result<_, _>>()?;
    let communities = community_ids(
        communities::of_member(c, user)?
            .into_iter()
            .map(|(id, _)| id),
    );
    let suspended = oversight::is_suspended(c, user)?;
    let figures = figures_for(c, user, &items, cx.now, cx.settings)?;
    let doc = loaded.doc(user, &items, communities, suspended, &figures);
    loaded.index.upsert(&doc);
    Ok(())
}

/// Reads again every member the feed touched since the index's watermark: the actor and the
/// subjects of each entry (a claim, a rate, a membership, a suspension).
pub(crate) fn catch_up(
    c: &mut DbConnection,
    cx: &Context,
    loaded: &mut Loaded,
) -> Result<(), AppError> {
    let suspended: HashSet<UserId> = oversight::suspended_ids(c)?.into_iter().collect();
    let changed: Vec<UserId> = suspended
        .symmetric_difference(&loaded.suspended)
        .copied()
        .collect();
    for user in changed {
        refresh(c, cx, loaded, user)?;
    }
    loaded.suspended = suspended;
    loop {
        let rows = events::heads_after(c, loaded.watermark, BATCH)?;
        let Some(last) = rows.last().map(|r| r.seq) else {
            return Ok(());
        };
        let full = rows.len() == usize::from(BATCH);
        let mut touched: HashSet<UserId> = HashSet::new();
        if rows.iter().any(|r| r.event_type == JOB_POSTED) {
            loaded.count_jobs(c)?;
        }
        for row in rows {
            let subjects: Vec<String> = serde_json::from_str(&row.subject_ids).unwrap_or_default();
            touched.extend(
                row.actor_id
                    .into_iter()
                    .chain(subjects)
                    .filter_map(|id| id.parse::<UserId>().ok()),
            );
        }
        for user in touched {
            refresh(c, cx, loaded, user)?;
        }
        loaded.watermark = last;
        if !full {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_posted_job_kind_is_in_the_vocabulary() {
        assert!(guildhall_domain::events::Event::KINDS.contains(&super::JOB_POSTED));
    }
}
