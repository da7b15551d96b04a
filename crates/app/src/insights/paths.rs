//! Learning paths (`guildhall_domain::insights::paths`) mined from the change feed: resources
//! completed, mentoring sessions received and contracts completed are steps; a completed
//! contract asking for a skill, an accepted suggestion and a curator's assessment are
//! evidence of it.

use crate::AppError;
use crate::events::typed;
use guildhall_domain::events::Event;
use guildhall_domain::insights::paths::{History, Path, Step, StepKind, mine};
use guildhall_store::DbConnection;
use guildhall_store::repo::{events, learning, skills};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The kinds of event paths are mined from.
const KINDS: &[&str] = &[
    "community.resource_completed",
    "community.mentoring_session",
    "work.contract_completed",
    "skill.suggestion_accepted",
    "skill.assessed",
];

/// Paths listed per skill at most.
const PER_SKILL: usize = 5;

/// One step of a path, in words.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PathStep {
    /// `resource`, `mentoring`, `skill` or `contract`.
    pub kind: String,
    /// The step in words: "completed “Use the index, Luke”", "mentoring in SQL".
    pub words: String,
}

/// A common path to a skill.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct LearningPath {
    /// The steps, in order, ending just before the first evidence of the skill.
    pub steps: Vec<PathStep>,
    /// Different members who followed it (five or more; who is never said).
    pub members: u32,
    /// The median days from its first step to the first evidence of the skill.
    pub median_days: u32,
}

/// Every member's history, from the feed.
fn histories(c: &mut DbConnection) -> Result<Vec<History>, AppError> {
    let mut by_member: BTreeMap<String, History> = BTreeMap::new();
    for row in events::of_kinds_between(c, KINDS, i64::MIN, i64::MAX)? {
        let at = row.occurred_at;
        match typed(&row)? {
            Event::ResourceCompleted(e) => by_member
                .entry(e.member.clone())
                .or_insert_with(|| named(&e.member))
                .steps
                .push(Step {
                    at,
                    kind: StepKind::Resource(e.resource),
                }),
            Event::MentoringSession(e) => {
                let h = by_member
                    .entry(e.learner.clone())
                    .or_insert_with(|| named(&e.learner));
                for skill in e.skills {
                    h.steps.push(Step {
                        at,
                        kind: StepKind::Mentoring(skill),
                    });
                }
            }
            Event::ContractCompleted(e) => {
                let h = by_member
                    .entry(e.member.clone())
                    .or_insert_with(|| named(&e.member));
                h.steps.push(Step {
                    at,
                    kind: StepKind::Contract,
                });
                for skill in e.skills.unwrap_or_default() {
                    evidence(h, &skill, at);
                }
            }
            Event::SuggestionAccepted(e) => {
                let h = by_member
                    .entry(e.member.clone())
                    .or_insert_with(|| named(&e.member));
                evidence(h, &e.skill, at);
            }
            Event::SkillAssessed(e) => {
                let h = by_member
                    .entry(e.member.clone())
                    .or_insert_with(|| named(&e.member));
                evidence(h, &e.skill, at);
            }
            _ => {}
        }
    }
    Ok(by_member.into_values().collect())
}

/// Records evidence of `skill` at `at`, keeping the first.
fn evidence(h: &mut History, skill: &str, at: i64) {
    let first = h.first_evidence.entry(skill.to_string()).or_insert(at);
    *first = (*first).min(at);
}

fn named(member: &str) -> History {
    History {
        member: member.to_string(),
        ..History::default()
    }
}

/// The common paths to each of `skill_ids`, in words.
pub(crate) fn paths_to(
    c: &mut DbConnection,
    skill_ids: &[String],
) -> Result<HashMap<String, Vec<LearningPath>>, AppError> {
    let wanted: Vec<Path> = mine(&histories(c)?)
        .into_iter()
        .filter(|p| skill_ids.contains(&p.skill_id))
        .collect();
    let mut skill_names: Vec<String> = Vec::new();
    for p in &wanted {
        for s in &p.steps {
            if let StepKind::Skill(id) | StepKind::Mentoring(id) = s {
                skill_names.push(id.clone());
            }
        }
    }
    let labels: HashMap<String, String> = skills::labels_by_ids(c, &skill_names)?
        .into_iter()
        .collect();
    let label = |id: &str| labels.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut titles: HashMap<String, String> = HashMap::new();
    let mut out: HashMap<String, Vec<LearningPath>> = HashMap::new();
    for p in wanted {
        let list = out.entry(p.skill_id.clone()).or_default();
        if list.len() >= PER_SKILL {
            continue;
        }
        let mut steps = Vec::new();
        for s in &p.steps {
            steps.push(match s {
                StepKind::Resource(id) => {
                    if !titles.contains_key(id) {
                        let title = learning::by_id(c, id)?.map_or_else(
                            || "a learning resource".to_string(),
                            |r| format!("completed “{}”", r.title),
                        );
                        titles.insert(id.clone(), title);
                    }
                    PathStep {
                        kind: "resource".into(),
                        words: titles[id].clone(),
                    }
                }
                StepKind::Mentoring(id) => PathStep {
                    kind: "mentoring".into(),
                    words: format!("mentoring in {}", label(id)),
                },
                StepKind::Skill(id) => PathStep {
                    kind: "skill".into(),
                    words: format!("first showed {}", label(id)),
                },
                StepKind::Contract => PathStep {
                    kind: "contract".into(),
                    words: "completed a contract".into(),
                },
            });
        }
        list.push(LearningPath {
            steps,
            members: p.members,
            median_days: p.median_days,
        });
    }
    Ok(out)
}

impl crate::facades::Insights<'_> {
    /// The common paths members took to a skill: the last steps before their first evidence
    /// of it, shared by five or more members.
    pub fn learning_paths(&self, skill_id: &str) -> Result<Vec<LearningPath>, AppError> {
        self.read(|c| {
            if skills::by_id(c, skill_id)?.is_none() {
                return Err(AppError::NotFound);
            }
            Ok(paths_to(c, &[skill_id.to_string()])?
                .remove(skill_id)
                .unwrap_or_default())
        })
    }
}
