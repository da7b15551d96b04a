-- Merges of members' tags into taxonomy skills, with what each moved so it can be undone.
-- Keep in step with ../sqlite.
CREATE TABLE skill_merges (
    id TEXT PRIMARY KEY NOT NULL,
    tag_id TEXT NOT NULL REFERENCES skills(id),
    skill_id TEXT NOT NULL REFERENCES skills(id),
    -- JSON: the claims re-pointed (id and former label), the suggestions re-pointed, and the
    -- alias labels added to the skill.
    moved TEXT NOT NULL,
    merged_by TEXT NOT NULL REFERENCES users(id),
    merged_at BIGINT NOT NULL,
    undone_at BIGINT
);
CREATE INDEX skill_merges_tag ON skill_merges(tag_id);
