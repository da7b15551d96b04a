//! `guildhall bench match`: the matching engine on a generated corpus, one thread, against a
//! brute-force scan of every member and against the tantivy search library indexing the same
//! corpus, answering the same queries. Prints p50 and p99 of each, the ratios, recall against
//! brute force, build times, resident memory per member, and the time from a profile change to
//! its effect on results.
//!
//! The corpus: skills drawn by a Zipf law over the taxonomy's 13,939 ESCO skills, ranked so
//! that the skills ESCO's ICT occupations ask for most are the most claimed; hourly rates from
//! the US wage percentiles of the computer and mathematical occupations (BLS OEWS, May 2025);
//! a few audiences, time zones, communities and shown figures. Queries are 3 to 8 weighted
//! skills of one ESCO ICT occupation; every other query carries filters (an hourly budget, a
//! time-zone window, and now and then a community).

use guildhall_app::seed::{Rng, SkillRanks, Wages, Zipf};
use guildhall_domain::CommunityId;
use guildhall_domain::audience::{Audience, AudienceSet};
use guildhall_domain::matching::{
    Claim, Client, Expansion, Hit, Index, MemberDoc, Query, Rate, SkillNo, Term, Weights,
    brute_force,
};
use std::collections::{BTreeSet, HashSet};
use std::time::{Duration, Instant};

/// Skills in the shipped taxonomy's ESCO part.
const SKILLS: usize = 13_939;
/// Communities in the corpus.
const COMMUNITIES: u128 = 1_000;
/// Results per query.
const K: usize = 20;
/// Time zones members work in, minutes from UTC.
const ZONES: [i32; 9] = [-480, -300, -180, 0, 60, 120, 330, 480, 540];

/// Skills ranked for the Zipf law: the ones ICT occupations ask for most first, then the rest
/// of the taxonomy by number.
struct Universe {
    /// Per occupation, the numbers of its skills.
    occupations: Vec<Vec<SkillNo>>,
    zipf: Zipf,
}

impl Universe {
    fn new() -> anyhow::Result<Universe> {
        let ranks = SkillRanks::new()?;
        Ok(Universe {
            occupations: ranks
                .occupations
                .iter()
                .map(|(_, skills)| skills.iter().map(|&s| s as SkillNo).collect())
                .collect(),
            zipf: Zipf::new(SKILLS),
        })
    }

    /// A skill drawn by the Zipf law.
    fn skill(&self, rng: &mut Rng) -> SkillNo {
        self.zipf.draw(rng) as SkillNo
    }
}

fn community(i: u128) -> CommunityId {
    CommunityId(uuid::Uuid::from_u128(
        0x6775_696c_6400_0000_0000_0000_0000_0000 + i,
    ))
}

/// The audiences a generated item is shown to: mostly everyone, some members, a few
/// connections.
fn audiences(rng: &mut Rng, sets: &[AudienceSet; 3]) -> AudienceSet {
    match rng.below(100) {
        0..80 => sets[0].clone(),
        80..95 => sets[1].clone(),
        _ => sets[2].clone(),
    }
}

fn corpus(members: usize, rng: &mut Rng, skills: &Universe, wages: &Wages) -> Vec<MemberDoc> {
    let sets = [
        AudienceSet::of([Audience::Public]),
        AudienceSet::of([Audience::Members]),
        AudienceSet::of([Audience::Connections]),
    ];
    (0..members)
        .map(|m| {
            let mut claimed = BTreeSet::new();
            let count = 3 + rng.below(10);
            while claimed.len() < count {
                claimed.insert(skills.skill(rng));
            }
            let claims = claimed
                .into_iter()
                .map(|skill| Claim {
                    skill,
                    level: 1 + rng.below(5) as u8,
                    audiences: audiences(rng, &sets),
                })
                .collect();
            let rate = (rng.below(10) < 7).then(|| Rate {
                min_minor: wages.rate(rng),
                currency: "USD".into(),
                audiences: audiences(rng, &sets),
            });
            let evidence = if rng.below(10) < 3 {
                (0..1 + rng.below(2))
                    .map(|_| (rng.below(5) as f64 / 4.0, audiences(rng, &sets)))
                    .collect()
            } else {
                Vec::new()
            };
            let communities = (0..rng.below(3))
                .map(|_| community(rng.below(COMMUNITIES as usize) as u128))
                .collect();
            MemberDoc {
                member: m as u32,
                claims,
                rate,
                evidence,
                communities,
                suspended: rng.below(1000) == 0,
                utc_offset: (rng.below(10) < 7)
                    .then(|| (ZONES[rng.below(ZONES.len())], audiences(rng, &sets))),
            }
        })
        .collect()
}

/// A query and the client asking it.
struct Asked {
    query: Query,
    client: Client,
    filtered: bool,
}

fn queries(count: usize, members: usize, rng: &mut Rng, skills: &Universe) -> Vec<Asked> {
    (0..count)
        .map(|q| {
            let occupation = &skills.occupations[rng.below(skills.occupations.len())];
            let mut chosen = Vec::new();
            let want = (3 + rng.below(6)).min(occupation.len());
            while chosen.len() < want {
                let s = occupation[rng.below(occupation.len())];
                if !chosen.contains(&s) {
                    chosen.push(s);
                }
            }
            let terms = chosen
                .into_iter()
                .map(|skill| Term {
                    weight: 1 + rng.below(5) as u8,
                    min_level: 1 + rng.below(5) as u8,
                    skills: vec![Expansion {
                        skill,
                        factor: 1.0,
                        relation: "exact",
                    }],
                })
                .collect();
            let filtered = q % 2 == 1;
            let zone = ZONES[rng.below(ZONES.len())];
            let query = Query {
                terms,
                community: (filtered && rng.below(5) == 0)
                    .then(|| community(rng.below(COMMUNITIES as usize) as u128)),
                budget: filtered.then(|| (4_000 + rng.below(8_000) as i64, "USD".to_string())),
                tz_window: filtered.then_some((zone - 180, zone + 180)),
            };
            let connections: HashSet<u32> = (0..50).map(|_| rng.below(members) as u32).collect();
            let second_degree = (0..500)
                .map(|_| (rng.below(members) as u32, rng.below(members) as u32))
                .collect();
            let client = Client {
                member: Some(rng.below(members) as u32),
                connections,
                second_degree,
                communities: (0..2)
                    .map(|_| community(rng.below(COMMUNITIES as usize) as u128))
                    .collect(),
                ..Client::default()
            };
            Asked {
                query,
                client,
                filtered,
            }
        })
        .collect()
}

/// The p-th percentile (0 to 1) of sorted durations, in milliseconds.
pub(crate) fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn summary(name: &str, mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
    println!(
        "{name:<34} {:>7} queries  p50 {p50:>9.3} ms  p99 {p99:>9.3} ms",
        times.len()
    );
    (p50, p99)
}

/// Resident memory of this process, bytes.
pub fn resident() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn members_of(hits: &[Hit]) -> Vec<u32> {
    hits.iter().map(|h| h.member).collect()
}

/// Runs the benchmark.
pub fn run(members: usize, query_count: usize, brute_queries: usize) -> anyhow::Result<()> {
    println!(
        "machine: {} logical cores, {}; one thread",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        std::env::consts::ARCH
    );
    let mut rng = Rng::new(0x006d_6174_6368);
    let skills = Universe::new()?;
    let wages = Wages::new()?;
    let started = Instant::now();
    let docs = corpus(members, &mut rng, &skills, &wages);
    let claims: usize = docs.iter().map(|d| d.claims.len()).sum();
    println!(
        "corpus: {members} members, {claims} claims over {SKILLS} skills, generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let asked = queries(query_count, members, &mut rng, &skills);
    let weights = Weights::default();

    let before = resident();
    let started = Instant::now();
    let mut index = Index::build(&docs);
    let build = started.elapsed().as_secs_f64();
    let bytes = resident().saturating_sub(before);
    println!(
        "engine build: {build:.2} s; resident memory {:.0} MB, {:.0} bytes per member",
        bytes as f64 / 1e6,
        bytes as f64 / members as f64
    );

    let mut engine = (Vec::new(), Vec::new());
    let mut answers = Vec::with_capacity(asked.len());
    for a in &asked {
        let started = Instant::now();
        let hits = index.top_k(&a.query, &a.client, &weights, K);
        let took = started.elapsed();
        if a.filtered {
            &mut engine.1
        } else {
            &mut engine.0
        }
        .push(took);
        answers.push(hits);
    }
    let all: Vec<Duration> = engine.0.iter().chain(&engine.1).copied().collect();
    let (engine_p50, engine_p99) = summary("engine", all);
    summary("engine, skills only", engine.0);
    summary("engine, with filters", engine.1);

    // Brute force scores everyone: a sample of the queries, spread over the run.
    let step = (asked.len() / brute_queries.max(1)).max(1);
    let mut brute_times = Vec::new();
    let (mut found, mut expected) = (0usize, 0usize);
    let mut exact = 0usize;
    let mut sampled = Vec::new();
    for (i, a) in asked.iter().enumerate().step_by(step).take(brute_queries) {
        let started = Instant::now();
        let hits = brute_force(&docs, &a.query, &a.client, &weights, K);
        brute_times.push(started.elapsed());
        let got = members_of(&answers[i]);
        let want = members_of(&hits);
        expected += want.len();
        found += want.iter().filter(|m| got.contains(m)).count();
        exact += usize::from(answers[i] == hits);
        sampled.push((i, want));
    }
    let (brute_p50, brute_p99) = summary("brute force", brute_times.clone());
    println!(
        "recall against brute force: {:.4} ({found} of {expected} members, {exact} of {} answers identical)",
        if expected == 0 {
            1.0
        } else {
            found as f64 / expected as f64
        },
        sampled.len()
    );

    tantivy_baseline(&docs, &asked, &sampled, engine_p50, engine_p99)?;
    println!(
        "engine against brute force: p50 {:.0}x, p99 {:.0}x faster",
        brute_p50 / engine_p50.max(1e-9),
        brute_p99 / engine_p99.max(1e-9)
    );

    // A profile change reaches results once the member is indexed again.
    let changes = 1_000.min(members);
    let mut change_times = Vec::new();
    for c in 0..changes {
        let a = &asked[c % asked.len()];
        let mut doc = docs[rng.below(members)].clone();
        doc.suspended = false;
        for term in &a.query.terms {
            doc.claims.push(Claim {
                skill: term.skills[0].skill,
                level: 5,
                audiences: AudienceSet::of([Audience::Public]),
            });
        }
        let started = Instant::now();
        index.upsert(&doc);
        let hits = index.top_k(&a.query, &a.client, &weights, K);
        change_times.push(started.elapsed());
        std::hint::black_box(hits);
        index.upsert(&docs[doc.member as usize]);
    }
    summary("profile change to new results", change_times);
    Ok(())
}

/// Tantivy on the same corpus and queries, and the engine's speed against it.
#[cfg(feature = "tantivy-baseline")]
fn tantivy_baseline(
    docs: &[MemberDoc],
    asked: &[Asked],
    sampled: &[(usize, Vec<u32>)],
    engine_p50: f64,
    engine_p99: f64,
) -> anyhow::Result<()> {
    let tantivy = crate::bench_match_tantivy::Tantivy::build(docs)?;
    println!(
        "tantivy build: {:.2} s; resident memory {:.0} MB",
        tantivy.build_seconds,
        tantivy.resident as f64 / 1e6
    );
    let mut tantivy_times = Vec::new();
    let mut tantivy_answers = Vec::with_capacity(asked.len());
    for a in asked {
        let started = Instant::now();
        let hits = tantivy.search(&a.query, K)?;
        tantivy_times.push(started.elapsed());
        tantivy_answers.push(hits);
    }
    let (tantivy_p50, tantivy_p99) = summary("tantivy (OR of the skills, top 20)", tantivy_times);
    let (mut overlap, mut total) = (0usize, 0usize);
    for (i, want) in sampled {
        total += want.len();
        overlap += want
            .iter()
            .filter(|m| tantivy_answers[*i].contains(m))
            .count();
    }
    println!(
        "tantivy overlap with brute force: {:.3} (it ranks by BM25 over every claim, not by level, audience or evidence)",
        if total == 0 {
            1.0
        } else {
            overlap as f64 / total as f64
        }
    );
    println!(
        "engine against tantivy: p50 {:.1}x, p99 {:.1}x faster",
        tantivy_p50 / engine_p50.max(1e-9),
        tantivy_p99 / engine_p99.max(1e-9)
    );

    Ok(())
}

/// Without the `tantivy-baseline` feature, says how to build it in.
#[cfg(not(feature = "tantivy-baseline"))]
fn tantivy_baseline(
    _: &[MemberDoc],
    _: &[Asked],
    _: &[(usize, Vec<u32>)],
    _: f64,
    _: f64,
) -> anyhow::Result<()> {
    println!(
        "tantivy baseline: not built in; run `cargo run --release --features tantivy-baseline -- bench match`"
    );
    Ok(())
}
