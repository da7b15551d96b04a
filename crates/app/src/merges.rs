//! Folding members' tags into the taxonomy. An operator merges a tag into a skill: the tag's
//! labels become the skill's aliases, every claim and pending suggestion of the tag is
//! re-pointed, and the merge is recorded with what moved, so it can be undone exactly.

use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use guildhall_domain::UserId;
use guildhall_domain::events::{Event, SkillMerged, SkillUnmerged};
use guildhall_domain::profile::ItemData;
use guildhall_store::repo::skills::{self as repo, LabelRow, MergeRow};
use guildhall_store::repo::{items, suggestions};
use serde::{Deserialize, Serialize};

/// What a merge moved.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Moved {
    /// Claims re-pointed: (item id, owner id, former label).
    claims: Vec<(String, UserId, String)>,
    /// Pending suggestions re-pointed.
    suggestions: Vec<String>,
    /// Alias labels added to the skill (normalised).
    aliases: Vec<String>,
}

/// A merge as reported.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MergeReport {
    /// Merge id (pass it to undo).
    pub id: String,
    /// Claims re-pointed.
    pub claims: usize,
    /// Pending suggestions re-pointed.
    pub suggestions: usize,
    /// Aliases added to the skill.
    pub aliases: usize,
}

fn with_skill(data: &str, skill_id: &str, label: &str) -> Result<String, AppError> {
    let mut value: ItemData =
        serde_json::from_str(data).map_err(|e| AppError::caused("reading a stored merge", e))?;
    if let ItemData::Skill {
        skill_id: id,
        label: l,
        ..
    } = &mut value
    {
        *id = Some(skill_id.to_string());
        *l = label.to_string();
    }
    Ok(serde_json::to_string(&value).expect("item data serialises"))
}

impl crate::facades::Instance<'_> {
    /// Merges the member tag `tag_id` into the skill `skill_id`.
    pub fn merge_tag(
        &self,
        actor: &Account,
        tag_id: &str,
        skill_id: &str,
    ) -> Result<MergeReport, AppError> {
        actor.require_operator("merge skills")?;
        let now = self.now();
        self.write(|c| {
            let tag = repo::by_id(c, tag_id)?
                .filter(|t| t.kind == "tag" && t.merged_into.is_none())
                .ok_or_else(|| AppError::field("/tag_id", "names no unmerged member tag"))?;
            let skill = repo::by_id(c, skill_id)?
                .filter(|s| s.merged_into.is_none() && s.id != tag.id)
                .ok_or_else(|| AppError::field("/skill_id", "names no skill to merge into"))?;
            let mut moved = Moved::default();
            for label in repo::labels_of(c, &tag.id)? {
                let alias = LabelRow {
                    skill_id: skill.id.clone(),
                    norm: label.norm.clone(),
                    label: label.label,
                    kind: "alias".into(),
                };
                if repo::add_label(c, &alias)? {
                    moved.aliases.push(label.norm);
                }
            }
            for mut row in items::claims_of_skill(c, &tag.id)? {
                let Ok(ItemData::Skill {
                    skill_id: Some(id),
                    label,
                    ..
                }) = serde_json::from_str::<ItemData>(&row.data)
                else {
                    continue;
                };
                if id != tag.id {
                    continue;
                }
                row.data = with_skill(&row.data, &skill.id, &skill.preferred_label)?;
                row.updated_at = now;
                items::update(c, &row)?;
                moved.claims.push((row.id, row.owner_id, label));
            }
            moved.suggestions = suggestions::pending_of_skill(c, &tag.id)?;
            suggestions::repoint(c, &moved.suggestions, &skill.id)?;
            repo::set_merged_into(c, &tag.id, Some(&skill.id), now)?;
            let merge = MergeRow {
                id: uuid::Uuid::now_v7().to_string(),
                tag_id: tag.id.clone(),
                skill_id: skill.id.clone(),
                moved: serde_json::to_string(&moved).expect("serialises"),
                merged_by: actor.id,
                merged_at: now,
                undone_at: None,
            };
            repo::insert_merge(c, &merge)?;
            // Owners are subjects so every node evicts their cached profiles.
            let mut subjects: Vec<&str> = vec![&merge.id, &tag.id, &skill.id];
            let owners: Vec<String> = moved
                .claims
                .iter()
                .map(|(_, owner, _)| owner.to_string())
                .collect();
            subjects.extend(owners.iter().map(String::as_str));
            record(
                c,
                now,
                Event::SkillMerged(SkillMerged {
                    operator: actor.id.to_string(),
                    merge: merge.id.clone(),
                    tag_id: tag.id.clone(),
                    skill_id: skill.id.clone(),
                    owners: owners.clone(),
                    tag: tag.preferred_label.clone(),
                    into: skill.preferred_label.clone(),
                    claims: moved.claims.len() as u64,
                }),
            )?;
            Ok(MergeReport {
                id: merge.id,
                claims: moved.claims.len(),
                suggestions: moved.suggestions.len(),
                aliases: moved.aliases.len(),
            })
        })
    }

    /// Undoes a merge: claims and suggestions go back to the tag, the aliases it added go.
    pub fn undo_merge(&self, actor: &Account, merge_id: &str) -> Result<(), AppError> {
        actor.require_operator("merge skills")?;
        let now = self.now();
        self.write(|c| {
            let merge = repo::merge_by_id(c, merge_id)?.ok_or(AppError::NotFound)?;
            if merge.undone_at.is_some() {
                return Err(AppError::conflict(None, "this merge was already undone"));
            }
            let moved: Moved = serde_json::from_str(&merge.moved).map_err(|e| AppError::caused("reading a stored merge", e))?;
            for (item_id, owner, label) in &moved.claims {
                // A claim its owner has since moved elsewhere stays where the owner put it.
                let Some(mut row) = items::of_owner_by_id(c, *owner, item_id)? else { continue };
                if !matches!(serde_json::from_str::<ItemData>(&row.data), Ok(ItemData::Skill { skill_id: Some(ref id), .. }) if *id == merge.skill_id) {
                    continue;
                }
                row.data = with_skill(&row.data, &merge.tag_id, label)?;
                row.updated_at = now;
                items::update(c, &row)?;
            }
            suggestions::repoint(c, &moved.suggestions, &merge.tag_id)?;
            repo::remove_labels(c, &merge.skill_id, &moved.aliases)?;
            repo::set_merged_into(c, &merge.tag_id, None, now)?;
            repo::mark_undone(c, &merge.id, now)?;
            let mut subjects: Vec<&str> = vec![&merge.id, &merge.tag_id, &merge.skill_id];
            let owners: Vec<String> = moved.claims.iter().map(|(_, owner, _)| owner.to_string()).collect();
            subjects.extend(owners.iter().map(String::as_str));
            record(c, now, Event::SkillUnmerged(SkillUnmerged { operator: actor.id.to_string(), merge: merge.id.clone(), tag_id: merge.tag_id.clone(), skill_id: merge.skill_id.clone(), owners: owners.clone(), claims: moved.claims.len() as u64 }))
        })
    }
}
