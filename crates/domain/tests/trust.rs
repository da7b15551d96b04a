//! Trust over the vouching graph: a ring of accounts that endorse each other gains little
//! against a member with three real completed contracts, and trust flows only from the seeds.

use guildhall_domain::trust::{Edge, Graph, Params, trust};

fn edge(from: u32, to: u32, weight: f32) -> Edge {
    Edge { from, to, weight }
}

/// 0: a curator (the seed); 1–3: clients the curator admitted; 4: the member who completed a
/// contract for each; 5–24: twenty accounts endorsing each other; 25: an honest client who
/// also hired one ring account once, when `bridge` is set.
fn scenario(bridge: bool) -> (Vec<f32>, usize) {
    let mut edges = vec![];
    for client in 1..=3 {
        edges.push(edge(0, client, 1.0));
        edges.push(edge(client, 4, 5.0));
    }
    for a in 5..25 {
        for b in 5..25 {
            edges.push(edge(a, b, 10.0));
        }
    }
    if bridge {
        edges.push(edge(0, 25, 1.0));
        edges.push(edge(25, 5, 1.0));
    }
    let graph = Graph::new(26, &edges);
    trust(&graph, &[0], &Params::default())
}

#[test]
fn a_ring_vouching_for_itself_stays_below_a_member_with_real_work() {
    for bridge in [false, true] {
        let (t, rounds) = scenario(bridge);
        let member = t[4];
        let ring_best = t[5..25].iter().cloned().fold(0f32, f32::max);
        let ring_total: f32 = t[5..25].iter().sum();
        println!(
            "bridge {bridge}: member {member:.4}, best ring account {ring_best:.4}, \
             whole ring {ring_total:.4} ({rounds} rounds)"
        );
        assert!(ring_best < member, "bridge {bridge}: {t:?}");
        if !bridge {
            assert!(
                ring_total < 1e-6,
                "no path from a seed, no trust: {ring_total}"
            );
        }
        let sum: f32 = t.iter().sum();
        assert!((sum - 1.0).abs() < 1e-4, "a distribution: {sum}");
    }
}

#[test]
fn without_seeds_trust_starts_uniform_and_bad_edges_are_dropped() {
    let graph = Graph::new(
        3,
        &[
            edge(0, 0, 1.0),
            edge(0, 1, -2.0),
            edge(0, 9, 1.0),
            edge(1, 2, 1.0),
        ],
    );
    assert_eq!(graph.edges(), 1);
    let (t, _) = trust(&graph, &[], &Params::default());
    assert!(t[2] > t[1] && t[1] > 0.0, "{t:?}");
    assert_eq!(
        trust(&Graph::new(0, &[]), &[0], &Params::default()).0.len(),
        0
    );
}
