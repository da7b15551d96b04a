-- Talent searches a client keeps without posting a job: what they want (skills with weights
-- and levels, pay, dates, hours, zones, community) as JSON, run again whenever they open it.
-- Keep in step with the other backend's copy.
CREATE TABLE saved_searches (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    wanted TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX saved_searches_user ON saved_searches (user_id);

-- Members a community's curator puts forward for a client's job, each with a note to the
-- client. One entry per member and job, whoever made it.
CREATE TABLE shortlist_entries (
    id TEXT PRIMARY KEY NOT NULL,
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    curator_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (job_id, member_id)
);
CREATE INDEX shortlist_entries_job ON shortlist_entries (job_id);
