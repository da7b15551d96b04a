-- Member search: one document per searchable profile item, with its audiences so results can
-- be filtered per viewer. `body` holds normalised words separated by single spaces, so SQLite
-- FTS5 and PostgreSQL full-text split it the same way. Keep in step with ../postgres.
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

-- The full-text index over `body`, kept current by triggers.
CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_docs', content_rowid='rowid', tokenize='unicode61 remove_diacritics 0');
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts(rowid, body) VALUES (new.rowid, new.body);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
END;
CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
    INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
    INSERT INTO search_fts(rowid, body) VALUES (new.rowid, new.body);
END;
