-- Co-created skills: suggestions from members' networks, endorsements of claims, and each
-- member's choice of who may suggest. Keep in step with ../sqlite.
CREATE TABLE skill_suggestions (
    id TEXT PRIMARY KEY NOT NULL,
    member_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    suggester_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    skill_id TEXT NOT NULL REFERENCES skills(id),
    note TEXT NOT NULL,
    -- pending, accepted or declined.
    status TEXT NOT NULL,
    item_id TEXT,
    created_at BIGINT NOT NULL,
    answered_at BIGINT
);
CREATE INDEX skill_suggestions_member ON skill_suggestions(member_id, status);
CREATE INDEX skill_suggestions_suggester ON skill_suggestions(suggester_id, created_at);

CREATE TABLE endorsements (
    id TEXT PRIMARY KEY NOT NULL,
    item_id TEXT NOT NULL REFERENCES profile_items(id) ON DELETE CASCADE,
    endorser_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- What qualifies the endorser: connection (later also contract, community, mentoring).
    relation TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (item_id, endorser_id)
);

CREATE TABLE member_settings (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- Who may suggest skills: members, connections or off.
    suggestions_from TEXT NOT NULL
);
