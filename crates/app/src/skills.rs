//! Skills as members use them: resolving what a member types to a taxonomy skill (through its
//! labels and aliases) or to a member tag, and the autocomplete index over all of them.

use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use guildhall_domain::UserId;
use guildhall_domain::audience::AudienceSet;
use guildhall_domain::events::{Event, TagCreated};
use guildhall_domain::profile::{ClaimSource, ItemData};
use guildhall_domain::skills::autocomplete::{AutocompleteIndex, Entry, LabelKind, Suggestion};
use guildhall_domain::skills::normalize;
use guildhall_store::DbConnection;
use guildhall_store::repo::skills::{self as repo, LabelRow, SkillRow};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// The kind of a label that finds a skill but is never shown as its name: a guessed ESCO label
/// that reads as several run together.
pub const HIDDEN: &str = "hidden";

/// The autocomplete index, built on first use and dropped when the taxonomy or the tags change.
#[derive(Default)]
pub struct SkillIndex(RwLock<Option<Arc<AutocompleteIndex>>>);

impl SkillIndex {
    /// Forgets the index; the next query rebuilds it.
    pub fn invalidate(&self) {
        if let Ok(mut slot) = self.0.write() {
            *slot = None;
        }
    }
}

/// Finds the skill a member's words name, or creates a member tag for them.
/// Returns (skill id, label to show).
///
/// A tag is found only when it is shared or the actor made it: someone else's private tag with
/// the same words is never reused, so what a member types reveals nothing about what others
/// keep private. `shared` is false only for a claim shown to a narrow audience (connections,
/// clients, a community, nobody); words typed anywhere else make or find a shared tag.
pub fn resolve_or_tag(
    c: &mut DbConnection,
    words: &str,
    actor: UserId,
    now: i64,
    shared: bool,
) -> Result<(String, String), AppError> {
    let norm = normalize(words);
    if norm.is_empty() {
        return Err(AppError::field("/data/label", "must name a skill"));
    }
    if let Some(skill) = readable(c, &norm, Some(actor))? {
        if shared && !skill.shared {
            repo::share(c, &skill.id)?;
        }
        return Ok((skill.id, skill.preferred_label));
    }
    let label = words.trim().to_string();
    let id = uuid::Uuid::now_v7().to_string();
    repo::insert(
        c,
        &SkillRow {
            id: id.clone(),
            source_key: None,
            uri: None,
            preferred_label: label.clone(),
            norm: norm.clone(),
            kind: "tag".into(),
            source: "member".into(),
            merged_into: None,
            created_at: now,
            updated_at: now,
            created_by: Some(actor),
            shared,
        },
    )?;
    repo::replace_labels(
        c,
        &id,
        &[LabelRow {
            skill_id: id.clone(),
            norm,
            label: label.clone(),
            kind: "preferred".into(),
        }],
    )?;
    record(
        c,
        now,
        Event::TagCreated(TagCreated {
            by: actor.to_string(),
            tag: id.clone(),
            label: label.to_string(),
        }),
    )?;
    Ok((id, label))
}

/// The first skill named by `norm` that `reader` (an account id; none for a visitor) may read.
pub(crate) fn readable(
    c: &mut DbConnection,
    norm: &str,
    reader: Option<UserId>,
) -> Result<Option<SkillRow>, AppError> {
    for skill in repo::resolve(c, norm)? {
        if may_read(c, &skill, reader)? {
            return Ok(Some(skill));
        }
    }
    Ok(None)
}

/// Whether `reader` may read `skill`: anyone, unless it is a tag nobody shared, which only its
/// author and those who may see a claim of it may read.
pub(crate) fn may_read(
    c: &mut DbConnection,
    skill: &SkillRow,
    reader: Option<UserId>,
) -> Result<bool, AppError> {
    if skill.shared {
        return Ok(true);
    }
    let Some(reader) = reader else {
        return Ok(false);
    };
    if skill.created_by == Some(reader) {
        return Ok(true);
    }
    for claim in guildhall_store::repo::items::claims_of_skill(c, &skill.id)? {
        let viewer = crate::profiles::relation(c, Some(reader), claim.owner_id)?;
        if viewer.can_see(&AudienceSet::from_storage(&claim.audiences)) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Resolves a skill claim before it is stored: the skill id comes from the server, the label
/// shown is the skill's, and the source of a claim stays what it was (a member editing an
/// accepted suggestion does not turn it into a self-claim).
pub fn prepare_claim(
    c: &mut DbConnection,
    data: ItemData,
    previous: Option<&ItemData>,
    actor: UserId,
    now: i64,
    shared: bool,
) -> Result<ItemData, AppError> {
    let ItemData::Skill {
        skill_id,
        label,
        level,
        years,
        note,
        ..
    } = data
    else {
        return Ok(data);
    };
    // An id names a skill only if the actor may read it: someone's private tag is no id to
    // claim (its words would come back as the label).
    let known = match skill_id.as_deref().filter(|id| id.len() <= 64) {
        Some(id) => match repo::by_id(c, id)?.filter(|s| s.merged_into.is_none()) {
            Some(s) if may_read(c, &s, Some(actor))? => Some(s),
            _ => None,
        },
        None => None,
    };
    let (skill_id, label) = match known {
        Some(found) => {
            if shared && !found.shared {
                repo::share(c, &found.id)?;
            }
            (found.id, found.preferred_label)
        }
        None => resolve_or_tag(c, &label, actor, now, shared)?,
    };
    let (source, suggested_by) = match previous {
        Some(ItemData::Skill {
            source,
            suggested_by,
            ..
        }) => (*source, suggested_by.clone()),
        _ => (ClaimSource::SelfClaimed, None),
    };
    Ok(ItemData::Skill {
        skill_id: Some(skill_id),
        label,
        level,
        years,
        note,
        source,
        suggested_by,
    })
}

/// A skill with its labels and neighbours, for the skill page.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SkillDetails {
    /// The skill's id (UUIDv7); for a merged tag, the id of the skill it was merged into.
    pub id: String,
    /// Preferred label.
    pub label: String,
    /// Canonical URI (ESCO), if any.
    pub uri: Option<String>,
    /// skill, knowledge, language or tag.
    pub kind: String,
    /// esco, esco-derived, linguist or member.
    pub source: String,
    /// Other labels and aliases.
    pub other_labels: Vec<String>,
    /// Related skills: (id, label).
    #[schema(value_type = Vec<Vec<String>>)]
    pub related: Vec<(String, String)>,
    /// Broader skills: (id, label).
    #[schema(value_type = Vec<Vec<String>>)]
    pub broader: Vec<(String, String)>,
    /// Narrower skills: (id, label).
    #[schema(value_type = Vec<Vec<String>>)]
    pub narrower: Vec<(String, String)>,
}

impl crate::facades::Skills<'_> {
    /// A skill's page data. A merged tag answers with the skill it was merged into.
    pub fn skill_details(
        &self,
        id: &str,
        viewer: Option<&Account>,
    ) -> Result<SkillDetails, AppError> {
        if id.len() > 64 {
            return Err(AppError::NotFound);
        }
        self.read(|c| {
            let mut skill = repo::by_id(c, id)?.ok_or(AppError::NotFound)?;
            if !may_read(c, &skill, viewer.map(|v| v.id))? {
                return Err(AppError::NotFound);
            }
            if let Some(into) = skill.merged_into.clone() {
                skill = repo::by_id(c, &into)?.ok_or(AppError::NotFound)?;
            }
            let other_labels = repo::labels_of(c, &skill.id)?
                .into_iter()
                .filter(|l| l.kind == "alt")
                .map(|l| l.label)
                .collect();
            let (mut related, mut broader, mut narrower) = (Vec::new(), Vec::new(), Vec::new());
            for (other, kind, from_side) in repo::relations_of(c, &skill.id)? {
                let Some(o) = repo::by_id(c, &other)? else {
                    continue;
                };
                let entry = (o.id, o.preferred_label);
                match (kind.as_str(), from_side) {
                    ("broader", true) => broader.push(entry),
                    ("broader", false) => narrower.push(entry),
                    _ => related.push(entry),
                }
            }
            for list in [&mut related, &mut broader, &mut narrower] {
                list.sort_by(|a, b| a.1.cmp(&b.1));
                list.dedup();
            }
            Ok(SkillDetails {
                id: skill.id,
                label: skill.preferred_label,
                uri: skill.uri,
                kind: skill.kind,
                source: skill.source,
                other_labels,
                related,
                broader,
                narrower,
            })
        })
    }

    /// Which of the skills claimed in these items are member tags rather than taxonomy skills.
    pub fn tags_among<'a>(
        &self,
        items: impl IntoIterator<Item = &'a ItemData>,
    ) -> Result<std::collections::HashSet<String>, AppError> {
        let ids: Vec<&String> = items
            .into_iter()
            .filter_map(|data| match data {
                ItemData::Skill {
                    skill_id: Some(id), ..
                } => Some(id),
                _ => None,
            })
            .collect();
        self.read(|c| {
            let mut tags = std::collections::HashSet::new();
            for id in ids {
                if repo::by_id(c, id)?.is_some_and(|s| s.kind == "tag") {
                    tags.insert(id.clone());
                }
            }
            Ok(tags)
        })
    }

    /// The autocomplete index, built from the database on first use.
    fn skill_index(&self) -> Result<Arc<AutocompleteIndex>, AppError> {
        if let Some(index) = self.skill_index.0.read().ok().and_then(|s| s.clone()) {
            return Ok(index);
        }
        // Tags nobody shared are left out by `all_labels`.
        let (labels, usage) = self.read(|c| Ok((repo::all_labels(c)?, claim_counts(c)?)))?;
        let entries = labels
            .into_iter()
            .map(|(l, kind, preferred)| Entry {
                usage: usage.get(&l.skill_id).copied().unwrap_or(0),
                shown: (l.kind == HIDDEN).then_some(preferred),
                kind: match (kind.as_str(), l.kind.as_str()) {
                    ("tag", _) => LabelKind::Tag,
                    (_, "preferred") => LabelKind::Preferred,
                    _ => LabelKind::Alias,
                },
                skill_id: l.skill_id,
                label: l.label,
            })
            .collect();
        let index = Arc::new(AutocompleteIndex::new(entries));
        if let Ok(mut slot) = self.skill_index.0.write() {
            *slot = Some(index.clone());
        }
        Ok(index)
    }

    /// Up to `limit` skills whose labels match what the user typed.
    pub fn suggest_skills(&self, typed: &str, limit: usize) -> Result<Vec<Suggestion>, AppError> {
        if typed.chars().count() > 100 {
            return Err(AppError::field("/q", "must be at most 100 characters"));
        }
        Ok(self.skill_index()?.suggest(typed, limit.clamp(1, 50)))
    }

    /// Drops the autocomplete index when the feed shows skills changed.
    pub(crate) fn skills_changed(&self) {
        self.skill_index.invalidate();
    }
}

/// How many members claim each skill.
fn claim_counts(c: &mut DbConnection) -> Result<HashMap<String, u32>, AppError> {
    let mut counts = HashMap::new();
    for (data, _) in guildhall_store::repo::items::data_of_kind(c, "skill")? {
        if let Ok(ItemData::Skill {
            skill_id: Some(id), ..
        }) = serde_json::from_str(&data)
        {
            *counts.entry(id).or_insert(0) += 1;
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use crate::accounts::SignUp;
    use crate::profiles::ItemInput;
    use crate::testing::app;
    use guildhall_domain::profile::{ClaimSource, ItemData};
    use guildhall_domain::skills::LabelKind;
    use guildhall_store::testdb::TestDb;

    fn claim(label: &str) -> ItemInput {
        ItemInput {
            audiences: vec!["public".into()],
            data: ItemData::Skill {
                skill_id: None,
                label: label.into(),
                level: 4,
                years: Some(3),
                note: String::new(),
                source: ClaimSource::Evidence,
                suggested_by: Some("mallory".into()),
            },
        }
    }

    #[test]
    fn claims_resolve_to_taxonomy_skills_or_shared_tags() {
        for db in TestDb::all() {
            let app = app(&db);
            let csv = "conceptUri,preferredLabel,altLabels\nhttp://e/s/py,Python (computer programming),\"Python\npython programming\"\n";
            app.skills()
                .import_esco(csv.as_bytes(), None::<&[u8]>, None::<&[u8]>, &|_, _| {})
                .unwrap();
            let ada = app
                .accounts()
                .sign_up(SignUp {
                    handle: "ada".into(),
                    email: "ada@example.org".into(),
                    password: "correct horse battery".into(),
                    display_name: None,
                })
                .unwrap();
            let bob = app
                .accounts()
                .sign_up(SignUp {
                    handle: "bob".into(),
                    email: "bob@example.org".into(),
                    password: "correct horse battery".into(),
                    display_name: None,
                })
                .unwrap();

            let py = app.profiles().add_item(&ada, claim("  PYTHON ")).unwrap();
            let ItemData::Skill {
                skill_id,
                label,
                source,
                suggested_by,
                ..
            } = &py.data
            else {
                panic!()
            };
            assert_eq!(label, "Python (computer programming)");
            assert_eq!(
                (*source, suggested_by.clone()),
                (ClaimSource::SelfClaimed, None),
                "clients cannot set the source"
            );
            // A look-alike spelling finds the same skill.
            let spoof = app.profiles().add_item(&bob, claim("Руthon")).unwrap();
            let ItemData::Skill { skill_id: same, .. } = &spoof.data else {
                panic!()
            };
            assert_eq!(same, skill_id);

            let tag = app
                .profiles()
                .add_item(&ada, claim("Rustacean mentoring"))
                .unwrap();
            let tag2 = app
                .profiles()
                .add_item(&bob, claim("rustacean  MENTORING!"))
                .unwrap();
            let (ItemData::Skill { skill_id: t1, .. }, ItemData::Skill { skill_id: t2, .. }) =
                (&tag.data, &tag2.data)
            else {
                panic!()
            };
            assert_eq!(t1, t2, "the same words make one tag");

            let got = app.skills().suggest_skills("pyth", 5).unwrap();
            assert_eq!(got[0].skill_id, skill_id.clone().unwrap());
            let got = app.skills().suggest_skills("rustac", 5).unwrap();
            assert_eq!(
                (got[0].kind, got[0].label.as_str()),
                (LabelKind::Tag, "Rustacean mentoring")
            );
            assert!(app.skills().suggest_skills(&"x".repeat(101), 5).is_err());
            let mut secret = claim("Project Nightjar");
            secret.audiences = vec!["private".into()];
            app.profiles().add_item(&ada, secret).unwrap();
            assert!(
                app.skills()
                    .suggest_skills("project nigh", 5)
                    .unwrap()
                    .is_empty(),
                "a private tag is never suggested to others"
            );

            let bad = app.profiles().add_item(
                &ada,
                ItemInput {
                    audiences: vec!["public".into()],
                    data: ItemData::Skill {
                        skill_id: None,
                        label: "!!!".into(),
                        level: 9,
                        years: Some(90),
                        note: String::new(),
                        source: ClaimSource::SelfClaimed,
                        suggested_by: None,
                    },
                },
            );
            let Err(crate::AppError::Validation(e)) = bad else {
                panic!("{bad:?}")
            };
            assert_eq!(e.0.len(), 2, "{e}");
        }
    }
}
