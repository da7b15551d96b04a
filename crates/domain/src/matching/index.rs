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
/// Seeds ([`Index::seeds`]) are taken for this many of a query's weightiest terms, and this
/// many for each: enough to lift the k-th score early, few enough to cost little (measured
/// with `guildhall bench match`).
const SEED_TERMS: usize = 2;
const SEEDS_PER_TERM: usize = 40;
/// Evidence tiers: tier t holds members whose largest figure is at most t / (TIERS − 1).
const TIERS: usize = 9;
/// A posting's level sits in the top bits of its packed word, the audiences below.
const LEVEL_SHIFT: u32 = 29;
const AUDIENCES: u32 = (1 << LEVEL_SHIFT) - 1;
/// Skills a member's record holds in itself; more go to the heap.
const INLINE_SKILLS: usize = 12;
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
    /// Skills claimed, with [`SHOWN`] set for claims every member may see. Kept in the record
    /// for most members, not behind a pointer: a member scored apart from the walk is bounded
    /// by their skills, and a second read from elsewhere in memory would double its cost.
    skills: SmallVec<[u32; INLINE_SKILLS]>,
}

/// The tier of a member whose largest figure is `most`.
fn tier_of(most: f64) -> usize {
    (most.clamp(0.0, 1.0) * (TIERS - 1) as f64).ceil() as usize
}

/// The largest figure a member of `tier` may have.
fn tier_bound(tier: usize) -> f64 {
    tier as f64 / (TIERS - 1) as f64
}

/// Places a seek looks at one by one before it gallops.
const NEAR: usize = 8;

/// The first position at or after `from` whose value is not below `member`. What is sought is
/// usually within a few places, so those are counted first, without a branch per place; past
/// them, galloping from `from`, then a binary search in the last step.
fn gallop(values: &[MemberNo], from: usize, member: MemberNo) -> usize {
    if let Some(near) = values.get(from..from + NEAR) {
        let below = near.iter().filter(|m| **m < member).count();
        if below < NEAR {
            return from + below;
        }
    } else if values.get(from).is_none_or(|m| *m >= member) {
        return from;
    }
    // values[from] is below `member`: find a bound that is not, doubling the step.
    let mut low = from + 1;
    let mut step = 1;
    let mut high = from + step;
    while high < values.len() && values[high] < member {
        low = high + 1;
        step *= 2;
        high = from + step;
    }
    let high = high.min(values.len());
    low + values[low..high].partition_point(|m| *m < member)
}

/// One skill's postings in one tier, sorted by member. Members and the rest are kept apart:
/// a walk skipping through a list reads only the members, twice as many to a cache line.
#[derive(Clone, Debug, Default)]
struct List {
    members: Vec<MemberNo>,
    packed: Vec<u32>,
}

impl List {
    fn len(&self) -> usize {
        self.members.len()
    }

    fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    fn get(&self, at: usize) -> Posting {
        Posting {
            member: self.members[at],
            packed: self.packed[at],
        }
    }

    fn iter(&self) -> impl Iterator<Item = Posting> + '_ {
        (0..self.len()).map(|at| self.get(at))
    }

    /// The postings of the member at `at`, from there on.
    fn run_from(&self, at: usize) -> impl Iterator<Item = Posting> + '_ {
        let member = self.members[at];
        (at..self.len())
            .take_while(move |&i| self.members[i] == member)
            .map(|i| self.get(i))
    }

    /// Where the postings of `member` sit.
    fn postings_of(&self, member: MemberNo) -> std::ops::Range<usize> {
        let at = self.members.partition_point(|m| *m < member);
        at..at + self.members[at..].partition_point(|m| *m == member)
    }

    /// The first position at or after `from` whose member is not below `member`.
    fn seek(&self, from: usize, member: MemberNo) -> usize {
        gallop(&self.members, from, member)
    }

    /// Adds a posting after any of the same member's: one member's postings stay together.
    fn insert(&mut self, posting: Posting) {
        let at = self.members.partition_point(|m| *m <= posting.member);
        self.members.insert(at, posting.member);
        self.packed.insert(at, posting.packed);
    }

    /// Removes a member's postings.
    fn remove(&mut self, member: MemberNo) {
        let range = self.postings_of(member);
        self.members.drain(range.clone());
        self.packed.drain(range);
    }
}

/// A cursor's place in the walk's order: the member it stands on in the high bits, its number
/// in the low 16, so that sorting the keys sorts the cursors and moving one moves eight bytes.
fn order_key(member: MemberNo, cursor: usize) -> u64 {
    (u64::from(member) << 16) | cursor as u64
}

/// The member of an [`order_key`].
fn member_of(key: u64) -> MemberNo {
    (key >> 16) as MemberNo
}

/// The cursor of an [`order_key`].
fn cursor_of(key: u64) -> usize {
    (key & 0xffff) as usize
}

/// Puts `order` back in order after its first `moved` keys moved forward: each slides past
/// the ones it overtook, the rest being still in order.
fn reorder(order: &mut [u64], moved: usize) {
    for i in (0..moved).rev() {
        let mut j = i;
        while j + 1 < order.len() && order[j + 1] < order[j] {
            order.swap(j, j + 1);
            j += 1;
        }
    }
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
    lists: HashMap<SkillNo, Box<[List; TIERS]>>,
    /// By member number; `None` for numbers not (or no longer) indexed.
    members: Vec<Option<Member>>,
    /// Per interned community, its members in order: a query scoped to a community scores
    /// them and no one else.
    community_members: HashMap<u32, Vec<MemberNo>>,
    /// How many are indexed.
    count: usize,
    /// Seeds taken for each of the weightiest terms; `None` for [`SEEDS_PER_TERM`]. Tests take
    /// fewer, so that their small corpora are walked and not all seeded.
    seeds_per_term: Option<usize>,
}

/// A place in one list of a query: the list of one expansion of one term, in one tier.
struct Cursor<'a> {
    list: &'a List,
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
        self.member = self.list.members.get(at).copied().unwrap_or(MemberNo::MAX);
    }

    /// Moves past the postings of the member it stands on: one or a few, so a step at a time.
    fn step_past(&mut self) {
        let mut at = self.at + 1;
        while self.list.members.get(at) == Some(&self.member) {
            at += 1;
        }
        self.go(at);
    }
}

/// The k best hits so far, best first.
struct Top {
    k: usize,
    hits: Vec<Hit>,
    /// The k-th score less [`EPSILON`] once there are k, −∞ before: kept at hand, as the walk
    /// compares a bound with it at every step.
    bar: f64,
}

impl Top {
    fn new(k: usize) -> Top {
        Top {
            k,
            hits: Vec::with_capacity(k + 1),
            bar: f64::NEG_INFINITY,
        }
    }

    fn offer(&mut self, hit: Hit) {
        let at = self.hits.partition_point(|h| rank(h, &hit).is_lt());
        if at < self.k {
            self.hits.insert(at, hit);
            self.hits.truncate(self.k);
            if self.hits.len() == self.k {
                self.bar = self.hits[self.k - 1].score - EPSILON;
            }
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

    /// Whether a member bounded by `bound` could still enter.
    fn admits(&self, bound: f64) -> bool {
        bound >= self.bar
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
    /// The members of the client's communities, each community's in order.
    community_members: SmallVec<[&'a [MemberNo]; 4]>,
    /// What sharing one of them adds; nothing when the client has none.
    shared_community: f64,
    /// Connections and second-degree contacts, in order: skipped in the tiers, scored last.
    near: Vec<MemberNo>,
    /// Members scored before the walk (none of them near): [`Index::seeds`].
    seeds: Vec<MemberNo>,
    /// The near and the seeds, in order: scored apart, skipped in the walk.
    apart: Vec<MemberNo>,
    /// Per skill, the terms and expansions it counts for.
    counts_for: Vec<(SkillNo, usize, usize)>,
    /// Bit `s % 128` set for every skill `s` in `counts_for`: most skills are turned away by it.
    skill_bits: u128,
}

impl Asked<'_> {
    /// Whether `member` shares one of the client's communities, read from the communities'
    /// lists rather than from the member's record, elsewhere in memory.
    fn shares_community(&self, member: MemberNo) -> bool {
        self.community_members
            .iter()
            .any(|members| members.binary_search(&member).is_ok())
    }

    /// The terms and expansions `skill` counts for.
    fn counts_of(&self, skill: SkillNo) -> &[(SkillNo, usize, usize)] {
        if self.skill_bits & (1 << (skill % 128)) == 0 {
            return &[];
        }
        let from = self.counts_for.partition_point(|(s, _, _)| *s < skill);
        let to = from + self.counts_for[from..].partition_point(|(s, _, _)| *s == skill);
        &self.counts_for[from..to]
    }

    /// The most a member could score, from the skills they claim that count for the query
    /// (whoever may see them), their evidence and the closeness of a connection; `NEG_INFINITY`
    /// when none of their skills counts.
    fn bound_of(&self, info: &Member) -> f64 {
        let mut best: SmallVec<[f64; 8]> = smallvec![0.0; self.query.terms.len()];
        let mut counts_any = false;
        for skill in info.skills.iter().map(|s| s & !SHOWN) {
            for &(_, t, e) in self.counts_of(skill) {
                counts_any = true;
                best[t] = best[t].max(self.shares[t] * self.query.terms[t].skills[e].factor);
            }
        }
        if !counts_any {
            return f64::NEG_INFINITY;
        }
        best.iter().sum::<f64>()
            + self.weights.evidence * info.most_evidence
            + self.weights.network * Proximity::Connection.value()
    }
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

    /// The same index, taking `n` seeds for each of a query's weightiest terms.
    #[cfg(test)]
    pub(crate) fn with_seeds(self, n: usize) -> Self {
        Index {
            seeds_per_term: Some(n),
            ..self
        }
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
        let mut skills = SmallVec::with_capacity(doc.claims.len());
        for claim in &doc.claims {
            let audiences = self.audiences.number(&claim.audiences);
            let list = &mut self.lists.entry(claim.skill).or_default()[tier];
            list.insert(Posting::new(doc.member, claim.level, audiences));
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
            skills,
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
                tiers[usize::from(old.tier)].remove(member);
            }
        }
    }

    /// A skill's postings in every tier.
    fn postings(&self, skill: SkillNo) -> impl Iterator<Item = Posting> {
        self.lists
            .get(&skill)
            .into_iter()
            .flat_map(|t| t.iter().flat_map(List::iter))
    }

    /// How many claims of a skill it holds.
    fn claims_of(&self, skill: SkillNo) -> usize {
        self.lists
            .get(&skill)
            .map_or(0, |tiers| tiers.iter().map(List::len).sum())
    }

    /// Members who show `client` a claim of `skill` at `min_level` or above: the first `keep`
    /// found walking the skill's postings (the most evidenced first), in member order. The
    /// walk stops there, so a skill thousands claim costs no more than a rare one. Suspended
    /// members, the client and those blocked either way are left out.
    pub fn holders(
        &self,
        skill: SkillNo,
        min_level: u8,
        client: &Client,
        keep: usize,
    ) -> Vec<MemberNo> {
        let mut found: Vec<MemberNo> = self
            .postings(skill)
            .filter(|p| p.level() >= min_level)
            .filter_map(|p| {
                let info = self.members.get(p.member as usize)?.as_ref()?;
                let communities: SmallVec<[CommunityId; 4]> = info
                    .communities
                    .iter()
                    .map(|c| *self.communities.get(*c))
                    .collect();
                let anyone = Query::default();
                let shown = admitted(client, &anyone, p.member, info.suspended, &communities)
                    && viewer_of(client, p.member, &communities)
                        .can_see(self.audiences.get(p.audiences() as u32));
                shown.then_some(p.member)
            })
            .take(keep)
            .collect();
        found.sort_unstable();
        found
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
        let mut top = Top::new(k);
        self.search(&asked, &mut top);
        top.hits
    }

    /// Offers `top` every member who could enter it.
    fn search(&self, asked: &Asked, top: &mut Top) {
        let weights = asked.weights;
        if let Some(community) = asked.query.community {
            // Only its members can appear: score them all, and no one else.
            let number = self.communities.numbers.get(&community);
            let members = number.and_then(|n| self.community_members.get(n));
            self.score_each(asked, members.map_or(&[], Vec::as_slice), top);
            return;
        }
        // A few likely members first, so the k-th score is already high when the walk starts.
        self.score_each(asked, &asked.seeds, top);
        for tier in (0..TIERS).rev() {
            let boost = weights.evidence * tier_bound(tier) + asked.shared_community;
            if top.admits(asked.all_terms + boost) {
                self.walk_tier(asked, tier, boost, top);
            }
        }
        // Closeness lifts these above what the tiers allow for: they were skipped there and
        // are scored last, when the k-th score is high enough to pass over most of them.
        self.score_each(asked, &asked.near, top);
    }

    /// Members likely to score well, to be scored before the walk: the first in the highest
    /// tiers who claim one of the query's weightiest terms at the level it asks, none of them
    /// near the client. Found by reading the start of a few lists, never more than a few
    /// hundred postings of each.
    fn seeds(&self, query: &Query, shares: &[f64], near: &[MemberNo]) -> Vec<MemberNo> {
        let mut by_share: SmallVec<[usize; 8]> = (0..shares.len()).collect();
        by_share.sort_by(|a, b| shares[*b].total_cmp(&shares[*a]));
        let mut seeds = Vec::new();
        for &t in by_share.iter().take(SEED_TERMS) {
            let term = &query.terms[t];
            let per_term = self.seeds_per_term.unwrap_or(SEEDS_PER_TERM);
            let wanted = seeds.len() + per_term;
            let mut looked = 0;
            'tiers: for tier in (0..TIERS).rev() {
                for x in &term.skills {
                    let Some(tiers) = self.lists.get(&x.skill) else {
                        continue;
                    };
                    for p in tiers[tier].iter() {
                        if seeds.len() >= wanted || looked >= 10 * per_term {
                            break 'tiers;
                        }
                        looked += 1;
                        if p.level() >= term.min_level && near.binary_search(&p.member).is_err() {
                            seeds.push(p.member);
                        }
                    }
                }
            }
        }
        seeds.sort_unstable();
        seeds.dedup();
        seeds
    }

    /// What a query needs at hand.
    fn asked<'a>(
        &'a self,
        query: &'a Query,
        client: &'a Client,
        weights: &'a Weights,
    ) -> Asked<'a> {
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
        let skill_bits = counts_for
            .iter()
            .fold(0u128, |bits, (s, _, _)| bits | 1 << (s % 128));
        let mut near: Vec<MemberNo> = client
            .connections
            .iter()
            .chain(client.second_degree.keys())
            .copied()
            .collect();
        near.sort_unstable();
        near.dedup();
        let seeds = self.seeds(query, &shares, &near);
        let mut apart: Vec<MemberNo> = near.iter().chain(&seeds).copied().collect();
        apart.sort_unstable();
        let community_members: SmallVec<[&[MemberNo]; 4]> = client
            .communities
            .iter()
            .filter_map(|c| self.communities.numbers.get(c))
            .filter_map(|c| self.community_members.get(c).map(Vec::as_slice))
            .collect();
        let shared_community = if community_members.is_empty() {
            0.0
        } else {
            weights.network * Proximity::Community.value()
        };
        Asked {
            query,
            client,
            weights,
            shares,
            all_terms,
            community_members,
            shared_community,
            seeds,
            apart,
            near,
            counts_for,
            skill_bits,
        }
    }

    /// WAND over one tier's lists: the cursors, sorted by the member they stand on, are
    /// summed bound by bound until they could reach the k-th score; the member there (the
    /// pivot) is the first who could enter, and every cursor before it skips straight to it.
    /// A member found in too few lists to enter is never looked at.
    fn walk_tier(&self, asked: &Asked, tier: usize, boost: f64, top: &mut Top) {
        let mut cursors: SmallVec<[Cursor; 16]> = SmallVec::new();
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
                    member: tiers[tier].members[0],
                    term: t,
                    expansion: e,
                    bound: asked.shares[t] * x.factor,
                });
            }
        }
        // The cursors stay in place; `order` ranks them by the member they stand on.
        debug_assert!(
            cursors.len() <= 1 << 16,
            "more cursors than an order key can number"
        );
        let mut order: SmallVec<[u64; 16]> = cursors
            .iter()
            .enumerate()
            .map(|(i, c)| order_key(c.member, i))
            .collect();
        order.sort_unstable();
        loop {
            // The pivot: the first cursor where the bounds so far could reach the k-th score.
            let mut sum = boost;
            let mut pivot = None;
            for (i, key) in order.iter().enumerate() {
                if member_of(*key) == MemberNo::MAX {
                    break;
                }
                sum += cursors[cursor_of(*key)].bound;
                if top.admits(sum) {
                    pivot = Some(i);
                    break;
                }
            }
            let Some(pivot) = pivot else { break };
            let member = member_of(order[pivot]);
            let moved = if member_of(order[0]) != member {
                // Nobody before the pivot's member can enter: skip them.
                for key in &mut order[..pivot] {
                    let c = &mut cursors[cursor_of(*key)];
                    c.go(c.list.seek(c.at, member));
                    *key = order_key(c.member, cursor_of(*key));
                }
                pivot
            } else {
                let on = order
                    .iter()
                    .take_while(|k| member_of(**k) == member)
                    .count();
                self.consider(asked, member, (&cursors, &order[..on]), boost, top);
                for key in &mut order[..on] {
                    let c = &mut cursors[cursor_of(*key)];
                    c.step_past();
                    *key = order_key(c.member, cursor_of(*key));
                }
                on
            };
            reorder(&mut order, moved);
        }
    }

    /// Scores `member`, on whom the cursors numbered `on` stand, if their own bound could
    /// still enter; `boost` bounds what evidence and closeness add in this tier.
    fn consider(
        &self,
        asked: &Asked,
        member: MemberNo,
        (cursors, on): (&[Cursor], &[u64]),
        boost: f64,
        top: &mut Top,
    ) {
        let on = || on.iter().map(|k| &cursors[cursor_of(*k)]);
        if asked.apart.binary_search(&member).is_ok() {
            return;
        }
        // Each term counts its best list once.
        let mut best: SmallVec<[f64; 8]> = smallvec![0.0; asked.query.terms.len()];
        let terms = &asked.query.terms;
        for c in on() {
            let level = c.list.run_from(c.at).map(Posting::level).max().unwrap_or(0);
            let worth = c.bound * fit(level, terms[c.term].min_level);
            best[c.term] = best[c.term].max(worth);
        }
        let skills = best.iter().sum::<f64>();
        // The tier's bound first, which needs no look at the member's own record.
        if !top.admits(boost + skills) {
            return;
        }
        // Then with closeness as it is rather than the shared community the tier allows every
        // member, which few share: the communities' lists tell, still without the record.
        let closeness = if asked.shares_community(member) {
            asked.shared_community
        } else {
            0.0
        };
        if !top.admits(boost - asked.shared_community + closeness + skills) {
            return;
        }
        let info = self.members[member as usize]
            .as_ref()
            .expect("a member in a list is indexed");
        // And with the member's own evidence.
        if !top.admits(asked.weights.evidence * info.most_evidence + closeness + skills) {
            return;
        }

        let found = on().flat_map(|c| c.list.run_from(c.at).map(move |p| (c.term, c.expansion, p)));
        if let Some(hit) = self.score(asked, member, info, found, top) {
            top.offer(hit);
        }
    }

    /// Scores members found apart from the lists' walk.
    fn score_each(&self, asked: &Asked, members: &[MemberNo], top: &mut Top) {
        // Their records first, in a loop of nothing else, so that the reads overlap: most
        // are far apart in memory, and most of these members are passed over unscored.
        let infos: Vec<(MemberNo, &Member)> = members
            .iter()
            .filter_map(|&m| Some((m, self.members.get(m as usize)?.as_ref()?)))
            .collect();
        // Then what their skills could bring, again in a loop of its own.
        let mut bounded: Vec<(MemberNo, &Member, f64)> = infos
            .into_iter()
            .map(|(m, info)| (m, info, asked.bound_of(info)))
            .filter(|(_, _, bound)| top.admits(*bound))
            .collect();
        // The likeliest first, so the k-th score rises early and passes over more of the rest.
        bounded.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        for (member, info, bound) in bounded {
            if !top.admits(bound) {
                break;
            }
            if let Some(hit) = self.score_directly(asked, member, info, top) {
                top.offer(hit);
            }
        }
    }

    /// Scores one member found apart from the lists' walk: their postings of each skill that
    /// counts for the query, looked up one by one.
    fn score_directly(
        &self,
        asked: &Asked,
        member: MemberNo,
        info: &Member,
        top: &Top,
    ) -> Option<Hit> {
        let tier = usize::from(info.tier);
        let mut found: SmallVec<[(usize, usize, Posting); 16]> = SmallVec::new();
        for skill in info.skills.iter().map(|s| s & !SHOWN) {
            let counts = asked.counts_of(skill);
            if counts.is_empty() {
                continue;
            }
            let list = &self.lists[&skill][tier];
            for at in list.postings_of(member) {
                let p = list.get(at);
                found.extend(counts.iter().map(|(_, t, e)| (*t, *e, p)));
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
    use proptest::prelude::*;

    proptest! {
        /// A seek lands where a binary search of the rest would, near or far, with repeated
        /// members, and at the end when nothing is left to pass.
        #[test]
        fn a_seek_finds_the_first_member_not_below_the_one_sought(
            mut values in proptest::collection::vec(0u32..400, 0..300),
            from in 0usize..300,
            member in 0u32..420,
        ) {
            values.sort_unstable();
            let from = from.min(values.len());
            let want = from + values[from..].partition_point(|m| *m < member);
            prop_assert_eq!(gallop(&values, from, member), want);
        }
    }

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
        let mut top = Top::new(4);
        for (member, score) in scores.iter().enumerate() {
            for probe in 0..scores.len() as MemberNo {
                for probe_score in [0.0, 0.25, 0.5, 0.75, 1.0] {
                    let mut copy = Top {
                        k: top.k,
                        hits: top.hits.clone(),
                        bar: top.bar,
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
