//! `guildhall bench trust`: trust propagation over a generated vouching graph on one thread.
//! Prints the time to build the graph, a baseline pass that only reads every edge once, the
//! full recompute (rounds, seconds, edges per second), and an update after new evidence
//! started from the previous scores. Can write the graph as a plain edge list so other graph
//! libraries can be run on the same input.

use guildhall_domain::trust::{Edge, Graph, Params, trust, update};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use guildhall_app::seed::Rng;

/// A member, skewed towards low ids as real vouching is towards established members.
fn skewed_member(rng: &mut Rng, n: usize) -> u32 {
    let u = rng.unit();
    ((u * u) * n as f64) as u32
}

fn edges(rng: &mut Rng, members: usize, count: usize) -> Vec<Edge> {
    (0..count)
        .map(|_| Edge {
            from: (rng.next_u64() % members as u64) as u32,
            to: skewed_member(rng, members),
            weight: 1.0 + (rng.next_u64() % 5) as f32,
        })
        .collect()
}

/// Runs the benchmark.
pub fn run(
    members: usize,
    edge_count: usize,
    events: usize,
    edges_out: Option<PathBuf>,
) -> anyhow::Result<()> {
    println!(
        "machine: {} logical cores, {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        std::env::consts::ARCH
    );
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    let mut all = edges(&mut rng, members, edge_count);
    if let Some(path) = &edges_out {
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        writeln!(
            out,
            "# from to weight ({members} members, {edge_count} edges)"
        )?;
        for e in &all {
            writeln!(out, "{} {} {}", e.from, e.to, e.weight)?;
        }
        out.flush()?;
        println!("edge list written to {}", path.display());
    }
    let seeds: Vec<u32> = (0..100.min(members as u32)).collect();
    let params = Params::default();

    let started = Instant::now();
    let graph = Graph::new(members, &all);
    let build = started.elapsed().as_secs_f64();
    println!(
        "graph: {members} members, {} edges, built in {build:.2} s",
        graph.edges()
    );

    let started = Instant::now();
    let read = graph.read_every_edge();
    let baseline = started.elapsed().as_secs_f64();
    println!(
        "baseline, one pass reading every edge: {baseline:.3} s ({:.0} edges per s; checksum {read:.1})",
        graph.edges() as f64 / baseline
    );

    let started = Instant::now();
    let (scores, rounds) = trust(&graph, &seeds, &params);
    let full = started.elapsed().as_secs_f64();
    println!(
        "full recompute: {full:.2} s, {rounds} rounds, {:.0} edges per s ({:.1} baseline passes)",
        (graph.edges() * rounds) as f64 / full,
        full / baseline
    );

    let new = edges(&mut rng, members, events);
    let mut graph = graph;
    let before = scores.clone();
    let mut updated = scores;
    let started = Instant::now();
    let report = update(&mut graph, &mut updated, &seeds, &params, &new);
    let took = started.elapsed().as_secs_f64();
    println!(
        "update after {events} new edges: {:.1} ms ({} members changed, {} pushes, {} edges read, {:.2e} pending change left)",
        took * 1000.0,
        report.changed,
        report.pushes,
        report.edges_read,
        report.left
    );

    // The same graph from scratch: how far the update is from a full recompute.
    all.extend(new);
    let started = Instant::now();
    let (fresh, rounds) = trust(&Graph::new(members, &all), &seeds, &params);
    let again = started.elapsed().as_secs_f64();
    let (mut l1, mut worst, mut moved) = (0f64, 0f64, 0f64);
    for ((a, b), old) in updated.iter().zip(&fresh).zip(&before) {
        let d = f64::from((a - b).abs());
        l1 += d;
        worst = worst.max(d * members as f64);
        moved += f64::from((old - b).abs());
    }
    println!(
        "check: graph rebuilt and recomputed from scratch in {again:.2} s ({rounds} rounds); \
         update against it: L1 distance {l1:.2e}, largest difference {worst:.3} of an average member's trust ({:.0}x faster); \
         the new edges moved trust by L1 {moved:.2e}",
        again / took
    );
    Ok(())
}
