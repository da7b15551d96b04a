//! Trust over the vouching graph: a ring of accounts that endorse each other gains little
//! against a member with three real completed contracts, and trust flows only from the seeds.

use guildhall_domain::trust::{Edge, Graph, Params, carried, trust, update};

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

/// A small fixed-seed graph with seeds 0..5.
fn random_edges(nodes: u32, count: usize, mut state: u64) -> Vec<Edge> {
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|_| {
            edge(
                (next() % u64::from(nodes)) as u32,
                (next() % u64::from(nodes)) as u32,
                1.0 + (next() % 4) as f32,
            )
        })
        .collect()
}

#[test]
fn an_update_lands_where_a_full_recompute_does() {
    for floor in [0.0, 6.0] {
        let seeds: Vec<u32> = (0..5).collect();
        let params = Params::default();
        let before = random_edges(500, 3000, 7);
        let added = random_edges(500, 40, 99);
        let mut graph = Graph::with_floor(500, &before, floor);
        let (mut scores, _) = trust(&graph, &seeds, &params);
        let report = update(&mut graph, &mut scores, &seeds, &params, &added);
        assert!(report.changed > 0 && report.pushes > 0, "{report:?}");

        let all: Vec<Edge> = before.iter().chain(&added).copied().collect();
        let (fresh, _) = trust(&Graph::with_floor(500, &all, floor), &seeds, &params);
        let l1: f32 = scores.iter().zip(&fresh).map(|(a, b)| (a - b).abs()).sum();
        let moved: f32 = {
            let (old, _) = trust(&Graph::with_floor(500, &before, floor), &seeds, &params);
            old.iter().zip(&fresh).map(|(a, b)| (a - b).abs()).sum()
        };
        println!(
            "floor {floor}: update {report:?}; L1 from a full recompute {l1:.2e}, the new edges moved trust by {moved:.2e}"
        );
        assert!(moved > 1e-3, "the new edges matter: {moved}");
        assert!(
            l1 < moved / 20.0,
            "the update follows them: {l1} against {moved}"
        );
        // The graph compacts to the same rows.
        let mut compacted = graph.clone();
        compacted.compact();
        assert_eq!(compacted.edges(), graph.edges());
        let (a, b) = (
            trust(&compacted, &seeds, &params).0,
            trust(&graph, &seeds, &params).0,
        );
        let apart = a
            .iter()
            .zip(&b)
            .map(|(x, y)| (x - y).abs())
            .fold(0f32, f32::max);
        assert!(
            apart < 1e-6,
            "compacting changes only the order of sums: {apart}"
        );
    }
}

#[test]
fn a_member_whose_evidence_is_light_passes_on_only_part_of_their_trust() {
    // 0 seeds 1 and 2 equally; 1 endorses 3 (weight 0.5), 2 pays 4 for work (weight 4).
    let edges = [
        edge(0, 1, 1.0),
        edge(0, 2, 1.0),
        edge(1, 3, 0.5),
        edge(2, 4, 4.0),
    ];
    let plain = trust(&Graph::new(5, &edges), &[0], &Params::default()).0;
    let floored = trust(&Graph::with_floor(5, &edges, 2.0), &[0], &Params::default()).0;
    println!("plain {plain:?}\nwith a floor of 2 {floored:?}");
    assert!(
        (plain[3] - plain[4]).abs() < 1e-4,
        "plain EigenTrust ignores weight"
    );
    assert!(floored[3] < plain[4] / 3.0 && floored[4] > floored[3] * 3.0);
    let g = Graph::with_floor(5, &edges, 2.0);
    let carried = carried(&g, &floored, &Params::default(), &[edge(2, 4, 4.0)]);
    assert!(
        (carried[0] - floored[4]).abs() < 1e-4,
        "all of 4's trust came along that edge"
    );
}
