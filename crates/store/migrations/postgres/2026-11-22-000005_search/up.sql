-- Member search: one document per searchable profile item, with its audiences so results can
-- be filtered per viewer. `body` holds normalised words separated by single spaces, so SQLite
-- FTS5 and PostgreSQL full-text split it the same way. Keep in step with ../sqlite.
CREATE TABLE search_docs (
    item_id TEXT PRIMARY KEY NOT NULL REFERENCES profile_items(id) ON DELETE CASCADE,
    owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    audiences TEXT NOT NULL,
    skill_id TEXT,
    body TEXT NOT NULL
);
CREATE INDEX search_docs_owner ON search_docs(owner_id);
CREATE INDEX search_docs_skill ON search_docs(skill_id);

-- The full-text index over `body` ('simple': no stemming, as in SQLite's unicode61).
CREATE INDEX search_docs_fts ON search_docs USING GIN (to_tsvector('simple', body));
