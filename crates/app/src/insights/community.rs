//! A community's skills gaps as a whole, for its curators: the skills its open jobs ask for
//! against the members who show them to the community. Counts of fewer than five members are
//! not given (`guildhall_domain::insights::MIN_GROUP`).

use crate::AppError;
use crate::accounts::Account;
use crate::communities::{Scope, SkillRef};
use crate::profiles::from_row;
use guildhall_domain::community::Action;
use guildhall_domain::insights::gap::{self, Asked};
use guildhall_domain::insights::shown_count;
use guildhall_domain::job::JobSkill;
use guildhall_domain::profile::ProfileItem;
use guildhall_domain::visibility::Viewer;
use guildhall_domain::{CommunityId, UserId};
use guildhall_store::repo::{communities, items, jobs};
use serde::Serialize;
use std::collections::HashMap;

/// One skill the community's open jobs ask for.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CommunityGap {
    /// The skill.
    pub skill: SkillRef,
    /// Open jobs of the community asking for it.
    pub open_jobs: u32,
    /// The level the middle one of those jobs asks (1 to 5).
    pub level: u8,
    /// Members who show the community the skill at that level or above; absent when fewer
    /// than five.
    pub members_meeting: Option<u32>,
    /// Members who show it below that level; absent when fewer than five.
    pub members_below: Option<u32>,
}

/// A community's gaps.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CommunityGaps {
    /// The community's slug.
    pub community: String,
    /// Its name.
    pub name: String,
    /// Its open jobs.
    pub open_jobs: u32,
    /// Its members; absent when fewer than five.
    pub members: Option<u32>,
    /// The skills its open jobs ask for, scarcest first: most jobs per member who meets them.
    pub gaps: Vec<CommunityGap>,
}

impl crate::facades::Insights<'_> {
    /// The gaps of a community the caller curates.
    pub fn community_gaps(&self, who: &Account, slug: &str) -> Result<CommunityGaps, AppError> {
        self.read(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::SeeInsights)?;
            let open: Vec<Vec<Asked>> = jobs::open_in_community(c, scope.id())?
                .into_iter()
                .map(|(_, skills)| {
                    let skills: Vec<JobSkill> = serde_json::from_str(&skills).unwrap_or_default();
                    Asked::of_job(&skills)
                })
                .collect();
            let community: CommunityId = scope
                .id()
                .parse()
                .map_err(|_| AppError::internal(format!("community id {}", scope.id())))?;
            // What a fellow member who is nothing more to them may see.
            let fellow = Viewer {
                communities: [community].into(),
                ..Viewer::member()
            };
            let mut shown: HashMap<UserId, Vec<ProfileItem>> = HashMap::new();
            for row in items::skills_of_community(c, scope.id())? {
                let item = from_row(row)?;
                if fellow.can_see(&item.audiences) {
                    shown.entry(item.owner).or_default().push(item);
                }
            }
            let members: Vec<HashMap<String, u8>> = shown
                .values()
                .map(|items| super::gap::held_levels(items.iter()))
                .collect();
            let gaps = gap::community_gaps(&open, &members)
                .into_iter()
                .map(|g| CommunityGap {
                    skill: SkillRef {
                        id: g.skill_id,
                        label: g.label,
                    },
                    open_jobs: g.jobs,
                    level: g.level,
                    members_meeting: g.meeting,
                    members_below: g.below,
                })
                .collect();
            Ok(CommunityGaps {
                community: scope.row.slug.clone(),
                name: scope.row.name.clone(),
                open_jobs: u32::try_from(open.len()).unwrap_or(u32::MAX),
                members: shown_count(communities::members(c, scope.id())?.len()),
                gaps,
            })
        })
    }
}
