//! Learning paths mined from evidence. For each skill, what members did in the year before
//! their first evidence of it (a resource completed, mentoring received in a skill, another
//! skill first shown, a contract completed), the last few steps in order, is a path; the paths
//! many members share are the common ones, each with how many followed it and how long it
//! typically took. A path is given only when at least [`super::MIN_GROUP`] different members
//! followed it, and never says who.

use super::shown_count;
use std::collections::{BTreeMap, BTreeSet};

/// Steps kept before a skill's first evidence: the last ones, closest to it.
pub const MAX_STEPS: usize = 3;
/// How far back a step may lie before the first evidence, in milliseconds (a year).
pub const LOOKBACK_MS: i64 = 365 * 24 * 3600 * 1000;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// One kind of step.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StepKind {
    /// Completed a learning resource (its id).
    Resource(String),
    /// Received mentoring in a skill (its id).
    Mentoring(String),
    /// First showed evidence of another skill (its id).
    Skill(String),
    /// Completed a contract.
    Contract,
}

/// One thing a member did, and when (milliseconds since the epoch).
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// When.
    pub at: i64,
    /// What.
    pub kind: StepKind,
}

/// One member's history: what they did, and when they first showed evidence of each skill.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// Who (only to count different members; never shown).
    pub member: String,
    /// What they did.
    pub steps: Vec<Step>,
    /// Skill id → the time of its first evidence.
    pub first_evidence: BTreeMap<String, i64>,
}

/// A common path to a skill.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    /// The skill it leads to.
    pub skill_id: String,
    /// The steps, in order.
    pub steps: Vec<StepKind>,
    /// Different members who followed it (five or more).
    pub members: u32,
    /// The median days from its first step to the first evidence of the skill.
    pub median_days: u32,
}

/// The path one member took to `skill` first shown at `at`: the last [`MAX_STEPS`] different
/// steps in the year before, each kind once (its first time), and when the path began.
fn path_to(history: &History, skill: &str, at: i64) -> Option<(Vec<StepKind>, i64)> {
    let mut before: Vec<Step> = history
        .steps
        .iter()
        .cloned()
        .chain(
            history
                .first_evidence
                .iter()
                .filter(|(other, _)| other.as_str() != skill)
                .map(|(other, t)| Step {
                    at: *t,
                    kind: StepKind::Skill(other.clone()),
                }),
        )
        .filter(|s| s.at < at && s.at >= at - LOOKBACK_MS)
        .collect();
    before.sort_by(|a, b| a.at.cmp(&b.at).then(a.kind.cmp(&b.kind)));
    let mut seen = BTreeSet::new();
    before.retain(|s| seen.insert(s.kind.clone()));
    let keep = before.len().saturating_sub(MAX_STEPS);
    let steps: Vec<Step> = before.split_off(keep);
    let began = steps.first()?.at;
    Some((steps.into_iter().map(|s| s.kind).collect(), began))
}

/// The common paths to each skill across `histories`, most followed first; only those at least
/// five different members followed.
pub fn mine(histories: &[History]) -> Vec<Path> {
    type Followed<'a> = (BTreeSet<&'a str>, Vec<i64>);
    let mut found: BTreeMap<(String, Vec<StepKind>), Followed> = BTreeMap::new();
    for h in histories {
        for (skill, at) in &h.first_evidence {
            if let Some((steps, began)) = path_to(h, skill, *at) {
                let entry = found.entry((skill.clone(), steps)).or_default();
                entry.0.insert(&h.member);
                entry.1.push(at - began);
            }
        }
    }
    let mut paths: Vec<Path> = found
        .into_iter()
        .filter_map(|((skill_id, steps), (members, mut took))| {
            let members = shown_count(members.len())?;
            took.sort_unstable();
            let median = super::rates::quantile(&took, 0.5);
            Some(Path {
                skill_id,
                steps,
                members,
                median_days: u32::try_from(median / DAY_MS).unwrap_or(u32::MAX),
            })
        })
        .collect();
    paths.sort_by(|a, b| {
        a.skill_id
            .cmp(&b.skill_id)
            .then(b.members.cmp(&a.members))
            .then(a.steps.cmp(&b.steps))
    });
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = DAY_MS;

    fn history(member: &str, steps: &[(i64, StepKind)], evidence: &[(&str, i64)]) -> History {
        History {
            member: member.into(),
            steps: steps
                .iter()
                .map(|(d, k)| Step {
                    at: d * DAY,
                    kind: k.clone(),
                })
                .collect(),
            first_evidence: evidence
                .iter()
                .map(|(s, d)| (s.to_string(), d * DAY))
                .collect(),
        }
    }

    /// Members who read the Rust book, were mentored in Rust, then did a contract asking it;
    /// `days` apart each.
    fn bookish(n: usize, days: i64) -> Vec<History> {
        (0..n)
            .map(|i| {
                history(
                    &format!("reader{i}"),
                    &[
                        (100, StepKind::Resource("rust-book".into())),
                        (100 + days, StepKind::Mentoring("rust".into())),
                        (100 + days, StepKind::Mentoring("rust".into())),
                    ],
                    &[("rust", 100 + 2 * days + i as i64)],
                )
            })
            .collect()
    }

    #[test]
    fn a_known_path_is_found_with_its_count_and_typical_time() {
        let mut all = bookish(6, 20);
        // Another way in: SQL first, then a contract.
        for i in 0..5 {
            all.push(history(
                &format!("data{i}"),
                &[(50, StepKind::Contract)],
                &[("sql", 10), ("rust", 60 + i as i64)],
            ));
        }
        let paths = mine(&all);
        let rust: Vec<&Path> = paths.iter().filter(|p| p.skill_id == "rust").collect();
        assert_eq!(rust.len(), 2);
        assert_eq!(
            rust[0].steps,
            [
                StepKind::Resource("rust-book".into()),
                StepKind::Mentoring("rust".into())
            ],
            "the repeated session counts once"
        );
        // 40, 41, … 45 days after the book: the median of six is 42.5, whole days 42.
        assert_eq!((rust[0].members, rust[0].median_days), (6, 42));
        assert_eq!(
            rust[1].steps,
            [StepKind::Skill("sql".into()), StepKind::Contract]
        );
        assert_eq!(rust[1].members, 5);
    }

    #[test]
    fn paths_fewer_than_five_members_followed_are_not_shown() {
        assert!(mine(&bookish(4, 10)).is_empty());
        assert_eq!(mine(&bookish(5, 10)).len(), 1);
        // One member counted five times is still one member.
        let mut one = bookish(1, 10);
        one.extend(std::iter::repeat_n(one[0].clone(), 4));
        assert!(mine(&one).is_empty());
    }

    #[test]
    fn only_the_last_steps_of_the_year_before_count() {
        let h = history(
            "m",
            &[
                (1, StepKind::Contract),
                (400, StepKind::Resource("a".into())),
                (410, StepKind::Resource("b".into())),
                (420, StepKind::Resource("c".into())),
                (430, StepKind::Resource("d".into())),
                (500, StepKind::Resource("after".into())),
            ],
            &[("rust", 440)],
        );
        let (steps, began) = path_to(&h, "rust", 440 * DAY).unwrap();
        assert_eq!(
            steps,
            ["b", "c", "d"].map(|r| StepKind::Resource(r.into())),
            "the contract is over a year before; three steps kept"
        );
        assert_eq!(began, 410 * DAY);
        assert!(path_to(&h, "rust", 0).is_none(), "nothing before");
    }
}
