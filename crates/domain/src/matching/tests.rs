//! The matching engine against its reference and its promises: pruned top-k equals brute force
//! on random corpora, and nothing reaches a client (a member, an explanation, a rate or a
//! figure) through an item shown to others.

use super::*;
use crate::audience::Audience;
use proptest::prelude::*;

fn claim(skill: SkillNo, level: u8, audience: Audience) -> Claim {
    Claim {
        skill,
        level,
        audiences: AudienceSet::of([audience]),
    }
}

fn doc(member: MemberNo, claims: Vec<Claim>) -> MemberDoc {
    MemberDoc {
        member,
        claims,
        rate: None,
        evidence: Vec::new(),
        communities: Vec::new(),
        suspended: false,
        utc_offset: None,
    }
}

fn exact(skill: SkillNo) -> Expansion {
    Expansion {
        skill,
        factor: 1.0,
        relation: "exact",
    }
}

fn term(weight: u8, min_level: u8, skills: Vec<Expansion>) -> Term {
    Term {
        weight,
        min_level,
        skills,
    }
}

const SQL: SkillNo = 1;
const POSTGRES: SkillNo = 2;
const FIGMA: SkillNo = 3;

#[test]
fn exact_skills_outrank_related_ones_and_missing_ones_are_named() {
    let docs = vec![
        doc(1, vec![claim(SQL, 4, Audience::Public)]),
        doc(2, vec![claim(POSTGRES, 5, Audience::Public)]),
        doc(
            3,
            vec![
                claim(SQL, 2, Audience::Public),
                claim(FIGMA, 3, Audience::Public),
            ],
        ),
        doc(4, vec![claim(FIGMA, 5, Audience::Public)]),
    ];
    let query = Query {
        terms: vec![term(
            3,
            4,
            vec![
                exact(SQL),
                Expansion {
                    skill: POSTGRES,
                    factor: 0.6,
                    relation: "narrower",
                },
            ],
        )],
        ..Query::default()
    };
    let hits = Index::build(&docs).top_k(&query, &Client::default(), &Weights::default(), 10);
    let order: Vec<MemberNo> = hits.iter().map(|h| h.member).collect();
    // SQL at 4 of 4; PostgreSQL (narrower, 0.6); SQL at 2 of 4 (half the fit); Figma: nothing.
    assert_eq!(order, [1, 2, 3]);
    assert_eq!(hits[1].matched[0].relation, "narrower");
    assert_eq!(
        (hits[2].matched[0].level, hits[2].matched[0].min_level),
        (2, 4)
    );
    assert!((hits[0].score - 0.7).abs() < 1e-12, "{}", hits[0].score);

    let two = Query {
        terms: vec![term(1, 1, vec![exact(SQL)]), term(1, 1, vec![exact(FIGMA)])],
        ..Query::default()
    };
    let hits = Index::build(&docs).top_k(&two, &Client::default(), &Weights::default(), 10);
    assert_eq!(hits[0].member, 3, "both skills");
    let one = hits.iter().find(|h| h.member == 1).unwrap();
    assert_eq!(one.missing, [1], "Figma missing");
}

#[test]
fn filters_hold_and_the_network_counts() {
    let community = CommunityId::new();
    let mut docs: Vec<MemberDoc> = (1..=6)
        .map(|m| doc(m, vec![claim(SQL, 5, Audience::Public)]))
        .collect();
    docs[1].suspended = true; // 2
    docs[3].communities = vec![community]; // 4
    docs[4].rate = Some(Rate {
        min_minor: 20_000,
        currency: "EUR".into(),
        audiences: AudienceSet::of([Audience::Public]),
    }); // 5, over budget
    let client = Client {
        member: Some(6),
        connections: HashSet::from([3]),
        blocked: HashSet::from([1]),
        communities: BTreeSet::from([community]),
        ..Client::default()
    };
    let query = Query {
        terms: vec![term(1, 3, vec![exact(SQL)])],
        budget: Some((10_000, "EUR".into())),
        ..Query::default()
    };
    let hits = Index::build(&docs).top_k(&query, &client, &Weights::default(), 10);
    let order: Vec<MemberNo> = hits.iter().map(|h| h.member).collect();
    // Blocked 1, suspended 2, over budget 5 and the client 6 never appear; the connection ranks
    // above the fellow member of a community.
    assert_eq!(order, [3, 4]);
    assert_eq!(hits[0].proximity, Proximity::Connection);
    assert_eq!(hits[1].proximity, Proximity::Community);
    let scoped = Query {
        community: Some(community),
        ..query
    };
    let hits = Index::build(&docs).top_k(&scoped, &client, &Weights::default(), 10);
    assert_eq!(hits.iter().map(|h| h.member).collect::<Vec<_>>(), [4]);
}

#[test]
fn a_time_zone_window_leaves_out_only_those_shown_outside_it() {
    let mut docs: Vec<MemberDoc> = (1..=3)
        .map(|m| doc(m, vec![claim(SQL, 5, Audience::Public)]))
        .collect();
    // Lisbon in winter, New York (shown to connections only), and New York for everyone.
    docs[0].utc_offset = Some((0, AudienceSet::of([Audience::Public])));
    docs[1].utc_offset = Some((-300, AudienceSet::of([Audience::Connections])));
    docs[2].utc_offset = Some((-300, AudienceSet::of([Audience::Public])));
    let query = Query {
        terms: vec![term(1, 1, vec![exact(SQL)])],
        tz_window: Some((-60, 180)),
        ..Query::default()
    };
    let hits = Index::build(&docs).top_k(&query, &Client::default(), &Weights::default(), 10);
    let found: Vec<(MemberNo, Option<i32>)> =
        hits.iter().map(|h| (h.member, h.utc_offset)).collect();
    // A zone the client cannot see neither excludes nor explains.
    assert_eq!(found, [(1, Some(0)), (2, None)]);
}

#[test]
fn a_skill_shown_to_connections_surfaces_to_a_connection_only() {
    let docs = vec![doc(1, vec![claim(SQL, 5, Audience::Connections)])];
    let query = Query {
        terms: vec![term(1, 1, vec![exact(SQL)])],
        ..Query::default()
    };
    let index = Index::build(&docs);
    let stranger = Client::default();
    assert!(
        index
            .top_k(&query, &stranger, &Weights::default(), 5)
            .is_empty()
    );
    let friend = Client {
        connections: HashSet::from([1]),
        ..Client::default()
    };
    assert_eq!(
        index.top_k(&query, &friend, &Weights::default(), 5).len(),
        1
    );
}

#[test]
fn an_update_replaces_and_a_removal_forgets() {
    let mut index = Index::build(&[doc(1, vec![claim(SQL, 5, Audience::Public)])]);
    let query = Query {
        terms: vec![term(1, 1, vec![exact(SQL)])],
        ..Query::default()
    };
    index.upsert(&doc(1, vec![claim(FIGMA, 5, Audience::Public)]));
    assert!(
        index
            .top_k(&query, &Client::default(), &Weights::default(), 5)
            .is_empty()
    );
    index.upsert(&doc(2, vec![claim(SQL, 1, Audience::Public)]));
    assert_eq!(index.len(), 2);
    index.remove(2);
    assert!(
        index
            .top_k(&query, &Client::default(), &Weights::default(), 5)
            .is_empty()
    );
}

// Random corpora: a few skills, members with random claims and audiences, random clients.

const SKILLS: u32 = 10;

fn pool() -> Vec<CommunityId> {
    (0..3).map(|_| CommunityId::new()).collect()
}

fn audience(pool: Vec<CommunityId>) -> impl Strategy<Value = AudienceSet> {
    proptest::collection::btree_set(
        prop_oneof![
            Just(Audience::Public),
            Just(Audience::Members),
            Just(Audience::Connections),
            Just(Audience::Clients),
            Just(Audience::Private),
            (0..pool.len()).prop_map(move |i| Audience::Community(pool[i])),
        ],
        0..3,
    )
    .prop_map(AudienceSet)
}

fn docs(pool: Vec<CommunityId>) -> impl Strategy<Value = Vec<MemberDoc>> {
    let one = (
        proptest::collection::vec((0..SKILLS, 1u8..=5, audience(pool.clone())), 0..5),
        proptest::option::of((0i64..30_000, audience(pool.clone()))),
        proptest::collection::vec((0u32..=4, audience(pool.clone())), 0..3),
        proptest::collection::vec(0..pool.len(), 0..3),
        proptest::bool::weighted(0.1),
        proptest::option::of((-12i32..=14, audience(pool.clone()))),
    );
    proptest::collection::vec(one, 0..60).prop_map(move |members| {
        members
            .into_iter()
            .enumerate()
            .map(
                |(i, (claims, rate, evidence, communities, suspended, zone))| MemberDoc {
                    member: i as MemberNo,
                    claims: claims
                        .into_iter()
                        .map(|(skill, level, audiences)| Claim {
                            skill,
                            level,
                            audiences,
                        })
                        .collect(),
                    rate: rate.map(|(min_minor, audiences)| Rate {
                        min_minor,
                        currency: "EUR".into(),
                        audiences,
                    }),
                    // Quarters, so that ties happen.
                    evidence: evidence
                        .into_iter()
                        .map(|(q, a)| (f64::from(q) / 4.0, a))
                        .collect(),
                    communities: communities.into_iter().map(|c| pool[c]).collect(),
                    suspended,
                    utc_offset: zone.map(|(hours, a)| (hours * 60, a)),
                },
            )
            .collect()
    })
}

fn query(pool: Vec<CommunityId>) -> impl Strategy<Value = Query> {
    let relations = ["exact", "narrower", "broader", "related"];
    let expansion = (0..SKILLS, 0usize..4, 1u32..=4).prop_map(move |(skill, r, f)| Expansion {
        skill,
        factor: f64::from(f) / 4.0,
        relation: relations[r],
    });
    (
        proptest::collection::vec(
            (1u8..=5, 1u8..=5, proptest::collection::vec(expansion, 1..4)),
            1..5,
        ),
        proptest::option::of(0..pool.len()),
        proptest::option::of(0i64..30_000),
        proptest::option::of((-12i32..=14, 0i32..10)),
    )
        .prop_map(move |(terms, community, budget, window)| Query {
            terms: terms
                .into_iter()
                .map(|(weight, min_level, skills)| Term {
                    weight,
                    min_level,
                    skills,
                })
                .collect(),
            community: community.map(|c| pool[c]),
            budget: budget.map(|b| (b, "EUR".to_string())),
            tz_window: window.map(|(from, width)| (from * 60, (from + width) * 60)),
        })
}

fn client(pool: Vec<CommunityId>) -> impl Strategy<Value = Client> {
    let some = || proptest::collection::hash_set(0u32..60, 0..15);
    (
        proptest::option::of(0u32..60),
        some(),
        proptest::collection::hash_map(0u32..60, 0u32..60, 0..10),
        some(),
        some(),
        proptest::collection::btree_set(0..pool.len(), 0..3),
    )
        .prop_map(
            move |(member, connections, second_degree, worked_with, blocked, communities)| Client {
                member,
                connections,
                second_degree,
                worked_with,
                blocked,
                communities: communities.into_iter().map(|c| pool[c]).collect(),
                // Ranking by everything is for telling members of their own fit only; the
                // audience property is about clients.
                sees_all: false,
            },
        )
}

/// Members, a query, its client, k, the weights, and the seeds per term the index takes.
fn corpus() -> impl Strategy<Value = (Vec<MemberDoc>, Query, Client, usize, Weights, usize)> {
    let pool = pool();
    // Without boosts the bounds are tight, and pruning does the most.
    let weights = prop_oneof![
        Just(Weights::default()),
        Just(Weights {
            skills: 1.0,
            evidence: 0.0,
            network: 0.0
        }),
        Just(Weights {
            skills: 0.5,
            evidence: 0.0,
            network: 0.5
        }),
    ];
    (
        docs(pool.clone()),
        query(pool.clone()),
        client(pool),
        1usize..12,
        weights,
        0usize..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// The pruned top k, seeded or not, is brute force's, member for member, score for score,
    /// reason for reason.
    #[test]
    fn pruned_top_k_equals_brute_force((docs, query, client, k, weights, seeds) in corpus()) {
        let expected = brute_force(&docs, &query, &client, &weights, k);
        let index = Index::build(&docs).with_seeds(seeds);
        prop_assert_eq!(index.top_k(&query, &client, &weights, k), expected);
    }

    /// Every member found, and every part of every explanation, rests on something the client
    /// may see; and every member with a visible claim that meets a term is considered.
    #[test]
    fn nothing_reaches_a_client_through_a_hidden_item((docs, query, client, _k, weights, seeds) in corpus()) {
        let index = Index::build(&docs).with_seeds(seeds);
        let hits = index.top_k(&query, &client, &weights, docs.len().max(1));
        for hit in &hits {
            let doc = docs.iter().find(|d| d.member == hit.member).unwrap();
            let viewer = viewer_of(&client, doc.member, &doc.communities);
            for m in &hit.matched {
                prop_assert!(
                    doc.claims.iter().any(|c| c.skill == m.skill
                        && c.level == m.level
                        && viewer.can_see(&c.audiences)),
                    "{:?} explained by a hidden claim", m
                );
            }
            if let Some(rate) = hit.rate {
                let shown = doc.rate.as_ref().unwrap();
                prop_assert!(viewer.can_see(&shown.audiences) && shown.min_minor == rate);
            }
            if let Some(offset) = hit.utc_offset {
                let shown = doc.utc_offset.as_ref().unwrap();
                prop_assert!(viewer.can_see(&shown.1) && shown.0 == offset);
            }
            // The evidence counted is exactly the mean of the figures the client may see.
            let seen: Vec<f64> = doc
                .evidence
                .iter()
                .filter(|(_, a)| viewer.can_see(a))
                .map(|(v, _)| *v)
                .collect();
            let mean = (!seen.is_empty()).then(|| seen.iter().sum::<f64>() / seen.len() as f64);
            prop_assert_eq!(hit.evidence, mean);
        }
        for doc in &docs {
            let viewer = viewer_of(&client, doc.member, &doc.communities);
            let meets = doc.claims.iter().any(|c| {
                viewer.can_see(&c.audiences)
                    && query.terms.iter().any(|t| t.skills.iter().any(|e| e.skill == c.skill))
            });
            let found = hits.iter().any(|h| h.member == doc.member);
            if !meets {
                prop_assert!(!found, "member {} found through hidden claims", doc.member);
            }
        }
    }
}

#[test]
fn holders_are_those_who_show_the_client_the_skill_at_the_level() {
    let mut suspended = doc(6, vec![claim(SQL, 5, Audience::Public)]);
    suspended.suspended = true;
    let docs = vec![
        doc(1, vec![claim(SQL, 4, Audience::Public)]),
        doc(2, vec![claim(SQL, 2, Audience::Public)]),
        doc(3, vec![claim(SQL, 5, Audience::Private)]),
        doc(4, vec![claim(SQL, 3, Audience::Connections)]),
        doc(5, vec![claim(SQL, 3, Audience::Members)]),
        suspended,
        doc(7, vec![claim(SQL, 5, Audience::Public)]),
    ];
    let index = Index::build(&docs);
    let client = Client {
        member: Some(7),
        ..Client::default()
    };
    assert_eq!(index.holders(SQL, 3, &client, 10), [1, 5]);
    let friend = Client {
        connections: [4].into(),
        ..client.clone()
    };
    assert_eq!(index.holders(SQL, 3, &friend, 10), [1, 4, 5]);
    assert_eq!(index.holders(SQL, 3, &friend, 2), [1, 4]);
    assert!(index.holders(FIGMA, 1, &friend, 10).is_empty());
}
