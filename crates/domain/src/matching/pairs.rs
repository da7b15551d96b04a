//! Pairs for a job nobody covers alone: a senior member and a learner who, between them, show
//! every skill the job asks at the level asked. The senior is the one who meets more of it and
//! mentors; the learner meets the rest and learns what the senior meets that they do not. A
//! pair is formed only from ranked hits, so it rests on nothing the client may not see.

use super::{Hit, MemberNo};
use std::collections::BTreeSet;

/// A senior member and a learner who together meet every term of a query.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    /// The member who meets more of the job, and mentors.
    pub senior: MemberNo,
    /// The member who meets the rest, and learns.
    pub learner: MemberNo,
    /// The mean of their two scores.
    pub score: f64,
    /// The terms only the learner meets at the level asked.
    pub learner_brings: Vec<usize>,
    /// The terms the senior meets at the level asked and the learner does not: what the
    /// learner learns on the job.
    pub learns: Vec<usize>,
}

/// The terms `hit` meets at the level asked.
pub fn met(hit: &Hit) -> BTreeSet<usize> {
    hit.matched
        .iter()
        .filter(|m| m.level >= m.min_level)
        .map(|m| m.term)
        .collect()
}

/// Whether `hit` meets all `terms` terms at the level asked.
pub fn covers(hit: &Hit, terms: usize) -> bool {
    met(hit).len() == terms
}

/// Up to `k` pairs from `hits` that meet all `terms` terms between them, best first, each
/// member in at most one pair; none when a single hit covers the job or it asks nothing.
/// The learner's rate, when the client sees both, is not above the senior's: a learner works
/// for less. Ties go to the lower member numbers, so the answer is the same every time.
pub fn pairs(hits: &[Hit], terms: usize, k: usize) -> Vec<Pair> {
    if terms == 0 || hits.iter().any(|h| covers(h, terms)) {
        return Vec::new();
    }
    let met: Vec<BTreeSet<usize>> = hits.iter().map(met).collect();
    let mut found = Vec::new();
    for (s, senior) in hits.iter().enumerate() {
        for (l, learner) in hits.iter().enumerate() {
            if s == l || !is_senior(senior, &met[s], learner, &met[l]) {
                continue;
            }
            if met[s].union(&met[l]).count() != terms {
                continue;
            }
            if let (Some(theirs), Some(mine)) = (learner.rate, senior.rate)
                && theirs > mine
            {
                continue;
            }
            found.push(Pair {
                senior: senior.member,
                learner: learner.member,
                score: (senior.score + learner.score) / 2.0,
                learner_brings: met[l].difference(&met[s]).copied().collect(),
                learns: met[s].difference(&met[l]).copied().collect(),
            });
        }
    }
    found.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.senior.cmp(&b.senior))
            .then(a.learner.cmp(&b.learner))
    });
    let mut taken = BTreeSet::new();
    let mut out = Vec::new();
    for pair in found {
        if out.len() == k {
            break;
        }
        if taken.contains(&pair.senior) || taken.contains(&pair.learner) {
            continue;
        }
        taken.insert(pair.senior);
        taken.insert(pair.learner);
        out.push(pair);
    }
    out
}

/// Whether `a` is the senior of `a` and `b`: it meets more terms, or as many with the higher
/// score, or the same score and the lower number.
fn is_senior(a: &Hit, met_a: &BTreeSet<usize>, b: &Hit, met_b: &BTreeSet<usize>) -> bool {
    met_a
        .len()
        .cmp(&met_b.len())
        .then(a.score.total_cmp(&b.score))
        .then(b.member.cmp(&a.member))
        .is_gt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::{Proximity, TermMatch};
    use proptest::prelude::*;

    fn hit(member: MemberNo, score: f64, levels: &[(usize, u8)], rate: Option<i64>) -> Hit {
        Hit {
            member,
            score,
            matched: levels
                .iter()
                .map(|&(term, level)| TermMatch {
                    term,
                    skill: term as u32,
                    relation: "exact",
                    level,
                    min_level: 3,
                    points: 0.0,
                })
                .collect(),
            missing: Vec::new(),
            evidence: None,
            proximity: Proximity::Stranger,
            rate,
            utc_offset: None,
        }
    }

    #[test]
    fn a_member_who_covers_the_job_needs_no_pair() {
        let hits = [
            hit(1, 0.9, &[(0, 4), (1, 3)], None),
            hit(2, 0.5, &[(1, 5)], None),
        ];
        assert!(pairs(&hits, 2, 5).is_empty());
    }

    #[test]
    fn the_senior_meets_more_and_the_learner_brings_the_rest() {
        // Rust and SQL at 4 for @1; Figma at 3 and SQL at 2 (below the 3 asked) for @2.
        let hits = [
            hit(1, 0.8, &[(0, 4), (1, 4)], Some(9_000)),
            hit(2, 0.4, &[(1, 2), (2, 3)], Some(4_000)),
        ];
        let found = pairs(&hits, 3, 5);
        assert_eq!(
            found,
            vec![Pair {
                senior: 1,
                learner: 2,
                score: 0.6000000000000001,
                learner_brings: vec![2],
                learns: vec![0, 1],
            }]
        );
    }

    #[test]
    fn a_learner_asking_more_than_the_senior_is_no_pair() {
        let hits = [
            hit(1, 0.8, &[(0, 4), (1, 4)], Some(4_000)),
            hit(2, 0.4, &[(2, 3)], Some(9_000)),
        ];
        assert!(pairs(&hits, 3, 5).is_empty());
        // A rate the client cannot see does not stop it.
        let hidden = [hits[0].clone(), hit(2, 0.4, &[(2, 3)], None)];
        assert_eq!(pairs(&hidden, 3, 5).len(), 1);
    }

    #[test]
    fn below_the_level_asked_meets_nothing() {
        let hits = [hit(1, 0.8, &[(0, 4)], None), hit(2, 0.7, &[(1, 2)], None)];
        assert!(pairs(&hits, 2, 5).is_empty());
    }

    proptest! {
        /// Every pair meets all terms between its two members, each member is in one pair at
        /// most, the best pairs come first, and the answer does not depend on the hits' order.
        #[test]
        fn pairs_cover_the_job_and_are_stable(
            raw in prop::collection::vec(
                (prop::collection::vec((0usize..4, 1u8..=5), 0..4), 0u32..100, prop::option::of(1i64..10)),
                0..12,
            ),
        ) {
            let hits: Vec<Hit> = raw
                .iter()
                .enumerate()
                .map(|(i, (levels, score, rate))| {
                    let mut levels = levels.clone();
                    levels.sort();
                    levels.dedup_by_key(|l| l.0);
                    hit(i as u32, f64::from(*score) / 100.0, &levels, *rate)
                })
                .collect();
            let found = pairs(&hits, 4, 50);
            let by_no = |n: MemberNo| hits.iter().find(|h| h.member == n).unwrap();
            let mut seen = BTreeSet::new();
            for p in &found {
                let union: BTreeSet<usize> = met(by_no(p.senior)).union(&met(by_no(p.learner))).copied().collect();
                prop_assert_eq!(union.len(), 4);
                prop_assert!(seen.insert(p.senior) && seen.insert(p.learner));
            }
            prop_assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
            let mut reversed = hits.clone();
            reversed.reverse();
            prop_assert_eq!(pairs(&reversed, 4, 50), found);
        }
    }
}
