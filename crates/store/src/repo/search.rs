//! Member search documents and full-text matching. `TextMatcher` is the one interface; SQLite
//! answers it with FTS5, PostgreSQL with `to_tsvector('simple')`. Both only decide *which*
//! documents match every word; scoring and visibility happen in `app`, the same for both.

use crate::schema::search_docs;
use crate::{DbConnection, StoreError};
use diesel::prelude::*;
use diesel::sql_types::Text;

/// A search document.
#[derive(Clone, Debug, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = search_docs)]
pub struct DocRow {
    /// The profile item.
    pub item_id: String,
    /// Its owner.
    pub owner_id: String,
    /// Item kind.
    pub kind: String,
    /// Space-separated audiences.
    pub audiences: String,
    /// The skill, for skill claims.
    pub skill_id: Option<String>,
    /// Normalised words.
    pub body: String,
}

/// Replaces the document of an item (or removes it when `doc` is `None`).
pub fn put(conn: &mut DbConnection, item_id: &str, doc: Option<&DocRow>) -> Result<(), StoreError> {
    diesel::delete(search_docs::table.find(item_id)).execute(conn)?;
    match doc {
        Some(doc) => add(conn, doc),
        None => Ok(()),
    }
}

/// Adds the document of a new item.
pub fn add(conn: &mut DbConnection, doc: &DocRow) -> Result<(), StoreError> {
    diesel::insert_into(search_docs::table)
        .values(doc)
        .execute(conn)?;
    Ok(())
}

/// Documents of skill claims naming any of `skill_ids`.
pub fn with_skills(
    conn: &mut DbConnection,
    skill_ids: &[String],
) -> Result<Vec<DocRow>, StoreError> {
    Ok(search_docs::table
        .filter(search_docs::skill_id.eq_any(skill_ids))
        .select(DocRow::as_select())
        .load(conn)?)
}

/// Every document of one kind (locations, filtered by place and time zone in `app`).
pub fn of_kind(conn: &mut DbConnection, kind: &str) -> Result<Vec<DocRow>, StoreError> {
    Ok(search_docs::table
        .filter(search_docs::kind.eq(kind))
        .select(DocRow::as_select())
        .load(conn)?)
}

/// Full-text matching of normalised words.
pub trait TextMatcher {
    /// Documents containing every one of `words` (already normalised, non-empty).
    fn matching(
        &self,
        conn: &mut DbConnection,
        words: &[String],
        limit: i64,
    ) -> Result<Vec<DocRow>, StoreError>;
}

/// SQLite's FTS5.
pub struct Fts5;

impl TextMatcher for Fts5 {
    fn matching(
        &self,
        conn: &mut DbConnection,
        words: &[String],
        limit: i64,
    ) -> Result<Vec<DocRow>, StoreError> {
        // Each word quoted: FTS5 query syntax in user input is never interpreted.
        let query = words
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" ");
        Ok(diesel::sql_query(
            "SELECT d.item_id, d.owner_id, d.kind, d.audiences, d.skill_id, d.body \
             FROM search_fts JOIN search_docs d ON d.rowid = search_fts.rowid \
             WHERE search_fts MATCH ? LIMIT ?",
        )
        .bind::<Text, _>(query)
        .bind::<diesel::sql_types::BigInt, _>(limit)
        .load(conn)?)
    }
}

/// PostgreSQL full-text search.
pub struct PgFullText;

impl TextMatcher for PgFullText {
    fn matching(
        &self,
        conn: &mut DbConnection,
        words: &[String],
        limit: i64,
    ) -> Result<Vec<DocRow>, StoreError> {
        Ok(diesel::sql_query(
            "SELECT item_id, owner_id, kind, audiences, skill_id, body FROM search_docs \
             WHERE to_tsvector('simple', body) @@ plainto_tsquery('simple', $1) LIMIT $2",
        )
        .bind::<Text, _>(words.join(" "))
        .bind::<diesel::sql_types::BigInt, _>(limit)
        .load(conn)?)
    }
}

/// The matcher for this connection's backend.
pub fn matcher(conn: &DbConnection) -> &'static dyn TextMatcher {
    match conn {
        DbConnection::Sqlite(_) => &Fts5,
        DbConnection::Postgresql(_) => &PgFullText,
    }
}
