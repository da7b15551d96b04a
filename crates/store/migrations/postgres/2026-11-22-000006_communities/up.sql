-- Communities and their members. Keep in step with ../sqlite.
CREATE TABLE communities (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    -- public, listed or unlisted.
    visibility TEXT NOT NULL,
    -- open, application or invitation.
    admission TEXT NOT NULL,
    member_cap INTEGER,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE community_members (
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- owner, curator, mentor or member.
    role TEXT NOT NULL,
    -- The persona this community sees, if the member chose one.
    persona_id TEXT REFERENCES personas(id) ON DELETE SET NULL,
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (community_id, user_id)
);
CREATE INDEX community_members_user ON community_members(user_id);
