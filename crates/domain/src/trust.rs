//! Trust propagated over the graph of who vouched for whom, after EigenTrust (Kamvar, Schlosser
//! and Garcia-Molina, WWW 2003). Each member spreads their trust over the members they worked
//! with or endorsed, in proportion to the weight of that evidence; a share `alpha` of all trust
//! always returns to pre-trusted seeds (community curators). Trust therefore flows only along
//! paths from the seeds, and a ring of accounts vouching for each other gains little.

/// A directed, weighted edge: `from` vouches for `to` with `weight` > 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    /// Who vouches.
    pub from: u32,
    /// For whom.
    pub to: u32,
    /// How much (paid amount, review, endorsement).
    pub weight: f32,
}

/// The graph in compressed sparse rows by source, with each source's weights normalised to
/// sum to one.
#[derive(Clone, Debug)]
pub struct Graph {
    /// Members.
    pub nodes: usize,
    /// Where each source's edges start in `targets` (length `nodes + 1`).
    offsets: Vec<u32>,
    /// Edge targets, grouped by source.
    targets: Vec<u32>,
    /// Normalised weights, aligned with `targets`.
    weights: Vec<f32>,
}

impl Graph {
    /// Builds the graph of `nodes` members from `edges`. Self-loops and weights that are not
    /// positive are dropped; repeated edges add up.
    pub fn new(nodes: usize, edges: &[Edge]) -> Graph {
        let keep = |e: &&Edge| {
            e.from != e.to && e.weight > 0.0 && (e.from as usize) < nodes && (e.to as usize) < nodes
        };
        let mut counts = vec![0u32; nodes + 1];
        for e in edges.iter().filter(keep) {
            counts[e.from as usize + 1] += 1;
        }
        for i in 0..nodes {
            counts[i + 1] += counts[i];
        }
        let offsets = counts.clone();
        let total = offsets[nodes] as usize;
        let (mut targets, mut weights) = (vec![0u32; total], vec![0f32; total]);
        let mut next = counts;
        for e in edges.iter().filter(keep) {
            let at = next[e.from as usize] as usize;
            targets[at] = e.to;
            weights[at] = e.weight;
            next[e.from as usize] += 1;
        }
        for i in 0..nodes {
            let (a, b) = (offsets[i] as usize, offsets[i + 1] as usize);
            let sum: f32 = weights[a..b].iter().sum();
            if sum > 0.0 {
                weights[a..b].iter_mut().for_each(|w| *w /= sum);
            }
        }
        Graph {
            nodes,
            offsets,
            targets,
            weights,
        }
    }

    /// Edges kept.
    pub fn edges(&self) -> usize {
        self.targets.len()
    }

    /// Sums every weight once: what one pass over the edges costs, as a benchmark's baseline.
    pub fn read_every_edge(&self) -> f64 {
        let mut sum = 0f64;
        for (to, w) in self.targets.iter().zip(&self.weights) {
            sum += f64::from(*w) * f64::from(*to & 1);
        }
        sum
    }
}

/// How trust is computed.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    /// The share of trust that returns to the seeds each round.
    pub alpha: f32,
    /// Stop when the total change of a round falls below this.
    pub tolerance: f32,
    /// Stop after this many rounds in any case.
    pub max_rounds: usize,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            alpha: 0.15,
            tolerance: 1e-6,
            max_rounds: 50,
        }
    }
}

/// Global trust of every member: a distribution summing to one. `seeds` are pre-trusted; with
/// no seeds, trust starts uniform and returns uniformly. Returns the scores and the rounds run.
pub fn trust(graph: &Graph, seeds: &[u32], params: &Params) -> (Vec<f32>, usize) {
    trust_from(graph, seeds, params, None)
}

/// As [`trust`], starting from `start` (earlier scores, for an update after new evidence)
/// instead of the seeds' distribution, which usually needs fewer rounds.
pub fn trust_from(
    graph: &Graph,
    seeds: &[u32],
    params: &Params,
    start: Option<Vec<f32>>,
) -> (Vec<f32>, usize) {
    let n = graph.nodes;
    if n == 0 {
        return (Vec::new(), 0);
    }
    let mut p = vec![0f32; n];
    let seeds: Vec<u32> = seeds
        .iter()
        .copied()
        .filter(|s| (*s as usize) < n)
        .collect();
    if seeds.is_empty() {
        p.iter_mut().for_each(|x| *x = 1.0 / n as f32);
    } else {
        for s in &seeds {
            p[*s as usize] += 1.0 / seeds.len() as f32;
        }
    }
    let mut t = match start {
        Some(mut t) => {
            t.resize(n, 0.0);
            t
        }
        None => p.clone(),
    };
    let mut next = vec![0f32; n];
    let mut rounds = 0;
    while rounds < params.max_rounds {
        rounds += 1;
        next.iter_mut().for_each(|x| *x = 0.0);
        // Members who vouch for no one hand their trust back to the seeds.
        let mut dangling = 0f32;
        for (ti, span) in t.iter().zip(graph.offsets.windows(2)) {
            let (a, b) = (span[0] as usize, span[1] as usize);
            if a == b {
                dangling += ti;
                continue;
            }
            for (to, w) in graph.targets[a..b].iter().zip(&graph.weights[a..b]) {
                next[*to as usize] += w * ti;
            }
        }
        let mut change = 0f32;
        for ((ti, pushed), pi) in t.iter_mut().zip(&next).zip(&p) {
            let v = (1.0 - params.alpha) * (pushed + dangling * pi) + params.alpha * pi;
            change += (v - *ti).abs();
            *ti = v;
        }
        if change < params.tolerance {
            break;
        }
    }
    (t, rounds)
}
