//! The in-memory index: per skill, posting lists sorted by member, each posting holding the
//! claim's level and audiences (interned: an instance has few distinct sets); and what filters
//! and boosts need per member, kept small.
//!
//! Each skill's postings are split into tiers by the member's largest evidence figure, so a
//! query walks the members who could carry the most evidence first and, once it holds k
//! members, bounds every later tier by that tier's evidence alone: the many members who show no
//! figure are reached only through the skills that could still lift them into the top k.
//! Members the client is connected to, directly or through one other, are scored first and
//! directly, so closeness need not swell every bound either.

use super::together::{Baskets, Together, found_with};
use super::{
    Best, Client, Extras, Hit, MemberDoc, MemberNo, Proximity, Query, SkillNo, Weights, admitted,
    better, evidence_seen, finish, fit, proximity_of, rank, rate_check, score_of, viewer_of,
    zone_check,
};
use crate::audience::AudienceSet;
use crate::ids::CommunityId;
use crate::visibility::Viewer;
use smallvec::{SmallVec, smallvec};
use std::collections::HashMap;

/// Room left for rounding when a bound is compared with the k-th score: pruning only skips a
/// member whose bound is clearly below it.
const EPSILON: f64 = 1e-9;
/// Members of a skill looked at, at most, to learn what is claimed with it: an even sample
/// estimates the rest.
const SAMPLE: usize = 2_000;
/// Evidence tiers: tier t holds members whose largest figure is at most t / (TIERS − 1).
const TIERS: usize = 9;
/// A posting's level sits in the top bits of its packed word, the audiences below.
const LEVEL_SHIFT: u32 = 29;
const AUDIENCES: u32 = (1 << LEVEL_SHIFT) - 1;
/// A skill number's top bit marks a claim every member may see, in a member's skill list.
const SHOWN: u32 = 1 << 31;

/// One claim in a skill's list: eight bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Posting {
    member: MemberNo,
    /// Level (3 bits) and interned audiences (29 bits).
    packed: u32,
}

impl Posting {
    fn new(member: MemberNo, level: u8, audiences: u32) -> Posting {
        debug_assert!(
            audiences <= AUDIENCES,
            "more audience sets than postings can name"
        );
        Posting {
            member,
            packed: (u32::from(level.min(7)) << LEVEL_SHIFT) | (audiences & AUDIENCES),
        }
    }

    fn level(self) -> u8 {
        (self.packed >> LEVEL_SHIFT) as u8
    }

    fn audiences(self) -> usize {
        (self.packed & AUDIENCES) as usize
    }
}

/// What filters and boosts need of one member.
#[derive(Clone, Debug)]
struct Member {
    /// The largest of the member's figures, whoever may see them: a bound on their evidence.
    most_evidence: f64,
    tier: u8,
    suspended: bool,
    /// Lowest rate (minor units), interned currency, interned audiences.
    rate: Option<(i64, u16, u32)>,
    /// UTC offset in minutes, interned audiences.
    utc_offset: Option<(i32, u32)>,
    /// Figures with their interned audiences.
    evidence: Box<[(f64, u32)]>,
    /// Interned communities.
    communities: Box<[u32]>,
    /// Skills claimed, with [`SHOWN`] set for claims every member may see.
    skills: Box<[u32]>,
}

/// The tier of a member whose largest figure is `most`.
fn tier_of(most: f64) -> usize {
    (most.clamp(0.0, 1.0) * (TIERS - 1) as f64).ceil() as usize
}

/// The largest figure a member of `tier` may have.
fn tier_bound(tier: usize) -> f64 {
    tier as f64 / (TIERS - 1) as f64
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

/// Where the postings of `member` sit in a list.
fn postings_of(list: &[Posting], member: MemberNo) -> std::ops::Range<usize> {
    let at = list.partition_point(|p| p.member < member);
    at..at + list[at..].partition_point(|p| p.member == member)
}

/// Values interned to small numbers.
#[derive(Clone, Debug, Default)]
struct Interner<T> {
    values: Vec<T>,
    numbers: HashMap<T, u32>,
}

impl<T: Clone + Eq + std::hash::Hash> Interner<T> {
    fn number(&mut self, value: &T) -> u32 {
        if let Some(&n) = self.numbers.get(value) {
            return n;
        }
        let n = self.values.len() as u32;
        self.values.push(value.clone());
        self.numbers.insert(value.clone(), n);
        n
    }

    fn get(&self, n: u32) -> &T {
        &self.values[n as usize]
    }
}

/// The matching index.
#[derive(Clone, Debug, Default)]
pub struct Index {
    audiences: Interner<AudienceSet>,
    currencies: Interner<String>,
    communities: Interner<CommunityId>,
    /// Per skill, its postings in each evidence tier.
    lists: HashMap<SkillNo, Box<[Vec<Posting>; TIERS]>>,
    /// By member number; `None` for numbers not (or no longer) indexed.
    members: Vec<Option<Member>>,
    /// Per interned community, its members in order: a query scoped to a community scores
    /// them and no one else.
    community_members: HashMap<u32, Vec<MemberNo>>,
    /// How many are indexed.
    count: usize,
}

/// A place in one list of a query: the list of one expansion of one term, in one tier.
struct Cursor<'a> {
    list: &'a [Posting],
    at: usize,
    /// The member at `at`; `MemberNo::MAX` once past the end.
    member: MemberNo,
    term: usize,
    expansion: usize,
    /// The most a posting of this list can add.
    bound: f64,
}

impl Cursor<'_> {
    /// Moves to `at`.
    fn go(&mut self, at: usize) {
        self.at = at;
        self.member = self.list.get(at).map_or(MemberNo::MAX, |p| p.member);
    }
}

/// The k best hits so far, best first.
struct Top {
    k: usize,
    hits: Vec<Hit>,
}

impl Top {
    fn offer(&mut self, hit: Hit) {
        let at = self.hits.partition_point(|h| rank(h, &hit).is_lt());
        if at < self.k {
            self.hits.insert(at, hit);
            self.hits.truncate(self.k);
        }
    }

    /// Whether a member scoring `score` would enter: exactly when [`Top::offer`] would keep
    /// their hit, so a hit is built only for those.
    fn takes(&self, score: f64, member: MemberNo) -> bool {
        self.hits.len() < self.k
            || self.hits.last().is_some_and(|last| {
                last.score
                    .total_cmp(&score)
                    .then(member.cmp(&last.member))
                    .is_lt()
            })
    }

    /// The k-th score, once there are k.
    fn threshold(&self) -> Option<f64> {
        (self.hits.len() == self.k).then(|| self.hits[self.k - 1].score)
    }

    /// Whether a member bounded by `bound` could still enter.
    fn admits(&self, bound: f64) -> bool {
        self.threshold().is_none_or(|th| bound + EPSILON >= th)
    }
}

/// What a query needs at hand while it walks the lists.
struct Asked<'a> {
    query: &'a Query,
    client: &'a Client,
    weights: &'a Weights,
    /// Per term, its share of the score: the skills' weight times its weight's share.
    shares: Vec<f64>,
    /// The most all terms together can add.
    all_terms: f64,
    /// The client's communities, interned.
    communities: Vec<u32>,
    /// Connections and second-degree contacts, in order: scored first, skipped in the tiers.
    near: Vec<MemberNo>,
    /// Per skill, the terms and expansions it counts for.
    counts_for: Vec<(SkillNo, usize, usize)>,
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

    /// Adds a member, or replaces what it held of them.
    pub fn upsert(&mut self, doc: &MemberDoc) {
        self.remove(doc.member);
        let most_evidence = doc.evidence.iter().map(|(v, _)| *v).fold(0.0, f64::max);
        let tier = tier_of(most_evidence);
        let anyone = Viewer::member();
        let mut skills = Vec::with_capacity(doc.claims.len());
        for claim in &doc.claims {
            let audiences = self.audiences.number(&claim.audiences);
            let list = &mut self.lists.entry(claim.skill).or_default()[tier];
            // Several claims of one skill: postings of one member stay together.
            let at = list.partition_point(|p| p.member <= doc.member);
            list.insert(at, Posting::new(doc.member, claim.level, audiences));
            let shown = if anyone.can_see(&claim.audiences) {
                SHOWN
            } else {
                0
            };
            skills.push(claim.skill | shown);
        }
        let rate = doc.rate.as_ref().map(|r| {
            let currency = self.currencies.number(&r.currency) as u16;
            (r.min_minor, currency, self.audiences.number(&r.audiences))
        });
        let evidence = doc
            .evidence
            .iter()
            .map(|(v, a)| (*v, self.audiences.number(a)))
            .collect();
        let utc_offset = doc
            .utc_offset
            .as_ref()
            .map(|(o, a)| (*o, self.audiences.number(a)));
        let communities: Box<[u32]> = doc
            .communities
            .iter()
            .map(|c| self.communities.number(c))
            .collect();
        for c in &communities {
            let members = self.community_members.entry(*c).or_default();
            let at = members.partition_point(|m| *m < doc.member);
            if members.get(at) != Some(&doc.member) {
                members.insert(at, doc.member);
            }
        }
        let at = doc.member as usize;
        if self.members.len() <= at {
            self.members.resize_with(at + 1, || None);
        }
        self.count += 1;
        self.members[at] = Some(Member {
            most_evidence,
            tier: tier as u8,
            suspended: doc.suspended,
            rate,
            utc_offset,
            evidence,
            communities,
            skills: skills.into_boxed_slice(),
        });
    }

    /// Removes a member.
    pub fn remove(&mut self, member: MemberNo) {
        let Some(old) = self.members.get_mut(member as usize).and_then(Option::take) else {
            return;
        };
        self.count -= 1;
        for c in old.communities.iter() {
            if let Some(members) = self.community_members.get_mut(c)
                && let Ok(at) = members.binary_search(&member)
            {
                members.remove(at);
            }
        }
        for skill in old.skills.iter() {
            if let Some(tiers) = self.lists.get_mut(&(skill & !SHOWN)) {
                let list = &mut tiers[usize::from(old.tier)];
                list.drain(postings_of(list, member));
            }
        }
    }

    /// A skill's postings in every tier.
    fn postings(&self, skill: SkillNo) -> impl Iterator<Item = &Posting> {
        self.lists
            .get(&skill)
            .into_iter()
            .flat_map(|t| t.iter().flatten())
    }

    /// How many claims of a skill it holds.
    fn claims_of(&self, skill: SkillNo) -> usize {
        self.lists
            .get(&skill)
            .map_or(0, |tiers| tiers.iter().map(Vec::len).sum())
    }

    /// The skills members claim together with `skill`, strongest first, at most `keep`.
    /// Only claims every member may see are counted, so what is learned never rests on a
    /// claim shown to few. Long lists are sampled evenly.
    pub fn claimed_with(&self, skill: SkillNo, keep: usize) -> Vec<Together> {
        let claimants = self.claims_of(skill);
        let anyone = Viewer::member();
        let step = claimants.div_ceil(SAMPLE).max(1);
        let sampled: Vec<&Member> = self
            .postings(skill)
            .step_by(step)
            .filter(|p| anyone.can_see(self.audiences.get(p.audiences() as u32)))
            .filter_map(|p| self.members.get(p.member as usize)?.as_ref())
            .collect();
        let looked = claimants.div_ceil(step);
        // The shown share of the sample stands for the shown share of the whole list.
        let x_count = (claimants * sampled.len()).div_ceil(looked.max(1)) as u32;
        let count_of = |y: SkillNo| self.claims_of(y) as u32;
        found_with(
            skill,
            Baskets {
                holding_x: sampled.iter().map(|m| {
                    m.skills
                        .iter()
                        .filter(|s| *s & SHOWN != 0)
                        .map(|s| s & !SHOWN)
                }),
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
        let asked = self.asked(query, client, weights);
        let mut top = Top {
            k,
            hits: Vec::with_capacity(k + 1),
        };
        if let Some(community) = query.community {
            // Only its members can appear: score them all, and no one else.
            let number = self.communities.numbers.get(&community);
            let members = number.and_then(|n| self.community_members.get(n));
            for &member in members.into_iter().flatten() {
                if let Some(hit) = self.score_directly(&asked, member, &top) {
                    top.offer(hit);
                }
            }
            return top.hits;
        }
        // Closeness lifts these above what the tiers allow for: score them first.
        for &member in &asked.near {
            if let Some(hit) = self.score_directly(&asked, member, &top) {
                top.offer(hit);
            }
        }
        let community = if asked.communities.is_empty() {
            0.0
        } else {
            weights.network * Proximity::Community.value()
        };
        for tier in (0..TIERS).rev() {
            let boost = weights.evidence * tier_bound(tier) + community;
            if top.admits(asked.all_terms + boost) {
                self.walk_tier(&asked, tier, boost, &mut top);
            }
        }
        top.hits
    }

    /// What a query needs at hand.
    fn asked<'a>(&self, query: &'a Query, client: &'a Client, weights: &'a Weights) -> Asked<'a> {
        let total: f64 = query.terms.iter().map(|t| f64::from(t.weight)).sum();
        let shares: Vec<f64> = query
            .terms
            .iter()
            .map(|t| weights.skills * f64::from(t.weight) / total)
            .collect();
        let all_terms = query
            .terms
            .iter()
            .zip(&shares)
            .map(|(t, share)| share * t.skills.iter().map(|x| x.factor).fold(0.0, f64::max))
            .sum();
        // Sorted, for a binary search: a query counts few skills.
        let mut counts_for: Vec<(SkillNo, usize, usize)> = Vec::new();
        for (t, term) in query.terms.iter().enumerate() {
            for (e, x) in term.skills.iter().enumerate() {
                counts_for.push((x.skill, t, e));
            }
        }
        counts_for.sort_unstable();
        let mut near: Vec<MemberNo> = client
            .connections
            .iter()
            .chain(client.second_degree.keys())
            .copied()
            .collect();
        near.sort_unstable();
        near.dedup();
        Asked {
            query,
            client,
            weights,
            shares,
            all_terms,
            communities: client
                .communities
                .iter()
                .filter_map(|c| self.communities.numbers.get(c).copied())
                .collect(),
            near,
            counts_for,
        }
    }

    /// WAND over one tier's lists: the cursors, sorted by the member they stand on, are
    /// summed bound by bound until they could reach the k-th score; the member there (the
    /// pivot) is the first who could enter, and every cursor before it skips straight to it.
    /// A member found in too few lists to enter is never looked at.
    fn walk_tier(&self, asked: &Asked, tier: usize, boost: f64, top: &mut Top) {
        let mut cursors: Vec<Cursor> = Vec::new();
        for (t, term) in asked.query.terms.iter().enumerate() {
            for (e, x) in term.skills.iter().enumerate() {
                let Some(tiers) = self.lists.get(&x.skill) else {
                    continue;
                };
                if tiers[tier].is_empty() {
                    continue;
                }
                cursors.push(Cursor {
                    list: &tiers[tier],
                    at: 0,
                    member: tiers[tier][0].member,
                    term: t,
                    expansion: e,
                    bound: asked.shares[t] * x.factor,
                });
            }
        }
        loop {
            cursors.sort_by_key(|c| c.member);
            // The pivot: the first cursor where the bounds so far could reach the k-th score.
            let mut sum = boost;
            let mut pivot = None;
            for (i, c) in cursors.iter().enumerate() {
                if c.member == MemberNo::MAX {
                    break;
                }
                sum += c.bound;
                if top.admits(sum) {
                    pivot = Some(i);
                    break;
                }
            }
            let Some(pivot) = pivot else { break };
            let member = cursors[pivot].member;
            if cursors[0].member != member {
                // Nobody before the pivot's member can enter: skip them.
                for c in &mut cursors[..pivot] {
                    let at = seek(c.list, c.at, member);
                    c.go(at);
                }
                continue;
            }
            let on: usize = cursors.iter().take_while(|c| c.member == member).count();
            self.consider(asked, member, &cursors[..on], top);
            for c in &mut cursors[..on] {
                let past = c.at + c.list[c.at..].partition_point(|p| p.member == member);
                c.go(past);
            }
        }
    }

    /// Scores `member`, on whom the cursors `on` stand, if their own bound could still enter.
    fn consider(&self, asked: &Asked, member: MemberNo, on: &[Cursor], top: &mut Top) {
        if asked.near.binary_search(&member).is_ok() {
            return;
        }
        let info = self.members[member as usize]
            .as_ref()
            .expect("a member in a list is indexed");
        // Each term counts its best list once.
        let mut best: SmallVec<[f64; 8]> = smallvec![0.0; asked.query.terms.len()];
        for c in on {
            best[c.term] = best[c.term].max(c.bound);
        }
        let bound = self.boost_of(asked, info) + best.iter().sum::<f64>();
        if !top.admits(bound) {
            return;
        }
        let found = on.iter().flat_map(|c| {
            c.list[c.at..]
                .iter()
                .take_while(move |p| p.member == member)
                .map(move |p| (c.term, c.expansion, *p))
        });
        if let Some(hit) = self.score(asked, member, info, found, top) {
            top.offer(hit);
        }
    }

    /// The most a member's evidence and closeness can add to their score, closeness being at
    /// most a shared community's (connections and their connections are scored apart).
    fn boost_of(&self, asked: &Asked, info: &Member) -> f64 {
        let shared = info
            .communities
            .iter()
            .any(|c| asked.communities.contains(c));
        asked.weights.evidence * info.most_evidence
            + if shared {
                asked.weights.network * Proximity::Community.value()
            } else {
                0.0
            }
    }

    /// Scores one member found apart from the lists' walk: their postings of each skill that
    /// counts for the query, looked up one by one.
    fn score_directly(&self, asked: &Asked, member: MemberNo, top: &Top) -> Option<Hit> {
        let info = self.members.get(member as usize)?.as_ref()?;
        let tier = usize::from(info.tier);
        let mut found: SmallVec<[(usize, usize, Posting); 16]> = SmallVec::new();
        for skill in info.skills.iter().map(|s| s & !SHOWN) {
            let from = asked.counts_for.partition_point(|(s, _, _)| *s < skill);
            let counts = asked.counts_for[from..]
                .iter()
                .take_while(|(s, _, _)| *s == skill);
            if counts.clone().next().is_none() {
                continue;
            }
            let list = &self.lists[&skill][tier];
            for p in &list[postings_of(list, member)] {
                found.extend(counts.clone().map(|(_, t, e)| (*t, *e, *p)));
            }
        }
        if found.is_empty() {
            return None;
        }
        self.score(asked, member, info, found.into_iter(), top)
    }

    /// Scores one member from their postings for the query, each with its term and expansion.
    fn score(
        &self,
        asked: &Asked,
        member: MemberNo,
        info: &Member,
        found: impl Iterator<Item = (usize, usize, Posting)>,
        top: &Top,
    ) -> Option<Hit> {
        let (query, client) = (asked.query, asked.client);
        let communities: SmallVec<[CommunityId; 4]> = info
            .communities
            .iter()
            .map(|c| *self.communities.get(*c))
            .collect();
        if !admitted(client, query, member, info.suspended, &communities) {
            return None;
        }
        let viewer = viewer_of(client, member, &communities);
        let rate = info.rate.map(|(minor, currency, audiences)| {
            (
                minor,
                self.currencies.get(u32::from(currency)).as_str(),
                self.audiences.get(audiences),
            )
        });
        let rate = rate_check(query, rate, &viewer).ok()?;
        let zone = info.utc_offset.map(|(o, a)| (o, self.audiences.get(a)));
        let utc_offset = zone_check(query, zone, &viewer).ok()?;
        let mut best: SmallVec<[Best; 8]> = smallvec![None; query.terms.len()];
        for (t, e, p) in found {
            if viewer.can_see(self.audiences.get(p.audiences() as u32)) {
                let term = &query.terms[t];
                let expansion = &term.skills[e];
                let value = expansion.factor * fit(p.level(), term.min_level);
                best[t] = better(
                    best[t],
                    (expansion.skill, expansion.relation, p.level(), value),
                );
            }
        }
        let evidence = evidence_seen(
            info.evidence
                .iter()
                .map(|(v, a)| (*v, self.audiences.get(*a))),
            &viewer,
        );
        let extras = Extras {
            evidence,
            proximity: proximity_of(client, member, &viewer),
            rate,
            utc_offset,
        };
        // Most members scored fall short of the k-th: their hit is never built.
        let score = score_of(query, asked.weights, &best, &extras)?;
        if !top.takes(score, member) {
            return None;
        }
        finish(query, asked.weights, member, &best, extras)
    }
}

#[cfg(test)]
mod top_tests {
    use super::*;

    fn hit(member: MemberNo, score: f64) -> Hit {
        Hit {
            member,
            score,
            matched: Vec::new(),
            missing: Vec::new(),
            evidence: None,
            proximity: Proximity::Stranger,
            rate: None,
            utc_offset: None,
        }
    }

    /// `takes` says yes exactly when `offer` keeps the hit, ties (equal scores, ordered by
    /// member number) included, so skipping the hits it refuses changes no answer.
    #[test]
    fn takes_agrees_with_offer_on_every_score_and_tie() {
        let scores = [0.5, 0.25, 0.5, 0.75, 0.25, 0.5, 1.0, 0.0, 0.5, 0.25];
        let mut top = Top {
            k: 4,
            hits: Vec::new(),
        };
        for (member, score) in scores.iter().enumerate() {
            for probe in 0..scores.len() as MemberNo {
                for probe_score in [0.0, 0.25, 0.5, 0.75, 1.0] {
                    let mut copy = Top {
                        k: top.k,
                        hits: top.hits.clone(),
                    };
                    copy.offer(hit(probe, probe_score));
                    let kept = copy
                        .hits
                        .iter()
                        .any(|h| h.member == probe && h.score == probe_score)
                        && !top.hits.iter().any(|h| h.member == probe);
                    if !top.hits.iter().any(|h| h.member == probe) {
                        assert_eq!(top.takes(probe_score, probe), kept, "{probe} {probe_score}");
                    }
                }
            }
            top.offer(hit(member as MemberNo, *score));
        }
    }
}
