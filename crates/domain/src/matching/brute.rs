//! The reference: every member scored, no pruning. Slow and plainly right; the tests hold the
//! index to it.

use super::{
    Best, Client, Extras, Hit, MemberDoc, Query, Weights, admitted, better, evidence_seen, finish,
    fit, proximity_of, rank, rate_check, viewer_of, zone_check,
};

/// The top `k` members for `query` as `client` may see them, scoring every member.
pub fn brute_force(
    docs: &[MemberDoc],
    query: &Query,
    client: &Client,
    weights: &Weights,
    k: usize,
) -> Vec<Hit> {
    let mut hits = Vec::new();
    for doc in docs {
        if !admitted(client, query, doc.member, doc.suspended, &doc.communities) {
            continue;
        }
        let viewer = viewer_of(client, doc.member, &doc.communities);
        let shown = doc
            .rate
            .as_ref()
            .map(|r| (r.min_minor, r.currency.as_str(), &r.audiences));
        let Ok(rate) = rate_check(query, shown, &viewer) else {
            continue;
        };
        let zone = doc.utc_offset.as_ref().map(|(o, a)| (*o, a));
        let Ok(utc_offset) = zone_check(query, zone, &viewer) else {
            continue;
        };
        let mut best: Vec<Best> = vec![None; query.terms.len()];
        for claim in doc.claims.iter().filter(|c| viewer.can_see(&c.audiences)) {
            for (i, term) in query.terms.iter().enumerate() {
                for e in term.skills.iter().filter(|e| e.skill == claim.skill) {
                    let value = e.factor * fit(claim.level, term.min_level);
                    best[i] = better(best[i], (claim.skill, e.relation, claim.level, value));
                }
            }
        }
        let evidence = evidence_seen(doc.evidence.iter().map(|(v, a)| (*v, a)), &viewer);
        let proximity = proximity_of(client, doc.member, &viewer);
        let extras = Extras {
            evidence,
            proximity,
            rate,
            utc_offset,
        };
        if let Some(hit) = finish(query, weights, doc.member, &best, extras) {
            hits.push(hit);
        }
    }
    hits.sort_by(rank);
    hits.truncate(k);
    hits
}
