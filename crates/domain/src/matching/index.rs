//! The in-memory index: one posting list per skill, sorted by member, each posting pointing to
//! its claim's audiences (interned: an instance has few distinct sets), and what filters and
//! boosts need per member.

use super::together::{Baskets, Together, found_with};
use super::{
    Best, Client, Extras, Hit, MemberDoc, MemberNo, Query, Rate, SkillNo, Weights, admitted,
    better, evidence_seen, finish, fit, proximity_of, rank, rate_check, viewer_of, zone_check,
};
use crate::audience::AudienceSet;
use crate::ids::CommunityId;
use crate::visibility::Viewer;
use std::collections::HashMap;

/// Members of a skill looked at, at most, to learn what is claimed with it: an even sample
/// estimates the rest.
const SAMPLE: usize = 2_000;

/// Room left for rounding when a bound is compared with the k-th score: pruning only skips a
/// member whose bound is clearly below it.
const EPSILON: f64 = 1e-9;

/// One claim in a skill's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Posting {
    member: MemberNo,
    level: u8,
    audiences: u32,
}

/// What filters and boosts need of one member.
#[derive(Clone, Debug, Default)]
struct Member {
    /// The largest of the member's figures, whoever may see them: a bound on their evidence.
    most_evidence: f64,
    rate: Option<Rate>,
    evidence: Vec<(f64, u32)>,
    communities: Vec<CommunityId>,
    suspended: bool,
    /// The skills claimed, each with whether every member may see the claim.
    skills: Vec<(SkillNo, bool)>,
    utc_offset: Option<(i32, u32)>,
}

/// The first position at or after `from` whose member is not below `member`: galloping from the
/// cursor, since the next member is usually near it, then a binary search in the last step.
fn seek(list: &[Posting], from: usize, member: MemberNo) -> usize {
    if list.get(from).is_none_or(|p| p.member >= member) {
        return from;
    }
    // list[from] is below `member`: find a bound that is not, doubling the step.
    let mut low = from + 1;
    let mut step = 1;
    let mut high = from + step;
    while high < list.len() && list[high].member < member {
        low = high + 1;
        step *= 2;
        high = from + step;
    }
    let high = high.min(list.len());
    low + list[low..high].partition_point(|p| p.member < member)
}

/// The matching index.
#[derive(Clone, Debug, Default)]
pub struct Index {
    audiences: Vec<AudienceSet>,
    interned: HashMap<AudienceSet, u32>,
    lists: HashMap<SkillNo, Vec<Posting>>,
    /// By member number; `None` for numbers not (or no longer) indexed.
    members: Vec<Option<Member>>,
    /// How many are indexed.
    count: usize,
}

impl Index {
    /// An index of `docs`.
    pub fn build(docs: &[MemberDoc]) -> Self {
        let mut index = Index::default();
        for doc in docs {
            index.upsert(doc);
        }
        index
    }

    /// How many members it holds.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether it holds nobody.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn intern(&mut self, set: &AudienceSet) -> u32 {
        if let Some(&i) = self.interned.get(set) {
            return i;
        }
        let i = self.audiences.len() as u32;
        self.audiences.push(set.clone());
        self.interned.insert(set.clone(), i);
        i
    }

    /// Adds a member, or replaces what it held of them.
    pub fn upsert(&mut self, doc: &MemberDoc) {
        self.remove(doc.member);
        let mut skills = Vec::new();
        let anyone = Viewer::member();
        for claim in &doc.claims {
            let audiences = self.intern(&claim.audiences);
            let list = self.lists.entry(claim.skill).or_default();
            let at = list.partition_point(|p| p.member < doc.member);
            // Several claims of one skill: postings of one member stay together.
            let at = at
                + list[at..]
                    .iter()
                    .take_while(|p| p.member == doc.member)
                    .count();
            list.insert(
                at,
                Posting {
                    member: doc.member,
                    level: claim.level,
                    audiences,
                },
            );
            skills.push((claim.skill, anyone.can_see(&claim.audiences)));
        }
        let evidence = doc
            .evidence
            .iter()
            .map(|(v, a)| (*v, self.intern(a)))
            .collect();
        let utc_offset = doc.utc_offset.as_ref().map(|(o, a)| (*o, self.intern(a)));
        let at = doc.member as usize;
        if self.members.len() <= at {
            self.members.resize_with(at + 1, || None);
        }
        self.count += 1;
        let most_evidence = doc.evidence.iter().map(|(v, _)| *v).fold(0.0, f64::max);
        self.members[at] = Some(Member {
            most_evidence,
            rate: doc.rate.clone(),
            evidence,
            communities: doc.communities.clone(),
            suspended: doc.suspended,
            skills,
            utc_offset,
        });
    }

    /// Removes a member.
    pub fn remove(&mut self, member: MemberNo) {
        let Some(old) = self.members.get_mut(member as usize).and_then(Option::take) else {
            return;
        };
        self.count -= 1;
        for (skill, _) in old.skills {
            if let Some(list) = self.lists.get_mut(&skill) {
                list.retain(|p| p.member != member);
            }
        }
    }

    /// The skills members claim together with `skill`, strongest first, at most `keep`.
    /// Only claims every member may see are counted, so what is learned never rests on a
    /// claim shown to few. Long lists are sampled evenly.
    pub fn claimed_with(&self, skill: SkillNo, keep: usize) -> Vec<Together> {
        let Some(list) = self.lists.get(&skill) else {
            return Vec::new();
        };
        let anyone = Viewer::member();
        let step = list.len().div_ceil(SAMPLE).max(1);
        let sampled: Vec<&Member> = list
            .iter()
            .step_by(step)
            .filter(|p| anyone.can_see(&self.audiences[p.audiences as usize]))
            .filter_map(|p| self.members.get(p.member as usize)?.as_ref())
            .collect();
        let looked = list.len().div_ceil(step);
        // The shown share of the sample stands for the shown share of the whole list.
        let x_count = (list.len() * sampled.len()).div_ceil(looked.max(1)) as u32;
        let count_of = |y: SkillNo| self.lists.get(&y).map_or(0, |l| l.len() as u32);
        found_with(
            skill,
            Baskets {
                holding_x: sampled
                    .iter()
                    .map(|m| m.skills.iter().filter(|(_, shown)| *shown).map(|(s, _)| *s)),
                x_count,
                count_of: &count_of,
                total: self.count as u32,
            },
            keep,
        )
    }

    /// The top `k` members for `query` as `client` may see them, best first, ties by member
    /// number: exactly [`super::brute_force`]'s answer, without scoring every member.
    pub fn top_k(&self, query: &Query, client: &Client, weights: &Weights, k: usize) -> Vec<Hit> {
        if k == 0 || query.terms.is_empty() {
            return Vec::new();
        }
        let total: f64 = query.terms.iter().map(|t| f64::from(t.weight)).sum();
        // Per term: its lists (with the expansion that brought each) and its upper bound.
        let terms: Vec<Vec<(&[Posting], usize)>> = query
            .terms
            .iter()
            .map(|t| {
                t.skills
                    .iter()
                    .enumerate()
                    .filter_map(|(e, x)| self.lists.get(&x.skill).map(|l| (l.as_slice(), e)))
                    .collect()
            })
            .collect();
        let bounds: Vec<f64> = query
            .terms
            .iter()
            .map(|t| {
                let factor = t.skills.iter().map(|x| x.factor).fold(0.0, f64::max);
                weights.skills * f64::from(t.weight) / total * factor
            })
            .collect();
        let boost = weights.evidence + weights.network;
        // Terms by bound, smallest first: the first few are the non-essential ones.
        let mut order: Vec<usize> = (0..terms.len()).collect();
        order.sort_by(|a, b| bounds[*a].total_cmp(&bounds[*b]));
        let mut cursors: Vec<Vec<usize>> = terms.iter().map(|l| vec![0; l.len()]).collect();
        let mut top: Vec<Hit> = Vec::with_capacity(k + 1);
        let mut threshold: Option<f64> = None;
        let mut essential_from = 0;
        loop {
            // The next member in any essential term's lists.
            let next = order[essential_from..]
                .iter()
                .flat_map(|&t| {
                    terms[t]
                        .iter()
                        .zip(&cursors[t])
                        .filter_map(|((list, _), &c)| list.get(c).map(|p| p.member))
                })
                .min();
            let Some(member) = next else { break };
            // Every list moves to this member; the terms holding them bound their score, with
            // what evidence and closeness can add for this member.
            let mut bound = self.boost_bound(client, weights, member);
            for t in 0..terms.len() {
                let mut present = false;
                for ((list, _), c) in terms[t].iter().zip(cursors[t].iter_mut()) {
                    *c = seek(list, *c, member);
                    present |= list.get(*c).is_some_and(|p| p.member == member);
                }
                if present {
                    bound += bounds[t];
                }
            }
            let worth_scoring = threshold.is_none_or(|th| bound + EPSILON >= th);
            if worth_scoring
                && let Some(hit) = self.score(query, client, weights, member, &terms, &cursors)
            {
                let at = top.partition_point(|h| rank(h, &hit).is_lt());
                if at < k {
                    top.insert(at, hit);
                    top.truncate(k);
                    if top.len() == k {
                        let th = top[k - 1].score;
                        threshold = Some(th);
                        // Terms whose bounds, with the boosts, cannot reach the k-th score
                        // alone no longer bring candidates.
                        let mut sum = boost;
                        essential_from = 0;
                        for &t in &order {
                            if sum + bounds[t] + EPSILON < th {
                                sum += bounds[t];
                                essential_from += 1;
                            } else {
                                break;
                            }
                        }
                    }
                }
            }
            // Past this member in every list.
            for (t, lists) in terms.iter().enumerate() {
                for ((list, _), c) in lists.iter().zip(cursors[t].iter_mut()) {
                    while list.get(*c).is_some_and(|p| p.member == member) {
                        *c += 1;
                    }
                }
            }
        }
        top
    }

    /// The most a member's evidence and closeness can add to their score: their largest
    /// figure, and closeness as the client's sets and shared communities allow.
    fn boost_bound(&self, client: &Client, weights: &Weights, member: MemberNo) -> f64 {
        let Some(info) = self.members.get(member as usize).and_then(Option::as_ref) else {
            return 0.0;
        };
        let network = if client.connections.contains(&member) {
            1.0
        } else if client.second_degree.contains_key(&member) {
            0.5
        } else if info
            .communities
            .iter()
            .any(|c| client.communities.contains(c))
        {
            0.25
        } else {
            0.0
        };
        weights.evidence * info.most_evidence + weights.network * network
    }

    /// Scores one member from the postings the cursors stand on.
    fn score(
        &self,
        query: &Query,
        client: &Client,
        weights: &Weights,
        member: MemberNo,
        terms: &[Vec<(&[Posting], usize)>],
        cursors: &[Vec<usize>],
    ) -> Option<Hit> {
        let info = self.members.get(member as usize)?.as_ref()?;
        if !admitted(client, query, member, info.suspended, &info.communities) {
            return None;
        }
        let viewer = viewer_of(client, member, &info.communities);
        let rate = rate_check(query, info.rate.as_ref(), &viewer).ok()?;
        let zone = info
            .utc_offset
            .map(|(o, a)| (o, &self.audiences[a as usize]));
        let utc_offset = zone_check(query, zone, &viewer).ok()?;
        let mut best: Vec<Best> = vec![None; query.terms.len()];
        for (t, lists) in terms.iter().enumerate() {
            let term = &query.terms[t];
            for ((list, e), &c) in lists.iter().zip(&cursors[t]) {
                let expansion = &term.skills[*e];
                for p in list[c..].iter().take_while(|p| p.member == member) {
                    if viewer.can_see(&self.audiences[p.audiences as usize]) {
                        let value = expansion.factor * fit(p.level, term.min_level);
                        best[t] = better(
                            best[t],
                            (expansion.skill, expansion.relation, p.level, value),
                        );
                    }
                }
            }
        }
        let evidence = evidence_seen(
            info.evidence
                .iter()
                .map(|(v, a)| (*v, &self.audiences[*a as usize])),
            &viewer,
        );
        let extras = Extras {
            evidence,
            proximity: proximity_of(client, member, &viewer),
            rate,
            utc_offset,
        };
        finish(query, weights, member, best, extras)
    }
}
