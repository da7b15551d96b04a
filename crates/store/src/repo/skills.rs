//! The skill taxonomy: skills, their labels and relations.

use crate::schema::{skill_labels, skill_relations, skills};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use std::collections::HashMap;

/// A skill row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = skills)]
pub struct SkillRow {
    /// UUIDv7.
    pub id: String,
    /// Source and key there, e.g. `esco:<uri>`; none for members' tags.
    pub source_key: Option<String>,
    /// Canonical URI (ESCO), if any.
    pub uri: Option<String>,
    /// The label shown for the skill: the taxonomy's preferred term, or a tag's words as typed.
    pub preferred_label: String,
    /// Normalised preferred label.
    pub norm: String,
    /// skill, knowledge, language or tag.
    pub kind: String,
    /// esco, esco-derived, linguist or member.
    pub source: String,
    /// The skill a tag was merged into.
    pub merged_into: Option<String>,
    /// Creation time.
    pub created_at: Millis,
    /// Last change.
    pub updated_at: Millis,
    /// The member whose words made a tag.
    #[diesel(deserialize_as = crate::optional::NullableText, serialize_as = crate::optional::NullableText)]
    pub created_by: Option<UserId>,
    /// Anyone may read it: always for the taxonomy; for a tag once it was shown publicly.
    pub shared: bool,
}

/// Marks a tag as shared: its words were shown publicly.
pub fn share(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    diesel::update(skills::table.find(id).filter(skills::shared.eq(false)))
        .set(skills::shared.eq(true))
        .execute(conn)?;
    Ok(())
}

/// A label row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = skill_labels)]
pub struct LabelRow {
    /// The skill.
    pub skill_id: String,
    /// Normalised label.
    pub norm: String,
    /// Label as written.
    pub label: String,
    /// preferred, alt or alias.
    pub kind: String,
}

/// Source key → id of every skill that has one.
pub fn ids_by_source_key(conn: &mut DbConnection) -> Result<HashMap<String, String>, StoreError> {
    let rows: Vec<(Option<String>, String)> = skills::table
        .filter(skills::source_key.is_not_null())
        .select((skills::source_key, skills::id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, id)| k.map(|k| (k, id)))
        .collect())
}

/// Adds a skill.
pub fn insert(conn: &mut DbConnection, row: &SkillRow) -> Result<(), StoreError> {
    diesel::insert_into(skills::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Inserts new skills and their labels, many rows to a statement: a taxonomy's first import
/// writes some 14,000 skills and 90,000 labels.
pub fn insert_new(
    conn: &mut DbConnection,
    skills: &[SkillRow],
    labels: &[LabelRow],
) -> Result<(), StoreError> {
    // Multi-row inserts are per backend: diesel's MultiBackend has no batch insert. Each
    // statement stays well under both backends' limit on bound values (32,766 in SQLite).
    for chunk in skills.chunks(1_000) {
        // Owned rows: `created_by` is written through a conversion that takes its value.
        let insert = diesel::insert_into(skills::table).values(chunk.to_vec());
        match conn {
            DbConnection::Sqlite(c) => insert.execute(c)?,
            DbConnection::Postgresql(c) => insert.execute(c)?,
        };
    }
    for chunk in labels.chunks(2_000) {
        let insert = diesel::insert_into(skill_labels::table).values(chunk);
        match conn {
            DbConnection::Sqlite(c) => insert.execute(c)?,
            DbConnection::Postgresql(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// Rewrites an imported skill's labels, kind, source and URI, keeping its id.
pub fn update_imported(conn: &mut DbConnection, row: &SkillRow) -> Result<(), StoreError> {
    diesel::update(skills::table.find(&row.id))
        .set((
            skills::preferred_label.eq(&row.preferred_label),
            skills::norm.eq(&row.norm),
            skills::kind.eq(&row.kind),
            skills::source.eq(&row.source),
            skills::uri.eq(&row.uri),
            skills::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Replaces a skill's preferred and alternative labels; aliases from merges are kept.
pub fn replace_labels(
    conn: &mut DbConnection,
    skill_id: &str,
    labels: &[LabelRow],
) -> Result<(), StoreError> {
    diesel::delete(
        skill_labels::table
            .filter(skill_labels::skill_id.eq(skill_id))
            .filter(skill_labels::kind.ne("alias")),
    )
    .execute(conn)?;
    let kept: Vec<String> = skill_labels::table
        .filter(skill_labels::skill_id.eq(skill_id))
        .select(skill_labels::norm)
        .load(conn)?;
    let new: Vec<&LabelRow> = labels.iter().filter(|l| !kept.contains(&l.norm)).collect();
    if !new.is_empty() {
        // Multi-row inserts are per backend: diesel's MultiBackend has no batch insert.
        let insert = diesel::insert_into(skill_labels::table).values(new);
        match conn {
            DbConnection::Sqlite(c) => insert.execute(c)?,
            DbConnection::Postgresql(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// Adds a relation unless it exists.
pub fn relate(
    conn: &mut DbConnection,
    from: &str,
    to: &str,
    kind: &str,
) -> Result<bool, StoreError> {
    let exists: i64 = skill_relations::table
        .filter(skill_relations::from_id.eq(from))
        .filter(skill_relations::to_id.eq(to))
        .filter(skill_relations::kind.eq(kind))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(skill_relations::table)
        .values((
            skill_relations::from_id.eq(from),
            skill_relations::to_id.eq(to),
            skill_relations::kind.eq(kind),
        ))
        .execute(conn)?;
    Ok(true)
}

/// One skill.
pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<SkillRow>, StoreError> {
    Ok(skills::table
        .find(id)
        .select(SkillRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// The preferred labels of `ids`: (id, label).
pub fn labels_by_ids(
    conn: &mut DbConnection,
    ids: &[String],
) -> Result<Vec<(String, String)>, StoreError> {
    let mut out = Vec::new();
    // In chunks, within every database's limit on bound parameters.
    for chunk in ids.chunks(500) {
        out.extend(
            skills::table
                .filter(skills::id.eq_any(chunk))
                .select((skills::id, skills::preferred_label))
                .load::<(String, String)>(conn)?,
        );
    }
    Ok(out)
}

/// The skill with this source key.
pub fn by_source_key(conn: &mut DbConnection, key: &str) -> Result<Option<SkillRow>, StoreError> {
    Ok(skills::table
        .filter(skills::source_key.eq(key))
        .select(SkillRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Labels of a skill.
pub fn labels_of(conn: &mut DbConnection, skill_id: &str) -> Result<Vec<LabelRow>, StoreError> {
    Ok(skill_labels::table
        .filter(skill_labels::skill_id.eq(skill_id))
        .order((skill_labels::kind.desc(), skill_labels::label))
        .select(LabelRow::as_select())
        .load(conn)?)
}

/// Every label with its skill's kind and preferred label, for building the autocomplete index. Merged tags are
/// left out: their labels live on as aliases of the skill they were merged into. So are tags
/// nobody shared: autocomplete never reveals what a private claim says.
pub fn all_labels(conn: &mut DbConnection) -> Result<Vec<(LabelRow, String, String)>, StoreError> {
    Ok(skill_labels::table
        .inner_join(skills::table)
        .filter(skills::merged_into.is_null())
        .filter(skills::shared)
        .select((LabelRow::as_select(), skills::kind, skills::preferred_label))
        .load(conn)?)
}

/// Counts: (skills, labels, relations).
pub fn counts(conn: &mut DbConnection) -> Result<(i64, i64, i64), StoreError> {
    Ok((
        skills::table.count().get_result(conn)?,
        skill_labels::table.count().get_result(conn)?,
        skill_relations::table.count().get_result(conn)?,
    ))
}

/// The live (not merged) skills a normalised label names, best first: preferred labels before
/// alternative labels and aliases, taxonomy skills before tags, older before newer. Callers
/// pick the first the reader may read.
pub fn resolve(conn: &mut DbConnection, norm: &str) -> Result<Vec<SkillRow>, StoreError> {
    let mut found: Vec<(SkillRow, String)> = skill_labels::table
        .inner_join(skills::table)
        .filter(skill_labels::norm.eq(norm))
        .filter(skills::merged_into.is_null())
        .select((SkillRow::as_select(), skill_labels::kind))
        .load(conn)?;
    found.sort_by_key(|(s, kind)| (kind != "preferred", s.kind == "tag", s.created_at));
    Ok(found.into_iter().map(|(s, _)| s).collect())
}

/// The live taxonomy skills whose preferred label is one of `norms`: (norm, skill id).
pub fn preferred_by_norms(
    conn: &mut DbConnection,
    norms: &[String],
) -> Result<Vec<(String, String)>, StoreError> {
    let mut out = Vec::new();
    // In chunks, within every database's limit on bound parameters.
    for chunk in norms.chunks(500) {
        out.extend(
            skill_labels::table
                .inner_join(skills::table)
                .filter(skill_labels::norm.eq_any(chunk))
                .filter(skill_labels::kind.eq("preferred"))
                .filter(skills::merged_into.is_null())
                .filter(skills::kind.ne("tag"))
                .select((skill_labels::norm, skills::id))
                .load::<(String, String)>(conn)?,
        );
    }
    Ok(out)
}

/// A merge row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::schema::skill_merges)]
pub struct MergeRow {
    /// UUIDv7.
    pub id: String,
    /// The tag merged away.
    pub tag_id: String,
    /// The skill it was merged into.
    pub skill_id: String,
    /// JSON of what moved.
    pub moved: String,
    /// Who merged.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub merged_by: UserId,
    /// When.
    pub merged_at: Millis,
    /// When undone.
    pub undone_at: Option<Millis>,
}

/// Records a merge.
pub fn insert_merge(conn: &mut DbConnection, row: &MergeRow) -> Result<(), StoreError> {
    diesel::insert_into(crate::schema::skill_merges::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One merge.
pub fn merge_by_id(conn: &mut DbConnection, id: &str) -> Result<Option<MergeRow>, StoreError> {
    use crate::schema::skill_merges;
    Ok(skill_merges::table
        .find(id)
        .select(MergeRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Marks a merge undone.
pub fn mark_undone(conn: &mut DbConnection, id: &str, now: Millis) -> Result<(), StoreError> {
    use crate::schema::skill_merges;
    diesel::update(skill_merges::table.find(id))
        .set(skill_merges::undone_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Sets or clears where a tag was merged.
pub fn set_merged_into(
    conn: &mut DbConnection,
    id: &str,
    into: Option<&str>,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::update(skills::table.find(id))
        .set((skills::merged_into.eq(into), skills::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Adds one label unless the skill has it; returns whether it was added.
pub fn add_label(conn: &mut DbConnection, row: &LabelRow) -> Result<bool, StoreError> {
    let exists: i64 = skill_labels::table
        .filter(skill_labels::skill_id.eq(&row.skill_id))
        .filter(skill_labels::norm.eq(&row.norm))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(skill_labels::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(true)
}

/// Removes labels of a skill by normalised form.
pub fn remove_labels(
    conn: &mut DbConnection,
    skill_id: &str,
    norms: &[String],
) -> Result<(), StoreError> {
    diesel::delete(
        skill_labels::table
            .filter(skill_labels::skill_id.eq(skill_id))
            .filter(skill_labels::norm.eq_any(norms)),
    )
    .execute(conn)?;
    Ok(())
}

/// Skills related or close in meaning to `id` (either direction) and skills narrower than it.
pub fn neighbours(conn: &mut DbConnection, id: &str) -> Result<Vec<String>, StoreError> {
    let related: Vec<(String, String)> = skill_relations::table
        .filter(skill_relations::kind.eq_any(["related", "similar"]))
        .filter(
            skill_relations::from_id
                .eq(id)
                .or(skill_relations::to_id.eq(id)),
        )
        .select((skill_relations::from_id, skill_relations::to_id))
        .load(conn)?;
    let narrower: Vec<String> = skill_relations::table
        .filter(skill_relations::kind.eq("broader"))
        .filter(skill_relations::to_id.eq(id))
        .select(skill_relations::from_id)
        .load(conn)?;
    let mut out: Vec<String> = related
        .into_iter()
        .map(|(a, b)| if a == id { b } else { a })
        .chain(narrower)
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// Relations of a skill: (other skill id, kind, whether `id` is the `from` side).
pub fn relations_of(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Vec<(String, String, bool)>, StoreError> {
    let rows: Vec<(String, String, String)> = skill_relations::table
        .filter(
            skill_relations::from_id
                .eq(id)
                .or(skill_relations::to_id.eq(id)),
        )
        .select((
            skill_relations::from_id,
            skill_relations::to_id,
            skill_relations::kind,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(from, to, kind)| {
            if from == id {
                (to, kind, true)
            } else {
                (from, kind, false)
            }
        })
        .collect())
}
