//! Trust propagated over the graph of who vouched for whom, after EigenTrust (Kamvar, Schlosser
//! and Garcia-Molina, WWW 2003). Each member spreads their trust over the members they worked
//! with or endorsed, in proportion to the weight of that evidence; a share `alpha` of all trust
//! always returns to pre-trusted seeds (community curators). Trust therefore flows only along
//! paths from the seeds, and a ring of accounts vouching for each other gains little.
//!
//! Unlike plain EigenTrust, a member passes on at most what their evidence is worth: weights
//! are divided by the larger of their sum and a floor, and what is left returns to the seeds.
//! A member who only endorsed a friend (a light edge) hands on a small part of their trust,
//! while one who paid for finished work (a heavy edge) hands on all of it.
//!
//! After new evidence, [`update`] corrects the previous scores by pushing only the change
//! (the residual of the fixed-point equation) outwards from the members it touched, as in
//! incremental PageRank, instead of running whole rounds again.

use std::collections::{HashMap, VecDeque};

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

/// The graph: compressed sparse rows by source, plus the edges added since they were built.
#[derive(Clone, Debug)]
pub struct Graph {
    /// Members.
    pub nodes: usize,
    /// Where each source's edges start in `targets` (length `nodes + 1`).
    offsets: Vec<u32>,
    /// Edge targets, grouped by source.
    targets: Vec<u32>,
    /// Raw weights, aligned with `targets`.
    weights: Vec<f32>,
    /// Edges added by [`Graph::add`], by source, until [`Graph::compact`] folds them in.
    added: HashMap<u32, Vec<(u32, f32)>>,
    /// Sum of each source's raw weights.
    out_weight: Vec<f32>,
    /// Each source hands on `weight × share` along an edge: 1 / max(sum, floor).
    share: Vec<f32>,
    /// Below this total weight a member passes on only part of their trust.
    floor: f32,
}

impl Graph {
    /// Builds the graph of `nodes` members from `edges`, each member's weights normalised to
    /// sum to one (plain EigenTrust). Self-loops, weights that are not positive and unknown
    /// members are dropped; repeated edges add up.
    pub fn new(nodes: usize, edges: &[Edge]) -> Graph {
        Graph::with_floor(nodes, edges, 0.0)
    }

    /// As [`Graph::new`], but a member whose weights sum to less than `floor` passes on only
    /// `sum / floor` of their trust; the rest returns to the seeds.
    pub fn with_floor(nodes: usize, edges: &[Edge], floor: f32) -> Graph {
        let (offsets, targets, weights) = csr(nodes, edges.iter().filter(|e| valid(e, nodes)));
        let mut out_weight = vec![0f32; nodes];
        for (i, span) in offsets.windows(2).enumerate() {
            out_weight[i] = weights[span[0] as usize..span[1] as usize].iter().sum();
        }
        let share = out_weight.iter().map(|w| share_of(*w, floor)).collect();
        Graph {
            nodes,
            offsets,
            targets,
            weights,
            added: HashMap::new(),
            out_weight,
            share,
            floor,
        }
    }

    /// Edges kept.
    pub fn edges(&self) -> usize {
        self.targets.len() + self.added.values().map(Vec::len).sum::<usize>()
    }

    /// Adds edges without rebuilding the rows; returns the members whose edges changed.
    pub fn add(&mut self, edges: &[Edge]) -> Vec<u32> {
        let mut changed = Vec::new();
        for e in edges.iter().filter(|e| valid(e, self.nodes)) {
            let list = self.added.entry(e.from).or_default();
            if list.is_empty() {
                changed.push(e.from);
            }
            list.push((e.to, e.weight));
            let from = e.from as usize;
            self.out_weight[from] += e.weight;
            self.share[from] = share_of(self.out_weight[from], self.floor);
        }
        changed.sort_unstable();
        changed.dedup();
        changed
    }

    /// Folds the added edges into the rows, so rounds read one array again.
    pub fn compact(&mut self) {
        if self.added.is_empty() {
            return;
        }
        let mut all = Vec::with_capacity(self.edges());
        self.each_edge(|from, to, weight| all.push(Edge { from, to, weight }));
        let (offsets, targets, weights) = csr(self.nodes, all.iter());
        (self.offsets, self.targets, self.weights) = (offsets, targets, weights);
        self.added.clear();
    }

    /// Calls `f(from, to, raw weight)` for every edge.
    pub fn each_edge(&self, mut f: impl FnMut(u32, u32, f32)) {
        for (from, span) in self.offsets.windows(2).enumerate() {
            let (a, b) = (span[0] as usize, span[1] as usize);
            for (to, w) in self.targets[a..b].iter().zip(&self.weights[a..b]) {
                f(from as u32, *to, *w);
            }
        }
        for (from, list) in &self.added {
            for (to, w) in list {
                f(*from, *to, *w);
            }
        }
    }

    /// Calls `f(to, share of from's trust)` for each edge out of `from`.
    fn each_out(&self, from: u32, mut f: impl FnMut(u32, f32)) {
        let i = from as usize;
        let share = self.share[i];
        let (a, b) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
        for (to, w) in self.targets[a..b].iter().zip(&self.weights[a..b]) {
            f(*to, w * share);
        }
        if let Some(list) = self.added.get(&from) {
            for (to, w) in list {
                f(*to, w * share);
            }
        }
    }

    /// The part of `member`'s trust that goes back to the seeds instead of along edges.
    fn kept(&self, member: usize) -> f32 {
        (1.0 - self.out_weight[member] * self.share[member]).max(0.0)
    }

    /// The share of `from`'s trust that one unit of edge weight carries.
    pub fn share(&self, from: u32) -> f32 {
        self.share.get(from as usize).copied().unwrap_or(0.0)
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

fn valid(e: &Edge, nodes: usize) -> bool {
    e.from != e.to && e.weight > 0.0 && (e.from as usize) < nodes && (e.to as usize) < nodes
}

fn share_of(out_weight: f32, floor: f32) -> f32 {
    let d = out_weight.max(floor);
    if d > 0.0 { 1.0 / d } else { 0.0 }
}

/// Rows by source: offsets, targets and raw weights.
fn csr<'a>(
    nodes: usize,
    edges: impl Iterator<Item = &'a Edge> + Clone,
) -> (Vec<u32>, Vec<u32>, Vec<f32>) {
    let mut counts = vec![0u32; nodes + 1];
    for e in edges.clone() {
        counts[e.from as usize + 1] += 1;
    }
    for i in 0..nodes {
        counts[i + 1] += counts[i];
    }
    let offsets = counts.clone();
    let total = offsets[nodes] as usize;
    let (mut targets, mut weights) = (vec![0u32; total], vec![0f32; total]);
    let mut next = counts;
    for e in edges {
        let at = next[e.from as usize] as usize;
        targets[at] = e.to;
        weights[at] = e.weight;
        next[e.from as usize] += 1;
    }
    (offsets, targets, weights)
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
    /// An update stops pushing a member's pending change once it is below this fraction of
    /// the average member's trust.
    pub update_precision: f32,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            alpha: 0.15,
            tolerance: 1e-6,
            max_rounds: 50,
            update_precision: 1e-3,
        }
    }
}

/// Where returning trust goes: the seeds in equal parts, or everyone when there are none.
fn seed_distribution(n: usize, seeds: &[u32]) -> Vec<f32> {
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
    p
}

/// Global trust of every member: a distribution summing to one. `seeds` are pre-trusted; with
/// no seeds, trust starts uniform and returns uniformly. Returns the scores and the rounds run.
pub fn trust(graph: &Graph, seeds: &[u32], params: &Params) -> (Vec<f32>, usize) {
    trust_from(graph, seeds, params, None)
}

/// As [`trust`], starting from `start` (earlier scores) instead of the seeds' distribution.
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
    let p = seed_distribution(n, seeds);
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
        // What members do not pass along edges goes back to the seeds.
        let mut returned = 0f32;
        for (i, (ti, span)) in t.iter().zip(graph.offsets.windows(2)).enumerate() {
            returned += ti * graph.kept(i);
            let s = ti * graph.share[i];
            let (a, b) = (span[0] as usize, span[1] as usize);
            for (to, w) in graph.targets[a..b].iter().zip(&graph.weights[a..b]) {
                next[*to as usize] += w * s;
            }
        }
        for (from, list) in &graph.added {
            let s = t[*from as usize] * graph.share[*from as usize];
            for (to, w) in list {
                next[*to as usize] += w * s;
            }
        }
        let mut change = 0f64;
        for ((ti, pushed), pi) in t.iter_mut().zip(&next).zip(&p) {
            let v = (1.0 - params.alpha) * (pushed + returned * pi) + params.alpha * pi;
            change += f64::from((v - *ti).abs());
            *ti = v;
        }
        if change < f64::from(params.tolerance) {
            break;
        }
    }
    (t, rounds)
}

/// What an [`update`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UpdateReport {
    /// Members whose edges changed.
    pub changed: usize,
    /// Times a member's pending change was applied and passed on.
    pub pushes: usize,
    /// Edges read while passing changes on.
    pub edges_read: usize,
    /// The total pending change left unapplied (each part below the precision).
    pub left: f64,
}

/// Adds `edges` to `graph` and corrects `scores` (the trust before them) in place: the
/// residual of the fixed-point equation, non-zero only around the members whose edges
/// changed, is pushed outwards until every member's pending change is below
/// `params.update_precision` of the average trust. Needs seeds; without any, it recomputes.
pub fn update(
    graph: &mut Graph,
    scores: &mut Vec<f32>,
    seeds: &[u32],
    params: &Params,
    edges: &[Edge],
) -> UpdateReport {
    let n = graph.nodes;
    let seeds: Vec<u32> = seeds
        .iter()
        .copied()
        .filter(|s| (*s as usize) < n)
        .collect();
    scores.resize(n, 0.0);
    if seeds.is_empty() {
        let changed = graph.add(edges).len();
        *scores = trust_from(graph, &seeds, params, Some(std::mem::take(scores))).0;
        return UpdateReport {
            changed,
            ..UpdateReport::default()
        };
    }
    let to_seed = 1.0 / seeds.len() as f32;
    let carry = 1.0 - params.alpha;
    let mut residual = vec![0f32; n];
    // Before: each changed member's edges at their old share and their returned part.
    let changing: Vec<u32> = {
        let mut m: Vec<u32> = edges
            .iter()
            .filter(|e| valid(e, n))
            .map(|e| e.from)
            .collect();
        m.sort_unstable();
        m.dedup();
        m
    };
    let before = |g: &Graph, sign: f32, residual: &mut Vec<f32>| {
        for &from in &changing {
            let t = sign * carry * scores[from as usize];
            g.each_out(from, |to, s| residual[to as usize] += t * s);
            let kept = t * g.kept(from as usize);
            for s in &seeds {
                residual[*s as usize] += kept * to_seed;
            }
        }
    };
    before(graph, -1.0, &mut residual);
    let changed = graph.add(edges).len();
    before(graph, 1.0, &mut residual);

    let threshold = params.update_precision / n as f32;
    let mut queued = vec![false; n];
    let mut queue: VecDeque<u32> = VecDeque::new();
    for (i, r) in residual.iter().enumerate() {
        if r.abs() > threshold {
            queued[i] = true;
            queue.push_back(i as u32);
        }
    }
    let mut report = UpdateReport {
        changed,
        ..UpdateReport::default()
    };
    let enqueue = |v: u32, r: f32, queued: &mut Vec<bool>, queue: &mut VecDeque<u32>| {
        if r.abs() > threshold && !queued[v as usize] {
            queued[v as usize] = true;
            queue.push_back(v);
        }
    };
    while let Some(v) = queue.pop_front() {
        let i = v as usize;
        queued[i] = false;
        let r = std::mem::take(&mut residual[i]);
        scores[i] += r;
        report.pushes += 1;
        let passed = carry * r;
        graph.each_out(v, |to, s| {
            report.edges_read += 1;
            residual[to as usize] += passed * s;
            enqueue(to, residual[to as usize], &mut queued, &mut queue);
        });
        let kept = passed * graph.kept(i);
        if kept != 0.0 {
            for s in &seeds {
                residual[*s as usize] += kept * to_seed;
                enqueue(*s, residual[*s as usize], &mut queued, &mut queue);
            }
        }
    }
    report.left = residual.iter().map(|r| f64::from(r.abs())).sum();
    report
}

/// How much of its target's trust each of `incoming` carries: (1 − α) × the source's trust ×
/// the edge's share of what the source passes on. Summed over all edges into a member, this
/// is their trust less what the seeds receive directly.
pub fn carried(graph: &Graph, scores: &[f32], params: &Params, incoming: &[Edge]) -> Vec<f32> {
    incoming
        .iter()
        .map(|e| {
            let t = scores.get(e.from as usize).copied().unwrap_or(0.0);
            (1.0 - params.alpha) * t * e.weight * graph.share(e.from)
        })
        .collect()
}
