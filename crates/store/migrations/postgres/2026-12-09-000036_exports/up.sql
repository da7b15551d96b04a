-- A member's full export: prepared in the background, then kept in the file store until it is
-- downloaded or replaced. Keep in step with the other backend's copy.
CREATE TABLE exports (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    -- queued, running, ready or failed.
    status TEXT NOT NULL,
    -- 0 to 100.
    progress INTEGER NOT NULL DEFAULT 0,
    -- What it is doing, in words.
    step TEXT NOT NULL DEFAULT '',
    -- Where the archive is in the file store, once ready.
    file_key TEXT,
    size BIGINT,
    error TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX exports_user ON exports (user_id, created_at);
