//! Skills gaps. A member's gap for a target (a job, a saved search, an occupation) is each
//! skill asked that they lack or hold below the level asked, weighed so the one worth closing
//! first comes first:
//!
//! ```text
//! score = weight × levels short × (1 + demand)   (× ½ when only nice to have)
//! ```
//!
//! where `weight` is the target's 1 to 5, `levels short` the level asked less the level held
//! (0 when not held), and `demand` the share of the instance's open jobs asking for the skill:
//! a gap that much work shares is worth more than one only this target asks. A community's
//! gaps are the skills its open jobs ask for against the members who show them to it.

use super::shown_count;
use crate::job::JobSkill;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What a skill only nice to have weighs against a required one.
pub const NICE_TO_HAVE: f64 = 0.5;

/// One skill a target asks for, resolved to the taxonomy.
#[derive(Clone, Debug, PartialEq)]
pub struct Asked {
    /// The skill's id in the taxonomy.
    pub skill_id: String,
    /// Its label.
    pub label: String,
    /// How much it matters, 1 to 5.
    pub weight: u8,
    /// The least level that will do, 1 to 5.
    pub min_level: u8,
    /// Required, or nice to have.
    pub required: bool,
}

impl Asked {
    /// The skills of a job or a saved search that name a skill of the taxonomy; a tag is only
    /// words, which nothing the instance knows could close. A skill named twice counts once.
    pub fn of_job(skills: &[JobSkill]) -> Vec<Asked> {
        let mut seen = HashSet::new();
        skills
            .iter()
            .filter_map(|s| {
                let id = s.skill_id.as_ref()?;
                seen.insert(id.clone()).then(|| Asked {
                    skill_id: id.clone(),
                    label: s.label.clone(),
                    weight: s.weight.clamp(1, 5),
                    min_level: s.min_level.clamp(1, 5),
                    required: s.required,
                })
            })
            .collect()
    }
}

/// One skill a member lacks or holds below the level asked.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    /// The skill's id.
    pub skill_id: String,
    /// Its label.
    pub label: String,
    /// The level the member holds, if any.
    pub held: Option<u8>,
    /// The level asked.
    pub wanted: u8,
    /// How much the target says it matters, 1 to 5.
    pub weight: u8,
    /// Required, or nice to have.
    pub required: bool,
    /// The share of open jobs asking for the skill, 0 to 1.
    pub demand: f64,
    /// How much closing it is worth (see the module's formula).
    pub score: f64,
}

impl Gap {
    /// Levels between what is held and what is asked.
    pub fn levels_short(&self) -> u8 {
        self.wanted.saturating_sub(self.held.unwrap_or(0))
    }
}

/// The gaps between `asked` and the levels `held` (skill id → level), the weightiest first;
/// `demand` gives a skill's share of the open jobs.
pub fn gaps(asked: &[Asked], held: &HashMap<String, u8>, demand: impl Fn(&str) -> f64) -> Vec<Gap> {
    let mut out: Vec<Gap> = asked
        .iter()
        .filter_map(|a| {
            let level = held.get(&a.skill_id).copied();
            if level.is_some_and(|l| l >= a.min_level) {
                return None;
            }
            let short = a.min_level - level.unwrap_or(0).min(a.min_level);
            let share = demand(&a.skill_id).clamp(0.0, 1.0);
            let kind = if a.required { 1.0 } else { NICE_TO_HAVE };
            Some(Gap {
                skill_id: a.skill_id.clone(),
                label: a.label.clone(),
                held: level,
                wanted: a.min_level,
                weight: a.weight,
                required: a.required,
                demand: share,
                score: f64::from(a.weight) * f64::from(short) * (1.0 + share) * kind,
            })
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.label.cmp(&b.label)));
    out
}

/// The required skills of `asked` that `held` does not reach: what stands between a member and
/// a job.
pub fn unmet<'a>(asked: &'a [Asked], held: &HashMap<String, u8>) -> Vec<&'a str> {
    asked
        .iter()
        .filter(|a| a.required && held.get(&a.skill_id).is_none_or(|l| *l < a.min_level))
        .map(|a| a.skill_id.as_str())
        .collect()
}

/// One skill a community's open jobs ask for, against the members who show it to the
/// community. Counts of members smaller than [`super::MIN_GROUP`] are not given.
#[derive(Clone, Debug, PartialEq)]
pub struct CommunityGap {
    /// The skill's id.
    pub skill_id: String,
    /// Its label.
    pub label: String,
    /// Open jobs asking for it.
    pub jobs: u32,
    /// The level the middle one of those jobs asks (the median, the higher of two).
    pub level: u8,
    /// Members showing it at that level or above; `None` when fewer than five.
    pub meeting: Option<u32>,
    /// Members showing it below that level; `None` when fewer than five.
    pub below: Option<u32>,
}

/// The skills `jobs` ask for against what `members` hold (each a skill id → level, only what
/// they show the community), the scarcest first: most jobs per member who meets them.
pub fn community_gaps(jobs: &[Vec<Asked>], members: &[HashMap<String, u8>]) -> Vec<CommunityGap> {
    let mut asked: BTreeMap<&str, (&str, Vec<u8>)> = BTreeMap::new();
    for job in jobs {
        for a in job {
            let entry = asked.entry(&a.skill_id).or_insert((&a.label, Vec::new()));
            entry.1.push(a.min_level);
        }
    }
    let mut out: Vec<CommunityGap> = asked
        .into_iter()
        .map(|(id, (label, mut levels))| {
            levels.sort_unstable();
            let level = levels[levels.len() / 2];
            let held = members.iter().filter_map(|m| m.get(id));
            let (meeting, below) = held.fold((0, 0), |(meet, below), l| {
                if *l >= level {
                    (meet + 1, below)
                } else {
                    (meet, below + 1)
                }
            });
            CommunityGap {
                skill_id: id.to_string(),
                label: label.to_string(),
                jobs: u32::try_from(levels.len()).unwrap_or(u32::MAX),
                level,
                meeting: shown_count(meeting),
                below: shown_count(below),
            }
        })
        .collect();
    // Ranked only on what is shown, so the order cannot tell a suppressed 0 from a 4.
    let scarcity = |g: &CommunityGap| f64::from(g.jobs) / f64::from(g.meeting.unwrap_or(0) + 1);
    out.sort_by(|a, b| {
        scarcity(b)
            .total_cmp(&scarcity(a))
            .then(a.label.cmp(&b.label))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(id: &str, weight: u8, min_level: u8, required: bool) -> Asked {
        Asked {
            skill_id: id.into(),
            label: id.to_uppercase(),
            weight,
            min_level,
            required,
        }
    }

    fn held(pairs: &[(&str, u8)]) -> HashMap<String, u8> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn a_gap_is_a_skill_lacking_or_held_below_the_level_asked_weighed_by_weight_and_demand() {
        let job = [
            asked("sql", 5, 3, true),
            asked("rust", 2, 4, true),
            asked("figma", 4, 2, false),
            asked("git", 3, 2, true),
        ];
        let me = held(&[("rust", 2), ("git", 4)]);
        let demand = |id: &str| if id == "sql" { 0.5 } else { 0.0 };
        let found = gaps(&job, &me, demand);
        let order: Vec<&str> = found.iter().map(|g| g.skill_id.as_str()).collect();
        // sql: 5 × 3 × 1.5 = 22.5; rust: 2 × 2 × 1 = 4; figma: 4 × 2 × 1 × ½ = 4.
        assert_eq!(order, ["sql", "figma", "rust"], "git is met, ties by label");
        assert_eq!(found[0].score, 22.5);
        assert_eq!(found[0].held, None);
        assert_eq!(found[0].levels_short(), 3);
        assert_eq!(found[2].held, Some(2));
        assert_eq!(found[2].levels_short(), 2);
        assert_eq!(found[1].score, 4.0);
        assert!(!found[1].required);
    }

    #[test]
    fn meeting_every_level_leaves_no_gap_and_nothing_unmet() {
        let job = [asked("sql", 3, 2, true), asked("figma", 3, 5, false)];
        let me = held(&[("sql", 2)]);
        assert_eq!(gaps(&job, &me, |_| 0.0).len(), 1, "figma is nice to have");
        assert!(
            unmet(&job, &me).is_empty(),
            "only required skills stand between"
        );
        assert_eq!(unmet(&job, &held(&[("sql", 1)])), ["sql"]);
    }

    #[test]
    fn a_jobs_tags_are_left_out_and_a_skill_named_twice_counts_once() {
        let skill = |label: &str, id: Option<&str>, level: u8| JobSkill {
            label: label.into(),
            weight: 9,
            min_level: level,
            required: true,
            skill_id: id.map(Into::into),
        };
        let got = Asked::of_job(&[
            skill("SQL", Some("s1"), 2),
            skill("vibes", None, 3),
            skill("sql", Some("s1"), 5),
        ]);
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].weight, got[0].min_level),
            (5, 2),
            "clamped, first kept"
        );
    }

    #[test]
    fn a_communitys_gaps_match_a_direct_count_and_hide_groups_under_five() {
        let jobs = vec![
            vec![asked("sql", 3, 3, true), asked("figma", 3, 1, true)],
            vec![asked("sql", 3, 2, true)],
            vec![asked("sql", 3, 4, true)],
        ];
        let mut members = Vec::new();
        for level in [1, 2, 3, 3, 3, 4, 5, 5] {
            members.push(held(&[("sql", level), ("figma", 1)]));
        }
        members.push(held(&[("rust", 5)]));
        let found = community_gaps(&jobs, &members);
        let sql = found.iter().find(|g| g.skill_id == "sql").unwrap();
        // Levels asked 2, 3, 4: the median is 3; members at 3 or above: 3, 3, 3, 4, 5, 5.
        let direct = members
            .iter()
            .filter(|m| m.get("sql").is_some_and(|l| *l >= 3))
            .count();
        assert_eq!((sql.jobs, sql.level), (3, 3));
        assert_eq!(sql.meeting, Some(direct as u32));
        assert_eq!(sql.below, None, "two below: too few to show");
        let figma = found.iter().find(|g| g.skill_id == "figma").unwrap();
        assert_eq!((figma.jobs, figma.meeting), (1, Some(8)));
        assert_eq!(found[0].skill_id, "sql", "3 jobs over 6 members is scarcer");
        assert!(
            found.iter().all(|g| g.skill_id != "rust"),
            "no job asks for it"
        );
    }

    #[test]
    fn suppressed_counts_rank_alike_whatever_they_hide() {
        let jobs = vec![vec![asked("a", 3, 1, true), asked("b", 3, 1, true)]];
        let one = vec![held(&[("a", 1)])];
        let four = vec![held(&[("a", 1)]); 4];
        let labels = |m: &[HashMap<String, u8>]| {
            community_gaps(&jobs, m)
                .into_iter()
                .map(|g| g.skill_id)
                .collect::<Vec<_>>()
        };
        assert_eq!(labels(&one), labels(&four));
        assert_eq!(labels(&one), labels(&[]));
    }
}
