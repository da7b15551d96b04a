-- What happens inside communities: admission, discussions, events, mentoring and learning.
-- Keep in step with ../postgres (which differs only in how the feed tokens are filled).

-- The application form: a JSON array of {"prompt", "required"}.
ALTER TABLE communities ADD COLUMN questions TEXT NOT NULL DEFAULT '[]';
-- Skills the community is about: a JSON array of skill ids.
ALTER TABLE communities ADD COLUMN focus_skills TEXT NOT NULL DEFAULT '[]';
-- The secret in the address of the community's calendar feed, shown to members.
ALTER TABLE communities ADD COLUMN feed_token TEXT NOT NULL DEFAULT '';
UPDATE communities SET feed_token = lower(hex(randomblob(16)));

CREATE TABLE community_applications (
    id TEXT PRIMARY KEY NOT NULL,
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- The persona the applicant shows the curators; none means the profile as members see it.
    persona_id TEXT REFERENCES personas(id) ON DELETE SET NULL,
    -- JSON array of answers, one per question.
    answers TEXT NOT NULL,
    -- pending, waitlisted, approved, declined or withdrawn.
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    decided_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
-- One open application per person and community, even under concurrent submits.
CREATE UNIQUE INDEX community_applications_open ON community_applications(community_id, user_id)
    WHERE status IN ('pending', 'waitlisted');
CREATE INDEX community_applications_queue ON community_applications(community_id, status, created_at);

CREATE TABLE community_invitations (
    id TEXT PRIMARY KEY NOT NULL,
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    -- SHA-256 of the secret in the link; the link itself is shown once.
    token_hash TEXT NOT NULL UNIQUE,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX community_invitations_community ON community_invitations(community_id);

-- Threads and replies. A thread is a post without thread_id; replies point at it.
CREATE TABLE community_posts (
    id TEXT PRIMARY KEY NOT NULL,
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    thread_id TEXT REFERENCES community_posts(id) ON DELETE CASCADE,
    author_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    -- Markdown as written, and the sanitised HTML shown.
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    pinned BOOLEAN NOT NULL DEFAULT FALSE,
    locked BOOLEAN NOT NULL DEFAULT FALSE,
    hidden_at BIGINT,
    hidden_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    hidden_reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    -- For threads: the time of the newest reply, which orders the thread list.
    last_activity_at BIGINT NOT NULL
);
CREATE INDEX community_posts_threads ON community_posts(community_id, thread_id, last_activity_at);
CREATE INDEX community_posts_replies ON community_posts(thread_id, created_at);

CREATE TABLE post_mentions (
    post_id TEXT NOT NULL REFERENCES community_posts(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, user_id)
);
CREATE INDEX post_mentions_user ON post_mentions(user_id);

CREATE TABLE post_reports (
    id TEXT PRIMARY KEY NOT NULL,
    post_id TEXT NOT NULL REFERENCES community_posts(id) ON DELETE CASCADE,
    reporter_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT,
    UNIQUE (post_id, reporter_id)
);

CREATE TABLE community_events (
    id TEXT PRIMARY KEY NOT NULL,
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    -- The IANA zone the organiser works in; times are shown in it.
    timezone TEXT NOT NULL,
    online_url TEXT,
    place TEXT,
    capacity INTEGER,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- RFC 5545 SEQUENCE: bumped on every change.
    sequence BIGINT NOT NULL DEFAULT 0,
    cancelled BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX community_events_start ON community_events(community_id, starts_at);

CREATE TABLE event_rsvps (
    event_id TEXT NOT NULL REFERENCES community_events(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- going or waitlisted.
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, user_id)
);

CREATE TABLE mentoring_offers (
    id TEXT PRIMARY KEY NOT NULL,
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    mentor_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- JSON array of skill ids.
    skills TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    -- Whether the mentor will pair with a learner on real, paid work.
    on_real_work BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX mentoring_offers_community ON mentoring_offers(community_id, active);

CREATE TABLE mentorships (
    id TEXT PRIMARY KEY NOT NULL,
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    offer_id TEXT NOT NULL REFERENCES mentoring_offers(id) ON DELETE CASCADE,
    mentor_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    learner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    goal TEXT NOT NULL,
    -- JSON array of skill ids the learner wants.
    skills TEXT NOT NULL,
    -- classic (sessions) or real_work (learning alongside the mentor on paid work).
    format TEXT NOT NULL,
    -- The work, when format is real_work: a description or link.
    work TEXT NOT NULL DEFAULT '',
    -- requested, active, declined or ended.
    status TEXT NOT NULL,
    decided_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX mentorships_community ON mentorships(community_id, status);

CREATE TABLE mentoring_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    mentorship_id TEXT NOT NULL REFERENCES mentorships(id) ON DELETE CASCADE,
    -- YYYY-MM-DD.
    held_on TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    -- JSON array of skill ids.
    skills TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX mentoring_sessions_pair ON mentoring_sessions(mentorship_id, held_on);

CREATE TABLE learning_resources (
    id TEXT PRIMARY KEY NOT NULL,
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    provider TEXT NOT NULL DEFAULT '',
    -- JSON array of skill ids.
    skills TEXT NOT NULL,
    -- Cost in minor units of `currency`; 0 for free.
    cost_minor BIGINT NOT NULL DEFAULT 0,
    currency TEXT NOT NULL DEFAULT '',
    duration_minutes INTEGER,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX learning_resources_community ON learning_resources(community_id, removed_at);

CREATE TABLE resource_completions (
    resource_id TEXT NOT NULL REFERENCES learning_resources(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- YYYY-MM-DD, as the member says.
    completed_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (resource_id, user_id)
);
