//! The baseline for `guildhall bench match`: the tantivy search library indexing the same
//! corpus, skills as terms and filters as fast fields, answering each query as an OR of its
//! skills (each boosted by its weight) under the same filters, top k by BM25. Tantivy knows
//! nothing of levels, audiences, evidence or the network: it is the general-purpose index a
//! matching engine is measured against, not an equal.

use guildhall_domain::CommunityId;
use guildhall_domain::matching::{MemberDoc, Query};
use std::ops::Bound;
use std::time::Instant;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, Occur, Query as TantivyQuery, RangeQuery, TermQuery,
};
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, STRING, Schema};
use tantivy::{Index, IndexReader, TantivyDocument, Term};

/// The indexed corpus.
pub struct Tantivy {
    reader: IndexReader,
    skill: Field,
    community: Field,
    rate: Field,
    zone: Field,
    zoned: Field,
    /// Seconds to index the corpus and commit.
    pub build_seconds: f64,
    /// Resident memory the index added, bytes.
    pub resident: u64,
}

fn community_term(c: &CommunityId) -> String {
    format!("c{}", c.0.simple())
}

impl Tantivy {
    /// Indexes `docs` in memory, on one thread.
    pub fn build(docs: &[MemberDoc]) -> anyhow::Result<Tantivy> {
        let before = super::bench_match::resident();
        let started = Instant::now();
        let mut schema = Schema::builder();
        let skill = schema.add_text_field("skill", STRING);
        let community = schema.add_text_field("community", STRING);
        let rate = schema.add_u64_field("rate", INDEXED | FAST);
        let zone = schema.add_i64_field("zone", INDEXED | FAST);
        let zoned = schema.add_u64_field("zoned", INDEXED);
        let member = schema.add_u64_field("member", FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 400_000_000)?;
        for d in docs.iter().filter(|d| !d.suspended) {
            let mut doc = TantivyDocument::default();
            for c in &d.claims {
                doc.add_text(skill, format!("s{}", c.skill));
            }
            for c in &d.communities {
                doc.add_text(community, community_term(c));
            }
            doc.add_u64(
                rate,
                d.rate.as_ref().map_or(0, |r| r.min_minor.max(0) as u64),
            );
            match &d.utc_offset {
                Some((offset, _)) => {
                    doc.add_i64(zone, i64::from(*offset));
                    doc.add_u64(zoned, 1);
                }
                None => doc.add_u64(zoned, 0),
            }
            doc.add_u64(member, u64::from(d.member));
            writer.add_document(doc)?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        Ok(Tantivy {
            reader,
            skill,
            community,
            rate,
            zone,
            zoned,
            build_seconds: started.elapsed().as_secs_f64(),
            resident: super::bench_match::resident().saturating_sub(before),
        })
    }

    /// The members answering `query`, best first.
    pub fn search(&self, query: &Query, k: usize) -> anyhow::Result<Vec<u32>> {
        let skills: Vec<(Occur, Box<dyn TantivyQuery>)> = query
            .terms
            .iter()
            .flat_map(|t| {
                t.skills.iter().map(move |e| {
                    let term = Term::from_field_text(self.skill, &format!("s{}", e.skill));
                    let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
                    let boosted: Box<dyn TantivyQuery> =
                        Box::new(BoostQuery::new(Box::new(q), f32::from(t.weight)));
                    (Occur::Should, boosted)
                })
            })
            .collect();
        let mut must: Vec<(Occur, Box<dyn TantivyQuery>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(skills)))];
        if let Some((max, _)) = &query.budget {
            must.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_u64(self.rate, 0)),
                    Bound::Included(Term::from_field_u64(self.rate, (*max).max(0) as u64)),
                )),
            ));
        }
        if let Some((from, to)) = query.tz_window {
            let inside: Box<dyn TantivyQuery> = Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(self.zone, i64::from(from))),
                Bound::Included(Term::from_field_i64(self.zone, i64::from(to))),
            ));
            let unknown: Box<dyn TantivyQuery> = Box::new(TermQuery::new(
                Term::from_field_u64(self.zoned, 0),
                IndexRecordOption::Basic,
            ));
            must.push((
                Occur::Must,
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, inside),
                    (Occur::Should, unknown),
                ])),
            ));
        }
        if let Some(c) = &query.community {
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.community, &community_term(c)),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(&BooleanQuery::new(must), &TopDocs::with_limit(k))?;
        let mut out = Vec::with_capacity(top.len());
        for (_, address) in top {
            let segment = searcher.segment_reader(address.segment_ord);
            let column = segment.fast_fields().u64("member")?;
            if let Some(m) = column.first(address.doc_id) {
                out.push(m as u32);
            }
        }
        Ok(out)
    }
}
