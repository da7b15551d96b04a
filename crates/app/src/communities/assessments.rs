//! Skill assessments: a curator records what they saw of a member's skill, in their words. The
//! assessment is evidence, and backs a skill credential the member may then ask for: the
//! curator gives their word, the instance signs.

use super::Scope;
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use guildhall_domain::community::Action;
use guildhall_domain::events::{Event, SkillAssessed};
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::repo::{communities, users};
use serde::{Deserialize, Serialize};

/// What a curator records.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentInput {
    /// The member's handle: a member of the community.
    pub member: String,
    /// The skill, in words (found in the taxonomy, else a shared tag).
    pub skill: String,
    /// What the curator saw of it, 10 to 1000 characters.
    pub note: String,
}

/// An assessment recorded.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Assessment {
    /// The member's handle.
    pub member: String,
    /// The skill's id.
    pub skill_id: String,
    /// The skill as shown.
    pub skill: String,
    /// The curator's note.
    pub note: String,
}

impl crate::facades::Communities<'_> {
    /// Records a curator's assessment of a member's skill (curators and owners).
    pub fn assess_skill(
        &self,
        curator: &Account,
        slug: &str,
        input: &AssessmentInput,
    ) -> Result<Assessment, AppError> {
        let mut e = FieldErrors::new();
        let note = validation::text(&mut e, "/note", &input.note, 10, 1000, true);
        let words = validation::text(&mut e, "/skill", &input.skill, 1, 100, false);
        if !e.is_empty() {
            return Err(e.into());
        }
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(curator))?;
            scope.require(Action::AssessSkills)?;
            let not_member = || AppError::field("/member", "is not a member of this community");
            let member = users::by_handle(c, input.member.trim())?.ok_or_else(not_member)?;
            if communities::role_of(c, scope.id(), member.id)?.is_none() {
                return Err(not_member());
            }
            if member.id == curator.id {
                return Err(AppError::field(
                    "/member",
                    "curators do not assess themselves",
                ));
            }
            let (skill_id, label) = crate::skills::resolve_or_tag(c, &words, curator.id, now, true)
                .map_err(|_| AppError::field("/skill", "must name a skill"))?;
            record(
                c,
                now,
                Event::SkillAssessed(SkillAssessed {
                    curator: curator.id.to_string(),
                    member: member.id.to_string(),
                    community: scope.id().to_string(),
                    skill: skill_id.clone(),
                    note: note.clone(),
                }),
            )?;
            Ok(Assessment {
                member: member.handle,
                skill_id,
                skill: label,
                note: note.clone(),
            })
        })
    }
}
