-- Conversations between members: one-to-one, groups, and those attached to a job, a
-- proposal, a contract or a community; their messages, each member's read state, blocks
-- between members, reports of messages, and who may start a conversation with a member.
-- Keep in step with the other backend's copy.
CREATE TABLE conversations (
    id TEXT PRIMARY KEY NOT NULL,
    -- direct, group, job, proposal, contract or community.
    subject_kind TEXT NOT NULL,
    -- The job, proposal, contract or community; NULL for direct and group conversations.
    subject_id TEXT,
    -- Makes one conversation per pair, job asker, proposal, contract or community
    -- (direct:<a>:<b>, job:<job>:<asker>, …); NULL for groups, which may repeat.
    unique_key TEXT UNIQUE,
    title TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_message_at BIGINT NOT NULL
);

CREATE TABLE conversation_members (
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    joined_at BIGINT NOT NULL,
    -- The newest message this member has read (message ids are UUIDv7: they sort by time);
    -- empty when none.
    last_read_id TEXT NOT NULL,
    muted BOOLEAN NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_user ON conversation_members(user_id);

CREATE TABLE messages (
    id TEXT PRIMARY KEY NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    author_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- Markdown as written, and its sanitised HTML; both emptied when deleted.
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    deleted_at BIGINT,
    -- Set when a curator or operator removed it after a report (deleted_at is set too).
    removed_by TEXT
);
CREATE INDEX messages_conversation ON messages(conversation_id, id);

CREATE TABLE member_blocks (
    blocker_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX member_blocks_blocked ON member_blocks(blocked_id);

CREATE TABLE message_reports (
    id TEXT PRIMARY KEY NOT NULL,
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    reporter_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- Whose curators handle it; NULL: the instance's operators.
    community_id TEXT,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT,
    UNIQUE (message_id, reporter_id)
);
CREATE INDEX message_reports_open ON message_reports(community_id) WHERE resolved_at IS NULL;

-- work, connections or communities: who may start a conversation with the member.
ALTER TABLE member_settings ADD COLUMN messages_from TEXT NOT NULL DEFAULT 'communities';
