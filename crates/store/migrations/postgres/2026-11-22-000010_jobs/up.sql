-- Jobs to be done, the proposals members make or are invited to, and referrals.
-- Keep in step with ../sqlite.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES users(id),
    -- The organisation the client acts for, if any.
    organisation TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- JSON array of {"skill_id", "label", "weight" 1-5, "min_level" 1-5, "required"}.
    skills TEXT NOT NULL,
    -- fixed or hourly.
    pricing TEXT NOT NULL,
    budget_min BIGINT NOT NULL,
    budget_max BIGINT NOT NULL,
    currency TEXT NOT NULL,
    -- YYYY-MM-DD.
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    hours_per_week INTEGER,
    remote BOOLEAN NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    -- The time zones work can happen in, as UTC offsets in minutes.
    tz_min_offset INTEGER NOT NULL,
    tz_max_offset INTEGER NOT NULL,
    -- Only this community's members see and apply, when set.
    community_id TEXT REFERENCES communities(id) ON DELETE SET NULL,
    -- draft, open, filled or closed.
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_open ON jobs(status, community_id);
CREATE INDEX jobs_client ON jobs(client_id);

CREATE TABLE proposals (
    id TEXT PRIMARY KEY NOT NULL,
    job_id TEXT NOT NULL REFERENCES jobs(id),
    member_id TEXT NOT NULL REFERENCES users(id),
    note TEXT NOT NULL DEFAULT '',
    -- The member's rate or price, minor units of the job's currency; 0 until proposed.
    rate_minor BIGINT NOT NULL DEFAULT 0,
    availability TEXT NOT NULL DEFAULT '',
    -- invited, submitted, shortlisted, declined, offered or withdrawn.
    status TEXT NOT NULL,
    -- Who invited the member, when invited.
    invited_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (job_id, member_id)
);

CREATE TABLE referrals (
    id TEXT PRIMARY KEY NOT NULL,
    job_id TEXT NOT NULL REFERENCES jobs(id),
    referrer_id TEXT NOT NULL REFERENCES users(id),
    member_id TEXT NOT NULL REFERENCES users(id),
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    -- The first referral of a member to a job is the one rewarded.
    UNIQUE (job_id, member_id)
);

ALTER TABLE contracts ADD COLUMN job_id TEXT REFERENCES jobs(id);
